//! Golden renders of the shell's own screens (login, home, help, lock, password change, users,
//! notifications, quit, too small) in every state that matters, at 80x24, into `screens/<screen>/`.
//!
//! The App is driven only through `update` with scripted keys and fake replies; no database.
//! Each snapshot holds the text and, below it, the styled runs (TestBackend snapshots drop colour).

use crate::harness::{
    Driver, at, floor_order_detail, init, notification_about_build, notifications,
    open_build_via_notification, t2_b2_build, user_for, users,
};
use cleanstation::domain::Role;
use cleanstation::error::ServiceError;
use cleanstation::msg::{Reply, Request};
use cleanstation::theme::Theme;
use crossterm::event::KeyCode;

fn snap(screen: &str, state: &str, description: &str, text: &str) {
    crate::harness::snap_in!(screen, state, description, text);
}

fn themes() -> [(Theme, &'static str, &'static str); 2] {
    [
        (Theme::ansi(), "", "ANSI theme"),
        (Theme::mono(), "_mono", "monochrome theme"),
    ]
}

fn driver(theme: Theme) -> Driver {
    Driver::new(init(theme))
}

fn logged_in(role: Role, theme: Theme) -> Driver {
    let mut d = driver(theme);
    d.login(user_for(role));
    d
}

#[test]
fn login() {
    for (theme, suffix, tname) in themes() {
        let mut d = driver(theme);
        snap(
            "login",
            &format!("empty{suffix}"),
            &format!("Login screen on start, nothing typed ({tname})"),
            &d.render(80, 24),
        );

        d.type_str("qc.inspector");
        d.key(KeyCode::Tab);
        d.type_str("hunter2-hunter");
        snap(
            "login",
            &format!("typed{suffix}"),
            &format!("Username typed, password masked, focus on the password ({tname})"),
            &d.render(80, 24),
        );

        d.key(KeyCode::Enter);
        snap(
            "login",
            &format!("busy{suffix}"),
            &format!("Waiting for the login reply ({tname})"),
            &d.render(80, 24),
        );

        d.answer(
            |r| matches!(r, Request::Login { .. }),
            Err(ServiceError::Invalid("Wrong username or password".into())),
        );
        snap(
            "login",
            &format!("error{suffix}"),
            &format!(
                "Wrong password: the error line shows the server's message, the password is cleared ({tname})"
            ),
            &d.render(80, 24),
        );

        let mut d = driver(theme);
        d.key(KeyCode::Tab);
        d.key(KeyCode::Enter);
        snap(
            "login",
            &format!("empty_fields{suffix}"),
            &format!("Enter with empty fields: inline messages, no request ({tname})"),
            &d.render(80, 24),
        );

        let mut d = driver(theme);
        let req = d.submit_login("assembler1", "not-my-password");
        d.reply(
            &req,
            Err(ServiceError::Forbidden(
                "Account locked after 5 failed logins. Try again in 15 minutes.".into(),
            )),
        );
        snap(
            "login",
            &format!("locked_out{suffix}"),
            &format!("The account is locked after too many failed logins ({tname})"),
            &d.render(80, 24),
        );

        let mut i = init(theme);
        i.banner = Some(cleanstation::commands::FIRST_START_BANNER.into());
        let mut d = Driver::new(i);
        snap(
            "login",
            &format!("first_start_banner{suffix}"),
            &format!("First start: the banner tells where the demo accounts are ({tname})"),
            &d.render(80, 24),
        );

        let mut d = logged_in(Role::Assembler, theme);
        d.tick(std::time::Duration::from_millis(250));
        d.tick(crate::harness::HEARTBEAT);
        d.answer(
            |r| matches!(r, Request::Heartbeat { .. }),
            Err(ServiceError::SessionEnded(
                "Your session has expired after 8 hours. Please log in again.".into(),
            )),
        );
        snap(
            "login",
            &format!("session_ended{suffix}"),
            &format!("Back at login because the session ended; the reason is shown ({tname})"),
            &d.render(80, 24),
        );
    }
}

