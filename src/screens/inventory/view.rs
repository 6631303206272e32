//! Drawing the inventory: the tree, the search results, the detail pane and the where-used panel.

use super::detail::{item_detail, node_detail};
use super::{Builds, Entry, InventoryScreen, Target};
use crate::domain::inventory::{Browse, Item, NodeKind};
use crate::theme::Theme;
use crate::widgets::{dialog, dim, fit_text, padded, panel, tree};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

impl InventoryScreen {
    pub(super) fn draw(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        if area.height < 4 || area.width < 20 {
            return;
        }
        let [top, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
        self.view_top_line(frame, top, theme);
        let (left, right) = if body.width >= 60 {
            let w = body.width * 9 / 20;
            (
                Rect::new(body.x, body.y, w, body.height),
                Some(Rect::new(body.x + w, body.y, body.width - w, body.height)),
            )
        } else {
            (body, None)
        };
        let Some(browse) = &self.browse else {
            self.view_not_loaded(frame, left, theme);
            if let Some(r) = right {
                frame.render_widget(panel("Details", theme), r);
            }
            return;
        };
        if self.search.is_some() {
            self.view_results(frame, left, theme);
        } else {
            let label_w = usize::from(left.width.saturating_sub(4));
            let title = "Catalog";
            let block = panel(title, theme);
            let inner = margin(block.inner(left));
            frame.render_widget(block, left);
            tree::render(frame, inner, &mut self.tree, theme, |node, depth| {
                let room = label_w.saturating_sub(4 + 2 * depth);
                node_label(browse, node, room, theme)
            });
        }
        if let Some(r) = right {
            self.view_detail(frame, r, theme);
        }
        if self.where_used.is_some() {
            self.view_where_used(frame, area, theme);
        }
    }

    pub(super) fn view_top_line(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        if let Some(s) = &mut self.search
            && s.editing
        {
            let area = Rect::new(area.x + 1, area.y, area.width.saturating_sub(1), 1);
            let input_w = area.width.saturating_sub(14).min(40);
            s.field.render(frame, area, theme, true, 6, input_w);
            let used = 6 + input_w + 6;
            if area.width > used + 2 {
                let hint = Rect::new(area.x + used + 1, area.y, area.width - used - 1, 1);
                frame.render_widget(
                    Paragraph::new(Span::styled(
                        "id, name or manufacturer part number",
                        theme.muted,
                    )),
                    hint,
                );
            }
            return;
        }
        let text = if let Some(s) = &self.search {
            format!(
                " Search \"{}\": Enter shows the match in the tree, / edits the search",
                fit_text(s.field.value().trim(), 30)
            )
        } else if let Some(b) = &self.browse {
            let inv = b.inventory();
            let tops = inv
                .categories
                .iter()
                .filter(|c| c.parent_id.is_none())
                .count();
            format!(
                " {} categories, {} subcategories · {} assemblies · {} parts",
                tops,
                inv.categories.len() - tops,
                inv.assemblies.len(),
                inv.parts.len()
            )
        } else {
            String::new()
        };
        frame.render_widget(Paragraph::new(Span::styled(text, theme.muted)), area);
    }

    pub(super) fn view_not_loaded(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let title = if self.loading.is_some() {
            "Catalog (loading…)"
        } else {
            "Catalog"
        };
        let block = panel(title, theme);
        let inner = padded(block.inner(area));
        frame.render_widget(block, area);
        let lines = match (&self.error, self.loading.is_some()) {
            (_, true) => vec![Line::from(Span::styled(
                "Loading the catalog…",
                theme.muted,
            ))],
            (Some(e), false) => vec![
                Line::from(Span::styled(format!("ERROR: {e}"), theme.error)),
                Line::from(Span::styled("Press Enter to try again.", theme.muted)),
            ],
            (None, false) => Vec::new(),
        };
        frame.render_widget(
            Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: true }),
            inner,
        );
    }

    pub(super) fn view_results(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let (Some(s), Some(browse)) = (&mut self.search, &self.browse) else {
            return;
        };
        let query = s.field.value();
        let query = query.trim();
        let title = match s.results.len() {
            _ if query.is_empty() => "Search".to_string(),
            0 => format!("No matches for '{}'", fit_text(query, 20)),
            1 => format!("1 match for '{}'", fit_text(query, 20)),
            n => format!("{n} matches for '{}'", fit_text(query, 20)),
        };
        let block = panel(&title, theme);
        let inner = margin(block.inner(area));
        frame.render_widget(block, area);
        if query.is_empty() {
            frame.render_widget(
                Paragraph::new(Span::styled(
                    "Type to search parts and assemblies.",
                    theme.muted,
                )),
                inner,
            );
            return;
        }
        let height = usize::from(inner.height);
        if height == 0 {
            return;
        }
        let range = s.view.follow(Some(s.selected), s.results.len(), height);
        let width = usize::from(inner.width);
        let lines: Vec<Line> = crate::widgets::list_cursor::shown(&s.results, &range)
            .iter()
            .zip(range.clone())
            .map(|(&item, i)| {
                let selected = i == s.selected;
                let kind = match item {
                    Item::Part(_) => "part ",
                    Item::Assembly(_) => "assy ",
                };
                let id = browse.item_id(item);
                let room = width.saturating_sub(2 + kind.len() + id.chars().count() + 2);
                let line = Line::from(vec![
                    Span::raw(if selected { "▶ " } else { "  " }),
                    Span::styled(kind, theme.muted),
                    Span::styled(id.to_string(), theme.base),
                    Span::raw("  "),
                    Span::styled(fit_text(browse.item_name(item), room), theme.muted),
                ]);
                if selected {
                    line.style(theme.selected)
                } else {
                    line
                }
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), inner);
    }

    pub(super) fn view_detail(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let Some(browse) = &self.browse else {
            return;
        };
        let inner_w = usize::from(area.width.saturating_sub(6));
        let (title, mut lines) = if let Some(s) = &self.search {
            match s.results.get(s.selected) {
                Some(&item) => item_detail(browse, item, inner_w, theme),
                None => ("Details".to_string(), Vec::new()),
            }
        } else {
            match self.tree.selected() {
                Some(node) => node_detail(browse, node, inner_w, theme),
                None => ("Details".to_string(), Vec::new()),
            }
        };
        let block = panel(&title, theme);
        let inner = margin(block.inner(area));
        frame.render_widget(block, area);
        let height = usize::from(inner.height);
        if lines.len() > height && height > 0 {
            let hidden = lines.len() - (height - 1);
            lines.truncate(height - 1);
            lines.push(Line::from(Span::styled(
                format!("… {hidden} more lines"),
                theme.muted,
            )));
        }
        frame.render_widget(Paragraph::new(lines), inner);
    }

    /// The where-used panel's lines; the rows with a target can be chosen.
    pub(super) fn where_used_entries<'a>(&'a self, theme: &Theme) -> Vec<Entry<'a>> {
        let (Some(w), Some(browse)) = (&self.where_used, &self.browse) else {
            return Vec::new();
        };
        let id = browse.item_id(w.item);
        let heading = |text: String| Entry {
            line: Line::from(Span::styled(text, theme.heading)),
            target: None,
        };
        let note = |text: String, style: Style| Entry {
            line: Line::from(Span::styled(format!("  {text}"), style)),
            target: None,
        };
        let blank = || Entry {
            line: Line::default(),
            target: None,
        };
        let mut out = vec![heading(format!(
            "Assemblies that list {id} ({})",
            w.catalog.direct.len()
        ))];
        if w.catalog.direct.is_empty() {
            out.push(note("No assembly lists it.".into(), theme.muted));
        }
        for u in &w.catalog.direct {
            let a = Item::Assembly(u.assembly);
            out.push(Entry {
                line: Line::from(vec![
                    Span::raw(format!("{:>5} × ", u.quantity)),
                    Span::styled(browse.item_id(a).to_string(), theme.base),
                    Span::raw("  "),
                    Span::styled(browse.item_name(a).to_string(), theme.muted),
                ]),
                target: Some(Target::Assembly(u.assembly)),
            });
        }
        if !w.catalog.indirect.is_empty() {
            out.push(blank());
            out.push(heading(format!(
                "Assemblies that contain it through those ({})",
                w.catalog.indirect.len()
            )));
            for &a in &w.catalog.indirect {
                let item = Item::Assembly(a);
                out.push(Entry {
                    line: Line::from(vec![
                        Span::raw("        "),
                        Span::styled(browse.item_id(item).to_string(), theme.base),
                        Span::raw("  "),
                        Span::styled(browse.item_name(item).to_string(), theme.muted),
                    ]),
                    target: Some(Target::Assembly(a)),
                });
            }
        }
        out.push(blank());
        match &w.builds {
            Builds::NotShown => {
                out.push(heading("Open builds".into()));
                out.push(note(
                    "Builds are not shown to the service department.".into(),
                    theme.muted,
                ));
            }
            Builds::Loading(_) => {
                out.push(heading("Open builds whose current BOM contains it".into()));
                out.push(note("Loading builds…".into(), theme.muted));
            }
            Builds::Failed(e) => {
                out.push(heading("Open builds whose current BOM contains it".into()));
                out.push(note(format!("ERROR: {e}"), theme.error));
            }
            Builds::Loaded(builds) => {
                out.push(heading(format!(
                    "Open builds whose current BOM contains it ({})",
                    builds.len()
                )));
                if builds.is_empty() {
                    out.push(note(
                        "No open build's current BOM contains it.".into(),
                        theme.muted,
                    ));
                } else {
                    out.push(Entry {
                        line: Line::from(Span::styled(
                            format!(
                                "  {:<12} {:<12} {:<22} {:<10} {:>4} {:>8}",
                                "PO", "Build", "Status", "Want", "BOM", "Quantity"
                            ),
                            theme.muted,
                        )),
                        target: None,
                    });
                }
                for b in builds {
                    out.push(Entry {
                        line: Line::from(format!(
                            "  {:<12} {:<12} {:<22} {:<10} {:>4} {:>8}",
                            fit_text(&b.po_number, 12),
                            fit_text(&b.build_number, 12),
                            b.status.title(),
                            b.want_date.format("%Y-%m-%d"),
                            format!("v{}", b.bom_version),
                            b.quantity.normalize().to_string(),
                        )),
                        target: Some(Target::Build(b.order_id)),
                    });
                }
            }
        }
        out
    }

    pub(super) fn view_where_used(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let (Some(w), Some(browse)) = (&self.where_used, &self.browse) else {
            return;
        };
        let title = format!(
            "Where used: {} {}",
            browse.item_id(w.item),
            fit_text(browse.item_name(w.item), 40)
        );
        dim(frame, area, theme);
        let width = area.width.saturating_sub(4).min(96);
        let height = area.height.saturating_sub(2);
        let outer = crate::widgets::centered(area, width, height);
        let inner = dialog(frame, outer, &title, theme);
        let entries = self.where_used_entries(theme);
        let Some(w) = &self.where_used else {
            return;
        };
        let targets = entries.iter().filter(|e| e.target.is_some()).count();
        let selected = w.selected.min(targets.saturating_sub(1));
        // The row of the selection among all lines.
        let mut seen = 0;
        let mut selected_row = None;
        for (i, e) in entries.iter().enumerate() {
            if e.target.is_some() {
                if seen == selected {
                    selected_row = Some(i);
                }
                seen += 1;
            }
        }
        let height = usize::from(inner.height);
        let mut offset = w.offset;
        if let Some(r) = selected_row {
            if r < offset {
                offset = r;
            } else if height > 0 && r >= offset + height {
                offset = r + 1 - height;
            }
        }
        let width = usize::from(inner.width);
        let lines: Vec<Line> = entries
            .into_iter()
            .enumerate()
            .skip(offset)
            .take(height)
            .map(|(i, e)| {
                if Some(i) == selected_row {
                    let mut spans = vec![Span::raw("▶")];
                    spans.extend(e.line.spans);
                    Line::from(spans).style(theme.selected)
                } else {
                    let mut spans = vec![Span::raw(" ")];
                    spans.extend(e.line.spans);
                    Line::from(spans).style(e.line.style)
                }
            })
            .map(|l| cut_line(l, width))
            .collect();
        frame.render_widget(Paragraph::new(lines), inner);
        if let Some(w) = &mut self.where_used {
            w.offset = offset;
        }
    }
}

