//! Laying out US Letter pages by hand in points with printpdf's built-in Helvetica (no font files on the
//! station): measuring and wrapping text, title blocks, tables whose rows move whole to the next page,
//! footers, and the finished file. The BOM export and the QC certificate are drawn with it.

use chrono::{NaiveDateTime, TimeZone};
use printpdf::{
    BuiltinFont, Color, Line, LinePoint, Op, PaintMode, ParsedFont, PdfDocument, PdfFontHandle,
    PdfPage, PdfSaveOptions, Point, Polygon, PolygonRing, Pt, Rgb, TextItem, TextMatrix,
    WindingOrder,
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
/// A cell longer than this many lines is cut with an ellipsis (no catalog text comes close).
pub(crate) const MAX_CELL_LINES: usize = 4;

pub(crate) const BLACK: (f32, f32, f32) = (0.0, 0.0, 0.0);
pub(crate) const GREY_TEXT: (f32, f32, f32) = (0.35, 0.35, 0.35);
pub(crate) const RULE: (f32, f32, f32) = (0.75, 0.75, 0.75);
pub(crate) const HEADER_FILL: (f32, f32, f32) = (0.88, 0.90, 0.93);
pub(crate) const TOP_LEVEL_FILL: (f32, f32, f32) = (0.96, 0.96, 0.97);
pub(crate) const WATERMARK: (f32, f32, f32) = (0.88, 0.88, 0.88);
pub(crate) const WARNING_TEXT: (f32, f32, f32) = (0.70, 0.0, 0.0);

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
pub(super) fn printable(text: &str) -> String {
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
    /// Takes the width the table's other columns leave (see [`full_width`]).
    rest: bool,
}

impl Column {
    /// A column of text read from the left.
    pub(crate) const fn left(title: &'static str, width: f32) -> Column {
        Column {
            title,
            width,
            align: Align::Left,
            rest: false,
        }
    }

    /// A column of numbers, lined up on the right.
    pub(crate) const fn right(title: &'static str, width: f32) -> Column {
        Column {
            title,
            width,
            align: Align::Right,
            rest: false,
        }
    }

    /// A column of text as wide as the others leave of the page.
    pub(crate) const fn rest(title: &'static str) -> Column {
        Column {
            title,
            width: 0.0,
            align: Align::Left,
            rest: true,
        }
    }
}

/// The columns of a table across the page: a [`Column::rest`] gets what the others leave.
pub(crate) fn full_width<const N: usize>(mut columns: [Column; N]) -> [Column; N] {
    let left = columns
        .iter()
        .filter(|c| !c.rest)
        .fold(CONTENT_WIDTH, |w, c| w - c.width);
    for c in columns.iter_mut().filter(|c| c.rest) {
        c.width = left;
    }
    columns
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
    /// On every page laid out so far: `mark` large and diagonal beneath the content, and `line` as plain
    /// text in the top margin (so it survives text extraction and black-and-white copies).
    pub(crate) fn watermarks(&mut self, mark: &str, line: &str) {
        let pages = std::mem::take(&mut self.pages);
        for ops in pages {
            self.pages.push(Vec::new());
            self.ops().extend([
                Op::StartTextSection,
                Op::SetFillColor {
                    col: color(WATERMARK),
                },
                Op::SetFont {
                    font: PdfFontHandle::Builtin(BuiltinFont::HelveticaBold),
                    size: Pt(54.0),
                },
                Op::SetTextMatrix {
                    matrix: TextMatrix::TranslateRotate(Pt(110.0), Pt(200.0), 45.0),
                },
                Op::ShowText {
                    items: vec![TextItem::Text(printable(mark))],
                },
                Op::EndTextSection,
            ]);
            let w = self.metrics.width(line, true, 10.0);
            self.text(
                MARGIN + (CONTENT_WIDTH - w) / 2.0,
                PAGE_HEIGHT - 32.0,
                line,
                true,
                10.0,
                WARNING_TEXT,
            );
            self.ops().extend(ops);
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
// Title blocks and the finished file

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
