//! Files written into a directory of this station: BOM exports, QC certificates, shortage lists.

use crate::error::{Result, ServiceError};
use crate::export::{ExportFile, write};
use std::path::{Path, PathBuf};

/// The directory as the station means it: empty is the directory the station was started in, and a
/// relative one is taken from there, so the screen can say exactly where the files went.
pub(crate) fn station_dir(dir: &str) -> Result<PathBuf> {
    let dir = Path::new(dir.trim());
    if dir.is_absolute() {
        return Ok(dir.to_path_buf());
    }
    let cwd = std::env::current_dir().map_err(|e| {
        ServiceError::Invalid(format!(
            "The station's working directory cannot be read ({e}); enter a full path"
        ))
    })?;
    Ok(cwd.join(dir))
}

/// Renders the files `render` makes for the moment of export and writes them into `dir`, all or none,
/// off the async threads.
pub(crate) async fn write_rendered(
    dir: &Path,
    render: impl FnOnce(chrono::NaiveDateTime) -> Vec<ExportFile> + Send + 'static,
) -> Result<Vec<PathBuf>> {
    let dir = dir.to_path_buf();
    let exported_at = chrono::Local::now().naive_local();
    tokio::task::spawn_blocking(move || write::write_files(&dir, &render(exported_at)))
        .await
        .map_err(|e| ServiceError::Query(format!("the export stopped unexpectedly: {e}")))?
        .map_err(|e| ServiceError::Invalid(e.0))
}
