//! Procurement's order desk: the builds in ORDER_CREATED and PARTS_SENT with their BOM state, and the moves.
//!
//! The desk approves a build's DRAFT BOM (`ApproveBom` with the version shown) and moves a build to its
//! next status (`Transition` with an optional note). The server decides; after every write the desk is
//! loaded again, and a refusal shows the server's message.

use crate::db::DbError;
use crate::domain::desk::DeskRow;
use crate::domain::lifecycle::{MAX_NOTE, transition_note};
use crate::domain::order::OrderStatus;
use crate::keymap::{Action, HelpLine, KeyContext};
use crate::msg::{Command, DbReply, Reply, Request, RequestId};
use crate::screens::orders::due_marker;
use crate::screens::{Ctx, Effect, ScreenId, ScreenMsg};
use crate::theme::Theme;
use crate::widgets::form_field::{Form, FormField};
use crate::widgets::toast::Toast;
use crate::widgets::{centered, confirm, dialog, dim, fit_text, panel, request_status, row, rows};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Padding, Paragraph, Row, TableState};
use uuid::Uuid;

/// What the build the dialog is about looked like when it was opened.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Target {
    order_id: Uuid,
    build: String,
    from: OrderStatus,
}

enum Mode {
    Browse,
    /// `Approve BOM version <v> of <build>?`
    ConfirmBom {
        target: Target,
        version: i32,
        error: Option<String>,
    },
    /// The move to `to` with its optional note.
    Move {
        target: Target,
        to: OrderStatus,
        form: Form,
        error: Option<String>,
    },
}

/// A write on its way, with what to say when it succeeds.
struct Write {
    id: RequestId,
    success: String,
}

pub struct OrderDeskScreen {
    rows: Vec<DeskRow>,
    loading: Option<RequestId>,
    loaded: bool,
    load_error: Option<String>,
    /// The server's answer to the last refused write, or a local hint; shown until the user acts again.
    notice: Option<String>,
    writing: Option<Write>,
    mode: Mode,
    table: TableState,
    /// Rows per page, from the last draw.
    page: usize,
    confirm_keys: Vec<HelpLine>,
}

impl OrderDeskScreen {
    pub fn open(ctx: &mut Ctx) -> (OrderDeskScreen, Command) {
        let mut s = OrderDeskScreen {
            rows: Vec::new(),
            loading: None,
            loaded: false,
            load_error: None,
            notice: None,
            writing: None,
            mode: Mode::Browse,
            table: TableState::default(),
            page: 10,
            confirm_keys: ctx.keymap().key_bar(&[KeyContext::Confirm]),
        };
        let cmd = s.reload(ctx);
        (s, cmd)
    }

