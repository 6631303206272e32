//! QC checklists (workflow.md section 4): the items a build's form shows, how answers are judged, the
//! progress and PASS rule, and the e-signature's text and hash. Pure code; the database layer fills these
//! types and the screens show them.

use crate::domain::applies_when::{BasinFacts, SinkFacts, compile, eval};
use crate::domain::checklist::{CheckType, FormType};
use crate::domain::order::{BuildConfig, DocumentLanguage};
use crate::text::check_text;
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

/// The configuration as the `appliesWhen` subjects see it (checklists.toml, "appliesWhen GRAMMAR"): one
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
                    lines.push(FormLine {
                        item: i,
                        basin_index: i32::try_from(b.index).ok(),
                    });
                }
            }
        } else if holds(None) {
            lines.push(FormLine {
                item: i,
                basin_index: None,
            });
        }
    }
    Ok(lines)
}

/// The value of a MULTI_CHOICE answer from the chosen options: joined by `"; "` in the order of the
/// item's options, whatever order they were picked in; unknown options are left out.
pub fn join_options(item: &QcItemDef, chosen: &[&str]) -> String {
    item.options
        .iter()
        .filter(|o| chosen.contains(&o.as_str()))
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(OPTION_SEPARATOR)
}

/// How several MULTI_CHOICE options are stored in one value.
pub const OPTION_SEPARATOR: &str = "; ";
/// Longest TEXT answer.
pub const TEXT_MAX: usize = 200;

fn has_note(answer: &Answer) -> bool {
    answer
        .notes
        .as_deref()
        .is_some_and(|n| !n.trim().is_empty())
}

/// `"41.5"`, `"-2"`, `".5"`: an optional sign, digits and at most one decimal point, nothing else (no
/// exponent, no thousands separators), so what is stored is exactly the number the inspector read.
fn parse_decimal(text: &str) -> Option<Decimal> {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    let well_formed = digits.chars().any(|c| c.is_ascii_digit())
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.matches('.').count() <= 1;
    if !well_formed {
        return None;
    }
    let unsigned = digits
        .strip_prefix('.')
        .map_or_else(|| digits.to_string(), |d| format!("0.{d}"));
    let n: Decimal = unsigned.parse().ok()?;
    Some(if text.starts_with('-') { -n } else { n })
}

/// A bound as people write it: `40`, not `40.0`.
fn bound_text(d: Decimal) -> String {
    d.normalize().to_string()
}

fn with_unit(value: &str, unit: Option<&str>) -> String {
    match unit.map(str::trim).filter(|u| !u.is_empty()) {
        Some(u) => format!("{value} {u}"),
        None => value.to_string(),
    }
}

fn judge_yes_no(value: &str) -> Judgement {
    match value {
        "YES" => Judgement::Conforming,
        "NO" => Judgement::NonConforming("answered NO".into()),
        other => Judgement::Invalid(format!("\"{other}\" is not an answer; answer YES or NO")),
    }
}

fn judge_measurement(item: &QcItemDef, value: &str) -> Judgement {
    let Some(v) = parse_decimal(value) else {
        return Judgement::Invalid(format!("{value} is not a number"));
    };
    let unit = item.unit.as_deref();
    if let Some(min) = item.min
        && v < min
    {
        return Judgement::NonConforming(format!(
            "{} is below the minimum {}",
            with_unit(value, unit),
            with_unit(&bound_text(min), unit)
        ));
    }
    if let Some(max) = item.max
        && v > max
    {
        return Judgement::NonConforming(format!(
            "{} is above the maximum {}",
            with_unit(value, unit),
            with_unit(&bound_text(max), unit)
        ));
    }
    Judgement::Conforming
}

fn judge_choice(item: &QcItemDef, value: &str, answer: &Answer) -> Judgement {
    let chosen: Vec<&str> = if item.multiple {
        value.split(OPTION_SEPARATOR).collect()
    } else {
        vec![value]
    };
    for c in &chosen {
        if !item.options.iter().any(|o| o == c) {
            return Judgement::Invalid(format!(
                "\"{c}\" is not one of the options: {}",
                item.options.join(", ")
            ));
        }
    }
    // One stored spelling per choice, so results compare and hash alike.
    if join_options(item, &chosen) != value {
        return Judgement::Invalid(format!(
            "\"{value}\": list each option once, in the order {}",
            item.options.join(", ")
        ));
    }
    if let Some(c) = chosen
        .iter()
        .find(|c| item.note_required_for.iter().any(|n| n == *c))
        && !has_note(answer)
    {
        return Judgement::Invalid(format!("\"{c}\" needs a note"));
    }
    Judgement::Conforming
}

/// An answer's text may hold no forbidden character (`text::check_text`): the value is one line,
/// the notes are edited over several lines.
pub fn check_answer_text(answer: &Answer) -> Result<(), String> {
    if let Some(v) = &answer.value {
        check_text("Answer", v, false)?;
    }
    if let Some(n) = &answer.notes {
        check_text("Note", n, true)?;
    }
    Ok(())
}

