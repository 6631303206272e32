//! Drawing the task runner: the header with progress, the task list, the focused task's detail (work
//! instruction, safety box, tools, parts, notes) and the dialogs.

use super::{Dialog, Notice, TaskRunnerScreen};
use crate::domain::bom_document::quantity_text;
use crate::domain::checklist::CheckType;
use crate::domain::clock;
use crate::domain::instruction_revisions::{newer_revision_note, revision_heading, revision_stamp};
use crate::domain::tasks::{TaskListView, TaskView};
use crate::screens::nonconformance::utc;
use crate::theme::Theme;
use crate::widgets::wrap_list::{entry_heights, fit_middle, scroll_to};
use crate::widgets::{
    centered, confirm, dialog, dim, draw_loading, fit_text, inset, panel, row, rows,
};
use crate::widgets::{hanging, wrap};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use std::time::Duration;

/// Below this width the detail goes under the list instead of beside it.
const SIDE_BY_SIDE: u16 = 80;
const GAUGE_WIDTH: usize = 20;

pub(super) fn draw(s: &mut TaskRunnerScreen, frame: &mut Frame, area: Rect, theme: &Theme) {
    if area.height < 3 || area.width < 20 {
        return;
    }
    let block = panel("Assembly tasks", theme);
    let inner = inset(block.inner(area), 1);
    frame.render_widget(block, area);

    let Some(list) = s.list.as_ref() else {
        draw_loading(
            frame,
            inner,
            s.load_error.as_deref(),
            "… Loading the tasks",
            theme,
        );
        return;
    };

    let top = header_lines(s, list, theme);
    let top_h = u16::try_from(top.len())
        .unwrap_or(u16::MAX)
        .min(inner.height);
    frame.render_widget(
        Paragraph::new(top).wrap(Wrap { trim: true }),
        rows(inner, 0, top_h),
    );
    let rule = rows(inner, top_h, 1);
    frame.render_widget(
        Paragraph::new(Span::styled(
            "─".repeat(usize::from(rule.width)),
            theme.border,
        )),
        rule,
    );
    let body = rows(inner, top_h + 1, inner.height.saturating_sub(top_h + 1));
    if body.height == 0 {
        return;
    }

    let (list_area, detail_area) = if body.width >= SIDE_BY_SIDE {
        let left = body.width * 9 / 20;
        let list_area = Rect::new(body.x, body.y, left, body.height);
        for y in 0..body.height {
            frame.render_widget(
                Paragraph::new(Span::styled("│", theme.border)),
                Rect::new(body.x + left, body.y + y, 1, 1),
            );
        }
        let detail = Rect::new(
            body.x + left + 2,
            body.y,
            body.width.saturating_sub(left + 2),
            body.height,
        );
        (list_area, detail)
    } else {
        let n = u16::try_from(list.tasks.len()).unwrap_or(u16::MAX);
        let h = n.min(body.height / 3).max(1);
        (
            rows(body, 0, h),
            rows(body, h + 1, body.height.saturating_sub(h + 1)),
        )
    };
    draw_list(s, frame, list_area, theme);
    draw_detail(s, frame, detail_area, theme);
    draw_dialog(s, frame, area, theme);
    if let Some(d) = s.hold_dialog.as_mut() {
        d.render(frame, area, theme);
    }
}

