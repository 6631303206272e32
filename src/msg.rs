//! The messages that flow through the application loop, and the commands `update` returns as data.
//!
//! Screens never perform IO: they return [`Command::Db`] with a [`ServiceRequest`]; the runtime runs it off the
//! render path and feeds the [`ServiceReply`] back as [`Msg::Db`]. Every request carries a [`RequestId`] so a screen
//! can drop replies it no longer waits for.

use crate::domain::Role;
use crate::domain::audit_trail::{
    AuditPage, BuildHistory, HistoryQuery, LogFilter, LogQuery, VerifyOutcome,
};
use crate::domain::bom::BomPreview;
use crate::domain::bom_document::{BomDocument, BomVersionList};
use crate::domain::checklist::FormType;
use crate::domain::comment::CommentThread;
use crate::domain::desk::{DeskRow, Shortage};
use crate::domain::floor::{PackagingView, TestingFormView, TestingSubmitted};
use crate::domain::instruction_revisions::InstructionHistory;
use crate::domain::instructions::{InstructionCatalog, InstructionDraft, ToolDraft};
use crate::domain::inventory::{BuildUse, Inventory};
use crate::domain::nonconformance::{Disposition, NcDetail, NcPage};
use crate::domain::notification::Notification;
use crate::domain::order::{
    AttachmentInfo, BuildConfig, CreatedOrder, DocumentLanguage, NewOrder, NumberCheck, OrderPage,
    OrderQuery, OrderRow, OrderStatus, WizardContext,
};
use crate::domain::order_view::OrderDetail;
use crate::domain::qc::{LineAnswer, QcForm, QcOutcome, QcResultDetail, QcResultSummary};
use crate::domain::scan::{Scan, ScanTarget};
use crate::domain::service_order::{
    CartLine, LineApproval, ServiceOrderScope, ServiceOrderStatus, ServiceOrderSummary,
    ServiceOrderView,
};
use crate::domain::session::Session;
use crate::domain::signature::SignatureCheck;
use crate::domain::tasks::{TaskCompletion, TaskListView, TaskView};
use crate::domain::user::{NewUser, UserSummary};
use crate::error::Result;
use crate::export::ExportFormat;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct RequestId(pub u64);

/// Everything `App::update` reacts to.
#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    /// A terminal event: key, paste, resize, focus.
    Term(crossterm::event::Event),
    /// The periodic tick with the time it fired (idle lock, session heartbeat, spinner).
    /// Carrying the instant keeps `update` free of clock reads, so tests can script time.
    Tick(std::time::Instant),
    /// A database job finished.
    Db(ServiceReply),
    /// A key with the moment it arrived, which tells a scanner's burst from a person's typing
    /// (docs/scanning.md §1).
    Key(crossterm::event::KeyEvent, std::time::Instant),
    /// The moment the shell asked to be woken at (`App::next_deadline`): held keys are due, or the
    /// screen's `wake_at`.
    Wake(std::time::Instant),
    /// Pasted text with the moment it arrived (docs/performance.md §3.3).
    Paste(String, std::time::Instant),
    /// The station's live-events listener: another station's commit, or the link's state
    /// (docs/live.md §2).
    Live(crate::live::Live),
}

/// What `update` asks the runtime to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    None,
    Batch(Vec<Command>),
    Db(ServiceRequest),
    Quit,
}

impl Command {
    /// Flattens `a` and `b` into one command, dropping `None`s.
    #[must_use]
    pub fn and(self, other: Command) -> Command {
        match (self, other) {
            (Command::None, c) | (c, Command::None) => c,
            (Command::Batch(mut a), Command::Batch(b)) => {
                a.extend(b);
                Command::Batch(a)
            }
            (Command::Batch(mut a), c) => {
                a.push(c);
                Command::Batch(a)
            }
            (c, Command::Batch(mut b)) => {
                b.insert(0, c);
                Command::Batch(b)
            }
            (a, b) => Command::Batch(vec![a, b]),
        }
    }
}

/// A database job. Every request except `Login` names the session it acts under; the service layer
/// resolves the token to the user and checks the role itself (the screens' checks are only a courtesy).
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceRequest {
    pub id: RequestId,
    pub kind: Request,
}

