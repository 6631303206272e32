//! Reading a column of a result row by the name the statement gives it.

use crate::db::Client;
use crate::error::{Result, ServiceError};
use tokio_postgres::Row;
use tokio_postgres::types::{FromSql, ToSql};

/// By-name column access with one error mapping for every repository.
pub trait RowExt {
    /// The column `name` (exactly as PostgreSQL returns it: camelCase quoted identifiers keep their
    /// case), decoded as `T`.
    fn col<'a, T: FromSql<'a>>(&'a self, name: &str) -> Result<T>;
}

impl RowExt for Row {
    fn col<'a, T: FromSql<'a>>(&'a self, name: &str) -> Result<T> {
        self.try_get(name).map_err(|e| decode(name, e))
    }
}

/// A column that is missing or does not decode is a schema mismatch, not something the user can fix.
fn decode(column: &str, e: tokio_postgres::Error) -> ServiceError {
    tracing::error!(column, error = %e, "unexpected column type");
    ServiceError::Query(e.to_string())
}

/// Runs `sql` and decodes every row it returns with `from_row`, collected into a `Vec`, a map or any
/// other collection.
pub async fn query_all<T, C: FromIterator<T>>(
    client: &impl Client,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
    from_row: impl Fn(&Row) -> Result<T>,
) -> Result<C> {
    client
        .fetch(sql, params)
        .await?
        .iter()
        .map(from_row)
        .collect()
}

/// Runs a statement that returns one row with an `id` column (an `INSERT ... RETURNING id`) and reads it.
pub async fn query_id(
    client: &impl Client,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> Result<uuid::Uuid> {
    client.fetch_one(sql, params).await?.col("id")
}

/// Runs a statement returning at most one row and decodes it with `from_row`; `None` without a row.
pub async fn query_opt_map<T>(
    client: &impl Client,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
    from_row: impl FnOnce(&Row) -> Result<T>,
) -> Result<Option<T>> {
    client
        .fetch_opt(sql, params)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// Runs a statement returning at most one row and reads its column `name`; `None` without a row.
pub async fn query_opt_col<T: for<'a> FromSql<'a>>(
    client: &impl Client,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
    name: &str,
) -> Result<Option<T>> {
    query_opt_map(client, sql, params, |r| r.col(name)).await
}
