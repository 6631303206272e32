//! End-of-line testing forms: drafts, submission, immutability, the T5 precondition. Each build starts
//! in READY_FOR_PRODUCTION with one open task written by SQL, so these tests stand alone from the task
//! rules.

use crate::auth::add;
use crate::floor::{Floor, answer, conforming_testing, faucet_build};
use cleanstation::domain::Role;
use cleanstation::domain::floor::{TestResultStatus, TestingFormView, TestingStatus};
use cleanstation::domain::order::OrderStatus;
use cleanstation::domain::qc::LineAnswer;
use cleanstation::error::ServiceError;
use cleanstation::msg::Request;
use cleanstation::service::testing;
use uuid::Uuid;

use OrderStatus as S;

/// The answers with `code` (basin 1) set to `value`.
fn with_value(
    form: &TestingFormView,
    mut answers: Vec<LineAnswer>,
    code: &str,
    value: &str,
) -> Vec<LineAnswer> {
    let item = form
        .items
        .iter()
        .find(|i| i.def.code == code)
        .map(|i| i.def.id)
        .expect("item on the form");
    let a = answers
        .iter_mut()
        .find(|a| a.item_id == item && a.basin_index == Some(1))
        .expect("answer of the item");
    a.answer = answer(value);
    answers
}

fn err_text(r: Result<impl std::fmt::Debug, ServiceError>) -> String {
    match r {
        Ok(v) => panic!("expected an error, got {v:?}"),
        Err(e) => e.to_string(),
    }
}

#[tokio::test]
async fn testing_waits_for_the_tasks_and_only_the_assembler_fills_it_in() {
    let f = Floor::new().await;
    let id = f
        .build_with_one_open_task("PO-T-1", faucet_build("T-B1"))
        .await;
    let asm = f.token(Role::Assembler);

    let form = f.testing_form(id).await;
    assert_eq!(form.open_tasks, 1);
    assert!(form.draft_id.is_none());
    let codes: Vec<&str> = form
        .lines
        .iter()
        .map(|l| form.items[l.item].def.code.as_str())
        .collect();
    assert!(
        codes.contains(&"EOL-20"),
        "E-Sink measurements apply: {codes:?}"
    );
    assert!(codes.contains(&"EOL-09"), "E-Drain items apply: {codes:?}");
    assert!(
        !codes.contains(&"EOL-07"),
        "no height-adjustable legs: {codes:?}"
    );
    let eol20 = form
        .items
        .iter()
        .find(|i| i.def.code == "EOL-20")
        .expect("EOL-20");
    assert_eq!(eol20.def.unit.as_deref(), Some("degC"));

    let all = conforming_testing(&form);
    let refused = err_text(testing::save_testing_draft(&f.ctx, &asm, id, all.clone()).await);
    assert!(refused.contains("1 task(s) still open"), "{refused}");
    let t5 = err_text(
        f.transition(
            Role::Assembler,
            id,
            S::ReadyForProduction,
            S::TestingComplete,
        )
        .await,
    );
    assert!(t5.contains("task(s) still open"), "{t5}");

    f.complete_tasks(id).await;
    let qc = err_text(
        testing::save_testing_draft(&f.ctx, &f.token(Role::QcPerson), id, all.clone()).await,
    );
    assert!(qc.contains("cannot fill in testing forms"), "{qc}");

    // A build assigned to another assembler is theirs to test (docs/lifecycle.md §1.3).
    let other = add(&f.db, "asm2", Role::Assembler).await;
    let assign = |who: Option<Uuid>| Request::Assign {
        token: f.token(Role::ProductionCoordinator),
        order_id: id,
        expected: S::ReadyForProduction,
        assignee: who,
    };
    f.send(assign(Some(other.id))).await.expect("assign");
    let theirs = err_text(testing::save_testing_draft(&f.ctx, &asm, id, all.clone()).await);
    assert!(theirs.contains("assigned to Test asm2"), "{theirs}");
    f.send(assign(None)).await.expect("unassign");

    // A draft keeps what was typed, measurements included, and nothing else.
    let partial = with_value(&form, all[..all.len() / 2].to_vec(), "EOL-01", "YES");
    let partial = if partial.iter().any(|a| a.item_id == eol20.def.id) {
        with_value(&form, partial, "EOL-20", "41.5")
    } else {
        let mut p = partial;
        p.push(LineAnswer {
            item_id: eol20.def.id,
            basin_index: Some(1),
            answer: answer("41.5"),
        });
        p
    };
    let draft = testing::save_testing_draft(&f.ctx, &asm, id, partial.clone())
        .await
        .expect("save draft");
    let again = f.testing_form(id).await;
    assert_eq!(again.draft_id, Some(draft));
    let mut got = again.answers.clone();
    let mut want = partial.clone();
    got.sort_by_key(|a| (a.item_id, a.basin_index));
    want.sort_by_key(|a| (a.item_id, a.basin_index));
    assert_eq!(got, want);

    let missing = err_text(testing::submit_testing(&f.ctx, &asm, id, partial, pw()).await);
    assert!(
        missing.contains("required item(s) not answered"),
        "{missing}"
    );
    let bad = err_text(
        testing::save_testing_draft(&f.ctx, &asm, id, with_value(&form, all, "EOL-20", "warm"))
            .await,
    );
    assert!(
        bad.contains("EOL-20 (basin 1)") && bad.contains("not a number"),
        "{bad}"
    );
}

