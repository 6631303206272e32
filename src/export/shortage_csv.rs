//! The parts shortage as CSV, so purchasing can order in one batch: part id, name, type, quantity and
//! how many builds need it. Same conventions as the BOM's CSV (UTF-8 BOM, RFC 4180 quoting, CRLF).

use super::ExportFile;
use super::csv::{Table, file_bytes};
use crate::domain::bom_document::quantity_text;
use crate::domain::desk::Shortage;
use chrono::NaiveDate;

/// `parts_shortage_<YYYY-MM-DD>.csv`.
pub fn file_name(date: NaiveDate) -> String {
    format!("parts_shortage_{}.csv", date.format("%Y-%m-%d"))
}

/// The table: a header, then one record per part in the shortage's order.
pub fn text(shortage: &Shortage) -> String {
    let mut out = Table::new(&["Part ID", "Name", "Type", "Quantity", "Builds"]);
    for line in &shortage.lines {
        out.row(&[
            &line.part_id,
            &line.name,
            line.item_type.code(),
            &quantity_text(line.quantity),
            &line.builds.to_string(),
        ]);
    }
    out.into_text()
}

/// The file written for an export on `date`.
pub fn file(shortage: &Shortage, date: NaiveDate) -> ExportFile {
    ExportFile {
        name: file_name(date),
        bytes: file_bytes(&text(shortage)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::bom::ItemType;
    use crate::domain::desk::ShortageLine;
    use rust_decimal::Decimal;

    #[test]
    fn quotes_names_and_names_the_file_by_date() {
        let shortage = Shortage {
            builds: Vec::new(),
            lines: vec![ShortageLine {
                part_id: "T2-DL27".into(),
                name: "Leg, 27\" \"DL\", steel".into(),
                item_type: ItemType::Part,
                quantity: Decimal::new(4000, 3),
                builds: 2,
            }],
        };
        let date = NaiveDate::from_ymd_opt(2025, 3, 14).expect("date");
        let f = file(&shortage, date);
        assert_eq!(f.name, "parts_shortage_2025-03-14.csv");
        let text = String::from_utf8(f.bytes).expect("utf-8");
        assert_eq!(
            text,
            "\u{feff}Part ID,Name,Type,Quantity,Builds\r\n\
             T2-DL27,\"Leg, 27\"\" \"\"DL\"\", steel\",PART,4,2\r\n"
        );
    }
}
