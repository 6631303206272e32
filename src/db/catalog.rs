//! Catalog tables: `"Part"`, `"Assembly"`, `"AssemblyComponent"`, `"Category"`.
//!
//! The upserts take whole batches (one statement per table, arrays unnested server-side) and rewrite a row
//! only when a column actually changes, so re-importing an unchanged catalog writes nothing and leaves no
//! audit rows. Each returns the ids it inserted or updated.

use crate::db::row::{RowExt, query_all, query_opt_col};
use crate::db::{Client, Transaction};
use crate::domain::catalog::{Assembly, Category, Component, ComponentType, Part};
use crate::error::{Result, ServiceError};
use std::collections::{HashMap, HashSet};

/// Serialises catalog imports: two stations importing at once would otherwise race on the component diff.
const IMPORT_LOCK_KEY: i64 = 0x6361_7461_6c6f_6721; // "catalog!"

/// Waits for any other catalog import to finish; released at commit or rollback.
pub async fn lock_for_import(tx: &Transaction<'_>) -> Result<()> {
    tx.exec("SELECT pg_advisory_xact_lock($1)", &[&IMPORT_LOCK_KEY])
        .await?;
    Ok(())
}

async fn ids(client: &impl Client, sql: &str) -> Result<HashSet<String>> {
    client
        .fetch(sql, &[])
        .await?
        .iter()
        .map(|r| r.col("id"))
        .collect()
}

