//! The packaging checklist screen: keys to requests with scripted replies, and golden renders at 100x30
//! into `screens/packaging/`.
//!
//! The checklist is the one the database generates for a T2-B2 build (one E-Sink and one E-Drain basin,
//! one wrist-blade faucet) with the shipped template's wording. The screen is reached the way an assembler
//! reaches it: a notification opens the build and `w` opens the assembly floor.
use crate::harness::{
    Driver, at, floor_order_detail, notification_about_build, open_build_via_notification,
};
use chrono::NaiveDate;
use cleanstation::domain::Role;
use cleanstation::domain::bom::ItemType;
use cleanstation::domain::floor::{FloorHeader, PackagingLine, PackagingView};
use cleanstation::domain::order::{BuildConfig, OrderRow, OrderStatus};
use cleanstation::domain::order_view::OrderDetail;
use cleanstation::error::ServiceError;
use cleanstation::keymap::KeyContext;
use cleanstation::msg::{Reply, Request, ServiceRequest};
use cleanstation::screens::ActiveScreen;
use cleanstation::theme::Theme;
use crossterm::event::KeyCode;
use serde_json::json;
use std::time::Duration;
use uuid::Uuid;

const W: u16 = 100;
const H: u16 = 30;
const ORDER: Uuid = Uuid::from_u128(0x0001_0006);

fn snap(state: &str, description: &str, text: &str) {
    crate::harness::snap_in!("packaging", state, description, text);
}

fn line_id(n: u128) -> Uuid {
    Uuid::from_u128(0x7000 + n)
}

/// (code, description, item id, type, required, mounted allowed), in template order.
const LINES: [(&str, &str, &str, ItemType, i32, bool); 11] = [
    (
        "PKG-01",
        "Anti-fatigue mat",
        "T2-ANTI-FATIGUE-MAT",
        ItemType::Part,
        1,
        false,
    ),
    (
        "PKG-02",
        "Sink strainer, laser-marked with the Torvan Medical logo (one per basin)",
        "T2-OA-SINK-STRAINER",
        ItemType::Part,
        2,
        false,
    ),
    (
        "PKG-03",
        "Flex hose 1.5 in dia., 4 ft, with 2 hose clamps (one set per drain)",
        "T2-DRAIN-HOSE-KIT",
        ItemType::Assembly,
        2,
        false,
    ),
    (
        "PKG-04",
        "Temperature sensor with mount and hardware (one per E-Drain basin)",
        "T2-EDR-TEMP-KIT",
        ItemType::Assembly,
        1,
        false,
    ),
    (
        "PKG-05",
        "Electronic drain solenoid: wired, tested, labelled, bubble-wrapped (one per basin)",
        "T2-DRAIN-VALVE",
        ItemType::Part,
        2,
        false,
    ),
    (
        "PKG-06",
        "Drain assembly (one per basin)",
        "T2-DRAIN-BSKT",
        ItemType::Assembly,
        2,
        false,
    ),
    (
        "PKG-07",
        "Dosing pump shelf (one per dosing pump)",
        "T2-OA-DOSINGESK-BTMSHELF",
        ItemType::Part,
        1,
        false,
    ),
    (
        "PKG-08",
        "Dosing pump tubeset (one per dosing pump)",
        "T8-KIT-ESK-DOSE",
        ItemType::Assembly,
        1,
        false,
    ),
    (
        "PKG-09",
        "Drain gasket (one per basin)",
        "T2-DRAIN-BSKT-SEAL",
        ItemType::Part,
        2,
        false,
    ),
    (
        "PKG-15",
        "Faucet kit, 10 in wrist blade (CLP: 1x B-2342, 1x B-0230-K, 2x PFX146332)",
        "T2-OA-STD-FAUCET-WB-KIT",
        ItemType::Assembly,
        1,
        true,
    ),
    (
        "PKG-17",
        "Manual kit, English: install & operations manual (IFU.T2.SinkInstUser) and site preparation manual",
        "T2-STD-MANUAL-EN-KIT",
        ItemType::Assembly,
        1,
        false,
    ),
];

const MAT: usize = 0;
const STRAINER: usize = 1;
const FAUCET: usize = 9;

