//! The screens: a closed enum, each with a pure `update` and a `view`.
//!
//! Screens never perform IO. They return a [`Command`] for the runtime, and report what the shell
//! must do (navigate, toast, start or end the session) as [`Effect`]s through the [`Ctx`] they are given.

pub mod audit_trail;
pub mod bom_viewer;
pub mod change_password;
pub mod comments;
pub mod documents;
pub mod hold_dialog;
pub mod home;
pub mod inventory;
pub mod list_window;
pub mod live_load;
pub mod live_reads;
pub mod lock;
pub mod login;
pub mod my_service_orders;
pub mod nonconformance;
pub mod notifications;
pub mod order_desk;
pub mod order_detail;
pub mod order_queue;
pub mod order_wizard;
pub mod packaging;
pub mod pending;
pub mod pin_prompt;
pub mod qc_checklist;
pub mod qc_history;
pub mod question;
pub mod rejection_reasons;
pub mod reports;
pub mod selection;
pub mod service_cart;
pub mod service_catalog;
pub mod service_order;
pub mod service_queue;
pub mod settings;
pub mod shortage;
pub mod task_runner;
pub mod templates;
pub mod testing_form;
#[cfg(test)]
pub(crate) mod testkit;
pub mod users;
pub mod work_instructions;

use crate::domain::Role;
use crate::domain::live::LiveEvent;
use crate::domain::scan::Scan;
use crate::domain::service_order::Cart;
use crate::domain::session::Session;
use crate::keymap::{Action, KeyContext, Keymap};
use crate::msg::{Command, Request, RequestId, ServiceReply, ServiceRequest};
use crate::theme::Theme;
use crate::widgets::form_field::Form;
use crate::widgets::toast::Toast;
use ratatui::Frame;
use ratatui::layout::Rect;
use std::time::Instant;

/// Hands out request ids; ids only grow, so an id tells which session it was issued under.
#[derive(Debug, Clone, Default)]
pub struct IdGen {
    last: u64,
}

impl IdGen {
    pub fn next_id(&mut self) -> RequestId {
        self.last += 1;
        RequestId(self.last)
    }

    /// The id the next call to `next_id` returns.
    pub fn peek(&self) -> RequestId {
        RequestId(self.last + 1)
    }
}

/// What a screen is told.
#[derive(Debug, Clone, PartialEq)]
pub enum ScreenMsg {
    Action(Action),
    /// A printable key for the focused text field.
    Char(char),
    /// Pasted text for the focused text field.
    Paste(String),
    Db(ServiceReply),
    Tick(Instant),
    /// Another station's commit, or a re-sync after the live link was down (docs/live.md §3).
    Live(LiveEvent),
}

/// What a screen asks the shell to do besides IO.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Navigate(ScreenId),
    /// Back to the list this screen was opened from (the order desk, the notifications, …), or to
    /// the given screen when it was not opened from one.
    Back(ScreenId),
    Toast(Toast),
    SessionStarted(Box<Session>),
    /// Leave the session: the shell sends the logout and shows the login screen.
    Logout,
    /// The user changed their password; the forced change is done.
    PasswordChanged,
    /// The screen knows the exact unread count (it just loaded or marked notifications).
    Unread(i64),
    /// The lock screen accepted the password.
    Unlocked,
    /// The service cart changed; the shell keeps it for the session (a station lock keeps it too).
    Cart(Cart),
}

/// What a screen's `update` may use: request ids, the session, and an outbox for effects.
pub struct Ctx<'a> {
    ids: &'a mut IdGen,
    session: Option<&'a Session>,
    keymap: &'a Keymap,
    cart: Option<&'a Cart>,
    effects: Vec<Effect>,
}

