//! The device history record as files (docs/dhr.md §5): one JSON and one PDF per build, named after PO,
//! build and export time.
//!
//! Pure: a [`DeviceHistoryRecord`] in, file names and bytes out.

pub mod json;
pub mod pdf;

use super::ExportFile;
use super::naming::sanitize;
use crate::domain::dhr::DeviceHistoryRecord;

/// Which files an export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum DhrFormat {
    Pdf,
    Json,
    Both,
}

impl DhrFormat {
    /// `pdf`, `json` or `both`, as the command line names them (case-insensitive).
    pub fn parse(s: &str) -> Option<DhrFormat> {
        match s.trim().to_ascii_lowercase().as_str() {
            "pdf" => Some(DhrFormat::Pdf),
            "json" => Some(DhrFormat::Json),
            "both" => Some(DhrFormat::Both),
            _ => None,
        }
    }
}

/// `PO-1001_B-1_DHR_20260304T170000Z`: PO, build and the export's UTC time, safe on every file system.
pub fn stem(dhr: &DeviceHistoryRecord) -> String {
    format!(
        "{}_{}_DHR_{}",
        sanitize(&dhr.identification.po_number),
        sanitize(&dhr.identification.build_number),
        dhr.exported_at.format("%Y%m%dT%H%M%SZ")
    )
}

/// The files of one export: the PDF first, then the JSON.
pub fn files(dhr: &DeviceHistoryRecord, format: DhrFormat) -> Vec<ExportFile> {
    let document = json::document(dhr);
    let mut out = Vec::with_capacity(2);
    if format != DhrFormat::Json {
        out.push(ExportFile {
            name: format!("{}.pdf", stem(dhr)),
            bytes: pdf::render(dhr, &document.content_sha256),
        });
    }
    if format != DhrFormat::Pdf {
        out.push(ExportFile {
            name: format!("{}.json", stem(dhr)),
            bytes: document.bytes,
        });
    }
    out
}

#[cfg(test)]
mod tests;
