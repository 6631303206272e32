//! One build: header, configuration, BOM summary, history and the actions the user may take.
//!
//! The server decides what the user may do (`OrderDetail::actions`); the screen offers exactly those,
//! each on its own key. The "Actions" line and the key bar are drawn from the same keymap lines of the
//! live key contexts, so they cannot disagree (docs/architecture.md §3.1). A move the screen already
//! knows is refused (no approved BOM) says so on the key and in the actions line, before any dialog.
//! After any write the detail is loaded again, so what is shown is what is stored, and a refused write
//! (another station was faster, a precondition failed) shows the server's message.

mod correction;
mod dialogs;
mod hold;
mod live;
mod view;
mod writes;

use crate::domain::Role;
use crate::domain::lifecycle::{
    MAX_OVERRIDE_REASON, MAX_SHIPPING_NOTE, MAX_TRACKING, Precondition, assignee_role,
    bom_approved_refusal, move_question,
};
use crate::domain::live::LiveEvent;
use crate::domain::order::{OrderAction, OrderStatus};
use crate::domain::order_view::OrderDetail;
use crate::domain::signature::{Meaning, SignatureCheck, move_signature};
use crate::domain::user::UserSummary;
use crate::keymap::{Action, HelpLine, KeyContext};
use crate::msg::{Command, Request, RequestId, ServiceReply};
use crate::screens::Screen;
use crate::screens::live_reads::Stale;
use crate::screens::pending::Pending;
use crate::screens::selection::moves;
use crate::screens::{Ctx, Effect, ScreenId};
use crate::theme::Theme;
use crate::widgets::Scroll;
use crate::widgets::form_field::{Form, FormField};
use crate::widgets::signing::SigningDialog;
use crate::widgets::toast::Toast;
use ratatui::Frame;
use ratatui::layout::Rect;
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

/// Shown when a write key is pressed before the build's reload has arrived.
const STILL_LOADING: &str = "Loading the build's current state; try again in a moment.";

/// The contexts whose keys the "Actions" line lists: each is live only when its action is offered.
pub(crate) const ACTION_CONTEXTS: [KeyContext; 13] = [
    KeyContext::MoveAction,
    KeyContext::OverrideAction,
    KeyContext::AssignAction,
    KeyContext::EditAction,
    KeyContext::ApproveBomAction,
    KeyContext::RegenerateBomAction,
    KeyContext::QcAction,
    KeyContext::FloorAction,
    KeyContext::RaiseNcAction,
    KeyContext::HoldAction,
    KeyContext::ReleaseHoldAction,
    KeyContext::CorrectAction,
    KeyContext::CancelAction,
];

/// The keymap's lines for the actions line (the action contexts, then the build's records), and the
/// answers of a question.
struct ActionKeys {
    lines: Vec<HelpLine>,
    confirm: Vec<HelpLine>,
}

/// The signed write a signing dialog makes (docs/signatures.md §1).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Gate {
    /// Approve the BOM version the user saw.
    ApproveBom(i32),
    /// A signed move without fields of its own (T6).
    Move(OrderStatus),
    /// T10 with its optional tracking number and shipping note.
    Ship,
    /// An ADMIN override to one of `targets`, with its reason.
    Override(Vec<OrderStatus>),
}

