//! Moving between steps, and the server checks that guard them.

use super::state::{AttachmentDraft, Fid, Step};
use super::{Modal, OrderWizardScreen, Scope, Status, scope_of};
use crate::domain::order::NumberCheck;
use crate::domain::order_rules as rules;
use crate::msg::{Command, Reply, Request, ServiceReply};
use crate::screens::Ctx;

impl OrderWizardScreen {
    pub(super) fn next_step(&mut self, ctx: &mut Ctx) -> Command {
        if self.check_req.in_flight() || self.submit_req.in_flight() {
            return Command::None;
        }
        self.leave_field();
        if self.modal != Modal::None {
            return Command::None;
        }
        let step = self.step();
        if self.edit.is_some() && step == Step::Accessories {
            return self.save(ctx);
        }
        match step {
            Step::Customer | Step::Builds => {
                if !self.step_errors(step, 0).is_empty() {
                    return self.refuse();
                }
                self.check_numbers(ctx)
            }
            Step::Configuration | Step::Accessories => {
                let bad: Vec<usize> = (0..self.state.builds.len())
                    .filter(|b| !self.step_errors(step, *b).is_empty())
                    .collect();
                if let Some(first) = bad.first() {
                    for b in &bad {
                        self.revealed.insert(scope_of(step, *b));
                    }
                    if *first != self.selected() {
                        self.state.selected = *first;
                        self.reset_view();
                    }
                    return self.refuse();
                }
                match step.next() {
                    Some(next) => self.go(next, ctx),
                    None => Command::None,
                }
            }
            Step::Review => self.submit(ctx),
        }
    }

    pub(super) fn refuse(&mut self) -> Command {
        self.reveal();
        self.status = Status::Error(match self.step() {
            Step::Configuration | Step::Accessories if self.state.builds.len() > 1 => format!(
                "Correct the marked fields of {} to continue.",
                self.state.build_label(self.selected())
            ),
            _ => "Correct the marked fields to continue.".into(),
        });
        Command::None
    }

    pub(super) fn prev_step(&mut self, ctx: &mut Ctx) -> Command {
        if self.submit_req.in_flight() {
            return Command::None;
        }
        self.leave_field();
        if self.modal != Modal::None {
            return Command::None;
        }
        let first = if self.edit.is_some() {
            Step::Configuration
        } else {
            Step::Customer
        };
        match self.step().prev() {
            Some(p) if p >= first => {
                // An answer still on its way is for the step being left.
                self.check_req.clear();
                self.go(p, ctx)
            }
            _ => Command::None,
        }
    }

    /// Enters `step`; leaving a step saves the draft.
    pub(super) fn go(&mut self, step: Step, ctx: &mut Ctx) -> Command {
        self.state.step = step;
        self.status = Status::None;
        // The review reads from the first build; the other steps stay on the build in hand.
        self.state.selected = if step == Step::Review {
            0
        } else {
            self.selected().min(self.state.builds.len() - 1)
        };
        self.reset_view();
        let mut cmd = self.save_draft(ctx);
        if step == Step::Review {
            cmd = cmd.and(self.request_previews(ctx));
        }
        cmd
    }

    pub(super) fn check_numbers(&mut self, ctx: &mut Ctx) -> Command {
        let Some(token) = ctx.token() else {
            return Command::None;
        };
        let build_numbers = if self.step() == Step::Builds {
            self.state
                .builds
                .iter()
                .map(|b| b.number.trim().to_string())
                .collect()
        } else {
            Vec::new()
        };
        let cmd = self.check_req.begin(
            ctx,
            Request::CheckNumbers {
                token,
                po_number: self.state.header.po_number.trim().to_string(),
                build_numbers,
            },
            (),
        );
        self.status = Status::Busy("… Checking that the numbers are new".into());
        cmd
    }

    /// Asks the service whether the entered file may be attached.
    pub(super) fn check_attachment(&mut self, ctx: &mut Ctx) -> Command {
        if self.attach_req.in_flight() {
            return Command::None;
        }
        let Some(token) = ctx.token() else {
            return Command::None;
        };
        let cmd = self.attach_req.begin(
            ctx,
            Request::CheckAttachment {
                token,
                path: self.state.attach_path.trim().to_string(),
            },
            (),
        );
        self.status = Status::Busy("… Checking the file".into());
        cmd
    }

    pub(super) fn on_attachment(&mut self, reply: ServiceReply) {
        if matches!(self.status, Status::Busy(_)) {
            self.status = Status::None;
        }
        let path = self.state.attach_path.clone();
        match reply.result {
            Ok(Reply::AttachmentChecked(info)) => {
                self.state.attachments.push(AttachmentDraft {
                    path: path.trim().to_string(),
                    document_type: self.state.attach_type,
                    name: info.name,
                    size: info.size,
                });
                self.state.attach_path.clear();
                self.attach_error = None;
                if self.focus == Some(Fid::AttachPath) {
                    self.editor = None;
                }
                self.fix_focus();
            }
            Ok(_) => {}
            Err(e) => self.attach_error = Some((path, e.user_message())),
        }
    }

    pub(super) fn on_numbers(&mut self, check: NumberCheck, ctx: &mut Ctx) -> Command {
        let po = self.state.header.po_number.trim().to_string();
        if check.po_taken.is_some() {
            self.remote
                .insert((Scope::Header, Fid::PoNumber), rules::po_number_exists(&po));
        }
        for (number, in_po) in &check.builds_taken {
            if let Some(i) = self
                .state
                .builds
                .iter()
                .position(|b| b.number.trim().eq_ignore_ascii_case(number.trim()))
            {
                self.remote.insert(
                    (Scope::Builds, Fid::BuildNumber(i)),
                    rules::build_number_exists(self.state.builds[i].number.trim(), in_po),
                );
            }
        }
        if !self.step_errors(self.step(), 0).is_empty() {
            return self.refuse();
        }
        if check.po_taken.is_some() {
            // Another station took the PO number while this one was on step 2.
            self.status = Status::Error(format!(
                "{}: change it in step 1.",
                rules::po_number_exists(&po)
            ));
            return Command::None;
        }
        match self.step().next() {
            Some(next) => self.go(next, ctx),
            None => Command::None,
        }
    }
}
