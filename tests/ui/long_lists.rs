//! Long lists draw the window around the selection (docs/performance.md §1.9): 500 users, 500
//! notifications, 500 service orders, a BOM of 500 lines and its totals; after End the last rows show, and moving up past the window's top
//! moves it three quarters of a page. Golden renders at 80x24 into `screens/long_lists/`.
use crate::harness::{Driver, at, init, user, user_for};
use cleanstation::domain::Role;
use cleanstation::domain::bom::ItemType;
use cleanstation::domain::bom_document::{BomDocument, BomVersionList, StoredItem};
use cleanstation::domain::notification::Notification;
use cleanstation::domain::service_order::{ServiceOrderStatus, ServiceOrderSummary, number};
use cleanstation::msg::{Reply, Request};
use cleanstation::theme::Theme;
use crossterm::event::KeyCode;
use rust_decimal::Decimal;
use uuid::Uuid;

const W: u16 = 80;
const H: u16 = 24;
const N: usize = 500;

fn snap(state: &str, description: &str, text: &str) {
    crate::harness::snap_in!("long_lists", state, description, text);
}

fn logged_in(role: Role) -> Driver {
    let mut d = Driver::new(init(Theme::ansi()));
    d.login(user_for(role));
    d
}

/// The number after `name` in a row of a bordered list (`│…name123…`).
fn numbered(name: &str) -> impl Fn(&str) -> Option<usize> + '_ {
    move |line: &str| {
        if !line.starts_with('│') {
            return None;
        }
        let at = line.find(name)? + name.len();
        let digits: String = line[at..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse().ok()
    }
}

/// The list rows of `text` (the number `row_of` reads from each), and the selected one's.
fn rows(text: &str, row_of: &impl Fn(&str) -> Option<usize>) -> (Vec<usize>, Option<usize>) {
    let mut selected = None;
    let rows = text
        .lines()
        .filter_map(|l| {
            let n = row_of(l)?;
            if l.contains('▶') {
                selected = Some(n);
            }
            Some(n)
        })
        .collect();
    (rows, selected)
}

/// Goes to the end of a list of `n` rows numbered from 1, then up one row more than the window holds:
/// the rows shown are checked against the window rule, and both renders are kept as goldens.
fn end_then_up_past_the_top(
    d: &mut Driver,
    (w, h): (u16, u16),
    n: usize,
    row_of: impl Fn(&str) -> Option<usize>,
    family: &str,
) {
    d.key(KeyCode::End);
    let all = d.render(w, h);
    let (shown, selected) = rows(&all, &row_of);
    let height = shown.len();
    assert!(height > 3, "{all}");
    assert_eq!(shown, ((n + 1 - height)..=n).collect::<Vec<_>>(), "{all}");
    assert_eq!(selected, Some(n), "End selects the last row:\n{all}");
    snap(
        &format!("{family}_end"),
        &format!("A long list ({family}) after End: the last window"),
        &all,
    );

    // Up to the window's first row: the window stays; one more and it moves three quarters of a page.
    for _ in 0..height {
        d.key(KeyCode::Up);
    }
    let all = d.render(w, h);
    let (shown, selected) = rows(&all, &row_of);
    let sel = n - height;
    let first = sel - cleanstation::widgets::viewport::lead(height);
    assert_eq!(
        shown,
        (first..first + height).collect::<Vec<_>>(),
        "three quarters of a page above the selection:\n{all}"
    );
    assert_eq!(selected, Some(sel), "{all}");
    snap(
        &format!("{family}_up_past_top"),
        &format!(
            "A long list ({family}), End then Up past the window's top: the window moved three quarters of a page"
        ),
        &all,
    );
}

#[test]
fn five_hundred_users() {
    let mut d = logged_in(Role::Admin);
    d.open_home_entry("Users");
    let users = (1..=N)
        .map(|i| {
            user(
                1000 + i as u128,
                &format!("user{i}"),
                &format!("Person {i}"),
                "PP",
                Role::Assembler,
            )
        })
        .collect();
    assert!(d.answer(
        |r| matches!(r, Request::ListUsers { .. }),
        Ok(Reply::Users(users)),
    ));
    end_then_up_past_the_top(&mut d, (W, H), N, numbered("user"), "users");
}

