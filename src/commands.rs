//! What each command-line verb does. `main.rs` only parses arguments and calls these.

pub mod audit;
pub mod bom;
pub mod checklist;
pub mod orders;
pub mod qc;
pub mod service_orders;
mod session;
pub mod users;

pub(crate) use orders::{build_problems, empty_order, read_order_file};
pub use orders::{order_import, order_list, order_show};
pub(crate) use session::refused_or_failed;

use crate::cluster::{self, Cluster, Status};
use crate::config::{Config, Source, ThemeChoice};
use crate::db::{self, Actor, DbError};
use crate::service::{self, SecurityPolicy, ServiceCtx};
use deadpool_postgres::Pool;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};
use thiserror::Error;

/// A command's failure: one line for the operator.
#[derive(Debug, Error)]
pub enum CliError {
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error(transparent)]
    Cluster(#[from] cluster::ClusterError),
    #[error("{}", .0.user_message_detailed())]
    Db(#[from] DbError),
    #[error("{0}")]
    Import(String),
    #[error("{0}")]
    Usage(String),
    #[error("terminal: {0}")]
    Terminal(#[from] std::io::Error),
    /// The input, the login or the role was refused and nothing was written (exit status 2).
    #[error("{0}")]
    Refused(String),
}

/// A ready database: pool connected, schema current.
pub struct Prepared {
    pub pool: Pool,
    /// Demo data was loaded because this was the first start of the embedded cluster.
    pub seeded_now: bool,
    /// Short label for the status bar.
    pub label: String,
    pub migrated: Vec<String>,
    /// Something the operator should know about the database roles (the owner's steps), or why this
    /// station holds more privilege than it needs.
    pub notice: Option<String>,
}

/// Where the owner's steps connect and where stations connect, and the status bar's label.
struct Connections {
    owner: String,
    station: String,
    label: String,
}

/// The embedded cluster's superuser and station role over its socket (starting the cluster when
/// needed), or a central server's `database.owner_url` (else `database.url`) and `database.url`.
async fn connections(config: &Config) -> Result<Connections, CliError> {
    if config.uses_embedded_database() {
        let cluster = Cluster::new(config.data_dir())?;
        let started = cluster.ensure_running()?;
        if started.initialized {
            tracing::info!(base = %cluster.base.display(), "created the embedded database cluster");
        }
        cluster::ensure_database(&cluster, cluster::DATABASE).await?;
        Ok(Connections {
            owner: cluster.url(cluster::DATABASE),
            station: cluster.url_as(cluster::DATABASE, db::roles::STATION_ROLE),
            label: "embedded".to_string(),
        })
    } else {
        Ok(Connections {
            owner: config.owner_url().to_string(),
            station: config.database.url.clone(),
            label: describe_url(&config.database.url),
        })
    }
}

/// The owner's steps begin here: connects with the owner's connection, applies pending migrations
/// under the advisory lock and the station role's grants (docs/security.md).
pub async fn prepare_owner(config: &Config, application: &str) -> Result<Prepared, CliError> {
    owner_steps(&connections(config).await?, application).await
}

async fn owner_steps(to: &Connections, application: &str) -> Result<Prepared, CliError> {
    let pool = db::connect(&to.owner, 2, application).await?;
    let report = db::migrate::run(&pool).await?;
    if !report.applied.is_empty() {
        tracing::info!(applied = ?report.applied, version = report.version, "schema migrated");
    }
    Ok(Prepared {
        pool,
        seeded_now: false,
        label: to.label.clone(),
        migrated: report.applied,
        notice: report.roles.describe(),
    })
}

/// A station's connection, as the least-privilege role: the embedded cluster first runs the owner's
/// steps (its superuser is on the same machine) and seeds itself on its first start when
/// `seed_if_empty`; a central server is only checked, without DDL: a station whose role cannot apply
/// pending migrations says which command to run instead.
pub async fn prepare(
    config: &Config,
    application: &str,
    seed_if_empty: bool,
) -> Result<Prepared, CliError> {
    let size = config.database.pool_size as usize;
    let to = connections(config).await?;
    if config.uses_embedded_database() {
        let owner = owner_steps(&to, application).await?;
        let mut seeded_now = false;
        if seed_if_empty && service::users::count_users(&owner.pool).await? == 0 {
            let actor = Actor::system("first start");
            service::seed::seed_demo(&owner.pool, &actor)
                .await
                .map_err(|e| CliError::Import(e.to_string()))?;
            seal_before_exit(&owner.pool).await;
            seeded_now = true;
        }
        owner.pool.close();
        let pool = db::connect(&to.station, size, application).await?;
        return Ok(Prepared {
            pool,
            seeded_now,
            label: owner.label,
            migrated: owner.migrated,
            notice: owner.notice,
        });
    }
    let pool = db::connect(&to.station, size, application).await?;
    let client = pool.get().await.map_err(DbError::from)?;
    let check = db::roles::check_station(&client).await?;
    let mut migrated = Vec::new();
    if let Err(pending) = db::migrate::check_current(&client).await {
        // A single-role installation (the station connects as the owner) still migrates itself.
        if !check.may_migrate {
            return Err(CliError::Refused(pending.to_string()));
        }
        drop(client);
        migrated = db::migrate::run(&pool).await?.applied;
    }
    let notice = check.warning();
    if let Some(w) = &notice {
        tracing::warn!(warning = %w, "station role");
    }
    Ok(Prepared {
        pool,
        seeded_now: false,
        label: to.label,
        migrated,
        notice,
    })
}

/// Seals the audit rows this process wrote (docs/audit.md): every command that writes does this
/// before it exits, so the chain never depends on a station still running.
pub async fn seal_before_exit(pool: &Pool) {
    let outcome = match pool.get().await {
        Ok(client) => db::audit::seal(&client, true).await,
        Err(e) => Err(DbError::from(e)),
    };
    if let Err(e) = outcome {
        tracing::warn!(error = %e, "sealing the audit trail before exit failed; the next sealer will");
    }
}

/// "db.plant.local" from a connection string, without user or password.
fn describe_url(url: &str) -> String {
    match url.parse::<tokio_postgres::Config>() {
        Ok(c) => c
            .get_hosts()
            .first()
            .map(|h| match h {
                tokio_postgres::config::Host::Tcp(name) => name.clone(),
                tokio_postgres::config::Host::Unix(path) => path.display().to_string(),
            })
            .unwrap_or_else(|| "database".into()),
        Err(_) => "database".into(),
    }
}

/// The lockout and session lifetime this station applies.
fn policy(config: &Config) -> SecurityPolicy {
    SecurityPolicy {
        max_failed_logins: config.security.max_failed_logins,
        lockout_minutes: config.security.lockout_minutes,
        session_ttl_hours: config.session.ttl_hours,
    }
}

fn cli_actor(verb: &str) -> Actor {
    Actor::system(format!(
        "cli:{verb} ({}@{})",
        crate::sys::current_user_name(),
        crate::sys::host_name()
    ))
}

/// The first-start notice shown on the login screen.
pub const FIRST_START_BANNER: &str = "First start: demo data loaded. Log in as coordinator, admin, procurement, inspector, assembler or service; password demo-password";

/// Runs the terminal application.
pub async fn run_app(config: Config) -> Result<(), CliError> {
    use std::io::IsTerminal;
    let started = Instant::now();
    // Checked first, so that a mistaken scripted call leaves no cluster started for nothing.
    if !(std::io::stdin().is_terminal() && std::io::stdout().is_terminal()) {
        return Err(CliError::Usage(
            "the application needs an interactive terminal; for scripts use the commands in --help"
                .into(),
        ));
    }
    let prepared = prepare(
        &config,
        &format!("cleanstation/{}", config.station_name()),
        true,
    )
    .await?;
    let ctx = Arc::new(ServiceCtx {
        pool: prepared.pool.clone(),
        policy: policy(&config),
        agent: format!("station:{}", config.station_name()),
    });
    let no_color = std::env::var("NO_COLOR").is_ok_and(|v| !v.is_empty());
    let theme = match (config.ui.theme, no_color) {
        (ThemeChoice::Mono, _) | (ThemeChoice::Auto, true) => crate::theme::Theme::mono(),
        _ => crate::theme::Theme::ansi(),
    };
    let banner = match (prepared.seeded_now, &prepared.notice) {
        (true, _) => Some(FIRST_START_BANNER.to_string()),
        (false, notice) => notice.clone(),
    };
    let app = crate::app::App::new(crate::app::AppInit {
        station: config.station_name(),
        theme,
        idle_lock: Duration::from_secs(u64::from(config.session.idle_lock_minutes) * 60),
        heartbeat: Duration::from_secs(30),
        banner,
        database: prepared.label.clone(),
    });
    let sealer = tokio::spawn(db::audit::run_sealer(prepared.pool.clone()));
    let mut terminal = crate::terminal::init()?;
    tracing::info!(
        elapsed_ms = started.elapsed().as_millis() as u64,
        station = %config.station_name(),
        "login screen ready"
    );
    let result = crate::runtime::run(app, &mut terminal, ctx).await;
    crate::terminal::restore();
    sealer.abort();
    seal_before_exit(&prepared.pool).await;
    result?;
    Ok(())
}

pub async fn migrate(config: &Config) -> Result<String, CliError> {
    let prepared = prepare_owner(config, "cleanstation/migrate").await?;
    let version = {
        let client = prepared.pool.get().await.map_err(DbError::from)?;
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

/// Runs an owner's step (seed, an import) and seals what it wrote before the command exits.
async fn owner_step<T, F, Fut>(config: &Config, verb: &str, step: F) -> Result<T, CliError>
where
    F: FnOnce(Pool, Actor) -> Fut,
    Fut: std::future::Future<Output = Result<T, service::catalog::ImportError>>,
{
    let prepared = prepare_owner(config, &format!("cleanstation/{verb}")).await?;
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

/// Validates a configuration file (or the one the lookup order finds).
pub fn check_config(path: Option<&Path>) -> Result<String, CliError> {
    let (config, source) = Config::load(path)?;
    let db = if config.uses_embedded_database() {
        format!("embedded cluster under {}", config.data_dir().display())
    } else {
        describe_url(&config.database.url)
    };
    let origin = match source {
        Source::File(p) => p.display().to_string(),
        Source::Embedded => "built-in defaults".into(),
    };
    Ok(format!(
        "{origin}: valid. Station {}, database: {db}, logs in {}.",
        config.station_name(),
        config.log_dir().display()
    ))
}

/// The exit status of a refused command (input, login, role or rule); nothing was written.
pub const EXIT_REFUSED: u8 = 2;

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, CliError> {
    serde_json::to_string_pretty(value).map_err(|e| CliError::Usage(e.to_string()))
}

/// A plain table, each column as wide as its widest cell.
fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<String>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        padded.join("  ").trim_end().to_string()
    };
    let mut out = vec![line(header.iter().map(|h| h.to_string()).collect())];
    out.extend(rows.iter().map(|r| line(r.clone())));
    out.join("\n")
}
