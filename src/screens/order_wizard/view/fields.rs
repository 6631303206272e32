//! Steps 1-3: the form's rows, its scroll marks, its foot and each field.

use super::{indent, para, step_panel, width, wrap};
use crate::screens::order_wizard::form::{Item, Kind};
use crate::screens::order_wizard::state::{Fid, Step};
use crate::screens::order_wizard::{OrderWizardScreen, Status, form};
use crate::theme::Theme;
use crate::widgets::form_field::FormField;
use crate::widgets::{key_bar, row};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// One row of a form as laid out.
pub(super) enum FormRow {
    /// The heading's text, and whether the focus is in its section.
    Heading(String, bool),
    Field(Fid),
    Error(String),
    Note(String),
    Blank,
}

pub(super) fn form_panel(s: &mut OrderWizardScreen, frame: &mut Frame, area: Rect, theme: &Theme) {
    let inner = step_panel(s, frame, area, theme);
    if inner.height < 4 {
        return;
    }
    let w = usize::from(inner.width);
    let b = s.selected();
    let warnings = if s.step() == Step::Configuration {
        s.state
            .builds
            .get(b)
            .map(|d| d.warnings(s.state.family))
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let hints = (s.step() == Step::Configuration).then(|| {
        let mut h = s.keys.config.clone();
        if s.edit.is_some() {
            h.retain(|l| l.action != crate::keymap::Action::CopyFrom);
        }
        h
    });
    let content = bottom(s, frame, inner, theme, &warnings, hints.as_deref(), None);

    let items = s.items();
    let errors = s.visible_errors();
    let label_w = items
        .iter()
        .filter_map(|i| match i {
            Item::Field(f) => {
                let spec = form::spec(&s.state, b, *f, s.today);
                u16::try_from(width(&spec.label)).ok()
            }
            _ => None,
        })
        .max()
        .unwrap_or(0);
    // Roomy (a blank row under every field, like the other forms) when everything fits.
    let roomy_rows = items
        .iter()
        .map(|i| match i {
            Item::Field(_) | Item::Note(_) => 2,
            Item::Heading(_) => 1,
            Item::Section(f) => usize::from(errors.contains_key(f)),
        })
        .sum::<usize>();
    let roomy = roomy_rows <= usize::from(content.height);
    let error_w = w.saturating_sub(6);
    let mut rows = Vec::new();
    let push_error = |rows: &mut Vec<FormRow>, e: &str| {
        for (k, l) in wrap(e, error_w).into_iter().enumerate() {
            let mark = if k == 0 { "✖" } else { " " };
            rows.push(FormRow::Error(format!("{mark} {l}")));
        }
    };
    // Step 3 marks the section the focus is in: its keys move by section (docs/lifecycle.md §6.4.1).
    let current = (s.step() == Step::Configuration)
        .then(|| s.focused_heading(&items))
        .flatten();
    for (k, item) in items.iter().enumerate() {
        match item {
            Item::Heading(t) => rows.push(FormRow::Heading(t.clone(), current == Some(k))),
            Item::Field(f) => {
                rows.push(FormRow::Field(*f));
                if let Some(e) = errors.get(f) {
                    push_error(&mut rows, e);
                } else if roomy {
                    rows.push(FormRow::Blank);
                }
            }
            Item::Section(f) => {
                if let Some(e) = errors.get(f) {
                    push_error(&mut rows, e);
                }
            }
            Item::Note(t) => {
                // Under a heading a note lines up with the fields.
                let indent = if matches!(rows.last(), Some(FormRow::Heading(..))) {
                    "  "
                } else {
                    ""
                };
                for l in wrap(t, w.saturating_sub(2)) {
                    rows.push(FormRow::Note(format!("{indent}{l}")));
                }
                if roomy {
                    rows.push(FormRow::Blank);
                }
            }
        }
    }

    // Keep the focused field, its error and the heading above it in sight.
    let h = usize::from(content.height);
    if let Some(fr) = rows
        .iter()
        .position(|r| matches!(r, FormRow::Field(f) if Some(*f) == s.focus))
    {
        let errors_below = rows[fr + 1..]
            .iter()
            .take_while(|r| matches!(r, FormRow::Error(_)))
            .count();
        let end = fr + 1 + errors_below;
        // A section's own error sits between its heading and its first field.
        let section_errors = rows[..fr]
            .iter()
            .rev()
            .take_while(|r| matches!(r, FormRow::Error(_)))
            .count();
        let heading = fr.checked_sub(section_errors + 1);
        let start = match heading {
            Some(k) if matches!(rows.get(k), Some(FormRow::Heading(..))) => k,
            _ => fr,
        };
        // Step 3, on a section's first field: as much of the section as fits comes into sight too.
        let end = if current.is_some() && start < fr {
            let section_end = rows[fr + 1..]
                .iter()
                .position(|r| matches!(r, FormRow::Heading(..)))
                .map_or(rows.len(), |k| fr + 1 + k);
            section_end.min(start + h).max(end)
        } else {
            end
        };
        if start < s.scroll {
            s.scroll = start;
        }
        if end > s.scroll + h {
            s.scroll = end - h;
        }
    }
    s.scroll = s.scroll.min(rows.len().saturating_sub(h));
    for (k, r) in rows.iter().skip(s.scroll).take(h).enumerate() {
        let area = row(content, u16::try_from(k).unwrap_or(u16::MAX));
        match r {
            FormRow::Heading(t, false) => para(frame, area, Line::styled(t.clone(), theme.heading)),
            FormRow::Heading(t, true) => para(frame, area, Line::styled(t.clone(), theme.selected)),
            FormRow::Field(f) => draw_field(s, frame, area, *f, label_w, theme),
            FormRow::Error(e) => para(frame, indent(area, 4), Line::styled(e.clone(), theme.error)),
            FormRow::Note(t) => para(frame, area, Line::styled(t.clone(), theme.muted)),
            FormRow::Blank => {}
        }
    }
    scroll_marks(
        frame,
        area,
        content,
        s.scroll > 0,
        rows.len() > s.scroll + h,
        theme,
    );
}

/// ▲ and ▼ on the panel's right border when rows are hidden above or below.
pub(super) fn scroll_marks(
    frame: &mut Frame,
    panel: Rect,
    content: Rect,
    above: bool,
    below: bool,
    theme: &Theme,
) {
    let x = panel.right().saturating_sub(1);
    if above {
        para(
            frame,
            Rect::new(x, content.y, 1, 1),
            Line::styled("▲", theme.muted),
        );
    }
    if below {
        para(
            frame,
            Rect::new(x, content.bottom().saturating_sub(1), 1, 1),
            Line::styled("▼", theme.muted),
        );
    }
}

/// The panel's foot: the build's warnings (they never block, so they stay in sight), then the state
/// of the step (busy, an error, a confirmation), else the step's keys or `idle`. Returns the rows left
/// above it.
pub(super) fn bottom(
    s: &OrderWizardScreen,
    frame: &mut Frame,
    inner: Rect,
    theme: &Theme,
    warnings: &[String],
    hints: Option<&[crate::keymap::HelpLine]>,
    idle: Option<(String, Style)>,
) -> Rect {
    let w = usize::from(inner.width);
    let mut warn_rows: Vec<String> = Vec::new();
    for warning in warnings {
        for (k, l) in wrap(warning, w.saturating_sub(2)).into_iter().enumerate() {
            warn_rows.push(format!("{} {l}", if k == 0 { "!" } else { " " }));
        }
    }
    if warn_rows.len() > 4 {
        warn_rows.truncate(3);
        warn_rows.push("! … more warnings: the review lists them all".into());
    }
    let wrapped = |text: String, style: Style| -> Vec<Line<'static>> {
        wrap(&text, w)
            .into_iter()
            .take(3)
            .map(|l| Line::styled(l, style))
            .collect()
    };
    let status: Vec<Line<'static>> = match &s.status {
        Status::Busy(t) => wrapped(t.clone(), theme.muted),
        Status::Error(t) => wrapped(format!("ERROR: {t}"), theme.error),
        Status::Info(t) => wrapped(format!("✔ {t}"), theme.ok),
        Status::None => idle.map_or_else(Vec::new, |(t, style)| wrapped(t, style)),
    };
    let status_rows = if status.is_empty() && hints.is_none() {
        0
    } else {
        status.len().max(1)
    };
    let foot = u16::try_from(warn_rows.len() + status_rows).unwrap_or(u16::MAX);
    let foot = foot.min(inner.height.saturating_sub(3));
    let content = Rect::new(inner.x, inner.y, inner.width, inner.height - foot);
    let mut y = content.bottom();
    for l in warn_rows {
        if y >= inner.bottom() {
            break;
        }
        para(
            frame,
            Rect::new(inner.x, y, inner.width, 1),
            Line::styled(l, theme.warn),
        );
        y += 1;
    }
    if status.is_empty() {
        if let Some(hints) = hints
            && y < inner.bottom()
        {
            // The key bar's look; it starts with a space, so one column to the left.
            let r = Rect::new(inner.x.saturating_sub(1), y, inner.width + 1, 1);
            key_bar::render(frame, r, hints, theme);
        }
    } else {
        for l in status {
            if y >= inner.bottom() {
                break;
            }
            para(frame, Rect::new(inner.x, y, inner.width, 1), l);
            y += 1;
        }
    }
    content
}

