//! The BOM as CSV for spreadsheets (RFC 4180: CRLF line ends, fields quoted when they need it; no cell
//! a spreadsheet would run as a formula).

use crate::domain::bom_document::{BomDocument, quantity_text};
use crate::text::csv_cell;

const LINE_END: &str = "\r\n";

/// Marks the file as UTF-8: without it Excel reads a CSV in the local code page and garbles names
/// such as `0.75 MM²` or the catalog's inch primes. Spreadsheets that know UTF-8 ignore it.
pub const UTF8_BOM: &str = "\u{feff}";

/// The bytes of a CSV file holding `text`.
pub fn file_bytes(text: &str) -> Vec<u8> {
    format!("{UTF8_BOM}{text}").into_bytes()
}

/// One CSV record: every field through [`csv_cell`] (no control characters, no formula start, quoted
/// as needed), joined, CRLF-terminated.
pub fn record(fields: &[&str]) -> String {
    let mut line = fields
        .iter()
        .map(|f| csv_cell(f))
        .collect::<Vec<_>>()
        .join(",");
    line.push_str(LINE_END);
    line
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
    let mut out = record(&[
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
        out.push_str(&record(&[
            &item.level.to_string(),
            &item.item_id,
            &item.name,
            &quantity_text(item.quantity),
            item.item_type.code(),
            if item.is_custom { "yes" } else { "no" },
            &spec,
            item.notes.as_deref().unwrap_or(""),
        ]));
    }
    out
}

/// The flattened totals (leaf quantities summed by id): id, name, type, quantity.
pub fn totals(doc: &BomDocument) -> String {
    let mut out = record(&["Item ID", "Name", "Type", "Quantity"]);
    for line in doc.flattened() {
        out.push_str(&record(&[
            &line.item_id,
            &line.name,
            line.item_type.code(),
            &quantity_text(line.quantity),
        ]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::bom::ItemType;
    use crate::domain::bom_document::StoredItem;
    use crate::export::naming::tests::doc;
    use rust_decimal::Decimal;
    use serde_json::json;
    use uuid::Uuid;

    fn item(parent: Option<usize>, level: i32, id: &str, name: &str, qty: i64) -> StoredItem {
        StoredItem {
            id: Uuid::nil(),
            parent,
            item_id: id.into(),
            name: name.into(),
            item_type: if parent.is_none() {
                ItemType::Assembly
            } else {
                ItemType::Part
            },
            quantity: Decimal::from(qty),
            level,
            sequence: 0,
            is_custom: false,
            custom_spec: None,
            notes: None,
        }
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
