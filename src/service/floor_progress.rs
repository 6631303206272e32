//! A build's floor progress for the build detail and `order show`: tasks done, the round's latest
//! testing form, the packaging checklist.

use crate::db::Client;
use crate::db::orders as db_orders;
use crate::db::packaging as db_packaging;
use crate::db::tasks as db_tasks;
use crate::db::testing as db_testing;
use crate::domain::floor::{FloorProgress, PackagingProgress};
use crate::domain::order::OrderStatus;
use crate::error::Result;
use uuid::Uuid;

/// `None` until the build has a task list (it is generated on entering READY_FOR_PRODUCTION).
pub(crate) async fn load(client: &impl Client, order_id: Uuid) -> Result<Option<FloorProgress>> {
    let Some((list_id, _, _)) = db_tasks::active_list(client, order_id).await? else {
        return Ok(None);
    };
    let (tasks_done, tasks_total) = db_tasks::progress(client, list_id).await?;
    let round = db_orders::entered_at(client, order_id, OrderStatus::ReadyForProduction).await?;
    let testing = db_testing::submitted_since(client, order_id, round)
        .await?
        .into_iter()
        .next();
    // A checklist completed before this round belongs to the build's earlier pass (before a rework);
    // an open one is always this round's (Final QC needs the earlier one complete).
    let packaging = match db_packaging::current(client, order_id).await? {
        Some(c) if !c.completed || c.completed_at.zip(round).is_none_or(|(at, r)| at >= r) => {
            let items = db_packaging::items(client, c.id).await?;
            Some(PackagingProgress {
                items_complete: items.iter().filter(|i| i.complete).count(),
                items: items.len(),
                completed: c
                    .completed
                    .then(|| (c.performed_by.clone(), c.completed_at)),
            })
        }
        _ => None,
    };
    Ok(Some(FloorProgress {
        tasks_done,
        tasks_total,
        testing,
        packaging,
    }))
}
