//! Which fields have errors, and moving the focus between fields.

use super::form::{self, Item, Kind};
use super::state::{Fid, Step};
use super::{Modal, OrderWizardScreen, Phase, Status, scope_of};
use crate::widgets::form_field::FormField;
use std::collections::HashMap;

impl OrderWizardScreen {
    /// Every error of `step` (for build `b` in steps 3-4), visible or not.
    pub(super) fn step_errors(&self, step: Step, b: usize) -> Vec<(Fid, String)> {
        let mut errors = match step {
            Step::Customer => self
                .today
                .map(|t| self.state.header.errors(t))
                .unwrap_or_default(),
            Step::Builds => self.state.build_errors(),
            Step::Configuration => self
                .state
                .builds
                .get(b)
                .map(|d| d.config_errors(self.state.family))
                .unwrap_or_default(),
            Step::Accessories => self
                .state
                .builds
                .get(b)
                .map(|d| d.accessory_errors(self.state.family))
                .unwrap_or_default(),
            Step::Review => Vec::new(),
        };
        let scope = scope_of(step, b);
        for ((s, f), m) in &self.remote {
            if *s == scope && !errors.iter().any(|(g, _)| g == f) {
                errors.push((*f, m.clone()));
            }
        }
        errors
    }

    /// True when `step` has no error in any build.
    pub(super) fn step_ok(&self, step: Step) -> bool {
        match step {
            Step::Customer | Step::Builds => self.step_errors(step, 0).is_empty(),
            Step::Configuration | Step::Accessories => {
                (0..self.state.builds.len()).all(|b| self.step_errors(step, b).is_empty())
            }
            Step::Review => true,
        }
    }

    /// The errors shown now: of fields left already, or all after a refused Next.
    pub(super) fn visible_errors(&self) -> HashMap<Fid, String> {
        let scope = self.scope();
        let all = self.revealed.contains(&scope);
        let mut errors: HashMap<Fid, String> = self
            .step_errors(self.step(), self.selected())
            .into_iter()
            .filter(|(f, _)| all || self.touched.contains(&(scope, *f)))
            .collect();
        // Not a step error: a refused file only stays unadded, it does not hold the step back.
        if self.step() == Step::Customer
            && let Some((path, message)) = &self.attach_error
            && *path == self.state.attach_path
        {
            errors.insert(Fid::AttachPath, message.clone());
        }
        errors
    }

    pub(super) fn touch(&mut self, fid: Fid) {
        let scope = self.scope();
        self.touched.insert((scope, fid));
        if let Some(section) = fid.section() {
            self.touched.insert((scope, section));
        }
    }

    /// Shows every error of the current step and puts the focus on the first.
    pub(super) fn reveal(&mut self) {
        self.revealed.insert(self.scope());
        let errors = self.step_errors(self.step(), self.selected());
        let fields = self.fields();
        let first = errors
            .iter()
            .filter_map(|(f, _)| {
                let f = match f {
                    Fid::Faucets => Fid::AddFaucet,
                    Fid::Sprayers => Fid::AddSprayer,
                    Fid::Basins => Fid::Model,
                    other => *other,
                };
                fields.iter().position(|g| *g == f)
            })
            .min();
        if let Some(i) = first {
            self.set_focus(fields.get(i).copied());
        }
    }

    // ----- focus --------------------------------------------------------------------------------------

    pub(super) fn items(&self) -> Vec<Item> {
        form::items(&self.state, self.step(), self.selected())
    }

    pub(super) fn fields(&self) -> Vec<Fid> {
        form::focusable(&self.items())
    }

    /// Moves the focus; the field left is checked from now on.
    pub(super) fn set_focus(&mut self, fid: Option<Fid>) {
        if fid == self.focus {
            return;
        }
        self.leave_field();
        self.focus = fid;
        self.editor = None;
        if let Some(f) = fid
            && let Some(i) = self.fields().iter().position(|g| *g == f)
        {
            self.focus_pos = i;
        }
    }

    pub(super) fn leave_field(&mut self) {
        let Some(fid) = self.focus else {
            return;
        };
        self.touch(fid);
        if fid == Fid::Count {
            self.apply_count();
        }
    }

