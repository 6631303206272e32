//! SERVICE_DEPARTMENT: the user's own service orders with their lines and procurement's notes; withdraw a PENDING one.

use crate::keymap::{Action, KeyContext};
use crate::msg::{Command, Request, RequestId};
use crate::screens::{Ctx, Effect, ScreenId, ScreenMsg};
use crate::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::Paragraph;

pub struct MyServiceOrdersScreen {
    loading: Option<RequestId>,
}

impl MyServiceOrdersScreen {
    pub fn open(ctx: &mut Ctx) -> (MyServiceOrdersScreen, Command) {
        #[allow(unused_mut)]
        let mut s = MyServiceOrdersScreen { loading: None };
        let Some(token) = ctx.token() else {
            return (s, Command::None);
        };
        let (rid, cmd) = ctx.request(Request::ServiceOrders {
            token,
            scope: crate::domain::service_order::ServiceOrderScope::Mine,
            status: None,
        });
        s.loading = Some(rid);
        (s, cmd)
    }

    pub fn title(&self) -> &'static str {
        "My service orders"
    }

    pub fn key_contexts(&self) -> Vec<KeyContext> {
        vec![KeyContext::MyServiceOrders, KeyContext::List]
    }

    pub fn update(&mut self, msg: ScreenMsg, ctx: &mut Ctx) -> Command {
        if let ScreenMsg::Action(Action::Back) = msg {
            ctx.emit(Effect::Navigate(ScreenId::Home));
        }
        let _ = self.loading;
        Command::None
    }

    pub fn view(&mut self, frame: &mut Frame, area: Rect, _theme: &Theme) {
        frame.render_widget(Paragraph::new("My service orders"), area);
    }

    pub fn has_unsaved_input(&self) -> bool {
        false
    }
}
