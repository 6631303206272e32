//! Use cases behind every [`Request`]: session checks, role checks and the transactions that carry them out.
//!
//! The screens' role checks are only a courtesy; the ones here are binding. Every write runs in a
//! transaction from [`begin_as`](crate::db::begin_as) carrying the session's token, so the audit
//! trigger names the acting user as the database itself proves it.

pub mod alerts;
pub mod audit_trail;
pub mod auth;
pub mod bom;
pub mod calendar;
mod carry_over;
pub mod catalog;
pub mod comments;
pub mod corrections;
pub mod desk;
pub mod dhr;
pub mod documents;
pub mod export;
mod files;
mod floor;
mod floor_progress;
mod guard;
pub mod holds;
pub mod instructions;
pub mod inventory;
mod moves;
pub mod nonconformance;
pub mod notifications;
pub mod orders;
pub mod packaging;
pub mod qc;
pub mod rejection_reasons;
pub mod reports;
pub mod scan;
pub mod seed;
pub mod service_orders;
pub mod settings;
pub mod signatures;
pub mod tasks;
pub mod templates;
pub mod testing;
pub mod users;

use crate::db::sessions;
use crate::db::{Actor, Pool};
use crate::domain::user::UserSummary;
use crate::error::{Result, ServiceError};
use crate::msg::{Reply, Request, ServiceReply, ServiceRequest};
use uuid::Uuid;

/// Login lockout and session lifetime (docs/lifecycle.md §10, docs/security.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecurityPolicy {
    /// Failed passwords in a row that lock the username.
    pub max_failed_logins: u32,
    pub lockout_minutes: u32,
    /// Absolute session lifetime; activity does not extend it.
    pub session_ttl_hours: u32,
}

impl Default for SecurityPolicy {
    fn default() -> Self {
        SecurityPolicy {
            max_failed_logins: 5,
            lockout_minutes: 15,
            session_ttl_hours: 8,
        }
    }
}

impl SecurityPolicy {
    // Bounded so the SQL interval arithmetic can never overflow on a bad setting.
    pub(crate) fn max_failures_i32(&self) -> i32 {
        i32::try_from(self.max_failed_logins.clamp(1, 1000)).unwrap_or(1000)
    }

    pub(crate) fn lockout_minutes_i32(&self) -> i32 {
        i32::try_from(self.lockout_minutes.clamp(1, 525_600)).unwrap_or(525_600)
    }

    pub(crate) fn ttl_hours_i32(&self) -> i32 {
        i32::try_from(self.session_ttl_hours.clamp(1, 8760)).unwrap_or(8760)
    }
}

/// What every use case needs: the pool, the policy, and the station's name for the audit trail.
#[derive(Clone)]
pub struct ServiceCtx {
    pub pool: Pool,
    pub policy: SecurityPolicy,
    /// `station:<name>`; recorded as the audit agent of every write.
    pub agent: String,
    /// The reporting connection (`database.read_url`), used only for the production reports;
    /// `None`: they read through `pool` (docs/reports.md §4).
    pub read_pool: Option<Pool>,
}

impl ServiceCtx {
    /// The actor for writes made in the session of `token` at this station.
    pub fn actor(&self, token: &str) -> Actor {
        Actor::session(token, self.agent.clone())
    }

    /// The actor for writes no user is accountable for yet (failed logins).
    pub fn anonymous(&self) -> Actor {
        Actor::system(self.agent.clone())
    }
}

/// The user behind a valid session token.
#[derive(Clone, PartialEq, Eq)]
pub struct Authed {
    /// The bearer token the request came with: writes carry it so the database can check the actor.
    pub token: String,
    pub session_id: Uuid,
    pub user: UserSummary,
    pub expires_at: chrono::NaiveDateTime,
    /// `lastUsedAt` is over a minute old.
    pub stale: bool,
}

// The token is a credential: Debug leaves it out.
impl std::fmt::Debug for Authed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Authed")
            .field("session_id", &self.session_id)
            .field("user", &self.user)
            .field("expires_at", &self.expires_at)
            .field("stale", &self.stale)
            .finish_non_exhaustive()
    }
}

impl Authed {
    pub fn actor(&self, ctx: &ServiceCtx) -> Actor {
        ctx.actor(&self.token)
    }
}

pub const SESSION_ENDED: &str = "Your session has ended; please log in again";
pub const SESSION_EXPIRED: &str = "Your session expired; please log in again";

