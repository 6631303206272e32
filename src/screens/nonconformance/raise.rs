//! Raising a nonconformance by hand on a build (docs/nonconformance.md §3): a description and the
//! non-conforming items, then an explicit confirmation; the build detail, listing the new NC, follows.

use crate::domain::nonconformance::{MAX_DESCRIPTION, manual_items, validate_description};
use crate::keymap::{Action, HelpLine, KeyContext};
use crate::msg::{Command, Reply, Request, ServiceReply};
use crate::screens::pending::Pending;
use crate::screens::{Ctx, Effect, Screen, ScreenId};
use crate::theme::Theme;
use crate::widgets::form_field::{Form, FormField};
use crate::widgets::toast::Toast;
use crate::widgets::{centered, confirm, dialog, dim, request_status, row, rows};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::Paragraph;
use uuid::Uuid;

/// What separates the items typed into the one-line field.
const ITEM_SEPARATOR: char = ';';

pub struct NcRaiseScreen {
    order_id: Uuid,
    form: Form,
    /// The description and items checked, waiting for the yes.
    confirming: Option<(String, Vec<String>)>,
    error: Option<String>,
    writing: Pending,
    confirm_keys: Vec<HelpLine>,
}

impl NcRaiseScreen {
    pub fn open(order_id: Uuid, ctx: &mut Ctx) -> (NcRaiseScreen, Command) {
        let form = Form::new(vec![
            FormField::text("Description")
                .with_max_len(MAX_DESCRIPTION)
                .with_hint(format!(
                    "Required, what does not conform (up to {MAX_DESCRIPTION})"
                )),
            FormField::text("Items")
                .with_max_len(MAX_DESCRIPTION)
                .with_hint("Optional; separate the items with ';'"),
        ])
        .with_input_width(52);
        let s = NcRaiseScreen {
            order_id,
            form,
            confirming: None,
            error: None,
            writing: Pending::new(),
            confirm_keys: ctx.keymap().key_bar(&[KeyContext::Confirm]),
        };
        (s, Command::None)
    }

    fn items(&self) -> Vec<String> {
        self.form
            .value(1)
            .split(ITEM_SEPARATOR)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    }

    fn submit(&mut self) {
        if !self.form.is_last() {
            self.form.next();
            return;
        }
        self.form.clear_errors();
        let description = match validate_description(&self.form.value(0)) {
            Ok(d) => d,
            Err(e) => {
                self.form.set_error(0, e);
                self.form.set_focus(0);
                return;
            }
        };
        let items = self.items();
        if let Err(e) = manual_items(&items) {
            self.form.set_error(1, e);
            return;
        }
        self.error = None;
        self.confirming = Some((description, items));
    }

    fn send(&mut self, ctx: &mut Ctx) -> Command {
        let (Some((description, items)), Some(token)) = (self.confirming.clone(), ctx.token())
        else {
            return Command::None;
        };
        let request = Request::RaiseNonconformance {
            token,
            order_id: self.order_id,
            description,
            items,
        };
        self.writing.begin_if_idle(ctx, request, ())
    }
}

impl Screen for NcRaiseScreen {
    fn title(&self) -> &'static str {
        "Raise nonconformance"
    }

    fn key_contexts(&self) -> Vec<KeyContext> {
        if self.confirming.is_some() {
            return vec![KeyContext::Confirm];
        }
        let mut stack = self.form.key_contexts();
        stack.push(KeyContext::Dialog);
        stack
    }

    fn has_unsaved_input(&self) -> bool {
        self.form.has_input()
    }

    fn on_action(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        match action {
            Action::Yes if self.confirming.is_some() => self.send(ctx),
            Action::No if self.confirming.is_some() => {
                self.confirming = None;
                Command::None
            }
            Action::Cancel => {
                ctx.emit(Effect::Back(ScreenId::OrderDetail(self.order_id)));
                Command::None
            }
            Action::Submit => {
                self.submit();
                Command::None
            }
            other => {
                self.form.handle(other);
                Command::None
            }
        }
    }

    fn text_form(&mut self) -> Option<&mut Form> {
        if self.confirming.is_some() {
            None
        } else {
            Some(&mut self.form)
        }
    }

    fn on_reply(&mut self, reply: ServiceReply, ctx: &mut Ctx) -> Command {
        if self.writing.take(reply.id).is_none() {
            return Command::None;
        }
        match reply.result {
            Ok(Reply::Nonconformance(d)) => {
                // Back on the build, which now lists it.
                ctx.toast(Toast::info(format!("{} raised", d.summary.number)));
                ctx.emit(Effect::Navigate(ScreenId::OrderDetail(self.order_id)));
            }
            Ok(_) => {}
            // Nothing was written: the dialog keeps what was typed.
            Err(e) => {
                self.confirming = None;
                self.error = Some(e.user_message());
            }
        }
        Command::None
    }

    fn view(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let busy = self.writing.in_flight().then_some("… Saving, please wait");
        if let Some((description, items)) = &self.confirming {
            let mut lines = vec![
                "Raise this nonconformance? It is a permanent record.".to_string(),
                format!(
                    "{} · {} item(s)",
                    crate::widgets::fit_text(&crate::text::for_terminal(description), 50),
                    items.len()
                ),
            ];
            confirm::push_status(&mut lines, busy, None);
            confirm::render(
                frame,
                area,
                "Raise nonconformance",
                &lines,
                &self.confirm_keys,
                theme,
            );
            return;
        }
        dim(frame, area, theme);
        let height = self.form.height() + 7;
        let inner = dialog(
            frame,
            centered(area, 78, height),
            "Raise nonconformance",
            theme,
        );
        frame.render_widget(
            Paragraph::new(Span::styled(
                "A numbered NC record on this build; QC dispositions it.",
                theme.muted,
            )),
            row(inner, 1),
        );
        self.form
            .render(frame, rows(inner, 3, self.form.height()), theme);
        request_status(
            frame,
            rows(inner, 4 + self.form.height(), 1),
            busy,
            self.error.as_deref(),
            theme,
        );
    }
}
