//! Bill-of-materials generation (bom-rules.md).
//!
//! [`generate`] turns one build's configuration into the top-level lines of R1–R9, merges equal lines (R12),
//! resolves every id against a [`CatalogIndex`] (R10) and expands each line depth-first into nodes with
//! absolute quantities (R11). The result, a [`GeneratedBom`], is what `db::bom::write_version` stores as
//! `BOMItem` rows and what the wizard previews. Pure code: the catalog comes in as an index, filled either
//! from the parsed catalog files ([`CatalogIndex::from_catalog`]) or from the database (`db::bom`).

use crate::domain::catalog::{Catalog, EntityStatus};
use crate::domain::order::{
    BasinType, BuildConfig, DocumentLanguage, FaucetPlacement, FaucetType, FeetType, LegsType,
    PegboardSizeType, PegboardType, STANDARD_BASINS, SinkFamily, SprayerType, basins_of_model,
};
use postgres_types::{FromSql, ToSql};
use serde::{Deserialize, Serialize};
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

/// `BOMItem.itemType` (the schema's `"ComponentType"`): what the node's id resolved to.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ToSql, FromSql, Serialize, Deserialize,
)]
#[postgres(name = "ComponentType")]
pub enum ItemType {
    #[postgres(name = "PART")]
    #[serde(rename = "PART")]
    Part,
    #[postgres(name = "ASSEMBLY")]
    #[serde(rename = "ASSEMBLY")]
    Assembly,
}

impl ItemType {
    pub const ALL: [ItemType; 2] = [ItemType::Part, ItemType::Assembly];

    /// The database label.
    pub fn code(self) -> &'static str {
        match self {
            ItemType::Part => "PART",
            ItemType::Assembly => "ASSEMBLY",
        }
    }

    pub fn parse(s: &str) -> Option<ItemType> {
        Self::ALL.into_iter().find(|v| v.code() == s)
    }
}

/// `BillOfMaterials.status` (the schema's `"BOMStatus"`). Only DRAFT→APPROVED, DRAFT→SUPERSEDED and
/// APPROVED→SUPERSEDED happen (R13).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ToSql, FromSql, Serialize, Deserialize,
)]
#[postgres(name = "BOMStatus")]
pub enum BomStatus {
    #[postgres(name = "DRAFT")]
    #[serde(rename = "DRAFT")]
    Draft,
    #[postgres(name = "APPROVED")]
    #[serde(rename = "APPROVED")]
    Approved,
    #[postgres(name = "SUPERSEDED")]
    #[serde(rename = "SUPERSEDED")]
    Superseded,
}

impl BomStatus {
    pub const ALL: [BomStatus; 3] = [BomStatus::Draft, BomStatus::Approved, BomStatus::Superseded];

    /// The database label.
    pub fn code(self) -> &'static str {
        match self {
            BomStatus::Draft => "DRAFT",
            BomStatus::Approved => "APPROVED",
            BomStatus::Superseded => "SUPERSEDED",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            BomStatus::Draft => "Draft",
            BomStatus::Approved => "Approved",
            BomStatus::Superseded => "Superseded",
        }
    }

    pub fn parse(s: &str) -> Option<BomStatus> {
        Self::ALL.into_iter().find(|v| v.code() == s)
    }
}

// ---------------------------------------------------------------------------------------------------------
// The catalog as the generator reads it

/// A `"Part"` row, as far as the generator needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedPart {
    pub name: String,
    pub status: EntityStatus,
}

/// One `"AssemblyComponent"` link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedLink {
    /// Resolved again with R10, whatever the link's childType.
    pub child_id: String,
    pub quantity: i64,
    /// Copied to the child's `BOMItem.notes`; the colour kits name the pegboard colour here.
    pub notes: Option<String>,
}

/// An `"Assembly"` row with its links in `sequenceOrder`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedAssembly {
    pub name: String,
    pub status: EntityStatus,
    pub components: Vec<IndexedLink>,
}

/// What an id resolves to under R10, with the catalog key it was found under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolved<'a> {
    Assembly {
        key: &'a str,
        assembly: &'a IndexedAssembly,
    },
    Part {
        key: &'a str,
        part: &'a IndexedPart,
    },
}

impl Resolved<'_> {
    /// The id a `BOMItem` stores: the catalog key without a leading `ASSY-`.
    pub fn canonical_id(&self) -> &str {
        match self {
            Resolved::Assembly { key, .. } | Resolved::Part { key, .. } => canonical_id(key),
        }
    }

    pub fn item_type(&self) -> ItemType {
        match self {
            Resolved::Assembly { .. } => ItemType::Assembly,
            Resolved::Part { .. } => ItemType::Part,
        }
    }

    pub fn name(&self) -> &str {
        match self {
            Resolved::Assembly { assembly, .. } => &assembly.name,
            Resolved::Part { part, .. } => &part.name,
        }
    }
}

/// A catalog key with any leading `ASSY-` removed (bom-rules.md section 0).
pub fn canonical_id(key: &str) -> &str {
    key.strip_prefix("ASSY-").unwrap_or(key)
}

/// Parts and assemblies by id, with each assembly's ordered links: everything generation reads.
///
/// Filled with [`CatalogIndex::from_catalog`] from the parsed files, or by the database layer through
/// [`add_part`](Self::add_part), [`add_assembly`](Self::add_assembly) and
/// [`add_component`](Self::add_component).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CatalogIndex {
    parts: HashMap<String, IndexedPart>,
    assemblies: HashMap<String, IndexedAssembly>,
}

impl CatalogIndex {
    pub fn new() -> CatalogIndex {
        CatalogIndex::default()
    }

    /// The index of the parsed catalog files (supplementary parts included, as the import stores them).
    pub fn from_catalog(catalog: &Catalog) -> CatalogIndex {
        let mut index = CatalogIndex::new();
        for p in &catalog.parts {
            index.add_part(p.id.clone(), p.name.clone(), p.status);
        }
        for a in &catalog.assemblies {
            index.assemblies.insert(
                a.id.clone(),
                IndexedAssembly {
                    name: a.name.clone(),
                    status: a.status,
                    components: a
                        .components
                        .iter()
                        .map(|c| IndexedLink {
                            child_id: c.child_id.clone(),
                            quantity: i64::from(c.quantity),
                            notes: c.notes.clone(),
                        })
                        .collect(),
                },
            );
        }
        index
    }

    /// Adds or replaces a part.
    pub fn add_part(
        &mut self,
        id: impl Into<String>,
        name: impl Into<String>,
        status: EntityStatus,
    ) {
        self.parts.insert(
            id.into(),
            IndexedPart {
                name: name.into(),
                status,
            },
        );
    }

    /// Adds or replaces an assembly, without components.
    pub fn add_assembly(
        &mut self,
        id: impl Into<String>,
        name: impl Into<String>,
        status: EntityStatus,
    ) {
        self.assemblies.insert(
            id.into(),
            IndexedAssembly {
                name: name.into(),
                status,
                components: Vec::new(),
            },
        );
    }

    /// Appends a link to `parent`'s components; links must come in `sequenceOrder`. Returns false (and adds
    /// nothing) when `parent` is not an assembly of the index.
    pub fn add_component(
        &mut self,
        parent: &str,
        child_id: impl Into<String>,
        quantity: i64,
        notes: Option<String>,
    ) -> bool {
        match self.assemblies.get_mut(parent) {
            Some(a) => {
                a.components.push(IndexedLink {
                    child_id: child_id.into(),
                    quantity,
                    notes,
                });
                true
            }
            None => false,
        }
    }

    pub fn part(&self, id: &str) -> Option<&IndexedPart> {
        self.parts.get(id)
    }

    pub fn assembly(&self, id: &str) -> Option<&IndexedAssembly> {
        self.assemblies.get(id)
    }

    pub fn part_count(&self) -> usize {
        self.parts.len()
    }

    pub fn assembly_count(&self) -> usize {
        self.assemblies.len()
    }

    /// R10: assembly `id`, else assembly `ASSY-id`, else part `id`; exact and case-sensitive.
    pub fn resolve(&self, id: &str) -> Option<Resolved<'_>> {
        if let Some((key, assembly)) = self.assemblies.get_key_value(id) {
            return Some(Resolved::Assembly { key, assembly });
        }
        if let Some((key, assembly)) = self.assemblies.get_key_value(&format!("ASSY-{id}")) {
            return Some(Resolved::Assembly { key, assembly });
        }
        self.parts
            .get_key_value(id)
            .map(|(key, part)| Resolved::Part { key, part })
    }
}

// ---------------------------------------------------------------------------------------------------------
// Accessories (R9)

/// One of the accessories the wizard offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccessoryDef {
    /// The owner's 700-series number (reference only).
    pub number: &'static str,
    /// The wizard's group: the number's series under category 720, e.g. `720.702`.
    pub subcategory: &'static str,
    pub id: &'static str,
}

const fn acc(number: &'static str, subcategory: &'static str, id: &'static str) -> AccessoryDef {
    AccessoryDef {
        number,
        subcategory,
        id,
    }
}

