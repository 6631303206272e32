//! The order wizard (workflow.md sections 5-7): five steps for a new PO, or steps 3-4 to edit one build.
//!
//! Everything entered lives in [`state::WizardState`], as typed, and is saved as the user's draft when a
//! step is left. Errors come from `domain::order_rules`; a field shows its error once it has been left
//! or after Next was refused, and Next moves on only when the step has none.

mod form;
mod state;
mod view;

use crate::domain::Role;
use crate::domain::bom::BomPreview;
use crate::domain::order::{AccessoryItem, NewOrder, NumberCheck, OrderStatus};
use crate::domain::order_rules as rules;
use crate::keymap::{Action, HelpLine, KeyContext, Keymap};
use crate::msg::{Command, DbReply, Reply, Request, RequestId};
use crate::screens::{Ctx, Effect, ScreenId, ScreenMsg};
use crate::theme::Theme;
use crate::widgets::form_field::FormField;
use crate::widgets::toast::Toast;
use chrono::NaiveDate;
use form::{Item, Kind, Turned};
use ratatui::Frame;
use ratatui::layout::Rect;
use state::{AttachmentDraft, BuildDraft, Fid, Step, WizardState};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// Whose errors: the header, the build list, or one build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Scope {
    Header,
    Builds,
    Build(usize),
}

#[derive(Debug, Clone, PartialEq)]
enum Phase {
    Loading,
    /// The wizard cannot be used; the message says why.
    Blocked(String),
    Ready,
}

#[derive(Debug, Clone, PartialEq)]
enum Preview {
    Pending(RequestId),
    Ready(BomPreview),
    Failed(String),
}

/// A yes/no question; No leaves everything as it was.
#[derive(Debug, Clone, PartialEq)]
enum Ask {
    RemoveBuilds { keep: usize },
    RemoveBasins { model: String, basins: Vec<usize> },
    ReplaceConfig { source: usize },
    ReplaceAccessories { source: usize },
    LeaveEdit,
}

#[derive(Debug, Clone, PartialEq)]
enum Modal {
    None,
    /// A saved draft was found: resume (y), start over (n) or leave (Esc).
    Resume,
    /// Esc with input: discard (y), keep as a draft and leave (n), or stay (Esc).
    Leave,
    Ask(Ask),
    /// Choosing the build to copy from.
    Picker {
        accessories: bool,
        sources: Vec<usize>,
        selected: usize,
    },
}

/// The line at the bottom of the panel.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Status {
    None,
    Busy(String),
    Error(String),
    Info(String),
}

struct EditTarget {
    order_id: Uuid,
    /// The build as loaded, to tell whether anything changed.
    original: Option<BuildDraft>,
    loaded: bool,
}

/// Step 4's list: a search field, and the cursor over the matching accessories.
struct AccessoryUi {
    search: FormField,
    in_list: bool,
    cursor: usize,
    scroll: usize,
    /// Digits typed for the row under the cursor; moving away starts afresh.
    digits: String,
}

/// Key lines drawn inside the screen, taken from the one binding table.
struct Keys {
    confirm: Vec<HelpLine>,
    question: Vec<HelpLine>,
    picker: Vec<HelpLine>,
    config: Vec<HelpLine>,
    accessories: Vec<HelpLine>,
}

/// A context's lines with every line shown by its first chord.
fn hint_lines(keymap: &Keymap, context: KeyContext) -> Vec<HelpLine> {
    keymap
        .help(&[context])
        .into_iter()
        .flat_map(|(_, lines)| lines)
        .map(|mut l| {
            l.bar_chords = l.chords.iter().take(1).copied().collect();
            l
        })
        .collect()
}

impl Keys {
    fn new(keymap: &Keymap) -> Keys {
        Keys {
            confirm: keymap.key_bar(&[KeyContext::Confirm]),
            question: keymap.key_bar(&[KeyContext::WizardQuestion]),
            picker: keymap.key_bar(&[KeyContext::WizardPicker]),
            config: hint_lines(keymap, KeyContext::WizardConfig),
            accessories: hint_lines(keymap, KeyContext::WizardAccessories),
        }
    }
}

pub struct WizardScreen {
    state: WizardState,
    phase: Phase,
    edit: Option<EditTarget>,
    /// The database's CURRENT_DATE, from the wizard context.
    today: Option<NaiveDate>,
    catalog: Vec<AccessoryItem>,
    focus: Option<Fid>,
    /// Where the focus was in the field list, to land nearby when its field disappears.
    focus_pos: usize,
    /// The focused text field's editor; the state holds the text.
    editor: Option<(Scope, Fid, FormField)>,
    touched: HashSet<(Scope, Fid)>,
    revealed: HashSet<Scope>,
    /// Errors the server found (numbers in use), until the field changes.
    remote: HashMap<(Scope, Fid), String>,
    acc: AccessoryUi,
    previews: Vec<Preview>,
    /// First form row shown; the view keeps the focus in sight.
    scroll: usize,
    review_scroll: usize,
    context_req: Option<RequestId>,
    detail_req: Option<RequestId>,
    check_req: Option<RequestId>,
    attach_req: Option<RequestId>,
    /// The server's refusal of an attachment path: (path, message), shown while that path is entered.
    attach_error: Option<(String, String)>,
    submit_req: Option<RequestId>,
    draft_req: Option<RequestId>,
    saved_draft: Option<serde_json::Value>,
    modal: Modal,
    status: Status,
    /// Submitted or saved: nothing is left to lose.
    done: bool,
    keys: Keys,
}

fn may_create(role: Role) -> bool {
    matches!(role, Role::ProductionCoordinator | Role::Admin)
}

impl WizardScreen {
    fn blank(ctx: &Ctx) -> WizardScreen {
        WizardScreen {
            state: WizardState::default(),
            phase: Phase::Loading,
            edit: None,
            today: None,
            catalog: Vec::new(),
            focus: Some(Fid::PoNumber),
            focus_pos: 0,
            editor: None,
            touched: HashSet::new(),
            revealed: HashSet::new(),
            remote: HashMap::new(),
            acc: AccessoryUi {
                search: FormField::text("Search").with_max_len(40),
                in_list: false,
                cursor: 0,
                scroll: 0,
                digits: String::new(),
            },
            previews: Vec::new(),
            scroll: 0,
            review_scroll: 0,
            context_req: None,
            detail_req: None,
            check_req: None,
            attach_req: None,
            attach_error: None,
            submit_req: None,
            draft_req: None,
            saved_draft: None,
            modal: Modal::None,
            status: Status::None,
            done: false,
            keys: Keys::new(ctx.keymap()),
        }
    }

