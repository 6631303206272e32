//! QC use cases: the form for a build, drafts, signing and submitting, the history and verification.
//!
//! Only QC_PERSON fills in, saves and signs (docs/qc.md §1; ADMIN never signs, docs/lifecycle.md §3.5),
//! only the draft's performer edits it (docs/qc.md §3), and an assigned build is worked only by its
//! assignee (docs/lifecycle.md §1.3). A submit is one transaction: the answers, the signature, the
//! storeTo copies and the status move (T3, T4, T8, T9).

use super::guard::{
    check_acting, lock_order, moved_on, order_not_found, require_role, require_viewer,
};
use super::moves::qc_transition;
use super::{Authed, ServiceCtx, authenticate};
use crate::db::orders::{self as db_orders, LockedOrder, OrderRecord};
use crate::db::qc::{self as db_qc, NewDraft, OpenDraft, ResultRow};
use crate::db::rejection_reasons as db_reasons;
use crate::db::signatures as db_signatures;
use crate::db::{Client, Transaction, begin_as, templates};
use crate::domain::Role;
use crate::domain::checklist::FormType;
use crate::domain::lifecycle::QcGate;
use crate::domain::nonconformance::nonconforming_items;
use crate::domain::qc::{
    FormLine, Judgement, LineAnswer, QcForm, QcHeader, QcItemDef, QcOutcome, QcResultDetail,
    QcResultStatus, QcResultSummary, applicable, judge, may_pass, meaning, progress,
    signature_text, validate_job_id, validate_reason,
};
use crate::domain::rejection_reason::{
    PASS_HAS_NO_REASONS, REASON_NEEDED, check_picked, codes, with_codes,
};
use crate::domain::signature::{Meaning, SignedRecord, SigningFacts, printed_name};
use crate::error::{Result, ServiceError};
use crate::export::qc_certificate;
use crate::msg::{Reply, Request};
use std::collections::HashSet;
use uuid::Uuid;

pub const PASSWORD_NOT_SIGNED: &str = "Password incorrect; not signed";
pub const CERTIFICATE_FINAL_PASS_ONLY: &str = "A certificate is printed only for a passed Final QC";
pub const NOT_ON_FORM: &str = "An answer does not belong to this build's form; reload the form";

/// Handles every QC request (dispatched here from `service::dispatch`).
pub async fn handle(ctx: &ServiceCtx, req: Request) -> Result<Reply> {
    match req {
        Request::QcForm { token, order_id } => form(ctx, &token, order_id)
            .await
            .map(|f| Reply::QcForm(Box::new(f))),
        Request::SaveQcDraft {
            token,
            order_id,
            qc_type,
            job_id,
            answers,
        } => save_draft(ctx, &token, order_id, qc_type, &job_id, &answers)
            .await
            .map(Reply::QcDraftSaved),
        submission @ Request::SubmitQc { .. } => submit(ctx, submission)
            .await
            .map(|s| Reply::QcSubmitted(Box::new(s))),
        Request::DiscardQcDraft {
            token,
            order_id,
            qc_type,
        } => discard_draft(ctx, &token, order_id, qc_type)
            .await
            .map(|()| Reply::Done),
        Request::QcHistory { token, order_id } => {
            history(ctx, &token, order_id).await.map(Reply::QcHistory)
        }
        Request::QcResult { token, result_id } => detail(ctx, &token, result_id)
            .await
            .map(|d| Reply::QcResult(Box::new(d))),
        Request::QcCertificate {
            token,
            result_id,
            dir,
        } => certificate(ctx, &token, result_id, &dir)
            .await
            .map(Reply::Exported),
        other => Err(ServiceError::Query(format!("not a QC request: {other:?}"))),
    }
}

// ------------------------------------------------------------------------------------------------
// Rules
// ------------------------------------------------------------------------------------------------

/// Filling in, saving and signing QC forms is QC_PERSON's alone.
fn require_inspector(who: &Authed) -> Result<()> {
    require_role(who, &[Role::QcPerson], "perform QC checks")
}

fn result_not_found() -> ServiceError {
    ServiceError::NotFound("QC result".into())
}

fn draft_by(name: &str) -> String {
    format!("Draft in progress by {name}")
}

