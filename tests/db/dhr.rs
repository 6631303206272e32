//! The device history record (docs/dhr.md) of builds taken along the floor by the services: every event
//! once and in order, signatures that verify, the release, and the files and their text.

use crate::export::scratch;
use crate::floor::{Floor, conforming_testing, example_build};
use cleanstation::domain::Role;
use cleanstation::domain::dhr::{NOT_RELEASED, Section};
use cleanstation::domain::floor::TestingStatus;
use cleanstation::domain::nonconformance::Disposition;
use cleanstation::domain::qc::QcOutcome;
use cleanstation::error::ServiceError;
use cleanstation::export::dhr::json::sha256_of;
use cleanstation::msg::{Reply, Request};
use cleanstation::service::testing;
use serde_json::Value;
use std::path::{Path, PathBuf};
use uuid::Uuid;

impl Floor {
    async fn export_dhr(
        &self,
        role: Role,
        id: Uuid,
        dir: &Path,
    ) -> Result<Vec<PathBuf>, ServiceError> {
        self.send(Request::ExportDhr {
            token: self.token(role),
            order_id: id,
            dir: dir.display().to_string(),
        })
        .await
        .map(|r| match r {
            Reply::Exported(paths) => paths,
            other => panic!("unexpected reply {other:?}"),
        })
    }

    /// A testing form with one measurement beyond its maximum: submitted, and FAIL.
    async fn fail_testing(&self, id: Uuid) {
        let form = self.testing_form(id).await;
        let mut answers = conforming_testing(&form);
        let (i, max) = form
            .lines
            .iter()
            .enumerate()
            .find_map(|(i, l)| form.items[l.item].def.max.map(|m| (i, m)))
            .expect("a measurement with a maximum");
        answers[i].answer.value = Some((max + rust_decimal::Decimal::from(100)).to_string());
        let done = testing::submit_testing(
            &self.ctx,
            &self.token(Role::Assembler),
            id,
            answers,
            cleanstation::service::seed::DEMO_PASSWORD.into(),
        )
        .await
        .expect("submit testing");
        assert_eq!(done.status, TestingStatus::Fail);
    }
}

fn read_json(paths: &[PathBuf]) -> Value {
    let json = paths
        .iter()
        .find(|p| p.extension().is_some_and(|e| e == "json"))
        .expect("a JSON file");
    serde_json::from_str(&std::fs::read_to_string(json).expect("read")).expect("JSON")
}

