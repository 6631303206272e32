//! The connection pool, built from the configured URL.

use crate::db::DbError;
use deadpool_postgres::{ManagerConfig, Pool, RecyclingMethod, Runtime};
use tokio_postgres::NoTls;

/// Builds a pool for `url` (a libpq key/value string or a postgresql:// URL) and checks one connection.
pub async fn connect(url: &str, pool_size: usize, application_name: &str) -> Result<Pool, DbError> {
    let mut pg: tokio_postgres::Config = url.parse().map_err(|e| {
        DbError::Invalid(format!(
            "database.url is not a valid connection string: {e}"
        ))
    })?;
    pg.application_name(application_name);
    pg.connect_timeout(std::time::Duration::from_secs(10));
    let mgr = deadpool_postgres::Manager::from_config(
        pg,
        NoTls,
        ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        },
    );
    let pool = Pool::builder(mgr)
        .max_size(pool_size.max(1))
        .runtime(Runtime::Tokio1)
        .wait_timeout(Some(std::time::Duration::from_secs(15)))
        .create_timeout(Some(std::time::Duration::from_secs(10)))
        .build()
        .map_err(|e| DbError::Unavailable(e.to_string()))?;
    let client = pool.get().await?;
    client.simple_query("SELECT 1").await?;
    drop(client);
    Ok(pool)
}
