//! Logging out, switching user, and the badge + PIN quick switch: at the login screen, at a locked
//! station, and the admin's badge dialog; goldens at 80x24 and 120x40.

use crate::harness::{Driver, init, session_for, text_with_styles, user_for, users};
use cleanstation::app::{LOGGED_OUT, SWITCH_USER};
use cleanstation::domain::Role;
use cleanstation::domain::scan::Scan;
use cleanstation::error::ServiceError;
use cleanstation::keymap::{Action, Keymap};
use cleanstation::msg::{Command, Reply, Request, ServiceReply, ServiceRequest};
use cleanstation::screens::lock::LockScreen;
use cleanstation::screens::{Ctx, Effect, IdGen, ScreenMsg};
use cleanstation::theme::Theme;
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn snap(screen: &str, state: &str, description: &str, text: &str) {
    crate::harness::snap_in!(screen, state, description, text);
}

/// Snapshots `render` at 80x24 (`state`) and at 120x40 (`state_120x40`).
fn snap_both(
    screen: &str,
    state: &str,
    description: &str,
    mut render: impl FnMut(u16, u16) -> String,
) {
    snap(
        screen,
        state,
        &format!("{description} (80x24)"),
        &render(80, 24),
    );
    snap(
        screen,
        &format!("{state}_120x40"),
        &format!("{description} (120x40)"),
        &render(120, 40),
    );
}

fn logged_in(role: Role) -> Driver {
    let mut d = Driver::new(init(Theme::ansi()));
    d.login(user_for(role));
    d
}

#[test]
fn the_home_menu_ends_with_log_out_and_switch_user() {
    for role in Role::ALL {
        let labels: Vec<&str> = cleanstation::screens::home_entries(role)
            .iter()
            .map(|e| e.label)
            .collect();
        assert_eq!(
            labels[labels.len() - 4..],
            ["Notifications", "Change password", "Log out", "Switch user"],
            "{role}"
        );
    }
    let mut d = logged_in(Role::Admin);
    snap_both(
        "home",
        "admin_all_entries",
        "Administrator's home: Log out and Switch user close the menu",
        |w, h| d.render(w, h),
    );
    // At 80x24 the administrator's menu is taller than the screen: it scrolls with the selection.
    d.key(KeyCode::End);
    let text = d.render(80, 24);
    assert!(text.contains("▶ Switch user"), "{text}");
    assert!(text.contains("↑ 3 more"), "{text}");
    snap_both(
        "home",
        "admin_menu_end",
        "Administrator's home at its last entry: the menu scrolled, the entries above counted",
        |w, h| d.render(w, h),
    );
}

#[test]
fn ctrl_x_logs_out_from_anywhere_and_the_login_screen_says_so() {
    let mut d = logged_in(Role::Assembler);
    d.ctrl('x');
    let logout = d
        .take(|r| matches!(r, Request::Logout { token } if token == "token-assembler1"))
        .expect("the session is ended on the server");
    assert!(d.app.session().is_none());
    let text = d.render(80, 24);
    assert!(text.contains(LOGGED_OUT), "{text}");
    snap_both(
        "login",
        "logged_out",
        "After Ctrl-X: the login screen says the user logged out",
        |w, h| d.render(w, h),
    );
    // The logout's answer changes nothing on the login screen.
    d.reply(&logout, Ok(Reply::LoggedOut));
    assert!(d.app.session().is_none());

    // The key is in every logged-in key bar that has room for it.
    let mut d = logged_in(Role::Admin);
    let text = d.render(120, 40);
    assert!(text.contains("Ctrl-X Log out"), "{text}");
}

