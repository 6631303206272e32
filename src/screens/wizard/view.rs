//! Drawing the wizard: the step bar, the build list, each step's panel and the questions on top.

use super::form::{self, Item, Kind};
use super::state::{BasinSize, BuildDraft, Fid, Step, model_label, size_label};
use super::{Ask, Modal, Phase, Preview, Status, WizardScreen};
use crate::theme::Theme;
use crate::widgets::form_field::FormField;
use crate::widgets::{self, centered, confirm, dialog, dim, fit_text, key_bar, panel, row};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

/// Width of the build list beside steps 3-5.
const LIST_W: u16 = 18;

/// The number of an accessory group (`720.702` or `702` → 702), for sorting.
pub(super) fn group_code(subcategory: &str) -> u32 {
    subcategory
        .rsplit('.')
        .next()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(u32::MAX)
}

fn group_title(code: u32) -> String {
    let name = match code {
        702 => "Baskets, bins & shelves",
        703 => "Holders, plates & hangers",
        704 => "Lighting add-ons",
        705 => "Electronic & digital add-ons",
        _ => "Other",
    };
    format!("{code} · {name}")
}

fn width(s: &str) -> usize {
    s.chars().count()
}

/// Greedy word wrap to `max` columns; a word longer than a line is cut.
fn wrap(text: &str, max: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && width(&line) + 1 + width(word) > max {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines.into_iter().map(|l| fit_text(&l, max)).collect()
}

fn para(frame: &mut Frame, area: Rect, line: Line) {
    if area.width > 0 && area.height > 0 {
        frame.render_widget(Paragraph::new(line), area);
    }
}

/// A rectangle `dx` columns in from `r`'s left, clipped.
fn indent(r: Rect, dx: u16) -> Rect {
    let x = r.x.saturating_add(dx).min(r.right());
    Rect::new(x, r.y, r.right() - x, r.height)
}

pub(super) fn render(s: &mut WizardScreen, frame: &mut Frame, area: Rect, theme: &Theme) {
    if area.width < 20 || area.height < 6 {
        return;
    }
    let bar = row(area, 0);
    let body = Rect::new(area.x, area.y + 1, area.width, area.height - 1);
    match s.phase.clone() {
        Phase::Loading => {
            step_bar(s, frame, bar, theme);
            let inner = framed(frame, body, s.title(), theme);
            para(
                frame,
                row(inner, 1),
                Line::styled("… Loading the order wizard", theme.muted),
            );
            return;
        }
        Phase::Blocked(message) => {
            let inner = framed(frame, body, s.title(), theme);
            for (y, l) in (1..).zip(wrap(&format!("ERROR: {message}"), usize::from(inner.width))) {
                para(frame, row(inner, y), Line::styled(l, theme.error));
            }
            return;
        }
        Phase::Ready => {}
    }
    step_bar(s, frame, bar, theme);
    let step = s.step();
    // The build list sits beside the configuration, where each build's state matters most; the
    // accessory table and the BOM preview need the full width.
    let main = if step == Step::Configuration && s.edit.is_none() {
        let list = Rect::new(body.x, body.y, LIST_W.min(body.width), body.height);
        build_list(s, frame, list, theme);
        indent(body, LIST_W)
    } else {
        body
    };
    match step {
        Step::Customer | Step::Builds | Step::Configuration => form_panel(s, frame, main, theme),
        Step::Accessories => accessories_panel(s, frame, main, theme),
        Step::Review => review_panel(s, frame, main, theme),
    }
    modal(s, frame, area, theme);
}

/// Draws a panel and returns its inside, one column in from each border.
fn framed(frame: &mut Frame, area: Rect, title: &str, theme: &Theme) -> Rect {
    let block: Block = panel(title, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    widgets::inset(inner, 1)
}

fn step_bar(s: &WizardScreen, frame: &mut Frame, area: Rect, theme: &Theme) {
    let steps: &[Step] = if s.edit.is_some() {
        &[Step::Configuration, Step::Accessories]
    } else {
        &Step::ALL
    };
    let current = s.step();
    let mut spans = vec![Span::raw(" ")];
    for (i, step) in steps.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" › ", theme.muted));
        }
        let (mark, style) = if *step == current {
            ("▶", theme.focus)
        } else if *step > current || s.phase != Phase::Ready {
            ("○", theme.muted)
        } else if s.step_ok(*step) {
            ("✔", theme.ok)
        } else {
            ("✖", theme.error)
        };
        spans.push(Span::styled(
            format!("{mark} {} {}", step.number(), step.short()),
            style,
        ));
    }
    if s.edit.is_some() {
        spans.push(Span::styled(
            format!(
                "   Build {} · PO {}",
                s.state.build_label(0),
                s.state.header.po_number.trim()
            ),
            theme.muted,
        ));
    }
    para(frame, area, Line::from(spans));
}

