//! BOM approval and regeneration (docs/bom-rules.md §8, docs/lifecycle.md §8.2): one path with the same
//! checks and locking, the change itself being the only difference.

use super::{bom_failed, record_config_history, updated_row};
use crate::db::orders::{self, LockedOrder};
use crate::db::{Transaction, begin_as, bom as db_bom};
use crate::domain::Role;
use crate::domain::bom::{CatalogIndex, generate};
use crate::domain::lifecycle;
use crate::domain::order::{OrderRow, OrderStatus};
use crate::domain::signature::{Meaning, SignedRecord};
use crate::error::{Result, ServiceError};
use crate::service::guard::{check_acting_unless_admin, lock_order, order_not_found, refuse};
use crate::service::{Authed, ServiceCtx, authenticate, signatures};
use uuid::Uuid;

/// What a user does to a build's BOM.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum BomChange {
    /// Approves the current BOM, which must still be the DRAFT `version` the user saw.
    Approve { version: i32 },
    /// Generates a new DRAFT version from the stored configuration; the previous one is superseded, so
    /// an approved BOM needs approving again.
    Regenerate,
}

impl BomChange {
    /// Whether `role` may make this change, and what a refusal says it cannot do.
    fn permission(self) -> (fn(Role) -> bool, &'static str) {
        match self {
            BomChange::Approve { .. } => (lifecycle::may_approve_bom, "approve BOMs"),
            BomChange::Regenerate => (lifecycle::may_regenerate_bom, "regenerate BOMs"),
        }
    }

    /// The history action and the log line.
    fn recorded_as(self) -> (&'static str, &'static str) {
        match self {
            BomChange::Approve { .. } => ("BOM_APPROVED", "BOM approved"),
            BomChange::Regenerate => ("BOM_REGENERATED", "BOM regenerated"),
        }
    }
}

/// A change with what it needs from outside the transaction.
enum Ready {
    Approve(i32),
    Regenerate(CatalogIndex),
}

/// Makes `change` to the build's BOM in one transaction and records it with the version it leaves. An
/// approval is signed (`APPROVED`, docs/signatures.md §1): `password` re-authenticates the signer before
/// the transaction, and the signature is stored in it after the version is approved.
pub(super) async fn change_bom(
    ctx: &ServiceCtx,
    token: &str,
    order_id: Uuid,
    change: BomChange,
    password: Option<String>,
) -> Result<OrderRow> {
    let who = authenticate(ctx, token).await?;
    let (allowed, what) = change.permission();
    if !allowed(who.user.role) {
        return Err(refuse(&who, what));
    }
    if let BomChange::Approve { .. } = change {
        signatures::confirm(ctx, &who, password.unwrap_or_default()).await?;
    }
    // The catalog is read before the transaction: it is not what the row lock guards.
    let ready = match change {
        BomChange::Approve { version } => Ready::Approve(version),
        BomChange::Regenerate => {
            let client = ctx.pool.get().await?;
            Ready::Regenerate(db_bom::load_catalog_index(&client).await?)
        }
    };
    let mut client = ctx.pool.get().await?;
    let tx = begin_as(&mut client, &who.actor(ctx)).await?;
    let locked = lock_for_bom(&tx, &who, order_id).await?;
    let (version, approved) = match &ready {
        Ready::Approve(version) => {
            let bom_id = approve(&tx, &locked, *version).await?;
            (*version, Some(bom_id))
        }
        Ready::Regenerate(index) => (regenerate(&tx, &who, &locked, index).await?, None),
    };
    let (action, logged) = change.recorded_as();
    let notes = format!("version {version}");
    record_config_history(&tx, order_id, who.user.id, action, &notes).await?;
    if let Some(bom_id) = approved {
        let record = SignedRecord::BillOfMaterials(bom_id);
        signatures::sign(&tx, &who, order_id, Meaning::Approved, record, None).await?;
    }
    tx.commit().await?;
    tracing::info!(order = %order_id, version, by = %who.user.id, "{logged}");
    updated_row(&client, order_id).await
}

/// Locks the build and checks what approval and regeneration share: ORDER_CREATED (docs/lifecycle.md §9)
/// and the acting rule (docs/lifecycle.md §1.3, ADMIN exempt).
async fn lock_for_bom(tx: &Transaction<'_>, who: &Authed, order_id: Uuid) -> Result<LockedOrder> {
    let locked = lock_order(tx, order_id).await?;
    if locked.status != OrderStatus::OrderCreated {
        return Err(ServiceError::Conflict(format!(
            "Build {} is now {}; its BOM can no longer be changed",
            locked.build_number, locked.status
        )));
    }
    check_acting_unless_admin(who, &locked)?;
    Ok(locked)
}

/// Approves the current BOM if it is still the DRAFT `version`; returns the version's id.
async fn approve(tx: &Transaction<'_>, locked: &LockedOrder, version: i32) -> Result<Uuid> {
    let Some(bom_id) = locked.bom_id else {
        return Err(ServiceError::Invalid(
            "This build has no BOM; regenerate it first".into(),
        ));
    };
    let (current, status) = orders::bom_state(tx, bom_id)
        .await?
        .ok_or_else(|| ServiceError::NotFound("BOM".into()))?;
    if current != version {
        return Err(ServiceError::Conflict(format!(
            "BOM version {version} is no longer current (now {current}); your approval was not saved"
        )));
    }
    if status != "DRAFT" {
        return Err(ServiceError::Conflict(format!(
            "BOM version {version} is already {status}"
        )));
    }
    // The order row lock serialises BOM changes; the condition is the last guard of the allowed moves of
    // docs/bom-rules.md §8.
    if !db_bom::approve(tx, bom_id).await? {
        return Err(ServiceError::Conflict(format!(
            "BOM version {version} is no longer DRAFT; your approval was not saved"
        )));
    }
    Ok(bom_id)
}

/// Writes a new DRAFT version generated from the stored configuration; returns its number.
async fn regenerate(
    tx: &Transaction<'_>,
    who: &Authed,
    locked: &LockedOrder,
    index: &CatalogIndex,
) -> Result<i32> {
    let mut build = orders::load(tx, locked.id)
        .await?
        .ok_or_else(order_not_found)?
        .build;
    build.build_number = locked.build_number.clone();
    let bom = generate(locked.language, &build, index)
        .map_err(|e| bom_failed(&locked.build_number, &e))?;
    let (_, version) = db_bom::write_version(tx, locked.id, &bom, who.user.id).await?;
    Ok(version)
}
