//! The build traveler: one page that goes with the build through the floor, with a Code 128 barcode of
//! its build number for the stations' scanners (docs/scanning.md §4). Pure: the build in, the PDF out.

use crate::domain::order::{BuildConfig, OrderHeader};
use crate::export::ExportFile;
use crate::export::naming::sanitize;
use crate::export::pdf::layout::{
    BLACK, CONTENT_WIDTH, GREY_TEXT, Layout, MARGIN, build_facts, pdf_bytes, pdf_document, texts_of,
};
use barcoders::sym::code128::Code128;
use chrono::NaiveDateTime;
use printpdf::Op;

/// Code 128 starts in character set B: letters, digits and `-` as they are.
const SET_B: char = '\u{0181}';
/// The narrowest bar: wide enough for a hand scanner at arm's length.
const MAX_MODULE: f32 = 1.6;
const BAR_HEIGHT: f32 = 72.0;
/// The blank margin a scanner needs on each side of the bars, in modules.
const QUIET_MODULES: f32 = 10.0;

/// What the traveler shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Traveler {
    pub header: OrderHeader,
    pub build: BuildConfig,
    /// When it was printed (UTC).
    pub printed_at: NaiveDateTime,
}

/// The configuration in one line: model, size, basins, legs, faucets.
pub fn configuration_summary(b: &BuildConfig) -> String {
    let basins: Vec<&str> = b.basins.iter().map(|x| x.basin_type.code()).collect();
    let basins = if basins.is_empty() {
        "no basins".to_string()
    } else {
        format!("{} basin(s) {}", basins.len(), basins.join(" + "))
    };
    let faucets: i32 = b.faucets.iter().map(|f| f.quantity).sum();
    format!(
        "{}, {} x {} in; {basins}; legs {} {}; {faucets} faucet(s)",
        b.sink_model,
        b.sink_width,
        b.sink_length,
        b.legs_type.code(),
        b.legs_model,
    )
}

/// `4500012_24-0117_traveler.pdf`.
pub fn file_name(t: &Traveler) -> String {
    format!(
        "{}_{}_traveler.pdf",
        sanitize(&t.header.po_number),
        sanitize(&t.build.build_number)
    )
}

/// The barcode's modules (bars and spaces, 1 = bar) for a build number.
fn modules(build_number: &str) -> Result<Vec<u8>, String> {
    Code128::new(format!("{SET_B}{build_number}"))
        .map(|c| c.encode())
        .map_err(|e| format!("Build number {build_number} cannot be put in a barcode: {e}"))
}

fn barcode(layout: &mut Layout, modules: &[u8]) {
    let count = modules.len() as f32 + 2.0 * QUIET_MODULES;
    let module = (CONTENT_WIDTH / count).min(MAX_MODULE);
    let left = MARGIN + (CONTENT_WIDTH - module * count) / 2.0 + module * QUIET_MODULES;
    let top = layout.y - 10.0;
    let mut i = 0;
    while i < modules.len() {
        if modules[i] == 1 {
            let run = modules[i..].iter().take_while(|&&m| m == 1).count();
            layout.fill(
                left + module * i as f32,
                top,
                module * run as f32,
                BAR_HEIGHT,
                BLACK,
            );
            i += run;
        } else {
            i += 1;
        }
    }
    layout.y = top - BAR_HEIGHT;
}

