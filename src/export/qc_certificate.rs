//! The QC certificate: a printable record of one submitted QC result (normally a passed Final QC) with
//! the build, every item's answer and notes, and the e-signature with its verification.
//!
//! Pure: a [`QcResultDetail`] in, PDF bytes out. The look is the BOM export's (src/export/pdf/).

use super::naming::sanitize;
use super::pdf::layout::{
    Cell, Column, LINE_HEIGHT, Layout, build_facts, full_width, pdf_bytes, pdf_document, texts_of,
    time_or_dash,
};
use crate::domain::checklist::CheckType;
use crate::domain::qc::{Answer, Judgement, QcItemDef, QcResultDetail, judge};
use chrono::NaiveDateTime;
use printpdf::Op;

/// A certificate must not cut an answer or a note short; a row still has to fit on one page.
const MAX_LINES: usize = 40;

fn columns() -> [Column; 5] {
    full_width([
        Column::left("Section", 70.0),
        Column::rest("Item"),
        Column::left("Basin", 34.0),
        Column::left("Answer", 110.0),
        Column::left("Notes", 124.0),
    ])
}

/// `PO-1001_B-1_FINAL_QC_2026-03-04.pdf`: PO, build, QC type and the day of the inspection (the day
/// printed when the result has no time), safe on every file system.
pub fn file_name(detail: &QcResultDetail, printed_at: NaiveDateTime) -> String {
    let day = detail.summary.at.unwrap_or(printed_at).format("%Y-%m-%d");
    format!(
        "{}_{}_{}_{day}.pdf",
        sanitize(&detail.header.po_number),
        sanitize(&detail.header.build_number),
        detail.header.qc_type.code()
    )
}

/// The answer as the certificate prints it: the value (a measurement with its unit), `N/A`, or
/// `not answered`, and the judgement in words when it is not conforming.
pub fn answer_text(item: &QcItemDef, answer: Option<&Answer>) -> String {
    let Some(a) = answer else {
        return "not answered".into();
    };
    let shown = if a.is_na {
        "N/A".to_string()
    } else {
        match a.value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            None => "not answered".to_string(),
            Some(v) => match (item.check_type, item.unit.as_deref()) {
                (CheckType::Measurement, Some(u)) => format!("{v} {u}"),
                _ => v.to_string(),
            },
        }
    };
    match judge(item, a) {
        // A measurement's reason already names the value, its unit and the bound it missed.
        Judgement::NonConforming(why) if item.check_type == CheckType::Measurement => {
            format!("NON-CONFORMING: {why}")
        }
        Judgement::NonConforming(_) => format!("{shown} - NON-CONFORMING"),
        Judgement::Invalid(why) => format!("{shown} - INVALID: {why}"),
        Judgement::Unanswered | Judgement::Conforming => shown,
    }
}

fn verification_text(verified: Option<bool>) -> &'static str {
    match verified {
        Some(true) => "Signature verified: the recorded answers match the signed hash.",
        Some(false) => "Signature NOT verified: the recorded answers do not match the signed hash.",
        None => "Not signed: this result is a draft.",
    }
}

fn title_block(layout: &mut Layout, d: &QcResultDetail, printed_at: NaiveDateTime) {
    let h = &d.header;
    let s = &d.summary;
    layout.title("QC Certificate");

    let mut result = s.status.code().to_string();
    if let Some(first) = h.first_pass {
        result.push_str(if first {
            " (first pass)"
        } else {
            " (after an earlier failure)"
        });
    }
    let when = time_or_dash(s.at, "%Y-%m-%d %H:%M UTC");
    let mut left = build_facts(
        &h.po_number,
        &h.build_number,
        &h.customer_name,
        &h.sink_model,
    )
    .to_vec();
    left.extend([
        ("Basins", h.number_of_basins.to_string()),
        ("Job ID", s.job_id.clone().unwrap_or_else(|| "-".into())),
    ]);
    let right = [
        (
            "Checklist",
            format!("{} v{}", s.template_name, s.template_version),
        ),
        ("QC type", h.qc_type.code().to_string()),
        ("Result", result),
        ("Inspector", s.performed_by.clone()),
        ("Inspected", when),
        ("Printed", printed_at.format("%Y-%m-%d %H:%M").to_string()),
    ];
    layout.facts(&left, &right, &|label| label == "Result");
}

