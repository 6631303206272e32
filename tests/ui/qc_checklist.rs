//! Golden renders of the QC checklist and the QC history at 100x30, into `screens/qc_checklist/` and
//! `screens/qc_history/`.
//!
//! The form is built from the shipped "Final Quality Check" template for a T2-B2 build (E_SINK + E_DRAIN,
//! pegboard, casters, height-adjustable legs, one faucet): its items become `QcItemDef`s the way the
//! database layer makes them, and the applicable lines come from the template's own conditions, so the
//! goldens show the real wording. The screens are reached the way an inspector reaches them: a
//! notification opens the build, `c` opens the checklist and `h` the history.
use crate::harness::{
    Driver, at, floor_order_detail, item_def, notification_about_build,
    open_build_via_notification, t2_b2_build, template_items,
};
use cleanstation::domain::Role;
use cleanstation::domain::applies_when::{BasinFacts, SinkFacts, eval};
use cleanstation::domain::checklist::FormType;
use cleanstation::domain::order::{BuildConfig, OrderStatus};
use cleanstation::domain::order_view::OrderDetail;
use cleanstation::domain::qc::{
    Answer, FormLine, LineAnswer, PreviousNote, QcForm, QcHeader, QcItemDef, QcPrevious,
    QcResultDetail, QcResultStatus, QcResultSummary,
};
use cleanstation::domain::rejection_reason::{RejectionReason, Severity};
use cleanstation::error::ServiceError;
use cleanstation::msg::{Reply, Request};
use cleanstation::screens::ActiveScreen;
use cleanstation::theme::Theme;
use crossterm::event::KeyCode;
use serde_json::json;
use uuid::Uuid;

const W: u16 = 100;
const H: u16 = 30;
const ORDER: Uuid = Uuid::from_u128(0x0001_0004);

fn snap(screen: &str, state: &str, description: &str, text: &str) {
    crate::harness::snap_in!(screen, state, description, text);
}

fn build() -> BuildConfig {
    t2_b2_build(json!({
        "buildNumber": "24-0126",
        "hasPegboard": true, "pegboardColor": "BLUE", "pegboardType": "SOLID", "pegboardSizeType": "SAME_AS_SINK"
    }))
}

fn facts() -> SinkFacts {
    let basin = |index, t: &str, light| BasinFacts {
        index,
        basin_type: t.into(),
        light,
        p_trap: light,
        custom: false,
    };
    SinkFacts {
        model: "T2-B2".into(),
        basins: vec![basin(1, "E_SINK", true), basin(2, "E_DRAIN", false)],
        length: 72,
        width: 30,
        legs: "HEIGHT_ADJUSTABLE".into(),
        legs_model: "DL27".into(),
        feet: "LOCK_LEVELING_CASTERS".into(),
        pegboard: true,
        pegboard_type: Some("SOLID".into()),
        language: "EN".into(),
        faucet_types: vec!["WRIST_BLADE_SWING_SPOUT".into()],
        faucets: 1,
        sprayer_types: Vec::new(),
        sprayers: 0,
    }
}

/// The Final QC items and the lines that apply to the T2-B2 build, in display order. The template has no
/// measurement, so one from the End-of-Line test (basin water temperature) is added at the end to show
/// how measured values read.
fn items_and_lines() -> (Vec<QcItemDef>, Vec<FormLine>) {
    let mut source = template_items("FINAL_QC");
    source.sort_by_key(|i| i.sequence);
    let extra = template_items("EOL_TEST")
        .into_iter()
        .find(|i| i.code == "EOL-21")
        .expect("EOL-21 ships");
    source.push(extra);
    let f = facts();
    let mut items = Vec::new();
    let mut lines = Vec::new();
    for (n, it) in source.iter().enumerate() {
        let index = items.len();
        let holds =
            |basin: Option<&BasinFacts>| it.condition.as_ref().is_none_or(|c| eval(c, &f, basin));
        if it.basin_specific {
            for b in &f.basins {
                if holds(Some(b)) {
                    lines.push(FormLine {
                        item: index,
                        basin_index: Some(i32::try_from(b.index).expect("small")),
                    });
                }
            }
        } else if holds(None) {
            lines.push(FormLine {
                item: index,
                basin_index: None,
            });
        }
        let mut d = item_def(n as u128, it);
        if it.code == "EOL-21" {
            d.sequence = 10_000;
        }
        items.push(d);
    }
    (items, lines)
}

