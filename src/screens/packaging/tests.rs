//! Quantities and the state column of the packaging checklist.

use super::*;

#[test]
fn quantities_are_whole_numbers_within_the_requirement() {
    assert_eq!(parse_quantity(" 2 ", 2), Ok(2));
    assert_eq!(parse_quantity("0", 2), Ok(0));
    assert!(parse_quantity("3", 2).is_err_and(|e| e.contains("out of range")));
    assert!(parse_quantity("-1", 2).is_err_and(|e| e.contains("0 to 2")));
    assert!(parse_quantity("1.5", 2).is_err_and(|e| e.contains("not a whole number")));
    assert!(parse_quantity("", 2).is_err());
}

#[test]
fn packing_clears_the_mounted_mark() {
    let mut l = PackagingLine {
        id: Uuid::nil(),
        code: "PKG-15".into(),
        description: String::new(),
        item_id: "X".into(),
        item_type: crate::domain::bom::ItemType::Part,
        required: 2,
        packed: 0,
        mounted_allowed: true,
        mounted: false,
        complete: false,
    };
    Change::Mounted(true).apply(&mut l);
    assert!(l.complete && l.mounted);
    assert_eq!(state_text(&l), "mounted");
    Change::Packed(1).apply(&mut l);
    assert!(!l.complete && !l.mounted);
    assert_eq!(state_text(&l), "1 to go");
    Change::Packed(2).apply(&mut l);
    assert_eq!(state_text(&l), "complete");
}
