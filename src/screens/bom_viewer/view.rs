//! Drawing the BOM viewer: header, notes, tabs, then the tree, the totals, the versions or a diff.

use super::{BomViewerScreen, View, spec_text, type_label};
use crate::domain::bom_diff::{BomDiff, Change, DiffSection};
use crate::domain::bom_document::{BomDocument, BomVersionInfo, quantity_text};
use crate::domain::clock;
use crate::theme::Theme;
use crate::widgets::tree;
use crate::widgets::{centered, dialog, dim, fit_text, inset, panel, request_status, row, rows};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Width of the quantity and type columns at the right of the tree and the totals.
const QTY_W: usize = 7;
const TYPE_W: usize = 8;
/// Note lines shown above the tree besides their count; the rest are on the Versions view.
const NOTE_LINES: usize = 2;

pub(super) fn draw(s: &mut BomViewerScreen, frame: &mut Frame, area: Rect, theme: &Theme) {
    if area.height < 3 || area.width < 20 {
        return;
    }
    let title = match s.document() {
        Some(d) if s.is_loading() => format!("BOM · build {} (refreshing…)", d.header.build_number),
        Some(d) => format!("BOM · build {}", d.header.build_number),
        None => "BOM".to_string(),
    };
    let block = panel(&title, theme);
    let inner = inset(block.inner(area), 1);
    frame.render_widget(block, area);
    let width = usize::from(inner.width);

    let Some(doc) = s.document() else {
        placeholder(s, frame, inner, theme);
        return;
    };
    let mut top = header_lines(s, doc, width, theme);
    top.extend(note_lines(
        &doc.version.notes,
        width,
        usize::from(inner.height) >= 20,
        theme,
    ));
    top.push(tab_line(s, theme));
    if let Some(line) = message_line(s, width, theme) {
        top.push(line);
    }
    let top_h = u16::try_from(top.len())
        .unwrap_or(u16::MAX)
        .min(inner.height);
    frame.render_widget(Paragraph::new(top), rows(inner, 0, top_h));
    let body = rows(inner, top_h, inner.height.saturating_sub(top_h));

    if let Some(diff) = &s.diff {
        let lines = diff_lines(diff, width, theme);
        let max = lines.len().saturating_sub(usize::from(body.height));
        s.diff_scroll = s.diff_scroll.min(max);
        s.page = usize::from(body.height).max(1);
        let scroll = u16::try_from(s.diff_scroll).unwrap_or(u16::MAX);
        frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), body);
    } else {
        match s.view {
            View::Tree => draw_tree(s, frame, body, theme),
            View::Totals => draw_totals(s, frame, body, theme),
            View::Versions => draw_versions(s, frame, body, theme),
        }
    }
    draw_export(s, frame, area, theme);
}

fn placeholder(s: &BomViewerScreen, frame: &mut Frame, inner: Rect, theme: &Theme) {
    let mut lines = Vec::new();
    if let Some(list) = &s.versions {
        let h = &list.header;
        lines.push(Line::from(format!(
            "PO {} · Build {} · {} · {}",
            h.po_number, h.build_number, h.customer_name, h.sink_model
        )));
        lines.push(Line::from(""));
    }
    if s.no_bom {
        lines.push(Line::from(Span::styled(
            crate::error::ServiceError::NoBom.to_string(),
            theme.warn,
        )));
        lines.push(Line::from(Span::styled(
            "It is generated when the build is created or its configuration is edited. Esc to go back.",
            theme.muted,
        )));
    } else if let Some(e) = &s.error {
        lines.push(Line::from(Span::styled(format!("ERROR: {e}"), theme.error)));
        lines.push(Line::from(Span::styled(
            "Refresh (F5) to try again, Esc to go back.",
            theme.muted,
        )));
    } else {
        lines.push(Line::from(Span::styled("… Loading BOM", theme.muted)));
    }
    let h = u16::try_from(lines.len()).unwrap_or(u16::MAX);
    frame.render_widget(
        Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: true }),
        rows(inner, 1, h + 1),
    );
}

