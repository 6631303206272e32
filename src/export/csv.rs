//! The BOM as CSV for spreadsheets (RFC 4180: CRLF line ends, fields quoted when they need it; no cell
//! a spreadsheet would run as a formula).

use crate::domain::bom_document::{BomDocument, quantity_text};
use crate::text::csv_cell;

/// Marks the file as UTF-8: without it Excel reads a CSV in the local code page and garbles names
/// such as `0.75 MM²` or the catalog's inch primes. Spreadsheets that know UTF-8 ignore it.
pub const UTF8_BOM: &str = "\u{feff}";

/// The bytes of a CSV file holding `text`.
pub fn file_bytes(text: &str) -> Vec<u8> {
    format!("{UTF8_BOM}{text}").into_bytes()
}

/// CSV text written in memory: every field through [`csv_cell`] (no control characters, no formula
/// start), then quoted by the CSV writer only where RFC 4180 needs it, with CRLF line ends.
pub struct Table {
    out: csv::Writer<Vec<u8>>,
}

impl Table {
    /// A table that begins with its header record.
    pub fn new(header: &[&str]) -> Table {
        let mut table = Table::headless();
        table.row(header);
        table
    }

    /// A table without a header: the records of a file written a page at a time, after its first.
    pub fn headless() -> Table {
        let out = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .flexible(true)
            .from_writer(Vec::new());
        Table { out }
    }

    /// Appends one record.
    pub fn row(&mut self, fields: &[&str]) {
        // Memory takes every write and the writer is flexible about record lengths: nothing can fail.
        let _ = self.out.write_record(fields.iter().map(|f| csv_cell(f)));
    }

    /// The text written so far.
    pub fn into_text(self) -> String {
        let bytes = self.out.into_inner().unwrap_or_default();
        String::from_utf8(bytes).unwrap_or_default()
    }
}

/// A custom item's specification as short text, `width=26 length=20 depth=10`: the dimensions first, in the
/// order people read them, then anything else by name.
pub fn spec_text(spec: &serde_json::Value) -> String {
    const FIRST: [&str; 5] = ["width", "length", "depth", "type", "color"];
    let Some(map) = spec.as_object() else {
        return spec.to_string();
    };
    let value = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let mut parts: Vec<String> = FIRST
        .iter()
        .filter_map(|k| map.get(*k).map(|v| format!("{k}={}", value(v))))
        .collect();
    parts.extend(
        map.iter()
            .filter(|(k, _)| !FIRST.contains(&k.as_str()))
            .map(|(k, v)| format!("{k}={}", value(v))),
    );
    parts.join(" ")
}

/// Every node in display order: level, id, name, quantity, type, custom, custom spec, notes.
pub fn tree(doc: &BomDocument) -> String {
    let mut out = Table::new(&[
        "Level",
        "Item ID",
        "Name",
        "Quantity",
        "Type",
        "Custom",
        "Custom spec",
        "Notes",
    ]);
    for item in &doc.items {
        let spec = item.custom_spec.as_ref().map(spec_text).unwrap_or_default();
        out.row(&[
            &item.level.to_string(),
            &item.item_id,
            &item.name,
            &quantity_text(item.quantity),
            item.item_type.code(),
            if item.is_custom { "yes" } else { "no" },
            &spec,
            item.notes.as_deref().unwrap_or(""),
        ]);
    }
    // The approval signature's manifestation closes the tree (docs/signatures.md §2).
    if let Some(approval) = &doc.approval {
        out.row(&["Approval signature", "", approval, "", "", "", "", ""]);
    }
    out.into_text()
}

