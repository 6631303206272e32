//! What each command-line verb does. `main.rs` only parses arguments and calls these.

pub mod audit;
pub mod backup;
pub mod bom;
pub mod checklist;
mod config_check;
pub mod dhr;
mod imports;
pub mod label;
pub mod loadtest;
mod migrate;
pub mod orders;
pub mod qc;
pub mod reports;
mod run;
pub mod service_orders;
mod session;
mod startup;
mod status;
mod table;
pub mod templates;
pub mod users;

pub use backup::{db_backup, db_restore};
pub use config_check::check_config;
pub use imports::{catalog_import, seed_demo, templates_import};
pub use migrate::migrate;
pub(crate) use orders::{build_problems, empty_order, read_order_file};
pub use orders::{order_import, order_list, order_show};
pub use run::{FIRST_START_BANNER, run_app};
pub(crate) use session::refused_or_failed;
use startup::policy;
pub use startup::{Prepared, prepare, prepare_owner, seal_before_exit};
pub use status::{db_status, db_stop};
use table::table;

use crate::cluster;
use crate::db::Actor;
use crate::error::ServiceError;
use thiserror::Error;

/// A command's failure: one line for the operator.
#[derive(Debug, Error)]
pub enum CliError {
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error(transparent)]
    Cluster(#[from] cluster::ClusterError),
    #[error("{}", .0.user_message_detailed())]
    Db(#[from] ServiceError),
    #[error("{0}")]
    Import(String),
    #[error("{0}")]
    Usage(String),
    #[error("terminal: {0}")]
    Terminal(#[from] std::io::Error),
    /// The input, the login or the role was refused and nothing was written (exit status 2).
    #[error("{0}")]
    Refused(String),
    /// The load harness saw failed requests or lost work (docs/performance.md §6.5).
    #[error("load test failed: {0}")]
    Load(String),
    /// A backup or a restore failed (docs/backup.md); the message says what was kept or undone.
    #[error("{0}")]
    Backup(String),
}

/// The exit status of a refused command (input, login, role or rule); nothing was written.
pub const EXIT_REFUSED: u8 = 2;

/// The paths of written files, one per line, as the export commands print them.
fn paths_text(paths: &[std::path::PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, CliError> {
    serde_json::to_string_pretty(value).map_err(|e| CliError::Usage(e.to_string()))
}

/// The audit actor of a command run from a shell: the verb, the OS user and the host.
fn cli_actor(verb: &str) -> Actor {
    Actor::system(format!(
        "cli:{verb} ({}@{})",
        crate::sys::current_user_name(),
        crate::sys::host_name()
    ))
}
