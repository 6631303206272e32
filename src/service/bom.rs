//! Reading stored BOMs: the versions of a build and one version's items.

use crate::db::DbError;
use crate::msg::{Reply, Request};
use crate::service::ServiceCtx;

pub async fn handle(_ctx: &ServiceCtx, _req: Request) -> Result<Reply, DbError> {
    Err(DbError::Invalid(
        "The BOM viewer is not available yet".into(),
    ))
}
