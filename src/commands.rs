//! What each command-line verb does. `main.rs` only parses arguments and calls these.

use crate::cluster::{self, Cluster, Status};
use crate::config::{Config, Source, ThemeChoice};
use crate::db::{self, Actor, DbError};
use crate::domain::Role;
use crate::domain::user::NewUser;
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
}

/// A ready database: pool connected, schema current.
pub struct Prepared {
    pub pool: Pool,
    /// Demo data was loaded because this was the first start of the embedded cluster.
    pub seeded_now: bool,
    /// Short label for the status bar.
    pub label: String,
    pub migrated: Vec<String>,
}

/// Connects to the configured database (starting the embedded cluster when no URL is set) and applies
/// the pending migrations under the advisory lock.
pub async fn prepare(
    config: &Config,
    application: &str,
    seed_if_empty: bool,
) -> Result<Prepared, CliError> {
    let (url, label, embedded) = if config.uses_embedded_database() {
        let cluster = Cluster::new(config.data_dir())?;
        let started = cluster.ensure_running()?;
        if started.initialized {
            tracing::info!(base = %cluster.base.display(), "created the embedded database cluster");
        }
        cluster::ensure_database(&cluster, cluster::DATABASE).await?;
        (cluster.url(cluster::DATABASE), "embedded".to_string(), true)
    } else {
        (
            config.database.url.clone(),
            describe_url(&config.database.url),
            false,
        )
    };
    let pool = db::connect(&url, config.database.pool_size as usize, application).await?;
    let report = db::migrate::run(&pool).await?;
    if !report.applied.is_empty() {
        tracing::info!(applied = ?report.applied, version = report.version, "schema migrated");
    }
    let mut seeded_now = false;
    // Only the private cluster seeds itself: a central server is set up deliberately (README).
    if embedded && seed_if_empty && service::users::count_users(&pool).await? == 0 {
        let actor = Actor::system("first start");
        service::seed::seed_demo(&pool, &actor)
            .await
            .map_err(|e| CliError::Import(e.to_string()))?;
        seeded_now = true;
    }
    Ok(Prepared {
        pool,
        seeded_now,
        label,
        migrated: report.applied,
    })
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
    // The dummy hash that keeps a failed login for an unknown name as slow as any other.
    let warm = tokio::task::spawn_blocking(crate::auth::warm_up);
    let prepared = prepare(
        &config,
        &format!("cleanstation/{}", config.station_name()),
        true,
    )
    .await?;
    let _ = warm.await;
    let ctx = Arc::new(ServiceCtx {
        pool: prepared.pool.clone(),
        policy: SecurityPolicy {
            max_failed_logins: config.security.max_failed_logins,
            lockout_minutes: config.security.lockout_minutes,
            session_ttl_hours: config.session.ttl_hours,
        },
        agent: format!("station:{}", config.station_name()),
    });
    let no_color = std::env::var("NO_COLOR").is_ok_and(|v| !v.is_empty());
    let theme = match (config.ui.theme, no_color) {
        (ThemeChoice::Mono, _) | (ThemeChoice::Auto, true) => crate::theme::Theme::mono(),
        _ => crate::theme::Theme::ansi(),
    };
    let app = crate::app::App::new(crate::app::AppInit {
        station: config.station_name(),
        theme,
        idle_lock: Duration::from_secs(u64::from(config.session.idle_lock_minutes) * 60),
        heartbeat: Duration::from_secs(30),
        banner: prepared.seeded_now.then(|| FIRST_START_BANNER.to_string()),
        database: prepared.label.clone(),
    });
    let mut terminal = crate::terminal::init()?;
    tracing::info!(
        elapsed_ms = started.elapsed().as_millis() as u64,
        station = %config.station_name(),
        "login screen ready"
    );
    let result = crate::runtime::run(app, &mut terminal, ctx).await;
    crate::terminal::restore();
    result?;
    Ok(())
}

pub async fn migrate(config: &Config) -> Result<String, CliError> {
    let prepared = prepare(config, "cleanstation/migrate", false).await?;
    let version = {
        let client = prepared.pool.get().await.map_err(DbError::from)?;
        db::migrate::current_version(&client).await?
    };
    Ok(if prepared.migrated.is_empty() {
        format!("Schema is current (version {version}).")
    } else {
        format!(
            "Applied {} migration(s): {}. Schema is now version {version}.",
            prepared.migrated.len(),
            prepared.migrated.join(", ")
        )
    })
}

