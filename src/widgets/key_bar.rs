//! The bottom line: the keys that work right now, generated from the keymap.

use crate::keymap::{Action, HelpLine};
use crate::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

const GAP: &str = "  ";

fn width(item: &HelpLine) -> usize {
    item.bar_keys().chars().count() + 1 + item.action.describe().chars().count()
}

/// The items that fit in `cols` columns, in order; the help item is kept whatever else is dropped,
/// so the full list stays one key away.
pub fn fit(items: &[HelpLine], cols: usize) -> Vec<&HelpLine> {
    let help = items.iter().find(|i| i.action == Action::Help);
    let mut budget = cols.saturating_sub(help.map_or(0, |h| width(h) + GAP.len()));
    let mut out = Vec::new();
    for item in items.iter().filter(|i| i.action != Action::Help) {
        let w = width(item) + GAP.len();
        if w > budget {
            break;
        }
        budget -= w;
        out.push(item);
    }
    out.extend(help);
    out
}

pub fn render(frame: &mut Frame, area: Rect, items: &[HelpLine], theme: &Theme) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let mut spans = vec![Span::raw(" ")];
    for (i, item) in fit(items, usize::from(area.width).saturating_sub(1))
        .into_iter()
        .enumerate()
    {
        if i > 0 {
            spans.push(Span::raw(GAP));
        }
        spans.push(Span::styled(item.bar_keys(), theme.key_hint));
        spans.push(Span::styled(
            format!(" {}", item.action.describe()),
            theme.key_desc,
        ));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
