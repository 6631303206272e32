//! The parts catalog as the inventory browser shows it: the loaded rows ([`Inventory`]), the browse tree,
//! search, and where an item is used inside the catalog ([`Browse`]).
//!
//! Pure code, no IO. Ids resolve as the BOM engine resolves them (docs/bom-rules.md §5): an assembly
//! of that id, else its `ASSY-` twin, else the part. An item's uses are matched on the canonical id (without
//! `ASSY-`), the form `"BOMItem"."itemId"` stores, so both twins report the same uses.

mod browse;
#[cfg(test)]
pub(crate) mod records;
#[cfg(test)]
mod tests;

pub use browse::*;

use crate::domain::catalog::{AssemblyType, Catalog, ComponentType, EntityStatus, PartType};
use crate::domain::order::OrderStatus;
use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use serde::Serialize;
use uuid::Uuid;

/// One `"Category"` row: a top-level category (level 0) or a subcategory (level 1, `parent_id` set).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryRecord {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub parent_id: Option<String>,
    pub level: i32,
}

/// One `"Part"` row, every column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartRecord {
    pub id: String,
    pub name: String,
    pub manufacturer_part_number: Option<String>,
    pub manufacturer_info: Option<String>,
    pub part_type: PartType,
    pub status: EntityStatus,
    pub photo_url: Option<String>,
    pub technical_drawing_url: Option<String>,
    pub description: Option<String>,
    pub created_at: Option<NaiveDateTime>,
    pub updated_at: Option<NaiveDateTime>,
}

/// One `"Assembly"` row, every column (the work instruction by its title).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssemblyRecord {
    pub id: String,
    pub name: String,
    pub assembly_type: AssemblyType,
    pub category_code: Option<String>,
    pub subcategory_code: Option<String>,
    pub can_order: bool,
    pub is_kit: bool,
    pub status: EntityStatus,
    pub photo_url: Option<String>,
    pub technical_drawing_url: Option<String>,
    pub description: Option<String>,
    pub qr_data: Option<String>,
    /// `"kitComponents"` as JSON text.
    pub kit_components: Option<String>,
    pub work_instruction: Option<String>,
    pub created_at: Option<NaiveDateTime>,
    pub updated_at: Option<NaiveDateTime>,
}

impl AssemblyRecord {
    /// An active SIMPLE assembly, not orderable, with every optional column empty: what the other
    /// columns are set over.
    fn named(id: &str, name: &str) -> AssemblyRecord {
        AssemblyRecord {
            id: id.to_string(),
            name: name.to_string(),
            assembly_type: AssemblyType::Simple,
            category_code: None,
            subcategory_code: None,
            can_order: false,
            is_kit: false,
            status: EntityStatus::Active,
            photo_url: None,
            technical_drawing_url: None,
            description: None,
            qr_data: None,
            kit_components: None,
            work_instruction: None,
            created_at: None,
            updated_at: None,
        }
    }
}

/// One `"AssemblyComponent"` row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRecord {
    pub parent_id: String,
    pub child_type: ComponentType,
    pub child_id: String,
    pub quantity: i32,
    pub notes: Option<String>,
}

/// The whole catalog for browsing on the station. Links are in each parent's `sequenceOrder`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inventory {
    pub categories: Vec<CategoryRecord>,
    pub parts: Vec<PartRecord>,
    pub assemblies: Vec<AssemblyRecord>,
    pub links: Vec<LinkRecord>,
}

impl Inventory {
    /// The catalog as `catalog import` stores it, read back: what a station browses. `imported_at` stands
    /// for the rows' timestamps.
    pub fn from_catalog(catalog: &Catalog, imported_at: Option<NaiveDateTime>) -> Inventory {
        let mut inv = Inventory::default();
        // A subcategory is the level-1 row under its category's code.
        let category =
            |code: &str, name: &str, description: &Option<String>, parent: Option<&str>| {
                CategoryRecord {
                    id: code.to_string(),
                    name: name.to_string(),
                    description: description.clone(),
                    parent_id: parent.map(str::to_string),
                    level: i32::from(parent.is_some()),
                }
            };
        for c in &catalog.categories {
            let top = category(&c.code, &c.name, &c.description, None);
            inv.categories.push(top);
            for s in &c.subcategories {
                let sub = category(&s.code, &s.name, &s.description, Some(&c.code));
                inv.categories.push(sub);
            }
        }
        for p in &catalog.parts {
            inv.parts.push(PartRecord {
                id: p.id.clone(),
                name: p.name.clone(),
                manufacturer_part_number: p.manufacturer_part_number.clone(),
                manufacturer_info: p.manufacturer_info_column().map(str::to_string),
                part_type: p.part_type,
                status: p.status,
                photo_url: None,
                technical_drawing_url: None,
                description: p.description.clone(),
                created_at: imported_at,
                updated_at: imported_at,
            });
        }
        for a in &catalog.assemblies {
            inv.assemblies.push(AssemblyRecord {
                assembly_type: a.assembly_type,
                category_code: a.category_code.clone(),
                subcategory_code: a.subcategory_code.clone(),
                can_order: a.can_order,
                is_kit: a.is_kit,
                status: a.status,
                created_at: imported_at,
                updated_at: imported_at,
                ..AssemblyRecord::named(&a.id, &a.name)
            });
            for c in &a.components {
                inv.links.push(LinkRecord {
                    parent_id: a.id.clone(),
                    child_type: c.child_type,
                    child_id: c.child_id.clone(),
                    quantity: c.quantity,
                    notes: c.notes.clone(),
                });
            }
        }
        inv
    }
}

/// One open build whose current BOM contains an item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BuildUse {
    pub order_id: Uuid,
    pub po_number: String,
    pub build_number: String,
    pub status: OrderStatus,
    pub want_date: NaiveDate,
    pub bom_version: i32,
    /// Every occurrence in the BOM, at any level, added up.
    pub quantity: Decimal,
}
