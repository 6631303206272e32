use super::*;
use crate::domain::order::{BasinConfig, BasinType, FeetType, LegsType};
use chrono::NaiveDate;
use serde_json::json;

fn def(code: &str, check_type: CheckType, rules: serde_json::Value) -> QcItemDef {
    let mut rules = rules;
    if let Some(m) = rules.as_object_mut() {
        m.insert("code".into(), json!(code));
    }
    QcItemDef::from_row(
        Uuid::new_v4(),
        "Sink".into(),
        format!("{code} description"),
        check_type,
        false,
        true,
        true,
        10,
        Some(&rules),
    )
}

fn said(value: &str) -> Answer {
    Answer {
        value: Some(value.into()),
        is_na: false,
        notes: None,
    }
}

fn noted(value: &str, note: &str) -> Answer {
    Answer {
        notes: Some(note.into()),
        ..said(value)
    }
}

fn non_conforming(j: Judgement) -> String {
    match j {
        Judgement::NonConforming(m) => m,
        other => panic!("expected non-conforming, got {other:?}"),
    }
}

fn invalid(j: Judgement) -> String {
    match j {
        Judgement::Invalid(m) => m,
        other => panic!("expected invalid, got {other:?}"),
    }
}

fn gap() -> QcItemDef {
    def(
        "EOL-X",
        CheckType::Measurement,
        json!({"unit": "mm", "min": 0.5, "max": 40.0}),
    )
}

#[test]
fn rules_are_read_exactly() {
    let m = gap();
    assert_eq!(m.code, "EOL-X");
    assert_eq!(m.unit.as_deref(), Some("mm"));
    assert_eq!(m.min, Some(Decimal::new(5, 1)));
    assert_eq!(
        m.max.map(|d| d.normalize().to_string()).as_deref(),
        Some("40")
    );
    let t = def(
        "T",
        CheckType::Measurement,
        json!({"min": -2.0, "max": 41.5}),
    );
    assert_eq!(t.min, Some(Decimal::new(-2, 0)));
    assert_eq!(t.max, Some(Decimal::new(415, 1)));
    let c = def(
        "C",
        CheckType::MultiChoice,
        json!({"options": ["Center", "Other"], "noteRequiredFor": ["Other"],
               "storeTo": "BasinConfiguration.drainLocation", "appliesWhen": "basins > 1"}),
    );
    assert_eq!(c.options, vec!["Center", "Other"]);
    assert_eq!(c.note_required_for, vec!["Other"]);
    assert!(!c.multiple);
    assert_eq!(
        c.store_to.as_deref(),
        Some("BasinConfiguration.drainLocation")
    );
    assert_eq!(c.applies_when.as_deref(), Some("basins > 1"));
    let bare = QcItemDef::from_row(
        Uuid::nil(),
        "S".into(),
        "D".into(),
        CheckType::Boolean,
        false,
        true,
        false,
        1,
        None,
    );
    assert_eq!(bare.min, None);
    assert!(bare.options.is_empty());
}

#[test]
fn boolean_answers() {
    let b = def("B", CheckType::Boolean, json!({}));
    assert_eq!(judge(&b, &Answer::default()), Judgement::Unanswered);
    assert_eq!(judge(&b, &said("  ")), Judgement::Unanswered);
    assert_eq!(judge(&b, &said("YES")), Judgement::Conforming);
    assert_eq!(non_conforming(judge(&b, &said("NO"))), "answered NO");
    assert!(invalid(judge(&b, &said("maybe"))).contains("answer YES or NO"));
    let na = Answer {
        value: None,
        is_na: true,
        notes: Some("not fitted".into()),
    };
    assert_eq!(
        invalid(judge(&b, &na)),
        "N/A is not an answer for this item"
    );
}

#[test]
fn n_a_needs_a_note() {
    let n = def("N", CheckType::NaOption, json!({}));
    assert_eq!(judge(&n, &said("YES")), Judgement::Conforming);
    assert_eq!(non_conforming(judge(&n, &said("NO"))), "answered NO");
    let mut na = Answer {
        value: None,
        is_na: true,
        notes: None,
    };
    assert_eq!(invalid(judge(&n, &na)), "N/A needs a note");
    na.notes = Some("   ".into());
    assert_eq!(invalid(judge(&n, &na)), "N/A needs a note");
    na.notes = Some("no wall bracket on this model".into());
    assert_eq!(judge(&n, &na), Judgement::Conforming);
    na.value = Some("YES".into());
    assert_eq!(invalid(judge(&n, &na)), "An N/A answer has no value");
}

