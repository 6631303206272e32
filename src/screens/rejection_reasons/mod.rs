//! The rejection reason list (ADMIN, docs/rejection-reasons.md §1.3) and the picker a QC FAIL fills in
//! (§2.1). Adding, editing and retiring each ask a yes/no question naming the reason before anything is
//! sent (docs/architecture.md §3.1); the list is read again when another station changes it.

pub mod picker;
mod view;

use crate::domain::live::{Entity, LiveEvent};
use crate::domain::rejection_reason::{
    ReasonInput, RejectionReason, Severity, parse_sort_order, validate_code, validate_text,
};
use crate::keymap::{Action, KeyContext};
use crate::msg::{Command, Reply, Request, RequestId, ServiceReply};
use crate::screens::pending::Pending;
use crate::screens::question::{Answered, Question};
use crate::screens::selection::{moved, moves};
use crate::screens::{Ctx, Effect, Screen, ScreenId};
use crate::theme::Theme;
use crate::widgets::form_field::{Form, FormField};
use crate::widgets::list_cursor::ListCursor;
use crate::widgets::toast::Toast;
use ratatui::Frame;
use ratatui::layout::Rect;
use uuid::Uuid;

/// The form's fields; an edit has no code field (a code never changes).
const F_TEXT: usize = 0;
const F_SEVERITY: usize = 1;
const F_REWORK: usize = 2;
const F_ORDER: usize = 3;
const F_CODE: usize = 4;

enum Mode {
    Browse,
    /// Adding (`editing` None) or editing a reason.
    Edit {
        editing: Option<RejectionReason>,
        form: Form,
        error: Option<String>,
        pending: Option<RequestId>,
    },
}

pub struct RejectionReasonsScreen {
    reasons: Vec<RejectionReason>,
    table: ListCursor,
    loading: Pending,
    load_error: Option<String>,
    /// Keeps the same reason selected across a reload.
    select_after_load: Option<Uuid>,
    mode: Mode,
    /// A retirement or reactivation sent from the list, and the message its success gives.
    retiring: Pending<String>,
    /// The change waiting for its `y`, with the message its success gives.
    question: Question<String>,
}

fn severity_options() -> Vec<String> {
    Severity::ALL.iter().map(|s| s.code().to_string()).collect()
}

fn reason_form(r: Option<&RejectionReason>) -> Form {
    let mut text = FormField::text("Text")
        .with_max_len(crate::domain::rejection_reason::TEXT_MAX)
        .with_hint("What the inspector found, 1-200 characters");
    let mut order = FormField::text("Sort order")
        .with_max_len(4)
        .with_hint("0-9999; the list is shown in this order");
    let severity = r.map_or(1, |r| {
        Severity::ALL
            .iter()
            .position(|s| *s == r.severity)
            .unwrap_or(1)
    });
    let rework = usize::from(!r.is_none_or(|r| r.rework_required));
    if let Some(r) = r {
        text.set_value(&r.text);
        order.set_value(&r.sort_order.to_string());
    }
    let mut fields = vec![
        text,
        FormField::choice("Severity", severity_options(), severity),
        FormField::choice("Rework needed", vec!["yes".into(), "no".into()], rework),
        order,
    ];
    if r.is_none() {
        fields.push(
            FormField::text("Code")
                .with_max_len(crate::domain::rejection_reason::CODE_MAX)
                .with_hint("A-Z 0-9 _ -; never changes once added"),
        );
    }
    Form::new(fields).with_input_width(48)
}

/// Checks the form with the domain rules, marking each bad field; the input when all is well.
fn validate_form(form: &mut Form, new: bool) -> Option<ReasonInput> {
    form.clear_errors();
    let text = validate_text(&form.value(F_TEXT));
    let order = parse_sort_order(&form.value(F_ORDER));
    let code = if new {
        validate_code(&form.value(F_CODE))
    } else {
        Ok(String::new())
    };
    for (i, r) in [
        (F_TEXT, text.as_ref().err()),
        (F_ORDER, order.as_ref().err()),
        (F_CODE, code.as_ref().err()),
    ] {
        if let Some(e) = r {
            form.set_error(i, e.clone());
        }
    }
    if let Some(i) = form.first_error() {
        form.set_focus(i);
        return None;
    }
    let severity = form
        .field(F_SEVERITY)
        .and_then(FormField::choice_index)
        .and_then(|i| Severity::ALL.get(i).copied())?;
    let rework_required = form.field(F_REWORK).and_then(FormField::choice_index) == Some(0);
    Some(ReasonInput {
        code: code.ok()?,
        text: text.ok()?,
        severity,
        rework_required,
        sort_order: order.ok()?,
    })
}

