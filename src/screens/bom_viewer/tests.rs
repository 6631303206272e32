//! The viewer's state machine: loading, stale replies, tree keys and search, totals sort, versions,
//! diff and export.

use super::*;
use crate::domain::Role;
use crate::domain::bom::BomStatus;
use crate::domain::bom_document::{BomHeader, BomVersionInfo};
use crate::domain::order::OrderStatus;
use crate::export::ExportFormat;
use crate::msg::ServiceRequest;
use crate::screens::ScreenMsg;
use crate::screens::testkit::Harness;
use rust_decimal::Decimal;

const ORDER: Uuid = Uuid::from_u128(7);

fn bom_id(version: i32) -> Uuid {
    Uuid::from_u128(100 + u128::try_from(version).unwrap_or(0))
}

fn header() -> BomHeader {
    BomHeader {
        order_id: ORDER,
        po_number: "4500012".into(),
        build_number: "24-0118".into(),
        customer_name: "St. Mary's Hospital".into(),
        sink_model: "T2-B2".into(),
        order_status: OrderStatus::OrderCreated,
    }
}

fn info(version: i32, current: bool) -> BomVersionInfo {
    BomVersionInfo {
        id: bom_id(version),
        version,
        status: if current {
            BomStatus::Draft
        } else {
            BomStatus::Superseded
        },
        generated_by: "Carla Mendes".into(),
        generated_at: None,
        notes: Vec::new(),
        current,
    }
}

fn item(parent: Option<usize>, id: &str, name: &str, q: i64) -> StoredItem {
    let level = i32::from(parent.is_some());
    crate::domain::bom_document::fixtures::node(parent, level, id, name, q)
}

/// Two top-level assemblies with two parts each; version 2 has one more of "P-1".
fn doc(version: i32, current: bool) -> BomDocument {
    BomDocument {
        header: header(),
        version: info(version, current),
        items: vec![
            item(None, "ASM-A", "Frame", 1),
            item(Some(0), "P-1", "Bolt", 3 + i64::from(version)),
            item(Some(0), "P-2", "Basin drain", 1),
            item(None, "ASM-B", "Legs", 1),
            item(Some(3), "P-3", "Foot", 4),
            item(Some(3), "P-2", "Basin drain", 2),
        ],
        approval: None,
    }
}

fn versions() -> BomVersionList {
    BomVersionList {
        header: header(),
        versions: vec![info(2, true), info(1, false)],
    }
}

fn open(h: &mut Harness) -> (BomViewerScreen, Vec<ServiceRequest>) {
    h.open(|ctx| BomViewerScreen::open(ORDER, ctx))
}

/// The screen with the versions and the current document (version 2) loaded.
fn loaded(h: &mut Harness) -> BomViewerScreen {
    let (mut s, reqs) = open(h);
    for r in reqs {
        let result = match r.kind {
            Request::BomVersions { .. } => Ok(Reply::BomVersions(Box::new(versions()))),
            _ => Ok(Reply::BomDocument(Box::new(doc(2, true)))),
        };
        h.reply(&mut s, &r, result);
    }
    s
}

fn type_str(h: &mut Harness, s: &mut BomViewerScreen, text: &str) {
    for c in text.chars() {
        h.send(s, ScreenMsg::Char(c));
    }
}

fn selected_id(s: &BomViewerScreen) -> Option<String> {
    let doc = s.document()?;
    s.tree()
        .selected()
        .and_then(|i| doc.items.get(i))
        .map(|i| i.item_id.clone())
}

#[test]
fn opening_asks_for_the_versions_and_the_current_document() {
    let mut h = Harness::new(Role::ProcurementSpecialist);
    let (s, reqs) = open(&mut h);
    assert!(matches!(reqs[0].kind, Request::BomVersions { order_id, .. } if order_id == ORDER));
    assert!(matches!(
        reqs[1].kind,
        Request::BomDocument { bom_id: None, .. }
    ));
    assert!(s.is_loading());
    assert_eq!(s.key_contexts(), vec![KeyContext::BomViewer]);
}