#[test]
fn measurements_are_judged_inclusively_as_typed() {
    let m = gap();
    for ok in ["0.5", "40", "40.0", "20", "0.50", "+1", ".5", " 12.25 "] {
        assert_eq!(judge(&m, &said(ok)), Judgement::Conforming, "{ok}");
    }
    assert_eq!(
        non_conforming(judge(&m, &said("41.5"))),
        "41.5 mm is above the maximum 40 mm"
    );
    assert_eq!(
        non_conforming(judge(&m, &said("40.01"))),
        "40.01 mm is above the maximum 40 mm"
    );
    assert_eq!(
        non_conforming(judge(&m, &said("0.49"))),
        "0.49 mm is below the minimum 0.5 mm"
    );
    assert_eq!(
        non_conforming(judge(&m, &said("-3"))),
        "-3 mm is below the minimum 0.5 mm"
    );
    for bad in ["abc", "1e3", "1,5", "1.2.3", "-", ".", "12 mm", "0x10"] {
        assert_eq!(
            invalid(judge(&m, &said(bad))),
            format!("{bad} is not a number"),
            "{bad}"
        );
    }
    let no_unit = def(
        "M",
        CheckType::Measurement,
        json!({"min": -2.0, "max": 2.0}),
    );
    assert_eq!(
        non_conforming(judge(&no_unit, &said("2.5"))),
        "2.5 is above the maximum 2"
    );
    assert_eq!(judge(&no_unit, &said("-2")), Judgement::Conforming);
}

#[test]
fn single_choice() {
    let c = def(
        "C",
        CheckType::MultiChoice,
        json!({"options": ["Center", "Other"], "noteRequiredFor": ["Other"]}),
    );
    assert_eq!(judge(&c, &said("Center")), Judgement::Conforming);
    assert_eq!(invalid(judge(&c, &said("Other"))), "\"Other\" needs a note");
    assert_eq!(
        judge(&c, &noted("Other", "offset 40 mm left")),
        Judgement::Conforming
    );
    assert_eq!(
        invalid(judge(&c, &said("Left"))),
        "\"Left\" is not one of the options: Center, Other"
    );
    // Not multiple: two options are not one answer.
    assert!(invalid(judge(&c, &said("Center; Other"))).contains("is not one of the options"));
}

#[test]
fn multiple_choice_in_option_order() {
    let c = def(
        "M",
        CheckType::MultiChoice,
        json!({"options": ["Between basins 1/2", "Between basins 2/3", "Center of basin"],
               "multiple": true}),
    );
    assert!(c.multiple);
    assert_eq!(
        join_options(&c, &["Center of basin", "Between basins 1/2"]),
        "Between basins 1/2; Center of basin"
    );
    assert_eq!(
        judge(&c, &said("Between basins 1/2; Center of basin")),
        Judgement::Conforming
    );
    assert_eq!(judge(&c, &said("Center of basin")), Judgement::Conforming);
    assert!(
        invalid(judge(&c, &said("Center of basin; Between basins 1/2"))).contains("in the order")
    );
    assert!(invalid(judge(&c, &said("Center of basin; Center of basin"))).contains("once"));
    assert!(invalid(judge(&c, &said("Center of basin; Nowhere"))).contains("\"Nowhere\""));
}

#[test]
fn text_answers() {
    let t = def("T", CheckType::Text, json!({}));
    assert_eq!(judge(&t, &said("  serial 1234 ")), Judgement::Conforming);
    assert_eq!(judge(&t, &said(&"x".repeat(200))), Judgement::Conforming);
    assert_eq!(
        invalid(judge(&t, &said(&"x".repeat(201)))),
        "The text is longer than 200 characters"
    );
    assert_eq!(judge(&t, &said(" ")), Judgement::Unanswered);
}

fn answer_to(item: &QcItemDef, basin: Option<i32>, a: Answer) -> LineAnswer {
    LineAnswer {
        item_id: item.id,
        basin_index: basin,
        answer: a,
    }
}

