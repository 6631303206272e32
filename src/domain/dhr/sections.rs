//! The entries of each section of the record (docs/dhr.md §2). Numbers (`number`, `line`) are 1-based
//! and are what the exceptions refer to.

use super::{utc, utc_opt};
use chrono::NaiveDateTime;
use serde::Serialize;

/// §1: the build and the device it is.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Identification {
    pub po_number: String,
    pub build_number: String,
    pub customer_name: String,
    pub project_name: Option<String>,
    pub sink_family: String,
    pub sink_model: String,
    /// Devices per build: one sink.
    pub quantity: u32,
    /// The build's status at export.
    pub status: String,
    #[serde(serialize_with = "utc")]
    pub created_at: NaiveDateTime,
    pub serial_numbers: Vec<SerialNumber>,
}

/// A serial number written down at end-of-line testing (a testing line whose name says so).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SerialNumber {
    pub name: String,
    pub value: String,
    /// The testing form (§8) it was recorded on.
    pub form: usize,
}

/// §2: the configuration as stored now, and every change made to it after the build was created.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Configuration {
    /// The stored configuration, in the order document's own keys.
    pub current: serde_json::Value,
    pub changes: Vec<ConfigChange>,
}

/// One changed field (or one configuration row added or removed), from the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigChange {
    #[serde(serialize_with = "utc")]
    pub at: NaiveDateTime,
    pub by: String,
    pub table: String,
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// §3: the BOM versions of the build.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BomSection {
    /// The build's current version (approved or not), with its top-level lines and totals.
    pub current: Option<BomVersionDetail>,
    /// The version approved for production, when there is one.
    pub production_approved: Option<BomVersionSummary>,
    /// Every version, oldest first.
    pub versions: Vec<BomVersionSummary>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BomVersionSummary {
    pub version: i32,
    pub status: String,
    #[serde(serialize_with = "utc_opt")]
    pub generated_at: Option<NaiveDateTime>,
    pub generated_by: String,
    pub approved_by: Option<String>,
    #[serde(serialize_with = "utc_opt")]
    pub approved_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BomVersionDetail {
    pub version: BomVersionSummary,
    pub top_level_lines: Vec<BomLine>,
    /// Every item of the tree, top level and below.
    pub item_count: usize,
    /// Distinct leaf items and their summed quantity (docs/bom-rules.md §6).
    pub total_items: usize,
    pub total_pieces: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BomLine {
    pub item_id: String,
    pub name: String,
    pub item_type: String,
    pub quantity: String,
}

/// §4: one row of the status history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusMove {
    #[serde(serialize_with = "utc")]
    pub at: NaiveDateTime,
    pub by: String,
    pub action: String,
    pub from: Option<String>,
    pub to: String,
    /// The station that wrote it (the audit row's user agent).
    pub station: Option<String>,
    pub note: Option<String>,
}

/// §5: an assignment or its removal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Assignment {
    #[serde(serialize_with = "utc")]
    pub at: NaiveDateTime,
    pub by: String,
    pub action: String,
    pub status: String,
    pub note: Option<String>,
}

/// §6: a submitted QC result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QcEntry {
    pub number: usize,
    pub qc_type: String,
    pub checklist: String,
    pub status: String,
    pub performed_by: String,
    #[serde(serialize_with = "utc_opt")]
    pub at: Option<NaiveDateTime>,
    pub job_id: Option<String>,
    pub notes: Option<String>,
    /// The signature as stored: name, meaning, UTC time and hash.
    pub manifestation: String,
    pub verified: bool,
}

/// §7: a production task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskEntry {
    pub number: usize,
    pub list: String,
    pub description: String,
    /// The work instruction the task was generated with, as one text (title and revision).
    pub instruction: Option<String>,
    pub completed: bool,
    pub completed_by: Option<String>,
    #[serde(serialize_with = "utc_opt")]
    pub completed_at: Option<NaiveDateTime>,
    pub notes: Option<String>,
    /// The reason given for completing it as not applicable.
    pub na_reason: Option<String>,
    /// Appended after a Final QC failure.
    pub rework: bool,
    /// How often a completed task was opened again (from the audit trail).
    pub reopened: u32,
}

