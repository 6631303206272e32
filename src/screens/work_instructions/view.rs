//! Drawing the two lists, the selection's details and the editors.

use super::editor::Editor;
use super::{Mode, READ_ONLY, View, WorkInstructionsScreen, status, toggle_question, used_by};
use crate::domain::instructions::{InstructionRow, ToolRow};
use crate::domain::tasks::StepView;
use crate::theme::Theme;
use crate::widgets::list_cursor::shown;
use crate::widgets::viewport::table_body_height;
use crate::widgets::{
    centered, confirm, dialog, dim, fit_text, padded, panel, request_status, row, rows, wrap,
};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Padding, Paragraph, Row};

impl WorkInstructionsScreen {
    pub(super) fn draw(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        if let Mode::Instruction(e) = &mut self.mode {
            view_editor(frame, area, e, theme);
            return;
        }
        if let Mode::Revisions(r) = &mut self.mode {
            r.draw(frame, area, theme);
            return;
        }
        let info_h = 1.min(area.height);
        let [body, info] =
            Layout::vertical([Constraint::Min(0), Constraint::Length(info_h)]).areas(area);
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)])
                .areas(body);
        match self.view {
            View::Instructions => {
                self.view_instructions(frame, left, theme);
                let selected = self.selected_instruction().cloned();
                view_instruction_detail(frame, right, selected.as_ref(), theme);
            }
            View::Tools => {
                self.view_tools(frame, left, theme);
                let selected = self.selected_tool().cloned();
                view_tool_detail(frame, right, selected.as_ref(), theme);
            }
        }
        self.view_info(frame, info, theme);
        match &mut self.mode {
            Mode::Browse | Mode::Instruction(_) | Mode::Revisions(_) => {}
            Mode::Tool(t) => {
                dim(frame, area, theme);
                let title = if t.id.is_some() {
                    "Edit tool"
                } else {
                    "New tool"
                };
                let inner = dialog(frame, centered(area, 80, 12), title, theme);
                t.form.render(frame, rows(inner, 1, 6), theme);
                let busy = t.pending.map(|_| "… Saving, please wait");
                request_status(frame, rows(inner, 7, 2), busy, t.error.as_deref(), theme);
            }
            Mode::Confirm {
                target,
                keys,
                error,
                pending,
            } => {
                let (title, mut lines) = toggle_question(target);
                if pending.is_some() {
                    lines.push("… Saving, please wait".to_string());
                } else if let Some(e) = error {
                    lines.push(format!("ERROR: {e}"));
                }
                confirm::render(frame, area, title, &lines, keys, theme);
            }
        }
    }

    /// "▶ Instructions (7) │ Tools (6)" as the panel title, so the view reads without colour.
    pub(super) fn tabs(&self) -> String {
        let (i, t) = (self.catalog.instructions.len(), self.catalog.tools.len());
        let loading = if self.loading.in_flight() {
            " (loading…)"
        } else {
            ""
        };
        let read_only = if self.can_edit { "" } else { " · read only" };
        match self.view {
            View::Instructions => format!("▶ Instructions ({i}) │ Tools ({t}){loading}{read_only}"),
            View::Tools => format!("Instructions ({i}) │ ▶ Tools ({t}){loading}{read_only}"),
        }
    }

    pub(super) fn view_instructions(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let title = self.tabs();
        let block = panel(&title, theme).padding(Padding::horizontal(1));
        let header = Row::new(
            ["Title", "Ver", "Steps", "Status", "Used by"]
                .map(|h| Cell::from(Span::styled(h, theme.heading))),
        );
        // Borders, padding, the highlight symbol, the other columns and the spacing between them.
        let title_width = usize::from(area.width.saturating_sub(6 + 3 + 5 + 10 + 8 + 4)).max(8);
        let range = self
            .instructions
            .window(self.catalog.instructions.len(), table_body_height(area));
        let rows = shown(&self.catalog.instructions, &range).iter().map(|r| {
            Row::new(vec![
                Cell::from(fit_text(&r.title, title_width)),
                Cell::from(format!("v{}", r.version)),
                Cell::from(r.steps.len().to_string()),
                Cell::from(status(r.active)),
                Cell::from(used_by(r.task_count)),
            ])
            .style(if r.active { theme.base } else { theme.disabled })
        });
        let widths = [
            Constraint::Min(8),
            Constraint::Length(3),
            Constraint::Length(5),
            Constraint::Length(10),
            Constraint::Length(8),
        ];
        let table = crate::widgets::selectable_table(rows, widths, header, block, theme);
        frame.render_stateful_widget(table, area, &mut self.instructions.table_state(&range));
    }

    pub(super) fn view_tools(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let title = self.tabs();
        let block = panel(&title, theme).padding(Padding::horizontal(1));
        let header = Row::new(
            ["Name", "Category", "Status", "Used by"]
                .map(|h| Cell::from(Span::styled(h, theme.heading))),
        );
        let name_width = usize::from(area.width.saturating_sub(6 + 12 + 10 + 8 + 3)).max(8);
        let range = self
            .tools
            .window(self.catalog.tools.len(), table_body_height(area));
        let rows = shown(&self.catalog.tools, &range).iter().map(|r| {
            Row::new(vec![
                Cell::from(fit_text(&r.name, name_width)),
                Cell::from(fit_text(r.category.as_deref().unwrap_or("—"), 12)),
                Cell::from(status(r.active)),
                Cell::from(used_by(r.task_count)),
            ])
            .style(if r.active { theme.base } else { theme.disabled })
        });
        let widths = [
            Constraint::Min(8),
            Constraint::Length(12),
            Constraint::Length(10),
            Constraint::Length(8),
        ];
        let table = crate::widgets::selectable_table(rows, widths, header, block, theme);
        frame.render_stateful_widget(table, area, &mut self.tools.table_state(&range));
    }

    pub(super) fn view_info(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let line = if let Some(e) = &self.load_error {
            Line::from(Span::styled(format!(" ERROR: {e}"), theme.error))
        } else if !self.can_edit {
            Line::from(Span::styled(format!(" {READ_ONLY}."), theme.muted))
        } else {
            let n = match self.view {
                View::Instructions => self
                    .catalog
                    .instructions
                    .iter()
                    .filter(|r| r.active)
                    .count(),
                View::Tools => self.catalog.tools.iter().filter(|r| r.active).count(),
            };
            Line::from(Span::styled(
                format!(
                    " {n} active. Deactivated entries stay on finished tasks; new task lists leave them out."
                ),
                theme.muted,
            ))
        };
        frame.render_widget(Paragraph::new(line), area);
    }
}

