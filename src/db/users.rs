//! `"User"` rows. Users are never deleted: history and the audit trail refer to them.

use crate::db::{DbError, GenericClient};
use crate::domain::Role;
use crate::domain::user::{NewUser, UserSummary};
use tokio_postgres::Row;
use uuid::Uuid;

/// The columns [`summary_from_row`] reads, in a form `concat!` accepts. A NULL `isActive` counts as
/// inactive so that a damaged row never grants access.
macro_rules! summary_cols {
    () => {
        r#"u.id, u."username", u."fullName", u."initials", u."role", COALESCE(u."isActive", false) AS "isActive", u."lastLoginAt", u."mustChangePassword""#
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

/// Reads the [`summary_cols!`] columns of `row`.
pub fn summary_from_row(row: &Row) -> Result<UserSummary, DbError> {
    Ok(UserSummary {
        id: row.try_get("id").map_err(decode)?,
        username: row.try_get("username").map_err(decode)?,
        full_name: row.try_get("fullName").map_err(decode)?,
        initials: row.try_get("initials").map_err(decode)?,
        role: row.try_get::<_, Role>("role").map_err(decode)?,
        is_active: row.try_get("isActive").map_err(decode)?,
        last_login_at: row.try_get("lastLoginAt").map_err(decode)?,
        must_change_password: row.try_get("mustChangePassword").map_err(decode)?,
    })
}

fn auth_from_row(row: &Row) -> Result<UserAuth, DbError> {
    Ok(UserAuth {
        user: summary_from_row(row)?,
        password_hash: row.try_get("passwordHash").map_err(decode)?,
    })
}

/// A column that does not decode is a schema mismatch, not something the user can fix.
pub(crate) fn decode(e: tokio_postgres::Error) -> DbError {
    tracing::error!(error = %e, "unexpected column type");
    DbError::Query(e.to_string())
}

/// Every user, ordered by username.
pub async fn list(client: &impl GenericClient) -> Result<Vec<UserSummary>, DbError> {
    let rows = client
        .query(
            concat!(
                "SELECT ",
                summary_cols!(),
                r#" FROM "User" u ORDER BY u."username""#
            ),
            &[],
        )
        .await?;
    rows.iter().map(summary_from_row).collect()
}

pub async fn count(client: &impl GenericClient) -> Result<i64, DbError> {
    let row = client
        .query_one(r#"SELECT count(*) FROM "User""#, &[])
        .await?;
    row.try_get(0).map_err(decode)
}

pub async fn find_by_id(
    client: &impl GenericClient,
    id: Uuid,
) -> Result<Option<UserSummary>, DbError> {
    let row = client
        .query_opt(
            concat!(
                "SELECT ",
                summary_cols!(),
                r#" FROM "User" u WHERE u.id = $1"#
            ),
            &[&id],
        )
        .await?;
    row.as_ref().map(summary_from_row).transpose()
}

/// `username` must already be normalised (lower-case).
pub async fn find_by_username(
    client: &impl GenericClient,
    username: &str,
) -> Result<Option<UserSummary>, DbError> {
    let row = client
        .query_opt(
            concat!(
                "SELECT ",
                summary_cols!(),
                r#" FROM "User" u WHERE u."username" = $1"#
            ),
            &[&username],
        )
        .await?;
    row.as_ref().map(summary_from_row).transpose()
}

/// The user and password hash for a login; `username` must already be normalised.
pub async fn find_auth_by_username(
    client: &impl GenericClient,
    username: &str,
) -> Result<Option<UserAuth>, DbError> {
    let row = client
        .query_opt(
            concat!(
                "SELECT ",
                summary_cols!(),
                r#", u."passwordHash" FROM "User" u WHERE u."username" = $1"#
            ),
            &[&username],
        )
        .await?;
    row.as_ref().map(auth_from_row).transpose()
}

pub async fn find_auth_by_id(
    client: &impl GenericClient,
    id: Uuid,
) -> Result<Option<UserAuth>, DbError> {
    let row = client
        .query_opt(
            concat!(
                "SELECT ",
                summary_cols!(),
                r#", u."passwordHash" FROM "User" u WHERE u.id = $1"#
            ),
            &[&id],
        )
        .await?;
    row.as_ref().map(auth_from_row).transpose()
}

/// Inserts a validated user with an already computed hash. `None` when the username is taken.
pub async fn insert(
    client: &impl GenericClient,
    new: &NewUser,
    password_hash: &str,
) -> Result<Option<UserSummary>, DbError> {
    let row = client
        .query_opt(
            concat!(
                r#"INSERT INTO "User" AS u ("username", "passwordHash", "fullName", "initials", "role", "isActive", "mustChangePassword")
                   VALUES ($1, $2, $3, $4, $5, true, $6)
                   ON CONFLICT ("username") DO NOTHING
                   RETURNING "#,
                summary_cols!()
            ),
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
    row.as_ref().map(summary_from_row).transpose()
}

/// Runs a one-row `UPDATE "User" AS u ... RETURNING <summary>`; `None` when no such user exists.
async fn update_returning(
    client: &impl GenericClient,
    sql: &str,
    params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
) -> Result<Option<UserSummary>, DbError> {
    let row = client.query_opt(sql, params).await?;
    row.as_ref().map(summary_from_row).transpose()
}

/// Stores a new password hash. `None` when no such user exists.
pub async fn set_password(
    client: &impl GenericClient,
    id: Uuid,
    password_hash: &str,
    must_change: bool,
) -> Result<Option<UserSummary>, DbError> {
    let sql = concat!(
        r#"UPDATE "User" AS u SET "passwordHash" = $2, "mustChangePassword" = $3, "updatedAt" = LOCALTIMESTAMP
           WHERE u.id = $1 RETURNING "#,
        summary_cols!()
    );
    update_returning(client, sql, &[&id, &password_hash, &must_change]).await
}

pub async fn set_role(
    client: &impl GenericClient,
    id: Uuid,
    role: Role,
) -> Result<Option<UserSummary>, DbError> {
    let sql = concat!(
        r#"UPDATE "User" AS u SET "role" = $2, "updatedAt" = LOCALTIMESTAMP WHERE u.id = $1 RETURNING "#,
        summary_cols!()
    );
    update_returning(client, sql, &[&id, &role]).await
}

pub async fn set_active(
    client: &impl GenericClient,
    id: Uuid,
    active: bool,
) -> Result<Option<UserSummary>, DbError> {
    let sql = concat!(
        r#"UPDATE "User" AS u SET "isActive" = $2, "updatedAt" = LOCALTIMESTAMP WHERE u.id = $1 RETURNING "#,
        summary_cols!()
    );
    update_returning(client, sql, &[&id, &active]).await
}

/// Records a successful login; returns the new `lastLoginAt`.
pub async fn touch_last_login(
    client: &impl GenericClient,
    id: Uuid,
) -> Result<Option<chrono::NaiveDateTime>, DbError> {
    let row = client
        .query_opt(
            r#"UPDATE "User" SET "lastLoginAt" = LOCALTIMESTAMP WHERE id = $1 RETURNING "lastLoginAt""#,
            &[&id],
        )
        .await?;
    row.map(|r| r.try_get(0).map_err(decode)).transpose()
}
