//! Drawing the testing form: the header with progress, save state and the round's forms, the lines by
//! section, the selected line's detail and the dialogs.

use super::{Dialog, TestingFormScreen};
use crate::domain::clock;
use crate::domain::floor::{TESTING_FORM, TestingFormView};
use crate::screens::qc_checklist::answering;
use crate::screens::qc_checklist::lines::{
    CARRIED_MARKER, compact, draw_body, item_of, line_label,
};
use crate::screens::qc_checklist::sheet::draw_panel;
use crate::theme::Theme;
use crate::widgets::{confirm, fit_text};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

pub(super) fn draw(s: &mut TestingFormScreen, frame: &mut Frame, area: Rect, theme: &Theme) {
    let title = match &s.form {
        Some(f) => format!("{TESTING_FORM} · build {}", f.header.build_number),
        None => TESTING_FORM.to_string(),
    };
    let loading = "… Loading the testing form";
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
    draw_body(frame, inner, top, &s.defs, &form.lines, &mut s.sheet, theme);
    draw_dialog(s, frame, area, theme);
}

/// The header: the build, the form with its save state, the progress, the round's forms and a notice.
/// In a compact area the form and save state, then the progress or the notice (docs/architecture.md §2.1).
fn header_lines(
    s: &TestingFormScreen,
    form: &TestingFormView,
    width: usize,
    compact: bool,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let h = &form.header;
    let first = Line::from(fit_text(
        &format!(
            "PO {} · Build {} · {}",
            h.po_number, h.build_number, h.sink_model
        ),
        width,
    ));
    let mut second = vec![Span::styled(TESTING_FORM, theme.heading)];
    if let Some(status) = s.autosave.span(form.draft_id.is_some(), theme) {
        second.push(Span::raw(" · "));
        second.push(status);
    }
    if !s.may_edit {
        second.push(Span::styled(" · read-only", theme.warn));
    }
    let p = s.progress();
    let unconfirmed = s.unconfirmed().len();
    let progress = format!(
        "answered {} / {} required · {} failing",
        p.answered_required, p.required, p.non_conforming
    );
    let third = if s.passed {
        Line::from(Span::styled(
            "Submitted and final: the answers below are the stored results",
            theme.muted,
        ))
    } else {
        Line::from(vec![
            Span::raw(format!(
                "answered {} / {} required · ",
                p.answered_required, p.required
            )),
            Span::styled(
                format!("{} failing", p.non_conforming),
                if p.non_conforming > 0 {
                    theme.error
                } else {
                    theme.base
                },
            ),
            Span::styled(
                carried_text(unconfirmed, width.saturating_sub(progress.chars().count())),
                theme.warn,
            ),
        ])
    };
    // The round's forms, newest first, numbered in the order they were submitted.
    let count = form.submitted.len();
    let forms = if count == 0 {
        Line::from(Span::styled("No form submitted in this round", theme.muted))
    } else {
        let text = form
            .submitted
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let at =
                    f.at.map(|t| format!(" {}", clock::local_clock(t)))
                        .unwrap_or_default();
                format!(
                    "Form {}: {} by {}{at}",
                    count - i,
                    f.status.label(),
                    f.performed_by
                )
            })
            .collect::<Vec<_>>()
            .join(" · ");
        Line::from(Span::styled(fit_text(&text, width), theme.muted))
    };
    let notice = if form.open_tasks > 0 {
        Line::from(Span::styled(
            fit_text(
                &format!(
                    "{} task(s) still open: testing opens when every task is complete",
                    form.open_tasks
                ),
                width,
            ),
            theme.warn,
        ))
    } else if s.passed {
        let offer = if s.may_edit {
            " · m moves the build to TESTING_COMPLETE"
        } else {
            ""
        };
        let text = s
            .sheet
            .message
            .as_deref()
            .unwrap_or("Testing PASS recorded");
        Line::from(Span::styled(
            fit_text(&format!("✓ {text}{offer}"), width),
            theme.ok,
        ))
    } else if let Some(m) = &s.sheet.message {
        Line::from(Span::styled(fit_text(m, width), theme.warn))
    } else {
        Line::from("")
    };
    if compact {
        if count > 0 {
            second.push(Span::raw(" · "));
            second.extend(forms.spans);
        }
        let last = if notice.width() > 0 { notice } else { third };
        return vec![Line::from(second), last];
    }
    vec![first, Line::from(second), third, forms, notice]
}

/// ` · [↻] 34 carried over — confirm (y each, Y all)`, the key hint shortened or left out to fit
/// `room`; empty when nothing waits for a confirmation (docs/assembly-floor.md §5.1).
fn carried_text(unconfirmed: usize, room: usize) -> String {
    if unconfirmed == 0 {
        return String::new();
    }
    let head = format!(" · {CARRIED_MARKER} {unconfirmed} carried over — confirm");
    [" (y each, Y all)", " (y, Y all)", ""]
        .iter()
        .map(|hint| format!("{head}{hint}"))
        .find(|t| t.chars().count() <= room)
        .unwrap_or(head)
}

fn draw_dialog(s: &mut TestingFormScreen, frame: &mut Frame, area: Rect, theme: &Theme) {
    let Some(form) = s.form.as_deref() else {
        return;
    };
    let text = match &s.dialog {
        Some(Dialog::ConfirmCarried(count)) => s.confirm_carried_text(*count),
        _ => Vec::new(),
    };
    match &mut s.dialog {
        None => {}
        Some(Dialog::Answer(d)) => {
            let line = d.line();
            let fl = form.lines.get(line);
            let item = item_of(&s.defs, &form.lines, line);
            let label = item
                .zip(fl)
                .map(|(i, l)| format!("{} {}", i.code, line_label(i, l)))
                .unwrap_or_default();
            let current = s.sheet.current(line);
            answering::draw(d, frame, area, item, &label, &current, theme);
        }
        Some(Dialog::Submit(d)) => {
            let busy = s
                .submit_pending
                .in_flight()
                .then_some("… Submitting the form");
            d.render(frame, area, busy, theme);
        }
        Some(Dialog::ConfirmCarried(_)) => {
            confirm::render(
                frame,
                area,
                "Confirm carried-over answers",
                &text,
                &s.confirm_keys,
                theme,
            );
        }
        Some(Dialog::Move) => {
            confirm::render(
                frame,
                area,
                "Move build",
                &[
                    format!(
                        "Move build {} to TESTING_COMPLETE?",
                        form.header.build_number
                    ),
                    "Packaging opens next.".into(),
                ],
                &s.confirm_keys,
                theme,
            );
        }
    }
}
