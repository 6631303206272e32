//! The catalog for the inventory browser, and the open builds whose current BOM contains an item.

use crate::db::Client;
use crate::db::row::{RowExt, query_all};
use crate::domain::bom::canonical_id;
use crate::domain::catalog::EntityStatus;
use crate::domain::inventory::{
    AssemblyRecord, BuildUse, CategoryRecord, Inventory, LinkRecord, PartRecord,
};
use crate::error::Result;

/// Every catalog row in four pipelined queries (one round trip's wait): categories by id, parts and
/// assemblies by id, links in each parent's `sequenceOrder`.
pub async fn load(client: &impl Client) -> Result<Inventory> {
    let (categories, parts, assemblies, links) = futures_util::try_join!(
        client.fetch(
            r#"SELECT id, "name", "description", "parentId", "level" FROM "Category" ORDER BY id"#,
            &[],
        ),
        client.fetch(
            r#"SELECT id, "name", "manufacturerPartNumber", "manufacturerInfo", "type", "status",
                      "photoUrl", "technicalDrawingUrl", "description", "createdAt", "updatedAt"
                 FROM "Part" ORDER BY id"#,
            &[],
        ),
        client.fetch(
            r#"SELECT a.id, a."name", a."type", a."categoryCode", a."subcategoryCode",
                      COALESCE(a."canOrder", true) AS "canOrder", COALESCE(a."isKit", false) AS "isKit",
                      a."status", a."photoUrl", a."technicalDrawingUrl", a."description", a."qrData",
                      a."kitComponents"::text AS "kitComponents", w."title" AS "workInstruction",
                      a."createdAt", a."updatedAt"
                 FROM "Assembly" a
                 LEFT JOIN "WorkInstruction" w ON w.id = a."workInstructionId"
                ORDER BY a.id"#,
            &[],
        ),
        client.fetch(
            r#"SELECT "parentAssemblyId", "childType", "childId", "quantity", "notes"
                 FROM "AssemblyComponent"
                ORDER BY "parentAssemblyId", "sequenceOrder" NULLS LAST, id"#,
            &[],
        ),
    )?;
    let mut inventory = Inventory::default();
    for r in &categories {
        inventory.categories.push(CategoryRecord {
            id: r.col("id")?,
            name: r.col("name")?,
            description: r.col("description")?,
            parent_id: r.col("parentId")?,
            level: r.col("level")?,
        });
    }
    // A NULL status takes the column's default, ACTIVE.
    for r in &parts {
        let status: Option<EntityStatus> = r.col("status")?;
        inventory.parts.push(PartRecord {
            id: r.col("id")?,
            name: r.col("name")?,
            manufacturer_part_number: r.col("manufacturerPartNumber")?,
            manufacturer_info: r.col("manufacturerInfo")?,
            part_type: r.col("type")?,
            status: status.unwrap_or(EntityStatus::Active),
            photo_url: r.col("photoUrl")?,
            technical_drawing_url: r.col("technicalDrawingUrl")?,
            description: r.col("description")?,
            created_at: r.col("createdAt")?,
            updated_at: r.col("updatedAt")?,
        });
    }
    for r in &assemblies {
        let status: Option<EntityStatus> = r.col("status")?;
        inventory.assemblies.push(AssemblyRecord {
            id: r.col("id")?,
            name: r.col("name")?,
            assembly_type: r.col("type")?,
            category_code: r.col("categoryCode")?,
            subcategory_code: r.col("subcategoryCode")?,
            can_order: r.col("canOrder")?,
            is_kit: r.col("isKit")?,
            status: status.unwrap_or(EntityStatus::Active),
            photo_url: r.col("photoUrl")?,
            technical_drawing_url: r.col("technicalDrawingUrl")?,
            description: r.col("description")?,
            qr_data: r.col("qrData")?,
            kit_components: r.col("kitComponents")?,
            work_instruction: r.col("workInstruction")?,
            created_at: r.col("createdAt")?,
            updated_at: r.col("updatedAt")?,
        });
    }
    for r in &links {
        inventory.links.push(LinkRecord {
            parent_id: r.col("parentAssemblyId")?,
            child_type: r.col("childType")?,
            child_id: r.col("childId")?,
            quantity: r.col("quantity")?,
            notes: r.col("notes")?,
        });
    }
    Ok(inventory)
}

/// The open (not shipped) builds whose current BOM contains `item_id`, in either twin form, with the
/// quantities of all its occurrences added up; by want date, then build number.
pub async fn build_uses(client: &impl Client, item_id: &str) -> Result<Vec<BuildUse>> {
    let canonical = canonical_id(item_id);
    let twin = format!("ASSY-{canonical}");
    query_all(client, r#"SELECT o.id, o."poNumber", o."buildNumber", COALESCE(o."orderStatus", 'ORDER_CREATED') AS "status",
                      o."wantDate", b."version", SUM(i."quantity") AS "quantity"
                 FROM "ProductionOrder" o
                 JOIN "BillOfMaterials" b ON b.id = o."bomId"
                 JOIN "BOMItem" i ON i."bomId" = b.id
                WHERE i."itemId" IN ($1, $2)
                  AND COALESCE(o."orderStatus", 'ORDER_CREATED') <> 'SHIPPED'
                  AND COALESCE(o."orderStatus", 'ORDER_CREATED') <> 'CANCELLED'
                GROUP BY o.id, b.id
                ORDER BY o."wantDate", o."buildNumber", o."poNumber""#, &[&canonical, &twin], |r| {
            Ok(BuildUse {
                order_id: r.col("id")?,
                po_number: r.col("poNumber")?,
                build_number: r.col("buildNumber")?,
                status: r.col("status")?,
                want_date: r.col("wantDate")?,
                bom_version: r.col("version")?,
                quantity: r.col("quantity")?,
            })
        }).await
}
