//! Procurement's order desk and the parts-shortage view.
//!
//! The desk's moves and BOM approval go through the ordinary `Transition` and `ApproveBom` requests; this
//! module only reads (and writes the shortage's CSV file).

use super::files::{station_dir, write_rendered};
use super::guard::require_role;
use super::{Authed, ServiceCtx, authenticate};
use crate::db::desk as db_desk;
use crate::domain::Role;
use crate::domain::desk::{DeskRow, Shortage};
use crate::error::{Result, ServiceError};
use crate::export::shortage_csv;
use crate::msg::{Reply, Request};
use std::path::PathBuf;

pub async fn handle(ctx: &ServiceCtx, req: Request) -> Result<Reply> {
    match req {
        Request::OrderDesk { token } => order_desk(ctx, &token).await.map(Reply::OrderDesk),
        Request::PartsShortage { token } => parts_shortage(ctx, &token)
            .await
            .map(|s| Reply::PartsShortage(Box::new(s))),
        Request::ExportShortage { token, dir } => export_shortage(ctx, &token, &dir)
            .await
            .map(Reply::Exported),
        _ => Err(ServiceError::Invalid("not a request of this module".into())),
    }
}

/// The desk is procurement's (and an admin's).
fn require_desk(who: &Authed) -> Result<()> {
    require_role(
        who,
        &[Role::ProcurementSpecialist, Role::Admin],
        "use the order desk",
    )
}

/// The shortage is also read by the production coordinator, who plans the builds.
fn require_shortage_reader(who: &Authed) -> Result<()> {
    require_role(
        who,
        &[
            Role::ProcurementSpecialist,
            Role::Admin,
            Role::ProductionCoordinator,
        ],
        "see the parts shortage",
    )
}

/// The builds in ORDER_CREATED and PARTS_SENT and those held for parts, with their BOM state and
/// shortage lines, the oldest want date first.
pub async fn order_desk(ctx: &ServiceCtx, token: &str) -> Result<Vec<DeskRow>> {
    let who = authenticate(ctx, token).await?;
    require_desk(&who)?;
    let client = ctx.pool.get().await?;
    let mut rows = db_desk::rows(&client).await?;
    // The part lines of the builds held for parts (docs/holds.md §4).
    for (_, _, hold) in crate::db::holds::open_shortages(&client).await? {
        if let Some(row) = rows.iter_mut().find(|r| r.order.id == hold.order_id) {
            row.shortage = hold.parts;
        }
    }
    Ok(rows)
}

/// The flattened totals of the current BOM of every build in ORDER_CREATED and PARTS_SENT, by part id.
pub async fn parts_shortage(ctx: &ServiceCtx, token: &str) -> Result<Shortage> {
    let who = authenticate(ctx, token).await?;
    require_shortage_reader(&who)?;
    load_shortage(ctx).await
}

async fn load_shortage(ctx: &ServiceCtx) -> Result<Shortage> {
    let mut client = ctx.pool.get().await?;
    // One snapshot for both reads, so a build moving meanwhile cannot be listed but not counted.
    let tx = crate::db::begin_snapshot(&mut client).await?;
    let builds = db_desk::shortage_builds(&tx).await?;
    let leaves = db_desk::shortage_leaves(&tx).await?;
    tx.commit().await?;
    Ok(Shortage::from_leaves(builds, leaves))
}

/// Writes the shortage as `parts_shortage_<date>.csv` into `dir` (which must exist; empty or relative is
/// taken from the station's working directory) and returns the file's path.
pub async fn export_shortage(ctx: &ServiceCtx, token: &str, dir: &str) -> Result<Vec<PathBuf>> {
    let who = authenticate(ctx, token).await?;
    require_shortage_reader(&who)?;
    let dir = station_dir(dir)?;
    let shortage = load_shortage(ctx).await?;
    let parts = shortage.lines.len();
    let paths = write_rendered(&dir, move |exported_at| {
        vec![shortage_csv::file(&shortage, exported_at.date())]
    })
    .await?;
    tracing::info!(parts, files = ?paths, "parts shortage exported");
    Ok(paths)
}
