//! Procurement's order desk and the parts-shortage view: keys to requests with scripted replies, and
//! golden renders at 100x30 into `screens/order_desk/` and `screens/shortage/`.
use crate::harness::{Driver, init, user_for};
use chrono::NaiveDate;
use cleanstation::domain::Role;
use cleanstation::domain::bom::ItemType;
use cleanstation::domain::desk::{DeskRow, Shortage, ShortageBuild, ShortageLine, ShortageSort};
use cleanstation::domain::order::{OrderRow, OrderStatus};
use cleanstation::error::ServiceError;
use cleanstation::keymap::KeyContext;
use cleanstation::msg::{Reply, Request};
use cleanstation::screens::{ActiveScreen, Screen};
use cleanstation::theme::Theme;
use crossterm::event::KeyCode;
use rust_decimal::Decimal;
use std::path::PathBuf;
use uuid::Uuid;

const W: u16 = 100;
const H: u16 = 30;

fn snap_desk(state: &str, description: &str, text: &str) {
    crate::harness::snap_in!("order_desk", state, description, text);
}

fn snap_shortage(state: &str, description: &str, text: &str) {
    crate::harness::snap_in!("shortage", state, description, text);
}

fn id(n: u128) -> Uuid {
    Uuid::from_u128(0x0d00 + n)
}

#[allow(clippy::too_many_arguments)]
fn desk_row(
    n: u128,
    po: &str,
    build: &str,
    customer: &str,
    status: OrderStatus,
    want: (u32, u32),
    days_left: i32,
    bom: Option<(i32, &str)>,
) -> DeskRow {
    DeskRow {
        order: OrderRow {
            id: id(n),
            po_number: po.into(),
            build_number: build.into(),
            customer_name: customer.into(),
            sink_model: "T2-B2".into(),
            status,
            want_date: NaiveDate::from_ymd_opt(2025, want.0, want.1).expect("valid date"),
            assignee: None,
            days_left,
            open_comments: 0,
            hold: None,
        },
        bom: bom.map(|(v, s)| (v, s.to_string())),
        shortage: Vec::new(),
    }
}

fn rows() -> Vec<DeskRow> {
    vec![
        desk_row(
            1,
            "4500027",
            "24-0109",
            "St. Anne's Hospital",
            OrderStatus::PartsSent,
            (3, 12),
            -2,
            Some((1, "APPROVED")),
        ),
        desk_row(
            2,
            "4500031",
            "24-0117",
            "Lakeview Surgical Center",
            OrderStatus::OrderCreated,
            (3, 19),
            5,
            Some((2, "DRAFT")),
        ),
        desk_row(
            3,
            "4500031",
            "24-0118",
            "Lakeview Surgical Center",
            OrderStatus::OrderCreated,
            (4, 2),
            19,
            Some((1, "APPROVED")),
        ),
    ]
}

fn line(id: &str, name: &str, t: ItemType, q: i64, builds: i64) -> ShortageLine {
    ShortageLine {
        part_id: id.into(),
        name: name.into(),
        item_type: t,
        quantity: Decimal::from(q),
        builds,
    }
}

fn shortage() -> Shortage {
    let build = |n: u128, po: &str, b: &str, status, v, s: &str| ShortageBuild {
        order_id: id(n),
        po_number: po.into(),
        build_number: b.into(),
        status,
        bom_version: v,
        bom_status: s.into(),
    };
    Shortage {
        builds: vec![
            build(
                1,
                "4500027",
                "24-0109",
                OrderStatus::PartsSent,
                1,
                "APPROVED",
            ),
            build(
                2,
                "4500031",
                "24-0117",
                OrderStatus::OrderCreated,
                2,
                "DRAFT",
            ),
            build(
                3,
                "4500031",
                "24-0118",
                OrderStatus::OrderCreated,
                1,
                "APPROVED",
            ),
        ],
        lines: vec![
            line(
                "T2-BODY-30X60",
                "Sink body 30 x 60, 2 basins",
                ItemType::Part,
                2,
                2,
            ),
            line(
                "T2-DL27-KIT",
                "Height-adjustable leg kit DL27",
                ItemType::Assembly,
                3,
                3,
            ),
            line(
                "T2-DRAIN-BSKT",
                "Drain basket assembly",
                ItemType::Assembly,
                6,
                3,
            ),
            line(
                "T2-DRAIN-VALVE",
                "Electronic drain solenoid",
                ItemType::Part,
                6,
                3,
            ),
            line(
                "T2-LOCK-CASTER",
                "Lock-leveling caster, 4\"",
                ItemType::Part,
                12,
                3,
            ),
            line(
                "T2-OA-SINK-STRAINER",
                "Sink strainer, laser-marked",
                ItemType::Part,
                5,
                3,
            ),
        ],
    }
}

