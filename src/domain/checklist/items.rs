//! The items of a template: the draft as written and the one validation that the file's import and the
//! template editor both call (docs/checklists.md §13).

use super::{CheckType, Item, MAX_ITEM_ID_LEN, MAX_SECTION_LEN, TEST_TYPES, Usage};
use crate::domain::applies_when;
use crate::text::check_text;
use serde::Deserialize;
use serde_json::{Map, Value as JsonValue};
use std::collections::HashSet;

/// One item as written: in a `[[template.item]]` of the file, or in the editor's form (docs/checklists.md
/// §3, §13). Nothing is checked yet; [`validate_items`] turns a list of drafts into [`Item`]s.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ItemDraft {
    pub code: String,
    pub section: String,
    pub sequence: i64,
    pub description: String,
    pub check_type: String,
    pub options: Option<Vec<String>>,
    pub multiple: Option<bool>,
    pub unit: Option<String>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// Absent values take the customer's column defaults (isRequired true, the others false).
    pub required: Option<bool>,
    pub basin_specific: Option<bool>,
    pub applies_when: Option<String>,
    pub notes_prompt: Option<bool>,
    pub note_required_for: Option<Vec<String>>,
    pub store_to: Option<String>,
    pub est_minutes: Option<i64>,
    pub test_type: Option<String>,
    pub item_id: Option<String>,
    pub qty: Option<i64>,
    pub qty_from: Option<String>,
    pub mounted_allowed: Option<bool>,
    pub catalog_gap: Option<String>,
}

/// One problem of an item list: the message names the template and the item; `index` is the item's place
/// in the list (`None` for a problem of the whole list), and `column` the 1-based character column of an
/// `appliesWhen` syntax error, from the parser (docs/checklists.md §5.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemProblem {
    pub index: Option<usize>,
    pub message: String,
    pub column: Option<usize>,
}

/// Checks every item of a template whose results go to `usage` (`None` when the template's usage is
/// itself invalid), each against the item rules (docs/checklists.md §3, §5.5) and the list as a whole
/// (at least one item; codes and sequences unique). `what` names the template in the messages. The one
/// validation of the import and the editor (docs/checklists.md §13): every problem is returned.
pub fn validate_items(
    what: &str,
    usage: Option<Usage>,
    drafts: Vec<ItemDraft>,
) -> Result<Vec<Item>, Vec<ItemProblem>> {
    let mut problems = Vec::new();
    if drafts.is_empty() {
        problems.push(ItemProblem {
            index: None,
            message: format!("{what}: the template has no items"),
            column: None,
        });
    }
    let mut codes = HashSet::new();
    let mut sequences = HashSet::new();
    let mut items = Vec::with_capacity(drafts.len());
    for (index, raw) in drafts.into_iter().enumerate() {
        let item_what = format!("{what} item \"{}\"", raw.code);
        let mut errs = Vec::new();
        if !codes.insert(raw.code.clone()) {
            errs.push(format!(
                "{item_what}: the code is used by another item of the template"
            ));
        }
        if !sequences.insert(raw.sequence) {
            errs.push(format!(
                "{item_what}: sequence {} is used by another item of the template",
                raw.sequence
            ));
        }
        let column = raw
            .applies_when
            .as_deref()
            .and_then(|src| applies_when::parse(src).err())
            .map(|e| e.column);
        let checked = item(raw, usage, &item_what, &mut errs);
        match checked {
            Some(i) if errs.is_empty() => items.push(i),
            _ => problems.extend(errs.into_iter().map(|message| ItemProblem {
                index: Some(index),
                column: column.filter(|_| message.contains(": appliesWhen ")),
                message,
            })),
        }
    }
    if problems.is_empty() {
        Ok(items)
    } else {
        Err(problems)
    }
}

