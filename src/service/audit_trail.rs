//! The audit trail on screen (docs/audit.md §6): a build's history for everyone who may see the build,
//! and for ADMIN the whole audit log, its CSV export and `audit verify`.

use super::files::station_dir;
use super::guard::{order_not_found, require_role, require_viewer};
use super::{Authed, ServiceCtx, authenticate};
use crate::db::Client;
use crate::db::audit::{self, Problem, VerifyReport, trail};
use crate::domain::Role;
use crate::domain::audit_trail::{BuildHistory, HistoryQuery, LogFilter, LogQuery, VerifyOutcome};
use crate::error::{Result, ServiceError};
use crate::export::audit_csv;
use crate::export::write::{StreamedFile, WriteError};
use crate::msg::{Reply, Request};
use std::path::PathBuf;
use uuid::Uuid;

/// Rows a screen may ask for at once.
const MAX_PAGE: i64 = 200;
/// Rows the export reads per query: the file is written a page at a time, never held whole.
const EXPORT_PAGE: i64 = 500;

pub async fn handle(ctx: &ServiceCtx, req: Request) -> Result<Reply> {
    match req {
        Request::BuildHistory {
            token,
            order_id,
            query,
        } => build_history(ctx, &token, order_id, query)
            .await
            .map(|h| Reply::BuildHistory(Box::new(h))),
        Request::AuditLog { token, query } => audit_log(ctx, &token, query)
            .await
            .map(|p| Reply::AuditLog(Box::new(p))),
        Request::ExportAuditLog { token, filter, dir } => {
            export_audit_log(ctx, &token, filter, &dir)
                .await
                .map(|p| Reply::Exported(vec![p]))
        }
        Request::VerifyAudit { token } => verify_audit(ctx, &token)
            .await
            .map(|v| Reply::AuditVerified(Box::new(v))),
        _ => Err(ServiceError::Invalid("not a request of this module".into())),
    }
}

/// The audit log is the administrator's (docs/audit.md §6.4).
fn require_admin(who: &Authed) -> Result<()> {
    require_role(who, &[Role::Admin], "see the audit log")
}

fn page_limit(limit: i64) -> i64 {
    limit.clamp(1, MAX_PAGE)
}

/// One page of the build's history; with the newest page, the people in it.
pub async fn build_history(
    ctx: &ServiceCtx,
    token: &str,
    order_id: Uuid,
    query: HistoryQuery,
) -> Result<BuildHistory> {
    let who = authenticate(ctx, token).await?;
    require_viewer(&who)?;
    let client = ctx.pool.get().await?;
    let build_number = trail::build_number(&client, order_id)
        .await?
        .ok_or_else(order_not_found)?;
    let query = HistoryQuery {
        limit: page_limit(query.limit),
        ..query
    };
    let page = trail::build_history(&client, order_id, &query).await?;
    let people = match query.before {
        None => Some(trail::build_people(&client, order_id).await?),
        Some(_) => None,
    };
    Ok(BuildHistory {
        build_number,
        page,
        people,
    })
}

/// One page of the audit log (ADMIN).
pub async fn audit_log(
    ctx: &ServiceCtx,
    token: &str,
    query: LogQuery,
) -> Result<crate::domain::audit_trail::AuditPage> {
    let who = authenticate(ctx, token).await?;
    require_admin(&who)?;
    let client = ctx.pool.get().await?;
    let query = LogQuery {
        limit: page_limit(query.limit),
        ..query
    };
    trail::log_page(&client, &query).await
}

/// Runs blocking file work off the async threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> std::result::Result<T, WriteError> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| ServiceError::Query(format!("the export stopped unexpectedly: {e}")))?
        .map_err(|e| ServiceError::Invalid(e.0))
}

