//! Golden renders of the order queue and the build detail at 80x24, into `screens/order_queue/`,
//! `screens/order_detail/` and `screens/notifications/`.
//!
//! The App is driven through `update` only, with fake replies. The screens are reached the way a user
//! reaches them today: a notification about a build opens its detail, and Esc there leads to the queue.
use crate::harness::{
    Driver, init, notification_about_build, open_build_via_notification, user, user_for,
};
use chrono::{NaiveDate, NaiveDateTime};
use cleanstation::domain::Role;
use cleanstation::domain::notification::Notification;
use cleanstation::domain::order::{
    AccessoryLine, BasinConfig, BasinType, BuildConfig, DocumentLanguage, FaucetConfig,
    FaucetPlacement, FaucetType, FeetType, LegsType, OrderAction, OrderHeader, OrderPage, OrderRow,
    OrderStatus, PegboardColor, PegboardSizeType, PegboardType, SinkFamily, SprayerConfig,
    SprayerLocation, SprayerType, WorkflowDirection,
};
use cleanstation::domain::order_view::{BomSummary, HistoryEntry, OrderDetail};
use cleanstation::domain::user::UserSummary;
use cleanstation::error::ServiceError;
use cleanstation::msg::{Reply, Request};
use cleanstation::screens::ActiveScreen;
use cleanstation::theme::Theme;
use crossterm::event::KeyCode;
use std::time::Duration;
use uuid::Uuid;

use OrderStatus as S;

fn snap(screen: &str, state: &str, description: &str, text: &str) {
    crate::harness::snap_in!(screen, state, description, text);
}

fn date(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, m, d).expect("valid fixture date")
}

fn at(m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    date(m, d)
        .and_hms_opt(h, min, 0)
        .expect("valid fixture time")
}

fn oid(n: u128) -> Uuid {
    Uuid::from_u128(0x0001_0000 + n)
}

/// id, PO, build, customer, model, status, want date (month, day), assignee.
type RowSpec<'a> = (
    u128,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    OrderStatus,
    (u32, u32),
    Option<&'a str>,
);

/// Today in the fixtures is 2025-03-14; `days_left` follows from the want date.
fn order_row(spec: RowSpec) -> OrderRow {
    let (n, po, build, customer, model, status, want, assignee) = spec;
    let want_date = date(want.0, want.1);
    let days_left = i32::try_from((want_date - date(3, 14)).num_days()).expect("small");
    OrderRow {
        id: oid(n),
        po_number: po.into(),
        build_number: build.into(),
        customer_name: customer.into(),
        sink_model: model.into(),
        status,
        want_date,
        assignee: assignee.map(str::to_string),
        days_left,
    }
}

fn all_rows() -> Vec<OrderRow> {
    vec![
        order_row((
            8,
            "4500008",
            "24-0102",
            "Mercy General Hospital",
            "T2-B2",
            S::Shipped,
            (3, 7),
            None,
        )),
        order_row((
            1,
            "4500012",
            "24-0117",
            "St. Mary's Hospital",
            "T2-B2",
            S::ReadyForFinalQc,
            (3, 11),
            Some("Quentin Okafor"),
        )),
        order_row((
            2,
            "4500012",
            "24-0118",
            "St. Mary's Hospital",
            "T2-B2",
            S::ReadyForProduction,
            (3, 11),
            Some("Sam Brennan"),
        )),
        order_row((
            9,
            "4500015",
            "24-0119",
            "Bayview Medical Center",
            "T2-B1",
            S::PartsSent,
            (3, 12),
            Some("Priya Natarajan"),
        )),
        order_row((
            7,
            "4500034",
            "24-0133",
            "Children's Hospital Denver",
            "T2-B1",
            S::ReadyForShip,
            (3, 17),
            None,
        )),
        order_row((
            3,
            "4500019",
            "24-0121",
            "Northside Clinic",
            "T2-B1",
            S::ReadyForPreQc,
            (3, 18),
            None,
        )),
        order_row((
            6,
            "4500031",
            "24-0130",
            "Royal Alexandra Infirmary",
            "T2-B2",
            S::TestingComplete,
            (3, 20),
            Some("Sam Brennan"),
        )),
        order_row((
            10,
            "4500040",
            "24-0140",
            "County Veterans Hospital",
            "T2-B3",
            S::PackagingComplete,
            (3, 25),
            None,
        )),
        order_row((
            11,
            "4500021",
            "24-0124",
            "Harbour View Day Surgery",
            "T2-B2",
            S::ReadyForPreQc,
            (3, 28),
            Some("Quentin Okafor"),
        )),
        order_row((
            4,
            "4500023",
            "24-0126",
            "Lakeview Surgical Center",
            "T2-B3",
            S::OrderCreated,
            (4, 2),
            None,
        )),
        order_row((
            5,
            "4500023",
            "24-0127",
            "Lakeview Surgical Center",
            "T2-B3",
            S::PartsSent,
            (4, 2),
            Some("Priya Natarajan"),
        )),
        order_row((
            12,
            "4500044",
            "24-0142",
            "Western General",
            "T2-B1",
            S::ReadyForProduction,
            (4, 8),
            None,
        )),
    ]
}

/// The rows the server returns for a role's "My work" (docs/lifecycle.md §1.4).
pub(crate) fn my_work(role: Role) -> Vec<OrderRow> {
    let keep = |r: &OrderRow| match role {
        Role::ProcurementSpecialist => matches!(r.status, S::OrderCreated | S::PartsSent),
        Role::QcPerson => matches!(r.status, S::ReadyForPreQc | S::ReadyForFinalQc),
        Role::Assembler => {
            matches!(
                r.status,
                S::ReadyForProduction | S::TestingComplete | S::PackagingComplete
            ) && r.assignee.as_deref().is_none_or(|a| a == "Sam Brennan")
        }
        Role::ServiceDepartment => false,
        Role::ProductionCoordinator | Role::Admin => r.status != S::Shipped,
    };
    all_rows().into_iter().filter(keep).collect()
}

