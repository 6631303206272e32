//! Drawing a service order: header, actions, lines and the approval table, and the dialogs.

use super::{Approval, DIALOG_LINES, Mode, ServiceOrderScreen};
use crate::domain::clock;
use crate::domain::service_order::{ServiceOrderStatus, ServiceOrderView};
use crate::theme::Theme;
use crate::widgets::{centered, dialog, dim, fit_text, request_status, row, rows};
use crate::widgets::{loading_page, record_page, wrap};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

impl ServiceOrderScreen {
    pub(super) fn draw(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        if area.height < 3 || area.width < 20 {
            return;
        }
        let Some(order) = self.order.as_deref() else {
            let error = self.load_error.as_deref();
            loading_page(
                frame,
                area,
                "Service order",
                error,
                "… Loading service order",
                theme,
            );
            return;
        };
        let title = format!("Service order {}", order.summary.number);
        let notice = self.notice.as_deref().or(self.load_error.as_deref());
        let mut scroll = self.scroll;
        record_page(
            frame,
            area,
            &title,
            self.loading.in_flight(),
            notice,
            &mut scroll,
            theme,
            |width| {
                let mut top = header_lines(order, theme);
                top.push(self.action_line(theme));
                (top, body_lines(order, width, theme))
            },
        );
        self.scroll = scroll;
        self.view_dialog(frame, area, theme);
        self.question.render(frame, area, theme);
    }

    pub(super) fn action_line(&self, theme: &Theme) -> Line<'static> {
        let mut spans = vec![Span::styled(format!("{:<LW$}", "Actions"), theme.muted)];
        let items: Vec<(&str, &str)> = if self.offers(ServiceOrderStatus::Pending) {
            vec![
                (self.keys.approve.as_str(), "Approve"),
                (self.keys.reject.as_str(), "Reject"),
            ]
        } else if self.offers(ServiceOrderStatus::Approved) {
            vec![(self.keys.fulfil.as_str(), "Mark fulfilled")]
        } else {
            Vec::new()
        };
        if items.is_empty() {
            let why = if self.may_process() {
                "none in this status (read-only)"
            } else {
                "none for you (read-only)"
            };
            spans.push(Span::styled(why, theme.muted));
        }
        for (i, (key, text)) in items.into_iter().enumerate() {
            if i > 0 {
                spans.push(Span::styled(" · ", theme.muted));
            }
            spans.push(Span::styled(key.to_string(), theme.key_hint));
            spans.push(Span::raw(format!(" {text}")));
        }
        Line::from(spans)
    }

    pub(super) fn view_dialog(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let busy = self.writing.in_flight().then_some("… Saving, please wait");
        let Some(order) = self.order.as_deref() else {
            return;
        };
        let who = format!(
            "{} from {}",
            order.summary.number, order.summary.requested_by
        );
        let reject = matches!(self.mode, Mode::Reject { .. });
        match &mut self.mode {
            Mode::Browse => {}
            Mode::Approve {
                approval,
                notes,
                focus,
                error,
            } => {
                dim(frame, area, theme);
                let shown = approval.lines.len().clamp(1, DIALOG_LINES);
                let shown_h = u16::try_from(shown).unwrap_or(1);
                let inner = dialog(
                    frame,
                    centered(area, 92, 13 + shown_h),
                    "Approve service order",
                    theme,
                );
                frame.render_widget(Paragraph::new(format!("Approve {who}?")), row(inner, 0));
                frame.render_widget(
                    Paragraph::new(Span::styled(
                        "+/- or ←/→ change a line's quantity, digits type it; 0 removes the line.",
                        theme.muted,
                    )),
                    row(inner, 1),
                );
                approval_table(
                    frame,
                    rows(inner, 3, shown_h + 1),
                    approval,
                    *focus,
                    shown,
                    theme,
                );
                // The message under the table: the focused line's, else the first one, else the order's.
                let message = approval
                    .lines
                    .get(*focus)
                    .and_then(|l| l.error.clone())
                    .or_else(|| approval.lines.iter().find_map(|l| l.error.clone()))
                    .or_else(|| approval.error.clone());
                if let Some(m) = message {
                    frame.render_widget(
                        Paragraph::new(Span::styled(format!("✖ {m}"), theme.error)),
                        row(inner, 4 + shown_h),
                    );
                }
                let n = approval.lines.len();
                let form_at = 6 + shown_h;
                let (lw, iw) = (notes.label_width, notes.input_width);
                for i in 0..notes.len() {
                    let y = form_at + u16::try_from(i * 2).unwrap_or(0);
                    if let Some(f) = notes.field_mut(i) {
                        f.render(frame, row(inner, y), theme, *focus == n + i, lw, iw);
                        f.render_message(frame, row(inner, y + 1), theme, 4);
                    }
                }
                request_status(
                    frame,
                    row(inner, form_at + notes.height()),
                    busy,
                    error.as_deref(),
                    theme,
                );
            }
            Mode::Reject { form, error } | Mode::Fulfil { form, error } => {
                // The two final decisions ask the same way: the question, what it means, a note.
                let (title, question, meaning) = if reject {
                    (
                        "Reject service order",
                        format!("Reject {who}?"),
                        "The reason goes into the notes the requester sees; the decision is final.",
                    )
                } else {
                    (
                        "Mark fulfilled",
                        format!("Mark {who} FULFILLED?"),
                        "The approved parts were handed over or shipped; the order is then final.",
                    )
                };
                dim(frame, area, theme);
                let inner = dialog(frame, centered(area, 92, 10), title, theme);
                frame.render_widget(Paragraph::new(question), row(inner, 0));
                frame.render_widget(
                    Paragraph::new(Span::styled(meaning, theme.muted)),
                    row(inner, 1),
                );
                form.render(frame, rows(inner, 3, form.height()), theme);
                request_status(
                    frame,
                    row(inner, 3 + form.height()),
                    busy,
                    error.as_deref(),
                    theme,
                );
            }
        }
    }
}

