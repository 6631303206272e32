//! Live re-reads of the service order shown (docs/live.md §3.4).

use super::*;
use crate::domain::live::{Entity, LiveEvent};
use crate::domain::service_order::{ServiceOrderStatus, number};
use crate::screens::ScreenMsg;
use crate::screens::testkit::{Harness, live_change, service_order, toasts};

fn view(status: ServiceOrderStatus) -> Box<ServiceOrderView> {
    Box::new(ServiceOrderView {
        summary: service_order(7, status),
        requested_by_id: Uuid::from_u128(99),
        notes: None,
        internal_notes: None,
        lines: Vec::new(),
    })
}

fn asks_for_this_order(reqs: &[crate::msg::ServiceRequest]) -> bool {
    reqs.len() == 1
        && matches!(reqs[0].kind, Request::ServiceOrder { id, .. } if id == Uuid::from_u128(7))
}

#[test]
fn a_change_to_this_order_re_reads_it_keeps_the_dialog_and_says_who() {
    let mut h = Harness::new(Role::ProcurementSpecialist);
    let (mut s, load) = h.open(|ctx| ServiceOrderScreen::open(Uuid::from_u128(7), ctx));
    h.reply(
        &mut s,
        &load[0],
        Ok(Reply::ServiceOrder(view(ServiceOrderStatus::Pending))),
    );
    h.act(&mut s, Action::RejectOrder);
    for c in "no stock".chars() {
        h.send(&mut s, ScreenMsg::Char(c));
    }
    let other = live_change(Entity::ServiceOrder, Uuid::from_u128(8), None);
    assert!(
        h.send(&mut s, ScreenMsg::Live(other)).0.is_empty(),
        "another order"
    );
    let build = live_change(Entity::Build, Uuid::from_u128(7), Some(Uuid::from_u128(7)));
    assert!(
        h.send(&mut s, ScreenMsg::Live(build)).0.is_empty(),
        "not a service order"
    );
    let ev = live_change(Entity::ServiceOrder, Uuid::from_u128(7), None);
    let (reqs, _) = h.send(&mut s, ScreenMsg::Live(ev.clone()));
    assert!(asks_for_this_order(&reqs), "{reqs:?}");
    assert!(
        h.send(&mut s, ScreenMsg::Live(ev)).0.is_empty(),
        "one on its way"
    );
    let (next, effects) = h.reply(
        &mut s,
        &reqs[0],
        Ok(Reply::ServiceOrder(view(ServiceOrderStatus::Approved))),
    );
    assert_eq!(
        toasts(&effects),
        vec![format!(
            "Service order {} approved by Luis Ortega at station ASM-2",
            number(Uuid::from_u128(7))
        )]
    );
    assert_eq!(s.status(), Some(ServiceOrderStatus::Approved));
    assert!(s.is_dialog_open(), "the dialog stays");
    let typed = match &s.mode {
        Mode::Reject { form, .. } => Some(form.value(0)),
        _ => None,
    };
    assert_eq!(typed.as_deref(), Some("no stock"), "the typed reason stays");
    // The gathered event: read again, nothing changed, nothing said.
    assert!(asks_for_this_order(&next));
    let (_, effects) = h.reply(
        &mut s,
        &next[0],
        Ok(Reply::ServiceOrder(view(ServiceOrderStatus::Approved))),
    );
    assert!(toasts(&effects).is_empty());
}

#[test]
fn a_resync_re_reads_the_order_and_a_withdrawn_one_says_so() {
    let mut h = Harness::new(Role::ProcurementSpecialist);
    let (mut s, load) = h.open(|ctx| ServiceOrderScreen::open(Uuid::from_u128(7), ctx));
    h.reply(
        &mut s,
        &load[0],
        Ok(Reply::ServiceOrder(view(ServiceOrderStatus::Pending))),
    );
    let (reqs, _) = h.send(&mut s, ScreenMsg::Live(LiveEvent::resync()));
    assert!(asks_for_this_order(&reqs));
    let (_, effects) = h.reply(
        &mut s,
        &reqs[0],
        Err(ServiceError::NotFound("Service order".into())),
    );
    assert_eq!(
        toasts(&effects),
        vec![format!(
            "Service order {} was withdrawn",
            number(Uuid::from_u128(7))
        )]
    );
}
