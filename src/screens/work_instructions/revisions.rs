//! An instruction's revisions (number, date, author, change note) and the diff of the selected one
//! against its predecessor (docs/assembly-floor.md §8). Every role may look; nothing here writes.

use crate::domain::instruction_revisions::{InstructionHistory, StepChange, diff_steps};
use crate::domain::tasks::StepView;
use crate::error::ServiceError;
use crate::keymap::Action;
use crate::msg::{Command, Reply, Request, RequestId};
use crate::screens::Ctx;
use crate::screens::selection::{moved, moves};
use crate::theme::Theme;
use crate::widgets::list_cursor::{ListCursor, shown};
use crate::widgets::viewport::table_body_height;
use crate::widgets::{fit_text, hanging, panel, selectable_table};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Padding, Paragraph, Row};
use uuid::Uuid;

pub struct Revisions {
    pub(super) title: String,
    instruction_id: Uuid,
    pub(super) history: Option<InstructionHistory>,
    list: ListCursor,
    pub(super) pending: Option<RequestId>,
    pub(super) error: Option<String>,
    /// First line of the changes drawn, and the height of their pane when last drawn.
    scroll: usize,
    page: usize,
}

impl Revisions {
    /// Opens the view for an instruction and asks for its revisions.
    pub(super) fn open(title: &str, instruction_id: Uuid, ctx: &mut Ctx) -> (Revisions, Command) {
        let mut r = Revisions {
            title: title.to_string(),
            instruction_id,
            history: None,
            list: ListCursor::default(),
            pending: None,
            error: None,
            scroll: 0,
            page: 1,
        };
        let cmd = r.load(ctx);
        (r, cmd)
    }

    fn load(&mut self, ctx: &mut Ctx) -> Command {
        let Some(token) = ctx.token() else {
            return Command::None;
        };
        let (id, cmd) = ctx.request(Request::WorkInstructionRevisions {
            token,
            instruction_id: self.instruction_id,
        });
        self.pending = Some(id);
        cmd
    }

    /// The list keys and refresh; the caller handles leaving.
    pub(super) fn on_action(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        match action {
            action if moves(action) => self.move_selection(action),
            Action::Refresh => return self.load(ctx),
            _ => {}
        }
        Command::None
    }

    pub(super) fn on_reply(&mut self, result: Result<Reply, ServiceError>) {
        match result {
            Ok(Reply::WorkInstructionRevisions(h)) => self.set(*h),
            Ok(_) => self.pending = None,
            Err(e) => {
                self.pending = None;
                self.error = Some(e.user_message());
            }
        }
    }

    fn set(&mut self, history: InstructionHistory) {
        let n = history.revisions.len();
        let keep = self.list.selected().unwrap_or(0);
        self.list
            .select((n > 0).then(|| keep.min(n.saturating_sub(1))));
        self.history = Some(history);
        self.pending = None;
        self.error = None;
    }

    /// PgDn / PgUp scroll the changes; the other list keys move the selection.
    fn move_selection(&mut self, action: Action) {
        match action {
            Action::PageDown => self.scroll += self.page.max(1),
            Action::PageUp => self.scroll = self.scroll.saturating_sub(self.page.max(1)),
            _ => {
                let n = self.history.as_ref().map_or(0, |h| h.revisions.len());
                if n > 0 {
                    let cur = self.list.selected().unwrap_or(0);
                    self.list.select(Some(moved(cur, n, action)));
                    self.scroll = 0;
                }
            }
        }
    }

    /// The selected revision's number, if any.
    pub fn selected_number(&self) -> Option<i32> {
        let h = self.history.as_ref()?;
        h.revisions.get(self.list.selected()?).map(|r| r.number)
    }