    /// After the fields changed (a row added, a build switched): the focus stays or lands nearby.
    pub(super) fn fix_focus(&mut self) {
        let fields = self.fields();
        match self.focus.and_then(|f| fields.iter().position(|g| *g == f)) {
            Some(i) => self.focus_pos = i,
            None => {
                self.focus = fields
                    .get(self.focus_pos.min(fields.len().saturating_sub(1)))
                    .copied();
                self.editor = None;
            }
        }
    }

    pub(super) fn move_focus(&mut self, forward: bool, wrap: bool) {
        let fields = self.fields();
        if fields.is_empty() {
            return;
        }
        let n = fields.len();
        let i = self
            .focus
            .and_then(|f| fields.iter().position(|g| *g == f))
            .unwrap_or(self.focus_pos.min(n - 1));
        let next = match (forward, wrap) {
            (true, true) => (i + 1) % n,
            (false, true) => (i + n - 1) % n,
            (true, false) => (i + 1).min(n - 1),
            (false, false) => i.saturating_sub(1),
        };
        self.set_focus(fields.get(next).copied());
    }

    /// Ctrl-↓: the first field of the next section. Ctrl-↑: the first field of the current section, or
    /// of the previous one when already there (docs/lifecycle.md §6.4.1). No wrap at either end.
    pub(super) fn jump_section(&mut self, forward: bool) {
        let sections = form::sections(&self.items());
        let Some(cur) = self
            .focus
            .and_then(|f| sections.iter().position(|(_, s)| s.contains(&f)))
        else {
            return;
        };
        let first = |k: usize| sections.get(k).and_then(|(_, s)| s.first()).copied();
        let target = if forward {
            first(cur + 1)
        } else if first(cur) != self.focus {
            first(cur)
        } else {
            cur.checked_sub(1).and_then(first)
        };
        if target.is_some() {
            self.set_focus(target);
        }
    }

    /// The index in `items` of the heading of the section the focus is in.
    pub(super) fn focused_heading(&self, items: &[Item]) -> Option<usize> {
        let focus = self.focus?;
        form::sections(items)
            .into_iter()
            .find(|(_, s)| s.contains(&focus))
            .and_then(|(h, _)| h)
    }

    pub(super) fn is_last_field(&self) -> bool {
        self.fields().last().copied() == self.focus
    }

    /// The focused text field's editor, made from the state when missing.
    pub(super) fn editor_mut(&mut self) -> Option<&mut FormField> {
        let fid = self.focus?;
        let scope = self.scope();
        let fresh = !matches!(&self.editor, Some((s, f, _)) if *s == scope && *f == fid);
        if fresh {
            let spec = form::spec(&self.state, self.selected(), fid, self.today);
            let Kind::Text { value, max_len } = spec.kind else {
                self.editor = None;
                return None;
            };
            let mut field = FormField::text(spec.label).with_max_len(max_len);
            field.set_value(&value);
            self.editor = Some((scope, fid, field));
        }
        self.editor.as_mut().map(|(_, _, f)| f)
    }

    /// Copies the editor's text into the state; a changed field loses the server's error.
    pub(super) fn sync_editor(&mut self) {
        let Some((scope, fid, field)) = &self.editor else {
            return;
        };
        let (scope, fid, value) = (*scope, *fid, field.value());
        let b = self.selected();
        if let Some(text) = form::text_mut(&mut self.state, b, fid)
            && *text != value
        {
            *text = value;
            self.remote.remove(&(scope, fid));
            if matches!(self.status, Status::Error(_)) {
                self.status = Status::None;
            }
        }
    }

    pub(super) fn handle_char(&mut self, c: char) {
        if self.modal != Modal::None || self.phase != Phase::Ready {
            return;
        }
        if matches!(self.status, Status::Info(_)) {
            self.status = Status::None;
        }
        if self.step() == Step::Accessories {
            self.accessory_char(c);
            return;
        }
        if let Some(field) = self.editor_mut()
            && field.type_char(c)
        {
            self.sync_editor();
        }
    }

    pub(super) fn handle_paste(&mut self, text: &str) {
        if self.modal != Modal::None || self.phase != Phase::Ready {
            return;
        }
        if self.step() == Step::Accessories {
            if !self.acc.in_list && self.acc.search.paste(text) {
                self.acc.cursor = 0;
            }
            return;
        }
        if let Some(field) = self.editor_mut()
            && field.paste(text)
        {
            self.sync_editor();
        }
    }
}