pub(crate) fn page(rows: Vec<OrderRow>, next: Option<&str>) -> Reply {
    Reply::Orders(OrderPage {
        rows,
        next: next.map(str::to_string),
    })
}

/// time, user, action, old status, new status, notes.
type Step<'a> = (
    NaiveDateTime,
    &'a str,
    &'a str,
    Option<OrderStatus>,
    OrderStatus,
    Option<&'a str>,
);

fn history(entries: &[Step]) -> Vec<HistoryEntry> {
    entries
        .iter()
        .map(|(t, user, action, old, new, notes)| HistoryEntry {
            timestamp: *t,
            user: (*user).into(),
            action: (*action).into(),
            old_status: *old,
            new_status: *new,
            notes: notes.map(str::to_string),
        })
        .collect()
}

fn build_config(build_number: &str) -> BuildConfig {
    BuildConfig {
        build_number: build_number.into(),
        sink_family: SinkFamily::Mdrd,
        sink_model: "T2-B2".into(),
        sink_width: 30,
        sink_length: 72,
        legs_type: LegsType::HeightAdjustable,
        legs_model: "DL27".into(),
        feet_type: FeetType::LockLevelingCasters,
        workflow_direction: WorkflowDirection::LeftToRight,
        has_pegboard: true,
        pegboard_color: Some(PegboardColor::Green),
        pegboard_type: Some(PegboardType::Perforated),
        pegboard_size_type: Some(PegboardSizeType::SameAsSink),
        pegboard_width: None,
        pegboard_length: None,
        basins: vec![
            BasinConfig {
                basin_index: 1,
                basin_type: BasinType::ESink,
                basin_width: 24,
                basin_length: 20,
                basin_depth: 10,
                is_custom_size: false,
                has_p_trap_drain: true,
                has_basin_light: true,
            },
            BasinConfig {
                basin_index: 2,
                basin_type: BasinType::EDrain,
                basin_width: 20,
                basin_length: 20,
                basin_depth: 8,
                is_custom_size: false,
                has_p_trap_drain: false,
                has_basin_light: false,
            },
        ],
        faucets: vec![FaucetConfig {
            faucet_type: FaucetType::WristBladeSwingSpout,
            quantity: 1,
            placement: FaucetPlacement::BetweenBasins,
        }],
        sprayers: vec![SprayerConfig {
            sprayer_type: SprayerType::AirGunKitTurret,
            quantity: 1,
            location: SprayerLocation::RightSide,
        }],
        accessories: vec![
            AccessoryLine {
                assembly_id: "T2-OA-MS-1026".into(),
                quantity: 1,
            },
            AccessoryLine {
                assembly_id: "T2-OA-PO-SHLF-1212".into(),
                quantity: 2,
            },
        ],
    }
}

/// id, PO, build, customer.
type Ids<'a> = (u128, &'a str, &'a str, &'a str);

fn detail(
    ids: Ids,
    status: OrderStatus,
    assignee: Option<(u128, &str)>,
    actions: Vec<OrderAction>,
    history: Vec<HistoryEntry>,
) -> OrderDetail {
    let (n, po, build, customer) = ids;
    let updated_at = history
        .iter()
        .map(|h| h.timestamp)
        .max()
        .unwrap_or(at(3, 3, 9, 0));
    OrderDetail {
        id: oid(n),
        header: OrderHeader {
            po_number: po.into(),
            customer_name: customer.into(),
            project_name: Some("Sterile processing refit".into()),
            sales_person: "Daniel Whitaker".into(),
            want_date: date(4, 2),
            order_language: DocumentLanguage::En,
            notes: Some(
                "Deliver to loading dock B; call the SPD manager 24 h before arrival.".into(),
            ),
        },
        build: build_config(build),
        status,
        assignee: assignee.map(|(u, name)| (Uuid::from_u128(u), name.to_string())),
        bom: Some(BomSummary {
            version: 2,
            status: if status == S::OrderCreated {
                "DRAFT"
            } else {
                "APPROVED"
            }
            .into(),
            top_level_lines: 14,
            notes: Some("W1: bolt-on shelf T2-OA-PO-SHLF-1212 without a solid pegboard".into()),
        }),
        floor: None,
        history,
        nonconformances: Vec::new(),
        actions,
        created_at: at(3, 3, 9, 0),
        updated_at,
    }
}

fn created_history(po: &str) -> Vec<HistoryEntry> {
    let notes = format!("PO {po}: build 1 of 2");
    history(&[(
        at(3, 3, 9, 0),
        "Carla Mendes",
        "ORDER_CREATED",
        None,
        S::OrderCreated,
        Some(&notes),
    )])
}

pub(crate) fn order_created(actions: Vec<OrderAction>) -> OrderDetail {
    detail(
        (4, "4500023", "24-0126", "Lakeview Surgical Center"),
        S::OrderCreated,
        None,
        actions,
        created_history("4500023"),
    )
}

