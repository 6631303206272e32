//! The screen for a build's QC checklist (Pre-QC or Final QC): answers from the keyboard, drafts saved as they go, signing.

use crate::keymap::{Action, KeyContext};
use crate::msg::Command;
use crate::screens::{Ctx, Effect, ScreenId, ScreenMsg};
use crate::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use uuid::Uuid;

pub struct QcChecklistScreen {
    order_id: Uuid,
}

impl QcChecklistScreen {
    pub fn open(order_id: Uuid, _ctx: &mut Ctx) -> (QcChecklistScreen, Command) {
        (QcChecklistScreen { order_id }, Command::None)
    }

    pub fn title(&self) -> &'static str {
        "QC checklist"
    }

    pub fn key_contexts(&self) -> Vec<KeyContext> {
        vec![KeyContext::QcChecklist]
    }

    /// True when the screen holds typed input that leaving would lose.
    pub fn has_unsaved_input(&self) -> bool {
        false
    }

    pub fn update(&mut self, msg: ScreenMsg, ctx: &mut Ctx) -> Command {
        if msg == ScreenMsg::Action(Action::Back) {
            ctx.emit(Effect::Navigate(ScreenId::OrderDetail(self.order_id)));
        }
        Command::None
    }

    pub fn view(&mut self, _frame: &mut Frame, _area: Rect, _theme: &Theme) {}
}