impl<'a> Ctx<'a> {
    pub fn new(ids: &'a mut IdGen, session: Option<&'a Session>, keymap: &'a Keymap) -> Ctx<'a> {
        Ctx {
            ids,
            session,
            keymap,
            cart: None,
            effects: Vec::new(),
        }
    }

    /// Lends the session's service cart to the screens (the shell keeps it; screens change it through
    /// [`Effect::Cart`]).
    #[must_use]
    pub fn with_cart(mut self, cart: &'a Cart) -> Ctx<'a> {
        self.cart = Some(cart);
        self
    }

    /// The session's service cart (empty when the shell lent none).
    pub fn cart(&self) -> Cart {
        self.cart.cloned().unwrap_or_default()
    }

    /// For dialogs that show their own keys (e.g. `y Yes  n No`), taken from the same table.
    pub fn keymap(&self) -> &Keymap {
        self.keymap
    }

    /// Allocates an id for `kind` and wraps both into the command for the runtime.
    pub fn request(&mut self, kind: Request) -> (RequestId, Command) {
        let id = self.ids.next_id();
        (id, Command::Db(ServiceRequest { id, kind }))
    }

    pub fn session(&self) -> Option<&Session> {
        self.session
    }

    /// The session token; `None` only if a screen that needs a session is shown without one.
    pub fn token(&self) -> Option<String> {
        self.session.map(|s| s.token.clone())
    }

    pub fn emit(&mut self, effect: Effect) {
        self.effects.push(effect);
    }

    pub fn toast(&mut self, toast: Toast) {
        self.effects.push(Effect::Toast(toast));
    }

    pub fn into_effects(self) -> Vec<Effect> {
        self.effects
    }
}

/// What every screen does for the shell: a title, the keys it answers to, a pure `update` and a `view`.
///
/// A screen implements `on_action` and `on_reply`, and `on_char`, `on_paste`, `on_tick` where it
/// takes typed text or watches the clock; `update` hands each message to the one for its kind.
pub trait Screen {
    fn title(&self) -> &'static str;

    /// The screen's key contexts, innermost first (the shell adds `Session` and `Global`).
    fn key_contexts(&self) -> Vec<KeyContext>;

    fn update(&mut self, msg: ScreenMsg, ctx: &mut Ctx) -> Command {
        match msg {
            ScreenMsg::Char(c) => {
                self.on_char(c);
                Command::None
            }
            ScreenMsg::Paste(text) => {
                self.on_paste(&text);
                Command::None
            }
            ScreenMsg::Action(action) => self.on_action(action, ctx),
            ScreenMsg::Db(reply) => self.on_reply(reply, ctx),
            ScreenMsg::Tick(now) => self.on_tick(now, ctx),
            ScreenMsg::Live(ev) => self.on_live(&ev, ctx),
        }
    }

    /// Another station changed something, or anything may have changed (`ev.everything`): the
    /// screen re-reads what the event touches of what it shows, keeping the cursor and any typed
    /// input (docs/live.md §3).
    fn on_live(&mut self, _ev: &LiveEvent, _ctx: &mut Ctx) -> Command {
        Command::None
    }

    /// A key the keymap turned into an action.
    fn on_action(&mut self, action: Action, ctx: &mut Ctx) -> Command;

    /// The answer to a request; replies to requests the screen no longer waits for are dropped.
    fn on_reply(&mut self, reply: ServiceReply, ctx: &mut Ctx) -> Command;

    /// The open form that typed and pasted text goes to, for screens whose text goes to one form.
    fn text_form(&mut self) -> Option<&mut Form> {
        None
    }

    /// A printable key for the focused text field, if any.
    fn on_char(&mut self, c: char) {
        if let Some(form) = self.text_form() {
            form.type_char(c);
        }
    }

    /// Pasted text for the focused text field, if any.
    fn on_paste(&mut self, text: &str) {
        if let Some(form) = self.text_form() {
            form.paste(text);
        }
    }

    /// The clock ticked (autosave, search debounce).
    fn on_tick(&mut self, _now: Instant, _ctx: &mut Ctx) -> Command {
        Command::None
    }

    /// When the screen next needs `on_tick` (a search debounce, an autosave): the shell wakes it at that
    /// moment instead of the next periodic tick (docs/performance.md §3).
    fn wake_at(&self) -> Option<Instant> {
        None
    }

    fn view(&mut self, frame: &mut Frame, area: Rect, theme: &Theme);

    /// True when an open form holds typed input that quitting would lose.
    fn has_unsaved_input(&self) -> bool {
        false
    }

    /// A scanned code, offered to the screen first: `None` when the screen does not use it, so the
    /// shell routes it (docs/scanning.md).
    fn on_scan(&mut self, _scan: &Scan, _ctx: &mut Ctx) -> Option<Command> {
        None
    }

    /// False while the screen has not loaded what its keys act on: keys typed meanwhile are not
    /// applied to it (docs/architecture.md §2.1).
    fn accepts_keys(&self) -> bool {
        true
    }
}

/// Names the screens a menu entry or a `Back` can lead to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScreenId {
    Home,
    Users,
    ChangePassword,
    Notifications,
    /// The order wizard for a new PO.
    OrderWizard,
    /// The role's order queue.
    OrderQueue,
    OrderDetail(uuid::Uuid),
    /// The order wizard again, opened on its configuration and accessory steps for one existing build.
    EditBuild(uuid::Uuid),
    /// The BOM viewer for one build.
    BomViewer(uuid::Uuid),
    /// The inventory browser.
    Inventory,
    /// The QC checklist the build's status calls for.
    QcChecklist(uuid::Uuid),
    /// A build's QC results.
    QcHistory(uuid::Uuid),
    /// The task runner of a build.
    TaskRunner(uuid::Uuid),
    /// The end-of-line testing form of a build.
    TestingForm(uuid::Uuid),
    /// The packaging checklist of a build.
    Packaging(uuid::Uuid),
    /// ADMIN: work instructions and tools.
    WorkInstructions,
    /// SERVICE_DEPARTMENT: the service parts catalogue.
    ServiceCatalog,
    /// SERVICE_DEPARTMENT: the cart.
    ServiceCart,
    /// SERVICE_DEPARTMENT: the user's own service orders.
    MyServiceOrders,
    /// Procurement's queue of service orders.
    ServiceQueue,
    /// One service order as procurement processes it.
    ServiceOrder(uuid::Uuid),
    /// Procurement's order desk.
    OrderDesk,
    /// The parts-shortage view.
    Shortage,
    /// A build's history of changes.
    BuildHistory(uuid::Uuid),
    /// ADMIN: the audit log.
    AuditLog,
    /// QC's list of open nonconformances.
    Nonconformances,
    Nonconformance(uuid::Uuid),
    /// The raise dialog for a build.
    RaiseNonconformance(uuid::Uuid),
    /// Not a screen: the session ends and the login screen says "Logged out." (the shell does it).
    LogOut,
    /// Not a screen: the session ends and the login screen waits for a badge or a username.
    SwitchUser,
    /// A build's comment thread.
    Comments(uuid::Uuid),
    /// A build's documents (docs/documents.md).
    Documents(uuid::Uuid),
    /// A build's documents opened from the QC checklist on its current drawing (docs/documents.md §4).
    Drawing(uuid::Uuid),
    /// ADMIN: the system settings (docs/settings.md).
    Settings,
    /// Coordinators and administrators: the production reports (docs/reports.md §5).
    Reports,
    /// ADMIN: the QC rejection reason list (docs/rejection-reasons.md §1.3).
    RejectionReasons,
    /// ADMIN: the checklist templates and their versions (docs/checklists.md §12).
    Templates,
}

impl ScreenId {
    /// The lists a user opens things from and expects `Esc` to lead back to.
    pub fn is_return_point(self) -> bool {
        matches!(
            self,
            ScreenId::Home
                | ScreenId::OrderQueue
                | ScreenId::Notifications
                | ScreenId::ServiceQueue
                | ScreenId::OrderDesk
                | ScreenId::Nonconformances
                | ScreenId::ServiceCatalog
        )
    }
}

/// One line of the home menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HomeEntry {
    pub label: &'static str,
    pub description: &'static str,
    pub target: ScreenId,
}

