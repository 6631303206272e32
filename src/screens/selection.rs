//! The list keys every list and table answers alike.

use crate::keymap::Action;

/// Rows one PageUp/PageDown moves.
pub const PAGE: usize = 10;

/// Whether `action` is one of the keys [`moved`] answers.
pub fn moves(action: Action) -> bool {
    matches!(
        action,
        Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::First
            | Action::Last
    )
}

/// Where Up, Down, PageUp, PageDown, First and Last move a selection at `cur` in a list of `n` rows;
/// any other action leaves it where it is.
pub fn moved(cur: usize, n: usize, action: Action) -> usize {
    crate::widgets::list_step(action, cur, n, PAGE).unwrap_or(cur)
}
