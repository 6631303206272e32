//! Every screen whole at the two standard terminals: each screen (and the shell's overlays and the
//! dialogs that matter) in a representative loaded state, snapped at 80x24 and at 120x40 into
//! `screens/<screen>/<state>_80x24.snap` and `<state>_120x40.snap`. `snap_sizes!` also checks the
//! 80x24 key bar: the primary action, the way back and the help are shown, and no item is cut.
//!
//! The states are reached with the screens' own drivers and fixtures (their modules); one line per
//! state.

use crate::harness::{
    Driver, at, floor_order_detail, init, notification_about_build, notifications,
    open_build_via_notification, snap_sizes, t2_b2_build, user_for, users,
};
use crate::{
    audit_log, bom_viewer, build_history, inventory, nonconformance, order_desk, order_queue,
    order_wizard, packaging, qc_checklist, service_catalog, service_queue, task_runner,
    testing_form, work_instructions,
};
use cleanstation::domain::Role;
use cleanstation::domain::nonconformance::{NcSource, NcStatus};
use cleanstation::domain::order::{OrderAction, OrderStatus, WizardContext};
use cleanstation::msg::{Reply, Request};
use cleanstation::theme::Theme;
use crossterm::event::KeyCode;
use serde_json::json;
use uuid::Uuid;

/// The checklist rows (answered or not) of the 80x24 render: a checklist shows at least twelve.
fn checklist_rows(d: &mut Driver) -> usize {
    d.render(80, 24)
        .lines()
        .take(24)
        .filter(|l| {
            ["[ ]", "[✓]", "[✗]", "[!]", "N/A"]
                .iter()
                .any(|m| l.contains(m))
        })
        .count()
}

fn logged_in(role: Role) -> Driver {
    let mut d = Driver::new(init(Theme::ansi()));
    d.login(user_for(role));
    d
}

fn users_list() -> Driver {
    let mut d = logged_in(Role::Admin);
    d.open_home_entry("Users");
    assert!(d.answer(
        |r| matches!(r, Request::ListUsers { .. }),
        Ok(Reply::Users(users())),
    ));
    d
}

#[test]
fn shell() {
    let mut d = Driver::new(init(Theme::ansi()));
    d.type_str("qc.inspector");
    snap_sizes!(d, "login", "typed", "Login: username typed, focus on it");

    let mut d = logged_in(Role::QcPerson);
    snap_sizes!(d, "home", "qc_person", "Home of the QC inspector");
    d.key(KeyCode::Char('?'));
    snap_sizes!(d, "help", "home", "Help over the home menu");

    let mut d = logged_in(Role::Assembler);
    d.ctrl('l');
    snap_sizes!(d, "lock", "locked", "Station locked");

    let mut d = users_list();
    snap_sizes!(d, "users", "list", "The administrator's user list");
    d.key(KeyCode::Char('n'));
    d.type_str("jsmith");
    snap_sizes!(d, "users", "new_user", "New user form, a username typed");
    d.ctrl('c');
    snap_sizes!(d, "quit", "confirm", "Quit with unsaved input asks first");

    let mut d = logged_in(Role::Assembler);
    d.open_home_entry("Change password");
    snap_sizes!(
        d,
        "change_password",
        "voluntary",
        "Changing one's own password"
    );

    let mut d = logged_in(Role::Assembler);
    d.open_home_entry("Notifications");
    assert!(d.answer(
        |r| matches!(r, Request::Notifications { .. }),
        Ok(Reply::Notifications(notifications())),
    ));
    snap_sizes!(d, "notifications", "list", "Notifications, unread first");
}

#[test]
fn orders() {
    let mut d = order_queue::queue_as(Role::ProductionCoordinator, Theme::ansi());
    let work = order_queue::my_work(Role::ProductionCoordinator);
    order_queue::answer_orders(&mut d, order_queue::page(work, None));
    snap_sizes!(d, "order_queue", "coordinator", "The coordinator's queue");

    let mut d = order_queue::detail_as(
        Role::ProcurementSpecialist,
        Theme::ansi(),
        order_queue::order_created(vec![
            OrderAction::Move {
                to: OrderStatus::PartsSent,
            },
            OrderAction::ApproveBom,
            OrderAction::RegenerateBom,
        ]),
    );
    snap_sizes!(
        d,
        "order_detail",
        "procurement",
        "A new build as procurement sees it"
    );
    d.key(KeyCode::Char('m'));
    snap_sizes!(
        d,
        "order_detail",
        "move_confirm",
        "m asks before moving the build"
    );

    let mut d = bom_viewer::viewer(Theme::ansi());
    snap_sizes!(
        d,
        "bom_viewer",
        "tree",
        "The BOM tree of the current version"
    );

    let mut d = order_desk::desk();
    snap_sizes!(d, "order_desk", "desk", "Procurement's order desk");
    let mut d = order_desk::shortage_screen();
    snap_sizes!(d, "shortage", "shortage", "The parts shortage");

    let mut d = build_history::opened();
    snap_sizes!(d, "build_history", "list", "A build's history of changes");
    let mut d = audit_log::opened();
    snap_sizes!(d, "audit_log", "list", "The administrator's audit log");
}

