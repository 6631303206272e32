//! Shared by the screen and app tests: fixtures, a scripted driver for `App`, and a text render that
//! keeps the styles (TestBackend snapshots drop colour, so the runs are listed under the text).

use chrono::{NaiveDate, NaiveDateTime};
use cleanstation::app::{App, AppInit};
use cleanstation::domain::Role;
use cleanstation::domain::checklist::{Item, parse_checklists};
use cleanstation::domain::notification::{Notification, Related};
use cleanstation::domain::order::{BuildConfig, DocumentLanguage, OrderHeader, OrderStatus};
use cleanstation::domain::order_view::OrderDetail;
use cleanstation::domain::qc::QcItemDef;
use cleanstation::domain::session::Session;
use cleanstation::domain::user::UserSummary;
use cleanstation::error::ServiceError;
use cleanstation::keymap::Keymap;
use cleanstation::msg::{
    Command, HeartbeatInfo, Msg, Reply, Request, ServiceReply, ServiceRequest,
};
use cleanstation::reference::CHECKLISTS_TOML;
use cleanstation::screens::{
    ActiveScreen, Ctx, Effect, IdGen, Screen, ScreenId, ScreenMsg, home_entries,
};
use cleanstation::theme::Theme;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use std::time::{Duration, Instant};
use uuid::Uuid;

/// Asserts `text` against the golden `screens/<screen>/<state>.snap` at the repo root, with the
/// description in its header. The path is absolute, so it does not depend on where the calling test
/// file sits; a macro so that insta records the calling test file as the snapshot's source.
macro_rules! snap_in {
    ($screen:expr, $state:expr, $description:expr, $text:expr) => {
        insta::with_settings!({
            snapshot_path => format!("{}/screens/{}", env!("CARGO_MANIFEST_DIR"), $screen),
            prepend_module_to_snapshot => false,
            omit_expression => true,
            description => $description,
        }, {
            insta::assert_snapshot!($state.to_string(), $text);
        })
    };
}
pub(crate) use snap_in;

pub const IDLE_LOCK: Duration = Duration::from_secs(15 * 60);
pub const HEARTBEAT: Duration = Duration::from_secs(30);

pub fn at(day: u32, h: u32, m: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2025, 3, day)
        .and_then(|d| d.and_hms_opt(h, m, 0))
        .expect("valid fixture date")
}

