use super::*;
use crate::domain::Role;
use crate::error::ServiceError;
use crate::screens::ScreenMsg;
use crate::screens::testkit::{Harness, assert_answers_only_its_help, live_change, toasts};

fn reason(n: u128, code: &str, active: bool) -> RejectionReason {
    RejectionReason {
        id: Uuid::from_u128(n),
        code: code.into(),
        text: format!("{code} found"),
        severity: Severity::Major,
        rework_required: true,
        is_active: active,
        sort_order: i32::try_from(n).unwrap_or(0) * 10,
    }
}

fn list() -> Vec<RejectionReason> {
    vec![
        reason(1, "WELD", true),
        reason(2, "LEAK", true),
        reason(3, "OLD", false),
    ]
}

/// The screen as ADMIN with the list loaded.
fn loaded(h: &mut Harness) -> RejectionReasonsScreen {
    let (mut s, reqs) = h.open(RejectionReasonsScreen::open);
    assert!(matches!(
        reqs[0].kind,
        Request::RejectionReasons {
            active_only: false,
            ..
        }
    ));
    h.reply(&mut s, &reqs[0], Ok(Reply::RejectionReasons(list())));
    s
}

#[test]
fn keys_wait_for_the_list_and_only_its_help_answers() {
    let mut h = Harness::new(Role::Admin);
    let (s, _) = h.open(RejectionReasonsScreen::open);
    assert!(!s.accepts_keys());
    assert_answers_only_its_help(Role::Admin, loaded);
}

#[test]
fn retiring_asks_first_and_sends_only_on_yes() {
    let mut h = Harness::new(Role::Admin);
    let mut s = loaded(&mut h);
    h.act(&mut s, Action::Down);
    let (reqs, _) = h.act(&mut s, Action::RetireReason);
    assert!(reqs.is_empty(), "a question first");
    assert_eq!(
        s.question().map(|l| l[0].clone()),
        Some("Retire LEAK (LEAK found)?".into())
    );
    let (reqs, _) = h.act(&mut s, Action::No);
    assert!(reqs.is_empty());
    h.act(&mut s, Action::RetireReason);
    let (reqs, _) = h.act(&mut s, Action::Yes);
    assert!(matches!(
        reqs[0].kind,
        Request::SetRejectionReasonActive { active: false, id, .. } if id == Uuid::from_u128(2)
    ));
    let mut now = list();
    now[1].is_active = false;
    let (_, effects) = h.reply(&mut s, &reqs[0], Ok(Reply::RejectionReasons(now)));
    assert_eq!(toasts(&effects), vec!["LEAK retired".to_string()]);
    assert_eq!(s.selected().map(|r| r.code.as_str()), Some("LEAK"));
    assert!(s.selected().is_some_and(|r| !r.is_active));
}

#[test]
fn a_new_reason_is_checked_asked_and_a_refusal_keeps_the_form() {
    let mut h = Harness::new(Role::Admin);
    let mut s = loaded(&mut h);
    h.act(&mut s, Action::NewReason);
    assert_eq!(s.title(), "Rejection reasons › New reason");
    // Enter moves through the fields; on the last one the rules are checked.
    for _ in 0..4 {
        h.act(&mut s, Action::Submit);
    }
    let (reqs, _) = h.act(&mut s, Action::Submit);
    assert!(reqs.is_empty());
    assert!(s.question().is_none(), "bad input asks nothing");
    let Mode::Edit { form, .. } = &mut s.mode else {
        unreachable!("the form");
    };
    assert_eq!(
        form.field(F_TEXT).and_then(|f| f.error()),
        Some("A text is required")
    );
    assert_eq!(
        form.field(F_CODE).and_then(|f| f.error()),
        Some("A code is required")
    );
    if let Some(f) = form.field_mut(F_TEXT) {
        f.set_value("Crack in the bowl");
    }
    if let Some(f) = form.field_mut(F_CODE) {
        f.set_value("WELD");
    }
    form.set_focus(F_CODE);
    h.act(&mut s, Action::Submit);
    assert_eq!(
        s.question().map(|l| l[0].clone()),
        Some("Add WELD (MAJOR, rework): Crack in the bowl?".into())
    );
    let (reqs, _) = h.act(&mut s, Action::Yes);
    let Request::SaveRejectionReason {
        id: None, input, ..
    } = &reqs[0].kind
    else {
        unreachable!("a save: {:?}", reqs[0].kind);
    };
    assert_eq!(input.code, "WELD");
    h.reply(
        &mut s,
        &reqs[0],
        Err(ServiceError::Invalid(
            "A rejection reason with code WELD already exists".into(),
        )),
    );
    let Mode::Edit { form, error, .. } = &s.mode else {
        unreachable!("the form stays");
    };
    assert_eq!(
        error.as_deref(),
        Some("A rejection reason with code WELD already exists")
    );
    assert_eq!(form.value(F_TEXT), "Crack in the bowl");
}

#[test]
fn another_stations_change_is_read_again() {
    let mut h = Harness::new(Role::Admin);
    let mut s = loaded(&mut h);
    let ev = live_change(Entity::RejectionReason, Uuid::from_u128(1), None);
    let (reqs, _) = h.send(&mut s, ScreenMsg::Live(ev.clone()));
    assert!(matches!(reqs[0].kind, Request::RejectionReasons { .. }));
    let other = live_change(Entity::Comment, Uuid::from_u128(1), None);
    let mut s2 = loaded(&mut h);
    let (reqs, _) = h.send(&mut s2, ScreenMsg::Live(other));
    assert!(reqs.is_empty());
}
