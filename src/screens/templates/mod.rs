//! ADMIN: the checklist templates and their versions (docs/checklists.md §12). The list shows every
//! version; Enter opens one read-only; `n` starts a new version from the active one (or the one open) in
//! an editor over its items; Ctrl-S saves it as a new, inactive version after a question; `a` activates
//! the selected version after a question. `p` previews the items a sample build gets. Unsaved edits are
//! never dropped without a question. The service is the binding check.

mod item_form;
mod view;

use crate::domain::Role;
use crate::domain::checklist::{ItemDraft, ItemProblem, Usage, validate_items};
use crate::domain::template_versions::{TemplatePreview, TemplateVersion, TemplateVersionRow};
use crate::keymap::{Action, HelpLine, KeyContext};
use crate::msg::{Command, Reply, Request, RequestId, ServiceReply};
use crate::screens::pending::Pending;
use crate::screens::selection::{moved, moves};
use crate::screens::{Ctx, Effect, Screen, ScreenId};
use crate::theme::Theme;
use crate::widgets::form_field::Form;
use crate::widgets::list_cursor::ListCursor;
use crate::widgets::toast::Toast;
pub use item_form::{Field, ItemForm, shown_message};
use ratatui::Frame;
use ratatui::layout::Rect;

const READ_ONLY: &str = "Only an administrator can change checklist templates";

/// The items of one version, read-only or being edited.
pub struct Items {
    pub form_name: String,
    /// The version shown, or the version the edit started from.
    pub version: i32,
    pub key: String,
    pub usage: Usage,
    pub items: Vec<ItemDraft>,
    pub cursor: ListCursor,
}

impl Items {
    fn of(v: TemplateVersion) -> Items {
        Items {
            form_name: v.row.form_name,
            version: v.row.version,
            key: v.key,
            usage: v.usage,
            cursor: ListCursor::default().with_selected((!v.items.is_empty()).then_some(0)),
            items: v.items,
        }
    }

    pub fn selected(&self) -> Option<&ItemDraft> {
        self.cursor.selected().and_then(|i| self.items.get(i))
    }

    fn move_cursor(&mut self, action: Action) {
        if self.items.is_empty() {
            return;
        }
        let cur = self.cursor.selected().unwrap_or(0);
        self.cursor
            .select(Some(moved(cur, self.items.len(), action)));
    }

    /// Every problem of the list, as the save will check it.
    fn problems(&self) -> Vec<ItemProblem> {
        validate_items(
            &format!("template \"{}\"", self.key),
            Some(self.usage),
            self.items.clone(),
        )
        .err()
        .unwrap_or_default()
    }
}

/// A new version being edited.
pub struct Editor {
    pub items: Items,
    pub original: Vec<ItemDraft>,
    pub item: Option<ItemForm>,
    pub error: Option<String>,
}

impl Editor {
    pub fn changed(&self) -> bool {
        self.items.items != self.original || self.item.as_ref().is_some_and(ItemForm::changed)
    }
}

/// The preview pane over a version or the editor.
pub struct Preview {
    pub form_name: String,
    pub items: Vec<ItemDraft>,
    pub sample: usize,
    pub shown: Option<TemplatePreview>,
    pub error: Option<String>,
    pub pending: Option<RequestId>,
}

/// What a yes/no question is about.
pub enum Question {
    Save,
    Activate(TemplateVersionRow),
    Discard,
}

pub struct Asked {
    pub question: Question,
    pub keys: Vec<HelpLine>,
    pub error: Option<String>,
    pub pending: Option<RequestId>,
}

pub enum Mode {
    List,
    Version(Box<Items>),
    Editor(Box<Editor>),
}

pub struct TemplatesScreen {
    pub versions: Vec<TemplateVersionRow>,
    pub cursor: ListCursor,
    loading: Pending,
    /// The version or base being read for `Mode::Version` (false) or a new version (true).
    opening: Pending<bool>,
    pub load_error: Option<String>,
    pub mode: Mode,
    pub preview: Option<Preview>,
    pub asked: Option<Asked>,
    can_edit: bool,
    loaded: bool,
    /// The version to select when the next list arrives (the one just saved).
    select_after: Option<uuid::Uuid>,
}

