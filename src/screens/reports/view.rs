//! Drawing the reports screen (docs/reports.md §5.1): the period line, the list of reports, the report
//! (chart or table, its notes under it) and the status line; the dialogs over them.

use super::{Dialog, ReportsScreen, Shown, View, chart};
use crate::domain::report::{Align, PeriodKind, ReportKind};
use crate::theme::Theme;
use crate::widgets::list_cursor::{ListCursor, shown as in_range};
use crate::widgets::{
    centered, dialog, dim, draw_loading, fit_text, inset, panel, request_status, row, rows,
    selectable_table, wrap,
};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row};

/// The list's name of a report where the list is narrow.
fn short_title(kind: ReportKind) -> &'static str {
    match kind {
        ReportKind::Throughput => "Throughput",
        ReportKind::WorkInProgress => "In progress",
        ReportKind::CycleTime => "Cycle time",
        ReportKind::OnTimeDelivery => "On-time",
        ReportKind::FirstPassYield => "First pass",
        ReportKind::Rejections => "Rejections",
        ReportKind::Assemblers => "Assemblers",
    }
}

/// What an empty report says (docs/reports.md §5.4).
pub fn empty_text(kind: ReportKind, label: &str) -> String {
    let what = match kind {
        ReportKind::Throughput | ReportKind::OnTimeDelivery => "No builds shipped",
        ReportKind::WorkInProgress => "No builds in progress",
        ReportKind::CycleTime => "No builds went through a stage",
        ReportKind::FirstPassYield => "No QC or test results",
        ReportKind::Rejections => "No failed checklist items or rejection reasons",
        ReportKind::Assemblers => "No completed tasks",
    };
    format!("{what} in {label}")
}

/// The columns' widths for `width` columns of text: each as wide as its widest text, the widest
/// left-aligned (text) columns narrowed first when they do not all fit.
fn fit_widths(natural: &[usize], aligns: &[Align], width: usize) -> Vec<usize> {
    let mut widths = natural.to_vec();
    let spacing = widths.len().saturating_sub(1);
    let mut excess = (widths.iter().sum::<usize>() + spacing).saturating_sub(width);
    while excess > 0 {
        let widest = (0..widths.len())
            .filter(|i| widths[*i] > 6)
            .max_by_key(|i| (aligns.get(*i) == Some(&Align::Left), widths[*i]));
        let Some(i) = widest else { break };
        let cut = excess.min(widths[i] - 6);
        widths[i] -= cut;
        excess -= cut;
    }
    widths
}

impl ReportsScreen {
    pub(super) fn draw(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        if area.width < 50 || area.height < 12 {
            frame.render_widget(Paragraph::new("Enlarge the terminal"), area);
            return;
        }
        let [selector, body, status] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Fill(1),
            Constraint::Length(1),
        ])
        .areas(area);
        self.draw_selector(frame, selector, theme);
        let list_width = if area.width >= 110 { 26 } else { 16 };
        let [list, main] =
            Layout::horizontal([Constraint::Length(list_width), Constraint::Fill(1)]).areas(body);
        self.draw_kinds(frame, list, theme);
        self.draw_report(frame, main, theme);
        self.draw_status(frame, status, theme);
        self.draw_dialog(frame, area, theme);
    }

    fn draw_selector(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let mut spans = vec![Span::styled(" Period ", theme.muted)];
        let current = self.period.map(|p| p.kind);
        for (kind, name) in [
            (PeriodKind::Week, "Week"),
            (PeriodKind::Month, "Month"),
            (PeriodKind::Quarter, "Quarter"),
            (PeriodKind::Custom, "Custom"),
        ] {
            if current == Some(kind) {
                spans.push(Span::styled(format!("[{name}]"), theme.selected));
            } else {
                spans.push(Span::styled(format!(" {name} "), theme.muted));
            }
        }
        // The arrows say that ← and → step to the period before and after.
        if let Some(p) = self.period {
            spans.push(Span::styled("  ◀ ", theme.muted));
            spans.push(Span::styled(p.label(), theme.heading));
            spans.push(Span::styled(" ▶", theme.muted));
        }
        frame.render_widget(Paragraph::new(Line::from(spans)), area);
    }

    fn draw_kinds(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let block = panel("Reports", theme);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let width = usize::from(inner.width);
        let lines: Vec<Line> = ReportKind::ALL
            .iter()
            .map(|k| {
                let name = if width >= 24 {
                    k.title()
                } else {
                    short_title(*k)
                };
                if *k == self.kind {
                    Line::from(Span::styled(
                        format!("{:<width$}", fit_text(&format!("▶ {name}"), width)),
                        theme.selected,
                    ))
                } else {
                    Line::from(fit_text(&format!("  {name}"), width))
                }
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), inner);
    }

    fn draw_report(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let refreshing = self.loading.in_flight() && self.shown().is_some();
        let mut title = self.kind.title().to_string();
        if refreshing {
            title.push_str(" (refreshing…)");
        }
        let block = panel(&title, theme);
        let inner = inset(block.inner(area), 1);
        let Some(period) = self.period else {
            frame.render_widget(block, area);
            draw_loading(frame, inner, self.error.as_deref(), "Loading…", theme);
            return;
        };
        let matching = self
            .shown
            .as_ref()
            .filter(|s| s.asked == (self.kind, period));
        let Some(shown) = matching else {
            frame.render_widget(block, area);
            let loading = format!("Reading {} for {}…", self.kind.title(), period.label());
            let error = (!self.loading.in_flight())
                .then_some(self.error.as_deref())
                .flatten();
            draw_loading(frame, inner, error, &loading, theme);
            return;
        };
        let width = usize::from(inner.width);
        // The notes whole, wrapped, at most four lines under the figures.
        let notes: Vec<Line> = shown
            .data
            .notes
            .iter()
            .flat_map(|n| wrap(n, width))
            .take(4)
            .map(|l| Line::from(Span::styled(l, theme.muted)))
            .collect();
        let notes_h = u16::try_from(notes.len()).unwrap_or(0);
        let content = rows(inner, 0, inner.height.saturating_sub(notes_h));
        frame.render_widget(Paragraph::new(notes), rows(inner, content.height, notes_h));
        if shown.cells.is_empty() {
            frame.render_widget(block, area);
            let text = empty_text(self.kind, &period.label());
            frame.render_widget(
                Paragraph::new(Span::raw(fit_text(&text, width))),
                row(content, 1),
            );
            return;
        }
        match self.view {
            View::Chart => {
                frame.render_widget(block, area);
                chart::draw(frame, content, &shown.data.chart, theme);
            }
            View::Table => {
                let block = draw_table(
                    frame,
                    content,
                    shown,
                    &mut self.table,
                    &mut self.page,
                    theme,
                )
                .map_or(block.clone(), |more| {
                    block.title_bottom(Line::from(Span::styled(more, theme.muted)).right_aligned())
                });
                frame.render_widget(block, area);
            }
        }
    }

    fn draw_status(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let width = usize::from(area.width.saturating_sub(1));
        let line = if let Some(n) = &self.notice {
            Line::from(Span::styled(fit_text(&format!(" {n}"), width), theme.ok))
        } else if let (Some(e), Some(_)) = (&self.error, self.shown()) {
            Line::from(Span::styled(
                fit_text(&format!(" ERROR: {e} Refresh (F5) to try again."), width),
                theme.error,
            ))
        } else {
            return;
        };
        frame.render_widget(Paragraph::new(line), area);
    }

    fn draw_dialog(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let busy = self
            .exporting
            .in_flight()
            .then_some("… Writing the CSV file");
        let label = self.period.map(|p| p.label()).unwrap_or_default();
        let title = self.kind.title();
        match &mut self.dialog {
            None => {}
            Some(Dialog::Range(range)) => range.draw(frame, area, theme),
            Some(Dialog::Export { form, error }) => {
                dim(frame, area, theme);
                let inner = dialog(frame, centered(area, 80, 9), "Export CSV", theme);
                frame.render_widget(
                    Paragraph::new(Span::styled(
                        format!("{title}, {label}, as a CSV file into this directory:"),
                        theme.muted,
                    )),
                    rows(inner, 0, 1),
                );
                form.render(frame, rows(inner, 2, 2), theme);
                request_status(frame, rows(inner, 5, 2), busy, error.as_deref(), theme);
            }
        }
    }
}

