//! File names of exports: after the PO and the build, with the BOM version, safe on every file system.

use super::ExportFormat;
use crate::domain::bom_document::BomDocument;

/// Which file of an export a name is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The indented tree (the CSV of nodes, or the whole PDF).
    Tree,
    /// The flattened totals (CSV only).
    Totals,
}

/// Keeps `[A-Za-z0-9._-]` and turns every other character into `_`; never empty, never hidden.
pub fn sanitize(text: &str) -> String {
    let mut out: String = text
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    // A leading dot would hide the file; "." and ".." are not file names at all.
    if out.starts_with('.') {
        out.insert(0, '_');
    }
    if out.is_empty() {
        out.push('_');
    }
    out
}

/// `PO-1001_B-1_BOM_v2`: the part every file of one export shares.
pub fn stem(doc: &BomDocument) -> String {
    format!(
        "{}_{}_BOM_v{}",
        sanitize(&doc.header.po_number),
        sanitize(&doc.header.build_number),
        doc.version.version
    )
}

/// `PO-1001_B-1_BOM_v2.pdf`, `..._BOM_v2.csv` or `..._BOM_v2_totals.csv`.
pub fn file_name(doc: &BomDocument, part: Part, format: ExportFormat) -> String {
    let extension = match format {
        ExportFormat::Csv => "csv",
        ExportFormat::Pdf => "pdf",
    };
    match part {
        Part::Tree => format!("{}.{extension}", stem(doc)),
        Part::Totals => format!("{}_totals.{extension}", stem(doc)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::fixtures::doc;

    #[test]
    fn names_follow_po_build_and_version() {
        let d = doc("PO-1001", "B-1", 2);
        assert_eq!(
            file_name(&d, Part::Tree, ExportFormat::Pdf),
            "PO-1001_B-1_BOM_v2.pdf"
        );
        assert_eq!(
            file_name(&d, Part::Tree, ExportFormat::Csv),
            "PO-1001_B-1_BOM_v2.csv"
        );
        assert_eq!(
            file_name(&d, Part::Totals, ExportFormat::Csv),
            "PO-1001_B-1_BOM_v2_totals.csv"
        );
    }

    #[test]
    fn unsafe_characters_become_underscores() {
        assert_eq!(sanitize("PO 12/34:\"x\"é"), "PO_12_34__x__");
        assert_eq!(sanitize("../etc"), "_.._etc");
        assert_eq!(sanitize("  "), "_");
        assert_eq!(sanitize("A.b_c-9"), "A.b_c-9");
        let d = doc("PO/7", "b 1", 1);
        assert_eq!(stem(&d), "PO_7_b_1_BOM_v1");
    }
}