/// A step as the runner shows it: the safety notes first, in a box, then the step.
pub(super) fn step_lines(step: &StepView, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let minutes = step
        .estimated_minutes
        .map_or(String::new(), |m| format!(" · {m} min"));
    out.push(Line::from(Span::styled(
        format!("Step {}{minutes}", step.number),
        theme.heading,
    )));
    if let Some(notes) = &step.safety_notes {
        let inner = width.saturating_sub(4).max(8);
        let label = "─ ⚠ SAFETY ";
        let top_fill = (inner + 2).saturating_sub(label.chars().count());
        out.push(Line::from(Span::styled(
            format!("┌{label}{}┐", "─".repeat(top_fill)),
            theme.warn,
        )));
        for l in wrap(notes, inner) {
            let pad = inner.saturating_sub(l.chars().count());
            out.push(Line::from(vec![
                Span::styled("│ ", theme.warn),
                Span::styled(format!("{l}{}", " ".repeat(pad)), theme.base),
                Span::styled(" │", theme.warn),
            ]));
        }
        out.push(Line::from(Span::styled(
            format!("└{}┘", "─".repeat(inner + 2)),
            theme.warn,
        )));
    }
    for l in wrap(&step.description, width) {
        out.push(Line::from(l));
    }
    out.push(Line::default());
    out
}