impl RejectionReasonsScreen {
    /// The screen with its first read of the whole list.
    pub fn open(ctx: &mut Ctx) -> (RejectionReasonsScreen, Command) {
        let mut s = RejectionReasonsScreen {
            reasons: Vec::new(),
            table: ListCursor::default(),
            loading: Pending::new(),
            load_error: None,
            select_after_load: None,
            mode: Mode::Browse,
            retiring: Pending::new(),
            question: Question::new(ctx),
        };
        let cmd = s.reload(ctx);
        (s, cmd)
    }

    pub fn reasons(&self) -> &[RejectionReason] {
        &self.reasons
    }

    pub fn selected(&self) -> Option<&RejectionReason> {
        self.table.selected().and_then(|i| self.reasons.get(i))
    }

    /// The lines of the open yes/no question, if any.
    pub fn question(&self) -> Option<&[String]> {
        self.question.is_open().then(|| self.question.lines())
    }

    fn reload(&mut self, ctx: &mut Ctx) -> Command {
        let Some(token) = ctx.token() else {
            return Command::None;
        };
        if self.select_after_load.is_none() {
            self.select_after_load = self.selected().map(|r| r.id);
        }
        self.loading.begin(
            ctx,
            Request::RejectionReasons {
                token,
                active_only: false,
            },
            (),
        )
    }

    fn take_list(&mut self, list: Vec<RejectionReason>) {
        self.load_error = None;
        self.reasons = list;
        let keep = self.select_after_load.take();
        let idx = keep
            .and_then(|id| self.reasons.iter().position(|r| r.id == id))
            .or_else(|| self.table.selected())
            .unwrap_or(0);
        self.table.select(if self.reasons.is_empty() {
            None
        } else {
            Some(idx.min(self.reasons.len() - 1))
        });
    }

    fn on_browse(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        match action {
            action if moves(action) => {
                let n = self.reasons.len();
                if n > 0 {
                    let cur = self.table.selected().unwrap_or(0);
                    self.table.select(Some(moved(cur, n, action)));
                }
            }
            Action::Back => ctx.emit(Effect::Navigate(ScreenId::Home)),
            Action::Refresh => return self.reload(ctx),
            Action::NewReason => {
                self.mode = Mode::Edit {
                    editing: None,
                    form: reason_form(None),
                    error: None,
                    pending: None,
                };
            }
            Action::EditReason | Action::RetireReason => {
                let Some(r) = self.selected().cloned() else {
                    ctx.toast(Toast::error("No rejection reason selected"));
                    return Command::None;
                };
                if action == Action::EditReason {
                    self.mode = Mode::Edit {
                        form: reason_form(Some(&r)),
                        editing: Some(r),
                        error: None,
                        pending: None,
                    };
                    return Command::None;
                }
                let Some(token) = ctx.token() else {
                    return Command::None;
                };
                let (title, lines, done) = if r.is_active {
                    (
                        "Retire rejection reason",
                        vec![
                            format!("Retire {} ({})?", r.code, r.text),
                            "Inspectors no longer pick it; results that name it keep it."
                                .to_string(),
                        ],
                        format!("{} retired", r.code),
                    )
                } else {
                    (
                        "Reactivate rejection reason",
                        vec![
                            format!("Reactivate {} ({})?", r.code, r.text),
                            "Inspectors may pick it again.".to_string(),
                        ],
                        format!("{} reactivated", r.code),
                    )
                };
                let request = Request::SetRejectionReasonActive {
                    token,
                    id: r.id,
                    active: !r.is_active,
                };
                self.select_after_load = Some(r.id);
                self.question.ask(title, lines, request, done);
            }
            _ => {}
        }
        Command::None
    }

    /// Enter in the form: the next field, or on the last one the question that holds the save.
    fn submit(&mut self, ctx: &mut Ctx) {
        let Some(token) = ctx.token() else {
            return;
        };
        let Mode::Edit {
            editing,
            form,
            pending: None,
            ..
        } = &mut self.mode
        else {
            return;
        };
        if !form.is_last() {
            form.next();
            return;
        }
        let Some(mut input) = validate_form(form, editing.is_none()) else {
            return;
        };
        let (title, line, done) = match editing {
            None => (
                "Add rejection reason",
                format!(
                    "Add {} ({}, {}): {}?",
                    input.code,
                    input.severity.code(),
                    if input.rework_required {
                        "rework"
                    } else {
                        "no rework"
                    },
                    input.text
                ),
                format!("{} added", input.code),
            ),
            Some(r) => {
                input.code = r.code.clone();
                (
                    "Edit rejection reason",
                    format!("Save the changes to {}?", r.code),
                    format!("{} saved", r.code),
                )
            }
        };
        let lines = vec![
            line,
            "Every station's inspectors see the change at once.".to_string(),
        ];
        let request = Request::SaveRejectionReason {
            token,
            id: editing.as_ref().map(|r| r.id),
            input,
        };
        self.question.ask(title, lines, request, done);
    }

