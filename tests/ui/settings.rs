//! The administrator's system settings on screen (docs/settings.md §4): the table with the selected
//! setting's meaning, a value typed in place, its refusal in place, and the question before it is saved.

use crate::harness::{Driver, at, init, snap_sizes, user_for};
use cleanstation::domain::Role;
use cleanstation::domain::settings::{AUDIT_RETENTION_DAYS, SETTINGS, SettingView};
use cleanstation::msg::{Reply, Request};
use cleanstation::screens::{ScreenId, home_entries};
use cleanstation::theme::Theme;
use crossterm::event::KeyCode;

/// The plant's settings: audit retention raised to 10 years by Ada Admin, the others at their
/// defaults as installed.
fn settings() -> Vec<SettingView> {
    SETTINGS
        .iter()
        .map(|def| {
            if def.key == AUDIT_RETENTION_DAYS {
                SettingView {
                    def,
                    stored: Some("3650".into()),
                    editable: true,
                    updated_by: Some("Ada Admin".into()),
                    updated_at: Some(at(14, 9, 12)),
                }
            } else {
                SettingView {
                    def,
                    stored: Some(def.default.to_string()),
                    editable: true,
                    updated_by: None,
                    updated_at: Some(at(1, 6, 0)),
                }
            }
        })
        .collect()
}

fn settings_screen() -> Driver {
    let mut d = Driver::new(init(Theme::ansi()));
    d.login(user_for(Role::Admin));
    d.open_home_entry("System settings");
    assert!(d.answer(
        |r| matches!(r, Request::Settings { .. }),
        Ok(Reply::Settings(settings())),
    ));
    d
}

#[test]
fn only_administrators_have_the_settings_on_their_home_menu() {
    for role in Role::ALL {
        let has = home_entries(role)
            .iter()
            .any(|e| e.target == ScreenId::Settings);
        assert_eq!(has, role == Role::Admin, "{role}");
    }
}

#[test]
fn the_table_and_the_selected_settings_meaning() {
    let mut d = settings_screen();
    snap_sizes!(
        d,
        "settings",
        "list",
        "System settings: audit retention (10 years, changed by Ada Admin) selected, its meaning, range \
         and last change below the table"
    );
    d.key(KeyCode::Down);
    d.key(KeyCode::Down);
    snap_sizes!(
        d,
        "settings",
        "due_soon",
        "The due-soon window selected: 0 means on the day only"
    );
    d.draw_every_size();
}

#[test]
fn a_value_is_typed_in_place_refused_in_place_then_asked() {
    let mut d = settings_screen();
    d.key(KeyCode::Enter);
    d.ctrl('u');
    d.type_str("2555");
    snap_sizes!(
        d,
        "settings",
        "editing",
        "Enter on audit retention: the value is typed in place under the meaning"
    );

    d.ctrl('u');
    d.type_str("100");
    d.key(KeyCode::Enter);
    assert!(
        d.take(|r| matches!(r, Request::SetSetting { .. }))
            .is_none()
    );
    snap_sizes!(
        d,
        "settings",
        "error",
        "A value below the minimum: the refusal under the field, the typed text kept"
    );

    d.ctrl('u');
    d.type_str("2555");
    d.key(KeyCode::Enter);
    snap_sizes!(
        d,
        "settings",
        "confirm",
        "Enter again asks before saving: Set audit retention to 2,555 days?"
    );
    d.draw_every_size();
    d.key(KeyCode::Char('y'));
    snap_sizes!(
        d,
        "settings",
        "saving",
        "y sent the change: the field stays, with the change on its way under it"
    );
    let req = d
        .take(|r| matches!(r, Request::SetSetting { .. }))
        .expect("y saves");
    assert!(matches!(
        &req.kind,
        Request::SetSetting { value, expected, .. }
            if value == "2555" && expected.as_deref() == Some("3650")
    ));
}
