//! Drawing the user table, the selection's details, the new-user form and the dialogs.

use super::{Mode, UsersScreen, last_login, short_role, who};
use crate::theme::Theme;
use crate::widgets::form_field::Form;
use crate::widgets::list_cursor::shown;
use crate::widgets::viewport::table_body_height;
use crate::widgets::{centered, confirm, dialog, dim, padded, panel, request_status, row, rows};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Padding, Paragraph, Row, Wrap};

impl UsersScreen {
    pub(super) fn draw(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        if let Mode::NewUser {
            form,
            error,
            pending,
        } = &mut self.mode
        {
            view_new_user(
                frame,
                area,
                form,
                error.as_deref(),
                pending.is_some(),
                theme,
            );
            self.question.render(frame, area, theme);
            return;
        }
        let info_h = 2.min(area.height);
        let [table_area, info_area] =
            Layout::vertical([Constraint::Min(0), Constraint::Length(info_h)]).areas(area);
        self.view_table(frame, table_area, theme);
        self.view_info(frame, info_area, theme);
        if !matches!(self.mode, Mode::Browse | Mode::NewUser { .. }) {
            dim(frame, area, theme);
        }
        match &mut self.mode {
            Mode::Browse | Mode::NewUser { .. } => {}
            Mode::Role {
                user,
                form,
                error,
                pending,
            } => {
                let inner = dialog(frame, centered(area, 74, 9), "Change role", theme);
                frame.render_widget(
                    Paragraph::new(format!("Role of {}, now {}:", who(user), user.role.title())),
                    row(inner, 1),
                );
                form.render(frame, rows(inner, 3, 1), theme);
                let busy = pending.map(|_| "… Saving, please wait");
                request_status(frame, row(inner, 5), busy, error.as_deref(), theme);
            }
            Mode::Active {
                user,
                keys,
                error,
                pending,
            } => {
                let (title, mut lines) = if user.is_active {
                    (
                        "Deactivate user",
                        vec![
                            format!("Deactivate {}?", who(user)),
                            "They can no longer log in; their records are kept.".to_string(),
                        ],
                    )
                } else {
                    (
                        "Reactivate user",
                        vec![
                            format!("Reactivate {}?", who(user)),
                            "They can log in again with their current password.".to_string(),
                        ],
                    )
                };
                if pending.is_some() {
                    lines.push("… Saving, please wait".to_string());
                } else if let Some(e) = error {
                    lines.push(format!("ERROR: {e}"));
                }
                confirm::render(frame, area, title, &lines, keys, theme);
            }
            Mode::Reset {
                user,
                form,
                error,
                pending,
            } => {
                let inner = dialog(frame, centered(area, 72, 10), "Reset password", theme);
                frame.render_widget(
                    Paragraph::new(format!("Set a temporary password for {}.", who(user)))
                        .wrap(Wrap { trim: true }),
                    row(inner, 1),
                );
                form.render(frame, rows(inner, 3, 2), theme);
                let busy = pending.map(|_| "… Saving, please wait");
                request_status(frame, row(inner, 6), busy, error.as_deref(), theme);
            }
            Mode::Badge {
                user,
                form,
                error,
                pending,
            } => {
                let inner = dialog(frame, centered(area, 72, 15), "Badge and PIN", theme);
                let now = if user.has_badge {
                    "This replaces their current badge and PIN."
                } else {
                    "They have no badge yet."
                };
                let text = vec![
                    Line::from(format!("Badge and PIN for {}.", who(user))),
                    Line::from(Span::styled(now, theme.muted)),
                ];
                frame.render_widget(Paragraph::new(text), rows(inner, 1, 2));
                form.render(frame, rows(inner, 3, form.height()), theme);
                let busy = pending.map(|_| "… Saving, please wait");
                request_status(frame, row(inner, 9), busy, error.as_deref(), theme);
            }
            Mode::ClearBadge {
                user,
                keys,
                error,
                pending,
            } => {
                let mut lines = vec![
                    format!("Take badge and PIN away from {}?", who(user)),
                    "They log in with their username and password only.".to_string(),
                ];
                confirm::push_status(
                    &mut lines,
                    pending.map(|_| "… Saving, please wait"),
                    error.as_deref(),
                );
                confirm::render(frame, area, "Clear badge", &lines, keys, theme);
            }
        }
        self.question.render(frame, area, theme);
    }

