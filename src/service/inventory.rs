//! The catalog for the inventory browser (every role), and where an item is used in open builds (every
//! role but the service department, which sees no production data: docs/lifecycle.md §1.1).

use super::guard::refuse;
use super::{ServiceCtx, authenticate};
use crate::db::inventory;
use crate::domain::Role;
use crate::domain::catalog::MAX_ID_LEN;
use crate::domain::inventory::{BuildUse, Inventory};
use crate::error::{Result, ServiceError};
use crate::msg::{Reply, Request};

pub async fn handle(ctx: &ServiceCtx, req: Request) -> Result<Reply> {
    match req {
        Request::Inventory { token } => load(ctx, &token)
            .await
            .map(|i| Reply::Inventory(Box::new(i))),
        Request::WhereUsed { token, item_id } => build_uses(ctx, &token, &item_id)
            .await
            .map(Reply::WhereUsed),
        other => Err(ServiceError::Query(format!(
            "not an inventory request: {other:?}"
        ))),
    }
}

/// The whole catalog.
pub async fn load(ctx: &ServiceCtx, token: &str) -> Result<Inventory> {
    authenticate(ctx, token).await?;
    let client = ctx.pool.get().await?;
    inventory::load(&client).await
}

/// The open builds whose current BOM contains `item_id`.
pub async fn build_uses(ctx: &ServiceCtx, token: &str, item_id: &str) -> Result<Vec<BuildUse>> {
    let who = authenticate(ctx, token).await?;
    if who.user.role == Role::ServiceDepartment {
        return Err(refuse(&who, "view production builds"));
    }
    let item_id = item_id.trim();
    if item_id.is_empty() {
        return Err(ServiceError::Invalid(
            "Choose a part or assembly first".into(),
        ));
    }
    if item_id.chars().count() > MAX_ID_LEN {
        return Err(ServiceError::Invalid(format!(
            "An item id has at most {MAX_ID_LEN} characters"
        )));
    }
    let client = ctx.pool.get().await?;
    inventory::build_uses(&client, item_id).await
}
