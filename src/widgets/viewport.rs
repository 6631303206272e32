//! Which rows of a list are on screen, so a frame builds only those (docs/performance.md §1).
//!
//! A list keeps a [`Viewport`] beside its selection. Each frame asks it for the visible range, builds
//! rows for that range alone and draws them with [`window_state`]; what a frame costs then follows the
//! height of the screen, not the length of the list. When the selection leaves the window, the window
//! jumps by three quarters of a page, so most moves only move the highlight and the terminal rewrites
//! two rows.

use ratatui::widgets::TableState;
use std::ops::Range;

/// The first shown row of a list, kept across frames.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Viewport {
    offset: usize,
}

impl Viewport {
    /// The first shown row as last drawn.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// Back to the top (a new list).
    pub fn reset(&mut self) {
        self.offset = 0;
    }

    /// The rows shown in a window of `height` rows over `len` rows with `selected` highlighted. A
    /// selection above or below the window moves the window [`lead`] rows past it (to the list's
    /// ends at most); a selection inside it leaves the window where it was.
    pub fn follow(&mut self, selected: Option<usize>, len: usize, height: usize) -> Range<usize> {
        if len == 0 || height == 0 {
            self.offset = 0;
            return 0..0;
        }
        let last_offset = len.saturating_sub(height);
        let mut offset = self.offset.min(last_offset);
        if let Some(sel) = selected.map(|s| s.min(len - 1)) {
            let lead = lead(height);
            if sel < offset {
                offset = sel.saturating_sub(lead);
            } else if sel >= offset + height {
                offset = (sel + 1 + lead).saturating_sub(height).min(last_offset);
            }
        }
        self.offset = offset;
        offset..(offset + height).min(len)
    }
}

/// How many rows of a window of `height` a jump shows past the selection, in the direction of the
/// move: three quarters of it, so a jump shows mostly new rows and comes once every three quarters of
/// a page (docs/performance.md §1.2).
pub fn lead(height: usize) -> usize {
    height * 3 / 4
}

/// The table state for drawing only `range`: the selection made relative to it and no offset, since
/// the rows handed to the table are the visible ones already.
pub fn window_state(selected: Option<usize>, range: &Range<usize>) -> TableState {
    let sel = selected
        .filter(|s| range.contains(s))
        .map(|s| s - range.start);
    TableState::default().with_selected(sel)
}

/// The rows a bordered table with a one-line header shows inside `area` (border 2, header 1).
pub fn table_body_height(area: ratatui::layout::Rect) -> usize {
    usize::from(area.height.saturating_sub(3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_list_shows_whole() {
        let mut v = Viewport::default();
        assert_eq!(v.follow(Some(3), 5, 10), 0..5);
        assert_eq!(v.follow(None, 0, 10), 0..0);
    }

    #[test]
    fn moving_inside_the_window_keeps_it() {
        let mut v = Viewport::default();
        for sel in 0..10 {
            assert_eq!(v.follow(Some(sel), 100, 10), 0..10);
        }
    }

    #[test]
    fn leaving_the_bottom_jumps_three_quarters_of_a_page() {
        let mut v = Viewport::default();
        v.follow(Some(9), 100, 10);
        // Seven rows below the selection come into view.
        assert_eq!(v.follow(Some(10), 100, 10), 8..18);
        // The next seven moves only move the highlight.
        for sel in 11..18 {
            assert_eq!(v.follow(Some(sel), 100, 10), 8..18);
        }
        assert_eq!(v.follow(Some(18), 100, 10), 16..26);
    }

    #[test]
    fn leaving_the_top_jumps_three_quarters_of_a_page() {
        let mut v = Viewport::default();
        v.follow(Some(50), 100, 10);
        let r = v.follow(Some(50), 100, 10);
        assert!(r.contains(&50));
        let start = r.start;
        let up = v.follow(Some(start - 1), 100, 10);
        assert_eq!(up, (start - 1 - 7)..(start - 1 - 7 + 10));
    }

    #[test]
    fn the_window_never_runs_past_the_ends() {
        let mut v = Viewport::default();
        assert_eq!(v.follow(Some(99), 100, 10), 90..100);
        assert_eq!(v.follow(Some(0), 100, 10), 0..10);
        // The list shrank under the window.
        v.follow(Some(99), 100, 10);
        assert_eq!(v.follow(Some(3), 8, 10), 0..8);
    }

    #[test]
    fn the_state_is_relative_to_the_window() {
        assert_eq!(window_state(Some(12), &(10..20)).selected(), Some(2));
        assert_eq!(window_state(Some(25), &(10..20)).selected(), None);
        assert_eq!(window_state(None, &(0..20)).offset(), 0);
    }
}