#[test]
fn home() {
    let roles = [
        (Role::ProductionCoordinator, "production_coordinator"),
        (Role::Admin, "admin"),
        (Role::ProcurementSpecialist, "procurement_specialist"),
        (Role::QcPerson, "qc_person"),
        (Role::Assembler, "assembler"),
        (Role::ServiceDepartment, "service_department"),
    ];
    for (role, name) in roles {
        let mut d = logged_in(role, Theme::ansi());
        snap(
            "home",
            name,
            &format!("Home of a {} ({}) after login", role.title(), role.code()),
            &d.render(80, 24),
        );
    }
    for (role, name) in [
        (Role::Admin, "admin_mono"),
        (Role::Assembler, "assembler_mono"),
    ] {
        let mut d = logged_in(role, Theme::mono());
        d.key(KeyCode::Down);
        snap(
            "home",
            name,
            &format!(
                "Home of a {} in the monochrome theme, second entry selected",
                role.title()
            ),
            &d.render(80, 24),
        );
    }
}

#[test]
fn help() {
    let mut d = logged_in(Role::Admin, Theme::ansi());
    d.key(KeyCode::Char('?'));
    snap(
        "help",
        "home",
        "Help overlay over the administrator's home: every key of the current stack, by context",
        &d.render(80, 24),
    );

    let mut d = logged_in(Role::Admin, Theme::ansi());
    d.open_home_entry("Users");
    d.answer(
        |r| matches!(r, Request::ListUsers { .. }),
        Ok(Reply::Users(users())),
    );
    d.key(KeyCode::F(1));
    snap(
        "help",
        "users",
        "Help overlay over the user list",
        &d.render(80, 24),
    );

    let mut d = driver(Theme::ansi());
    d.type_str("ad?");
    d.key(KeyCode::F(1));
    snap(
        "help",
        "typing",
        "Help while typing in a login field: '?' and 'q' type, so F1 opens the help and they are not listed",
        &d.render(80, 24),
    );
}

#[test]
fn lock() {
    let mut d = logged_in(Role::QcPerson, Theme::ansi());
    d.ctrl('l');
    snap(
        "lock",
        "locked",
        "Station locked with Ctrl-L: the work underneath is hidden, the password is asked",
        &d.render(80, 24),
    );
    d.type_str("wrong-password");
    d.key(KeyCode::Enter);
    d.answer(
        |r| matches!(r, Request::Unlock { .. }),
        Err(ServiceError::Invalid(
            "Wrong password (attempt 1 of 5)".into(),
        )),
    );
    snap(
        "lock",
        "wrong_password",
        "Unlock refused: the message is shown, the station stays locked",
        &d.render(80, 24),
    );

    let mut d = logged_in(Role::QcPerson, Theme::mono());
    d.ctrl('l');
    d.type_str("secret");
    snap(
        "lock",
        "typed_mono",
        "Station locked, password being typed (monochrome theme)",
        &d.render(80, 24),
    );
}

#[test]
fn change_password() {
    let mut forced_user = user_for(Role::Assembler);
    forced_user.must_change_password = true;

    let mut d = driver(Theme::ansi());
    d.login(forced_user.clone());
    snap(
        "change_password",
        "forced",
        "First login with a temporary password: the change is required before anything else",
        &d.render(80, 24),
    );

    d.type_str("temporary-1");
    d.key(KeyCode::Tab);
    d.type_str("short");
    d.key(KeyCode::Tab);
    d.type_str("shorter");
    d.key(KeyCode::Enter);
    snap(
        "change_password",
        "forced_validation_error",
        "Local checks: the new password is too short and the repeat does not match",
        &d.render(80, 24),
    );

    let mut d = logged_in(Role::QcPerson, Theme::ansi());
    d.open_home_entry("Change password");
    snap(
        "change_password",
        "voluntary",
        "Change password opened from the home menu",
        &d.render(80, 24),
    );
    d.type_str("old-password-1");
    d.key(KeyCode::Tab);
    d.type_str("new-password-22");
    d.key(KeyCode::Tab);
    d.type_str("new-password-22");
    d.key(KeyCode::Enter);
    d.answer(
        |r| matches!(r, Request::ChangePassword { .. }),
        Err(ServiceError::Invalid(
            "The current password is not correct".into(),
        )),
    );
    snap(
        "change_password",
        "server_error",
        "The server refused the change: its message is shown and the input is kept",
        &d.render(80, 24),
    );
    d.key(KeyCode::Enter);
    d.answer(
        |r| matches!(r, Request::ChangePassword { .. }),
        Ok(Reply::PasswordChanged),
    );
    snap(
        "change_password",
        "success",
        "After a successful change: back on Home with the confirmation on the message line",
        &d.render(80, 24),
    );
}

