//! Re-reads after live events (docs/live.md §3.1): at most one on its way per screen. Events that arrive
//! meanwhile are gathered and go out together when it answers, so a burst of commits elsewhere costs
//! this station one request at a time, and a reply that left before the last commit is followed by
//! one that did not.

use crate::domain::live::{Entity, LiveEvent};
use crate::msg::{Command, RequestId};
use crate::screens::Ctx;
use crate::screens::pending::Pending;
use uuid::Uuid;

/// What a re-read asks for: the keys (rows, records) and who made the change, " by … at station …".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asked<K> {
    pub keys: Vec<K>,
    pub by: String,
}

#[derive(Debug, Clone)]
pub struct LiveReads<K = ()> {
    on_way: Pending<Asked<K>>,
    gathered: Option<Asked<K>>,
}

impl<K> Default for LiveReads<K> {
    fn default() -> Self {
        LiveReads {
            on_way: Pending::new(),
            gathered: None,
        }
    }
}

impl<K: PartialEq> LiveReads<K> {
    /// Notes what an event asks to re-read. Returns what to ask for now, or `None` while a re-read is
    /// on its way: then the keys go out with the next.
    pub fn gather(&mut self, keys: impl IntoIterator<Item = K>, by: String) -> Option<Asked<K>> {
        let g = self.gathered.get_or_insert(Asked {
            keys: Vec::new(),
            by: String::new(),
        });
        for k in keys {
            if !g.keys.contains(&k) {
                g.keys.push(k);
            }
        }
        g.by = by;
        self.take_next()
    }

    /// The gathered keys, when nothing is on its way.
    pub fn take_next(&mut self) -> Option<Asked<K>> {
        if self.on_way.in_flight() {
            return None;
        }
        self.gathered.take()
    }

    /// The re-read went out as `id`.
    pub fn sent(&mut self, id: RequestId, asked: Asked<K>) {
        self.on_way.wait_for(id, asked);
    }

    /// The reply with this id answers the re-read: what it asked for.
    pub fn answered(&mut self, id: RequestId) -> Option<Asked<K>> {
        self.on_way.take(id)
    }

    /// The reply with this id answers the re-read (without taking it).
    pub fn waits_for(&self, id: RequestId) -> bool {
        self.on_way.is(id)
    }
}

impl LiveReads {
    /// For a screen that re-reads all it shows: one more re-read is wanted.
    pub fn want(&mut self, by: String) -> Option<Asked<()>> {
        self.gather([()], by)
    }
}

/// For a screen that shows one record and re-reads all of it through its own load request
/// (docs/live.md §3.1, §3.3). The load is not sent while one is on its way (its answer may predate the
/// change: it goes once more when that answers), nor, on a screen with a form, under the user's hands
/// (a dialog open, answers not yet saved): it goes when the user is done.
#[derive(Debug, Clone, Default)]
pub struct Stale {
    /// A re-read is due.
    due: bool,
    /// Who made the last change: " by … at station …".
    by: Option<String>,
}

impl Stale {
    /// An event touched the record. True when the screen should load now; false when it must `wait`
    /// (a load on its way, the user busy): the re-read is then due.
    pub fn touched(&mut self, wait: bool, by: String) -> bool {
        self.by = Some(by);
        self.due |= wait;
        !wait
    }

    /// True when a due re-read may go now (the screen no longer has to `wait`); it is then no longer due.
    pub fn due_now(&mut self, wait: bool) -> bool {
        if wait || !self.due {
            return false;
        }
        self.due = false;
        true
    }

    /// A re-read is due.
    pub fn is_due(&self) -> bool {
        self.due
    }