#[test]
fn progress_and_the_pass_rule() {
    let b = def("B", CheckType::Boolean, json!({}));
    let mut optional = def("O", CheckType::Text, json!({}));
    optional.required = false;
    let m = gap();
    let items = vec![b.clone(), optional.clone(), m.clone()];
    let lines = vec![
        FormLine::new(0, None),
        FormLine::new(1, None),
        FormLine::new(2, Some(1)),
        FormLine::new(2, Some(2)),
    ];
    let p = progress(&items, &lines, &[]);
    assert_eq!(
        p,
        Progress {
            answered_required: 0,
            required: 3,
            answered: 0,
            lines: 4,
            non_conforming: 0
        }
    );
    assert!(!may_pass(&p));

    let mut answers = vec![
        answer_to(&b, None, said("YES")),
        answer_to(&m, Some(1), said("12")),
        // Not on the form: ignored.
        answer_to(&m, Some(3), said("99")),
    ];
    let p = progress(&items, &lines, &answers);
    assert_eq!(
        (p.answered_required, p.answered, p.non_conforming),
        (2, 2, 0)
    );
    assert!(!may_pass(&p), "basin 2 still open");

    answers.push(answer_to(&m, Some(2), said("abc")));
    let p = progress(&items, &lines, &answers);
    assert_eq!(p.answered_required, 2, "an invalid answer is not an answer");
    assert!(!may_pass(&p));

    answers.pop();
    answers.push(answer_to(&m, Some(2), said("41.5")));
    let p = progress(&items, &lines, &answers);
    assert_eq!((p.answered_required, p.non_conforming), (3, 1));
    assert!(!may_pass(&p), "non-conforming");

    answers.pop();
    answers.push(answer_to(&m, Some(2), said("40")));
    let p = progress(&items, &lines, &answers);
    assert_eq!((p.answered_required, p.required, p.answered), (3, 3, 3));
    assert!(may_pass(&p), "the optional item may stay open");
}

fn build(model: &str, basins: &[(BasinType, bool)]) -> BuildConfig {
    let mut b = BuildConfig::new(
        "B-1",
        model,
        (30, 60),
        LegsType::HeightAdjustable,
        "DL27",
        FeetType::LockLevelingCasters,
    );
    b.basins = basins
        .iter()
        .enumerate()
        .map(|(i, (t, light))| BasinConfig {
            basin_index: i32::try_from(i + 1).expect("index"),
            basin_type: *t,
            basin_width: 20,
            basin_length: 20,
            basin_depth: 8,
            is_custom_size: false,
            has_p_trap_drain: false,
            has_basin_light: *light,
        })
        .collect();
    b
}

fn seq(mut d: QcItemDef, sequence: i32, basin_specific: bool, when: Option<&str>) -> QcItemDef {
    d.sequence = sequence;
    d.basin_specific = basin_specific;
    d.applies_when = when.map(str::to_string);
    d
}

#[test]
fn applicable_filters_by_condition_and_repeats_per_basin() {
    let items = vec![
        seq(def("LATE", CheckType::Boolean, json!({})), 30, false, None),
        seq(
            def("PEG", CheckType::Boolean, json!({})),
            10,
            false,
            Some("pegboard = true"),
        ),
        seq(def("BSN", CheckType::Boolean, json!({})), 20, true, None),
        seq(
            def("DRN", CheckType::Boolean, json!({})),
            25,
            true,
            Some("basin.type = E_DRAIN"),
        ),
        seq(
            def("LIT", CheckType::Boolean, json!({})),
            26,
            true,
            Some("basin.light = true and any_basin = E_SINK"),
        ),
        seq(
            def("FR", CheckType::Boolean, json!({})),
            40,
            false,
            Some("language = FR"),
        ),
    ];
    let b = build(
        "T2-B2",
        &[(BasinType::ESink, true), (BasinType::EDrain, true)],
    );
    let lines = applicable(&items, &b, DocumentLanguage::En).expect("valid");
    let shown: Vec<(&str, Option<i32>)> = lines
        .iter()
        .map(|l| (items[l.item].code.as_str(), l.basin_index))
        .collect();
    assert_eq!(
        shown,
        vec![
            ("BSN", Some(1)),
            ("BSN", Some(2)),
            ("DRN", Some(2)),
            ("LIT", Some(1)),
            ("LIT", Some(2)),
            ("LATE", None),
        ]
    );
    let mut peg = b.clone();
    peg.has_pegboard = true;
    let lines = applicable(&items, &peg, DocumentLanguage::Fr).expect("valid");
    let codes: Vec<&str> = lines.iter().map(|l| items[l.item].code.as_str()).collect();
    assert_eq!(codes.first(), Some(&"PEG"));
    assert_eq!(codes.last(), Some(&"FR"));
}

