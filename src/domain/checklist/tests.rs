use super::*;
use crate::domain::catalog::SUPPLEMENTARY_PARTS;
use crate::reference::CHECKLISTS_TOML;

const MINI: &str = r#"
schemaVersion = 1

[[template]]
key = "T"
name = "Mini"
formType = "PRE_QC"
version = 1
usage = "QC_RESULT"

[[template.item]]
code = "A"
section = "S"
sequence = 10
description = "first"
checkType = "BOOLEAN"
basinSpecific = true
appliesWhen = "basin.type = E_SINK"

[[template.item]]
code = "B"
section = "S"
sequence = 20
description = "second"
checkType = "MEASUREMENT"
unit = "degC"
min = 1
max = 2.5
"#;

fn errors(text: &str) -> Vec<String> {
    parse_checklists(text).err().unwrap_or_default()
}

fn assert_error(errs: &[String], needles: &[&str]) {
    assert!(
        errs.iter().any(|e| needles.iter().all(|n| e.contains(n))),
        "no error containing {needles:?} in {errs:#?}"
    );
}

fn item<'a>(f: &'a ChecklistFile, code: &str) -> &'a Item {
    f.templates
        .iter()
        .flat_map(|t| &t.items)
        .find(|i| i.code == code)
        .expect("item exists")
}

#[test]
fn shipped_checklists_parse() {
    let f = parse_checklists(CHECKLISTS_TOML).expect("the shipped checklists are valid");
    let summary: Vec<(&str, usize)> = f
        .templates
        .iter()
        .map(|t| (t.key.as_str(), t.items.len()))
        .collect();
    assert_eq!(
        summary,
        vec![
            ("PRE_QC", 15),
            ("FINAL_QC", 33),
            ("PRODUCTION", 25),
            ("EOL_TEST", 35),
            ("PACKAGING", 20)
        ]
    );
    let pre = &f.templates[0];
    assert_eq!(pre.name, "Pre-Production Check");
    assert_eq!(pre.form_type, FormType::PreQc);
    assert_eq!(pre.usage, Usage::QcResult);
    assert_eq!(pre.header_fields, vec!["jobId", "numberOfBasins"]);
    assert_eq!(f.templates[3].procedures.len(), 2);
    assert_eq!(f.templates[2].form_type, FormType::InProcess);

    assert_eq!(item(&f, "PRE-01").rules_json(), json!({"code": "PRE-01"}));
    let eol16 = item(&f, "EOL-16");
    assert_eq!(eol16.check_type, CheckType::Measurement);
    assert_eq!(
        eol16.rules_json(),
        json!({"code": "EOL-16", "unit": "degC", "min": -2.0, "max": 2.0,
               "appliesWhen": "basin.type = E_SINK", "testType": "PERFORMANCE"})
    );
    let pre12 = item(&f, "PRE-12").rules_json();
    assert_eq!(pre12["options"], json!(["Center", "Other"]));
    assert_eq!(pre12["noteRequiredFor"], json!(["Other"]));
    assert_eq!(pre12["storeTo"], json!("BasinConfiguration.drainLocation"));
    assert!(pre12.get("multiple").is_none());
    let pkg01 = item(&f, "PKG-01").rules_json();
    assert_eq!(pkg01["itemId"], json!("T2-ANTI-FATIGUE-MAT"));
    assert_eq!(pkg01["qty"], json!(1));
    assert!(pkg01["catalogGap"].is_string());
    assert!(item(&f, "PRE-04").condition.is_some());
    assert!(item(&f, "PRE-01").condition.is_none());
}

#[test]
fn every_catalog_gap_is_a_supplementary_part() {
    let f = parse_checklists(CHECKLISTS_TOML).expect("valid");
    let gaps: Vec<&str> = f
        .templates
        .iter()
        .flat_map(|t| &t.items)
        .filter(|i| i.catalog_gap.is_some())
        .filter_map(|i| i.item_id.as_deref())
        .collect();
    assert_eq!(gaps.len(), 2);
    for g in gaps {
        assert!(SUPPLEMENTARY_PARTS.iter().any(|s| s.id == g), "{g}");
    }
}

