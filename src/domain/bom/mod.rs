//! Bill-of-materials generation (docs/bom-rules.md).
//!
//! [`generate`] turns one build's configuration into the top-level lines of R1–R9, merges equal lines (R12),
//! resolves every id against a [`CatalogIndex`] (R10) and expands each line depth-first into nodes with
//! absolute quantities (R11). The result, a [`GeneratedBom`], is what `db::bom::write_version` stores as
//! `BOMItem` rows and what the wizard previews. Pure code: the catalog comes in as an index, filled either
//! from the parsed catalog files ([`CatalogIndex::from_catalog`]) or from the database (`db::bom`).
//!
//! The catalog index lives in `index`, the accessory table of R9 in `accessories`, the build-to-lines rules
//! (R1–R9, the input validation of docs/bom-rules.md §2, R14 warnings) in `rules`, and merging and
//! expansion in `expand`.

mod accessories;
mod expand;
mod index;
mod rules;
#[cfg(test)]
mod tests;

pub use accessories::{ACCESSORIES, AccessoryDef, accessory};
pub use expand::generate;
pub use index::{CatalogIndex, IndexedAssembly, IndexedLink, IndexedPart, Resolved, canonical_id};
pub use rules::warnings;

use crate::domain::enums::pg_enum;
use serde::Serialize;
use std::collections::HashMap;
use thiserror::Error;

/// A top-level line as the wizard's review and the order detail show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PreviewLine {
    /// Canonical id (`ASSY-` removed).
    pub id: String,
    pub name: String,
    pub quantity: i64,
    /// "assembly", "part" or "custom".
    pub kind: String,
}

/// A BOM computed but not saved: the review step's preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BomPreview {
    pub lines: Vec<PreviewLine>,
    /// W1-W4 warnings and CYCLE/INACTIVE notices, one per line, with their prefixes.
    pub notes: Vec<String>,
}

// ---------------------------------------------------------------------------------------------------------
// Stored enums

/// `BOMItem.itemType` (the schema's `"ComponentType"`): what the node's id resolved to. The catalog owns
/// the enum, as its component links use the same one.
pub use crate::domain::catalog::ComponentType as ItemType;

pg_enum!(
    /// `BillOfMaterials.status` (the schema's `"BOMStatus"`). Only DRAFT→APPROVED, DRAFT→SUPERSEDED and
    /// APPROVED→SUPERSEDED happen (R13).
    BomStatus, "BOMStatus", parse: exact, [
    Draft => "DRAFT",
    Approved => "APPROVED",
    Superseded => "SUPERSEDED",
]);

impl BomStatus {
    pub fn title(self) -> &'static str {
        match self {
            BomStatus::Draft => "Draft",
            BomStatus::Approved => "Approved",
            BomStatus::Superseded => "Superseded",
        }
    }
}

// ---------------------------------------------------------------------------------------------------------
// The generated BOM

/// One `BOMItem` to be: a top-level line or an expanded component.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BomNode {
    /// Canonical id (`ASSY-` removed), or the generated id of a custom item.
    pub id: String,
    /// The catalog name (a generated description for custom items); not stored in `BOMItem`.
    pub name: String,
    pub item_type: ItemType,
    /// Absolute quantity for the build (R11).
    pub quantity: i64,
    /// 0 for top-level lines.
    pub level: i32,
    /// Index of the parent in [`GeneratedBom::nodes`].
    pub parent: Option<usize>,
    /// Depth-first pre-order position, 1..n (`BOMItem.sequenceOrder`).
    pub sequence: i32,
    pub is_custom: bool,
    pub custom_spec: Option<serde_json::Value>,
    /// The custom item's 700-series number, or the catalog link's notes (e.g. a pegboard colour).
    pub notes: Option<String>,
}

impl BomNode {
    /// A catalog item under `parent` (at `level`), not yet numbered and without notes.
    pub fn catalog(
        id: &str,
        name: &str,
        item_type: ItemType,
        quantity: i64,
        level: i32,
        parent: Option<usize>,
    ) -> BomNode {
        BomNode {
            id: id.to_string(),
            name: name.to_string(),
            item_type,
            quantity,
            level,
            parent,
            sequence: 0,
            is_custom: false,
            custom_spec: None,
            notes: None,
        }
    }
}

/// A generated BOM: nodes in depth-first pre-order (a parent always precedes its children) and the notes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GeneratedBom {
    pub nodes: Vec<BomNode>,
    /// `WARNING:` lines (W1–W4), then `CYCLE:` and `INACTIVE:` notices; stored in `BillOfMaterials.notes`.
    pub notes: Vec<String>,
}

