//! The BOM as a printable PDF for purchasing: US Letter, a title block, the warnings, the indented tree,
//! the flattened totals and "Page i of n" on every page.
//!
//! Laid out by hand in points with printpdf's built-in Helvetica (no font files on the station). Every
//! cell is wrapped to its column, and a row that does not fit on the page moves whole to the next one.

use crate::domain::bom_document::{BomDocument, quantity_text};
use crate::export::csv::spec_text;
use chrono::{NaiveDateTime, TimeZone};
use printpdf::{
    BuiltinFont, Color, Line, LinePoint, Op, PaintMode, ParsedFont, PdfDocument, PdfFontHandle,
    PdfPage, PdfSaveOptions, Point, Polygon, PolygonRing, Pt, Rgb, TextItem, WindingOrder,
};

/// US Letter in points.
pub const PAGE_WIDTH: f32 = 612.0;
pub const PAGE_HEIGHT: f32 = 792.0;
pub(crate) const MARGIN: f32 = 50.0;
pub(crate) const CONTENT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
/// The lowest baseline content may use; the footer lives below it.
pub(crate) const CONTENT_BOTTOM: f32 = 62.0;
pub(crate) const FOOTER_BASELINE: f32 = 36.0;

pub(crate) const BODY_SIZE: f32 = 8.5;
pub(crate) const LINE_HEIGHT: f32 = 11.0;
pub(crate) const CELL_PAD: f32 = 3.0;
/// How far each level of the tree is indented in the id column.
const INDENT: f32 = 10.0;
/// A cell longer than this many lines is cut with an ellipsis (no catalog text comes close).
pub(crate) const MAX_CELL_LINES: usize = 4;

pub(crate) const BLACK: (f32, f32, f32) = (0.0, 0.0, 0.0);
pub(crate) const GREY_TEXT: (f32, f32, f32) = (0.35, 0.35, 0.35);
pub(crate) const RULE: (f32, f32, f32) = (0.75, 0.75, 0.75);
pub(crate) const HEADER_FILL: (f32, f32, f32) = (0.88, 0.90, 0.93);
pub(crate) const TOP_LEVEL_FILL: (f32, f32, f32) = (0.96, 0.96, 0.97);

fn color((r, g, b): (f32, f32, f32)) -> Color {
    Color::Rgb(Rgb {
        r,
        g,
        b,
        icc_profile: None,
    })
}

fn point(x: f32, y: f32) -> Point {
    Point { x: Pt(x), y: Pt(y) }
}

// ------------------------------------------------------------------------------------------------
// Measuring and wrapping text

/// The built-in fonts only know WinAnsi; the catalog's inch and foot primes would print as `?`.
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{2033}' => '"',
            '\u{2032}' => '\'',
            '\u{2212}' | '\u{2010}' | '\u{2011}' => '-',
            other => other,
        })
        .collect()
}

/// Advance widths of the built-in faces, read from the metric-compatible fonts printpdf ships.
pub(crate) struct Metrics {
    regular: Option<ParsedFont>,
    bold: Option<ParsedFont>,
}

impl Metrics {
    pub(crate) fn new() -> Metrics {
        Metrics {
            regular: BuiltinFont::Helvetica.get_parsed_font(),
            bold: BuiltinFont::HelveticaBold.get_parsed_font(),
        }
    }

    /// The width of `text` in points.
    pub(crate) fn width(&self, text: &str, bold: bool, size: f32) -> f32 {
        let font = if bold { &self.bold } else { &self.regular };
        printable(text)
            .chars()
            .map(|c| {
                font.as_ref()
                    .and_then(|f| {
                        let gid = f.lookup_glyph_index(u32::from(c))?;
                        let w = f.get_glyph_width(gid)?;
                        Some(f32::from(w) / f32::from(f.units_per_em.max(1)))
                    })
                    // An average Helvetica glyph, should the font data ever lack one.
                    .unwrap_or(0.6)
                    * size
            })
            .sum()
    }

