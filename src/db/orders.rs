//! Orders: creation, queues, detail, transitions, assignment, wizard drafts.
//!
//! One `"ProductionOrder"` row per build with its basin, faucet, sprayer and accessory rows; the status
//! history; the wizard drafts (`"OrderDraft"`). The use-cases and their role checks are in
//! `service::orders`; these functions only read and write.

use crate::db::row::RowExt;
use crate::db::users::{summary_cols, summary_from_row};
use crate::db::{DbError, GenericClient};
use crate::domain::Role;
use crate::domain::order::{
    AccessoryLine, BasinConfig, BuildConfig, DocumentLanguage, DueFilter, FaucetConfig,
    HistoryEntry, OrderDocumentType, OrderHeader, OrderPage, OrderRow, OrderStatus, SortKey,
    SprayerConfig,
};
use crate::domain::user::UserSummary;
use chrono::{NaiveDate, NaiveDateTime};
use tokio_postgres::Row;
use tokio_postgres::types::ToSql;
use uuid::Uuid;

// ------------------------------------------------------------------------------------------------
// Creation
// ------------------------------------------------------------------------------------------------

/// The database's CURRENT_DATE (D12: "today" is the server's date, set to the plant's time zone).
pub async fn today(client: &impl GenericClient) -> Result<NaiveDate, DbError> {
    let row = client.query_one("SELECT CURRENT_DATE", &[]).await?;
    row.col("current_date")
}

/// Serialises creations of the same PO number (case-insensitive) until the transaction ends: no index
/// can make a PO number unique, since every build of the PO repeats it.
pub async fn lock_po_number(client: &impl GenericClient, po_number: &str) -> Result<(), DbError> {
    // The first key names this lock's purpose so it cannot collide with other advisory locks.
    client
        .execute(
            "SELECT pg_advisory_xact_lock(1347374926, hashtext(lower($1::text)))",
            &[&po_number],
        )
        .await?;
    Ok(())
}

/// The stored spelling of `po_number` when some build already has it (case-insensitive).
pub async fn po_number_taken(
    client: &impl GenericClient,
    po_number: &str,
) -> Result<Option<String>, DbError> {
    let row = client
        .query_opt(
            r#"SELECT "poNumber" FROM "ProductionOrder" WHERE lower("poNumber") = lower($1) LIMIT 1"#,
            &[&po_number],
        )
        .await?;
    row.map(|r| r.col("poNumber")).transpose()
}

/// (entered build number, PO it exists in) for each entered number some build already has
/// (case-insensitive), in the order entered.
pub async fn build_numbers_taken(
    client: &impl GenericClient,
    build_numbers: &[String],
) -> Result<Vec<(String, String)>, DbError> {
    let rows = client
        .query(
            r#"SELECT e.entered, po."poNumber"
               FROM unnest($1::text[]) WITH ORDINALITY AS e(entered, n)
               JOIN "ProductionOrder" po ON lower(po."buildNumber") = lower(e.entered)
               ORDER BY e.n"#,
            &[&build_numbers],
        )
        .await?;
    rows.iter()
        .map(|r| Ok((r.col("entered")?, r.col("poNumber")?)))
        .collect()
}

/// Inserts one build in ORDER_CREATED without assignee. `None` when its build number is taken
/// (case-insensitive): the unique index decides, so a concurrent creation that committed first wins
/// and this transaction stays usable to say so.
pub async fn insert_build(
    client: &impl GenericClient,
    header: &OrderHeader,
    build: &BuildConfig,
) -> Result<Option<Uuid>, DbError> {
    let row = client
        .query_opt(
            r#"INSERT INTO "ProductionOrder" (
                   "poNumber", "buildNumber", "customerName", "projectName", "salesPerson", "wantDate",
                   "orderLanguage", "notes",
                   "sinkFamily", "sinkModel", "sinkWidth", "sinkLength", "legsType", "legsModel",
                   "feetType", "workflowDirection",
                   "hasPegboard", "pegboardColor", "pegboardType", "pegboardSizeType",
                   "pegboardWidth", "pegboardLength",
                   "orderStatus", "currentAssigneeId")
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
                       $17, $18, $19, $20, $21, $22, 'ORDER_CREATED', NULL)
               ON CONFLICT ((lower("buildNumber"))) DO NOTHING
               RETURNING id"#,
            &[
                &header.po_number,
                &build.build_number,
                &header.customer_name,
                &header.project_name,
                &header.sales_person,
                &header.want_date,
                &header.order_language,
                &header.notes,
                &build.sink_family,
                &build.sink_model,
                &build.sink_width,
                &build.sink_length,
                &build.legs_type,
                &build.legs_model,
                &build.feet_type,
                &build.workflow_direction,
                &build.has_pegboard,
                &build.pegboard_color,
                &build.pegboard_type,
                &build.pegboard_size_type,
                &build.pegboard_width,
                &build.pegboard_length,
            ],
        )
        .await?;
    row.map(|r| r.col("id")).transpose()
}

