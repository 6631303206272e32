//! Work instructions and tools as the admin edits them, and the rules an edit must meet.

use crate::domain::tasks::StepView;
use crate::text::check_text;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub const MAX_TITLE: usize = 200;
pub const MAX_STEP: usize = 2000;
/// Descriptions and safety notes share the step's limit: they are read at the bench, not archived.
pub const MAX_TEXT: usize = 2000;
pub const MAX_MINUTES: i32 = 480;
pub const MAX_TOOL_NAME: usize = 100;
pub const MAX_CATEGORY: usize = 50;
/// A revision's change note (docs/assembly-floor.md §8).
pub const MAX_CHANGE_NOTE: usize = 500;
pub const CHANGE_NOTE_REQUIRED: &str =
    "A change note is required: say what changed and why (it is kept with the revision)";

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
    /// Why the content changes; kept with the revision the save makes (required when it makes one).
    #[serde(default)]
    pub change_note: String,
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
    ChangeNote,
}

impl DraftField {
    /// How the messages name the field.
    pub fn label(self) -> String {
        match self {
            DraftField::Title => "Title".into(),
            DraftField::Description => "Description".into(),
            DraftField::Steps => "Steps".into(),
            DraftField::StepDescription(i) => format!("Step {} description", i + 1),
            DraftField::StepSafety(i) => format!("Step {} safety notes", i + 1),
            DraftField::StepMinutes(i) => format!("Step {} minutes", i + 1),
            DraftField::Name => "Name".into(),
            DraftField::Category => "Category".into(),
            DraftField::ChangeNote => "Change note".into(),
        }
    }
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

/// Collects every broken rule of a draft while reading its fields once.
#[derive(Default)]
struct Checks {
    errors: Vec<DraftError>,
}

impl Checks {
    /// Required text, trimmed. `subject` reads before "required" / "longer than", e.g. "Title is".
    fn required(&mut self, field: DraftField, subject: &str, text: &str, max: usize) -> String {
        let text = text.trim().to_string();
        if text.is_empty() {
            self.errors.push(err(field, format!("{subject} required")));
        } else {
            self.bounded(field, subject, &text, max);
        }
        text
    }

    /// Optional text, trimmed, `None` when blank.
    fn optional(
        &mut self,
        field: DraftField,
        subject: &str,
        text: Option<&str>,
        max: usize,
    ) -> Option<String> {
        let text = optional(text);
        if let Some(t) = &text {
            self.bounded(field, subject, t, max);
        }
        text
    }

    fn bounded(&mut self, field: DraftField, subject: &str, text: &str, max: usize) {
        // Every field is one line on the screen.
        if let Err(m) = check_text(&field.label(), text, false) {
            self.errors.push(err(field, m));
        } else if text.chars().count() > max {
            self.errors.push(err(
                field,
                format!("{subject} longer than {max} characters"),
            ));
        }
    }