/// The checklist with `packed[i]` packed per line and the lines in `mounted` mounted.
pub(crate) fn checklist(packed: &[i32], mounted: &[usize]) -> PackagingView {
    let lines: Vec<PackagingLine> = LINES
        .iter()
        .enumerate()
        .map(
            |(i, (code, description, item_id, item_type, required, allowed))| {
                let p = packed.get(i).copied().unwrap_or(0);
                let m = mounted.contains(&i);
                PackagingLine {
                    id: line_id(i as u128),
                    code: (*code).into(),
                    description: (*description).into(),
                    item_id: (*item_id).into(),
                    item_type: *item_type,
                    required: *required,
                    packed: p,
                    mounted_allowed: *allowed,
                    mounted: m,
                    complete: p == *required || m,
                }
            },
        )
        .collect();
    let completed = lines.iter().all(|l| l.complete);
    PackagingView {
        header: FloorHeader {
            order_id: ORDER,
            po_number: "4500031".into(),
            build_number: "24-0140".into(),
            sink_model: "T2-B2".into(),
        },
        checklist_id: Uuid::from_u128(0x6000),
        performed_by: "Sam Brennan".into(),
        completed,
        completed_at: completed.then(|| at(14, 11, 20)),
        lines,
    }
}

fn all_packed() -> Vec<i32> {
    LINES
        .iter()
        .enumerate()
        .map(|(i, l)| if i == FAUCET { 0 } else { l.4 })
        .collect()
}

fn complete() -> PackagingView {
    checklist(&all_packed(), &[FAUCET])
}

fn build() -> BuildConfig {
    serde_json::from_value(json!({
        "buildNumber": "24-0140", "sinkFamily": "MDRD", "sinkModel": "T2-B2", "sinkWidth": 30, "sinkLength": 72,
        "legsType": "FIXED_HEIGHT", "legsModel": "DL14", "feetType": "SS_ADJUSTABLE_SEISMIC_FEET",
        "basins": [
            {"basinIndex": 1, "basinType": "E_SINK", "basinWidth": 20, "basinLength": 20, "basinDepth": 8},
            {"basinIndex": 2, "basinType": "E_DRAIN", "basinWidth": 20, "basinLength": 20, "basinDepth": 8}],
        "faucets": [{"faucetType": "WRIST_BLADE_SWING_SPOUT", "quantity": 1, "placement": "CENTER"}],
        "accessories": []
    }))
    .expect("valid build")
}

fn detail(status: OrderStatus) -> OrderDetail {
    floor_order_detail(ORDER, "4500031", build(), status, at(14, 9, 15))
}

fn row(status: OrderStatus) -> OrderRow {
    OrderRow {
        id: ORDER,
        po_number: "4500031".into(),
        build_number: "24-0140".into(),
        customer_name: "Lakeview Surgical Center".into(),
        sink_model: "T2-B2".into(),
        status,
        want_date: NaiveDate::from_ymd_opt(2025, 4, 2).expect("valid date"),
        assignee: None,
        days_left: 19,
    }
}

/// `role` opens the build from a notification and `w` opens the packaging checklist; both loads are
/// answered.
fn packaging(role: Role, status: OrderStatus, view: PackagingView) -> Driver {
    let passed = notification_about_build(
        ORDER,
        "ORDER_STATUS_CHANGE",
        "Build 24-0140 passed end-of-line testing",
        "Pack the build",
        at(14, 9, 15),
    );
    let mut d = open_build_via_notification(Theme::ansi(), role, vec![passed], detail(status));
    d.key(KeyCode::Char('w'));
    assert!(
        matches!(d.app.screen(), ActiveScreen::Packaging(_)),
        "w opens packaging"
    );
    answer_loads(&mut d, status, view);
    d
}

fn answer_loads(d: &mut Driver, status: OrderStatus, view: PackagingView) {
    assert!(d.answer(
        |r| matches!(r, Request::Packaging { order_id, .. } if *order_id == ORDER),
        Ok(Reply::Packaging(Box::new(view))),
    ));
    assert!(d.answer(
        |r| matches!(r, Request::OrderDetail { order_id, .. } if *order_id == ORDER),
        Ok(Reply::Order(Box::new(detail(status)))),
    ));
}

