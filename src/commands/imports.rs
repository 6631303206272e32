//! `seed --demo`, `catalog import` and `templates import`: data loaded with the owner's connection.

use super::CliError;
use super::cli_actor;
use super::startup::{Migrations, prepare_owner, seal_before_exit};
use crate::config::Config;
use crate::db::Actor;
use crate::service;
use deadpool_postgres::Pool;
use std::path::Path;

/// Runs an owner's step (seed, an import) and seals what it wrote before the command exits.
async fn owner_step<T, F, Fut>(config: &Config, verb: &str, step: F) -> Result<T, CliError>
where
    F: FnOnce(Pool, Actor) -> Fut,
    Fut: std::future::Future<Output = Result<T, service::catalog::ImportError>>,
{
    let prepared = prepare_owner(
        config,
        &format!("cleanstation/{verb}"),
        Migrations::IfPending,
    )
    .await?;
    let outcome = step(prepared.pool.clone(), cli_actor(verb)).await;
    seal_before_exit(&prepared.pool).await;
    outcome.map_err(|e| match e {
        // Refused input (and an unreadable file) changed nothing: exit status 2.
        service::catalog::ImportError::Invalid(_) | service::catalog::ImportError::Io { .. } => {
            CliError::Refused(e.to_string())
        }
        service::catalog::ImportError::Db(_) => CliError::Import(e.to_string()),
    })
}

pub async fn seed_demo(config: &Config) -> Result<String, CliError> {
    let report = owner_step(config, "seed --demo", |pool, actor| async move {
        service::seed::seed_demo(&pool, &actor).await
    })
    .await?;
    Ok(report.to_string())
}

pub async fn catalog_import(config: &Config, dir: &Path) -> Result<String, CliError> {
    let report = owner_step(config, "catalog import", |pool, actor| async move {
        service::catalog::import_catalog_dir(&pool, &actor, dir).await
    })
    .await?;
    Ok(report.to_string())
}

pub async fn templates_import(config: &Config, file: &Path) -> Result<String, CliError> {
    let report = owner_step(config, "templates import", |pool, actor| async move {
        service::catalog::import_templates_file(&pool, &actor, file).await
    })
    .await?;
    Ok(report.to_string())
}
