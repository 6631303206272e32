//! The shell's side of live updates (docs/live.md §2–§3): the link's state in the status bar, the unread
//! count, and each event handed to the screen shown.

use super::App;
use crate::domain::live::LiveEvent;
use crate::live::Live;
use crate::msg::Command;
use crate::screens::ScreenMsg;

impl App {
    pub(super) fn on_live(&mut self, live: Live) -> Command {
        match live {
            Live::Down => {
                self.needs_draw |= !self.live_paused;
                self.live_paused = true;
                Command::None
            }
            Live::Up { resync } => {
                self.needs_draw |= self.live_paused;
                self.live_paused = false;
                if resync {
                    self.on_live_event(LiveEvent::resync())
                } else {
                    Command::None
                }
            }
            Live::Event(ev) => self.on_live_event(ev),
        }
    }

    fn on_live_event(&mut self, ev: LiveEvent) -> Command {
        let Some(session) = &self.session else {
            return Command::None;
        };
        // This station's own writes are already on its screen, from their replies.
        if ev.is_own(session.user.id, &self.agent()) {
            return Command::None;
        }
        let mut cmd = Command::None;
        if ev.notifies(session.user.id) && self.heartbeat_pending.is_none() {
            cmd = self.heartbeat(session.token.clone());
        }
        let screen_cmd = self.send_screen(ScreenMsg::Live(ev));
        // An event the screen does not show draws nothing (docs/performance.md §2.1); one it does
        // comes back as a reply, which draws.
        if screen_cmd != Command::None {
            self.needs_draw = true;
        }
        cmd.and(screen_cmd)
    }

    /// How this station names itself in the records it writes (the audit trail's agent).
    pub fn agent(&self) -> String {
        format!("station:{}", self.station)
    }
}
