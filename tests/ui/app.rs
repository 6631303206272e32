//! The shell's pure update: scripted messages in, commands and state out. No database, no clock.

use crate::harness::{
    Driver, HEARTBEAT, IDLE_LOCK, has_quit, init, requests, session_for, user_for, users,
};
use cleanstation::domain::Role;
use cleanstation::domain::scan::{Scan, ScanTarget};
use cleanstation::error::ServiceError;
use cleanstation::keymap::scan::SCAN_GAP;
use cleanstation::msg::{
    Command, HeartbeatInfo, Msg, Reply, Request, RequestId, ServiceReply, ServiceRequest,
};
use cleanstation::screens::{ActiveScreen, Screen, ScreenId};
use cleanstation::theme::Theme;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use std::time::Duration;
use uuid::Uuid;

const TICK: Duration = Duration::from_millis(250);

fn driver() -> Driver {
    Driver::new(init(Theme::ansi()))
}

#[test]
fn enter_on_the_password_sends_login() {
    let mut d = driver();
    d.type_str("coordinator");
    d.key(KeyCode::Tab);
    d.type_str("demo-password");
    let cmd = d.key(KeyCode::Enter);
    let reqs = requests(&cmd);
    assert_eq!(reqs.len(), 1);
    assert_eq!(
        reqs[0].kind,
        Request::Login {
            username: "coordinator".into(),
            password: "demo-password".into()
        }
    );
}

#[test]
fn enter_with_empty_fields_sends_nothing() {
    let mut d = driver();
    d.key(KeyCode::Tab);
    assert_eq!(d.key(KeyCode::Enter), Command::None);
    assert!(d.sent.is_empty());
}

#[test]
fn login_reaches_home_or_the_forced_password_change() {
    let mut d = driver();
    d.login(user_for(Role::Admin));
    assert!(matches!(d.app.screen(), ActiveScreen::Home(_)));
    assert_eq!(d.app.unread(), Some(2));

    let mut user = user_for(Role::Assembler);
    user.must_change_password = true;
    let mut d = driver();
    d.login(user);
    assert!(matches!(d.app.screen(), ActiveScreen::ChangePassword(p) if p.is_forced()));
    // Esc on the forced change logs out.
    let cmd = d.key(KeyCode::Esc);
    assert!(
        requests(&cmd)
            .iter()
            .any(|r| matches!(r.kind, Request::Logout { .. }))
    );
    assert!(d.app.session().is_none());
    assert!(matches!(d.app.screen(), ActiveScreen::Login(_)));
}

#[test]
fn home_lists_only_existing_screens() {
    use cleanstation::screens::{ScreenId, home_entries};
    for role in Role::ALL {
        let targets: Vec<ScreenId> = home_entries(role).iter().map(|e| e.target).collect();
        assert!(targets.contains(&ScreenId::Notifications));
        assert!(targets.contains(&ScreenId::ChangePassword));
        assert_eq!(targets.contains(&ScreenId::Users), role == Role::Admin);
    }
}

#[test]
fn a_stale_reply_is_ignored() {
    let mut d = driver();
    let req = d.submit_login("admin", "correct-horse");
    let stale = ServiceReply {
        id: RequestId(req.id.0 + 50),
        result: Ok(Reply::LoggedIn(session_for(user_for(Role::Admin)))),
    };
    d.send(Msg::Db(stale));
    assert!(d.app.session().is_none());
    d.reply(
        &req,
        Ok(Reply::LoggedIn(session_for(user_for(Role::Admin)))),
    );
    assert!(d.app.session().is_some());
}

#[test]
fn idle_lock_engages_after_idle_time_without_keys() {
    let mut d = driver();
    d.login(user_for(Role::QcPerson));
    d.tick(TICK);
    let mut elapsed = Duration::ZERO;
    while elapsed + TICK < IDLE_LOCK {
        d.tick(TICK);
        elapsed += TICK;
        assert!(!d.app.is_locked(), "locked early after {elapsed:?}");
    }
    // A key resets the idle time.
    d.key(KeyCode::Down);
    d.tick(TICK);
    d.tick(IDLE_LOCK - TICK * 2);
    assert!(!d.app.is_locked());
    d.tick(TICK * 2);
    assert!(d.app.is_locked());
    assert_eq!(d.app.title(), "Station locked");
}

