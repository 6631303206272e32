//! Procurement's order desk: the builds in ORDER_CREATED and PARTS_SENT with their BOM state, and the moves.

use crate::keymap::{Action, KeyContext};
use crate::msg::{Command, Request, RequestId};
use crate::screens::{Ctx, Effect, ScreenId, ScreenMsg};
use crate::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::Paragraph;

pub struct OrderDeskScreen {
    loading: Option<RequestId>,
}

impl OrderDeskScreen {
    pub fn open(ctx: &mut Ctx) -> (OrderDeskScreen, Command) {
        #[allow(unused_mut)]
        let mut s = OrderDeskScreen { loading: None };
        let Some(token) = ctx.token() else {
            return (s, Command::None);
        };
        let (rid, cmd) = ctx.request(Request::OrderDesk { token });
        s.loading = Some(rid);
        (s, cmd)
    }

    pub fn title(&self) -> &'static str {
        "Order desk"
    }

    pub fn key_contexts(&self) -> Vec<KeyContext> {
        vec![KeyContext::OrderDesk, KeyContext::List]
    }

    pub fn update(&mut self, msg: ScreenMsg, ctx: &mut Ctx) -> Command {
        if let ScreenMsg::Action(Action::Back) = msg {
            ctx.emit(Effect::Navigate(ScreenId::Home));
        }
        let _ = self.loading;
        Command::None
    }

    pub fn view(&mut self, frame: &mut Frame, area: Rect, _theme: &Theme) {
        frame.render_widget(Paragraph::new("Order desk"), area);
    }

    pub fn has_unsaved_input(&self) -> bool {
        false
    }
}
