//! Drawing the queue: filters, the table of builds and the info lines.

use super::{
    COMMENTS_MARK, OrderQueueScreen, comments_words, days_cell, due_marker, due_words, is_closed,
    my_work_scope, short_name, short_status, sort_name,
};
use crate::domain::Role;
use crate::domain::order::{DueFilter, OrderRow, QueueView, SortKey};
use crate::theme::Theme;
use crate::widgets::viewport::{table_body_height, window_state};
use crate::widgets::{empty_table_row, list_screen_rows};
use crate::widgets::{fit_text, panel};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Padding, Paragraph, Row};

impl OrderQueueScreen {
    pub(super) fn draw(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        if area.height < 4 || area.width < 10 {
            return;
        }
        let [filter_area, table_area, info_area] = list_screen_rows(area);
        self.view_filters(frame, filter_area, theme);
        self.view_table(frame, table_area, theme);
        self.view_info(frame, info_area, theme);
    }

    pub(super) fn view_filters(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        if let Some(s) = &mut self.search {
            let label_w = u16::try_from(s.field.label().chars().count()).unwrap_or(0);
            let input_w = area.width.saturating_sub(label_w + 6).min(40);
            // Indented like the filter line it replaces.
            let area = Rect::new(
                area.x.saturating_add(1),
                area.y,
                area.width.saturating_sub(1),
                area.height,
            );
            s.field.render(frame, area, theme, true, label_w, input_w);
            let used = label_w + input_w + 6;
            if area.width > used + 2 {
                let hint = Rect::new(area.x + used + 1, area.y, area.width - used - 1, 1);
                frame.render_widget(
                    Paragraph::new(Span::styled("filters as you type", theme.muted)),
                    hint,
                );
            }
            return;
        }
        let value = |text: String, active: bool| {
            Span::styled(text, if active { theme.focus } else { theme.base })
        };
        let label = |text: &'static str| Span::styled(text, theme.muted);
        let q = &self.query;
        let view = match q.view {
            QueueView::MyWork => "My work",
            QueueView::All => "All",
        };
        let status = q.status.map_or("any", short_status);
        let due = match q.due {
            DueFilter::Any => "any",
            DueFilter::Overdue => "OVERDUE",
            DueFilter::DueSoon => "due soon",
        };
        let arrow = if q.descending { "▼" } else { "▲" };
        let mut spans = vec![
            label(" View: "),
            value(view.to_string(), q.view == QueueView::All),
            label("   Status: "),
            value(status.to_string(), q.status.is_some()),
            label("   Due: "),
            value(due.to_string(), q.due != DueFilter::Any),
            label("   Sort: "),
            value(format!("{} {arrow}", sort_name(q.sort)), false),
        ];
        if !q.search.is_empty() {
            spans.push(label("   Search: "));
            spans.push(value(format!("\"{}\"", fit_text(&q.search, 18)), true));
        }
        frame.render_widget(Paragraph::new(Line::from(spans)), area);
    }

    pub(super) fn view_table(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let mut title = match self.query.view {
            QueueView::MyWork => format!("My work: {}", my_work_scope(self.role)),
            QueueView::All => "All builds".to_string(),
        };
        if self.rows.loading_first() {
            title.push_str(" (loading…)");
        }
        // One column of air before the right border.
        let block = panel(&title, theme).padding(Padding::right(1));
        let inner = block.inner(area);
        let sort_col = SortKey::ALL.iter().position(|k| *k == self.query.sort);
        let arrow = if self.query.descending {
            " ▼"
        } else {
            " ▲"
        };
        let headers = [
            "PO",
            "Build",
            "Customer",
            "Model",
            "Status",
            "Want",
            "Assignee",
            "Days left",
        ];
        let header = Row::new(headers.iter().enumerate().map(|(i, h)| {
            let text = if Some(i) == sort_col {
                format!("{h}{arrow}")
            } else {
                (*h).to_string()
            };
            Cell::from(Span::styled(text, theme.heading))
        }));
        // Columns fit their content within bounds (the floors keep an empty table's header steady);
        // the customer takes what is left. The widest values are kept as pages arrive
        // (docs/performance.md §1.6).
        let seen = *self.rows.figures();
        let head_w =
            |i: usize| headers[i].chars().count() + if Some(i) == sort_col { 2 } else { 0 };
        let fit = |seen: usize, i: usize, lo: u16, hi: u16| {
            u16::try_from(seen.max(head_w(i)))
                .unwrap_or(hi)
                .clamp(lo, hi)
        };
        let w_po = fit(seen.po, 0, 7, 12);
        let w_build = fit(seen.build, 1, 7, 16);
        let w_model = fit(seen.model, 3, 5, 8);
        let w_status = fit(seen.status, 4, 8, 10);
        let w_want = fit(0, 5, 6, 8);
        let w_assignee = fit(seen.assignee, 6, 8, 10);
        let w_days = fit(seen.days, 7, 9, 12);
        let fixed = w_po + w_build + w_model + w_status + w_want + w_assignee + w_days + 7 + 2;
        let w_customer = inner.width.saturating_sub(fixed).max(8);
        // Rows are built for the visible range only (docs/performance.md §1.1); a row whose page is on
        // its way shows as loading.
        let range = self.rows.visible(table_body_height(area));
        let mut state = window_state(self.rows.selected_index(), &range);
        let rows = range.map(|i| {
            let Some(r) = self.rows.row(i) else {
                return Row::new(vec![
                    Cell::from(Span::styled("…", theme.muted)),
                    Cell::from(""),
                    Cell::from(Span::styled("loading", theme.muted)),
                ]);
            };
            let marker = due_marker(r);
            let days_style = match marker {
                Some("OVERDUE") => theme.error,
                Some(_) => theme.warn,
                None => theme.base,
            };
            let row_style = if is_closed(r.status) {
                theme.disabled
            } else {
                Style::new()
            };
            let assignee = r.assignee.as_deref().map_or_else(
                || Span::styled("—", theme.muted),
                |a| Span::raw(short_name(a, usize::from(w_assignee))),
            );
            Row::new(vec![
                Cell::from(po_cell(r, usize::from(w_po), theme)),
                Cell::from(fit_text(&r.build_number, usize::from(w_build))),
                Cell::from(fit_text(&r.customer_name, usize::from(w_customer))),
                Cell::from(fit_text(&r.sink_model, usize::from(w_model))),
                // A held build reads HOLD in every queue (docs/holds.md §3.1).
                Cell::from(match r.hold {
                    Some(_) => Span::styled(crate::domain::hold::HOLD_MARK, theme.error),
                    None => Span::raw(short_status(r.status)),
                }),
                Cell::from(r.want_date.format("%d %b").to_string()),
                Cell::from(assignee),
                Cell::from(Span::styled(days_cell(r), days_style)),
            ])
            .style(row_style)
        });
        let widths = [
            w_po, w_build, w_customer, w_model, w_status, w_want, w_assignee, w_days,
        ]
        .map(Constraint::Length);
        let table = crate::widgets::selectable_table(rows, widths, header, block, theme);
        frame.render_stateful_widget(table, area, &mut state);
        if self.rows.is_empty() && self.rows.loaded() && !self.rows.loading_first() {
            let (text, hint) = if self.filtered() {
                (
                    "No builds match.",
                    format!("Press {} to clear the filters.", self.clear_key),
                )
            } else if self.query.view == QueueView::MyWork {
                // Coordinators and admins already see every build in My work.
                let hint = match self.role {
                    Some(Role::ProductionCoordinator | Role::Admin) => String::new(),
                    _ => format!("Press {} to see all builds.", self.view_key),
                };
                ("No builds in your queue.", hint)
            } else {
                ("No builds.", String::new())
            };
            frame.render_widget(
                Paragraph::new(Span::styled(text, theme.base)),
                empty_table_row(inner, 2),
            );
            frame.render_widget(
                Paragraph::new(Span::styled(hint, theme.muted)),
                empty_table_row(inner, 3),
            );
        }
    }

