//! Production reports (docs/reports.md): coordinators and administrators read the plant's figures,
//! through the reporting connection (§4), each report in one read-only snapshot.

use super::files::station_dir;
use super::guard::require_role;
use super::{ServiceCtx, authenticate};
use crate::db::reports as db_reports;
use crate::domain::Role;
use crate::domain::report::{Period, ReportData, ReportKind};
use crate::domain::report_figures as figures;
use crate::error::{Result, ServiceError};
use crate::export::report_csv;
use crate::export::write::write_new_file;
use crate::msg::{Reply, Request};
use chrono::Duration;
use std::path::PathBuf;

/// Handles the report requests (dispatched here from `service::dispatch`).
pub async fn handle(ctx: &ServiceCtx, req: Request) -> Result<Reply> {
    match req {
        Request::Report {
            token,
            kind,
            period,
        } => report(ctx, &token, kind, period)
            .await
            .map(|d| Reply::Report(Box::new(d))),
        Request::ExportReport {
            token,
            kind,
            period,
            dir,
        } => export(ctx, &token, kind, period, &dir)
            .await
            .map(|p| Reply::Exported(vec![p])),
        other => Err(ServiceError::Query(format!(
            "not a report request: {other:?}"
        ))),
    }
}

/// Reports are the coordinator's and the administrator's (docs/reports.md §1.2).
pub const READERS: [Role; 2] = [Role::ProductionCoordinator, Role::Admin];

/// One report over one period, for a coordinator or an administrator.
pub async fn report(
    ctx: &ServiceCtx,
    token: &str,
    kind: ReportKind,
    period: Period,
) -> Result<ReportData> {
    let who = authenticate(ctx, token).await?;
    require_role(&who, &READERS, "read the production reports")?;
    read(ctx, kind, period).await
}

/// Writes one report as `<slug>-<from>-<to>.csv` into `dir`, never over an existing file (a numbered
/// copy instead, docs/reports.md §6).
pub async fn export(
    ctx: &ServiceCtx,
    token: &str,
    kind: ReportKind,
    period: Period,
    dir: &str,
) -> Result<PathBuf> {
    let who = authenticate(ctx, token).await?;
    require_role(&who, &READERS, "export the production reports")?;
    let dir = station_dir(dir)?;
    let data = read(ctx, kind, period).await?;
    let path = write_csv(dir, &data).await?;
    tracing::info!(report = kind.slug(), path = %path.display(), "report exported");
    Ok(path)
}

/// Writes `data` as a new CSV file in `dir`: under its own name, or the first free numbered copy.
pub async fn write_csv(dir: PathBuf, data: &ReportData) -> Result<PathBuf> {
    let name = report_csv::file_name(data);
    let bytes = report_csv::bytes(data);
    tokio::task::spawn_blocking(move || {
        write_new_file(
            &dir,
            |n| crate::domain::document::copy_name(&name, n),
            &bytes,
        )
    })
    .await
    .map_err(|e| ServiceError::Query(format!("the export stopped unexpectedly: {e}")))?
    .map_err(|e| ServiceError::Invalid(e.0))
}

/// Reads one report in one REPEATABLE READ, READ ONLY transaction on the reporting connection
/// (docs/reports.md §4.2), and shapes it.
async fn read(ctx: &ServiceCtx, kind: ReportKind, period: Period) -> Result<ReportData> {
    let pool = ctx.read_pool.as_ref().unwrap_or(&ctx.pool);
    let mut client = pool.get().await?;
    let tx = crate::db::begin_snapshot(&mut client).await?;
    db_reports::settle(&tx).await?;
    let (from, end) = (period.from, period.to + Duration::days(1));
    let data = match kind {
        ReportKind::Throughput => {
            let (first, last) = figures::throughput_weeks(period);
            figures::throughput(period, &db_reports::throughput(&tx, first, last).await?)
        }
        ReportKind::WorkInProgress => {
            figures::work_in_progress(period, &db_reports::work_in_progress(&tx).await?)
        }
        ReportKind::CycleTime => {
            figures::cycle_time(period, &db_reports::cycle_time(&tx, from, end).await?)
        }
        ReportKind::OnTimeDelivery => {
            figures::on_time(period, &db_reports::on_time(&tx, from, end).await?)
        }
        ReportKind::FirstPassYield => {
            figures::first_pass_yield(period, &db_reports::first_pass_yield(&tx, from, end).await?)
        }
        ReportKind::Rejections => {
            figures::rejections(period, &db_reports::rejections(&tx, from, end).await?)
        }
        ReportKind::Assemblers => {
            figures::assemblers(period, &db_reports::assemblers(&tx, from, end).await?)
        }
    };
    tx.commit().await?;
    Ok(data)
}
