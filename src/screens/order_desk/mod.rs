//! Procurement's order desk: the builds in ORDER_CREATED and PARTS_SENT with their BOM state, and the moves.
//!
//! The desk approves a build's DRAFT BOM (`ApproveBom` with the version shown, signed with the user's
//! password: docs/signatures.md §1) and moves a build to its next status (`Transition` with an optional
//! note; the desk's moves, T1 and T2, are not signed). Enter in the note dialog asks a yes/no question
//! naming the build, the move and the note, and only `y` sends the move (docs/architecture.md §3.1); a
//! move the desk already knows is refused (no approved BOM) is refused before the dialog opens. The
//! server decides; after every write the desk is loaded again, and a refusal shows the server's message.

mod live;
mod view;

use crate::domain::desk::DeskRow;
use crate::domain::lifecycle::{MAX_NOTE, move_question, transition_note};
use crate::domain::live::LiveEvent;
use crate::domain::order::OrderStatus;
use crate::domain::signature::Meaning;
use crate::error::ServiceError;
use crate::keymap::{Action, KeyContext};
use crate::msg::{Command, Reply, Request, ServiceReply};
use crate::screens::Screen;
use crate::screens::live_load::LiveLoad;
use crate::screens::pending::Pending;
use crate::screens::question::{Answered, Question, quoted};
use crate::screens::{Ctx, Effect, ScreenId};
use crate::theme::Theme;
use crate::widgets::form_field::{Form, FormField};
use crate::widgets::list_cursor::ListCursor;
use crate::widgets::list_step;
use crate::widgets::signing::{SignKey, SigningDialog};
use crate::widgets::toast::Toast;
use ratatui::Frame;
use ratatui::layout::Rect;
use uuid::Uuid;

/// What the build the dialog is about looked like when it was opened.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Target {
    order_id: Uuid,
    build: String,
    from: OrderStatus,
}

enum Mode {
    Browse,
    /// `Approve BOM version <v> of <build>?`, signed.
    Approve {
        target: Target,
        version: i32,
        dialog: Box<SigningDialog>,
    },
    /// The move to `to` with its optional note.
    Move {
        target: Target,
        to: OrderStatus,
        form: Form,
        error: Option<String>,
    },
}

pub struct OrderDeskScreen {
    rows: Vec<DeskRow>,
    loading: Pending,
    loaded: bool,
    load_error: Option<String>,
    /// The server's answer to the last refused write, or a local hint; shown until the user acts again.
    notice: Option<String>,
    /// A write on its way, with what to say when it succeeds.
    writing: Pending<String>,
    mode: Mode,
    table: ListCursor,
    widths: view::Widths,
    /// Rows per page, from the last draw.
    page: usize,
    /// The user's full name, the printed name of an approval.
    signer: String,
    /// The move waiting for its `y`, with what to say when it is made.
    question: Question<String>,
    /// Re-reads after another station's change (docs/live.md §3.4).
    live: crate::screens::live_reads::LiveReads,
}

impl OrderDeskScreen {
    pub fn open(ctx: &mut Ctx) -> (OrderDeskScreen, Command) {
        let mut s = OrderDeskScreen {
            rows: Vec::new(),
            loading: Pending::new(),
            loaded: false,
            load_error: None,
            notice: None,
            writing: Pending::new(),
            mode: Mode::Browse,
            table: ListCursor::default(),
            widths: view::Widths::of(&[]),
            page: 10,
            signer: ctx
                .session()
                .map(|s| s.user.full_name.clone())
                .unwrap_or_default(),
            question: Question::new(ctx),
            live: Default::default(),
        };
        let cmd = s.reload(ctx);
        (s, cmd)
    }

    pub fn rows(&self) -> &[DeskRow] {
        &self.rows
    }

    pub fn selected(&self) -> Option<&DeskRow> {
        self.table.selected().and_then(|i| self.rows.get(i))
    }

    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    pub fn is_dialog_open(&self) -> bool {
        !matches!(self.mode, Mode::Browse)
    }

    /// The lines of the yes/no question open over the move dialog, if any.
    pub fn question(&self) -> Option<&[String]> {
        self.question.is_open().then(|| self.question.lines())
    }

    fn reload(&mut self, ctx: &mut Ctx) -> Command {
        self.refresh(ctx)
    }