/// The QC form the build's status calls for; `qc_type` must be that form when given.
fn form_of(
    build_number: &str,
    status: crate::domain::order::OrderStatus,
) -> Result<(FormType, &'static str)> {
    db_qc::form_for_status(status).ok_or_else(|| {
        ServiceError::Invalid(format!(
            "Build {build_number} is {status}; it is not waiting for QC"
        ))
    })
}

/// The template, items and lines of a build's form: the open draft's template when there is one (so a
/// new template version never strands a draft's answers), otherwise the active version.
struct Form {
    template: db_qc::TemplateRef,
    items: Vec<QcItemDef>,
    lines: Vec<FormLine>,
}

async fn load_form(
    client: &impl Client,
    rec: &OrderRecord,
    form_name: &str,
    draft: Option<&OpenDraft>,
) -> Result<Form> {
    let template = match draft {
        Some(d) => db_qc::template_ref(client, d.template_id).await?,
        None => templates::active_template(client, form_name)
            .await?
            .map(|t| db_qc::TemplateRef {
                id: t.id,
                name: t.form_name,
                version: t.version,
            }),
    }
    .ok_or_else(|| {
        ServiceError::Invalid(format!(
            "The \"{form_name}\" checklist is not imported; ask an administrator"
        ))
    })?;
    let items = db_qc::items(client, template.id).await?;
    let lines = applicable(&items, &rec.build, rec.header.order_language).map_err(|m| {
        ServiceError::Invalid(format!("The \"{form_name}\" checklist cannot be used: {m}"))
    })?;
    Ok(Form {
        template,
        items,
        lines,
    })
}

/// Every answer must be for a line of the form, at most once, and storable as it is (judge Invalid is
/// refused with the item's code).
fn check_answers(form: &Form, answers: &[LineAnswer]) -> Result<()> {
    let mut seen = HashSet::new();
    for a in answers {
        let line = form.lines.iter().find(|l| {
            l.basin_index == a.basin_index
                && form.items.get(l.item).is_some_and(|i| i.id == a.item_id)
        });
        let Some(item) = line.and_then(|l| form.items.get(l.item)) else {
            return Err(ServiceError::Invalid(NOT_ON_FORM.into()));
        };
        let label = match a.basin_index {
            Some(b) => format!("{} (basin {b})", item.code),
            None => item.code.clone(),
        };
        if !seen.insert((a.item_id, a.basin_index)) {
            return Err(ServiceError::Invalid(format!("{label} is answered twice")));
        }
        if let Judgement::Invalid(why) = judge(item, &a.answer) {
            return Err(ServiceError::Invalid(format!("{label}: {why}")));
        }
    }
    Ok(())
}

/// The job id of a draft: optional while filling in, but never over the limit.
fn draft_job_id(job_id: &str) -> Result<Option<String>> {
    if job_id.trim().is_empty() {
        Ok(None)
    } else {
        validate_job_id(job_id)
            .map(Some)
            .map_err(ServiceError::Invalid)
    }
}

/// Locks the build and checks it still waits for `qc_type` and that `who` may work it
/// (docs/lifecycle.md §1.3).
async fn lock_for_qc(
    tx: &Transaction<'_>,
    who: &Authed,
    order_id: Uuid,
    qc_type: FormType,
) -> Result<LockedOrder> {
    let locked = lock_order(tx, order_id).await?;
    if db_qc::status_for_form(qc_type) != Some(locked.status) {
        return Err(moved_on(tx, &locked).await?);
    }
    // No QC on a held build (docs/holds.md §3.2).
    super::guard::refuse_if_held(tx, order_id).await?;
    check_acting(who, &locked)?;
    Ok(locked)
}

fn number_of_basins(rec: &OrderRecord) -> i32 {
    i32::try_from(rec.build.basins.len()).unwrap_or(i32::MAX)
}

// ------------------------------------------------------------------------------------------------
// The form and drafts
// ------------------------------------------------------------------------------------------------

