//! Golden renders of the inventory browser at 100x30, into `screens/inventory/`.
//!
//! The App is driven through `update` only, with the shipped catalog (parsed from the files the product
//! carries) as the inventory reply, so the names are the real ones.
use crate::harness::{Driver, init, user_for};
use chrono::{NaiveDate, NaiveDateTime};
use cleanstation::domain::Role;
use cleanstation::domain::catalog::parse_catalog;
use cleanstation::domain::inventory::{BuildUse, Inventory, Item};
use cleanstation::domain::order::OrderStatus;
use cleanstation::domain::scan::ScanTarget;
use cleanstation::error::ServiceError;
use cleanstation::msg::{Reply, Request};
use cleanstation::reference::{ASSEMBLIES_JSON, CATEGORIES_JSON, PARTS_JSON};
use cleanstation::screens::{ActiveScreen, ScreenId};
use cleanstation::theme::Theme;
use crossterm::event::KeyCode;
use rust_decimal::Decimal;
use uuid::Uuid;

const W: u16 = 100;
const H: u16 = 30;

fn snap(state: &str, description: &str, text: &str) {
    crate::harness::snap_in!("inventory", state, description, text);
}

fn imported_at() -> Option<NaiveDateTime> {
    NaiveDate::from_ymd_opt(2025, 3, 3).and_then(|d| d.and_hms_opt(6, 30, 0))
}

/// The shipped catalog as the import stores it.
fn shipped_inventory() -> Inventory {
    let catalog =
        parse_catalog(PARTS_JSON, ASSEMBLIES_JSON, CATEGORIES_JSON).expect("shipped catalog");
    Inventory::from_catalog(&catalog, imported_at())
}

fn opened(role: Role) -> Driver {
    let mut d = Driver::new(init(Theme::ansi()));
    d.login(user_for(role));
    d.open_home_entry("Inventory");
    d
}

pub(crate) fn loaded(role: Role) -> Driver {
    let mut d = opened(role);
    assert!(d.answer(
        |r| matches!(r, Request::Inventory { .. }),
        Ok(Reply::Inventory(Box::new(shipped_inventory()))),
    ));
    d
}

fn selected_item(d: &Driver) -> Option<Item> {
    match d.app.screen() {
        ActiveScreen::Inventory(s) => s.selected_item(),
        _ => None,
    }
}

fn selected_id(d: &Driver) -> String {
    match d.app.screen() {
        ActiveScreen::Inventory(s) => match (s.browse(), s.selected_item()) {
            (Some(b), Some(item)) => b.item_id(item).to_string(),
            _ => String::new(),
        },
        _ => String::new(),
    }
}

fn search(d: &mut Driver, text: &str) {
    d.key(KeyCode::Char('/'));
    d.type_str(text);
}

#[test]
fn loading_then_an_error_that_enter_retries() {
    let mut d = opened(Role::ProcurementSpecialist);
    snap(
        "loading",
        "Inventory opened from home; the catalog is on its way",
        &d.render(W, H),
    );
    assert!(d.answer(
        |r| matches!(r, Request::Inventory { .. }),
        Err(ServiceError::Unavailable("connection refused".into())),
    ));
    snap(
        "load_failed",
        "The catalog could not be loaded; Enter asks again",
        &d.render(W, H),
    );
    d.key(KeyCode::Enter);
    assert!(d.take(|r| matches!(r, Request::Inventory { .. })).is_some());
}

#[test]
fn browse_from_a_category_down_to_a_part() {
    let mut d = loaded(Role::ProcurementSpecialist);
    snap(
        "top",
        "The catalog's top level: six categories and the parts no assembly reaches",
        &d.render(W, H),
    );
    // 720 ACCESSORY LIST -> 720.701 MANUAL -> its first kit -> the kit's first part.
    d.key(KeyCode::Down);
    d.key(KeyCode::Down);
    d.key(KeyCode::Enter);
    d.key(KeyCode::Down);
    d.key(KeyCode::Right);
    d.key(KeyCode::Down);
    d.key(KeyCode::Right);
    d.key(KeyCode::Down);
    assert!(matches!(selected_item(&d), Some(Item::Part(_))));
    snap(
        "browse",
        "Category 720 expanded down to the first part of the English manual kit; the part's details on the right",
        &d.render(W, H),
    );
    // Left on a part goes to its assembly, whose details list its components.
    d.key(KeyCode::Left);
    assert!(matches!(selected_item(&d), Some(Item::Assembly(_))));
    snap(
        "assembly_detail",
        "An assembly selected: every catalog field and its components with quantities",
        &d.render(W, H),
    );
    // '-' folds everything back to the category.
    d.key(KeyCode::Char('-'));
    assert_eq!(selected_item(&d), None);
    d.key(KeyCode::Esc);
    assert!(matches!(d.app.screen(), ActiveScreen::Home(_)));
}

#[test]
fn search_results_and_a_part_in_the_tree() {
    let mut d = loaded(Role::ProcurementSpecialist);
    search(&mut d, "valve");
    snap(
        "search",
        "Typing 'valve': the matches by id, name and manufacturer part number, best first",
        &d.render(W, H),
    );
    d.key(KeyCode::Enter);
    d.key(KeyCode::Down);
    snap(
        "search_results",
        "The search confirmed: the result list has the keys; the second match is selected",
        &d.render(W, H),
    );
    d.key(KeyCode::Esc);
    // An exact id comes first; Enter shows it in the tree with its details.
    search(&mut d, "2783");
    d.key(KeyCode::Enter);
    assert_eq!(selected_id(&d), "2783");
    d.key(KeyCode::Enter);
    assert_eq!(selected_id(&d), "2783");
    snap(
        "part_detail",
        "Part 2783 found by search and shown in the tree: every catalog field, the manufacturer's number",
        &d.render(W, H),
    );
    // n steps to the next match of the same search.
    d.key(KeyCode::Char('n'));
    assert_ne!(selected_id(&d), "2783");
}

