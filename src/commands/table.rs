//! Plain-text tables for the command line, aligned with spaces.

use std::io::Write;

/// Left-aligned columns separated by two spaces; column widths fit the widest cell.
pub(super) fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths = Vec::new();
    widen(&mut widths, header, rows);
    let mut out = vec![line(header, &widths)];
    out.extend(rows.iter().map(|r| line(r, &widths)));
    out.join("\n")
}

/// Widens `widths` to fit `header` and every row.
fn widen(widths: &mut Vec<usize>, header: &[&str], rows: &[Vec<String>]) {
    widths.resize(widths.len().max(header.len()), 0);
    for (w, h) in widths.iter_mut().zip(header) {
        *w = (*w).max(h.chars().count());
    }
    for r in rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(cell.chars().count());
        }
    }
}

/// One row padded to `widths`, without trailing spaces.
fn line(cells: &[impl AsRef<str>], widths: &[usize]) -> String {
    let padded: Vec<String> = cells
        .iter()
        .zip(widths)
        .map(|(c, w)| format!("{:<w$}", c.as_ref()))
        .collect();
    padded.join("  ").trim_end().to_string()
}

/// Rows written as their pages arrive, in constant memory (docs/performance.md §5.2): a JSON array
/// written element by element, or a table whose header comes with the first page and whose columns
/// fit every row written so far (a later, wider value widens the columns from its page on). Everything
/// passes `text::for_terminal` on its way out.
pub(super) struct RowWriter<W: Write> {
    out: W,
    json: bool,
    header: &'static [&'static str],
    widths: Vec<usize>,
    written: u64,
}

impl<W: Write> RowWriter<W> {
    pub(super) fn new(out: W, json: bool, header: &'static [&'static str]) -> Self {
        RowWriter {
            out,
            json,
            header,
            widths: Vec::new(),
            written: 0,
        }
    }

    /// Writes one page: each row as JSON, or as the table `cells` makes of it.
    pub(super) fn page<T: serde::Serialize>(
        &mut self,
        rows: &[T],
        cells: impl Fn(&T) -> Vec<String>,
    ) -> std::io::Result<()> {
        let mut text = String::new();
        if self.json {
            for row in rows {
                text.push_str(if self.written == 0 { "[\n" } else { ",\n" });
                let one = serde_json::to_string_pretty(row).map_err(std::io::Error::other)?;
                // Each element indented one level, as the whole array printed pretty would be.
                let indented: Vec<String> = one.lines().map(|l| format!("  {l}")).collect();
                text.push_str(&indented.join("\n"));
                self.written += 1;
            }
        } else if !rows.is_empty() {
            let cells: Vec<Vec<String>> = rows.iter().map(cells).collect();
            widen(&mut self.widths, self.header, &cells);
            if self.written == 0 {
                text.push_str(&line(self.header, &self.widths));
                text.push('\n');
            }
            for r in &cells {
                text.push_str(&line(r, &self.widths));
                text.push('\n');
            }
            self.written += rows.len() as u64;
        }
        self.write(&text)
    }

    /// Ends the output: closes the JSON array, or says `none` when there were no rows.
    pub(super) fn finish(mut self, none: &str) -> std::io::Result<()> {
        let end = match (self.json, self.written) {
            (true, 0) => "[]\n".to_string(),
            (true, _) => "\n]\n".to_string(),
            (false, 0) => format!("{none}\n"),
            (false, _) => String::new(),
        };
        self.write(&end)?;
        self.out.flush()
    }

    fn write(&mut self, text: &str) -> std::io::Result<()> {
        self.out
            .write_all(crate::text::for_terminal(text).as_bytes())?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &[&str] = &["NAME", "N"];

    #[derive(serde::Serialize)]
    struct Row {
        name: String,
        n: u32,
        tags: Vec<&'static str>,
    }

    fn rows(n: u32) -> Vec<Row> {
        (0..n)
            .map(|i| Row {
                name: format!("row \"{i}\"\u{1b}"),
                n: i,
                tags: vec!["a", "b"],
            })
            .collect()
    }

    fn cells(r: &Row) -> Vec<String> {
        vec![r.name.clone(), r.n.to_string()]
    }

    /// What the writer prints for `rows` in pages of `page`.
    fn streamed(rows: &[Row], page: usize, json: bool) -> String {
        let mut out = Vec::new();
        let mut w = RowWriter::new(&mut out, json, HEADER);
        for chunk in rows.chunks(page.max(1)) {
            assert!(w.page(chunk, cells).is_ok());
        }
        assert!(w.finish("Nothing.").is_ok());
        String::from_utf8(out).unwrap_or_default()
    }

    #[test]
    fn one_page_prints_what_the_whole_list_printed() {
        for n in [0, 1, 3] {
            let all = rows(n);
            let whole = serde_json::to_string_pretty(&all).unwrap_or_default();
            assert_eq!(
                streamed(&all, 10, true),
                format!("{}\n", crate::text::for_terminal(&whole))
            );
        }
        let all = rows(3);
        let cells: Vec<Vec<String>> = all.iter().map(cells).collect();
        assert_eq!(
            streamed(&all, 10, false),
            format!("{}\n", crate::text::for_terminal(&table(HEADER, &cells)))
        );
        assert_eq!(streamed(&[], 10, false), "Nothing.\n");
    }

    #[test]
    fn many_pages_make_one_json_array_and_one_table() {
        let all = rows(7);
        let json = streamed(&all, 2, true);
        let value: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(value, serde_json::to_value(&all).unwrap_or_default());
        let text = streamed(&all, 2, false);
        assert_eq!(text.lines().count(), 8, "{text}");
        assert_eq!(text.matches("NAME").count(), 1, "one header: {text}");
        assert!(!text.contains('\u{1b}'), "escaped: {text}");
    }
}
