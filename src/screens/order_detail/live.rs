//! The build detail's live updates (docs/live.md §3.3): any change to the build's records reads the
//! build again; an open dialog stays while the reloaded build still offers its action.

use super::OrderDetailScreen;
use crate::domain::live::{LiveEvent, build_news};
use crate::domain::order_view::OrderDetail;
use crate::msg::Command;
use crate::screens::Ctx;
use crate::screens::live_reads::Answered;
use crate::widgets::toast::Toast;

impl OrderDetailScreen {
    pub(super) fn live(&mut self, ev: &LiveEvent, ctx: &mut Ctx) -> Command {
        if !ev.touches_build(self.order_id) {
            return Command::None;
        }
        if self.stale.touched(self.loading.in_flight(), ev.by_line()) {
            self.reload(ctx)
        } else {
            Command::None
        }
    }

    /// After the build was read: once more if a change came while the read was on its way, else say
    /// who moved or reassigned it, when another station did.
    pub(super) fn after_load(&mut self, before: Option<&OrderDetail>, ctx: &mut Ctx) -> Command {
        let by = match self.stale.answered() {
            Answered::Again => return self.reload(ctx),
            Answered::Fresh(by) => by,
        };
        let (Some(by), Some(old), Some(new)) = (by, before, self.detail.as_deref()) else {
            return Command::None;
        };
        let news = build_news(
            &new.build.build_number,
            (old.status, old.assignee.as_ref().map(|(_, n)| n.as_str())),
            (new.status, new.assignee.as_ref().map(|(_, n)| n.as_str())),
            &by,
        );
        if let Some(text) = news {
            ctx.toast(Toast::info(text));
        }
        Command::None
    }
}