/// Label width of the header.
pub(super) const LW: usize = 14;

pub(super) fn header_lines(order: &ServiceOrderView, theme: &Theme) -> Vec<Line<'static>> {
    let s = &order.summary;
    let when =
        |t: Option<chrono::NaiveDateTime>| t.map_or_else(|| "—".to_string(), clock::local_minute);
    let processed = match &s.processed_by {
        Some(name) => format!("{name} · {}", when(s.processed_at)),
        None => "— not yet".to_string(),
    };
    let pair = |l: &str, v: String, style: Style| {
        vec![
            Span::styled(format!("{l:<LW$}"), theme.muted),
            Span::styled(v, style),
        ]
    };
    let mut first = pair("Status", format!("{:<24}", s.status.code()), theme.title);
    first.extend(pair("Requested by", s.requested_by.clone(), theme.base));
    let mut second = pair(
        "Requested at",
        format!("{:<24}", when(s.requested_at)),
        theme.base,
    );
    second.extend(pair("Processed by", processed, theme.base));
    vec![Line::from(first), Line::from(second)]
}

pub(super) fn body_lines(
    order: &ServiceOrderView,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let count = order.lines.len();
    out.push(Line::from(Span::styled(
        format!("Lines ({count}, {} in total)", order.summary.total_quantity),
        theme.heading,
    )));
    // Name takes what the fixed columns leave.
    let (w_id, w_type, w_qty) = (24usize, 9usize, 9usize);
    let w_name = width.saturating_sub(w_id + w_type + w_qty + 5).max(10);
    out.push(Line::from(Span::styled(
        format!(
            "  {:<w_id$} {:<w_name$} {:<w_type$} {:>w_qty$}",
            "Part id", "Name", "Type", "Quantity"
        ),
        theme.muted,
    )));
    for l in &order.lines {
        let name = l.name.as_deref().unwrap_or("(not in the catalog)");
        out.push(Line::from(format!(
            "  {:<w_id$} {:<w_name$} {:<w_type$} {:>w_qty$}",
            fit_text(&l.part_id, w_id),
            fit_text(name, w_name),
            l.part_type.code(),
            l.quantity
        )));
    }
    if order.lines.is_empty() {
        out.push(Line::from(Span::styled("  No lines.", theme.muted)));
    }
    let mut section = |title: &str, text: Option<&str>| {
        out.push(Line::default());
        out.push(Line::from(Span::styled(title.to_string(), theme.heading)));
        match text.map(str::trim).filter(|t| !t.is_empty()) {
            Some(t) => {
                for l in wrap(t, width.saturating_sub(2)) {
                    out.push(Line::from(format!("  {l}")));
                }
            }
            None => out.push(Line::from(Span::styled("  —", theme.muted))),
        }
    };
    section("Notes (the requester sees these)", order.notes.as_deref());
    if order.internal_notes.is_some() {
        section(
            "Internal notes (procurement only)",
            order.internal_notes.as_deref(),
        );
    }
    out
}

/// The approval table: header and up to `shown` lines around the focus.
pub(super) fn approval_table(
    frame: &mut Frame,
    area: Rect,
    approval: &Approval,
    focus: usize,
    shown: usize,
    theme: &Theme,
) {
    let width = usize::from(area.width);
    let (w_id, w_type, w_req, w_app) = (22usize, 9usize, 9usize, 18usize);
    let w_name = width
        .saturating_sub(2 + w_id + w_type + w_req + w_app + 4)
        .max(8);
    frame.render_widget(
        Paragraph::new(Span::styled(
            format!(
                "  {:<w_id$} {:<w_name$} {:<w_type$} {:>w_req$} {}",
                "Part id", "Name", "Type", "Requested", "  Approved"
            ),
            theme.muted,
        )),
        row(area, 0),
    );
    let n = approval.lines.len();
    let first = if focus < n {
        focus.saturating_sub(shown - 1)
    } else {
        0
    };
    for (i, l) in approval.lines.iter().enumerate().skip(first).take(shown) {
        let focused = i == focus;
        let marker = if focused { "▶ " } else { "  " };
        let name = l.name.as_deref().unwrap_or("(not in the catalog)");
        let lead = format!(
            "{marker}{:<w_id$} {:<w_name$} {:<w_type$} {:>w_req$}   ",
            fit_text(&l.part_id, w_id),
            fit_text(name, w_name),
            l.part_type,
            l.requested
        );
        let (input_style, lead_style) = if focused {
            (theme.input_focus, theme.focus)
        } else {
            (theme.input, theme.base)
        };
        let state = match l.quantity() {
            _ if l.error.is_some() => Span::styled(" ✖ check", theme.error),
            Some(0) => Span::styled(" removed", theme.warn),
            Some(q) if q < l.requested => Span::styled(" reduced", theme.warn),
            _ => Span::raw(""),
        };
        let line = Line::from(vec![
            Span::styled(lead, lead_style),
            Span::styled("[", theme.muted),
            Span::styled(format!("{:>4}", l.text()), input_style),
            Span::styled("]", theme.muted),
            state,
        ]);
        let y = u16::try_from(i - first + 1).unwrap_or(0);
        frame.render_widget(Paragraph::new(line), row(area, y));
    }
}
