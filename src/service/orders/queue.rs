//! The order queues and a build's detail.

use crate::db::bom as db_bom;
use crate::db::orders::{self, Cursor, QueueFilter};
use crate::domain::Role;
use crate::domain::lifecycle;
use crate::domain::order::{OrderPage, OrderQuery, OrderRow, OrderStatus, QueueView};
use crate::domain::order_view::OrderDetail;
use crate::error::{Result, ServiceError};
use crate::service::guard::{order_not_found, require_viewer};
use crate::service::{Authed, ServiceCtx, authenticate};
use uuid::Uuid;

pub const STALE_CURSOR: &str = "The list has changed its order; reload it from the first page";

/// (statuses, only-mine-or-unassigned) of a role's own work queue (docs/lifecycle.md §1.4 and
/// `QueueView::MyWork`).
pub(super) fn my_work(who: &Authed) -> (Option<Vec<OrderStatus>>, Option<Uuid>) {
    use OrderStatus as S;
    match who.user.role {
        Role::ProcurementSpecialist => (Some(vec![S::OrderCreated, S::PartsSent]), None),
        Role::QcPerson => (Some(vec![S::ReadyForPreQc, S::ReadyForFinalQc]), None),
        Role::Assembler => (
            Some(vec![
                S::ReadyForProduction,
                S::TestingComplete,
                S::PackagingComplete,
            ]),
            Some(who.user.id),
        ),
        // Everything still in the plant's work: cancelled builds leave it (docs/lifecycle.md §12.3).
        Role::ProductionCoordinator | Role::Admin => (
            Some(
                OrderStatus::ALL
                    .iter()
                    .copied()
                    .filter(|s| *s != S::Cancelled)
                    .collect(),
            ),
            None,
        ),
        Role::ServiceDepartment => (None, None),
    }
}

pub(super) async fn list_orders(
    ctx: &ServiceCtx,
    token: &str,
    query: &OrderQuery,
) -> Result<OrderPage> {
    let who = authenticate(ctx, token).await?;
    require_viewer(&who)?;
    let filter = queue_filter(&who, query, None)?;
    let client = ctx.pool.get().await?;
    orders::queue(&client, &filter).await
}

/// Which of `ids` belong to the queue `query` shows, as rows, read again after another station
/// changed them (docs/live.md §3.2). At most 500 are asked at once.
pub(super) async fn order_rows(
    ctx: &ServiceCtx,
    token: &str,
    query: &OrderQuery,
    ids: &[Uuid],
) -> Result<Vec<OrderRow>> {
    let who = authenticate(ctx, token).await?;
    require_viewer(&who)?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<Uuid> = ids.iter().copied().take(500).collect();
    let unpaged = OrderQuery {
        after: None,
        limit: ids.len() as u32,
        ..query.clone()
    };
    let filter = queue_filter(&who, &unpaged, Some(ids))?;
    let client = ctx.pool.get().await?;
    Ok(orders::queue(&client, &filter).await?.rows)
}

/// The page filter for `who`'s `query`: the role's own work, the screen's filters and the cursor.
fn queue_filter(who: &Authed, query: &OrderQuery, ids: Option<Vec<Uuid>>) -> Result<QueueFilter> {
    let (statuses, mine_or_free) = match query.view {
        // The coordinator's and ADMIN's search looks through every build, cancelled ones included
        // (docs/lifecycle.md §12.3).
        QueueView::MyWork
            if !query.search.trim().is_empty()
                && matches!(who.user.role, Role::ProductionCoordinator | Role::Admin) =>
        {
            (None, None)
        }
        QueueView::MyWork => my_work(who),
        QueueView::All => (None, None),
    };
    let after = match &query.after {
        None => None,
        Some(text) => {
            let c = Cursor::decode(text)
                .filter(|c| c.sort == query.sort && c.descending == query.descending)
                .ok_or_else(|| ServiceError::Invalid(STALE_CURSOR.into()))?;
            Some(c)
        }
    };
    let search = query.search.trim();
    let filter = QueueFilter {
        statuses,
        mine_or_free,
        status: query.status,
        search: (!search.is_empty()).then(|| search.to_string()),
        due: query.due,
        sort: query.sort,
        descending: query.descending,
        after,
        limit: query.limit,
        ids,
    };
    Ok(filter)
}

pub(super) async fn order_detail(
    ctx: &ServiceCtx,
    token: &str,
    order_id: Uuid,
) -> Result<OrderDetail> {
    let who = authenticate(ctx, token).await?;
    require_viewer(&who)?;
    let client = ctx.pool.get().await?;
    let rec = orders::load(&client, order_id)
        .await?
        .ok_or_else(order_not_found)?;
    let bom = db_bom::summary(&client, order_id).await?;
    let floor = crate::service::floor_progress::load(&client, order_id).await?;
    let history = orders::history(&client, order_id).await?;
    let nonconformances = crate::db::nonconformance::of_order(&client, order_id).await?;
    let documents = crate::db::documents::brief(&client, order_id).await?;
    let mut actions = lifecycle::detail_actions(
        who.user.role,
        who.user.id,
        rec.status,
        rec.assignee.as_ref().map(|(id, _)| *id),
        bom.as_ref().is_some_and(|b| b.status == "DRAFT"),
    );
    let hold = crate::db::holds::open_hold(&client, order_id).await?;
    let hold_minutes = crate::db::holds::hold_minutes(&client, order_id).await?;
    crate::domain::hold::detail_actions(&mut actions, who.user.role, rec.status, hold.as_ref());
    let floor_started = crate::db::corrections::floor_started(&client, order_id).await?;
    crate::domain::correction::detail_actions(
        &mut actions,
        who.user.role,
        rec.status,
        floor_started,
        hold.is_some(),
    );
    Ok(OrderDetail {
        id: rec.id,
        header: rec.header,
        build: rec.build,
        status: rec.status,
        assignee: rec.assignee,
        bom,
        floor,
        history,
        nonconformances,
        actions,
        created_at: rec.created_at,
        updated_at: rec.updated_at,
        documents,
        hold,
        hold_minutes,
    })
}
