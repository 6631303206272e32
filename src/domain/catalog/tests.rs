use super::*;
use crate::reference::{ASSEMBLIES_JSON, CATEGORIES_JSON, PARTS_JSON};

const PARTS: &str = r#"{"metadata":{"version":"1"},"parts":{
    "P1":{"name":"BOLT","manufacturer_part_number":null,"manufacturer_info":null,"type":"COMPONENT","status":"ACTIVE"},
    "P2":{"name":"NUT","type":"MATERIAL","status":"INACTIVE","vendor":"TORVAN","description":"d"}}}"#;
const ASSEMBLIES: &str = r#"{"metadata":{},"assemblies":{
    "A1":{"name":"KIT","type":"KIT","category_code":"718","subcategory_code":"718.001","can_order":true,
          "is_kit":true,"status":"ACTIVE","components":[{"part_id":"P2","quantity":3,"notes":"x"},{"part_id":"P1","quantity":1}]},
    "ASSY-P1":{"name":"TWIN","type":"SIMPLE","category_code":"718","subcategory_code":null,"can_order":false,
          "is_kit":false,"status":"ACTIVE","components":[]}}}"#;
const CATEGORIES: &str = r#"{"metadata":{},"categories":{
    "718":{"name":"CONTROL BOX","description":"c","subcategories":{
        "718.001":{"name":"1 BASIN","description":"s","assembly_refs":["A1"]}}},
    "719":{"name":"SERVICE","description":null,"subcategories":{}}}}"#;

fn errors(parts: &str, assemblies: &str, categories: &str) -> Vec<String> {
    match parse_catalog(parts, assemblies, categories) {
        Ok(_) => Vec::new(),
        Err(e) => e,
    }
}

fn assert_one_error_containing(errs: &[String], needles: &[&str]) {
    assert!(
        errs.iter().any(|e| needles.iter().all(|n| e.contains(n))),
        "no error containing {needles:?} in {errs:#?}"
    );
}

#[test]
fn shipped_catalog_parses_with_the_expected_counts() {
    let c = parse_catalog(PARTS_JSON, ASSEMBLIES_JSON, CATEGORIES_JSON)
        .expect("the shipped catalog is valid");
    assert_eq!(c.file_part_count(), 284);
    assert_eq!(c.parts.len(), 286);
    assert_eq!(
        c.supplementary_ids(),
        vec!["T2-ANTI-FATIGUE-MAT", "IFU.T2.ESinkInstUserFR"]
    );
    assert_eq!(c.assemblies.len(), 318);
    assert_eq!(c.component_count(), 841);
    assert_eq!(c.categories.len(), 6);
    assert_eq!(c.category_row_count(), 52);
    // Component order is the JSON array order.
    let edr1 = c
        .assemblies
        .iter()
        .find(|a| a.id == "T2-CTRL-EDR1")
        .expect("T2-CTRL-EDR1");
    assert_eq!(edr1.components[0].child_id, "Q13404-02");
    assert_eq!(edr1.components[1].child_id, "PW-105R3-06");
    assert_eq!(edr1.components[3].quantity, 5);
    // The one record with extra keys keeps them; its vendor becomes the manufacturer info.
    let colour = c.parts.iter().find(|p| p.id == "708.77").expect("708.77");
    assert_eq!(colour.manufacturer_info_column(), Some("TORVAN"));
    assert!(colour.description.is_some());
    assert_eq!(colour.category.as_deref(), Some("PEGBOARD"));
}

#[test]
fn shipped_catalog_resolves_twins_per_r10() {
    let c = parse_catalog(PARTS_JSON, ASSEMBLIES_JSON, CATEGORIES_JSON).expect("valid");
    assert!(matches!(
        c.resolve("T2-LEVELING-CASTOR-475"),
        Some(Resolved::Assembly(a)) if a.id == "ASSY-T2-LEVELING-CASTOR-475"
    ));
    assert!(matches!(c.resolve("6.65E+11"), Some(Resolved::Part(_))));
    assert!(c.resolve("NO-SUCH-ID").is_none());
}

