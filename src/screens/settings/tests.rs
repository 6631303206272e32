use super::*;
use crate::domain::Role;
use crate::domain::settings::{AUDIT_RETENTION_DAYS, SETTINGS};
use crate::error::ServiceError;
use crate::msg::ServiceRequest;
use crate::screens::ScreenMsg;
use crate::screens::testkit::{Harness, assert_answers_only_its_help, live_change, toasts};
use uuid::Uuid;

/// The three settings, audit retention stored as `audit`, the others at their defaults.
fn list(audit: &str) -> Vec<SettingView> {
    SETTINGS
        .iter()
        .map(|def| SettingView {
            def,
            stored: Some(if def.key == AUDIT_RETENTION_DAYS {
                audit.to_string()
            } else {
                def.default.to_string()
            }),
            editable: true,
            updated_by: None,
            updated_at: None,
        })
        .collect()
}

fn loaded(h: &mut Harness) -> SettingsScreen {
    let (mut s, reqs) = h.open(SettingsScreen::open);
    assert!(matches!(
        reqs.as_slice(),
        [ServiceRequest {
            kind: Request::Settings { .. },
            ..
        }]
    ));
    assert!(!s.accepts_keys());
    h.reply(&mut s, &reqs[0], Ok(Reply::Settings(list("2555"))));
    assert!(s.accepts_keys());
    s
}

fn typed(s: &SettingsScreen) -> Option<(String, Option<String>)> {
    s.editing.as_ref().map(|e| {
        (
            e.form.value(0),
            e.form.field(0).and_then(|f| f.error().map(str::to_string)),
        )
    })
}

fn type_text(h: &mut Harness, s: &mut SettingsScreen, text: &str) {
    h.act(s, Action::ClearField);
    for c in text.chars() {
        h.send(s, ScreenMsg::Char(c));
    }
}

#[test]
fn a_value_is_checked_in_place_then_asked_then_saved() {
    let mut h = Harness::new(Role::Admin);
    let mut s = loaded(&mut h);
    h.act(&mut s, Action::EditSetting);
    assert_eq!(typed(&s), Some(("2555".into(), None)));
    assert_eq!(
        s.key_contexts(),
        vec![KeyContext::TextInput, KeyContext::Dialog]
    );

    type_text(&mut h, &mut s, "100");
    let (reqs, _) = h.act(&mut s, Action::Submit);
    assert!(reqs.is_empty());
    assert_eq!(
        typed(&s),
        Some((
            "100".into(),
            Some("Audit retention must be at least 365 days (7 years is 2,555)".into())
        ))
    );

    type_text(&mut h, &mut s, "3650");
    let (reqs, _) = h.act(&mut s, Action::Submit);
    assert!(reqs.is_empty(), "Enter only asks");
    assert_eq!(
        s.question().and_then(|l| l.first().cloned()),
        Some("Set audit retention to 3,650 days?".to_string())
    );
    let (reqs, _) = h.act(&mut s, Action::Yes);
    // The stored text the admin saw goes with the change.
    assert!(
        matches!(
            reqs.as_slice(),
            [ServiceRequest { kind: Request::SetSetting { key, value, expected, .. }, .. }]
                if key == AUDIT_RETENTION_DAYS && value == "3650"
                    && expected.as_deref() == Some("2555")
        ),
        "{reqs:?}"
    );
    let (_, effects) = h.reply(&mut s, &reqs[0], Ok(Reply::Settings(list("3650"))));
    assert_eq!(typed(&s), None);
    assert_eq!(toasts(&effects), ["The audit retention is now 3,650 days"]);
    assert_eq!(s.selected().map(SettingView::value), Some(3650));
}