#[test]
fn logging_out_with_unsaved_input_asks_first() {
    let mut d = logged_in(Role::Admin);
    d.open_home_entry("Users");
    d.answer(
        |r| matches!(r, Request::ListUsers { .. }),
        Ok(Reply::Users(users())),
    );
    d.key(KeyCode::Char('n'));
    d.type_str("jsmith");
    d.ctrl('x');
    assert!(
        d.app.session().is_some(),
        "nothing happens before the answer"
    );
    snap_both(
        "app",
        "logout_confirm",
        "Ctrl-X with unsaved input in an open form asks first",
        |w, h| d.render(w, h),
    );
    d.key(KeyCode::Char('n'));
    assert!(d.app.session().is_some());
    let text = d.render(80, 24);
    assert!(text.contains("jsmith"), "the input is still there: {text}");
    d.ctrl('x');
    d.key(KeyCode::Char('y'));
    assert!(d.app.session().is_none());
    assert!(d.take(|r| matches!(r, Request::Logout { .. })).is_some());
}

#[test]
fn switch_user_from_the_home_menu() {
    let mut d = logged_in(Role::QcPerson);
    d.open_home_entry("Switch user");
    assert!(d.app.session().is_none());
    assert!(d.take(|r| matches!(r, Request::Logout { .. })).is_some());
    let text = d.render(80, 24);
    assert!(text.contains("Switch user: scan your badge"), "{text}");
    assert!(SWITCH_USER.starts_with("Switch user"));
    snap_both(
        "login",
        "switch_user",
        "After Switch user: the login screen waits for a badge or a username",
        |w, h| d.render(w, h),
    );

    let mut d = logged_in(Role::QcPerson);
    d.open_home_entry("Log out");
    assert!(d.app.session().is_none());
    assert!(d.render(80, 24).contains(LOGGED_OUT));
}

#[test]
fn a_badge_at_the_login_screen_asks_for_the_pin() {
    let mut d = Driver::new(init(Theme::ansi()));
    // What a scanner types when its burst is not recognised as one: the prefix gives it away.
    d.type_str("U:u-tom");
    d.key(KeyCode::Enter);
    assert!(d.take(|_| true).is_none(), "no request before the PIN");
    snap_both(
        "login",
        "badge_pin",
        "A badge was scanned at the login screen: its PIN is asked, masked",
        |w, h| d.render(w, h),
    );
    d.type_str("12x");
    snap(
        "login",
        "badge_pin_digits_only",
        "A letter in the PIN is refused with a message; the digits typed stay (masked)",
        &d.render(80, 24),
    );
    d.type_str("34");
    d.key(KeyCode::Enter);
    let req = d
        .take(|r| matches!(r, Request::LoginBadge { .. }))
        .expect("Enter sends the badge login");
    let Request::LoginBadge {
        badge,
        pin,
        previous,
    } = &req.kind
    else {
        unreachable!();
    };
    assert_eq!(
        (badge.as_str(), pin.as_str(), previous),
        ("U-TOM", "1234", &None)
    );
    d.reply(
        &req,
        Err(ServiceError::Invalid("Badge or PIN not accepted".into())),
    );
    snap_both(
        "login",
        "badge_refused",
        "Badge or PIN not accepted: the message shows, the PIN is cleared, the badge stays",
        |w, h| d.render(w, h),
    );
    // Esc goes back to the username and password.
    d.key(KeyCode::Esc);
    assert!(d.render(80, 24).contains("Username"));

    d.type_str("U:U-TOM");
    d.key(KeyCode::Enter);
    d.type_str("1234");
    d.key(KeyCode::Enter);
    let inspector = user_for(Role::QcPerson);
    assert!(d.answer(
        |r| matches!(r, Request::LoginBadge { .. }),
        Ok(Reply::LoggedIn(session_for(inspector.clone()))),
    ));
    assert_eq!(d.app.session().map(|s| s.user.id), Some(inspector.id));
}

/// A locked station's lock, driven as the shell drives it, for the session of `role`'s fixture user.
struct Lock {
    ids: IdGen,
    keymap: Keymap,
    session: cleanstation::domain::session::Session,
    lock: LockScreen,
    effects: Vec<Effect>,
    sent: Vec<ServiceRequest>,
}

