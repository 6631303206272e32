//! `audit verify`: a clean database verifies; each way of changing the record behind the application's
//! back is found and named; the retention cleanup and parallel stations leave a chain that verifies.

use crate::floor::{Floor, conforming_qc};
use crate::qc::edrain_build;
use crate::support::TestDb;
use cleanstation::db::audit::{self, VerifyReport};
use cleanstation::domain::Role;
use cleanstation::domain::qc::QcOutcome;
use cleanstation::msg::{Reply, Request};
use uuid::Uuid;

async fn verify(db: &TestDb) -> VerifyReport {
    audit::verify(&db.client().await).await.expect("verify")
}

/// Every problem, one per line, for assertion messages.
fn problems(r: &VerifyReport) -> Vec<String> {
    r.chain
        .problems
        .iter()
        .chain(&r.row_problems)
        .map(ToString::to_string)
        .collect()
}

fn assert_intact(r: &VerifyReport) {
    assert_eq!(problems(r), Vec::<String>::new(), "{}", audit::describe(r));
}

/// `audit verify` through the binary: (exit status, stdout + stderr).
async fn verify_cli(db: &TestDb) -> (Option<i32>, String) {
    let out = db.cli(&["audit", "verify"], &[]).await;
    (
        out.status.code(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

/// Runs `sql` as the superuser with every trigger off, the way someone editing the database behind the
/// application's back would.
async fn behind_the_back(db: &TestDb, sql: &str) -> u64 {
    let client = db.client().await;
    client
        .batch_execute("SET session_replication_role = replica")
        .await
        .expect("triggers off");
    let n = client.execute(sql, &[]).await.expect("edit");
    client
        .batch_execute("SET session_replication_role = DEFAULT")
        .await
        .expect("triggers on");
    n
}

/// A build with a passed Pre-QC, through the real use cases.
async fn floor_with_a_signed_result() -> (Floor, Uuid) {
    let env = Floor::new().await;
    let id = env
        .build_at_pre_qc("PO-AUD-1", edrain_build("AUD-B1", 2))
        .await;
    let form = env.form(id).await;
    env.submit(id, conforming_qc(&form), QcOutcome::Pass, None)
        .await
        .expect("pass");
    (env, id)
}

#[tokio::test]
async fn a_fresh_and_a_seeded_database_verify() {
    let db = TestDb::new().await;
    let fresh = verify(&db).await;
    assert_intact(&fresh);
    // The settings the migrations insert are covered by their baseline.
    assert!(fresh.rows_matched >= 2, "{}", audit::describe(&fresh));
    assert_eq!(fresh.chain.first_position, Some(1));

    cleanstation::service::seed::seed_demo(
        &db.owner,
        &cleanstation::db::Actor::system("cli:seed --demo"),
    )
    .await
    .expect("seed");
    let seeded = verify(&db).await;
    assert_intact(&seeded);
    assert!(seeded.sealed_now > 1000, "the seed's rows were sealed now");
    let links: i64 = db
        .client()
        .await
        .query_one(r#"SELECT count(*) FROM "AuditLog""#, &[])
        .await
        .expect("count")
        .get(0);
    assert_eq!(seeded.chain.links, links, "every audit row is one link");
    let (code, text) = verify_cli(&db).await;
    assert_eq!(code, Some(0), "{text}");
    let head = audit::head(&db.client().await)
        .await
        .expect("head")
        .expect("a head");
    assert!(
        text.contains(&format!(
            "Chain head: position {}, link {}",
            head.position, head.link
        )),
        "{text}"
    );
    assert!(text.contains("Result: OK"), "{text}");
}

#[tokio::test]
async fn the_floor_through_the_station_role_verifies_and_names_every_actor() {
    let (env, id) = floor_with_a_signed_result().await;
    let r = verify(&env.db).await;
    assert_intact(&r);
    assert_eq!(
        r.unattributed_count, 0,
        "every station write was proven by a session: {:?}",
        r.unattributed
    );
    // The inspector's signature is one of the verified ones, and the status moves name their users.
    let by: Vec<Option<Uuid>> = env
        .db
        .client()
        .await
        .query(
            r#"SELECT "userId" FROM "AuditLog" WHERE "entityType" = 'ProductionOrder'
                 AND "entityId" = $1 AND "action" = 'UPDATE' ORDER BY "seq""#,
            &[&id.to_string()],
        )
        .await
        .expect("rows")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(by.contains(&Some(env.id(Role::QcPerson))), "{by:?}");
    assert!(by.iter().all(Option::is_some), "{by:?}");
}

#[tokio::test]
async fn a_silent_edit_of_an_order_is_found_and_named() {
    let (env, id) = floor_with_a_signed_result().await;
    behind_the_back(
        &env.db,
        &format!(
            r#"UPDATE "ProductionOrder" SET "customerName" = 'Someone Else' WHERE id = '{id}'"#
        ),
    )
    .await;
    let r = verify(&env.db).await;
    let first = r.first_problem().expect("found").clone();
    assert_eq!(first.table, "ProductionOrder");
    assert_eq!(first.record, id.to_string());
    assert_eq!(first.build.as_deref(), Some("AUD-B1"));
    let (code, text) = verify_cli(&env.db).await;
    assert_eq!(code, Some(2), "{text}");
    assert!(
        text.contains(&format!(
            "ProductionOrder {id} (build AUD-B1): differs from its last audit record"
        )),
        "{text}"
    );
}

#[tokio::test]
async fn a_qc_answer_edited_with_its_signature_recomputed_is_found() {
    let (env, id) = floor_with_a_signed_result().await;
    let client = env.db.client().await;
    let result_id: Uuid = client
        .query_one(
            r#"SELECT id FROM "QCResult" WHERE "orderId" = $1 AND "overallStatus" = 'PASS'"#,
            &[&id],
        )
        .await
        .expect("result")
        .get(0);
    let answer_id: Uuid = client
        .query_one(
            r#"SELECT id FROM "QCItemResult" WHERE "qcResultId" = $1 AND "resultValue" IS NOT NULL
               ORDER BY id LIMIT 1"#,
            &[&result_id],
        )
        .await
        .expect("answer")
        .get(0);
    behind_the_back(
        &env.db,
        &format!(
            r#"UPDATE "QCItemResult" SET "notes" = 'looked fine to me' WHERE id = '{answer_id}'"#
        ),
    )
    .await;
    // Recompute the hash the way the documented format does, so the signature itself agrees.
    let row = cleanstation::db::qc::result(&client, result_id)
        .await
        .expect("read")
        .expect("the result");
    let content = cleanstation::db::qc::signed_content(&client, &row)
        .await
        .expect("content");
    let hash = cleanstation::domain::qc::content_hash(
        &content,
        cleanstation::domain::qc::SignatureFormat::CURRENT,
    );
    let (kept, _) = row.signature.rsplit_once("sha256:").expect("a signature");
    let forged = format!("{kept}sha256:{hash}");
    behind_the_back(
        &env.db,
        &format!(
            r#"UPDATE "QCResult" SET "digitalSignature" = '{forged}' WHERE id = '{result_id}'"#
        ),
    )
    .await;
    let checks = cleanstation::db::qc::verify_all_signatures(&client)
        .await
        .expect("signatures");
    assert!(
        checks.iter().all(|c| c.verified),
        "the forger's signature recomputes"
    );
    let r = verify(&env.db).await;
    let found = problems(&r);
    assert!(
        found.iter().any(|p| p
            == &format!(
                "QCItemResult {answer_id} (build AUD-B1): differs from its last audit record"
            )),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|p| p.starts_with(&format!("QCResult {result_id} (build AUD-B1)"))),
        "{found:?}"
    );
    assert_eq!(verify_cli(&env.db).await.0, Some(2));
}

#[tokio::test]
async fn rewritten_inserted_and_removed_audit_rows_break_the_chain() {
    let (env, id) = floor_with_a_signed_result().await;
    assert_intact(&verify(&env.db).await);
    let client = env.db.client().await;
    let seq_of = |action: &'static str| {
        let client = &client;
        let id = id.to_string();
        async move {
            client
                .query_one(
                    r#"SELECT max("seq") FROM "AuditLog" WHERE "entityType" = 'ProductionOrder'
                         AND "entityId" = $1 AND "action" = $2"#,
                    &[&id, &action],
                )
                .await
                .expect("seq")
                .get::<_, i64>(0)
        }
    };

    // A rewritten row: its link no longer matches.
    let insert_seq = seq_of("INSERT").await;
    behind_the_back(
        &env.db,
        &format!(
            r#"UPDATE "AuditLog" SET "newValues" = "newValues" || '{{"customerName": "Nobody"}}'
               WHERE "seq" = {insert_seq}"#
        ),
    )
    .await;
    let r = verify(&env.db).await;
    let first = r.first_problem().expect("found");
    assert!(
        first.what.contains(&format!(
            "(ProductionOrder {id}) does not match its sealed link"
        )),
        "{first}"
    );
    let (code, text) = verify_cli(&env.db).await;
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains(&format!("ProductionOrder {id}")), "{text}");

    // A removed row. Removed before it was sealed, the queue still holds the evidence...
    let (env, id) = floor_with_a_signed_result().await;
    let client = env.db.client().await;
    let update_seqs: Vec<i64> = client
        .query(
            r#"SELECT "seq" FROM "AuditLog" WHERE "entityType" = 'ProductionOrder'
                 AND "entityId" = $1 AND "action" = 'UPDATE' ORDER BY "seq""#,
            &[&id.to_string()],
        )
        .await
        .expect("seqs")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(update_seqs.len() >= 2);
    behind_the_back(
        &env.db,
        &format!(r#"DELETE FROM "AuditLog" WHERE "seq" = {}"#, update_seqs[0]),
    )
    .await;
    let found = problems(&verify(&env.db).await);
    assert!(
        found.iter().any(|p| p.contains(&format!(
            "audit row seq {} was removed before it was sealed",
            update_seqs[0]
        ))),
        "{found:?}"
    );
    // ...and removed after, its link points at nothing.
    behind_the_back(
        &env.db,
        &format!(r#"DELETE FROM "AuditLog" WHERE "seq" = {}"#, update_seqs[1]),
    )
    .await;
    let found = problems(&verify(&env.db).await);
    assert!(
        found.iter().any(|p| p.contains(&format!(
            "audit row seq {} (ProductionOrder {id}) was removed from the audit log",
            update_seqs[1]
        ))),
        "{found:?}"
    );

    // An inserted row: written with the triggers off it reaches no link...
    let (env, id) = floor_with_a_signed_result().await;
    behind_the_back(
        &env.db,
        &format!(
            r#"INSERT INTO "AuditLog" ("action", "entityType", "entityId", "newValues", "timestamp")
               VALUES ('UPDATE', 'ProductionOrder', '{id}', '{{}}', LOCALTIMESTAMP - interval '1 day')"#
        ),
    )
    .await;
    let found = problems(&verify(&env.db).await);
    assert!(
        found.iter().any(|p| p.contains(&format!(
            "(ProductionOrder {id}) is in no link of the chain"
        ))),
        "{found:?}"
    );
    // ...and written with them on it is sealed, but contradicts the record it claims to describe.
    let (env, id) = floor_with_a_signed_result().await;
    env.db
        .client()
        .await
        .execute(
            r#"INSERT INTO "AuditLog" ("action", "entityType", "entityId", "newValues")
               VALUES ('UPDATE', 'ProductionOrder', $1, '{}')"#,
            &[&id.to_string()],
        )
        .await
        .expect("insert");
    let found = problems(&verify(&env.db).await);
    assert!(
        found.iter().any(|p| p
            == &format!("ProductionOrder {id} (build AUD-B1): differs from its last audit record")),
        "{found:?}"
    );
}

#[tokio::test]
async fn disabled_audit_triggers_are_reported() {
    let db = TestDb::new().await;
    db.client()
        .await
        .batch_execute(r#"ALTER TABLE "Task" DISABLE TRIGGER audit_update"#)
        .await
        .expect("disable");
    let found = problems(&verify(&db).await);
    assert_eq!(
        found,
        ["Task trigger audit_update: the audit trigger is disabled"]
    );
}

#[tokio::test]
async fn the_retention_cleanup_leaves_a_chain_that_verifies() {
    let (env, _) = floor_with_a_signed_result().await;
    let client = env.db.client().await;
    let before: i64 = client
        .query_one(r#"SELECT count(*) FROM "AuditLog""#, &[])
        .await
        .expect("count")
        .get(0);
    audit::seal(&client, true).await.expect("seal");
    // Below the 365 days the database allows (docs/settings.md §2.1): the owner lifts the check for
    // this step only, so the cleanup has rows past the period.
    for step in [
        r#"ALTER TABLE "SystemSetting" DISABLE TRIGGER system_setting_check"#,
        r#"UPDATE "SystemSetting" SET "settingValue" = '0' WHERE "settingKey" = 'audit.retentionDays'"#,
        r#"ALTER TABLE "SystemSetting" ENABLE TRIGGER system_setting_check"#,
    ] {
        client.batch_execute(step).await.expect("retention 0");
    }
    // The setting's own audit row is newer than the cut-off: everything before it goes.
    let out = env.db.cli(&["audit", "cleanup"], &[]).await;
    assert!(out.status.success(), "{out:?}");
    let removed: i64 = client
        .query_one(
            r#"SELECT ("details"->>'rowsRemoved')::bigint FROM "AuditChain" WHERE "kind" = 'CHECKPOINT'"#,
            &[],
        )
        .await
        .expect("one checkpoint")
        .get(0);
    assert!(removed >= before - 10, "{removed} of {before}");
    let r = verify(&env.db).await;
    assert_intact(&r);
    assert_eq!(r.chain.checkpoints, 1);
    assert!(r.chain.first_position > Some(1));
    // Every live row still has an image (a RETAINED copy of the one that went).
    assert!(r.rows_matched > 1000, "{}", audit::describe(&r));

    // A second cleanup later, and new writes after it, still verify.
    env.send(Request::MarkNotificationsRead {
        token: env.token(Role::QcPerson),
        ids: Vec::new(),
    })
    .await
    .expect("a write");
    let out = env.db.cli(&["audit", "cleanup"], &[]).await;
    assert!(out.status.success(), "{out:?}");
    assert_intact(&verify(&env.db).await);
    let (code, text) = verify_cli(&env.db).await;
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("retention checkpoint(s)"), "{text}");
}

#[tokio::test]
async fn two_stations_writing_and_sealing_in_parallel_leave_a_chain_that_verifies() {
    let env = Floor::new().await;
    let mut stations = Vec::new();
    for (n, role) in [(1, Role::ProductionCoordinator), (2, Role::Admin)] {
        let pool = cleanstation::db::connect(&env.db.url, 2, "station")
            .await
            .expect("pool");
        let ctx = cleanstation::service::ServiceCtx {
            pool: pool.clone(),
            policy: cleanstation::service::SecurityPolicy::default(),
            agent: format!("station:{n}"),
            read_pool: None,
        };
        let token = env.token(role);
        stations.push(tokio::spawn(async move {
            for i in 0..6 {
                let order =
                    crate::orders::order(&format!("PO-PAR-{n}-{i}"), &[&format!("PAR-{n}-{i}")]);
                let reply = crate::auth::send(
                    &ctx,
                    Request::CreateOrder {
                        token: token.clone(),
                        order: Box::new(order),
                    },
                )
                .await
                .expect("create");
                assert!(matches!(reply, Reply::OrderCreated(_)));
                // Each station seals as it goes, without waiting for the other.
                let client = pool.get().await.expect("connection");
                audit::seal(&client, false).await.expect("seal");
            }
        }));
    }
    for s in stations {
        s.await.expect("station");
    }
    let r = verify(&env.db).await;
    assert_intact(&r);
    let (rows, links): (i64, i64) = {
        let row = env
            .db
            .client()
            .await
            .query_one(
                r#"SELECT (SELECT count(*) FROM "AuditLog"), (SELECT count(DISTINCT "auditSeq") FROM "AuditChain")"#,
                &[],
            )
            .await
            .expect("counts");
        (row.get(0), row.get(1))
    };
    assert_eq!(rows, links, "every audit row sealed exactly once");
}

#[tokio::test]
async fn an_unattributed_station_write_is_reported_not_failed() {
    let env = Floor::new().await;
    // A client holding the station's credentials writes without a session.
    env.db
        .station()
        .await
        .execute(
            r#"INSERT INTO "SystemNotification" ("userId", "title", "message", "type")
               VALUES ($1, 'Hello', 'from nowhere', 'INFO')"#,
            &[&env.id(Role::Assembler)],
        )
        .await
        .expect("the station role may write notifications");
    let r = verify(&env.db).await;
    assert_intact(&r);
    assert_eq!(r.unattributed_count, 1);
    assert_eq!(r.unattributed[0].table, "SystemNotification");
    let (code, text) = verify_cli(&env.db).await;
    assert_eq!(code, Some(0), "{text}");
    assert!(
        text.contains("Unattributed writes by the station role (no valid session): 1"),
        "{text}"
    );
}

#[tokio::test]
async fn verify_compares_every_table_the_triggers_audit() {
    let db = TestDb::new().await;
    // Every table of the schema but the audit trail's own and refinery's is audited, and verify's
    // list names exactly those: a new table left out of either would go unchecked.
    let tables: Vec<String> = db
        .client()
        .await
        .query(
            r#"SELECT c.relname::text FROM pg_class c
                WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'
                  AND c.relname NOT IN ('AuditLog', 'AuditChain', 'AuditPending', 'refinery_schema_history')
                ORDER BY 1"#,
            &[],
        )
        .await
        .expect("tables")
        .iter()
        .map(|r| r.get(0))
        .collect();
    let mut listed: Vec<String> = audit::AUDITED.iter().map(|(t, _)| t.to_string()).collect();
    listed.sort();
    assert_eq!(listed, tables);
}
