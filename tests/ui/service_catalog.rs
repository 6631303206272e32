//! The service department's screens driven through the App: the catalogue, the cart and the user's own
//! service orders, with scripted replies; goldens at 100x30 into `screens/<screen>/`.
use crate::harness::{Driver, at, init, snap_in, user_for};
use cleanstation::domain::Role;
use cleanstation::domain::bom::ItemType;
use cleanstation::domain::catalog::parse_catalog;
use cleanstation::domain::inventory::Inventory;
use cleanstation::domain::service_order::{
    CartLine, ServiceOrderLine, ServiceOrderStatus, ServiceOrderSummary, ServiceOrderView, number,
};
use cleanstation::error::ServiceError;
use cleanstation::msg::{Reply, Request};
use cleanstation::reference::{ASSEMBLIES_JSON, CATEGORIES_JSON, PARTS_JSON};
use cleanstation::screens::{ActiveScreen, Screen, ScreenId};
use cleanstation::theme::Theme;
use crossterm::event::KeyCode;
use uuid::Uuid;

const W: u16 = 100;
const H: u16 = 30;

fn shipped_inventory() -> Inventory {
    let catalog =
        parse_catalog(PARTS_JSON, ASSEMBLIES_JSON, CATEGORIES_JSON).expect("shipped catalog");
    Inventory::from_catalog(&catalog, None)
}

fn answer_inventory(d: &mut Driver) {
    assert!(d.answer(
        |r| matches!(r, Request::Inventory { .. }),
        Ok(Reply::Inventory(Box::new(shipped_inventory()))),
    ));
}

/// Logged in as the service department, on the loaded catalogue.
pub(crate) fn catalog() -> Driver {
    let mut d = Driver::new(init(Theme::ansi()));
    d.login(user_for(Role::ServiceDepartment));
    d.open_home_entry("Service parts");
    assert!(matches!(d.app.screen(), ActiveScreen::ServiceCatalog(_)));
    answer_inventory(&mut d);
    d
}

fn selected_id(d: &Driver) -> String {
    match d.app.screen() {
        ActiveScreen::ServiceCatalog(s) => s.selected_id().unwrap_or("").to_string(),
        _ => panic!("not on the catalogue"),
    }
}

/// Adds `quantity` of the selected catalogue entry (typed into the dialog, then Enter).
fn add(d: &mut Driver, quantity: &str) {
    d.key(KeyCode::Char('a'));
    d.type_str(quantity);
    d.key(KeyCode::Enter);
}

fn cart_lines(d: &Driver) -> Vec<CartLine> {
    match d.app.screen() {
        ActiveScreen::ServiceCart(s) => s.cart().lines.clone(),
        _ => panic!("not on the cart"),
    }
}

/// From the catalogue: two lines (2 of the first entry, then 1 + 2 of the second), then the cart.
pub(crate) fn filled_cart() -> (Driver, String, String) {
    let mut d = catalog();
    d.key(KeyCode::Down);
    let first = selected_id(&d);
    add(&mut d, "2");
    d.key(KeyCode::Down);
    let second = selected_id(&d);
    add(&mut d, "");
    add(&mut d, "2");
    d.key(KeyCode::Char('c'));
    assert!(matches!(d.app.screen(), ActiveScreen::ServiceCart(_)));
    answer_inventory(&mut d);
    (d, first, second)
}