pub async fn part_ids(client: &impl Client) -> Result<HashSet<String>> {
    ids(client, r#"SELECT id FROM "Part""#).await
}

pub async fn assembly_ids(client: &impl Client) -> Result<HashSet<String>> {
    ids(client, r#"SELECT id FROM "Assembly""#).await
}

/// The stored id of the part or assembly whose id is `id` ignoring case (a part first).
pub async fn item_id_ignoring_case(client: &impl Client, id: &str) -> Result<Option<String>> {
    query_opt_col(
        client,
        r#"SELECT id FROM (SELECT id, 0 AS "rank" FROM "Part" WHERE lower(id) = lower($1)
                           UNION ALL
                           SELECT id, 1 AS "rank" FROM "Assembly" WHERE lower(id) = lower($1)) AS found
            ORDER BY "rank", id LIMIT 1"#,
        &[&id],
        "id",
    )
    .await
}

pub async fn category_ids(client: &impl Client) -> Result<HashSet<String>> {
    ids(client, r#"SELECT id FROM "Category""#).await
}

/// Inserts or updates `parts`; returns the ids written.
pub async fn upsert_parts(tx: &Transaction<'_>, parts: &[Part]) -> Result<Vec<String>> {
    if parts.is_empty() {
        return Ok(Vec::new());
    }
    let id: Vec<&str> = parts.iter().map(|p| p.id.as_str()).collect();
    let name: Vec<&str> = parts.iter().map(|p| p.name.as_str()).collect();
    let mpn: Vec<Option<&str>> = parts
        .iter()
        .map(|p| p.manufacturer_part_number.as_deref())
        .collect();
    let info: Vec<Option<&str>> = parts.iter().map(Part::manufacturer_info_column).collect();
    let kind: Vec<&str> = parts.iter().map(|p| p.part_type.code()).collect();
    let status: Vec<&str> = parts.iter().map(|p| p.status.code()).collect();
    let description: Vec<Option<&str>> = parts.iter().map(|p| p.description.as_deref()).collect();
    query_all(tx, r#"INSERT INTO "Part" AS p
                   (id, "name", "manufacturerPartNumber", "manufacturerInfo", "type", "status", "description")
               SELECT u.id, u.name, u.mpn, u.info, u.kind::"PartType", u.status::"EntityStatus", u.description
                 FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
                      AS u(id, name, mpn, info, kind, status, description)
               ON CONFLICT (id) DO UPDATE SET
                   "name" = EXCLUDED."name",
                   "manufacturerPartNumber" = EXCLUDED."manufacturerPartNumber",
                   "manufacturerInfo" = EXCLUDED."manufacturerInfo",
                   "type" = EXCLUDED."type",
                   "status" = EXCLUDED."status",
                   "description" = EXCLUDED."description"
               WHERE (p."name", p."manufacturerPartNumber", p."manufacturerInfo", p."type", p."status",
                      p."description")
                     IS DISTINCT FROM
                     (EXCLUDED."name", EXCLUDED."manufacturerPartNumber", EXCLUDED."manufacturerInfo",
                      EXCLUDED."type", EXCLUDED."status", EXCLUDED."description")
               RETURNING p.id"#, &[&id, &name, &mpn, &info, &kind, &status, &description], |r| r.col("id")).await
}

/// Inserts the parts that do not exist yet and never touches existing ones; returns the ids inserted.
pub async fn insert_missing_parts(tx: &Transaction<'_>, parts: &[Part]) -> Result<Vec<String>> {
    if parts.is_empty() {
        return Ok(Vec::new());
    }
    let id: Vec<&str> = parts.iter().map(|p| p.id.as_str()).collect();
    let name: Vec<&str> = parts.iter().map(|p| p.name.as_str()).collect();
    let kind: Vec<&str> = parts.iter().map(|p| p.part_type.code()).collect();
    let status: Vec<&str> = parts.iter().map(|p| p.status.code()).collect();
    let description: Vec<Option<&str>> = parts.iter().map(|p| p.description.as_deref()).collect();
    query_all(
        tx,
        r#"INSERT INTO "Part" (id, "name", "type", "status", "description")
               SELECT u.id, u.name, u.kind::"PartType", u.status::"EntityStatus", u.description
                 FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
                      AS u(id, name, kind, status, description)
               ON CONFLICT (id) DO NOTHING
               RETURNING id"#,
        &[&id, &name, &kind, &status, &description],
        |r| r.col("id"),
    )
    .await
}

/// Inserts or updates the assembly rows (not their components); returns the ids written.
pub async fn upsert_assemblies(
    tx: &Transaction<'_>,
    assemblies: &[Assembly],
) -> Result<Vec<String>> {
    if assemblies.is_empty() {
        return Ok(Vec::new());
    }
    let id: Vec<&str> = assemblies.iter().map(|a| a.id.as_str()).collect();
    let name: Vec<&str> = assemblies.iter().map(|a| a.name.as_str()).collect();
    let kind: Vec<&str> = assemblies.iter().map(|a| a.assembly_type.code()).collect();
    let category: Vec<Option<&str>> = assemblies
        .iter()
        .map(|a| a.category_code.as_deref())
        .collect();
    let subcategory: Vec<Option<&str>> = assemblies
        .iter()
        .map(|a| a.subcategory_code.as_deref())
        .collect();
    let can_order: Vec<bool> = assemblies.iter().map(|a| a.can_order).collect();
    let is_kit: Vec<bool> = assemblies.iter().map(|a| a.is_kit).collect();
    let status: Vec<&str> = assemblies.iter().map(|a| a.status.code()).collect();
    query_all(
        tx,
            r#"INSERT INTO "Assembly" AS a
                   (id, "name", "type", "categoryCode", "subcategoryCode", "canOrder", "isKit", "status")
               SELECT u.id, u.name, u.kind::"AssemblyType", u.category, u.subcategory, u.can_order, u.is_kit,
                      u.status::"EntityStatus"
                 FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bool[], $7::bool[],
                             $8::text[])
                      AS u(id, name, kind, category, subcategory, can_order, is_kit, status)
               ON CONFLICT (id) DO UPDATE SET
                   "name" = EXCLUDED."name",
                   "type" = EXCLUDED."type",
                   "categoryCode" = EXCLUDED."categoryCode",
                   "subcategoryCode" = EXCLUDED."subcategoryCode",
                   "canOrder" = EXCLUDED."canOrder",
                   "isKit" = EXCLUDED."isKit",
                   "status" = EXCLUDED."status"
               WHERE (a."name", a."type", a."categoryCode", a."subcategoryCode", a."canOrder", a."isKit",
                      a."status")
                     IS DISTINCT FROM
                     (EXCLUDED."name", EXCLUDED."type", EXCLUDED."categoryCode", EXCLUDED."subcategoryCode",
                      EXCLUDED."canOrder", EXCLUDED."isKit", EXCLUDED."status")
               RETURNING a.id"#,
            &[
                &id,
                &name,
                &kind,
                &category,
                &subcategory,
                &can_order,
                &is_kit,
                &status,
            ],
        |r| r.col("id"),
    )
    .await
}

/// Inserts or updates the category tree: top-level codes at level 0, subcategories at level 1 under their
/// parent. Returns the ids written.
pub async fn upsert_categories(
    tx: &Transaction<'_>,
    categories: &[Category],
) -> Result<Vec<String>> {
    let mut id = Vec::new();
    let mut name = Vec::new();
    let mut description = Vec::new();
    let mut parent: Vec<Option<&str>> = Vec::new();
    let mut level: Vec<i32> = Vec::new();
    // Parents first, although the foreign key is only checked at the end of the statement.
    for c in categories {
        id.push(c.code.as_str());
        name.push(c.name.as_str());
        description.push(c.description.as_deref());
        parent.push(None);
        level.push(0);
    }
    for c in categories {
        for s in &c.subcategories {
            id.push(s.code.as_str());
            name.push(s.name.as_str());
            description.push(s.description.as_deref());
            parent.push(Some(c.code.as_str()));
            level.push(1);
        }
    }
    if id.is_empty() {
        return Ok(Vec::new());
    }
    query_all(tx, r#"INSERT INTO "Category" AS c (id, "name", "description", "parentId", "level")
               SELECT u.id, u.name, u.description, u.parent, u.level
                 FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::int4[])
                      AS u(id, name, description, parent, level)
               ON CONFLICT (id) DO UPDATE SET
                   "name" = EXCLUDED."name",
                   "description" = EXCLUDED."description",
                   "parentId" = EXCLUDED."parentId",
                   "level" = EXCLUDED."level"
               WHERE (c."name", c."description", c."parentId", c."level")
                     IS DISTINCT FROM
                     (EXCLUDED."name", EXCLUDED."description", EXCLUDED."parentId", EXCLUDED."level")
               RETURNING c.id"#, &[&id, &name, &description, &parent, &level], |r| r.col("id")).await
}

/// A stored component link with its position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredComponent {
    pub component: Component,
    pub sequence_order: Option<i32>,
}

/// The component lists of `assembly_ids`, each in `sequenceOrder`. Assemblies without components are absent.
pub async fn components_of(
    client: &impl Client,
    assembly_ids: &[&str],
) -> Result<HashMap<String, Vec<StoredComponent>>> {
    let rows = client
        .fetch(
            r#"SELECT "parentAssemblyId", "childType", "childId", "quantity", "notes", "sequenceOrder"
                 FROM "AssemblyComponent"
                WHERE "parentAssemblyId" = ANY($1)
                ORDER BY "parentAssemblyId", "sequenceOrder" NULLS LAST, id"#,
            &[&assembly_ids],
        )
        .await?;
    let mut out: HashMap<String, Vec<StoredComponent>> = HashMap::new();
    for r in rows {
        let child_type: ComponentType = r.col("childType")?;
        out.entry(r.col("parentAssemblyId")?)
            .or_default()
            .push(StoredComponent {
                component: Component {
                    child_type,
                    child_id: r.col("childId")?,
                    quantity: r.col("quantity")?,
                    notes: r.col("notes")?,
                },
                sequence_order: r.col("sequenceOrder")?,
            });
    }
    Ok(out)
}

/// Replaces the component lists of `assemblies` with theirs, `sequenceOrder` 1..n in list order.
/// Returns the number of component rows written.
pub async fn replace_components(tx: &Transaction<'_>, assemblies: &[&Assembly]) -> Result<u64> {
    if assemblies.is_empty() {
        return Ok(0);
    }
    let parents: Vec<&str> = assemblies.iter().map(|a| a.id.as_str()).collect();
    tx.exec(
        r#"DELETE FROM "AssemblyComponent" WHERE "parentAssemblyId" = ANY($1)"#,
        &[&parents],
    )
    .await?;
    let mut parent = Vec::new();
    let mut kind = Vec::new();
    let mut child = Vec::new();
    let mut quantity = Vec::new();
    let mut notes = Vec::new();
    let mut sequence: Vec<i32> = Vec::new();
    for a in assemblies {
        for (i, c) in a.components.iter().enumerate() {
            parent.push(a.id.as_str());
            kind.push(c.child_type.code());
            child.push(c.child_id.as_str());
            quantity.push(c.quantity);
            notes.push(c.notes.as_deref());
            sequence.push(i32::try_from(i + 1).map_err(|_| {
                ServiceError::Invalid(format!("assembly \"{}\" has too many components", a.id))
            })?);
        }
    }
    if parent.is_empty() {
        return Ok(0);
    }
    let n = tx
        .exec(
            r#"INSERT INTO "AssemblyComponent"
                   ("parentAssemblyId", "childType", "childId", "quantity", "notes", "sequenceOrder")
               SELECT u.parent, u.kind::"ComponentType", u.child, u.quantity, u.notes, u.seq
                 FROM UNNEST($1::text[], $2::text[], $3::text[], $4::int4[], $5::text[], $6::int4[])
                      AS u(parent, kind, child, quantity, notes, seq)"#,
            &[&parent, &kind, &child, &quantity, &notes, &sequence],
        )
        .await?;
    Ok(n)
}

/// Row counts of the catalog tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CatalogCounts {
    pub parts: i64,
    pub assemblies: i64,
    pub components: i64,
    pub categories: i64,
}

pub async fn counts(client: &impl Client) -> Result<CatalogCounts> {
    let r = client
        .fetch_one(
            r#"SELECT (SELECT count(*) FROM "Part") AS "parts",
                      (SELECT count(*) FROM "Assembly") AS "assemblies",
                      (SELECT count(*) FROM "AssemblyComponent") AS "components",
                      (SELECT count(*) FROM "Category") AS "categories""#,
            &[],
        )
        .await?;
    Ok(CatalogCounts {
        parts: r.col("parts")?,
        assemblies: r.col("assemblies")?,
        components: r.col("components")?,
        categories: r.col("categories")?,
    })
}