/// The screens each role reaches from its home menu. Features add their entries here.
pub fn home_entries(role: Role) -> Vec<HomeEntry> {
    let mut entries = Vec::new();
    if matches!(role, Role::ProductionCoordinator | Role::Admin) {
        entries.push(HomeEntry {
            label: "New order",
            description: "Enter a purchase order and its builds",
            target: ScreenId::OrderWizard,
        });
    }
    if role != Role::ServiceDepartment {
        entries.push(HomeEntry {
            label: "Orders",
            description: "Your work queue; search and open any build",
            target: ScreenId::OrderQueue,
        });
    }
    if role == Role::ServiceDepartment {
        entries.push(HomeEntry {
            label: "Service parts",
            description: "Find service parts; add them to the cart",
            target: ScreenId::ServiceCatalog,
        });
        entries.push(HomeEntry {
            label: "Cart",
            description: "Review the cart and submit a service order",
            target: ScreenId::ServiceCart,
        });
        entries.push(HomeEntry {
            label: "My service orders",
            description: "Status, lines and procurement's notes",
            target: ScreenId::MyServiceOrders,
        });
    }
    if matches!(role, Role::ProcurementSpecialist | Role::Admin) {
        entries.push(HomeEntry {
            label: "Order desk",
            description: "Builds waiting for parts: BOMs and moves",
            target: ScreenId::OrderDesk,
        });
    }
    if matches!(
        role,
        Role::ProcurementSpecialist | Role::Admin | Role::ProductionCoordinator
    ) {
        entries.push(HomeEntry {
            label: "Parts shortage",
            description: "Parts the waiting builds need, for one purchase",
            target: ScreenId::Shortage,
        });
        entries.push(HomeEntry {
            label: "Service orders",
            description: "The service department's part requests",
            target: ScreenId::ServiceQueue,
        });
    }
    if role == Role::QcPerson {
        entries.push(HomeEntry {
            label: "Nonconformances",
            description: "Open NCs, oldest first: disposition and close",
            target: ScreenId::Nonconformances,
        });
    }
    entries.push(HomeEntry {
        label: "Inventory",
        description: "Search the catalog; where each item is used",
        target: ScreenId::Inventory,
    });
    if matches!(role, Role::ProductionCoordinator | Role::Admin) {
        entries.push(HomeEntry {
            label: "Reports",
            description: "Throughput, cycle time, yield, on-time delivery",
            target: ScreenId::Reports,
        });
    }
    if role == Role::Admin {
        entries.push(HomeEntry {
            label: "Users",
            description: "Create users, change roles, reset passwords",
            target: ScreenId::Users,
        });
        entries.push(HomeEntry {
            label: "Work instructions",
            description: "Steps, safety notes and tools for tasks",
            target: ScreenId::WorkInstructions,
        });
        entries.push(HomeEntry {
            label: "Audit log",
            description: "Every change and who made it; export, verify",
            target: ScreenId::AuditLog,
        });
        entries.push(HomeEntry {
            label: "System settings",
            description: "Retention periods and alert thresholds",
            target: ScreenId::Settings,
        });
        entries.push(HomeEntry {
            label: "Rejection reasons",
            description: "Why QC fails a build: add, edit, retire",
            target: ScreenId::RejectionReasons,
        });
        entries.push(HomeEntry {
            label: "Checklist templates",
            description: "View versions, edit as a new one, activate",
            target: ScreenId::Templates,
        });
    }
    entries.push(HomeEntry {
        label: "Notifications",
        description: "Messages about your work",
        target: ScreenId::Notifications,
    });
    entries.push(HomeEntry {
        label: "Change password",
        description: "Choose a new password",
        target: ScreenId::ChangePassword,
    });
    entries.push(HomeEntry {
        label: "Log out",
        description: "End your session; back to the login screen",
        target: ScreenId::LogOut,
    });
    entries.push(HomeEntry {
        label: "Switch user",
        description: "Hand the station over: a badge or a username",
        target: ScreenId::SwitchUser,
    });
    entries
}

