//! Creating builds: PO and build-number checks, the build row and its configuration rows.

use crate::db::Client;
use crate::db::row::{RowExt, query_all, query_opt_col};
use crate::domain::order::{BuildConfig, OrderHeader};
use crate::error::Result;
use chrono::NaiveDate;
use tokio_postgres::types::ToSql;
use uuid::Uuid;

/// The database's CURRENT_DATE ("today" is the server's date, set to the plant's time zone:
/// docs/lifecycle.md §6.9).
pub async fn today(client: &impl Client) -> Result<NaiveDate> {
    let row = client.fetch_one("SELECT CURRENT_DATE", &[]).await?;
    row.col("current_date")
}

/// Serialises creations of the same PO number (case-insensitive) until the transaction ends: no index
/// can make a PO number unique, since every build of the PO repeats it.
pub async fn lock_po_number(client: &impl Client, po_number: &str) -> Result<()> {
    // The first key names this lock's purpose so it cannot collide with other advisory locks.
    client
        .exec(
            "SELECT pg_advisory_xact_lock(1347374926, hashtext(lower($1::text)))",
            &[&po_number],
        )
        .await?;
    Ok(())
}

/// The stored spelling of `po_number` when some build already has it (case-insensitive).
pub async fn po_number_taken(client: &impl Client, po_number: &str) -> Result<Option<String>> {
    po_where(client, "poNumber", po_number).await
}

/// The PO of a build whose `column` equals `value` case-insensitively (`column` is one of ours).
async fn po_where(client: &impl Client, column: &str, value: &str) -> Result<Option<String>> {
    query_opt_col(
        client,
        &format!(
            r#"SELECT "poNumber" FROM "ProductionOrder" WHERE lower("{column}") = lower($1) LIMIT 1"#
        ),
        &[&value],
        "poNumber",
    )
    .await
}

/// (entered build number, PO it exists in) for each entered number some build already has
/// (case-insensitive), in the order entered.
pub async fn build_numbers_taken(
    client: &impl Client,
    build_numbers: &[String],
) -> Result<Vec<(String, String)>> {
    query_all(
        client,
        r#"SELECT e.entered, po."poNumber"
               FROM unnest($1::text[]) WITH ORDINALITY AS e(entered, n)
               JOIN "ProductionOrder" po ON lower(po."buildNumber") = lower(e.entered)
               ORDER BY e.n"#,
        &[&build_numbers],
        |r| Ok((r.col("entered")?, r.col("poNumber")?)),
    )
    .await
}

/// Inserts one build in ORDER_CREATED without assignee. `None` when its build number is taken
/// (case-insensitive): the unique index decides, so a concurrent creation that committed first wins
/// and this transaction stays usable to say so.
pub async fn insert_build(
    client: &impl Client,
    header: &OrderHeader,
    build: &BuildConfig,
) -> Result<Option<Uuid>> {
    query_opt_col(
        client,
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
        "id",
    )
    .await
}

/// The PO a build number belongs to (case-insensitive).
pub async fn po_of_build(client: &impl Client, build_number: &str) -> Result<Option<String>> {
    po_where(client, "buildNumber", build_number).await
}

/// Inserts the basins (basinIndex as given), faucets, sprayers and accessories of a build.
pub async fn insert_config_rows(
    client: &impl Client,
    order_id: Uuid,
    build: &BuildConfig,
) -> Result<()> {
    if !build.basins.is_empty() {
        let sql = r#"INSERT INTO "BasinConfiguration" (
                       "orderId", "basinIndex", "basinType", "basinWidth", "basinLength", "basinDepth",
                       "isCustomSize", "hasPTrapDrain", "hasBasinLight")
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"#;
        for b in &build.basins {
            client
                .exec(
                    sql,
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
    // Each row is stamped with the clock at insert: creation time keeps the order entered.
    let faucets = build
        .faucets
        .iter()
        .map(|f| -> Params<'_> { vec![&order_id, &f.faucet_type, &f.quantity, &f.placement] });
    insert_each(
        client,
        r#"INSERT INTO "FaucetConfiguration" ("orderId", "faucetType", "quantity", "placement", "createdAt")
           VALUES ($1, $2, $3, $4, clock_timestamp()::timestamp)"#,
        faucets,
    )
    .await?;
    let sprayers = build
        .sprayers
        .iter()
        .map(|s| -> Params<'_> { vec![&order_id, &s.sprayer_type, &s.quantity, &s.location] });
    insert_each(
        client,
        r#"INSERT INTO "SprayerConfiguration" ("orderId", "sprayerType", "quantity", "location", "createdAt")
           VALUES ($1, $2, $3, $4, clock_timestamp()::timestamp)"#,
        sprayers,
    )
    .await?;
    let accessories = build
        .accessories
        .iter()
        .map(|a| -> Params<'_> { vec![&order_id, &a.assembly_id, &a.quantity] });
    insert_each(
        client,
        r#"INSERT INTO "OrderAccessory" ("orderId", "assemblyId", "quantity", "createdAt")
           VALUES ($1, $2, $3, clock_timestamp()::timestamp)"#,
        accessories,
    )
    .await
}

type Params<'a> = Vec<&'a (dyn ToSql + Sync)>;

/// Runs `sql` once for each parameter list, in order.
async fn insert_each<'a>(
    client: &impl Client,
    sql: &str,
    rows: impl Iterator<Item = Params<'a>>,
) -> Result<()> {
    for params in rows {
        client.exec(sql, &params).await?;
    }
    Ok(())
}

/// Replaces the basin, faucet, sprayer and accessory rows of a build.
pub async fn replace_config_rows(
    client: &impl Client,
    order_id: Uuid,
    build: &BuildConfig,
) -> Result<()> {
    for sql in [
        r#"DELETE FROM "BasinConfiguration" WHERE "orderId" = $1"#,
        r#"DELETE FROM "FaucetConfiguration" WHERE "orderId" = $1"#,
        r#"DELETE FROM "SprayerConfiguration" WHERE "orderId" = $1"#,
        r#"DELETE FROM "OrderAccessory" WHERE "orderId" = $1"#,
    ] {
        client.exec(sql, &[&order_id]).await?;
    }
    insert_config_rows(client, order_id, build).await
}

/// Stores a build's configuration columns while it is still ORDER_CREATED; `false` when it is not.
pub async fn update_build_config(
    client: &impl Client,
    order_id: Uuid,
    build: &BuildConfig,
) -> Result<bool> {
    let n = client
        .exec(
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
