//! Files made from a build's BOM for people outside the system: CSV for spreadsheets, PDF for purchasing.

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
}
