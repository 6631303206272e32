//! ADMIN: work instructions with their steps, and the tools tasks name.
//!
//! Two lists switched by Tab with the selection's details on the right; `a` adds, Enter edits, `d`
//! (de)activates after a confirmation. Every role may open the screen read-only; the service is binding.

mod editor;
mod revisions;
mod view;

use crate::screens::Screen;
use crate::screens::pending::Pending;
use crate::theme::Theme;
use editor::{Editor, T_NAME, ToolEditor};
use ratatui::Frame;
use ratatui::layout::Rect;
use revisions::Revisions;

use crate::domain::Role;
use crate::domain::instructions::{
    InstructionCatalog, InstructionDraft, InstructionRow, StepDraft, ToolDraft, ToolRow,
};
use crate::keymap::{Action, HelpLine, KeyContext};
use crate::msg::{Command, Reply, Request, RequestId, ServiceReply};
use crate::screens::selection::{moved, moves};
use crate::screens::{Ctx, Effect, ScreenId};
use crate::widgets::form_field::Form;
use crate::widgets::list_cursor::ListCursor;
use crate::widgets::toast::Toast;

const F_TITLE: usize = 0;
const F_DESCRIPTION: usize = 1;
const F_CHANGE_NOTE: usize = 2;
/// Fields before the first step.
const HEAD: usize = 3;
/// Fields per step: description, safety notes, minutes.
const PER_STEP: usize = 3;
const READ_ONLY: &str = "Only an administrator can change work instructions and tools";
const FIX_FIELDS: &str = "Fix the marked fields; nothing was sent";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Instructions,
    Tools,
}

/// What `d` is about to change.
enum Toggle {
    Instruction(InstructionRow),
    Tool(ToolRow),
}

enum Mode {
    Browse,
    Instruction(Box<Editor>),
    Tool(Box<ToolEditor>),
    Revisions(Box<Revisions>),
    Confirm {
        target: Toggle,
        keys: Vec<HelpLine>,
        error: Option<String>,
        pending: Option<RequestId>,
    },
}

pub struct WorkInstructionsScreen {
    catalog: InstructionCatalog,
    view: View,
    instructions: ListCursor,
    tools: ListCursor,
    loading: Pending,
    load_error: Option<String>,
    can_edit: bool,
    mode: Mode,
    /// Title or tool name to select after the next catalog arrives.
    select_after: Option<String>,
    /// The editor's field values when it opened, so Esc can tell typed work from none.
    opened_with: Vec<String>,
    /// Esc was pressed once over unsaved changes; the next Esc discards them.
    discard_armed: bool,
}

impl WorkInstructionsScreen {
    pub fn open(ctx: &mut Ctx) -> (WorkInstructionsScreen, Command) {
        let can_edit = ctx.session().is_some_and(|s| s.user.role == Role::Admin);
        let mut s = WorkInstructionsScreen {
            catalog: InstructionCatalog::default(),
            view: View::Instructions,
            instructions: ListCursor::default(),
            tools: ListCursor::default(),
            loading: Pending::new(),
            load_error: None,
            can_edit,
            mode: Mode::Browse,
            select_after: None,
            opened_with: Vec::new(),
            discard_armed: false,
        };
        let cmd = s.reload(ctx);
        (s, cmd)
    }

    pub fn view_kind(&self) -> View {
        self.view
    }

    pub fn catalog(&self) -> &InstructionCatalog {
        &self.catalog
    }

    pub fn editor(&self) -> Option<&Editor> {
        match &self.mode {
            Mode::Instruction(e) => Some(e),
            _ => None,
        }
    }

    /// The revisions view, when open.
    pub fn revisions(&self) -> Option<&Revisions> {
        match &self.mode {
            Mode::Revisions(r) => Some(r),
            _ => None,
        }
    }

    pub fn selected_instruction(&self) -> Option<&InstructionRow> {
        self.instructions
            .selected()
            .and_then(|i| self.catalog.instructions.get(i))
    }

