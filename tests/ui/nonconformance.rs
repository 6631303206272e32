//! Golden renders of the nonconformance screens at 100x30, into `screens/nonconformance/`: QC's open list
//! from the home menu, one NC and its disposition signing dialog (first and second signature), and from
//! the build detail the NC lines and the raise dialog with its confirmation.
use crate::harness::{
    Driver, at, floor_order_detail, init, notification_about_build, open_build_via_notification,
    t2_b2_build, user_for,
};
use cleanstation::domain::Role;
use cleanstation::domain::nonconformance::{
    Disposition, NcDetail, NcItem, NcPage, NcSource, NcStatus, NcSummary,
};
use cleanstation::domain::order::{OrderAction, OrderStatus};
use cleanstation::domain::signature::{
    Meaning, SignatureCheck, SignatureRecord, SignedRecord, manifestation,
};
use cleanstation::msg::{Reply, Request};
use cleanstation::screens::ActiveScreen;
use cleanstation::theme::Theme;
use crossterm::event::KeyCode;
use serde_json::json;
use uuid::Uuid;

const W: u16 = 100;
const H: u16 = 30;
const ORDER: Uuid = Uuid::from_u128(0x0001_0014);

fn snap(state: &str, description: &str, text: &str) {
    crate::harness::snap_in!("nonconformance", state, description, text);
}

pub(crate) fn nc(
    n: u128,
    source: NcSource,
    status: NcStatus,
    disposition: Option<Disposition>,
) -> NcSummary {
    let (raised_at, description) = match n {
        1 => (at(11, 8, 15), "Scratch on the backsplash"),
        2 => (
            at(13, 16, 40),
            "End-of-line testing form FAIL: 1 line(s) failed (EOL-20)",
        ),
        _ => (at(14, 9, 5), "Dent in the left side panel"),
    };
    NcSummary {
        id: Uuid::from_u128(0xAC00 + n),
        number: format!("NC-2025-{n:04}"),
        order_id: ORDER,
        po_number: "4500031".into(),
        build_number: format!("24-013{n}"),
        source,
        status,
        disposition,
        awaiting_second: status == NcStatus::Open && disposition.is_some(),
        description: description.into(),
        raised_by: "Quentin Okafor".into(),
        raised_at,
    }
}

fn page() -> NcPage {
    NcPage {
        rows: vec![
            nc(1, NcSource::FinalQc, NcStatus::Open, None),
            nc(
                2,
                NcSource::Testing,
                NcStatus::Open,
                Some(Disposition::UseAsIs),
            ),
            nc(3, NcSource::Manual, NcStatus::Open, None),
        ],
        total: 3,
        page: 0,
        now: at(14, 9, 45),
    }
}

fn items() -> Vec<NcItem> {
    vec![
        NcItem {
            code: Some("FQC-07".into()),
            text: "Backsplash free of scratches and dents".into(),
            answer: Some("NO".into()),
            finding: Some("answered NO".into()),
            ..NcItem::default()
        },
        NcItem {
            code: Some("EOL-20".into()),
            text: "Basin water temperature".into(),
            basin: Some(1),
            answer: Some("44.1".into()),
            unit: Some("degC".into()),
            min: Some("36.0".into()),
            max: Some("44.0".into()),
            finding: Some("44.1 is above the maximum 44.0".into()),
        },
    ]
}

pub(crate) fn nc_detail(summary: NcSummary, signatures: Vec<SignatureCheck>) -> NcDetail {
    NcDetail {
        may_disposition: summary.status == NcStatus::Open,
        may_close: false,
        disposition_note: summary
            .disposition
            .map(|_| "Cosmetic, inside the cabinet; customer informed".into()),
        summary,
        source_id: Some(Uuid::from_u128(0xBEEF)),
        items: items(),
        dispositioned: None,
        rework_task: None,
        closed: None,
        signatures,
        notice: None,
    }
}

fn first_signature(summary: &NcSummary) -> SignatureCheck {
    let hash = "3f1c0d5e9a7b2c4d6e8f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f";
    let signed_at = at(14, 8, 50);
    SignatureCheck {
        signature: SignatureRecord {
            id: Uuid::from_u128(0x5160),
            order_id: ORDER,
            meaning: Meaning::Dispositioned,
            record: SignedRecord::Nonconformance(summary.id),
            signer_id: Uuid::from_u128(9),
            printed_name: "Wen Li".into(),
            signed_at,
            reason: None,
            content_sha256: hash.into(),
            manifestation: manifestation("Wen Li", Meaning::Dispositioned, signed_at, hash),
        },
        verified: true,
        problem: None,
    }
}

/// QC at the open-NC list, from the home menu.
pub(crate) fn at_list() -> Driver {
    let mut d = Driver::new(init(Theme::ansi()));
    d.login(user_for(Role::QcPerson));
    d.open_home_entry("Nonconformances");
    assert!(d.answer(
        |r| matches!(r, Request::OpenNonconformances { page: 0, .. }),
        Ok(Reply::Nonconformances(page())),
    ));
    d
}