/// Procurement logs in and opens the desk; its load is answered with `rows`.
fn desk_with(rows: Vec<DeskRow>) -> Driver {
    let mut d = Driver::new(init(Theme::ansi()));
    d.login(user_for(Role::ProcurementSpecialist));
    d.open_home_entry("Order desk");
    assert!(
        matches!(d.app.screen(), ActiveScreen::OrderDesk(_)),
        "the home entry opens the desk"
    );
    assert!(d.answer(
        |r| matches!(r, Request::OrderDesk { .. }),
        Ok(Reply::OrderDesk(rows)),
    ));
    d
}

pub(crate) fn desk() -> Driver {
    desk_with(rows())
}

fn selected(d: &Driver) -> Option<Uuid> {
    match d.app.screen() {
        ActiveScreen::OrderDesk(s) => s.selected().map(|r| r.order.id),
        _ => panic!("not on the order desk"),
    }
}

fn desk_notice(d: &Driver) -> Option<String> {
    match d.app.screen() {
        ActiveScreen::OrderDesk(s) => s.notice().map(str::to_string),
        _ => panic!("not on the order desk"),
    }
}

fn toast(d: &Driver) -> Option<String> {
    d.app.toast().map(|t| t.text.clone())
}

/// The lines of the yes/no question open on the desk, if any.
fn question(d: &Driver) -> Option<Vec<String>> {
    match d.app.screen() {
        ActiveScreen::OrderDesk(s) => s.question().map(<[String]>::to_vec),
        _ => panic!("not on the order desk"),
    }
}

fn no_move_sent(d: &mut Driver) -> bool {
    d.take(|r| matches!(r, Request::Transition { .. }))
        .is_none()
}

#[test]
fn desk_golden() {
    let mut d = desk();
    d.key(KeyCode::Down);
    snap_desk(
        "desk",
        "Procurement's desk: three waiting builds, one overdue; the DRAFT BOM is visible",
        &d.render(W, H),
    );
}

#[test]
fn approving_sends_the_version_shown_and_reloads() {
    let mut d = desk();
    d.key(KeyCode::Down);
    assert_eq!(selected(&d), Some(id(2)));
    d.key(KeyCode::Char('b'));
    assert_eq!(
        d.app.screen().key_contexts(),
        vec![KeyContext::TextInput, KeyContext::Dialog]
    );
    // The approval is signed: without the password nothing is sent.
    d.key(KeyCode::Enter);
    assert!(
        d.take(|r| matches!(r, Request::ApproveBom { .. }))
            .is_none()
    );
    d.type_str("demo-pass");
    snap_desk(
        "approve_sign",
        "b on a DRAFT BOM: the approval is signed APPROVED with the printed name and the password (masked)",
        &d.render(W, H),
    );
    d.key(KeyCode::Enter);
    let req = d
        .take(|r| matches!(r, Request::ApproveBom { .. }))
        .expect("approve sent");
    let Request::ApproveBom {
        order_id,
        version,
        password,
        ..
    } = req.kind.clone()
    else {
        panic!("not an approval");
    };
    assert_eq!(
        (order_id, version, password.as_str()),
        (id(2), 2, "demo-pass")
    );
    d.reply(&req, Ok(Reply::OrderUpdated(rows()[1].order.clone())));
    assert_eq!(
        toast(&d).as_deref(),
        Some("BOM version 2 of 24-0117 approved")
    );
    let mut approved = rows();
    approved[1].bom = Some((2, "APPROVED".into()));
    assert!(d.answer(
        |r| matches!(r, Request::OrderDesk { .. }),
        Ok(Reply::OrderDesk(approved)),
    ));
    assert_eq!(
        selected(&d),
        Some(id(2)),
        "the selection stays on the build"
    );
    match d.app.screen() {
        ActiveScreen::OrderDesk(s) => {
            assert_eq!(s.rows()[1].bom_label(), "v2 APPROVED");
        }
        _ => panic!("not on the order desk"),
    }
}