impl GeneratedBom {
    /// The top-level lines, in display order (docs/bom-rules.md §4).
    pub fn top_level(&self) -> impl Iterator<Item = &BomNode> {
        self.nodes.iter().filter(|n| n.parent.is_none())
    }

    /// The direct children of node `index`, in sequence.
    pub fn children(&self, index: usize) -> impl Iterator<Item = &BomNode> {
        self.nodes.iter().filter(move |n| n.parent == Some(index))
    }

    /// What the wizard's review shows: the top-level lines and the notes.
    pub fn preview(&self) -> BomPreview {
        BomPreview {
            lines: self
                .top_level()
                .map(|n| PreviewLine {
                    id: n.id.clone(),
                    name: n.name.clone(),
                    quantity: n.quantity,
                    kind: if n.is_custom {
                        "custom"
                    } else {
                        match n.item_type {
                            ItemType::Assembly => "assembly",
                            ItemType::Part => "part",
                        }
                    }
                    .to_string(),
                })
                .collect(),
            notes: self.notes.clone(),
        }
    }

    /// The flattened view (docs/bom-rules.md §6): leaf quantities summed by canonical id, custom lines
    /// included, in order of first appearance. Nodes with children are not listed.
    pub fn flattened(&self) -> Vec<(String, i64)> {
        let mut has_children = vec![false; self.nodes.len()];
        for n in &self.nodes {
            if let Some(p) = n.parent
                && let Some(flag) = has_children.get_mut(p)
            {
                *flag = true;
            }
        }
        let mut out: Vec<(String, i64)> = Vec::new();
        let mut at: HashMap<&str, usize> = HashMap::new();
        for (n, parent) in self.nodes.iter().zip(has_children) {
            if parent {
                continue;
            }
            match at.get(n.id.as_str()) {
                Some(&i) => {
                    if let Some(entry) = out.get_mut(i) {
                        entry.1 += n.quantity;
                    }
                }
                None => {
                    at.insert(&n.id, out.len());
                    out.push((n.id.clone(), n.quantity));
                }
            }
        }
        out
    }

    /// The notes as `BillOfMaterials.notes` stores them: one per line, or `None` when there are none.
    pub fn notes_text(&self) -> Option<String> {
        (!self.notes.is_empty()).then(|| self.notes.join("\n"))
    }
}

fn custom_pegboard_name(w: i32, l: i32, kind: &str, color: &str) -> String {
    format!("CUSTOM PEGBOARD, {w}\"W X {l}\"L, {kind}, {color}")
}

fn custom_basin_name(w: i32, l: i32, d: i32) -> String {
    format!("CUSTOM BASIN, {w}\"W X {l}\"L X {d}\"D")
}

/// The description of a stored custom item, rebuilt from its `customPartSpec` (the name is not a column).
pub fn custom_name(spec: &serde_json::Value) -> Option<String> {
    let int = |key: &str| {
        spec.get(key)
            .and_then(serde_json::Value::as_i64)
            .and_then(|v| i32::try_from(v).ok())
    };
    let (w, l) = (int("width")?, int("length")?);
    match int("depth") {
        Some(d) => Some(custom_basin_name(w, l, d)),
        None => Some(custom_pegboard_name(
            w,
            l,
            spec.get("type")?.as_str()?,
            spec.get("color")?.as_str()?,
        )),
    }
}

/// Why a BOM could not be generated; nothing is saved.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum BomError {
    /// Ids that resolve to nothing (R10), each once, in order of first appearance.
    #[error("BOM generation failed for build {build}: unknown catalog id(s): {}", .ids.join(", "))]
    UnknownIds { build: String, ids: Vec<String> },
    /// A configuration the wizard would have refused (docs/bom-rules.md §2).
    #[error("invalid configuration: {0}")]
    InvalidConfiguration(String),
}

impl BomError {
    /// The message without the build: `unknown catalog id(s): …` or `invalid configuration: …`.
    pub fn reason(&self) -> String {
        match self {
            BomError::UnknownIds { ids, .. } => {
                format!("unknown catalog id(s): {}", ids.join(", "))
            }
            BomError::InvalidConfiguration(_) => self.to_string(),
        }
    }
}

fn invalid(reason: impl Into<String>) -> BomError {
    BomError::InvalidConfiguration(reason.into())
}
