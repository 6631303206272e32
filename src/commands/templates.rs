//! `cleanstation templates export FILE`: the active checklist templates written back as a checklists file
//! (docs/checklists.md §11).

use super::{CliError, prepare};
use crate::config::Config;
use crate::domain::checklist::{parse_checklists, to_toml};
use crate::error::ServiceError;
use crate::export::write::write_file;
use crate::service;
use std::path::Path;

/// Writes the active version of every stored template to `file`, safely (a temporary file renamed into
/// place); an existing file is replaced only with `force`. The text is read back before it is written:
/// it must give the same templates, so importing it changes nothing.
pub async fn templates_export(
    config: &Config,
    file: &Path,
    force: bool,
) -> Result<String, CliError> {
    if !force && std::fs::symlink_metadata(file).is_ok() {
        return Err(CliError::Refused(format!(
            "{} already exists; say --force to replace it",
            file.display()
        )));
    }
    let prepared = prepare(config, "cleanstation/templates", false).await?;
    let checklists = {
        let client = prepared.pool.get().await.map_err(ServiceError::from)?;
        service::templates::active_file(&client).await?
    };
    let text = to_toml(&checklists);
    match parse_checklists(&text) {
        Ok(back) if back == checklists => {}
        Ok(_) => {
            return Err(CliError::Import(
                "the written templates do not read back the same; nothing was written".into(),
            ));
        }
        Err(errs) => return Err(CliError::Import(errs.join("\n"))),
    }
    let path = file.to_path_buf();
    let bytes = text.into_bytes();
    let written = tokio::task::spawn_blocking(move || write_file(&path, &bytes, force))
        .await
        .map_err(|e| CliError::Import(format!("the export stopped: {e}")))?
        .map_err(|e| CliError::Refused(e.to_string()))?;
    let lines: Vec<String> = checklists
        .templates
        .iter()
        .map(|t| {
            format!(
                "{} (version {}): {} items",
                t.name,
                t.version,
                t.items.len()
            )
        })
        .collect();
    Ok(format!(
        "{}\nWritten to {}",
        lines.join("\n"),
        written.display()
    ))
}
