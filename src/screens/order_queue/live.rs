//! The queue's live updates (docs/live.md §3.2): the rows another station changed are read again and
//! replaced where they stand, so the cursor, the scroll position and the search stay as they are.

use super::{OrderQueueScreen, PAGE_SIZE};
use crate::domain::live::{Entity, LiveEvent, build_news};
use crate::msg::{Command, Reply, Request, ServiceReply};
use crate::screens::Ctx;
use crate::screens::live_reads::Asked;
use crate::widgets::toast::Toast;
use uuid::Uuid;

/// What a queue row shows of a build: its own row, and (when a station shows them) its holds and
/// comments.
const ROW_ENTITIES: [Entity; 3] = [Entity::Build, Entity::Hold, Entity::Comment];

impl OrderQueueScreen {
    pub(super) fn live(&mut self, ev: &LiveEvent, ctx: &mut Ctx) -> Command {
        if ev.everything {
            return self.reload(ctx);
        }
        let ids: Vec<Uuid> = ev
            .changes
            .iter()
            .filter(|c| ROW_ENTITIES.contains(&c.entity) || c.entity == Entity::Other)
            .filter_map(|c| c.reference)
            .collect();
        if ids.is_empty() {
            return Command::None;
        }
        match self.live.gather(ids, ev.by_line()) {
            Some(asked) => self.send_live(asked, ctx),
            None => Command::None,
        }
    }

    fn send_live(&mut self, asked: Asked<Uuid>, ctx: &mut Ctx) -> Command {
        let Some(token) = ctx.token() else {
            return Command::None;
        };
        let (id, cmd) = ctx.request(Request::OrderRows {
            token,
            query: Box::new(self.query.clone()),
            ids: asked.keys.clone(),
        });
        self.live.sent(id, asked);
        cmd
    }

    /// The answer to a re-read (`self.live` waits for `reply`).
    pub(super) fn live_reply(&mut self, reply: ServiceReply, ctx: &mut Ctx) -> Command {
        let Some(asked) = self.live.answered(reply.id) else {
            return Command::None;
        };
        if let Ok(Reply::OrderRows(rows)) = reply.result {
            let before = self
                .selected()
                .filter(|r| asked.keys.contains(&r.id))
                .cloned();
            let news = before.and_then(|old| match rows.iter().find(|r| r.id == old.id) {
                Some(new) => build_news(
                    &new.build_number,
                    (old.status, old.assignee.as_deref()),
                    (new.status, new.assignee.as_deref()),
                    &asked.by,
                )
                .or_else(|| {
                    (*new != old).then(|| format!("Build {} changed{}", new.build_number, asked.by))
                }),
                None => Some(format!(
                    "Build {} left this list{}",
                    old.build_number, asked.by
                )),
            });
            self.outside += self.rows.patch(&asked.keys, rows);
            if let Some(text) = news {
                ctx.toast(Toast::info(text));
            }
        }
        // A list that is one page long is simply read again: the new builds take their places.
        if self.outside > 0 && !self.rows.has_more() && self.rows.len() <= PAGE_SIZE as usize {
            return self.reload(ctx);
        }
        // A failed re-read is left to the next event or the user's refresh.
        match self.live.take_next() {
            Some(next) => self.send_live(next, ctx),
            None => Command::None,
        }
    }
}
