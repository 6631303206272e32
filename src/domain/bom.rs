//! Bill-of-materials generation (bom-rules.md).

use serde::Serialize;

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
