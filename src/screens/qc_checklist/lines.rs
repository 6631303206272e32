//! How a checklist line reads: its status marker, answer, range and judgement as text, and the list of
//! lines under their section headings. Shared by the checklist and the read-only result.

use super::sheet::{Offer, Sheet};
use crate::domain::checklist::{CheckType, FormType};
use crate::domain::qc::{Answer, FormLine, Judgement, LineAnswer, QcItemDef, is_unanswered, judge};
use crate::theme::Theme;
use crate::widgets::wrap_list::scroll_to;
use crate::widgets::{fit_text, wrap};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use rust_decimal::Decimal;

/// "Pre-QC", "Final QC".
pub fn form_label(t: FormType) -> &'static str {
    match t {
        FormType::PreQc => "Pre-QC",
        FormType::FinalQc => "Final QC",
        FormType::InProcess => "In-process QC",
    }
}

/// The answers of `lines` in line order, taken from the stored answers (missing ones are empty).
pub fn answers_by_line(
    items: &[QcItemDef],
    lines: &[FormLine],
    stored: &[LineAnswer],
) -> Vec<Answer> {
    lines
        .iter()
        .map(|l| {
            items
                .get(l.item)
                .and_then(|item| {
                    stored
                        .iter()
                        .find(|a| a.item_id == item.id && a.basin_index == l.basin_index)
                })
                .map(|a| a.answer.clone())
                .unwrap_or_default()
        })
        .collect()
}

/// The item of line `line`.
pub fn item_of<'a>(
    items: &'a [QcItemDef],
    lines: &[FormLine],
    line: usize,
) -> Option<&'a QcItemDef> {
    lines.get(line).and_then(|l| items.get(l.item))
}

/// The judgement of one line; an item missing from the form counts as unanswered.
pub fn judgement(item: Option<&QcItemDef>, answer: &Answer) -> Judgement {
    item.map_or(Judgement::Unanswered, |i| judge(i, answer))
}

/// The status marker, readable without colour.
pub fn marker(j: &Judgement, answer: &Answer) -> &'static str {
    match j {
        Judgement::Unanswered => "[ ]",
        Judgement::Invalid(_) => "[!]",
        Judgement::NonConforming(_) => "[✗]",
        Judgement::Conforming if answer.is_na => "N/A",
        Judgement::Conforming => "[✓]",
    }
}

pub fn marker_style(j: &Judgement, theme: &Theme) -> Style {
    match j {
        Judgement::Unanswered => theme.muted,
        Judgement::Conforming => theme.ok,
        Judgement::NonConforming(_) | Judgement::Invalid(_) => theme.error,
    }
}

/// The judgement in words: "conforming", "non-conforming: answered no".
pub fn judgement_text(j: &Judgement) -> String {
    match j {
        Judgement::Unanswered => "not answered".into(),
        Judgement::Conforming => "conforming".into(),
        Judgement::NonConforming(why) => format!("non-conforming: {why}"),
        Judgement::Invalid(why) => format!("not accepted: {why}"),
    }
}

fn number(d: Decimal) -> String {
    d.normalize().to_string()
}

/// A measurement's range with its unit, e.g. `(35–40 mm)`; `None` for other items.
pub fn range_text(item: &QcItemDef) -> Option<String> {
    if item.check_type != CheckType::Measurement {
        return None;
    }
    let unit = item
        .unit
        .as_deref()
        .map(|u| format!(" {u}"))
        .unwrap_or_default();
    match (item.min, item.max) {
        (Some(lo), Some(hi)) => Some(format!("({}–{}{unit})", number(lo), number(hi))),
        (Some(lo), None) => Some(format!("(≥ {}{unit})", number(lo))),
        (None, Some(hi)) => Some(format!("(≤ {}{unit})", number(hi))),
        (None, None) => item.unit.as_ref().map(|u| format!("({u})")),
    }
}