/// The PO a build number belongs to (case-insensitive).
pub async fn po_of_build(
    client: &impl GenericClient,
    build_number: &str,
) -> Result<Option<String>, DbError> {
    let row = client
        .query_opt(
            r#"SELECT "poNumber" FROM "ProductionOrder" WHERE lower("buildNumber") = lower($1)"#,
            &[&build_number],
        )
        .await?;
    row.map(|r| r.col("poNumber")).transpose()
}

/// Inserts the basins (basinIndex as given), faucets, sprayers and accessories of a build.
pub async fn insert_config_rows(
    client: &impl GenericClient,
    order_id: Uuid,
    build: &BuildConfig,
) -> Result<(), DbError> {
    if !build.basins.is_empty() {
        let stmt = client
            .prepare(
                r#"INSERT INTO "BasinConfiguration" (
                       "orderId", "basinIndex", "basinType", "basinWidth", "basinLength", "basinDepth",
                       "isCustomSize", "hasPTrapDrain", "hasBasinLight")
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"#,
            )
            .await?;
        for b in &build.basins {
            client
                .execute(
                    &stmt,
                    &[
                        &order_id,
                        &b.basin_index,
                        &b.basin_type,
                        &b.basin_width,
                        &b.basin_length,
                        &b.basin_depth,
                        &b.is_custom_size,
                        &b.has_p_trap_drain,
                        &b.has_basin_light,
                    ],
                )
                .await?;
        }
    }
    for f in &build.faucets {
        client
            .execute(
                r#"INSERT INTO "FaucetConfiguration" ("orderId", "faucetType", "quantity", "placement", "createdAt")
                   VALUES ($1, $2, $3, $4, clock_timestamp()::timestamp)"#,
                &[&order_id, &f.faucet_type, &f.quantity, &f.placement],
            )
            .await?;
    }
    for s in &build.sprayers {
        client
            .execute(
                r#"INSERT INTO "SprayerConfiguration" ("orderId", "sprayerType", "quantity", "location", "createdAt")
                   VALUES ($1, $2, $3, $4, clock_timestamp()::timestamp)"#,
                &[&order_id, &s.sprayer_type, &s.quantity, &s.location],
            )
            .await?;
    }
    for a in &build.accessories {
        client
            .execute(
                r#"INSERT INTO "OrderAccessory" ("orderId", "assemblyId", "quantity", "createdAt")
                   VALUES ($1, $2, $3, clock_timestamp()::timestamp)"#,
                &[&order_id, &a.assembly_id, &a.quantity],
            )
            .await?;
    }
    Ok(())
}

/// Replaces the basin, faucet, sprayer and accessory rows of a build.
pub async fn replace_config_rows(
    client: &impl GenericClient,
    order_id: Uuid,
    build: &BuildConfig,
) -> Result<(), DbError> {
    for sql in [
        r#"DELETE FROM "BasinConfiguration" WHERE "orderId" = $1"#,
        r#"DELETE FROM "FaucetConfiguration" WHERE "orderId" = $1"#,
        r#"DELETE FROM "SprayerConfiguration" WHERE "orderId" = $1"#,
        r#"DELETE FROM "OrderAccessory" WHERE "orderId" = $1"#,
    ] {
        client.execute(sql, &[&order_id]).await?;
    }
    insert_config_rows(client, order_id, build).await
}

/// Stores a build's configuration columns while it is still ORDER_CREATED; `false` when it is not.
pub async fn update_build_config(
    client: &impl GenericClient,
    order_id: Uuid,
    build: &BuildConfig,
) -> Result<bool, DbError> {
    let n = client
        .execute(
            r#"UPDATE "ProductionOrder" SET
                   "sinkFamily" = $2, "sinkModel" = $3, "sinkWidth" = $4, "sinkLength" = $5,
                   "legsType" = $6, "legsModel" = $7, "feetType" = $8, "workflowDirection" = $9,
                   "hasPegboard" = $10, "pegboardColor" = $11, "pegboardType" = $12,
                   "pegboardSizeType" = $13, "pegboardWidth" = $14, "pegboardLength" = $15
               WHERE id = $1 AND "orderStatus" = 'ORDER_CREATED'"#,
            &[
                &order_id,
                &build.sink_family,
                &build.sink_model,
                &build.sink_width,
                &build.sink_length,
                &build.legs_type,
                &build.legs_model,
                &build.feet_type,
                &build.workflow_direction,
                &build.has_pegboard,
                &build.pegboard_color,
                &build.pegboard_type,
                &build.pegboard_size_type,
                &build.pegboard_width,
                &build.pegboard_length,
            ],
        )
        .await?;
    Ok(n == 1)
}

// ------------------------------------------------------------------------------------------------
// One build
// ------------------------------------------------------------------------------------------------

/// A build as stored, with its configuration rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderRecord {
    pub id: Uuid,
    pub header: OrderHeader,
    pub build: BuildConfig,
    pub status: OrderStatus,
    pub assignee: Option<(Uuid, String)>,
    pub bom_id: Option<Uuid>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

