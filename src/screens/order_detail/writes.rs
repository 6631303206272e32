//! Sending the writes the dialogs confirm, and taking the replies.

use super::{Gate, Mode, OrderDetailScreen, STILL_LOADING};
use crate::domain::lifecycle::{override_reason, pack_shipping, shipping_notes};
use crate::domain::order::{OrderAction, OrderStatus};
use crate::error::ServiceError;
use crate::msg::{Command, Reply, Request, ServiceReply};
use crate::screens::Ctx;
use crate::widgets::form_field::FormField;
use crate::widgets::toast::Toast;

impl OrderDetailScreen {
    pub(super) fn confirm_move(&mut self, ctx: &mut Ctx) -> Command {
        let Mode::ConfirmMove { targets, index, .. } = &self.mode else {
            return Command::None;
        };
        let Some(to) = targets.get(*index).copied() else {
            return Command::None;
        };
        // A signed move (T6, T10 with its optional fields) asks for the password first.
        if let Some(mode) = self.move_mode(to) {
            self.mode = mode;
            return Command::None;
        }
        self.transition(to, None, None, None, ctx)
    }

    pub(super) fn bom_version(&self) -> Option<i32> {
        self.detail
            .as_deref()
            .and_then(|d| d.bom.as_ref().map(|b| b.version))
    }

    pub(super) fn confirm_regenerate(&mut self, ctx: &mut Ctx) -> Command {
        let (Some(d), Some(token)) = (self.detail.as_deref(), ctx.token()) else {
            return Command::None;
        };
        let success = format!("BOM of {} regenerated", d.build.build_number);
        let request = Request::RegenerateBom {
            token,
            order_id: d.id,
        };
        self.writing.begin_if_idle(ctx, request, success)
    }

    fn approve_bom(&mut self, version: i32, password: String, ctx: &mut Ctx) -> Command {
        let (Some(d), Some(token)) = (self.detail.as_deref(), ctx.token()) else {
            return Command::None;
        };
        let success = format!("BOM version {version} of {} approved", d.build.build_number);
        let request = Request::ApproveBom {
            token,
            order_id: d.id,
            version,
            password,
        };
        self.writing.begin_if_idle(ctx, request, success)
    }

    pub(super) fn transition(
        &mut self,
        to: OrderStatus,
        note: Option<String>,
        override_reason: Option<String>,
        password: Option<String>,
        ctx: &mut Ctx,
    ) -> Command {
        let (Some(d), Some(token)) = (self.detail.as_deref(), ctx.token()) else {
            return Command::None;
        };
        let build = d.build.build_number.clone();
        let success = match (&override_reason, to) {
            (Some(_), _) => format!("{build} moved to {} (override)", to.title()),
            (None, OrderStatus::Shipped) => format!("{build} shipped"),
            (None, _) => format!("{build} moved to {}", to.title()),
        };
        let request = Request::Transition {
            token,
            order_id: d.id,
            from: d.status,
            to,
            note,
            override_reason,
            password,
        };
        self.writing.begin_if_idle(ctx, request, success)
    }

    pub(super) fn submit_form(&mut self, ctx: &mut Ctx) -> Command {
        if self.writing.in_flight() {
            return Command::None;
        }
        let Mode::Sign { gate, dialog } = &mut self.mode else {
            return Command::None;
        };
        let form = &mut dialog.form;
        if !form.is_last() {
            form.next();
            return Command::None;
        }
        form.clear_errors();
        dialog.error = None;
        // The write's own fields first, with the server's rules, so that a refusal keeps what was typed.
        let write = match gate {
            Gate::ApproveBom(version) => Ok((None, None, None, Some(*version))),
            Gate::Move(to) => Ok((Some(*to), None, None, None)),
            Gate::Ship => {
                let note = pack_shipping(&form.value(0), &form.value(1));
                match shipping_notes(note.as_deref()) {
                    Ok(_) => Ok((Some(OrderStatus::Shipped), note, None, None)),
                    Err(e) => Err(e),
                }
            }
            Gate::Override(targets) => {
                let (to, reason_field) = if targets.len() > 1 {
                    let idx = form.field(0).and_then(FormField::choice_index).unwrap_or(0);
                    (targets.get(idx).copied(), 1)
                } else {
                    (targets.first().copied(), 0)
                };
                match override_reason(&form.value(reason_field)) {
                    Ok(r) => Ok((to, None, Some(r), None)),
                    Err(e) => {
                        form.set_error(reason_field, e);
                        form.set_focus(reason_field);
                        return Command::None;
                    }
                }
            }
        };
        let (to, note, reason, version) = match write {
            Ok(w) => w,
            Err(e) => {
                dialog.error = Some(e);
                return Command::None;
            }
        };
        let Some(password) = dialog.password() else {
            return Command::None;
        };
        match (version, to) {
            (Some(version), _) => self.approve_bom(version, password, ctx),
            (None, Some(to)) => self.transition(to, note, reason, Some(password), ctx),
            (None, None) => Command::None,
        }
    }

