//! One service order as procurement processes it: approve (quantities may be reduced, 0 removes a line),
//! reject with a reason, mark an approved order fulfilled. PC and finished orders are read-only.
//!
//! Each decision's reply is the order as stored after it, which replaces what is shown. When another
//! station decided first the server refuses with a conflict: the dialog closes, the message stays and the
//! order is loaded again. Any other refusal keeps the dialog and what was typed.

mod approval;

pub use approval::{AT_LEAST_ONE, Approval, ApprovalLine, bound_message};

use crate::db::DbError;
use crate::domain::Role;
use crate::domain::service_order::{MAX_REASON, ServiceOrderStatus, ServiceOrderView};
use crate::keymap::{Action, KeyContext};
use crate::msg::{Command, DbReply, Reply, Request, RequestId};
use crate::screens::{Ctx, Effect, ScreenId, ScreenMsg};
use crate::theme::Theme;
use crate::widgets::form_field::{Form, FormField};
use crate::widgets::toast::Toast;
use crate::widgets::{Scroll, draw_loading, error_lines, scrolled_panel, wrap};
use crate::widgets::{centered, dialog, dim, fit_text, inset, panel, request_status, row, rows};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use uuid::Uuid;

/// Longest note a decision takes (the requester's log and the internal notes).
pub const MAX_NOTE: usize = MAX_REASON;
/// `A rejection reason is required`.
pub const REASON_REQUIRED: &str = "A rejection reason is required";
/// Lines the approval dialog shows at once; more scroll with the focus.
const DIALOG_LINES: usize = 8;

fn note_field(label: &str, hint: &str) -> FormField {
    FormField::text(label)
        .with_max_len(MAX_NOTE)
        .with_hint(hint.to_string())
}

/// `None` for blank text, else the text trimmed.
fn optional(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_string())
}

enum Mode {
    Browse,
    /// `focus` runs over the lines, then the note and the internal note.
    Approve {
        approval: Approval,
        notes: Form,
        focus: usize,
        error: Option<String>,
    },
    Reject {
        form: Form,
        error: Option<String>,
    },
    Fulfil {
        form: Form,
        error: Option<String>,
    },
}

/// The keys of the actions, as the keymap has them, for the actions line.
struct ActionKeys {
    approve: String,
    reject: String,
    fulfil: String,
}

pub struct ServiceOrderScreen {
    id: Uuid,
    order: Option<Box<ServiceOrderView>>,
    loading: Option<RequestId>,
    load_error: Option<String>,
    /// The server's answer to a decision that lost a race, shown until the user acts again.
    notice: Option<String>,
    writing: Option<RequestId>,
    mode: Mode,
    role: Option<Role>,
    keys: ActionKeys,
    scroll: Scroll,
}

impl ServiceOrderScreen {
    pub fn open(id: Uuid, ctx: &mut Ctx) -> (ServiceOrderScreen, Command) {
        let km = ctx.keymap();
        let keys = ActionKeys {
            approve: km.key_label(KeyContext::ServiceOrderPending, Action::ApproveOrder),
            reject: km.key_label(KeyContext::ServiceOrderPending, Action::RejectOrder),
            fulfil: km.key_label(KeyContext::ServiceOrderApproved, Action::FulfilOrder),
        };
        let mut s = ServiceOrderScreen {
            id,
            order: None,
            loading: None,
            load_error: None,
            notice: None,
            writing: None,
            mode: Mode::Browse,
            role: ctx.session().map(|s| s.user.role),
            keys,
            scroll: Scroll {
                page: 10,
                ..Scroll::default()
            },
        };
        let cmd = s.reload(ctx);
        (s, cmd)
    }

    pub fn id(&self) -> Uuid {
        self.id
    }

