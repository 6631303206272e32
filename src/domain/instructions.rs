//! Work instructions and tools as the admin edits them, and the rules an edit must meet.

use crate::domain::tasks::StepView;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub const MAX_TITLE: usize = 200;
pub const MAX_STEP: usize = 2000;
/// Descriptions and safety notes share the step's limit: they are read at the bench, not archived.
pub const MAX_TEXT: usize = 2000;
pub const MAX_MINUTES: i32 = 480;
pub const MAX_TOOL_NAME: usize = 100;
pub const MAX_CATEGORY: usize = 50;

/// One work instruction (its latest version) as the admin list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InstructionRow {
    pub id: Uuid,
    pub title: String,
    pub description: Option<String>,
    pub version: i32,
    pub active: bool,
    pub steps: Vec<StepView>,
    /// Tasks that link this version.
    pub task_count: i64,
    /// Changes with every write to the row; an edit sends it back so a concurrent change is detected.
    pub stamp: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ToolRow {
    pub id: Uuid,
    pub name: String,
    pub description: Option<String>,
    pub category: Option<String>,
    pub active: bool,
    pub task_count: i64,
    /// As [`InstructionRow::stamp`].
    pub stamp: i64,
}

/// Everything the admin screen shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct InstructionCatalog {
    pub instructions: Vec<InstructionRow>,
    pub tools: Vec<ToolRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct StepDraft {
    pub description: String,
    pub safety_notes: Option<String>,
    pub estimated_minutes: Option<i32>,
}

/// A new instruction (`id` None) or an edit of an existing one (`id` and the `stamp` it was read with).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct InstructionDraft {
    pub id: Option<Uuid>,
    pub stamp: Option<i64>,
    pub title: String,
    pub description: Option<String>,
    pub active: bool,
    pub steps: Vec<StepDraft>,
}

/// A new tool (`id` None) or an edit of an existing one (`id` and the `stamp` it was read with).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ToolDraft {
    pub id: Option<Uuid>,
    pub stamp: Option<i64>,
    pub name: String,
    pub description: Option<String>,
    pub category: Option<String>,
    pub active: bool,
}

/// Which input a validation message belongs to, so a form can put it next to the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftField {
    Title,
    Description,
    /// The steps as a whole (none given).
    Steps,
    StepDescription(usize),
    StepSafety(usize),
    StepMinutes(usize),
    Name,
    Category,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftError {
    pub field: DraftField,
    pub message: String,
}

fn err(field: DraftField, message: impl Into<String>) -> DraftError {
    DraftError {
        field,
        message: message.into(),
    }
}