enum Mode {
    Browse,
    /// `Move <B> from <FROM> to <TO>?`; several targets are offered with Left/Right.
    ConfirmMove {
        targets: Vec<OrderStatus>,
        index: usize,
        error: Option<String>,
    },
    /// A signed write: BOM approval, T6, shipping, an override.
    Sign {
        gate: Gate,
        dialog: Box<SigningDialog>,
    },
    /// Regenerate the BOM; `version` is the current version the user saw.
    ConfirmRegenerate {
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
    /// Putting the build on hold, or releasing its hold (docs/holds.md §2).
    Hold(Box<crate::screens::hold_dialog::HoldDialog>),
    /// Correcting the build's details, or cancelling it (docs/lifecycle.md §11, §12).
    Correct(Box<correction::CorrectionDialog>),
}

pub struct OrderDetailScreen {
    order_id: Uuid,
    detail: Option<Box<OrderDetail>>,
    loading: Pending,
    load_error: Option<String>,
    /// The server's answer to the last refused write, shown until the user acts again.
    notice: Option<String>,
    /// A write on its way, with what to say when it succeeds.
    writing: Pending<String>,
    /// The device history record being written (docs/dhr.md §6).
    exporting: Pending,
    mode: Mode,
    /// From the last draw: how far the content scrolls and how many rows a page is.
    scroll: Scroll,
    keys: ActionKeys,
    /// The user's role, for the keys the screen offers itself (QC).
    role: Option<Role>,
    /// The user's full name, the printed name of what they sign here.
    signer: String,
    /// The build's signatures with their verdicts, once loaded (docs/signatures.md §5).
    signatures: Option<Vec<SignatureCheck>>,
    signatures_loading: Pending,
    /// Another station changed the build (docs/live.md §3.3).
    stale: Stale,
}

impl OrderDetailScreen {
    pub fn open(order_id: Uuid, ctx: &mut Ctx) -> (OrderDetailScreen, Command) {
        let km = ctx.keymap();
        let mut stack = ACTION_CONTEXTS.to_vec();
        stack.push(KeyContext::Detail);
        let keys = ActionKeys {
            lines: km.help(&stack).into_iter().flat_map(|(_, l)| l).collect(),
            confirm: km.key_bar(&[KeyContext::Confirm]),
        };
        let role = ctx.session().map(|s| s.user.role);
        let signer = ctx
            .session()
            .map(|s| s.user.full_name.clone())
            .unwrap_or_default();
        let mut s = OrderDetailScreen {
            order_id,
            role,
            signer,
            signatures: None,
            signatures_loading: Pending::new(),
            stale: Stale::default(),
            detail: None,
            loading: Pending::new(),
            load_error: None,
            notice: None,
            writing: Pending::new(),
            exporting: Pending::new(),
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

    pub fn detail(&self) -> Option<&OrderDetail> {
        self.detail.as_deref()
    }

    /// The message of the last refused write, if it is still shown.
    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
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

    /// Why the move to `to` would be refused, when the screen already knows (docs/lifecycle.md §3.1:
    /// PARTS_SENT needs the current BOM approved); the service checks it again.
    fn move_refusal(&self, to: OrderStatus) -> Option<String> {
        let d = self.detail.as_deref()?;
        let t = crate::domain::lifecycle::find(d.status, to)?;
        match t.precondition {
            Precondition::BomApproved => {
                bom_approved_refusal(d.bom.as_ref().map(|b| (b.version, b.status.as_str())))
            }
            _ => None,
        }
    }

    /// The refusal shared by every move offered, if all of them would be refused.
    fn moves_refusal(&self) -> Option<String> {
        let mut refusals = self.moves().into_iter().map(|to| self.move_refusal(to));
        let first = refusals.next()??;
        refusals.all(|r| r.is_some()).then_some(first)
    }

    /// A QC inspector on a build waiting for Pre-QC or Final QC and not held; the service checks it
    /// again.
    fn offers_qc(&self) -> bool {
        self.detail.as_ref().is_some_and(|d| {
            self.role == Some(Role::QcPerson)
                && d.hold.is_none()
                && matches!(
                    d.status,
                    OrderStatus::ReadyForPreQc | OrderStatus::ReadyForFinalQc
                )
        })
    }

    /// QC, the floor and the coordinator raise nonconformances (docs/nonconformance.md §3); the service
    /// checks it again.
    fn offers_raise(&self) -> bool {
        self.detail.is_some()
            && self.role.is_some_and(|r| {
                matches!(
                    r,
                    Role::QcPerson | Role::ProductionCoordinator | Role::Assembler | Role::Admin
                )
            })
    }

    /// The floor screen the build's status calls for, if it is on the assembly floor.
    fn floor_screen(&self) -> Option<ScreenId> {
        match self.detail.as_ref()?.status {
            OrderStatus::ReadyForProduction => Some(ScreenId::TaskRunner(self.order_id)),
            OrderStatus::TestingComplete | OrderStatus::PackagingComplete => {
                Some(ScreenId::Packaging(self.order_id))
            }
            _ => None,
        }
    }

    fn reload(&mut self, ctx: &mut Ctx) -> Command {
        let Some(token) = ctx.token() else {
            return Command::None;
        };
        let order_id = self.order_id;
        let detail = self.loading.begin(
            ctx,
            Request::OrderDetail {
                token: token.clone(),
                order_id,
            },
            (),
        );
        let signatures =
            self.signatures_loading
                .begin(ctx, Request::Signatures { token, order_id }, ());
        detail.and(signatures)
    }

    /// While the build is loaded again (after a write or a refresh) the actions shown are those of
    /// the state before it, so no write dialog opens: it would offer a move that was just made.
    fn still_loading(&mut self) -> bool {
        if self.loading.in_flight() {
            self.notice = Some(STILL_LOADING.to_string());
        }
        self.loading.in_flight()
    }

    fn form_mut(&mut self) -> Option<&mut Form> {
        match &mut self.mode {
            Mode::Sign { dialog, .. } => Some(&mut dialog.form),
            Mode::Hold(dialog) => dialog.text_form(),
            Mode::Correct(dialog) => dialog.text_form(),
            Mode::Browse
            | Mode::ConfirmMove { .. }
            | Mode::ConfirmRegenerate { .. }
            | Mode::Assign { .. } => None,
        }
    }

    /// The signing dialog of `gate`: what it does in words, the signature, its fields and the password.
    fn sign_mode(&self, gate: Gate) -> Mode {
        let Some(d) = self.detail.as_deref() else {
            return Mode::Browse;
        };
        let (build, from) = (&d.build.build_number, d.status);
        let (title, lines, meaning, fields) = match &gate {
            Gate::ApproveBom(v) => (
                "Approve BOM",
                vec![format!("Approve BOM version {v} of {build}?")],
                Meaning::Approved,
                Vec::new(),
            ),
            Gate::Move(to) => (
                "Move status",
                vec![move_question(build, from, *to)],
                move_signature(from, *to, false).unwrap_or(Meaning::Verified),
                Vec::new(),
            ),
            Gate::Ship => (
                "Ship build",
                vec![move_question(build, from, OrderStatus::Shipped)],
                Meaning::Shipped,
                vec![
                    FormField::text("Tracking number")
                        .with_max_len(MAX_TRACKING)
                        .with_hint(format!("Optional, up to {MAX_TRACKING} characters")),
                    FormField::text("Shipping note")
                        .with_max_len(MAX_SHIPPING_NOTE)
                        .with_hint(format!("Optional, up to {MAX_SHIPPING_NOTE} characters")),
                ],
            ),
            Gate::Override(targets) => {
                let mut fields = Vec::new();
                let to = if targets.len() > 1 {
                    let options = targets.iter().map(|t| t.code().to_string()).collect();
                    fields.push(FormField::choice("New status", options, 0));
                    "the status chosen below".to_string()
                } else {
                    targets
                        .first()
                        .map_or_else(String::new, |t| t.code().to_string())
                };
                fields.push(
                    FormField::text("Reason")
                        .with_max_len(MAX_OVERRIDE_REASON)
                        .with_hint(format!("Required, 1-{MAX_OVERRIDE_REASON} characters")),
                );
                (
                    "Override status",
                    vec![
                        format!("Override {build}: {from} → {to}"),
                        "Its precondition is not checked; the reason goes into history and audit."
                            .to_string(),
                    ],
                    Meaning::Override,
                    fields,
                )
            }
        };
        let dialog = SigningDialog::new(title, lines, &self.signer, meaning, fields);
        Mode::Sign {
            gate,
            dialog: Box::new(dialog),
        }
    }

    /// The dialog a move to `to` opens: a signed move asks for the password (docs/lifecycle.md §3.6).
    fn move_mode(&self, to: OrderStatus) -> Option<Mode> {
        let from = self.detail.as_deref()?.status;
        move_signature(from, to, false)?;
        Some(if to == OrderStatus::Shipped {
            self.sign_mode(Gate::Ship)
        } else {
            self.sign_mode(Gate::Move(to))
        })
    }

    /// The key contexts while no dialog is open: the action contexts of what is offered, then the
    /// build's own keys. The key bar, the help and the "Actions" line are all drawn from them.
    fn browse_contexts(&self) -> Vec<KeyContext> {
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
        if self.offers_raise() {
            stack.push(KeyContext::RaiseNcAction);
        }
        if self.offers(&OrderAction::PlaceHold) {
            stack.push(KeyContext::HoldAction);
        }
        if self.offers(&OrderAction::ReleaseHold) {
            stack.push(KeyContext::ReleaseHoldAction);
        }
        if self.offers(&OrderAction::Correct) {
            stack.push(KeyContext::CorrectAction);
        }
        if self.offers(&OrderAction::Cancel) {
            stack.push(KeyContext::CancelAction);
        }
        stack.extend([KeyContext::Detail, KeyContext::List]);
        stack
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
            Action::Back => ctx.emit(Effect::Back(ScreenId::OrderQueue)),
            Action::Refresh => {
                self.notice = None;
                return self.reload(ctx);
            }
            // The viewer says itself when there is no BOM, so the key works before the detail loads.
            Action::ViewBom => ctx.emit(Effect::Navigate(ScreenId::BomViewer(self.order_id))),
            Action::OpenQcHistory => ctx.emit(Effect::Navigate(ScreenId::QcHistory(self.order_id))),
            Action::OpenHistory => {
                ctx.emit(Effect::Navigate(ScreenId::BuildHistory(self.order_id)));
            }
            Action::OpenComments => ctx.emit(Effect::Navigate(ScreenId::Comments(self.order_id))),
            Action::ExportDhr => return self.export_dhr(ctx),
            Action::OpenDocuments => {
                ctx.emit(Effect::Navigate(ScreenId::Documents(self.order_id)));
            }
            Action::OpenQc if self.offers_qc() => {
                ctx.emit(Effect::Navigate(ScreenId::QcChecklist(self.order_id)));
            }
            Action::RaiseNc if self.offers_raise() => {
                ctx.emit(Effect::Navigate(ScreenId::RaiseNonconformance(
                    self.order_id,
                )));
            }
            Action::OpenFloor => {
                if let Some(screen) = self.floor_screen() {
                    ctx.emit(Effect::Navigate(screen));
                }
            }
            Action::MoveStatus => {
                let targets: Vec<OrderStatus> = self
                    .moves()
                    .into_iter()
                    .filter(|to| self.move_refusal(*to).is_none())
                    .collect();
                if let Some(refusal) = self.moves_refusal() {
                    self.notice = Some(refusal);
                    return Command::None;
                }
                if targets.is_empty() || self.still_loading() {
                    return Command::None;
                }
                self.notice = None;
                let signed = match targets.as_slice() {
                    [to] => self.move_mode(*to),
                    _ => None,
                };
                self.mode = signed.unwrap_or(Mode::ConfirmMove {
                    targets,
                    index: 0,
                    error: None,
                });
            }
            Action::OverrideStatus => {
                let targets = self.overrides();
                if targets.is_empty() || self.still_loading() {
                    return Command::None;
                }
                self.notice = None;
                self.mode = self.sign_mode(Gate::Override(targets));
            }
            Action::AssignBuild => {
                if !self.offers(&OrderAction::Assign) || self.still_loading() {
                    return Command::None;
                }
                let Some(d) = self.detail.as_deref() else {
                    return Command::None;
                };
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
                if self.still_loading() {
                    return Command::None;
                }
                let version = self.bom_version();
                // Approval names the version the user saw; without one there is nothing to approve.
                if let Some(version) = version {
                    self.notice = None;
                    self.mode = self.sign_mode(Gate::ApproveBom(version));
                }
            }
            Action::PlaceHold | Action::ReleaseHold => return self.start_hold(action, ctx),
            Action::CorrectBuild | Action::CancelBuild => {
                return self.start_correction(action, ctx);
            }
            Action::RegenerateBom if self.offers(&OrderAction::RegenerateBom) => {
                if self.still_loading() {
                    return Command::None;
                }
                self.notice = None;
                self.mode = Mode::ConfirmRegenerate {
                    version: self.bom_version(),
                    error: None,
                };
            }
            _ => {}
        }
        Command::None
    }
}

impl Screen for OrderDetailScreen {
    fn title(&self) -> &'static str {
        "Build detail"
    }