/// The answer as the list shows it: `YES`, `N/A`, `41.5 mm`, the chosen options; empty when unanswered.
pub fn answer_text(item: &QcItemDef, answer: &Answer) -> String {
    if answer.is_na {
        return "N/A".into();
    }
    match (&answer.value, item.check_type, &item.unit) {
        (Some(v), CheckType::Measurement, Some(u)) => format!("{v} {u}"),
        (Some(v), _, _) => v.clone(),
        (None, _, _) => String::new(),
    }
}

/// The line's name: the description, with `Basin 2 · ` in front for a basin line.
pub fn line_label(item: &QcItemDef, line: &FormLine) -> String {
    match line.basin_index {
        Some(b) => format!("Basin {b} · {}", item.description),
        None => item.description.clone(),
    }
}

/// One row of the list: a section heading or a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    Heading(usize),
    Line(usize),
}

/// The rows of the list: a heading before each run of lines of one section.
pub fn rows(items: &[QcItemDef], lines: &[FormLine]) -> Vec<Row> {
    let mut out = Vec::with_capacity(lines.len() + 8);
    let mut last: Option<&str> = None;
    for (i, l) in lines.iter().enumerate() {
        let section = items.get(l.item).map_or("", |it| it.section.as_str());
        if last != Some(section) {
            out.push(Row::Heading(i));
            last = Some(section);
        }
        out.push(Row::Line(i));
    }
    out
}

/// The marker of a line whose answer is carried over from a failed form and not yet confirmed.
pub const CARRIED_MARKER: &str = "[↻]";
/// Put before the label of a line the failed result had a note on.
pub const PREVIOUS_NOTE_MARK: &str = "✎ ";

/// The carried-over answer `offer` shows on a line answered `answer`: only while the line has no answer
/// of its own (docs/assembly-floor.md §5.1).
fn carried<'a>(offer: Option<&'a Offer>, answer: &Answer) -> Option<&'a Answer> {
    match offer {
        Some(Offer::Carried(a)) if is_unanswered(answer) => Some(a),
        _ => None,
    }
}

/// Draws the list of lines with the selection kept in view; `scroll` is the first row shown and is
/// adjusted here, because only the drawing knows the height. With `wrap_selected` (no detail pane
/// under the list) the selected line's name wraps whole under itself (docs/architecture.md §2.1).
#[allow(clippy::too_many_arguments)]
pub fn draw_list(
    frame: &mut Frame,
    area: Rect,
    items: &[QcItemDef],
    lines: &[FormLine],
    answers: &[Answer],
    selected: usize,
    scroll: &mut usize,
    wrap_selected: bool,
    theme: &Theme,
) {
    draw_offered_list(
        frame,
        area,
        items,
        lines,
        answers,
        &[],
        selected,
        scroll,
        wrap_selected,
        theme,
    );
}

