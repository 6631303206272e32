//! Status, assignment and history, and the preconditions a transition checks against the locked row.

use crate::db::Client;
use crate::db::row::{RowExt, query_all, query_opt_col};
use crate::domain::order::OrderStatus;
use crate::domain::order_view::HistoryEntry;
use crate::error::Result;
use chrono::NaiveDateTime;
use uuid::Uuid;

use super::record::status_of;

/// The conditional status update: moves the build from `from` to `to` and sets its assignee (kept or
/// cleared by the caller). `false` when the build is no longer in `from`.
pub async fn set_status(
    client: &impl Client,
    id: Uuid,
    from: OrderStatus,
    to: OrderStatus,
    assignee: Option<Uuid>,
) -> Result<bool> {
    let n = client
        .exec(
            r#"UPDATE "ProductionOrder" SET "orderStatus" = $3, "currentAssigneeId" = $4
               WHERE id = $1 AND "orderStatus" = $2"#,
            &[&id, &from, &to, &assignee],
        )
        .await?;
    Ok(n == 1)
}

/// The conditional assignment: `false` when the build is no longer in `expected`.
pub async fn set_assignee(
    client: &impl Client,
    id: Uuid,
    expected: OrderStatus,
    assignee: Option<Uuid>,
) -> Result<bool> {
    let n = client
        .exec(
            r#"UPDATE "ProductionOrder" SET "currentAssigneeId" = $3
               WHERE id = $1 AND "orderStatus" = $2"#,
            &[&id, &expected, &assignee],
        )
        .await?;
    Ok(n == 1)
}

/// One `"OrderStatusHistory"` row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewHistory<'a> {
    pub order_id: Uuid,
    pub user_id: Uuid,
    pub action: &'a str,
    pub old_status: Option<OrderStatus>,
    pub new_status: OrderStatus,
    pub notes: Option<&'a str>,
}

pub async fn insert_history(client: &impl Client, h: &NewHistory<'_>) -> Result<Uuid> {
    let row = client
        .fetch_one(
            r#"INSERT INTO "OrderStatusHistory" ("orderId", "userId", "action", "oldStatus", "newStatus", "notes")
               VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"#,
            &[
                &h.order_id,
                &h.user_id,
                &h.action,
                &h.old_status,
                &h.new_status,
                &h.notes,
            ],
        )
        .await?;
    row.col("id")
}

/// A build's history, newest first.
pub async fn history(client: &impl Client, order_id: Uuid) -> Result<Vec<HistoryEntry>> {
    query_all(client, r#"SELECT COALESCE(h."timestamp", LOCALTIMESTAMP) AS "timestamp", COALESCE(u."fullName", '') AS "user", h."action",
                      h."oldStatus", h."newStatus", h."notes"
               FROM "OrderStatusHistory" h LEFT JOIN "User" u ON u.id = h."userId"
               WHERE h."orderId" = $1
               ORDER BY h."timestamp" DESC NULLS LAST, h.id DESC"#, &[&order_id], |r| {
            Ok(HistoryEntry {
                timestamp: r.col("timestamp")?,
                user: r.col("user")?,
                action: r.col("action")?,
                old_status: r.col("oldStatus")?,
                new_status: r.col("newStatus")?,
                notes: r.col("notes")?,
            })
        }).await
}

/// Who made the latest change to a build's status, and when (for the "changed by" message).
pub async fn latest_status_change(
    client: &impl Client,
    order_id: Uuid,
) -> Result<Option<(String, NaiveDateTime)>> {
    let row = client
        .fetch_opt(
            r#"SELECT COALESCE(u."fullName", '') AS "user", h."timestamp"
               FROM "OrderStatusHistory" h LEFT JOIN "User" u ON u.id = h."userId"
               WHERE h."orderId" = $1 AND h."timestamp" IS NOT NULL
               ORDER BY h."timestamp" DESC, h.id DESC
               LIMIT 1"#,
            &[&order_id],
        )
        .await?;
    row.map(|r| Ok((r.col("user")?, r.col("timestamp")?)))
        .transpose()
}

/// The status and build number a build has now (outside any lock), for refusal messages.
pub async fn current_status(
    client: &impl Client,
    order_id: Uuid,
) -> Result<Option<(String, OrderStatus)>> {
    let row = client
        .fetch_opt(
            r#"SELECT "buildNumber", "orderStatus" FROM "ProductionOrder" WHERE id = $1"#,
            &[&order_id],
        )
        .await?;
    row.map(|r| Ok((r.col("buildNumber")?, status_of(&r)?)))
        .transpose()
}