#[test]
fn an_approved_bom_is_not_offered_again() {
    let mut d = desk();
    d.key(KeyCode::Char('b'));
    assert!(
        d.take(|r| matches!(r, Request::ApproveBom { .. }))
            .is_none()
    );
    assert!(d.sent.is_empty(), "{:?}", d.sent);
    assert_eq!(
        desk_notice(&d).as_deref(),
        Some("BOM version 1 of 24-0109 is APPROVED; there is no DRAFT to approve")
    );
}

#[test]
fn move_dialog_golden() {
    let mut d = desk();
    d.key(KeyCode::Char('m'));
    d.type_str("Body arrived on pallet 3");
    snap_desk(
        "move_dialog",
        "Moving a PARTS_SENT build to READY_FOR_PRE_QC with a note",
        &d.render(W, H),
    );
}

#[test]
fn a_note_with_a_forbidden_character_is_refused_and_kept() {
    let mut d = desk();
    d.key(KeyCode::Char('m'));
    d.type_str("Pallet\u{202E} 3");
    d.key(KeyCode::Enter);
    assert!(
        d.take(|r| matches!(r, Request::Transition { .. }))
            .is_none()
    );
    let screen = d.render(W, H);
    assert!(
        screen.contains("Note: contains the direction-changing character U+202E")
            && screen.contains("Pallet 3"),
        "{screen}"
    );
}

#[test]
fn moving_sends_the_transition_with_the_note() {
    let mut d = desk();
    d.key(KeyCode::Char('m'));
    d.type_str("  Body arrived on pallet 3 ");
    d.key(KeyCode::Enter);
    // Enter only asks; the question names the build, the move and the note.
    assert!(no_move_sent(&mut d));
    assert_eq!(
        question(&d),
        Some(vec![
            "Move 24-0109 from Parts sent to Ready for Pre-QC?".to_string(),
            "Note: “Body arrived on pallet 3”".to_string(),
            "The move is kept in the build's history.".to_string(),
        ])
    );
    assert_eq!(d.app.key_stack(), vec![KeyContext::Confirm]);
    // Enter again, or any other key, does not answer it.
    d.key(KeyCode::Enter);
    d.key(KeyCode::Char('m'));
    assert!(no_move_sent(&mut d));
    d.key(KeyCode::Char('y'));
    let req = d
        .take(|r| matches!(r, Request::Transition { .. }))
        .expect("transition sent");
    let Request::Transition {
        order_id,
        from,
        to,
        note,
        override_reason,
        ..
    } = req.kind.clone()
    else {
        panic!("not a transition");
    };
    assert_eq!(
        (order_id, from, to, note.as_deref(), override_reason),
        (
            id(1),
            OrderStatus::PartsSent,
            OrderStatus::ReadyForPreQc,
            Some("Body arrived on pallet 3"),
            None
        )
    );
    d.reply(&req, Ok(Reply::OrderUpdated(rows()[0].order.clone())));
    assert_eq!(
        toast(&d).as_deref(),
        Some("24-0109 moved to Ready for Pre-QC")
    );
    assert!(d.answer(
        |r| matches!(r, Request::OrderDesk { .. }),
        Ok(Reply::OrderDesk(rows().into_iter().skip(1).collect())),
    ));
    assert_eq!(selected(&d), Some(id(2)));
}

#[test]
fn a_move_the_desk_knows_is_refused_opens_no_dialog() {
    let mut d = desk();
    d.key(KeyCode::Down);
    d.key(KeyCode::Char('m'));
    let refusal = "Approve the current BOM (version 2) first";
    assert_eq!(desk_notice(&d).as_deref(), Some(refusal));
    assert_eq!(d.app.screen().key_contexts()[0], KeyContext::OrderDesk);
    d.key(KeyCode::Enter);
    assert!(no_move_sent(&mut d));
    let mut no_bom = rows();
    no_bom[1].bom = None;
    let mut d = desk_with(no_bom);
    d.key(KeyCode::Down);
    d.key(KeyCode::Char('m'));
    assert_eq!(
        desk_notice(&d).as_deref(),
        Some("This build has no BOM; generate and approve one first")
    );
    assert!(d.sent.is_empty(), "{:?}", d.sent);
}

