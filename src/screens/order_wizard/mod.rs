//! The order wizard (docs/lifecycle.md §6-§8): five steps for a new PO, or steps 3-4 to edit one build.
//!
//! Everything entered lives in [`state::WizardState`], as typed, and is saved as the user's draft when a
//! step is left. Errors come from `domain::order_rules`; a field shows its error once it has been left
//! or after Next was refused, and Next moves on only when the step has none.

mod accessories;
mod actions;
mod copy;
mod drafts;
mod focus;
mod form;
mod replies;
mod state;
mod steps;
mod submit;
mod view;

use crate::domain::Role;
use crate::domain::bom::BomPreview;
use crate::domain::order::AccessoryItem;
use crate::keymap::{Action, HelpLine, KeyContext, Keymap};
use crate::msg::{Command, Request, RequestId, ServiceReply};
use crate::screens::Ctx;
use crate::screens::Screen;
use crate::screens::pending::Pending;
use crate::theme::Theme;
use crate::widgets::form_field::FormField;
use chrono::NaiveDate;
use form::Kind;
use ratatui::Frame;
use ratatui::layout::Rect;
use state::{BuildDraft, Fid, Step, WizardState};
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

pub struct OrderWizardScreen {
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
    context_req: Pending,
    detail_req: Pending,
    check_req: Pending,
    attach_req: Pending,
    /// The server's refusal of an attachment path: (path, message), shown while that path is entered.
    attach_error: Option<(String, String)>,
    submit_req: Pending,
    draft_req: Pending,
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

impl OrderWizardScreen {
    fn blank(ctx: &Ctx) -> OrderWizardScreen {
        OrderWizardScreen {
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
            context_req: Pending::new(),
            detail_req: Pending::new(),
            check_req: Pending::new(),
            attach_req: Pending::new(),
            attach_error: None,
            submit_req: Pending::new(),
            draft_req: Pending::new(),
            saved_draft: None,
            modal: Modal::None,
            status: Status::None,
            done: false,
            keys: Keys::new(ctx.keymap()),
        }
    }

    /// A new PO: loads today, the accessories and the user's saved draft.
    pub fn open(ctx: &mut Ctx) -> (OrderWizardScreen, Command) {
        let mut s = OrderWizardScreen::blank(ctx);
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
        let cmd = s
            .context_req
            .begin(ctx, Request::WizardContext { token }, ());
        (s, cmd)
    }

    /// Steps 3-4 for one existing build, saved with `UpdateBuild`.
    pub fn edit(order_id: Uuid, ctx: &mut Ctx) -> (OrderWizardScreen, Command) {
        let mut s = OrderWizardScreen::blank(ctx);
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
        s.context_req.wait(id);
        let (id, b) = ctx.request(Request::OrderDetail { token, order_id });
        s.detail_req.wait(id);
        (s, a.and(b))
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
}

impl Screen for OrderWizardScreen {
    fn title(&self) -> &'static str {
        if self.edit.is_some() {
            "Edit build"
        } else {
            "New order"
        }
    }

    fn key_contexts(&self) -> Vec<KeyContext> {
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

    fn has_unsaved_input(&self) -> bool {
        if self.done || self.phase != Phase::Ready {
            return false;
        }
        match &self.edit {
            Some(e) => e.original.as_ref() != self.state.builds.first(),
            None => self.state.has_input(),
        }
    }

    fn on_action(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        self.handle_action(action, ctx)
    }

    fn on_reply(&mut self, reply: ServiceReply, ctx: &mut Ctx) -> Command {
        self.handle_reply(reply, ctx)
    }

    fn on_char(&mut self, c: char) {
        self.handle_char(c);
    }

    fn on_paste(&mut self, text: &str) {
        self.handle_paste(text);
    }

    fn view(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
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
