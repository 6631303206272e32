//! The dialogs over the task runner: one at a time, each for one task.

use crate::domain::tasks::MAX_NOTE;
use crate::keymap::KeyContext;
use crate::widgets::form_field::{Form, FormField};
use uuid::Uuid;

/// The N/A dialog's fields.
pub const NA_KIND: usize = 0;
pub const NA_REASON: usize = 1;
/// The N/A dialog's choices, in order.
pub const NA_CHOICES: [&str; 2] = ["Done", "Not applicable"];

pub enum Dialog {
    /// A MULTI_CHOICE task: pick one of its options.
    Choice {
        task_id: Uuid,
        cursor: usize,
        error: Option<String>,
    },
    /// An N_A_OPTION task: done, or not applicable with a reason.
    Na {
        task_id: Uuid,
        form: Form,
        error: Option<String>,
    },
    /// A note added to a task.
    Note {
        task_id: Uuid,
        form: Form,
        error: Option<String>,
    },
    /// "Reopen task 3? y/n"
    Reopen { task_id: Uuid, sequence: i32 },
}

impl Dialog {
    pub fn na(task_id: Uuid) -> Dialog {
        let kind = FormField::choice(
            "Complete as",
            NA_CHOICES.iter().map(|c| (*c).to_string()).collect(),
            0,
        );
        let reason = FormField::text("Reason")
            .with_max_len(MAX_NOTE)
            .with_hint("required for Not applicable");
        Dialog::Na {
            task_id,
            form: Form::new(vec![kind, reason]).with_input_width(50),
            error: None,
        }
    }

    pub fn note(task_id: Uuid) -> Dialog {
        let note = FormField::text("Note").with_max_len(MAX_NOTE);
        Dialog::Note {
            task_id,
            form: Form::new(vec![note]).with_input_width(60),
            error: None,
        }
    }

    pub fn key_contexts(&self) -> Vec<KeyContext> {
        match self {
            Dialog::Choice { .. } => vec![KeyContext::List, KeyContext::Dialog],
            Dialog::Na { form, .. } | Dialog::Note { form, .. } => {
                let mut stack = form.key_contexts();
                stack.push(KeyContext::Dialog);
                stack
            }
            Dialog::Reopen { .. } => vec![KeyContext::Confirm],
        }
    }

    /// Typed text closing the dialog would lose.
    pub fn has_input(&self) -> bool {
        match self {
            Dialog::Na { form, .. } => !form.value(NA_REASON).trim().is_empty(),
            Dialog::Note { form, .. } => form.has_input(),
            Dialog::Choice { .. } | Dialog::Reopen { .. } => false,
        }
    }

    /// Shows a refusal inside the dialog, keeping what was entered.
    pub fn set_error(&mut self, message: String) {
        match self {
            Dialog::Choice { error, .. }
            | Dialog::Na { error, .. }
            | Dialog::Note { error, .. } => {
                *error = Some(message);
            }
            Dialog::Reopen { .. } => {}
        }
    }
}
