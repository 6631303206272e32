//! Every key binding of the application, in one table.
//!
//! The same table resolves keys, draws the help overlay and fills the key bar, so every key that works
//! is documented and nothing shown is dead. A key stack lists the active contexts innermost first,
//! e.g. `[TextInput, Form, Session, Global]`; the innermost binding of a chord wins.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use serde::{Deserialize, Serialize};

/// Declares the actions together with their descriptions, so `ALL` and `describe` cannot drift apart.
macro_rules! actions {
    ($($(#[$meta:meta])* $variant:ident => $desc:literal),* $(,)?) => {
        /// Everything a key can ask for.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Action {
            $($(#[$meta])* $variant),*
        }

        impl Action {
            pub const ALL: &'static [Action] = &[$(Action::$variant),*];

            /// The text the help overlay and the key bar show.
            pub fn describe(self) -> &'static str {
                match self {
                    $(Action::$variant => $desc),*
                }
            }
        }
    };
}

actions! {
    Quit => "Quit",
    Help => "Help",
    Close => "Close",
    Back => "Back",
    Cancel => "Cancel",
    Logout => "Log out",
    Open => "Open",
    Submit => "Submit",
    NextField => "Next field",
    PrevField => "Previous field",
    PrevChoice => "Previous choice",
    NextChoice => "Next choice",
    Up => "Move up",
    Down => "Move down",
    PageUp => "Page up",
    PageDown => "Page down",
    First => "First row",
    Last => "Last row",
    Lock => "Lock station",
    Unlock => "Unlock",
    SwitchUser => "Switch user",
    NewItem => "New user",
    ChangeRole => "Change role",
    ToggleActive => "(De)activate",
    ResetPassword => "Reset password",
    Refresh => "Refresh",
    MarkRead => "Mark read",
    MarkAllRead => "Mark all read",
    Yes => "Yes",
    No => "No",
    DeleteBack => "Delete left",
    DeleteForward => "Delete right",
    CursorLeft => "Cursor left",
    CursorRight => "Cursor right",
    LineStart => "Start of field",
    LineEnd => "End of field",
    ClearField => "Clear field",
    NextStep => "Next step",
    PrevStep => "Previous step",
    NextBuild => "Next build",
    PrevBuild => "Previous build",
    Accept => "Next field / press",
    RemoveRow => "Remove row",
    CopyFrom => "Copy from build",
    Increase => "Quantity +1",
    Decrease => "Quantity -1",
    Save => "Save",
    Choose => "Choose",
    Search => "Search",
    ClearSearch => "Clear search",
    ToggleView => "Mine/all",
    StatusFilter => "Status",
    StatusFilterBack => "Status (back)",
    DueFilter => "Due",
    SortNext => "Sort",
    SortReverse => "Reverse sort",
    ClearFilters => "Clear filters",
    MoveStatus => "Move status",
    OverrideStatus => "Override",
    AssignBuild => "Assign",
    EditBuild => "Edit configuration",
    ApproveBom => "Approve BOM",
    RegenerateBom => "Regenerate BOM",
    OpenNotification => "Read / open build",
    ViewBom => "View BOM",
    NextView => "Next view",
    PrevView => "Previous view",
    ToggleNode => "Expand/collapse",
    Expand => "Expand",
    Collapse => "Collapse",
    ExpandAll => "Expand all",
    CollapseAll => "Collapse all",
    NextMatch => "Next match",
    PrevMatch => "Previous match",
    MarkVersion => "Mark for diff",
    ShowDiff => "Diff",
    ExportBom => "Export",
    WhereUsed => "Where used",
    ShowInTree => "Show in tree",
    OpenQc => "QC checklist",
    OpenQcHistory => "QC history",
    AnswerYes => "Yes / conforming",
    AnswerNo => "No / non-conforming",
    AnswerNa => "N/A",
    EditAnswer => "Enter value",
    EditNotes => "Notes",
    SaveNotes => "Save notes",
    NextSection => "Next section",
    PrevSection => "Previous section",
    FirstUnanswered => "First unanswered",
    NextNonConforming => "Next non-conforming",
    EditJobId => "Job ID",
    SignResult => "Submit and sign",
    DiscardDraft => "Discard draft",
    Certificate => "Certificate PDF",
    OpenFloor => "Assembly floor",
    CompleteTask => "Complete task",
    ReopenTask => "Reopen task",
    AddNote => "Add note",
    OpenTesting => "Testing form",
    SubmitTesting => "Submit form",
    EnterQuantity => "Enter quantity",
    PackAll => "All packed / none",
    ToggleMounted => "Mounted",
    NewRecord => "New",
    AddStep => "Add step",
    StepUp => "Step earlier",
    StepDown => "Step later",
    AddToCart => "Add to cart",
    OpenCart => "Cart",
    SubmitOrder => "Submit order",
    Withdraw => "Withdraw",
    ApproveOrder => "Approve",
    RejectOrder => "Reject",
    FulfilOrder => "Mark fulfilled",
    ExportCsv => "Export CSV",
    OpenShortage => "Parts shortage",
}

/// A group of bindings that is active in some situation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyContext {
    /// Always active unless a modal overlay is open.
    Global,
    /// Active while a user is logged in.
    Session,
    /// A text field has focus: printable keys type into it.
    TextInput,
    /// Moving between the fields of a form.
    Form,
    /// A dialog with a form in it.
    Dialog,
    /// A field offering a fixed set of choices.
    Choice,
    /// A yes/no question.
    Confirm,
    /// The help overlay.
    Help,
    /// The station lock.
    Lock,
    /// Moving through a list or table.
    List,
    Home,
    ChangePassword,
    /// The password change required at first login: leaving it logs out.
    ForcedPassword,
    Users,
    RolePicker,
    Notifications,
    /// The order wizard: steps and fields.
    Wizard,
    /// Wizard steps with a list of builds beside the form.
    WizardBuilds,
    /// Wizard step 3: a build's configuration.
    WizardConfig,
    /// Wizard step 4: a build's accessories.
    WizardAccessories,
    /// Wizard step 5: review and submit.
    WizardReview,
    /// Editing one existing build.
    WizardEdit,
    /// A wizard question with a third answer (Esc) besides yes and no.
    WizardQuestion,
    /// The wizard when it cannot be used (loading, refused): only leaving works.
    WizardClosed,
    /// Choosing the build to copy from.
    WizardPicker,
    /// The order queue.
    Queue,
    /// The queue's search field.
    SearchField,
    /// One build's detail.
    Detail,
    /// The detail's actions: each context is active only when the server lists that action.
    MoveAction,
    OverrideAction,
    AssignAction,
    EditAction,
    ApproveBomAction,
    RegenerateBomAction,
    /// Choosing the assignee of a build.
    AssignPicker,
    /// The BOM viewer, whichever view is shown.
    BomViewer,
    /// The BOM viewer's tree.
    BomTree,
    /// The BOM viewer's flattened totals.
    BomTotals,
    /// The BOM viewer's version list.
    BomVersions,
    /// The inventory browser.
    Inventory,
    /// The list of places an item is used.
    WhereUsedList,
    /// The inventory's search results.
    InventoryResults,
    /// The build detail when the user may perform the QC its status calls for.
    QcAction,
    /// Answering a QC checklist.
    QcChecklist,
    /// A QC checklist that cannot be edited: a submitted result, or another inspector's draft.
    QcReadOnly,
    /// An admin looking at an open QC draft.
    QcDraftAdmin,
    /// The notes of one checklist line.
    QcNotes,
    /// A build's QC results.
    QcHistory,
    /// A passed Final QC result, which has a certificate.
    QcCertificateAction,
    /// The build detail when the build is on the assembly floor (tasks, testing, packaging).
    FloorAction,
    /// The task runner.
    TaskRunner,
    /// The task runner when the tasks can be changed (not locked, the user works them).
    TaskEdit,
    /// The end-of-line testing form.
    Testing,
    /// The testing form when it can be filled in.
    TestingEdit,
    /// The packaging checklist.
    Packaging,
    /// The packaging checklist when it can be changed.
    PackagingEdit,
    /// The admin's work instructions and tools.
    WorkInstructions,
    /// Editing one work instruction's steps.
    InstructionEditor,
    /// The service parts catalogue.
    ServiceCatalog,
    /// The service cart.
    ServiceCart,
    /// The requester's own service orders.
    MyServiceOrders,
    /// Procurement's queue of service orders.
    ServiceQueue,
    /// One service order being processed.
    ServiceOrderView,
    /// A service order that may be approved or rejected (PENDING, procurement).
    ServiceOrderPending,
    /// A service order that may be marked fulfilled (APPROVED, procurement).
    ServiceOrderApproved,
    /// Procurement's order desk.
    OrderDesk,
    /// The parts-shortage view.
    Shortage,
}

impl KeyContext {
    pub const ALL: [KeyContext; 67] = [
        KeyContext::Global,
        KeyContext::Session,
        KeyContext::TextInput,
        KeyContext::Form,
        KeyContext::Dialog,
        KeyContext::Choice,
        KeyContext::Confirm,
        KeyContext::Help,
        KeyContext::Lock,
        KeyContext::List,
        KeyContext::Home,
        KeyContext::ChangePassword,
        KeyContext::ForcedPassword,
        KeyContext::Users,
        KeyContext::RolePicker,
        KeyContext::Notifications,
        KeyContext::Wizard,
        KeyContext::WizardBuilds,
        KeyContext::WizardConfig,
        KeyContext::WizardAccessories,
        KeyContext::WizardReview,
        KeyContext::WizardEdit,
        KeyContext::WizardQuestion,
        KeyContext::WizardClosed,
        KeyContext::WizardPicker,
        KeyContext::Queue,
        KeyContext::SearchField,
        KeyContext::Detail,
        KeyContext::MoveAction,
        KeyContext::OverrideAction,
        KeyContext::AssignAction,
        KeyContext::EditAction,
        KeyContext::ApproveBomAction,
        KeyContext::RegenerateBomAction,
        KeyContext::AssignPicker,
        KeyContext::BomViewer,
        KeyContext::BomTree,
        KeyContext::BomTotals,
        KeyContext::BomVersions,
        KeyContext::Inventory,
        KeyContext::WhereUsedList,
        KeyContext::InventoryResults,
        KeyContext::QcAction,
        KeyContext::QcChecklist,
        KeyContext::QcReadOnly,
        KeyContext::QcDraftAdmin,
        KeyContext::QcNotes,
        KeyContext::QcHistory,
        KeyContext::QcCertificateAction,
        KeyContext::FloorAction,
        KeyContext::TaskRunner,
        KeyContext::TaskEdit,
        KeyContext::Testing,
        KeyContext::TestingEdit,
        KeyContext::Packaging,
        KeyContext::PackagingEdit,
        KeyContext::WorkInstructions,
        KeyContext::InstructionEditor,
        KeyContext::ServiceCatalog,
        KeyContext::ServiceCart,
        KeyContext::MyServiceOrders,
        KeyContext::ServiceQueue,
        KeyContext::ServiceOrderView,
        KeyContext::ServiceOrderPending,
        KeyContext::ServiceOrderApproved,
        KeyContext::OrderDesk,
        KeyContext::Shortage,
    ];

    /// The heading of this group in the help overlay.
    pub fn title(self) -> &'static str {
        match self {
            KeyContext::Global => "Everywhere",
            KeyContext::Session => "While logged in",
            KeyContext::TextInput => "Typing in a field",
            KeyContext::Form => "Form",
            KeyContext::Dialog => "Dialog",
            KeyContext::Choice => "Choice field",
            KeyContext::Confirm => "Question",
            KeyContext::Help => "Help",
            KeyContext::Lock => "Station lock",
            KeyContext::List => "List",
            KeyContext::Home => "Home",
            KeyContext::ChangePassword => "Change password",
            KeyContext::ForcedPassword => "Change password",
            KeyContext::Users => "Users",
            KeyContext::RolePicker => "Change role",
            KeyContext::Notifications => "Notifications",
            KeyContext::Wizard => "Order wizard",
            KeyContext::WizardBuilds => "Builds",
            KeyContext::WizardConfig => "Configuration",
            KeyContext::WizardAccessories => "Accessories",
            KeyContext::WizardReview => "Review",
            KeyContext::WizardEdit => "Edit build",
            KeyContext::WizardQuestion => "Question",
            KeyContext::WizardClosed => "Order wizard",
            KeyContext::WizardPicker => "Copy from build",
            KeyContext::Queue => "Order queue",
            KeyContext::SearchField => "Search",
            KeyContext::Detail => "Build",
            KeyContext::MoveAction => "Move",
            KeyContext::OverrideAction => "Override",
            KeyContext::AssignAction => "Assignment",
            KeyContext::EditAction => "Configuration",
            KeyContext::ApproveBomAction => "BOM approval",
            KeyContext::RegenerateBomAction => "BOM regeneration",
            KeyContext::AssignPicker => "Assign",
            KeyContext::BomViewer => "BOM",
            KeyContext::BomTree => "BOM tree",
            KeyContext::BomTotals => "Totals",
            KeyContext::BomVersions => "Versions",
            KeyContext::Inventory => "Inventory",
            KeyContext::WhereUsedList => "Where used",
            KeyContext::InventoryResults => "Search results",
            KeyContext::QcAction => "QC",
            KeyContext::QcChecklist => "QC checklist",
            KeyContext::QcReadOnly => "QC checklist (read-only)",
            KeyContext::QcDraftAdmin => "QC draft",
            KeyContext::QcNotes => "Notes",
            KeyContext::QcHistory => "QC history",
            KeyContext::QcCertificateAction => "Certificate",
            KeyContext::FloorAction => "Assembly floor",
            KeyContext::TaskRunner => "Tasks",
            KeyContext::TaskEdit => "Working a task",
            KeyContext::Testing => "End-of-line testing",
            KeyContext::TestingEdit => "Filling in the test",
            KeyContext::Packaging => "Packaging",
            KeyContext::PackagingEdit => "Packing",
            KeyContext::WorkInstructions => "Work instructions",
            KeyContext::InstructionEditor => "Instruction steps",
            KeyContext::ServiceCatalog => "Service parts",
            KeyContext::ServiceCart => "Cart",
            KeyContext::MyServiceOrders => "My service orders",
            KeyContext::ServiceQueue => "Service orders",
            KeyContext::ServiceOrderView => "Service order",
            KeyContext::ServiceOrderPending => "Decision",
            KeyContext::ServiceOrderApproved => "Fulfilment",
            KeyContext::OrderDesk => "Order desk",
            KeyContext::Shortage => "Parts shortage",
        }
    }
}

