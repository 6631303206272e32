//! The checklist templates file (checklists.toml): parsing and validation. No IO.
//!
//! The file's header defines every key. Unknown keys are refused (a misspelt `appliesWhen` would otherwise make
//! an item apply everywhere); the remaining checks collect every problem, each naming the template and item.

use crate::domain::applies_when::{self, Expr};
use crate::text::check_text;
use postgres_types::{FromSql, ToSql};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as JsonValue, json};
use std::collections::HashSet;

/// The only file format this code reads.
pub const SCHEMA_VERSION: i64 = 1;

/// `QCFormTemplate.formName` and `QCChecklistItem.section` are VARCHAR(100).
pub const MAX_FORM_NAME_LEN: usize = 100;
pub const MAX_SECTION_LEN: usize = 100;
/// `PackagingItem.itemId` is VARCHAR(50).
pub const MAX_ITEM_ID_LEN: usize = 50;

pub const TEST_TYPES: &[&str] = &["FUNCTIONAL", "SAFETY", "PERFORMANCE", "VISUAL"];

/// `"QCFormType"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ToSql, FromSql, Serialize, Deserialize)]
#[postgres(name = "QCFormType")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FormType {
    #[postgres(name = "PRE_QC")]
    PreQc,
    #[postgres(name = "FINAL_QC")]
    FinalQc,
    #[postgres(name = "IN_PROCESS")]
    InProcess,
}

impl FormType {
    pub const ALL: [FormType; 3] = [FormType::PreQc, FormType::FinalQc, FormType::InProcess];

    pub fn code(self) -> &'static str {
        match self {
            FormType::PreQc => "PRE_QC",
            FormType::FinalQc => "FINAL_QC",
            FormType::InProcess => "IN_PROCESS",
        }
    }

    pub fn parse(s: &str) -> Option<FormType> {
        Self::ALL.into_iter().find(|v| v.code() == s)
    }
}

/// `"QCCheckType"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ToSql, FromSql, Serialize, Deserialize)]
#[postgres(name = "QCCheckType")]
pub enum CheckType {
    #[postgres(name = "BOOLEAN")]
    #[serde(rename = "BOOLEAN")]
    Boolean,
    #[postgres(name = "TEXT")]
    #[serde(rename = "TEXT")]
    Text,
    #[postgres(name = "MEASUREMENT")]
    #[serde(rename = "MEASUREMENT")]
    Measurement,
    #[postgres(name = "N_A_OPTION")]
    #[serde(rename = "N_A_OPTION")]
    NaOption,
    #[postgres(name = "MULTI_CHOICE")]
    #[serde(rename = "MULTI_CHOICE")]
    MultiChoice,
}

impl CheckType {
    pub const ALL: [CheckType; 5] = [
        CheckType::Boolean,
        CheckType::Text,
        CheckType::Measurement,
        CheckType::NaOption,
        CheckType::MultiChoice,
    ];

    pub fn code(self) -> &'static str {
        match self {
            CheckType::Boolean => "BOOLEAN",
            CheckType::Text => "TEXT",
            CheckType::Measurement => "MEASUREMENT",
            CheckType::NaOption => "N_A_OPTION",
            CheckType::MultiChoice => "MULTI_CHOICE",
        }
    }

    pub fn parse(s: &str) -> Option<CheckType> {
        Self::ALL.into_iter().find(|v| v.code() == s)
    }
}

/// Where a template's results are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Usage {
    QcResult,
    Tasks,
    TestingForm,
    Packaging,
}

impl Usage {
    pub const ALL: [Usage; 4] = [
        Usage::QcResult,
        Usage::Tasks,
        Usage::TestingForm,
        Usage::Packaging,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Usage::QcResult => "QC_RESULT",
            Usage::Tasks => "TASKS",
            Usage::TestingForm => "TESTING_FORM",
            Usage::Packaging => "PACKAGING",
        }
    }

    pub fn parse(s: &str) -> Option<Usage> {
        Self::ALL.into_iter().find(|v| v.code() == s)
    }
}

