//! The actions a key can ask for, each with the text the help and the key bar show.

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
    ExportDhr => "Device history record",
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
