//! The build detail's correction and cancel dialogs (docs/lifecycle.md §11.4, §12.4).
//!
//! Correcting: the want date, project name, sales person and notes come prefilled with the stored
//! values, and a reason is typed. Enter checks the input with the wizard's rules and lists the changes
//! (`Want date 2026-12-10 -> 2026-12-20`) in a question; only `y` saves them. Cancelling: a reason, then
//! the question naming the build. A refusal (a past want date, another station's correction, a build
//! that moved on) shows in the dialog with everything typed kept.

use super::{Mode, OrderDetailScreen};
use crate::domain::correction::{
    self, Correctable, CorrectionField, CorrectionRequest, MAX_REASON, NOTHING_CHANGED,
};
use crate::domain::order::{OrderAction, OrderStatus};
use crate::domain::order_rules::{MAX_NOTES, parse_want_date};
use crate::keymap::{Action, KeyContext};
use crate::msg::{Command, Request, ServiceReply};
use crate::screens::Ctx;
use crate::screens::hold_dialog::HoldStep;
use crate::screens::pending::Pending;
use crate::screens::question::{
    Answered, FormDialogText, Question, dialog_contexts, quoted, render_form_dialog,
};
use crate::theme::Theme;
use crate::widgets::fit_text;
use crate::widgets::form_field::{Form, FormField};
use crate::widgets::toast::Toast;
use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;
use uuid::Uuid;

/// What the dialog does.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    /// Correct the values the user saw.
    Correct(Correctable),
    /// Cancel the build, which the user saw in this status.
    Cancel(OrderStatus),
}

pub struct CorrectionDialog {
    kind: Kind,
    order_id: Uuid,
    build: String,
    form: Form,
    error: Option<String>,
    writing: Pending,
    question: Question<()>,
}

/// The form's field of each correctable value; the reason follows them.
fn field_index(field: CorrectionField) -> usize {
    CorrectionField::ALL
        .iter()
        .position(|f| *f == field)
        .unwrap_or(0)
}

fn reason_field(hint: &str) -> FormField {
    FormField::text("Reason")
        .with_max_len(MAX_REASON)
        .with_hint(hint.to_string())
}

impl CorrectionDialog {
    /// The correction form of `build`, prefilled with `stored`.
    pub fn correct(ctx: &Ctx, order_id: Uuid, build: &str, stored: Correctable) -> Self {
        let fields = CorrectionField::ALL
            .into_iter()
            .map(|f| {
                let (max, hint) = match f {
                    CorrectionField::WantDate => (10, "YYYY-MM-DD, after today"),
                    CorrectionField::ProjectName => (100, "3-100 characters, or empty"),
                    CorrectionField::SalesPerson => (100, "Required, 3-100 characters"),
                    CorrectionField::Notes => (MAX_NOTES, "Optional, up to 2000 characters"),
                };
                let mut field = FormField::text(f.label()).with_max_len(max).with_hint(hint);
                field.set_value(stored.value(f).as_deref().unwrap_or(""));
                field
            })
            .chain([reason_field("Required: why the values change")])
            .collect();
        let form = Form::new(fields).with_input_width(52);
        Self::new(ctx, Kind::Correct(stored), order_id, build, form)
    }

    /// The cancel dialog of `build`, seen in `status`.
    pub fn cancel(ctx: &Ctx, order_id: Uuid, build: &str, status: OrderStatus) -> Self {
        let form = Form::new(vec![reason_field("Required: why the build is cancelled")])
            .with_input_width(52);
        Self::new(ctx, Kind::Cancel(status), order_id, build, form)
    }

    fn new(ctx: &Ctx, kind: Kind, order_id: Uuid, build: &str, form: Form) -> Self {
        CorrectionDialog {
            kind,
            order_id,
            build: build.to_string(),
            form,
            error: None,
            writing: Pending::new(),
            question: Question::new(ctx),
        }
    }

    /// The key contexts: the question's answers while it is open, else the form's.
    pub fn key_contexts(&self) -> Vec<KeyContext> {
        dialog_contexts(&self.question, &self.form)
    }

    /// The form while it takes text (not while the question is open).
    pub fn text_form(&mut self) -> Option<&mut Form> {
        (!self.question.is_open()).then_some(&mut self.form)
    }

    /// Whether leaving would lose something typed: a value other than the stored one, or a reason.
    pub fn has_input(&self) -> bool {
        let reason = !self.form.value(self.reason_index()).trim().is_empty();
        match &self.kind {
            Kind::Correct(stored) => {
                reason
                    || CorrectionField::ALL.into_iter().any(|f| {
                        self.form.value(field_index(f)) != stored.value(f).unwrap_or_default()
                    })
            }
            Kind::Cancel(_) => self.form.has_input(),
        }
    }

    /// A key.
    pub fn on_action(&mut self, action: Action, ctx: &mut Ctx) -> HoldStep {
        match self.question.answer(action) {
            Some(Answered::Send(request, ())) => {
                return HoldStep::Run(self.writing.begin_if_idle(ctx, request, ()));
            }
            Some(Answered::Declined | Answered::Ignored) => return HoldStep::Handled,
            None => {}
        }
        match action {
            Action::Submit => {
                self.error = None;
                if let Err(e) = self.ask(ctx) {
                    self.error = Some(e);
                }
                HoldStep::Handled
            }
            Action::Cancel => HoldStep::Closed,
            other => {
                self.form.handle(other);
                HoldStep::Handled
            }
        }
    }

    /// The reason is the form's last field.
    fn reason_index(&self) -> usize {
        self.form.len().saturating_sub(1)
    }