/// The whole file, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct ChecklistFile {
    pub schema_version: i64,
    pub templates: Vec<Template>,
}

/// One `[[template]]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    pub key: String,
    pub name: String,
    pub form_type: FormType,
    pub version: i32,
    pub usage: Usage,
    pub source: Option<String>,
    pub description: Option<String>,
    pub header_fields: Vec<String>,
    pub procedures: Vec<Procedure>,
    pub items: Vec<Item>,
}

/// A `[[template.procedure]]`: instructions shown with the form; not stored in the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Procedure {
    pub name: String,
    pub materials: Vec<String>,
    pub steps: Vec<String>,
}

/// One `[[template.item]]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub code: String,
    pub section: String,
    pub sequence: i32,
    pub description: String,
    pub check_type: CheckType,
    pub options: Option<Vec<String>>,
    pub multiple: Option<bool>,
    pub unit: Option<String>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub required: bool,
    pub basin_specific: bool,
    /// The condition as written; [`Item::condition`] holds it parsed.
    pub applies_when: Option<String>,
    pub condition: Option<Expr>,
    pub notes_prompt: bool,
    pub note_required_for: Option<Vec<String>>,
    pub store_to: Option<String>,
    pub est_minutes: Option<i32>,
    pub test_type: Option<String>,
    pub item_id: Option<String>,
    pub qty: Option<i32>,
    pub qty_from: Option<String>,
    pub mounted_allowed: Option<bool>,
    pub catalog_gap: Option<String>,
}

impl Item {
    /// `QCChecklistItem.rules` (D21): every key the seed columns cannot hold, camelCase as in the file.
    /// Absent keys are omitted.
    pub fn rules_json(&self) -> JsonValue {
        let mut m = Map::new();
        let mut put = |k: &str, v: JsonValue| {
            m.insert(k.to_string(), v);
        };
        put("code", json!(self.code));
        if let Some(v) = &self.options {
            put("options", json!(v));
        }
        if let Some(v) = self.multiple {
            put("multiple", json!(v));
        }
        if let Some(v) = &self.unit {
            put("unit", json!(v));
        }
        if let Some(v) = self.min {
            put("min", json!(v));
        }
        if let Some(v) = self.max {
            put("max", json!(v));
        }
        if let Some(v) = &self.applies_when {
            put("appliesWhen", json!(v));
        }
        if let Some(v) = &self.note_required_for {
            put("noteRequiredFor", json!(v));
        }
        if let Some(v) = &self.store_to {
            put("storeTo", json!(v));
        }
        if let Some(v) = self.est_minutes {
            put("estMinutes", json!(v));
        }
        if let Some(v) = &self.test_type {
            put("testType", json!(v));
        }
        if let Some(v) = &self.item_id {
            put("itemId", json!(v));
        }
        if let Some(v) = self.qty {
            put("qty", json!(v));
        }
        if let Some(v) = &self.qty_from {
            put("qtyFrom", json!(v));
        }
        if let Some(v) = self.mounted_allowed {
            put("mountedAllowed", json!(v));
        }
        if let Some(v) = &self.catalog_gap {
            put("catalogGap", json!(v));
        }
        JsonValue::Object(m)
    }
}

