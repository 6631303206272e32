//! Work instructions and tools: every role that works the floor reads them, ADMIN edits them.

use super::{ServiceCtx, authenticate};
use crate::db::DbError;
use crate::msg::{Reply, Request};

pub async fn handle(ctx: &ServiceCtx, req: Request) -> Result<Reply, DbError> {
    match req {
        Request::WorkInstructions { token }
        | Request::SaveWorkInstruction { token, .. }
        | Request::SaveTool { token, .. } => {
            authenticate(ctx, &token).await?;
            Ok(Reply::WorkInstructions(Box::default()))
        }
        _ => Err(DbError::Invalid("not a work instruction request".into())),
    }
}
