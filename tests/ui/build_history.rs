//! A build's history of changes (`H` on the build detail): keys to requests with scripted replies, and
//! golden renders at 110x32 into `screens/build_history/`. The inspector opens the build from a
//! notification, as the floor does.
use crate::harness::{
    Driver, at, floor_order_detail, notification_about_build, open_build_via_notification,
    t2_b2_build, users,
};
use cleanstation::domain::Role;
use cleanstation::domain::audit_trail::{
    AuditEntry, AuditPage, BuildHistory, HistoryQuery, Person, PersonFilter,
};
use cleanstation::domain::order::OrderStatus;
use cleanstation::msg::{Reply, Request, ServiceRequest};
use cleanstation::screens::ActiveScreen;
use cleanstation::theme::Theme;
use crossterm::event::KeyCode;
use serde_json::json;
use uuid::Uuid;

const W: u16 = 110;
const H: u16 = 32;
pub const ORDER: Uuid = Uuid::from_u128(0x0001_0014);

fn snap(state: &str, description: &str, text: &str) {
    crate::harness::snap_in!("build_history", state, description, text);
}

fn person(n: usize) -> (Uuid, String) {
    let u = &users()[n];
    (u.id, u.full_name.clone())
}

#[allow(clippy::too_many_arguments)]
fn entry(
    seq: i64,
    minute: u32,
    who: Option<usize>,
    action: &str,
    table: &str,
    entity: &str,
    old: Option<serde_json::Value>,
    new: Option<serde_json::Value>,
) -> AuditEntry {
    let who = who.map(person);
    AuditEntry {
        seq,
        at: at(14, 9, minute),
        user_id: who.as_ref().map(|w| w.0),
        user_name: who.map(|w| w.1),
        station: Some(if table == "Task" {
            "station:ST-04 Assembly".into()
        } else {
            "station:ST-01 Office".into()
        }),
        action: action.into(),
        table: table.into(),
        entity: entity.into(),
        old,
        new,
        bom_version: (table == "BOMItem").then_some(2),
    }
}

/// The newest rows of a build's history: a task completed, a QC answer, a status override with its
/// reason, a BOM line, a basin edited, the configuration edited, and a write without a session.
pub fn entries() -> Vec<AuditEntry> {
    let order = ORDER.to_string();
    vec![
        entry(
            5123,
            48,
            Some(4),
            "UPDATE",
            "Task",
            "7d0c3a51",
            Some(
                json!({"taskListId": "l1", "sequenceOrder": 4, "isCompleted": false, "completedBy": null, "notes": null}),
            ),
            Some(
                json!({"taskListId": "l1", "sequenceOrder": 4, "isCompleted": true, "completedBy": "Sam Brennan", "notes": "Torque checked"}),
            ),
        ),
        entry(
            5120,
            41,
            Some(3),
            "INSERT",
            "QCItemResult",
            "a41f0e22",
            None,
            Some(json!({"qcResultId": "r1", "resultValue": "YES", "isNA": false, "basinIndex": 1})),
        ),
        entry(
            5101,
            30,
            Some(0),
            "STATUS_OVERRIDE",
            "ProductionOrder",
            &order,
            Some(json!({"orderStatus": "PARTS_SENT"})),
            Some(json!({"orderStatus": "ORDER_CREATED", "reason": "PO revised by the customer"})),
        ),
        entry(
            5088,
            22,
            Some(1),
            "INSERT",
            "BOMItem",
            "bb01",
            None,
            Some(json!({"bomId": "b2", "itemId": "708.77", "quantity": 2, "notes": null})),
        ),
        entry(
            5087,
            22,
            Some(1),
            "UPDATE",
            "BasinConfiguration",
            "c1",
            Some(json!({"orderId": order, "basinIndex": 1, "basinDepth": 8})),
            Some(json!({"orderId": order, "basinIndex": 1, "basinDepth": 10})),
        ),
        entry(
            5086,
            22,
            Some(1),
            "UPDATE",
            "ProductionOrder",
            &order,
            Some(
                json!({"buildNumber": "24-0126", "sinkLength": 72, "updatedAt": "2025-03-14T09:00:00"}),
            ),
            Some(
                json!({"buildNumber": "24-0126", "sinkLength": 84, "updatedAt": "2025-03-14T09:22:00"}),
            ),
        ),
        entry(
            4990,
            5,
            None,
            "UPDATE",
            "ProductionOrder",
            &order,
            Some(json!({"buildNumber": "24-0126", "notes": null})),
            Some(json!({"buildNumber": "24-0126", "notes": "set \u{1b}[2J by hand"})),
        ),
    ]
}

fn people() -> Vec<Person> {
    let named = |n: usize| {
        let (id, name) = person(n);
        Person { id: Some(id), name }
    };
    vec![
        named(0),
        named(1),
        named(3),
        named(4),
        Person {
            id: None,
            name: "unattributed".into(),
        },
    ]
}

fn history(page: Vec<AuditEntry>, more: bool, people: Option<Vec<Person>>) -> Reply {
    Reply::BuildHistory(Box::new(BuildHistory {
        build_number: "24-0126".into(),
        page: AuditPage {
            entries: page,
            more,
        },
        people,
    }))
}

