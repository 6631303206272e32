//! The login screen: username and masked password, or a scanned badge and its PIN
//! (docs/security.md, Badge and PIN).

use crate::domain::scan::Scan;
use crate::keymap::{Action, KeyContext};
use crate::msg::{Command, Reply, Request, RequestId, ServiceReply};
use crate::screens::Screen;
use crate::screens::pin_prompt::{PinOutcome, PinPrompt};
use crate::screens::{Ctx, Effect};
use crate::theme::Theme;
use crate::widgets::form_field::{Form, FormField};
use crate::widgets::{centered, padded, panel, request_status, row, rows};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

const USERNAME: usize = 0;
const PASSWORD: usize = 1;

pub struct LoginScreen {
    form: Form,
    /// First-start notice from the runtime (e.g. where the demo accounts are).
    banner: Option<String>,
    /// Why we are here, e.g. the session ended.
    notice: Option<String>,
    error: Option<String>,
    pending: Option<RequestId>,
    /// A badge was scanned: its PIN is asked for instead of the username and password.
    badge: Option<PinPrompt>,
}

/// Typed into the username field, a badge code with its scan prefix (a username has no ':').
const BADGE_PREFIX: &str = "U:";

impl LoginScreen {
    pub fn new(banner: Option<String>, notice: Option<String>) -> LoginScreen {
        let form = Form::new(vec![
            FormField::text("Username").with_max_len(50),
            FormField::masked("Password"),
        ])
        .with_input_width(30);
        LoginScreen {
            form,
            banner,
            notice,
            error: None,
            pending: None,
            badge: None,
        }
    }

    /// The PIN prompt, when a badge was scanned.
    pub fn badge_prompt(&self) -> Option<&PinPrompt> {
        self.badge.as_ref()
    }