fn header_lines(
    s: &BomViewerScreen,
    doc: &BomDocument,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let h = &doc.header;
    let v = &doc.version;
    let first = fit_text(
        &format!(
            "PO {} · Build {} · {} · {}",
            h.po_number, h.build_number, h.customer_name, h.sink_model
        ),
        width,
    );
    let of = s
        .versions
        .as_ref()
        .and_then(|l| l.versions.iter().map(|x| x.version).max())
        .map(|m| format!(" of {m}"))
        .unwrap_or_default();
    let mut spans = vec![
        Span::styled(format!("Version {}{of}", v.version), theme.heading),
        Span::raw(" · "),
        Span::styled(v.status.code().to_string(), status_style(v, theme)),
    ];
    // Said before the details, so a narrow screen never cuts it off.
    if !v.current {
        spans.push(Span::styled(" · VIEWING AN OLD VERSION", theme.warn));
    }
    spans.push(Span::styled(
        format!(" · generated by {}", v.generated_by),
        theme.muted,
    ));
    if let Some(at) = v.generated_at {
        spans.push(Span::styled(
            format!(" on {}", clock::local_minute(at)),
            theme.muted,
        ));
    }
    vec![
        Line::from(Span::styled(first, theme.title)),
        Line::from(spans),
    ]
}

fn status_style(v: &BomVersionInfo, theme: &Theme) -> Style {
    match v.status {
        crate::domain::bom::BomStatus::Approved => theme.ok,
        crate::domain::bom::BomStatus::Draft => theme.warn,
        crate::domain::bom::BomStatus::Superseded => theme.muted,
    }
}

/// `(warnings, notices)` among a version's notes.
fn note_counts(notes: &[String]) -> (usize, usize) {
    let warnings = notes.iter().filter(|n| n.starts_with("WARNING")).count();
    (warnings, notes.len() - warnings)
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The count of warnings and notices, then the first few of them.
fn note_lines(notes: &[String], width: usize, room: bool, theme: &Theme) -> Vec<Line<'static>> {
    if notes.is_empty() {
        return Vec::new();
    }
    let (warnings, notices) = note_counts(notes);
    let shown = if room { NOTE_LINES.min(notes.len()) } else { 0 };
    let mut summary = format!(
        "⚠ {} · {}",
        plural(warnings, "warning", "warnings"),
        plural(notices, "notice", "notices")
    );
    if shown < notes.len() {
        summary.push_str(" (all of them on the Versions view)");
    }
    let mut lines = vec![Line::from(Span::styled(
        fit_text(&summary, width),
        theme.warn,
    ))];
    for n in notes.iter().take(shown) {
        lines.push(Line::from(Span::styled(
            fit_text(&format!("  {n}"), width),
            theme.warn,
        )));
    }
    lines
}

fn tab_line(s: &BomViewerScreen, theme: &Theme) -> Line<'static> {
    let mut spans = Vec::new();
    for v in View::ALL {
        if v == s.view && s.diff.is_none() {
            spans.push(Span::styled(format!("[ {} ]", v.label()), theme.focus));
        } else {
            spans.push(Span::styled(format!("  {}  ", v.label()), theme.muted));
        }
        spans.push(Span::raw(" "));
    }
    if let Some(d) = &s.diff {
        spans.push(Span::styled(
            format!("[ Diff v{} → v{} ]", d.old_version, d.new_version),
            theme.focus,
        ));
    }
    Line::from(spans)
}

fn message_line(s: &BomViewerScreen, width: usize, theme: &Theme) -> Option<Line<'static>> {
    if let Some(v) = s.opening {
        return Some(Line::from(Span::styled(
            format!("… Loading version {v}"),
            theme.muted,
        )));
    }
    if s.diff_wanted.is_some() {
        return Some(Line::from(Span::styled(
            "… Loading the versions to compare",
            theme.muted,
        )));
    }
    if let Some(e) = &s.error {
        return Some(Line::from(Span::styled(
            fit_text(&format!("ERROR: {e}"), width),
            theme.error,
        )));
    }
    s.notice
        .as_ref()
        .map(|n| Line::from(Span::styled(fit_text(n, width), theme.ok)))
}

fn rule(width: usize, theme: &Theme) -> Line<'static> {
    Line::from(Span::styled("─".repeat(width), theme.border))
}

/// `left` cut or padded to `width` columns.
fn cell(text: &str, width: usize) -> String {
    format!("{:<width$}", fit_text(text, width))
}

