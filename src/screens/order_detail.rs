//! One build: header, configuration, BOM summary, history and the actions the user may take.
//!
//! The server decides what the user may do (`OrderDetail::actions`); the screen offers exactly those,
//! each on its own key. After any write the detail is loaded again, so what is shown is what is stored,
//! and a refused write (another station was faster, a precondition failed) shows the server's message.

use crate::db::DbError;
use crate::domain::Role;
use crate::domain::lifecycle::{
    MAX_OVERRIDE_REASON, MAX_SHIPPING_NOTE, MAX_TRACKING, assignee_role, override_reason,
    pack_shipping, shipping_notes,
};
use crate::domain::order::{OrderAction, OrderStatus};
use crate::domain::order_view::{HistoryEntry, OrderDetail};
use crate::domain::user::UserSummary;
use crate::keymap::{Action, HelpLine, KeyContext};
use crate::msg::{Command, DbReply, Reply, Request, RequestId};
use crate::screens::{Ctx, Effect, ScreenId, ScreenMsg};
use crate::theme::Theme;
use crate::widgets::form_field::{Form, FormField};
use crate::widgets::toast::Toast;
use crate::widgets::{Scroll, draw_loading, error_lines, scrolled_panel, wrap};
use crate::widgets::{
    centered, confirm, dialog, dim, fit_text, inset, panel, request_status, row, rows,
};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use uuid::Uuid;

fn role_plural(role: Role) -> &'static str {
    match role {
        Role::ProcurementSpecialist => "procurement specialists",
        Role::QcPerson => "QC inspectors",
        Role::Assembler => "assemblers",
        Role::ProductionCoordinator => "production coordinators",
        Role::Admin => "administrators",
        Role::ServiceDepartment => "service department users",
    }
}

/// The keys of the actions, as the keymap has them, for the actions line.
struct ActionKeys {
    move_: String,
    override_: String,
    assign: String,
    edit: String,
    approve_bom: String,
    regenerate_bom: String,
    confirm: Vec<HelpLine>,
}

/// The BOM change a confirm dialog asks about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BomChange {
    Approve,
    Regenerate,
}

enum Mode {
    Browse,
    /// `Move <B> from <FROM> to <TO>?`; several targets are offered with Left/Right.
    ConfirmMove {
        targets: Vec<OrderStatus>,
        index: usize,
        error: Option<String>,
    },
    /// T10 with its optional tracking number and shipping note.
    Ship {
        form: Form,
        error: Option<String>,
    },
    Override {
        targets: Vec<OrderStatus>,
        form: Form,
        error: Option<String>,
    },
    /// Approve or regenerate the BOM; `version` is the current version the user saw.
    ConfirmBom {
        change: BomChange,
        version: Option<i32>,
        error: Option<String>,
    },
    Assign {
        role: Role,
        users: Vec<UserSummary>,
        selected: usize,
        loading: Option<RequestId>,
        error: Option<String>,
    },
}

/// A write on its way, with what to say when it succeeds.
struct Write {
    id: RequestId,
    success: String,
}

pub struct OrderDetailScreen {
    order_id: Uuid,
    detail: Option<Box<OrderDetail>>,
    loading: Option<RequestId>,
    load_error: Option<String>,
    /// The server's answer to the last refused write, shown until the user acts again.
    notice: Option<String>,
    writing: Option<Write>,
    mode: Mode,
    /// From the last draw: how far the content scrolls and how many rows a page is.
    scroll: Scroll,
    keys: ActionKeys,
    /// The user's role, for the keys the screen offers itself (QC).
    role: Option<Role>,
}

impl OrderDetailScreen {
    pub fn open(order_id: Uuid, ctx: &mut Ctx) -> (OrderDetailScreen, Command) {
        let km = ctx.keymap();
        let keys = ActionKeys {
            move_: km.key_label(KeyContext::MoveAction, Action::MoveStatus),
            override_: km.key_label(KeyContext::OverrideAction, Action::OverrideStatus),
            assign: km.key_label(KeyContext::AssignAction, Action::AssignBuild),
            edit: km.key_label(KeyContext::EditAction, Action::EditBuild),
            approve_bom: km.key_label(KeyContext::ApproveBomAction, Action::ApproveBom),
            regenerate_bom: km.key_label(KeyContext::RegenerateBomAction, Action::RegenerateBom),
            confirm: km.key_bar(&[KeyContext::Confirm]),
        };
        let role = ctx.session().map(|s| s.user.role);
        let mut s = OrderDetailScreen {
            order_id,
            role,
            detail: None,
            loading: None,
            load_error: None,
            notice: None,
            writing: None,
            mode: Mode::Browse,
            scroll: Scroll {
                page: 10,
                ..Scroll::default()
            },
            keys,
        };
        let cmd = s.reload(ctx);
        (s, cmd)
    }

