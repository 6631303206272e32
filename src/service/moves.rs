//! The mechanics of a status move, shared by `Request::Transition` and the QC submission: the
//! conditional update, the assignee rule, the floor records the new status brings, the history row and
//! the coordinators' notification of a QC failure (docs/lifecycle.md §3.2-§3.3, §4.3, §5.2).

use super::Authed;
use super::guard::moved_on;
use crate::db::Transaction;
use crate::db::notifications::{self, NewNotification};
use crate::db::orders::{self as db_orders, LockedOrder, NewHistory};
use crate::domain::Role;
use crate::domain::lifecycle::{self, QcGate, Transition};
use crate::domain::notification::PRODUCTION_ORDER;
use crate::domain::order::OrderStatus;
use crate::error::{Result, ServiceError};
use uuid::Uuid;

/// Moves the locked build along `t` and records it as `action` with `notes` (the assignee note of
/// docs/lifecycle.md §4.3 appended). `reason` is a QC failure's or an override's reason, for the floor
/// records the new status brings. Returns the history row's id (a signed move signs that row).
pub(crate) async fn move_status(
    tx: &Transaction<'_>,
    who: &Authed,
    locked: &LockedOrder,
    t: &Transition,
    action: &str,
    reason: Option<&str>,
    mut notes: Vec<String>,
) -> Result<Uuid> {
    // docs/lifecycle.md §4.3: the assignee stays only if their role fits the new status.
    let (assignee, cleared) = match &locked.assignee {
        Some((id, _, role)) if lifecycle::keeps_assignee(*role, t.to) => (Some(*id), None),
        Some((_, name, _)) => (None, Some(lifecycle::assignment_cleared_note(name))),
        None => (None, None),
    };
    if !db_orders::set_status(tx, locked.id, t.from, t.to, assignee).await? {
        return Err(moved_on(tx, locked).await?);
    }
    on_enter_status(tx, locked, t, who.user.id, reason).await?;
    notes.extend(cleared);
    let notes = (!notes.is_empty()).then(|| notes.join("; "));
    db_orders::insert_history(
        tx,
        &NewHistory {
            order_id: locked.id,
            user_id: who.user.id,
            action,
            old_status: Some(t.from),
            new_status: t.to,
            notes: notes.as_deref(),
        },
    )
    .await
}

/// The QC-gated move of a submitted QC result (T3, T4, T8 or T9), made inside the submission's own
/// transaction with the mechanics of a `Request::Transition` (docs/lifecycle.md §3.2): the conditional
/// update, the assignee rule (§4.3), the history row, the side effects of entering the status and, on a
/// failure, the coordinators' notification (§5.2). The caller holds the row lock from `orders::lock`, has
/// checked the role and the acting rule, and has written the result; `Request::Transition` keeps refusing
/// these moves.
pub(crate) async fn qc_transition(
    tx: &Transaction<'_>,
    who: &Authed,
    locked: &LockedOrder,
    gate: QcGate,
    reason: Option<&str>,
) -> Result<OrderStatus> {
    let t = lifecycle::for_qc_gate(gate)
        .ok_or_else(|| ServiceError::Query(format!("no transition for {gate:?}")))?;
    if locked.status != t.from {
        return Err(moved_on(tx, locked).await?);
    }
    let reason = reason.filter(|_| gate.is_failure());
    let notes = reason.map(str::to_string).into_iter().collect();
    move_status(tx, who, locked, t, t.action, reason, notes).await?;
    if gate.is_failure() {
        notify_qc_failure(tx, locked, gate, reason.unwrap_or_default()).await?;
    }
    tracing::info!(order = %locked.id, from = %t.from, to = %t.to, "status changed by a QC result");
    Ok(t.to)
}

/// The floor records a status brings with it (docs/lifecycle.md §3.3), written inside the move's own
/// transaction: the task list on the first entry to READY_FOR_PRODUCTION, the rework task after T9 and
/// the packaging checklist at TESTING_COMPLETE. Those records belong to the floor-record use-cases, which
/// write them from here. `reason` is a QC failure's or an override's reason.
async fn on_enter_status(
    tx: &Transaction<'_>,
    order: &LockedOrder,
    t: &Transition,
    user_id: Uuid,
    reason: Option<&str>,
) -> Result<()> {
    match t.to {
        OrderStatus::ReadyForProduction => {
            super::tasks::on_enter_production(tx, order, t.from, user_id, reason).await
        }
        OrderStatus::TestingComplete => {
            super::packaging::on_enter_testing_complete(tx, order, user_id).await
        }
        _ => Ok(()),
    }
}

/// Tells every active coordinator that a build failed QC (docs/lifecycle.md §5.1, §5.2).
pub(crate) async fn notify_qc_failure(
    tx: &Transaction<'_>,
    order: &LockedOrder,
    gate: QcGate,
    reason: &str,
) -> Result<()> {
    let (title, what, back) = match gate {
        QcGate::FinalQcFail => (
            "Final QC failed",
            "Final QC",
            OrderStatus::ReadyForProduction,
        ),
        _ => ("Pre-QC failed", "Pre-QC", OrderStatus::PartsSent),
    };
    let message = format!(
        "{}-{} failed {what}: {reason}. Back to {back}.",
        order.po_number, order.build_number
    );
    let id = order.id.to_string();
    notifications::enqueue_for_role(
        tx,
        Role::ProductionCoordinator,
        &NewNotification {
            title,
            message: &message,
            kind: "QC_REQUIRED",
            related_entity_type: Some(PRODUCTION_ORDER),
            related_entity_id: Some(&id),
        },
    )
    .await?;
    Ok(())
}
