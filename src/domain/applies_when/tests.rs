use super::*;

fn p(src: &str) -> String {
    parse(src).map_or_else(|e| format!("ERR {e}"), |e| e.to_string())
}

fn sink() -> SinkFacts {
    SinkFacts {
        model: "T2-B2".into(),
        basins: vec![
            BasinFacts {
                index: 1,
                basin_type: "E_SINK".into(),
                light: true,
                p_trap: false,
                custom: false,
            },
            BasinFacts {
                index: 2,
                basin_type: "E_DRAIN".into(),
                light: false,
                p_trap: true,
                custom: true,
            },
        ],
        length: 60,
        width: 30,
        legs: "HEIGHT_ADJUSTABLE".into(),
        legs_model: "DL27".into(),
        feet: "LOCK_LEVELING_CASTERS".into(),
        pegboard: true,
        pegboard_type: Some("SOLID".into()),
        language: "FR".into(),
        faucet_types: vec!["WRIST_BLADE_SWING_SPOUT".into()],
        faucets: 2,
        sprayer_types: vec![],
        sprayers: 0,
    }
}

fn holds(src: &str, basin: Option<usize>) -> bool {
    let s = sink();
    let expr = compile(src, basin.is_some()).expect("valid condition");
    eval(&expr, &s, basin.map(|i| &s.basins[i]))
}

/// (condition, basinSpecific) of every item of the shipped checklists that has one.
fn shipped_conditions() -> Vec<(String, bool)> {
    let doc: toml::Table = toml::from_str(crate::reference::CHECKLISTS_TOML).expect("valid TOML");
    let mut out = Vec::new();
    for t in doc["template"].as_array().expect("templates") {
        for item in t["item"].as_array().expect("items") {
            if let Some(cond) = item.get("appliesWhen").and_then(|v| v.as_str()) {
                let basin = item
                    .get("basinSpecific")
                    .and_then(toml::Value::as_bool)
                    .unwrap_or(false);
                out.push((cond.to_string(), basin));
            }
        }
    }
    out
}

#[test]
fn every_shipped_condition_parses_and_validates() {
    let all = shipped_conditions();
    assert_eq!(all.len(), 73);
    let mut distinct: Vec<&(String, bool)> = all.iter().collect();
    distinct.sort();
    distinct.dedup();
    for (cond, basin) in distinct {
        let expr = compile(cond, *basin)
            .map_err(|e| format!("{cond:?}: {e:?}"))
            .expect("every shipped condition is valid");
        // Evaluating never fails, with or without a basin.
        let s = sink();
        let _ = eval(&expr, &s, s.basins.first());
        let _ = eval(&expr, &SinkFacts::default(), None);
    }
}

#[test]
fn and_binds_tighter_than_or() {
    assert_eq!(
        p("pegboard = true or legs = FIXED_HEIGHT and feet = LOCK_LEVELING_CASTERS"),
        "(pegboard = true or (legs = FIXED_HEIGHT and feet = LOCK_LEVELING_CASTERS))"
    );
    assert_eq!(
        p("basins = 1 and basins = 2 or basins = 3 and length > 4"),
        "((basins = 1 and basins = 2) or (basins = 3 and length > 4))"
    );
    assert_eq!(
        p("(pegboard = true or legs = FIXED_HEIGHT) and feet = LOCK_LEVELING_CASTERS"),
        "((pegboard = true or legs = FIXED_HEIGHT) and feet = LOCK_LEVELING_CASTERS)"
    );
    // true or (false and false) = true; (true or false) and false = false.
    assert!(holds(
        "pegboard = true or legs = FIXED_HEIGHT and feet = SS_ADJUSTABLE_SEISMIC_FEET",
        None
    ));
    assert!(!holds(
        "(pegboard = true or legs = FIXED_HEIGHT) and feet = SS_ADJUSTABLE_SEISMIC_FEET",
        None
    ));
}

#[test]
fn not_binds_tightest_and_nests() {
    assert_eq!(
        p("not pegboard = true and basins = 2"),
        "((not pegboard = true) and basins = 2)"
    );
    assert_eq!(p("not not pegboard = true"), "(not (not pegboard = true))");
    assert_eq!(
        p("not (pegboard = true and basins = 2)"),
        "(not (pegboard = true and basins = 2))"
    );
    assert!(!holds("not pegboard = true and basins = 2", None));
    assert!(holds("not not pegboard = true", None));
    assert!(holds("not (pegboard = true and basins = 3)", None));
}

#[test]
fn comparisons_on_each_kind() {
    assert!(holds(
        "length >= 60 and length <= 60 and length > 59 and length < 61",
        None
    ));
    assert!(holds(
        "width != 31 and basins = 2 and faucets = 2 and sprayers = 0",
        None
    ));
    assert!(holds(
        "model = \"T2-B2\" and model = T2-B2 and model != 'T2-B3'",
        None
    ));
    assert!(holds(
        "language = FR and legs_model = DL27 and pegboard_type = SOLID",
        None
    ));
    assert!(!holds("pegboard = false", None));
    assert!(holds("length > -1", None));
}

