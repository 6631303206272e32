//! Reference data shipped inside the binary: the Torvan catalog and the checklist templates.
//!
//! The product carries its own copy so a station can seed an empty database without any file at hand;
//! newer files can still be imported from disk.

/// The parts catalog (`{"metadata":…,"parts":{id:{…}}}`).
pub const PARTS_JSON: &str = include_str!("reference/catalog/parts.json");

/// The assemblies catalog with their ordered component lists.
pub const ASSEMBLIES_JSON: &str = include_str!("reference/catalog/assemblies.json");

/// The category tree (top-level codes with their subcategories).
pub const CATEGORIES_JSON: &str = include_str!("reference/catalog/categories.json");

/// The checklist templates (Pre-QC, Final QC, production, end-of-line testing, packaging).
pub const CHECKLISTS_TOML: &str = include_str!("reference/checklists.toml");
