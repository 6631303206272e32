//! Drawing the build: header, actions, body (configuration, BOM summary, history).

use super::{ACTION_CONTEXTS, OrderDetailScreen};
use crate::domain::clock;
use crate::domain::nonconformance::NcStatus;
use crate::domain::order_view::{HistoryEntry, OrderDetail};
use crate::domain::signature::{SignatureCheck, utc_text};
use crate::keymap::{Action, HelpLine};
use crate::text::for_terminal;
use crate::theme::Theme;
use crate::widgets::fit_text;
use crate::widgets::{loading_page, record_page, wrap};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

impl OrderDetailScreen {
    pub(super) fn draw(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        if area.height < 3 || area.width < 20 {
            return;
        }
        let Some(d) = self.detail.as_deref() else {
            let error = self.load_error.as_deref();
            loading_page(frame, area, "Build", error, "… Loading build", theme);
            return;
        };
        let title = format!("Build {} · PO {}", d.build.build_number, d.header.po_number);
        let notice = self.notice.as_deref().or(self.load_error.as_deref());
        let mut scroll = self.scroll;
        record_page(
            frame,
            area,
            &title,
            self.loading.in_flight(),
            notice,
            &mut scroll,
            theme,
            |width| {
                let mut top = header_lines(d, width, theme);
                top.extend(super::hold::hold_lines(d, width, theme));
                top.extend(self.action_lines(width, theme));
                let documents_key = self
                    .keys
                    .lines
                    .iter()
                    .find(|l| l.action == Action::OpenDocuments)
                    .map(HelpLine::keys)
                    .unwrap_or_default();
                let body = body_lines(d, self.signatures.as_deref(), &documents_key, width, theme);
                (top, body)
            },
        );
        self.scroll = scroll;
        self.view_dialog(frame, area, theme);
    }

    /// The "Actions" line: the keymap's lines of the live action contexts, the very lines the key bar
    /// and the help draw from, with the moves' targets and a refusal already known; then the keys of
    /// the build's records (BOM, QC history, history, device history record).
    pub(super) fn action_lines(&self, width: usize, theme: &Theme) -> Vec<Line<'static>> {
        let live = self.browse_contexts();
        let shown = |l: &&HelpLine| {
            live.contains(&l.context) && !matches!(l.action, Action::Back | Action::Refresh)
        };
        let mut actions: Vec<(String, String, bool)> = Vec::new();
        let mut records: Vec<(String, String, bool)> = Vec::new();
        for l in self.keys.lines.iter().filter(shown) {
            let (text, muted) = match l.action {
                Action::MoveStatus => {
                    let to: Vec<&str> = self.moves().iter().map(|s| s.code()).collect();
                    let text = format!("Move to {}", to.join(" or "));
                    match self.moves_refusal() {
                        Some(why) => (format!("{text} — {why}"), true),
                        None => (text, false),
                    }
                }
                Action::OverrideStatus => {
                    let to: Vec<&str> = self.overrides().iter().map(|s| s.code()).collect();
                    (format!("Override to {}", to.join(" or ")), false)
                }
                other => (other.describe().to_string(), false),
            };
            let item = (l.keys(), text, muted);
            if ACTION_CONTEXTS.contains(&l.context) {
                actions.push(item);
            } else {
                records.push(item);
            }
        }
        if actions.is_empty() {
            actions.push((
                String::new(),
                "no changes for you in this status".into(),
                true,
            ));
        }
        actions.extend(records);
        item_lines(LABEL, actions, width, theme)
    }
}

const LABEL: &str = "Actions      ";

/// `label` and the `key text` items after it, wrapped under the label at `width`.
fn item_lines(
    label: &str,
    items: Vec<(String, String, bool)>,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let indent = label.chars().count();
    let mut spans = vec![Span::styled(label.to_string(), theme.muted)];
    let mut used = indent;
    for (i, (key, text, muted)) in items.into_iter().enumerate() {
        let key_w = if key.is_empty() {
            0
        } else {
            key.chars().count() + 1
        };
        let w = key_w + text.chars().count();
        let sep = if i == 0 { 0 } else { 3 };
        if i > 0 && used + sep + w > width {
            lines.push(Line::from(std::mem::take(&mut spans)));
            spans.push(Span::raw(" ".repeat(indent)));
            used = indent;
        } else if i > 0 {
            spans.push(Span::styled(" · ", theme.muted));
            used += sep;
        }
        spans.push(Span::styled(key, theme.key_hint));
        let style = if muted { theme.muted } else { theme.base };
        // An item longer than a line (a refusal with its reason) wraps under its own text.
        let start = used;
        for (j, part) in wrap(&text, width.saturating_sub(start + key_w).max(10))
            .into_iter()
            .enumerate()
        {
            if j > 0 {
                lines.push(Line::from(std::mem::take(&mut spans)));
                spans.push(Span::raw(" ".repeat(start + key_w)));
            }
            used = start + key_w + part.chars().count();
            let lead = if j == 0 && key_w > 0 { " " } else { "" };
            spans.push(Span::styled(format!("{lead}{part}"), style));
        }
    }
    lines.push(Line::from(spans));
    lines
}

