//! `"UserSession"` rows (stored by the SHA-256 of the bearer token, never the token itself) and the
//! `"LoginThrottle"` counters behind the login lockout. Stations change both only through the schema's
//! checked functions (docs/security.md); reads are plain queries.
//!
//! Every time comparison happens in SQL: TIMESTAMP columns hold the database server's local time.

use crate::db::Client;
use crate::db::row::RowExt;
use crate::db::users::{summary_cols, summary_from_row};
use crate::domain::user::UserSummary;
use crate::error::Result;
use chrono::NaiveDateTime;
use uuid::Uuid;

/// A stored session joined with its user, as found by token hash.
#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub id: Uuid,
    pub user: UserSummary,
    pub expires_at: NaiveDateTime,
    /// `expiresAt` is not in the future.
    pub expired: bool,
    /// `lastUsedAt` is more than a minute old, so a heartbeat should refresh it.
    pub stale: bool,
}

/// A session opened by [`open`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened {
    pub expires_at: NaiveDateTime,
    pub last_login_at: Option<NaiveDateTime>,
}

/// Opens a session for a user whose password was just verified (`app_session_open`): stores the hash
/// of `token`, clears the user's failed-login count and records the login. From here on the
/// transaction's writes are attributed to the new session.
pub async fn open(
    client: &impl Client,
    user_id: Uuid,
    token: &str,
    ttl_hours: i32,
) -> Result<Opened> {
    let row = client
        .fetch_one(
            "SELECT expires_at, last_login_at FROM app_session_open($1, $2, $3)",
            &[&user_id, &token, &ttl_hours],
        )
        .await?;
    Ok(Opened {
        expires_at: row.col("expires_at")?,
        last_login_at: row.col("last_login_at")?,
    })
}

/// The session stored under `token_hash`, whatever its state: the session check of every request, one
/// kept statement (docs/performance.md §4.5).
pub async fn find_by_token_hash(
    client: &impl Client,
    token_hash: &str,
) -> Result<Option<SessionRecord>> {
    let row = client
        .fetch_opt(
            concat!(
                r#"SELECT s.id AS "sessionId", s."expiresAt",
                          s."expiresAt" <= LOCALTIMESTAMP AS "expired",
                          COALESCE(s."lastUsedAt" < LOCALTIMESTAMP - interval '1 minute', true) AS "stale", "#,
                summary_cols!(),
                r#" FROM "UserSession" s JOIN "User" u ON u.id = s."userId" WHERE s."token" = $1"#
            ),
            &[&token_hash],
        )
        .await?;
    row.map(|r| {
        Ok(SessionRecord {
            id: r.col("sessionId")?,
            user: summary_from_row(&r)?,
            expires_at: r.col("expiresAt")?,
            expired: r.col("expired")?,
            stale: r.col("stale")?,
        })
    })
    .transpose()
}

/// Marks the session of `token` used now.
pub async fn touch(client: &impl Client, token: &str) -> Result<()> {
    client
        .exec("SELECT app_session_touch($1)", &[&token])
        .await?;
    Ok(())
}

/// Ends the session of `token` (the caller's own); false when there was none.
pub async fn close(client: &impl Client, token: &str) -> Result<bool> {
    client
        .fetch_one(r#"SELECT app_session_close($1) AS "closed""#, &[&token])
        .await?
        .col("closed")
}

/// A step of the login counter of a username (docs/security.md, Login).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Throttle {
    /// Before a password is checked: `None` go ahead (the check counts as a failure until a success
    /// clears it), `Some(t)` locked until `t`, do not check. Parallel attempts never check more than
    /// `max_failures` passwords per lockout.
    Reserve,
    /// After a reserved check failed: `Some(t)` when the name is now locked until `t`.
    Failed,
}

/// Runs `step` of the login counter of `username`.
pub async fn throttle(
    client: &impl Client,
    step: Throttle,
    username: &str,
    max_failures: i32,
    lockout_minutes: i32,
) -> Result<Option<NaiveDateTime>> {
    let sql = match step {
        Throttle::Reserve => r#"SELECT app_login_reserve($1, $2, $3) AS "lockedUntil""#,
        Throttle::Failed => r#"SELECT app_login_failed($1, $2, $3) AS "lockedUntil""#,
    };
    client
        .fetch_one(sql, &[&username, &max_failures, &lockout_minutes])
        .await?
        .col("lockedUntil")
}

/// After a reserved check succeeded for the user of the session `token` (lock screen, signature).
pub async fn succeeded(client: &impl Client, token: &str) -> Result<()> {
    client
        .exec("SELECT app_login_success($1)", &[&token])
        .await?;
    Ok(())
}
