use super::entry::draft_text;
use super::{config_changes, field_errors_text};
use crate::domain::order::BuildConfig;
use crate::domain::order::{AccessoryLine, BasinConfig, BasinType, FeetType, LegsType};
use crate::domain::order_rules::FieldError;

#[test]
fn a_draft_holds_no_forbidden_text() {
    let ok = serde_json::json!({"po_number": "PO-1", "builds": [{"n": 1, "x": null}]});
    assert_eq!(draft_text(&ok), Ok(()));
    let deep = serde_json::json!({"builds": [{"accessories": ["A", "B\u{202E}"]}]});
    assert_eq!(
        draft_text(&deep),
        Err("Wizard draft: contains the direction-changing character U+202E; remove it".into())
    );
    let key = serde_json::json!({"k\u{1b}": 1});
    assert!(draft_text(&key).is_err());
}

fn build() -> BuildConfig {
    BuildConfig {
        basins: vec![BasinConfig {
            basin_index: 1,
            basin_type: BasinType::EDrain,
            basin_width: 20,
            basin_length: 20,
            basin_depth: 8,
            is_custom_size: false,
            has_p_trap_drain: false,
            has_basin_light: false,
        }],
        accessories: vec![
            AccessoryLine {
                assembly_id: "A".into(),
                quantity: 1,
            },
            AccessoryLine {
                assembly_id: "B".into(),
                quantity: 2,
            },
        ],
        ..BuildConfig::new(
            "B-1",
            "T2-B1",
            (30, 60),
            LegsType::FixedHeight,
            "DL14",
            FeetType::SsAdjustableSeismicFeet,
        )
    }
}

#[test]
fn config_changes_name_each_changed_field() {
    let old = build();
    assert!(config_changes(&old, &old).is_empty());
    let mut new = old.clone();
    new.sink_length = 72;
    new.legs_model = "DL27".into();
    new.basins[0].has_p_trap_drain = true;
    new.accessories.reverse();
    assert_eq!(
        config_changes(&old, &new),
        ["sinkLength 60 -> 72", "legsModel DL14 -> DL27", "basins"]
    );
    new.accessories[0].quantity = 5;
    assert_eq!(
        config_changes(&old, &new).last().map(String::as_str),
        Some("accessories")
    );
}

#[test]
fn field_errors_are_prefixed_and_deduplicated() {
    let e = |build: Option<&str>, message: &str| FieldError {
        build: build.map(str::to_string),
        field: "f".into(),
        message: message.into(),
    };
    let text = field_errors_text(&[
        e(None, "PO number is required"),
        e(Some("B-1"), "Build number B-1 is entered more than once"),
        e(Some("B-1"), "Build number B-1 is entered more than once"),
        e(Some("B-2"), "Select a sink model"),
    ]);
    assert_eq!(
        text,
        "PO number is required\nBuild B-1: Build number B-1 is entered more than once\nBuild B-2: Select a sink model"
    );
}
