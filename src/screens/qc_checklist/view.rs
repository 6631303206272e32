//! Drawing the checklist: the header, progress, the lines by section, the selected line's detail and the
//! dialogs.

use super::answering::{self, open};
use super::lines::{self, compact, draw_body, form_label};
use super::sheet::draw_panel;
use super::{Dialog, QcChecklistScreen, SignDialog};
use crate::domain::checklist::FormType;
use crate::domain::qc::{QcForm, may_pass};
use crate::screens::rejection_reasons::picker as reason_picker;
use crate::theme::Theme;
use crate::widgets::{confirm, fit_text, request_status, rows};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub(super) fn draw(s: &mut QcChecklistScreen, frame: &mut Frame, area: Rect, theme: &Theme) {
    let title = match &s.form {
        Some(f) => format!(
            "{} · build {}",
            form_label(f.header.qc_type),
            f.header.build_number
        ),
        None => "QC checklist".to_string(),
    };
    let loading = "… Loading the checklist";
    let Some((inner, form)) = draw_panel(
        frame,
        area,
        &title,
        s.form.as_deref(),
        s.load_error.as_deref(),
        loading,
        theme,
    ) else {
        return;
    };
    let top = header_lines(s, form, usize::from(inner.width), compact(inner), theme);
    draw_body(
        frame,
        inner,
        top,
        &form.items,
        &form.lines,
        &mut s.sheet,
        theme,
    );
    draw_dialog(s, frame, area, theme);
}

/// The header: the build, the template with the job and the save state, the progress and a message. In a
/// compact area only the second and a third line that carries the message too (docs/architecture.md §2.1).
fn header_lines(
    s: &QcChecklistScreen,
    form: &QcForm,
    width: usize,
    compact: bool,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let h = &form.header;
    let basins = if h.number_of_basins == 1 {
        "1 basin".to_string()
    } else {
        format!("{} basins", h.number_of_basins)
    };
    let first = fit_text(
        &format!(
            "PO {} · Build {} · {} · {} · {basins}",
            h.po_number, h.build_number, h.customer_name, h.sink_model
        ),
        width,
    );
    let mut second = vec![Span::styled(
        format!("{} v{}", h.template_name, h.template_version),
        theme.heading,
    )];
    second.push(Span::raw(" · "));
    if s.job_id.trim().is_empty() {
        second.push(Span::styled("Job ID not set (i)", theme.warn));
    } else if s.job_carried() {
        second.push(Span::raw(format!("Job ID {}", s.job_id)));
        second.push(Span::styled(" (carried over)", theme.warn));
    } else {
        second.push(Span::raw(format!("Job ID {}", s.job_id)));
    }
    if h.qc_type == FormType::FinalQc {
        match h.first_pass {
            Some(true) => second.push(Span::styled(" · FIRST PASS", theme.ok)),
            Some(false) => second.push(Span::styled(" · REWORK (not first pass)", theme.warn)),
            None => {}
        }
    }
    if form.draft_by_other.is_none()
        && let Some(status) = s.autosave.span(form.draft_id.is_some(), theme)
    {
        second.push(Span::raw(" · "));
        second.push(status);
    }
    let p = s.progress();
    let mut third = vec![Span::raw(format!(
        "answered {} / {} required",
        p.answered_required, p.required
    ))];
    third.push(Span::raw(" · "));
    third.push(Span::styled(
        format!("{} non-conforming", p.non_conforming),
        if p.non_conforming > 0 {
            theme.error
        } else {
            theme.base
        },
    ));
    if !compact {
        third.push(Span::styled(
            format!(" · {} of {} lines answered", p.answered, p.lines),
            theme.muted,
        ));
    }
    if may_pass(&p) && form.draft_by_other.is_none() {
        third.push(Span::styled(" · ready to sign (s)", theme.ok));
    }
    let fourth = if let Some(name) = &form.draft_by_other {
        let admin = if s.is_admin { " · X discards it" } else { "" };
        Line::from(Span::styled(
            fit_text(
                &format!("Draft in progress by {name} — read-only{admin}"),
                width,
            ),
            theme.warn,
        ))
    } else if let Some(m) = &s.sheet.message {
        Line::from(Span::styled(fit_text(m, width), theme.warn))
    } else if let Some(hint) =
        s.drawing
            .hint(lines::item_of(&form.items, &form.lines, s.sheet.selected))
    {
        Line::from(Span::styled(fit_text(hint, width), theme.muted))
    } else {
        Line::from("")
    };
    if compact {
        if !fourth.spans.is_empty() && fourth.width() > 0 {
            third.push(Span::raw(" · "));
            third.extend(fourth.spans);
        }
        return vec![Line::from(second), Line::from(third)];
    }
    vec![
        Line::from(first),
        Line::from(second),
        Line::from(third),
        fourth,
    ]
}

