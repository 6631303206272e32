//! The build detail's hold: the lines saying the build is held and for how long, and the hold and
//! release dialogs (docs/holds.md §2, §3, §5).

use super::{Mode, OrderDetailScreen};
use crate::domain::hold::{self, BuildHold};
use crate::domain::order::OrderAction;
use crate::domain::order_view::OrderDetail;
use crate::keymap::Action;
use crate::msg::{Command, ServiceReply};
use crate::screens::Ctx;
use crate::screens::hold_dialog::{HoldDialog, HoldStep};
use crate::theme::Theme;
use crate::widgets::toast::Toast;
use crate::widgets::wrap;
use ratatui::text::{Line, Span};

impl OrderDetailScreen {
    /// `p`: the hold dialog, or the release dialog of a held build, when offered.
    pub(super) fn start_hold(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        let wanted = match action {
            Action::PlaceHold => OrderAction::PlaceHold,
            _ => OrderAction::ReleaseHold,
        };
        if !self.offers(&wanted) || self.still_loading() {
            return Command::None;
        }
        let Some(d) = self.detail.as_deref() else {
            return Command::None;
        };
        let build = d.build.build_number.clone();
        let dialog = match &d.hold {
            Some(h) if wanted == OrderAction::ReleaseHold => {
                HoldDialog::release(ctx, d.id, &build, h.refusal())
            }
            None if wanted == OrderAction::PlaceHold => HoldDialog::place(ctx, d.id, &build),
            _ => return Command::None,
        };
        self.notice = None;
        self.mode = Mode::Hold(Box::new(dialog));
        Command::None
    }

    /// A key while the hold dialog is open.
    pub(super) fn on_hold_key(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        let Mode::Hold(dialog) = &mut self.mode else {
            return Command::None;
        };
        let step = dialog.on_action(action, ctx);
        self.apply_step(step)
    }

    /// What a dialog's key did: nothing, closed the dialog, or a request to run.
    pub(super) fn apply_step(&mut self, step: HoldStep) -> Command {
        match step {
            HoldStep::Handled => Command::None,
            HoldStep::Closed => {
                self.mode = Mode::Browse;
                Command::None
            }
            HoldStep::Run(cmd) => cmd,
        }
    }

    /// A reply for the hold dialog: a placed or released hold closes it and reloads the build; a refusal
    /// stays in the dialog with the input. `None` when the reply is not the dialog's.
    pub(super) fn hold_reply(&mut self, reply: &ServiceReply, ctx: &mut Ctx) -> Option<Command> {
        let Mode::Hold(dialog) = &mut self.mode else {
            return None;
        };
        let write = dialog.is_write(reply.id);
        if !dialog.on_reply(reply, ctx) {
            return None;
        }
        if !write || reply.result.is_err() {
            return Some(Command::None);
        }
        let build = self
            .detail
            .as_deref()
            .map(|d| d.build.build_number.clone())
            .unwrap_or_default();
        let held = self.offers(&OrderAction::PlaceHold);
        ctx.toast(Toast::info(if held {
            format!("{build} is on hold")
        } else {
            format!("The hold on {build} is released")
        }));
        self.mode = Mode::Browse;
        Some(self.reload(ctx))
    }
}

/// The width of the labels, as the header's.
const LABEL: usize = 13;

/// The lines under the header: the open hold (reason, who and since when, the note and the part lines)
/// and the total time on hold when there was any.
pub(super) fn hold_lines(d: &OrderDetail, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let room = width.saturating_sub(LABEL);
    if let Some(h) = &d.hold {
        // Wrapped, not cut: the detail is the one place that names who placed it in full.
        for (i, l) in wrap(&h.summary(), room).into_iter().take(2).enumerate() {
            let label = if i == 0 { "ON HOLD" } else { "" };
            lines.push(Line::from(vec![
                Span::styled(format!("{label:<LABEL$}"), theme.error),
                Span::styled(l, theme.error),
            ]));
        }
        for text in detail_texts(h) {
            for l in wrap(&text, room).into_iter().take(2) {
                lines.push(Line::from(vec![
                    Span::raw(" ".repeat(LABEL)),
                    Span::styled(l, theme.base),
                ]));
            }
        }
    }
    if d.hold_minutes > 0 {
        lines.push(Line::from(vec![
            Span::styled(format!("{:<LABEL$}", "Time on hold"), theme.muted),
            Span::styled(hold::duration_text(d.hold_minutes), theme.base),
        ]));
    }
    lines
}

/// The hold's note and part lines in words.
fn detail_texts(h: &BuildHold) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(n) = &h.note {
        out.push(format!("Note: {n}"));
    }
    if !h.parts.is_empty() {
        out.push(format!("Parts{}", hold::parts_text(&h.parts)));
    }
    out
}
