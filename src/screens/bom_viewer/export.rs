//! The export dialog: a format and a directory, then the export request.

use super::{BomViewerScreen, DIRECTORY, ExportDialog, FORMAT, Load};
use crate::export::ExportFormat;
use crate::keymap::Action;
use crate::msg::{Command, Request};
use crate::screens::Ctx;
use crate::widgets::form_field::{Form, FormField};

impl BomViewerScreen {
    pub(super) fn open_export(&mut self) {
        if self.document().is_none() {
            return;
        }
        let formats = ExportFormat::ALL
            .iter()
            .map(|f| f.label().to_string())
            .collect();
        // The last choice is offered again: exports of one session usually go to one place.
        let (format, last_dir) = &self.last_export;
        let mut dir = FormField::text("Directory")
            .with_select_on_focus()
            .with_max_len(512);
        dir.set_value(last_dir);
        let form = Form::new(vec![FormField::choice("Format", formats, *format), dir])
            .with_input_width(48);
        self.notice = None;
        self.export = Some(ExportDialog { form, error: None });
    }

    pub fn is_exporting(&self) -> bool {
        self.loads.values().any(|l| *l == Load::Export)
    }

    pub(super) fn on_export_action(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        let Some(dialog) = &mut self.export else {
            return Command::None;
        };
        match action {
            Action::Cancel => {
                // An export already sent still finishes; its answer is then only dropped.
                self.loads.retain(|_, l| *l != Load::Export);
                self.export = None;
                Command::None
            }
            Action::Submit => {
                if self.loads.values().any(|l| *l == Load::Export) {
                    return Command::None;
                }
                // Empty means the directory the station was started in; the service resolves it.
                let dir = dialog.form.value(DIRECTORY).trim().to_string();
                let index = dialog
                    .form
                    .field(FORMAT)
                    .and_then(FormField::choice_index)
                    .unwrap_or(0);
                let format = ExportFormat::ALL
                    .get(index)
                    .copied()
                    .unwrap_or(ExportFormat::Csv);
                self.last_export = (index, dir.clone());
                dialog.error = None;
                let Some(token) = ctx.token() else {
                    return Command::None;
                };
                self.request(
                    Request::ExportBom {
                        token,
                        order_id: self.order_id,
                        format,
                        dir,
                    },
                    Load::Export,
                    ctx,
                )
            }
            other => {
                dialog.form.handle(other);
                Command::None
            }
        }
    }
}