#[test]
fn unlock_keeps_the_screen_state() {
    let mut d = driver();
    d.login(user_for(Role::Admin));
    d.open_home_entry("Users");
    d.answer(
        |r| matches!(r, Request::ListUsers { .. }),
        Ok(Reply::Users(users())),
    );
    d.key(KeyCode::Char('n'));
    d.type_str("jsmith");
    d.ctrl('l');
    assert!(d.app.is_locked());
    d.type_str("n");
    d.key(KeyCode::Enter);
    let unlock = d
        .take(|r| matches!(r, Request::Unlock { .. }))
        .expect("unlock sent");
    assert!(matches!(&unlock.kind, Request::Unlock { password, .. } if password == "n"));
    d.reply(&unlock, Err(ServiceError::Invalid("Wrong password".into())));
    assert!(d.app.is_locked());
    d.type_str("right-password");
    d.key(KeyCode::Enter);
    let unlock = d
        .take(|r| matches!(r, Request::Unlock { .. }))
        .expect("unlock sent");
    d.reply(&unlock, Ok(Reply::Unlocked));
    assert!(!d.app.is_locked());
    assert!(
        d.app.screen().has_unsaved_input(),
        "the form survived the lock"
    );
}

#[test]
fn switch_user_from_the_lock_logs_out() {
    let mut d = driver();
    d.login(user_for(Role::Assembler));
    d.ctrl('l');
    let cmd = d.key(KeyCode::F(2));
    assert!(
        requests(&cmd)
            .iter()
            .any(|r| matches!(r.kind, Request::Logout { .. }))
    );
    assert!(d.app.session().is_none());
    assert!(!d.app.is_locked());
}

#[test]
fn heartbeat_runs_on_ticks_and_updates_unread() {
    let mut d = driver();
    d.login(user_for(Role::Assembler));
    d.tick(TICK);
    assert!(d.take(|r| matches!(r, Request::Heartbeat { .. })).is_none());
    d.tick(HEARTBEAT);
    let hb = d
        .take(|r| matches!(r, Request::Heartbeat { .. }))
        .expect("heartbeat due");
    d.reply(
        &hb,
        Ok(Reply::Heartbeat(HeartbeatInfo {
            unread_notifications: 7,
        })),
    );
    assert_eq!(d.app.unread(), Some(7));
}

#[test]
fn session_ended_from_any_request_returns_to_login() {
    let mut d = driver();
    d.login(user_for(Role::Admin));
    d.open_home_entry("Users");
    d.answer(
        |r| matches!(r, Request::ListUsers { .. }),
        Err(ServiceError::SessionEnded(
            "Your account was deactivated.".into(),
        )),
    );
    assert!(d.app.session().is_none());
    assert!(matches!(d.app.screen(), ActiveScreen::Login(_)));
    let text = d.render(80, 24);
    assert!(text.contains("Your account was deactivated."));
}

#[test]
fn a_late_session_end_does_not_end_the_next_session() {
    let mut d = driver();
    d.login(user_for(Role::Admin));
    d.open_home_entry("Users");
    let old = d
        .take(|r| matches!(r, Request::ListUsers { .. }))
        .expect("list requested");
    d.ctrl('l');
    d.key(KeyCode::F(2));
    d.login(user_for(Role::Assembler));
    d.reply(&old, Err(ServiceError::SessionEnded("Logged out".into())));
    assert!(
        d.app
            .session()
            .is_some_and(|s| s.user.role == Role::Assembler)
    );
}

#[test]
fn quit_without_unsaved_input_quits_at_once() {
    // On the login screen `q` types into the username, so Ctrl-C is the way out.
    let mut d = driver();
    assert!(has_quit(&d.ctrl('c')));
    assert!(d.app.should_quit());

    let mut d = driver();
    d.login(user_for(Role::Assembler));
    let cmd = d.key(KeyCode::Char('q'));
    assert!(has_quit(&cmd));
    let reqs = requests(&cmd);
    assert!(matches!(&reqs[0].kind, Request::Logout { token } if token == "token-assembler1"));
}

#[test]
fn quit_with_unsaved_input_asks_first() {
    let mut d = driver();
    d.type_str("adm");
    assert_eq!(d.ctrl('c'), Command::None);
    assert!(d.app.quit_confirm_open());
    assert!(!d.app.should_quit());
    d.key(KeyCode::Char('n'));
    assert!(!d.app.quit_confirm_open());
    d.ctrl('c');
    assert!(has_quit(&d.key(KeyCode::Char('y'))));
    assert!(d.app.should_quit());
}

