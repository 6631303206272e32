//! Schema migrations, embedded in the binary and applied when a start finds some pending.
//!
//! A start reads the schema version first and takes no lock when it is current
//! (docs/performance.md §5.1). refinery takes no lock of its own, so a run that has migrations to
//! apply happens in a session holding a PostgreSQL advisory lock: stations that start together apply
//! each migration exactly once.

use crate::db::Client;
use crate::db::row::RowExt;
use crate::error::{Result, ServiceError};
use deadpool_postgres::Pool;

mod embedded {
    refinery::embed_migrations!("migrations");
}

/// Arbitrary but fixed: the bytes of "cleansta".
pub const MIGRATION_LOCK_KEY: i64 = 0x636c_6561_6e73_7461;

/// The newest schema version this binary knows.
pub fn latest_known_version() -> i64 {
    embedded::migrations::runner()
        .get_migrations()
        .iter()
        .map(|m| i64::from(m.version()))
        .max()
        .unwrap_or(0)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationReport {
    /// Versions applied by this run, oldest first.
    pub applied: Vec<String>,
    /// The schema version afterwards.
    pub version: i64,
    /// What applying the station role's grants did.
    pub roles: crate::db::roles::RolesReport,
}

/// The schema version recorded in the database, or 0 for an empty database.
pub async fn current_version(client: &impl Client) -> Result<i64> {
    let exists: bool = client
        .fetch_one(
            r#"SELECT to_regclass('refinery_schema_history') IS NOT NULL AS "exists""#,
            &[],
        )
        .await?
        .col("exists")?;
    if !exists {
        return Ok(0);
    }
    let v: Option<i32> = client
        .fetch_one(
            r#"SELECT max(version) AS "version" FROM refinery_schema_history"#,
            &[],
        )
        .await?
        .col("version")?;
    Ok(v.map(i64::from).unwrap_or(0))
}

/// What a start does (docs/performance.md §5.1): reads the schema version without any lock and, when
/// it is current, returns at once (nothing applied, the grants left as the last run made them); only
/// pending migrations go on to [`run`], which takes the advisory lock and checks again under it.
/// Refuses a database newer than this binary.
pub async fn run_if_pending(pool: &Pool) -> Result<MigrationReport> {
    let found = current_version(&pool.get().await?).await?;
    refuse_newer(found)?;
    if found == latest_known_version() {
        return Ok(MigrationReport {
            applied: Vec::new(),
            version: found,
            roles: crate::db::roles::RolesReport::default(),
        });
    }
    run(pool).await
}

/// Applies every pending migration under the advisory lock, then the station role's grants, and seals
/// the audit rows the migrations wrote. Refuses a database newer than this binary. The owner's step
/// (`cleanstation migrate`), always taken whole.
pub async fn run(pool: &Pool) -> Result<MigrationReport> {
    let mut obj = pool.get().await?;
    obj.exec("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK_KEY])
        .await?;
    let result = run_locked(&mut obj).await;
    // Unlock even when the run failed; a dropped session would release it too.
    let unlock = obj
        .exec("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK_KEY])
        .await;
    let report = result?;
    unlock?;
    if !report.applied.is_empty() {
        // Statements prepared before the change are prepared again (docs/performance.md §4.3).
        pool.manager().statement_caches.clear();
    }
    Ok(report)
}

async fn run_locked(obj: &mut deadpool_postgres::Object) -> Result<MigrationReport> {
    refuse_newer(current_version(&*obj).await?)?;
    let client: &mut tokio_postgres::Client = obj;
    let report = embedded::migrations::runner()
        .set_grouped(true)
        .run_async(client)
        .await
        .map_err(|e| ServiceError::Query(format!("migration failed: {e}")))?;
    let applied = report
        .applied_migrations()
        .iter()
        .map(|m| format!("V{}__{}", m.version(), m.name()))
        .collect();
    let version = current_version(&*obj).await?;
    let roles = crate::db::roles::apply(&*obj).await?;
    crate::db::audit::seal(&*obj, true).await?;
    Ok(MigrationReport {
        applied,
        version,
        roles,
    })
}

/// Whether this binary's migrations are all applied, read without any DDL (a station's role may not
/// create refinery's history table): `Ok(())`, or the message a station shows instead of starting.
pub async fn check_current(client: &impl Client) -> Result<()> {
    let known = latest_known_version();
    let found = current_version(client).await?;
    refuse_newer(found)?;
    if found < known {
        return Err(ServiceError::Invalid(format!(
            "The database schema is version {found}; this cleanstation needs version {known}. \
             Run `cleanstation migrate` with the owner's connection (database.owner_url or \
             $CLEANSTATION_OWNER_DATABASE_URL), then start the station again."
        )));
    }
    Ok(())
}

/// A schema newer than this binary knows is never touched: the station says to install the current
/// release.
fn refuse_newer(found: i64) -> Result<()> {
    let known = latest_known_version();
    if found > known {
        return Err(ServiceError::Invalid(format!(
            "The database schema is version {found}, newer than this cleanstation (knows up to {known}). \
             Install the current release on this station."
        )));
    }
    Ok(())
}