pub(super) fn draw_field(
    s: &mut OrderWizardScreen,
    frame: &mut Frame,
    area: Rect,
    fid: Fid,
    label_w: u16,
    theme: &Theme,
) {
    let focused = s.focus == Some(fid);
    let spec = form::spec(&s.state, s.selected(), fid, s.today);
    let input_w = spec.width;
    match spec.kind {
        Kind::Text { value, max_len } => {
            if focused && let Some(editor) = s.editor_mut() {
                editor.render(frame, area, theme, true, label_w, input_w);
            } else {
                let mut f = FormField::text(spec.label.clone()).with_max_len(max_len);
                f.set_value(&value);
                f.render(frame, area, theme, focused, label_w, input_w);
            }
        }
        Kind::Choice(value) => {
            let mut f = FormField::choice(spec.label.clone(), vec![value], 0);
            f.render(frame, area, theme, focused, label_w, input_w);
        }
        Kind::Button(text) => marked(frame, area, format!("[ {text} ]"), focused, theme),
        Kind::Row(text) => marked(frame, area, text, focused, theme),
        Kind::Anchor => {}
    }
    if let Some(hint) = spec.hint {
        let x = 2 + label_w + 1 + input_w + 2 + 2;
        if x < area.width {
            para(frame, indent(area, x), Line::styled(hint, theme.muted));
        }
    }
}

/// A button or a row: `▶` before it when focused.
fn marked(frame: &mut Frame, area: Rect, text: String, focused: bool, theme: &Theme) {
    let (marker, style) = if focused {
        ("▶ ", theme.focus)
    } else {
        ("  ", theme.muted)
    };
    para(
        frame,
        area,
        Line::from(vec![
            Span::styled(marker, theme.focus),
            Span::styled(text, style),
        ]),
    );
}