#[test]
fn catalogue_adds_to_the_cart_with_checked_quantities() {
    let mut d = catalog();
    // The first row is a subcategory: nothing to add.
    assert_eq!(selected_id(&d), "");
    d.key(KeyCode::Down);
    let id = selected_id(&d);
    assert!(!id.is_empty());
    snap_in!(
        "service_catalog",
        "catalog",
        "The service catalogue, the first subcategory open, one assembly selected",
        d.render(W, H)
    );
    // Out of range: the dialog stays with the message and the cart is unchanged.
    d.key(KeyCode::Char('a'));
    d.type_str("1000");
    d.key(KeyCode::Enter);
    assert!(d.app.screen().has_unsaved_input(), "dialog still open");
    assert!(d.render(W, H).contains("Quantity must be 1 to 999"));
    d.key(KeyCode::Esc);
    d.type_str("0");
    add(&mut d, "0");
    assert!(d.app.screen().has_unsaved_input());
    d.key(KeyCode::Esc);
    add(&mut d, "3");
    add(&mut d, "2");
    assert!(
        d.render(W, H)
            .contains(&format!("Added 2 × {id} to the cart (1 line)"))
    );
    d.key(KeyCode::Char('c'));
    assert!(
        d.sent
            .iter()
            .all(|r| !matches!(r.kind, Request::SubmitServiceOrder { .. }))
    );
    answer_inventory(&mut d);
    assert_eq!(
        cart_lines(&d),
        vec![CartLine {
            part_id: id,
            quantity: 5
        }]
    );
}

#[test]
fn catalogue_search_by_name() {
    let mut d = catalog();
    d.key(KeyCode::Char('/'));
    d.type_str("control box");
    d.key(KeyCode::Enter);
    let id = selected_id(&d);
    assert!(!id.is_empty(), "a match is selected");
    assert!(d.render(W, H).contains("T2-CTRL-EDR1"));
    snap_in!(
        "service_catalog",
        "catalog_search",
        "Searching the service catalogue for 'control box'",
        d.render(W, H)
    );
    // Esc clears the search before it leaves the screen.
    d.key(KeyCode::Esc);
    assert!(matches!(d.app.screen(), ActiveScreen::ServiceCatalog(_)));
    d.key(KeyCode::Esc);
    assert!(matches!(d.app.screen(), ActiveScreen::Home(_)));
}

#[test]
fn cart_changes_quantities_and_removes_lines() {
    let (mut d, first, second) = filled_cart();
    assert_eq!(
        cart_lines(&d),
        vec![
            CartLine {
                part_id: first.clone(),
                quantity: 2
            },
            CartLine {
                part_id: second.clone(),
                quantity: 3
            },
        ]
    );
    snap_in!(
        "service_cart",
        "cart",
        "The cart with two lines",
        d.render(W, H)
    );
    d.key(KeyCode::Char('+'));
    d.key(KeyCode::Right);
    assert_eq!(cart_lines(&d)[0].quantity, 4);
    d.key(KeyCode::Char('-'));
    assert_eq!(cart_lines(&d)[0].quantity, 3);
    // Enter types a quantity; out of range is refused, 0 removes.
    d.key(KeyCode::Enter);
    d.ctrl('u');
    d.type_str("1000");
    d.key(KeyCode::Enter);
    assert!(d.render(W, H).contains("Quantity must be 1 to 999"));
    d.ctrl('u');
    d.type_str("0");
    d.key(KeyCode::Enter);
    assert_eq!(cart_lines(&d).len(), 1);
    assert_eq!(cart_lines(&d)[0].part_id, second);
    d.key(KeyCode::Delete);
    assert!(cart_lines(&d).is_empty());
    // An empty cart is refused without a request.
    d.key(KeyCode::Char('s'));
    assert!(d.render(W, H).contains("Cart is empty"));
    assert!(
        d.sent
            .iter()
            .all(|r| !matches!(r.kind, Request::SubmitServiceOrder { .. }))
    );
    // The shell kept every change; Esc goes back to the catalogue the cart was opened from.
    d.key(KeyCode::Esc);
    assert!(matches!(d.app.screen(), ActiveScreen::ServiceCatalog(_)));
    answer_inventory(&mut d);
    d.key(KeyCode::Esc);
    d.open_home_entry("Cart");
    answer_inventory(&mut d);
    assert!(cart_lines(&d).is_empty());
}

fn summary(n: u128, status: ServiceOrderStatus, lines: i64) -> ServiceOrderSummary {
    let id = Uuid::from_u128((0x5E41_A000_u128 + n) << 96);
    let processed = status != ServiceOrderStatus::Pending;
    ServiceOrderSummary {
        id,
        number: number(id),
        status,
        requested_by: "Sofia Russo".into(),
        requested_at: Some(at(10 + u32::try_from(n).unwrap_or(0), 9, 15)),
        processed_by: processed.then(|| "Priya Natarajan".into()),
        processed_at: processed.then(|| at(12 + u32::try_from(n).unwrap_or(0), 14, 2)),
        lines,
        total_quantity: lines * 2,
    }
}

