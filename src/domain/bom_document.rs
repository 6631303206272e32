//! A stored BOM version as it is read back: what the BOM viewer shows and the exports print.
//!
//! Generation works on [`crate::domain::bom::GeneratedBom`]; once written, a version is only ever read, and
//! these types are that reading: the build's header, the version's facts and its items in display order.

use crate::domain::bom::{BomStatus, ItemType};
use crate::domain::order::OrderStatus;
use chrono::NaiveDateTime;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::HashMap;
use uuid::Uuid;

/// The build a BOM belongs to, as the viewer's header and the PDF's title block name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BomHeader {
    pub order_id: Uuid,
    pub po_number: String,
    pub build_number: String,
    pub customer_name: String,
    pub sink_model: String,
    pub order_status: OrderStatus,
}

/// One `"BillOfMaterials"` row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BomVersionInfo {
    pub id: Uuid,
    pub version: i32,
    pub status: BomStatus,
    /// The generating user's display name (username when the name is empty).
    pub generated_by: String,
    pub generated_at: Option<NaiveDateTime>,
    /// `WARNING:`, `CYCLE:` and `INACTIVE:` lines, in stored order.
    pub notes: Vec<String>,
    /// The version `"ProductionOrder"."bomId"` points at.
    pub current: bool,
}

/// A build's BOM versions, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BomVersionList {
    pub header: BomHeader,
    pub versions: Vec<BomVersionInfo>,
}

/// One `"BOMItem"` row with the catalog name it resolves to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredItem {
    pub id: Uuid,
    /// Index of the parent in [`BomDocument::items`]; `None` for a top-level line.
    pub parent: Option<usize>,
    /// Canonical catalog id, or the generated id of a custom item.
    pub item_id: String,
    /// The catalog name, or the generated description of a custom item.
    pub name: String,
    pub item_type: ItemType,
    pub quantity: Decimal,
    pub level: i32,
    pub sequence: i32,
    pub is_custom: bool,
    pub custom_spec: Option<serde_json::Value>,
    pub notes: Option<String>,
}

/// One row of the flattened totals: leaf quantities summed by id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FlatLine {
    pub item_id: String,
    pub name: String,
    pub item_type: ItemType,
    pub is_custom: bool,
    pub quantity: Decimal,
}

/// One stored version with its items in depth-first pre-order (a parent always precedes its children).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BomDocument {
    pub header: BomHeader,
    pub version: BomVersionInfo,
    pub items: Vec<StoredItem>,
    /// The manifestation of the version's approval signature, once approved (docs/signatures.md §2);
    /// the exports print it.
    pub approval: Option<String>,
}

impl BomDocument {
    /// Whether item `index` has children (a leaf is what gets counted in the totals).
    pub fn has_children(&self, index: usize) -> bool {
        self.items
            .get(index + 1)
            .is_some_and(|next| next.parent == Some(index))
    }

    /// The top-level lines, in display order.
    pub fn top_level(&self) -> impl Iterator<Item = &StoredItem> {
        self.items.iter().filter(|i| i.parent.is_none())
    }

    /// The flattened view (docs/bom-rules.md §6): leaf quantities summed by id, in order of first
    /// appearance.
    pub fn flattened(&self) -> Vec<FlatLine> {
        let mut out: Vec<FlatLine> = Vec::new();
        let mut at: HashMap<&str, usize> = HashMap::new();
        for (index, item) in self.items.iter().enumerate() {
            if self.has_children(index) {
                continue;
            }
            match at.get(item.item_id.as_str()).and_then(|&i| out.get_mut(i)) {
                Some(line) => line.quantity += item.quantity,
                None => {
                    at.insert(&item.item_id, out.len());
                    out.push(FlatLine {
                        item_id: item.item_id.clone(),
                        name: item.name.clone(),
                        item_type: item.item_type,
                        is_custom: item.is_custom,
                        quantity: item.quantity,
                    });
                }
            }
        }
        out
    }
}

