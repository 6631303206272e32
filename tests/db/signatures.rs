//! Electronic signatures: a QC submission stores its signature row, `verify_order` checks it against the
//! result, a record changed behind the application's back no longer verifies, and the database refuses
//! to change a signature or a signed record.

use crate::floor::{Floor, conforming_qc};
use crate::qc::edrain_build;
use cleanstation::db::signatures::{of_order, verify_order};
use cleanstation::domain::qc::QcOutcome;
use cleanstation::domain::signature::{Meaning, SignedRecord};

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
    let sigs = of_order(&client, id).await.expect("signatures");
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