/// One match over every screen, binding the boxed screen to `$s` (`screen` and `screen_mut` share it).
macro_rules! each_screen {
    ($value:expr, $s:ident => $body:expr) => {
        match $value {
            ActiveScreen::Login($s) => $body,
            ActiveScreen::Home($s) => $body,
            ActiveScreen::Users($s) => $body,
            ActiveScreen::ChangePassword($s) => $body,
            ActiveScreen::Notifications($s) => $body,
            ActiveScreen::OrderWizard($s) => $body,
            ActiveScreen::OrderQueue($s) => $body,
            ActiveScreen::OrderDetail($s) => $body,
            ActiveScreen::BomViewer($s) => $body,
            ActiveScreen::Inventory($s) => $body,
            ActiveScreen::QcChecklist($s) => $body,
            ActiveScreen::QcHistory($s) => $body,
            ActiveScreen::TaskRunner($s) => $body,
            ActiveScreen::TestingForm($s) => $body,
            ActiveScreen::Packaging($s) => $body,
            ActiveScreen::WorkInstructions($s) => $body,
            ActiveScreen::ServiceCatalog($s) => $body,
            ActiveScreen::ServiceCart($s) => $body,
            ActiveScreen::MyServiceOrders($s) => $body,
            ActiveScreen::ServiceQueue($s) => $body,
            ActiveScreen::ServiceOrder($s) => $body,
            ActiveScreen::OrderDesk($s) => $body,
            ActiveScreen::Shortage($s) => $body,
            ActiveScreen::BuildHistory($s) => $body,
            ActiveScreen::AuditLog($s) => $body,
            ActiveScreen::NcList($s) => $body,
            ActiveScreen::NcDetail($s) => $body,
            ActiveScreen::NcRaise($s) => $body,
            ActiveScreen::Comments($s) => $body,
            ActiveScreen::Documents($s) => $body,
            ActiveScreen::Settings($s) => $body,
            ActiveScreen::Reports($s) => $body,
            ActiveScreen::RejectionReasons($s) => $body,
            ActiveScreen::Templates($s) => $body,
        }
    };
}

