//! `cleanstation user add|passwd|deactivate|activate|set-badge|set-pin|clear-badge`: user administration from the command line, in an
//! administrator's session (`--as ADMIN_USERNAME`). Without `--as` they work only while the database
//! has no active ADMIN, to create the first one (docs/security.md). Every refusal exits with status 2
//! and changes nothing; every change names the acting administrator in the audit trail.

use super::session::{CliSession, refused_or_failed, station_ctx};
use super::{CliError, seal_before_exit};
use crate::config::Config;
use crate::domain::Role;
use crate::domain::user::NewUser;
use crate::service::ServiceCtx;
use crate::service::users::{self as service_users, BadgeChange, CliAdmin};

pub struct UserAdd {
    pub username: String,
    pub role: String,
    pub full_name: String,
    pub initials: String,
    pub must_change: bool,
}

/// Runs `change` as the administrator `as_user` (logged in first) or, without one, on the
/// first-administrator path; seals what was written either way.
async fn as_admin<T, F, Fut>(
    config: &Config,
    verb: &str,
    as_user: Option<&str>,
    change: F,
) -> Result<T, CliError>
where
    F: FnOnce(ServiceCtx, Option<String>) -> Fut,
    Fut: std::future::Future<Output = Result<T, crate::error::ServiceError>>,
{
    match as_user {
        Some(admin) => {
            let session = CliSession::open(config, admin, verb).await?;
            let outcome = change(session.ctx.clone(), Some(session.token.clone())).await;
            session.finish(outcome.map_err(refused_or_failed)).await
        }
        None => {
            let ctx = station_ctx(config, verb).await?;
            let pool = ctx.pool.clone();
            let outcome = change(ctx, None).await;
            seal_before_exit(&pool).await;
            outcome.map_err(refused_or_failed)
        }
    }
}

fn by(token: Option<&str>) -> CliAdmin<'_> {
    token.map_or(CliAdmin::FirstAdmin, CliAdmin::Session)
}

/// `user add NAME --role R --full-name "…" --initials XX [--must-change] [--as ADMIN]`.
pub async fn user_add(
    config: &Config,
    args: UserAdd,
    as_user: Option<&str>,
) -> Result<String, CliError> {
    let role = Role::parse(&args.role).ok_or_else(|| {
        CliError::Refused(format!(
            "Unknown role {}; use one of: {}",
            args.role,
            Role::ALL.map(Role::code).join(", ")
        ))
    })?;
    // Checked before any password is asked for.
    let draft = NewUser {
        username: args.username,
        full_name: args.full_name,
        initials: args.initials,
        role,
        password: "x".repeat(crate::domain::user::MIN_PASSWORD_LEN),
        must_change_password: args.must_change,
    }
    .validated()
    .map_err(CliError::Refused)?;
    let password = read_new_password()?;
    let new = NewUser { password, ..draft };
    let user = as_admin(config, "user add", as_user, |ctx, token| async move {
        service_users::add_user(&ctx, by(token.as_deref()), new).await
    })
    .await?;
    Ok(format!(
        "Created {} ({}, {}).",
        user.username, user.full_name, user.role
    ))
}

/// `user passwd NAME [--as ADMIN]`.
pub async fn user_passwd(
    config: &Config,
    username: &str,
    as_user: Option<&str>,
) -> Result<String, CliError> {
    let password = read_new_password()?;
    let name = username.to_string();
    as_admin(config, "user passwd", as_user, |ctx, token| async move {
        service_users::set_password(&ctx, by(token.as_deref()), &name, &password, false).await
    })
    .await?;
    Ok(format!(
        "Password of {username} changed; the lockout is cleared and their sessions ended."
    ))
}

