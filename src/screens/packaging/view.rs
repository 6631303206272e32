//! Drawing the packaging checklist: header, lines, footer and the quantity dialog.

use super::moves::move_question;
use super::{Mode, PackagingScreen, state_text};
use crate::domain::clock;
use crate::domain::order::OrderStatus;
use crate::theme::Theme;
use crate::widgets::list_cursor::shown;
use crate::widgets::viewport::table_body_height;
use crate::widgets::{centered, confirm, dialog, dim, fit_text, panel, row, rows};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row};
use std::collections::HashSet;
use uuid::Uuid;

impl PackagingScreen {
    pub(super) fn draw(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        if area.height < 6 || area.width < 20 {
            return;
        }
        // The header's blank third row goes when the table would show fewer than twelve lines
        // (docs/architecture.md §2.1).
        let head_h = if area.height < 22 { 2 } else { 3 };
        let head = rows(area, 0, head_h);
        self.view_header(frame, head, theme);
        let foot_h = 3;
        let table_h = area.height.saturating_sub(head_h + foot_h);
        let table_area = rows(area, head_h, table_h);
        self.view_table(frame, table_area, theme);
        let foot = rows(area, head_h + table_h, foot_h);
        self.view_footer(frame, foot, theme);
        self.view_dialog(frame, area, theme);
    }

    pub(super) fn view_header(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let width = usize::from(area.width.saturating_sub(2));
        let Some(v) = self.view.as_deref() else {
            let text = match &self.load_error {
                Some(e) => Line::from(Span::styled(format!(" ERROR: {e}"), theme.error)),
                None => Line::from(Span::styled(
                    " Loading the packaging checklist…",
                    theme.muted,
                )),
            };
            frame.render_widget(Paragraph::new(text), row(area, 0));
            return;
        };
        let status = self
            .status
            .map_or_else(|| "…".to_string(), |s| s.to_string());
        let title = format!(
            " PO {} · Build {} · {} · {status}",
            v.header.po_number, v.header.build_number, v.header.sink_model
        );
        frame.render_widget(
            Paragraph::new(Span::styled(fit_text(&title, width + 1), theme.title)),
            row(area, 0),
        );
        let done = v.lines.iter().filter(|l| l.complete).count();
        let state = if v.completed {
            Span::styled("COMPLETE", theme.ok)
        } else {
            Span::styled("OPEN", theme.warn)
        };
        let completed_at = v
            .completed_at
            .map_or_else(|| "not completed yet".to_string(), clock::local_minute);
        let second = Line::from(vec![
            Span::raw(format!(
                " Packed {done} / {} items complete · ",
                v.lines.len()
            )),
            state,
            Span::styled(
                format!(" · Performed by {} · {completed_at}", v.performed_by),
                theme.muted,
            ),
        ]);
        frame.render_widget(Paragraph::new(second), row(area, 1));
    }

    pub(super) fn view_table(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let title = if self.loading.in_flight() && self.view.is_some() {
            "Packaging checklist (reloading…)"
        } else {
            "Packaging checklist"
        };
        let block = panel(title, theme);
        let header = Row::new(["Code", "Description", "Item", "Req", "Packed", "M", "State"])
            .style(theme.heading);
        let desc_w = usize::from(
            area.width
                .saturating_sub(2 + 2 + 7 + 26 + 4 + 6 + 1 + 9 + 7),
        );
        let pending: HashSet<Uuid> = self
            .in_flight
            .iter()
            .map(|(_, l, _)| *l)
            .chain(self.unsent.iter().map(|(l, _)| *l))
            .collect();
        self.table.select(self.selected_index());
        let range = self
            .table
            .window(self.lines().len(), table_body_height(area));
        let body: Vec<Row> = shown(self.lines(), &range)
            .iter()
            .map(|l| {
                let saving = pending.contains(&l.id);
                let state_style = if l.complete { theme.ok } else { theme.warn };
                let mut state = state_text(l);
                if saving {
                    state.push('…');
                }
                Row::new(vec![
                    Cell::from(l.code.clone()),
                    Cell::from(fit_text(&l.description, desc_w)),
                    Cell::from(fit_text(&l.item_id, 26)),
                    Cell::from(format!("{:>3}", l.required)),
                    Cell::from(format!("{:>6}", l.packed)),
                    Cell::from(if l.mounted_allowed { "M" } else { "" }),
                    Cell::from(Span::styled(state, state_style)),
                ])
            })
            .collect();
        let widths = [
            Constraint::Length(7),
            Constraint::Fill(1),
            Constraint::Length(26),
            Constraint::Length(4),
            Constraint::Length(6),
            Constraint::Length(1),
            Constraint::Length(9),
        ];
        let table = crate::widgets::selectable_table(body, widths, header, block, theme);
        frame.render_stateful_widget(table, area, &mut self.table.table_state(&range));
    }

