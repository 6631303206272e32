//! A build's comment thread (docs/comments.md §7): the comments oldest first, a compose box with the
//! internal flag, the author's edit within 10 minutes, and resolution by coordinators. Every write
//! answers with the whole thread as stored; the thread loads through one request ([`CommentsScreen::reload`]),
//! so it can be refreshed from outside the screen too.

mod compose;
mod view;

use crate::domain::comment::{Comment, CommentThread, resolves, validate_body};
use crate::domain::live::{Entity, LiveEvent};
use crate::keymap::{Action, HelpLine, KeyContext};
use crate::msg::{Command, Reply, Request, ServiceReply};
use crate::screens::live_reads::{Answered, Stale};
use crate::screens::pending::Pending;
use crate::screens::selection::{moved, moves};
use crate::screens::{Ctx, Effect, Screen, ScreenId};
use crate::theme::Theme;
use compose::Composer;
use ratatui::Frame;
use ratatui::layout::Rect;
use uuid::Uuid;

/// Said on `e` when the selected comment is not the user's, or its window has passed
/// (docs/comments.md §3).
pub const NOT_EDITABLE: &str = "Only your own comments can be edited, within 10 minutes of posting";

enum Mode {
    Browse,
    Compose(Box<Composer>),
    /// Esc with typed text: discard it?
    ConfirmDiscard(Box<Composer>),
}

pub struct CommentsScreen {
    order_id: Uuid,
    thread: Option<Box<CommentThread>>,
    loading: Pending,
    load_error: Option<String>,
    /// The selected comment, by position in the thread.
    selected: usize,
    /// The first comment shown at the last draw.
    scroll: usize,
    mode: Mode,
    /// A post, edit or resolution on its way; the comment to select when it comes back.
    writing: Pending<Option<Uuid>>,
    /// What the last write did, or why it was refused (with `error`).
    notice: Option<String>,
    error: Option<String>,
    /// The user may resolve (a courtesy; the service decides).
    may_resolve: bool,
    write_key: String,
    confirm_keys: Vec<HelpLine>,
    /// Another station changed the thread (docs/live.md §3.3).
    stale: Stale,
}

impl CommentsScreen {
    pub fn open(order_id: Uuid, ctx: &mut Ctx) -> (CommentsScreen, Command) {
        let km = ctx.keymap();
        let write_key = km.key_label(KeyContext::Comments, Action::WriteComment);
        let confirm_keys = km.key_bar(&[KeyContext::Confirm]);
        let may_resolve = ctx.session().is_some_and(|s| resolves(s.user.role));
        let mut s = CommentsScreen {
            order_id,
            thread: None,
            loading: Pending::new(),
            stale: Stale::default(),
            load_error: None,
            selected: 0,
            scroll: 0,
            mode: Mode::Browse,
            writing: Pending::new(),
            notice: None,
            error: None,
            may_resolve,
            write_key,
            confirm_keys,
        };
        let cmd = s.reload(ctx);
        (s, cmd)
    }

    /// Reads the thread again through its one request; what the user is typing stays.
    pub fn reload(&mut self, ctx: &mut Ctx) -> Command {
        let Some(token) = ctx.token() else {
            return Command::None;
        };
        let request = Request::BuildComments {
            token,
            order_id: self.order_id,
        };
        self.loading.begin(ctx, request, ())
    }

    pub fn thread(&self) -> Option<&CommentThread> {
        self.thread.as_deref()
    }

    fn selected_comment(&self) -> Option<&Comment> {
        self.thread
            .as_ref()
            .and_then(|t| t.comments.get(self.selected))
    }

    fn selected_id(&self) -> Option<Uuid> {
        self.selected_comment().map(|c| c.id)
    }

    /// Takes a thread as stored, selecting `select` (or the comment selected before) where it is now.
    fn take_thread(&mut self, thread: Box<CommentThread>, select: Option<Uuid>) {
        let keep = select.or_else(|| self.selected_id());
        let n = thread.comments.len();
        self.selected = keep
            .and_then(|id| thread.comments.iter().position(|c| c.id == id))
            .unwrap_or(self.selected)
            .min(n.saturating_sub(1));
        self.may_resolve = thread.may_resolve;
        self.thread = Some(thread);
        self.load_error = None;
    }