    /// A new PO: loads today, the accessories and the user's saved draft.
    pub fn open(ctx: &mut Ctx) -> (WizardScreen, Command) {
        let mut s = WizardScreen::blank(ctx);
        let Some(session) = ctx.session() else {
            return (s, Command::None);
        };
        let role = session.user.role;
        if !may_create(role) {
            s.phase = Phase::Blocked(format!("Your role ({}) cannot create orders", role.code()));
            return (s, Command::None);
        }
        let Some(token) = ctx.token() else {
            return (s, Command::None);
        };
        let (id, cmd) = ctx.request(Request::WizardContext { token });
        s.context_req = Some(id);
        (s, cmd)
    }

    /// Steps 3-4 for one existing build, saved with `UpdateBuild`.
    pub fn edit(order_id: Uuid, ctx: &mut Ctx) -> (WizardScreen, Command) {
        let mut s = WizardScreen::blank(ctx);
        s.edit = Some(EditTarget {
            order_id,
            original: None,
            loaded: false,
        });
        s.state.step = Step::Configuration;
        let Some(token) = ctx.token() else {
            return (s, Command::None);
        };
        let (id, a) = ctx.request(Request::WizardContext {
            token: token.clone(),
        });
        s.context_req = Some(id);
        let (id, b) = ctx.request(Request::OrderDetail { token, order_id });
        s.detail_req = Some(id);
        (s, a.and(b))
    }