    pub(super) fn view_info(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let first = if let Some(r) = self.selected() {
            let comments = comments_words(r);
            // The comments' count takes its room from the customer's name, which the table shows.
            let customer_room = match &comments {
                Some(words) => {
                    let others = 3
                        + r.build_number.chars().count()
                        + 3
                        + 3
                        + r.status.title().chars().count()
                        + if is_closed(r.status) {
                            0
                        } else {
                            3 + due_words(r).chars().count()
                        }
                        + 3
                        + words.chars().count();
                    usize::from(area.width).saturating_sub(others).clamp(8, 30)
                }
                None => 30,
            };
            let mut spans = vec![
                Span::styled(" ▶ ", theme.focus),
                Span::styled(
                    format!(
                        "{} · {} · {}",
                        r.build_number,
                        fit_text(&r.customer_name, customer_room),
                        r.status.title(),
                    ),
                    theme.base,
                ),
            ];
            // Why a held build is held comes before its due date (docs/holds.md §3.1).
            if let Some(reason) = r.hold {
                spans.push(Span::raw(" · "));
                spans.push(Span::styled(
                    crate::domain::hold::hold_words(reason),
                    theme.error,
                ));
            }
            if !is_closed(r.status) {
                let style = match due_marker(r) {
                    Some("OVERDUE") => theme.error,
                    Some(_) => theme.warn,
                    None => theme.base,
                };
                spans.push(Span::raw(" · "));
                spans.push(Span::styled(due_words(r), style));
            }
            if let Some(words) = comments {
                spans.push(Span::raw(" · "));
                spans.push(Span::styled(words, theme.warn));
            }
            Line::from(spans)
        } else if self.rows.selection_loading()
            || (self.rows.loading_first() && !self.rows.loaded())
        {
            Line::from(Span::styled(" … Loading builds", theme.muted))
        } else {
            Line::default()
        };
        let second = if let Some(e) = &self.error {
            Line::from(Span::styled(format!(" ERROR: {e}"), theme.error))
        } else if self.rows.loading_more() {
            Line::from(Span::styled(
                format!(" {} shown · … Loading more builds", self.rows.len()),
                theme.muted,
            ))
        } else if !self.rows.is_empty() {
            let n = self.rows.len();
            let mut text = if self.rows.has_more() {
                format!(" {n} shown · more: PgDn on the last row loads the next page")
            } else if n == 1 {
                " 1 build".to_string()
            } else {
                format!(" {n} builds")
            };
            // Builds that came to belong here at another station (docs/live.md §3.2).
            if self.outside > 0 {
                text = format!(
                    "{text} · {} new: {} shows them",
                    self.outside, self.refresh_key
                );
            }
            Line::from(Span::styled(text, theme.muted))
        } else {
            Line::default()
        };
        crate::widgets::info_rows(frame, area, first, second);
    }
}

/// The PO, with the mark of unresolved comments beside it (docs/comments.md §6).
fn po_cell(r: &OrderRow, width: usize, theme: &Theme) -> Line<'static> {
    if r.open_comments > 0 {
        let room = width.saturating_sub(COMMENTS_MARK.chars().count());
        Line::from(vec![
            Span::raw(fit_text(&r.po_number, room)),
            Span::styled(COMMENTS_MARK, theme.warn),
        ])
    } else {
        Line::from(fit_text(&r.po_number, width))
    }
}
