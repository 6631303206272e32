//! The screen for a build's QC results: the list with verified signatures, one result read-only, its
//! certificate.

mod live;

use crate::domain::checklist::FormType;
use crate::domain::clock;
use crate::domain::live::LiveEvent;
use crate::domain::qc::{Answer, QcResultDetail, QcResultStatus, QcResultSummary, signature_seal};
use crate::keymap::{Action, KeyContext};
use crate::msg::{Command, Reply, Request, RequestId, ServiceReply};
use crate::screens::Screen;
use crate::screens::live_load::LiveLoad;
use crate::screens::live_reads::LiveReads;
use crate::screens::qc_checklist::lines::{self, draw_detail, draw_list, form_label};
use crate::screens::{Ctx, Effect, ScreenId};
use crate::theme::Theme;
use crate::widgets::form_field::{Form, FormField};
use crate::widgets::{centered, dialog, dim, fit_text, inset, panel, request_status, rows};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use uuid::Uuid;

/// What a request in flight was for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Load {
    List,
    Result(Uuid),
    Certificate,
    /// The result open, read again after another station changed it: the cursor and scroll stay.
    Reread(Uuid),
}

/// The certificate dialog: where to write the PDF.
pub struct CertificateDialog {
    pub form: Form,
    pub error: Option<String>,
}

pub struct QcHistoryScreen {
    order_id: Uuid,
    loads: Vec<(RequestId, Load)>,
    results: Option<Vec<QcResultSummary>>,
    error: Option<String>,
    selected: usize,
    /// The result opened with Enter.
    detail: Option<Box<QcResultDetail>>,
    detail_answers: Vec<Answer>,
    detail_selected: usize,
    detail_scroll: usize,
    certificate: Option<CertificateDialog>,
    /// The directory of the last certificate written from this screen, offered again.
    last_dir: String,
    notice: Option<String>,
    /// Re-reads after another station's change (docs/live.md §3.4).
    live: LiveReads,
    /// The result open changed elsewhere: read again after the list.
    detail_stale: bool,
}

/// A passed Final QC has a certificate.
pub fn has_certificate(r: &QcResultSummary) -> bool {
    r.qc_type == FormType::FinalQc && r.status == QcResultStatus::Pass
}

/// The signature check in words, never colour alone.
pub fn verified_text(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "signature verified",
        Some(false) => "SIGNATURE MISMATCH",
        None => "not signed",
    }
}

/// [`verified_text`] in one word, for a narrow signature column.
fn verified_word(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "verified",
        Some(false) => "MISMATCH",
        None => "not signed",
    }
}

impl QcHistoryScreen {
    pub fn open(order_id: Uuid, ctx: &mut Ctx) -> (QcHistoryScreen, Command) {
        let mut s = QcHistoryScreen {
            order_id,
            loads: Vec::new(),
            results: None,
            error: None,
            selected: 0,
            detail: None,
            detail_answers: Vec::new(),
            detail_selected: 0,
            detail_scroll: 0,
            certificate: None,
            last_dir: String::new(),
            notice: None,
            live: LiveReads::default(),
            detail_stale: false,
        };
        let cmd = s.reload(ctx);
        (s, cmd)
    }

    pub fn results(&self) -> &[QcResultSummary] {
        self.results.as_deref().unwrap_or_default()
    }

    pub fn detail(&self) -> Option<&QcResultDetail> {
        self.detail.as_deref()
    }

    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    /// The result the certificate key acts on: the one open, else the one selected.
    fn current(&self) -> Option<&QcResultSummary> {
        match &self.detail {
            Some(d) => Some(&d.summary),
            None => self.results().get(self.selected),
        }
    }

    fn request(&mut self, kind: Request, load: Load, ctx: &mut Ctx) -> Command {
        let (id, cmd) = ctx.request(kind);
        self.loads.push((id, load));
        cmd
    }

    fn reload(&mut self, ctx: &mut Ctx) -> Command {
        self.refresh(ctx)
    }