fn header_lines(s: &TaskRunnerScreen, list: &TaskListView, theme: &Theme) -> Vec<Line<'static>> {
    let mut first = Vec::new();
    if let Some(label) = &s.build_label {
        first.push(Span::styled(label.clone(), theme.heading));
        first.push(Span::styled(" · ", theme.muted));
    }
    first.push(Span::styled(list.assembly_type.clone(), theme.base));
    first.push(Span::styled(" · ", theme.muted));
    first.push(Span::styled(list.status.to_string(), theme.base));

    let (done, total) = (list.done(), list.total());
    let pct = (done * 100).checked_div(total).unwrap_or(0);
    let filled = (done * GAUGE_WIDTH).checked_div(total).unwrap_or(0);
    let gauge = format!(
        "[{}{}] {pct}%",
        "█".repeat(filled),
        "░".repeat(GAUGE_WIDTH - filled)
    );
    let second = vec![
        Span::styled(format!("Tasks {done} / {total} done"), theme.heading),
        Span::styled(" · ", theme.muted),
        Span::styled(time_left(list.minutes_left()), theme.base),
        Span::raw("   "),
        Span::styled(gauge, theme.ok),
    ];
    let mut lines = vec![Line::from(first), Line::from(second)];
    if let Some(reason) = s.read_only_reason() {
        lines.push(Line::from(Span::styled(
            format!("READ ONLY: {reason}"),
            theme.warn.add_modifier(Modifier::BOLD),
        )));
    }
    if s.saving.in_flight() {
        lines.push(Line::from(Span::styled("… Saving…", theme.muted)));
    } else if let Some(notice) = &s.notice {
        lines.push(match notice {
            Notice::Info(t) => Line::from(Span::styled(t.clone(), theme.base)),
            Notice::Error(t) => Line::from(Span::styled(format!("ERROR: {t}"), theme.error)),
        });
    }
    if s.all_done() {
        lines.push(Line::from(Span::styled(
            "✓ All tasks done — press t for end-of-line testing",
            theme.ok.add_modifier(Modifier::BOLD),
        )));
    }
    lines
}

/// "about 3 h 25 min left"
pub fn time_left(minutes: i64) -> String {
    match minutes {
        m if m <= 0 => "nothing estimated left".to_string(),
        m if m < 60 => format!("about {m} min left"),
        m if m % 60 == 0 => format!("about {} h left", m / 60),
        m => format!("about {} h {} min left", m / 60, m % 60),
    }
}

/// `mm:ss`
pub fn clock(d: Duration) -> String {
    let secs = d.as_secs();
    format!("{:02}:{:02}", secs / 60, secs % 60)
}

/// "Sam Brennan" -> "SB"
fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().next())
        .collect()
}

/// The tasks, one per row with the name wrapped under itself when it is longer than the row: every name
/// whole when the list has the room, else the focused one (docs/architecture.md §2.1).
fn draw_list(s: &mut TaskRunnerScreen, frame: &mut Frame, area: Rect, theme: &Theme) {
    let Some(list) = s.list.as_ref() else {
        return;
    };
    let height = usize::from(area.height);
    if height == 0 {
        return;
    }
    let width = usize::from(area.width);
    let rows_of: Vec<(String, String, Vec<String>)> = list
        .tasks
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let marker = if i == s.focus { "▶ " } else { "  " };
            let check = if t.is_completed { "[✓]" } else { "[ ]" };
            let tail = match (&t.completed_by, t.estimated_minutes) {
                (Some((_, name)), _) if t.is_completed => initials(name),
                (None, _) if t.is_completed => "done".to_string(),
                (_, Some(m)) => format!("{m} min"),
                (_, None) => String::new(),
            };
            let head = format!("{marker}{check} {:>2} ", t.sequence);
            let room = width.saturating_sub(head.chars().count() + tail.chars().count() + 1);
            (head, tail, wrap(&t.description, room))
        })
        .collect();
    let lines: Vec<usize> = rows_of.iter().map(|(_, _, w)| w.len()).collect();
    let heights = entry_heights(&lines, s.focus, height);
    s.list_scroll = scroll_to(&heights, s.focus, s.list_scroll, height);
    let mut y = 0;
    for (i, (t, (head, tail, wrapped))) in list
        .tasks
        .iter()
        .zip(&rows_of)
        .enumerate()
        .skip(s.list_scroll)
    {
        let style = if i == s.focus {
            theme.selected
        } else if t.is_completed {
            theme.muted
        } else {
            theme.base
        };
        let room = width.saturating_sub(head.chars().count() + tail.chars().count() + 1);
        let shown = heights.get(i).copied().unwrap_or(1);
        for (n, part) in wrapped.iter().take(shown).enumerate() {
            if y >= height {
                return;
            }
            // A name on one row of a list too long to show every name whole is cut in the middle, so
            // names that differ at the end ("… (basin 2)") stay apart.
            let part = if shown < wrapped.len() {
                fit_middle(&t.description, room)
            } else {
                part.clone()
            };
            let text = if n == 0 {
                let pad = room.saturating_sub(part.chars().count());
                format!("{head}{part}{} {tail}", " ".repeat(pad))
            } else {
                format!("{}{part}", " ".repeat(head.chars().count()))
            };
            let row_y = u16::try_from(y).unwrap_or(u16::MAX);
            frame.render_widget(Paragraph::new(Span::styled(text, style)), row(area, row_y));
            y += 1;
        }
    }
}