pub(crate) fn ready_for_ship() -> OrderDetail {
    let h = history(&[
        (
            at(3, 13, 15, 40),
            "Quentin Okafor",
            "FINAL_QC_PASSED",
            Some(S::ReadyForFinalQc),
            S::ReadyForShip,
            Some("Final QC v3 signed; 0 findings"),
        ),
        (
            at(3, 13, 11, 5),
            "Sam Brennan",
            "SENT_TO_FINAL_QC",
            Some(S::PackagingComplete),
            S::ReadyForFinalQc,
            None,
        ),
        (
            at(3, 12, 16, 20),
            "Sam Brennan",
            "PACKAGING_COMPLETE",
            Some(S::TestingComplete),
            S::PackagingComplete,
            None,
        ),
        (
            at(3, 12, 10, 2),
            "Sam Brennan",
            "TESTING_COMPLETE",
            Some(S::ReadyForProduction),
            S::TestingComplete,
            None,
        ),
        (
            at(3, 7, 8, 30),
            "Quentin Okafor",
            "PRE_QC_PASSED",
            Some(S::ReadyForPreQc),
            S::ReadyForProduction,
            None,
        ),
        (
            at(3, 6, 14, 12),
            "Priya Natarajan",
            "BODY_ARRIVED",
            Some(S::PartsSent),
            S::ReadyForPreQc,
            None,
        ),
        (
            at(3, 4, 9, 45),
            "Priya Natarajan",
            "PARTS_SENT",
            Some(S::OrderCreated),
            S::PartsSent,
            None,
        ),
        (
            at(3, 3, 9, 0),
            "Carla Mendes",
            "ORDER_CREATED",
            None,
            S::OrderCreated,
            Some("PO 4500034: build 1 of 1"),
        ),
    ]);
    detail(
        (7, "4500034", "24-0133", "Children's Hospital Denver"),
        S::ReadyForShip,
        None,
        vec![OrderAction::Move { to: S::Shipped }],
        h,
    )
}

/// A build that went round twice: a failed Final QC sent it back to production.
fn long_history() -> OrderDetail {
    let h = history(&[
        (
            at(3, 14, 8, 15),
            "Carla Mendes",
            "ASSIGNED",
            Some(S::ReadyForProduction),
            S::ReadyForProduction,
            Some("to Sam Brennan"),
        ),
        (
            at(3, 13, 16, 50),
            "Quentin Okafor",
            "FINAL_QC_FAILED",
            Some(S::ReadyForFinalQc),
            S::ReadyForProduction,
            Some(
                "Basin 2 drain leaks at the P-trap union; reseal and retest. Assignment to Quentin Okafor cleared.",
            ),
        ),
        (
            at(3, 13, 9, 40),
            "Carla Mendes",
            "ASSIGNED",
            Some(S::ReadyForFinalQc),
            S::ReadyForFinalQc,
            Some("to Quentin Okafor"),
        ),
        (
            at(3, 12, 17, 5),
            "Sam Brennan",
            "SENT_TO_FINAL_QC",
            Some(S::PackagingComplete),
            S::ReadyForFinalQc,
            None,
        ),
        (
            at(3, 12, 14, 30),
            "Sam Brennan",
            "PACKAGING_COMPLETE",
            Some(S::TestingComplete),
            S::PackagingComplete,
            None,
        ),
        (
            at(3, 11, 15, 55),
            "Sam Brennan",
            "TESTING_COMPLETE",
            Some(S::ReadyForProduction),
            S::TestingComplete,
            None,
        ),
        (
            at(3, 10, 7, 50),
            "Carla Mendes",
            "ASSIGNED",
            Some(S::ReadyForProduction),
            S::ReadyForProduction,
            Some("to Sam Brennan"),
        ),
        (
            at(3, 7, 13, 20),
            "Quentin Okafor",
            "PRE_QC_PASSED",
            Some(S::ReadyForPreQc),
            S::ReadyForProduction,
            None,
        ),
        (
            at(3, 6, 10, 5),
            "Priya Natarajan",
            "BODY_ARRIVED",
            Some(S::PartsSent),
            S::ReadyForPreQc,
            None,
        ),
        (
            at(3, 4, 11, 25),
            "Priya Natarajan",
            "PARTS_SENT",
            Some(S::OrderCreated),
            S::PartsSent,
            None,
        ),
        (
            at(3, 3, 9, 2),
            "Carla Mendes",
            "ORDER_CREATED",
            None,
            S::OrderCreated,
            Some("PO 4500012: build 2 of 2"),
        ),
    ]);
    detail(
        (2, "4500012", "24-0118", "St. Mary's Hospital"),
        S::ReadyForProduction,
        Some((5, "Sam Brennan")),
        Vec::new(),
        h,
    )
}

fn notification_about(order: Uuid, build: &str, status: OrderStatus) -> Vec<Notification> {
    vec![
        notification_about_build(
            order,
            "ORDER_STATUS_CHANGE",
            "Order Status Updated",
            &format!("Order 4500023-{build} status changed to {status}"),
            at(3, 14, 9, 12),
        ),
        Notification {
            id: Uuid::from_u128(0x0901),
            title: "Password changed".into(),
            message: "Your password was changed at station ST-04.".into(),
            kind: "INFO".into(),
            is_read: false,
            created_at: at(3, 12, 7, 58),
            related: None,
        },
    ]
}

fn logged_in(role: Role, theme: Theme) -> Driver {
    let mut d = Driver::new(init(theme));
    d.login(user_for(role));
    d
}

/// Logs in as `role` and opens `detail` through a notification about it.
pub(crate) fn detail_as(role: Role, theme: Theme, detail: OrderDetail) -> Driver {
    let about = notification_about(detail.id, &detail.build.build_number, detail.status);
    open_build_via_notification(theme, role, about, detail)
}

/// The role's queue, reached from home after a build's detail opened from a notification (Esc leads
/// back to the notifications, then home); its first request is left unanswered.
pub(crate) fn queue_as(role: Role, theme: Theme) -> Driver {
    let mut d = detail_as(role, theme, order_created(Vec::new()));
    d.key(KeyCode::Esc);
    assert!(matches!(d.app.screen(), ActiveScreen::Notifications(_)));
    d.key(KeyCode::Esc);
    d.open_home_entry("Orders");
    assert!(matches!(d.app.screen(), ActiveScreen::OrderQueue(_)));
    d
}

