//! The queue's state machine: paging, search, filters, sort and stale replies.

use super::*;
use crate::domain::order::OrderPage;
use crate::error::Result;
use crate::msg::ServiceRequest;
use crate::screens::ScreenMsg;
use crate::screens::testkit::Harness;
use chrono::NaiveDate;

fn order(n: u128, days_left: i32) -> OrderRow {
    OrderRow {
        id: Uuid::from_u128(n),
        po_number: "4500012".into(),
        build_number: format!("24-{n:04}"),
        customer_name: "St. Mary's Hospital".into(),
        sink_model: "T2-B2".into(),
        status: OrderStatus::ReadyForProduction,
        want_date: NaiveDate::from_ymd_opt(2025, 3, 20).unwrap_or_default(),
        assignee: None,
        days_left,
    }
}

/// The queue just opened, with the one request it sent.
fn open(h: &mut Harness) -> (OrderQueueScreen, ServiceRequest) {
    let (s, mut reqs) = h.open(OrderQueueScreen::open);
    assert_eq!(reqs.len(), 1);
    (s, reqs.remove(0))
}

fn query_of(req: &ServiceRequest) -> OrderQuery {
    match &req.kind {
        Request::ListOrders { query, .. } => Some((**query).clone()),
        _ => None,
    }
    .expect("a ListOrders request")
}

fn page(rows: Vec<OrderRow>, next: Option<&str>) -> Reply {
    Reply::Orders(OrderPage {
        rows,
        next: next.map(str::to_string),
    })
}

fn reply(s: &mut OrderQueueScreen, req: &ServiceRequest, result: Result<Reply>) {
    let (mut ids, km) = (
        crate::screens::IdGen::default(),
        crate::keymap::Keymap::default(),
    );
    let mut ctx = Ctx::new(&mut ids, None, &km);
    s.on_reply(ServiceReply { id: req.id, result }, &mut ctx);
}

#[test]
fn opens_on_my_work_sorted_by_want_date() {
    let mut h = Harness::new(Role::QcPerson);
    let (_, req) = open(&mut h);
    let q = query_of(&req);
    assert_eq!(q.view, QueueView::MyWork);
    assert_eq!(q.sort, SortKey::WantDate);
    assert_eq!(q.after, None);
    assert_eq!(q.limit, PAGE_SIZE);
}

#[test]
fn page_down_on_the_last_row_requests_the_next_page_and_appends() {
    let mut h = Harness::new(Role::Assembler);
    let (mut s, req) = open(&mut h);
    reply(
        &mut s,
        &req,
        Ok(page(vec![order(1, 3), order(2, 9)], Some("c2"))),
    );
    let (reqs, _) = h.act(&mut s, Action::PageDown);
    assert!(reqs.is_empty(), "not yet at the last row");
    assert_eq!(s.table.selected(), Some(1));
    let (reqs, _) = h.act(&mut s, Action::PageDown);
    assert_eq!(reqs.len(), 1);
    let q = query_of(&reqs[0]);
    assert_eq!(q.after.as_deref(), Some("c2"));
    assert_eq!(q.view, QueueView::MyWork);
    // A second PgDn while the page is on its way asks nothing more.
    let (again, _) = h.act(&mut s, Action::PageDown);
    assert!(again.is_empty());
    reply(&mut s, &reqs[0], Ok(page(vec![order(3, 20)], None)));
    assert_eq!(s.rows().len(), 3);
    assert_eq!(s.selected().map(|r| r.id), Some(Uuid::from_u128(3)));
    // The last page: nothing more to ask for.
    let (none, _) = h.act(&mut s, Action::PageDown);
    assert!(none.is_empty());
}

