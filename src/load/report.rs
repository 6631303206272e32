//! What the stations measured: per request kind and overall, count, errors, throughput and latency
//! percentiles; and the summary line (docs/performance.md §6.5).

use crate::error::ServiceError;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

/// The kinds of interaction, as the report names them.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug, Hash)]
pub enum Kind {
    Login,
    Logout,
    QueuePage,
    Search,
    BuildDetail,
    BomView,
    TaskList,
    CompleteTask,
    TestingForm,
    TestingDraft,
    TestingSign,
    Packaging,
    Pack,
    Move,
    QcForm,
    QcDraft,
    QcSign,
    BomVersions,
    ApproveBom,
    CreateOrder,
    Catalog,
    ServiceOrders,
    SubmitServiceOrder,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::Login => "login",
            Kind::Logout => "logout",
            Kind::QueuePage => "queue page",
            Kind::Search => "queue search",
            Kind::BuildDetail => "build detail",
            Kind::BomView => "BOM view",
            Kind::TaskList => "task list",
            Kind::CompleteTask => "complete task",
            Kind::TestingForm => "testing form",
            Kind::TestingDraft => "testing draft save",
            Kind::TestingSign => "testing submit (signed)",
            Kind::Packaging => "packaging checklist",
            Kind::Pack => "pack a line",
            Kind::Move => "status move",
            Kind::QcForm => "QC form",
            Kind::QcDraft => "QC draft save",
            Kind::QcSign => "QC sign and submit",
            Kind::BomVersions => "BOM versions",
            Kind::ApproveBom => "BOM approval (signed)",
            Kind::CreateOrder => "wizard submit (order)",
            Kind::Catalog => "service catalog",
            Kind::ServiceOrders => "service order list",
            Kind::SubmitServiceOrder => "service order submit",
        }
    }

    /// Logging in and out frame the run; they are reported on their own rows, outside the
    /// interactions of the summary (docs/performance.md §6.5).
    pub fn is_session(self) -> bool {
        matches!(self, Kind::Login | Kind::Logout)
    }
}

/// One station's record: every request's time by kind, the errors, and the first error messages.
#[derive(Debug, Default, Clone)]
pub struct Log {
    times: BTreeMap<Kind, Vec<Duration>>,
    errors: BTreeMap<Kind, u64>,
    messages: Vec<String>,
}

/// Error messages kept for the report; the rest are counted only.
const MESSAGES_KEPT: usize = 10;

impl Log {
    pub fn ok(&mut self, kind: Kind, took: Duration) {
        self.times.entry(kind).or_default().push(took);
    }

    pub fn error(&mut self, kind: Kind, took: Duration, station: &str, e: &ServiceError) {
        self.ok(kind, took);
        *self.errors.entry(kind).or_default() += 1;
        if self.messages.len() < MESSAGES_KEPT {
            self.messages.push(format!(
                "{station}: {}: {}",
                kind.label(),
                e.user_message_detailed()
            ));
        }
    }

    pub fn errors(&self) -> u64 {
        self.errors.values().sum()
    }

    pub fn first_error(&self) -> String {
        self.messages.first().cloned().unwrap_or_default()
    }

    pub fn merge(&mut self, other: Log) {
        for (k, v) in other.times {
            self.times.entry(k).or_default().extend(v);
        }
        for (k, n) in other.errors {
            *self.errors.entry(k).or_default() += n;
        }
        let room = MESSAGES_KEPT.saturating_sub(self.messages.len());
        self.messages.extend(other.messages.into_iter().take(room));
    }

    /// Every interaction of the floor mix (sessions left out), sorted.
    fn interactions(&self) -> Vec<Duration> {
        let mut all: Vec<Duration> = self
            .times
            .iter()
            .filter(|(k, _)| !k.is_session())
            .flat_map(|(_, v)| v.iter().copied())
            .collect();
        all.sort();
        all
    }

    fn interaction_errors(&self) -> u64 {
        self.errors
            .iter()
            .filter(|(k, _)| !k.is_session())
            .map(|(_, n)| n)
            .sum()
    }
}