// ---------------------------------------------------------------------------------------------------------
// The file as written

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct RawFile {
    schema_version: i64,
    #[serde(default, rename = "template")]
    templates: Vec<RawTemplate>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct RawTemplate {
    key: String,
    name: String,
    form_type: String,
    version: i64,
    usage: String,
    source: Option<String>,
    description: Option<String>,
    #[serde(default)]
    header_fields: Vec<String>,
    #[serde(default, rename = "procedure")]
    procedures: Vec<RawProcedure>,
    #[serde(default, rename = "item")]
    items: Vec<RawItem>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct RawProcedure {
    name: String,
    #[serde(default)]
    materials: Vec<String>,
    steps: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct RawItem {
    code: String,
    section: String,
    sequence: i64,
    description: String,
    check_type: String,
    options: Option<Vec<String>>,
    multiple: Option<bool>,
    unit: Option<String>,
    min: Option<f64>,
    max: Option<f64>,
    /// Absent values take the seed columns' defaults (isRequired true, the others false).
    required: Option<bool>,
    basin_specific: Option<bool>,
    applies_when: Option<String>,
    notes_prompt: Option<bool>,
    note_required_for: Option<Vec<String>>,
    store_to: Option<String>,
    est_minutes: Option<i64>,
    test_type: Option<String>,
    item_id: Option<String>,
    qty: Option<i64>,
    qty_from: Option<String>,
    mounted_allowed: Option<bool>,
    catalog_gap: Option<String>,
}

/// Parses and validates checklists.toml. On failure every problem is returned, one message each.
pub fn parse_checklists(text: &str) -> Result<ChecklistFile, Vec<String>> {
    let raw: RawFile = toml::from_str(text).map_err(|e| vec![format!("checklists: {e}")])?;
    let mut errs = Vec::new();
    if raw.schema_version != SCHEMA_VERSION {
        errs.push(format!(
            "checklists: schemaVersion {} is not supported (this program reads version {SCHEMA_VERSION})",
            raw.schema_version
        ));
    }
    if raw.templates.is_empty() {
        errs.push("checklists: the file has no [[template]]".to_string());
    }
    let mut keys = HashSet::new();
    let mut names = HashSet::new();
    let mut templates = Vec::with_capacity(raw.templates.len());
    for t in raw.templates {
        let what = format!("template \"{}\"", t.key);
        if !keys.insert(t.key.clone()) {
            errs.push(format!("{what}: the key is used by another template"));
        }
        if !names.insert((t.name.clone(), t.version)) {
            errs.push(format!(
                "{what}: name \"{}\" version {} is used by another template",
                t.name, t.version
            ));
        }
        if let Some(t) = template(t, &what, &mut errs) {
            templates.push(t);
        }
    }
    if errs.is_empty() {
        Ok(ChecklistFile {
            schema_version: raw.schema_version,
            templates,
        })
    } else {
        Err(errs)
    }
}

fn non_empty(what: &str, key: &str, value: &str, max: usize, errs: &mut Vec<String>) {
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
fn plain_texts<'a>(
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
fn one<'a>(key: &str, value: Option<&'a str>) -> Vec<(String, &'a str)> {
    value.map(|v| (key.to_string(), v)).into_iter().collect()
}

fn each<'a>(key: &str, values: Option<&'a [String]>) -> Vec<(String, &'a str)> {
    values
        .unwrap_or_default()
        .iter()
        .enumerate()
        .map(|(i, v)| (format!("{key} {}", i + 1), v.as_str()))
        .collect()
}

fn template(t: RawTemplate, what: &str, errs: &mut Vec<String>) -> Option<Template> {
    let before = errs.len();
    let mut texts = [
        one("key", Some(&t.key)),
        one("name", Some(&t.name)),
        one("formType", Some(&t.form_type)),
        one("usage", Some(&t.usage)),
        one("source", t.source.as_deref()),
        one("description", t.description.as_deref()),
        each("headerFields", Some(&t.header_fields)),
    ]
    .concat();
    for (i, p) in t.procedures.iter().enumerate() {
        let n = i + 1;
        texts.extend(one(&format!("procedure {n} name"), Some(&p.name)));
        texts.extend(each(
            &format!("procedure {n} materials"),
            Some(&p.materials),
        ));
        texts.extend(each(&format!("procedure {n} steps"), Some(&p.steps)));
    }
    plain_texts(what, texts, errs);
    non_empty(what, "key", &t.key, usize::MAX, errs);
    non_empty(what, "name", &t.name, MAX_FORM_NAME_LEN, errs);
    let form_type = FormType::parse(&t.form_type);
    if form_type.is_none() {
        errs.push(format!(
            "{what}: formType \"{}\" is unknown (expected one of {})",
            t.form_type,
            FormType::ALL.map(FormType::code).join(", ")
        ));
    }
    let usage = Usage::parse(&t.usage);
    if usage.is_none() {
        errs.push(format!(
            "{what}: usage \"{}\" is unknown (expected one of {})",
            t.usage,
            Usage::ALL.map(Usage::code).join(", ")
        ));
    }
    let version = i32::try_from(t.version).ok().filter(|v| *v >= 1);
    if version.is_none() {
        errs.push(format!(
            "{what}: version must be a whole number from 1, found {}",
            t.version
        ));
    }
    let mut fields = HashSet::new();
    for h in &t.header_fields {
        if h.trim().is_empty() || !fields.insert(h.as_str()) {
            errs.push(format!(
                "{what}: headerFields has an empty or repeated entry \"{h}\""
            ));
        }
    }
    let procedures: Vec<Procedure> = t
        .procedures
        .into_iter()
        .map(|p| {
            non_empty(what, "procedure name", &p.name, usize::MAX, errs);
            if p.steps.is_empty() {
                errs.push(format!("{what}: procedure \"{}\" has no steps", p.name));
            }
            Procedure {
                name: p.name,
                materials: p.materials,
                steps: p.steps,
            }
        })
        .collect();
    if t.items.is_empty() {
        errs.push(format!("{what}: the template has no items"));
    }
    let mut codes = HashSet::new();
    let mut sequences = HashSet::new();
    let mut items = Vec::with_capacity(t.items.len());
    for raw in t.items {
        let item_what = format!("{what} item \"{}\"", raw.code);
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
        if let Some(i) = item(raw, usage, &item_what, errs) {
            items.push(i);
        }
    }
    if errs.len() != before {
        return None;
    }
    Some(Template {
        key: t.key,
        name: t.name,
        form_type: form_type?,
        version: version?,
        usage: usage?,
        source: t.source,
        description: t.description,
        header_fields: t.header_fields,
        procedures,
        items,
    })
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

fn item(raw: RawItem, usage: Option<Usage>, what: &str, errs: &mut Vec<String>) -> Option<Item> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalog::SUPPLEMENTARY_PARTS;
    use crate::reference::CHECKLISTS_TOML;

    const MINI: &str = r#"
schemaVersion = 1

[[template]]
key = "T"
name = "Mini"
formType = "PRE_QC"
version = 1
usage = "QC_RESULT"

[[template.item]]
code = "A"
section = "S"
sequence = 10
description = "first"
checkType = "BOOLEAN"
basinSpecific = true
appliesWhen = "basin.type = E_SINK"

[[template.item]]
code = "B"
section = "S"
sequence = 20
description = "second"
checkType = "MEASUREMENT"
unit = "degC"
min = 1
max = 2.5
"#;

    fn errors(text: &str) -> Vec<String> {
        parse_checklists(text).err().unwrap_or_default()
    }

    fn assert_error(errs: &[String], needles: &[&str]) {
        assert!(
            errs.iter().any(|e| needles.iter().all(|n| e.contains(n))),
            "no error containing {needles:?} in {errs:#?}"
        );
    }

    fn item<'a>(f: &'a ChecklistFile, code: &str) -> &'a Item {
        f.templates
            .iter()
            .flat_map(|t| &t.items)
            .find(|i| i.code == code)
            .expect("item exists")
    }

    #[test]
    fn shipped_checklists_parse() {
        let f = parse_checklists(CHECKLISTS_TOML).expect("the shipped checklists are valid");
        let summary: Vec<(&str, usize)> = f
            .templates
            .iter()
            .map(|t| (t.key.as_str(), t.items.len()))
            .collect();
        assert_eq!(
            summary,
            vec![
                ("PRE_QC", 15),
                ("FINAL_QC", 33),
                ("PRODUCTION", 25),
                ("EOL_TEST", 35),
                ("PACKAGING", 20)
            ]
        );
        let pre = &f.templates[0];
        assert_eq!(pre.name, "Pre-Production Check");
        assert_eq!(pre.form_type, FormType::PreQc);
        assert_eq!(pre.usage, Usage::QcResult);
        assert_eq!(pre.header_fields, vec!["jobId", "numberOfBasins"]);
        assert_eq!(f.templates[3].procedures.len(), 2);
        assert_eq!(f.templates[2].form_type, FormType::InProcess);

        assert_eq!(item(&f, "PRE-01").rules_json(), json!({"code": "PRE-01"}));
        let eol16 = item(&f, "EOL-16");
        assert_eq!(eol16.check_type, CheckType::Measurement);
        assert_eq!(
            eol16.rules_json(),
            json!({"code": "EOL-16", "unit": "degC", "min": -2.0, "max": 2.0,
                   "appliesWhen": "basin.type = E_SINK", "testType": "PERFORMANCE"})
        );
        let pre12 = item(&f, "PRE-12").rules_json();
        assert_eq!(pre12["options"], json!(["Center", "Other"]));
        assert_eq!(pre12["noteRequiredFor"], json!(["Other"]));
        assert_eq!(pre12["storeTo"], json!("BasinConfiguration.drainLocation"));
        assert!(pre12.get("multiple").is_none());
        let pkg01 = item(&f, "PKG-01").rules_json();
        assert_eq!(pkg01["itemId"], json!("T2-ANTI-FATIGUE-MAT"));
        assert_eq!(pkg01["qty"], json!(1));
        assert!(pkg01["catalogGap"].is_string());
        assert!(item(&f, "PRE-04").condition.is_some());
        assert!(item(&f, "PRE-01").condition.is_none());
    }

    #[test]
    fn every_catalog_gap_is_a_supplementary_part() {
        let f = parse_checklists(CHECKLISTS_TOML).expect("valid");
        let gaps: Vec<&str> = f
            .templates
            .iter()
            .flat_map(|t| &t.items)
            .filter(|i| i.catalog_gap.is_some())
            .filter_map(|i| i.item_id.as_deref())
            .collect();
        assert_eq!(gaps.len(), 2);
        for g in gaps {
            assert!(SUPPLEMENTARY_PARTS.iter().any(|s| s.id == g), "{g}");
        }
    }

    #[test]
    fn mini_file_parses_with_defaults() {
        let f = parse_checklists(MINI).expect("valid");
        let a = &f.templates[0].items[0];
        assert!(a.required && a.basin_specific && !a.notes_prompt);
        let b = &f.templates[0].items[1];
        assert_eq!((b.min, b.max), (Some(1.0), Some(2.5)));
        assert!(!b.basin_specific);
    }

    #[test]
    fn every_text_refuses_forbidden_characters() {
        let cases = [
            (r#"name = "Mini""#, r#"template "T": name"#),
            (r#"section = "S""#, r#"template "T" item "A": section"#),
            (
                r#"description = "first""#,
                r#"template "T" item "A": description"#,
            ),
            (r#"unit = "degC""#, r#"template "T" item "B": unit"#),
        ];
        for (c, kind) in [
            ("\\u001B", "the control character U+001B"),
            ("\\u202E", "the direction-changing character U+202E"),
            ("\\u200B", "the zero-width character U+200B"),
        ] {
            for (text, at) in cases {
                let evil = MINI.replacen(text, &format!("{}{c}\"", &text[..text.len() - 1]), 1);
                assert_error(
                    &errors(&evil),
                    &[&format!("{at}: contains {kind}; remove it")],
                );
            }
        }
        let procedure = MINI.replacen(
            "[[template.item]]",
            "[[template.procedure]]\nname = \"P\"\nsteps = [\"ok\", \"bad\\u0007\"]\n\n[[template.item]]",
            1,
        );
        assert_error(
            &errors(&procedure),
            &[r#"template "T": procedure 1 steps 2: contains the control character U+0007"#],
        );
        let options = MINI.replacen(
            r#"checkType = "BOOLEAN""#,
            "checkType = \"MULTI_CHOICE\"\noptions = [\"A\\u200B\"]",
            1,
        );
        assert_error(
            &errors(&options),
            &[r#"item "A": options 1: contains the zero-width character U+200B"#],
        );
    }

    #[test]
    fn unknown_keys_are_refused() {
        let errs = errors(&MINI.replace("appliesWhen =", "appliesWhenn ="));
        assert_error(&errs, &["appliesWhenn"]);
        let errs = errors(&MINI.replace("usage =", "colour = \"red\"\nusage ="));
        assert_error(&errs, &["colour"]);
    }

    #[test]
    fn duplicate_codes_and_sequences_are_refused() {
        let errs = errors(
            &MINI
                .replace("code = \"B\"", "code = \"A\"")
                .replace("sequence = 20", "sequence = 10"),
        );
        assert_error(
            &errs,
            &["template \"T\" item \"A\"", "code is used by another item"],
        );
        assert_error(&errs, &["template \"T\" item \"A\"", "sequence 10 is used"]);
    }

    #[test]
    fn check_type_rules() {
        let errs = errors(&MINI.replace("\"BOOLEAN\"", "\"YES_NO\""));
        assert_error(&errs, &["item \"A\"", "checkType \"YES_NO\" is unknown"]);
        let errs = errors(&MINI.replace("\"BOOLEAN\"", "\"MULTI_CHOICE\""));
        assert_error(&errs, &["item \"A\"", "needs options"]);
        let errs = errors(&MINI.replace("min = 1", "min = 3"));
        assert_error(&errs, &["item \"B\"", "min 3 is greater than max 2.5"]);
        let errs = errors(&MINI.replace("unit = \"degC\"\n", ""));
        assert_error(&errs, &["item \"B\"", "needs unit, min and max"]);
        let errs = errors(&MINI.replace("\"MEASUREMENT\"", "\"TEXT\""));
        assert_error(
            &errs,
            &["item \"B\"", "unit is allowed only on a MEASUREMENT item"],
        );
    }

    #[test]
    fn invalid_conditions_are_refused_naming_the_item() {
        let errs = errors(&MINI.replace("basin.type = E_SINK", "basin.type = E_SINKK"));
        assert_error(
            &errs,
            &[
                "template \"T\" item \"A\"",
                "appliesWhen",
                "no value \"E_SINKK\"",
            ],
        );
        let errs = errors(&MINI.replace("basinSpecific = true\n", ""));
        assert_error(
            &errs,
            &["item \"A\"", "allowed only in a basinSpecific item"],
        );
        let errs = errors(&MINI.replace("basin.type = E_SINK", "basin.type = "));
        assert_error(&errs, &["item \"A\"", "expected a value"]);
    }

    #[test]
    fn lengths_versions_and_usage_keys() {
        let long = "x".repeat(101);
        let errs = errors(
            &MINI
                .replace("name = \"Mini\"", &format!("name = \"{long}\""))
                .replace(
                    "section = \"S\"\nsequence = 20",
                    &format!("section = \"{long}\"\nsequence = 20"),
                )
                .replace("version = 1", "version = 0")
                .replace(
                    "checkType = \"BOOLEAN\"",
                    "checkType = \"BOOLEAN\"\nestMinutes = 5",
                ),
        );
        assert_error(&errs, &["template \"T\"", "name is 101 characters"]);
        assert_error(&errs, &["item \"B\"", "section is 101 characters"]);
        assert_error(&errs, &["template \"T\"", "version must be"]);
        assert_error(
            &errs,
            &[
                "item \"A\"",
                "estMinutes is allowed only in a TASKS template",
            ],
        );
        assert!(errs.len() >= 4, "all problems are reported: {errs:#?}");
    }

    #[test]
    fn syntax_errors_and_schema_version() {
        assert_error(&errors("schemaVersion = "), &["checklists:"]);
        assert_error(
            &errors(&MINI.replace("schemaVersion = 1", "schemaVersion = 2")),
            &["schemaVersion 2"],
        );
    }
}
