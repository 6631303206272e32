//! The desk's live updates (docs/live.md §3.4): the desk is read again when another station changed
//! a build's own row (any build: one may have come onto the desk or left it) or the BOM, hold or
//! comments of a build it shows. The selection stays on its build, and an open dialog and its note
//! stay; a change to the selected build says who made it.

use super::OrderDeskScreen;
use crate::domain::desk::DeskRow;
use crate::domain::live::{Entity, LiveEvent};
use crate::msg::{Command, Request, RequestId};
use crate::screens::Ctx;
use crate::screens::live_load::LiveLoad;
use crate::screens::live_reads::LiveReads;
use crate::widgets::toast::Toast;

/// What a desk row shows of a build besides the build's own row: its current BOM, and (where a
/// station shows them) its holds and comments.
const ROW_ENTITIES: [Entity; 4] = [Entity::Bom, Entity::Hold, Entity::Comment, Entity::Other];

impl OrderDeskScreen {
    pub(super) fn touched_by(&self, ev: &LiveEvent) -> bool {
        ev.everything
            || ev.changes.iter().any(|c| {
                c.entity == Entity::Build
                    || (ROW_ENTITIES.contains(&c.entity)
                        && c.reference
                            .is_some_and(|b| self.rows.iter().any(|r| r.order.id == b)))
            })
    }

    /// A change to the selected build, told from the rows read back.
    pub(super) fn tell_change(&self, rows: &[DeskRow], by: &str, ctx: &mut Ctx) {
        let Some(before) = self.selected() else {
            return;
        };
        let after = rows.iter().find(|r| r.order.id == before.order.id);
        if let Some(text) = before.change_news(after, by) {
            ctx.toast(Toast::info(text));
        }
    }
}

impl LiveLoad for OrderDeskScreen {
    fn live_reads(&mut self) -> &mut LiveReads {
        &mut self.live
    }

    fn send_load(&mut self, ctx: &mut Ctx) -> Option<(RequestId, Command)> {
        let (id, cmd) = ctx.request(Request::OrderDesk {
            token: ctx.token()?,
        });
        self.loading.wait(id);
        Some((id, cmd))
    }
}
