//! Drawing the settings table, the selected setting's meaning and the value being typed.

use super::SettingsScreen;
use crate::domain::clock;
use crate::domain::settings::{SettingView, group_digits};
use crate::text::for_terminal;
use crate::theme::Theme;
use crate::widgets::list_cursor::ListCursor;
use crate::widgets::viewport::table_body_height;
use crate::widgets::{draw_loading, panel, rows, wrap};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Padding, Paragraph, Row};

/// Rows of the pane under the table: its border, the meaning (up to three lines), the type and range,
/// the last change, a note, and the field with its message.
const DETAIL_ROWS: u16 = 11;

impl SettingsScreen {
    pub(super) fn draw(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        if self.settings.is_empty() {
            let block = panel("System settings", theme);
            let inner = block.inner(area);
            frame.render_widget(block, area);
            draw_loading(
                frame,
                crate::widgets::inset(inner, 1),
                self.load_error.as_deref(),
                "… Loading the system settings",
                theme,
            );
            return;
        }
        let detail_h = DETAIL_ROWS.min(area.height.saturating_sub(6));
        let [table_area, detail_area] =
            Layout::vertical([Constraint::Min(0), Constraint::Length(detail_h)]).areas(area);
        self.draw_table(frame, table_area, theme);
        self.draw_detail(frame, detail_area, theme);
        self.question.render(frame, area, theme);
    }

    fn draw_table(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let title = if self.loading.in_flight() {
            "System settings (loading…)"
        } else {
            "System settings"
        };
        let block = panel(title, theme).padding(Padding::horizontal(1));
        let header = Row::new(
            ["Setting", "Value", "Unit", "Default", "Range"]
                .into_iter()
                .map(|h| Cell::from(Span::styled(h, theme.heading))),
        );
        let widths = [
            Constraint::Length(27),
            Constraint::Length(9),
            Constraint::Length(5),
            Constraint::Length(8),
            Constraint::Min(13),
        ];
        let editing = self.editing.as_ref().map(|e| e.key);
        let mut cursor = ListCursor::default().with_selected(Some(self.selected));
        let range = cursor.window(self.settings.len(), table_body_height(area));
        let rows = self.settings[range.clone()].iter().map(|v| {
            let value = if editing == Some(v.def.key) {
                "editing…".to_string()
            } else if v.stored_is_invalid() {
                format!("{} !", group_digits(v.value()))
            } else {
                group_digits(v.value())
            };
            let style = if v.editable {
                theme.base
            } else {
                theme.disabled
            };
            Row::new(vec![
                Cell::from(v.def.key),
                Cell::from(value),
                Cell::from(v.def.unit.plural()),
                Cell::from(group_digits(v.def.default)),
                Cell::from(v.def.range_text()),
            ])
            .style(style)
        });
        let table = crate::widgets::selectable_table(rows, widths, header, block, theme);
        frame.render_stateful_widget(table, area, &mut cursor.table_state(&range));
    }

    fn draw_detail(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let Some(view) = self.settings.get(self.selected).cloned() else {
            return;
        };
        let title = view.def.title();
        let block = panel(&title, theme).padding(Padding::horizontal(1));
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let width = usize::from(inner.width);
        let mut lines: Vec<Line> = wrap(view.def.meaning, width)
            .into_iter()
            .take(3)
            .map(Line::from)
            .collect();
        lines.push(Line::from(Span::styled(
            format!(
                "A {} of {}, {}; default {}",
                view.def.kind.title(),
                view.def.unit.plural(),
                view.def.range_text(),
                view.def.unit.amount(view.def.default)
            ),
            theme.muted,
        )));
        lines.push(Line::from(Span::styled(last_change(&view), theme.muted)));
        if view.stored_is_invalid() {
            let stored = for_terminal(view.stored.as_deref().unwrap_or_default()).into_owned();
            lines.push(Line::from(Span::styled(
                format!("! The stored value “{stored}” is not allowed; the default applies"),
                theme.warn,
            )));
        } else if !view.editable {
            lines.push(Line::from(Span::styled(super::locked(&view), theme.warn)));
        }
        let used = u16::try_from(lines.len()).unwrap_or(u16::MAX);
        frame.render_widget(Paragraph::new(lines), inner);
        let below = rows(inner, used + 1, inner.height.saturating_sub(used + 1));
        let saving = Paragraph::new(Span::styled("… Saving, please wait", theme.muted));
        if let Some(editing) = self.editing.as_mut() {
            editing.form.render(frame, below, theme);
            if self.saving.in_flight() {
                frame.render_widget(saving, rows(below, editing.form.height(), 1));
            }
        } else if self.saving.in_flight() {
            frame.render_widget(saving, below);
        } else if let Some(e) = &self.error {
            let text: Vec<Line> = wrap(&format!("ERROR: {e}"), width)
                .into_iter()
                .map(|l| Line::from(Span::styled(l, theme.error)))
                .collect();
            frame.render_widget(Paragraph::new(text), below);
        }
    }
}

/// "Last changed by Ada Admin at 2026-12-06 09:12 CET", or as much of it as is known.
fn last_change(view: &SettingView) -> String {
    match (&view.updated_by, view.updated_at) {
        (Some(name), Some(at)) => format!(
            "Last changed by {} at {}",
            for_terminal(name),
            clock::local_minute(at)
        ),
        (Some(name), None) => format!("Last changed by {}", for_terminal(name)),
        (None, Some(at)) => format!("Last changed at {}", clock::local_minute(at)),
        (None, None) => "Never changed".to_string(),
    }
}