impl ItemDraft {
    /// The draft of a stored item: its columns, and the keys of `QCChecklistItem.rules`
    /// (docs/checklists.md §8). A rules value that is not such an object is reported.
    #[allow(clippy::too_many_arguments)] // one argument per column of the row
    pub fn from_columns(
        section: &str,
        description: &str,
        check_type: CheckType,
        basin_specific: bool,
        required: bool,
        notes_prompt: bool,
        sequence: i32,
        rules: Option<&JsonValue>,
    ) -> Result<ItemDraft, String> {
        let mut m = match rules {
            Some(JsonValue::Object(m)) => m.clone(),
            None | Some(JsonValue::Null) => Map::new(),
            Some(other) => return Err(format!("the item's rules are not an object: {other}")),
        };
        m.insert("section".into(), section.into());
        m.insert("description".into(), description.into());
        m.insert("checkType".into(), check_type.code().into());
        m.insert("basinSpecific".into(), basin_specific.into());
        m.insert("required".into(), required.into());
        m.insert("notesPrompt".into(), notes_prompt.into());
        m.insert("sequence".into(), sequence.into());
        m.entry("code").or_insert_with(|| "".into());
        serde_json::from_value(JsonValue::Object(m))
            .map_err(|e| format!("the item at sequence {sequence} cannot be read: {e}"))
    }
}

impl Item {
    /// The item as a draft again, every key as [`validate_items`] would read it back.
    pub fn draft(&self) -> ItemDraft {
        ItemDraft {
            code: self.code.clone(),
            section: self.section.clone(),
            sequence: i64::from(self.sequence),
            description: self.description.clone(),
            check_type: self.check_type.code().to_string(),
            options: self.options.clone(),
            multiple: self.multiple,
            unit: self.unit.clone(),
            min: self.min,
            max: self.max,
            required: Some(self.required),
            basin_specific: Some(self.basin_specific),
            applies_when: self.applies_when.clone(),
            notes_prompt: Some(self.notes_prompt),
            note_required_for: self.note_required_for.clone(),
            store_to: self.store_to.clone(),
            est_minutes: self.est_minutes.map(i64::from),
            test_type: self.test_type.clone(),
            item_id: self.item_id.clone(),
            qty: self.qty.map(i64::from),
            qty_from: self.qty_from.clone(),
            mounted_allowed: self.mounted_allowed,
            catalog_gap: self.catalog_gap.clone(),
        }
    }
}

pub(super) fn non_empty(what: &str, key: &str, value: &str, max: usize, errs: &mut Vec<String>) {
    if value.trim().is_empty() {
        errs.push(format!("{what}: {key} must not be empty"));
    }
    let len = value.chars().count();
    if len > max {
        errs.push(format!(
            "{what}: {key} is {len} characters long, at most {max} are allowed"
        ));
    }
}

/// Refuses a forbidden character (`text::check_text`) in any of `texts`, named `<what>: <key>`. Every
/// text of the file is one line where it is shown.
pub(super) fn plain_texts<'a>(
    what: &str,
    texts: impl IntoIterator<Item = (String, &'a str)>,
    errs: &mut Vec<String>,
) {
    for (key, value) in texts {
        if let Err(m) = check_text(&format!("{what}: {key}"), value, false) {
            errs.push(m);
        }
    }
}

/// `(key, value)` for a text, `(key n, value)` for each entry of a list.
pub(super) fn one<'a>(key: &str, value: Option<&'a str>) -> Vec<(String, &'a str)> {
    value.map(|v| (key.to_string(), v)).into_iter().collect()
}

pub(super) fn each<'a>(key: &str, values: Option<&'a [String]>) -> Vec<(String, &'a str)> {
    values
        .unwrap_or_default()
        .iter()
        .enumerate()
        .map(|(i, v)| (format!("{key} {}", i + 1), v.as_str()))
        .collect()
}

/// Refuses `key` on an item where it does not belong.
fn only_when(
    present: bool,
    allowed: bool,
    what: &str,
    key: &str,
    context: &str,
    errs: &mut Vec<String>,
) {
    if present && !allowed {
        errs.push(format!("{what}: {key} is allowed only {context}"));
    }
}

