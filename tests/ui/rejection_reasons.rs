//! The rejection reason list (ADMIN, docs/rejection-reasons.md §1.3): the table, the add form and the
//! retire question, at the standard sizes.

use crate::harness::{Driver, init, snap_sizes, user_for};
use crate::qc_checklist::rejection_reasons;
use cleanstation::domain::Role;
use cleanstation::domain::rejection_reason::RejectionReason;
use cleanstation::msg::{Reply, Request};
use cleanstation::theme::Theme;
use crossterm::event::KeyCode;

/// The seeded list with OTHER retired.
fn list() -> Vec<RejectionReason> {
    let mut list = rejection_reasons();
    if let Some(other) = list.iter_mut().find(|r| r.code == "OTHER") {
        other.is_active = false;
    }
    list
}

fn reasons_screen() -> Driver {
    let mut d = Driver::new(init(Theme::ansi()));
    d.login(user_for(Role::Admin));
    d.open_home_entry("Rejection reasons");
    assert!(d.answer(
        |r| matches!(
            r,
            Request::RejectionReasons {
                active_only: false,
                ..
            }
        ),
        Ok(Reply::RejectionReasons(list())),
    ));
    d
}

#[test]
fn the_list_the_form_and_the_retire_question() {
    let mut d = reasons_screen();
    assert_eq!(d.app.title(), "Rejection reasons");
    snap_sizes!(
        d,
        "rejection_reasons",
        "list",
        "The administrator's rejection reasons: code, severity, rework, active, text; OTHER retired"
    );

    d.key(KeyCode::Char('n'));
    assert_eq!(d.app.title(), "Rejection reasons › New reason");
    d.type_str("Crack in the bowl");
    snap_sizes!(
        d,
        "rejection_reasons",
        "new_reason",
        "New reason form: text typed; severity, rework, sort order and the code follow"
    );
    d.key(KeyCode::Esc);

    d.key(KeyCode::Down);
    d.key(KeyCode::Char('r'));
    let text = d.render(80, 24);
    assert!(
        text.contains("Retire FINISH (Surface finish: scratch, dent or residue)?"),
        "{text}"
    );
    assert!(
        d.take(|r| matches!(r, Request::SetRejectionReasonActive { .. }))
            .is_none(),
        "nothing is sent before y"
    );
    snap_sizes!(
        d,
        "rejection_reasons",
        "retire_question",
        "r on FINISH: the yes/no question naming the reason and the effect"
    );
    d.key(KeyCode::Char('y'));
    assert!(
        d.take(|r| matches!(r, Request::SetRejectionReasonActive { active: false, .. }))
            .is_some(),
        "y retires it"
    );
}
