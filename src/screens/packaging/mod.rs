//! The packaging checklist: packed quantities and mounted items, then the moves to Final QC.
//!
//! Every change goes to the server at once and the reply (the whole checklist) replaces the screen's copy.
//! Keys pressed faster than the replies come back are kept as the latest wanted value per line and sent one
//! at a time, so the stored checklist ends as the user typed it; until then the screen shows those values.

mod moves;
mod scan;
mod view;

use crate::domain::Role;
use crate::domain::floor::{PackagingLine, PackagingView, item_complete};
use crate::domain::live::{Entity, LiveEvent};
use crate::domain::order::OrderStatus;
use crate::domain::scan::Scan;
use crate::keymap::{Action, HelpLine, KeyContext};
use crate::msg::{Command, Reply, Request, RequestId, ServiceReply};
use crate::screens::Screen;
use crate::screens::live_reads::{LiveForm, Stale};
use crate::screens::pending::Pending;
use crate::screens::{Ctx, Effect, ScreenId};
use crate::theme::Theme;
use crate::widgets::form_field::{Form, FormField};
use crate::widgets::list_cursor::ListCursor;
use crate::widgets::list_step;
use crate::widgets::signing::{SignKey, SigningDialog};
use ratatui::Frame;
use ratatui::layout::Rect;
use std::time::{Duration, Instant};
use uuid::Uuid;

/// How often an idle screen reloads: only a safety net, since another station's packing arrives as a
/// live event (docs/live.md §3.6).
pub const RELOAD_EVERY: Duration = Duration::from_secs(60);

/// One wanted change of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    Packed(i32),
    Mounted(bool),
}

impl Change {
    fn same_kind(self, other: Change) -> bool {
        matches!(
            (self, other),
            (Change::Packed(_), Change::Packed(_)) | (Change::Mounted(_), Change::Mounted(_))
        )
    }

    /// The line as the server leaves it after this change (packing clears a "mounted" mark).
    fn apply(self, line: &mut PackagingLine) {
        match self {
            Change::Packed(n) => {
                line.packed = n;
                line.mounted = false;
            }
            Change::Mounted(m) => line.mounted = m,
        }
        line.complete = item_complete(line.packed, line.required, line.mounted);
    }
}

enum Mode {
    Browse,
    /// The quantity dialog for one line.
    Quantity {
        line: Uuid,
        form: Form,
    },
    /// The status move, asked before it is sent.
    ConfirmMove {
        to: OrderStatus,
        error: Option<String>,
    },
    /// A signed move (packaging complete, docs/signatures.md §1), with the password.
    Sign {
        to: OrderStatus,
        dialog: Box<SigningDialog>,
    },
}

pub struct PackagingScreen {
    order_id: Uuid,
    role: Option<Role>,
    user_id: Option<Uuid>,
    view: Option<Box<PackagingView>>,
    /// The build's status and assignee, from the build detail.
    status: Option<OrderStatus>,
    assignee: Option<Uuid>,
    loading: Pending,
    detail_loading: Pending,
    load_error: Option<String>,
    /// The last refused change or move, shown until the next key.
    error: Option<String>,
    selected: Option<Uuid>,
    table: ListCursor,
    /// The change sent and not yet answered.
    in_flight: Option<(RequestId, Uuid, Change)>,
    /// Changes not yet sent, oldest first; at most one per line and kind.
    unsent: Vec<(Uuid, Change)>,
    moving: Pending<OrderStatus>,
    mode: Mode,
    /// When the checklist was last (re)loaded, as seen by the first tick after it.
    loaded_at: Option<Instant>,
    confirm_keys: Vec<HelpLine>,
    /// The user's full name, the printed name of what they sign here.
    signer: String,
    /// Another station changed the build's packaging (docs/live.md §3.3).
    stale: Stale,
}