#[test]
fn small_catalog_parses_and_keeps_values() {
    let c = parse_catalog(PARTS, ASSEMBLIES, CATEGORIES).expect("valid");
    assert_eq!(c.file_part_count(), 2);
    assert_eq!(c.parts.len(), 2 + SUPPLEMENTARY_PARTS.len());
    let p2 = &c.parts[1];
    assert_eq!(p2.part_type, PartType::Material);
    assert_eq!(p2.status, EntityStatus::Inactive);
    assert_eq!(p2.manufacturer_info_column(), Some("TORVAN"));
    let a1 = &c.assemblies[0];
    assert_eq!(a1.assembly_type, AssemblyType::Kit);
    assert_eq!(
        a1.components,
        vec![
            Component {
                child_type: ComponentType::Part,
                child_id: "P2".into(),
                quantity: 3,
                notes: Some("x".into()),
            },
            Component {
                child_type: ComponentType::Part,
                child_id: "P1".into(),
                quantity: 1,
                notes: None,
            },
        ]
    );
    assert_eq!(c.assemblies[1].subcategory_code, None);
}

#[test]
fn every_text_field_refuses_forbidden_characters() {
    // (file, the text replaced, where the message says it is)
    let cases: [(&str, &str, &str); 12] = [
        ("parts", r#""name":"BOLT""#, r#"part "P1": "name""#),
        ("parts", r#""vendor":"TORVAN""#, r#"part "P2": "vendor""#),
        (
            "parts",
            r#""description":"d""#,
            r#"part "P2": "description""#,
        ),
        ("parts", r#""P1":{"#, r#"part "P1X": the id"#),
        ("assemblies", r#""name":"KIT""#, r#"assembly "A1": "name""#),
        (
            "assemblies",
            r#""category_code":"718""#,
            r#"assembly "A1": "category_code""#,
        ),
        (
            "assemblies",
            r#""notes":"x""#,
            r#"assembly "A1" component 1: "notes""#,
        ),
        (
            "assemblies",
            r#""part_id":"P1""#,
            r#"assembly "A1" component 2: "part_id""#,
        ),
        (
            "categories",
            r#""name":"CONTROL BOX""#,
            r#"category "718": "name""#,
        ),
        (
            "categories",
            r#""description":"c""#,
            r#"category "718": "description""#,
        ),
        (
            "categories",
            r#""name":"1 BASIN""#,
            r#"subcategory "718.001": "name""#,
        ),
        (
            "categories",
            r#""description":"s""#,
            r#"subcategory "718.001": "description""#,
        ),
    ];
    for (c, escaped, kind) in [
        ('\u{1b}', "\\u001b", "the control character U+001B"),
        (
            '\u{202E}',
            "\\u202e",
            "the direction-changing character U+202E",
        ),
        ('\u{200B}', "\\u200b", "the zero-width character U+200B"),
    ] {
        for (file, text, at) in cases {
            // Put the character before the value's closing quote (the id's: inside the key).
            let evil = if text.ends_with(":{") {
                text.replacen("\":{", &format!("X{escaped}\":{{"), 1)
            } else {
                format!("{}{escaped}\"", &text[..text.len() - 1])
            };
            let at = at.replace("P1X", &format!("P1X{c}"));
            let (mut p, mut a, mut g) = (
                PARTS.to_string(),
                ASSEMBLIES.to_string(),
                CATEGORIES.to_string(),
            );
            let target = match file {
                "parts" => &mut p,
                "assemblies" => &mut a,
                _ => &mut g,
            };
            assert!(target.contains(text), "{text}");
            *target = target.replacen(text, &evil, 1);
            let errs = errors(&p, &a, &g);
            assert_one_error_containing(
                &errs,
                &[&format!("{file}.json: {at}: contains {kind}; remove it")],
            );
        }
    }
}

#[test]
fn supplementary_part_already_in_the_file_is_taken_from_the_file() {
    let parts = PARTS.replace(
        r#""P1":{"#,
        r#""T2-ANTI-FATIGUE-MAT":{"name":"MAT FROM FILE","type":"COMPONENT","status":"ACTIVE"},"P1":{"#,
    );
    let c = parse_catalog(&parts, ASSEMBLIES, CATEGORIES).expect("valid");
    let mat: Vec<_> = c
        .parts
        .iter()
        .filter(|p| p.id == "T2-ANTI-FATIGUE-MAT")
        .collect();
    assert_eq!(mat.len(), 1);
    assert_eq!(mat[0].name, "MAT FROM FILE");
    assert!(!mat[0].supplementary);
    assert_eq!(c.supplementary_ids(), vec!["IFU.T2.ESinkInstUserFR"]);
}

#[test]
fn duplicate_ids_are_found_although_json_maps_would_hide_them() {
    let parts = PARTS.replace(
        r#""P2":{"#,
        r#""P1":{"name":"AGAIN","type":"COMPONENT","status":"ACTIVE"},"P2":{"#,
    );
    let errs = errors(&parts, ASSEMBLIES, CATEGORIES);
    assert_one_error_containing(&errs, &["parts.json", "\"P1\"", "appears 2 times"]);
    let assemblies = ASSEMBLIES.replace(
        r#""ASSY-P1":{"#,
        r#""A1":{"name":"X","type":"KIT","category_code":null,"subcategory_code":null,"can_order":true,"is_kit":true,"status":"ACTIVE","components":[]},"ASSY-P1":{"#,
    );
    let errs = errors(PARTS, &assemblies, CATEGORIES);
    assert_one_error_containing(&errs, &["assemblies.json", "\"A1\"", "appears 2 times"]);
}

#[test]
fn duplicate_key_inside_a_record_is_refused() {
    let parts = PARTS.replace(r#""name":"BOLT","#, r#""name":"BOLT","name":"SCREW","#);
    let errs = errors(&parts, ASSEMBLIES, CATEGORIES);
    assert_one_error_containing(&errs, &["part \"P1\"", "\"name\"", "more than once"]);
}

#[test]
fn dangling_references_are_named() {
    let assemblies = ASSEMBLIES.replace(r#""part_id":"P2""#, r#""part_id":"GHOST""#);
    let errs = errors(PARTS, &assemblies, CATEGORIES);
    assert_one_error_containing(
        &errs,
        &[
            "assembly \"A1\" component 1",
            "\"GHOST\"",
            "not in the catalog",
        ],
    );

    let categories = CATEGORIES.replace(r#"["A1"]"#, r#"["A1","NOPE"]"#);
    let errs = errors(PARTS, ASSEMBLIES, &categories);
    assert_one_error_containing(
        &errs,
        &["subcategory \"718.001\"", "\"NOPE\"", "not an assembly"],
    );

    let assemblies = ASSEMBLIES.replace(
        r#""category_code":"718","subcategory_code":"718.001""#,
        r#""category_code":"999","subcategory_code":"718.009""#,
    );
    let errs = errors(PARTS, &assemblies, CATEGORIES);
    assert_one_error_containing(&errs, &["assembly \"A1\"", "category_code \"999\""]);
    assert_one_error_containing(&errs, &["assembly \"A1\"", "subcategory_code \"718.009\""]);

    let assemblies = ASSEMBLIES.replace(
        r#""category_code":"718","subcategory_code":"718.001""#,
        r#""category_code":"719","subcategory_code":"718.001""#,
    );
    let errs = errors(PARTS, &assemblies, CATEGORIES);
    assert_one_error_containing(&errs, &["assembly \"A1\"", "belongs to category \"718\""]);
}

#[test]
fn bad_quantities_are_refused() {
    for (q, needle) in [
        ("-2", "at least 1, found -2"),
        ("0", "at least 1, found 0"),
        ("1.5", "whole number, found 1.5"),
        ("2.0", "whole number"),
        ("\"3\"", "must be a whole number, found a string"),
        ("3000000000", "too large"),
    ] {
        let assemblies = ASSEMBLIES.replace(r#""quantity":3"#, &format!(r#""quantity":{q}"#));
        let errs = errors(PARTS, &assemblies, CATEGORIES);
        assert_one_error_containing(
            &errs,
            &["assembly \"A1\" component 1", "\"quantity\"", needle],
        );
    }
}

#[test]
fn bad_values_are_refused_and_all_problems_are_collected() {
    let long_id = "X".repeat(51);
    let long_name = "N".repeat(201);
    let parts = PARTS
        .replace(r#""type":"COMPONENT""#, r#""type":"WIDGET""#)
        .replace(r#""name":"NUT","#, &format!(r#""name":"{long_name}","#))
        .replace(
            r#""P2":{"#,
            &format!(
                r#""{long_id}":{{"colour":"red","status":"ACTIVE","type":"COMPONENT"}},"P2":{{"#
            ),
        );
    let assemblies = ASSEMBLIES.replace(r#""is_kit":false,"#, "");
    let categories = CATEGORIES.replace(r#""name":"1 BASIN","#, "");
    let errs = errors(&parts, &assemblies, &categories);
    assert_one_error_containing(
        &errs,
        &[
            "part \"P1\"",
            "unknown value \"WIDGET\"",
            "COMPONENT, MATERIAL",
        ],
    );
    assert_one_error_containing(
        &errs,
        &["part \"P2\"", "\"name\" is 201 characters", "at most 200"],
    );
    assert_one_error_containing(&errs, &[&long_id, "51 characters", "at most 50"]);
    assert_one_error_containing(&errs, &[&long_id, "unknown key \"colour\""]);
    assert_one_error_containing(&errs, &[&long_id, "missing required key \"name\""]);
    assert_one_error_containing(
        &errs,
        &["assembly \"ASSY-P1\"", "missing required key \"is_kit\""],
    );
    assert_one_error_containing(
        &errs,
        &["subcategory \"718.001\"", "missing required key \"name\""],
    );
    assert!(errs.len() >= 7, "{errs:#?}");
}

#[test]
fn a_bad_field_does_not_hide_a_dangling_reference() {
    let assemblies = ASSEMBLIES
        .replace(
            r#""part_id":"P2","quantity":3"#,
            r#""part_id":"GHOST","quantity":-3"#,
        )
        .replace(r#""type":"KIT""#, r#""type":"BUNDLE""#);
    let errs = errors(PARTS, &assemblies, CATEGORIES);
    assert_one_error_containing(&errs, &["assembly \"A1\" component 1", "\"GHOST\""]);
    assert_one_error_containing(&errs, &["assembly \"A1\" component 1", "found -3"]);
    assert_one_error_containing(&errs, &["assembly \"A1\"", "\"BUNDLE\""]);
    assert_eq!(errs.len(), 3, "{errs:#?}");
}

#[test]
fn wrong_shapes_are_refused() {
    let errs = errors("[1,2]", "not json", r#"{"categories":[]}"#);
    assert_one_error_containing(&errs, &["parts.json", "top level must be an object"]);
    assert_one_error_containing(&errs, &["assemblies.json", "not valid JSON"]);
    assert_one_error_containing(
        &errs,
        &["categories.json", "\"categories\" must be an object"],
    );
    let errs = errors(
        r#"{"metadata":{},"parts":{},"extra":1}"#,
        ASSEMBLIES,
        CATEGORIES,
    );
    assert_one_error_containing(&errs, &["parts.json", "unknown key \"extra\""]);
}

#[test]
fn category_codes_share_one_key_space() {
    let categories = CATEGORIES.replace(r#""718.001":{"#, r#""719":{"#);
    let errs = errors(PARTS, ASSEMBLIES, &categories);
    assert_one_error_containing(&errs, &["subcategory \"719\"", "must be unique"]);
}