    fn send(&mut self, request: Request, done: String, ctx: &mut Ctx) -> Command {
        match &mut self.mode {
            Mode::Edit { pending, error, .. } => {
                let (id, cmd) = ctx.request(request);
                *pending = Some(id);
                *error = None;
                self.retiring.wait_for(id, done);
                cmd
            }
            Mode::Browse => self.retiring.begin(ctx, request, done),
        }
    }
}

impl Screen for RejectionReasonsScreen {
    fn title(&self) -> &'static str {
        match &self.mode {
            Mode::Edit { editing: None, .. } => "Rejection reasons › New reason",
            Mode::Edit { .. } => "Rejection reasons › Edit reason",
            Mode::Browse => "Rejection reasons",
        }
    }

    fn key_contexts(&self) -> Vec<KeyContext> {
        if self.question.is_open() {
            return Question::<()>::contexts();
        }
        match &self.mode {
            Mode::Browse => vec![KeyContext::RejectionReasons, KeyContext::List],
            Mode::Edit { form, .. } => {
                let mut stack = form.key_contexts();
                stack.push(KeyContext::Dialog);
                stack
            }
        }
    }

    fn has_unsaved_input(&self) -> bool {
        matches!(&self.mode, Mode::Edit { form, .. } if form.has_input())
    }

    fn on_live(&mut self, ev: &LiveEvent, ctx: &mut Ctx) -> Command {
        if !ev.touches(Entity::RejectionReason) || self.loading.in_flight() {
            return Command::None;
        }
        self.reload(ctx)
    }

    fn on_action(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        match self.question.answer(action) {
            Some(Answered::Send(request, done)) => return self.send(request, done, ctx),
            Some(Answered::Declined | Answered::Ignored) => return Command::None,
            None => {}
        }
        if matches!(self.mode, Mode::Browse) {
            return self.on_browse(action, ctx);
        }
        match action {
            Action::Cancel => {
                self.mode = Mode::Browse;
                Command::None
            }
            Action::Submit => {
                self.submit(ctx);
                Command::None
            }
            other => {
                if let Mode::Edit { form, .. } = &mut self.mode {
                    form.handle(other);
                }
                Command::None
            }
        }
    }

    fn on_reply(&mut self, reply: ServiceReply, ctx: &mut Ctx) -> Command {
        if self.loading.answered_by(reply.id) {
            match reply.result {
                Ok(Reply::RejectionReasons(list)) => self.take_list(list),
                Ok(_) => {}
                Err(e) => self.load_error = Some(e.user_message()),
            }
            return Command::None;
        }
        let Some(done) = self.retiring.take(reply.id) else {
            return Command::None;
        };
        if let Mode::Edit { pending, .. } = &mut self.mode {
            *pending = None;
        }
        match reply.result {
            Ok(Reply::RejectionReasons(list)) => {
                if let Mode::Edit {
                    editing: None,
                    form,
                    ..
                } = &self.mode
                {
                    let code = form.value(F_CODE);
                    self.select_after_load =
                        list.iter().find(|r| r.code == code.trim()).map(|r| r.id);
                } else if let Mode::Edit {
                    editing: Some(r), ..
                } = &self.mode
                {
                    self.select_after_load = Some(r.id);
                }
                self.mode = Mode::Browse;
                self.take_list(list);
                ctx.toast(Toast::info(done));
            }
            Ok(_) => {}
            Err(e) => match &mut self.mode {
                Mode::Edit { error, .. } => *error = Some(e.user_message()),
                Mode::Browse => ctx.toast(Toast::error(e.user_message())),
            },
        }
        Command::None
    }

    fn text_form(&mut self) -> Option<&mut Form> {
        if self.question.is_open() {
            return None;
        }
        match &mut self.mode {
            Mode::Edit { form, .. } => Some(form),
            Mode::Browse => None,
        }
    }

    /// Keys wait for the list they act on (docs/architecture.md §3.2).
    fn accepts_keys(&self) -> bool {
        !self.loading.in_flight() || !self.reasons.is_empty() || self.load_error.is_some()
    }

    fn view(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        self.draw(frame, area, theme);
    }
}

#[cfg(test)]
mod tests;
