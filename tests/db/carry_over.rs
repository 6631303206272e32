//! Forms that remember (docs/assembly-floor.md §4.1 and §5.1, docs/qc.md §3.1): a failed testing form's
//! answers in range are offered to the next form, a failed Final QC's job id and item notes to the next
//! Final QC, and the rework task reads the failed items with the inspector's notes.

use crate::floor::{Floor, answer, conforming_qc, conforming_testing, example_build};
use cleanstation::domain::Role;
use cleanstation::domain::checklist::{CheckType, FormType};
use cleanstation::domain::floor::{TestingFormView, TestingStatus};
use cleanstation::domain::qc::{LineAnswer, QcForm, QcOutcome};
use cleanstation::msg::Request;
use cleanstation::service::seed::DEMO_PASSWORD;
use cleanstation::service::{tasks, testing};
use uuid::Uuid;

/// `answers` with the line of `code` for basin 1 set to `value`.
fn set(form: &TestingFormView, answers: &mut [LineAnswer], code: &str, value: &str) {
    let item = form
        .items
        .iter()
        .find(|i| i.def.code == code)
        .map(|i| i.def.id)
        .expect("item on the form");
    let a = answers
        .iter_mut()
        .find(|a| a.item_id == item && a.basin_index == Some(1))
        .expect("line of the item");
    a.answer = answer(value);
}

#[tokio::test]
async fn a_failed_testing_form_offers_its_answers_in_range_to_the_next() {
    let f = Floor::new().await;
    let asm = f.token(Role::Assembler);
    let id = f
        .build_in_production("PO-CO-1", example_build("CO-1"))
        .await;
    f.work_all_tasks(id).await;
    let form = f.testing_form(id).await;
    assert!(form.carried.is_empty(), "nothing failed yet");
    let mut failing = conforming_testing(&form);
    set(&form, &mut failing, "EOL-20", "45");
    let done = testing::submit_testing(&f.ctx, &asm, id, failing.clone(), DEMO_PASSWORD.into())
        .await
        .expect("submitted");
    assert_eq!(done.status, TestingStatus::Fail);

    // The new form has no answers; every answer but the failing one is offered, as it was given.
    let next = f.testing_form(id).await;
    assert!(next.draft_id.is_none() && next.answers.is_empty());
    let eol20 = form
        .items
        .iter()
        .find(|i| i.def.code == "EOL-20")
        .map(|i| i.def.id)
        .expect("EOL-20");
    let expected: Vec<&LineAnswer> = failing
        .iter()
        .filter(|a| !(a.item_id == eol20 && a.basin_index == Some(1)))
        .collect();
    assert_eq!(next.carried.len(), expected.len());
    for (got, want) in next.carried.iter().zip(&expected) {
        assert_eq!(got.item_id, want.item_id);
        assert_eq!(got.basin_index, want.basin_index);
        assert_eq!(got.answer.value, want.answer.value, "{:?}", got.item_id);
    }
    // A serial number (a record) is offered too.
    let record = next
        .items
        .iter()
        .find(|i| i.def.check_type == CheckType::Text)
        .map(|i| i.def.id)
        .expect("a record item");
    assert!(next.carried.iter().any(|a| a.item_id == record));

    // Confirmed answers are saved as the new draft's answers; the offer still stands for the rest.
    testing::save_testing_draft(&f.ctx, &asm, id, next.carried.clone())
        .await
        .expect("confirmations saved");
    let resumed = f.testing_form(id).await;
    assert_eq!(resumed.answers.len(), next.carried.len());
    assert_eq!(resumed.carried, next.carried);

    // The failing measurement measured again: the form passes, and a passed form offers nothing.
    let mut fixed = next.carried.clone();
    fixed.push(LineAnswer {
        item_id: eol20,
        basin_index: Some(1),
        answer: answer("40"),
    });
    let done = testing::submit_testing(&f.ctx, &asm, id, fixed, DEMO_PASSWORD.into())
        .await
        .expect("submitted");
    assert_eq!(done.status, TestingStatus::Pass);
    assert!(f.testing_form(id).await.carried.is_empty());
}

/// The Final QC answers with the first yes/no line answered NO with `note`; its item id and basin.
fn one_no(form: &QcForm, note: &str) -> (Vec<LineAnswer>, Uuid, Option<i32>) {
    let mut answers = conforming_qc(form);
    let a = answers
        .iter_mut()
        .find(|a| {
            form.items
                .iter()
                .any(|i| i.id == a.item_id && i.check_type == CheckType::Boolean)
        })
        .expect("a yes/no line");
    a.answer.value = Some("NO".into());
    a.answer.notes = Some(note.into());
    let (item, basin) = (a.item_id, a.basin_index);
    (answers, item, basin)
}

#[tokio::test]
async fn a_failed_final_qc_is_remembered_by_the_rework_task_and_the_next_final_qc() {
    let f = Floor::new().await;
    let id = f
        .build_in_production("PO-CO-2", example_build("CO-2"))
        .await;
    f.work_all_tasks(id).await;
    f.finish_round(id).await;
    let form = f.qc_form(id).await;
    assert_eq!(form.previous, None, "no failure yet");
    let (answers, item, basin) = one_no(&form, "Drain button not fitted");
    f.send(Request::SubmitQc {
        token: f.token(Role::QcPerson),
        order_id: id,
        qc_type: FormType::FinalQc,
        job_id: "JOB-7781".into(),
        answers,
        outcome: QcOutcome::Fail,
        reason: Some("Drain button missing".into()),
        password: DEMO_PASSWORD.into(),
        rejection_reasons: f.reasons_for(QcOutcome::Fail).await,
    })
    .await
    .expect("Final QC FAIL");

    // The rework task shows the failed item with the inspector's note, who and when.
    let list = tasks::task_list(&f.ctx, &f.token(Role::Assembler), id)
        .await
        .expect("task list");
    let rework = list
        .tasks
        .iter()
        .find(|t| t.description == "Rework after Final QC failure: [FINISH] Drain button missing")
        .expect("the rework task");
    assert_eq!(list.findings.len(), 1);
    let found = &list.findings[0];
    assert_eq!(found.task_id, rework.id);
    assert!(found.at.is_some());
    assert!(!found.inspector.is_empty());
    assert_eq!(found.items.len(), 1);
    assert_eq!(found.items[0].item.basin, basin);
    assert_eq!(found.items[0].item.answer.as_deref(), Some("NO"));
    assert_eq!(
        found.items[0].note.as_deref(),
        Some("Drain button not fitted")
    );

    // The next Final QC is offered the job id and the failed item's note; nothing is answered.
    f.work_all_tasks(id).await;
    f.finish_round(id).await;
    let next = f.qc_form(id).await;
    assert!(next.answers.is_empty() && next.job_id.is_empty());
    let previous = next.previous.expect("the failure is offered");
    assert_eq!(previous.job_id.as_deref(), Some("JOB-7781"));
    assert_eq!(previous.notes.len(), 1);
    assert_eq!(previous.notes[0].item_id, item);
    assert_eq!(previous.notes[0].basin_index, basin);
    assert_eq!(previous.notes[0].note, "Drain button not fitted");

    // The rework task keeps its findings once the build has passed.
    f.final_qc(id, QcOutcome::Pass, None).await;
    let list = tasks::task_list(&f.ctx, &f.token(Role::Assembler), id)
        .await
        .expect("task list");
    assert_eq!(list.findings.len(), 1);
    assert_eq!(list.findings[0].task_id, rework.id);
}
