//! Drawing the version list, a version's items, the editor, an item's form with the condition's caret,
//! the preview and the questions.

use super::{
    Asked, Editor, ItemForm, Items, Mode, Preview, Question, TemplatesScreen, shown_message,
};
use crate::domain::checklist::ItemDraft;
use crate::text::for_terminal;
use crate::theme::Theme;
use crate::widgets::{
    centered, confirm, dialog, dim, draw_loading, fit_text, panel, row, rows, selectable_table,
    wrap,
};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row};

fn t(text: &str) -> String {
    for_terminal(text).into_owned()
}

impl TemplatesScreen {
    pub(super) fn draw(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        match &mut self.mode {
            Mode::List => self.draw_list(frame, area, theme),
            Mode::Version(v) => {
                let heading = format!("{} v{} (read-only)", t(&v.form_name), v.version);
                draw_items(frame, area, v, &heading, None, theme);
            }
            Mode::Editor(e) => match &e.item {
                Some(f) => draw_item_form(frame, area, f, e.error.as_deref(), theme),
                None => {
                    let heading = format!(
                        "{}: new version from v{}",
                        t(&e.items.form_name),
                        e.items.version
                    );
                    draw_items(
                        frame,
                        area,
                        &mut e.items,
                        &heading,
                        Some(e.error.as_deref()),
                        theme,
                    );
                }
            },
        }
        if let Some(p) = &self.preview {
            draw_preview(frame, area, p, theme);
        }
        if let Some(a) = &self.asked {
            draw_question(frame, area, a, self.editor(), theme);
        }
    }

    fn draw_list(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let [body, info] =
            Layout::vertical([Constraint::Min(0), Constraint::Length(2.min(area.height))])
                .areas(area);
        let block = panel("Checklist templates and versions", theme);
        if self.versions.is_empty() {
            let inner = block.inner(body);
            frame.render_widget(block, body);
            draw_loading(
                frame,
                inner,
                self.load_error.as_deref(),
                if self.loaded {
                    "No templates: import them with `cleanstation templates import FILE`"
                } else {
                    "Loading the templates…"
                },
                theme,
            );
            return;
        }
        let header = Row::new([
            "",
            "Template",
            "Version",
            "Items",
            "Recorded work",
            "Created",
        ])
        .style(theme.heading);
        let rows_: Vec<Row> = self
            .versions
            .iter()
            .map(|v| {
                Row::new([
                    if v.is_active { "●" } else { " " }.to_string(),
                    t(&v.form_name),
                    format!("v{}", v.version),
                    v.item_count.to_string(),
                    if v.has_results {
                        "yes (frozen)"
                    } else {
                        "none"
                    }
                    .to_string(),
                    v.created_at
                        .map(|c| c.format("%Y-%m-%d").to_string())
                        .unwrap_or_default(),
                ])
            })
            .collect();
        let height = usize::from(body.height.saturating_sub(3));
        let range = self.cursor.window(self.versions.len(), height.max(1));
        let shown: Vec<Row> = rows_
            .into_iter()
            .skip(range.start)
            .take(range.len())
            .collect();
        let table = selectable_table(
            shown,
            [
                Constraint::Length(1),
                Constraint::Min(20),
                Constraint::Length(7),
                Constraint::Length(5),
                Constraint::Length(13),
                Constraint::Length(10),
            ],
            header,
            block,
            theme,
        );
        let mut state = self.cursor.table_state(&range);
        frame.render_stateful_widget(table, body, &mut state);
        let line1 = match self.selected() {
            Some(v) if v.is_active => format!(
                "● {} v{} is active: new builds get its items.",
                t(&v.form_name),
                v.version
            ),
            Some(v) => format!(
                "{} v{} is inactive{}.",
                t(&v.form_name),
                v.version,
                if v.has_results {
                    "; builds that used it keep it"
                } else {
                    ""
                }
            ),
            None => String::new(),
        };
        let line2 = "n: a new version from the active one, saved inactive · a: make it active";
        frame.render_widget(
            Paragraph::new(vec![
                Line::from(fit_text(&line1, usize::from(info.width))),
                Line::from(Span::styled(
                    fit_text(line2, usize::from(info.width)),
                    theme.muted,
                )),
            ]),
            info,
        );
    }
}

/// One line of an item's rules: limits, options, usage keys.
fn rules_line(d: &ItemDraft) -> String {
    let mut parts = vec![d.check_type.clone()];
    if let Some(o) = &d.options {
        let several = if d.multiple == Some(true) {
            " (several)"
        } else {
            ""
        };
        parts.push(format!("options: {}{several}", t(&o.join(" | "))));
    }
    if let (Some(min), Some(max)) = (d.min, d.max) {
        parts.push(format!(
            "{min} to {max} {}",
            t(d.unit.as_deref().unwrap_or(""))
        ));
    }
    if let Some(m) = d.est_minutes {
        parts.push(format!("{m} min"));
    }
    if let Some(tt) = &d.test_type {
        parts.push(t(tt));
    }
    if let Some(id) = &d.item_id {
        let qty = d
            .qty
            .map(|q| format!("×{q}"))
            .or_else(|| d.qty_from.as_ref().map(|_| "× from the BOM".to_string()))
            .unwrap_or_default();
        parts.push(format!("{} {qty}", t(id)));
    }
    parts.join(" · ")
}

