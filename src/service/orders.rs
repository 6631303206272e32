//! Order use-cases: the wizard's checks and submit, queues, detail, the lifecycle and assignment.

use crate::db::DbError;
use crate::msg::{Reply, Request};
use crate::service::ServiceCtx;

/// Handles every order request (dispatched here from `service::dispatch`).
pub async fn handle(_ctx: &ServiceCtx, _req: Request) -> Result<Reply, DbError> {
    Err(DbError::Invalid("Orders are not available yet".into()))
}