    /// `text` cut to `width` with an ellipsis.
    pub(crate) fn truncate(&self, text: &str, bold: bool, size: f32, width: f32) -> String {
        if self.width(text, bold, size) <= width {
            return text.to_string();
        }
        let mut out = String::new();
        for c in text.chars() {
            let candidate = format!("{out}{c}...");
            if self.width(&candidate, bold, size) > width {
                break;
            }
            out.push(c);
        }
        format!("{}...", out.trim_end())
    }

    /// `text` in lines no wider than `width`: broken at spaces, else after a hyphen or slash, else
    /// anywhere; at most `max_lines`, the last cut with an ellipsis when text remains.
    pub(crate) fn wrap(
        &self,
        text: &str,
        bold: bool,
        size: f32,
        width: f32,
        max_lines: usize,
    ) -> Vec<String> {
        let mut lines: Vec<String> = Vec::new();
        let mut rest = text.trim().to_string();
        while !rest.is_empty() {
            if lines.len() + 1 == max_lines {
                lines.push(self.truncate(&rest, bold, size, width));
                return lines;
            }
            if self.width(&rest, bold, size) <= width {
                lines.push(rest);
                return lines;
            }
            let chars: Vec<char> = rest.chars().collect();
            // The longest prefix that fits, then the last good break inside it.
            let mut fit = 0;
            while fit < chars.len() {
                let prefix: String = chars.iter().take(fit + 1).collect();
                if self.width(&prefix, bold, size) > width {
                    break;
                }
                fit += 1;
            }
            let fit = fit.max(1);
            let head = chars.get(..fit).unwrap_or_default();
            let cut = head
                .iter()
                .rposition(|c| *c == ' ')
                .filter(|&i| i > 0)
                .or_else(|| {
                    head.iter()
                        .rposition(|c| matches!(c, '-' | '/' | ','))
                        .map(|i| i + 1)
                        .filter(|&i| i < fit)
                })
                .unwrap_or(fit);
            let line: String = chars.iter().take(cut).collect();
            lines.push(line.trim_end().to_string());
            rest = chars
                .iter()
                .skip(cut)
                .collect::<String>()
                .trim_start()
                .to_string();
        }
        if lines.is_empty() {
            lines.push(String::new());
        }
        lines
    }
}

// ------------------------------------------------------------------------------------------------
// Pages

#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Align {
    Left,
    Right,
}

/// One table column: heading, width and alignment.
pub(crate) struct Column {
    pub(crate) title: &'static str,
    pub(crate) width: f32,
    pub(crate) align: Align,
}

impl Column {
    /// A column of text read from the left.
    pub(crate) const fn left(title: &'static str, width: f32) -> Column {
        Column {
            title,
            width,
            align: Align::Left,
        }
    }

    /// A column of numbers, lined up on the right.
    pub(crate) const fn right(title: &'static str, width: f32) -> Column {
        Column {
            title,
            width,
            align: Align::Right,
        }
    }
}

/// One table cell as laid out: its lines, weight and extra left indent.
pub(crate) struct Cell {
    pub(crate) lines: Vec<String>,
    pub(crate) bold: bool,
    pub(crate) indent: f32,
}

/// The pages being filled, top to bottom.
pub(crate) struct Layout {
    pub(crate) metrics: Metrics,
    pub(crate) pages: Vec<Vec<Op>>,
    /// The top of the free space on the current page.
    pub(crate) y: f32,
}