/// The form for a build waiting for QC, with the open draft. ADMIN may look (to discard a draft); the
/// form is then read-only, as it is for an inspector while another's draft is open.
async fn form(ctx: &ServiceCtx, token: &str, order_id: Uuid) -> Result<QcForm> {
    let who = authenticate(ctx, token).await?;
    require_role(&who, &[Role::QcPerson, Role::Admin], "perform QC checks")?;
    let client = ctx.pool.get().await?;
    let rec = db_orders::load(&client, order_id)
        .await?
        .ok_or_else(order_not_found)?;
    let (qc_type, form_name) = form_of(&rec.build.build_number, rec.status)?;
    let draft = db_qc::open_draft(&client, order_id, qc_type).await?;
    let form = load_form(&client, &rec, form_name, draft.as_ref()).await?;
    let answers = match &draft {
        Some(d) => db_qc::answers(&client, d.id).await?,
        None => Vec::new(),
    };
    let first_pass = if qc_type == FormType::FinalQc {
        Some(db_qc::first_pass(&client, order_id, None).await?)
    } else {
        None
    };
    let draft_by_other = draft
        .as_ref()
        .filter(|d| d.performed_by != who.user.id)
        .map(|d| d.performer_name.clone());
    let previous =
        super::carry_over::qc_previous(&client, order_id, qc_type, &form.items, &form.lines)
            .await?;
    Ok(QcForm {
        header: QcHeader {
            order_id,
            po_number: rec.header.po_number.clone(),
            build_number: rec.build.build_number.clone(),
            customer_name: rec.header.customer_name.clone(),
            sink_model: rec.build.sink_model.clone(),
            number_of_basins: number_of_basins(&rec),
            qc_type,
            first_pass,
            template_id: form.template.id,
            template_name: form.template.name,
            template_version: form.template.version,
        },
        items: form.items,
        lines: form.lines,
        draft_id: draft.as_ref().map(|d| d.id),
        job_id: draft.and_then(|d| d.job_id).unwrap_or_default(),
        answers,
        draft_by_other,
        previous,
        rejection_reasons: db_reasons::active(&client).await?,
    })
}

/// What saving and submitting answers both start from, under the build's lock.
struct Answering {
    locked: LockedOrder,
    rec: OrderRecord,
    draft: Option<OpenDraft>,
    form: Form,
}

/// Locks the build for `who`'s `qc_type` answers (docs/lifecycle.md §1.3, docs/qc.md §3) and reads its
/// form, the answers checked against it. `hold` also holds the form's items first, for a signature.
async fn begin_answering(
    tx: &Transaction<'_>,
    who: &Authed,
    order_id: Uuid,
    qc_type: FormType,
    answers: &[LineAnswer],
    hold: bool,
) -> Result<Answering> {
    let locked = lock_for_qc(tx, who, order_id, qc_type).await?;
    let draft = writable_draft(tx, who, order_id, qc_type).await?;
    let rec = db_orders::load(tx, order_id)
        .await?
        .ok_or_else(order_not_found)?;
    let (_, form_name) = form_of(&locked.build_number, locked.status)?;
    if hold {
        // Before the form is read: the code and wording signed are then the ones checked here.
        db_qc::hold_items(tx, form_name).await?;
    }
    let form = load_form(tx, &rec, form_name, draft.as_ref()).await?;
    check_answers(&form, answers)?;
    Ok(Answering {
        locked,
        rec,
        draft,
        form,
    })
}

impl Answering {
    /// Opens the build's draft of the form, performed by `who`; its id.
    async fn insert_draft(
        &self,
        tx: &Transaction<'_>,
        who: &Authed,
        qc_type: FormType,
        job_id: Option<&str>,
    ) -> Result<Uuid> {
        db_qc::insert_draft(
            tx,
            &NewDraft {
                order_id: self.locked.id,
                build_number: &self.locked.build_number,
                template_id: self.form.template.id,
                qc_type,
                performed_by: who.user.id,
                job_id,
                number_of_basins: number_of_basins(&self.rec),
            },
        )
        .await
    }
}