/// The safety notes of the instruction's steps in a heavy box titled "⚠ SAFETY".
fn safety_box(task: &TaskView, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let notes: Vec<(i32, &str)> = task
        .instruction
        .iter()
        .flat_map(|i| &i.steps)
        .filter_map(|st| {
            st.safety_notes
                .as_deref()
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(|n| (st.number, n))
        })
        .collect();
    if notes.is_empty() || width < 12 {
        return Vec::new();
    }
    let style = theme.warn.add_modifier(Modifier::BOLD);
    let inner = width - 4;
    let title = "━ ⚠ SAFETY ";
    let mut lines = vec![Line::from(Span::styled(
        format!(
            "┏{title}{}┓",
            "━".repeat(width.saturating_sub(2 + title.chars().count()))
        ),
        style,
    ))];
    for (number, note) in notes {
        for l in wrap(&format!("Step {number}: {note}"), inner) {
            let pad = inner.saturating_sub(l.chars().count());
            lines.push(Line::from(vec![
                Span::styled("┃ ", style),
                Span::styled(format!("{l}{}", " ".repeat(pad)), theme.warn),
                Span::styled(" ┃", style),
            ]));
        }
    }
    lines.push(Line::from(Span::styled(
        format!("┗{}┛", "━".repeat(width - 2)),
        style,
    )));
    lines
}

/// Under a rework task: the failed items of the Final QC it carries out, each with the inspector's
/// note, who signed the failure and when (docs/assembly-floor.md §4.1).
fn findings_lines(
    s: &TaskRunnerScreen,
    task: &TaskView,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let Some(f) = s
        .list
        .as_ref()
        .and_then(|l| l.findings.iter().find(|f| f.task_id == task.id))
    else {
        return Vec::new();
    };
    let when = f.at.map(|t| format!(", {}", utc(t))).unwrap_or_default();
    let mut lines = vec![Line::default()];
    lines.extend(hanging(
        "",
        &format!("Final QC findings ({}{when})", f.inspector),
        width,
        theme.heading,
    ));
    if f.items.is_empty() {
        lines.extend(hanging(
            "  ",
            "No failed item recorded: the reason above says what to fix",
            width,
            theme.muted,
        ));
    }
    for finding in &f.items {
        lines.extend(hanging("  ✗ ", &finding.item.line(), width, theme.error));
        match finding.note.as_deref() {
            Some(note) => lines.extend(hanging("    Note: ", note, width, theme.base)),
            None => lines.extend(hanging("    ", "(no note)", width, theme.muted)),
        }
    }
    lines
}

