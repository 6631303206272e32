//! The task runner: an assembler works through a build's tasks with the work instruction, tools and parts.
//!
//! The focused task runs a timer from the moment it gets focus (taken from the ticks, never the clock);
//! its whole minutes go with the completion. The list reloads every few seconds while nothing is being
//! typed or saved, so work done at another station shows up; the focused task and its timer survive it.

mod answers;
mod dialogs;
mod hold;
mod live;
mod view;

pub use dialogs::{Dialog, NA_CHOICES, NA_KIND, NA_REASON};

use crate::domain::Role;
use crate::domain::checklist::CheckType;
use crate::domain::live::LiveEvent;
use crate::domain::tasks::{TaskCompletion, TaskListView, TaskView};
use crate::error::{Result, ServiceError};
use crate::keymap::{Action, HelpLine, KeyContext};
use crate::msg::{Command, Reply, Request, ServiceReply};
use crate::screens::Screen;
use crate::screens::live_reads::Stale;
use crate::screens::pending::Pending;
use crate::screens::{Ctx, Effect, ScreenId};
use crate::theme::Theme;
use crate::widgets::form_field::Form;
use ratatui::Frame;
use ratatui::layout::Rect;
use std::time::{Duration, Instant};
use uuid::Uuid;

/// How often the list reloads on its own: only a safety net, since other stations' work arrives as
/// live events (docs/live.md §3.5).
pub const REFRESH_EVERY: Duration = Duration::from_secs(60);

/// What a write in flight is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saving {
    Complete,
    Reopen,
    Note,
}

/// A line under the header about the last key or request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    Info(String),
    Error(String),
}

pub struct TaskRunnerScreen {
    order_id: Uuid,
    /// The user's role may change tasks (the server decides; this only spares a refusal).
    role_may_edit: bool,
    /// "PO 4500012 · build 24-0126", once the build detail has loaded.
    build_label: Option<String>,
    detail_load: Pending,
    load: Pending,
    load_error: Option<String>,
    list: Option<TaskListView>,
    focus: usize,
    /// The Instant of the latest tick.
    now: Option<Instant>,
    /// When the focused task got focus; `None` until the first tick after that.
    timer_start: Option<Instant>,
    last_load: Option<Instant>,
    saving: Pending<Saving>,
    dialog: Option<Dialog>,
    notice: Option<Notice>,
    /// Another station completed the focused task first: after the reload, move on to the next open one.
    move_on_after_reload: bool,
    /// Detail pane scroll, in rows; the view clamps it and records the sizes it drew.
    detail_scroll: u16,
    detail_rows: u16,
    detail_lines: u16,
    list_scroll: usize,
    confirm_keys: Vec<HelpLine>,
    /// Another station changed the build's tasks (docs/live.md §3.3).
    stale: Stale,
    /// The build's hold and the hold keys offered, from its detail (docs/holds.md §2).
    hold: hold::HoldState,
    hold_dialog: Option<Box<crate::screens::hold_dialog::HoldDialog>>,
}

impl TaskRunnerScreen {
    pub fn open(order_id: Uuid, ctx: &mut Ctx) -> (TaskRunnerScreen, Command) {
        let role_may_edit = ctx
            .session()
            .is_some_and(|s| matches!(s.user.role, Role::Assembler | Role::Admin));
        let mut s = TaskRunnerScreen {
            order_id,
            role_may_edit,
            build_label: None,
            detail_load: Pending::new(),
            load: Pending::new(),
            load_error: None,
            list: None,
            focus: 0,
            now: None,
            timer_start: None,
            last_load: None,
            saving: Pending::new(),
            dialog: None,
            notice: None,
            move_on_after_reload: false,
            detail_scroll: 0,
            detail_rows: 0,
            detail_lines: 0,
            list_scroll: 0,
            confirm_keys: ctx.keymap().key_bar(&[KeyContext::Confirm]),
            stale: Stale::default(),
            hold: hold::HoldState::default(),
            hold_dialog: None,
        };
        let detail = s.reload_detail(ctx);
        let tasks = s.reload(ctx);
        (s, Command::Batch(vec![tasks, detail]))
    }

    pub fn order_id(&self) -> Uuid {
        self.order_id
    }

    pub fn list(&self) -> Option<&TaskListView> {
        self.list.as_ref()
    }

    /// The focused task.
    pub fn focused(&self) -> Option<&TaskView> {
        self.list.as_ref().and_then(|l| l.tasks.get(self.focus))
    }

    pub fn dialog(&self) -> Option<&Dialog> {
        self.dialog.as_ref()
    }

    pub fn notice(&self) -> Option<&Notice> {
        self.notice.as_ref()
    }