#[test]
fn wizard() {
    let mut d = Driver::new(init(Theme::ansi()));
    d.login(user_for(Role::ProductionCoordinator));
    d.open_home_entry("New order");
    assert!(d.answer(
        |r| matches!(r, Request::WizardContext { .. }),
        Ok(Reply::WizardContext(WizardContext {
            today: order_wizard::today(),
            accessories: order_wizard::accessories(),
            draft: None,
        })),
    ));
    d.type_str("PO-4500123");
    snap_sizes!(
        d,
        "order_wizard",
        "step1",
        "Step 1 of a new order, the PO typed"
    );
}

#[test]
fn qc() {
    let mut d = qc_checklist::checklist(qc_checklist::form(
        qc_checklist::midway_answers(),
        "J-7781",
        None,
    ));
    d.key(KeyCode::Char('G'));
    assert!(checklist_rows(&mut d) >= 12, "{}", d.render(80, 24));
    snap_sizes!(
        d,
        "qc_checklist",
        "midway",
        "A resumed Final QC draft, a non-conforming line selected"
    );
    d.key(KeyCode::Char('s'));
    snap_sizes!(d, "qc_checklist", "sign_dialog", "The signing dialog");

    let mut d = qc_checklist::history();
    snap_sizes!(d, "qc_history", "list", "A build's QC results");

    let mut d = nonconformance::at_list();
    snap_sizes!(d, "nonconformance", "open_list", "The open nonconformances");
    d.key(KeyCode::Enter);
    let first = nonconformance::nc(1, NcSource::FinalQc, NcStatus::Open, None);
    let id = first.id;
    assert!(d.answer(
        |r| matches!(r, Request::Nonconformance { id: i, .. } if *i == id),
        Ok(Reply::Nonconformance(Box::new(nonconformance::nc_detail(
            first,
            Vec::new()
        )))),
    ));
    snap_sizes!(d, "nonconformance", "detail_open", "An open nonconformance");
}

#[test]
fn floor() {
    let mut d = task_runner::assembler(5);
    snap_sizes!(
        d,
        "task_runner",
        "mid_way",
        "The task runner, five tasks done"
    );

    let mut d = task_runner::assembler(18);
    d.key(KeyCode::Char('t'));
    assert!(d.answer(
        |r| matches!(r, Request::TestingForm { .. }),
        Ok(Reply::TestingForm(Box::new(testing_form::view(
            Vec::new(),
            0,
            Vec::new()
        )))),
    ));
    assert!(checklist_rows(&mut d) >= 12, "{}", d.render(80, 24));
    snap_sizes!(
        d,
        "testing_form",
        "start",
        "The end-of-line testing form, nothing answered"
    );

    let mut d = packaging::assembler(packaging::checklist(&[1, 1], &[]));
    let lines = d
        .render(80, 24)
        .lines()
        .filter(|l| l.contains("PKG-"))
        .count();
    assert!(
        lines >= 11,
        "every line of the 11-line checklist shows at 80x24"
    );
    snap_sizes!(
        d,
        "packaging",
        "part_packed",
        "The packaging checklist, two lines packed"
    );

    let ready = notification_about_build(
        Uuid::from_u128(0x0001_0099),
        "ORDER_STATUS_CHANGE",
        "Build 24-0131 ready for shipping",
        "Order 4500031-24-0131 is READY_FOR_SHIP",
        at(14, 9, 31),
    );
    let mut detail = floor_order_detail(
        Uuid::from_u128(0x0001_0099),
        "4500031",
        t2_b2_build(json!({"buildNumber": "24-0131"})),
        OrderStatus::ReadyForShip,
        at(14, 9, 30),
    );
    detail.actions = vec![OrderAction::Move {
        to: OrderStatus::Shipped,
    }];
    let mut d = open_build_via_notification(
        Theme::ansi(),
        Role::ProductionCoordinator,
        vec![ready],
        detail,
    );
    d.key(KeyCode::Char('N'));
    d.type_str("Dent in the left side panel");
    snap_sizes!(
        d,
        "nonconformance",
        "raise",
        "Raising a nonconformance on a build"
    );
}

#[test]
fn catalog_and_service() {
    let mut d = inventory::loaded(Role::Assembler);
    snap_sizes!(d, "inventory", "top", "The inventory's top level");

    let mut d = work_instructions::screen(Role::Admin);
    snap_sizes!(
        d,
        "work_instructions",
        "list",
        "The administrator's work instructions"
    );

    let mut d = service_catalog::catalog();
    snap_sizes!(
        d,
        "service_catalog",
        "catalog",
        "The service parts catalogue"
    );
    let (mut d, _, _) = service_catalog::filled_cart();
    snap_sizes!(d, "service_cart", "cart", "The cart with two lines");

    let (mut d, list) = service_catalog::my_orders();
    service_catalog::answer_detail(&mut d, &list[0]);
    d.key(KeyCode::Down);
    service_catalog::answer_detail(&mut d, &list[1]);
    snap_sizes!(
        d,
        "my_service_orders",
        "my_orders",
        "The requester's service orders"
    );

    let mut d = service_queue::login(Role::ProcurementSpecialist);
    let req = service_queue::open_queue(&mut d);
    d.reply(&req, Ok(Reply::ServiceOrders(service_queue::queue())));
    snap_sizes!(
        d,
        "service_queue",
        "queue",
        "Procurement's service order queue"
    );

    let mut d = service_queue::open_order(Role::ProcurementSpecialist, service_queue::pending());
    snap_sizes!(d, "service_order", "pending", "A pending service order");
}
