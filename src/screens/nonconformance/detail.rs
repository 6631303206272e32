//! One nonconformance: everything it records, its signatures, and the disposition (signed, docs/
//! nonconformance.md §4) and closure dialogs.

use super::{state_style, utc};
use crate::domain::live::{Entity, LiveEvent};
use crate::domain::nonconformance::{
    Disposition, MAX_NOTE, NcDetail, validate_close_note, validate_disposition_note,
};
use crate::domain::signature::Meaning;
use crate::error::ServiceError;
use crate::keymap::{Action, HelpLine, KeyContext};
use crate::msg::RequestId;
use crate::msg::{Command, Reply, Request, ServiceReply};
use crate::screens::live_load::LiveLoad;
use crate::screens::live_reads::LiveReads;
use crate::screens::pending::Pending;
use crate::screens::{Ctx, Effect, Screen, ScreenId};
use crate::text::for_terminal;
use crate::theme::Theme;
use crate::widgets::form_field::{Form, FormField};
use crate::widgets::signing::{password, password_field, signing_lines};
use crate::widgets::toast::Toast;
use crate::widgets::{
    Scroll, centered, confirm, dialog, dim, fit_text, hanging, loading_page, record_page,
    request_status, row, rows, wrap,
};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use uuid::Uuid;

enum Mode {
    Browse,
    /// The signing dialog. `second`: the disposition already signed once, awaiting this signature.
    Dispose {
        form: Form,
        second: Option<Disposition>,
        error: Option<String>,
    },
    Close {
        form: Form,
        error: Option<String>,
    },
    /// `Close NC-…?` with the note typed.
    ConfirmClose {
        note: String,
        error: Option<String>,
    },
}

pub struct NcDetailScreen {
    id: Uuid,
    detail: Option<Box<NcDetail>>,
    loading: Pending,
    load_error: Option<String>,
    writing: Pending,
    mode: Mode,
    scroll: Scroll,
    /// The signer's full name, for the signature the dialog shows.
    signer: String,
    confirm_keys: Vec<HelpLine>,
    /// Re-reads after another station's change (docs/live.md §3.4).
    live: LiveReads,
}

impl NcDetailScreen {
    pub fn open(id: Uuid, ctx: &mut Ctx) -> (NcDetailScreen, Command) {
        let mut s = NcDetailScreen {
            id,
            detail: None,
            loading: Pending::new(),
            load_error: None,
            writing: Pending::new(),
            mode: Mode::Browse,
            scroll: Scroll {
                page: 10,
                ..Scroll::default()
            },
            signer: ctx
                .session()
                .map(|s| s.user.full_name.clone())
                .unwrap_or_default(),
            confirm_keys: ctx.keymap().key_bar(&[KeyContext::Confirm]),
            live: LiveReads::default(),
        };
        let cmd = s.reload(ctx);
        (s, cmd)
    }

    pub fn detail(&self) -> Option<&NcDetail> {
        self.detail.as_deref()
    }

    fn reload(&mut self, ctx: &mut Ctx) -> Command {
        self.refresh(ctx)
    }

    /// This NC changed, or the rework task it shows (docs/live.md §3.4).
    fn touched_by(&self, ev: &LiveEvent) -> bool {
        let task = self
            .detail
            .as_deref()
            .and_then(|d| d.rework_task.as_ref())
            .map(|t| t.id);
        ev.everything
            || ev.changes.iter().any(|c| match c.entity {
                Entity::Nonconformance => c.id == Some(self.id),
                Entity::Task => task.is_some() && c.id == task,
                _ => false,
            })
    }

    fn form_mut(&mut self) -> Option<&mut Form> {
        match &mut self.mode {
            Mode::Dispose { form, .. } | Mode::Close { form, .. } => Some(form),
            Mode::Browse | Mode::ConfirmClose { .. } => None,
        }
    }

    fn start_disposition(&mut self) {
        let Some(d) = self.detail.as_deref().filter(|d| d.may_disposition) else {
            return;
        };
        let second = d.summary.disposition.filter(|_| d.summary.awaiting_second);
        let mut fields = Vec::new();
        if second.is_none() {
            let options = Disposition::ALL
                .iter()
                .map(|d| d.code().to_string())
                .collect();
            fields.push(FormField::choice("Disposition", options, 0));
            fields.push(
                FormField::text("Note")
                    .with_max_len(MAX_NOTE)
                    .with_hint("Required for USE_AS_IS and SCRAP"),
            );
        }
        fields.push(password_field());
        self.mode = Mode::Dispose {
            form: Form::new(fields).with_input_width(44),
            second,
            error: None,
        };
    }

