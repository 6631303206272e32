//! The demo seed: complete, idempotent, and all-or-nothing.

use crate::support::TestDb;
use cleanstation::db::Actor;
use cleanstation::msg::{Reply, Request, RequestId, ServiceRequest};
use cleanstation::service::seed::{DEMO_PASSWORD, DEMO_USERS, seed_demo};
use cleanstation::service::{SecurityPolicy, ServiceCtx, dispatch};

async fn count(db: &TestDb, table: &str) -> i64 {
    let client = db.client().await;
    // Table names come from this test's own literals.
    client
        .query_one(&format!(r#"SELECT count(*) FROM "{table}""#), &[])
        .await
        .expect("count")
        .get(0)
}

#[tokio::test]
async fn seed_loads_everything_once() {
    let db = TestDb::new().await;
    let actor = Actor::system("test seed");
    let first = seed_demo(&db.owner, &actor).await.expect("first seed");
    assert_eq!(first.users_added.len(), 6);
    assert_eq!(first.tools_added, 8);
    assert_eq!(first.instructions_added, 9);
    assert_eq!(count(&db, "Part").await, 286);
    assert_eq!(count(&db, "Assembly").await, 318);
    assert_eq!(count(&db, "QCFormTemplate").await, 5);
    assert_eq!(count(&db, "User").await, 6);
    assert_eq!(count(&db, "WorkInstructionStep").await, 30);
    let audit_before = count(&db, "AuditLog").await;

    let second = seed_demo(&db.owner, &actor).await.expect("second seed");
    assert!(second.users_added.is_empty());
    assert_eq!(second.tools_added, 0);
    assert_eq!(second.instructions_added, 0);
    assert!(
        !second.catalog.changed(),
        "catalog unchanged: {}",
        second.catalog
    );
    assert_eq!(count(&db, "User").await, 6);
    assert_eq!(
        count(&db, "AuditLog").await,
        audit_before,
        "a repeated seed writes nothing"
    );
}

#[tokio::test]
async fn every_demo_user_can_log_in_with_the_documented_password() {
    let db = TestDb::new().await;
    seed_demo(&db.owner, &Actor::system("test seed"))
        .await
        .expect("seed");
    let ctx = ServiceCtx {
        pool: db.pool.clone(),
        policy: SecurityPolicy::default(),
        agent: "station:test".into(),
        read_pool: None,
    };
    for (i, (username, full_name, _, role)) in DEMO_USERS.into_iter().enumerate() {
        let reply = dispatch(
            &ctx,
            ServiceRequest {
                id: RequestId(i as u64),
                kind: Request::Login {
                    username: username.into(),
                    password: DEMO_PASSWORD.into(),
                },
            },
        )
        .await;
        match reply.result {
            Ok(Reply::LoggedIn(session)) => {
                assert_eq!(session.user.full_name, full_name);
                assert_eq!(session.user.role, role);
                assert!(!session.user.must_change_password);
            }
            other => panic!("{username}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_failing_seed_leaves_nothing_behind() {
    let db = TestDb::new().await;
    // Make the last step (the users) fail.
    db.client()
        .await
        .batch_execute(
            r#"CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$;
               CREATE TRIGGER refuse_users BEFORE INSERT ON "User" FOR EACH ROW EXECUTE FUNCTION refuse();"#,
        )
        .await
        .expect("trigger");
    let err = seed_demo(&db.owner, &Actor::system("test seed")).await;
    assert!(err.is_err(), "the seed must fail");
    for table in [
        "Part",
        "Assembly",
        "AssemblyComponent",
        "QCFormTemplate",
        "Tool",
        "WorkInstruction",
        "User",
    ] {
        assert_eq!(
            count(&db, table).await,
            0,
            "{table} must be empty after the rollback"
        );
    }
}

#[tokio::test]
async fn a_database_newer_than_the_binary_is_refused() {
    let db = TestDb::new().await;
    let future = cleanstation::db::migrate::latest_known_version() + 1;
    db.client()
        .await
        .execute(
            "INSERT INTO refinery_schema_history (version, name, applied_on, checksum) VALUES ($1, 'future', '2030-01-01', '0')",
            &[&i32::try_from(future).expect("small")],
        )
        .await
        .expect("fake a newer schema");
    let err = cleanstation::db::migrate::run(&db.pool)
        .await
        .expect_err("must refuse");
    let text = err.to_string();
    assert!(text.contains(&format!("version {future}")), "{text}");
    assert!(text.contains("Install the current release"), "{text}");
}
