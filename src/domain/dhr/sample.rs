//! A complete record of an invented build, for the exports' tests and the rendering benchmark: two
//! rounds (a Final QC failure with its rework, then a pass), a failed testing form and an override.

use super::*;
use chrono::NaiveDate;

fn t(h: u32, m: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 3, 4)
        .and_then(|d| d.and_hms_opt(h, m, 0))
        .unwrap_or_default()
}

fn qc(number: usize, qc_type: &str, status: &str, at: NaiveDateTime) -> QcEntry {
    QcEntry {
        number,
        qc_type: qc_type.into(),
        checklist: format!("{qc_type} checklist v1"),
        status: status.into(),
        performed_by: "Quinn Inspector".into(),
        at: Some(at),
        job_id: Some("JOB-1".into()),
        notes: (status == "FAIL").then(|| "Scratch on the backsplash".into()),
        manifestation: format!(
            "Quinn Inspector (QI) | {qc_type} {status} | {} | v2 sha256:{}",
            utc_text(at),
            "ab".repeat(32)
        ),
        verified: true,
    }
}

fn line(line: usize, name: &str, measurement: &str, limits: Option<&str>, j: &str) -> TestLine {
    TestLine {
        line,
        name: name.into(),
        test_type: "FUNCTIONAL".into(),
        measurement: Some(measurement.into()),
        limits: limits.map(str::to_string),
        judgement: j.into(),
        notes: None,
    }
}

