//! The help overlay: every binding of the current key stack, grouped by context.

use crate::keymap::{HelpLine, KeyContext};
use crate::theme::Theme;
use crate::widgets::{centered, dialog, dim};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

const KEY_COL: usize = 14;

fn group_lines<'a>(ctx: KeyContext, lines: &'a [HelpLine], theme: &Theme) -> Vec<Line<'a>> {
    let mut out = vec![Line::from(Span::styled(ctx.title(), theme.heading))];
    for l in lines {
        out.push(Line::from(vec![
            Span::styled(format!("  {:<KEY_COL$}", l.keys()), theme.key_hint),
            Span::styled(format!(" {}", l.action.describe()), theme.key_desc),
        ]));
    }
    out.push(Line::default());
    out
}

/// Splits the groups into two columns of about equal height, keeping each group whole.
fn columns<'a>(
    groups: &'a [(KeyContext, Vec<HelpLine>)],
    theme: &Theme,
) -> (Vec<Line<'a>>, Vec<Line<'a>>) {
    let total: usize = groups.iter().map(|(_, l)| l.len() + 2).sum();
    let mut left = Vec::new();
    let mut right = Vec::new();
    for (ctx, lines) in groups {
        let block = group_lines(*ctx, lines, theme);
        if left.is_empty() || left.len() + block.len() / 2 <= total / 2 {
            left.extend(block);
        } else {
            right.extend(block);
        }
    }
    (left, right)
}

/// Draws the help centred in `area`, scrolled by `scroll` rows (clamped; the clamped value is returned).
pub fn render(
    frame: &mut Frame,
    area: Rect,
    groups: &[(KeyContext, Vec<HelpLine>)],
    scroll: u16,
    theme: &Theme,
) -> u16 {
    let (left, right) = columns(groups, theme);
    let rows = u16::try_from(left.len().max(right.len())).unwrap_or(u16::MAX);
    dim(frame, area, theme);
    let box_area = centered(area, area.width, rows.saturating_add(4));
    let inner = dialog(frame, box_area, "Help: keys that work here", theme);
    if inner.height < 2 {
        return 0;
    }
    let view = Rect::new(inner.x, inner.y + 1, inner.width, inner.height - 1);
    let max_scroll = rows.saturating_sub(view.height);
    let scroll = scroll.min(max_scroll);
    let half = view.width / 2;
    let left_area = Rect::new(view.x, view.y, half, view.height);
    let right_area = Rect::new(view.x + half, view.y, view.width - half, view.height);
    frame.render_widget(Paragraph::new(left).scroll((scroll, 0)), left_area);
    frame.render_widget(Paragraph::new(right).scroll((scroll, 0)), right_area);
    if max_scroll > 0 {
        let more = format!(" ↑/↓ scroll {scroll}/{max_scroll} ");
        let w = u16::try_from(more.chars().count())
            .unwrap_or(u16::MAX)
            .min(box_area.width);
        let x = box_area.right().saturating_sub(w + 1);
        frame.render_widget(
            Paragraph::new(Span::styled(more, theme.muted)),
            Rect::new(x, box_area.bottom().saturating_sub(1), w, 1),
        );
    }
    scroll
}