/// Saves the inspector's answers into the build's draft, opening it on the first save.
async fn save_draft(
    ctx: &ServiceCtx,
    token: &str,
    order_id: Uuid,
    qc_type: FormType,
    job_id: &str,
    answers: &[LineAnswer],
) -> Result<Uuid> {
    let who = authenticate(ctx, token).await?;
    require_inspector(&who)?;
    let job_id = draft_job_id(job_id)?;
    let mut client = ctx.pool.get().await?;
    let tx = begin_as(&mut client, &who.actor(ctx)).await?;
    let opened = begin_answering(&tx, &who, order_id, qc_type, answers, false).await?;
    let id = match &opened.draft {
        Some(d) => {
            db_qc::touch_draft(&tx, d.id, job_id.as_deref()).await?;
            d.id
        }
        None => {
            opened
                .insert_draft(&tx, &who, qc_type, job_id.as_deref())
                .await?
        }
    };
    db_qc::upsert_answers(&tx, id, answers).await?;
    tx.commit().await?;
    Ok(id)
}

/// The open draft, if any, provided `who` is its performer.
async fn writable_draft(
    tx: &Transaction<'_>,
    who: &Authed,
    order_id: Uuid,
    qc_type: FormType,
) -> Result<Option<OpenDraft>> {
    let draft = db_qc::open_draft(tx, order_id, qc_type).await?;
    match draft {
        Some(d) if d.performed_by != who.user.id => {
            Err(ServiceError::Forbidden(draft_by(&d.performer_name)))
        }
        d => Ok(d),
    }
}

/// ADMIN throws away a build's open draft (docs/qc.md §3).
async fn discard_draft(
    ctx: &ServiceCtx,
    token: &str,
    order_id: Uuid,
    qc_type: FormType,
) -> Result<()> {
    let who = authenticate(ctx, token).await?;
    require_role(&who, &[Role::Admin], "discard a QC draft")?;
    let mut client = ctx.pool.get().await?;
    let tx = begin_as(&mut client, &who.actor(ctx)).await?;
    lock_order(&tx, order_id).await?;
    let draft = db_qc::open_draft(&tx, order_id, qc_type)
        .await?
        .ok_or_else(|| {
            ServiceError::Invalid(format!(
                "There is no open {} draft to discard",
                qc_type.code()
            ))
        })?;
    db_qc::delete_draft(&tx, draft.id).await?;
    tx.commit().await?;
    tracing::info!(order = %order_id, draft = %draft.id, "QC draft discarded");
    Ok(())
}

// ------------------------------------------------------------------------------------------------
// Sign and submit
// ------------------------------------------------------------------------------------------------

fn gate(qc_type: FormType, outcome: QcOutcome) -> Result<QcGate> {
    match (qc_type, outcome) {
        (FormType::PreQc, QcOutcome::Pass) => Ok(QcGate::PreQcPass),
        (FormType::PreQc, QcOutcome::Fail) => Ok(QcGate::PreQcFail),
        (FormType::FinalQc, QcOutcome::Pass) => Ok(QcGate::FinalQcPass),
        (FormType::FinalQc, QcOutcome::Fail) => Ok(QcGate::FinalQcFail),
        (FormType::InProcess, _) => Err(ServiceError::Invalid(
            "In-process checklists are not signed as QC results".into(),
        )),
    }
}