#[test]
fn an_unparsable_condition_names_the_item_and_the_position() {
    let items = vec![seq(
        def("PRE-99", CheckType::Boolean, json!({})),
        10,
        false,
        Some("pegboard = = true"),
    )];
    let err = applicable(
        &items,
        &build("T2-B1", &[(BasinType::ESink, false)]),
        DocumentLanguage::En,
    )
    .expect_err("refused");
    assert!(err.starts_with("Item PRE-99: "), "{err}");
    assert!(err.contains("at column 12"), "{err}");
    let items = vec![seq(
        def("PRE-98", CheckType::Boolean, json!({})),
        10,
        false,
        Some("basin.type = E_SINK"),
    )];
    let err = applicable(
        &items,
        &build("T2-B1", &[(BasinType::ESink, false)]),
        DocumentLanguage::En,
    )
    .expect_err("refused");
    assert!(
        err.contains("PRE-98") && err.contains("basinSpecific"),
        "{err}"
    );
}

#[test]
fn sink_facts_read_the_whole_configuration() {
    use crate::domain::order::{
        FaucetConfig, FaucetPlacement, FaucetType, PegboardType, SprayerConfig, SprayerLocation,
        SprayerType,
    };
    let mut b = build(
        "T2-B2",
        &[(BasinType::ESinkDi, false), (BasinType::EDrain, true)],
    );
    b.basins[1].has_p_trap_drain = true;
    b.basins[0].is_custom_size = true;
    b.pegboard_type = Some(PegboardType::Solid);
    b.faucets = vec![
        FaucetConfig {
            faucet_type: FaucetType::WristBladeSwingSpout,
            quantity: 2,
            placement: FaucetPlacement::Center,
        },
        FaucetConfig {
            faucet_type: FaucetType::GooseneckTreatedWater,
            quantity: 1,
            placement: FaucetPlacement::BetweenBasins,
        },
    ];
    b.sprayers = vec![SprayerConfig {
        sprayer_type: SprayerType::AirGunKitRosette,
        quantity: 2,
        location: SprayerLocation::LeftSide,
    }];
    let f = sink_facts(&b, DocumentLanguage::Sp);
    assert_eq!(f.model, "T2-B2");
    assert_eq!((f.length, f.width), (60, 30));
    assert_eq!(
        (f.legs.as_str(), f.legs_model.as_str()),
        ("HEIGHT_ADJUSTABLE", "DL27")
    );
    assert_eq!(f.feet, "LOCK_LEVELING_CASTERS");
    assert!(!f.pegboard);
    assert_eq!(f.pegboard_type, None, "no pegboard, no pegboard type");
    assert_eq!(f.language, "SP");
    assert_eq!(f.faucets, 3);
    assert_eq!(
        f.faucet_types,
        vec!["WRIST_BLADE_SWING_SPOUT", "GOOSENECK_TREATED_WATER"]
    );
    assert_eq!((f.sprayers, f.sprayer_types.len()), (2, 1));
    assert_eq!(
        f.basins[1],
        BasinFacts {
            index: 2,
            basin_type: "E_DRAIN".into(),
            light: true,
            p_trap: true,
            custom: false
        }
    );
    assert!(f.basins[0].custom);
    b.has_pegboard = true;
    assert_eq!(
        sink_facts(&b, DocumentLanguage::En)
            .pegboard_type
            .as_deref(),
        Some("SOLID")
    );
}

fn at() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2025, 3, 4)
        .and_then(|d| d.and_hms_opt(5, 6, 7))
        .expect("date")
}