    pub fn title(&self) -> &'static str {
        "Service order"
    }

    pub fn order(&self) -> Option<&ServiceOrderView> {
        self.order.as_deref()
    }

    /// The message of the last decision that lost a race, while it is shown.
    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    /// The approval being edited, when that dialog is open.
    pub fn approval(&self) -> Option<&Approval> {
        match &self.mode {
            Mode::Approve { approval, .. } => Some(approval),
            _ => None,
        }
    }

    /// The open dialog's error line (a refusal from the server, or the reason check).
    pub fn dialog_error(&self) -> Option<&str> {
        match &self.mode {
            Mode::Approve { error, .. }
            | Mode::Reject { error, .. }
            | Mode::Fulfil { error, .. } => error.as_deref(),
            Mode::Browse => None,
        }
    }

    /// The open dialog's field messages, in order (e.g. the missing reason).
    pub fn field_errors(&self) -> Vec<String> {
        let form = match &self.mode {
            Mode::Approve { notes, .. } => notes,
            Mode::Reject { form, .. } | Mode::Fulfil { form, .. } => form,
            Mode::Browse => return Vec::new(),
        };
        (0..form.len())
            .filter_map(|i| form.field(i).and_then(FormField::error).map(str::to_string))
            .collect()
    }

    pub fn is_dialog_open(&self) -> bool {
        !matches!(self.mode, Mode::Browse)
    }

    pub fn has_unsaved_input(&self) -> bool {
        match &self.mode {
            Mode::Browse => false,
            Mode::Approve {
                approval, notes, ..
            } => approval.changed() || notes.has_input(),
            Mode::Reject { form, .. } | Mode::Fulfil { form, .. } => form.has_input(),
        }
    }

    /// PROCUREMENT_SPECIALIST and ADMIN decide; the service checks the role again.
    fn may_process(&self) -> bool {
        matches!(self.role, Some(Role::ProcurementSpecialist | Role::Admin))
    }

    fn status(&self) -> Option<ServiceOrderStatus> {
        self.order.as_ref().map(|o| o.summary.status)
    }

    fn offers(&self, status: ServiceOrderStatus) -> bool {
        self.may_process() && self.status() == Some(status)
    }

    pub fn key_contexts(&self) -> Vec<KeyContext> {
        match &self.mode {
            Mode::Browse => {
                let mut stack = Vec::new();
                if self.offers(ServiceOrderStatus::Pending) {
                    stack.push(KeyContext::ServiceOrderPending);
                }
                if self.offers(ServiceOrderStatus::Approved) {
                    stack.push(KeyContext::ServiceOrderApproved);
                }
                stack.extend([KeyContext::ServiceOrderView, KeyContext::List]);
                stack
            }
            // Every spot of the approval takes typed keys: digits and +/- on a line, text in a note.
            Mode::Approve { .. } => {
                vec![KeyContext::TextInput, KeyContext::Form, KeyContext::Dialog]
            }
            Mode::Reject { form, .. } | Mode::Fulfil { form, .. } => {
                let mut stack = form.key_contexts();
                stack.push(KeyContext::Dialog);
                stack
            }
        }
    }

    fn reload(&mut self, ctx: &mut Ctx) -> Command {
        let Some(token) = ctx.token() else {
            return Command::None;
        };
        let (rid, cmd) = ctx.request(Request::ServiceOrder { token, id: self.id });
        self.loading = Some(rid);
        cmd
    }

    pub fn update(&mut self, msg: ScreenMsg, ctx: &mut Ctx) -> Command {
        match msg {
            ScreenMsg::Char(c) => {
                self.on_char(c);
                Command::None
            }
            ScreenMsg::Paste(text) => {
                match &mut self.mode {
                    Mode::Approve {
                        approval,
                        notes,
                        focus,
                        ..
                    } => {
                        if *focus < approval.lines.len() {
                            for c in text.trim().chars() {
                                approval.type_digit(*focus, c);
                            }
                        } else {
                            notes.paste(&text);
                        }
                    }
                    Mode::Reject { form, .. } | Mode::Fulfil { form, .. } => {
                        form.paste(&text);
                    }
                    Mode::Browse => {}
                }
                Command::None
            }
            ScreenMsg::Action(action) => self.on_action(action, ctx),
            ScreenMsg::Db(reply) => self.on_reply(reply, ctx),
            ScreenMsg::Tick(_) => Command::None,
        }
    }

    fn on_char(&mut self, c: char) {
        match &mut self.mode {
            Mode::Approve {
                approval,
                notes,
                focus,
                ..
            } => {
                let i = *focus;
                if i < approval.lines.len() {
                    match c {
                        '+' => approval.increase(i),
                        '-' => approval.decrease(i),
                        c => approval.type_digit(i, c),
                    }
                } else {
                    notes.type_char(c);
                }
            }
            Mode::Reject { form, .. } | Mode::Fulfil { form, .. } => {
                form.type_char(c);
            }
            Mode::Browse => {}
        }
    }

    fn on_action(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        if matches!(self.mode, Mode::Browse) {
            return self.on_browse(action, ctx);
        }
        match action {
            // A decision already sent still finishes; its reply replaces the order.
            Action::Cancel => {
                self.mode = Mode::Browse;
                Command::None
            }
            Action::Submit => self.submit(ctx),
            other => {
                self.on_edit(other);
                Command::None
            }
        }
    }

    fn on_edit(&mut self, action: Action) {
        match &mut self.mode {
            Mode::Approve {
                approval,
                notes,
                focus,
                ..
            } => {
                let n = approval.lines.len();
                let total = n + notes.len();
                match action {
                    Action::NextField => *focus = (*focus + 1) % total.max(1),
                    Action::PrevField => *focus = (*focus + total.max(1) - 1) % total.max(1),
                    Action::CursorRight if *focus < n => approval.increase(*focus),
                    Action::CursorLeft if *focus < n => approval.decrease(*focus),
                    Action::DeleteBack if *focus < n => approval.delete_back(*focus),
                    Action::ClearField if *focus < n => approval.clear(*focus),
                    other if *focus >= n => {
                        notes.handle(other);
                    }
                    _ => {}
                }
                if matches!(action, Action::NextField | Action::PrevField) {
                    if *focus < n {
                        approval.focus(*focus);
                    } else {
                        notes.set_focus(*focus - n);
                    }
                }
            }
            Mode::Reject { form, .. } | Mode::Fulfil { form, .. } => {
                form.handle(action);
            }
            Mode::Browse => {}
        }
    }

    fn on_browse(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        if self.scroll.apply(action) {
            return Command::None;
        }
        match action {
            Action::Back => ctx.emit(Effect::Back(ScreenId::ServiceQueue)),
            Action::Refresh => {
                self.notice = None;
                return self.reload(ctx);
            }
            Action::ApproveOrder if self.offers(ServiceOrderStatus::Pending) => {
                let Some(order) = self.order.as_deref() else {
                    return Command::None;
                };
                self.notice = None;
                self.mode = Mode::Approve {
                    approval: Approval::new(&order.lines),
                    notes: Form::new(vec![
                        note_field("Note", "Optional; the requester sees it"),
                        note_field("Internal note", "Optional; procurement only"),
                    ])
                    .with_input_width(56),
                    focus: 0,
                    error: None,
                };
            }
            Action::RejectOrder if self.offers(ServiceOrderStatus::Pending) => {
                self.notice = None;
                self.mode = Mode::Reject {
                    form: Form::new(vec![
                        note_field(
                            "Reason",
                            &format!("Required, 1-{MAX_REASON} characters; the requester sees it"),
                        ),
                        note_field("Internal note", "Optional; procurement only"),
                    ])
                    .with_input_width(56),
                    error: None,
                };
            }
            Action::FulfilOrder if self.offers(ServiceOrderStatus::Approved) => {
                self.notice = None;
                self.mode = Mode::Fulfil {
                    form: Form::new(vec![
                        note_field("Note", "Optional; the requester sees it"),
                        note_field("Internal note", "Optional; procurement only"),
                    ])
                    .with_input_width(56),
                    error: None,
                };
            }
            _ => {}
        }
        Command::None
    }

    /// Enter moves to the next spot; on the last one it checks the input and sends the decision.
    fn submit(&mut self, ctx: &mut Ctx) -> Command {
        if self.writing.is_some() {
            return Command::None;
        }
        let Some(token) = ctx.token() else {
            return Command::None;
        };
        let id = self.id;
        let request = match &mut self.mode {
            Mode::Browse => return Command::None,
            Mode::Approve {
                approval,
                notes,
                focus,
                ..
            } => {
                let n = approval.lines.len();
                if *focus + 1 < n + notes.len() {
                    *focus += 1;
                    if *focus < n {
                        approval.focus(*focus);
                    } else {
                        notes.set_focus(*focus - n);
                    }
                    return Command::None;
                }
                match approval.validate() {
                    Ok(lines) => Request::ApproveServiceOrder {
                        token,
                        id,
                        lines,
                        note: optional(&notes.value(0)),
                        internal_note: optional(&notes.value(1)),
                    },
                    Err(line) => {
                        // Focus the line to fix; for the order as a whole the first line.
                        *focus = line.unwrap_or(0);
                        approval.focus(*focus);
                        return Command::None;
                    }
                }
            }
            Mode::Reject { form, .. } => {
                if !form.is_last() {
                    form.next();
                    return Command::None;
                }
                let Some(reason) = optional(&form.value(0)) else {
                    form.set_error(0, REASON_REQUIRED);
                    form.set_focus(0);
                    return Command::None;
                };
                if reason.chars().count() > MAX_REASON {
                    form.set_error(0, format!("The reason is at most {MAX_REASON} characters"));
                    form.set_focus(0);
                    return Command::None;
                }
                Request::RejectServiceOrder {
                    token,
                    id,
                    reason,
                    internal_note: optional(&form.value(1)),
                }
            }
            Mode::Fulfil { form, .. } => {
                if !form.is_last() {
                    form.next();
                    return Command::None;
                }
                Request::FulfilServiceOrder {
                    token,
                    id,
                    note: optional(&form.value(0)),
                    internal_note: optional(&form.value(1)),
                }
            }
        };
        let (rid, cmd) = ctx.request(request);
        self.writing = Some(rid);
        cmd
    }

    fn on_reply(&mut self, reply: DbReply, ctx: &mut Ctx) -> Command {
        if self.loading == Some(reply.id) {
            self.loading = None;
            match reply.result {
                Ok(Reply::ServiceOrder(order)) => {
                    self.load_error = None;
                    self.order = Some(order);
                }
                Ok(_) => {}
                Err(e) => self.load_error = Some(e.user_message()),
            }
            return Command::None;
        }
        if self.writing != Some(reply.id) {
            return Command::None;
        }
        self.writing = None;
        match reply.result {
            Ok(Reply::ServiceOrder(order)) => {
                ctx.toast(Toast::info(format!(
                    "{} {}",
                    order.summary.number, order.summary.status
                )));
                self.order = Some(order);
                self.mode = Mode::Browse;
                self.notice = None;
                Command::None
            }
            Ok(_) => Command::None,
            // Another station decided first: what the user typed no longer applies.
            Err(e @ DbError::Conflict(_)) => {
                self.mode = Mode::Browse;
                self.notice = Some(e.user_message());
                self.reload(ctx)
            }
            // Nothing was decided: keep the dialog and what was typed, so the user can try again.
            Err(e) => {
                let text = e.user_message();
                match &mut self.mode {
                    Mode::Approve { error, .. }
                    | Mode::Reject { error, .. }
                    | Mode::Fulfil { error, .. } => *error = Some(text),
                    Mode::Browse => ctx.toast(Toast::error(text)),
                }
                Command::None
            }
        }
    }

    pub fn view(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        if area.height < 3 || area.width < 20 {
            return;
        }
        let Some(order) = self.order.as_deref() else {
            self.view_placeholder(frame, area, theme);
            return;
        };
        let mut title = format!("Service order {}", order.summary.number);
        if self.loading.is_some() {
            title.push_str(" (refreshing…)");
        }
        let block = panel(&title, theme);
        let inner = inset(block.inner(area), 1);
        let width = usize::from(inner.width);

        let mut top = header_lines(order, theme);
        top.push(self.action_line(theme));
        if let Some(text) = self.notice.as_ref().or(self.load_error.as_ref()) {
            top.extend(error_lines(text, width, theme));
        }
        let body = body_lines(order, width, theme);
        scrolled_panel(
            frame,
            area,
            block,
            inner,
            top,
            body,
            &mut self.scroll,
            theme,
        );
        self.view_dialog(frame, area, theme);
    }

    fn view_placeholder(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let block = panel("Service order", theme);
        let inner = inset(block.inner(area), 1);
        frame.render_widget(block, area);
        draw_loading(
            frame,
            inner,
            self.load_error.as_deref(),
            "… Loading service order",
            theme,
        );
    }

    fn action_line(&self, theme: &Theme) -> Line<'static> {
        let mut spans = vec![Span::styled(format!("{:<LW$}", "Actions"), theme.muted)];
        let items: Vec<(&str, &str)> = if self.offers(ServiceOrderStatus::Pending) {
            vec![
                (self.keys.approve.as_str(), "Approve"),
                (self.keys.reject.as_str(), "Reject"),
            ]
        } else if self.offers(ServiceOrderStatus::Approved) {
            vec![(self.keys.fulfil.as_str(), "Mark fulfilled")]
        } else {
            Vec::new()
        };
        if items.is_empty() {
            let why = if self.may_process() {
                "none in this status (read-only)"
            } else {
                "none for you (read-only)"
            };
            spans.push(Span::styled(why, theme.muted));
        }
        for (i, (key, text)) in items.into_iter().enumerate() {
            if i > 0 {
                spans.push(Span::styled(" · ", theme.muted));
            }
            spans.push(Span::styled(key.to_string(), theme.key_hint));
            spans.push(Span::raw(format!(" {text}")));
        }
        Line::from(spans)
    }

    fn view_dialog(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let busy = self.writing.is_some().then_some("… Saving, please wait");
        let Some(order) = self.order.as_deref() else {
            return;
        };
        let who = format!(
            "{} from {}",
            order.summary.number, order.summary.requested_by
        );
        match &mut self.mode {
            Mode::Browse => {}
            Mode::Approve {
                approval,
                notes,
                focus,
                error,
            } => {
                dim(frame, area, theme);
                let shown = approval.lines.len().clamp(1, DIALOG_LINES);
                let shown_h = u16::try_from(shown).unwrap_or(1);
                let inner = dialog(
                    frame,
                    centered(area, 92, 13 + shown_h),
                    "Approve service order",
                    theme,
                );
                frame.render_widget(Paragraph::new(format!("Approve {who}?")), row(inner, 0));
                frame.render_widget(
                    Paragraph::new(Span::styled(
                        "+/- or ←/→ change a line's quantity, digits type it; 0 removes the line.",
                        theme.muted,
                    )),
                    row(inner, 1),
                );
                approval_table(
                    frame,
                    rows(inner, 3, shown_h + 1),
                    approval,
                    *focus,
                    shown,
                    theme,
                );
                // The message under the table: the focused line's, else the first one, else the order's.
                let message = approval
                    .lines
                    .get(*focus)
                    .and_then(|l| l.error.clone())
                    .or_else(|| approval.lines.iter().find_map(|l| l.error.clone()))
                    .or_else(|| approval.error.clone());
                if let Some(m) = message {
                    frame.render_widget(
                        Paragraph::new(Span::styled(format!("✖ {m}"), theme.error)),
                        row(inner, 4 + shown_h),
                    );
                }
                let n = approval.lines.len();
                let form_at = 6 + shown_h;
                let (lw, iw) = (notes.label_width, notes.input_width);
                for i in 0..notes.len() {
                    let y = form_at + u16::try_from(i * 2).unwrap_or(0);
                    if let Some(f) = notes.field_mut(i) {
                        f.render(frame, row(inner, y), theme, *focus == n + i, lw, iw);
                        f.render_message(frame, row(inner, y + 1), theme, 4);
                    }
                }
                request_status(
                    frame,
                    row(inner, form_at + notes.height()),
                    busy,
                    error.as_deref(),
                    theme,
                );
            }
            Mode::Reject { form, error } => {
                dim(frame, area, theme);
                let inner = dialog(frame, centered(area, 92, 10), "Reject service order", theme);
                frame.render_widget(Paragraph::new(format!("Reject {who}?")), row(inner, 0));
                frame.render_widget(
                    Paragraph::new(Span::styled(
                        "The reason goes into the notes the requester sees; the decision is final.",
                        theme.muted,
                    )),
                    row(inner, 1),
                );
                form.render(frame, rows(inner, 3, form.height()), theme);
                request_status(
                    frame,
                    row(inner, 3 + form.height()),
                    busy,
                    error.as_deref(),
                    theme,
                );
            }
            Mode::Fulfil { form, error } => {
                dim(frame, area, theme);
                let inner = dialog(frame, centered(area, 92, 10), "Mark fulfilled", theme);
                frame.render_widget(
                    Paragraph::new(format!("Mark {who} FULFILLED?")),
                    row(inner, 0),
                );
                frame.render_widget(
                    Paragraph::new(Span::styled(
                        "The approved parts were handed over or shipped; the order is then final.",
                        theme.muted,
                    )),
                    row(inner, 1),
                );
                form.render(frame, rows(inner, 3, form.height()), theme);
                request_status(
                    frame,
                    row(inner, 3 + form.height()),
                    busy,
                    error.as_deref(),
                    theme,
                );
            }
        }
    }
}