#[derive(Clone, PartialEq)]
pub enum Request {
    Login {
        username: String,
        password: String,
    },
    /// Logs in with a badge and its PIN (docs/security.md, Badge and PIN); answered like `Login`.
    /// `previous` is the session of a locked station: its own user's badge continues it, another
    /// user's badge ends it.
    LoginBadge {
        badge: String,
        pin: String,
        previous: Option<String>,
    },
    /// Re-checks the session user's password at the station lock screen. A wrong password counts
    /// toward the lockout like a failed login.
    Unlock {
        token: String,
        password: String,
    },
    Logout {
        token: String,
    },
    /// Validates the session (not expired, user still active), touches it, and counts unread notifications.
    Heartbeat {
        token: String,
    },
    ChangePassword {
        token: String,
        current: String,
        new: String,
    },
    ListUsers {
        token: String,
    },
    CreateUser {
        token: String,
        user: NewUser,
    },
    SetRole {
        token: String,
        user_id: Uuid,
        role: Role,
    },
    SetActive {
        token: String,
        user_id: Uuid,
        active: bool,
    },
    /// Sets a temporary password that must be changed at next login.
    ResetPassword {
        token: String,
        user_id: Uuid,
        temp_password: String,
    },
    /// Gives a user a badge with a new PIN (ADMIN).
    SetBadge {
        token: String,
        user_id: Uuid,
        badge: String,
        pin: String,
    },
    /// Takes a user's badge and PIN away (ADMIN).
    ClearBadge {
        token: String,
        user_id: Uuid,
    },
    Notifications {
        token: String,
    },
    MarkNotificationsRead {
        token: String,
        ids: Vec<Uuid>,
    },
    // Orders (PRODUCTION_COORDINATOR and ADMIN create and edit; queues and detail for every role but SVC).
    /// Today, the accessory list and the user's saved wizard draft.
    WizardContext {
        token: String,
    },
    /// Whether the PO number and build numbers are free (case-insensitive, across the database).
    CheckNumbers {
        token: String,
        po_number: String,
        build_numbers: Vec<String>,
    },
    /// Whether a file may be attached: readable, at most 10 MB, an allowed extension.
    CheckAttachment {
        token: String,
        path: String,
    },
    /// The BOM a build would get, not saved (the review step).
    PreviewBom {
        token: String,
        language: DocumentLanguage,
        build: Box<BuildConfig>,
    },
    /// Creates every build of the PO with its configuration, first BOM and history row, in one transaction;
    /// also discards the user's wizard draft.
    CreateOrder {
        token: String,
        order: Box<NewOrder>,
    },
    /// Keeps the user's unsubmitted wizard (its serialised state) in the database; one per user.
    SaveDraft {
        token: String,
        draft: serde_json::Value,
    },
    DiscardDraft {
        token: String,
    },
    ListOrders {
        token: String,
        query: Box<OrderQuery>,
    },
    /// Which of these builds belong to the queue `query` shows, read again after another station
    /// changed them (docs/live.md §3.2).
    OrderRows {
        token: String,
        query: Box<OrderQuery>,
        ids: Vec<Uuid>,
    },
    OrderDetail {
        token: String,
        order_id: Uuid,
    },
    /// A status change. `override_reason` makes it an ADMIN override; `note` goes into the history row (for
    /// T10 it is the shipping note).
    Transition {
        token: String,
        order_id: Uuid,
        from: OrderStatus,
        to: OrderStatus,
        note: Option<String>,
        override_reason: Option<String>,
        /// The signer's password for a signed move (T6, T10, every override: docs/signatures.md §1);
        /// ignored for the others.
        password: Option<String>,
    },
    /// Assigns (or with `None` unassigns) a build in its `expected` status.
    Assign {
        token: String,
        order_id: Uuid,
        expected: OrderStatus,
        assignee: Option<Uuid>,
    },
    /// Active users of a role (the assignee picker); answered with `Reply::Users`.
    UsersWithRole {
        token: String,
        role: Role,
    },
    /// Replaces a build's configuration and accessories (ORDER_CREATED only) and regenerates its BOM.
    UpdateBuild {
        token: String,
        order_id: Uuid,
        build: Box<BuildConfig>,
    },
    /// Approves the build's current DRAFT BOM; `version` is the one the user saw (ORDER_CREATED only).
    ApproveBom {
        token: String,
        order_id: Uuid,
        version: i32,
        /// The approval is signed (docs/signatures.md §1).
        password: String,
    },
    /// Generates a new DRAFT BOM version from the stored configuration (ORDER_CREATED only).
    RegenerateBom {
        token: String,
        order_id: Uuid,
    },
    // BOM viewer and exports (every role that may see the build).
    /// The build's BOM versions, newest first.
    BomVersions {
        token: String,
        order_id: Uuid,
    },
    /// One stored version with its items: `bom_id`, or the current version when `None`.
    BomDocument {
        token: String,
        order_id: Uuid,
        bom_id: Option<Uuid>,
    },
    /// Writes the build's current BOM as files into `dir` (on the station's file system).
    ExportBom {
        token: String,
        order_id: Uuid,
        format: ExportFormat,
        dir: String,
    },
    /// Writes the build's device history record (PDF and JSON) into `dir` (on the station's file system).
    ExportDhr {
        token: String,
        order_id: Uuid,
        dir: String,
    },
    // Inventory (every role).
    /// The whole catalog, for browsing and searching on the station.
    Inventory {
        token: String,
    },
    /// Which open builds' current BOMs contain `item_id` (the catalog's own where-used comes from the
    /// inventory itself).
    WhereUsed {
        token: String,
        item_id: String,
    },
    // QC (QC_PERSON performs; every role that may see the build reads the history).
    /// The QC form the build's status calls for, with the open draft.
    QcForm {
        token: String,
        order_id: Uuid,
    },
    /// Saves the inspector's draft (created on the first save): the job id and the given answers.
    SaveQcDraft {
        token: String,
        order_id: Uuid,
        qc_type: FormType,
        job_id: String,
        answers: Vec<LineAnswer>,
    },
    /// Signs and submits the draft with these final answers, and moves the build (T3, T4, T8 or T9).
    SubmitQc {
        token: String,
        order_id: Uuid,
        qc_type: FormType,
        job_id: String,
        answers: Vec<LineAnswer>,
        outcome: QcOutcome,
        /// The failure reason (FAIL only).
        reason: Option<String>,
        password: String,
        /// The rejection reasons a FAIL names, by id (docs/rejection-reasons.md §2.1); none for a PASS.
        rejection_reasons: Vec<Uuid>,
    },
    /// ADMIN: throws away the open draft of a build's form.
    DiscardQcDraft {
        token: String,
        order_id: Uuid,
        qc_type: FormType,
    },
    /// Every QC result of the build, newest first, each with its signature checked.
    QcHistory {
        token: String,
        order_id: Uuid,
    },
    /// One result with every answer.
    QcResult {
        token: String,
        result_id: Uuid,
    },
    /// Writes the certificate PDF of a passed Final QC into `dir`.
    QcCertificate {
        token: String,
        result_id: Uuid,
        dir: String,
    },
    // Assembly floor (ASSEMBLER works; every role that may see the build reads).
    /// The build's active task list.
    TaskList {
        token: String,
        order_id: Uuid,
    },
    /// Completes a task; only one station's completion wins.
    CompleteTask {
        token: String,
        task_id: Uuid,
        completion: TaskCompletion,
    },
    ReopenTask {
        token: String,
        task_id: Uuid,
    },
    /// Adds a note to a task (earlier notes stay).
    AddTaskNote {
        token: String,
        task_id: Uuid,
        note: String,
    },
    /// The end-of-line testing form with its draft and the round's submitted forms.
    TestingForm {
        token: String,
        order_id: Uuid,
    },
    /// Keeps the answers as the build's INCOMPLETE testing form.
    SaveTestingDraft {
        token: String,
        order_id: Uuid,
        answers: Vec<LineAnswer>,
    },
    /// Submits the testing form: one result per item and basin, PASS or FAIL; then immutable.
    SubmitTesting {
        token: String,
        order_id: Uuid,
        answers: Vec<LineAnswer>,
        /// The submission is signed (docs/signatures.md §1).
        password: String,
    },
    /// Every electronic signature of a build, oldest first, each checked against its record as stored
    /// now (docs/signatures.md §5); answered with `Reply::Signatures`.
    Signatures {
        token: String,
        order_id: Uuid,
    },
    /// The build's current packaging checklist.
    Packaging {
        token: String,
        order_id: Uuid,
    },
    SetPacked {
        token: String,
        item_id: Uuid,
        packed: i32,
    },
    SetMounted {
        token: String,
        item_id: Uuid,
        mounted: bool,
    },
    // Work instructions and tools (ADMIN edits; answered with `Reply::WorkInstructions`).
    WorkInstructions {
        token: String,
    },
    SaveWorkInstruction {
        token: String,
        instruction: Box<InstructionDraft>,
    },
    SaveTool {
        token: String,
        tool: Box<ToolDraft>,
    },
    /// The revisions of a work instruction (any logged-in user; `Reply::WorkInstructionRevisions`).
    WorkInstructionRevisions {
        token: String,
        instruction_id: Uuid,
    },
    // Service orders (SERVICE_DEPARTMENT requests; PROCUREMENT_SPECIALIST and ADMIN process; PC reads).
    /// Creates a PENDING order from the cart, in one transaction.
    SubmitServiceOrder {
        token: String,
        lines: Vec<CartLine>,
        notes: Option<String>,
    },
    ServiceOrders {
        token: String,
        scope: ServiceOrderScope,
        status: Option<ServiceOrderStatus>,
    },
    ServiceOrder {
        token: String,
        id: Uuid,
    },
    /// The requester deletes their own PENDING order.
    WithdrawServiceOrder {
        token: String,
        id: Uuid,
    },
    /// PENDING -> APPROVED with each line's approved quantity (0 removes the line).
    ApproveServiceOrder {
        token: String,
        id: Uuid,
        lines: Vec<LineApproval>,
        note: Option<String>,
        internal_note: Option<String>,
    },
    /// PENDING -> REJECTED with a required reason.
    RejectServiceOrder {
        token: String,
        id: Uuid,
        reason: String,
        internal_note: Option<String>,
    },
    /// APPROVED -> FULFILLED.
    FulfilServiceOrder {
        token: String,
        id: Uuid,
        note: Option<String>,
        internal_note: Option<String>,
    },
    // Procurement's order desk.
    /// The builds in ORDER_CREATED and PARTS_SENT with their BOM state.
    OrderDesk {
        token: String,
    },
    /// The flattened totals of those builds, grouped by part id.
    PartsShortage {
        token: String,
    },
    /// Writes the shortage as CSV into `dir`.
    ExportShortage {
        token: String,
        dir: String,
    },
    // The audit trail on screen (docs/audit.md §6).
    /// One page of a build's history of changes (every role that may see the build).
    BuildHistory {
        token: String,
        order_id: Uuid,
        query: HistoryQuery,
    },
    /// ADMIN: one page of the whole audit log.
    AuditLog {
        token: String,
        query: LogQuery,
    },
    /// ADMIN: every audit row matching `filter` as CSV into `dir`.
    ExportAuditLog {
        token: String,
        filter: LogFilter,
        dir: String,
    },
    /// ADMIN: `audit verify`, as the command line runs it.
    VerifyAudit {
        token: String,
    },
    // Nonconformances (docs/nonconformance.md).
    /// One page (0-based) of the OPEN nonconformances, oldest first.
    OpenNonconformances {
        token: String,
        page: u32,
    },
    /// One nonconformance with its signatures.
    Nonconformance {
        token: String,
        id: Uuid,
    },
    /// Raises a nonconformance by hand on a build: a description and the items, one per line.
    RaiseNonconformance {
        token: String,
        order_id: Uuid,
        description: String,
        items: Vec<String>,
    },
    /// Signs a disposition (a use-as-is's first or second signature).
    DispositionNonconformance {
        token: String,
        id: Uuid,
        disposition: Disposition,
        note: Option<String>,
        password: String,
    },
    /// Closes a dispositioned nonconformance with a note.
    CloseNonconformance {
        token: String,
        id: Uuid,
        note: String,
    },
    /// What a scanned build number or catalog id names (docs/scanning.md §3).
    FindScanned {
        token: String,
        scan: Scan,
    },
    // Comments on builds (docs/comments.md); each is answered with the thread, `Reply::Comments`.
    /// A build's thread as the user may see it: the one request its screen reloads with.
    BuildComments {
        token: String,
        order_id: Uuid,
    },
    /// Posts a comment; its @mentions notify the people named.
    PostComment {
        token: String,
        order_id: Uuid,
        body: String,
        internal: bool,
    },
    /// The author replaces the text of their comment within 10 minutes of posting.
    EditComment {
        token: String,
        comment_id: Uuid,
        body: String,
    },
    /// Coordinators resolve (`true`) or open again (`false`) a comment.
    ResolveComment {
        token: String,
        comment_id: Uuid,
        resolved: bool,
    },
    // A build's documents during production (docs/documents.md).
    /// The build's documents, current first (every role that may see the build).
    Documents {
        token: String,
        order_id: Uuid,
    },
    /// Coordinators and QC: attach the file at `path` on this station to the build, superseding the
    /// build's document link `supersedes` when given; the reply is the list after it.
    AttachDocument {
        token: String,
        order_id: Uuid,
        path: String,
        document_type: crate::domain::order::OrderDocumentType,
        supersedes: Option<Uuid>,
    },
    /// Writes a copy of the build's document link `document` into `dir` on this station (empty: where
    /// the station was started); the reply is the file written.
    SaveDocumentCopy {
        token: String,
        order_id: Uuid,
        document: Uuid,
        dir: String,
    },
    /// Checks a hold before the question that places it: the rules and the part ids against the
    /// catalog (docs/holds.md §2.1); the part lines with their names.
    CheckHold {
        token: String,
        order_id: Uuid,
        hold: crate::domain::hold::NewHold,
    },
    /// Puts the build on hold (docs/holds.md §2).
    PlaceHold {
        token: String,
        order_id: Uuid,
        hold: crate::domain::hold::NewHold,
    },
    /// Releases the build's open hold (docs/holds.md §2.3).
    ReleaseHold {
        token: String,
        order_id: Uuid,
        note: Option<String>,
    },
    // Production reports (docs/reports.md).
    /// One report over one period, read from the reporting connection.
    Report {
        token: String,
        kind: crate::domain::report::ReportKind,
        period: crate::domain::report::Period,
    },
    /// One report over one period as a CSV file into `dir`.
    ExportReport {
        token: String,
        kind: crate::domain::report::ReportKind,
        period: crate::domain::report::Period,
        dir: String,
    },
    // System settings (docs/settings.md).
    /// Every plant-wide setting with its value, default, range and last change (ADMIN).
    Settings {
        token: String,
    },
    /// Sets one setting to the typed `value` (ADMIN), refused when its stored text is no longer
    /// `expected` (the one the administrator saw); the reply is the settings after it.
    SetSetting {
        token: String,
        key: String,
        value: String,
        expected: Option<String>,
    },
    /// The database's date in UTC, for a screen that picks a period around today (docs/reports.md §5.3).
    Today {
        token: String,
    },
    /// Corrects the build's want date, project, sales person and notes (docs/lifecycle.md §11).
    CorrectOrder {
        token: String,
        order_id: Uuid,
        correction: Box<crate::domain::correction::CorrectionRequest>,
    },
    /// Cancels a build still in `expected` that has not entered production (docs/lifecycle.md §12).
    CancelOrder {
        token: String,
        order_id: Uuid,
        expected: crate::domain::order::OrderStatus,
        reason: String,
    },
    // QC rejection reasons (docs/rejection-reasons.md).
    /// The whole list (every role that inspects or administers); `active_only` for the inspector's pick.
    RejectionReasons {
        token: String,
        active_only: bool,
    },
    /// ADMIN: adds a reason (`id` None) or edits one (never its code).
    SaveRejectionReason {
        token: String,
        id: Option<Uuid>,
        input: crate::domain::rejection_reason::ReasonInput,
    },
    /// ADMIN: retires (`active` false) or reactivates a reason.
    SetRejectionReasonActive {
        token: String,
        id: Uuid,
        active: bool,
    },
    // Checklist templates (docs/checklists.md §12).
    /// Every stored version of every template.
    TemplateVersions {
        token: String,
    },
    /// One version with its items.
    TemplateVersion {
        token: String,
        id: Uuid,
    },
    /// Saves `items` as a new, inactive version of `form_name` (the highest version + 1).
    SaveTemplateVersion {
        token: String,
        form_name: String,
        items: Vec<crate::domain::checklist::ItemDraft>,
    },
    /// Makes a version the active one of its template; the others of its name become inactive.
    ActivateTemplateVersion {
        token: String,
        id: Uuid,
    },
    /// The items sample build `sample` would get from `items` of template `form_name`; nothing is saved.
    PreviewTemplate {
        token: String,
        form_name: String,
        items: Vec<crate::domain::checklist::ItemDraft>,
        sample: usize,
    },
}

