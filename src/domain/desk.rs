//! Procurement's order desk: the builds waiting for parts with their BOM state, and the parts-shortage
//! view (the flattened BOM totals of every build in ORDER_CREATED and PARTS_SENT, grouped by part id, so
//! purchasing can order in one batch).

use crate::domain::bom::ItemType;
use rust_decimal::Decimal;
use serde::Serialize;

/// One part needed by the open builds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShortageLine {
    pub part_id: String,
    pub name: String,
    pub item_type: ItemType,
    pub quantity: Decimal,
    /// How many builds need it.
    pub builds: i64,
}

/// Every part the builds waiting for parts need, with the builds counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Shortage {
    /// The builds counted: (PO, build number, status, BOM version, BOM status).
    pub builds: Vec<ShortageBuild>,
    pub lines: Vec<ShortageLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShortageBuild {
    pub order_id: uuid::Uuid,
    pub po_number: String,
    pub build_number: String,
    pub status: crate::domain::order::OrderStatus,
    pub bom_version: i32,
    pub bom_status: String,
}

/// One build on the order desk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeskRow {
    pub order: crate::domain::order::OrderRow,
    /// The current BOM's version and status (`DRAFT` / `APPROVED`); `None` without a BOM.
    pub bom: Option<(i32, String)>,
}