#[test]
fn five_hundred_notifications() {
    let mut d = logged_in(Role::Assembler);
    d.open_home_entry("Notifications");
    let items = (1..=N)
        .map(|i| Notification {
            id: Uuid::from_u128(0x5000 + i as u128),
            title: format!("Notice {i}"),
            message: format!("The message of notice {i}."),
            kind: "SYSTEM".into(),
            is_read: i % 3 == 0,
            created_at: at(14, 9, u32::try_from(i % 60).unwrap_or(0)),
            related: None,
            priority: Default::default(),
        })
        .collect();
    assert!(d.answer(
        |r| matches!(r, Request::Notifications { .. }),
        Ok(Reply::Notifications(items)),
    ));
    end_then_up_past_the_top(&mut d, (W, H), N, numbered("Notice "), "notifications");
}

#[test]
fn five_hundred_service_orders() {
    let mut d = logged_in(Role::ProcurementSpecialist);
    d.open_home_entry("Service orders");
    let rows: Vec<ServiceOrderSummary> = (1..=N)
        .map(|i| {
            let n = i as u128;
            // The number is the first eight hex digits, so they differ per order.
            let id = Uuid::from_u128(((0x5E00_0000 + n) << 96) | n);
            ServiceOrderSummary {
                id,
                number: number(id),
                status: ServiceOrderStatus::Pending,
                requested_by: format!("Rq{i}"),
                requested_at: Some(at(14, 8, 0)),
                processed_by: None,
                processed_at: None,
                lines: 1,
                total_quantity: 2,
            }
        })
        .collect();
    assert!(d.answer(
        |r| matches!(r, Request::ServiceOrders { .. }),
        Ok(Reply::ServiceOrders(rows)),
    ));
    end_then_up_past_the_top(&mut d, (W, H), N, numbered("Rq"), "service_orders");
}

/// A BOM of `n` assemblies with one part each: `ASSY-i` then `PART-i`, as the database gives it back.
fn long_bom(n: usize) -> BomDocument {
    let item = |index: usize, parent: Option<usize>, item_id: String, name: String, t| StoredItem {
        id: Uuid::from_u128(0x7_0000 + index as u128),
        parent,
        item_id,
        name,
        item_type: t,
        quantity: Decimal::from(1 + index % 3),
        level: if parent.is_some() { 2 } else { 1 },
        sequence: i32::try_from(index).unwrap_or(0),
        is_custom: false,
        custom_spec: None,
        notes: None,
    };
    let items = (1..=n)
        .flat_map(|i| {
            let at = 2 * (i - 1);
            [
                item(
                    at,
                    None,
                    format!("ASSY-{i:03}"),
                    format!("Assembly {i}"),
                    ItemType::Assembly,
                ),
                item(
                    at + 1,
                    Some(at),
                    format!("PART-{i:03}"),
                    format!("Part {i}"),
                    ItemType::Part,
                ),
            ]
        })
        .collect();
    BomDocument {
        header: crate::bom_viewer::header(),
        version: crate::bom_viewer::version_info(2, Vec::new()),
        items,
        approval: None,
    }
}

/// A row of the tree or the totals (`│ ▶ …` or `│   …`), not the selection's facts under them.
fn bom_row(line: &str) -> bool {
    line.starts_with("│ ▶") || line.starts_with("│   ")
}

#[test]
fn a_long_bom_tree_and_its_totals() {
    const ASSEMBLIES: usize = 250;
    let size = (100, 30);
    let mut d = crate::bom_viewer::viewer_unanswered(Theme::ansi());
    assert!(d.answer(
        |r| matches!(r, Request::BomVersions { .. }),
        Ok(Reply::BomVersions(Box::new(BomVersionList {
            header: crate::bom_viewer::header(),
            versions: vec![crate::bom_viewer::version_info(2, Vec::new())],
        }))),
    ));
    assert!(d.answer(
        |r| matches!(r, Request::BomDocument { .. }),
        Ok(Reply::BomDocument(Box::new(long_bom(ASSEMBLIES)))),
    ));
    // Every line open: ASSY-i is row 2i-1 and PART-i row 2i.
    d.key(KeyCode::Char('+'));
    let assy = numbered("ASSY-");
    let part = numbered("PART-");
    let tree_row = |l: &str| {
        if !bom_row(l) {
            return None;
        }
        assy(l)
            .map(|i| 2 * i - 1)
            .or_else(|| part(l).map(|i| 2 * i))
    };
    end_then_up_past_the_top(&mut d, size, 2 * ASSEMBLIES, tree_row, "bom_tree");

    d.key(KeyCode::Tab);
    let total_row = |l: &str| bom_row(l).then(|| part(l)).flatten();
    end_then_up_past_the_top(&mut d, size, ASSEMBLIES, total_row, "bom_totals");
}
