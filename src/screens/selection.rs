//! The list keys every list and table answers alike.

use crate::keymap::Action;

/// Rows one PageUp/PageDown moves.
pub const PAGE: usize = 10;

/// Whether `action` is one of the keys [`moved`] answers (the movement keys of `widgets::list_step`).
pub fn moves(action: Action) -> bool {
    crate::widgets::list_step(action, 0, 0, 0).is_some()
}

/// Where Up, Down, PageUp, PageDown, First and Last move a selection at `cur` in a list of `n` rows;
/// any other action leaves it where it is.
pub fn moved(cur: usize, n: usize, action: Action) -> usize {
    crate::widgets::list_step(action, cur, n, PAGE).unwrap_or(cur)
}
