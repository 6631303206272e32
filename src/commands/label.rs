//! `cleanstation label`: a build's traveler with the barcode of its build number, without a login
//! (docs/scanning.md §4).

use super::{CliError, prepare};
use crate::config::Config;
use crate::db;
use crate::error::ServiceError;
use crate::export::traveler::{self, Traveler};
use crate::export::write::write_files;
use std::path::Path;

/// `cleanstation label BUILD --out DIR`: writes the traveler PDF and prints its path. An unknown build
/// or a directory that cannot be used is refused (exit 2) and nothing is written.
pub async fn label(config: &Config, build: &str, out: &Path) -> Result<String, CliError> {
    let build = build.trim();
    let prepared = prepare(config, "cleanstation/label", false).await?;
    let record = {
        let client = prepared.pool.get().await.map_err(ServiceError::from)?;
        let id = db::orders::id_by_build_number(&client, build)
            .await?
            .ok_or_else(|| CliError::Refused(format!("Build {build} not found")))?;
        db::orders::load(&client, id)
            .await?
            .ok_or_else(|| CliError::Refused(format!("Build {build} not found")))?
    };
    let file = traveler::file(&Traveler {
        header: record.header,
        build: record.build,
        printed_at: chrono::Utc::now().naive_utc(),
    })
    .map_err(CliError::Refused)?;
    let out = out.to_path_buf();
    let paths = tokio::task::spawn_blocking(move || write_files(&out, &[file]))
        .await
        .map_err(|e| CliError::Import(format!("the file could not be written: {e}")))?
        .map_err(|e| CliError::Refused(e.0))?;
    Ok(super::paths_text(&paths))
}
