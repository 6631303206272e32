//! One service order's live updates (docs/live.md §3.4): the order is read again when another
//! station changed it; an open dialog and what was typed in it stay.

use super::ServiceOrderScreen;
use crate::domain::live::{Entity, LiveEvent};
use crate::msg::{Command, Request, RequestId};
use crate::screens::Ctx;
use crate::screens::live_load::LiveLoad;
use crate::screens::live_reads::LiveReads;

impl ServiceOrderScreen {
    pub(super) fn live(&mut self, ev: &LiveEvent, ctx: &mut Ctx) -> Command {
        let this = ev.everything
            || ev
                .changes
                .iter()
                .any(|c| c.entity == Entity::ServiceOrder && c.id == Some(self.id));
        if this {
            return self.live_want(ev.by_line(), ctx);
        }
        Command::None
    }
}

impl LiveLoad for ServiceOrderScreen {
    fn live_reads(&mut self) -> &mut LiveReads {
        &mut self.live
    }

    fn send_load(&mut self, ctx: &mut Ctx) -> Option<(RequestId, Command)> {
        let (rid, cmd) = ctx.request(Request::ServiceOrder {
            token: ctx.token()?,
            id: self.id,
        });
        self.loading.wait(rid);
        Some((rid, cmd))
    }
}
