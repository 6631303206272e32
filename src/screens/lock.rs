//! The station lock: covers the screen (whose state stays intact) until the user's password is given.

use crate::domain::scan::Scan;
use crate::keymap::{Action, KeyContext};
use crate::msg::{Command, Reply, Request, RequestId};
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
        }
    }

    pub fn key_contexts(&self) -> Vec<KeyContext> {
        vec![KeyContext::TextInput, KeyContext::Lock]
    }

    pub fn pending(&self) -> Option<RequestId> {
        self.pending
    }

    /// A badge scanned at the lock (docs/scanning.md §3); `None` when the lock does not read it.
    pub fn on_scan(&mut self, _scan: &Scan, _ctx: &mut Ctx) -> Option<Command> {
        None
    }

    pub fn update(&mut self, msg: ScreenMsg, ctx: &mut Ctx) -> (Command, LockOutcome) {
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
            ScreenMsg::Tick(_) => {}
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
                "Enter your password to continue where you left off.",
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
