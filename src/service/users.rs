//! User administration: from the admin screen (session + ADMIN role) and from the trusted command line.
//!
//! Users are never deleted, only deactivated: order history and the audit trail refer to them.

use super::{Authed, ServiceCtx, authenticate, hash_blocking};
use crate::db::{Actor, DbError, Pool, begin_as, sessions, users};
use crate::domain::Role;
use crate::domain::user::{NewUser, UserSummary, normalize_username, validate_password};
use uuid::Uuid;

pub const CANNOT_DEACTIVATE_SELF: &str = "You cannot deactivate your own account";
pub const CANNOT_CHANGE_OWN_ROLE: &str = "You cannot change your own role";
pub const RESET_OWN_PASSWORD: &str = "Use Change password for your own account";

/// The binding role check for user administration.
fn require_admin(who: &Authed) -> Result<(), DbError> {
    if who.user.role == Role::Admin {
        Ok(())
    } else {
        Err(DbError::Forbidden(format!(
            "Your role ({}) cannot manage users",
            who.user.role
        )))
    }
}

async fn admin(ctx: &ServiceCtx, token: &str) -> Result<Authed, DbError> {
    let who = authenticate(ctx, token).await?;
    require_admin(&who)?;
    Ok(who)
}

fn not_found(id: Uuid) -> DbError {
    DbError::NotFound(format!("User {id}"))
}

fn taken(username: &str) -> DbError {
    DbError::Invalid(format!("Username {username} is already taken"))
}

/// Every user, ordered by username (ADMIN).
pub async fn list(ctx: &ServiceCtx, token: &str) -> Result<Vec<UserSummary>, DbError> {
    admin(ctx, token).await?;
    let client = ctx.pool.get().await?;
    users::list(&client).await
}

/// Creates a user from the admin screen (ADMIN). The admin chose the password, so the user must
/// change it at first login.
#[tracing::instrument(skip_all, fields(username = %new.username))]
pub async fn create(ctx: &ServiceCtx, token: &str, new: NewUser) -> Result<UserSummary, DbError> {
    let who = admin(ctx, token).await?;
    let new = NewUser {
        must_change_password: true,
        ..new
    };
    let created = insert_user(&ctx.pool, &who.actor(ctx), new).await?;
    tracing::info!(user_id = %created.id, by = %who.user.id, "user created");
    Ok(created)
}

/// Changes another user's role (ADMIN).
#[tracing::instrument(skip_all, fields(user_id = %user_id, role = %role))]
pub async fn change_role(
    ctx: &ServiceCtx,
    token: &str,
    user_id: Uuid,
    role: Role,
) -> Result<UserSummary, DbError> {
    let who = admin(ctx, token).await?;
    if user_id == who.user.id {
        return Err(DbError::Forbidden(CANNOT_CHANGE_OWN_ROLE.into()));
    }
    let mut client = ctx.pool.get().await?;
    let tx = begin_as(&mut client, &who.actor(ctx)).await?;
    let saved = users::set_role(&tx, user_id, role)
        .await?
        .ok_or_else(|| not_found(user_id))?;
    tx.commit().await?;
    Ok(saved)
}

/// Activates or deactivates another user (ADMIN). Deactivation ends their sessions, so their stations
/// return to the login screen at the next heartbeat.
#[tracing::instrument(skip_all, fields(user_id = %user_id, active))]
pub async fn change_active(
    ctx: &ServiceCtx,
    token: &str,
    user_id: Uuid,
    active: bool,
) -> Result<UserSummary, DbError> {
    let who = admin(ctx, token).await?;
    if user_id == who.user.id && !active {
        return Err(DbError::Forbidden(CANNOT_DEACTIVATE_SELF.into()));
    }
    let mut client = ctx.pool.get().await?;
    let tx = begin_as(&mut client, &who.actor(ctx)).await?;
    let saved = users::set_active(&tx, user_id, active)
        .await?
        .ok_or_else(|| not_found(user_id))?;
    if !active {
        sessions::delete_for_user(&tx, user_id, None).await?;
    }
    tx.commit().await?;
    Ok(saved)
}