/// The table view: the columns lined up as the report says, the selected row whole under the table
/// when a column is cut. Returns "rows a-b of n" when not every row fits.
fn draw_table(
    frame: &mut Frame,
    area: Rect,
    shown: &Shown,
    cursor: &mut ListCursor,
    page: &mut usize,
    theme: &Theme,
) -> Option<String> {
    let aligns: Vec<Align> = shown.data.columns.iter().map(|c| c.align).collect();
    let widths = fit_widths(
        &shown.widths,
        &aligns,
        usize::from(area.width.saturating_sub(2)),
    );
    let cut = widths != shown.widths;
    let detail_h: u16 = if cut { 2 } else { 0 };
    let table_area = rows(area, 0, area.height.saturating_sub(detail_h));
    let body_h = usize::from(table_area.height.saturating_sub(1)).max(1);
    *page = body_h;
    let cell = |text: &str, i: usize| {
        let w = widths.get(i).copied().unwrap_or(0);
        let line = Line::from(fit_text(text, w));
        if aligns.get(i) == Some(&Align::Right) {
            Cell::from(line.right_aligned())
        } else {
            Cell::from(line)
        }
    };
    let header = Row::new(
        shown
            .data
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| cell(&c.name, i).style(theme.heading)),
    );
    let n = shown.cells.len();
    let range = cursor.window(n, body_h);
    let body = in_range(&shown.cells, &range)
        .iter()
        .map(|r| Row::new(r.iter().enumerate().map(|(i, t)| cell(t, i))));
    let constraints = widths
        .iter()
        .map(|w| Constraint::Length(u16::try_from(*w).unwrap_or(u16::MAX)));
    let table = selectable_table(body, constraints, header, Block::new(), theme);
    frame.render_stateful_widget(table, table_area, &mut cursor.table_state(&range));
    if cut && let Some(r) = cursor.selected().and_then(|i| shown.cells.get(i)) {
        let pairs: Vec<String> = shown
            .data
            .columns
            .iter()
            .zip(r)
            .map(|(c, v)| format!("{}: {v}", c.name))
            .collect();
        let lines: Vec<Line> = wrap(&pairs.join(" · "), usize::from(area.width))
            .into_iter()
            .take(2)
            .map(|l| Line::from(Span::styled(l, theme.muted)))
            .collect();
        frame.render_widget(
            Paragraph::new(lines),
            rows(area, table_area.height, detail_h),
        );
    }
    (n > body_h).then(|| format!(" rows {}-{} of {n} ", range.start + 1, range.end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_columns_give_way_first_and_never_below_six() {
        let aligns = [Align::Left, Align::Right, Align::Right];
        assert_eq!(fit_widths(&[30, 8, 8], &aligns, 60), vec![30, 8, 8]);
        assert_eq!(fit_widths(&[30, 8, 8], &aligns, 40), vec![22, 8, 8]);
        assert_eq!(fit_widths(&[30, 8, 8], &aligns, 10), vec![6, 6, 6]);
    }
}
