//! The task runner: an assembler works through a build's tasks with the work instruction, tools and parts.

use crate::keymap::{Action, KeyContext};
use crate::msg::{Command, Request, RequestId};
use crate::screens::{Ctx, Effect, ScreenId, ScreenMsg};
use crate::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::Paragraph;
use uuid::Uuid;

pub struct TaskRunnerScreen {
    order_id: Uuid,
    loading: Option<RequestId>,
}

impl TaskRunnerScreen {
    pub fn open(order_id: Uuid, ctx: &mut Ctx) -> (TaskRunnerScreen, Command) {
        let mut s = TaskRunnerScreen {
            order_id,
            loading: None,
        };
        let Some(token) = ctx.token() else {
            return (s, Command::None);
        };
        let (id, cmd) = ctx.request(Request::TaskList { token, order_id });
        s.loading = Some(id);
        (s, cmd)
    }

    pub fn order_id(&self) -> Uuid {
        self.order_id
    }

    pub fn title(&self) -> &'static str {
        "Tasks"
    }

    pub fn key_contexts(&self) -> Vec<KeyContext> {
        vec![
            KeyContext::TaskEdit,
            KeyContext::TaskRunner,
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
        frame.render_widget(Paragraph::new("Tasks"), area);
    }

    pub fn has_unsaved_input(&self) -> bool {
        false
    }
}