fn detail_lines(
    s: &TaskRunnerScreen,
    task: &TaskView,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let total = s.list.as_ref().map_or(0, TaskListView::total);
    let mut head = format!("Task {} of {total}", task.sequence);
    if let Some(code) = &task.code {
        head.push_str(&format!(" · {code}"));
    }
    if let Some(m) = task.estimated_minutes {
        head.push_str(&format!(" · est. {m} min"));
    }
    let mut lines = vec![Line::from(Span::styled(head, theme.muted))];
    lines.extend(hanging("", &task.description, width, theme.title));

    if task.is_completed {
        let who = task
            .completed_by
            .as_ref()
            .map_or("someone", |(_, n)| n.as_str());
        let when = task
            .completed_at
            .map(|t| format!(" at {}", clock::local_clock(t)))
            .unwrap_or_default();
        lines.push(Line::from(Span::styled(
            format!("✓ Done by {who}{when}"),
            theme.ok,
        )));
    } else {
        lines.push(Line::from(vec![
            Span::styled("Timer ", theme.muted),
            Span::styled(clock(s.elapsed()), theme.heading),
            Span::styled(" ▶ running", theme.muted),
        ]));
    }
    lines.extend(findings_lines(s, task, width, theme));
    match task.check_type {
        Some(CheckType::MultiChoice) => {
            lines.push(Line::from(Span::styled(
                "Completing asks for one of:",
                theme.base,
            )));
            for option in &task.options {
                lines.extend(hanging("  • ", option, width, theme.base));
            }
        }
        Some(CheckType::NaOption) => lines.push(Line::from(Span::styled(
            "May be completed as Not applicable, with a reason",
            theme.base,
        ))),
        _ => {}
    }

    let safety = safety_box(task, width, theme);
    if !safety.is_empty() {
        lines.push(Line::default());
        lines.extend(safety);
    }

    lines.push(Line::default());
    match &task.instruction {
        Some(wi) => {
            // The revision the build was generated with, never the live text (docs/assembly-floor.md §8).
            let stamp = revision_stamp(wi.revised_at, wi.author.as_deref());
            lines.extend(hanging(
                "",
                &revision_heading(&wi.title, wi.version, &stamp),
                width,
                theme.heading,
            ));
            if let Some(note) = newer_revision_note(wi.version, wi.current_version) {
                lines.extend(hanging("Note: ", &note, width, theme.warn));
            }
            if let Some(d) = wi.description.as_deref().filter(|d| !d.trim().is_empty()) {
                lines.extend(hanging("", d, width, theme.muted));
            }
            for st in &wi.steps {
                let mut text = st.description.clone();
                if let Some(m) = st.estimated_minutes {
                    text.push_str(&format!(" ({m} min)"));
                }
                if st
                    .safety_notes
                    .as_deref()
                    .is_some_and(|n| !n.trim().is_empty())
                {
                    text.push_str(" ⚠ see SAFETY");
                }
                lines.extend(hanging(
                    &format!("{:>3}. ", st.number),
                    &text,
                    width,
                    theme.base,
                ));
            }
        }
        None => lines.push(Line::from(Span::styled(
            "No work instruction for this task.",
            theme.muted,
        ))),
    }

    if !task.tools.is_empty() {
        lines.push(Line::default());
        lines.push(Line::from(Span::styled("Tools", theme.heading)));
        for tool in &task.tools {
            let mark = if tool.required {
                "required"
            } else {
                "optional"
            };
            lines.extend(hanging(
                "  • ",
                &format!("{} [{mark}]", tool.name),
                width,
                theme.base,
            ));
        }
    }
    if !task.parts.is_empty() {
        lines.push(Line::default());
        lines.push(Line::from(Span::styled("Parts", theme.heading)));
        for part in &task.parts {
            lines.extend(hanging(
                "  • ",
                &format!("{} × {}", part.part_id, quantity_text(part.quantity)),
                width,
                theme.base,
            ));
        }
    }
    if let Some(notes) = task.notes.as_deref().filter(|n| !n.trim().is_empty()) {
        lines.push(Line::default());
        lines.push(Line::from(Span::styled("Notes", theme.heading)));
        for l in notes.lines() {
            lines.extend(hanging("  ", l, width, theme.base));
        }
    }
    lines
}

fn draw_detail(s: &mut TaskRunnerScreen, frame: &mut Frame, area: Rect, theme: &Theme) {
    let Some(task) = s.focused() else {
        frame.render_widget(
            Paragraph::new(Span::styled("This build has no tasks.", theme.muted)),
            row(area, 0),
        );
        return;
    };
    let lines = detail_lines(s, task, usize::from(area.width), theme);
    let count = u16::try_from(lines.len()).unwrap_or(u16::MAX);
    let overflow = count > area.height;
    // One row goes to the scroll hint when the detail does not fit.
    let visible = if overflow {
        area.height.saturating_sub(1)
    } else {
        area.height
    };
    s.detail_rows = visible;
    s.detail_lines = count;
    s.detail_scroll = s.detail_scroll.min(count.saturating_sub(visible));
    frame.render_widget(
        Paragraph::new(lines).scroll((s.detail_scroll, 0)),
        rows(area, 0, visible),
    );
    if overflow {
        let last = (s.detail_scroll + visible).min(count);
        let hint = format!(
            "lines {}-{last} of {count} · PgDn/PgUp scroll",
            s.detail_scroll + 1
        );
        frame.render_widget(
            Paragraph::new(Span::styled(hint, theme.muted)),
            row(area, area.height - 1),
        );
    }
}