/// Resolves a bearer token to its user, or says why the station must return to the login screen.
///
/// Expired sessions are deleted on sight; a deactivated user's sessions are already gone, but the
/// active flag is checked again so a race with deactivation cannot slip through.
pub async fn authenticate(ctx: &ServiceCtx, token: &str) -> Result<Authed> {
    let hash = crate::auth::sha256_hex(token.as_bytes());
    let mut client = ctx.pool.get().await?;
    let Some(rec) = sessions::find_by_token_hash(&client, &hash).await? else {
        return Err(ServiceError::SessionEnded(SESSION_ENDED.into()));
    };
    if rec.expired {
        let tx = crate::db::begin_as(&mut client, &ctx.actor(token)).await?;
        sessions::close(&tx, token).await?;
        tx.commit().await?;
        return Err(ServiceError::SessionEnded(SESSION_EXPIRED.into()));
    }
    if !rec.user.is_active {
        return Err(ServiceError::SessionEnded(SESSION_ENDED.into()));
    }
    Ok(Authed {
        token: token.to_string(),
        session_id: rec.id,
        user: rec.user,
        expires_at: rec.expires_at,
        stale: rec.stale,
    })
}

/// Hashes off the async threads: argon2 takes tens of milliseconds of CPU.
pub(crate) async fn hash_blocking(password: String) -> Result<String> {
    tokio::task::spawn_blocking(move || crate::auth::hash_password(&password))
        .await
        .map_err(|e| ServiceError::Query(format!("password hashing task failed: {e}")))?
        .map_err(|e| ServiceError::Query(e.to_string()))
}

/// Verifies off the async threads; `None` for the hash spends the same time and fails.
pub(crate) async fn verify_blocking(password: String, hash: Option<String>) -> Result<bool> {
    tokio::task::spawn_blocking(move || match hash {
        Some(h) => crate::auth::verify_password(&password, &h),
        None => crate::auth::verify_dummy(&password),
    })
    .await
    .map_err(|e| ServiceError::Query(format!("password verification task failed: {e}")))
}

/// Runs one request and wraps its outcome for the screen that sent it.
#[tracing::instrument(skip_all, fields(req = req.id.0))]
/// [`dispatch`] waiting at most `timeout` for the answer: a database that is frozen rather than down
/// gives [`ServiceError::NotAnswering`] (README, *Configuration*, `database.request_timeout_seconds`).
/// The request is dropped at the deadline, which rolls back what it had not committed.
pub async fn dispatch_within(
    ctx: &ServiceCtx,
    req: ServiceRequest,
    timeout: std::time::Duration,
) -> ServiceReply {
    let id = req.id;
    match tokio::time::timeout(timeout, dispatch(ctx, req)).await {
        Ok(reply) => reply,
        Err(_) => {
            tracing::warn!(
                timeout_ms = timeout.as_millis() as u64,
                "request not answered"
            );
            ServiceReply {
                id,
                result: Err(ServiceError::NotAnswering),
            }
        }
    }
}

pub async fn dispatch(ctx: &ServiceCtx, req: ServiceRequest) -> ServiceReply {
    // The Debug of `Request` leaves out passwords and tokens.
    tracing::debug!(kind = ?req.kind, "request");
    let result = run(ctx, req.kind).await;
    match &result {
        Ok(_) => {}
        Err(e @ (ServiceError::Unavailable(_) | ServiceError::Query(_))) => {
            tracing::warn!(error = %e, "request failed");
        }
        Err(e) => tracing::info!(error = %e, "request refused"),
    }
    ServiceReply { id: req.id, result }
}