/// Label width of the header.
const LW: usize = 14;

fn header_lines(order: &ServiceOrderView, theme: &Theme) -> Vec<Line<'static>> {
    let s = &order.summary;
    let when = |t: Option<chrono::NaiveDateTime>| {
        t.map_or_else(
            || "—".to_string(),
            |t| t.format("%Y-%m-%d %H:%M").to_string(),
        )
    };
    let processed = match &s.processed_by {
        Some(name) => format!("{name} · {}", when(s.processed_at)),
        None => "— not yet".to_string(),
    };
    let pair = |l: &str, v: String, style: Style| {
        vec![
            Span::styled(format!("{l:<LW$}"), theme.muted),
            Span::styled(v, style),
        ]
    };
    let mut first = pair("Status", format!("{:<24}", s.status.code()), theme.title);
    first.extend(pair("Requested by", s.requested_by.clone(), theme.base));
    let mut second = pair(
        "Requested at",
        format!("{:<24}", when(s.requested_at)),
        theme.base,
    );
    second.extend(pair("Processed by", processed, theme.base));
    vec![Line::from(first), Line::from(second)]
}

fn body_lines(order: &ServiceOrderView, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let count = order.lines.len();
    out.push(Line::from(Span::styled(
        format!("Lines ({count}, {} in total)", order.summary.total_quantity),
        theme.heading,
    )));
    // Name takes what the fixed columns leave.
    let (w_id, w_type, w_qty) = (24usize, 9usize, 9usize);
    let w_name = width.saturating_sub(w_id + w_type + w_qty + 5).max(10);
    out.push(Line::from(Span::styled(
        format!(
            "  {:<w_id$} {:<w_name$} {:<w_type$} {:>w_qty$}",
            "Part id", "Name", "Type", "Quantity"
        ),
        theme.muted,
    )));
    for l in &order.lines {
        let name = l.name.as_deref().unwrap_or("(not in the catalog)");
        out.push(Line::from(format!(
            "  {:<w_id$} {:<w_name$} {:<w_type$} {:>w_qty$}",
            fit_text(&l.part_id, w_id),
            fit_text(name, w_name),
            l.part_type.code(),
            l.quantity
        )));
    }
    if order.lines.is_empty() {
        out.push(Line::from(Span::styled("  No lines.", theme.muted)));
    }
    let mut section = |title: &str, text: Option<&str>| {
        out.push(Line::default());
        out.push(Line::from(Span::styled(title.to_string(), theme.heading)));
        match text.map(str::trim).filter(|t| !t.is_empty()) {
            Some(t) => {
                for l in wrap(t, width.saturating_sub(2)) {
                    out.push(Line::from(format!("  {l}")));
                }
            }
            None => out.push(Line::from(Span::styled("  —", theme.muted))),
        }
    };
    section("Notes (the requester sees these)", order.notes.as_deref());
    if order.internal_notes.is_some() {
        section(
            "Internal notes (procurement only)",
            order.internal_notes.as_deref(),
        );
    }
    out
}

