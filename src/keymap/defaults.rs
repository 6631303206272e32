//! The default bindings: the one table that resolves keys and draws the help and the key bar.

use super::{Action, KeyChord, KeyContext};
use crossterm::event::KeyCode;

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
const F5: KeyChord = KeyChord::plain(KeyCode::F(5));
const F1: KeyChord = KeyChord::plain(KeyCode::F(1));
const PAGE_DOWN: KeyChord = KeyChord::plain(KeyCode::PageDown);
const PAGE_UP: KeyChord = KeyChord::plain(KeyCode::PageUp);
const DELETE: KeyChord = KeyChord::plain(KeyCode::Delete);
const HOME: KeyChord = KeyChord::plain(KeyCode::Home);
const END: KeyChord = KeyChord::plain(KeyCode::End);
const BACKSPACE: KeyChord = KeyChord::plain(KeyCode::Backspace);

/// The default bindings. Within a context the order is the order of the key bar and the help.
pub static DEFAULT_BINDINGS: &[Binding] = &[
    // Global
    b(C::Global, KeyChord::ch('?'), A::Help, true),
    b(C::Global, F1, A::Help, true),
    b(C::Global, KeyChord::ch('q'), A::Quit, true),
    b(C::Global, KeyChord::ctrl('c'), A::Quit, true),
    // Session
    b(C::Session, KeyChord::ctrl('l'), A::Lock, true),
    // TextInput: editing keys; printable keys type and are not listed
    b(C::TextInput, BACKSPACE, A::DeleteBack, false),
    b(C::TextInput, DELETE, A::DeleteForward, false),
    b(C::TextInput, LEFT, A::CursorLeft, false),
    b(C::TextInput, RIGHT, A::CursorRight, false),
    b(C::TextInput, HOME, A::LineStart, false),
    b(C::TextInput, END, A::LineEnd, false),
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
    b(C::Help, F1, A::Close, false),
    // Lock
    b(C::Lock, ENTER, A::Unlock, true),
    b(C::Lock, KeyChord::plain(KeyCode::F(2)), A::SwitchUser, true),
    // List
    b(C::List, UP, A::Up, false),
    b(C::List, DOWN, A::Down, false),
    b(C::List, PAGE_UP, A::PageUp, false),
    b(C::List, PAGE_DOWN, A::PageDown, false),
    b(C::List, HOME, A::First, false),
    b(C::List, END, A::Last, false),
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
    b(C::Users, F5, A::Refresh, false),
    b(C::Users, KeyChord::ctrl('r'), A::Refresh, false),
    b(C::Users, ESC, A::Back, true),
    // Change role
    b(C::RolePicker, ENTER, A::Submit, true),
    b(C::RolePicker, ESC, A::Cancel, true),
    // Notifications
    b(C::Notifications, ENTER, A::OpenNotification, true),
    b(C::Notifications, KeyChord::ch('m'), A::MarkRead, true),
    b(C::Notifications, KeyChord::ch('a'), A::MarkAllRead, true),
    b(C::Notifications, F5, A::Refresh, false),
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
    b(C::WizardBuilds, PAGE_DOWN, A::NextBuild, true),
    b(C::WizardBuilds, PAGE_UP, A::PrevBuild, false),
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
    b(C::Queue, F5, A::Refresh, false),
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
    b(C::Detail, KeyChord::ch('D'), A::ExportDhr, false),
    b(C::Detail, F5, A::Refresh, false),
    b(C::Detail, KeyChord::ctrl('r'), A::Refresh, false),
    b(C::Detail, ESC, A::Back, true),
    b(C::AssignPicker, ENTER, A::AssignBuild, true),
    b(C::AssignPicker, ESC, A::Cancel, true),
    // BOM viewer
    b(C::BomViewer, TAB, A::NextView, true),
    b(C::BomViewer, BACKTAB, A::PrevView, false),
    b(C::BomViewer, KeyChord::ch('x'), A::ExportBom, true),
    b(C::BomViewer, F5, A::Refresh, false),
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
    b(C::QcChecklist, PAGE_DOWN, A::NextSection, false),
    b(C::QcChecklist, PAGE_UP, A::PrevSection, false),
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
    b(C::QcReadOnly, PAGE_DOWN, A::NextSection, false),
    b(C::QcReadOnly, PAGE_UP, A::PrevSection, false),
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
    b(C::TaskRunner, PAGE_DOWN, A::PageDown, false),
    b(C::TaskRunner, PAGE_UP, A::PageUp, false),
    b(C::TaskRunner, F5, A::Refresh, false),
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
    b(C::Testing, F5, A::Refresh, false),
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
    b(C::Packaging, F5, A::Refresh, false),
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
    b(C::ServiceCart, DELETE, A::RemoveRow, true),
    b(C::ServiceCart, KeyChord::ch('s'), A::SubmitOrder, true),
    b(C::ServiceCart, ESC, A::Back, true),
    b(C::MyServiceOrders, ENTER, A::Open, true),
    b(C::MyServiceOrders, KeyChord::ch('w'), A::Withdraw, true),
    b(C::MyServiceOrders, F5, A::Refresh, false),
    b(C::MyServiceOrders, KeyChord::ctrl('r'), A::Refresh, false),
    b(C::MyServiceOrders, ESC, A::Back, true),
    // Service orders (procurement)
    b(C::ServiceQueue, ENTER, A::Open, true),
    b(C::ServiceQueue, KeyChord::ch('f'), A::StatusFilter, true),
    b(C::ServiceQueue, F5, A::Refresh, false),
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
    b(C::ServiceOrderView, F5, A::Refresh, false),
    b(C::ServiceOrderView, KeyChord::ctrl('r'), A::Refresh, false),
    b(C::ServiceOrderView, ESC, A::Back, true),
    // Order desk and parts shortage (procurement)
    b(C::OrderDesk, ENTER, A::Open, true),
    b(C::OrderDesk, KeyChord::ch('b'), A::ApproveBom, true),
    b(C::OrderDesk, KeyChord::ch('m'), A::MoveStatus, true),
    b(C::OrderDesk, KeyChord::ch('p'), A::OpenShortage, true),
    b(C::OrderDesk, F5, A::Refresh, false),
    b(C::OrderDesk, KeyChord::ctrl('r'), A::Refresh, false),
    b(C::OrderDesk, ESC, A::Back, true),
    b(C::Shortage, KeyChord::ch('s'), A::SortNext, true),
    b(C::Shortage, KeyChord::ch('r'), A::SortReverse, false),
    b(C::Shortage, KeyChord::ch('x'), A::ExportCsv, true),
    b(C::Shortage, F5, A::Refresh, false),
    b(C::Shortage, KeyChord::ctrl('r'), A::Refresh, false),
    b(C::Shortage, ESC, A::Back, true),
];
