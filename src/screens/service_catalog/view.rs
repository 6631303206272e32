//! Drawing the catalogue: the tree of groups and parts, the detail pane and the quantity dialog.

use super::{CatalogRow, Mode, ServiceCatalogScreen, group_key};
use crate::domain::bom::ItemType;
use crate::domain::service_catalog::ServiceCatalog;
use crate::theme::Theme;
use crate::widgets::list_cursor::shown;
use crate::widgets::{centered, dialog, dim, fit_text, panel, row, rows};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::layout::{Constraint, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::{HighlightSpacing, List, ListItem, Paragraph, Wrap};
use std::collections::HashSet;

impl ServiceCatalogScreen {
    pub(super) fn draw(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        if area.height < 3 {
            return;
        }
        let search_h = u16::from(self.search.is_some());
        let [search_area, body, info_area] = Layout::vertical([
            Constraint::Length(search_h),
            Constraint::Fill(1),
            Constraint::Length(1),
        ])
        .areas(area);
        let list_w = (area.width * 11 / 20).max(20).min(area.width);
        let [list_area, detail_area] =
            Layout::horizontal([Constraint::Length(list_w), Constraint::Fill(1)]).areas(body);
        if let Some(s) = &mut self.search {
            s.field.render(
                frame,
                search_area,
                theme,
                s.editing,
                8,
                area.width.saturating_sub(12),
            );
        }
        let title = format!(
            "Service parts{} · cart: {} {}",
            if self.loading.in_flight() {
                " (loading…)"
            } else {
                ""
            },
            self.cart_lines,
            if self.cart_lines == 1 {
                "line"
            } else {
                "lines"
            }
        );
        let block = panel(&title, theme);
        let inner_w = usize::from(block.inner(list_area).width.saturating_sub(2));
        let height = usize::from(block.inner(list_area).height);
        let range = self.list.window(self.rows.len(), height);
        let items: Vec<ListItem> = match &self.catalog {
            None => Vec::new(),
            Some(c) => shown(&self.rows, &range)
                .iter()
                .map(|r| ListItem::new(row_line(c, r, &self.expanded, inner_w, theme)))
                .collect(),
        };
        let list = List::new(items)
            .block(block)
            .highlight_style(theme.selected)
            .highlight_symbol("▶ ")
            .highlight_spacing(HighlightSpacing::Always);
        frame.render_stateful_widget(list, list_area, &mut self.list.list_state(&range));
        if self.rows.is_empty() && !self.loading.in_flight() && self.error.is_none() {
            let inner = panel("", theme).inner(list_area);
            let text = if self.search.is_some() {
                "No service part matches."
            } else {
                "No service parts in the catalog."
            };
            frame.render_widget(
                Paragraph::new(Span::styled(text, theme.muted)),
                row(crate::widgets::inset(inner, 1), 0),
            );
        }
        self.view_detail(frame, detail_area, theme);
        let info = if let Some(e) = &self.error {
            Line::from(Span::styled(format!(" ERROR: {e}"), theme.error))
        } else if let Some(c) = &self.catalog {
            let text = if self.search.is_some() {
                format!(" {} match(es) of {} service items", self.entries, c.len())
            } else {
                format!(
                    " {} service items in {} subcategories · a adds the selected item to the cart",
                    c.len(),
                    c.groups().len()
                )
            };
            Line::from(Span::styled(text, theme.muted))
        } else {
            Line::default()
        };
        frame.render_widget(Paragraph::new(info), info_area);
        self.view_dialog(frame, area, theme);
    }

    pub(super) fn view_detail(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let block = panel("Details", theme);
        let inner = crate::widgets::inset(block.inner(area), 1);
        frame.render_widget(block, area);
        let Some(catalog) = &self.catalog else {
            return;
        };
        let mut lines: Vec<Line> = Vec::new();
        let w = usize::from(inner.width);
        match self.list.selected().and_then(|i| self.rows.get(i)) {
            Some(CatalogRow::Group(g)) => {
                if let Some(g) = catalog.groups().get(*g) {
                    lines.push(Line::from(Span::styled(
                        format!("{} {}", g.code, g.name),
                        theme.heading,
                    )));
                    lines.push(Line::from(format!(
                        "{} assemblies, {} items with their parts",
                        g.roots.len(),
                        catalog.in_group(&g.code).len()
                    )));
                    lines.push(Line::from(Span::styled(
                        "Enter opens or closes the subcategory",
                        theme.muted,
                    )));
                }
            }
            Some(CatalogRow::Entry { entry, .. }) => {
                if let Some(e) = catalog.entry(*entry) {
                    let field = |label: &str, value: String| {
                        Line::from(vec![
                            Span::styled(format!("{label:<12}"), theme.muted),
                            Span::raw(fit_text(&value, w.saturating_sub(12))),
                        ])
                    };
                    lines.push(field("Id", e.id.clone()));
                    lines.push(field("Name", e.name.clone()));
                    lines.push(field(
                        "Type",
                        match e.item_type {
                            ItemType::Assembly => "Assembly".into(),
                            ItemType::Part => "Part".into(),
                        },
                    ));
                    lines.push(field(
                        "Mfr part no",
                        e.manufacturer_part_number
                            .clone()
                            .unwrap_or_else(|| "—".into()),
                    ));
                    lines.push(field(
                        "Status",
                        if e.active { "ACTIVE" } else { "INACTIVE" }.into(),
                    ));
                    if e.item_type == ItemType::Assembly {
                        lines.push(Line::default());
                        lines.push(Line::from(Span::styled(
                            format!("Components ({})", e.components.len()),
                            theme.heading,
                        )));
                        for c in &e.components {
                            let name = c.name.as_deref().unwrap_or("(not in the catalog)");
                            lines.push(Line::from(fit_text(
                                &format!("{:>3} × {}  {}", c.quantity, c.id, name),
                                w,
                            )));
                        }
                    }
                }
            }
            None => {}
        }
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    }

    pub(super) fn view_dialog(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let Mode::Quantity { id, form } = &mut self.mode else {
            return;
        };
        let name = self
            .catalog
            .as_ref()
            .and_then(|c| c.get(id))
            .map(|e| e.name.clone())
            .unwrap_or_default();
        dim(frame, area, theme);
        let inner = dialog(frame, centered(area, 64, 9), "Add to cart", theme);
        let width = usize::from(inner.width);
        frame.render_widget(
            Paragraph::new(fit_text(&format!("{id}  {name}"), width)),
            row(inner, 1),
        );
        frame.render_widget(
            Paragraph::new(Span::styled(
                fit_text(
                    "How many? Adding an id already in the cart adds to its line.",
                    width,
                ),
                theme.muted,
            )),
            row(inner, 2),
        );
        form.render(frame, rows(inner, 4, form.height()), theme);
    }
}

pub(super) fn row_line<'a>(
    catalog: &ServiceCatalog,
    row: &CatalogRow,
    expanded: &HashSet<String>,
    width: usize,
    theme: &Theme,
) -> Line<'a> {
    match row {
        CatalogRow::Group(g) => {
            let Some(g) = catalog.groups().get(*g) else {
                return Line::default();
            };
            let open = expanded.contains(&group_key(&g.code));
            let marker = if open { "▼" } else { "▶" };
            let code = if g.code.is_empty() { "719" } else { &g.code };
            Line::from(Span::styled(
                fit_text(
                    &format!("{marker} {code} {} ({})", g.name, g.roots.len()),
                    width,
                ),
                theme.heading,
            ))
        }
        CatalogRow::Entry {
            entry,
            depth,
            key,
            expandable,
        } => {
            let Some(e) = catalog.entry(*entry) else {
                return Line::default();
            };
            let marker = match (expandable, expanded.contains(key)) {
                (true, true) => "▼ ",
                (true, false) => "▶ ",
                _ => "  ",
            };
            let indent = "  ".repeat(depth.saturating_sub(1));
            let tag = if e.active { "" } else { " INACTIVE" };
            let text = format!("{indent}{marker}{}  {}{tag}", e.id, e.name);
            let style = if e.active { theme.base } else { theme.disabled };
            Line::from(Span::styled(fit_text(&text, width), style))
        }
    }
}
