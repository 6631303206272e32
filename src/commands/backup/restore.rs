//! `cleanstation db restore FILE` (docs/backup.md §2): the dump checked against its manifest,
//! restored into an empty database in one transaction, the station role granted, and the result
//! checked: the row counts against the manifest, then `audit verify`.

use super::manifest::{MANIFEST_FILE, Manifest, count_differences};
use super::{CliError, connections, tools};
use crate::cluster;
use crate::config::Config;
use crate::db;
use crate::error::ServiceError;
use std::path::Path;

/// Restores the backup whose dump is `file` into the configured database, which must be empty (a new
/// embedded cluster is created first when `database.data_dir` holds none).
pub async fn db_restore(config: &Config, file: &Path) -> Result<String, CliError> {
    let manifest = checked_backup(file)?;
    let (pg_restore, _) = cluster::find_client_tool("pg_restore", manifest.pg_dump_major)
        .map_err(|e| CliError::Refused(format!("{e}; nothing was restored")))?;
    let to = connections(config).await?;
    let pool = db::connect(&to.owner, 1, "cleanstation/restore").await?;
    let result = restore_with(&pool, &to.owner, &to.label, &pg_restore, file, &manifest).await;
    pool.close();
    result
}

/// The manifest beside `file`, once the file is proven to be the dump it describes and this
/// cleanstation knows its schema (docs/backup.md §2.1). Every refusal leaves everything as it was.
fn checked_backup(file: &Path) -> Result<Manifest, CliError> {
    let refused = |what: String| CliError::Refused(format!("{what}; nothing was restored"));
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if !file.is_file() {
        return Err(refused(format!("{} is not a file", file.display())));
    }
    let manifest_path = file
        .parent()
        .unwrap_or_else(|| Path::new("."))
        .join(MANIFEST_FILE);
    let text = std::fs::read_to_string(&manifest_path).map_err(|e| {
        refused(format!(
            "{} cannot be read ({e}): a dump is restored only with the manifest written beside it",
            manifest_path.display()
        ))
    })?;
    let manifest =
        Manifest::parse(&text).map_err(|e| refused(format!("{}: {e}", manifest_path.display())))?;
    if manifest.dump_file != name {
        return Err(refused(format!(
            "{} describes {}, not {name}",
            manifest_path.display(),
            manifest.dump_file
        )));
    }
    let (size, sha256) = crate::auth::sha256_file(file)
        .map_err(|e| refused(format!("{} cannot be read: {e}", file.display())))?;
    if size != manifest.size || sha256 != manifest.sha256 {
        return Err(refused(format!(
            "{name} does not match its manifest (SHA-256 {sha256}, {size} bytes; the manifest says {}, {} bytes): the file is damaged or was changed",
            manifest.sha256, manifest.size
        )));
    }
    let known = db::migrate::latest_known_version();
    if manifest.schema_version > known {
        return Err(refused(format!(
            "The backup's schema is version {}, newer than this cleanstation (knows up to {known}); install the release that wrote it",
            manifest.schema_version
        )));
    }
    Ok(manifest)
}

async fn restore_with(
    pool: &db::Pool,
    url: &str,
    label: &str,
    pg_restore: &Path,
    file: &Path,
    manifest: &Manifest,
) -> Result<String, CliError> {
    let client = pool.get().await.map_err(ServiceError::from)?;
    let database = db::backup::database_name(&client).await?;
    let found = db::backup::contents(&client).await?;
    if !found.is_empty() {
        return Err(CliError::Refused(not_empty(&database, label, &found)));
    }
    let args = [
        "--no-owner".to_string(),
        "--no-acl".to_string(),
        "--exit-on-error".to_string(),
        "--single-transaction".to_string(),
        tools::dbname_arg(&database),
        file.display().to_string(),
    ];
    tools::run(pg_restore, &args, url).await.map_err(|e| {
        CliError::Backup(format!(
            "{e}; the restore was undone (one transaction): {database} is as empty as before"
        ))
    })?;
    let roles = db::roles::apply(&client).await?;
    let restored = db::backup::row_counts(&client).await?;
    let differences = count_differences(&manifest.row_counts, &restored);
    if !differences.is_empty() {
        return Err(CliError::Backup(format!(
            "The restored rows differ from the manifest: {}. Do not use {database}: empty it (or start from a new data_dir) and restore again",
            differences.join(", ")
        )));
    }
    let verdict = super::super::audit::verify_with(&client).await?;
    if let Some(first) = verdict.broken {
        return Err(CliError::Backup(format!(
            "{}\nThe restored audit trail does not verify; first: {first}",
            verdict.text
        )));
    }
    let head_line = match &manifest.audit_chain_head {
        None => "The backup's audit chain was empty.".to_string(),
        Some(h) => match db::backup::chain_link_at(&client, h.position).await? {
            Some(link) if link == h.link => format!(
                "Audit chain head of the backup: position {}, link {}: matches the manifest.",
                h.position, h.link
            ),
            _ => {
                return Err(CliError::Backup(format!(
                    "The restored audit chain does not hold the manifest's head (position {}, link {}). Do not use {database}",
                    h.position, h.link
                )));
            }
        },
    };
    let known = db::migrate::latest_known_version();
    let schema_line = if manifest.schema_version == known {
        format!(
            "Schema version {}: current for this cleanstation.",
            manifest.schema_version
        )
    } else {
        format!(
            "Schema version {}: older than this cleanstation's {known}; the next start (embedded) or `cleanstation migrate` (central server) brings it up to date.",
            manifest.schema_version
        )
    };
    let roles_line = match roles.describe() {
        Some(missing) if roles.missing => missing,
        said => format!(
            "{}Station role {}: granted what stations need.",
            said.map(|d| d + " ").unwrap_or_default(),
            db::roles::STATION_ROLE
        ),
    };
    tracing::info!(file = %file.display(), database, "database restored");
    Ok(format!(
        "Restored {} (taken {}) into {database} ({label}).\nTables: {}, rows: {}, as the manifest says; builds: {}.\n{schema_line}\n{roles_line}\n{head_line}\n{}",
        manifest.dump_file,
        manifest.created_at.format("%Y-%m-%d %H:%M:%S UTC"),
        restored.len(),
        restored.values().sum::<i64>(),
        restored.get("ProductionOrder").copied().unwrap_or(0),
        verdict.text
    ))
}

/// The refusal of a database that is not empty, naming what it holds.
fn not_empty(database: &str, label: &str, found: &[(String, i64, Vec<String>)]) -> String {
    let held: Vec<String> = found
        .iter()
        .map(|(kind, count, names)| {
            let plural = if *count == 1 { "" } else { "s" };
            let more = if *count > names.len() as i64 {
                ", …"
            } else {
                ""
            };
            format!("{count} {kind}{plural} ({}{more})", names.join(", "))
        })
        .collect();
    format!(
        "The database {database} ({label}) is not empty: it holds {}. A backup is restored only into an empty database or a new embedded cluster; nothing was changed",
        held.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_that_is_not_empty_is_refused_naming_what_it_holds() {
        let found = vec![
            (
                "table".to_string(),
                61,
                vec![
                    "AuditChain".to_string(),
                    "AuditLog".into(),
                    "BOMItem".into(),
                ],
            ),
            ("schema".to_string(), 1, vec!["plant".to_string()]),
        ];
        assert_eq!(
            not_empty("cleanstation", "embedded", &found),
            "The database cleanstation (embedded) is not empty: it holds 61 tables (AuditChain, AuditLog, BOMItem, …), 1 schema (plant). A backup is restored only into an empty database or a new embedded cluster; nothing was changed"
        );
    }
}
