//! The hold and release dialogs the build detail and the task runner share (docs/holds.md §2).
//!
//! Putting a build on hold: the reason is chosen, a note typed (required for quality and other), and for
//! a parts shortage the part lines (`T2-BOLT-10 4; T2-NUT 2`). Enter checks the input with the server's
//! rules, the part ids against the catalog (`CheckHold`), and then asks the question naming the build,
//! the reason and the parts; only `y` places the hold. Releasing asks for an optional note, then the
//! question. A refusal shows in the dialog with everything typed kept.

use crate::domain::hold::{
    self, HoldPart, HoldReason, MAX_NOTE, NamedHoldPart, NewHold, check_note, check_part_line,
};
use crate::keymap::{Action, KeyContext};
use crate::msg::{Command, Reply, Request, ServiceReply};
use crate::screens::Ctx;
use crate::screens::pending::Pending;
use crate::screens::question::{
    Answered, FormDialogText, Question, dialog_contexts, quoted, render_form_dialog,
};
use crate::theme::Theme;
use crate::widgets::form_field::{Form, FormField};
use ratatui::Frame;
use ratatui::layout::Rect;
use uuid::Uuid;

/// What the dialog does.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Place,
    /// Release, naming the hold in brief.
    Release(String),
}

/// What a key or a reply did to the dialog.
#[derive(Debug, PartialEq)]
pub enum HoldStep {
    /// Nothing for the screen to do.
    Handled,
    /// The dialog closed without writing.
    Closed,
    /// A request to run (the check, or the write after `y`).
    Run(Command),
}

pub struct HoldDialog {
    kind: Kind,
    order_id: Uuid,
    build: String,
    form: Form,
    error: Option<String>,
    checking: Pending<NewHold>,
    writing: Pending,
    question: Question<()>,
}

const REASON: usize = 0;
const NOTE: usize = 1;
const PARTS: usize = 2;

