//! Packaging checklists and their items (`"PackagingChecklist"`, `"PackagingItem"`).
//!
//! The use-cases and their checks are in `service::packaging`; these functions only read and write.

use crate::db::row::{RowExt, query_all, query_id, query_opt_col, query_opt_map};
use crate::db::{Client, Transaction};
use crate::domain::bom::ItemType;
use crate::domain::floor::PackagingRule;
use crate::error::Result;
use chrono::NaiveDateTime;
use tokio_postgres::Row;
use uuid::Uuid;

/// The packaging rules of a template's items: (item id, code, description, rule), in `sequenceOrder`.
/// Items without an `itemId` are not packaging lines and are left out.
pub async fn rules(
    client: &impl Client,
    template_id: Uuid,
) -> Result<Vec<(Uuid, String, String, PackagingRule)>> {
    let rows = client
        .fetch(
            r#"SELECT id, COALESCE("rules"->>'code', '') AS "code", "itemDescription", "rules"
                 FROM "QCChecklistItem" WHERE "templateId" = $1 ORDER BY "sequenceOrder""#,
            &[&template_id],
        )
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let rules: Option<serde_json::Value> = r.col("rules")?;
        if let Some(rule) = PackagingRule::from_rules(rules.as_ref()) {
            out.push((
                r.col("id")?,
                r.col("code")?,
                r.col("itemDescription")?,
                rule,
            ));
        }
    }
    Ok(out)
}

/// Whether a catalog id names an assembly (itself or its `ASSY-` twin, R10); anything else is a part.
pub async fn item_type_of(client: &impl Client, item_id: &str) -> Result<ItemType> {
    let row = client
        .fetch_one(
            r#"SELECT EXISTS (SELECT 1 FROM "Assembly" WHERE id = $1 OR id = 'ASSY-' || $1) AS "assembly""#,
            &[&item_id],
        )
        .await?;
    let assembly: bool = row.col("assembly")?;
    Ok(if assembly {
        ItemType::Assembly
    } else {
        ItemType::Part
    })
}

/// Removes the build's open checklist, if any: a build has at most one.
pub async fn delete_open(tx: &Transaction<'_>, order_id: Uuid) -> Result<u64> {
    Ok(tx
        .exec(
            r#"DELETE FROM "PackagingChecklist"
                WHERE "orderId" = $1 AND NOT COALESCE("isCompleted", false)"#,
            &[&order_id],
        )
        .await?)
}

pub async fn insert_checklist(tx: &Transaction<'_>, order_id: Uuid, user_id: Uuid) -> Result<Uuid> {
    query_id(
        tx,
        r#"INSERT INTO "PackagingChecklist" ("orderId", "performedBy") VALUES ($1, $2) RETURNING id"#,
        &[&order_id, &user_id],
    )
    .await
}

pub async fn insert_item(
    tx: &Transaction<'_>,
    checklist_id: Uuid,
    item_type: ItemType,
    item_id: &str,
    required: i32,
) -> Result<()> {
    tx.exec(
        r#"INSERT INTO "PackagingItem" ("packagingChecklistId", "itemType", "itemId", "requiredQuantity")
           VALUES ($1, $2, $3, $4)"#,
        &[&checklist_id, &item_type, &item_id, &required],
    )
    .await?;
    Ok(())
}

/// A checklist's header row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecklistRow {
    pub id: Uuid,
    pub order_id: Uuid,
    pub performed_by: String,
    pub completed: bool,
    pub completed_at: Option<NaiveDateTime>,
}

const CHECKLIST_COLUMNS: &str = r#"c.id, c."orderId", COALESCE(NULLIF(u."fullName", ''), u."username", '') AS "performedBy",
    COALESCE(c."isCompleted", false) AS "isCompleted", c."completedAt""#;

fn checklist_row(r: &Row) -> Result<ChecklistRow> {
    Ok(ChecklistRow {
        id: r.col("id")?,
        order_id: r.col("orderId")?,
        performed_by: r.col("performedBy")?,
        completed: r.col("isCompleted")?,
        completed_at: r.col("completedAt")?,
    })
}

/// The build's current checklist: the open one, else the most recently completed.
pub async fn current(client: &impl Client, order_id: Uuid) -> Result<Option<ChecklistRow>> {
    query_opt_map(
        client,
        &format!(
            r#"SELECT {CHECKLIST_COLUMNS}
                     FROM "PackagingChecklist" c LEFT JOIN "User" u ON u.id = c."performedBy"
                    WHERE c."orderId" = $1
                    ORDER BY COALESCE(c."isCompleted", false), c."completedAt" DESC NULLS LAST, c.id
                    LIMIT 1"#
        ),
        &[&order_id],
        checklist_row,
    )
    .await
}

