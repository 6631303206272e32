//! Every screen whole at the two standard terminals: each screen (and the shell's overlays and the
//! dialogs that matter) in a representative loaded state, snapped at 80x24 and at 120x40 into
//! `screens/<screen>/<state>_80x24.snap` and `<state>_120x40.snap`. `snap_sizes!` also checks the
//! 80x24 key bar: the primary action, the way back and the help are shown, and no item is cut.
//!
//! The states are reached with the screens' own drivers and fixtures (their modules); one line per
//! state.

use crate::harness::{Driver, init, notifications, snap_sizes, user_for, users};
use cleanstation::domain::Role;
use cleanstation::msg::{Reply, Request};
use cleanstation::theme::Theme;
use crossterm::event::KeyCode;

fn logged_in(role: Role) -> Driver {
    let mut d = Driver::new(init(Theme::ansi()));
    d.login(user_for(role));
    d
}

fn users_list() -> Driver {
    let mut d = logged_in(Role::Admin);
    d.open_home_entry("Users");
    assert!(d.answer(
        |r| matches!(r, Request::ListUsers { .. }),
        Ok(Reply::Users(users())),
    ));
    d
}

#[test]
fn shell() {
    let mut d = Driver::new(init(Theme::ansi()));
    d.type_str("qc.inspector");
    snap_sizes!(d, "login", "typed", "Login: username typed, focus on it");

    let mut d = logged_in(Role::QcPerson);
    snap_sizes!(d, "home", "qc_person", "Home of the QC inspector");
    d.key(KeyCode::Char('?'));
    snap_sizes!(d, "help", "home", "Help over the home menu");

    let mut d = logged_in(Role::Assembler);
    d.ctrl('l');
    snap_sizes!(d, "lock", "locked", "Station locked");

    let mut d = users_list();
    snap_sizes!(d, "users", "list", "The administrator's user list");
    d.key(KeyCode::Char('n'));
    d.type_str("jsmith");
    snap_sizes!(d, "users", "new_user", "New user form, a username typed");
    d.ctrl('c');
    snap_sizes!(d, "quit", "confirm", "Quit with unsaved input asks first");

    let mut d = logged_in(Role::Assembler);
    d.open_home_entry("Change password");
    snap_sizes!(
        d,
        "change_password",
        "voluntary",
        "Changing one's own password"
    );

    let mut d = logged_in(Role::Assembler);
    d.open_home_entry("Notifications");
    assert!(d.answer(
        |r| matches!(r, Request::Notifications { .. }),
        Ok(Reply::Notifications(notifications())),
    ));
    snap_sizes!(d, "notifications", "list", "Notifications, unread first");
}