/// How `answer` stands against `item` (checklists.toml, ANSWERS AND CONFORMANCE).
pub fn judge(item: &QcItemDef, answer: &Answer) -> Judgement {
    if let Err(why) = check_answer_text(answer) {
        return Judgement::Invalid(why);
    }
    let value = answer.value.as_deref().filter(|v| !v.trim().is_empty());
    if answer.is_na {
        if item.check_type != CheckType::NaOption {
            return Judgement::Invalid("N/A is not an answer for this item".into());
        }
        if value.is_some() {
            return Judgement::Invalid("An N/A answer has no value".into());
        }
        if !has_note(answer) {
            return Judgement::Invalid("N/A needs a note".into());
        }
        return Judgement::Conforming;
    }
    let Some(value) = value.map(str::trim) else {
        return Judgement::Unanswered;
    };
    match item.check_type {
        CheckType::Boolean | CheckType::NaOption => judge_yes_no(value),
        CheckType::Measurement => judge_measurement(item, value),
        CheckType::MultiChoice => judge_choice(item, value, answer),
        CheckType::Text => {
            if value.trim().chars().count() > TEXT_MAX {
                Judgement::Invalid(format!("The text is longer than {TEXT_MAX} characters"))
            } else {
                Judgement::Conforming
            }
        }
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

/// The signature formats, by the version the signature text carries. A stored signature is verified with
/// the rules of its own format, so results signed before a format change keep verifying.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignatureFormat {
    /// No version marker: the answers are covered by item id only.
    V1,
    /// `v2`: each answer also carries the item's code and wording, and the JSON names its format.
    V2,
}

impl SignatureFormat {
    /// The format new signatures are written in.
    pub const CURRENT: SignatureFormat = SignatureFormat::V2;

    pub fn version(self) -> u32 {
        match self {
            SignatureFormat::V1 => 1,
            SignatureFormat::V2 => 2,
        }
    }

    /// `None` for a version this build does not know: such a signature does not verify.
    pub fn from_version(version: u32) -> Option<SignatureFormat> {
        match version {
            1 => Some(SignatureFormat::V1),
            2 => Some(SignatureFormat::V2),
            _ => None,
        }
    }
}

/// One answer as the hash covers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedItem {
    pub checklist_item_id: Uuid,
    /// The item's sequenceOrder: the hash lists items by (sequenceOrder, basinIndex).
    pub sequence: i32,
    /// The item's code (`rules.code`, see [`item_code`]); covered from format 2 on.
    pub code: String,
    /// The item's wording (`itemDescription`), as the form shows it; covered from format 2 on.
    pub text: String,
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

/// The timestamp as the signature and the hash write it.
pub fn signed_at_text(signed_at: NaiveDateTime) -> String {
    signed_at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The canonical JSON the signature's hash covers (workflow.md section 4): one object, keys sorted by
/// code point at every level, no whitespace, strings as serde_json writes them (UTF-8, only `"`, `\\`
/// and control characters escaped). Format 2:
///
/// ```text
/// {"buildNumber":"B-1","formatVersion":2,"items":[{"basinIndex":null,"checklistItemId":"<uuid>",
///  "code":"PQC-01","isNA":false,"notes":null,"resultValue":"YES","text":"<item wording>"},…],
///  "jobId":"J-1","notes":null,"numberOfBasins":2,"orderId":"<uuid>","overallStatus":"PASS",
///  "qcType":"PRE_QC","signedAt":"2025-01-02T03:04:05Z","signerId":"<uuid>","templateId":"<uuid>",
///  "templateVersion":1}
/// ```
///
/// (shown wrapped; the real text is one line). Ids are lower-case hyphenated UUIDs; `basinIndex`,
/// `resultValue` and both `notes` are `null` when absent; items are ordered by (sequenceOrder,
/// basinIndex, checklistItemId), an item without a basin first.
///
/// Format 1 (frozen: signatures without a version marker are checked against it) has no `formatVersion`,
/// no item `code` or `text`, and orders items by (sequenceOrder, basinIndex) only.
pub fn canonical_json(content: &SignedContent, format: SignatureFormat) -> String {
    use serde_json::{Value, json};
    let mut items: Vec<&SignedItem> = content.items.iter().collect();
    match format {
        SignatureFormat::V1 => items.sort_by_key(|i| (i.sequence, i.basin_index)),
        // The id settles a tie, so the order never depends on how the rows were read.
        SignatureFormat::V2 => {
            items.sort_by_key(|i| (i.sequence, i.basin_index, i.checklist_item_id));
        }
    }
    let items: Vec<Value> = items
        .into_iter()
        .map(|i| {
            let mut item = json!({
                "checklistItemId": i.checklist_item_id.to_string(),
                "basinIndex": i.basin_index,
                "resultValue": i.result_value,
                "isNA": i.is_na,
                "notes": i.notes,
            });
            if format == SignatureFormat::V2
                && let Some(m) = item.as_object_mut()
            {
                m.insert("code".into(), json!(i.code));
                m.insert("text".into(), json!(i.text));
            }
            item
        })
        .collect();
    let mut doc = json!({
        "orderId": content.order_id.to_string(),
        "buildNumber": content.build_number,
        "templateId": content.template_id.to_string(),
        "templateVersion": content.template_version,
        "qcType": content.qc_type.code(),
        "overallStatus": content.overall_status.code(),
        "jobId": content.job_id,
        "numberOfBasins": content.number_of_basins,
        "notes": content.notes,
        "signedAt": signed_at_text(content.signed_at),
        "signerId": content.signer_id.to_string(),
        "items": items,
    });
    if format != SignatureFormat::V1
        && let Some(m) = doc.as_object_mut()
    {
        m.insert("formatVersion".into(), json!(format.version()));
    }
    let mut out = String::new();
    write_canonical(&doc, &mut out);
    out
}

/// Writes keys sorted explicitly, so the text does not depend on serde_json's map ordering feature.
fn write_canonical(v: &serde_json::Value, out: &mut String) {
    use serde_json::Value;
    match v {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (n, k) in keys.into_iter().enumerate() {
                if n > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                if let Some(child) = map.get(k) {
                    write_canonical(child, out);
                }
            }
            out.push('}');
        }
        Value::Array(list) => {
            out.push('[');
            for (n, child) in list.iter().enumerate() {
                if n > 0 {
                    out.push(',');
                }
                write_canonical(child, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// The SHA-256 (64 lower-case hex digits) of [`canonical_json`] of `content` in `format`, as UTF-8.
pub fn content_hash(content: &SignedContent, format: SignatureFormat) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(canonical_json(content, format).as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The signature of `content` in the current format:
/// `<fullName> (<initials>) | <MEANING> | <yyyy-mm-ddThh:mm:ssZ> | v2 sha256:<hash>`, where the hash is
/// [`content_hash`] in format 2 and `v2` names that format. At most 200 characters: a name too long is
/// cut and ends with `~` so the whole text is 200 characters, or 199 when the cut falls just after a
/// space, which is dropped rather than left before the `~` (D8).
///
/// Format 1 texts end `| sha256:<hash>` with no marker; they are never written any more, only verified.
pub fn signature_text(
    full_name: &str,
    initials: &str,
    meaning: &str,
    content: &SignedContent,
) -> String {
    let format = SignatureFormat::CURRENT;
    let rest = format!(
        " ({initials}) | {meaning} | {} | v{} sha256:{}",
        signed_at_text(content.signed_at),
        format.version(),
        content_hash(content, format)
    );
    let name = full_name.trim();
    let room = SIGNATURE_MAX.saturating_sub(rest.chars().count());
    if name.chars().count() <= room {
        return format!("{name}{rest}");
    }
    // Initials are at most 5 letters, so the rest is far below 200 and there is always room for a cut name.
    let kept: String = name.chars().take(room.saturating_sub(1)).collect();
    format!("{}~{rest}", kept.trim_end())
}

/// The format version and the hash a signature text carries: its last ` | ` field is `sha256:<hash>`
/// (format 1, which has no marker) or `v<N> sha256:<hash>` (format N ≥ 2). `None` when it is neither.
pub fn signature_seal(signature: &str) -> Option<(u32, &str)> {
    let (_, seal) = signature.rsplit_once(" | ")?;
    if let Some(hash) = seal.strip_prefix("sha256:") {
        return Some((1, hash));
    }
    let (version, hash) = seal.strip_prefix('v')?.split_once(" sha256:")?;
    // One spelling per version, as written: `v2`, never `v02`, and format 1 never had a marker.
    if version.is_empty()
        || version.starts_with('0')
        || version == "1"
        || !version.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    Some((version.parse().ok()?, hash))
}

/// The hash a signature text carries.
pub fn signature_hash(signature: &str) -> Option<&str> {
    signature_seal(signature).map(|(_, hash)| hash)
}

/// Whether `signature` seals `content`: the hash recomputed with the rules of the format the text names
/// equals the one it carries. A text of an unknown format, or none, does not verify.
pub fn signature_matches(signature: &str, content: &SignedContent) -> bool {
    signature_seal(signature)
        .and_then(|(version, hash)| Some((SignatureFormat::from_version(version)?, hash)))
        .is_some_and(|(format, hash)| content_hash(content, format) == hash)
}

/// The job id, trimmed, or the spec's message.
pub fn validate_job_id(job_id: &str) -> Result<String, String> {
    let t = job_id.trim();
    check_text("Job ID", t, false)?;
    if t.is_empty() || t.chars().count() > JOB_ID_MAX {
        Err("Job ID is required".into())
    } else {
        Ok(t.to_string())
    }
}

/// The failure reason, trimmed, or the spec's message.
pub fn validate_reason(reason: Option<&str>) -> Result<String, String> {
    if let Some(r) = reason {
        check_text("Failure reason", r.trim(), false)?;
    }
    match reason.map(str::trim) {
        Some(r) if !r.is_empty() && r.chars().count() <= REASON_MAX => Ok(r.to_string()),
        _ => Err("A failure reason is required".into()),
    }
}

#[cfg(test)]
#[allow(clippy::panic)] // a test reports failure by panicking
mod tests {
    use super::*;
    use crate::domain::order::{BasinConfig, BasinType, FeetType, LegsType};
    use chrono::NaiveDate;
    use serde_json::json;

    fn def(code: &str, check_type: CheckType, rules: serde_json::Value) -> QcItemDef {
        let mut rules = rules;
        if let Some(m) = rules.as_object_mut() {
            m.insert("code".into(), json!(code));
        }
        QcItemDef::from_row(
            Uuid::new_v4(),
            "Sink".into(),
            format!("{code} description"),
            check_type,
            false,
            true,
            true,
            10,
            Some(&rules),
        )
    }

    fn said(value: &str) -> Answer {
        Answer {
            value: Some(value.into()),
            is_na: false,
            notes: None,
        }
    }

    fn noted(value: &str, note: &str) -> Answer {
        Answer {
            notes: Some(note.into()),
            ..said(value)
        }
    }

    fn non_conforming(j: Judgement) -> String {
        match j {
            Judgement::NonConforming(m) => m,
            other => panic!("expected non-conforming, got {other:?}"),
        }
    }

    fn invalid(j: Judgement) -> String {
        match j {
            Judgement::Invalid(m) => m,
            other => panic!("expected invalid, got {other:?}"),
        }
    }

    fn gap() -> QcItemDef {
        def(
            "EOL-X",
            CheckType::Measurement,
            json!({"unit": "mm", "min": 0.5, "max": 40.0}),
        )
    }

    #[test]
    fn rules_are_read_exactly() {
        let m = gap();
        assert_eq!(m.code, "EOL-X");
        assert_eq!(m.unit.as_deref(), Some("mm"));
        assert_eq!(m.min, Some(Decimal::new(5, 1)));
        assert_eq!(
            m.max.map(|d| d.normalize().to_string()).as_deref(),
            Some("40")
        );
        let t = def(
            "T",
            CheckType::Measurement,
            json!({"min": -2.0, "max": 41.5}),
        );
        assert_eq!(t.min, Some(Decimal::new(-2, 0)));
        assert_eq!(t.max, Some(Decimal::new(415, 1)));
        let c = def(
            "C",
            CheckType::MultiChoice,
            json!({"options": ["Center", "Other"], "noteRequiredFor": ["Other"],
                   "storeTo": "BasinConfiguration.drainLocation", "appliesWhen": "basins > 1"}),
        );
        assert_eq!(c.options, vec!["Center", "Other"]);
        assert_eq!(c.note_required_for, vec!["Other"]);
        assert!(!c.multiple);
        assert_eq!(
            c.store_to.as_deref(),
            Some("BasinConfiguration.drainLocation")
        );
        assert_eq!(c.applies_when.as_deref(), Some("basins > 1"));
        let bare = QcItemDef::from_row(
            Uuid::nil(),
            "S".into(),
            "D".into(),
            CheckType::Boolean,
            false,
            true,
            false,
            1,
            None,
        );
        assert_eq!(bare.min, None);
        assert!(bare.options.is_empty());
    }

    #[test]
    fn boolean_answers() {
        let b = def("B", CheckType::Boolean, json!({}));
        assert_eq!(judge(&b, &Answer::default()), Judgement::Unanswered);
        assert_eq!(judge(&b, &said("  ")), Judgement::Unanswered);
        assert_eq!(judge(&b, &said("YES")), Judgement::Conforming);
        assert_eq!(non_conforming(judge(&b, &said("NO"))), "answered NO");
        assert!(invalid(judge(&b, &said("maybe"))).contains("answer YES or NO"));
        let na = Answer {
            value: None,
            is_na: true,
            notes: Some("not fitted".into()),
        };
        assert_eq!(
            invalid(judge(&b, &na)),
            "N/A is not an answer for this item"
        );
    }

    #[test]
    fn n_a_needs_a_note() {
        let n = def("N", CheckType::NaOption, json!({}));
        assert_eq!(judge(&n, &said("YES")), Judgement::Conforming);
        assert_eq!(non_conforming(judge(&n, &said("NO"))), "answered NO");
        let mut na = Answer {
            value: None,
            is_na: true,
            notes: None,
        };
        assert_eq!(invalid(judge(&n, &na)), "N/A needs a note");
        na.notes = Some("   ".into());
        assert_eq!(invalid(judge(&n, &na)), "N/A needs a note");
        na.notes = Some("no wall bracket on this model".into());
        assert_eq!(judge(&n, &na), Judgement::Conforming);
        na.value = Some("YES".into());
        assert_eq!(invalid(judge(&n, &na)), "An N/A answer has no value");
    }

    #[test]
    fn measurements_are_judged_inclusively_as_typed() {
        let m = gap();
        for ok in ["0.5", "40", "40.0", "20", "0.50", "+1", ".5", " 12.25 "] {
            assert_eq!(judge(&m, &said(ok)), Judgement::Conforming, "{ok}");
        }
        assert_eq!(
            non_conforming(judge(&m, &said("41.5"))),
            "41.5 mm is above the maximum 40 mm"
        );
        assert_eq!(
            non_conforming(judge(&m, &said("40.01"))),
            "40.01 mm is above the maximum 40 mm"
        );
        assert_eq!(
            non_conforming(judge(&m, &said("0.49"))),
            "0.49 mm is below the minimum 0.5 mm"
        );
        assert_eq!(
            non_conforming(judge(&m, &said("-3"))),
            "-3 mm is below the minimum 0.5 mm"
        );
        for bad in ["abc", "1e3", "1,5", "1.2.3", "-", ".", "12 mm", "0x10"] {
            assert_eq!(
                invalid(judge(&m, &said(bad))),
                format!("{bad} is not a number"),
                "{bad}"
            );
        }
        let no_unit = def(
            "M",
            CheckType::Measurement,
            json!({"min": -2.0, "max": 2.0}),
        );
        assert_eq!(
            non_conforming(judge(&no_unit, &said("2.5"))),
            "2.5 is above the maximum 2"
        );
        assert_eq!(judge(&no_unit, &said("-2")), Judgement::Conforming);
    }

    #[test]
    fn single_choice() {
        let c = def(
            "C",
            CheckType::MultiChoice,
            json!({"options": ["Center", "Other"], "noteRequiredFor": ["Other"]}),
        );
        assert_eq!(judge(&c, &said("Center")), Judgement::Conforming);
        assert_eq!(invalid(judge(&c, &said("Other"))), "\"Other\" needs a note");
        assert_eq!(
            judge(&c, &noted("Other", "offset 40 mm left")),
            Judgement::Conforming
        );
        assert_eq!(
            invalid(judge(&c, &said("Left"))),
            "\"Left\" is not one of the options: Center, Other"
        );
        // Not multiple: two options are not one answer.
        assert!(invalid(judge(&c, &said("Center; Other"))).contains("is not one of the options"));
    }

    #[test]
    fn multiple_choice_in_option_order() {
        let c = def(
            "M",
            CheckType::MultiChoice,
            json!({"options": ["Between basins 1/2", "Between basins 2/3", "Center of basin"],
                   "multiple": true}),
        );
        assert!(c.multiple);
        assert_eq!(
            join_options(&c, &["Center of basin", "Between basins 1/2"]),
            "Between basins 1/2; Center of basin"
        );
        assert_eq!(
            judge(&c, &said("Between basins 1/2; Center of basin")),
            Judgement::Conforming
        );
        assert_eq!(judge(&c, &said("Center of basin")), Judgement::Conforming);
        assert!(
            invalid(judge(&c, &said("Center of basin; Between basins 1/2")))
                .contains("in the order")
        );
        assert!(invalid(judge(&c, &said("Center of basin; Center of basin"))).contains("once"));
        assert!(invalid(judge(&c, &said("Center of basin; Nowhere"))).contains("\"Nowhere\""));
    }

    #[test]
    fn text_answers() {
        let t = def("T", CheckType::Text, json!({}));
        assert_eq!(judge(&t, &said("  serial 1234 ")), Judgement::Conforming);
        assert_eq!(judge(&t, &said(&"x".repeat(200))), Judgement::Conforming);
        assert_eq!(
            invalid(judge(&t, &said(&"x".repeat(201)))),
            "The text is longer than 200 characters"
        );
        assert_eq!(judge(&t, &said(" ")), Judgement::Unanswered);
    }

    fn answer_to(item: &QcItemDef, basin: Option<i32>, a: Answer) -> LineAnswer {
        LineAnswer {
            item_id: item.id,
            basin_index: basin,
            answer: a,
        }
    }

    #[test]
    fn progress_and_the_pass_rule() {
        let b = def("B", CheckType::Boolean, json!({}));
        let mut optional = def("O", CheckType::Text, json!({}));
        optional.required = false;
        let m = gap();
        let items = vec![b.clone(), optional.clone(), m.clone()];
        let lines = vec![
            FormLine {
                item: 0,
                basin_index: None,
            },
            FormLine {
                item: 1,
                basin_index: None,
            },
            FormLine {
                item: 2,
                basin_index: Some(1),
            },
            FormLine {
                item: 2,
                basin_index: Some(2),
            },
        ];
        let p = progress(&items, &lines, &[]);
        assert_eq!(
            p,
            Progress {
                answered_required: 0,
                required: 3,
                answered: 0,
                lines: 4,
                non_conforming: 0
            }
        );
        assert!(!may_pass(&p));

        let mut answers = vec![
            answer_to(&b, None, said("YES")),
            answer_to(&m, Some(1), said("12")),
            // Not on the form: ignored.
            answer_to(&m, Some(3), said("99")),
        ];
        let p = progress(&items, &lines, &answers);
        assert_eq!(
            (p.answered_required, p.answered, p.non_conforming),
            (2, 2, 0)
        );
        assert!(!may_pass(&p), "basin 2 still open");

        answers.push(answer_to(&m, Some(2), said("abc")));
        let p = progress(&items, &lines, &answers);
        assert_eq!(p.answered_required, 2, "an invalid answer is not an answer");
        assert!(!may_pass(&p));

        answers.pop();
        answers.push(answer_to(&m, Some(2), said("41.5")));
        let p = progress(&items, &lines, &answers);
        assert_eq!((p.answered_required, p.non_conforming), (3, 1));
        assert!(!may_pass(&p), "non-conforming");

        answers.pop();
        answers.push(answer_to(&m, Some(2), said("40")));
        let p = progress(&items, &lines, &answers);
        assert_eq!((p.answered_required, p.required, p.answered), (3, 3, 3));
        assert!(may_pass(&p), "the optional item may stay open");
    }

    fn build(model: &str, basins: &[(BasinType, bool)]) -> BuildConfig {
        let mut b = BuildConfig::new(
            "B-1",
            model,
            (30, 60),
            LegsType::HeightAdjustable,
            "DL27",
            FeetType::LockLevelingCasters,
        );
        b.basins = basins
            .iter()
            .enumerate()
            .map(|(i, (t, light))| BasinConfig {
                basin_index: i32::try_from(i + 1).expect("index"),
                basin_type: *t,
                basin_width: 20,
                basin_length: 20,
                basin_depth: 8,
                is_custom_size: false,
                has_p_trap_drain: false,
                has_basin_light: *light,
            })
            .collect();
        b
    }

    fn seq(mut d: QcItemDef, sequence: i32, basin_specific: bool, when: Option<&str>) -> QcItemDef {
        d.sequence = sequence;
        d.basin_specific = basin_specific;
        d.applies_when = when.map(str::to_string);
        d
    }

    #[test]
    fn applicable_filters_by_condition_and_repeats_per_basin() {
        let items = vec![
            seq(def("LATE", CheckType::Boolean, json!({})), 30, false, None),
            seq(
                def("PEG", CheckType::Boolean, json!({})),
                10,
                false,
                Some("pegboard = true"),
            ),
            seq(def("BSN", CheckType::Boolean, json!({})), 20, true, None),
            seq(
                def("DRN", CheckType::Boolean, json!({})),
                25,
                true,
                Some("basin.type = E_DRAIN"),
            ),
            seq(
                def("LIT", CheckType::Boolean, json!({})),
                26,
                true,
                Some("basin.light = true and any_basin = E_SINK"),
            ),
            seq(
                def("FR", CheckType::Boolean, json!({})),
                40,
                false,
                Some("language = FR"),
            ),
        ];
        let b = build(
            "T2-B2",
            &[(BasinType::ESink, true), (BasinType::EDrain, true)],
        );
        let lines = applicable(&items, &b, DocumentLanguage::En).expect("valid");
        let shown: Vec<(&str, Option<i32>)> = lines
            .iter()
            .map(|l| (items[l.item].code.as_str(), l.basin_index))
            .collect();
        assert_eq!(
            shown,
            vec![
                ("BSN", Some(1)),
                ("BSN", Some(2)),
                ("DRN", Some(2)),
                ("LIT", Some(1)),
                ("LIT", Some(2)),
                ("LATE", None),
            ]
        );
        let mut peg = b.clone();
        peg.has_pegboard = true;
        let lines = applicable(&items, &peg, DocumentLanguage::Fr).expect("valid");
        let codes: Vec<&str> = lines.iter().map(|l| items[l.item].code.as_str()).collect();
        assert_eq!(codes.first(), Some(&"PEG"));
        assert_eq!(codes.last(), Some(&"FR"));
    }

    #[test]
    fn an_unparsable_condition_names_the_item_and_the_position() {
        let items = vec![seq(
            def("PRE-99", CheckType::Boolean, json!({})),
            10,
            false,
            Some("pegboard = = true"),
        )];
        let err = applicable(
            &items,
            &build("T2-B1", &[(BasinType::ESink, false)]),
            DocumentLanguage::En,
        )
        .expect_err("refused");
        assert!(err.starts_with("Item PRE-99: "), "{err}");
        assert!(err.contains("at column 12"), "{err}");
        let items = vec![seq(
            def("PRE-98", CheckType::Boolean, json!({})),
            10,
            false,
            Some("basin.type = E_SINK"),
        )];
        let err = applicable(
            &items,
            &build("T2-B1", &[(BasinType::ESink, false)]),
            DocumentLanguage::En,
        )
        .expect_err("refused");
        assert!(
            err.contains("PRE-98") && err.contains("basinSpecific"),
            "{err}"
        );
    }

    #[test]
    fn sink_facts_read_the_whole_configuration() {
        use crate::domain::order::{
            FaucetConfig, FaucetPlacement, FaucetType, PegboardType, SprayerConfig,
            SprayerLocation, SprayerType,
        };
        let mut b = build(
            "T2-B2",
            &[(BasinType::ESinkDi, false), (BasinType::EDrain, true)],
        );
        b.basins[1].has_p_trap_drain = true;
        b.basins[0].is_custom_size = true;
        b.pegboard_type = Some(PegboardType::Solid);
        b.faucets = vec![
            FaucetConfig {
                faucet_type: FaucetType::WristBladeSwingSpout,
                quantity: 2,
                placement: FaucetPlacement::Center,
            },
            FaucetConfig {
                faucet_type: FaucetType::GooseneckTreatedWater,
                quantity: 1,
                placement: FaucetPlacement::BetweenBasins,
            },
        ];
        b.sprayers = vec![SprayerConfig {
            sprayer_type: SprayerType::AirGunKitRosette,
            quantity: 2,
            location: SprayerLocation::LeftSide,
        }];
        let f = sink_facts(&b, DocumentLanguage::Sp);
        assert_eq!(f.model, "T2-B2");
        assert_eq!((f.length, f.width), (60, 30));
        assert_eq!(
            (f.legs.as_str(), f.legs_model.as_str()),
            ("HEIGHT_ADJUSTABLE", "DL27")
        );
        assert_eq!(f.feet, "LOCK_LEVELING_CASTERS");
        assert!(!f.pegboard);
        assert_eq!(f.pegboard_type, None, "no pegboard, no pegboard type");
        assert_eq!(f.language, "SP");
        assert_eq!(f.faucets, 3);
        assert_eq!(
            f.faucet_types,
            vec!["WRIST_BLADE_SWING_SPOUT", "GOOSENECK_TREATED_WATER"]
        );
        assert_eq!((f.sprayers, f.sprayer_types.len()), (2, 1));
        assert_eq!(
            f.basins[1],
            BasinFacts {
                index: 2,
                basin_type: "E_DRAIN".into(),
                light: true,
                p_trap: true,
                custom: false
            }
        );
        assert!(f.basins[0].custom);
        b.has_pegboard = true;
        assert_eq!(
            sink_facts(&b, DocumentLanguage::En)
                .pegboard_type
                .as_deref(),
            Some("SOLID")
        );
    }

    fn at() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2025, 3, 4)
            .and_then(|d| d.and_hms_opt(5, 6, 7))
            .expect("date")
    }

    fn uuid(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn signed(
        id: u128,
        sequence: i32,
        (code, text): (&str, &str),
        basin_index: Option<i32>,
        answer: Answer,
    ) -> SignedItem {
        SignedItem {
            checklist_item_id: uuid(id),
            sequence,
            code: code.into(),
            text: text.into(),
            basin_index,
            result_value: answer.value,
            is_na: answer.is_na,
            notes: answer.notes,
        }
    }

    const DRAIN: (&str, &str) = ("PQC-08", "Drain centred in the basin");

    fn content() -> SignedContent {
        SignedContent {
            order_id: uuid(1),
            build_number: "B-1".into(),
            template_id: uuid(2),
            template_version: 3,
            qc_type: FormType::PreQc,
            overall_status: QcResultStatus::Fail,
            job_id: "J-7".into(),
            number_of_basins: 2,
            notes: Some("Drain \"off\" centre".into()),
            signed_at: at(),
            signer_id: uuid(4),
            // Deliberately out of order: the hash sorts them.
            items: vec![
                signed(6, 80, DRAIN, Some(2), noted("NO", "Größe")),
                signed(6, 80, DRAIN, Some(1), said("YES")),
                signed(
                    5,
                    10,
                    ("PQC-01", "Drawing \"rev\" on file"),
                    None,
                    Answer {
                        value: None,
                        is_na: true,
                        notes: Some("n/a".into()),
                    },
                ),
            ],
        }
    }

    /// Format 1, as signed before the item's code and wording were covered: never to change.
    const CANONICAL_V1: &str = concat!(
        r#"{"buildNumber":"B-1","items":["#,
        r#"{"basinIndex":null,"checklistItemId":"00000000-0000-0000-0000-000000000005","isNA":true,"notes":"n/a","resultValue":null},"#,
        r#"{"basinIndex":1,"checklistItemId":"00000000-0000-0000-0000-000000000006","isNA":false,"notes":null,"resultValue":"YES"},"#,
        r#"{"basinIndex":2,"checklistItemId":"00000000-0000-0000-0000-000000000006","isNA":false,"notes":"Größe","resultValue":"NO"}],"#,
        r#""jobId":"J-7","notes":"Drain \"off\" centre","numberOfBasins":2,"#,
        r#""orderId":"00000000-0000-0000-0000-000000000001","overallStatus":"FAIL","qcType":"PRE_QC","#,
        r#""signedAt":"2025-03-04T05:06:07Z","signerId":"00000000-0000-0000-0000-000000000004","#,
        r#""templateId":"00000000-0000-0000-0000-000000000002","templateVersion":3}"#
    );
    const HASH_V1: &str = "5d92b9b7fbac60cc41cc457b443fda6bcb5e61545e624267363dd64d1e271d97";

    const CANONICAL_V2: &str = concat!(
        r#"{"buildNumber":"B-1","formatVersion":2,"items":["#,
        r#"{"basinIndex":null,"checklistItemId":"00000000-0000-0000-0000-000000000005","code":"PQC-01","isNA":true,"notes":"n/a","resultValue":null,"text":"Drawing \"rev\" on file"},"#,
        r#"{"basinIndex":1,"checklistItemId":"00000000-0000-0000-0000-000000000006","code":"PQC-08","isNA":false,"notes":null,"resultValue":"YES","text":"Drain centred in the basin"},"#,
        r#"{"basinIndex":2,"checklistItemId":"00000000-0000-0000-0000-000000000006","code":"PQC-08","isNA":false,"notes":"Größe","resultValue":"NO","text":"Drain centred in the basin"}],"#,
        r#""jobId":"J-7","notes":"Drain \"off\" centre","numberOfBasins":2,"#,
        r#""orderId":"00000000-0000-0000-0000-000000000001","overallStatus":"FAIL","qcType":"PRE_QC","#,
        r#""signedAt":"2025-03-04T05:06:07Z","signerId":"00000000-0000-0000-0000-000000000004","#,
        r#""templateId":"00000000-0000-0000-0000-000000000002","templateVersion":3}"#
    );
    const HASH_V2: &str = "b71a6dbd85ef47437fb1d5ce7dbe919fdcde186d0a35356e9cd86143cfeffa69";

    #[test]
    fn the_canonical_json_and_its_hash_are_pinned() {
        assert_eq!(
            canonical_json(&content(), SignatureFormat::V1),
            CANONICAL_V1
        );
        assert_eq!(content_hash(&content(), SignatureFormat::V1), HASH_V1);
        assert_eq!(
            canonical_json(&content(), SignatureFormat::V2),
            CANONICAL_V2
        );
        assert_eq!(content_hash(&content(), SignatureFormat::V2), HASH_V2);
        assert_eq!(SignatureFormat::CURRENT, SignatureFormat::V2);
    }

    #[test]
    fn signature_format() {
        assert_eq!(meaning(FormType::PreQc, QcOutcome::Pass), "PRE_QC PASS");
        assert_eq!(meaning(FormType::FinalQc, QcOutcome::Fail), "FINAL_QC FAIL");
        let s = signature_text("Quinn Inspector", "QI", "PRE_QC FAIL", &content());
        assert_eq!(
            s,
            format!(
                "Quinn Inspector (QI) | PRE_QC FAIL | 2025-03-04T05:06:07Z | v2 sha256:{HASH_V2}"
            )
        );
        assert_eq!(signature_seal(&s), Some((2, HASH_V2)));
        assert_eq!(signature_hash(&s), Some(HASH_V2));
        assert!(signature_matches(&s, &content()));
    }

    #[test]
    fn a_long_name_is_cut_to_fit_200_characters() {
        let c = content();
        let name = "Ana María de los Ángeles ".repeat(8);
        let s = signature_text(&name, "AMDLA", "FINAL_QC FAIL", &c);
        // The cut falls just after "Ángeles ", whose space is dropped.
        assert_eq!(s.chars().count(), SIGNATURE_MAX - 1, "{s}");
        let rest = format!(" (AMDLA) | FINAL_QC FAIL | 2025-03-04T05:06:07Z | v2 sha256:{HASH_V2}");
        let cut = s.strip_suffix(&rest).expect("the rest is whole");
        assert!(cut.ends_with("Ángeles~"), "{cut}");
        let s = signature_text(&format!("X{name}"), "AMDLA", "FINAL_QC FAIL", &c);
        assert_eq!(s.chars().count(), SIGNATURE_MAX, "{s}");
        assert!(s.ends_with(&format!("Ángeles~{rest}")), "{s}");
        assert!(name.starts_with(cut.trim_end_matches('~')), "{cut}");
        assert_eq!(signature_seal(&s), Some((2, HASH_V2)));
        // Exactly at the limit: no cut.
        let room = SIGNATURE_MAX - rest.chars().count();
        let exact = "N".repeat(room);
        let s = signature_text(&exact, "AMDLA", "FINAL_QC FAIL", &c);
        assert_eq!(s.chars().count(), SIGNATURE_MAX);
        assert!(!s.contains('~'));
        let over = "N".repeat(room + 1);
        let s = signature_text(&over, "AMDLA", "FINAL_QC FAIL", &c);
        assert_eq!(s.chars().count(), SIGNATURE_MAX);
        assert!(
            s.starts_with(&format!("{}~ (AMDLA)", "N".repeat(room - 1))),
            "{s}"
        );
        // A name with the field separator in it cannot be mistaken for the seal.
        let s = signature_text("A | sha256:00", "AB", "FINAL_QC FAIL", &c);
        assert_eq!(signature_seal(&s), Some((2, HASH_V2)));
    }

    #[test]
    fn the_seal_names_the_format_and_the_hash() {
        let head = "Quinn Inspector (QI) | PRE_QC PASS | 2025-03-04T05:06:07Z";
        let seal = |tail: &str| {
            signature_seal(&format!("{head} | {tail}")).map(|(v, h)| (v, h.to_string()))
        };
        assert_eq!(seal("sha256:ab12"), Some((1, "ab12".into())));
        assert_eq!(seal("v2 sha256:ab12"), Some((2, "ab12".into())));
        assert_eq!(seal("v17 sha256:ab12"), Some((17, "ab12".into())));
        for bad in [
            "v sha256:ab",
            "v02 sha256:ab",
            "v1 sha256:ab",
            "vx sha256:ab",
            "v2 md5:ab",
            "v2sha256:ab",
            "md5:ab",
            "",
        ] {
            assert_eq!(seal(bad), None, "{bad:?}");
        }
        assert_eq!(signature_seal("sha256:ab12"), None, "not a signature text");
        assert_eq!(signature_seal(""), None);
    }

    #[test]
    fn verification_follows_the_format_the_text_names() {
        let c = content();
        let head = "Quinn Inspector (QI) | PRE_QC FAIL | 2025-03-04T05:06:07Z";
        let v1 = format!("{head} | sha256:{HASH_V1}");
        assert!(signature_matches(&v1, &c), "a format 1 text still verifies");
        assert!(!signature_matches(
            &format!("{head} | sha256:{HASH_V2}"),
            &c
        ));
        assert!(!signature_matches(
            &format!("{head} | v2 sha256:{HASH_V1}"),
            &c
        ));
        assert!(
            !signature_matches(&format!("{head} | v3 sha256:{HASH_V2}"), &c),
            "an unknown format does not verify"
        );
        assert!(
            !signature_matches(&format!("{head} | v1 sha256:{HASH_V1}"), &c),
            "format 1 is the one without a marker"
        );
        assert!(!signature_matches("", &c));

        // The wording is covered from format 2 on; format 1 never covered it.
        let mut reworded = c.clone();
        reworded.items[2].text = "Drawing on file".into();
        let v2 = signature_text("Quinn Inspector", "QI", "PRE_QC FAIL", &c);
        assert!(!signature_matches(&v2, &reworded));
        assert!(signature_matches(&v1, &reworded));
    }

    #[test]
    fn any_changed_answer_changes_the_hash() {
        for format in [SignatureFormat::V1, SignatureFormat::V2] {
            let original = content_hash(&content(), format);
            let mut c = content();
            c.items[1].result_value = Some("NO".into());
            assert_ne!(content_hash(&c, format), original);
            let mut c = content();
            c.items[2].notes = None;
            assert_ne!(content_hash(&c, format), original);
            let mut c = content();
            c.items[0].is_na = true;
            assert_ne!(content_hash(&c, format), original);
            let mut c = content();
            c.items[0].basin_index = Some(3);
            assert_ne!(content_hash(&c, format), original);
            let mut c = content();
            c.job_id = "J-8".into();
            assert_ne!(content_hash(&c, format), original);
            let mut c = content();
            c.items.reverse();
            assert_eq!(
                content_hash(&c, format),
                original,
                "the order given does not matter"
            );
        }
        let original = content_hash(&content(), SignatureFormat::V2);
        let mut c = content();
        c.items[0].code = "PQC-09".into();
        assert_ne!(content_hash(&c, SignatureFormat::V2), original);
        let mut c = content();
        c.items[0].text = "Drain centred".into();
        assert_ne!(content_hash(&c, SignatureFormat::V2), original);
    }

    #[test]
    fn job_id_and_reason() {
        assert_eq!(validate_job_id("  J-1 "), Ok("J-1".into()));
        assert_eq!(validate_job_id(" "), Err("Job ID is required".into()));
        assert!(validate_job_id(&"j".repeat(JOB_ID_MAX)).is_ok());
        assert!(validate_job_id(&"j".repeat(JOB_ID_MAX + 1)).is_err());
        assert_eq!(validate_reason(Some(" leak ")), Ok("leak".into()));
        assert_eq!(
            validate_reason(None),
            Err("A failure reason is required".into())
        );
        assert!(validate_reason(Some(&"r".repeat(REASON_MAX))).is_ok());
        assert!(validate_reason(Some(&"r".repeat(REASON_MAX + 1))).is_err());
        assert_eq!(
            validate_job_id("J-1\u{1b}[2J"),
            Err("Job ID: contains the control character U+001B; remove it".into())
        );
        assert_eq!(
            validate_reason(Some("leak\u{202E}")),
            Err(
                "Failure reason: contains the direction-changing character U+202E; remove it"
                    .into()
            )
        );
    }

    #[test]
    fn answer_text_refuses_forbidden_characters() {
        let t = def("T", CheckType::Text, json!({}));
        assert_eq!(judge(&t, &said("fine")), Judgement::Conforming);
        assert_eq!(
            invalid(judge(&t, &said("bad\u{200B}"))),
            "Answer: contains the zero-width character U+200B; remove it"
        );
        assert_eq!(
            invalid(judge(&t, &said("one\ntwo"))),
            "Answer: contains a line break (U+000A); this field takes one line"
        );
        // Notes take lines, but nothing a terminal would act on.
        assert_eq!(
            judge(&t, &noted("fine", "line one\nline two")),
            Judgement::Conforming
        );
        assert_eq!(
            invalid(judge(&t, &noted("fine", "x\u{1b}]0;t\u{7}"))),
            "Note: contains the control character U+001B; remove it"
        );
    }
}
