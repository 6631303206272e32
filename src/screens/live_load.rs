//! Live re-reads for a screen that reads all it shows with one load request, the one its refresh
//! sends (docs/live.md §3.4): an event that touches the screen sends that load again, one at a time
//! (§3.1), and the reply is handled as the refresh's is, keeping the selection, the scroll position,
//! any open dialog and what was typed in it.

use crate::msg::{Command, RequestId};
use crate::screens::Ctx;
use crate::screens::live_reads::{Asked, LiveReads};

/// What a screen gives to re-read through its load. The screen calls [`LiveLoad::live_want`] from
/// `on_live`, and in `on_reply` takes [`LiveLoad::live_answered`] first (before its own load
/// check, so a re-read that a refresh superseded still frees the way) and [`LiveLoad::live_next`]
/// after handling the reply.
pub trait LiveLoad {
    fn live_reads(&mut self) -> &mut LiveReads;

    /// Sends the screen's load (the refresh's request, waited for as the refresh waits for it) and
    /// hands back its id; `None` when nothing could be sent (no session).
    fn send_load(&mut self, ctx: &mut Ctx) -> Option<(RequestId, Command)>;

    /// An event touched what the screen shows: the load goes out now, or after the re-read on its
    /// way answers.
    fn live_want(&mut self, by: String, ctx: &mut Ctx) -> Command {
        match self.live_reads().want(by) {
            Some(asked) => self.live_send(asked, ctx),
            None => Command::None,
        }
    }

    fn live_send(&mut self, asked: Asked<()>, ctx: &mut Ctx) -> Command {
        match self.send_load(ctx) {
            Some((id, cmd)) => {
                self.live_reads().sent(id, asked);
                cmd
            }
            None => Command::None,
        }
    }

    /// The reply with this id answers a live re-read: who made the change, " by … at station …".
    fn live_answered(&mut self, id: RequestId) -> Option<String> {
        self.live_reads().answered(id).map(|a| a.by)
    }

    /// The re-read gathered while one was on its way, once that one answered.
    fn live_next(&mut self, ctx: &mut Ctx) -> Command {
        match self.live_reads().take_next() {
            Some(asked) => self.live_send(asked, ctx),
            None => Command::None,
        }
    }

    /// The screen's refresh: the same load, outside the live re-reads.
    fn refresh(&mut self, ctx: &mut Ctx) -> Command {
        self.send_load(ctx).map_or(Command::None, |(_, cmd)| cmd)
    }
}