    pub fn title(&self) -> &'static str {
        if self.edit.is_some() {
            "Edit build"
        } else {
            "New order"
        }
    }

    fn step(&self) -> Step {
        self.state.step
    }

    fn selected(&self) -> usize {
        self.state.selected
    }

    fn scope(&self) -> Scope {
        scope_of(self.step(), self.selected())
    }

    fn focus_kind(&self) -> Option<Kind> {
        let fid = self.focus?;
        Some(form::spec(&self.state, self.selected(), fid, self.today).kind)
    }

    pub fn key_contexts(&self) -> Vec<KeyContext> {
        match &self.modal {
            Modal::Resume | Modal::Leave => return vec![KeyContext::WizardQuestion],
            Modal::Ask(_) => return vec![KeyContext::Confirm],
            Modal::Picker { .. } => return vec![KeyContext::WizardPicker, KeyContext::List],
            Modal::None => {}
        }
        if self.phase != Phase::Ready {
            return vec![KeyContext::WizardClosed];
        }
        let step = self.step();
        let mut stack = Vec::new();
        if self.edit.is_some() {
            stack.push(KeyContext::WizardEdit);
        }
        if step == Step::Review {
            stack.push(KeyContext::WizardReview);
        }
        stack.push(KeyContext::Wizard);
        if step >= Step::Configuration && self.edit.is_none() {
            stack.push(KeyContext::WizardBuilds);
        }
        match step {
            Step::Configuration => stack.push(KeyContext::WizardConfig),
            Step::Accessories => {
                // In the list the arrows change quantities; in the search field they move the cursor.
                if self.acc.in_list {
                    stack.extend([KeyContext::WizardAccessories, KeyContext::TextInput]);
                } else {
                    stack.extend([KeyContext::TextInput, KeyContext::WizardAccessories]);
                }
                return stack;
            }
            _ => {}
        }
        match self.focus_kind() {
            Some(Kind::Text { .. }) => stack.push(KeyContext::TextInput),
            Some(Kind::Choice(_)) => stack.push(KeyContext::Choice),
            _ => {}
        }
        stack
    }

    pub fn has_unsaved_input(&self) -> bool {
        if self.done || self.phase != Phase::Ready {
            return false;
        }
        match &self.edit {
            Some(e) => e.original.as_ref() != self.state.builds.first(),
            None => self.state.has_input(),
        }
    }

    pub fn update(&mut self, msg: ScreenMsg, ctx: &mut Ctx) -> Command {
        match msg {
            ScreenMsg::Char(c) => {
                self.on_char(c);
                Command::None
            }
            ScreenMsg::Paste(text) => {
                self.on_paste(&text);
                Command::None
            }
            ScreenMsg::Action(action) => self.on_action(action, ctx),
            ScreenMsg::Db(reply) => self.on_reply(reply, ctx),
            ScreenMsg::Tick(_) => Command::None,
        }
    }

    // ----- errors -------------------------------------------------------------------------------------

    /// Every error of `step` (for build `b` in steps 3-4), visible or not.
    fn step_errors(&self, step: Step, b: usize) -> Vec<(Fid, String)> {
        let mut errors = match step {
            Step::Customer => self
                .today
                .map(|t| self.state.header.errors(t))
                .unwrap_or_default(),
            Step::Builds => self.state.build_errors(),
            Step::Configuration => self
                .state
                .builds
                .get(b)
                .map(|d| d.config_errors(self.state.family))
                .unwrap_or_default(),
            Step::Accessories => self
                .state
                .builds
                .get(b)
                .map(|d| d.accessory_errors(self.state.family))
                .unwrap_or_default(),
            Step::Review => Vec::new(),
        };
        let scope = scope_of(step, b);
        for ((s, f), m) in &self.remote {
            if *s == scope && !errors.iter().any(|(g, _)| g == f) {
                errors.push((*f, m.clone()));
            }
        }
        errors
    }

    /// True when `step` has no error in any build.
    fn step_ok(&self, step: Step) -> bool {
        match step {
            Step::Customer | Step::Builds => self.step_errors(step, 0).is_empty(),
            Step::Configuration | Step::Accessories => {
                (0..self.state.builds.len()).all(|b| self.step_errors(step, b).is_empty())
            }
            Step::Review => true,
        }
    }

    /// The errors shown now: of fields left already, or all after a refused Next.
    fn visible_errors(&self) -> HashMap<Fid, String> {
        let scope = self.scope();
        let all = self.revealed.contains(&scope);
        let mut errors: HashMap<Fid, String> = self
            .step_errors(self.step(), self.selected())
            .into_iter()
            .filter(|(f, _)| all || self.touched.contains(&(scope, *f)))
            .collect();
        // Not a step error: a refused file only stays unadded, it does not hold the step back.
        if self.step() == Step::Customer
            && let Some((path, message)) = &self.attach_error
            && *path == self.state.attach_path
        {
            errors.insert(Fid::AttachPath, message.clone());
        }
        errors
    }

    fn touch(&mut self, fid: Fid) {
        let scope = self.scope();
        self.touched.insert((scope, fid));
        if let Some(section) = fid.section() {
            self.touched.insert((scope, section));
        }
    }

    /// Shows every error of the current step and puts the focus on the first.
    fn reveal(&mut self) {
        self.revealed.insert(self.scope());
        let errors = self.step_errors(self.step(), self.selected());
        let fields = self.fields();
        let first = errors
            .iter()
            .filter_map(|(f, _)| {
                let f = match f {
                    Fid::Faucets => Fid::AddFaucet,
                    Fid::Sprayers => Fid::AddSprayer,
                    Fid::Basins => Fid::Model,
                    other => *other,
                };
                fields.iter().position(|g| *g == f)
            })
            .min();
        if let Some(i) = first {
            self.set_focus(fields.get(i).copied());
        }
    }

    // ----- focus --------------------------------------------------------------------------------------

    fn items(&self) -> Vec<Item> {
        form::items(&self.state, self.step(), self.selected())
    }

    fn fields(&self) -> Vec<Fid> {
        form::focusable(&self.items())
    }

    /// Moves the focus; the field left is checked from now on.
    fn set_focus(&mut self, fid: Option<Fid>) {
        if fid == self.focus {
            return;
        }
        self.leave_field();
        self.focus = fid;
        self.editor = None;
        if let Some(f) = fid
            && let Some(i) = self.fields().iter().position(|g| *g == f)
        {
            self.focus_pos = i;
        }
    }

    fn leave_field(&mut self) {
        let Some(fid) = self.focus else {
            return;
        };
        self.touch(fid);
        if fid == Fid::Count {
            self.apply_count();
        }
    }

    /// After the fields changed (a row added, a build switched): the focus stays or lands nearby.
    fn fix_focus(&mut self) {
        let fields = self.fields();
        match self.focus.and_then(|f| fields.iter().position(|g| *g == f)) {
            Some(i) => self.focus_pos = i,
            None => {
                self.focus = fields
                    .get(self.focus_pos.min(fields.len().saturating_sub(1)))
                    .copied();
                self.editor = None;
            }
        }
    }

    fn move_focus(&mut self, forward: bool, wrap: bool) {
        let fields = self.fields();
        if fields.is_empty() {
            return;
        }
        let n = fields.len();
        let i = self
            .focus
            .and_then(|f| fields.iter().position(|g| *g == f))
            .unwrap_or(self.focus_pos.min(n - 1));
        let next = match (forward, wrap) {
            (true, true) => (i + 1) % n,
            (false, true) => (i + n - 1) % n,
            (true, false) => (i + 1).min(n - 1),
            (false, false) => i.saturating_sub(1),
        };
        self.set_focus(fields.get(next).copied());
    }

    fn is_last_field(&self) -> bool {
        self.fields().last().copied() == self.focus
    }

    /// The focused text field's editor, made from the state when missing.
    fn editor_mut(&mut self) -> Option<&mut FormField> {
        let fid = self.focus?;
        let scope = self.scope();
        let fresh = !matches!(&self.editor, Some((s, f, _)) if *s == scope && *f == fid);
        if fresh {
            let spec = form::spec(&self.state, self.selected(), fid, self.today);
            let Kind::Text { value, max_len } = spec.kind else {
                self.editor = None;
                return None;
            };
            let mut field = FormField::text(spec.label).with_max_len(max_len);
            field.set_value(&value);
            self.editor = Some((scope, fid, field));
        }
        self.editor.as_mut().map(|(_, _, f)| f)
    }

    /// Copies the editor's text into the state; a changed field loses the server's error.
    fn sync_editor(&mut self) {
        let Some((scope, fid, field)) = &self.editor else {
            return;
        };
        let (scope, fid, value) = (*scope, *fid, field.value());
        let b = self.selected();
        if let Some(text) = form::text_mut(&mut self.state, b, fid)
            && *text != value
        {
            *text = value;
            self.remote.remove(&(scope, fid));
            if matches!(self.status, Status::Error(_)) {
                self.status = Status::None;
            }
        }
    }

    fn on_char(&mut self, c: char) {
        if self.modal != Modal::None || self.phase != Phase::Ready {
            return;
        }
        if matches!(self.status, Status::Info(_)) {
            self.status = Status::None;
        }
        if self.step() == Step::Accessories {
            self.accessory_char(c);
            return;
        }
        if let Some(field) = self.editor_mut()
            && field.type_char(c)
        {
            self.sync_editor();
        }
    }

    fn on_paste(&mut self, text: &str) {
        if self.modal != Modal::None || self.phase != Phase::Ready {
            return;
        }
        if self.step() == Step::Accessories {
            if !self.acc.in_list && self.acc.search.paste(text) {
                self.acc.cursor = 0;
            }
            return;
        }
        if let Some(field) = self.editor_mut()
            && field.paste(text)
        {
            self.sync_editor();
        }
    }

    // ----- actions ------------------------------------------------------------------------------------

    fn on_action(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        // A confirmation is read by the next key.
        if matches!(self.status, Status::Info(_)) {
            self.status = Status::None;
        }
        match self.modal {
            Modal::Resume => return self.on_resume(action, ctx),
            Modal::Leave => return self.on_leave(action, ctx),
            Modal::Ask(_) => return self.on_ask(action, ctx),
            Modal::Picker { .. } => {
                self.on_picker(action);
                return Command::None;
            }
            Modal::None => {}
        }
        if self.phase != Phase::Ready {
            if matches!(action, Action::Back | Action::Cancel) {
                self.leave(ctx);
            }
            return Command::None;
        }
        match action {
            Action::NextStep => self.next_step(ctx),
            Action::PrevStep => self.prev_step(ctx),
            // While the order or the build is being saved, its outcome decides where to go.
            Action::Cancel if self.submit_req.is_some() => Command::None,
            Action::Cancel => {
                self.cancel(ctx);
                Command::None
            }
            Action::NextBuild | Action::PrevBuild => {
                self.switch_build(action == Action::NextBuild);
                Command::None
            }
            Action::Save => self.save(ctx),
            Action::Submit => self.submit(ctx),
            Action::CopyFrom => {
                self.open_picker();
                Command::None
            }
            other => {
                match self.step() {
                    Step::Accessories => self.accessory_action(other),
                    Step::Review => self.review_action(other),
                    _ => return self.form_action(other, ctx),
                }
                Command::None
            }
        }
    }

    fn form_action(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        let Some(fid) = self.focus else {
            return Command::None;
        };
        let button = matches!(self.focus_kind(), Some(Kind::Button(_)));
        match action {
            Action::NextField => self.move_focus(true, true),
            Action::PrevField => self.move_focus(false, true),
            Action::Down => self.move_focus(true, false),
            Action::Up => self.move_focus(false, false),
            Action::Accept
                if matches!(fid, Fid::AttachPath | Fid::AttachType)
                    && !self.state.attach_path.trim().is_empty() =>
            {
                return self.check_attachment(ctx);
            }
            Action::Accept if button => self.press(fid),
            // Enter on the last field goes on, like a Next button under the form.
            Action::Accept if self.is_last_field() => return self.next_step(ctx),
            Action::Accept => self.move_focus(true, false),
            Action::NextChoice if button => self.press(fid),
            Action::NextChoice | Action::PrevChoice => {
                self.turn(fid, action == Action::NextChoice);
            }
            Action::RemoveRow => self.remove_row(fid),
            other => {
                if let Some(field) = self.editor_mut()
                    && field.edit(other)
                {
                    self.sync_editor();
                }
            }
        }
        Command::None
    }

    fn turn(&mut self, fid: Fid, forward: bool) {
        let b = self.selected();
        match form::turn_choice(&mut self.state, b, fid, forward) {
            Turned::No => return,
            Turned::Done => {}
            Turned::ConfirmModel { model, basins } => {
                self.modal = Modal::Ask(Ask::RemoveBasins { model, basins });
                return;
            }
        }
        // A choice is decided at once: its error (e.g. a family not yet available) shows now.
        self.touch(fid);
        self.fix_focus();
    }

    /// The "+ Add faucet" and "+ Add sprayer" rows.
    fn press(&mut self, fid: Fid) {
        let b = self.selected();
        let Some(build) = self.state.builds.get_mut(b) else {
            return;
        };
        let focus = match fid {
            Fid::AddFaucet => form::add_row(build, true),
            Fid::AddSprayer => form::add_row(build, false),
            _ => return,
        };
        self.touch(fid);
        self.set_focus(Some(focus));
    }

    fn remove_row(&mut self, fid: Fid) {
        if let Fid::Attachment(i) = fid {
            if i < self.state.attachments.len() {
                self.state.attachments.remove(i);
                self.focus = Some(if i < self.state.attachments.len() {
                    Fid::Attachment(i)
                } else {
                    Fid::AttachPath
                });
                self.editor = None;
                self.fix_focus();
            }
            return;
        }
        let b = self.selected();
        let Some(build) = self.state.builds.get_mut(b) else {
            return;
        };
        match form::remove_row(build, fid) {
            Some(next) => {
                self.touch(fid);
                self.focus = Some(next);
                self.editor = None;
                self.fix_focus();
            }
            None => {
                self.status = Status::Info("Move to a faucet or sprayer row to remove it.".into());
            }
        }
    }

    fn switch_build(&mut self, forward: bool) {
        if self.step() < Step::Configuration || self.edit.is_some() {
            return;
        }
        self.leave_field();
        let n = self.state.builds.len();
        let b = self.selected();
        let next = if forward {
            (b + 1).min(n.saturating_sub(1))
        } else {
            b.saturating_sub(1)
        };
        if next == b {
            return;
        }
        self.state.selected = next;
        self.reset_view();
    }

    /// A fresh start of the step's view: first field, top of lists.
    fn reset_view(&mut self) {
        self.editor = None;
        self.scroll = 0;
        self.review_scroll = 0;
        self.focus_pos = 0;
        self.focus = self.fields().first().copied();
        self.acc.cursor = 0;
        self.acc.scroll = 0;
        self.acc.digits.clear();
        self.acc.in_list = false;
        self.acc.search.clear();
    }

    // ----- step 2: the number of sinks ----------------------------------------------------------------

    /// Makes the build list follow the typed count; asks before dropping builds with input.
    fn apply_count(&mut self) {
        let Ok(n) = rules::parse_build_count(&self.state.count) else {
            return;
        };
        let len = self.state.builds.len();
        if n > len {
            self.state.builds.resize_with(n, BuildDraft::default);
        } else if n < len {
            if self.state.builds[n..].iter().any(BuildDraft::has_input) {
                self.modal = Modal::Ask(Ask::RemoveBuilds { keep: n });
                return;
            }
            self.remove_builds(n);
        }
    }

    fn remove_builds(&mut self, keep: usize) {
        self.state.builds.truncate(keep.max(1));
        self.state.selected = self.state.selected.min(self.state.builds.len() - 1);
        self.remote.retain(
            |(s, f), _| !matches!((s, f), (Scope::Builds, Fid::BuildNumber(i)) if *i >= keep),
        );
        self.touched
            .retain(|(s, _)| !matches!(s, Scope::Build(i) if *i >= keep));
        self.revealed
            .retain(|s| !matches!(s, Scope::Build(i) if *i >= keep));
        self.fix_focus();
    }

    // ----- steps --------------------------------------------------------------------------------------

    fn next_step(&mut self, ctx: &mut Ctx) -> Command {
        if self.check_req.is_some() || self.submit_req.is_some() {
            return Command::None;
        }
        self.leave_field();
        if self.modal != Modal::None {
            return Command::None;
        }
        let step = self.step();
        if self.edit.is_some() && step == Step::Accessories {
            return self.save(ctx);
        }
        match step {
            Step::Customer | Step::Builds => {
                if !self.step_errors(step, 0).is_empty() {
                    return self.refuse();
                }
                self.check_numbers(ctx)
            }
            Step::Configuration | Step::Accessories => {
                let bad: Vec<usize> = (0..self.state.builds.len())
                    .filter(|b| !self.step_errors(step, *b).is_empty())
                    .collect();
                if let Some(first) = bad.first() {
                    for b in &bad {
                        self.revealed.insert(scope_of(step, *b));
                    }
                    if *first != self.selected() {
                        self.state.selected = *first;
                        self.reset_view();
                    }
                    return self.refuse();
                }
                match step.next() {
                    Some(next) => self.go(next, ctx),
                    None => Command::None,
                }
            }
            Step::Review => self.submit(ctx),
        }
    }

    fn refuse(&mut self) -> Command {
        self.reveal();
        self.status = Status::Error(match self.step() {
            Step::Configuration | Step::Accessories if self.state.builds.len() > 1 => format!(
                "Correct the marked fields of {} to continue.",
                self.state.build_label(self.selected())
            ),
            _ => "Correct the marked fields to continue.".into(),
        });
        Command::None
    }

    fn prev_step(&mut self, ctx: &mut Ctx) -> Command {
        if self.submit_req.is_some() {
            return Command::None;
        }
        self.leave_field();
        if self.modal != Modal::None {
            return Command::None;
        }
        let first = if self.edit.is_some() {
            Step::Configuration
        } else {
            Step::Customer
        };
        match self.step().prev() {
            Some(p) if p >= first => {
                // An answer still on its way is for the step being left.
                self.check_req = None;
                self.go(p, ctx)
            }
            _ => Command::None,
        }
    }

    /// Enters `step`; leaving a step saves the draft.
    fn go(&mut self, step: Step, ctx: &mut Ctx) -> Command {
        self.state.step = step;
        self.status = Status::None;
        // The review reads from the first build; the other steps stay on the build in hand.
        self.state.selected = if step == Step::Review {
            0
        } else {
            self.selected().min(self.state.builds.len() - 1)
        };
        self.reset_view();
        let mut cmd = self.save_draft(ctx);
        if step == Step::Review {
            cmd = cmd.and(self.request_previews(ctx));
        }
        cmd
    }

    fn check_numbers(&mut self, ctx: &mut Ctx) -> Command {
        let Some(token) = ctx.token() else {
            return Command::None;
        };
        let build_numbers = if self.step() == Step::Builds {
            self.state
                .builds
                .iter()
                .map(|b| b.number.trim().to_string())
                .collect()
        } else {
            Vec::new()
        };
        let (id, cmd) = ctx.request(Request::CheckNumbers {
            token,
            po_number: self.state.header.po_number.trim().to_string(),
            build_numbers,
        });
        self.check_req = Some(id);
        self.status = Status::Busy("… Checking that the numbers are new".into());
        cmd
    }

    /// Asks the service whether the entered file may be attached.
    fn check_attachment(&mut self, ctx: &mut Ctx) -> Command {
        if self.attach_req.is_some() {
            return Command::None;
        }
        let Some(token) = ctx.token() else {
            return Command::None;
        };
        let (id, cmd) = ctx.request(Request::CheckAttachment {
            token,
            path: self.state.attach_path.trim().to_string(),
        });
        self.attach_req = Some(id);
        self.status = Status::Busy("… Checking the file".into());
        cmd
    }

    fn on_attachment(&mut self, reply: DbReply) {
        if matches!(self.status, Status::Busy(_)) {
            self.status = Status::None;
        }
        let path = self.state.attach_path.clone();
        match reply.result {
            Ok(Reply::AttachmentChecked(info)) => {
                self.state.attachments.push(AttachmentDraft {
                    path: path.trim().to_string(),
                    document_type: self.state.attach_type,
                    name: info.name,
                    size: info.size,
                });
                self.state.attach_path.clear();
                self.attach_error = None;
                if self.focus == Some(Fid::AttachPath) {
                    self.editor = None;
                }
                self.fix_focus();
            }
            Ok(_) => {}
            Err(e) => self.attach_error = Some((path, e.user_message())),
        }
    }

    fn on_numbers(&mut self, check: NumberCheck, ctx: &mut Ctx) -> Command {
        let po = self.state.header.po_number.trim().to_string();
        if check.po_taken.is_some() {
            self.remote
                .insert((Scope::Header, Fid::PoNumber), rules::po_number_exists(&po));
        }
        for (number, in_po) in &check.builds_taken {
            if let Some(i) = self
                .state
                .builds
                .iter()
                .position(|b| b.number.trim().eq_ignore_ascii_case(number.trim()))
            {
                self.remote.insert(
                    (Scope::Builds, Fid::BuildNumber(i)),
                    rules::build_number_exists(self.state.builds[i].number.trim(), in_po),
                );
            }
        }
        if !self.step_errors(self.step(), 0).is_empty() {
            return self.refuse();
        }
        if check.po_taken.is_some() {
            // Another station took the PO number while this one was on step 2.
            self.status = Status::Error(format!(
                "{}: change it in step 1.",
                rules::po_number_exists(&po)
            ));
            return Command::None;
        }
        match self.step().next() {
            Some(next) => self.go(next, ctx),
            None => Command::None,
        }
    }

    // ----- drafts, leaving ----------------------------------------------------------------------------

    fn save_draft(&mut self, ctx: &mut Ctx) -> Command {
        if self.edit.is_some() || self.done {
            return Command::None;
        }
        let (Some(token), Ok(draft)) = (ctx.token(), serde_json::to_value(&self.state)) else {
            return Command::None;
        };
        let (id, cmd) = ctx.request(Request::SaveDraft { token, draft });
        self.draft_req = Some(id);
        cmd
    }

    fn discard_draft(ctx: &mut Ctx) -> Command {
        match ctx.token() {
            Some(token) => ctx.request(Request::DiscardDraft { token }).1,
            None => Command::None,
        }
    }

    /// Where Esc leads: the build's detail when editing, else home.
    fn leave(&mut self, ctx: &mut Ctx) {
        let target = match &self.edit {
            Some(e) => ScreenId::OrderDetail(e.order_id),
            None => ScreenId::Home,
        };
        self.done = true;
        ctx.emit(Effect::Navigate(target));
    }

    fn cancel(&mut self, ctx: &mut Ctx) {
        if !self.has_unsaved_input() {
            self.leave(ctx);
        } else if self.edit.is_some() {
            self.modal = Modal::Ask(Ask::LeaveEdit);
        } else {
            self.leave_field();
            if self.modal == Modal::None {
                self.modal = Modal::Leave;
            }
        }
    }

    fn on_leave(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        match action {
            Action::Yes => {
                self.modal = Modal::None;
                let cmd = Self::discard_draft(ctx);
                ctx.toast(Toast::info("Order discarded"));
                self.leave(ctx);
                cmd
            }
            Action::No => {
                self.modal = Modal::None;
                let cmd = self.save_draft(ctx);
                ctx.toast(Toast::info(
                    "Order kept as a draft: New order offers to resume it",
                ));
                self.leave(ctx);
                cmd
            }
            Action::Cancel => {
                self.modal = Modal::None;
                Command::None
            }
            _ => Command::None,
        }
    }

    fn on_resume(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        match action {
            Action::Yes => {
                self.modal = Modal::None;
                match self.saved_draft.take().and_then(WizardState::from_draft) {
                    Some(state) => {
                        self.state = state;
                        self.reset_view();
                        if self.step() == Step::Review {
                            return self.request_previews(ctx);
                        }
                        Command::None
                    }
                    None => {
                        ctx.toast(Toast::error(
                            "The saved order could not be read; a new order is started",
                        ));
                        Self::discard_draft(ctx)
                    }
                }
            }
            Action::No => {
                self.modal = Modal::None;
                self.saved_draft = None;
                Self::discard_draft(ctx)
            }
            Action::Cancel => {
                self.modal = Modal::None;
                self.leave(ctx);
                Command::None
            }
            _ => Command::None,
        }
    }

    fn on_ask(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        let Modal::Ask(ask) = std::mem::replace(&mut self.modal, Modal::None) else {
            return Command::None;
        };
        let yes = match action {
            Action::Yes => true,
            Action::No => false,
            _ => {
                self.modal = Modal::Ask(ask);
                return Command::None;
            }
        };
        let b = self.selected();
        match ask {
            Ask::RemoveBuilds { keep } => {
                if yes {
                    self.remove_builds(keep);
                } else {
                    self.state.count = self.state.builds.len().to_string();
                    self.editor = None;
                }
            }
            Ask::RemoveBasins { model, .. } => {
                if yes && let Some(build) = self.state.builds.get_mut(b) {
                    build.set_model(&model);
                    self.touch(Fid::Model);
                    self.fix_focus();
                }
            }
            Ask::ReplaceConfig { source } => {
                if yes {
                    self.copy_config(source);
                }
            }
            Ask::ReplaceAccessories { source } => {
                if yes {
                    self.copy_accessories(source);
                }
            }
            Ask::LeaveEdit => {
                if yes {
                    self.leave(ctx);
                }
            }
        }
        Command::None
    }

    // ----- copy from another build --------------------------------------------------------------------

    fn open_picker(&mut self) {
        let step = self.step();
        if self.edit.is_some() {
            self.status = Status::Info(
                "Copying needs the other builds of the PO: use the new-order wizard.".into(),
            );
            return;
        }
        if !matches!(step, Step::Configuration | Step::Accessories) {
            return;
        }
        let b = self.selected();
        let sources: Vec<usize> = (0..self.state.builds.len()).filter(|i| *i != b).collect();
        if sources.is_empty() {
            self.status = Status::Info("This PO has no other build to copy from.".into());
            return;
        }
        self.modal = Modal::Picker {
            accessories: step == Step::Accessories,
            sources,
            selected: 0,
        };
    }

    fn on_picker(&mut self, action: Action) {
        let Modal::Picker {
            accessories,
            sources,
            selected,
        } = &mut self.modal
        else {
            return;
        };
        let last = sources.len().saturating_sub(1);
        match action {
            Action::Up | Action::PageUp | Action::First => {
                *selected = if action == Action::Up {
                    selected.saturating_sub(1)
                } else {
                    0
                };
            }
            Action::Down | Action::PageDown | Action::Last => {
                *selected = if action == Action::Down {
                    (*selected + 1).min(last)
                } else {
                    last
                };
            }
            Action::Cancel => self.modal = Modal::None,
            Action::Choose => {
                let (accessories, source) = (*accessories, sources.get(*selected).copied());
                self.modal = Modal::None;
                let Some(source) = source else {
                    return;
                };
                let Some(target) = self.state.builds.get(self.selected()) else {
                    return;
                };
                if accessories {
                    if target.accessories.is_empty() {
                        self.copy_accessories(source);
                    } else {
                        self.modal = Modal::Ask(Ask::ReplaceAccessories { source });
                    }
                } else {
                    let mut bare = target.clone();
                    bare.accessories.clear();
                    if bare.has_config() {
                        self.modal = Modal::Ask(Ask::ReplaceConfig { source });
                    } else {
                        self.copy_config(source);
                    }
                }
            }
            _ => {}
        }
    }

    fn copy_config(&mut self, source: usize) {
        let b = self.selected();
        let Some(from) = self.state.builds.get(source).cloned() else {
            return;
        };
        if let Some(target) = self.state.builds.get_mut(b) {
            target.copy_config_from(&from);
        }
        self.editor = None;
        self.fix_focus();
        self.status = Status::Info(format!(
            "Copied the configuration of {} to {}.",
            self.state.build_label(source),
            self.state.build_label(b)
        ));
    }

    fn copy_accessories(&mut self, source: usize) {
        let b = self.selected();
        let Some(lines) = self.state.builds.get(source).map(|s| s.accessories.clone()) else {
            return;
        };
        if let Some(target) = self.state.builds.get_mut(b) {
            target.accessories = lines;
        }
        self.status = Status::Info(format!(
            "Copied the accessories of {} to {}.",
            self.state.build_label(source),
            self.state.build_label(b)
        ));
    }

    // ----- step 4: accessories ------------------------------------------------------------------------

    /// The catalog entries matching the search, grouped by subcategory (702, 703, 704, 705).
    fn matching(&self) -> Vec<usize> {
        let query = self.acc.search.value().to_lowercase();
        let terms: Vec<&str> = query.split_whitespace().collect();
        let mut v: Vec<usize> = (0..self.catalog.len())
            .filter(|i| {
                let a = &self.catalog[*i];
                let hay = format!("{} {}", a.id, a.name).to_lowercase();
                terms.iter().all(|t| hay.contains(t))
            })
            .collect();
        v.sort_by_key(|i| view::group_code(&self.catalog[*i].subcategory));
        v
    }

    fn cursor_id(&self) -> Option<String> {
        let m = self.matching();
        m.get(self.acc.cursor.min(m.len().saturating_sub(1)))
            .map(|i| self.catalog[*i].id.clone())
    }

    fn move_cursor(&mut self, to: usize) {
        let n = self.matching().len();
        let to = to.min(n.saturating_sub(1));
        if to != self.acc.cursor {
            self.acc.digits.clear();
        }
        self.acc.cursor = to;
    }

    fn set_qty(&mut self, qty: i32) {
        let Some(id) = self.cursor_id() else {
            return;
        };
        let b = self.selected();
        if let Some(build) = self.state.builds.get_mut(b) {
            build.set_accessory_qty(&id, qty);
        }
    }

    fn qty(&self) -> i32 {
        match (self.cursor_id(), self.state.builds.get(self.selected())) {
            (Some(id), Some(b)) => b.accessory_qty(&id),
            _ => 0,
        }
    }

    fn accessory_char(&mut self, c: char) {
        if !self.acc.in_list {
            if self.acc.search.type_char(c) {
                self.acc.cursor = 0;
            }
            return;
        }
        match c {
            '0'..='9' => {
                if self.acc.digits.len() >= 2 {
                    self.acc.digits.clear();
                }
                self.acc.digits.push(c);
                let qty = self.acc.digits.parse().unwrap_or(0);
                self.set_qty(qty);
            }
            '+' => self.set_qty(self.qty() + 1),
            '-' => self.set_qty(self.qty() - 1),
            ' ' => {}
            // Any other key searches: typing a name needs no key to get there first.
            other => {
                self.acc.in_list = false;
                self.acc.digits.clear();
                if self.acc.search.type_char(other) {
                    self.acc.cursor = 0;
                }
            }
        }
    }

    fn accessory_action(&mut self, action: Action) {
        if !self.acc.in_list {
            match action {
                Action::NextField | Action::PrevField | Action::Down | Action::Accept => {
                    self.acc.in_list = true;
                    self.move_cursor(0);
                }
                other => {
                    if self.acc.search.edit(other) {
                        self.acc.cursor = 0;
                    }
                }
            }
            return;
        }
        let cur = self.acc.cursor;
        match action {
            Action::NextField | Action::PrevField => {
                self.acc.in_list = false;
                self.acc.digits.clear();
            }
            Action::Up if cur == 0 => {
                self.acc.in_list = false;
                self.acc.digits.clear();
            }
            Action::Up => self.move_cursor(cur - 1),
            Action::Down => self.move_cursor(cur + 1),
            Action::LineStart => self.move_cursor(0),
            Action::LineEnd => self.move_cursor(usize::MAX),
            Action::Increase => {
                self.acc.digits.clear();
                self.set_qty(self.qty() + 1);
            }
            Action::Decrease => {
                self.acc.digits.clear();
                self.set_qty(self.qty() - 1);
            }
            Action::Accept | Action::NextChoice if self.qty() == 0 => self.set_qty(1),
            Action::DeleteBack => {
                if self.acc.digits.pop().is_none() {
                    self.acc.digits = (self.qty() / 10).to_string();
                }
                let qty = self.acc.digits.parse().unwrap_or(0);
                self.set_qty(qty);
            }
            Action::RemoveRow | Action::ClearField | Action::DeleteForward => {
                self.acc.digits.clear();
                self.set_qty(0);
            }
            _ => {}
        }
    }

    fn review_action(&mut self, action: Action) {
        match action {
            Action::Down | Action::NextField => self.review_scroll += 1,
            Action::Up | Action::PrevField => {
                self.review_scroll = self.review_scroll.saturating_sub(1);
            }
            _ => {}
        }
    }

    // ----- step 5: preview and submit -----------------------------------------------------------------

    fn request_previews(&mut self, ctx: &mut Ctx) -> Command {
        let Some(token) = ctx.token() else {
            return Command::None;
        };
        let language = self.state.header.language;
        let family = self.state.family;
        let mut cmd = Command::None;
        self.previews = Vec::new();
        for b in &self.state.builds {
            let (id, c) = ctx.request(Request::PreviewBom {
                token: token.clone(),
                language,
                build: Box::new(b.to_config(family)),
            });
            self.previews.push(Preview::Pending(id));
            cmd = cmd.and(c);
        }
        cmd
    }

    /// Why Submit is not available now, if it is not.
    fn submit_blocker(&self) -> Option<String> {
        for step in [
            Step::Customer,
            Step::Builds,
            Step::Configuration,
            Step::Accessories,
        ] {
            if !self.step_ok(step) {
                return Some(format!(
                    "Step {} ({}) has errors: go back and correct them.",
                    step.number(),
                    step.short()
                ));
            }
        }
        if self.previews.len() != self.state.builds.len()
            || self
                .previews
                .iter()
                .any(|p| matches!(p, Preview::Pending(_)))
        {
            return Some("… Generating the BOM previews".into());
        }
        self.previews.iter().find_map(|p| match p {
            Preview::Failed(m) => Some(m.clone()),
            _ => None,
        })
    }

    fn new_order(&self) -> Option<NewOrder> {
        let header = self.state.header.to_header(self.today?)?;
        let builds = self
            .state
            .builds
            .iter()
            .map(|b| b.to_config(self.state.family))
            .collect();
        let attachments = self
            .state
            .attachments
            .iter()
            .map(AttachmentDraft::to_spec)
            .collect();
        Some(NewOrder {
            header,
            builds,
            attachments,
        })
    }

    fn submit(&mut self, ctx: &mut Ctx) -> Command {
        if self.step() != Step::Review || self.submit_req.is_some() || self.edit.is_some() {
            return Command::None;
        }
        if let Some(reason) = self.submit_blocker() {
            self.status = Status::Error(reason);
            return Command::None;
        }
        let (Some(order), Some(token)) = (self.new_order(), ctx.token()) else {
            return Command::None;
        };
        let (id, cmd) = ctx.request(Request::CreateOrder {
            token,
            order: Box::new(order),
        });
        self.submit_req = Some(id);
        self.status = Status::Busy("… Creating the order".into());
        cmd
    }

    fn save(&mut self, ctx: &mut Ctx) -> Command {
        let Some(order_id) = self.edit.as_ref().map(|e| e.order_id) else {
            return Command::None;
        };
        if self.submit_req.is_some() {
            return Command::None;
        }
        self.leave_field();
        for step in [Step::Configuration, Step::Accessories] {
            if !self.step_errors(step, 0).is_empty() {
                if self.step() != step {
                    self.state.step = step;
                    self.reset_view();
                }
                self.reveal();
                self.status = Status::Error("Correct the marked fields before saving.".into());
                return Command::None;
            }
        }
        let (Some(build), Some(token)) = (self.state.builds.first(), ctx.token()) else {
            return Command::None;
        };
        let (id, cmd) = ctx.request(Request::UpdateBuild {
            token,
            order_id,
            build: Box::new(build.to_config(self.state.family)),
        });
        self.submit_req = Some(id);
        self.status = Status::Busy("… Saving the build and regenerating its BOM".into());
        cmd
    }

    // ----- replies ------------------------------------------------------------------------------------

    fn on_reply(&mut self, reply: DbReply, ctx: &mut Ctx) -> Command {
        let id = Some(reply.id);
        if id == self.context_req {
            self.context_req = None;
            return self.on_context(reply);
        }
        if id == self.detail_req {
            self.detail_req = None;
            self.on_detail(reply);
            return Command::None;
        }
        if id == self.check_req {
            self.check_req = None;
            self.status = Status::None;
            return match reply.result {
                Ok(Reply::NumbersChecked(check)) => self.on_numbers(check, ctx),
                Ok(_) => Command::None,
                Err(e) => {
                    self.status = Status::Error(e.user_message());
                    Command::None
                }
            };
        }
        if id == self.attach_req {
            self.attach_req = None;
            self.on_attachment(reply);
            return Command::None;
        }
        if id == self.submit_req {
            self.submit_req = None;
            self.on_submitted(reply, ctx);
            return Command::None;
        }
        if id == self.draft_req {
            self.draft_req = None;
            if let Err(e) = reply.result {
                ctx.toast(Toast::error(format!(
                    "The draft could not be saved: {}",
                    e.user_message()
                )));
            }
            return Command::None;
        }
        let Some(i) = self
            .previews
            .iter()
            .position(|p| *p == Preview::Pending(reply.id))
        else {
            return Command::None;
        };
        let label = self.state.build_label(i);
        self.previews[i] = match reply.result {
            Ok(Reply::BomPreview(p)) => Preview::Ready(p),
            Ok(_) => Preview::Failed(bom_failure(&label, "no preview was returned")),
            Err(e) => Preview::Failed(bom_failure(&label, &e.user_message())),
        };
        if matches!(self.status, Status::Error(_)) && self.submit_blocker().is_none() {
            self.status = Status::None;
        }
        Command::None
    }

    fn on_context(&mut self, reply: DbReply) -> Command {
        match reply.result {
            Ok(Reply::WizardContext(c)) => {
                self.today = Some(c.today);
                self.catalog = c.accessories;
                match &mut self.edit {
                    Some(e) => {
                        if e.loaded {
                            self.phase = Phase::Ready;
                        }
                    }
                    None => {
                        self.phase = Phase::Ready;
                        if let Some(draft) = c.draft {
                            self.saved_draft = Some(draft);
                            self.modal = Modal::Resume;
                        }
                    }
                }
            }
            Ok(_) => {
                self.phase = Phase::Blocked("Unexpected reply from the server; try again.".into());
            }
            Err(e) => self.phase = Phase::Blocked(e.user_message()),
        }
        Command::None
    }

    fn on_detail(&mut self, reply: DbReply) {
        let detail = match reply.result {
            Ok(Reply::Order(d)) => d,
            Ok(_) => {
                self.phase = Phase::Blocked("Unexpected reply from the server; try again.".into());
                return;
            }
            Err(e) => {
                self.phase = Phase::Blocked(e.user_message());
                return;
            }
        };
        if detail.status != OrderStatus::OrderCreated {
            self.phase = Phase::Blocked(format!(
                "Build {} is now {}; its configuration can no longer be changed",
                detail.build.build_number,
                detail.status.code()
            ));
            return;
        }
        let draft = BuildDraft::from_config(&detail.build);
        self.state = WizardState {
            step: Step::Configuration,
            header: state::HeaderDraft::from_header(&detail.header),
            family: detail.build.sink_family,
            builds: vec![draft.clone()],
            ..WizardState::default()
        };
        if let Some(e) = &mut self.edit {
            e.original = Some(draft);
            e.loaded = true;
        }
        if self.today.is_some() {
            self.phase = Phase::Ready;
        }
        self.reset_view();
    }

    fn on_submitted(&mut self, reply: DbReply, ctx: &mut Ctx) {
        match reply.result {
            Ok(Reply::OrderCreated(created)) => {
                self.done = true;
                let numbers: Vec<&str> = created.builds.iter().map(|(_, n)| n.as_str()).collect();
                ctx.toast(Toast::info(format!(
                    "Created PO {} with {} build(s): {}",
                    created.po_number,
                    created.builds.len(),
                    numbers.join(", ")
                )));
                let target = created
                    .builds
                    .first()
                    .map_or(ScreenId::Home, |(id, _)| ScreenId::OrderDetail(*id));
                ctx.emit(Effect::Navigate(target));
            }
            Ok(Reply::OrderUpdated(row)) => {
                self.done = true;
                ctx.toast(Toast::info(format!(
                    "Saved build {}; its BOM was regenerated",
                    row.build_number
                )));
                ctx.emit(Effect::Navigate(ScreenId::OrderDetail(row.id)));
            }
            Ok(_) => {
                self.status = Status::Error("Unexpected reply from the server; try again.".into())
            }
            Err(e) => {
                let message = e.user_message();
                let po = self.state.header.po_number.trim().to_string();
                if message == rules::po_number_exists(&po) {
                    self.remote
                        .insert((Scope::Header, Fid::PoNumber), message.clone());
                }
                self.status = Status::Error(message);
            }
        }
    }

    pub fn view(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        view::render(self, frame, area, theme);
    }
}

/// The error scope of `step` for build `b`.
fn scope_of(step: Step, b: usize) -> Scope {
    match step {
        Step::Customer => Scope::Header,
        Step::Builds => Scope::Builds,
        _ => Scope::Build(b),
    }
}

/// `Build <B>: BOM cannot be generated: <reason>`, the reason taken from the server's message.
fn bom_failure(build: &str, message: &str) -> String {
    let reason = ["unknown catalog id(s)", "invalid configuration"]
        .iter()
        .find_map(|k| message.find(k).map(|i| &message[i..]))
        .unwrap_or(message);
    format!("Build {build}: BOM cannot be generated: {reason}")
}

#[cfg(test)]
mod tests;
