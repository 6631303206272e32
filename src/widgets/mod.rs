//! Reusable drawing pieces shared by the screens and the shell.

pub mod confirm;
pub mod form_field;
pub mod help;
pub mod key_bar;
pub mod list_cursor;
pub mod signing;
pub mod status_bar;
pub mod toast;
pub mod tree;
pub mod viewport;
pub mod wrap_list;

use crate::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, HighlightSpacing, Paragraph, Row, Table, Wrap};

/// A `width` x `height` rectangle centred in `area`, shrunk to fit.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// Mutes everything already drawn in `area`, so a dialog on top reads as modal.
pub fn dim(frame: &mut Frame, area: Rect, theme: &Theme) {
    let buf = frame.buffer_mut();
    let area = area.intersection(buf.area);
    let muted = Style::reset().patch(theme.muted);
    for pos in area.positions() {
        if let Some(cell) = buf.cell_mut(pos) {
            cell.set_style(muted);
        }
    }
}

/// Clears `area`, draws a dialog frame titled `title` and returns the inside, with a one-column margin.
pub fn dialog(frame: &mut Frame, area: Rect, title: &str, theme: &Theme) -> Rect {
    frame.render_widget(Clear, area);
    let block = Block::bordered()
        .border_type(BorderType::Double)
        .border_style(theme.dialog)
        .title(Span::styled(format!(" {title} "), theme.title));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    inset(inner, 1)
}

/// A plain panel frame for a screen's main content.
pub fn panel<'a>(title: &'a str, theme: &Theme) -> Block<'a> {
    Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(theme.border)
        .title(Span::styled(format!(" {title} "), theme.heading))
}

/// A table whose selected row is marked with `▶` and the selection style, the look of every queue.
pub fn selectable_table<'a>(
    rows: impl IntoIterator<Item = Row<'a>>,
    widths: impl IntoIterator<Item = Constraint>,
    header: Row<'a>,
    block: Block<'a>,
    theme: &Theme,
) -> Table<'a> {
    Table::new(rows, widths)
        .header(header)
        .block(block)
        .column_spacing(1)
        .row_highlight_style(theme.selected)
        .highlight_symbol("▶ ")
        .highlight_spacing(HighlightSpacing::Always)
}

/// `text` in lines of at most `width` characters: each of its lines wrapped at spaces, a word longer than
/// a line split. Never empty (an empty text is one empty line), so callers can always draw a row.
/// Wrapped text with `first` before the first line and as much space before the others.
pub fn hanging(first: &str, text: &str, width: usize, style: Style) -> Vec<Line<'static>> {
    let indent = first.chars().count();
    wrap(text, width.saturating_sub(indent))
        .into_iter()
        .enumerate()
        .map(|(i, l)| {
            let lead = if i == 0 {
                first.to_string()
            } else {
                " ".repeat(indent)
            };
            Line::from(Span::styled(format!("{lead}{l}"), style))
        })
        .collect()
}

pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut out = Vec::new();
    for para in text.lines() {
        let mut line = String::new();
        for word in para.split_whitespace() {
            let mut word = word.to_string();
            while word.chars().count() > width {
                if !line.is_empty() {
                    out.push(std::mem::take(&mut line));
                }
                out.push(word.chars().take(width).collect());
                word = word.chars().skip(width).collect();
            }
            let len = line.chars().count();
            if len > 0 && len + 1 + word.chars().count() > width {
                out.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(&word);
        }
        out.push(line);
    }
    if out.is_empty() {
        out.push(String::new());
    }
    out
}

/// The two info rows under a list: what is selected, then the list's state (count, loading, error).
pub fn info_rows(frame: &mut Frame, area: Rect, first: Line, second: Line) {
    frame.render_widget(Paragraph::new(first), row(area, 0));
    frame.render_widget(Paragraph::new(second), row(area, 1));
}

/// Row `line` of the message an empty table shows inside its border, two columns in.
pub fn empty_table_row(inner: Rect, line: u16) -> Rect {
    let msg = Rect::new(
        inner.x.saturating_add(2).min(inner.right()),
        inner.y,
        inner.width.saturating_sub(2),
        inner.height,
    );
    row(msg, line)
}

/// A list screen's rows: a header or filter row, the table, and the two info rows under it.
pub fn list_screen_rows(area: Rect) -> [Rect; 3] {
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(2),
    ])
    .areas(area)
}