// Passwords and tokens never reach a log line.
impl std::fmt::Debug for Request {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = match self {
            Request::Login { username, .. } => {
                return write!(f, "Login {{ username: {username:?} }}");
            }
            Request::LoginBadge { badge, .. } => {
                return write!(f, "LoginBadge {{ badge: {badge:?} }}");
            }
            Request::Unlock { .. } => "Unlock",
            Request::Logout { .. } => "Logout",
            Request::Heartbeat { .. } => "Heartbeat",
            Request::ChangePassword { .. } => "ChangePassword",
            Request::ListUsers { .. } => "ListUsers",
            Request::CreateUser { user, .. } => {
                return write!(f, "CreateUser {{ username: {:?} }}", user.username);
            }
            Request::SetRole { user_id, role, .. } => {
                return write!(f, "SetRole {{ user_id: {user_id}, role: {role} }}");
            }
            Request::SetActive {
                user_id, active, ..
            } => {
                return write!(f, "SetActive {{ user_id: {user_id}, active: {active} }}");
            }
            Request::ResetPassword { user_id, .. } => {
                return write!(f, "ResetPassword {{ user_id: {user_id} }}");
            }
            Request::SetBadge { user_id, badge, .. } => {
                return write!(f, "SetBadge {{ user_id: {user_id}, badge: {badge:?} }}");
            }
            Request::ClearBadge { user_id, .. } => {
                return write!(f, "ClearBadge {{ user_id: {user_id} }}");
            }
            Request::Notifications { .. } => "Notifications",
            Request::WizardContext { .. } => "WizardContext",
            Request::CheckNumbers { po_number, .. } => {
                return write!(f, "CheckNumbers {{ po_number: {po_number:?} }}");
            }
            Request::CheckAttachment { path, .. } => {
                return write!(f, "CheckAttachment {{ path: {path:?} }}");
            }
            Request::PreviewBom { build, .. } => {
                return write!(f, "PreviewBom {{ build: {:?} }}", build.build_number);
            }
            Request::CreateOrder { order, .. } => {
                return write!(
                    f,
                    "CreateOrder {{ po_number: {:?}, builds: {} }}",
                    order.header.po_number,
                    order.builds.len()
                );
            }
            Request::SaveDraft { .. } => "SaveDraft",
            Request::DiscardDraft { .. } => "DiscardDraft",
            Request::ListOrders { query, .. } => return write!(f, "ListOrders {{ {query:?} }}"),
            Request::OrderRows { ids, .. } => {
                return write!(f, "OrderRows {{ {} ids }}", ids.len());
            }
            Request::OrderDetail { order_id, .. } => {
                return write!(f, "OrderDetail {{ {order_id} }}");
            }
            Request::Transition {
                order_id, from, to, ..
            } => {
                return write!(f, "Transition {{ {order_id}: {from} -> {to} }}");
            }
            Request::Assign {
                order_id, assignee, ..
            } => {
                return write!(f, "Assign {{ {order_id} to {assignee:?} }}");
            }
            Request::UsersWithRole { role, .. } => return write!(f, "UsersWithRole {{ {role} }}"),
            Request::UpdateBuild { order_id, .. } => {
                return write!(f, "UpdateBuild {{ {order_id} }}");
            }
            Request::ApproveBom {
                order_id, version, ..
            } => {
                return write!(f, "ApproveBom {{ {order_id} version {version} }}");
            }
            Request::RegenerateBom { order_id, .. } => {
                return write!(f, "RegenerateBom {{ {order_id} }}");
            }
            Request::BomVersions { order_id, .. } => {
                return write!(f, "BomVersions {{ {order_id} }}");
            }
            Request::BomDocument {
                order_id, bom_id, ..
            } => {
                return write!(f, "BomDocument {{ {order_id} {bom_id:?} }}");
            }
            Request::ExportBom {
                order_id,
                format,
                dir,
                ..
            } => {
                return write!(f, "ExportBom {{ {order_id} {format:?} to {dir:?} }}");
            }
            Request::ExportDhr { order_id, dir, .. } => {
                return write!(f, "ExportDhr {{ {order_id} to {dir:?} }}");
            }
            Request::Inventory { .. } => "Inventory",
            Request::WhereUsed { item_id, .. } => {
                return write!(f, "WhereUsed {{ {item_id:?} }}");
            }
            Request::QcForm { order_id, .. } => return write!(f, "QcForm {{ {order_id} }}"),
            Request::SaveQcDraft {
                order_id, answers, ..
            } => {
                return write!(f, "SaveQcDraft {{ {order_id}, {} answers }}", answers.len());
            }
            Request::SubmitQc {
                order_id, outcome, ..
            } => {
                return write!(f, "SubmitQc {{ {order_id} {outcome:?} }}");
            }
            Request::DiscardQcDraft { order_id, .. } => {
                return write!(f, "DiscardQcDraft {{ {order_id} }}");
            }
            Request::QcHistory { order_id, .. } => {
                return write!(f, "QcHistory {{ {order_id} }}");
            }
            Request::QcResult { result_id, .. } => return write!(f, "QcResult {{ {result_id} }}"),
            Request::QcCertificate { result_id, .. } => {
                return write!(f, "QcCertificate {{ {result_id} }}");
            }
            Request::TaskList { order_id, .. } => return write!(f, "TaskList {{ {order_id} }}"),
            Request::CompleteTask { task_id, .. } => {
                return write!(f, "CompleteTask {{ {task_id} }}");
            }
            Request::ReopenTask { task_id, .. } => return write!(f, "ReopenTask {{ {task_id} }}"),
            Request::AddTaskNote { task_id, .. } => {
                return write!(f, "AddTaskNote {{ {task_id} }}");
            }
            Request::TestingForm { order_id, .. } => {
                return write!(f, "TestingForm {{ {order_id} }}");
            }
            Request::SaveTestingDraft {
                order_id, answers, ..
            } => {
                return write!(
                    f,
                    "SaveTestingDraft {{ {order_id}, {} answers }}",
                    answers.len()
                );
            }
            Request::SubmitTesting {
                order_id, answers, ..
            } => {
                return write!(
                    f,
                    "SubmitTesting {{ {order_id}, {} answers }}",
                    answers.len()
                );
            }
            Request::Signatures { order_id, .. } => {
                return write!(f, "Signatures {{ {order_id} }}");
            }
            Request::Packaging { order_id, .. } => return write!(f, "Packaging {{ {order_id} }}"),
            Request::SetPacked {
                item_id, packed, ..
            } => {
                return write!(f, "SetPacked {{ {item_id} = {packed} }}");
            }
            Request::SetMounted {
                item_id, mounted, ..
            } => {
                return write!(f, "SetMounted {{ {item_id} = {mounted} }}");
            }
            Request::WorkInstructions { .. } => "WorkInstructions",
            Request::SaveWorkInstruction { instruction, .. } => {
                return write!(f, "SaveWorkInstruction {{ {:?} }}", instruction.title);
            }
            Request::SaveTool { tool, .. } => return write!(f, "SaveTool {{ {:?} }}", tool.name),
            Request::WorkInstructionRevisions { instruction_id, .. } => {
                return write!(f, "WorkInstructionRevisions {{ {instruction_id} }}");
            }
            Request::SubmitServiceOrder { lines, .. } => {
                return write!(f, "SubmitServiceOrder {{ {} lines }}", lines.len());
            }
            Request::ServiceOrders { scope, status, .. } => {
                return write!(f, "ServiceOrders {{ {scope:?} {status:?} }}");
            }
            Request::ServiceOrder { id, .. } => return write!(f, "ServiceOrder {{ {id} }}"),
            Request::WithdrawServiceOrder { id, .. } => {
                return write!(f, "WithdrawServiceOrder {{ {id} }}");
            }
            Request::ApproveServiceOrder { id, .. } => {
                return write!(f, "ApproveServiceOrder {{ {id} }}");
            }
            Request::RejectServiceOrder { id, .. } => {
                return write!(f, "RejectServiceOrder {{ {id} }}");
            }
            Request::FulfilServiceOrder { id, .. } => {
                return write!(f, "FulfilServiceOrder {{ {id} }}");
            }
            Request::OrderDesk { .. } => "OrderDesk",
            Request::PartsShortage { .. } => "PartsShortage",
            Request::ExportShortage { dir, .. } => {
                return write!(f, "ExportShortage {{ {dir:?} }}");
            }
            Request::BuildHistory {
                order_id, query, ..
            } => {
                return write!(f, "BuildHistory {{ {order_id} before {:?} }}", query.before);
            }
            Request::AuditLog { query, .. } => {
                return write!(f, "AuditLog {{ before {:?} }}", query.before);
            }
            Request::ExportAuditLog { dir, .. } => {
                return write!(f, "ExportAuditLog {{ {dir:?} }}");
            }
            Request::VerifyAudit { .. } => "VerifyAudit",
            Request::MarkNotificationsRead { ids, .. } => {
                return write!(f, "MarkNotificationsRead {{ {} ids }}", ids.len());
            }
            Request::OpenNonconformances { page, .. } => {
                return write!(f, "OpenNonconformances {{ page {page} }}");
            }
            Request::Nonconformance { id, .. } => return write!(f, "Nonconformance {{ {id} }}"),
            Request::RaiseNonconformance { order_id, .. } => {
                return write!(f, "RaiseNonconformance {{ {order_id} }}");
            }
            Request::DispositionNonconformance {
                id, disposition, ..
            } => {
                return write!(f, "DispositionNonconformance {{ {id} {disposition} }}");
            }
            Request::CloseNonconformance { id, .. } => {
                return write!(f, "CloseNonconformance {{ {id} }}");
            }
            Request::FindScanned { scan, .. } => return write!(f, "FindScanned {{ {scan:?} }}"),
            Request::BuildComments { order_id, .. } => {
                return write!(f, "BuildComments {{ {order_id} }}");
            }
            Request::PostComment {
                order_id, internal, ..
            } => {
                return write!(f, "PostComment {{ {order_id} internal: {internal} }}");
            }
            Request::EditComment { comment_id, .. } => {
                return write!(f, "EditComment {{ {comment_id} }}");
            }
            Request::ResolveComment {
                comment_id,
                resolved,
                ..
            } => {
                return write!(f, "ResolveComment {{ {comment_id} resolved: {resolved} }}");
            }
            Request::Documents { order_id, .. } => return write!(f, "Documents {{ {order_id} }}"),
            Request::AttachDocument {
                order_id,
                document_type,
                supersedes,
                ..
            } => {
                return write!(
                    f,
                    "AttachDocument {{ {order_id} {document_type:?} supersedes {supersedes:?} }}"
                );
            }
            Request::SaveDocumentCopy {
                order_id,
                document,
                dir,
                ..
            } => {
                return write!(f, "SaveDocumentCopy {{ {order_id} {document} to {dir:?} }}");
            }
            Request::CheckHold { order_id, .. } => {
                return write!(f, "CheckHold {{ {order_id} }}");
            }
            Request::PlaceHold { order_id, .. } => {
                return write!(f, "PlaceHold {{ {order_id} }}");
            }
            Request::ReleaseHold { order_id, .. } => {
                return write!(f, "ReleaseHold {{ {order_id} }}");
            }
            Request::Report { kind, period, .. } => {
                return write!(f, "Report {{ {kind:?} {} .. {} }}", period.from, period.to);
            }
            Request::ExportReport { kind, dir, .. } => {
                return write!(f, "ExportReport {{ {kind:?} to {dir:?} }}");
            }
            Request::Settings { .. } => "Settings",
            Request::SetSetting { key, value, .. } => {
                return write!(f, "SetSetting {{ {key:?} = {value:?} }}");
            }
            Request::Today { .. } => "Today",
            Request::CorrectOrder { order_id, .. } => {
                return write!(f, "CorrectOrder {{ {order_id} }}");
            }
            Request::CancelOrder {
                order_id, expected, ..
            } => {
                return write!(f, "CancelOrder {{ {order_id} from {expected} }}");
            }
            Request::RejectionReasons { active_only, .. } => {
                return write!(f, "RejectionReasons {{ active_only: {active_only} }}");
            }
            Request::SaveRejectionReason { id, input, .. } => {
                return write!(f, "SaveRejectionReason {{ {id:?} {} }}", input.code);
            }
            Request::SetRejectionReasonActive { id, active, .. } => {
                return write!(f, "SetRejectionReasonActive {{ {id} {active} }}");
            }
            Request::TemplateVersions { .. } => "TemplateVersions",
            Request::TemplateVersion { id, .. } => return write!(f, "TemplateVersion {{ {id} }}"),
            Request::SaveTemplateVersion {
                form_name, items, ..
            } => {
                return write!(
                    f,
                    "SaveTemplateVersion {{ {form_name:?}, {} items }}",
                    items.len()
                );
            }
            Request::ActivateTemplateVersion { id, .. } => {
                return write!(f, "ActivateTemplateVersion {{ {id} }}");
            }
            Request::PreviewTemplate {
                form_name, sample, ..
            } => {
                return write!(f, "PreviewTemplate {{ {form_name:?} sample {sample} }}");
            }
        };
        f.write_str(name)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ServiceReply {
    pub id: RequestId,
    pub result: Result<Reply>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    LoggedIn(Session),
    Unlocked,
    LoggedOut,
    Heartbeat(HeartbeatInfo),
    PasswordChanged,
    Users(Vec<UserSummary>),
    UserSaved(UserSummary),
    Notifications(Vec<Notification>),
    Done,
    WizardContext(WizardContext),
    NumbersChecked(NumberCheck),
    AttachmentChecked(AttachmentInfo),
    BomPreview(BomPreview),
    OrderCreated(CreatedOrder),
    Orders(OrderPage),
    /// The rows asked for by `OrderRows` that still belong to the queue.
    OrderRows(Vec<OrderRow>),
    Order(Box<OrderDetail>),
    /// The build after a transition, assignment, edit or BOM change.
    OrderUpdated(OrderRow),
    BomVersions(Box<BomVersionList>),
    BomDocument(Box<BomDocument>),
    /// The files an export wrote, in the order written.
    Exported(Vec<std::path::PathBuf>),
    Inventory(Box<Inventory>),
    WhereUsed(Vec<BuildUse>),
    QcForm(Box<QcForm>),
    /// The draft's id after a save.
    QcDraftSaved(Uuid),
    QcSubmitted(Box<QcResultSummary>),
    QcHistory(Vec<QcResultSummary>),
    QcResult(Box<QcResultDetail>),
    TaskList(Box<TaskListView>),
    /// One task after a completion, reopen or note.
    Task(Box<TaskView>),
    TestingForm(Box<TestingFormView>),
    /// The draft's id after a save.
    TestingDraftSaved(Uuid),
    TestingSubmitted(TestingSubmitted),
    /// A build's signatures, oldest first, each with its verdict.
    Signatures(Vec<SignatureCheck>),
    /// The checklist after a change.
    Packaging(Box<PackagingView>),
    WorkInstructions(Box<InstructionCatalog>),
    WorkInstructionRevisions(Box<InstructionHistory>),
    ServiceOrders(Vec<ServiceOrderSummary>),
    /// One service order, after a read, a submit or a decision.
    ServiceOrder(Box<ServiceOrderView>),
    OrderDesk(Vec<DeskRow>),
    PartsShortage(Box<Shortage>),
    BuildHistory(Box<BuildHistory>),
    AuditLog(Box<AuditPage>),
    AuditVerified(Box<VerifyOutcome>),
    Nonconformances(NcPage),
    /// One nonconformance, after a read or a write.
    Nonconformance(Box<NcDetail>),
    /// What a scanned code names; `None` when nothing.
    Scanned(Option<ScanTarget>),
    /// A build's comment thread, after a read or a write.
    Comments(Box<CommentThread>),
    /// A build's documents, after a read or an attachment.
    Documents(Box<crate::domain::document::BuildDocuments>),
    /// A hold's part lines, checked and named from the catalog.
    HoldChecked(Vec<crate::domain::hold::NamedHoldPart>),
    /// One production report (docs/reports.md).
    Report(Box<crate::domain::report::ReportData>),
    /// The system settings, after a read or a change (docs/settings.md).
    Settings(Vec<crate::domain::settings::SettingView>),
    /// The database's date in UTC.
    Today(chrono::NaiveDate),
    /// The rejection reason list, after a read or a change (docs/rejection-reasons.md).
    RejectionReasons(Vec<crate::domain::rejection_reason::RejectionReason>),
    /// Every stored template version, after a read or an activation.
    TemplateVersions(Vec<crate::domain::template_versions::TemplateVersionRow>),
    TemplateVersion(Box<crate::domain::template_versions::TemplateVersion>),
    /// The version a save created.
    TemplateSaved(crate::domain::template_versions::TemplateVersionRow),
    TemplatePreview(Box<crate::domain::template_versions::TemplatePreview>),
}

impl Reply {
    /// The variant alone, for log lines: replies carry QC signatures, sessions and other content that
    /// stays out of the log.
    pub fn name(&self) -> &'static str {
        match self {
            Reply::LoggedIn(_) => "LoggedIn",
            Reply::Unlocked => "Unlocked",
            Reply::LoggedOut => "LoggedOut",
            Reply::Heartbeat(_) => "Heartbeat",
            Reply::PasswordChanged => "PasswordChanged",
            Reply::Users(_) => "Users",
            Reply::UserSaved(_) => "UserSaved",
            Reply::Notifications(_) => "Notifications",
            Reply::Done => "Done",
            Reply::WizardContext(_) => "WizardContext",
            Reply::NumbersChecked(_) => "NumbersChecked",
            Reply::AttachmentChecked(_) => "AttachmentChecked",
            Reply::BomPreview(_) => "BomPreview",
            Reply::OrderCreated(_) => "OrderCreated",
            Reply::Orders(_) => "Orders",
            Reply::OrderRows(_) => "OrderRows",
            Reply::Order(_) => "Order",
            Reply::OrderUpdated(_) => "OrderUpdated",
            Reply::BomVersions(_) => "BomVersions",
            Reply::BomDocument(_) => "BomDocument",
            Reply::Exported(_) => "Exported",
            Reply::Inventory(_) => "Inventory",
            Reply::WhereUsed(_) => "WhereUsed",
            Reply::QcForm(_) => "QcForm",
            Reply::QcDraftSaved(_) => "QcDraftSaved",
            Reply::QcSubmitted(_) => "QcSubmitted",
            Reply::QcHistory(_) => "QcHistory",
            Reply::QcResult(_) => "QcResult",
            Reply::TaskList(_) => "TaskList",
            Reply::Task(_) => "Task",
            Reply::TestingForm(_) => "TestingForm",
            Reply::TestingDraftSaved(_) => "TestingDraftSaved",
            Reply::TestingSubmitted(_) => "TestingSubmitted",
            Reply::Signatures(_) => "Signatures",
            Reply::Packaging(_) => "Packaging",
            Reply::WorkInstructions(_) => "WorkInstructions",
            Reply::WorkInstructionRevisions(_) => "WorkInstructionRevisions",
            Reply::ServiceOrders(_) => "ServiceOrders",
            Reply::ServiceOrder(_) => "ServiceOrder",
            Reply::OrderDesk(_) => "OrderDesk",
            Reply::PartsShortage(_) => "PartsShortage",
            Reply::BuildHistory(_) => "BuildHistory",
            Reply::AuditLog(_) => "AuditLog",
            Reply::AuditVerified(_) => "AuditVerified",
            Reply::Nonconformances(_) => "Nonconformances",
            Reply::Nonconformance(_) => "Nonconformance",
            Reply::Scanned(_) => "Scanned",
            Reply::Comments(_) => "Comments",
            Reply::Documents(_) => "Documents",
            Reply::HoldChecked(_) => "HoldChecked",
            Reply::Report(_) => "Report",
            Reply::Settings(_) => "Settings",
            Reply::Today(_) => "Today",
            Reply::RejectionReasons(_) => "RejectionReasons",
            Reply::TemplateVersions(_) => "TemplateVersions",
            Reply::TemplateVersion(_) => "TemplateVersion",
            Reply::TemplateSaved(_) => "TemplateSaved",
            Reply::TemplatePreview(_) => "TemplatePreview",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeartbeatInfo {
    pub unread_notifications: i64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::qc::QcResultStatus;

    const TOKEN: &str = "5f2b8a1c0d9e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a";
    const PASSWORD: &str = "p4ssw0rd-that-must-not-show";
    const NEW_PASSWORD: &str = "n3w-p4ssw0rd-that-must-not-show";

    fn assert_clean(shown: &str) {
        for secret in [TOKEN, PASSWORD, NEW_PASSWORD] {
            assert!(!shown.contains(secret), "{shown} shows {secret}");
        }
    }

    /// Every request that carries a password, and a sample of those with only the token, as the runtime
    /// and the dispatcher log them at debug.
    #[test]
    fn request_debug_leaves_out_passwords_and_tokens() {
        let t = || TOKEN.to_string();
        let id = Uuid::nil();
        let requests = vec![
            Request::Login {
                username: "quinn".into(),
                password: PASSWORD.into(),
            },
            Request::Unlock {
                token: t(),
                password: PASSWORD.into(),
            },
            Request::LoginBadge {
                badge: "U-QUINN".into(),
                pin: PASSWORD.into(),
                previous: Some(t()),
            },
            Request::SetBadge {
                token: t(),
                user_id: id,
                badge: "U-QUINN".into(),
                pin: PASSWORD.into(),
            },
            Request::ClearBadge {
                token: t(),
                user_id: id,
            },
            Request::ChangePassword {
                token: t(),
                current: PASSWORD.into(),
                new: NEW_PASSWORD.into(),
            },
            Request::ResetPassword {
                token: t(),
                user_id: id,
                temp_password: NEW_PASSWORD.into(),
            },
            Request::CreateUser {
                token: t(),
                user: NewUser {
                    username: "newbie".into(),
                    full_name: "New Bie".into(),
                    initials: "NB".into(),
                    role: Role::Admin,
                    password: NEW_PASSWORD.into(),
                    must_change_password: true,
                },
            },
            Request::SubmitQc {
                token: t(),
                order_id: id,
                qc_type: FormType::PreQc,
                job_id: "J-1".into(),
                answers: Vec::new(),
                outcome: QcOutcome::Pass,
                reason: None,
                password: PASSWORD.into(),
                rejection_reasons: Vec::new(),
            },
            Request::DispositionNonconformance {
                token: t(),
                id,
                disposition: crate::domain::nonconformance::Disposition::UseAsIs,
                note: None,
                password: PASSWORD.into(),
            },
            Request::Logout { token: t() },
            Request::Heartbeat { token: t() },
            Request::ListUsers { token: t() },
            Request::SetRole {
                token: t(),
                user_id: id,
                role: Role::Admin,
            },
            Request::SetActive {
                token: t(),
                user_id: id,
                active: false,
            },
            Request::Notifications { token: t() },
            Request::MarkNotificationsRead {
                token: t(),
                ids: vec![id],
            },
            Request::WizardContext { token: t() },
            Request::CheckNumbers {
                token: t(),
                po_number: "PO-1".into(),
                build_numbers: vec!["B-1".into()],
            },
            Request::SaveDraft {
                token: t(),
                draft: serde_json::json!({ "note": PASSWORD }),
            },
            Request::ListOrders {
                token: t(),
                query: Box::default(),
            },
            Request::OrderRows {
                token: t(),
                query: Box::default(),
                ids: vec![id],
            },
            Request::OrderDetail {
                token: t(),
                order_id: id,
            },
            Request::ExportBom {
                token: t(),
                order_id: id,
                format: ExportFormat::Csv,
                dir: "/tmp".into(),
            },
            Request::ExportDhr {
                token: t(),
                order_id: id,
                dir: "/tmp".into(),
            },
            Request::SaveQcDraft {
                token: t(),
                order_id: id,
                qc_type: FormType::PreQc,
                job_id: "J-1".into(),
                answers: Vec::new(),
            },
            Request::CompleteTask {
                token: t(),
                task_id: id,
                completion: TaskCompletion::default(),
            },
            Request::SaveWorkInstruction {
                token: t(),
                instruction: Box::default(),
            },
            Request::SaveTool {
                token: t(),
                tool: Box::default(),
            },
            Request::SubmitServiceOrder {
                token: t(),
                lines: Vec::new(),
                notes: None,
            },
            Request::ServiceOrders {
                token: t(),
                scope: ServiceOrderScope::Mine,
                status: Some(ServiceOrderStatus::Pending),
            },
            Request::ExportShortage {
                token: t(),
                dir: "/tmp".into(),
            },
        ];
        for r in &requests {
            let shown = format!("{r:?}");
            assert_clean(&shown);
            // Still says what the request was.
            assert!(
                shown.chars().next().is_some_and(char::is_uppercase),
                "{shown}"
            );
        }
        assert_eq!(
            format!("{:?}", requests[0]),
            r#"Login { username: "quinn" }"#
        );
    }

    /// Replies are logged by name only; their Debug still leaves out the session token and the QC
    /// signature with its hash.
    #[test]
    fn replies_show_no_session_token_or_signature() {
        let signature =
            format!("Quinn Inspector (QI) PRE_QC PASS 2025-03-04T05:06:07Z sha256:{TOKEN}");
        let summary = QcResultSummary {
            id: Uuid::nil(),
            qc_type: FormType::PreQc,
            template_name: "Pre-QC".into(),
            template_version: 1,
            status: QcResultStatus::Pass,
            performed_by: "Quinn Inspector".into(),
            at: None,
            job_id: Some("J-1".into()),
            notes: None,
            signature,
            verified: Some(true),
        };
        let reply = Reply::QcHistory(vec![summary]);
        assert_eq!(reply.name(), "QcHistory");
        let shown = format!("{reply:?}");
        assert_clean(&shown);
        assert!(!shown.contains("sha256:"), "{shown}");
        assert!(shown.contains("Quinn Inspector"), "{shown}");

        let session = Session {
            token: TOKEN.into(),
            user: UserSummary {
                id: Uuid::nil(),
                username: "quinn".into(),
                full_name: "Quinn Inspector".into(),
                initials: "QI".into(),
                role: Role::QcPerson,
                is_active: true,
                last_login_at: None,
                must_change_password: false,
                has_badge: false,
            },
            expires_at: chrono::NaiveDateTime::default(),
        };
        let reply = Reply::LoggedIn(session);
        assert_eq!(reply.name(), "LoggedIn");
        assert_clean(&format!("{reply:?}"));
    }
}