pub(crate) fn assembler(view: PackagingView) -> Driver {
    packaging(Role::Assembler, OrderStatus::TestingComplete, view)
}

fn shown(d: &Driver) -> PackagingView {
    match d.app.screen() {
        ActiveScreen::Packaging(s) => s.view_data().cloned().expect("checklist shown"),
        _ => panic!("not on the packaging screen"),
    }
}

fn screen_error(d: &Driver) -> Option<String> {
    match d.app.screen() {
        ActiveScreen::Packaging(s) => s.error().map(str::to_string),
        _ => panic!("not on the packaging screen"),
    }
}

fn take_change(d: &mut Driver) -> Option<ServiceRequest> {
    d.take(|r| matches!(r, Request::SetPacked { .. } | Request::SetMounted { .. }))
}

fn packed_request(req: &ServiceRequest) -> (Uuid, i32) {
    match &req.kind {
        Request::SetPacked {
            item_id, packed, ..
        } => (*item_id, *packed),
        other => panic!("expected SetPacked, got {other:?}"),
    }
}

fn no_writes(d: &Driver) -> bool {
    !d.sent.iter().any(|r| {
        matches!(
            r.kind,
            Request::SetPacked { .. } | Request::SetMounted { .. } | Request::Transition { .. }
        )
    })
}

#[test]
fn start() {
    let mut d = assembler(checklist(&[], &[]));
    snap(
        "start",
        "A T2-B2 build just in TESTING_COMPLETE: nothing packed yet",
        &d.render(W, H),
    );
    assert!(!d.app.key_stack().contains(&KeyContext::MoveAction));
    // `+` packs one more of the selected line; the reply replaces the checklist.
    d.key(KeyCode::Char('+'));
    let req = take_change(&mut d).expect("+ sends a change");
    assert_eq!(packed_request(&req), (line_id(MAT as u128), 1));
    let mut after = checklist(&[1], &[]);
    after.performed_by = "Sam Brennan".into();
    d.reply(&req, Ok(Reply::Packaging(Box::new(after.clone()))));
    assert_eq!(shown(&d), after);
    // `m` is not offered while items are open.
    d.key(KeyCode::Char('m'));
    assert!(no_writes(&d));
    let text = d.render(W, H);
    assert!(text.contains("10 item(s) not complete"), "{text}");
    // Esc returns to the build detail.
    d.key(KeyCode::Esc);
    assert!(matches!(d.app.screen(), ActiveScreen::OrderDetail(_)));
}

#[test]
fn bounds_and_mounting_are_refused_on_the_screen() {
    let mut d = assembler(checklist(&[1], &[]));
    // The mat is packed in full: `+` would exceed it.
    d.key(KeyCode::Char('+'));
    assert!(no_writes(&d));
    let e = screen_error(&d).expect("a message");
    assert!(e.contains("between 0 and 1 for T2-ANTI-FATIGUE-MAT"), "{e}");
    // The strainer has nothing packed: `-` would go below 0.
    d.key(KeyCode::Down);
    assert!(screen_error(&d).is_none(), "a new key clears the message");
    d.key(KeyCode::Char('-'));
    assert!(no_writes(&d));
    assert!(screen_error(&d).is_some_and(|e| e.contains("between 0 and 2")));
    // The strainer is packed, never mounted.
    d.key(KeyCode::Char('M'));
    assert!(no_writes(&d));
    let e = screen_error(&d).expect("a message");
    assert_eq!(
        e,
        "T2-OA-SINK-STRAINER is packed, not mounted; enter the packed quantity"
    );
    let text = d.render(W, H);
    assert!(
        text.contains("ERROR: T2-OA-SINK-STRAINER is packed"),
        "{text}"
    );
    // The faucet may be mounted.
    for _ in STRAINER..FAUCET {
        d.key(KeyCode::Down);
    }
    d.key(KeyCode::Char('M'));
    let req = take_change(&mut d).expect("M sends SetMounted");
    assert!(matches!(
        req.kind,
        Request::SetMounted { item_id, mounted: true, .. } if item_id == line_id(FAUCET as u128)
    ));
}

