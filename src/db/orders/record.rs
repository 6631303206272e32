//! One build as stored: loading it with its configuration rows, and locking it for a transition.

use crate::db::Client;
use crate::db::row::{RowExt, query_all, query_opt_col, query_opt_map};
use crate::domain::Role;
use crate::domain::order::{
    AccessoryLine, BasinConfig, BuildConfig, DocumentLanguage, FaucetConfig, OrderHeader,
    OrderStatus, SprayerConfig,
};
use crate::error::{Result, ServiceError};
use chrono::NaiveDateTime;
use tokio_postgres::Row;
use uuid::Uuid;

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

pub(super) fn status_of(row: &Row) -> Result<OrderStatus> {
    row.col::<Option<OrderStatus>>("orderStatus")?
        .ok_or_else(|| ServiceError::Query("a build has no status".into()))
}

fn record_from_row(row: &Row) -> Result<OrderRecord> {
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
pub async fn load(client: &impl Client, id: Uuid) -> Result<Option<OrderRecord>> {
    let sql = concat!(
        "SELECT ",
        record_cols!(),
        r#" FROM "ProductionOrder" po LEFT JOIN "User" u ON u.id = po."currentAssigneeId"
                    WHERE po.id = $1"#
    );
    let Some(mut rec) = query_opt_map(client, sql, &[&id], record_from_row).await? else {
        return Ok(None);
    };
    load_config_rows(client, id, &mut rec.build).await?;
    Ok(Some(rec))
}

/// Fills the basins, faucets, sprayers and accessories of `build` from the database.
pub async fn load_config_rows(
    client: &impl Client,
    order_id: Uuid,
    build: &mut BuildConfig,
) -> Result<()> {
    build.basins = query_all(
        client,
        r#"SELECT "basinIndex", "basinType", "basinWidth", "basinLength", "basinDepth",
                  COALESCE("isCustomSize", false) AS "isCustomSize",
                  COALESCE("hasPTrapDrain", false) AS "hasPTrapDrain",
                  COALESCE("hasBasinLight", false) AS "hasBasinLight"
             FROM "BasinConfiguration" WHERE "orderId" = $1 ORDER BY "basinIndex""#,
        &[&order_id],
        |r| {
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
        },
    )
    .await?;
    // Rows have no position column: each is stamped with the clock at insert, so creation time keeps
    // the order entered.
    build.faucets = query_all(
        client,
        r#"SELECT "faucetType", "quantity", "placement" FROM "FaucetConfiguration"
            WHERE "orderId" = $1 ORDER BY "createdAt", id"#,
        &[&order_id],
        |r| {
            Ok(FaucetConfig {
                faucet_type: r.col("faucetType")?,
                quantity: r.col("quantity")?,
                placement: r.col("placement")?,
            })
        },
    )
    .await?;
    build.sprayers = query_all(
        client,
        r#"SELECT "sprayerType", "quantity", "location" FROM "SprayerConfiguration"
            WHERE "orderId" = $1 ORDER BY "createdAt", id"#,
        &[&order_id],
        |r| {
            Ok(SprayerConfig {
                sprayer_type: r.col("sprayerType")?,
                quantity: r.col("quantity")?,
                location: r.col("location")?,
            })
        },
    )
    .await?;
    build.accessories = query_all(
        client,
        r#"SELECT "assemblyId", "quantity" FROM "OrderAccessory"
            WHERE "orderId" = $1 ORDER BY "createdAt", "assemblyId""#,
        &[&order_id],
        |r| {
            Ok(AccessoryLine {
                assembly_id: r.col("assemblyId")?,
                quantity: r.col("quantity")?,
            })
        },
    )
    .await?;
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
pub async fn lock(client: &impl Client, id: Uuid) -> Result<Option<LockedOrder>> {
    let row = client
        .fetch_opt(
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
                .ok_or_else(|| ServiceError::Query("assignee without a role".into()))?,
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
pub async fn id_by_build_number(client: &impl Client, build_number: &str) -> Result<Option<Uuid>> {
    query_opt_col(
        client,
        r#"SELECT id FROM "ProductionOrder" WHERE lower("buildNumber") = lower($1)"#,
        &[&build_number],
        "id",
    )
    .await
}
