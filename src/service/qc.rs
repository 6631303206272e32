//! QC use cases: the form for a build, drafts, signing and submitting, the history and verification.

use crate::db::DbError;
use crate::msg::{Reply, Request};
use crate::service::ServiceCtx;

pub async fn handle(_ctx: &ServiceCtx, _req: Request) -> Result<Reply, DbError> {
    Err(DbError::Invalid("QC is not available yet".into()))
}
