//! Drawing the reason table, the selection's line and the add/edit form.

use super::{Mode, RejectionReasonsScreen};
use crate::theme::Theme;
use crate::widgets::list_cursor::shown;
use crate::widgets::viewport::table_body_height;
use crate::widgets::{padded, panel, request_status, row, rows};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Padding, Paragraph, Row, Wrap};

impl RejectionReasonsScreen {
    pub(super) fn draw(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        if let Mode::Edit {
            editing,
            form,
            error,
            pending,
        } = &mut self.mode
        {
            let title = match editing {
                None => "New rejection reason".to_string(),
                Some(r) => format!("Edit rejection reason {}", r.code),
            };
            let block = panel(&title, theme);
            let inner = padded(block.inner(area));
            frame.render_widget(block, area);
            let intro = if editing.is_some() {
                "The code never changes; results that name the reason keep it."
            } else {
                "The code is set once and never changes. Enter on the last field saves."
            };
            frame.render_widget(
                Paragraph::new(Span::styled(intro, theme.muted)).wrap(Wrap { trim: true }),
                row(inner, 1),
            );
            let height = form.height();
            form.render(frame, rows(inner, 3, height), theme);
            let busy = pending.map(|_| "… Saving, please wait");
            request_status(
                frame,
                rows(inner, 3 + height + 1, 2),
                busy,
                error.as_deref(),
                theme,
            );
            self.question.render(frame, area, theme);
            return;
        }
        let info_h = 2.min(area.height);
        let [table_area, info_area] =
            Layout::vertical([Constraint::Min(0), Constraint::Length(info_h)]).areas(area);
        self.draw_table(frame, table_area, theme);
        self.draw_info(frame, info_area, theme);
        self.question.render(frame, area, theme);
    }

    fn draw_table(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let block = panel("Rejection reasons", theme).padding(Padding::horizontal(1));
        let header = Row::new(
            ["Code", "Severity", "Rework", "Active", "Text"]
                .into_iter()
                .map(|h| Cell::from(Span::styled(h, theme.heading))),
        );
        let widths = vec![
            Constraint::Length(14),
            Constraint::Length(8),
            Constraint::Length(6),
            Constraint::Length(7),
            Constraint::Min(12),
        ];
        let range = self
            .table
            .window(self.reasons.len(), table_body_height(area));
        let body = shown(&self.reasons, &range).iter().map(|r| {
            let style = if r.is_active {
                theme.base
            } else {
                theme.disabled
            };
            Row::new(vec![
                Cell::from(r.code.clone()),
                Cell::from(r.severity.code()),
                Cell::from(if r.rework_required { "yes" } else { "no" }),
                Cell::from(if r.is_active { "yes" } else { "no" }),
                Cell::from(r.text.clone()),
            ])
            .style(style)
        });
        let table = crate::widgets::selectable_table(body, widths, header, block, theme);
        frame.render_stateful_widget(table, area, &mut self.table.table_state(&range));
    }

    fn draw_info(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let line = if let Some(e) = &self.load_error {
            Line::from(Span::styled(format!(" ERROR: {e}"), theme.error))
        } else if self.loading.in_flight() && self.reasons.is_empty() {
            Line::from(Span::styled(
                " … Loading the rejection reasons",
                theme.muted,
            ))
        } else if let Some(r) = self.selected() {
            let mut spans = vec![
                Span::styled(" ▶ ", theme.focus),
                Span::styled(format!("{}: {}", r.code, r.text), theme.base),
                Span::styled(format!(" · sort order {}", r.sort_order), theme.muted),
            ];
            if !r.is_active {
                spans.push(Span::styled(" · [retired]", theme.disabled));
            }
            Line::from(spans)
        } else {
            Line::from(Span::styled(" No rejection reasons.", theme.muted))
        };
        let mut lines = vec![line];
        if !self.reasons.is_empty() {
            let retired = self.reasons.iter().filter(|r| !r.is_active).count();
            lines.push(Line::from(Span::styled(
                format!(" {} reasons, {retired} retired", self.reasons.len()),
                theme.muted,
            )));
        }
        frame.render_widget(Paragraph::new(lines), area);
    }
}
