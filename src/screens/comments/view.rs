//! Drawing the thread and the compose box (docs/comments.md §7).

use super::compose::Composer;
use super::{CommentsScreen, Mode};
use crate::domain::clock::{local_clock, local_minute};
use crate::domain::comment::{Comment, MAX_BODY};
use crate::text::for_terminal;
use crate::theme::Theme;
use crate::widgets::wrap_list::{entry_heights, scroll_to};
use crate::widgets::{confirm, error_lines, fit_text, inset, loading_page, panel, rows, wrap};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

/// The columns a comment's text is indented by, under its header.
const INDENT: usize = 4;

impl CommentsScreen {
    pub(super) fn draw(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let Some(thread) = self.thread.as_deref() else {
            loading_page(
                frame,
                area,
                "Comments",
                self.load_error.as_deref(),
                "… Loading the comments",
                theme,
            );
            return;
        };
        let open = thread.open_count();
        let mut title = format!(
            "Comments · build {} · {} comment{}, {open} open",
            for_terminal(&thread.build_number),
            thread.comments.len(),
            if thread.comments.len() == 1 { "" } else { "s" }
        );
        if self.loading.in_flight() {
            title.push_str(" (refreshing…)");
        }
        let block = panel(&title, theme);
        let inner = inset(block.inner(area), 1);
        frame.render_widget(block, area);
        let composing = match &self.mode {
            Mode::Compose(c) | Mode::ConfirmDiscard(c) => Some(c),
            Mode::Browse => None,
        };
        let compose_h = if composing.is_some() {
            (inner.height / 2)
                .clamp(7, 12)
                .min(inner.height.saturating_sub(3))
        } else {
            0
        };
        // The thread, then what the last write did (or why it was refused), then the compose box.
        let width = usize::from(inner.width);
        let status = match (&self.error, &self.notice, &self.load_error) {
            (Some(e), _, _) | (None, None, Some(e)) => error_lines(e, width, theme),
            (None, Some(n), _) => vec![Line::from(Span::styled(
                fit_text(&format!("✔ {n}"), width),
                theme.ok,
            ))],
            (None, None, None) => Vec::new(),
        };
        let status_h = u16::try_from(status.len()).unwrap_or(3).max(1);
        let list_h = inner.height.saturating_sub(compose_h + status_h);
        self.draw_thread(frame, rows(inner, 0, list_h), theme);
        frame.render_widget(Paragraph::new(status), rows(inner, list_h, status_h));
        let busy = self.writing.in_flight();
        if let Mode::Compose(c) | Mode::ConfirmDiscard(c) = &mut self.mode {
            let box_area = rows(inner, list_h + status_h, compose_h);
            draw_composer(c, frame, box_area, busy, theme);
        }
        if let Mode::ConfirmDiscard(_) = self.mode {
            let lines = vec![
                "Discard the comment you typed?".to_string(),
                "It has not been posted; it will be lost.".to_string(),
            ];
            confirm::render(
                frame,
                area,
                "Discard comment",
                &lines,
                &self.confirm_keys,
                theme,
            );
        }
    }

    fn draw_thread(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let Some(thread) = self.thread.as_deref() else {
            return;
        };
        let width = usize::from(area.width);
        if thread.comments.is_empty() {
            let lines = vec![
                Line::default(),
                Line::from(Span::styled("No comments on this build yet.", theme.base)),
                Line::from(Span::styled(
                    format!("Press {} to write the first one.", self.write_key),
                    theme.muted,
                )),
            ];
            frame.render_widget(Paragraph::new(lines), area);
            return;
        }
        let whole: Vec<Vec<Line<'static>>> = thread
            .comments
            .iter()
            .enumerate()
            .map(|(i, c)| comment_lines(c, i == self.selected, width, theme))
            .collect();
        let height = usize::from(area.height);
        let counts: Vec<usize> = whole.iter().map(Vec::len).collect();
        let heights = entry_heights(&counts, self.selected, height);
        self.scroll = scroll_to(&heights, self.selected, self.scroll, height);
        let mut lines = Vec::new();
        for (i, (entry, h)) in whole
            .into_iter()
            .zip(&heights)
            .enumerate()
            .skip(self.scroll)
        {
            if *h >= entry.len() {
                lines.extend(entry);
            } else if let Some(c) = thread.comments.get(i) {
                lines.push(summary_line(c, width, theme));
            }
            if lines.len() >= height {
                break;
            }
        }
        frame.render_widget(Paragraph::new(lines), area);
    }
}