    pub fn selected_tool(&self) -> Option<&ToolRow> {
        self.tools
            .selected()
            .and_then(|i| self.catalog.tools.get(i))
    }

    fn reload(&mut self, ctx: &mut Ctx) -> Command {
        let Some(token) = ctx.token() else {
            return Command::None;
        };
        self.loading
            .begin(ctx, Request::WorkInstructions { token }, ())
    }

    fn form_mut(&mut self) -> Option<&mut Form> {
        match &mut self.mode {
            Mode::Instruction(e) => Some(&mut e.form),
            Mode::Tool(t) => Some(&mut t.form),
            Mode::Browse | Mode::Revisions(_) | Mode::Confirm { .. } => None,
        }
    }

    fn pending(&self) -> Option<RequestId> {
        match &self.mode {
            Mode::Browse => None,
            Mode::Instruction(e) => e.pending,
            Mode::Tool(t) => t.pending,
            Mode::Revisions(r) => r.pending,
            Mode::Confirm { pending, .. } => *pending,
        }
    }

    fn move_selection(&mut self, action: Action) {
        let (state, n) = match self.view {
            View::Instructions => (&mut self.instructions, self.catalog.instructions.len()),
            View::Tools => (&mut self.tools, self.catalog.tools.len()),
        };
        if n == 0 {
            return;
        }
        let cur = state.selected().unwrap_or(0);
        state.select(Some(moved(cur, n, action)));
    }

    fn on_browse(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        match action {
            action if moves(action) => self.move_selection(action),
            Action::NextView | Action::PrevView => {
                self.view = match self.view {
                    View::Instructions => View::Tools,
                    View::Tools => View::Instructions,
                };
            }
            Action::Back => ctx.emit(Effect::Navigate(ScreenId::Home)),
            Action::Refresh => return self.reload(ctx),
            Action::Revisions if self.view == View::Instructions => {
                let Some(row) = self.selected_instruction() else {
                    ctx.toast(Toast::error("No work instruction selected"));
                    return Command::None;
                };
                let (r, cmd) = Revisions::open(&row.title, row.id, ctx);
                self.mode = Mode::Revisions(Box::new(r));
                return cmd;
            }
            Action::NewRecord | Action::Open | Action::ToggleActive => {
                if !self.can_edit {
                    ctx.toast(Toast::error(READ_ONLY));
                    return Command::None;
                }
                if self.loading.in_flight() && self.catalog == InstructionCatalog::default() {
                    ctx.toast(Toast::info("Still loading; try again in a moment"));
                    return Command::None;
                }
                self.start(action, ctx);
            }
            _ => {}
        }
        Command::None
    }

    /// True when an editor is open and its fields differ from when it opened.
    fn has_typed(&self) -> bool {
        match &self.mode {
            Mode::Instruction(e) => e.form.values() != self.opened_with,
            Mode::Tool(t) => t.form.values() != self.opened_with,
            Mode::Browse | Mode::Revisions(_) | Mode::Confirm { .. } => false,
        }
    }

    fn set_editor_error(&mut self, text: String) {
        match &mut self.mode {
            Mode::Instruction(e) => e.error = Some(text),
            Mode::Tool(t) => t.error = Some(text),
            Mode::Browse | Mode::Revisions(_) | Mode::Confirm { .. } => {}
        }
    }