/// Moves a non-empty list's selection on a movement key; false when `action` is not one (or the list
/// is empty), so the screen handles it.
pub fn step_selection(
    selected: Option<usize>,
    select: impl FnOnce(Option<usize>),
    action: crate::keymap::Action,
    n: usize,
    page: usize,
) -> bool {
    match list_step(action, selected.unwrap_or(0), n, page) {
        Some(i) if n > 0 => {
            select(Some(i));
            true
        }
        _ => false,
    }
}

/// Where a list cursor at `cur` goes on a movement key, with `n` rows and `page` rows a page (clamped
/// to the last row); `None` when `action` is not a movement key.
pub fn list_step(
    action: crate::keymap::Action,
    cur: usize,
    n: usize,
    page: usize,
) -> Option<usize> {
    use crate::keymap::Action;
    let last = n.saturating_sub(1);
    Some(match action {
        Action::Up => cur.saturating_sub(1),
        Action::Down => (cur + 1).min(last),
        Action::PageUp => cur.saturating_sub(page),
        Action::PageDown => (cur + page).min(last),
        Action::First => 0,
        Action::Last => last,
        _ => return None,
    })
}

/// Where a scrolled body stands: its first shown line, the last possible first line, and one page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scroll {
    pub offset: u16,
    pub max: u16,
    pub page: u16,
}

impl Scroll {
    /// Moves for a list key; false when `action` is not one. The offset is clamped when drawn, so keys
    /// that come before a draw still count.
    pub fn apply(&mut self, action: crate::keymap::Action) -> bool {
        use crate::keymap::Action;
        let page = self.page.max(1);
        let at = self.offset.min(self.max);
        self.offset = match action {
            Action::Up => at.saturating_sub(1),
            Action::Down => at.saturating_add(1),
            Action::PageUp => at.saturating_sub(page),
            Action::PageDown => self.offset.saturating_add(page),
            Action::First => 0,
            Action::Last => u16::MAX,
            _ => return false,
        };
        true
    }
}

/// A detail panel: `block` around `inner`, the `top` lines fixed over a rule, `body` below scrolled by
/// `scroll` (clamped here, since only drawing knows the height), with "lines a-b of n" on the border when
/// the body does not fit.
#[allow(clippy::too_many_arguments)] // the parts of one panel; a struct would only rename them
pub fn scrolled_panel(
    frame: &mut Frame,
    area: Rect,
    block: Block<'_>,
    inner: Rect,
    mut top: Vec<Line<'_>>,
    body: Vec<Line<'_>>,
    scroll: &mut Scroll,
    theme: &Theme,
) {
    top.push(Line::from(Span::styled(
        "─".repeat(usize::from(inner.width)),
        theme.border,
    )));
    let top_h = u16::try_from(top.len())
        .unwrap_or(u16::MAX)
        .min(inner.height);
    let body_area = rows(inner, top_h, inner.height.saturating_sub(top_h));
    let total = u16::try_from(body.len()).unwrap_or(u16::MAX);
    scroll.page = body_area.height.max(1);
    scroll.max = total.saturating_sub(body_area.height);
    scroll.offset = scroll.offset.min(scroll.max);
    let block = if scroll.max > 0 {
        let last = (scroll.offset + body_area.height).min(total);
        let more = if scroll.offset < scroll.max {
            " · PgDn more"
        } else {
            ""
        };
        block.title_bottom(
            Line::from(Span::styled(
                format!(" lines {}-{last} of {total}{more} ", scroll.offset + 1),
                theme.muted,
            ))
            .right_aligned(),
        )
    } else {
        block
    };
    frame.render_widget(block, area);
    frame.render_widget(Paragraph::new(top), rows(inner, 0, top_h));
    frame.render_widget(Paragraph::new(body).scroll((scroll.offset, 0)), body_area);
}

