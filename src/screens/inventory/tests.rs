use super::*;
use crate::domain::inventory::Inventory;
use crate::domain::inventory::records::{assembly, category, link, part};
use crate::keymap::Keymap;
use crate::screens::IdGen;
use crate::screens::ScreenMsg;
use crate::screens::testkit::{requests, session};
use crate::widgets::wrap;

fn inventory() -> Inventory {
    Inventory {
        categories: vec![category("718", "CONTROL BOX", None)],
        parts: vec![
            part("VALVE-1", "SOLENOID VALVE", None),
            part("NUT", "HEX NUT", None),
        ],
        assemblies: vec![assembly("BOX", "CONTROL BOX", "718", "")],
        links: vec![link("BOX", "VALVE-1", 2)],
    }
}

/// A screen with the fixture catalog loaded.
fn loaded(role: Role, ids: &mut IdGen, km: &Keymap) -> InventoryScreen {
    let session = session(role);
    let mut ctx = Ctx::new(ids, Some(&session), km);
    let (mut s, cmd) = InventoryScreen::open(&mut ctx);
    let load = requests(cmd);
    assert!(matches!(load[0].kind, Request::Inventory { .. }));
    s.update(
        ScreenMsg::Db(ServiceReply {
            id: load[0].id,
            result: Ok(Reply::Inventory(Box::new(inventory()))),
        }),
        &mut ctx,
    );
    s
}

#[test]
fn search_then_enter_shows_the_match_in_the_tree_and_where_used_asks_for_builds() {
    let mut ids = IdGen::default();
    let km = Keymap::default();
    let mut s = loaded(Role::ProcurementSpecialist, &mut ids, &km);
    let session = session(Role::ProcurementSpecialist);
    let mut ctx = Ctx::new(&mut ids, Some(&session), &km);
    s.update(ScreenMsg::Action(Action::Search), &mut ctx);
    assert_eq!(s.key_contexts()[0], KeyContext::TextInput);
    for c in "valve".chars() {
        s.update(ScreenMsg::Char(c), &mut ctx);
    }
    assert_eq!(s.selected_item(), Some(Item::Part(0)));
    s.update(ScreenMsg::Action(Action::Search), &mut ctx);
    s.update(ScreenMsg::Action(Action::ShowInTree), &mut ctx);
    // Back in the tree, at the valve under its assembly.
    assert_eq!(s.key_contexts()[0], KeyContext::Inventory);
    assert_eq!(s.selected_item(), Some(Item::Part(0)));
    let reqs = requests(s.update(ScreenMsg::Action(Action::WhereUsed), &mut ctx));
    assert!(matches!(
        &reqs[0].kind,
        Request::WhereUsed { item_id, .. } if item_id == "VALVE-1"
    ));
    assert_eq!(s.key_contexts()[0], KeyContext::WhereUsedList);
    // A stale reply is ignored; the right one fills the panel.
    s.update(
        ScreenMsg::Db(ServiceReply {
            id: RequestId(999),
            result: Ok(Reply::WhereUsed(Vec::new())),
        }),
        &mut ctx,
    );
    assert!(matches!(
        s.where_used.as_ref().map(|w| &w.builds),
        Some(Builds::Loading(_))
    ));
    let order = Uuid::from_u128(5);
    s.update(
        ScreenMsg::Db(ServiceReply {
            id: reqs[0].id,
            result: Ok(Reply::WhereUsed(vec![BuildUse {
                order_id: order,
                po_number: "PO-1".into(),
                build_number: "B-1".into(),
                status: crate::domain::order::OrderStatus::PartsSent,
                want_date: chrono::NaiveDate::default(),
                bom_version: 1,
                quantity: rust_decimal::Decimal::from(2),
            }])),
        }),
        &mut ctx,
    );
    // Rows: the assembly BOX, then the build.
    s.update(ScreenMsg::Action(Action::Down), &mut ctx);
    s.update(ScreenMsg::Action(Action::Open), &mut ctx);
    assert!(
        ctx.into_effects()
            .contains(&Effect::Navigate(ScreenId::OrderDetail(order)))
    );
    // Enter on the assembly jumps to it in the tree.
    let mut ctx = Ctx::new(&mut ids, Some(&session), &km);
    s.update(ScreenMsg::Action(Action::Up), &mut ctx);
    s.update(ScreenMsg::Action(Action::Open), &mut ctx);
    assert!(!s.is_where_used_open());
    assert_eq!(s.selected_item(), Some(Item::Assembly(0)));
}

#[test]
fn the_service_department_is_not_asked_for_builds() {
    let mut ids = IdGen::default();
    let km = Keymap::default();
    let mut s = loaded(Role::ServiceDepartment, &mut ids, &km);
    let session = session(Role::ServiceDepartment);
    let mut ctx = Ctx::new(&mut ids, Some(&session), &km);
    // The first node is the category: where used is for items only.
    let cmd = s.update(ScreenMsg::Action(Action::WhereUsed), &mut ctx);
    assert!(requests(cmd).is_empty());
    assert!(!s.is_where_used_open());
    s.update(ScreenMsg::Action(Action::Expand), &mut ctx);
    s.update(ScreenMsg::Action(Action::Down), &mut ctx);
    assert_eq!(s.selected_item(), Some(Item::Assembly(0)));
    let cmd = s.update(ScreenMsg::Action(Action::WhereUsed), &mut ctx);
    assert!(requests(cmd).is_empty());
    assert!(matches!(
        s.where_used.as_ref().map(|w| &w.builds),
        Some(Builds::NotShown)
    ));
    s.update(ScreenMsg::Action(Action::Close), &mut ctx);
    assert!(!s.is_where_used_open());
    s.update(ScreenMsg::Action(Action::Back), &mut ctx);
    assert!(
        ctx.into_effects()
            .contains(&Effect::Navigate(ScreenId::Home))
    );
}

#[test]
fn a_failed_load_can_be_retried_with_enter() {
    let mut ids = IdGen::default();
    let km = Keymap::default();
    let session = session(Role::Assembler);
    let mut ctx = Ctx::new(&mut ids, Some(&session), &km);
    let (mut s, cmd) = InventoryScreen::open(&mut ctx);
    let load = requests(cmd);
    s.update(
        ScreenMsg::Db(ServiceReply {
            id: load[0].id,
            result: Err(crate::error::ServiceError::Unavailable("down".into())),
        }),
        &mut ctx,
    );
    assert!(s.error.is_some());
    let again = requests(s.update(ScreenMsg::Action(Action::ToggleNode), &mut ctx));
    assert!(matches!(again[0].kind, Request::Inventory { .. }));
}

#[test]
fn wrap_splits_on_words_and_long_words() {
    assert_eq!(wrap("one two three", 7), vec!["one two", "three"]);
    assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
    assert_eq!(wrap("", 4), vec![""]);
}