/// Sets a temporary password that the user must change at next login (ADMIN). Clears their lockout and
/// ends their sessions.
#[tracing::instrument(skip_all, fields(user_id = %user_id))]
pub async fn reset_password(
    ctx: &ServiceCtx,
    token: &str,
    user_id: Uuid,
    temp_password: String,
) -> Result<UserSummary, DbError> {
    let who = admin(ctx, token).await?;
    if user_id == who.user.id {
        // Resetting would end the admin's own session; the own-password path checks the current one.
        return Err(DbError::Invalid(RESET_OWN_PASSWORD.into()));
    }
    validate_password(&temp_password).map_err(DbError::Invalid)?;
    {
        let client = ctx.pool.get().await?;
        users::find_by_id(&client, user_id)
            .await?
            .ok_or_else(|| not_found(user_id))?;
    }
    let hash = hash_blocking(temp_password).await?;
    store_password(&ctx.pool, &who.actor(ctx), user_id, &hash, true)
        .await?
        .ok_or_else(|| not_found(user_id))
}

/// Validates, hashes and inserts `new` as `actor`.
async fn insert_user(pool: &Pool, actor: &Actor, new: NewUser) -> Result<UserSummary, DbError> {
    let new = new.validated().map_err(DbError::Invalid)?;
    {
        // Cheap pre-check that spares a hash; the insert's ON CONFLICT stays the real guard.
        let client = pool.get().await?;
        if users::find_by_username(&client, &new.username)
            .await?
            .is_some()
        {
            return Err(taken(&new.username));
        }
    }
    let hash = hash_blocking(new.password.clone()).await?;
    let mut client = pool.get().await?;
    let tx = begin_as(&mut client, actor).await?;
    let created = users::insert(&tx, &new, &hash)
        .await?
        .ok_or_else(|| taken(&new.username))?;
    tx.commit().await?;
    Ok(created)
}

/// Stores a password hash, clears the lockout and ends every session of the user.
async fn store_password(
    pool: &Pool,
    actor: &Actor,
    user_id: Uuid,
    hash: &str,
    must_change: bool,
) -> Result<Option<UserSummary>, DbError> {
    let mut client = pool.get().await?;
    let tx = begin_as(&mut client, actor).await?;
    let Some(saved) = users::set_password(&tx, user_id, hash, must_change).await? else {
        return Ok(None);
    };
    sessions::clear_failures(&tx, &saved.username).await?;
    sessions::delete_for_user(&tx, user_id, None).await?;
    tx.commit().await?;
    Ok(Some(saved))
}

fn unknown_name(username: &str) -> DbError {
    DbError::NotFound(format!("User {username}"))
}

/// Looks up a user by name as typed; an invalid name simply matches nobody.
pub async fn find_user(pool: &Pool, username: &str) -> Result<Option<UserSummary>, DbError> {
    let Ok(name) = normalize_username(username) else {
        return Ok(None);
    };
    let client = pool.get().await?;
    users::find_by_username(&client, &name).await
}

pub async fn count_users(pool: &Pool) -> Result<i64, DbError> {
    let client = pool.get().await?;
    users::count(&client).await
}

/// Creates a user from the command line; `new.must_change_password` is kept as given.
pub async fn add_user(pool: &Pool, actor: &Actor, new: NewUser) -> Result<UserSummary, DbError> {
    insert_user(pool, actor, new).await
}

/// Sets a user's password from the command line. Clears their lockout and ends their sessions.
pub async fn set_password(
    pool: &Pool,
    actor: &Actor,
    username: &str,
    password: &str,
    must_change: bool,
) -> Result<(), DbError> {
    validate_password(password).map_err(DbError::Invalid)?;
    let user = find_user(pool, username)
        .await?
        .ok_or_else(|| unknown_name(username))?;
    let hash = hash_blocking(password.to_string()).await?;
    store_password(pool, actor, user.id, &hash, must_change)
        .await?
        .ok_or_else(|| unknown_name(username))?;
    Ok(())
}

/// Activates or deactivates a user from the command line; deactivation ends their sessions.
pub async fn set_active(
    pool: &Pool,
    actor: &Actor,
    username: &str,
    active: bool,
) -> Result<(), DbError> {
    let user = find_user(pool, username)
        .await?
        .ok_or_else(|| unknown_name(username))?;
    let mut client = pool.get().await?;
    let tx = begin_as(&mut client, actor).await?;
    users::set_active(&tx, user.id, active)
        .await?
        .ok_or_else(|| unknown_name(username))?;
    if !active {
        sessions::delete_for_user(&tx, user.id, None).await?;
    }
    tx.commit().await?;
    Ok(())
}
