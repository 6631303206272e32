//! Short-lived messages on the message line above the status bar.

use crate::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToastKind {
    Info,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toast {
    pub kind: ToastKind,
    pub text: String,
    /// Set by the first tick after the toast appears; the toast expires relative to it.
    shown_at: Option<Instant>,
}

impl Toast {
    pub fn info(text: impl Into<String>) -> Toast {
        Toast {
            kind: ToastKind::Info,
            text: text.into(),
            shown_at: None,
        }
    }

    pub fn error(text: impl Into<String>) -> Toast {
        Toast {
            kind: ToastKind::Error,
            text: text.into(),
            shown_at: None,
        }
    }

    /// Errors stay longer: the user has to read and act on them.
    fn lifetime(&self) -> Duration {
        match self.kind {
            ToastKind::Info => Duration::from_secs(4),
            ToastKind::Error => Duration::from_secs(10),
        }
    }

    /// Advances the toast's clock; returns false once it has expired.
    pub fn tick(&mut self, now: Instant) -> bool {
        let shown = *self.shown_at.get_or_insert(now);
        now.saturating_duration_since(shown) < self.lifetime()
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let line = match self.kind {
            ToastKind::Info => Line::from(vec![
                Span::styled(" ✔ ", theme.ok),
                Span::styled(self.text.clone(), theme.ok),
            ]),
            ToastKind::Error => Line::from(vec![
                Span::styled(" ERROR: ", theme.error),
                Span::styled(self.text.clone(), theme.error),
            ]),
        };
        frame.render_widget(Paragraph::new(line), area);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expires_after_its_lifetime() {
        let t0 = Instant::now();
        let mut t = Toast::info("saved");
        assert!(t.tick(t0));
        assert!(t.tick(t0 + Duration::from_secs(3)));
        assert!(!t.tick(t0 + Duration::from_secs(5)));
    }
}
