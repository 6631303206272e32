//! Golden renders of the BOM viewer at 100x30, into `screens/bom_viewer/`.
//!
//! The BOM is generated from the shipped catalog by the engine for a T2-B2 build with a custom pegboard
//! and a custom basin, then turned into the stored form the viewer reads, so the goldens show real part
//! names. The viewer is reached the way a purchaser reaches it: a notification opens the build, `v`
//! opens its BOM.
use crate::harness::{
    Driver, at, floor_order_detail, notification_about_build, open_build_via_notification,
};
use cleanstation::domain::Role;
use cleanstation::domain::bom::{BomStatus, CatalogIndex, generate};
use cleanstation::domain::bom_document::{
    BomDocument, BomHeader, BomVersionInfo, BomVersionList, StoredItem,
};
use cleanstation::domain::catalog::parse_catalog;
use cleanstation::domain::order::{BuildConfig, DocumentLanguage, OrderStatus};
use cleanstation::domain::order_view::{BomSummary, OrderDetail};
use cleanstation::error::ServiceError;
use cleanstation::msg::{Reply, Request};
use cleanstation::reference::{ASSEMBLIES_JSON, CATEGORIES_JSON, PARTS_JSON};
use cleanstation::screens::ActiveScreen;
use cleanstation::theme::Theme;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use rust_decimal::Decimal;
use serde_json::json;
use uuid::Uuid;

const W: u16 = 100;
const H: u16 = 30;

fn snap(state: &str, description: &str, text: &str) {
    crate::harness::snap_in!("bom_viewer", state, description, text);
}

const ORDER: Uuid = Uuid::from_u128(0x0001_0004);

fn bom_id(version: i32) -> Uuid {
    Uuid::from_u128(0x0B00 + u128::try_from(version).expect("positive"))
}

/// Version 2: a custom pegboard and a custom basin. Version 1 had a standard pegboard and basin.
fn build(version: i32) -> BuildConfig {
    let custom = version >= 2;
    serde_json::from_value(json!({
        "buildNumber": "24-0126", "sinkFamily": "MDRD", "sinkModel": "T2-B2", "sinkWidth": 30, "sinkLength": 72,
        "legsType": "HEIGHT_ADJUSTABLE", "legsModel": "DL27", "feetType": "LOCK_LEVELING_CASTERS",
        "hasPegboard": true, "pegboardColor": "BLUE", "pegboardType": "SOLID",
        "pegboardSizeType": if custom { "CUSTOM" } else { "SAME_AS_SINK" },
        "pegboardWidth": if custom { json!(80) } else { json!(null) },
        "pegboardLength": if custom { json!(30) } else { json!(null) },
        "basins": [
            {"basinIndex": 1, "basinType": "E_SINK", "basinWidth": 24, "basinLength": 20, "basinDepth": 10,
             "hasBasinLight": true, "hasPTrapDrain": true},
            {"basinIndex": 2, "basinType": "E_DRAIN",
             "basinWidth": if custom { 26 } else { 24 }, "basinLength": 20, "basinDepth": 10,
             "isCustomSize": custom}],
        "faucets": [{"faucetType": "WRIST_BLADE_SWING_SPOUT", "quantity": 1, "placement": "BETWEEN_BASINS"}],
        "accessories": [{"assemblyId": "T2-OA-PO-SHLF-1212", "quantity": if custom { 2 } else { 1 }}]
    }))
    .expect("valid build")
}

pub(crate) fn header() -> BomHeader {
    BomHeader {
        order_id: ORDER,
        po_number: "4500023".into(),
        build_number: "24-0126".into(),
        customer_name: "Lakeview Surgical Center".into(),
        sink_model: "T2-B2".into(),
        order_status: OrderStatus::OrderCreated,
    }
}

