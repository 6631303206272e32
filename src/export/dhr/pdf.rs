//! The record as a printable PDF (docs/dhr.md §5): US Letter, the title block, the exceptions, the
//! sections in order, "Page i of n", and until release a watermark with the plain-text line
//! `IN PROGRESS — NOT RELEASED` on every page. Drawn with the shared layout (src/export/pdf/layout.rs).

use crate::domain::dhr::{DeviceHistoryRecord, NOT_RELEASED, Section, exceptions, utc_text};
use crate::export::pdf::layout::{
    Cell, Column, LINE_HEIGHT, Layout, build_facts, full_width, pdf_bytes, pdf_document, texts_of,
};
use chrono::{NaiveDateTime, TimeZone};
use printpdf::Op;

/// A record must not cut a note or a manifestation short; a row still has to fit on one page.
const MAX_LINES: usize = 12;

fn when(at: Option<NaiveDateTime>) -> String {
    at.map_or_else(|| "-".to_string(), utc_text)
}

fn or_dash(text: Option<&str>) -> String {
    text.map(str::trim)
        .filter(|t| !t.is_empty())
        .unwrap_or("-")
        .to_string()
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "NO" }
}

/// A table of plain text rows under a section heading, or `empty` said in its place.
fn section_table<const N: usize>(
    layout: &mut Layout,
    (section, subtitle): (Section, &str),
    columns: [Column; N],
    rows: Vec<[String; N]>,
    empty: &str,
) {
    let columns = full_width(columns);
    let cells = (!rows.is_empty()).then(|| {
        rows.iter()
            .map(|row| {
                let cells: Vec<Cell> = columns
                    .iter()
                    .zip(row)
                    .map(|(c, text)| layout.cell_of_lines(c, text, false, 0.0, MAX_LINES))
                    .collect();
                (cells, false)
            })
            .collect()
    });
    layout.table_section((&section.heading(), subtitle), &columns, cells, empty);
}

/// A section of wrapped lines, or `empty` in their place.
fn section_list(layout: &mut Layout, section: Section, lines: Vec<String>, empty: &str) {
    layout.heading(&section.heading(), "", 3.0 * LINE_HEIGHT);
    if lines.is_empty() {
        layout.list(&[empty.to_string()]);
    } else {
        layout.list(&lines);
    }
    layout.y -= 14.0;
}

/// A section with one line per entry, or `empty` when there are none.
fn section_of<T>(
    layout: &mut Layout,
    section: Section,
    entries: &[T],
    line: impl Fn(&T) -> String,
    empty: &str,
) {
    section_list(layout, section, entries.iter().map(line).collect(), empty);
}

fn title_block(layout: &mut Layout, d: &DeviceHistoryRecord, content_sha256: &str) {
    let id = &d.identification;
    layout.title("Device History Record");
    let left = build_facts(
        &id.po_number,
        &id.build_number,
        &id.customer_name,
        &id.sink_model,
    );
    let release = if d.released() {
        "RELEASED".to_string()
    } else {
        NOT_RELEASED.to_string()
    };
    let right = [
        ("Release", release),
        ("Build status", id.status.clone()),
        ("Exported", utc_text(d.exported_at)),
        ("Format", format!("DHR v{}", d.format_version)),
    ];
    layout.facts(&left, &right, &|label| label == "Release");
    layout.list(&[format!("Content SHA-256: {content_sha256}")]);
    layout.y -= 8.0;
}

fn summary(layout: &mut Layout, d: &DeviceHistoryRecord) {
    let found = exceptions(d);
    layout.heading(
        "Review by exception",
        &format!(
            "{} exception(s); each names its place in the record",
            found.len()
        ),
        3.0 * LINE_HEIGHT,
    );
    let lines: Vec<String> = if found.is_empty() {
        vec!["No exceptions".to_string()]
    } else {
        found
            .iter()
            .map(|e| format!("{}: {}", e.reference, e.text))
            .collect()
    };
    layout.list(&lines);
    layout.y -= 14.0;
}

fn identification(layout: &mut Layout, d: &DeviceHistoryRecord) {
    let id = &d.identification;
    let mut lines = vec![
        format!("PO {}, build {}", id.po_number, id.build_number),
        format!(
            "Customer {}; project {}",
            id.customer_name,
            or_dash(id.project_name.as_deref())
        ),
        format!(
            "Model {} ({}), quantity {}",
            id.sink_model, id.sink_family, id.quantity
        ),
        format!(
            "Created {}; status at export {}",
            utc_text(id.created_at),
            id.status
        ),
    ];
    if id.serial_numbers.is_empty() {
        lines.push("Serial numbers: none recorded at testing".into());
    }
    for s in &id.serial_numbers {
        lines.push(format!(
            "Serial number: {} = {} (testing form {})",
            s.name, s.value, s.form
        ));
    }
    section_list(layout, Section::Identification, lines, "");
}

