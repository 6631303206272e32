//! User administration (ADMIN): list, create, change role, deactivate/reactivate, reset password,
//! give or take a badge and PIN (docs/security.md, Badge and PIN).
//!
//! Every change asks a yes/no question naming the user and the effect before it is sent; a form's
//! Enter only asks (docs/architecture.md §3.1). What the administrator may not do to their own account
//! is said on the key, before any dialog opens; the service refuses it too.

mod view;

use crate::domain::Role;
use crate::domain::clock;
use crate::domain::user::{
    CANNOT_CHANGE_OWN_ROLE, CANNOT_DEACTIVATE_SELF, MIN_PASSWORD_LEN, NewUser, PIN_LEN,
    RESET_OWN_PASSWORD, UserSummary, normalize_badge, normalize_username, validate_full_name,
    validate_initials, validate_new_pin, validate_password,
};
use crate::keymap::{Action, HelpLine, KeyContext};
use crate::msg::{Command, Reply, Request, RequestId, ServiceReply};
use crate::screens::Screen;
use crate::screens::pending::Pending;
use crate::screens::question::{Answered, Question};
use crate::screens::selection::{moved, moves};
use crate::screens::{Ctx, Effect, ScreenId};
use crate::theme::Theme;
use crate::widgets::form_field::{Form, FormField};
use crate::widgets::list_cursor::ListCursor;
use crate::widgets::toast::Toast;
use ratatui::Frame;
use ratatui::layout::Rect;
use uuid::Uuid;

const F_USERNAME: usize = 0;
const F_FULL_NAME: usize = 1;
const F_INITIALS: usize = 2;
const F_ROLE: usize = 3;
const F_PASSWORD: usize = 4;

/// A role in the narrow table column; the full title is on the detail line.
fn short_role(role: Role) -> &'static str {
    match role {
        Role::ProductionCoordinator => "Coordinator",
        Role::Admin => "Admin",
        Role::ProcurementSpecialist => "Procurement",
        Role::QcPerson => "QC inspector",
        Role::Assembler => "Assembler",
        Role::ServiceDepartment => "Service",
    }
}

fn last_login(u: &UserSummary) -> String {
    u.last_login_at
        .map_or_else(|| "never".to_string(), clock::local_minute)
}

fn who(u: &UserSummary) -> String {
    format!("{} ({})", u.username, u.full_name)
}

/// Role choices in `Role::ALL` order, shown by title.
fn role_options() -> Vec<String> {
    Role::ALL.iter().map(|r| r.title().to_string()).collect()
}

fn role_index(role: Role) -> usize {
    Role::ALL.iter().position(|r| *r == role).unwrap_or(0)
}

fn temp_password_field() -> FormField {
    // Shown in clear: the administrator has to pass it on, and it must be changed at first login.
    FormField::text("Temporary password").with_hint(format!(
        "At least {MIN_PASSWORD_LEN} characters; changed at first login"
    ))
}

enum Mode {
    Browse,
    NewUser {
        form: Form,
        error: Option<String>,
        pending: Option<RequestId>,
    },
    Role {
        user: UserSummary,
        form: Form,
        error: Option<String>,
        pending: Option<RequestId>,
    },
    Active {
        user: UserSummary,
        keys: Vec<HelpLine>,
        error: Option<String>,
        pending: Option<RequestId>,
    },
    Reset {
        user: UserSummary,
        form: Form,
        error: Option<String>,
        pending: Option<RequestId>,
    },
    /// Badge code and PIN twice.
    Badge {
        user: UserSummary,
        form: Form,
        error: Option<String>,
        pending: Option<RequestId>,
    },
    ClearBadge {
        user: UserSummary,
        keys: Vec<HelpLine>,
        error: Option<String>,
        pending: Option<RequestId>,
    },
}

const F_BADGE: usize = 0;
const F_PIN: usize = 1;
const F_PIN_AGAIN: usize = 2;

fn badge_form() -> Form {
    let pin = |label: &str| FormField::masked(label).with_max_len(*PIN_LEN.end());
    Form::new(vec![
        FormField::text("Badge code")
            .with_max_len(64)
            .with_hint("4-64 of A-Z 0-9 -"),
        pin("PIN").with_hint(format!("{} to {} digits", PIN_LEN.start(), PIN_LEN.end())),
        pin("PIN again"),
    ])
    .with_input_width(30)
}

