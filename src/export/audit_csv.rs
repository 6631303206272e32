//! The audit log as CSV (docs/audit.md §6.4): one record per audit row, newest first, with the one-line
//! summary of the changed fields and both images. Same conventions as the other CSV files (UTF-8 BOM,
//! RFC 4180 quoting, CRLF, no cell a spreadsheet would run as a formula). Written a page at a time.

use super::csv::{Table, UTF8_BOM};
use crate::domain::audit_trail::{self, AuditEntry};
use chrono::NaiveDateTime;

const HEADER: [&str; 11] = [
    "Seq",
    "Time",
    "User",
    "Station",
    "Action",
    "Table",
    "Entity",
    "Record",
    "Changes",
    "Old values",
    "New values",
];

/// `audit_log_<YYYY-MM-DD_HHMMSS>.csv`.
pub fn file_name(at: NaiveDateTime) -> String {
    format!("audit_log_{}.csv", at.format("%Y-%m-%d_%H%M%S"))
}

/// The start of the file: the UTF-8 mark and the header.
pub fn head() -> String {
    format!("{UTF8_BOM}{}", Table::new(&HEADER).into_text())
}

/// The records of one page.
pub fn records(entries: &[AuditEntry]) -> String {
    let mut out = Table::headless();
    let json =
        |v: &Option<serde_json::Value>| v.as_ref().map(ToString::to_string).unwrap_or_default();
    for e in entries {
        out.row(&[
            &e.seq.to_string(),
            &e.at.format("%Y-%m-%d %H:%M:%S").to_string(),
            &audit_trail::who(e),
            &audit_trail::station(e),
            &e.action,
            &e.table,
            &e.entity,
            &audit_trail::record_name(e),
            &audit_trail::summary(e),
            &json(&e.old),
            &json(&e.new),
        ]);
    }
    out.into_text()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_formula_looking_value_is_neutralised() {
        let e = AuditEntry {
            seq: 7,
            at: NaiveDateTime::default(),
            user_id: None,
            user_name: Some("Carla Mendes".into()),
            station: Some("station:desk-1".into()),
            action: "UPDATE".into(),
            table: "ProductionOrder".into(),
            entity: "o1".into(),
            old: Some(json!({"notes": "old"})),
            new: Some(json!({"notes": "=HYPERLINK(\"x\")"})),
            bom_version: None,
        };
        let text = records(&[e]);
        assert!(
            text.starts_with("7,1970-01-01 00:00:00,Carla Mendes,station:desk-1,UPDATE,"),
            "{text}"
        );
        assert!(
            text.contains("notes: old → =HYPERLINK"),
            "the summary keeps the value: {text}"
        );
        assert!(
            !text.contains(",=HYPERLINK") && !text.contains(",\"=HYPERLINK"),
            "{text}"
        );
        assert!(head().starts_with("\u{feff}Seq,Time,User"));
    }
}