/// The step's panel, titled; returns the inside with a one-column margin.
fn step_panel(s: &WizardScreen, frame: &mut Frame, area: Rect, theme: &Theme) -> Rect {
    let title = fit_text(&panel_title(s), usize::from(area.width).saturating_sub(6));
    framed(frame, area, &title, theme)
}

fn panel_title(s: &WizardScreen) -> String {
    let step = s.step();
    let b = s.selected();
    let label = s.state.build_label(b);
    if s.edit.is_some() {
        return format!("Edit build {label} · {}", step.title());
    }
    let n = s.state.builds.len();
    match step {
        Step::Customer | Step::Builds => {
            format!("Step {} of 5 · {}", step.number(), step.title())
        }
        _ if n > 1 => format!(
            "Step {} of 5 · {} · {label} ({} of {n})",
            step.number(),
            step.title(),
            b + 1
        ),
        _ => format!("Step {} of 5 · {} · {label}", step.number(), step.title()),
    }
}

/// Steps 3-5: every build with its state; the selected one is the one shown.
fn build_list(s: &WizardScreen, frame: &mut Frame, area: Rect, theme: &Theme) {
    let inner = framed(frame, area, "Builds", theme);
    let review = s.step() == Step::Review;
    let w = usize::from(inner.width).saturating_sub(4);
    for i in 0..s.state.builds.len() {
        let (mark, style) = build_mark(s, i, theme);
        let selected = i == s.selected();
        let line = if selected {
            Line::from(Span::styled(
                format!("▶ {mark} {:<w$}", fit_text(&s.state.build_label(i), w)),
                theme.selected,
            ))
        } else {
            Line::from(vec![
                Span::raw("  "),
                Span::styled(mark, style),
                Span::raw(format!(" {}", fit_text(&s.state.build_label(i), w))),
            ])
        };
        para(
            frame,
            row(inner, u16::try_from(i).unwrap_or(u16::MAX)),
            line,
        );
    }
    let legend: [(&str, Style, &str); 3] = if review {
        [
            ("✔", theme.ok, "BOM ready"),
            ("!", theme.warn, "warnings"),
            ("✖", theme.error, "BOM failed"),
        ]
    } else {
        [
            ("✔", theme.ok, "complete"),
            ("!", theme.warn, "warnings"),
            ("✖", theme.error, "incomplete"),
        ]
    };
    let top = inner.height.saturating_sub(3);
    if top > u16::try_from(s.state.builds.len()).unwrap_or(u16::MAX) {
        for (k, (mark, style, text)) in legend.into_iter().enumerate() {
            let y = top + u16::try_from(k).unwrap_or(0);
            para(
                frame,
                row(inner, y),
                Line::from(vec![
                    Span::styled(mark, style),
                    Span::styled(format!(" {text}"), theme.muted),
                ]),
            );
        }
    }
}

fn build_mark(s: &WizardScreen, i: usize, theme: &Theme) -> (&'static str, Style) {
    let Some(build) = s.state.builds.get(i) else {
        return (" ", theme.muted);
    };
    if s.step() == Step::Review {
        return match s.previews.get(i) {
            Some(Preview::Ready(p)) if p.notes.is_empty() => ("✔", theme.ok),
            Some(Preview::Ready(_)) => ("!", theme.warn),
            Some(Preview::Failed(_)) => ("✖", theme.error),
            _ => ("…", theme.muted),
        };
    }
    let errors = !s.step_errors(Step::Configuration, i).is_empty()
        || !s.step_errors(Step::Accessories, i).is_empty();
    if errors {
        ("✖", theme.error)
    } else if build.warnings(s.state.family).is_empty() {
        ("✔", theme.ok)
    } else {
        ("!", theme.warn)
    }
}

