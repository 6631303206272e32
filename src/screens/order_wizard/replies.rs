//! The server's replies.

use super::state::{self, BuildDraft, Fid, Step, WizardState};
use super::{Modal, OrderWizardScreen, Phase, Preview, Scope, Status, bom_failure};
use crate::domain::order::OrderStatus;
use crate::domain::order_rules as rules;
use crate::msg::{Command, Reply, ServiceReply};
use crate::screens::{Ctx, Effect, ScreenId};
use crate::widgets::toast::Toast;

impl OrderWizardScreen {
    pub(super) fn handle_reply(&mut self, reply: ServiceReply, ctx: &mut Ctx) -> Command {
        if self.context_req.answered_by(reply.id) {
            return self.on_context(reply);
        }
        if self.detail_req.answered_by(reply.id) {
            self.on_detail(reply);
            return Command::None;
        }
        if self.check_req.answered_by(reply.id) {
            self.status = Status::None;
            return match reply.result {
                Ok(Reply::NumbersChecked(check)) => self.on_numbers(check, ctx),
                Ok(_) => Command::None,
                Err(e) => {
                    self.status = Status::Error(e.user_message());
                    Command::None
                }
            };
        }
        if self.attach_req.answered_by(reply.id) {
            self.on_attachment(reply);
            return Command::None;
        }
        if self.submit_req.answered_by(reply.id) {
            self.on_submitted(reply, ctx);
            return Command::None;
        }
        if self.draft_req.answered_by(reply.id) {
            if let Err(e) = reply.result {
                ctx.toast(Toast::error(format!(
                    "The draft could not be saved: {}",
                    e.user_message()
                )));
            }
            return Command::None;
        }
        let Some(i) = self
            .previews
            .iter()
            .position(|p| *p == Preview::Pending(reply.id))
        else {
            return Command::None;
        };
        let label = self.state.build_label(i);
        self.previews[i] = match reply.result {
            Ok(Reply::BomPreview(p)) => Preview::Ready(p),
            Ok(_) => Preview::Failed(bom_failure(&label, "no preview was returned")),
            Err(e) => Preview::Failed(bom_failure(&label, &e.user_message())),
        };
        if matches!(self.status, Status::Error(_)) && self.submit_blocker().is_none() {
            self.status = Status::None;
        }
        Command::None
    }

    pub(super) fn on_context(&mut self, reply: ServiceReply) -> Command {
        match reply.result {
            Ok(Reply::WizardContext(c)) => {
                self.today = Some(c.today);
                self.catalog = c.accessories;
                match &mut self.edit {
                    Some(e) => {
                        if e.loaded {
                            self.phase = Phase::Ready;
                        }
                    }
                    None => {
                        self.phase = Phase::Ready;
                        if let Some(draft) = c.draft {
                            self.saved_draft = Some(draft);
                            self.modal = Modal::Resume;
                        }
                    }
                }
            }
            Ok(_) => {
                self.phase = Phase::Blocked("Unexpected reply from the server; try again.".into());
            }
            Err(e) => self.phase = Phase::Blocked(e.user_message()),
        }
        Command::None
    }

    pub(super) fn on_detail(&mut self, reply: ServiceReply) {
        let detail = match reply.result {
            Ok(Reply::Order(d)) => d,
            Ok(_) => {
                self.phase = Phase::Blocked("Unexpected reply from the server; try again.".into());
                return;
            }
            Err(e) => {
                self.phase = Phase::Blocked(e.user_message());
                return;
            }
        };
        if detail.status != OrderStatus::OrderCreated {
            self.phase = Phase::Blocked(format!(
                "Build {} is now {}; its configuration can no longer be changed",
                detail.build.build_number,
                detail.status.code()
            ));
            return;
        }
        let draft = BuildDraft::from_config(&detail.build);
        self.state = WizardState {
            step: Step::Configuration,
            header: state::HeaderDraft::from_header(&detail.header),
            family: detail.build.sink_family,
            builds: vec![draft.clone()],
            ..WizardState::default()
        };
        if let Some(e) = &mut self.edit {
            e.original = Some(draft);
            e.loaded = true;
        }
        if self.today.is_some() {
            self.phase = Phase::Ready;
        }
        self.reset_view();
    }

    pub(super) fn on_submitted(&mut self, reply: ServiceReply, ctx: &mut Ctx) {
        match reply.result {
            Ok(Reply::OrderCreated(created)) => {
                self.done = true;
                let numbers: Vec<&str> = created.builds.iter().map(|(_, n)| n.as_str()).collect();
                ctx.toast(Toast::info(format!(
                    "Created PO {} with {} build(s): {}",
                    created.po_number,
                    created.builds.len(),
                    numbers.join(", ")
                )));
                let target = created
                    .builds
                    .first()
                    .map_or(ScreenId::Home, |(id, _)| ScreenId::OrderDetail(*id));
                ctx.emit(Effect::Navigate(target));
            }
            Ok(Reply::OrderUpdated(row)) => {
                self.done = true;
                ctx.toast(Toast::info(format!(
                    "Saved build {}; its BOM was regenerated",
                    row.build_number
                )));
                ctx.emit(Effect::Navigate(ScreenId::OrderDetail(row.id)));
            }
            Ok(_) => {
                self.status = Status::Error("Unexpected reply from the server; try again.".into())
            }
            Err(e) => {
                let message = e.user_message();
                let po = self.state.header.po_number.trim().to_string();
                if message == rules::po_number_exists(&po) {
                    self.remote
                        .insert((Scope::Header, Fid::PoNumber), message.clone());
                }
                self.status = Status::Error(message);
            }
        }
    }
}
