//! QC checklists (workflow.md section 4): the items a build's form shows, how answers are judged, the
//! progress and PASS rule, and the e-signature's text and hash. Pure code; the database layer fills these
//! types and the screens show them.

use crate::domain::checklist::{CheckType, FormType};
use chrono::NaiveDateTime;
use postgres_types::{FromSql, ToSql};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// `"QCResultStatus"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ToSql, FromSql, Serialize, Deserialize)]
#[postgres(name = "QCResultStatus")]
pub enum QcResultStatus {
    #[postgres(name = "PASS")]
    #[serde(rename = "PASS")]
    Pass,
    #[postgres(name = "FAIL")]
    #[serde(rename = "FAIL")]
    Fail,
    #[postgres(name = "INCOMPLETE")]
    #[serde(rename = "INCOMPLETE")]
    Incomplete,
}

impl QcResultStatus {
    pub fn code(self) -> &'static str {
        match self {
            QcResultStatus::Pass => "PASS",
            QcResultStatus::Fail => "FAIL",
            QcResultStatus::Incomplete => "INCOMPLETE",
        }
    }
}

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
    /// Set when another inspector's draft is open: `Draft in progress by <name>`; the form is read-only.
    pub draft_by_other: Option<String>,
}

/// One QC result in a build's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
        let number = |k: &str| {
            rules
                .and_then(|r| r.get(k))
                .and_then(|v| v.to_string().parse::<Decimal>().ok())
        };
        QcItemDef {
            id,
            code: text("code").unwrap_or_default(),
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

/// The lines a build's form shows, in display order: by sequence, and a basin-specific item once per basin
/// (in basin order) for which its condition holds. `Err` names the item whose condition does not parse.
/// (Provisional: conditions are not evaluated yet.)
pub fn applicable(
    items: &[QcItemDef],
    build: &crate::domain::order::BuildConfig,
    _language: crate::domain::order::DocumentLanguage,
) -> Result<Vec<FormLine>, String> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&i| items.get(i).map(|it| it.sequence));
    let mut lines = Vec::new();
    for i in order {
        let Some(item) = items.get(i) else { continue };
        if item.basin_specific {
            for b in &build.basins {
                lines.push(FormLine {
                    item: i,
                    basin_index: Some(b.basin_index),
                });
            }
        } else {
            lines.push(FormLine {
                item: i,
                basin_index: None,
            });
        }
    }
    Ok(lines)
}

/// How `answer` stands against `item` (checklists.toml, ANSWERS AND CONFORMANCE). (Provisional.)
pub fn judge(_item: &QcItemDef, answer: &Answer) -> Judgement {
    match (&answer.value, answer.is_na) {
        (None, false) => Judgement::Unanswered,
        (Some(v), _) if v == "NO" => Judgement::NonConforming("answered no".into()),
        _ => Judgement::Conforming,
    }
}

/// The progress counts of a form with these answers (answers to lines not on the form are ignored).
pub fn progress(items: &[QcItemDef], lines: &[FormLine], answers: &[LineAnswer]) -> Progress {
    let mut p = Progress {
        lines: lines.len(),
        ..Progress::default()
    };
    for line in lines {
        let Some(item) = items.get(line.item) else {
            continue;
        };
        let answer = answers
            .iter()
            .find(|a| a.item_id == item.id && a.basin_index == line.basin_index)
            .map(|a| &a.answer);
        let judged = answer.map_or(Judgement::Unanswered, |a| judge(item, a));
        if item.required {
            p.required += 1;
        }
        match judged {
            Judgement::Unanswered | Judgement::Invalid(_) => {}
            Judgement::Conforming => {
                p.answered += 1;
                if item.required {
                    p.answered_required += 1;
                }
            }
            Judgement::NonConforming(_) => {
                p.answered += 1;
                p.non_conforming += 1;
                if item.required {
                    p.answered_required += 1;
                }
            }
        }
    }
    p
}

/// PASS is offered only when every applicable required item is answered and none is non-conforming.
pub fn may_pass(p: &Progress) -> bool {
    p.answered_required == p.required && p.non_conforming == 0
}

/// The signature's MEANING: `PRE_QC PASS`, `PRE_QC FAIL`, `FINAL_QC PASS` or `FINAL_QC FAIL`.
pub fn meaning(qc_type: FormType, outcome: QcOutcome) -> String {
    let o = match outcome {
        QcOutcome::Pass => "PASS",
        QcOutcome::Fail => "FAIL",
    };
    format!("{} {o}", qc_type.code())
}

/// One answer as the hash covers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedItem {
    pub checklist_item_id: Uuid,
    /// The item's sequenceOrder: the hash lists items by (sequenceOrder, basinIndex).
    pub sequence: i32,
    pub basin_index: Option<i32>,
    pub result_value: Option<String>,
    pub is_na: bool,
    pub notes: Option<String>,
}

/// Everything a signature's hash covers (workflow.md section 4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedContent {
    pub order_id: Uuid,
    pub build_number: String,
    pub template_id: Uuid,
    pub template_version: i32,
    pub qc_type: FormType,
    pub overall_status: QcResultStatus,
    pub job_id: String,
    pub number_of_basins: i32,
    pub notes: Option<String>,
    /// UTC.
    pub signed_at: NaiveDateTime,
    pub signer_id: Uuid,
    pub items: Vec<SignedItem>,
}

/// The SHA-256 (64 lower-case hex digits) of the canonical JSON of `content`. (Provisional.)
pub fn content_hash(content: &SignedContent) -> String {
    use sha2::{Digest, Sha256};
    let text = format!("{content:?}");
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `<fullName> (<initials>) | <MEANING> | <yyyy-mm-ddThh:mm:ssZ> | sha256:<hash>`, at most 200 characters:
/// a name too long is cut and ends with `~` (D8). (Provisional: no cut yet.)
pub fn signature_text(
    full_name: &str,
    initials: &str,
    meaning: &str,
    signed_at: NaiveDateTime,
    hash: &str,
) -> String {
    format!(
        "{full_name} ({initials}) | {meaning} | {} | sha256:{hash}",
        signed_at.format("%Y-%m-%dT%H:%M:%SZ")
    )
}

/// The hash a signature text carries, for verification.
pub fn signature_hash(signature: &str) -> Option<&str> {
    signature.rsplit_once("sha256:").map(|(_, h)| h)
}

/// The job id, trimmed, or the spec's message.
pub fn validate_job_id(job_id: &str) -> Result<String, String> {
    let t = job_id.trim();
    if t.is_empty() || t.chars().count() > JOB_ID_MAX {
        Err("Job ID is required".into())
    } else {
        Ok(t.to_string())
    }
}

/// The failure reason, trimmed, or the spec's message.
pub fn validate_reason(reason: Option<&str>) -> Result<String, String> {
    match reason.map(str::trim) {
        Some(r) if !r.is_empty() && r.chars().count() <= REASON_MAX => Ok(r.to_string()),
        _ => Err("A failure reason is required".into()),
    }
}
