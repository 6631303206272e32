//! The Versions view: picking a stored version, opening it, and the diff of two.

use super::{BomViewerScreen, Load, View};
use crate::domain::bom_diff::{self};
use crate::keymap::Action;
use crate::msg::{Command, Request};
use crate::screens::Ctx;
use uuid::Uuid;

impl BomViewerScreen {
    pub(super) fn on_versions_action(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        let last = self.version_count().saturating_sub(1);
        match action {
            Action::Up => self.version_selected = self.version_selected.saturating_sub(1),
            Action::Down => self.version_selected = (self.version_selected + 1).min(last),
            Action::PageUp => {
                self.version_selected = self.version_selected.saturating_sub(self.page);
            }
            Action::PageDown => {
                self.version_selected = (self.version_selected + self.page).min(last);
            }
            Action::First => self.version_selected = 0,
            Action::Last => self.version_selected = last,
            Action::MarkVersion => {
                if let Some(id) = self.selected_version().map(|v| v.id) {
                    self.marked = if self.marked == Some(id) {
                        None
                    } else {
                        Some(id)
                    };
                }
            }
            Action::Open => return self.open_selected(ctx),
            Action::ShowDiff => return self.start_diff(ctx),
            _ => {}
        }
        Command::None
    }

    pub(super) fn selected_version(&self) -> Option<&crate::domain::bom_document::BomVersionInfo> {
        self.versions
            .as_ref()
            .and_then(|v| v.versions.get(self.version_selected))
    }

    pub(super) fn open_selected(&mut self, ctx: &mut Ctx) -> Command {
        let Some((id, version)) = self.selected_version().map(|v| (v.id, v.version)) else {
            return Command::None;
        };
        self.notice = None;
        if self.docs.contains_key(&id) {
            self.show(id);
            self.view = View::Tree;
            return Command::None;
        }
        self.opening = Some(version);
        self.fetch(id, true, ctx)
    }

    pub(super) fn fetch(&mut self, bom_id: Uuid, show: bool, ctx: &mut Ctx) -> Command {
        let Some(token) = ctx.token() else {
            return Command::None;
        };
        self.request(
            Request::BomDocument {
                token,
                order_id: self.order_id,
                bom_id: Some(bom_id),
            },
            Load::Document { show },
            ctx,
        )
    }

    /// Compares the marked version with the selected one (or the selected with the current one when
    /// nothing is marked), the older first.
    pub(super) fn start_diff(&mut self, ctx: &mut Ctx) -> Command {
        let Some(list) = self.versions.as_ref() else {
            return Command::None;
        };
        let Some(selected) = list.versions.get(self.version_selected) else {
            return Command::None;
        };
        let other = match self.marked.filter(|m| *m != selected.id) {
            Some(m) => list.versions.iter().find(|v| v.id == m),
            None => list.versions.iter().find(|v| v.current),
        };
        let Some(other) = other.filter(|o| o.id != selected.id) else {
            self.notice = Some(
                "Mark a version with Space, select another one, then press d to compare them"
                    .to_string(),
            );
            return Command::None;
        };
        let pair = if other.version < selected.version {
            (other.id, selected.id)
        } else {
            (selected.id, other.id)
        };
        self.notice = None;
        self.diff_wanted = Some(pair);
        let mut cmd = Command::None;
        for id in [pair.0, pair.1] {
            if !self.docs.contains_key(&id) {
                cmd = cmd.and(self.fetch(id, false, ctx));
            }
        }
        self.try_diff();
        cmd
    }

    pub(super) fn try_diff(&mut self) {
        let Some((old, new)) = self.diff_wanted else {
            return;
        };
        if let (Some(a), Some(b)) = (self.docs.get(&old), self.docs.get(&new)) {
            self.diff = Some(bom_diff::diff(a, b));
            self.diff_scroll = 0;
            self.diff_wanted = None;
        }
    }

    pub(super) fn on_diff_action(&mut self, action: Action) {
        match action {
            Action::Back | Action::NextView | Action::PrevView => self.diff = None,
            Action::Up => self.diff_scroll = self.diff_scroll.saturating_sub(1),
            Action::Down => self.diff_scroll += 1,
            Action::PageUp => self.diff_scroll = self.diff_scroll.saturating_sub(self.page),
            Action::PageDown => self.diff_scroll += self.page,
            Action::First => self.diff_scroll = 0,
            Action::Last => self.diff_scroll = usize::MAX,
            Action::Refresh => {}
            _ => {}
        }
    }
}