    pub(super) fn submit_assign(&mut self, ctx: &mut Ctx) -> Command {
        let (Some(d), Some(token)) = (self.detail.as_deref(), ctx.token()) else {
            return Command::None;
        };
        let Mode::Assign {
            users,
            selected,
            loading: None,
            ..
        } = &self.mode
        else {
            return Command::None;
        };
        let build = d.build.build_number.clone();
        let current = d.assignee.as_ref().map(|(id, _)| *id);
        let (assignee, success) = match users.get(*selected) {
            Some(u) => (Some(u.id), format!("{build} assigned to {}", u.full_name)),
            // The entry after the users is "Unassign".
            None if current.is_some() => (None, format!("{build} unassigned")),
            None => return Command::None,
        };
        if assignee.is_some() && assignee == current {
            self.mode = Mode::Browse;
            ctx.toast(Toast::info(format!("{build} is already assigned to them")));
            return Command::None;
        }
        let request = Request::Assign {
            token,
            order_id: d.id,
            expected: d.status,
            assignee,
        };
        self.writing.begin_if_idle(ctx, request, success)
    }

    pub(super) fn handle_reply(&mut self, reply: ServiceReply, ctx: &mut Ctx) -> Command {
        if let Some(cmd) = self.hold_reply(&reply, ctx) {
            return cmd;
        }
        if let Some(cmd) = self.correction_reply(&reply, ctx) {
            return cmd;
        }
        if self.signatures_loading.answered_by(reply.id) {
            // A failed read leaves the section out; the detail itself says what is wrong.
            if let Ok(Reply::Signatures(list)) = reply.result {
                self.signatures = Some(list);
            }
            return Command::None;
        }
        if self.loading.answered_by(reply.id) {
            match reply.result {
                Ok(Reply::Order(detail)) => {
                    self.load_error = None;
                    let before = self.detail.replace(detail);
                    if self.notice.as_deref() == Some(STILL_LOADING) {
                        self.notice = None;
                    }
                    // A dialog whose action the reloaded build no longer offers would act on stale data.
                    if !self.mode_still_offered() {
                        self.mode = Mode::Browse;
                    }
                    return self.after_load(before.as_deref(), ctx);
                }
                Ok(_) => {}
                Err(e) => self.load_error = Some(e.user_message()),
            }
            return Command::None;
        }
        if let Mode::Assign {
            loading,
            users,
            selected,
            error,
            ..
        } = &mut self.mode
            && *loading == Some(reply.id)
        {
            *loading = None;
            match reply.result {
                Ok(Reply::Users(list)) => {
                    *users = list.into_iter().filter(|u| u.is_active).collect();
                    let current = self
                        .detail
                        .as_deref()
                        .and_then(|d| d.assignee.as_ref().map(|(id, _)| *id));
                    *selected = current
                        .and_then(|c| users.iter().position(|u| u.id == c))
                        .unwrap_or(0);
                }
                Ok(_) => {}
                Err(e) => *error = Some(e.user_message()),
            }
            return Command::None;
        }
        if self.exporting.take(reply.id).is_some() {
            self.on_dhr_written(reply, ctx);
            return Command::None;
        }
        let Some(success) = self.writing.take(reply.id) else {
            return Command::None;
        };
        match reply.result {
            Ok(_) => {
                self.mode = Mode::Browse;
                self.notice = None;
                ctx.toast(Toast::info(success));
                self.reload(ctx)
            }
            // Nothing was decided: keep the dialog and what was typed, so the user can try again.
            Err(e @ ServiceError::Unavailable(_)) => {
                self.set_dialog_error(e.user_message());
                Command::None
            }
            // A refused signature (a wrong password, a rule): the dialog stays with what was typed, the
            // password cleared (docs/signatures.md §4).
            Err(ServiceError::Invalid(message)) if matches!(self.mode, Mode::Sign { .. }) => {
                if let Mode::Sign { dialog, .. } = &mut self.mode {
                    dialog.refused(message);
                }
                Command::None
            }
            Err(e) => {
                self.mode = Mode::Browse;
                self.notice = Some(e.user_message());
                self.reload(ctx)
            }
        }
    }

