//! Procurement's service-order screens: the queue and one order being approved, rejected or fulfilled,
//! driven by keys with scripted replies, and golden renders at 100x30 into `screens/service_queue/` and
//! `screens/service_order/`.
//!
//! The orders are reached the way procurement reaches them: the home menu's "Service orders", then Enter.
use crate::harness::{Driver, at, user_for};
use chrono::{Duration as Span, NaiveDateTime};
use cleanstation::domain::Role;
use cleanstation::domain::bom::ItemType;
use cleanstation::domain::service_order::{
    LineApproval, ServiceOrderLine, ServiceOrderScope, ServiceOrderStatus, ServiceOrderSummary,
    ServiceOrderView, number,
};
use cleanstation::error::ServiceError;
use cleanstation::keymap::KeyContext;
use cleanstation::msg::{Reply, Request, ServiceRequest};
use cleanstation::screens::service_order::{AT_LEAST_ONE, REASON_REQUIRED, ServiceOrderScreen};
use cleanstation::screens::{ActiveScreen, Screen};
use cleanstation::theme::Theme;
use crossterm::event::KeyCode;
use uuid::Uuid;

const W: u16 = 100;
const H: u16 = 30;

fn snap(screen: &str, state: &str, description: &str, text: &str) {
    crate::harness::snap_in!(screen, state, description, text);
}

fn order_id(n: u128) -> Uuid {
    // The number is the first eight hex digits, so they differ per order.
    Uuid::from_u128(((0x1A2B_3C00 + n) << 96) | n)
}

fn line_id(n: u128) -> Uuid {
    Uuid::from_u128(0x7100 + n)
}

fn summary(
    n: u128,
    status: ServiceOrderStatus,
    requested_by: &str,
    requested_at: NaiveDateTime,
    lines: i64,
    total: i64,
    processed_by: Option<&str>,
) -> ServiceOrderSummary {
    let id = order_id(n);
    ServiceOrderSummary {
        id,
        number: number(id),
        status,
        requested_by: requested_by.into(),
        requested_at: Some(requested_at),
        processed_by: processed_by.map(str::to_string),
        processed_at: processed_by.map(|_| at(14, 10, 2)),
        lines,
        total_quantity: total,
    }
}

/// The queue as the server orders it: PENDING, then APPROVED, oldest first; then the closed ones, newest
/// first.
pub(crate) fn queue() -> Vec<ServiceOrderSummary> {
    let now = at(14, 12, 0);
    vec![
        summary(
            1,
            ServiceOrderStatus::Pending,
            "Sofia Russo",
            now - Span::days(3) - Span::hours(2),
            3,
            8,
            None,
        ),
        summary(
            2,
            ServiceOrderStatus::Pending,
            "Marco Bellini",
            now - Span::hours(5) - Span::minutes(20),
            1,
            2,
            None,
        ),
        summary(
            3,
            ServiceOrderStatus::Approved,
            "Sofia Russo",
            now - Span::days(6),
            2,
            3,
            Some("Priya Natarajan"),
        ),
        summary(
            4,
            ServiceOrderStatus::Rejected,
            "Marco Bellini",
            now - Span::days(9),
            1,
            40,
            Some("Ada Lindqvist"),
        ),
        summary(
            5,
            ServiceOrderStatus::Fulfilled,
            "Sofia Russo",
            now - Span::days(21),
            4,
            12,
            Some("Priya Natarajan"),
        ),
    ]
}

fn line(
    n: u128,
    part_id: &str,
    name: &str,
    part_type: ItemType,
    quantity: i32,
) -> ServiceOrderLine {
    ServiceOrderLine {
        id: line_id(n),
        part_id: part_id.into(),
        part_type,
        name: Some(name.into()),
        quantity,
    }
}