impl Layout {
    /// The document's title with the product's name at the right, over a full-width rule.
    pub(crate) fn title(&mut self, title: &str) {
        let baseline = self.y - 18.0;
        self.text(MARGIN, baseline, title, true, 18.0, BLACK);
        let brand = "CleanStation MDRD";
        let bw = self.metrics.width(brand, false, 9.0);
        self.text(
            MARGIN + CONTENT_WIDTH - bw,
            baseline,
            brand,
            false,
            9.0,
            GREY_TEXT,
        );
        self.y -= 28.0;
        self.rule(MARGIN, MARGIN + CONTENT_WIDTH, self.y, 1.0, BLACK);
        self.y -= 6.0;
    }
    /// "Page i of n" and `identity` (cut to fit) at the foot of every page laid out so far.
    pub(crate) fn footers(&mut self, identity: &str) {
        let total = self.pages.len();
        let identity = self
            .metrics
            .truncate(identity, false, 8.0, CONTENT_WIDTH - 90.0);
        let pages = std::mem::take(&mut self.pages);
        for (i, ops) in pages.into_iter().enumerate() {
            self.pages.push(ops);
            let number = format!("Page {} of {total}", i + 1);
            let w = self.metrics.width(&number, false, 8.0);
            self.rule(
                MARGIN,
                MARGIN + CONTENT_WIDTH,
                FOOTER_BASELINE + 12.0,
                0.5,
                RULE,
            );
            self.text(MARGIN, FOOTER_BASELINE, &identity, false, 8.0, GREY_TEXT);
            self.text(
                MARGIN + CONTENT_WIDTH - w,
                FOOTER_BASELINE,
                &number,
                false,
                8.0,
                GREY_TEXT,
            );
        }
    }
    pub(crate) fn new() -> Layout {
        let mut layout = Layout {
            metrics: Metrics::new(),
            pages: Vec::new(),
            y: 0.0,
        };
        layout.new_page();
        layout
    }