/// One row of a form as laid out.
enum FormRow {
    Heading(String),
    Field(Fid),
    Error(String),
    Note(String),
    Blank,
}

fn form_panel(s: &mut WizardScreen, frame: &mut Frame, area: Rect, theme: &Theme) {
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
    for item in &items {
        match item {
            Item::Heading(t) => rows.push(FormRow::Heading(t.clone())),
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
                let indent = if matches!(rows.last(), Some(FormRow::Heading(_))) {
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
        let start = if fr > 0 && matches!(rows.get(fr - 1), Some(FormRow::Heading(_))) {
            fr - 1
        } else {
            fr
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
            FormRow::Heading(t) => para(frame, area, Line::styled(t.clone(), theme.heading)),
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
fn scroll_marks(
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
fn bottom(
    s: &WizardScreen,
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

fn draw_field(
    s: &mut WizardScreen,
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
        Kind::Button(text) => {
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
                    Span::styled(format!("[ {text} ]"), style),
                ]),
            );
        }
        Kind::Row(text) => {
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
        Kind::Anchor => {}
    }
    if let Some(hint) = spec.hint {
        let x = 2 + label_w + 1 + input_w + 2 + 2;
        if x < area.width {
            para(frame, indent(area, x), Line::styled(hint, theme.muted));
        }
    }
}

/// Step 4: the 54 accessories, grouped and searchable, with this build's quantities.
fn accessories_panel(s: &mut WizardScreen, frame: &mut Frame, area: Rect, theme: &Theme) {
    let inner = step_panel(s, frame, area, theme);
    if inner.height < 8 {
        return;
    }
    let w = usize::from(inner.width);
    let b = s.selected();
    let matching = s.matching();
    let build = s.state.builds.get(b).cloned().unwrap_or_default();
    let in_list = s.acc.in_list;
    let warnings = build.warnings(s.state.family);
    let hints = in_list.then(|| {
        let mut h = s.keys.accessories.clone();
        if s.edit.is_some() {
            h.retain(|l| l.action != crate::keymap::Action::CopyFrom);
        }
        h
    });
    let idle = (!in_list).then(|| {
        (
            "Type to search id or name · in the list, digits set the quantity, 0 removes".into(),
            theme.muted,
        )
    });
    let content = bottom(s, frame, inner, theme, &warnings, hints.as_deref(), idle);

    let search_row = row(content, 0);
    s.acc
        .search
        .render(frame, search_row, theme, !in_list, 6, 24);
    let chosen = build.accessories.len();
    let count = if s.acc.search.value().trim().is_empty() {
        format!("{} accessories · {chosen} chosen", s.catalog.len())
    } else {
        format!(
            "{} of {} · {chosen} chosen",
            matching.len(),
            s.catalog.len()
        )
    };
    para(
        frame,
        indent(search_row, 2 + 6 + 1 + 26 + 2),
        Line::styled(count, theme.muted),
    );

    let id_w = 30.min(w.saturating_sub(12));
    let name_w = w.saturating_sub(2 + 3 + 2 + id_w + 1);
    para(
        frame,
        row(content, 2),
        Line::styled(
            format!("  {:>3}  {:<id_w$} {}", "Qty", "Id", "Name"),
            theme.heading,
        ),
    );

    // Group headings between the items; the cursor counts items only.
    enum AccRow {
        Group(u32),
        Item(usize, usize),
    }
    let mut rows = Vec::new();
    let mut last_group = None;
    for (k, ci) in matching.iter().enumerate() {
        let g = group_code(&s.catalog[*ci].subcategory);
        if last_group != Some(g) {
            rows.push(AccRow::Group(g));
            last_group = Some(g);
        }
        rows.push(AccRow::Item(k, *ci));
    }
    // Search, blank, column heads; the list; the full name of the row under the cursor.
    let list = Rect::new(
        content.x,
        content.y + 3,
        content.width,
        content.height.saturating_sub(4),
    );
    let h = usize::from(list.height);
    let cursor = s.acc.cursor.min(matching.len().saturating_sub(1));
    if let Some(cr) = rows
        .iter()
        .position(|r| matches!(r, AccRow::Item(k, _) if *k == cursor))
    {
        let start = if cr > 0 && matches!(rows[cr - 1], AccRow::Group(_)) {
            cr - 1
        } else {
            cr
        };
        if start < s.acc.scroll {
            s.acc.scroll = start;
        }
        if cr + 1 > s.acc.scroll + h {
            s.acc.scroll = cr + 1 - h;
        }
    }
    s.acc.scroll = s.acc.scroll.min(rows.len().saturating_sub(h));
    if matching.is_empty() {
        let text = if s.catalog.is_empty() {
            "No accessories are available.".to_string()
        } else {
            format!("No accessory matches \"{}\".", s.acc.search.value().trim())
        };
        para(frame, row(list, 0), Line::styled(text, theme.muted));
    }
    for (k, r) in rows.iter().skip(s.acc.scroll).take(h).enumerate() {
        let area = row(list, u16::try_from(k).unwrap_or(u16::MAX));
        match r {
            AccRow::Group(g) => para(frame, area, Line::styled(group_title(*g), theme.heading)),
            AccRow::Item(pos, ci) => {
                let item = &s.catalog[*ci];
                let qty = build.accessory_qty(&item.id);
                let at = *pos == cursor;
                let marker = if at { "▶ " } else { "  " };
                let qty_text = if qty > 0 {
                    format!("{qty:>3}")
                } else {
                    "  ·".to_string()
                };
                let id = format!("  {:<id_w$} ", fit_text(&item.id, id_w));
                let name = fit_text(&item.name, name_w);
                let line = if at && in_list {
                    Line::styled(
                        format!("{:<w$}", format!("{marker}{qty_text}{id}{name}")),
                        theme.selected,
                    )
                } else {
                    let style = if qty > 0 { theme.base } else { theme.muted };
                    Line::from(vec![
                        Span::styled(marker, theme.focus),
                        Span::styled(qty_text, if qty > 0 { theme.ok } else { theme.muted }),
                        Span::styled(id, style),
                        Span::styled(name, style),
                    ])
                };
                para(frame, area, line);
            }
        }
    }
    scroll_marks(
        frame,
        area,
        list,
        s.acc.scroll > 0,
        rows.len() > s.acc.scroll + h,
        theme,
    );
    // The table cuts long names: the one under the cursor is shown in full.
    if let Some(ci) = matching.get(cursor) {
        let item = &s.catalog[*ci];
        para(
            frame,
            row(content, content.height - 1),
            Line::from(vec![
                Span::styled(format!("{} ", item.id), theme.muted),
                Span::styled(
                    fit_text(&item.name, w.saturating_sub(width(&item.id) + 1)),
                    theme.base,
                ),
            ]),
        );
    }
}

fn kv(label: &str, value: String, theme: &Theme, w: usize) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("  {label:<12} "), theme.muted),
        Span::styled(fit_text(&value, w.saturating_sub(15)), theme.base),
    ])
}