fn item(raw: ItemDraft, usage: Option<Usage>, what: &str, errs: &mut Vec<String>) -> Option<Item> {
    let before = errs.len();
    let texts = [
        one("code", Some(&raw.code)),
        one("section", Some(&raw.section)),
        one("description", Some(&raw.description)),
        one("checkType", Some(&raw.check_type)),
        each("options", raw.options.as_deref()),
        one("unit", raw.unit.as_deref()),
        one("appliesWhen", raw.applies_when.as_deref()),
        each("noteRequiredFor", raw.note_required_for.as_deref()),
        one("storeTo", raw.store_to.as_deref()),
        one("testType", raw.test_type.as_deref()),
        one("itemId", raw.item_id.as_deref()),
        one("qtyFrom", raw.qty_from.as_deref()),
        one("catalogGap", raw.catalog_gap.as_deref()),
    ]
    .concat();
    plain_texts(what, texts, errs);
    non_empty(what, "code", &raw.code, usize::MAX, errs);
    non_empty(what, "section", &raw.section, MAX_SECTION_LEN, errs);
    non_empty(what, "description", &raw.description, usize::MAX, errs);
    let sequence = i32::try_from(raw.sequence).ok().filter(|s| *s >= 1);
    if sequence.is_none() {
        errs.push(format!(
            "{what}: sequence must be a whole number from 1, found {}",
            raw.sequence
        ));
    }
    let check_type = CheckType::parse(&raw.check_type);
    if check_type.is_none() {
        errs.push(format!(
            "{what}: checkType \"{}\" is unknown (expected one of {})",
            raw.check_type,
            CheckType::ALL.map(CheckType::code).join(", ")
        ));
    }
    let basin_specific = raw.basin_specific.unwrap_or(false);

    // Keys tied to a check type.
    let multi = check_type == Some(CheckType::MultiChoice);
    let measurement = check_type == Some(CheckType::Measurement);
    let for_multi = "on a MULTI_CHOICE item";
    only_when(
        raw.options.is_some(),
        multi,
        what,
        "options",
        for_multi,
        errs,
    );
    only_when(
        raw.multiple.is_some(),
        multi,
        what,
        "multiple",
        for_multi,
        errs,
    );
    only_when(
        raw.note_required_for.is_some(),
        multi,
        what,
        "noteRequiredFor",
        for_multi,
        errs,
    );
    for (key, present) in [
        ("unit", raw.unit.is_some()),
        ("min", raw.min.is_some()),
        ("max", raw.max.is_some()),
    ] {
        only_when(
            present,
            measurement,
            what,
            key,
            "on a MEASUREMENT item",
            errs,
        );
    }
    if multi {
        match &raw.options {
            None => errs.push(format!("{what}: a MULTI_CHOICE item needs options")),
            Some(o) if o.is_empty() => errs.push(format!("{what}: options must not be empty")),
            Some(o) => {
                let mut seen = HashSet::new();
                for opt in o {
                    if opt.trim().is_empty() || !seen.insert(opt.as_str()) {
                        errs.push(format!("{what}: option \"{opt}\" is empty or repeated"));
                    }
                    // Several answers are stored joined by "; ".
                    if raw.multiple == Some(true) && opt.contains(';') {
                        errs.push(format!(
                            "{what}: option \"{opt}\" contains \";\", which separates the answers of a multiple choice"
                        ));
                    }
                }
                for n in raw.note_required_for.iter().flatten() {
                    if !o.contains(n) {
                        errs.push(format!(
                            "{what}: noteRequiredFor \"{n}\" is not one of the options"
                        ));
                    }
                }
            }
        }
    }
    if measurement {
        match (&raw.unit, raw.min, raw.max) {
            (Some(unit), Some(min), Some(max)) => {
                if unit.trim().is_empty() {
                    errs.push(format!("{what}: unit must not be empty"));
                }
                if !min.is_finite() || !max.is_finite() {
                    errs.push(format!("{what}: min and max must be finite numbers"));
                } else if min > max {
                    errs.push(format!("{what}: min {min} is greater than max {max}"));
                }
            }
            _ => errs.push(format!(
                "{what}: a MEASUREMENT item needs unit, min and max"
            )),
        }
    }

    // The condition.
    let condition = raw.applies_when.as_deref().and_then(|src| {
        applies_when::compile(src, basin_specific)
            .map_err(|e| {
                for m in e {
                    errs.push(format!("{what}: appliesWhen \"{src}\": {m}"));
                }
            })
            .ok()
    });

    if let Some(s) = &raw.store_to {
        let column = s.strip_prefix("BasinConfiguration.").unwrap_or("");
        if column.is_empty() || !column.chars().all(|c| c.is_ascii_alphanumeric()) {
            errs.push(format!(
                "{what}: storeTo \"{s}\" must name a BasinConfiguration column (BasinConfiguration.<column>)"
            ));
        }
        if !basin_specific {
            errs.push(format!(
                "{what}: storeTo writes per basin, so the item must be basinSpecific"
            ));
        }
    }

    // Keys tied to the template's usage.
    let tasks = usage == Some(Usage::Tasks);
    let testing = usage == Some(Usage::TestingForm);
    let packaging = usage == Some(Usage::Packaging);
    only_when(
        raw.est_minutes.is_some(),
        tasks,
        what,
        "estMinutes",
        "in a TASKS template",
        errs,
    );
    only_when(
        raw.test_type.is_some(),
        testing,
        what,
        "testType",
        "in a TESTING_FORM template",
        errs,
    );
    for (key, present) in [
        ("itemId", raw.item_id.is_some()),
        ("qty", raw.qty.is_some()),
        ("qtyFrom", raw.qty_from.is_some()),
        ("mountedAllowed", raw.mounted_allowed.is_some()),
    ] {
        only_when(
            present,
            packaging,
            what,
            key,
            "in a PACKAGING template",
            errs,
        );
    }
    let est_minutes = raw.est_minutes.and_then(|m| {
        let v = i32::try_from(m).ok().filter(|v| *v >= 1);
        if v.is_none() {
            errs.push(format!(
                "{what}: estMinutes must be a whole number from 1, found {m}"
            ));
        }
        v
    });
    if testing {
        match &raw.test_type {
            None => errs.push(format!("{what}: a TESTING_FORM item needs testType")),
            Some(t) if !TEST_TYPES.contains(&t.as_str()) => errs.push(format!(
                "{what}: testType \"{t}\" is unknown (expected one of {})",
                TEST_TYPES.join(", ")
            )),
            Some(_) => {}
        }
    }
    if packaging {
        match &raw.item_id {
            None => errs.push(format!("{what}: a PACKAGING item needs itemId")),
            Some(id) => non_empty(what, "itemId", id, MAX_ITEM_ID_LEN, errs),
        }
        if raw.qty.is_some() == raw.qty_from.is_some() {
            errs.push(format!(
                "{what}: a PACKAGING item needs exactly one of qty and qtyFrom"
            ));
        }
    }
    let qty = raw.qty.and_then(|q| {
        let v = i32::try_from(q).ok().filter(|v| *v >= 1);
        if v.is_none() {
            errs.push(format!(
                "{what}: qty must be a whole number from 1, found {q}"
            ));
        }
        v
    });
    if let Some(f) = &raw.qty_from
        && f != "bom"
    {
        errs.push(format!(
            "{what}: qtyFrom \"{f}\" is unknown (expected \"bom\")"
        ));
    }
    if raw.catalog_gap.is_some() && raw.item_id.is_none() {
        errs.push(format!("{what}: catalogGap needs the proposed itemId"));
    }

    if errs.len() != before {
        return None;
    }
    Some(Item {
        code: raw.code,
        section: raw.section,
        sequence: sequence?,
        description: raw.description,
        check_type: check_type?,
        options: raw.options,
        multiple: raw.multiple,
        unit: raw.unit,
        min: raw.min,
        max: raw.max,
        required: raw.required.unwrap_or(true),
        basin_specific,
        applies_when: raw.applies_when,
        condition,
        notes_prompt: raw.notes_prompt.unwrap_or(false),
        note_required_for: raw.note_required_for,
        store_to: raw.store_to,
        est_minutes,
        test_type: raw.test_type,
        item_id: raw.item_id,
        qty,
        qty_from: raw.qty_from,
        mounted_allowed: raw.mounted_allowed,
        catalog_gap: raw.catalog_gap,
    })
}