/// Label widths of the header's two columns.
pub(super) const LW: usize = 13;
pub(super) const RW: usize = 11;

/// The header: two columns of label and value.
pub(super) fn header_lines(d: &OrderDetail, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let h = &d.header;
    let assignee = d
        .assignee
        .as_ref()
        .map_or_else(|| "— unassigned".to_string(), |(_, n)| n.clone());
    // The right column holds short values; the left one (customer, project) gets the rest.
    let updated = clock::local_minute(d.updated_at);
    let right_need = RW + assignee.chars().count().max(updated.chars().count()) + 1;
    let floor = RW + updated.chars().count() + 1;
    let right_w = right_need.clamp(floor, (width / 2).max(floor));
    let left_w = width.saturating_sub(right_w).max(LW + 8);
    let right_w = width.saturating_sub(left_w);
    let cells: [(&str, String, Style, &str, String); 4] = [
        (
            "Status",
            d.status.title().to_string(),
            theme.title,
            "Assignee",
            assignee,
        ),
        (
            "Customer",
            h.customer_name.clone(),
            theme.base,
            "Want date",
            h.want_date.format("%Y-%m-%d").to_string(),
        ),
        (
            "Project",
            h.project_name.clone().unwrap_or_else(|| "—".to_string()),
            theme.base,
            "Language",
            h.order_language.title().to_string(),
        ),
        (
            "Sales person",
            h.sales_person.clone(),
            theme.base,
            "Updated",
            updated,
        ),
    ];
    cells
        .into_iter()
        .map(|(l1, v1, s1, l2, v2)| {
            Line::from(vec![
                Span::styled(format!("{l1:<LW$}"), theme.muted),
                Span::styled(
                    format!(
                        "{:<w$}",
                        fit_text(&v1, left_w.saturating_sub(LW + 1)),
                        w = left_w - LW
                    ),
                    s1,
                ),
                Span::styled(format!("{l2:<RW$}"), theme.muted),
                Span::styled(fit_text(&v2, right_w.saturating_sub(RW)), theme.base),
            ])
        })
        .collect()
}

/// Label/value rows of a section; long values wrap under the value column.
pub(super) struct Section {
    lines: Vec<Line<'static>>,
    width: usize,
}

pub(super) const INDENT: usize = 2;
pub(super) const LABEL_W: usize = 13;

impl Section {
    fn heading(&mut self, text: &str, theme: &Theme) {
        if !self.lines.is_empty() {
            self.lines.push(Line::default());
        }
        self.lines
            .push(Line::from(Span::styled(text.to_string(), theme.heading)));
    }

    fn kv(&mut self, label: &str, value: &str, theme: &Theme) {
        let value_w = self.width.saturating_sub(INDENT + LABEL_W).max(10);
        for (i, part) in wrap(value, value_w).into_iter().enumerate() {
            let label = if i == 0 { label } else { "" };
            self.lines.push(Line::from(vec![
                Span::raw(" ".repeat(INDENT)),
                Span::styled(format!("{label:<LABEL_W$}"), theme.muted),
                Span::styled(part, theme.base),
            ]));
        }
    }

    /// One line per entry with the label on the first; "None" when there is no entry.
    fn list(&mut self, label: &str, entries: impl Iterator<Item = String>, theme: &Theme) {
        let mut any = false;
        for (i, text) in entries.enumerate() {
            self.kv(if i == 0 { label } else { "" }, &text, theme);
            any = true;
        }
        if !any {
            self.kv(label, "None", theme);
        }
    }

