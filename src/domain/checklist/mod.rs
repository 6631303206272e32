//! The checklist templates file (docs/checklists.md; the shipped copy is src/reference/checklists.toml):
//! parsing and validation. No IO.
//!
//! The file's header defines every key. Unknown keys are refused (a misspelt `appliesWhen` would otherwise make
//! an item apply everywhere); the remaining checks collect every problem, each naming the template and item.
//!
//! The parsed types are here; `parse` reads the file as written and checks it.

mod items;
mod parse;
#[cfg(test)]
mod tests;
mod write;

pub use items::{ItemDraft, ItemProblem, validate_items};
pub use parse::parse_checklists;
pub use write::to_toml;

use crate::domain::applies_when::Expr;
use crate::domain::enums::pg_enum;
use serde_json::{Map, Value as JsonValue, json};

/// The only file format this code reads.
pub const SCHEMA_VERSION: i64 = 1;

/// `QCFormTemplate.formName` and `QCChecklistItem.section` are VARCHAR(100).
pub const MAX_FORM_NAME_LEN: usize = 100;
pub const MAX_SECTION_LEN: usize = 100;
/// `PackagingItem.itemId` is VARCHAR(50).
pub const MAX_ITEM_ID_LEN: usize = 50;

pub const TEST_TYPES: &[&str] = &["FUNCTIONAL", "SAFETY", "PERFORMANCE", "VISUAL"];

pg_enum!(
    /// `"QCFormType"`.
    FormType, "QCFormType", parse: exact, [
    PreQc => "PRE_QC",
    FinalQc => "FINAL_QC",
    InProcess => "IN_PROCESS",
]);

pg_enum!(
    /// `"QCCheckType"`.
    CheckType, "QCCheckType", parse: exact, [
    Boolean => "BOOLEAN",
    Text => "TEXT",
    Measurement => "MEASUREMENT",
    NaOption => "N_A_OPTION",
    MultiChoice => "MULTI_CHOICE",
]);

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
    /// `QCChecklistItem.rules` (docs/checklists.md §8): every key the customer's columns cannot hold,
    /// camelCase as in the file. Absent keys are omitted.
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