#[test]
fn a_stale_reply_after_refresh_is_dropped() {
    let mut h = Harness::new(Role::ProcurementSpecialist);
    let (mut s, first) = open(&mut h);
    let (again, _) = h.act(&mut s, Action::Refresh);
    assert_eq!(again.len(), 2);
    h.reply(
        &mut s,
        &first[1],
        Ok(Reply::BomDocument(Box::new(doc(1, false)))),
    );
    assert!(s.document().is_none(), "the first load's reply is stale");
    h.reply(
        &mut s,
        &again[1],
        Ok(Reply::BomDocument(Box::new(doc(2, true)))),
    );
    assert_eq!(s.document().map(|d| d.version.version), Some(2));
}

#[test]
fn no_bom_and_refusals_are_shown_and_back_leaves() {
    let mut h = Harness::new(Role::ProcurementSpecialist);
    let (mut s, reqs) = open(&mut h);
    h.reply(&mut s, &reqs[1], Err(ServiceError::NoBom));
    assert!(s.no_bom);
    assert!(s.error().is_none());
    let (mut s, reqs) = open(&mut h);
    h.reply(
        &mut s,
        &reqs[1],
        Err(ServiceError::Unavailable("down".into())),
    );
    assert!(s.error().is_some_and(|e| e.contains("not reachable")));
    let (_, effects) = h.act(&mut s, Action::Back);
    assert_eq!(
        effects,
        vec![Effect::Navigate(ScreenId::OrderDetail(ORDER))]
    );
}

#[test]
fn the_tree_starts_collapsed_and_expands() {
    let mut h = Harness::new(Role::ProcurementSpecialist);
    let mut s = loaded(&mut h);
    assert_eq!(s.tree().visible(), vec![0, 3]);
    assert_eq!(
        s.key_contexts(),
        vec![KeyContext::BomTree, KeyContext::List, KeyContext::BomViewer]
    );
    h.act(&mut s, Action::ToggleNode);
    assert_eq!(s.tree().visible(), vec![0, 1, 2, 3]);
    h.act(&mut s, Action::ExpandAll);
    assert_eq!(s.tree().visible().len(), 6);
    h.act(&mut s, Action::Last);
    assert_eq!(selected_id(&s).as_deref(), Some("P-2"));
    h.act(&mut s, Action::CollapseAll);
    assert_eq!(s.tree().visible(), vec![0, 3]);
    assert_eq!(selected_id(&s).as_deref(), Some("ASM-B"));
}

#[test]
fn search_jumps_to_matches_by_id_or_name() {
    let mut h = Harness::new(Role::ProcurementSpecialist);
    let mut s = loaded(&mut h);
    h.act(&mut s, Action::Search);
    assert_eq!(
        s.key_contexts(),
        vec![KeyContext::TextInput, KeyContext::SearchField]
    );
    type_str(&mut h, &mut s, "DRAIN");
    h.act(&mut s, Action::Search);
    // The box closes on a hit and the match's ancestors open.
    assert!(s.search.input.is_none());
    assert_eq!(s.tree().selected(), Some(2));
    assert!(s.tree().visible().contains(&2));
    assert_eq!(s.match_position(), (Some(1), 2));
    h.act(&mut s, Action::NextMatch);
    assert_eq!(s.tree().selected(), Some(5));
    assert_eq!(s.match_position(), (Some(2), 2));
    h.act(&mut s, Action::NextMatch);
    assert_eq!(s.tree().selected(), Some(2), "wraps around");
    h.act(&mut s, Action::PrevMatch);
    assert_eq!(s.tree().selected(), Some(5));
    assert!(s.is_match(5) && !s.is_match(4));

    // A miss keeps the box open with its text and says so.
    h.act(&mut s, Action::Search);
    h.act(&mut s, Action::ClearField);
    type_str(&mut h, &mut s, "xyz");
    h.act(&mut s, Action::Search);
    assert!(s.search.no_match);
    assert_eq!(
        s.search.input.as_ref().map(FormField::value).as_deref(),
        Some("xyz")
    );
    h.act(&mut s, Action::ClearSearch);
    assert!(s.search.input.is_none() && s.search.query.is_empty());
    assert_eq!(s.match_position(), (None, 0));
}