/// The 54 accessories of R9, in the table's order. The list is the spec's, not a catalog query:
/// `T2-OHL-INSTRO-KIT` (702.14) is stored under category 723, and category 720 also holds kits that are not
/// accessories.
pub const ACCESSORIES: [AccessoryDef; 54] = [
    acc("702.4", "720.702", "T-OA-BINRAIL-24-KIT"),
    acc("702.5", "720.702", "T-OA-BINRAIL-36-KIT"),
    acc("702.6", "720.702", "T-OA-BINRAIL-48-KIT"),
    acc("702.7", "720.702", "T-OA-PFW1236FM-KIT"),
    acc("702.8", "720.702", "T-OA-PFW1218FM-KIT"),
    acc("702.9", "720.702", "T-OA-PFW1818FM-KIT"),
    acc("702.10", "720.702", "T-OA-SSSHELF-1812"),
    acc("702.11", "720.702", "T-OA-SSSHELF-1812-BOLT-ON-KIT"),
    acc("702.12", "720.702", "T-OA-SSSHELF-3612"),
    acc("702.13", "720.702", "T-OA-SSSHELF-3612-BOLT-ON-KIT"),
    acc("702.14", "720.702", "T2-OHL-INSTRO-KIT"),
    acc("702.15", "720.702", "T-OA-B110505"),
    acc("702.16", "720.702", "T-OA-B110807"),
    acc("702.17", "720.702", "T-OA-B111105"),
    acc("702.18", "720.702", "B210-BLUE"),
    acc("702.19", "720.702", "T2-OA-LT-SSSHELF-LRG"),
    acc("702.20", "720.702", "T2-OA-LT-SSSHELF-SML"),
    acc("702.21", "720.702", "T-OA-SSSHELF-LGHT-1812-KIT"),
    acc("702.22", "720.702", "T-OA-SSSHELF-LGHT-3612-KIT"),
    acc("702.23", "720.702", "T2-OA-CUST-SHELF-HA-SML"),
    acc("702.24", "720.702", "T2-OA-CUST-SHELF-HA-LRG"),
    acc("702.25", "720.702", "T-OA-RAIL-SHELF-ADDER-SML"),
    acc("702.26", "720.702", "T-OA-RAIL-SHELF-ADDER-LRG"),
    acc("702.27", "720.702", "T-OA-FOOTREST-RAIL-KIT"),
    acc("702.28", "720.702", "T2-OA-DOSINGESK-BTMSHELF"),
    acc("703.29", "720.703", "T-OA-1BRUSH-ORG-PB-KIT"),
    acc("703.30", "720.703", "T-OA-6BRUSH-ORG-PB-KIT"),
    acc("703.31", "720.703", "T-OA-WRK-FLW-PB"),
    acc("703.32", "720.703", "T-OA-PPRACK-2066"),
    acc("703.33", "720.703", "T-OA-PB-SS-1L-SHLF"),
    acc("703.34", "720.703", "T-OA-PB-SS-2G-SHLF"),
    acc("703.35", "720.703", "T-OA-PB-SS-1GLOVE"),
    acc("703.36", "720.703", "T-OA-PB-SS-2GLOVE"),
    acc("703.37", "720.703", "T-OA-PB-SS-3GLOVE"),
    acc("703.38", "720.703", "T2-OA-SC-2020-SS"),
    acc("703.39", "720.703", "T2-OA-SC-2420-SS"),
    acc("703.40", "720.703", "T2-OA-SC-3020-SS"),
    acc("703.41", "720.703", "T2-AER-TUBEORG"),
    acc("704.42", "720.704", "T-OA-MLIGHT-PB-KIT"),
    acc("704.43", "720.704", "T-OA-DIM-MLIGHT-PB-KIT"),
    acc("704.44", "720.704", "T-OA-TASKLIGHT-PB"),
    acc("704.45", "720.704", "T-OA-TASKLIGHT-PB-MAG-KIT"),
    acc("705.46", "720.705", "T-OA-MNT-ARM"),
    acc("705.47", "720.705", "T-OA-MNT-ARM-1EXT"),
    acc("705.48", "720.705", "T-OA-MNT-ARM-2EXT"),
    acc("705.49", "720.705", "T-OA-KB-MOUSE-ARM"),
    acc("705.50", "720.705", "T-OA-2H-CPUSM"),
    acc("705.51", "720.705", "T-OA-2H-CPULG"),
    acc("705.52", "720.705", "T-OA-2H-CPUUV"),
    acc("705.53", "720.705", "T-OA-MMA-PB"),
    acc("705.54", "720.705", "T-OA-MMA-DUAL"),
    acc("705.55", "720.705", "T-OA-MMA-LTAB"),
    acc("705.56", "720.705", "T-OA-MMA-LAP"),
    acc("705.57", "720.705", "T-OA-MNT-SINGLE-COMBO-PB"),
];

/// The R9 entry for `id`, if it is an accessory the wizard offers.
pub fn accessory(id: &str) -> Option<&'static AccessoryDef> {
    ACCESSORIES.iter().find(|a| a.id == id)
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

/// A generated BOM: nodes in depth-first pre-order (a parent always precedes its children) and the notes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GeneratedBom {
    pub nodes: Vec<BomNode>,
    /// `WARNING:` lines (W1–W4), then `CYCLE:` and `INACTIVE:` notices; stored in `BillOfMaterials.notes`.
    pub notes: Vec<String>,
}

impl GeneratedBom {
    /// The top-level lines, in display order (section 3).
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

    /// The flattened view (section 5): leaf quantities summed by canonical id, custom lines included, in
    /// order of first appearance. Nodes with children are not listed.
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
    /// A configuration the wizard would have refused (section 1).
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

// ---------------------------------------------------------------------------------------------------------
// Warnings (R14)

const W3_THRESHOLD: i32 = 84;

/// The compatibility warnings W1–W4 of a build (section 8), without the `WARNING:` prefix. Needs no catalog,
/// so the wizard can show them while the build is being entered; never blocking.
pub fn warnings(build: &BuildConfig) -> Vec<String> {
    let mut out = Vec::new();
    // Each accessory id once, in row order.
    let mut accessory_ids: Vec<&str> = Vec::new();
    for a in &build.accessories {
        if !accessory_ids.contains(&a.assembly_id.as_str()) {
            accessory_ids.push(&a.assembly_id);
        }
    }

    let w1_context = match (build.has_pegboard, build.pegboard_type) {
        (false, _) => Some("no pegboard"),
        (true, Some(PegboardType::Perforated)) => Some("a PERFORATED pegboard"),
        // A SOLID pegboard fits; one whose type is not chosen yet cannot be judged.
        (true, Some(PegboardType::Solid) | None) => None,
    };
    if let Some(has) = w1_context {
        for id in accessory_ids
            .iter()
            .filter(|id| id.ends_with("-BOLT-ON-KIT"))
        {
            out.push(format!(
                "W1 {id} is meant for a SOLID pegboard; this build has {has}"
            ));
        }
    }

    if accessory_ids.contains(&"T2-OHL-INSTRO-KIT") {
        out.push("W2 T2-OHL-INSTRO-KIT is meant for InstroSink; this build is MDRD".to_string());
    }

    let length = build.sink_length;
    for id in &accessory_ids {
        let small = matches!(*id, "T2-OA-CUST-SHELF-HA-SML" | "T-OA-RAIL-SHELF-ADDER-SML");
        let large = matches!(*id, "T2-OA-CUST-SHELF-HA-LRG" | "T-OA-RAIL-SHELF-ADDER-LRG");
        if small && length >= W3_THRESHOLD {
            out.push(format!(
                "W3 {id} is for lengths below {W3_THRESHOLD}; this sink is {length} in"
            ));
        } else if large && length < W3_THRESHOLD {
            out.push(format!(
                "W3 {id} is for lengths {W3_THRESHOLD} and above; this sink is {length} in"
            ));
        }
    }

    let all_drain = !build.basins.is_empty()
        && build
            .basins
            .iter()
            .all(|b| b.basin_type == BasinType::EDrain);
    if all_drain
        && build
            .faucets
            .iter()
            .any(|f| f.placement == FaucetPlacement::Center)
    {
        out.push("W4 a faucet is placed CENTER but every basin is E-Drain".to_string());
    }
    out
}

// ---------------------------------------------------------------------------------------------------------
// Top-level lines (R1–R9)

/// A top-level line before merging and resolution.
#[derive(Debug, Clone, PartialEq)]
enum Line {
    Catalog {
        id: String,
        quantity: i64,
    },
    Custom {
        id: String,
        name: String,
        /// The 700-series number (section 6).
        notes: &'static str,
        spec: serde_json::Value,
        quantity: i64,
    },
}

fn catalog_line(id: impl Into<String>, quantity: i64) -> Line {
    Line::Catalog {
        id: id.into(),
        quantity,
    }
}

/// Section 1: what the wizard guarantees, checked again for callers that bypass it.
fn validate(build: &BuildConfig) -> Result<(), BomError> {
    if build.sink_family != SinkFamily::Mdrd {
        return Err(invalid(format!(
            "sink family {} is not configurable (only MDRD)",
            build.sink_family
        )));
    }
    if !(48..=120).contains(&build.sink_length) {
        return Err(invalid(format!(
            "sink length {} in is outside 48-120",
            build.sink_length
        )));
    }
    let Some(count) = basins_of_model(&build.sink_model) else {
        return Err(invalid(format!(
            "unknown sink model \"{}\"",
            build.sink_model
        )));
    };
    if build.basins.len() != count {
        return Err(invalid(format!(
            "model {} has {count} basin(s) but the build lists {}",
            build.sink_model,
            build.basins.len()
        )));
    }
    if build.legs_type == LegsType::FixedHeight && build.legs_model == "LC1" {
        return Err(invalid("fixed-height LC1 legs do not exist"));
    }
    if build.has_pegboard {
        if build.pegboard_color.is_none() || build.pegboard_type.is_none() {
            return Err(invalid("a pegboard needs a colour and a type"));
        }
        match build.pegboard_size_type {
            None => return Err(invalid("a pegboard needs a size type")),
            Some(PegboardSizeType::Custom) => match (build.pegboard_width, build.pegboard_length) {
                (Some(w), Some(l)) if w > 0 && l > 0 => {}
                _ => {
                    return Err(invalid(
                        "a custom pegboard needs a positive width and length",
                    ));
                }
            },
            Some(PegboardSizeType::SameAsSink) => {}
        }
    }
    for b in &build.basins {
        let n = b.basin_index;
        let size = (b.basin_width, b.basin_length, b.basin_depth);
        if b.is_custom_size {
            if size.0 <= 0 || size.1 <= 0 || size.2 <= 0 {
                return Err(invalid(format!(
                    "basin {n}: a custom size must be positive"
                )));
            }
        } else if !STANDARD_BASINS.contains(&size) {
            return Err(invalid(format!(
                "basin {n}: {}x{}x{} is not a standard size",
                size.0, size.1, size.2
            )));
        }
    }
    for (i, f) in build.faucets.iter().enumerate() {
        if f.quantity < 1 {
            return Err(invalid(format!(
                "faucet {}: quantity must be positive",
                i + 1
            )));
        }
    }
    for (i, s) in build.sprayers.iter().enumerate() {
        if s.quantity < 1 {
            return Err(invalid(format!(
                "sprayer {}: quantity must be positive",
                i + 1
            )));
        }
    }
    for a in &build.accessories {
        if a.quantity < 1 {
            return Err(invalid(format!(
                "accessory {}: quantity must be positive",
                a.assembly_id
            )));
        }
    }
    Ok(())
}

fn manual_kit(language: DocumentLanguage) -> &'static str {
    match language {
        DocumentLanguage::En => "T2-STD-MANUAL-EN-KIT",
        DocumentLanguage::Fr => "T2-STD-MANUAL-FR-KIT",
        DocumentLanguage::Sp => "T2-STD-MANUAL-SP-KIT",
    }
}

