//! The template editor's read models (docs/checklists.md §12): the stored versions of each template, one
//! version's items as drafts, and a preview of the items a sample build gets.

use crate::domain::checklist::{FormType, ItemDraft, Usage};
use crate::domain::checklist_preview::BuildItems;
use chrono::NaiveDateTime;
use uuid::Uuid;

/// One stored version of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateVersionRow {
    pub id: Uuid,
    pub form_name: String,
    pub form_type: FormType,
    pub version: i32,
    pub is_active: bool,
    pub item_count: i64,
    /// Recorded work uses the version (a QC result, an item result or a task), so it never changes.
    pub has_results: bool,
    pub created_at: Option<NaiveDateTime>,
}

/// One version with its items, in `sequenceOrder`.
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateVersion {
    pub row: TemplateVersionRow,
    /// The template's key in the checklists file (`PRE_QC`, …).
    pub key: String,
    pub usage: Usage,
    pub items: Vec<ItemDraft>,
}

/// The items one sample build would get from a list of items (docs/checklists.md §12.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplatePreview {
    /// The sample shown, an index into `samples`.
    pub sample: usize,
    /// Every sample's label, e.g. `EX-2 T2-B2 FR: E_SINK, E_DRAIN`.
    pub samples: Vec<String>,
    pub build: BuildItems,
}

/// The usage of a template the shipped file does not name, read from what it is and what its items hold
/// (docs/checklists.md §11): a QC form stores QC results; items with a test type make a testing form,
/// items with a catalog id a packaging checklist, and other in-process items tasks.
pub fn infer_usage(form_type: FormType, items: &[ItemDraft]) -> Usage {
    if matches!(form_type, FormType::PreQc | FormType::FinalQc) {
        Usage::QcResult
    } else if items.iter().any(|i| i.test_type.is_some()) {
        Usage::TestingForm
    } else if items.iter().any(|i| i.item_id.is_some()) {
        Usage::Packaging
    } else {
        Usage::Tasks
    }
}

/// The key of a template the shipped file does not name: its name in capitals, other characters as `_`.
pub fn infer_key(form_name: &str) -> String {
    form_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_outside_the_shipped_file_gets_a_usage_and_a_key() {
        let plain = ItemDraft::default();
        let tested = ItemDraft {
            test_type: Some("SAFETY".into()),
            ..ItemDraft::default()
        };
        let packed = ItemDraft {
            item_id: Some("T2-X".into()),
            ..ItemDraft::default()
        };
        assert_eq!(
            infer_usage(FormType::FinalQc, std::slice::from_ref(&tested)),
            Usage::QcResult
        );
        assert_eq!(
            infer_usage(FormType::InProcess, &[plain.clone(), tested]),
            Usage::TestingForm
        );
        assert_eq!(
            infer_usage(FormType::InProcess, &[packed]),
            Usage::Packaging
        );
        assert_eq!(infer_usage(FormType::InProcess, &[plain]), Usage::Tasks);
        assert_eq!(
            infer_key("Pre-Production Check 2"),
            "PRE_PRODUCTION_CHECK_2"
        );
    }
}