#[test]
fn a_refused_move_shows_the_message_and_reloads() {
    let mut d = desk();
    d.key(KeyCode::Down);
    d.key(KeyCode::Down);
    d.key(KeyCode::Char('m'));
    d.key(KeyCode::Enter);
    d.key(KeyCode::Char('y'));
    let req = d
        .take(|r| matches!(r, Request::Transition { .. }))
        .expect("transition sent");
    assert!(matches!(
        &req.kind,
        Request::Transition {
            to: OrderStatus::PartsSent,
            note: None,
            ..
        }
    ));
    let refusal = "24-0118 is now PARTS_SENT; your change was not saved";
    d.reply(&req, Err(ServiceError::Invalid(refusal.into())));
    assert_eq!(desk_notice(&d).as_deref(), Some(refusal));
    assert!(d.take(|r| matches!(r, Request::OrderDesk { .. })).is_some());
    assert_eq!(d.app.screen().key_contexts()[0], KeyContext::OrderDesk);
    assert!(d.render(W, H).contains(refusal));
}

#[test]
fn an_unreachable_database_keeps_the_dialog_and_the_note() {
    let mut d = desk();
    d.key(KeyCode::Char('m'));
    d.type_str("pallet 3");
    d.key(KeyCode::Enter);
    d.key(KeyCode::Char('y'));
    let req = d
        .take(|r| matches!(r, Request::Transition { .. }))
        .expect("transition sent");
    d.reply(&req, Err(ServiceError::Unavailable("down".into())));
    assert!(d.app.screen().key_contexts().contains(&KeyContext::Dialog));
    let screen = d.render(W, H);
    assert!(screen.contains("pallet 3"), "{screen}");
    assert!(
        screen.contains("ERROR: The database is not reachable"),
        "{screen}"
    );
    d.key(KeyCode::Esc);
    assert_eq!(d.app.screen().key_contexts()[0], KeyContext::OrderDesk);
}

#[test]
fn move_question_golden() {
    for (w, h, state) in [
        (80, 24, "move_question_80x24"),
        (120, 40, "move_question_120x40"),
    ] {
        let mut d = desk();
        d.key(KeyCode::Char('m'));
        d.type_str("Body arrived on pallet 3");
        d.key(KeyCode::Enter);
        snap_desk(
            state,
            "Enter in the move dialog asks: the build, from and to, and the note; only y moves it",
            &d.render(w, h),
        );
    }
}

#[test]
fn a_login_typed_into_the_desk_moves_nothing() {
    let mut d = desk();
    // A user who thinks the login screen is shown types a username, Tab, a password and Enter.
    d.type_str("coordinator");
    d.key(KeyCode::Tab);
    d.type_str("demo-password");
    d.key(KeyCode::Enter);
    assert!(no_move_sent(&mut d));
    let asked = question(&d).expect("Enter asks");
    assert_eq!(asked[1], "Note: “o-password”");
    // Whatever else follows that is not `y` sends nothing; `n` goes back to the note, kept.
    d.key(KeyCode::Enter);
    d.key(KeyCode::Tab);
    d.key(KeyCode::Char('n'));
    assert!(no_move_sent(&mut d));
    assert_eq!(question(&d), None);
    assert!(d.render(W, H).contains("o-password"));
    d.key(KeyCode::Esc);
    assert_eq!(d.app.screen().key_contexts()[0], KeyContext::OrderDesk);
    assert!(d.sent.is_empty(), "{:?}", d.sent);
}

#[test]
fn keys_typed_before_the_desk_loads_are_dropped() {
    let mut d = Driver::new(init(Theme::ansi()));
    d.login(user_for(Role::ProcurementSpecialist));
    d.open_home_entry("Order desk");
    // `m` and Enter while the rows are on their way: nothing opens, nothing is sent, and it is said.
    d.key(KeyCode::Char('m'));
    d.key(KeyCode::Enter);
    assert!(
        toast(&d).is_some_and(|t| t.contains("ignored")),
        "{:?}",
        toast(&d)
    );
    assert!(d.answer(
        |r| matches!(r, Request::OrderDesk { .. }),
        Ok(Reply::OrderDesk(rows())),
    ));
    assert_eq!(d.app.screen().key_contexts()[0], KeyContext::OrderDesk);
    assert!(matches!(d.app.screen(), ActiveScreen::OrderDesk(_)));
    assert!(d.sent.is_empty(), "{:?}", d.sent);
}

