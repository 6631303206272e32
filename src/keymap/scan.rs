//! The scan detector: tells a keyboard-wedge scanner from a person by the speed of the keys
//! (docs/scanning.md §1).
//!
//! A scan is a burst: a run of printable keys, each arriving less than [`SCAN_GAP`] after the one
//! before, that began after a quiet gap, has at least [`SCAN_MIN_LEN`] characters and ends in Enter,
//! and whose text reads as a code ([`Scan::parse`]). While a burst may still be a scan its keys are
//! held; they are released, in order, as ordinary keys as soon as it cannot be one (a gap reaches
//! the threshold, another key such as Tab arrives, or the text is no code). Pure: time arrives with
//! each key.

use crate::domain::scan::Scan;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::time::{Duration, Instant};

/// Keys closer together than this belong to one burst; a person types slower (60 ms and more
/// between keys), a scanner faster (a few ms).
pub const SCAN_GAP: Duration = Duration::from_millis(30);
/// The fewest characters before the Enter of a scan.
pub const SCAN_MIN_LEN: usize = 3;

/// Which scans the place where the keys arrive recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScanMode {
    /// A text field has the keys: they are typed, never held.
    Off,
    /// The login screen's fields: only a `U:` badge is a scan; other keys are typed at once.
    BadgesOnly,
    /// Outside a text field (and at the station lock): every code is a scan.
    All,
}

/// What the keys fed so far lead to.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Fed {
    /// Keys to apply now, in the order they arrived.
    pub keys: Vec<KeyEvent>,
    /// A scan completed by this key (after `keys`).
    pub scan: Option<Scan>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Burst {
    /// No burst, or one that ended in a scan: the next key may begin one.
    Open,
    /// Holding printable keys that may still be a scan.
    Holding,
    /// This burst cannot be a scan: its keys pass until a quiet gap.
    Typed,
    /// A scan just ended: a second line end the scanner sends with it is dropped.
    Scanned,
}

#[derive(Debug, Clone)]
pub struct ScanDetector {
    held: Vec<KeyEvent>,
    text: String,
    /// When the previous key arrived, held or not.
    last: Option<Instant>,
    burst: Burst,
}

impl Default for ScanDetector {
    fn default() -> Self {
        ScanDetector::new()
    }
}

/// A key that types a character: no Control or Alt.
fn printable(key: &KeyEvent) -> Option<char> {
    match key.code {
        KeyCode::Char(c)
            if !c.is_control()
                && !key
                    .modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            Some(c)
        }
        _ => None,
    }
}

fn is_enter(key: &KeyEvent) -> bool {
    key.code == KeyCode::Enter && key.modifiers.difference(KeyModifiers::SHIFT).is_empty()
}

/// Whether `text` may still become a badge: a prefix of `U:` or a text that starts with it.
fn may_be_badge(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    "u:".starts_with(&lower) || lower.starts_with("u:")
}

impl ScanDetector {
    pub fn new() -> ScanDetector {
        ScanDetector {
            held: Vec::new(),
            text: String::new(),
            last: None,
            burst: Burst::Open,
        }
    }

    /// When the held keys must be released if no other key comes: the runtime wakes then.
    pub fn deadline(&self) -> Option<Instant> {
        if self.held.is_empty() {
            None
        } else {
            self.last.map(|t| t + SCAN_GAP)
        }
    }

    pub fn is_holding(&self) -> bool {
        !self.held.is_empty()
    }

    /// Releases the held keys: their burst is typed, not scanned.
    pub fn release(&mut self) -> Vec<KeyEvent> {
        if !self.held.is_empty() {
            self.burst = Burst::Typed;
        }
        self.text.clear();
        std::mem::take(&mut self.held)
    }

    /// The deadline has come (`now` at or after it): the held keys are released.
    pub fn wake(&mut self, now: Instant) -> Vec<KeyEvent> {
        match self.deadline() {
            Some(d) if now >= d => self.release(),
            _ => Vec::new(),
        }
    }