fn users_screen(theme: Theme) -> Driver {
    let mut d = logged_in(Role::Admin, theme);
    d.open_home_entry("Users");
    d.answer(
        |r| matches!(r, Request::ListUsers { .. }),
        Ok(Reply::Users(users())),
    );
    d
}

#[test]
fn users_admin() {
    let mut d = logged_in(Role::Admin, Theme::ansi());
    d.open_home_entry("Users");
    snap(
        "users",
        "loading",
        "User list requested, reply not yet in",
        &d.render(80, 24),
    );

    let mut d = users_screen(Theme::ansi());
    for _ in 0..6 {
        d.key(KeyCode::Down);
    }
    snap(
        "users",
        "list",
        "User list with an inactive user selected",
        &d.render(80, 24),
    );

    let mut d = users_screen(Theme::mono());
    d.key(KeyCode::End);
    snap(
        "users",
        "list_mono",
        "User list in the monochrome theme, a user who must change the password selected",
        &d.render(80, 24),
    );

    let mut d = users_screen(Theme::ansi());
    d.key(KeyCode::Char('n'));
    snap(
        "users",
        "new_user_empty",
        "New-user form as it opens",
        &d.render(80, 24),
    );
    d.type_str("J Smith");
    d.key(KeyCode::Tab);
    d.type_str("Jane Smith");
    d.key(KeyCode::Tab);
    d.type_str("J5");
    d.key(KeyCode::Tab);
    d.key(KeyCode::Left);
    d.key(KeyCode::Tab);
    d.type_str("short");
    d.key(KeyCode::Enter);
    snap(
        "users",
        "new_user_invalid",
        "New-user form after Enter: each invalid field shows its error, focus on the first",
        &d.render(80, 24),
    );

    let mut d = users_screen(Theme::ansi());
    d.key(KeyCode::Char('n'));
    d.type_str("jsmith");
    d.key(KeyCode::Tab);
    d.type_str("Jane Smith");
    d.key(KeyCode::Tab);
    d.type_str("js");
    d.key(KeyCode::Tab);
    d.key(KeyCode::Right);
    d.key(KeyCode::Tab);
    d.type_str("Welcome-2025");
    d.key(KeyCode::Enter);
    assert!(
        d.take(|r| matches!(r, Request::CreateUser { .. }))
            .is_none()
    );
    for (w, h) in [(80, 24), (120, 40)] {
        snap(
            "users",
            &format!("new_user_question_{w}x{h}"),
            "Enter on the new-user form asks: the user, the role; only y creates it",
            &d.render(w, h),
        );
    }
    d.key(KeyCode::Char('y'));
    d.answer(
        |r| matches!(r, Request::CreateUser { .. }),
        Err(ServiceError::Conflict(
            "The username jsmith is already taken".into(),
        )),
    );
    snap(
        "users",
        "new_user_server_error",
        "New-user form after the server refused: the message is shown, the input kept",
        &d.render(80, 24),
    );

    let mut d = users_screen(Theme::ansi());
    d.key(KeyCode::Down);
    d.key(KeyCode::Char('r'));
    d.key(KeyCode::Right);
    snap(
        "users",
        "change_role",
        "Change-role dialog: the new role is picked with Left/Right",
        &d.render(80, 24),
    );
    d.key(KeyCode::Enter);
    assert!(d.take(|r| matches!(r, Request::SetRole { .. })).is_none());
    for (w, h) in [(80, 24), (120, 40)] {
        snap(
            "users",
            &format!("change_role_question_{w}x{h}"),
            "Enter on the role picker asks, naming the user and both roles; only y changes it",
            &d.render(w, h),
        );
    }
    d.key(KeyCode::Char('y'));
    assert!(d.take(|r| matches!(r, Request::SetRole { .. })).is_some());

    let mut d = users_screen(Theme::ansi());
    d.key(KeyCode::Down);
    d.key(KeyCode::Down);
    d.key(KeyCode::Down);
    d.key(KeyCode::Char('p'));
    d.type_str("Temp-pass-2025");
    snap(
        "users",
        "reset_password",
        "Reset-password dialog with a temporary password typed",
        &d.render(80, 24),
    );
    d.key(KeyCode::Enter);
    assert!(
        d.take(|r| matches!(r, Request::ResetPassword { .. }))
            .is_none()
    );
    for (w, h) in [(80, 24), (120, 40)] {
        snap(
            "users",
            &format!("reset_password_question_{w}x{h}"),
            "Enter on the reset dialog asks, naming the user and what the reset does",
            &d.render(w, h),
        );
    }
    // n goes back to the dialog with the password kept.
    d.key(KeyCode::Char('n'));
    assert!(d.render(80, 24).contains("Temp-pass-2025"));
    assert!(d.sent.is_empty(), "{:?}", d.sent);

    let mut d = users_screen(Theme::ansi());
    d.key(KeyCode::Down);
    d.key(KeyCode::Down);
    d.key(KeyCode::Down);
    d.key(KeyCode::Down);
    d.key(KeyCode::Char('d'));
    snap(
        "users",
        "deactivate_confirm",
        "Deactivate asks first",
        &d.render(80, 24),
    );
    d.key(KeyCode::Char('y'));
    d.answer(|r| matches!(r, Request::SetActive { .. }), Ok(Reply::Done));
    let mut list = users();
    list[4].is_active = false;
    d.answer(
        |r| matches!(r, Request::ListUsers { .. }),
        Ok(Reply::Users(list)),
    );
    snap(
        "users",
        "deactivated",
        "After deactivating: the list is refreshed and the change confirmed",
        &d.render(80, 24),
    );

    let mut d = logged_in(Role::Admin, Theme::ansi());
    d.open_home_entry("Users");
    d.answer(
        |r| matches!(r, Request::ListUsers { .. }),
        Err(ServiceError::Unavailable("connection refused".into())),
    );
    snap(
        "users",
        "offline",
        "The database is unreachable: the error is shown and the status bar says DB offline",
        &d.render(80, 24),
    );

    let mut d = logged_in(Role::Admin, Theme::ansi());
    d.open_home_entry("Users");
    d.answer(
        |r| matches!(r, Request::ListUsers { .. }),
        Err(ServiceError::NotAnswering),
    );
    for (w, h) in [(80, 24), (120, 40)] {
        snap(
            "users",
            &format!("not_answering_{w}x{h}"),
            "The database is up but frozen: the request timed out and the status bar says DB not answering",
            &d.render(w, h),
        );
    }
}

