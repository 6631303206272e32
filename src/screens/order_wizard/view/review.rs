//! Step 5, and the summary of a build's configuration.

use super::fields::{bottom, scroll_marks};
use super::{build_mark, para, step_panel, wrap};
use crate::screens::order_wizard::state::{BasinSize, BuildDraft, model_label, size_label};
use crate::screens::order_wizard::{OrderWizardScreen, Preview};
use crate::theme::Theme;
use crate::widgets::{fit_text, row};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

pub(super) fn kv(label: &str, value: String, theme: &Theme, w: usize) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("  {label:<12} "), theme.muted),
        Span::styled(fit_text(&value, w.saturating_sub(15)), theme.base),
    ])
}

pub(super) fn yes(flag: bool, text: &str) -> Option<String> {
    flag.then(|| text.to_string())
}

/// The configuration of one build in words.
pub(super) fn summary(b: &BuildDraft, theme: &Theme, w: usize) -> Vec<Line<'static>> {
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
pub(super) fn review_panel(
    s: &mut OrderWizardScreen,
    frame: &mut Frame,
    area: Rect,
    theme: &Theme,
) {
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
