//! Holds and shortages on screen (docs/holds.md): HOLD in the queue, the held build's detail with its
//! reason, part lines and time on hold, and the hold dialog with its catalog check and question.

use crate::harness::{at, floor_order_detail, plant_zone, snap_sizes, t2_b2_build};
use crate::order_queue::{answer_orders, detail_as, my_work, page, queue_as};
use cleanstation::domain::Role;
use cleanstation::domain::hold::{BuildHold, HoldPart, HoldReason, NamedHoldPart};
use cleanstation::domain::order::{OrderAction, OrderStatus};
use cleanstation::domain::order_view::OrderDetail;
use cleanstation::msg::{Reply, Request};
use cleanstation::screens::ActiveScreen;
use cleanstation::theme::Theme;
use crossterm::event::KeyCode;
use serde_json::json;
use uuid::Uuid;

fn snap(screen: &str, state: &str, description: &str, text: &str) {
    crate::harness::snap_in!(screen, state, description, text);
}

const ORDER: Uuid = Uuid::from_u128(0x0001_0017);

fn named(id: &str, quantity: i32, name: &str) -> NamedHoldPart {
    NamedHoldPart {
        part: HoldPart {
            part_id: id.into(),
            quantity,
        },
        name: name.into(),
    }
}

/// The shortage Sam Brennan reported on build 24-0131 at 09:12 on 14 March.
pub(crate) fn shortage() -> BuildHold {
    BuildHold {
        id: Uuid::from_u128(0x7000),
        order_id: ORDER,
        reason: HoldReason::PartsShortage,
        note: Some("Bin empty at station ASM-2".into()),
        parts: vec![
            named("T2-BOLT-10", 4, "Hex bolt M10 x 30 stainless"),
            named("T2-NUT-10", 4, "Hex nut M10 stainless"),
        ],
        placed_by: "Sam Brennan".into(),
        placed_at: at(14, 9, 12),
        released: None,
    }
}

/// Build 24-0131 in production, as `actions` and `hold` say.
pub(crate) fn production(actions: Vec<OrderAction>, hold: Option<BuildHold>) -> OrderDetail {
    let build = t2_b2_build(json!({ "buildNumber": "24-0131" }));
    OrderDetail {
        actions,
        hold_minutes: if hold.is_some() { 128 } else { 0 },
        hold,
        ..floor_order_detail(
            ORDER,
            "4500031",
            build,
            OrderStatus::ReadyForProduction,
            at(14, 9, 12),
        )
    }
}

#[test]
fn the_queue_shows_hold_in_the_status_column() {
    let mut d = queue_as(Role::ProductionCoordinator, Theme::ansi());
    let mut rows = my_work(Role::ProductionCoordinator);
    for (i, row) in rows.iter_mut().enumerate() {
        if matches!(i, 1 | 4) {
            row.hold = Some(if i == 1 {
                HoldReason::PartsShortage
            } else {
                HoldReason::Quality
            });
        }
    }
    answer_orders(&mut d, page(rows, None));
    d.key(KeyCode::Down);
    snap(
        "order_queue",
        "held_builds",
        "Two held builds read HOLD in the status column; the selected one says why under the table",
        &d.render(80, 24),
    );
}

#[test]
fn the_detail_of_a_held_build_says_why_and_for_how_long() {
    plant_zone();
    let mut d = detail_as(
        Role::ProductionCoordinator,
        Theme::ansi(),
        production(
            vec![OrderAction::Assign, OrderAction::ReleaseHold],
            Some(shortage()),
        ),
    );
    snap_sizes!(
        d,
        "order_detail",
        "held_parts_shortage",
        "A build held for parts as the coordinator: the hold's reason, who and since when, the note and \
         the part lines, the time on hold, no move offered and Release hold on R"
    );
    d.key(KeyCode::Char('R'));
    d.type_str("Bolts delivered to ASM-2");
    d.key(KeyCode::Enter);
    snap(
        "order_detail",
        "release_question",
        "Enter in the release dialog asks before anything is saved, naming the hold and the note",
        &d.render(80, 24),
    );
    d.key(KeyCode::Char('y'));
    let req = d
        .take(|r| matches!(r, Request::ReleaseHold { .. }))
        .expect("y releases");
    let Request::ReleaseHold { order_id, note, .. } = &req.kind else {
        panic!("not a release");
    };
    assert_eq!(
        (*order_id, note.as_deref()),
        (ORDER, Some("Bolts delivered to ASM-2"))
    );
}

/// An assembler at the detail of build 24-0131 with the hold dialog open and the shortage typed as
/// `parts`.
fn hold_dialog_with(parts: &str) -> crate::harness::Driver {
    plant_zone();
    let mut d = detail_as(
        Role::Assembler,
        Theme::ansi(),
        production(vec![OrderAction::PlaceHold], None),
    );
    d.key(KeyCode::Char('p'));
    assert!(matches!(d.app.screen(), ActiveScreen::OrderDetail(_)));
    // Reason stays Parts shortage; the note, then the part lines.
    d.key(KeyCode::Tab);
    d.type_str("Bin empty at station ASM-2");
    d.key(KeyCode::Tab);
    d.type_str(parts);
    d
}

#[test]
fn the_hold_dialog_refuses_a_bad_line_on_screen() {
    let mut d = hold_dialog_with("T2-BOLT-10 4; T2-NUT-10 x");
    d.key(KeyCode::Enter);
    assert!(
        d.take(|r| matches!(r, Request::CheckHold { .. })).is_none(),
        "a bad quantity is refused on screen"
    );
    snap(
        "order_detail",
        "hold_dialog_refused",
        "The hold dialog refuses a quantity that is not a whole number, with everything typed kept",
        &d.render(80, 24),
    );
}

#[test]
fn the_hold_dialog_checks_the_parts_and_asks_first() {
    let mut d = hold_dialog_with("T2-BOLT-10 4; T2-NUT-10 4");
    snap_sizes!(
        d,
        "order_detail",
        "hold_dialog",
        "Putting a build on hold from its detail: reason, note and the part lines of a shortage"
    );
    d.key(KeyCode::Enter);
    let check = d
        .take(|r| matches!(r, Request::CheckHold { .. }))
        .expect("Enter checks the parts");
    let Request::CheckHold { hold, .. } = &check.kind else {
        panic!("not a check");
    };
    assert_eq!(hold.parts.len(), 2);
    d.reply(&check, Ok(Reply::HoldChecked(shortage().parts)));
    snap(
        "order_detail",
        "hold_question",
        "The parts found in the catalog, the question names the build, the reason, each part and who is told",
        &d.render(80, 24),
    );
    d.key(KeyCode::Char('y'));
    assert!(
        d.take(|r| matches!(r, Request::PlaceHold { order_id, .. } if *order_id == ORDER))
            .is_some(),
        "y places the hold"
    );
}
