//! Corrections and cancelling on screen (docs/lifecycle.md §11, §12): the correction form prefilled
//! with the stored values, its question listing each change, a refusal kept in the form, the cancel
//! dialog and its question, a cancelled build's detail, and its row in the queue's search.

use crate::harness::{plant_zone, snap_sizes};
use crate::order_queue::{
    all_rows, answer_orders, detail_as, my_work, order_created, page, queue_as,
};
use chrono::NaiveDate;
use cleanstation::domain::Role;
use cleanstation::domain::order::{OrderAction, OrderRow, OrderStatus};
use cleanstation::domain::order_view::HistoryEntry;
use cleanstation::msg::Request;
use cleanstation::theme::Theme;
use crossterm::event::KeyCode;
use std::time::Duration;

fn snap(screen: &str, state: &str, description: &str, text: &str) {
    crate::harness::snap_in!(screen, state, description, text);
}

/// Build 24-0126 (ORDER_CREATED) as `role` sees it, offered `actions`.
fn created_as(role: Role, actions: Vec<OrderAction>) -> crate::harness::Driver {
    plant_zone();
    detail_as(role, Theme::ansi(), order_created(actions))
}

/// Replaces the want date (focused, ten characters, the cursor at its end) with `text`.
fn retype(d: &mut crate::harness::Driver, text: &str) {
    for _ in 0..10 {
        d.key(KeyCode::Backspace);
    }
    d.type_str(text);
}

#[test]
fn the_correction_form_lists_the_changes_and_asks_first() {
    let mut d = created_as(
        Role::ProductionCoordinator,
        vec![OrderAction::Assign, OrderAction::Correct],
    );
    d.key(KeyCode::Char('E'));
    snap_sizes!(
        d,
        "order_detail",
        "correction_form",
        "E on the detail opens the correction form with the want date, project, sales person and notes \
         as stored, and a required reason"
    );
    retype(&mut d, "2025-04-20");
    d.key(KeyCode::Tab);
    d.key(KeyCode::Tab);
    d.key(KeyCode::Tab);
    for _ in 0..80 {
        d.key(KeyCode::Backspace);
    }
    d.type_str("Deliver to dock 3");
    d.key(KeyCode::Tab);
    d.type_str("Customer moved the delivery");
    d.key(KeyCode::Enter);
    snap(
        "order_detail",
        "correction_question",
        "Enter lists each change (old -> new) and the reason, and asks before anything is saved",
        &d.render(80, 24),
    );
    d.key(KeyCode::Char('y'));
    let req = d
        .take(|r| matches!(r, Request::CorrectOrder { .. }))
        .expect("y sends the correction");
    let Request::CorrectOrder { correction, .. } = &req.kind else {
        panic!("not a correction");
    };
    assert_eq!(
        correction.wanted.want_date,
        NaiveDate::from_ymd_opt(2025, 4, 20).expect("date")
    );
    assert_eq!(
        correction.wanted.notes.as_deref(),
        Some("Deliver to dock 3")
    );
    assert_eq!(correction.expected.sales_person, "Daniel Whitaker");
    assert_eq!(correction.reason, "Customer moved the delivery");
}

#[test]
fn a_bad_value_is_refused_in_the_form_with_the_text_kept() {
    let mut d = created_as(Role::ProductionCoordinator, vec![OrderAction::Correct]);
    d.key(KeyCode::Char('E'));
    retype(&mut d, "2025-04-31");
    d.key(KeyCode::Tab);
    d.key(KeyCode::Tab);
    d.key(KeyCode::Tab);
    d.key(KeyCode::Tab);
    d.type_str("Date agreed by phone");
    d.key(KeyCode::Enter);
    assert!(
        d.take(|r| matches!(r, Request::CorrectOrder { .. }))
            .is_none(),
        "nothing is sent"
    );
    snap(
        "order_detail",
        "correction_refused",
        "A date that does not exist is refused under the form; what was typed stays",
        &d.render(80, 24),
    );
}

#[test]
fn the_cancel_dialog_asks_with_the_reason() {
    let mut d = created_as(
        Role::Admin,
        vec![
            OrderAction::Override {
                to: OrderStatus::PartsSent,
            },
            OrderAction::Correct,
            OrderAction::Cancel,
        ],
    );
    snap(
        "order_detail",
        "cancel_offered",
        "ADMIN on a build not yet in production: Correct details on E and Cancel build on X",
        &d.render(120, 40),
    );
    d.key(KeyCode::Char('X'));
    d.type_str("Customer withdrew the order");
    d.key(KeyCode::Enter);
    snap(
        "order_detail",
        "cancel_question",
        "Enter in the cancel dialog asks, naming the build, the new status, what it means and the reason",
        &d.render(80, 24),
    );
    d.key(KeyCode::Char('y'));
    let req = d
        .take(|r| matches!(r, Request::CancelOrder { .. }))
        .expect("y cancels");
    let Request::CancelOrder {
        expected, reason, ..
    } = &req.kind
    else {
        panic!("not a cancel");
    };
    assert_eq!(
        (*expected, reason.as_str()),
        (OrderStatus::OrderCreated, "Customer withdrew the order")
    );
}

#[test]
fn a_cancelled_build_shows_its_status_and_the_reason_in_its_history() {
    let mut detail = order_created(Vec::new());
    detail.status = OrderStatus::Cancelled;
    detail.history.insert(
        0,
        HistoryEntry {
            timestamp: crate::harness::at(4, 10, 5),
            user: "Ada Admin".into(),
            action: "CANCELLED".into(),
            old_status: Some(OrderStatus::OrderCreated),
            new_status: OrderStatus::Cancelled,
            notes: Some("Customer withdrew the order".into()),
        },
    );
    plant_zone();
    let mut d = detail_as(Role::ProductionCoordinator, Theme::ansi(), detail);
    snap_sizes!(
        d,
        "order_detail",
        "cancelled_build",
        "A cancelled build: status Cancelled, no action offered, the cancellation and its reason in the \
         history"
    );
}

#[test]
fn the_search_over_all_builds_finds_a_cancelled_build() {
    let mut d = queue_as(Role::ProductionCoordinator, Theme::ansi());
    answer_orders(&mut d, page(my_work(Role::ProductionCoordinator), None));
    d.key(KeyCode::Char('/'));
    d.type_str("lakeview");
    for _ in 0..3 {
        d.tick(Duration::from_millis(250));
    }
    let req = d
        .take(|r| matches!(r, Request::ListOrders { .. }))
        .expect("the search is sent after a pause");
    let mut rows: Vec<OrderRow> = all_rows()
        .into_iter()
        .filter(|r| r.customer_name.starts_with("Lakeview"))
        .collect();
    if let Some(first) = rows.first_mut() {
        first.status = OrderStatus::Cancelled;
    }
    d.reply(&req, Ok(page(rows, None)));
    snap(
        "order_queue",
        "cancelled_in_search",
        "A cancelled build found by the search: Cancelled in the status column, dimmed, with no due date",
        &d.render(80, 24),
    );
}
