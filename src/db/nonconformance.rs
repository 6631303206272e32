//! Nonconformance records (docs/nonconformance.md): numbering, writing once, the disposition and the
//! closure, and the lists the screens read.

use crate::db::row::{RowExt, query_all, query_id, query_opt_col, query_opt_map};
use crate::db::{Client, Transaction};
use crate::domain::nonconformance::{
    Disposition, NcItem, NcSource, NcStatus, NcSummary, PAGE_SIZE, ReworkTask, nc_number,
};
use crate::error::{Result, ServiceError};
use chrono::NaiveDateTime;
use serde_json::Value;
use tokio_postgres::Row;
use uuid::Uuid;

/// The key of the transaction-level advisory lock that serialises numbering (with the year as the
/// second key), so two stations raising at once never take the same number (docs/nonconformance.md §2).
const NUMBER_LOCK: i32 = 0x4e43; // "NC"

/// An NC to write.
pub struct NewNc<'a> {
    pub order_id: Uuid,
    pub source: NcSource,
    pub source_id: Option<Uuid>,
    pub description: &'a str,
    pub items: &'a [NcItem],
    pub raised_by: Uuid,
}

/// Writes a new OPEN NC under the next number of the current UTC year; its id and number.
pub async fn insert(tx: &Transaction<'_>, nc: &NewNc<'_>) -> Result<(Uuid, String)> {
    let year: i32 = tx
        .fetch_one(
            r#"SELECT EXTRACT(YEAR FROM timezone('UTC', now()))::int AS "year""#,
            &[],
        )
        .await?
        .col("year")?;
    // Held to the end of the transaction: the next raiser reads the maximum after this one commits.
    tx.exec(
        "SELECT pg_advisory_xact_lock($1, $2)",
        &[&NUMBER_LOCK, &year],
    )
    .await?;
    let last: i32 = tx
        .fetch_one(
            r#"SELECT COALESCE(max(split_part("ncNumber", '-', 3)::int), 0) AS "last"
                 FROM "Nonconformance" WHERE "ncNumber" LIKE $1"#,
            &[&format!("NC-{year:04}-%")],
        )
        .await?
        .col("last")?;
    let number = nc_number(year, last + 1);
    let items = serde_json::to_value(nc.items)
        .map_err(|e| ServiceError::Query(format!("NC items: {e}")))?;
    let id = query_id(
        tx,
        r#"INSERT INTO "Nonconformance" ("ncNumber", "orderId", "source", "sourceId", "description", "items",
                                         "raisedBy", "raisedAt")
           VALUES ($1, $2, $3, $4, $5, $6, $7, date_trunc('second', timezone('UTC', clock_timestamp())))
           RETURNING id"#,
        &[
            &number,
            &nc.order_id,
            &nc.source.code(),
            &nc.source_id,
            &nc.description,
            &items,
            &nc.raised_by,
        ],
    )
    .await?;
    Ok((id, number))
}

/// An NC as stored, with the names of the people it records.
#[derive(Debug, Clone)]
pub struct NcRecord {
    pub summary: NcSummary,
    pub source_id: Option<Uuid>,
    pub items: Vec<NcItem>,
    pub disposition_note: Option<String>,
    pub dispositioned: Option<(String, NaiveDateTime)>,
    pub rework_task_id: Option<Uuid>,
    pub closed: Option<(String, NaiveDateTime, String)>,
}

macro_rules! nc_select {
    () => {
        r#"SELECT n.id, n."ncNumber", n."orderId", po."poNumber", po."buildNumber", n."source", n."sourceId",
                  n."description", n."items", n."status", n."disposition", n."dispositionNote",
                  n."raisedAt", ru."fullName" AS "raisedByName",
                  n."dispositionedAt", du."fullName" AS "dispositionedByName", n."reworkTaskId",
                  n."closedAt", cu."fullName" AS "closedByName", n."closeNote"
             FROM "Nonconformance" n
             JOIN "ProductionOrder" po ON po.id = n."orderId"
             JOIN "User" ru ON ru.id = n."raisedBy"
             LEFT JOIN "User" du ON du.id = n."dispositionedBy"
             LEFT JOIN "User" cu ON cu.id = n."closedBy" "#
    };
}

