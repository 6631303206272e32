//! `"ServiceOrder"` and `"ServiceOrderItem"` rows: the service department's requests and procurement's
//! decisions on them (docs/service-orders.md).

use crate::db::row::{RowExt, query_all, query_opt_map};
use crate::db::{Client, Transaction};
use crate::domain::service_order::{
    ServiceOrderLine, ServiceOrderStatus, ServiceOrderSummary, SubmitLine, number,
};
use crate::error::Result;
use chrono::NaiveDateTime;
use tokio_postgres::Row;
use uuid::Uuid;

/// The summary columns; `so` is the order, `ru` the requester and `pu` the processor.
const SUMMARY: &str = r#"
    SELECT so.id, so."status", so."requestTimestamp", so."processedTimestamp", so."requestedBy",
           ru."fullName" AS "requestedByName", pu."fullName" AS "processedByName",
           so."notes", so."internalNotes",
           (SELECT count(*) FROM "ServiceOrderItem" i WHERE i."serviceOrderId" = so.id) AS "lineCount",
           (SELECT COALESCE(sum(i."quantity"), 0)::bigint
              FROM "ServiceOrderItem" i WHERE i."serviceOrderId" = so.id) AS "totalQuantity"
      FROM "ServiceOrder" so
      JOIN "User" ru ON ru.id = so."requestedBy"
      LEFT JOIN "User" pu ON pu.id = so."processedBy""#;

/// A service order row with the texts only some readers may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredOrder {
    pub summary: ServiceOrderSummary,
    pub requested_by_id: Uuid,
    pub notes: Option<String>,
    pub internal_notes: Option<String>,
}

fn stored_from_row(row: &Row) -> Result<StoredOrder> {
    let id: Uuid = row.col("id")?;
    // The column has a default but no NOT NULL; a missing status is the default.
    let status: Option<ServiceOrderStatus> = row.col("status")?;
    Ok(StoredOrder {
        summary: ServiceOrderSummary {
            id,
            number: number(id),
            status: status.unwrap_or(ServiceOrderStatus::Pending),
            requested_by: row.col("requestedByName")?,
            requested_at: row.col("requestTimestamp")?,
            processed_by: row.col("processedByName")?,
            processed_at: row.col("processedTimestamp")?,
            lines: row.col("lineCount")?,
            total_quantity: row.col("totalQuantity")?,
        },
        requested_by_id: row.col("requestedBy")?,
        notes: row.col("notes")?,
        internal_notes: row.col("internalNotes")?,
    })
}

/// Creates a PENDING order with its lines; returns its id.
pub async fn insert(
    tx: &Transaction<'_>,
    requested_by: Uuid,
    notes: Option<&str>,
    lines: &[SubmitLine],
) -> Result<Uuid> {
    let row = tx
        .fetch_one(
            r#"INSERT INTO "ServiceOrder" ("requestedBy", "status", "requestTimestamp", "notes")
               VALUES ($1, 'PENDING', LOCALTIMESTAMP, $2)
               RETURNING id"#,
            &[&requested_by, &notes],
        )
        .await?;
    let id: Uuid = row.col("id")?;
    for line in lines {
        tx.exec(
            r#"INSERT INTO "ServiceOrderItem" ("serviceOrderId", "partType", "partId", "quantity")
               VALUES ($1, $2, $3, $4)"#,
            &[&id, &line.part_type, &line.part_id, &line.quantity],
        )
        .await?;
    }
    Ok(id)
}

/// One order, whoever asked.
pub async fn find(client: &impl Client, id: Uuid) -> Result<Option<StoredOrder>> {
    let sql = format!("{SUMMARY} WHERE so.id = $1");
    client
        .fetch_opt(&sql, &[&id])
        .await?
        .as_ref()
        .map(stored_from_row)
        .transpose()
}

/// Orders in a list: one requester's newest first, or every order as procurement's queue: the work
/// first (PENDING, then APPROVED awaiting fulfilment, each oldest first), then the closed orders newest
/// first.
pub async fn list(
    client: &impl Client,
    requested_by: Option<Uuid>,
    status: Option<ServiceOrderStatus>,
) -> Result<Vec<ServiceOrderSummary>> {
    let order = if requested_by.is_some() {
        r#"so."requestTimestamp" DESC NULLS LAST, so.id"#
    } else {
        r#"CASE so."status" WHEN 'PENDING' THEN 0 WHEN 'APPROVED' THEN 1 ELSE 2 END,
           CASE WHEN so."status" IN ('PENDING', 'APPROVED') THEN so."requestTimestamp" END NULLS LAST,
           so."requestTimestamp" DESC NULLS LAST, so.id"#
    };
    let sql = format!(
        r#"{SUMMARY}
            WHERE ($1::uuid IS NULL OR so."requestedBy" = $1)
              AND ($2::"ServiceOrderStatus" IS NULL OR so."status" = $2)
            ORDER BY {order}"#
    );
    query_all(client, &sql, &[&requested_by, &status], |r| {
        stored_from_row(r).map(|s| s.summary)
    })
    .await
}

