//! The inventory browser: the catalog by category, search, an item's details and where it is used.

use crate::keymap::{Action, KeyContext};
use crate::msg::Command;
use crate::screens::{Ctx, Effect, ScreenId, ScreenMsg};
use crate::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;

pub struct InventoryScreen {}

impl InventoryScreen {
    pub fn open(_ctx: &mut Ctx) -> (InventoryScreen, Command) {
        (InventoryScreen {}, Command::None)
    }

    pub fn title(&self) -> &'static str {
        "Inventory"
    }

    pub fn key_contexts(&self) -> Vec<KeyContext> {
        vec![KeyContext::Inventory]
    }

    pub fn update(&mut self, msg: ScreenMsg, ctx: &mut Ctx) -> Command {
        if msg == ScreenMsg::Action(Action::Back) {
            ctx.emit(Effect::Navigate(ScreenId::Home));
        }
        Command::None
    }

    /// True when the screen holds typed input that leaving would lose.
    pub fn has_unsaved_input(&self) -> bool {
        false
    }

    pub fn view(&mut self, _frame: &mut Frame, _area: Rect, _theme: &Theme) {}
}