fn configuration(layout: &mut Layout, d: &DeviceHistoryRecord) {
    let mut lines: Vec<String> = Vec::new();
    if let Some(map) = d.configuration.current.as_object() {
        for (k, v) in map {
            let text = match v {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            lines.push(format!("{k}: {text}"));
        }
    }
    section_list(
        layout,
        Section::Configuration,
        lines,
        "No configuration stored.",
    );
    let rows = d
        .configuration
        .changes
        .iter()
        .map(|c| {
            [
                utc_text(c.at),
                c.by.clone(),
                format!("{}.{}", c.table, c.field),
                format!(
                    "{} -> {}",
                    or_dash(c.old.as_deref()),
                    or_dash(c.new.as_deref())
                ),
            ]
        })
        .collect();
    layout.y += 10.0;
    section_table(
        layout,
        (
            Section::Configuration,
            "changes after the build was created",
        ),
        [
            Column::left("When (UTC)", 100.0),
            Column::left("By", 90.0),
            Column::left("Field", 120.0),
            Column::rest("Old -> new"),
        ],
        rows,
        "No configuration changes after creation.",
    );
}

fn bom(layout: &mut Layout, d: &DeviceHistoryRecord) {
    let b = &d.bom;
    let version_text = |v: &crate::domain::dhr::BomVersionSummary| {
        let mut t = format!(
            "Version {} ({}), generated {} by {}",
            v.version,
            v.status,
            when(v.generated_at),
            v.generated_by
        );
        if let Some(by) = &v.approved_by {
            t.push_str(&format!(", approved {} by {by}", when(v.approved_at)));
        }
        t
    };
    let mut lines = Vec::new();
    match &b.current {
        Some(c) => lines.push(format!(
            "Current: {}; {} item(s) in all, totals {} item(s), {} piece(s)",
            version_text(&c.version),
            c.item_count,
            c.total_items,
            c.total_pieces
        )),
        None => lines.push("Current: no BOM".into()),
    }
    match &b.production_approved {
        Some(v) => lines.push(format!("Approved for production: {}", version_text(v))),
        None => lines.push("Approved for production: none".into()),
    }
    for v in &b.versions {
        lines.push(format!("Version list: {}", version_text(v)));
    }
    section_list(layout, Section::Bom, lines, "");
    let rows = b
        .current
        .iter()
        .flat_map(|c| c.top_level_lines.iter())
        .map(|l| {
            [
                l.item_id.clone(),
                l.name.clone(),
                l.item_type.clone(),
                l.quantity.clone(),
            ]
        })
        .collect();
    layout.y += 10.0;
    section_table(
        layout,
        (Section::Bom, "top-level lines of the current version"),
        [
            Column::left("Item ID", 150.0),
            Column::rest("Name"),
            Column::left("Type", 64.0),
            Column::right("Qty", 34.0),
        ],
        rows,
        "The current version has no lines.",
    );
}

fn status_moves(layout: &mut Layout, d: &DeviceHistoryRecord) {
    let rows = d
        .status_moves
        .iter()
        .map(|m| {
            [
                utc_text(m.at),
                m.by.clone(),
                format!("{}: {} -> {}", m.action, or_dash(m.from.as_deref()), m.to),
                or_dash(m.station.as_deref()),
                or_dash(m.note.as_deref()),
            ]
        })
        .collect();
    section_table(
        layout,
        (Section::StatusMoves, ""),
        [
            Column::left("When (UTC)", 96.0),
            Column::left("By", 80.0),
            Column::left("Move", 130.0),
            Column::left("Station", 90.0),
            Column::rest("Note"),
        ],
        rows,
        "No status moves.",
    );
}

fn assignments(layout: &mut Layout, d: &DeviceHistoryRecord) {
    section_of(
        layout,
        Section::Assignments,
        &d.assignments,
        |a| {
            format!(
                "{} {} by {} in {} {}",
                utc_text(a.at),
                a.action,
                a.by,
                a.status,
                or_dash(a.note.as_deref())
            )
        },
        "No assignments.",
    );
}

fn qc_results(layout: &mut Layout, d: &DeviceHistoryRecord) {
    let mut lines = Vec::new();
    for q in &d.qc_results {
        lines.push(format!(
            "QC result {}: {} {} ({}), {} at {}, job {}{}",
            q.number,
            q.qc_type,
            q.status,
            q.checklist,
            q.performed_by,
            when(q.at),
            or_dash(q.job_id.as_deref()),
            q.notes
                .as_deref()
                .map(|n| format!("; reason: {n}"))
                .unwrap_or_default()
        ));
        lines.push(format!(
            "    Signature: {} - verified: {}",
            q.manifestation,
            yes_no(q.verified)
        ));
    }
    section_list(layout, Section::QcResults, lines, "No QC results.");
}

fn tasks(layout: &mut Layout, d: &DeviceHistoryRecord) {
    let rows = d
        .tasks
        .iter()
        .map(|t| {
            let mut state = if t.completed {
                format!(
                    "done {} by {}",
                    when(t.completed_at),
                    or_dash(t.completed_by.as_deref())
                )
            } else {
                "open".to_string()
            };
            if t.reopened > 0 {
                state.push_str(&format!("; re-opened {}x", t.reopened));
            }
            let mut notes = or_dash(t.notes.as_deref());
            if let Some(r) = &t.na_reason {
                notes = format!("N/A reason: {r}; {notes}");
            }
            [
                t.number.to_string(),
                format!(
                    "{}{}",
                    if t.rework { "[REWORK] " } else { "" },
                    t.description
                ),
                or_dash(t.instruction.as_deref()),
                state,
                notes,
            ]
        })
        .collect();
    section_table(
        layout,
        (
            Section::Tasks,
            "work instruction as generated with the task",
        ),
        [
            Column::right("#", 22.0),
            Column::rest("Task"),
            Column::left("Work instruction", 100.0),
            Column::left("Completed", 110.0),
            Column::left("Notes", 90.0),
        ],
        rows,
        "No production tasks.",
    );
}

fn testing(layout: &mut Layout, d: &DeviceHistoryRecord) {
    if d.testing_forms.is_empty() {
        section_list(
            layout,
            Section::Testing,
            Vec::new(),
            "No testing forms submitted.",
        );
        return;
    }
    for f in &d.testing_forms {
        let subtitle = format!(
            "Testing form {}: {} by {} at {}",
            f.number,
            f.status,
            f.performed_by,
            when(f.at)
        );
        let rows = f
            .lines
            .iter()
            .map(|l| {
                [
                    l.line.to_string(),
                    l.name.clone(),
                    or_dash(l.measurement.as_deref()),
                    or_dash(l.limits.as_deref()),
                    l.judgement.clone(),
                ]
            })
            .collect();
        section_table(
            layout,
            (Section::Testing, &subtitle),
            [
                Column::right("Line", 28.0),
                Column::rest("Test"),
                Column::left("Measurement", 90.0),
                Column::left("Limits", 80.0),
                Column::left("Judgement", 56.0),
            ],
            rows,
            "This form has no lines.",
        );
    }
}

fn packaging(layout: &mut Layout, d: &DeviceHistoryRecord) {
    let mut lines = Vec::new();
    for p in &d.packaging {
        lines.push(format!(
            "Checklist {}: {} by {}, completed {}",
            p.number,
            if p.completed { "complete" } else { "open" },
            p.performed_by,
            when(p.completed_at)
        ));
        for i in &p.items {
            lines.push(format!(
                "    {} packed {}/{}{}",
                i.item_id,
                i.packed,
                i.required,
                i.notes
                    .as_deref()
                    .map(|n| format!(" ({n})"))
                    .unwrap_or_default()
            ));
        }
    }
    section_list(
        layout,
        Section::Packaging,
        lines,
        "No packaging checklists.",
    );
}

fn shipping(layout: &mut Layout, d: &DeviceHistoryRecord) {
    section_of(
        layout,
        Section::Shipping,
        d.shipping.as_slice(),
        |s| {
            format!(
                "Shipped {} by {}; tracking {}; note {}",
                utc_text(s.at),
                s.by,
                or_dash(s.tracking.as_deref()),
                or_dash(s.note.as_deref())
            )
        },
        "Not shipped.",
    );
}

fn nonconformances(layout: &mut Layout, d: &DeviceHistoryRecord) {
    section_of(
        layout,
        Section::Nonconformances,
        &d.nonconformances,
        |n| {
            let mut line = format!(
                "{} ({}) from {}, raised by {} at {}: {}",
                n.number,
                n.status,
                n.source,
                n.raised_by,
                utc_text(n.at),
                n.description
            );
            if !n.items.is_empty() {
                line.push_str(&format!(". Items: {}", n.items.join("; ")));
            }
            if let (Some(d), Some(by), Some(at)) =
                (&n.disposition, &n.dispositioned_by, n.dispositioned_at)
            {
                line.push_str(&format!(
                    ". Disposition {d} by {by} at {}: {}",
                    utc_text(at),
                    or_dash(n.disposition_note.as_deref())
                ));
            }
            if let (Some(by), Some(at)) = (&n.closed_by, n.closed_at) {
                line.push_str(&format!(
                    ". Closed by {by} at {}: {}",
                    utc_text(at),
                    or_dash(n.close_note.as_deref())
                ));
            }
            line
        },
        "No nonconformance records",
    );
}

fn overrides(layout: &mut Layout, d: &DeviceHistoryRecord) {
    section_of(
        layout,
        Section::Overrides,
        &d.overrides,
        |o| {
            format!(
                "{} {} -> {} by {}; reason: {}",
                utc_text(o.at),
                or_dash(o.from.as_deref()),
                or_dash(o.to.as_deref()),
                o.by,
                o.reason
            )
        },
        "No administrator overrides.",
    );
}

fn documents(layout: &mut Layout, d: &DeviceHistoryRecord) {
    section_of(
        layout,
        Section::Documents,
        &d.documents,
        |doc| {
            format!(
                "{} ({}, {}, {} bytes) uploaded {} by {}; SHA-256 {}",
                doc.original_name,
                doc.document_type,
                doc.content_type,
                doc.size,
                when(doc.uploaded_at),
                doc.uploaded_by,
                or_dash(doc.sha256.as_deref())
            )
        },
        "No attached documents.",
    );
}

fn signatures(layout: &mut Layout, d: &DeviceHistoryRecord) {
    section_of(
        layout,
        Section::Signatures,
        &d.signatures,
        |s| {
            format!(
                "{} - {}: {} - verified: {}{}",
                s.record,
                s.meaning,
                s.manifestation,
                yes_no(s.verified),
                s.problem
                    .as_deref()
                    .map(|p| format!(" ({p})"))
                    .unwrap_or_default()
            )
        },
        "No signatures.",
    );
}

fn chain(layout: &mut Layout, d: &DeviceHistoryRecord, content_sha256: &str) {
    let mut lines: Vec<String> = d
        .audit_chain_head
        .iter()
        .map(|h| {
            format!(
                "Position {}, link {}, sealed {}",
                h.position,
                h.link,
                utc_text(h.sealed_at)
            )
        })
        .collect();
    if lines.is_empty() {
        lines.push("The audit chain is empty.".into());
    }
    lines.push(format!("Content SHA-256 of this record: {content_sha256}"));
    section_list(layout, Section::AuditChain, lines, "");
}

fn pages(d: &DeviceHistoryRecord, content_sha256: &str) -> Vec<Vec<Op>> {
    let mut layout = Layout::new();
    title_block(&mut layout, d, content_sha256);
    summary(&mut layout, d);
    identification(&mut layout, d);
    configuration(&mut layout, d);
    bom(&mut layout, d);
    status_moves(&mut layout, d);
    assignments(&mut layout, d);
    qc_results(&mut layout, d);
    tasks(&mut layout, d);
    testing(&mut layout, d);
    packaging(&mut layout, d);
    shipping(&mut layout, d);
    nonconformances(&mut layout, d);
    overrides(&mut layout, d);
    documents(&mut layout, d);
    signatures(&mut layout, d);
    chain(&mut layout, d, content_sha256);
    if !d.released() {
        layout.watermarks("NOT RELEASED", NOT_RELEASED);
    }
    let id = &d.identification;
    layout.footers(&format!(
        "PO {}  /  Build {}  /  Device history record exported {}",
        id.po_number,
        id.build_number,
        utc_text(d.exported_at)
    ));
    layout.pages
}

/// The PDF's bytes (streams compressed); `content_sha256` is the JSON's hash, printed in the record.
pub fn render(d: &DeviceHistoryRecord, content_sha256: &str) -> Vec<u8> {
    save(d, content_sha256, true)
}

/// With `optimize` off the content streams stay readable, for tests and debugging.
pub fn save(d: &DeviceHistoryRecord, content_sha256: &str, optimize: bool) -> Vec<u8> {
    let id = &d.identification;
    let title = format!("DHR {} {}", id.po_number, id.build_number);
    let subject = format!("Device history record of build {}", id.build_number);
    // The document's dates are written from local time, as for the other exports.
    let local = chrono::Local
        .from_utc_datetime(&d.exported_at)
        .naive_local();
    let doc = pdf_document(&title, &subject, local, pages(d, content_sha256));
    pdf_bytes(&doc, optimize)
}

/// Every text shown on each page, in drawing order.
pub fn page_texts(d: &DeviceHistoryRecord, content_sha256: &str) -> Vec<Vec<String>> {
    texts_of(&pages(d, content_sha256))
}
