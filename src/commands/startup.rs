//! Getting a database ready: the owner's steps (migrations, grants) and a station's least-privilege
//! connection, on the embedded cluster or a central server.

use super::CliError;
use crate::cluster::{self, Cluster};
use crate::config::Config;
use crate::db::{self, Actor};
use crate::error::ServiceError;
use crate::service::{self, SecurityPolicy};
use deadpool_postgres::Pool;

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
    /// Where this station's connections go: the pool's, and the live-events listener's.
    pub station_url: String,
}

/// Where the owner's steps connect and where stations connect, and the status bar's label.
pub(super) struct Connections {
    pub(super) owner: String,
    station: String,
    pub(super) label: String,
}

/// The embedded cluster's superuser and station role over its socket (starting the cluster when
/// needed), or a central server's `database.owner_url` (else `database.url`) and `database.url`.
pub(super) async fn connections(config: &Config) -> Result<Connections, CliError> {
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

/// How much of the migration step a command takes (docs/performance.md §5.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Migrations {
    /// A start: the version is read without a lock; the advisory lock, the migrations and the station
    /// role's grants only when migrations are pending.
    IfPending,
    /// `cleanstation migrate`: under the advisory lock, with the grants applied again, always.
    Always,
}

/// The owner's steps begin here: connects with the owner's connection, applies pending migrations
/// under the advisory lock and the station role's grants (docs/security.md).
pub async fn prepare_owner(
    config: &Config,
    application: &str,
    migrations: Migrations,
) -> Result<Prepared, CliError> {
    owner_steps(&connections(config).await?, application, migrations).await
}

async fn owner_steps(
    to: &Connections,
    application: &str,
    migrations: Migrations,
) -> Result<Prepared, CliError> {
    let pool = db::connect(&to.owner, 2, application).await?;
    let report = match migrations {
        Migrations::IfPending => db::migrate::run_if_pending(&pool).await?,
        Migrations::Always => db::migrate::run(&pool).await?,
    };
    if !report.applied.is_empty() {
        tracing::info!(applied = ?report.applied, version = report.version, "schema migrated");
    }
    Ok(Prepared {
        pool,
        seeded_now: false,
        label: to.label.clone(),
        migrated: report.applied,
        notice: report.roles.describe(),
        station_url: to.owner.clone(),
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
        let owner = owner_steps(&to, application, Migrations::IfPending).await?;
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
            station_url: to.station.clone(),
        });
    }
    let pool = db::connect(&to.station, size, application).await?;
    let client = pool.get().await.map_err(ServiceError::from)?;
    let check = db::roles::check_station(&client).await?;
    let mut migrated = Vec::new();
    if let Err(pending) = db::migrate::check_current(&client).await {
        // A single-role installation (the station connects as the owner) still migrates itself.
        if !check.may_migrate {
            return Err(CliError::Refused(pending.to_string()));
        }
        drop(client);
        migrated = db::migrate::run_if_pending(&pool).await?.applied;
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
        station_url: to.station,
    })
}

/// Seals the audit rows this process wrote (docs/audit.md): every command that writes does this
/// before it exits, so the chain never depends on a station still running.
pub async fn seal_before_exit(pool: &Pool) {
    let outcome = match pool.get().await {
        Ok(client) => db::audit::seal(&client, true).await,
        Err(e) => Err(ServiceError::from(e)),
    };
    if let Err(e) = outcome {
        tracing::warn!(error = %e, "sealing the audit trail before exit failed; the next sealer will");
    }
}

/// "db.plant.local" from a connection string, without user or password.
pub(super) fn describe_url(url: &str) -> String {
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
pub(super) fn policy(config: &Config) -> SecurityPolicy {
    SecurityPolicy {
        max_failed_logins: config.security.max_failed_logins,
        lockout_minutes: config.security.lockout_minutes,
        session_ttl_hours: config.session.ttl_hours,
    }
}
