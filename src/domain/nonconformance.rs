//! Nonconformance records (docs/nonconformance.md): the number, the sources, the dispositions and the
//! state machine OPEN → DISPOSITIONED → CLOSED with the second signature a use-as-is needs, the items a
//! failed form records, and the messages the user sees.

use crate::domain::qc::{FormLine, Judgement, LineAnswer, QcItemDef, judge};
use crate::domain::signature::SignatureCheck;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The longest description (docs/nonconformance.md §2).
pub const MAX_DESCRIPTION: usize = 2000;
/// The longest disposition or close note.
pub const MAX_NOTE: usize = 1000;
/// The longest item line typed by hand, and how many lines an NC raised by hand may list.
pub const MAX_ITEM: usize = 500;
pub const MAX_ITEMS: usize = 50;
/// Rows per page of the open-NC list.
pub const PAGE_SIZE: u32 = 20;

/// What a second signature by the first signer is told (docs/nonconformance.md §4).
pub const SAME_SIGNER: &str = "USE_AS_IS needs a second person's signature; you signed it already";
pub const DESCRIPTION_REQUIRED: &str = "A description is required";

/// Where an NC came from (docs/nonconformance.md §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum NcSource {
    /// A failed Final QC result (`sourceId` = the QC result).
    FinalQc,
    /// A failed end-of-line testing form (`sourceId` = the form).
    Testing,
    /// Raised by hand on the build.
    Manual,
}

impl NcSource {
    pub fn code(self) -> &'static str {
        match self {
            NcSource::FinalQc => "FINAL_QC",
            NcSource::Testing => "TESTING",
            NcSource::Manual => "MANUAL",
        }
    }

    pub fn from_code(code: &str) -> Option<NcSource> {
        [NcSource::FinalQc, NcSource::Testing, NcSource::Manual]
            .into_iter()
            .find(|s| s.code() == code)
    }

    /// In words, for the screens.
    pub fn label(self) -> &'static str {
        match self {
            NcSource::FinalQc => "Final QC",
            NcSource::Testing => "Testing",
            NcSource::Manual => "Manual",
        }
    }
}

/// OPEN → DISPOSITIONED → CLOSED.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum NcStatus {
    Open,
    Dispositioned,
    Closed,
}

impl NcStatus {
    pub fn code(self) -> &'static str {
        match self {
            NcStatus::Open => "OPEN",
            NcStatus::Dispositioned => "DISPOSITIONED",
            NcStatus::Closed => "CLOSED",
        }
    }

    pub fn from_code(code: &str) -> Option<NcStatus> {
        [NcStatus::Open, NcStatus::Dispositioned, NcStatus::Closed]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

impl std::fmt::Display for NcStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// What QC decides about a nonconformance (docs/nonconformance.md §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Disposition {
    Rework,
    UseAsIs,
    Scrap,
    ReturnToSupplier,
}

impl Disposition {
    pub const ALL: [Disposition; 4] = [
        Disposition::Rework,
        Disposition::UseAsIs,
        Disposition::Scrap,
        Disposition::ReturnToSupplier,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Disposition::Rework => "REWORK",
            Disposition::UseAsIs => "USE_AS_IS",
            Disposition::Scrap => "SCRAP",
            Disposition::ReturnToSupplier => "RETURN_TO_SUPPLIER",
        }
    }

    pub fn from_code(code: &str) -> Option<Disposition> {
        Disposition::ALL.into_iter().find(|d| d.code() == code)
    }

    /// USE_AS_IS and SCRAP must say why.
    pub fn needs_note(self) -> bool {
        matches!(self, Disposition::UseAsIs | Disposition::Scrap)
    }
}

impl std::fmt::Display for Disposition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// `NC-<year>-<n>`, n written with at least four digits.
pub fn nc_number(year: i32, n: i32) -> String {
    format!("NC-{year:04}-{n:04}")
}

/// The year and sequence of a number written by [`nc_number`].
pub fn parse_number(number: &str) -> Option<(i32, i32)> {
    let rest = number.strip_prefix("NC-")?;
    let (year, n) = rest.split_once('-')?;
    if year.len() != 4
        || n.len() < 4
        || !(year.chars().chain(n.chars())).all(|c| c.is_ascii_digit())
    {
        return None;
    }
    Some((year.parse().ok()?, n.parse().ok()?))
}

/// One non-conforming item: a failed answer of a form (with its measurement and limits) or a line typed
/// by hand (its text only). Stored in the NC's `items` array.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct NcItem {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basin: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<String>,
    /// Why the answer does not conform, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finding: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<String>,
}

