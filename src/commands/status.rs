//! `db status` and `db stop`: the embedded cluster, looked at and stopped.

use super::CliError;
use super::startup::describe_url;
use crate::cluster::{Cluster, Status};
use crate::config::Config;

pub fn db_status(config: &Config) -> Result<String, CliError> {
    if !config.uses_embedded_database() {
        return Ok(format!(
            "Using the database at {} (database.url); no embedded cluster is managed.",
            describe_url(&config.database.url)
        ));
    }
    let cluster = Cluster::new(config.data_dir())?;
    let state = match cluster.status()? {
        Status::NotInitialized => "not created yet (it is created at the first start)".to_string(),
        Status::Stopped => "stopped".to_string(),
        Status::Running { pid: Some(pid) } => format!("running (pid {pid})"),
        Status::Running { pid: None } => "running".to_string(),
    };
    Ok(format!(
        "Embedded cluster at {}: {state}\nPostgreSQL {} from {}\nSocket directory: {}\nServer log: {}",
        cluster.base.display(),
        cluster.bins.major,
        cluster.bins.bin_dir.display(),
        cluster.socket_dir().display(),
        cluster.log_file().display()
    ))
}

pub fn db_stop(config: &Config) -> Result<String, CliError> {
    if !config.uses_embedded_database() {
        return Err(CliError::Usage(
            "database.url is set: the central server is not managed by cleanstation".into(),
        ));
    }
    let cluster = Cluster::new(config.data_dir())?;
    Ok(if cluster.stop()? {
        format!(
            "Stopped the embedded cluster at {}.",
            cluster.base.display()
        )
    } else {
        format!(
            "The embedded cluster at {} was not running.",
            cluster.base.display()
        )
    })
}
