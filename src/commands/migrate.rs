//! `migrate`: the schema brought to the current version, with the station role's grants.

use super::CliError;
use super::startup::{Migrations, prepare_owner};
use crate::config::Config;
use crate::db;
use crate::error::ServiceError;

pub async fn migrate(config: &Config) -> Result<String, CliError> {
    let prepared = prepare_owner(config, "cleanstation/migrate", Migrations::Always).await?;
    let version = {
        let client = prepared.pool.get().await.map_err(ServiceError::from)?;
        db::migrate::current_version(&client).await?
    };
    let mut text = if prepared.migrated.is_empty() {
        format!("Schema is current (version {version}).")
    } else {
        format!(
            "Applied {} migration(s): {}. Schema is now version {version}.",
            prepared.migrated.len(),
            prepared.migrated.join(", ")
        )
    };
    match &prepared.notice {
        Some(notice) => {
            text.push('\n');
            text.push_str(notice);
        }
        None => text.push_str(&format!(
            "\nStation role {} has its grants.",
            db::roles::STATION_ROLE
        )),
    }
    Ok(text)
}
