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
        open_comments: 0,
        hold: None,
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
    assert_eq!(s.rows().selected_index(), Some(1));
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
fn search_sends_the_text_a_pause_after_the_last_key_or_on_enter() {
    let mut h = Harness::new(Role::ProductionCoordinator);
    let (mut s, _) = open(&mut h);
    h.act(&mut s, Action::Search);
    assert!(s.is_searching());
    assert_eq!(s.key_contexts()[0], KeyContext::TextInput);
    assert_eq!(s.wake_at(), None, "nothing typed yet");
    // The shell sends a tick with each key's moment right after the key.
    let t0 = Instant::now();
    for (i, c) in "mary".chars().enumerate() {
        h.send(&mut s, ScreenMsg::Char(c));
        let at = t0 + Duration::from_millis(30) * u32::try_from(i).unwrap_or(0);
        let (reqs, _) = h.send(&mut s, ScreenMsg::Tick(at));
        assert!(reqs.is_empty(), "still typing");
        assert_eq!(s.wake_at(), Some(at + SEARCH_PAUSE));
    }
    let last = t0 + Duration::from_millis(90);
    let (reqs, _) = h.send(
        &mut s,
        ScreenMsg::Tick(last + SEARCH_PAUSE - Duration::from_millis(1)),
    );
    assert!(reqs.is_empty(), "the pause is counted from the last key");
    let (reqs, _) = h.send(&mut s, ScreenMsg::Tick(last + SEARCH_PAUSE));
    assert_eq!(reqs.len(), 1);
    assert_eq!(query_of(&reqs[0]).search, "mary");
    assert_eq!(s.wake_at(), None, "nothing waits to go out");
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
fn an_older_search_never_overwrites_a_newer_result() {
    let mut h = Harness::new(Role::ProductionCoordinator);
    let (mut s, first) = open(&mut h);
    reply(&mut s, &first, Ok(page(vec![order(1, 3)], None)));
    h.act(&mut s, Action::Search);
    let t0 = Instant::now();
    let mut sent = Vec::new();
    for (text, at) in [("ma", t0), ("ry", t0 + Duration::from_secs(1))] {
        h.send(&mut s, ScreenMsg::Paste(text.into()));
        h.send(&mut s, ScreenMsg::Tick(at));
        let (reqs, _) = h.send(&mut s, ScreenMsg::Tick(at + SEARCH_PAUSE));
        assert_eq!(reqs.len(), 1);
        sent.push(reqs[0].clone());
    }
    assert_eq!(query_of(&sent[1]).search, "mary");
    // The newer answer first, then the older one: the older is dropped.
    reply(&mut s, &sent[1], Ok(page(vec![order(2, 3)], None)));
    reply(
        &mut s,
        &sent[0],
        Ok(page(vec![order(3, 3), order(4, 3)], None)),
    );
    assert_eq!(s.rows().len(), 1);
    assert_eq!(s.selected().map(|r| r.id), Some(Uuid::from_u128(2)));
    // And the older answer before the newer one is dropped too.
    h.send(&mut s, ScreenMsg::Paste("!".into()));
    h.send(&mut s, ScreenMsg::Tick(t0 + Duration::from_secs(2)));
    let (reqs, _) = h.send(&mut s, ScreenMsg::Tick(t0 + Duration::from_secs(3)));
    reply(
        &mut s,
        &sent[0],
        Ok(page(vec![order(3, 3), order(4, 3)], None)),
    );
    assert_eq!(s.selected().map(|r| r.id), Some(Uuid::from_u128(2)));
    reply(&mut s, &reqs[0], Ok(page(Vec::new(), None)));
    assert!(s.rows().is_empty());
}

#[test]
fn a_reload_keeps_the_selected_build() {
    let mut h = Harness::new(Role::Admin);
    let (mut s, req) = open(&mut h);
    let rows = vec![order(1, 3), order(2, 4), order(3, 5)];
    reply(&mut s, &req, Ok(page(rows, None)));
    h.act(&mut s, Action::Down);
    h.act(&mut s, Action::Down);
    let (reqs, _) = h.act(&mut s, Action::Refresh);
    // Build 1 was shipped meanwhile: build 3 is now the second row.
    reply(
        &mut s,
        &reqs[0],
        Ok(page(vec![order(2, 4), order(3, 5)], None)),
    );
    assert_eq!(s.rows().selected_index(), Some(1));
    assert_eq!(s.selected().map(|r| r.id), Some(Uuid::from_u128(3)));
}

#[test]
fn a_page_let_go_is_asked_for_again_with_the_queue_s_filters() {
    let mut h = Harness::new(Role::Admin);
    let (mut s, _) = open(&mut h);
    let (reqs, _) = h.act(&mut s, Action::DueFilter);
    let mut req = reqs[0].clone();
    // Ten pages of 50 builds, paged through with PgDn.
    for p in 0..10_u128 {
        let rows = (p * 50 + 1..=p * 50 + 50).map(|n| order(n, 3)).collect();
        let next = (p < 9).then(|| format!("after-{}", p * 50 + 50));
        reply(&mut s, &req, Ok(page(rows, next.as_deref())));
        let mut reqs = Vec::new();
        while reqs.is_empty() && p < 9 {
            reqs = h.act(&mut s, Action::PageDown).0;
        }
        if let Some(r) = reqs.pop() {
            req = r;
        }
        assert!(s.rows().held() <= HELD_PAGES * PAGE_SIZE as usize);
    }
    assert_eq!(s.rows().len(), 500);
    let (reqs, _) = h.act(&mut s, Action::First);
    assert_eq!(s.selected(), None, "row 1 is on its way");
    let q = query_of(&reqs[0]);
    assert_eq!((q.after, q.due), (None, DueFilter::Overdue));
    reply(
        &mut s,
        &reqs[0],
        Ok(page(
            (1..=50).map(|n| order(n, 3)).collect(),
            Some("after-50"),
        )),
    );
    assert_eq!(s.selected().map(|r| r.id), Some(Uuid::from_u128(1)));
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
        Some(OrderStatus::Cancelled)
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

/// An event from another station: `entity` of build `n` changed.
fn changed(entity: crate::domain::live::Entity, n: u128) -> LiveEvent {
    LiveEvent {
        station: Some("station:ASM-2".into()),
        actor_name: Some("Luis Ortega".into()),
        changes: vec![crate::domain::live::Change {
            entity,
            id: Some(Uuid::from_u128(n)),
            op: crate::domain::live::Op::Update,
            reference: Some(Uuid::from_u128(n)),
        }],
        ..LiveEvent::default()
    }
}

fn rows_asked(req: &ServiceRequest) -> Vec<Uuid> {
    match &req.kind {
        Request::OrderRows { ids, .. } => Some(ids.clone()),
        _ => None,
    }
    .expect("an OrderRows request")
}

#[test]
fn an_event_re_reads_one_row_and_keeps_the_cursor_and_the_typed_search() {
    use crate::domain::live::Entity;
    let mut h = Harness::new(Role::ProductionCoordinator);
    let (mut s, req) = open(&mut h);
    let rows: Vec<OrderRow> = (1..=60).map(|n| order(n, 10)).collect();
    h.reply(&mut s, &req, Ok(page(rows[..50].to_vec(), Some("c50"))));
    for _ in 0..3 {
        h.act(&mut s, Action::Down);
    }
    h.act(&mut s, Action::Search);
    for c in "24-".chars() {
        h.send(&mut s, ScreenMsg::Char(c));
    }
    // A task of build 2 is not on the queue's rows: nothing to read.
    let (reqs, _) = h.send(&mut s, ScreenMsg::Live(changed(Entity::Task, 2)));
    assert!(reqs.is_empty());
    // Build 2's own row changed: only it is asked for.
    let (reqs, _) = h.send(&mut s, ScreenMsg::Live(changed(Entity::Build, 2)));
    assert_eq!(reqs.len(), 1);
    assert_eq!(rows_asked(&reqs[0]), vec![Uuid::from_u128(2)]);
    // Another event meanwhile waits for the first answer.
    let (more, _) = h.send(&mut s, ScreenMsg::Live(changed(Entity::Build, 4)));
    assert!(more.is_empty(), "one re-read on its way at a time");
    let mut moved = order(2, 10);
    moved.status = OrderStatus::TestingComplete;
    let (next, effects) = h.reply(&mut s, &reqs[0], Ok(Reply::OrderRows(vec![moved])));
    assert!(
        effects.is_empty(),
        "no toast: the change is not on the selected row"
    );
    assert_eq!(
        s.rows().row(1).map(|r| r.status),
        Some(OrderStatus::TestingComplete)
    );
    assert_eq!(s.rows().selected_index(), Some(3), "the cursor stays");
    assert_eq!(s.rows().len(), 50);
    assert!(s.is_searching(), "the search field stays open");
    assert_eq!(
        s.search.as_ref().map(|f| f.field.value()),
        Some("24-".to_string()),
        "the typed search is kept"
    );
    // The gathered event goes out now; build 4 is the selected row and it left this list.
    assert_eq!(next.len(), 1);
    assert_eq!(rows_asked(&next[0]), vec![Uuid::from_u128(4)]);
    let (_, effects) = h.reply(&mut s, &next[0], Ok(Reply::OrderRows(vec![])));
    assert_eq!(s.rows().len(), 49);
    assert_eq!(s.selected().map(|r| r.id), Some(Uuid::from_u128(5)));
    assert!(
        effects.iter().any(|e| matches!(e, Effect::Toast(t)
            if t.text.contains("24-0004 left this list by Luis Ortega at station ASM-2"))),
        "{effects:?}"
    );
}

#[test]
fn a_resync_reloads_and_keeps_the_selected_build() {
    let mut h = Harness::new(Role::ProductionCoordinator);
    let (mut s, req) = open(&mut h);
    h.reply(&mut s, &req, Ok(page(vec![order(1, 3), order(2, 9)], None)));
    h.act(&mut s, Action::Down);
    let (reqs, _) = h.send(&mut s, ScreenMsg::Live(LiveEvent::resync()));
    assert_eq!(reqs.len(), 1);
    assert_eq!(query_of(&reqs[0]).after, None);
    h.reply(
        &mut s,
        &reqs[0],
        Ok(page(vec![order(3, 1), order(2, 9)], None)),
    );
    assert_eq!(s.selected().map(|r| r.id), Some(Uuid::from_u128(2)));
}