#[test]
fn space_packs_all_and_again_none() {
    let mut d = assembler(checklist(&[], &[]));
    d.key(KeyCode::Down);
    d.key(KeyCode::Char(' '));
    let req = take_change(&mut d).expect("Space sends");
    assert_eq!(packed_request(&req), (line_id(STRAINER as u128), 2));
    d.reply(
        &req,
        Ok(Reply::Packaging(Box::new(checklist(&[0, 2], &[])))),
    );
    d.key(KeyCode::Char(' '));
    let req = take_change(&mut d).expect("Space again sends");
    assert_eq!(packed_request(&req), (line_id(STRAINER as u128), 0));
    // Left and Right work like - and +.
    d.reply(&req, Ok(Reply::Packaging(Box::new(checklist(&[], &[])))));
    d.key(KeyCode::Right);
    let req = take_change(&mut d).expect("Right sends");
    assert_eq!(packed_request(&req), (line_id(STRAINER as u128), 1));
    d.reply(
        &req,
        Ok(Reply::Packaging(Box::new(checklist(&[0, 1], &[])))),
    );
    d.key(KeyCode::Left);
    let req = take_change(&mut d).expect("Left sends");
    assert_eq!(packed_request(&req), (line_id(STRAINER as u128), 0));
}

#[test]
fn quick_changes_keep_one_request_out_and_end_as_typed() {
    let mut d = assembler(checklist(&[], &[]));
    d.key(KeyCode::Down);
    d.key(KeyCode::Char('+'));
    d.key(KeyCode::Char('+'));
    // Another line changed meanwhile, too.
    d.key(KeyCode::Down);
    d.key(KeyCode::Char(' '));
    let first = take_change(&mut d).expect("the first change goes out");
    assert!(take_change(&mut d).is_none(), "one request at a time");
    assert_eq!(packed_request(&first), (line_id(STRAINER as u128), 1));
    // The screen shows what was typed.
    let now = shown(&d);
    assert_eq!(now.lines[STRAINER].packed, 2);
    assert_eq!(now.lines[2].packed, 2);
    let text = d.render(W, H);
    assert!(text.contains("Saving, please wait"), "{text}");

    // The first reply holds only the first change; the typed values stay on screen.
    d.reply(
        &first,
        Ok(Reply::Packaging(Box::new(checklist(&[0, 1], &[])))),
    );
    assert_eq!(shown(&d).lines[STRAINER].packed, 2);
    assert_eq!(shown(&d).lines[2].packed, 2);
    let second = take_change(&mut d).expect("the latest value goes out next");
    assert_eq!(packed_request(&second), (line_id(STRAINER as u128), 2));
    // Selection stays on the hose line through the replies.
    d.reply(
        &second,
        Ok(Reply::Packaging(Box::new(checklist(&[0, 2], &[])))),
    );
    let third = take_change(&mut d).expect("the hose goes out");
    assert_eq!(packed_request(&third), (line_id(2), 2));
    let last = checklist(&[0, 2, 2], &[]);
    d.reply(&third, Ok(Reply::Packaging(Box::new(last.clone()))));
    assert!(take_change(&mut d).is_none());
    assert_eq!(shown(&d), last);
    d.key(KeyCode::Char('+'));
    assert!(
        screen_error(&d).is_some_and(|e| e.contains("T2-DRAIN-HOSE-KIT")),
        "the selection stayed on the hose line"
    );
}

#[test]
fn a_refused_change_is_shown_and_the_checklist_reloads() {
    let mut d = assembler(checklist(&[], &[]));
    d.key(KeyCode::Char('+'));
    let req = take_change(&mut d).expect("sent");
    d.reply(
        &req,
        Err(ServiceError::Invalid(
            "Build 24-0140 is PACKAGING_COMPLETE; reload".into(),
        )),
    );
    assert!(screen_error(&d).is_some_and(|e| e.contains("PACKAGING_COMPLETE")));
    // The line is shown as packed until the reload brings the server's value back.
    answer_loads(&mut d, OrderStatus::TestingComplete, checklist(&[], &[]));
    assert_eq!(shown(&d).lines[MAT].packed, 0);
}

