//! The QC rejection reason list (docs/rejection-reasons.md §1): every role that sees production reads
//! it; only ADMIN adds, edits, retires and reactivates reasons, each change in its own transaction.

use super::guard::{require_role, require_viewer};
use super::{Authed, ServiceCtx, authenticate};
use crate::db::begin_as;
use crate::db::rejection_reasons as db_reasons;
use crate::domain::Role;
use crate::domain::rejection_reason::{ReasonInput, RejectionReason, validate_input};
use crate::error::{Result, ServiceError};
use crate::msg::{Reply, Request};
use uuid::Uuid;

/// Handles every rejection reason request (dispatched here from `service::dispatch`).
pub async fn handle(ctx: &ServiceCtx, req: Request) -> Result<Reply> {
    let list = match req {
        Request::RejectionReasons { token, active_only } => {
            let who = authenticate(ctx, &token).await?;
            require_viewer(&who)?;
            let client = ctx.pool.get().await?;
            if active_only {
                db_reasons::active(&client).await
            } else {
                db_reasons::list(&client).await
            }
        }
        Request::SaveRejectionReason { token, id, input } => save(ctx, &token, id, &input).await,
        Request::SetRejectionReasonActive { token, id, active } => {
            set_active(ctx, &token, id, active).await
        }
        other => Err(ServiceError::Query(format!(
            "not a rejection reason request: {other:?}"
        ))),
    }?;
    Ok(Reply::RejectionReasons(list))
}

fn require_admin(who: &Authed) -> Result<()> {
    require_role(who, &[Role::Admin], "change the rejection reasons")
}

fn reason_not_found() -> ServiceError {
    ServiceError::NotFound("Rejection reason".into())
}

/// Adds a reason (`id` None) or edits one; its code is set once and never changes
/// (docs/rejection-reasons.md §1.1, §1.2). Returns the whole list.
async fn save(
    ctx: &ServiceCtx,
    token: &str,
    id: Option<Uuid>,
    input: &ReasonInput,
) -> Result<Vec<RejectionReason>> {
    let who = authenticate(ctx, token).await?;
    require_admin(&who)?;
    let input = validate_input(input, id.is_none()).map_err(ServiceError::Invalid)?;
    let mut client = ctx.pool.get().await?;
    let tx = begin_as(&mut client, &who.actor(ctx)).await?;
    match id {
        None => {
            if db_reasons::code_taken(&tx, &input.code).await? {
                return Err(ServiceError::Invalid(format!(
                    "A rejection reason with code {} already exists",
                    input.code
                )));
            }
            let new = db_reasons::insert(&tx, &input, who.user.id).await?;
            tracing::info!(reason = %new, code = %input.code, "rejection reason added");
        }
        Some(id) => {
            if !db_reasons::update(&tx, id, &input, who.user.id).await? {
                return Err(reason_not_found());
            }
            tracing::info!(reason = %id, "rejection reason edited");
        }
    }
    let list = db_reasons::list(&tx).await?;
    tx.commit().await?;
    Ok(list)
}

/// Retires or reactivates a reason (docs/rejection-reasons.md §1.2). Returns the whole list.
async fn set_active(
    ctx: &ServiceCtx,
    token: &str,
    id: Uuid,
    active: bool,
) -> Result<Vec<RejectionReason>> {
    let who = authenticate(ctx, token).await?;
    require_admin(&who)?;
    let mut client = ctx.pool.get().await?;
    let tx = begin_as(&mut client, &who.actor(ctx)).await?;
    let reason = db_reasons::by_id(&tx, id)
        .await?
        .ok_or_else(reason_not_found)?;
    if !db_reasons::set_active(&tx, id, active, who.user.id).await? {
        return Err(ServiceError::Invalid(format!(
            "Rejection reason {} is already {}",
            reason.code,
            if active { "active" } else { "retired" }
        )));
    }
    let list = db_reasons::list(&tx).await?;
    tx.commit().await?;
    tracing::info!(reason = %id, active, "rejection reason retired or reactivated");
    Ok(list)
}
