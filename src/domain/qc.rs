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