pub(super) fn view_instruction_detail(
    frame: &mut Frame,
    area: Rect,
    row: Option<&InstructionRow>,
    theme: &Theme,
) {
    let block = panel("Steps", theme).padding(Padding::horizontal(1));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(r) = row else {
        frame.render_widget(
            Paragraph::new(Span::styled("No work instruction selected", theme.muted)),
            inner,
        );
        return;
    };
    let width = usize::from(inner.width);
    // The title whole: the list beside it cuts it (docs/architecture.md §2.1).
    let mut lines: Vec<Line> = wrap(&format!("{} · v{}", r.title, r.version), width)
        .into_iter()
        .map(|l| Line::from(Span::styled(l, theme.title)))
        .collect();
    if let Some(d) = &r.description {
        lines.extend(wrap(d, width).into_iter().map(Line::from));
    }
    lines.push(Line::default());
    for s in &r.steps {
        lines.extend(step_lines(s, width, theme));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

pub(super) fn view_tool_detail(
    frame: &mut Frame,
    area: Rect,
    row: Option<&ToolRow>,
    theme: &Theme,
) {
    let block = panel("Tool", theme).padding(Padding::horizontal(1));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(r) = row else {
        frame.render_widget(
            Paragraph::new(Span::styled("No tool selected", theme.muted)),
            inner,
        );
        return;
    };
    let width = usize::from(inner.width);
    let mut lines: Vec<Line> = wrap(&r.name, width)
        .into_iter()
        .map(|l| Line::from(Span::styled(l, theme.title)))
        .collect();
    lines.extend([
        Line::default(),
        Line::from(format!(
            "Category  {}",
            r.category.as_deref().unwrap_or("—")
        )),
        Line::from(format!("Status    {}", status(r.active))),
        Line::from(format!("Used by   {}", used_by(r.task_count))),
        Line::default(),
    ]);
    match &r.description {
        Some(d) => lines.extend(wrap(d, width).into_iter().map(Line::from)),
        None => lines.push(Line::from(Span::styled("No description", theme.muted))),
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

pub(super) fn view_editor(frame: &mut Frame, area: Rect, e: &mut Editor, theme: &Theme) {
    let heading = match (e.id, e.version) {
        (Some(_), Some(v)) => format!("Edit work instruction (rev {v})"),
        _ => "New work instruction".to_string(),
    };
    let block = panel(&heading, theme);
    let inner = padded(block.inner(area));
    frame.render_widget(block, area);
    if inner.height < 4 {
        return;
    }
    let note = if e.id.is_some() {
        "Ctrl-S saves the next revision. Generated tasks keep theirs; new task lists get the saved one."
    } else {
        "Ctrl-S saves. Ctrl-A adds a step after the current one."
    };
    frame.render_widget(
        Paragraph::new(Span::styled(
            fit_text(note, usize::from(inner.width)),
            theme.muted,
        )),
        row(inner, 0),
    );
    // Two rows per field; the status rows at the bottom.
    let fields_area = rows(inner, 2, inner.height.saturating_sub(5));
    let visible = usize::from(fields_area.height / 2).max(1);
    let focus = e.form.focus();
    // Keep the focused step's block (or the header) in view.
    if focus < e.scroll {
        e.scroll = focus;
    } else if focus >= e.scroll + visible {
        e.scroll = focus + 1 - visible;
    }
    let (label_width, input_width) = (e.form.label_width, e.form.input_width);
    for slot in 0..visible {
        let i = e.scroll + slot;
        let y = u16::try_from(slot * 2).unwrap_or(u16::MAX);
        let Some(field) = e.form.field_mut(i) else {
            break;
        };
        field.render(
            frame,
            row(fields_area, y),
            theme,
            i == focus,
            label_width,
            input_width,
        );
        field.render_message(frame, row(fields_area, y + 1), theme, 4);
    }
    let more_above = e.scroll > 0;
    let more_below = e.scroll + visible < e.form.len();
    let position = format!(
        "{} step{}{}{}",
        e.step_count(),
        if e.step_count() == 1 { "" } else { "s" },
        if more_above { " · ↑ more above" } else { "" },
        if more_below { " · ↓ more below" } else { "" },
    );
    let status_y = inner.height.saturating_sub(3);
    frame.render_widget(
        Paragraph::new(Span::styled(position, theme.muted)),
        row(inner, status_y),
    );
    let busy = e.pending.map(|_| "… Saving, please wait");
    request_status(
        frame,
        rows(inner, status_y + 1, 2),
        busy,
        e.error.as_deref(),
        theme,
    );
}