impl TemplatesScreen {
    pub fn open(ctx: &mut Ctx) -> (TemplatesScreen, Command) {
        let can_edit = ctx.session().is_some_and(|s| s.user.role == Role::Admin);
        let mut s = TemplatesScreen {
            versions: Vec::new(),
            cursor: ListCursor::default(),
            loading: Pending::new(),
            opening: Pending::new(),
            load_error: None,
            mode: Mode::List,
            preview: None,
            asked: None,
            can_edit,
            loaded: false,
            select_after: None,
        };
        let cmd = s.reload(ctx);
        (s, cmd)
    }

    fn reload(&mut self, ctx: &mut Ctx) -> Command {
        let Some(token) = ctx.token() else {
            return Command::None;
        };
        self.loading
            .begin(ctx, Request::TemplateVersions { token }, ())
    }

    pub fn selected(&self) -> Option<&TemplateVersionRow> {
        self.cursor.selected().and_then(|i| self.versions.get(i))
    }

    pub fn editor(&self) -> Option<&Editor> {
        match &self.mode {
            Mode::Editor(e) => Some(e),
            _ => None,
        }
    }

    fn set_versions(&mut self, rows: Vec<TemplateVersionRow>) {
        let keep = self.selected().map(|r| r.id);
        self.versions = rows;
        self.loaded = true;
        self.load_error = None;
        let n = self.versions.len();
        let at = keep
            .and_then(|id| self.versions.iter().position(|r| r.id == id))
            .or(self.cursor.selected());
        self.cursor
            .select((n > 0).then(|| at.unwrap_or(0).min(n - 1)));
    }

    fn ask(&mut self, question: Question, ctx: &mut Ctx) {
        self.asked = Some(Asked {
            question,
            keys: ctx.keymap().key_bar(&[KeyContext::Confirm]),
            error: None,
            pending: None,
        });
    }

    /// Opens the version `row` read-only (`edit` false) or as the base of a new version.
    fn open_version(&mut self, id: uuid::Uuid, edit: bool, ctx: &mut Ctx) -> Command {
        let Some(token) = ctx.token() else {
            return Command::None;
        };
        self.opening
            .begin(ctx, Request::TemplateVersion { token, id }, edit)
    }

    fn on_list(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        match action {
            a if moves(a) => {
                let n = self.versions.len();
                if n > 0 {
                    let cur = self.cursor.selected().unwrap_or(0);
                    self.cursor.select(Some(moved(cur, n, a)));
                }
            }
            Action::Back => ctx.emit(Effect::Navigate(ScreenId::Home)),
            Action::Refresh => return self.reload(ctx),
            Action::Open => match self.selected() {
                Some(r) => return self.open_version(r.id, false, ctx),
                None => ctx.toast(Toast::error("No template version selected")),
            },
            Action::NewVersion | Action::ActivateVersion => {
                if !self.can_edit {
                    ctx.toast(Toast::error(READ_ONLY));
                    return Command::None;
                }
                let Some(row) = self.selected().cloned() else {
                    ctx.toast(Toast::error("No template version selected"));
                    return Command::None;
                };
                if action == Action::ActivateVersion {
                    if row.is_active {
                        ctx.toast(Toast::info(format!(
                            "{} version {} is already the active one",
                            row.form_name, row.version
                        )));
                        return Command::None;
                    }
                    self.ask(Question::Activate(row), ctx);
                    return Command::None;
                }
                // A new version starts from the template's active version.
                let base = self
                    .versions
                    .iter()
                    .find(|v| v.form_name == row.form_name && v.is_active)
                    .map_or(row.id, |v| v.id);
                return self.open_version(base, true, ctx);
            }
            _ => {}
        }
        Command::None
    }

    fn start_preview(&mut self, ctx: &mut Ctx) -> Command {
        let items = match &self.mode {
            Mode::Version(v) => v.as_ref(),
            Mode::Editor(e) => &e.items,
            Mode::List => return Command::None,
        };
        let problems = items.problems();
        if let Some(p) = problems.first() {
            ctx.toast(Toast::error(format!(
                "Fix the items before a preview: {}",
                p.message
            )));
            return Command::None;
        }
        self.preview = Some(Preview {
            form_name: items.form_name.clone(),
            items: items.items.clone(),
            sample: 0,
            shown: None,
            error: None,
            pending: None,
        });
        self.request_preview(ctx)
    }

