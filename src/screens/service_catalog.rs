//! SERVICE_DEPARTMENT: the service parts catalogue (category 719 and the parts in its assemblies); add to the cart.

use crate::keymap::{Action, KeyContext};
use crate::msg::{Command, Request, RequestId};
use crate::screens::{Ctx, Effect, ScreenId, ScreenMsg};
use crate::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::Paragraph;

pub struct ServiceCatalogScreen {
    loading: Option<RequestId>,
}

impl ServiceCatalogScreen {
    pub fn open(ctx: &mut Ctx) -> (ServiceCatalogScreen, Command) {
        #[allow(unused_mut)]
        let mut s = ServiceCatalogScreen { loading: None };
        let Some(token) = ctx.token() else {
            return (s, Command::None);
        };
        let (rid, cmd) = ctx.request(Request::Inventory { token });
        s.loading = Some(rid);
        (s, cmd)
    }

    pub fn title(&self) -> &'static str {
        "Service parts"
    }

    pub fn key_contexts(&self) -> Vec<KeyContext> {
        vec![KeyContext::ServiceCatalog, KeyContext::List]
    }

    pub fn update(&mut self, msg: ScreenMsg, ctx: &mut Ctx) -> Command {
        if let ScreenMsg::Action(Action::Back) = msg {
            ctx.emit(Effect::Navigate(ScreenId::Home));
        }
        let _ = self.loading;
        Command::None
    }

    pub fn view(&mut self, frame: &mut Frame, area: Rect, _theme: &Theme) {
        frame.render_widget(Paragraph::new("Service parts"), area);
    }

    pub fn has_unsaved_input(&self) -> bool {
        false
    }
}
