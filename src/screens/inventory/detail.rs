//! The detail pane's lines for a part, an assembly, a category or a group.

use super::{LABEL_W, NONE};
use crate::domain::clock;
use crate::domain::inventory::{AssemblyRecord, Browse, Group, Item, NodeKind, PartRecord};
use crate::theme::Theme;
use crate::widgets::{fit_text, wrap};
use chrono::NaiveDateTime;
use ratatui::text::{Line, Span};

/// `label  value` lines; a long value continues on the next lines under itself.
pub(super) fn field<'a>(
    label: &str,
    value: Option<&str>,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'a>> {
    let value = value.map(str::trim).filter(|v| !v.is_empty());
    let room = width.saturating_sub(LABEL_W + 1).max(10);
    let chunks = match value {
        Some(v) => wrap(v, room),
        None => vec![NONE.to_string()],
    };
    chunks
        .into_iter()
        .enumerate()
        .map(|(i, chunk)| {
            let label = if i == 0 { label } else { "" };
            Line::from(vec![
                Span::styled(format!("{label:<LABEL_W$} "), theme.muted),
                Span::styled(chunk, theme.base),
            ])
        })
        .collect()
}

/// A field shown only when it holds a value; an empty one is named in the "Not recorded" line instead,
/// so the fields that matter stay in view.
pub(super) fn optional<'a>(
    missing: &mut Vec<&'static str>,
    label: &'static str,
    value: Option<&str>,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'a>> {
    if value.is_some_and(|v| !v.trim().is_empty()) {
        field(label, value, width, theme)
    } else {
        missing.push(label);
        Vec::new()
    }
}

pub(super) fn not_recorded<'a>(missing: &[&str], width: usize, theme: &Theme) -> Vec<Line<'a>> {
    if missing.is_empty() {
        return Vec::new();
    }
    let text = missing
        .iter()
        .map(|m| match *m {
            "QR data" => m.to_string(),
            "Work instr." => "work instruction".to_string(),
            other => other.to_lowercase(),
        })
        .collect::<Vec<_>>()
        .join(", ");
    field("Not recorded", Some(&text), width, theme)
        .into_iter()
        .map(|l| l.patch_style(theme.muted))
        .collect()
}

pub(super) fn date(at: Option<NaiveDateTime>) -> Option<String> {
    at.map(clock::local_minute)
}

pub(super) fn yes_no(v: bool) -> Option<&'static str> {
    Some(if v { "yes" } else { "no" })
}

pub(super) fn category_text(browse: &Browse, code: Option<&str>) -> Option<String> {
    let code = code?;
    Some(match browse.category_by_id(code) {
        Some(c) => format!("{} {}", c.id, c.name),
        None => format!("{code} (not a known category)"),
    })
}

/// One row of a detail pane: always shown, or shown only when it holds a value (see [`optional`]).
pub(super) enum Row {
    Always(&'static str, Option<String>),
    Optional(&'static str, Option<String>),
}

pub(super) fn text(v: &str) -> Option<String> {
    Some(v.to_string())
}

/// The rows in order, then the "Not recorded" line naming the empty optional ones.
pub(super) fn detail_rows<'a>(rows: Vec<Row>, w: usize, theme: &Theme) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    let mut missing = Vec::new();
    for row in rows {
        match row {
            Row::Always(label, value) => lines.extend(field(label, value.as_deref(), w, theme)),
            Row::Optional(label, value) => {
                lines.extend(optional(&mut missing, label, value.as_deref(), w, theme));
            }
        }
    }
    lines.extend(not_recorded(&missing, w, theme));
    lines
}

/// What a part and an assembly both record.
struct Record<'r> {
    id: &'r str,
    name: &'r str,
    kind: &'static str,
    type_code: &'static str,
    status: &'static str,
    description: &'r Option<String>,
    photo: &'r Option<String>,
    drawing: &'r Option<String>,
    created: Option<NaiveDateTime>,
    updated: Option<NaiveDateTime>,
}