/// [`draw_list`] with what a failed form offers each line (`offers`, in line order): a carried-over
/// answer shows with [`CARRIED_MARKER`] until confirmed, a previous note marks the label.
#[allow(clippy::too_many_arguments)]
pub fn draw_offered_list(
    frame: &mut Frame,
    area: Rect,
    items: &[QcItemDef],
    lines: &[FormLine],
    answers: &[Answer],
    offers: &[Option<Offer>],
    selected: usize,
    scroll: &mut usize,
    wrap_selected: bool,
    theme: &Theme,
) {
    let offer = |i: usize| offers.get(i).and_then(Option::as_ref);
    if area.height == 0 || area.width < 8 {
        return;
    }
    let rows = rows(items, lines);
    let height = usize::from(area.height);
    let sel_row = rows
        .iter()
        .position(|r| *r == Row::Line(selected))
        .unwrap_or(0);
    // Keep the heading above the selection in view when it is the first line of its section.
    let want_top = if sel_row > 0
        && rows
            .get(sel_row - 1)
            .is_some_and(|r| matches!(r, Row::Heading(_)))
    {
        sel_row - 1
    } else {
        sel_row
    };
    let width = usize::from(area.width);
    let empty = Answer::default();
    let values: Vec<String> = lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let Some(item) = items.get(line.item) else {
                return String::new();
            };
            let answer = answers.get(i).unwrap_or(&empty);
            let value = answer_text(item, carried(offer(i), answer).unwrap_or(answer));
            match range_text(item) {
                Some(r) if value.is_empty() => r,
                Some(r) => format!("{value} {r}"),
                None => value,
            }
        })
        .collect();
    // The answer column is as wide as the longest answer, up to a third of the row.
    let longest = values.iter().map(|v| v.chars().count()).max().unwrap_or(0);
    let answer_w = longest.clamp(3, (width / 3).max(3));
    let label_w = width.saturating_sub(answer_w + 7);
    let label_of = |i: usize| {
        lines
            .get(i)
            .zip(lines.get(i).and_then(|l| items.get(l.item)))
            .map(|(l, it)| line_label(it, l))
            .unwrap_or_default()
    };
    // The first line beside the answer, the rest under both (the answer is on the first line only).
    let selected_label = if wrap_selected {
        let label = label_of(selected);
        let first = wrap(&label, label_w).into_iter().next().unwrap_or_default();
        let used = first.split_whitespace().count();
        let rest = label
            .split_whitespace()
            .skip(used)
            .collect::<Vec<_>>()
            .join(" ");
        let mut out = vec![first];
        if !rest.is_empty() {
            out.extend(wrap(&rest, label_w + answer_w + 1));
        }
        out
    } else {
        Vec::new()
    };
    let heights: Vec<usize> = rows
        .iter()
        .map(|r| match r {
            Row::Line(i) if *i == selected => selected_label.len().max(1),
            _ => 1,
        })
        .collect();
    *scroll = scroll_to(&heights, sel_row, (*scroll).min(want_top), height);
    let mut text: Vec<Line> = Vec::new();
    for row in rows.iter().skip(*scroll) {
        if text.len() >= height {
            break;
        }
        let line = match *row {
            Row::Heading(i) => {
                let section = lines
                    .get(i)
                    .and_then(|l| items.get(l.item))
                    .map_or("", |it| it.section.as_str());
                Line::from(Span::styled(fit_text(section, width), theme.heading))
            }
            Row::Line(i) => {
                let (Some(line), answer) = (lines.get(i), answers.get(i).unwrap_or(&empty)) else {
                    text.push(Line::from(""));
                    continue;
                };
                let item = items.get(line.item);
                let j = judgement(item, answer);
                let is_carried = carried(offer(i), answer).is_some();
                let mut label = item.map(|it| line_label(it, line)).unwrap_or_default();
                if matches!(offer(i), Some(Offer::PreviousNote(_))) {
                    label.insert_str(0, PREVIOUS_NOTE_MARK);
                }
                let value = values.get(i).map_or("", String::as_str);
                let is_sel = i == selected;
                let base = if is_sel { theme.selected } else { theme.base };
                let pointer = if is_sel { "▶ " } else { "  " };
                let (mark, mark_style) = if is_carried {
                    (CARRIED_MARKER, theme.warn)
                } else {
                    (marker(&j, answer), marker_style(&j, theme))
                };
                let value_style = if is_carried {
                    theme.warn
                } else if matches!(j, Judgement::NonConforming(_) | Judgement::Invalid(_)) {
                    theme.error
                } else {
                    base
                };
                Line::from(vec![
                    Span::styled(pointer, base),
                    Span::styled(
                        mark,
                        mark_style.patch(if is_sel { theme.selected } else { Style::new() }),
                    ),
                    Span::styled(
                        format!(
                            " {:<label_w$} ",
                            match selected_label.first() {
                                Some(first) if is_sel => first.clone(),
                                _ => fit_text(&label, label_w),
                            }
                        ),
                        base,
                    ),
                    Span::styled(
                        format!("{:>answer_w$}", fit_text(value, answer_w)),
                        value_style,
                    ),
                ])
            }
        };
        text.push(line);
        if matches!(row, Row::Line(i) if *i == selected) {
            let pad = " ".repeat(6);
            let wide = label_w + answer_w + 1;
            for more in selected_label.iter().skip(1) {
                text.push(Line::from(Span::styled(
                    format!("{pad}{more:<wide$}"),
                    theme.selected,
                )));
            }
        }
    }
    text.truncate(height);
    frame.render_widget(Paragraph::new(text), area);
}

