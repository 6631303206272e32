//! A scanned item on the packaging checklist: its line is selected and one more is packed, exactly as
//! `+` does (docs/scanning.md §3); nothing here is a permanent record.

use super::{Mode, PackagingScreen};
use crate::domain::bom::canonical_id;
use crate::domain::scan::Scan;
use crate::keymap::Action;
use crate::msg::Command;
use crate::screens::Ctx;
use crate::widgets::toast::Toast;

impl PackagingScreen {
    /// `None` when the scan names no line of this checklist (the shell routes it then).
    pub(super) fn pack_scanned(&mut self, scan: &Scan, ctx: &mut Ctx) -> Option<Command> {
        let (Scan::Item(code) | Scan::Code(code)) = scan else {
            return None;
        };
        if !matches!(self.mode, Mode::Browse) {
            return None;
        }
        let code = canonical_id(code.trim());
        let index = self
            .lines()
            .iter()
            .position(|l| canonical_id(&l.item_id).eq_ignore_ascii_case(code))?;
        self.select(index);
        if let Some(reason) = self.read_only_reason() {
            ctx.toast(Toast::error(reason));
            return Some(Command::None);
        }
        Some(self.on_browse(Action::Increase, ctx))
    }
}
