//! The application shell: session, active screen, overlays, and the frame around them.
//!
//! `update` is pure: it reads no clock (time arrives in `Msg::Tick`, `Msg::Key`, `Msg::Paste` and
//! `Msg::Wake`), performs no IO and returns what the runtime should do as a [`Command`]. `view` draws the
//! current state and never panics, at any size; `needs_draw` says whether anything shown changed since
//! (docs/performance.md §2.1).

use crate::domain::scan::{self, Scan, ScanTarget};
use crate::domain::service_order::Cart;
use crate::domain::session::Session;
use crate::error::ServiceError;
use crate::keymap::scan::{ScanDetector, ScanMode};
use crate::keymap::{Action, KeyChord, KeyContext, Keymap};
use crate::msg::{Command, Msg, Reply, Request, RequestId, ServiceReply, ServiceRequest};
use crate::screens::change_password::ChangePasswordScreen;
use crate::screens::lock::{LockOutcome, LockScreen};
use crate::screens::login::LoginScreen;
use crate::screens::{ActiveScreen, Ctx, Effect, IdGen, Screen, ScreenId, ScreenMsg};
use crate::theme::Theme;
use crate::widgets::status_bar::DbStatus;
use crate::widgets::toast::Toast;
use crossterm::event::{Event, KeyEvent, KeyEventKind};
use std::time::{Duration, Instant};

mod clock;
mod live;
mod view;

pub use view::scrub;

/// Said when a badge was scanned where nothing reads it.
const BADGE_UNREAD: &str = "This badge was not used here; log in with your password";
/// Said once when keys typed before the screen had loaded were dropped (docs/architecture.md §3.2).
pub const TYPED_AHEAD: &str = "Keys typed before the screen was ready were ignored";

/// The smallest terminal the layout is designed for.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

/// What the runtime knows at start-up.
#[derive(Debug, Clone)]
pub struct AppInit {
    /// Shown in the status bar.
    pub station: String,
    pub theme: Theme,
    /// The station locks after this long without input; zero disables the idle lock.
    pub idle_lock: Duration,
    /// How often a logged-in station sends `Request::Heartbeat`.
    pub heartbeat: Duration,
    /// A notice for the login screen, e.g. where the demo accounts are after a first start.
    pub banner: Option<String>,
    /// Where the data lives, e.g. `embedded` or a host name.
    pub database: String,
}

enum Overlay {
    /// Lists the bindings of the key stack that was active when it opened.
    Help {
        under: Vec<KeyContext>,
        scroll: u16,
    },
    QuitConfirm,
    /// Logging out or switching user would lose the screen's unsaved input: asked first.
    LeaveConfirm(Leave),
    Lock(LockScreen),
}

/// How a user leaves the station (docs/security.md, Logging out and switching user).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leave {
    /// Ctrl-X or the home menu's "Log out".
    LogOut,
    /// The home menu's "Switch user" or F2 at the lock: the next user scans a badge or logs in.
    SwitchUser,
}

/// What the login screen says after a user left.
pub const LOGGED_OUT: &str = "Logged out.";
pub const SWITCH_USER: &str =
    "Switch user: scan your badge, or log in with your username and password.";

impl Leave {
    fn notice(self) -> &'static str {
        match self {
            Leave::LogOut => LOGGED_OUT,
            Leave::SwitchUser => SWITCH_USER,
        }
    }

    fn question(self) -> &'static str {
        match self {
            Leave::LogOut => "Log out? Unsaved input will be lost.",
            Leave::SwitchUser => "Switch user? Unsaved input will be lost.",
        }
    }
}

/// The station lock among the overlays, when the station is locked.
fn lock_in(overlays: &[Overlay]) -> Option<&LockScreen> {
    overlays.iter().rev().find_map(|o| match o {
        Overlay::Lock(l) => Some(l),
        _ => None,
    })
}

fn lock_in_mut(overlays: &mut [Overlay]) -> Option<&mut LockScreen> {
    overlays.iter_mut().rev().find_map(|o| match o {
        Overlay::Lock(l) => Some(l),
        _ => None,
    })
}