fn line(n: u128, part: &str, name: &str, quantity: i32) -> ServiceOrderLine {
    ServiceOrderLine {
        id: Uuid::from_u128(0x11_0000 + n),
        part_id: part.into(),
        part_type: ItemType::Part,
        name: Some(name.into()),
        quantity,
    }
}

#[test]
fn submit_sends_the_cart_keeps_it_on_refusal_and_empties_it_on_success() {
    let (mut d, first, second) = filled_cart();
    d.key(KeyCode::Char('s'));
    d.type_str("For the OR 3 sink at St. Mary's");
    snap_in!(
        "service_cart",
        "submit_dialog",
        "Submitting the cart with a note",
        d.render(W, H)
    );
    d.key(KeyCode::Enter);
    // Enter asks, naming the lines and the note; only y submits.
    assert!(
        d.take(|r| matches!(r, Request::SubmitServiceOrder { .. }))
            .is_none()
    );
    for (w, h) in [(80, 24), (120, 40)] {
        snap_in!(
            "service_cart",
            &format!("submit_question_{w}x{h}"),
            "Enter in the submit dialog asks: the lines, the pieces and the note",
            d.render(w, h)
        );
    }
    d.key(KeyCode::Char('y'));
    let req = d
        .take(|r| matches!(r, Request::SubmitServiceOrder { .. }))
        .expect("submit sent");
    match &req.kind {
        Request::SubmitServiceOrder { lines, notes, .. } => {
            assert_eq!(lines.len(), 2);
            assert_eq!(notes.as_deref(), Some("For the OR 3 sink at St. Mary's"));
        }
        other => panic!("{other:?}"),
    }
    let refusal = format!("Unknown or inactive part(s): {second}");
    d.reply(&req, Err(ServiceError::Invalid(refusal.clone())));
    assert!(d.render(W, H).contains(&refusal));
    assert_eq!(cart_lines(&d).len(), 2, "the cart stays");
    assert!(d.app.screen().has_unsaved_input(), "the note stays");
    // Again, and accepted.
    d.key(KeyCode::Enter);
    d.key(KeyCode::Char('y'));
    let req = d
        .take(|r| matches!(r, Request::SubmitServiceOrder { .. }))
        .expect("submit sent again");
    let s = summary(1, ServiceOrderStatus::Pending, 2);
    let view = ServiceOrderView {
        summary: s.clone(),
        requested_by_id: Uuid::from_u128(6),
        notes: Some("For the OR 3 sink at St. Mary's".into()),
        internal_notes: None,
        lines: vec![line(1, &first, "A", 2), line(2, &second, "B", 3)],
    };
    d.reply(&req, Ok(Reply::ServiceOrder(Box::new(view))));
    assert!(matches!(d.app.screen(), ActiveScreen::MyServiceOrders(_)));
    assert!(
        d.render(W, H)
            .contains(&format!("Service order {} submitted (2 lines)", s.number))
    );
    d.key(KeyCode::Esc);
    d.open_home_entry("Cart");
    answer_inventory(&mut d);
    assert!(cart_lines(&d).is_empty(), "the cart was emptied");
}

#[test]
fn the_cart_survives_leaving_the_screen_and_the_station_lock() {
    let mut d = catalog();
    d.key(KeyCode::Down);
    let id = selected_id(&d);
    add(&mut d, "4");
    d.key(KeyCode::Esc);
    assert!(matches!(d.app.screen(), ActiveScreen::Home(_)));
    d.ctrl('l');
    assert!(d.app.is_locked());
    d.type_str("right-password");
    d.key(KeyCode::Enter);
    let unlock = d
        .take(|r| matches!(r, Request::Unlock { .. }))
        .expect("unlock sent");
    d.reply(&unlock, Ok(Reply::Unlocked));
    assert!(!d.app.is_locked());
    d.open_home_entry("Cart");
    assert_eq!(
        cart_lines(&d),
        vec![CartLine {
            part_id: id,
            quantity: 4
        }]
    );
}