#[tokio::test]
async fn ranges_decide_pass_and_fail_and_t5_needs_the_latest_form_to_pass() {
    let f = Floor::new().await;
    let id = f
        .build_with_one_open_task("PO-T-2", faucet_build("T-B2"))
        .await;
    let asm = f.token(Role::Assembler);
    f.complete_tasks(id).await;
    let form = f.testing_form(id).await;
    let all = conforming_testing(&form);

    let t5 = err_text(
        f.transition(
            Role::Assembler,
            id,
            S::ReadyForProduction,
            S::TestingComplete,
        )
        .await,
    );
    assert!(t5.contains("No passed testing form"), "{t5}");

    // EOL-20 is 36..=44 degC: just outside either bound fails.
    for value in ["35.9", "44.1"] {
        let done = testing::submit_testing(
            &f.ctx,
            &asm,
            id,
            with_value(&form, all.clone(), "EOL-20", value),
            pw(),
        )
        .await
        .expect("submit");
        assert_eq!(done.status, TestingStatus::Fail, "{value}");
        assert_eq!(done.results, form.lines.len());
        // A FAIL form is signed like a PASS (docs/signatures.md §1).
        let signed = f
            .count(
                r#"SELECT count(*) FROM "ElectronicSignature"
                    WHERE "recordId" = $1 AND "recordType" = 'TestingForm' AND "meaning" = 'TESTED'"#,
                &[&done.form_id],
            )
            .await;
        assert_eq!(signed, 1, "{value}");
        let client = f.db.client().await;
        let row = client
            .query_one(
                r#"SELECT "testName", "result", "measurements" FROM "TestResult"
                    WHERE "testingFormId" = $1 AND "testName" LIKE 'EOL-20 %'"#,
                &[&done.form_id],
            )
            .await
            .expect("EOL-20 result");
        let name: String = row.get(0);
        assert!(
            name.ends_with("[basin 1]") && name.chars().count() <= 100,
            "{name}"
        );
        assert_eq!(row.get::<_, TestResultStatus>(1), TestResultStatus::Fail);
        assert_eq!(row.get::<_, String>(2), format!("{value} degC"));
        let t5 = err_text(
            f.transition(
                Role::Assembler,
                id,
                S::ReadyForProduction,
                S::TestingComplete,
            )
            .await,
        );
        assert!(t5.contains("No passed testing form"), "{t5}");
    }

    // A submitted form and its results are records: the database refuses changes.
    let failed = f.testing_form(id).await.submitted;
    assert_eq!(failed.len(), 2);
    let fresh = f.testing_form(id).await;
    assert!(fresh.draft_id.is_none());
    // After a FAIL the next form starts empty: every test is measured again.
    assert!(fresh.answers.is_empty(), "{:?}", fresh.answers);
    let client = f.db.client().await;
    let changed = client
        .execute(
            r#"UPDATE "TestingForm" SET "overallStatus" = 'PASS' WHERE id = $1"#,
            &[&failed[0].id],
        )
        .await;
    assert!(changed.is_err(), "a submitted form was changed");
    let changed = client
        .execute(
            r#"UPDATE "TestResult" SET "result" = 'PASS' WHERE "testingFormId" = $1"#,
            &[&failed[0].id],
        )
        .await;
    assert!(changed.is_err(), "a submitted result was changed");
    let deleted = client
        .execute(
            r#"DELETE FROM "TestingForm" WHERE id = $1"#,
            &[&failed[0].id],
        )
        .await;
    assert!(deleted.is_err(), "a submitted form was deleted");

    // At the bounds it conforms: every measurement at its minimum, EOL-20 at its maximum.
    let done = testing::submit_testing(
        &f.ctx,
        &asm,
        id,
        with_value(&form, all, "EOL-20", "44"),
        pw(),
    )
    .await
    .expect("submit");
    assert_eq!(done.status, TestingStatus::Pass);
    let passes: i64 = client
        .query_one(
            r#"SELECT count(*) FROM "TestResult" WHERE "testingFormId" = $1 AND "result" = 'PASS'"#,
            &[&done.form_id],
        )
        .await
        .expect("count")
        .get(0);
    assert_eq!(passes, i64::try_from(form.lines.len()).expect("count"));
    // Opened again, the passed form shows its stored answers (read-only on screen).
    let shown = f.testing_form(id).await;
    assert!(shown.draft_id.is_none());
    assert_eq!(shown.answers.len(), form.lines.len());
    let eol20 = form
        .items
        .iter()
        .find(|t| t.def.code == "EOL-20")
        .expect("EOL-20")
        .def
        .id;
    assert!(
        shown
            .answers
            .iter()
            .any(|a| a.item_id == eol20 && a.answer.value.as_deref() == Some("44")),
        "{:?}",
        shown.answers
    );

    f.transition(
        Role::Assembler,
        id,
        S::ReadyForProduction,
        S::TestingComplete,
    )
    .await
    .expect("T5 after a passed form");
    assert_eq!(f.status(id).await, S::TestingComplete);
    let lists: i64 = client
        .query_one(
            r#"SELECT count(*) FROM "PackagingChecklist" WHERE "orderId" = $1"#,
            &[&id],
        )
        .await
        .expect("count")
        .get(0);
    assert_eq!(lists, 1);
}

