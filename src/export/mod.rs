//! Files made from a build's BOM for people outside the system: CSV for spreadsheets, PDF for purchasing.
//!
//! Everything here but [`write`] is pure: a [`BomDocument`] in, file names and bytes out.

pub mod audit_csv;
pub mod csv;
pub mod dhr;
#[cfg(test)]
mod fixtures;
pub mod naming;
pub mod pdf;
pub mod qc_certificate;
pub mod report_csv;
pub mod shortage_csv;
pub mod traveler;
pub mod write;

use crate::domain::bom_document::BomDocument;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

/// The file formats a BOM is exported in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ExportFormat {
    Csv,
    Pdf,
}

impl ExportFormat {
    pub const ALL: [ExportFormat; 2] = [ExportFormat::Csv, ExportFormat::Pdf];

    pub fn label(self) -> &'static str {
        match self {
            ExportFormat::Csv => "CSV",
            ExportFormat::Pdf => "PDF",
        }
    }

    /// `csv` or `pdf`, as the command line names it (case-insensitive).
    pub fn parse(s: &str) -> Option<ExportFormat> {
        ExportFormat::ALL
            .into_iter()
            .find(|f| f.label().eq_ignore_ascii_case(s.trim()))
    }
}

/// One file to write: its name (no directory) and its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The files of one export: CSV gives the tree and the totals, PDF one printable document.
/// `exported_at` is the moment printed on the PDF.
pub fn files(
    doc: &BomDocument,
    format: ExportFormat,
    exported_at: NaiveDateTime,
) -> Vec<ExportFile> {
    match format {
        ExportFormat::Csv => vec![
            ExportFile {
                name: naming::file_name(doc, naming::Part::Tree, format),
                bytes: csv::file_bytes(&csv::tree(doc)),
            },
            ExportFile {
                name: naming::file_name(doc, naming::Part::Totals, format),
                bytes: csv::file_bytes(&csv::totals(doc)),
            },
        ],
        ExportFormat::Pdf => vec![ExportFile {
            name: naming::file_name(doc, naming::Part::Tree, format),
            bytes: pdf::render(doc, exported_at),
        }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_parse_case_insensitively() {
        assert_eq!(ExportFormat::parse("csv"), Some(ExportFormat::Csv));
        assert_eq!(ExportFormat::parse(" PDF "), Some(ExportFormat::Pdf));
        assert_eq!(ExportFormat::parse("xlsx"), None);
    }
}