fn yes(flag: bool, text: &str) -> Option<String> {
    flag.then(|| text.to_string())
}

/// The configuration of one build in words.
fn summary(b: &BuildDraft, theme: &Theme, w: usize) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let model = b.model.as_deref().map(model_label).unwrap_or_default();
    out.push(kv(
        "Sink",
        format!(
            "{model}, {} x {} in (W x L)",
            b.width.trim(),
            b.length.trim()
        ),
        theme,
        w,
    ));
    out.push(kv(
        "Legs",
        format!(
            "{} {}",
            b.legs_type.map(|l| l.title()).unwrap_or_default(),
            b.legs_model.clone().unwrap_or_default()
        ),
        theme,
        w,
    ));
    out.push(kv(
        "Feet",
        b.feet.map(|f| f.title().to_string()).unwrap_or_default(),
        theme,
        w,
    ));
    out.push(kv("Direction", b.direction.title().to_string(), theme, w));
    let pegboard = if b.pegboard {
        let size = if b.peg_size == crate::domain::order::PegboardSizeType::Custom {
            format!("custom {} x {} in", b.peg_width.trim(), b.peg_length.trim())
        } else {
            "same as sink".into()
        };
        format!(
            "{}, {}, {size}",
            b.peg_type.map(|t| t.title()).unwrap_or_default(),
            b.peg_color.map(|c| c.title()).unwrap_or_default()
        )
    } else {
        "none".into()
    };
    out.push(kv("Pegboard", pegboard, theme, w));
    for (i, basin) in b.basins.iter().enumerate() {
        let size = if basin.size == Some(BasinSize::Custom) {
            format!(
                "custom {} x {} x {}",
                basin.width.trim(),
                basin.length.trim(),
                basin.depth.trim()
            )
        } else {
            size_label(basin.size)
        };
        let mut parts = vec![
            basin
                .basin_type
                .map(|t| t.title().to_string())
                .unwrap_or_default(),
            size,
        ];
        parts.extend(yes(basin.p_trap, "P-trap"));
        parts.extend(yes(basin.light, "light"));
        out.push(kv(&format!("Basin {}", i + 1), parts.join(", "), theme, w));
    }
    if b.faucets.is_empty() {
        out.push(kv("Faucets", "none".into(), theme, w));
    }
    for (i, f) in b.faucets.iter().enumerate() {
        out.push(kv(
            &format!("Faucet {}", i + 1),
            format!(
                "{} x {}, {}",
                f.quantity.trim(),
                f.faucet_type.map(|t| t.title()).unwrap_or_default(),
                f.placement.title()
            ),
            theme,
            w,
        ));
    }
    if b.sprayers.is_empty() {
        out.push(kv("Sprayers", "none".into(), theme, w));
    }
    for (i, sp) in b.sprayers.iter().enumerate() {
        out.push(kv(
            &format!("Sprayer {}", i + 1),
            format!(
                "{} x {}, {}",
                sp.quantity.trim(),
                sp.sprayer_type.map(|t| t.title()).unwrap_or_default(),
                sp.location.map(|l| l.title()).unwrap_or_default()
            ),
            theme,
            w,
        ));
    }
    if b.accessories.is_empty() {
        out.push(kv("Accessories", "none".into(), theme, w));
    }
    for (i, a) in b.accessories.iter().enumerate() {
        let label = if i == 0 { "Accessories" } else { "" };
        out.push(kv(
            label,
            format!("{} x {}", a.quantity, a.assembly_id),
            theme,
            w,
        ));
    }
    out
}

