//! Nonconformance use cases (docs/nonconformance.md): raising one (by hand, or from a failed Final QC or
//! testing form inside that submission's transaction), dispositioning it with a signature (a use-as-is
//! needs a second person's), closing it, the lists, and the ship refusal.
//!
//! Every write locks the build, then the NC, in that order.

use super::guard::{lock_order, order_not_found, refuse, require_role, require_viewer};
use super::{Authed, ServiceCtx, authenticate, signatures};
use crate::db::nonconformance::{self as db_nc, NcRecord, NewNc};
use crate::db::orders as db_orders;
use crate::db::signatures as db_signatures;
use crate::db::tasks as db_tasks;
use crate::db::{Client, Transaction, begin_as};
use crate::domain::Role;
use crate::domain::nonconformance::{
    self as nc, Disposition, NcDetail, NcItem, NcPage, NcSource, NcStatus, SignStep,
};
use crate::domain::signature::{Meaning, SignatureCheck, SignedRecord};
use crate::error::{Result, ServiceError};
use crate::msg::{Reply, Request};
use uuid::Uuid;

/// Who may raise an NC by hand (docs/nonconformance.md §3).
const RAISERS: [Role; 4] = [
    Role::QcPerson,
    Role::ProductionCoordinator,
    Role::Assembler,
    Role::Admin,
];

/// Handles every nonconformance request (dispatched here from `service::dispatch`).
pub async fn handle(ctx: &ServiceCtx, req: Request) -> Result<Reply> {
    let detail = |d: NcDetail| Reply::Nonconformance(Box::new(d));
    match req {
        Request::OpenNonconformances { token, page } => open_list(ctx, &token, page)
            .await
            .map(Reply::Nonconformances),
        Request::Nonconformance { token, id } => {
            let who = authenticate(ctx, &token).await?;
            require_viewer(&who)?;
            let client = ctx.pool.get().await?;
            load_detail(&client, &who, id, None).await.map(detail)
        }
        Request::RaiseNonconformance {
            token,
            order_id,
            description,
            items,
        } => raise(ctx, &token, order_id, &description, &items)
            .await
            .map(detail),
        Request::DispositionNonconformance {
            token,
            id,
            disposition,
            note,
            password,
        } => disposition_nc(ctx, &token, id, disposition, note.as_deref(), password)
            .await
            .map(detail),
        Request::CloseNonconformance { token, id, note } => {
            close(ctx, &token, id, &note).await.map(detail)
        }
        other => Err(ServiceError::Query(format!(
            "not a nonconformance request: {other:?}"
        ))),
    }
}

fn nc_not_found() -> ServiceError {
    ServiceError::NotFound("Nonconformance".into())
}

// ------------------------------------------------------------------------------------------------
// Reading
// ------------------------------------------------------------------------------------------------

/// One page of the OPEN NCs, oldest first (docs/nonconformance.md §6).
async fn open_list(ctx: &ServiceCtx, token: &str, page: u32) -> Result<NcPage> {
    let who = authenticate(ctx, token).await?;
    require_viewer(&who)?;
    let client = ctx.pool.get().await?;
    let (rows, total, now) = db_nc::open_page(&client, page).await?;
    Ok(NcPage {
        rows,
        total,
        page,
        now,
    })
}

/// The NC with its rework task, its signatures checked, and what `who` may do with it.
async fn load_detail(
    client: &impl Client,
    who: &Authed,
    id: Uuid,
    notice: Option<String>,
) -> Result<NcDetail> {
    let rec = db_nc::record(client, id, false)
        .await?
        .ok_or_else(nc_not_found)?;
    let rework_task = match rec.rework_task_id {
        Some(t) => db_nc::rework_task(client, t).await?,
        None => None,
    };
    let signatures: Vec<SignatureCheck> = db_signatures::verify_order(client, rec.summary.order_id)
        .await?
        .into_iter()
        .filter(|c| c.signature.record == SignedRecord::Nonconformance(id))
        .collect();
    let role = who.user.role;
    let status = rec.summary.status;
    // The first signer of a use-as-is is not offered the second signature (the service refuses it too).
    let signed_already = rec.summary.awaiting_second
        && signatures
            .iter()
            .any(|c: &SignatureCheck| c.signature.signer_id == who.user.id);
    Ok(NcDetail {
        may_disposition: status == NcStatus::Open
            && !signed_already
            && (role == Role::QcPerson || (role == Role::Admin && rec.summary.awaiting_second)),
        may_close: status == NcStatus::Dispositioned && role == Role::QcPerson,
        summary: rec.summary,
        source_id: rec.source_id,
        items: rec.items,
        disposition_note: rec.disposition_note,
        dispositioned: rec.dispositioned,
        rework_task,
        closed: rec.closed,
        signatures,
        notice,
    })
}

/// Refuses T10 (and its override) while the build has an OPEN NC, naming the oldest
/// (docs/lifecycle.md §3.1, docs/nonconformance.md §5).
pub(crate) async fn refuse_ship_with_open(tx: &Transaction<'_>, order_id: Uuid) -> Result<()> {
    let open = db_nc::open_numbers(tx, order_id).await?;
    match nc::ship_refusal(&open) {
        Some(why) => Err(ServiceError::Invalid(why)),
        None => Ok(()),
    }
}

