//! The repository layer: one module per aggregate, free async functions, parameterised SQL only.
//!
//! Reads take any client; writes take a transaction opened with [`begin_as`], which carries the acting
//! session for the audit trigger.

pub mod alerts;
pub mod audit;
pub mod backup;
pub mod bom;
pub mod catalog;
pub mod comments;
pub mod corrections;
pub mod desk;
pub mod dhr;
pub mod documents;
pub mod holds;
pub mod instructions;
pub mod inventory;
pub mod migrate;
pub mod nonconformance;
pub mod notifications;
pub mod orders;
pub mod packaging;
pub mod pool;
pub mod qc;
pub mod rejection_reasons;
pub mod reports;
pub mod roles;
pub mod row;
pub mod service_orders;
pub mod sessions;
pub mod settings;
pub mod signatures;
pub mod statements;
pub mod tasks;
pub mod templates;
pub mod testing;
pub mod users;

pub use deadpool_postgres::{GenericClient, Pool, Transaction};
pub use pool::connect;
pub use statements::Client;

use crate::error::{Result, ServiceError};

/// An error with its causes, "a: b: c": the outer text alone is often too vague ("invalid configuration").
pub(crate) fn with_causes(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

impl From<tokio_postgres::Error> for ServiceError {
    fn from(e: tokio_postgres::Error) -> Self {
        if e.is_closed() || e.as_db_error().is_none() && e.code().is_none() {
            tracing::warn!(error = %with_causes(&e), "database connection error");
            return ServiceError::Unavailable(with_causes(&e));
        }
        // A cached statement outlived a schema change: the connection prepares its statements again
        // (docs/performance.md §4.3), so trying again works.
        if statements::is_stale_plan(&e) {
            tracing::warn!(error = %with_causes(&e), "stale cached statement");
            return ServiceError::Conflict(
                "The database schema changed while this station was working; nothing was saved. \
                 Try again."
                    .into(),
            );
        }
        // The schema's checked functions refuse with this code and a message meant for the user.
        if e.code() == Some(&tokio_postgres::error::SqlState::INSUFFICIENT_PRIVILEGE) {
            let msg = e.as_db_error().map(|d| d.message().to_string());
            tracing::warn!(error = %with_causes(&e), "database refused: insufficient privilege");
            return ServiceError::Forbidden(msg.unwrap_or_else(|| "Not permitted".into()));
        }
        // Never the server's DETAIL: for a violated constraint it holds the failing row's values,
        // which may be a password hash, a session's token hash or signed content.
        match e.as_db_error() {
            Some(d) => tracing::error!(
                code = d.code().code(),
                message = d.message(),
                constraint = d.constraint(),
                table = d.table(),
                column = d.column(),
                "database statement failed"
            ),
            None => tracing::error!(code = ?e.code(), "database statement failed"),
        }
        let msg = e
            .as_db_error()
            .map(|d| d.message().to_string())
            .unwrap_or_else(|| e.to_string());
        ServiceError::Query(msg)
    }
}

impl From<deadpool_postgres::PoolError> for ServiceError {
    fn from(e: deadpool_postgres::PoolError) -> Self {
        let text = match &e {
            // The pool's own wording adds nothing; the backend error says what went wrong.
            deadpool_postgres::PoolError::Backend(inner) => with_causes(inner),
            other => with_causes(other),
        };
        tracing::warn!(error = %text, "database pool error");
        ServiceError::Unavailable(text)
    }
}

/// Who is acting: the session whose token proves the user to the audit trigger (docs/audit.md), and
/// the station or command recorded beside it. Without a session a write is recorded as unattributed,
/// with the connection's role and this station.
#[derive(Clone, PartialEq, Eq)]
pub struct Actor {
    /// The session's bearer token; the database checks it against the stored hash. Never logged.
    pub session_token: Option<String>,
    pub agent: String,
}

// The token is a credential: Debug leaves it out.
impl std::fmt::Debug for Actor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Actor")
            .field("session", &self.session_token.as_ref().map(|_| "<token>"))
            .field("agent", &self.agent)
            .finish()
    }
}

impl Actor {
    /// Writes made in a logged-in session at `agent`.
    pub fn session(token: impl Into<String>, agent: impl Into<String>) -> Self {
        Actor {
            session_token: Some(token.into()),
            agent: agent.into(),
        }
    }

    /// A command-line or system action with no session (the audit row names the agent and role only).
    pub fn system(agent: impl Into<String>) -> Self {
        Actor {
            session_token: None,
            agent: agent.into(),
        }
    }
}

/// Opens a read-only REPEATABLE READ transaction: every read in it sees one snapshot of the database.
pub async fn begin_snapshot(client: &mut deadpool_postgres::Client) -> Result<Transaction<'_>> {
    Ok(client
        .build_transaction()
        .isolation_level(tokio_postgres::IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .await?)
}

/// Opens a transaction whose writes the audit trigger attributes to `actor`'s session.
///
/// `SET LOCAL` takes no bind parameters, so the transaction-local `set_config` is used instead. Opening
/// a write transaction also asks this process's sealer to seal the audit rows once it commits.
pub async fn begin_as<'a>(
    client: &'a mut deadpool_postgres::Client,
    actor: &Actor,
) -> Result<Transaction<'a>> {
    let tx = client.transaction().await?;
    let token = actor.session_token.clone().unwrap_or_default();
    tx.exec(
        "SELECT set_config('cleanstation.session_token', $1, true), \
                set_config('cleanstation.station', $2, true)",
        &[&token, &actor.agent],
    )
    .await?;
    audit::note_write();
    Ok(tx)
}