fn unknown(what: &str) -> ServiceError {
    ServiceError::Query(format!("unknown nonconformance {what}"))
}

fn summary_of(r: &Row) -> Result<NcSummary> {
    let source: String = r.col("source")?;
    let status: String = r.col("status")?;
    let status = NcStatus::from_code(&status).ok_or_else(|| unknown("status"))?;
    let disposition = r
        .col::<Option<String>>("disposition")?
        .map(|d| Disposition::from_code(&d).ok_or_else(|| unknown("disposition")))
        .transpose()?;
    Ok(NcSummary {
        id: r.col("id")?,
        number: r.col("ncNumber")?,
        order_id: r.col("orderId")?,
        po_number: r.col("poNumber")?,
        build_number: r.col("buildNumber")?,
        source: NcSource::from_code(&source).ok_or_else(|| unknown("source"))?,
        status,
        disposition,
        awaiting_second: status == NcStatus::Open && disposition.is_some(),
        description: r.col("description")?,
        raised_by: r.col("raisedByName")?,
        raised_at: r.col("raisedAt")?,
    })
}

fn record_of(r: &Row) -> Result<NcRecord> {
    let items: Value = r.col("items")?;
    let dispositioned = match (
        r.col::<Option<String>>("dispositionedByName")?,
        r.col::<Option<NaiveDateTime>>("dispositionedAt")?,
    ) {
        (Some(name), Some(at)) => Some((name, at)),
        _ => None,
    };
    let closed = match (
        r.col::<Option<String>>("closedByName")?,
        r.col::<Option<NaiveDateTime>>("closedAt")?,
        r.col::<Option<String>>("closeNote")?,
    ) {
        (Some(name), Some(at), Some(note)) => Some((name, at, note)),
        _ => None,
    };
    Ok(NcRecord {
        summary: summary_of(r)?,
        source_id: r.col("sourceId")?,
        items: serde_json::from_value(items).map_err(|_| unknown("items"))?,
        disposition_note: r.col("dispositionNote")?,
        dispositioned,
        rework_task_id: r.col("reworkTaskId")?,
        closed,
    })
}

/// One NC; `lock` holds its row for the rest of the transaction.
pub async fn record(client: &impl Client, id: Uuid, lock: bool) -> Result<Option<NcRecord>> {
    let sql = if lock {
        concat!(nc_select!(), "WHERE n.id = $1 FOR UPDATE OF n")
    } else {
        concat!(nc_select!(), "WHERE n.id = $1")
    };
    query_opt_map(client, sql, &[&id], record_of).await
}

/// Which build an NC belongs to, if it exists.
pub async fn order_of(client: &impl Client, id: Uuid) -> Result<Option<Uuid>> {
    query_opt_col(
        client,
        r#"SELECT "orderId" FROM "Nonconformance" WHERE id = $1"#,
        &[&id],
        "orderId",
    )
    .await
}

/// A build's NCs, oldest first.
pub async fn of_order(client: &impl Client, order_id: Uuid) -> Result<Vec<NcSummary>> {
    query_all(
        client,
        concat!(
            nc_select!(),
            r#"WHERE n."orderId" = $1 ORDER BY n."raisedAt", n."ncNumber""#
        ),
        &[&order_id],
        summary_of,
    )
    .await
}

/// The numbers of a build's OPEN NCs, oldest first.
pub async fn open_numbers(client: &impl Client, order_id: Uuid) -> Result<Vec<String>> {
    query_all(
        client,
        r#"SELECT "ncNumber" FROM "Nonconformance" WHERE "orderId" = $1 AND "status" = 'OPEN'
            ORDER BY "raisedAt", "ncNumber""#,
        &[&order_id],
        |r| r.col("ncNumber"),
    )
    .await
}

