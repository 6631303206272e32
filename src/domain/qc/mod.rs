//! QC checklists (docs/qc.md): the items a build's form shows, how answers are judged, the
//! progress and PASS rule, and the e-signature's text and hash. Pure code; the database layer fills these
//! types and the screens show them.
//!
//! How answers are judged and counted is in `judge`; the e-signature's text and hash in `signature`.

pub mod carry;
mod judge;
mod signature;
#[cfg(test)]
#[allow(clippy::panic)] // a test reports failure by panicking
mod tests;

pub use carry::{PreviousNote, QcPrevious, carried_answers, is_unanswered, previous_notes};
pub use judge::{
    OPTION_SEPARATOR, TEXT_MAX, check_answer_text, join_options, judge, may_pass, progress,
};
pub use signature::{
    SignatureFormat, SignedContent, SignedItem, canonical_json, content_hash, meaning,
    signature_hash, signature_matches, signature_seal, signature_text, signed_at_text,
};

use crate::domain::applies_when::{BasinFacts, SinkFacts, compile, eval};
use crate::domain::checklist::{CheckType, FormType};
use crate::domain::enums::pg_enum;
use crate::domain::order::{BuildConfig, DocumentLanguage};
use crate::text::check_text;
use chrono::NaiveDateTime;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pg_enum!(
    /// `"QCResultStatus"`.
    QcResultStatus, "QCResultStatus", [Pass => "PASS", Fail => "FAIL", Incomplete => "INCOMPLETE"]
);

/// What the inspector signs for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum QcOutcome {
    Pass,
    Fail,
}

/// A `"QCChecklistItem"` row with its `rules` read out.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QcItemDef {
    pub id: Uuid,
    pub code: String,
    pub section: String,
    pub sequence: i32,
    pub description: String,
    pub check_type: CheckType,
    pub basin_specific: bool,
    pub required: bool,
    pub notes_prompt: bool,
    /// MULTI_CHOICE only.
    pub options: Vec<String>,
    pub multiple: bool,
    /// MEASUREMENT only.
    pub unit: Option<String>,
    pub min: Option<Decimal>,
    pub max: Option<Decimal>,
    /// The condition as written; absent = always applies.
    pub applies_when: Option<String>,
    /// MULTI_CHOICE answers that need a note.
    pub note_required_for: Vec<String>,
    /// e.g. `BasinConfiguration.drainLocation`.
    pub store_to: Option<String>,
}

/// One line of a form: an item, once, or once per applicable basin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct FormLine {
    /// Index into the form's items.
    pub item: usize,
    /// 1-based basin for basin-specific items.
    pub basin_index: Option<i32>,
}

impl FormLine {
    /// The line of item `item`, for one basin or (`None`) the whole sink.
    pub const fn new(item: usize, basin_index: Option<i32>) -> FormLine {
        FormLine { item, basin_index }
    }
}

/// An answer as `"QCItemResult"` stores it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    pub value: Option<String>,
    pub is_na: bool,
    pub notes: Option<String>,
}

/// An answer to one line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineAnswer {
    pub item_id: Uuid,
    pub basin_index: Option<i32>,
    pub answer: Answer,
}

/// How an answer stands against its item's rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Judgement {
    Unanswered,
    Conforming,
    /// Why, in words: e.g. `41.5 mm is above the maximum 40`.
    NonConforming(String),
    /// The answer cannot be stored as it is (not a number, an unknown option, a missing note).
    Invalid(String),
}

/// The counts the progress line shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    pub answered_required: usize,
    pub required: usize,
    pub answered: usize,
    pub lines: usize,
    pub non_conforming: usize,
}

/// The build as a QC form's header shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QcHeader {
    pub order_id: Uuid,
    pub po_number: String,
    pub build_number: String,
    pub customer_name: String,
    pub sink_model: String,
    pub number_of_basins: i32,
    pub qc_type: FormType,
    /// Final QC only: no earlier FAIL Final QC result.
    pub first_pass: Option<bool>,
    pub template_id: Uuid,
    pub template_name: String,
    pub template_version: i32,
}

