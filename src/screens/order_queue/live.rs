//! The queue's live updates (docs/live.md §3.2): the rows another station changed are read again and
//! replaced where they stand, so the cursor, the scroll position and the search stay as they are.

use super::{OrderQueueScreen, PAGE_SIZE};
use crate::domain::live::{Entity, LiveEvent};
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

    /// The answer to a re-read, if `reply` is one.
    pub(super) fn live_reply(&mut self, reply: &ServiceReply, ctx: &mut Ctx) -> Option<Command> {
        let asked = self.live.answered(reply.id)?;
        if let Ok(Reply::OrderRows(rows)) = &reply.result {
            let before = self
                .selected()
                .filter(|r| asked.keys.contains(&r.id))
                .cloned();
            self.outside += self.rows.patch(&asked.keys, rows.clone());
            if let Some(old) = before {
                let text = match rows.iter().find(|r| r.id == old.id) {
                    Some(new) if new.status != old.status => {
                        format!(
                            "Build {} is now {}{}",
                            new.build_number,
                            new.status.title(),
                            asked.by
                        )
                    }
                    Some(new) if new.assignee != old.assignee => match &new.assignee {
                        Some(name) => {
                            format!("Build {} assigned to {name}{}", new.build_number, asked.by)
                        }
                        None => format!("Build {} unassigned{}", new.build_number, asked.by),
                    },
                    Some(new) if *new != old => {
                        format!("Build {} changed{}", new.build_number, asked.by)
                    }
                    Some(_) => String::new(),
                    None => format!("Build {} left this list{}", old.build_number, asked.by),
                };
                if !text.is_empty() {
                    ctx.toast(Toast::info(text));
                }
            }
        }
        // A list that is one page long is simply read again: the new builds take their places.
        if self.outside > 0 && !self.rows.has_more() && self.rows.len() <= PAGE_SIZE as usize {
            return Some(self.reload(ctx));
        }
        // A failed re-read is left to the next event or the user's refresh.
        Some(match self.live.take_next() {
            Some(next) => self.send_live(next, ctx),
            None => Command::None,
        })
    }
}
