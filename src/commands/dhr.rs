//! `cleanstation dhr export`: a build's device history record as files, without a login (docs/dhr.md).

use super::{CliError, prepare, refused_or_failed};
use crate::config::Config;
use crate::db;
use crate::error::ServiceError;
use crate::export::dhr::DhrFormat;
use std::path::Path;

/// `cleanstation dhr export BUILD --out DIR [--format pdf|json|both]`: writes the record and prints the
/// paths, one per line. An unknown build, format or a directory that cannot be used is refused (exit 2)
/// and nothing is written.
pub async fn dhr_export(
    config: &Config,
    build: &str,
    format: &str,
    out: &Path,
) -> Result<String, CliError> {
    let format = DhrFormat::parse(format).ok_or_else(|| {
        CliError::Refused(format!("Unknown format {format}; use pdf, json or both"))
    })?;
    let build = build.trim();
    let prepared = prepare(config, "cleanstation/dhr", false).await?;
    let id = {
        let client = prepared.pool.get().await.map_err(ServiceError::from)?;
        db::orders::id_by_build_number(&client, build)
            .await?
            .ok_or_else(|| CliError::Refused(format!("Build {build} not found")))?
    };
    let record = crate::service::dhr::record(&prepared.pool, id)
        .await
        .map_err(refused_or_failed)?;
    let paths = crate::service::dhr::write_record(record, format, out)
        .await
        .map_err(refused_or_failed)?;
    Ok(super::paths_text(&paths))
}
