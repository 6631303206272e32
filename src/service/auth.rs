//! Login (by username and password, or by badge and PIN), station unlock, logout, heartbeat and
//! password change.
//!
//! Failed passwords are counted per lower-cased username in `"LoginThrottle"`, whether or not the user
//! exists, so neither the messages nor the lockout reveal which usernames are real.

use super::{Authed, ServiceCtx, authenticate, hash_blocking, verify_blocking};
use crate::auth::{new_session_token, sha256_hex};
use crate::db::sessions::Throttle;
use crate::db::{begin_as, notifications, sessions, users};
use crate::domain::session::Session;
use crate::domain::user::{UserSummary, normalize_badge, normalize_username, validate_password};
use crate::error::{Result, ServiceError};
use crate::msg::HeartbeatInfo;
use chrono::{NaiveDateTime, Timelike};

pub const LOGIN_FAILED: &str = "Username or password incorrect";
pub const PASSWORD_INCORRECT: &str = "Password incorrect";
pub const CURRENT_PASSWORD_INCORRECT: &str = "Current password incorrect";
pub const PASSWORD_UNCHANGED: &str = "The new password must differ from the current one";
/// Every refusal of a badge login: unknown badge, inactive user or wrong PIN.
pub const BADGE_FAILED: &str = "Badge or PIN not accepted";

/// `Too many failed attempts; try again after HH:MM CET`, the unlock time in the plant's local time
/// with its zone (docs/lifecycle.md §6.9), rounded up to the minute so that trying at the stated time
/// always works.
pub fn lock_message(until: NaiveDateTime) -> String {
    let shown = if until.second() > 0 || until.nanosecond() > 0 {
        until + chrono::Duration::minutes(1)
    } else {
        until
    };
    format!(
        "Too many failed attempts; try again after {}",
        crate::domain::clock::local_clock(shown)
    )
}

/// Checks the credentials and opens a session. Every refusal is a [`ServiceError::Invalid`] whose message
/// is the same for an unknown user, an inactive user and a wrong password, and costs the same argon2
/// work. A check is reserved against the lockout before the password is checked, so parallel attempts
/// never check more passwords than the lockout allows.
#[tracing::instrument(skip_all)]
pub async fn login(ctx: &ServiceCtx, username: &str, password: String) -> Result<Session> {
    let Ok(name) = normalize_username(username) else {
        // No such user can exist; spend the same time as a real check.
        verify_blocking(password, None).await?;
        return Err(ServiceError::Invalid(LOGIN_FAILED.into()));
    };
    let mut client = ctx.pool.get().await?;
    if let Some(until) = throttle(ctx, &mut client, &name, Throttle::Reserve).await? {
        return Err(ServiceError::Invalid(lock_message(until)));
    }
    let (user, hash) = match users::find_auth_by_username(&client, &name).await? {
        Some(a) if a.user.is_active => (Some(a.user), Some(a.password_hash)),
        _ => (None, None),
    };
    let ok = verify_blocking(password, hash).await?;
    let user = match user {
        Some(u) if ok => u,
        _ => {
            let locked = throttle(ctx, &mut client, &name, Throttle::Failed).await?;
            tracing::info!(locked = locked.is_some(), "login refused");
            return Err(ServiceError::Invalid(
                locked.map_or_else(|| LOGIN_FAILED.to_string(), lock_message),
            ));
        }
    };

    open_session(ctx, &mut client, user, None).await
}

/// Opens a session for `user`, whose credentials were just checked, and ends the session `ending`
/// (the one a badge replaces at a locked station) in the same transaction.
async fn open_session(
    ctx: &ServiceCtx,
    client: &mut deadpool_postgres::Client,
    user: UserSummary,
    ending: Option<&str>,
) -> Result<Session> {
    let token = new_session_token().map_err(|e| ServiceError::Query(e.to_string()))?;
    let tx = begin_as(client, &ctx.actor(&token)).await?;
    if let Some(old) = ending {
        sessions::close(&tx, old).await?;
    }
    let opened = sessions::open(&tx, user.id, &token, ctx.policy.ttl_hours_i32()).await?;
    tx.commit().await?;
    tracing::info!(user_id = %user.id, replaced = ending.is_some(), "logged in");
    Ok(Session {
        token,
        user: UserSummary {
            last_login_at: opened.last_login_at,
            ..user
        },
        expires_at: opened.expires_at,
    })
}

