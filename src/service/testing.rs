//! End-of-line testing (docs/assembly-floor.md §5): the form opens once every task of the round is
//! complete; the assembler keeps a draft (an INCOMPLETE form whose results change on each save only
//! where an answer did) and submits it, which writes one result per item and basin and makes the form a
//! record. A FAIL is
//! fixed on the sink and a new form filled in; T5 reads the latest form of the round.

use super::floor::floor_header;
use super::guard::{lock_in_status, order_not_found, require_floor_worker, require_viewer};
use super::{Authed, ServiceCtx, authenticate};
use crate::db::orders::{self as db_orders, LockedOrder, OrderRecord};
use crate::db::testing::{self as db_testing, StoredResult};
use crate::db::{Client, Transaction, begin_as, templates};
use crate::domain::floor::{
    TESTING_FORM, TestItem, TestingFormView, TestingStatus, TestingSubmitted, answer_of,
    measurements_text, overall, parse_test_name, result_of, test_name,
};
use crate::domain::order::OrderStatus;
use crate::domain::qc::{
    FormLine, Judgement, LineAnswer, QcItemDef, applicable, carried_answers, judge,
};
use crate::domain::signature::{Meaning, SignedRecord};
use crate::error::{Result, ServiceError};
use std::collections::HashSet;
use uuid::Uuid;

pub const NOT_ON_FORM: &str =
    "An answer does not belong to this build's testing form; reload the form";

/// The applicable End-of-Line items of a build.
struct Form {
    items: Vec<TestItem>,
    lines: Vec<FormLine>,
}

impl Form {
    fn item(&self, line: &FormLine) -> Option<&QcItemDef> {
        self.items.get(line.item).map(|i| &i.def)
    }

    fn label(item: &QcItemDef, basin: Option<i32>) -> String {
        match basin {
            Some(b) => format!("{} (basin {b})", item.code),
            None => item.code.clone(),
        }
    }
}

async fn load_form(client: &impl Client, rec: &OrderRecord) -> Result<Form> {
    let template = templates::active_template(client, TESTING_FORM)
        .await?
        .ok_or_else(|| {
            ServiceError::Invalid(format!(
                "The \"{TESTING_FORM}\" checklist is not imported; ask an administrator"
            ))
        })?;
    let items = db_testing::items(client, template.id).await?;
    let defs: Vec<QcItemDef> = items.iter().map(|i| i.def.clone()).collect();
    let lines = applicable(&defs, &rec.build, rec.header.order_language).map_err(|m| {
        ServiceError::Invalid(format!(
            "The \"{TESTING_FORM}\" checklist cannot be used: {m}"
        ))
    })?;
    Ok(Form { items, lines })
}

/// Every answer must be for a line of the form, at most once, and storable as it is.
fn check_answers(form: &Form, answers: &[LineAnswer]) -> Result<()> {
    let mut seen = HashSet::new();
    for a in answers {
        let item = form
            .lines
            .iter()
            .filter(|l| l.basin_index == a.basin_index)
            .filter_map(|l| form.item(l))
            .find(|i| i.id == a.item_id)
            .ok_or_else(|| ServiceError::Invalid(NOT_ON_FORM.into()))?;
        let label = Form::label(item, a.basin_index);
        if !seen.insert((a.item_id, a.basin_index)) {
            return Err(ServiceError::Invalid(format!("{label} is answered twice")));
        }
        if let Judgement::Invalid(why) = judge(item, &a.answer) {
            return Err(ServiceError::Invalid(format!("{label}: {why}")));
        }
    }
    Ok(())
}

