//! Copying the configuration or accessories from another build.

use super::state::Step;
use super::{Ask, Modal, OrderWizardScreen, Status};
use crate::keymap::Action;

impl OrderWizardScreen {
    pub(super) fn open_picker(&mut self) {
        let step = self.step();
        if self.edit.is_some() {
            self.status = Status::Info(
                "Copying needs the other builds of the PO: use the new-order wizard.".into(),
            );
            return;
        }
        if !matches!(step, Step::Configuration | Step::Accessories) {
            return;
        }
        let b = self.selected();
        let sources: Vec<usize> = (0..self.state.builds.len()).filter(|i| *i != b).collect();
        if sources.is_empty() {
            self.status = Status::Info("This PO has no other build to copy from.".into());
            return;
        }
        self.modal = Modal::Picker {
            accessories: step == Step::Accessories,
            sources,
            selected: 0,
        };
    }

    pub(super) fn on_picker(&mut self, action: Action) {
        let Modal::Picker {
            accessories,
            sources,
            selected,
        } = &mut self.modal
        else {
            return;
        };
        let last = sources.len().saturating_sub(1);
        match action {
            Action::Up | Action::PageUp | Action::First => {
                *selected = if action == Action::Up {
                    selected.saturating_sub(1)
                } else {
                    0
                };
            }
            Action::Down | Action::PageDown | Action::Last => {
                *selected = if action == Action::Down {
                    (*selected + 1).min(last)
                } else {
                    last
                };
            }
            Action::Cancel => self.modal = Modal::None,
            Action::Choose => {
                let (accessories, source) = (*accessories, sources.get(*selected).copied());
                self.modal = Modal::None;
                let Some(source) = source else {
                    return;
                };
                let Some(target) = self.state.builds.get(self.selected()) else {
                    return;
                };
                if accessories {
                    if target.accessories.is_empty() {
                        self.copy_accessories(source);
                    } else {
                        self.modal = Modal::Ask(Ask::ReplaceAccessories { source });
                    }
                } else {
                    let mut bare = target.clone();
                    bare.accessories.clear();
                    if bare.has_config() {
                        self.modal = Modal::Ask(Ask::ReplaceConfig { source });
                    } else {
                        self.copy_config(source);
                    }
                }
            }
            _ => {}
        }
    }

    pub(super) fn copy_config(&mut self, source: usize) {
        let b = self.selected();
        let Some(from) = self.state.builds.get(source).cloned() else {
            return;
        };
        if let Some(target) = self.state.builds.get_mut(b) {
            target.copy_config_from(&from);
        }
        self.editor = None;
        self.fix_focus();
        self.status = Status::Info(format!(
            "Copied the configuration of {} to {}.",
            self.state.build_label(source),
            self.state.build_label(b)
        ));
    }

    pub(super) fn copy_accessories(&mut self, source: usize) {
        let b = self.selected();
        let Some(lines) = self.state.builds.get(source).map(|s| s.accessories.clone()) else {
            return;
        };
        if let Some(target) = self.state.builds.get_mut(b) {
            target.accessories = lines;
        }
        self.status = Status::Info(format!(
            "Copied the accessories of {} to {}.",
            self.state.build_label(source),
            self.state.build_label(b)
        ));
    }
}