#[tokio::test]
async fn a_draft_writes_only_the_answers_that_changed() {
    let f = Floor::new().await;
    let id = f
        .build_with_one_open_task("PO-T-W1", faucet_build("T-W1"))
        .await;
    f.complete_tasks(id).await;
    let asm = f.token(Role::Assembler);
    let form = f.testing_form(id).await;
    let all = conforming_testing(&form);
    let n = i64::try_from(all.len()).expect("count");
    assert!(n > 3, "the form has answers to work with");

    // The first save gives every answer: one audit row each.
    let before = f.audit_rows_of("TestResult").await;
    let draft = testing::save_testing_draft(&f.ctx, &asm, id, all.clone())
        .await
        .expect("first save");
    assert_eq!(f.audit_rows_of("TestResult").await - before, n);

    // Saved again unchanged: no result row is written.
    let before = f.audit_rows_of("TestResult").await;
    testing::save_testing_draft(&f.ctx, &asm, id, all.clone())
        .await
        .expect("unchanged save");
    assert_eq!(f.audit_rows_of("TestResult").await, before);

    // One answer changed: exactly one audit row, an UPDATE of that result.
    let changed = with_value(&form, all.clone(), "EOL-20", "41.5");
    let before = f.audit_rows_of("TestResult").await;
    testing::save_testing_draft(&f.ctx, &asm, id, changed.clone())
        .await
        .expect("changed save");
    assert_eq!(f.audit_rows_of("TestResult").await - before, 1);
    let client = f.db.client().await;
    let last: (String, String) = client
        .query_one(
            r#"SELECT "action", "newValues"->>'measurements' FROM "AuditLog"
                WHERE "entityType" = 'TestResult' ORDER BY "seq" DESC LIMIT 1"#,
            &[],
        )
        .await
        .map(|r| (r.get(0), r.get(1)))
        .expect("last audit row");
    assert_eq!(last.0, "UPDATE");
    assert!(last.1.contains("41.5"), "{last:?}");

    // An answer taken back: one DELETE; the first answer then taken back too leaves the others alone.
    let fewer: Vec<LineAnswer> = changed[1..].to_vec();
    let before = f.audit_rows_of("TestResult").await;
    testing::save_testing_draft(&f.ctx, &asm, id, fewer.clone())
        .await
        .expect("fewer answers");
    assert_eq!(f.audit_rows_of("TestResult").await - before, 1);
    let stored: i64 = client
        .query_one(
            r#"SELECT count(*) FROM "TestResult" WHERE "testingFormId" = $1"#,
            &[&draft],
        )
        .await
        .expect("count")
        .get(0);
    assert_eq!(stored, n - 1);

    // Answered again and submitted: the missing answer is inserted, the rest untouched, and the submit
    // itself writes the form row only.
    let before_results = f.audit_rows_of("TestResult").await;
    let before_forms = f.audit_rows_of("TestingForm").await;
    let done = testing::submit_testing(
        &f.ctx,
        &asm,
        id,
        changed,
        cleanstation::service::seed::DEMO_PASSWORD.into(),
    )
    .await
    .expect("submit");
    assert_eq!(done.form_id, draft);
    assert_eq!(f.audit_rows_of("TestResult").await - before_results, 1);
    // The draft's touch and the submit itself.
    assert_eq!(f.audit_rows_of("TestingForm").await - before_forms, 2);
    let stored: i64 = client
        .query_one(
            r#"SELECT count(*) FROM "TestResult" WHERE "testingFormId" = $1"#,
            &[&draft],
        )
        .await
        .expect("count")
        .get(0);
    assert_eq!(stored, n);
}
/// The demo password every demo user signs with.
fn pw() -> String {
    cleanstation::service::seed::DEMO_PASSWORD.into()
}