/// §8: a submitted end-of-line testing form, failed ones too.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TestingFormEntry {
    pub number: usize,
    pub status: String,
    pub performed_by: String,
    #[serde(serialize_with = "utc_opt")]
    pub at: Option<NaiveDateTime>,
    pub notes: Option<String>,
    pub lines: Vec<TestLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TestLine {
    pub line: usize,
    pub name: String,
    pub test_type: String,
    /// The value recorded, with its unit.
    pub measurement: Option<String>,
    /// `min .. max unit` of the testing item, when it has limits.
    pub limits: Option<String>,
    /// PASS, FAIL or N_A.
    pub judgement: String,
    pub notes: Option<String>,
}

/// §9: a packaging checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PackagingEntry {
    pub number: usize,
    pub performed_by: String,
    pub completed: bool,
    #[serde(serialize_with = "utc_opt")]
    pub completed_at: Option<NaiveDateTime>,
    pub notes: Option<String>,
    pub items: Vec<PackLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PackLine {
    pub item_id: String,
    pub required: i32,
    pub packed: i32,
    pub complete: bool,
    pub notes: Option<String>,
}

/// §10: the shipment (the SHIPPED history row).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Shipping {
    #[serde(serialize_with = "utc")]
    pub at: NaiveDateTime,
    pub by: String,
    pub tracking: Option<String>,
    pub note: Option<String>,
}

impl Shipping {
    /// Splits the SHIPPED row's notes, `Tracking: <n>; <note>` (docs/lifecycle.md §3.2), into its parts.
    pub fn from_notes(at: NaiveDateTime, by: String, notes: Option<&str>) -> Shipping {
        let notes = notes.map(str::trim).filter(|n| !n.is_empty());
        let (tracking, note) = match notes {
            Some(n) => match n.strip_prefix("Tracking: ") {
                Some(rest) => match rest.split_once("; ") {
                    Some((t, note)) => (Some(t.to_string()), Some(note.to_string())),
                    None => (Some(rest.to_string()), None),
                },
                None => (None, Some(n.to_string())),
            },
            None => (None, None),
        };
        Shipping {
            at,
            by,
            tracking,
            note,
        }
    }
}

/// §11: a nonconformance record and its disposition.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NonconformanceEntry {
    pub number: String,
    pub source: String,
    pub description: String,
    /// The non-conforming items, one line each.
    pub items: Vec<String>,
    pub status: String,
    pub raised_by: String,
    /// When it was raised.
    #[serde(serialize_with = "utc")]
    pub at: NaiveDateTime,
    pub disposition: Option<String>,
    pub disposition_note: Option<String>,
    pub dispositioned_by: Option<String>,
    #[serde(serialize_with = "utc_opt")]
    pub dispositioned_at: Option<NaiveDateTime>,
    pub closed_by: Option<String>,
    #[serde(serialize_with = "utc_opt")]
    pub closed_at: Option<NaiveDateTime>,
    pub close_note: Option<String>,
}

/// §12: an administrator's override with its reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OverrideEntry {
    #[serde(serialize_with = "utc")]
    pub at: NaiveDateTime,
    pub by: String,
    pub from: Option<String>,
    pub to: Option<String>,
    pub reason: String,
}

/// §13: an attached document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentEntry {
    pub original_name: String,
    pub document_type: String,
    pub content_type: String,
    pub size: i64,
    pub uploaded_by: String,
    #[serde(serialize_with = "utc_opt")]
    pub uploaded_at: Option<NaiveDateTime>,
    /// SHA-256 of the stored content; none when only a link is stored.
    pub sha256: Option<String>,
}