    fn on_browse(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        let n = self.thread.as_ref().map_or(0, |t| t.comments.len());
        if moves(action) {
            self.selected = moved(self.selected, n, action);
            return Command::None;
        }
        match action {
            Action::Back => ctx.emit(Effect::Back(ScreenId::OrderDetail(self.order_id))),
            Action::Refresh => {
                self.notice = None;
                self.error = None;
                return self.reload(ctx);
            }
            Action::WriteComment if self.thread.is_some() => {
                self.notice = None;
                self.error = None;
                self.mode = Mode::Compose(Box::new(Composer::new()));
            }
            Action::EditComment => {
                let Some(c) = self.selected_comment() else {
                    return Command::None;
                };
                if c.may_edit {
                    let composer = Composer::edit(c.id, &c.body, c.internal);
                    self.notice = None;
                    self.error = None;
                    self.mode = Mode::Compose(Box::new(composer));
                } else {
                    self.error = Some(NOT_EDITABLE.to_string());
                }
            }
            Action::ResolveComment if self.may_resolve => return self.resolve(ctx),
            _ => {}
        }
        Command::None
    }

    fn resolve(&mut self, ctx: &mut Ctx) -> Command {
        let Some(c) = self.selected_comment() else {
            return Command::None;
        };
        let (comment_id, resolved) = (c.id, c.resolved.is_none());
        let Some(token) = ctx.token() else {
            return Command::None;
        };
        self.notice = None;
        self.error = None;
        let request = Request::ResolveComment {
            token,
            comment_id,
            resolved,
        };
        self.writing.begin_if_idle(ctx, request, Some(comment_id))
    }

    fn on_compose(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        let mode = std::mem::replace(&mut self.mode, Mode::Browse);
        let Mode::Compose(mut composer) = mode else {
            self.mode = mode;
            return Command::None;
        };
        let cmd = match action {
            Action::Cancel if composer.has_input() => {
                self.mode = Mode::ConfirmDiscard(composer);
                return Command::None;
            }
            Action::Cancel => {
                // A write still on its way is let go; the thread comes again with the next load.
                self.writing.clear();
                return Command::None;
            }
            Action::PostComment => self.post(&mut composer, ctx),
            Action::ToggleInternal if composer.editing.is_some() => {
                composer.error =
                    Some("The internal flag is set when a comment is posted".to_string());
                Command::None
            }
            Action::ToggleInternal => {
                composer.internal = !composer.internal;
                Command::None
            }
            other => {
                composer.handle(other);
                Command::None
            }
        };
        self.mode = Mode::Compose(composer);
        cmd
    }

    /// Checks the text as the service will, then sends it; a refusal keeps it in the box.
    fn post(&mut self, composer: &mut Composer, ctx: &mut Ctx) -> Command {
        let body = match validate_body(&composer.text()) {
            Ok(b) => b,
            Err(e) => {
                composer.error = Some(e);
                return Command::None;
            }
        };
        let Some(token) = ctx.token() else {
            return Command::None;
        };
        composer.error = None;
        let (request, select) = match composer.editing {
            Some(comment_id) => (
                Request::EditComment {
                    token,
                    comment_id,
                    body,
                },
                Some(comment_id),
            ),
            None => (
                Request::PostComment {
                    token,
                    order_id: self.order_id,
                    body,
                    internal: composer.internal,
                },
                None,
            ),
        };
        self.writing.begin_if_idle(ctx, request, select)
    }

    fn composer_mut(&mut self) -> Option<&mut Composer> {
        match &mut self.mode {
            Mode::Compose(c) => Some(c),
            Mode::Browse | Mode::ConfirmDiscard(_) => None,
        }
    }
}