#[test]
fn totals_sort_by_key_and_reverse() {
    let mut h = Harness::new(Role::ProcurementSpecialist);
    let mut s = loaded(&mut h);
    h.act(&mut s, Action::NextView);
    assert_eq!(s.view_shown(), View::Totals);
    let ids = |s: &BomViewerScreen| -> Vec<String> {
        s.totals().iter().map(|l| l.item_id.clone()).collect()
    };
    assert_eq!(ids(&s), ["P-1", "P-2", "P-3"]);
    h.act(&mut s, Action::SortNext); // name
    assert_eq!(s.sort_key(), (TotalsSort::Name, false));
    assert_eq!(ids(&s), ["P-2", "P-1", "P-3"]);
    h.act(&mut s, Action::SortNext); // quantity, largest first
    assert_eq!(s.sort_key(), (TotalsSort::Quantity, true));
    assert_eq!(ids(&s), ["P-1", "P-3", "P-2"]);
    h.act(&mut s, Action::SortReverse);
    assert_eq!(ids(&s), ["P-2", "P-3", "P-1"]);
    // P-2 sums its two places.
    assert_eq!(s.totals()[0].quantity, Decimal::from(3));
}

#[test]
fn versions_open_an_old_version_in_the_tree() {
    let mut h = Harness::new(Role::ProcurementSpecialist);
    let mut s = loaded(&mut h);
    h.act(&mut s, Action::PrevView);
    assert_eq!(s.view_shown(), View::Versions);
    h.act(&mut s, Action::Down);
    let (reqs, _) = h.act(&mut s, Action::Open);
    assert!(matches!(
        reqs[0].kind,
        Request::BomDocument { bom_id: Some(id), .. } if id == bom_id(1)
    ));
    h.reply(
        &mut s,
        &reqs[0],
        Ok(Reply::BomDocument(Box::new(doc(1, false)))),
    );
    assert_eq!(s.view_shown(), View::Tree);
    assert_eq!(s.document().map(|d| d.version.version), Some(1));
}

#[test]
fn diff_between_the_selected_and_the_current_version() {
    let mut h = Harness::new(Role::ProcurementSpecialist);
    let mut s = loaded(&mut h);
    h.act(&mut s, Action::PrevView);
    // The current version against itself: nothing to compare.
    let (reqs, _) = h.act(&mut s, Action::ShowDiff);
    assert!(reqs.is_empty() && s.diff().is_none());
    assert!(s.notice().is_some_and(|n| n.contains("Mark a version")));
    h.act(&mut s, Action::Down);
    let (reqs, _) = h.act(&mut s, Action::ShowDiff);
    assert_eq!(reqs.len(), 1, "only the missing version is read");
    h.reply(
        &mut s,
        &reqs[0],
        Ok(Reply::BomDocument(Box::new(doc(1, false)))),
    );
    let d = s.diff().expect("the diff is shown");
    assert_eq!((d.old_version, d.new_version), (1, 2));
    assert_eq!(d.totals.changed(), 1);
    // The tree still shows the current version.
    assert_eq!(s.document().map(|d| d.version.version), Some(2));
    assert_eq!(
        s.key_contexts(),
        vec![KeyContext::List, KeyContext::BomViewer]
    );
    let (_, effects) = h.act(&mut s, Action::Back);
    assert!(effects.is_empty(), "Esc leaves the diff, not the screen");
    assert!(s.diff().is_none());
}

