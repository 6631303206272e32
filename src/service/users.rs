//! User administration: from the admin screen and from the command line, always in an ADMIN's
//! session, except for creating the first administrator of a database that has no active one.
//!
//! Users are never deleted, only deactivated: order history and the audit trail refer to them. The
//! database's own functions check the same rules again (docs/security.md).

use super::guard::require_role;
use super::{Authed, ServiceCtx, authenticate, hash_blocking};
use crate::db::{Actor, Pool, begin_as, users};
use crate::domain::Role;
use crate::domain::user::{
    NewUser, UserSummary, normalize_badge, normalize_username, validate_password, validate_pin,
};
use crate::error::{Result, ServiceError};
use uuid::Uuid;

pub use crate::domain::user::{CANNOT_CHANGE_OWN_ROLE, CANNOT_DEACTIVATE_SELF, RESET_OWN_PASSWORD};

/// The binding role check for user administration.
fn require_admin(who: &Authed) -> Result<()> {
    require_role(who, &[Role::Admin], "manage users")
}

async fn admin(ctx: &ServiceCtx, token: &str) -> Result<Authed> {
    let who = authenticate(ctx, token).await?;
    require_admin(&who)?;
    Ok(who)
}

fn not_found(id: Uuid) -> ServiceError {
    ServiceError::NotFound(format!("User {id}"))
}

fn taken(username: &str) -> ServiceError {
    ServiceError::Invalid(format!("Username {username} is already taken"))
}

/// Every user, ordered by username (ADMIN).
pub async fn list(ctx: &ServiceCtx, token: &str) -> Result<Vec<UserSummary>> {
    admin(ctx, token).await?;
    let client = ctx.pool.get().await?;
    users::list(&client).await
}

