//! Step 4: searching the accessories and entering quantities.

use super::{OrderWizardScreen, view};
use crate::keymap::Action;

impl OrderWizardScreen {
    /// The catalog entries matching the search, grouped by subcategory (702, 703, 704, 705).
    pub(super) fn matching(&self) -> Vec<usize> {
        let query = self.acc.search.value().to_lowercase();
        let terms: Vec<&str> = query.split_whitespace().collect();
        let mut v: Vec<usize> = (0..self.catalog.len())
            .filter(|i| {
                let a = &self.catalog[*i];
                let hay = format!("{} {}", a.id, a.name).to_lowercase();
                terms.iter().all(|t| hay.contains(t))
            })
            .collect();
        v.sort_by_key(|i| view::group_code(&self.catalog[*i].subcategory));
        v
    }

    pub(super) fn cursor_id(&self) -> Option<String> {
        let m = self.matching();
        m.get(self.acc.cursor.min(m.len().saturating_sub(1)))
            .map(|i| self.catalog[*i].id.clone())
    }

    pub(super) fn move_cursor(&mut self, to: usize) {
        let n = self.matching().len();
        let to = to.min(n.saturating_sub(1));
        if to != self.acc.cursor {
            self.acc.digits.clear();
        }
        self.acc.cursor = to;
    }

    pub(super) fn set_qty(&mut self, qty: i32) {
        let Some(id) = self.cursor_id() else {
            return;
        };
        let b = self.selected();
        if let Some(build) = self.state.builds.get_mut(b) {
            build.set_accessory_qty(&id, qty);
        }
    }

    pub(super) fn qty(&self) -> i32 {
        match (self.cursor_id(), self.state.builds.get(self.selected())) {
            (Some(id), Some(b)) => b.accessory_qty(&id),
            _ => 0,
        }
    }

    pub(super) fn accessory_char(&mut self, c: char) {
        if !self.acc.in_list {
            if self.acc.search.type_char(c) {
                self.acc.cursor = 0;
            }
            return;
        }
        match c {
            '0'..='9' => {
                if self.acc.digits.len() >= 2 {
                    self.acc.digits.clear();
                }
                self.acc.digits.push(c);
                let qty = self.acc.digits.parse().unwrap_or(0);
                self.set_qty(qty);
            }
            '+' => self.set_qty(self.qty() + 1),
            '-' => self.set_qty(self.qty() - 1),
            ' ' => {}
            // Any other key searches: typing a name needs no key to get there first.
            other => {
                self.acc.in_list = false;
                self.acc.digits.clear();
                if self.acc.search.type_char(other) {
                    self.acc.cursor = 0;
                }
            }
        }
    }

    pub(super) fn accessory_action(&mut self, action: Action) {
        if !self.acc.in_list {
            match action {
                Action::NextField | Action::PrevField | Action::Down | Action::Accept => {
                    self.acc.in_list = true;
                    self.move_cursor(0);
                }
                other => {
                    if self.acc.search.edit(other) {
                        self.acc.cursor = 0;
                    }
                }
            }
            return;
        }
        let cur = self.acc.cursor;
        match action {
            Action::NextField | Action::PrevField => {
                self.acc.in_list = false;
                self.acc.digits.clear();
            }
            Action::Up if cur == 0 => {
                self.acc.in_list = false;
                self.acc.digits.clear();
            }
            Action::Up => self.move_cursor(cur - 1),
            Action::Down => self.move_cursor(cur + 1),
            Action::LineStart => self.move_cursor(0),
            Action::LineEnd => self.move_cursor(usize::MAX),
            Action::Increase => {
                self.acc.digits.clear();
                self.set_qty(self.qty() + 1);
            }
            Action::Decrease => {
                self.acc.digits.clear();
                self.set_qty(self.qty() - 1);
            }
            Action::Accept | Action::NextChoice if self.qty() == 0 => self.set_qty(1),
            Action::DeleteBack => {
                if self.acc.digits.pop().is_none() {
                    self.acc.digits = (self.qty() / 10).to_string();
                }
                let qty = self.acc.digits.parse().unwrap_or(0);
                self.set_qty(qty);
            }
            Action::RemoveRow | Action::ClearField | Action::DeleteForward => {
                self.acc.digits.clear();
                self.set_qty(0);
            }
            _ => {}
        }
    }

    pub(super) fn review_action(&mut self, action: Action) {
        match action {
            Action::Down | Action::NextField => self.review_scroll += 1,
            Action::Up | Action::PrevField => {
                self.review_scroll = self.review_scroll.saturating_sub(1);
            }
            _ => {}
        }
    }
}
