//! Deadline alerts (docs/alerts.md): the sweep behind its gate, as the schema's checked function runs it.

use crate::db::Client;
use crate::db::row::RowExt;
use crate::error::Result;

/// What one call of the sweep did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Sweep {
    /// The gate was open and this call swept; false when another sweep ran within the minute or is
    /// under way (docs/alerts.md §3).
    pub swept: bool,
    /// Alerts raised: builds that crossed a threshold since the last sweep.
    pub alerts: i32,
    /// Notifications sent for them.
    pub notices: i32,
}

/// Whether the gate is open, read without a lock or a write (docs/alerts.md §3.1): a station opens a
/// transaction for the sweep only when this says yes, and the gate decides again under its lock.
pub async fn sweep_due(client: &impl Client) -> Result<bool> {
    client
        .fetch_one(
            r#"SELECT COALESCE(bool_or(app_deadline_sweep_due(g."ranAt")), true) AS "due"
               FROM "AlertSweep" g"#,
            &[],
        )
        .await?
        .col("due")
}

/// Runs the sweep if the gate lets it (docs/alerts.md §2, §3): one statement raises every alert due
/// and sends its notifications. Run it in a transaction from `begin_as`, so the audit trail names the
/// session whose station swept.
pub async fn sweep(client: &impl Client) -> Result<Sweep> {
    let row = client
        .fetch_one(
            r#"SELECT s.swept AS "swept", s.alerts AS "alerts", s.notices AS "notices"
               FROM app_deadline_sweep() s"#,
            &[],
        )
        .await?;
    Ok(Sweep {
        swept: row.col("swept")?,
        alerts: row.col("alerts")?,
        notices: row.col("notices")?,
    })
}