#[test]
fn notifications_list() {
    let mut d = logged_in(Role::Assembler, Theme::ansi());
    d.open_home_entry("Notifications");
    d.answer(
        |r| matches!(r, Request::Notifications { .. }),
        Ok(Reply::Notifications(notifications())),
    );
    snap(
        "notifications",
        "list",
        "Notifications: unread ones marked with ● and bold, newest first",
        &d.render(80, 24),
    );
    d.key(KeyCode::Enter);
    d.answer(
        |r| matches!(r, Request::MarkNotificationsRead { .. }),
        Ok(Reply::Done),
    );
    snap(
        "notifications",
        "marked_read",
        "After Enter on the first: it is read, the unread count in the status bar follows",
        &d.render(80, 24),
    );

    let mut d = logged_in(Role::Assembler, Theme::mono());
    d.open_home_entry("Notifications");
    d.answer(
        |r| matches!(r, Request::Notifications { .. }),
        Ok(Reply::Notifications(notifications())),
    );
    snap(
        "notifications",
        "list_mono",
        "Notifications in the monochrome theme",
        &d.render(80, 24),
    );

    let mut d = logged_in(Role::ServiceDepartment, Theme::ansi());
    d.open_home_entry("Notifications");
    d.answer(
        |r| matches!(r, Request::Notifications { .. }),
        Ok(Reply::Notifications(Vec::new())),
    );
    snap(
        "notifications",
        "empty",
        "No notifications",
        &d.render(80, 24),
    );
}