    fn text(&mut self, text: &str, indent: usize, style: Style) {
        let w = self.width.saturating_sub(indent).max(10);
        for part in wrap(text, w) {
            self.lines.push(Line::from(vec![
                Span::raw(" ".repeat(indent)),
                Span::styled(part, style),
            ]));
        }
    }
}

/// The build's signatures as Part 11 asks them shown (docs/signatures.md §2, §5): the manifestation
/// (printed name | MEANING | UTC time), what it signs, and whether it verifies.
fn signature_lines(s: &mut Section, signatures: &[SignatureCheck], theme: &Theme) {
    s.heading("Signatures (oldest first)", theme);
    if signatures.is_empty() {
        s.text("No signatures yet.", INDENT, theme.muted);
    }
    for c in signatures {
        let sig = &c.signature;
        let (mark, verdict, style) = if c.verified {
            ("✓", "verified".to_string(), theme.ok)
        } else {
            let why = c.problem.as_deref().unwrap_or("the record changed");
            ("✖", format!("DOES NOT VERIFY: {why}"), theme.error)
        };
        s.lines.push(Line::from(vec![
            Span::raw(" ".repeat(INDENT)),
            Span::styled(format!("{mark} "), style),
            Span::styled(
                format!(
                    "{} | {} | {}",
                    for_terminal(&sig.printed_name),
                    sig.meaning.code(),
                    utc_text(sig.signed_at)
                ),
                theme.base,
            ),
        ]));
        let mut detail = format!("{} · {verdict}", sig.record.label());
        if let Some(reason) = sig.reason.as_deref() {
            detail.push_str(&format!(" · reason: {}", for_terminal(reason)));
        }
        s.text(&detail, INDENT + 2, style);
    }
}

pub(super) fn transition_text(e: &HistoryEntry) -> String {
    match e.old_status {
        None => format!("→ {}", e.new_status),
        Some(old) if old == e.new_status => format!("{} (status unchanged)", e.new_status),
        Some(old) => format!("{old} → {}", e.new_status),
    }
}