#[test]
fn quantity_dialog_validates_on_screen() {
    let mut d = assembler(checklist(&[], &[]));
    d.key(KeyCode::Down);
    d.key(KeyCode::Enter);
    assert!(d.app.key_stack().contains(&KeyContext::TextInput));
    d.type_str("3");
    d.key(KeyCode::Enter);
    assert!(no_writes(&d));
    snap(
        "quantity_dialog",
        "Enter on the strainer (2 required): 3 typed and refused with the allowed range",
        &d.render(W, H),
    );
    d.key(KeyCode::Backspace);
    d.type_str("x");
    d.key(KeyCode::Enter);
    assert!(no_writes(&d));
    let text = d.render(W, H);
    assert!(text.contains("not a whole number"), "{text}");
    d.key(KeyCode::Backspace);
    d.type_str("2");
    d.key(KeyCode::Enter);
    let req = take_change(&mut d).expect("a valid quantity is sent");
    assert_eq!(packed_request(&req), (line_id(STRAINER as u128), 2));
    assert!(!d.app.key_stack().contains(&KeyContext::TextInput));
    // Esc closes the dialog without a change.
    d.key(KeyCode::Enter);
    d.type_str("1");
    d.key(KeyCode::Esc);
    assert!(matches!(d.app.screen(), ActiveScreen::Packaging(_)));
    assert!(take_change(&mut d).is_none());
}

#[test]
fn part_packed() {
    let mut packed = all_packed();
    packed[STRAINER] = 1;
    packed[3] = 0;
    packed[4] = 0;
    packed[6] = 0;
    packed[10] = 0;
    let mut d = assembler(checklist(&packed, &[FAUCET]));
    for _ in 0..FAUCET {
        d.key(KeyCode::Char('j'));
    }
    snap(
        "part_packed",
        "Part packed: six lines complete, the faucet kit mounted on the sink (selected), five open",
        &d.render(W, H),
    );
    let text = d.render(W, H);
    assert!(text.contains("Packed 6 / 11 items complete"), "{text}");
    assert!(text.contains("5 item(s) not complete"), "{text}");
    assert!(!d.app.key_stack().contains(&KeyContext::MoveAction));
}

