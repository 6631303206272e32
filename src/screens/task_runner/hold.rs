//! The task runner's hold key: an assembler at the station reports a shortage or puts the build on
//! hold, and a coordinator may release it, with the dialogs the build detail uses (docs/holds.md §2).
//! While the build is held the tasks are read-only with the hold's reason (the task list says why).

use super::{Notice, TaskRunnerScreen};
use crate::domain::order::OrderAction;
use crate::domain::order_view::OrderDetail;
use crate::keymap::{Action, KeyContext};
use crate::msg::{Command, Request, ServiceReply};
use crate::screens::Ctx;
use crate::screens::hold_dialog::{HoldDialog, HoldStep};

/// What the runner keeps of the build's detail for its hold key.
#[derive(Debug, Clone, Default)]
pub(super) struct HoldState {
    build: String,
    /// `Some(refusal)` while the build is held.
    held: Option<String>,
    place: bool,
    release: bool,
}

impl HoldState {
    pub(super) fn of(d: &OrderDetail) -> HoldState {
        HoldState {
            build: d.build.build_number.clone(),
            held: d.hold.as_ref().map(|h| h.refusal()),
            place: d.actions.contains(&OrderAction::PlaceHold),
            release: d.actions.contains(&OrderAction::ReleaseHold),
        }
    }

    /// The hold keys live for this user and build.
    pub(super) fn contexts(&self) -> Vec<KeyContext> {
        let mut stack = Vec::new();
        if self.place {
            stack.push(KeyContext::HoldAction);
        }
        if self.release {
            stack.push(KeyContext::ReleaseHoldAction);
        }
        stack
    }
}

impl TaskRunnerScreen {
    /// Asks for the build's detail again (its hold and the actions offered).
    pub(super) fn reload_detail(&mut self, ctx: &mut Ctx) -> Command {
        let Some(token) = ctx.token() else {
            return Command::None;
        };
        let order_id = self.order_id;
        self.detail_load
            .begin(ctx, Request::OrderDetail { token, order_id }, ())
    }

    /// `p`: the hold or release dialog, when offered.
    pub(super) fn start_hold(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        let h = &self.hold;
        self.hold_dialog =
            match (action, &h.held) {
                (Action::PlaceHold, None) if h.place => {
                    Some(Box::new(HoldDialog::place(ctx, self.order_id, &h.build)))
                }
                (Action::ReleaseHold, Some(what)) if h.release => Some(Box::new(
                    HoldDialog::release(ctx, self.order_id, &h.build, what.clone()),
                )),
                _ => return Command::None,
            };
        Command::None
    }

    /// A key while the hold dialog is open.
    pub(super) fn on_hold_key(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        let Some(dialog) = self.hold_dialog.as_mut() else {
            return Command::None;
        };
        match dialog.on_action(action, ctx) {
            HoldStep::Handled => Command::None,
            HoldStep::Closed => {
                self.hold_dialog = None;
                Command::None
            }
            HoldStep::Run(cmd) => cmd,
        }
    }

    /// A reply for the hold dialog: after a placed or released hold the tasks and the detail are read
    /// again. `None` when the reply is not the dialog's.
    pub(super) fn hold_reply(&mut self, reply: &ServiceReply, ctx: &mut Ctx) -> Option<Command> {
        let dialog = self.hold_dialog.as_mut()?;
        let write = dialog.is_write(reply.id);
        if !dialog.on_reply(reply, ctx) {
            return None;
        }
        if !write || reply.result.is_err() {
            return Some(Command::None);
        }
        self.hold_dialog = None;
        self.notice = Some(Notice::Info(if self.hold.held.is_some() {
            format!("The hold on {} is released", self.hold.build)
        } else {
            format!("{} is on hold", self.hold.build)
        }));
        let tasks = self.reload(ctx);
        let detail = self.reload_detail(ctx);
        Some(Command::Batch(vec![tasks, detail]))
    }
}
