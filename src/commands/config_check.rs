//! `check-config`: a configuration file validated and summed up in one line.

use super::CliError;
use super::startup::describe_url;
use crate::config::Config;
use std::path::Path;

/// Validates a configuration file (or the one the lookup order finds).
pub fn check_config(path: Option<&Path>) -> Result<String, CliError> {
    let (config, source) = Config::load(path)?;
    let db = if config.uses_embedded_database() {
        format!("embedded cluster under {}", config.data_dir().display())
    } else {
        describe_url(&config.database.url)
    };
    Ok(format!(
        "{source}: valid. Station {}, database: {db}, logs in {}.",
        config.station_name(),
        config.log_dir().display()
    ))
}
