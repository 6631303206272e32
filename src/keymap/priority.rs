//! How much a key bar item matters, and the short label it takes when the bar is tight
//! (docs/architecture.md §3.1).

use super::Action;

/// The rank of a key bar item: when the bar is too narrow, the lowest rank is abbreviated first and then
/// dropped first. The order of the variants is the order of importance, least first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Priority {
    /// Everything else; it stays in the help (`?`) when the bar has no room for it.
    Other,
    /// The help key, through which every dropped key stays one key away.
    Help,
    /// Leaving: Esc/Back, Cancel, Close, No.
    Back,
    /// What the screen or dialog is for: sign, submit, save, confirm.
    Primary,
}

impl Action {
    /// The rank of this action in the key bar.
    pub fn priority(self) -> Priority {
        use Action as A;
        match self {
            A::Submit
            | A::Save
            | A::SaveNotes
            | A::SignResult
            | A::SubmitTesting
            | A::SubmitOrder
            | A::Yes
            | A::Unlock
            | A::Choose
            | A::CompleteTask
            | A::PostComment => Priority::Primary,
            A::Back | A::Cancel | A::Close | A::No | A::ClearSearch | A::Logout => Priority::Back,
            A::Help => Priority::Help,
            _ => Priority::Other,
        }
    }

    /// The label the key bar shows when the full description does not fit; the help always shows the
    /// full description. Two actions may share a short label: the bar never shows it for both at once.
    pub fn short(self) -> &'static str {
        use Action as A;
        match self {
            A::Lock => "Lock",
            A::SwitchUser => "Switch",
            A::NewItem => "New",
            A::ChangeRole => "Role",
            A::ResetPassword => "Password",
            A::MarkRead => "Read",
            A::MarkAllRead => "All read",
            A::NextField | A::NextChoice | A::Accept | A::NextPage | A::NextMatch => "Next",
            A::PrevField | A::PrevChoice | A::PrevPage | A::PrevMatch => "Prev",
            A::PrevStep => "Prev step",
            A::CopyFrom => "Copy",
            A::RemoveRow => "Remove",
            A::Increase => "+1",
            A::Decrease => "-1",
            A::ClearSearch | A::ClearFilters => "Clear",
            A::SortReverse => "Reverse",
            A::MoveStatus => "Move",
            A::EditBuild => "Edit",
            A::ApproveBom => "Approve",
            A::RegenerateBom => "Regenerate",
            A::OpenNotification => "Open",
            A::ViewBom => "BOM",
            A::NextView | A::PrevView => "View",
            A::ToggleNode => "Toggle",
            A::ExpandAll => "All",
            A::CollapseAll => "None",
            A::MarkVersion => "Mark",
            A::ExportDhr => "DHR",
            A::WhereUsed => "Used",
            A::ShowInTree => "Tree",
            A::OpenQc => "QC",
            A::OpenQcHistory => "History",
            A::AnswerYes => "Yes",
            A::AnswerNo => "No",
            A::EditAnswer => "Value",
            A::SaveNotes => "Save",
            A::FirstUnanswered => "Unanswered",
            A::NextNonConforming => "Non-conf.",
            A::SignResult => "Sign",
            A::DiscardDraft => "Discard",
            A::Certificate => "PDF",
            A::OpenFloor => "Floor",
            A::CompleteTask => "Done",
            A::ReopenTask => "Reopen",
            A::AddNote => "Note",
            A::OpenTesting => "Test",
            A::SubmitTesting => "Submit",
            A::EnterQuantity => "Qty",
            A::PackAll => "All/none",
            A::ToggleMounted => "Mount",
            A::AddStep => "Add",
            A::StepUp => "Earlier",
            A::StepDown => "Later",
            A::AddToCart => "Add",
            A::SubmitOrder => "Submit",
            A::FulfilOrder => "Fulfilled",
            A::ExportCsv => "CSV",
            A::OpenShortage => "Shortage",
            A::OpenHistory => "History",
            A::FilterField => "Field",
            A::NextPerson | A::FilterPerson => "Person",
            A::OlderPage => "Older",
            A::NewerPage => "Newer",
            A::VerifyAudit => "Verify",
            A::RaiseNc => "NC",
            A::DispositionNc => "Disposition",
            A::CloseNc => "Close",
            A::WriteComment => "Write",
            A::EditComment => "Edit",
            A::ResolveComment => "Resolve",
            A::PostComment => "Post",
            A::ToggleInternal => "Internal",
            A::OpenDocuments => "Docs",
            A::SaveCopy => "Save",
            A::AttachDocument => "Attach",
            A::PlaceHold => "Hold",
            A::ReleaseHold => "Release",
            A::EditSetting => "Edit",
            A::ResetSetting => "Default",
            A::NextReport | A::PrevReport => "Report",
            A::ToggleChart => "View",
            A::CyclePeriod => "Period",
            A::PrevPeriod => "Earlier",
            A::NextPeriod => "Later",
            A::CustomRange => "Custom",
            A::CorrectBuild => "Correct",
            A::CancelBuild => "Cancel build",
            A::ToggleReason => "Pick",
            A::NewReason => "New",
            A::EditReason => "Edit",
            A::RetireReason => "Retire",
            other => other.describe(),
        }
    }
}