#[test]
fn in_and_not_in() {
    assert!(holds("language in [EN, FR]", None));
    assert!(!holds("language not in [EN, FR]", None));
    assert!(holds("language not in [EN, SP]", None));
    assert!(holds("basins in [2, 3] and model in [\"T2-B2\"]", None));
    assert!(holds("basin.type in [E_SINK, E_SINK_DI]", Some(0)));
    assert!(!holds("basin.type in [E_SINK, E_SINK_DI]", Some(1)));
    assert!(holds("basin.type not in [E_SINK, E_SINK_DI]", Some(1)));
    assert_eq!(
        p("basin.type not in [E_SINK]"),
        "basin.type not in [E_SINK]"
    );
}

#[test]
fn quantifiers() {
    assert!(holds("any_basin = E_DRAIN", None));
    assert!(holds("any_basin in [E_SINK, E_SINK_DI]", None));
    assert!(!holds("any_basin = E_SINK_DI", None));
    assert!(holds("any_basin != E_SINK", None));
    assert!(!holds("all_basins = E_SINK", None));
    assert!(holds("all_basins in [E_SINK, E_DRAIN]", None));
    assert!(holds("all_basins != E_SINK_DI", None));
    assert!(holds("any_faucet = WRIST_BLADE_SWING_SPOUT", None));
    assert!(!holds("any_faucet = GOOSENECK_TREATED_WATER", None));
    assert!(!holds(
        "any_sprayer in [AIR_GUN_KIT_TURRET, AIR_GUN_KIT_ROSETTE]",
        None
    ));
    assert!(holds("not any_sprayer = AIR_GUN_KIT_TURRET", None));
    // With no basins, nothing exists and everything holds for all of them.
    let empty = SinkFacts::default();
    assert!(!eval(
        &compile("any_basin = E_SINK", false).expect("valid"),
        &empty,
        None
    ));
    assert!(eval(
        &compile("all_basins = E_SINK", false).expect("valid"),
        &empty,
        None
    ));
}

#[test]
fn basin_subjects_use_the_given_basin() {
    assert!(holds("basin.index = 1 and basin.light = true", Some(0)));
    assert!(holds(
        "basin.index = 2 and basin.p_trap = true and basin.custom = true",
        Some(1)
    ));
    assert!(!holds("basin.light = true", Some(1)));
    let s = sink();
    let e = compile("basin.light = true", true).expect("valid");
    assert!(!eval(&e, &s, None), "no basin: basin subjects are false");
}

#[test]
fn missing_pegboard_type_makes_every_comparison_false() {
    let mut s = sink();
    s.pegboard_type = None;
    for src in [
        "pegboard_type = SOLID",
        "pegboard_type != SOLID",
        "pegboard_type in [SOLID]",
        "pegboard_type not in [SOLID]",
    ] {
        assert!(
            !eval(&compile(src, false).expect("valid"), &s, None),
            "{src}"
        );
    }
}

#[test]
fn syntax_errors_name_the_column() {
    let cases = [
        ("", "empty"),
        ("pegboard", "expected an operator"),
        ("pegboard =", "expected a value, found the end at column 11"),
        ("pegboard = true and", "expected a subject"),
        ("(pegboard = true", "expected \")\", found the end"),
        ("basins in [1, 2", "expected \"]\""),
        ("basins in 1", "expected \"[\""),
        ("basins in []", "expected a value"),
        ("basins == 2", "expected a value, found \"=\" at column 9"),
        (
            "basins = 2 pegboard = true",
            "expected \"and\", \"or\" or the end, found \"pegboard\" at column 12",
        ),
        ("model = \"T2-B1", "unterminated string at column 9"),
        ("basins = 2x", "neither a whole number"),
        ("basins ! 2", "unexpected character '!'"),
        ("basins = 2 & pegboard = true", "unexpected character '&'"),
        ("and = 2", "expected a subject"),
        ("basins = and", "expected a value"),
    ];
    for (src, needle) in cases {
        let got = p(src);
        assert!(
            got.starts_with("ERR ") && got.contains(needle),
            "{src:?}: {got}"
        );
    }
}

#[test]
fn validation_errors_are_clear_and_all_reported() {
    let errs = |src: &str, basin: bool| compile(src, basin).err().unwrap_or_default();
    let e = errs("colour = RED", false);
    assert!(e[0].contains("unknown subject \"colour\""), "{e:?}");
    let e = errs("basin.type = E_SINK", false);
    assert!(
        e[0].contains("\"basin.type\" is allowed only in a basinSpecific item"),
        "{e:?}"
    );
    let e = errs("legs = TALL", false);
    assert!(
        e[0].contains("\"legs\" has no value \"TALL\"") && e[0].contains("HEIGHT_ADJUSTABLE"),
        "{e:?}"
    );
    let e = errs("length = \"48\"", false);
    assert!(
        e[0].contains("\"length\" is compared with a whole number"),
        "{e:?}"
    );
    let e = errs("pegboard = 1", false);
    assert!(e[0].contains("true or false"), "{e:?}");
    let e = errs("legs = 3", false);
    assert!(e[0].contains("\"legs\" is compared with one of"), "{e:?}");
    let e = errs("feet < LOCK_LEVELING_CASTERS", false);
    assert!(e[0].contains("\"<\" works only on a number"), "{e:?}");
    let e = errs("any_basin in [E_SINK, SINK]", false);
    assert!(e[0].contains("no value \"SINK\""), "{e:?}");
    // Every problem, not only the first.
    let e = errs("colour = RED or basin.light = true and legs = TALL", false);
    assert_eq!(e.len(), 3, "{e:?}");
}