    /// `D`: writes the build's device history record into the station's export directory (the one the
    /// BOM export offers first: where the station was started).
    pub(super) fn export_dhr(&mut self, ctx: &mut Ctx) -> Command {
        let Some(token) = ctx.token() else {
            return Command::None;
        };
        self.notice = None;
        let request = Request::ExportDhr {
            token,
            order_id: self.order_id,
            dir: String::new(),
        };
        self.exporting.begin_if_idle(ctx, request, ())
    }

    fn on_dhr_written(&mut self, reply: ServiceReply, ctx: &mut Ctx) {
        match reply.result {
            Ok(Reply::Exported(paths)) => {
                ctx.toast(Toast::info(format!("DHR written: {}", files_text(&paths))));
            }
            Ok(_) => {}
            Err(e) => {
                self.notice = Some(format!(
                    "Device history record not written: {}",
                    e.user_message()
                ));
            }
        }
    }

    pub(super) fn mode_still_offered(&self) -> bool {
        match &self.mode {
            Mode::Browse => true,
            Mode::ConfirmMove { .. }
            | Mode::Sign {
                gate: Gate::Move(_) | Gate::Ship,
                ..
            } => !self.moves().is_empty(),
            Mode::Sign {
                gate: Gate::Override(_),
                ..
            } => !self.overrides().is_empty(),
            Mode::Assign { .. } => self.offers(&OrderAction::Assign),
            // A BOM that changed meanwhile is not the one the user was asked about.
            Mode::Sign {
                gate: Gate::ApproveBom(version),
                ..
            } => self.offers(&OrderAction::ApproveBom) && self.bom_version() == Some(*version),
            Mode::ConfirmRegenerate { version, .. } => {
                self.offers(&OrderAction::RegenerateBom) && self.bom_version() == *version
            }
            Mode::Hold(_) => {
                self.offers(&OrderAction::PlaceHold) || self.offers(&OrderAction::ReleaseHold)
            }
            Mode::Correct(_) => {
                self.offers(&OrderAction::Correct) || self.offers(&OrderAction::Cancel)
            }
        }
    }

    pub(super) fn set_dialog_error(&mut self, text: String) {
        match &mut self.mode {
            Mode::ConfirmMove { error, .. }
            | Mode::ConfirmRegenerate { error, .. }
            | Mode::Assign { error, .. } => *error = Some(text),
            Mode::Sign { dialog, .. } => dialog.error = Some(text),
            Mode::Browse | Mode::Hold(_) | Mode::Correct(_) => self.notice = Some(text),
        }
    }
}

/// The files of one export in one line: `/dir/stem.{pdf,json}` when they share directory and stem.
fn files_text(paths: &[std::path::PathBuf]) -> String {
    let stem = |p: &std::path::PathBuf| p.with_extension("");
    let extensions: Option<Vec<String>> = paths
        .iter()
        .map(|p| p.extension().map(|e| e.to_string_lossy().into_owned()))
        .collect();
    match (paths.first(), extensions) {
        (Some(first), Some(ext))
            if paths.len() > 1 && paths.iter().all(|p| stem(p) == stem(first)) =>
        {
            format!("{}.{{{}}}", stem(first).display(), ext.join(","))
        }
        _ => paths
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", "),
    }
}
