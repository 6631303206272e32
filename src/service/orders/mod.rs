//! Order use-cases: the wizard's checks and submit, queues, detail, the lifecycle and assignment.
//!
//! Every role check here is binding (the screens only mirror them). Every write is one transaction opened
//! with [`begin_as`](crate::db::begin_as), so the audit trigger names the acting user and a refusal leaves nothing behind.

mod assign;
pub(crate) mod attachments;
mod bom;
mod edit;
mod entry;
mod queue;
mod status;
#[cfg(test)]
mod tests;

pub use edit::{BUILD_NUMBER_FIXED, config_changes};
pub use entry::{DRAFT_TOO_LARGE, MAX_DRAFT_BYTES, field_errors_text};
pub use queue::STALE_CURSOR;
pub use status::TransitionRequest;

use assign::assign;
use attachments::read_attachment;
use bom::{BomChange, change_bom};
use edit::update_build;
use entry::{check_numbers, create_order, discard_draft, save_draft, wizard_context};
use queue::{list_orders, order_detail, order_rows};
use status::transition;

use super::guard::{order_not_found, refuse, require_role};
use super::{Authed, ServiceCtx, authenticate};
use crate::db::orders::{self, NewHistory};
use crate::db::{Client, Transaction, bom as db_bom};
use crate::domain::Role;
use crate::domain::bom::BomError;
use crate::domain::lifecycle;
use crate::domain::order::{AttachmentInfo, OrderRow, OrderStatus};
use crate::error::{Result, ServiceError};
use crate::msg::{Reply, Request};
use uuid::Uuid;

/// Handles every order request (dispatched here from `service::dispatch`).
pub async fn handle(ctx: &ServiceCtx, req: Request) -> Result<Reply> {
    match req {
        Request::WizardContext { token } => {
            wizard_context(ctx, &token).await.map(Reply::WizardContext)
        }
        Request::CheckNumbers {
            token,
            po_number,
            build_numbers,
        } => check_numbers(ctx, &token, &po_number, &build_numbers)
            .await
            .map(Reply::NumbersChecked),
        Request::CheckAttachment { token, path } => {
            let who = authenticate(ctx, &token).await?;
            require_creator(&who)?;
            let file = read_attachment(path, false).await?;
            Ok(Reply::AttachmentChecked(AttachmentInfo {
                name: file.name,
                size: file.size,
            }))
        }
        Request::PreviewBom {
            token,
            language,
            build,
        } => {
            let who = authenticate(ctx, &token).await?;
            require_creator(&who)?;
            let client = ctx.pool.get().await?;
            db_bom::preview(&client, language, &build)
                .await?
                .map(Reply::BomPreview)
                .map_err(|e| bom_failed(&build.build_number, &e))
        }
        Request::CreateOrder { token, order } => create_order(ctx, &token, *order)
            .await
            .map(Reply::OrderCreated),
        Request::SaveDraft { token, draft } => {
            save_draft(ctx, &token, &draft).await.map(|()| Reply::Done)
        }
        Request::DiscardDraft { token } => discard_draft(ctx, &token).await.map(|()| Reply::Done),
        Request::ListOrders { token, query } => {
            list_orders(ctx, &token, &query).await.map(Reply::Orders)
        }
        Request::OrderRows { token, query, ids } => order_rows(ctx, &token, &query, &ids)
            .await
            .map(Reply::OrderRows),
        Request::OrderDetail { token, order_id } => order_detail(ctx, &token, order_id)
            .await
            .map(|d| Reply::Order(Box::new(d))),
        Request::Transition {
            token,
            order_id,
            from,
            to,
            note,
            override_reason,
            password,
        } => transition(
            ctx,
            &token,
            TransitionRequest {
                order_id,
                from,
                to,
                note,
                override_reason,
                password,
            },
        )
        .await
        .map(Reply::OrderUpdated),
        Request::Assign {
            token,
            order_id,
            expected,
            assignee,
        } => assign(ctx, &token, order_id, expected, assignee)
            .await
            .map(Reply::OrderUpdated),
        Request::UsersWithRole { token, role } => {
            let who = authenticate(ctx, &token).await?;
            require_assigner(&who)?;
            let client = ctx.pool.get().await?;
            orders::active_users_with_role(&client, role)
                .await
                .map(Reply::Users)
        }
        Request::UpdateBuild {
            token,
            order_id,
            build,
        } => update_build(ctx, &token, order_id, *build)
            .await
            .map(Reply::OrderUpdated),
        Request::ApproveBom {
            token,
            order_id,
            version,
            password,
        } => change_bom(
            ctx,
            &token,
            order_id,
            BomChange::Approve { version },
            Some(password),
        )
        .await
        .map(Reply::OrderUpdated),
        Request::RegenerateBom { token, order_id } => {
            change_bom(ctx, &token, order_id, BomChange::Regenerate, None)
                .await
                .map(Reply::OrderUpdated)
        }
        other => Err(ServiceError::Query(format!(
            "not an order request: {other:?}"
        ))),
    }
}

// ------------------------------------------------------------------------------------------------
// Role checks
// ------------------------------------------------------------------------------------------------

/// Coordinators (and ADMIN) enter and edit orders.
const COORDINATING: [Role; 2] = [Role::ProductionCoordinator, Role::Admin];

/// The wizard and everything it calls (docs/lifecycle.md §6).
fn require_creator(who: &Authed) -> Result<()> {
    require_role(who, &COORDINATING, "create orders")
}

fn require_editor(who: &Authed) -> Result<()> {
    require_role(who, &COORDINATING, "change a build's configuration")
}

fn require_assigner(who: &Authed) -> Result<()> {
    if lifecycle::may_assign(who.user.role) {
        Ok(())
    } else {
        Err(refuse(who, "assign orders"))
    }
}

/// The refusal of a configuration the BOM rules cannot expand.
fn bom_failed(build_number: &str, e: &BomError) -> ServiceError {
    ServiceError::Invalid(format!(
        "Build {build_number}: BOM cannot be generated: {}",
        e.reason()
    ))
}

/// The history row of a change to a build that stays ORDER_CREATED (its configuration or BOM).
async fn record_config_history(
    tx: &Transaction<'_>,
    order_id: Uuid,
    user_id: Uuid,
    action: &str,
    notes: &str,
) -> Result<()> {
    orders::insert_history(
        tx,
        &NewHistory {
            order_id,
            user_id,
            action,
            old_status: Some(OrderStatus::OrderCreated),
            new_status: OrderStatus::OrderCreated,
            notes: Some(notes),
        },
    )
    .await?;
    Ok(())
}

/// The build's queue row after a change, as the screens show it.
pub(crate) async fn updated_row(client: &impl Client, id: Uuid) -> Result<OrderRow> {
    orders::row_by_id(client, id)
        .await?
        .ok_or_else(order_not_found)
}
