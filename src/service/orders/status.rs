//! Status moves a user asks for (T1-T10 and ADMIN overrides) and their preconditions.

use super::updated_row;
use crate::db::orders::{self, LockedOrder};
use crate::db::{Transaction, begin_as, packaging};
use crate::domain::lifecycle::{self, Precondition, Transition};
use crate::domain::order::{OrderRow, OrderStatus};
use crate::domain::signature::{Meaning, SIGNED_MOVE_NEEDS_PASSWORD, SignedRecord, move_signature};
use crate::error::{Result, ServiceError};
use crate::service::guard::{check_acting, lock_order, moved_on};
use crate::service::moves::{move_status, notify_qc_failure};
use crate::service::{ServiceCtx, authenticate, signatures};
use uuid::Uuid;

/// T6 without a packaging checklist completed in the round (docs/lifecycle.md §3.1).
const NO_CHECKLIST: &str = "Packaging incomplete: no packaging checklist in this round";

/// The fields of `Request::Transition` after the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransitionRequest {
    pub order_id: Uuid,
    pub from: OrderStatus,
    pub to: OrderStatus,
    pub note: Option<String>,
    pub override_reason: Option<String>,
    /// The signer's password, for a signed move (docs/signatures.md §1).
    pub password: Option<String>,
}

/// Performs one of T1-T10 (docs/lifecycle.md §3.2), normally or as an ADMIN override (§3.5). A signed
/// move (§3.6) re-authenticates the signer before the transaction and signs inside it, after the history
/// row is written.
pub(super) async fn transition(
    ctx: &ServiceCtx,
    token: &str,
    req: TransitionRequest,
) -> Result<OrderRow> {
    let who = authenticate(ctx, token).await?;
    let (from, to) = (req.from, req.to);
    let t = lifecycle::check_transition(who.user.role, from, to, req.override_reason.is_some())
        .map_err(|m| {
            if from == OrderStatus::Shipped
                || lifecycle::find(from, to).is_none()
                || m == lifecycle::OVERRIDE_REASON_REQUIRED
            {
                ServiceError::Invalid(m)
            } else {
                ServiceError::Forbidden(m)
            }
        })?;
    let reason = req
        .override_reason
        .as_deref()
        .map(lifecycle::override_reason)
        .transpose()
        .map_err(ServiceError::Invalid)?;
    let note = if to == OrderStatus::Shipped {
        lifecycle::shipping_notes(req.note.as_deref())
    } else {
        lifecycle::transition_note(req.note.as_deref())
    }
    .map_err(ServiceError::Invalid)?;
    let signed = move_signature(from, to, reason.is_some());
    if signed.is_some() {
        let password = req
            .password
            .ok_or_else(|| ServiceError::Invalid(SIGNED_MOVE_NEEDS_PASSWORD.into()))?;
        signatures::confirm(ctx, &who, password).await?;
    }

    let mut client = ctx.pool.get().await?;
    let tx = begin_as(&mut client, &who.actor(ctx)).await?;
    let locked = lock_order(&tx, req.order_id).await?;
    if locked.status != from {
        return Err(moved_on(&tx, &locked).await?);
    }
    // A held build does not move, an override included; the release comes first (docs/holds.md §3.2).
    crate::service::guard::refuse_if_held(&tx, locked.id).await?;
    if to == OrderStatus::Shipped {
        crate::service::nonconformance::refuse_ship_with_open(&tx, locked.id).await?;
    }
    if reason.is_none() {
        check_acting(&who, &locked)?;
        check_precondition(&tx, t, &locked).await?;
    }
    let mut notes: Vec<String> = Vec::new();
    if let Some(r) = &reason {
        notes.push(lifecycle::override_notes(from, to, r));
    }
    notes.extend(note);
    let action = if reason.is_some() {
        lifecycle::OVERRIDE_ACTION
    } else {
        t.action
    };
    let history_id = move_status(&tx, &who, &locked, t, action, reason.as_deref(), notes).await?;
    if let Some(r) = &reason {
        orders::insert_override_audit(&tx, locked.id, from, to, r).await?;
        // A normal T4/T9 notifies from the QC submission; an override along those paths does it here.
        if let Some(gate) = t.qc_gate().filter(|g| g.is_failure()) {
            notify_qc_failure(&tx, &locked, gate, r).await?;
        }
    }
    if let Some(meaning) = signed {
        let record = signed_record(&tx, meaning, &locked, history_id).await?;
        signatures::sign(&tx, &who, locked.id, meaning, record, reason.as_deref()).await?;
    }
    tx.commit().await?;
    tracing::info!(order = %locked.id, %from, %to, overridden = reason.is_some(), "status changed");
    updated_row(&client, locked.id).await
}

/// The record a signed move signs (docs/signatures.md §1): packaging complete signs the round's completed
/// packaging checklist, shipping and overrides the move's history row.
async fn signed_record(
    tx: &Transaction<'_>,
    meaning: Meaning,
    order: &LockedOrder,
    history_id: Uuid,
) -> Result<SignedRecord> {
    if meaning != Meaning::Verified {
        return Ok(SignedRecord::StatusHistory(history_id));
    }
    let since = orders::entered_at(tx, order.id, OrderStatus::TestingComplete).await?;
    packaging::completed_since(tx, order.id, since)
        .await?
        .map(SignedRecord::PackagingChecklist)
        .ok_or_else(|| ServiceError::Invalid(NO_CHECKLIST.into()))
}

/// The precondition of a normal move, against the locked row (docs/lifecycle.md §3.1).
pub(super) async fn check_precondition(
    tx: &Transaction<'_>,
    t: &Transition,
    order: &LockedOrder,
) -> Result<()> {
    match t.precondition {
        Precondition::None => Ok(()),
        Precondition::BomApproved => {
            let state = match order.bom_id {
                Some(id) => orders::bom_state(tx, id).await?,
                None => None,
            };
            let state = state.as_ref().map(|(v, s)| (*v, s.as_str()));
            match crate::domain::lifecycle::bom_approved_refusal(state) {
                None => Ok(()),
                Some(refusal) => Err(ServiceError::Invalid(refusal)),
            }
        }
        Precondition::TasksAndTesting => {
            let open = orders::open_task_count(tx, order.id).await?;
            if open > 0 {
                return Err(ServiceError::Invalid(format!("{open} task(s) still open")));
            }
            let round = orders::entered_at(tx, order.id, OrderStatus::ReadyForProduction).await?;
            if orders::latest_testing_passed(tx, order.id, round).await? == Some(true) {
                Ok(())
            } else {
                Err(ServiceError::Invalid(
                    "No passed testing form in this round".into(),
                ))
            }
        }
        Precondition::PackagingComplete => {
            let since = orders::entered_at(tx, order.id, OrderStatus::TestingComplete).await?;
            match orders::packaging_open_items(tx, order.id, since).await? {
                None => Ok(()),
                Some(Some(n)) => Err(ServiceError::Invalid(format!(
                    "Packaging incomplete: {n} item(s) not packed"
                ))),
                Some(None) => Err(ServiceError::Invalid(NO_CHECKLIST.into())),
            }
        }
        // check_transition refuses these without an override; never reached.
        Precondition::Qc(_) => Err(ServiceError::Forbidden(format!(
            "{} to {} happens only by submitting the QC result",
            t.from, t.to
        ))),
    }
}