/// The approval table: header and up to `shown` lines around the focus.
fn approval_table(
    frame: &mut Frame,
    area: Rect,
    approval: &Approval,
    focus: usize,
    shown: usize,
    theme: &Theme,
) {
    let width = usize::from(area.width);
    let (w_id, w_type, w_req, w_app) = (22usize, 9usize, 9usize, 18usize);
    let w_name = width
        .saturating_sub(2 + w_id + w_type + w_req + w_app + 4)
        .max(8);
    frame.render_widget(
        Paragraph::new(Span::styled(
            format!(
                "  {:<w_id$} {:<w_name$} {:<w_type$} {:>w_req$} {}",
                "Part id", "Name", "Type", "Requested", "  Approved"
            ),
            theme.muted,
        )),
        row(area, 0),
    );
    let n = approval.lines.len();
    let first = if focus < n {
        focus.saturating_sub(shown - 1)
    } else {
        0
    };
    for (i, l) in approval.lines.iter().enumerate().skip(first).take(shown) {
        let focused = i == focus;
        let marker = if focused { "▶ " } else { "  " };
        let name = l.name.as_deref().unwrap_or("(not in the catalog)");
        let lead = format!(
            "{marker}{:<w_id$} {:<w_name$} {:<w_type$} {:>w_req$}   ",
            fit_text(&l.part_id, w_id),
            fit_text(name, w_name),
            l.part_type,
            l.requested
        );
        let (input_style, lead_style) = if focused {
            (theme.input_focus, theme.focus)
        } else {
            (theme.input, theme.base)
        };
        let state = match l.quantity() {
            _ if l.error.is_some() => Span::styled(" ✖ check", theme.error),
            Some(0) => Span::styled(" removed", theme.warn),
            Some(q) if q < l.requested => Span::styled(" reduced", theme.warn),
            _ => Span::raw(""),
        };
        let line = Line::from(vec![
            Span::styled(lead, lead_style),
            Span::styled("[", theme.muted),
            Span::styled(format!("{:>4}", l.text()), input_style),
            Span::styled("]", theme.muted),
            state,
        ]);
        let y = u16::try_from(i - first + 1).unwrap_or(0);
        frame.render_widget(Paragraph::new(line), row(area, y));
    }
}