pub(crate) fn answer_orders(d: &mut Driver, reply: Reply) {
    assert!(d.answer(|r| matches!(r, Request::ListOrders { .. }), Ok(reply)));
}

#[test]
fn queue_default_view_of_each_role() {
    let roles = [
        (Role::ProductionCoordinator, "coordinator", None),
        (Role::Admin, "admin", Some("cursor-12")),
        (Role::ProcurementSpecialist, "procurement", None),
        (Role::QcPerson, "qc", None),
        (Role::Assembler, "assembler", None),
    ];
    for (role, name, next) in roles {
        let mut d = queue_as(role, Theme::ansi());
        let req = d
            .take(|r| matches!(r, Request::ListOrders { .. }))
            .expect("the queue asks for its first page");
        let Request::ListOrders { query, .. } = &req.kind else {
            panic!("not a ListOrders");
        };
        assert_eq!(query.view, cleanstation::domain::order::QueueView::MyWork);
        d.reply(&req, Ok(page(my_work(role), next)));
        snap(
            "order_queue",
            name,
            &format!(
                "Order queue of a {} ({}): the default My work view, sorted by want date; \
                 overdue and due-soon builds carry text markers",
                role.title(),
                role.code()
            ),
            &d.render(80, 24),
        );
    }

    let mut d = queue_as(Role::ProductionCoordinator, Theme::mono());
    answer_orders(&mut d, page(my_work(Role::ProductionCoordinator), None));
    d.key(KeyCode::Down);
    d.key(KeyCode::Down);
    snap(
        "order_queue",
        "coordinator_mono",
        "The coordinator's queue in the monochrome theme: selection, OVERDUE and due soon read without colour",
        &d.render(80, 24),
    );
}

#[test]
fn queue_search_filters_and_paging() {
    // Searching: the field is open, the text has gone out after the pause and the matches are shown.
    let mut d = queue_as(Role::ProductionCoordinator, Theme::ansi());
    answer_orders(&mut d, page(my_work(Role::ProductionCoordinator), None));
    d.key(KeyCode::Char('/'));
    d.type_str("lakeview");
    d.tick(Duration::from_millis(250));
    d.tick(Duration::from_millis(250));
    d.tick(Duration::from_millis(250));
    let req = d
        .take(|r| matches!(r, Request::ListOrders { .. }))
        .expect("the search is sent after a pause");
    let Request::ListOrders { query, .. } = &req.kind else {
        panic!("not a ListOrders");
    };
    assert_eq!(query.search, "lakeview");
    let matches: Vec<OrderRow> = all_rows()
        .into_iter()
        .filter(|r| r.customer_name.starts_with("Lakeview"))
        .collect();
    d.reply(&req, Ok(page(matches, None)));
    snap(
        "order_queue",
        "searching",
        "Typing in the search field ('/'): the queue is filtered after a short pause; Enter keeps, Esc clears",
        &d.render(80, 24),
    );

    // Filtered to nothing: status Created and overdue.
    let mut d = queue_as(Role::ProductionCoordinator, Theme::ansi());
    answer_orders(&mut d, page(my_work(Role::ProductionCoordinator), None));
    d.key(KeyCode::Char('f'));
    d.key(KeyCode::Char('d'));
    let reqs: Vec<_> = d.sent.drain(..).collect();
    let last = reqs
        .iter()
        .rev()
        .find(|r| matches!(r.kind, Request::ListOrders { .. }))
        .expect("a filter change asks again");
    // The first filter's reply arrives late and is dropped.
    for r in &reqs {
        if r.id != last.id && matches!(r.kind, Request::ListOrders { .. }) {
            d.reply(r, Ok(page(my_work(Role::ProductionCoordinator), None)));
        }
    }
    d.reply(last, Ok(page(Vec::new(), None)));
    snap(
        "order_queue",
        "filtered_empty",
        "Status Created and due OVERDUE match nothing: the queue says so and how to clear the filters",
        &d.render(80, 24),
    );

    // An empty work queue.
    let mut d = queue_as(Role::QcPerson, Theme::ansi());
    answer_orders(&mut d, page(Vec::new(), None));
    snap(
        "order_queue",
        "empty_queue",
        "A QC inspector with nothing waiting for Pre-QC or Final QC",
        &d.render(80, 24),
    );

    // Paging: PgDn on the last row asks for the page after the cursor.
    let mut d = queue_as(Role::Admin, Theme::ansi());
    answer_orders(&mut d, page(my_work(Role::Admin), Some("cursor-12")));
    d.key(KeyCode::End);
    d.key(KeyCode::PageDown);
    let req = d
        .take(|r| matches!(r, Request::ListOrders { .. }))
        .expect("PgDn on the last row loads the next page");
    let Request::ListOrders { query, .. } = &req.kind else {
        panic!("not a ListOrders");
    };
    assert_eq!(query.after.as_deref(), Some("cursor-12"));
    snap(
        "order_queue",
        "loading_next_page",
        "PgDn on the last row: the next page (keyset cursor) is on its way and will be appended",
        &d.render(80, 24),
    );
    let more = vec![
        order_row((
            13,
            "4500047",
            "24-0150",
            "Pinecrest Rehabilitation",
            "T2-B1",
            S::OrderCreated,
            (4, 15),
            None,
        )),
        order_row((
            14,
            "4500047",
            "24-0151",
            "Pinecrest Rehabilitation",
            "T2-B1",
            S::OrderCreated,
            (4, 15),
            None,
        )),
    ];
    d.reply(&req, Ok(page(more, None)));
    snap(
        "order_queue",
        "next_page_appended",
        "The next page arrived: its rows are appended and the cursor moves onto the first of them",
        &d.render(80, 24),
    );

    // Enter opens the selected build.
    d.key(KeyCode::Enter);
    assert!(matches!(d.app.screen(), ActiveScreen::OrderDetail(_)));
    assert!(
        d.take(|r| matches!(r, Request::OrderDetail { order_id, .. } if *order_id == oid(13)))
            .is_some()
    );
}