fn cell(layout: &Layout, column: &Column, text: &str, bold: bool) -> Cell {
    layout.cell_of_lines(column, text, bold, 0.0, MAX_LINES)
}

fn item_rows(layout: &Layout, columns: &[Column; 5], d: &QcResultDetail) -> Vec<(Vec<Cell>, bool)> {
    let [section_col, item_col, basin_col, answer_col, notes_col] = columns;
    d.lines
        .iter()
        .filter_map(|line| {
            let item = d.items.get(line.item)?;
            let answer = d
                .answers
                .iter()
                .find(|a| a.item_id == item.id && a.basin_index == line.basin_index)
                .map(|a| &a.answer);
            let notes = answer
                .and_then(|a| a.notes.as_deref())
                .map(str::trim)
                .unwrap_or_default();
            let basin = line.basin_index.map(|b| b.to_string()).unwrap_or_default();
            let flagged = answer.is_some_and(|a| {
                matches!(
                    judge(item, a),
                    Judgement::NonConforming(_) | Judgement::Invalid(_)
                )
            });
            Some((
                vec![
                    cell(layout, section_col, &item.section, false),
                    cell(
                        layout,
                        item_col,
                        &format!("{}  {}", item.code, item.description),
                        false,
                    ),
                    cell(layout, basin_col, &basin, false),
                    cell(layout, answer_col, &answer_text(item, answer), flagged),
                    cell(layout, notes_col, notes, false),
                ],
                false,
            ))
        })
        .collect()
}

fn signature_block(layout: &mut Layout, d: &QcResultDetail) {
    let s = &d.summary;
    let sig = if s.signature.trim().is_empty() {
        "(no signature)".to_string()
    } else {
        s.signature.clone()
    };
    let mut lines = vec![sig];
    if let Some(reason) = s.notes.as_deref().filter(|n| !n.trim().is_empty()) {
        lines.push(format!("Failure reason: {reason}"));
    }
    lines.push(verification_text(s.verified).to_string());
    layout.heading(
        "Electronic signature",
        "name (initials) | meaning | time (UTC) | format and SHA-256 of the signed content",
        3.0 * LINE_HEIGHT,
    );
    layout.list(&lines);
}

/// "Page i of n" and the certificate's identity at the foot of every page.
fn footers(layout: &mut Layout, d: &QcResultDetail) {
    layout.footers(&format!(
        "PO {}  /  Build {}  /  {} {}",
        d.header.po_number,
        d.header.build_number,
        d.header.qc_type.code(),
        d.summary.status.code()
    ));
}

fn pages(d: &QcResultDetail, printed_at: NaiveDateTime) -> Vec<Vec<Op>> {
    let mut layout = Layout::new();
    title_block(&mut layout, d, printed_at);
    let subtitle = format!(
        "{} line(s); basin-specific items once per basin",
        d.lines.len()
    );
    let columns = columns();
    let rows = (!d.lines.is_empty()).then(|| item_rows(&layout, &columns, d));
    layout.table_section(
        ("Items", &subtitle),
        &columns,
        rows,
        "This result has no items.",
    );
    signature_block(&mut layout, d);
    footers(&mut layout, d);
    layout.pages
}

/// The certificate's PDF bytes (streams compressed).
pub fn render(detail: &QcResultDetail, printed_at: NaiveDateTime) -> Vec<u8> {
    save(detail, printed_at, true)
}