impl NcItem {
    /// One line for a screen: `FQC-03 (basin 2) Drain height: 41.5 mm — 41.5 is above the maximum 40`.
    pub fn line(&self) -> String {
        let mut out = String::new();
        if let Some(code) = &self.code {
            out.push_str(code);
            out.push(' ');
        }
        if let Some(b) = self.basin {
            out.push_str(&format!("(basin {b}) "));
        }
        out.push_str(&self.text);
        if let Some(a) = &self.answer {
            out.push_str(": ");
            out.push_str(a);
            if let Some(u) = &self.unit {
                out.push(' ');
                out.push_str(u);
            }
        }
        match (&self.min, &self.max) {
            (Some(lo), Some(hi)) => out.push_str(&format!(" [{lo}..{hi}]")),
            (Some(lo), None) => out.push_str(&format!(" [≥ {lo}]")),
            (None, Some(hi)) => out.push_str(&format!(" [≤ {hi}]")),
            (None, None) => {}
        }
        if let Some(f) = &self.finding {
            out.push_str(" — ");
            out.push_str(f);
        }
        out
    }
}

/// The non-conforming answers of a submitted form, in form order: each line whose answer the form's
/// rules judge non-conforming, with the item's code and wording, the answer and, for a measurement, its
/// unit and limits (docs/nonconformance.md §2). `item` finds a line's item.
pub fn nonconforming_items<'a>(
    lines: &[FormLine],
    item: impl Fn(usize) -> Option<&'a QcItemDef>,
    answers: &[LineAnswer],
) -> Vec<NcItem> {
    lines
        .iter()
        .filter_map(|line| {
            let def = item(line.item)?;
            let answer = answers
                .iter()
                .find(|a| a.item_id == def.id && a.basin_index == line.basin_index)?;
            let Judgement::NonConforming(why) = judge(def, &answer.answer) else {
                return None;
            };
            Some(NcItem {
                code: Some(def.code.clone()),
                text: def.description.clone(),
                basin: line.basin_index,
                answer: answer.answer.value.clone(),
                finding: Some(why),
                unit: def.unit.clone(),
                min: def.min.map(|m| m.to_string()),
                max: def.max.map(|m| m.to_string()),
            })
        })
        .collect()
}

/// The items of an NC raised by hand: one per non-blank line typed, trimmed (docs/nonconformance.md §3).
pub fn manual_items(lines: &[String]) -> Result<Vec<NcItem>, String> {
    let items: Vec<NcItem> = lines
        .iter()
        .flat_map(|l| l.split('\n'))
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| NcItem {
            text: l.to_string(),
            ..NcItem::default()
        })
        .collect();
    if items.len() > MAX_ITEMS {
        return Err(format!("At most {MAX_ITEMS} items"));
    }
    for it in &items {
        crate::text::check_text("Items", &it.text, false)?;
        if it.text.chars().count() > MAX_ITEM {
            return Err(format!("Each item must be at most {MAX_ITEM} characters"));
        }
    }
    Ok(items)
}

/// The description, trimmed: required, at most [`MAX_DESCRIPTION`] characters, no forbidden character.
pub fn validate_description(text: &str) -> Result<String, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err(DESCRIPTION_REQUIRED.into());
    }
    if t.chars().count() > MAX_DESCRIPTION {
        return Err(format!(
            "The description must be at most {MAX_DESCRIPTION} characters"
        ));
    }
    crate::text::check_text("Description", t, true)?;
    Ok(t.to_string())
}

/// A disposition's note, trimmed: required for USE_AS_IS and SCRAP, at most [`MAX_NOTE`] characters.
pub fn validate_disposition_note(
    disposition: Disposition,
    note: Option<&str>,
) -> Result<Option<String>, String> {
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    match note {
        None if disposition.needs_note() => Err(format!("{disposition} needs a note saying why")),
        None => Ok(None),
        Some(n) if n.chars().count() > MAX_NOTE => {
            Err(format!("The note must be at most {MAX_NOTE} characters"))
        }
        Some(n) => {
            crate::text::check_text("Note", n, true)?;
            Ok(Some(n.to_string()))
        }
    }
}

/// The note that closes an NC, trimmed: required, at most [`MAX_NOTE`] characters.
pub fn validate_close_note(note: &str) -> Result<String, String> {
    let n = note.trim();
    if n.is_empty() {
        return Err("A closing note is required".into());
    }
    if n.chars().count() > MAX_NOTE {
        return Err(format!("The note must be at most {MAX_NOTE} characters"));
    }
    crate::text::check_text("Note", n, true)?;
    Ok(n.to_string())
}