/// Step 5: every build's state in one row, then for the selected build the PO, its configuration, its
/// BOM preview and its warnings.
fn review_panel(s: &mut WizardScreen, frame: &mut Frame, area: Rect, theme: &Theme) {
    let inner = step_panel(s, frame, area, theme);
    if inner.height < 5 {
        return;
    }
    let w = usize::from(inner.width);
    let b = s.selected();
    let idle = match s.submit_blocker() {
        Some(reason) if reason.starts_with('…') => (reason, theme.muted),
        Some(reason) => (format!("Submit is not available: {reason}"), theme.error),
        None => (
            format!(
                "✔ Ready to create PO {} with {} build(s)",
                s.state.header.po_number.trim(),
                s.state.builds.len()
            ),
            theme.ok,
        ),
    };
    let content = bottom(s, frame, inner, theme, &[], None, Some(idle));

    // Every build with its preview state; the one shown is highlighted.
    let mut strip = vec![Span::styled("Builds ", theme.muted)];
    for i in 0..s.state.builds.len() {
        let (mark, style) = build_mark(s, i, theme);
        let label = s.state.build_label(i);
        if i == b {
            strip.push(Span::styled(format!(" {mark} {label} "), theme.selected));
        } else {
            strip.push(Span::styled(format!(" {mark}"), style));
            strip.push(Span::raw(format!(" {label} ")));
        }
    }
    para(frame, row(content, 0), Line::from(strip));

    let build = s.state.builds.get(b).cloned().unwrap_or_default();
    let h = &s.state.header;
    let mut lines: Vec<Line> = Vec::new();
    lines.push(Line::styled(
        fit_text(
            &format!(
                "PO {} · {} · want {} · {}",
                h.po_number.trim(),
                h.customer_name.trim(),
                h.want_date.trim(),
                h.language.title()
            ),
            w,
        ),
        theme.title,
    ));
    let mut parts = Vec::new();
    if !h.project_name.trim().is_empty() {
        parts.push(format!("Project {}", h.project_name.trim()));
    }
    parts.push(format!("Sales {}", h.sales_person.trim()));
    lines.push(Line::styled(fit_text(&parts.join(" · "), w), theme.muted));
    if !h.notes.trim().is_empty() {
        for l in wrap(&format!("Notes: {}", h.notes.trim()), w)
            .into_iter()
            .take(3)
        {
            lines.push(Line::styled(l, theme.muted));
        }
    }
    for a in &s.state.attachments {
        lines.push(Line::styled(
            fit_text(&format!("Attachment: {}", a.label()), w),
            theme.muted,
        ));
    }
    lines.push(Line::default());
    lines.push(Line::styled("Configuration", theme.heading));
    lines.extend(summary(&build, theme, w));
    lines.push(Line::default());
    lines.push(Line::styled("BOM preview (top-level lines)", theme.heading));
    let mut notes: Vec<String> = build.warnings(s.state.family);
    match s.previews.get(b) {
        Some(Preview::Ready(p)) => {
            notes.clone_from(&p.notes);
            let id_w = 28.min(w.saturating_sub(20));
            let name_w = w.saturating_sub(2 + id_w + 1 + 3 + 2 + 9);
            lines.push(Line::styled(
                format!("  {:<id_w$} {:>3}  {:<9}{}", "Id", "Qty", "Kind", "Name"),
                theme.muted,
            ));
            for l in &p.lines {
                lines.push(Line::styled(
                    format!(
                        "  {:<id_w$} {:>3}  {:<9}{}",
                        fit_text(&l.id, id_w),
                        l.quantity,
                        fit_text(&l.kind, 8),
                        fit_text(&l.name, name_w)
                    ),
                    theme.base,
                ));
            }
        }
        Some(Preview::Failed(m)) => {
            for (k, l) in wrap(m, w.saturating_sub(4)).into_iter().enumerate() {
                let mark = if k == 0 { "✖" } else { " " };
                lines.push(Line::styled(format!("  {mark} {l}"), theme.error));
            }
        }
        _ => lines.push(Line::styled("  … Generating", theme.muted)),
    }
    if !notes.is_empty() {
        lines.push(Line::default());
        lines.push(Line::styled("Warnings (they do not block)", theme.heading));
        for n in &notes {
            for (k, l) in wrap(n, w.saturating_sub(4)).into_iter().enumerate() {
                let mark = if k == 0 { "!" } else { " " };
                lines.push(Line::styled(format!("  {mark} {l}"), theme.warn));
            }
        }
    }
    let body = Rect::new(
        content.x,
        content.y + 2,
        content.width,
        content.height.saturating_sub(2),
    );
    let rows = usize::from(body.height);
    s.review_scroll = s.review_scroll.min(lines.len().saturating_sub(rows));
    let total = lines.len();
    for (k, line) in lines
        .into_iter()
        .skip(s.review_scroll)
        .take(rows)
        .enumerate()
    {
        para(frame, row(body, u16::try_from(k).unwrap_or(u16::MAX)), line);
    }
    scroll_marks(
        frame,
        area,
        body,
        s.review_scroll > 0,
        total > s.review_scroll + rows,
        theme,
    );
}

