//! The file as written, and the checks that turn it into [`ChecklistFile`].

use super::items::{each, non_empty, one, plain_texts};
use super::{
    ChecklistFile, FormType, ItemDraft, MAX_FORM_NAME_LEN, Procedure, SCHEMA_VERSION, Template,
    Usage, validate_items,
};
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
    items: Vec<ItemDraft>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct RawProcedure {
    name: String,
    #[serde(default)]
    materials: Vec<String>,
    steps: Vec<String>,
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
    let items = match validate_items(what, usage, t.items) {
        Ok(items) => items,
        Err(problems) => {
            errs.extend(problems.into_iter().map(|p| p.message));
            Vec::new()
        }
    };
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