impl PackagingScreen {
    pub fn open(order_id: Uuid, ctx: &mut Ctx) -> (PackagingScreen, Command) {
        let mut s = PackagingScreen {
            order_id,
            role: ctx.session().map(|s| s.user.role),
            user_id: ctx.session().map(|s| s.user.id),
            view: None,
            status: None,
            assignee: None,
            loading: Pending::new(),
            detail_loading: Pending::new(),
            load_error: None,
            error: None,
            selected: None,
            table: ListCursor::default(),
            in_flight: None,
            unsent: Vec::new(),
            moving: Pending::new(),
            mode: Mode::Browse,
            loaded_at: None,
            confirm_keys: ctx.keymap().key_bar(&[KeyContext::Confirm]),
            stale: Stale::default(),
            signer: ctx
                .session()
                .map(|s| s.user.full_name.clone())
                .unwrap_or_default(),
        };
        let cmd = s.reload(ctx);
        (s, cmd)
    }

    pub fn order_id(&self) -> Uuid {
        self.order_id
    }

    /// The checklist as shown: the server's last answer with the changes not yet stored on top.
    pub fn view_data(&self) -> Option<&PackagingView> {
        self.view.as_deref()
    }

    /// The message of the last refused change, if still shown.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    fn is_packer(&self) -> bool {
        matches!(self.role, Some(Role::Assembler | Role::Admin))
    }

    /// Why the checklist cannot be changed here, if it cannot (the server checks it again).
    fn read_only_reason(&self) -> Option<String> {
        if !self.is_packer() {
            return Some("Read-only: packaging is filled in by assemblers".into());
        }
        match self.status {
            None => Some("Loading the build…".into()),
            Some(OrderStatus::TestingComplete) => {
                let others = self.role == Some(Role::Assembler)
                    && self.assignee.is_some()
                    && self.assignee != self.user_id;
                others.then(|| "Read-only: the build is assigned to another assembler".into())
            }
            Some(OrderStatus::PackagingComplete) => Some("Read-only: packaging is complete".into()),
            Some(s) => Some(format!("Read-only: the build is {s}")),
        }
    }

    fn editable(&self) -> bool {
        self.read_only_reason().is_none()
    }

    fn busy(&self) -> bool {
        self.in_flight.is_some() || !self.unsent.is_empty()
    }

    fn reload(&mut self, ctx: &mut Ctx) -> Command {
        let Some(token) = ctx.token() else {
            return Command::None;
        };
        let order_id = self.order_id;
        let (id, load) = ctx.request(Request::Packaging {
            token: token.clone(),
            order_id,
        });
        self.loading.wait(id);
        let (id, detail) = ctx.request(Request::OrderDetail { token, order_id });
        self.detail_loading.wait(id);
        load.and(detail)
    }

    fn lines(&self) -> &[PackagingLine] {
        self.view.as_deref().map_or(&[], |v| v.lines.as_slice())
    }

    fn selected_index(&self) -> Option<usize> {
        let lines = self.lines();
        if lines.is_empty() {
            return None;
        }
        Some(
            self.selected
                .and_then(|id| lines.iter().position(|l| l.id == id))
                .unwrap_or(0),
        )
    }

    fn selected_line(&self) -> Option<&PackagingLine> {
        self.selected_index().and_then(|i| self.lines().get(i))
    }

    fn select(&mut self, index: usize) {
        self.selected = self.lines().get(index).map(|l| l.id);
    }

    fn on_browse(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        let n = self.lines().len();
        let current = self.selected_index().unwrap_or(0);
        let page = 10;
        if let Some(i) = list_step(action, current, n, page) {
            self.select(i);
            return Command::None;
        }
        match action {
            Action::Back => ctx.emit(Effect::Navigate(ScreenId::OrderDetail(self.order_id))),
            // Changes still going out would be overwritten on screen by the older reload.
            Action::Refresh if !self.busy() => return self.reload(ctx),
            Action::MoveStatus => {
                if let Some(to) = self.next_move() {
                    self.mode = self.move_mode(to);
                }
            }
            Action::Increase | Action::Decrease | Action::PackAll if self.editable() => {
                if let Some(line) = self.selected_line() {
                    let wanted = match action {
                        Action::Increase => line.packed + 1,
                        Action::Decrease => line.packed - 1,
                        _ if line.packed == line.required => 0,
                        _ => line.required,
                    };
                    if !(0..=line.required).contains(&wanted) {
                        self.error = Some(bounds_message(line));
                        return Command::None;
                    }
                    let id = line.id;
                    return self.want(id, Change::Packed(wanted), ctx);
                }
            }
            Action::ToggleMounted if self.editable() => {
                if let Some(line) = self.selected_line() {
                    if !line.mounted_allowed {
                        self.error = Some(format!(
                            "{} is packed, not mounted; enter the packed quantity",
                            line.item_id
                        ));
                        return Command::None;
                    }
                    let (id, mounted) = (line.id, !line.mounted);
                    return self.want(id, Change::Mounted(mounted), ctx);
                }
            }
            Action::EnterQuantity if self.editable() => {
                if let Some(line) = self.selected_line() {
                    let field = FormField::text("Packed")
                        .with_hint(format!("0 to {}", line.required))
                        .with_max_len(6);
                    let form = Form::new(vec![field]).with_input_width(8);
                    self.mode = Mode::Quantity {
                        line: line.id,
                        form,
                    };
                }
            }
            _ => {}
        }
        Command::None
    }

    fn on_quantity(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        let Mode::Quantity { line, form } = &mut self.mode else {
            return Command::None;
        };
        let line = *line;
        match action {
            Action::Cancel => {
                self.mode = Mode::Browse;
                Command::None
            }
            Action::Submit => {
                let required = self
                    .view
                    .as_deref()
                    .and_then(|v| v.lines.iter().find(|l| l.id == line).map(|l| l.required));
                let Some(required) = required else {
                    self.mode = Mode::Browse;
                    return Command::None;
                };
                match parse_quantity(&form.value(0), required) {
                    Ok(n) => {
                        self.mode = Mode::Browse;
                        self.want(line, Change::Packed(n), ctx)
                    }
                    Err(e) => {
                        form.set_error(0, e);
                        Command::None
                    }
                }
            }
            other => {
                form.handle(other);
                Command::None
            }
        }
    }

    /// Records a wanted change, shows it, and sends it unless another change is out.
    fn want(&mut self, line: Uuid, change: Change, ctx: &mut Ctx) -> Command {
        self.unsent_push(line, change);
        self.send_next(ctx)
    }

    fn unsent_push(&mut self, line: Uuid, change: Change) {
        self.unsent
            .retain(|(l, c)| !(*l == line && c.same_kind(change)));
        self.unsent.push((line, change));
        if let Some(v) = self.view.as_deref_mut()
            && let Some(l) = v.lines.iter_mut().find(|l| l.id == line)
        {
            change.apply(l);
            v.completed = v.lines.iter().all(|l| l.complete);
        }
    }

    fn send_next(&mut self, ctx: &mut Ctx) -> Command {
        if self.in_flight.is_some() || self.unsent.is_empty() {
            return Command::None;
        }
        let Some(token) = ctx.token() else {
            return Command::None;
        };
        let (line, change) = self.unsent.remove(0);
        let request = match change {
            Change::Packed(packed) => Request::SetPacked {
                token,
                item_id: line,
                packed,
            },
            Change::Mounted(mounted) => Request::SetMounted {
                token,
                item_id: line,
                mounted,
            },
        };
        let (id, cmd) = ctx.request(request);
        self.in_flight = Some((id, line, change));
        // A load sent before this change would show the line as it was; its answer is dropped.
        self.loading.clear();
        cmd
    }

    /// Takes a checklist from the server and puts the changes it does not hold yet on top.
    fn take_view(&mut self, mut view: PackagingView, includes_in_flight: bool) {
        let in_flight = self
            .in_flight
            .filter(|_| !includes_in_flight)
            .map(|(_, l, c)| (l, c));
        for (line, change) in in_flight.iter().chain(self.unsent.iter()) {
            if let Some(l) = view.lines.iter_mut().find(|l| l.id == *line) {
                change.apply(l);
            }
        }
        if in_flight.is_some() || !self.unsent.is_empty() {
            view.completed = view.lines.iter().all(|l| l.complete);
        }
        if self
            .selected
            .is_none_or(|id| !view.lines.iter().any(|l| l.id == id))
        {
            let index = self.selected_index().unwrap_or(0);
            self.selected = view
                .lines
                .get(index.min(view.lines.len().saturating_sub(1)))
                .map(|l| l.id);
        }
        self.view = Some(Box::new(view));
        self.load_error = None;
        self.loaded_at = None;
    }
}

