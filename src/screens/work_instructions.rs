//! ADMIN: work instructions with their steps, and the tools tasks name.
//!
//! Two lists switched by Tab with the selection's details on the right; `a` adds, Enter edits, `d`
//! (de)activates after a confirmation. Every role may open the screen read-only; the service is binding.

use crate::domain::Role;
use crate::domain::instructions::{
    DraftField, InstructionCatalog, InstructionDraft, InstructionRow, MAX_CATEGORY, MAX_STEP,
    MAX_TEXT, MAX_TITLE, MAX_TOOL_NAME, StepDraft, ToolDraft, ToolRow, parse_minutes,
    validate_instruction, validate_tool,
};
use crate::domain::tasks::StepView;
use crate::keymap::{Action, HelpLine, KeyContext};
use crate::msg::{Command, DbReply, Reply, Request, RequestId};
use crate::screens::{Ctx, Effect, ScreenId, ScreenMsg};
use crate::theme::Theme;
use crate::widgets::form_field::{Form, FormField};
use crate::widgets::toast::Toast;
use crate::widgets::wrap;
use crate::widgets::{
    centered, confirm, dialog, dim, fit_text, padded, panel, request_status, row, rows,
};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Padding, Paragraph, Row, TableState};
use uuid::Uuid;

/// Rows one PageUp/PageDown moves.
const PAGE: usize = 10;
const F_TITLE: usize = 0;
const F_DESCRIPTION: usize = 1;
/// Fields before the first step.
const HEAD: usize = 2;
/// Fields per step: description, safety notes, minutes.
const PER_STEP: usize = 3;
const READ_ONLY: &str = "Only an administrator can change work instructions and tools";
const FIX_FIELDS: &str = "Fix the marked fields; nothing was sent";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Instructions,
    Tools,
}

/// The instruction editor: one form holding the header fields, then three fields per step.
pub struct Editor {
    id: Option<Uuid>,
    stamp: Option<i64>,
    version: Option<i32>,
    active: bool,
    form: Form,
    error: Option<String>,
    pending: Option<RequestId>,
    /// First field row drawn, so the focused field stays visible.
    scroll: usize,
}

