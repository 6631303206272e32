use super::*;

#[test]
fn sections_are_numbered_in_order() {
    assert_eq!(Section::Identification.number(), 1);
    assert_eq!(Section::Testing.number(), 8);
    assert_eq!(Section::AuditChain.number(), 15);
    assert_eq!(Section::Testing.heading(), "\u{a7}8 End-of-line testing");
}

#[test]
fn a_clean_record_has_no_exceptions() {
    let mut r = sample::record(true);
    r.qc_results.retain(|q| q.status == "PASS");
    r.tasks.retain(|t| !t.rework);
    r.testing_forms.retain(|f| f.status == "PASS");
    r.overrides.clear();
    assert_eq!(exceptions(&r), Vec::new());
}

#[test]
fn every_kind_of_exception_names_its_place() {
    let mut r = sample::record(true);
    r.tasks[0].reopened = 2;
    r.signatures[1].verified = false;
    r.signatures[1].problem = Some("the QC result no longer matches its signature".into());
    r.nonconformances.push(NonconformanceEntry {
        number: "NC-2026-0001".into(),
        source: "QC result 2".into(),
        description: "Scratch".into(),
        status: "OPEN".into(),
        at: r.exported_at,
        ..NonconformanceEntry::default()
    });
    let mut regenerated = r.bom.versions[0].clone();
    regenerated.version = 2;
    regenerated.status = "DRAFT".into();
    regenerated.approved_at = None;
    regenerated.generated_at = r.bom.versions[0]
        .approved_at
        .map(|a| a + chrono::Duration::minutes(5));
    r.bom.versions.push(regenerated);
    let refs: Vec<(String, String)> = exceptions(&r)
        .into_iter()
        .map(|e| (e.reference, e.text))
        .collect();
    let expected = [
        (
            "\u{a7}3 BOM version 2",
            "BOM regenerated after approval: version 2 was generated after version 1 was approved",
        ),
        (
            "\u{a7}6 QC result 2",
            "FINAL_QC FAIL: Scratch on the backsplash",
        ),
        (
            "\u{a7}7 Task 1",
            "Re-opened after completion (2 time(s)): Mount the legs",
        ),
        (
            "\u{a7}7 Task 2",
            "Rework: Rework after Final QC failure: Scratch on the backsplash",
        ),
        ("\u{a7}8 Testing form 1", "Testing form FAIL (Luis Ortega)"),
        (
            "\u{a7}8 Testing form 1, line 1",
            "EOL-01 Water temperature: FAIL, recorded 52.0 degC, limits 38 .. 43 degC",
        ),
        (
            "\u{a7}11 NC-2026-0001",
            "Nonconformance NC-2026-0001 (OPEN): Scratch",
        ),
        (
            "\u{a7}12 Override 1",
            "Administrator override TESTING_COMPLETE -> READY_FOR_FINAL_QC by Ada Admin: Packaging counted by hand",
        ),
        (
            "\u{a7}14 Signature 2",
            "Signature does not verify: Quinn Inspector FINAL_QC FAIL of QC result 2 (the QC result no longer matches its signature)",
        ),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(refs, expected);
}

#[test]
fn release_needs_the_final_qc_pass_signature() {
    assert!(sample::record(true).released());
    let mut r = sample::record(false);
    assert!(!r.released());
    // A Final QC PASS without a signature does not release.
    r.signatures.push(SignatureEntry {
        record: "QC result 3".into(),
        meaning: RELEASE.code().into(),
        printed_name: "Quinn Inspector".into(),
        signed_at: None,
        manifestation: " ".into(),
        verified: true,
        problem: None,
    });
    assert!(!r.released());
}

#[test]
fn serial_numbers_come_once_from_the_first_form_that_recorded_them() {
    let r = sample::record(true);
    assert_eq!(
        r.identification.serial_numbers,
        vec![SerialNumber {
            name: "EOL-30 Control box serial number".into(),
            value: "CB-1001".into(),
            form: 1,
        }]
    );
}

#[test]
fn shipping_notes_split_into_tracking_and_note() {
    let at = sample::record(true).exported_at;
    let s = |n: Option<&str>| {
        let s = Shipping::from_notes(at, "P".into(), n);
        (s.tracking, s.note)
    };
    assert_eq!(
        s(Some("Tracking: 1Z; Dock 4")),
        (Some("1Z".into()), Some("Dock 4".into()))
    );
    assert_eq!(s(Some("Tracking: 1Z")), (Some("1Z".into()), None));
    assert_eq!(s(Some("Dock 4")), (None, Some("Dock 4".into())));
    assert_eq!(s(None), (None, None));
}

#[test]
fn configuration_changes_list_changed_columns_and_rows() {
    let at = sample::record(true).exported_at;
    let img = |table: &str, action: &str, old, new| ConfigImage {
        at,
        by: "Pat".into(),
        table: table.into(),
        action: action.into(),
        old,
        new,
    };
    let images = vec![
        img(
            "ProductionOrder",
            "UPDATE",
            Some(
                serde_json::json!({"sinkLength": 48, "orderStatus": "ORDER_CREATED", "legsModel": "DL27"}),
            ),
            Some(
                serde_json::json!({"sinkLength": 60, "orderStatus": "PARTS_SENT", "legsModel": "DL27"}),
            ),
        ),
        img(
            "BasinConfiguration",
            "DELETE",
            Some(
                serde_json::json!({"id": "x", "orderId": "y", "basinIndex": 1, "basinType": "E_SINK"}),
            ),
            None,
        ),
        img(
            "FaucetConfiguration",
            "INSERT",
            None,
            Some(serde_json::json!({"quantity": 2})),
        ),
    ];
    let c = config_changes(&images);
    let shown: Vec<(&str, &str, Option<&str>, Option<&str>)> = c
        .iter()
        .map(|c| {
            (
                c.table.as_str(),
                c.field.as_str(),
                c.old.as_deref(),
                c.new.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        shown,
        vec![
            ("ProductionOrder", "sinkLength", Some("48"), Some("60")),
            (
                "BasinConfiguration",
                "row removed",
                Some("basinIndex=1, basinType=E_SINK"),
                None
            ),
            ("FaucetConfiguration", "row added", None, Some("quantity=2")),
        ]
    );
}
