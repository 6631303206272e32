//! Writing a build's device history record (docs/dhr.md): the `D` key of the build detail and
//! `cleanstation dhr export`.

use super::files::{station_dir, write_rendered};
use super::guard::require_viewer;
use super::{ServiceCtx, authenticate};
use crate::db::{Pool, dhr as db_dhr};
use crate::domain::dhr::DeviceHistoryRecord;
use crate::error::{Result, ServiceError};
use crate::export::dhr::{DhrFormat, files};
use std::path::{Path, PathBuf};
use uuid::Uuid;

/// Writes the record of `order_id` as PDF and JSON into `dir` and returns the files, PDF first. Anyone
/// who may view the build may export it (every role but the service department).
pub async fn export_dhr(
    ctx: &ServiceCtx,
    token: &str,
    order_id: Uuid,
    dir: &str,
) -> Result<Vec<PathBuf>> {
    let who = authenticate(ctx, token).await?;
    require_viewer(&who)?;
    let dir = station_dir(dir)?;
    let record = record(&ctx.pool, order_id).await?;
    write_record(record, DhrFormat::Both, &dir).await
}

/// The record of `order_id` as the database holds it now, or `NotFound` for an unknown build.
pub async fn record(pool: &Pool, order_id: Uuid) -> Result<DeviceHistoryRecord> {
    let mut client = pool.get().await?;
    db_dhr::gather(&mut client, order_id)
        .await?
        .ok_or_else(|| ServiceError::NotFound("Build".into()))
}

/// Renders and writes the files off the async threads, all or none (temporary names, then renamed).
pub async fn write_record(
    record: DeviceHistoryRecord,
    format: DhrFormat,
    dir: &Path,
) -> Result<Vec<PathBuf>> {
    let build = record.identification.build_number.clone();
    let paths = write_rendered(dir, move |_| files(&record, format)).await?;
    tracing::info!(%build, files = ?paths, "device history record exported");
    Ok(paths)
}
