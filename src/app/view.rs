//! The shell's frame: header, the screen, overlays, toast, status bar and key bar, scrubbed of every
//! character a terminal would act on.

use super::{App, Leave, MIN_HEIGHT, MIN_WIDTH, Overlay};
use crate::keymap::KeyContext;
use crate::screens::Screen;
use crate::text::strip_forbidden;
use crate::widgets::status_bar::StatusInfo;
use crate::widgets::{confirm, help, key_bar, status_bar};
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use std::borrow::Cow;

/// Removes every forbidden character (`text::is_forbidden`) from every cell. Ratatui drops control
/// characters itself but appends zero-width ones (direction marks, zero-width spaces) to the previous
/// cell's symbol, so the whole symbol is scanned; a cell left empty shows a space.
pub fn scrub(buf: &mut Buffer) {
    for cell in &mut buf.content {
        if let Cow::Owned(clean) = strip_forbidden(cell.symbol()) {
            cell.set_symbol(if clean.is_empty() { " " } else { &clean });
        }
    }
}

impl App {
    /// Draws the frame, then takes out of it every character a terminal would act on (see [`scrub`]):
    /// whatever text the database holds, no screen sends a control sequence.
    pub fn view(&mut self, frame: &mut Frame) {
        self.needs_draw = false;
        self.draw(frame);
        scrub(frame.buffer_mut());
    }

    fn draw(&mut self, frame: &mut Frame) {
        let area = frame.area();
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            self.view_too_small(frame, area);
            return;
        }
        let header = Rect::new(area.x, area.y, area.width, 1);
        let body = Rect::new(area.x, area.y + 1, area.width, area.height - 4);
        let message = Rect::new(area.x, area.bottom() - 3, area.width, 1);
        let status = Rect::new(area.x, area.bottom() - 2, area.width, 1);
        let keys = Rect::new(area.x, area.bottom() - 1, area.width, 1);

        self.view_header(frame, header);
        let theme = self.theme;
        self.screen.view(frame, body, &theme);
        let stack = self.key_stack();
        for overlay in &mut self.overlays {
            match overlay {
                Overlay::Help { under, scroll } => {
                    let groups = self.keymap.help(under);
                    *scroll = help::render(frame, body, &groups, *scroll, &theme);
                }
                Overlay::QuitConfirm => {
                    let lines = vec!["Quit cleanstation? Unsaved input will be lost.".to_string()];
                    let answers = self.keymap.key_bar(&[KeyContext::Confirm]);
                    confirm::render(frame, body, "Quit", &lines, &answers, &theme);
                }
                Overlay::LeaveConfirm(leave) => {
                    let lines = vec![leave.question().to_string()];
                    let answers = self.keymap.key_bar(&[KeyContext::Confirm]);
                    let title = match leave {
                        Leave::LogOut => "Log out",
                        Leave::SwitchUser => "Switch user",
                    };
                    confirm::render(frame, body, title, &lines, &answers, &theme);
                }
                Overlay::Lock(lock) => lock.view(frame, body, &theme),
            }
        }
        if let Some(t) = &self.toast {
            t.render(frame, message, &theme);
        }
        let user = self
            .session
            .as_ref()
            .map(|s| (s.user.full_name.as_str(), s.user.username.as_str()));
        let info = StatusInfo {
            station: &self.station,
            user,
            role: self.session.as_ref().map(|s| s.user.role.title()),
            db: self.db,
            database: &self.database,
            unread: self.session.as_ref().and(self.unread),
            locked: self.is_locked(),
            live_paused: self.live_paused,
        };
        status_bar::render(frame, status, &info, &theme);
        key_bar::render(frame, keys, &self.keymap.key_bar(&stack), &theme);
    }

    fn view_header(&self, frame: &mut Frame, area: Rect) {
        let left = Line::from(vec![
            Span::styled(" CleanStation", self.theme.header),
            Span::styled("  ›  ", self.theme.header),
            Span::styled(self.title(), self.theme.header),
        ]);
        frame.render_widget(Paragraph::new(left).style(self.theme.header), area);
        let right = "Torvan Medical ";
        let w = u16::try_from(right.chars().count()).unwrap_or(0);
        if area.width > w + 40 {
            frame.render_widget(
                Paragraph::new(Span::styled(right, self.theme.header)),
                Rect::new(area.right() - w, area.y, w, 1),
            );
        }
    }

    fn view_too_small(&self, frame: &mut Frame, area: Rect) {
        let text = vec![
            Line::from(Span::styled(
                format!(
                    "Terminal too small: need {MIN_WIDTH}x{MIN_HEIGHT}, have {}x{}",
                    area.width, area.height
                ),
                self.theme.warn,
            )),
            Line::from(Span::styled(
                "Enlarge the window or use a smaller font.",
                self.theme.muted,
            )),
        ];
        let h = 3.min(area.height);
        let y = area.y + (area.height - h) / 2;
        frame.render_widget(
            Paragraph::new(text)
                .alignment(ratatui::layout::Alignment::Center)
                .wrap(Wrap { trim: true }),
            Rect::new(area.x, y, area.width, area.bottom() - y),
        );
    }
}