/// The description of a failed testing form's NC: the codes of the failed lines.
pub fn testing_description(items: &[NcItem]) -> String {
    let codes: Vec<&str> = items.iter().filter_map(|i| i.code.as_deref()).collect();
    let text = if codes.is_empty() {
        "End-of-line testing form FAIL".to_string()
    } else {
        format!(
            "End-of-line testing form FAIL: {} line(s) failed ({})",
            codes.len(),
            codes.join(", ")
        )
    };
    text.chars().take(MAX_DESCRIPTION).collect()
}

/// The task a REWORK disposition appends for an NC that is not a Final QC failure's:
/// `Rework for NC-2026-0003: <description's first line>`.
pub fn rework_task_description(nc: &NcSummary) -> String {
    let first = nc.description.lines().next().unwrap_or_default();
    let first: String = first.chars().take(200).collect();
    format!("Rework for {}: {first}", nc.number)
}

/// What a disposition signature does to the NC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignStep {
    /// The NC becomes DISPOSITIONED with the disposition chosen.
    Dispositioned,
    /// A first USE_AS_IS signature: the disposition is written and signed; the NC stays OPEN.
    AwaitingSecond,
}

/// The state machine of a disposition signature (docs/nonconformance.md §4). `current` is the
/// disposition already written (a USE_AS_IS awaiting its second signature), `first_signer` who signed it.
pub fn disposition_step(
    number: &str,
    status: NcStatus,
    current: Option<Disposition>,
    first_signer: Option<Uuid>,
    chosen: Disposition,
    signer: Uuid,
) -> Result<SignStep, String> {
    match (status, current) {
        (NcStatus::Closed | NcStatus::Dispositioned, _) => Err(format!(
            "{number} is already {status}; it takes no disposition"
        )),
        (NcStatus::Open, None) if chosen == Disposition::UseAsIs => Ok(SignStep::AwaitingSecond),
        (NcStatus::Open, None) => Ok(SignStep::Dispositioned),
        (NcStatus::Open, Some(d)) if d != chosen => Err(format!(
            "{number} awaits a second signature for {d}; sign {d} or leave it"
        )),
        (NcStatus::Open, Some(_)) if first_signer == Some(signer) => Err(SAME_SIGNER.into()),
        (NcStatus::Open, Some(_)) => Ok(SignStep::Dispositioned),
    }
}

/// Whether a DISPOSITIONED NC may be closed; `rework_open` names the linked rework task still open.
pub fn close_check(number: &str, status: NcStatus, rework_open: Option<i32>) -> Result<(), String> {
    match status {
        NcStatus::Open => Err(format!("{number} is OPEN; disposition it before closing")),
        NcStatus::Closed => Err(format!("{number} is already CLOSED")),
        NcStatus::Dispositioned => match rework_open {
            Some(seq) => Err(format!(
                "The rework task (task {seq}) is not complete; close {number} once it is"
            )),
            None => Ok(()),
        },
    }
}

/// The refusal to ship a build with OPEN NCs, oldest first; `None` when there are none
/// (docs/lifecycle.md §3.1, T10).
pub fn ship_refusal(open: &[String]) -> Option<String> {
    match open {
        [] => None,
        [one] => Some(format!("{one} is OPEN; disposition it before shipping")),
        [oldest, rest @ ..] => Some(format!(
            "{oldest} and {} more nonconformance(s) are OPEN; disposition them before shipping",
            rest.len()
        )),
    }
}

/// How long ago, in whole days, hours or minutes: `3d`, `5h`, `12m`.
pub fn age_text(raised_at: NaiveDateTime, now: NaiveDateTime) -> String {
    let mins = (now - raised_at).num_minutes().max(0);
    if mins >= 24 * 60 {
        format!("{}d", mins / (24 * 60))
    } else if mins >= 60 {
        format!("{}h", mins / 60)
    } else {
        format!("{mins}m")
    }
}

/// One NC in a list (the QC list, the build detail).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NcSummary {
    pub id: Uuid,
    pub number: String,
    pub order_id: Uuid,
    pub po_number: String,
    pub build_number: String,
    pub source: NcSource,
    pub status: NcStatus,
    pub disposition: Option<Disposition>,
    /// A USE_AS_IS signed once, waiting for a second person's signature.
    pub awaiting_second: bool,
    pub description: String,
    pub raised_by: String,
    /// UTC.
    pub raised_at: NaiveDateTime,
}