fn yes(b: Option<bool>, default: bool) -> &'static str {
    if b.unwrap_or(default) { "yes" } else { "no" }
}

/// A version's items with the selected item's details under them; `error` is the editor's message line.
fn draw_items(
    frame: &mut Frame,
    area: Rect,
    items: &mut Items,
    heading: &str,
    error: Option<Option<&str>>,
    theme: &Theme,
) {
    let detail_h = if area.height >= 30 { 10 } else { 9 };
    let msg_h = u16::from(error.is_some());
    let [list, detail, msg] = Layout::vertical([
        Constraint::Min(4),
        Constraint::Length(detail_h.min(area.height)),
        Constraint::Length(msg_h),
    ])
    .areas(area);
    let title = format!("{heading}: {} items", items.items.len());
    let header =
        Row::new(["Seq", "Code", "Section", "Type", "Basin", "Wording"]).style(theme.heading);
    let height = usize::from(list.height.saturating_sub(3)).max(1);
    let range = items.cursor.window(items.items.len(), height);
    let shown: Vec<Row> = items
        .items
        .iter()
        .skip(range.start)
        .take(range.len())
        .map(|d| {
            Row::new([
                d.sequence.to_string(),
                t(&d.code),
                t(&d.section),
                d.check_type.clone(),
                yes(d.basin_specific, false).to_string(),
                t(&d.description),
            ])
        })
        .collect();
    let table = selectable_table(
        shown,
        [
            Constraint::Length(4),
            Constraint::Length(7),
            Constraint::Length(14),
            Constraint::Length(12),
            Constraint::Length(5),
            Constraint::Min(10),
        ],
        header,
        panel(&title, theme),
        theme,
    );
    let mut state = items.cursor.table_state(&range);
    frame.render_stateful_widget(table, list, &mut state);

    let block = panel("Item", theme);
    let inner = block.inner(detail);
    frame.render_widget(block, detail);
    if let Some(d) = items.selected() {
        let w = usize::from(inner.width);
        let mut lines = vec![Line::from(Span::styled(
            fit_text(
                &format!(
                    "{} · {} · sequence {}",
                    t(&d.code),
                    t(&d.section),
                    d.sequence
                ),
                w,
            ),
            theme.heading,
        ))];
        lines.extend(
            wrap(&t(&d.description), w)
                .into_iter()
                .take(2)
                .map(Line::from),
        );
        lines.extend(wrap(&rules_line(d), w).into_iter().take(2).map(Line::from));
        let applies = format!(
            "Applies when: {}",
            d.applies_when.as_deref().map_or("always".to_string(), t)
        );
        lines.extend(wrap(&applies, w).into_iter().take(2).map(Line::from));
        lines.push(Line::from(fit_text(
            &format!(
                "Per basin: {} · required: {} · notes field: {}",
                yes(d.basin_specific, false),
                yes(d.required, true),
                yes(d.notes_prompt, false)
            ),
            w,
        )));
        frame.render_widget(Paragraph::new(lines), inner);
    }
    if let Some(e) = error.flatten() {
        frame.render_widget(
            Paragraph::new(Line::from(Span::styled(
                fit_text(&format!("! {}", t(e)), usize::from(msg.width)),
                theme.error,
            ))),
            msg,
        );
    }
}

/// An item's form: one row per field, then the item's problems, an appliesWhen syntax error with a caret
/// under the column the parser names.
fn draw_item_form(frame: &mut Frame, area: Rect, f: &ItemForm, error: Option<&str>, theme: &Theme) {
    let title = match f.index {
        Some(_) => format!("Item {}", t(&f.base.code)),
        None => "New item".to_string(),
    };
    let block = panel(&title, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = usize::from(inner.width);
    // Problems first, so the form keeps whatever rows are left.
    let mut problem_lines: Vec<Line> = Vec::new();
    for p in &f.problems {
        let msg = shown_message(&p.message);
        if let (Some(col), Some(src)) = (p.column, f.base_condition(&f.form)) {
            // The parser's own words: after `appliesWhen "<condition>": `.
            let why = msg
                .strip_prefix(&format!("appliesWhen \"{src}\": "))
                .unwrap_or(msg);
            let lead = "Applies when: ";
            problem_lines.push(Line::from(fit_text(&format!("{lead}{}", t(&src)), w)));
            let caret = format!(
                "{}^ {}",
                " ".repeat(lead.chars().count() + col.saturating_sub(1)),
                t(why)
            );
            problem_lines.push(Line::from(Span::styled(fit_text(&caret, w), theme.error)));
        } else {
            for l in wrap(&format!("ERROR: {}", t(msg)), w).into_iter().take(2) {
                problem_lines.push(Line::from(Span::styled(l, theme.error)));
            }
        }
    }
    if let Some(e) = error {
        problem_lines.push(Line::from(Span::styled(
            fit_text(&format!("! {}", t(e)), w),
            theme.error,
        )));
    }
    let p_h = u16::try_from(problem_lines.len())
        .unwrap_or(u16::MAX)
        .min(inner.height / 2);
    let [fields_area, msgs] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(p_h)]).areas(inner);
    let n = f.form.len();
    let visible = usize::from(fields_area.height).max(1);
    let focus = f.form.focus();
    let first = focus
        .saturating_sub(visible.saturating_sub(1))
        .min(n.saturating_sub(visible));
    let input_w = fields_area.width.saturating_sub(22).min(60);
    for (k, i) in (first..n).take(visible).enumerate() {
        if let Some(field) = f.form.field(i) {
            let mut field = field.clone();
            field.render(
                frame,
                row(fields_area, u16::try_from(k).unwrap_or(u16::MAX)),
                theme,
                i == focus,
                16,
                input_w,
            );
        }
    }
    frame.render_widget(Paragraph::new(problem_lines), msgs);
}