    fn move_section(&mut self, forward: bool) {
        let Some(d) = &self.detail else { return };
        let section = |i: usize| {
            d.lines
                .get(i)
                .and_then(|l| d.items.get(l.item))
                .map(|it| it.section.as_str())
        };
        let here = section(self.detail_selected);
        let n = d.lines.len();
        self.detail_selected = if forward {
            (self.detail_selected + 1..n)
                .find(|&i| section(i) != here)
                .unwrap_or(self.detail_selected)
        } else {
            let start = |i: usize| {
                let s = section(i);
                (0..=i)
                    .rev()
                    .take_while(|&k| section(k) == s)
                    .last()
                    .unwrap_or(i)
            };
            let st = start(self.detail_selected);
            if st == self.detail_selected && st > 0 {
                start(st - 1)
            } else {
                st
            }
        };
    }

    fn on_certificate_action(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        let Some(d) = &mut self.certificate else {
            return Command::None;
        };
        match action {
            Action::Cancel => {
                // A certificate already asked for still gets written; its answer is then only dropped.
                self.loads.retain(|(_, l)| *l != Load::Certificate);
                self.certificate = None;
                Command::None
            }
            Action::Submit => {
                if self.loads.iter().any(|(_, l)| *l == Load::Certificate) {
                    return Command::None;
                }
                // Empty or relative: the service resolves it against the station's directory.
                let dir = d.form.value(0).trim().to_string();
                d.error = None;
                self.last_dir = dir.clone();
                let (Some(id), Some(token)) = (self.current().map(|r| r.id), ctx.token()) else {
                    return Command::None;
                };
                self.request(
                    Request::QcCertificate {
                        token,
                        result_id: id,
                        dir,
                    },
                    Load::Certificate,
                    ctx,
                )
            }
            other => {
                d.form.handle(other);
                Command::None
            }
        }
    }