#[test]
fn search_sends_the_text_after_a_pause_or_on_enter() {
    let mut h = Harness::new(Role::ProductionCoordinator);
    let (mut s, _) = open(&mut h);
    h.act(&mut s, Action::Search);
    assert!(s.is_searching());
    assert_eq!(s.key_contexts()[0], KeyContext::TextInput);
    for c in "mary".chars() {
        h.send(&mut s, ScreenMsg::Char(c));
    }
    let t0 = Instant::now();
    let (reqs, _) = h.send(&mut s, ScreenMsg::Tick(t0));
    assert!(reqs.is_empty(), "still typing");
    let (reqs, _) = h.run(|ctx| {
        s.update(
            ScreenMsg::Tick(t0 + SEARCH_PAUSE + Duration::from_millis(1)),
            ctx,
        )
    });
    assert_eq!(reqs.len(), 1);
    assert_eq!(query_of(&reqs[0]).search, "mary");
    // Enter sends at once and closes the field; the text stays applied.
    h.send(&mut s, ScreenMsg::Char('s'));
    let (reqs, _) = h.act(&mut s, Action::Search);
    assert_eq!(reqs.len(), 1);
    assert_eq!(query_of(&reqs[0]).search, "marys");
    assert!(!s.is_searching());
    // Esc in the field clears the search.
    h.act(&mut s, Action::Search);
    let (reqs, _) = h.act(&mut s, Action::ClearSearch);
    assert_eq!(query_of(&reqs[0]).search, "");
}

#[test]
fn enter_opens_the_selected_build() {
    let mut h = Harness::new(Role::QcPerson);
    let (mut s, req) = open(&mut h);
    reply(&mut s, &req, Ok(page(vec![order(1, 3), order(2, 9)], None)));
    h.act(&mut s, Action::Down);
    let (_, effects) = h.act(&mut s, Action::Open);
    assert_eq!(
        effects,
        vec![Effect::Navigate(ScreenId::OrderDetail(Uuid::from_u128(2)))]
    );
}

#[test]
fn stale_replies_are_dropped() {
    let mut h = Harness::new(Role::Admin);
    let (mut s, first) = open(&mut h);
    let (reqs, _) = h.act(&mut s, Action::ToggleView);
    assert_eq!(query_of(&reqs[0]).view, QueueView::All);
    reply(&mut s, &first, Ok(page(vec![order(1, 3)], None)));
    assert!(
        s.rows().is_empty(),
        "the My work page arrived after the switch"
    );
    reply(&mut s, &reqs[0], Ok(page(vec![order(2, 3)], None)));
    assert_eq!(s.rows().len(), 1);
}

#[test]
fn filters_and_sort_go_into_the_query() {
    let mut h = Harness::new(Role::Admin);
    let (mut s, _) = open(&mut h);
    let mut last = |action, s: &mut OrderQueueScreen| {
        let (reqs, _) = h.act(s, action);
        query_of(&reqs[0])
    };
    assert_eq!(
        last(Action::StatusFilter, &mut s).status,
        Some(OrderStatus::OrderCreated)
    );
    assert_eq!(last(Action::StatusFilterBack, &mut s).status, None);
    assert_eq!(
        last(Action::StatusFilterBack, &mut s).status,
        Some(OrderStatus::Shipped)
    );
    assert_eq!(last(Action::DueFilter, &mut s).due, DueFilter::Overdue);
    let q = last(Action::SortNext, &mut s);
    assert_eq!((q.sort, q.descending), (SortKey::Assignee, false));
    assert!(last(Action::SortReverse, &mut s).descending);
    let q = last(Action::ClearFilters, &mut s);
    assert_eq!((q.status, q.due), (None, DueFilter::Any));
}

#[test]
fn urgency_markers_are_text() {
    assert_eq!(due_marker(&order(1, -2)), Some("OVERDUE"));
    assert_eq!(days_cell(&order(1, -2)), "-2 OVERDUE");
    assert_eq!(days_cell(&order(1, 0)), "0 due soon");
    assert_eq!(days_cell(&order(1, 8)), "8");
    let mut shipped = order(1, -30);
    shipped.status = OrderStatus::Shipped;
    assert_eq!(due_marker(&shipped), None);
    assert_eq!(short_name("Priya Natarajan", 10), "Natarajan");
    assert_eq!(short_name("Sam Brennan", 10), "S. Brennan");
}