impl NcSummary {
    /// `OPEN`, `OPEN (awaiting second signature)`, `DISPOSITIONED REWORK`, `CLOSED SCRAP`.
    pub fn state_text(&self) -> String {
        if self.awaiting_second {
            return format!("{} (awaiting second signature)", self.status);
        }
        match (self.status, self.disposition) {
            (NcStatus::Open, _) | (_, None) => self.status.code().to_string(),
            (s, Some(d)) => format!("{s} {d}"),
        }
    }
}

impl NcSummary {
    /// What the build detail and `order show` print beside the number:
    /// `OPEN · Final QC · Scratch on the backsplash` (the description's first line, escaped).
    pub fn brief(&self) -> String {
        format!(
            "{} · {} · {}",
            self.state_text(),
            self.source.label(),
            crate::text::for_terminal(self.description.lines().next().unwrap_or_default())
        )
    }
}

/// A page of the open-NC list, oldest first, with the database's UTC time for the ages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NcPage {
    pub rows: Vec<NcSummary>,
    pub total: i64,
    /// 0-based.
    pub page: u32,
    pub now: NaiveDateTime,
}

impl NcPage {
    pub fn pages(&self) -> u32 {
        let total = u32::try_from(self.total.max(0)).unwrap_or(u32::MAX);
        total.div_ceil(PAGE_SIZE).max(1)
    }
}

/// The rework task an NC links.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReworkTask {
    pub id: Uuid,
    pub sequence: i32,
    pub description: String,
    pub completed: bool,
}

/// One NC with everything it records and what the user may do with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NcDetail {
    pub summary: NcSummary,
    pub source_id: Option<Uuid>,
    pub items: Vec<NcItem>,
    pub disposition_note: Option<String>,
    pub dispositioned: Option<(String, NaiveDateTime)>,
    pub rework_task: Option<ReworkTask>,
    pub closed: Option<(String, NaiveDateTime, String)>,
    /// The DISPOSITIONED signatures, oldest first, each checked against the NC as stored now.
    pub signatures: Vec<SignatureCheck>,
    pub may_disposition: bool,
    pub may_close: bool,
    /// What the last write did besides its change, e.g. why no rework task is linked.
    pub notice: Option<String>,
}