fn body(length: i32) -> Option<&'static str> {
    match length {
        48..=60 => Some("T2-BODY-48-60-HA"),
        61..=72 => Some("T2-BODY-61-72-HA"),
        73..=120 => Some("T2-BODY-73-120-HA"),
        _ => None,
    }
}

fn legs(legs_type: LegsType, model: &str) -> Option<&'static str> {
    match (legs_type, model) {
        (LegsType::HeightAdjustable, "DL27") => Some("T2-DL27-KIT"),
        (LegsType::HeightAdjustable, "DL14") => Some("T2-DL14-KIT"),
        (LegsType::HeightAdjustable, "LC1") => Some("T2-LC1-KIT"),
        (LegsType::FixedHeight, "DL27") => Some("T2-DL27-FH-KIT"),
        (LegsType::FixedHeight, "DL14") => Some("T2-DL14-FH-KIT"),
        _ => None,
    }
}

fn feet(feet_type: FeetType) -> &'static str {
    match feet_type {
        FeetType::LockLevelingCasters => "T2-LEVELING-CASTOR-475",
        FeetType::SsAdjustableSeismicFeet => "T2-SEISMIC-FEET",
    }
}

/// The panel size code of R4 for a sink length.
fn pegboard_size(length: i32) -> Option<&'static str> {
    match length {
        34..=47 => Some("3436"),
        48..=59 => Some("4836"),
        60..=71 => Some("6036"),
        72..=83 => Some("7236"),
        84..=95 => Some("8436"),
        96..=107 => Some("9636"),
        108..=119 => Some("10836"),
        120..=130 => Some("12036"),
        _ => None,
    }
}

fn pegboard_type_code(t: PegboardType) -> &'static str {
    match t {
        PegboardType::Perforated => "PERF",
        PegboardType::Solid => "SOLID",
    }
}

fn basin_kit(t: BasinType) -> &'static str {
    match t {
        BasinType::ESink => "T2-BSN-ESK-KIT",
        BasinType::ESinkDi => "T2-BSN-ESK-DI-KIT",
        BasinType::EDrain => "T2-BSN-EDR-KIT",
    }
}

fn basin_light(t: BasinType) -> &'static str {
    match t {
        BasinType::EDrain => "T2-OA-BASIN-LIGHT-EDR-KIT",
        BasinType::ESink | BasinType::ESinkDi => "T2-OA-BASIN-LIGHT-ESK-KIT",
    }
}

/// R6: the control box for (#E-Drain, #E-Sink incl. DI).
fn control_box(drains: usize, sinks: usize) -> Option<&'static str> {
    match (drains, sinks) {
        (1, 0) => Some("T2-CTRL-EDR1"),
        (0, 1) => Some("T2-CTRL-ESK1"),
        (1, 1) => Some("T2-CTRL-EDR1-ESK1"),
        (2, 0) => Some("T2-CTRL-EDR2"),
        (0, 2) => Some("T2-CTRL-ESK2"),
        (3, 0) => Some("T2-CTRL-EDR3"),
        (0, 3) => Some("T2-CTRL-ESK3"),
        (1, 2) => Some("T2-CTRL-EDR1-ESK2"),
        (2, 1) => Some("T2-CTRL-EDR2-ESK1"),
        _ => None,
    }
}

fn faucet_kit(t: FaucetType) -> &'static str {
    match t {
        FaucetType::WristBladeSwingSpout => "T2-OA-STD-FAUCET-WB-KIT",
        FaucetType::PreRinseOverheadSpray => "T2-OA-PRE-RINSE-FAUCET-KIT",
        FaucetType::GooseneckTreatedWater => "T2-OA-DI-GOOSENECK-FAUCET-KIT",
    }
}

fn sprayer_kit(t: SprayerType) -> &'static str {
    match t {
        SprayerType::DiWaterGunKitTurret => "T2-OA-WATERGUN-TURRET-KIT",
        SprayerType::DiWaterGunKitRosette => "T2-OA-WATERGUN-ROSETTE-KIT",
        SprayerType::AirGunKitTurret => "T2-OA-AIRGUN-TURRET-KIT",
        SprayerType::AirGunKitRosette => "T2-OA-AIRGUN-ROSETTE-KIT",
    }
}

/// R1–R9 in the display order of section 3, before merging. Expects a validated build.
fn top_level_lines(language: DocumentLanguage, build: &BuildConfig) -> Result<Vec<Line>, BomError> {
    let length = build.sink_length;
    let mut lines = vec![catalog_line(manual_kit(language), 1)];
    lines.push(catalog_line(
        body(length)
            .ok_or_else(|| invalid(format!("sink length {length} in is outside 48-120")))?,
        1,
    ));
    lines.push(catalog_line(
        legs(build.legs_type, &build.legs_model).ok_or_else(|| {
            invalid(format!(
                "no {} legs kit for model \"{}\"",
                build.legs_type, build.legs_model
            ))
        })?,
        1,
    ));
    lines.push(catalog_line(feet(build.feet_type), 1));

    if build.has_pegboard {
        let (Some(color), Some(kind)) = (build.pegboard_color, build.pegboard_type) else {
            return Err(invalid("a pegboard needs a colour and a type"));
        };
        lines.push(catalog_line("T2-OHL-MDRD-KIT", 1));
        match build.pegboard_size_type {
            Some(PegboardSizeType::SameAsSink) => {
                let size = pegboard_size(length)
                    .ok_or_else(|| invalid(format!("no pegboard size for a {length} in sink")))?;
                lines.push(catalog_line(
                    format!(
                        "T2-ADW-PB-{size}-{}-{}-KIT",
                        color.code(),
                        pegboard_type_code(kind)
                    ),
                    1,
                ));
            }
            Some(PegboardSizeType::Custom) => {
                let (Some(w), Some(l)) = (build.pegboard_width, build.pegboard_length) else {
                    return Err(invalid(
                        "a custom pegboard needs a positive width and length",
                    ));
                };
                lines.push(Line::Custom {
                    id: format!("T2-ADW-PB-{w}x{l}"),
                    name: custom_pegboard_name(w, l, kind.code(), color.code()),
                    notes: "720.215.002",
                    spec: serde_json::json!({
                        "width": w,
                        "length": l,
                        "type": kind.code(),
                        "color": color.code(),
                    }),
                    quantity: 1,
                });
            }
            None => return Err(invalid("a pegboard needs a size type")),
        }
    }

    let mut basins: Vec<_> = build.basins.iter().collect();
    basins.sort_by_key(|b| b.basin_index);

    // Type kits in order of each type's first basin.
    let mut kits: Vec<(BasinType, i64)> = Vec::new();
    for b in &basins {
        match kits.iter_mut().find(|(t, _)| *t == b.basin_type) {
            Some((_, n)) => *n += 1,
            None => kits.push((b.basin_type, 1)),
        }
    }
    lines.extend(kits.iter().map(|(t, n)| catalog_line(basin_kit(*t), *n)));

    for b in &basins {
        let (w, l, d) = (b.basin_width, b.basin_length, b.basin_depth);
        if b.is_custom_size {
            lines.push(Line::Custom {
                id: format!("T2-ADW-BASIN-{w}x{l}x{d}"),
                name: custom_basin_name(w, l, d),
                notes: "720.215.001",
                spec: serde_json::json!({"width": w, "length": l, "depth": d}),
                quantity: 1,
            });
        } else {
            lines.push(catalog_line(format!("T2-ADW-BASIN{w}X{l}X{d}"), 1));
        }
    }
    for _ in basins.iter().filter(|b| b.has_p_trap_drain) {
        lines.push(catalog_line("T2-OA-MS-1026", 1));
    }
    for b in basins.iter().filter(|b| b.has_basin_light) {
        lines.push(catalog_line(basin_light(b.basin_type), 1));
    }

    let drains = basins
        .iter()
        .filter(|b| b.basin_type == BasinType::EDrain)
        .count();
    let sinks = basins.len() - drains;
    lines.push(catalog_line(
        control_box(drains, sinks).ok_or_else(|| {
            invalid(format!(
                "no control box for {drains} E-Drain and {sinks} E-Sink basin(s)"
            ))
        })?,
        1,
    ));

    for f in &build.faucets {
        lines.push(catalog_line(
            faucet_kit(f.faucet_type),
            i64::from(f.quantity),
        ));
    }
    for s in &build.sprayers {
        lines.push(catalog_line(
            sprayer_kit(s.sprayer_type),
            i64::from(s.quantity),
        ));
    }
    for a in &build.accessories {
        lines.push(catalog_line(a.assembly_id.clone(), i64::from(a.quantity)));
    }
    Ok(lines)
}