    /// The values as typed; the date's shape is checked here, its "after today" by the server.
    fn typed(&self) -> Result<Correctable, String> {
        let text = |f| self.form.value(field_index(f));
        let opt = |f| Some(text(f)).filter(|v: &String| !v.trim().is_empty());
        Ok(Correctable {
            want_date: parse_want_date(&text(CorrectionField::WantDate), NaiveDate::MIN)?,
            project_name: opt(CorrectionField::ProjectName),
            sales_person: text(CorrectionField::SalesPerson),
            notes: opt(CorrectionField::Notes),
        })
    }

    /// Enter: the rules first (so a refusal keeps the input), then the question.
    fn ask(&mut self, ctx: &Ctx) -> Result<(), String> {
        let Some(token) = ctx.token() else {
            return Ok(());
        };
        let reason = correction::check_reason(&self.form.value(self.reason_index()))?;
        let build = self.build.clone();
        let (title, mut lines, request) = match &self.kind {
            Kind::Correct(stored) => {
                let wanted = correction::check_values(stored, &self.typed()?, NaiveDate::MIN)?;
                let changes = correction::changes(stored, &wanted);
                if changes.is_empty() {
                    return Err(NOTHING_CHANGED.into());
                }
                let mut lines = vec![format!("Correct build {build}?")];
                // Each value shortened to fit the question; the history keeps them whole.
                let fit =
                    |v: &Option<String>| Some(fit_text(v.as_deref().unwrap_or("(empty)"), 24));
                lines.extend(changes.iter().map(|c| {
                    let short = correction::FieldChange {
                        old: fit(&c.old),
                        new: fit(&c.new),
                        ..c.clone()
                    };
                    format!("  {}", short.line())
                }));
                let request = Request::CorrectOrder {
                    token,
                    order_id: self.order_id,
                    correction: Box::new(CorrectionRequest {
                        expected: stored.clone(),
                        wanted,
                        reason: reason.clone(),
                    }),
                };
                ("Correct build", lines, request)
            }
            Kind::Cancel(status) => {
                let lines = vec![
                    format!("Cancel build {build}? (status becomes Cancelled)"),
                    "It leaves every work queue and never moves again; nothing is deleted."
                        .to_string(),
                ];
                let request = Request::CancelOrder {
                    token,
                    order_id: self.order_id,
                    expected: *status,
                    reason: reason.clone(),
                };
                ("Cancel build", lines, request)
            }
        };
        lines.push(format!("Reason: {}", quoted(&reason)));
        lines.push(
            match &self.kind {
                Kind::Correct(_) => "The old values and the reason stay in the build's history.",
                Kind::Cancel(_) => "The cancellation and the reason stay in the build's history.",
            }
            .to_string(),
        );
        self.question.ask(title, lines, request, ());
        Ok(())
    }

    /// A reply to the dialog's write: a refusal stays in the dialog. False for a reply not its own.
    pub fn on_reply(&mut self, reply: &ServiceReply) -> bool {
        if self.writing.take(reply.id).is_none() {
            return false;
        }
        if let Err(e) = &reply.result {
            self.error = Some(e.user_message());
        }
        true
    }

    pub fn render(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let (title, lead) = match &self.kind {
            Kind::Correct(_) => (
                "Correct build",
                format!("Correct the details of {}", self.build),
            ),
            Kind::Cancel(_) => ("Cancel build", format!("Cancel build {}", self.build)),
        };
        let text = FormDialogText {
            title,
            lead,
            hint: "Enter lists the changes and asks before anything is saved",
            busy: self.writing.in_flight().then_some("… Saving, please wait"),
            error: self.error.as_deref(),
        };
        render_form_dialog(frame, area, theme, &text, &mut self.form, &self.question);
    }
}

impl OrderDetailScreen {
    /// `E` and `X`: the correction or the cancel dialog, when offered.
    pub(super) fn start_correction(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        let wanted = match action {
            Action::CorrectBuild => OrderAction::Correct,
            _ => OrderAction::Cancel,
        };
        if !self.offers(&wanted) || self.still_loading() {
            return Command::None;
        }
        let Some(d) = self.detail.as_deref() else {
            return Command::None;
        };
        let build = d.build.build_number.clone();
        let dialog = if wanted == OrderAction::Correct {
            CorrectionDialog::correct(ctx, d.id, &build, Correctable::of(&d.header))
        } else {
            CorrectionDialog::cancel(ctx, d.id, &build, d.status)
        };
        self.notice = None;
        self.mode = Mode::Correct(Box::new(dialog));
        Command::None
    }

    /// A key while the correction or cancel dialog is open.
    pub(super) fn on_correction_key(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        let Mode::Correct(dialog) = &mut self.mode else {
            return Command::None;
        };
        let step = dialog.on_action(action, ctx);
        self.apply_step(step)
    }

    /// A reply for the dialog: a saved write closes it and reloads the build; a refusal stays in the
    /// dialog with the input. `None` when the reply is not the dialog's.
    pub(super) fn correction_reply(
        &mut self,
        reply: &ServiceReply,
        ctx: &mut Ctx,
    ) -> Option<Command> {
        let Mode::Correct(dialog) = &mut self.mode else {
            return None;
        };
        let cancelling = matches!(dialog.kind, Kind::Cancel(_));
        if !dialog.on_reply(reply) {
            return None;
        }
        if reply.result.is_err() {
            return Some(Command::None);
        }
        let build = dialog.build.clone();
        ctx.toast(Toast::info(if cancelling {
            format!("{build} is cancelled")
        } else {
            format!("{build} is corrected")
        }));
        self.mode = Mode::Browse;
        Some(self.reload(ctx))
    }
}