/// Build `n` of a long queue: a synthetic row of the "All builds" view.
fn deep_row(n: u128) -> OrderRow {
    let customers = [
        "Mercy General Hospital",
        "Bayview Medical Center",
        "Northside Clinic",
    ];
    let i = usize::try_from(n).expect("small");
    OrderRow {
        id: oid(1_000 + n),
        po_number: format!("46{:05}", n / 2),
        build_number: format!("25-{n:04}"),
        customer_name: customers[i % customers.len()].into(),
        sink_model: "T2-B2".into(),
        status: S::ReadyForProduction,
        want_date: date(4, 1),
        assignee: None,
        days_left: 18,
    }
}

#[test]
fn queue_pages_let_go_are_asked_for_again() {
    // Eight pages of 50 reached with PgDn: the queue holds six, the first two were let go.
    let mut d = queue_as(Role::Admin, Theme::ansi());
    let mut req = d
        .take(|r| matches!(r, Request::ListOrders { .. }))
        .expect("the first page");
    for p in 0..8_u128 {
        let rows = (p * 50..p * 50 + 50).map(deep_row).collect();
        let next = format!("cursor-{}", p * 50 + 49);
        d.reply(&req, Ok(page(rows, Some(&next))));
        if p == 7 {
            break;
        }
        req = loop {
            d.key(KeyCode::PageDown);
            if let Some(r) = d.take(|r| matches!(r, Request::ListOrders { .. })) {
                break r;
            }
        };
        let Request::ListOrders { query, .. } = &req.kind else {
            panic!("not a ListOrders");
        };
        assert_eq!(query.after.as_deref(), Some(next.as_str()));
    }
    let ActiveScreen::OrderQueue(q) = d.app.screen() else {
        panic!("on the queue");
    };
    assert_eq!((q.rows().len(), q.rows().held()), (400, 300));
    // Home: the first page is asked for again by keyset (no cursor) and shows as loading meanwhile.
    d.key(KeyCode::Home);
    let again = d
        .take(|r| matches!(r, Request::ListOrders { .. }))
        .expect("Home asks for the first page again");
    let Request::ListOrders { query, .. } = &again.kind else {
        panic!("not a ListOrders");
    };
    assert_eq!(query.after, None);
    snap(
        "order_queue",
        "page_let_go_loading",
        "Home after paging through 400 builds: the first page was let go, so it is asked for again; \
         its rows show as loading and the count of builds reached stays",
        &d.render(80, 24),
    );
    d.reply(
        &again,
        Ok(page((0..50).map(deep_row).collect(), Some("cursor-49"))),
    );
    snap(
        "order_queue",
        "page_let_go_arrived",
        "The first page arrived again: the selection is on the first build, as before it arrived",
        &d.render(80, 24),
    );
}