fn modal(s: &WizardScreen, frame: &mut Frame, area: Rect, theme: &Theme) {
    let (title, lines, keys): (&str, Vec<String>, &[crate::keymap::HelpLine]) = match &s.modal {
        Modal::None => return,
        Modal::Picker {
            accessories,
            sources,
            selected,
        } => {
            picker(s, frame, area, theme, *accessories, sources, *selected);
            return;
        }
        Modal::Resume => {
            let mut lines = vec!["You left an order before submitting it:".to_string()];
            if let Some(d) = s
                .saved_draft
                .clone()
                .and_then(super::state::WizardState::from_draft)
            {
                let po = d.header.po_number.trim();
                let po = if po.is_empty() {
                    "no PO number yet"
                } else {
                    po
                };
                lines.push(format!(
                    "  PO {po} · {} build(s) · at step {} ({})",
                    d.builds.len(),
                    d.step.number(),
                    d.step.short()
                ));
            }
            lines.push(String::new());
            lines.push("y resumes it · n discards it and starts over".into());
            lines.push("Esc leaves it for later".into());
            ("Resume the unfinished order?", lines, &s.keys.question)
        }
        Modal::Leave => (
            "Leave the wizard",
            vec![
                "Discard this order?".into(),
                String::new(),
                "y discards everything entered.".into(),
                "n keeps it as a draft: New order offers to resume it.".into(),
                "Esc returns to the wizard.".into(),
            ],
            &s.keys.question,
        ),
        Modal::Ask(ask) => {
            let target = s.state.build_label(s.selected());
            let (title, text) = match ask {
                Ask::RemoveBuilds { keep } => {
                    let list: Vec<String> = (*keep..s.state.builds.len())
                        .map(|i| s.state.build_label(i))
                        .collect();
                    (
                        "Fewer sinks",
                        format!(
                            "Remove build(s) {} and their configuration?",
                            list.join(", ")
                        ),
                    )
                }
                Ask::RemoveBasins { model, basins } => {
                    let list: Vec<String> = basins.iter().map(ToString::to_string).collect();
                    (
                        "Change model",
                        format!(
                            "{} has fewer basins: remove basin(s) {} and their configuration?",
                            model,
                            list.join(", ")
                        ),
                    )
                }
                Ask::ReplaceConfig { source } => (
                    "Copy configuration",
                    format!(
                        "Replace the configuration of {target} with a copy of {}?",
                        s.state.build_label(*source)
                    ),
                ),
                Ask::ReplaceAccessories { source } => (
                    "Copy accessories",
                    format!(
                        "Replace the accessories of {target} with a copy of {}?",
                        s.state.build_label(*source)
                    ),
                ),
                Ask::LeaveEdit => (
                    "Leave without saving",
                    format!("Discard your changes to build {target}?"),
                ),
            };
            (title, wrap(&text, 64), &s.keys.confirm)
        }
    };
    confirm::render(frame, area, title, &lines, keys, theme);
}

