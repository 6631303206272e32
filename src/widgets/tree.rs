//! A collapsible tree over nodes kept in depth-first pre-order (a parent always precedes its children):
//! the BOM viewer's item tree and the inventory's catalog tree.
//!
//! The screen owns its nodes; [`TreeState`] only knows each node's parent, which is all that expanding,
//! collapsing, moving and revealing a search hit need. [`render`] draws the visible rows with the screen's
//! own text for each node.

use crate::theme::Theme;
use crate::widgets::viewport::Viewport;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TreeState {
    parents: Vec<Option<usize>>,
    depth: Vec<usize>,
    has_children: Vec<bool>,
    expanded: Vec<bool>,
    selected: usize,
    /// The nodes shown, in order, figured when the tree or its expansion changes rather than on each
    /// frame (docs/performance.md §1.10).
    rows: Vec<usize>,
    /// The first visible row drawn; kept so the view scrolls only when the selection leaves it.
    viewport: Viewport,
}

impl TreeState {
    /// A tree with every node collapsed and the first node selected. A parent index that does not
    /// precede its node is treated as no parent, so a malformed input cannot loop.
    pub fn new(parents: Vec<Option<usize>>) -> TreeState {
        let n = parents.len();
        let parents: Vec<Option<usize>> = parents
            .into_iter()
            .enumerate()
            .map(|(i, p)| p.filter(|&p| p < i))
            .collect();
        let mut depth = vec![0; n];
        let mut has_children = vec![false; n];
        for i in 0..n {
            if let Some(p) = parents.get(i).copied().flatten() {
                let d = depth.get(p).copied().unwrap_or(0) + 1;
                if let Some(slot) = depth.get_mut(i) {
                    *slot = d;
                }
                if let Some(flag) = has_children.get_mut(p) {
                    *flag = true;
                }
            }
        }
        let mut tree = TreeState {
            parents,
            depth,
            has_children,
            expanded: vec![false; n],
            selected: 0,
            rows: Vec::new(),
            viewport: Viewport::default(),
        };
        tree.refresh();
        tree
    }

    pub fn len(&self) -> usize {
        self.parents.len()
    }

    pub fn is_empty(&self) -> bool {
        self.parents.is_empty()
    }

    pub fn depth(&self, node: usize) -> usize {
        self.depth.get(node).copied().unwrap_or(0)
    }

    pub fn parent(&self, node: usize) -> Option<usize> {
        self.parents.get(node).copied().flatten()
    }

    pub fn has_children(&self, node: usize) -> bool {
        self.has_children.get(node).copied().unwrap_or(false)
    }

    pub fn is_expanded(&self, node: usize) -> bool {
        self.expanded.get(node).copied().unwrap_or(false)
    }

    /// The selected node, `None` for an empty tree.
    pub fn selected(&self) -> Option<usize> {
        (self.selected < self.len()).then_some(self.selected)
    }

    /// The nodes shown, in order: every node whose ancestors are all expanded.
    pub fn visible(&self) -> &[usize] {
        &self.rows
    }

    /// The row of the selection among the visible nodes (they are in pre-order, so sorted).
    fn selected_row(&self) -> usize {
        self.rows.binary_search(&self.selected).unwrap_or(0)
    }

    /// Figures the visible nodes again after the expansion changed.
    fn refresh(&mut self) {
        let mut out = Vec::new();
        let mut shown = vec![false; self.len()];
        for i in 0..self.len() {
            let visible = match self.parent(i) {
                None => true,
                Some(p) => shown.get(p).copied().unwrap_or(false) && self.is_expanded(p),
            };
            if let Some(slot) = shown.get_mut(i) {
                *slot = visible;
            }
            if visible {
                out.push(i);
            }
        }
        self.rows = out;
    }

    fn set_expanded(&mut self, node: usize, value: bool) {
        if self.has_children(node)
            && let Some(slot) = self.expanded.get_mut(node)
        {
            *slot = value;
        }
    }

    /// Opens the selected node.
    pub fn expand(&mut self) {
        self.set_expanded(self.selected, true);
        self.refresh();
    }

    /// Closes the selected node, or when it is closed (or a leaf) selects its parent.
    pub fn collapse(&mut self) {
        if self.is_expanded(self.selected) {
            self.set_expanded(self.selected, false);
            self.refresh();
        } else if let Some(p) = self.parent(self.selected) {
            self.selected = p;
        }
    }

    pub fn toggle(&mut self) {
        let open = self.is_expanded(self.selected);
        self.set_expanded(self.selected, !open);
        self.refresh();
    }

    pub fn expand_all(&mut self) {
        for i in 0..self.len() {
            self.set_expanded(i, true);
        }
        self.refresh();
    }

    /// Closes everything; the selection moves to its top-level ancestor so it stays visible.
    pub fn collapse_all(&mut self) {
        self.expanded.iter_mut().for_each(|e| *e = false);
        while let Some(p) = self.parent(self.selected) {
            self.selected = p;
        }
        self.refresh();
    }