/// The flattened totals (leaf quantities summed by id): id, name, type, quantity.
pub fn totals(doc: &BomDocument) -> String {
    let mut out = Table::new(&["Item ID", "Name", "Type", "Quantity"]);
    for line in doc.flattened() {
        out.row(&[
            &line.item_id,
            &line.name,
            line.item_type.code(),
            &quantity_text(line.quantity),
        ]);
    }
    out.into_text()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::bom::ItemType;
    use crate::export::fixtures::{doc, item};
    use serde_json::json;

    fn record(fields: &[&str]) -> String {
        Table::new(fields).into_text()
    }

    #[test]
    fn records_quote_only_when_needed_and_neutralise_formulas() {
        assert_eq!(record(&["plain", "a,b", ""]), "plain,\"a,b\",\r\n");
        assert_eq!(record(&["26\" basin"]), "\"26\"\" basin\"\r\n");
        assert_eq!(
            record(&["=cmd|' /C calc'!A0", "-2", "@x", "two\nlines\u{1b}"]),
            "'=cmd|' /C calc'!A0,-2,'@x,two lines\r\n"
        );
    }

    #[test]
    fn stored_formulas_and_controls_do_not_reach_the_file() {
        let mut d = doc("PO-1", "B-1", 1);
        let mut evil = item(None, 0, "+P1", "=HYPERLINK(\"http://x\")", 1);
        evil.notes = Some("\u{1b}[2J@SUM(A1)\u{202E}".into());
        d.items = vec![evil];
        let text = tree(&d);
        assert_eq!(
            text.lines().nth(1),
            Some("0,'+P1,\"'=HYPERLINK(\"\"http://x\"\")\",1,ASSEMBLY,no,,[2J@SUM(A1)")
        );
        assert!(
            !text
                .chars()
                .any(|c| c != '\r' && c != '\n' && crate::text::is_forbidden(c))
        );
    }

    #[test]
    fn the_tree_has_a_header_and_one_row_per_node() {
        let mut d = doc("PO-1", "B-1", 1);
        d.items = vec![
            item(None, 0, "T2-BODY", "BODY, 48\"-60\", HA", 1),
            item(Some(0), 1, "P1", "SCREW", 4),
        ];
        let mut custom = item(None, 0, "T2-ADW-BASIN-26x20x10", "CUSTOM BASIN", 1);
        custom.item_type = ItemType::Part;
        custom.is_custom = true;
        custom.custom_spec = Some(json!({"width": 26, "length": 20, "depth": 10}));
        custom.notes = Some("720.215.001".into());
        d.items.push(custom);
        assert_eq!(
            tree(&d),
            "Level,Item ID,Name,Quantity,Type,Custom,Custom spec,Notes\r\n\
             0,T2-BODY,\"BODY, 48\"\"-60\"\", HA\",1,ASSEMBLY,no,,\r\n\
             1,P1,SCREW,4,PART,no,,\r\n\
             0,T2-ADW-BASIN-26x20x10,CUSTOM BASIN,1,PART,yes,width=26 length=20 depth=10,720.215.001\r\n"
        );
    }

    #[test]
    fn an_approved_version_ends_with_its_approval_signature() {
        let mut d = doc("PO-1", "B-1", 1);
        d.items = vec![item(None, 0, "P1", "SCREW", 4)];
        let signed = "Priya Natarajan | APPROVED | 2026-03-04T05:06:07Z | sha256:ab12";
        d.approval = Some(signed.into());
        assert!(
            tree(&d).ends_with(&format!("Approval signature,,{signed},,,,,\r\n")),
            "{}",
            tree(&d)
        );
    }

    #[test]
    fn totals_sum_leaves_by_id() {
        let mut d = doc("PO-1", "B-1", 1);
        d.items = vec![
            item(None, 0, "KIT", "KIT", 1),
            item(Some(0), 1, "P1", "SCREW", 4),
            item(None, 0, "P1", "SCREW", 2),
        ];
        d.items[2].item_type = ItemType::Part;
        assert_eq!(
            totals(&d),
            "Item ID,Name,Type,Quantity\r\nP1,SCREW,PART,6\r\n"
        );
    }

    #[test]
    fn pegboard_specs_read_in_a_fixed_order() {
        let spec = json!({"color": "BLUE", "type": "SOLID", "width": 80, "length": 30});
        assert_eq!(spec_text(&spec), "width=80 length=30 type=SOLID color=BLUE");
    }
}
