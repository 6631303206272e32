//! A logged-in command-line session: the `--as USERNAME` of the order, service and user commands. It
//! logs in through the service exactly as a station does (lockout, audit and all), so the same role
//! checks apply, and the database attributes every write to the session.

use super::{CliError, cli_actor, policy, prepare, seal_before_exit};
use crate::config::Config;
use crate::error::{Result, ServiceError};
use crate::msg::{Reply, Request, RequestId, ServiceRequest};
use crate::service::{self, ServiceCtx};

/// A station's service context for a command-line verb, on the station's connection.
pub(crate) async fn station_ctx(config: &Config, verb: &str) -> Result<ServiceCtx, CliError> {
    let prepared = prepare(config, &format!("cleanstation/{verb}"), false).await?;
    Ok(ServiceCtx {
        pool: prepared.pool,
        policy: policy(config),
        agent: cli_actor(verb).agent,
        read_pool: None,
    })
}

/// A logged-in command-line session, ended again by [`CliSession::finish`].
pub(crate) struct CliSession {
    pub ctx: ServiceCtx,
    pub token: String,
    pub user: crate::domain::user::UserSummary,
}

/// Service refusals become [`CliError::Refused`]; database trouble stays a failure.
pub(crate) fn refused_or_failed(e: ServiceError) -> CliError {
    match e {
        ServiceError::Invalid(m)
        | ServiceError::Forbidden(m)
        | ServiceError::Conflict(m)
        | ServiceError::SessionEnded(m) => CliError::Refused(m),
        ServiceError::NotFound(_) | ServiceError::NoBom => CliError::Refused(e.to_string()),
        other => CliError::Db(other),
    }
}

async fn request(ctx: &ServiceCtx, kind: Request) -> Result<Reply> {
    service::dispatch(
        ctx,
        ServiceRequest {
            id: RequestId(0),
            kind,
        },
    )
    .await
    .result
}

/// The password of `username`: `$CLEANSTATION_PASSWORD` for scripts, else asked on the terminal.
fn read_login_password(username: &str) -> Result<String, CliError> {
    if let Ok(pw) = std::env::var("CLEANSTATION_PASSWORD") {
        return Ok(pw);
    }
    crate::prompt::read_password(&format!("Password for {username}: "))?.ok_or_else(|| {
        CliError::Usage("No terminal to ask for the password; set CLEANSTATION_PASSWORD".into())
    })
}

impl CliSession {
    /// Asks for the password of `username` and logs in on this station's connection.
    pub async fn open(config: &Config, username: &str, verb: &str) -> Result<CliSession, CliError> {
        let password = read_login_password(username)?;
        let ctx = station_ctx(config, verb).await?;
        CliSession::login(ctx, username, password).await
    }

    /// Logs in with a password already read.
    pub async fn login(
        ctx: ServiceCtx,
        username: &str,
        password: String,
    ) -> Result<CliSession, CliError> {
        let outcome = request(
            &ctx,
            Request::Login {
                username: username.to_string(),
                password,
            },
        )
        .await;
        let reply = match outcome {
            Ok(reply) => reply,
            Err(e) => {
                // A failed login writes too (the lockout counter).
                seal_before_exit(&ctx.pool).await;
                return Err(refused_or_failed(e));
            }
        };
        let Reply::LoggedIn(session) = reply else {
            return Err(CliError::Usage("unexpected reply to the login".into()));
        };
        Ok(CliSession {
            ctx,
            token: session.token,
            user: session.user,
        })
    }

    pub async fn send(&self, kind: Request) -> Result<Reply, CliError> {
        request(&self.ctx, kind).await.map_err(refused_or_failed)
    }

    /// Ends the session whatever the outcome, seals what this command wrote, and passes the outcome on.
    pub async fn finish<T>(self, outcome: Result<T, CliError>) -> Result<T, CliError> {
        let ended = request(
            &self.ctx,
            Request::Logout {
                token: self.token.clone(),
            },
        )
        .await;
        if let Err(e) = ended {
            tracing::warn!(error = %e, "command-line logout failed");
        }
        seal_before_exit(&self.ctx.pool).await;
        outcome
    }
}
