//! The BOM viewer's live updates (docs/live.md §3.4): a new BOM version of the build or an approval
//! made elsewhere reads the version list again, and the version shown when its state changed; the
//! version on screen, the tree's cursor and open nodes, the search and the totals' order stay. A
//! build that had no BOM shows its first when it arrives.

use super::{BomViewerScreen, Load};
use crate::domain::bom_document::BomVersionList;
use crate::domain::live::{Entity, LiveEvent};
use crate::msg::{Command, Request, RequestId};
use crate::screens::Ctx;
use crate::screens::live_load::LiveLoad;
use crate::screens::live_reads::LiveReads;
use crate::widgets::toast::Toast;

impl BomViewerScreen {
    pub(super) fn live(&mut self, ev: &LiveEvent, ctx: &mut Ctx) -> Command {
        if ev.touches_build_in(self.order_id, &[Entity::Bom]) {
            return self.live_want(ev.by_line(), ctx);
        }
        Command::None
    }

    /// A live re-read of the versions answered with `list`: says what changed and reads the
    /// version shown again when its state changed (its items never do), or the current one when
    /// none was shown.
    pub(super) fn live_versions(
        &mut self,
        list: &BomVersionList,
        by: &str,
        ctx: &mut Ctx,
    ) -> Command {
        if let Some(text) = self
            .versions
            .as_deref()
            .and_then(|old| old.change_news(list, by))
        {
            ctx.toast(Toast::info(text));
        }
        let Some(token) = ctx.token() else {
            return Command::None;
        };
        let shown = self.document().map(|d| d.version.clone());
        let (bom_id, show) = match shown {
            Some(v) => {
                if list.versions.contains(&v) {
                    return Command::None;
                }
                (Some(v.id), false)
            }
            None if !list.versions.is_empty() => (None, true),
            None => return Command::None,
        };
        self.request(
            Request::BomDocument {
                token,
                order_id: self.order_id,
                bom_id,
            },
            Load::Document { show },
            ctx,
        )
    }
}

impl LiveLoad for BomViewerScreen {
    fn live_reads(&mut self) -> &mut LiveReads {
        &mut self.live
    }

    fn send_load(&mut self, ctx: &mut Ctx) -> Option<(RequestId, Command)> {
        let (id, cmd) = ctx.request(Request::BomVersions {
            token: ctx.token()?,
            order_id: self.order_id,
        });
        self.loads.insert(id, Load::Versions);
        Some((id, cmd))
    }
}