    fn message_line(&self, width: usize, theme: &Theme) -> Line<'static> {
        if let Some(e) = &self.error {
            Line::from(Span::styled(
                fit_text(&format!("ERROR: {e}"), width),
                theme.error,
            ))
        } else if let Some(n) = &self.notice {
            Line::from(Span::styled(fit_text(n, width), theme.ok))
        } else {
            Line::from("")
        }
    }

    fn draw_list(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let block = panel("QC history", theme);
        let inner = inset(block.inner(area), 1);
        frame.render_widget(block, area);
        let width = usize::from(inner.width);
        let Some(results) = &self.results else {
            let text = match &self.error {
                Some(e) => Line::from(Span::styled(format!("ERROR: {e}"), theme.error)),
                None => Line::from(Span::styled("… Loading the QC results", theme.muted)),
            };
            frame.render_widget(
                Paragraph::new(text).wrap(Wrap { trim: true }),
                rows(inner, 1, 2),
            );
            return;
        };
        let mut text = vec![self.message_line(width, theme)];
        if results.is_empty() {
            text.push(Line::from(Span::styled(
                "No QC result yet for this build.",
                theme.muted,
            )));
            frame.render_widget(Paragraph::new(text), inner);
            return;
        }
        // At 80 columns the inspector and job id narrow and the signature check is one word, so the
        // check is never cut (docs/architecture.md §2.1); the result Enter opens shows them whole.
        let narrow = width < 90;
        let (insp_w, job_w) = if narrow { (12, 9) } else { (18, 12) };
        text.push(Line::from(Span::styled(
            fit_text(
                &format!(
                    "  {:<9} {:<4} {:<7} {:<insp_w$} {:<20} {:<job_w$} {}",
                    "Type", "Ver", "Status", "Inspector", "Signed", "Job ID", "Signature"
                ),
                width,
            ),
            theme.heading,
        )));
        let height = usize::from(inner.height).saturating_sub(2);
        let first = (self.selected + 1).saturating_sub(height.max(1));
        for (i, r) in results.iter().enumerate().skip(first).take(height) {
            let sel = i == self.selected;
            let base = if sel { theme.selected } else { theme.base };
            let status_style = match r.status {
                QcResultStatus::Pass => theme.ok,
                QcResultStatus::Fail => theme.error,
                QcResultStatus::Incomplete => theme.warn,
            };
            let at = r.at.map(clock::utc_minute).unwrap_or_else(|| "—".into());
            let sig_style = match r.verified {
                Some(true) => theme.ok,
                Some(false) => theme.error,
                None => theme.muted,
            };
            text.push(Line::from(vec![
                Span::styled(if sel { "▶ " } else { "  " }, base),
                Span::styled(format!("{:<9} ", form_label(r.qc_type)), base),
                Span::styled(format!("v{:<3} ", r.template_version), base),
                Span::styled(format!("{:<7} ", r.status.code()), status_style),
                Span::styled(
                    format!("{:<insp_w$} ", fit_text(&r.performed_by, insp_w)),
                    base,
                ),
                Span::styled(format!("{at:<20} "), base),
                Span::styled(
                    format!(
                        "{:<job_w$} ",
                        fit_text(r.job_id.as_deref().unwrap_or("—"), job_w)
                    ),
                    base,
                ),
                Span::styled(
                    if narrow {
                        verified_word(r.verified)
                    } else {
                        verified_text(r.verified)
                    },
                    sig_style,
                ),
            ]));
        }
        if let Some(r) = results.get(self.selected)
            && let Some(reason) = r
                .notes
                .as_deref()
                .filter(|_| r.status == QcResultStatus::Fail)
        {
            text.push(Line::from(""));
            text.push(Line::from(Span::styled(
                fit_text(&format!("Reason for the FAIL: {reason}"), width),
                theme.muted,
            )));
        }
        frame.render_widget(Paragraph::new(text), inner);
    }

    fn draw_detail(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let Some(d) = self.detail.as_deref() else {
            return;
        };
        let s = &d.summary;
        let title = format!(
            "{} {} · build {} (read-only)",
            form_label(s.qc_type),
            s.status.code(),
            d.header.build_number
        );
        let block = panel(&title, theme);
        let inner = inset(block.inner(area), 1);
        frame.render_widget(block, area);
        let width = usize::from(inner.width);
        let h = &d.header;
        let at = s.at.map(clock::utc_minute).unwrap_or_else(|| "—".into());
        let mut top = vec![
            Line::from(fit_text(
                &format!(
                    "PO {} · Build {} · {} · {} · {} basins",
                    h.po_number, h.build_number, h.customer_name, h.sink_model, h.number_of_basins
                ),
                width,
            )),
            Line::from(vec![
                Span::styled(
                    format!("{} v{}", s.template_name, s.template_version),
                    theme.heading,
                ),
                Span::raw(" · "),
                // Before the details, so a narrow screen never cuts it off.
                Span::styled(
                    verified_text(s.verified),
                    if s.verified == Some(false) {
                        theme.error
                    } else {
                        theme.ok
                    },
                ),
                Span::raw(format!(
                    " · Job ID {} · {} · {at}",
                    s.job_id.as_deref().unwrap_or("—"),
                    s.performed_by
                )),
            ]),
        ];
        // The hash is long: it gets a line of its own, with the format marker (`v2`) in front of it.
        let (signed, hash) = match s.signature.rsplit_once(" | ") {
            Some((a, h)) if signature_seal(&s.signature).is_some() => {
                (a.to_string(), Some(h.to_string()))
            }
            _ => (s.signature.clone(), None),
        };
        top.push(Line::from(Span::styled(
            fit_text(&format!("Signature: {signed}"), width),
            theme.muted,
        )));
        if let Some(h) = hash {
            top.push(Line::from(Span::styled(
                fit_text(&format!("           {h}"), width),
                theme.muted,
            )));
        }
        if s.status == QcResultStatus::Fail
            && let Some(reason) = &s.notes
        {
            top.push(Line::from(Span::styled(
                fit_text(&format!("Reason for the FAIL: {reason}"), width),
                theme.error,
            )));
        }
        top.push(self.message_line(width, theme));
        let top_h = u16::try_from(top.len())
            .unwrap_or(u16::MAX)
            .min(inner.height);
        frame.render_widget(Paragraph::new(top), rows(inner, 0, top_h));
        let rest = inner.height.saturating_sub(top_h);
        let detail_h = if rest >= 9 { 5 } else { 0 };
        let list = rows(inner, top_h, rest - detail_h);
        draw_list(
            frame,
            list,
            &d.items,
            &d.lines,
            &self.detail_answers,
            self.detail_selected,
            &mut self.detail_scroll,
            detail_h == 0,
            theme,
        );
        if detail_h > 0 {
            let area = rows(inner, top_h + list.height, detail_h);
            frame.render_widget(
                Paragraph::new(Span::styled(
                    "─".repeat(usize::from(area.width)),
                    theme.border,
                )),
                rows(area, 0, 1),
            );
            let line = d.lines.get(self.detail_selected);
            let empty = Answer::default();
            draw_detail(
                frame,
                rows(area, 1, detail_h - 1),
                line.and_then(|l| d.items.get(l.item)),
                line,
                self.detail_answers
                    .get(self.detail_selected)
                    .unwrap_or(&empty),
                theme,
            );
        }
    }
}