impl Screen for PackagingScreen {
    fn title(&self) -> &'static str {
        "Packaging"
    }

    fn key_contexts(&self) -> Vec<KeyContext> {
        match &self.mode {
            Mode::Quantity { form, .. } => {
                let mut stack = form.key_contexts();
                stack.push(KeyContext::Dialog);
                stack
            }
            Mode::ConfirmMove { .. } => vec![KeyContext::Confirm],
            Mode::Sign { dialog, .. } => {
                let mut stack = dialog.form.key_contexts();
                stack.push(KeyContext::Dialog);
                stack
            }
            Mode::Browse => {
                let mut stack = Vec::new();
                if self.next_move().is_some() {
                    stack.push(KeyContext::MoveAction);
                }
                if self.editable() && self.view.is_some() {
                    stack.push(KeyContext::PackagingEdit);
                }
                stack.extend([KeyContext::Packaging, KeyContext::List]);
                stack
            }
        }
    }

    fn has_unsaved_input(&self) -> bool {
        match &self.mode {
            Mode::Quantity { form, .. } => form.has_input(),
            Mode::Browse | Mode::ConfirmMove { .. } | Mode::Sign { .. } => {
                self.in_flight.is_some() || !self.unsent.is_empty()
            }
        }
    }

    fn on_action(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        match &mut self.mode {
            Mode::Quantity { .. } => self.on_quantity(action, ctx),
            Mode::ConfirmMove { .. } => match action {
                Action::Yes => self.send_move(ctx),
                Action::No | Action::Cancel => {
                    self.mode = Mode::Browse;
                    Command::None
                }
                _ => Command::None,
            },
            Mode::Sign { dialog, .. } => match dialog.key(action) {
                SignKey::Sign => self.send_move(ctx),
                SignKey::Cancel => {
                    self.mode = Mode::Browse;
                    Command::None
                }
                SignKey::Handled => Command::None,
            },
            Mode::Browse => {
                self.error = None;
                self.on_browse(action, ctx)
            }
        }
    }

    fn on_reply(&mut self, reply: ServiceReply, ctx: &mut Ctx) -> Command {
        if self.loading.answered_by(reply.id) {
            match reply.result {
                Ok(Reply::Packaging(view)) => {
                    self.take_view(*view, false);
                    return self.live_loaded("Packaging", ctx);
                }
                Ok(_) => {}
                Err(e) => self.load_error = Some(e.user_message()),
            }
            return Command::None;
        }
        if self.detail_loading.answered_by(reply.id) {
            match reply.result {
                Ok(Reply::Order(d)) => {
                    self.status = Some(d.status);
                    self.assignee = d.assignee.as_ref().map(|(id, _)| *id);
                }
                Ok(_) => {}
                Err(e) => self.load_error = Some(e.user_message()),
            }
            return Command::None;
        }
        if let Some((id, line, _)) = self.in_flight
            && id == reply.id
        {
            self.in_flight = None;
            match reply.result {
                Ok(Reply::Packaging(view)) => self.take_view(*view, true),
                Ok(_) => {}
                Err(e) => {
                    self.error = Some(e.user_message());
                    // Later keys on the same line built on the refused value; the line goes back to
                    // the server's value with the reload below.
                    self.unsent.retain(|(l, _)| *l != line);
                }
            }
            let next = self.send_next(ctx);
            if self.error.is_some() && !self.busy() {
                return self.reload(ctx);
            }
            return next;
        }
        if let Some(to) = self.moving.take(reply.id) {
            return self.moved(to, reply.result, ctx);
        }
        Command::None
    }

    fn on_live(&mut self, ev: &LiveEvent, ctx: &mut Ctx) -> Command {
        self.live_event(ev, ctx)
    }

    fn on_tick(&mut self, now: Instant, ctx: &mut Ctx) -> Command {
        let live = self.live_tick(ctx);
        if live != Command::None {
            return live;
        }
        let Some(at) = self.loaded_at else {
            self.loaded_at = Some(now);
            return Command::None;
        };
        let idle = matches!(self.mode, Mode::Browse)
            && !self.busy()
            && !self.loading.in_flight()
            && !self.detail_loading.in_flight()
            && !self.moving.in_flight();
        if idle && now.saturating_duration_since(at) >= RELOAD_EVERY {
            self.loaded_at = Some(now);
            return self.reload(ctx);
        }
        Command::None
    }

    fn on_scan(&mut self, scan: &Scan, ctx: &mut Ctx) -> Option<Command> {
        self.pack_scanned(scan, ctx)
    }

    fn on_char(&mut self, c: char) {
        if let Some(form) = self.text_form() {
            form.clear_errors();
            form.type_char(c);
        }
    }

    fn on_paste(&mut self, text: &str) {
        if let Some(form) = self.text_form() {
            form.clear_errors();
            form.paste(text);
        }
    }

    fn text_form(&mut self) -> Option<&mut Form> {
        match &mut self.mode {
            Mode::Quantity { form, .. } => Some(form),
            Mode::Sign { dialog, .. } => Some(&mut dialog.form),
            Mode::Browse | Mode::ConfirmMove { .. } => None,
        }
    }

    /// Keys wait for the checklist it ticks: none until the first load has answered (docs/architecture.md §3.2).
    fn accepts_keys(&self) -> bool {
        self.view.is_some() || self.load_error.is_some()
    }

    fn view(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        self.draw(frame, area, theme);
    }
}

