//! The administrator's audit log (docs/audit.md §6.4): every audit row of the database, newest first,
//! filtered by user, table, action, date range and entity; one row's images; the CSV export of the
//! filter; and `audit verify` with the chain head.

use super::{EntryDetail, Paged, Pager, draw_waiting, time_text};
use crate::domain::audit_trail::{
    self, AuditEntry, LogFilter, LogFilterInput, LogQuery, VerifyOutcome,
};
use crate::keymap::{Action, KeyContext};
use crate::msg::{Command, Reply, Request, ServiceReply};
use crate::screens::pending::Pending;
use crate::screens::{Ctx, Effect, Screen, ScreenId};
use crate::theme::Theme;
use crate::widgets::form_field::{Form, FormField};
use crate::widgets::{centered, dialog, dim, fit_text, inset, panel, request_status, row, rows};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Rows asked for before the screen was drawn once.
const DEFAULT_PAGE: i64 = 20;

/// An open dialog: the filter's six fields, or the export's directory.
enum Dialog {
    Filter { form: Form, error: Option<String> },
    Export { form: Form, error: Option<String> },
}

pub struct AuditLogScreen {
    pager: Pager,
    loading: Pending,
    error: Option<String>,
    filter: LogFilter,
    /// The filter as last typed, offered again.
    typed: LogFilterInput,
    /// Rows that fit the screen; the next page asked for has this many.
    page_rows: i64,
    /// The page size of the page shown, to number its rows.
    shown_page: i64,
    dialog: Option<Dialog>,
    exporting: Pending,
    last_dir: String,
    verifying: Pending,
    verify: Option<Result<VerifyOutcome, String>>,
    notice: Option<String>,
    detail: Option<EntryDetail>,
}

fn filter_form(typed: &LogFilterInput) -> Form {
    let field = |label: &str, value: &str, hint: &str| {
        let mut f = FormField::text(label).with_max_len(100).with_hint(hint);
        f.set_value(value);
        f
    };
    Form::new(vec![
        field(
            "User",
            &typed.user,
            "Part of a name or username; \"unattributed\"",
        ),
        field("Table", &typed.table, "e.g. ProductionOrder, BOMItem"),
        field("Action", &typed.action, "INSERT, UPDATE, DELETE or a note"),
        field("From date", &typed.from, "YYYY-MM-DD"),
        field("To date", &typed.to, "YYYY-MM-DD (the whole day)"),
        field("Entity id", &typed.entity, "The record's id, exactly"),
    ])
    .with_input_width(38)
}

impl AuditLogScreen {
    pub fn open(ctx: &mut Ctx) -> (AuditLogScreen, Command) {
        let mut s = AuditLogScreen {
            pager: Pager::default(),
            loading: Pending::new(),
            error: None,
            filter: LogFilter::default(),
            typed: LogFilterInput::default(),
            page_rows: DEFAULT_PAGE,
            shown_page: DEFAULT_PAGE,
            dialog: None,
            exporting: Pending::new(),
            last_dir: String::new(),
            verifying: Pending::new(),
            verify: None,
            notice: None,
            detail: None,
        };
        let before = s.pager.first();
        let cmd = s.load(before, ctx);
        (s, cmd)
    }

    pub fn pager(&self) -> &Pager {
        &self.pager
    }

    pub fn filter(&self) -> &LogFilter {
        &self.filter
    }

    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    pub fn verify(&self) -> Option<&Result<VerifyOutcome, String>> {
        self.verify.as_ref()
    }

    /// The filter dialog's message, if it refused the filter.
    pub fn dialog_error(&self) -> Option<&str> {
        match &self.dialog {
            Some(Dialog::Filter { error, .. } | Dialog::Export { error, .. }) => error.as_deref(),
            None => None,
        }
    }

    fn load(&mut self, before: Option<i64>, ctx: &mut Ctx) -> Command {
        let Some(token) = ctx.token() else {
            return Command::None;
        };
        let query = LogQuery {
            filter: self.filter.clone(),
            before,
            limit: self.page_rows,
        };
        self.loading
            .begin(ctx, Request::AuditLog { token, query }, ())
    }