#[test]
fn paste_goes_into_the_focused_field() {
    let mut d = driver();
    d.send(Msg::Term(Event::Paste("coordinator\n".into())));
    d.key(KeyCode::Tab);
    d.send(Msg::Term(Event::Paste("demo-password".into())));
    let cmd = d.key(KeyCode::Enter);
    assert!(matches!(
        &requests(&cmd)[0].kind,
        Request::Login { username, password } if username == "coordinator" && password == "demo-password"
    ));
}

#[test]
fn help_opens_and_closes() {
    let mut d = driver();
    d.login(user_for(Role::QcPerson));
    d.key(KeyCode::Char('?'));
    assert!(d.app.help_open());
    d.key(KeyCode::Char('?'));
    assert!(!d.app.help_open());
    d.key(KeyCode::F(1));
    d.key(KeyCode::Esc);
    assert!(!d.app.help_open());
}

#[test]
fn a_request_not_answered_in_time_shows_db_not_answering_until_the_next_answer() {
    use cleanstation::widgets::status_bar::DbStatus;
    let mut d = driver();
    let req = d.submit_login("admin", "whatever-pass");
    d.reply(&req, Err(ServiceError::NotAnswering));
    assert_eq!(d.app.db_status(), DbStatus::NotAnswering);
    let screen = d.render(80, 24);
    assert!(screen.contains("DB not answering"), "{screen}");
    assert!(
        screen.contains("ERROR: The database is not answering; your input"),
        "{screen}"
    );
    // A refusal is an answer: the database is back.
    d.type_str("whatever-pass");
    d.key(KeyCode::Enter);
    let req = d
        .take(|r| matches!(r, Request::Login { .. }))
        .expect("a second try sends the login again");
    d.reply(
        &req,
        Err(ServiceError::Invalid(
            "Username or password incorrect".into(),
        )),
    );
    assert_eq!(d.app.db_status(), DbStatus::Ok);
    assert!(d.render(80, 24).contains("DB ok"));
}

#[test]
fn offline_reply_shows_in_the_status() {
    use cleanstation::widgets::status_bar::DbStatus;
    let mut d = driver();
    // The app starts only once the database is connected.
    assert_eq!(d.app.db_status(), DbStatus::Ok);
    let req = d.submit_login("admin", "whatever-pass");
    d.reply(&req, Err(ServiceError::Unavailable("refused".into())));
    assert_eq!(d.app.db_status(), DbStatus::Offline);
    assert!(d.render(80, 24).contains("DB offline"));
    // Any answer from the database brings it back.
    d.type_str("whatever-pass");
    d.key(KeyCode::Enter);
    let req = d
        .take(|r| matches!(r, Request::Login { .. }))
        .expect("a second try sends the login again");
    d.reply(
        &req,
        Err(ServiceError::Invalid(
            "Username or password incorrect".into(),
        )),
    );
    assert_eq!(d.app.db_status(), DbStatus::Ok);
    assert!(d.render(80, 24).contains("DB ok"));
}

#[test]
fn user_admin_requests() {
    let mut d = driver();
    d.login(user_for(Role::Admin));
    d.open_home_entry("Users");
    d.answer(
        |r| matches!(r, Request::ListUsers { .. }),
        Ok(Reply::Users(users())),
    );
    // Change role of the second user (coordinator) to the next role in the list.
    d.key(KeyCode::Down);
    d.key(KeyCode::Char('r'));
    d.key(KeyCode::Right);
    // Enter asks; `y` changes the role.
    assert!(requests(&d.key(KeyCode::Enter)).is_empty());
    let cmd = d.key(KeyCode::Char('y'));
    let reqs = requests(&cmd);
    assert!(matches!(
        &reqs[0].kind,
        Request::SetRole {
            role: Role::Admin,
            ..
        }
    ));
    d.sent.clear();
    d.reply(&reqs[0], Ok(Reply::Done));
    // The change is confirmed and refreshes the list.
    assert!(d.app.toast().is_some());
    assert!(d.take(|r| matches!(r, Request::ListUsers { .. })).is_some());

    d.key(KeyCode::Char('p'));
    d.type_str("short");
    assert_eq!(d.key(KeyCode::Enter), Command::None);
    d.type_str("-but-now-long");
    assert!(requests(&d.key(KeyCode::Enter)).is_empty());
    let cmd = d.key(KeyCode::Char('y'));
    assert!(matches!(
        &requests(&cmd)[0].kind,
        Request::ResetPassword { temp_password, .. } if temp_password == "short-but-now-long"
    ));
}