#[test]
fn mini_file_parses_with_defaults() {
    let f = parse_checklists(MINI).expect("valid");
    let a = &f.templates[0].items[0];
    assert!(a.required && a.basin_specific && !a.notes_prompt);
    let b = &f.templates[0].items[1];
    assert_eq!((b.min, b.max), (Some(1.0), Some(2.5)));
    assert!(!b.basin_specific);
}

#[test]
fn every_text_refuses_forbidden_characters() {
    let cases = [
        (r#"name = "Mini""#, r#"template "T": name"#),
        (r#"section = "S""#, r#"template "T" item "A": section"#),
        (
            r#"description = "first""#,
            r#"template "T" item "A": description"#,
        ),
        (r#"unit = "degC""#, r#"template "T" item "B": unit"#),
    ];
    for (c, kind) in [
        ("\\u001B", "the control character U+001B"),
        ("\\u202E", "the direction-changing character U+202E"),
        ("\\u200B", "the zero-width character U+200B"),
    ] {
        for (text, at) in cases {
            let evil = MINI.replacen(text, &format!("{}{c}\"", &text[..text.len() - 1]), 1);
            assert_error(
                &errors(&evil),
                &[&format!("{at}: contains {kind}; remove it")],
            );
        }
    }
    let procedure = MINI.replacen(
        "[[template.item]]",
        "[[template.procedure]]\nname = \"P\"\nsteps = [\"ok\", \"bad\\u0007\"]\n\n[[template.item]]",
        1,
    );
    assert_error(
        &errors(&procedure),
        &[r#"template "T": procedure 1 steps 2: contains the control character U+0007"#],
    );
    let options = MINI.replacen(
        r#"checkType = "BOOLEAN""#,
        "checkType = \"MULTI_CHOICE\"\noptions = [\"A\\u200B\"]",
        1,
    );
    assert_error(
        &errors(&options),
        &[r#"item "A": options 1: contains the zero-width character U+200B"#],
    );
}

#[test]
fn unknown_keys_are_refused() {
    let errs = errors(&MINI.replace("appliesWhen =", "appliesWhenn ="));
    assert_error(&errs, &["appliesWhenn"]);
    let errs = errors(&MINI.replace("usage =", "colour = \"red\"\nusage ="));
    assert_error(&errs, &["colour"]);
}

#[test]
fn duplicate_codes_and_sequences_are_refused() {
    let errs = errors(
        &MINI
            .replace("code = \"B\"", "code = \"A\"")
            .replace("sequence = 20", "sequence = 10"),
    );
    assert_error(
        &errs,
        &["template \"T\" item \"A\"", "code is used by another item"],
    );
    assert_error(&errs, &["template \"T\" item \"A\"", "sequence 10 is used"]);
}

#[test]
fn check_type_rules() {
    let errs = errors(&MINI.replace("\"BOOLEAN\"", "\"YES_NO\""));
    assert_error(&errs, &["item \"A\"", "checkType \"YES_NO\" is unknown"]);
    let errs = errors(&MINI.replace("\"BOOLEAN\"", "\"MULTI_CHOICE\""));
    assert_error(&errs, &["item \"A\"", "needs options"]);
    let errs = errors(&MINI.replace("min = 1", "min = 3"));
    assert_error(&errs, &["item \"B\"", "min 3 is greater than max 2.5"]);
    let errs = errors(&MINI.replace("unit = \"degC\"\n", ""));
    assert_error(&errs, &["item \"B\"", "needs unit, min and max"]);
    let errs = errors(&MINI.replace("\"MEASUREMENT\"", "\"TEXT\""));
    assert_error(
        &errs,
        &["item \"B\"", "unit is allowed only on a MEASUREMENT item"],
    );
}

#[test]
fn invalid_conditions_are_refused_naming_the_item() {
    let errs = errors(&MINI.replace("basin.type = E_SINK", "basin.type = E_SINKK"));
    assert_error(
        &errs,
        &[
            "template \"T\" item \"A\"",
            "appliesWhen",
            "no value \"E_SINKK\"",
        ],
    );
    let errs = errors(&MINI.replace("basinSpecific = true\n", ""));
    assert_error(
        &errs,
        &["item \"A\"", "allowed only in a basinSpecific item"],
    );
    let errs = errors(&MINI.replace("basin.type = E_SINK", "basin.type = "));
    assert_error(&errs, &["item \"A\"", "expected a value"]);
}

#[test]
fn lengths_versions_and_usage_keys() {
    let long = "x".repeat(101);
    let errs = errors(
        &MINI
            .replace("name = \"Mini\"", &format!("name = \"{long}\""))
            .replace(
                "section = \"S\"\nsequence = 20",
                &format!("section = \"{long}\"\nsequence = 20"),
            )
            .replace("version = 1", "version = 0")
            .replace(
                "checkType = \"BOOLEAN\"",
                "checkType = \"BOOLEAN\"\nestMinutes = 5",
            ),
    );
    assert_error(&errs, &["template \"T\"", "name is 101 characters"]);
    assert_error(&errs, &["item \"B\"", "section is 101 characters"]);
    assert_error(&errs, &["template \"T\"", "version must be"]);
    assert_error(
        &errs,
        &[
            "item \"A\"",
            "estMinutes is allowed only in a TASKS template",
        ],
    );
    assert!(errs.len() >= 4, "all problems are reported: {errs:#?}");
}

#[test]
fn syntax_errors_and_schema_version() {
    assert_error(&errors("schemaVersion = "), &["checklists:"]);
    assert_error(
        &errors(&MINI.replace("schemaVersion = 1", "schemaVersion = 2")),
        &["schemaVersion 2"],
    );
}

/// The editor's drafts go through the same checks as the file: an appliesWhen syntax error names the item
/// and carries the parser's column, for the caret; other problems name their item by its place.
#[test]
fn drafts_are_checked_like_the_file_with_the_condition_column() {
    let f = parse_checklists(MINI).expect("mini");
    let mut drafts: Vec<ItemDraft> = f.templates[0].items.iter().map(Item::draft).collect();
    assert_eq!(
        validate_items("template \"T\"", Some(Usage::QcResult), drafts.clone()),
        Ok(f.templates[0].items.clone())
    );
    drafts[0].applies_when = Some("basin.type = = E_SINK".into());
    drafts[1].unit = None;
    let problems = validate_items("template \"T\"", Some(Usage::QcResult), drafts.clone())
        .expect_err("refused");
    let cond = problems
        .iter()
        .find(|p| p.index == Some(0))
        .expect("item A's problem");
    assert!(
        cond.message
            .starts_with("template \"T\" item \"A\": appliesWhen \"basin.type = = E_SINK\":"),
        "{cond:?}"
    );
    assert!(cond.message.ends_with("at column 14"), "{cond:?}");
    assert_eq!(cond.column, Some(14));
    let unit = problems
        .iter()
        .find(|p| p.index == Some(1))
        .expect("item B's problem");
    assert!(unit.message.contains("needs unit, min and max"), "{unit:?}");
    assert_eq!(unit.column, None);
    // The import reports the same message for the same item.
    let errs = errors(&MINI.replace("basin.type = E_SINK", "basin.type = = E_SINK"));
    assert!(errs.contains(&cond.message), "{errs:#?}");
    // An empty list and a repeated code.
    let empty =
        validate_items("template \"T\"", Some(Usage::QcResult), Vec::new()).expect_err("refused");
    assert_eq!(empty[0].index, None);
    let mut twice = f.templates[0]
        .items
        .iter()
        .map(Item::draft)
        .collect::<Vec<_>>();
    twice[1].code = "A".into();
    let dup = validate_items("template \"T\"", Some(Usage::QcResult), twice).expect_err("refused");
    assert!(
        dup.iter()
            .any(|p| p.index == Some(1) && p.message.contains("code is used by another item")),
        "{dup:?}"
    );
}

/// A stored item (its columns and its rules) reads back as the draft of the item it was written from.
#[test]
fn a_stored_item_reads_back_as_its_draft() {
    let f = parse_checklists(CHECKLISTS_TOML).expect("shipped");
    for it in f.templates.iter().flat_map(|t| &t.items) {
        let rules = it.rules_json();
        let draft = ItemDraft::from_columns(
            &it.section,
            &it.description,
            it.check_type,
            it.basin_specific,
            it.required,
            it.notes_prompt,
            it.sequence,
            Some(&rules),
        )
        .expect("reads");
        assert_eq!(draft, it.draft(), "{}", it.code);
    }
    assert!(
        ItemDraft::from_columns(
            "S",
            "d",
            CheckType::Boolean,
            false,
            true,
            false,
            1,
            Some(&json!([1]))
        )
        .is_err()
    );
}
