//! The catalog for the inventory browser, and the open builds whose current BOM contains an item.

use crate::db::users::decode;
use crate::db::{DbError, GenericClient};
use crate::domain::bom::canonical_id;
use crate::domain::catalog::EntityStatus;
use crate::domain::inventory::{
    AssemblyRecord, BuildUse, CategoryRecord, Inventory, LinkRecord, PartRecord,
};

/// Every catalog row in four pipelined queries (one round trip's wait): categories by id, parts and
/// assemblies by id, links in each parent's `sequenceOrder`.
pub async fn load(client: &impl GenericClient) -> Result<Inventory, DbError> {
    let (categories, parts, assemblies, links) = futures_util::try_join!(
        client.query(
            r#"SELECT id, "name", "description", "parentId", "level" FROM "Category" ORDER BY id"#,
            &[],
        ),
        client.query(
            r#"SELECT id, "name", "manufacturerPartNumber", "manufacturerInfo", "type", "status",
                      "photoUrl", "technicalDrawingUrl", "description", "createdAt", "updatedAt"
                 FROM "Part" ORDER BY id"#,
            &[],
        ),
        client.query(
            r#"SELECT a.id, a."name", a."type", a."categoryCode", a."subcategoryCode",
                      COALESCE(a."canOrder", true), COALESCE(a."isKit", false), a."status", a."photoUrl",
                      a."technicalDrawingUrl", a."description", a."qrData", a."kitComponents"::text,
                      w."title", a."createdAt", a."updatedAt"
                 FROM "Assembly" a
                 LEFT JOIN "WorkInstruction" w ON w.id = a."workInstructionId"
                ORDER BY a.id"#,
            &[],
        ),
        client.query(
            r#"SELECT "parentAssemblyId", "childType", "childId", "quantity", "notes"
                 FROM "AssemblyComponent"
                ORDER BY "parentAssemblyId", "sequenceOrder" NULLS LAST, id"#,
            &[],
        ),
    )?;
    let mut inventory = Inventory::default();
    for r in &categories {
        inventory.categories.push(CategoryRecord {
            id: r.try_get(0).map_err(decode)?,
            name: r.try_get(1).map_err(decode)?,
            description: r.try_get(2).map_err(decode)?,
            parent_id: r.try_get(3).map_err(decode)?,
            level: r.try_get(4).map_err(decode)?,
        });
    }
    // A NULL status takes the column's default, ACTIVE.
    for r in &parts {
        let status: Option<EntityStatus> = r.try_get(5).map_err(decode)?;
        inventory.parts.push(PartRecord {
            id: r.try_get(0).map_err(decode)?,
            name: r.try_get(1).map_err(decode)?,
            manufacturer_part_number: r.try_get(2).map_err(decode)?,
            manufacturer_info: r.try_get(3).map_err(decode)?,
            part_type: r.try_get(4).map_err(decode)?,
            status: status.unwrap_or(EntityStatus::Active),
            photo_url: r.try_get(6).map_err(decode)?,
            technical_drawing_url: r.try_get(7).map_err(decode)?,
            description: r.try_get(8).map_err(decode)?,
            created_at: r.try_get(9).map_err(decode)?,
            updated_at: r.try_get(10).map_err(decode)?,
        });
    }
    for r in &assemblies {
        let status: Option<EntityStatus> = r.try_get(7).map_err(decode)?;
        inventory.assemblies.push(AssemblyRecord {
            id: r.try_get(0).map_err(decode)?,
            name: r.try_get(1).map_err(decode)?,
            assembly_type: r.try_get(2).map_err(decode)?,
            category_code: r.try_get(3).map_err(decode)?,
            subcategory_code: r.try_get(4).map_err(decode)?,
            can_order: r.try_get(5).map_err(decode)?,
            is_kit: r.try_get(6).map_err(decode)?,
            status: status.unwrap_or(EntityStatus::Active),
            photo_url: r.try_get(8).map_err(decode)?,
            technical_drawing_url: r.try_get(9).map_err(decode)?,
            description: r.try_get(10).map_err(decode)?,
            qr_data: r.try_get(11).map_err(decode)?,
            kit_components: r.try_get(12).map_err(decode)?,
            work_instruction: r.try_get(13).map_err(decode)?,
            created_at: r.try_get(14).map_err(decode)?,
            updated_at: r.try_get(15).map_err(decode)?,
        });
    }
    for r in &links {
        inventory.links.push(LinkRecord {
            parent_id: r.try_get(0).map_err(decode)?,
            child_type: r.try_get(1).map_err(decode)?,
            child_id: r.try_get(2).map_err(decode)?,
            quantity: r.try_get(3).map_err(decode)?,
            notes: r.try_get(4).map_err(decode)?,
        });
    }
    Ok(inventory)
}

/// The open (not shipped) builds whose current BOM contains `item_id`, in either twin form, with the
/// quantities of all its occurrences added up; by want date, then build number.
pub async fn build_uses(
    client: &impl GenericClient,
    item_id: &str,
) -> Result<Vec<BuildUse>, DbError> {
    let canonical = canonical_id(item_id);
    let twin = format!("ASSY-{canonical}");
    let rows = client
        .query(
            r#"SELECT o.id, o."poNumber", o."buildNumber", COALESCE(o."orderStatus", 'ORDER_CREATED'),
                      o."wantDate", b."version", SUM(i."quantity")
                 FROM "ProductionOrder" o
                 JOIN "BillOfMaterials" b ON b.id = o."bomId"
                 JOIN "BOMItem" i ON i."bomId" = b.id
                WHERE i."itemId" IN ($1, $2)
                  AND COALESCE(o."orderStatus", 'ORDER_CREATED') <> 'SHIPPED'
                GROUP BY o.id, b.id
                ORDER BY o."wantDate", o."buildNumber", o."poNumber""#,
            &[&canonical, &twin],
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(BuildUse {
                order_id: r.try_get(0).map_err(decode)?,
                po_number: r.try_get(1).map_err(decode)?,
                build_number: r.try_get(2).map_err(decode)?,
                status: r.try_get(3).map_err(decode)?,
                want_date: r.try_get(4).map_err(decode)?,
                bom_version: r.try_get(5).map_err(decode)?,
                quantity: r.try_get(6).map_err(decode)?,
            })
        })
        .collect()
}