pub struct App {
    station: String,
    theme: Theme,
    idle_lock: Duration,
    heartbeat_every: Duration,
    banner: Option<String>,
    database: String,
    keymap: Keymap,
    ids: IdGen,
    session: Option<Session>,
    /// The service department's cart: kept across screens and the station lock, dropped with the session.
    cart: Cart,
    /// Replies with an id below this belong to an earlier session (or the login itself).
    session_floor: RequestId,
    screen: ActiveScreen,
    /// The screen last navigated to, and (screen, list it was opened from) for `Effect::Back`.
    current: Option<ScreenId>,
    opened_from: Option<(ScreenId, ScreenId)>,
    /// Where the home menu's selected entry leads, so the menu comes back where it was.
    home_cursor: Option<ScreenId>,
    overlays: Vec<Overlay>,
    toast: Option<Toast>,
    db: DbStatus,
    unread: Option<i64>,
    /// A key arrived since the last tick; the tick turns it into `last_input`.
    input_seen: bool,
    last_input: Option<Instant>,
    last_heartbeat: Option<Instant>,
    heartbeat_pending: Option<RequestId>,
    /// Tells scans from typing; holds the keys of a burst that may be a scan (docs/scanning.md §1).
    scans: ScanDetector,
    /// The lookup of a scanned code the shell routes, and the scan (docs/scanning.md §3).
    scan_pending: Option<(RequestId, Scan)>,
    quit: bool,
    /// Keys were dropped because the screen was not ready, and the user has been told.
    typed_ahead: bool,
    /// The terminal no longer shows the state: the next frame must be drawn (docs/performance.md §2.1).
    needs_draw: bool,
    /// The latest time the screen was given (`ScreenMsg::Tick`): a `wake_at` at or before it is served
    /// (docs/performance.md §3.2).
    screen_clock: Option<Instant>,
    /// A key or a paste went to the screen since the last stamp (docs/performance.md §3.3).
    screen_input: bool,
    /// The live-events link is down (docs/live.md §2.3).
    live_paused: bool,
}

impl App {
    pub fn new(init: AppInit) -> App {
        App {
            screen: ActiveScreen::Login(Box::new(LoginScreen::new(init.banner.clone(), None))),
            station: init.station,
            theme: init.theme,
            idle_lock: init.idle_lock,
            heartbeat_every: init.heartbeat,
            banner: init.banner,
            database: init.database,
            keymap: Keymap::default(),
            ids: IdGen::default(),
            session: None,
            cart: Cart::default(),
            session_floor: RequestId::default(),
            current: None,
            opened_from: None,
            home_cursor: None,
            overlays: Vec::new(),
            toast: None,
            db: DbStatus::Ok,
            unread: None,
            input_seen: false,
            last_input: None,
            last_heartbeat: None,
            heartbeat_pending: None,
            scans: ScanDetector::new(),
            scan_pending: None,
            quit: false,
            typed_ahead: false,
            needs_draw: true,
            screen_clock: None,
            screen_input: false,
            live_paused: false,
        }
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }

    pub fn session(&self) -> Option<&Session> {
        self.session.as_ref()
    }

    pub fn keymap(&self) -> &Keymap {
        &self.keymap
    }

    pub fn screen(&self) -> &ActiveScreen {
        &self.screen
    }