#[test]
fn detail_by_role_and_action() {
    let mut d = detail_as(
        Role::ProductionCoordinator,
        Theme::ansi(),
        order_created(vec![
            OrderAction::Assign,
            OrderAction::EditConfiguration,
            OrderAction::RegenerateBom,
        ]),
    );
    snap(
        "order_detail",
        "order_created_coordinator",
        "ORDER_CREATED as the coordinator: Assign, Edit configuration and Regenerate BOM are offered, each on its key",
        &d.render(80, 24),
    );

    let mut d = detail_as(
        Role::ProcurementSpecialist,
        Theme::ansi(),
        order_created(vec![
            OrderAction::Move { to: S::PartsSent },
            OrderAction::ApproveBom,
            OrderAction::RegenerateBom,
        ]),
    );
    snap(
        "order_detail",
        "order_created_procurement",
        "ORDER_CREATED as procurement: the move to PARTS_SENT, and approving or regenerating the DRAFT BOM",
        &d.render(80, 24),
    );
    // The BOM is a DRAFT: the move is refused on the key, before any dialog opens.
    d.key(KeyCode::Char('m'));
    assert_eq!(
        d.app.key_stack()[0],
        cleanstation::keymap::KeyContext::MoveAction
    );
    assert!(
        d.take(|r| matches!(r, Request::Transition { .. }))
            .is_none()
    );
    for (w, h) in [(80, 24), (120, 40)] {
        snap(
            "order_detail",
            &format!("move_refused_before_dialog_{w}x{h}"),
            "m on a build whose BOM is a DRAFT: the refusal shows at once, no dialog opens",
            &d.render(w, h),
        );
    }

    let mut approved = order_created(vec![
        OrderAction::Move { to: S::PartsSent },
        OrderAction::RegenerateBom,
    ]);
    if let Some(bom) = approved.bom.as_mut() {
        bom.status = "APPROVED".into();
    }
    let mut d = detail_as(Role::ProcurementSpecialist, Theme::ansi(), approved);
    d.key(KeyCode::Char('m'));
    snap(
        "order_detail",
        "move_confirm",
        "m asks before moving the build",
        &d.render(80, 24),
    );

    // The race: another station moved the build first.
    d.key(KeyCode::Char('y'));
    let req = d
        .take(|r| matches!(r, Request::Transition { .. }))
        .expect("y sends the transition");
    assert_eq!(
        req.kind,
        Request::Transition {
            token: "token-procurement".into(),
            order_id: oid(4),
            from: S::OrderCreated,
            to: S::PartsSent,
            note: None,
            override_reason: None,
            password: None,
        }
    );
    d.reply(
        &req,
        Err(ServiceError::Conflict(
            "Build 24-0126 is now PARTS_SENT (changed by Omar Haddad at 09:12); your change was not saved"
                .into(),
        )),
    );
    let mut moved = order_created(vec![OrderAction::Move {
        to: S::ReadyForPreQc,
    }]);
    moved.status = S::PartsSent;
    moved.bom = moved.bom.map(|mut b| {
        b.status = "APPROVED".into();
        b
    });
    moved.history.push(HistoryEntry {
        timestamp: at(3, 14, 9, 12),
        user: "Omar Haddad".into(),
        action: "PARTS_SENT".into(),
        old_status: Some(S::OrderCreated),
        new_status: S::PartsSent,
        notes: None,
    });
    moved.updated_at = at(3, 14, 9, 12);
    assert!(d.answer(
        |r| matches!(r, Request::OrderDetail { .. }),
        Ok(Reply::Order(Box::new(moved))),
    ));
    snap(
        "order_detail",
        "race_conflict",
        "Another station moved the build first: the server's message is shown and the detail is reloaded",
        &d.render(80, 24),
    );

    // Approving the DRAFT BOM names the version shown; the reply reloads the detail.
    let mut d = detail_as(
        Role::ProcurementSpecialist,
        Theme::ansi(),
        order_created(vec![
            OrderAction::Move { to: S::PartsSent },
            OrderAction::ApproveBom,
            OrderAction::RegenerateBom,
        ]),
    );
    d.key(KeyCode::Char('b'));
    d.type_str("demo-pass");
    snap(
        "order_detail",
        "bom_approve_confirm",
        "b asks before approving the BOM version shown, and signs it: the printed name, the meaning APPROVED and the password (masked)",
        &d.render(80, 24),
    );
    d.key(KeyCode::Enter);
    let req = d
        .take(|r| matches!(r, Request::ApproveBom { .. }))
        .expect("Enter signs and sends the approval");
    assert_eq!(
        req.kind,
        Request::ApproveBom {
            token: "token-procurement".into(),
            order_id: oid(4),
            version: 2,
            password: "demo-pass".into(),
        }
    );
    d.reply(
        &req,
        Err(ServiceError::Conflict(
            "BOM version 2 is no longer current (now 3); your approval was not saved".into(),
        )),
    );
    assert!(d.answer(
        |r| matches!(r, Request::OrderDetail { .. }),
        Ok(Reply::Order(Box::new(order_created(vec![
            OrderAction::Move { to: S::PartsSent },
            OrderAction::ApproveBom,
            OrderAction::RegenerateBom,
        ])))),
    ));
    let ActiveScreen::OrderDetail(screen) = d.app.screen() else {
        panic!("still on the detail");
    };
    assert_eq!(
        screen.notice(),
        Some("BOM version 2 is no longer current (now 3); your approval was not saved")
    );
    d.key(KeyCode::Char('g'));
    snap(
        "order_detail",
        "bom_regenerate_confirm",
        "g asks before regenerating the BOM: the new DRAFT version must be approved again",
        &d.render(80, 24),
    );
    d.key(KeyCode::Char('y'));
    let req = d
        .take(|r| matches!(r, Request::RegenerateBom { .. }))
        .expect("y sends the regeneration");
    assert_eq!(
        req.kind,
        Request::RegenerateBom {
            token: "token-procurement".into(),
            order_id: oid(4),
        }
    );
    d.reply(
        &req,
        Ok(Reply::OrderUpdated(order_row((
            4,
            "4500023",
            "24-0126",
            "Lakeview Surgical Center",
            "T2-B2",
            S::OrderCreated,
            (4, 2),
            None,
        )))),
    );
    assert!(
        d.take(|r| matches!(r, Request::OrderDetail { .. }))
            .is_some(),
        "the reply reloads the detail"
    );

    let mut d = detail_as(Role::ProductionCoordinator, Theme::ansi(), ready_for_ship());
    d.key(KeyCode::Char('m'));
    d.type_str("1Z999AA10123456784");
    snap(
        "order_detail",
        "ship_dialog",
        "READY_FOR_SHIP as the coordinator: m opens the shipping dialog with the optional tracking number and note",
        &d.render(80, 24),
    );
    d.key(KeyCode::Enter);
    d.type_str("Two crates");
    d.key(KeyCode::Enter);
    d.type_str("wrong-pass");
    d.key(KeyCode::Enter);
    let req = d
        .take(|r| matches!(r, Request::Transition { .. }))
        .expect("Enter on the password signs and ships");
    assert!(matches!(
        &req.kind,
        Request::Transition { to: S::Shipped, note: Some(n), password: Some(p), .. }
            if n == "1Z999AA10123456784\nTwo crates" && p == "wrong-pass"
    ));
    d.reply(
        &req,
        Err(ServiceError::Invalid(
            "Wrong password; nothing was signed".into(),
        )),
    );
    snap(
        "order_detail",
        "ship_wrong_password",
        "A wrong password: the dialog stays with the tracking number and note, the password is cleared and the refusal shown",
        &d.render(80, 24),
    );

    // The administrator's override needs a reason.
    let mut pre_qc = detail(
        (3, "4500019", "24-0121", "Northside Clinic"),
        S::ReadyForPreQc,
        None,
        vec![
            OrderAction::Override {
                to: S::ReadyForProduction,
            },
            OrderAction::Override { to: S::PartsSent },
            OrderAction::Assign,
        ],
        created_history("4500019"),
    );
    pre_qc.header.want_date = date(3, 18);
    let mut d = detail_as(Role::Admin, Theme::ansi(), pre_qc);
    d.key(KeyCode::Char('o'));
    d.key(KeyCode::Enter);
    d.key(KeyCode::Enter);
    d.type_str("demo-pass");
    d.key(KeyCode::Enter);
    assert!(
        d.take(|r| matches!(r, Request::Transition { .. }))
            .is_none()
    );
    snap(
        "order_detail",
        "override_reason_required",
        "ADMIN override without a reason: refused on the spot with the rule's message; nothing is sent",
        &d.render(80, 24),
    );

    // The assign picker: active procurement specialists, the current one marked, and Unassign.
    let mut parts = detail(
        (5, "4500023", "24-0127", "Lakeview Surgical Center"),
        S::PartsSent,
        Some((3, "Priya Natarajan")),
        vec![OrderAction::Assign],
        created_history("4500023"),
    );
    parts.history.insert(
        0,
        HistoryEntry {
            timestamp: at(3, 5, 10, 0),
            user: "Priya Natarajan".into(),
            action: "PARTS_SENT".into(),
            old_status: Some(S::OrderCreated),
            new_status: S::PartsSent,
            notes: None,
        },
    );
    let mut d = detail_as(Role::ProductionCoordinator, Theme::ansi(), parts);
    d.key(KeyCode::Char('a'));
    let req = d
        .take(|r| {
            matches!(
                r,
                Request::UsersWithRole {
                    role: Role::ProcurementSpecialist,
                    ..
                }
            )
        })
        .expect("the picker asks for procurement specialists");
    let specialists: Vec<UserSummary> = vec![
        user_for(Role::ProcurementSpecialist),
        user(
            9,
            "o.haddad",
            "Omar Haddad",
            "OH",
            Role::ProcurementSpecialist,
        ),
    ];
    d.reply(&req, Ok(Reply::Users(specialists)));
    d.key(KeyCode::Down);
    snap(
        "order_detail",
        "assign_picker",
        "Assign in PARTS_SENT: active procurement specialists, the current assignee marked, and Unassign",
        &d.render(80, 24),
    );
    d.key(KeyCode::Enter);
    let req = d
        .take(|r| matches!(r, Request::Assign { .. }))
        .expect("Enter assigns");
    assert_eq!(
        req.kind,
        Request::Assign {
            token: "token-coordinator".into(),
            order_id: oid(5),
            expected: S::PartsSent,
            assignee: Some(Uuid::from_u128(9)),
        }
    );

    // A long history, scrolled down to it.
    let mut d = detail_as(Role::Assembler, Theme::ansi(), long_history());
    // The runtime draws after every key; the page size comes from the draw.
    d.render(80, 24);
    d.key(KeyCode::PageDown);
    for _ in 0..6 {
        d.render(80, 24);
        d.key(KeyCode::Down);
    }
    snap(
        "order_detail",
        "history_scrolled",
        "A build back in production after a failed Final QC, read-only for the assembler: PgDn and ↓ scroll to its history, newest first",
        &d.render(80, 24),
    );
}

