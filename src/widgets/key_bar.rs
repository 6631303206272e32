//! The bottom line: the keys that work right now, generated from the keymap.
//!
//! When the items do not fit, the bar abbreviates and then drops by rank (docs/architecture.md §3.1):
//! the primary action and the way back stay visible, everything dropped stays in the help.

use crate::keymap::{Action, HelpLine, Priority};
use crate::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use std::cmp::Reverse;

const GAP: &str = "  ";

/// One item as the bar draws it: the binding, and the label chosen for it (full or short).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shown<'a> {
    pub item: &'a HelpLine,
    pub label: &'static str,
}

impl Shown<'_> {
    /// The item's text in the bar, e.g. `s Submit and sign`.
    pub fn text(&self) -> String {
        format!("{} {}", self.item.bar_keys(), self.label)
    }

    fn width(&self) -> usize {
        self.item.bar_keys().chars().count() + 1 + self.label.chars().count()
    }
}

/// The width of `shown` drawn in one line, gaps included.
fn line_width(shown: &[Shown]) -> usize {
    shown.iter().map(Shown::width).sum::<usize>() + GAP.len() * shown.len().saturating_sub(1)
}

/// The items shown in `cols` columns, in their order with the help key last. Whole descriptions when
/// everything fits; else the labels of a whole rank are shortened at once, lowest rank first; when even
/// every short label is too wide, the lowest-ranked item (the rightmost of its rank) is dropped and the
/// shortening starts again from whole descriptions. No item is ever cut.
pub fn fit(items: &[HelpLine], cols: usize) -> Vec<Shown<'_>> {
    let (help, rest): (Vec<&HelpLine>, Vec<&HelpLine>) =
        items.iter().partition(|i| i.action == Action::Help);
    let items: Vec<&HelpLine> = rest.into_iter().chain(help).collect();
    // The order in which items give way: lowest rank first, rightmost first within a rank.
    let mut yielding: Vec<usize> = (0..items.len()).collect();
    yielding.sort_by_key(|&i| (items[i].action.priority(), Reverse(i)));
    for dropped in 0..=items.len() {
        let kept = &yielding[dropped..];
        // A short label that another kept item also shows (or may show) would be ambiguous.
        let ambiguous = |i: usize| {
            let (a, short) = (items[i].action, items[i].action.short());
            kept.iter().any(|&j| {
                let b = items[j].action;
                b != a && (b.short() == short || b.describe() == short)
            })
        };
        // Whole descriptions first, then the short labels of every item up to a rank, lowest first.
        let ranks = [
            None,
            Some(Priority::Other),
            Some(Priority::Help),
            Some(Priority::Back),
            Some(Priority::Primary),
        ];
        for up_to in ranks {
            let shown: Vec<Shown> = (0..items.len())
                .filter(|i| kept.contains(i))
                .map(|i| Shown {
                    item: items[i],
                    label: if up_to.is_some_and(|r| items[i].action.priority() <= r)
                        && !ambiguous(i)
                    {
                        items[i].action.short()
                    } else {
                        items[i].action.describe()
                    },
                })
                .collect();
            if line_width(&shown) <= cols {
                return shown;
            }
        }
    }
    Vec::new()
}

pub fn render(frame: &mut Frame, area: Rect, items: &[HelpLine], theme: &Theme) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let mut spans = vec![Span::raw(" ")];
    for (i, shown) in fit(items, usize::from(area.width).saturating_sub(1))
        .into_iter()
        .enumerate()
    {
        if i > 0 {
            spans.push(Span::raw(GAP));
        }
        spans.push(Span::styled(shown.item.bar_keys(), theme.key_hint));
        spans.push(Span::styled(format!(" {}", shown.label), theme.key_desc));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

#[cfg(test)]
mod tests;
