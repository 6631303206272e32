//! The contexts a binding belongs to: each is active in some situation, and the help groups its keys
//! under the context's title.

use serde::{Deserialize, Serialize};

/// Declares the contexts together with their help titles, so `ALL` and `title` cannot drift apart.
macro_rules! contexts {
    ($($(#[$meta:meta])* $variant:ident => $title:literal),* $(,)?) => {
        /// A group of bindings that is active in some situation.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum KeyContext {
            $($(#[$meta])* $variant),*
        }

        impl KeyContext {
            pub const ALL: [KeyContext; [$(KeyContext::$variant),*].len()] = [$(KeyContext::$variant),*];

            /// The heading of this group in the help overlay.
            pub fn title(self) -> &'static str {
                match self {
                    $(KeyContext::$variant => $title),*
                }
            }
        }
    };
}

contexts! {
    /// Always active unless a modal overlay is open.
    Global => "Everywhere",
    /// Active while a user is logged in.
    Session => "While logged in",
    /// A text field has focus: printable keys type into it.
    TextInput => "Typing in a field",
    /// Moving between the fields of a form.
    Form => "Form",
    /// A dialog with a form in it.
    Dialog => "Dialog",
    /// A field offering a fixed set of choices.
    Choice => "Choice field",
    /// A yes/no question.
    Confirm => "Question",
    /// The help overlay.
    Help => "Help",
    /// The station lock.
    Lock => "Station lock",
    /// Moving through a list or table.
    List => "List",
    Home => "Home",
    ChangePassword => "Change password",
    /// The password change required at first login: leaving it logs out.
    ForcedPassword => "Change password",
    Users => "Users",
    RolePicker => "Change role",
    Notifications => "Notifications",
    /// The order wizard: steps and fields.
    Wizard => "Order wizard",
    /// Wizard steps with a list of builds beside the form.
    WizardBuilds => "Builds",
    /// Wizard step 3: a build's configuration.
    WizardConfig => "Configuration",
    /// Wizard step 4: a build's accessories.
    WizardAccessories => "Accessories",
    /// Wizard step 5: review and submit.
    WizardReview => "Review",
    /// Editing one existing build.
    WizardEdit => "Edit build",
    /// A wizard question with a third answer (Esc) besides yes and no.
    WizardQuestion => "Question",
    /// The wizard when it cannot be used (loading, refused): only leaving works.
    WizardClosed => "Order wizard",
    /// Choosing the build to copy from.
    WizardPicker => "Copy from build",
    /// The order queue.
    Queue => "Order queue",
    /// The queue's search field.
    SearchField => "Search",
    /// One build's detail.
    Detail => "Build",
    /// The detail's actions: each context is active only when the server lists that action.
    MoveAction => "Move",
    OverrideAction => "Override",
    AssignAction => "Assignment",
    EditAction => "Configuration",
    ApproveBomAction => "BOM approval",
    RegenerateBomAction => "BOM regeneration",
    /// Choosing the assignee of a build.
    AssignPicker => "Assign",
    /// The BOM viewer, whichever view is shown.
    BomViewer => "BOM",
    /// The BOM viewer's tree.
    BomTree => "BOM tree",
    /// The BOM viewer's flattened totals.
    BomTotals => "Totals",
    /// The BOM viewer's version list.
    BomVersions => "Versions",
    /// The inventory browser.
    Inventory => "Inventory",
    /// The list of places an item is used.
    WhereUsedList => "Where used",
    /// The inventory's search results.
    InventoryResults => "Search results",
    /// The build detail when the user may perform the QC its status calls for.
    QcAction => "QC",
    /// Answering a QC checklist.
    QcChecklist => "QC checklist",
    /// A QC checklist that cannot be edited: a submitted result, or another inspector's draft.
    QcReadOnly => "QC checklist (read-only)",
    /// An admin looking at an open QC draft.
    QcDraftAdmin => "QC draft",
    /// The notes of one checklist line.
    QcNotes => "Notes",
    /// A build's QC results.
    QcHistory => "QC history",
    /// A passed Final QC result, which has a certificate.
    QcCertificateAction => "Certificate",
    /// The build detail when the build is on the assembly floor (tasks, testing, packaging).
    FloorAction => "Assembly floor",
    /// The task runner.
    TaskRunner => "Tasks",
    /// The task runner when the tasks can be changed (not locked, the user works them).
    TaskEdit => "Working a task",
    /// The end-of-line testing form.
    Testing => "End-of-line testing",
    /// The testing form when it can be filled in.
    TestingEdit => "Filling in the test",
    /// The packaging checklist.
    Packaging => "Packaging",
    /// The packaging checklist when it can be changed.
    PackagingEdit => "Packing",
    /// The admin's work instructions and tools.
    WorkInstructions => "Work instructions",
    /// Editing one work instruction's steps.
    InstructionEditor => "Instruction steps",
    /// One work instruction's revisions and their step diffs.
    InstructionRevisions => "Instruction revisions",
    /// The service parts catalogue.
    ServiceCatalog => "Service parts",
    /// The service cart.
    ServiceCart => "Cart",
    /// The requester's own service orders.
    MyServiceOrders => "My service orders",
    /// Procurement's queue of service orders.
    ServiceQueue => "Service orders",
    /// One service order being processed.
    ServiceOrderView => "Service order",
    /// A service order that may be approved or rejected (PENDING, procurement).
    ServiceOrderPending => "Decision",
    /// A service order that may be marked fulfilled (APPROVED, procurement).
    ServiceOrderApproved => "Fulfilment",
    /// Procurement's order desk.
    OrderDesk => "Order desk",
    /// The parts-shortage view.
    Shortage => "Parts shortage",
    /// A build's history of changes.
    BuildHistory => "History of changes",
    /// The administrator's audit log.
    AuditLog => "Audit log",
    /// Paging through audit rows, newest first (the history and the audit log).
    AuditPages => "Audit rows",
    /// One audit row with its full images.
    AuditEntry => "Audit row",
    /// The build detail when the user may raise a nonconformance on it.
    RaiseNcAction => "Nonconformance",
    /// The list of open nonconformances.
    NcList => "Open nonconformances",
    /// One nonconformance.
    NcDetail => "Nonconformance",
    /// A nonconformance the user may disposition or sign a second time.
    NcDisposition => "Disposition",
    /// A dispositioned nonconformance the user may close.
    NcClose => "Closure",
    /// A build's comment thread.
    Comments => "Comments",
    /// The thread when the user resolves and reopens comments (coordinators).
    CommentResolve => "Resolution",
    /// Writing or editing a comment.
    CommentCompose => "Writing a comment",
    /// A build's documents.
    Documents => "Documents",
    /// A build's documents when the user may attach one (coordinators, QC).
    DocumentsAttach => "Attaching documents",
    /// A QC checklist of a build with a current technical drawing.
    QcDrawing => "Drawing",
    /// A build the user may put on hold (docs/holds.md §2.2).
    HoldAction => "Hold",
    /// A held build the user may release (docs/holds.md §2.3).
    ReleaseHoldAction => "Release hold",
    /// The administrator's system settings (docs/settings.md §4).
    Settings => "System settings",
    /// The production reports (docs/reports.md §5).
    Reports => "Reports",
    /// A build whose details the user may correct (docs/lifecycle.md §11).
    CorrectAction => "Correction",
    /// A build the user may cancel (docs/lifecycle.md §12).
    CancelAction => "Cancelling",
    /// Picking a failed QC result's rejection reasons (docs/rejection-reasons.md §2.1).
    ReasonPicker => "Rejection reasons",
    /// The rejection reason list (ADMIN, docs/rejection-reasons.md §1).
    RejectionReasons => "Rejection reasons",
    /// The administrator's checklist templates and their versions.
    Templates => "Checklist templates",
    /// One template version, read-only.
    TemplateVersion => "Template version",
    /// The item list of a new template version.
    TemplateEditor => "Template editor",
    /// One item's form in the template editor.
    TemplateItem => "Checklist item",
    /// The items a sample build gets.
    TemplatePreview => "Preview",
}
