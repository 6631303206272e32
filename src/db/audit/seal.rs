//! Sealing committed audit rows onto the chain, the retention cleanup, and the chain head.

use crate::db::Client;
use crate::db::row::RowExt;
use crate::error::{Result, ServiceError};
use std::time::Duration;
use tokio::sync::Notify;

/// How many pending entries (each the rows of one statement) one sealing transaction takes.
const SEAL_BATCH: i32 = 200;

/// Woken when this process opens a write transaction; the station's sealer waits on it, so an idle
/// station does nothing.
static SEAL_WANTED: Notify = Notify::const_new();

/// Records that this process is writing, so its sealer seals once the write has committed.
pub fn note_write() {
    SEAL_WANTED.notify_one();
}

/// What one sealing transaction did.
enum Batch {
    /// Another sealer was at work (and the caller did not wait).
    Busy,
    /// Rows sealed, and whether pending entries are left beyond this batch.
    Sealed { rows: i64, more: bool },
}

/// One sealing transaction of at most [`SEAL_BATCH`] pending entries.
async fn seal_batch(client: &impl Client, wait: bool) -> Result<Batch> {
    let row = client
        .fetch_one(
            r#"SELECT audit_seal($1, $2) AS "rows", EXISTS (SELECT 1 FROM "AuditPending") AS "more""#,
            &[&wait, &SEAL_BATCH],
        )
        .await?;
    let rows: i64 = row.col("rows")?;
    Ok(if rows < 0 {
        Batch::Busy
    } else {
        Batch::Sealed {
            rows,
            more: row.col("more")?,
        }
    })
}

/// Seals every committed pending audit row; `wait` waits for another sealer instead of leaving the
/// work to it. Returns the rows sealed, or `None` when another sealer was at work and `wait` is false.
pub async fn seal(client: &impl Client, wait: bool) -> Result<Option<i64>> {
    let mut total = 0;
    loop {
        match seal_batch(client, wait).await? {
            Batch::Busy => return Ok(None),
            Batch::Sealed { rows, more } => {
                total += rows;
                if !more || rows == 0 {
                    return Ok(Some(total));
                }
            }
        }
    }
}

/// The station's sealer: after writes, waits a moment (so a burst is sealed at once) and seals, a batch
/// per connection taken from the pool, so a request never waits long for a connection. Runs until the
/// process ends; the caller seals once more, waiting, before it exits.
pub async fn run_sealer(pool: deadpool_postgres::Pool) {
    loop {
        SEAL_WANTED.notified().await;
        tokio::time::sleep(Duration::from_secs(1)).await;
        loop {
            let outcome = match pool.get().await {
                Ok(client) => seal_batch(&client, false).await,
                Err(e) => Err(ServiceError::from(e)),
            };
            match outcome {
                Ok(Batch::Sealed { rows, more: true }) if rows > 0 => continue,
                Ok(Batch::Sealed { .. }) => {}
                // Another station is sealing; it may not see our rows yet, so try again shortly.
                Ok(Batch::Busy) => note_write(),
                Err(e) => {
                    tracing::warn!(error = %e, "sealing the audit trail failed; will retry");
                    tokio::time::sleep(Duration::from_secs(5)).await;
                    note_write();
                }
            }
            break;
        }
    }
}

/// Runs the retention cleanup; returns the number of audit rows removed.
pub async fn cleanup(client: &impl Client) -> Result<i32> {
    client
        .fetch_one(r#"SELECT cleanup_old_audit_logs() AS "removed""#, &[])
        .await?
        .col("removed")
}

/// The end of the chain: what a plant records outside the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainHead {
    pub position: i64,
    pub link: String,
    pub sealed_at: chrono::NaiveDateTime,
}

pub async fn head(client: &impl Client) -> Result<Option<ChainHead>> {
    let row = client
        .fetch_opt(
            r#"SELECT "position", "link"::text AS "link", "sealedAt" FROM "AuditChain"
               ORDER BY "position" DESC LIMIT 1"#,
            &[],
        )
        .await?;
    row.map(|r| {
        Ok(ChainHead {
            position: r.col("position")?,
            link: r.col("link")?,
            sealed_at: r.col("sealedAt")?,
        })
    })
    .transpose()
}