fn header() -> QcHeader {
    QcHeader {
        order_id: ORDER,
        po_number: "4500023".into(),
        build_number: "24-0126".into(),
        customer_name: "Lakeview Surgical Center".into(),
        sink_model: "T2-B2".into(),
        number_of_basins: 2,
        qc_type: FormType::FinalQc,
        first_pass: Some(true),
        template_id: Uuid::from_u128(0xA000),
        template_name: "Final Quality Check".into(),
        template_version: 1,
    }
}

pub(crate) fn form(answers: Vec<LineAnswer>, job_id: &str, by_other: Option<&str>) -> QcForm {
    let (items, lines) = items_and_lines();
    QcForm {
        header: header(),
        items,
        lines,
        draft_id: (!answers.is_empty()).then_some(Uuid::from_u128(0xD000)),
        job_id: job_id.into(),
        answers,
        draft_by_other: by_other.map(str::to_string),
        previous: None,
        rejection_reasons: rejection_reasons(),
    }
}

/// The seeded rejection reasons (migration V29), active.
pub(crate) fn rejection_reasons() -> Vec<RejectionReason> {
    [
        (
            "WELD",
            "Weld defect or heat discoloration",
            Severity::Major,
            true,
        ),
        (
            "FINISH",
            "Surface finish: scratch, dent or residue",
            Severity::Minor,
            true,
        ),
        (
            "DIMENSION",
            "Dimension or position out of tolerance",
            Severity::Major,
            true,
        ),
        (
            "LEAK",
            "Leak at a drain, faucet or fitting",
            Severity::Critical,
            true,
        ),
        (
            "MISSING_PART",
            "Part missing or wrong part fitted",
            Severity::Major,
            true,
        ),
        (
            "CONFIGURATION",
            "Built configuration differs from the order",
            Severity::Major,
            true,
        ),
        (
            "ELECTRICAL",
            "Electrical fault: controls, lift or lighting",
            Severity::Critical,
            true,
        ),
        (
            "LABEL",
            "Label or documentation wrong or missing",
            Severity::Minor,
            true,
        ),
        (
            "OTHER",
            "Other, described in the note",
            Severity::Minor,
            false,
        ),
    ]
    .into_iter()
    .enumerate()
    .map(
        |(i, (code, text, severity, rework_required))| RejectionReason {
            id: Uuid::from_u128(0x7000 + i as u128),
            code: code.into(),
            text: text.into(),
            severity,
            rework_required,
            is_active: true,
            sort_order: 10 * (i as i32 + 1),
        },
    )
    .collect()
}

fn answer(items: &[QcItemDef], line: &FormLine, value: &str) -> LineAnswer {
    LineAnswer {
        item_id: items[line.item].id,
        basin_index: line.basin_index,
        answer: Answer {
            value: Some(value.into()),
            is_na: false,
            notes: None,
        },
    }
}

/// The first twelve lines answered (FQC-09 touchscreen "Packaged", the rest YES) except the basin 2
/// drain button, answered NO with a note; the measurement answered 43.5, above its range.
pub(crate) fn midway_answers() -> Vec<LineAnswer> {
    let (items, lines) = items_and_lines();
    let mut out = Vec::new();
    for line in lines.iter().take(12) {
        let item = &items[line.item];
        let mut a = match item.code.as_str() {
            "FQC-09" => answer(&items, line, "Packaged"),
            "FQC-12" => answer(&items, line, "NO"),
            _ => answer(&items, line, "YES"),
        };
        if item.code == "FQC-12" {
            a.answer.notes = Some("Drain button not fitted; part on back order".into());
        }
        out.push(a);
    }
    if let Some(line) = lines.iter().find(|l| items[l.item].code == "EOL-21") {
        out.push(answer(&items, line, "43.5"));
    }
    out
}

fn order_detail() -> OrderDetail {
    floor_order_detail(
        ORDER,
        "4500023",
        build(),
        OrderStatus::ReadyForFinalQc,
        at(12, 9, 15),
    )
}

/// A QC inspector (or `role`) opens the build from a notification.
fn at_build(role: Role) -> Driver {
    let ready = notification_about_build(
        ORDER,
        "ORDER_STATUS_CHANGE",
        "Build 24-0126 ready for Final QC",
        "Assembly and testing are complete",
        at(12, 9, 15),
    );
    open_build_via_notification(Theme::ansi(), role, vec![ready], order_detail())
}