#[test]
fn quit_confirmation() {
    let mut d = logged_in(Role::Admin, Theme::ansi());
    d.open_home_entry("Users");
    d.answer(
        |r| matches!(r, Request::ListUsers { .. }),
        Ok(Reply::Users(users())),
    );
    d.key(KeyCode::Char('n'));
    d.type_str("jsmith");
    d.ctrl('c');
    snap(
        "quit",
        "confirm",
        "Quit with unsaved input in an open form asks first",
        &d.render(80, 24),
    );
}

#[test]
fn too_small() {
    let mut d = driver(Theme::ansi());
    snap(
        "too_small",
        "60x20",
        "A terminal smaller than 80x24 gets a notice instead of the layout",
        &d.render(60, 20),
    );
}

#[test]
fn no_panic_at_any_size_login() {
    driver(Theme::ansi()).draw_every_size();
}

#[test]
fn no_panic_at_any_size_home() {
    logged_in(Role::Admin, Theme::ansi()).draw_every_size();
}

#[test]
fn no_panic_at_any_size_new_user_form() {
    let mut d = users_screen(Theme::mono());
    d.key(KeyCode::Char('n'));
    d.type_str("someone");
    d.draw_every_size();
}

#[test]
fn no_panic_at_any_size_help_over_notifications() {
    let mut d = logged_in(Role::Assembler, Theme::ansi());
    d.open_home_entry("Notifications");
    d.answer(
        |r| matches!(r, Request::Notifications { .. }),
        Ok(Reply::Notifications(notifications())),
    );
    d.key(KeyCode::Char('?'));
    d.draw_every_size();
}

#[test]
fn no_panic_at_any_size_lock() {
    let mut d = logged_in(Role::QcPerson, Theme::ansi());
    d.ctrl('l');
    d.draw_every_size();
}

#[test]
fn no_panic_at_any_size_forced_password() {
    let mut forced = user_for(Role::Assembler);
    forced.must_change_password = true;
    let mut d = driver(Theme::ansi());
    d.login(forced);
    d.draw_every_size();
}

#[test]
fn what_an_admin_may_not_do_to_themselves_is_said_before_any_dialog() {
    let mut d = users_screen(Theme::ansi());
    // The first row is the administrator logged in.
    for (key, refusal) in [
        ('d', "You cannot deactivate your own account"),
        ('r', "You cannot change your own role"),
        ('p', "Use Change password for your own account"),
    ] {
        d.key(KeyCode::Char(key));
        assert_eq!(d.app.toast().map(|t| t.text.as_str()), Some(refusal));
        assert_eq!(
            cleanstation::screens::Screen::key_contexts(d.app.screen())[0],
            cleanstation::keymap::KeyContext::Users,
            "no dialog opened"
        );
    }
    assert!(d.sent.is_empty(), "{:?}", d.sent);
}