/// A key with its modifiers, as bound in the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyChord {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl KeyChord {
    pub const fn plain(code: KeyCode) -> KeyChord {
        KeyChord {
            code,
            mods: KeyModifiers::NONE,
        }
    }

    pub const fn ch(c: char) -> KeyChord {
        KeyChord::plain(KeyCode::Char(c))
    }

    pub const fn ctrl(c: char) -> KeyChord {
        KeyChord {
            code: KeyCode::Char(c),
            mods: KeyModifiers::CONTROL,
        }
    }

    /// The chord a key event stands for. Shift is dropped where the key code already carries it
    /// (`?`, `A`, BackTab), and control letters are lower-cased, so terminals that differ there agree.
    pub fn from_event(key: KeyEvent) -> KeyChord {
        let mut mods =
            key.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match key.code {
            KeyCode::Char(c) => {
                mods.remove(KeyModifiers::SHIFT);
                if mods.contains(KeyModifiers::CONTROL) {
                    KeyCode::Char(c.to_ascii_lowercase())
                } else {
                    KeyCode::Char(c)
                }
            }
            KeyCode::BackTab => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            other => other,
        };
        KeyChord { code, mods }
    }

    /// How the chord is written in the key bar and the help.
    pub fn label(&self) -> String {
        let mut s = String::new();
        if self.mods.contains(KeyModifiers::CONTROL) {
            s.push_str("Ctrl-");
        }
        if self.mods.contains(KeyModifiers::ALT) {
            s.push_str("Alt-");
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            s.push_str("Shift-");
        }
        match self.code {
            KeyCode::Char(' ') => s.push_str("Space"),
            KeyCode::Char(c) if self.mods.contains(KeyModifiers::CONTROL) => {
                s.push(c.to_ascii_uppercase());
            }
            KeyCode::Char(c) => s.push(c),
            KeyCode::F(n) => {
                s.push('F');
                s.push_str(&n.to_string());
            }
            KeyCode::Enter => s.push_str("Enter"),
            KeyCode::Esc => s.push_str("Esc"),
            KeyCode::Tab => s.push_str("Tab"),
            KeyCode::BackTab => s.push_str("Shift-Tab"),
            KeyCode::Up => s.push('↑'),
            KeyCode::Down => s.push('↓'),
            KeyCode::Left => s.push('←'),
            KeyCode::Right => s.push('→'),
            KeyCode::PageUp => s.push_str("PgUp"),
            KeyCode::PageDown => s.push_str("PgDn"),
            KeyCode::Home => s.push_str("Home"),
            KeyCode::End => s.push_str("End"),
            KeyCode::Backspace => s.push_str("Backspace"),
            KeyCode::Delete => s.push_str("Del"),
            KeyCode::Insert => s.push_str("Ins"),
            other => s.push_str(&format!("{other:?}").replace(' ', "")),
        }
        s
    }

    /// A key that types a character into a focused text field rather than acting as a command.
    pub fn is_text(&self) -> bool {
        matches!(self.code, KeyCode::Char(c) if !c.is_control())
            && !self
                .mods
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
    }
}

