//! ADMIN: work instructions with their steps, and the tools tasks name.

use crate::keymap::{Action, KeyContext};
use crate::msg::{Command, Request, RequestId};
use crate::screens::{Ctx, Effect, ScreenId, ScreenMsg};
use crate::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::Paragraph;

pub struct WorkInstructionsScreen {
    loading: Option<RequestId>,
}

impl WorkInstructionsScreen {
    pub fn open(ctx: &mut Ctx) -> (WorkInstructionsScreen, Command) {
        let mut s = WorkInstructionsScreen { loading: None };
        let Some(token) = ctx.token() else {
            return (s, Command::None);
        };
        let (id, cmd) = ctx.request(Request::WorkInstructions { token });
        s.loading = Some(id);
        (s, cmd)
    }

    pub fn title(&self) -> &'static str {
        "Work instructions"
    }

    pub fn key_contexts(&self) -> Vec<KeyContext> {
        vec![KeyContext::WorkInstructions, KeyContext::List]
    }

    pub fn update(&mut self, msg: ScreenMsg, ctx: &mut Ctx) -> Command {
        if let ScreenMsg::Action(Action::Back) = msg {
            ctx.emit(Effect::Navigate(ScreenId::Home));
        }
        Command::None
    }

    pub fn view(&mut self, frame: &mut Frame, area: Rect, _theme: &Theme) {
        frame.render_widget(Paragraph::new("Work instructions"), area);
    }

    pub fn has_unsaved_input(&self) -> bool {
        false
    }
}