/// The record; `released` adds the Final QC PASS and the shipment.
pub fn record(released: bool) -> DeviceHistoryRecord {
    let mut qc_results = vec![
        qc(1, "PRE_QC", "PASS", t(9, 0)),
        qc(2, "FINAL_QC", "FAIL", t(13, 0)),
    ];
    if released {
        qc_results.push(qc(3, "FINAL_QC", "PASS", t(16, 0)));
    }
    let signatures = qc_results
        .iter()
        .map(|q| SignatureEntry {
            record: format!("QC result {}", q.number),
            meaning: format!("{} {}", q.qc_type, q.status),
            printed_name: q.performed_by.clone(),
            signed_at: q.at,
            manifestation: q.manifestation.clone(),
            verified: true,
            problem: None,
        })
        .collect();
    let testing_forms = vec![
        TestingFormEntry {
            number: 1,
            status: "FAIL".into(),
            performed_by: "Luis Ortega".into(),
            at: Some(t(11, 0)),
            notes: None,
            lines: vec![
                line(
                    1,
                    "EOL-01 Water temperature",
                    "52.0 degC",
                    Some("38 .. 43 degC"),
                    "FAIL",
                ),
                line(
                    2,
                    "EOL-30 Control box serial number",
                    "CB-1001",
                    None,
                    "PASS",
                ),
            ],
        },
        TestingFormEntry {
            number: 2,
            status: "PASS".into(),
            performed_by: "Luis Ortega".into(),
            at: Some(t(11, 30)),
            notes: None,
            lines: vec![
                line(
                    1,
                    "EOL-01 Water temperature",
                    "41.5 degC",
                    Some("38 .. 43 degC"),
                    "PASS",
                ),
                line(
                    2,
                    "EOL-30 Control box serial number",
                    "CB-1001",
                    None,
                    "PASS",
                ),
            ],
        },
    ];
    let version = |v: i32, status: &str, approved: Option<NaiveDateTime>| BomVersionSummary {
        version: v,
        status: status.into(),
        generated_at: Some(t(8, v as u32)),
        generated_by: "Pat Coordinator".into(),
        approved_by: approved.map(|_| "Pia Procurement".into()),
        approved_at: approved,
    };
    let approved = version(1, "APPROVED", Some(t(8, 30)));
    DeviceHistoryRecord {
        format_version: FORMAT_VERSION,
        exported_at: t(17, 0),
        identification: Identification {
            po_number: "PO-1001".into(),
            build_number: "B-1".into(),
            customer_name: "Mercy General Hospital".into(),
            project_name: Some("East wing".into()),
            sink_family: "MDRD".into(),
            sink_model: "T2-B1".into(),
            quantity: 1,
            status: if released {
                "SHIPPED"
            } else {
                "READY_FOR_PRODUCTION"
            }
            .into(),
            created_at: t(7, 0),
            serial_numbers: serial_numbers(&testing_forms),
        },
        configuration: Configuration {
            current: serde_json::json!({"buildNumber": "B-1", "sinkModel": "T2-B1", "sinkLength": 60}),
            changes: vec![ConfigChange {
                at: t(7, 30),
                by: "Pat Coordinator".into(),
                table: "ProductionOrder".into(),
                field: "sinkLength".into(),
                old: Some("48".into()),
                new: Some("60".into()),
            }],
        },
        bom: BomSection {
            current: Some(BomVersionDetail {
                version: approved.clone(),
                top_level_lines: vec![BomLine {
                    item_id: "T2-BODY-48-60-HA".into(),
                    name: "SINK BODY".into(),
                    item_type: "ASSEMBLY".into(),
                    quantity: "1".into(),
                }],
                item_count: 3,
                total_items: 2,
                total_pieces: "5".into(),
            }),
            production_approved: Some(approved.clone()),
            versions: vec![approved],
        },
        status_moves: vec![StatusMove {
            at: t(7, 0),
            by: "Pat Coordinator".into(),
            action: "ORDER_CREATED".into(),
            from: None,
            to: "ORDER_CREATED".into(),
            station: Some("station-1".into()),
            note: None,
        }],
        assignments: vec![Assignment {
            at: t(10, 0),
            by: "Pat Coordinator".into(),
            action: "ASSIGNED".into(),
            status: "READY_FOR_PRODUCTION".into(),
            note: Some("to Luis Ortega".into()),
        }],
        qc_results,
        tasks: vec![
            TaskEntry {
                number: 1,
                list: "PRODUCTION".into(),
                description: "Mount the legs".into(),
                instruction: Some("Legs (version 1)".into()),
                completed: true,
                completed_by: Some("Luis Ortega".into()),
                completed_at: Some(t(10, 30)),
                notes: None,
                na_reason: None,
                rework: false,
                reopened: 0,
            },
            TaskEntry {
                number: 2,
                list: "PRODUCTION".into(),
                description: "Rework after Final QC failure: Scratch on the backsplash".into(),
                instruction: None,
                completed: released,
                completed_by: released.then(|| "Luis Ortega".into()),
                completed_at: released.then(|| t(14, 0)),
                notes: None,
                na_reason: None,
                rework: true,
                reopened: 0,
            },
        ],
        testing_forms,
        packaging: vec![PackagingEntry {
            number: 1,
            performed_by: "Luis Ortega".into(),
            completed: true,
            completed_at: Some(t(12, 0)),
            notes: None,
            items: vec![PackLine {
                item_id: "T2-STD-MANUAL-EN-KIT".into(),
                required: 1,
                packed: 1,
                complete: true,
                notes: None,
            }],
        }],
        shipping: released.then(|| {
            Shipping::from_notes(
                t(16, 30),
                "Pat Coordinator".into(),
                Some("Tracking: 1Z999; Dock 4"),
            )
        }),
        nonconformances: Vec::new(),
        overrides: vec![OverrideEntry {
            at: t(12, 30),
            by: "Ada Admin".into(),
            from: Some("TESTING_COMPLETE".into()),
            to: Some("READY_FOR_FINAL_QC".into()),
            reason: "Packaging counted by hand".into(),
        }],
        documents: vec![DocumentEntry {
            original_name: "drawing.pdf".into(),
            document_type: "DRAWING".into(),
            content_type: "application/pdf".into(),
            size: 1234,
            uploaded_by: "Pat Coordinator".into(),
            uploaded_at: Some(t(7, 0)),
            sha256: Some("cd".repeat(32)),
        }],
        signatures,
        audit_chain_head: Some(ChainHeadEntry {
            position: 4711,
            link: "ef".repeat(32),
            sealed_at: t(17, 0),
        }),
    }
}
