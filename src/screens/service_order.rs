//! One service order as procurement processes it: approve (quantities may be reduced), reject, fulfil.

use crate::keymap::{Action, KeyContext};
use crate::msg::{Command, Request, RequestId};
use crate::screens::{Ctx, Effect, ScreenId, ScreenMsg};
use crate::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::Paragraph;
use uuid::Uuid;

pub struct ServiceOrderScreen {
    id: Uuid,
    loading: Option<RequestId>,
}

impl ServiceOrderScreen {
    pub fn open(id: Uuid, ctx: &mut Ctx) -> (ServiceOrderScreen, Command) {
        #[allow(unused_mut)]
        let mut s = ServiceOrderScreen { id, loading: None };
        let Some(token) = ctx.token() else {
            return (s, Command::None);
        };
        let (rid, cmd) = ctx.request(Request::ServiceOrder { token, id });
        s.loading = Some(rid);
        (s, cmd)
    }

    pub fn id(&self) -> Uuid {
        self.id
    }

    pub fn title(&self) -> &'static str {
        "Service order"
    }

    pub fn key_contexts(&self) -> Vec<KeyContext> {
        vec![KeyContext::ServiceOrderView, KeyContext::List]
    }

    pub fn update(&mut self, msg: ScreenMsg, ctx: &mut Ctx) -> Command {
        if let ScreenMsg::Action(Action::Back) = msg {
            ctx.emit(Effect::Navigate(ScreenId::Home));
        }
        let _ = self.loading;
        Command::None
    }

    pub fn view(&mut self, frame: &mut Frame, area: Rect, _theme: &Theme) {
        frame.render_widget(Paragraph::new("Service order"), area);
    }

    pub fn has_unsaved_input(&self) -> bool {
        false
    }
}
