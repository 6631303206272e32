//! Floor records after assembly (docs/assembly-floor.md §5, §6): the end-of-line testing form and the
//! packaging checklist as the screens see them, and the pure rules that turn answers into stored results.
//! The answers themselves are judged by `domain::qc::judge`, the same rules the QC forms use.

use crate::domain::bom::{GeneratedBom, ItemType, canonical_id};
use crate::domain::checklist::CheckType;
use crate::domain::enums::pg_enum;
use crate::domain::qc::{Answer, FormLine, Judgement, LineAnswer, QcItemDef};
use chrono::NaiveDateTime;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;
use std::collections::HashMap;
use uuid::Uuid;

/// The template the testing form is filled from.
pub const TESTING_FORM: &str = "End-of-Line Testing";
/// The template the packaging checklist is generated from.
pub const PACKAGING_FORM: &str = "Packaging Verification";
/// `TestResult.testName` is VARCHAR(100).
pub const TEST_NAME_MAX: usize = 100;
/// The note that marks a packaging item as mounted on the sink instead of packed.
pub const MOUNTED_NOTE: &str = "Mounted";

pg_enum!(
    /// `"TestingStatus"`.
    TestingStatus, "TestingStatus", [Pass => "PASS", Fail => "FAIL", Incomplete => "INCOMPLETE"]
);

impl TestingStatus {
    /// The label as the forms show it (the database label).
    pub fn label(self) -> &'static str {
        self.code()
    }
}

pg_enum!(
    /// `"TestResultStatus"`.
    TestResultStatus, "TestResultStatus", [Pass => "PASS", Fail => "FAIL", NotApplicable => "N_A"]
);

pg_enum!(
    /// `"TestType"`.
    TestType, "TestType", [
    Functional => "FUNCTIONAL",
    Safety => "SAFETY",
    Performance => "PERFORMANCE",
    Visual => "VISUAL",
]);

impl TestType {
    /// The template's `testType`; an item without one is a functional test.
    pub fn from_code(code: Option<&str>) -> TestType {
        match code.map(str::trim) {
            Some("SAFETY") => TestType::Safety,
            Some("PERFORMANCE") => TestType::Performance,
            Some("VISUAL") => TestType::Visual,
            _ => TestType::Functional,
        }
    }
}

/// The build a floor record belongs to, as a screen's header shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FloorHeader {
    pub order_id: Uuid,
    pub po_number: String,
    pub build_number: String,
    pub sink_model: String,
}

/// One End-of-Line item with the test type its results are filed under.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestItem {
    pub def: QcItemDef,
    pub test_type: TestType,
}

/// A submitted testing form of the round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TestingFormSummary {
    pub id: Uuid,
    pub status: TestingStatus,
    pub performed_by: String,
    pub at: Option<NaiveDateTime>,
}

/// Where a build stands on the assembly floor, for the build detail and `order show`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FloorProgress {
    pub tasks_done: i64,
    pub tasks_total: i64,
    /// The latest form submitted in the current round (a rework starts a new one).
    pub testing: Option<TestingFormSummary>,
    /// The current packaging checklist, once the build has reached TESTING_COMPLETE.
    pub packaging: Option<PackagingProgress>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PackagingProgress {
    pub items_complete: usize,
    pub items: usize,
    /// (by, at) once the checklist is complete.
    pub completed: Option<(String, Option<NaiveDateTime>)>,
}

impl FloorProgress {
    /// The summary as (label, text) lines: one wording for the screen and the command line.
    pub fn lines(&self) -> Vec<(&'static str, String)> {
        let when = |at: &Option<NaiveDateTime>| {
            at.map(|t| format!(" at {}", crate::domain::clock::local_minute(t)))
                .unwrap_or_default()
        };
        let tasks = format!("{} / {} done", self.tasks_done, self.tasks_total);
        let testing = match &self.testing {
            None => "No form submitted in this round".to_string(),
            Some(f) => format!("{} by {}{}", f.status.code(), f.performed_by, when(&f.at)),
        };
        let packaging = match &self.packaging {
            None => "Not started (generated at TESTING_COMPLETE)".to_string(),
            Some(p) => match &p.completed {
                Some((by, at)) => format!("{} items complete by {by}{}", p.items, when(at)),
                None => format!("{} / {} items complete", p.items_complete, p.items),
            },
        };
        vec![
            ("Tasks", tasks),
            ("Testing", testing),
            ("Packaging", packaging),
        ]
    }
}