    pub(super) fn draw(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        // The list on top (as many rows as there are revisions, up to a third of the screen), the
        // selected revision's changes below, both full width.
        let n = self
            .history
            .as_ref()
            .map_or(1, |h| h.revisions.len().max(1));
        let list_h = u16::try_from(n + 3)
            .unwrap_or(u16::MAX)
            .min((area.height / 3).max(4));
        let [left, right] =
            Layout::vertical([Constraint::Length(list_h), Constraint::Min(0)]).areas(area);
        let heading = format!("Revisions of {}", self.title);
        let block = panel(&heading, theme).padding(Padding::horizontal(1));
        let Some(history) = &self.history else {
            let inner = block.inner(left);
            frame.render_widget(block, left);
            let line = match (&self.error, self.pending) {
                (Some(e), _) => Span::styled(format!("ERROR: {e}"), theme.error),
                (None, Some(_)) => Span::styled("… Loading the revisions", theme.muted),
                (None, None) => Span::styled("No revisions", theme.muted),
            };
            frame.render_widget(Paragraph::new(line), inner);
            frame.render_widget(panel("Changes", theme), right);
            return;
        };
        let header = Row::new(
            ["Rev", "Date", "Author", "Change note"]
                .map(|h| Cell::from(Span::styled(h, theme.heading))),
        );
        let note_width = usize::from(left.width.saturating_sub(6 + 4 + 10 + 14 + 3)).max(8);
        let range = self
            .list
            .window(history.revisions.len(), table_body_height(left));
        let rows = shown(&history.revisions, &range).iter().map(|r| {
            Row::new(vec![
                Cell::from(format!("rev {}", r.number)),
                Cell::from(r.created_at.format("%Y-%m-%d").to_string()),
                Cell::from(fit_text(
                    r.author
                        .as_deref()
                        .unwrap_or(crate::domain::instruction_revisions::IMPORTED),
                    14,
                )),
                Cell::from(fit_text(&r.change_note, note_width)),
            ])
        });
        let widths = [
            Constraint::Length(6),
            Constraint::Length(10),
            Constraint::Length(14),
            Constraint::Min(8),
        ];
        let table = selectable_table(rows, widths, header, block, theme);
        frame.render_stateful_widget(table, left, &mut self.list.table_state(&range));

        let index = self.list.selected().unwrap_or(0);
        let inner = panel("Changes", theme)
            .padding(Padding::horizontal(1))
            .inner(right);
        let width = usize::from(inner.width);
        let Some(rev) = history.revisions.get(index) else {
            return;
        };
        let before = history.predecessor(index);
        let mut lines = vec![Line::from(Span::styled(
            fit_text(
                &match before {
                    Some(b) => format!("rev {} against rev {}", rev.number, b.number),
                    None => format!("rev {}: the first revision", rev.number),
                },
                width,
            ),
            theme.title,
        ))];
        lines.extend(hanging(
            "Note: ",
            &format!("{} ({})", rev.change_note, rev.stamp()),
            width,
            theme.base,
        ));
        if let Some(b) = before {
            if b.title != rev.title {
                lines.extend(hanging(
                    "~ title: ",
                    &format!("\"{}\" → \"{}\"", b.title, rev.title),
                    width,
                    theme.warn,
                ));
            }
            if b.description != rev.description {
                lines.extend(hanging(
                    "~ description: ",
                    rev.description.as_deref().unwrap_or("(none)"),
                    width,
                    theme.warn,
                ));
            }
        }
        lines.push(Line::default());
        let old: &[StepView] = before.map_or(&[], |b| b.steps.as_slice());
        let changes = diff_steps(old, &rev.steps);
        let changed = changes.iter().filter(|c| c.is_change()).count();
        lines.push(Line::from(Span::styled(
            format!(
                "{changed} step change{}",
                if changed == 1 { "" } else { "s" }
            ),
            theme.heading,
        )));
        for change in &changes {
            lines.extend(change_lines(change, width, theme));
        }
        self.page = usize::from(inner.height);
        let last = lines.len().saturating_sub(self.page);
        self.scroll = self.scroll.min(last);
        let title = if last > 0 {
            format!(
                "Changes · lines {}-{} of {} · PgDn/PgUp scroll",
                self.scroll + 1,
                (self.scroll + self.page).min(lines.len()),
                lines.len()
            )
        } else {
            "Changes".to_string()
        };
        let block = panel(&title, theme).padding(Padding::horizontal(1));
        frame.render_widget(block, right);
        let offset = u16::try_from(self.scroll).unwrap_or(u16::MAX);
        frame.render_widget(Paragraph::new(lines).scroll((offset, 0)), inner);
    }
}

/// A step as one line of text: its number, description, minutes and safety notes.
fn step_text(step: &StepView) -> String {
    let mut text = format!("step {}: {}", step.number, step.description);
    if let Some(m) = step.estimated_minutes {
        text.push_str(&format!(" ({m} min)"));
    }
    if let Some(n) = &step.safety_notes {
        text.push_str(&format!(" ⚠ {n}"));
    }
    text
}

fn change_lines(change: &StepChange, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let marker = format!("{:<12}", change.marker());
    match change {
        StepChange::Unchanged { new, .. } => hanging(&marker, &step_text(new), width, theme.muted),
        StepChange::Added(s) => hanging(&marker, &step_text(s), width, theme.ok),
        StepChange::Removed(s) => hanging(&marker, &step_text(s), width, theme.error),
        StepChange::Changed { old, new } => {
            let mut out = hanging(&marker, &step_text(new), width, theme.warn);
            out.extend(hanging(
                &format!("{:<12}", "  was"),
                &step_text(old),
                width,
                theme.muted,
            ));
            out
        }
    }
}