fn draw_tree(s: &mut BomViewerScreen, frame: &mut Frame, body: Rect, theme: &Theme) {
    let width = usize::from(body.width);
    let footer: u16 = if body.height >= 8 { 4 } else { 1 };
    let tree_area = rows(body, 1, body.height.saturating_sub(1 + footer));
    s.page = usize::from(tree_area.height).max(1);
    let right = QTY_W + 2 + TYPE_W;
    let header = format!(
        "      {}{:>QTY_W$}  {:<TYPE_W$}",
        cell("Item · name", width.saturating_sub(6 + right + 1)),
        "Qty",
        "Type"
    );
    frame.render_widget(
        Paragraph::new(Line::from(Span::styled(header, theme.heading))),
        row(body, 0),
    );

    let Some(doc) = s.shown.and_then(|id| s.docs.get(&id)) else {
        return;
    };
    let query = s.search.query.clone();
    tree::render(frame, tree_area, &mut s.tree, theme, |i, depth| {
        let Some(item) = doc.items.get(i) else {
            return Vec::new();
        };
        let prefix = 4 + 2 * depth;
        let avail = width.saturating_sub(prefix + right + 1);
        let hit = !query.is_empty() && super::item_matches(item, &query);
        let marker = if hit { "» " } else { "" };
        let label = cell(&format!("{marker}{}  {}", item.item_id, item.name), avail);
        vec![
            Span::styled(label, if hit { theme.warn } else { theme.base }),
            Span::raw(format!(" {:>QTY_W$}  ", quantity_text(item.quantity))),
            Span::styled(
                format!("{:<TYPE_W$}", type_label(item.item_type, item.is_custom)),
                theme.muted,
            ),
        ]
    });

    let footer_area = rows(body, body.height.saturating_sub(footer), footer);
    let mut lines = Vec::new();
    if footer > 1 {
        lines.push(rule(width, theme));
        let selected = s.tree.selected().and_then(|i| doc.items.get(i));
        match selected {
            Some(item) => {
                // The name runs on into the facts' line rather than being cut (docs/architecture.md §2.1).
                let id_w = item.item_id.chars().count();
                let room = width.saturating_sub(id_w + 2);
                let mut name = crate::widgets::wrap(&item.name, room.max(1)).into_iter();
                let head = name.next().unwrap_or_default();
                let rest = name.collect::<Vec<_>>().join(" ");
                lines.push(Line::from(vec![
                    Span::styled(item.item_id.clone(), theme.heading),
                    Span::raw(fit_text(&format!("  {head}"), width.saturating_sub(id_w))),
                ]));
                let mut facts = Vec::new();
                if !rest.is_empty() {
                    facts.push(rest);
                }
                facts.extend([
                    format!("Qty {}", quantity_text(item.quantity)),
                    type_label(item.item_type, item.is_custom).to_string(),
                ]);
                if let Some(spec) = &item.custom_spec {
                    facts.push(format!("Spec: {}", spec_text(spec)));
                }
                if let Some(n) = item.notes.as_deref().filter(|n| !n.is_empty()) {
                    facts.push(format!("Notes: {n}"));
                }
                lines.push(Line::from(Span::styled(
                    fit_text(&facts.join(" · "), width),
                    theme.muted,
                )));
            }
            None => lines.push(Line::from(Span::styled(
                "This BOM version has no lines",
                theme.muted,
            ))),
        }
        if lines.len() < 3 {
            lines.push(Line::from(""));
        }
    }
    frame.render_widget(Paragraph::new(lines), footer_area);
    draw_search(s, frame, row(footer_area, footer - 1), theme);
}