/// The login counter of a badge no active user carries: a name no username can take (usernames have
/// no ':'), so an unknown badge locks exactly like a known one and the lockout tells nothing.
fn unknown_badge_key(badge: &str) -> String {
    let digest = sha256_hex(badge.trim().to_ascii_uppercase().as_bytes());
    format!("badge:{}", digest.get(..40).unwrap_or(&digest))
}

/// Logs in with a badge and its PIN (docs/security.md, Badge and PIN). Every refusal reads
/// [`BADGE_FAILED`] (or the lock message) and costs the same argon2 work, whether the badge is unknown,
/// its user inactive or the PIN wrong; a known badge's failures count toward its user's lockout.
///
/// `previous` is the session of a locked station: the badge of its own user continues that session
/// (the same token comes back); another user's badge ends it and opens a new one. A failure that locks
/// the previous session's own user ends that session, as a wrong password at the lock does.
#[tracing::instrument(skip_all)]
pub async fn login_badge(
    ctx: &ServiceCtx,
    badge: &str,
    pin: String,
    previous: Option<String>,
) -> Result<Session> {
    let mut client = ctx.pool.get().await?;
    let found = match normalize_badge(badge) {
        Ok(code) => users::find_pin_by_badge(&client, &code).await?,
        Err(_) => None,
    };
    let key = found
        .as_ref()
        .map_or_else(|| unknown_badge_key(badge), |a| a.user.username.clone());
    if let Some(until) = throttle(ctx, &mut client, &key, Throttle::Reserve).await? {
        return Err(ServiceError::Invalid(lock_message(until)));
    }
    let (user, hash) = match found {
        Some(a) if a.user.is_active => (Some(a.user), a.pin_hash),
        _ => (None, None),
    };
    let ok = verify_blocking(pin, hash).await?;
    let previous = match previous {
        Some(token) => authenticate(ctx, &token).await.ok(),
        None => None,
    };
    let user = match user {
        Some(u) if ok => u,
        _ => {
            let locked = throttle(ctx, &mut client, &key, Throttle::Failed).await?;
            tracing::info!(locked = locked.is_some(), "badge login refused");
            if let (Some(until), Some(p)) = (locked, &previous)
                && p.user.username == key
            {
                let tx = begin_as(&mut client, &p.actor(ctx)).await?;
                sessions::close(&tx, &p.token).await?;
                tx.commit().await?;
                return Err(ServiceError::SessionEnded(lock_message(until)));
            }
            return Err(ServiceError::Invalid(
                locked.map_or_else(|| BADGE_FAILED.to_string(), lock_message),
            ));
        }
    };
    match previous {
        Some(p) if p.user.id == user.id => {
            let tx = begin_as(&mut client, &p.actor(ctx)).await?;
            sessions::succeeded(&tx, &p.token).await?;
            sessions::touch(&tx, &p.token).await?;
            tx.commit().await?;
            tracing::info!(user_id = %user.id, "station unlocked by badge");
            Ok(Session {
                token: p.token,
                user: p.user,
                expires_at: p.expires_at,
            })
        }
        p => open_session(ctx, &mut client, user, p.as_ref().map(|p| p.token.as_str())).await,
    }
}

/// Runs a step of `name`'s login counter (nobody is accountable for it yet: the audit row names the
/// station only). `Some(until)` when the name is locked.
async fn throttle(
    ctx: &ServiceCtx,
    client: &mut deadpool_postgres::Client,
    name: &str,
    step: Throttle,
) -> Result<Option<NaiveDateTime>> {
    let tx = begin_as(client, &ctx.anonymous()).await?;
    let locked = sessions::throttle(
        &tx,
        step,
        name,
        ctx.policy.max_failures_i32(),
        ctx.policy.lockout_minutes_i32(),
    )
    .await?;
    tx.commit().await?;
    Ok(locked)
}

