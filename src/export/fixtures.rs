//! Documents and times the export tests share.

use crate::domain::bom::{BomStatus, ItemType};
use crate::domain::bom_document::{BomDocument, BomHeader, BomVersionInfo, StoredItem};
use crate::domain::order::OrderStatus;
use chrono::NaiveDateTime;
use rust_decimal::Decimal;
use uuid::Uuid;

/// An empty BOM of build `build` on PO `po`.
pub(crate) fn doc(po: &str, build: &str, version: i32) -> BomDocument {
    BomDocument {
        header: BomHeader {
            order_id: Uuid::nil(),
            po_number: po.into(),
            build_number: build.into(),
            customer_name: "Mercy General".into(),
            sink_model: "T2-B1".into(),
            order_status: OrderStatus::OrderCreated,
        },
        version: BomVersionInfo {
            id: Uuid::nil(),
            version,
            status: BomStatus::Draft,
            generated_by: "Casey Coordinator".into(),
            generated_at: None,
            notes: Vec::new(),
            current: true,
        },
        items: Vec::new(),
    }
}

/// A node of a BOM: an assembly at the top, a part under a parent.
pub(crate) fn item(
    parent: Option<usize>,
    level: i32,
    id: &str,
    name: &str,
    qty: i64,
) -> StoredItem {
    StoredItem {
        id: Uuid::nil(),
        parent,
        item_id: id.into(),
        name: name.into(),
        item_type: if parent.is_none() {
            ItemType::Assembly
        } else {
            ItemType::Part
        },
        quantity: Decimal::from(qty),
        level,
        sequence: 0,
        is_custom: false,
        custom_spec: None,
        notes: None,
    }
}

/// 4 March 2026 at the given time of day, the moment the tests print or export at.
pub(crate) fn at(hour: u32, minute: u32, second: u32) -> NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2026, 3, 4)
        .and_then(|d| d.and_hms_opt(hour, minute, second))
        .expect("a valid time")
}