impl std::fmt::Display for KeyChord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.label())
    }
}

/// One row of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Binding {
    pub context: KeyContext,
    pub chord: KeyChord,
    pub action: Action,
    /// Shown in the bottom key bar (the help shows every binding).
    pub bar: bool,
}

const fn b(context: KeyContext, chord: KeyChord, action: Action, bar: bool) -> Binding {
    Binding {
        context,
        chord,
        action,
        bar,
    }
}

use Action as A;
use KeyContext as C;

const ENTER: KeyChord = KeyChord::plain(KeyCode::Enter);
const ESC: KeyChord = KeyChord::plain(KeyCode::Esc);
const TAB: KeyChord = KeyChord::plain(KeyCode::Tab);
const BACKTAB: KeyChord = KeyChord::plain(KeyCode::BackTab);
const UP: KeyChord = KeyChord::plain(KeyCode::Up);
const DOWN: KeyChord = KeyChord::plain(KeyCode::Down);
const LEFT: KeyChord = KeyChord::plain(KeyCode::Left);
const RIGHT: KeyChord = KeyChord::plain(KeyCode::Right);

/// The default bindings. Within a context the order is the order of the key bar and the help.
pub static DEFAULT_BINDINGS: &[Binding] = &[
    // Global
    b(C::Global, KeyChord::ch('?'), A::Help, true),
    b(C::Global, KeyChord::plain(KeyCode::F(1)), A::Help, true),
    b(C::Global, KeyChord::ch('q'), A::Quit, true),
    b(C::Global, KeyChord::ctrl('c'), A::Quit, true),
    // Session
    b(C::Session, KeyChord::ctrl('l'), A::Lock, true),
    // TextInput: editing keys; printable keys type and are not listed
    b(
        C::TextInput,
        KeyChord::plain(KeyCode::Backspace),
        A::DeleteBack,
        false,
    ),
    b(
        C::TextInput,
        KeyChord::plain(KeyCode::Delete),
        A::DeleteForward,
        false,
    ),
    b(C::TextInput, LEFT, A::CursorLeft, false),
    b(C::TextInput, RIGHT, A::CursorRight, false),
    b(
        C::TextInput,
        KeyChord::plain(KeyCode::Home),
        A::LineStart,
        false,
    ),
    b(
        C::TextInput,
        KeyChord::plain(KeyCode::End),
        A::LineEnd,
        false,
    ),
    b(C::TextInput, KeyChord::ctrl('u'), A::ClearField, false),
    // Form
    b(C::Form, ENTER, A::Submit, true),
    b(C::Form, TAB, A::NextField, true),
    b(C::Form, BACKTAB, A::PrevField, false),
    b(C::Form, DOWN, A::NextField, false),
    b(C::Form, UP, A::PrevField, false),
    // Dialog (Enter is shadowed by Form's in dialogs with several fields)
    b(C::Dialog, ENTER, A::Submit, true),
    b(C::Dialog, ESC, A::Cancel, true),
    // Choice
    b(C::Choice, LEFT, A::PrevChoice, true),
    b(C::Choice, RIGHT, A::NextChoice, true),
    // Confirm
    b(C::Confirm, KeyChord::ch('y'), A::Yes, true),
    b(C::Confirm, KeyChord::ch('n'), A::No, true),
    b(C::Confirm, ESC, A::No, false),
    // Help
    b(C::Help, ESC, A::Close, true),
    b(C::Help, KeyChord::ch('?'), A::Close, false),
    b(C::Help, KeyChord::plain(KeyCode::F(1)), A::Close, false),
    // Lock
    b(C::Lock, ENTER, A::Unlock, true),
    b(C::Lock, KeyChord::plain(KeyCode::F(2)), A::SwitchUser, true),
    // List
    b(C::List, UP, A::Up, false),
    b(C::List, DOWN, A::Down, false),
    b(C::List, KeyChord::plain(KeyCode::PageUp), A::PageUp, false),
    b(
        C::List,
        KeyChord::plain(KeyCode::PageDown),
        A::PageDown,
        false,
    ),
    b(C::List, KeyChord::plain(KeyCode::Home), A::First, false),
    b(C::List, KeyChord::plain(KeyCode::End), A::Last, false),
    // Home
    b(C::Home, ENTER, A::Open, true),
    // Change password
    b(C::ChangePassword, ESC, A::Back, true),
    b(C::ForcedPassword, ESC, A::Logout, true),
    // Users
    b(C::Users, KeyChord::ch('n'), A::NewItem, true),
    b(C::Users, KeyChord::ch('r'), A::ChangeRole, true),
    b(C::Users, KeyChord::ch('d'), A::ToggleActive, true),
    b(C::Users, KeyChord::ch('p'), A::ResetPassword, true),
    b(C::Users, KeyChord::plain(KeyCode::F(5)), A::Refresh, false),
    b(C::Users, KeyChord::ctrl('r'), A::Refresh, false),
    b(C::Users, ESC, A::Back, true),
    // Change role
    b(C::RolePicker, ENTER, A::Submit, true),
    b(C::RolePicker, ESC, A::Cancel, true),
    // Notifications
    b(C::Notifications, ENTER, A::OpenNotification, true),
    b(C::Notifications, KeyChord::ch('m'), A::MarkRead, true),
    b(C::Notifications, KeyChord::ch('a'), A::MarkAllRead, true),
    b(
        C::Notifications,
        KeyChord::plain(KeyCode::F(5)),
        A::Refresh,
        false,
    ),
    b(C::Notifications, KeyChord::ctrl('r'), A::Refresh, false),
    b(C::Notifications, ESC, A::Back, true),
    // Order wizard
    b(C::Wizard, KeyChord::ctrl('n'), A::NextStep, true),
    b(C::Wizard, KeyChord::ctrl('p'), A::PrevStep, true),
    b(C::Wizard, ESC, A::Cancel, true),
    b(C::Wizard, TAB, A::NextField, false),
    b(C::Wizard, BACKTAB, A::PrevField, false),
    b(C::Wizard, DOWN, A::Down, false),
    b(C::Wizard, UP, A::Up, false),
    b(C::Wizard, ENTER, A::Accept, false),
    b(C::Wizard, KeyChord::ch(' '), A::NextChoice, false),
    b(
        C::WizardBuilds,
        KeyChord::plain(KeyCode::PageDown),
        A::NextBuild,
        true,
    ),
    b(
        C::WizardBuilds,
        KeyChord::plain(KeyCode::PageUp),
        A::PrevBuild,
        false,
    ),
    b(C::WizardConfig, KeyChord::ctrl('o'), A::CopyFrom, false),
    b(C::WizardConfig, KeyChord::ctrl('d'), A::RemoveRow, false),
    b(C::WizardAccessories, RIGHT, A::Increase, false),
    b(C::WizardAccessories, LEFT, A::Decrease, false),
    b(
        C::WizardAccessories,
        KeyChord::ctrl('o'),
        A::CopyFrom,
        false,
    ),
    b(
        C::WizardAccessories,
        KeyChord::ctrl('d'),
        A::RemoveRow,
        false,
    ),
    b(C::WizardReview, ENTER, A::Submit, true),
    b(C::WizardReview, KeyChord::ctrl('n'), A::Submit, false),
    b(C::WizardEdit, KeyChord::ctrl('s'), A::Save, true),
    b(C::WizardQuestion, KeyChord::ch('y'), A::Yes, true),
    b(C::WizardQuestion, KeyChord::ch('n'), A::No, true),
    b(C::WizardQuestion, ESC, A::Cancel, true),
    b(C::WizardClosed, ESC, A::Back, true),
    b(C::WizardPicker, ENTER, A::Choose, true),
    b(C::WizardPicker, ESC, A::Cancel, true),
    // Order queue
    b(C::Queue, ENTER, A::Open, true),
    b(C::Queue, KeyChord::ch('/'), A::Search, true),
    b(C::Queue, KeyChord::ch('v'), A::ToggleView, true),
    b(C::Queue, KeyChord::ch('f'), A::StatusFilter, true),
    b(C::Queue, KeyChord::ch('F'), A::StatusFilterBack, false),
    b(C::Queue, KeyChord::ch('d'), A::DueFilter, true),
    b(C::Queue, KeyChord::ch('s'), A::SortNext, true),
    b(C::Queue, KeyChord::ch('r'), A::SortReverse, false),
    b(C::Queue, KeyChord::ch('c'), A::ClearFilters, false),
    b(C::Queue, KeyChord::plain(KeyCode::F(5)), A::Refresh, false),
    b(C::Queue, KeyChord::ctrl('r'), A::Refresh, false),
    b(C::Queue, ESC, A::Back, true),
    b(C::SearchField, ENTER, A::Search, true),
    b(C::SearchField, ESC, A::ClearSearch, true),
    // Order detail; the action keys live in one context each, so only the actions offered are live
    b(C::MoveAction, KeyChord::ch('m'), A::MoveStatus, true),
    b(
        C::OverrideAction,
        KeyChord::ch('o'),
        A::OverrideStatus,
        true,
    ),
    b(C::AssignAction, KeyChord::ch('a'), A::AssignBuild, true),
    b(C::EditAction, KeyChord::ch('e'), A::EditBuild, true),
    // Help-only: the actions line shows these keys, and the bar keeps room for Lock and Quit.
    b(C::ApproveBomAction, KeyChord::ch('b'), A::ApproveBom, false),
    b(
        C::RegenerateBomAction,
        KeyChord::ch('g'),
        A::RegenerateBom,
        false,
    ),
    b(C::QcAction, KeyChord::ch('c'), A::OpenQc, true),
    b(C::Detail, KeyChord::ch('v'), A::ViewBom, true),
    b(C::Detail, KeyChord::ch('h'), A::OpenQcHistory, false),
    b(C::Detail, KeyChord::plain(KeyCode::F(5)), A::Refresh, false),
    b(C::Detail, KeyChord::ctrl('r'), A::Refresh, false),
    b(C::Detail, ESC, A::Back, true),
    b(C::AssignPicker, ENTER, A::AssignBuild, true),
    b(C::AssignPicker, ESC, A::Cancel, true),
    // BOM viewer
    b(C::BomViewer, TAB, A::NextView, true),
    b(C::BomViewer, BACKTAB, A::PrevView, false),
    b(C::BomViewer, KeyChord::ch('x'), A::ExportBom, true),
    b(
        C::BomViewer,
        KeyChord::plain(KeyCode::F(5)),
        A::Refresh,
        false,
    ),
    b(C::BomViewer, KeyChord::ctrl('r'), A::Refresh, false),
    b(C::BomViewer, ESC, A::Back, true),
    b(C::BomTree, ENTER, A::ToggleNode, true),
    b(C::BomTree, RIGHT, A::Expand, false),
    b(C::BomTree, LEFT, A::Collapse, false),
    b(C::BomTree, KeyChord::ch('+'), A::ExpandAll, true),
    b(C::BomTree, KeyChord::ch('-'), A::CollapseAll, true),
    b(C::BomTree, KeyChord::ch('/'), A::Search, true),
    b(C::BomTree, KeyChord::ch('n'), A::NextMatch, false),
    b(C::BomTree, KeyChord::ch('N'), A::PrevMatch, false),
    b(C::BomTotals, KeyChord::ch('s'), A::SortNext, true),
    b(C::BomTotals, KeyChord::ch('r'), A::SortReverse, true),
    b(C::BomVersions, ENTER, A::Open, true),
    b(C::BomVersions, KeyChord::ch(' '), A::MarkVersion, true),
    b(C::BomVersions, KeyChord::ch('d'), A::ShowDiff, true),
    // Inventory
    b(C::Inventory, ENTER, A::ToggleNode, true),
    b(C::Inventory, RIGHT, A::Expand, false),
    b(C::Inventory, LEFT, A::Collapse, false),
    b(C::Inventory, KeyChord::ch('-'), A::CollapseAll, false),
    b(C::Inventory, KeyChord::ch('/'), A::Search, true),
    b(C::Inventory, KeyChord::ch('n'), A::NextMatch, false),
    b(C::Inventory, KeyChord::ch('N'), A::PrevMatch, false),
    b(C::Inventory, KeyChord::ch('w'), A::WhereUsed, true),
    b(C::Inventory, ESC, A::Back, true),
    b(C::InventoryResults, ENTER, A::ShowInTree, true),
    b(C::InventoryResults, KeyChord::ch('/'), A::Search, true),
    b(C::InventoryResults, KeyChord::ch('n'), A::NextMatch, false),
    b(C::InventoryResults, KeyChord::ch('N'), A::PrevMatch, false),
    b(C::InventoryResults, KeyChord::ch('w'), A::WhereUsed, true),
    b(C::InventoryResults, ESC, A::ClearSearch, true),
    // QC checklist: the home row answers and moves
    b(C::QcChecklist, KeyChord::ch('y'), A::AnswerYes, true),
    b(C::QcChecklist, KeyChord::ch('n'), A::AnswerNo, true),
    b(C::QcChecklist, KeyChord::ch('a'), A::AnswerNa, true),
    b(C::QcChecklist, ENTER, A::EditAnswer, true),
    b(C::QcChecklist, KeyChord::ch('e'), A::EditNotes, true),
    b(C::QcChecklist, KeyChord::ch('s'), A::SignResult, true),
    b(C::QcChecklist, KeyChord::ch('i'), A::EditJobId, false),
    b(C::QcChecklist, KeyChord::ch('j'), A::Down, false),
    b(C::QcChecklist, KeyChord::ch('k'), A::Up, false),
    b(
        C::QcChecklist,
        KeyChord::plain(KeyCode::PageDown),
        A::NextSection,
        false,
    ),
    b(
        C::QcChecklist,
        KeyChord::plain(KeyCode::PageUp),
        A::PrevSection,
        false,
    ),
    b(C::QcChecklist, KeyChord::ch('g'), A::FirstUnanswered, false),
    b(
        C::QcChecklist,
        KeyChord::ch('G'),
        A::NextNonConforming,
        false,
    ),
    b(C::QcChecklist, ESC, A::Back, true),
    b(C::QcReadOnly, KeyChord::ch('j'), A::Down, false),
    b(C::QcReadOnly, KeyChord::ch('k'), A::Up, false),
    b(
        C::QcReadOnly,
        KeyChord::plain(KeyCode::PageDown),
        A::NextSection,
        false,
    ),
    b(
        C::QcReadOnly,
        KeyChord::plain(KeyCode::PageUp),
        A::PrevSection,
        false,
    ),
    b(C::QcReadOnly, ESC, A::Back, true),
    b(C::QcDraftAdmin, KeyChord::ch('X'), A::DiscardDraft, true),
    b(C::QcNotes, KeyChord::ctrl('s'), A::SaveNotes, true),
    b(C::QcNotes, ESC, A::Cancel, true),
    b(C::QcHistory, ENTER, A::Open, true),
    b(C::QcHistory, ESC, A::Back, true),
    b(
        C::QcCertificateAction,
        KeyChord::ch('p'),
        A::Certificate,
        true,
    ),
    b(C::WhereUsedList, ENTER, A::Open, true),
    b(C::WhereUsedList, ESC, A::Close, true),
    // Assembly floor: the detail opens the screen the build's status calls for
    b(C::FloorAction, KeyChord::ch('w'), A::OpenFloor, true),
    // Task runner
    b(C::TaskEdit, KeyChord::ch(' '), A::CompleteTask, true),
    b(C::TaskEdit, ENTER, A::CompleteTask, false),
    b(C::TaskEdit, KeyChord::ch('u'), A::ReopenTask, true),
    b(C::TaskEdit, KeyChord::ch('n'), A::AddNote, true),
    b(C::TaskRunner, KeyChord::ch('t'), A::OpenTesting, true),
    b(C::TaskRunner, KeyChord::ch('j'), A::Down, false),
    b(C::TaskRunner, KeyChord::ch('k'), A::Up, false),
    b(
        C::TaskRunner,
        KeyChord::plain(KeyCode::PageDown),
        A::PageDown,
        false,
    ),
    b(
        C::TaskRunner,
        KeyChord::plain(KeyCode::PageUp),
        A::PageUp,
        false,
    ),
    b(
        C::TaskRunner,
        KeyChord::plain(KeyCode::F(5)),
        A::Refresh,
        false,
    ),
    b(C::TaskRunner, KeyChord::ctrl('r'), A::Refresh, false),
    b(C::TaskRunner, ESC, A::Back, true),
    // End-of-line testing
    b(C::TestingEdit, KeyChord::ch('y'), A::AnswerYes, true),
    b(C::TestingEdit, KeyChord::ch('n'), A::AnswerNo, true),
    b(C::TestingEdit, KeyChord::ch('a'), A::AnswerNa, true),
    b(C::TestingEdit, ENTER, A::EditAnswer, true),
    b(C::TestingEdit, KeyChord::ch('e'), A::EditNotes, false),
    b(C::TestingEdit, KeyChord::ch('s'), A::SubmitTesting, true),
    b(C::Testing, KeyChord::ch('j'), A::Down, false),
    b(C::Testing, KeyChord::ch('k'), A::Up, false),
    b(C::Testing, KeyChord::ch('g'), A::FirstUnanswered, false),
    b(
        C::Testing,
        KeyChord::plain(KeyCode::F(5)),
        A::Refresh,
        false,
    ),
    b(C::Testing, KeyChord::ctrl('r'), A::Refresh, false),
    b(C::Testing, ESC, A::Back, true),
    // Packaging
    b(C::PackagingEdit, RIGHT, A::Increase, false),
    b(C::PackagingEdit, KeyChord::ch('+'), A::Increase, true),
    b(C::PackagingEdit, LEFT, A::Decrease, false),
    b(C::PackagingEdit, KeyChord::ch('-'), A::Decrease, true),
    b(C::PackagingEdit, KeyChord::ch(' '), A::PackAll, true),
    b(C::PackagingEdit, ENTER, A::EnterQuantity, false),
    b(C::PackagingEdit, KeyChord::ch('M'), A::ToggleMounted, true),
    b(C::Packaging, KeyChord::ch('j'), A::Down, false),
    b(C::Packaging, KeyChord::ch('k'), A::Up, false),
    b(
        C::Packaging,
        KeyChord::plain(KeyCode::F(5)),
        A::Refresh,
        false,
    ),
    b(C::Packaging, KeyChord::ctrl('r'), A::Refresh, false),
    b(C::Packaging, ESC, A::Back, true),
    // Work instructions and tools (admin)
    b(C::WorkInstructions, TAB, A::NextView, true),
    b(C::WorkInstructions, BACKTAB, A::PrevView, false),
    b(C::WorkInstructions, ENTER, A::Open, true),
    b(C::WorkInstructions, KeyChord::ch('a'), A::NewRecord, true),
    b(
        C::WorkInstructions,
        KeyChord::ch('d'),
        A::ToggleActive,
        true,
    ),
    b(C::WorkInstructions, ESC, A::Back, true),
    b(C::InstructionEditor, KeyChord::ctrl('a'), A::AddStep, true),
    b(
        C::InstructionEditor,
        KeyChord::ctrl('d'),
        A::RemoveRow,
        true,
    ),
    b(C::InstructionEditor, KeyChord::ctrl('s'), A::Save, true),
    b(C::InstructionEditor, KeyChord::ctrl('k'), A::StepUp, false),
    b(
        C::InstructionEditor,
        KeyChord::ctrl('j'),
        A::StepDown,
        false,
    ),
    // Service parts and the cart (service department)
    b(C::ServiceCatalog, ENTER, A::ToggleNode, true),
    b(C::ServiceCatalog, KeyChord::ch('/'), A::Search, true),
    b(C::ServiceCatalog, KeyChord::ch('a'), A::AddToCart, true),
    b(C::ServiceCatalog, KeyChord::ch('c'), A::OpenCart, true),
    b(C::ServiceCatalog, ESC, A::Back, true),
    b(C::ServiceCart, RIGHT, A::Increase, false),
    b(C::ServiceCart, KeyChord::ch('+'), A::Increase, true),
    b(C::ServiceCart, LEFT, A::Decrease, false),
    b(C::ServiceCart, KeyChord::ch('-'), A::Decrease, true),
    b(C::ServiceCart, ENTER, A::EnterQuantity, true),
    b(
        C::ServiceCart,
        KeyChord::plain(KeyCode::Delete),
        A::RemoveRow,
        true,
    ),
    b(C::ServiceCart, KeyChord::ch('s'), A::SubmitOrder, true),
    b(C::ServiceCart, ESC, A::Back, true),
    b(C::MyServiceOrders, ENTER, A::Open, true),
    b(C::MyServiceOrders, KeyChord::ch('w'), A::Withdraw, true),
    b(
        C::MyServiceOrders,
        KeyChord::plain(KeyCode::F(5)),
        A::Refresh,
        false,
    ),
    b(C::MyServiceOrders, KeyChord::ctrl('r'), A::Refresh, false),
    b(C::MyServiceOrders, ESC, A::Back, true),
    // Service orders (procurement)
    b(C::ServiceQueue, ENTER, A::Open, true),
    b(C::ServiceQueue, KeyChord::ch('f'), A::StatusFilter, true),
    b(
        C::ServiceQueue,
        KeyChord::plain(KeyCode::F(5)),
        A::Refresh,
        false,
    ),
    b(C::ServiceQueue, KeyChord::ctrl('r'), A::Refresh, false),
    b(C::ServiceQueue, ESC, A::Back, true),
    b(
        C::ServiceOrderPending,
        KeyChord::ch('a'),
        A::ApproveOrder,
        true,
    ),
    b(
        C::ServiceOrderPending,
        KeyChord::ch('r'),
        A::RejectOrder,
        true,
    ),
    b(
        C::ServiceOrderApproved,
        KeyChord::ch('f'),
        A::FulfilOrder,
        true,
    ),
    b(
        C::ServiceOrderView,
        KeyChord::plain(KeyCode::F(5)),
        A::Refresh,
        false,
    ),
    b(C::ServiceOrderView, KeyChord::ctrl('r'), A::Refresh, false),
    b(C::ServiceOrderView, ESC, A::Back, true),
    // Order desk and parts shortage (procurement)
    b(C::OrderDesk, ENTER, A::Open, true),
    b(C::OrderDesk, KeyChord::ch('b'), A::ApproveBom, true),
    b(C::OrderDesk, KeyChord::ch('m'), A::MoveStatus, true),
    b(C::OrderDesk, KeyChord::ch('p'), A::OpenShortage, true),
    b(
        C::OrderDesk,
        KeyChord::plain(KeyCode::F(5)),
        A::Refresh,
        false,
    ),
    b(C::OrderDesk, KeyChord::ctrl('r'), A::Refresh, false),
    b(C::OrderDesk, ESC, A::Back, true),
    b(C::Shortage, KeyChord::ch('s'), A::SortNext, true),
    b(C::Shortage, KeyChord::ch('r'), A::SortReverse, false),
    b(C::Shortage, KeyChord::ch('x'), A::ExportCsv, true),
    b(
        C::Shortage,
        KeyChord::plain(KeyCode::F(5)),
        A::Refresh,
        false,
    ),
    b(C::Shortage, KeyChord::ctrl('r'), A::Refresh, false),
    b(C::Shortage, ESC, A::Back, true),
];

