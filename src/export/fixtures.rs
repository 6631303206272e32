//! Documents and times the export tests share.

use chrono::NaiveDateTime;

pub(crate) use crate::domain::bom_document::fixtures::{document as doc, node as item};

/// 4 March 2026 at the given time of day, the moment the tests print or export at.
pub(crate) fn at(hour: u32, minute: u32, second: u32) -> NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2026, 3, 4)
        .and_then(|d| d.and_hms_opt(hour, minute, second))
        .expect("a valid time")
}

/// `bytes` are a PDF file that parses back with `pages` pages.
pub(crate) fn assert_pdf_pages(bytes: &[u8], pages: usize) {
    assert!(bytes.starts_with(b"%PDF"));
    let mut warnings = Vec::new();
    let parsed = printpdf::PdfDocument::parse(bytes, &Default::default(), &mut warnings)
        .expect("the file parses");
    assert_eq!(parsed.pages.len(), pages);
}