    fn submit(&mut self, ctx: &mut Ctx) -> Command {
        if self.writing.in_flight() {
            return Command::None;
        }
        let id = self.id;
        let Some(token) = ctx.token() else {
            return Command::None;
        };
        match &mut self.mode {
            Mode::Dispose {
                form,
                second,
                error,
            } => {
                if !form.is_last() {
                    form.next();
                    return Command::None;
                }
                let (disposition, note) = match second {
                    Some(d) => (*d, None),
                    None => {
                        let i = form.field(0).and_then(FormField::choice_index).unwrap_or(0);
                        let d = Disposition::ALL
                            .get(i)
                            .copied()
                            .unwrap_or(Disposition::Rework);
                        match validate_disposition_note(d, Some(&form.value(1))) {
                            Ok(n) => (d, n),
                            Err(e) => {
                                form.set_error(1, e);
                                form.set_focus(1);
                                return Command::None;
                            }
                        }
                    }
                };
                let last = form.len().saturating_sub(1);
                let Some(password) = form.field_mut(last).and_then(password) else {
                    return Command::None;
                };
                *error = None;
                let request = Request::DispositionNonconformance {
                    token,
                    id,
                    disposition,
                    note,
                    password,
                };
                self.writing.begin_if_idle(ctx, request, ())
            }
            Mode::Close { form, .. } => match validate_close_note(&form.value(0)) {
                Ok(note) => {
                    self.mode = Mode::ConfirmClose { note, error: None };
                    Command::None
                }
                Err(e) => {
                    form.set_error(0, e);
                    Command::None
                }
            },
            Mode::Browse | Mode::ConfirmClose { .. } => Command::None,
        }
    }

    fn confirm_close(&mut self, ctx: &mut Ctx) -> Command {
        let (Mode::ConfirmClose { note, .. }, Some(token)) = (&self.mode, ctx.token()) else {
            return Command::None;
        };
        let request = Request::CloseNonconformance {
            token,
            id: self.id,
            note: note.clone(),
        };
        self.writing.begin_if_idle(ctx, request, ())
    }

    fn set_error(&mut self, text: String) {
        match &mut self.mode {
            Mode::Dispose { form, error, .. } => {
                // The password is typed again after a refusal.
                let last = form.len().saturating_sub(1);
                if let Some(f) = form.field_mut(last) {
                    f.clear();
                }
                *error = Some(text);
            }
            Mode::Close { error, .. } | Mode::ConfirmClose { error, .. } => *error = Some(text),
            Mode::Browse => self.load_error = Some(text),
        }
    }

    /// The record's lines: fixed top, scrolled body.
    fn lines(
        d: &NcDetail,
        width: usize,
        theme: &Theme,
    ) -> (Vec<Line<'static>>, Vec<Line<'static>>) {
        let s = &d.summary;
        let mut top = vec![Line::from(vec![
            Span::styled(format!("{} ", s.number), theme.heading),
            Span::styled(s.state_text(), state_style(s, theme)),
            Span::raw(format!(" · source {}", s.source.label())),
        ])];
        top.extend(
            wrap(
                &format!(
                    "PO {} · Build {} · raised by {} at {}",
                    s.po_number,
                    s.build_number,
                    s.raised_by,
                    utc(s.raised_at)
                ),
                width,
            )
            .into_iter()
            .map(Line::from),
        );
        let mut body = vec![Line::from(Span::styled("Description", theme.heading))];
        body.extend(
            wrap(&for_terminal(&s.description), width)
                .into_iter()
                .map(Line::from),
        );
        body.push(Line::from(""));
        body.push(Line::from(Span::styled(
            format!("Non-conforming items ({})", d.items.len()),
            theme.heading,
        )));
        if d.items.is_empty() {
            body.push(Line::from(Span::styled("None recorded.", theme.muted)));
        }
        for item in &d.items {
            body.extend(hanging(
                "• ",
                &for_terminal(&item.line()),
                width,
                theme.base,
            ));
        }
        body.push(Line::from(""));
        body.push(Line::from(Span::styled("Disposition", theme.heading)));
        let disposition = match (s.disposition, &d.dispositioned) {
            (None, _) => "Not dispositioned yet.".to_string(),
            (Some(x), Some((by, at))) => format!("{x} by {by} at {}", utc(*at)),
            (Some(x), None) => format!("{x}: awaiting a second person's signature"),
        };
        body.push(Line::from(disposition));
        if let Some(n) = &d.disposition_note {
            body.extend(hanging("Note: ", &for_terminal(n), width, theme.base));
        }
        if let Some(t) = &d.rework_task {
            let state = if t.completed { "complete" } else { "open" };
            body.extend(hanging(
                &format!("Rework task {} ({state}): ", t.sequence),
                &for_terminal(&t.description),
                width,
                theme.base,
            ));
        }
        body.push(Line::from(""));
        body.push(Line::from(Span::styled("Signatures", theme.heading)));
        if d.signatures.is_empty() {
            body.push(Line::from(Span::styled("None yet.", theme.muted)));
        }
        for c in &d.signatures {
            let (mark, style) = if c.verified {
                ("signature verified", theme.ok)
            } else {
                ("SIGNATURE MISMATCH", theme.error)
            };
            let sig = &c.signature;
            body.push(Line::from(vec![
                Span::raw(fit_text(
                    &format!(
                        "{} | {} | {} · ",
                        for_terminal(&sig.printed_name),
                        sig.meaning,
                        crate::domain::signature::utc_text(sig.signed_at)
                    ),
                    width.saturating_sub(20),
                )),
                Span::styled(mark, style),
            ]));
            body.push(Line::from(Span::styled(
                fit_text(&format!("  sha256:{}", sig.content_sha256), width),
                theme.muted,
            )));
        }
        if let Some((by, at, note)) = &d.closed {
            body.push(Line::from(""));
            body.push(Line::from(Span::styled("Closure", theme.heading)));
            body.push(Line::from(format!("Closed by {by} at {}", utc(*at))));
            body.push(Line::from(fit_text(
                &format!("Note: {}", for_terminal(note)),
                width,
            )));
        }
        (top, body)
    }

