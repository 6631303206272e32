//! BOM approval and regeneration (bom-rules R13).

use super::{bom_failed, updated_row};
use crate::db::orders::{self, LockedOrder, NewHistory};
use crate::db::{DbError, Transaction, begin_as, bom as db_bom};
use crate::domain::bom::generate;
use crate::domain::lifecycle;
use crate::domain::order::{OrderRow, OrderStatus};
use crate::service::guard::{check_acting_unless_admin, lock_order, order_not_found, refuse};
use crate::service::{Authed, ServiceCtx, authenticate};
use uuid::Uuid;

/// Locks the build and checks what approval and regeneration share: ORDER_CREATED (2.8) and the
/// acting rule (D2, ADMIN exempt).
pub(super) async fn lock_for_bom(
    tx: &Transaction<'_>,
    who: &Authed,
    order_id: Uuid,
) -> Result<LockedOrder, DbError> {
    let locked = lock_order(tx, order_id).await?;
    if locked.status != OrderStatus::OrderCreated {
        return Err(DbError::Conflict(format!(
            "Build {} is now {}; its BOM can no longer be changed",
            locked.build_number, locked.status
        )));
    }
    check_acting_unless_admin(who, &locked)?;
    Ok(locked)
}

/// Approves the build's current BOM, which must still be the DRAFT `version` the user saw.
pub(super) async fn approve_bom(
    ctx: &ServiceCtx,
    token: &str,
    order_id: Uuid,
    version: i32,
) -> Result<OrderRow, DbError> {
    let who = authenticate(ctx, token).await?;
    if !lifecycle::may_approve_bom(who.user.role) {
        return Err(refuse(&who, "approve BOMs"));
    }
    let mut client = ctx.pool.get().await?;
    let tx = begin_as(&mut client, &who.actor(ctx)).await?;
    let locked = lock_for_bom(&tx, &who, order_id).await?;
    let Some(bom_id) = locked.bom_id else {
        return Err(DbError::Invalid(
            "This build has no BOM; regenerate it first".into(),
        ));
    };
    let (current, status) = orders::bom_state(&tx, bom_id)
        .await?
        .ok_or_else(|| DbError::NotFound("BOM".into()))?;
    if current != version {
        return Err(DbError::Conflict(format!(
            "BOM version {version} is no longer current (now {current}); your approval was not saved"
        )));
    }
    if status != "DRAFT" {
        return Err(DbError::Conflict(format!(
            "BOM version {version} is already {status}"
        )));
    }
    // The order row lock serialises BOM changes; the condition is the last guard of R13's allowed moves.
    if !db_bom::approve(&tx, bom_id).await? {
        return Err(DbError::Conflict(format!(
            "BOM version {version} is no longer DRAFT; your approval was not saved"
        )));
    }
    let notes = format!("version {version}");
    orders::insert_history(
        &tx,
        &NewHistory {
            order_id,
            user_id: who.user.id,
            action: "BOM_APPROVED",
            old_status: Some(OrderStatus::OrderCreated),
            new_status: OrderStatus::OrderCreated,
            notes: Some(&notes),
        },
    )
    .await?;
    tx.commit().await?;
    tracing::info!(order = %order_id, version, by = %who.user.id, "BOM approved");
    updated_row(&client, order_id).await
}

/// Generates a new DRAFT BOM version from the stored configuration; the previous one is superseded,
/// so an approved BOM needs approving again.
pub(super) async fn regenerate_bom(
    ctx: &ServiceCtx,
    token: &str,
    order_id: Uuid,
) -> Result<OrderRow, DbError> {
    let who = authenticate(ctx, token).await?;
    if !lifecycle::may_regenerate_bom(who.user.role) {
        return Err(refuse(&who, "regenerate BOMs"));
    }
    let index = {
        let client = ctx.pool.get().await?;
        db_bom::load_catalog_index(&client).await?
    };
    let mut client = ctx.pool.get().await?;
    let tx = begin_as(&mut client, &who.actor(ctx)).await?;
    let locked = lock_for_bom(&tx, &who, order_id).await?;
    let mut build = orders::load(&tx, order_id)
        .await?
        .ok_or_else(order_not_found)?
        .build;
    build.build_number = locked.build_number.clone();
    let bom = generate(locked.language, &build, &index)
        .map_err(|e| bom_failed(&locked.build_number, &e))?;
    let (_, version) = db_bom::write_version(&tx, order_id, &bom, who.user.id).await?;
    let notes = format!("version {version}");
    orders::insert_history(
        &tx,
        &NewHistory {
            order_id,
            user_id: who.user.id,
            action: "BOM_REGENERATED",
            old_status: Some(OrderStatus::OrderCreated),
            new_status: OrderStatus::OrderCreated,
            notes: Some(&notes),
        },
    )
    .await?;
    tx.commit().await?;
    tracing::info!(order = %order_id, version, by = %who.user.id, "BOM regenerated");
    updated_row(&client, order_id).await
}