pub async fn seed_demo(config: &Config) -> Result<String, CliError> {
    let prepared = prepare(config, "cleanstation/seed", false).await?;
    let report = service::seed::seed_demo(&prepared.pool, &cli_actor("seed --demo"))
        .await
        .map_err(|e| CliError::Import(e.to_string()))?;
    Ok(report.to_string())
}

pub async fn catalog_import(config: &Config, dir: &Path) -> Result<String, CliError> {
    let prepared = prepare(config, "cleanstation/catalog", false).await?;
    let report =
        service::catalog::import_catalog_dir(&prepared.pool, &cli_actor("catalog import"), dir)
            .await
            .map_err(|e| CliError::Import(e.to_string()))?;
    Ok(report.to_string())
}

pub async fn templates_import(config: &Config, file: &Path) -> Result<String, CliError> {
    let prepared = prepare(config, "cleanstation/templates", false).await?;
    let report = service::catalog::import_templates_file(
        &prepared.pool,
        &cli_actor("templates import"),
        file,
    )
    .await
    .map_err(|e| CliError::Import(e.to_string()))?;
    Ok(report.to_string())
}

pub struct UserAdd {
    pub username: String,
    pub role: String,
    pub full_name: String,
    pub initials: String,
    pub must_change: bool,
}

pub async fn user_add(config: &Config, args: UserAdd) -> Result<String, CliError> {
    let role = Role::parse(&args.role).ok_or_else(|| {
        CliError::Usage(format!(
            "Unknown role {}; use one of: {}",
            args.role,
            Role::ALL.map(Role::code).join(", ")
        ))
    })?;
    let password = read_new_password()?;
    let new = NewUser {
        username: args.username,
        full_name: args.full_name,
        initials: args.initials,
        role,
        password,
        must_change_password: args.must_change,
    }
    .validated()
    .map_err(CliError::Usage)?;
    let prepared = prepare(config, "cleanstation/user", false).await?;
    let user = service::users::add_user(&prepared.pool, &cli_actor("user add"), new).await?;
    Ok(format!(
        "Created {} ({}, {}).",
        user.username, user.full_name, user.role
    ))
}

pub async fn user_passwd(config: &Config, username: &str) -> Result<String, CliError> {
    let password = read_new_password()?;
    crate::domain::user::validate_password(&password).map_err(CliError::Usage)?;
    let prepared = prepare(config, "cleanstation/user", false).await?;
    service::users::set_password(
        &prepared.pool,
        &cli_actor("user passwd"),
        username,
        &password,
        false,
    )
    .await?;
    Ok(format!(
        "Password of {username} changed; the lockout is cleared and their sessions ended."
    ))
}

pub async fn user_set_active(
    config: &Config,
    username: &str,
    active: bool,
) -> Result<String, CliError> {
    let prepared = prepare(config, "cleanstation/user", false).await?;
    let verb = if active {
        "user activate"
    } else {
        "user deactivate"
    };
    service::users::set_active(&prepared.pool, &cli_actor(verb), username, active).await?;
    Ok(if active {
        format!("{username} is active again.")
    } else {
        format!("{username} is deactivated; their sessions ended.")
    })
}

/// Reads a new password: `$CLEANSTATION_PASSWORD` for scripts, else asked twice on the terminal.
fn read_new_password() -> Result<String, CliError> {
    if let Ok(pw) = std::env::var("CLEANSTATION_PASSWORD") {
        return Ok(pw);
    }
    let first = crate::prompt::read_password("New password: ")?.ok_or_else(|| {
        CliError::Usage("No terminal to ask for the password; set CLEANSTATION_PASSWORD".into())
    })?;
    crate::domain::user::validate_password(&first).map_err(CliError::Usage)?;
    let second = crate::prompt::read_password("Repeat it: ")?.unwrap_or_default();
    if first != second {
        return Err(CliError::Usage(
            "The passwords differ; nothing was changed".into(),
        ));
    }
    Ok(first)
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
