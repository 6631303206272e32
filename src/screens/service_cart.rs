//! SERVICE_DEPARTMENT: the cart: change quantities, remove lines, submit the service order.

use crate::keymap::{Action, KeyContext};
use crate::msg::{Command, RequestId};
use crate::screens::{Ctx, Effect, ScreenId, ScreenMsg};
use crate::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::Paragraph;

pub struct ServiceCartScreen {
    loading: Option<RequestId>,
    cart: crate::domain::service_order::Cart,
}

impl ServiceCartScreen {
    pub fn open(ctx: &mut Ctx) -> (ServiceCartScreen, Command) {
        #[allow(unused_mut)]
        let mut s = ServiceCartScreen {
            loading: None,
            cart: ctx.cart(),
        };
        (s, Command::None)
    }

    pub fn title(&self) -> &'static str {
        "Cart"
    }

    pub fn key_contexts(&self) -> Vec<KeyContext> {
        vec![KeyContext::ServiceCart, KeyContext::List]
    }

    pub fn update(&mut self, msg: ScreenMsg, ctx: &mut Ctx) -> Command {
        if let ScreenMsg::Action(Action::Back) = msg {
            ctx.emit(Effect::Navigate(ScreenId::Home));
        }
        let _ = (self.loading, &self.cart);
        Command::None
    }

    pub fn view(&mut self, frame: &mut Frame, area: Rect, _theme: &Theme) {
        frame.render_widget(Paragraph::new("Cart"), area);
    }

    pub fn has_unsaved_input(&self) -> bool {
        false
    }
}