/// Part lines as typed: `<part id> <quantity>` separated by `;` or new lines.
pub fn parse_parts(text: &str) -> Result<Vec<HoldPart>, String> {
    text.split([';', '\n'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| {
            let (id, quantity) = line
                .rsplit_once(char::is_whitespace)
                .ok_or_else(|| format!("“{line}”: give the part id, a space and the quantity"))?;
            check_part_line(id, quantity)
        })
        .collect()
}

impl HoldDialog {
    /// The dialog putting `build` on hold.
    pub fn place(ctx: &Ctx, order_id: Uuid, build: &str) -> HoldDialog {
        let reasons = HoldReason::ALL
            .iter()
            .map(|r| r.title().to_string())
            .collect();
        let form = Form::new(vec![
            FormField::choice("Reason", reasons, 0),
            FormField::text("Note")
                .with_max_len(MAX_NOTE)
                .with_hint("Required for quality and other; optional for a shortage"),
            FormField::text("Parts")
                .with_max_len(2000)
                .with_hint("Shortage only: part id and quantity, e.g. T2-BOLT-10 4; T2-NUT 2"),
        ])
        .with_input_width(52);
        HoldDialog::new(ctx, Kind::Place, order_id, build, form)
    }

    /// The dialog releasing `build`'s hold, described by `what` (`On hold: …`).
    pub fn release(ctx: &Ctx, order_id: Uuid, build: &str, what: String) -> HoldDialog {
        let form = Form::new(vec![
            FormField::text("Release note")
                .with_max_len(MAX_NOTE)
                .with_hint(format!("Optional, up to {MAX_NOTE} characters")),
        ])
        .with_input_width(52);
        HoldDialog::new(ctx, Kind::Release(what), order_id, build, form)
    }

    fn new(ctx: &Ctx, kind: Kind, order_id: Uuid, build: &str, form: Form) -> HoldDialog {
        HoldDialog {
            kind,
            order_id,
            build: build.to_string(),
            form,
            error: None,
            checking: Pending::new(),
            writing: Pending::new(),
            question: Question::new(ctx),
        }
    }

    /// The key contexts: the question's answers while it is open, else the form's.
    pub fn key_contexts(&self) -> Vec<KeyContext> {
        dialog_contexts(&self.question, &self.form)
    }

    /// The lines of the open question, for tests.
    pub fn question(&self) -> Option<&[String]> {
        self.question.is_open().then(|| self.question.lines())
    }

    /// The form while it takes text (not while the question is open).
    pub fn text_form(&mut self) -> Option<&mut Form> {
        (!self.question.is_open()).then_some(&mut self.form)
    }

    pub fn has_input(&self) -> bool {
        self.form.has_input()
    }

    /// The message under the form, if any.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// Whether `id` is the write this dialog sent: its reply is the screen's (it reloads).
    pub fn is_write(&self, id: crate::msg::RequestId) -> bool {
        self.writing.is(id)
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
            Action::Submit => self.submit(ctx),
            Action::Cancel => HoldStep::Closed,
            other => {
                self.form.handle(other);
                HoldStep::Handled
            }
        }
    }

    /// Enter: the rules first (so a refusal keeps the input), then the catalog check or the question.
    fn submit(&mut self, ctx: &mut Ctx) -> HoldStep {
        let Some(token) = ctx.token() else {
            return HoldStep::Handled;
        };
        self.error = None;
        match &self.kind {
            Kind::Place => {
                let hold = match self.typed().and_then(|h| hold::check_new(&h)) {
                    Ok(h) => h,
                    Err(e) => {
                        self.error = Some(e);
                        return HoldStep::Handled;
                    }
                };
                let request = Request::CheckHold {
                    token,
                    order_id: self.order_id,
                    hold: hold.clone(),
                };
                HoldStep::Run(self.checking.begin(ctx, request, hold))
            }
            Kind::Release(what) => {
                let note = match check_note("Release note", Some(&self.form.value(0))) {
                    Ok(n) => n,
                    Err(e) => {
                        self.error = Some(e);
                        return HoldStep::Handled;
                    }
                };
                let mut lines = vec![format!("Release the hold on {}?", self.build), what.clone()];
                lines.push(match &note {
                    Some(n) => format!("Release note: {}", quoted(n)),
                    None => "No release note.".to_string(),
                });
                lines.push("The release is recorded with your name and the time.".to_string());
                let request = Request::ReleaseHold {
                    token,
                    order_id: self.order_id,
                    note,
                };
                self.question.ask("Release the hold", lines, request, ());
                HoldStep::Handled
            }
        }
    }

    /// The hold as typed.
    fn typed(&self) -> Result<NewHold, String> {
        let reason = self
            .form
            .field(REASON)
            .and_then(|f| f.choice_index())
            .and_then(|i| HoldReason::ALL.get(i).copied())
            .unwrap_or(HoldReason::PartsShortage);
        let note = self.form.value(NOTE);
        let parts_text = self.form.value(PARTS);
        let parts = match reason {
            HoldReason::PartsShortage => parse_parts(&parts_text)?,
            HoldReason::Quality | HoldReason::Other if !parts_text.trim().is_empty() => {
                return Err("Only a parts shortage lists parts; clear the Parts field".to_string());
            }
            _ => Vec::new(),
        };
        Ok(NewHold {
            reason,
            note: (!note.trim().is_empty()).then_some(note),
            parts,
        })
    }

    /// The question placing `hold`, once the server has named its parts.
    fn ask_place(&mut self, ctx: &Ctx, hold: NewHold, named: &[NamedHoldPart]) {
        let Some(token) = ctx.token() else {
            return;
        };
        let mut lines = vec![format!(
            "Put {} on hold: {}?",
            self.build,
            hold::reason_brief(hold.reason, hold.parts.len())
        )];
        lines.extend(named.iter().map(|p| format!("  {}", p.line())));
        if let Some(n) = &hold.note {
            lines.push(format!("Note: {}", quoted(n)));
        }
        lines.push(if hold.reason == HoldReason::PartsShortage {
            "Its floor work stops until the hold is released; procurement is notified.".to_string()
        } else {
            "Its floor work stops until the hold is released.".to_string()
        });
        let request = Request::PlaceHold {
            token,
            order_id: self.order_id,
            hold,
        };
        self.question.ask("Put on hold", lines, request, ());
    }

    /// A reply: the catalog check opens the question; a refused write shows in the dialog. Returns
    /// false for a reply that is not the dialog's.
    pub fn on_reply(&mut self, reply: &ServiceReply, ctx: &Ctx) -> bool {
        if let Some(hold) = self.checking.take(reply.id) {
            match &reply.result {
                Ok(Reply::HoldChecked(named)) => self.ask_place(ctx, hold, named),
                Ok(_) => {}
                Err(e) => self.error = Some(e.user_message()),
            }
            return true;
        }
        if self.writing.take(reply.id).is_some() {
            if let Err(e) = &reply.result {
                self.error = Some(e.user_message());
            }
            return true;
        }
        false
    }

    pub fn render(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let (title, lead) = match &self.kind {
            Kind::Place => ("Put on hold", format!("Put {} on hold", self.build)),
            Kind::Release(what) => ("Release hold", what.clone()),
        };
        let text = FormDialogText {
            title,
            lead,
            hint: "Enter checks and asks before anything is saved",
            busy: (self.checking.in_flight() || self.writing.in_flight())
                .then_some("Checking with the server…"),
            error: self.error.as_deref(),
        };
        render_form_dialog(frame, area, theme, &text, &mut self.form, &self.question);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn part_lines_are_an_id_and_a_quantity_each() {
        assert_eq!(
            parse_parts("T2-BOLT-10 4; T2-NUT 2\n"),
            Ok(vec![
                HoldPart {
                    part_id: "T2-BOLT-10".into(),
                    quantity: 4
                },
                HoldPart {
                    part_id: "T2-NUT".into(),
                    quantity: 2
                },
            ])
        );
        assert_eq!(parse_parts("  "), Ok(Vec::new()));
        assert!(parse_parts("T2-BOLT-10").is_err());
        assert!(parse_parts("T2-BOLT-10 0").is_err());
    }
}