impl BomVersionList {
    /// What the BOM viewer says when another station changed the build's BOM (docs/live.md §3.4):
    /// `self` as shown, `after` as read back; `by` is " by … at station …". A new version is told
    /// first, else a version's new status; `None` when no version is new or changed.
    pub fn change_news(&self, after: &BomVersionList, by: &str) -> Option<String> {
        let before = |id: Uuid| self.versions.iter().find(|v| v.id == id);
        if let Some(new) = after.versions.iter().find(|v| before(v.id).is_none()) {
            return Some(format!(
                "New BOM version {} ({}){by}",
                new.version,
                new.status.code()
            ));
        }
        after
            .versions
            .iter()
            .filter(|v| before(v.id).is_some_and(|b| b.status != v.status))
            .min_by_key(|v| v.status == BomStatus::Superseded)
            .map(|v| format!("BOM version {} is now {}{by}", v.version, v.status.code()))
    }
}

/// A quantity as people write it: `2`, not `2.000`.
pub fn quantity_text(q: Decimal) -> String {
    q.normalize().to_string()
}

/// Small stored BOMs for the tests of this module and of `bom_diff`.
#[cfg(test)]
pub(crate) mod fixtures {
    use super::*;

    /// An empty BOM of build `build` on PO `po`.
    pub(crate) fn document(po: &str, build: &str, version: i32) -> BomDocument {
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
            approval: None,
        }
    }

    /// A node of a BOM: an assembly at the top, a part under a parent.
    pub(crate) fn node(
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

    /// A part named after its id, at level 0.
    pub(crate) fn item(parent: Option<usize>, id: &str, quantity: i64) -> StoredItem {
        StoredItem {
            item_type: ItemType::Part,
            ..node(parent, 0, id, &format!("{id} name"), quantity)
        }
    }

    /// Build B of PO `PO` with `items`.
    pub(crate) fn doc(version: i32, items: Vec<StoredItem>) -> BomDocument {
        BomDocument {
            items,
            ..document("PO", "B", version)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::{doc, item};
    use super::*;

    #[test]
    fn a_new_version_is_told_before_the_one_it_supersedes() {
        let v1 = super::fixtures::document("PO", "B", 1);
        let list = |versions: Vec<BomVersionInfo>| BomVersionList {
            header: v1.header.clone(),
            versions,
        };
        let before = list(vec![v1.version.clone()]);
        let superseded = BomVersionInfo {
            status: BomStatus::Superseded,
            ..v1.version.clone()
        };
        let v2 = BomVersionInfo {
            id: Uuid::from_u128(2),
            version: 2,
            ..v1.version.clone()
        };
        let after = list(vec![v2, superseded.clone()]);
        let by = " by Luis Ortega at station PROC-1";
        assert_eq!(
            before.change_news(&after, by).as_deref(),
            Some("New BOM version 2 (DRAFT) by Luis Ortega at station PROC-1")
        );
        assert_eq!(
            before.change_news(&list(vec![superseded]), "").as_deref(),
            Some("BOM version 1 is now SUPERSEDED")
        );
        assert_eq!(before.change_news(&before, by), None);
    }

    #[test]
    fn flattened_sums_leaves_and_skips_parents() {
        let d = doc(
            1,
            vec![
                item(None, "A", 1),
                item(Some(0), "p1", 2),
                item(Some(0), "p2", 1),
                item(None, "p1", 3),
                item(None, "B", 2),
                item(Some(4), "p2", 4),
            ],
        );
        let flat: Vec<(String, String)> = d
            .flattened()
            .into_iter()
            .map(|l| (l.item_id, quantity_text(l.quantity)))
            .collect();
        assert_eq!(
            flat,
            vec![
                ("p1".to_string(), "5".to_string()),
                ("p2".to_string(), "5".to_string()),
            ]
        );
    }

    #[test]
    fn quantities_print_without_trailing_zeros() {
        assert_eq!(quantity_text(Decimal::new(2000, 3)), "2");
        assert_eq!(quantity_text(Decimal::new(2500, 3)), "2.5");
    }
}
