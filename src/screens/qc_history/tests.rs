//! The QC history's live re-reads (docs/live.md §3.4).

use super::*;
use crate::domain::Role;
use crate::domain::live::Entity;
use crate::domain::qc::QcHeader;
use crate::screens::ScreenMsg;
use crate::screens::testkit::{Harness, live_change};

const BUILD: Uuid = Uuid::from_u128(0x0001_0014);

fn result(n: u128) -> QcResultSummary {
    QcResultSummary {
        id: Uuid::from_u128(n),
        qc_type: FormType::FinalQc,
        template_name: "Final QC".into(),
        template_version: 1,
        status: QcResultStatus::Fail,
        performed_by: "Quentin Okafor".into(),
        at: None,
        job_id: None,
        notes: None,
        signature: String::new(),
        verified: Some(true),
    }
}

fn detail(n: u128) -> Box<QcResultDetail> {
    Box::new(QcResultDetail {
        summary: result(n),
        header: QcHeader {
            order_id: BUILD,
            po_number: "4500031".into(),
            build_number: "24-0131".into(),
            customer_name: "Lakeview".into(),
            sink_model: "T2-B2".into(),
            number_of_basins: 1,
            qc_type: FormType::FinalQc,
            first_pass: None,
            template_id: Uuid::nil(),
            template_name: "Final QC".into(),
            template_version: 1,
        },
        items: Vec::new(),
        lines: Vec::new(),
        answers: Vec::new(),
    })
}

fn is_list(reqs: &[crate::msg::ServiceRequest]) -> bool {
    reqs.len() == 1
        && matches!(reqs[0].kind, Request::QcHistory { order_id, .. } if order_id == BUILD)
}

#[test]
fn a_qc_change_of_this_build_re_reads_the_list_and_the_result_open() {
    let mut h = Harness::new(Role::QcPerson);
    let (mut s, load) = h.open(|ctx| QcHistoryScreen::open(BUILD, ctx));
    h.reply(
        &mut s,
        &load[0],
        Ok(Reply::QcHistory(vec![result(1), result(2)])),
    );
    h.act(&mut s, Action::Down);
    let other_build = live_change(Entity::Qc, Uuid::from_u128(9), Some(Uuid::from_u128(5)));
    assert!(h.send(&mut s, ScreenMsg::Live(other_build)).0.is_empty());
    let task = live_change(Entity::Task, Uuid::from_u128(9), Some(BUILD));
    assert!(h.send(&mut s, ScreenMsg::Live(task)).0.is_empty());
    let new = live_change(Entity::Qc, Uuid::from_u128(3), Some(BUILD));
    let (reqs, _) = h.send(&mut s, ScreenMsg::Live(new));
    assert!(is_list(&reqs));
    let list = vec![result(3), result(1), result(2)];
    let (next, _) = h.reply(&mut s, &reqs[0], Ok(Reply::QcHistory(list.clone())));
    assert!(next.is_empty(), "the result open is not read: none is open");
    assert_eq!(s.selected, 2, "the selection stays on its result");
    // Open result 2; a change to it reads the list, then the result, keeping it open.
    let (reqs, _) = h.act(&mut s, Action::Open);
    h.reply(&mut s, &reqs[0], Ok(Reply::QcResult(detail(2))));
    let changed = live_change(Entity::Qc, Uuid::from_u128(2), Some(BUILD));
    let (reqs, _) = h.send(&mut s, ScreenMsg::Live(changed));
    assert!(is_list(&reqs));
    let (reqs, _) = h.reply(&mut s, &reqs[0], Ok(Reply::QcHistory(list)));
    assert_eq!(reqs.len(), 1);
    assert!(matches!(
        reqs[0].kind,
        Request::QcResult { result_id, .. } if result_id == Uuid::from_u128(2)
    ));
    let mut verified = detail(2);
    verified.summary.verified = Some(false);
    h.reply(&mut s, &reqs[0], Ok(Reply::QcResult(verified)));
    assert_eq!(s.detail().map(|d| d.summary.verified), Some(Some(false)));
    // A resync reads the list again.
    let (reqs, _) = h.send(&mut s, ScreenMsg::Live(LiveEvent::resync()));
    assert!(is_list(&reqs));
}
