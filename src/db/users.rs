//! `"User"` rows. Users are never deleted: history and the audit trail refer to them.

use crate::db::Client;
use crate::db::row::{RowExt, query_all};
use crate::domain::Role;
use crate::domain::user::{NewUser, UserSummary};
use crate::error::{Result, ServiceError};
use tokio_postgres::Row;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::ToSql;
use uuid::Uuid;

/// The columns [`summary_from_row`] reads, in a form `concat!` accepts. A NULL `isActive` counts as
/// inactive so that a damaged row never grants access.
macro_rules! summary_cols {
    () => {
        r#"u.id, u."username", u."fullName", u."initials", u."role", COALESCE(u."isActive", false) AS "isActive", u."lastLoginAt", u."mustChangePassword", u."badgeCode" IS NOT NULL AS "hasBadge""#
    };
}
pub(crate) use summary_cols;

/// A user with the stored password hash, for the login and re-authentication paths only.
#[derive(Clone)]
pub struct UserAuth {
    pub user: UserSummary,
    pub password_hash: String,
}

// The hash stays out of logs.
impl std::fmt::Debug for UserAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserAuth")
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

/// A user with the stored PIN hash, for the badge login only.
#[derive(Clone)]
pub struct PinAuth {
    pub user: UserSummary,
    pub pin_hash: Option<String>,
}

// The hash stays out of logs.
impl std::fmt::Debug for PinAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PinAuth")
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

/// Reads the [`summary_cols!`] columns of `row`.
pub fn summary_from_row(row: &Row) -> Result<UserSummary> {
    Ok(UserSummary {
        id: row.col("id")?,
        username: row.col("username")?,
        full_name: row.col("fullName")?,
        initials: row.col("initials")?,
        role: row.col::<Role>("role")?,
        is_active: row.col("isActive")?,
        last_login_at: row.col("lastLoginAt")?,
        must_change_password: row.col("mustChangePassword")?,
        has_badge: row.col("hasBadge")?,
    })
}

fn auth_from_row(row: &Row) -> Result<UserAuth> {
    Ok(UserAuth {
        user: summary_from_row(row)?,
        password_hash: row.col("passwordHash")?,
    })
}

/// Every user, ordered by username.
pub async fn list(client: &impl Client) -> Result<Vec<UserSummary>> {
    query_all(
        client,
        concat!(
            "SELECT ",
            summary_cols!(),
            r#" FROM "User" u ORDER BY u."username""#
        ),
        &[],
        summary_from_row,
    )
    .await
}