/// The value below which `q` percent of the sorted `times` lie (nearest rank).
pub fn percentile(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((q / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The whole run's outcome.
pub struct Summary {
    pub stations: usize,
    pub interactions: usize,
    pub errors: u64,
    pub lost: u64,
    pub p50: Duration,
    pub p99: Duration,
}

impl Summary {
    /// The last line the harness prints (docs/performance.md §6.5).
    pub fn line(&self) -> String {
        format!(
            "stations={} interactions={} errors={} lost={} p50_ms={:.1} p99_ms={:.1}",
            self.stations,
            self.interactions,
            self.errors,
            self.lost,
            ms(self.p50),
            ms(self.p99)
        )
    }

    pub fn passed(&self) -> bool {
        self.errors == 0 && self.lost == 0
    }
}

/// The table per kind and overall, and the summary; `seconds` is the measured run's length.
pub fn table(log: &Log, seconds: f64, stations: usize, lost: u64) -> (String, Summary) {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<26} {:>7} {:>6} {:>8} {:>8} {:>8} {:>8}",
        "request", "count", "errors", "per s", "p50 ms", "p95 ms", "p99 ms"
    );
    let row = |out: &mut String, label: &str, times: &[Duration], errors: u64| {
        let _ = writeln!(
            out,
            "{label:<26} {:>7} {errors:>6} {:>8.1} {:>8.1} {:>8.1} {:>8.1}",
            times.len(),
            times.len() as f64 / seconds.max(0.001),
            ms(percentile(times, 50.0)),
            ms(percentile(times, 95.0)),
            ms(percentile(times, 99.0)),
        );
    };
    for (kind, times) in &log.times {
        let mut sorted = times.clone();
        sorted.sort();
        row(
            &mut out,
            kind.label(),
            &sorted,
            log.errors.get(kind).copied().unwrap_or(0),
        );
    }
    let all = log.interactions();
    let interaction_errors = log.interaction_errors();
    row(&mut out, "all interactions", &all, interaction_errors);
    for m in &log.messages {
        let _ = writeln!(out, "error: {m}");
    }
    let summary = Summary {
        stations,
        interactions: all.len(),
        errors: log.errors(),
        lost,
        p50: percentile(&all, 50.0),
        p99: percentile(&all, 99.0),
    };
    (out, summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms_list(v: &[u64]) -> Vec<Duration> {
        v.iter().map(|&m| Duration::from_millis(m)).collect()
    }

    #[test]
    fn percentiles_by_nearest_rank() {
        let times = ms_list(&(1..=100).collect::<Vec<_>>());
        assert_eq!(percentile(&times, 50.0), Duration::from_millis(50));
        assert_eq!(percentile(&times, 99.0), Duration::from_millis(99));
        assert_eq!(percentile(&times, 100.0), Duration::from_millis(100));
        assert_eq!(percentile(&ms_list(&[7]), 99.0), Duration::from_millis(7));
        assert_eq!(percentile(&[], 50.0), Duration::ZERO);
    }

    #[test]
    fn the_summary_counts_interactions_without_sessions_and_every_error() {
        let mut log = Log::default();
        log.ok(Kind::Login, Duration::from_millis(300));
        for m in [2, 4, 6, 8] {
            log.ok(Kind::QueuePage, Duration::from_millis(m));
        }
        let refused = ServiceError::Conflict("taken".into());
        log.error(
            Kind::CompleteTask,
            Duration::from_millis(10),
            "LOAD01",
            &refused,
        );
        let (text, summary) = table(&log, 1.0, 3, 0);
        assert_eq!(summary.interactions, 5);
        assert_eq!(summary.errors, 1);
        assert!(!summary.passed());
        assert_eq!(summary.p50, Duration::from_millis(6));
        assert_eq!(summary.p99, Duration::from_millis(10));
        assert_eq!(
            summary.line(),
            "stations=3 interactions=5 errors=1 lost=0 p50_ms=6.0 p99_ms=10.0"
        );
        assert!(text.contains("error: LOAD01: complete task: "), "{text}");
    }

    #[test]
    fn merged_logs_add_up() {
        let mut a = Log::default();
        a.ok(Kind::Search, Duration::from_millis(1));
        let mut b = Log::default();
        b.ok(Kind::Search, Duration::from_millis(3));
        b.error(
            Kind::QcSign,
            Duration::from_millis(5),
            "LOAD02",
            &ServiceError::Invalid("x".into()),
        );
        a.merge(b);
        assert_eq!(a.errors(), 1);
        assert_eq!(a.interactions().len(), 3);
        assert!(a.first_error().starts_with("LOAD02: QC sign and submit"));
    }
}
