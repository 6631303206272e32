//! Drawing the checklist: the header, progress, the lines by section, the selected line's detail and the
//! dialogs.

use super::lines::{
    self, draw_detail, draw_list, form_label, judgement_text, marker_style, range_text,
};
use super::{Dialog, QcChecklistScreen, SaveStatus, SignDialog};
use crate::domain::checklist::FormType;
use crate::domain::qc::{Answer, Judgement, QcForm, may_pass};
use crate::theme::Theme;
use crate::widgets::{
    centered, confirm, dialog, dim, fit_text, inset, panel, request_status, rows,
};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

/// Rows under the list for the selected line's detail (a rule, then the text).
const DETAIL_H: u16 = 5;

pub(super) fn draw(s: &mut QcChecklistScreen, frame: &mut Frame, area: Rect, theme: &Theme) {
    if area.height < 3 || area.width < 20 {
        return;
    }
    let title = match &s.form {
        Some(f) => format!(
            "{} · build {}",
            form_label(f.header.qc_type),
            f.header.build_number
        ),
        None => "QC checklist".to_string(),
    };
    let block = panel(&title, theme);
    let inner = inset(block.inner(area), 1);
    frame.render_widget(block, area);
    let width = usize::from(inner.width);

    let Some(form) = s.form.as_deref() else {
        let lines = match &s.load_error {
            Some(e) => vec![
                Line::from(Span::styled(format!("ERROR: {e}"), theme.error)),
                Line::from(Span::styled("Esc to go back.", theme.muted)),
            ],
            None => vec![Line::from(Span::styled(
                "… Loading the checklist",
                theme.muted,
            ))],
        };
        frame.render_widget(
            Paragraph::new(lines).wrap(Wrap { trim: true }),
            rows(inner, 1, 3),
        );
        return;
    };

    let top = header_lines(s, form, width, theme);
    let top_h = u16::try_from(top.len())
        .unwrap_or(u16::MAX)
        .min(inner.height);
    frame.render_widget(Paragraph::new(top), rows(inner, 0, top_h));
    let rest = inner.height.saturating_sub(top_h);
    let detail_h = if rest >= DETAIL_H + 4 { DETAIL_H } else { 0 };
    let list_area = rows(inner, top_h, rest.saturating_sub(detail_h));
    draw_list(
        frame,
        list_area,
        &form.items,
        &form.lines,
        &s.answers,
        s.selected,
        &mut s.scroll,
        theme,
    );
    if detail_h > 0 {
        let d = rows(inner, top_h + list_area.height, detail_h);
        frame.render_widget(
            Paragraph::new(Span::styled("─".repeat(usize::from(d.width)), theme.border)),
            rows(d, 0, 1),
        );
        let line = form.lines.get(s.selected);
        let item = line.and_then(|l| form.items.get(l.item));
        let empty = Answer::default();
        draw_detail(
            frame,
            rows(d, 1, detail_h - 1),
            item,
            line,
            s.answers.get(s.selected).unwrap_or(&empty),
            theme,
        );
    }
    draw_dialog(s, frame, area, theme);
}

