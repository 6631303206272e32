//! The packaging screen's status moves: which one `m` offers, its dialog (signed for packaging complete,
//! docs/lifecycle.md §3.6), sending it and its reply.

use super::{Mode, PackagingScreen};
use crate::domain::order::OrderStatus;
use crate::domain::signature::move_signature;
use crate::error::Result;
use crate::msg::{Command, Reply, Request};
use crate::screens::{Ctx, Effect, ScreenId};
use crate::widgets::signing::SigningDialog;
use crate::widgets::toast::Toast;

impl PackagingScreen {
    /// The move `m` offers now, if any.
    pub(super) fn next_move(&self) -> Option<OrderStatus> {
        if !self.is_packer()
            || self.busy()
            || self.moving.in_flight()
            || self.loading.in_flight()
            || self.detail_loading.in_flight()
        {
            return None;
        }
        let view = self.view.as_deref()?;
        match self.status? {
            OrderStatus::TestingComplete if view.completed && self.editable() => {
                Some(OrderStatus::PackagingComplete)
            }
            OrderStatus::PackagingComplete => Some(OrderStatus::ReadyForFinalQc),
            _ => None,
        }
    }

    /// The dialog a move opens: a signed move asks for the password (docs/lifecycle.md §3.6).
    pub(super) fn move_mode(&self, to: OrderStatus) -> Mode {
        let from = self.status.unwrap_or(to);
        let Some(meaning) = move_signature(from, to, false) else {
            return Mode::ConfirmMove { to, error: None };
        };
        let build = self
            .view
            .as_deref()
            .map(|v| v.header.build_number.clone())
            .unwrap_or_default();
        let lines = vec![format!("Build {build}"), move_question(to)];
        let dialog = SigningDialog::new("Move status", lines, &self.signer, meaning, Vec::new());
        Mode::Sign {
            to,
            dialog: Box::new(dialog),
        }
    }

    pub(super) fn send_move(&mut self, ctx: &mut Ctx) -> Command {
        let (to, password) = match &mut self.mode {
            Mode::ConfirmMove { to, .. } => (*to, None),
            Mode::Sign { to, dialog } => {
                dialog.error = None;
                let Some(password) = dialog.password() else {
                    return Command::None;
                };
                (*to, Some(password))
            }
            Mode::Browse | Mode::Quantity { .. } => return Command::None,
        };
        let (Some(from), Some(token), false) = (self.status, ctx.token(), self.moving.in_flight())
        else {
            return Command::None;
        };
        self.moving.begin(
            ctx,
            Request::Transition {
                token,
                order_id: self.order_id,
                from,
                to,
                note: None,
                override_reason: None,
                password,
            },
            to,
        )
    }

    /// The answer to a move: a toast and a reload (or the build detail after the move to Final QC); a
    /// refusal stays in the dialog.
    pub(super) fn moved(
        &mut self,
        to: OrderStatus,
        result: Result<Reply>,
        ctx: &mut Ctx,
    ) -> Command {
        match result {
            Ok(_) => {
                self.mode = Mode::Browse;
                // The server moved it: the next move is offered from the new status, never the one
                // just made, while the reload is on its way.
                self.status = Some(to);
                let build = self
                    .view
                    .as_deref()
                    .map(|v| v.header.build_number.clone())
                    .unwrap_or_default();
                ctx.toast(Toast::info(format!("{build} moved to {to}")));
                if to == OrderStatus::ReadyForFinalQc {
                    ctx.emit(Effect::Navigate(ScreenId::OrderDetail(self.order_id)));
                    Command::None
                } else {
                    self.reload(ctx)
                }
            }
            Err(e) => {
                if let Mode::ConfirmMove { error, .. } = &mut self.mode {
                    *error = Some(e.user_message());
                } else if let Mode::Sign { dialog, .. } = &mut self.mode {
                    // A refused signature keeps the dialog, the password cleared
                    // (docs/signatures.md §4).
                    dialog.refused(e.user_message());
                } else {
                    self.error = Some(e.user_message());
                }
                self.reload(ctx)
            }
        }
    }
}

/// What a move from the packaging screen does, in words: the status by its title, never its code.
pub(super) fn move_question(to: OrderStatus) -> String {
    match to {
        OrderStatus::PackagingComplete => "Mark packaging complete?".to_string(),
        _ => format!("Send to Final QC? The build becomes {}.", to.title()),
    }
}
