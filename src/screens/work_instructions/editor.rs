//! The instruction editor (header fields, then three fields per step) and the tool dialog.

use super::{F_CHANGE_NOTE, F_DESCRIPTION, F_TITLE, FIX_FIELDS, HEAD, PER_STEP};
use crate::domain::instructions::{
    DraftField, InstructionDraft, InstructionRow, MAX_CATEGORY, MAX_CHANGE_NOTE, MAX_STEP,
    MAX_TEXT, MAX_TITLE, MAX_TOOL_NAME, StepDraft, ToolDraft, ToolRow, parse_minutes,
    require_change_note, validate_instruction, validate_tool,
};
use crate::keymap::Action;
use crate::msg::RequestId;
use crate::widgets::form_field::{Form, FormField};
use uuid::Uuid;

/// The instruction editor: one form holding the header fields, then three fields per step.
pub struct Editor {
    pub(super) id: Option<Uuid>,
    pub(super) stamp: Option<i64>,
    pub(super) version: Option<i32>,
    pub(super) active: bool,
    pub(super) form: Form,
    pub(super) error: Option<String>,
    pub(super) pending: Option<RequestId>,
    /// First field row drawn, so the focused field stays visible.
    pub(super) scroll: usize,
}

pub(super) fn step_fields(n: usize, step: &StepDraft) -> [FormField; 3] {
    let mut text = FormField::text(format!("Step {n}")).with_max_len(MAX_STEP);
    text.set_value(&step.description);
    text.edit(Action::LineStart);
    let mut safety = FormField::text("  Safety notes")
        .with_max_len(MAX_TEXT)
        .with_hint("Optional; shown boxed above the step");
    safety.set_value(step.safety_notes.as_deref().unwrap_or(""));
    safety.edit(Action::LineStart);
    let mut minutes = FormField::text("  Minutes")
        .with_max_len(3)
        .with_hint("Optional, 0-480");
    minutes.set_value(
        &step
            .estimated_minutes
            .map_or(String::new(), |m| m.to_string()),
    );
    [text, safety, minutes]
}

pub(super) fn editor_form(
    title: &str,
    description: &str,
    change_note: &str,
    steps: &[StepDraft],
) -> Form {
    let mut head = FormField::text("Title")
        .with_max_len(MAX_TITLE)
        .with_hint("Required; unique among active instructions");
    head.set_value(title);
    let mut desc = FormField::text("Description").with_max_len(MAX_TEXT);
    desc.set_value(description);
    // docs/assembly-floor.md §8: every saved change is a revision with its reason.
    let mut note = FormField::text("Change note")
        .with_max_len(MAX_CHANGE_NOTE)
        .with_hint("Required: what changed and why; kept with the revision");
    note.set_value(change_note);
    let mut fields = vec![head, desc, note];
    for (i, s) in steps.iter().enumerate() {
        fields.extend(step_fields(i + 1, s));
    }
    Form::new(fields).with_input_width(72)
}

impl Editor {
    pub(super) fn new(row: Option<&InstructionRow>) -> Editor {
        let steps: Vec<StepDraft> = row.map_or_else(
            || vec![StepDraft::default()],
            |r| {
                r.steps
                    .iter()
                    .map(|s| StepDraft {
                        description: s.description.clone(),
                        safety_notes: s.safety_notes.clone(),
                        estimated_minutes: s.estimated_minutes,
                    })
                    .collect()
            },
        );
        let form = editor_form(
            row.map_or("", |r| r.title.as_str()),
            row.and_then(|r| r.description.as_deref()).unwrap_or(""),
            "",
            &steps,
        );
        Editor {
            id: row.map(|r| r.id),
            stamp: row.map(|r| r.stamp),
            version: row.map(|r| r.version),
            active: row.is_none_or(|r| r.active),
            form,
            error: None,
            pending: None,
            scroll: 0,
        }
    }

    pub fn step_count(&self) -> usize {
        self.form.len().saturating_sub(HEAD) / PER_STEP
    }