async fn run(ctx: &ServiceCtx, kind: Request) -> Result<Reply> {
    match kind {
        Request::Login { username, password } => auth::login(ctx, &username, password)
            .await
            .map(Reply::LoggedIn),
        Request::LoginBadge {
            badge,
            pin,
            previous,
        } => auth::login_badge(ctx, &badge, pin, previous)
            .await
            .map(Reply::LoggedIn),
        Request::Unlock { token, password } => auth::unlock(ctx, &token, password)
            .await
            .map(|()| Reply::Unlocked),
        Request::Logout { token } => auth::logout(ctx, &token).await.map(|()| Reply::LoggedOut),
        Request::Heartbeat { token } => auth::heartbeat(ctx, &token).await.map(Reply::Heartbeat),
        Request::ChangePassword {
            token,
            current,
            new,
        } => auth::change_password(ctx, &token, current, new)
            .await
            .map(|()| Reply::PasswordChanged),
        Request::ListUsers { token } => users::list(ctx, &token).await.map(Reply::Users),
        Request::CreateUser { token, user } => {
            users::create(ctx, &token, user).await.map(Reply::UserSaved)
        }
        Request::SetRole {
            token,
            user_id,
            role,
        } => users::change_role(ctx, &token, user_id, role)
            .await
            .map(Reply::UserSaved),
        Request::SetActive {
            token,
            user_id,
            active,
        } => users::change_active(ctx, &token, user_id, active)
            .await
            .map(Reply::UserSaved),
        Request::ResetPassword {
            token,
            user_id,
            temp_password,
        } => users::reset_password(ctx, &token, user_id, temp_password)
            .await
            .map(Reply::UserSaved),
        Request::SetBadge {
            token,
            user_id,
            badge,
            pin,
        } => users::change_badge(ctx, &token, user_id, Some((badge, pin)))
            .await
            .map(Reply::UserSaved),
        Request::ClearBadge { token, user_id } => users::change_badge(ctx, &token, user_id, None)
            .await
            .map(Reply::UserSaved),
        Request::Notifications { token } => notifications::list(ctx, &token)
            .await
            .map(Reply::Notifications),
        Request::MarkNotificationsRead { token, ids } => {
            notifications::mark_read(ctx, &token, &ids)
                .await
                .map(|()| Reply::Done)
        }
        order @ (Request::WizardContext { .. }
        | Request::CheckNumbers { .. }
        | Request::CheckAttachment { .. }
        | Request::PreviewBom { .. }
        | Request::CreateOrder { .. }
        | Request::SaveDraft { .. }
        | Request::DiscardDraft { .. }
        | Request::ListOrders { .. }
        | Request::OrderRows { .. }
        | Request::OrderDetail { .. }
        | Request::Transition { .. }
        | Request::Assign { .. }
        | Request::UsersWithRole { .. }
        | Request::UpdateBuild { .. }
        | Request::ApproveBom { .. }
        | Request::RegenerateBom { .. }) => orders::handle(ctx, order).await,
        bom @ (Request::BomVersions { .. } | Request::BomDocument { .. }) => {
            bom::handle(ctx, bom).await
        }
        Request::ExportBom {
            token,
            order_id,
            format,
            dir,
        } => export::export_bom(ctx, &token, order_id, format, &dir)
            .await
            .map(Reply::Exported),
        Request::ExportDhr {
            token,
            order_id,
            dir,
        } => dhr::export_dhr(ctx, &token, order_id, &dir)
            .await
            .map(Reply::Exported),
        inventory @ (Request::Inventory { .. } | Request::WhereUsed { .. }) => {
            inventory::handle(ctx, inventory).await
        }
        qc @ (Request::QcForm { .. }
        | Request::SaveQcDraft { .. }
        | Request::SubmitQc { .. }
        | Request::DiscardQcDraft { .. }
        | Request::QcHistory { .. }
        | Request::QcResult { .. }
        | Request::QcCertificate { .. }) => qc::handle(ctx, qc).await,
        Request::TaskList { token, order_id } => tasks::task_list(ctx, &token, order_id)
            .await
            .map(|l| Reply::TaskList(Box::new(l))),
        Request::CompleteTask {
            token,
            task_id,
            completion,
        } => tasks::complete_task(ctx, &token, task_id, completion)
            .await
            .map(|t| Reply::Task(Box::new(t))),
        Request::ReopenTask { token, task_id } => tasks::reopen_task(ctx, &token, task_id)
            .await
            .map(|t| Reply::Task(Box::new(t))),
        Request::AddTaskNote {
            token,
            task_id,
            note,
        } => tasks::add_note(ctx, &token, task_id, &note)
            .await
            .map(|t| Reply::Task(Box::new(t))),
        Request::TestingForm { token, order_id } => testing::testing_form(ctx, &token, order_id)
            .await
            .map(|f| Reply::TestingForm(Box::new(f))),
        Request::SaveTestingDraft {
            token,
            order_id,
            answers,
        } => testing::save_testing_draft(ctx, &token, order_id, answers)
            .await
            .map(Reply::TestingDraftSaved),
        Request::SubmitTesting {
            token,
            order_id,
            answers,
            password,
        } => testing::submit_testing(ctx, &token, order_id, answers, password)
            .await
            .map(Reply::TestingSubmitted),
        Request::Signatures { token, order_id } => signatures::of_build(ctx, &token, order_id)
            .await
            .map(Reply::Signatures),
        Request::Packaging { token, order_id } => packaging::packaging(ctx, &token, order_id)
            .await
            .map(|p| Reply::Packaging(Box::new(p))),
        Request::SetPacked {
            token,
            item_id,
            packed,
        } => packaging::set_packed(ctx, &token, item_id, packed)
            .await
            .map(|p| Reply::Packaging(Box::new(p))),
        Request::SetMounted {
            token,
            item_id,
            mounted,
        } => packaging::set_mounted(ctx, &token, item_id, mounted)
            .await
            .map(|p| Reply::Packaging(Box::new(p))),
        admin @ (Request::WorkInstructions { .. }
        | Request::SaveWorkInstruction { .. }
        | Request::SaveTool { .. }
        | Request::WorkInstructionRevisions { .. }) => instructions::handle(ctx, admin).await,
        so @ (Request::SubmitServiceOrder { .. }
        | Request::ServiceOrders { .. }
        | Request::ServiceOrder { .. }
        | Request::WithdrawServiceOrder { .. }
        | Request::ApproveServiceOrder { .. }
        | Request::RejectServiceOrder { .. }
        | Request::FulfilServiceOrder { .. }) => service_orders::handle(ctx, so).await,
        desk @ (Request::OrderDesk { .. }
        | Request::PartsShortage { .. }
        | Request::ExportShortage { .. }) => desk::handle(ctx, desk).await,
        trail @ (Request::BuildHistory { .. }
        | Request::AuditLog { .. }
        | Request::ExportAuditLog { .. }
        | Request::VerifyAudit { .. }) => audit_trail::handle(ctx, trail).await,
        nc @ (Request::OpenNonconformances { .. }
        | Request::Nonconformance { .. }
        | Request::RaiseNonconformance { .. }
        | Request::DispositionNonconformance { .. }
        | Request::CloseNonconformance { .. }) => nonconformance::handle(ctx, nc).await,
        Request::FindScanned { token, scan } => {
            scan::find(ctx, &token, &scan).await.map(Reply::Scanned)
        }
        comment @ (Request::BuildComments { .. }
        | Request::PostComment { .. }
        | Request::EditComment { .. }
        | Request::ResolveComment { .. }) => comments::handle(ctx, comment).await,
        docs @ (Request::Documents { .. }
        | Request::AttachDocument { .. }
        | Request::SaveDocumentCopy { .. }) => documents::handle(ctx, docs).await,
        hold @ (Request::CheckHold { .. }
        | Request::PlaceHold { .. }
        | Request::ReleaseHold { .. }) => holds::handle(ctx, hold).await,
        report @ (Request::Report { .. } | Request::ExportReport { .. }) => {
            reports::handle(ctx, report).await
        }
        setting @ (Request::Settings { .. } | Request::SetSetting { .. }) => {
            settings::handle(ctx, setting).await
        }
        Request::Today { token } => calendar::today(ctx, &token).await.map(Reply::Today),
        fix @ (Request::CorrectOrder { .. } | Request::CancelOrder { .. }) => {
            corrections::handle(ctx, fix).await
        }
        reasons @ (Request::RejectionReasons { .. }
        | Request::SaveRejectionReason { .. }
        | Request::SetRejectionReasonActive { .. }) => {
            rejection_reasons::handle(ctx, reasons).await
        }
        template @ (Request::TemplateVersions { .. }
        | Request::TemplateVersion { .. }
        | Request::SaveTemplateVersion { .. }
        | Request::ActivateTemplateVersion { .. }
        | Request::PreviewTemplate { .. }) => templates::handle(ctx, template).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_policy_matches_the_documented_one() {
        let p = SecurityPolicy::default();
        assert_eq!(
            (p.max_failed_logins, p.lockout_minutes, p.session_ttl_hours),
            (5, 15, 8)
        );
    }

    #[test]
    fn policy_bounds() {
        let p = SecurityPolicy {
            max_failed_logins: 0,
            lockout_minutes: u32::MAX,
            session_ttl_hours: u32::MAX,
        };
        assert_eq!(p.max_failures_i32(), 1);
        assert_eq!(p.lockout_minutes_i32(), 525_600);
        assert_eq!(p.ttl_hours_i32(), 8760);
    }
}
