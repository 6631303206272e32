//! Statements prepared once per connection and kept (docs/performance.md §4): the session check is one
//! cached statement, and a statement that a schema change made stale never leaves a connection broken.

use crate::support::TestDb;
use cleanstation::db::{Actor, Client, begin_as};
use cleanstation::error::ServiceError;
use cleanstation::msg::{Reply, Request};
use cleanstation::service::seed::seed_demo;
use cleanstation::service::{SecurityPolicy, ServiceCtx};

/// How many statements the pool's one connection holds prepared whose text contains `part`.
async fn prepared(client: &impl Client, part: &str) -> i64 {
    client
        .fetch_one(
            "SELECT count(*) FROM pg_prepared_statements WHERE strpos(statement, $1) > 0",
            &[&part],
        )
        .await
        .expect("prepared statements")
        .get(0)
}

#[tokio::test]
async fn each_request_checks_its_session_with_one_cached_statement() {
    let db = TestDb::new().await;
    seed_demo(&db.owner, &Actor::system("test seed"))
        .await
        .expect("seed");
    // One connection, so every request below runs on it.
    let pool = cleanstation::db::connect(&db.url, 1, "cleanstation-test")
        .await
        .expect("pool");
    let ctx = ServiceCtx {
        pool: pool.clone(),
        policy: SecurityPolicy::default(),
        agent: "station:test".into(),
        read_pool: None,
    };
    let token = crate::support::demo_login(&ctx, "coordinator").await;
    let list = || Request::Notifications {
        token: token.clone(),
    };
    crate::support::request(&ctx, list()).await;
    let session_check = r#"FROM "UserSession" s JOIN "User" u"#;
    let client = pool.get().await.expect("connection");
    assert_eq!(prepared(&client, session_check).await, 1);
    let all_before = prepared(&client, "").await;
    drop(client);
    for _ in 0..5 {
        assert!(matches!(
            crate::support::request(&ctx, list()).await,
            Reply::Notifications(_)
        ));
    }
    let client = pool.get().await.expect("connection");
    assert_eq!(prepared(&client, session_check).await, 1);
    assert_eq!(
        prepared(&client, "").await,
        all_before,
        "repeated requests prepare nothing new"
    );
}

#[tokio::test]
async fn a_statement_made_stale_by_a_schema_change_is_prepared_again() {
    let db = TestDb::new().await;
    let client = db.client().await;
    client
        .batch_execute("CREATE TABLE probe (a int); INSERT INTO probe VALUES (1)")
        .await
        .expect("table");
    let select = "SELECT * FROM probe";
    assert_eq!(client.fetch(select, &[]).await.expect("first")[0].len(), 1);
    client
        .batch_execute("ALTER TABLE probe ADD COLUMN b int")
        .await
        .expect("alter");
    // Outside a transaction the statement is prepared again and run once more.
    let rows = client.fetch(select, &[]).await.expect("after the change");
    assert_eq!(rows[0].len(), 2);
}

#[tokio::test]
async fn a_stale_statement_in_a_transaction_is_reported_and_the_next_try_works() {
    let db = TestDb::new().await;
    let mut client = db.client().await;
    client
        .batch_execute("CREATE TABLE probe (a int); INSERT INTO probe VALUES (1)")
        .await
        .expect("table");
    let select = "SELECT * FROM probe";
    client.fetch(select, &[]).await.expect("first");
    client
        .batch_execute("ALTER TABLE probe ADD COLUMN b int")
        .await
        .expect("alter");
    let tx = begin_as(&mut client, &Actor::system("test"))
        .await
        .expect("begin");
    let err = ServiceError::from(
        tx.fetch(select, &[])
            .await
            .expect_err("stale in a transaction"),
    );
    assert!(
        matches!(&err, ServiceError::Conflict(m) if m.contains("schema changed")),
        "{err:?}"
    );
    drop(tx);
    let tx = begin_as(&mut client, &Actor::system("test"))
        .await
        .expect("begin again");
    let rows = tx.fetch(select, &[]).await.expect("the next try");
    assert_eq!(rows[0].len(), 2);
}