fn draw_dialog(s: &mut TaskRunnerScreen, frame: &mut Frame, area: Rect, theme: &Theme) {
    let saving = s.saving.in_flight();
    let Some(d) = s.dialog.as_ref() else {
        return;
    };
    let task_of = |id| {
        s.list
            .as_ref()
            .and_then(|l| l.tasks.iter().find(|t| t.id == id))
    };
    match d {
        Dialog::Reopen { sequence, task_id } => {
            let mut lines = vec![format!("Reopen task {sequence}? y/n")];
            if let Some(t) = task_of(*task_id) {
                lines.push(fit_text(&t.description, 64));
            }
            confirm::render(frame, area, "Reopen task", &lines, &s.confirm_keys, theme);
        }
        Dialog::Choice {
            task_id,
            cursor,
            error,
        } => {
            let Some(task) = task_of(*task_id) else {
                return;
            };
            let n = u16::try_from(task.options.len()).unwrap_or(u16::MAX);
            dim(frame, area, theme);
            let inner = dialog(
                frame,
                centered(area, 64, n.saturating_add(7)),
                &format!("Complete task {}", task.sequence),
                theme,
            );
            let w = usize::from(inner.width);
            frame.render_widget(
                Paragraph::new(Span::styled(fit_text(&task.description, w), theme.base)),
                row(inner, 0),
            );
            frame.render_widget(
                Paragraph::new(Span::styled(
                    "Choose one (↑/↓, Enter accepts):",
                    theme.muted,
                )),
                row(inner, 1),
            );
            for (i, option) in task.options.iter().enumerate() {
                let y = u16::try_from(i + 3).unwrap_or(u16::MAX);
                let chosen = i == *cursor;
                let text = format!("{} {}", if chosen { "▶ (•)" } else { "  ( )" }, option);
                let style = if chosen { theme.selected } else { theme.base };
                frame.render_widget(
                    Paragraph::new(Span::styled(fit_text(&text, w), style)),
                    row(inner, y),
                );
            }
            status_row(frame, inner, saving, error.as_deref(), theme);
        }
        Dialog::Na { task_id, error, .. } | Dialog::Note { task_id, error, .. } => {
            let (title, prompt) = match d {
                Dialog::Na { .. } => ("Complete task", "Done, or Not applicable with a reason:"),
                _ => ("Add a note to task", "The note is kept with the task:"),
            };
            let (sequence, description) = task_of(*task_id)
                .map(|t| (t.sequence, t.description.clone()))
                .unwrap_or_default();
            let error = error.clone();
            dim(frame, area, theme);
            let inner = dialog(
                frame,
                centered(area, 80, 11),
                &format!("{title} {sequence}"),
                theme,
            );
            let w = usize::from(inner.width);
            frame.render_widget(
                Paragraph::new(Span::styled(fit_text(&description, w), theme.base)),
                row(inner, 0),
            );
            frame.render_widget(
                Paragraph::new(Span::styled(prompt, theme.muted)),
                row(inner, 1),
            );
            if let Some(Dialog::Na { form, .. } | Dialog::Note { form, .. }) = s.dialog.as_mut() {
                let h = form.height();
                form.render(frame, rows(inner, 3, h), theme);
            }
            status_row(frame, inner, saving, error.as_deref(), theme);
        }
    }
}

fn status_row(frame: &mut Frame, inner: Rect, saving: bool, error: Option<&str>, theme: &Theme) {
    if inner.height == 0 {
        return;
    }
    let line = match (saving, error) {
        (true, _) => Line::from(Span::styled("… Saving…", theme.muted)),
        (false, Some(e)) => Line::from(Span::styled(format!("ERROR: {e}"), theme.error)),
        (false, None) => return,
    };
    frame.render_widget(Paragraph::new(line), row(inner, inner.height - 1));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_left_reads_naturally() {
        assert_eq!(time_left(205), "about 3 h 25 min left");
        assert_eq!(time_left(120), "about 2 h left");
        assert_eq!(time_left(25), "about 25 min left");
        assert_eq!(time_left(0), "nothing estimated left");
    }

    #[test]
    fn clock_and_initials() {
        assert_eq!(clock(Duration::from_secs(0)), "00:00");
        assert_eq!(clock(Duration::from_secs(754)), "12:34");
        assert_eq!(initials("Sam Brennan"), "SB");
    }
}