/// Writes every audit row matching `filter` into `dir` as `audit_log_<time>.csv` (ADMIN), a page at a
/// time under a temporary name, renamed when complete; returns the file's path.
pub async fn export_audit_log(
    ctx: &ServiceCtx,
    token: &str,
    filter: LogFilter,
    dir: &str,
) -> Result<PathBuf> {
    let who = authenticate(ctx, token).await?;
    require_admin(&who)?;
    let dir = station_dir(dir)?;
    let name = audit_csv::file_name(chrono::Local::now().naive_local());
    let mut file = blocking(move || {
        let mut f = StreamedFile::create(&dir, &name)?;
        f.write(audit_csv::head().as_bytes())?;
        Ok(f)
    })
    .await?;
    let client = ctx.pool.get().await?;
    let mut query = LogQuery {
        filter,
        before: None,
        limit: EXPORT_PAGE,
    };
    let mut rows = 0usize;
    loop {
        let page = trail::log_page(&client, &query).await?;
        rows += page.entries.len();
        query.before = page.entries.last().map(|e| e.seq);
        let text = audit_csv::records(&page.entries);
        file = blocking(move || {
            file.write(text.as_bytes())?;
            Ok(file)
        })
        .await?;
        if !page.more || query.before.is_none() {
            break;
        }
    }
    let path = blocking(move || file.finish()).await?;
    tracing::info!(rows, file = %path.display(), "audit log exported");
    Ok(path)
}

/// The signatures `audit verify` recomputes: how many verified and the ones that do not, for the QC
/// results' own signatures and for every electronic signature (docs/signatures.md §5).
#[derive(Debug, Clone, Default)]
pub struct SignatureChecks {
    pub qc_verified: usize,
    pub qc_problems: Vec<Problem>,
    pub signed_verified: usize,
    pub signed_problems: Vec<Problem>,
}

impl SignatureChecks {
    pub fn verified(&self) -> usize {
        self.qc_verified + self.signed_verified
    }

    pub fn problems(&self) -> impl Iterator<Item = &Problem> {
        self.qc_problems.iter().chain(&self.signed_problems)
    }
}

/// `audit verify` as the command line runs it: the chain, the records and the machinery
/// (`db::audit::verify`), then every QC signature and every electronic signature recomputed.
pub async fn verify_all(client: &impl Client) -> Result<(VerifyReport, SignatureChecks)> {
    let report = audit::verify(client).await?;
    let mut out = SignatureChecks::default();
    for c in crate::db::qc::verify_all_signatures(client).await? {
        if c.verified {
            out.qc_verified += 1;
            continue;
        }
        out.qc_problems.push(Problem {
            table: "QCResult".into(),
            record: c.result_id.to_string(),
            build: Some(c.build_number),
            what: format!(
                "the {} {} signature (format {}) does not match the stored result and answers",
                c.qc_type.code(),
                c.status.code(),
                c.format_version
            ),
        });
    }
    for (build, checks) in crate::db::signatures::verify_all(client).await? {
        for c in checks {
            if c.verified {
                out.signed_verified += 1;
                continue;
            }
            let s = &c.signature;
            out.signed_problems.push(Problem {
                table: "ElectronicSignature".into(),
                record: s.id.to_string(),
                build: Some(build.clone()),
                what: format!(
                    "the {} signature of the {} does not verify: {}",
                    s.meaning.code(),
                    s.record.label(),
                    c.problem.as_deref().unwrap_or("mismatch")
                ),
            });
        }
    }
    Ok((report, out))
}

/// `audit verify` for the administrator's screen.
pub async fn verify_audit(ctx: &ServiceCtx, token: &str) -> Result<VerifyOutcome> {
    let who = authenticate(ctx, token).await?;
    require_admin(&who)?;
    let client = ctx.pool.get().await?;
    let (report, signatures) = verify_all(&client).await?;
    let problems = report
        .chain
        .problems
        .iter()
        .chain(&report.row_problems)
        .chain(signatures.problems())
        .map(ToString::to_string)
        .collect();
    let signatures_verified = signatures.verified();
    Ok(VerifyOutcome {
        links: report.chain.links,
        first_position: report.chain.first_position,
        checkpoints: report.chain.checkpoints,
        head: report.chain.head.clone(),
        sealed_now: report.sealed_now,
        rows_matched: report.rows_matched,
        tables: report.tables,
        signatures_verified,
        unattributed_count: report.unattributed_count,
        problems,
    })
}
