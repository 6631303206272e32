//! Procurement's order desk: the builds waiting for parts with their current BOM, and the leaves of those
//! BOMs for the parts-shortage view. Each is one statement, however many builds are waiting.

use crate::db::Client;
use crate::db::orders::queue_row;
use crate::db::row::{RowExt, query_all};
use crate::domain::bom::custom_name;
use crate::domain::desk::{DESK_STATUSES, DeskRow, ShortageBuild, ShortageLeaf};
use crate::error::Result;

/// The builds in ORDER_CREATED and PARTS_SENT, and every build held for parts (docs/holds.md §4), with
/// their current BOM's version and status, the oldest want date first.
pub async fn rows(client: &impl Client) -> Result<Vec<DeskRow>> {
    query_all(
        client,
        concat!(
            r#"SELECT po.id, po."poNumber", po."buildNumber", po."customerName", po."sinkModel",
                      po."orderStatus", po."wantDate", u."fullName" AS assignee,
                      (po."wantDate" - CURRENT_DATE) AS "daysLeft", "#,
            crate::db::orders::open_comments_sql!(),
            crate::db::holds::hold_reason_column!(),
            r#",
                      b."version" AS "bomVersion",
                      CASE WHEN b.id IS NULL THEN NULL
                           ELSE COALESCE(b."status", 'DRAFT')::text END AS "bomStatus"
                 FROM "ProductionOrder" po
                 LEFT JOIN "User" u ON u.id = po."currentAssigneeId"
                 LEFT JOIN "BillOfMaterials" b ON b.id = po."bomId"
                WHERE po."orderStatus" = ANY($1)
                   OR po.id = ANY(ARRAY(SELECT h."orderId" FROM "BuildHold" h
                                         WHERE h."releasedAt" IS NULL AND h."reason" = 'PARTS_SHORTAGE'))
                ORDER BY po."wantDate", po."poNumber", po."buildNumber", po.id"#
        ),
        &[&DESK_STATUSES.as_slice()],
        |r| {
            let version: Option<i32> = r.col("bomVersion")?;
            let status: Option<String> = r.col("bomStatus")?;
            Ok(DeskRow {
                order: queue_row(r)?,
                bom: version.zip(status),
                shortage: Vec::new(),
            })
        },
    )
    .await
}

/// The builds the shortage counts: those on the desk that have a current BOM, in PO and build order.
pub async fn shortage_builds(client: &impl Client) -> Result<Vec<ShortageBuild>> {
    query_all(
        client,
        r#"SELECT po.id, po."poNumber", po."buildNumber", po."orderStatus", b."version",
                      COALESCE(b."status", 'DRAFT')::text AS "bomStatus"
                 FROM "ProductionOrder" po
                 JOIN "BillOfMaterials" b ON b.id = po."bomId"
                WHERE po."orderStatus" = ANY($1)
                ORDER BY po."poNumber", po."buildNumber", po.id"#,
        &[&DESK_STATUSES.as_slice()],
        |r| {
            Ok(ShortageBuild {
                order_id: r.col("id")?,
                po_number: r.col("poNumber")?,
                build_number: r.col("buildNumber")?,
                status: r.col("orderStatus")?,
                bom_version: r.col("version")?,
                bom_status: r.col("bomStatus")?,
            })
        },
    )
    .await
}

/// Every leaf (an item without children, what the flattened totals count) of the current BOM of every
/// build on the desk, named as the BOM viewer names it.
pub async fn shortage_leaves(client: &impl Client) -> Result<Vec<ShortageLeaf>> {
    query_all(client, r#"SELECT po.id, i."itemId", i."itemType", i."quantity", i."customPartSpec",
                      COALESCE(p."name", a."name", twin."name") AS "catalogName"
                 FROM "ProductionOrder" po
                 JOIN "BOMItem" i ON i."bomId" = po."bomId"
                 LEFT JOIN "Part" p ON i."itemType" = 'PART' AND p.id = i."itemId"
                 LEFT JOIN "Assembly" a ON i."itemType" = 'ASSEMBLY' AND a.id = i."itemId"
                 LEFT JOIN "Assembly" twin ON i."itemType" = 'ASSEMBLY' AND twin.id = 'ASSY-' || i."itemId"
                WHERE po."orderStatus" = ANY($1)
                  AND NOT EXISTS (SELECT 1 FROM "BOMItem" c WHERE c."parentItemId" = i.id)
                ORDER BY i."itemId", po.id, i."sequenceOrder" NULLS LAST, i.id"#, &[&DESK_STATUSES.as_slice()], |r| {
            let spec: Option<serde_json::Value> = r.col("customPartSpec")?;
            let catalog_name: Option<String> = r.col("catalogName")?;
            Ok(ShortageLeaf {
                order_id: r.col("id")?,
                part_id: r.col("itemId")?,
                item_type: r.col("itemType")?,
                quantity: r.col("quantity")?,
                name: catalog_name
                    .or_else(|| spec.as_ref().and_then(custom_name))
                    .unwrap_or_else(|| "(not in the catalog)".to_string()),
            })
        }).await
}