fn uid(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

pub fn user(n: u128, username: &str, full_name: &str, initials: &str, role: Role) -> UserSummary {
    UserSummary {
        id: uid(n),
        username: username.into(),
        full_name: full_name.into(),
        initials: initials.into(),
        role,
        is_active: true,
        last_login_at: Some(at(14, 7, u32::try_from(n % 60).unwrap_or(0))),
        must_change_password: false,
        has_badge: false,
    }
}

/// The people of the fixture plant, one per role plus an inactive and a new account.
pub fn users() -> Vec<UserSummary> {
    let mut v = vec![
        user(1, "admin", "Ada Lindqvist", "AL", Role::Admin),
        user(
            2,
            "coordinator",
            "Carla Mendes",
            "CM",
            Role::ProductionCoordinator,
        ),
        user(
            3,
            "procurement",
            "Priya Natarajan",
            "PN",
            Role::ProcurementSpecialist,
        ),
        user(4, "qc.inspector", "Quentin Okafor", "QO", Role::QcPerson),
        user(5, "assembler1", "Sam Brennan", "SB", Role::Assembler),
        user(6, "service", "Sofia Russo", "SR", Role::ServiceDepartment),
        user(7, "assembler2", "Tomasz Wójcik", "TW", Role::Assembler),
        user(8, "new.hire", "Nora Hale", "NH", Role::Assembler),
    ];
    v[6].is_active = false;
    v[7].last_login_at = None;
    v[7].must_change_password = true;
    v
}

pub fn user_for(role: Role) -> UserSummary {
    users()
        .into_iter()
        .find(|u| u.role == role)
        .expect("a fixture user for every role")
}

pub fn session_for(user: UserSummary) -> Session {
    Session {
        token: format!("token-{}", user.username),
        user,
        expires_at: at(14, 17, 0),
    }
}

pub fn notifications() -> Vec<Notification> {
    let n = |i: u128, title: &str, message: &str, kind: &str, read: bool, day, h, m| Notification {
        id: uid(100 + i),
        title: title.into(),
        message: message.into(),
        kind: kind.into(),
        is_read: read,
        created_at: at(day, h, m),
        related: None,
        priority: Default::default(),
    };
    vec![
        n(
            1,
            "Build 24-0117 ready for Final QC",
            "Assembly and testing are complete; the build waits in the Final QC queue.",
            "ORDER_STATUS_CHANGE",
            false,
            14,
            9,
            12,
        ),
        n(
            2,
            "Assigned to you: build 24-0121",
            "Carla Mendes assigned build 24-0121 (PO 4500012) to you.",
            "ASSIGNMENT",
            false,
            14,
            8,
            47,
        ),
        n(
            3,
            "BOM approved for PO 4500012",
            "Priya Natarajan approved the bill of materials; parts are being picked.",
            "ORDER_STATUS_CHANGE",
            true,
            13,
            16,
            5,
        ),
        n(
            4,
            "Password changed",
            "Your password was changed at station ST-04.",
            "SYSTEM",
            true,
            12,
            7,
            58,
        ),
    ]
}

/// One unread notification, linked to the build `order`, as the fixtures' users receive it.
pub fn notification_about_build(
    order: Uuid,
    kind: &str,
    title: &str,
    message: &str,
    created_at: NaiveDateTime,
) -> Notification {
    Notification {
        id: uid(0x0900),
        title: title.into(),
        message: message.into(),
        kind: kind.into(),
        is_read: false,
        created_at,
        related: Some(Related::Build(order)),
        priority: Default::default(),
    }
}

/// The floor screens' two-basin T2-B2 (an E-Sink with light and P-trap, an E-Drain, height-adjustable
/// legs on casters, one wrist-blade faucet between the basins, no pegboard), with the top-level fields
/// of `changes` put over it.
pub fn t2_b2_build(changes: serde_json::Value) -> BuildConfig {
    let mut build = serde_json::json!({
        "buildNumber": "EX-2", "sinkFamily": "MDRD", "sinkModel": "T2-B2", "sinkWidth": 30, "sinkLength": 72,
        "legsType": "HEIGHT_ADJUSTABLE", "legsModel": "DL27", "feetType": "LOCK_LEVELING_CASTERS",
        "hasPegboard": false,
        "basins": [
            {"basinIndex": 1, "basinType": "E_SINK", "basinWidth": 24, "basinLength": 20, "basinDepth": 10,
             "hasBasinLight": true, "hasPTrapDrain": true},
            {"basinIndex": 2, "basinType": "E_DRAIN", "basinWidth": 24, "basinLength": 20, "basinDepth": 10}],
        "faucets": [{"faucetType": "WRIST_BLADE_SWING_SPOUT", "quantity": 1, "placement": "BETWEEN_BASINS"}],
        "accessories": []
    });
    if let (Some(fields), serde_json::Value::Object(over)) = (build.as_object_mut(), changes) {
        fields.extend(over);
    }
    serde_json::from_value(build).expect("valid build")
}

/// The items of the shipped checklist template `key`, as written.
pub fn template_items(key: &str) -> Vec<Item> {
    parse_checklists(CHECKLISTS_TOML)
        .expect("shipped checklists parse")
        .templates
        .into_iter()
        .find(|t| t.key == key)
        .map(|t| t.items)
        .expect("the template ships")
}

/// A template item as the database layer makes it, with the fixture id `n`.
pub fn item_def(n: u128, item: &Item) -> QcItemDef {
    QcItemDef::from_row(
        uid(0xF000 + n),
        item.section.clone(),
        item.description.clone(),
        item.check_type,
        item.basin_specific,
        item.required,
        item.notes_prompt,
        item.sequence,
        Some(&item.rules_json()),
    )
}

/// A build's detail as the floor screens receive it: Lakeview Surgical Center's PO `po_number`,
/// wanted on 2 April, created on 3 March, unassigned, with no BOM, history or actions.
pub fn floor_order_detail(
    id: Uuid,
    po_number: &str,
    build: BuildConfig,
    status: OrderStatus,
    updated_at: NaiveDateTime,
) -> OrderDetail {
    OrderDetail {
        id,
        header: OrderHeader {
            po_number: po_number.into(),
            customer_name: "Lakeview Surgical Center".into(),
            project_name: None,
            sales_person: "Daniel Whitaker".into(),
            want_date: NaiveDate::from_ymd_opt(2025, 4, 2).expect("valid date"),
            order_language: DocumentLanguage::En,
            notes: None,
        },
        build,
        status,
        assignee: None,
        bom: None,
        floor: None,
        history: Vec::new(),
        nonconformances: Vec::new(),
        actions: Vec::new(),
        created_at: at(3, 9, 0),
        updated_at,
        documents: Default::default(),
        hold: None,
        hold_minutes: 0,
    }
}

/// Logs in as `role` and opens `detail` the way a user does: Notifications from the home menu, answered
/// with `notifications` (the first is about the build), then Enter on it. The mark-read and the detail
/// requests are answered; the build's detail is on screen.
pub fn open_build_via_notification(
    theme: Theme,
    role: Role,
    notifications: Vec<Notification>,
    detail: OrderDetail,
) -> Driver {
    let mut d = Driver::new(init(theme));
    d.login(user_for(role));
    d.open_notifications(notifications);
    d.key(KeyCode::Enter);
    assert!(matches!(d.app.screen(), ActiveScreen::OrderDetail(_)));
    // The mark-read reply reaches the detail, which is not waiting for it.
    assert!(d.answer(
        |r| matches!(r, Request::MarkNotificationsRead { .. }),
        Ok(Reply::Done),
    ));
    let id = detail.id;
    assert!(d.answer(
        |r| matches!(r, Request::OrderDetail { order_id, .. } if *order_id == id),
        Ok(Reply::Order(Box::new(detail))),
    ));
    d
}

pub fn init(theme: Theme) -> AppInit {
    AppInit {
        station: "ST-04 Assembly".into(),
        theme,
        idle_lock: IDLE_LOCK,
        heartbeat: HEARTBEAT,
        banner: None,
        database: "db.plant.local".into(),
    }
}

/// Every database request inside `cmd`, in order.
pub fn requests(cmd: &Command) -> Vec<ServiceRequest> {
    match cmd {
        Command::Db(r) => vec![r.clone()],
        Command::Batch(cs) => cs.iter().flat_map(requests).collect(),
        Command::None | Command::Quit => Vec::new(),
    }
}

pub fn has_quit(cmd: &Command) -> bool {
    match cmd {
        Command::Quit => true,
        Command::Batch(cs) => cs.iter().any(has_quit),
        Command::None | Command::Db(_) => false,
    }
}

/// Drives an `App` with scripted input and fake replies; time moves only when the test says so.
pub struct Driver {
    pub app: App,
    pub now: Instant,
    /// Requests sent and not yet answered by the test.
    pub sent: Vec<ServiceRequest>,
}

/// The plant's zone the goldens show local times in, as a connected station would learn it from the
/// database (docs/lifecycle.md §6.9).
pub fn plant_zone() {
    cleanstation::domain::clock::set_plant_zone("CET");
}

impl Driver {
    pub fn new(init: AppInit) -> Driver {
        plant_zone();
        Driver {
            app: App::new(init),
            now: Instant::now(),
            sent: Vec::new(),
        }
    }

    pub fn send(&mut self, msg: Msg) -> Command {
        let cmd = self.app.update(msg);
        self.sent.extend(requests(&cmd));
        cmd
    }

    /// A key as a person presses it: stamped with the driver's time and applied at once (a key the
    /// shell holds as a possible scan is released by the wake-up the runtime would send).
    pub fn key_event(&mut self, key: KeyEvent) -> Command {
        let cmd = self.send(Msg::Key(key, self.now));
        match self.app.next_deadline() {
            Some(deadline) if self.app.is_holding_keys() => cmd.and(self.send(Msg::Wake(deadline))),
            _ => cmd,
        }
    }

    /// `text` and Enter as a keyboard-wedge scanner sends them: one burst, a millisecond apart,
    /// after a quiet second. Returns the commands of the whole burst.
    pub fn scan(&mut self, text: &str) -> Command {
        self.now += Duration::from_secs(1);
        let mut cmd = Command::None;
        let keys = text
            .chars()
            .map(|c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
            .chain([KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)]);
        for key in keys {
            self.now += Duration::from_millis(1);
            cmd = cmd.and(self.send(Msg::Key(key, self.now)));
        }
        self.now += Duration::from_secs(1);
        if let Some(deadline) = self.app.next_deadline()
            && self.app.is_holding_keys()
        {
            cmd = cmd.and(self.send(Msg::Wake(deadline)));
        }
        cmd
    }

    pub fn key(&mut self, code: KeyCode) -> Command {
        self.key_event(KeyEvent::new(code, KeyModifiers::NONE))
    }

    pub fn ctrl(&mut self, c: char) -> Command {
        self.key_event(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
    }

    pub fn type_str(&mut self, text: &str) {
        for c in text.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    pub fn tick(&mut self, after: Duration) -> Command {
        self.now += after;
        self.send(Msg::Tick(self.now))
    }

    /// Removes and returns the oldest unanswered request matching `pred`.
    pub fn take(&mut self, pred: impl Fn(&Request) -> bool) -> Option<ServiceRequest> {
        let i = self.sent.iter().position(|r| pred(&r.kind))?;
        Some(self.sent.remove(i))
    }

    pub fn reply(&mut self, req: &ServiceRequest, result: Result<Reply, ServiceError>) -> Command {
        self.send(Msg::Db(ServiceReply { id: req.id, result }))
    }

    /// Answers the oldest unanswered request matching `pred`; false when there is none.
    pub fn answer(
        &mut self,
        pred: impl Fn(&Request) -> bool,
        result: Result<Reply, ServiceError>,
    ) -> bool {
        match self.take(pred) {
            Some(req) => {
                self.reply(&req, result);
                true
            }
            None => false,
        }
    }

    /// Opens a home-menu entry by its label, wherever the logged-in role's menu puts it.
    pub fn open_home_entry(&mut self, label: &str) {
        let role = self.app.session().map(|s| s.user.role).expect("logged in");
        let index = cleanstation::screens::home_entries(role)
            .iter()
            .position(|e| e.label == label)
            .unwrap_or_else(|| panic!("{label} is not on the {role} home menu"));
        // The menu keeps its cursor across screens: start from the top.
        self.key(KeyCode::Home);
        for _ in 0..index {
            self.key(KeyCode::Down);
        }
        self.key(KeyCode::Enter);
    }

    /// From home to the notifications screen, whatever the logged-in role's menu holds; the list's
    /// request is answered with `list`.
    pub fn open_notifications(&mut self, list: Vec<Notification>) {
        let role = self.app.session().map(|s| s.user.role).expect("logged in");
        let pos = home_entries(role)
            .iter()
            .position(|e| e.target == ScreenId::Notifications)
            .expect("every role has notifications");
        for _ in 0..pos {
            self.key(KeyCode::Down);
        }
        self.key(KeyCode::Enter);
        assert!(self.answer(
            |r| matches!(r, Request::Notifications { .. }),
            Ok(Reply::Notifications(list)),
        ));
    }

    /// Types the credentials and submits; returns the login request.
    pub fn submit_login(&mut self, username: &str, password: &str) -> ServiceRequest {
        self.type_str(username);
        self.key(KeyCode::Tab);
        self.type_str(password);
        self.key(KeyCode::Enter);
        self.take(|r| matches!(r, Request::Login { .. }))
            .expect("Enter on the password sends a login request")
    }

    /// Logs `user` in and answers the first heartbeat.
    pub fn login(&mut self, user: UserSummary) {
        let req = self.submit_login(&user.username.clone(), "correct-horse-battery");
        self.reply(&req, Ok(Reply::LoggedIn(session_for(user))));
        self.answer(
            |r| matches!(r, Request::Heartbeat { .. }),
            Ok(Reply::Heartbeat(HeartbeatInfo {
                unread_notifications: 2,
            })),
        );
    }

    pub fn render(&mut self, width: u16, height: u16) -> String {
        render(&mut self.app, width, height)
    }

    /// Draws into one terminal resized from 1×1 to 120×40 (every width up to 40, then every third,
    /// and the 80 and 120 columns of the standard 80×24 and 120×40 terminals): no layout may panic.
    pub fn draw_every_size(&mut self) {
        let mut terminal = Terminal::new(TestBackend::new(1, 1)).expect("test backend");
        for w in (1..=40).chain((43..=120).step_by(3)).chain([80, 120]) {
            for h in 1..=40 {
                terminal.backend_mut().resize(w, h);
                terminal.draw(|f| self.app.view(f)).expect("draw");
            }
        }
    }
}

/// Drives one screen without the App, as the shell would: a session of the fixture user of a role and
/// the real keymap; the requests it sends and the effects it asks for are kept for the test. How keys
/// reach the screen and how it is drawn are the screen's test module's own (`impl ScreenDriver<S>`).
pub struct ScreenDriver<S> {
    pub ids: IdGen,
    pub keymap: Keymap,
    pub session: Session,
    pub screen: S,
    /// Requests sent and not yet answered by the test.
    pub sent: Vec<ServiceRequest>,
    /// Every effect the screen asked for, oldest first.
    pub effects: Vec<Effect>,
    pub theme: Theme,
}

impl<S: Screen> ScreenDriver<S> {
    /// The screen as `open` makes it for the fixture user of `role`, drawn in the ANSI theme.
    pub fn open(role: Role, open: impl FnOnce(&mut Ctx) -> (S, Command)) -> ScreenDriver<S> {
        plant_zone();
        let mut ids = IdGen::default();
        let keymap = Keymap::default();
        let session = session_for(user_for(role));
        let mut ctx = Ctx::new(&mut ids, Some(&session), &keymap);
        let (screen, cmd) = open(&mut ctx);
        let effects = ctx.into_effects();
        ScreenDriver {
            ids,
            keymap,
            session,
            screen,
            sent: requests(&cmd),
            effects,
            theme: Theme::ansi(),
        }
    }

    pub fn send(&mut self, msg: ScreenMsg) {
        let mut ctx = Ctx::new(&mut self.ids, Some(&self.session), &self.keymap);
        let cmd = self.screen.update(msg, &mut ctx);
        self.effects.extend(ctx.into_effects());
        self.sent.extend(requests(&cmd));
    }

    /// Removes and returns the oldest unanswered request matching `pred`.
    pub fn take(&mut self, pred: impl Fn(&Request) -> bool) -> Option<ServiceRequest> {
        let i = self.sent.iter().position(|r| pred(&r.kind))?;
        Some(self.sent.remove(i))
    }

    pub fn reply(&mut self, req: &ServiceRequest, result: Result<Reply, ServiceError>) {
        self.send(ScreenMsg::Db(ServiceReply { id: req.id, result }));
    }
}

pub fn draw(app: &mut App, width: u16, height: u16) -> Buffer {
    plant_zone();
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test backend");
    terminal.draw(|f| app.view(f)).expect("draw");
    terminal.backend().buffer().clone()
}

/// The screen as text, followed by the styled runs: `row R col A-B fg=.. bg=.. +MOD`.
pub fn render(app: &mut App, width: u16, height: u16) -> String {
    text_with_styles(&draw(app, width, height))
}

fn colour(c: Color) -> Option<String> {
    (c != Color::Reset).then(|| format!("{c:?}"))
}

fn style_key(cell: &ratatui::buffer::Cell) -> String {
    let mut parts = Vec::new();
    if let Some(fg) = colour(cell.fg) {
        parts.push(format!("fg={fg}"));
    }
    if let Some(bg) = colour(cell.bg) {
        parts.push(format!("bg={bg}"));
    }
    if cell.modifier != Modifier::empty() {
        parts.push(format!(
            "+{}",
            format!("{:?}", cell.modifier).replace(" | ", "+")
        ));
    }
    parts.join(" ")
}

pub fn text_with_styles(buf: &Buffer) -> String {
    let area = buf.area;
    let mut text = String::new();
    let mut runs = Vec::new();
    for y in area.top()..area.bottom() {
        let mut line = String::new();
        let mut run: Option<(u16, u16, String)> = None;
        for x in area.left()..area.right() {
            let Some(cell) = buf.cell((x, y)) else {
                continue;
            };
            line.push_str(cell.symbol());
            let key = style_key(cell);
            match &mut run {
                Some((_, end, k)) if *k == key => *end = x,
                _ => {
                    if let Some((a, b, k)) = run.take()
                        && !k.is_empty()
                    {
                        runs.push(format!("row {y:>2} col {a:>2}-{b:<2} {k}"));
                    }
                    run = Some((x, x, key));
                }
            }
        }
        if let Some((a, b, k)) = run
            && !k.is_empty()
        {
            runs.push(format!("row {y:>2} col {a:>2}-{b:<2} {k}"));
        }
        text.push_str(line.trim_end());
        text.push('\n');
    }
    text.push_str("--- styles ---\n");
    for r in runs {
        text.push_str(&r);
        text.push('\n');
    }
    text
}

/// The two terminals every screen is checked at: the smallest supported and a common larger one.
pub const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

/// Snaps the App's screen as it is now at 80x24 and at 120x40, into
/// `screens/<screen>/<state>_80x24.snap` and `<state>_120x40.snap`, after checking the key bar at
/// 80x24 ([`check_key_bar`]). One line per state: `snap_sizes!(d, "qc_checklist", "midway", "…")`.
macro_rules! snap_sizes {
    ($driver:expr, $screen:expr, $state:expr, $description:expr) => {{
        let d: &mut $crate::harness::Driver = &mut $driver;
        $crate::harness::check_key_bar(d, $screen, $state);
        for (w, h) in $crate::harness::SIZES {
            let text = d.render(w, h);
            $crate::harness::snap_in!($screen, format!("{}_{w}x{h}", $state), $description, &text);
        }
    }};
}
pub(crate) use snap_sizes;

/// At 80x24 the key bar line shows every primary and every back/cancel key of the screen's bar and the
/// help key, and each item in it is whole: `keys label`, with the action's full or short label.
pub fn check_key_bar(d: &mut Driver, screen: &str, state: &str) {
    let (w, h) = SIZES[0];
    let buf = draw(&mut d.app, w, h);
    let line: String = (0..w)
        .filter_map(|x| buf.cell((x, h - 1)).map(|c| c.symbol().to_string()))
        .collect();
    let line = line.trim();
    let items = d.app.keymap().key_bar(&d.app.key_stack());
    let whole = |text: &str, item: &cleanstation::keymap::HelpLine| {
        let keys = item.bar_keys();
        text == format!("{keys} {}", item.action.describe())
            || text == format!("{keys} {}", item.action.short())
    };
    let shown: Vec<&str> = line.split("  ").filter(|s| !s.is_empty()).collect();
    for text in &shown {
        assert!(
            items.iter().any(|i| whole(text, i)),
            "{screen}/{state}: key bar item {text:?} is cut or unknown in {line:?}"
        );
    }
    for item in items
        .iter()
        .filter(|i| i.action.priority() >= cleanstation::keymap::Priority::Help)
    {
        assert!(
            shown.iter().any(|t| whole(t, item)),
            "{screen}/{state}: {:?} ({}) missing from the 80x24 key bar {line:?}",
            item.action,
            item.bar_keys()
        );
    }
}