    /// Opens every ancestor of `node` and selects it.
    pub fn reveal(&mut self, node: usize) {
        if node >= self.len() {
            return;
        }
        let mut at = node;
        while let Some(p) = self.parent(at) {
            self.set_expanded(p, true);
            at = p;
        }
        self.selected = node;
        self.refresh();
    }

    /// Moves the selection by `delta` visible rows, stopping at either end.
    pub fn move_by(&mut self, delta: isize) {
        let Some(last) = self.rows.len().checked_sub(1) else {
            return;
        };
        let to = self.selected_row().saturating_add_signed(delta).min(last);
        if let Some(&node) = self.rows.get(to) {
            self.selected = node;
        }
    }

    pub fn select_first(&mut self) {
        self.selected = 0;
    }

    pub fn select_last(&mut self) {
        if let Some(&node) = self.visible().last() {
            self.selected = node;
        }
    }

    /// The next node after the selection (or before it, going back) for which `matches` holds, in
    /// pre-order over all nodes, collapsed or not, wrapping around. The selection itself counts last.
    pub fn find(&self, forward: bool, matches: impl Fn(usize) -> bool) -> Option<usize> {
        let n = self.len();
        (1..=n)
            .map(|k| {
                if forward {
                    (self.selected + k) % n
                } else {
                    (self.selected + n * k - k) % n
                }
            })
            .find(|&i| matches(i))
    }
}

/// Draws the visible rows into `area`: the selection marker, indentation, an open/closed marker for nodes
/// with children, then the screen's spans for the node (given the node and its depth). Only the rows in
/// the window are built; the window follows the selection (docs/performance.md §1.2).
pub fn render<'a>(
    frame: &mut Frame,
    area: Rect,
    state: &mut TreeState,
    theme: &Theme,
    label: impl Fn(usize, usize) -> Vec<Span<'a>>,
) {
    let height = usize::from(area.height);
    if height == 0 {
        return;
    }
    let at = state.selected_row();
    let range = state.viewport.follow(Some(at), state.rows.len(), height);
    let state = &*state;
    let lines: Vec<Line> = crate::widgets::list_cursor::shown(&state.rows, &range)
        .iter()
        .map(|&node| {
            let selected = node == state.selected;
            let marker = if !state.has_children(node) {
                "  "
            } else if state.is_expanded(node) {
                "▾ "
            } else {
                "▸ "
            };
            let mut spans = vec![
                Span::raw(if selected { "▶ " } else { "  " }),
                Span::raw("  ".repeat(state.depth(node))),
                Span::styled(marker, theme.muted),
            ];
            spans.extend(label(node, state.depth(node)));
            let line = Line::from(spans);
            if selected {
                line.style(theme.selected)
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

#[cfg(test)]
mod tests {
    use super::*;

    // 0
    // ├ 1
    // │ └ 2
    // └ 3
    // 4
    // └ 5
    fn sample() -> TreeState {
        TreeState::new(vec![None, Some(0), Some(1), Some(0), None, Some(4)])
    }

    #[test]
    fn starts_collapsed_with_the_top_level_visible() {
        let t = sample();
        assert_eq!(t.visible(), vec![0, 4]);
        assert_eq!(t.depth(2), 2);
        assert!(t.has_children(1) && !t.has_children(2));
    }

    #[test]
    fn expand_collapse_and_move() {
        let mut t = sample();
        t.expand();
        assert_eq!(t.visible(), vec![0, 1, 3, 4]);
        t.move_by(1);
        assert_eq!(t.selected(), Some(1));
        t.collapse(); // a closed node: go to the parent
        assert_eq!(t.selected(), Some(0));
        t.collapse();
        assert_eq!(t.visible(), vec![0, 4]);
        t.move_by(10);
        assert_eq!(t.selected(), Some(4));
        t.move_by(-10);
        assert_eq!(t.selected(), Some(0));
    }

    #[test]
    fn all_and_reveal() {
        let mut t = sample();
        t.expand_all();
        assert_eq!(t.visible(), vec![0, 1, 2, 3, 4, 5]);
        t.reveal(2);
        t.collapse_all();
        assert_eq!(t.selected(), Some(0));
        assert_eq!(t.visible(), vec![0, 4]);
        t.reveal(5);
        assert_eq!(t.visible(), vec![0, 4, 5]);
        assert_eq!(t.selected(), Some(5));
    }

    #[test]
    fn find_wraps_both_ways() {
        let mut t = sample();
        t.reveal(3);
        let even = |i: usize| i.is_multiple_of(2);
        assert_eq!(t.find(true, even), Some(4));
        assert_eq!(t.find(false, even), Some(2));
        assert_eq!(t.find(true, |i| i == 3), Some(3));
        assert_eq!(t.find(true, |_| false), None);
    }

    #[test]
    fn a_forward_parent_is_ignored() {
        let t = TreeState::new(vec![Some(1), None]);
        assert_eq!(t.visible(), vec![0, 1]);
        assert!(TreeState::new(Vec::new()).selected().is_none());
    }
}