pub enum ActiveScreen {
    Login(Box<login::LoginScreen>),
    Home(Box<home::HomeScreen>),
    Users(Box<users::UsersScreen>),
    ChangePassword(Box<change_password::ChangePasswordScreen>),
    Notifications(Box<notifications::NotificationsScreen>),
    OrderWizard(Box<order_wizard::OrderWizardScreen>),
    OrderQueue(Box<order_queue::OrderQueueScreen>),
    OrderDetail(Box<order_detail::OrderDetailScreen>),
    BomViewer(Box<bom_viewer::BomViewerScreen>),
    Inventory(Box<inventory::InventoryScreen>),
    QcChecklist(Box<qc_checklist::QcChecklistScreen>),
    QcHistory(Box<qc_history::QcHistoryScreen>),
    TaskRunner(Box<task_runner::TaskRunnerScreen>),
    TestingForm(Box<testing_form::TestingFormScreen>),
    Packaging(Box<packaging::PackagingScreen>),
    WorkInstructions(Box<work_instructions::WorkInstructionsScreen>),
    ServiceCatalog(Box<service_catalog::ServiceCatalogScreen>),
    ServiceCart(Box<service_cart::ServiceCartScreen>),
    MyServiceOrders(Box<my_service_orders::MyServiceOrdersScreen>),
    ServiceQueue(Box<service_queue::ServiceQueueScreen>),
    ServiceOrder(Box<service_order::ServiceOrderScreen>),
    OrderDesk(Box<order_desk::OrderDeskScreen>),
    Shortage(Box<shortage::ShortageScreen>),
    BuildHistory(Box<audit_trail::BuildHistoryScreen>),
    AuditLog(Box<audit_trail::AuditLogScreen>),
    NcList(Box<nonconformance::NcListScreen>),
    NcDetail(Box<nonconformance::NcDetailScreen>),
    NcRaise(Box<nonconformance::NcRaiseScreen>),
    Comments(Box<comments::CommentsScreen>),
    Documents(Box<documents::DocumentsScreen>),
    Settings(Box<settings::SettingsScreen>),
    Reports(Box<reports::ReportsScreen>),
    RejectionReasons(Box<rejection_reasons::RejectionReasonsScreen>),
    Templates(Box<templates::TemplatesScreen>),
}

