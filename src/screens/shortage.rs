//! The parts-shortage view: what the builds waiting for parts need, by part id; CSV export.

use crate::keymap::{Action, KeyContext};
use crate::msg::{Command, Request, RequestId};
use crate::screens::{Ctx, Effect, ScreenId, ScreenMsg};
use crate::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::Paragraph;

pub struct ShortageScreen {
    loading: Option<RequestId>,
}

impl ShortageScreen {
    pub fn open(ctx: &mut Ctx) -> (ShortageScreen, Command) {
        #[allow(unused_mut)]
        let mut s = ShortageScreen { loading: None };
        let Some(token) = ctx.token() else {
            return (s, Command::None);
        };
        let (rid, cmd) = ctx.request(Request::PartsShortage { token });
        s.loading = Some(rid);
        (s, cmd)
    }

    pub fn title(&self) -> &'static str {
        "Parts shortage"
    }

    pub fn key_contexts(&self) -> Vec<KeyContext> {
        vec![KeyContext::Shortage, KeyContext::List]
    }

    pub fn update(&mut self, msg: ScreenMsg, ctx: &mut Ctx) -> Command {
        if let ScreenMsg::Action(Action::Back) = msg {
            ctx.emit(Effect::Navigate(ScreenId::Home));
        }
        let _ = self.loading;
        Command::None
    }

    pub fn view(&mut self, frame: &mut Frame, area: Rect, _theme: &Theme) {
        frame.render_widget(Paragraph::new("Parts shortage"), area);
    }

    pub fn has_unsaved_input(&self) -> bool {
        false
    }
}