/// Re-checks the password of a logged-in user (station unlock, password change, e-signature).
///
/// A wrong password counts toward the lockout like a failed login and gives `wrong`; the failure that
/// reaches the limit also ends this session ([`ServiceError::SessionEnded`] with the lock message). While the
/// username is locked (by attempts at any station) the password is not checked at all.
pub async fn confirm_password(
    ctx: &ServiceCtx,
    who: &Authed,
    password: String,
    wrong: &str,
) -> Result<()> {
    let mut client = ctx.pool.get().await?;
    if let Some(until) = throttle(ctx, &mut client, &who.user.username, Throttle::Reserve).await? {
        return Err(ServiceError::Invalid(lock_message(until)));
    }
    let hash = users::find_auth_by_id(&client, who.user.id)
        .await?
        .map(|a| a.password_hash);
    let ok = verify_blocking(password, hash).await?;
    if ok {
        let tx = begin_as(&mut client, &who.actor(ctx)).await?;
        sessions::succeeded(&tx, &who.token).await?;
        sessions::touch(&tx, &who.token).await?;
        tx.commit().await?;
        return Ok(());
    }
    if let Some(until) = throttle(ctx, &mut client, &who.user.username, Throttle::Failed).await? {
        let tx = begin_as(&mut client, &who.actor(ctx)).await?;
        sessions::close(&tx, &who.token).await?;
        tx.commit().await?;
        tracing::info!(user_id = %who.user.id, "password re-entry locked the account; session ended");
        return Err(ServiceError::SessionEnded(lock_message(until)));
    }
    Err(ServiceError::Invalid(wrong.to_string()))
}

/// Unlocks an idle-locked station for the session's own user.
#[tracing::instrument(skip_all)]
pub async fn unlock(ctx: &ServiceCtx, token: &str, password: String) -> Result<()> {
    let who = authenticate(ctx, token).await?;
    confirm_password(ctx, &who, password, PASSWORD_INCORRECT).await
}

/// Ends the session. An unknown or already ended token is not an error: the station is logged out either way.
#[tracing::instrument(skip_all)]
pub async fn logout(ctx: &ServiceCtx, token: &str) -> Result<()> {
    // Closing an unknown token deletes nothing.
    let mut client = ctx.pool.get().await?;
    let tx = begin_as(&mut client, &ctx.actor(token)).await?;
    sessions::close(&tx, token).await?;
    tx.commit().await?;
    Ok(())
}

/// Confirms the session is still valid and reports the unread notification count; first runs the
/// deadline sweep when its gate is open (docs/alerts.md §3), so alerts it raises are counted at once.
pub async fn heartbeat(ctx: &ServiceCtx, token: &str) -> Result<HeartbeatInfo> {
    let who = authenticate(ctx, token).await?;
    super::alerts::sweep_quietly(ctx, &who).await;
    let client = ctx.pool.get().await?;
    // Refreshing lastUsedAt once a minute is enough.
    if who.stale {
        sessions::touch(&client, token).await?;
    }
    let unread_notifications = notifications::count_unread(&client, who.user.id).await?;
    Ok(HeartbeatInfo {
        unread_notifications,
    })
}

/// Changes the session user's own password; their other sessions end, this one stays.
#[tracing::instrument(skip_all)]
pub async fn change_password(
    ctx: &ServiceCtx,
    token: &str,
    current: String,
    new: String,
) -> Result<()> {
    let who = authenticate(ctx, token).await?;
    // Checked first so a rejected new password does not cost a lockout attempt.
    validate_password(&new).map_err(ServiceError::Invalid)?;
    if new == current {
        return Err(ServiceError::Invalid(PASSWORD_UNCHANGED.into()));
    }
    confirm_password(ctx, &who, current, CURRENT_PASSWORD_INCORRECT).await?;
    let hash = hash_blocking(new).await?;
    let mut client = ctx.pool.get().await?;
    let tx = begin_as(&mut client, &who.actor(ctx)).await?;
    users::set_password(&tx, who.user.id, &hash, false)
        .await?
        .ok_or_else(|| ServiceError::SessionEnded(super::SESSION_ENDED.into()))?;
    tx.commit().await?;
    tracing::info!(user_id = %who.user.id, "password changed");
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn lock_message_rounds_up_to_the_minute() {
        let at = |h, m, s| {
            chrono::NaiveDate::from_ymd_opt(2025, 3, 4)
                .unwrap()
                .and_hms_opt(h, m, s)
                .unwrap()
        };
        let zone = crate::domain::clock::plant_zone();
        assert_eq!(
            lock_message(at(14, 37, 0)),
            format!("Too many failed attempts; try again after 14:37 {zone}")
        );
        assert_eq!(
            lock_message(at(14, 37, 1)),
            format!("Too many failed attempts; try again after 14:38 {zone}")
        );
        assert_eq!(
            lock_message(at(23, 59, 30)),
            format!("Too many failed attempts; try again after 00:00 {zone}")
        );
    }
}