/// Trimmed text, `None` when blank.
fn optional(text: Option<&str>) -> Option<String> {
    text.map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

fn too_long(text: &str, max: usize) -> bool {
    text.chars().count() > max
}

/// The draft as it will be stored (text trimmed, blanks as `None`), or every rule it breaks.
pub fn validate_instruction(draft: &InstructionDraft) -> Result<InstructionDraft, Vec<DraftError>> {
    let mut errors = Vec::new();
    let title = draft.title.trim().to_string();
    if title.is_empty() {
        errors.push(err(DraftField::Title, "Title is required"));
    } else if too_long(&title, MAX_TITLE) {
        errors.push(err(
            DraftField::Title,
            format!("Title is longer than {MAX_TITLE} characters"),
        ));
    }
    let description = optional(draft.description.as_deref());
    if description
        .as_deref()
        .is_some_and(|d| too_long(d, MAX_TEXT))
    {
        errors.push(err(
            DraftField::Description,
            format!("Description is longer than {MAX_TEXT} characters"),
        ));
    }
    if draft.steps.is_empty() {
        errors.push(err(
            DraftField::Steps,
            "An instruction needs at least one step",
        ));
    }
    let mut steps = Vec::with_capacity(draft.steps.len());
    for (i, step) in draft.steps.iter().enumerate() {
        let n = i + 1;
        let text = step.description.trim().to_string();
        if text.is_empty() {
            errors.push(err(
                DraftField::StepDescription(i),
                format!("Step {n}: the description is required"),
            ));
        } else if too_long(&text, MAX_STEP) {
            errors.push(err(
                DraftField::StepDescription(i),
                format!("Step {n}: the description is longer than {MAX_STEP} characters"),
            ));
        }
        let safety = optional(step.safety_notes.as_deref());
        if safety.as_deref().is_some_and(|s| too_long(s, MAX_TEXT)) {
            errors.push(err(
                DraftField::StepSafety(i),
                format!("Step {n}: the safety notes are longer than {MAX_TEXT} characters"),
            ));
        }
        if let Some(m) = step.estimated_minutes
            && !(0..=MAX_MINUTES).contains(&m)
        {
            errors.push(err(
                DraftField::StepMinutes(i),
                format!("Step {n}: minutes must be between 0 and {MAX_MINUTES}"),
            ));
        }
        steps.push(StepDraft {
            description: text,
            safety_notes: safety,
            estimated_minutes: step.estimated_minutes,
        });
    }
    if errors.is_empty() {
        Ok(InstructionDraft {
            id: draft.id,
            stamp: draft.stamp,
            title,
            description,
            active: draft.active,
            steps,
        })
    } else {
        Err(errors)
    }
}

/// The tool as it will be stored, or every rule it breaks.
pub fn validate_tool(draft: &ToolDraft) -> Result<ToolDraft, Vec<DraftError>> {
    let mut errors = Vec::new();
    let name = draft.name.trim().to_string();
    if name.is_empty() {
        errors.push(err(DraftField::Name, "Name is required"));
    } else if too_long(&name, MAX_TOOL_NAME) {
        errors.push(err(
            DraftField::Name,
            format!("Name is longer than {MAX_TOOL_NAME} characters"),
        ));
    }
    let description = optional(draft.description.as_deref());
    if description
        .as_deref()
        .is_some_and(|d| too_long(d, MAX_TEXT))
    {
        errors.push(err(
            DraftField::Description,
            format!("Description is longer than {MAX_TEXT} characters"),
        ));
    }
    let category = optional(draft.category.as_deref());
    if category
        .as_deref()
        .is_some_and(|c| too_long(c, MAX_CATEGORY))
    {
        errors.push(err(
            DraftField::Category,
            format!("Category is longer than {MAX_CATEGORY} characters"),
        ));
    }
    if errors.is_empty() {
        Ok(ToolDraft {
            id: draft.id,
            stamp: draft.stamp,
            name,
            description,
            category,
            active: draft.active,
        })
    } else {
        Err(errors)
    }
}

/// Parses a minutes field: blank is "no estimate".
pub fn parse_minutes(text: &str) -> Result<Option<i32>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    match t.parse::<i32>() {
        Ok(m) if (0..=MAX_MINUTES).contains(&m) => Ok(Some(m)),
        _ => Err(format!(
            "Minutes must be a whole number from 0 to {MAX_MINUTES}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(text: &str) -> StepDraft {
        StepDraft {
            description: text.into(),
            safety_notes: None,
            estimated_minutes: None,
        }
    }

    fn draft(title: &str, steps: Vec<StepDraft>) -> InstructionDraft {
        InstructionDraft {
            title: title.into(),
            active: true,
            steps,
            ..InstructionDraft::default()
        }
    }

    #[test]
    fn a_valid_draft_is_trimmed_and_blanks_become_none() {
        let mut d = draft("  Mount the box ", vec![step(" Drill ")]);
        d.description = Some("   ".into());
        d.steps[0].safety_notes = Some(" Goggles ".into());
        let ok = validate_instruction(&d).expect("valid");
        assert_eq!(ok.title, "Mount the box");
        assert_eq!(ok.description, None);
        assert_eq!(ok.steps[0].description, "Drill");
        assert_eq!(ok.steps[0].safety_notes.as_deref(), Some("Goggles"));
    }

    #[test]
    fn every_broken_rule_is_reported_with_its_step() {
        let mut d = draft(" ", vec![step("ok"), step("  ")]);
        d.steps[0].estimated_minutes = Some(481);
        let errors = validate_instruction(&d).expect_err("invalid");
        let fields: Vec<DraftField> = errors.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            vec![
                DraftField::Title,
                DraftField::StepMinutes(0),
                DraftField::StepDescription(1)
            ]
        );
        assert_eq!(errors[2].message, "Step 2: the description is required");
    }

    #[test]
    fn limits_hold_at_the_bounds() {
        let ok = draft(&"t".repeat(MAX_TITLE), vec![step(&"s".repeat(MAX_STEP))]);
        assert!(validate_instruction(&ok).is_ok());
        let long = draft(&"t".repeat(MAX_TITLE + 1), vec![step("x")]);
        assert!(validate_instruction(&long).is_err());
        let no_steps = draft("T", Vec::new());
        let e = validate_instruction(&no_steps).expect_err("no steps");
        assert_eq!(e[0].field, DraftField::Steps);
        let mut zero = draft("T", vec![step("x")]);
        zero.steps[0].estimated_minutes = Some(0);
        assert!(validate_instruction(&zero).is_ok());
    }

    #[test]
    fn tools_need_a_name_and_a_short_category() {
        let t = ToolDraft {
            name: " ".into(),
            category: Some("c".repeat(MAX_CATEGORY + 1)),
            ..ToolDraft::default()
        };
        let e = validate_tool(&t).expect_err("invalid");
        assert_eq!(e.len(), 2);
        let ok = ToolDraft {
            name: " Torque wrench ".into(),
            category: Some(" ".into()),
            ..ToolDraft::default()
        };
        let ok = validate_tool(&ok).expect("valid");
        assert_eq!(ok.name, "Torque wrench");
        assert_eq!(ok.category, None);
    }

    #[test]
    fn minutes_parse() {
        assert_eq!(parse_minutes(""), Ok(None));
        assert_eq!(parse_minutes(" 15 "), Ok(Some(15)));
        assert!(parse_minutes("481").is_err());
        assert!(parse_minutes("-1").is_err());
        assert!(parse_minutes("ten").is_err());
    }
}