    fn on_browse(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        let last = self.rows.len().saturating_sub(1);
        let at = self.table.selected().unwrap_or(0);
        let select = |s: &mut Self, i: usize| {
            if !s.rows.is_empty() {
                s.table.select(Some(i.min(last)));
            }
        };
        match action {
            Action::Back => ctx.emit(Effect::Navigate(ScreenId::Home)),
            Action::Refresh => {
                self.notice = None;
                return self.reload(ctx);
            }
            Action::OpenShortage => ctx.emit(Effect::Navigate(ScreenId::Shortage)),
            Action::Open => {
                if let Some(r) = self.selected() {
                    ctx.emit(Effect::Navigate(ScreenId::OrderDetail(r.order.id)));
                }
            }
            Action::ApproveBom => self.start_approve(),
            Action::MoveStatus => self.start_move(),
            _ => {
                if let Some(i) = list_step(action, at, self.rows.len(), self.page) {
                    select(self, i);
                }
            }
        }
        Command::None
    }

    fn target(r: &DeskRow) -> Target {
        Target {
            order_id: r.order.id,
            build: r.order.build_number.clone(),
            from: r.order.status,
        }
    }

    fn start_approve(&mut self) {
        let Some(r) = self.selected() else {
            return;
        };
        let target = Self::target(r);
        match (&r.bom, r.draft_version()) {
            (_, Some(version)) => {
                self.notice = None;
                let dialog = SigningDialog::new(
                    "Approve BOM",
                    vec![
                        format!("Approve BOM version {version} of {}?", target.build),
                        format!("{} can then move to PARTS_SENT.", target.build),
                    ],
                    &self.signer,
                    Meaning::Approved,
                    Vec::new(),
                );
                self.mode = Mode::Approve {
                    target,
                    version,
                    dialog: Box::new(dialog),
                };
            }
            (Some((version, status)), None) => {
                self.notice = Some(format!(
                    "BOM version {version} of {} is {status}; there is no DRAFT to approve",
                    target.build
                ));
            }
            (None, None) => {
                self.notice = Some(format!("{} has no BOM yet", target.build));
            }
        }
    }

    fn start_move(&mut self) {
        let Some(r) = self.selected() else {
            return;
        };
        let Some(to) = r.next_status() else {
            return;
        };
        if let Some(refusal) = r.move_refusal() {
            self.notice = Some(refusal);
            return;
        }
        let target = Self::target(r);
        let form = Form::new(vec![
            FormField::text("Note")
                .with_max_len(MAX_NOTE)
                .with_hint(format!(
                    "Optional, up to {MAX_NOTE} characters; kept in the history"
                )),
        ])
        .with_input_width(52);
        self.notice = None;
        self.mode = Mode::Move {
            target,
            to,
            form,
            error: None,
        };
    }

    fn approve(&mut self, ctx: &mut Ctx) -> Command {
        let Mode::Approve {
            target,
            version,
            dialog,
        } = &mut self.mode
        else {
            return Command::None;
        };
        let Some(token) = ctx.token() else {
            return Command::None;
        };
        dialog.error = None;
        let Some(password) = dialog.password() else {
            return Command::None;
        };
        let (request, success) = (
            Request::ApproveBom {
                token,
                order_id: target.order_id,
                version: *version,
                password,
            },
            format!("BOM version {version} of {} approved", target.build),
        );
        self.writing.begin_if_idle(ctx, request, success)
    }

    fn submit_move(&mut self, ctx: &mut Ctx) -> Command {
        let Mode::Move {
            target,
            to,
            form,
            error,
        } = &mut self.mode
        else {
            return Command::None;
        };
        let Some(token) = ctx.token() else {
            return Command::None;
        };
        let note = form.value(0).trim().to_string();
        // The server's rule first, so that a refusal keeps the note.
        if let Err(e) = transition_note(Some(&note)) {
            *error = Some(e);
            return Command::None;
        }
        *error = None;
        let mut lines = vec![move_question(&target.build, target.from, *to)];
        lines.push(if note.is_empty() {
            "No note.".to_string()
        } else {
            format!("Note: {}", quoted(&note))
        });
        lines.push("The move is kept in the build's history.".to_string());
        let request = Request::Transition {
            token,
            order_id: target.order_id,
            from: target.from,
            to: *to,
            note: (!note.is_empty()).then_some(note),
            override_reason: None,
            password: None,
        };
        let success = format!("{} moved to {}", target.build, to.title());
        self.question
            .ask("Confirm the move", lines, request, success);
        Command::None
    }

    /// Keeps the selection on the same build when it is still listed.
    fn set_rows(&mut self, rows: Vec<DeskRow>) {
        let kept = self.selected().map(|r| r.order.id);
        self.rows = rows;
        self.widths = view::Widths::of(&self.rows);
        let index = kept
            .and_then(|id| self.rows.iter().position(|r| r.order.id == id))
            .or_else(|| {
                self.table
                    .selected()
                    .map(|i| i.min(self.rows.len().saturating_sub(1)))
            })
            .unwrap_or(0);
        self.table.select((!self.rows.is_empty()).then_some(index));
    }
}