pub(crate) fn checklist(f: QcForm) -> Driver {
    let mut d = at_build(Role::QcPerson);
    d.key(KeyCode::Char('c'));
    assert!(matches!(d.app.screen(), ActiveScreen::QcChecklist(_)));
    assert!(d.answer(
        |r| matches!(r, Request::QcForm { order_id, .. } if *order_id == ORDER),
        Ok(Reply::QcForm(Box::new(f))),
    ));
    d
}

#[test]
fn checklist_at_start() {
    let mut d = checklist(form(Vec::new(), "", None));
    snap(
        "qc_checklist",
        "start",
        "Final QC of a T2-B2 build, nothing answered yet",
        &d.render(W, H),
    );
    // The first answer goes out as a draft save of that line.
    d.key(KeyCode::Char('y'));
    let save = d
        .take(|r| matches!(r, Request::SaveQcDraft { .. }))
        .expect("y saves the draft");
    let Request::SaveQcDraft { answers, .. } = &save.kind else {
        unreachable!()
    };
    assert_eq!(answers.len(), 1);
    assert_eq!(answers[0].answer.value.as_deref(), Some("YES"));
    let text = d.render(W, H);
    assert!(text.contains("Saving…"), "{text}");
    d.reply(&save, Ok(Reply::QcDraftSaved(Uuid::from_u128(0xD000))));
    let text = d.render(W, H);
    assert!(text.contains("· Saved"), "{text}");
    d.key(KeyCode::Esc);
    assert!(matches!(d.app.screen(), ActiveScreen::OrderDetail(_)));
}

#[test]
fn checklist_midway_with_a_non_conforming_line() {
    let mut d = checklist(form(midway_answers(), "J-7781", None));
    // G jumps to the non-conforming drain button of basin 2.
    d.key(KeyCode::Char('G'));
    snap(
        "qc_checklist",
        "midway",
        "Resumed draft: twelve lines answered, basin 2's drain button non-conforming (G selects it)",
        &d.render(W, H),
    );
    d.key(KeyCode::End);
    snap(
        "qc_checklist",
        "measurement",
        "The measurement line: value with unit and its range",
        &d.render(W, H),
    );
    d.key(KeyCode::Enter);
    d.key_event(crossterm::event::KeyEvent::new(
        KeyCode::Char('u'),
        crossterm::event::KeyModifiers::CONTROL,
    ));
    d.type_str("41.5");
    snap(
        "qc_checklist",
        "value_dialog",
        "Enter on the measurement: the value dialog, judged as typed",
        &d.render(W, H),
    );
}

#[test]
fn sign_dialog() {
    let mut d = checklist(form(midway_answers(), "J-7781", None));
    d.key(KeyCode::Char('s'));
    d.type_str("x");
    d.key(KeyCode::Tab);
    d.type_str("Drain button missing on basin 2");
    d.key(KeyCode::Tab);
    d.type_str("secret");
    d.key(KeyCode::Enter);
    assert!(
        d.take(|r| matches!(r, Request::SubmitQc { .. })).is_none(),
        "a FAIL picks its reasons first"
    );
    d.key(KeyCode::Enter);
    assert!(
        d.render(W, H)
            .contains("A FAIL needs at least one rejection reason"),
        "Enter without a pick is refused on screen"
    );
    d.key(KeyCode::Down);
    d.key(KeyCode::Char(' '));
    d.key(KeyCode::Down);
    d.key(KeyCode::Down);
    d.key(KeyCode::Char(' '));
    snap(
        "qc_checklist",
        "reason_picker",
        "A FAIL's rejection reasons: FINISH and LEAK picked with Space, severity and rework shown",
        &d.render(W, H),
    );
    crate::harness::snap_sizes!(
        d,
        "qc_checklist",
        "reason_picker",
        "The reason picker at the standard sizes: the list scrolls to keep the cursor shown"
    );
    d.key(KeyCode::Enter);
    let submit = d
        .take(|r| matches!(r, Request::SubmitQc { .. }))
        .expect("Enter in the picker signs");
    let Request::SubmitQc {
        rejection_reasons, ..
    } = &submit.kind
    else {
        panic!("a submission");
    };
    assert_eq!(
        rejection_reasons,
        &vec![Uuid::from_u128(0x7001), Uuid::from_u128(0x7003)],
        "the picked reasons go with the submit"
    );
    d.reply(
        &submit,
        Err(ServiceError::Invalid(
            "Password incorrect; not signed".into(),
        )),
    );
    snap(
        "qc_checklist",
        "sign_dialog",
        "The sign dialog after a wrong password: FAIL only (items open), reason kept, password cleared",
        &d.render(W, H),
    );
}