pub(crate) fn my_orders() -> (Driver, Vec<ServiceOrderSummary>) {
    let mut d = Driver::new(init(Theme::ansi()));
    d.login(user_for(Role::ServiceDepartment));
    d.open_home_entry("My service orders");
    let list = vec![
        summary(3, ServiceOrderStatus::Pending, 2),
        summary(2, ServiceOrderStatus::Approved, 2),
        summary(1, ServiceOrderStatus::Rejected, 1),
    ];
    assert!(d.answer(
        |r| matches!(r, Request::ServiceOrders { .. }),
        Ok(Reply::ServiceOrders(list.clone())),
    ));
    (d, list)
}

fn view_of(s: &ServiceOrderSummary) -> ServiceOrderView {
    let (lines, notes) = match s.status {
        ServiceOrderStatus::Pending => (
            vec![
                line(1, "T2-CTRL-EDR1", "CONTROL BOX ONLY FOR 1 EDRAIN BASIN", 1),
                line(2, "E7512-L-BLUE", "WIRE FERRULE, BLUE", 10),
            ],
            Some("Spare control box for the van".to_string()),
        ),
        ServiceOrderStatus::Approved => (
            vec![
                line(3, "209L-DW-NS", "DI WATER GUN", 1),
                line(4, "M8-DUST-CAP-M", "M8 DUST CAP", 4),
            ],
            Some(
                "Two guns for the Lakeview service visit\n2025-03-14 14:02 UTC APPROVED by Priya Natarajan: 209L-DW-NS 2->1; one gun is on back order, the second follows next month"
                    .to_string(),
            ),
        ),
        _ => (
            vec![line(5, "012442-40NS", "FAUCET CARTRIDGE", 3)],
            Some(
                "2025-03-13 10:40 UTC REJECTED by Priya Natarajan: the cartridge is under warranty; ask the manufacturer"
                    .to_string(),
            ),
        ),
    };
    ServiceOrderView {
        summary: s.clone(),
        requested_by_id: Uuid::from_u128(6),
        notes,
        internal_notes: None,
        lines,
    }
}

pub(crate) fn answer_detail(d: &mut Driver, s: &ServiceOrderSummary) {
    let id = s.id;
    assert!(d.answer(
        |r| matches!(r, Request::ServiceOrder { id: i, .. } if *i == id),
        Ok(Reply::ServiceOrder(Box::new(view_of(s)))),
    ));
}

#[test]
fn my_orders_show_lines_and_notes_and_withdraw_a_pending_one() {
    let (mut d, list) = my_orders();
    answer_detail(&mut d, &list[0]);
    d.key(KeyCode::Down);
    answer_detail(&mut d, &list[1]);
    snap_in!(
        "my_service_orders",
        "my_orders",
        "A PENDING, an APPROVED with a reduction note (selected), a REJECTED order",
        d.render(W, H)
    );
    // Only a PENDING order can be withdrawn.
    d.key(KeyCode::Char('w'));
    assert!(
        d.render(W, H)
            .contains("only a PENDING order can be withdrawn")
    );
    assert!(
        d.take(|r| matches!(r, Request::WithdrawServiceOrder { .. }))
            .is_none()
    );
    d.key(KeyCode::Up);
    answer_detail(&mut d, &list[0]);
    d.key(KeyCode::Char('w'));
    assert!(d.render(W, H).contains("Withdraw service order"));
    d.key(KeyCode::Char('n'));
    assert!(
        d.take(|r| matches!(r, Request::WithdrawServiceOrder { .. }))
            .is_none()
    );
    d.key(KeyCode::Char('w'));
    d.key(KeyCode::Char('y'));
    let req = d
        .take(|r| matches!(r, Request::WithdrawServiceOrder { .. }))
        .expect("withdraw sent");
    assert!(matches!(req.kind, Request::WithdrawServiceOrder { id, .. } if id == list[0].id));
    d.reply(&req, Ok(Reply::Done));
    assert!(
        d.take(|r| matches!(r, Request::ServiceOrders { .. }))
            .is_some(),
        "reloads"
    );
    // F5 reloads too; Esc goes home.
    d.key(KeyCode::F(5));
    assert!(
        d.take(|r| matches!(r, Request::ServiceOrders { .. }))
            .is_some()
    );
    d.key(KeyCode::Esc);
    assert!(matches!(d.app.screen(), ActiveScreen::Home(_)));
}

