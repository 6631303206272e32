//! Acting in the open dialog: a choice, done or N/A with its reason, or a note.

use super::{Dialog, NA_KIND, NA_REASON, Saving, TaskRunnerScreen};
use crate::domain::tasks::{TaskCompletion, completion_notes, validate_note};
use crate::keymap::Action;
use crate::msg::{Command, Request};
use crate::screens::Ctx;

impl TaskRunnerScreen {
    pub(super) fn on_dialog_action(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        // While the dialog's request is out, only its answer closes it.
        if self.saving.in_flight() {
            return Command::None;
        }
        let options = match &self.dialog {
            Some(Dialog::Choice { task_id, .. }) => {
                self.task(*task_id).map_or(0, |t| t.options.len())
            }
            _ => 0,
        };
        let Some(dialog) = self.dialog.as_mut() else {
            return Command::None;
        };
        match (dialog, action) {
            (Dialog::Reopen { task_id, .. }, Action::Yes) => {
                let task_id = *task_id;
                self.send(
                    |token| Request::ReopenTask { token, task_id },
                    Saving::Reopen,
                    ctx,
                )
            }
            (Dialog::Reopen { .. }, Action::No) | (_, Action::Cancel) => {
                self.dialog = None;
                Command::None
            }
            (Dialog::Choice { cursor, .. }, Action::Up) => {
                *cursor = cursor.saturating_sub(1);
                Command::None
            }
            (Dialog::Choice { cursor, .. }, Action::Down) => {
                *cursor = (*cursor + 1).min(options.saturating_sub(1));
                Command::None
            }
            (Dialog::Choice { .. }, Action::Submit) => self.submit_choice(ctx),
            (Dialog::Na { .. }, Action::Submit) => self.submit_na(ctx),
            (Dialog::Note { .. }, Action::Submit) => self.submit_note(ctx),
            (Dialog::Na { form, .. } | Dialog::Note { form, .. }, other) => {
                form.handle(other);
                Command::None
            }
            _ => Command::None,
        }
    }

    pub(super) fn submit_choice(&mut self, ctx: &mut Ctx) -> Command {
        let Some(Dialog::Choice {
            task_id, cursor, ..
        }) = &self.dialog
        else {
            return Command::None;
        };
        let (task_id, cursor) = (*task_id, *cursor);
        let Some(task) = self.task(task_id) else {
            self.dialog = None;
            return Command::None;
        };
        let completion = TaskCompletion {
            choice: task.options.get(cursor).cloned(),
            ..TaskCompletion::default()
        };
        if let Err(e) = completion_notes(task.check_type, &task.options, &completion) {
            self.refuse(e);
            return Command::None;
        }
        self.send_completion(task_id, completion, ctx)
    }

    pub(super) fn submit_na(&mut self, ctx: &mut Ctx) -> Command {
        let Some(Dialog::Na { task_id, form, .. }) = &self.dialog else {
            return Command::None;
        };
        let task_id = *task_id;
        let not_applicable = form.field(NA_KIND).and_then(|f| f.choice_index()) == Some(1);
        let completion = TaskCompletion {
            na_reason: not_applicable.then(|| form.value(NA_REASON).trim().to_string()),
            ..TaskCompletion::default()
        };
        let check_type = self.task(task_id).and_then(|t| t.check_type);
        if let Err(e) = completion_notes(check_type, &[], &completion) {
            if let Some(Dialog::Na { form, .. }) = self.dialog.as_mut() {
                form.set_error(NA_REASON, e);
                form.set_focus(NA_REASON);
            }
            return Command::None;
        }
        self.send_completion(task_id, completion, ctx)
    }

    pub(super) fn submit_note(&mut self, ctx: &mut Ctx) -> Command {
        let Some(Dialog::Note { task_id, form, .. }) = &self.dialog else {
            return Command::None;
        };
        let task_id = *task_id;
        match validate_note(&form.value(0)) {
            Ok(note) => self.send(
                |token| Request::AddTaskNote {
                    token,
                    task_id,
                    note,
                },
                Saving::Note,
                ctx,
            ),
            Err(e) => {
                if let Some(Dialog::Note { form, .. }) = self.dialog.as_mut() {
                    form.set_error(0, e);
                }
                Command::None
            }
        }
    }
}
