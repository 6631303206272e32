//! The desk's keys: which ones it answers, and that no move is sent without its `y`.

use super::*;
use crate::domain::Role;
use crate::domain::order::OrderRow;
use crate::screens::ScreenMsg;
use crate::screens::testkit::{Harness, assert_answers_only_its_help};

fn row(n: u128, status: OrderStatus, bom: Option<(i32, &str)>) -> DeskRow {
    DeskRow {
        order: OrderRow {
            id: Uuid::from_u128(n),
            po_number: "4500031".into(),
            build_number: format!("24-01{n:02}"),
            customer_name: "Lakeview Surgical Center".into(),
            sink_model: "T2-B2".into(),
            status,
            want_date: chrono::NaiveDate::default(),
            assignee: None,
            days_left: 5,
            open_comments: 0,
            hold: None,
        },
        bom: bom.map(|(v, s)| (v, s.to_string())),
        shortage: Vec::new(),
    }
}

/// The desk with its rows loaded.
fn loaded(h: &mut Harness) -> OrderDeskScreen {
    let (mut s, reqs) = h.open(OrderDeskScreen::open);
    assert!(!s.accepts_keys(), "no keys before the rows");
    let rows = vec![
        row(1, OrderStatus::PartsSent, Some((1, "APPROVED"))),
        row(2, OrderStatus::OrderCreated, Some((2, "DRAFT"))),
    ];
    h.reply(&mut s, &reqs[0], Ok(Reply::OrderDesk(rows)));
    assert!(s.accepts_keys());
    s
}

#[test]
fn every_action_the_desk_answers_is_in_its_help() {
    assert_answers_only_its_help(Role::ProcurementSpecialist, loaded);
    // And with the move dialog open.
    assert_answers_only_its_help(Role::ProcurementSpecialist, |h| {
        let mut s = loaded(h);
        h.act(&mut s, Action::MoveStatus);
        s
    });
}

#[test]
fn only_yes_sends_the_move() {
    let mut h = Harness::new(Role::ProcurementSpecialist);
    let mut s = loaded(&mut h);
    h.act(&mut s, Action::MoveStatus);
    for c in "o-password".chars() {
        h.send(&mut s, ScreenMsg::Char(c));
    }
    // Enter asks; no other key but `y` answers, and Enter never does.
    let (reqs, _) = h.act(&mut s, Action::Submit);
    assert!(reqs.is_empty());
    assert_eq!(s.key_contexts(), vec![KeyContext::Confirm]);
    for a in Action::ALL
        .iter()
        .filter(|a| !matches!(a, Action::Yes | Action::No | Action::Cancel))
    {
        let (reqs, _) = h.act(&mut s, *a);
        assert!(reqs.is_empty(), "{a:?} sent the move");
    }
    assert!(s.question().is_some());
    let (reqs, _) = h.act(&mut s, Action::Yes);
    assert!(matches!(
        &reqs[..],
        [r] if matches!(&r.kind, Request::Transition { note: Some(n), .. } if n == "o-password")
    ));
}

fn is_desk_load(reqs: &[crate::msg::ServiceRequest]) -> bool {
    reqs.len() == 1 && matches!(reqs[0].kind, Request::OrderDesk { .. })
}

#[test]
fn a_change_elsewhere_reloads_the_desk_keeping_the_selection_and_the_typed_note() {
    use crate::domain::live::Entity;
    use crate::screens::testkit::{live_change, toasts};
    let mut h = Harness::new(Role::ProcurementSpecialist);
    let mut s = loaded(&mut h);
    h.act(&mut s, Action::MoveStatus);
    for c in "body here".chars() {
        h.send(&mut s, ScreenMsg::Char(c));
    }
    let b = Uuid::from_u128;
    // A task, or the BOM of a build not on the desk: nothing shown changed.
    let task = live_change(Entity::Task, b(70), Some(b(1)));
    assert!(h.send(&mut s, ScreenMsg::Live(task)).0.is_empty());
    let bom = live_change(Entity::Bom, b(70), Some(b(9)));
    assert!(h.send(&mut s, ScreenMsg::Live(bom)).0.is_empty());
    // The BOM of a build shown: the desk is read again, one request at a time.
    let bom = live_change(Entity::Bom, b(71), Some(b(2)));
    let (reqs, _) = h.send(&mut s, ScreenMsg::Live(bom));
    assert!(is_desk_load(&reqs), "{reqs:?}");
    // Any build's own row: it may have come onto the desk.
    let moved = live_change(Entity::Build, b(1), Some(b(1)));
    assert!(
        h.send(&mut s, ScreenMsg::Live(moved)).0.is_empty(),
        "gathered"
    );
    let rows = vec![
        row(3, OrderStatus::OrderCreated, None),
        row(1, OrderStatus::PartsSent, Some((1, "APPROVED"))),
        row(2, OrderStatus::OrderCreated, Some((2, "APPROVED"))),
    ];
    let (next, effects) = h.reply(&mut s, &reqs[0], Ok(Reply::OrderDesk(rows)));
    assert!(
        toasts(&effects).is_empty(),
        "the selected build did not change"
    );
    assert_eq!(
        s.selected().map(|r| r.order.id),
        Some(b(1)),
        "the selection stays"
    );
    assert!(s.is_dialog_open(), "the move dialog stays");
    assert_eq!(
        s.text_form().map(|f| f.value(0)),
        Some("body here".to_string()),
        "the typed note stays"
    );
    assert!(is_desk_load(&next), "the gathered event goes out");
    let rows = vec![row(3, OrderStatus::OrderCreated, None)];
    let (_, effects) = h.reply(&mut s, &next[0], Ok(Reply::OrderDesk(rows)));
    assert_eq!(
        toasts(&effects),
        vec!["Build 24-0101 left the desk by Luis Ortega at station ASM-2".to_string()]
    );
}

#[test]
fn a_resync_reloads_the_desk() {
    let mut h = Harness::new(Role::ProcurementSpecialist);
    let mut s = loaded(&mut h);
    let ev = crate::domain::live::LiveEvent::resync();
    assert!(is_desk_load(&h.send(&mut s, ScreenMsg::Live(ev)).0));
}