#[test]
fn enter_opens_the_build_and_p_the_shortage() {
    let mut d = desk();
    d.key(KeyCode::Down);
    d.key(KeyCode::Enter);
    assert!(matches!(d.app.screen(), ActiveScreen::OrderDetail(_)));
    let load = d
        .take(|r| matches!(r, Request::OrderDetail { order_id, .. } if *order_id == id(2)))
        .expect("the detail loads");
    // Keys wait for the build: `v` before it has loaded is dropped, and said.
    d.key(KeyCode::Char('v'));
    assert!(matches!(d.app.screen(), ActiveScreen::OrderDetail(_)));
    assert_eq!(toast(&d).as_deref(), Some(cleanstation::app::TYPED_AHEAD));
    let detail = crate::harness::floor_order_detail(
        id(2),
        "4500031",
        crate::harness::t2_b2_build(serde_json::json!({})),
        OrderStatus::OrderCreated,
        crate::harness::at(3, 9, 0),
    );
    d.reply(&load, Ok(Reply::Order(Box::new(detail))));
    // Esc returns to the desk, also after a look at the BOM in between.
    d.key(KeyCode::Char('v'));
    assert!(matches!(d.app.screen(), ActiveScreen::BomViewer(_)));
    d.key(KeyCode::Esc);
    assert!(matches!(d.app.screen(), ActiveScreen::OrderDetail(_)));
    d.key(KeyCode::Esc);
    assert!(matches!(d.app.screen(), ActiveScreen::OrderDesk(_)));
    let mut d = desk();
    d.key(KeyCode::Char('p'));
    assert!(matches!(d.app.screen(), ActiveScreen::Shortage(_)));
    assert!(
        d.take(|r| matches!(r, Request::PartsShortage { .. }))
            .is_some()
    );
}

#[test]
fn an_empty_desk_says_so() {
    let mut d = desk_with(Vec::new());
    d.key(KeyCode::Char('m'));
    d.key(KeyCode::Char('b'));
    assert!(d.sent.is_empty());
    assert!(d.render(W, H).contains("No builds are waiting for parts."));
}

/// From the desk, `p` opens the shortage and its load is answered.
pub(crate) fn shortage_screen() -> Driver {
    let mut d = desk();
    d.key(KeyCode::Char('p'));
    assert!(d.answer(
        |r| matches!(r, Request::PartsShortage { .. }),
        Ok(Reply::PartsShortage(Box::new(shortage()))),
    ));
    d
}

fn shown_ids(d: &Driver) -> Vec<String> {
    match d.app.screen() {
        ActiveScreen::Shortage(s) => s
            .shortage()
            .expect("loaded")
            .lines
            .iter()
            .map(|l| l.part_id.clone())
            .collect(),
        _ => panic!("not on the shortage"),
    }
}

#[test]
fn shortage_golden() {
    let mut d = shortage_screen();
    snap_shortage(
        "shortage",
        "The parts three waiting builds need, by part id",
        &d.render(W, H),
    );
}

#[test]
fn sorting_cycles_id_name_quantity_and_reverses() {
    let mut d = shortage_screen();
    assert_eq!(shown_ids(&d)[0], "T2-BODY-30X60");
    d.key(KeyCode::Char('s'));
    assert_eq!(shown_ids(&d)[0], "T2-DRAIN-BSKT", "by name: Drain basket…");
    d.key(KeyCode::Char('s'));
    let ids = shown_ids(&d);
    assert_eq!(ids[0], "T2-LOCK-CASTER", "by quantity, largest first");
    assert_eq!(
        &ids[1..3],
        ["T2-DRAIN-BSKT", "T2-DRAIN-VALVE"],
        "ties by part id"
    );
    match d.app.screen() {
        ActiveScreen::Shortage(s) => {
            assert_eq!(s.sort_key(), (ShortageSort::Quantity, true));
        }
        _ => panic!("not on the shortage"),
    }
    d.key(KeyCode::Char('r'));
    assert_eq!(shown_ids(&d)[0], "T2-BODY-30X60", "smallest first");
    d.key(KeyCode::Char('s'));
    assert_eq!(shown_ids(&d)[0], "T2-BODY-30X60", "back to part id");
}

