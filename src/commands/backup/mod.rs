//! `cleanstation db backup` and `db restore` (docs/backup.md): the whole database as one dump of
//! PostgreSQL's own `pg_dump`, taken in one snapshot, with a manifest to check the restore against.

mod files;
mod manifest;
mod restore;
mod tools;

pub use restore::db_restore;

use super::CliError;
use super::startup::connections;
use crate::cluster;
use crate::config::Config;
use crate::db;
use crate::error::ServiceError;
use files::BackupDir;
use manifest::{MANIFEST_FILE, Manifest};
use std::path::Path;

/// Backs the database up into a new directory `out/<stem>/` (docs/backup.md §1): the dump and its
/// manifest, or nothing at all. Uses the owner's connection (the embedded cluster is started when it
/// is not running).
pub async fn db_backup(config: &Config, out: &Path) -> Result<String, CliError> {
    crate::export::write::checked_dir(out).map_err(|e| CliError::Refused(e.0))?;
    if config.uses_embedded_database() {
        let cluster = cluster::Cluster::new(config.data_dir())?;
        if cluster.status()? == cluster::Status::NotInitialized {
            return Err(CliError::Refused(format!(
                "The embedded cluster at {} does not exist yet; there is nothing to back up",
                cluster.base.display()
            )));
        }
    }
    let to = connections(config).await?;
    let pool = db::connect(&to.owner, 1, "cleanstation/backup").await?;
    let result = backup_with(&pool, &to.owner, out).await;
    pool.close();
    result
}

async fn backup_with(pool: &db::Pool, url: &str, out: &Path) -> Result<String, CliError> {
    let mut client = pool.get().await.map_err(ServiceError::from)?;
    if db::migrate::current_version(&client).await? == 0 {
        return Err(CliError::Refused(
            "The database holds no cleanstation schema yet; there is nothing to back up".into(),
        ));
    }
    // Everything committed is sealed onto the audit chain first, so the manifest's head covers it
    // (docs/backup.md §1.2).
    db::audit::seal(&client, true).await?;
    let tx = db::begin_snapshot(&mut client).await?;
    let snapshot = db::backup::export_snapshot(&tx).await?;
    let created_at = chrono::Utc::now();
    let (server_version, server_major) = db::backup::server_version(&tx).await?;
    let database = db::backup::database_name(&tx).await?;
    let schema_version = db::migrate::current_version(&tx).await?;
    let head = db::audit::head(&tx).await?;
    let row_counts = db::backup::row_counts(&tx).await?;
    let (pg_dump, pg_dump_major) = cluster::find_client_tool("pg_dump", server_major)?;
    let dir = BackupDir::create(out, &manifest::stem(&database, created_at))
        .map_err(CliError::Refused)?;
    let args = [
        "--format=custom".to_string(),
        "--compress=6".to_string(),
        "--no-owner".to_string(),
        "--no-acl".to_string(),
        format!("--snapshot={snapshot}"),
        format!("--file={}", dir.partial_dump().display()),
        tools::dbname_arg(&database),
    ];
    // The transaction stays open until pg_dump is done: its snapshot is the dump's.
    tools::run(&pg_dump, &args, url)
        .await
        .map_err(|e| CliError::Backup(format!("{e}; nothing was kept in {}", out.display())))?;
    tx.commit().await.map_err(ServiceError::from)?;
    let dump = dir.finish_dump().map_err(CliError::Backup)?;
    let (size, sha256) = crate::auth::sha256_file(&dump)
        .map_err(|e| CliError::Backup(format!("Cannot read {}: {e}", dump.display())))?;
    let manifest = Manifest {
        format_version: manifest::FORMAT_VERSION,
        created_at,
        database,
        server_version,
        pg_dump_major,
        schema_version,
        row_counts,
        audit_chain_head: head.map(Into::into),
        dump_file: dir.dump_name(),
        size,
        sha256,
    };
    let json = serde_json::to_string_pretty(&manifest)
        .map_err(|e| CliError::Backup(format!("The manifest cannot be written: {e}")))?;
    dir.write_last(MANIFEST_FILE, json.as_bytes())
        .map_err(CliError::Backup)?;
    let kept = dir.keep();
    tracing::info!(dir = %kept.display(), size, "database backed up");
    Ok(backup_summary(&manifest, &kept))
}

/// What `db backup` prints: where the files are and what they hold.
fn backup_summary(m: &Manifest, dir: &Path) -> String {
    let head = match &m.audit_chain_head {
        Some(h) => format!("position {}, link {}", h.position, h.link),
        None => "none (the chain is empty)".to_string(),
    };
    format!(
        "Backup of {} (PostgreSQL {}, schema version {}) written to {}:\n  {}  {} bytes  SHA-256 {}\n  {MANIFEST_FILE}\nTables: {}, rows: {}; builds: {}.\nAudit chain head: {head}",
        m.database,
        m.server_version,
        m.schema_version,
        dir.display(),
        m.dump_file,
        m.size,
        m.sha256,
        m.row_counts.len(),
        m.total_rows(),
        m.row_counts.get("ProductionOrder").copied().unwrap_or(0),
    )
}