/// `user deactivate NAME` / `user activate NAME` `[--as ADMIN]`.
pub async fn user_set_active(
    config: &Config,
    username: &str,
    active: bool,
    as_user: Option<&str>,
) -> Result<String, CliError> {
    let verb = if active {
        "user activate"
    } else {
        "user deactivate"
    };
    let name = username.to_string();
    as_admin(config, verb, as_user, |ctx, token| async move {
        service_users::set_active(&ctx, by(token.as_deref()), &name, active).await
    })
    .await?;
    Ok(if active {
        format!("{username} is active again.")
    } else {
        format!("{username} is deactivated; their sessions ended.")
    })
}

/// What `user set-badge|set-pin|clear-badge` does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BadgeVerb {
    /// A badge with this code, and a PIN asked for.
    Set(String),
    /// A PIN asked for, for the badge the user carries.
    Pin,
    Clear,
}

/// `user set-badge NAME CODE`, `user set-pin NAME`, `user clear-badge NAME` `[--as ADMIN]`.
pub async fn user_badge(
    config: &Config,
    username: &str,
    verb: BadgeVerb,
    as_user: Option<&str>,
) -> Result<String, CliError> {
    let (name, change, done) = match verb {
        BadgeVerb::Set(code) => {
            // Checked before any PIN is asked for.
            let code = crate::domain::user::normalize_badge(&code).map_err(CliError::Refused)?;
            let done = format!("{username} carries badge {code} with the PIN given.");
            let pin = read_new_pin()?;
            (
                "user set-badge",
                BadgeChange::Set { badge: code, pin },
                done,
            )
        }
        BadgeVerb::Pin => (
            "user set-pin",
            BadgeChange::Pin(read_new_pin()?),
            format!("PIN of {username} changed."),
        ),
        BadgeVerb::Clear => (
            "user clear-badge",
            BadgeChange::Clear,
            format!("{username} has no badge and no PIN now."),
        ),
    };
    let user = username.to_string();
    as_admin(config, name, as_user, |ctx, token| async move {
        service_users::set_badge(&ctx, by(token.as_deref()), &user, change).await
    })
    .await?;
    Ok(done)
}

/// Reads a new PIN: `$CLEANSTATION_NEW_PIN` for scripts, else asked twice on the terminal, unechoed.
fn read_new_pin() -> Result<String, CliError> {
    use crate::domain::user::{validate_new_pin, validate_pin};
    if let Ok(pin) = std::env::var("CLEANSTATION_NEW_PIN") {
        validate_pin(&pin).map_err(CliError::Refused)?;
        return Ok(pin);
    }
    let first = crate::prompt::read_password("New PIN: ")?.ok_or_else(|| {
        CliError::Usage("No terminal to ask for the new PIN; set CLEANSTATION_NEW_PIN".into())
    })?;
    validate_pin(&first).map_err(CliError::Refused)?;
    let second = crate::prompt::read_password("Repeat it: ")?.unwrap_or_default();
    validate_new_pin(&first, &second).map_err(CliError::Refused)?;
    Ok(first)
}

/// Reads a new password: `$CLEANSTATION_NEW_PASSWORD` for scripts, else asked twice on the terminal.
/// (`$CLEANSTATION_PASSWORD` is the acting administrator's own password.)
fn read_new_password() -> Result<String, CliError> {
    if let Ok(pw) = std::env::var("CLEANSTATION_NEW_PASSWORD") {
        crate::domain::user::validate_password(&pw).map_err(CliError::Refused)?;
        return Ok(pw);
    }
    let first = crate::prompt::read_password("New password: ")?.ok_or_else(|| {
        CliError::Usage(
            "No terminal to ask for the new password; set CLEANSTATION_NEW_PASSWORD".into(),
        )
    })?;
    crate::domain::user::validate_password(&first).map_err(CliError::Refused)?;
    let second = crate::prompt::read_password("Repeat it: ")?.unwrap_or_default();
    if first != second {
        return Err(CliError::Refused(
            "The passwords differ; nothing was changed".into(),
        ));
    }
    Ok(first)
}
