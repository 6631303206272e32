//! Writing a build's current BOM to files.

use crate::db::{DbError, bom as db_bom};
use crate::domain::bom_document::BomDocument;
use crate::export::{ExportFile, ExportFormat, files, write};
use crate::service::orders::require_viewer;
use crate::service::{ServiceCtx, authenticate};
use std::path::{Path, PathBuf};
use uuid::Uuid;

/// Why there is nothing to export yet.
pub const NO_BOM: &str = "This build has no BOM yet; nothing was exported";

/// Writes the current BOM of `order_id` into `dir` as `format` and returns the files, in the order written.
/// Anyone who may view the build may export it (every role but the service department).
pub async fn export_bom(
    ctx: &ServiceCtx,
    token: &str,
    order_id: Uuid,
    format: ExportFormat,
    dir: &str,
) -> Result<Vec<PathBuf>, DbError> {
    let who = authenticate(ctx, token).await?;
    require_viewer(&who)?;
    let doc = current_document(ctx, order_id).await?;
    write_document(doc, format, &station_dir(dir)?).await
}

/// The directory as the station means it: empty is the directory the station was started in, and a
/// relative one is taken from there, so the screen can say exactly where the files went.
pub(crate) fn station_dir(dir: &str) -> Result<PathBuf, DbError> {
    let dir = Path::new(dir.trim());
    if dir.is_absolute() {
        return Ok(dir.to_path_buf());
    }
    let cwd = std::env::current_dir().map_err(|e| {
        DbError::Invalid(format!(
            "The station's working directory cannot be read ({e}); enter a full path"
        ))
    })?;
    Ok(cwd.join(dir))
}

/// The build's current BOM version, or a refusal that says why there is none.
pub async fn current_document(ctx: &ServiceCtx, order_id: Uuid) -> Result<BomDocument, DbError> {
    let client = ctx.pool.get().await?;
    match db_bom::document(&client, order_id, None).await? {
        Some(doc) => Ok(doc),
        None if db_bom::versions(&client, order_id).await?.is_none() => {
            Err(DbError::NotFound("Build".into()))
        }
        None => Err(DbError::Invalid(NO_BOM.into())),
    }
}

/// Renders and writes the files off the async threads (PDF layout and disk IO both block).
pub async fn write_document(
    doc: BomDocument,
    format: ExportFormat,
    dir: &Path,
) -> Result<Vec<PathBuf>, DbError> {
    let paths = write_rendered(dir, move |exported_at| files(&doc, format, exported_at)).await?;
    tracing::info!(format = format.label(), files = ?paths, "BOM exported");
    Ok(paths)
}

/// Renders the files `render` makes for the moment of export and writes them into `dir`, all or none,
/// off the async threads.
pub(crate) async fn write_rendered(
    dir: &Path,
    render: impl FnOnce(chrono::NaiveDateTime) -> Vec<ExportFile> + Send + 'static,
) -> Result<Vec<PathBuf>, DbError> {
    let dir = dir.to_path_buf();
    let exported_at = chrono::Local::now().naive_local();
    tokio::task::spawn_blocking(move || write::write_files(&dir, &render(exported_at)))
        .await
        .map_err(|e| DbError::Query(format!("the export stopped unexpectedly: {e}")))?
        .map_err(|e| DbError::Invalid(e.0))
}
