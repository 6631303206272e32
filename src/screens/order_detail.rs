//! One build: header, configuration, BOM summary, history and the actions the user may take.

use crate::keymap::KeyContext;
use crate::msg::Command;
use crate::screens::{Ctx, ScreenMsg};
use crate::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::Paragraph;

pub struct OrderDetailScreen {}

impl OrderDetailScreen {
    pub fn open(_order_id: uuid::Uuid, _ctx: &mut Ctx) -> (OrderDetailScreen, Command) {
        (OrderDetailScreen {}, Command::None)
    }

    pub fn title(&self) -> &'static str {
        "Order"
    }

    pub fn key_contexts(&self) -> Vec<KeyContext> {
        vec![KeyContext::List]
    }

    pub fn update(&mut self, _msg: ScreenMsg, _ctx: &mut Ctx) -> Command {
        Command::None
    }

    pub fn view(&mut self, frame: &mut Frame, area: Rect, _theme: &Theme) {
        frame.render_widget(Paragraph::new("Order"), area);
    }
}