#[test]
fn a_refusal_keeps_the_typed_text_and_reads_the_table_again() {
    let mut h = Harness::new(Role::Admin);
    let mut s = loaded(&mut h);
    h.act(&mut s, Action::EditSetting);
    type_text(&mut h, &mut s, "4000");
    h.act(&mut s, Action::Submit);
    let (reqs, _) = h.act(&mut s, Action::Yes);
    let msg = "The audit retention was changed to 3,650 days by Ada Admin while you were editing; \
               your change was not saved";
    let (again, _) = h.reply(&mut s, &reqs[0], Err(ServiceError::Conflict(msg.into())));
    assert_eq!(typed(&s), Some(("4000".into(), Some(msg.into()))));
    assert!(matches!(
        again.as_slice(),
        [ServiceRequest {
            kind: Request::Settings { .. },
            ..
        }]
    ));
}

#[test]
fn declining_the_question_goes_back_to_the_field() {
    let mut h = Harness::new(Role::Admin);
    let mut s = loaded(&mut h);
    h.act(&mut s, Action::EditSetting);
    type_text(&mut h, &mut s, "3650");
    h.act(&mut s, Action::Submit);
    let (reqs, _) = h.act(&mut s, Action::No);
    assert!(reqs.is_empty());
    assert!(s.question().is_none());
    assert_eq!(typed(&s), Some(("3650".into(), None)));
    h.act(&mut s, Action::Cancel);
    assert_eq!(typed(&s), None);
}

#[test]
fn reset_asks_for_the_default() {
    let mut h = Harness::new(Role::Admin);
    let (mut s, reqs) = h.open(SettingsScreen::open);
    h.reply(&mut s, &reqs[0], Ok(Reply::Settings(list("3650"))));
    h.act(&mut s, Action::ResetSetting);
    assert_eq!(
        s.question().and_then(|l| l.first().cloned()),
        Some("Set audit retention to its default, 2,555 days?".to_string())
    );
    let (reqs, _) = h.act(&mut s, Action::Yes);
    assert!(matches!(
        reqs.as_slice(),
        [ServiceRequest { kind: Request::SetSetting { value, expected, .. }, .. }]
            if value == "2555" && expected.as_deref() == Some("3650")
    ));

    // Already the default: nothing to ask.
    let mut s = loaded(&mut h);
    let (reqs, effects) = h.act(&mut s, Action::ResetSetting);
    assert!(reqs.is_empty() && s.question().is_none());
    assert_eq!(
        toasts(&effects),
        ["The audit retention is already the default, 2,555 days"]
    );
}

#[test]
fn another_stations_change_is_read_again_and_named_keeping_the_typed_text() {
    let mut h = Harness::new(Role::Admin);
    let mut s = loaded(&mut h);
    h.act(&mut s, Action::EditSetting);
    type_text(&mut h, &mut s, "4000");
    let (reqs, _) = h.send(
        &mut s,
        ScreenMsg::Live(live_change(Entity::Setting, Uuid::from_u128(1), None)),
    );
    assert!(matches!(
        reqs.as_slice(),
        [ServiceRequest {
            kind: Request::Settings { .. },
            ..
        }]
    ));
    let (_, effects) = h.reply(&mut s, &reqs[0], Ok(Reply::Settings(list("3650"))));
    assert_eq!(
        toasts(&effects),
        ["The audit retention is now 3,650 days by Luis Ortega at station ASM-2"]
    );
    assert_eq!(typed(&s), Some(("4000".into(), None)));
    assert_eq!(s.selected().map(SettingView::value), Some(3650));

    // Another entity's event reads nothing.
    let (reqs, _) = h.send(
        &mut s,
        ScreenMsg::Live(live_change(Entity::Comment, Uuid::from_u128(1), None)),
    );
    assert!(reqs.is_empty());
}

#[test]
fn answers_only_the_keys_of_its_help() {
    assert_answers_only_its_help(Role::Admin, loaded);
    assert_answers_only_its_help(Role::Admin, |h| {
        let mut s = loaded(h);
        h.act(&mut s, Action::EditSetting);
        s
    });
}