#[test]
fn diff_between_a_marked_and_the_selected_version() {
    let mut h = Harness::new(Role::ProcurementSpecialist);
    let mut s = loaded(&mut h);
    h.act(&mut s, Action::PrevView);
    h.act(&mut s, Action::MarkVersion); // v2
    assert_eq!(s.marked, Some(bom_id(2)));
    h.act(&mut s, Action::Down); // v1
    let (reqs, _) = h.act(&mut s, Action::ShowDiff);
    h.reply(
        &mut s,
        &reqs[0],
        Ok(Reply::BomDocument(Box::new(doc(1, false)))),
    );
    assert_eq!(
        s.diff().map(|d| (d.old_version, d.new_version)),
        Some((1, 2))
    );
    h.act(&mut s, Action::NextView);
    assert!(s.diff().is_none());
    // Cached now: a second diff needs no request.
    let (reqs, _) = h.act(&mut s, Action::ShowDiff);
    assert!(reqs.is_empty());
    assert!(s.diff().is_some());
}

#[test]
fn export_sends_the_dialog_input_and_keeps_it_on_refusal() {
    let mut h = Harness::new(Role::ProcurementSpecialist);
    let mut s = loaded(&mut h);
    h.act(&mut s, Action::ExportBom);
    assert!(s.key_contexts().contains(&KeyContext::Dialog));
    h.act(&mut s, Action::NextChoice); // PDF
    h.act(&mut s, Action::NextField);
    h.act(&mut s, Action::ClearField);
    type_str(&mut h, &mut s, "/no/such/dir");
    let (reqs, _) = h.act(&mut s, Action::Submit);
    assert!(matches!(
        &reqs[0].kind,
        Request::ExportBom { format: ExportFormat::Pdf, dir, .. } if dir == "/no/such/dir"
    ));
    h.reply(
        &mut s,
        &reqs[0],
        Err(ServiceError::Invalid("The directory does not exist".into())),
    );
    let dialog = s.export.as_ref().expect("the dialog stays");
    assert_eq!(
        dialog.error.as_deref(),
        Some("The directory does not exist")
    );
    assert_eq!(dialog.form.value(DIRECTORY), "/no/such/dir");

    let (reqs, _) = h.act(&mut s, Action::Submit);
    h.reply(
        &mut s,
        &reqs[0],
        Ok(Reply::Exported(vec!["/tmp/PO_B_BOM_v2.pdf".into()])),
    );
    assert!(s.export.is_none());
    assert_eq!(s.notice(), Some("Exported to /tmp/PO_B_BOM_v2.pdf"));
}

#[test]
fn the_dialog_offers_the_last_choice_again() {
    let mut h = Harness::new(Role::ProcurementSpecialist);
    let mut s = loaded(&mut h);
    h.act(&mut s, Action::ExportBom);
    h.act(&mut s, Action::NextChoice);
    h.act(&mut s, Action::NextField);
    type_str(&mut h, &mut s, "/srv/out");
    let (reqs, _) = h.act(&mut s, Action::Submit);
    let sent = reqs.first().and_then(|r| match &r.kind {
        Request::ExportBom { format, dir, .. } => Some((*format, dir.clone())),
        _ => None,
    });
    assert_eq!(sent, Some((ExportFormat::Pdf, "/srv/out".to_string())));
    h.act(&mut s, Action::Cancel);
    h.act(&mut s, Action::ExportBom);
    let dialog = s.export.as_ref().expect("the dialog opens again");
    assert_eq!(dialog.form.value(DIRECTORY), "/srv/out");
    assert_eq!(
        dialog.form.field(FORMAT).and_then(FormField::choice_index),
        Some(1)
    );
}

#[test]
fn an_empty_directory_is_sent_for_the_service_to_resolve() {
    let mut h = Harness::new(Role::ProcurementSpecialist);
    let mut s = loaded(&mut h);
    h.act(&mut s, Action::ExportBom);
    let (reqs, _) = h.act(&mut s, Action::Submit);
    let sent = reqs.first().and_then(|r| match &r.kind {
        Request::ExportBom { format, dir, .. } => Some((*format, dir.clone())),
        _ => None,
    });
    assert_eq!(sent, Some((ExportFormat::Csv, "".to_string())));
}

