//! Assigning a build to a user, or taking the assignment back.

use super::{require_assigner, updated_row};
use crate::db::notifications::{self, NewNotification};
use crate::db::orders::{self, NewHistory};
use crate::db::{begin_as, users};
use crate::domain::lifecycle::{self, Candidate};
use crate::domain::notification::PRODUCTION_ORDER;
use crate::domain::order::{OrderRow, OrderStatus};
use crate::domain::user::UserSummary;
use crate::error::{Result, ServiceError};
use crate::service::guard::{lock_order, moved_on};
use crate::service::{ServiceCtx, authenticate};
use uuid::Uuid;

/// Assigns or unassigns a build in its expected status (docs/lifecycle.md §4).
pub(super) async fn assign(
    ctx: &ServiceCtx,
    token: &str,
    order_id: Uuid,
    expected: OrderStatus,
    assignee: Option<Uuid>,
) -> Result<OrderRow> {
    let who = authenticate(ctx, token).await?;
    require_assigner(&who)?;
    lifecycle::check_assignment(who.user.role, expected, None).map_err(ServiceError::Invalid)?;
    let mut client = ctx.pool.get().await?;
    let tx = begin_as(&mut client, &who.actor(ctx)).await?;
    let candidate: Option<UserSummary> = match assignee {
        Some(id) => Some(
            users::find_by_id(&tx, id)
                .await?
                .ok_or_else(|| ServiceError::NotFound("User".into()))?,
        ),
        None => None,
    };
    lifecycle::check_assignment(
        who.user.role,
        expected,
        candidate.as_ref().map(|u| Candidate {
            full_name: &u.full_name,
            role: u.role,
            is_active: u.is_active,
        }),
    )
    .map_err(ServiceError::Invalid)?;
    let locked = lock_order(&tx, order_id).await?;
    if locked.status != expected {
        return Err(moved_on(&tx, &locked).await?);
    }
    let before = locked.assignee.as_ref().map(|(id, _, _)| *id);
    if before == assignee {
        // Nothing changes, so nothing is recorded.
        drop(tx);
        return updated_row(&client, order_id).await;
    }
    if !orders::set_assignee(&tx, order_id, expected, assignee).await? {
        return Err(moved_on(&tx, &locked).await?);
    }
    let (action, notes) = match (&candidate, &locked.assignee) {
        (Some(u), _) => ("ASSIGNED", Some(format!("to {}", u.full_name))),
        (None, Some((_, name, _))) => ("UNASSIGNED", Some(format!("from {name}"))),
        (None, None) => ("UNASSIGNED", None),
    };
    orders::insert_history(
        &tx,
        &NewHistory {
            order_id,
            user_id: who.user.id,
            action,
            old_status: Some(expected),
            new_status: expected,
            notes: notes.as_deref(),
        },
    )
    .await?;
    if let Some(u) = &candidate {
        let message = format!(
            "{}-{} ({expected}) was assigned to you by {}",
            locked.po_number, locked.build_number, who.user.full_name
        );
        let id = order_id.to_string();
        notifications::enqueue(
            &tx,
            u.id,
            &NewNotification {
                title: "Order assigned to you",
                message: &message,
                kind: "TASK_ASSIGNMENT",
                related_entity_type: Some(PRODUCTION_ORDER),
                related_entity_id: Some(&id),
            },
        )
        .await?;
    }
    tx.commit().await?;
    updated_row(&client, order_id).await
}
