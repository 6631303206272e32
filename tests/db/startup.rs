//! A start reads the schema version first and takes the migration lock only when migrations are
//! pending (docs/performance.md §5.1).

use crate::support::TestDb;
use cleanstation::db::Client;
use cleanstation::db::migrate::{self, MIGRATION_LOCK_KEY};
use std::time::Duration;

/// A connection of its own holding the migration lock, as a station in the middle of migrating would.
async fn hold_the_lock(db: &TestDb) -> deadpool_postgres::Object {
    let holder = db.client().await;
    holder
        .exec("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK_KEY])
        .await
        .expect("lock");
    holder
}

#[tokio::test]
async fn a_start_with_a_current_schema_takes_no_lock() {
    let db = TestDb::new().await;
    let _holder = hold_the_lock(&db).await;
    let report = tokio::time::timeout(Duration::from_secs(5), migrate::run_if_pending(&db.owner))
        .await
        .expect("the start does not wait for the lock")
        .expect("start");
    assert!(report.applied.is_empty(), "{:?}", report.applied);
    assert_eq!(report.version, migrate::latest_known_version());
}

#[tokio::test]
async fn a_start_with_pending_migrations_waits_for_the_lock() {
    let db = TestDb::empty().await;
    let holder = hold_the_lock(&db).await;
    let pool = db.owner.clone();
    let start = tokio::spawn(async move { migrate::run_if_pending(&pool).await });
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert!(!start.is_finished(), "pending migrations wait for the lock");
    holder
        .exec("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK_KEY])
        .await
        .expect("unlock");
    let report = tokio::time::timeout(Duration::from_secs(120), start)
        .await
        .expect("the start goes on once the lock is free")
        .expect("task")
        .expect("migrations");
    assert!(!report.applied.is_empty());
    assert_eq!(report.version, migrate::latest_known_version());
}

#[tokio::test]
async fn a_start_refuses_a_schema_newer_than_it_knows() {
    let db = TestDb::new().await;
    let future = migrate::latest_known_version() + 1;
    db.client()
        .await
        .exec(
            "INSERT INTO refinery_schema_history (version, name, applied_on, checksum) \
             VALUES ($1, 'future', '2030-01-01', '0')",
            &[&i32::try_from(future).expect("small")],
        )
        .await
        .expect("fake a newer schema");
    let _holder = hold_the_lock(&db).await;
    let err = tokio::time::timeout(Duration::from_secs(5), migrate::run_if_pending(&db.pool))
        .await
        .expect("refused without waiting for the lock")
        .expect_err("must refuse");
    let text = err.to_string();
    assert!(text.contains(&format!("version {future}")), "{text}");
    assert!(text.contains("Install the current release"), "{text}");
}