/// A panel's inside with a one-column margin on each side.
pub(super) fn margin(inner: Rect) -> Rect {
    crate::widgets::inset(inner, 1)
}

/// A line no wider than `width` (the last span cut with `…`), so long names never wrap.
pub(super) fn cut_line(line: Line<'_>, width: usize) -> Line<'_> {
    let style = line.style;
    let mut left = width;
    let mut spans = Vec::new();
    for span in line.spans {
        if left == 0 {
            break;
        }
        let n = span.content.chars().count();
        if n <= left {
            left -= n;
            spans.push(span);
        } else {
            spans.push(Span::styled(fit_text(&span.content, left), span.style));
            left = 0;
        }
    }
    Line::from(spans).style(style)
}

pub(super) fn node_label<'a>(
    browse: &Browse,
    node: usize,
    room: usize,
    theme: &Theme,
) -> Vec<Span<'a>> {
    let Some(n) = browse.node(node) else {
        return Vec::new();
    };
    let quantity = |link: Option<usize>| -> Option<String> {
        link.and_then(|l| browse.link(l))
            .map(|l| format!("{}× ", l.quantity))
    };
    let mut spans: Vec<Span<'a>> = Vec::new();
    let mut used = 0;
    let mut push = |spans: &mut Vec<Span<'a>>, text: String, style: Style| {
        let text = fit_text(&text, room.saturating_sub(used));
        used += text.chars().count();
        spans.push(Span::styled(text, style));
    };
    match &n.kind {
        NodeKind::Category(c) => {
            if let Some(c) = browse.category(*c) {
                push(&mut spans, format!("{} ", c.id), theme.muted);
                push(&mut spans, c.name.clone(), theme.heading);
            }
        }
        NodeKind::Group(g) => {
            push(
                &mut spans,
                format!("{} ({})", g.title(), browse.group_count(*g)),
                theme.heading,
            );
        }
        NodeKind::Item { item, link } => {
            if let Some(q) = quantity(*link) {
                push(&mut spans, q, theme.muted);
            }
            push(&mut spans, browse.item_id(*item).to_string(), theme.base);
            if inactive(browse, *item) {
                push(&mut spans, " INACTIVE".into(), theme.warn);
            }
            push(
                &mut spans,
                format!("  {}", browse.item_name(*item)),
                theme.muted,
            );
        }
        NodeKind::Cycle { item, link } => {
            if let Some(q) = quantity(Some(*link)) {
                push(&mut spans, q, theme.muted);
            }
            push(&mut spans, browse.item_id(*item).to_string(), theme.base);
            push(&mut spans, " ↻ lists itself".into(), theme.warn);
        }
        NodeKind::Missing { id, link } => {
            if let Some(q) = quantity(Some(*link)) {
                push(&mut spans, q, theme.muted);
            }
            push(&mut spans, id.clone(), theme.base);
            push(&mut spans, " NOT IN CATALOG".into(), theme.error);
        }
    }
    spans
}

pub(super) fn inactive(browse: &Browse, item: Item) -> bool {
    use crate::domain::catalog::EntityStatus;
    match item {
        Item::Part(p) => browse
            .part(p)
            .is_some_and(|p| p.status == EntityStatus::Inactive),
        Item::Assembly(a) => browse
            .assembly(a)
            .is_some_and(|a| a.status == EntityStatus::Inactive),
    }
}