impl Mode {
    fn pending(&self) -> Option<RequestId> {
        match self {
            Mode::Browse => None,
            Mode::NewUser { pending, .. }
            | Mode::Role { pending, .. }
            | Mode::Active { pending, .. }
            | Mode::Reset { pending, .. }
            | Mode::Badge { pending, .. }
            | Mode::ClearBadge { pending, .. } => *pending,
        }
    }

    fn pending_mut(&mut self) -> Option<&mut Option<RequestId>> {
        match self {
            Mode::Browse => None,
            Mode::NewUser { pending, .. }
            | Mode::Role { pending, .. }
            | Mode::Active { pending, .. }
            | Mode::Reset { pending, .. }
            | Mode::Badge { pending, .. }
            | Mode::ClearBadge { pending, .. } => Some(pending),
        }
    }

    /// The user the open dialog acts on.
    fn user(&self) -> Option<&UserSummary> {
        match self {
            Mode::Role { user, .. }
            | Mode::Active { user, .. }
            | Mode::Reset { user, .. }
            | Mode::Badge { user, .. }
            | Mode::ClearBadge { user, .. } => Some(user),
            Mode::Browse | Mode::NewUser { .. } => None,
        }
    }

    fn form_mut(&mut self) -> Option<&mut Form> {
        match self {
            Mode::NewUser { form, .. }
            | Mode::Role { form, .. }
            | Mode::Reset { form, .. }
            | Mode::Badge { form, .. } => Some(form),
            Mode::Browse | Mode::Active { .. } | Mode::ClearBadge { .. } => None,
        }
    }

    fn set_error(&mut self, text: Option<String>) {
        match self {
            Mode::Browse => {}
            Mode::NewUser { error, .. }
            | Mode::Role { error, .. }
            | Mode::Active { error, .. }
            | Mode::Reset { error, .. }
            | Mode::Badge { error, .. }
            | Mode::ClearBadge { error, .. } => *error = text,
        }
    }

    fn clear_pending(&mut self) {
        if let Some(pending) = self.pending_mut() {
            *pending = None;
        }
    }
}

pub struct UsersScreen {
    users: Vec<UserSummary>,
    table: ListCursor,
    /// How many users are inactive, counted when the list arrives (docs/performance.md §1.9).
    inactive: usize,
    loading: Pending,
    load_error: Option<String>,
    /// Keeps the same user selected across a reload (after a change, the changed user).
    select_after_load: Option<Uuid>,
    mode: Mode,
    /// The administrator's own id: what they may not do to themselves is refused on the key.
    me: Option<Uuid>,
    /// The change waiting for its `y`.
    question: Question,
}

impl UsersScreen {
    /// The screen with its first `ListUsers` request.
    pub fn open(ctx: &mut Ctx) -> (UsersScreen, Command) {
        let mut s = UsersScreen {
            users: Vec::new(),
            table: ListCursor::default(),
            inactive: 0,
            loading: Pending::new(),
            load_error: None,
            select_after_load: None,
            mode: Mode::Browse,
            me: ctx.session().map(|s| s.user.id),
            question: Question::new(ctx),
        };
        let cmd = s.reload(ctx);
        (s, cmd)
    }

    pub fn users(&self) -> &[UserSummary] {
        &self.users
    }

    pub fn selected(&self) -> Option<&UserSummary> {
        self.table.selected().and_then(|i| self.users.get(i))
    }

    /// The lines of the yes/no question open over a dialog, if any.
    pub fn question(&self) -> Option<&[String]> {
        self.question.is_open().then(|| self.question.lines())
    }