    /// The step the focus is in (0-based), if any.
    pub fn current_step(&self) -> Option<usize> {
        self.form.focus().checked_sub(HEAD).map(|f| f / PER_STEP)
    }

    pub fn form(&self) -> &Form {
        &self.form
    }

    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// The steps as typed (minutes unparsed).
    pub(super) fn raw_steps(&self) -> Vec<(String, String, String)> {
        (0..self.step_count())
            .map(|i| {
                let f = HEAD + i * PER_STEP;
                (
                    self.form.value(f),
                    self.form.value(f + 1),
                    self.form.value(f + 2),
                )
            })
            .collect()
    }

    /// Rebuilds the form from `steps` as typed, keeping the header and focusing `focus`.
    pub(super) fn rebuild(&mut self, steps: &[(String, String, String)], focus: usize) {
        let drafts: Vec<StepDraft> = steps
            .iter()
            .map(|(d, s, _)| StepDraft {
                description: d.clone(),
                safety_notes: Some(s.clone()),
                estimated_minutes: None,
            })
            .collect();
        let mut form = editor_form(
            &self.form.value(F_TITLE),
            &self.form.value(F_DESCRIPTION),
            &self.form.value(F_CHANGE_NOTE),
            &drafts,
        );
        // Minutes go back as typed, even when not (yet) a number.
        for (i, (_, _, m)) in steps.iter().enumerate() {
            if let Some(f) = form.field_mut(HEAD + i * PER_STEP + 2) {
                f.set_value(m);
            }
        }
        form.set_focus(focus);
        self.form = form;
    }

    pub(super) fn add_step(&mut self) {
        let mut steps = self.raw_steps();
        let at = self.current_step().map_or(steps.len(), |i| i + 1);
        steps.insert(at, Default::default());
        self.rebuild(&steps, HEAD + at * PER_STEP);
        self.error = None;
    }

    pub(super) fn remove_step(&mut self) {
        let Some(i) = self.current_step() else {
            self.error = Some("Move to a step to remove it".into());
            return;
        };
        let mut steps = self.raw_steps();
        if steps.len() <= 1 {
            self.error = Some("An instruction needs at least one step".into());
            return;
        }
        steps.remove(i);
        let keep = i.min(steps.len() - 1);
        self.rebuild(&steps, HEAD + keep * PER_STEP);
        self.error = None;
    }

    pub(super) fn move_step(&mut self, up: bool) {
        let Some(i) = self.current_step() else {
            return;
        };
        let mut steps = self.raw_steps();
        let j = if up {
            match i.checked_sub(1) {
                Some(j) => j,
                None => return,
            }
        } else if i + 1 < steps.len() {
            i + 1
        } else {
            return;
        };
        steps.swap(i, j);
        let within = (self.form.focus() - HEAD) % PER_STEP;
        self.rebuild(&steps, HEAD + j * PER_STEP + within);
    }