impl Screen for OrderDeskScreen {
    fn title(&self) -> &'static str {
        "Order desk"
    }

    fn key_contexts(&self) -> Vec<KeyContext> {
        if self.question.is_open() {
            return Question::<String>::contexts();
        }
        match &self.mode {
            Mode::Browse => vec![KeyContext::OrderDesk, KeyContext::List],
            Mode::Approve { dialog, .. } => {
                let mut stack = dialog.form.key_contexts();
                stack.push(KeyContext::Dialog);
                stack
            }
            Mode::Move { form, .. } => {
                let mut stack = form.key_contexts();
                stack.push(KeyContext::Dialog);
                stack
            }
        }
    }

    /// A typed note is worth a quit prompt.
    fn has_unsaved_input(&self) -> bool {
        matches!(&self.mode, Mode::Move { form, .. } if form.has_input())
    }

    fn on_action(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        match self.question.answer(action) {
            Some(Answered::Send(request, success)) => {
                return self.writing.begin_if_idle(ctx, request, success);
            }
            Some(Answered::Declined | Answered::Ignored) => return Command::None,
            None => {}
        }
        match &mut self.mode {
            Mode::Browse => self.on_browse(action, ctx),
            Mode::Approve { dialog, .. } => match dialog.key(action) {
                SignKey::Sign => self.approve(ctx),
                SignKey::Cancel => {
                    // A write already sent still finishes; its reply reloads the desk.
                    self.mode = Mode::Browse;
                    Command::None
                }
                SignKey::Handled => Command::None,
            },
            Mode::Move { form, .. } => match action {
                Action::Submit => self.submit_move(ctx),
                Action::Cancel => {
                    self.mode = Mode::Browse;
                    Command::None
                }
                other => {
                    form.handle(other);
                    Command::None
                }
            },
        }
    }

    fn on_reply(&mut self, reply: ServiceReply, ctx: &mut Ctx) -> Command {
        let live = self.live_answered(reply.id);
        if self.loading.answered_by(reply.id) {
            self.loaded = true;
            match reply.result {
                Ok(Reply::OrderDesk(rows)) => {
                    self.load_error = None;
                    if let Some(by) = &live {
                        self.tell_change(&rows, by, ctx);
                    }
                    self.set_rows(rows);
                }
                Ok(_) => {}
                Err(e) => self.load_error = Some(e.user_message()),
            }
            return self.live_next(ctx);
        }
        let Some(success) = self.writing.take(reply.id) else {
            return self.live_next(ctx);
        };
        match reply.result {
            Ok(_) => {
                self.mode = Mode::Browse;
                self.notice = None;
                ctx.toast(Toast::info(success));
                self.reload(ctx)
            }
            // Nothing was decided: keep the dialog and the note, so the user can try again.
            Err(e @ ServiceError::Unavailable(_)) => {
                match &mut self.mode {
                    Mode::Approve { dialog, .. } => dialog.error = Some(e.user_message()),
                    Mode::Move { error, .. } => *error = Some(e.user_message()),
                    Mode::Browse => self.notice = Some(e.user_message()),
                }
                Command::None
            }
            // A refused signature (a wrong password): the dialog stays, the password cleared
            // (docs/signatures.md §4).
            Err(ServiceError::Invalid(message)) if matches!(self.mode, Mode::Approve { .. }) => {
                if let Mode::Approve { dialog, .. } = &mut self.mode {
                    dialog.refused(message);
                }
                Command::None
            }
            // A rule or a faster station said no: the message stays on the desk, which is reloaded.
            Err(e) => {
                self.mode = Mode::Browse;
                let text = e.user_message();
                ctx.toast(Toast::error(text.clone()));
                self.notice = Some(text);
                self.reload(ctx)
            }
        }
    }

    fn on_live(&mut self, ev: &LiveEvent, ctx: &mut Ctx) -> Command {
        if self.touched_by(ev) {
            return self.live_want(ev.by_line(), ctx);
        }
        Command::None
    }

    /// The desk's keys act on its rows: none until the first load has answered.
    fn accepts_keys(&self) -> bool {
        self.loaded
    }

    fn text_form(&mut self) -> Option<&mut Form> {
        if self.question.is_open() {
            return None;
        }
        match &mut self.mode {
            Mode::Move { form, .. } => Some(form),
            Mode::Approve { dialog, .. } => Some(&mut dialog.form),
            Mode::Browse => None,
        }
    }

    fn view(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        self.draw(frame, area, theme);
    }
}

#[cfg(test)]
mod tests;