    fn refilter(&mut self, ctx: &mut Ctx) -> Command {
        self.pager.selected = 0;
        let before = self.pager.first();
        self.load(before, ctx)
    }

    fn on_dialog(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        let Some(d) = &mut self.dialog else {
            return Command::None;
        };
        match (d, action) {
            (_, Action::Cancel) => {
                // An export already sent still finishes; its answer is then only dropped.
                self.exporting.clear();
                self.dialog = None;
                Command::None
            }
            (Dialog::Filter { form, error }, Action::Submit) => {
                let v = form.values();
                let get = |i: usize| v.get(i).cloned().unwrap_or_default();
                let typed = LogFilterInput {
                    user: get(0),
                    table: get(1),
                    action: get(2),
                    from: get(3),
                    to: get(4),
                    entity: get(5),
                };
                match LogFilter::parse(&typed) {
                    Ok(f) => {
                        self.typed = typed;
                        self.filter = f;
                        self.dialog = None;
                        self.refilter(ctx)
                    }
                    Err(e) => {
                        *error = Some(e);
                        Command::None
                    }
                }
            }
            (Dialog::Export { form, error }, Action::Submit) => {
                if self.exporting.in_flight() {
                    return Command::None;
                }
                let dir = form.value(0).trim().to_string();
                self.last_dir = dir.clone();
                *error = None;
                let Some(token) = ctx.token() else {
                    return Command::None;
                };
                let filter = self.filter.clone();
                self.exporting
                    .begin(ctx, Request::ExportAuditLog { token, filter, dir }, ())
            }
            (Dialog::Filter { form, .. } | Dialog::Export { form, .. }, other) => {
                form.handle(other);
                Command::None
            }
        }
    }