#[test]
fn qc_lists_the_open_ncs_and_signs_a_disposition() {
    let mut d = at_list();
    snap(
        "open_list",
        "QC's open nonconformances, oldest first: number, build, source, age and status; the second awaits a second signature",
        &d.render(W, H),
    );
    d.draw_every_size();

    d.key(KeyCode::Enter);
    let first = nc(1, NcSource::FinalQc, NcStatus::Open, None);
    assert!(d.answer(
        |r| matches!(r, Request::Nonconformance { id, .. } if *id == first.id),
        Ok(Reply::Nonconformance(Box::new(nc_detail(
            first.clone(),
            Vec::new()
        )))),
    ));
    snap(
        "detail_open",
        "An OPEN NC from a Final QC failure: description, the non-conforming items, no disposition or signature yet",
        &d.render(W, H),
    );

    // d opens the signing dialog: disposition, note, password.
    d.key(KeyCode::Char('d'));
    d.key(KeyCode::Right);
    d.key(KeyCode::Tab);
    d.type_str("Cosmetic, inside the cabinet");
    d.key(KeyCode::Tab);
    d.type_str("secret-pass");
    snap(
        "disposition_dialog",
        "The disposition signing dialog: the signature as it will print, USE_AS_IS chosen, its note and the masked password",
        &d.render(W, H),
    );
    d.draw_every_size();
    d.key(KeyCode::Enter);
    let sent = d
        .take(|r| matches!(r, Request::DispositionNonconformance { .. }))
        .expect("Enter on the password signs");
    match &sent.kind {
        Request::DispositionNonconformance {
            id,
            disposition,
            note,
            password,
            ..
        } => {
            assert_eq!(*id, first.id);
            assert_eq!(*disposition, Disposition::UseAsIs);
            assert_eq!(note.as_deref(), Some("Cosmetic, inside the cabinet"));
            assert_eq!(password, "secret-pass");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_use_as_is_awaiting_its_second_signature_asks_only_for_the_password() {
    let mut d = at_list();
    d.key(KeyCode::Down);
    d.key(KeyCode::Enter);
    let second = nc(
        2,
        NcSource::Testing,
        NcStatus::Open,
        Some(Disposition::UseAsIs),
    );
    let sig = first_signature(&second);
    assert!(d.answer(
        |r| matches!(r, Request::Nonconformance { id, .. } if *id == second.id),
        Ok(Reply::Nonconformance(Box::new(nc_detail(
            second.clone(),
            vec![sig]
        )))),
    ));
    snap(
        "detail_awaiting_second",
        "A USE_AS_IS signed once: OPEN (awaiting second signature), the first signature verified",
        &d.render(W, H),
    );
    d.key(KeyCode::Char('d'));
    snap(
        "second_signature_dialog",
        "The second signature: the disposition and note already signed, only the password asked",
        &d.render(W, H),
    );
    // An empty password is refused on the spot and nothing is sent.
    d.key(KeyCode::Enter);
    assert!(
        d.take(|r| matches!(r, Request::DispositionNonconformance { .. }))
            .is_none()
    );
    d.type_str("other-pass");
    d.key(KeyCode::Enter);
    let sent = d
        .take(|r| matches!(r, Request::DispositionNonconformance { .. }))
        .expect("signs");
    assert!(matches!(
        sent.kind,
        Request::DispositionNonconformance {
            disposition: Disposition::UseAsIs,
            note: None,
            ..
        }
    ));
}

#[test]
fn the_build_detail_shows_its_ncs_and_n_raises_one_after_a_confirmation() {
    let mut detail = floor_order_detail(
        ORDER,
        "4500031",
        t2_b2_build(json!({"buildNumber": "24-0131"})),
        OrderStatus::ReadyForShip,
        at(14, 9, 30),
    );
    detail.nonconformances = vec![
        nc(
            1,
            NcSource::FinalQc,
            NcStatus::Dispositioned,
            Some(Disposition::Rework),
        ),
        nc(3, NcSource::Manual, NcStatus::Open, None),
    ];
    detail.actions = vec![OrderAction::Move {
        to: OrderStatus::Shipped,
    }];
    let notice = notification_about_build(
        ORDER,
        "ORDER_STATUS_CHANGE",
        "Order Status Updated",
        "Order 4500031-24-0131 status changed to READY_FOR_SHIP",
        at(14, 9, 31),
    );
    let mut d = open_build_via_notification(
        Theme::ansi(),
        Role::ProductionCoordinator,
        vec![notice],
        detail,
    );
    d.key(KeyCode::End);
    snap(
        "build_detail",
        "The build detail lists the build's NCs and says shipping waits for the OPEN one",
        &d.render(W, H),
    );

    d.key(KeyCode::Char('N'));
    assert!(matches!(d.app.screen(), ActiveScreen::NcRaise(_)));
    // Enter on an empty description: refused on the spot.
    d.key(KeyCode::Tab);
    d.key(KeyCode::Enter);
    assert!(
        d.take(|r| matches!(r, Request::RaiseNonconformance { .. }))
            .is_none()
    );
    // The refusal puts the cursor back on the description.
    d.type_str("Dent in the left side panel");
    d.key(KeyCode::Tab);
    d.type_str("Left panel dent, 2 cm; Paint chipped at the dent");
    snap(
        "raise_dialog",
        "Raising an NC by hand: the description and the items, separated by ';'",
        &d.render(W, H),
    );
    d.draw_every_size();
    d.key(KeyCode::Enter);
    assert!(
        d.take(|r| matches!(r, Request::RaiseNonconformance { .. }))
            .is_none()
    );
    snap(
        "raise_confirm",
        "The explicit confirmation before the NC is written",
        &d.render(W, H),
    );
    d.key(KeyCode::Char('y'));
    let sent = d
        .take(|r| matches!(r, Request::RaiseNonconformance { .. }))
        .expect("y raises");
    match &sent.kind {
        Request::RaiseNonconformance {
            order_id,
            description,
            items,
            ..
        } => {
            assert_eq!(*order_id, ORDER);
            assert_eq!(description, "Dent in the left side panel");
            assert_eq!(
                items,
                &vec![
                    "Left panel dent, 2 cm".to_string(),
                    "Paint chipped at the dent".to_string()
                ]
            );
        }
        other => panic!("{other:?}"),
    }
    // Written: back on the build, which loads again and lists it.
    let raised = nc(3, NcSource::Manual, NcStatus::Open, None);
    d.reply(
        &sent,
        Ok(Reply::Nonconformance(Box::new(nc_detail(
            raised,
            Vec::new(),
        )))),
    );
    assert!(matches!(d.app.screen(), ActiveScreen::OrderDetail(_)));
    assert!(
        d.take(|r| matches!(r, Request::OrderDetail { order_id, .. } if *order_id == ORDER))
            .is_some()
    );
}

#[test]
fn a_dispositioned_rework_closes_with_a_note_after_a_confirmation() {
    let mut d = at_list();
    d.key(KeyCode::Enter);
    let mut summary = nc(
        1,
        NcSource::FinalQc,
        NcStatus::Dispositioned,
        Some(Disposition::Rework),
    );
    summary.awaiting_second = false;
    let mut signature = first_signature(&summary);
    signature.signature.printed_name = "Quentin Okafor".into();
    signature.signature.manifestation = manifestation(
        "Quentin Okafor",
        Meaning::Dispositioned,
        signature.signature.signed_at,
        &signature.signature.content_sha256,
    );
    let mut record = nc_detail(summary.clone(), vec![signature]);
    record.may_close = true;
    record.disposition_note = None;
    record.dispositioned = Some(("Quentin Okafor".into(), at(14, 8, 50)));
    record.rework_task = Some(cleanstation::domain::nonconformance::ReworkTask {
        id: Uuid::from_u128(0x7A5C),
        sequence: 19,
        description: "Rework after Final QC failure: Scratch on the backsplash".into(),
        completed: true,
    });
    assert!(d.answer(
        |r| matches!(r, Request::Nonconformance { .. }),
        Ok(Reply::Nonconformance(Box::new(record))),
    ));
    snap(
        "detail_dispositioned",
        "A DISPOSITIONED REWORK: who and when, the linked rework task (complete), the verified signature; x closes",
        &d.render(W, H),
    );
    d.key(KeyCode::Char('x'));
    // An empty note is refused on the spot.
    d.key(KeyCode::Enter);
    assert!(
        d.take(|r| matches!(r, Request::CloseNonconformance { .. }))
            .is_none()
    );
    d.type_str("Reworked and re-inspected; Final QC passed");
    d.key(KeyCode::Enter);
    snap(
        "close_confirm",
        "Closing asks before the NC is closed for good",
        &d.render(W, H),
    );
    d.key(KeyCode::Char('y'));
    let sent = d
        .take(|r| matches!(r, Request::CloseNonconformance { .. }))
        .expect("y closes");
    assert!(matches!(
        &sent.kind,
        Request::CloseNonconformance { id, note, .. }
            if *id == summary.id && note == "Reworked and re-inspected; Final QC passed"
    ));
}

#[test]
fn the_open_list_pages_forward_and_back() {
    let mut d = Driver::new(init(Theme::ansi()));
    d.login(user_for(Role::QcPerson));
    d.open_home_entry("Nonconformances");
    let mut first = page();
    first.total = 45;
    assert!(d.answer(
        |r| matches!(r, Request::OpenNonconformances { page: 0, .. }),
        Ok(Reply::Nonconformances(first)),
    ));
    assert!(d.render(W, H).contains("45 open · page 1 of 3"));
    // Nothing before the first page.
    d.key(KeyCode::Char('p'));
    assert!(
        d.take(|r| matches!(r, Request::OpenNonconformances { .. }))
            .is_none()
    );
    d.key(KeyCode::Char('n'));
    let mut second = page();
    second.total = 45;
    second.page = 1;
    assert!(d.answer(
        |r| matches!(r, Request::OpenNonconformances { page: 1, .. }),
        Ok(Reply::Nonconformances(second)),
    ));
    assert!(d.render(W, H).contains("45 open · page 2 of 3"));
    d.key(KeyCode::Char('p'));
    assert!(
        d.take(|r| matches!(r, Request::OpenNonconformances { page: 0, .. }))
            .is_some()
    );
}