#[test]
fn export_dialog_golden() {
    let mut d = shortage_screen();
    d.key(KeyCode::Char('x'));
    d.type_str("/srv/purchasing");
    snap_shortage(
        "export_dialog",
        "Exporting the shortage: the directory asked",
        &d.render(W, H),
    );
}

#[test]
fn export_sends_the_directory_shows_the_path_and_offers_it_again() {
    let mut d = shortage_screen();
    d.key(KeyCode::Char('x'));
    d.type_str("/nowhere");
    d.key(KeyCode::Enter);
    let req = d
        .take(|r| matches!(r, Request::ExportShortage { .. }))
        .expect("export sent");
    assert!(matches!(&req.kind, Request::ExportShortage { dir, .. } if dir == "/nowhere"));
    d.reply(
        &req,
        Err(ServiceError::Invalid(
            "Directory /nowhere does not exist".into(),
        )),
    );
    let screen = d.render(W, H);
    assert!(
        screen.contains("ERROR: Directory /nowhere does not exist"),
        "{screen}"
    );
    for _ in 0.."/nowhere".len() {
        d.key(KeyCode::Backspace);
    }
    d.type_str("/srv/purchasing");
    d.key(KeyCode::Enter);
    let req = d
        .take(|r| matches!(r, Request::ExportShortage { .. }))
        .expect("export sent again");
    assert!(matches!(&req.kind, Request::ExportShortage { dir, .. } if dir == "/srv/purchasing"));
    let path = PathBuf::from("/srv/purchasing/parts_shortage_2025-03-14.csv");
    d.reply(&req, Ok(Reply::Exported(vec![path])));
    assert_eq!(d.app.screen().key_contexts()[0], KeyContext::Shortage);
    assert!(
        d.render(W, H)
            .contains("Exported to /srv/purchasing/parts_shortage_2025-03-14.csv")
    );
    d.key(KeyCode::Char('x'));
    assert!(d.render(W, H).contains("/srv/purchasing"), "offered again");
    d.key(KeyCode::Esc);
    // Esc leads back to the desk it was opened from.
    d.key(KeyCode::Esc);
    assert!(matches!(d.app.screen(), ActiveScreen::OrderDesk(_)));
}

#[test]
fn no_panic_at_any_size() {
    let mut d = desk();
    d.draw_every_size();
    d.key(KeyCode::Char('m'));
    assert!(d.render(100, 30).contains("╔"), "the move dialog");
    d.draw_every_size();
    let mut d = shortage_screen();
    d.draw_every_size();
    d.key(KeyCode::Char('x'));
    d.draw_every_size();
}

#[test]
fn held_for_parts_builds_show_their_part_lines_and_do_not_move() {
    let mut rows = rows();
    if let Some(first) = rows.first_mut() {
        first.order.hold = Some(cleanstation::domain::hold::HoldReason::PartsShortage);
        first.shortage = crate::holds::shortage().parts;
    }
    let mut held = desk_row(
        4,
        "4500012",
        "24-0131",
        "St. Mary's Hospital",
        OrderStatus::ReadyForProduction,
        (3, 28),
        14,
        Some((1, "APPROVED")),
    );
    held.order.hold = Some(cleanstation::domain::hold::HoldReason::PartsShortage);
    held.shortage = crate::holds::shortage().parts;
    rows.push(held);
    let mut d = desk_with(rows);
    snap_desk(
        "held_for_parts",
        "Builds held for parts read HOLD, the selected one lists the parts to send; a build in \
         production held for parts is on the desk too",
        &d.render(W, H),
    );
    d.key(KeyCode::Char('m'));
    assert_eq!(
        desk_notice(&d).as_deref(),
        Some(cleanstation::domain::hold::HELD_NO_MOVE)
    );
    assert!(no_move_sent(&mut d));
}