#[test]
fn custom_specs_read_as_words() {
    let spec = serde_json::json!({"width": 80, "length": 30, "type": "SOLID", "color": "BLUE"});
    assert_eq!(spec_text(&spec), "width 80 · length 30 · SOLID · BLUE");
    let basin = serde_json::json!({"width": 26, "length": 20, "depth": 10});
    assert_eq!(spec_text(&basin), "width 26 · length 20 · depth 10");
    assert_eq!(type_label(ItemType::Part, true), "CUSTOM");
    assert_eq!(type_label(ItemType::Assembly, false), "ASSEMBLY");
}

#[test]
fn an_approval_elsewhere_re_reads_the_versions_and_the_one_shown_keeping_the_tree() {
    use crate::domain::live::{Entity, LiveEvent};
    use crate::screens::testkit::{live_change, toasts};
    let mut h = Harness::new(Role::ProcurementSpecialist);
    let mut s = loaded(&mut h);
    h.act(&mut s, Action::ExpandAll);
    h.act(&mut s, Action::Down);
    h.act(&mut s, Action::Down);
    let before = selected_id(&s);
    assert_eq!(before.as_deref(), Some("P-2"));
    let other = live_change(Entity::Bom, bom_id(9), Some(Uuid::from_u128(8)));
    assert!(
        h.send(&mut s, ScreenMsg::Live(other)).0.is_empty(),
        "another build"
    );
    let task = live_change(Entity::Task, Uuid::from_u128(9), Some(ORDER));
    assert!(
        h.send(&mut s, ScreenMsg::Live(task)).0.is_empty(),
        "not the BOM"
    );
    let ev = live_change(Entity::Bom, bom_id(2), Some(ORDER));
    let (reqs, _) = h.send(&mut s, ScreenMsg::Live(ev.clone()));
    assert_eq!(reqs.len(), 1);
    assert!(matches!(reqs[0].kind, Request::BomVersions { order_id, .. } if order_id == ORDER));
    assert!(
        h.send(&mut s, ScreenMsg::Live(ev)).0.is_empty(),
        "one on its way"
    );
    let mut approved = versions();
    approved.versions[0].status = BomStatus::Approved;
    let (more, effects) = h.reply(&mut s, &reqs[0], Ok(Reply::BomVersions(Box::new(approved))));
    assert_eq!(
        toasts(&effects),
        vec!["BOM version 2 is now APPROVED by Luis Ortega at station ASM-2".to_string()]
    );
    // The version shown is read again, and the gathered event goes out.
    assert_eq!(more.len(), 2, "{more:?}");
    assert!(matches!(
        more[0].kind,
        Request::BomDocument { bom_id: Some(id), .. } if id == bom_id(2)
    ));
    assert!(matches!(more[1].kind, Request::BomVersions { .. }));
    let mut doc2 = doc(2, true);
    doc2.version.status = BomStatus::Approved;
    h.reply(&mut s, &more[0], Ok(Reply::BomDocument(Box::new(doc2))));
    assert_eq!(
        s.document().map(|d| d.version.status),
        Some(BomStatus::Approved)
    );
    assert_eq!(selected_id(&s), before, "the tree's cursor stays");
    let (reqs, _) = h.send(&mut s, ScreenMsg::Live(LiveEvent::resync()));
    assert!(reqs.is_empty(), "a re-read is still on its way");
    let (reqs, effects) = h.reply(
        &mut s,
        &more[1],
        Ok(Reply::BomVersions(Box::new(versions()))),
    );
    assert!(
        toasts(&effects)
            .iter()
            .all(|t| t.contains("BOM version 2 is now DRAFT")),
        "{effects:?}"
    );
    assert!(
        reqs.iter()
            .any(|r| matches!(r.kind, Request::BomVersions { .. })),
        "the resync gathered meanwhile goes out"
    );
}