fn builds_for(order_a: Uuid, order_b: Uuid) -> Vec<BuildUse> {
    vec![
        BuildUse {
            order_id: order_a,
            po_number: "4500012".into(),
            build_number: "24-0117".into(),
            status: OrderStatus::PartsSent,
            want_date: NaiveDate::from_ymd_opt(2025, 3, 21).expect("date"),
            bom_version: 2,
            quantity: Decimal::from(4),
        },
        BuildUse {
            order_id: order_b,
            po_number: "4500023".into(),
            build_number: "24-0126".into(),
            status: OrderStatus::OrderCreated,
            want_date: NaiveDate::from_ymd_opt(2025, 4, 2).expect("date"),
            bom_version: 1,
            quantity: Decimal::new(25, 1),
        },
    ]
}

#[test]
fn where_used_lists_assemblies_and_open_builds() {
    let mut d = loaded(Role::ProcurementSpecialist);
    // The M8 cable is listed by several control boxes.
    search(&mut d, "T2-M8-3P-MP-STR-0.61M");
    d.key(KeyCode::Enter);
    d.key(KeyCode::Enter);
    d.key(KeyCode::Char('w'));
    let req = d
        .take(|r| matches!(r, Request::WhereUsed { item_id, .. } if item_id == "T2-M8-3P-MP-STR-0.61M"))
        .expect("where-used request");
    snap(
        "where_used_loading",
        "Where used opened: the catalog's assemblies at once, the open builds on their way",
        &d.render(W, H),
    );
    let (a, b) = (Uuid::from_u128(0xA), Uuid::from_u128(0xB));
    d.reply(&req, Ok(Reply::WhereUsed(builds_for(a, b))));
    snap(
        "where_used",
        "Where used: the assemblies that list the cable with quantities, and the open builds whose current BOM has it",
        &d.render(W, H),
    );
    // End selects the last row, the second build; Enter opens it.
    d.key(KeyCode::End);
    d.key(KeyCode::Enter);
    assert!(matches!(d.app.screen(), ActiveScreen::OrderDetail(_)));
    let _ = ScreenId::Inventory;
}

#[test]
fn where_used_jumps_to_an_assembly_and_hides_builds_from_service() {
    let mut d = loaded(Role::ServiceDepartment);
    search(&mut d, "T2-M8-3P-MP-STR-0.61M");
    d.key(KeyCode::Enter);
    d.key(KeyCode::Enter);
    d.key(KeyCode::Char('w'));
    assert!(
        d.take(|r| matches!(r, Request::WhereUsed { .. })).is_none(),
        "the service department is not asked for builds"
    );
    snap(
        "where_used_service",
        "Where used for the service department: assemblies only, and a line saying builds are not shown",
        &d.render(W, H),
    );
    d.key(KeyCode::Enter);
    assert!(matches!(selected_item(&d), Some(Item::Assembly(_))));
    snap(
        "where_used_jump",
        "Enter on an assembly in where used: the tree opens at that assembly",
        &d.render(W, H),
    );
}

#[test]
fn no_panic_at_any_size() {
    let mut d = loaded(Role::ProcurementSpecialist);
    d.draw_every_size();
    d.key(KeyCode::Enter);
    d.key(KeyCode::Down);
    d.key(KeyCode::Right);
    d.draw_every_size();
    search(&mut d, "kit");
    d.draw_every_size();
    d.key(KeyCode::Enter);
    d.key(KeyCode::Char('w'));
    d.draw_every_size();
}

#[test]
fn a_scanned_part_opens_the_inventory_on_it() {
    let mut d = Driver::new(init(Theme::ansi()));
    d.login(user_for(Role::ProcurementSpecialist));
    d.scan("p:t2-drain-valve");
    let lookup = d
        .take(|r| matches!(r, Request::FindScanned { .. }))
        .expect("the shell looks the code up");
    d.reply(
        &lookup,
        Ok(Reply::Scanned(Some(ScanTarget::Item(
            "T2-DRAIN-VALVE".into(),
        )))),
    );
    assert!(matches!(d.app.screen(), ActiveScreen::Inventory(_)));
    assert!(d.answer(
        |r| matches!(r, Request::Inventory { .. }),
        Ok(Reply::Inventory(Box::new(shipped_inventory()))),
    ));
    assert_eq!(selected_id(&d), "T2-DRAIN-VALVE");
    for (w, h) in [(80, 24), (120, 40)] {
        snap(
            &format!("scanned_{w}x{h}"),
            "A part label scanned at home: the inventory opens on its search, the exact id first",
            &d.render(w, h),
        );
    }
    // Scanned again on the inventory itself, the screen shows it without a lookup.
    d.key(KeyCode::Esc);
    d.scan("2783");
    assert!(
        d.take(|r| matches!(r, Request::FindScanned { .. }))
            .is_none()
    );
    assert_eq!(selected_id(&d), "2783");
}
