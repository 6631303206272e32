//! A bounded window over a keyset-paged list (docs/performance.md §1.3 to §1.8).
//!
//! A list that pages by keyset (each page asked for with the cursor after the previous page's last
//! row) holds at most a few pages of rows, those around the selection. Every page the user reached
//! keeps its cursor and its row count, so the rows are numbered from the top of the list whether held
//! or not, the footer counts every row reached, and a page that was let go is asked for again with its
//! own cursor when the selection comes back to it. The selection is a row number: it stays on its row
//! while pages arrive and are let go.
//!
//! The window sends its own requests through [`Ctx::request`]; the screen says how a page is asked for
//! (`ask`: the cursor in, `None` for the first page; the request out, `None` when it cannot be asked,
//! e.g. without a session) and hands back the pages that answer them.

use crate::keymap::Action;
use crate::msg::{Command, Request, RequestId};
use crate::screens::Ctx;
use crate::screens::pending::Pending;
use crate::screens::selection::moved;
use crate::widgets::list_cursor::ListCursor;
use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;
use std::ops::Range;

/// A row with an identity that stays the same when its page is asked for again.
pub trait ListRow {
    type Id: Eq + Hash + Clone;
    fn row_id(&self) -> Self::Id;
}

/// Figures a list keeps over every row it has seen since its last reload (column widths): each row is
/// added once when its page arrives, so drawing never goes over the rows (docs/performance.md §1.6).
pub trait Tally<T>: Default {
    fn add(&mut self, row: &T);
}

impl<T> Tally<T> for () {
    fn add(&mut self, _row: &T) {}
}

/// A page the user reached: the cursor it is asked for with, and where its rows stand in the list.
#[derive(Debug, Clone)]
struct Mark {
    after: Option<String>,
    start: usize,
    len: usize,
}

impl Mark {
    fn end(&self) -> usize {
        self.start + self.len
    }
}

/// The next page on its way: the cursor it was asked with, and the row selected when it was asked
/// (the selection moves onto the first new row only if it is still there).
#[derive(Debug, Clone)]
struct More {
    after: Option<String>,
    from: Option<usize>,
}

pub struct ListWindow<T: ListRow, F: Tally<T> = ()> {
    /// Pages held in memory at most.
    held_max: usize,
    /// Every page reached since the last reload, in order.
    marks: Vec<Mark>,
    /// The rows of the pages held, by page number.
    held: BTreeMap<usize, Vec<T>>,
    /// Which held page each row is on: duplicates are found in constant time.
    ids: HashMap<T::Id, usize>,
    /// The cursor of the page after the last one reached; `None` when that was the last page.
    next: Option<String>,
    /// The selected row's number in the whole list, and the window drawn around it.
    cursor: ListCursor,
    /// The row to select again when the reload's first page arrives.
    keep: Option<T::Id>,
    figures: F,
    loaded: bool,
    first: Pending,
    more: Pending<More>,
    /// A page asked for again, by page number.
    again: Pending<usize>,
}

impl<T: ListRow, F: Tally<T>> ListWindow<T, F> {
    /// An empty window that holds at most `held_pages` pages of rows (at least three: the selection's
    /// page and one on each side).
    pub fn new(held_pages: usize) -> Self {
        ListWindow {
            held_max: held_pages.max(3),
            marks: Vec::new(),
            held: BTreeMap::new(),
            ids: HashMap::new(),
            next: None,
            cursor: ListCursor::default(),
            keep: None,
            figures: F::default(),
            loaded: false,
            first: Pending::new(),
            more: Pending::new(),
            again: Pending::new(),
        }
    }