/// The testing form of a build: the applicable items, the draft answers, the round's submitted forms.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestingFormView {
    pub header: FloorHeader,
    pub items: Vec<TestItem>,
    pub lines: Vec<FormLine>,
    pub draft_id: Option<Uuid>,
    /// The draft's answers; without a draft, the answers of the round's latest form when it passed.
    pub answers: Vec<LineAnswer>,
    /// Tasks of the round still open; the form can be saved or submitted only at 0.
    pub open_tasks: i64,
    /// This round's submitted forms, newest first.
    pub submitted: Vec<TestingFormSummary>,
    /// When the round's latest form failed: its conforming answers, offered to the new form as "carried
    /// over — confirm"; not answers until confirmed (docs/assembly-floor.md §5.1).
    pub carried: Vec<LineAnswer>,
}

/// One packaging line as the checklist screen shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PackagingLine {
    pub id: Uuid,
    /// The template item's code and text; empty when the template no longer lists the item.
    pub code: String,
    pub description: String,
    pub item_id: String,
    pub item_type: ItemType,
    pub required: i32,
    pub packed: i32,
    pub mounted_allowed: bool,
    pub mounted: bool,
    pub complete: bool,
}

/// A build's packaging checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PackagingView {
    pub header: FloorHeader,
    pub checklist_id: Uuid,
    pub performed_by: String,
    pub completed: bool,
    pub completed_at: Option<NaiveDateTime>,
    pub lines: Vec<PackagingLine>,
}

/// What a submit wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TestingSubmitted {
    pub form_id: Uuid,
    pub status: TestingStatus,
    pub results: usize,
    pub at: NaiveDateTime,
}

/// `<code> <text> [basin n]`, at most [`TEST_NAME_MAX`] characters; the text is cut, never the code or
/// the basin, so two basins' results stay apart.
pub fn test_name(code: &str, text: &str, basin: Option<i32>) -> String {
    let suffix = basin.map(|b| format!(" [basin {b}]")).unwrap_or_default();
    let head = format!("{code} ");
    let room = TEST_NAME_MAX
        .saturating_sub(head.chars().count())
        .saturating_sub(suffix.chars().count());
    let text: String = text.trim().chars().take(room).collect();
    let name = format!("{head}{}{suffix}", text.trim_end());
    name.chars().take(TEST_NAME_MAX).collect()
}

/// The code and basin a stored test name was written for (the inverse of [`test_name`]).
pub fn parse_test_name(name: &str) -> (String, Option<i32>) {
    let code = name
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string();
    let basin = name
        .trim_end()
        .strip_suffix(']')
        .and_then(|rest| rest.rsplit_once("[basin "))
        .and_then(|(_, n)| n.parse().ok());
    (code, basin)
}

/// The stored result of a judged answer; `None` when it cannot be stored (unanswered or invalid).
pub fn result_of(answer: &Answer, judgement: &Judgement) -> Option<TestResultStatus> {
    match judgement {
        Judgement::Conforming if answer.is_na => Some(TestResultStatus::NotApplicable),
        Judgement::Conforming => Some(TestResultStatus::Pass),
        Judgement::NonConforming(_) => Some(TestResultStatus::Fail),
        Judgement::Unanswered | Judgement::Invalid(_) => None,
    }
}

/// `TestResult.measurements`: the value as typed, with the unit for a measurement (`41.5 degC`).
pub fn measurements_text(item: &QcItemDef, answer: &Answer) -> Option<String> {
    let value = answer
        .value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())?;
    match (&item.check_type, item.unit.as_deref()) {
        (CheckType::Measurement, Some(unit)) if !unit.trim().is_empty() => {
            Some(format!("{value} {}", unit.trim()))
        }
        _ => Some(value.to_string()),
    }
}