/// One record's page (a build, a service order): a panel titled `title`, marked while `refreshing`;
/// `lines` gets the text width and gives the top and body lines; `notice` goes under the top lines.
#[allow(clippy::too_many_arguments)] // the parts of one page; a struct would only rename them
pub fn record_page<'a>(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    refreshing: bool,
    notice: Option<&str>,
    scroll: &mut Scroll,
    theme: &Theme,
    lines: impl FnOnce(usize) -> (Vec<Line<'a>>, Vec<Line<'a>>),
) {
    let title = if refreshing {
        format!("{title} (refreshing…)")
    } else {
        title.to_string()
    };
    let block = panel(&title, theme);
    let inner = inset(block.inner(area), 1);
    let width = usize::from(inner.width);
    let (mut top, body) = lines(width);
    if let Some(text) = notice {
        top.extend(error_lines(text, width, theme));
    }
    scrolled_panel(frame, area, block, inner, top, body, scroll, theme);
}

/// A record's page before the record came: the panel titled `title`, and `loading` or the load error.
pub fn loading_page(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    load_error: Option<&str>,
    loading: &str,
    theme: &Theme,
) {
    let block = panel(title, theme);
    let inner = inset(block.inner(area), 1);
    frame.render_widget(block, area);
    draw_loading(frame, inner, load_error, loading, theme);
}

/// One row of `area`, or an empty rect when `area` has fewer rows.
pub fn row(area: Rect, offset: u16) -> Rect {
    if offset >= area.height {
        return Rect::new(area.x, area.y, 0, 0);
    }
    Rect::new(area.x, area.y + offset, area.width, 1)
}

/// Up to `height` rows of `area` starting `offset` rows down, clipped to `area`.
pub fn rows(area: Rect, offset: u16, height: u16) -> Rect {
    let y = area.y.saturating_add(offset).min(area.bottom());
    Rect::new(area.x, y, area.width, height.min(area.bottom() - y))
}

/// A panel's inside with a two-column margin on both sides.
pub fn padded(inner: Rect) -> Rect {
    inset(inner, 2)
}

/// The state of a form's request: `busy` (e.g. "… Saving, please wait") while one is out, otherwise
/// the last error, marked "ERROR:" so it reads without colour. Draws nothing when there is neither.
pub fn request_status(
    frame: &mut Frame,
    area: Rect,
    busy: Option<&str>,
    error: Option<&str>,
    theme: &Theme,
) {
    let line = match (busy, error) {
        (Some(text), _) => Line::from(Span::styled(text.to_string(), theme.muted)),
        (None, Some(e)) => Line::from(Span::styled(format!("ERROR: {e}"), theme.error)),
        (None, None) => return,
    };
    frame.render_widget(Paragraph::new(line).wrap(Wrap { trim: true }), area);
}

/// What a screen shows until its data is there: `loading`, or the load error and what to do about it.
pub fn draw_loading(
    frame: &mut Frame,
    area: Rect,
    load_error: Option<&str>,
    loading: &str,
    theme: &Theme,
) {
    let lines = match load_error {
        Some(e) => vec![
            Line::from(Span::styled(format!("ERROR: {e}"), theme.error)),
            Line::from(Span::styled(
                "Refresh (F5) to try again, Esc to go back.",
                theme.muted,
            )),
        ],
        None => vec![Line::from(Span::styled(loading.to_string(), theme.muted))],
    };
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: true }),
        rows(area, 1, 3),
    );
}

/// A problem under a screen's header: "ERROR: …" wrapped to `width`, at most three lines.
pub fn error_lines(text: &str, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    wrap(&format!("ERROR: {text}"), width)
        .into_iter()
        .take(3)
        .map(|l| Line::from(Span::styled(l, theme.error)))
        .collect()
}

/// `text` cut to `max` characters, with `…` when something was cut.
pub fn fit_text(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// `area` narrowed by `columns` on the left and on the right.
pub fn inset(area: Rect, columns: u16) -> Rect {
    Rect::new(
        area.x.saturating_add(columns).min(area.right()),
        area.y,
        area.width.saturating_sub(2 * columns),
        area.height,
    )
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wrap_breaks_at_spaces_splits_long_words_and_keeps_lines() {
        assert_eq!(
            wrap("wear eye protection now", 10),
            vec!["wear eye", "protection", "now"]
        );
        assert_eq!(wrap("abcdefghijkl", 5), vec!["abcde", "fghij", "kl"]);
        assert_eq!(wrap("ab cdefghij", 4), vec!["ab", "cdef", "ghij"]);
        assert_eq!(wrap("one\n\ntwo", 10), vec!["one", "", "two"]);
        assert_eq!(wrap("", 4), vec![""]);
        assert_eq!(wrap("   ", 4), vec![""]);
    }
}