/// What a comment's header says after its author: when, internal, edited, resolved.
fn header_text(c: &Comment) -> String {
    let mut text = format!(
        "{} · {}",
        for_terminal(&c.author),
        local_minute(c.created_at)
    );
    if c.internal {
        text.push_str(" · INTERNAL");
    }
    if let Some(at) = c.edited_at {
        text.push_str(&format!(" · edited {}", local_clock(at)));
    }
    match &c.resolved {
        Some((by, at)) => text.push_str(&format!(
            " · resolved by {} {}",
            for_terminal(by),
            local_minute(*at)
        )),
        None => text.push_str(" · OPEN"),
    }
    text
}

/// A comment whole: its header, then its text wrapped under it, then a blank line.
fn comment_lines(c: &Comment, selected: bool, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let marker = if selected { "▶ " } else { "  " };
    let style = if selected { theme.selected } else { theme.base };
    let body_style = if c.resolved.is_some() {
        theme.muted
    } else {
        theme.base
    };
    // The header wraps rather than being cut: no other place shows it whole.
    let mut lines: Vec<Line<'static>> = wrap(&header_text(c), width.saturating_sub(2))
        .into_iter()
        .enumerate()
        .map(|(i, l)| {
            let lead = if i == 0 { marker } else { "  " };
            Line::from(vec![
                Span::styled(lead, theme.focus),
                Span::styled(l, style),
            ])
        })
        .collect();
    let indent = " ".repeat(INDENT);
    for l in wrap(&for_terminal(&c.body), width.saturating_sub(INDENT)) {
        lines.push(Line::from(Span::styled(format!("{indent}{l}"), body_style)));
    }
    lines.push(Line::default());
    lines
}

/// A comment on one row, when the thread does not fit whole: the header and the text's start.
fn summary_line(c: &Comment, width: usize, theme: &Theme) -> Line<'static> {
    let first = c.body.lines().next().unwrap_or_default();
    let text = format!("{} — {}", header_text(c), for_terminal(first));
    Line::from(vec![
        Span::styled("  ", theme.focus),
        Span::styled(fit_text(&text, width.saturating_sub(2)), theme.muted),
    ])
}

fn draw_composer(c: &mut Composer, frame: &mut Frame, area: Rect, busy: bool, theme: &Theme) {
    if area.height < 3 {
        return;
    }
    let title = match (c.editing, c.internal) {
        (Some(_), true) => " Edit your comment · INTERNAL ".to_string(),
        (Some(_), false) => " Edit your comment ".to_string(),
        (None, true) => " New comment · INTERNAL: plant roles only ".to_string(),
        (None, false) => " New comment · seen by everyone who sees the build ".to_string(),
    };
    let block = Block::bordered()
        .title(Span::styled(title, theme.focus))
        .border_style(theme.focus);
    let width = usize::from(area.width);
    let footer = match (&c.error, busy) {
        (_, true) => vec![Line::from(Span::styled(
            "… Posting, please wait",
            theme.muted,
        ))],
        (Some(e), false) => error_lines(e, width, theme),
        (None, false) => vec![Line::from(Span::styled(
            fit_text(
                &format!(
                    "{}/{MAX_BODY} · @name notifies that person · Enter starts a new line",
                    c.len()
                ),
                width,
            ),
            theme.muted,
        ))],
    };
    let footer_h = u16::try_from(footer.len())
        .unwrap_or(3)
        .min(area.height.saturating_sub(3));
    let editor_area = rows(area, 0, area.height.saturating_sub(footer_h));
    c.editor.set_block(block);
    c.editor.set_style(theme.input_focus);
    c.editor.set_cursor_style(theme.cursor);
    c.editor.set_cursor_line_style(ratatui::style::Style::new());
    frame.render_widget(&*c.editor, editor_area);
    frame.render_widget(
        Paragraph::new(footer),
        rows(area, area.height.saturating_sub(footer_h), footer_h),
    );
}