fn step_fields(n: usize, step: &StepDraft) -> [FormField; 3] {
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

fn editor_form(title: &str, description: &str, steps: &[StepDraft]) -> Form {
    let mut head = FormField::text("Title")
        .with_max_len(MAX_TITLE)
        .with_hint("Required; unique among active instructions");
    head.set_value(title);
    let mut desc = FormField::text("Description").with_max_len(MAX_TEXT);
    desc.set_value(description);
    let mut fields = vec![head, desc];
    for (i, s) in steps.iter().enumerate() {
        fields.extend(step_fields(i + 1, s));
    }
    Form::new(fields).with_input_width(72)
}

impl Editor {
    fn new(row: Option<&InstructionRow>) -> Editor {
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
    fn raw_steps(&self) -> Vec<(String, String, String)> {
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
    fn rebuild(&mut self, steps: &[(String, String, String)], focus: usize) {
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

    fn add_step(&mut self) {
        let mut steps = self.raw_steps();
        let at = self.current_step().map_or(steps.len(), |i| i + 1);
        steps.insert(at, Default::default());
        self.rebuild(&steps, HEAD + at * PER_STEP);
        self.error = None;
    }

    fn remove_step(&mut self) {
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

    fn move_step(&mut self, up: bool) {
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
    fn draft(&mut self) -> Option<InstructionDraft> {
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
        };
        let result = validate_instruction(&draft);
        for (f, e) in &bad_minutes {
            self.form.set_error(*f, e.clone());
        }
        match result {
            Ok(valid) if bad_minutes.is_empty() => Some(valid),
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

    fn focus_first_error(&mut self) {
        if let Some(f) = self.form.first_error() {
            self.form.set_focus(f);
        }
    }
}

/// The tool dialog.
pub struct ToolEditor {
    id: Option<Uuid>,
    stamp: Option<i64>,
    active: bool,
    form: Form,
    error: Option<String>,
    pending: Option<RequestId>,
}

const T_NAME: usize = 0;
const T_CATEGORY: usize = 1;
const T_DESCRIPTION: usize = 2;

impl ToolEditor {
    fn new(row: Option<&ToolRow>) -> ToolEditor {
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

    fn draft(&mut self) -> Option<ToolDraft> {
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

/// What `d` is about to change.
enum Toggle {
    Instruction(InstructionRow),
    Tool(ToolRow),
}

enum Mode {
    Browse,
    Instruction(Box<Editor>),
    Tool(Box<ToolEditor>),
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
    instructions: TableState,
    tools: TableState,
    loading: Option<RequestId>,
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
            instructions: TableState::default(),
            tools: TableState::default(),
            loading: None,
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

    pub fn title(&self) -> &'static str {
        match &self.mode {
            Mode::Instruction(e) if e.id.is_some() => "Work instructions › Edit",
            Mode::Instruction(_) => "Work instructions › New",
            _ => "Work instructions",
        }
    }

    pub fn key_contexts(&self) -> Vec<KeyContext> {
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
            Mode::Confirm { .. } => vec![KeyContext::Confirm],
        }
    }

    pub fn has_unsaved_input(&self) -> bool {
        matches!(self.mode, Mode::Instruction(_) | Mode::Tool(_))
    }

    fn reload(&mut self, ctx: &mut Ctx) -> Command {
        let Some(token) = ctx.token() else {
            return Command::None;
        };
        let (id, cmd) = ctx.request(Request::WorkInstructions { token });
        self.loading = Some(id);
        cmd
    }

    fn form_mut(&mut self) -> Option<&mut Form> {
        match &mut self.mode {
            Mode::Instruction(e) => Some(&mut e.form),
            Mode::Tool(t) => Some(&mut t.form),
            Mode::Browse | Mode::Confirm { .. } => None,
        }
    }

    pub fn update(&mut self, msg: ScreenMsg, ctx: &mut Ctx) -> Command {
        match msg {
            ScreenMsg::Char(c) => {
                if let Some(form) = self.form_mut() {
                    form.type_char(c);
                }
                Command::None
            }
            ScreenMsg::Paste(text) => {
                if let Some(form) = self.form_mut() {
                    form.paste(&text);
                }
                Command::None
            }
            ScreenMsg::Action(action) => self.on_action(action, ctx),
            ScreenMsg::Db(reply) => self.on_reply(reply, ctx),
            ScreenMsg::Tick(_) => Command::None,
        }
    }

    fn pending(&self) -> Option<RequestId> {
        match &self.mode {
            Mode::Browse => None,
            Mode::Instruction(e) => e.pending,
            Mode::Tool(t) => t.pending,
            Mode::Confirm { pending, .. } => *pending,
        }
    }

    fn on_action(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        if matches!(self.mode, Mode::Browse) {
            return self.on_browse(action, ctx);
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
                    self.loading = Some(id);
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

    fn move_selection(&mut self, action: Action) {
        let (state, n) = match self.view {
            View::Instructions => (&mut self.instructions, self.catalog.instructions.len()),
            View::Tools => (&mut self.tools, self.catalog.tools.len()),
        };
        if n == 0 {
            return;
        }
        let cur = state.selected().unwrap_or(0);
        let next = match action {
            Action::Up => cur.saturating_sub(1),
            Action::Down => (cur + 1).min(n - 1),
            Action::PageUp => cur.saturating_sub(PAGE),
            Action::PageDown => (cur + PAGE).min(n - 1),
            Action::First => 0,
            Action::Last => n - 1,
            _ => cur,
        };
        state.select(Some(next));
    }

    fn on_browse(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        match action {
            Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::First
            | Action::Last => self.move_selection(action),
            Action::NextView | Action::PrevView => {
                self.view = match self.view {
                    View::Instructions => View::Tools,
                    View::Tools => View::Instructions,
                };
            }
            Action::Back => ctx.emit(Effect::Navigate(ScreenId::Home)),
            Action::Refresh => return self.reload(ctx),
            Action::NewRecord | Action::Open | Action::ToggleActive => {
                if !self.can_edit {
                    ctx.toast(Toast::error(READ_ONLY));
                    return Command::None;
                }
                if self.loading.is_some() && self.catalog == InstructionCatalog::default() {
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
            Mode::Browse | Mode::Confirm { .. } => false,
        }
    }

    fn set_editor_error(&mut self, text: String) {
        match &mut self.mode {
            Mode::Instruction(e) => e.error = Some(text),
            Mode::Tool(t) => t.error = Some(text),
            Mode::Browse | Mode::Confirm { .. } => {}
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
            Mode::Browse | Mode::Confirm { .. } => Vec::new(),
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
            Mode::Browse => return Command::None,
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
            Mode::Browse => {}
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

    fn on_reply(&mut self, reply: DbReply, ctx: &mut Ctx) -> Command {
        if self.loading == Some(reply.id) {
            self.loading = None;
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
                    Mode::Browse => String::new(),
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
                let stale = matches!(e, crate::db::DbError::Conflict(_));
                match &mut self.mode {
                    Mode::Browse => {}
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

    pub fn view(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        if let Mode::Instruction(e) = &mut self.mode {
            view_editor(frame, area, e, theme);
            return;
        }
        let info_h = 1.min(area.height);
        let body = Rect::new(area.x, area.y, area.width, area.height - info_h);
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)])
                .areas(body);
        match self.view {
            View::Instructions => {
                self.view_instructions(frame, left, theme);
                let selected = self.selected_instruction().cloned();
                view_instruction_detail(frame, right, selected.as_ref(), theme);
            }
            View::Tools => {
                self.view_tools(frame, left, theme);
                let selected = self.selected_tool().cloned();
                view_tool_detail(frame, right, selected.as_ref(), theme);
            }
        }
        self.view_info(frame, row(area, area.height.saturating_sub(1)), theme);
        match &mut self.mode {
            Mode::Browse | Mode::Instruction(_) => {}
            Mode::Tool(t) => {
                dim(frame, area, theme);
                let title = if t.id.is_some() {
                    "Edit tool"
                } else {
                    "New tool"
                };
                let inner = dialog(frame, centered(area, 80, 12), title, theme);
                t.form.render(frame, rows(inner, 1, 6), theme);
                let busy = t.pending.map(|_| "… Saving, please wait");
                request_status(frame, rows(inner, 7, 2), busy, t.error.as_deref(), theme);
            }
            Mode::Confirm {
                target,
                keys,
                error,
                pending,
            } => {
                let (title, mut lines) = toggle_question(target);
                if pending.is_some() {
                    lines.push("… Saving, please wait".to_string());
                } else if let Some(e) = error {
                    lines.push(format!("ERROR: {e}"));
                }
                confirm::render(frame, area, title, &lines, keys, theme);
            }
        }
    }

    /// "▶ Instructions (7) │ Tools (6)" as the panel title, so the view reads without colour.
    fn tabs(&self) -> String {
        let (i, t) = (self.catalog.instructions.len(), self.catalog.tools.len());
        let loading = if self.loading.is_some() {
            " (loading…)"
        } else {
            ""
        };
        let read_only = if self.can_edit { "" } else { " · read only" };
        match self.view {
            View::Instructions => format!("▶ Instructions ({i}) │ Tools ({t}){loading}{read_only}"),
            View::Tools => format!("Instructions ({i}) │ ▶ Tools ({t}){loading}{read_only}"),
        }
    }

    fn view_instructions(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let title = self.tabs();
        let block = panel(&title, theme).padding(Padding::horizontal(1));
        let header = Row::new(
            ["Title", "Ver", "Steps", "Status", "Used by"]
                .map(|h| Cell::from(Span::styled(h, theme.heading))),
        );
        // Borders, padding, the highlight symbol, the other columns and the spacing between them.
        let title_width = usize::from(area.width.saturating_sub(6 + 3 + 5 + 10 + 8 + 4)).max(8);
        let rows = self.catalog.instructions.iter().map(|r| {
            Row::new(vec![
                Cell::from(fit_text(&r.title, title_width)),
                Cell::from(format!("v{}", r.version)),
                Cell::from(r.steps.len().to_string()),
                Cell::from(status(r.active)),
                Cell::from(used_by(r.task_count)),
            ])
            .style(if r.active { theme.base } else { theme.disabled })
        });
        let widths = [
            Constraint::Min(8),
            Constraint::Length(3),
            Constraint::Length(5),
            Constraint::Length(10),
            Constraint::Length(8),
        ];
        let table = crate::widgets::selectable_table(rows, widths, header, block, theme);
        frame.render_stateful_widget(table, area, &mut self.instructions);
    }

    fn view_tools(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let title = self.tabs();
        let block = panel(&title, theme).padding(Padding::horizontal(1));
        let header = Row::new(
            ["Name", "Category", "Status", "Used by"]
                .map(|h| Cell::from(Span::styled(h, theme.heading))),
        );
        let name_width = usize::from(area.width.saturating_sub(6 + 12 + 10 + 8 + 3)).max(8);
        let rows = self.catalog.tools.iter().map(|r| {
            Row::new(vec![
                Cell::from(fit_text(&r.name, name_width)),
                Cell::from(fit_text(r.category.as_deref().unwrap_or("—"), 12)),
                Cell::from(status(r.active)),
                Cell::from(used_by(r.task_count)),
            ])
            .style(if r.active { theme.base } else { theme.disabled })
        });
        let widths = [
            Constraint::Min(8),
            Constraint::Length(12),
            Constraint::Length(10),
            Constraint::Length(8),
        ];
        let table = crate::widgets::selectable_table(rows, widths, header, block, theme);
        frame.render_stateful_widget(table, area, &mut self.tools);
    }

    fn view_info(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let line = if let Some(e) = &self.load_error {
            Line::from(Span::styled(format!(" ERROR: {e}"), theme.error))
        } else if !self.can_edit {
            Line::from(Span::styled(format!(" {READ_ONLY}."), theme.muted))
        } else {
            let n = match self.view {
                View::Instructions => self
                    .catalog
                    .instructions
                    .iter()
                    .filter(|r| r.active)
                    .count(),
                View::Tools => self.catalog.tools.iter().filter(|r| r.active).count(),
            };
            Line::from(Span::styled(
                format!(
                    " {n} active. Deactivated entries stay on finished tasks; new task lists leave them out."
                ),
                theme.muted,
            ))
        };
        frame.render_widget(Paragraph::new(line), area);
    }
}

fn select_clamped(state: &mut TableState, i: Option<usize>, n: usize) {
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

/// A step as the runner shows it: the safety notes first, in a box, then the step.
fn step_lines(step: &StepView, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let minutes = step
        .estimated_minutes
        .map_or(String::new(), |m| format!(" · {m} min"));
    out.push(Line::from(Span::styled(
        format!("Step {}{minutes}", step.number),
        theme.heading,
    )));
    if let Some(notes) = &step.safety_notes {
        let inner = width.saturating_sub(4).max(8);
        let label = "─ ⚠ SAFETY ";
        let top_fill = (inner + 2).saturating_sub(label.chars().count());
        out.push(Line::from(Span::styled(
            format!("┌{label}{}┐", "─".repeat(top_fill)),
            theme.warn,
        )));
        for l in wrap(notes, inner) {
            let pad = inner.saturating_sub(l.chars().count());
            out.push(Line::from(vec![
                Span::styled("│ ", theme.warn),
                Span::styled(format!("{l}{}", " ".repeat(pad)), theme.base),
                Span::styled(" │", theme.warn),
            ]));
        }
        out.push(Line::from(Span::styled(
            format!("└{}┘", "─".repeat(inner + 2)),
            theme.warn,
        )));
    }
    for l in wrap(&step.description, width) {
        out.push(Line::from(l));
    }
    out.push(Line::default());
    out
}

fn view_instruction_detail(
    frame: &mut Frame,
    area: Rect,
    row: Option<&InstructionRow>,
    theme: &Theme,
) {
    let block = panel("Steps", theme).padding(Padding::horizontal(1));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(r) = row else {
        frame.render_widget(
            Paragraph::new(Span::styled("No work instruction selected", theme.muted)),
            inner,
        );
        return;
    };
    let width = usize::from(inner.width);
    let mut lines = vec![Line::from(Span::styled(
        fit_text(&format!("{} · v{}", r.title, r.version), width),
        theme.title,
    ))];
    if let Some(d) = &r.description {
        lines.extend(wrap(d, width).into_iter().map(Line::from));
    }
    lines.push(Line::default());
    for s in &r.steps {
        lines.extend(step_lines(s, width, theme));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn view_tool_detail(frame: &mut Frame, area: Rect, row: Option<&ToolRow>, theme: &Theme) {
    let block = panel("Tool", theme).padding(Padding::horizontal(1));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(r) = row else {
        frame.render_widget(
            Paragraph::new(Span::styled("No tool selected", theme.muted)),
            inner,
        );
        return;
    };
    let width = usize::from(inner.width);
    let mut lines = vec![
        Line::from(Span::styled(fit_text(&r.name, width), theme.title)),
        Line::default(),
        Line::from(format!(
            "Category  {}",
            r.category.as_deref().unwrap_or("—")
        )),
        Line::from(format!("Status    {}", status(r.active))),
        Line::from(format!("Used by   {}", used_by(r.task_count))),
        Line::default(),
    ];
    match &r.description {
        Some(d) => lines.extend(wrap(d, width).into_iter().map(Line::from)),
        None => lines.push(Line::from(Span::styled("No description", theme.muted))),
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn view_editor(frame: &mut Frame, area: Rect, e: &mut Editor, theme: &Theme) {
    let heading = match (e.id, e.version) {
        (Some(_), Some(v)) => format!("Edit work instruction (v{v})"),
        _ => "New work instruction".to_string(),
    };
    let block = panel(&heading, theme);
    let inner = padded(block.inner(area));
    frame.render_widget(block, area);
    if inner.height < 4 {
        return;
    }
    let note = if e.id.is_some() {
        "Ctrl-S saves. Tasks already using it keep their version; new task lists get the saved one."
    } else {
        "Ctrl-S saves. Ctrl-A adds a step after the current one."
    };
    frame.render_widget(
        Paragraph::new(Span::styled(
            fit_text(note, usize::from(inner.width)),
            theme.muted,
        )),
        row(inner, 0),
    );
    // Two rows per field; the status rows at the bottom.
    let fields_area = rows(inner, 2, inner.height.saturating_sub(5));
    let visible = usize::from(fields_area.height / 2).max(1);
    let focus = e.form.focus();
    // Keep the focused step's block (or the header) in view.
    if focus < e.scroll {
        e.scroll = focus;
    } else if focus >= e.scroll + visible {
        e.scroll = focus + 1 - visible;
    }
    let (label_width, input_width) = (e.form.label_width, e.form.input_width);
    for slot in 0..visible {
        let i = e.scroll + slot;
        let y = u16::try_from(slot * 2).unwrap_or(u16::MAX);
        let Some(field) = e.form.field_mut(i) else {
            break;
        };
        field.render(
            frame,
            row(fields_area, y),
            theme,
            i == focus,
            label_width,
            input_width,
        );
        field.render_message(frame, row(fields_area, y + 1), theme, 4);
    }
    let more_above = e.scroll > 0;
    let more_below = e.scroll + visible < e.form.len();
    let position = format!(
        "{} step{}{}{}",
        e.step_count(),
        if e.step_count() == 1 { "" } else { "s" },
        if more_above { " · ↑ more above" } else { "" },
        if more_below { " · ↓ more below" } else { "" },
    );
    let status_y = inner.height.saturating_sub(3);
    frame.render_widget(
        Paragraph::new(Span::styled(position, theme.muted)),
        row(inner, status_y),
    );
    let busy = e.pending.map(|_| "… Saving, please wait");
    request_status(
        frame,
        rows(inner, status_y + 1, 2),
        busy,
        e.error.as_deref(),
        theme,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(e: &mut Editor, field: usize, text: &str) {
        e.form.set_focus(field);
        e.form.paste(text);
    }

    #[test]
    fn steps_are_added_after_the_current_removed_and_moved_keeping_text() {
        let mut e = Editor::new(None);
        assert_eq!(e.step_count(), 1);
        typed(&mut e, HEAD, "first");
        e.add_step();
        assert_eq!(e.current_step(), Some(1));
        e.form.paste("second");
        e.form.set_focus(HEAD);
        e.add_step();
        e.form.paste("between");
        let texts = |e: &Editor| e.raw_steps().into_iter().map(|s| s.0).collect::<Vec<_>>();
        assert_eq!(texts(&e), vec!["first", "between", "second"]);
        e.move_step(false);
        assert_eq!(texts(&e), vec!["first", "second", "between"]);
        assert_eq!(e.current_step(), Some(2));
        e.move_step(false);
        assert_eq!(e.current_step(), Some(2), "the last step stays last");
        e.move_step(true);
        e.move_step(true);
        assert_eq!(texts(&e), vec!["between", "first", "second"]);
        e.remove_step();
        assert_eq!(texts(&e), vec!["first", "second"]);
        e.remove_step();
        e.remove_step();
        assert_eq!(texts(&e), vec!["second"]);
        assert_eq!(e.error(), Some("An instruction needs at least one step"));
    }

    #[test]
    fn a_draft_marks_every_field_and_keeps_the_text() {
        let mut e = Editor::new(None);
        typed(&mut e, HEAD + 2, "ten");
        assert!(e.draft().is_none());
        assert_eq!(
            e.form.field(F_TITLE).and_then(FormField::error),
            Some("Title is required")
        );
        assert_eq!(
            e.form.field(HEAD).and_then(FormField::error),
            Some("Step 1: the description is required")
        );
        assert!(e.form.field(HEAD + 2).and_then(FormField::error).is_some());
        assert_eq!(e.form.focus(), F_TITLE);
        assert_eq!(e.form.value(HEAD + 2), "ten");
        typed(&mut e, F_TITLE, "Seal the basin");
        typed(&mut e, HEAD, "Apply sealant");
        e.form.set_focus(HEAD + 2);
        e.form.handle(Action::ClearField);
        e.form.paste("12");
        let d = e.draft().expect("valid");
        assert_eq!(d.title, "Seal the basin");
        assert_eq!(d.steps[0].estimated_minutes, Some(12));
        assert_eq!(d.steps[0].safety_notes, None);
        assert!(d.active);
    }
}
