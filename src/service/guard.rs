//! The checks and refusals the use-cases share: who may see production data, who may work the floor,
//! the acting rule (docs/lifecycle.md §1.3) and the locked build that must still be where the user saw
//! it.

use super::Authed;
use crate::db::orders::{self as db_orders, LockedOrder};
use crate::db::{Client, Transaction};
use crate::domain::Role;
use crate::domain::lifecycle;
use crate::domain::order::OrderStatus;
use crate::error::{Result, ServiceError};
use uuid::Uuid;

/// The refusal of a role that may not do `what`.
pub(crate) fn refuse(who: &Authed, what: &str) -> ServiceError {
    ServiceError::Forbidden(format!("Your role ({}) cannot {what}", who.user.role))
}

/// `who` must hold one of `roles`; the refusal says what they cannot do.
pub(crate) fn require_role(who: &Authed, roles: &[Role], what: &str) -> Result<()> {
    if roles.contains(&who.user.role) {
        Ok(())
    } else {
        Err(refuse(who, what))
    }
}

/// The service department sees no production data at all (docs/lifecycle.md §1.1).
pub(crate) fn require_viewer(who: &Authed) -> Result<()> {
    if who.user.role == Role::ServiceDepartment {
        Err(refuse(who, "view production orders"))
    } else {
        Ok(())
    }
}

/// Floor records are the assembler's; ADMIN may step in (the acting rule does not bind ADMIN here).
pub(crate) fn require_floor_worker(who: &Authed, what: &str) -> Result<()> {
    require_role(who, &[Role::Assembler, Role::Admin], what)
}

pub(crate) fn order_not_found() -> ServiceError {
    ServiceError::NotFound("Order".into())
}

/// Locks the build's row for the rest of the transaction.
pub(crate) async fn lock_order(tx: &Transaction<'_>, order_id: Uuid) -> Result<LockedOrder> {
    db_orders::lock(tx, order_id)
        .await?
        .ok_or_else(order_not_found)
}

/// The acting rule (docs/lifecycle.md §1.3): an assigned build is worked only by its assignee.
pub(crate) fn check_acting(who: &Authed, locked: &LockedOrder) -> Result<()> {
    let assignee = locked
        .assignee
        .as_ref()
        .map(|(id, name, _)| (*id, name.as_str()));
    lifecycle::check_acting(who.user.id, assignee).map_err(ServiceError::Forbidden)
}

/// The acting rule for work ADMIN may step in on (the floor, the task list, the BOM).
pub(crate) fn check_acting_unless_admin(who: &Authed, locked: &LockedOrder) -> Result<()> {
    if who.user.role == Role::Admin {
        Ok(())
    } else {
        check_acting(who, locked)
    }
}

/// The refusal when another station moved the build first (docs/lifecycle.md §3.2, step 2).
pub(crate) async fn moved_on(client: &impl Client, locked: &LockedOrder) -> Result<ServiceError> {
    let (build, status) = db_orders::current_status(client, locked.id)
        .await?
        .unwrap_or((locked.build_number.clone(), locked.status));
    let by = db_orders::latest_status_change(client, locked.id).await?;
    Ok(ServiceError::Conflict(match by {
        Some((name, at)) => format!(
            "Build {build} is now {status} (changed by {name} at {}); your change was not saved",
            crate::domain::clock::local_clock(at)
        ),
        None => format!("Build {build} is now {status}; your change was not saved"),
    }))
}

/// Locks the build for a write of the floor: it must still be in `status` (else the "moved on" refusal,
/// naming who changed it) and be worked by `who` under the acting rule (docs/lifecycle.md §1.3).
pub(crate) async fn lock_in_status(
    tx: &Transaction<'_>,
    who: &Authed,
    order_id: Uuid,
    status: OrderStatus,
) -> Result<LockedOrder> {
    let locked = lock_order(tx, order_id).await?;
    if locked.status != status {
        return Err(moved_on(tx, &locked).await?);
    }
    // A held build's floor is stopped (docs/holds.md §3.2).
    refuse_if_held(tx, order_id).await?;
    // ADMIN steps in on the floor as on the task list; everyone else follows the acting rule.
    check_acting_unless_admin(who, &locked)?;
    Ok(locked)
}

/// The refusal of a floor action on a held build, naming the hold (docs/holds.md §3.2). Called under
/// the build's row lock by every floor write: task completion and reopening, QC submission, testing,
/// packaging and status moves.
pub(crate) async fn refuse_if_held(client: &impl Client, order_id: Uuid) -> Result<()> {
    match crate::db::holds::open_hold(client, order_id).await? {
        Some(h) => Err(ServiceError::Invalid(h.refusal())),
        None => Ok(()),
    }
}