/// One line of the help or one item of the key bar: all chords of one action in one context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpLine {
    pub context: KeyContext,
    pub chords: Vec<KeyChord>,
    pub action: Action,
    /// The chords of this line that the key bar shows (empty: the line is help-only).
    pub bar_chords: Vec<KeyChord>,
}

impl HelpLine {
    /// The chords joined for display, e.g. `F5/Ctrl-R`.
    pub fn keys(&self) -> String {
        join(&self.chords)
    }

    /// The chords the key bar shows, e.g. `Enter` where the help says `Enter/m`.
    pub fn bar_keys(&self) -> String {
        join(&self.bar_chords)
    }
}

fn join(chords: &[KeyChord]) -> String {
    chords
        .iter()
        .map(KeyChord::label)
        .collect::<Vec<_>>()
        .join("/")
}

#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: Vec<Binding>,
}

impl Default for Keymap {
    fn default() -> Self {
        Keymap {
            bindings: DEFAULT_BINDINGS.to_vec(),
        }
    }
}

impl Keymap {
    pub fn new(bindings: Vec<Binding>) -> Keymap {
        Keymap { bindings }
    }

    pub fn all(&self) -> &[Binding] {
        &self.bindings
    }

    /// The action `key` triggers under `stack` (innermost context first).
    ///
    /// With a text field focused, printable keys belong to the field and resolve to nothing.
    pub fn resolve(&self, stack: &[KeyContext], key: KeyEvent) -> Option<Action> {
        if key.kind == KeyEventKind::Release {
            return None;
        }
        let chord = KeyChord::from_event(key);
        if chord.is_text() && stack.contains(&KeyContext::TextInput) {
            return None;
        }
        stack.iter().find_map(|ctx| {
            self.bindings
                .iter()
                .find(|b| b.context == *ctx && b.chord == chord)
                .map(|b| b.action)
        })
    }