    fn key_contexts(&self) -> Vec<KeyContext> {
        match &self.mode {
            Mode::Browse => self.browse_contexts(),
            Mode::ConfirmMove { targets, .. } => {
                if targets.len() > 1 {
                    vec![KeyContext::Confirm, KeyContext::Choice]
                } else {
                    vec![KeyContext::Confirm]
                }
            }
            Mode::ConfirmRegenerate { .. } => vec![KeyContext::Confirm],
            Mode::Sign { dialog, .. } => {
                let mut stack = dialog.form.key_contexts();
                stack.push(KeyContext::Dialog);
                stack
            }
            Mode::Assign { .. } => vec![KeyContext::AssignPicker, KeyContext::List],
            Mode::Hold(dialog) => dialog.key_contexts(),
            Mode::Correct(dialog) => dialog.key_contexts(),
        }
    }

    fn has_unsaved_input(&self) -> bool {
        match &self.mode {
            Mode::Sign { dialog, .. } => dialog.form.has_input(),
            Mode::Hold(dialog) => dialog.has_input(),
            Mode::Correct(dialog) => dialog.has_input(),
            Mode::Browse
            | Mode::ConfirmMove { .. }
            | Mode::ConfirmRegenerate { .. }
            | Mode::Assign { .. } => false,
        }
    }