/// Everything the checklist screen needs: the header, the applicable lines and the draft so far.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QcForm {
    pub header: QcHeader,
    pub items: Vec<QcItemDef>,
    pub lines: Vec<FormLine>,
    /// The open draft, if any.
    pub draft_id: Option<Uuid>,
    pub job_id: String,
    pub answers: Vec<LineAnswer>,
    /// The name of the other inspector whose draft is open; the form is then read-only and says
    /// `Draft in progress by <name> — read-only`.
    pub draft_by_other: Option<String>,
    /// The latest submitted result of this form when it failed: its job id and failed items' notes are
    /// offered again (docs/qc.md §3.1).
    pub previous: Option<QcPrevious>,
    /// The active rejection reasons a FAIL picks from (docs/rejection-reasons.md §2.1).
    pub rejection_reasons: Vec<crate::domain::rejection_reason::RejectionReason>,
}

/// One QC result in a build's history.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct QcResultSummary {
    pub id: Uuid,
    pub qc_type: FormType,
    pub template_name: String,
    pub template_version: i32,
    pub status: QcResultStatus,
    pub performed_by: String,
    pub at: Option<NaiveDateTime>,
    pub job_id: Option<String>,
    /// The failure reason of a FAIL.
    pub notes: Option<String>,
    pub signature: String,
    /// Whether the stored hash matches the recomputed one (`None` for a draft).
    pub verified: Option<bool>,
}

// The signature and the hash it carries stay out of log lines.
impl std::fmt::Debug for QcResultSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QcResultSummary")
            .field("id", &self.id)
            .field("qc_type", &self.qc_type)
            .field("template_name", &self.template_name)
            .field("template_version", &self.template_version)
            .field("status", &self.status)
            .field("performed_by", &self.performed_by)
            .field("at", &self.at)
            .field("job_id", &self.job_id)
            .field("notes", &self.notes)
            .field("verified", &self.verified)
            .finish_non_exhaustive()
    }
}

/// One submitted result with every answer, read-only.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QcResultDetail {
    pub summary: QcResultSummary,
    pub header: QcHeader,
    pub items: Vec<QcItemDef>,
    pub lines: Vec<FormLine>,
    pub answers: Vec<LineAnswer>,
}

// ---------------------------------------------------------------------------------------------------------
// Rules. The bodies here are provisional where marked; the signatures are the contract the database
// layer and the screens use.

/// Longest job id (`QCResult.jobId`).
pub const JOB_ID_MAX: usize = 50;
/// Longest failure reason.
pub const REASON_MAX: usize = 1000;
/// `QCResult.digitalSignature` is VARCHAR(200).
pub const SIGNATURE_MAX: usize = 200;