    fn view_dialog(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let busy = self.writing.in_flight().then_some("… Saving, please wait");
        let number = self
            .detail
            .as_deref()
            .map(|d| d.summary.number.clone())
            .unwrap_or_default();
        let note = self
            .detail
            .as_deref()
            .and_then(|d| d.disposition_note.clone())
            .unwrap_or_default();
        let signer = self.signer.clone();
        match &mut self.mode {
            Mode::Browse => {}
            Mode::Dispose {
                form,
                second,
                error,
            } => {
                dim(frame, area, theme);
                let mut lines = signing_lines(&signer, Meaning::Dispositioned);
                if let Some(d) = second {
                    lines.push(format!("Second signature for {d}: {}", for_terminal(&note)));
                }
                let head = u16::try_from(lines.len()).unwrap_or(3);
                let height = head + form.height() + 6;
                let inner = dialog(
                    frame,
                    centered(area, 78, height),
                    &format!("Disposition {number}"),
                    theme,
                );
                let width = usize::from(inner.width);
                let text: Vec<Line> = lines
                    .iter()
                    .map(|l| Line::from(fit_text(l, width)))
                    .collect();
                frame.render_widget(Paragraph::new(text), rows(inner, 1, head));
                form.render(frame, rows(inner, head + 2, form.height()), theme);
                request_status(
                    frame,
                    rows(inner, head + 3 + form.height(), 1),
                    busy,
                    error.as_deref(),
                    theme,
                );
            }
            Mode::Close { form, error } => {
                dim(frame, area, theme);
                let inner = dialog(
                    frame,
                    centered(area, 76, form.height() + 7),
                    &format!("Close {number}"),
                    theme,
                );
                frame.render_widget(
                    Paragraph::new(Span::styled(
                        "Closing records that the disposition is carried out.",
                        theme.muted,
                    )),
                    row(inner, 1),
                );
                form.render(frame, rows(inner, 3, form.height()), theme);
                request_status(
                    frame,
                    rows(inner, 4 + form.height(), 1),
                    busy,
                    error.as_deref(),
                    theme,
                );
            }
            Mode::ConfirmClose { note, error } => {
                let mut lines = vec![
                    format!("Close {number}? A closed NC never changes."),
                    format!("Note: {}", fit_text(&for_terminal(note), 60)),
                ];
                confirm::push_status(&mut lines, busy, error.as_deref());
                confirm::render(frame, area, "Close", &lines, &self.confirm_keys, theme);
            }
        }
    }
}

