//! End-of-line testing: the applicable tests with units and ranges, judged as typed, submitted once.

use crate::keymap::{Action, KeyContext};
use crate::msg::{Command, Request, RequestId};
use crate::screens::{Ctx, Effect, ScreenId, ScreenMsg};
use crate::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::Paragraph;
use uuid::Uuid;

pub struct TestingScreen {
    order_id: Uuid,
    loading: Option<RequestId>,
}

impl TestingScreen {
    pub fn open(order_id: Uuid, ctx: &mut Ctx) -> (TestingScreen, Command) {
        let mut s = TestingScreen {
            order_id,
            loading: None,
        };
        let Some(token) = ctx.token() else {
            return (s, Command::None);
        };
        let (id, cmd) = ctx.request(Request::TestingForm { token, order_id });
        s.loading = Some(id);
        (s, cmd)
    }

    pub fn order_id(&self) -> Uuid {
        self.order_id
    }

    pub fn title(&self) -> &'static str {
        "End-of-line testing"
    }

    pub fn key_contexts(&self) -> Vec<KeyContext> {
        vec![
            KeyContext::TestingEdit,
            KeyContext::Testing,
            KeyContext::List,
        ]
    }

    pub fn update(&mut self, msg: ScreenMsg, ctx: &mut Ctx) -> Command {
        if let ScreenMsg::Action(Action::Back) = msg {
            ctx.emit(Effect::Navigate(ScreenId::OrderDetail(self.order_id)));
        }
        Command::None
    }

    pub fn view(&mut self, frame: &mut Frame, area: Rect, _theme: &Theme) {
        frame.render_widget(Paragraph::new("End-of-line testing"), area);
    }

    pub fn has_unsaved_input(&self) -> bool {
        false
    }
}