#[test]
fn the_moves_to_final_qc() {
    let mut d = assembler(complete());
    assert!(d.app.key_stack().contains(&KeyContext::MoveAction));
    snap(
        "complete",
        "Every item packed or mounted: m marks packaging complete",
        &d.render(W, H),
    );
    d.key(KeyCode::Char('m'));
    let text = d.render(W, H);
    assert!(
        text.contains("Mark packaging complete? (status becomes Packaging complete)"),
        "{text}"
    );
    // Packaging complete is signed: the dialog asks for the password.
    d.type_str("demo-pass");
    snap(
        "sign_complete",
        "m on a complete checklist: packaging complete is signed VERIFIED with the printed name and the password (masked)",
        &d.render(W, H),
    );
    // Esc is harmless.
    d.key(KeyCode::Esc);
    assert!(no_writes(&d));
    d.key(KeyCode::Char('m'));
    // Without the password nothing is sent.
    d.key(KeyCode::Enter);
    assert!(no_writes(&d));
    d.type_str("demo-pass");
    d.key(KeyCode::Enter);
    let t = d
        .take(|r| matches!(r, Request::Transition { .. }))
        .expect("Enter signs and sends the move");
    assert!(matches!(
        &t.kind,
        Request::Transition {
            order_id: ORDER,
            from: OrderStatus::TestingComplete,
            to: OrderStatus::PackagingComplete,
            password: Some(p),
            ..
        } if p == "demo-pass"
    ));
    d.reply(
        &t,
        Ok(Reply::OrderUpdated(row(OrderStatus::PackagingComplete))),
    );
    assert!(
        d.app
            .toast()
            .is_some_and(|t| t.text.contains("moved to Packaging complete"))
    );
    assert!(matches!(d.app.screen(), ActiveScreen::Packaging(_)));
    // The checklist comes back before the build: the move just made is not offered again, and the next
    // one waits for the build's status.
    assert!(d.answer(
        |r| matches!(r, Request::Packaging { order_id, .. } if *order_id == ORDER),
        Ok(Reply::Packaging(Box::new(complete()))),
    ));
    assert!(!d.app.key_stack().contains(&KeyContext::MoveAction));
    d.key(KeyCode::Char('m'));
    assert!(no_writes(&d));
    assert!(
        !d.render(W, H).contains("Mark packaging complete?"),
        "the move just made is offered again"
    );
    assert!(d.answer(
        |r| matches!(r, Request::OrderDetail { order_id, .. } if *order_id == ORDER),
        Ok(Reply::Order(Box::new(detail(
            OrderStatus::PackagingComplete
        )))),
    ));
    // Finished: read-only, with the second move.
    assert!(!d.app.key_stack().contains(&KeyContext::PackagingEdit));
    assert!(d.app.key_stack().contains(&KeyContext::MoveAction));
    snap(
        "packaging_complete",
        "PACKAGING_COMPLETE: the finished checklist, read-only; m sends the build to Final QC",
        &d.render(W, H),
    );
    d.key(KeyCode::Char('+'));
    assert!(no_writes(&d));
    d.key(KeyCode::Char('m'));
    let text = d.render(W, H);
    assert!(
        text.contains("Send to Final QC? (status becomes Ready for Final QC)"),
        "{text}"
    );
    d.key(KeyCode::Char('y'));
    let t = d
        .take(|r| matches!(r, Request::Transition { .. }))
        .expect("y sends the second move");
    assert!(matches!(
        t.kind,
        Request::Transition {
            from: OrderStatus::PackagingComplete,
            to: OrderStatus::ReadyForFinalQc,
            password: None,
            ..
        }
    ));
    d.reply(
        &t,
        Ok(Reply::OrderUpdated(row(OrderStatus::ReadyForFinalQc))),
    );
    assert!(matches!(d.app.screen(), ActiveScreen::OrderDetail(_)));
    assert!(
        d.app
            .toast()
            .is_some_and(|t| t.text.contains("moved to Ready for Final QC"))
    );
}

#[test]
fn a_refused_move_is_shown_in_the_dialog() {
    let mut d = assembler(complete());
    d.key(KeyCode::Char('m'));
    d.type_str("demo-pass");
    d.key(KeyCode::Enter);
    let t = d
        .take(|r| matches!(r, Request::Transition { .. }))
        .expect("sent");
    d.reply(
        &t,
        Err(ServiceError::Invalid(
            "Wrong password; nothing was signed".into(),
        )),
    );
    let text = d.render(W, H);
    assert!(
        text.contains("ERROR: Wrong password; nothing was signed"),
        "{text}"
    );
    // The password is cleared; the dialog signs again with the right one.
    d.type_str("demo-pass");
    d.key(KeyCode::Enter);
    let t = d
        .take(|r| matches!(r, Request::Transition { .. }))
        .expect("sent again");
    assert!(matches!(&t.kind, Request::Transition { password: Some(p), .. } if p == "demo-pass"));
}

#[test]
fn other_roles_see_it_read_only() {
    let mut d = packaging(
        Role::QcPerson,
        OrderStatus::TestingComplete,
        checklist(&[1], &[]),
    );
    assert!(!d.app.key_stack().contains(&KeyContext::PackagingEdit));
    d.key(KeyCode::Char('+'));
    d.key(KeyCode::Char(' '));
    d.key(KeyCode::Char('M'));
    assert!(no_writes(&d));
    let text = d.render(W, H);
    assert!(text.contains("Read-only"), "{text}");
}

#[test]
fn idle_screen_reloads_every_minute_as_a_safety_net() {
    let mut d = assembler(checklist(&[], &[]));
    d.tick(Duration::from_secs(1));
    d.tick(Duration::from_secs(50));
    assert!(d.take(|r| matches!(r, Request::Packaging { .. })).is_none());
    d.tick(Duration::from_secs(10));
    // Another station packed the mat meanwhile.
    answer_loads(&mut d, OrderStatus::TestingComplete, checklist(&[1], &[]));
    assert_eq!(shown(&d).lines[MAT].packed, 1);
    // F5 reloads at once.
    d.key(KeyCode::F(5));
    answer_loads(&mut d, OrderStatus::TestingComplete, checklist(&[1], &[]));
}