/// Signs and submits: checks the password (a wrong one counts toward the lockout), then in one
/// transaction writes the final answers, the signature and the storeTo copies and moves the build.
/// `submission` is the `Request::SubmitQc` as it came.
async fn submit(ctx: &ServiceCtx, submission: Request) -> Result<QcResultSummary> {
    let Request::SubmitQc {
        token,
        order_id,
        qc_type,
        job_id,
        answers,
        outcome,
        reason,
        password,
        rejection_reasons,
    } = submission
    else {
        return Err(ServiceError::Query("not a QC submission".into()));
    };
    let who = authenticate(ctx, &token).await?;
    require_inspector(&who)?;
    let gate = gate(qc_type, outcome)?;
    let job_id = validate_job_id(&job_id).map_err(ServiceError::Invalid)?;
    let reason = match outcome {
        QcOutcome::Fail => Some(validate_reason(reason.as_deref()).map_err(ServiceError::Invalid)?),
        QcOutcome::Pass => None,
    };
    // What can be told without the list: a FAIL names a reason, a PASS none (docs/rejection-reasons.md
    // §2.1); whether each is on the list and active is checked with the rows held, below.
    match outcome {
        QcOutcome::Fail if rejection_reasons.is_empty() => {
            return Err(ServiceError::Invalid(REASON_NEEDED.into()));
        }
        QcOutcome::Pass if !rejection_reasons.is_empty() => {
            return Err(ServiceError::Invalid(PASS_HAS_NO_REASONS.into()));
        }
        _ => {}
    }
    // A failed attempt must be counted even though nothing else is written, so the password is
    // checked in its own transaction before the submit's.
    super::auth::confirm_password(ctx, &who, password, PASSWORD_NOT_SIGNED).await?;

    let mut client = ctx.pool.get().await?;
    let tx = begin_as(&mut client, &who.actor(ctx)).await?;
    let opened = begin_answering(&tx, &who, order_id, qc_type, &answers, true).await?;
    let basins = number_of_basins(&opened.rec);
    let id = match &opened.draft {
        Some(d) => d.id,
        None => {
            opened
                .insert_draft(&tx, &who, qc_type, Some(&job_id))
                .await?
        }
    };
    db_qc::upsert_answers(&tx, id, &answers).await?;
    db_qc::remove_answers_off_form(&tx, id, &opened.form.items, &opened.form.lines).await?;

    // PASS is judged on the answers as they will be signed: the draft's, with this request's on top.
    let stored = db_qc::answers(&tx, id).await?;
    check_answers(&opened.form, &stored)?;
    let p = progress(&opened.form.items, &opened.form.lines, &stored);
    if outcome == QcOutcome::Pass && !may_pass(&p) {
        return Err(ServiceError::Invalid(format!(
            "PASS needs every required item answered and none non-conforming \
             ({} of {} required answered, {} non-conforming)",
            p.answered_required, p.required, p.non_conforming
        )));
    }

    // The reasons, held so a retirement waits for this submit, are written while the result is a draft;
    // their codes lead the failure reason, which the signature covers (docs/rejection-reasons.md §2.2).
    let held = db_reasons::hold_picked(&tx, &rejection_reasons).await?;
    let picked = check_picked(outcome == QcOutcome::Fail, &rejection_reasons, &held)
        .map_err(ServiceError::Invalid)?;
    let picked_ids: Vec<Uuid> = picked.iter().map(|r| r.id).collect();
    let codes = codes(&picked);
    let reason = reason
        .map(|r| with_codes(&codes, &r))
        .transpose()
        .map_err(ServiceError::Invalid)?;
    db_reasons::record(&tx, id, &picked_ids).await?;

    let signed_at = db_qc::utc_now(&tx).await?;
    db_qc::prepare_signing(&tx, id, &job_id, basins, reason.as_deref(), signed_at).await?;
    let status = match outcome {
        QcOutcome::Pass => QcResultStatus::Pass,
        QcOutcome::Fail => QcResultStatus::Fail,
    };
    let mut row = db_qc::result(&tx, id).await?.ok_or_else(result_not_found)?;
    row.status = status;
    let content = db_qc::signed_content(&tx, &row).await?;
    let signature = signature_text(
        &who.user.full_name,
        &who.user.initials,
        &meaning(qc_type, outcome),
        &content,
    );
    copy_store_to(&tx, order_id, &opened.form, &stored).await?;
    if !db_qc::sign(&tx, id, status, &signature).await? {
        return Err(moved_on(&tx, &opened.locked).await?);
    }
    let name = printed_name(&who.user.full_name);
    let facts = SigningFacts {
        order_id,
        meaning: Meaning::from_code(&meaning(qc_type, outcome))
            .ok_or_else(|| ServiceError::Query("not a signed QC form".into()))?,
        record: SignedRecord::QcResult(id),
        signer_id: who.user.id,
        printed_name: &name,
        signed_at,
        reason: reason.as_deref(),
    };
    db_signatures::insert_qc(&tx, &facts, &signature).await?;
    qc_transition(&tx, &who, &opened.locked, gate, reason.as_deref()).await?;
    if let (QcGate::FinalQcFail, Some(why)) = (gate, reason.as_deref()) {
        let (items, lines) = (&opened.form.items, &opened.form.lines);
        let nc_items = nonconforming_items(lines, |i| items.get(i), &stored);
        super::nonconformance::raise_from_final_qc(&tx, &who, order_id, id, why, &nc_items).await?;
    }
    tx.commit().await?;
    tracing::info!(order = %order_id, result = %id, status = status.code(), "QC result signed");

    // The same connection reads the result back: a second one from the pool while this one is held
    // would wait forever at a station with one connection, and report a saved result as failed
    // (docs/performance.md §6.3).
    let row = db_qc::result(&client, id)
        .await?
        .ok_or_else(result_not_found)?;
    db_qc::summary(&client, &row).await
}