    pub fn title(&self) -> &'static str {
        "Build detail"
    }

    pub fn detail(&self) -> Option<&OrderDetail> {
        self.detail.as_deref()
    }

    /// The message of the last refused write, if it is still shown.
    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    pub fn has_unsaved_input(&self) -> bool {
        match &self.mode {
            Mode::Ship { form, .. } | Mode::Override { form, .. } => form.has_input(),
            Mode::Browse
            | Mode::ConfirmMove { .. }
            | Mode::ConfirmBom { .. }
            | Mode::Assign { .. } => false,
        }
    }

    fn actions(&self) -> &[OrderAction] {
        self.detail.as_deref().map_or(&[], |d| d.actions.as_slice())
    }

    fn moves(&self) -> Vec<OrderStatus> {
        self.actions()
            .iter()
            .filter_map(|a| match a {
                OrderAction::Move { to } => Some(*to),
                _ => None,
            })
            .collect()
    }

    fn overrides(&self) -> Vec<OrderStatus> {
        self.actions()
            .iter()
            .filter_map(|a| match a {
                OrderAction::Override { to } => Some(*to),
                _ => None,
            })
            .collect()
    }

    fn offers(&self, action: &OrderAction) -> bool {
        self.actions().contains(action)
    }

    /// A QC inspector on a build waiting for Pre-QC or Final QC; the service checks it again.
    fn offers_qc(&self) -> bool {
        self.detail.as_ref().is_some_and(|d| {
            self.role == Some(Role::QcPerson)
                && matches!(
                    d.status,
                    OrderStatus::ReadyForPreQc | OrderStatus::ReadyForFinalQc
                )
        })
    }

    /// The floor screen the build's status calls for, if it is on the assembly floor.
    fn floor_screen(&self) -> Option<ScreenId> {
        match self.detail.as_ref()?.status {
            OrderStatus::ReadyForProduction => Some(ScreenId::Tasks(self.order_id)),
            OrderStatus::TestingComplete | OrderStatus::PackagingComplete => {
                Some(ScreenId::Packaging(self.order_id))
            }
            _ => None,
        }
    }

    pub fn key_contexts(&self) -> Vec<KeyContext> {
        match &self.mode {
            Mode::Browse => {
                let mut stack = Vec::new();
                if !self.moves().is_empty() {
                    stack.push(KeyContext::MoveAction);
                }
                if !self.overrides().is_empty() {
                    stack.push(KeyContext::OverrideAction);
                }
                if self.offers(&OrderAction::Assign) {
                    stack.push(KeyContext::AssignAction);
                }
                if self.offers(&OrderAction::EditConfiguration) {
                    stack.push(KeyContext::EditAction);
                }
                if self.offers(&OrderAction::ApproveBom) {
                    stack.push(KeyContext::ApproveBomAction);
                }
                if self.offers(&OrderAction::RegenerateBom) {
                    stack.push(KeyContext::RegenerateBomAction);
                }
                if self.offers_qc() {
                    stack.push(KeyContext::QcAction);
                }
                if self.floor_screen().is_some() {
                    stack.push(KeyContext::FloorAction);
                }
                stack.extend([KeyContext::Detail, KeyContext::List]);
                stack
            }
            Mode::ConfirmMove { targets, .. } => {
                if targets.len() > 1 {
                    vec![KeyContext::Confirm, KeyContext::Choice]
                } else {
                    vec![KeyContext::Confirm]
                }
            }
            Mode::ConfirmBom { .. } => vec![KeyContext::Confirm],
            Mode::Ship { form, .. } | Mode::Override { form, .. } => {
                let mut stack = form.key_contexts();
                stack.push(KeyContext::Dialog);
                stack
            }
            Mode::Assign { .. } => vec![KeyContext::AssignPicker, KeyContext::List],
        }
    }

    fn reload(&mut self, ctx: &mut Ctx) -> Command {
        let Some(token) = ctx.token() else {
            return Command::None;
        };
        let (id, cmd) = ctx.request(Request::OrderDetail {
            token,
            order_id: self.order_id,
        });
        self.loading = Some(id);
        cmd
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

    fn form_mut(&mut self) -> Option<&mut Form> {
        match &mut self.mode {
            Mode::Ship { form, .. } | Mode::Override { form, .. } => Some(form),
            Mode::Browse
            | Mode::ConfirmMove { .. }
            | Mode::ConfirmBom { .. }
            | Mode::Assign { .. } => None,
        }
    }

    fn on_action(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        if matches!(self.mode, Mode::Browse) {
            return self.on_browse(action, ctx);
        }
        match action {
            Action::Cancel | Action::No => {
                // A write already sent still finishes; its reply reloads the detail.
                self.mode = Mode::Browse;
                Command::None
            }
            Action::Yes if matches!(self.mode, Mode::ConfirmBom { .. }) => self.confirm_bom(ctx),
            Action::Yes => self.confirm_move(ctx),
            Action::Submit => self.submit_form(ctx),
            Action::AssignBuild => self.submit_assign(ctx),
            Action::Up
            | Action::Down
            | Action::First
            | Action::Last
            | Action::PageUp
            | Action::PageDown => {
                let unassign = usize::from(self.detail_assignee().is_some());
                if let Mode::Assign {
                    users, selected, ..
                } = &mut self.mode
                {
                    let n = users.len() + unassign;
                    let last = n.saturating_sub(1);
                    *selected = match action {
                        Action::Up => selected.saturating_sub(1),
                        Action::Down => (*selected + 1).min(last),
                        Action::First | Action::PageUp => 0,
                        _ => last,
                    };
                }
                Command::None
            }
            Action::PrevChoice | Action::NextChoice => {
                if let Mode::ConfirmMove { targets, index, .. } = &mut self.mode {
                    let n = targets.len().max(1);
                    *index = if action == Action::NextChoice {
                        (*index + 1) % n
                    } else {
                        (*index + n - 1) % n
                    };
                } else if let Some(form) = self.form_mut() {
                    form.handle(action);
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

    fn detail_assignee(&self) -> Option<Uuid> {
        self.detail
            .as_deref()
            .and_then(|d| d.assignee.as_ref().map(|(id, _)| *id))
    }

    fn on_browse(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        if self.scroll.apply(action) {
            return Command::None;
        }
        match action {
            Action::Back => ctx.emit(Effect::Back(ScreenId::Orders)),
            Action::Refresh => {
                self.notice = None;
                return self.reload(ctx);
            }
            // The viewer says itself when there is no BOM, so the key works before the detail loads.
            Action::ViewBom => ctx.emit(Effect::Navigate(ScreenId::Bom(self.order_id))),
            Action::OpenQcHistory => ctx.emit(Effect::Navigate(ScreenId::QcHistory(self.order_id))),
            Action::OpenQc if self.offers_qc() => {
                ctx.emit(Effect::Navigate(ScreenId::QcChecklist(self.order_id)));
            }
            Action::OpenFloor => {
                if let Some(screen) = self.floor_screen() {
                    ctx.emit(Effect::Navigate(screen));
                }
            }
            Action::MoveStatus => {
                let targets = self.moves();
                if targets.is_empty() {
                    return Command::None;
                }
                self.notice = None;
                self.mode = if targets == [OrderStatus::Shipped] {
                    ship_mode()
                } else {
                    Mode::ConfirmMove {
                        targets,
                        index: 0,
                        error: None,
                    }
                };
            }
            Action::OverrideStatus => {
                let targets = self.overrides();
                if targets.is_empty() {
                    return Command::None;
                }
                self.notice = None;
                let mut fields = Vec::new();
                if targets.len() > 1 {
                    let options = targets.iter().map(|t| t.code().to_string()).collect();
                    fields.push(FormField::choice("New status", options, 0));
                }
                fields.push(
                    FormField::text("Reason")
                        .with_max_len(MAX_OVERRIDE_REASON)
                        .with_hint(format!("Required, 1-{MAX_OVERRIDE_REASON} characters")),
                );
                let form = Form::new(fields).with_input_width(44);
                self.mode = Mode::Override {
                    targets,
                    form,
                    error: None,
                };
            }
            Action::AssignBuild => {
                let Some(d) = self.detail.as_deref() else {
                    return Command::None;
                };
                if !d.actions.contains(&OrderAction::Assign) {
                    return Command::None;
                }
                self.notice = None;
                let Some(role) = assignee_role(d.status) else {
                    ctx.toast(Toast::error(format!(
                        "Orders in {} cannot be assigned",
                        d.status
                    )));
                    return Command::None;
                };
                let Some(token) = ctx.token() else {
                    return Command::None;
                };
                let (id, cmd) = ctx.request(Request::UsersWithRole { token, role });
                self.mode = Mode::Assign {
                    role,
                    users: Vec::new(),
                    selected: 0,
                    loading: Some(id),
                    error: None,
                };
                return cmd;
            }
            Action::EditBuild if self.offers(&OrderAction::EditConfiguration) => {
                ctx.emit(Effect::Navigate(ScreenId::EditBuild(self.order_id)));
            }
            Action::ApproveBom if self.offers(&OrderAction::ApproveBom) => {
                let version = self.bom_version();
                // Approval names the version the user saw; without one there is nothing to approve.
                if version.is_some() {
                    self.notice = None;
                    self.mode = Mode::ConfirmBom {
                        change: BomChange::Approve,
                        version,
                        error: None,
                    };
                }
            }
            Action::RegenerateBom if self.offers(&OrderAction::RegenerateBom) => {
                self.notice = None;
                self.mode = Mode::ConfirmBom {
                    change: BomChange::Regenerate,
                    version: self.bom_version(),
                    error: None,
                };
            }
            _ => {}
        }
        Command::None
    }

    /// Sends `request` unless a write is already on its way.
    fn send_write(&mut self, request: Request, success: String, ctx: &mut Ctx) -> Command {
        if self.writing.is_some() {
            return Command::None;
        }
        let (id, cmd) = ctx.request(request);
        self.writing = Some(Write { id, success });
        cmd
    }

    fn confirm_move(&mut self, ctx: &mut Ctx) -> Command {
        let Mode::ConfirmMove { targets, index, .. } = &self.mode else {
            return Command::None;
        };
        let Some(to) = targets.get(*index).copied() else {
            return Command::None;
        };
        if to == OrderStatus::Shipped {
            // T10 asks for its optional fields first.
            self.mode = ship_mode();
            return Command::None;
        }
        self.transition(to, None, None, ctx)
    }

    fn bom_version(&self) -> Option<i32> {
        self.detail
            .as_deref()
            .and_then(|d| d.bom.as_ref().map(|b| b.version))
    }

    fn confirm_bom(&mut self, ctx: &mut Ctx) -> Command {
        let Mode::ConfirmBom {
            change, version, ..
        } = &self.mode
        else {
            return Command::None;
        };
        let (change, version) = (*change, *version);
        let (Some(d), Some(token)) = (self.detail.as_deref(), ctx.token()) else {
            return Command::None;
        };
        let build = d.build.build_number.clone();
        let order_id = d.id;
        let (request, success) = match (change, version) {
            (BomChange::Approve, Some(version)) => (
                Request::ApproveBom {
                    token,
                    order_id,
                    version,
                },
                format!("BOM version {version} of {build} approved"),
            ),
            (BomChange::Approve, None) => return Command::None,
            (BomChange::Regenerate, _) => (
                Request::RegenerateBom { token, order_id },
                format!("BOM of {build} regenerated"),
            ),
        };
        self.send_write(request, success, ctx)
    }

    fn transition(
        &mut self,
        to: OrderStatus,
        note: Option<String>,
        override_reason: Option<String>,
        ctx: &mut Ctx,
    ) -> Command {
        let (Some(d), Some(token)) = (self.detail.as_deref(), ctx.token()) else {
            return Command::None;
        };
        let build = d.build.build_number.clone();
        let success = match (&override_reason, to) {
            (Some(_), _) => format!("{build} moved to {to} (override)"),
            (None, OrderStatus::Shipped) => format!("{build} shipped"),
            (None, _) => format!("{build} moved to {to}"),
        };
        let request = Request::Transition {
            token,
            order_id: d.id,
            from: d.status,
            to,
            note,
            override_reason,
        };
        self.send_write(request, success, ctx)
    }

    fn submit_form(&mut self, ctx: &mut Ctx) -> Command {
        if self.writing.is_some() {
            return Command::None;
        }
        match &mut self.mode {
            Mode::Ship { form, error } => {
                if !form.is_last() {
                    form.next();
                    return Command::None;
                }
                let note = pack_shipping(&form.value(0), &form.value(1));
                // The server's rules first, so that a refusal keeps what was typed.
                if let Err(e) = shipping_notes(note.as_deref()) {
                    *error = Some(e);
                    return Command::None;
                }
                self.transition(OrderStatus::Shipped, note, None, ctx)
            }
            Mode::Override { targets, form, .. } => {
                if !form.is_last() {
                    form.next();
                    return Command::None;
                }
                let (to, reason_field) = if targets.len() > 1 {
                    let idx = form.field(0).and_then(FormField::choice_index).unwrap_or(0);
                    (targets.get(idx).copied(), 1)
                } else {
                    (targets.first().copied(), 0)
                };
                let reason = match override_reason(&form.value(reason_field)) {
                    Ok(r) => r,
                    Err(e) => {
                        form.set_error(reason_field, e);
                        form.set_focus(reason_field);
                        return Command::None;
                    }
                };
                let Some(to) = to else {
                    return Command::None;
                };
                self.transition(to, None, Some(reason), ctx)
            }
            Mode::Browse
            | Mode::ConfirmMove { .. }
            | Mode::ConfirmBom { .. }
            | Mode::Assign { .. } => Command::None,
        }
    }

    fn submit_assign(&mut self, ctx: &mut Ctx) -> Command {
        let (Some(d), Some(token)) = (self.detail.as_deref(), ctx.token()) else {
            return Command::None;
        };
        let Mode::Assign {
            users,
            selected,
            loading: None,
            ..
        } = &self.mode
        else {
            return Command::None;
        };
        let build = d.build.build_number.clone();
        let current = d.assignee.as_ref().map(|(id, _)| *id);
        let (assignee, success) = match users.get(*selected) {
            Some(u) => (Some(u.id), format!("{build} assigned to {}", u.full_name)),
            // The entry after the users is "Unassign".
            None if current.is_some() => (None, format!("{build} unassigned")),
            None => return Command::None,
        };
        if assignee.is_some() && assignee == current {
            self.mode = Mode::Browse;
            ctx.toast(Toast::info(format!("{build} is already assigned to them")));
            return Command::None;
        }
        let request = Request::Assign {
            token,
            order_id: d.id,
            expected: d.status,
            assignee,
        };
        self.send_write(request, success, ctx)
    }

    fn on_reply(&mut self, reply: DbReply, ctx: &mut Ctx) -> Command {
        if self.loading == Some(reply.id) {
            self.loading = None;
            match reply.result {
                Ok(Reply::Order(detail)) => {
                    self.load_error = None;
                    self.detail = Some(detail);
                    // A dialog whose action the reloaded build no longer offers would act on stale data.
                    if !self.mode_still_offered() {
                        self.mode = Mode::Browse;
                    }
                }
                Ok(_) => {}
                Err(e) => self.load_error = Some(e.user_message()),
            }
            return Command::None;
        }
        if let Mode::Assign {
            loading,
            users,
            selected,
            error,
            ..
        } = &mut self.mode
            && *loading == Some(reply.id)
        {
            *loading = None;
            match reply.result {
                Ok(Reply::Users(list)) => {
                    *users = list.into_iter().filter(|u| u.is_active).collect();
                    let current = self
                        .detail
                        .as_deref()
                        .and_then(|d| d.assignee.as_ref().map(|(id, _)| *id));
                    *selected = current
                        .and_then(|c| users.iter().position(|u| u.id == c))
                        .unwrap_or(0);
                }
                Ok(_) => {}
                Err(e) => *error = Some(e.user_message()),
            }
            return Command::None;
        }
        let Some(write) = self.writing.take_if(|w| w.id == reply.id) else {
            return Command::None;
        };
        match reply.result {
            Ok(_) => {
                self.mode = Mode::Browse;
                self.notice = None;
                ctx.toast(Toast::info(write.success));
                self.reload(ctx)
            }
            // Nothing was decided: keep the dialog and what was typed, so the user can try again.
            Err(e @ DbError::Unavailable(_)) => {
                self.set_dialog_error(e.user_message());
                Command::None
            }
            Err(e) => {
                self.mode = Mode::Browse;
                self.notice = Some(e.user_message());
                self.reload(ctx)
            }
        }
    }

    fn mode_still_offered(&self) -> bool {
        match &self.mode {
            Mode::Browse => true,
            Mode::ConfirmMove { .. } | Mode::Ship { .. } => !self.moves().is_empty(),
            Mode::Override { .. } => !self.overrides().is_empty(),
            Mode::Assign { .. } => self.offers(&OrderAction::Assign),
            // A BOM that changed meanwhile is not the one the user was asked about.
            Mode::ConfirmBom {
                change, version, ..
            } => {
                let action = match change {
                    BomChange::Approve => OrderAction::ApproveBom,
                    BomChange::Regenerate => OrderAction::RegenerateBom,
                };
                self.offers(&action) && self.bom_version() == *version
            }
        }
    }

    fn set_dialog_error(&mut self, text: String) {
        match &mut self.mode {
            Mode::ConfirmMove { error, .. }
            | Mode::ConfirmBom { error, .. }
            | Mode::Ship { error, .. }
            | Mode::Override { error, .. }
            | Mode::Assign { error, .. } => *error = Some(text),
            Mode::Browse => self.notice = Some(text),
        }
    }

    pub fn view(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        if area.height < 3 || area.width < 20 {
            return;
        }
        let Some(d) = self.detail.as_deref() else {
            self.view_placeholder(frame, area, theme);
            return;
        };
        let mut title = format!("Build {} · PO {}", d.build.build_number, d.header.po_number);
        if self.loading.is_some() {
            title.push_str(" (refreshing…)");
        }
        let block = panel(&title, theme);
        let inner = block.inner(area);
        let inner = inset(inner, 1);
        let width = usize::from(inner.width);

        let mut top = header_lines(d, width, theme);
        top.extend(self.action_lines(d, width, theme));
        if let Some(text) = self.notice.as_ref().or(self.load_error.as_ref()) {
            top.extend(error_lines(text, width, theme));
        }
        let body = body_lines(d, width, theme);
        scrolled_panel(
            frame,
            area,
            block,
            inner,
            top,
            body,
            &mut self.scroll,
            theme,
        );
        self.view_dialog(frame, area, theme);
    }

    fn view_placeholder(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let block = panel("Build", theme);
        let inner = inset(block.inner(area), 1);
        frame.render_widget(block, area);
        draw_loading(
            frame,
            inner,
            self.load_error.as_deref(),
            "… Loading build",
            theme,
        );
    }

    fn action_lines(&self, d: &OrderDetail, width: usize, theme: &Theme) -> Vec<Line<'static>> {
        let mut items: Vec<(String, String)> = Vec::new();
        let moves = self.moves();
        if !moves.is_empty() {
            let to: Vec<&str> = moves.iter().map(|s| s.code()).collect();
            items.push((
                self.keys.move_.clone(),
                format!("Move to {}", to.join(" or ")),
            ));
        }
        let overrides = self.overrides();
        if !overrides.is_empty() {
            let to: Vec<&str> = overrides.iter().map(|s| s.code()).collect();
            items.push((
                self.keys.override_.clone(),
                format!("Override to {}", to.join(" or ")),
            ));
        }
        if d.actions.contains(&OrderAction::Assign) {
            items.push((self.keys.assign.clone(), "Assign".to_string()));
        }
        if d.actions.contains(&OrderAction::EditConfiguration) {
            items.push((self.keys.edit.clone(), "Edit configuration".to_string()));
        }
        if d.actions.contains(&OrderAction::ApproveBom) {
            items.push((self.keys.approve_bom.clone(), "Approve BOM".to_string()));
        }
        if d.actions.contains(&OrderAction::RegenerateBom) {
            items.push((
                self.keys.regenerate_bom.clone(),
                "Regenerate BOM".to_string(),
            ));
        }
        const LABEL: &str = "Actions      ";
        let mut lines = Vec::new();
        let mut spans = vec![Span::styled(LABEL, theme.muted)];
        if items.is_empty() {
            spans.push(Span::styled(
                "none for you in this status (read-only)",
                theme.muted,
            ));
            return vec![Line::from(spans)];
        }
        let mut used = LABEL.len();
        for (i, (key, text)) in items.into_iter().enumerate() {
            let w = key.chars().count() + 1 + text.chars().count();
            let sep = if i == 0 { 0 } else { 3 };
            if i > 0 && used + sep + w > width {
                lines.push(Line::from(std::mem::take(&mut spans)));
                spans.push(Span::raw(" ".repeat(LABEL.len())));
                used = LABEL.len();
            } else if i > 0 {
                spans.push(Span::styled(" · ", theme.muted));
                used += sep;
            }
            spans.push(Span::styled(key, theme.key_hint));
            spans.push(Span::raw(format!(" {text}")));
            used += w;
        }
        lines.push(Line::from(spans));
        lines
    }

    fn view_dialog(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let busy = self.writing.is_some().then_some("… Saving, please wait");
        let build = self
            .detail
            .as_deref()
            .map(|d| (d.build.build_number.clone(), d.status, d.assignee.clone()));
        let Some((build, from, assignee)) = build else {
            return;
        };
        match &mut self.mode {
            Mode::Browse => {}
            Mode::ConfirmMove {
                targets,
                index,
                error,
            } => {
                let to = targets.get(*index).copied().unwrap_or(from);
                let mut lines = vec![format!("Move {build} from {from} to {to}?")];
                if targets.len() > 1 {
                    lines.push(format!(
                        "◀ ▶ choose the new status ({} of {})",
                        *index + 1,
                        targets.len()
                    ));
                }
                if let Some(b) = busy {
                    lines.push(b.to_string());
                } else if let Some(e) = error {
                    lines.push(format!("ERROR: {e}"));
                }
                confirm::render(
                    frame,
                    area,
                    "Move status",
                    &lines,
                    &self.keys.confirm,
                    theme,
                );
            }
            Mode::ConfirmBom {
                change,
                version,
                error,
            } => {
                let (title, mut lines) = match (*change, *version) {
                    (BomChange::Approve, v) => (
                        "Approve BOM",
                        vec![format!(
                            "Approve BOM version {} of {build}?",
                            v.unwrap_or_default()
                        )],
                    ),
                    (BomChange::Regenerate, Some(v)) => (
                        "Regenerate BOM",
                        vec![
                            format!("Regenerate the BOM of {build}?"),
                            format!(
                                "A new DRAFT version replaces version {v}; it must be approved again."
                            ),
                        ],
                    ),
                    (BomChange::Regenerate, None) => (
                        "Regenerate BOM",
                        vec![
                            format!("Regenerate the BOM of {build}?"),
                            "A new DRAFT version is generated; it must be approved.".to_string(),
                        ],
                    ),
                };
                if let Some(b) = busy {
                    lines.push(b.to_string());
                } else if let Some(e) = error {
                    lines.push(format!("ERROR: {e}"));
                }
                confirm::render(frame, area, title, &lines, &self.keys.confirm, theme);
            }
            Mode::Ship { form, error } => {
                dim(frame, area, theme);
                let inner = dialog(frame, centered(area, 76, 11), "Ship build", theme);
                frame.render_widget(
                    Paragraph::new(format!("Move {build} from {from} to SHIPPED?")),
                    row(inner, 1),
                );
                form.render(frame, rows(inner, 3, form.height()), theme);
                request_status(frame, rows(inner, 8, 1), busy, error.as_deref(), theme);
            }
            Mode::Override {
                targets,
                form,
                error,
            } => {
                dim(frame, area, theme);
                let several = targets.len() > 1;
                let height = form.height() + 8;
                let inner = dialog(frame, centered(area, 76, height), "Override status", theme);
                let to = if several {
                    "the status chosen below".to_string()
                } else {
                    targets
                        .first()
                        .map_or_else(String::new, |t| t.code().to_string())
                };
                let width = usize::from(inner.width);
                frame.render_widget(
                    Paragraph::new(fit_text(&format!("Override {build}: {from} → {to}"), width)),
                    row(inner, 1),
                );
                frame.render_widget(
                    Paragraph::new(Span::styled(
                        "Its precondition is not checked; the reason goes into history and audit.",
                        theme.muted,
                    )),
                    row(inner, 2),
                );
                form.render(frame, rows(inner, 4, form.height()), theme);
                let status_row = 4 + form.height() + 1;
                request_status(
                    frame,
                    rows(inner, status_row, 1),
                    busy,
                    error.as_deref(),
                    theme,
                );
            }
            Mode::Assign {
                role,
                users,
                selected,
                loading,
                error,
            } => {
                dim(frame, area, theme);
                let entries = users.len() + usize::from(assignee.is_some());
                let list_h = u16::try_from(entries.clamp(1, 8)).unwrap_or(8);
                let inner = dialog(
                    frame,
                    centered(area, 60, list_h + 7),
                    &format!("Assign {build}"),
                    theme,
                );
                let current = assignee.as_ref().map_or_else(
                    || "unassigned".to_string(),
                    |(_, name)| format!("now {name}"),
                );
                frame.render_widget(
                    Paragraph::new(format!("Active {} ({current}):", role_plural(*role))),
                    row(inner, 1),
                );
                let list_area = rows(inner, 3, list_h);
                if loading.is_some() {
                    frame.render_widget(
                        Paragraph::new(Span::styled(
                            format!("… Loading {}", role_plural(*role)),
                            theme.muted,
                        )),
                        row(list_area, 0),
                    );
                } else if entries == 0 && error.is_none() {
                    frame.render_widget(
                        Paragraph::new(Span::styled(
                            format!("No active {}.", role_plural(*role)),
                            theme.muted,
                        )),
                        row(list_area, 0),
                    );
                } else {
                    let first = selected.saturating_sub(usize::from(list_h) - 1);
                    let current_id = assignee.as_ref().map(|(id, _)| *id);
                    let mut labels: Vec<(String, bool)> = users
                        .iter()
                        .map(|u| {
                            let mark = if Some(u.id) == current_id {
                                " · current"
                            } else {
                                ""
                            };
                            (format!("{} ({}){mark}", u.full_name, u.username), false)
                        })
                        .collect();
                    if assignee.is_some() {
                        labels.push(("Unassign".to_string(), true));
                    }
                    for (i, (label, special)) in labels
                        .iter()
                        .enumerate()
                        .skip(first)
                        .take(usize::from(list_h))
                    {
                        let is_sel = i == *selected;
                        let marker = if is_sel { "▶ " } else { "  " };
                        let style = if is_sel {
                            theme.selected
                        } else if *special {
                            theme.muted
                        } else {
                            theme.base
                        };
                        let text =
                            fit_text(&format!("{marker}{label}"), usize::from(list_area.width));
                        let r = row(list_area, u16::try_from(i - first).unwrap_or(0));
                        frame.render_widget(Paragraph::new(Span::styled(text, style)), r);
                    }
                }
                request_status(
                    frame,
                    rows(inner, 3 + list_h + 1, 1),
                    busy,
                    error.as_deref(),
                    theme,
                );
            }
        }
    }
}

fn ship_mode() -> Mode {
    let form = Form::new(vec![
        FormField::text("Tracking number")
            .with_max_len(MAX_TRACKING)
            .with_hint(format!("Optional, up to {MAX_TRACKING} characters")),
        FormField::text("Shipping note")
            .with_max_len(MAX_SHIPPING_NOTE)
            .with_hint(format!("Optional, up to {MAX_SHIPPING_NOTE} characters")),
    ])
    .with_input_width(46);
    Mode::Ship { form, error: None }
}

/// Label widths of the header's two columns.
const LW: usize = 13;
const RW: usize = 11;

/// The header: two columns of label and value.
fn header_lines(d: &OrderDetail, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let h = &d.header;
    let assignee = d
        .assignee
        .as_ref()
        .map_or_else(|| "— unassigned".to_string(), |(_, n)| n.clone());
    // The right column holds short values; the left one (customer, project) gets the rest.
    let right_need = RW + assignee.chars().count().max("YYYY-MM-DD HH:MM".len()) + 1;
    let right_w = right_need.clamp(RW + 17, (width / 2).max(RW + 17));
    let left_w = width.saturating_sub(right_w).max(LW + 8);
    let right_w = width.saturating_sub(left_w);
    let cells: [(&str, String, Style, &str, String); 4] = [
        (
            "Status",
            d.status.title().to_string(),
            theme.title,
            "Assignee",
            assignee,
        ),
        (
            "Customer",
            h.customer_name.clone(),
            theme.base,
            "Want date",
            h.want_date.format("%Y-%m-%d").to_string(),
        ),
        (
            "Project",
            h.project_name.clone().unwrap_or_else(|| "—".to_string()),
            theme.base,
            "Language",
            h.order_language.title().to_string(),
        ),
        (
            "Sales person",
            h.sales_person.clone(),
            theme.base,
            "Updated",
            d.updated_at.format("%Y-%m-%d %H:%M").to_string(),
        ),
    ];
    cells
        .into_iter()
        .map(|(l1, v1, s1, l2, v2)| {
            Line::from(vec![
                Span::styled(format!("{l1:<LW$}"), theme.muted),
                Span::styled(
                    format!(
                        "{:<w$}",
                        fit_text(&v1, left_w.saturating_sub(LW + 1)),
                        w = left_w - LW
                    ),
                    s1,
                ),
                Span::styled(format!("{l2:<RW$}"), theme.muted),
                Span::styled(fit_text(&v2, right_w.saturating_sub(RW)), theme.base),
            ])
        })
        .collect()
}

/// Label/value rows of a section; long values wrap under the value column.
struct Section {
    lines: Vec<Line<'static>>,
    width: usize,
}

const INDENT: usize = 2;
const LABEL_W: usize = 13;

impl Section {
    fn heading(&mut self, text: &str, theme: &Theme) {
        if !self.lines.is_empty() {
            self.lines.push(Line::default());
        }
        self.lines
            .push(Line::from(Span::styled(text.to_string(), theme.heading)));
    }

    fn kv(&mut self, label: &str, value: &str, theme: &Theme) {
        let value_w = self.width.saturating_sub(INDENT + LABEL_W).max(10);
        for (i, part) in wrap(value, value_w).into_iter().enumerate() {
            let label = if i == 0 { label } else { "" };
            self.lines.push(Line::from(vec![
                Span::raw(" ".repeat(INDENT)),
                Span::styled(format!("{label:<LABEL_W$}"), theme.muted),
                Span::styled(part, theme.base),
            ]));
        }
    }

    fn text(&mut self, text: &str, indent: usize, style: Style) {
        let w = self.width.saturating_sub(indent).max(10);
        for part in wrap(text, w) {
            self.lines.push(Line::from(vec![
                Span::raw(" ".repeat(indent)),
                Span::styled(part, style),
            ]));
        }
    }
}

fn transition_text(e: &HistoryEntry) -> String {
    match e.old_status {
        None => format!("→ {}", e.new_status),
        Some(old) if old == e.new_status => format!("{} (status unchanged)", e.new_status),
        Some(old) => format!("{old} → {}", e.new_status),
    }
}

/// Configuration, BOM, history and notes: the part of the screen that scrolls.
fn body_lines(d: &OrderDetail, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut s = Section {
        lines: Vec::new(),
        width,
    };
    let b = &d.build;
    s.heading("Configuration", theme);
    let basins = crate::domain::order::basins_of_model(&b.sink_model)
        .map_or_else(String::new, |n| {
            format!(", {n} basin{}", if n == 1 { "" } else { "s" })
        });
    s.kv(
        "Model",
        &format!("{} {}{basins}", b.sink_family.title(), b.sink_model),
        theme,
    );
    s.kv(
        "Size",
        &format!("{} x {} in (width x length)", b.sink_width, b.sink_length),
        theme,
    );
    s.kv(
        "Legs",
        &format!("{}, {}", b.legs_type.title(), b.legs_model),
        theme,
    );
    s.kv("Feet", b.feet_type.title(), theme);
    s.kv("Direction", b.workflow_direction.title(), theme);
    let pegboard = if b.has_pegboard {
        let colour = b.pegboard_color.map_or("colour not set", |c| c.title());
        let kind = b
            .pegboard_type
            .map_or("type not set", |t| t.title())
            .to_lowercase();
        let size = match (b.pegboard_size_type, b.pegboard_width, b.pegboard_length) {
            (Some(crate::domain::order::PegboardSizeType::Custom), Some(w), Some(l)) => {
                format!("custom {w} x {l} in")
            }
            (Some(crate::domain::order::PegboardSizeType::Custom), _, _) => "custom".to_string(),
            _ => "same as sink".to_string(),
        };
        format!("{colour}, {kind}, {size}")
    } else {
        "None".to_string()
    };
    s.kv("Pegboard", &pegboard, theme);
    if b.basins.is_empty() {
        s.kv("Basins", "None", theme);
    }
    for (i, basin) in b.basins.iter().enumerate() {
        let mut text = format!(
            "{}: {} {}x{}x{}{}",
            basin.basin_index,
            basin.basin_type.title(),
            basin.basin_width,
            basin.basin_length,
            basin.basin_depth,
            if basin.is_custom_size {
                " (custom)"
            } else {
                ""
            },
        );
        if basin.has_p_trap_drain {
            text.push_str(", P-trap");
        }
        if basin.has_basin_light {
            text.push_str(", basin light");
        }
        s.kv(if i == 0 { "Basins" } else { "" }, &text, theme);
    }
    if b.faucets.is_empty() {
        s.kv("Faucets", "None", theme);
    }
    for (i, f) in b.faucets.iter().enumerate() {
        let text = format!(
            "{} x {}, {}",
            f.quantity,
            f.faucet_type.title(),
            f.placement.title().to_lowercase()
        );
        s.kv(if i == 0 { "Faucets" } else { "" }, &text, theme);
    }
    if b.sprayers.is_empty() {
        s.kv("Sprayers", "None", theme);
    }
    for (i, sp) in b.sprayers.iter().enumerate() {
        let text = format!(
            "{} x {}, {}",
            sp.quantity,
            sp.sprayer_type.title(),
            sp.location.title().to_lowercase()
        );
        s.kv(if i == 0 { "Sprayers" } else { "" }, &text, theme);
    }
    if b.accessories.is_empty() {
        s.kv("Accessories", "None", theme);
    }
    for (i, a) in b.accessories.iter().enumerate() {
        let text = format!("{} x {}", a.quantity, a.assembly_id);
        s.kv(if i == 0 { "Accessories" } else { "" }, &text, theme);
    }

    s.heading("Bill of materials", theme);
    match &d.bom {
        Some(bom) => {
            let status_style = if bom.status == "APPROVED" {
                theme.ok
            } else {
                theme.warn
            };
            s.lines.push(Line::from(vec![
                Span::raw(" ".repeat(INDENT)),
                Span::styled(format!("{:<LABEL_W$}", "Version"), theme.muted),
                Span::raw(format!("{} · ", bom.version)),
                Span::styled(bom.status.clone(), status_style),
                Span::raw(format!(" · {} top-level lines", bom.top_level_lines)),
            ]));
            match bom.notes.as_deref().filter(|n| !n.trim().is_empty()) {
                Some(notes) => {
                    for (i, line) in notes.lines().filter(|l| !l.trim().is_empty()).enumerate() {
                        s.kv(if i == 0 { "Notes" } else { "" }, line, theme);
                    }
                }
                None => s.kv("Notes", "No warnings", theme),
            }
        }
        None => s.kv("Version", "No BOM yet", theme),
    }

    if let Some(floor) = &d.floor {
        s.heading("Assembly floor", theme);
        for (label, text) in floor.lines() {
            s.kv(label, &text, theme);
        }
    }

    s.heading("History (newest first)", theme);
    let mut history: Vec<&HistoryEntry> = d.history.iter().collect();
    history.sort_by_key(|e| std::cmp::Reverse(e.timestamp));
    if history.is_empty() {
        s.text("No history.", INDENT, theme.muted);
    }
    let n = history.len();
    for (i, e) in history.into_iter().enumerate() {
        let rail = if i + 1 == n { "  " } else { "│ " };
        let user_w = 20;
        s.lines.push(Line::from(vec![
            Span::styled("● ", theme.focus),
            Span::styled(
                e.timestamp.format("%Y-%m-%d %H:%M").to_string(),
                theme.muted,
            ),
            Span::raw("  "),
            Span::styled(
                format!("{:<user_w$}", fit_text(&e.user, user_w)),
                theme.base,
            ),
            Span::raw(" "),
            Span::styled(e.action.clone(), theme.heading),
        ]));
        let body_w = width.saturating_sub(4).max(10);
        let mut parts = vec![(transition_text(e), theme.base)];
        if let Some(notes) = e.notes.as_deref().filter(|n| !n.trim().is_empty()) {
            parts.extend(wrap(notes, body_w).into_iter().map(|l| (l, theme.muted)));
        }
        for (text, style) in parts {
            s.lines.push(Line::from(vec![
                Span::styled(rail, theme.border),
                Span::raw("  "),
                Span::styled(text, style),
            ]));
        }
    }

    s.heading("Notes", theme);
    match d.header.notes.as_deref().filter(|n| !n.trim().is_empty()) {
        Some(notes) => s.text(notes, INDENT, theme.base),
        None => s.text("No notes.", INDENT, theme.muted),
    }
    s.lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::order::{
        BuildConfig, DocumentLanguage, FeetType, LegsType, OrderHeader, OrderRow,
    };
    use crate::domain::order_view::BomSummary;
    use crate::domain::session::Session;
    use crate::keymap::Keymap;
    use crate::msg::DbRequest;
    use crate::screens::IdGen;
    use chrono::{NaiveDate, NaiveDateTime};

    fn session(role: Role) -> Session {
        Session {
            token: "t".into(),
            user: UserSummary {
                id: Uuid::nil(),
                username: "u".into(),
                full_name: "U Ser".into(),
                initials: "US".into(),
                role,
                is_active: true,
                last_login_at: None,
                must_change_password: false,
            },
            expires_at: NaiveDateTime::default(),
        }
    }

    fn detail(status: OrderStatus, actions: Vec<OrderAction>) -> OrderDetail {
        OrderDetail {
            id: Uuid::from_u128(7),
            header: OrderHeader {
                po_number: "4500012".into(),
                customer_name: "St. Mary's Hospital".into(),
                project_name: None,
                sales_person: "Jo Sales".into(),
                want_date: NaiveDate::from_ymd_opt(2025, 3, 20).unwrap_or_default(),
                order_language: DocumentLanguage::En,
                notes: None,
            },
            build: BuildConfig::new(
                "24-0117",
                "T2-B1",
                (30, 60),
                LegsType::HeightAdjustable,
                "DL27",
                FeetType::LockLevelingCasters,
            ),
            status,
            assignee: None,
            bom: Some(BomSummary {
                version: 1,
                status: "APPROVED".into(),
                top_level_lines: 9,
                notes: None,
            }),
            floor: None,
            history: Vec::new(),
            actions,
            created_at: NaiveDateTime::default(),
            updated_at: NaiveDateTime::default(),
        }
    }

    struct Harness {
        ids: IdGen,
        km: Keymap,
        session: Session,
    }

    fn requests(cmd: Command) -> Vec<DbRequest> {
        match cmd {
            Command::Db(r) => vec![r],
            Command::Batch(cs) => cs.into_iter().flat_map(requests).collect(),
            Command::None | Command::Quit => Vec::new(),
        }
    }

    impl Harness {
        fn new(role: Role) -> Harness {
            Harness {
                ids: IdGen::default(),
                km: Keymap::default(),
                session: session(role),
            }
        }

        fn run(&mut self, f: impl FnOnce(&mut Ctx) -> Command) -> (Vec<DbRequest>, Vec<Effect>) {
            let mut ctx = Ctx::new(&mut self.ids, Some(&self.session), &self.km);
            let cmd = f(&mut ctx);
            (requests(cmd), ctx.into_effects())
        }

        /// The screen with `detail` loaded.
        fn loaded(&mut self, d: OrderDetail) -> OrderDetailScreen {
            let mut ctx = Ctx::new(&mut self.ids, Some(&self.session), &self.km);
            let (mut s, cmd) = OrderDetailScreen::open(d.id, &mut ctx);
            let reqs = requests(cmd);
            assert!(matches!(
                reqs.first().map(|r| &r.kind),
                Some(Request::OrderDetail { .. })
            ));
            let id = reqs.first().map(|r| r.id).unwrap_or_default();
            self.run(|ctx| {
                s.update(
                    ScreenMsg::Db(DbReply {
                        id,
                        result: Ok(Reply::Order(Box::new(d))),
                    }),
                    ctx,
                )
            });
            s
        }

        fn act(&mut self, s: &mut OrderDetailScreen, a: Action) -> (Vec<DbRequest>, Vec<Effect>) {
            self.run(|ctx| s.update(ScreenMsg::Action(a), ctx))
        }

        fn reply(
            &mut self,
            s: &mut OrderDetailScreen,
            req: &DbRequest,
            result: Result<Reply, DbError>,
        ) -> (Vec<DbRequest>, Vec<Effect>) {
            self.run(|ctx| s.update(ScreenMsg::Db(DbReply { id: req.id, result }), ctx))
        }
    }

    fn row_of(d: &OrderDetail) -> OrderRow {
        OrderRow {
            id: d.id,
            po_number: d.header.po_number.clone(),
            build_number: d.build.build_number.clone(),
            customer_name: d.header.customer_name.clone(),
            sink_model: d.build.sink_model.clone(),
            status: d.status,
            want_date: d.header.want_date,
            assignee: None,
            days_left: 3,
        }
    }

    #[test]
    fn only_listed_actions_have_keys() {
        let mut h = Harness::new(Role::ProductionCoordinator);
        let s = h.loaded(detail(
            OrderStatus::OrderCreated,
            vec![OrderAction::Assign, OrderAction::EditConfiguration],
        ));
        let stack = s.key_contexts();
        assert!(stack.contains(&KeyContext::AssignAction));
        assert!(stack.contains(&KeyContext::EditAction));
        assert!(!stack.contains(&KeyContext::MoveAction));
        assert!(!stack.contains(&KeyContext::OverrideAction));
        let bar: Vec<Action> = h.km.key_bar(&stack).iter().map(|l| l.action).collect();
        assert!(bar.contains(&Action::AssignBuild));
        assert!(!bar.contains(&Action::MoveStatus));

        // A key whose action is not offered does nothing, even if it reached the screen.
        let mut h = Harness::new(Role::QcPerson);
        let mut s = h.loaded(detail(OrderStatus::OrderCreated, Vec::new()));
        assert_eq!(s.key_contexts(), vec![KeyContext::Detail, KeyContext::List]);
        for a in [
            Action::MoveStatus,
            Action::OverrideStatus,
            Action::AssignBuild,
            Action::EditBuild,
        ] {
            let (reqs, effects) = h.act(&mut s, a);
            assert!(reqs.is_empty() && effects.is_empty(), "{a:?} acted");
        }
    }

    #[test]
    fn move_confirms_then_sends_the_transition() {
        let mut h = Harness::new(Role::ProcurementSpecialist);
        let d = detail(
            OrderStatus::OrderCreated,
            vec![OrderAction::Move {
                to: OrderStatus::PartsSent,
            }],
        );
        let mut s = h.loaded(d.clone());
        let (reqs, _) = h.act(&mut s, Action::MoveStatus);
        assert!(reqs.is_empty(), "asks first");
        assert_eq!(s.key_contexts(), vec![KeyContext::Confirm]);
        let (reqs, _) = h.act(&mut s, Action::Yes);
        assert_eq!(reqs.len(), 1);
        assert_eq!(
            reqs[0].kind,
            Request::Transition {
                token: "t".into(),
                order_id: d.id,
                from: OrderStatus::OrderCreated,
                to: OrderStatus::PartsSent,
                note: None,
                override_reason: None,
            }
        );
        // Success: a toast and a reload.
        let (reload, effects) = h.reply(&mut s, &reqs[0], Ok(Reply::OrderUpdated(row_of(&d))));
        assert!(matches!(
            reload.first().map(|r| &r.kind),
            Some(Request::OrderDetail { .. })
        ));
        assert!(
            matches!(effects.first(), Some(Effect::Toast(t)) if t.text == "24-0117 moved to PARTS_SENT")
        );
    }

    #[test]
    fn shipping_sends_tracking_and_note() {
        let mut h = Harness::new(Role::ProductionCoordinator);
        let mut s = h.loaded(detail(
            OrderStatus::ReadyForShip,
            vec![OrderAction::Move {
                to: OrderStatus::Shipped,
            }],
        ));
        h.act(&mut s, Action::MoveStatus);
        for c in "1Z999".chars() {
            h.run(|ctx| s.update(ScreenMsg::Char(c), ctx));
        }
        h.act(&mut s, Action::Submit);
        h.run(|ctx| s.update(ScreenMsg::Paste("Left by truck".into()), ctx));
        let (reqs, _) = h.act(&mut s, Action::Submit);
        assert!(matches!(
            &reqs[0].kind,
            Request::Transition { to: OrderStatus::Shipped, note: Some(n), override_reason: None, .. }
                if n == "1Z999\nLeft by truck"
        ));
    }

    #[test]
    fn a_shipping_note_with_a_forbidden_character_is_refused_and_kept() {
        let mut h = Harness::new(Role::ProductionCoordinator);
        let mut s = h.loaded(detail(
            OrderStatus::ReadyForShip,
            vec![OrderAction::Move {
                to: OrderStatus::Shipped,
            }],
        ));
        h.act(&mut s, Action::MoveStatus);
        h.act(&mut s, Action::Submit);
        h.run(|ctx| s.update(ScreenMsg::Paste("Left\u{202E} by truck".into()), ctx));
        let (reqs, _) = h.act(&mut s, Action::Submit);
        assert!(reqs.is_empty());
        let kept = match &s.mode {
            Mode::Ship { form, error } => Some((form.value(1), error.clone())),
            _ => None,
        };
        assert_eq!(
            kept,
            Some((
                "Left\u{202E} by truck".to_string(),
                Some(
                    "Shipping note: contains the direction-changing character U+202E; remove it"
                        .to_string()
                )
            ))
        );
    }

    #[test]
    fn override_without_a_reason_is_refused_locally() {
        let mut h = Harness::new(Role::Admin);
        let mut s = h.loaded(detail(
            OrderStatus::OrderCreated,
            vec![OrderAction::Override {
                to: OrderStatus::PartsSent,
            }],
        ));
        h.act(&mut s, Action::OverrideStatus);
        h.run(|ctx| s.update(ScreenMsg::Char(' '), ctx));
        let (reqs, _) = h.act(&mut s, Action::Submit);
        assert!(reqs.is_empty());
        let Mode::Override { form, .. } = &s.mode else {
            unreachable!("the override dialog stays open");
        };
        assert_eq!(
            form.field(0).and_then(FormField::error),
            Some(crate::domain::lifecycle::OVERRIDE_REASON_REQUIRED)
        );
        for c in "BOM approved on paper".chars() {
            h.run(|ctx| s.update(ScreenMsg::Char(c), ctx));
        }
        let (reqs, _) = h.act(&mut s, Action::Submit);
        assert!(matches!(
            &reqs[0].kind,
            Request::Transition { to: OrderStatus::PartsSent, override_reason: Some(r), .. }
                if r == "BOM approved on paper"
        ));
    }

    #[test]
    fn a_conflict_shows_the_message_and_reloads() {
        let mut h = Harness::new(Role::ProcurementSpecialist);
        let mut s = h.loaded(detail(
            OrderStatus::OrderCreated,
            vec![OrderAction::Move {
                to: OrderStatus::PartsSent,
            }],
        ));
        h.act(&mut s, Action::MoveStatus);
        let (reqs, _) = h.act(&mut s, Action::Yes);
        let msg = "Build 24-0117 is now PARTS_SENT (changed by Priya Natarajan at 09:12); \
                   your change was not saved";
        let (reload, _) = h.reply(&mut s, &reqs[0], Err(DbError::Conflict(msg.into())));
        assert_eq!(s.notice(), Some(msg));
        assert!(matches!(s.mode, Mode::Browse));
        assert!(matches!(
            reload.first().map(|r| &r.kind),
            Some(Request::OrderDetail { .. })
        ));
    }

    #[test]
    fn assign_asks_for_the_role_that_fits_the_status() {
        let mut h = Harness::new(Role::ProductionCoordinator);
        let mut d = detail(OrderStatus::ReadyForFinalQc, vec![OrderAction::Assign]);
        d.assignee = Some((Uuid::from_u128(4), "Quentin Okafor".into()));
        let mut s = h.loaded(d.clone());
        let (reqs, _) = h.act(&mut s, Action::AssignBuild);
        assert!(matches!(
            &reqs[0].kind,
            Request::UsersWithRole {
                role: Role::QcPerson,
                ..
            }
        ));
        let qc = |n: u128, name: &str| UserSummary {
            id: Uuid::from_u128(n),
            username: name.to_lowercase(),
            full_name: name.into(),
            initials: "QC".into(),
            role: Role::QcPerson,
            is_active: true,
            last_login_at: None,
            must_change_password: false,
        };
        h.reply(
            &mut s,
            &reqs[0],
            Ok(Reply::Users(vec![
                qc(4, "Quentin Okafor"),
                qc(9, "Nina Park"),
            ])),
        );
        // The current assignee is preselected; the entry after the users unassigns.
        h.act(&mut s, Action::Down);
        h.act(&mut s, Action::Down);
        let (reqs, _) = h.act(&mut s, Action::AssignBuild);
        assert!(matches!(
            &reqs[0].kind,
            Request::Assign {
                expected: OrderStatus::ReadyForFinalQc,
                assignee: None,
                ..
            }
        ));
        assert_eq!(assignee_role(OrderStatus::ReadyForShip), None);
        assert_eq!(
            assignee_role(OrderStatus::PartsSent),
            Some(Role::ProcurementSpecialist)
        );
    }

    #[test]
    fn edit_and_back_navigate() {
        let mut h = Harness::new(Role::ProductionCoordinator);
        let mut s = h.loaded(detail(
            OrderStatus::OrderCreated,
            vec![OrderAction::EditConfiguration],
        ));
        let (_, effects) = h.act(&mut s, Action::EditBuild);
        assert_eq!(
            effects,
            vec![Effect::Navigate(ScreenId::EditBuild(Uuid::from_u128(7)))]
        );
        let (_, effects) = h.act(&mut s, Action::Back);
        assert_eq!(effects, vec![Effect::Back(ScreenId::Orders)]);
        let (_, effects) = h.act(&mut s, Action::ViewBom);
        assert_eq!(
            effects,
            vec![Effect::Navigate(ScreenId::Bom(Uuid::from_u128(7)))]
        );
    }

    #[test]
    fn wrap_keeps_words_and_splits_long_ones() {
        assert_eq!(wrap("a bb ccc", 4), vec!["a bb", "ccc"]);
        assert_eq!(wrap("abcdefgh", 3), vec!["abc", "def", "gh"]);
        assert_eq!(wrap("", 5), vec![""]);
    }
}
