//! One service order as procurement processes it: approve (quantities may be reduced, 0 removes a line),
//! reject with a reason, mark an approved order fulfilled. PC and finished orders are read-only.
//!
//! Each decision's reply is the order as stored after it, which replaces what is shown. When another
//! station decided first the server refuses with a conflict: the dialog closes, the message stays and the
//! order is loaded again. Any other refusal keeps the dialog and what was typed. Enter on a decision's
//! last field asks a yes/no question naming the order and the decision; only `y` sends it
//! (docs/architecture.md §3.1).

mod approval;
mod live;

mod view;

pub use approval::{AT_LEAST_ONE, Approval, ApprovalLine, bound_message};

use crate::domain::Role;
use crate::domain::live::LiveEvent;
use crate::domain::service_order::change_news;
use crate::domain::service_order::{MAX_REASON, ServiceOrderStatus, ServiceOrderView};
use crate::error::ServiceError;
use crate::keymap::{Action, KeyContext};
use crate::msg::{Command, Reply, Request, ServiceReply};
use crate::screens::Screen;
use crate::screens::live_load::LiveLoad;
use crate::screens::live_reads::LiveReads;
use crate::screens::pending::Pending;
use crate::screens::question::{Answered, Question, quoted};
use crate::screens::{Ctx, Effect, ScreenId};
use crate::theme::Theme;
use crate::widgets::Scroll;
use crate::widgets::form_field::{Form, FormField};
use crate::widgets::toast::Toast;
use ratatui::Frame;
use ratatui::layout::Rect;
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
    loading: Pending,
    load_error: Option<String>,
    /// The server's answer to a decision that lost a race, shown until the user acts again.
    notice: Option<String>,
    writing: Pending,
    mode: Mode,
    role: Option<Role>,
    keys: ActionKeys,
    scroll: Scroll,
    /// The decision waiting for its `y`.
    question: Question,
    /// Re-reads after another station's change (docs/live.md §3.4).
    live: LiveReads,
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
            loading: Pending::new(),
            load_error: None,
            notice: None,
            writing: Pending::new(),
            mode: Mode::Browse,
            role: ctx.session().map(|s| s.user.role),
            keys,
            scroll: Scroll {
                page: 10,
                ..Scroll::default()
            },
            question: Question::new(ctx),
            live: LiveReads::default(),
        };
        let cmd = s.reload(ctx);
        (s, cmd)
    }

    pub fn id(&self) -> Uuid {
        self.id
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

    /// The lines of the yes/no question open over a decision, if any.
    pub fn question(&self) -> Option<&[String]> {
        self.question.is_open().then(|| self.question.lines())
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

    fn reload(&mut self, ctx: &mut Ctx) -> Command {
        self.refresh(ctx)
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
        if self.writing.in_flight() {
            return Command::None;
        }
        let Some(token) = ctx.token() else {
            return Command::None;
        };
        let id = self.id;
        let number = self
            .order
            .as_deref()
            .map(|o| o.summary.number.clone())
            .unwrap_or_default();
        let (request, title, lines) = match &mut self.mode {
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
                    Ok(lines) => {
                        let kept = lines.iter().filter(|l| l.quantity > 0).count();
                        let units: i64 = lines.iter().map(|l| i64::from(l.quantity)).sum();
                        let mut asked = vec![format!(
                            "Approve service order {number}: {kept} of {} lines, {units} units?",
                            lines.len()
                        )];
                        asked.extend(
                            optional(&notes.value(0)).map(|n| format!("Note: {}", quoted(&n))),
                        );
                        asked.push("The requester sees the approval; it cannot be undone.".into());
                        let request = Request::ApproveServiceOrder {
                            token,
                            id,
                            lines,
                            note: optional(&notes.value(0)),
                            internal_note: optional(&notes.value(1)),
                        };
                        (request, "Approve service order", asked)
                    }
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
                let asked = vec![
                    format!("Reject service order {number}?"),
                    format!("Reason: {}", quoted(&reason)),
                    "The requester sees the rejection; it cannot be undone.".into(),
                ];
                let request = Request::RejectServiceOrder {
                    token,
                    id,
                    reason,
                    internal_note: optional(&form.value(1)),
                };
                (request, "Reject service order", asked)
            }
            Mode::Fulfil { form, .. } => {
                if !form.is_last() {
                    form.next();
                    return Command::None;
                }
                let mut asked = vec![format!(
                    "Mark service order {number} fulfilled: the parts were handed over?"
                )];
                asked.extend(optional(&form.value(0)).map(|n| format!("Note: {}", quoted(&n))));
                asked.push("The requester sees it; it cannot be undone.".into());
                let request = Request::FulfilServiceOrder {
                    token,
                    id,
                    note: optional(&form.value(0)),
                    internal_note: optional(&form.value(1)),
                };
                (request, "Fulfil service order", asked)
            }
        };
        self.question.ask(title, lines, request, ());
        Command::None
    }

    fn send(&mut self, request: Request, ctx: &mut Ctx) -> Command {
        if self.writing.in_flight() {
            return Command::None;
        }
        let (rid, cmd) = ctx.request(request);
        self.writing.wait(rid);
        cmd
    }
}

