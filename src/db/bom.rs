//! Bills of materials: the catalog as the generator reads it, and writing BOM versions.
//!
//! Generation itself is pure ([`crate::domain::bom::generate`]); this module loads its [`CatalogIndex`] and
//! stores a [`GeneratedBom`] as a new `"BillOfMaterials"` version with its `"BOMItem"` rows (R13).

use crate::db::row::{RowExt, query_all, query_opt_col};
use crate::db::{Client, Transaction};
use crate::domain::bom::{
    ACCESSORIES, BomError, BomPreview, BomStatus, CatalogIndex, GeneratedBom, custom_name, generate,
};
use crate::domain::bom_document::{
    BomDocument, BomHeader, BomVersionInfo, BomVersionList, StoredItem,
};
use crate::domain::catalog::EntityStatus;
use crate::domain::order::{AccessoryItem, BuildConfig, DocumentLanguage};
use crate::domain::order_view::BomSummary;
use crate::error::{Result, ServiceError};
use rust_decimal::Decimal;
use tokio_postgres::Row;
use uuid::Uuid;

/// A generation failure is the user's input problem: its message is shown as it is.
impl From<BomError> for ServiceError {
    fn from(e: BomError) -> Self {
        ServiceError::Invalid(e.to_string())
    }
}

/// The whole catalog for [`generate`]: parts, assemblies and their links in `sequenceOrder`.
pub async fn load_catalog_index(client: &impl Client) -> Result<CatalogIndex> {
    // Pipelined on one connection: one round trip's wait for the three.
    let (parts, assemblies, links) = futures_util::try_join!(
        client.fetch(r#"SELECT id, "name", "status" FROM "Part""#, &[]),
        client.fetch(r#"SELECT id, "name", "status" FROM "Assembly""#, &[]),
        client.fetch(
            r#"SELECT "parentAssemblyId", "childId", "quantity", "notes"
                 FROM "AssemblyComponent"
                ORDER BY "parentAssemblyId", "sequenceOrder" NULLS LAST, id"#,
            &[],
        ),
    )?;
    // A NULL status takes the column's default, ACTIVE.
    let entry = |r: &Row| -> Result<(String, String, EntityStatus)> {
        let status: Option<EntityStatus> = r.col("status")?;
        Ok((
            r.col("id")?,
            r.col("name")?,
            status.unwrap_or(EntityStatus::Active),
        ))
    };
    let mut index = CatalogIndex::new();
    for r in &parts {
        let (id, name, status) = entry(r)?;
        index.add_part(id, name, status);
    }
    for r in &assemblies {
        let (id, name, status) = entry(r)?;
        index.add_assembly(id, name, status);
    }
    for r in &links {
        let parent: &str = r.col("parentAssemblyId")?;
        let quantity: i32 = r.col("quantity")?;
        let child: String = r.col("childId")?;
        if !index.add_component(parent, child, i64::from(quantity), r.col("notes")?) {
            // The foreign key rules this out; dropping the link would silently shorten a BOM.
            return Err(ServiceError::Query(format!(
                "component of unknown assembly \"{parent}\""
            )));
        }
    }
    Ok(index)
}

/// Generates the BOM of `build` without saving it (the wizard's review). The outer error is the database's;
/// the inner one says why this build cannot be generated.
pub async fn preview(
    client: &impl Client,
    language: DocumentLanguage,
    build: &BuildConfig,
) -> Result<Result<BomPreview, BomError>> {
    let index = load_catalog_index(client).await?;
    Ok(generate(language, build, &index).map(|bom| bom.preview()))
}

/// Stores `bom` as the build's new current version (R13) and returns (its id, its version).
///
/// The version is the highest existing one + 1, status DRAFT; the previous current version (DRAFT or
/// APPROVED) becomes SUPERSEDED and `"ProductionOrder"."bomId"` points to the new row. Runs inside the
/// caller's transaction, so a failure anywhere in the change leaves no trace.
pub async fn write_version(
    tx: &Transaction<'_>,
    order_id: Uuid,
    bom: &GeneratedBom,
    generated_by: Uuid,
) -> Result<(Uuid, i32)> {
    // The row lock serialises two generations for one build, so their version numbers cannot collide.
    let locked = tx
        .fetch_opt(
            r#"SELECT id FROM "ProductionOrder" WHERE id = $1 FOR UPDATE"#,
            &[&order_id],
        )
        .await?;
    if locked.is_none() {
        return Err(ServiceError::NotFound("Build".into()));
    }
    let version: i32 = tx
        .fetch_one(
            r#"SELECT COALESCE(MAX("version"), 0) + 1 AS "version" FROM "BillOfMaterials" WHERE "orderId" = $1"#,
            &[&order_id],
        )
        .await?
        .col("version")?;
    tx.exec(
        r#"UPDATE "BillOfMaterials" SET "status" = $2
            WHERE "orderId" = $1 AND "status" IN ('DRAFT', 'APPROVED')"#,
        &[&order_id, &BomStatus::Superseded],
    )
    .await?;
    let bom_id = Uuid::new_v4();
    tx.exec(
        r#"INSERT INTO "BillOfMaterials" (id, "orderId", "version", "generatedBy", "status", "notes")
           VALUES ($1, $2, $3, $4, $5, $6)"#,
        &[
            &bom_id,
            &order_id,
            &version,
            &generated_by,
            &BomStatus::Draft,
            &bom.notes_text(),
        ],
    )
    .await?;
    insert_items(tx, bom_id, bom).await?;
    tx.exec(
        r#"UPDATE "ProductionOrder" SET "bomId" = $2 WHERE id = $1"#,
        &[&order_id, &bom_id],
    )
    .await?;
    Ok((bom_id, version))
}

/// Sets a DRAFT BOM to APPROVED; `false` when it is no longer DRAFT (R13 allows only DRAFT→APPROVED).
pub async fn approve(tx: &Transaction<'_>, bom_id: Uuid) -> Result<bool> {
    let n = tx
        .exec(
            r#"UPDATE "BillOfMaterials" SET "status" = $2 WHERE id = $1 AND "status" = $3"#,
            &[&bom_id, &BomStatus::Approved, &BomStatus::Draft],
        )
        .await?;
    Ok(n == 1)
}

/// Every node in one statement; the ids are made here so that each row can name its parent's.
async fn insert_items(tx: &Transaction<'_>, bom_id: Uuid, bom: &GeneratedBom) -> Result<()> {
    if bom.nodes.is_empty() {
        return Ok(());
    }
    let ids: Vec<Uuid> = bom.nodes.iter().map(|_| Uuid::new_v4()).collect();
    let mut parent: Vec<Option<Uuid>> = Vec::with_capacity(ids.len());
    for n in &bom.nodes {
        parent.push(match n.parent {
            Some(p) => Some(*ids.get(p).ok_or_else(|| {
                ServiceError::Invalid(format!("BOM node {} names a missing parent", n.id))
            })?),
            None => None,
        });
    }
    let kind: Vec<&str> = bom.nodes.iter().map(|n| n.item_type.code()).collect();
    let item: Vec<&str> = bom.nodes.iter().map(|n| n.id.as_str()).collect();
    let quantity: Vec<Decimal> = bom
        .nodes
        .iter()
        .map(|n| Decimal::from(n.quantity))
        .collect();
    let level: Vec<i32> = bom.nodes.iter().map(|n| n.level).collect();
    let sequence: Vec<i32> = bom.nodes.iter().map(|n| n.sequence).collect();
    let notes: Vec<Option<&str>> = bom.nodes.iter().map(|n| n.notes.as_deref()).collect();
    let custom: Vec<bool> = bom.nodes.iter().map(|n| n.is_custom).collect();
    let spec: Vec<Option<&serde_json::Value>> =
        bom.nodes.iter().map(|n| n.custom_spec.as_ref()).collect();
    tx.exec(
        r#"INSERT INTO "BOMItem"
               (id, "bomId", "itemType", "itemId", "parentItemId", "quantity", "level", "sequenceOrder",
                "notes", "isCustomPart", "customPartSpec")
           SELECT u.id, $1::uuid, u.kind::"ComponentType", u.item, u.parent, u.quantity, u.level, u.seq, u.notes,
                  u.custom, u.spec
             FROM UNNEST($2::uuid[], $3::text[], $4::text[], $5::uuid[], $6::numeric[], $7::int4[],
                         $8::int4[], $9::text[], $10::bool[], $11::jsonb[])
                  AS u(id, kind, item, parent, quantity, level, seq, notes, custom, spec)"#,
        &[
            &bom_id, &ids, &kind, &item, &parent, &quantity, &level, &sequence, &notes, &custom,
            &spec,
        ],
    )
    .await?;
    Ok(())
}

/// The build's current BOM in brief (the version `"ProductionOrder"."bomId"` names), or `None` before the
/// first generation.
pub async fn summary(client: &impl Client, order_id: Uuid) -> Result<Option<BomSummary>> {
    let row = client
        .fetch_opt(
            r#"SELECT b."version", COALESCE(b."status", 'DRAFT') AS "status", b."notes",
                      (SELECT count(*) FROM "BOMItem" i WHERE i."bomId" = b.id AND i."parentItemId" IS NULL)
                        AS "topLevelLines"
                 FROM "ProductionOrder" o
                 JOIN "BillOfMaterials" b ON b.id = o."bomId"
                WHERE o.id = $1"#,
            &[&order_id],
        )
        .await?;
    row.map(|r| {
        let status: BomStatus = r.col("status")?;
        Ok(BomSummary {
            version: r.col("version")?,
            status: status.code().to_string(),
            top_level_lines: r.col("topLevelLines")?,
            notes: r.col("notes")?,
        })
    })
    .transpose()
}

/// The accessories the wizard offers (R9), named from the catalog by R10 and ordered by subcategory, then
/// id. An id the catalog lacks is left out: it could not be generated anyway.
pub async fn accessories(client: &impl Client) -> Result<Vec<AccessoryItem>> {
    let ids: Vec<&str> = ACCESSORIES.iter().map(|a| a.id).collect();
    let rows = client
        .fetch(
            r#"SELECT u.id, COALESCE(a."name", twin."name", p."name") AS "name"
                 FROM UNNEST($1::text[]) AS u(id)
                 LEFT JOIN "Assembly" a ON a.id = u.id
                 LEFT JOIN "Assembly" twin ON twin.id = 'ASSY-' || u.id
                 LEFT JOIN "Part" p ON p.id = u.id"#,
            &[&ids],
        )
        .await?;
    let mut out: Vec<AccessoryItem> = Vec::with_capacity(rows.len());
    for r in &rows {
        let id: &str = r.col("id")?;
        let name: Option<String> = r.col("name")?;
        let (Some(name), Some(def)) = (name, ACCESSORIES.iter().find(|a| a.id == id)) else {
            continue;
        };
        out.push(AccessoryItem {
            id: def.id.to_string(),
            name,
            subcategory: def.subcategory.to_string(),
        });
    }
    out.sort_by(|a, b| (&a.subcategory, &a.id).cmp(&(&b.subcategory, &b.id)));
    Ok(out)
}

/// The build's header for the BOM screens and exports, or `None` when there is no such build.
async fn header(client: &impl Client, order_id: Uuid) -> Result<Option<(BomHeader, Option<Uuid>)>> {
    let row = client
        .fetch_opt(
            r#"SELECT "poNumber", "buildNumber", "customerName", "sinkModel",
                      COALESCE("orderStatus", 'ORDER_CREATED') AS "orderStatus", "bomId"
                 FROM "ProductionOrder" WHERE id = $1"#,
            &[&order_id],
        )
        .await?;
    row.map(|r| {
        Ok((
            BomHeader {
                order_id,
                po_number: r.col("poNumber")?,
                build_number: r.col("buildNumber")?,
                customer_name: r.col("customerName")?,
                sink_model: r.col("sinkModel")?,
                order_status: r.col("orderStatus")?,
            },
            r.col("bomId")?,
        ))
    })
    .transpose()
}

const VERSION_COLUMNS: &str = r#"b.id, b."version", COALESCE(b."status", 'DRAFT') AS "status",
    COALESCE(NULLIF(u."fullName", ''), u."username") AS "generatedBy", b."generatedAt", b."notes""#;

fn version_info(r: &Row, current: Option<Uuid>) -> Result<BomVersionInfo> {
    let id: Uuid = r.col("id")?;
    let notes: Option<String> = r.col("notes")?;
    Ok(BomVersionInfo {
        id,
        version: r.col("version")?,
        status: r.col("status")?,
        generated_by: r.col("generatedBy")?,
        generated_at: r.col("generatedAt")?,
        notes: notes
            .map(|n| n.lines().map(str::to_string).collect())
            .unwrap_or_default(),
        current: current == Some(id),
    })
}

/// Every BOM version of a build, newest first; `None` when there is no such build.
pub async fn versions(client: &impl Client, order_id: Uuid) -> Result<Option<BomVersionList>> {
    let Some((header, current)) = header(client, order_id).await? else {
        return Ok(None);
    };
    let versions = query_all(
        client,
        &format!(
            r#"SELECT {VERSION_COLUMNS}
                 FROM "BillOfMaterials" b LEFT JOIN "User" u ON u.id = b."generatedBy"
                WHERE b."orderId" = $1
                ORDER BY b."version" DESC"#
        ),
        &[&order_id],
        |r| version_info(r, current),
    )
    .await?;
    Ok(Some(BomVersionList { header, versions }))
}

/// One stored version of a build's BOM with its items in display order: `bom_id`, or the current version
/// when `None`. `None` when the build, the version, or (for the current one) any version is missing.
pub async fn document(
    client: &impl Client,
    order_id: Uuid,
    bom_id: Option<Uuid>,
) -> Result<Option<BomDocument>> {
    let Some((header, current)) = header(client, order_id).await? else {
        return Ok(None);
    };
    let Some(bom_id) = bom_id.or(current) else {
        return Ok(None);
    };
    let Some(row) = client
        .fetch_opt(
            &format!(
                r#"SELECT {VERSION_COLUMNS}
                     FROM "BillOfMaterials" b LEFT JOIN "User" u ON u.id = b."generatedBy"
                    WHERE b.id = $1 AND b."orderId" = $2"#
            ),
            &[&bom_id, &order_id],
        )
        .await?
    else {
        return Ok(None);
    };
    let version = version_info(&row, current)?;
    // sequenceOrder is the depth-first pre-order the generator wrote; the id breaks ties for rows that
    // lack one, so the order is stable.
    let rows = client
        .fetch(
            r#"SELECT i.id, i."parentItemId", i."itemId", i."itemType", i."quantity", i."level",
                      COALESCE(i."sequenceOrder", 0) AS "sequence", COALESCE(i."isCustomPart", false) AS "isCustom",
                      i."customPartSpec", i."notes", COALESCE(p."name", a."name", twin."name") AS "catalogName"
                 FROM "BOMItem" i
                 LEFT JOIN "Part" p ON i."itemType" = 'PART' AND p.id = i."itemId"
                 -- R10's order: the assembly of that id, else its ASSY- twin (the stored id is canonical).
                 LEFT JOIN "Assembly" a ON i."itemType" = 'ASSEMBLY' AND a.id = i."itemId"
                 LEFT JOIN "Assembly" twin ON i."itemType" = 'ASSEMBLY' AND twin.id = 'ASSY-' || i."itemId"
                WHERE i."bomId" = $1
                ORDER BY i."sequenceOrder" NULLS LAST, i.id"#,
            &[&bom_id],
        )
        .await?;
    let mut at: std::collections::HashMap<Uuid, usize> = std::collections::HashMap::new();
    let mut items: Vec<StoredItem> = Vec::with_capacity(rows.len());
    for r in &rows {
        let id: Uuid = r.col("id")?;
        let parent_id: Option<Uuid> = r.col("parentItemId")?;
        let parent = match parent_id {
            None => None,
            Some(p) => Some(*at.get(&p).ok_or_else(|| {
                ServiceError::Query(format!("BOM item {id} comes before its parent {p}"))
            })?),
        };
        let item_id: String = r.col("itemId")?;
        let is_custom: bool = r.col("isCustom")?;
        let custom_spec: Option<serde_json::Value> = r.col("customPartSpec")?;
        let catalog_name: Option<String> = r.col("catalogName")?;
        let name = catalog_name
            .or_else(|| custom_spec.as_ref().and_then(custom_name))
            .unwrap_or_else(|| "(not in the catalog)".to_string());
        at.insert(id, items.len());
        items.push(StoredItem {
            id,
            parent,
            item_id,
            name,
            item_type: r.col("itemType")?,
            quantity: r.col("quantity")?,
            level: r.col("level")?,
            sequence: r.col("sequence")?,
            is_custom,
            custom_spec,
            notes: r.col("notes")?,
        });
    }
    // The approval's signature, printed on the exports (docs/signatures.md §2).
    let approval = query_opt_col(
        client,
        r#"SELECT "manifestation" FROM "ElectronicSignature"
            WHERE "recordType" = 'BillOfMaterials' AND "recordId" = $1 AND "meaning" = 'APPROVED'
            ORDER BY "signedAt" DESC, id LIMIT 1"#,
        &[&bom_id],
        "manifestation",
    )
    .await?;
    Ok(Some(BomDocument {
        header,
        version,
        items,
        approval,
    }))
}