/// storeTo: the answers of basin items that name a BasinConfiguration column are copied to the basin.
async fn copy_store_to(
    tx: &Transaction<'_>,
    order_id: Uuid,
    form: &Form,
    answers: &[LineAnswer],
) -> Result<()> {
    for line in &form.lines {
        let Some(item) = form.items.get(line.item) else {
            continue;
        };
        let (Some(target), Some(basin)) = (item.store_to.as_deref(), line.basin_index) else {
            continue;
        };
        let answer = answers
            .iter()
            .find(|a| a.item_id == item.id && a.basin_index == line.basin_index);
        if let Some(a) = answer {
            db_qc::store_to(tx, order_id, basin, target, a.answer.value.as_deref()).await?;
        }
    }
    Ok(())
}

// ------------------------------------------------------------------------------------------------
// History, one result, certificate
// ------------------------------------------------------------------------------------------------

/// Every QC result of a build, newest first, each with its signature checked.
async fn history(ctx: &ServiceCtx, token: &str, order_id: Uuid) -> Result<Vec<QcResultSummary>> {
    let who = authenticate(ctx, token).await?;
    require_viewer(&who)?;
    let client = ctx.pool.get().await?;
    if db_orders::row_by_id(&client, order_id).await?.is_none() {
        return Err(order_not_found());
    }
    let results = db_qc::results_of(&client, order_id).await?;
    db_qc::summaries(&client, &results).await
}

/// A result's lines: the stored answers in display order, each against its item.
fn stored_lines(items: &[QcItemDef], answers: &[LineAnswer]) -> Vec<FormLine> {
    answers
        .iter()
        .filter_map(|a| {
            items
                .iter()
                .position(|i| i.id == a.item_id)
                .map(|item| FormLine::new(item, a.basin_index))
        })
        .collect()
}

async fn load_result(client: &impl Client, who: &Authed, result_id: Uuid) -> Result<ResultRow> {
    require_viewer(who)?;
    db_qc::result(client, result_id)
        .await?
        .ok_or_else(result_not_found)
}

/// One result with every answer, read-only.
async fn detail(ctx: &ServiceCtx, token: &str, result_id: Uuid) -> Result<QcResultDetail> {
    let who = authenticate(ctx, token).await?;
    let client = ctx.pool.get().await?;
    let row = load_result(&client, &who, result_id).await?;
    let rec = db_orders::load(&client, row.order_id)
        .await?
        .ok_or_else(order_not_found)?;
    let items = db_qc::items(&client, row.template.id).await?;
    let answers = db_qc::answers(&client, row.id).await?;
    let lines = stored_lines(&items, &answers);
    let first_pass = if row.qc_type == FormType::FinalQc {
        Some(db_qc::first_pass(&client, row.order_id, row.at).await?)
    } else {
        None
    };
    let header = QcHeader {
        order_id: row.order_id,
        po_number: rec.header.po_number,
        build_number: row.build_number.clone(),
        customer_name: rec.header.customer_name,
        sink_model: rec.build.sink_model,
        number_of_basins: row.number_of_basins.unwrap_or_default(),
        qc_type: row.qc_type,
        first_pass,
        template_id: row.template.id,
        template_name: row.template.name.clone(),
        template_version: row.template.version,
    };
    let summary = db_qc::summary(&client, &row).await?;
    Ok(QcResultDetail {
        summary,
        header,
        items,
        lines,
        answers,
    })
}