    /// Every binding that works under `stack`, innermost first. Chords shadowed by an inner context,
    /// and printable chords swallowed by a focused text field, are left out.
    pub fn bindings_for(&self, stack: &[KeyContext]) -> Vec<(KeyChord, Action)> {
        self.live(stack).map(|b| (b.chord, b.action)).collect()
    }

    /// The keys of `action` in `context`, as the help writes them (e.g. `v`), for hints in screen text.
    pub fn key_label(&self, context: KeyContext, action: Action) -> String {
        self.help(&[context])
            .into_iter()
            .flat_map(|(_, lines)| lines)
            .find(|l| l.action == action)
            .map(|l| l.keys())
            .unwrap_or_default()
    }

    /// The live bindings of `stack` grouped by context, each action with all its chords: the help.
    pub fn help(&self, stack: &[KeyContext]) -> Vec<(KeyContext, Vec<HelpLine>)> {
        let mut groups: Vec<(KeyContext, Vec<HelpLine>)> = Vec::new();
        for b in self.live(stack) {
            if groups.last().is_none_or(|(c, _)| *c != b.context) {
                groups.push((b.context, Vec::new()));
            }
            if let Some((_, lines)) = groups.last_mut() {
                let bar = b.bar.then_some(b.chord);
                if let Some(line) = lines.iter_mut().find(|l| l.action == b.action) {
                    line.chords.push(b.chord);
                    line.bar_chords.extend(bar);
                } else {
                    lines.push(HelpLine {
                        context: b.context,
                        chords: vec![b.chord],
                        action: b.action,
                        bar_chords: bar.into_iter().collect(),
                    });
                }
            }
        }
        groups
    }