/// Another station packed something of the build (docs/live.md §3.3).
fn packed_elsewhere() -> cleanstation::msg::Msg {
    use cleanstation::domain::live::{Change, Entity, LiveEvent, Op};
    cleanstation::msg::Msg::Live(cleanstation::live::Live::Event(LiveEvent {
        station: Some("station:PACK-1".into()),
        actor: Some(Uuid::from_u128(0xBEEF)),
        actor_name: Some("Luis Ortega".into()),
        changes: vec![Change {
            entity: Entity::Packaging,
            id: Some(Uuid::from_u128(0x77)),
            op: Op::Update,
            reference: Some(ORDER),
        }],
        everything: false,
    }))
}

#[test]
fn packing_at_another_station_shows_at_once_but_never_under_a_quantity_being_typed() {
    let mut d = assembler(checklist(&[], &[]));
    d.send(packed_elsewhere());
    answer_loads(&mut d, OrderStatus::TestingComplete, checklist(&[1], &[]));
    assert_eq!(shown(&d).lines[MAT].packed, 1);
    assert!(
        d.render(W, H)
            .contains("Packaging updated by Luis Ortega at station PACK-1")
    );
    // A quantity is being typed: the re-read waits until the dialog closes.
    d.key(KeyCode::Enter);
    d.send(packed_elsewhere());
    assert!(d.take(|r| matches!(r, Request::Packaging { .. })).is_none());
    d.key(KeyCode::Esc);
    d.tick(Duration::from_millis(250));
    answer_loads(&mut d, OrderStatus::TestingComplete, checklist(&[1], &[]));
}

#[test]
fn no_panic_at_any_size() {
    let mut d = assembler(checklist(&[1, 0, 2], &[]));
    d.draw_every_size();
    d.key(KeyCode::Enter);
    d.draw_every_size();
    let mut d = assembler(complete());
    d.key(KeyCode::Char('m'));
    d.draw_every_size();
}

#[test]
fn a_scanned_item_on_the_list_is_packed_like_plus() {
    let mut d = assembler(checklist(&[], &[]));
    d.scan("P:t2-oa-sink-strainer");
    let req = take_change(&mut d).expect("the scan packs one");
    assert_eq!(packed_request(&req), (line_id(STRAINER as u128), 1));
    assert_eq!(shown(&d).lines[STRAINER].packed, 1);
    assert!(
        !d.sent
            .iter()
            .any(|r| matches!(r.kind, Request::FindScanned { .. })),
        "the screen used the scan"
    );
    d.scan("T2-ANTI-FATIGUE-MAT");
    assert!(
        take_change(&mut d).is_none(),
        "one change at a time: the next waits for the reply"
    );
    assert_eq!(shown(&d).lines[MAT].packed, 1, "shown as wanted at once");
    // An item that is not on the list is the shell's to route.
    d.scan("P:T2-NOT-ON-LIST");
    assert!(
        d.take(|r| matches!(r, Request::FindScanned { .. }))
            .is_some()
    );
    assert!(matches!(d.app.screen(), ActiveScreen::Packaging(_)));
}

#[test]
fn a_scan_packs_nothing_on_a_read_only_checklist() {
    let mut d = packaging(
        Role::QcPerson,
        OrderStatus::TestingComplete,
        checklist(&[], &[]),
    );
    d.scan("P:T2-OA-SINK-STRAINER");
    assert!(no_writes(&d));
    assert_eq!(
        d.app.toast().map(|t| t.text.clone()),
        Some("Read-only: packaging is filled in by assemblers".to_string())
    );
}

#[test]
fn a_fast_burst_that_is_no_code_is_replayed_in_order() {
    let mut d = assembler(checklist(&[], &[]));
    // Down, Down, then + on the third line: a burst with `+` is no code, so its keys count in order.
    d.scan("jj+");
    let req = take_change(&mut d).expect("+ packs");
    assert_eq!(packed_request(&req), (line_id(2), 1));
    assert!(
        !d.sent
            .iter()
            .any(|r| matches!(r.kind, Request::FindScanned { .. }))
    );
}