/// Sofia Russo's pending order: three lines, 5 + 2 + 1.
pub(crate) fn pending() -> ServiceOrderView {
    let lines = vec![
        line(
            1,
            "T2-DRAIN-VALVE",
            "Electronic drain solenoid valve",
            ItemType::Part,
            5,
        ),
        line(
            2,
            "T2-DRAIN-BSKT",
            "Drain basket assembly",
            ItemType::Assembly,
            2,
        ),
        line(
            3,
            "T2-OA-SINK-STRAINER",
            "Sink strainer, laser-marked",
            ItemType::Part,
            1,
        ),
    ];
    ServiceOrderView {
        summary: summary(
            1,
            ServiceOrderStatus::Pending,
            "Sofia Russo",
            at(11, 8, 12),
            3,
            8,
            None,
        ),
        requested_by_id: Uuid::from_u128(6),
        notes: Some("For the field repair at Lakeview Surgical Center, room 4.".into()),
        internal_notes: Some(String::new()),
        lines,
    }
}

/// The same order after Priya approved 3 of the 5 valves and dropped the strainer.
fn approved() -> ServiceOrderView {
    let mut v = pending();
    v.summary.status = ServiceOrderStatus::Approved;
    v.summary.processed_by = Some("Priya Natarajan".into());
    v.summary.processed_at = Some(at(14, 10, 2));
    v.summary.lines = 2;
    v.summary.total_quantity = 5;
    v.lines.truncate(2);
    if let Some(l) = v.lines.first_mut() {
        l.quantity = 3;
    }
    v.notes = Some(
        "For the field repair at Lakeview Surgical Center, room 4.\n\
         2025-03-14 10:02 APPROVED by Priya Natarajan: T2-DRAIN-VALVE 5->3, T2-OA-SINK-STRAINER 1->0; \
         two valves follow with the next delivery"
            .into(),
    );
    v.internal_notes = Some("Supplier back-order PO 88123 for the valves".into());
    v
}

pub(crate) fn login(role: Role) -> Driver {
    let mut d = Driver::new(crate::harness::init(Theme::ansi()));
    d.login(user_for(role));
    d
}

/// Opens the queue from home; returns the list request (unanswered).
pub(crate) fn open_queue(d: &mut Driver) -> ServiceRequest {
    d.open_home_entry("Service orders");
    assert!(matches!(d.app.screen(), ActiveScreen::ServiceQueue(_)));
    d.take(|r| matches!(r, Request::ServiceOrders { .. }))
        .expect("the queue asks for its list")
}

/// Logs in as `role`, opens the queue and then `view` from it.
pub(crate) fn open_order(role: Role, view: ServiceOrderView) -> Driver {
    let mut d = login(role);
    let req = open_queue(&mut d);
    let mut rows = queue();
    if let Some(first) = rows.first_mut() {
        *first = view.summary.clone();
    }
    d.reply(&req, Ok(Reply::ServiceOrders(rows)));
    d.key(KeyCode::Enter);
    let id = view.summary.id;
    assert!(d.answer(
        |r| matches!(r, Request::ServiceOrder { id: i, .. } if *i == id),
        Ok(Reply::ServiceOrder(Box::new(view))),
    ));
    d
}

fn screen(d: &Driver) -> &ServiceOrderScreen {
    match d.app.screen() {
        ActiveScreen::ServiceOrder(s) => s,
        _ => panic!("the service order screen is shown"),
    }
}

fn no_writes(d: &Driver) -> bool {
    !d.sent.iter().any(|r| {
        matches!(
            r.kind,
            Request::ApproveServiceOrder { .. }
                | Request::RejectServiceOrder { .. }
                | Request::FulfilServiceOrder { .. }
        )
    })
}

/// From the approval dialog's first line to its last field (Up wraps around), then Enter and `y`.
fn submit_approval(d: &mut Driver) {
    d.key(KeyCode::Up);
    d.key(KeyCode::Enter);
    confirm(d);
}