fn draw_search(s: &mut BomViewerScreen, frame: &mut Frame, area: Rect, theme: &Theme) {
    let width = usize::from(area.width);
    let miss = s
        .search
        .no_match
        .then(|| format!("no match for '{}'", s.search.shown));
    if let Some(input) = &mut s.search.input {
        let input_w: u16 = 30;
        input.render(frame, area, theme, true, 6, input_w);
        let used = 2 + 6 + 1 + input_w + 2;
        if let Some(m) = miss {
            let x = area.x.saturating_add(used + 2).min(area.right());
            let rest = Rect::new(x, area.y, area.right().saturating_sub(x), 1);
            frame.render_widget(Paragraph::new(Span::styled(m, theme.error)), rest);
        }
        return;
    }
    let line = if let Some(m) = miss {
        Line::from(Span::styled(fit_text(&m, width), theme.error))
    } else if !s.search.query.is_empty() {
        let (at, total) = s.match_position();
        let where_ = match at {
            Some(k) => format!("match {k} of {total}"),
            None => plural(total, "match", "matches"),
        };
        Line::from(vec![
            Span::styled(format!("» Search '{}': ", s.search.shown), theme.warn),
            Span::raw(fit_text(&format!("{where_} · n next · N previous"), width)),
        ])
    } else {
        let (n, top) = (s.figures.lines, s.figures.top_level);
        Line::from(Span::styled(
            fit_text(
                &format!(
                    "{} · {} · / searches ids and names",
                    plural(top, "top-level line", "top-level lines"),
                    plural(n, "line", "lines")
                ),
                width,
            ),
            theme.muted,
        ))
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// The first row of a list of `len` rows, `height` high, that keeps `selected` in view.
fn first_row(selected: usize, height: usize, len: usize) -> usize {
    if height == 0 {
        return 0;
    }
    selected
        .saturating_sub(height - 1)
        .min(len.saturating_sub(height))
}

fn draw_totals(s: &mut BomViewerScreen, frame: &mut Frame, body: Rect, theme: &Theme) {
    let width = usize::from(body.width);
    let (key, descending) = s.sort_key();
    let arrow = if descending { "↓" } else { "↑" };
    let total = s.figures.quantity;
    let id_w = s.figures.id_w;
    let name_w = width.saturating_sub(2 + id_w + 2 + 2 + TYPE_W + 2 + QTY_W);
    let heading = Line::from(vec![
        Span::styled("Flattened totals", theme.heading),
        Span::raw(format!(" · sorted by {} {arrow}", key.label())),
    ]);
    let columns = Line::from(Span::styled(
        format!(
            "  {}  {}  {:<TYPE_W$}  {:>QTY_W$}",
            cell("Item", id_w),
            cell("Name", name_w),
            "Type",
            "Qty"
        ),
        theme.heading,
    ));
    let footer = Line::from(Span::styled(
        format!(
            "{} · total quantity {}",
            plural(s.totals.len(), "distinct part", "distinct parts"),
            quantity_text(total)
        ),
        theme.muted,
    ));
    frame.render_widget(Paragraph::new(vec![heading, columns]), rows(body, 0, 2));
    let list = rows(body, 2, body.height.saturating_sub(3));
    let height = usize::from(list.height);
    s.page = height.max(1);
    s.totals_selected = s.totals_selected.min(s.totals.len().saturating_sub(1));
    let range = s
        .totals_view
        .follow(Some(s.totals_selected), s.totals.len(), height);
    let first = range.start;
    let lines: Vec<Line> = crate::widgets::list_cursor::shown(&s.totals, &range)
        .iter()
        .enumerate()
        .map(|(k, l)| {
            let i = first + k;
            let selected = i == s.totals_selected;
            let line = Line::from(format!(
                "{}{}  {}  {:<TYPE_W$}  {:>QTY_W$}",
                if selected { "▶ " } else { "  " },
                cell(&l.item_id, id_w),
                cell(&l.name, name_w),
                type_label(l.item_type, l.is_custom),
                quantity_text(l.quantity)
            ));
            if selected {
                line.style(theme.selected)
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), list);
    frame.render_widget(
        Paragraph::new(footer),
        row(body, body.height.saturating_sub(1)),
    );
}

fn draw_versions(s: &mut BomViewerScreen, frame: &mut Frame, body: Rect, theme: &Theme) {
    let width = usize::from(body.width);
    let Some(list) = &s.versions else {
        frame.render_widget(
            Paragraph::new(Span::styled("… Loading the versions", theme.muted)),
            row(body, 0),
        );
        return;
    };
    let columns = Line::from(Span::styled(
        format!(
            "      {:<9}{:<12}{:<20}{:<22}{:<12}",
            "Version", "Status", "Generated by", "Generated at", "Warn/notice"
        ),
        theme.heading,
    ));
    let n = list.versions.len();
    let list_h = u16::try_from(n)
        .unwrap_or(u16::MAX)
        .min(body.height.saturating_sub(5).max(1));
    let height = usize::from(list_h);
    s.page = height.max(1);
    let first = first_row(s.version_selected, height, n);
    let mut lines = vec![columns];
    for (i, v) in list.versions.iter().enumerate().skip(first).take(height) {
        let selected = i == s.version_selected;
        let mark = if s.marked == Some(v.id) { "[x]" } else { "[ ]" };
        let (w, notices) = note_counts(&v.notes);
        let at = v
            .generated_at
            .map(clock::local_minute)
            .unwrap_or_else(|| "—".to_string());
        let mut flags = Vec::new();
        if v.current {
            flags.push("current");
        }
        if s.shown == Some(v.id) {
            flags.push("viewing");
        }
        let text = format!(
            "{}{mark} {:<9}{:<12}{}{:<22}{:<12}{}",
            if selected { "▶ " } else { "  " },
            format!("v{}", v.version),
            v.status.code(),
            cell(&v.generated_by, 19) + " ",
            at,
            format!("{w} / {notices}"),
            flags.join(", ")
        );
        let line = Line::from(fit_text(&text, width));
        lines.push(if selected {
            line.style(theme.selected)
        } else {
            line
        });
    }
    let list_area = rows(body, 0, list_h + 1);
    frame.render_widget(Paragraph::new(lines), list_area);

    let rest = rows(body, list_h + 1, body.height.saturating_sub(list_h + 1));
    let mut info = vec![rule(width, theme)];
    if let Some(v) = list.versions.get(s.version_selected) {
        if v.notes.is_empty() {
            info.push(Line::from(Span::styled(
                format!("Version {}: no warnings or notices", v.version),
                theme.muted,
            )));
        } else {
            info.push(Line::from(Span::styled(
                format!("Notes of version {}:", v.version),
                theme.heading,
            )));
            for note in &v.notes {
                info.push(Line::from(Span::styled(
                    fit_text(&format!("  {note}"), width),
                    theme.warn,
                )));
            }
        }
    }
    let hint = match s.marked.and_then(|m| list.versions.iter().find(|v| v.id == m)) {
        Some(m) => format!(
            "Version {} is marked: select another and press d to compare",
            m.version
        ),
        None => "Space marks a version; d compares it with the selected one (or the selected with the current)".to_string(),
    };
    let room = usize::from(rest.height);
    if info.len() >= room {
        info.truncate(room.saturating_sub(1));
    }
    info.push(Line::from(Span::styled(
        fit_text(&hint, width),
        theme.muted,
    )));
    frame.render_widget(Paragraph::new(info), rest);
}

fn diff_lines(d: &BomDiff, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut out = vec![Line::from(vec![
        Span::styled(
            format!(
                "Changes from version {} to version {}",
                d.old_version, d.new_version
            ),
            theme.heading,
        ),
        Span::styled(" · Esc or Tab closes the comparison", theme.muted),
    ])];
    if d.is_empty() {
        out.push(Line::from(""));
        out.push(Line::from(
            "No differences: both versions have the same lines and quantities.",
        ));
        return out;
    }
    for (title, section) in [
        ("Top-level lines", &d.top_level),
        ("Parts (flattened totals)", &d.totals),
    ] {
        out.push(Line::from(""));
        out.push(Line::from(vec![
            Span::styled(format!("{title}: "), theme.heading),
            Span::raw(format!(
                "{} added · {} removed · {} changed",
                section.added(),
                section.removed(),
                section.changed()
            )),
        ]));
        section_lines(section, width, theme, &mut out);
    }
    out
}

fn section_lines(section: &DiffSection, width: usize, theme: &Theme, out: &mut Vec<Line<'static>>) {
    if section.is_empty() {
        out.push(Line::from(Span::styled("  no changes", theme.muted)));
        return;
    }
    let id_w = section
        .lines
        .iter()
        .map(|l| l.item_id.chars().count())
        .max()
        .unwrap_or(0)
        .clamp(8, 26);
    let change_w = 22;
    let name_w = width.saturating_sub(4 + id_w + 2 + 2 + change_w);
    for l in &section.lines {
        let (marker, text, style) = match l.change {
            Change::Added(q) => ("+", format!("added, qty {}", quantity_text(q)), theme.ok),
            Change::Removed(q) => (
                "−",
                format!("removed, was {}", quantity_text(q)),
                theme.error,
            ),
            Change::Quantity { old, new } => (
                "~",
                format!("qty {} → {}", quantity_text(old), quantity_text(new)),
                theme.warn,
            ),
        };
        out.push(Line::from(vec![
            Span::styled(format!("  {marker} "), style),
            Span::raw(format!(
                "{}  {}  ",
                cell(&l.item_id, id_w),
                cell(&l.name, name_w)
            )),
            Span::styled(text, style),
        ]));
    }
}

fn draw_export(s: &mut BomViewerScreen, frame: &mut Frame, area: Rect, theme: &Theme) {
    let busy = s.is_exporting().then_some("… Exporting, please wait");
    let build = s
        .document()
        .map(|d| d.header.build_number.clone())
        .unwrap_or_default();
    let Some(dialog_state) = &mut s.export else {
        return;
    };
    dim(frame, area, theme);
    let inner = dialog(frame, centered(area, 76, 11), "Export BOM", theme);
    frame.render_widget(
        Paragraph::new(vec![
            Line::from(format!(
                "Write the current BOM of build {build} as files into a directory."
            )),
            Line::from(Span::styled(
                "An empty directory means the one the station was started in.",
                theme.muted,
            )),
        ]),
        rows(inner, 0, 2),
    );
    let form = &mut dialog_state.form;
    form.render(frame, rows(inner, 3, form.height()), theme);
    request_status(
        frame,
        rows(inner, 7, 2),
        busy,
        dialog_state.error.as_deref(),
        theme,
    );
}