    pub(super) fn view_footer(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let width = usize::from(area.width.saturating_sub(1));
        if let Some(l) = self.selected_line() {
            let mounted = if l.mounted_allowed {
                if l.mounted {
                    "mounted on the sink"
                } else {
                    "may be mounted on the sink (M)"
                }
            } else {
                "packed only"
            };
            let kind = match l.item_type {
                crate::domain::bom::ItemType::Assembly => "assembly",
                crate::domain::bom::ItemType::Part => "part",
            };
            let text = format!(
                " {} {} ({kind}) · {} of {} packed · {mounted}",
                l.code, l.item_id, l.packed, l.required
            );
            frame.render_widget(
                Paragraph::new(Span::raw(fit_text(&text, width))),
                row(area, 0),
            );
            frame.render_widget(
                Paragraph::new(Span::styled(
                    fit_text(&format!(" {}", l.description), width),
                    theme.muted,
                )),
                row(area, 1),
            );
        }
        let status = if let Some(e) = &self.error {
            Line::from(Span::styled(format!(" ERROR: {e}"), theme.error))
        } else if self.busy() {
            Line::from(Span::styled(" … Saving, please wait", theme.muted))
        } else {
            Line::from(Span::styled(fit_text(&self.hint(), width), theme.muted))
        };
        frame.render_widget(Paragraph::new(status), row(area, 2));
    }

    /// What the user can do next, or what is missing.
    pub(super) fn hint(&self) -> String {
        let Some(v) = self.view.as_deref() else {
            return String::new();
        };
        let open = v.lines.iter().filter(|l| !l.complete).count();
        let mut parts = Vec::new();
        if let Some(reason) = self.read_only_reason() {
            parts.push(reason);
        }
        match self.next_move() {
            Some(OrderStatus::PackagingComplete) => {
                parts.push("All items complete: m marks packaging complete".into());
            }
            Some(to) => parts.push(format!("m sends the build to Final QC ({})", to.title())),
            None if open > 0 => parts.push(format!("{open} item(s) not complete")),
            None => {}
        }
        format!(" {}", parts.join(" · "))
    }

    pub(super) fn view_dialog(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let build = self
            .view
            .as_deref()
            .map(|v| v.header.build_number.clone())
            .unwrap_or_default();
        let busy = self.moving.in_flight().then_some("… Saving, please wait");
        let line = match &self.mode {
            Mode::Quantity { line, .. } => self.lines().iter().find(|l| l.id == *line).cloned(),
            _ => None,
        };
        match &mut self.mode {
            Mode::Browse => {}
            Mode::Sign { dialog, .. } => dialog.render(frame, area, busy, theme),
            Mode::ConfirmMove { to, error } => {
                let mut lines = vec![format!("Build {build}"), move_question(*to)];
                confirm::push_status(&mut lines, busy, error.as_deref());
                confirm::render(
                    frame,
                    area,
                    "Move status",
                    &lines,
                    &self.confirm_keys,
                    theme,
                );
            }
            Mode::Quantity { form, .. } => {
                let Some(l) = line else {
                    return;
                };
                dim(frame, area, theme);
                let inner = dialog(frame, centered(area, 64, 9), "Packed quantity", theme);
                let width = usize::from(inner.width);
                frame.render_widget(
                    Paragraph::new(fit_text(&format!("{} {}", l.code, l.item_id), width)),
                    row(inner, 1),
                );
                frame.render_widget(
                    Paragraph::new(Span::styled(
                        fit_text(
                            &format!(
                                "Packed now {} of {}; enter the new quantity, 0 to {}",
                                l.packed, l.required, l.required
                            ),
                            width,
                        ),
                        theme.muted,
                    )),
                    row(inner, 2),
                );
                form.render(frame, rows(inner, 4, form.height()), theme);
            }
        }
    }
}