/// Enter on a decision's last field only asks; `y` sends it.
fn confirm(d: &mut Driver) {
    assert!(no_writes(d), "Enter alone sends no decision");
    assert!(screen(d).question().is_some(), "Enter asks");
    assert_eq!(d.app.key_stack(), vec![KeyContext::Confirm]);
    d.key(KeyCode::Enter);
    assert!(no_writes(d));
    d.key(KeyCode::Char('y'));
}

#[test]
fn the_queue_keeps_the_server_order_and_the_filter_cycles_through_the_statuses() {
    let mut d = login(Role::ProcurementSpecialist);
    let req = open_queue(&mut d);
    assert!(matches!(
        req.kind,
        Request::ServiceOrders {
            scope: ServiceOrderScope::Queue,
            status: None,
            ..
        }
    ));
    d.reply(&req, Ok(Reply::ServiceOrders(queue())));
    let text = d.render(W, H);
    let pos = |n: u128| {
        text.find(&number(order_id(n)))
            .unwrap_or_else(|| panic!("order {n} is listed"))
    };
    assert!(pos(1) < pos(2) && pos(2) < pos(3) && pos(3) < pos(4) && pos(4) < pos(5));

    let mut filters = Vec::new();
    for _ in 0..5 {
        d.key(KeyCode::Char('f'));
        let req = d
            .take(|r| matches!(r, Request::ServiceOrders { .. }))
            .expect("each filter asks again");
        if let Request::ServiceOrders { status, scope, .. } = req.kind {
            assert_eq!(scope, ServiceOrderScope::Queue);
            filters.push(status);
        }
    }
    assert_eq!(
        filters,
        vec![
            Some(ServiceOrderStatus::Pending),
            Some(ServiceOrderStatus::Approved),
            Some(ServiceOrderStatus::Rejected),
            Some(ServiceOrderStatus::Fulfilled),
            None,
        ]
    );

    // The cursor opens the order it is on.
    d.key(KeyCode::F(5));
    d.key(KeyCode::Down);
    d.key(KeyCode::Enter);
    assert!(
        d.take(|r| matches!(r, Request::ServiceOrder { id, .. } if *id == order_id(2)))
            .is_some(),
        "Enter opens the second order"
    );
}

#[test]
fn the_queue_golden() {
    let mut d = login(Role::ProcurementSpecialist);
    let req = open_queue(&mut d);
    d.reply(&req, Ok(Reply::ServiceOrders(queue())));
    d.key(KeyCode::Down);
    snap(
        "service_queue",
        "queue",
        "Procurement's queue: the two PENDING orders and the APPROVED one oldest first, then the closed ones newest first",
        &d.render(W, H),
    );
}

#[test]
fn escape_leads_home_from_the_queue_and_back_to_the_queue_from_an_order() {
    let mut d = open_order(Role::ProcurementSpecialist, pending());
    d.key(KeyCode::Esc);
    assert!(matches!(d.app.screen(), ActiveScreen::ServiceQueue(_)));
    d.key(KeyCode::Esc);
    assert!(matches!(d.app.screen(), ActiveScreen::Home(_)));
}