    fn request_preview(&mut self, ctx: &mut Ctx) -> Command {
        let (Some(p), Some(token)) = (self.preview.as_mut(), ctx.token()) else {
            return Command::None;
        };
        let (id, cmd) = ctx.request(Request::PreviewTemplate {
            token,
            form_name: p.form_name.clone(),
            items: p.items.clone(),
            sample: p.sample,
        });
        p.pending = Some(id);
        p.error = None;
        cmd
    }

    fn on_preview(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        match action {
            Action::Back => self.preview = None,
            Action::NextSample => {
                if let Some(p) = self.preview.as_mut() {
                    let n = p.shown.as_ref().map_or(1, |s| s.samples.len().max(1));
                    p.sample = (p.sample + 1) % n;
                }
                return self.request_preview(ctx);
            }
            _ => {}
        }
        Command::None
    }

    fn on_question(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        let Some(asked) = self.asked.as_mut() else {
            return Command::None;
        };
        match action {
            Action::No => {
                self.asked = None;
                Command::None
            }
            Action::Yes if asked.pending.is_none() => {
                let Some(token) = ctx.token() else {
                    return Command::None;
                };
                let request = match &asked.question {
                    Question::Discard => {
                        self.asked = None;
                        self.mode = Mode::List;
                        return Command::None;
                    }
                    Question::Activate(row) => {
                        Request::ActivateTemplateVersion { token, id: row.id }
                    }
                    Question::Save => match &self.mode {
                        Mode::Editor(e) => Request::SaveTemplateVersion {
                            token,
                            form_name: e.items.form_name.clone(),
                            items: e.items.items.clone(),
                        },
                        _ => return Command::None,
                    },
                };
                let (id, cmd) = ctx.request(request);
                asked.pending = Some(id);
                asked.error = None;
                cmd
            }
            _ => Command::None,
        }
    }

    fn on_version(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        let Mode::Version(v) = &mut self.mode else {
            return Command::None;
        };
        match action {
            a if moves(a) => v.move_cursor(a),
            Action::Back => self.mode = Mode::List,
            Action::PreviewItems => return self.start_preview(ctx),
            Action::NewVersion => {
                if !self.can_edit {
                    ctx.toast(Toast::error(READ_ONLY));
                    return Command::None;
                }
                let items = std::mem::replace(
                    v.as_mut(),
                    Items {
                        form_name: String::new(),
                        version: 0,
                        key: String::new(),
                        usage: Usage::QcResult,
                        items: Vec::new(),
                        cursor: ListCursor::default(),
                    },
                );
                self.mode = Mode::Editor(Box::new(Editor {
                    original: items.items.clone(),
                    items,
                    item: None,
                    error: None,
                }));
            }
            _ => {}
        }
        Command::None
    }

    fn on_editor(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        let Mode::Editor(e) = &mut self.mode else {
            return Command::None;
        };
        if e.item.is_some() {
            return on_item(e, action);
        }
        let list = &mut e.items;
        let at = list.cursor.selected();
        match action {
            a if moves(a) => list.move_cursor(a),
            Action::Cancel => {
                if e.changed() {
                    self.ask(Question::Discard, ctx);
                } else {
                    self.mode = Mode::List;
                }
            }
            Action::EditItem => match at.and_then(|i| list.items.get(i)) {
                Some(d) => e.item = Some(ItemForm::new(at, list.usage, d.clone())),
                None => ctx.toast(Toast::error("No item selected")),
            },
            Action::AddItem => {
                let next = list.items.iter().map(|i| i.sequence).max().unwrap_or(0) + 10;
                let section = list
                    .selected()
                    .map(|i| i.section.clone())
                    .unwrap_or_default();
                let draft = ItemDraft {
                    sequence: next,
                    section,
                    check_type: "BOOLEAN".into(),
                    required: Some(true),
                    basin_specific: Some(false),
                    notes_prompt: Some(false),
                    ..ItemDraft::default()
                };
                e.item = Some(ItemForm::new(None, list.usage, draft));
            }
            Action::RemoveRow => {
                if let Some(i) = at.filter(|i| *i < list.items.len()) {
                    let gone = list.items.remove(i);
                    let n = list.items.len();
                    list.cursor.select((n > 0).then(|| i.min(n - 1)));
                    e.error = Some(format!("Removed {}; Esc leaves without saving", gone.code));
                }
            }
            Action::ItemUp | Action::ItemDown => {
                if let Some(i) = at {
                    let j = if action == Action::ItemUp {
                        i.checked_sub(1)
                    } else {
                        Some(i + 1).filter(|j| *j < list.items.len())
                    };
                    if let Some(j) = j {
                        // The order is the sequence: the two items swap their sequence numbers.
                        let (a, b) = (list.items[i].sequence, list.items[j].sequence);
                        list.items[i].sequence = b;
                        list.items[j].sequence = a;
                        list.items.swap(i, j);
                        list.cursor.select(Some(j));
                    }
                }
            }
            Action::PreviewItems => return self.start_preview(ctx),
            Action::Save => {
                if !e.changed() {
                    e.error = Some("Nothing changed: a new version needs a change".into());
                    return Command::None;
                }
                let problems = e.items.problems();
                if let Some(p) = problems.first() {
                    e.error = Some(p.message.clone());
                    if let Some(i) = p.index {
                        e.items.cursor.select(Some(i));
                    }
                    return Command::None;
                }
                e.error = None;
                self.ask(Question::Save, ctx);
            }
            _ => {}
        }
        Command::None
    }