    pub(crate) fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = PAGE_HEIGHT - MARGIN;
    }

    pub(crate) fn ops(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    pub(crate) fn fits(&self, height: f32) -> bool {
        self.y - height >= CONTENT_BOTTOM
    }

    pub(crate) fn text(
        &mut self,
        x: f32,
        baseline: f32,
        text: &str,
        bold: bool,
        size: f32,
        rgb: (f32, f32, f32),
    ) {
        let font = if bold {
            BuiltinFont::HelveticaBold
        } else {
            BuiltinFont::Helvetica
        };
        self.ops().extend([
            Op::StartTextSection,
            Op::SetFillColor { col: color(rgb) },
            Op::SetFont {
                font: PdfFontHandle::Builtin(font),
                size: Pt(size),
            },
            Op::SetTextCursor {
                pos: point(x, baseline),
            },
            Op::ShowText {
                items: vec![TextItem::Text(printable(text))],
            },
            Op::EndTextSection,
        ]);
    }

    pub(crate) fn rule(&mut self, x1: f32, x2: f32, y: f32, thickness: f32, rgb: (f32, f32, f32)) {
        self.ops().extend([
            Op::SetOutlineColor { col: color(rgb) },
            Op::SetOutlineThickness { pt: Pt(thickness) },
            Op::DrawLine {
                line: Line {
                    points: vec![
                        LinePoint {
                            p: point(x1, y),
                            bezier: false,
                        },
                        LinePoint {
                            p: point(x2, y),
                            bezier: false,
                        },
                    ],
                    is_closed: false,
                },
            },
        ]);
    }

    pub(crate) fn fill(&mut self, x: f32, top: f32, width: f32, height: f32, rgb: (f32, f32, f32)) {
        let corners = [
            (x, top),
            (x + width, top),
            (x + width, top - height),
            (x, top - height),
        ];
        self.ops().extend([
            Op::SetFillColor { col: color(rgb) },
            Op::DrawPolygon {
                polygon: Polygon {
                    rings: vec![PolygonRing {
                        points: corners
                            .iter()
                            .map(|&(x, y)| LinePoint {
                                p: point(x, y),
                                bezier: false,
                            })
                            .collect(),
                    }],
                    mode: PaintMode::Fill,
                    winding_order: WindingOrder::NonZero,
                },
            },
        ]);
    }

    /// A section heading, kept on the page with at least `keep` points of what follows.
    /// The title block's facts: two columns of labels and values side by side, each value wrapped to
    /// two lines; the left values bold, the right ones where `bold_right` says so for their label.
    pub(crate) fn facts(
        &mut self,
        left: &[(&str, String)],
        right: &[(&str, String)],
        bold_right: &dyn Fn(&str) -> bool,
    ) {
        let label_width = 72.0;
        let half = CONTENT_WIDTH / 2.0;
        let value_width = half - label_width - 8.0;
        let mut top = self.y;
        for ((ll, lv), (rl, rv)) in left.iter().zip(right) {
            let bold = bold_right(rl);
            let lv = self.metrics.wrap(lv, true, 9.5, value_width, 2);
            let rv = self.metrics.wrap(rv, bold, 9.5, value_width, 2);
            let lines = lv.len().max(rv.len()).max(1);
            let mut baseline = top - 13.0;
            self.text(MARGIN, baseline, ll, false, 8.5, GREY_TEXT);
            self.text(MARGIN + half, baseline, rl, false, 8.5, GREY_TEXT);
            for i in 0..lines {
                if let Some(t) = lv.get(i) {
                    self.text(MARGIN + label_width, baseline, t, true, 9.5, BLACK);
                }
                if let Some(t) = rv.get(i) {
                    self.text(MARGIN + half + label_width, baseline, t, bold, 9.5, BLACK);
                }
                baseline -= 12.0;
            }
            top -= 13.0 + (lines as f32 - 1.0) * 12.0;
        }
        self.y = top - 10.0;
    }

    /// A section holding a table: its heading, kept with the first rows; the rows, or `empty` said
    /// in their place when there are none (`None`); then the gap before what follows.
    pub(crate) fn table_section(
        &mut self,
        (title, subtitle): (&str, &str),
        columns: &[Column],
        rows: Option<Vec<(Vec<Cell>, bool)>>,
        empty: &str,
    ) {
        self.heading(title, subtitle, 40.0);
        match rows {
            Some(rows) => self.table(columns, rows),
            None => self.list(&[empty.to_string()]),
        }
        self.y -= 14.0;
    }

    pub(crate) fn heading(&mut self, title: &str, subtitle: &str, keep: f32) {
        let height = 26.0;
        if !self.fits(height + keep) {
            self.new_page();
        }
        let baseline = self.y - 16.0;
        self.text(MARGIN, baseline, title, true, 11.0, BLACK);
        if !subtitle.is_empty() {
            let x = MARGIN + self.metrics.width(title, true, 11.0) + 8.0;
            self.text(x, baseline, subtitle, false, BODY_SIZE, GREY_TEXT);
        }
        self.y -= height;
    }

    /// Wrapped paragraphs, one per line of `lines`, each with a leading marker.
    pub(crate) fn list(&mut self, lines: &[String]) {
        for entry in lines {
            let wrapped = self.metrics.wrap(
                entry,
                false,
                BODY_SIZE,
                CONTENT_WIDTH - 12.0,
                MAX_CELL_LINES * 2,
            );
            let height = wrapped.len() as f32 * LINE_HEIGHT + 2.0;
            if !self.fits(height) {
                self.new_page();
            }
            let mut baseline = self.y - LINE_HEIGHT + 2.0;
            self.text(MARGIN, baseline, "-", false, BODY_SIZE, BLACK);
            for line in &wrapped {
                self.text(MARGIN + 12.0, baseline, line, false, BODY_SIZE, BLACK);
                baseline -= LINE_HEIGHT;
            }
            self.y -= height;
        }
    }

    pub(crate) fn table_header(&mut self, columns: &[Column]) {
        let height = LINE_HEIGHT + 2.0 * CELL_PAD;
        self.fill(MARGIN, self.y, CONTENT_WIDTH, height, HEADER_FILL);
        let baseline = self.y - CELL_PAD - LINE_HEIGHT + 3.0;
        let mut x = MARGIN;
        for c in columns {
            let tx = match c.align {
                Align::Left => x + CELL_PAD,
                Align::Right => {
                    x + c.width - CELL_PAD - self.metrics.width(c.title, true, BODY_SIZE)
                }
            };
            self.text(tx, baseline, c.title, true, BODY_SIZE, BLACK);
            x += c.width;
        }
        self.y -= height;
        self.rule(MARGIN, MARGIN + CONTENT_WIDTH, self.y, 0.6, GREY_TEXT);
    }

    /// A table: the header on every page it spans, rows never split across pages.
    pub(crate) fn table(&mut self, columns: &[Column], rows: Vec<(Vec<Cell>, bool)>) {
        let header_height = LINE_HEIGHT + 2.0 * CELL_PAD;
        let first_row = rows.first().map_or(0.0, |(cells, _)| row_height(cells));
        if !self.fits(header_height + first_row) {
            self.new_page();
        }
        self.table_header(columns);
        for (cells, shaded) in rows {
            let height = row_height(&cells);
            if !self.fits(height) {
                self.new_page();
                self.table_header(columns);
            }
            if shaded {
                self.fill(MARGIN, self.y, CONTENT_WIDTH, height, TOP_LEVEL_FILL);
            }
            let mut x = MARGIN;
            for (c, cell) in columns.iter().zip(&cells) {
                let mut baseline = self.y - CELL_PAD - LINE_HEIGHT + 3.0;
                for line in &cell.lines {
                    let tx = match c.align {
                        Align::Left => x + CELL_PAD + cell.indent,
                        Align::Right => {
                            x + c.width - CELL_PAD - self.metrics.width(line, cell.bold, BODY_SIZE)
                        }
                    };
                    self.text(tx, baseline, line, cell.bold, BODY_SIZE, BLACK);
                    baseline -= LINE_HEIGHT;
                }
                x += c.width;
            }
            self.y -= height;
            self.rule(MARGIN, MARGIN + CONTENT_WIDTH, self.y, 0.3, RULE);
        }
    }

    /// A cell for column `column`, wrapped to its width less the indent.
    pub(crate) fn cell(&self, column: &Column, text: &str, bold: bool, indent: f32) -> Cell {
        self.cell_of_lines(column, text, bold, indent, MAX_CELL_LINES)
    }

    /// A cell of at most `max_lines` lines (the last one cut short with `...`).
    pub(crate) fn cell_of_lines(
        &self,
        column: &Column,
        text: &str,
        bold: bool,
        indent: f32,
        max_lines: usize,
    ) -> Cell {
        let width = column.width - 2.0 * CELL_PAD - indent;
        Cell {
            lines: self.metrics.wrap(text, bold, BODY_SIZE, width, max_lines),
            bold,
            indent,
        }
    }
}

