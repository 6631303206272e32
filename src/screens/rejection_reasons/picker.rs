//! The reason picker a QC FAIL fills in before it is signed (docs/rejection-reasons.md §2.1): the active
//! reasons, each with its severity and rework flag, picked with Space.

use crate::domain::rejection_reason::RejectionReason;
use crate::keymap::Action;
use crate::theme::Theme;
use crate::widgets::fit_text;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// The active rejection reasons with the inspector's picks: shown after the fields when the outcome is
/// FAIL; ↑↓ move, Space picks or unpicks, Enter signs, Esc returns to the fields.
#[derive(Debug, Clone, Default)]
pub struct ReasonPicker {
    pub reasons: Vec<RejectionReason>,
    pub picked: Vec<bool>,
    pub cursor: usize,
    /// The picker is shown (the fields were filled in for a FAIL).
    pub open: bool,
}

impl ReasonPicker {
    pub fn new(reasons: Vec<RejectionReason>) -> Self {
        ReasonPicker {
            picked: vec![false; reasons.len()],
            reasons,
            cursor: 0,
            open: false,
        }
    }

    /// The ids picked, in the list's order.
    pub fn picked_ids(&self) -> Vec<uuid::Uuid> {
        self.reasons
            .iter()
            .zip(&self.picked)
            .filter(|(_, p)| **p)
            .map(|(r, _)| r.id)
            .collect()
    }

    /// Moves or toggles; false for a key the picker does not take.
    pub fn on_action(&mut self, action: Action) -> bool {
        let n = self.reasons.len();
        if crate::screens::selection::moves(action) {
            self.cursor = crate::screens::selection::moved(self.cursor, n, action);
            return true;
        }
        if action != Action::ToggleReason {
            return false;
        }
        if let Some(p) = self.picked.get_mut(self.cursor) {
            *p = !*p;
        }
        true
    }
}

/// One reason as the picker shows it: code and severity in columns, then the text.
pub fn reason_columns(r: &RejectionReason) -> String {
    format!("{:<13} {:<8} {}", r.code, r.severity.code(), r.text)
}

/// The first row to show so that `cursor` is on screen in `height` rows of `n`.
pub fn first_shown(cursor: usize, n: usize, height: usize) -> usize {
    if height == 0 || n <= height {
        return 0;
    }
    cursor.saturating_sub(height - 1).min(n - height)
}

/// Draws the picker: a title line, then one row per reason (`▶` on the cursor, `[x]` when picked).
pub fn draw(picker: &ReasonPicker, frame: &mut Frame, area: Rect, theme: &Theme) {
    let width = usize::from(area.width);
    let n = picker.reasons.len();
    let picked = picker.picked.iter().filter(|p| **p).count();
    let mut lines = vec![Line::from(Span::styled(
        fit_text(
            &format!(
                "Rejection reasons: {picked} picked, at least one · Space picks · Enter signs"
            ),
            width,
        ),
        theme.heading,
    ))];
    if n == 0 {
        lines.push(Line::from(Span::styled(
            "No rejection reason is active; an administrator adds them",
            theme.error,
        )));
    }
    let height = usize::from(area.height).saturating_sub(1);
    let first = first_shown(picker.cursor, n, height);
    for (i, r) in picker.reasons.iter().enumerate().skip(first).take(height) {
        let here = i == picker.cursor;
        let mark = if picker.picked.get(i).copied().unwrap_or(false) {
            "[x]"
        } else {
            "[ ]"
        };
        let text = format!(
            "{}{mark} {}",
            if here { "▶ " } else { "  " },
            reason_columns(r)
        );
        let style = if here { theme.selected } else { theme.base };
        lines.push(Line::from(Span::styled(fit_text(&text, width), style)));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

#[cfg(test)]
mod tests {
    use super::first_shown;

    #[test]
    fn the_cursor_stays_on_screen() {
        assert_eq!(first_shown(0, 9, 5), 0);
        assert_eq!(first_shown(4, 9, 5), 0);
        assert_eq!(first_shown(5, 9, 5), 1);
        assert_eq!(first_shown(8, 9, 5), 4);
        assert_eq!(first_shown(3, 3, 5), 0);
        assert_eq!(first_shown(3, 9, 0), 0);
    }
}
