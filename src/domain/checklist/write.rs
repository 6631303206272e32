//! The checklists file written back from templates (docs/checklists.md §11): the keys, their order and
//! their quoting as in src/reference/checklists.toml, so that `parse_checklists(&to_toml(f)) == f`.

use super::{ChecklistFile, Item, Procedure, Template};
use std::fmt::Write as _;

/// A TOML basic string: `"…"` with `\` and `"` escaped, and any control character (which stored text
/// never holds, src/text.rs) as `\uXXXX`.
fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn list(values: &[String]) -> String {
    let parts: Vec<String> = values.iter().map(|v| quoted(v)).collect();
    format!("[{}]", parts.join(", "))
}

/// A finite float as TOML writes one: always with a fraction or an exponent (`2.0`, `41.5`).
fn float(v: f64) -> String {
    let s = format!("{v:?}");
    if s.contains(['.', 'e', 'E']) {
        s
    } else {
        format!("{s}.0")
    }
}

const RULE: &str = "# =================================================================================================================";

/// The whole file: `schemaVersion`, then each template with its procedures and items in order.
pub fn to_toml(file: &ChecklistFile) -> String {
    let mut out = String::new();
    out.push_str("# Checklist templates exported by cleanstation (docs/checklists.md §11).\n");
    out.push_str("# The keys and the appliesWhen language: docs/checklists.md §2-§5.\n\n");
    let _ = writeln!(out, "schemaVersion = {}", file.schema_version);
    for t in &file.templates {
        template(&mut out, t);
    }
    out
}

fn line(out: &mut String, key: &str, value: impl std::fmt::Display) {
    let _ = writeln!(out, "{key} = {value}");
}

fn template(out: &mut String, t: &Template) {
    let _ = writeln!(out, "\n{RULE}\n[[template]]");
    line(out, "key", quoted(&t.key));
    line(out, "name", quoted(&t.name));
    line(out, "formType", quoted(t.form_type.code()));
    line(out, "version", t.version);
    line(out, "usage", quoted(t.usage.code()));
    if let Some(v) = &t.source {
        line(out, "source", quoted(v));
    }
    if let Some(v) = &t.description {
        line(out, "description", quoted(v));
    }
    if !t.header_fields.is_empty() {
        line(out, "headerFields", list(&t.header_fields));
    }
    for p in &t.procedures {
        procedure(out, p);
    }
    for i in &t.items {
        item(out, i);
    }
}

fn procedure(out: &mut String, p: &Procedure) {
    out.push_str("\n[[template.procedure]]\n");
    line(out, "name", quoted(&p.name));
    if !p.materials.is_empty() {
        line(out, "materials", list(&p.materials));
    }
    out.push_str("steps = [\n");
    for s in &p.steps {
        let _ = writeln!(out, "  {},", quoted(s));
    }
    out.push_str("]\n");
}

fn item(out: &mut String, i: &Item) {
    out.push_str("\n[[template.item]]\n");
    line(out, "code", quoted(&i.code));
    line(out, "section", quoted(&i.section));
    line(out, "sequence", i.sequence);
    line(out, "description", quoted(&i.description));
    line(out, "checkType", quoted(i.check_type.code()));
    if let Some(v) = &i.options {
        line(out, "options", list(v));
    }
    if let Some(v) = i.multiple {
        line(out, "multiple", v);
    }
    if let Some(v) = &i.note_required_for {
        line(out, "noteRequiredFor", list(v));
    }
    if let Some(v) = &i.unit {
        line(out, "unit", quoted(v));
    }
    if let Some(v) = i.min {
        line(out, "min", float(v));
    }
    if let Some(v) = i.max {
        line(out, "max", float(v));
    }
    line(out, "required", i.required);
    line(out, "basinSpecific", i.basin_specific);
    if let Some(v) = &i.applies_when {
        line(out, "appliesWhen", quoted(v));
    }
    line(out, "notesPrompt", i.notes_prompt);
    if let Some(v) = &i.store_to {
        line(out, "storeTo", quoted(v));
    }
    if let Some(v) = i.est_minutes {
        line(out, "estMinutes", v);
    }
    if let Some(v) = &i.test_type {
        line(out, "testType", quoted(v));
    }
    if let Some(v) = &i.item_id {
        line(out, "itemId", quoted(v));
    }
    if let Some(v) = i.qty {
        line(out, "qty", v);
    }
    if let Some(v) = &i.qty_from {
        line(out, "qtyFrom", quoted(v));
    }
    if let Some(v) = i.mounted_allowed {
        line(out, "mountedAllowed", v);
    }
    if let Some(v) = &i.catalog_gap {
        line(out, "catalogGap", quoted(v));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::checklist::{CheckType, parse_checklists};
    use crate::reference::CHECKLISTS_TOML;

    /// Every shipped template, written and read back, is the same template.
    #[test]
    fn each_shipped_template_survives_the_round_trip() {
        let shipped = parse_checklists(CHECKLISTS_TOML).expect("shipped");
        for t in &shipped.templates {
            let one = ChecklistFile {
                schema_version: shipped.schema_version,
                templates: vec![t.clone()],
            };
            let back = parse_checklists(&to_toml(&one)).expect("re-parses");
            assert_eq!(back, one, "{}", t.key);
        }
        let whole = parse_checklists(&to_toml(&shipped)).expect("re-parses");
        assert_eq!(whole, shipped);
        // Written twice, the same text.
        assert_eq!(to_toml(&whole), to_toml(&shipped));
    }

    /// The shipped file's data lines (comments and blank lines aside) are what the export writes.
    #[test]
    fn the_export_writes_the_shipped_keys_in_the_shipped_order_and_quoting() {
        let shipped = parse_checklists(CHECKLISTS_TOML).expect("shipped");
        let data = |text: &str| -> Vec<String> {
            text.lines()
                .map(str::trim_end)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(str::to_string)
                .collect()
        };
        assert_eq!(data(&to_toml(&shipped)), data(CHECKLISTS_TOML));
    }

    /// Every item property varied over the awkward values still comes back: quotes, backslashes,
    /// non-ASCII, floats without a fraction, every optional key present or absent.
    #[test]
    fn awkward_values_survive_the_round_trip() {
        let shipped = parse_checklists(CHECKLISTS_TOML).expect("shipped");
        let mut file = ChecklistFile {
            schema_version: 1,
            templates: vec![shipped.templates[3].clone()],
        };
        let t = &mut file.templates[0];
        t.description = Some("Says \"hi\" \\ back; café 41.5°C".into());
        t.source = None;
        for (n, it) in t.items.iter_mut().enumerate() {
            it.description = format!("{} \"{n}\" \\n", it.description);
            if it.check_type == CheckType::Measurement {
                it.min = Some(-3.0);
                it.max = Some(1e3);
            }
        }
        let back = parse_checklists(&to_toml(&file)).expect("re-parses");
        assert_eq!(back, file);
    }

    #[test]
    fn floats_and_strings_are_written_as_toml() {
        assert_eq!(float(2.0), "2.0");
        assert_eq!(float(-2.0), "-2.0");
        assert_eq!(float(41.5), "41.5");
        assert_eq!(quoted("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(quoted("\u{7}"), r#""\u0007""#);
    }
}