    /// Asks for the PIN of a scanned badge (or says the code is no badge).
    fn open_badge(&mut self, code: &str) {
        match PinPrompt::open(code) {
            Ok(prompt) => {
                self.badge = Some(prompt);
                self.error = None;
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    pub fn is_busy(&self) -> bool {
        self.pending.is_some()
    }

    fn submit(&mut self, ctx: &mut Ctx) -> Command {
        // A badge typed by a slow scanner, or by hand with its prefix, lands in the username field.
        let typed = self.form.value(USERNAME);
        if self.pending.is_none()
            && let Some(code) = typed
                .trim()
                .get(..BADGE_PREFIX.len())
                .filter(|p| p.eq_ignore_ascii_case(BADGE_PREFIX))
                .and_then(|_| typed.trim().get(BADGE_PREFIX.len()..))
        {
            let code = code.to_string();
            if let Some(f) = self.form.field_mut(USERNAME) {
                f.clear();
            }
            self.open_badge(&code);
            return Command::None;
        }
        if !ready_to_send(&mut self.form, self.pending.is_some()) {
            return Command::None;
        }
        let username = self.form.value(USERNAME).trim().to_string();
        let password = self.form.value(PASSWORD);
        if username.is_empty() {
            self.form.set_error(USERNAME, "Enter your username");
        }
        if password.is_empty() {
            self.form.set_error(PASSWORD, "Enter your password");
        }
        if let Some(i) = self.form.first_error() {
            self.form.set_focus(i);
            return Command::None;
        }
        self.error = None;
        let (id, cmd) = ctx.request(Request::Login { username, password });
        self.pending = Some(id);
        cmd
    }
}

impl Screen for LoginScreen {
    fn title(&self) -> &'static str {
        "Log in"
    }

    fn key_contexts(&self) -> Vec<KeyContext> {
        if self.badge.is_some() {
            return PinPrompt::key_contexts();
        }
        self.form.key_contexts()
    }

    fn has_unsaved_input(&self) -> bool {
        self.form.has_input() || self.badge.as_ref().is_some_and(PinPrompt::has_input)
    }

    fn text_form(&mut self) -> Option<&mut Form> {
        Some(&mut self.form)
    }

    fn on_char(&mut self, c: char) {
        match &mut self.badge {
            Some(prompt) => prompt.type_char(c),
            None => {
                self.form.type_char(c);
            }
        }
    }

    fn on_paste(&mut self, text: &str) {
        match &mut self.badge {
            Some(prompt) => prompt.paste(text),
            None => {
                self.form.paste(text);
            }
        }
    }

    /// A badge asks for its PIN; other codes mean nothing here.
    fn on_scan(&mut self, scan: &Scan, _ctx: &mut Ctx) -> Option<Command> {
        let code = scan.badge()?;
        if self.pending.is_none() && self.badge.as_ref().is_none_or(|p| p.pending().is_none()) {
            self.open_badge(code);
        }
        Some(Command::None)
    }

    fn on_action(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        if let Some(prompt) = &mut self.badge {
            let (cmd, outcome) = prompt.on_action(action, None, ctx);
            if outcome == PinOutcome::Cancelled {
                self.badge = None;
            }
            return cmd;
        }
        if action == Action::Submit {
            return self.submit(ctx);
        }
        self.form.handle(action);
        Command::None
    }

    fn on_reply(&mut self, reply: ServiceReply, ctx: &mut Ctx) -> Command {
        if let Some(prompt) = &mut self.badge
            && prompt.pending() == Some(reply.id)
        {
            if let PinOutcome::LoggedIn(session) = prompt.on_reply(reply) {
                ctx.emit(Effect::SessionStarted(session));
            }
            return Command::None;
        }
        if self.pending != Some(reply.id) {
            return Command::None;
        }
        self.pending = None;
        match reply.result {
            Ok(Reply::LoggedIn(session)) => {
                ctx.emit(Effect::SessionStarted(Box::new(session)));
            }
            Ok(_) => self.error = Some("Unexpected reply from the server; try again.".into()),
            Err(e) => {
                self.error = Some(e.user_message());
                if let Some(f) = self.form.field_mut(PASSWORD) {
                    f.clear();
                }
                self.form.set_focus(PASSWORD);
            }
        }
        Command::None
    }

    fn view(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let mut y = area.y;
        let box_w = 56.min(area.width);
        // Wrapped here, not by the Paragraph, so the notice area is exactly as tall as its text.
        let mut top: Vec<Line> = Vec::new();
        let notes = self
            .banner
            .iter()
            .map(|b| format!("Note: {b}"))
            .chain(self.notice.iter().map(|n| format!("NOTICE: {n}")));
        for (i, note) in notes.enumerate() {
            if i > 0 {
                top.push(Line::default());
            }
            top.extend(
                wrap_words(&note, usize::from(box_w))
                    .into_iter()
                    .map(|l| Line::from(Span::styled(l, theme.warn))),
            );
        }
        if !top.is_empty() {
            let h = u16::try_from(top.len())
                .unwrap_or(u16::MAX)
                .min(area.height);
            let banner_area = centered(Rect::new(area.x, y + 1, area.width, h), box_w, h);
            frame.render_widget(Paragraph::new(top), banner_area);
            y = y.saturating_add(h + 1);
        }
        let remaining = Rect::new(area.x, y, area.width, area.bottom().saturating_sub(y));
        if let Some(prompt) = &mut self.badge {
            let box_area = centered(remaining, box_w, PinPrompt::HEIGHT + 4);
            let block = panel("Badge", theme);
            let inner = block.inner(box_area);
            frame.render_widget(block, box_area);
            prompt.render(frame, padded(inner), theme);
            return;
        }
        let box_area = centered(remaining, box_w, 10);
        let block = panel("Log in", theme);
        let inner = block.inner(box_area);
        frame.render_widget(block, box_area);
        let inner = padded(inner);
        frame.render_widget(
            Paragraph::new(Span::styled(
                "Scan your badge, or enter username and password.",
                theme.muted,
            )),
            row(inner, 0),
        );
        let form_area = rows(inner, 2, self.form.height());
        self.form.render(frame, form_area, theme);
        let busy = self.pending.map(|_| "… Logging in, please wait");
        request_status(frame, rows(inner, 6, 2), busy, self.error.as_deref(), theme);
    }
}

/// Enter on a credentials form: moves to the next field until the last one, then clears the errors for
/// a fresh check. `false` while a request is out or a field is still ahead.
pub(super) fn ready_to_send(form: &mut Form, pending: bool) -> bool {
    if pending {
        return false;
    }
    if !form.is_last() {
        form.next();
        return false;
    }
    form.clear_errors();
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ServiceError;
    use crate::msg::{ServiceReply, ServiceRequest};
    use crate::screens::IdGen;
    use crate::screens::ScreenMsg;

    fn type_str(s: &mut LoginScreen, ctx: &mut Ctx, text: &str) {
        for c in text.chars() {
            s.update(ScreenMsg::Char(c), ctx);
        }
    }

    #[test]
    fn enter_on_password_sends_login() {
        let mut ids = IdGen::default();
        let km = crate::keymap::Keymap::default();
        let mut ctx = Ctx::new(&mut ids, None, &km);
        let mut s = LoginScreen::new(None, None);
        type_str(&mut s, &mut ctx, "alice");
        assert_eq!(
            s.update(ScreenMsg::Action(Action::Submit), &mut ctx),
            Command::None
        );
        type_str(&mut s, &mut ctx, "secret-pass");
        let cmd = s.update(ScreenMsg::Action(Action::Submit), &mut ctx);
        let Command::Db(ServiceRequest {
            kind: Request::Login { username, password },
            ..
        }) = cmd
        else {
            unreachable!("expected a login request, got {cmd:?}");
        };
        assert_eq!(
            (username.as_str(), password.as_str()),
            ("alice", "secret-pass")
        );
        assert!(s.is_busy());
    }

    #[test]
    fn empty_fields_send_nothing() {
        let mut ids = IdGen::default();
        let km = crate::keymap::Keymap::default();
        let mut ctx = Ctx::new(&mut ids, None, &km);
        let mut s = LoginScreen::new(None, None);
        s.update(ScreenMsg::Action(Action::NextField), &mut ctx);
        assert_eq!(
            s.update(ScreenMsg::Action(Action::Submit), &mut ctx),
            Command::None
        );
        assert!(s.form.field(USERNAME).and_then(FormField::error).is_some());
        assert_eq!(s.form.focus(), USERNAME);
    }

    #[test]
    fn stale_and_failed_replies() {
        let mut ids = IdGen::default();
        let km = crate::keymap::Keymap::default();
        let mut ctx = Ctx::new(&mut ids, None, &km);
        let mut s = LoginScreen::new(None, None);
        type_str(&mut s, &mut ctx, "alice");
        s.update(ScreenMsg::Action(Action::Submit), &mut ctx);
        type_str(&mut s, &mut ctx, "wrong-password");
        let Command::Db(req) = s.update(ScreenMsg::Action(Action::Submit), &mut ctx) else {
            unreachable!("expected a request");
        };
        let stale = ServiceReply {
            id: RequestId(req.id.0 + 100),
            result: Err(ServiceError::Invalid("nope".into())),
        };
        s.update(ScreenMsg::Db(stale), &mut ctx);
        assert!(s.is_busy());
        let reply = ServiceReply {
            id: req.id,
            result: Err(ServiceError::Invalid("Wrong username or password".into())),
        };
        s.update(ScreenMsg::Db(reply), &mut ctx);
        assert!(!s.is_busy());
        assert_eq!(s.error.as_deref(), Some("Wrong username or password"));
        assert!(s.form.field(PASSWORD).is_some_and(FormField::is_empty));
        assert!(ctx.into_effects().is_empty());
    }
}

/// Greedy word wrap; a word longer than the width is cut.
fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let word: String = word.chars().take(width).collect();
        let len = line.chars().count();
        if len > 0 && len + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod wrap_tests {
    use super::wrap_words;

    #[test]
    fn wraps_at_word_boundaries() {
        assert_eq!(wrap_words("aa bb cc", 5), vec!["aa bb", "cc"]);
        assert_eq!(wrap_words("abcdefgh", 3), vec!["abc"]);
        assert!(wrap_words("", 10).is_empty());
    }
}
