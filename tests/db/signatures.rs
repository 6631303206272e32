//! Electronic signatures: a QC submission stores its signature row, `verify_order` checks it against the
//! result, a record changed behind the application's back no longer verifies, and the database refuses
//! to change a signature or a signed record. Every gate (BOM approval, testing, packaging complete,
//! shipping, overrides) refuses a wrong or empty password with nothing written, counts a wrong one toward
//! the lockout, and stores a signature that verifies; `cleanstation verify BUILD` exits accordingly.

use crate::floor::{Floor, conforming_qc, conforming_testing, faucet_build};
use crate::qc::edrain_build;
use cleanstation::db::signatures::{of_order, verify_order};
use cleanstation::domain::Role;
use cleanstation::domain::lifecycle::pack_shipping;
use cleanstation::domain::order::OrderStatus as S;
use cleanstation::domain::qc::QcOutcome;
use cleanstation::domain::signature::{
    EMPTY_PASSWORD, Meaning, SIGNED_MOVE_NEEDS_PASSWORD, SignatureRecord, SignedRecord,
};
use cleanstation::error::ServiceError;
use cleanstation::msg::Request;
use cleanstation::service::seed::{DEMO_PASSWORD, DEMO_USERS};
use cleanstation::service::signatures::WRONG_PASSWORD;
use cleanstation::service::testing;
use uuid::Uuid;

/// The demo username of `role`.
fn username(role: Role) -> &'static str {
    DEMO_USERS
        .iter()
        .find(|u| u.3 == role)
        .map(|u| u.0)
        .expect("a demo user of the role")
}

impl Floor {
    /// The failed attempts counted toward `role`'s lockout.
    async fn failed_count(&self, role: Role) -> i64 {
        self.db
            .client()
            .await
            .query_opt(
                r#"SELECT "failedCount"::bigint FROM "LoginThrottle" WHERE "username" = $1"#,
                &[&username(role)],
            )
            .await
            .expect("throttle")
            .map_or(0, |r| r.get(0))
    }

    /// How many signatures the build has.
    async fn signature_count(&self, id: Uuid) -> i64 {
        self.count(
            r#"SELECT count(*) FROM "ElectronicSignature" WHERE "orderId" = $1"#,
            &[&id],
        )
        .await
    }

    /// `cleanstation verify BUILD` through the binary: the exit status and what it printed.
    async fn verify_cli(&self, build: &str) -> (Option<i32>, String) {
        let out = self.db.cli(&["verify", build], &[]).await;
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.code(), text)
    }
}