macro_rules! record_cols {
    () => {
        r#"po.id, po."poNumber", po."buildNumber", po."customerName", po."projectName", po."salesPerson",
           po."wantDate", COALESCE(po."orderLanguage", 'EN') AS "orderLanguage", po."notes",
           po."sinkFamily", po."sinkModel", po."sinkWidth", po."sinkLength", po."legsType", po."legsModel",
           po."feetType", po."workflowDirection", COALESCE(po."hasPegboard", false) AS "hasPegboard",
           po."pegboardColor", po."pegboardType", po."pegboardSizeType", po."pegboardWidth",
           po."pegboardLength", po."orderStatus", po."currentAssigneeId", u."fullName" AS "assigneeName",
           u."role" AS "assigneeRole", po."bomId",
           COALESCE(po."createdAt", LOCALTIMESTAMP) AS "createdAt",
           COALESCE(po."updatedAt", po."createdAt", LOCALTIMESTAMP) AS "updatedAt""#
    };
}

fn status_of(row: &Row) -> Result<OrderStatus, DbError> {
    row.col::<Option<OrderStatus>>("orderStatus")?
        .ok_or_else(|| DbError::Query("a build has no status".into()))
}

fn record_from_row(row: &Row) -> Result<OrderRecord, DbError> {
    let get_lang: DocumentLanguage = row.col("orderLanguage")?;
    let assignee_id: Option<Uuid> = row.col("currentAssigneeId")?;
    let assignee_name: Option<String> = row.col("assigneeName")?;
    Ok(OrderRecord {
        id: row.col("id")?,
        header: OrderHeader {
            po_number: row.col("poNumber")?,
            customer_name: row.col("customerName")?,
            project_name: row.col("projectName")?,
            sales_person: row.col("salesPerson")?,
            want_date: row.col("wantDate")?,
            order_language: get_lang,
            notes: row.col("notes")?,
        },
        build: BuildConfig {
            build_number: row.col("buildNumber")?,
            sink_family: row.col("sinkFamily")?,
            sink_model: row.col("sinkModel")?,
            sink_width: row.col("sinkWidth")?,
            sink_length: row.col("sinkLength")?,
            legs_type: row.col("legsType")?,
            legs_model: row.col("legsModel")?,
            feet_type: row.col("feetType")?,
            workflow_direction: row.col("workflowDirection")?,
            has_pegboard: row.col("hasPegboard")?,
            pegboard_color: row.col("pegboardColor")?,
            pegboard_type: row.col("pegboardType")?,
            pegboard_size_type: row.col("pegboardSizeType")?,
            pegboard_width: row.col("pegboardWidth")?,
            pegboard_length: row.col("pegboardLength")?,
            basins: Vec::new(),
            faucets: Vec::new(),
            sprayers: Vec::new(),
            accessories: Vec::new(),
        },
        status: status_of(row)?,
        assignee: assignee_id.map(|id| (id, assignee_name.unwrap_or_default())),
        bom_id: row.col("bomId")?,
        created_at: row.col("createdAt")?,
        updated_at: row.col("updatedAt")?,
    })
}

/// A build with its configuration rows.
pub async fn load(client: &impl GenericClient, id: Uuid) -> Result<Option<OrderRecord>, DbError> {
    let row = client
        .query_opt(
            concat!(
                "SELECT ",
                record_cols!(),
                r#" FROM "ProductionOrder" po LEFT JOIN "User" u ON u.id = po."currentAssigneeId"
                    WHERE po.id = $1"#
            ),
            &[&id],
        )
        .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let mut rec = record_from_row(&row)?;
    load_config_rows(client, id, &mut rec.build).await?;
    Ok(Some(rec))
}