fn draw_dialog(s: &mut QcChecklistScreen, frame: &mut Frame, area: Rect, theme: &Theme) {
    let p = s.progress();
    let Some(form) = s.form.as_deref() else {
        return;
    };
    let item_of = |line: usize| lines::item_of(&form.items, &form.lines, line);
    let label_of = |line: usize| {
        form.lines
            .get(line)
            .zip(item_of(line))
            .map(|(l, i)| lines::line_label(i, l))
            .unwrap_or_default()
    };
    match &mut s.dialog {
        None => {}
        Some(Dialog::Answer(d)) => {
            let line = d.line();
            let current = s.sheet.current(line);
            answering::draw(
                d,
                frame,
                area,
                item_of(line),
                &label_of(line),
                &current,
                theme,
            );
        }
        Some(Dialog::JobId { form: f }) => {
            let inner = open(frame, area, "Job ID", 80, 7, theme);
            frame.render_widget(
                Paragraph::new(Span::styled(
                    "The job number of this build on the shop floor (required to sign)",
                    theme.muted,
                )),
                rows(inner, 0, 1),
            );
            f.render(frame, rows(inner, 2, 2), theme);
        }
        Some(Dialog::Sign(d)) => {
            let meaning = if d.form.value(super::SIGN_OUTCOME) == "PASS" {
                "PASS"
            } else {
                "FAIL"
            };
            draw_sign(d, frame, area, form, &s.signer, meaning, &p, theme);
        }
        Some(Dialog::Discard) => {
            let name = form.draft_by_other.clone().unwrap_or_default();
            confirm::render(
                frame,
                area,
                "Discard draft",
                &[
                    format!("Discard the draft by {name}?"),
                    "Every answer in it is lost; the build's checklist starts empty.".into(),
                ],
                &s.confirm_keys,
                theme,
            );
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn draw_sign(
    d: &mut SignDialog,
    frame: &mut Frame,
    area: Rect,
    form: &QcForm,
    signer: &str,
    meaning: &str,
    p: &crate::domain::qc::Progress,
    theme: &Theme,
) {
    let title = format!("Sign {}", form_label(form.header.qc_type));
    let inner = open(frame, area, &title, 88, 16, theme);
    let width = usize::from(inner.width);
    let text = vec![
        Line::from(fit_text(
            &format!(
                "Build {} · answered {} / {} required · {} non-conforming",
                form.header.build_number, p.answered_required, p.required, p.non_conforming
            ),
            width,
        )),
        Line::from(Span::styled(
            fit_text(
                &format!(
                    "You sign as {signer}: {} {meaning}",
                    form.header.qc_type.code()
                ),
                width,
            ),
            theme.muted,
        )),
    ];
    frame.render_widget(Paragraph::new(text), rows(inner, 0, 2));
    let busy = d.pending.map(|_| "… Signing, please wait");
    if d.reasons.open {
        // Below the picker: the status (2 rows).
        let height = inner.height.saturating_sub(3 + 2);
        reason_picker::draw(&d.reasons, frame, rows(inner, 3, height), theme);
        request_status(
            frame,
            rows(inner, 3 + height, 2),
            busy,
            d.error.as_deref(),
            theme,
        );
        return;
    }
    d.form.render(frame, rows(inner, 3, d.form.height()), theme);
    request_status(
        frame,
        rows(inner, 3 + d.form.height() + 1, 2),
        busy,
        d.error.as_deref(),
        theme,
    );
}