impl Screen for ServiceOrderScreen {
    fn title(&self) -> &'static str {
        "Service order"
    }

    fn key_contexts(&self) -> Vec<KeyContext> {
        if self.question.is_open() {
            return Question::<()>::contexts();
        }
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

    fn has_unsaved_input(&self) -> bool {
        match &self.mode {
            Mode::Browse => false,
            Mode::Approve {
                approval, notes, ..
            } => approval.changed() || notes.has_input(),
            Mode::Reject { form, .. } | Mode::Fulfil { form, .. } => form.has_input(),
        }
    }

    fn on_action(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        match self.question.answer(action) {
            Some(Answered::Send(request, ())) => return self.send(request, ctx),
            Some(Answered::Declined | Answered::Ignored) => return Command::None,
            None => {}
        }
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

    fn on_reply(&mut self, reply: ServiceReply, ctx: &mut Ctx) -> Command {
        let live = self.live_answered(reply.id);
        if self.loading.answered_by(reply.id) {
            match reply.result {
                Ok(Reply::ServiceOrder(order)) => {
                    // Who changed the order shown, from the order read back (docs/live.md §3.4).
                    // An open dialog and what was typed in it stay; a decision no longer open
                    // is refused by the server when it is sent.
                    if let (Some(by), Some(before)) = (&live, &self.order) {
                        let more = **before != *order;
                        if let Some(text) =
                            change_news(&before.summary, Some(&order.summary), more, by)
                        {
                            ctx.toast(Toast::info(text));
                        }
                    }
                    self.load_error = None;
                    self.order = Some(order);
                }
                Ok(_) => {}
                Err(e) => {
                    if let (Some(by), Some(before), ServiceError::NotFound(_)) =
                        (&live, &self.order, &e)
                        && let Some(text) = change_news(&before.summary, None, false, by)
                    {
                        ctx.toast(Toast::info(text));
                    }
                    self.load_error = Some(e.user_message());
                }
            }
            return self.live_next(ctx);
        }
        if live.is_some() {
            return self.live_next(ctx);
        }
        if !self.writing.answered_by(reply.id) {
            return Command::None;
        }
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
            Err(e @ ServiceError::Conflict(_)) => {
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

    fn on_paste(&mut self, text: &str) {
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
                    notes.paste(text);
                }
            }
            Mode::Reject { form, .. } | Mode::Fulfil { form, .. } => {
                form.paste(text);
            }
            Mode::Browse => {}
        }
    }

    fn on_live(&mut self, ev: &LiveEvent, ctx: &mut Ctx) -> Command {
        self.live(ev, ctx)
    }

    /// Keys wait for the order it decides on: none until the first load has answered (docs/architecture.md §3.2).
    fn accepts_keys(&self) -> bool {
        self.order.is_some() || self.load_error.is_some()
    }

    fn view(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        self.draw(frame, area, theme);
    }
}

#[cfg(test)]
mod live_tests;