/// The results the answers make, in form order, each with its line's place on the form as its
/// sequence (so answering one line never renumbers another); `missing` lists required lines left
/// unanswered.
fn results_of(form: &Form, answers: &[LineAnswer]) -> (Vec<(i32, StoredResult)>, Vec<String>) {
    let mut results = Vec::new();
    let mut missing = Vec::new();
    for (sequence, line) in (1i32..).zip(&form.lines) {
        let (Some(test), Some(item)) = (form.items.get(line.item), form.item(line)) else {
            continue;
        };
        let answer = answers
            .iter()
            .find(|a| a.item_id == item.id && a.basin_index == line.basin_index)
            .map(|a| &a.answer);
        let judged = answer.map(|a| (a, judge(item, a)));
        match judged
            .as_ref()
            .and_then(|(a, j)| Some((*a, result_of(a, j)?)))
        {
            Some((a, result)) => results.push((
                sequence,
                StoredResult {
                    test_name: test_name(&item.code, &item.description, line.basin_index),
                    test_type: test.test_type,
                    result,
                    measurements: measurements_text(item, a),
                    notes: a
                        .notes
                        .as_deref()
                        .map(str::trim)
                        .filter(|n| !n.is_empty())
                        .map(str::to_string),
                },
            )),
            None if item.required => missing.push(Form::label(item, line.basin_index)),
            None => {}
        }
    }
    (results, missing)
}

/// The answers a draft's stored results hold, matched to the form's lines by code and basin.
fn answers_of(form: &Form, stored: &[StoredResult]) -> Vec<LineAnswer> {
    stored
        .iter()
        .filter_map(|r| {
            let (code, basin) = parse_test_name(&r.test_name);
            let item = form
                .lines
                .iter()
                .filter(|l| l.basin_index == basin)
                .filter_map(|l| form.item(l))
                .find(|i| i.code == code)?;
            Some(LineAnswer {
                item_id: item.id,
                basin_index: basin,
                answer: answer_of(item, r.result, r.measurements.as_deref(), r.notes.clone()),
            })
        })
        .collect()
}

/// The testing form of a build in READY_FOR_PRODUCTION with its draft and this round's submitted forms.
pub async fn testing_form(
    ctx: &ServiceCtx,
    token: &str,
    order_id: Uuid,
) -> Result<TestingFormView> {
    let who = authenticate(ctx, token).await?;
    require_viewer(&who)?;
    let client = ctx.pool.get().await?;
    let rec = db_orders::load(&client, order_id)
        .await?
        .ok_or_else(order_not_found)?;
    if rec.status != OrderStatus::ReadyForProduction {
        return Err(ServiceError::Invalid(format!(
            "Build {} is {}; testing is done in READY_FOR_PRODUCTION",
            rec.build.build_number, rec.status
        )));
    }
    let form = load_form(&client, &rec).await?;
    let draft = db_testing::open_draft(&client, order_id).await?;
    let round = db_orders::entered_at(&client, order_id, OrderStatus::ReadyForProduction).await?;
    let submitted = db_testing::submitted_since(&client, order_id, round).await?;
    // Without a draft, a passed latest form is shown with its answers (read-only); after a failure the
    // next form starts without answers, offered the failed form's conforming ones to confirm
    // (docs/assembly-floor.md §5.1).
    let shown = match (draft, submitted.first()) {
        (Some((id, _)), _) => Some(id),
        (None, Some(last)) if last.status == TestingStatus::Pass => Some(last.id),
        _ => None,
    };
    let answers = match shown {
        Some(id) => answers_of(&form, &db_testing::results(&client, id).await?),
        None => Vec::new(),
    };
    let carried = match submitted.first() {
        Some(last) if last.status == TestingStatus::Fail => {
            let before = answers_of(&form, &db_testing::results(&client, last.id).await?);
            let defs: Vec<QcItemDef> = form.items.iter().map(|i| i.def.clone()).collect();
            carried_answers(&defs, &form.lines, &before)
        }
        _ => Vec::new(),
    };
    Ok(TestingFormView {
        header: floor_header(&rec),
        items: form.items,
        lines: form.lines,
        draft_id: draft.map(|(id, _)| id),
        answers,
        open_tasks: db_orders::open_task_count(&client, order_id).await?,
        submitted,
        carried,
    })
}

/// Locks the build for a testing write: READY_FOR_PRODUCTION, worked by `who` (docs/lifecycle.md §1.3),
/// every task done.
async fn lock_for_testing(
    tx: &Transaction<'_>,
    who: &Authed,
    order_id: Uuid,
) -> Result<LockedOrder> {
    let locked = lock_in_status(tx, who, order_id, OrderStatus::ReadyForProduction).await?;
    let open = db_orders::open_task_count(tx, order_id).await?;
    if open > 0 {
        return Err(ServiceError::Invalid(format!(
            "{open} task(s) still open; testing opens when every task is complete"
        )));
    }
    Ok(locked)
}

