//! The session user's in-app notifications.

use super::{ServiceCtx, authenticate};
use crate::db::{begin_as, notifications};
use crate::domain::notification::Notification;
use crate::error::Result;
use uuid::Uuid;

/// How many notifications the list shows; older ones stay in the database.
pub const LIST_LIMIT: i64 = 100;

/// The user's newest notifications, newest first.
pub async fn list(ctx: &ServiceCtx, token: &str) -> Result<Vec<Notification>> {
    let who = authenticate(ctx, token).await?;
    let client = ctx.pool.get().await?;
    notifications::list_for_user(&client, who.user.id, LIST_LIMIT).await
}

/// Marks notifications read; ids of other users' notifications are ignored.
pub async fn mark_read(ctx: &ServiceCtx, token: &str, ids: &[Uuid]) -> Result<()> {
    let who = authenticate(ctx, token).await?;
    if ids.is_empty() {
        return Ok(());
    }
    let mut client = ctx.pool.get().await?;
    let tx = begin_as(&mut client, &who.actor(ctx)).await?;
    notifications::mark_read(&tx, who.user.id, ids).await?;
    tx.commit().await?;
    Ok(())
}