/// The history request waiting: (its query).
fn take_query(d: &mut Driver) -> (ServiceRequest, HistoryQuery) {
    let req = d
        .take(|r| matches!(r, Request::BuildHistory { .. }))
        .expect("a history request");
    let Request::BuildHistory {
        order_id, query, ..
    } = &req.kind
    else {
        panic!("not a history request");
    };
    assert_eq!(*order_id, ORDER);
    let q = query.clone();
    (req, q)
}

/// The inspector opens the build, then its history with `H`; the newest page is answered.
pub(crate) fn opened() -> Driver {
    let n = notification_about_build(
        ORDER,
        "ORDER_STATUS_CHANGE",
        "Build 24-0126 ready for Pre-QC",
        "Parts arrived",
        at(14, 8, 0),
    );
    let detail = floor_order_detail(
        ORDER,
        "4500023",
        t2_b2_build(json!({"buildNumber": "24-0126"})),
        OrderStatus::ReadyForPreQc,
        at(14, 9, 48),
    );
    let mut d = open_build_via_notification(Theme::ansi(), Role::QcPerson, vec![n], detail);
    d.key(KeyCode::Char('H'));
    assert!(matches!(d.app.screen(), ActiveScreen::BuildHistory(_)));
    let (req, q) = take_query(&mut d);
    assert_eq!(
        q,
        HistoryQuery {
            limit: 25,
            ..HistoryQuery::default()
        }
    );
    d.reply(&req, Ok(history(entries(), true, Some(people()))));
    d
}

#[test]
fn history_golden() {
    let mut d = opened();
    snap(
        "list",
        "Newest first: who, station, time, action and record; one line per field old → new; a note and an unattributed write",
        &d.render(W, H),
    );
    d.draw_every_size();
}

#[test]
fn the_field_filter_asks_again_from_the_newest_page() {
    let mut d = opened();
    d.key(KeyCode::Char('f'));
    d.type_str("Status");
    snap(
        "field_filter",
        "Typing the part of a field name to filter by",
        &d.render(W, H),
    );
    d.key(KeyCode::Enter);
    let (req, q) = take_query(&mut d);
    assert_eq!((q.field.as_str(), q.before), ("Status", None));
    d.reply(
        &req,
        Ok(history(entries()[2..3].to_vec(), false, Some(people()))),
    );
    snap(
        "filtered",
        "Only the status override changed a field named like Status",
        &d.render(W, H),
    );
    d.key(KeyCode::Char('c'));
    let (_, q) = take_query(&mut d);
    assert_eq!(q.field, "", "c clears the filters");
}

#[test]
fn p_cycles_through_the_people_present_and_capital_p_takes_a_name() {
    let mut d = opened();
    let mut seen = Vec::new();
    for _ in 0..6 {
        d.key(KeyCode::Char('p'));
        let (req, q) = take_query(&mut d);
        seen.push(q.person.clone());
        d.reply(&req, Ok(history(entries(), true, Some(people()))));
    }
    let (ada, carla) = (person(0), person(1));
    assert_eq!(seen[0], PersonFilter::User(ada.0, ada.1));
    assert_eq!(seen[1], PersonFilter::User(carla.0, carla.1));
    assert_eq!(seen[4], PersonFilter::Unattributed);
    assert_eq!(
        seen[5],
        PersonFilter::Anyone,
        "after the last, anyone again"
    );
    d.key(KeyCode::Char('P'));
    d.type_str("sam");
    d.key(KeyCode::Enter);
    let (_, q) = take_query(&mut d);
    assert_eq!(q.person, PersonFilter::Named("sam".into()));
}

#[test]
fn page_down_asks_for_rows_older_than_the_last_and_page_up_goes_back() {
    let mut d = opened();
    d.key(KeyCode::PageDown);
    let (req, q) = take_query(&mut d);
    assert_eq!(
        q.before,
        Some(4990),
        "keyset: older than the last row shown"
    );
    d.reply(&req, Ok(history(vec![entries()[6].clone()], false, None)));
    snap(
        "older_page",
        "The second and last page: page 2, newer rows with PgUp",
        &d.render(W, H),
    );
    d.key(KeyCode::PageDown);
    assert!(
        d.take(|r| matches!(r, Request::BuildHistory { .. }))
            .is_none(),
        "nothing older than the oldest page"
    );
    d.key(KeyCode::PageUp);
    let (_, q) = take_query(&mut d);
    assert_eq!(q.before, None, "back to the newest page");
}

#[test]
fn enter_shows_one_row_with_both_images_and_esc_leads_back() {
    let mut d = opened();
    d.key(KeyCode::Down);
    d.key(KeyCode::Down);
    d.key(KeyCode::Enter);
    snap(
        "detail",
        "The status override opened: both images, the changed fields marked",
        &d.render(W, H),
    );
    d.key(KeyCode::Esc);
    d.key(KeyCode::Esc);
    assert!(
        matches!(d.app.screen(), ActiveScreen::OrderDetail(_)),
        "Esc closes the row, then leads back to the build"
    );
}
