//! Step 5: the BOM previews, and submitting or saving the order.

use super::state::{AttachmentDraft, Step};
use super::{OrderWizardScreen, Preview, Status};
use crate::domain::order::NewOrder;
use crate::msg::{Command, Request};
use crate::screens::Ctx;

impl OrderWizardScreen {
    pub(super) fn request_previews(&mut self, ctx: &mut Ctx) -> Command {
        let Some(token) = ctx.token() else {
            return Command::None;
        };
        let language = self.state.header.language;
        let family = self.state.family;
        let mut cmd = Command::None;
        self.previews = Vec::new();
        for b in &self.state.builds {
            let (id, c) = ctx.request(Request::PreviewBom {
                token: token.clone(),
                language,
                build: Box::new(b.to_config(family)),
            });
            self.previews.push(Preview::Pending(id));
            cmd = cmd.and(c);
        }
        cmd
    }

    /// Why Submit is not available now, if it is not.
    pub(super) fn submit_blocker(&self) -> Option<String> {
        for step in [
            Step::Customer,
            Step::Builds,
            Step::Configuration,
            Step::Accessories,
        ] {
            if !self.step_ok(step) {
                return Some(format!(
                    "Step {} ({}) has errors: go back and correct them.",
                    step.number(),
                    step.short()
                ));
            }
        }
        if self.previews.len() != self.state.builds.len()
            || self
                .previews
                .iter()
                .any(|p| matches!(p, Preview::Pending(_)))
        {
            return Some("… Generating the BOM previews".into());
        }
        self.previews.iter().find_map(|p| match p {
            Preview::Failed(m) => Some(m.clone()),
            _ => None,
        })
    }

    pub(super) fn new_order(&self) -> Option<NewOrder> {
        let header = self.state.header.to_header(self.today?)?;
        let builds = self
            .state
            .builds
            .iter()
            .map(|b| b.to_config(self.state.family))
            .collect();
        let attachments = self
            .state
            .attachments
            .iter()
            .map(AttachmentDraft::to_spec)
            .collect();
        Some(NewOrder {
            header,
            builds,
            attachments,
        })
    }

    pub(super) fn submit(&mut self, ctx: &mut Ctx) -> Command {
        if self.step() != Step::Review || self.submit_req.in_flight() || self.edit.is_some() {
            return Command::None;
        }
        if let Some(reason) = self.submit_blocker() {
            self.status = Status::Error(reason);
            return Command::None;
        }
        let (Some(order), Some(token)) = (self.new_order(), ctx.token()) else {
            return Command::None;
        };
        let cmd = self.submit_req.begin(
            ctx,
            Request::CreateOrder {
                token,
                order: Box::new(order),
            },
            (),
        );
        self.status = Status::Busy("… Creating the order".into());
        cmd
    }

    pub(super) fn save(&mut self, ctx: &mut Ctx) -> Command {
        let Some(order_id) = self.edit.as_ref().map(|e| e.order_id) else {
            return Command::None;
        };
        if self.submit_req.in_flight() {
            return Command::None;
        }
        self.leave_field();
        for step in [Step::Configuration, Step::Accessories] {
            if !self.step_errors(step, 0).is_empty() {
                if self.step() != step {
                    self.state.step = step;
                    self.reset_view();
                }
                self.reveal();
                self.status = Status::Error("Correct the marked fields before saving.".into());
                return Command::None;
            }
        }
        let (Some(build), Some(token)) = (self.state.builds.first(), ctx.token()) else {
            return Command::None;
        };
        let cmd = self.submit_req.begin(
            ctx,
            Request::UpdateBuild {
                token,
                order_id,
                build: Box::new(build.to_config(self.state.family)),
            },
            (),
        );
        self.status = Status::Busy("… Saving the build and regenerating its BOM".into());
        cmd
    }
}