#[test]
fn another_inspectors_draft() {
    let mut d = checklist(form(midway_answers(), "J-7781", Some("Rita Ng")));
    snap(
        "qc_checklist",
        "other_inspector",
        "Another inspector's draft: read-only",
        &d.render(W, H),
    );
    d.key(KeyCode::Char('y'));
    assert!(
        d.take(|r| matches!(r, Request::SaveQcDraft { .. }))
            .is_none()
    );
}

fn summaries() -> Vec<QcResultSummary> {
    vec![
        QcResultSummary {
            id: Uuid::from_u128(0xE002),
            qc_type: FormType::FinalQc,
            template_name: "Final Quality Check".into(),
            template_version: 1,
            status: QcResultStatus::Fail,
            performed_by: "Quentin Okafor".into(),
            at: Some(at(14, 10, 42)),
            job_id: Some("J-7781".into()),
            notes: Some("Drain button missing on basin 2".into()),
            signature: "Quentin Okafor (QO) | FINAL_QC FAIL | 2025-03-14T10:42:00Z | v2 sha256:9f2c1e0b7a4d3c6e5f8a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6a".into(),
            verified: Some(true),
        },
        QcResultSummary {
            id: Uuid::from_u128(0xE001),
            qc_type: FormType::PreQc,
            template_name: "Pre-Production Check".into(),
            template_version: 1,
            status: QcResultStatus::Pass,
            performed_by: "Quentin Okafor".into(),
            at: Some(at(5, 8, 15)),
            job_id: Some("J-7781".into()),
            notes: None,
            signature: "Quentin Okafor (QO) | PRE_QC PASS | 2025-03-05T08:15:00Z | sha256:00aa".into(),
            verified: Some(false),
        },
    ]
}

pub(crate) fn history() -> Driver {
    let mut d = at_build(Role::QcPerson);
    d.key(KeyCode::Char('h'));
    assert!(matches!(d.app.screen(), ActiveScreen::QcHistory(_)));
    assert!(d.answer(
        |r| matches!(r, Request::QcHistory { order_id, .. } if *order_id == ORDER),
        Ok(Reply::QcHistory(summaries())),
    ));
    d
}

#[test]
fn history_and_a_read_only_result() {
    let mut d = history();
    snap(
        "qc_history",
        "list",
        "A build's QC results, newest first, with the signature check",
        &d.render(W, H),
    );
    d.key(KeyCode::Enter);
    let (items, lines) = items_and_lines();
    let detail = QcResultDetail {
        summary: summaries().remove(0),
        header: header(),
        items,
        lines,
        answers: midway_answers(),
    };
    assert!(d.answer(
        |r| matches!(r, Request::QcResult { result_id, .. } if *result_id == Uuid::from_u128(0xE002)),
        Ok(Reply::QcResult(Box::new(detail))),
    ));
    d.key(KeyCode::PageDown);
    snap(
        "qc_history",
        "result",
        "The FAIL Final QC result, read-only, with its reason and signature",
        &d.render(W, H),
    );
    d.key(KeyCode::Esc);
    assert!(matches!(d.app.screen(), ActiveScreen::QcHistory(_)));
    d.key(KeyCode::Esc);
    assert!(matches!(d.app.screen(), ActiveScreen::OrderDetail(_)));
}

#[test]
fn certificate_of_a_passed_final_qc() {
    let mut d = at_build(Role::QcPerson);
    d.key(KeyCode::Char('h'));
    let mut list = summaries();
    list[0].status = QcResultStatus::Pass;
    list[0].notes = None;
    assert!(d.answer(
        |r| matches!(r, Request::QcHistory { .. }),
        Ok(Reply::QcHistory(list)),
    ));
    d.key(KeyCode::Char('p'));
    d.type_str("certs");
    d.key(KeyCode::Enter);
    let req = d
        .take(|r| matches!(r, Request::QcCertificate { dir, result_id, .. } if dir == "certs" && *result_id == Uuid::from_u128(0xE002)))
        .expect("Enter asks for the certificate");
    d.reply(
        &req,
        Err(ServiceError::Invalid(
            "The directory certs does not exist".into(),
        )),
    );
    let text = d.render(W, H);
    assert!(
        text.contains("ERROR: The directory certs does not exist"),
        "{text}"
    );
    d.key(KeyCode::Enter);
    let req = d
        .take(|r| matches!(r, Request::QcCertificate { .. }))
        .expect("sent again");
    d.reply(
        &req,
        Ok(Reply::Exported(vec![
            "/srv/qc/certs/4500023_24-0126_FinalQC.pdf".into(),
        ])),
    );
    let text = d.render(W, H);
    assert!(
        text.contains("Certificate written to /srv/qc/certs/4500023_24-0126_FinalQC.pdf"),
        "{text}"
    );
    // The Pre-QC result has no certificate: p does nothing there.
    d.key(KeyCode::Down);
    d.key(KeyCode::Char('p'));
    assert!(!d.render(W, H).contains("Certificate PDF"));
}

