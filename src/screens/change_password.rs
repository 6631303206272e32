//! Change password: voluntary from the home menu, or forced after an administrator set it.

use crate::domain::user::{MIN_PASSWORD_LEN, validate_password};
use crate::keymap::{Action, KeyContext};
use crate::msg::{Command, Reply, Request, RequestId, ServiceReply};
use crate::screens::Screen;
use crate::screens::login::ready_to_send;
use crate::screens::{Ctx, Effect, ScreenId};
use crate::theme::Theme;
use crate::widgets::form_field::{Form, FormField};
use crate::widgets::toast::Toast;
use crate::widgets::{padded, panel, request_status, row, rows};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

const CURRENT: usize = 0;
const NEW: usize = 1;
const REPEAT: usize = 2;

pub struct ChangePasswordScreen {
    form: Form,
    /// Required before anything else: leaving logs out.
    forced: bool,
    error: Option<String>,
    pending: Option<RequestId>,
}

/// The local rules, checked before the request for immediate feedback (the server checks again).
/// Returns the errors by field index.
pub fn check(current: &str, new: &str, repeat: &str) -> Vec<(usize, String)> {
    let mut errors = Vec::new();
    if current.is_empty() {
        errors.push((CURRENT, "Enter your current password".to_string()));
    }
    if let Err(e) = validate_password(new) {
        errors.push((NEW, e));
    } else if new == current {
        errors.push((
            NEW,
            "The new password must differ from the current one".to_string(),
        ));
    }
    if repeat != new {
        errors.push((REPEAT, "The passwords do not match".to_string()));
    }
    errors
}

impl ChangePasswordScreen {
    pub fn new(forced: bool) -> ChangePasswordScreen {
        let form = Form::new(vec![
            FormField::masked("Current password"),
            FormField::masked("New password")
                .with_hint(format!("At least {MIN_PASSWORD_LEN} characters")),
            FormField::masked("Repeat new password"),
        ])
        .with_input_width(30);
        ChangePasswordScreen {
            form,
            forced,
            error: None,
            pending: None,
        }
    }

    pub fn is_forced(&self) -> bool {
        self.forced
    }

    fn submit(&mut self, ctx: &mut Ctx) -> Command {
        if !ready_to_send(&mut self.form, self.pending.is_some()) {
            return Command::None;
        }
        let (current, new, repeat) = (
            self.form.value(CURRENT),
            self.form.value(NEW),
            self.form.value(REPEAT),
        );
        let errors = check(&current, &new, &repeat);
        if let Some((first, _)) = errors.first() {
            self.form.set_focus(*first);
            for (i, e) in errors {
                self.form.set_error(i, e);
            }
            return Command::None;
        }
        let Some(token) = ctx.token() else {
            return Command::None;
        };
        self.error = None;
        let (id, cmd) = ctx.request(Request::ChangePassword {
            token,
            current,
            new,
        });
        self.pending = Some(id);
        cmd
    }
}

impl Screen for ChangePasswordScreen {
    fn title(&self) -> &'static str {
        if self.forced {
            "Change password (required)"
        } else {
            "Change password"
        }
    }

    fn key_contexts(&self) -> Vec<KeyContext> {
        let mut stack = self.form.key_contexts();
        stack.push(if self.forced {
            KeyContext::ForcedPassword
        } else {
            KeyContext::ChangePassword
        });
        stack
    }

    fn has_unsaved_input(&self) -> bool {
        self.form.has_input()
    }

    fn text_form(&mut self) -> Option<&mut Form> {
        Some(&mut self.form)
    }

    fn on_action(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        match action {
            Action::Submit => return self.submit(ctx),
            Action::Back => ctx.emit(Effect::Navigate(ScreenId::Home)),
            Action::Logout => ctx.emit(Effect::Logout),
            action => {
                self.form.handle(action);
            }
        }
        Command::None
    }

    fn on_reply(&mut self, reply: ServiceReply, ctx: &mut Ctx) -> Command {
        if self.pending != Some(reply.id) {
            return Command::None;
        }
        self.pending = None;
        match reply.result {
            Ok(Reply::PasswordChanged | Reply::Done) => {
                ctx.emit(Effect::PasswordChanged);
                ctx.toast(Toast::info("Password changed"));
                ctx.emit(Effect::Navigate(ScreenId::Home));
            }
            Ok(_) => self.error = Some("Unexpected reply from the server; try again.".into()),
            Err(e) => self.error = Some(e.user_message()),
        }
        Command::None
    }

    fn view(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let box_w = 72.min(area.width);
        let box_area = Rect::new(
            area.x + (area.width - box_w) / 2,
            area.y.saturating_add(1).min(area.bottom()),
            box_w,
            15.min(area.height.saturating_sub(1)),
        );
        let block = panel(self.title(), theme);
        let inner = block.inner(box_area);
        frame.render_widget(block, box_area);
        let inner = padded(inner);
        let intro = if self.forced {
            Line::from(Span::styled(
                "NOTICE: Your password was set by an administrator. Choose your own password to continue.",
                theme.warn,
            ))
        } else {
            Line::from(Span::styled(
                "Enter your current password, then the new one twice.",
                theme.muted,
            ))
        };
        let intro_area = Rect::new(inner.x, inner.y, inner.width, 2.min(inner.height));
        frame.render_widget(Paragraph::new(intro).wrap(Wrap { trim: true }), intro_area);
        let form_area = rows(inner, 3, self.form.height());
        self.form.render(frame, form_area, theme);
        let busy = self.pending.map(|_| "… Saving, please wait");
        request_status(
            frame,
            rows(inner, 10, 2),
            busy,
            self.error.as_deref(),
            theme,
        );
        if self.forced {
            frame.render_widget(
                Paragraph::new(Span::styled(
                    "Esc logs you out without changing the password.",
                    theme.muted,
                )),
                row(inner, 12),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_rules() {
        assert!(check("old-password", "new-password-1", "new-password-1").is_empty());
        let e = check("", "short", "other");
        let fields: Vec<usize> = e.iter().map(|(i, _)| *i).collect();
        assert_eq!(fields, vec![CURRENT, NEW, REPEAT]);
        let same = check("same-password", "same-password", "same-password");
        assert_eq!(same.len(), 1);
        assert_eq!(same[0].0, NEW);
    }
}