    fn on_action(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        if matches!(self.mode, Mode::Browse) {
            return self.on_browse(action, ctx);
        }
        if matches!(self.mode, Mode::Hold(_)) {
            return self.on_hold_key(action, ctx);
        }
        if matches!(self.mode, Mode::Correct(_)) {
            return self.on_correction_key(action, ctx);
        }
        match action {
            Action::Cancel | Action::No => {
                // A write already sent still finishes; its reply reloads the detail.
                self.mode = Mode::Browse;
                Command::None
            }
            Action::Yes if matches!(self.mode, Mode::ConfirmRegenerate { .. }) => {
                self.confirm_regenerate(ctx)
            }
            Action::Yes => self.confirm_move(ctx),
            Action::Submit => self.submit_form(ctx),
            Action::AssignBuild => self.submit_assign(ctx),
            a if moves(a) => {
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

    fn text_form(&mut self) -> Option<&mut Form> {
        self.form_mut()
    }

    /// Keys wait for the build (its actions come with it) and, in the assign picker, for the users it
    /// lists (docs/architecture.md §3.2).
    fn accepts_keys(&self) -> bool {
        let loaded = self.detail.is_some() || self.load_error.is_some();
        loaded
            && !matches!(
                self.mode,
                Mode::Assign {
                    loading: Some(_),
                    ..
                }
            )
    }

    fn on_reply(&mut self, reply: ServiceReply, ctx: &mut Ctx) -> Command {
        self.handle_reply(reply, ctx)
    }

    fn on_live(&mut self, ev: &LiveEvent, ctx: &mut Ctx) -> Command {
        self.live(ev, ctx)
    }

    fn view(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        self.draw(frame, area, theme);
    }
}

#[cfg(test)]
mod tests;