/// Writes the answers into the build's draft (opened on the first save); returns the draft and the
/// results written.
async fn write_draft(
    tx: &Transaction<'_>,
    who: &Authed,
    order_id: Uuid,
    answers: &[LineAnswer],
) -> Result<(Uuid, Vec<(i32, StoredResult)>, Vec<String>)> {
    lock_for_testing(tx, who, order_id).await?;
    let rec = db_orders::load(tx, order_id)
        .await?
        .ok_or_else(order_not_found)?;
    let form = load_form(tx, &rec).await?;
    check_answers(&form, answers)?;
    let (results, missing) = results_of(&form, answers);
    let form_id = match db_testing::open_draft(tx, order_id).await? {
        Some((id, _)) => {
            db_testing::touch_draft(tx, id, who.user.id).await?;
            id
        }
        None => db_testing::insert_draft(tx, order_id, who.user.id).await?,
    };
    db_testing::write_results(tx, form_id, &results).await?;
    Ok((form_id, results, missing))
}

/// The failed lines of a submitted form, for its nonconformance (docs/nonconformance.md §2).
async fn failed_items(
    tx: &Transaction<'_>,
    order_id: Uuid,
    answers: &[LineAnswer],
) -> Result<Vec<crate::domain::nonconformance::NcItem>> {
    let rec = db_orders::load(tx, order_id)
        .await?
        .ok_or_else(order_not_found)?;
    let form = load_form(tx, &rec).await?;
    let item = |i: usize| form.items.get(i).map(|t| &t.def);
    Ok(crate::domain::nonconformance::nonconforming_items(
        &form.lines,
        item,
        answers,
    ))
}

/// Saves the assembler's answers as the build's draft.
pub async fn save_testing_draft(
    ctx: &ServiceCtx,
    token: &str,
    order_id: Uuid,
    answers: Vec<LineAnswer>,
) -> Result<Uuid> {
    let who = authenticate(ctx, token).await?;
    require_floor_worker(&who, "fill in testing forms")?;
    let mut client = ctx.pool.get().await?;
    let tx = begin_as(&mut client, &who.actor(ctx)).await?;
    let (form_id, _, _) = write_draft(&tx, &who, order_id, &answers).await?;
    tx.commit().await?;
    Ok(form_id)
}

/// Submits the form: every applicable required item answered; PASS when every answer conforms. The
/// submission, PASS or FAIL, is signed `TESTED` (docs/signatures.md §1): `password` re-authenticates the
/// signer before the transaction.
pub async fn submit_testing(
    ctx: &ServiceCtx,
    token: &str,
    order_id: Uuid,
    answers: Vec<LineAnswer>,
    password: String,
) -> Result<TestingSubmitted> {
    let who = authenticate(ctx, token).await?;
    require_floor_worker(&who, "submit testing forms")?;
    super::signatures::confirm(ctx, &who, password).await?;
    let mut client = ctx.pool.get().await?;
    let tx = begin_as(&mut client, &who.actor(ctx)).await?;
    let (form_id, results, missing) = write_draft(&tx, &who, order_id, &answers).await?;
    if !missing.is_empty() {
        return Err(ServiceError::Invalid(format!(
            "{} required item(s) not answered: {}",
            missing.len(),
            missing.join(", ")
        )));
    }
    let statuses: Vec<_> = results.iter().map(|(_, r)| r.result).collect();
    let status = overall(&statuses);
    let at = db_testing::submit(&tx, form_id, status, who.user.id).await?;
    if status == TestingStatus::Fail {
        let nc_items = failed_items(&tx, order_id, &answers).await?;
        super::nonconformance::raise_from_testing(&tx, &who, order_id, form_id, &nc_items).await?;
    }
    let record = SignedRecord::TestingForm(form_id);
    super::signatures::sign(&tx, &who, order_id, Meaning::Tested, record, None).await?;
    tx.commit().await?;
    tracing::info!(%order_id, %form_id, status = ?status, "testing form submitted");
    Ok(TestingSubmitted {
        form_id,
        status,
        results: results.len(),
        at,
    })
}