// ---------------------------------------------------------------------------------------------------------
// Resolution, merging and expansion (R10–R12)

/// A guard against a pathological catalog: no real BOM comes near it.
const MAX_NODES: usize = 100_000;

/// A top-level line after merging and resolution.
enum Merged<'c> {
    Catalog {
        resolved: Resolved<'c>,
        quantity: i64,
    },
    Unknown(String),
    Custom {
        id: String,
        name: String,
        notes: &'static str,
        spec: serde_json::Value,
        quantity: i64,
    },
}

impl<'c> Merged<'c> {
    fn new(line: Line, catalog: &'c CatalogIndex) -> Merged<'c> {
        match line {
            Line::Catalog { id, quantity } => match catalog.resolve(&id) {
                Some(resolved) => Merged::Catalog { resolved, quantity },
                None => Merged::Unknown(id),
            },
            Line::Custom {
                id,
                name,
                notes,
                spec,
                quantity,
            } => Merged::Custom {
                id,
                name,
                notes,
                spec,
                quantity,
            },
        }
    }

    /// Lines merge when they name the same catalog row (equal ids resolve alike) or the same custom id.
    fn key(&self) -> String {
        match self {
            Merged::Catalog {
                resolved: Resolved::Assembly { key, .. },
                ..
            } => format!("assembly:{key}"),
            Merged::Catalog {
                resolved: Resolved::Part { key, .. },
                ..
            } => format!("part:{key}"),
            Merged::Unknown(id) => format!("unknown:{id}"),
            Merged::Custom { id, .. } => format!("custom:{id}"),
        }
    }

    fn id(&self) -> &str {
        match self {
            Merged::Catalog { resolved, .. } => resolved.canonical_id(),
            Merged::Unknown(id) | Merged::Custom { id, .. } => id,
        }
    }

    /// Adds a later equal line's quantity.
    fn absorb(&mut self, other: &Merged<'_>) -> Result<(), BomError> {
        if let (
            Merged::Catalog { quantity, .. } | Merged::Custom { quantity, .. },
            Merged::Catalog { quantity: more, .. } | Merged::Custom { quantity: more, .. },
        ) = (&mut *self, other)
        {
            *quantity = quantity
                .checked_add(*more)
                .ok_or_else(|| too_large(other.id()))?;
        }
        Ok(())
    }
}

struct Expander<'c> {
    catalog: &'c CatalogIndex,
    nodes: Vec<BomNode>,
    unknown: Vec<String>,
    cycles: Vec<String>,
    inactive: Vec<String>,
}

fn push_once(list: &mut Vec<String>, value: String) {
    if !list.contains(&value) {
        list.push(value);
    }
}

fn too_large(id: &str) -> BomError {
    invalid(format!("the quantity of {id} is too large"))
}

impl<'c> Expander<'c> {
    fn unknown(&mut self, id: &str) {
        if !self.unknown.iter().any(|u| u == id) {
            self.unknown.push(id.to_string());
        }
    }

    fn note_status(&mut self, id: &str, status: EntityStatus) {
        if status == EntityStatus::Inactive {
            push_once(&mut self.inactive, format!("INACTIVE: {id}"));
        }
    }

    fn push(&mut self, mut node: BomNode) -> Result<usize, BomError> {
        if self.nodes.len() >= MAX_NODES {
            return Err(invalid(format!(
                "the catalog expands this build to more than {MAX_NODES} BOM nodes"
            )));
        }
        let index = self.nodes.len();
        node.sequence = i32::try_from(index + 1).map_err(|_| too_large(&node.id))?;
        self.nodes.push(node);
        Ok(index)
    }

    /// Resolves a component link and expands it; an unknown id is recorded, not fatal until the end.
    fn link(
        &mut self,
        link: &'c IndexedLink,
        quantity: i64,
        level: i32,
        parent: usize,
        path: &mut Vec<&'c str>,
    ) -> Result<(), BomError> {
        match self.catalog.resolve(&link.child_id) {
            Some(resolved) => self.expand(
                resolved,
                quantity,
                level,
                Some(parent),
                link.notes.clone(),
                path,
            ),
            None => {
                self.unknown(&link.child_id);
                Ok(())
            }
        }
    }

    /// Writes the node for `resolved` and, for an assembly not already on `path`, its subtree.
    fn expand(
        &mut self,
        resolved: Resolved<'c>,
        quantity: i64,
        level: i32,
        parent: Option<usize>,
        notes: Option<String>,
        path: &mut Vec<&'c str>,
    ) -> Result<(), BomError> {
        let id = resolved.canonical_id();
        let node = |item_type, name: &str| BomNode {
            id: id.to_string(),
            name: name.to_string(),
            item_type,
            quantity,
            level,
            parent,
            sequence: 0,
            is_custom: false,
            custom_spec: None,
            notes: notes.clone(),
        };
        match resolved {
            Resolved::Part { part, .. } => {
                self.note_status(id, part.status);
                self.push(node(ItemType::Part, &part.name))?;
            }
            Resolved::Assembly { key, assembly } if path.contains(&key) => {
                // A cycle: written as a leaf, as the part of that id when there is one.
                let (item_type, name, status) = match self.catalog.part(id) {
                    Some(p) => (ItemType::Part, &p.name, p.status),
                    None => (ItemType::Assembly, &assembly.name, assembly.status),
                };
                self.note_status(id, status);
                push_once(
                    &mut self.cycles,
                    format!("CYCLE: {} > {key} (broken at {id})", path.join(" > ")),
                );
                self.push(node(item_type, name))?;
            }
            Resolved::Assembly { key, assembly } => {
                self.note_status(id, assembly.status);
                let index = self.push(node(ItemType::Assembly, &assembly.name))?;
                path.push(key);
                for link in &assembly.components {
                    let child_quantity = link
                        .quantity
                        .checked_mul(quantity)
                        .ok_or_else(|| too_large(&link.child_id))?;
                    self.link(link, child_quantity, level + 1, index, path)?;
                }
                path.pop();
            }
        }
        Ok(())
    }
}