impl ItemForm {
    /// The condition as typed now, for the caret line.
    fn base_condition(&self, form: &crate::widgets::form_field::Form) -> Option<String> {
        self.fields
            .iter()
            .position(|x| *x == super::Field::AppliesWhen)
            .map(|i| form.value(i))
    }
}

fn draw_preview(frame: &mut Frame, area: Rect, p: &Preview, theme: &Theme) {
    dim(frame, area, theme);
    let width = area.width.saturating_sub(4).min(110);
    let height = area.height.saturating_sub(2);
    let title = format!("Preview: {}", t(&p.form_name));
    let inner = dialog(frame, centered(area, width, height), &title, theme);
    let w = usize::from(inner.width);
    let mut lines: Vec<Line> = Vec::new();
    match &p.shown {
        Some(s) => {
            let label = s.samples.get(s.sample).cloned().unwrap_or_default();
            lines.push(Line::from(Span::styled(
                fit_text(
                    &format!(
                        "Sample {} of {}: {} — {} item(s)",
                        s.sample + 1,
                        s.samples.len(),
                        t(&label),
                        s.build.items.len()
                    ),
                    w,
                ),
                theme.heading,
            )));
            let mut section: Option<&str> = None;
            for it in &s.build.items {
                if section != Some(it.section.as_str()) {
                    lines.push(Line::from(Span::styled(
                        fit_text(&t(&it.section), w),
                        theme.muted,
                    )));
                    section = Some(&it.section);
                }
                let basin = it
                    .basin_index
                    .map(|n| format!(" [basin {n}]"))
                    .unwrap_or_default();
                lines.push(Line::from(fit_text(
                    &format!("  {}{basin}  {}", t(&it.code), t(&it.description)),
                    w,
                )));
            }
        }
        None if p.pending.is_some() => lines.push(Line::from("… Loading the preview")),
        None => {}
    }
    if let Some(e) = &p.error {
        lines.push(Line::from(Span::styled(
            fit_text(&format!("ERROR: {}", t(e)), w),
            theme.error,
        )));
    }
    let body = rows(inner, 0, inner.height.saturating_sub(1));
    let total = lines.len();
    let room = usize::from(body.height);
    if total > room && room > 1 {
        lines.truncate(room - 1);
        lines.push(Line::from(Span::styled(
            format!("… {} more line(s)", total - (room - 1)),
            theme.muted,
        )));
    }
    frame.render_widget(Paragraph::new(lines), body);
    frame.render_widget(
        Paragraph::new(Line::from(Span::styled(
            "Tab: next sample build · Esc: back",
            theme.muted,
        ))),
        row(inner, inner.height.saturating_sub(1)),
    );
}

fn draw_question(frame: &mut Frame, area: Rect, a: &Asked, editor: Option<&Editor>, theme: &Theme) {
    let (title, mut lines) = match &a.question {
        Question::Save => {
            let (name, base, n) = editor.map_or((String::new(), 0, 0), |e| {
                (
                    e.items.form_name.clone(),
                    e.items.version,
                    e.items.items.len(),
                )
            });
            (
                "Save new version",
                vec![
                    format!("Save {} items as a new version of {}?", n, t(&name)),
                    format!("Made from v{base}; no stored version changes."),
                    "It stays inactive until you activate it.".to_string(),
                ],
            )
        }
        Question::Activate(row) => (
            "Activate version",
            vec![
                format!(
                    "Make {} v{} the active version?",
                    t(&row.form_name),
                    row.version
                ),
                "New builds get its items; the other versions become inactive.".to_string(),
                "Builds and results made before keep their version.".to_string(),
            ],
        ),
        Question::Discard => (
            "Unsaved changes",
            vec![
                "Leave the editor and discard the unsaved changes?".to_string(),
                "n keeps editing.".to_string(),
            ],
        ),
    };
    confirm::push_status(
        &mut lines,
        a.pending.map(|_| "… Saving, please wait"),
        a.error.as_deref(),
    );
    confirm::render(frame, area, title, &lines, &a.keys, theme);
}