impl ActiveScreen {
    /// Builds the screen `id` for the session's user, with the request it loads its data with.
    pub fn open(id: ScreenId, ctx: &mut Ctx) -> (ActiveScreen, Command) {
        let Some(session) = ctx.session() else {
            return (
                ActiveScreen::Login(Box::new(login::LoginScreen::new(None, None))),
                Command::None,
            );
        };
        let user = session.user.clone();
        match id {
            ScreenId::Home => (
                ActiveScreen::Home(Box::new(home::HomeScreen::new(&user))),
                Command::None,
            ),
            ScreenId::ChangePassword => (
                ActiveScreen::ChangePassword(Box::new(change_password::ChangePasswordScreen::new(
                    false,
                ))),
                Command::None,
            ),
            ScreenId::Users => {
                let (s, cmd) = users::UsersScreen::open(ctx);
                (ActiveScreen::Users(Box::new(s)), cmd)
            }
            ScreenId::Notifications => {
                let (s, cmd) = notifications::NotificationsScreen::open(ctx);
                (ActiveScreen::Notifications(Box::new(s)), cmd)
            }
            ScreenId::OrderWizard => {
                let (s, cmd) = order_wizard::OrderWizardScreen::open(ctx);
                (ActiveScreen::OrderWizard(Box::new(s)), cmd)
            }
            ScreenId::EditBuild(order_id) => {
                let (s, cmd) = order_wizard::OrderWizardScreen::edit(order_id, ctx);
                (ActiveScreen::OrderWizard(Box::new(s)), cmd)
            }
            ScreenId::OrderQueue => {
                let (s, cmd) = order_queue::OrderQueueScreen::open(ctx);
                (ActiveScreen::OrderQueue(Box::new(s)), cmd)
            }
            ScreenId::OrderDetail(order_id) => {
                let (s, cmd) = order_detail::OrderDetailScreen::open(order_id, ctx);
                (ActiveScreen::OrderDetail(Box::new(s)), cmd)
            }
            ScreenId::BomViewer(order_id) => {
                let (s, cmd) = bom_viewer::BomViewerScreen::open(order_id, ctx);
                (ActiveScreen::BomViewer(Box::new(s)), cmd)
            }
            ScreenId::Inventory => {
                let (s, cmd) = inventory::InventoryScreen::open(ctx);
                (ActiveScreen::Inventory(Box::new(s)), cmd)
            }
            ScreenId::QcChecklist(order_id) => {
                let (s, cmd) = qc_checklist::QcChecklistScreen::open(order_id, ctx);
                (ActiveScreen::QcChecklist(Box::new(s)), cmd)
            }
            ScreenId::QcHistory(order_id) => {
                let (s, cmd) = qc_history::QcHistoryScreen::open(order_id, ctx);
                (ActiveScreen::QcHistory(Box::new(s)), cmd)
            }
            ScreenId::TaskRunner(order_id) => {
                let (s, cmd) = task_runner::TaskRunnerScreen::open(order_id, ctx);
                (ActiveScreen::TaskRunner(Box::new(s)), cmd)
            }
            ScreenId::TestingForm(order_id) => {
                let (s, cmd) = testing_form::TestingFormScreen::open(order_id, ctx);
                (ActiveScreen::TestingForm(Box::new(s)), cmd)
            }
            ScreenId::Packaging(order_id) => {
                let (s, cmd) = packaging::PackagingScreen::open(order_id, ctx);
                (ActiveScreen::Packaging(Box::new(s)), cmd)
            }
            ScreenId::WorkInstructions => {
                let (s, cmd) = work_instructions::WorkInstructionsScreen::open(ctx);
                (ActiveScreen::WorkInstructions(Box::new(s)), cmd)
            }
            ScreenId::ServiceCatalog => {
                let (s, cmd) = service_catalog::ServiceCatalogScreen::open(ctx);
                (ActiveScreen::ServiceCatalog(Box::new(s)), cmd)
            }
            ScreenId::ServiceCart => {
                let (s, cmd) = service_cart::ServiceCartScreen::open(ctx);
                (ActiveScreen::ServiceCart(Box::new(s)), cmd)
            }
            ScreenId::MyServiceOrders => {
                let (s, cmd) = my_service_orders::MyServiceOrdersScreen::open(ctx);
                (ActiveScreen::MyServiceOrders(Box::new(s)), cmd)
            }
            ScreenId::ServiceQueue => {
                let (s, cmd) = service_queue::ServiceQueueScreen::open(ctx);
                (ActiveScreen::ServiceQueue(Box::new(s)), cmd)
            }
            ScreenId::ServiceOrder(id) => {
                let (s, cmd) = service_order::ServiceOrderScreen::open(id, ctx);
                (ActiveScreen::ServiceOrder(Box::new(s)), cmd)
            }
            ScreenId::OrderDesk => {
                let (s, cmd) = order_desk::OrderDeskScreen::open(ctx);
                (ActiveScreen::OrderDesk(Box::new(s)), cmd)
            }
            ScreenId::Shortage => {
                let (s, cmd) = shortage::ShortageScreen::open(ctx);
                (ActiveScreen::Shortage(Box::new(s)), cmd)
            }
            ScreenId::BuildHistory(order_id) => {
                let (s, cmd) = audit_trail::BuildHistoryScreen::open(order_id, ctx);
                (ActiveScreen::BuildHistory(Box::new(s)), cmd)
            }
            ScreenId::AuditLog => {
                let (s, cmd) = audit_trail::AuditLogScreen::open(ctx);
                (ActiveScreen::AuditLog(Box::new(s)), cmd)
            }
            ScreenId::Nonconformances => {
                let (s, cmd) = nonconformance::NcListScreen::open(ctx);
                (ActiveScreen::NcList(Box::new(s)), cmd)
            }
            ScreenId::Nonconformance(id) => {
                let (s, cmd) = nonconformance::NcDetailScreen::open(id, ctx);
                (ActiveScreen::NcDetail(Box::new(s)), cmd)
            }
            ScreenId::RaiseNonconformance(order_id) => {
                let (s, cmd) = nonconformance::NcRaiseScreen::open(order_id, ctx);
                (ActiveScreen::NcRaise(Box::new(s)), cmd)
            }
            ScreenId::Comments(order_id) => {
                let (s, cmd) = comments::CommentsScreen::open(order_id, ctx);
                (ActiveScreen::Comments(Box::new(s)), cmd)
            }
            ScreenId::Documents(order_id) => {
                let (s, cmd) = documents::DocumentsScreen::open(order_id, ctx);
                (ActiveScreen::Documents(Box::new(s)), cmd)
            }
            ScreenId::Drawing(order_id) => {
                let (s, cmd) = documents::DocumentsScreen::open_drawing(order_id, ctx);
                (ActiveScreen::Documents(Box::new(s)), cmd)
            }
            ScreenId::Settings => {
                let (s, cmd) = settings::SettingsScreen::open(ctx);
                (ActiveScreen::Settings(Box::new(s)), cmd)
            }
            ScreenId::Reports => {
                let (s, cmd) = reports::ReportsScreen::open(ctx);
                (ActiveScreen::Reports(Box::new(s)), cmd)
            }
            ScreenId::RejectionReasons => {
                let (s, cmd) = rejection_reasons::RejectionReasonsScreen::open(ctx);
                (ActiveScreen::RejectionReasons(Box::new(s)), cmd)
            }
            ScreenId::Templates => {
                let (s, cmd) = templates::TemplatesScreen::open(ctx);
                (ActiveScreen::Templates(Box::new(s)), cmd)
            }
            // The shell ends the session before it would open these; the login screen is their place.
            ScreenId::LogOut | ScreenId::SwitchUser => (
                ActiveScreen::Login(Box::new(login::LoginScreen::new(None, None))),
                Command::None,
            ),
        }
    }