impl NcDetail {
    /// What the NC's screen says when another station changed the NC shown (docs/live.md §3.4):
    /// `self` as it was shown, `after` as read back; `by` is " by … at station …". `None` when
    /// nothing shown changed.
    pub fn change_news(&self, after: &NcDetail, by: &str) -> Option<String> {
        let number = &self.summary.number;
        let state = after.summary.state_text();
        if state != self.summary.state_text() {
            Some(format!("{number} is now {state}{by}"))
        } else {
            (after != self).then(|| format!("{number} changed{by}"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::checklist::CheckType;
    use crate::domain::qc::Answer;

    #[test]
    fn numbers_have_four_digits_at_least_and_parse_back() {
        assert_eq!(nc_number(2026, 3), "NC-2026-0003");
        assert_eq!(nc_number(2026, 12345), "NC-2026-12345");
        assert_eq!(parse_number("NC-2026-0003"), Some((2026, 3)));
        assert_eq!(parse_number("NC-2026-003"), None);
        assert_eq!(parse_number("NC-26-0003"), None);
        assert_eq!(parse_number("XX-2026-0003"), None);
    }

    #[test]
    fn codes_round_trip() {
        for d in Disposition::ALL {
            assert_eq!(Disposition::from_code(d.code()), Some(d));
        }
        for s in [NcSource::FinalQc, NcSource::Testing, NcSource::Manual] {
            assert_eq!(NcSource::from_code(s.code()), Some(s));
        }
        for s in [NcStatus::Open, NcStatus::Dispositioned, NcStatus::Closed] {
            assert_eq!(NcStatus::from_code(s.code()), Some(s));
        }
        assert_eq!(Disposition::from_code("KEEP"), None);
    }

    #[test]
    fn use_as_is_needs_a_second_different_signer() {
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let n = "NC-2026-0001";
        let step = |status, current, first, chosen, signer| {
            disposition_step(n, status, current, first, chosen, signer)
        };
        assert_eq!(
            step(NcStatus::Open, None, None, Disposition::UseAsIs, a),
            Ok(SignStep::AwaitingSecond)
        );
        assert_eq!(
            step(NcStatus::Open, None, None, Disposition::Scrap, a),
            Ok(SignStep::Dispositioned)
        );
        let u = Some(Disposition::UseAsIs);
        assert_eq!(
            step(NcStatus::Open, u, Some(a), Disposition::UseAsIs, a),
            Err(SAME_SIGNER.to_string())
        );
        assert_eq!(
            step(NcStatus::Open, u, Some(a), Disposition::UseAsIs, b),
            Ok(SignStep::Dispositioned)
        );
        assert!(
            step(NcStatus::Open, u, Some(a), Disposition::Rework, b)
                .is_err_and(|m| m.contains("awaits a second signature for USE_AS_IS"))
        );
        assert!(
            step(NcStatus::Dispositioned, None, None, Disposition::Rework, b)
                .is_err_and(|m| m.contains("already DISPOSITIONED"))
        );
    }

    #[test]
    fn notes_and_descriptions_are_checked() {
        assert_eq!(validate_description("  "), Err(DESCRIPTION_REQUIRED.into()));
        assert_eq!(validate_description(" Scratch "), Ok("Scratch".into()));
        assert!(validate_description(&"x".repeat(2001)).is_err());
        assert!(validate_description("bad \u{1b}[31m").is_err());
        assert!(validate_disposition_note(Disposition::UseAsIs, Some(" ")).is_err());
        assert!(validate_disposition_note(Disposition::Scrap, None).is_err());
        assert_eq!(
            validate_disposition_note(Disposition::Rework, None),
            Ok(None)
        );
        assert_eq!(
            validate_disposition_note(Disposition::UseAsIs, Some(" cosmetic ")),
            Ok(Some("cosmetic".into()))
        );
        assert!(validate_close_note("").is_err());
        assert_eq!(
            manual_items(&["a\n\n b ".into(), "  ".into()]).map(|v| v.len()),
            Ok(2)
        );
        assert!(manual_items(&["x".repeat(501)]).is_err());
    }

    #[test]
    fn closing_waits_for_the_rework_and_shipping_for_every_open_nc() {
        let n = "NC-2026-0002";
        assert!(close_check(n, NcStatus::Open, None).is_err());
        assert!(
            close_check(n, NcStatus::Dispositioned, Some(19)).is_err_and(|m| m.contains("task 19"))
        );
        assert_eq!(close_check(n, NcStatus::Dispositioned, None), Ok(()));
        assert_eq!(ship_refusal(&[]), None);
        assert_eq!(
            ship_refusal(&["NC-2026-0003".into()]).as_deref(),
            Some("NC-2026-0003 is OPEN; disposition it before shipping")
        );
        assert_eq!(
            ship_refusal(&["NC-2026-0003".into(), "NC-2026-0007".into()]).as_deref(),
            Some(
                "NC-2026-0003 and 1 more nonconformance(s) are OPEN; disposition them before shipping"
            )
        );
    }

    #[test]
    fn only_nonconforming_answers_become_items() {
        let mut def = QcItemDef::from_row(
            Uuid::from_u128(5),
            "Sink".into(),
            "Drain height".into(),
            CheckType::Measurement,
            true,
            true,
            false,
            10,
            Some(&serde_json::json!({"code": "FQC-03", "unit": "mm", "min": 10, "max": 40})),
        );
        def.unit = Some("mm".into());
        let defs = [def];
        let lines = [FormLine::new(0, Some(1)), FormLine::new(0, Some(2))];
        let answer = |basin, v: &str| LineAnswer {
            item_id: Uuid::from_u128(5),
            basin_index: Some(basin),
            answer: Answer {
                value: Some(v.into()),
                is_na: false,
                notes: None,
            },
        };
        let items = nonconforming_items(
            &lines,
            |i| defs.get(i),
            &[answer(1, "20"), answer(2, "41.5")],
        );
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].basin, Some(2));
        assert_eq!(items[0].answer.as_deref(), Some("41.5"));
        assert!(
            items[0]
                .line()
                .starts_with("FQC-03 (basin 2) Drain height: 41.5 mm [10..40]")
        );
    }

    #[test]
    fn ages_are_whole_units() {
        let t = |h, m| {
            chrono::NaiveDate::from_ymd_opt(2026, 1, 1)
                .and_then(|d| d.and_hms_opt(h, m, 0))
                .unwrap_or_default()
        };
        assert_eq!(age_text(t(1, 0), t(1, 12)), "12m");
        assert_eq!(age_text(t(1, 0), t(6, 30)), "5h");
        assert_eq!(age_text(t(1, 0) - chrono::Duration::days(3), t(1, 0)), "3d");
    }
}