#[test]
fn approval_sends_a_reduced_and_a_removed_line_and_shows_the_reply() {
    let mut d = open_order(Role::ProcurementSpecialist, pending());
    assert!(d.app.key_stack().contains(&KeyContext::ServiceOrderPending));
    d.key(KeyCode::Char('a'));
    assert!(screen(&d).is_dialog_open());
    // Line 1: 5 -> 3 typed; line 2 stays at 2; line 3: 1 -> 0 with '-'.
    d.key(KeyCode::Char('3'));
    d.key(KeyCode::Tab);
    d.key(KeyCode::Tab);
    d.key(KeyCode::Char('-'));
    d.key(KeyCode::Tab);
    d.type_str("two valves follow");
    d.key(KeyCode::Tab);
    d.type_str("back-order PO 88123");
    d.key(KeyCode::Enter);
    for (w, h) in [(80, 24), (120, 40)] {
        snap(
            "service_order",
            &format!("approve_question_{w}x{h}"),
            "Enter on the approval's last field asks: the order, lines kept, units and the note",
            &d.render(w, h),
        );
    }
    confirm(&mut d);
    let req = d
        .take(|r| matches!(r, Request::ApproveServiceOrder { .. }))
        .expect("Enter on the last field approves");
    let Request::ApproveServiceOrder {
        id,
        lines,
        note,
        internal_note,
        ..
    } = &req.kind
    else {
        panic!("an approval");
    };
    assert_eq!(*id, order_id(1));
    assert_eq!(
        lines,
        &vec![
            LineApproval {
                line_id: line_id(1),
                quantity: 3
            },
            LineApproval {
                line_id: line_id(2),
                quantity: 2
            },
            LineApproval {
                line_id: line_id(3),
                quantity: 0
            },
        ]
    );
    assert_eq!(note.as_deref(), Some("two valves follow"));
    assert_eq!(internal_note.as_deref(), Some("back-order PO 88123"));

    d.reply(&req, Ok(Reply::ServiceOrder(Box::new(approved()))));
    assert!(!screen(&d).is_dialog_open());
    let toast = d.app.toast().map(|t| t.text.clone());
    assert_eq!(toast, Some(format!("{} APPROVED", number(order_id(1)))));
    assert_eq!(
        screen(&d).order().map(|o| o.summary.status),
        Some(ServiceOrderStatus::Approved)
    );
    let stack = d.app.key_stack();
    assert!(!stack.contains(&KeyContext::ServiceOrderPending));
    assert!(stack.contains(&KeyContext::ServiceOrderApproved));
}

#[test]
fn quantities_out_of_bounds_are_refused_on_screen() {
    let mut d = open_order(Role::ProcurementSpecialist, pending());
    d.key(KeyCode::Char('a'));
    // 9 of 5 requested.
    d.key(KeyCode::Char('9'));
    d.key(KeyCode::Up);
    d.key(KeyCode::Enter);
    assert!(
        screen(&d).question().is_none(),
        "nothing to ask while a line is out of bounds"
    );
    assert!(
        no_writes(&d),
        "nothing is sent while a line is out of bounds"
    );
    let approval = screen(&d).approval().expect("the dialog stays open");
    assert_eq!(
        approval.lines[0].error.as_deref(),
        Some("Approved quantity for T2-DRAIN-VALVE must be 0 to 5")
    );
    assert!(
        d.render(W, H)
            .contains("Approved quantity for T2-DRAIN-VALVE must be 0 to 5")
    );

    // '+' never goes above the request either.
    d.key(KeyCode::Char('5'));
    d.key(KeyCode::Tab);
    d.key(KeyCode::Char('+'));
    let approval = screen(&d).approval().expect("the dialog stays open");
    assert_eq!(approval.lines[1].quantity(), Some(2));
    assert_eq!(
        approval.lines[1].error.as_deref(),
        Some("Approved quantity for T2-DRAIN-BSKT must be 0 to 2")
    );

    // Every line at 0 is a rejection, not an approval.
    d.key(KeyCode::BackTab);
    d.key(KeyCode::Char('0'));
    d.key(KeyCode::Tab);
    d.key(KeyCode::Char('0'));
    d.key(KeyCode::Tab);
    d.key(KeyCode::Char('0'));
    d.key(KeyCode::Tab);
    d.key(KeyCode::Tab);
    d.key(KeyCode::Enter);
    assert!(no_writes(&d));
    let approval = screen(&d).approval().expect("the dialog stays open");
    assert_eq!(approval.error.as_deref(), Some(AT_LEAST_ONE));
    assert!(d.render(W, H).contains(AT_LEAST_ONE));
}

