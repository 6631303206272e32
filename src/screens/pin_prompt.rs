//! The PIN asked for after a badge is scanned, at the login screen and at a locked station
//! (docs/security.md, Badge and PIN): masked, digits only, Enter sends the badge login, Esc cancels.

use crate::domain::session::Session;
use crate::domain::user::{PIN_LEN, normalize_badge, validate_pin};
use crate::keymap::{Action, KeyContext};
use crate::msg::{Command, Reply, Request, RequestId, ServiceReply};
use crate::screens::Ctx;
use crate::theme::Theme;
use crate::widgets::form_field::{Form, FormField};
use crate::widgets::{request_status, row, rows};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::Paragraph;

pub const DIGITS_ONLY: &str = "The PIN is digits only";
pub const UNREADABLE_BADGE: &str =
    "That badge cannot be read (4-64 of A-Z, 0-9, '-'); scan it again";

/// A badge that was scanned and the PIN being typed for it.
pub struct PinPrompt {
    badge: String,
    form: Form,
    error: Option<String>,
    pending: Option<RequestId>,
}

/// What the prompt's owner does after a message.
#[derive(Debug, Clone, PartialEq)]
pub enum PinOutcome {
    Stay,
    /// Esc: back to what was there before the badge.
    Cancelled,
    /// The badge login succeeded.
    LoggedIn(Box<Session>),
}

impl PinPrompt {
    /// The prompt for a scanned badge, or the message saying why the code is no badge.
    pub fn open(code: &str) -> Result<PinPrompt, &'static str> {
        let badge = normalize_badge(code).map_err(|_| UNREADABLE_BADGE)?;
        Ok(PinPrompt {
            badge,
            form: Form::new(vec![FormField::masked("PIN").with_max_len(*PIN_LEN.end())])
                .with_input_width(12),
            error: None,
            pending: None,
        })
    }

    /// The badge code of a scan, if it is a badge.
    pub fn badge(&self) -> &str {
        &self.badge
    }

    pub fn pending(&self) -> Option<RequestId> {
        self.pending
    }

    pub fn has_input(&self) -> bool {
        self.form.has_input()
    }

    /// Typing goes to the PIN field; Enter submits and Esc cancels (`Dialog`).
    pub fn key_contexts() -> Vec<KeyContext> {
        vec![KeyContext::TextInput, KeyContext::Dialog]
    }

    /// A typed character: a digit goes into the PIN, anything else is refused with a message.
    pub fn type_char(&mut self, c: char) {
        if c.is_ascii_digit() {
            self.form.type_char(c);
            self.error = None;
        } else {
            self.error = Some(DIGITS_ONLY.into());
        }
    }

    /// Pasted text: only digits are kept, and a paste holding anything else says so.
    pub fn paste(&mut self, text: &str) {
        let text = text.trim_end_matches(['\r', '\n']);
        if text.chars().all(|c| c.is_ascii_digit()) {
            self.form.paste(text);
            self.error = None;
        } else {
            self.error = Some(DIGITS_ONLY.into());
        }
    }

    /// An action from the key stack: Submit sends the badge login (with `previous`, the session a
    /// locked station holds), Cancel leaves, editing keys edit the PIN.
    pub fn on_action(
        &mut self,
        action: Action,
        previous: Option<String>,
        ctx: &mut Ctx,
    ) -> (Command, PinOutcome) {
        match action {
            Action::Submit => (self.submit(previous, ctx), PinOutcome::Stay),
            Action::Cancel => (Command::None, PinOutcome::Cancelled),
            other => {
                self.form.handle(other);
                (Command::None, PinOutcome::Stay)
            }
        }
    }

    fn submit(&mut self, previous: Option<String>, ctx: &mut Ctx) -> Command {
        if self.pending.is_some() {
            return Command::None;
        }
        let pin = self.form.value(0);
        if let Err(e) = validate_pin(&pin) {
            self.form.set_error(0, e);
            return Command::None;
        }
        self.error = None;
        let (id, cmd) = ctx.request(Request::LoginBadge {
            badge: self.badge.clone(),
            pin,
            previous,
        });
        self.pending = Some(id);
        cmd
    }

    /// The answer to the badge login; other replies are not the prompt's.
    pub fn on_reply(&mut self, reply: ServiceReply) -> PinOutcome {
        if self.pending != Some(reply.id) {
            return PinOutcome::Stay;
        }
        self.pending = None;
        match reply.result {
            Ok(Reply::LoggedIn(session)) => return PinOutcome::LoggedIn(Box::new(session)),
            Ok(_) => self.error = Some("Unexpected reply from the server; try again.".into()),
            Err(e) => self.error = Some(e.user_message()),
        }
        if let Some(f) = self.form.field_mut(0) {
            f.clear();
        }
        PinOutcome::Stay
    }

    /// Rows [`render`](Self::render) draws: the question, a gap, the field with its message and the
    /// request's status.
    pub const HEIGHT: u16 = 6;

    pub fn render(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        frame.render_widget(
            Paragraph::new(Span::styled(
                format!("Badge {}: enter PIN", self.badge),
                theme.title,
            )),
            row(area, 0),
        );
        self.form.render(frame, rows(area, 2, 2), theme);
        let busy = self.pending.map(|_| "… Checking, please wait");
        request_status(frame, row(area, 4), busy, self.error.as_deref(), theme);
        frame.render_widget(
            Paragraph::new(Span::styled("Esc cancels.", theme.muted)),
            row(area, 5),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ServiceError;
    use crate::msg::ServiceRequest;
    use crate::screens::IdGen;

    #[test]
    fn digits_only_then_login_badge() {
        let mut ids = IdGen::default();
        let km = crate::keymap::Keymap::default();
        let mut ctx = Ctx::new(&mut ids, None, &km);
        assert!(PinPrompt::open("U:X").is_err());
        let Ok(mut p) = PinPrompt::open("u-dana") else {
            unreachable!("a valid badge");
        };
        assert_eq!(p.badge(), "U-DANA");
        p.type_char('1');
        p.type_char('x');
        assert_eq!(p.error.as_deref(), Some(DIGITS_ONLY));
        p.paste("2a");
        assert_eq!(p.form.value(0), "1");
        // Too short: nothing is sent, the field says why.
        let (cmd, _) = p.on_action(Action::Submit, None, &mut ctx);
        assert_eq!(cmd, Command::None);
        assert!(p.form.field(0).and_then(FormField::error).is_some());
        p.paste("234\n");
        let (cmd, out) = p.on_action(Action::Submit, Some("tok".into()), &mut ctx);
        assert_eq!(out, PinOutcome::Stay);
        let Command::Db(ServiceRequest {
            id,
            kind:
                Request::LoginBadge {
                    badge,
                    pin,
                    previous,
                },
        }) = cmd
        else {
            unreachable!("expected a badge login, got {cmd:?}");
        };
        assert_eq!(
            (badge.as_str(), pin.as_str(), previous.as_deref()),
            ("U-DANA", "1234", Some("tok"))
        );
        // A second Enter while waiting sends nothing.
        assert_eq!(p.on_action(Action::Submit, None, &mut ctx).0, Command::None);
        let out = p.on_reply(ServiceReply {
            id,
            result: Err(ServiceError::Invalid("Badge or PIN not accepted".into())),
        });
        assert_eq!(out, PinOutcome::Stay);
        assert_eq!(p.error.as_deref(), Some("Badge or PIN not accepted"));
        assert!(!p.has_input());
        assert_eq!(
            p.on_action(Action::Cancel, None, &mut ctx).1,
            PinOutcome::Cancelled
        );
    }
}