    /// Why `action` cannot apply to `user` (their own account), known before any dialog opens.
    fn refusal(&self, action: Action, user: &UserSummary) -> Option<&'static str> {
        if self.me != Some(user.id) {
            return None;
        }
        match action {
            Action::ChangeRole => Some(CANNOT_CHANGE_OWN_ROLE),
            Action::ToggleActive if user.is_active => Some(CANNOT_DEACTIVATE_SELF),
            Action::ResetPassword => Some(RESET_OWN_PASSWORD),
            _ => None,
        }
    }

    fn reload(&mut self, ctx: &mut Ctx) -> Command {
        let Some(token) = ctx.token() else {
            return Command::None;
        };
        if self.select_after_load.is_none() {
            self.select_after_load = self.selected().map(|u| u.id);
        }
        self.loading.begin(ctx, Request::ListUsers { token }, ())
    }

    fn move_selection(&mut self, action: Action) {
        let n = self.users.len();
        if n == 0 {
            return;
        }
        let cur = self.table.selected().unwrap_or(0);
        self.table.select(Some(moved(cur, n, action)));
    }

    fn on_browse(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        match action {
            action if moves(action) => self.move_selection(action),
            Action::Back => ctx.emit(Effect::Navigate(ScreenId::Home)),
            Action::Refresh => return self.reload(ctx),
            Action::NewItem => {
                let form = Form::new(vec![
                    FormField::text("Username")
                        .with_max_len(50)
                        .with_hint("3-50 of a-z 0-9 . _ -"),
                    FormField::text("Full name").with_max_len(100),
                    FormField::text("Initials").with_max_len(5),
                    FormField::choice("Role", role_options(), role_index(Role::Assembler)),
                    temp_password_field(),
                ])
                .with_input_width(40);
                self.mode = Mode::NewUser {
                    form,
                    error: None,
                    pending: None,
                };
            }
            Action::ChangeRole
            | Action::ToggleActive
            | Action::ResetPassword
            | Action::SetBadge
            | Action::ClearBadge => {
                let Some(user) = self.selected().cloned() else {
                    ctx.toast(Toast::error("No user selected"));
                    return Command::None;
                };
                if let Some(refusal) = self.refusal(action, &user) {
                    ctx.toast(Toast::error(refusal));
                    return Command::None;
                }
                self.mode = match action {
                    Action::ChangeRole => Mode::Role {
                        form: Form::new(vec![FormField::choice(
                            "New role",
                            role_options(),
                            role_index(user.role),
                        )])
                        .with_input_width(28),
                        user,
                        error: None,
                        pending: None,
                    },
                    Action::ToggleActive => Mode::Active {
                        user,
                        keys: ctx.keymap().key_bar(&[KeyContext::Confirm]),
                        error: None,
                        pending: None,
                    },
                    Action::SetBadge => Mode::Badge {
                        user,
                        form: badge_form(),
                        error: None,
                        pending: None,
                    },
                    Action::ClearBadge if !user.has_badge => {
                        ctx.toast(Toast::info(format!("{} has no badge", user.username)));
                        return Command::None;
                    }
                    Action::ClearBadge => Mode::ClearBadge {
                        user,
                        keys: ctx.keymap().key_bar(&[KeyContext::Confirm]),
                        error: None,
                        pending: None,
                    },
                    _ => Mode::Reset {
                        user,
                        form: Form::new(vec![temp_password_field()]).with_input_width(30),
                        error: None,
                        pending: None,
                    },
                };
            }
            _ => {}
        }
        Command::None
    }

    fn submit(&mut self, ctx: &mut Ctx) -> Command {
        if self.mode.pending().is_some() {
            return Command::None;
        }
        let Some(token) = ctx.token() else {
            return Command::None;
        };
        let (request, question) = match &mut self.mode {
            Mode::Browse => return Command::None,
            Mode::NewUser { form, .. } => {
                if !form.is_last() {
                    form.next();
                    return Command::None;
                }
                match validate_new_user(form) {
                    Some(user) => {
                        let question = (
                            "Create user",
                            vec![
                                format!(
                                    "Create user {} ({}) as {}?",
                                    user.username,
                                    user.full_name,
                                    user.role.title()
                                ),
                                "They must change the temporary password at first login."
                                    .to_string(),
                            ],
                        );
                        (Request::CreateUser { token, user }, Some(question))
                    }
                    None => return Command::None,
                }
            }
            Mode::Role { user, form, .. } => {
                let idx = form.field(0).and_then(FormField::choice_index).unwrap_or(0);
                let Some(role) = Role::ALL.get(idx).copied() else {
                    return Command::None;
                };
                if role == user.role {
                    self.mode = Mode::Browse;
                    ctx.toast(Toast::info("Role unchanged"));
                    return Command::None;
                }
                let question = (
                    "Change role",
                    vec![
                        format!(
                            "Change the role of {} from {} to {}?",
                            who(user),
                            user.role.title(),
                            role.title()
                        ),
                        "What they may do changes at once.".to_string(),
                    ],
                );
                let request = Request::SetRole {
                    token,
                    user_id: user.id,
                    role,
                };
                (request, Some(question))
            }
            // The deactivate/reactivate dialog is itself the question.
            Mode::Active { user, .. } => (
                Request::SetActive {
                    token,
                    user_id: user.id,
                    active: !user.is_active,
                },
                None,
            ),
            Mode::Reset { user, form, .. } => {
                let temp_password = form.value(0);
                if let Err(e) = validate_password(&temp_password) {
                    form.set_error(0, e);
                    return Command::None;
                }
                let question = (
                    "Reset password",
                    vec![
                        format!("Set the temporary password for {}?", who(user)),
                        "Their sessions end; they must change it at the next login.".to_string(),
                    ],
                );
                let request = Request::ResetPassword {
                    token,
                    user_id: user.id,
                    temp_password,
                };
                (request, Some(question))
            }
            Mode::Badge { user, form, .. } => {
                if !form.is_last() {
                    form.next();
                    return Command::None;
                }
                let Some(badge) = validate_badge_form(form) else {
                    return Command::None;
                };
                let mut lines = vec![
                    format!("Give {} badge {badge} with the PIN entered?", who(user)),
                    "The badge and PIN log them in; signing still needs the password.".to_string(),
                ];
                if user.has_badge {
                    lines.push("Their current badge and PIN stop working.".to_string());
                }
                let request = Request::SetBadge {
                    token,
                    user_id: user.id,
                    badge,
                    pin: form.value(F_PIN),
                };
                (request, Some(("Badge and PIN", lines)))
            }
            // The clear-badge dialog is itself the question.
            Mode::ClearBadge { user, .. } => (
                Request::ClearBadge {
                    token,
                    user_id: user.id,
                },
                None,
            ),
        };
        match question {
            Some((title, lines)) => {
                self.question.ask(title, lines, request, ());
                Command::None
            }
            None => self.send(request, ctx),
        }
    }

    fn send(&mut self, request: Request, ctx: &mut Ctx) -> Command {
        if self.mode.pending().is_some() {
            return Command::None;
        }
        let (id, cmd) = ctx.request(request);
        self.mode.set_error(None);
        if let Some(pending) = self.mode.pending_mut() {
            *pending = Some(id);
        }
        cmd
    }
}