#[test]
fn the_approve_dialog_golden() {
    let mut d = open_order(Role::ProcurementSpecialist, pending());
    d.key(KeyCode::Char('a'));
    d.key(KeyCode::Char('3'));
    d.key(KeyCode::Tab);
    d.key(KeyCode::Tab);
    d.key(KeyCode::Char('-'));
    d.key(KeyCode::Tab);
    d.type_str("two valves follow with the next delivery");
    snap(
        "service_order",
        "approve_dialog",
        "Approving: the valves reduced 5 -> 3, the strainer removed, a note typed for the requester",
        &d.render(W, H),
    );
}

#[test]
fn rejection_needs_a_reason() {
    let mut d = open_order(Role::Admin, pending());
    d.key(KeyCode::Char('r'));
    d.key(KeyCode::Tab);
    d.type_str("kept internal");
    d.key(KeyCode::Enter);
    assert!(no_writes(&d), "no reason, no request");
    assert_eq!(screen(&d).field_errors(), vec![REASON_REQUIRED.to_string()]);
    // Blank is not a reason either; the focus went back to the reason.
    d.type_str("   ");
    d.key(KeyCode::Tab);
    d.key(KeyCode::Enter);
    assert!(no_writes(&d));
    d.type_str("Part discontinued; order T3 instead");
    d.key(KeyCode::Enter);
    d.key(KeyCode::Enter);
    for (w, h) in [(80, 24), (120, 40)] {
        snap(
            "service_order",
            &format!("reject_question_{w}x{h}"),
            "Enter on the rejection asks, naming the order and the reason",
            &d.render(w, h),
        );
    }
    confirm(&mut d);
    let req = d
        .take(|r| matches!(r, Request::RejectServiceOrder { .. }))
        .expect("a reason sends the rejection");
    let Request::RejectServiceOrder {
        reason,
        internal_note,
        ..
    } = &req.kind
    else {
        panic!("a rejection");
    };
    assert_eq!(reason, "Part discontinued; order T3 instead");
    assert_eq!(internal_note.as_deref(), Some("kept internal"));

    // A refusal other than a race keeps the dialog and what was typed.
    d.reply(
        &req,
        Err(ServiceError::Invalid(
            "A rejection reason is required".into(),
        )),
    );
    assert!(screen(&d).is_dialog_open());
    assert_eq!(
        screen(&d).dialog_error(),
        Some("A rejection reason is required")
    );
    assert!(screen(&d).has_unsaved_input());
}

#[test]
fn the_reject_dialog_golden() {
    let mut d = open_order(Role::ProcurementSpecialist, pending());
    d.key(KeyCode::Char('r'));
    d.key(KeyCode::Tab);
    d.key(KeyCode::Enter);
    snap(
        "service_order",
        "reject_dialog",
        "Rejecting without a reason: the reason field says it is required",
        &d.render(W, H),
    );
}

#[test]
fn fulfilment_is_offered_only_on_an_approved_order() {
    let mut d = open_order(Role::ProcurementSpecialist, pending());
    assert!(
        !d.app
            .key_stack()
            .contains(&KeyContext::ServiceOrderApproved)
    );
    d.key(KeyCode::Char('f'));
    assert!(!screen(&d).is_dialog_open(), "no fulfilment while PENDING");

    let mut d = open_order(Role::ProcurementSpecialist, approved());
    let stack = d.app.key_stack();
    assert!(stack.contains(&KeyContext::ServiceOrderApproved));
    assert!(!stack.contains(&KeyContext::ServiceOrderPending));
    d.key(KeyCode::Char('a'));
    assert!(
        !screen(&d).is_dialog_open(),
        "an approved order is not approved again"
    );
    d.key(KeyCode::Char('f'));
    assert!(screen(&d).is_dialog_open());
    d.type_str("handed over at the service desk");
    d.key(KeyCode::Enter);
    d.key(KeyCode::Enter);
    for (w, h) in [(80, 24), (120, 40)] {
        snap(
            "service_order",
            &format!("fulfil_question_{w}x{h}"),
            "Enter on the fulfilment asks, naming the order and the note",
            &d.render(w, h),
        );
    }
    confirm(&mut d);
    let req = d
        .take(|r| matches!(r, Request::FulfilServiceOrder { .. }))
        .expect("Enter on the last field marks it fulfilled");
    let Request::FulfilServiceOrder {
        note,
        internal_note,
        ..
    } = &req.kind
    else {
        panic!("a fulfilment");
    };
    assert_eq!(note.as_deref(), Some("handed over at the service desk"));
    assert_eq!(*internal_note, None);
    let mut done = approved();
    done.summary.status = ServiceOrderStatus::Fulfilled;
    d.reply(&req, Ok(Reply::ServiceOrder(Box::new(done))));
    assert_eq!(
        d.app.toast().map(|t| t.text.clone()),
        Some(format!("{} FULFILLED", number(order_id(1))))
    );
    let stack = d.app.key_stack();
    assert!(!stack.contains(&KeyContext::ServiceOrderApproved));
}