impl Screen for QcHistoryScreen {
    fn title(&self) -> &'static str {
        "QC history"
    }

    fn key_contexts(&self) -> Vec<KeyContext> {
        if let Some(d) = &self.certificate {
            let mut stack = d.form.key_contexts();
            stack.push(KeyContext::Dialog);
            return stack;
        }
        let mut stack = Vec::new();
        if self.current().is_some_and(has_certificate) {
            stack.push(KeyContext::QcCertificateAction);
        }
        if self.detail.is_some() {
            stack.extend([KeyContext::QcReadOnly, KeyContext::List]);
        } else if self.results().is_empty() {
            stack.push(KeyContext::QcHistory);
        } else {
            stack.extend([KeyContext::QcHistory, KeyContext::List]);
        }
        stack
    }

    fn on_action(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        if self.certificate.is_some() {
            return self.on_certificate_action(action, ctx);
        }
        if action == Action::Certificate {
            if self.current().is_some_and(has_certificate) {
                let mut dir = FormField::text("Directory")
                    .with_select_on_focus()
                    .with_max_len(512)
                    .with_hint("Empty: the directory the station was started in");
                dir.set_value(&self.last_dir);
                self.notice = None;
                self.certificate = Some(CertificateDialog {
                    form: Form::new(vec![dir]).with_input_width(56),
                    error: None,
                });
            }
            return Command::None;
        }
        if self.detail.is_some() {
            let last = self.detail_answers.len().saturating_sub(1);
            match action {
                Action::Back => {
                    self.detail = None;
                    self.notice = None;
                }
                Action::Up => self.detail_selected = self.detail_selected.saturating_sub(1),
                Action::Down => self.detail_selected = (self.detail_selected + 1).min(last),
                Action::First => self.detail_selected = 0,
                Action::Last => self.detail_selected = last,
                Action::NextSection | Action::PrevSection | Action::PageDown | Action::PageUp => {
                    self.move_section(matches!(action, Action::NextSection | Action::PageDown));
                }
                _ => {}
            }
            return Command::None;
        }
        let last = self.results().len().saturating_sub(1);
        match action {
            Action::Back => {
                ctx.emit(Effect::Navigate(ScreenId::OrderDetail(self.order_id)));
                Command::None
            }
            Action::Up => {
                self.selected = self.selected.saturating_sub(1);
                Command::None
            }
            Action::Down => {
                self.selected = (self.selected + 1).min(last);
                Command::None
            }
            Action::First => {
                self.selected = 0;
                Command::None
            }
            Action::Last => {
                self.selected = last;
                Command::None
            }
            Action::Refresh => self.reload(ctx),
            Action::Open => {
                let (Some(r), Some(token)) = (self.results().get(self.selected), ctx.token())
                else {
                    return Command::None;
                };
                let id = r.id;
                self.notice = None;
                self.request(
                    Request::QcResult {
                        token,
                        result_id: id,
                    },
                    Load::Result(id),
                    ctx,
                )
            }
            _ => Command::None,
        }
    }

    fn on_reply(&mut self, reply: ServiceReply, ctx: &mut Ctx) -> Command {
        let live = self.live_answered(reply.id).is_some();
        let Some(pos) = self.loads.iter().position(|(id, _)| *id == reply.id) else {
            return self.live_next(ctx);
        };
        let (_, load) = self.loads.remove(pos);
        match (load, reply.result) {
            (Load::List, Ok(Reply::QcHistory(list))) => {
                // The selection stays on its result when newer ones arrive.
                let kept = self
                    .results()
                    .get(self.selected)
                    .and_then(|r| list.iter().position(|x| x.id == r.id));
                self.selected = kept
                    .unwrap_or(self.selected)
                    .min(list.len().saturating_sub(1));
                self.results = Some(list);
                self.error = None;
                if live && std::mem::take(&mut self.detail_stale) {
                    return self.reread_detail(ctx).and(self.live_next(ctx));
                }
            }
            (Load::Reread(id), Ok(Reply::QcResult(detail))) => {
                if self.detail.as_ref().is_some_and(|d| d.summary.id == id) {
                    self.detail_answers =
                        lines::answers_by_line(&detail.items, &detail.lines, &detail.answers);
                    self.detail_selected = self
                        .detail_selected
                        .min(self.detail_answers.len().saturating_sub(1));
                    self.detail = Some(detail);
                }
            }
            (Load::Result(_), Ok(Reply::QcResult(detail))) => {
                self.detail_answers =
                    lines::answers_by_line(&detail.items, &detail.lines, &detail.answers);
                self.detail_selected = 0;
                self.detail_scroll = 0;
                self.detail = Some(detail);
            }
            (Load::Certificate, Ok(Reply::Exported(paths))) => {
                self.certificate = None;
                let list: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
                self.notice = Some(if list.is_empty() {
                    "No certificate was written".to_string()
                } else {
                    format!("Certificate written to {}", list.join(", "))
                });
            }
            (Load::Certificate, Err(e)) => {
                if let Some(d) = &mut self.certificate {
                    d.error = Some(e.user_message());
                }
            }
            (Load::List | Load::Result(_) | Load::Reread(_), Err(e)) => {
                self.error = Some(e.user_message());
            }
            (_, Ok(_)) => {}
        }
        self.live_next(ctx)
    }

    fn on_live(&mut self, ev: &LiveEvent, ctx: &mut Ctx) -> Command {
        self.live(ev, ctx)
    }

    fn text_form(&mut self) -> Option<&mut Form> {
        self.certificate.as_mut().map(|d| &mut d.form)
    }

    fn view(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        if area.height < 3 || area.width < 20 {
            return;
        }
        if self.detail.is_some() {
            self.draw_detail(frame, area, theme);
        } else {
            self.draw_list(frame, area, theme);
        }
        if let Some(d) = &mut self.certificate {
            dim(frame, area, theme);
            let inner = dialog(frame, centered(area, 84, 9), "Certificate PDF", theme);
            frame.render_widget(
                Paragraph::new(Span::styled(
                    "Where should the certificate be written?",
                    theme.muted,
                )),
                rows(inner, 0, 1),
            );
            d.form.render(frame, rows(inner, 2, 2), theme);
            let busy = self
                .loads
                .iter()
                .any(|(_, l)| *l == Load::Certificate)
                .then_some("… Writing the certificate");
            request_status(frame, rows(inner, 5, 2), busy, d.error.as_deref(), theme);
        }
    }
}

#[cfg(test)]
mod tests;