fn picker(
    s: &WizardScreen,
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
    accessories: bool,
    sources: &[usize],
    selected: usize,
) {
    dim(frame, area, theme);
    let title = if accessories {
        "Copy accessories from"
    } else {
        "Copy configuration from"
    };
    let n = u16::try_from(sources.len()).unwrap_or(u16::MAX);
    let inner = dialog(frame, centered(area, 56, n.saturating_add(6)), title, theme);
    let target = s.state.build_label(s.selected());
    para(
        frame,
        row(inner, 0),
        Line::styled(
            fit_text(&format!("Into {target}:"), usize::from(inner.width)),
            theme.muted,
        ),
    );
    for (k, i) in sources.iter().enumerate() {
        let Some(b) = s.state.builds.get(*i) else {
            continue;
        };
        let what = if accessories {
            format!("{} accessory line(s)", b.accessories.len())
        } else {
            match &b.model {
                Some(m) => format!("{m}, {} x {} in", b.width.trim(), b.length.trim()),
                None => "not configured".into(),
            }
        };
        let at = k == selected;
        let text = format!(
            "{}{:<18} {}",
            if at { "▶ " } else { "  " },
            fit_text(&s.state.build_label(*i), 18),
            what
        );
        let text = fit_text(&text, usize::from(inner.width));
        let style = if at { theme.selected } else { theme.base };
        para(
            frame,
            row(inner, 2 + u16::try_from(k).unwrap_or(u16::MAX)),
            Line::styled(format!("{text:<w$}", w = usize::from(inner.width)), style),
        );
    }
    if inner.height >= 2 {
        key_bar::render(frame, row(inner, inner.height - 1), &s.keys.picker, theme);
    }
}
