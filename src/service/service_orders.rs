//! Service orders: the service department's requests and procurement's processing (workflow.md section 8).

use super::{ServiceCtx, authenticate};
use crate::db::DbError;
use crate::msg::{Reply, Request};

pub async fn handle(ctx: &ServiceCtx, req: Request) -> Result<Reply, DbError> {
    let token = match &req {
        Request::SubmitServiceOrder { token, .. }
        | Request::ServiceOrders { token, .. }
        | Request::ServiceOrder { token, .. }
        | Request::WithdrawServiceOrder { token, .. }
        | Request::ApproveServiceOrder { token, .. }
        | Request::RejectServiceOrder { token, .. }
        | Request::FulfilServiceOrder { token, .. }
        | Request::OrderDesk { token }
        | Request::PartsShortage { token }
        | Request::ExportShortage { token, .. } => token.clone(),
        _ => return Err(DbError::Invalid("not a request of this module".into())),
    };
    authenticate(ctx, &token).await?;
    Err(DbError::Invalid("not available yet".into()))
}