impl Screen for UsersScreen {
    /// The header title: the form replaces the list while a user is being created.
    fn title(&self) -> &'static str {
        match self.mode {
            Mode::NewUser { .. } => "Users › New user",
            _ => "Users",
        }
    }

    fn key_contexts(&self) -> Vec<KeyContext> {
        if self.question.is_open() {
            return Question::<()>::contexts();
        }
        match &self.mode {
            Mode::Browse => vec![KeyContext::Users, KeyContext::List],
            Mode::NewUser { form, .. } | Mode::Reset { form, .. } | Mode::Badge { form, .. } => {
                let mut stack = form.key_contexts();
                stack.push(KeyContext::Dialog);
                stack
            }
            Mode::Role { .. } => vec![KeyContext::Choice, KeyContext::RolePicker],
            Mode::Active { .. } | Mode::ClearBadge { .. } => vec![KeyContext::Confirm],
        }
    }

    fn has_unsaved_input(&self) -> bool {
        match &self.mode {
            Mode::NewUser { form, .. } | Mode::Reset { form, .. } | Mode::Badge { form, .. } => {
                form.has_input()
            }
            Mode::Browse | Mode::Role { .. } | Mode::Active { .. } | Mode::ClearBadge { .. } => {
                false
            }
        }
    }

    fn on_action(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        match self.question.answer(action) {
            Some(Answered::Send(request, ())) => return self.send(request, ctx),
            Some(Answered::Declined | Answered::Ignored) => return Command::None,
            None => {}
        }
        if matches!(self.mode, Mode::Browse) {
            return self.on_browse(action, ctx);
        }
        match action {
            Action::Cancel | Action::No => {
                // A request already sent is left to finish; its reply refreshes the list.
                if let Some(id) = self.mode.pending() {
                    self.loading.wait(id);
                }
                self.mode = Mode::Browse;
                Command::None
            }
            Action::Submit | Action::Yes => self.submit(ctx),
            other => {
                if let Some(form) = self.mode.form_mut() {
                    form.handle(other);
                }
                Command::None
            }
        }
    }

    fn on_reply(&mut self, reply: ServiceReply, ctx: &mut Ctx) -> Command {
        if self.loading.answered_by(reply.id) {
            match reply.result {
                Ok(Reply::Users(users)) => {
                    self.load_error = None;
                    self.users = users;
                    self.inactive = self.users.iter().filter(|u| !u.is_active).count();
                    let keep = self.select_after_load.take();
                    let idx = keep
                        .and_then(|id| self.users.iter().position(|u| u.id == id))
                        .or_else(|| self.table.selected())
                        .unwrap_or(0);
                    self.table.select(if self.users.is_empty() {
                        None
                    } else {
                        Some(idx.min(self.users.len() - 1))
                    });
                }
                // A write whose dialog was cancelled: its answer only refreshes the list.
                Ok(_) => return self.reload(ctx),
                Err(e) => self.load_error = Some(e.user_message()),
            }
            return Command::None;
        }
        if self.mode.pending() != Some(reply.id) {
            return Command::None;
        }
        self.mode.clear_pending();
        match reply.result {
            Err(e) => {
                self.mode.set_error(Some(e.user_message()));
                Command::None
            }
            Ok(result) => {
                let saved = match result {
                    Reply::UserSaved(u) => Some(u),
                    _ => None,
                };
                let message = match &self.mode {
                    Mode::Browse => String::new(),
                    Mode::NewUser { form, .. } => format!(
                        "User {} created; they must change the password at first login",
                        saved
                            .as_ref()
                            .map_or_else(|| form.value(F_USERNAME), |u| u.username.clone())
                    ),
                    Mode::Role { user, form, .. } => {
                        let idx = form.field(0).and_then(FormField::choice_index).unwrap_or(0);
                        let title = Role::ALL.get(idx).map_or("", |r| r.title());
                        format!("{} is now {title}", user.username)
                    }
                    Mode::Active { user, .. } => {
                        if user.is_active {
                            format!("{} deactivated", user.username)
                        } else {
                            format!("{} reactivated", user.username)
                        }
                    }
                    Mode::Reset { user, .. } => {
                        format!("Temporary password set for {}", user.username)
                    }
                    Mode::Badge { user, .. } => {
                        format!("Badge and PIN set for {}", user.username)
                    }
                    Mode::ClearBadge { user, .. } => {
                        format!("Badge and PIN taken away from {}", user.username)
                    }
                };
                self.select_after_load = saved
                    .map(|u| u.id)
                    .or_else(|| self.mode.user().map(|u| u.id));
                self.mode = Mode::Browse;
                ctx.toast(Toast::info(message));
                self.reload(ctx)
            }
        }
    }

    fn text_form(&mut self) -> Option<&mut Form> {
        if self.question.is_open() {
            return None;
        }
        self.mode.form_mut()
    }

    /// Keys wait for the users it changes: none until the first load has answered (docs/architecture.md §3.2).
    fn accepts_keys(&self) -> bool {
        !self.loading.in_flight() || !self.users.is_empty() || self.load_error.is_some()
    }

    fn view(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        self.draw(frame, area, theme);
    }
}