/// The certificate of a passed Final QC. The PDF itself is not produced yet: every check a real
/// export needs is made, then the request is refused with a clear message.
async fn certificate(
    ctx: &ServiceCtx,
    token: &str,
    result_id: Uuid,
    dir: &str,
) -> Result<Vec<std::path::PathBuf>> {
    let result = detail(ctx, token, result_id).await?;
    if result.summary.qc_type != FormType::FinalQc || result.summary.status != QcResultStatus::Pass
    {
        return Err(ServiceError::Invalid(CERTIFICATE_FINAL_PASS_ONLY.into()));
    }
    let dir = super::files::station_dir(dir)?;
    let paths = super::files::write_rendered(&dir, move |printed_at| {
        vec![crate::export::ExportFile {
            name: qc_certificate::file_name(&result, printed_at),
            bytes: qc_certificate::render(&result, printed_at),
        }]
    })
    .await?;
    tracing::info!(result = %result_id, files = ?paths, "QC certificate written");
    Ok(paths)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::checklist::CheckType;
    use crate::domain::qc::Answer;

    fn item(code: &str, seq: i32, basin: bool) -> QcItemDef {
        QcItemDef::from_row(
            Uuid::from_u128(u128::try_from(seq).unwrap_or_default()),
            "Sink".into(),
            format!("{code} description"),
            CheckType::Boolean,
            basin,
            true,
            false,
            seq,
            Some(&serde_json::json!({ "code": code })),
        )
    }

    fn form() -> Form {
        Form {
            template: db_qc::TemplateRef {
                id: Uuid::nil(),
                name: "Pre-Production Check".into(),
                version: 1,
            },
            items: vec![item("PRE-01", 10, false), item("PRE-10", 100, true)],
            lines: vec![FormLine::new(0, None), FormLine::new(1, Some(1))],
        }
    }

    fn yes(item: u128, basin: Option<i32>) -> LineAnswer {
        LineAnswer {
            item_id: Uuid::from_u128(item),
            basin_index: basin,
            answer: Answer {
                value: Some("YES".into()),
                is_na: false,
                notes: None,
            },
        }
    }

    #[test]
    fn answers_must_be_for_lines_of_the_form_and_only_once() {
        let f = form();
        assert_eq!(
            check_answers(&f, &[yes(10, None), yes(100, Some(1))]),
            Ok(())
        );
        assert_eq!(
            check_answers(&f, &[yes(100, Some(2))]),
            Err(ServiceError::Invalid(NOT_ON_FORM.into()))
        );
        assert_eq!(
            check_answers(&f, &[yes(10, Some(1))]),
            Err(ServiceError::Invalid(NOT_ON_FORM.into()))
        );
        assert_eq!(
            check_answers(&f, &[yes(100, Some(1)), yes(100, Some(1))]),
            Err(ServiceError::Invalid(
                "PRE-10 (basin 1) is answered twice".into()
            ))
        );
    }

    #[test]
    fn a_draft_job_id_may_be_blank_but_not_too_long() {
        assert_eq!(draft_job_id("  "), Ok(None));
        assert_eq!(draft_job_id(" J-1 "), Ok(Some("J-1".into())));
        assert!(draft_job_id(&"j".repeat(51)).is_err());
    }

    #[test]
    fn each_form_and_outcome_has_its_gate() {
        assert_eq!(
            gate(FormType::PreQc, QcOutcome::Pass),
            Ok(QcGate::PreQcPass)
        );
        assert_eq!(
            gate(FormType::PreQc, QcOutcome::Fail),
            Ok(QcGate::PreQcFail)
        );
        assert_eq!(
            gate(FormType::FinalQc, QcOutcome::Pass),
            Ok(QcGate::FinalQcPass)
        );
        assert_eq!(
            gate(FormType::FinalQc, QcOutcome::Fail),
            Ok(QcGate::FinalQcFail)
        );
        assert!(gate(FormType::InProcess, QcOutcome::Pass).is_err());
    }

    #[test]
    fn stored_lines_follow_the_answers() {
        let f = form();
        let lines = stored_lines(&f.items, &[yes(10, None), yes(100, Some(2))]);
        assert_eq!(
            lines,
            vec![FormLine::new(0, None), FormLine::new(1, Some(2))]
        );
    }
}