/// Id, name, kind, type and status; then the kind's `own` rows; then description, photo, drawing and dates.
fn record_rows(r: Record<'_>, own: Vec<Row>) -> Vec<Row> {
    let mut rows = vec![
        Row::Always("Id", text(r.id)),
        Row::Always("Name", text(r.name)),
        Row::Always("Kind", text(r.kind)),
        Row::Always("Type", text(r.type_code)),
        Row::Always("Status", text(r.status)),
    ];
    rows.extend(own);
    rows.extend([
        Row::Optional("Description", r.description.clone()),
        Row::Optional("Photo", r.photo.clone()),
        Row::Optional("Drawing", r.drawing.clone()),
        Row::Optional("Created", date(r.created)),
        Row::Optional("Updated", date(r.updated)),
    ]);
    rows
}

pub(super) fn part_lines<'a>(p: &PartRecord, w: usize, theme: &Theme) -> Vec<Line<'a>> {
    let record = Record {
        id: &p.id,
        name: &p.name,
        kind: "Part",
        type_code: p.part_type.code(),
        status: p.status.code(),
        description: &p.description,
        photo: &p.photo_url,
        drawing: &p.technical_drawing_url,
        created: p.created_at,
        updated: p.updated_at,
    };
    let own = vec![
        Row::Optional("Mfr part no.", p.manufacturer_part_number.clone()),
        Row::Optional("Manufacturer", p.manufacturer_info.clone()),
    ];
    detail_rows(record_rows(record, own), w, theme)
}

pub(super) fn assembly_lines<'a>(
    browse: &Browse,
    asm: &AssemblyRecord,
    w: usize,
    theme: &Theme,
) -> Vec<Line<'a>> {
    let record = Record {
        id: &asm.id,
        name: &asm.name,
        kind: "Assembly",
        type_code: asm.assembly_type.code(),
        status: asm.status.code(),
        description: &asm.description,
        photo: &asm.photo_url,
        drawing: &asm.technical_drawing_url,
        created: asm.created_at,
        updated: asm.updated_at,
    };
    let own = vec![
        Row::Always(
            "Category",
            category_text(browse, asm.category_code.as_deref()),
        ),
        Row::Always(
            "Subcategory",
            category_text(browse, asm.subcategory_code.as_deref()),
        ),
        Row::Always("Can be ordered", yes_no(asm.can_order).map(str::to_string)),
        Row::Always("Kit", yes_no(asm.is_kit).map(str::to_string)),
        Row::Optional("Kit components", asm.kit_components.clone()),
        Row::Optional("QR data", asm.qr_data.clone()),
        Row::Optional("Work instr.", asm.work_instruction.clone()),
    ];
    detail_rows(record_rows(record, own), w, theme)
}

/// The detail of one part or assembly, with its pane title.
pub(super) fn item_detail<'a>(
    browse: &Browse,
    item: Item,
    w: usize,
    theme: &Theme,
) -> (String, Vec<Line<'a>>) {
    let uses = browse.catalog_use(item);
    let used = match uses.direct.len() {
        0 => "no assembly".to_string(),
        1 => "1 assembly".to_string(),
        n => format!("{n} assemblies"),
    };
    match item {
        Item::Part(p) => {
            let Some(part) = browse.part(p) else {
                return ("Details".into(), Vec::new());
            };
            let mut lines = part_lines(part, w, theme);
            if let Some(twin) = browse.twin(item) {
                let text = format!(
                    "assembly {}: BOMs use the assembly for this id",
                    browse.item_id(twin)
                );
                lines.extend(field("Twin", Some(&text), w, theme));
            }
            lines.extend(field(
                "Listed by",
                Some(&format!("{used} (w: where used)")),
                w,
                theme,
            ));
            (format!("Part {}", part.id), lines)
        }
        Item::Assembly(a) => {
            let Some(asm) = browse.assembly(a) else {
                return ("Details".into(), Vec::new());
            };
            let mut lines = assembly_lines(browse, asm, w, theme);
            if let Some(twin) = browse.twin(item) {
                let text = format!("part {}: the same item in BOMs", browse.item_id(twin));
                lines.extend(field("Twin", Some(&text), w, theme));
            }
            lines.extend(field(
                "Listed by",
                Some(&format!("{used} (w: where used)")),
                w,
                theme,
            ));
            let comps = browse.components(a);
            lines.push(Line::default());
            lines.push(Line::from(Span::styled(
                format!("Components ({})", comps.len()),
                theme.heading,
            )));
            for &l in comps {
                let Some(link) = browse.link(l) else { continue };
                let name = browse
                    .resolve(&link.child_id)
                    .map(|i| browse.item_name(i).to_string())
                    .unwrap_or_else(|| "NOT IN CATALOG".into());
                let head = format!("{:>4} × {}  ", link.quantity, link.child_id);
                let room = w.saturating_sub(head.chars().count());
                lines.push(Line::from(vec![
                    Span::styled(head, theme.base),
                    Span::styled(fit_text(&name, room), theme.muted),
                ]));
            }
            (format!("Assembly {}", asm.id), lines)
        }
    }
}