/// The explicit AuditLog row of an ADMIN override (docs/lifecycle.md §3.5), next to the trigger's own
/// UPDATE row. Written by the schema's `app_audit_note`, which names the user of the session the
/// transaction carries.
pub async fn insert_override_audit(
    client: &impl Client,
    order_id: Uuid,
    from: OrderStatus,
    to: OrderStatus,
    reason: &str,
) -> Result<()> {
    let old = serde_json::json!({ "orderStatus": from.code() });
    let new = serde_json::json!({ "orderStatus": to.code(), "reason": reason });
    client
        .exec(
            "SELECT app_audit_note('STATUS_OVERRIDE', 'ProductionOrder', $1::uuid::text, $2, $3)",
            &[&order_id, &old, &new],
        )
        .await?;
    Ok(())
}

// Preconditions (checked against the locked row).

/// (version, status label) of a BOM.
pub async fn bom_state(client: &impl Client, bom_id: Uuid) -> Result<Option<(i32, String)>> {
    let row = client
        .fetch_opt(
            r#"SELECT "version", COALESCE("status", 'DRAFT')::text AS "status" FROM "BillOfMaterials" WHERE id = $1"#,
            &[&bom_id],
        )
        .await?;
    row.map(|r| Ok((r.col("version")?, r.col("status")?)))
        .transpose()
}

/// Tasks of the build's active task lists that are not complete.
pub async fn open_task_count(client: &impl Client, order_id: Uuid) -> Result<i64> {
    let row = client
        .fetch_one(
            r#"SELECT count(*) AS "count" FROM "Task" t JOIN "TaskList" l ON l.id = t."taskListId"
               WHERE l."orderId" = $1 AND COALESCE(l."isActive", true)
                 AND NOT COALESCE(t."isCompleted", false)"#,
            &[&order_id],
        )
        .await?;
    row.col("count")
}

/// When the build last entered `status` (the start of the current round), if ever.
pub async fn entered_at(
    client: &impl Client,
    order_id: Uuid,
    status: OrderStatus,
) -> Result<Option<NaiveDateTime>> {
    let row = client
        .fetch_one(
            r#"SELECT max("timestamp") AS "at" FROM "OrderStatusHistory" WHERE "orderId" = $1 AND "newStatus" = $2"#,
            &[&order_id, &status],
        )
        .await?;
    row.col("at")
}

/// Whether the latest submitted testing form at or after `since` passed (`None`: no form).
pub async fn latest_testing_passed(
    client: &impl Client,
    order_id: Uuid,
    since: Option<NaiveDateTime>,
) -> Result<Option<bool>> {
    query_opt_col(
        client,
        r#"SELECT "overallStatus" = 'PASS' AS "passed" FROM "TestingForm"
               WHERE "orderId" = $1 AND "overallStatus" <> 'INCOMPLETE'
                 AND ($2::timestamp IS NULL OR "timestamp" >= $2)
               ORDER BY "timestamp" DESC NULLS LAST, id DESC
               LIMIT 1"#,
        &[&order_id, &since],
        "passed",
    )
    .await
}

/// The round's packaging: `Ok(None)` when a checklist completed at or after `since`; otherwise the
/// number of items not packed in the open checklist (`Some(None)` when there is no open checklist).
pub async fn packaging_open_items(
    client: &impl Client,
    order_id: Uuid,
    since: Option<NaiveDateTime>,
) -> Result<Option<Option<i64>>> {
    let row = client
        .fetch_one(
            r#"SELECT
                 EXISTS (SELECT 1 FROM "PackagingChecklist" c
                         WHERE c."orderId" = $1 AND COALESCE(c."isCompleted", false)
                           AND ($2::timestamp IS NULL OR c."completedAt" >= $2)) AS "complete",
                 (SELECT count(*) FROM "PackagingChecklist" c WHERE c."orderId" = $1
                    AND NOT COALESCE(c."isCompleted", false)) AS "openLists",
                 (SELECT count(*) FROM "PackagingItem" i
                    JOIN "PackagingChecklist" c ON c.id = i."packagingChecklistId"
                   WHERE c."orderId" = $1 AND NOT COALESCE(c."isCompleted", false)
                     AND NOT COALESCE(i."isComplete", false)) AS "openItems""#,
            &[&order_id, &since],
        )
        .await?;
    let complete: bool = row.col("complete")?;
    let open_lists: i64 = row.col("openLists")?;
    let open_items: i64 = row.col("openItems")?;
    Ok(if complete {
        None
    } else if open_lists == 0 {
        Some(None)
    } else {
        Some(Some(open_items))
    })
}
