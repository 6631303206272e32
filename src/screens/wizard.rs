//! The order wizard: five steps for a new PO, or steps 3-4 to edit one build.

use crate::keymap::KeyContext;
use crate::msg::Command;
use crate::screens::{Ctx, ScreenMsg};
use crate::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::Paragraph;

pub struct WizardScreen {}

impl WizardScreen {
    pub fn open(_ctx: &mut Ctx) -> (WizardScreen, Command) {
        (WizardScreen {}, Command::None)
    }

    pub fn edit(_order_id: uuid::Uuid, _ctx: &mut Ctx) -> (WizardScreen, Command) {
        (WizardScreen {}, Command::None)
    }

    pub fn title(&self) -> &'static str {
        "New order"
    }

    pub fn key_contexts(&self) -> Vec<KeyContext> {
        vec![KeyContext::List]
    }

    pub fn update(&mut self, _msg: ScreenMsg, _ctx: &mut Ctx) -> Command {
        Command::None
    }

    pub fn view(&mut self, frame: &mut Frame, area: Rect, _theme: &Theme) {
        frame.render_widget(Paragraph::new("New order"), area);
    }

    pub fn has_unsaved_input(&self) -> bool {
        false
    }
}