/// The PDF's text as poppler's `pdftotext` extracts it, pages separated by form feeds.
fn pdf_text(paths: &[PathBuf]) -> String {
    let pdf = paths
        .iter()
        .find(|p| p.extension().is_some_and(|e| e == "pdf"))
        .expect("a PDF file");
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

fn strings(v: &Value, key: &str) -> Vec<String> {
    v.as_array()
        .expect("an array")
        .iter()
        .map(|e| e[key].as_str().unwrap_or("-").to_string())
        .collect()
}

fn squeezed(text: &str) -> String {
    text.split_whitespace().collect()
}

#[tokio::test]
async fn a_build_through_a_failed_final_qc_rework_and_shipping_has_each_event_once_in_order() {
    let f = Floor::new().await;
    let id = f
        .build_in_production("PO-DHR-1", example_build("DHR-1"))
        .await;
    // Round 1: a failed testing form, then a passing one, packaging and a failed Final QC.
    // The failed form raises a nonconformance, dispositioned as rework: the form is done again (the
    // round's tasks are locked once a form is submitted, so no task is added).
    f.work_all_tasks(id).await;
    f.fail_testing(id).await;
    f.disposition_open(id, Disposition::Rework).await;
    f.finish_round(id).await;
    f.final_qc(id, QcOutcome::Fail, Some("Scratch on the backsplash"))
        .await;
    // The failed Final QC's nonconformance, dispositioned as rework: the task T9 appended.
    f.disposition_open(id, Disposition::Rework).await;
    // Round 2: the rework task, everything again, a passed Final QC, shipped.
    f.work_all_tasks(id).await;
    f.finish_round(id).await;
    f.final_qc(id, QcOutcome::Pass, None).await;
    f.ship(id).await;

    let dir = scratch("dhr-lifecycle");
    let paths = f
        .export_dhr(Role::Assembler, id, &dir)
        .await
        .expect("exported");
    assert_eq!(paths.len(), 2, "{paths:?}");
    let names: Vec<String> = paths
        .iter()
        .map(|p| p.file_name().expect("name").to_string_lossy().into_owned())
        .collect();
    assert!(names[0].starts_with("PO-DHR-1_DHR-1_DHR_") && names[0].ends_with("Z.pdf"));
    assert_eq!(names[1], names[0].replace(".pdf", ".json"));
    // Nothing else was left in the directory (the temporary files were renamed).
    assert_eq!(std::fs::read_dir(&dir).expect("dir").count(), 2);

    let j = read_json(&paths);
    assert_eq!(j["released"], true);
    assert_eq!(j["identification"]["status"], "SHIPPED");

    // Every status move once, in the order made.
    let moves: Vec<String> = j["statusMoves"]
        .as_array()
        .expect("moves")
        .iter()
        .map(|m| {
            format!(
                "{}>{}",
                m["from"].as_str().unwrap_or("-"),
                m["to"].as_str().unwrap_or("-")
            )
        })
        .collect();
    let expected_moves = [
        "->ORDER_CREATED",
        // The BOM's approval is a history row of its own.
        "ORDER_CREATED>ORDER_CREATED",
        "ORDER_CREATED>PARTS_SENT",
        "PARTS_SENT>READY_FOR_PRE_QC",
        "READY_FOR_PRE_QC>READY_FOR_PRODUCTION",
        "READY_FOR_PRODUCTION>TESTING_COMPLETE",
        "TESTING_COMPLETE>PACKAGING_COMPLETE",
        "PACKAGING_COMPLETE>READY_FOR_FINAL_QC",
        "READY_FOR_FINAL_QC>READY_FOR_PRODUCTION",
        "READY_FOR_PRODUCTION>TESTING_COMPLETE",
        "TESTING_COMPLETE>PACKAGING_COMPLETE",
        "PACKAGING_COMPLETE>READY_FOR_FINAL_QC",
        "READY_FOR_FINAL_QC>READY_FOR_SHIP",
        "READY_FOR_SHIP>SHIPPED",
    ];
    assert_eq!(moves, expected_moves);
    assert_eq!(j["statusMoves"][1]["action"], "BOM_APPROVED");
    let history = f
        .scalar_i64(
            r#"SELECT count(*) FROM "OrderStatusHistory" WHERE "orderId" = $1"#,
            id,
        )
        .await;
    let assignments = j["assignments"].as_array().expect("assignments").len() as i64;
    assert_eq!(
        moves.len() as i64 + assignments,
        history,
        "every history row once"
    );
    assert!(
        j["statusMoves"]
            .as_array()
            .expect("moves")
            .iter()
            .all(|m| m["station"] == "station:test"),
        "the station of each move"
    );

    // QC results and their signatures, in order, each verifying.
    assert_eq!(strings(&j["qcResults"], "status"), ["PASS", "FAIL", "PASS"]);
    // The failed result names its rejection reasons (docs/rejection-reasons.md §3.1).
    assert_eq!(
        j["qcResults"][1]["notes"],
        "[FINISH] Scratch on the backsplash"
    );
    // Every gate's signature is listed; the QC results' three in order, each naming its result.
    let qc_signatures: Vec<(String, String)> = j["signatures"]
        .as_array()
        .expect("signatures")
        .iter()
        .filter(|s| {
            s["record"]
                .as_str()
                .is_some_and(|r| r.starts_with("QC result "))
        })
        .map(|s| {
            (
                s["record"].as_str().unwrap_or("").to_string(),
                s["meaning"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        qc_signatures,
        [
            ("QC result 1".to_string(), "PRE_QC PASS".to_string()),
            ("QC result 2".to_string(), "FINAL_QC FAIL".to_string()),
            ("QC result 3".to_string(), "FINAL_QC PASS".to_string()),
        ]
    );
    let stored = f
        .scalar_i64(
            r#"SELECT count(*) FROM "ElectronicSignature" WHERE "orderId" = $1"#,
            id,
        )
        .await;
    assert_eq!(
        j["signatures"].as_array().expect("signatures").len() as i64,
        stored,
        "every stored signature once"
    );
    let mut meanings: Vec<String> = Vec::new();
    for s in j["signatures"].as_array().expect("signatures") {
        assert_eq!(s["verified"], true, "{s}");
        let m = s["manifestation"].as_str().expect("text");
        assert!(m.contains("sha256:"), "{m}");
        meanings.push(s["meaning"].as_str().unwrap_or("").to_string());
    }
    // A signature at every gate, in the order signed.
    assert_eq!(
        meanings,
        [
            "APPROVED",
            "PRE_QC PASS",
            "TESTED",
            "DISPOSITIONED",
            "TESTED",
            "VERIFIED",
            "FINAL_QC FAIL",
            "DISPOSITIONED",
            "TESTED",
            "VERIFIED",
            "FINAL_QC PASS",
            "SHIPPED",
        ]
    );

    // Testing forms, the failed one too, with its failing line and limits.
    assert_eq!(
        strings(&j["testingForms"], "status"),
        ["FAIL", "PASS", "PASS"]
    );
    let failed_lines: Vec<&Value> = j["testingForms"][0]["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .filter(|l| l["judgement"] == "FAIL")
        .collect();
    assert_eq!(failed_lines.len(), 1, "{failed_lines:?}");
    assert!(failed_lines[0]["limits"].is_string(), "{}", failed_lines[0]);

    // The rework task once; two packaging checklists; the shipment.
    let rework: Vec<&Value> = j["tasks"]
        .as_array()
        .expect("tasks")
        .iter()
        .filter(|t| t["rework"] == true)
        .collect();
    assert_eq!(rework.len(), 1);
    assert_eq!(
        rework[0]["description"],
        "Rework after Final QC failure: [FINISH] Scratch on the backsplash"
    );
    assert_eq!(j["packaging"].as_array().expect("packaging").len(), 2);
    assert_eq!(j["shipping"]["tracking"], "1Z999AA10123456784");
    assert_eq!(j["shipping"]["note"], "Dock 4");
    // Both nonconformances, oldest first, each dispositioned as rework by the inspector.
    let ncs = j["nonconformances"].as_array().expect("nonconformances");
    assert_eq!(ncs.len(), 2, "{ncs:?}");
    assert_eq!(ncs[0]["source"], "Testing");
    assert_eq!(ncs[1]["description"], "[FINISH] Scratch on the backsplash");
    for nc in ncs {
        assert_eq!(nc["disposition"], "REWORK", "{nc}");
        assert!(nc["dispositionedBy"].is_string(), "{nc}");
    }
    // The failed testing line is the testing NC's item.
    assert!(!ncs[0]["items"].as_array().expect("items").is_empty());
    assert!(j["auditChainHead"]["position"].as_i64().expect("position") > 0);
    assert!(j["bom"]["productionApproved"]["approvedBy"].is_string());

    // The exceptions name the failed form, its line, the failed Final QC and the rework.
    let refs = strings(&j["exceptions"], "reference");
    assert!(
        refs.contains(&"\u{a7}6 QC result 2".to_string()),
        "{refs:?}"
    );
    assert!(
        refs.contains(&"\u{a7}8 Testing form 1".to_string()),
        "{refs:?}"
    );
    assert!(
        refs.iter()
            .any(|r| r.starts_with("\u{a7}8 Testing form 1, line ")),
        "{refs:?}"
    );
    assert!(
        refs.iter().any(|r| r.starts_with("\u{a7}7 Task ")),
        "{refs:?}"
    );

    // The hash covers everything else.
    let mut rest = j.clone();
    let hash = rest
        .as_object_mut()
        .and_then(|m| m.remove("contentSha256"))
        .expect("contentSha256");
    assert_eq!(hash, Value::String(sha256_of(&rest)));

    // The PDF: every section, every manifestation, the hash, and no NOT RELEASED line.
    let text = pdf_text(&paths);
    for s in Section::ALL {
        assert!(text.contains(&s.heading()), "{}", s.heading());
    }
    let flat = squeezed(&text);
    for m in strings(&j["signatures"], "manifestation") {
        assert!(flat.contains(&squeezed(&m)), "{m}");
    }
    assert!(flat.contains(hash.as_str().expect("hash")));
    assert!(!text.contains("NOT RELEASED"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_record_before_release_says_so_on_every_page_and_refuses_the_service_department() {
    let f = Floor::new().await;
    let id = f
        .build_in_production("PO-DHR-2", example_build("DHR-2"))
        .await;
    let dir = scratch("dhr-open");
    let paths = f
        .export_dhr(Role::ProductionCoordinator, id, &dir)
        .await
        .expect("exported");
    let j = read_json(&paths);
    assert_eq!(j["released"], false);
    let text = pdf_text(&paths);
    let pages: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert!(pages.len() > 1, "{}", pages.len());
    for (i, p) in pages.iter().enumerate() {
        assert!(p.contains(NOT_RELEASED), "page {}:\n{p}", i + 1);
        assert!(
            p.contains(&format!("Page {} of {}", i + 1, pages.len())),
            "page {}",
            i + 1
        );
    }

    assert_eq!(
        j["exceptions"],
        Value::Array(Vec::new()),
        "{}",
        j["exceptions"]
    );
    // The Pre-QC's signature, after the BOM approval's.
    let pre_qc = j["signatures"]
        .as_array()
        .expect("signatures")
        .iter()
        .position(|s| s["meaning"] == "PRE_QC PASS")
        .expect("the Pre-QC signature");
    assert_eq!(j["signatures"][pre_qc]["verified"], true);

    // An answer of the signed Pre-QC changed behind the application's back: the signature no longer
    // verifies, and the record says so first.
    crate::qc_signatures::behind_the_back(
        &f,
        "QCItemResult",
        r#"UPDATE "QCItemResult" SET "notes" = 'edited'
            WHERE id = (SELECT min(i.id::text)::uuid FROM "QCItemResult" i
                          JOIN "QCResult" r ON r.id = i."qcResultId" WHERE r."orderId" = $1)"#,
        &[&id],
    )
    .await;
    let j = read_json(
        &f.export_dhr(Role::Assembler, id, &dir)
            .await
            .expect("exported"),
    );
    assert_eq!(j["signatures"][pre_qc]["verified"], false);
    assert_eq!(j["qcResults"][0]["verified"], false);
    let refs = strings(&j["exceptions"], "reference");
    assert_eq!(
        refs,
        [format!("\u{a7}14 Signature {}", pre_qc + 1)],
        "{}",
        j["exceptions"]
    );

    let refused = f
        .export_dhr(Role::ServiceDepartment, id, &dir)
        .await
        .expect_err("refused");
    assert!(
        refused
            .user_message()
            .contains("cannot view production orders"),
        "{refused:?}"
    );
    let missing = f
        .export_dhr(Role::Assembler, id, &dir.join("no-such-dir"))
        .await
        .expect_err("refused");
    assert!(
        missing.user_message().contains("does not exist"),
        "{missing:?}"
    );
    let unknown = f
        .export_dhr(Role::Assembler, Uuid::new_v4(), &dir)
        .await
        .expect_err("unknown build");
    assert!(matches!(unknown, ServiceError::NotFound(_)), "{unknown:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Times, hashes and the chain position change from run to run; everything else is fixed.
fn normalised(v: &mut Value) {
    match v {
        Value::String(s) => {
            let b = s.as_bytes();
            if s.len() == 20 && b.get(10) == Some(&b'T') && s.ends_with('Z') {
                *s = "<utc time>".into();
            } else if s.len() == 64 && s.chars().all(|c| c.is_ascii_hexdigit()) {
                *s = "<sha256>".into();
            } else if s.contains(" | sha256:") {
                // A signature's manifestation: name and meaning stay, its time and hash do not.
                let parts: Vec<&str> = s.split(" | ").collect();
                if let [name, meaning, ..] = parts.as_slice() {
                    *s = format!("{name} | {meaning} | <utc time> | sha256:<sha256>");
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(normalised),
        Value::Object(m) => {
            if let Some(p) = m.get_mut("position") {
                *p = Value::from(0);
            }
            m.values_mut().for_each(normalised);
        }
        _ => {}
    }
}

#[tokio::test]
async fn the_json_of_a_fixed_build_matches_its_golden() {
    let f = Floor::new().await;
    let id = f.build_at_pre_qc("PO-DHR-G", example_build("DHR-G")).await;
    let dir = scratch("dhr-golden");
    let paths = f
        .export_dhr(Role::QcPerson, id, &dir)
        .await
        .expect("exported");
    let mut j = read_json(&paths);
    normalised(&mut j);
    insta::assert_snapshot!(
        "dhr_json_ready_for_pre_qc",
        serde_json::to_string_pretty(&j).expect("json")
    );
    let _ = std::fs::remove_dir_all(&dir);
}
