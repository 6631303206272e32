//! Correcting a build's want date, project, sales person and notes, and cancelling a build that has not
//! entered production (docs/lifecycle.md §11, §12). Each is one transaction that locks the build first,
//! so two stations correcting or cancelling at once are serialised on the build's row.

use super::guard::{lock_order, moved_on, refuse, refuse_if_held, require_role};
use super::{ServiceCtx, authenticate};
use crate::db::orders::{self as db_orders, NewHistory};
use crate::db::{begin_as, corrections as db_corrections};
use crate::domain::Role;
use crate::domain::correction::{self, CorrectionRequest};
use crate::domain::lifecycle::assignment_cleared_note;
use crate::domain::order::{OrderRow, OrderStatus};
use crate::error::{Result, ServiceError};
use crate::msg::{Reply, Request};
use crate::service::orders::updated_row;
use uuid::Uuid;

/// Handles the correction and cancel requests (dispatched here from `service::dispatch`).
pub async fn handle(ctx: &ServiceCtx, req: Request) -> Result<Reply> {
    match req {
        Request::CorrectOrder {
            token,
            order_id,
            correction,
        } => correct(ctx, &token, order_id, &correction)
            .await
            .map(Reply::OrderUpdated),
        Request::CancelOrder {
            token,
            order_id,
            expected,
            reason,
        } => cancel(ctx, &token, order_id, expected, &reason)
            .await
            .map(Reply::OrderUpdated),
        other => Err(ServiceError::Query(format!(
            "not a correction request: {other:?}"
        ))),
    }
}

/// Corrects the build (docs/lifecycle.md §11.2): the values the user saw must still be stored, else a
/// conflict naming what another station changed; each changed field gets an `"OrderCorrection"` row
/// with the reason, and the build's history one `CORRECTED` row.
async fn correct(
    ctx: &ServiceCtx,
    token: &str,
    order_id: Uuid,
    req: &CorrectionRequest,
) -> Result<OrderRow> {
    let who = authenticate(ctx, token).await?;
    if !correction::may_correct(who.user.role) {
        return Err(refuse(&who, "correct a build's details"));
    }
    let mut client = ctx.pool.get().await?;
    let tx = begin_as(&mut client, &who.actor(ctx)).await?;
    let locked = lock_order(&tx, order_id).await?;
    let current = db_corrections::current(&tx, order_id)
        .await?
        .ok_or_else(super::guard::order_not_found)?;
    correction::check_window(&locked.build_number, locked.status).map_err(ServiceError::Invalid)?;
    if current != req.expected {
        return Err(ServiceError::Conflict(correction::stale_refusal(
            &locked.build_number,
            &req.expected,
            &current,
        )));
    }
    let today = db_orders::today(&tx).await?;
    let (new, changes, reason) =
        correction::check_correction(&locked.build_number, locked.status, &current, req, today)
            .map_err(ServiceError::Invalid)?;
    db_corrections::update(&tx, order_id, &new).await?;
    for change in &changes {
        db_corrections::insert(&tx, order_id, who.user.id, change, &reason).await?;
    }
    let notes = correction::history_notes(&changes, &reason);
    db_orders::insert_history(
        &tx,
        &NewHistory {
            order_id,
            user_id: who.user.id,
            action: correction::CORRECTED_ACTION,
            old_status: Some(locked.status),
            new_status: locked.status,
            notes: Some(&notes),
        },
    )
    .await?;
    tx.commit().await?;
    tracing::info!(order = %order_id, fields = changes.len(), "build corrected");
    updated_row(&client, order_id).await
}

/// Cancels the build (docs/lifecycle.md §12.2): ADMIN, a reason, a build still in `expected` that has
/// not entered production and is not held. The assignee is cleared; nothing is deleted.
async fn cancel(
    ctx: &ServiceCtx,
    token: &str,
    order_id: Uuid,
    expected: OrderStatus,
    reason: &str,
) -> Result<OrderRow> {
    let who = authenticate(ctx, token).await?;
    require_role(&who, &[Role::Admin], "cancel a build")?;
    let reason = correction::check_reason(reason).map_err(ServiceError::Invalid)?;
    let mut client = ctx.pool.get().await?;
    let tx = begin_as(&mut client, &who.actor(ctx)).await?;
    let locked = lock_order(&tx, order_id).await?;
    if locked.status != expected {
        return Err(moved_on(&tx, &locked).await?);
    }
    let started = db_corrections::floor_started(&tx, order_id).await?;
    correction::check_cancel(&locked.build_number, locked.status, started)
        .map_err(ServiceError::Invalid)?;
    refuse_if_held(&tx, order_id).await?;
    if !db_orders::set_status(&tx, order_id, expected, OrderStatus::Cancelled, None).await? {
        return Err(moved_on(&tx, &locked).await?);
    }
    let notes = match &locked.assignee {
        Some((_, name, _)) => format!("{reason}; {}", assignment_cleared_note(name)),
        None => reason,
    };
    db_orders::insert_history(
        &tx,
        &NewHistory {
            order_id,
            user_id: who.user.id,
            action: correction::CANCELLED_ACTION,
            old_status: Some(expected),
            new_status: OrderStatus::Cancelled,
            notes: Some(&notes),
        },
    )
    .await?;
    tx.commit().await?;
    tracing::info!(order = %order_id, from = expected.code(), "build cancelled");
    updated_row(&client, order_id).await
}