impl Screen for NcDetailScreen {
    fn title(&self) -> &'static str {
        "Nonconformance"
    }

    fn key_contexts(&self) -> Vec<KeyContext> {
        match &self.mode {
            Mode::Browse => {
                let mut stack = Vec::new();
                if let Some(d) = self.detail.as_deref() {
                    if d.may_disposition {
                        stack.push(KeyContext::NcDisposition);
                    }
                    if d.may_close {
                        stack.push(KeyContext::NcClose);
                    }
                }
                stack.extend([KeyContext::NcDetail, KeyContext::List]);
                stack
            }
            Mode::Dispose { form, .. } | Mode::Close { form, .. } => {
                let mut stack = form.key_contexts();
                stack.push(KeyContext::Dialog);
                stack
            }
            Mode::ConfirmClose { .. } => vec![KeyContext::Confirm],
        }
    }

    fn has_unsaved_input(&self) -> bool {
        match &self.mode {
            Mode::Dispose { form, .. } | Mode::Close { form, .. } => form.has_input(),
            Mode::Browse | Mode::ConfirmClose { .. } => false,
        }
    }

    fn on_action(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        if matches!(self.mode, Mode::Browse) {
            if self.scroll.apply(action) {
                return Command::None;
            }
            match action {
                Action::Back => ctx.emit(Effect::Back(ScreenId::Nonconformances)),
                Action::Refresh => return self.reload(ctx),
                Action::DispositionNc => self.start_disposition(),
                Action::CloseNc if self.detail.as_deref().is_some_and(|d| d.may_close) => {
                    let field = FormField::text("Closing note")
                        .with_max_len(MAX_NOTE)
                        .with_hint(format!("Required, 1-{MAX_NOTE} characters"));
                    self.mode = Mode::Close {
                        form: Form::new(vec![field]).with_input_width(50),
                        error: None,
                    };
                }
                _ => {}
            }
            return Command::None;
        }
        match action {
            Action::Cancel | Action::No => {
                self.mode = Mode::Browse;
                Command::None
            }
            Action::Yes => self.confirm_close(ctx),
            Action::Submit => self.submit(ctx),
            other => {
                if let Some(form) = self.form_mut() {
                    form.handle(other);
                }
                Command::None
            }
        }
    }

    fn text_form(&mut self) -> Option<&mut Form> {
        self.form_mut()
    }

    fn on_reply(&mut self, reply: ServiceReply, ctx: &mut Ctx) -> Command {
        let live = self.live_answered(reply.id);
        if self.loading.answered_by(reply.id) {
            match reply.result {
                Ok(Reply::Nonconformance(d)) => {
                    // Who changed the NC shown, from the NC read back; an open dialog and what
                    // was typed in it stay (the server refuses a step no longer open).
                    if let (Some(by), Some(before)) = (&live, self.detail.as_deref())
                        && let Some(text) = before.change_news(&d, by)
                    {
                        ctx.toast(Toast::info(text));
                    }
                    self.load_error = None;
                    self.detail = Some(d);
                }
                Ok(_) => {}
                Err(e) => self.load_error = Some(e.user_message()),
            }
            return self.live_next(ctx);
        }
        if self.writing.take(reply.id).is_none() {
            return self.live_next(ctx);
        }
        match reply.result {
            Ok(Reply::Nonconformance(d)) => {
                if let Some(n) = &d.notice {
                    ctx.toast(Toast::info(n.clone()));
                }
                self.detail = Some(d);
                self.mode = Mode::Browse;
            }
            Ok(_) => {}
            Err(ServiceError::SessionEnded(m)) => {
                self.mode = Mode::Browse;
                self.load_error = Some(m);
            }
            Err(e) => self.set_error(e.user_message()),
        }
        Command::None
    }

    fn on_live(&mut self, ev: &LiveEvent, ctx: &mut Ctx) -> Command {
        if self.touched_by(ev) {
            return self.live_want(ev.by_line(), ctx);
        }
        Command::None
    }

    /// Keys wait for the nonconformance it acts on: none until the first load has answered (docs/architecture.md §3.2).
    fn accepts_keys(&self) -> bool {
        self.detail.is_some() || self.load_error.is_some()
    }

    fn view(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let Some(d) = self.detail.as_deref() else {
            loading_page(
                frame,
                area,
                "Nonconformance",
                self.load_error.as_deref(),
                "… Loading the nonconformance",
                theme,
            );
            return;
        };
        let title = format!("Nonconformance {}", d.summary.number);
        let notice = self.load_error.clone();
        record_page(
            frame,
            area,
            &title,
            self.loading.in_flight(),
            notice.as_deref(),
            &mut self.scroll,
            theme,
            |width| Self::lines(d, width, theme),
        );
        self.view_dialog(frame, area, theme);
    }
}

impl LiveLoad for NcDetailScreen {
    fn live_reads(&mut self) -> &mut LiveReads {
        &mut self.live
    }

    fn send_load(&mut self, ctx: &mut Ctx) -> Option<(RequestId, Command)> {
        let (rid, cmd) = ctx.request(Request::Nonconformance {
            token: ctx.token()?,
            id: self.id,
        });
        self.loading.wait(rid);
        Some((rid, cmd))
    }
}
