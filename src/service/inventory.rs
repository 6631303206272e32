//! The catalog for the inventory browser, and where an item is used in open builds.

use crate::db::DbError;
use crate::msg::{Reply, Request};
use crate::service::ServiceCtx;

pub async fn handle(_ctx: &ServiceCtx, _req: Request) -> Result<Reply, DbError> {
    Err(DbError::Invalid(
        "The inventory is not available yet".into(),
    ))
}