/// The detail of the selected line: code, basin, section, the full description, answer, judgement, notes.
pub fn draw_detail(
    frame: &mut Frame,
    area: Rect,
    item: Option<&QcItemDef>,
    line: Option<&FormLine>,
    answer: &Answer,
    theme: &Theme,
) {
    draw_offered_detail(frame, area, item, line, answer, None, theme);
}

/// [`draw_detail`] with what a failed form offers the line: the carried-over answer waiting for its
/// confirmation, or the failed result's note.
pub fn draw_offered_detail(
    frame: &mut Frame,
    area: Rect,
    item: Option<&QcItemDef>,
    line: Option<&FormLine>,
    answer: &Answer,
    offer: Option<&Offer>,
    theme: &Theme,
) {
    let (Some(item), Some(line)) = (item, line) else {
        return;
    };
    let j = judge(item, answer);
    let mut head = vec![item.code.clone()];
    if let Some(b) = line.basin_index {
        head.push(format!("Basin {b}"));
    }
    head.push(item.section.clone());
    head.push(
        if item.required {
            "required"
        } else {
            "optional"
        }
        .into(),
    );
    if let Some(r) = range_text(item) {
        head.push(format!(
            "range {}",
            r.trim_start_matches('(').trim_end_matches(')')
        ));
    }
    let answer_line = {
        let a = answer_text(item, answer);
        let shown = if a.is_empty() { "—".to_string() } else { a };
        Line::from(vec![
            Span::styled("Answer: ", theme.muted),
            Span::styled(shown, theme.base),
            Span::styled(" · ", theme.muted),
            Span::styled(judgement_text(&j), marker_style(&j, theme)),
        ])
    };
    let mut text = vec![
        Line::from(Span::styled(head.join(" · "), theme.muted)),
        Line::from(item.description.clone()),
        answer_line,
    ];
    if let Some(c) = carried(offer, answer) {
        let mut shown = answer_text(item, c);
        if let Some(n) = c.notes.as_deref().filter(|n| !n.trim().is_empty()) {
            shown.push_str(&format!(" (note: {})", n.replace('\n', " ")));
        }
        text.push(Line::from(vec![
            Span::styled(
                format!("{CARRIED_MARKER} Carried over — confirm: "),
                theme.warn,
            ),
            Span::styled(shown, theme.base),
            Span::styled(" · y keeps it, Enter changes it", theme.muted),
        ]));
    }
    if let Some(n) = answer.notes.as_deref().filter(|n| !n.trim().is_empty()) {
        text.push(Line::from(vec![
            Span::styled("Notes: ", theme.muted),
            Span::raw(n.replace('\n', " ")),
        ]));
    }
    if let Some(Offer::PreviousNote(n)) = offer {
        text.push(Line::from(vec![
            Span::styled(format!("{PREVIOUS_NOTE_MARK}Previous note: "), theme.warn),
            Span::raw(n.replace('\n', " ")),
        ]));
    }
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
}

/// Rows under the list for the selected line's detail (a rule, then the text).
const DETAIL_H: u16 = 5;

/// The checklist rows an 80x24 terminal must show (docs/architecture.md §2.1).
const MIN_ROWS: u16 = 12;

/// True when `area` (the inside of a checklist's panel) is too low for the full header, twelve rows and
/// the detail pane: the header is then one or two lines and the detail one line, and the selected
/// line's name wraps in the list.
pub fn compact(area: Rect) -> bool {
    area.height < 4 + MIN_ROWS + 2 + DETAIL_H
}

