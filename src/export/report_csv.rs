//! A report as CSV (docs/reports.md §6): the table's columns by name (the unit in the name), each figure
//! as its bare number. Same conventions as the other CSV files (UTF-8 BOM, RFC 4180 quoting, CRLF, no
//! cell a spreadsheet would run as a formula).

use super::csv::{Table, file_bytes};
use crate::domain::report::ReportData;

/// `<slug>-<first day>-<last day>.csv`, e.g. `cycle-time-2026-11-01-2026-11-30.csv`.
pub fn file_name(data: &ReportData) -> String {
    format!(
        "{}-{}-{}.csv",
        data.kind.slug(),
        data.period.from.format("%Y-%m-%d"),
        data.period.to.format("%Y-%m-%d")
    )
}

/// The table: the columns' names, then one record per row.
pub fn text(data: &ReportData) -> String {
    let header: Vec<&str> = data.columns.iter().map(|c| c.name.as_str()).collect();
    let mut out = Table::new(&header);
    for row in &data.rows {
        let cells: Vec<String> = row.iter().map(|c| c.csv()).collect();
        let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
        out.row(&cells);
    }
    out.into_text()
}

/// The bytes of the file.
pub fn bytes(data: &ReportData) -> Vec<u8> {
    file_bytes(&text(data))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::report::{Cell, Period, PeriodKind, ReportKind};
    use crate::domain::report_figures::{RejectionRow, rejections};
    use chrono::NaiveDate;

    #[test]
    fn names_the_file_by_report_and_period_and_defuses_formulas() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 15).unwrap_or(NaiveDate::MIN);
        let period = Period::containing(PeriodKind::Month, day);
        let mut data = rejections(
            period,
            &[RejectionRow {
                kind: "reason".into(),
                code: "OTHER".into(),
                text: "=HYPERLINK(\"x\"), \"quoted\"".into(),
                results: 3,
            }],
        );
        data.rows.push(vec![
            Cell::Text("\u{1b}[31mred".into()),
            Cell::Percent(None),
        ]);
        assert_eq!(file_name(&data), "rejections-2026-11-01-2026-11-30.csv");
        assert_eq!(data.kind, ReportKind::Rejections);
        let text = text(&data);
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(lines[0], "Kind,Code,Description,Results");
        assert!(
            lines[1].starts_with("Rejection reason,OTHER,\"'=HYPERLINK"),
            "{text}"
        );
        assert!(lines[1].ends_with(",3"), "{text}");
        assert!(!text.contains('\u{1b}'), "{text}");
        assert!(
            lines[2].ends_with(','),
            "no figure is an empty cell: {text}"
        );
        assert!(bytes(&data).starts_with("\u{feff}".as_bytes()));
    }
}