#[test]
fn a_lost_race_shows_the_message_and_reloads_the_order() {
    let mut d = open_order(Role::ProcurementSpecialist, pending());
    d.key(KeyCode::Char('a'));
    submit_approval(&mut d);
    let req = d
        .take(|r| matches!(r, Request::ApproveServiceOrder { .. }))
        .expect("the request as it is approves");
    let message = format!(
        "Service order {} is now REJECTED; your change was not saved",
        number(order_id(1))
    );
    d.reply(&req, Err(ServiceError::Conflict(message.clone())));
    assert!(
        !screen(&d).is_dialog_open(),
        "the dialog acted on stale data"
    );
    assert_eq!(screen(&d).notice(), Some(message.as_str()));
    let mut rejected = pending();
    rejected.summary.status = ServiceOrderStatus::Rejected;
    rejected.summary.processed_by = Some("Ada Lindqvist".into());
    assert!(
        d.answer(
            |r| matches!(r, Request::ServiceOrder { id, .. } if *id == order_id(1)),
            Ok(Reply::ServiceOrder(Box::new(rejected))),
        ),
        "the order is loaded again"
    );
    let text = d.render(W, H);
    assert!(text.contains("is now REJECTED; your change was not saved"));
    assert!(text.contains("none in this status (read-only)"));
    assert!(!d.app.key_stack().contains(&KeyContext::ServiceOrderPending));
}

#[test]
fn the_production_coordinator_reads_but_does_not_decide() {
    let mut d = open_order(Role::ProductionCoordinator, pending());
    let stack = d.app.key_stack();
    assert!(!stack.contains(&KeyContext::ServiceOrderPending));
    assert!(!stack.contains(&KeyContext::ServiceOrderApproved));
    d.key(KeyCode::Char('a'));
    d.key(KeyCode::Char('r'));
    assert!(!screen(&d).is_dialog_open());
    assert!(no_writes(&d));
    assert!(d.render(W, H).contains("none for you (read-only)"));
}

#[test]
fn the_order_goldens() {
    let mut d = open_order(Role::ProcurementSpecialist, pending());
    snap(
        "service_order",
        "order_pending",
        "A PENDING order as procurement opens it: header, lines, the requester's note; a and r offered",
        &d.render(W, H),
    );
    let mut d = open_order(Role::ProcurementSpecialist, approved());
    snap(
        "service_order",
        "order_approved",
        "The order after approval: reduced lines, the notes log the requester sees, internal notes",
        &d.render(W, H),
    );
}

#[test]
fn no_panic_at_any_size() {
    let mut d = open_order(Role::ProcurementSpecialist, pending());
    d.draw_every_size();
    d.key(KeyCode::Char('a'));
    assert!(d.render(100, 30).contains("Approve service order"));
    d.draw_every_size();
    let mut d = login(Role::ProcurementSpecialist);
    let req = open_queue(&mut d);
    d.reply(&req, Ok(Reply::ServiceOrders(queue())));
    d.draw_every_size();
}