    fn on_answer(&mut self, reply: ServiceReply, ctx: &mut Ctx) -> Command {
        let Some(asked) = self.asked.as_mut() else {
            return Command::None;
        };
        match reply.result {
            Ok(Reply::TemplateSaved(row)) => {
                self.asked = None;
                self.mode = Mode::List;
                ctx.toast(Toast::info(format!(
                    "Saved {} version {} ({} items), inactive; activate it with a",
                    row.form_name, row.version, row.item_count
                )));
                let id = row.id;
                let cmd = self.reload(ctx);
                self.cursor.select(None);
                self.select_after = Some(id);
                cmd
            }
            Ok(Reply::TemplateVersions(rows)) => {
                if let Question::Activate(row) = &asked.question {
                    ctx.toast(Toast::info(format!(
                        "{} version {} is now the active one; new builds use it",
                        row.form_name, row.version
                    )));
                }
                self.asked = None;
                self.set_versions(rows);
                Command::None
            }
            Ok(_) => {
                self.asked = None;
                self.reload(ctx)
            }
            Err(e) => {
                asked.pending = None;
                asked.error = Some(e.user_message());
                Command::None
            }
        }
    }
}

/// Keys in an item's form: Enter moves on (applies on the last field), Ctrl-S applies, Esc leaves
/// (asking once when something was typed).
fn on_item(e: &mut Editor, action: Action) -> Command {
    let Some(f) = e.item.as_mut() else {
        return Command::None;
    };
    let armed = std::mem::take(&mut f.discard_armed);
    match action {
        Action::Cancel if !armed && f.changed() => {
            f.discard_armed = true;
            e.error = Some(
                "Unsaved changes to this item: Esc again discards them, Ctrl-S keeps them".into(),
            );
        }
        Action::Cancel => {
            e.item = None;
            e.error = None;
        }
        Action::Submit if !f.form.is_last() => f.form.next(),
        Action::Submit | Action::Save => apply_item(e),
        other => {
            f.form.handle(other);
        }
    }
    Command::None
}

/// Checks the item's form against the list as it would be with it (the one validation, docs/checklists.md
/// §13) and puts it in the list; the item's problems stay on its form, nothing typed is lost.
fn apply_item(e: &mut Editor) {
    let Some(f) = e.item.as_mut() else {
        return;
    };
    let Some(draft) = f.draft() else {
        e.error = Some("Fix the marked fields".into());
        return;
    };
    let mut items = e.items.items.clone();
    let at = match f.index {
        Some(i) if i < items.len() => {
            items[i] = draft;
            i
        }
        _ => {
            items.push(draft);
            items.len() - 1
        }
    };
    // Keep the list in sequence order, as the form shows it.
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|i| items.get(*i).map(|d| d.sequence));
    let new_at = order.iter().position(|i| *i == at).unwrap_or(at);
    let items: Vec<ItemDraft> = order
        .into_iter()
        .filter_map(|i| items.get(i).cloned())
        .collect();
    let problems: Vec<ItemProblem> = validate_items(
        &format!("template \"{}\"", e.items.key),
        Some(e.items.usage),
        items.clone(),
    )
    .err()
    .unwrap_or_default()
    .into_iter()
    .filter(|p| p.index == Some(new_at))
    .collect();
    if problems.is_empty() {
        e.items.items = items;
        e.items.cursor.select(Some(new_at));
        e.item = None;
        e.error = None;
    } else {
        f.problems = problems;
        f.focus_problem();
        e.error = Some("The item is not valid; nothing was changed in the list".into());
    }
}