/// Fills the basins, faucets, sprayers and accessories of `build` from the database.
pub async fn load_config_rows(
    client: &impl GenericClient,
    order_id: Uuid,
    build: &mut BuildConfig,
) -> Result<(), DbError> {
    let rows = client
        .query(
            r#"SELECT "basinIndex", "basinType", "basinWidth", "basinLength", "basinDepth",
                      COALESCE("isCustomSize", false) AS "isCustomSize", COALESCE("hasPTrapDrain", false) AS "hasPTrapDrain",
                      COALESCE("hasBasinLight", false) AS "hasBasinLight"
               FROM "BasinConfiguration" WHERE "orderId" = $1 ORDER BY "basinIndex""#,
            &[&order_id],
        )
        .await?;
    build.basins = rows
        .iter()
        .map(|r| {
            Ok(BasinConfig {
                basin_index: r.col("basinIndex")?,
                basin_type: r.col("basinType")?,
                basin_width: r.col("basinWidth")?,
                basin_length: r.col("basinLength")?,
                basin_depth: r.col("basinDepth")?,
                is_custom_size: r.col("isCustomSize")?,
                has_p_trap_drain: r.col("hasPTrapDrain")?,
                has_basin_light: r.col("hasBasinLight")?,
            })
        })
        .collect::<Result<_, DbError>>()?;
    // Rows have no position column: each is stamped with the clock at insert, so creation time keeps
    // the order entered.
    let rows = client
        .query(
            r#"SELECT "faucetType", "quantity", "placement" FROM "FaucetConfiguration"
               WHERE "orderId" = $1 ORDER BY "createdAt", id"#,
            &[&order_id],
        )
        .await?;
    build.faucets = rows
        .iter()
        .map(|r| {
            Ok(FaucetConfig {
                faucet_type: r.col("faucetType")?,
                quantity: r.col("quantity")?,
                placement: r.col("placement")?,
            })
        })
        .collect::<Result<_, DbError>>()?;
    let rows = client
        .query(
            r#"SELECT "sprayerType", "quantity", "location" FROM "SprayerConfiguration"
               WHERE "orderId" = $1 ORDER BY "createdAt", id"#,
            &[&order_id],
        )
        .await?;
    build.sprayers = rows
        .iter()
        .map(|r| {
            Ok(SprayerConfig {
                sprayer_type: r.col("sprayerType")?,
                quantity: r.col("quantity")?,
                location: r.col("location")?,
            })
        })
        .collect::<Result<_, DbError>>()?;
    let rows = client
        .query(
            r#"SELECT "assemblyId", "quantity" FROM "OrderAccessory"
               WHERE "orderId" = $1 ORDER BY "createdAt", "assemblyId""#,
            &[&order_id],
        )
        .await?;
    build.accessories = rows
        .iter()
        .map(|r| {
            Ok(AccessoryLine {
                assembly_id: r.col("assemblyId")?,
                quantity: r.col("quantity")?,
            })
        })
        .collect::<Result<_, DbError>>()?;
    Ok(())
}

/// A build locked for the rest of the transaction, as the lifecycle checks need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockedOrder {
    pub id: Uuid,
    pub po_number: String,
    pub build_number: String,
    pub status: OrderStatus,
    pub language: DocumentLanguage,
    /// (id, full name, role)
    pub assignee: Option<(Uuid, String, Role)>,
    pub bom_id: Option<Uuid>,
}

/// Locks a build's row (`FOR UPDATE`) and reads its latest committed state: a station that waited for
/// the lock sees what the winner wrote.
pub async fn lock(client: &impl GenericClient, id: Uuid) -> Result<Option<LockedOrder>, DbError> {
    let row = client
        .query_opt(
            r#"SELECT po.id, po."poNumber", po."buildNumber", po."orderStatus",
                      COALESCE(po."orderLanguage", 'EN') AS "orderLanguage",
                      po."currentAssigneeId", u."fullName", u."role", po."bomId"
               FROM "ProductionOrder" po LEFT JOIN "User" u ON u.id = po."currentAssigneeId"
               WHERE po.id = $1
               FOR UPDATE OF po"#,
            &[&id],
        )
        .await?;
    let Some(r) = row else {
        return Ok(None);
    };
    let assignee_id: Option<Uuid> = r.col("currentAssigneeId")?;
    let assignee = match assignee_id {
        Some(aid) => Some((
            aid,
            r.col::<Option<String>>("fullName")?.unwrap_or_default(),
            r.col::<Option<Role>>("role")?
                .ok_or_else(|| DbError::Query("assignee without a role".into()))?,
        )),
        None => None,
    };
    Ok(Some(LockedOrder {
        id: r.col("id")?,
        po_number: r.col("poNumber")?,
        build_number: r.col("buildNumber")?,
        status: status_of(&r)?,
        language: r.col("orderLanguage")?,
        assignee,
        bom_id: r.col("bomId")?,
    }))
}

/// The id of the build with this number (case-insensitive).
pub async fn id_by_build_number(
    client: &impl GenericClient,
    build_number: &str,
) -> Result<Option<Uuid>, DbError> {
    let row = client
        .query_opt(
            r#"SELECT id FROM "ProductionOrder" WHERE lower("buildNumber") = lower($1)"#,
            &[&build_number],
        )
        .await?;
    row.map(|r| r.col("id")).transpose()
}

// ------------------------------------------------------------------------------------------------
// Status, assignment, history
// ------------------------------------------------------------------------------------------------

/// The conditional status update: moves the build from `from` to `to` and sets its assignee (kept or
/// cleared by the caller). `false` when the build is no longer in `from`.
pub async fn set_status(
    client: &impl GenericClient,
    id: Uuid,
    from: OrderStatus,
    to: OrderStatus,
    assignee: Option<Uuid>,
) -> Result<bool, DbError> {
    let n = client
        .execute(
            r#"UPDATE "ProductionOrder" SET "orderStatus" = $3, "currentAssigneeId" = $4
               WHERE id = $1 AND "orderStatus" = $2"#,
            &[&id, &from, &to, &assignee],
        )
        .await?;
    Ok(n == 1)
}

