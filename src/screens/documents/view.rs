//! Drawing the documents: a header, two lines per document, the selected one's checksum in full, and the
//! dialogs.

use super::{DialogKind, DocumentsScreen};
use crate::domain::clock;
use crate::domain::document::{BuildDocument, short_sha, size_text};
use crate::text::for_terminal;
use crate::theme::Theme;
use crate::widgets::list_cursor::shown;
use crate::widgets::{
    centered, dialog, dim, draw_loading, empty_table_row, fit_text, info_rows, list_screen_rows,
    panel, request_status, rows, wrap,
};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, Paragraph};

/// Rows each document takes in the list.
const ITEM_ROWS: usize = 2;
const TYPE_W: usize = 18;

pub(super) fn draw(s: &mut DocumentsScreen, frame: &mut Frame, area: Rect, theme: &Theme) {
    if area.height < 6 || area.width < 20 {
        return;
    }
    let [header, body, info] = list_screen_rows(area);
    draw_header(s, frame, header, theme);
    draw_list(s, frame, body, theme);
    draw_info(s, frame, info, theme);
    draw_dialog(s, frame, area, theme);
    s.question.render(frame, area, theme);
}

fn draw_header(s: &DocumentsScreen, frame: &mut Frame, area: Rect, theme: &Theme) {
    let width = usize::from(area.width);
    let text = match &s.docs {
        Some(d) => {
            let current = d.documents.iter().filter(|x| x.is_current()).count();
            let superseded = d.documents.len() - current;
            format!(
                " Build {} · {current} current · {superseded} superseded",
                d.build_number
            )
        }
        None => " Build …".to_string(),
    };
    frame.render_widget(
        Paragraph::new(Span::styled(fit_text(&text, width), theme.muted)),
        area,
    );
}

/// The two lines of one document: type, name, size and a SUPERSEDED mark; then who and when and the
/// short checksum.
fn item_lines(d: &BuildDocument, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let style = if d.is_current() {
        theme.base
    } else {
        theme.muted
    };
    let size = size_text(d.size);
    let mark = if d.is_current() { "" } else { "  SUPERSEDED" };
    let name_w = width
        .saturating_sub(TYPE_W + 1 + size.chars().count() + 3 + mark.chars().count())
        .max(8);
    let name = fit_text(&for_terminal(&d.name), name_w);
    let first = Line::from(vec![
        Span::styled(
            format!("{:<TYPE_W$} ", d.document_type.title()),
            theme.heading,
        ),
        Span::styled(name, style),
        Span::styled(format!(" · {size}"), theme.muted),
        Span::styled(mark, theme.warn),
    ]);
    let second = format!(
        "{:TYPE_W$} {} · {} · SHA-256 {}…",
        "",
        for_terminal(&d.uploaded_by),
        clock::local_minute(d.uploaded_at),
        short_sha(&d.sha256)
    );
    vec![
        first,
        Line::from(Span::styled(fit_text(&second, width), theme.muted)),
    ]
}