/// Every request of `cmd` that looks a scanned code up.
fn lookups(cmd: &Command) -> Vec<ServiceRequest> {
    requests(cmd)
        .into_iter()
        .filter(|r| matches!(r.kind, Request::FindScanned { .. }))
        .collect()
}

fn toast_text(d: &Driver) -> Option<String> {
    d.app.toast().map(|t| t.text.clone())
}

#[test]
fn a_scanned_build_number_opens_the_build() {
    let mut d = driver();
    d.login(user_for(Role::ProductionCoordinator));
    let cmd = d.scan("B-1001");
    let found = lookups(&cmd);
    assert_eq!(found.len(), 1, "one lookup, no key applied: {cmd:?}");
    assert!(matches!(
        &found[0].kind,
        Request::FindScanned { scan: Scan::Code(code), .. } if code == "B-1001"
    ));
    assert!(matches!(d.app.screen(), ActiveScreen::Home(_)));
    let order = Uuid::from_u128(0x0b01);
    d.reply(
        &found[0],
        Ok(Reply::Scanned(Some(ScanTarget::Build(order)))),
    );
    assert!(matches!(d.app.screen(), ActiveScreen::OrderDetail(_)));
    assert!(
        d.take(|r| matches!(r, Request::OrderDetail { order_id, .. } if *order_id == order))
            .is_some()
    );
}

#[test]
fn an_unknown_code_and_a_refusal_are_said_in_a_toast() {
    let mut d = driver();
    d.login(user_for(Role::ServiceDepartment));
    let cmd = d.scan("b:24-0117");
    let found = lookups(&cmd);
    assert!(matches!(
        &found[0].kind,
        Request::FindScanned { scan: Scan::Build(code), .. } if code == "24-0117"
    ));
    let refusal = "Your role (SERVICE_DEPARTMENT) cannot view production orders";
    d.reply(&found[0], Err(ServiceError::Forbidden(refusal.into())));
    assert_eq!(toast_text(&d).as_deref(), Some(refusal));
    assert!(matches!(d.app.screen(), ActiveScreen::Home(_)));

    let cmd = d.scan("XQ-404");
    let found = lookups(&cmd);
    d.reply(&found[0], Ok(Reply::Scanned(None)));
    assert_eq!(
        toast_text(&d).as_deref(),
        Some("No build or catalog item XQ-404")
    );
    assert!(matches!(d.app.screen(), ActiveScreen::Home(_)));
}

#[test]
fn a_burst_that_is_no_code_is_applied_as_keys() {
    let mut d = driver();
    d.login(user_for(Role::ProductionCoordinator));
    // "ab" is too short for a code: its keys (nothing at home) and the Enter (open the first entry)
    // are applied as typed.
    let cmd = d.scan("ab");
    assert!(lookups(&cmd).is_empty());
    let first = cleanstation::screens::home_entries(Role::ProductionCoordinator)[0].target;
    assert_eq!(first, ScreenId::OrderWizard);
    assert!(matches!(d.app.screen(), ActiveScreen::OrderWizard(_)));
}

#[test]
fn a_single_key_is_held_only_until_the_wake_up() {
    let mut d = driver();
    d.login(user_for(Role::ProductionCoordinator));
    let at = d.now + Duration::from_secs(1);
    d.send(Msg::Key(
        KeyEvent::new(KeyCode::Char('?'), KeyModifiers::NONE),
        at,
    ));
    let deadline = d.app.next_deadline().expect("a printable key is held");
    assert_eq!(deadline, at + SCAN_GAP);
    assert!(d.app.is_holding_keys());
    assert!(!d.app.help_open(), "not applied yet");
    d.send(Msg::Wake(deadline - Duration::from_millis(1)));
    assert!(!d.app.help_open(), "not before the deadline");
    d.send(Msg::Wake(deadline));
    assert!(d.app.help_open(), "applied at the deadline");
    assert!(!d.app.is_holding_keys());
    assert_eq!(d.app.next_deadline(), None);
}