    /// Rows reached since the last reload, held or not: the footer's "N shown"
    /// (docs/performance.md §1.7).
    pub fn len(&self) -> usize {
        self.marks.last().map_or(0, Mark::end)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Rows held in memory now.
    pub fn held(&self) -> usize {
        self.held.values().map(Vec::len).sum()
    }

    /// Pages reached since the last reload.
    pub fn pages(&self) -> usize {
        self.marks.len()
    }

    /// Row `i` of the list, if its page is held (`None`: beyond the end, or its page is on its way).
    pub fn row(&self, i: usize) -> Option<&T> {
        let p = self.page_of(i)?;
        let m = self.marks.get(p)?;
        self.held.get(&p)?.get(i - m.start)
    }

    /// The selected row's number in the whole list.
    pub fn selected_index(&self) -> Option<usize> {
        self.cursor.selected()
    }

    /// The selected row, when its page is held.
    pub fn selected(&self) -> Option<&T> {
        self.cursor.selected().and_then(|i| self.row(i))
    }

    /// The selection is on a row whose page is on its way.
    pub fn selection_loading(&self) -> bool {
        self.cursor.selected().is_some() && self.selected().is_none()
    }

    /// The list's figures over the rows seen since the last reload.
    pub fn figures(&self) -> &F {
        &self.figures
    }

    /// There are rows after the last one reached.
    pub fn has_more(&self) -> bool {
        self.next.is_some()
    }

    /// A first page has arrived since the window was made; before, an empty list means "loading".
    pub fn loaded(&self) -> bool {
        self.loaded
    }

    /// A reload's first page is on its way.
    pub fn loading_first(&self) -> bool {
        self.first.in_flight()
    }

    /// The page after the last one reached is on its way.
    pub fn loading_more(&self) -> bool {
        self.more.in_flight()
    }

    /// The rows to draw in a body of `height` rows: the window moves by three quarters of a page when
    /// the selection leaves it (docs/performance.md §1.2).
    pub fn visible(&mut self, height: usize) -> Range<usize> {
        let len = self.len();
        self.cursor.window(len, height)
    }

    /// Asks for the first page again (a new query, or a refresh); the page and any page still on its
    /// way are superseded. The selected row is selected again if the new first page holds it.
    pub fn reload(
        &mut self,
        ctx: &mut Ctx,
        ask: &impl Fn(&Ctx, Option<String>) -> Option<Request>,
    ) -> Command {
        let Some(request) = ask(ctx, None) else {
            return Command::None;
        };
        if self.keep.is_none() {
            self.keep = self.selected().map(ListRow::row_id);
        }
        self.more.clear();
        self.again.clear();
        self.first.begin(ctx, request, ())
    }

    /// Moves the selection for a list key. Down or PgDn on the last row reached asks for the next
    /// page; a selection on a page that was let go asks for that page again (docs/performance.md §1.4).
    pub fn step(
        &mut self,
        action: Action,
        ctx: &mut Ctx,
        ask: &impl Fn(&Ctx, Option<String>) -> Option<Request>,
    ) -> Command {
        let n = self.len();
        if n == 0 {
            return Command::None;
        }
        let cur = self.cursor.selected().unwrap_or(0).min(n - 1);
        self.cursor.select(Some(moved(cur, n, action)));
        if cur + 1 == n && matches!(action, Action::PageDown | Action::Down) {
            return self.load_more(ctx, ask);
        }
        self.fetch_missing(ctx, ask)
    }

    fn load_more(
        &mut self,
        ctx: &mut Ctx,
        ask: &impl Fn(&Ctx, Option<String>) -> Option<Request>,
    ) -> Command {
        if self.first.in_flight() || self.more.in_flight() {
            return Command::None;
        }
        let Some(cursor) = self.next.clone() else {
            return Command::None;
        };
        let Some(request) = ask(ctx, Some(cursor.clone())) else {
            return Command::None;
        };
        let more = More {
            after: Some(cursor),
            from: self.cursor.selected(),
        };
        self.more.begin(ctx, request, more)
    }

    /// The reply with this id is a page the window asked for.
    pub fn waits_for(&self, id: RequestId) -> bool {
        self.first.is(id) || self.more.is(id) || self.again.is(id)
    }

    /// The request with this id failed: stop waiting for it. A reload's failure forgets the row to
    /// select; a page asked for again stays "loading" until the selection asks for it again.
    pub fn failed(&mut self, id: RequestId) {
        if self.first.answered_by(id) {
            self.keep = None;
        }
        self.more.take(id);
        self.again.take(id);
    }

    /// A page arrived. Replies the window no longer waits for are dropped (docs/performance.md §1.8).
    pub fn arrived(
        &mut self,
        id: RequestId,
        rows: Vec<T>,
        next: Option<String>,
        ctx: &mut Ctx,
        ask: &impl Fn(&Ctx, Option<String>) -> Option<Request>,
    ) -> Command {
        if self.first.answered_by(id) {
            self.first_page(rows, next);
        } else if let Some(more) = self.more.take(id) {
            self.next_page(more, rows, next);
        } else if let Some(p) = self.again.take(id) {
            self.page_again(p, rows, next);
        } else {
            return Command::None;
        }
        self.let_go();
        self.fetch_missing(ctx, ask)
    }

    fn first_page(&mut self, rows: Vec<T>, next: Option<String>) {
        self.loaded = true;
        self.marks.clear();
        self.held.clear();
        self.ids.clear();
        self.figures = F::default();
        self.next = next;
        let rows = self.admit(0, rows);
        self.marks.push(Mark {
            after: None,
            start: 0,
            len: rows.len(),
        });
        self.held.insert(0, rows);
        let keep = self.keep.take();
        let selected = keep
            .and_then(|id| self.index_of(&id))
            .or((!self.is_empty()).then_some(0));
        // A new list: its window starts at the top again.
        self.cursor = ListCursor::default().with_selected(selected);
    }

    fn next_page(&mut self, more: More, rows: Vec<T>, next: Option<String>) {
        self.next = next;
        let p = self.marks.len();
        let rows = self.admit(p, rows);
        if rows.is_empty() {
            return;
        }
        let start = self.len();
        self.marks.push(Mark {
            after: more.after,
            start,
            len: rows.len(),
        });
        self.held.insert(p, rows);
        // The selection moves onto the first new row if it is still on the row it asked from.
        if more.from.is_some() && self.cursor.selected() == more.from {
            self.cursor.select(Some(start));
        }
    }

    /// A page asked for again: its rows may have changed since, so the rows after it are renumbered
    /// and the selection stays on its row (docs/performance.md §1.4).
    fn page_again(&mut self, p: usize, rows: Vec<T>, next: Option<String>) {
        let Some(old) = self.marks.get(p).cloned() else {
            return;
        };
        let selected_id = self.selected().map(ListRow::row_id);
        if let Some(before) = self.held.remove(&p) {
            for r in &before {
                self.ids.remove(&r.row_id());
            }
        }
        let rows = self.admit(p, rows);
        let new_len = rows.len();
        self.held.insert(p, rows);
        if p + 1 == self.marks.len() {
            self.next = next;
        }
        if let Some(m) = self.marks.get_mut(p) {
            m.len = new_len;
        }
        for m in self.marks.iter_mut().skip(p + 1) {
            m.start = m.start + new_len - old.len;
        }
        let n = self.len();
        let selected = match (
            selected_id.and_then(|id| self.index_of(&id)),
            self.cursor.selected(),
        ) {
            (Some(i), _) => Some(i),
            (None, Some(sel)) if sel >= old.end() => Some(sel + new_len - old.len),
            (None, sel) => sel,
        }
        .filter(|_| n > 0)
        .map(|i| i.min(n - 1));
        self.cursor.select(selected);
    }

    /// True when the row is held (shown or near the selection).
    pub fn holds(&self, id: &T::Id) -> bool {
        self.ids.contains_key(id)
    }

    /// Rows re-read after another station changed them (docs/live.md §3.2): `rows` are those of `asked`
    /// that still belong to the list. A held row is replaced where it stands; a held row that no longer
    /// belongs is taken out, and the rows after it move up. The selection stays on its row (on the
    /// next one when its own row went). Returns how many rows belong to the list but are not held: the
    /// list shows them after its next reload.
    pub fn patch(&mut self, asked: &[T::Id], rows: Vec<T>) -> usize {
        let mut fresh: HashMap<T::Id, T> = rows.into_iter().map(|r| (r.row_id(), r)).collect();
        let mut outside = 0;
        for id in asked {
            let Some(&p) = self.ids.get(id) else {
                outside += usize::from(fresh.remove(id).is_some());
                continue;
            };
            let Some(page) = self.held.get_mut(&p) else {
                continue;
            };
            let Some(pos) = page.iter().position(|r| r.row_id() == *id) else {
                continue;
            };
            match fresh.remove(id) {
                Some(row) => {
                    self.figures.add(&row);
                    page[pos] = row;
                }
                None => {
                    page.remove(pos);
                    self.ids.remove(id);
                    let gone = self.marks.get(p).map_or(0, |m| m.start) + pos;
                    if let Some(m) = self.marks.get_mut(p) {
                        m.len -= 1;
                    }
                    for m in self.marks.iter_mut().skip(p + 1) {
                        m.start -= 1;
                    }
                    let n = self.len();
                    let selected = self
                        .cursor
                        .selected()
                        .map(|s| if s > gone { s - 1 } else { s })
                        .filter(|_| n > 0)
                        .map(|s| s.min(n - 1));
                    self.cursor.select(selected);
                }
            }
        }
        outside
    }

    /// Keeps the rows of a page that are not held already, noting each in the id map and the figures
    /// (docs/performance.md §1.5).
    fn admit(&mut self, page: usize, rows: Vec<T>) -> Vec<T> {
        let mut kept = Vec::with_capacity(rows.len());
        for r in rows {
            let id = r.row_id();
            if self.ids.contains_key(&id) {
                continue;
            }
            self.ids.insert(id, page);
            self.figures.add(&r);
            kept.push(r);
        }
        kept
    }

    /// The row number of a held row.
    fn index_of(&self, id: &T::Id) -> Option<usize> {
        let p = *self.ids.get(id)?;
        let pos = self.held.get(&p)?.iter().position(|r| r.row_id() == *id)?;
        Some(self.marks.get(p)?.start + pos)
    }

    /// The page row `i` is on.
    fn page_of(&self, i: usize) -> Option<usize> {
        let p = self.marks.partition_point(|m| m.end() <= i);
        (p < self.marks.len()).then_some(p)
    }

    /// The page the selection is on (the last page when nothing is selected).
    fn selected_page(&self) -> usize {
        self.cursor
            .selected()
            .and_then(|i| self.page_of(i))
            .unwrap_or(self.marks.len().saturating_sub(1))
    }

    /// Lets go of the held pages farthest from the selection until at most `held_max` are held
    /// (docs/performance.md §1.3).
    fn let_go(&mut self) {
        let here = self.selected_page();
        while self.held.len() > self.held_max {
            let Some(far) = self.held.keys().copied().max_by_key(|p| p.abs_diff(here)) else {
                return;
            };
            if let Some(rows) = self.held.remove(&far) {
                for r in &rows {
                    self.ids.remove(&r.row_id());
                }
            }
        }
    }

    /// Asks again for the selection's page if it was let go, else for a page beside it, so moving on
    /// seldom meets a "loading" row. The selection's own page supersedes a neighbour on its way.
    fn fetch_missing(
        &mut self,
        ctx: &mut Ctx,
        ask: &impl Fn(&Ctx, Option<String>) -> Option<Request>,
    ) -> Command {
        if self.first.in_flight() || self.marks.is_empty() {
            return Command::None;
        }
        let here = self.selected_page();
        let missing = |p: usize| p < self.marks.len() && !self.held.contains_key(&p);
        let want = if missing(here) {
            here
        } else if self.again.in_flight() {
            return Command::None;
        } else if let Some(p) = [here.checked_sub(1), Some(here + 1)]
            .into_iter()
            .flatten()
            .find(|p| missing(*p))
        {
            p
        } else {
            return Command::None;
        };
        if self.again.with() == Some(&want) {
            return Command::None;
        }
        let Some(request) = self.marks.get(want).and_then(|m| ask(ctx, m.after.clone())) else {
            return Command::None;
        };
        self.again.begin(ctx, request, want)
    }
}

#[cfg(test)]
mod tests;