// ------------------------------------------------------------------------------------------------
// Raising
// ------------------------------------------------------------------------------------------------

/// An NC raised by hand on a build (docs/nonconformance.md §3).
async fn raise(
    ctx: &ServiceCtx,
    token: &str,
    order_id: Uuid,
    description: &str,
    items: &[String],
) -> Result<NcDetail> {
    let who = authenticate(ctx, token).await?;
    require_role(&who, &RAISERS, "raise nonconformances")?;
    let description = nc::validate_description(description).map_err(ServiceError::Invalid)?;
    let items = nc::manual_items(items).map_err(ServiceError::Invalid)?;
    let mut client = ctx.pool.get().await?;
    let tx = begin_as(&mut client, &who.actor(ctx)).await?;
    lock_order(&tx, order_id).await?;
    let (id, number) = insert(
        &tx,
        &who,
        order_id,
        NcSource::Manual,
        None,
        &description,
        &items,
    )
    .await?;
    tx.commit().await?;
    let notice = format!("{number} raised");
    load_detail(&client, &who, id, Some(notice)).await
}

async fn insert(
    tx: &Transaction<'_>,
    who: &Authed,
    order_id: Uuid,
    source: NcSource,
    source_id: Option<Uuid>,
    description: &str,
    items: &[NcItem],
) -> Result<(Uuid, String)> {
    let (id, number) = db_nc::insert(
        tx,
        &NewNc {
            order_id,
            source,
            source_id,
            description,
            items,
            raised_by: who.user.id,
        },
    )
    .await?;
    tracing::info!(order = %order_id, nc = %number, source = source.code(), "nonconformance raised");
    Ok((id, number))
}

/// The NC of a failed Final QC, written in the submission's transaction: the failure reason and the
/// non-conforming answers (docs/nonconformance.md §2).
pub(crate) async fn raise_from_final_qc(
    tx: &Transaction<'_>,
    who: &Authed,
    order_id: Uuid,
    result_id: Uuid,
    reason: &str,
    items: &[NcItem],
) -> Result<()> {
    let source = (NcSource::FinalQc, Some(result_id));
    insert(tx, who, order_id, source.0, source.1, reason, items).await?;
    Ok(())
}

/// The NC of a failed end-of-line testing form, written in the submit's transaction: the failed lines
/// with their measurements and limits (docs/nonconformance.md §2).
pub(crate) async fn raise_from_testing(
    tx: &Transaction<'_>,
    who: &Authed,
    order_id: Uuid,
    form_id: Uuid,
    items: &[NcItem],
) -> Result<()> {
    let description = nc::testing_description(items);
    insert(
        tx,
        who,
        order_id,
        NcSource::Testing,
        Some(form_id),
        &description,
        items,
    )
    .await?;
    Ok(())
}

// ------------------------------------------------------------------------------------------------
// Disposition and closure
// ------------------------------------------------------------------------------------------------

/// The locked build and NC, in that order.
async fn lock_nc(tx: &Transaction<'_>, id: Uuid) -> Result<NcRecord> {
    let order_id = db_nc::order_of(tx, id).await?.ok_or_else(nc_not_found)?;
    lock_order(tx, order_id).await?;
    db_nc::record(tx, id, true).await?.ok_or_else(nc_not_found)
}

/// Who signed the NC's disposition first, if anyone.
async fn first_signer(client: &impl Client, id: Uuid) -> Result<Option<Uuid>> {
    Ok(
        db_signatures::of_record(client, SignedRecord::Nonconformance(id))
            .await?
            .into_iter()
            .find(|s| s.meaning == Meaning::Dispositioned)
            .map(|s| s.signer_id),
    )
}

/// The step a signature by `who` takes on `rec`, with the note the disposition carries.
async fn plan(
    client: &impl Client,
    who: &Authed,
    rec: &NcRecord,
    disposition: Disposition,
    note: Option<&str>,
) -> Result<(SignStep, Option<String>)> {
    let s = &rec.summary;
    let first = first_signer(client, s.id).await?;
    let step = nc::disposition_step(
        &s.number,
        s.status,
        s.disposition,
        first,
        disposition,
        who.user.id,
    )
    .map_err(ServiceError::Invalid)?;
    // Only QC dispositions; ADMIN may give the second signature of a use-as-is (docs/nonconformance.md §4).
    if who.user.role == Role::Admin && s.disposition.is_none() {
        return Err(refuse(who, "disposition nonconformances"));
    }
    let note = match s.disposition {
        // The second signature signs the disposition and note already written.
        Some(_) => rec.disposition_note.clone(),
        None => nc::validate_disposition_note(disposition, note).map_err(ServiceError::Invalid)?,
    };
    Ok((step, note))
}

