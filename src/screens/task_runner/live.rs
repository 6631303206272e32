//! The task runner's live updates (docs/live.md §3.3): another station's work on the build's tasks
//! reads the list again at once, keeping the focused task, its timer, an open dialog and a typed note.

use super::TaskRunnerScreen;
use crate::domain::live::{Entity, LiveEvent};
use crate::domain::tasks::TaskListView;
use crate::msg::Command;
use crate::screens::Ctx;
use crate::screens::live_reads::Answered;
use crate::widgets::toast::Toast;

/// What the runner shows of a build: its tasks, and its own row (status, hold).
const SHOWN: [Entity; 4] = [Entity::Tasks, Entity::Task, Entity::Build, Entity::Hold];

impl TaskRunnerScreen {
    pub(super) fn live(&mut self, ev: &LiveEvent, ctx: &mut Ctx) -> Command {
        if !ev.touches_build_in(self.order_id, &SHOWN) {
            return Command::None;
        }
        if self.stale.touched(self.load.in_flight(), ev.by_line()) {
            self.reload(ctx)
        } else {
            Command::None
        }
    }

    /// After the list was read: once more if a change came while the read was on its way, else say
    /// which tasks another station completed or reopened.
    pub(super) fn after_load(&mut self, before: Option<&TaskListView>, ctx: &mut Ctx) -> Command {
        let by = match self.stale.answered() {
            Answered::Again => return self.reload(ctx),
            Answered::Fresh(by) => by,
        };
        let (Some(by), Some(old), Some(new)) = (by, before, self.list.as_ref()) else {
            return Command::None;
        };
        let changed: Vec<String> = new
            .tasks
            .iter()
            .filter_map(|t| {
                let was = old.tasks.iter().find(|o| o.id == t.id)?;
                match (was.is_completed, t.is_completed) {
                    (false, true) => Some(format!("Task {} completed", t.sequence)),
                    (true, false) => Some(format!("Task {} reopened", t.sequence)),
                    _ => None,
                }
            })
            .collect();
        let text = match changed.as_slice() {
            [] => return Command::None,
            [one] => format!("{one}{by}"),
            [first, rest @ ..] => format!("{first} and {} more{by}", rest.len()),
        };
        ctx.toast(Toast::info(text));
        Command::None
    }
}