    /// The draft to send, or the form marked with every problem.
    pub(super) fn draft(&mut self) -> Option<InstructionDraft> {
        self.form.clear_errors();
        self.error = None;
        let mut steps = Vec::new();
        let mut bad_minutes = Vec::new();
        for (i, (d, s, m)) in self.raw_steps().into_iter().enumerate() {
            let minutes = match parse_minutes(&m) {
                Ok(v) => v,
                Err(e) => {
                    bad_minutes.push((HEAD + i * PER_STEP + 2, format!("Step {}: {e}", i + 1)));
                    None
                }
            };
            steps.push(StepDraft {
                description: d,
                safety_notes: Some(s),
                estimated_minutes: minutes,
            });
        }
        let title = self.form.value(F_TITLE);
        let description = self.form.value(F_DESCRIPTION);
        let draft = InstructionDraft {
            id: self.id,
            stamp: self.stamp,
            title,
            description: Some(description),
            active: self.active,
            steps,
            change_note: self.form.value(F_CHANGE_NOTE),
        };
        let result = validate_instruction(&draft);
        for (f, e) in &bad_minutes {
            self.form.set_error(*f, e.clone());
        }
        // Asked at once here; the save requires it when the content changed.
        let note_ok = match require_change_note(&draft) {
            Ok(_) => true,
            Err(e) => {
                self.form.set_error(F_CHANGE_NOTE, e.message);
                false
            }
        };
        match result {
            Ok(valid) if bad_minutes.is_empty() && note_ok => Some(valid),
            Ok(_) => {
                self.error = Some(FIX_FIELDS.into());
                self.focus_first_error();
                None
            }
            Err(errors) => {
                for e in errors {
                    let field = match e.field {
                        DraftField::Title => Some(F_TITLE),
                        DraftField::Description => Some(F_DESCRIPTION),
                        DraftField::ChangeNote => Some(F_CHANGE_NOTE),
                        DraftField::StepDescription(i) => Some(HEAD + i * PER_STEP),
                        DraftField::StepSafety(i) => Some(HEAD + i * PER_STEP + 1),
                        DraftField::StepMinutes(i) => Some(HEAD + i * PER_STEP + 2),
                        DraftField::Steps | DraftField::Name | DraftField::Category => None,
                    };
                    match field {
                        Some(f) => self.form.set_error(f, e.message),
                        None => self.error = Some(e.message),
                    }
                }
                if self.error.is_none() {
                    self.error = Some(FIX_FIELDS.into());
                }
                self.focus_first_error();
                None
            }
        }
    }

    pub(super) fn focus_first_error(&mut self) {
        if let Some(f) = self.form.first_error() {
            self.form.set_focus(f);
        }
    }
}

/// The tool dialog.
pub struct ToolEditor {
    pub(super) id: Option<Uuid>,
    pub(super) stamp: Option<i64>,
    pub(super) active: bool,
    pub(super) form: Form,
    pub(super) error: Option<String>,
    pub(super) pending: Option<RequestId>,
}

pub(super) const T_NAME: usize = 0;
pub(super) const T_CATEGORY: usize = 1;
pub(super) const T_DESCRIPTION: usize = 2;

impl ToolEditor {
    pub(super) fn new(row: Option<&ToolRow>) -> ToolEditor {
        let mut name = FormField::text("Name")
            .with_max_len(MAX_TOOL_NAME)
            .with_hint("Required; unique among active tools");
        name.set_value(row.map_or("", |r| r.name.as_str()));
        let mut category = FormField::text("Category")
            .with_max_len(MAX_CATEGORY)
            .with_hint("Optional, e.g. Power tools");
        category.set_value(row.and_then(|r| r.category.as_deref()).unwrap_or(""));
        let mut description = FormField::text("Description").with_max_len(MAX_TEXT);
        description.set_value(row.and_then(|r| r.description.as_deref()).unwrap_or(""));
        ToolEditor {
            id: row.map(|r| r.id),
            stamp: row.map(|r| r.stamp),
            active: row.is_none_or(|r| r.active),
            form: Form::new(vec![name, category, description]).with_input_width(50),
            error: None,
            pending: None,
        }
    }

    pub(super) fn draft(&mut self) -> Option<ToolDraft> {
        self.form.clear_errors();
        self.error = None;
        let draft = ToolDraft {
            id: self.id,
            stamp: self.stamp,
            name: self.form.value(T_NAME),
            description: Some(self.form.value(T_DESCRIPTION)),
            category: Some(self.form.value(T_CATEGORY)),
            active: self.active,
        };
        match validate_tool(&draft) {
            Ok(valid) => Some(valid),
            Err(errors) => {
                for e in errors {
                    let f = match e.field {
                        DraftField::Category => T_CATEGORY,
                        DraftField::Description => T_DESCRIPTION,
                        _ => T_NAME,
                    };
                    self.form.set_error(f, e.message);
                }
                if let Some(f) = self.form.first_error() {
                    self.form.set_focus(f);
                }
                None
            }
        }
    }
}