fn uuid(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

fn signed(
    id: u128,
    sequence: i32,
    (code, text): (&str, &str),
    basin_index: Option<i32>,
    answer: Answer,
) -> SignedItem {
    SignedItem {
        checklist_item_id: uuid(id),
        sequence,
        code: code.into(),
        text: text.into(),
        basin_index,
        result_value: answer.value,
        is_na: answer.is_na,
        notes: answer.notes,
    }
}

const DRAIN: (&str, &str) = ("PQC-08", "Drain centred in the basin");

fn content() -> SignedContent {
    SignedContent {
        order_id: uuid(1),
        build_number: "B-1".into(),
        template_id: uuid(2),
        template_version: 3,
        qc_type: FormType::PreQc,
        overall_status: QcResultStatus::Fail,
        job_id: "J-7".into(),
        number_of_basins: 2,
        notes: Some("Drain \"off\" centre".into()),
        signed_at: at(),
        signer_id: uuid(4),
        // Deliberately out of order: the hash sorts them.
        items: vec![
            signed(6, 80, DRAIN, Some(2), noted("NO", "Größe")),
            signed(6, 80, DRAIN, Some(1), said("YES")),
            signed(
                5,
                10,
                ("PQC-01", "Drawing \"rev\" on file"),
                None,
                Answer {
                    value: None,
                    is_na: true,
                    notes: Some("n/a".into()),
                },
            ),
        ],
    }
}

/// Format 1, as signed before the item's code and wording were covered: never to change.
const CANONICAL_V1: &str = concat!(
    r#"{"buildNumber":"B-1","items":["#,
    r#"{"basinIndex":null,"checklistItemId":"00000000-0000-0000-0000-000000000005","isNA":true,"notes":"n/a","resultValue":null},"#,
    r#"{"basinIndex":1,"checklistItemId":"00000000-0000-0000-0000-000000000006","isNA":false,"notes":null,"resultValue":"YES"},"#,
    r#"{"basinIndex":2,"checklistItemId":"00000000-0000-0000-0000-000000000006","isNA":false,"notes":"Größe","resultValue":"NO"}],"#,
    r#""jobId":"J-7","notes":"Drain \"off\" centre","numberOfBasins":2,"#,
    r#""orderId":"00000000-0000-0000-0000-000000000001","overallStatus":"FAIL","qcType":"PRE_QC","#,
    r#""signedAt":"2025-03-04T05:06:07Z","signerId":"00000000-0000-0000-0000-000000000004","#,
    r#""templateId":"00000000-0000-0000-0000-000000000002","templateVersion":3}"#
);
const HASH_V1: &str = "5d92b9b7fbac60cc41cc457b443fda6bcb5e61545e624267363dd64d1e271d97";

const CANONICAL_V2: &str = concat!(
    r#"{"buildNumber":"B-1","formatVersion":2,"items":["#,
    r#"{"basinIndex":null,"checklistItemId":"00000000-0000-0000-0000-000000000005","code":"PQC-01","isNA":true,"notes":"n/a","resultValue":null,"text":"Drawing \"rev\" on file"},"#,
    r#"{"basinIndex":1,"checklistItemId":"00000000-0000-0000-0000-000000000006","code":"PQC-08","isNA":false,"notes":null,"resultValue":"YES","text":"Drain centred in the basin"},"#,
    r#"{"basinIndex":2,"checklistItemId":"00000000-0000-0000-0000-000000000006","code":"PQC-08","isNA":false,"notes":"Größe","resultValue":"NO","text":"Drain centred in the basin"}],"#,
    r#""jobId":"J-7","notes":"Drain \"off\" centre","numberOfBasins":2,"#,
    r#""orderId":"00000000-0000-0000-0000-000000000001","overallStatus":"FAIL","qcType":"PRE_QC","#,
    r#""signedAt":"2025-03-04T05:06:07Z","signerId":"00000000-0000-0000-0000-000000000004","#,
    r#""templateId":"00000000-0000-0000-0000-000000000002","templateVersion":3}"#
);
const HASH_V2: &str = "b71a6dbd85ef47437fb1d5ce7dbe919fdcde186d0a35356e9cd86143cfeffa69";

#[test]
fn the_canonical_json_and_its_hash_are_pinned() {
    assert_eq!(
        canonical_json(&content(), SignatureFormat::V1),
        CANONICAL_V1
    );
    assert_eq!(content_hash(&content(), SignatureFormat::V1), HASH_V1);
    assert_eq!(
        canonical_json(&content(), SignatureFormat::V2),
        CANONICAL_V2
    );
    assert_eq!(content_hash(&content(), SignatureFormat::V2), HASH_V2);
    assert_eq!(SignatureFormat::CURRENT, SignatureFormat::V2);
}

#[test]
fn signature_format() {
    assert_eq!(meaning(FormType::PreQc, QcOutcome::Pass), "PRE_QC PASS");
    assert_eq!(meaning(FormType::FinalQc, QcOutcome::Fail), "FINAL_QC FAIL");
    let s = signature_text("Quinn Inspector", "QI", "PRE_QC FAIL", &content());
    assert_eq!(
        s,
        format!("Quinn Inspector (QI) | PRE_QC FAIL | 2025-03-04T05:06:07Z | v2 sha256:{HASH_V2}")
    );
    assert_eq!(signature_seal(&s), Some((2, HASH_V2)));
    assert_eq!(signature_hash(&s), Some(HASH_V2));
    assert!(signature_matches(&s, &content()));
}

#[test]
fn a_long_name_is_cut_to_fit_200_characters() {
    let c = content();
    let name = "Ana María de los Ángeles ".repeat(8);
    let s = signature_text(&name, "AMDLA", "FINAL_QC FAIL", &c);
    // The cut falls just after "Ángeles ", whose space is dropped.
    assert_eq!(s.chars().count(), SIGNATURE_MAX - 1, "{s}");
    let rest = format!(" (AMDLA) | FINAL_QC FAIL | 2025-03-04T05:06:07Z | v2 sha256:{HASH_V2}");
    let cut = s.strip_suffix(&rest).expect("the rest is whole");
    assert!(cut.ends_with("Ángeles~"), "{cut}");
    let s = signature_text(&format!("X{name}"), "AMDLA", "FINAL_QC FAIL", &c);
    assert_eq!(s.chars().count(), SIGNATURE_MAX, "{s}");
    assert!(s.ends_with(&format!("Ángeles~{rest}")), "{s}");
    assert!(name.starts_with(cut.trim_end_matches('~')), "{cut}");
    assert_eq!(signature_seal(&s), Some((2, HASH_V2)));
    // Exactly at the limit: no cut.
    let room = SIGNATURE_MAX - rest.chars().count();
    let exact = "N".repeat(room);
    let s = signature_text(&exact, "AMDLA", "FINAL_QC FAIL", &c);
    assert_eq!(s.chars().count(), SIGNATURE_MAX);
    assert!(!s.contains('~'));
    let over = "N".repeat(room + 1);
    let s = signature_text(&over, "AMDLA", "FINAL_QC FAIL", &c);
    assert_eq!(s.chars().count(), SIGNATURE_MAX);
    assert!(
        s.starts_with(&format!("{}~ (AMDLA)", "N".repeat(room - 1))),
        "{s}"
    );
    // A name with the field separator in it cannot be mistaken for the seal.
    let s = signature_text("A | sha256:00", "AB", "FINAL_QC FAIL", &c);
    assert_eq!(signature_seal(&s), Some((2, HASH_V2)));
}

#[test]
fn the_seal_names_the_format_and_the_hash() {
    let head = "Quinn Inspector (QI) | PRE_QC PASS | 2025-03-04T05:06:07Z";
    let seal =
        |tail: &str| signature_seal(&format!("{head} | {tail}")).map(|(v, h)| (v, h.to_string()));
    assert_eq!(seal("sha256:ab12"), Some((1, "ab12".into())));
    assert_eq!(seal("v2 sha256:ab12"), Some((2, "ab12".into())));
    assert_eq!(seal("v17 sha256:ab12"), Some((17, "ab12".into())));
    for bad in [
        "v sha256:ab",
        "v02 sha256:ab",
        "v1 sha256:ab",
        "vx sha256:ab",
        "v2 md5:ab",
        "v2sha256:ab",
        "md5:ab",
        "",
    ] {
        assert_eq!(seal(bad), None, "{bad:?}");
    }
    assert_eq!(signature_seal("sha256:ab12"), None, "not a signature text");
    assert_eq!(signature_seal(""), None);
}

#[test]
fn verification_follows_the_format_the_text_names() {
    let c = content();
    let head = "Quinn Inspector (QI) | PRE_QC FAIL | 2025-03-04T05:06:07Z";
    let v1 = format!("{head} | sha256:{HASH_V1}");
    assert!(signature_matches(&v1, &c), "a format 1 text still verifies");
    assert!(!signature_matches(
        &format!("{head} | sha256:{HASH_V2}"),
        &c
    ));
    assert!(!signature_matches(
        &format!("{head} | v2 sha256:{HASH_V1}"),
        &c
    ));
    assert!(
        !signature_matches(&format!("{head} | v3 sha256:{HASH_V2}"), &c),
        "an unknown format does not verify"
    );
    assert!(
        !signature_matches(&format!("{head} | v1 sha256:{HASH_V1}"), &c),
        "format 1 is the one without a marker"
    );
    assert!(!signature_matches("", &c));

    // The wording is covered from format 2 on; format 1 never covered it.
    let mut reworded = c.clone();
    reworded.items[2].text = "Drawing on file".into();
    let v2 = signature_text("Quinn Inspector", "QI", "PRE_QC FAIL", &c);
    assert!(!signature_matches(&v2, &reworded));
    assert!(signature_matches(&v1, &reworded));
}

#[test]
fn any_changed_answer_changes_the_hash() {
    for format in [SignatureFormat::V1, SignatureFormat::V2] {
        let original = content_hash(&content(), format);
        let mut c = content();
        c.items[1].result_value = Some("NO".into());
        assert_ne!(content_hash(&c, format), original);
        let mut c = content();
        c.items[2].notes = None;
        assert_ne!(content_hash(&c, format), original);
        let mut c = content();
        c.items[0].is_na = true;
        assert_ne!(content_hash(&c, format), original);
        let mut c = content();
        c.items[0].basin_index = Some(3);
        assert_ne!(content_hash(&c, format), original);
        let mut c = content();
        c.job_id = "J-8".into();
        assert_ne!(content_hash(&c, format), original);
        let mut c = content();
        c.items.reverse();
        assert_eq!(
            content_hash(&c, format),
            original,
            "the order given does not matter"
        );
    }
    let original = content_hash(&content(), SignatureFormat::V2);
    let mut c = content();
    c.items[0].code = "PQC-09".into();
    assert_ne!(content_hash(&c, SignatureFormat::V2), original);
    let mut c = content();
    c.items[0].text = "Drain centred".into();
    assert_ne!(content_hash(&c, SignatureFormat::V2), original);
}

#[test]
fn job_id_and_reason() {
    assert_eq!(validate_job_id("  J-1 "), Ok("J-1".into()));
    assert_eq!(validate_job_id(" "), Err("Job ID is required".into()));
    assert!(validate_job_id(&"j".repeat(JOB_ID_MAX)).is_ok());
    assert!(validate_job_id(&"j".repeat(JOB_ID_MAX + 1)).is_err());
    assert_eq!(validate_reason(Some(" leak ")), Ok("leak".into()));
    assert_eq!(
        validate_reason(None),
        Err("A failure reason is required".into())
    );
    assert!(validate_reason(Some(&"r".repeat(REASON_MAX))).is_ok());
    assert!(validate_reason(Some(&"r".repeat(REASON_MAX + 1))).is_err());
    assert_eq!(
        validate_job_id("J-1\u{1b}[2J"),
        Err("Job ID: contains the control character U+001B; remove it".into())
    );
    assert_eq!(
        validate_reason(Some("leak\u{202E}")),
        Err("Failure reason: contains the direction-changing character U+202E; remove it".into())
    );
}

#[test]
fn answer_text_refuses_forbidden_characters() {
    let t = def("T", CheckType::Text, json!({}));
    assert_eq!(judge(&t, &said("fine")), Judgement::Conforming);
    assert_eq!(
        invalid(judge(&t, &said("bad\u{200B}"))),
        "Answer: contains the zero-width character U+200B; remove it"
    );
    assert_eq!(
        invalid(judge(&t, &said("one\ntwo"))),
        "Answer: contains a line break (U+000A); this field takes one line"
    );
    // Notes take lines, but nothing a terminal would act on.
    assert_eq!(
        judge(&t, &noted("fine", "line one\nline two")),
        Judgement::Conforming
    );
    assert_eq!(
        invalid(judge(&t, &noted("fine", "x\u{1b}]0;t\u{7}"))),
        "Note: contains the control character U+001B; remove it"
    );
}