    pub fn saving(&self) -> Option<Saving> {
        self.saving.with().copied()
    }

    pub fn load_error(&self) -> Option<&str> {
        self.load_error.as_deref()
    }

    pub fn detail_scroll(&self) -> u16 {
        self.detail_scroll
    }

    /// Time on the focused task so far.
    pub fn elapsed(&self) -> Duration {
        match (self.timer_start, self.now) {
            (Some(start), Some(now)) => now.saturating_duration_since(start),
            _ => Duration::ZERO,
        }
    }

    /// Whole minutes on the focused task, rounded up.
    pub fn minutes_spent(&self) -> i32 {
        let secs = self.elapsed().as_secs();
        i32::try_from(secs.div_ceil(60)).unwrap_or(i32::MAX)
    }

    /// Why the tasks are only shown, or `None` when this user may work them.
    pub fn read_only_reason(&self) -> Option<String> {
        if let Some(reason) = self.list.as_ref().and_then(|l| l.locked.clone()) {
            return Some(reason);
        }
        (!self.role_may_edit).then(|| "only assemblers work the tasks".to_string())
    }

    fn may_edit(&self) -> bool {
        self.list.is_some() && self.read_only_reason().is_none()
    }

    pub fn all_done(&self) -> bool {
        self.list
            .as_ref()
            .is_some_and(|l| l.total() > 0 && l.done() == l.total())
    }

    fn reload(&mut self, ctx: &mut Ctx) -> Command {
        let Some(token) = ctx.token() else {
            return Command::None;
        };
        let cmd = self.load.begin(
            ctx,
            Request::TaskList {
                token,
                order_id: self.order_id,
            },
            (),
        );
        self.last_load = self.now;
        cmd
    }

    fn loaded(&mut self, view: TaskListView) {
        let kept = self
            .focused()
            .map(|t| t.id)
            .and_then(|id| view.tasks.iter().position(|t| t.id == id));
        let first = self.list.is_none();
        self.load_error = None;
        self.list = Some(view);
        let move_on = std::mem::take(&mut self.move_on_after_reload);
        match kept {
            Some(i) => {
                self.focus = i;
                let done = self.focused().is_some_and(|t| t.is_completed);
                if move_on
                    && done
                    && let Some(next) = self.next_open_after(i)
                {
                    self.set_focus(next);
                }
            }
            None => {
                let start = if first {
                    self.first_focus()
                } else {
                    self.focus.min(self.task_count().saturating_sub(1))
                };
                self.set_focus(start);
            }
        }
    }

    fn load_failed(&mut self, message: String) {
        if self.list.is_some() {
            self.notice = Some(Notice::Error(format!(
                "Could not refresh the tasks: {message}"
            )));
        } else {
            self.load_error = Some(message);
        }
    }

    fn task_count(&self) -> usize {
        self.list.as_ref().map_or(0, |l| l.tasks.len())
    }

    /// The first open task, or the last task when all are done.
    fn first_focus(&self) -> usize {
        let Some(list) = &self.list else {
            return 0;
        };
        match list.next_open() {
            Some(t) => list.tasks.iter().position(|x| x.id == t.id).unwrap_or(0),
            None => list.tasks.len().saturating_sub(1),
        }
    }

    /// Focuses task `i` and restarts the timer from the latest tick.
    fn set_focus(&mut self, i: usize) {
        self.focus = i;
        self.timer_start = self.now;
        self.detail_scroll = 0;
    }

    fn move_focus(&mut self, to: usize) {
        let n = self.task_count();
        if n == 0 {
            return;
        }
        let to = to.min(n - 1);
        if to != self.focus {
            self.set_focus(to);
        }
    }

    /// The next open task after `from`, wrapping to the first open one.
    fn next_open_after(&self, from: usize) -> Option<usize> {
        let tasks = &self.list.as_ref()?.tasks;
        let after = tasks
            .iter()
            .enumerate()
            .skip(from + 1)
            .find(|(_, t)| !t.is_completed);
        after
            .or_else(|| tasks.iter().enumerate().find(|(_, t)| !t.is_completed))
            .map(|(i, _)| i)
    }

