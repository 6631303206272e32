//! Live re-reads of the NC list and of one NC (docs/live.md §3.4).

use super::{NcDetailScreen, NcListScreen};
use crate::domain::Role;
use crate::domain::live::{Entity, LiveEvent};
use crate::domain::nonconformance::{
    Disposition, NcDetail, NcPage, NcSource, NcStatus, NcSummary, ReworkTask,
};
use crate::keymap::Action;
use crate::msg::{Reply, Request, ServiceRequest};
use crate::screens::testkit::{Harness, live_change, toasts};
use crate::screens::{Screen, ScreenMsg};
use uuid::Uuid;

const BUILD: Uuid = Uuid::from_u128(0x0001_0014);

fn nc(n: u128, status: NcStatus, disposition: Option<Disposition>) -> NcSummary {
    NcSummary {
        id: Uuid::from_u128(n),
        number: format!("NC-2026-{n:04}"),
        order_id: BUILD,
        po_number: "4500031".into(),
        build_number: "24-0131".into(),
        source: NcSource::Manual,
        status,
        disposition,
        awaiting_second: false,
        description: "Dent in the left side panel".into(),
        raised_by: "Quentin Okafor".into(),
        raised_at: chrono::NaiveDateTime::default(),
    }
}

fn page(ids: &[u128]) -> Reply {
    Reply::Nonconformances(NcPage {
        rows: ids.iter().map(|n| nc(*n, NcStatus::Open, None)).collect(),
        total: i64::try_from(ids.len()).unwrap_or(0),
        page: 0,
        now: chrono::NaiveDateTime::default(),
    })
}

fn detail(summary: NcSummary, task_done: bool) -> Box<NcDetail> {
    Box::new(NcDetail {
        may_disposition: summary.status == NcStatus::Open,
        may_close: summary.status == NcStatus::Dispositioned,
        summary,
        source_id: None,
        items: Vec::new(),
        disposition_note: None,
        dispositioned: None,
        rework_task: Some(ReworkTask {
            id: Uuid::from_u128(0x7A5C),
            sequence: 9,
            description: "Replace the panel".into(),
            completed: task_done,
        }),
        closed: None,
        signatures: Vec::new(),
        notice: None,
    })
}

fn one(reqs: &[ServiceRequest], f: impl Fn(&Request) -> bool) -> bool {
    reqs.len() == 1 && f(&reqs[0].kind)
}

#[test]
fn an_nc_event_reloads_the_list_keeping_the_selected_nc() {
    let mut h = Harness::new(Role::QcPerson);
    let (mut s, load) = h.open(NcListScreen::open);
    h.reply(&mut s, &load[0], Ok(page(&[1, 2, 3])));
    h.act(&mut s, Action::Down);
    let task = live_change(Entity::Task, Uuid::from_u128(9), Some(BUILD));
    assert!(h.send(&mut s, ScreenMsg::Live(task)).0.is_empty());
    let ev = live_change(Entity::Nonconformance, Uuid::from_u128(1), Some(BUILD));
    let (reqs, _) = h.send(&mut s, ScreenMsg::Live(ev.clone()));
    let open_page = |r: &Request| matches!(r, Request::OpenNonconformances { page: 0, .. });
    assert!(one(&reqs, open_page), "{reqs:?}");
    assert!(
        h.send(&mut s, ScreenMsg::Live(ev)).0.is_empty(),
        "one on its way"
    );
    // NC 1 was closed elsewhere: NC 2 stays selected, now first.
    let (next, effects) = h.reply(&mut s, &reqs[0], Ok(page(&[2, 3])));
    assert!(toasts(&effects).is_empty(), "a list does not toast");
    assert_eq!(s.selected().map(|r| r.id), Some(Uuid::from_u128(2)));
    assert!(one(&next, open_page), "the gathered event goes out");
    let (reqs, _) = h.send(&mut s, ScreenMsg::Live(LiveEvent::resync()));
    assert!(reqs.is_empty(), "a re-read is still on its way");
    h.reply(&mut s, &next[0], Ok(page(&[2, 3])));
}

#[test]
fn a_resync_reloads_the_list() {
    let mut h = Harness::new(Role::QcPerson);
    let (mut s, load) = h.open(NcListScreen::open);
    h.reply(&mut s, &load[0], Ok(page(&[])));
    let (reqs, _) = h.send(&mut s, ScreenMsg::Live(LiveEvent::resync()));
    assert!(one(&reqs, |r| matches!(
        r,
        Request::OpenNonconformances { .. }
    )));
}

#[test]
fn a_change_to_this_nc_or_its_rework_task_re_reads_it_keeps_the_dialog_and_says_who() {
    let id = Uuid::from_u128(1);
    let mut h = Harness::new(Role::QcPerson);
    let (mut s, load) = h.open(|ctx| NcDetailScreen::open(id, ctx));
    let open = nc(1, NcStatus::Open, None);
    h.reply(
        &mut s,
        &load[0],
        Ok(Reply::Nonconformance(detail(open, false))),
    );
    h.act(&mut s, Action::DispositionNc);
    h.act(&mut s, Action::NextField);
    for c in "cosmetic".chars() {
        h.send(&mut s, ScreenMsg::Char(c));
    }
    let this = |r: &Request| matches!(r, Request::Nonconformance { id: x, .. } if *x == id);
    let other = live_change(Entity::Nonconformance, Uuid::from_u128(2), Some(BUILD));
    assert!(
        h.send(&mut s, ScreenMsg::Live(other)).0.is_empty(),
        "another NC"
    );
    let other_task = live_change(Entity::Task, Uuid::from_u128(5), Some(BUILD));
    assert!(
        h.send(&mut s, ScreenMsg::Live(other_task)).0.is_empty(),
        "another task"
    );
    let ev = live_change(Entity::Nonconformance, id, Some(BUILD));
    let (reqs, _) = h.send(&mut s, ScreenMsg::Live(ev));
    assert!(one(&reqs, this));
    let dispositioned = nc(1, NcStatus::Dispositioned, Some(Disposition::Rework));
    let (_, effects) = h.reply(
        &mut s,
        &reqs[0],
        Ok(Reply::Nonconformance(detail(dispositioned.clone(), false))),
    );
    assert_eq!(
        toasts(&effects),
        vec![
            "NC-2026-0001 is now DISPOSITIONED REWORK by Luis Ortega at station ASM-2".to_string()
        ]
    );
    assert_eq!(
        s.text_form().map(|f| f.value(1)),
        Some("cosmetic".to_string()),
        "the dialog and its typed note stay"
    );
    // The rework task it shows was completed.
    let task = live_change(Entity::Task, Uuid::from_u128(0x7A5C), Some(BUILD));
    let (reqs, _) = h.send(&mut s, ScreenMsg::Live(task));
    assert!(one(&reqs, this));
    let (_, effects) = h.reply(
        &mut s,
        &reqs[0],
        Ok(Reply::Nonconformance(detail(dispositioned, true))),
    );
    assert_eq!(
        toasts(&effects),
        vec!["NC-2026-0001 changed by Luis Ortega at station ASM-2".to_string()]
    );
    let (reqs, _) = h.send(&mut s, ScreenMsg::Live(LiveEvent::resync()));
    assert!(one(&reqs, this), "a resync re-reads it");
}