    fn start(&mut self, action: Action, ctx: &mut Ctx) {
        let nothing = match self.view {
            View::Instructions => "No work instruction selected",
            View::Tools => "No tool selected",
        };
        self.mode = match (action, self.view) {
            (Action::NewRecord, View::Instructions) => {
                Mode::Instruction(Box::new(Editor::new(None)))
            }
            (Action::NewRecord, View::Tools) => Mode::Tool(Box::new(ToolEditor::new(None))),
            (Action::Open, View::Instructions) => match self.selected_instruction() {
                Some(r) => Mode::Instruction(Box::new(Editor::new(Some(r)))),
                None => return ctx.toast(Toast::error(nothing)),
            },
            (Action::Open, View::Tools) => match self.selected_tool() {
                Some(r) => Mode::Tool(Box::new(ToolEditor::new(Some(r)))),
                None => return ctx.toast(Toast::error(nothing)),
            },
            (_, view) => {
                let target = match view {
                    View::Instructions => self
                        .selected_instruction()
                        .cloned()
                        .map(Toggle::Instruction),
                    View::Tools => self.selected_tool().cloned().map(Toggle::Tool),
                };
                let Some(target) = target else {
                    return ctx.toast(Toast::error(nothing));
                };
                Mode::Confirm {
                    target,
                    keys: ctx.keymap().key_bar(&[KeyContext::Confirm]),
                    error: None,
                    pending: None,
                }
            }
        };
        self.discard_armed = false;
        self.opened_with = match &self.mode {
            Mode::Instruction(e) => e.form.values(),
            Mode::Tool(t) => t.form.values(),
            Mode::Browse | Mode::Revisions(_) | Mode::Confirm { .. } => Vec::new(),
        };
    }

    fn save(&mut self, ctx: &mut Ctx) -> Command {
        if self.pending().is_some() {
            return Command::None;
        }
        let Some(token) = ctx.token() else {
            return Command::None;
        };
        let request = match &mut self.mode {
            Mode::Browse | Mode::Revisions(_) => return Command::None,
            Mode::Instruction(e) => match e.draft() {
                Some(d) => {
                    self.select_after = Some(d.title.clone());
                    Request::SaveWorkInstruction {
                        token,
                        instruction: Box::new(d),
                    }
                }
                None => return Command::None,
            },
            Mode::Tool(t) => match t.draft() {
                Some(d) => {
                    self.select_after = Some(d.name.clone());
                    Request::SaveTool {
                        token,
                        tool: Box::new(d),
                    }
                }
                None => return Command::None,
            },
            Mode::Confirm { target, .. } => match target {
                Toggle::Instruction(r) => {
                    self.select_after = Some(r.title.clone());
                    Request::SaveWorkInstruction {
                        token,
                        instruction: Box::new(toggled_instruction(r)),
                    }
                }
                Toggle::Tool(r) => {
                    self.select_after = Some(r.name.clone());
                    Request::SaveTool {
                        token,
                        tool: Box::new(toggled_tool(r)),
                    }
                }
            },
        };
        let (id, cmd) = ctx.request(request);
        match &mut self.mode {
            Mode::Browse | Mode::Revisions(_) => {}
            Mode::Instruction(e) => {
                e.pending = Some(id);
                e.error = None;
            }
            Mode::Tool(t) => {
                t.pending = Some(id);
                t.error = None;
            }
            Mode::Confirm { pending, error, .. } => {
                *pending = Some(id);
                *error = None;
            }
        }
        cmd
    }

    fn set_catalog(&mut self, catalog: InstructionCatalog) {
        let keep_instruction = self.selected_instruction().map(|r| r.title.clone());
        let keep_tool = self.selected_tool().map(|r| r.id);
        self.catalog = catalog;
        self.load_error = None;
        let wanted = self.select_after.take();
        let (wanted_title, wanted_tool) = match self.view {
            View::Instructions => (wanted.or(keep_instruction), None),
            View::Tools => (keep_instruction, wanted),
        };
        let i = wanted_title
            .and_then(|t| self.catalog.instructions.iter().position(|r| r.title == t))
            .or_else(|| self.instructions.selected());
        select_clamped(&mut self.instructions, i, self.catalog.instructions.len());
        let t = wanted_tool
            .and_then(|n| self.catalog.tools.iter().position(|r| r.name == n))
            .or_else(|| keep_tool.and_then(|id| self.catalog.tools.iter().position(|r| r.id == id)))
            .or_else(|| self.tools.selected());
        select_clamped(&mut self.tools, t, self.catalog.tools.len());
    }
}