fn draw_list(s: &mut DocumentsScreen, frame: &mut Frame, area: Rect, theme: &Theme) {
    let mut title = "Documents (Enter saves a copy)".to_string();
    if s.loading.in_flight() {
        title.push_str(" (loading…)");
    }
    let block = panel(&title, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(docs) = s.docs.as_deref() else {
        draw_loading(
            frame,
            inner,
            s.load_error.as_deref(),
            "… Loading the documents",
            theme,
        );
        return;
    };
    if docs.documents.is_empty() {
        let mut text = "No documents are attached to this build.".to_string();
        if docs.may_attach {
            text.push_str(" Press a to attach one.");
        }
        frame.render_widget(Paragraph::new(text), empty_table_row(inner, 1));
        return;
    }
    let per_page = (usize::from(inner.height) / ITEM_ROWS).max(1);
    s.page = per_page;
    let width = usize::from(inner.width.saturating_sub(2));
    let range = s.list.window(docs.documents.len(), per_page);
    let items: Vec<ListItem> = shown(&docs.documents, &range)
        .iter()
        .map(|d| ListItem::new(item_lines(d, width, theme)))
        .collect();
    let list = List::new(items)
        .highlight_style(theme.selected)
        .highlight_symbol("▶ ");
    frame.render_stateful_widget(list, inner, &mut s.list.list_state(&range));
}

fn draw_info(s: &DocumentsScreen, frame: &mut Frame, area: Rect, theme: &Theme) {
    let width = usize::from(area.width.saturating_sub(1));
    let selected = s
        .docs
        .as_deref()
        .and_then(|d| s.list.selected().and_then(|i| d.documents.get(i)));
    let first = match (&s.load_error, selected) {
        (Some(e), _) if s.docs.is_some() => Line::from(Span::styled(
            fit_text(&format!(" ERROR: {e} Refresh (F5) to try again."), width),
            theme.error,
        )),
        (_, Some(d)) => Line::from(vec![
            Span::styled(" SHA-256 ", theme.muted),
            Span::raw(fit_text(&d.sha256, width.saturating_sub(9))),
        ]),
        _ => Line::default(),
    };
    let second = match (&s.notice, selected) {
        (Some(n), _) if n.starts_with("ERROR:") => {
            Line::from(Span::styled(fit_text(&format!(" {n}"), width), theme.error))
        }
        (Some(n), _) => Line::from(Span::styled(fit_text(&format!(" {n}"), width), theme.ok)),
        (None, Some(d)) => {
            let all = s.docs.as_deref().map_or(&[][..], |x| &x.documents[..]);
            Line::from(Span::styled(
                fit_text(&detail_text(d, all), width),
                theme.muted,
            ))
        }
        (None, None) => Line::default(),
    };
    info_rows(frame, area, first, second);
}

/// The selected document in one line: its name, what supersedes it or what it supersedes, its content
/// type and the name a copy gets.
fn detail_text(d: &BuildDocument, all: &[BuildDocument]) -> String {
    let name_of = |id: uuid::Uuid| {
        all.iter()
            .find(|x| x.id == id)
            .map(|x| for_terminal(&x.name).into_owned())
    };
    let mut text = format!(" {}", for_terminal(&d.name));
    if let Some(newer) = d.superseded_by.and_then(name_of) {
        text.push_str(&format!(" · superseded by {newer}"));
    } else if let Some(older) = d.supersedes.and_then(name_of) {
        text.push_str(&format!(" · supersedes {older}"));
    }
    text.push_str(&format!(
        " · {} · saved as {}",
        for_terminal(&d.content_type),
        for_terminal(&d.file_name)
    ));
    text
}

fn draw_dialog(s: &mut DocumentsScreen, frame: &mut Frame, area: Rect, theme: &Theme) {
    let busy = s.sending.in_flight().then_some(match s.dialog.as_ref() {
        Some(d) if d.kind == DialogKind::Attach => "… Attaching, please wait",
        _ => "… Saving the copy, please wait",
    });
    let docs = s.docs.as_deref();
    let Some(d) = &mut s.dialog else {
        return;
    };
    dim(frame, area, theme);
    let (title, text, height) = match d.kind {
        DialogKind::Save(id) => {
            let name = docs
                .and_then(|x| x.find(id))
                .map(|x| for_terminal(&x.file_name).into_owned())
                .unwrap_or_default();
            (
                "Save a copy",
                format!(
                    "Write {name} into this directory; an existing file of that name is kept and \
                     the copy gets a number:"
                ),
                10,
            )
        }
        DialogKind::Attach => (
            "Attach a document",
            format!(
                "Attach a file to build {}; it is checked as at order entry:",
                docs.map_or("", |x| x.build_number.as_str())
            ),
            14,
        ),
    };
    let inner = dialog(frame, centered(area, 80, height), title, theme);
    let width = usize::from(inner.width.saturating_sub(1)).max(10);
    let lines: Vec<Line> = wrap(&text, width)
        .into_iter()
        .take(2)
        .map(Line::from)
        .collect();
    frame.render_widget(Paragraph::new(lines), rows(inner, 1, 2));
    let form_h = d.form.height();
    d.form.render(frame, rows(inner, 4, form_h), theme);
    request_status(
        frame,
        rows(inner, 4 + form_h, 2),
        busy,
        d.error.as_deref(),
        theme,
    );
}