#[test]
fn notification_opens_the_build() {
    let mut d = logged_in(Role::QcPerson, Theme::ansi());
    d.open_notifications(notification_about(oid(3), "24-0121", S::ReadyForPreQc));
    snap(
        "notifications",
        "related_build",
        "A notification about a build: Enter marks it read and opens the build",
        &d.render(80, 24),
    );
    d.key(KeyCode::Enter);
    assert!(matches!(d.app.screen(), ActiveScreen::OrderDetail(_)));
    assert!(
        d.take(|r| matches!(r, Request::OrderDetail { order_id, .. } if *order_id == oid(3)))
            .is_some()
    );
}

#[test]
fn no_panic_at_any_size() {
    let mut d = queue_as(Role::ProductionCoordinator, Theme::ansi());
    answer_orders(&mut d, page(my_work(Role::ProductionCoordinator), None));
    d.draw_every_size();
    d.key(KeyCode::Char('/'));
    d.type_str("mary");
    d.draw_every_size();

    let mut d = detail_as(Role::ProductionCoordinator, Theme::ansi(), ready_for_ship());
    d.draw_every_size();
    d.key(KeyCode::Char('m'));
    d.draw_every_size();
    let mut d = detail_as(Role::Assembler, Theme::mono(), long_history());
    d.key(KeyCode::End);
    d.draw_every_size();
}

#[test]
fn detail_summarises_the_floor() {
    use cleanstation::domain::floor::{
        FloorProgress, PackagingProgress, TestingFormSummary, TestingStatus,
    };
    let mut build = ready_for_ship();
    build.floor = Some(FloorProgress {
        tasks_done: 21,
        tasks_total: 21,
        testing: Some(TestingFormSummary {
            id: Uuid::from_u128(0x0a01),
            status: TestingStatus::Pass,
            performed_by: "Sam Brennan".into(),
            at: Some(at(3, 12, 15, 30)),
        }),
        packaging: Some(PackagingProgress {
            items_complete: 12,
            items: 12,
            completed: Some(("Sam Brennan".into(), Some(at(3, 12, 16, 45)))),
        }),
    });
    let mut d = detail_as(Role::ProductionCoordinator, Theme::ansi(), build);
    d.render(80, 24);
    d.key(KeyCode::PageDown);
    let screen = d.render(80, 24);
    snap(
        "order_detail",
        "floor_progress",
        "A build ready to ship: its tasks, the round's testing form and the packaging checklist, \
         who and when, under the BOM",
        &screen,
    );

    // In the middle of a round: tasks open, no form yet, packaging not generated.
    let mut build = long_history();
    build.floor = Some(FloorProgress {
        tasks_done: 21,
        tasks_total: 22,
        testing: None,
        packaging: None,
    });
    let mut d = detail_as(Role::ProductionCoordinator, Theme::ansi(), build);
    let text = d.render(80, 60);
    for (label, value) in [
        ("Tasks", "21 / 22 done"),
        ("Testing", "No form submitted in this round"),
        ("Packaging", "Not started"),
    ] {
        assert!(
            text.lines().any(|l| l.contains(label) && l.contains(value)),
            "{label} {value} missing:\n{text}"
        );
    }
}