impl Screen for WorkInstructionsScreen {
    fn title(&self) -> &'static str {
        match &self.mode {
            Mode::Instruction(e) if e.id.is_some() => "Work instructions › Edit",
            Mode::Instruction(_) => "Work instructions › New",
            Mode::Revisions(_) => "Work instructions › Revisions",
            _ => "Work instructions",
        }
    }

    fn key_contexts(&self) -> Vec<KeyContext> {
        match &self.mode {
            Mode::Browse => vec![KeyContext::WorkInstructions, KeyContext::List],
            Mode::Instruction(e) => {
                let mut stack = e.form.key_contexts();
                stack.push(KeyContext::InstructionEditor);
                stack.push(KeyContext::Dialog);
                stack
            }
            Mode::Tool(t) => {
                let mut stack = t.form.key_contexts();
                stack.push(KeyContext::Dialog);
                stack
            }
            Mode::Revisions(_) => vec![KeyContext::InstructionRevisions, KeyContext::List],
            Mode::Confirm { .. } => vec![KeyContext::Confirm],
        }
    }

    fn has_unsaved_input(&self) -> bool {
        matches!(self.mode, Mode::Instruction(_) | Mode::Tool(_))
    }

    fn on_action(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        if matches!(self.mode, Mode::Browse) {
            return self.on_browse(action, ctx);
        }
        if let Mode::Revisions(r) = &mut self.mode {
            if matches!(action, Action::Back | Action::Cancel) {
                self.mode = Mode::Browse;
                return Command::None;
            }
            return r.on_action(action, ctx);
        }
        let armed = std::mem::take(&mut self.discard_armed);
        match action {
            Action::Cancel if !armed && self.has_typed() => {
                self.discard_armed = true;
                self.set_editor_error(
                    "Unsaved changes: Esc again discards them, Ctrl-S saves".into(),
                );
                Command::None
            }
            Action::Cancel | Action::No => {
                // A save already sent is left to finish; its reply refreshes the lists.
                if let Some(id) = self.pending() {
                    self.loading.wait(id);
                }
                self.mode = Mode::Browse;
                Command::None
            }
            Action::Save | Action::Yes => self.save(ctx),
            Action::Submit => {
                // Enter moves on in the editor (saving is Ctrl-S); on the tool dialog's last field it saves.
                if let Mode::Tool(t) = &mut self.mode
                    && t.form.is_last()
                {
                    return self.save(ctx);
                }
                if let Some(form) = self.form_mut() {
                    form.next();
                }
                Command::None
            }
            Action::AddStep | Action::RemoveRow | Action::StepUp | Action::StepDown => {
                if let Mode::Instruction(e) = &mut self.mode {
                    match action {
                        Action::AddStep => e.add_step(),
                        Action::RemoveRow => e.remove_step(),
                        Action::StepUp => e.move_step(true),
                        _ => e.move_step(false),
                    }
                }
                Command::None
            }
            other => {
                if let Some(form) = self.form_mut() {
                    form.handle(other);
                }
                Command::None
            }
        }
    }

    fn on_reply(&mut self, reply: ServiceReply, ctx: &mut Ctx) -> Command {
        if self.loading.answered_by(reply.id) {
            match reply.result {
                Ok(Reply::WorkInstructions(c)) => self.set_catalog(*c),
                Ok(_) => return self.reload(ctx),
                Err(e) => self.load_error = Some(e.user_message()),
            }
            return Command::None;
        }
        if self.pending() != Some(reply.id) {
            return Command::None;
        }
        if let Mode::Revisions(r) = &mut self.mode {
            r.on_reply(reply.result);
            return Command::None;
        }
        match reply.result {
            Ok(Reply::WorkInstructions(c)) => {
                let message = match &self.mode {
                    Mode::Instruction(e) => format!("Saved \"{}\"", e.form.value(F_TITLE).trim()),
                    Mode::Tool(t) => format!("Saved tool \"{}\"", t.form.value(T_NAME).trim()),
                    Mode::Confirm { target, .. } => match target {
                        Toggle::Instruction(r) if r.active => {
                            format!("\"{}\" deactivated", r.title)
                        }
                        Toggle::Instruction(r) => format!("\"{}\" reactivated", r.title),
                        Toggle::Tool(r) if r.active => format!("Tool \"{}\" deactivated", r.name),
                        Toggle::Tool(r) => format!("Tool \"{}\" reactivated", r.name),
                    },
                    Mode::Browse | Mode::Revisions(_) => String::new(),
                };
                self.mode = Mode::Browse;
                self.set_catalog(*c);
                ctx.toast(Toast::info(message));
                Command::None
            }
            Ok(_) => {
                self.mode = Mode::Browse;
                self.reload(ctx)
            }
            Err(e) => {
                let text = e.user_message();
                let stale = matches!(e, crate::error::ServiceError::Conflict(_));
                match &mut self.mode {
                    Mode::Browse | Mode::Revisions(_) => {}
                    Mode::Instruction(ed) => {
                        ed.pending = None;
                        ed.error = Some(text);
                    }
                    Mode::Tool(t) => {
                        t.pending = None;
                        t.error = Some(text);
                    }
                    Mode::Confirm { pending, error, .. } => {
                        *pending = None;
                        *error = Some(text);
                    }
                }
                // The typed text stays in the editor; the lists behind it show what is stored now.
                if stale {
                    self.select_after = None;
                    return self.reload(ctx);
                }
                Command::None
            }
        }
    }

    fn text_form(&mut self) -> Option<&mut Form> {
        self.form_mut()
    }

    fn view(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        self.draw(frame, area, theme);
    }
}

