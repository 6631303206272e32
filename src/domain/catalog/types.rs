//! The catalog's records and their stored enums.

use crate::domain::enums::pg_enum;

pg_enum!(
    /// `"PartType"`.
    PartType, "PartType", parse: exact, [Component => "COMPONENT", Material => "MATERIAL"]
);

pg_enum!(
    /// `"EntityStatus"`.
    EntityStatus, "EntityStatus", parse: exact, [Active => "ACTIVE", Inactive => "INACTIVE"]
);

pg_enum!(
    /// `"AssemblyType"`.
    AssemblyType, "AssemblyType", parse: exact, [
    Simple => "SIMPLE",
    Complex => "COMPLEX",
    ServicePart => "SERVICE_PART",
    Kit => "KIT",
]);

pg_enum!(
    /// `"ComponentType"`: what an `AssemblyComponent.childId` names; the schema's one enum also types a
    /// BOM item (`domain::bom::ItemType`).
    ComponentType, "ComponentType", parse: exact, [Part => "PART", Assembly => "ASSEMBLY"]
);

/// A row of `"Part"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub id: String,
    pub name: String,
    pub manufacturer_part_number: Option<String>,
    pub manufacturer_info: Option<String>,
    pub part_type: PartType,
    pub status: EntityStatus,
    pub description: Option<String>,
    /// Free-text grouping some records carry (not a category code); the Part table has no column for it.
    pub category: Option<String>,
    pub subcategory: Option<String>,
    /// Who makes the part, on records that have no `manufacturer_info`.
    pub vendor: Option<String>,
    /// Added by the import from [`SUPPLEMENTARY_PARTS`], not read from the file.
    pub supplementary: bool,
}

impl Part {
    /// The value for `"manufacturerInfo"`: the record's `manufacturer_info`, else its `vendor`, so that the
    /// maker named by either key is kept.
    pub fn manufacturer_info_column(&self) -> Option<&str> {
        self.manufacturer_info.as_deref().or(self.vendor.as_deref())
    }
}

/// One component link; its position in [`Assembly::components`] is its `sequenceOrder` − 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Component {
    pub child_type: ComponentType,
    pub child_id: String,
    pub quantity: i32,
    pub notes: Option<String>,
}

/// A row of `"Assembly"` with its ordered components.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assembly {
    pub id: String,
    pub name: String,
    pub assembly_type: AssemblyType,
    pub category_code: Option<String>,
    pub subcategory_code: Option<String>,
    pub can_order: bool,
    pub is_kit: bool,
    pub status: EntityStatus,
    pub components: Vec<Component>,
}

/// A top-level category (`"Category"` level 0).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub code: String,
    pub name: String,
    pub description: Option<String>,
    pub subcategories: Vec<Subcategory>,
}

/// A subcategory (`"Category"` level 1, `parentId` = its category's code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subcategory {
    pub code: String,
    pub name: String,
    pub description: Option<String>,
    /// Informational cross-references; checked to name assemblies, not stored.
    pub assembly_refs: Vec<String>,
}

/// A part the import adds because a checklist needs it and the catalog lacks it (docs/bom-rules.md §11).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SupplementaryPart {
    pub id: &'static str,
    pub name: &'static str,
    pub part_type: PartType,
    /// Why the part is needed, kept as the part's description for traceability.
    pub reason: &'static str,
}

/// Catalog gaps named in docs/bom-rules.md §11. They are loose packaging items, never assembly children.
/// A part the file already has is taken from the file instead.
pub const SUPPLEMENTARY_PARTS: &[SupplementaryPart] = &[
    SupplementaryPart {
        id: "T2-ANTI-FATIGUE-MAT",
        name: "ANTI-FATIGUE MAT",
        part_type: PartType::Component,
        reason: "Packed with every sink (packaging checklist PKG-01); missing from the Torvan catalog.",
    },
    SupplementaryPart {
        id: "IFU.T2.ESinkInstUserFR",
        name: "E-SINK AUTOMATION MANUAL, FRENCH",
        part_type: PartType::Component,
        reason: "Packed with French E-Sink orders (packaging checklist); missing from the Torvan catalog.",
    },
];