    /// A key that arrived at `at`, where the keys go in `mode`.
    pub fn feed(&mut self, key: KeyEvent, at: Instant, mode: ScanMode) -> Fed {
        let continues = self
            .last
            .is_some_and(|last| at.saturating_duration_since(last) < SCAN_GAP);
        self.last = Some(at);
        let mut fed = Fed::default();
        if !continues {
            fed.keys = self.release();
            self.burst = Burst::Open;
        }
        if self.burst == Burst::Scanned && is_enter(&key) {
            return fed;
        }
        if self.burst == Burst::Holding && is_enter(&key) {
            if self.text.chars().count() >= SCAN_MIN_LEN
                && let Some(scan) = Scan::parse(&self.text)
                && (mode == ScanMode::All || scan.is_badge())
            {
                self.held.clear();
                self.text.clear();
                self.burst = Burst::Scanned;
                fed.scan = Some(scan);
                return fed;
            }
        } else if self.burst != Burst::Typed
            && let Some(c) = printable(&key)
        {
            let holds = match mode {
                ScanMode::Off => false,
                ScanMode::BadgesOnly => may_be_badge(&format!("{}{c}", self.text)),
                ScanMode::All => true,
            };
            if holds {
                self.held.push(key);
                self.text.push(c);
                self.burst = Burst::Holding;
                return fed;
            }
        }
        fed.keys.extend(self.release());
        self.burst = Burst::Typed;
        fed.keys.push(key);
        fed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    fn code(k: KeyCode) -> KeyEvent {
        KeyEvent::new(k, KeyModifiers::NONE)
    }

    /// `text` then Enter, one key every `gap`; every key applied and the scans, as text.
    fn run(
        d: &mut ScanDetector,
        start: Instant,
        text: &str,
        gap: Duration,
        mode: ScanMode,
    ) -> (String, Vec<Scan>) {
        let mut keys = Vec::new();
        let mut scans = Vec::new();
        let mut at = start;
        let events: Vec<KeyEvent> = text
            .chars()
            .map(|c| {
                if c == '\t' {
                    code(KeyCode::Tab)
                } else {
                    key(c)
                }
            })
            .chain([code(KeyCode::Enter)])
            .collect();
        for k in events {
            keys.extend(d.wake(at));
            let fed = d.feed(k, at, mode);
            keys.extend(fed.keys);
            scans.extend(fed.scan);
            at += gap;
        }
        keys.extend(d.wake(at + SCAN_GAP));
        (shown(&keys), scans)
    }

    fn shown(keys: &[KeyEvent]) -> String {
        keys.iter()
            .map(|k| match k.code {
                KeyCode::Char(c) => c.to_string(),
                KeyCode::Enter => "⏎".into(),
                KeyCode::Tab => "⇥".into(),
                other => format!("{other:?}"),
            })
            .collect()
    }

    const SCANNER: Duration = Duration::from_millis(4);

    #[test]
    fn a_fast_burst_ending_in_enter_is_a_scan_and_applies_no_key() {
        let mut d = ScanDetector::new();
        let (keys, scans) = run(&mut d, Instant::now(), "B-1001", SCANNER, ScanMode::All);
        assert_eq!(keys, "");
        assert_eq!(scans, vec![Scan::Code("B-1001".into())]);
        assert!(!d.is_holding());
    }

    #[test]
    fn prefixes_are_read_from_the_burst() {
        let mut d = ScanDetector::new();
        let t = Instant::now();
        let (_, a) = run(&mut d, t, "b:24-0117", SCANNER, ScanMode::All);
        let (_, b) = run(
            &mut d,
            t + Duration::from_secs(1),
            "P:T2-BSN-EDR-KIT",
            SCANNER,
            ScanMode::All,
        );
        let (_, c) = run(
            &mut d,
            t + Duration::from_secs(2),
            "U:0042",
            SCANNER,
            ScanMode::All,
        );
        assert_eq!(a, vec![Scan::Build("24-0117".into())]);
        assert_eq!(b, vec![Scan::Item("T2-BSN-EDR-KIT".into())]);
        assert_eq!(c, vec![Scan::Badge("0042".into())]);
    }

    #[test]
    fn a_fast_typist_is_not_a_scanner() {
        for ms in [30, 60, 100] {
            let mut d = ScanDetector::new();
            let gap = Duration::from_millis(ms);
            let (keys, scans) = run(&mut d, Instant::now(), "B-1001", gap, ScanMode::All);
            assert_eq!(keys, "B-1001⏎", "at {ms} ms");
            assert!(scans.is_empty(), "at {ms} ms");
        }
    }

    #[test]
    fn a_burst_with_tab_is_typed_in_order() {
        let mut d = ScanDetector::new();
        let (keys, scans) = run(
            &mut d,
            Instant::now(),
            "coordinator\tdemo-password",
            SCANNER,
            ScanMode::All,
        );
        assert_eq!(keys, "coordinator⇥demo-password⏎");
        assert!(scans.is_empty());
        let mut d = ScanDetector::new();
        let (keys, scans) = run(
            &mut d,
            Instant::now(),
            "u:x\tpw",
            SCANNER,
            ScanMode::BadgesOnly,
        );
        assert_eq!(keys, "u:x⇥pw⏎");
        assert!(scans.is_empty());
    }

    #[test]
    fn a_burst_that_is_no_code_is_replayed_in_order() {
        let mut d = ScanDetector::new();
        let t = Instant::now();
        assert_eq!(
            run(&mut d, t, "/valve", SCANNER, ScanMode::All),
            ("/valve⏎".into(), vec![])
        );
        let t = t + Duration::from_secs(1);
        assert_eq!(
            run(&mut d, t, "jj", SCANNER, ScanMode::All),
            ("jj⏎".into(), vec![]),
            "too short"
        );
        let t = t + Duration::from_secs(1);
        assert_eq!(
            run(&mut d, t, "X:abc", SCANNER, ScanMode::All),
            ("X:abc⏎".into(), vec![])
        );
    }

    #[test]
    fn the_login_fields_hold_only_what_may_become_a_badge() {
        let mut d = ScanDetector::new();
        let t = Instant::now();
        let (keys, scans) = run(&mut d, t, "U:0042", SCANNER, ScanMode::BadgesOnly);
        assert_eq!(
            (keys.as_str(), scans),
            ("", vec![Scan::Badge("0042".into())])
        );
        // A build number is typed into the field as it comes, nothing held.
        let t = t + Duration::from_secs(1);
        let fed = d.feed(key('B'), t, ScanMode::BadgesOnly);
        assert_eq!(shown(&fed.keys), "B");
        let (keys, scans) = run(
            &mut d,
            t + Duration::from_secs(1),
            "B:24-0117",
            SCANNER,
            ScanMode::BadgesOnly,
        );
        assert_eq!(keys, "B:24-0117⏎");
        assert!(scans.is_empty());
        let (keys, _) = run(
            &mut d,
            t + Duration::from_secs(2),
            "ulrich",
            SCANNER,
            ScanMode::BadgesOnly,
        );
        assert_eq!(keys, "ulrich⏎");
    }

    #[test]
    fn a_text_field_holds_nothing() {
        let mut d = ScanDetector::new();
        let (keys, scans) = run(&mut d, Instant::now(), "B-1001", SCANNER, ScanMode::Off);
        assert_eq!(keys, "B-1001⏎");
        assert!(scans.is_empty());
    }

    #[test]
    fn a_held_key_is_released_at_the_deadline() {
        let mut d = ScanDetector::new();
        let t = Instant::now();
        let fed = d.feed(key('j'), t, ScanMode::All);
        assert!(fed.keys.is_empty() && fed.scan.is_none());
        assert_eq!(d.deadline(), Some(t + SCAN_GAP));
        assert!(d.wake(t + SCAN_GAP - Duration::from_millis(1)).is_empty());
        assert_eq!(shown(&d.wake(t + SCAN_GAP)), "j");
        assert_eq!(d.deadline(), None);
        // A key after the deadline begins a burst of its own, held in turn.
        let later = t + SCAN_GAP + Duration::from_millis(5);
        let fed = d.feed(key('k'), later, ScanMode::All);
        assert!(fed.keys.is_empty());
        assert_eq!(d.deadline(), Some(later + SCAN_GAP));
    }

    #[test]
    fn a_second_line_end_after_a_scan_is_dropped() {
        let mut d = ScanDetector::new();
        let t = Instant::now();
        let (_, scans) = run(&mut d, t, "B-1001", SCANNER, ScanMode::All);
        assert_eq!(scans.len(), 1);
        let fed = d.feed(code(KeyCode::Enter), t + SCANNER * 7, ScanMode::All);
        assert_eq!(fed, Fed::default());
        let later = d.feed(
            code(KeyCode::Enter),
            t + Duration::from_secs(1),
            ScanMode::All,
        );
        assert_eq!(shown(&later.keys), "⏎", "an Enter of its own is a key");
    }
}