/// A signature of the fixture build, checked.
fn signature(
    n: u128,
    meaning: cleanstation::domain::signature::Meaning,
    record: cleanstation::domain::signature::SignedRecord,
    name: &str,
    signed_at: NaiveDateTime,
    problem: Option<&str>,
) -> cleanstation::domain::signature::SignatureCheck {
    use cleanstation::domain::signature::{SignatureCheck, SignatureRecord, manifestation};
    let hash = format!("{n:064x}");
    SignatureCheck {
        signature: SignatureRecord {
            id: Uuid::from_u128(0x5100 + n),
            order_id: oid(6),
            meaning,
            record,
            signer_id: Uuid::from_u128(0x5200 + n),
            printed_name: name.into(),
            signed_at,
            reason: None,
            manifestation: manifestation(name, meaning, signed_at, &hash),
            content_sha256: hash,
        },
        verified: problem.is_none(),
        problem: problem.map(str::to_string),
    }
}

#[test]
fn detail_shows_the_builds_signatures_and_whether_each_verifies() {
    use cleanstation::domain::signature::{Meaning, SignedRecord};
    let mut d = detail_as(Role::ProductionCoordinator, Theme::ansi(), ready_for_ship());
    let checks = vec![
        signature(
            1,
            Meaning::Approved,
            SignedRecord::BillOfMaterials(Uuid::from_u128(0xB1)),
            "Priya Natarajan",
            at(3, 10, 9, 2),
            None,
        ),
        signature(
            2,
            Meaning::Tested,
            SignedRecord::TestingForm(Uuid::from_u128(0xB2)),
            "Sam Brennan",
            at(3, 12, 16, 40),
            None,
        ),
        signature(
            3,
            Meaning::Verified,
            SignedRecord::PackagingChecklist(Uuid::from_u128(0xB3)),
            "Sam Brennan",
            at(3, 13, 11, 5),
            Some("the signed packaging checklist no longer matches its signature"),
        ),
    ];
    assert!(d.answer(
        |r| matches!(r, Request::Signatures { .. }),
        Ok(Reply::Signatures(checks)),
    ));
    let text = d.render(100, 70);
    assert!(
        text.contains("Priya Natarajan | APPROVED | 2025-03-10T09:02:00Z"),
        "{text}"
    );
    assert!(text.contains("BOM version · verified"), "{text}");
    assert!(text.contains("DOES NOT VERIFY"), "{text}");
    snap(
        "order_detail",
        "signatures",
        "The build's signatures, oldest first: the manifestation (printed name | MEANING | UTC time), what each signs and whether it verifies",
        &text,
    );
}

/// A commit elsewhere changed build `row`'s own row (docs/live.md §1).
fn build_changed(row: Uuid, actor: Uuid, station: &str) -> cleanstation::msg::Msg {
    use cleanstation::domain::live::{Change, Entity, LiveEvent, Op};
    cleanstation::msg::Msg::Live(cleanstation::live::Live::Event(LiveEvent {
        station: Some(station.into()),
        actor: Some(actor),
        actor_name: Some("Luis Ortega".into()),
        changes: vec![Change {
            entity: Entity::Build,
            id: Some(row),
            op: Op::Update,
            reference: Some(row),
        }],
        everything: false,
    }))
}

#[test]
fn live_updates_at_the_shell_pause_resync_and_skip_the_stations_own_work() {
    use cleanstation::live::Live;
    use cleanstation::msg::Msg;
    let mut d = queue_as(Role::ProductionCoordinator, Theme::ansi());
    let rows = my_work(Role::ProductionCoordinator);
    let first = rows[0].id;
    answer_orders(&mut d, page(rows, None));
    d.render(100, 30);
    let me = d.app.session().map(|s| s.user.id).expect("logged in");
    // The station's own write: already shown from its reply.
    d.send(build_changed(first, me, "station:ST-04 Assembly"));
    assert!(d.take(|r| matches!(r, Request::OrderRows { .. })).is_none());
    assert!(!d.app.needs_draw(), "nothing to draw");
    // The same user at another station: read again.
    d.send(build_changed(first, me, "station:ST-09 Office"));
    assert!(d.take(|r| matches!(r, Request::OrderRows { .. })).is_some());
    // Another build changes while that re-read is on its way: it waits for the answer.
    d.send(build_changed(
        Uuid::from_u128(0xFFFF),
        Uuid::from_u128(9),
        "station:X",
    ));
    let asked = d.take(|r| matches!(r, Request::OrderRows { .. }));
    assert!(asked.is_none(), "one re-read on its way at a time");
    // The link drops: the status bar says so until it is back; then the screen reads again.
    d.send(Msg::Live(Live::Down));
    let text = d.render(100, 30);
    assert!(text.contains("live updates paused"), "{text}");
    snap(
        "order_queue",
        "live_paused",
        "The coordinator's queue while the station's live-updates link is down",
        &text,
    );
    d.send(Msg::Live(Live::Up { resync: true }));
    assert!(!d.render(100, 30).contains("live updates paused"));
    assert!(
        d.take(|r| matches!(r, Request::ListOrders { .. }))
            .is_some(),
        "a re-sync reads the queue again"
    );
}