fn select_clamped(state: &mut ListCursor, i: Option<usize>, n: usize) {
    state.select(if n == 0 {
        None
    } else {
        Some(i.unwrap_or(0).min(n - 1))
    });
}

fn status(active: bool) -> &'static str {
    if active { "active" } else { "[inactive]" }
}

fn used_by(n: i64) -> String {
    if n == 0 {
        "unused".into()
    } else {
        format!("{n} task{}", if n == 1 { "" } else { "s" })
    }
}

fn toggled_instruction(r: &InstructionRow) -> InstructionDraft {
    InstructionDraft {
        id: Some(r.id),
        stamp: Some(r.stamp),
        title: r.title.clone(),
        description: r.description.clone(),
        active: !r.active,
        steps: r
            .steps
            .iter()
            .map(|s| StepDraft {
                description: s.description.clone(),
                safety_notes: s.safety_notes.clone(),
                estimated_minutes: s.estimated_minutes,
            })
            .collect(),
        // (De)activating makes no revision, so it needs no note.
        change_note: String::new(),
    }
}

fn toggled_tool(r: &ToolRow) -> ToolDraft {
    ToolDraft {
        id: Some(r.id),
        stamp: Some(r.stamp),
        name: r.name.clone(),
        description: r.description.clone(),
        category: r.category.clone(),
        active: !r.active,
    }
}

fn toggle_question(target: &Toggle) -> (&'static str, Vec<String>) {
    match target {
        Toggle::Instruction(r) if r.active => (
            "Deactivate work instruction",
            vec![
                format!("Deactivate \"{}\" (v{})?", r.title, r.version),
                "New task lists stop linking it; started builds keep it.".into(),
            ],
        ),
        Toggle::Instruction(r) => (
            "Reactivate work instruction",
            vec![
                format!("Reactivate \"{}\" (v{})?", r.title, r.version),
                "New task lists link it again.".into(),
            ],
        ),
        Toggle::Tool(r) if r.active => (
            "Deactivate tool",
            vec![
                format!("Deactivate \"{}\"?", r.name),
                "New task lists leave it out; started builds keep it.".into(),
            ],
        ),
        Toggle::Tool(r) => (
            "Reactivate tool",
            vec![
                format!("Reactivate \"{}\"?", r.name),
                "New task lists name it again.".into(),
            ],
        ),
    }
}

#[cfg(test)]
mod tests;