pub(crate) fn version_info(version: i32, notes: Vec<String>) -> BomVersionInfo {
    BomVersionInfo {
        id: bom_id(version),
        version,
        status: if version == 2 {
            BomStatus::Draft
        } else {
            BomStatus::Superseded
        },
        generated_by: "Carla Mendes".into(),
        generated_at: Some(at(if version == 2 { 12 } else { 3 }, 9, 15)),
        notes,
        current: version == 2,
    }
}

/// The engine's BOM for `version`, as the database gives it back.
fn document(version: i32) -> BomDocument {
    let catalog =
        parse_catalog(PARTS_JSON, ASSEMBLIES_JSON, CATEGORIES_JSON).expect("shipped catalog");
    let index = CatalogIndex::from_catalog(&catalog);
    let bom = generate(DocumentLanguage::En, &build(version), &index).expect("the build generates");
    let items = bom
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| StoredItem {
            id: Uuid::from_u128(0x1_0000 * u128::try_from(version).expect("positive") + i as u128),
            parent: n.parent,
            item_id: n.id.clone(),
            name: n.name.clone(),
            item_type: n.item_type,
            quantity: Decimal::from(n.quantity),
            level: n.level,
            sequence: n.sequence,
            is_custom: n.is_custom,
            custom_spec: n.custom_spec.clone(),
            notes: n.notes.clone(),
        })
        .collect();
    BomDocument {
        header: header(),
        version: version_info(version, bom.notes.clone()),
        items,
        approval: None,
    }
}

fn versions() -> BomVersionList {
    BomVersionList {
        header: header(),
        versions: vec![document(2).version, document(1).version],
    }
}

fn order_detail() -> OrderDetail {
    let bom = BomSummary {
        version: 2,
        status: "DRAFT".into(),
        top_level_lines: 12,
        notes: None,
    };
    OrderDetail {
        bom: Some(bom),
        ..floor_order_detail(
            ORDER,
            "4500023",
            build(2),
            OrderStatus::OrderCreated,
            at(12, 9, 15),
        )
    }
}

/// A purchaser opens the build from a notification, then its BOM; nothing is answered yet.
pub(crate) fn viewer_unanswered(theme: Theme) -> Driver {
    let review = notification_about_build(
        ORDER,
        "ORDER_STATUS_CHANGE",
        "BOM ready for review",
        "Build 24-0126 has a new DRAFT BOM",
        at(12, 9, 15),
    );
    let role = Role::ProcurementSpecialist;
    let mut d = open_build_via_notification(theme, role, vec![review], order_detail());
    d.key(KeyCode::Char('v'));
    assert!(matches!(d.app.screen(), ActiveScreen::BomViewer(_)));
    d
}

pub(crate) fn viewer(theme: Theme) -> Driver {
    let mut d = viewer_unanswered(theme);
    assert!(d.answer(
        |r| matches!(r, Request::BomVersions { order_id, .. } if *order_id == ORDER),
        Ok(Reply::BomVersions(Box::new(versions()))),
    ));
    assert!(d.answer(
        |r| matches!(r, Request::BomDocument { bom_id: None, .. }),
        Ok(Reply::BomDocument(Box::new(document(2)))),
    ));
    d
}

#[test]
fn loading_and_empty() {
    let mut d = viewer_unanswered(Theme::ansi());
    snap("loading", "The BOM is on its way", &d.render(W, H));
    d.answer(
        |r| matches!(r, Request::BomVersions { .. }),
        Ok(Reply::BomVersions(Box::new(BomVersionList {
            header: header(),
            versions: Vec::new(),
        }))),
    );
    d.answer(
        |r| matches!(r, Request::BomDocument { .. }),
        Err(ServiceError::NoBom),
    );
    snap("empty", "A build without a BOM", &d.render(W, H));
    d.key(KeyCode::Esc);
    assert!(matches!(d.app.screen(), ActiveScreen::OrderDetail(_)));
}