/// The detail of a tree node: an item (with its link when it sits under an assembly), a category or a
/// group.
pub(super) fn node_detail<'a>(
    browse: &Browse,
    node: usize,
    w: usize,
    theme: &Theme,
) -> (String, Vec<Line<'a>>) {
    let Some(n) = browse.node(node) else {
        return ("Details".into(), Vec::new());
    };
    let parent_item = n.parent.and_then(|p| browse.node_item(p));
    let link_lines = |link: usize, theme: &Theme| -> Vec<Line<'a>> {
        let Some(l) = browse.link(link) else {
            return Vec::new();
        };
        let parent = parent_item.map_or(l.parent_id.as_str(), |p| browse.item_id(p));
        let mut lines = field(
            "Quantity",
            Some(&format!("{} in {parent}", l.quantity)),
            w,
            theme,
        );
        if l.notes.as_deref().is_some_and(|n| !n.trim().is_empty()) {
            lines.extend(field("Link notes", l.notes.as_deref(), w, theme));
        }
        lines
    };
    match &n.kind {
        NodeKind::Category(c) => {
            let Some(cat) = browse.category(*c) else {
                return ("Details".into(), Vec::new());
            };
            let counts = browse.category_counts(*c);
            let mut lines = Vec::new();
            lines.extend(field("Code", Some(&cat.id), w, theme));
            lines.extend(field("Name", Some(&cat.name), w, theme));
            lines.extend(field("Description", cat.description.as_deref(), w, theme));
            let title = if let Some(parent) = &cat.parent_id {
                lines.extend(field(
                    "Category",
                    category_text(browse, Some(parent)).as_deref(),
                    w,
                    theme,
                ));
                format!("Subcategory {}", cat.id)
            } else {
                lines.extend(field(
                    "Subcategories",
                    Some(&counts.subcategories.to_string()),
                    w,
                    theme,
                ));
                format!("Category {}", cat.id)
            };
            lines.extend(field(
                "Assemblies",
                Some(&counts.assemblies.to_string()),
                w,
                theme,
            ));
            (title, lines)
        }
        NodeKind::Group(g) => {
            let explanation = match g {
                Group::Uncategorised => "Assemblies whose category code names no category.",
                Group::LooseParts => {
                    "Parts no assembly lists, and parts whose id an assembly of the same id with \
                     ASSY- in front stands in for (the BOM uses that assembly)."
                }
            };
            let mut lines = field("Items", Some(&browse.group_count(*g).to_string()), w, theme);
            lines.extend(
                wrap(explanation, w)
                    .into_iter()
                    .map(|l| Line::from(Span::styled(l, theme.muted))),
            );
            (g.title().to_string(), lines)
        }
        NodeKind::Item { item, link } => {
            let (title, mut lines) = item_detail(browse, *item, w, theme);
            if let Some(l) = link {
                let mut head = link_lines(*l, theme);
                head.append(&mut lines);
                lines = head;
            }
            (title, lines)
        }
        NodeKind::Cycle { item, link } => {
            let (title, lines) = item_detail(browse, *item, w, theme);
            let mut head = link_lines(*link, theme);
            head.extend(
                wrap(
                    "This assembly lists itself; the tree does not open it again here.",
                    w,
                )
                .into_iter()
                .map(|l| Line::from(Span::styled(l, theme.warn))),
            );
            head.extend(lines);
            (title, head)
        }
        NodeKind::Missing { id, link } => {
            let mut lines = link_lines(*link, theme);
            lines.extend(
                wrap(
                    &format!("ERROR: the component {id} is not in the catalog."),
                    w,
                )
                .into_iter()
                .map(|l| Line::from(Span::styled(l, theme.error))),
            );
            (format!("Component {id}"), lines)
        }
    }
}