/// The answer a stored result holds (the inverse of [`measurements_text`] and [`result_of`]).
pub fn answer_of(
    item: &QcItemDef,
    result: TestResultStatus,
    measurements: Option<&str>,
    notes: Option<String>,
) -> Answer {
    let value = measurements.map(|m| {
        let m = m.trim();
        match (&item.check_type, item.unit.as_deref()) {
            (CheckType::Measurement, Some(unit)) => m
                .strip_suffix(unit.trim())
                .map_or(m, str::trim_end)
                .to_string(),
            _ => m.to_string(),
        }
    });
    let is_na = result == TestResultStatus::NotApplicable;
    Answer {
        value: if is_na { None } else { value },
        is_na,
        notes,
    }
}

/// The form's overall status: PASS when every result conforms.
pub fn overall(results: &[TestResultStatus]) -> TestingStatus {
    if results.contains(&TestResultStatus::Fail) {
        TestingStatus::Fail
    } else {
        TestingStatus::Pass
    }
}

/// The packaging rules of one template item (its `rules` JSON).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackagingRule {
    pub item_id: String,
    pub qty: Option<i32>,
    pub from_bom: bool,
    pub mounted_allowed: bool,
}

impl PackagingRule {
    pub fn from_rules(rules: Option<&serde_json::Value>) -> Option<PackagingRule> {
        let rules = rules?;
        let item_id = rules.get("itemId")?.as_str()?.trim().to_string();
        if item_id.is_empty() {
            return None;
        }
        Some(PackagingRule {
            item_id,
            qty: rules
                .get("qty")
                .and_then(serde_json::Value::as_i64)
                .and_then(|q| i32::try_from(q).ok()),
            from_bom: rules.get("qtyFrom").and_then(serde_json::Value::as_str) == Some("bom"),
            mounted_allowed: rules
                .get("mountedAllowed")
                .and_then(serde_json::Value::as_bool)
                .unwrap_or(false),
        })
    }

    /// The quantity to pack given the BOM's total of the item; `None` when the item does not apply (a
    /// BOM-driven item the build's BOM does not hold, or a zero quantity). A fractional total is rounded
    /// up: a part is packed whole.
    pub fn required(&self, bom_total: Decimal) -> Option<i32> {
        let q = if self.from_bom {
            bom_total.ceil().to_i32()?
        } else {
            self.qty?
        };
        (q > 0).then_some(q)
    }

    /// What the packaging checklist holds for this item in a build whose BOM gives `totals`; `None` when the
    /// item does not apply. Both the generated checklist and its preview go through here, so the preview
    /// shows what the floor gets.
    pub fn need(&self, totals: &BomTotals) -> Option<PackagingNeed<'_>> {
        let item_id = canonical_id(&self.item_id);
        let found = totals.0.get(item_id).copied();
        let required = self.required(found.map_or(Decimal::ZERO, |(q, _)| q))?;
        Some(PackagingNeed {
            item_id,
            required,
            bom_type: found.map(|(_, t)| t),
        })
    }
}

/// A build's BOM quantities summed by canonical id over every node (all levels), with the type the BOM
/// gives each id: what a BOM-driven packaging item's quantity is read from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BomTotals(HashMap<String, (Decimal, ItemType)>);

impl BomTotals {
    pub fn new() -> BomTotals {
        BomTotals::default()
    }

    /// Adds one node's absolute quantity.
    pub fn add(&mut self, item_id: &str, quantity: Decimal, item_type: ItemType) {
        self.0
            .entry(item_id.to_string())
            .or_insert((Decimal::ZERO, item_type))
            .0 += quantity;
    }

    /// The totals of a BOM generated but not saved.
    pub fn of_generated(bom: &GeneratedBom) -> BomTotals {
        let mut totals = BomTotals::new();
        for n in &bom.nodes {
            totals.add(&n.id, Decimal::from(n.quantity), n.item_type);
        }
        totals
    }
}

/// One item of a packaging checklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PackagingNeed<'r> {
    /// The canonical id of what is packed.
    pub item_id: &'r str,
    pub required: i32,
    /// The item's type in the BOM, when the BOM holds it.
    pub bom_type: Option<ItemType>,
}

