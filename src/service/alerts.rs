//! The deadline sweep (docs/alerts.md): run from the stations' heartbeat, off every screen's path.

use super::{Authed, ServiceCtx};
use crate::db::alerts::{self, Sweep};
use crate::db::begin_as;
use crate::error::Result;

/// Sweeps when the gate is open; never fails the caller (docs/alerts.md §3.2): a sweep that fails is
/// logged, rolled back whole, and tried again by the next heartbeat once the gate opens.
pub async fn sweep_quietly(ctx: &ServiceCtx, who: &Authed) {
    match sweep(ctx, who).await {
        Ok(Some(s)) if s.swept => tracing::info!(
            alerts = s.alerts,
            notifications = s.notices,
            "deadline sweep"
        ),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "deadline sweep failed"),
    }
}

/// Looks at the gate without a transaction and, when it is open, sweeps in a transaction carrying the
/// session of `who` (docs/alerts.md §3.1). `None` when the gate was shut at the first look.
pub async fn sweep(ctx: &ServiceCtx, who: &Authed) -> Result<Option<Sweep>> {
    let mut client = ctx.pool.get().await?;
    if !alerts::sweep_due(&client).await? {
        return Ok(None);
    }
    let tx = begin_as(&mut client, &who.actor(ctx)).await?;
    let done = alerts::sweep(&tx).await?;
    tx.commit().await?;
    Ok(Some(done))
}