#[test]
fn no_panic_at_any_size() {
    let mut d = checklist(form(midway_answers(), "", None));
    d.draw_every_size();
    for key in ['s', 'e', 'i'] {
        d.key(KeyCode::Char(key));
        d.draw_every_size();
        d.key(KeyCode::Esc);
    }
    d.key(KeyCode::End);
    d.key(KeyCode::Enter);
    d.draw_every_size();
    let mut h = history();
    h.draw_every_size();
}

/// The Final QC after a failed one and the rework: the failure's job id and the note it had on the basin 2
/// drain button offered again. Returns the form and the drain button's line.
fn after_rework() -> (QcForm, usize) {
    let (items, lines) = items_and_lines();
    let drain = lines
        .iter()
        .position(|l| items[l.item].code == "FQC-12")
        .expect("FQC-12 applies");
    let mut f = form(Vec::new(), "", None);
    f.header.first_pass = Some(false);
    f.previous = Some(QcPrevious {
        result_id: Uuid::from_u128(0xE002),
        performed_by: "Quentin Okafor".into(),
        at: Some(at(14, 10, 42)),
        job_id: Some("J-7781".into()),
        notes: vec![PreviousNote {
            item_id: items[lines[drain].item].id,
            basin_index: lines[drain].basin_index,
            note: "Drain button not fitted; part on back order".into(),
        }],
    });
    (f, drain)
}

#[test]
fn final_qc_after_a_rework_offers_the_job_id_and_the_failed_notes() {
    let (f, drain) = after_rework();
    let mut d = checklist(f);
    let text = d.render(W, H);
    assert!(text.contains("Job ID J-7781 (carried over)"), "{text}");
    assert!(
        text.contains("After the Final QC FAIL by Quentin Okafor: its job id and 1 item note(s)"),
        "{text}"
    );
    d.key(KeyCode::Home);
    (0..drain).for_each(|_| {
        d.key(KeyCode::Down);
    });
    for (w, h) in [(80, 24), (120, 40)] {
        snap(
            "qc_checklist",
            &format!("after_rework_{w}x{h}"),
            "Final QC after a rework: the job id carried over, the failed item's previous note beside it (✎)",
            &d.render(w, h),
        );
    }
    // n stays on the line, so e opens its notes, starting from the previous note: offered, not answered.
    d.key(KeyCode::Char('n'));
    let save = d
        .take(|r| matches!(r, Request::SaveQcDraft { .. }))
        .expect("n saves the line");
    let Request::SaveQcDraft {
        answers, job_id, ..
    } = &save.kind
    else {
        unreachable!()
    };
    assert_eq!(
        job_id, "J-7781",
        "the carried-over job id goes with the draft"
    );
    assert_eq!(
        answers[0].answer.notes, None,
        "the note is not written by itself"
    );
    d.reply(&save, Ok(Reply::QcDraftSaved(Uuid::from_u128(0xD000))));
    assert!(d.render(W, H).contains("e adds a note to this item"));
    d.key(KeyCode::Char('e'));
    for (w, h) in [(80, 24), (120, 40)] {
        snap(
            "qc_checklist",
            &format!("previous_note_{w}x{h}"),
            "e on the failed item: the notes start from the previous note, to keep, edit or clear",
            &d.render(w, h),
        );
    }
    d.key_event(crossterm::event::KeyEvent::new(
        KeyCode::Char('s'),
        crossterm::event::KeyModifiers::CONTROL,
    ));
    let save = d
        .take(|r| matches!(r, Request::SaveQcDraft { .. }))
        .expect("Ctrl-S saves the note");
    let Request::SaveQcDraft { answers, .. } = &save.kind else {
        unreachable!()
    };
    assert_eq!(answers[0].answer.value.as_deref(), Some("NO"));
    assert_eq!(
        answers[0].answer.notes.as_deref(),
        Some("Drain button not fitted; part on back order")
    );
}