/// The round's packaging checklist: the latest one completed at or after `since` (the build's entry to
/// TESTING_COMPLETE), the record packaging complete signs.
pub async fn completed_since(
    client: &impl Client,
    order_id: Uuid,
    since: Option<NaiveDateTime>,
) -> Result<Option<Uuid>> {
    query_opt_col(
        client,
        r#"SELECT c.id FROM "PackagingChecklist" c
            WHERE c."orderId" = $1 AND COALESCE(c."isCompleted", false)
              AND ($2::timestamp IS NULL OR c."completedAt" >= $2)
            ORDER BY c."completedAt" DESC, c.id
            LIMIT 1"#,
        &[&order_id, &since],
        "id",
    )
    .await
}

/// One `"PackagingItem"` row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemRow {
    pub id: Uuid,
    pub checklist_id: Uuid,
    pub item_type: ItemType,
    pub item_id: String,
    pub required: i32,
    pub packed: i32,
    pub complete: bool,
    pub notes: Option<String>,
}

const ITEM_COLUMNS: &str = r#"id, "packagingChecklistId", "itemType", "itemId", "requiredQuantity",
    COALESCE("packedQuantity", 0) AS "packedQuantity", COALESCE("isComplete", false) AS "isComplete", "notes""#;

fn item_row(r: &Row) -> Result<ItemRow> {
    Ok(ItemRow {
        id: r.col("id")?,
        checklist_id: r.col("packagingChecklistId")?,
        item_type: r.col("itemType")?,
        item_id: r.col("itemId")?,
        required: r.col("requiredQuantity")?,
        packed: r.col("packedQuantity")?,
        complete: r.col("isComplete")?,
        notes: r.col("notes")?,
    })
}

/// A checklist's items by catalog id (the service puts them in template order).
pub async fn items(client: &impl Client, checklist_id: Uuid) -> Result<Vec<ItemRow>> {
    query_all(
        client,
        &format!(
            r#"SELECT {ITEM_COLUMNS} FROM "PackagingItem"
                    WHERE "packagingChecklistId" = $1 ORDER BY "itemId", id"#
        ),
        &[&checklist_id],
        item_row,
    )
    .await
}

/// One item with the build it belongs to.
pub async fn item(client: &impl Client, item_id: Uuid) -> Result<Option<(ItemRow, Uuid)>> {
    let row = client
        .fetch_opt(
            &format!(
                r#"SELECT {ITEM_COLUMNS}, (SELECT c."orderId" FROM "PackagingChecklist" c
                                            WHERE c.id = "packagingChecklistId") AS "orderId"
                     FROM "PackagingItem" WHERE id = $1"#
            ),
            &[&item_id],
        )
        .await?;
    row.map(|r| Ok((item_row(&r)?, r.col("orderId")?)))
        .transpose()
}

pub async fn update_item(
    tx: &Transaction<'_>,
    item_id: Uuid,
    packed: i32,
    complete: bool,
    notes: Option<&str>,
) -> Result<()> {
    tx.exec(
        r#"UPDATE "PackagingItem" SET "packedQuantity" = $2, "isComplete" = $3, "notes" = $4
            WHERE id = $1"#,
        &[&item_id, &packed, &complete, &notes],
    )
    .await?;
    Ok(())
}

/// Sets the checklist complete when every item is (completedAt now, performedBy the completing user), or
/// reopens it when an item went back. Returns whether it is complete.
pub async fn refresh_completion(
    tx: &Transaction<'_>,
    checklist_id: Uuid,
    user_id: Uuid,
) -> Result<bool> {
    let row = tx
        .fetch_one(
            r#"WITH s AS (SELECT COALESCE(bool_and(COALESCE("isComplete", false)), true) AS done
                            FROM "PackagingItem" WHERE "packagingChecklistId" = $1)
               UPDATE "PackagingChecklist" c
                  SET "isCompleted" = s.done,
                      "completedAt" = CASE WHEN NOT s.done THEN NULL
                                           WHEN COALESCE(c."isCompleted", false) THEN c."completedAt"
                                           ELSE CURRENT_TIMESTAMP END,
                      "performedBy" = CASE WHEN s.done AND NOT COALESCE(c."isCompleted", false)
                                           THEN $2 ELSE c."performedBy" END
                 FROM s
                WHERE c.id = $1
            RETURNING s.done"#,
            &[&checklist_id, &user_id],
        )
        .await?;
    row.col("done")
}
