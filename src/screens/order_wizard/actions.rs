//! Keys on the form: turning choices, pressing buttons, removing rows, switching builds, and step 2's count.

use super::form::{self, Kind, Turned};
use super::state::{BuildDraft, Fid, Step};
use super::{Ask, Modal, OrderWizardScreen, Phase, Scope, Status};
use crate::domain::order_rules as rules;
use crate::keymap::Action;
use crate::msg::Command;
use crate::screens::Ctx;

impl OrderWizardScreen {
    pub(super) fn handle_action(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        // A confirmation is read by the next key.
        if matches!(self.status, Status::Info(_)) {
            self.status = Status::None;
        }
        match self.modal {
            Modal::Resume => return self.on_resume(action, ctx),
            Modal::Leave => return self.on_leave(action, ctx),
            Modal::Ask(_) => return self.on_ask(action, ctx),
            Modal::Picker { .. } => {
                self.on_picker(action);
                return Command::None;
            }
            Modal::None => {}
        }
        if self.phase != Phase::Ready {
            if matches!(action, Action::Back | Action::Cancel) {
                self.leave(ctx);
            }
            return Command::None;
        }
        match action {
            Action::NextStep => self.next_step(ctx),
            Action::PrevStep => self.prev_step(ctx),
            // While the order or the build is being saved, its outcome decides where to go.
            Action::Cancel if self.submit_req.in_flight() => Command::None,
            Action::Cancel => {
                self.cancel(ctx);
                Command::None
            }
            Action::NextBuild | Action::PrevBuild => {
                self.switch_build(action == Action::NextBuild);
                Command::None
            }
            Action::Save => self.save(ctx),
            Action::Submit => self.submit(ctx),
            Action::CopyFrom => {
                self.open_picker();
                Command::None
            }
            other => {
                match self.step() {
                    Step::Accessories => self.accessory_action(other),
                    Step::Review => self.review_action(other),
                    _ => return self.form_action(other, ctx),
                }
                Command::None
            }
        }
    }

    pub(super) fn form_action(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        let Some(fid) = self.focus else {
            return Command::None;
        };
        let button = matches!(self.focus_kind(), Some(Kind::Button(_)));
        match action {
            Action::NextField => self.move_focus(true, true),
            Action::PrevField => self.move_focus(false, true),
            Action::Down => self.move_focus(true, false),
            Action::Up => self.move_focus(false, false),
            Action::NextSection | Action::PrevSection => {
                self.jump_section(action == Action::NextSection);
            }
            Action::Accept
                if matches!(fid, Fid::AttachPath | Fid::AttachType)
                    && !self.state.attach_path.trim().is_empty() =>
            {
                return self.check_attachment(ctx);
            }
            Action::Accept if button => self.press(fid),
            // Enter on the last field goes on, like a Next button under the form.
            Action::Accept if self.is_last_field() => return self.next_step(ctx),
            Action::Accept => self.move_focus(true, false),
            Action::NextChoice if button => self.press(fid),
            Action::NextChoice | Action::PrevChoice => {
                self.turn(fid, action == Action::NextChoice);
            }
            Action::RemoveRow => self.remove_row(fid),
            other => {
                if let Some(field) = self.editor_mut()
                    && field.edit(other)
                {
                    self.sync_editor();
                }
            }
        }
        Command::None
    }

    pub(super) fn turn(&mut self, fid: Fid, forward: bool) {
        let b = self.selected();
        match form::turn_choice(&mut self.state, b, fid, forward) {
            Turned::No => return,
            Turned::Done => {}
            Turned::ConfirmModel { model, basins } => {
                self.modal = Modal::Ask(Ask::RemoveBasins { model, basins });
                return;
            }
        }
        // A choice is decided at once: its error (e.g. a family not yet available) shows now.
        self.touch(fid);
        self.fix_focus();
    }

    /// The "+ Add faucet" and "+ Add sprayer" rows.
    pub(super) fn press(&mut self, fid: Fid) {
        let b = self.selected();
        let Some(build) = self.state.builds.get_mut(b) else {
            return;
        };
        let focus = match fid {
            Fid::AddFaucet => form::add_row(build, true),
            Fid::AddSprayer => form::add_row(build, false),
            _ => return,
        };
        self.touch(fid);
        self.set_focus(Some(focus));
    }

    pub(super) fn remove_row(&mut self, fid: Fid) {
        if let Fid::Attachment(i) = fid {
            if i < self.state.attachments.len() {
                self.state.attachments.remove(i);
                self.focus = Some(if i < self.state.attachments.len() {
                    Fid::Attachment(i)
                } else {
                    Fid::AttachPath
                });
                self.editor = None;
                self.fix_focus();
            }
            return;
        }
        let b = self.selected();
        let Some(build) = self.state.builds.get_mut(b) else {
            return;
        };
        match form::remove_row(build, fid) {
            Some(next) => {
                self.touch(fid);
                self.focus = Some(next);
                self.editor = None;
                self.fix_focus();
            }
            None => {
                self.status = Status::Info("Move to a faucet or sprayer row to remove it.".into());
            }
        }
    }

    pub(super) fn switch_build(&mut self, forward: bool) {
        if self.step() < Step::Configuration || self.edit.is_some() {
            return;
        }
        self.leave_field();
        let n = self.state.builds.len();
        let b = self.selected();
        let next = if forward {
            (b + 1).min(n.saturating_sub(1))
        } else {
            b.saturating_sub(1)
        };
        if next == b {
            return;
        }
        self.state.selected = next;
        self.reset_view();
    }

    /// A fresh start of the step's view: first field, top of lists.
    pub(super) fn reset_view(&mut self) {
        self.editor = None;
        self.scroll = 0;
        self.review_scroll = 0;
        self.focus_pos = 0;
        self.focus = self.fields().first().copied();
        self.acc.cursor = 0;
        self.acc.scroll = 0;
        self.acc.digits.clear();
        self.acc.in_list = false;
        self.acc.search.clear();
    }

    // ----- step 2: the number of sinks ----------------------------------------------------------------

    /// Makes the build list follow the typed count; asks before dropping builds with input.
    pub(super) fn apply_count(&mut self) {
        let Ok(n) = rules::parse_build_count(&self.state.count) else {
            return;
        };
        let len = self.state.builds.len();
        if n > len {
            self.state.builds.resize_with(n, BuildDraft::default);
        } else if n < len {
            if self.state.builds[n..].iter().any(BuildDraft::has_input) {
                self.modal = Modal::Ask(Ask::RemoveBuilds { keep: n });
                return;
            }
            self.remove_builds(n);
        }
    }

    pub(super) fn remove_builds(&mut self, keep: usize) {
        self.state.builds.truncate(keep.max(1));
        self.state.selected = self.state.selected.min(self.state.builds.len() - 1);
        self.remote.retain(
            |(s, f), _| !matches!((s, f), (Scope::Builds, Fid::BuildNumber(i)) if *i >= keep),
        );
        self.touched
            .retain(|(s, _)| !matches!(s, Scope::Build(i) if *i >= keep));
        self.revealed
            .retain(|s| !matches!(s, Scope::Build(i) if *i >= keep));
        self.fix_focus();
    }
}
