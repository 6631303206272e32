//! `"UserSession"` rows (stored by the SHA-256 of the bearer token, never the token itself) and the
//! `"LoginThrottle"` counters behind the login lockout.
//!
//! Every time comparison happens in SQL: TIMESTAMP columns hold the database server's local time.

use crate::db::users::{decode, summary_cols, summary_from_row};
use crate::db::{DbError, GenericClient};
use crate::domain::user::UserSummary;
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

/// Creates a session that expires `ttl_hours` from now; returns its id and expiry.
pub async fn insert(
    client: &impl GenericClient,
    user_id: Uuid,
    token_hash: &str,
    ttl_hours: i32,
) -> Result<(Uuid, NaiveDateTime), DbError> {
    let row = client
        .query_one(
            r#"INSERT INTO "UserSession" ("userId", "token", "expiresAt", "createdAt", "lastUsedAt")
               VALUES ($1, $2, LOCALTIMESTAMP + make_interval(hours => $3), LOCALTIMESTAMP, LOCALTIMESTAMP)
               RETURNING id, "expiresAt""#,
            &[&user_id, &token_hash, &ttl_hours],
        )
        .await?;
    Ok((
        row.try_get(0).map_err(decode)?,
        row.try_get(1).map_err(decode)?,
    ))
}

/// The session stored under `token_hash`, whatever its state.
pub async fn find_by_token_hash(
    client: &impl GenericClient,
    token_hash: &str,
) -> Result<Option<SessionRecord>, DbError> {
    let row = client
        .query_opt(
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
            id: r.try_get("sessionId").map_err(decode)?,
            user: summary_from_row(&r)?,
            expires_at: r.try_get("expiresAt").map_err(decode)?,
            expired: r.try_get("expired").map_err(decode)?,
            stale: r.try_get("stale").map_err(decode)?,
        })
    })
    .transpose()
}

pub async fn touch(client: &impl GenericClient, id: Uuid) -> Result<(), DbError> {
    client
        .execute(
            r#"UPDATE "UserSession" SET "lastUsedAt" = LOCALTIMESTAMP WHERE id = $1"#,
            &[&id],
        )
        .await?;
    Ok(())
}

pub async fn delete(client: &impl GenericClient, id: Uuid) -> Result<u64, DbError> {
    Ok(client
        .execute(r#"DELETE FROM "UserSession" WHERE id = $1"#, &[&id])
        .await?)
}

/// Ends every session of `user_id` except `keep` (the caller's own, when it changes its password).
pub async fn delete_for_user(
    client: &impl GenericClient,
    user_id: Uuid,
    keep: Option<Uuid>,
) -> Result<u64, DbError> {
    Ok(client
        .execute(
            r#"DELETE FROM "UserSession" WHERE "userId" = $1 AND ($2::uuid IS NULL OR id <> $2)"#,
            &[&user_id, &keep],
        )
        .await?)
}

/// When `username` is locked out: the unlock time, if it is still in the future.
pub async fn locked_until(
    client: &impl GenericClient,
    username: &str,
) -> Result<Option<NaiveDateTime>, DbError> {
    let row = client
        .query_opt(
            r#"SELECT "lockedUntil" FROM "LoginThrottle"
               WHERE "username" = $1 AND "lockedUntil" > LOCALTIMESTAMP"#,
            &[&username],
        )
        .await?;
    row.map(|r| r.try_get(0).map_err(decode)).transpose()
}

/// Counts one failed password for `username`. When the count reaches `max_failures` the name is locked
/// for `lockout_minutes` and the count starts again; the unlock time is returned in that case.
///
/// The upsert takes the row lock first, so concurrent failures from several stations are all counted.
pub async fn record_failure(
    client: &impl GenericClient,
    username: &str,
    max_failures: i32,
    lockout_minutes: i32,
) -> Result<Option<NaiveDateTime>, DbError> {
    let row = client
        .query_one(
            r#"INSERT INTO "LoginThrottle" AS t ("username", "failedCount", "lastFailureAt", "updatedAt")
               VALUES ($1, 1, LOCALTIMESTAMP, LOCALTIMESTAMP)
               ON CONFLICT ("username") DO UPDATE
               SET "failedCount" = t."failedCount" + 1,
                   "lastFailureAt" = LOCALTIMESTAMP,
                   "updatedAt" = LOCALTIMESTAMP
               RETURNING t."failedCount""#,
            &[&username],
        )
        .await?;
    let failed: i32 = row.try_get(0).map_err(decode)?;
    if failed < max_failures {
        return Ok(None);
    }
    let row = client
        .query_one(
            r#"UPDATE "LoginThrottle"
               SET "failedCount" = 0,
                   "lockedUntil" = LOCALTIMESTAMP + make_interval(mins => $2),
                   "updatedAt" = LOCALTIMESTAMP
               WHERE "username" = $1
               RETURNING "lockedUntil""#,
            &[&username, &lockout_minutes],
        )
        .await?;
    Ok(Some(row.try_get(0).map_err(decode)?))
}

/// Forgets the failures of `username` (after a correct password or an administrator's reset).
pub async fn clear_failures(client: &impl GenericClient, username: &str) -> Result<(), DbError> {
    client
        .execute(
            r#"DELETE FROM "LoginThrottle" WHERE "username" = $1"#,
            &[&username],
        )
        .await?;
    Ok(())
}