    fn verify_lines(&self, width: usize, theme: &Theme) -> Vec<Line<'static>> {
        let line = |text: String, style| Line::from(Span::styled(fit_text(&text, width), style));
        if self.verifying.in_flight() {
            return vec![line(
                "… Verifying the audit chain and every record".into(),
                theme.muted,
            )];
        }
        match &self.verify {
            None => Vec::new(),
            Some(Err(e)) => vec![line(format!("ERROR: {e}"), theme.error)],
            Some(Ok(v)) => {
                let head = match &v.head {
                    Some((p, l)) => format!("Chain head: position {p}, link {l}"),
                    None => "Chain head: none (no audit rows yet)".into(),
                };
                let mut out = vec![
                    line(
                        format!(
                            "Audit verify: {} · {} link(s) · {} row(s) match · {} signature(s) verified · {} unattributed write(s)",
                            if v.ok() { "OK" } else { "BROKEN" },
                            v.links,
                            v.rows_matched,
                            v.signatures_verified,
                            v.unattributed_count
                        ),
                        if v.ok() { theme.ok } else { theme.error },
                    ),
                    line(head, theme.base),
                ];
                if let Some(first) = v.problems.first() {
                    out.push(line(
                        format!("BROKEN ({} problem(s)): {first}", v.problems.len()),
                        theme.error,
                    ));
                }
                out
            }
        }
    }

    fn row_line(e: &AuditEntry, selected: bool, width: usize, theme: &Theme) -> Line<'static> {
        let base = if selected { theme.selected } else { theme.base };
        Line::from(vec![
            Span::styled(if selected { "▶ " } else { "  " }, base),
            Span::styled(
                fit_text(
                    &format!(
                        "{:>6} {} {:<14} {:<12} {:<8} {:<14} {:<8} {}",
                        e.seq,
                        time_text(e),
                        fit_text(&audit_trail::who(e), 14),
                        fit_text(&audit_trail::station(e), 12),
                        fit_text(&audit_trail::action_label(e), 8),
                        fit_text(&audit_trail::table_label(e), 14),
                        fit_text(&crate::text::strip_forbidden(&e.entity), 8),
                        audit_trail::summary(e)
                    ),
                    width.saturating_sub(2),
                ),
                base,
            ),
        ])
    }

    fn draw_list(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let title = "Audit log";
        if !self.pager.loaded {
            draw_waiting(frame, area, title, self.error.as_deref(), theme);
            return;
        }
        let title = if self.loading.in_flight() {
            format!("{title} (loading…)")
        } else {
            title.to_string()
        };
        let block = panel(&title, theme);
        let inner = inset(block.inner(area), 1);
        frame.render_widget(block, area);
        let width = usize::from(inner.width);
        let mut top = vec![Line::from(Span::styled(
            fit_text(&format!("Filter: {}", self.filter.describe()), width),
            theme.muted,
        ))];
        top.extend(self.verify_lines(width, theme));
        if let Some(n) = &self.notice {
            top.push(Line::from(Span::styled(fit_text(n, width), theme.ok)));
        }
        top.push(Line::from(Span::styled(
            fit_text(
                &format!(
                    "  {:>6} {:<tw$} {:<14} {:<12} {:<8} {:<14} {:<8} {}",
                    "Seq",
                    "Time",
                    "User",
                    "Station",
                    "Action",
                    "Table",
                    "Entity",
                    "Changes",
                    // `yyyy-mm-dd hh:mm:ss` and the zone (docs/lifecycle.md §6.9).
                    tw = 20 + crate::domain::clock::plant_zone().chars().count()
                ),
                width,
            ),
            theme.heading,
        )));
        let top_h = u16::try_from(top.len()).unwrap_or(u16::MAX);
        frame.render_widget(Paragraph::new(top), rows(inner, 0, top_h));
        let list = rows(inner, top_h, inner.height.saturating_sub(top_h + 1));
        self.page_rows = i64::from(list.height.max(1));
        let status = match &self.error {
            Some(e) => Line::from(Span::styled(
                fit_text(&format!("ERROR: {e}"), width),
                theme.error,
            )),
            None => Line::from(Span::styled(
                fit_text(
                    &self
                        .pager
                        .position(usize::try_from(self.shown_page).unwrap_or(1)),
                    width,
                ),
                theme.muted,
            )),
        };
        frame.render_widget(
            Paragraph::new(status),
            row(inner, inner.height.saturating_sub(1)),
        );
        if self.pager.entries.is_empty() {
            frame.render_widget(
                Paragraph::new(Span::styled(
                    if self.filter.is_empty() {
                        "No audit rows."
                    } else {
                        "No audit row matches the filter (c clears it)."
                    },
                    theme.muted,
                )),
                row(list, 0),
            );
            return;
        }
        let height = usize::from(list.height);
        let first = (self.pager.selected + 1).saturating_sub(height.max(1));
        let lines: Vec<Line> = self
            .pager
            .entries
            .iter()
            .enumerate()
            .skip(first)
            .take(height)
            .map(|(i, e)| Self::row_line(e, i == self.pager.selected, width, theme))
            .collect();
        frame.render_widget(Paragraph::new(lines), list);
    }

    fn draw_dialog(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let busy = self
            .exporting
            .in_flight()
            .then_some("… Writing the CSV file");
        let Some(d) = &mut self.dialog else { return };
        dim(frame, area, theme);
        match d {
            Dialog::Filter { form, error } => {
                let inner = dialog(frame, centered(area, 90, 18), "Filter the audit log", theme);
                form.render(frame, rows(inner, 1, 12), theme);
                request_status(frame, rows(inner, 13, 2), None, error.as_deref(), theme);
            }
            Dialog::Export { form, error } => {
                let inner = dialog(frame, centered(area, 84, 9), "Export CSV", theme);
                frame.render_widget(
                    Paragraph::new(Span::styled(
                        format!(
                            "Every row matching the filter ({}) as CSV.",
                            self.filter.describe()
                        ),
                        theme.muted,
                    )),
                    rows(inner, 0, 1),
                );
                form.render(frame, rows(inner, 2, 2), theme);
                request_status(frame, rows(inner, 5, 2), busy, error.as_deref(), theme);
            }
        }
    }
}