impl Lock {
    fn new(role: Role) -> Lock {
        let session = session_for(user_for(role));
        let lock = LockScreen::new(&session.user.full_name, &session.user.username);
        Lock {
            ids: IdGen::default(),
            keymap: Keymap::default(),
            session,
            lock,
            effects: Vec::new(),
            sent: Vec::new(),
        }
    }

    fn with_ctx<T>(&mut self, f: impl FnOnce(&mut LockScreen, &mut Ctx) -> T) -> T {
        let mut ctx = Ctx::new(&mut self.ids, Some(&self.session), &self.keymap);
        let out = f(&mut self.lock, &mut ctx);
        self.effects.extend(ctx.into_effects());
        out
    }

    fn send(&mut self, msg: ScreenMsg) {
        let (cmd, _) = self.with_ctx(|l, ctx| l.update(msg, ctx));
        self.sent.extend(crate::harness::requests(&cmd));
    }

    fn scan(&mut self, code: &str) {
        let scan = Scan::Badge(code.into());
        let cmd = self.with_ctx(|l, ctx| l.on_scan(&scan, ctx));
        assert_eq!(cmd, Some(Command::None), "the lock takes a badge");
    }

    fn pin(&mut self, pin: &str) -> ServiceRequest {
        for c in pin.chars() {
            self.send(ScreenMsg::Char(c));
        }
        self.send(ScreenMsg::Action(Action::Submit));
        self.sent.pop().expect("Enter sends the badge login")
    }

    fn render(&mut self, width: u16, height: u16) -> String {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test backend");
        let theme = Theme::ansi();
        terminal
            .draw(|f| self.lock.view(f, f.area(), &theme))
            .expect("draw");
        text_with_styles(terminal.backend().buffer())
    }
}

#[test]
fn a_badge_at_the_lock_unlocks_its_own_user_or_switches_to_another() {
    let mut l = Lock::new(Role::QcPerson);
    // A code that is no badge is left to the shell.
    let other = Scan::Build("24-0126".into());
    assert_eq!(l.with_ctx(|lock, ctx| lock.on_scan(&other, ctx)), None);

    l.scan("U-LUIS");
    snap_both(
        "lock",
        "badge_pin",
        "A badge scanned at the locked station: its PIN is asked instead of the password",
        |w, h| l.render(w, h),
    );
    let req = l.pin("0000");
    let Request::LoginBadge { previous, .. } = &req.kind else {
        panic!("expected a badge login, got {:?}", req.kind);
    };
    assert_eq!(
        previous.as_deref(),
        Some("token-qc.inspector"),
        "the locked session is named so the server can end it"
    );
    l.send(ScreenMsg::Db(ServiceReply {
        id: req.id,
        result: Err(ServiceError::Invalid("Badge or PIN not accepted".into())),
    }));
    snap_both(
        "lock",
        "badge_refused",
        "Badge or PIN not accepted at the lock: the station stays locked",
        |w, h| l.render(w, h),
    );
    assert!(l.effects.is_empty());

    // Another user's badge: their session starts (the server ended the locked one).
    let req = l.pin("1234");
    let assembler = session_for(user_for(Role::Assembler));
    l.send(ScreenMsg::Db(ServiceReply {
        id: req.id,
        result: Ok(Reply::LoggedIn(assembler.clone())),
    }));
    assert_eq!(l.effects, vec![Effect::SessionStarted(Box::new(assembler))]);

    // The locked user's own badge: the station unlocks and goes on where it was.
    let mut l = Lock::new(Role::QcPerson);
    l.scan("U-TOM");
    let req = l.pin("1234");
    let own = l.session.clone();
    l.send(ScreenMsg::Db(ServiceReply {
        id: req.id,
        result: Ok(Reply::LoggedIn(own)),
    }));
    assert_eq!(l.effects, vec![Effect::Unlocked]);

    // Esc goes back to the password.
    let mut l = Lock::new(Role::QcPerson);
    l.scan("U-TOM");
    l.send(ScreenMsg::Action(Action::Cancel));
    assert!(l.lock.badge_prompt().is_none());
    assert!(l.render(80, 24).contains("Password"));
}

