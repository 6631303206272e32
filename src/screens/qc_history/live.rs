//! The QC history's live updates (docs/live.md §3.4): a QC result of the build saved or submitted
//! elsewhere re-reads the list, and the result open when it was the one changed, keeping its cursor.

use super::{Load, QcHistoryScreen};
use crate::domain::live::{Entity, LiveEvent};
use crate::msg::{Command, Request, RequestId};
use crate::screens::Ctx;
use crate::screens::live_load::LiveLoad;
use crate::screens::live_reads::LiveReads;

impl QcHistoryScreen {
    pub(super) fn live(&mut self, ev: &LiveEvent, ctx: &mut Ctx) -> Command {
        if !ev.touches_build_in(self.order_id, &[Entity::Qc]) {
            return Command::None;
        }
        if let Some(open) = self.detail.as_ref().map(|d| d.summary.id) {
            self.detail_stale |= ev.everything
                || ev
                    .changes
                    .iter()
                    .any(|c| c.id == Some(open) || c.entity == Entity::Other);
        }
        self.live_want(ev.by_line(), ctx)
    }

    /// The result open, read again (after a live re-read of the list found it changed).
    pub(super) fn reread_detail(&mut self, ctx: &mut Ctx) -> Command {
        let (Some(id), Some(token)) = (self.detail.as_ref().map(|d| d.summary.id), ctx.token())
        else {
            return Command::None;
        };
        self.loads.retain(|(_, l)| !matches!(l, Load::Reread(_)));
        self.request(
            Request::QcResult {
                token,
                result_id: id,
            },
            Load::Reread(id),
            ctx,
        )
    }
}

impl LiveLoad for QcHistoryScreen {
    fn live_reads(&mut self) -> &mut LiveReads {
        &mut self.live
    }

    fn send_load(&mut self, ctx: &mut Ctx) -> Option<(RequestId, Command)> {
        let token = ctx.token()?;
        self.loads.retain(|(_, l)| *l != Load::List);
        let (id, cmd) = ctx.request(Request::QcHistory {
            token,
            order_id: self.order_id,
        });
        self.loads.push((id, Load::List));
        Some((id, cmd))
    }
}