/// The state column: "complete", "mounted", or how many are still to pack.
fn state_text(l: &PackagingLine) -> String {
    if l.mounted {
        "mounted".into()
    } else if l.complete {
        "complete".into()
    } else {
        format!("{} to go", l.required - l.packed)
    }
}

fn bounds_message(l: &PackagingLine) -> String {
    format!(
        "Packed quantity must be between 0 and {} for {}",
        l.required, l.item_id
    )
}

/// The typed quantity as a number of `0..=required`, or the message to show under the field.
fn parse_quantity(text: &str, required: i32) -> Result<i32, String> {
    let text = text.trim();
    let range = format!("Enter a whole number from 0 to {required}");
    if text.is_empty() {
        return Err(range);
    }
    match text.parse::<i32>() {
        Ok(n) if (0..=required).contains(&n) => Ok(n),
        Ok(_) => Err(format!("{text} is out of range. {range}")),
        Err(_) => Err(format!("\"{text}\" is not a whole number. {range}")),
    }
}

impl LiveForm for PackagingScreen {
    fn build(&self) -> Uuid {
        self.order_id
    }

    fn shown(&self) -> &'static [Entity] {
        &[Entity::Packaging, Entity::Build, Entity::Hold]
    }

    /// The lines keep unsent changes over a reload; a quantity being typed or a question open waits.
    fn must_wait(&self) -> bool {
        !matches!(self.mode, Mode::Browse)
            || self.loading.in_flight()
            || self.detail_loading.in_flight()
            || self.moving.in_flight()
    }

    fn stale(&mut self) -> &mut Stale {
        &mut self.stale
    }

    fn load_again(&mut self, ctx: &mut Ctx) -> Command {
        self.reload(ctx)
    }
}

#[cfg(test)]
mod tests;