impl Screen for AuditLogScreen {
    fn title(&self) -> &'static str {
        "Audit log"
    }

    fn key_contexts(&self) -> Vec<KeyContext> {
        if let Some(Dialog::Filter { form, .. } | Dialog::Export { form, .. }) = &self.dialog {
            let mut stack = form.key_contexts();
            stack.push(KeyContext::Dialog);
            return stack;
        }
        if self.detail.is_some() {
            return vec![KeyContext::AuditEntry, KeyContext::List];
        }
        vec![
            KeyContext::AuditPages,
            KeyContext::AuditLog,
            KeyContext::List,
        ]
    }

    fn has_unsaved_input(&self) -> bool {
        matches!(&self.dialog, Some(Dialog::Filter { form, .. }) if form.has_input())
    }

    fn on_action(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        if self.dialog.is_some() {
            return self.on_dialog(action, ctx);
        }
        match self.pager.answer(&mut self.detail, action) {
            Paged::Done => return Command::None,
            Paged::Load(before) => return self.load(before, ctx),
            Paged::Other => {}
        }
        match action {
            Action::Back => {
                ctx.emit(Effect::Navigate(ScreenId::Home));
                Command::None
            }
            Action::EditFilter => {
                self.dialog = Some(Dialog::Filter {
                    form: filter_form(&self.typed),
                    error: None,
                });
                Command::None
            }
            Action::ClearFilters => {
                self.typed = LogFilterInput::default();
                self.filter = LogFilter::default();
                self.refilter(ctx)
            }
            Action::ExportCsv => {
                let mut dir = FormField::text("Directory")
                    .with_select_on_focus()
                    .with_max_len(512)
                    .with_hint("Empty: the station's working directory");
                dir.set_value(&self.last_dir);
                self.notice = None;
                self.dialog = Some(Dialog::Export {
                    form: Form::new(vec![dir]).with_input_width(52),
                    error: None,
                });
                Command::None
            }
            Action::VerifyAudit => {
                let Some(token) = ctx.token() else {
                    return Command::None;
                };
                self.verifying
                    .begin_if_idle(ctx, Request::VerifyAudit { token }, ())
            }
            _ => Command::None,
        }
    }

    fn on_reply(&mut self, reply: ServiceReply, _ctx: &mut Ctx) -> Command {
        if self.loading.answered_by(reply.id) {
            match reply.result {
                Ok(Reply::AuditLog(page)) => {
                    // The page numbering counts in the size the page was asked for.
                    if self.pager.number() == 1 {
                        self.shown_page = self.page_rows;
                    }
                    self.pager.show(*page);
                    self.error = None;
                }
                Ok(_) => {}
                Err(e) => self.error = Some(e.user_message()),
            }
        } else if self.verifying.answered_by(reply.id) {
            self.verify = Some(match reply.result {
                Ok(Reply::AuditVerified(v)) => Ok(*v),
                Ok(_) => return Command::None,
                Err(e) => Err(e.user_message()),
            });
        } else if self.exporting.answered_by(reply.id) {
            match reply.result {
                Ok(Reply::Exported(paths)) => {
                    self.dialog = None;
                    let list: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
                    self.notice = Some(format!("Audit log written to {}", list.join(", ")));
                }
                Ok(_) => {}
                Err(e) => {
                    if let Some(Dialog::Export { error, .. }) = &mut self.dialog {
                        *error = Some(e.user_message());
                    }
                }
            }
        }
        Command::None
    }

    fn text_form(&mut self) -> Option<&mut Form> {
        match &mut self.dialog {
            Some(Dialog::Filter { form, .. } | Dialog::Export { form, .. }) => Some(form),
            None => None,
        }
    }

    fn view(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        if area.height < 8 || area.width < 40 {
            frame.render_widget(Paragraph::new("Enlarge the terminal"), area);
            return;
        }
        if let Some(d) = &mut self.detail {
            d.view(frame, area, theme);
            return;
        }
        self.draw_list(frame, area, theme);
        self.draw_dialog(frame, area, theme);
    }
}
