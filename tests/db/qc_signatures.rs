//! QC signatures in format 2 (the answers with each item's code and wording) and format 1 (before the
//! marker): a result signed through the real submit verifies, a change behind the application's back to an
//! answer or to an item's code or wording does not, a format 1 signature still verifies by its own rules,
//! an unknown format never does; `verify_all_signatures` reports every submitted result, `qc verify` exits
//! accordingly, and the database keeps the items that results refer to from changing.

use crate::floor::{Floor, answer, conforming_qc};
use crate::qc::{edrain_build, first_required_boolean};
use cleanstation::db::qc::{SignatureCheck, result, signed_content, verify_all_signatures};
use cleanstation::domain::Role;
use cleanstation::domain::checklist::FormType;
use cleanstation::domain::qc::{
    LineAnswer, QcForm, QcOutcome, QcResultStatus, QcResultSummary, SignatureFormat, content_hash,
};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use tokio_postgres::types::ToSql;
use uuid::Uuid;

/// A build at Pre-QC, its form, the conforming answers and the PASS signed for them.
async fn signed_pass(env: &Floor, n: u32) -> (Uuid, QcForm, Vec<LineAnswer>, QcResultSummary) {
    let id = env
        .build_at_pre_qc(&format!("PO-SIG-{n}"), edrain_build(&build(n), 2))
        .await;
    let form = env.form(id).await;
    let all = conforming_qc(&form);
    let done = env
        .submit(id, all.clone(), QcOutcome::Pass, None)
        .await
        .expect("pass");
    (id, form, all, done)
}

fn build(n: u32) -> String {
    format!("SIG-B{n}")
}