#[test]
fn the_lock_switches_user_through_the_shell() {
    let mut d = logged_in(Role::QcPerson);
    d.ctrl('l');
    d.key(KeyCode::F(2));
    assert!(d.app.session().is_none());
    assert!(d.render(80, 24).contains("Switch user: scan your badge"));
}

fn users_screen() -> Driver {
    let mut d = logged_in(Role::Admin);
    d.open_home_entry("Users");
    let mut list = users();
    list[1].has_badge = true;
    list[4].has_badge = true;
    d.answer(
        |r| matches!(r, Request::ListUsers { .. }),
        Ok(Reply::Users(list)),
    );
    d
}

#[test]
fn the_admin_gives_a_badge_and_pin_after_a_question() {
    let mut d = users_screen();
    snap_both(
        "users",
        "list_badges",
        "User list: the Badge column says who carries one (never a PIN)",
        |w, h| d.render(w, h),
    );
    d.key(KeyCode::Down); // coordinator, who has a badge
    d.key(KeyCode::Down); // procurement, who has none
    d.key(KeyCode::Char('b'));
    d.type_str("u-priya");
    d.key(KeyCode::Tab);
    d.type_str("1234");
    d.key(KeyCode::Tab);
    d.type_str("1243");
    d.key(KeyCode::Enter);
    assert!(d.take(|_| true).is_none());
    snap_both(
        "users",
        "badge_mismatch",
        "Badge dialog: the two PINs differ, both are asked again",
        |w, h| d.render(w, h),
    );
    d.type_str("1234");
    d.key(KeyCode::Tab);
    d.type_str("1234");
    snap(
        "users",
        "badge_form",
        "Badge dialog filled in: code in clear, PINs masked",
        &d.render(80, 24),
    );
    d.key(KeyCode::Enter);
    assert!(d.take(|_| true).is_none(), "asked before anything is sent");
    snap_both(
        "users",
        "badge_confirm",
        "Badge dialog: the change is confirmed with y",
        |w, h| d.render(w, h),
    );
    d.key(KeyCode::Char('n'));
    assert!(
        d.render(80, 24).contains("PIN again"),
        "No goes back to the form"
    );
    d.key(KeyCode::Enter);
    d.key(KeyCode::Char('y'));
    let req = d
        .take(|r| matches!(r, Request::SetBadge { .. }))
        .expect("y sends the badge");
    let Request::SetBadge {
        user_id,
        badge,
        pin,
        ..
    } = &req.kind
    else {
        unreachable!();
    };
    assert_eq!(
        (*user_id, badge.as_str(), pin.as_str()),
        (users()[2].id, "U-PRIYA", "1234")
    );
    let mut saved = users()[2].clone();
    saved.has_badge = true;
    d.reply(&req, Ok(Reply::UserSaved(saved)));
    assert!(
        d.render(80, 24)
            .contains("Badge and PIN set for procurement")
    );
}

#[test]
fn the_admin_takes_a_badge_away_after_a_question() {
    let mut d = users_screen();
    d.key(KeyCode::Char('B'));
    assert!(
        d.render(80, 24).contains("admin has no badge"),
        "no question for a user without a badge"
    );
    d.key(KeyCode::Down);
    d.key(KeyCode::Char('B'));
    snap_both(
        "users",
        "clear_badge_confirm",
        "Clear badge: asked with y/n",
        |w, h| d.render(w, h),
    );
    d.key(KeyCode::Char('y'));
    let req = d
        .take(|r| matches!(r, Request::ClearBadge { .. }))
        .expect("y clears the badge");
    assert!(matches!(&req.kind, Request::ClearBadge { user_id, .. } if *user_id == users()[1].id));
}
