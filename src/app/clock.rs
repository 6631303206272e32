//! When the shell draws and when it gives the screen the time: the frame is asked for only when
//! something shown changed (docs/performance.md §2.1), and the screen gets the clock at its `wake_at`
//! and with the moment of each key and paste (§3).

use super::App;
use crate::msg::Command;
use crate::screens::{Screen, ScreenMsg};
use crate::widgets::status_bar::DbStatus;
use crate::widgets::toast::ToastKind;
use std::time::Instant;

/// What the shell shows around the screen, compared before and after a tick (docs/performance.md §2.1).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct ShellShown {
    toast: Option<(ToastKind, String)>,
    overlays: usize,
    locked: bool,
    db: DbStatus,
    unread: Option<i64>,
    signed_in: bool,
}

impl App {
    /// Whether the runtime should draw a frame: something shown changed since the last `view`, and no
    /// keys are held (held keys change nothing on screen; not drawing keeps a scanner's burst
    /// together). Ticks that change nothing shown leave it false (docs/performance.md §2.1).
    pub fn needs_draw(&self) -> bool {
        self.needs_draw && !self.is_holding_keys()
    }

    /// When the runtime must wake the shell (`Msg::Wake`) if nothing else arrives: the held keys of
    /// a burst that turned out to be typing are due then (docs/scanning.md §1), or the screen asked
    /// for the clock at a moment (`Screen::wake_at`, docs/performance.md §3.1).
    pub fn next_deadline(&self) -> Option<Instant> {
        match (self.scans.deadline(), self.screen_wake()) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// The screen's `wake_at`, unless a tick at or after it was already given: a screen that keeps
    /// naming a past moment is served by the periodic tick, never in a loop (docs/performance.md §3.2).
    fn screen_wake(&self) -> Option<Instant> {
        self.screen
            .wake_at()
            .filter(|at| self.screen_clock.is_none_or(|given| *at > given))
    }

    /// A key or a paste that went to the screen is followed by the moment it arrived, so the screen
    /// times what it starts from the input itself (docs/performance.md §3.3).
    pub(super) fn stamp_input(&mut self, at: Instant) -> Command {
        if std::mem::take(&mut self.screen_input) {
            self.tick_screen(at)
        } else {
            Command::None
        }
    }

    /// The periodic tick (`periodic`) or a wake-up at `App::next_deadline`: held keys that are due,
    /// the shell's timers (on the tick), and the screen's clock when it is due or on the tick. Asks
    /// for a frame only when something shown changed (docs/performance.md §2.1).
    pub(super) fn on_clock(&mut self, now: Instant, periodic: bool) -> Command {
        let before = self.shell_shown();
        self.screen_input = false;
        let keys = self.scans.wake(now);
        if !keys.is_empty() {
            self.needs_draw = true;
        }
        let mut cmd = self.apply_keys(keys);
        let typed = std::mem::take(&mut self.screen_input);
        if periodic {
            cmd = cmd.and(self.on_tick(now));
        }
        let due = self.screen_wake().is_some_and(|at| at <= now);
        if periodic || due || typed {
            cmd = cmd.and(self.tick_screen(now));
        }
        if self.shell_shown() != before {
            self.needs_draw = true;
        }
        cmd
    }

    /// Gives the screen the time. A tick the screen asked for (`wake_at` due), or one it answers with
    /// a request or an effect, is taken to change what it shows (docs/performance.md §2.1).
    fn tick_screen(&mut self, now: Instant) -> Command {
        let due = self.screen_wake().is_some_and(|at| at <= now);
        self.screen_clock = Some(self.screen_clock.map_or(now, |given| given.max(now)));
        let cmd = self.send_screen(ScreenMsg::Tick(now));
        if due || !matches!(cmd, Command::None) {
            self.needs_draw = true;
        }
        cmd
    }

    pub(super) fn shell_shown(&self) -> ShellShown {
        ShellShown {
            toast: self.toast.as_ref().map(|t| (t.kind, t.text.clone())),
            overlays: self.overlays.len(),
            locked: self.is_locked(),
            db: self.db,
            unread: self.unread,
            signed_in: self.session.is_some(),
        }
    }
}
