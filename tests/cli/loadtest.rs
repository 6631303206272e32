//! `loadtest` in its short form (docs/performance.md §6): five stations for five seconds on a small
//! plant of their own, created beside the test database and dropped afterwards.

use crate::env::{stderr, stdout};
use crate::support::TestDb;

#[tokio::test]
async fn five_stations_for_five_seconds_lose_nothing() {
    let db = TestDb::new().await;
    let out = db
        .cli(
            &[
                "loadtest",
                "--stations",
                "5",
                "--duration",
                "5",
                "--builds",
                "500",
            ],
            &[],
        )
        .await;
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}\n{}", stderr(&out));
    let last = text.lines().last().unwrap_or_default();
    let fields: Vec<&str> = last.split(' ').collect();
    assert_eq!(fields.len(), 6, "{last}");
    assert_eq!(fields[0], "stations=5", "{last}");
    assert_eq!(fields[2], "errors=0", "{last}");
    assert_eq!(fields[3], "lost=0", "{last}");
    let interactions: u32 = fields[1]
        .strip_prefix("interactions=")
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    // Five stations at one interaction a second for five seconds.
    assert!((20..=30).contains(&interactions), "{last}");
    for field in &fields[4..] {
        assert!(field.starts_with("p"), "{last}");
    }
    // Work was done and checked: the floor's writes are in the report.
    for kind in ["queue page", "complete task", "all interactions"] {
        assert!(text.contains(kind), "no {kind} row:\n{text}");
    }
    // The load database is gone.
    let left = db
        .count("SELECT count(*) FROM pg_database WHERE datname LIKE 'cleanstation_load_%'")
        .await;
    assert_eq!(left, 0, "{text}");
}