#[test]
fn a_login_typed_in_one_burst_logs_in_as_before() {
    let mut d = driver();
    let mut at = d.now;
    let mut cmd = Command::None;
    let keys = "coordinator\tdemo-password\n".chars().map(|c| match c {
        '\t' => KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE),
        '\n' => KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE),
        c => KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE),
    });
    for key in keys {
        at += Duration::from_millis(1);
        cmd = cmd.and(d.send(Msg::Key(key, at)));
    }
    assert!(matches!(
        &requests(&cmd)[..],
        [ServiceRequest { kind: Request::Login { username, password }, .. }]
            if username == "coordinator" && password == "demo-password"
    ));
}

#[test]
fn only_a_badge_is_read_at_the_login_screen() {
    let mut d = driver();
    // A build number scanned at the login screen is typed into the username field.
    let cmd = d.scan("B-1001");
    assert!(lookups(&cmd).is_empty());
    assert!(d.app.screen().has_unsaved_input(), "typed, not scanned");
    // A badge is a scan there: nothing is typed.
    let mut d = driver();
    let cmd = d.scan("U:0042-7731");
    assert!(requests(&cmd).is_empty());
    assert!(
        !d.app.screen().has_unsaved_input(),
        "the badge typed nothing"
    );
}

#[test]
fn scans_are_discarded_while_locked() {
    let mut d = driver();
    d.login(user_for(Role::Assembler));
    d.ctrl('l');
    assert!(d.app.is_locked());
    let cmd = d.scan("B-1001");
    assert!(requests(&cmd).is_empty(), "no lookup, no unlock attempt");
    assert_eq!(
        toast_text(&d).as_deref(),
        Some("Scans are ignored while the station is locked")
    );
    assert!(d.app.is_locked());
    // Nothing was typed into the password: Enter alone asks for it.
    let cmd = d.key(KeyCode::Enter);
    assert!(requests(&cmd).is_empty());
    // A badge is handed to the lock; it never becomes a lookup.
    let cmd = d.scan("U:0042");
    assert!(lookups(&cmd).is_empty());
    assert!(d.app.is_locked());
}

#[test]
fn keys_typed_before_a_screen_has_loaded_are_dropped_except_leaving_help_and_quit() {
    let mut d = driver();
    d.login(user_for(Role::Admin));
    d.open_home_entry("Users");
    assert!(!d.app.screen().accepts_keys(), "the list is on its way");
    // `n` (new user), `d`, Enter, a paste: dropped, said once.
    d.key(KeyCode::Char('n'));
    assert_eq!(
        d.app.toast().map(|t| t.text.as_str()),
        Some(cleanstation::app::TYPED_AHEAD)
    );
    d.key(KeyCode::Char('d'));
    d.key(KeyCode::Enter);
    d.send(Msg::Term(Event::Paste("jsmith".into())));
    assert_eq!(d.app.title(), "Users", "no form opened");
    assert!(
        d.sent
            .iter()
            .all(|r| matches!(r.kind, Request::ListUsers { .. })),
        "{:?}",
        d.sent
    );
    // Help opens and closes; Esc leaves.
    d.key(KeyCode::Char('?'));
    assert!(d.app.help_open());
    d.key(KeyCode::Esc);
    assert!(!d.app.help_open());
    d.key(KeyCode::Esc);
    assert!(matches!(d.app.screen(), ActiveScreen::Home(_)));

    // Once loaded, keys work again.
    d.sent.clear();
    d.open_home_entry("Users");
    d.answer(
        |r| matches!(r, Request::ListUsers { .. }),
        Ok(Reply::Users(users())),
    );
    d.key(KeyCode::Char('n'));
    assert_eq!(d.app.title(), "Users › New user");
}

#[test]
fn a_load_that_failed_still_takes_refresh() {
    let mut d = driver();
    d.login(user_for(Role::Admin));
    d.open_home_entry("Users");
    d.answer(
        |r| matches!(r, Request::ListUsers { .. }),
        Err(ServiceError::Unavailable("connection refused".into())),
    );
    assert!(d.app.screen().accepts_keys());
    d.key(KeyCode::F(5));
    assert!(d.take(|r| matches!(r, Request::ListUsers { .. })).is_some());
}

#[test]
fn a_badge_scanned_at_the_lock_asks_for_its_pin() {
    let mut d = driver();
    d.login(user_for(Role::ProductionCoordinator));
    d.ctrl('l');
    assert!(d.app.is_locked());
    d.scan("U:U-LUIS");
    let screen = d.render(100, 30);
    assert!(screen.contains("Badge U-LUIS: enter PIN"), "{screen}");
}
