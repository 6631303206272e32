//! Re-reads after live events (docs/live.md §3.1): at most one on its way per screen. Events that arrive
//! meanwhile are gathered and go out together when it answers, so a burst of commits elsewhere costs
//! this station one request at a time, and a reply that left before the last commit is followed by
//! one that did not.

use crate::msg::RequestId;
use crate::screens::pending::Pending;

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
}
