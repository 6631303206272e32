//! Every statement of the repositories runs through [`Client`]: prepared once per connection and kept
//! in that connection's statement cache (docs/performance.md §4.1), so a repeated call costs one round
//! trip and no parsing.
//!
//! Only fixed or bounded texts reach the cache (docs/performance.md §4.2): literals, `concat!` texts
//! and the few built from a fixed list of names; values always travel as parameters.

use deadpool_postgres::{GenericClient, StatementCache, Transaction};
use std::future::Future;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::ToSql;
use tokio_postgres::{Error, Row};

/// Runs `$call` (a `GenericClient` method taking the statement) with the cached statement for `$sql`;
/// after a stale plan once more with a freshly prepared one, where the session allows a retry.
macro_rules! cached {
    ($client:ident, $sql:ident, $params:ident, $call:ident) => {
        async move {
            let statement = $client.prepare_cached($sql).await?;
            match $client.$call(&statement, $params).await {
                Err(e) if after_stale_plan($client, $sql, &e) => {
                    let statement = $client.prepare_cached($sql).await?;
                    $client.$call(&statement, $params).await
                }
                other => other,
            }
        }
    };
}

/// A pooled connection or a transaction on one: what the repositories run statements on.
///
/// The four statement methods take parameterised SQL and return what the same-named methods of
/// `GenericClient` return (`fetch` is `query`, `exec` is `execute`).
pub trait Client: GenericClient {
    /// The statements prepared on this connection.
    fn statement_cache(&self) -> &StatementCache;

    /// A failed statement leaves the session usable for another try: true outside a transaction
    /// (in one, the failure has aborted the transaction).
    fn may_retry(&self) -> bool;

    /// Every row `sql` returns.
    fn fetch(
        &self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> impl Future<Output = Result<Vec<Row>, Error>> + Send {
        cached!(self, sql, params, query)
    }

    /// The one row `sql` returns; an error for none or more.
    fn fetch_one(
        &self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> impl Future<Output = Result<Row, Error>> + Send {
        cached!(self, sql, params, query_one)
    }

    /// The row `sql` returns, if any; an error for more than one.
    fn fetch_opt(
        &self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> impl Future<Output = Result<Option<Row>, Error>> + Send {
        cached!(self, sql, params, query_opt)
    }

    /// Runs `sql` and returns the number of rows it changed.
    fn exec(
        &self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> impl Future<Output = Result<u64, Error>> + Send {
        cached!(self, sql, params, execute)
    }
}

impl Client for deadpool_postgres::Client {
    fn statement_cache(&self) -> &StatementCache {
        &self.statement_cache
    }

    fn may_retry(&self) -> bool {
        true
    }
}

impl Client for Transaction<'_> {
    fn statement_cache(&self) -> &StatementCache {
        &self.statement_cache
    }

    fn may_retry(&self) -> bool {
        false
    }
}

/// The server refused a cached statement whose result columns changed under it (a schema change since
/// it was prepared).
pub(crate) fn is_stale_plan(e: &Error) -> bool {
    e.code() == Some(&SqlState::FEATURE_NOT_SUPPORTED)
        && e.as_db_error().is_some_and(|d| {
            d.message()
                .starts_with("cached plan must not change result type")
        })
}

/// After a stale plan, forgets every statement of the connection (docs/performance.md §4.3) and says
/// whether to try once more; any other error is left as it is.
fn after_stale_plan<C: Client + ?Sized>(client: &C, sql: &str, e: &Error) -> bool {
    if !is_stale_plan(e) {
        return false;
    }
    client.statement_cache().clear();
    let retry = client.may_retry();
    tracing::warn!(
        statement = sql.split_whitespace().take(8).collect::<Vec<_>>().join(" "),
        retry,
        "the schema changed under a cached statement; the connection's statements are prepared again"
    );
    retry
}