pub async fn count(client: &impl Client) -> Result<i64> {
    let row = client
        .fetch_one(r#"SELECT count(*) AS "count" FROM "User""#, &[])
        .await?;
    row.col("count")
}

pub async fn find_by_id(client: &impl Client, id: Uuid) -> Result<Option<UserSummary>> {
    let row = user_row(client, "", "u.id = $1", &id).await?;
    row.as_ref().map(summary_from_row).transpose()
}

/// `username` must already be normalised (lower-case).
pub async fn find_by_username(client: &impl Client, username: &str) -> Result<Option<UserSummary>> {
    let row = user_row(client, "", BY_USERNAME, &username).await?;
    row.as_ref().map(summary_from_row).transpose()
}

/// The user and password hash for a login; `username` must already be normalised.
pub async fn find_auth_by_username(
    client: &impl Client,
    username: &str,
) -> Result<Option<UserAuth>> {
    let row = user_row(client, WITH_HASH, BY_USERNAME, &username).await?;
    row.as_ref().map(auth_from_row).transpose()
}

pub async fn find_auth_by_id(client: &impl Client, id: Uuid) -> Result<Option<UserAuth>> {
    let row = user_row(client, WITH_HASH, "u.id = $1", &id).await?;
    row.as_ref().map(auth_from_row).transpose()
}

/// The user whose badge is `code` (any case) with the stored PIN hash, for the badge login only.
pub async fn find_pin_by_badge(client: &impl Client, code: &str) -> Result<Option<PinAuth>> {
    let row = user_row(client, WITH_PIN, BY_BADGE, &code).await?;
    row.as_ref()
        .map(|r| {
            Ok(PinAuth {
                user: summary_from_row(r)?,
                pin_hash: r.col("pinHash")?,
            })
        })
        .transpose()
}

/// The badge code of a user, `None` when they have none (or there is no such user).
pub async fn badge_of(client: &impl Client, id: Uuid) -> Result<Option<String>> {
    let row = client
        .fetch_opt(
            r#"SELECT u."badgeCode" FROM "User" u WHERE u.id = $1"#,
            &[&id],
        )
        .await?;
    Ok(row
        .map(|r| r.col::<Option<String>>("badgeCode"))
        .transpose()?
        .flatten())
}

const BY_USERNAME: &str = r#"u."username" = $1"#;
/// Matches the unique index `uk_user_badge_code`.
const BY_BADGE: &str = r#"upper(u."badgeCode") = upper($1)"#;
/// The column a badge login reads beside the summary's.
const WITH_PIN: &str = r#", u."pinHash""#;
/// The column [`auth_from_row`] reads beside the summary's.
const WITH_HASH: &str = r#", u."passwordHash""#;

/// The row of the one user matching `condition` (on `u`, with `value` as `$1`): the [`summary_cols!`]
/// columns followed by `extra`.
async fn user_row(
    client: &impl Client,
    extra: &str,
    condition: &str,
    value: &(dyn ToSql + Sync),
) -> Result<Option<Row>> {
    let sql = format!(
        r#"SELECT {}{extra} FROM "User" u WHERE {condition}"#,
        summary_cols!()
    );
    Ok(client.fetch_opt(sql.as_str(), &[value]).await?)
}

// Writes go through the schema's checked functions (docs/security.md): the station role cannot
// change "User" rows itself, and each function checks the session the transaction carries.

/// Inserts a validated user with an already computed hash (`app_user_create`: an ADMIN's session, the
/// owner, or no active ADMIN yet). `None` when the username is taken.
pub async fn insert(
    client: &impl Client,
    new: &NewUser,
    password_hash: &str,
) -> Result<Option<UserSummary>> {
    let row = client
        .fetch_one(
            r#"SELECT app_user_create($1, $2, $3, $4, $5, $6) AS "id""#,
            &[
                &new.username,
                &password_hash,
                &new.full_name,
                &new.initials,
                &new.role,
                &new.must_change_password,
            ],
        )
        .await?;
    match row.col::<Option<Uuid>>("id")? {
        Some(id) => find_by_id(client, id).await,
        None => Ok(None),
    }
}

/// Runs a checked function returning whether the user exists, then reads the user back.
async fn change(
    client: &impl Client,
    id: Uuid,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> Result<Option<UserSummary>> {
    let found: bool = client.fetch_one(sql, params).await?.col("found")?;
    if found {
        find_by_id(client, id).await
    } else {
        Ok(None)
    }
}

/// Stores a new password hash, clears the user's lockout and ends their sessions (all but the caller's
/// own when it is their own password). `None` when no such user exists.
pub async fn set_password(
    client: &impl Client,
    id: Uuid,
    password_hash: &str,
    must_change: bool,
) -> Result<Option<UserSummary>> {
    change(
        client,
        id,
        r#"SELECT app_user_set_password($1, $2, $3) AS "found""#,
        &[&id, &password_hash, &must_change],
    )
    .await
}

pub async fn set_role(client: &impl Client, id: Uuid, role: Role) -> Result<Option<UserSummary>> {
    change(
        client,
        id,
        r#"SELECT app_user_set_role($1, $2) AS "found""#,
        &[&id, &role],
    )
    .await
}

/// Sets a user's badge (stored upper-case) with the hash of their PIN, or with `None` clears both
/// (`app_user_set_badge`); clears the user's lockout. `None` when no such user exists; a badge another
/// user carries is refused by the unique index.
pub async fn set_badge(
    client: &impl Client,
    id: Uuid,
    badge: Option<(&str, &str)>,
) -> Result<Option<UserSummary>> {
    let (code, pin_hash) = badge.unzip();
    let row = client
        .fetch_one(
            r#"SELECT app_user_set_badge($1, $2, $3) AS "found""#,
            &[&id, &code, &pin_hash],
        )
        .await
        .map_err(|e| match (e.code(), code) {
            (Some(&SqlState::UNIQUE_VIOLATION), Some(code)) => {
                ServiceError::Invalid(badge_taken(code))
            }
            _ => ServiceError::from(e),
        })?;
    if row.col::<bool>("found")? {
        find_by_id(client, id).await
    } else {
        Ok(None)
    }
}

/// The refusal of a badge another user carries.
pub fn badge_taken(code: &str) -> String {
    format!(
        "Badge {} is already assigned to another user",
        code.to_ascii_uppercase()
    )
}

/// Activates or deactivates a user; deactivation ends their sessions.
pub async fn set_active(
    client: &impl Client,
    id: Uuid,
    active: bool,
) -> Result<Option<UserSummary>> {
    change(
        client,
        id,
        r#"SELECT app_user_set_active($1, $2) AS "found""#,
        &[&id, &active],
    )
    .await
}

/// Whether any active ADMIN exists (the command line's first-administrator path).
pub async fn active_admin_exists(client: &impl Client) -> Result<bool> {
    client
        .fetch_one(
            r#"SELECT EXISTS (SELECT 1 FROM "User" WHERE "role" = 'ADMIN' AND COALESCE("isActive", false)) AS "exists""#,
            &[],
        )
        .await?
        .col("exists")
}