    /// The screen shown, for what every screen does alike.
    pub fn screen(&self) -> &dyn Screen {
        each_screen!(self, s => s.as_ref())
    }

    pub fn screen_mut(&mut self) -> &mut dyn Screen {
        each_screen!(self, s => s.as_mut())
    }
}

impl Screen for ActiveScreen {
    fn title(&self) -> &'static str {
        self.screen().title()
    }

    fn key_contexts(&self) -> Vec<KeyContext> {
        self.screen().key_contexts()
    }

    fn update(&mut self, msg: ScreenMsg, ctx: &mut Ctx) -> Command {
        self.screen_mut().update(msg, ctx)
    }

    fn on_action(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        self.screen_mut().on_action(action, ctx)
    }

    fn on_reply(&mut self, reply: ServiceReply, ctx: &mut Ctx) -> Command {
        self.screen_mut().on_reply(reply, ctx)
    }

    fn text_form(&mut self) -> Option<&mut Form> {
        self.screen_mut().text_form()
    }

    fn on_char(&mut self, c: char) {
        self.screen_mut().on_char(c);
    }

    fn on_paste(&mut self, text: &str) {
        self.screen_mut().on_paste(text);
    }

    fn on_tick(&mut self, now: Instant, ctx: &mut Ctx) -> Command {
        self.screen_mut().on_tick(now, ctx)
    }

    fn on_live(&mut self, ev: &LiveEvent, ctx: &mut Ctx) -> Command {
        self.screen_mut().on_live(ev, ctx)
    }

    fn view(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        self.screen_mut().view(frame, area, theme)
    }

    fn has_unsaved_input(&self) -> bool {
        self.screen().has_unsaved_input()
    }

    fn on_scan(&mut self, scan: &Scan, ctx: &mut Ctx) -> Option<Command> {
        self.screen_mut().on_scan(scan, ctx)
    }

    fn accepts_keys(&self) -> bool {
        self.screen().accepts_keys()
    }

    fn wake_at(&self) -> Option<Instant> {
        self.screen().wake_at()
    }
}

/// A reply's error as the text to show, or `None` for success.
pub fn error_text(reply: &ServiceReply) -> Option<String> {
    reply
        .result
        .as_ref()
        .err()
        .map(crate::error::ServiceError::user_message)
}
