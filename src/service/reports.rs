//! Production reports (docs/reports.md): coordinators and administrators read the plant's figures.

use super::ServiceCtx;
use crate::error::{Result, ServiceError};
use crate::msg::{Reply, Request};

/// Handles the report requests (dispatched here from `service::dispatch`).
pub async fn handle(_ctx: &ServiceCtx, req: Request) -> Result<Reply> {
    match req {
        Request::Report { .. } | Request::ExportReport { .. } => Err(ServiceError::Invalid(
            "Reports are not available on this station yet".to_string(),
        )),
        other => Err(ServiceError::Query(format!(
            "not a report request: {other:?}"
        ))),
    }
}