/// Runs `sql` as the superuser with the user triggers of `table` off, as someone editing the database
/// behind the application's back would (the guards refuse it otherwise).
pub(crate) async fn behind_the_back(
    env: &Floor,
    table: &str,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) {
    let client = env.db.client().await;
    client
        .batch_execute(&format!(r#"ALTER TABLE "{table}" DISABLE TRIGGER USER"#))
        .await
        .expect("disable triggers");
    let n = client.execute(sql, params).await.expect("edit");
    client
        .batch_execute(&format!(r#"ALTER TABLE "{table}" ENABLE TRIGGER USER"#))
        .await
        .expect("enable triggers");
    assert_eq!(n, 1, "{sql}");
}

async fn checks(env: &Floor) -> Vec<SignatureCheck> {
    verify_all_signatures(&env.db.client().await)
        .await
        .expect("verify all")
}

/// The check of one result; there must be exactly one.
async fn check(env: &Floor, result_id: Uuid) -> SignatureCheck {
    let all = checks(env).await;
    let mine: Vec<&SignatureCheck> = all.iter().filter(|c| c.result_id == result_id).collect();
    assert_eq!(mine.len(), 1, "{all:?}");
    mine[0].clone()
}

/// `qc verify BUILD` through the binary: the exit status and what it printed.
async fn qc_verify(env: &Floor, n: u32) -> (Option<i32>, String) {
    let out = env.qc_verify(&build(n)).await;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code(), text)
}

async fn history_verified(env: &Floor, order_id: Uuid) -> Option<bool> {
    env.history_as(Role::ProductionCoordinator, order_id)
        .await
        .expect("history")[0]
        .verified
}

/// The database's error message of a refused statement.
async fn refusal(env: &Floor, sql: &str, params: &[&(dyn ToSql + Sync)]) -> String {
    let e = env
        .db
        .client()
        .await
        .execute(sql, params)
        .await
        .expect_err(sql);
    e.as_db_error()
        .map(|d| d.message().to_string())
        .unwrap_or_else(|| format!("{e:?}"))
}

#[tokio::test]
async fn a_result_signed_at_submit_verifies_and_a_changed_answer_does_not() {
    let env = Floor::new().await;
    let (id, form, all, done) = signed_pass(&env, 1).await;
    assert!(
        done.signature.contains(" | v2 sha256:"),
        "{}",
        done.signature
    );
    assert_eq!(
        check(&env, done.id).await,
        SignatureCheck {
            result_id: done.id,
            order_id: id,
            build_number: build(1),
            qc_type: FormType::PreQc,
            status: QcResultStatus::Pass,
            signed_at: done.at,
            format_version: 2,
            verified: true,
        }
    );
    let (code, text) = qc_verify(&env, 1).await;
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("signature verified"), "{text}");

    let b = first_required_boolean(&form);
    behind_the_back(
        &env,
        "QCItemResult",
        r#"UPDATE "QCItemResult" SET "resultValue" = 'NO'
            WHERE "qcResultId" = $1 AND "checklistItemId" = $2"#,
        &[&done.id, &all[b].item_id],
    )
    .await;
    let c = check(&env, done.id).await;
    assert_eq!((c.format_version, c.verified), (2, false));
    assert_eq!(history_verified(&env, id).await, Some(false));
    let (code, text) = qc_verify(&env, 1).await;
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("MISMATCH"), "{text}");
}

async fn reword(env: &Floor, item: Uuid, text: &str) {
    behind_the_back(
        env,
        "QCChecklistItem",
        r#"UPDATE "QCChecklistItem" SET "itemDescription" = $2 WHERE id = $1"#,
        &[&item, &text],
    )
    .await;
}

#[tokio::test]
async fn a_changed_item_code_or_wording_breaks_a_format_2_signature() {
    let env = Floor::new().await;
    let (id, form, all, done) = signed_pass(&env, 2).await;
    let b = first_required_boolean(&form);
    let item = all[b].item_id;
    let wording = form.items[form.lines[b].item].description.clone();

    // Not even the superuser changes it while the guard is on (migration V17).
    let msg = refusal(
        &env,
        r#"UPDATE "QCChecklistItem" SET "itemDescription" = 'Reworded' WHERE id = $1"#,
        &[&item],
    )
    .await;
    assert!(msg.contains("has QC results"), "{msg}");
    assert!(check(&env, done.id).await.verified);

    reword(&env, item, &format!("{wording} (edited)")).await;
    assert!(!check(&env, done.id).await.verified);
    assert_eq!(history_verified(&env, id).await, Some(false));
    let (code, text) = qc_verify(&env, 2).await;
    assert_eq!(code, Some(2), "{text}");
    // The wording it was signed with verifies again: exactly the wording is covered.
    reword(&env, item, &wording).await;
    assert!(check(&env, done.id).await.verified);

    behind_the_back(
        &env,
        "QCChecklistItem",
        r#"UPDATE "QCChecklistItem" SET "rules" = jsonb_set("rules", '{code}', '"X-99"') WHERE id = $1"#,
        &[&item],
    )
    .await;
    let c = check(&env, done.id).await;
    assert_eq!((c.format_version, c.verified), (2, false));
    let (code, text) = qc_verify(&env, 2).await;
    assert_eq!(code, Some(2), "{text}");
}

/// Stores the format 1 signature of `done` (its text without the marker, over the format 1 hash), as a
/// result signed before format 2 has it.
async fn sign_in_format_1(env: &Floor, done: &QcResultSummary) -> String {
    let client = env.db.client().await;
    let row = result(&client, done.id)
        .await
        .expect("read")
        .expect("result");
    let content = signed_content(&client, &row).await.expect("content");
    let (head, _) = done.signature.rsplit_once(" | ").expect("seal");
    let v1 = format!(
        "{head} | sha256:{}",
        content_hash(&content, SignatureFormat::V1)
    );
    behind_the_back(
        env,
        "QCResult",
        r#"UPDATE "QCResult" SET "digitalSignature" = $2 WHERE id = $1"#,
        &[&done.id, &v1],
    )
    .await;
    v1
}

#[tokio::test]
async fn a_format_1_signature_still_verifies_by_the_format_1_rules() {
    let env = Floor::new().await;
    let (id, form, all, done) = signed_pass(&env, 3).await;
    let v1 = sign_in_format_1(&env, &done).await;
    assert!(
        v1.starts_with("Tom Becker (TB) | PRE_QC PASS | ") && !v1.contains(" v2 "),
        "{v1}"
    );
    let c = check(&env, done.id).await;
    assert_eq!((c.format_version, c.verified), (1, true));
    assert_eq!(history_verified(&env, id).await, Some(true));
    let (code, text) = qc_verify(&env, 3).await;
    assert_eq!(code, Some(0), "{text}");

    // Format 1 never covered the wording, and its rules stay as they were.
    let b = first_required_boolean(&form);
    reword(&env, all[b].item_id, "Reworded").await;
    assert!(check(&env, done.id).await.verified);
    // It does cover the answers.
    behind_the_back(
        &env,
        "QCItemResult",
        r#"UPDATE "QCItemResult" SET "notes" = 'added later'
            WHERE "qcResultId" = $1 AND "checklistItemId" = $2"#,
        &[&done.id, &all[b].item_id],
    )
    .await;
    let c = check(&env, done.id).await;
    assert_eq!((c.format_version, c.verified), (1, false));
    let (code, text) = qc_verify(&env, 3).await;
    assert_eq!(code, Some(2), "{text}");
}

#[tokio::test]
async fn a_signature_of_an_unknown_format_does_not_verify() {
    let env = Floor::new().await;
    let (_, _, _, done) = signed_pass(&env, 4).await;
    for (tail, version) in [(" | v3 sha256:", 3), (" | v2 md5:", 0)] {
        let text = done.signature.replace(" | v2 sha256:", tail);
        behind_the_back(
            &env,
            "QCResult",
            r#"UPDATE "QCResult" SET "digitalSignature" = $2 WHERE id = $1"#,
            &[&done.id, &text],
        )
        .await;
        let c = check(&env, done.id).await;
        assert_eq!((c.format_version, c.verified), (version, false), "{text}");
        let (code, out) = qc_verify(&env, 4).await;
        assert_eq!(code, Some(2), "{out}");
    }
}

#[tokio::test]
async fn verify_all_signatures_reports_every_submitted_result_and_no_draft() {
    let env = Floor::new().await;
    let (ok_order, _, _, ok) = signed_pass(&env, 5).await;

    let failed_order = env
        .build_at_pre_qc("PO-SIG-6", edrain_build(&build(6), 1))
        .await;
    let form = env.form(failed_order).await;
    let mut answers = conforming_qc(&form);
    let b = first_required_boolean(&form);
    answers[b].answer = answer("NO");
    let failed = env
        .submit(
            failed_order,
            answers.clone(),
            QcOutcome::Fail,
            Some("Weld crack"),
        )
        .await
        .expect("fail");
    behind_the_back(
        &env,
        "QCItemResult",
        r#"UPDATE "QCItemResult" SET "resultValue" = 'YES'
            WHERE "qcResultId" = $1 AND "checklistItemId" = $2"#,
        &[&failed.id, &answers[b].item_id],
    )
    .await;

    let (old_order, _, _, old) = signed_pass(&env, 7).await;
    sign_in_format_1(&env, &old).await;

    let draft_order = env
        .build_at_pre_qc("PO-SIG-8", edrain_build(&build(8), 1))
        .await;
    let form = env.form(draft_order).await;
    env.save_as(
        &env.token(Role::QcPerson),
        draft_order,
        "J-8",
        conforming_qc(&form)[..2].to_vec(),
    )
    .await
    .expect("draft");

    let expect =
        |order_id: Uuid, n: u32, s: &QcResultSummary, format_version, verified| SignatureCheck {
            result_id: s.id,
            order_id,
            build_number: build(n),
            qc_type: FormType::PreQc,
            status: s.status,
            signed_at: s.at,
            format_version,
            verified,
        };
    // Oldest first; the draft is not signed, so it is not there.
    assert_eq!(
        checks(&env).await,
        vec![
            expect(ok_order, 5, &ok, 2, true),
            expect(failed_order, 6, &failed, 2, false),
            expect(old_order, 7, &old, 1, true),
        ]
    );
    assert_eq!(failed.status, QcResultStatus::Fail);
}

#[tokio::test]
async fn items_that_qc_results_refer_to_are_frozen_in_the_database() {
    let env = Floor::new().await;
    let id = env
        .build_at_pre_qc("PO-SIG-9", edrain_build(&build(9), 1))
        .await;
    let form = env.form(id).await;
    let template = form.header.template_id;
    let item = form.items[0].id;
    let client = env.db.client().await;
    let reword = r#"UPDATE "QCChecklistItem" SET "itemDescription" = "itemDescription" || '.' WHERE id = $1"#;

    // Without recorded work an item may still be corrected in place.
    assert_eq!(client.execute(reword, &[&item]).await.expect("reword"), 1);

    // A draft is recorded work: the inspector is answering these items.
    env.save_as(
        &env.token(Role::QcPerson),
        id,
        "J-9",
        conforming_qc(&env.form(id).await)[..1].to_vec(),
    )
    .await
    .expect("draft");
    for (sql, what) in [
        (reword, "has QC results"),
        (
            r#"UPDATE "QCChecklistItem" SET "sequenceOrder" = 999 WHERE id = $1"#,
            "has QC results",
        ),
        (
            r#"DELETE FROM "QCChecklistItem" WHERE id = $1"#,
            "has QC results",
        ),
        (
            r#"INSERT INTO "QCChecklistItem" ("templateId", "section", "itemDescription", "checkType",
                                              "sequenceOrder")
               SELECT "templateId", 'Extra', 'Added later', 'BOOLEAN', 9999
                 FROM "QCChecklistItem" WHERE id = $1"#,
            "gets no new items",
        ),
        (
            r#"UPDATE "QCFormTemplate" SET "version" = 7
                WHERE id = (SELECT "templateId" FROM "QCChecklistItem" WHERE id = $1)"#,
            "its name and version cannot change",
        ),
    ] {
        let msg = refusal(&env, sql, &[&item]).await;
        assert!(msg.contains(what), "{sql}: {msg}");
    }
    // What does not change an item or the signed version is still allowed.
    assert_eq!(
        client
            .execute(
                r#"UPDATE "QCChecklistItem" SET "itemDescription" = "itemDescription" WHERE id = $1"#,
                &[&item]
            )
            .await
            .expect("unchanged"),
        1
    );
    assert_eq!(
        client
            .execute(
                r#"UPDATE "QCFormTemplate" SET "isActive" = false WHERE id = $1"#,
                &[&template]
            )
            .await
            .expect("deactivate"),
        1
    );
    // Another form's items, which nothing refers to yet, are not held.
    assert_eq!(
        client
            .execute(
                r#"UPDATE "QCChecklistItem" i SET "itemDescription" = i."itemDescription" || '.'
                     FROM "QCFormTemplate" t
                    WHERE t.id = i."templateId" AND t."formName" = 'Final Quality Check'
                      AND i."sequenceOrder" = (SELECT min("sequenceOrder") FROM "QCChecklistItem"
                                                WHERE "templateId" = t.id)"#,
                &[]
            )
            .await
            .expect("another form"),
        1
    );
}