    /// The items of the bottom key bar: the bar-marked lines of the help, innermost first, each with
    /// its first live bar chord only (`? Help`, or `F1 Help` while `?` types into a field).
    pub fn key_bar(&self, stack: &[KeyContext]) -> Vec<HelpLine> {
        self.help(stack)
            .into_iter()
            .flat_map(|(_, lines)| lines)
            .filter(|l| !l.bar_chords.is_empty())
            .map(|mut l| {
                l.bar_chords.truncate(1);
                l
            })
            .collect()
    }

    fn live<'a>(&'a self, stack: &'a [KeyContext]) -> impl Iterator<Item = &'a Binding> + 'a {
        let typing = stack.contains(&KeyContext::TextInput);
        stack.iter().enumerate().flat_map(move |(depth, ctx)| {
            self.bindings.iter().filter(move |b| {
                b.context == *ctx
                    && !(typing && b.chord.is_text())
                    && !stack[..depth].iter().any(|inner| {
                        self.bindings
                            .iter()
                            .any(|o| o.context == *inner && o.chord == b.chord)
                    })
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn chord_labels() {
        assert_eq!(KeyChord::ctrl('l').label(), "Ctrl-L");
        assert_eq!(KeyChord::plain(KeyCode::Enter).label(), "Enter");
        assert_eq!(KeyChord::plain(KeyCode::Esc).label(), "Esc");
        assert_eq!(KeyChord::ch('?').label(), "?");
        assert_eq!(KeyChord::plain(KeyCode::F(5)).label(), "F5");
        assert_eq!(KeyChord::plain(KeyCode::BackTab).label(), "Shift-Tab");
    }

    #[test]
    fn shift_and_case_are_normalised() {
        let km = Keymap::default();
        let stack = [KeyContext::Global];
        assert_eq!(
            km.resolve(&stack, key(KeyCode::Char('?'), KeyModifiers::SHIFT)),
            Some(Action::Help)
        );
        assert_eq!(
            km.resolve(
                &stack,
                key(
                    KeyCode::Char('C'),
                    KeyModifiers::CONTROL | KeyModifiers::SHIFT
                )
            ),
            Some(Action::Quit)
        );
        let form = [KeyContext::Form];
        assert_eq!(
            km.resolve(&form, key(KeyCode::BackTab, KeyModifiers::SHIFT)),
            Some(Action::PrevField)
        );
    }

    #[test]
    fn release_events_do_nothing() {
        let km = Keymap::default();
        let mut ev = key(KeyCode::Char('q'), KeyModifiers::NONE);
        ev.kind = KeyEventKind::Release;
        assert_eq!(km.resolve(&[KeyContext::Global], ev), None);
    }

    #[test]
    fn typing_swallows_printable_keys_but_not_chords() {
        let km = Keymap::default();
        let stack = [KeyContext::TextInput, KeyContext::Form, KeyContext::Global];
        assert_eq!(
            km.resolve(&stack, key(KeyCode::Char('q'), KeyModifiers::NONE)),
            None
        );
        assert_eq!(
            km.resolve(&stack, key(KeyCode::Char('?'), KeyModifiers::NONE)),
            None
        );
        assert_eq!(
            km.resolve(&stack, key(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            Some(Action::Quit)
        );
        assert_eq!(
            km.resolve(&stack, key(KeyCode::F(1), KeyModifiers::NONE)),
            Some(Action::Help)
        );
        let shown = km.bindings_for(&stack);
        assert!(!shown.iter().any(|(c, _)| *c == KeyChord::ch('q')));
        assert!(shown.contains(&(KeyChord::ctrl('c'), Action::Quit)));
    }

    #[test]
    fn key_bar_merges_chords_of_one_action() {
        let km = Keymap::default();
        let bar = km.key_bar(&[
            KeyContext::Notifications,
            KeyContext::List,
            KeyContext::Global,
        ]);
        let first = bar.first().map(HelpLine::bar_keys);
        assert_eq!(first.as_deref(), Some("Enter"));
        let help = km.help(&[KeyContext::Notifications]);
        let refresh = help[0]
            .1
            .iter()
            .find(|l| l.action == Action::Refresh)
            .map(HelpLine::keys);
        assert_eq!(refresh.as_deref(), Some("F5/Ctrl-R"));
    }
}