    /// The header title: the screen's, or the lock's while locked.
    pub fn title(&self) -> &'static str {
        if self.is_locked() {
            "Station locked"
        } else {
            self.screen.title()
        }
    }

    pub fn is_locked(&self) -> bool {
        lock_in(&self.overlays).is_some()
    }

    pub fn help_open(&self) -> bool {
        matches!(self.overlays.last(), Some(Overlay::Help { .. }))
    }

    pub fn quit_confirm_open(&self) -> bool {
        matches!(self.overlays.last(), Some(Overlay::QuitConfirm))
    }

    pub fn toast(&self) -> Option<&Toast> {
        self.toast.as_ref()
    }

    pub fn unread(&self) -> Option<i64> {
        self.unread
    }

    pub fn db_status(&self) -> DbStatus {
        self.db
    }

    /// The active key contexts, innermost first: what resolves keys, fills the key bar and the help.
    pub fn key_stack(&self) -> Vec<KeyContext> {
        match self.overlays.last() {
            Some(Overlay::Help { .. }) => vec![KeyContext::Help, KeyContext::List],
            Some(Overlay::QuitConfirm | Overlay::LeaveConfirm(_)) => vec![KeyContext::Confirm],
            Some(Overlay::Lock(lock)) => lock.key_contexts(),
            None => {
                let mut stack = self.screen.key_contexts();
                // A question on the screen is modal: only its answers work.
                if stack.first() == Some(&KeyContext::Confirm) {
                    return stack;
                }
                if self.session.is_some() {
                    stack.push(KeyContext::Session);
                }
                stack.push(KeyContext::Global);
                stack
            }
        }
    }

    /// Keys are held: the screen looks as before they came, so nothing needs drawing.
    pub fn is_holding_keys(&self) -> bool {
        self.scans.is_holding()
    }

    pub fn update(&mut self, msg: Msg) -> Command {
        match msg {
            Msg::Key(key, at) => {
                self.needs_draw = true;
                self.screen_input = false;
                let cmd = self.on_timed_key(key, at);
                cmd.and(self.stamp_input(at))
            }
            Msg::Paste(text, at) => {
                self.needs_draw = true;
                self.screen_input = false;
                let keys = self.scans.release();
                let cmd = self.apply_keys(keys).and(self.on_paste(text));
                cmd.and(self.stamp_input(at))
            }
            Msg::Wake(now) => self.on_clock(now, false),
            Msg::Tick(now) => self.on_clock(now, true),
            // A key without its arrival time is applied at once, after any held ones.
            Msg::Term(Event::Key(key)) => {
                self.needs_draw = true;
                let keys = self.scans.release();
                self.apply_keys(keys).and(self.on_key(key))
            }
            Msg::Term(Event::Paste(text)) => {
                self.needs_draw = true;
                let keys = self.scans.release();
                self.apply_keys(keys).and(self.on_paste(text))
            }
            // The next draw adapts to the new size; nothing is kept per size.
            Msg::Term(_) => {
                self.needs_draw = true;
                Command::None
            }
            Msg::Db(reply) => self.on_reply(reply),
            Msg::Live(live) => self.on_live(live),
        }
    }

    /// Where keys go decides which scans count: the station lock reads every code (a badge is used,
    /// the rest discarded) until a badge's PIN is asked for, the PIN and login fields only a badge,
    /// other text fields none.
    fn scan_mode(&self) -> ScanMode {
        if let Some(lock) = lock_in(&self.overlays) {
            return if lock.badge_prompt().is_some() {
                ScanMode::BadgesOnly
            } else {
                ScanMode::All
            };
        }
        if !self.key_stack().contains(&KeyContext::TextInput) {
            ScanMode::All
        } else if matches!(self.screen, ActiveScreen::Login(_)) && self.overlays.is_empty() {
            ScanMode::BadgesOnly
        } else {
            ScanMode::Off
        }
    }

    fn on_timed_key(&mut self, key: KeyEvent, at: Instant) -> Command {
        if key.kind == KeyEventKind::Release {
            return Command::None;
        }
        let mode = self.scan_mode();
        let fed = self.scans.feed(key, at, mode);
        let cmd = self.apply_keys(fed.keys);
        match fed.scan {
            Some(scan) => cmd.and(self.on_scan(scan)),
            None => cmd,
        }
    }

    fn apply_keys(&mut self, keys: Vec<KeyEvent>) -> Command {
        let mut cmd = Command::None;
        for key in keys {
            cmd = cmd.and(self.on_key(key));
        }
        cmd
    }

    /// A scanned code (docs/scanning.md §3): while locked only a badge counts, handed to the lock;
    /// otherwise the screen may use it, and what it leaves the shell routes.
    fn on_scan(&mut self, scan: Scan) -> Command {
        self.input_seen = true;
        if self.is_locked() {
            if scan.is_badge() {
                return self.send_lock_scan(&scan);
            }
            self.toast = Some(Toast::info(scan::LOCKED_MESSAGE));
            return Command::None;
        }
        if !self.overlays.is_empty() {
            self.toast = Some(Toast::info(
                "Close the open window first; the scan was not used",
            ));
            return Command::None;
        }
        if scan.is_badge() && self.session.is_some() {
            // A badge at a station in use switches user through the lock.
            self.lock();
            return self.send_lock_scan(&scan);
        }
        let mut ctx =
            Ctx::new(&mut self.ids, self.session.as_ref(), &self.keymap).with_cart(&self.cart);
        let used = self.screen.on_scan(&scan, &mut ctx);
        let effects = ctx.into_effects();
        if let Some(cmd) = used {
            return cmd.and(self.apply(effects));
        }
        let applied = self.apply(effects);
        applied.and(self.route_scan(scan))
    }

    /// A scan the screen left: a badge nobody read, or a code to look up.
    fn route_scan(&mut self, scan: Scan) -> Command {
        let Some(token) = self.session.as_ref().map(|s| s.token.clone()) else {
            self.toast = Some(Toast::info(if scan.is_badge() {
                BADGE_UNREAD
            } else {
                "Log in first; the scan was not used"
            }));
            return Command::None;
        };
        if self.screen.key_contexts().first() == Some(&KeyContext::Confirm) {
            self.toast = Some(Toast::info(
                "Answer the question on screen first; the scan was not used",
            ));
            return Command::None;
        }
        let id = self.ids.next_id();
        self.scan_pending = Some((id, scan.clone()));
        Command::Db(ServiceRequest {
            id,
            kind: Request::FindScanned { token, scan },
        })
    }

    fn send_lock_scan(&mut self, scan: &Scan) -> Command {
        let Some(lock) = lock_in_mut(&mut self.overlays) else {
            return Command::None;
        };
        let mut ctx =
            Ctx::new(&mut self.ids, self.session.as_ref(), &self.keymap).with_cart(&self.cart);
        let used = lock.on_scan(scan, &mut ctx);
        let effects = ctx.into_effects();
        if used.is_none() {
            self.toast = Some(Toast::info(BADGE_UNREAD));
        }
        used.unwrap_or(Command::None).and(self.apply(effects))
    }

    /// The lookup's answer: open the build, or the item in the inventory, or say what was not found.
    fn on_scan_found(&mut self, scan: Scan, reply: ServiceReply) -> Command {
        match reply.result {
            Ok(Reply::Scanned(Some(ScanTarget::Build(id)))) => {
                self.navigate(ScreenId::OrderDetail(id))
            }
            Ok(Reply::Scanned(Some(ScanTarget::Item(item)))) => {
                let nav = self.navigate(ScreenId::Inventory);
                let mut ctx = Ctx::new(&mut self.ids, self.session.as_ref(), &self.keymap)
                    .with_cart(&self.cart);
                let shown = self
                    .screen
                    .on_scan(&Scan::Item(item), &mut ctx)
                    .unwrap_or(Command::None);
                let effects = ctx.into_effects();
                nav.and(shown).and(self.apply(effects))
            }
            Ok(Reply::Scanned(None)) => {
                self.toast = Some(Toast::error(scan::not_found_message(scan.code())));
                Command::None
            }
            Ok(other) => {
                tracing::warn!(reply = other.name(), "unexpected reply to a scan lookup");
                Command::None
            }
            Err(e) => {
                self.toast = Some(Toast::error(e.user_message()));
                Command::None
            }
        }
    }

    fn on_key(&mut self, key: KeyEvent) -> Command {
        if key.kind == KeyEventKind::Release {
            return Command::None;
        }
        self.input_seen = true;
        let stack = self.key_stack();
        if self.drops_typed_ahead(&stack, key) {
            return Command::None;
        }
        let chord = KeyChord::from_event(key);
        if stack.contains(&KeyContext::TextInput)
            && chord.is_text()
            && let crossterm::event::KeyCode::Char(c) = chord.code
        {
            return self.send_input(ScreenMsg::Char(c));
        }
        match self.keymap.resolve(&stack, key) {
            Some(action) => self.on_action(action),
            None => Command::None,
        }
    }

    /// Type-ahead (docs/architecture.md §3.2): while the screen (or its dialog) has not loaded what its
    /// keys act on, a key is dropped, except leaving, quitting, help and the lock; the first one dropped
    /// is said in a toast.
    fn drops_typed_ahead(&mut self, stack: &[KeyContext], key: KeyEvent) -> bool {
        if !self.overlays.is_empty() || self.screen.accepts_keys() {
            self.typed_ahead = false;
            return false;
        }
        let passes = matches!(
            self.keymap.resolve(stack, key),
            Some(
                Action::Back
                    | Action::Cancel
                    | Action::Close
                    | Action::Quit
                    | Action::Help
                    | Action::Lock
                    | Action::Logout
            )
        );
        if !passes && !self.typed_ahead {
            self.typed_ahead = true;
            self.toast = Some(Toast::error(TYPED_AHEAD));
        }
        !passes
    }

    fn on_paste(&mut self, text: String) -> Command {
        self.input_seen = true;
        if self.overlays.is_empty() && !self.screen.accepts_keys() {
            return Command::None;
        }
        if self.key_stack().contains(&KeyContext::TextInput) {
            self.send_input(ScreenMsg::Paste(text))
        } else {
            Command::None
        }
    }

    /// Text goes to the lock's field when locked, else to the screen's focused field.
    fn send_input(&mut self, msg: ScreenMsg) -> Command {
        if matches!(self.overlays.last(), Some(Overlay::Lock(_))) {
            self.send_lock(msg)
        } else {
            self.send_screen(msg)
        }
    }

    fn on_action(&mut self, action: Action) -> Command {
        match self.overlays.last_mut() {
            Some(Overlay::Help { scroll, .. }) => {
                match action {
                    Action::Close | Action::Help => {
                        self.overlays.pop();
                    }
                    Action::Up => *scroll = scroll.saturating_sub(1),
                    Action::Down => *scroll = scroll.saturating_add(1),
                    Action::PageUp => *scroll = scroll.saturating_sub(10),
                    Action::PageDown => *scroll = scroll.saturating_add(10),
                    Action::First => *scroll = 0,
                    // Clamped to the real maximum when drawn.
                    Action::Last => *scroll = u16::MAX,
                    _ => {}
                }
                Command::None
            }
            Some(Overlay::QuitConfirm) => match action {
                Action::Yes => self.quit_now(),
                Action::No => {
                    self.overlays.pop();
                    Command::None
                }
                _ => Command::None,
            },
            Some(Overlay::LeaveConfirm(leave)) => {
                let leave = *leave;
                match action {
                    Action::Yes => self.leave(leave),
                    Action::No => {
                        self.overlays.pop();
                        Command::None
                    }
                    _ => Command::None,
                }
            }
            Some(Overlay::Lock(_)) => self.send_lock(ScreenMsg::Action(action)),
            None => match action {
                Action::Quit => {
                    if self.screen.has_unsaved_input() {
                        self.overlays.push(Overlay::QuitConfirm);
                        Command::None
                    } else {
                        self.quit_now()
                    }
                }
                Action::Help => {
                    let under = self.key_stack();
                    self.overlays.push(Overlay::Help { under, scroll: 0 });
                    Command::None
                }
                Action::Lock => {
                    self.lock();
                    Command::None
                }
                Action::Logout if self.session.is_some() => self.ask_leave(Leave::LogOut),
                other => self.send_screen(ScreenMsg::Action(other)),
            },
        }
    }

    fn quit_now(&mut self) -> Command {
        self.quit = true;
        match self.session.take() {
            Some(s) => {
                let id = self.ids.next_id();
                Command::Batch(vec![
                    Command::Db(ServiceRequest {
                        id,
                        kind: Request::Logout { token: s.token },
                    }),
                    Command::Quit,
                ])
            }
            None => Command::Quit,
        }
    }

    fn lock(&mut self) {
        if self.is_locked() {
            return;
        }
        if let Some(s) = &self.session {
            let lock = LockScreen::new(&s.user.full_name, &s.user.username);
            self.overlays.push(Overlay::Lock(lock));
        }
    }

    fn on_tick(&mut self, now: Instant) -> Command {
        if let Some(t) = &mut self.toast
            && !t.tick(now)
        {
            self.toast = None;
        }
        if self.input_seen || self.last_input.is_none() {
            self.last_input = Some(now);
            self.input_seen = false;
        }
        let mut cmd = Command::None;
        if let Some(token) = self.session.as_ref().map(|s| s.token.clone()) {
            let idle = self
                .last_input
                .map_or(Duration::ZERO, |t| now.saturating_duration_since(t));
            if !self.idle_lock.is_zero() && idle >= self.idle_lock {
                self.lock();
            }
            let last = *self.last_heartbeat.get_or_insert(now);
            if now.saturating_duration_since(last) >= self.heartbeat_every {
                self.last_heartbeat = Some(now);
                cmd = self.heartbeat(token);
            }
        }
        cmd
    }

    fn on_reply(&mut self, reply: ServiceReply) -> Command {
        let before = self.shell_shown();
        let heartbeat = self.heartbeat_pending == Some(reply.id);
        let cmd = self.on_reply_inner(reply);
        // Every reply is drawn, except a heartbeat that changed nothing shown (docs/performance.md §2.1).
        if !heartbeat || self.shell_shown() != before {
            self.needs_draw = true;
        }
        cmd
    }

    fn on_reply_inner(&mut self, reply: ServiceReply) -> Command {
        self.db = match &reply.result {
            Err(ServiceError::Unavailable(_)) => DbStatus::Offline,
            // Until the next answer of any kind (README, `database.request_timeout_seconds`).
            Err(ServiceError::NotAnswering) => DbStatus::NotAnswering,
            _ => DbStatus::Ok,
        };
        if let Err(ServiceError::SessionEnded(msg)) = &reply.result
            && self.session.is_some()
            && reply.id >= self.session_floor
        {
            let msg = msg.clone();
            self.end_session(Some(msg));
            return Command::None;
        }
        if let Some((id, scan)) = self.scan_pending.take() {
            if id == reply.id {
                return self.on_scan_found(scan, reply);
            }
            self.scan_pending = Some((id, scan));
        }
        if self.heartbeat_pending == Some(reply.id) {
            self.heartbeat_pending = None;
            if let Ok(Reply::Heartbeat(info)) = &reply.result {
                self.unread = Some(info.unread_notifications);
            }
            return Command::None;
        }
        let for_lock = lock_in(&self.overlays).is_some_and(|l| l.pending() == Some(reply.id));
        if for_lock {
            self.send_lock(ScreenMsg::Db(reply))
        } else {
            self.send_screen(ScreenMsg::Db(reply))
        }
    }

    fn send_screen(&mut self, msg: ScreenMsg) -> Command {
        if matches!(
            msg,
            ScreenMsg::Char(_) | ScreenMsg::Paste(_) | ScreenMsg::Action(_)
        ) {
            self.screen_input = true;
        }
        let mut ctx =
            Ctx::new(&mut self.ids, self.session.as_ref(), &self.keymap).with_cart(&self.cart);
        let cmd = self.screen.update(msg, &mut ctx);
        let effects = ctx.into_effects();
        cmd.and(self.apply(effects))
    }

    fn send_lock(&mut self, msg: ScreenMsg) -> Command {
        let Some(lock) = lock_in_mut(&mut self.overlays) else {
            return Command::None;
        };
        let mut ctx =
            Ctx::new(&mut self.ids, self.session.as_ref(), &self.keymap).with_cart(&self.cart);
        let (cmd, outcome) = lock.update(msg, &mut ctx);
        let effects = ctx.into_effects();
        let cmd = cmd.and(self.apply(effects));
        match outcome {
            LockOutcome::Stay => cmd,
            LockOutcome::SwitchUser => cmd.and(self.leave(Leave::SwitchUser)),
        }
    }

    fn apply(&mut self, effects: Vec<Effect>) -> Command {
        if !effects.is_empty() {
            self.needs_draw = true;
        }
        let mut cmd = Command::None;
        for effect in effects {
            let next = match effect {
                Effect::Navigate(id) => self.navigate(id),
                Effect::Back(default) => {
                    let target = match self.opened_from {
                        Some((screen, from)) if Some(screen) == self.current => from,
                        _ => default,
                    };
                    self.navigate(target)
                }
                Effect::Toast(t) => {
                    self.toast = Some(t);
                    Command::None
                }
                Effect::SessionStarted(session) => self.start_session(*session),
                Effect::Logout => self.leave(Leave::LogOut),
                Effect::PasswordChanged => {
                    if let Some(s) = &mut self.session {
                        s.user.must_change_password = false;
                    }
                    Command::None
                }
                Effect::Unread(n) => {
                    self.unread = Some(n);
                    Command::None
                }
                Effect::Unlocked => {
                    self.overlays.retain(|o| !matches!(o, Overlay::Lock(_)));
                    Command::None
                }
                Effect::Cart(cart) => {
                    self.cart = cart;
                    Command::None
                }
            };
            cmd = cmd.and(next);
        }
        cmd
    }

    fn navigate(&mut self, id: ScreenId) -> Command {
        match id {
            ScreenId::LogOut => return self.ask_leave(Leave::LogOut),
            ScreenId::SwitchUser => return self.ask_leave(Leave::SwitchUser),
            _ => {}
        }
        // The forced password change comes first: no other screen until it is done.
        if self
            .session
            .as_ref()
            .is_some_and(|s| s.user.must_change_password)
        {
            self.screen = ActiveScreen::ChangePassword(Box::new(ChangePasswordScreen::new(true)));
            return Command::None;
        }
        if let Some(from) = self.current.replace(id)
            && from != id
            && from.is_return_point()
        {
            self.opened_from = Some((id, from));
        }
        if let ActiveScreen::Home(home) = &self.screen {
            self.home_cursor = home.selected_target();
        }
        let mut ctx =
            Ctx::new(&mut self.ids, self.session.as_ref(), &self.keymap).with_cart(&self.cart);
        let (screen, cmd) = ActiveScreen::open(id, &mut ctx);
        let effects = ctx.into_effects();
        self.screen = screen;
        if let (ActiveScreen::Home(home), Some(target)) = (&mut self.screen, self.home_cursor) {
            home.select_target(target);
        }
        cmd.and(self.apply(effects))
    }

    fn start_session(&mut self, session: Session) -> Command {
        self.session_floor = self.ids.peek();
        let token = session.token.clone();
        self.session = Some(session);
        self.cart = Cart::default();
        self.current = None;
        self.opened_from = None;
        self.home_cursor = None;
        self.overlays.clear();
        self.toast = None;
        self.unread = None;
        self.input_seen = false;
        self.last_input = None;
        self.last_heartbeat = None;
        self.scan_pending = None;
        let nav = self.navigate(ScreenId::Home);
        // An immediate heartbeat fills the unread count in the status bar.
        nav.and(self.heartbeat(token))
    }

    /// The session heartbeat, whose answer also carries the unread count.
    fn heartbeat(&mut self, token: String) -> Command {
        let id = self.ids.next_id();
        self.heartbeat_pending = Some(id);
        Command::Db(ServiceRequest {
            id,
            kind: Request::Heartbeat { token },
        })
    }

    /// Leaves at once, or first asks when the screen holds unsaved input.
    fn ask_leave(&mut self, leave: Leave) -> Command {
        if self.screen.has_unsaved_input() {
            self.overlays.push(Overlay::LeaveConfirm(leave));
            Command::None
        } else {
            self.leave(leave)
        }
    }

    /// Ends the session on request (log out, switch user, leaving the forced password change) and
    /// shows the login screen with what happened.
    fn leave(&mut self, leave: Leave) -> Command {
        let token = self.session.as_ref().map(|s| s.token.clone());
        self.end_session(Some(leave.notice().to_string()));
        match token {
            Some(token) => {
                let id = self.ids.next_id();
                Command::Db(ServiceRequest {
                    id,
                    kind: Request::Logout { token },
                })
            }
            None => Command::None,
        }
    }

    /// Drops everything the session held and shows the login screen with `notice`.
    fn end_session(&mut self, notice: Option<String>) {
        let notice = notice.map(|n| {
            if n.trim().is_empty() {
                "Your session has ended. Please log in again.".to_string()
            } else {
                n
            }
        });
        self.session = None;
        self.cart = Cart::default();
        self.overlays.clear();
        self.toast = None;
        self.unread = None;
        self.heartbeat_pending = None;
        self.last_heartbeat = None;
        self.scan_pending = None;
        self.screen = ActiveScreen::Login(Box::new(LoginScreen::new(self.banner.clone(), notice)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;

    #[test]
    fn scrub_empties_symbols_of_forbidden_characters() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 4, 1));
        buf[(0, 0)].set_symbol("a\u{202E}\u{200B}");
        buf[(1, 0)].set_symbol("\u{FEFF}");
        buf[(2, 0)].set_symbol("é");
        buf[(3, 0)].set_symbol("\u{1b}");
        scrub(&mut buf);
        let symbols: Vec<&str> = buf.content.iter().map(|c| c.symbol()).collect();
        assert_eq!(symbols, vec!["a", " ", "é", " "]);
    }
}