    pub(super) fn view_table(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let title = if self.loading.in_flight() {
            "Users (loading…)"
        } else {
            "Users"
        };
        let block = panel(title, theme).padding(Padding::horizontal(1));
        // At 80 columns the initials give their place to the badge column (the initials are on the
        // selection's line below).
        let initials = area.width >= WIDE;
        let mut header = vec![
            "Username",
            "Full name",
            "Init",
            "Role",
            "Status",
            "Badge",
            "Last login",
        ];
        let mut widths = vec![
            Constraint::Length(12),
            Constraint::Min(12),
            Constraint::Length(4),
            Constraint::Length(12),
            Constraint::Length(10),
            Constraint::Length(5),
            Constraint::Length(16),
        ];
        if !initials {
            header.remove(2);
            widths.remove(2);
        }
        let header = Row::new(
            header
                .into_iter()
                .map(|h| Cell::from(Span::styled(h, theme.heading))),
        );
        let range = self.table.window(self.users.len(), table_body_height(area));
        let rows = shown(&self.users, &range).iter().map(|u| {
            let status = if u.is_active { "active" } else { "[inactive]" };
            let style = if u.is_active {
                theme.base
            } else {
                theme.disabled
            };
            let mut cells = vec![
                Cell::from(u.username.clone()),
                Cell::from(u.full_name.clone()),
                Cell::from(short_role(u.role)),
                Cell::from(status),
                Cell::from(if u.has_badge { "yes" } else { "—" }),
                Cell::from(last_login(u)),
            ];
            if initials {
                cells.insert(2, Cell::from(u.initials.clone()));
            }
            Row::new(cells).style(style)
        });
        let table = crate::widgets::selectable_table(rows, widths, header, block, theme);
        frame.render_stateful_widget(table, area, &mut self.table.table_state(&range));
    }

    pub(super) fn view_info(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let line = if let Some(e) = &self.load_error {
            Line::from(Span::styled(format!(" ERROR: {e}"), theme.error))
        } else if self.loading.in_flight() && self.users.is_empty() {
            Line::from(Span::styled(" … Loading users", theme.muted))
        } else if let Some(u) = self.selected() {
            let mut spans = vec![
                Span::styled(" ▶ ", theme.focus),
                Span::styled(
                    format!(
                        "{} — {} ({}), {}",
                        u.username,
                        u.full_name,
                        u.initials,
                        u.role.title()
                    ),
                    theme.base,
                ),
            ];
            if !u.is_active {
                spans.push(Span::styled(" · [inactive]", theme.disabled));
            }
            if u.has_badge {
                spans.push(Span::styled(" · badge", theme.base));
            }
            if u.must_change_password {
                spans.push(Span::styled(
                    " · must change password at next login",
                    theme.warn,
                ));
            }
            Line::from(spans)
        } else {
            Line::from(Span::styled(" No users.", theme.muted))
        };
        let mut lines = vec![line];
        if !self.users.is_empty() {
            let inactive = self.inactive;
            lines.push(Line::from(Span::styled(
                format!(" {} users, {} inactive", self.users.len(), inactive),
                theme.muted,
            )));
        }
        frame.render_widget(Paragraph::new(lines), area);
    }
}

/// From this width on the table has room for the initials beside the badge column.
const WIDE: u16 = 90;

/// The new-user form fills the body: five fields with room for their messages.
pub(super) fn view_new_user(
    frame: &mut Frame,
    area: Rect,
    form: &mut Form,
    error: Option<&str>,
    busy: bool,
    theme: &Theme,
) {
    let block = panel("New user", theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let inner = padded(inner);
    frame.render_widget(
        Paragraph::new(Span::styled(
            "The new user logs in with the temporary password, then chooses their own.",
            theme.muted,
        ))
        .wrap(Wrap { trim: true }),
        row(inner, 1),
    );
    let form_area = rows(inner, 3, form.height());
    form.render(frame, form_area, theme);
    let busy = busy.then_some("… Saving, please wait");
    request_status(frame, rows(inner, 14, 2), busy, error, theme);
}
