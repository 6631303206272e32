//! The order queue: a role's builds, searchable, filterable, sortable, page by page.

use crate::keymap::KeyContext;
use crate::msg::Command;
use crate::screens::{Ctx, ScreenMsg};
use crate::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::Paragraph;

pub struct OrdersScreen {}

impl OrdersScreen {
    pub fn open(_ctx: &mut Ctx) -> (OrdersScreen, Command) {
        (OrdersScreen {}, Command::None)
    }

    pub fn title(&self) -> &'static str {
        "Orders"
    }

    pub fn key_contexts(&self) -> Vec<KeyContext> {
        vec![KeyContext::List]
    }

    pub fn update(&mut self, _msg: ScreenMsg, _ctx: &mut Ctx) -> Command {
        Command::None
    }

    pub fn view(&mut self, frame: &mut Frame, area: Rect, _theme: &Theme) {
        frame.render_widget(Paragraph::new("Orders"), area);
    }
}
