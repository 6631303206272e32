//! Saving and discarding the draft, and the questions asked before leaving or removing.

use super::state::{Fid, Step, WizardState};
use super::{Ask, Modal, OrderWizardScreen};
use crate::keymap::Action;
use crate::msg::{Command, Request};
use crate::screens::{Ctx, Effect, Screen, ScreenId};
use crate::widgets::toast::Toast;

impl OrderWizardScreen {
    pub(super) fn save_draft(&mut self, ctx: &mut Ctx) -> Command {
        if self.edit.is_some() || self.done {
            return Command::None;
        }
        let (Some(token), Ok(draft)) = (ctx.token(), serde_json::to_value(&self.state)) else {
            return Command::None;
        };
        self.draft_req
            .begin(ctx, Request::SaveDraft { token, draft }, ())
    }

    pub(super) fn discard_draft(ctx: &mut Ctx) -> Command {
        match ctx.token() {
            Some(token) => ctx.request(Request::DiscardDraft { token }).1,
            None => Command::None,
        }
    }

    /// Where Esc leads: the build's detail when editing, else home.
    pub(super) fn leave(&mut self, ctx: &mut Ctx) {
        let target = match &self.edit {
            Some(e) => ScreenId::OrderDetail(e.order_id),
            None => ScreenId::Home,
        };
        self.done = true;
        ctx.emit(Effect::Navigate(target));
    }

    pub(super) fn cancel(&mut self, ctx: &mut Ctx) {
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

    pub(super) fn on_leave(&mut self, action: Action, ctx: &mut Ctx) -> Command {
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

    pub(super) fn on_resume(&mut self, action: Action, ctx: &mut Ctx) -> Command {
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

    pub(super) fn on_ask(&mut self, action: Action, ctx: &mut Ctx) -> Command {
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
}
