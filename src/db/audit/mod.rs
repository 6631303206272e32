//! The hash-chained audit trail (docs/audit.md): sealing committed audit rows onto the chain, the
//! retention cleanup, and `audit verify`.
//!
//! Verification recomputes everything itself from the stored columns with built-in SQL functions only,
//! never with a function of the schema: a function can be replaced by whoever owns the schema, and a
//! verifier that trusted it could be made to agree with a changed record.

mod seal;
pub mod trail;
mod verify;

pub use seal::*;
pub use verify::*;

/// Every audited table and the column its audit rows are keyed by.
pub const AUDITED: &[(&str, &str)] = &[
    ("User", "id"),
    ("UserSession", "id"),
    ("LoginThrottle", "id"),
    ("SystemSetting", "id"),
    ("SystemNotification", "id"),
    ("Part", "id"),
    ("Assembly", "id"),
    ("AssemblyComponent", "id"),
    ("Category", "id"),
    ("WorkInstruction", "id"),
    ("WorkInstructionStep", "id"),
    ("WorkInstructionRevision", "id"),
    ("Tool", "id"),
    ("ProductionOrder", "id"),
    ("BasinConfiguration", "id"),
    ("FaucetConfiguration", "id"),
    ("SprayerConfiguration", "id"),
    ("OrderAccessory", "id"),
    ("OrderStatusHistory", "id"),
    ("OrderDraft", "id"),
    ("Document", "id"),
    ("OrderDocument", "id"),
    ("DocumentContent", "documentId"),
    ("BillOfMaterials", "id"),
    ("BOMItem", "id"),
    ("QCFormTemplate", "id"),
    ("QCChecklistItem", "id"),
    ("QCResult", "id"),
    ("QCItemResult", "id"),
    ("TaskList", "id"),
    ("Task", "id"),
    ("TaskTool", "id"),
    ("TaskPart", "id"),
    ("TestingForm", "id"),
    ("TestResult", "id"),
    ("PackagingChecklist", "id"),
    ("PackagingItem", "id"),
    ("ServiceOrder", "id"),
    ("ServiceOrderItem", "id"),
    ("ElectronicSignature", "id"),
    ("Nonconformance", "id"),
    ("BuildComment", "id"),
    ("BuildCommentMention", "id"),
    ("DeadlineAlert", "id"),
    ("AlertSweep", "id"),
    ("BuildHold", "id"),
    ("QCRejectionReason", "id"),
    ("QCResultRejection", "id"),
    ("OrderCorrection", "id"),
];

/// Tables whose rows change without an audit row by design: a session's `lastUsedAt` only.
const UPDATE_NOT_AUDITED: &[&str] = &["UserSession", "DocumentContent"];

/// The actions the audit trigger (and the baselines and retention) write: row images. Other actions are
/// explicit notes beside them (a status override's reason) and describe no row.
const IMAGE_ACTIONS: &str = "('INSERT', 'UPDATE', 'DELETE', 'BASELINE', 'RETAINED')";

/// The link before the first one.
pub const GENESIS_LINK: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The text of an audit row that its link covers; the sealer (`audit_seal`) builds the same array.
const ROW_CONTENT: &str = r#"jsonb_build_array(a."seq", a.id, a."userId", a."sessionId", a."dbRole", a."action", a."entityType", a."entityId", a."oldValues", a."newValues", a."ipAddress", a."userAgent", a."timestamp")::text"#;