/// Creates a user from the admin screen (ADMIN). The admin chose the password, so the user must
/// change it at first login.
#[tracing::instrument(skip_all, fields(username = %new.username))]
pub async fn create(ctx: &ServiceCtx, token: &str, new: NewUser) -> Result<UserSummary> {
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
) -> Result<UserSummary> {
    let who = admin(ctx, token).await?;
    if user_id == who.user.id {
        return Err(ServiceError::Forbidden(CANNOT_CHANGE_OWN_ROLE.into()));
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
) -> Result<UserSummary> {
    let who = admin(ctx, token).await?;
    if user_id == who.user.id && !active {
        return Err(ServiceError::Forbidden(CANNOT_DEACTIVATE_SELF.into()));
    }
    let mut client = ctx.pool.get().await?;
    let tx = begin_as(&mut client, &who.actor(ctx)).await?;
    let saved = users::set_active(&tx, user_id, active)
        .await?
        .ok_or_else(|| not_found(user_id))?;
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
) -> Result<UserSummary> {
    let who = admin(ctx, token).await?;
    if user_id == who.user.id {
        // Resetting would end the admin's own session; the own-password path checks the current one.
        return Err(ServiceError::Invalid(RESET_OWN_PASSWORD.into()));
    }
    validate_password(&temp_password).map_err(ServiceError::Invalid)?;
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

/// Gives a user a badge with a new PIN, or with `None` takes both away (ADMIN; docs/security.md, Badge
/// and PIN). Clears the user's lockout.
#[tracing::instrument(skip_all, fields(user_id = %user_id))]
pub async fn change_badge(
    ctx: &ServiceCtx,
    token: &str,
    user_id: Uuid,
    badge: Option<(String, String)>,
) -> Result<UserSummary> {
    let who = admin(ctx, token).await?;
    store_badge(ctx, &who.actor(ctx), user_id, badge)
        .await?
        .ok_or_else(|| not_found(user_id))
}

/// Checks the badge and PIN, refuses a badge another user carries, hashes the PIN and stores both (or
/// clears them) as `actor`. `None` when no such user exists.
async fn store_badge(
    ctx: &ServiceCtx,
    actor: &Actor,
    user_id: Uuid,
    badge: Option<(String, String)>,
) -> Result<Option<UserSummary>> {
    let badge = match badge {
        Some((code, pin)) => {
            let code = normalize_badge(&code).map_err(ServiceError::Invalid)?;
            validate_pin(&pin).map_err(ServiceError::Invalid)?;
            let client = ctx.pool.get().await?;
            // Spares a hash; the unique index stays the real guard.
            if users::find_pin_by_badge(&client, &code)
                .await?
                .is_some_and(|a| a.user.id != user_id)
            {
                return Err(ServiceError::Invalid(users::badge_taken(&code)));
            }
            Some((code, hash_blocking(pin).await?))
        }
        None => None,
    };
    let mut client = ctx.pool.get().await?;
    let tx = begin_as(&mut client, actor).await?;
    let saved = users::set_badge(
        &tx,
        user_id,
        badge.as_ref().map(|(c, h)| (c.as_str(), h.as_str())),
    )
    .await?;
    tx.commit().await?;
    tracing::info!(user_id = %user_id, badge = saved.as_ref().is_some_and(|u| u.has_badge), "badge changed");
    Ok(saved)
}

/// Validates, hashes and inserts `new` as `actor`.
async fn insert_user(pool: &Pool, actor: &Actor, new: NewUser) -> Result<UserSummary> {
    let new = new.validated().map_err(ServiceError::Invalid)?;
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

/// Stores a password hash; the database clears the lockout and ends every session of the user.
async fn store_password(
    pool: &Pool,
    actor: &Actor,
    user_id: Uuid,
    hash: &str,
    must_change: bool,
) -> Result<Option<UserSummary>> {
    let mut client = pool.get().await?;
    let tx = begin_as(&mut client, actor).await?;
    let saved = users::set_password(&tx, user_id, hash, must_change).await?;
    tx.commit().await?;
    Ok(saved)
}

fn unknown_name(username: &str) -> ServiceError {
    ServiceError::NotFound(format!("User {username}"))
}

/// Looks up a user by name as typed; an invalid name simply matches nobody.
pub async fn find_user(pool: &Pool, username: &str) -> Result<Option<UserSummary>> {
    let Ok(name) = normalize_username(username) else {
        return Ok(None);
    };
    let client = pool.get().await?;
    users::find_by_username(&client, &name).await
}

pub async fn count_users(pool: &Pool) -> Result<i64> {
    let client = pool.get().await?;
    users::count(&client).await
}

// ------------------------------------------------------------------------------------------------
// The command line
// ------------------------------------------------------------------------------------------------

/// Who makes a command-line change to a user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CliAdmin<'a> {
    /// The session (token) of the administrator named with `--as`.
    Session(&'a str),
    /// No `--as`: allowed only while the database has no active ADMIN.
    FirstAdmin,
}

pub const ADMIN_EXISTS: &str =
    "An active administrator exists; run this command with --as ADMIN_USERNAME";

/// The actor for `by`, after checking that it may administer users; the ADMIN when there is one.
async fn cli_admin(ctx: &ServiceCtx, by: CliAdmin<'_>) -> Result<(Actor, Option<Authed>)> {
    match by {
        CliAdmin::Session(token) => {
            let who = admin(ctx, token).await?;
            Ok((who.actor(ctx), Some(who)))
        }
        CliAdmin::FirstAdmin => {
            let client = ctx.pool.get().await?;
            if users::active_admin_exists(&client).await? {
                return Err(ServiceError::Forbidden(ADMIN_EXISTS.into()));
            }
            Ok((ctx.anonymous(), None))
        }
    }
}

/// Creates a user from the command line; `new.must_change_password` is kept as given.
pub async fn add_user(ctx: &ServiceCtx, by: CliAdmin<'_>, new: NewUser) -> Result<UserSummary> {
    let (actor, _) = cli_admin(ctx, by).await?;
    insert_user(&ctx.pool, &actor, new).await
}

/// Sets a user's password from the command line. Clears their lockout and ends their sessions.
pub async fn set_password(
    ctx: &ServiceCtx,
    by: CliAdmin<'_>,
    username: &str,
    password: &str,
    must_change: bool,
) -> Result<()> {
    validate_password(password).map_err(ServiceError::Invalid)?;
    let (actor, _) = cli_admin(ctx, by).await?;
    let user = find_user(&ctx.pool, username)
        .await?
        .ok_or_else(|| unknown_name(username))?;
    let hash = hash_blocking(password.to_string()).await?;
    store_password(&ctx.pool, &actor, user.id, &hash, must_change)
        .await?
        .ok_or_else(|| unknown_name(username))?;
    Ok(())
}

/// Activates or deactivates a user from the command line; deactivation ends their sessions.
pub async fn set_active(
    ctx: &ServiceCtx,
    by: CliAdmin<'_>,
    username: &str,
    active: bool,
) -> Result<()> {
    let (actor, who) = cli_admin(ctx, by).await?;
    let user = find_user(&ctx.pool, username)
        .await?
        .ok_or_else(|| unknown_name(username))?;
    if !active && who.is_some_and(|w| w.user.id == user.id) {
        return Err(ServiceError::Forbidden(CANNOT_DEACTIVATE_SELF.into()));
    }
    let mut client = ctx.pool.get().await?;
    let tx = begin_as(&mut client, &actor).await?;
    users::set_active(&tx, user.id, active)
        .await?
        .ok_or_else(|| unknown_name(username))?;
    tx.commit().await?;
    Ok(())
}

/// What a command-line badge change does to a user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BadgeChange {
    /// A badge with its PIN.
    Set { badge: String, pin: String },
    /// A new PIN for the badge the user carries.
    Pin(String),
    /// No badge and no PIN.
    Clear,
}

pub const NO_BADGE: &str = "has no badge; give them one with users set-badge";

/// Sets, re-PINs or clears a user's badge from the command line.
pub async fn set_badge(
    ctx: &ServiceCtx,
    by: CliAdmin<'_>,
    username: &str,
    change: BadgeChange,
) -> Result<()> {
    let (actor, _) = cli_admin(ctx, by).await?;
    let user = find_user(&ctx.pool, username)
        .await?
        .ok_or_else(|| unknown_name(username))?;
    let badge = match change {
        BadgeChange::Set { badge, pin } => Some((badge, pin)),
        BadgeChange::Pin(pin) => {
            let client = ctx.pool.get().await?;
            let Some(code) = users::badge_of(&client, user.id).await? else {
                return Err(ServiceError::Invalid(format!(
                    "{} {NO_BADGE}",
                    user.username
                )));
            };
            Some((code, pin))
        }
        BadgeChange::Clear => None,
    };
    store_badge(ctx, &actor, user.id, badge)
        .await?
        .ok_or_else(|| unknown_name(username))?;
    Ok(())
}