    pub fn title(&self) -> &'static str {
        "Order desk"
    }

    pub fn rows(&self) -> &[DeskRow] {
        &self.rows
    }

    pub fn selected(&self) -> Option<&DeskRow> {
        self.table.selected().and_then(|i| self.rows.get(i))
    }

    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    pub fn is_dialog_open(&self) -> bool {
        !matches!(self.mode, Mode::Browse)
    }

    pub fn key_contexts(&self) -> Vec<KeyContext> {
        match &self.mode {
            Mode::Browse => vec![KeyContext::OrderDesk, KeyContext::List],
            Mode::ConfirmBom { .. } => vec![KeyContext::Confirm],
            Mode::Move { form, .. } => {
                let mut stack = form.key_contexts();
                stack.push(KeyContext::Dialog);
                stack
            }
        }
    }

    /// A typed note is worth a quit prompt.
    pub fn has_unsaved_input(&self) -> bool {
        matches!(&self.mode, Mode::Move { form, .. } if form.has_input())
    }

    fn reload(&mut self, ctx: &mut Ctx) -> Command {
        let Some(token) = ctx.token() else {
            return Command::None;
        };
        let (id, cmd) = ctx.request(Request::OrderDesk { token });
        self.loading = Some(id);
        cmd
    }

    pub fn update(&mut self, msg: ScreenMsg, ctx: &mut Ctx) -> Command {
        match msg {
            ScreenMsg::Char(c) => {
                if let Mode::Move { form, .. } = &mut self.mode {
                    form.type_char(c);
                }
                Command::None
            }
            ScreenMsg::Paste(text) => {
                if let Mode::Move { form, .. } = &mut self.mode {
                    form.paste(&text);
                }
                Command::None
            }
            ScreenMsg::Action(action) => self.on_action(action, ctx),
            ScreenMsg::Db(reply) => self.on_reply(reply, ctx),
            ScreenMsg::Tick(_) => Command::None,
        }
    }

    fn on_action(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        match &mut self.mode {
            Mode::Browse => self.on_browse(action, ctx),
            Mode::ConfirmBom { .. } => match action {
                Action::Yes => self.approve(ctx),
                Action::No | Action::Cancel => {
                    // A write already sent still finishes; its reply reloads the desk.
                    self.mode = Mode::Browse;
                    Command::None
                }
                _ => Command::None,
            },
            Mode::Move { form, .. } => match action {
                Action::Submit => self.submit_move(ctx),
                Action::Cancel => {
                    self.mode = Mode::Browse;
                    Command::None
                }
                other => {
                    form.handle(other);
                    Command::None
                }
            },
        }
    }

    fn on_browse(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        let last = self.rows.len().saturating_sub(1);
        let at = self.table.selected().unwrap_or(0);
        let select = |s: &mut Self, i: usize| {
            if !s.rows.is_empty() {
                s.table.select(Some(i.min(last)));
            }
        };
        match action {
            Action::Back => ctx.emit(Effect::Navigate(ScreenId::Home)),
            Action::Refresh => {
                self.notice = None;
                return self.reload(ctx);
            }
            Action::OpenShortage => ctx.emit(Effect::Navigate(ScreenId::PartsShortage)),
            Action::Open => {
                if let Some(r) = self.selected() {
                    ctx.emit(Effect::Navigate(ScreenId::OrderDetail(r.order.id)));
                }
            }
            Action::ApproveBom => self.start_approve(),
            Action::MoveStatus => self.start_move(),
            Action::Up => select(self, at.saturating_sub(1)),
            Action::Down => select(self, at + 1),
            Action::PageUp => select(self, at.saturating_sub(self.page)),
            Action::PageDown => select(self, at + self.page),
            Action::First => select(self, 0),
            Action::Last => select(self, last),
            _ => {}
        }
        Command::None
    }

    fn target(r: &DeskRow) -> Target {
        Target {
            order_id: r.order.id,
            build: r.order.build_number.clone(),
            from: r.order.status,
        }
    }

    fn start_approve(&mut self) {
        let Some(r) = self.selected() else {
            return;
        };
        let target = Self::target(r);
        match (&r.bom, r.draft_version()) {
            (_, Some(version)) => {
                self.notice = None;
                self.mode = Mode::ConfirmBom {
                    target,
                    version,
                    error: None,
                };
            }
            (Some((version, status)), None) => {
                self.notice = Some(format!(
                    "BOM version {version} of {} is {status}; there is no DRAFT to approve",
                    target.build
                ));
            }
            (None, None) => {
                self.notice = Some(format!("{} has no BOM yet", target.build));
            }
        }
    }

    fn start_move(&mut self) {
        let Some(r) = self.selected() else {
            return;
        };
        let Some(to) = r.next_status() else {
            return;
        };
        let target = Self::target(r);
        let form = Form::new(vec![
            FormField::text("Note")
                .with_max_len(MAX_NOTE)
                .with_hint(format!(
                    "Optional, up to {MAX_NOTE} characters; kept in the history"
                )),
        ])
        .with_input_width(52);
        self.notice = None;
        self.mode = Mode::Move {
            target,
            to,
            form,
            error: None,
        };
    }

    fn send_write(&mut self, request: Request, success: String, ctx: &mut Ctx) -> Command {
        if self.writing.is_some() {
            return Command::None;
        }
        let (id, cmd) = ctx.request(request);
        self.writing = Some(Write { id, success });
        cmd
    }

    fn approve(&mut self, ctx: &mut Ctx) -> Command {
        let Mode::ConfirmBom {
            target, version, ..
        } = &self.mode
        else {
            return Command::None;
        };
        let Some(token) = ctx.token() else {
            return Command::None;
        };
        let (request, success) = (
            Request::ApproveBom {
                token,
                order_id: target.order_id,
                version: *version,
            },
            format!("BOM version {version} of {} approved", target.build),
        );
        self.send_write(request, success, ctx)
    }

    fn submit_move(&mut self, ctx: &mut Ctx) -> Command {
        let Mode::Move {
            target,
            to,
            form,
            error,
        } = &mut self.mode
        else {
            return Command::None;
        };
        let Some(token) = ctx.token() else {
            return Command::None;
        };
        let note = form.value(0).trim().to_string();
        // The server's rule first, so that a refusal keeps the note.
        if let Err(e) = transition_note(Some(&note)) {
            *error = Some(e);
            return Command::None;
        }
        let request = Request::Transition {
            token,
            order_id: target.order_id,
            from: target.from,
            to: *to,
            note: (!note.is_empty()).then_some(note),
            override_reason: None,
        };
        let success = format!("{} moved to {to}", target.build);
        self.send_write(request, success, ctx)
    }

    fn on_reply(&mut self, reply: DbReply, ctx: &mut Ctx) -> Command {
        if self.loading == Some(reply.id) {
            self.loading = None;
            self.loaded = true;
            match reply.result {
                Ok(Reply::OrderDesk(rows)) => {
                    self.load_error = None;
                    self.set_rows(rows);
                }
                Ok(_) => {}
                Err(e) => self.load_error = Some(e.user_message()),
            }
            return Command::None;
        }
        let Some(write) = self.writing.take_if(|w| w.id == reply.id) else {
            return Command::None;
        };
        match reply.result {
            Ok(_) => {
                self.mode = Mode::Browse;
                self.notice = None;
                ctx.toast(Toast::info(write.success));
                self.reload(ctx)
            }
            // Nothing was decided: keep the dialog and the note, so the user can try again.
            Err(e @ DbError::Unavailable(_)) => {
                match &mut self.mode {
                    Mode::ConfirmBom { error, .. } | Mode::Move { error, .. } => {
                        *error = Some(e.user_message());
                    }
                    Mode::Browse => self.notice = Some(e.user_message()),
                }
                Command::None
            }
            // A rule or a faster station said no: the message stays on the desk, which is reloaded.
            Err(e) => {
                self.mode = Mode::Browse;
                let text = e.user_message();
                ctx.toast(Toast::error(text.clone()));
                self.notice = Some(text);
                self.reload(ctx)
            }
        }
    }

    /// Keeps the selection on the same build when it is still listed.
    fn set_rows(&mut self, rows: Vec<DeskRow>) {
        let kept = self.selected().map(|r| r.order.id);
        self.rows = rows;
        let index = kept
            .and_then(|id| self.rows.iter().position(|r| r.order.id == id))
            .or_else(|| {
                self.table
                    .selected()
                    .map(|i| i.min(self.rows.len().saturating_sub(1)))
            })
            .unwrap_or(0);
        self.table.select((!self.rows.is_empty()).then_some(index));
    }

    pub fn view(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        if area.height < 5 || area.width < 20 {
            return;
        }
        let table_area = Rect::new(area.x, area.y, area.width, area.height - 2);
        let info_area = Rect::new(area.x, table_area.bottom(), area.width, 2);
        self.view_table(frame, table_area, theme);
        self.view_info(frame, info_area, theme);
        self.view_dialog(frame, area, theme);
    }

    fn view_table(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let mut title = format!("Builds waiting for parts ({})", self.rows.len());
        if self.loading.is_some() {
            title.push_str(" (loading…)");
        }
        let block = panel(&title, theme).padding(Padding::right(1));
        let inner = block.inner(area);
        self.page = usize::from(inner.height.saturating_sub(1)).max(1);
        let headers = [
            "PO",
            "Build",
            "Customer",
            "Model",
            "Status",
            "Want",
            "Days left",
            "BOM",
        ];
        let header = Row::new(
            headers
                .iter()
                .map(|h| Cell::from(Span::styled(*h, theme.heading))),
        );
        let widest = |values: &mut dyn Iterator<Item = usize>, header: &str, lo: u16, hi: u16| {
            let w = values.max().unwrap_or(0).max(header.chars().count());
            u16::try_from(w).unwrap_or(hi).clamp(lo, hi)
        };
        let w_po = widest(
            &mut self.rows.iter().map(|r| r.order.po_number.chars().count()),
            "PO",
            7,
            12,
        );
        let w_build = widest(
            &mut self
                .rows
                .iter()
                .map(|r| r.order.build_number.chars().count()),
            "Build",
            7,
            12,
        );
        let w_model = widest(
            &mut self.rows.iter().map(|r| r.order.sink_model.chars().count()),
            "Model",
            5,
            8,
        );
        let w_status = 13;
        let w_want = 6;
        let w_days = widest(
            &mut self.rows.iter().map(|r| days_cell(r).chars().count()),
            "Days left",
            9,
            12,
        );
        let w_bom = widest(
            &mut self.rows.iter().map(|r| r.bom_label().chars().count()),
            "BOM",
            11,
            14,
        );
        // The highlight symbol takes two columns; seven gaps between eight columns.
        let fixed = w_po + w_build + w_model + w_status + w_want + w_days + w_bom + 7 + 2;
        let w_customer = inner.width.saturating_sub(fixed).max(8);
        let body = self.rows.iter().map(|r| {
            let days_style = match due_marker(&r.order) {
                Some("OVERDUE") => theme.error,
                Some(_) => theme.warn,
                None => theme.base,
            };
            let bom_style = match r.bom.as_ref().map(|(_, s)| s.as_str()) {
                Some("APPROVED") => theme.base,
                Some(_) => theme.warn,
                None => theme.muted,
            };
            Row::new(vec![
                Cell::from(fit_text(&r.order.po_number, usize::from(w_po))),
                Cell::from(fit_text(&r.order.build_number, usize::from(w_build))),
                Cell::from(fit_text(&r.order.customer_name, usize::from(w_customer))),
                Cell::from(fit_text(&r.order.sink_model, usize::from(w_model))),
                Cell::from(r.order.status.code()),
                Cell::from(r.order.want_date.format("%d %b").to_string()),
                Cell::from(Span::styled(days_cell(r), days_style)),
                Cell::from(Span::styled(r.bom_label(), bom_style)),
            ])
        });
        let widths = [
            Constraint::Length(w_po),
            Constraint::Length(w_build),
            Constraint::Length(w_customer),
            Constraint::Length(w_model),
            Constraint::Length(w_status),
            Constraint::Length(w_want),
            Constraint::Length(w_days),
            Constraint::Length(w_bom),
        ];
        let table = crate::widgets::selectable_table(body, widths, header, block, theme);
        frame.render_stateful_widget(table, area, &mut self.table);
        if self.rows.is_empty()
            && self.loaded
            && self.loading.is_none()
            && self.load_error.is_none()
        {
            let msg = Rect::new(
                inner.x.saturating_add(2).min(inner.right()),
                inner.y,
                inner.width.saturating_sub(2),
                inner.height,
            );
            frame.render_widget(
                Paragraph::new("No builds are waiting for parts."),
                row(msg, 2),
            );
        }
    }

    fn view_info(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let width = usize::from(area.width.saturating_sub(1));
        let first = if let Some(e) = self.load_error.as_ref() {
            Line::from(Span::styled(
                fit_text(&format!(" ERROR: {e} Refresh (F5) to try again."), width),
                theme.error,
            ))
        } else if let Some(r) = self.selected() {
            let next = match r.next_status() {
                Some(OrderStatus::PartsSent) if r.draft_version().is_some() || r.bom.is_none() => {
                    "next: PARTS_SENT once the BOM is approved"
                }
                Some(OrderStatus::PartsSent) => "next: m sends the parts (PARTS_SENT)",
                Some(OrderStatus::ReadyForPreQc) => {
                    "next: READY_FOR_PRE_QC when the sink body arrives"
                }
                _ => "",
            };
            Line::from(vec![
                Span::styled(" ▶ ", theme.focus),
                Span::styled(
                    fit_text(
                        &format!(
                            "{} · {} · BOM {} · {next}",
                            r.order.build_number,
                            fit_text(&r.order.customer_name, 28),
                            r.bom_label()
                        ),
                        width.saturating_sub(3),
                    ),
                    theme.base,
                ),
            ])
        } else {
            Line::from("")
        };
        let second = match &self.notice {
            Some(n) => Line::from(Span::styled(
                fit_text(&format!(" ERROR: {n}"), width),
                theme.error,
            )),
            None => Line::from(""),
        };
        frame.render_widget(Paragraph::new(vec![first, second]), area);
    }

    fn view_dialog(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let busy = self.writing.is_some().then_some("… Saving, please wait");
        match &mut self.mode {
            Mode::Browse => {}
            Mode::ConfirmBom {
                target,
                version,
                error,
            } => {
                let mut lines = vec![
                    format!("Approve BOM version {version} of {}?", target.build),
                    format!("{} can then move to PARTS_SENT.", target.build),
                ];
                if let Some(b) = busy {
                    lines.push(b.to_string());
                } else if let Some(e) = error {
                    lines.push(format!("ERROR: {e}"));
                }
                confirm::render(
                    frame,
                    area,
                    "Approve BOM",
                    &lines,
                    &self.confirm_keys,
                    theme,
                );
            }
            Mode::Move {
                target,
                to,
                form,
                error,
            } => {
                dim(frame, area, theme);
                let inner = dialog(frame, centered(area, 80, 10), "Move status", theme);
                let why = match to {
                    OrderStatus::PartsSent => "The parts for this build have been sent.",
                    OrderStatus::ReadyForPreQc => "The sink body has arrived; Pre-QC is next.",
                    _ => "",
                };
                frame.render_widget(
                    Paragraph::new(format!(
                        "Move {} from {} to {to}?",
                        target.build, target.from
                    )),
                    row(inner, 1),
                );
                frame.render_widget(
                    Paragraph::new(Span::styled(why, theme.muted)),
                    row(inner, 2),
                );
                form.render(frame, rows(inner, 4, form.height()), theme);
                request_status(frame, rows(inner, 7, 1), busy, error.as_deref(), theme);
            }
        }
    }
}

/// Days to the want date with the queue's marker (`-3 OVERDUE`, `5 due soon`), so it reads without colour.
fn days_cell(r: &DeskRow) -> String {
    match due_marker(&r.order) {
        Some(marker) => format!("{} {marker}", r.order.days_left),
        None => r.order.days_left.to_string(),
    }
}