    fn saved(&mut self, kind: Saving, result: Result<Reply>, ctx: &mut Ctx) -> Command {
        match result {
            Ok(Reply::Task(task)) => {
                self.dialog = None;
                let Some(list) = self.list.as_mut() else {
                    return Command::None;
                };
                let Some(i) = list.tasks.iter().position(|t| t.id == task.id) else {
                    return self.reload(ctx);
                };
                let sequence = task.sequence;
                if let Some(slot) = list.tasks.get_mut(i) {
                    *slot = *task;
                }
                self.notice = Some(Notice::Info(match kind {
                    Saving::Complete => format!("Task {sequence} done"),
                    Saving::Reopen => format!("Task {sequence} reopened"),
                    Saving::Note => format!("Note added to task {sequence}"),
                }));
                match kind {
                    Saving::Complete => {
                        if let Some(next) = self.next_open_after(i) {
                            self.set_focus(next);
                        }
                    }
                    Saving::Reopen => self.set_focus(i),
                    Saving::Note => {}
                }
                Command::None
            }
            Ok(_) => {
                self.refuse("The server sent an unexpected reply; reloading".into());
                self.reload(ctx)
            }
            Err(e @ ServiceError::Conflict(_)) => {
                self.dialog = None;
                self.notice = Some(Notice::Error(e.user_message()));
                self.move_on_after_reload = matches!(kind, Saving::Complete);
                self.reload(ctx)
            }
            Err(e) => {
                self.refuse(e.user_message());
                Command::None
            }
        }
    }

    /// A refusal: inside the open dialog (its input kept), else under the header.
    fn refuse(&mut self, message: String) {
        match &mut self.dialog {
            Some(d @ (Dialog::Choice { .. } | Dialog::Na { .. } | Dialog::Note { .. })) => {
                d.set_error(message);
            }
            _ => {
                self.dialog = None;
                self.notice = Some(Notice::Error(message));
            }
        }
    }

    fn open_testing(&mut self, ctx: &mut Ctx) {
        let Some(list) = &self.list else {
            return;
        };
        let open = list.total() - list.done();
        if open == 0 {
            ctx.emit(Effect::Navigate(ScreenId::TestingForm(self.order_id)));
        } else {
            self.notice = Some(Notice::Info(format!("{open} task(s) still open")));
        }
    }

    fn complete(&mut self, ctx: &mut Ctx) -> Command {
        let Some(task) = self.focused() else {
            return Command::None;
        };
        if task.is_completed {
            let text = format!("Task {} is already done; u reopens it", task.sequence);
            self.notice = Some(Notice::Info(text));
            return Command::None;
        }
        let id = task.id;
        match task.check_type {
            Some(CheckType::MultiChoice) => {
                self.dialog = Some(Dialog::Choice {
                    task_id: id,
                    cursor: 0,
                    error: None,
                });
                Command::None
            }
            Some(CheckType::NaOption) => {
                self.dialog = Some(Dialog::na(id));
                Command::None
            }
            _ => self.send_completion(id, TaskCompletion::default(), ctx),
        }
    }

    fn ask_reopen(&mut self) {
        let Some(task) = self.focused() else {
            return;
        };
        if task.is_completed {
            self.dialog = Some(Dialog::Reopen {
                task_id: task.id,
                sequence: task.sequence,
            });
        } else {
            let text = format!("Task {} is not done yet", task.sequence);
            self.notice = Some(Notice::Info(text));
        }
    }

    fn send_completion(
        &mut self,
        task_id: Uuid,
        mut completion: TaskCompletion,
        ctx: &mut Ctx,
    ) -> Command {
        completion.minutes_spent = Some(self.minutes_spent());
        self.send(
            |token| Request::CompleteTask {
                token,
                task_id,
                completion,
            },
            Saving::Complete,
            ctx,
        )
    }

    fn send(
        &mut self,
        kind: impl FnOnce(String) -> Request,
        saving: Saving,
        ctx: &mut Ctx,
    ) -> Command {
        let Some(token) = ctx.token() else {
            return Command::None;
        };
        let cmd = self.saving.begin(ctx, kind(token), saving);
        self.notice = None;
        cmd
    }

    fn task(&self, id: Uuid) -> Option<&TaskView> {
        self.list.as_ref()?.tasks.iter().find(|t| t.id == id)
    }
}