/// Checks every field with the domain rules, marking each bad field; `None` when any is bad.
fn validate_new_user(form: &mut Form) -> Option<NewUser> {
    form.clear_errors();
    let username = normalize_username(&form.value(F_USERNAME));
    let full_name = validate_full_name(&form.value(F_FULL_NAME));
    let initials = validate_initials(&form.value(F_INITIALS));
    let role_idx = form
        .field(F_ROLE)
        .and_then(FormField::choice_index)
        .unwrap_or(0);
    let role = Role::ALL.get(role_idx).copied();
    let password = form.value(F_PASSWORD);
    let pw_check = validate_password(&password);
    for (i, r) in [
        (F_USERNAME, username.as_ref().err()),
        (F_FULL_NAME, full_name.as_ref().err()),
        (F_INITIALS, initials.as_ref().err()),
        (F_PASSWORD, pw_check.as_ref().err()),
    ] {
        if let Some(e) = r {
            form.set_error(i, e.clone());
        }
    }
    if let Some(i) = form.first_error() {
        form.set_focus(i);
        return None;
    }
    Some(NewUser {
        username: username.ok()?,
        full_name: full_name.ok()?,
        initials: initials.ok()?,
        role: role?,
        password,
        must_change_password: true,
    })
}

/// Checks the badge dialog, marking each bad field; the badge code as stored when all is well.
fn validate_badge_form(form: &mut Form) -> Option<String> {
    form.clear_errors();
    let badge = normalize_badge(&form.value(F_BADGE));
    let pin = validate_new_pin(&form.value(F_PIN), &form.value(F_PIN_AGAIN));
    if let Err(e) = &badge {
        form.set_error(F_BADGE, e.clone());
    }
    if let Err(e) = pin {
        // Both PINs are typed again: a masked mismatch cannot be corrected by sight.
        for i in [F_PIN, F_PIN_AGAIN] {
            if let Some(f) = form.field_mut(i) {
                f.clear();
            }
        }
        form.set_error(F_PIN, e);
    }
    if let Some(i) = form.first_error() {
        form.set_focus(i);
        return None;
    }
    badge.ok()
}

#[cfg(test)]
mod tests;
