//! A list's selection and the window of rows drawn around it (docs/performance.md §1.9).
//!
//! The selection is an index into the screen's rows; the [`Viewport`] beside it remembers the first shown
//! row. A frame asks [`ListCursor::window`] for the visible range, builds rows for that range only and
//! draws them with [`ListCursor::table_state`] or [`ListCursor::list_state`], whose selection is relative
//! to the range.

use crate::widgets::viewport::{Viewport, window_state};
use ratatui::widgets::{ListState, TableState};
use std::ops::Range;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListCursor {
    selected: Option<usize>,
    viewport: Viewport,
}

impl ListCursor {
    /// The selected row, if any.
    pub fn selected(&self) -> Option<usize> {
        self.selected
    }

    pub fn select(&mut self, index: Option<usize>) {
        self.selected = index;
    }

    pub fn with_selected(mut self, index: Option<usize>) -> ListCursor {
        self.selected = index;
        self
    }

    /// The first row shown by the last frame.
    pub fn offset(&self) -> usize {
        self.viewport.offset()
    }

    /// The rows a window of `height` rows shows over `len` rows, following the selection
    /// (docs/performance.md §1.2).
    pub fn window(&mut self, len: usize, height: usize) -> Range<usize> {
        self.viewport.follow(self.selected, len, height)
    }

    /// A table's state for drawing only the rows of `range`.
    pub fn table_state(&self, range: &Range<usize>) -> TableState {
        window_state(self.selected, range)
    }

    /// A list's state for drawing only the items of `range`.
    pub fn list_state(&self, range: &Range<usize>) -> ListState {
        ListState::default().with_selected(self.table_state(range).selected())
    }
}

/// The items of `range` (empty when it is out of bounds, as after the list shrank).
pub fn shown<'a, T>(items: &'a [T], range: &Range<usize>) -> &'a [T] {
    items.get(range.clone()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_states_are_relative_to_the_window() {
        let mut c = ListCursor::default().with_selected(Some(30));
        let range = c.window(100, 10);
        assert!(range.contains(&30));
        assert_eq!(c.offset(), range.start);
        assert_eq!(c.table_state(&range).selected(), Some(30 - range.start));
        assert_eq!(c.list_state(&range).selected(), Some(30 - range.start));
        assert_eq!(c.list_state(&range).offset(), 0);
        c.select(None);
        assert_eq!(c.table_state(&range).selected(), None);
    }

    #[test]
    fn shown_is_the_slice_or_nothing() {
        let items = [1, 2, 3, 4];
        assert_eq!(shown(&items, &(1..3)), &[2, 3]);
        assert!(shown(&items, &(3..9)).is_empty());
    }
}