/// The order's lines with their catalog names (resolved as docs/bom-rules.md §5 does), in part id order.
pub async fn lines(client: &impl Client, order_id: Uuid) -> Result<Vec<ServiceOrderLine>> {
    query_all(
        client,
        r#"SELECT i.id, i."partId", i."partType", i."quantity",
                      CASE WHEN i."partType" = 'ASSEMBLY'
                           THEN COALESCE(a."name", twin."name", p."name")
                           ELSE COALESCE(p."name", a."name", twin."name") END AS "name"
                 FROM "ServiceOrderItem" i
                 LEFT JOIN "Assembly" a ON a.id = i."partId"
                 LEFT JOIN "Assembly" twin ON twin.id = 'ASSY-' || i."partId"
                 LEFT JOIN "Part" p ON p.id = i."partId"
                WHERE i."serviceOrderId" = $1
                ORDER BY i."partId", i.id"#,
        &[&order_id],
        |r| {
            Ok(ServiceOrderLine {
                id: r.col("id")?,
                part_id: r.col("partId")?,
                part_type: r.col("partType")?,
                quantity: r.col("quantity")?,
                name: r.col("name")?,
            })
        },
    )
    .await
}

/// Locks the order for a decision; its status and requester, or `None` when it is gone. A second
/// station waits here until the first commits, then sees the new status.
pub async fn lock(tx: &Transaction<'_>, id: Uuid) -> Result<Option<(ServiceOrderStatus, Uuid)>> {
    query_opt_map(
        tx,
        r#"SELECT "status", "requestedBy" FROM "ServiceOrder" WHERE id = $1 FOR UPDATE"#,
        &[&id],
        |r| {
            let status: Option<ServiceOrderStatus> = r.col("status")?;
            Ok((
                status.unwrap_or(ServiceOrderStatus::Pending),
                r.col("requestedBy")?,
            ))
        },
    )
    .await
}

/// Sets a line's approved quantity; 0 deletes the line.
pub async fn set_line_quantity(
    tx: &Transaction<'_>,
    order_id: Uuid,
    line_id: Uuid,
    quantity: i32,
) -> Result<()> {
    if quantity == 0 {
        tx.exec(
            r#"DELETE FROM "ServiceOrderItem" WHERE id = $1 AND "serviceOrderId" = $2"#,
            &[&line_id, &order_id],
        )
        .await?;
    } else {
        tx.exec(
            r#"UPDATE "ServiceOrderItem" SET "quantity" = $3 WHERE id = $1 AND "serviceOrderId" = $2"#,
            &[&line_id, &order_id, &quantity],
        )
        .await?;
    }
    Ok(())
}

/// A decision: the new status, who took it and when, and the logs. Conditional on the expected status;
/// returns whether the row changed.
pub struct Decision<'a> {
    pub from: ServiceOrderStatus,
    pub to: ServiceOrderStatus,
    pub processed_by: Uuid,
    pub notes: &'a str,
    pub internal_notes: Option<&'a str>,
}

pub async fn decide(tx: &Transaction<'_>, id: Uuid, d: &Decision<'_>) -> Result<bool> {
    let n = tx
        .exec(
            r#"UPDATE "ServiceOrder"
                  SET "status" = $3, "processedBy" = $4, "processedTimestamp" = LOCALTIMESTAMP,
                      "notes" = $5, "internalNotes" = $6
                WHERE id = $1 AND COALESCE("status", 'PENDING') = $2"#,
            &[
                &id,
                &d.from,
                &d.to,
                &d.processed_by,
                &d.notes,
                &d.internal_notes,
            ],
        )
        .await?;
    Ok(n == 1)
}

/// The requester's withdrawal: deletes the order (its lines go with it) only while PENDING.
pub async fn delete_pending(tx: &Transaction<'_>, id: Uuid, requested_by: Uuid) -> Result<bool> {
    let n = tx
        .exec(
            r#"DELETE FROM "ServiceOrder"
                WHERE id = $1 AND "requestedBy" = $2 AND COALESCE("status", 'PENDING') = 'PENDING'"#,
            &[&id, &requested_by],
        )
        .await?;
    Ok(n == 1)
}

/// The database's clock in UTC, for the notes log.
pub async fn now_utc(client: &impl Client) -> Result<NaiveDateTime> {
    client
        .fetch_one(r#"SELECT now() AT TIME ZONE 'UTC' AS "now""#, &[])
        .await?
        .col("now")
}