    fn finish<T>(self, value: T) -> Result<T, Vec<DraftError>> {
        if self.errors.is_empty() {
            Ok(value)
        } else {
            Err(self.errors)
        }
    }
}

/// The draft as it will be stored (text trimmed, blanks as `None`), or every rule it breaks.
pub fn validate_instruction(draft: &InstructionDraft) -> Result<InstructionDraft, Vec<DraftError>> {
    let mut c = Checks::default();
    let title = c.required(DraftField::Title, "Title is", &draft.title, MAX_TITLE);
    let description = c.optional(
        DraftField::Description,
        "Description is",
        draft.description.as_deref(),
        MAX_TEXT,
    );
    if draft.steps.is_empty() {
        c.errors.push(err(
            DraftField::Steps,
            "An instruction needs at least one step",
        ));
    }
    let mut steps = Vec::with_capacity(draft.steps.len());
    for (i, step) in draft.steps.iter().enumerate() {
        let n = i + 1;
        let description = c.required(
            DraftField::StepDescription(i),
            &format!("Step {n}: the description is"),
            &step.description,
            MAX_STEP,
        );
        let safety_notes = c.optional(
            DraftField::StepSafety(i),
            &format!("Step {n}: the safety notes are"),
            step.safety_notes.as_deref(),
            MAX_TEXT,
        );
        if let Some(m) = step.estimated_minutes
            && !(0..=MAX_MINUTES).contains(&m)
        {
            c.errors.push(err(
                DraftField::StepMinutes(i),
                format!("Step {n}: minutes must be between 0 and {MAX_MINUTES}"),
            ));
        }
        steps.push(StepDraft {
            description,
            safety_notes,
            estimated_minutes: step.estimated_minutes,
        });
    }
    // Whether a note is needed depends on what changed, which the save decides (`require_change_note`).
    let change_note = c
        .optional(
            DraftField::ChangeNote,
            "The change note is",
            Some(&draft.change_note),
            MAX_CHANGE_NOTE,
        )
        .unwrap_or_default();
    c.finish(InstructionDraft {
        id: draft.id,
        stamp: draft.stamp,
        title,
        description,
        active: draft.active,
        steps,
        change_note,
    })
}

/// The change note of a validated draft whose save makes a revision: refused when blank.
pub fn require_change_note(draft: &InstructionDraft) -> Result<&str, DraftError> {
    let note = draft.change_note.trim();
    if note.is_empty() {
        Err(err(DraftField::ChangeNote, CHANGE_NOTE_REQUIRED))
    } else {
        Ok(note)
    }
}

/// The tool as it will be stored, or every rule it breaks.
pub fn validate_tool(draft: &ToolDraft) -> Result<ToolDraft, Vec<DraftError>> {
    let mut c = Checks::default();
    let name = c.required(DraftField::Name, "Name is", &draft.name, MAX_TOOL_NAME);
    let description = c.optional(
        DraftField::Description,
        "Description is",
        draft.description.as_deref(),
        MAX_TEXT,
    );
    let category = c.optional(
        DraftField::Category,
        "Category is",
        draft.category.as_deref(),
        MAX_CATEGORY,
    );
    c.finish(ToolDraft {
        id: draft.id,
        stamp: draft.stamp,
        name,
        description,
        category,
        active: draft.active,
    })
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
    fn every_text_refuses_forbidden_characters() {
        let mut d = draft("Mount\u{1b}[2J", vec![step("Drill"), step("Fit\u{200B}")]);
        d.description = Some("Box\u{202E}".into());
        d.steps[0].safety_notes = Some("Goggles\u{9b}".into());
        let messages: Vec<String> = validate_instruction(&d)
            .expect_err("refused")
            .into_iter()
            .map(|e| e.message)
            .collect();
        assert_eq!(
            messages,
            vec![
                "Title: contains the control character U+001B; remove it",
                "Description: contains the direction-changing character U+202E; remove it",
                "Step 1 safety notes: contains the control character U+009B; remove it",
                "Step 2 description: contains the zero-width character U+200B; remove it",
            ]
        );
        let t = ToolDraft {
            name: "Wrench".into(),
            description: Some("two\nlines".into()),
            category: Some("Hand\u{7}".into()),
            ..ToolDraft::default()
        };
        let e = validate_tool(&t).expect_err("refused");
        assert_eq!(
            (e[0].field, e[0].message.as_str()),
            (
                DraftField::Description,
                "Description: contains a line break (U+000A); this field takes one line"
            )
        );
        assert_eq!(
            (e[1].field, e[1].message.as_str()),
            (
                DraftField::Category,
                "Category: contains the control character U+0007; remove it"
            )
        );
    }

    #[test]
    fn the_change_note_is_trimmed_bounded_and_required_for_a_revision() {
        let mut d = draft("T", vec![step("x")]);
        d.change_note = "  New bracket  ".into();
        let ok = validate_instruction(&d).expect("valid");
        assert_eq!(ok.change_note, "New bracket");
        assert_eq!(require_change_note(&ok), Ok("New bracket"));
        d.change_note = "n".repeat(MAX_CHANGE_NOTE);
        assert!(validate_instruction(&d).is_ok());
        d.change_note = "n".repeat(MAX_CHANGE_NOTE + 1);
        let e = validate_instruction(&d).expect_err("too long");
        assert_eq!(
            (e[0].field, e[0].message.as_str()),
            (
                DraftField::ChangeNote,
                "The change note is longer than 500 characters"
            )
        );
        d.change_note = "   ".into();
        let blank = validate_instruction(&d).expect("a blank note is checked by the save");
        assert_eq!(
            require_change_note(&blank).map_err(|e| e.message),
            Err(CHANGE_NOTE_REQUIRED.to_string())
        );
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