#[test]
fn no_panic_at_any_size_confirm_and_dialogs() {
    let mut d = users_screen(Theme::ansi());
    d.key(KeyCode::Down);
    d.key(KeyCode::Char('d'));
    d.draw_every_size();
    d.key(KeyCode::Char('n'));
    d.key(KeyCode::Char('r'));
    d.draw_every_size();
    d.key(KeyCode::Esc);
    d.key(KeyCode::Char('p'));
    d.draw_every_size();
}

/// Stored text that a terminal would act on: a title change, a screen clear, a bell, C1 controls
/// (CSI, NEL), a right-to-left override, zero-width and other invisible characters.
/// Zero-width ones first, so that they land in narrow columns too.
const HOSTILE: &str = "\u{202E}\u{200B}\u{2066}\u{FEFF}\u{AD}\u{E0041}\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m\u{85}gnp.exe";

/// Every cell of the frame whose symbol holds a character of `text::is_forbidden`.
fn forbidden_cells(buf: &ratatui::buffer::Buffer) -> Vec<(u16, u16, String)> {
    let area = buf.area;
    (area.top()..area.bottom())
        .flat_map(|y| (area.left()..area.right()).map(move |x| (x, y)))
        .filter_map(|(x, y)| {
            let symbol = buf[(x, y)].symbol();
            symbol
                .chars()
                .any(cleanstation::text::is_forbidden)
                .then(|| (x, y, format!("{symbol:?}")))
        })
        .collect()
}

#[test]
fn no_cell_holds_a_character_a_terminal_acts_on() {
    let mut evil_user = user_for(Role::Admin);
    evil_user.full_name = format!("{HOSTILE}Ada Lindqvist");
    let mut list = users();
    for u in &mut list {
        u.full_name = format!("{HOSTILE}{}", u.full_name);
        u.initials = format!("{HOSTILE}{}", u.initials);
    }

    // The status bar (the user's name) and a refusal shown by the screen.
    let mut d = driver(Theme::ansi());
    d.login(evil_user.clone());
    d.open_home_entry("Users");
    assert!(d.answer(
        |r| matches!(r, Request::ListUsers { .. }),
        Err(ServiceError::Invalid(format!("Refused: {HOSTILE}"))),
    ));
    let shown = d.render(80, 24);
    assert!(shown.contains("Refused: ]0;pwned[2J31mgnp.exe"), "{shown}");
    // Without the scrub the frame would hold the zero-width characters; this is what keeps them out.
    assert_eq!(
        forbidden_cells(&crate::harness::draw(&mut d.app, 80, 24)),
        Vec::new()
    );

    // The user list.
    let mut d = driver(Theme::ansi());
    d.login(evil_user);
    d.open_home_entry("Users");
    assert!(d.answer(
        |r| matches!(r, Request::ListUsers { .. }),
        Ok(Reply::Users(list)),
    ));
    assert_eq!(
        forbidden_cells(&crate::harness::draw(&mut d.app, 80, 24)),
        Vec::new()
    );

    // A build's detail reached from a notification: the PO's texts and the notification's.
    let order = uuid::Uuid::from_u128(0x7e57);
    let mut detail = floor_order_detail(
        order,
        "PO-1",
        t2_b2_build(serde_json::json!({})),
        cleanstation::domain::order::OrderStatus::ReadyForProduction,
        at(13, 9, 0),
    );
    detail.header.customer_name = format!("Lakeview{HOSTILE}");
    detail.header.sales_person = format!("{HOSTILE}Daniel");
    detail.header.project_name = Some(HOSTILE.into());
    detail.header.notes = Some(format!("Deliver{HOSTILE} before noon"));
    let about = notification_about_build(
        order,
        "TASK_ASSIGNMENT",
        &format!("Assigned{HOSTILE}"),
        &format!("PO-1{HOSTILE}"),
        at(13, 9, 5),
    );
    let mut d = open_build_via_notification(Theme::ansi(), Role::Assembler, vec![about], detail);
    for (w, h) in [(80, 24), (120, 40)] {
        assert_eq!(
            forbidden_cells(&crate::harness::draw(&mut d.app, w, h)),
            Vec::new()
        );
    }
}
