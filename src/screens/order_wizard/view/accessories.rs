//! Step 4: the accessories list.

use super::fields::{bottom, scroll_marks};
use super::{group_code, group_title, indent, para, step_panel, width};
use crate::screens::order_wizard::OrderWizardScreen;
use crate::theme::Theme;
use crate::widgets::{fit_text, row};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

/// Step 4: the 54 accessories, grouped and searchable, with this build's quantities.
pub(super) fn accessories_panel(
    s: &mut OrderWizardScreen,
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
) {
    let inner = step_panel(s, frame, area, theme);
    if inner.height < 8 {
        return;
    }
    let w = usize::from(inner.width);
    let b = s.selected();
    let matching = s.matching();
    let build = s.state.builds.get(b).cloned().unwrap_or_default();
    let in_list = s.acc.in_list;
    let warnings = build.warnings(s.state.family);
    let hints = in_list.then(|| {
        let mut h = s.keys.accessories.clone();
        if s.edit.is_some() {
            h.retain(|l| l.action != crate::keymap::Action::CopyFrom);
        }
        h
    });
    let idle = (!in_list).then(|| {
        (
            "Type to search id or name · in the list, digits set the quantity, 0 removes".into(),
            theme.muted,
        )
    });
    let content = bottom(s, frame, inner, theme, &warnings, hints.as_deref(), idle);

    let search_row = row(content, 0);
    s.acc
        .search
        .render(frame, search_row, theme, !in_list, 6, 24);
    let chosen = build.accessories.len();
    let count = if s.acc.search.value().trim().is_empty() {
        format!("{} accessories · {chosen} chosen", s.catalog.len())
    } else {
        format!(
            "{} of {} · {chosen} chosen",
            matching.len(),
            s.catalog.len()
        )
    };
    para(
        frame,
        indent(search_row, 2 + 6 + 1 + 26 + 2),
        Line::styled(count, theme.muted),
    );

    let id_w = 30.min(w.saturating_sub(12));
    let name_w = w.saturating_sub(2 + 3 + 2 + id_w + 1);
    para(
        frame,
        row(content, 2),
        Line::styled(
            format!("  {:>3}  {:<id_w$} {}", "Qty", "Id", "Name"),
            theme.heading,
        ),
    );

    // Group headings between the items; the cursor counts items only.
    enum AccRow {
        Group(u32),
        Item(usize, usize),
    }
    let mut rows = Vec::new();
    let mut last_group = None;
    for (k, ci) in matching.iter().enumerate() {
        let g = group_code(&s.catalog[*ci].subcategory);
        if last_group != Some(g) {
            rows.push(AccRow::Group(g));
            last_group = Some(g);
        }
        rows.push(AccRow::Item(k, *ci));
    }
    // Search, blank, column heads; the list; the full name of the row under the cursor.
    let list = Rect::new(
        content.x,
        content.y + 3,
        content.width,
        content.height.saturating_sub(4),
    );
    let h = usize::from(list.height);
    let cursor = s.acc.cursor.min(matching.len().saturating_sub(1));
    if let Some(cr) = rows
        .iter()
        .position(|r| matches!(r, AccRow::Item(k, _) if *k == cursor))
    {
        let start = if cr > 0 && matches!(rows[cr - 1], AccRow::Group(_)) {
            cr - 1
        } else {
            cr
        };
        if start < s.acc.scroll {
            s.acc.scroll = start;
        }
        if cr + 1 > s.acc.scroll + h {
            s.acc.scroll = cr + 1 - h;
        }
    }
    s.acc.scroll = s.acc.scroll.min(rows.len().saturating_sub(h));
    if matching.is_empty() {
        let text = if s.catalog.is_empty() {
            "No accessories are available.".to_string()
        } else {
            format!("No accessory matches \"{}\".", s.acc.search.value().trim())
        };
        para(frame, row(list, 0), Line::styled(text, theme.muted));
    }
    for (k, r) in rows.iter().skip(s.acc.scroll).take(h).enumerate() {
        let area = row(list, u16::try_from(k).unwrap_or(u16::MAX));
        match r {
            AccRow::Group(g) => para(frame, area, Line::styled(group_title(*g), theme.heading)),
            AccRow::Item(pos, ci) => {
                let item = &s.catalog[*ci];
                let qty = build.accessory_qty(&item.id);
                let at = *pos == cursor;
                let marker = if at { "▶ " } else { "  " };
                let qty_text = if qty > 0 {
                    format!("{qty:>3}")
                } else {
                    "  ·".to_string()
                };
                let id = format!("  {:<id_w$} ", fit_text(&item.id, id_w));
                let name = fit_text(&item.name, name_w);
                let line = if at && in_list {
                    Line::styled(
                        format!("{:<w$}", format!("{marker}{qty_text}{id}{name}")),
                        theme.selected,
                    )
                } else {
                    let style = if qty > 0 { theme.base } else { theme.muted };
                    Line::from(vec![
                        Span::styled(marker, theme.focus),
                        Span::styled(qty_text, if qty > 0 { theme.ok } else { theme.muted }),
                        Span::styled(id, style),
                        Span::styled(name, style),
                    ])
                };
                para(frame, area, line);
            }
        }
    }
    scroll_marks(
        frame,
        area,
        list,
        s.acc.scroll > 0,
        rows.len() > s.acc.scroll + h,
        theme,
    );
    // The table cuts long names: the one under the cursor is shown in full.
    if let Some(ci) = matching.get(cursor) {
        let item = &s.catalog[*ci];
        para(
            frame,
            row(content, content.height - 1),
            Line::from(vec![
                Span::styled(format!("{} ", item.id), theme.muted),
                Span::styled(
                    fit_text(&item.name, w.saturating_sub(width(&item.id) + 1)),
                    theme.base,
                ),
            ]),
        );
    }
}