/// Configuration, BOM, signatures (once loaded), history and notes: the part of the screen that scrolls.
pub(super) fn body_lines(
    d: &OrderDetail,
    signatures: Option<&[SignatureCheck]>,
    documents_key: &str,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let mut s = Section {
        lines: Vec::new(),
        width,
    };
    let b = &d.build;
    s.heading("Configuration", theme);
    let basins = crate::domain::order::basins_of_model(&b.sink_model)
        .map_or_else(String::new, |n| {
            format!(", {n} basin{}", if n == 1 { "" } else { "s" })
        });
    s.kv(
        "Model",
        &format!("{} {}{basins}", b.sink_family.title(), b.sink_model),
        theme,
    );
    s.kv(
        "Size",
        &format!("{} x {} in (width x length)", b.sink_width, b.sink_length),
        theme,
    );
    s.kv(
        "Legs",
        &format!("{}, {}", b.legs_type.title(), b.legs_model),
        theme,
    );
    s.kv("Feet", b.feet_type.title(), theme);
    s.kv("Direction", b.workflow_direction.title(), theme);
    let pegboard = if b.has_pegboard {
        let colour = b.pegboard_color.map_or("colour not set", |c| c.title());
        let kind = b
            .pegboard_type
            .map_or("type not set", |t| t.title())
            .to_lowercase();
        let size = match (b.pegboard_size_type, b.pegboard_width, b.pegboard_length) {
            (Some(crate::domain::order::PegboardSizeType::Custom), Some(w), Some(l)) => {
                format!("custom {w} x {l} in")
            }
            (Some(crate::domain::order::PegboardSizeType::Custom), _, _) => "custom".to_string(),
            _ => "same as sink".to_string(),
        };
        format!("{colour}, {kind}, {size}")
    } else {
        "None".to_string()
    };
    s.kv("Pegboard", &pegboard, theme);
    if b.basins.is_empty() {
        s.kv("Basins", "None", theme);
    }
    for (i, basin) in b.basins.iter().enumerate() {
        let mut text = format!(
            "{}: {} {}x{}x{}{}",
            basin.basin_index,
            basin.basin_type.title(),
            basin.basin_width,
            basin.basin_length,
            basin.basin_depth,
            if basin.is_custom_size {
                " (custom)"
            } else {
                ""
            },
        );
        if basin.has_p_trap_drain {
            text.push_str(", P-trap");
        }
        if basin.has_basin_light {
            text.push_str(", basin light");
        }
        s.kv(if i == 0 { "Basins" } else { "" }, &text, theme);
    }
    let faucets = b.faucets.iter().map(|f| {
        format!(
            "{} x {}, {}",
            f.quantity,
            f.faucet_type.title(),
            f.placement.title().to_lowercase()
        )
    });
    s.list("Faucets", faucets, theme);
    let sprayers = b.sprayers.iter().map(|sp| {
        format!(
            "{} x {}, {}",
            sp.quantity,
            sp.sprayer_type.title(),
            sp.location.title().to_lowercase()
        )
    });
    s.list("Sprayers", sprayers, theme);
    let accessories = b
        .accessories
        .iter()
        .map(|a| format!("{} x {}", a.quantity, a.assembly_id));
    s.list("Accessories", accessories, theme);

    s.heading("Bill of materials", theme);
    match &d.bom {
        Some(bom) => {
            let status_style = if bom.status == "APPROVED" {
                theme.ok
            } else {
                theme.warn
            };
            s.lines.push(Line::from(vec![
                Span::raw(" ".repeat(INDENT)),
                Span::styled(format!("{:<LABEL_W$}", "Version"), theme.muted),
                Span::raw(format!("{} · ", bom.version)),
                Span::styled(bom.status.clone(), status_style),
                Span::raw(format!(" · {} top-level lines", bom.top_level_lines)),
            ]));
            match bom.notes.as_deref().filter(|n| !n.trim().is_empty()) {
                Some(notes) => {
                    for (i, line) in notes.lines().filter(|l| !l.trim().is_empty()).enumerate() {
                        s.kv(if i == 0 { "Notes" } else { "" }, line, theme);
                    }
                }
                None => s.kv("Notes", "No warnings", theme),
            }
        }
        None => s.kv("Version", "No BOM yet", theme),
    }

    // docs/documents.md §1.2: the count, and the key that lists them (from the keymap).
    s.heading("Documents", theme);
    s.kv(
        "Attached",
        &format!("{} - press {documents_key}", d.documents.text()),
        theme,
    );

    if let Some(floor) = &d.floor {
        s.heading("Assembly floor", theme);
        for (label, text) in floor.lines() {
            s.kv(label, &text, theme);
        }
    }

    if !d.nonconformances.is_empty() {
        // docs/nonconformance.md §5: why shipping waits.
        s.heading("Nonconformances", theme);
        for nc in &d.nonconformances {
            s.kv(&nc.number, &nc.brief(), theme);
        }
        if d.nonconformances.iter().any(|n| n.status == NcStatus::Open) {
            s.text(
                "Shipping waits until every OPEN nonconformance is dispositioned.",
                INDENT,
                theme.warn,
            );
        }
    }
    if let Some(signatures) = signatures {
        signature_lines(&mut s, signatures, theme);
    }

    s.heading("History (newest first)", theme);
    let mut history: Vec<&HistoryEntry> = d.history.iter().collect();
    history.sort_by_key(|e| std::cmp::Reverse(e.timestamp));
    if history.is_empty() {
        s.text("No history.", INDENT, theme.muted);
    }
    let n = history.len();
    for (i, e) in history.into_iter().enumerate() {
        let rail = if i + 1 == n { "  " } else { "│ " };
        let user_w = 20;
        s.lines.push(Line::from(vec![
            Span::styled("● ", theme.focus),
            Span::styled(clock::local_minute(e.timestamp), theme.muted),
            Span::raw("  "),
            Span::styled(
                format!("{:<user_w$}", fit_text(&e.user, user_w)),
                theme.base,
            ),
            Span::raw(" "),
            Span::styled(e.action.clone(), theme.heading),
        ]));
        let body_w = width.saturating_sub(4).max(10);
        let mut parts = vec![(transition_text(e), theme.base)];
        if let Some(notes) = e.notes.as_deref().filter(|n| !n.trim().is_empty()) {
            parts.extend(wrap(notes, body_w).into_iter().map(|l| (l, theme.muted)));
        }
        for (text, style) in parts {
            s.lines.push(Line::from(vec![
                Span::styled(rail, theme.border),
                Span::raw("  "),
                Span::styled(text, style),
            ]));
        }
    }

    s.heading("Notes", theme);
    match d.header.notes.as_deref().filter(|n| !n.trim().is_empty()) {
        Some(notes) => s.text(notes, INDENT, theme.base),
        None => s.text("No notes.", INDENT, theme.muted),
    }
    s.lines
}