/// One page of every OPEN NC, oldest first, with the total and the database's UTC time.
pub async fn open_page(
    client: &impl Client,
    page: u32,
) -> Result<(Vec<NcSummary>, i64, NaiveDateTime)> {
    let limit = i64::from(PAGE_SIZE);
    let offset = i64::from(page) * limit;
    let rows = query_all(
        client,
        concat!(
            nc_select!(),
            r#"WHERE n."status" = 'OPEN' ORDER BY n."raisedAt", n."ncNumber" LIMIT $1 OFFSET $2"#
        ),
        &[&limit, &offset],
        summary_of,
    )
    .await?;
    let r = client
        .fetch_one(
            r#"SELECT (SELECT count(*) FROM "Nonconformance" WHERE "status" = 'OPEN') AS "total",
                      date_trunc('second', timezone('UTC', now())) AS "now""#,
            &[],
        )
        .await?;
    Ok((rows, r.col("total")?, r.col("now")?))
}

/// Writes the disposition and its note on an OPEN NC that has none: the content the signature covers.
pub async fn write_disposition(
    tx: &Transaction<'_>,
    id: Uuid,
    disposition: Disposition,
    note: Option<&str>,
) -> Result<bool> {
    let n = tx
        .exec(
            r#"UPDATE "Nonconformance" SET "disposition" = $2, "dispositionNote" = $3
                WHERE id = $1 AND "status" = 'OPEN' AND "disposition" IS NULL"#,
            &[&id, &disposition.code(), &note],
        )
        .await?;
    Ok(n == 1)
}

/// The NC becomes DISPOSITIONED by `by` with `disposition` and its note (on a use-as-is awaiting its
/// second signature, the ones already written), linking `rework_task` when there is one.
pub async fn mark_dispositioned(
    tx: &Transaction<'_>,
    id: Uuid,
    disposition: Disposition,
    note: Option<&str>,
    by: Uuid,
    rework_task: Option<Uuid>,
) -> Result<bool> {
    let n = tx
        .exec(
            r#"UPDATE "Nonconformance"
                  SET "status" = 'DISPOSITIONED', "disposition" = $2, "dispositionNote" = $3,
                      "dispositionedBy" = $4,
                      "dispositionedAt" = date_trunc('second', timezone('UTC', now())), "reworkTaskId" = $5
                WHERE id = $1 AND "status" = 'OPEN'
                  AND ("disposition" IS NULL
                       OR ("disposition" = $2 AND "dispositionNote" IS NOT DISTINCT FROM $3))"#,
            &[&id, &disposition.code(), &note, &by, &rework_task],
        )
        .await?;
    Ok(n == 1)
}

/// Closes a DISPOSITIONED NC.
pub async fn close(tx: &Transaction<'_>, id: Uuid, by: Uuid, note: &str) -> Result<bool> {
    let n = tx
        .exec(
            r#"UPDATE "Nonconformance"
                  SET "status" = 'CLOSED', "closedBy" = $2,
                      "closedAt" = date_trunc('second', timezone('UTC', now())), "closeNote" = $3
                WHERE id = $1 AND "status" = 'DISPOSITIONED'"#,
            &[&id, &by, &note],
        )
        .await?;
    Ok(n == 1)
}

/// The rework task an NC links, with its state.
pub async fn rework_task(client: &impl Client, task_id: Uuid) -> Result<Option<ReworkTask>> {
    query_opt_map(
        client,
        r#"SELECT id, "sequenceOrder", "description", COALESCE("isCompleted", false) AS "isCompleted"
             FROM "Task" WHERE id = $1"#,
        &[&task_id],
        |r| {
            Ok(ReworkTask {
                id: r.col("id")?,
                sequence: r.col("sequenceOrder")?,
                description: r.col("description")?,
                completed: r.col("isCompleted")?,
            })
        },
    )
    .await
}

/// The rework task a Final QC failure appended to the build's active list (docs/assembly-floor.md §4):
/// the earliest task with `description` and no checklist item that no other NC links yet.
pub async fn unlinked_rework_task(
    client: &impl Client,
    order_id: Uuid,
    description: &str,
) -> Result<Option<Uuid>> {
    query_opt_col(
        client,
        r#"SELECT t.id FROM "Task" t JOIN "TaskList" l ON l.id = t."taskListId"
            WHERE l."orderId" = $1 AND l."isActive" AND t."productionChecklistItemId" IS NULL
              AND t."description" = $2
              AND NOT EXISTS (SELECT 1 FROM "Nonconformance" n WHERE n."reworkTaskId" = t.id)
            ORDER BY t."sequenceOrder" LIMIT 1"#,
        &[&order_id, &description],
        "id",
    )
    .await
}
