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