#[test]
fn no_panic_at_any_size() {
    let mut d = catalog();
    d.draw_every_size();
    let (mut d, _, _) = filled_cart();
    d.draw_every_size();
    d.key(KeyCode::Char('s'));
    d.draw_every_size();
    let (mut d, _) = my_orders();
    d.draw_every_size();
}

#[test]
fn a_scanned_service_part_goes_into_the_cart_on_both_screens() {
    let mut d = catalog();
    d.key(KeyCode::Down);
    let id = selected_id(&d);
    d.scan(&format!("P:{}", id.to_lowercase()));
    assert_eq!(
        d.app.toast().map(|t| t.text.clone()),
        Some(format!("Added 1 × {id} to the cart (1 line)"))
    );
    d.scan("P:NO-SUCH-PART");
    assert_eq!(
        d.app.toast().map(|t| t.text.clone()),
        Some("NO-SUCH-PART is not a service part".to_string())
    );
    assert!(
        !d.sent
            .iter()
            .any(|r| matches!(r.kind, Request::FindScanned { .. })),
        "the service screens use part scans themselves"
    );
    d.key(KeyCode::Char('c'));
    answer_inventory(&mut d);
    d.scan(&id);
    assert_eq!(
        cart_lines(&d),
        vec![CartLine {
            part_id: id.clone(),
            quantity: 2
        }]
    );
    // The cart is the station's: opened again from the home menu it still holds the second one.
    d.key(KeyCode::Esc);
    assert!(matches!(d.app.screen(), ActiveScreen::ServiceCatalog(_)));
    answer_inventory(&mut d);
    d.key(KeyCode::Esc);
    d.open_home_entry("Cart");
    answer_inventory(&mut d);
    assert_eq!(cart_lines(&d)[0].quantity, 2);
}

/// Esc returns to where the user came from: the cart opened from the catalogue goes back to it, the
/// catalogue to the home menu, whose cursor is where it was (README, *Keys*).
#[test]
fn esc_from_the_cart_returns_to_the_catalogue_and_home_keeps_its_cursor() {
    let (mut d, _, _) = filled_cart();
    d.key(KeyCode::Esc);
    assert!(
        matches!(d.app.screen(), ActiveScreen::ServiceCatalog(_)),
        "Esc from the cart goes back to the catalogue"
    );
    answer_inventory(&mut d);
    d.key(KeyCode::Esc);
    let ActiveScreen::Home(home) = d.app.screen() else {
        panic!("Esc from the catalogue goes home");
    };
    assert_eq!(
        home.selected_target(),
        Some(ScreenId::ServiceCatalog),
        "the home menu keeps its place"
    );
    // An entry further down: back home, the cursor is still on it.
    d.open_home_entry("My service orders");
    assert!(matches!(d.app.screen(), ActiveScreen::MyServiceOrders(_)));
    d.key(KeyCode::Esc);
    let ActiveScreen::Home(home) = d.app.screen() else {
        panic!("Esc from my service orders goes home");
    };
    assert_eq!(home.selected_target(), Some(ScreenId::MyServiceOrders));
    for (w, h) in [(80, 24), (120, 40)] {
        snap_in!(
            "home",
            format!("cursor_kept_{w}x{h}"),
            "Back on the home menu from My service orders: the cursor is still on it",
            &d.render(w, h)
        );
    }
    // Opened from the home menu, the cart goes back there.
    d.open_home_entry("Cart");
    answer_inventory(&mut d);
    d.key(KeyCode::Esc);
    let ActiveScreen::Home(home) = d.app.screen() else {
        panic!("the cart opened from home goes back home");
    };
    assert_eq!(home.selected_target(), Some(ScreenId::ServiceCart));
}
