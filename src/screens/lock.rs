//! The station lock: covers the screen (whose state stays intact) until the user's password is given,
//! or a badge and its PIN (docs/security.md, Badge and PIN): the locked user's own badge unlocks,
//! another user's badge ends the locked session and starts theirs.

use crate::domain::scan::Scan;
use crate::keymap::{Action, KeyContext};
use crate::msg::{Command, Reply, Request, RequestId};
use crate::screens::pin_prompt::{PinOutcome, PinPrompt};
use crate::screens::{Ctx, Effect, ScreenMsg};
use crate::theme::Theme;
use crate::widgets::form_field::{Form, FormField};
use crate::widgets::{dialog, request_status, row, rows};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

pub struct LockScreen {
    full_name: String,
    username: String,
    form: Form,
    error: Option<String>,
    pending: Option<RequestId>,
    /// A badge was scanned: its PIN is asked for instead of the password.
    badge: Option<Box<PinPrompt>>,
}

/// What the shell does after the lock handled a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockOutcome {
    Stay,
    SwitchUser,
}

impl LockScreen {
    pub fn new(full_name: &str, username: &str) -> LockScreen {
        LockScreen {
            full_name: full_name.to_string(),
            username: username.to_string(),
            form: Form::new(vec![FormField::masked("Password")]).with_input_width(30),
            error: None,
            pending: None,
            badge: None,
        }
    }

    pub fn key_contexts(&self) -> Vec<KeyContext> {
        if self.badge.is_some() {
            return PinPrompt::key_contexts();
        }
        vec![KeyContext::TextInput, KeyContext::Lock]
    }

    /// The request the lock waits for: the password check or the badge login.
    pub fn pending(&self) -> Option<RequestId> {
        self.pending
            .or_else(|| self.badge.as_ref().and_then(|p| p.pending()))
    }

    /// The PIN prompt, when a badge was scanned.
    pub fn badge_prompt(&self) -> Option<&PinPrompt> {
        self.badge.as_deref()
    }

    /// A scanned badge asks for its PIN (docs/scanning.md §3; the shell offers the lock nothing
    /// else); `None` for codes that are no badge.
    pub fn on_scan(&mut self, scan: &Scan, _ctx: &mut Ctx) -> Option<Command> {
        let code = scan.badge()?;
        if self.pending().is_none() {
            match PinPrompt::open(code) {
                Ok(prompt) => {
                    self.badge = Some(Box::new(prompt));
                    self.error = None;
                }
                Err(e) => self.error = Some(e.to_string()),
            }
        }
        Some(Command::None)
    }

    /// While a badge's PIN is asked for, every message goes to its prompt.
    fn update_badge(&mut self, msg: ScreenMsg, ctx: &mut Ctx) -> Command {
        let Some(prompt) = &mut self.badge else {
            return Command::None;
        };
        let (cmd, outcome) = match msg {
            ScreenMsg::Char(c) => {
                prompt.type_char(c);
                (Command::None, PinOutcome::Stay)
            }
            ScreenMsg::Paste(text) => {
                prompt.paste(&text);
                (Command::None, PinOutcome::Stay)
            }
            ScreenMsg::Action(action) => prompt.on_action(action, ctx.token(), ctx),
            ScreenMsg::Db(reply) => (Command::None, prompt.on_reply(reply)),
            ScreenMsg::Tick(_) | ScreenMsg::Live(_) => (Command::None, PinOutcome::Stay),
        };
        match outcome {
            PinOutcome::Stay => {}
            PinOutcome::Cancelled => self.badge = None,
            PinOutcome::LoggedIn(session) => {
                let same_user = ctx.session().is_some_and(|s| s.user.id == session.user.id);
                ctx.emit(if same_user {
                    Effect::Unlocked
                } else {
                    Effect::SessionStarted(session)
                });
            }
        }
        cmd
    }

    pub fn update(&mut self, msg: ScreenMsg, ctx: &mut Ctx) -> (Command, LockOutcome) {
        if self.badge.is_some() {
            return (self.update_badge(msg, ctx), LockOutcome::Stay);
        }
        match msg {
            ScreenMsg::Char(c) => {
                self.form.type_char(c);
            }
            ScreenMsg::Paste(text) => {
                self.form.paste(&text);
            }
            ScreenMsg::Action(Action::Unlock) => return (self.unlock(ctx), LockOutcome::Stay),
            ScreenMsg::Action(Action::SwitchUser) => {
                return (Command::None, LockOutcome::SwitchUser);
            }
            ScreenMsg::Action(action) => {
                self.form.handle(action);
            }
            ScreenMsg::Db(reply) => {
                if self.pending == Some(reply.id) {
                    self.pending = None;
                    match reply.result {
                        Ok(Reply::Unlocked | Reply::Done) => ctx.emit(Effect::Unlocked),
                        Ok(_) => {
                            self.error = Some("Unexpected reply from the server; try again.".into())
                        }
                        Err(e) => {
                            self.error = Some(e.user_message());
                            if let Some(f) = self.form.field_mut(0) {
                                f.clear();
                            }
                        }
                    }
                }
            }
            ScreenMsg::Tick(_) | ScreenMsg::Live(_) => {}
        }
        (Command::None, LockOutcome::Stay)
    }

    fn unlock(&mut self, ctx: &mut Ctx) -> Command {
        if self.pending.is_some() {
            return Command::None;
        }
        let password = self.form.value(0);
        if password.is_empty() {
            self.form.set_error(0, "Enter your password");
            return Command::None;
        }
        let Some(token) = ctx.token() else {
            return Command::None;
        };
        self.error = None;
        let (id, cmd) = ctx.request(Request::Unlock { token, password });
        self.pending = Some(id);
        cmd
    }

    /// Covers `area` completely: a locked station shows nothing of the work underneath.
    pub fn view(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        frame.render_widget(Clear, area);
        let w = 66.min(area.width);
        let h = 11.min(area.height);
        let box_area = Rect::new(
            area.x + (area.width - w) / 2,
            area.y + (area.height - h) / 2,
            w,
            h,
        );
        let inner = dialog(frame, box_area, "Station locked", theme);
        if let Some(prompt) = &mut self.badge {
            prompt.render(frame, rows(inner, 1, PinPrompt::HEIGHT), theme);
            frame.render_widget(
                Paragraph::new(Span::styled(
                    "Another user's badge ends this session; unsaved input is lost.",
                    theme.muted,
                )),
                row(inner, 8),
            );
            return;
        }
        let who = Line::from(vec![
            Span::styled("Station locked — ", theme.title),
            Span::styled(
                format!("{} ({})", self.full_name, self.username),
                theme.title,
            ),
        ]);
        frame.render_widget(Paragraph::new(who), row(inner, 1));
        frame.render_widget(
            Paragraph::new(Span::styled(
                "Enter your password, or scan your badge, to continue.",
                theme.muted,
            )),
            row(inner, 2),
        );
        let form_area = rows(inner, 4, 2);
        self.form.render(frame, form_area, theme);
        let busy = self.pending.map(|_| "… Checking, please wait");
        request_status(frame, row(inner, 6), busy, self.error.as_deref(), theme);
        frame.render_widget(
            Paragraph::new(Span::styled(
                "Switch user ends this session; unsaved input is lost.",
                theme.muted,
            )),
            row(inner, 8),
        );
    }
}