/// §14: an electronic signature of the build, and whether its hash still matches the signed record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignatureEntry {
    /// What was signed, as the record names it (`QC result 2`).
    pub record: String,
    pub meaning: String,
    pub printed_name: String,
    #[serde(serialize_with = "utc_opt")]
    pub signed_at: Option<NaiveDateTime>,
    pub manifestation: String,
    pub verified: bool,
    /// Why it does not verify.
    pub problem: Option<String>,
}

/// §15: the end of the audit chain when the record was read, after sealing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChainHeadEntry {
    pub position: i64,
    pub link: String,
    #[serde(serialize_with = "utc")]
    pub sealed_at: NaiveDateTime,
}

/// The serial numbers the testing forms recorded: every answered line whose name says `serial number`,
/// once per name and value, with the first form that recorded it.
pub fn serial_numbers(forms: &[TestingFormEntry]) -> Vec<SerialNumber> {
    let mut out: Vec<SerialNumber> = Vec::new();
    for form in forms {
        for line in &form.lines {
            let Some(value) = line.measurement.as_deref().map(str::trim) else {
                continue;
            };
            if value.is_empty() || !line.name.to_lowercase().contains("serial number") {
                continue;
            }
            if !out.iter().any(|s| s.name == line.name && s.value == value) {
                out.push(SerialNumber {
                    name: line.name.clone(),
                    value: value.to_string(),
                    form: form.number,
                });
            }
        }
    }
    out
}

/// The configuration columns of `"ProductionOrder"`; other columns (status, assignee, BOM) are not
/// configuration.
pub const CONFIG_COLUMNS: &[&str] = &[
    "sinkFamily",
    "sinkModel",
    "sinkWidth",
    "sinkLength",
    "legsType",
    "legsModel",
    "feetType",
    "workflowDirection",
    "hasPegboard",
    "pegboardColor",
    "pegboardType",
    "pegboardSizeType",
    "pegboardWidth",
    "pegboardLength",
];

/// One audit image of a configuration row, as `db::dhr` reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigImage {
    pub at: NaiveDateTime,
    pub by: String,
    pub table: String,
    pub action: String,
    pub old: Option<serde_json::Value>,
    pub new: Option<serde_json::Value>,
}

fn value_text(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// A configuration row in one line, without its keys and times: `basinIndex=1, basinType=E_SINK`.
fn row_text(v: &serde_json::Value) -> Option<String> {
    let map = v.as_object()?;
    let parts: Vec<String> = map
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "id" | "orderId" | "createdAt"))
        .filter_map(|(k, v)| value_text(v).map(|t| format!("{k}={t}")))
        .collect();
    Some(parts.join(", "))
}

/// The changes the audit images describe: every configuration column an update of the build changed,
/// and every configuration row added or removed (docs/dhr.md §2.2).
pub fn config_changes(images: &[ConfigImage]) -> Vec<ConfigChange> {
    let mut out = Vec::new();
    for img in images {
        let change = |field: &str, old: Option<String>, new: Option<String>| ConfigChange {
            at: img.at,
            by: img.by.clone(),
            table: img.table.clone(),
            field: field.to_string(),
            old,
            new,
        };
        match (img.table.as_str(), img.action.as_str()) {
            ("ProductionOrder", "UPDATE") => {
                let null = serde_json::Value::Null;
                for col in CONFIG_COLUMNS {
                    let old = img.old.as_ref().and_then(|o| o.get(*col)).unwrap_or(&null);
                    let new = img.new.as_ref().and_then(|n| n.get(*col)).unwrap_or(&null);
                    if old != new {
                        out.push(change(col, value_text(old), value_text(new)));
                    }
                }
            }
            ("ProductionOrder", _) => {}
            (_, "INSERT") => out.push(change(
                "row added",
                None,
                img.new.as_ref().and_then(row_text),
            )),
            (_, "DELETE") => out.push(change(
                "row removed",
                img.old.as_ref().and_then(row_text),
                None,
            )),
            _ => {}
        }
    }
    out
}
