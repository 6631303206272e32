//! Holds and shortages from the floor (docs/holds.md): placing a hold (with the procurement notice of a
//! parts shortage), releasing it, and the refusal every floor action of a held build gets.
//!
//! Every write locks the build first, then reads its open hold, so two stations placing or releasing
//! at once are serialised on the build's row.

use super::guard::{lock_order, refuse};
use super::{Authed, ServiceCtx, authenticate};
use crate::db::notifications::{self, NewNotification};
use crate::db::orders::LockedOrder;
use crate::db::{Client, Transaction, begin_as, holds as db_holds};
use crate::domain::Role;
use crate::domain::hold::{self, HoldReason, NamedHoldPart, NewHold};
use crate::domain::notification::PRODUCTION_ORDER;
use crate::domain::order::OrderRow;
use crate::error::{Result, ServiceError};
use crate::msg::{Reply, Request};
use crate::service::orders::updated_row;
use uuid::Uuid;

/// The notification type of a parts shortage (migration V27).
const SHORTAGE_KIND: &str = "PARTS_SHORTAGE";

/// Handles the hold requests (dispatched here from `service::dispatch`).
pub async fn handle(ctx: &ServiceCtx, req: Request) -> Result<Reply> {
    match req {
        Request::CheckHold {
            token,
            order_id,
            hold,
        } => check_hold(ctx, &token, order_id, &hold)
            .await
            .map(Reply::HoldChecked),
        Request::PlaceHold {
            token,
            order_id,
            hold,
        } => place_hold(ctx, &token, order_id, &hold)
            .await
            .map(Reply::OrderUpdated),
        Request::ReleaseHold {
            token,
            order_id,
            note,
        } => release_hold(ctx, &token, order_id, note.as_deref())
            .await
            .map(Reply::OrderUpdated),
        other => Err(ServiceError::Query(format!(
            "not a hold request: {other:?}"
        ))),
    }
}

/// The hold checked by the rules and its part ids against the catalog; the part lines with their names.
async fn checked(client: &impl Client, hold: &NewHold) -> Result<(NewHold, Vec<NamedHoldPart>)> {
    let hold = hold::check_new(hold).map_err(ServiceError::Invalid)?;
    let ids: Vec<String> = hold.parts.iter().map(|p| p.part_id.clone()).collect();
    let names = db_holds::part_names(client, &ids).await?;
    let mut named = Vec::with_capacity(hold.parts.len());
    for part in &hold.parts {
        let name = names
            .iter()
            .find(|(id, _)| *id == part.part_id)
            .map(|(_, name)| name.clone())
            .ok_or_else(|| {
                ServiceError::Invalid(format!("Part {} is not in the catalog", part.part_id))
            })?;
        named.push(NamedHoldPart {
            part: part.clone(),
            name,
        });
    }
    Ok((hold, named))
}

/// Checks a hold before the question (docs/holds.md §2.1): the same checks as placing it, nothing
/// written.
async fn check_hold(
    ctx: &ServiceCtx,
    token: &str,
    order_id: Uuid,
    hold: &NewHold,
) -> Result<Vec<NamedHoldPart>> {
    let who = authenticate(ctx, token).await?;
    if !hold::may_place(who.user.role) {
        return Err(refuse(&who, "put a build on hold"));
    }
    let client = ctx.pool.get().await?;
    if let Some(open) = db_holds::open_hold(&client, order_id).await? {
        return Err(ServiceError::Conflict(hold::already_held(&open)));
    }
    checked(&client, hold).await.map(|(_, named)| named)
}

/// Puts the build on hold; a parts shortage notifies every active procurement specialist
/// (docs/holds.md §2, §4).
async fn place_hold(
    ctx: &ServiceCtx,
    token: &str,
    order_id: Uuid,
    hold: &NewHold,
) -> Result<OrderRow> {
    let who = authenticate(ctx, token).await?;
    if !hold::may_place(who.user.role) {
        return Err(refuse(&who, "put a build on hold"));
    }
    let mut client = ctx.pool.get().await?;
    let tx = begin_as(&mut client, &who.actor(ctx)).await?;
    let locked = lock_order(&tx, order_id).await?;
    hold::check_place(who.user.role, locked.status).map_err(ServiceError::Forbidden)?;
    if let Some(open) = db_holds::open_hold(&tx, order_id).await? {
        return Err(ServiceError::Conflict(hold::already_held(&open)));
    }
    let (hold, named) = checked(&tx, hold).await?;
    db_holds::insert(&tx, order_id, who.user.id, &hold).await?;
    if hold.reason == HoldReason::PartsShortage {
        notify_procurement(&tx, &who, &locked, &named).await?;
    }
    tx.commit().await?;
    tracing::info!(order = %order_id, reason = hold.reason.code(), "build put on hold");
    updated_row(&client, order_id).await
}

/// One notification per active procurement specialist, about the build (docs/holds.md §4).
async fn notify_procurement(
    tx: &Transaction<'_>,
    who: &Authed,
    locked: &LockedOrder,
    parts: &[NamedHoldPart],
) -> Result<()> {
    let message = hold::shortage_message(
        &locked.po_number,
        &locked.build_number,
        parts,
        &who.user.full_name,
    );
    let id = locked.id.to_string();
    notifications::enqueue_for_role(
        tx,
        Role::ProcurementSpecialist,
        &NewNotification {
            title: hold::SHORTAGE_TITLE,
            message: &message,
            kind: SHORTAGE_KIND,
            related_entity_type: Some(PRODUCTION_ORDER),
            related_entity_id: Some(&id),
        },
    )
    .await?;
    Ok(())
}

/// Releases the build's open hold (docs/holds.md §2.3): a coordinator or ADMIN always, procurement a
/// parts shortage once the build's parts are sent.
async fn release_hold(
    ctx: &ServiceCtx,
    token: &str,
    order_id: Uuid,
    note: Option<&str>,
) -> Result<OrderRow> {
    let who = authenticate(ctx, token).await?;
    if !matches!(
        who.user.role,
        Role::ProductionCoordinator | Role::Admin | Role::ProcurementSpecialist
    ) {
        return Err(refuse(&who, "release a hold"));
    }
    let note = hold::check_note("Release note", note).map_err(ServiceError::Invalid)?;
    let mut client = ctx.pool.get().await?;
    let tx = begin_as(&mut client, &who.actor(ctx)).await?;
    let locked = lock_order(&tx, order_id).await?;
    let open = db_holds::open_hold(&tx, order_id)
        .await?
        .ok_or_else(|| ServiceError::Conflict(hold::NOT_HELD.into()))?;
    let parts_sent = locked.status != crate::domain::order::OrderStatus::OrderCreated;
    hold::may_release(who.user.role, open.reason, parts_sent).map_err(ServiceError::Forbidden)?;
    if !db_holds::release(&tx, open.id, who.user.id, note.as_deref()).await? {
        return Err(ServiceError::Conflict(hold::NOT_HELD.into()));
    }
    tx.commit().await?;
    tracing::info!(order = %order_id, "hold released");
    updated_row(&client, order_id).await
}