/// Signs a disposition (docs/nonconformance.md §4): the password first (a wrong one counts toward the
/// lockout), then in one transaction the disposition, the signature and, when the NC is dispositioned,
/// the rework link.
async fn disposition_nc(
    ctx: &ServiceCtx,
    token: &str,
    id: Uuid,
    disposition: Disposition,
    note: Option<&str>,
    password: String,
) -> Result<NcDetail> {
    let who = authenticate(ctx, token).await?;
    require_role(
        &who,
        &[Role::QcPerson, Role::Admin],
        "disposition nonconformances",
    )?;
    {
        // Refuse what cannot be signed before asking the password to count.
        let client = ctx.pool.get().await?;
        let rec = db_nc::record(&client, id, false)
            .await?
            .ok_or_else(nc_not_found)?;
        plan(&client, &who, &rec, disposition, note).await?;
    }
    signatures::confirm(ctx, &who, password).await?;

    let mut client = ctx.pool.get().await?;
    let tx = begin_as(&mut client, &who.actor(ctx)).await?;
    let rec = lock_nc(&tx, id).await?;
    let (step, note) = plan(&tx, &who, &rec, disposition, note).await?;
    let number = rec.summary.number.clone();
    let order_id = rec.summary.order_id;
    // The record first, then its signature (docs/signatures.md §2).
    let notice = match step {
        SignStep::AwaitingSecond => {
            if !db_nc::write_disposition(&tx, id, disposition, note.as_deref()).await? {
                return Err(changed(&number));
            }
            format!("{number}: {disposition} signed; it awaits a second person's signature")
        }
        SignStep::Dispositioned => {
            let (task, why) = if disposition == Disposition::Rework {
                link_rework(&tx, &rec).await?
            } else {
                (None, None)
            };
            let by = who.user.id;
            if !db_nc::mark_dispositioned(&tx, id, disposition, note.as_deref(), by, task).await? {
                return Err(changed(&number));
            }
            match why {
                Some(why) => format!("{number} dispositioned {disposition}; {why}"),
                None => format!("{number} dispositioned {disposition}"),
            }
        }
    };
    signatures::sign(
        &tx,
        &who,
        order_id,
        Meaning::Dispositioned,
        SignedRecord::Nonconformance(id),
        note.as_deref(),
    )
    .await?;
    tx.commit().await?;
    tracing::info!(nc = %number, disposition = disposition.code(), step = ?step, "nonconformance signed");
    load_detail(&client, &who, id, Some(notice)).await
}

fn changed(number: &str) -> ServiceError {
    ServiceError::Conflict(format!(
        "{number} was changed at another station; your change was not saved"
    ))
}

/// The rework task a REWORK disposition links (docs/nonconformance.md §4): for a Final QC failure the
/// task T9 appended; otherwise, while the build's tasks can still change, a rework task appended to its
/// list the way the floor appends one; else none, and why.
async fn link_rework(
    tx: &Transaction<'_>,
    rec: &NcRecord,
) -> Result<(Option<Uuid>, Option<String>)> {
    let s = &rec.summary;
    if s.source == NcSource::FinalQc {
        let text = crate::domain::tasks::rework_description(Some(&s.description));
        let task = db_nc::unlinked_rework_task(tx, s.order_id, &text).await?;
        let why = task
            .is_none()
            .then(|| "no rework task of the Final QC failure was found to link".to_string());
        return Ok((task, why));
    }
    let status = db_orders::current_status(tx, s.order_id)
        .await?
        .map(|(_, st)| st)
        .ok_or_else(order_not_found)?;
    if let Some(why) = super::tasks::lock_reason(tx, s.order_id, status).await? {
        return Ok((None, Some(format!("no rework task was added: {why}"))));
    }
    let Some((list_id, _, _)) = db_tasks::active_list(tx, s.order_id).await? else {
        return Ok((
            None,
            Some("no rework task was added: the build has no task list".into()),
        ));
    };
    let task = db_tasks::append_task(tx, list_id, &nc::rework_task_description(s)).await?;
    Ok((
        Some(task),
        Some("a rework task was added to the build's tasks".into()),
    ))
}

/// Closes a DISPOSITIONED NC with a note; a REWORK one only once its rework task is complete
/// (docs/nonconformance.md §4).
async fn close(ctx: &ServiceCtx, token: &str, id: Uuid, note: &str) -> Result<NcDetail> {
    let who = authenticate(ctx, token).await?;
    require_role(&who, &[Role::QcPerson], "close nonconformances")?;
    let note = nc::validate_close_note(note).map_err(ServiceError::Invalid)?;
    let mut client = ctx.pool.get().await?;
    let tx = begin_as(&mut client, &who.actor(ctx)).await?;
    let rec = lock_nc(&tx, id).await?;
    let rework_open = match rec.rework_task_id {
        Some(t) => db_nc::rework_task(&tx, t)
            .await?
            .filter(|t| !t.completed)
            .map(|t| t.sequence),
        None => None,
    };
    let number = rec.summary.number.clone();
    nc::close_check(&number, rec.summary.status, rework_open).map_err(ServiceError::Invalid)?;
    if !db_nc::close(&tx, id, who.user.id, &note).await? {
        return Err(changed(&number));
    }
    tx.commit().await?;
    tracing::info!(nc = %number, "nonconformance closed");
    load_detail(&client, &who, id, Some(format!("{number} closed"))).await
}