/// With `optimize` off the content streams stay readable, for tests and debugging.
pub fn save(detail: &QcResultDetail, printed_at: NaiveDateTime, optimize: bool) -> Vec<u8> {
    let title = format!(
        "QC certificate {} {} {}",
        detail.header.po_number,
        detail.header.build_number,
        detail.header.qc_type.code()
    );
    let subject = format!(
        "{} v{} of build {}",
        detail.summary.template_name, detail.summary.template_version, detail.header.build_number
    );
    let doc = pdf_document(&title, &subject, printed_at, pages(detail, printed_at));
    pdf_bytes(&doc, optimize)
}

/// Every text shown on each page, in drawing order.
pub fn page_texts(detail: &QcResultDetail, printed_at: NaiveDateTime) -> Vec<Vec<String>> {
    texts_of(&pages(detail, printed_at))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::checklist::FormType;
    use crate::domain::qc::{FormLine, LineAnswer, QcHeader, QcResultStatus, QcResultSummary};
    use crate::export::fixtures::assert_pdf_pages;
    use rust_decimal::Decimal;
    use uuid::Uuid;

    fn at() -> NaiveDateTime {
        crate::export::fixtures::at(14, 5, 6)
    }

    fn item(n: u128, code: &str, section: &str, check_type: CheckType) -> QcItemDef {
        QcItemDef {
            id: Uuid::from_u128(n),
            code: code.into(),
            section: section.into(),
            sequence: i32::try_from(n).expect("small") * 10,
            description: format!("{code}: the check as the template words it, long enough to wrap"),
            check_type,
            basin_specific: false,
            required: true,
            notes_prompt: true,
            options: Vec::new(),
            multiple: false,
            unit: None,
            min: None,
            max: None,
            applies_when: None,
            note_required_for: Vec::new(),
            store_to: None,
        }
    }

    /// A three-basin Final QC with `extra` more boolean items, every answer conforming but one N/A.
    fn detail(extra: u128, verified: Option<bool>) -> QcResultDetail {
        let mut items = vec![
            item(1, "FQC-01", "Header", CheckType::Boolean),
            item(2, "FQC-10", "B Sink general", CheckType::NaOption),
        ];
        let mut gap = item(3, "FQC-18", "C Basin", CheckType::Measurement);
        gap.basin_specific = true;
        gap.unit = Some("mm".into());
        gap.min = Some(Decimal::new(5, 1));
        gap.max = Some(Decimal::new(40, 0));
        items.push(gap);
        for n in 0..extra {
            items.push(item(
                10 + n,
                &format!("FQC-{}", 40 + n),
                "F Packaging",
                CheckType::Boolean,
            ));
        }
        let mut lines = Vec::new();
        let mut answers = Vec::new();
        for (i, it) in items.iter().enumerate() {
            let basins: Vec<Option<i32>> = if it.basin_specific {
                vec![Some(1), Some(2), Some(3)]
            } else {
                vec![None]
            };
            for b in basins {
                lines.push(FormLine {
                    item: i,
                    basin_index: b,
                });
                let answer = match it.check_type {
                    CheckType::NaOption => Answer {
                        value: None,
                        is_na: true,
                        notes: Some("No wall bracket on this model".into()),
                    },
                    CheckType::Measurement => Answer {
                        value: Some("12.5".into()),
                        is_na: false,
                        notes: None,
                    },
                    _ => Answer {
                        value: Some("YES".into()),
                        is_na: false,
                        notes: None,
                    },
                };
                answers.push(LineAnswer {
                    item_id: it.id,
                    basin_index: b,
                    answer,
                });
            }
        }
        QcResultDetail {
            summary: QcResultSummary {
                id: Uuid::from_u128(99),
                qc_type: FormType::FinalQc,
                template_name: "Final Quality Check".into(),
                template_version: 2,
                status: QcResultStatus::Pass,
                performed_by: "Quinn Inspector".into(),
                at: Some(at()),
                job_id: Some("JOB-778".into()),
                notes: None,
                signature: format!(
                    "Quinn Inspector (QI) | FINAL_QC PASS | 2026-03-04T14:05:06Z | v2 sha256:{}",
                    "ab".repeat(32)
                ),
                verified,
            },
            header: QcHeader {
                order_id: Uuid::from_u128(7),
                po_number: "PO 1001/A".into(),
                build_number: "B-1".into(),
                customer_name: "Mercy General Hospital".into(),
                sink_model: "T2-B3".into(),
                number_of_basins: 3,
                qc_type: FormType::FinalQc,
                first_pass: Some(true),
                template_id: Uuid::from_u128(8),
                template_name: "Final Quality Check".into(),
                template_version: 2,
            },
            items,
            lines,
            answers,
        }
    }

    /// The texts joined by spaces, so a wrapped cell reads as one run.
    fn all_text(pages: &[Vec<String>]) -> String {
        pages
            .iter()
            .flatten()
            .cloned()
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn the_header_every_item_and_the_signature_are_printed() {
        let d = detail(0, Some(true));
        let pages = page_texts(&d, at());
        let text = all_text(&pages);
        for needle in [
            "QC Certificate",
            "PO 1001/A",
            "B-1",
            "Mercy General Hospital",
            "T2-B3",
            "JOB-778",
            "Final Quality Check v2",
            "PASS (first pass)",
            "Quinn Inspector",
            "2026-03-04 14:05 UTC",
            "N/A",
            "No wall bracket on this model",
            "12.5 mm",
            "Signature verified: the recorded answers match the signed hash.",
            "Quinn Inspector (QI) | FINAL_QC PASS | 2026-03-04T14:05:06Z | v2 sha256:",
            "Page 1 of 1",
        ] {
            assert!(text.contains(needle), "missing {needle:?} in\n{text}");
        }
        // The measurement once per basin.
        assert_eq!(text.matches("12.5 mm").count(), 3, "{text}");
    }

    #[test]
    fn a_failed_verification_and_a_non_conforming_answer_say_so_in_words() {
        let mut d = detail(0, Some(false));
        d.answers[2].answer.value = Some("41.5".into());
        let text = all_text(&page_texts(&d, at()));
        assert!(text.contains("Signature NOT verified"), "{text}");
        assert!(text.contains("NON-CONFORMING:"), "{text}");
        assert!(text.contains("the maximum 40 mm"), "nothing is cut: {text}");
        assert_eq!(
            answer_text(&d.items[2], Some(&d.answers[2].answer)),
            "NON-CONFORMING: 41.5 mm is above the maximum 40 mm"
        );
        let no = Answer {
            value: Some("NO".into()),
            is_na: false,
            notes: None,
        };
        assert_eq!(answer_text(&d.items[0], Some(&no)), "NO - NON-CONFORMING");
        assert_eq!(answer_text(&d.items[0], None), "not answered");
    }

    #[test]
    fn long_results_span_numbered_pages_and_parse_back() {
        let d = detail(60, Some(true));
        let pages = page_texts(&d, at());
        let n = pages.len();
        assert!((2..=6).contains(&n), "{n} pages");
        for (i, page) in pages.iter().enumerate() {
            let label = format!("Page {} of {n}", i + 1);
            assert!(page.contains(&label), "page {} lacks {label}", i + 1);
            assert!(
                page.iter().any(|t| t.contains("FINAL_QC PASS")),
                "footer on {i}"
            );
        }
        let text = all_text(&pages);
        for k in 0..60 {
            assert!(text.contains(&format!("FQC-{} ", 40 + k)), "FQC-{}", 40 + k);
        }
        let bytes = render(&d, at());
        assert_pdf_pages(&bytes, n);
    }

    #[test]
    fn the_file_name_follows_po_build_type_and_day() {
        let mut d = detail(0, Some(true));
        assert_eq!(file_name(&d, at()), "PO_1001_A_B-1_FINAL_QC_2026-03-04.pdf");
        d.summary.at = None;
        let later = at() + chrono::Duration::days(1);
        assert_eq!(
            file_name(&d, later),
            "PO_1001_A_B-1_FINAL_QC_2026-03-05.pdf"
        );
    }
}
