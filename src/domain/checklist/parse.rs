//! The file as written, and the checks that turn it into [`ChecklistFile`].

use super::{
    CheckType, ChecklistFile, FormType, Item, MAX_FORM_NAME_LEN, MAX_ITEM_ID_LEN, MAX_SECTION_LEN,
    Procedure, SCHEMA_VERSION, TEST_TYPES, Template, Usage,
};
use crate::domain::applies_when;
use crate::text::check_text;
use serde::Deserialize;
use std::collections::HashSet;

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
    /// Absent values take the customer's column defaults (isRequired true, the others false).
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

/// Parses and validates a checklists file (docs/checklists.md §1). On failure every problem is returned,
/// one message each.
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
