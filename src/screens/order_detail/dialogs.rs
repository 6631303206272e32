//! Drawing the dialogs: move, the signing dialogs (BOM approval, T6, ship, override), BOM regeneration
//! and assign.

use super::{Mode, OrderDetailScreen, role_plural};
use crate::domain::lifecycle::move_question;
use crate::theme::Theme;
use crate::widgets::{centered, confirm, dialog, dim, fit_text, request_status, row, rows};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::Paragraph;

impl OrderDetailScreen {
    pub(super) fn view_dialog(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let busy = self.writing.in_flight().then_some("… Saving, please wait");
        let build = self
            .detail
            .as_deref()
            .map(|d| (d.build.build_number.clone(), d.status, d.assignee.clone()));
        let Some((build, from, assignee)) = build else {
            return;
        };
        match &mut self.mode {
            Mode::Browse => {}
            Mode::Hold(dialog) => dialog.render(frame, area, theme),
            Mode::Correct(dialog) => dialog.render(frame, area, theme),
            Mode::ConfirmMove {
                targets,
                index,
                error,
            } => {
                let to = targets.get(*index).copied().unwrap_or(from);
                let mut lines = vec![move_question(&build, from, to)];
                if targets.len() > 1 {
                    lines.push(format!(
                        "◀ ▶ choose the new status ({} of {})",
                        *index + 1,
                        targets.len()
                    ));
                }
                confirm::push_status(&mut lines, busy, error.as_deref());
                confirm::render(
                    frame,
                    area,
                    "Move status",
                    &lines,
                    &self.keys.confirm,
                    theme,
                );
            }
            Mode::ConfirmRegenerate { version, error } => {
                let mut lines = vec![format!("Regenerate the BOM of {build}?")];
                lines.push(match version {
                    Some(v) => format!(
                        "A new DRAFT version replaces version {v}; it must be approved again."
                    ),
                    None => "A new DRAFT version is generated; it must be approved.".to_string(),
                });
                confirm::push_status(&mut lines, busy, error.as_deref());
                confirm::render(
                    frame,
                    area,
                    "Regenerate BOM",
                    &lines,
                    &self.keys.confirm,
                    theme,
                );
            }
            Mode::Sign { dialog, .. } => dialog.render(frame, area, busy, theme),
            Mode::Assign {
                role,
                users,
                selected,
                loading,
                error,
            } => {
                dim(frame, area, theme);
                let entries = users.len() + usize::from(assignee.is_some());
                let list_h = u16::try_from(entries.clamp(1, 8)).unwrap_or(8);
                let inner = dialog(
                    frame,
                    centered(area, 60, list_h + 7),
                    &format!("Assign {build}"),
                    theme,
                );
                let current = assignee.as_ref().map_or_else(
                    || "unassigned".to_string(),
                    |(_, name)| format!("now {name}"),
                );
                frame.render_widget(
                    Paragraph::new(format!("Active {} ({current}):", role_plural(*role))),
                    row(inner, 1),
                );
                let list_area = rows(inner, 3, list_h);
                if loading.is_some() {
                    frame.render_widget(
                        Paragraph::new(Span::styled(
                            format!("… Loading {}", role_plural(*role)),
                            theme.muted,
                        )),
                        row(list_area, 0),
                    );
                } else if entries == 0 && error.is_none() {
                    frame.render_widget(
                        Paragraph::new(Span::styled(
                            format!("No active {}.", role_plural(*role)),
                            theme.muted,
                        )),
                        row(list_area, 0),
                    );
                } else {
                    let first = selected.saturating_sub(usize::from(list_h) - 1);
                    let current_id = assignee.as_ref().map(|(id, _)| *id);
                    let mut labels: Vec<(String, bool)> = users
                        .iter()
                        .map(|u| {
                            let mark = if Some(u.id) == current_id {
                                " · current"
                            } else {
                                ""
                            };
                            (format!("{} ({}){mark}", u.full_name, u.username), false)
                        })
                        .collect();
                    if assignee.is_some() {
                        labels.push(("Unassign".to_string(), true));
                    }
                    for (i, (label, special)) in labels
                        .iter()
                        .enumerate()
                        .skip(first)
                        .take(usize::from(list_h))
                    {
                        let is_sel = i == *selected;
                        let marker = if is_sel { "▶ " } else { "  " };
                        let style = if is_sel {
                            theme.selected
                        } else if *special {
                            theme.muted
                        } else {
                            theme.base
                        };
                        let text =
                            fit_text(&format!("{marker}{label}"), usize::from(list_area.width));
                        let r = row(list_area, u16::try_from(i - first).unwrap_or(0));
                        frame.render_widget(Paragraph::new(Span::styled(text, style)), r);
                    }
                }
                request_status(
                    frame,
                    rows(inner, 3 + list_h + 1, 1),
                    busy,
                    error.as_deref(),
                    theme,
                );
            }
        }
    }
}