/// A checklist form's body, the same for QC and testing: the header lines on top, the lines by section,
/// and the selected line's detail under a rule when there is room. In a [`compact`] area the detail is
/// one line at the bottom: the item's code, range and judgement.
pub fn draw_body(
    frame: &mut Frame,
    area: Rect,
    top: Vec<Line<'_>>,
    items: &[QcItemDef],
    lines: &[FormLine],
    sheet: &mut Sheet,
    theme: &Theme,
) {
    use crate::widgets::rows;
    let top_h = u16::try_from(top.len())
        .unwrap_or(u16::MAX)
        .min(area.height);
    frame.render_widget(Paragraph::new(top), rows(area, 0, top_h));
    let rest = area.height.saturating_sub(top_h);
    let small = compact(area);
    let detail_h = match (small, rest) {
        (true, r) if r >= 2 => 1,
        (false, r) if r >= DETAIL_H + 4 => DETAIL_H,
        _ => 0,
    };
    let list_area = rows(area, top_h, rest.saturating_sub(detail_h));
    let selected = sheet.selected;
    draw_offered_list(
        frame,
        list_area,
        items,
        lines,
        &sheet.answers,
        &sheet.offers,
        selected,
        &mut sheet.scroll,
        detail_h <= 1,
        theme,
    );
    let d = rows(area, top_h + list_area.height, detail_h);
    let item = item_of(items, lines, selected);
    if detail_h == 1 {
        let text = item
            .map(|it| {
                let j = judge(it, &sheet.current(selected));
                let mut parts = vec![it.code.clone()];
                if let Some(r) = range_text(it) {
                    parts.push(format!(
                        "range {}",
                        r.trim_start_matches('(').trim_end_matches(')')
                    ));
                }
                parts.push(judgement_text(&j));
                (parts.join(" · "), marker_style(&j, theme))
            })
            .map(|(t, style)| Span::styled(fit_text(&t, usize::from(d.width)), style));
        frame.render_widget(
            Paragraph::new(Line::from(text.into_iter().collect::<Vec<_>>())),
            d,
        );
    } else if detail_h > 0 {
        frame.render_widget(
            Paragraph::new(Span::styled("─".repeat(usize::from(d.width)), theme.border)),
            rows(d, 0, 1),
        );
        draw_offered_detail(
            frame,
            rows(d, 1, detail_h - 1),
            item,
            lines.get(selected),
            &sheet.current(selected),
            sheet.offers.get(selected).and_then(Option::as_ref),
            theme,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn item(check_type: CheckType) -> QcItemDef {
        QcItemDef::from_row(
            Uuid::nil(),
            "C Basin".into(),
            "Drain height".into(),
            check_type,
            true,
            true,
            false,
            10,
            Some(&serde_json::json!({"code": "X-1", "unit": "mm", "min": 35.0, "max": 40})),
        )
    }

    #[test]
    fn measurement_shows_range_and_unit() {
        let it = item(CheckType::Measurement);
        assert_eq!(range_text(&it).as_deref(), Some("(35–40 mm)"));
        let a = Answer {
            value: Some("38".into()),
            ..Answer::default()
        };
        assert_eq!(answer_text(&it, &a), "38 mm");
        assert_eq!(range_text(&item(CheckType::Boolean)), None);
    }

    #[test]
    fn markers_read_without_colour() {
        let na = Answer {
            is_na: true,
            ..Answer::default()
        };
        assert_eq!(marker(&Judgement::Conforming, &na), "N/A");
        assert_eq!(marker(&Judgement::Unanswered, &Answer::default()), "[ ]");
        assert_eq!(
            marker(&Judgement::NonConforming("x".into()), &Answer::default()),
            "[✗]"
        );
        assert_eq!(
            judgement_text(&Judgement::NonConforming("above 40".into())),
            "non-conforming: above 40"
        );
    }

    #[test]
    fn headings_come_before_each_section() {
        let mut a = item(CheckType::Boolean);
        a.section = "A".into();
        let mut b = a.clone();
        b.section = "B".into();
        let items = vec![a, b];
        let lines = [
            FormLine {
                item: 0,
                basin_index: None,
            },
            FormLine {
                item: 1,
                basin_index: Some(1),
            },
            FormLine {
                item: 1,
                basin_index: Some(2),
            },
        ];
        assert_eq!(
            rows(&items, &lines),
            vec![
                Row::Heading(0),
                Row::Line(0),
                Row::Heading(1),
                Row::Line(1),
                Row::Line(2)
            ]
        );
        assert_eq!(line_label(&items[1], &lines[2]), "Basin 2 · Drain height");
    }
}