#[test]
fn tree_collapsed_expanded_and_searched() {
    let mut d = viewer(Theme::ansi());
    snap(
        "tree_collapsed",
        "The current version, top-level lines collapsed",
        &d.render(W, H),
    );
    d.key(KeyCode::Char('+'));
    d.key(KeyCode::Down);
    d.key(KeyCode::Down);
    snap(
        "tree_expanded",
        "Expand all, second line selected",
        &d.render(W, H),
    );
    d.key(KeyCode::Char('-'));
    d.key(KeyCode::Char('/'));
    d.type_str("basin");
    d.key(KeyCode::Enter);
    d.key(KeyCode::Char('n'));
    snap(
        "tree_searched",
        "Search 'basin', then n: the second match, its ancestors opened",
        &d.render(W, H),
    );
    d.key(KeyCode::Char('/'));
    d.ctrl('u');
    d.type_str("xyz");
    d.key(KeyCode::Enter);
    let text = d.render(W, H);
    assert!(text.contains("no match for 'xyz'"), "{text}");
}

#[test]
fn totals_sorted() {
    let mut d = viewer(Theme::ansi());
    d.key(KeyCode::Tab);
    d.key(KeyCode::Char('s'));
    d.key(KeyCode::Char('s'));
    snap(
        "totals",
        "Flattened totals sorted by quantity, largest first",
        &d.render(W, H),
    );
}

#[test]
fn versions_and_diff() {
    let mut d = viewer(Theme::ansi());
    d.key_event(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT));
    d.key(KeyCode::Down);
    snap(
        "versions",
        "The version list, version 1 selected",
        &d.render(W, H),
    );
    d.key(KeyCode::Char('d'));
    assert!(d.answer(
        |r| matches!(r, Request::BomDocument { bom_id: Some(id), .. } if *id == bom_id(1)),
        Ok(Reply::BomDocument(Box::new(document(1)))),
    ));
    snap(
        "diff",
        "Version 1 against the current version 2",
        &d.render(W, H),
    );
    d.key(KeyCode::Esc);
    d.key(KeyCode::Enter);
    let text = d.render(W, H);
    assert!(text.contains("VIEWING AN OLD VERSION"), "{text}");
}

#[test]
fn export_dialog_reports_where_the_files_went() {
    let mut d = viewer(Theme::ansi());
    d.key(KeyCode::Char('x'));
    d.key(KeyCode::Tab);
    d.ctrl('u');
    d.type_str("/srv/exports");
    d.key(KeyCode::Enter);
    let req = d
        .take(|r| matches!(r, Request::ExportBom { dir, .. } if dir == "/srv/exports"))
        .expect("Enter sends the export");
    d.reply(
        &req,
        Err(ServiceError::Invalid(
            "The directory /srv/exports does not exist".into(),
        )),
    );
    let text = d.render(W, H);
    assert!(
        text.contains("ERROR: The directory /srv/exports does not exist"),
        "{text}"
    );
    assert!(text.contains("/srv/exports"));
    d.key(KeyCode::Enter);
    let req = d
        .take(|r| matches!(r, Request::ExportBom { .. }))
        .expect("the kept input is sent again");
    d.reply(
        &req,
        Ok(Reply::Exported(vec![
            "/srv/exports/4500023_24-0126_BOM_v2.csv".into(),
        ])),
    );
    let text = d.render(W, H);
    assert!(
        text.contains("Exported to /srv/exports/4500023_24-0126_BOM_v2.csv"),
        "{text}"
    );
}

#[test]
fn no_panic_at_any_size() {
    let mut d = viewer(Theme::mono());
    d.draw_every_size();
    d.key(KeyCode::Char('+'));
    d.key(KeyCode::Char('/'));
    d.draw_every_size();
    d.key(KeyCode::Esc);
    d.key(KeyCode::Tab);
    d.draw_every_size();
    d.key(KeyCode::Tab);
    d.draw_every_size();
    d.key(KeyCode::Char('x'));
    d.draw_every_size();
}
