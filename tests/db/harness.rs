//! The harness itself: every test really gets its own migrated database.

use crate::support::TestDb;

#[tokio::test]
async fn each_test_gets_a_fresh_migrated_database() {
    let a = TestDb::new().await;
    let b = TestDb::new().await;
    assert_ne!(a.name, b.name);
    let ca = a.client().await;
    let cb = b.client().await;
    let version = cleanstation::db::migrate::current_version(&ca)
        .await
        .expect("version");
    assert_eq!(version, cleanstation::db::migrate::latest_known_version());
    assert!(version > 0, "migrations applied");
    ca.batch_execute("CREATE TABLE harness_probe (x int)")
        .await
        .expect("create");
    let seen: bool = cb
        .query_one("SELECT to_regclass('harness_probe') IS NOT NULL", &[])
        .await
        .expect("probe")
        .get(0);
    assert!(!seen, "databases are isolated");
}

#[tokio::test]
async fn migrations_are_idempotent() {
    let db = TestDb::new().await;
    let report = cleanstation::db::migrate::run(&db.owner)
        .await
        .expect("second run");
    assert!(
        report.applied.is_empty(),
        "nothing left to apply: {:?}",
        report.applied
    );
}

#[tokio::test]
async fn stations_starting_together_apply_each_migration_once() {
    let db = TestDb::empty().await;
    // Separate pools, as separate stations would have.
    let mut pools = Vec::new();
    for _ in 0..4 {
        pools.push(
            cleanstation::db::connect(&db.url, 1, "station")
                .await
                .expect("pool"),
        );
    }
    let runs = pools.iter().map(cleanstation::db::migrate::run);
    let reports = futures_util::future::join_all(runs).await;
    let mut applied = Vec::new();
    for r in reports {
        applied.extend(r.expect("every station starts").applied);
    }
    // Counted from the files: migration numbers are assigned ahead, so they may have gaps.
    let known = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations"))
        .expect("migrations folder")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.file_name().to_string_lossy().ends_with(".sql"))
        })
        .count() as i64;
    assert_eq!(
        applied.len() as i64,
        known,
        "each migration applied exactly once: {applied:?}"
    );
    let client = db.client().await;
    let rows: i64 = client
        .query_one("SELECT count(*) FROM refinery_schema_history", &[])
        .await
        .expect("history")
        .get(0);
    assert_eq!(rows, known);
}