fn pages(t: &Traveler) -> Result<Vec<Vec<Op>>, String> {
    let bars = modules(&t.build.build_number)?;
    let mut layout = Layout::new();
    layout.title("Build traveler");
    barcode(&mut layout, &bars);
    let number = t.build.build_number.as_str();
    let w = layout.metrics.width(number, true, 20.0);
    layout.text(
        MARGIN + (CONTENT_WIDTH - w) / 2.0,
        layout.y - 22.0,
        number,
        true,
        20.0,
        BLACK,
    );
    layout.y -= 40.0;
    let left = build_facts(
        &t.header.po_number,
        number,
        &t.header.customer_name,
        &t.build.sink_model,
    );
    let right = [
        (
            "Want date",
            t.header.want_date.format("%Y-%m-%d").to_string(),
        ),
        ("Configuration", configuration_summary(&t.build)),
        (
            "Printed",
            format!("{} UTC", t.printed_at.format("%Y-%m-%d %H:%M")),
        ),
        ("Barcode", "Code 128 of the build number".to_string()),
    ];
    layout.facts(&left, &right, &|_| false);
    layout.y -= 10.0;
    layout.text(
        MARGIN,
        layout.y,
        "Scan the barcode at any station to open this build.",
        false,
        8.5,
        GREY_TEXT,
    );
    layout.footers(&format!("PO {}  /  Build {number}", t.header.po_number));
    Ok(layout.pages)
}

/// The traveler as a PDF file, or why the build number cannot be encoded.
pub fn file(t: &Traveler) -> Result<ExportFile, String> {
    let title = format!("Traveler {} {}", t.header.po_number, t.build.build_number);
    let subject = format!("Build traveler for build {}", t.build.build_number);
    let pdf = pdf_document(&title, &subject, t.printed_at, pages(t)?);
    Ok(ExportFile {
        name: file_name(t),
        bytes: pdf_bytes(&pdf, true),
    })
}

/// Every text on the traveler, in drawing order (for tests).
pub fn page_texts(t: &Traveler) -> Result<Vec<Vec<String>>, String> {
    Ok(texts_of(&pages(t)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::order::{DocumentLanguage, FeetType, LegsType};
    use chrono::NaiveDate;

    fn traveler(number: &str) -> Traveler {
        Traveler {
            header: OrderHeader {
                po_number: "4500012".into(),
                customer_name: "Mercy General Hospital".into(),
                project_name: None,
                sales_person: "Jo Sales".into(),
                want_date: NaiveDate::from_ymd_opt(2025, 4, 2).unwrap_or_default(),
                order_language: DocumentLanguage::En,
                notes: None,
            },
            build: BuildConfig::new(
                number,
                "T2-B1",
                (30, 60),
                LegsType::FixedHeight,
                "DL14",
                FeetType::SsAdjustableSeismicFeet,
            ),
            printed_at: NaiveDate::from_ymd_opt(2025, 3, 14)
                .and_then(|d| d.and_hms_opt(9, 30, 0))
                .unwrap_or_default(),
        }
    }

    #[test]
    fn the_traveler_names_the_build_and_prints_the_time_with_its_zone() {
        let t = traveler("24-0117");
        let texts = page_texts(&t).expect("laid out").concat();
        for needle in [
            "Build traveler",
            "24-0117",
            "4500012",
            "Mercy General Hospital",
            "2025-04-02",
            "2025-03-14 09:30 UTC",
        ] {
            assert!(texts.iter().any(|s| s == needle), "{needle} in {texts:?}");
        }
        // The configuration wraps at spaces in its column.
        assert!(
            texts
                .join(" ")
                .contains("T2-B1, 30 x 60 in; no basins; legs FIXED_HEIGHT DL14; 0 faucet(s)"),
            "{texts:?}"
        );
        assert_eq!(file_name(&t), "4500012_24-0117_traveler.pdf");
        let f = file(&t).expect("a pdf");
        assert!(f.bytes.starts_with(b"%PDF"));
    }

    #[test]
    fn the_barcode_is_code_128_of_the_build_number() {
        let bars = modules("24-0117").expect("encodable");
        // Start B (11 modules), 7 characters, the check character (11 each), stop (13).
        assert_eq!(bars.len(), 11 + 7 * 11 + 11 + 13);
        assert_eq!(&bars[..11], &[1, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0], "start B");
        assert_eq!(
            &bars[bars.len() - 13..],
            &[1, 1, 0, 0, 0, 1, 1, 1, 0, 1, 0, 1, 1],
            "stop"
        );
        assert!(modules("with space é").is_err());
    }
}