/// Generates the BOM of one build (R1–R12, with the R14 warnings in its notes).
///
/// Fails with [`BomError::InvalidConfiguration`] for a configuration the wizard refuses, and with
/// [`BomError::UnknownIds`] when any id, top-level or component, resolves to nothing.
pub fn generate(
    language: DocumentLanguage,
    build: &BuildConfig,
    catalog: &CatalogIndex,
) -> Result<GeneratedBom, BomError> {
    validate(build)?;
    let lines = top_level_lines(language, build)?;

    let mut merged: Vec<Merged<'_>> = Vec::new();
    let mut position: HashMap<String, usize> = HashMap::new();
    for line in lines {
        let line = Merged::new(line, catalog);
        let key = line.key();
        match position.get(&key).and_then(|&i| merged.get_mut(i)) {
            Some(first) => first.absorb(&line)?,
            None => {
                position.insert(key, merged.len());
                merged.push(line);
            }
        }
    }

    let mut ex = Expander {
        catalog,
        nodes: Vec::new(),
        unknown: Vec::new(),
        cycles: Vec::new(),
        inactive: Vec::new(),
    };
    let mut path = Vec::new();
    for line in merged {
        match line {
            Merged::Catalog { resolved, quantity } => {
                ex.expand(resolved, quantity, 0, None, None, &mut path)?;
            }
            Merged::Unknown(id) => ex.unknown(&id),
            Merged::Custom {
                id,
                name,
                notes,
                spec,
                quantity,
            } => {
                ex.push(BomNode {
                    id,
                    name,
                    item_type: ItemType::Part,
                    quantity,
                    level: 0,
                    parent: None,
                    sequence: 0,
                    is_custom: true,
                    custom_spec: Some(spec),
                    notes: Some(notes.to_string()),
                })?;
            }
        }
    }

    if !ex.unknown.is_empty() {
        return Err(BomError::UnknownIds {
            build: build.build_number.clone(),
            ids: ex.unknown,
        });
    }
    let mut notes: Vec<String> = warnings(build)
        .into_iter()
        .map(|w| format!("WARNING: {w}"))
        .collect();
    notes.extend(ex.cycles);
    notes.extend(ex.inactive);
    Ok(GeneratedBom {
        nodes: ex.nodes,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalog::parse_catalog;
    use crate::domain::order::{
        AccessoryLine, BasinConfig, FaucetConfig, PegboardColor, SprayerConfig, SprayerLocation,
    };
    use crate::reference::{ASSEMBLIES_JSON, CATEGORIES_JSON, PARTS_JSON};
    use std::sync::OnceLock;

    fn shipped() -> &'static CatalogIndex {
        static INDEX: OnceLock<CatalogIndex> = OnceLock::new();
        INDEX.get_or_init(|| {
            let catalog = parse_catalog(PARTS_JSON, ASSEMBLIES_JSON, CATEGORIES_JSON)
                .expect("the shipped catalog parses");
            CatalogIndex::from_catalog(&catalog)
        })
    }

    fn build(
        model: &str,
        width: i32,
        length: i32,
        legs_type: LegsType,
        legs_model: &str,
        feet_type: FeetType,
    ) -> BuildConfig {
        BuildConfig::new(
            "B-1",
            model,
            (width, length),
            legs_type,
            legs_model,
            feet_type,
        )
    }

    fn pegboard(b: &mut BuildConfig, kind: PegboardType, color: PegboardColor) {
        b.has_pegboard = true;
        b.pegboard_type = Some(kind);
        b.pegboard_color = Some(color);
        b.pegboard_size_type = Some(PegboardSizeType::SameAsSink);
    }

    /// Basin flags: P-trap, light.
    fn basin(
        b: &mut BuildConfig,
        basin_type: BasinType,
        (w, l, d): (i32, i32, i32),
        custom: bool,
        p_trap: bool,
        light: bool,
    ) {
        let index = i32::try_from(b.basins.len() + 1).expect("few basins");
        b.basins.push(BasinConfig {
            basin_index: index,
            basin_type,
            basin_width: w,
            basin_length: l,
            basin_depth: d,
            is_custom_size: custom,
            has_p_trap_drain: p_trap,
            has_basin_light: light,
        });
    }

    fn faucet(
        b: &mut BuildConfig,
        faucet_type: FaucetType,
        quantity: i32,
        placement: FaucetPlacement,
    ) {
        b.faucets.push(FaucetConfig {
            faucet_type,
            quantity,
            placement,
        });
    }

    fn sprayer(
        b: &mut BuildConfig,
        sprayer_type: SprayerType,
        quantity: i32,
        location: SprayerLocation,
    ) {
        b.sprayers.push(SprayerConfig {
            sprayer_type,
            quantity,
            location,
        });
    }

    fn accessory_line(b: &mut BuildConfig, id: &str, quantity: i32) {
        b.accessories.push(AccessoryLine {
            assembly_id: id.into(),
            quantity,
        });
    }

    use BasinType::{EDrain, ESink, ESinkDi};
    use FaucetPlacement::{BetweenBasins, Center};
    use FeetType::{LockLevelingCasters as Casters, SsAdjustableSeismicFeet as Seismic};
    use LegsType::{FixedHeight, HeightAdjustable};

    /// What a worked example of section 11 states.
    struct Expected<'a> {
        lines: &'a [(&'a str, i64)],
        warnings: &'a [&'a str],
        nodes: usize,
        flat_ids: usize,
        flat_quantity: i64,
        flat: &'a [(&'a str, i64)],
        node: &'a [(&'a str, i64)],
    }

    fn sorted(mut v: Vec<(String, i64)>) -> Vec<(String, i64)> {
        v.sort();
        v
    }

    fn check(language: DocumentLanguage, b: &BuildConfig, e: &Expected<'_>) -> GeneratedBom {
        let bom = generate(language, b, shipped()).expect("the example generates");
        let lines: Vec<(String, i64)> = bom
            .top_level()
            .map(|n| (n.id.clone(), n.quantity))
            .collect();
        let expected: Vec<(String, i64)> =
            e.lines.iter().map(|(id, q)| (id.to_string(), *q)).collect();
        assert_eq!(sorted(lines.clone()), sorted(expected.clone()));
        // The spec lists the lines in display order too.
        assert_eq!(lines, expected, "display order");
        let codes: Vec<&str> = bom
            .notes
            .iter()
            .filter_map(|n| n.strip_prefix("WARNING: "))
            .filter_map(|w| w.split(' ').next())
            .collect();
        assert_eq!(codes, e.warnings, "{:#?}", bom.notes);
        assert_eq!(
            bom.notes.len(),
            e.warnings.len(),
            "no other notice: {:#?}",
            bom.notes
        );
        assert_eq!(bom.nodes.len(), e.nodes, "nodes");
        let flat = bom.flattened();
        assert_eq!(flat.len(), e.flat_ids, "flat ids");
        assert_eq!(
            flat.iter().map(|(_, q)| q).sum::<i64>(),
            e.flat_quantity,
            "flat qty"
        );
        for (id, q) in e.flat {
            assert_eq!(
                flat.iter().find(|(f, _)| f == id).map(|(_, q)| *q),
                Some(*q),
                "flat {id}"
            );
        }
        for (id, q) in e.node {
            assert!(
                bom.nodes.iter().any(|n| n.id == *id && n.quantity == *q),
                "node {id} x{q}"
            );
        }
        assert_tree(&bom);
        bom
    }

    /// Sequence 1..n in pre-order, levels and absolute quantities consistent with the catalog links.
    fn assert_tree(bom: &GeneratedBom) {
        for (i, n) in bom.nodes.iter().enumerate() {
            assert_eq!(n.sequence, i32::try_from(i + 1).expect("small"));
            match n.parent {
                None => assert_eq!(n.level, 0),
                Some(p) => {
                    assert!(p < i, "parent precedes child");
                    assert_eq!(n.level, bom.nodes[p].level + 1);
                }
            }
            let children: Vec<&BomNode> = bom.children(i).collect();
            if n.is_custom || children.is_empty() {
                continue;
            }
            let Some(Resolved::Assembly { assembly, .. }) = shipped().resolve(&n.id) else {
                unreachable!("a node with children is an assembly");
            };
            assert_eq!(children.len(), assembly.components.len(), "{}", n.id);
            for (c, link) in children.iter().zip(&assembly.components) {
                assert_eq!(c.id, canonical_id(&link.child_id));
                assert_eq!(c.quantity, link.quantity * n.quantity);
                assert_eq!(c.notes, link.notes);
            }
        }
    }

    #[test]
    fn example_1_single_e_sink_at_the_minimum_length() {
        let mut b = build("T2-B1", 30, 48, HeightAdjustable, "DL27", Casters);
        basin(&mut b, ESink, (20, 20, 8), false, false, false);
        let bom = check(
            DocumentLanguage::En,
            &b,
            &Expected {
                lines: &[
                    ("T2-STD-MANUAL-EN-KIT", 1),
                    ("T2-BODY-48-60-HA", 1),
                    ("T2-DL27-KIT", 1),
                    ("T2-LEVELING-CASTOR-475", 1),
                    ("T2-BSN-ESK-KIT", 1),
                    ("T2-ADW-BASIN20X20X8", 1),
                    ("T2-CTRL-ESK1", 1),
                ],
                warnings: &[],
                nodes: 120,
                flat_ids: 101,
                flat_quantity: 117,
                flat: &[("T2-M8-3P-FP-STR-1.5M", 3)],
                node: &[],
            },
        );
        let preview = bom.preview();
        assert_eq!(preview.lines.len(), 7);
        assert!(
            preview.lines.iter().all(|l| l.kind == "assembly"),
            "{preview:?}"
        );

        // A twin without components is a leaf of type ASSEMBLY.
        let caster = bom
            .nodes
            .iter()
            .find(|n| n.id == "T2-LEVELING-CASTOR-475")
            .expect("caster line");
        assert_eq!(caster.item_type, ItemType::Assembly);
        assert_eq!(bom.children(caster.sequence as usize - 1).count(), 0);
        assert_eq!(bom.notes_text(), None);
    }

    #[test]
    fn example_2_body_and_pegboard_boundary_at_60_with_merged_basin_sizes() {
        let mut b = build("T2-B2", 30, 60, HeightAdjustable, "DL14", Seismic);
        pegboard(&mut b, PegboardType::Perforated, PegboardColor::Green);
        basin(&mut b, ESink, (24, 20, 8), false, false, false);
        basin(&mut b, EDrain, (24, 20, 8), false, false, false);
        faucet(&mut b, FaucetType::WristBladeSwingSpout, 2, BetweenBasins);
        let bom = check(
            DocumentLanguage::Fr,
            &b,
            &Expected {
                lines: &[
                    ("T2-STD-MANUAL-FR-KIT", 1),
                    ("T2-BODY-48-60-HA", 1),
                    ("T2-DL14-KIT", 1),
                    ("T2-SEISMIC-FEET", 1),
                    ("T2-OHL-MDRD-KIT", 1),
                    ("T2-ADW-PB-6036-GREEN-PERF-KIT", 1),
                    ("T2-BSN-ESK-KIT", 1),
                    ("T2-BSN-EDR-KIT", 1),
                    ("T2-ADW-BASIN24X20X8", 2),
                    ("T2-CTRL-EDR1-ESK1", 1),
                    ("T2-OA-STD-FAUCET-WB-KIT", 2),
                ],
                warnings: &[],
                nodes: 180,
                flat_ids: 125,
                flat_quantity: 177,
                flat: &[("PFX146332", 4), ("708.77", 1)],
                node: &[],
            },
        );
        // The colour travels in the link's notes.
        let colour = bom.nodes.iter().find(|n| n.id == "708.77").expect("colour");
        assert_eq!(colour.notes.as_deref(), Some("GREEN"));
        assert_eq!(colour.level, 1);
    }

    #[test]
    fn example_3_three_e_drains_fixed_legs_length_73() {
        let mut b = build("T2-B3", 30, 73, FixedHeight, "DL14", Casters);
        pegboard(&mut b, PegboardType::Solid, PegboardColor::Grey);
        basin(&mut b, EDrain, (20, 20, 8), false, true, true);
        basin(&mut b, EDrain, (20, 20, 8), false, true, false);
        basin(&mut b, EDrain, (20, 20, 8), false, true, true);
        faucet(&mut b, FaucetType::WristBladeSwingSpout, 1, Center);
        let bom = check(
            DocumentLanguage::Sp,
            &b,
            &Expected {
                lines: &[
                    ("T2-STD-MANUAL-SP-KIT", 1),
                    ("T2-BODY-73-120-HA", 1),
                    ("T2-DL14-FH-KIT", 1),
                    ("T2-LEVELING-CASTOR-475", 1),
                    ("T2-OHL-MDRD-KIT", 1),
                    ("T2-ADW-PB-7236-GREY-SOLID-KIT", 1),
                    ("T2-BSN-EDR-KIT", 3),
                    ("T2-ADW-BASIN20X20X8", 3),
                    ("T2-OA-MS-1026", 3),
                    ("T2-OA-BASIN-LIGHT-EDR-KIT", 2),
                    ("T2-CTRL-EDR3", 1),
                    ("T2-OA-STD-FAUCET-WB-KIT", 1),
                ],
                warnings: &["W4"],
                nodes: 103,
                flat_ids: 82,
                flat_quantity: 203,
                flat: &[("DER-1899-14-CC", 3), ("6.65E+11", 3)],
                node: &[("T2-BOTTOM-FILL", 3)],
            },
        );
        assert_eq!(
            bom.notes,
            vec!["WARNING: W4 a faucet is placed CENTER but every basin is E-Drain".to_string()]
        );
        // The Spanish kit carries the English site-prep manual, from the catalog.
        assert!(bom.nodes.iter().any(|n| n.id == "T2-PREINST-MANUAL-EN"));
    }

    #[test]
    fn example_4_two_e_sink_di_basins_prefilled_gooseneck_two_sprayers() {
        let mut b = build("T2-B2", 30, 61, HeightAdjustable, "LC1", Casters);
        basin(&mut b, ESinkDi, (24, 20, 10), false, false, true);
        basin(&mut b, ESinkDi, (30, 20, 10), false, false, true);
        faucet(&mut b, FaucetType::GooseneckTreatedWater, 2, Center);
        sprayer(
            &mut b,
            SprayerType::DiWaterGunKitTurret,
            1,
            SprayerLocation::LeftSide,
        );
        sprayer(
            &mut b,
            SprayerType::AirGunKitRosette,
            1,
            SprayerLocation::RightSide,
        );
        check(
            DocumentLanguage::En,
            &b,
            &Expected {
                lines: &[
                    ("T2-STD-MANUAL-EN-KIT", 1),
                    ("T2-BODY-61-72-HA", 1),
                    ("T2-LC1-KIT", 1),
                    ("T2-LEVELING-CASTOR-475", 1),
                    ("T2-BSN-ESK-DI-KIT", 2),
                    ("T2-ADW-BASIN24X20X10", 1),
                    ("T2-ADW-BASIN30X20X10", 1),
                    ("T2-OA-BASIN-LIGHT-ESK-KIT", 2),
                    ("T2-CTRL-ESK2", 1),
                    ("T2-OA-DI-GOOSENECK-FAUCET-KIT", 2),
                    ("T2-OA-WATERGUN-TURRET-KIT", 1),
                    ("T2-OA-AIRGUN-ROSETTE-KIT", 1),
                ],
                warnings: &[],
                nodes: 113,
                flat_ids: 91,
                flat_quantity: 169,
                flat: &[("76902", 2)],
                node: &[("T2-VALVE-PLATE-AUK-DI", 2)],
            },
        );
    }

    #[test]
    fn example_5_custom_basin_and_custom_pegboard() {
        let mut b = build("T2-B1", 30, 84, HeightAdjustable, "DL27", Seismic);
        pegboard(&mut b, PegboardType::Solid, PegboardColor::Blue);
        b.pegboard_size_type = Some(PegboardSizeType::Custom);
        b.pegboard_width = Some(80);
        b.pegboard_length = Some(30);
        basin(&mut b, EDrain, (26, 20, 10), true, true, false);
        faucet(&mut b, FaucetType::PreRinseOverheadSpray, 1, Center);
        accessory_line(&mut b, "T2-OA-CUST-SHELF-HA-SML", 1);
        accessory_line(&mut b, "T-OA-SSSHELF-1812-BOLT-ON-KIT", 2);
        let bom = check(
            DocumentLanguage::En,
            &b,
            &Expected {
                lines: &[
                    ("T2-STD-MANUAL-EN-KIT", 1),
                    ("T2-BODY-73-120-HA", 1),
                    ("T2-DL27-KIT", 1),
                    ("T2-SEISMIC-FEET", 1),
                    ("T2-OHL-MDRD-KIT", 1),
                    ("T2-ADW-PB-80x30", 1),
                    ("T2-BSN-EDR-KIT", 1),
                    ("T2-ADW-BASIN-26x20x10", 1),
                    ("T2-OA-MS-1026", 1),
                    ("T2-CTRL-EDR1", 1),
                    ("T2-OA-PRE-RINSE-FAUCET-KIT", 1),
                    ("T2-OA-CUST-SHELF-HA-SML", 1),
                    ("T-OA-SSSHELF-1812-BOLT-ON-KIT", 2),
                ],
                warnings: &["W3", "W4"],
                nodes: 105,
                flat_ids: 84,
                flat_quantity: 105,
                flat: &[("T2-ADW-PB-80x30", 1), ("T2-ADW-BASIN-26x20x10", 1)],
                node: &[],
            },
        );
        assert_eq!(
            bom.notes,
            vec![
                "WARNING: W3 T2-OA-CUST-SHELF-HA-SML is for lengths below 84; this sink is 84 in"
                    .to_string(),
                "WARNING: W4 a faucet is placed CENTER but every basin is E-Drain".to_string(),
            ]
        );
        let pb = bom
            .nodes
            .iter()
            .find(|n| n.id == "T2-ADW-PB-80x30")
            .expect("pegboard");
        assert!(pb.is_custom);
        assert_eq!(pb.item_type, ItemType::Part);
        assert_eq!(pb.notes.as_deref(), Some("720.215.002"));
        assert_eq!(
            pb.custom_spec,
            Some(serde_json::json!({"width": 80, "length": 30, "type": "SOLID", "color": "BLUE"}))
        );
        let basin = bom
            .nodes
            .iter()
            .find(|n| n.id == "T2-ADW-BASIN-26x20x10")
            .expect("basin");
        assert!(basin.is_custom);
        assert_eq!(basin.item_type, ItemType::Part);
        assert_eq!(basin.notes.as_deref(), Some("720.215.001"));
        assert_eq!(
            basin.custom_spec,
            Some(serde_json::json!({"width": 26, "length": 20, "depth": 10}))
        );
        // The stored spec gives back the generated names (the viewer and exports rebuild them).
        assert_eq!(
            basin.custom_spec.as_ref().and_then(custom_name).as_deref(),
            Some(basin.name.as_str())
        );
        assert_eq!(
            pb.custom_spec.as_ref().and_then(custom_name).as_deref(),
            Some(pb.name.as_str())
        );
        // No panel kit, hence no grommet or colour component (D18).
        assert!(
            !bom.nodes
                .iter()
                .any(|n| n.id == "22MP20026" || n.id == "708.77")
        );
        let preview = bom.preview();
        let custom: Vec<&str> = preview
            .lines
            .iter()
            .filter(|l| l.kind == "custom")
            .map(|l| l.id.as_str())
            .collect();
        assert_eq!(custom, vec!["T2-ADW-PB-80x30", "T2-ADW-BASIN-26x20x10"]);
    }

    #[test]
    fn example_6_length_120_mixed_b3_merged_faucets_accessories() {
        let mut b = build("T2-B3", 30, 120, HeightAdjustable, "LC1", Casters);
        pegboard(&mut b, PegboardType::Solid, PegboardColor::White);
        basin(&mut b, ESink, (30, 20, 10), false, false, false);
        basin(&mut b, EDrain, (30, 20, 10), false, false, true);
        basin(&mut b, ESink, (30, 20, 10), false, false, true);
        faucet(&mut b, FaucetType::WristBladeSwingSpout, 1, Center);
        faucet(&mut b, FaucetType::WristBladeSwingSpout, 2, BetweenBasins);
        accessory_line(&mut b, "T-OA-BINRAIL-48-KIT", 2);
        accessory_line(&mut b, "T-OA-SSSHELF-3612-BOLT-ON-KIT", 1);
        accessory_line(&mut b, "T2-OA-CUST-SHELF-HA-LRG", 1);
        accessory_line(&mut b, "T-OA-MNT-ARM", 1);
        accessory_line(&mut b, "T2-OHL-INSTRO-KIT", 1);
        let bom = check(
            DocumentLanguage::En,
            &b,
            &Expected {
                lines: &[
                    ("T2-STD-MANUAL-EN-KIT", 1),
                    ("T2-BODY-73-120-HA", 1),
                    ("T2-LC1-KIT", 1),
                    ("T2-LEVELING-CASTOR-475", 1),
                    ("T2-OHL-MDRD-KIT", 1),
                    ("T2-ADW-PB-12036-WHITE-SOLID-KIT", 1),
                    ("T2-BSN-ESK-KIT", 2),
                    ("T2-BSN-EDR-KIT", 1),
                    ("T2-ADW-BASIN30X20X10", 3),
                    ("T2-OA-BASIN-LIGHT-EDR-KIT", 1),
                    ("T2-OA-BASIN-LIGHT-ESK-KIT", 1),
                    ("T2-CTRL-EDR1-ESK2", 1),
                    ("T2-OA-STD-FAUCET-WB-KIT", 3),
                    ("T-OA-BINRAIL-48-KIT", 2),
                    ("T-OA-SSSHELF-3612-BOLT-ON-KIT", 1),
                    ("T2-OA-CUST-SHELF-HA-LRG", 1),
                    ("T-OA-MNT-ARM", 1),
                    ("T2-OHL-INSTRO-KIT", 1),
                ],
                warnings: &["W2"],
                nodes: 212,
                flat_ids: 138,
                flat_quantity: 290,
                flat: &[("PFX146332", 6), ("T2-BASIN-LIGHT", 2)],
                node: &[],
            },
        );
        assert_eq!(
            bom.notes,
            vec![
                "WARNING: W2 T2-OHL-INSTRO-KIT is meant for InstroSink; this build is MDRD"
                    .to_string()
            ]
        );
    }

    #[test]
    fn example_7_edr2_esk1_with_di_and_perforated_pegboard_with_bolt_on_shelf() {
        let mut b = build("T2-B3", 30, 95, FixedHeight, "DL27", Casters);
        pegboard(&mut b, PegboardType::Perforated, PegboardColor::Grey);
        basin(&mut b, EDrain, (24, 20, 8), false, false, false);
        basin(&mut b, EDrain, (24, 20, 8), false, false, false);
        basin(&mut b, ESinkDi, (24, 20, 10), false, false, false);
        faucet(&mut b, FaucetType::GooseneckTreatedWater, 1, Center);
        faucet(&mut b, FaucetType::PreRinseOverheadSpray, 1, BetweenBasins);
        accessory_line(&mut b, "T-OA-SSSHELF-1812-BOLT-ON-KIT", 1);
        accessory_line(&mut b, "T-OA-RAIL-SHELF-ADDER-SML", 1);
        accessory_line(&mut b, "T-OA-PB-SS-2GLOVE", 1);
        let bom = check(
            DocumentLanguage::Fr,
            &b,
            &Expected {
                lines: &[
                    ("T2-STD-MANUAL-FR-KIT", 1),
                    ("T2-BODY-73-120-HA", 1),
                    ("T2-DL27-FH-KIT", 1),
                    ("T2-LEVELING-CASTOR-475", 1),
                    ("T2-OHL-MDRD-KIT", 1),
                    ("T2-ADW-PB-8436-GREY-PERF-KIT", 1),
                    ("T2-BSN-EDR-KIT", 2),
                    ("T2-BSN-ESK-DI-KIT", 1),
                    ("T2-ADW-BASIN24X20X8", 2),
                    ("T2-ADW-BASIN24X20X10", 1),
                    ("T2-CTRL-EDR2-ESK1", 1),
                    ("T2-OA-DI-GOOSENECK-FAUCET-KIT", 1),
                    ("T2-OA-PRE-RINSE-FAUCET-KIT", 1),
                    ("T-OA-SSSHELF-1812-BOLT-ON-KIT", 1),
                    ("T-OA-RAIL-SHELF-ADDER-SML", 1),
                    ("T-OA-PB-SS-2GLOVE", 1),
                ],
                warnings: &["W1", "W3"],
                nodes: 159,
                flat_ids: 105,
                flat_quantity: 199,
                flat: &[("22MP20026", 1)],
                node: &[],
            },
        );
        assert_eq!(
            bom.notes,
            vec![
                "WARNING: W1 T-OA-SSSHELF-1812-BOLT-ON-KIT is meant for a SOLID pegboard; this build \
                 has a PERFORATED pegboard"
                    .to_string(),
                "WARNING: W3 T-OA-RAIL-SHELF-ADDER-SML is for lengths below 84; this sink is 95 in"
                    .to_string(),
            ]
        );
    }

    #[test]
    fn example_8_length_96_e_sink_pair_double_air_gun() {
        let mut b = build("T2-B2", 36, 96, HeightAdjustable, "DL27", Casters);
        pegboard(&mut b, PegboardType::Solid, PegboardColor::Black);
        basin(&mut b, ESink, (30, 20, 8), false, true, false);
        basin(&mut b, ESink, (30, 20, 8), false, true, false);
        sprayer(
            &mut b,
            SprayerType::AirGunKitTurret,
            2,
            SprayerLocation::LeftSide,
        );
        accessory_line(&mut b, "T2-OA-LT-SSSHELF-SML", 1);
        accessory_line(&mut b, "T-OA-TASKLIGHT-PB-MAG-KIT", 1);
        accessory_line(&mut b, "T-OA-SSSHELF-3612-BOLT-ON-KIT", 2);
        check(
            DocumentLanguage::En,
            &b,
            &Expected {
                lines: &[
                    ("T2-STD-MANUAL-EN-KIT", 1),
                    ("T2-BODY-73-120-HA", 1),
                    ("T2-DL27-KIT", 1),
                    ("T2-LEVELING-CASTOR-475", 1),
                    ("T2-OHL-MDRD-KIT", 1),
                    ("T2-ADW-PB-9636-BLACK-SOLID-KIT", 1),
                    ("T2-BSN-ESK-KIT", 2),
                    ("T2-ADW-BASIN30X20X8", 2),
                    ("T2-OA-MS-1026", 2),
                    ("T2-CTRL-ESK2", 1),
                    ("T2-OA-AIRGUN-TURRET-KIT", 2),
                    ("T2-OA-LT-SSSHELF-SML", 1),
                    ("T-OA-TASKLIGHT-PB-MAG-KIT", 1),
                    ("T-OA-SSSHELF-3612-BOLT-ON-KIT", 2),
                ],
                warnings: &[],
                nodes: 150,
                flat_ids: 122,
                flat_quantity: 229,
                flat: &[("BL-4350-01", 2)],
                node: &[],
            },
        );
    }

    fn minimal() -> BuildConfig {
        let mut b = build("T2-B1", 30, 48, HeightAdjustable, "DL27", Casters);
        basin(&mut b, ESink, (20, 20, 8), false, false, false);
        b
    }

    #[test]
    fn unknown_ids_are_listed_once_in_order_of_first_appearance() {
        let mut b = minimal();
        b.build_number = "B-0042".into();
        accessory_line(&mut b, "NO-SUCH-ID", 1);
        accessory_line(&mut b, "t-oa-mnt-arm", 1);
        accessory_line(&mut b, "NO-SUCH-ID", 2);
        let mut catalog = shipped().clone();
        assert!(catalog.add_component("T2-CTRL-ESK1", "MISSING-CHILD", 1, None));
        let err = generate(DocumentLanguage::En, &b, &catalog).expect_err("unknown ids");
        assert_eq!(
            err.to_string(),
            "BOM generation failed for build B-0042: unknown catalog id(s): MISSING-CHILD, NO-SUCH-ID, \
             t-oa-mnt-arm"
        );
        assert_eq!(
            err.reason(),
            "unknown catalog id(s): MISSING-CHILD, NO-SUCH-ID, t-oa-mnt-arm"
        );
    }

    #[test]
    fn the_pull_out_shelf_self_link_is_broken_and_reported() {
        let mut b = minimal();
        accessory_line(&mut b, "T2-OA-PO-SHLF-1212", 2);
        let bom = generate(DocumentLanguage::En, &b, shipped()).expect("generates");
        let (i, shelf) = bom
            .nodes
            .iter()
            .enumerate()
            .find(|(_, n)| n.id == "T2-OA-PO-SHLF-1212" && n.parent.is_none())
            .expect("shelf line");
        assert_eq!(shelf.quantity, 2);
        assert_eq!(shelf.item_type, ItemType::Assembly);
        let children: Vec<&BomNode> = bom.children(i).collect();
        assert_eq!(children.len(), 1);
        let leaf = children[0];
        assert_eq!(
            (leaf.id.as_str(), leaf.quantity, leaf.item_type, leaf.level),
            ("T2-OA-PO-SHLF-1212", 2, ItemType::Part, 1)
        );
        assert_eq!(bom.children(i + 1).count(), 0, "the cycle is not expanded");
        let cycles: Vec<&String> = bom
            .notes
            .iter()
            .filter(|n| n.starts_with("CYCLE: "))
            .collect();
        assert_eq!(
            cycles,
            vec![
                "CYCLE: ASSY-T2-OA-PO-SHLF-1212 > ASSY-T2-OA-PO-SHLF-1212 (broken at T2-OA-PO-SHLF-1212)"
            ]
        );
        assert_eq!(
            bom.flattened()
                .iter()
                .find(|(id, _)| id == "T2-OA-PO-SHLF-1212"),
            Some(&("T2-OA-PO-SHLF-1212".to_string(), 2))
        );
    }

    #[test]
    fn every_accessory_resolves_17_kits_and_37_twins() {
        let mut kits = 0;
        let mut twins = 0;
        for a in &ACCESSORIES {
            match shipped().resolve(a.id) {
                Some(Resolved::Assembly { key, assembly }) if key == a.id => {
                    assert!(!assembly.components.is_empty(), "{}", a.id);
                    kits += 1;
                }
                Some(Resolved::Assembly { key, assembly }) => {
                    assert_eq!(key, format!("ASSY-{}", a.id));
                    assert!(assembly.components.is_empty(), "{}", a.id);
                    assert!(shipped().part(a.id).is_some(), "{}", a.id);
                    twins += 1;
                }
                other => unreachable!("{} resolves to {other:?}", a.id),
            }
            assert!(a.number.starts_with(&a.subcategory[4..]), "{}", a.id);
        }
        assert_eq!((kits, twins), (17, 37));
        let mut ids: Vec<&str> = ACCESSORIES.iter().map(|a| a.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 54);
        assert!(accessory("T2-OHL-INSTRO-KIT").is_some());
        assert!(accessory("T2-OA-2D-152012-STACKED-KIT").is_none());

        // All of them on one build generate.
        let mut b = minimal();
        for a in &ACCESSORIES {
            accessory_line(&mut b, a.id, 1);
        }
        let bom = generate(DocumentLanguage::En, &b, shipped()).expect("generates");
        assert_eq!(bom.top_level().count(), 7 + 54);
        assert_tree(&bom);
    }

    #[test]
    fn all_128_pegboard_kits_resolve_and_every_length_generates() {
        let sizes = [
            "3436", "4836", "6036", "7236", "8436", "9636", "10836", "12036",
        ];
        let mut n = 0;
        for size in sizes {
            for color in PegboardColor::ALL {
                for kind in PegboardType::ALL {
                    let id = format!(
                        "T2-ADW-PB-{size}-{}-{}-KIT",
                        color.code(),
                        pegboard_type_code(*kind)
                    );
                    let Some(Resolved::Assembly { key, assembly }) = shipped().resolve(&id) else {
                        unreachable!("{id} is not an assembly");
                    };
                    assert_eq!(key, id);
                    let links: Vec<(&str, i64, Option<&str>)> = assembly
                        .components
                        .iter()
                        .map(|l| (l.child_id.as_str(), l.quantity, l.notes.as_deref()))
                        .collect();
                    assert_eq!(
                        links,
                        vec![
                            (format!("T2-ADW-PB-{size}").as_str(), 1, None),
                            ("22MP20026", 1, None),
                            ("708.77", 1, Some(color.code())),
                        ]
                    );
                    n += 1;
                }
            }
        }
        assert_eq!(n, 128);

        let expected_size = |l: i32| match l {
            48..=59 => "4836",
            60..=71 => "6036",
            72..=83 => "7236",
            84..=95 => "8436",
            96..=107 => "9636",
            108..=119 => "10836",
            _ => "12036",
        };
        for length in 48..=120 {
            for color in PegboardColor::ALL {
                for kind in PegboardType::ALL {
                    let mut b = build("T2-B1", 30, length, HeightAdjustable, "DL27", Casters);
                    basin(&mut b, EDrain, (20, 20, 8), false, false, false);
                    pegboard(&mut b, *kind, *color);
                    let bom = generate(DocumentLanguage::En, &b, shipped()).expect("generates");
                    let kit = format!(
                        "T2-ADW-PB-{}-{}-{}-KIT",
                        expected_size(length),
                        color.code(),
                        pegboard_type_code(*kind)
                    );
                    assert!(bom.top_level().any(|l| l.id == kit), "{length} {kit}");
                }
            }
        }
    }

    #[test]
    fn identical_ids_merge_at_their_first_position() {
        let mut b = build("T2-B2", 30, 60, HeightAdjustable, "DL14", Casters);
        basin(&mut b, ESink, (26, 20, 10), true, true, false);
        basin(&mut b, ESink, (26, 20, 10), true, true, false);
        accessory_line(&mut b, "T-OA-MNT-ARM", 1);
        accessory_line(&mut b, "B210-BLUE", 3);
        accessory_line(&mut b, "T-OA-MNT-ARM", 2);
        // The same catalog row under its ASSY- key merges with the legs line.
        accessory_line(&mut b, "ASSY-T2-DL14-KIT", 1);
        let bom = generate(DocumentLanguage::En, &b, shipped()).expect("generates");
        let lines: Vec<(String, i64)> = bom
            .top_level()
            .map(|n| (n.id.clone(), n.quantity))
            .collect();
        let expected: Vec<(String, i64)> = [
            ("T2-STD-MANUAL-EN-KIT", 1),
            ("T2-BODY-48-60-HA", 1),
            ("T2-DL14-KIT", 2),
            ("T2-LEVELING-CASTOR-475", 1),
            ("T2-BSN-ESK-KIT", 2),
            ("T2-ADW-BASIN-26x20x10", 2),
            ("T2-OA-MS-1026", 2),
            ("T2-CTRL-ESK2", 1),
            ("T-OA-MNT-ARM", 3),
            ("B210-BLUE", 3),
        ]
        .iter()
        .map(|(id, q)| (id.to_string(), *q))
        .collect();
        assert_eq!(lines, expected);
        assert_tree(&bom);
    }

    #[test]
    fn inactive_items_resolve_with_a_notice() {
        let mut catalog = shipped().clone();
        catalog.add_part("T2-USER-MANUAL-EN", "USER MANUAL", EntityStatus::Inactive);
        catalog.add_assembly(
            "ASSY-T2-LEVELING-CASTOR-475",
            "LEVELING CASTER",
            EntityStatus::Inactive,
        );
        let bom = generate(DocumentLanguage::En, &minimal(), &catalog).expect("generates");
        assert_eq!(
            bom.notes,
            vec![
                "INACTIVE: T2-USER-MANUAL-EN",
                "INACTIVE: T2-LEVELING-CASTOR-475"
            ]
        );
        assert_eq!(
            bom.notes_text().as_deref(),
            Some("INACTIVE: T2-USER-MANUAL-EN\nINACTIVE: T2-LEVELING-CASTOR-475")
        );
    }

    #[test]
    fn configurations_the_wizard_refuses_are_invalid() {
        let gen_err = |b: &BuildConfig| {
            generate(DocumentLanguage::En, b, shipped())
                .expect_err("refused")
                .to_string()
        };
        for length in [47, 121] {
            let mut b = minimal();
            b.sink_length = length;
            assert_eq!(
                gen_err(&b),
                format!("invalid configuration: sink length {length} in is outside 48-120")
            );
        }
        let mut b = minimal();
        b.legs_type = FixedHeight;
        b.legs_model = "LC1".into();
        assert_eq!(
            gen_err(&b),
            "invalid configuration: fixed-height LC1 legs do not exist"
        );
        let mut b = minimal();
        b.sink_model = "T2-B2".into();
        assert!(gen_err(&b).starts_with("invalid configuration: model T2-B2 has 2 basin(s)"));
        let mut b = minimal();
        b.sink_family = SinkFamily::Endoscope;
        assert!(gen_err(&b).starts_with("invalid configuration: sink family ENDOSCOPE"));
        let mut b = minimal();
        b.has_pegboard = true;
        b.pegboard_type = Some(PegboardType::Solid);
        assert_eq!(
            gen_err(&b),
            "invalid configuration: a pegboard needs a colour and a type"
        );
        let mut b = minimal();
        b.basins[0].basin_width = 26;
        assert_eq!(
            gen_err(&b),
            "invalid configuration: basin 1: 26x20x8 is not a standard size"
        );
        let mut b = minimal();
        accessory_line(&mut b, "T-OA-MNT-ARM", 0);
        assert!(gen_err(&b).contains("quantity must be positive"));
    }

    #[test]
    fn warnings_need_no_catalog() {
        let mut b = minimal();
        accessory_line(&mut b, "T-OA-SSSHELF-3612-BOLT-ON-KIT", 1);
        accessory_line(&mut b, "T-OA-RAIL-SHELF-ADDER-LRG", 1);
        accessory_line(&mut b, "T2-OA-LT-SSSHELF-SML", 1);
        b.sink_length = 83;
        assert_eq!(
            warnings(&b),
            vec![
                "W1 T-OA-SSSHELF-3612-BOLT-ON-KIT is meant for a SOLID pegboard; this build has no pegboard",
                "W3 T-OA-RAIL-SHELF-ADDER-LRG is for lengths 84 and above; this sink is 83 in",
            ]
        );
        // A pegboard whose type is not chosen yet says nothing about W1.
        b.has_pegboard = true;
        assert_eq!(warnings(&b).len(), 1);
        b.pegboard_type = Some(PegboardType::Solid);
        b.sink_length = 84;
        assert!(warnings(&b).is_empty());
        // W4 needs every basin to be an E-Drain.
        let mut b = build("T2-B2", 30, 60, HeightAdjustable, "DL27", Casters);
        basin(&mut b, EDrain, (20, 20, 8), false, false, false);
        basin(&mut b, ESink, (20, 20, 8), false, false, false);
        faucet(&mut b, FaucetType::WristBladeSwingSpout, 1, Center);
        assert!(warnings(&b).is_empty());
        b.basins[1].basin_type = EDrain;
        assert_eq!(
            warnings(&b),
            vec!["W4 a faucet is placed CENTER but every basin is E-Drain"]
        );
    }

    #[test]
    fn stored_labels_round_trip() {
        for t in ItemType::ALL {
            assert_eq!(ItemType::parse(t.code()), Some(t));
        }
        for s in BomStatus::ALL {
            assert_eq!(BomStatus::parse(s.code()), Some(s));
        }
        assert_eq!(canonical_id("ASSY-T2-DL14-KIT"), "T2-DL14-KIT");
        assert_eq!(canonical_id("T2-DL27-KIT"), "T2-DL27-KIT");
    }
}