/// The message of a refusal.
fn refused(r: Result<impl std::fmt::Debug, ServiceError>) -> String {
    match r {
        Err(ServiceError::Invalid(m)) => m,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// The one signature of `meaning` among the build's, checked: it verifies and prints its facts.
async fn signed(env: &Floor, id: Uuid, meaning: Meaning, name: &str) -> SignatureRecord {
    let client = env.db.client().await;
    let checks = verify_order(&client, id).await.expect("verify");
    let mut of_meaning: Vec<_> = checks
        .into_iter()
        .filter(|c| c.signature.meaning == meaning)
        .collect();
    assert_eq!(of_meaning.len(), 1, "{meaning}: {of_meaning:?}");
    let c = of_meaning.remove(0);
    assert!(c.verified, "{c:?}");
    let s = c.signature;
    assert_eq!(s.printed_name, name);
    assert_eq!(s.content_sha256.len(), 64);
    assert!(
        s.manifestation
            .starts_with(&format!("{name} | {meaning} | ")),
        "{}",
        s.manifestation
    );
    let age = chrono::Utc::now().naive_utc() - s.signed_at;
    assert!(age.num_seconds().abs() < 600, "signed at {}", s.signed_at);
    s
}

#[tokio::test]
async fn a_qc_submission_is_signed_and_verifies_until_its_record_changes() {
    let env = Floor::new().await;
    let id = env
        .build_at_pre_qc("PO-ESIG-1", edrain_build("ESIG-B1", 1))
        .await;
    let form = env.form(id).await;
    let done = env
        .submit(id, conforming_qc(&form), QcOutcome::Pass, None)
        .await
        .expect("pass");
    let client = env.db.client().await;
    let sigs: Vec<_> = of_order(&client, id)
        .await
        .expect("signatures")
        .into_iter()
        .filter(|s| matches!(s.record, SignedRecord::QcResult(_)))
        .collect();
    assert_eq!(sigs.len(), 1);
    let sig = &sigs[0];
    assert_eq!(sig.meaning, Meaning::PreQcPass);
    assert_eq!(sig.record, SignedRecord::QcResult(done.id));
    assert_eq!(sig.manifestation, done.signature);
    let checks = verify_order(&client, id).await.expect("verify");
    assert!(checks.iter().all(|c| c.verified), "{checks:?}");

    // The signature row itself cannot be changed, even by the owner.
    let err = client
        .execute(
            r#"UPDATE "ElectronicSignature" SET "printedName" = 'Someone Else' WHERE id = $1"#,
            &[&sig.id],
        )
        .await
        .expect_err("signature changed");
    let message = err.as_db_error().map(|e| e.message().to_string());
    assert!(
        message
            .as_deref()
            .is_some_and(|m| m.contains("cannot be changed")),
        "{message:?}"
    );

    // An answer changed behind the application's back breaks it.
    client
        .batch_execute(
            r#"ALTER TABLE "QCItemResult" DISABLE TRIGGER USER;
               UPDATE "QCItemResult" SET "notes" = 'edited' WHERE id = (SELECT min(id::text)::uuid FROM "QCItemResult");
               ALTER TABLE "QCItemResult" ENABLE TRIGGER USER;"#,
        )
        .await
        .expect("edit");
    let checks = verify_order(&client, id).await.expect("verify");
    assert!(checks.iter().any(|c| !c.verified), "{checks:?}");
}

#[tokio::test]
async fn bom_approval_refuses_wrong_and_empty_passwords_and_signs_with_the_right_one() {
    let env = Floor::new().await;
    let id = env.create_build("PO-ESIG-2", faucet_build("ESIG-B2")).await;
    let approve = |password: &str| Request::ApproveBom {
        token: env.token(Role::ProcurementSpecialist),
        order_id: id,
        version: 1,
        password: password.into(),
    };
    let approved =
        r#"SELECT count(*) FROM "BillOfMaterials" WHERE "orderId" = $1 AND "status" = 'APPROVED'"#;

    assert_eq!(refused(env.send(approve("not-it")).await), WRONG_PASSWORD);
    assert_eq!(env.failed_count(Role::ProcurementSpecialist).await, 1);
    assert_eq!(refused(env.send(approve("")).await), EMPTY_PASSWORD);
    assert_eq!(
        env.failed_count(Role::ProcurementSpecialist).await,
        1,
        "an empty password is not an attempt"
    );
    assert_eq!(env.count(approved, &[&id]).await, 0, "nothing approved");
    assert_eq!(env.signature_count(id).await, 0, "nothing signed");

    env.send(approve(DEMO_PASSWORD)).await.expect("approve");
    assert_eq!(env.count(approved, &[&id]).await, 1);
    let s = signed(&env, id, Meaning::Approved, "Priya Shah").await;
    let bom: Uuid = env
        .db
        .client()
        .await
        .query_one(
            r#"SELECT "bomId" FROM "ProductionOrder" WHERE id = $1"#,
            &[&id],
        )
        .await
        .expect("bom")
        .get(0);
    assert_eq!(s.record, SignedRecord::BillOfMaterials(bom));
    assert_eq!(s.signer_id, env.id(Role::ProcurementSpecialist));
}

#[tokio::test]
async fn wrong_passwords_at_a_gate_lock_the_account_and_end_the_session() {
    let env = Floor::new().await;
    let id = env.create_build("PO-ESIG-3", faucet_build("ESIG-B3")).await;
    let mut ended = None;
    for attempt in 1..=10 {
        let r = env
            .send(Request::ApproveBom {
                token: env.token(Role::ProcurementSpecialist),
                order_id: id,
                version: 1,
                password: "not-it".into(),
            })
            .await;
        match r {
            Err(ServiceError::Invalid(m)) => assert_eq!(m, WRONG_PASSWORD),
            Err(ServiceError::SessionEnded(m)) => {
                ended = Some((attempt, m));
                break;
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    let (attempt, message) = ended.expect("the lockout ends the session");
    assert!(attempt > 1, "{attempt}");
    assert!(message.starts_with("Too many failed attempts"), "{message}");
    assert_eq!(env.signature_count(id).await, 0);
    // The session is gone: even the right password is no longer asked.
    let after = env
        .send(Request::ApproveBom {
            token: env.token(Role::ProcurementSpecialist),
            order_id: id,
            version: 1,
            password: DEMO_PASSWORD.into(),
        })
        .await;
    assert!(
        matches!(after, Err(ServiceError::SessionEnded(_))),
        "{after:?}"
    );
    assert_eq!(env.signature_count(id).await, 0);
}

#[tokio::test]
async fn testing_submit_is_signed_and_a_wrong_password_submits_nothing() {
    let env = Floor::new().await;
    let id = env
        .build_with_one_open_task("PO-ESIG-4", faucet_build("ESIG-B4"))
        .await;
    env.complete_tasks(id).await;
    let form = env.testing_form(id).await;
    let asm = env.token(Role::Assembler);
    let submitted = r#"SELECT count(*) FROM "TestingForm" WHERE "orderId" = $1 AND "overallStatus" <> 'INCOMPLETE'"#;
    let before = env.signature_count(id).await;
    let wrong = testing::submit_testing(
        &env.ctx,
        &asm,
        id,
        conforming_testing(&form),
        "not-it".into(),
    )
    .await;
    assert_eq!(refused(wrong), WRONG_PASSWORD);
    assert_eq!(env.failed_count(Role::Assembler).await, 1);
    let empty =
        testing::submit_testing(&env.ctx, &asm, id, conforming_testing(&form), String::new()).await;
    assert_eq!(refused(empty), EMPTY_PASSWORD);
    assert_eq!(env.count(submitted, &[&id]).await, 0, "nothing submitted");
    assert_eq!(env.signature_count(id).await, before, "nothing signed");

    let done = testing::submit_testing(
        &env.ctx,
        &asm,
        id,
        conforming_testing(&form),
        DEMO_PASSWORD.into(),
    )
    .await
    .expect("submit");
    let s = signed(&env, id, Meaning::Tested, "Luis Ortega").await;
    assert_eq!(s.record, SignedRecord::TestingForm(done.form_id));
}

#[tokio::test]
async fn packaging_complete_shipping_and_overrides_are_signed_and_verify_until_a_record_changes() {
    let env = Floor::new().await;
    let build = "ESIG-B5";
    let id = env
        .build_testing_complete("PO-ESIG-5", faucet_build(build))
        .await;
    let checklist = env.pack_all(id).await;
    let t6 = (S::TestingComplete, S::PackagingComplete);
    let asm = Role::Assembler;

    // A signed move without a password, with a wrong one: refused, nothing moved or signed.
    let before = env.signature_count(id).await;
    let none = env.move_with(asm, id, t6, None, None, None).await;
    assert_eq!(refused(none), SIGNED_MOVE_NEEDS_PASSWORD);
    let wrong = env.move_with(asm, id, t6, None, None, Some("not-it")).await;
    assert_eq!(refused(wrong), WRONG_PASSWORD);
    assert_eq!(env.failed_count(asm).await, 1);
    let empty = env.move_with(asm, id, t6, None, None, Some("")).await;
    assert_eq!(refused(empty), EMPTY_PASSWORD);
    assert_eq!(env.status(id).await, S::TestingComplete);
    assert_eq!(env.signature_count(id).await, before);

    env.move_with(asm, id, t6, None, None, Some(DEMO_PASSWORD))
        .await
        .expect("T6");
    let s = signed(&env, id, Meaning::Verified, "Luis Ortega").await;
    assert_eq!(
        s.record,
        SignedRecord::PackagingChecklist(checklist.checklist_id)
    );
    // An unsigned move ignores the password field.
    env.move_with(
        asm,
        id,
        (S::PackagingComplete, S::ReadyForFinalQc),
        None,
        None,
        None,
    )
    .await
    .expect("T7");

    // The administrator's override is signed with its reason.
    let reason = "Final QC done on paper during the outage";
    let past_qc = (S::ReadyForFinalQc, S::ReadyForShip);
    let wrong = env
        .move_with(Role::Admin, id, past_qc, None, Some(reason), Some("not-it"))
        .await;
    assert_eq!(refused(wrong), WRONG_PASSWORD);
    assert_eq!(env.status(id).await, S::ReadyForFinalQc);
    env.move_with(
        Role::Admin,
        id,
        past_qc,
        None,
        Some(reason),
        Some(DEMO_PASSWORD),
    )
    .await
    .expect("override");
    let s = signed(&env, id, Meaning::Override, "Alex Morgan").await;
    assert_eq!(s.reason.as_deref(), Some(reason));
    assert!(matches!(s.record, SignedRecord::StatusHistory(_)));

    // Shipping signs the move's history row, tracking and note included.
    let ship = (S::ReadyForShip, S::Shipped);
    let note = pack_shipping("1Z999AA10123456784", "Dock 4");
    let coordinator = Role::ProductionCoordinator;
    let none = env
        .move_with(coordinator, id, ship, note.clone(), None, None)
        .await;
    assert_eq!(refused(none), SIGNED_MOVE_NEEDS_PASSWORD);
    env.move_with(coordinator, id, ship, note, None, Some(DEMO_PASSWORD))
        .await
        .expect("T10");
    let shipped = signed(&env, id, Meaning::Shipped, "Dana Reyes").await;
    let SignedRecord::StatusHistory(history_id) = shipped.record else {
        panic!("shipping signs its history row: {shipped:?}");
    };

    // Every gate the build passed is signed, and `verify BUILD` says so.
    let client = env.db.client().await;
    let meanings: Vec<Meaning> = of_order(&client, id)
        .await
        .expect("signatures")
        .iter()
        .map(|s| s.meaning)
        .collect();
    for m in [
        Meaning::Approved,
        Meaning::PreQcPass,
        Meaning::Tested,
        Meaning::Verified,
        Meaning::Override,
        Meaning::Shipped,
    ] {
        assert!(meanings.contains(&m), "{m}: {meanings:?}");
    }
    let (code, text) = env.verify_cli(build).await;
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("SHIPPED status move"), "{text}");
    assert!(!text.contains("MISMATCH"), "{text}");

    // A superuser changes the shipped row's note behind the application's back: it no longer verifies.
    client
        .batch_execute(&format!(
            r#"ALTER TABLE "OrderStatusHistory" DISABLE TRIGGER USER;
               UPDATE "OrderStatusHistory" SET "notes" = 'Tracking: 1Z000' WHERE id = '{history_id}';
               ALTER TABLE "OrderStatusHistory" ENABLE TRIGGER USER;"#
        ))
        .await
        .expect("edit");
    let checks = verify_order(&client, id).await.expect("verify");
    let broken: Vec<Meaning> = checks
        .iter()
        .filter(|c| !c.verified)
        .map(|c| c.signature.meaning)
        .collect();
    assert_eq!(broken, vec![Meaning::Shipped]);
    let (code, text) = env.verify_cli(build).await;
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("SHIPPED status move"), "{text}");
    assert!(text.contains("MISMATCH"), "{text}");
    // `audit verify` counts it as a broken record, naming the build.
    let out = env.db.cli(&["audit", "verify"], &[]).await;
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(
        text.contains(&format!(
            "BROKEN: ElectronicSignature {} (build {build})",
            shipped.id
        )),
        "{text}"
    );
}

#[tokio::test]
async fn verify_build_exits_0_for_a_build_without_signatures_and_2_for_an_unknown_one() {
    let env = Floor::new().await;
    env.create_build("PO-ESIG-6", faucet_build("ESIG-B6")).await;
    let (code, text) = env.verify_cli("ESIG-B6").await;
    assert_eq!(code, Some(0), "{text}");
    assert!(
        text.contains("Build ESIG-B6 has no signatures yet"),
        "{text}"
    );
    let (code, text) = env.verify_cli("NO-SUCH-BUILD").await;
    assert_eq!(code, Some(2), "{text}");
}