    /// The load answered: `Again` when it must go once more, else who made the change it shows
    /// (`None` for a load nobody else's change asked for).
    pub fn answered(&mut self) -> Answered {
        if self.due_now(false) {
            Answered::Again
        } else {
            Answered::Fresh(self.by.take())
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answered {
    Again,
    Fresh(Option<String>),
}

/// A screen with a form over one build's record (testing, packaging, QC): it re-reads when another
/// station changes what it shows, but never under the user's hands (docs/live.md §3.3).
pub trait LiveForm {
    /// The build the form belongs to.
    fn build(&self) -> Uuid;
    /// The kinds of record the form shows.
    fn shown(&self) -> &'static [Entity];
    /// The re-read must wait: a load on its way, a dialog open, answers not yet saved.
    fn must_wait(&self) -> bool;
    fn stale(&mut self) -> &mut Stale;
    /// Asks for the form again.
    fn load_again(&mut self, ctx: &mut Ctx) -> Command;
    /// Shows a line to the user: a toast, unless the form has a line of its own.
    fn say(&mut self, text: String, ctx: &mut Ctx) {
        ctx.toast(crate::widgets::toast::Toast::info(text));
    }

    /// An event: re-read now, or once the user is done (saying so meanwhile).
    fn live_event(&mut self, ev: &LiveEvent, ctx: &mut Ctx) -> Command {
        if !ev.touches_build_in(self.build(), self.shown()) {
            return Command::None;
        }
        let wait = self.must_wait();
        if self.stale().touched(wait, ev.by_line()) {
            return self.load_again(ctx);
        }
        self.say(
            format!(
                "Changed at another station{}; shown once your entry is saved",
                ev.by_line()
            ),
            ctx,
        );
        Command::None
    }

    /// The clock ticked: a due re-read goes once the user is done.
    fn live_tick(&mut self, ctx: &mut Ctx) -> Command {
        let wait = self.must_wait();
        if self.stale().due_now(wait) {
            return self.load_again(ctx);
        }
        Command::None
    }

    /// The form was read: once more if a change came meanwhile (and the user is not busy), else, when
    /// another station's change asked for it, `what` says who made it.
    fn live_loaded(&mut self, what: &str, ctx: &mut Ctx) -> Command {
        let cmd = self.live_tick(ctx);
        if cmd != Command::None || self.stale().is_due() {
            return cmd;
        }
        if let Answered::Fresh(Some(by)) = self.stale().answered() {
            self.say(format!("{what} updated{by}"), ctx);
        }
        Command::None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_costs_one_request_at_a_time_and_nothing_is_dropped() {
        let mut r: LiveReads<u32> = LiveReads::default();
        let first = r.gather([1, 2], " by A".into()).expect("sent at once");
        assert_eq!(first.keys, vec![1, 2]);
        r.sent(RequestId(7), first);
        assert!(r.gather([2, 3], " by B".into()).is_none());
        assert!(r.gather([4], " by C".into()).is_none());
        assert!(r.answered(RequestId(6)).is_none(), "not ours");
        assert_eq!(r.answered(RequestId(7)).map(|a| a.keys), Some(vec![1, 2]));
        let next = r.take_next().expect("the gathered ones go next");
        assert_eq!(next.keys, vec![2, 3, 4]);
        assert_eq!(next.by, " by C");
        assert!(r.take_next().is_none());
    }

    #[test]
    fn a_record_loads_once_more_when_an_event_met_a_load_on_its_way() {
        let mut s = Stale::default();
        assert!(
            s.touched(false, " by A".into()),
            "nothing on its way: load now"
        );
        assert_eq!(s.answered(), Answered::Fresh(Some(" by A".into())));
        assert_eq!(s.answered(), Answered::Fresh(None), "a user's own reload");
        assert!(!s.touched(true, " by B".into()), "a load is on its way");
        assert_eq!(
            s.answered(),
            Answered::Again,
            "that answer may predate the change"
        );
        assert_eq!(s.answered(), Answered::Fresh(Some(" by B".into())));
        // A form waits for its user: the re-read is due until the user is done.
        assert!(!s.touched(true, " by C".into()));
        assert!(!s.due_now(true), "still busy");
        assert!(s.is_due());
        assert!(s.due_now(false));
        assert!(!s.is_due());
        assert_eq!(s.answered(), Answered::Fresh(Some(" by C".into())));
    }
}