impl Screen for TemplatesScreen {
    fn title(&self) -> &'static str {
        match &self.mode {
            Mode::List => "Checklist templates",
            Mode::Version(_) => "Checklist templates › Version",
            Mode::Editor(e) if e.item.is_some() => "Checklist templates › New version › Item",
            Mode::Editor(_) => "Checklist templates › New version",
        }
    }

    fn key_contexts(&self) -> Vec<KeyContext> {
        if self.asked.is_some() {
            return vec![KeyContext::Confirm];
        }
        if self.preview.is_some() {
            return vec![KeyContext::TemplatePreview];
        }
        match &self.mode {
            Mode::List => vec![KeyContext::Templates, KeyContext::List],
            Mode::Version(_) => vec![KeyContext::TemplateVersion, KeyContext::List],
            Mode::Editor(e) => match &e.item {
                Some(f) => {
                    let mut stack = f.form.key_contexts();
                    stack.push(KeyContext::TemplateItem);
                    stack
                }
                None => vec![KeyContext::TemplateEditor, KeyContext::List],
            },
        }
    }

    fn has_unsaved_input(&self) -> bool {
        self.editor().is_some_and(Editor::changed)
    }

    fn accepts_keys(&self) -> bool {
        self.loaded || self.load_error.is_some()
    }

    fn on_action(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        if self.asked.is_some() {
            return self.on_question(action, ctx);
        }
        if self.preview.is_some() {
            return self.on_preview(action, ctx);
        }
        match self.mode {
            Mode::List => self.on_list(action, ctx),
            Mode::Version(_) => self.on_version(action, ctx),
            Mode::Editor(_) => self.on_editor(action, ctx),
        }
    }

    fn on_reply(&mut self, reply: ServiceReply, ctx: &mut Ctx) -> Command {
        if self.loading.answered_by(reply.id) {
            match reply.result {
                Ok(Reply::TemplateVersions(rows)) => {
                    self.set_versions(rows);
                    if let Some(id) = self.select_after.take()
                        && let Some(i) = self.versions.iter().position(|r| r.id == id)
                    {
                        self.cursor.select(Some(i));
                    }
                }
                Ok(_) => {}
                Err(e) => self.load_error = Some(e.user_message()),
            }
            return Command::None;
        }
        if let Some(edit) = self.opening.take(reply.id) {
            match reply.result {
                Ok(Reply::TemplateVersion(v)) => {
                    let items = Items::of(*v);
                    self.mode = if edit {
                        Mode::Editor(Box::new(Editor {
                            original: items.items.clone(),
                            items,
                            item: None,
                            error: None,
                        }))
                    } else {
                        Mode::Version(Box::new(items))
                    };
                }
                Ok(_) => {}
                Err(e) => ctx.toast(Toast::error(e.user_message())),
            }
            return Command::None;
        }
        if let Some(p) = self.preview.as_mut()
            && p.pending == Some(reply.id)
        {
            p.pending = None;
            match reply.result {
                Ok(Reply::TemplatePreview(shown)) => {
                    p.sample = shown.sample;
                    p.shown = Some(*shown);
                }
                Ok(_) => {}
                Err(e) => p.error = Some(e.user_message()),
            }
            return Command::None;
        }
        if self
            .asked
            .as_ref()
            .is_some_and(|a| a.pending == Some(reply.id))
        {
            return self.on_answer(reply, ctx);
        }
        Command::None
    }

    fn text_form(&mut self) -> Option<&mut Form> {
        if self.asked.is_some() || self.preview.is_some() {
            return None;
        }
        match &mut self.mode {
            Mode::Editor(e) => e.item.as_mut().map(|f| &mut f.form),
            _ => None,
        }
    }

    fn view(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        self.draw(frame, area, theme);
    }
}

#[cfg(test)]
mod tests;