impl CommentsScreen {
    /// Another station posted, edited or resolved a comment of the build: the thread is read again,
    /// keeping the selection and the text being written (docs/live.md §3.3).
    fn live(&mut self, ev: &LiveEvent, ctx: &mut Ctx) -> Command {
        if !ev.touches_build_in(self.order_id, &[Entity::Comment]) {
            return Command::None;
        }
        if self.stale.touched(self.loading.in_flight(), ev.by_line()) {
            self.reload(ctx)
        } else {
            Command::None
        }
    }

    fn after_live_load(&mut self, before: usize, ctx: &mut Ctx) -> Command {
        let by = match self.stale.answered() {
            Answered::Again => return self.reload(ctx),
            Answered::Fresh(by) => by,
        };
        if let Some(by) = by {
            let now = self.thread.as_ref().map_or(0, |t| t.comments.len());
            let text = if now > before {
                format!("New comment{by}")
            } else {
                format!("Comments updated{by}")
            };
            ctx.toast(crate::widgets::toast::Toast::info(text));
        }
        Command::None
    }
}

impl Screen for CommentsScreen {
    fn title(&self) -> &'static str {
        "Comments"
    }

    fn key_contexts(&self) -> Vec<KeyContext> {
        match &self.mode {
            Mode::Browse => {
                let mut stack = Vec::new();
                if self.may_resolve {
                    stack.push(KeyContext::CommentResolve);
                }
                stack.extend([KeyContext::Comments, KeyContext::List]);
                stack
            }
            Mode::Compose(_) => vec![KeyContext::TextInput, KeyContext::CommentCompose],
            Mode::ConfirmDiscard(_) => vec![KeyContext::Confirm],
        }
    }

    fn has_unsaved_input(&self) -> bool {
        match &self.mode {
            Mode::Compose(c) | Mode::ConfirmDiscard(c) => c.has_input(),
            Mode::Browse => false,
        }
    }

    fn accepts_keys(&self) -> bool {
        self.thread.is_some() || self.load_error.is_some()
    }

    fn on_live(&mut self, ev: &LiveEvent, ctx: &mut Ctx) -> Command {
        self.live(ev, ctx)
    }

    fn on_action(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        match &self.mode {
            Mode::Browse => self.on_browse(action, ctx),
            Mode::Compose(_) => self.on_compose(action, ctx),
            Mode::ConfirmDiscard(_) => {
                let mode = std::mem::replace(&mut self.mode, Mode::Browse);
                if let Mode::ConfirmDiscard(composer) = mode
                    && action != Action::Yes
                {
                    self.mode = Mode::Compose(composer);
                }
                Command::None
            }
        }
    }

    fn on_char(&mut self, c: char) {
        if let Some(composer) = self.composer_mut() {
            composer.type_text(c.encode_utf8(&mut [0; 4]));
        }
    }

    fn on_paste(&mut self, text: &str) {
        if let Some(composer) = self.composer_mut() {
            composer.type_text(text);
        }
    }

    fn on_reply(&mut self, reply: ServiceReply, ctx: &mut Ctx) -> Command {
        if self.loading.take(reply.id).is_some() {
            match reply.result {
                Ok(Reply::Comments(thread)) => {
                    let before = self.thread.as_ref().map_or(0, |t| t.comments.len());
                    self.take_thread(thread, None);
                    return self.after_live_load(before, ctx);
                }
                Ok(_) => {}
                Err(e) => self.load_error = Some(e.user_message()),
            }
            return Command::None;
        }
        let Some(select) = self.writing.take(reply.id) else {
            return Command::None;
        };
        match reply.result {
            Ok(Reply::Comments(mut thread)) => {
                self.notice = thread.notice.take();
                self.error = None;
                // A new comment is the last of the thread.
                let select = select.or_else(|| thread.comments.last().map(|c| c.id));
                self.take_thread(thread, select);
                if matches!(self.mode, Mode::Compose(_)) {
                    self.mode = Mode::Browse;
                }
            }
            Ok(_) => {}
            Err(e) => match self.composer_mut() {
                Some(composer) => composer.error = Some(e.user_message()),
                None => self.error = Some(e.user_message()),
            },
        }
        Command::None
    }

    fn view(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        self.draw(frame, area, theme);
    }
}

#[cfg(test)]
mod tests;