#[tokio::test]
async fn a_submit_signs_the_wording_of_an_edit_it_waited_for() {
    let env = Floor::new().await;
    let id = env
        .build_at_pre_qc("PO-SIG-10", edrain_build(&build(10), 1))
        .await;
    let form = env.form(id).await;
    let all = conforming_qc(&form);
    let item = all[0].item_id;

    // Someone rewords an item of the form (allowed: nothing refers to it yet) and has not committed.
    let mut editor = env.db.client().await;
    let edit = editor.transaction().await.expect("begin");
    edit.execute(
        r#"UPDATE "QCChecklistItem" SET "itemDescription" = "itemDescription" || ' (rev B)' WHERE id = $1"#,
        &[&item],
    )
    .await
    .expect("reword");

    let committed = AtomicBool::new(false);
    let submit = async {
        let done = env.submit(id, all.clone(), QcOutcome::Pass, None).await;
        (done, committed.load(Ordering::SeqCst))
    };
    let commit = async {
        // The submit holds the form's items before it reads them, so it must come to wait on the edit.
        let watcher = env.db.client().await;
        let start = Instant::now();
        loop {
            let waiting: i64 = watcher
                .query_one(
                    "SELECT count(*) FROM pg_stat_activity
                      WHERE datname = current_database() AND wait_event_type = 'Lock'",
                    &[],
                )
                .await
                .expect("activity")
                .get(0);
            if waiting > 0 {
                break;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "the submit never waited for the uncommitted edit"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        committed.store(true, Ordering::SeqCst);
        edit.commit().await.expect("commit");
    };
    let ((done, after_commit), ()) = tokio::join!(submit, commit);
    let done = done.expect("pass");
    assert!(after_commit, "the submit finished only after the edit");

    // It signed the wording as committed, so the signature holds.
    let client = env.db.client().await;
    let row = result(&client, done.id)
        .await
        .expect("read")
        .expect("result");
    let content = signed_content(&client, &row).await.expect("content");
    assert!(
        content
            .items
            .iter()
            .any(|i| i.checklist_item_id == item && i.text.ends_with(" (rev B)")),
        "{content:?}"
    );
    let c = check(&env, done.id).await;
    assert_eq!((c.format_version, c.verified), (2, true));
}