impl QcItemDef {
    /// A stored item: the columns, and the `rules` JSON the template import wrote (`Item::rules_json`).
    #[allow(clippy::too_many_arguments)]
    pub fn from_row(
        id: Uuid,
        section: String,
        description: String,
        check_type: CheckType,
        basin_specific: bool,
        required: bool,
        notes_prompt: bool,
        sequence: i32,
        rules: Option<&serde_json::Value>,
    ) -> QcItemDef {
        let text = |k: &str| {
            rules
                .and_then(|r| r.get(k))
                .and_then(serde_json::Value::as_str)
                .map(str::to_string)
        };
        let list = |k: &str| -> Vec<String> {
            rules
                .and_then(|r| r.get(k))
                .and_then(serde_json::Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        // The number exactly as the JSON writes it (0.5, 40, 41.5), so no binary rounding creeps into a bound.
        let number = |k: &str| rules.and_then(|r| r.get(k)).and_then(json_decimal);
        QcItemDef {
            id,
            code: item_code(rules),
            section,
            sequence,
            description,
            check_type,
            basin_specific,
            required,
            notes_prompt,
            options: list("options"),
            multiple: rules
                .and_then(|r| r.get("multiple"))
                .and_then(serde_json::Value::as_bool)
                .unwrap_or(false),
            unit: text("unit"),
            min: number("min"),
            max: number("max"),
            applies_when: text("appliesWhen"),
            note_required_for: list("noteRequiredFor"),
            store_to: text("storeTo"),
        }
    }
}

/// An item's code, as the import writes it into `rules` (absent or not a string: empty).
pub fn item_code(rules: Option<&serde_json::Value>) -> String {
    rules
        .and_then(|r| r.get("code"))
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// A JSON number (or a numeric string) as a decimal: `0.5`, `40`, `41.5`, and `1e-7` as serde_json may
/// write a tiny float.
fn json_decimal(v: &serde_json::Value) -> Option<Decimal> {
    let text = match v {
        serde_json::Value::Number(n) => n.to_string(),
        serde_json::Value::String(s) => s.trim().to_string(),
        _ => return None,
    };
    text.parse::<Decimal>()
        .ok()
        .or_else(|| Decimal::from_scientific(&text).ok())
}

/// The configuration as the `appliesWhen` subjects see it (docs/checklists.md §5): one
/// conversion for every form that filters items by the build (QC, tasks, testing, packaging).
pub fn sink_facts(build: &BuildConfig, language: DocumentLanguage) -> SinkFacts {
    let sum = |q: i64, n: i32| q.saturating_add(i64::from(n));
    SinkFacts {
        model: build.sink_model.trim().to_string(),
        basins: build
            .basins
            .iter()
            .map(|b| BasinFacts {
                index: i64::from(b.basin_index),
                basin_type: b.basin_type.code().to_string(),
                light: b.has_basin_light,
                p_trap: b.has_p_trap_drain,
                custom: b.is_custom_size,
            })
            .collect(),
        length: i64::from(build.sink_length),
        width: i64::from(build.sink_width),
        legs: build.legs_type.code().to_string(),
        legs_model: build.legs_model.trim().to_string(),
        feet: build.feet_type.code().to_string(),
        pegboard: build.has_pegboard,
        // A type left over on a build without a pegboard must not make pegboard items apply.
        pegboard_type: build
            .pegboard_type
            .filter(|_| build.has_pegboard)
            .map(|t| t.code().to_string()),
        language: language.code().to_string(),
        faucet_types: build
            .faucets
            .iter()
            .map(|f| f.faucet_type.code().to_string())
            .collect(),
        faucets: build.faucets.iter().fold(0, |q, f| sum(q, f.quantity)),
        sprayer_types: build
            .sprayers
            .iter()
            .map(|s| s.sprayer_type.code().to_string())
            .collect(),
        sprayers: build.sprayers.iter().fold(0, |q, s| sum(q, s.quantity)),
    }
}

/// The lines a build's form shows, in display order: by sequence, and a basin-specific item once per basin
/// (in basin order) for which its condition holds. `Err` names the item whose condition does not parse,
/// with the position of the error.
pub fn applicable(
    items: &[QcItemDef],
    build: &BuildConfig,
    language: DocumentLanguage,
) -> Result<Vec<FormLine>, String> {
    let facts = sink_facts(build, language);
    let mut basins: Vec<&BasinFacts> = facts.basins.iter().collect();
    basins.sort_by_key(|b| b.index);
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&i| items.get(i).map(|it| it.sequence));
    let mut lines = Vec::new();
    for i in order {
        let Some(item) = items.get(i) else { continue };
        // Each condition is parsed once per form, not once per basin.
        let condition = match item.applies_when.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(src) => Some(compile(src, item.basin_specific).map_err(|errs| {
                format!(
                    "Item {}: the condition \"{src}\" is not valid: {}",
                    item.code,
                    errs.join("; ")
                )
            })?),
        };
        let holds =
            |basin: Option<&BasinFacts>| condition.as_ref().is_none_or(|c| eval(c, &facts, basin));
        if item.basin_specific {
            for b in &basins {
                if holds(Some(b)) {
                    lines.push(FormLine::new(i, i32::try_from(b.index).ok()));
                }
            }
        } else if holds(None) {
            lines.push(FormLine::new(i, None));
        }
    }
    Ok(lines)
}

pub fn validate_job_id(job_id: &str) -> Result<String, String> {
    let t = job_id.trim();
    check_text("Job ID", t, false)?;
    if t.is_empty() || t.chars().count() > JOB_ID_MAX {
        Err("Job ID is required".into())
    } else {
        Ok(t.to_string())
    }
}

/// The failure reason, trimmed, or its message (docs/qc.md §4).
pub fn validate_reason(reason: Option<&str>) -> Result<String, String> {
    if let Some(r) = reason {
        check_text("Failure reason", r.trim(), false)?;
    }
    match reason.map(str::trim) {
        Some(r) if !r.is_empty() && r.chars().count() <= REASON_MAX => Ok(r.to_string()),
        _ => Err("A failure reason is required".into()),
    }
}