/// The conditional assignment: `false` when the build is no longer in `expected`.
pub async fn set_assignee(
    client: &impl GenericClient,
    id: Uuid,
    expected: OrderStatus,
    assignee: Option<Uuid>,
) -> Result<bool, DbError> {
    let n = client
        .execute(
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

pub async fn insert_history(
    client: &impl GenericClient,
    h: &NewHistory<'_>,
) -> Result<(), DbError> {
    client
        .execute(
            r#"INSERT INTO "OrderStatusHistory" ("orderId", "userId", "action", "oldStatus", "newStatus", "notes")
               VALUES ($1, $2, $3, $4, $5, $6)"#,
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
    Ok(())
}

/// A build's history, newest first.
pub async fn history(
    client: &impl GenericClient,
    order_id: Uuid,
) -> Result<Vec<HistoryEntry>, DbError> {
    let rows = client
        .query(
            r#"SELECT COALESCE(h."timestamp", LOCALTIMESTAMP) AS "timestamp", COALESCE(u."fullName", '') AS "user", h."action",
                      h."oldStatus", h."newStatus", h."notes"
               FROM "OrderStatusHistory" h LEFT JOIN "User" u ON u.id = h."userId"
               WHERE h."orderId" = $1
               ORDER BY h."timestamp" DESC NULLS LAST, h.id DESC"#,
            &[&order_id],
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(HistoryEntry {
                timestamp: r.col("timestamp")?,
                user: r.col("user")?,
                action: r.col("action")?,
                old_status: r.col("oldStatus")?,
                new_status: r.col("newStatus")?,
                notes: r.col("notes")?,
            })
        })
        .collect()
}

/// Who made the latest change to a build's status, and when (for the "changed by" message).
pub async fn latest_status_change(
    client: &impl GenericClient,
    order_id: Uuid,
) -> Result<Option<(String, NaiveDateTime)>, DbError> {
    let row = client
        .query_opt(
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
    client: &impl GenericClient,
    order_id: Uuid,
) -> Result<Option<(String, OrderStatus)>, DbError> {
    let row = client
        .query_opt(
            r#"SELECT "buildNumber", "orderStatus" FROM "ProductionOrder" WHERE id = $1"#,
            &[&order_id],
        )
        .await?;
    row.map(|r| Ok((r.col("buildNumber")?, status_of(&r)?)))
        .transpose()
}

/// The explicit AuditLog row of an ADMIN override (2.5), next to the trigger's own UPDATE row. Written by
/// the schema's `app_audit_note`, which names the user of the session the transaction carries.
pub async fn insert_override_audit(
    client: &impl GenericClient,
    order_id: Uuid,
    from: OrderStatus,
    to: OrderStatus,
    reason: &str,
) -> Result<(), DbError> {
    let old = serde_json::json!({ "orderStatus": from.code() });
    let new = serde_json::json!({ "orderStatus": to.code(), "reason": reason });
    client
        .execute(
            "SELECT app_audit_note('STATUS_OVERRIDE', 'ProductionOrder', $1::uuid::text, $2, $3)",
            &[&order_id, &old, &new],
        )
        .await?;
    Ok(())
}

// ------------------------------------------------------------------------------------------------
// Preconditions (checked against the locked row)
// ------------------------------------------------------------------------------------------------

/// (version, status label) of a BOM.
pub async fn bom_state(
    client: &impl GenericClient,
    bom_id: Uuid,
) -> Result<Option<(i32, String)>, DbError> {
    let row = client
        .query_opt(
            r#"SELECT "version", COALESCE("status", 'DRAFT')::text AS "status" FROM "BillOfMaterials" WHERE id = $1"#,
            &[&bom_id],
        )
        .await?;
    row.map(|r| Ok((r.col("version")?, r.col("status")?)))
        .transpose()
}

/// Tasks of the build's active task lists that are not complete.
pub async fn open_task_count(client: &impl GenericClient, order_id: Uuid) -> Result<i64, DbError> {
    let row = client
        .query_one(
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
    client: &impl GenericClient,
    order_id: Uuid,
    status: OrderStatus,
) -> Result<Option<NaiveDateTime>, DbError> {
    let row = client
        .query_one(
            r#"SELECT max("timestamp") AS "at" FROM "OrderStatusHistory" WHERE "orderId" = $1 AND "newStatus" = $2"#,
            &[&order_id, &status],
        )
        .await?;
    row.col("at")
}

/// Whether the latest submitted testing form at or after `since` passed (`None`: no form).
pub async fn latest_testing_passed(
    client: &impl GenericClient,
    order_id: Uuid,
    since: Option<NaiveDateTime>,
) -> Result<Option<bool>, DbError> {
    let row = client
        .query_opt(
            r#"SELECT "overallStatus" = 'PASS' AS "passed" FROM "TestingForm"
               WHERE "orderId" = $1 AND "overallStatus" <> 'INCOMPLETE'
                 AND ($2::timestamp IS NULL OR "timestamp" >= $2)
               ORDER BY "timestamp" DESC NULLS LAST, id DESC
               LIMIT 1"#,
            &[&order_id, &since],
        )
        .await?;
    row.map(|r| r.col("passed")).transpose()
}

/// The round's packaging: `Ok(None)` when a checklist completed at or after `since`; otherwise the
/// number of items not packed in the open checklist (`Some(None)` when there is no open checklist).
pub async fn packaging_open_items(
    client: &impl GenericClient,
    order_id: Uuid,
    since: Option<NaiveDateTime>,
) -> Result<Option<Option<i64>>, DbError> {
    let row = client
        .query_one(
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

// ------------------------------------------------------------------------------------------------
// Queue
// ------------------------------------------------------------------------------------------------

/// What a queue page selects; the service derives it from the role and the screen's query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueFilter {
    /// The role's own statuses (MyWork); `None` for every status.
    pub statuses: Option<Vec<OrderStatus>>,
    /// Only builds assigned to this user or unassigned (the assembler's queue).
    pub mine_or_free: Option<Uuid>,
    pub status: Option<OrderStatus>,
    /// Trimmed search text; `None` for no search.
    pub search: Option<String>,
    pub due: DueFilter,
    pub sort: SortKey,
    pub descending: bool,
    pub after: Option<Cursor>,
    pub limit: u32,
}

/// The position after a page's last row: its sort value (as text) and id. Tied to the sort it was made
/// for, so a cursor from another order is refused rather than misread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub sort: SortKey,
    pub descending: bool,
    pub id: Uuid,
    pub value: String,
}

fn sort_code(s: SortKey) -> &'static str {
    match s {
        SortKey::PoNumber => "po",
        SortKey::BuildNumber => "build",
        SortKey::Customer => "customer",
        SortKey::Model => "model",
        SortKey::Status => "status",
        SortKey::WantDate => "want",
        SortKey::Assignee => "assignee",
    }
}

impl Cursor {
    /// `v1|<sort>|<a|d>|<id>|<value>`; the value comes last so it may contain anything.
    pub fn encode(&self) -> String {
        format!(
            "v1|{}|{}|{}|{}",
            sort_code(self.sort),
            if self.descending { "d" } else { "a" },
            self.id,
            self.value
        )
    }

    pub fn decode(s: &str) -> Option<Cursor> {
        let mut parts = s.splitn(5, '|');
        if parts.next()? != "v1" {
            return None;
        }
        let code = parts.next()?;
        let sort = SortKey::ALL.into_iter().find(|k| sort_code(*k) == code)?;
        let descending = match parts.next()? {
            "a" => false,
            "d" => true,
            _ => return None,
        };
        let id = Uuid::parse_str(parts.next()?).ok()?;
        let value = parts.next()?.to_string();
        Some(Cursor {
            sort,
            descending,
            id,
            value,
        })
    }
}

/// The queue statement for one sort: every filter is a parameter that is NULL (or 'ANY') when unused,
/// which each fresh custom plan folds away. The keyset condition compares (sort value, id) so the page
/// continues exactly after the cursor row, with `id` as the tie-breaker.
macro_rules! queue_sql {
    ($expr:literal, $cast:literal, $cmp:literal, $dir:literal) => {
        concat!(
            r#"SELECT po.id, po."poNumber", po."buildNumber", po."customerName", po."sinkModel",
                      po."orderStatus", po."wantDate", u."fullName" AS assignee,
                      (po."wantDate" - CURRENT_DATE) AS "daysLeft", "#,
            $expr,
            r#"::text AS "sortValue"
               FROM "ProductionOrder" po LEFT JOIN "User" u ON u.id = po."currentAssigneeId"
               WHERE ($1::"OrderStatus"[] IS NULL OR po."orderStatus" = ANY($1::"OrderStatus"[]))
                 AND ($2::uuid IS NULL OR po."currentAssigneeId" IS NULL OR po."currentAssigneeId" = $2::uuid)
                 AND ($3::"OrderStatus" IS NULL OR po."orderStatus" = $3::"OrderStatus")
                 AND ($4::text IS NULL OR po."poNumber" ILIKE $4::text OR po."buildNumber" ILIKE $4::text
                      OR po."customerName" ILIKE $4::text)
                 AND ($5::text = 'ANY'
                      OR ($5::text = 'OVERDUE' AND po."wantDate" < CURRENT_DATE
                          AND po."orderStatus" <> 'SHIPPED')
                      OR ($5::text = 'DUE_SOON' AND po."wantDate" >= CURRENT_DATE
                          AND po."wantDate" <= CURRENT_DATE + 7 AND po."orderStatus" <> 'SHIPPED'))
                 AND ($6::text IS NULL OR ("#,
            $expr,
            ", po.id) ",
            $cmp,
            " ($6::text",
            $cast,
            r#", $7::uuid))
               ORDER BY "#,
            $expr,
            " ",
            $dir,
            ", po.id ",
            $dir,
            " LIMIT $8"
        )
    };
}

/// The statement for `sort` in the given direction; each is a fixed text (no SQL is assembled).
fn queue_statement(sort: SortKey, descending: bool) -> &'static str {
    match (sort, descending) {
        (SortKey::PoNumber, false) => queue_sql!(r#"po."poNumber""#, "", ">", "ASC"),
        (SortKey::PoNumber, true) => queue_sql!(r#"po."poNumber""#, "", "<", "DESC"),
        (SortKey::BuildNumber, false) => queue_sql!(r#"po."buildNumber""#, "", ">", "ASC"),
        (SortKey::BuildNumber, true) => queue_sql!(r#"po."buildNumber""#, "", "<", "DESC"),
        (SortKey::Customer, false) => queue_sql!(r#"po."customerName""#, "", ">", "ASC"),
        (SortKey::Customer, true) => queue_sql!(r#"po."customerName""#, "", "<", "DESC"),
        (SortKey::Model, false) => queue_sql!(r#"po."sinkModel""#, "", ">", "ASC"),
        (SortKey::Model, true) => queue_sql!(r#"po."sinkModel""#, "", "<", "DESC"),
        (SortKey::Status, false) => {
            queue_sql!(r#"po."orderStatus""#, r#"::"OrderStatus""#, ">", "ASC")
        }
        (SortKey::Status, true) => {
            queue_sql!(r#"po."orderStatus""#, r#"::"OrderStatus""#, "<", "DESC")
        }
        (SortKey::WantDate, false) => queue_sql!(r#"po."wantDate""#, "::date", ">", "ASC"),
        (SortKey::WantDate, true) => queue_sql!(r#"po."wantDate""#, "::date", "<", "DESC"),
        (SortKey::Assignee, false) => {
            queue_sql!(r#"COALESCE(u."fullName", '')"#, "", ">", "ASC")
        }
        (SortKey::Assignee, true) => {
            queue_sql!(r#"COALESCE(u."fullName", '')"#, "", "<", "DESC")
        }
    }
}

fn due_code(d: DueFilter) -> &'static str {
    match d {
        DueFilter::Any => "ANY",
        DueFilter::Overdue => "OVERDUE",
        DueFilter::DueSoon => "DUE_SOON",
    }
}

/// `text` as an ILIKE substring pattern: its own `%`, `_` and `\` match literally.
pub fn like_pattern(text: &str) -> String {
    let mut p = String::with_capacity(text.len() + 2);
    p.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

pub(crate) fn queue_row(r: &Row) -> Result<OrderRow, DbError> {
    Ok(OrderRow {
        id: r.col("id")?,
        po_number: r.col("poNumber")?,
        build_number: r.col("buildNumber")?,
        customer_name: r.col("customerName")?,
        sink_model: r.col("sinkModel")?,
        status: status_of(r)?,
        want_date: r.col("wantDate")?,
        assignee: r.col("assignee")?,
        days_left: r.col("daysLeft")?,
    })
}

/// One page of a queue, and the cursor of the next page when there is one.
pub async fn queue(client: &impl GenericClient, f: &QueueFilter) -> Result<OrderPage, DbError> {
    let limit = i64::from(f.limit.clamp(1, 500));
    let pattern = f.search.as_deref().map(like_pattern);
    let (after_value, after_id) = match &f.after {
        Some(c) => (Some(c.value.clone()), Some(c.id)),
        None => (None, None),
    };
    let fetch = limit + 1;
    let params: [&(dyn ToSql + Sync); 8] = [
        &f.statuses,
        &f.mine_or_free,
        &f.status,
        &pattern,
        &due_code(f.due),
        &after_value,
        &after_id,
        &fetch,
    ];
    let rows = client
        .query(queue_statement(f.sort, f.descending), &params)
        .await?;
    let more = rows.len() as i64 > limit;
    let mut out = Vec::with_capacity(rows.len());
    let mut next = None;
    for (i, r) in rows.iter().enumerate() {
        if i as i64 == limit {
            break;
        }
        let row = queue_row(r)?;
        if more && i as i64 == limit - 1 {
            next = Some(
                Cursor {
                    sort: f.sort,
                    descending: f.descending,
                    id: row.id,
                    value: r.col("sortValue")?,
                }
                .encode(),
            );
        }
        out.push(row);
    }
    Ok(OrderPage { rows: out, next })
}

/// One build as a queue row.
pub async fn row_by_id(client: &impl GenericClient, id: Uuid) -> Result<Option<OrderRow>, DbError> {
    let row = client
        .query_opt(
            r#"SELECT po.id, po."poNumber", po."buildNumber", po."customerName", po."sinkModel",
                      po."orderStatus", po."wantDate", u."fullName" AS assignee,
                      (po."wantDate" - CURRENT_DATE) AS "daysLeft"
               FROM "ProductionOrder" po LEFT JOIN "User" u ON u.id = po."currentAssigneeId"
               WHERE po.id = $1"#,
            &[&id],
        )
        .await?;
    row.as_ref().map(queue_row).transpose()
}

// ------------------------------------------------------------------------------------------------
// Wizard drafts and users
// ------------------------------------------------------------------------------------------------

/// Stores the user's wizard draft, replacing the previous one.
pub async fn save_draft(
    client: &impl GenericClient,
    user_id: Uuid,
    data: &serde_json::Value,
) -> Result<(), DbError> {
    client
        .execute(
            r#"INSERT INTO "OrderDraft" ("userId", "data") VALUES ($1, $2)
               ON CONFLICT ("userId") DO UPDATE SET "data" = EXCLUDED."data""#,
            &[&user_id, data],
        )
        .await?;
    Ok(())
}

pub async fn load_draft(
    client: &impl GenericClient,
    user_id: Uuid,
) -> Result<Option<serde_json::Value>, DbError> {
    let row = client
        .query_opt(
            r#"SELECT "data" FROM "OrderDraft" WHERE "userId" = $1"#,
            &[&user_id],
        )
        .await?;
    row.map(|r| r.col("data")).transpose()
}

/// Deletes the user's draft; `true` when there was one.
pub async fn delete_draft(client: &impl GenericClient, user_id: Uuid) -> Result<bool, DbError> {
    let n = client
        .execute(
            r#"DELETE FROM "OrderDraft" WHERE "userId" = $1"#,
            &[&user_id],
        )
        .await?;
    Ok(n > 0)
}

/// One uploaded file, ready to store.
pub struct NewDocument<'a> {
    pub file_name: &'a str,
    pub original_name: &'a str,
    pub content_type: &'a str,
    pub content: &'a [u8],
    pub sha256: &'a str,
    pub uploaded_by: Uuid,
}

/// Stores a document and its bytes; its URL points at its own content row (`db:<id>`).
pub async fn insert_document(
    client: &impl GenericClient,
    doc: &NewDocument<'_>,
) -> Result<Uuid, DbError> {
    let id = Uuid::new_v4();
    let url = format!("db:{id}");
    let size = i64::try_from(doc.content.len())
        .map_err(|_| DbError::Invalid(format!("{} is too large", doc.original_name)))?;
    client
        .execute(
            r#"INSERT INTO "Document" (id, "fileName", "originalName", "fileUrl", "contentType",
                   "fileSize", "uploadedBy")
               VALUES ($1, $2, $3, $4, $5, $6, $7)"#,
            &[
                &id,
                &doc.file_name,
                &doc.original_name,
                &url,
                &doc.content_type,
                &size,
                &doc.uploaded_by,
            ],
        )
        .await?;
    client
        .execute(
            r#"INSERT INTO "DocumentContent" ("documentId", "content", "sha256") VALUES ($1, $2, $3)"#,
            &[&id, &doc.content, &doc.sha256],
        )
        .await?;
    Ok(id)
}

/// Attaches a stored document to a build.
pub async fn link_document(
    client: &impl GenericClient,
    order_id: Uuid,
    document_id: Uuid,
    document_type: OrderDocumentType,
) -> Result<(), DbError> {
    client
        .execute(
            r#"INSERT INTO "OrderDocument" ("orderId", "documentId", "documentType") VALUES ($1, $2, $3)"#,
            &[&order_id, &document_id, &document_type],
        )
        .await?;
    Ok(())
}

/// Active users of a role, by full name (the assignee picker).
pub async fn active_users_with_role(
    client: &impl GenericClient,
    role: Role,
) -> Result<Vec<UserSummary>, DbError> {
    let rows = client
        .query(
            concat!(
                "SELECT ",
                summary_cols!(),
                r#" FROM "User" u WHERE u."role" = $1 AND COALESCE(u."isActive", false)
                    ORDER BY u."fullName", u."username""#
            ),
            &[&role],
        )
        .await?;
    rows.iter().map(summary_from_row).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trip_keeps_any_value() {
        for sort in SortKey::ALL {
            for descending in [false, true] {
                let c = Cursor {
                    sort,
                    descending,
                    id: Uuid::from_u128(7),
                    value: "St. Mary | Hospital|x".into(),
                };
                assert_eq!(Cursor::decode(&c.encode()), Some(c));
            }
        }
        assert_eq!(Cursor::decode("v2|want|a|x|y"), None);
        assert_eq!(Cursor::decode("v1|want|a|not-a-uuid|y"), None);
        assert_eq!(Cursor::decode("garbage"), None);
    }

    #[test]
    fn like_pattern_escapes_wildcards() {
        assert_eq!(like_pattern("acme"), "%acme%");
        assert_eq!(like_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
    }

    #[test]
    fn every_sort_has_its_own_statement() {
        let mut seen = std::collections::HashSet::new();
        for sort in SortKey::ALL {
            for d in [false, true] {
                let sql = queue_statement(sort, d);
                assert!(seen.insert(sql));
                assert!(sql.contains(if d { "DESC" } else { "ASC" }));
            }
        }
    }
}
