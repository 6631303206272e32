//! Writing a build's current BOM to files.

use super::files::{station_dir, write_rendered};
use super::guard::require_viewer;
use super::{ServiceCtx, authenticate};
use crate::db::bom as db_bom;
use crate::domain::bom_document::BomDocument;
use crate::error::{Result, ServiceError};
use crate::export::{ExportFormat, files};
use std::path::{Path, PathBuf};
use uuid::Uuid;

/// The refusal of an export of a build without a BOM: the no-BOM state, and that nothing was written.
pub fn nothing_to_export() -> ServiceError {
    ServiceError::Invalid(format!("{}; nothing was exported", ServiceError::NoBom))
}

/// Writes the current BOM of `order_id` into `dir` as `format` and returns the files, in the order written.
/// Anyone who may view the build may export it (every role but the service department).
pub async fn export_bom(
    ctx: &ServiceCtx,
    token: &str,
    order_id: Uuid,
    format: ExportFormat,
    dir: &str,
) -> Result<Vec<PathBuf>> {
    let who = authenticate(ctx, token).await?;
    require_viewer(&who)?;
    let doc = current_document(ctx, order_id).await?;
    write_document(doc, format, &station_dir(dir)?).await
}

/// The build's current BOM version, or a refusal that says why there is none.
pub async fn current_document(ctx: &ServiceCtx, order_id: Uuid) -> Result<BomDocument> {
    let client = ctx.pool.get().await?;
    match db_bom::document(&client, order_id, None).await? {
        Some(doc) => Ok(doc),
        None if db_bom::versions(&client, order_id).await?.is_none() => {
            Err(ServiceError::NotFound("Build".into()))
        }
        None => Err(nothing_to_export()),
    }
}

/// Renders and writes the files off the async threads (PDF layout and disk IO both block).
pub async fn write_document(
    doc: BomDocument,
    format: ExportFormat,
    dir: &Path,
) -> Result<Vec<PathBuf>> {
    let paths = write_rendered(dir, move |exported_at| files(&doc, format, exported_at)).await?;
    tracing::info!(format = format.label(), files = ?paths, "BOM exported");
    Ok(paths)
}