/// An item is complete when packed in full, or when it is allowed to be mounted and is.
pub fn item_complete(packed: i32, required: i32, mounted: bool) -> bool {
    packed == required || mounted
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(check_type: CheckType, unit: Option<&str>) -> QcItemDef {
        QcItemDef::from_row(
            Uuid::nil(),
            "S".into(),
            "d".into(),
            check_type,
            false,
            true,
            false,
            10,
            unit.map(|u| serde_json::json!({"code": "EOL-01", "unit": u}))
                .as_ref(),
        )
    }

    #[test]
    fn test_names_keep_code_and_basin_within_the_limit() {
        assert_eq!(
            test_name("EOL-01", "Drain", Some(2)),
            "EOL-01 Drain [basin 2]"
        );
        assert_eq!(test_name("EOL-02", "Water", None), "EOL-02 Water");
        let long = "x".repeat(300);
        let name = test_name("EOL-03", &long, Some(1));
        assert_eq!(name.chars().count(), TEST_NAME_MAX);
        assert!(name.starts_with("EOL-03 x"));
        assert!(name.ends_with(" [basin 1]"));
        assert_eq!(parse_test_name(&name), ("EOL-03".into(), Some(1)));
        assert_eq!(parse_test_name("EOL-02 Water"), ("EOL-02".into(), None));
    }

    #[test]
    fn measurements_round_trip_with_their_unit() {
        let m = item(CheckType::Measurement, Some("degC"));
        let a = Answer {
            value: Some(" 41.5 ".into()),
            is_na: false,
            notes: None,
        };
        let text = measurements_text(&m, &a);
        assert_eq!(text.as_deref(), Some("41.5 degC"));
        let back = answer_of(&m, TestResultStatus::Pass, text.as_deref(), None);
        assert_eq!(back.value.as_deref(), Some("41.5"));
        let b = item(CheckType::Boolean, None);
        let yes = answer_of(&b, TestResultStatus::Pass, Some("YES"), None);
        assert_eq!(yes.value.as_deref(), Some("YES"));
        let na = answer_of(
            &b,
            TestResultStatus::NotApplicable,
            None,
            Some("no drain".into()),
        );
        assert!(na.is_na);
    }

    #[test]
    fn results_and_overall_follow_the_judgement() {
        let a = Answer::default();
        assert_eq!(
            result_of(&a, &Judgement::Conforming),
            Some(TestResultStatus::Pass)
        );
        assert_eq!(
            result_of(&a, &Judgement::NonConforming("x".into())),
            Some(TestResultStatus::Fail)
        );
        assert_eq!(result_of(&a, &Judgement::Unanswered), None);
        let na = Answer {
            is_na: true,
            ..Answer::default()
        };
        assert_eq!(
            result_of(&na, &Judgement::Conforming),
            Some(TestResultStatus::NotApplicable)
        );
        use TestResultStatus as R;
        assert_eq!(overall(&[R::Pass, R::NotApplicable]), TestingStatus::Pass);
        assert_eq!(overall(&[R::Pass, R::Fail]), TestingStatus::Fail);
    }

    #[test]
    fn packaging_quantities_come_from_the_rule_or_the_bom() {
        let rule = |qty: Option<i32>, from_bom: bool| PackagingRule {
            item_id: "X".into(),
            qty,
            from_bom,
            mounted_allowed: false,
        };
        assert_eq!(rule(Some(1), false).required(Decimal::ZERO), Some(1));
        assert_eq!(rule(None, true).required(Decimal::new(2, 0)), Some(2));
        assert_eq!(rule(None, true).required(Decimal::new(15, 1)), Some(2));
        assert_eq!(rule(None, true).required(Decimal::ZERO), None);
        assert_eq!(rule(None, false).required(Decimal::ONE), None);
        let parsed = PackagingRule::from_rules(Some(&serde_json::json!({
            "itemId": "T2-OA-STD-FAUCET-WB-KIT", "qtyFrom": "bom", "mountedAllowed": true
        })));
        assert_eq!(
            parsed,
            Some(PackagingRule {
                item_id: "T2-OA-STD-FAUCET-WB-KIT".into(),
                qty: None,
                from_bom: true,
                mounted_allowed: true,
            })
        );
        assert!(item_complete(2, 2, false));
        assert!(!item_complete(1, 2, false));
        assert!(item_complete(0, 2, true));
    }
}
