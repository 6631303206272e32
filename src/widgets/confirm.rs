//! A yes/no question in a centred dialog.

use crate::keymap::HelpLine;
use crate::theme::Theme;
use crate::widgets::{centered, dialog, dim, key_bar, row};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

/// Ends a question's lines with the request's state: the busy text while it is on its way, else the
/// refusal that came back.
pub fn push_status(lines: &mut Vec<String>, busy: Option<&str>, error: Option<&str>) {
    if let Some(b) = busy {
        lines.push(b.to_string());
    } else if let Some(e) = error {
        lines.push(format!("ERROR: {e}"));
    }
}

/// Draws the question centred in `area`: the body `lines`, then the answer keys from the keymap.
pub fn render(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    lines: &[String],
    keys: &[HelpLine],
    theme: &Theme,
) {
    let width = lines
        .iter()
        .map(|l| u16::try_from(l.chars().count()).unwrap_or(u16::MAX))
        .max()
        .unwrap_or(0)
        .clamp(36, 70)
        .saturating_add(6);
    let text_rows = u16::try_from(lines.len()).unwrap_or(u16::MAX);
    let height = text_rows.saturating_add(5);
    dim(frame, area, theme);
    let inner = dialog(frame, centered(area, width, height), title, theme);
    let body = Rect::new(
        inner.x,
        inner.y.saturating_add(1).min(inner.bottom()),
        inner.width,
        text_rows.min(inner.height.saturating_sub(1)),
    );
    let text: Vec<Line> = lines.iter().map(|l| Line::from(l.as_str())).collect();
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), body);
    if inner.height >= 2 {
        key_bar::render(frame, row(inner, inner.height - 1), keys, theme);
    }
}