impl Screen for TaskRunnerScreen {
    fn title(&self) -> &'static str {
        "Tasks"
    }

    fn key_contexts(&self) -> Vec<KeyContext> {
        if let Some(d) = &self.hold_dialog {
            return d.key_contexts();
        }
        if let Some(d) = &self.dialog {
            return d.key_contexts();
        }
        let mut stack = Vec::new();
        if self.may_edit() && !self.saving.in_flight() {
            stack.push(KeyContext::TaskEdit);
        }
        stack.extend(self.hold.contexts());
        stack.extend([KeyContext::TaskRunner, KeyContext::List]);
        stack
    }

    fn has_unsaved_input(&self) -> bool {
        self.dialog.as_ref().is_some_and(Dialog::has_input)
            || self.hold_dialog.as_ref().is_some_and(|d| d.has_input())
    }

    fn on_action(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        if self.hold_dialog.is_some() {
            return self.on_hold_key(action, ctx);
        }
        if self.dialog.is_some() {
            return self.on_dialog_action(action, ctx);
        }
        match action {
            Action::Back => {
                ctx.emit(Effect::Navigate(ScreenId::OrderDetail(self.order_id)));
                Command::None
            }
            Action::Refresh => {
                self.notice = None;
                let tasks = self.reload(ctx);
                Command::Batch(vec![tasks, self.reload_detail(ctx)])
            }
            Action::PlaceHold | Action::ReleaseHold => self.start_hold(action, ctx),
            Action::Up => {
                self.move_focus(self.focus.saturating_sub(1));
                Command::None
            }
            Action::Down => {
                self.move_focus(self.focus + 1);
                Command::None
            }
            Action::First => {
                self.move_focus(0);
                Command::None
            }
            Action::Last => {
                self.move_focus(usize::MAX);
                Command::None
            }
            Action::PageDown => {
                let page = self.detail_rows.saturating_sub(1).max(1);
                let max = self.detail_lines.saturating_sub(self.detail_rows);
                self.detail_scroll = self.detail_scroll.saturating_add(page).min(max);
                Command::None
            }
            Action::PageUp => {
                let page = self.detail_rows.saturating_sub(1).max(1);
                self.detail_scroll = self.detail_scroll.saturating_sub(page);
                Command::None
            }
            Action::OpenTesting => {
                self.open_testing(ctx);
                Command::None
            }
            Action::CompleteTask | Action::ReopenTask | Action::AddNote => {
                if !self.may_edit() || self.saving.in_flight() {
                    return Command::None;
                }
                match action {
                    Action::CompleteTask => self.complete(ctx),
                    Action::ReopenTask => {
                        self.ask_reopen();
                        Command::None
                    }
                    _ => {
                        if let Some(t) = self.focused() {
                            self.dialog = Some(Dialog::note(t.id));
                        }
                        Command::None
                    }
                }
            }
            _ => Command::None,
        }
    }

    fn on_reply(&mut self, reply: ServiceReply, ctx: &mut Ctx) -> Command {
        if self.detail_load.answered_by(reply.id) {
            if let Ok(Reply::Order(d)) = reply.result {
                self.build_label = Some(format!(
                    "PO {} · build {}",
                    d.header.po_number, d.build.build_number
                ));
                self.hold = hold::HoldState::of(&d);
            }
            return Command::None;
        }
        if let Some(cmd) = self.hold_reply(&reply, ctx) {
            return cmd;
        }
        if self.load.answered_by(reply.id) {
            match reply.result {
                Ok(Reply::TaskList(view)) => {
                    let before = self.list.clone();
                    self.loaded(*view);
                    return self.after_load(before.as_ref(), ctx);
                }
                Ok(_) => self.load_failed("unexpected reply".into()),
                Err(e) => self.load_failed(e.user_message()),
            }
            return Command::None;
        }
        match self.saving.take(reply.id) {
            Some(kind) => self.saved(kind, reply.result, ctx),
            None => Command::None,
        }
    }

    fn on_live(&mut self, ev: &LiveEvent, ctx: &mut Ctx) -> Command {
        self.live(ev, ctx)
    }

    fn on_tick(&mut self, now: Instant, ctx: &mut Ctx) -> Command {
        self.now = Some(now);
        if self.list.is_some() && self.timer_start.is_none() {
            self.timer_start = Some(now);
        }
        let Some(last) = self.last_load else {
            self.last_load = Some(now);
            return Command::None;
        };
        let idle = !self.load.in_flight() && !self.saving.in_flight() && self.dialog.is_none();
        if idle && self.list.is_some() && now.saturating_duration_since(last) >= REFRESH_EVERY {
            return self.reload(ctx);
        }
        Command::None
    }

    /// The focused task's timer shows whole seconds: the next one begins then, and the shell draws
    /// it on time instead of with the next periodic tick (docs/performance.md §2.2).
    fn wake_at(&self) -> Option<Instant> {
        let start = self.timer_start?;
        self.now?;
        if self.focused().is_none_or(|t| t.is_completed) {
            return None;
        }
        Some(start + Duration::from_secs(self.elapsed().as_secs() + 1))
    }

    fn text_form(&mut self) -> Option<&mut Form> {
        if let Some(d) = self.hold_dialog.as_mut() {
            return d.text_form();
        }
        match &mut self.dialog {
            Some(Dialog::Na { form, .. } | Dialog::Note { form, .. }) => Some(form),
            _ => None,
        }
    }

    /// Keys wait for the tasks it completes: none until the first load has answered (docs/architecture.md §3.2).
    fn accepts_keys(&self) -> bool {
        self.list.is_some() || self.load_error.is_some()
    }

    fn view(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        view::draw(self, frame, area, theme);
    }
}