pub(crate) fn row_height(cells: &[Cell]) -> f32 {
    let lines = cells
        .iter()
        .map(|c| c.lines.len())
        .max()
        .unwrap_or(1)
        .max(1);
    lines as f32 * LINE_HEIGHT + 2.0 * CELL_PAD
}

// ------------------------------------------------------------------------------------------------
// The document

/// The facts every title block begins with: the order and the build.
pub(crate) fn build_facts(
    po: &str,
    build: &str,
    customer: &str,
    model: &str,
) -> [(&'static str, String); 4] {
    [
        ("PO number", po.to_string()),
        ("Build", build.to_string()),
        ("Customer", customer.to_string()),
        ("Sink model", model.to_string()),
    ]
}

/// A moment as a title block prints it in `format`, or `-` when there is none.
pub(crate) fn time_or_dash(at: Option<NaiveDateTime>, format: &str) -> String {
    at.map_or_else(|| "-".to_string(), |t| t.format(format).to_string())
}

fn title_block(layout: &mut Layout, doc: &BomDocument, exported_at: NaiveDateTime) {
    let h = &doc.header;
    let v = &doc.version;
    layout.title("Bill of Materials");

    let generated_at = time_or_dash(v.generated_at, "%Y-%m-%d %H:%M");
    let left = build_facts(
        &h.po_number,
        &h.build_number,
        &h.customer_name,
        &h.sink_model,
    );
    let right = [
        (
            "BOM version",
            format!("{} ({})", v.version, v.status.code()),
        ),
        ("Build status", h.order_status.code().to_string()),
        (
            "Generated by",
            format!("{}, {generated_at}", v.generated_by),
        ),
        ("Exported", exported_at.format("%Y-%m-%d %H:%M").to_string()),
    ];
    layout.facts(&left, &right, &|_| false);
}

const LEVEL_W: f32 = 30.0;
const ID_W: f32 = 152.0;
const QTY_W: f32 = 34.0;
const TYPE_W: f32 = 64.0;

fn tree_columns() -> [Column; 5] {
    [
        Column::left("Level", LEVEL_W),
        Column::left("Item ID", ID_W),
        Column::left("Name", CONTENT_WIDTH - LEVEL_W - ID_W - QTY_W - TYPE_W),
        Column::right("Qty", QTY_W),
        Column::left("Type", TYPE_W),
    ]
}

fn totals_columns() -> [Column; 4] {
    [
        Column::left("Item ID", ID_W),
        Column::left("Name", CONTENT_WIDTH - ID_W - TYPE_W - QTY_W),
        Column::left("Type", TYPE_W),
        Column::right("Qty", QTY_W),
    ]
}

fn type_text(item_type: crate::domain::bom::ItemType, is_custom: bool) -> String {
    if is_custom {
        format!("{} (custom)", item_type.code())
    } else {
        item_type.code().to_string()
    }
}

fn tree_rows(layout: &Layout, doc: &BomDocument) -> Vec<(Vec<Cell>, bool)> {
    let columns = tree_columns();
    let [level_col, id_col, name_col, qty_col, type_col] = &columns;
    doc.items
        .iter()
        .map(|item| {
            let top = item.parent.is_none();
            let indent = INDENT * item.level.clamp(0, 6) as f32;
            let mut name = item.name.clone();
            if let Some(spec) = &item.custom_spec {
                name.push_str(&format!(" [{}]", spec_text(spec)));
            }
            if let Some(notes) = item.notes.as_deref().filter(|n| !n.trim().is_empty()) {
                name.push_str(&format!(" - note: {notes}"));
            }
            let cells = vec![
                layout.cell(level_col, &item.level.to_string(), false, 0.0),
                layout.cell(id_col, &item.item_id, top, indent),
                layout.cell(name_col, &name, top, 0.0),
                layout.cell(qty_col, &quantity_text(item.quantity), top, 0.0),
                layout.cell(
                    type_col,
                    &type_text(item.item_type, item.is_custom),
                    false,
                    0.0,
                ),
            ];
            (cells, top)
        })
        .collect()
}

fn totals_rows(layout: &Layout, doc: &BomDocument) -> Vec<(Vec<Cell>, bool)> {
    let columns = totals_columns();
    let [id_col, name_col, type_col, qty_col] = &columns;
    doc.flattened()
        .iter()
        .map(|line| {
            (
                vec![
                    layout.cell(id_col, &line.item_id, false, 0.0),
                    layout.cell(name_col, &line.name, false, 0.0),
                    layout.cell(
                        type_col,
                        &type_text(line.item_type, line.is_custom),
                        false,
                        0.0,
                    ),
                    layout.cell(qty_col, &quantity_text(line.quantity), false, 0.0),
                ],
                false,
            )
        })
        .collect()
}

/// "Page i of n" and the document's identity at the foot of every page.
fn footers(layout: &mut Layout, doc: &BomDocument) {
    layout.footers(&format!(
        "PO {}  /  Build {}  /  BOM version {} ({})",
        doc.header.po_number,
        doc.header.build_number,
        doc.version.version,
        doc.version.status.code()
    ));
}

/// The laid-out pages, before they become a file (the tests look at them).
fn pages(doc: &BomDocument, exported_at: NaiveDateTime) -> Vec<Vec<Op>> {
    let mut layout = Layout::new();
    title_block(&mut layout, doc, exported_at);

    if !doc.version.notes.is_empty() {
        layout.heading("Warnings and notices", "", 3.0 * LINE_HEIGHT);
        layout.list(&doc.version.notes);
        layout.y -= 6.0;
    }

    let subtitle = format!(
        "{} line(s) at the top level, {} item(s) in all; sub-items indented under their assembly",
        doc.top_level().count(),
        doc.items.len()
    );
    let rows = (!doc.items.is_empty()).then(|| tree_rows(&layout, doc));
    layout.table_section(
        ("Components", &subtitle),
        &tree_columns(),
        rows,
        "This BOM has no items.",
    );

    let flat = doc.flattened();
    let sum: rust_decimal::Decimal = flat.iter().map(|l| l.quantity).sum();
    layout.heading(
        "Totals",
        &format!(
            "leaf quantities summed by item: {} item(s), {} piece(s)",
            flat.len(),
            quantity_text(sum)
        ),
        40.0,
    );
    if !flat.is_empty() {
        let rows = totals_rows(&layout, doc);
        layout.table(&totals_columns(), rows);
    }
    footers(&mut layout, doc);
    layout.pages
}

fn document(doc: &BomDocument, exported_at: NaiveDateTime) -> PdfDocument {
    let title = format!(
        "BOM {} {} v{}",
        doc.header.po_number, doc.header.build_number, doc.version.version
    );
    let subject = format!("Bill of materials for build {}", doc.header.build_number);
    pdf_document(&title, &subject, exported_at, pages(doc, exported_at))
}

/// A document of laid-out Letter pages with its title, subject and creation time (local time).
pub(crate) fn pdf_document(
    title: &str,
    subject: &str,
    created_at: NaiveDateTime,
    pages: Vec<Vec<Op>>,
) -> PdfDocument {
    let mut pdf = PdfDocument::new(title);
    pdf.metadata.info.subject = subject.to_string();
    pdf.metadata.info.creator = "CleanStation".into();
    let stamp = chrono::Local
        .from_local_datetime(&created_at)
        .earliest()
        .map_or_else(|| created_at.and_utc().timestamp(), |t| t.timestamp());
    if let Ok(date) = printpdf::OffsetDateTime::from_unix_timestamp(stamp) {
        pdf.metadata.info.creation_date = date;
        pdf.metadata.info.modification_date = date;
        pdf.metadata.info.metadata_date = date;
    }
    let pages = pages
        .into_iter()
        .map(|ops| PdfPage::new(Pt(PAGE_WIDTH).into(), Pt(PAGE_HEIGHT).into(), ops))
        .collect();
    pdf.with_pages(pages);
    pdf
}

/// The file's bytes; `optimize` off leaves the content streams readable.
pub(crate) fn pdf_bytes(pdf: &PdfDocument, optimize: bool) -> Vec<u8> {
    let options = PdfSaveOptions {
        optimize,
        ..PdfSaveOptions::default()
    };
    let mut warnings = Vec::new();
    let bytes = pdf.save(&options, &mut warnings);
    for w in &warnings {
        tracing::debug!(warning = ?w, "pdf export");
    }
    bytes
}

/// The PDF file's bytes (streams compressed).
pub fn render(doc: &BomDocument, exported_at: NaiveDateTime) -> Vec<u8> {
    save(doc, exported_at, true)
}

/// The PDF with `optimize` off leaves the content streams readable, for tests and debugging.
pub fn save(doc: &BomDocument, exported_at: NaiveDateTime, optimize: bool) -> Vec<u8> {
    pdf_bytes(&document(doc, exported_at), optimize)
}

/// Every text shown on each page, in drawing order (for tests and checks of a rendered layout).
pub fn page_texts(doc: &BomDocument, exported_at: NaiveDateTime) -> Vec<Vec<String>> {
    texts_of(&pages(doc, exported_at))
}

/// Every text shown on each of `pages`, in drawing order.
pub(crate) fn texts_of(pages: &[Vec<Op>]) -> Vec<Vec<String>> {
    pages
        .iter()
        .map(|ops| {
            ops.iter()
                .filter_map(|op| match op {
                    Op::ShowText { items } => Some(
                        items
                            .iter()
                            .filter_map(|i| match i {
                                TextItem::Text(t) => Some(t.clone()),
                                _ => None,
                            })
                            .collect::<String>(),
                    ),
                    _ => None,
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::fixtures::{doc, item};

    fn at() -> NaiveDateTime {
        crate::export::fixtures::at(9, 30, 0)
    }

    fn big_doc(top: usize) -> BomDocument {
        let mut d = doc("PO-1001", "B-1", 2);
        for t in 0..top {
            let parent = d.items.len();
            d.items.push(item(
                None,
                0,
                &format!("T2-KIT-{t}"),
                &format!("KIT NUMBER {t} WITH A RATHER LONG DESCRIPTIVE NAME THAT MUST WRAP ONTO MORE LINES"),
                1,
            ));
            for c in 0..4 {
                d.items.push(item(
                    Some(parent),
                    1,
                    &format!("P-{c}"),
                    &format!("PART {c}"),
                    2,
                ));
            }
        }
        d
    }

    #[test]
    fn wrapping_keeps_every_line_inside_the_width() {
        let m = Metrics::new();
        let text = "CUSTOM PEGBOARD, 80\"W X 30\"L, SOLID, BLUE and a few more words to wrap";
        let lines = m.wrap(text, false, BODY_SIZE, 90.0, 10);
        assert!(lines.len() > 1, "{lines:?}");
        for l in &lines {
            assert!(m.width(l, false, BODY_SIZE) <= 90.0, "{l:?} is too wide");
        }
        assert_eq!(lines.join(" "), text);
        let cut = m.wrap(text, false, BODY_SIZE, 60.0, 2);
        assert_eq!(cut.len(), 2);
        assert!(cut[1].ends_with("..."), "{cut:?}");
    }

    #[test]
    fn a_long_id_without_spaces_is_broken_at_hyphens() {
        let m = Metrics::new();
        let lines = m.wrap("T2-ADW-PB-12036-WHITE-SOLID-KIT", true, BODY_SIZE, 80.0, 4);
        assert!(lines.len() > 1);
        assert!(lines[0].ends_with('-'), "{lines:?}");
        assert_eq!(lines.concat(), "T2-ADW-PB-12036-WHITE-SOLID-KIT");
    }

    #[test]
    fn primes_become_quotes_the_fonts_can_print() {
        assert_eq!(printable("1/2\u{2033} PEX, 3\u{2032}"), "1/2\" PEX, 3'");
    }

    #[test]
    fn widths_follow_the_glyphs() {
        let m = Metrics::new();
        assert!(m.width("WWWW", false, 10.0) > m.width("iiii", false, 10.0));
        assert!(m.width("ABC", true, 10.0) >= m.width("ABC", false, 10.0));
    }

    #[test]
    fn every_page_has_its_number_and_the_rows_all_appear_once() {
        let d = big_doc(40);
        let texts = page_texts(&d, at());
        let n = texts.len();
        assert!(n >= 3, "expected several pages, got {n}");
        for (i, page) in texts.iter().enumerate() {
            let label = format!("Page {} of {n}", i + 1);
            assert!(page.contains(&label), "page {} lacks {label}", i + 1);
            // The table header repeats on every page that continues a table.
            if i > 0 {
                assert!(
                    page.iter().any(|t| t == "Item ID"),
                    "page {} has no header",
                    i + 1
                );
            }
        }
        let all: Vec<&String> = texts.iter().flatten().collect();
        for t in 0..40 {
            let id = format!("T2-KIT-{t}");
            assert_eq!(all.iter().filter(|s| ***s == id).count(), 1, "{id}");
        }
        assert!(all.iter().any(|s| *s == "PO-1001"));
        assert!(all.iter().any(|s| *s == "B-1"));
    }

    #[test]
    fn the_file_is_a_pdf_with_one_page_object_per_page() {
        let d = big_doc(40);
        let n = page_texts(&d, at()).len();
        let bytes = render(&d, at());
        assert!(bytes.starts_with(b"%PDF"));
        let mut warnings = Vec::new();
        let parsed = PdfDocument::parse(&bytes, &Default::default(), &mut warnings)
            .expect("the file parses");
        assert_eq!(parsed.pages.len(), n);
    }
}