fn header_lines(
    s: &QcChecklistScreen,
    form: &QcForm,
    width: usize,
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
    if form.draft_by_other.is_none() {
        let (text, style) = match &s.save_status {
            SaveStatus::Idle if form.draft_id.is_some() => {
                ("Draft resumed".to_string(), theme.muted)
            }
            SaveStatus::Idle => (String::new(), theme.muted),
            SaveStatus::Saving => ("Saving…".to_string(), theme.muted),
            SaveStatus::Saved => ("Saved".to_string(), theme.ok),
            SaveStatus::Failed(e) => (format!("Not saved: {e} — will retry"), theme.error),
        };
        if !text.is_empty() {
            second.push(Span::raw(" · "));
            second.push(Span::styled(text, style));
        }
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
    third.push(Span::styled(
        format!(" · {} of {} lines answered", p.answered, p.lines),
        theme.muted,
    ));
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
    } else if let Some(m) = &s.message {
        Line::from(Span::styled(fit_text(m, width), theme.warn))
    } else {
        Line::from("")
    };
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
    let item_of = |line: usize| form.lines.get(line).and_then(|l| form.items.get(l.item));
    let label_of = |line: usize| {
        form.lines
            .get(line)
            .zip(item_of(line))
            .map(|(l, i)| lines::line_label(i, l))
            .unwrap_or_default()
    };
    match &mut s.dialog {
        None => {}
        Some(Dialog::Value { line, form: f }) => {
            let line = *line;
            let value = f.value(0).trim().to_string();
            let mut answer = s.answers.get(line).cloned().unwrap_or_default();
            answer.value = (!value.is_empty()).then_some(value);
            answer.is_na = false;
            let judged = item_of(line).map_or(Judgement::Unanswered, |i| {
                crate::domain::qc::judge(i, &answer)
            });
            let range = item_of(line).and_then(range_text);
            let inner = open(frame, area, "Enter value", 80, 9, theme);
            let mut text = vec![Line::from(fit_text(
                &label_of(line),
                usize::from(inner.width),
            ))];
            if let Some(r) = range {
                text.push(Line::from(Span::styled(
                    format!("Conforming range {r}"),
                    theme.muted,
                )));
            } else {
                text.push(Line::from(""));
            }
            frame.render_widget(Paragraph::new(text), rows(inner, 0, 2));
            f.render(frame, rows(inner, 3, 2), theme);
            let shown = match &judged {
                Judgement::Unanswered => {
                    Span::styled("Empty: the line is left unanswered", theme.muted)
                }
                j => Span::styled(
                    format!("{} {}", lines::marker(j, &answer), judgement_text(j)),
                    marker_style(j, theme),
                ),
            };
            frame.render_widget(Paragraph::new(shown), rows(inner, 5, 1));
        }
        Some(Dialog::Choice {
            line,
            cursor,
            checked,
            error,
        }) => {
            let line = *line;
            let Some(item) = item_of(line) else { return };
            let n = u16::try_from(item.options.len()).unwrap_or(20);
            let inner = open(frame, area, "Choose", 80, n.saturating_add(8), theme);
            let mut text = vec![
                Line::from(fit_text(&label_of(line), usize::from(inner.width))),
                Line::from(Span::styled(
                    if item.multiple {
                        "Space ticks an option (several allowed) · Enter accepts"
                    } else {
                        "↑/↓ choose · Enter accepts"
                    },
                    theme.muted,
                )),
                Line::from(""),
            ];
            for (i, o) in item.options.iter().enumerate() {
                let on = checked.get(i).copied().unwrap_or(false);
                let mark = match (item.multiple, on) {
                    (true, true) => "[x]",
                    (true, false) => "[ ]",
                    (false, _) if i == *cursor => "(•)",
                    (false, _) => "( )",
                };
                let sel = i == *cursor;
                let note = if item.note_required_for.contains(o) {
                    "  (needs a note)"
                } else {
                    ""
                };
                text.push(Line::from(Span::styled(
                    format!("{} {mark} {o}{note}", if sel { "▶" } else { " " }),
                    if sel { theme.selected } else { theme.base },
                )));
            }
            if let Some(e) = error {
                text.push(Line::from(Span::styled(format!("✖ {e}"), theme.error)));
            }
            frame.render_widget(Paragraph::new(text), inner);
        }
        Some(Dialog::Notes {
            line,
            editor,
            for_na,
            error,
        }) => {
            let line = *line;
            let title = if *for_na {
                "Not applicable: note"
            } else {
                "Notes"
            };
            let inner = open(frame, area, title, 84, 14, theme);
            let prompt = if *for_na {
                "Why does this item not apply? The note is required."
            } else {
                "Notes for this line (Ctrl-S saves, Esc cancels)"
            };
            let text = vec![
                Line::from(fit_text(&label_of(line), usize::from(inner.width))),
                Line::from(Span::styled(prompt, theme.muted)),
            ];
            frame.render_widget(Paragraph::new(text), rows(inner, 0, 2));
            let box_area = rows(inner, 3, inner.height.saturating_sub(5));
            let block = ratatui::widgets::Block::bordered().border_style(theme.focus);
            editor.set_block(block);
            editor.set_style(theme.input_focus);
            editor.set_cursor_style(theme.cursor);
            editor.set_cursor_line_style(ratatui::style::Style::new());
            frame.render_widget(&**editor, box_area);
            let err = error.as_deref();
            request_status(
                frame,
                rows(inner, inner.height.saturating_sub(1), 1),
                None,
                err,
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
    d.form.render(frame, rows(inner, 3, d.form.height()), theme);
    let busy = d.pending.map(|_| "… Signing, please wait");
    request_status(
        frame,
        rows(inner, 3 + d.form.height() + 1, 2),
        busy,
        d.error.as_deref(),
        theme,
    );
}

/// Dims the screen and opens a dialog frame; returns the inside.
fn open(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    width: u16,
    height: u16,
    theme: &Theme,
) -> Rect {
    dim(frame, area, theme);
    dialog(frame, centered(area, width, height), title, theme)
}
