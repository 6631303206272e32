//! The one set of rules for text: what stored text may not contain, how text is shown on a terminal,
//! and how it goes into a spreadsheet cell.
//!
//! Forbidden everywhere (input is refused, output escapes or removes them):
//! - the C0 controls U+0000–U+001F (LF only where a field is genuinely multi-line), DEL U+007F and the
//!   C1 controls U+0080–U+009F: a terminal acts on them (ESC starts a control sequence, BEL rings);
//! - every character of Unicode general category Cf (format characters, Unicode 16.0). That is the
//!   direction-changing marks, embeddings, overrides and isolates (U+061C, U+200E, U+200F,
//!   U+202A–U+202E, U+2066–U+2069), the zero-width characters (U+200B–U+200D, U+2060, U+FEFF) and the
//!   rest: the soft hyphen, invisible maths operators, tag characters, interlinear annotations, the
//!   Arabic and Kaithi prepended marks and so on. None is needed in the languages the floor works in
//!   (English, French, Spanish), and each either draws nothing or changes how the text around it
//!   reads, so two values that look identical could differ. The cost is that ZWJ emoji sequences and
//!   ZWNJ in Persian are refused too;
//! - U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR: line breaks in disguise.

use std::borrow::Cow;
use std::fmt::Write as _;

/// The format characters (general category Cf) as of Unicode 16.0, inclusive ranges.
const FORMAT_CHARS: &[(u32, u32)] = &[
    (0x00AD, 0x00AD),
    (0x0600, 0x0605),
    (0x061C, 0x061C),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x180E, 0x180E),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x206F),
    (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
];

/// Why a character is forbidden; the messages name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Control,
    LineSeparator,
    Direction,
    ZeroWidth,
    Format,
}

impl Kind {
    fn describe(self) -> &'static str {
        match self {
            Kind::Control => "the control character",
            Kind::LineSeparator => "the line separator",
            Kind::Direction => "the direction-changing character",
            Kind::ZeroWidth => "the zero-width character",
            Kind::Format => "the invisible formatting character",
        }
    }
}

fn kind(c: char) -> Option<Kind> {
    let u = u32::from(c);
    // Printable ASCII and most text never reach the table.
    if (0x20..0x7F).contains(&u) {
        return None;
    }
    if u < 0x20 || (0x7F..=0x9F).contains(&u) {
        return Some(Kind::Control);
    }
    match u {
        0x2028 | 0x2029 => Some(Kind::LineSeparator),
        0x061C | 0x200E | 0x200F | 0x202A..=0x202E | 0x2066..=0x2069 => Some(Kind::Direction),
        0x200B..=0x200D | 0x2060 | 0xFEFF => Some(Kind::ZeroWidth),
        _ if FORMAT_CHARS.iter().any(|(lo, hi)| (*lo..=*hi).contains(&u)) => Some(Kind::Format),
        _ => None,
    }
}

/// True for every character stored text may not hold (LF included; [`check_text`] lets it through
/// in multi-line fields).
pub fn is_forbidden(c: char) -> bool {
    kind(c).is_some()
}

/// `U+001B`, `U+E0041`.
fn code_point(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

/// Refuses a forbidden character in `value`, naming the field and the first such character:
/// `Customer name: contains the control character U+001B; remove it`. `multiline` lets LF through
/// (only LF: CR, U+2028 and U+2029 stay refused).
pub fn check_text(field_label: &str, value: &str, multiline: bool) -> Result<(), String> {
    for c in value.chars() {
        if c == '\n' && multiline {
            continue;
        }
        if c == '\n' {
            return Err(format!(
                "{field_label}: contains a line break (U+000A); this field takes one line"
            ));
        }
        if let Some(k) = kind(c) {
            return Err(format!(
                "{field_label}: contains {} {}; remove it",
                k.describe(),
                code_point(c)
            ));
        }
    }
    Ok(())
}

/// What an identifier (a PO number) may hold besides the ASCII letters and digits. Only visible
/// ASCII, so no zero-width, direction-changing or look-alike (Cyrillic `А` for Latin `A`) character
/// can make two identifiers that read the same; no space, since `PO 1` and `PO  1` read alike too.
pub const IDENTIFIER_SEPARATORS: [char; 4] = ['-', '_', '.', '/'];

/// Refuses anything in `value` but ASCII letters, digits and [`IDENTIFIER_SEPARATORS`]. A forbidden
/// character gets [`check_text`]'s message; any other gets
/// `PO number: contains "é" (U+00E9); use only letters A-Z, digits and - _ . /`.
pub fn check_identifier(field_label: &str, value: &str) -> Result<(), String> {
    check_text(field_label, value, false)?;
    match value
        .chars()
        .find(|c| !c.is_ascii_alphanumeric() && !IDENTIFIER_SEPARATORS.contains(c))
    {
        None => Ok(()),
        Some(c) => Err(format!(
            "{field_label}: contains \"{c}\" ({}); use only letters A-Z, digits and {}",
            code_point(c),
            IDENTIFIER_SEPARATORS
                .iter()
                .map(char::to_string)
                .collect::<Vec<_>>()
                .join(" ")
        )),
    }
}

/// `value` without any forbidden character (LF included): what a screen cell may show.
pub fn strip_forbidden(value: &str) -> Cow<'_, str> {
    if value.chars().any(is_forbidden) {
        Cow::Owned(value.chars().filter(|c| !is_forbidden(*c)).collect())
    } else {
        Cow::Borrowed(value)
    }
}

/// Text for stdout and stderr: every forbidden character but LF becomes the visible escape `\uXXXX`
/// (upper-case hex; above U+FFFF the UTF-16 surrogate pair `\uD83F\uDFFF`, as JSON writes it). In plain
/// text the escape shows what was there; inside a JSON string it is a valid escape of the very same
/// character, so JSON output stays JSON with the same value.
pub fn for_terminal(text: &str) -> Cow<'_, str> {
    let unsafe_char = |c: char| c != '\n' && is_forbidden(c);
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if unsafe_char(c) {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                // Writing to a String cannot fail.
                let _ = write!(out, "\\u{unit:04X}");
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Characters a spreadsheet reads as the start of a formula (OWASP, CSV injection).
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A plain decimal number (`-2`, `+1.5`): a spreadsheet reads it as that number, never as a formula.
fn is_plain_number(s: &str) -> bool {
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    let mut parts = digits.splitn(2, '.');
    let whole = parts.next().unwrap_or("");
    let frac = parts.next();
    !whole.is_empty()
        && whole.chars().all(|c| c.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.chars().all(|c| c.is_ascii_digit()))
}

/// The content of one CSV field for a spreadsheet, before the CSV writer quotes it. Forbidden
/// characters go (TAB, CR and LF become a space, so words stay apart); a cell whose first visible
/// character would start a formula (`=`, `+`, `-`, `@`, also after leading spaces, which some
/// spreadsheets skip) gets a leading `'` as OWASP recommends, unless it is a plain number.
pub fn csv_cell(text: &str) -> String {
    let clean: String = text
        .chars()
        .filter_map(|c| match c {
            '\t' | '\r' | '\n' => Some(' '),
            c if is_forbidden(c) => None,
            c => Some(c),
        })
        .collect();
    let first = clean.trim_start().chars().next();
    let formula =
        first.is_some_and(|c| FORMULA_START.contains(&c)) && !is_plain_number(clean.trim());
    if formula { format!("'{clean}") } else { clean }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BIDI: [char; 12] = [
        '\u{061C}', '\u{200E}', '\u{200F}', '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}',
        '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}',
    ];
    const ZERO_WIDTH: [char; 5] = ['\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}'];

    #[test]
    fn the_forbidden_set() {
        for u in (0..=0x1F).chain([0x7F]).chain(0x80..=0x9F) {
            let c = char::from_u32(u).unwrap_or_default();
            assert!(is_forbidden(c), "U+{u:04X}");
        }
        for c in BIDI.into_iter().chain(ZERO_WIDTH) {
            assert!(is_forbidden(c), "{:?}", c);
        }
        for c in [
            '\u{00AD}',
            '\u{2061}',
            '\u{E0041}',
            '\u{FFF9}',
            '\u{2028}',
            '\u{2029}',
        ] {
            assert!(is_forbidden(c), "{:?}", c);
        }
        for c in [
            ' ', 'a', '~', '\u{A0}', 'é', 'ñ', '²', '¼', '″', '”', '€', 'Ж', '中', '😀', '\u{0301}',
        ] {
            assert!(!is_forbidden(c), "{:?}", c);
        }
    }

    #[test]
    fn the_format_table_is_sorted_and_disjoint() {
        assert!(FORMAT_CHARS.windows(2).all(|w| w[0].1 < w[1].0));
        assert!(FORMAT_CHARS.iter().all(|(lo, hi)| lo <= hi));
    }

    #[test]
    fn check_text_names_the_field_and_the_character() {
        assert_eq!(
            check_text("Customer name", "St. Mary's Hospital", false),
            Ok(())
        );
        assert_eq!(
            check_text("Customer name", "Acme\u{1b}]0;pwned\u{7}", false),
            Err("Customer name: contains the control character U+001B; remove it".into())
        );
        assert_eq!(
            check_text("Notes", "abc\u{202E}def", true),
            Err("Notes: contains the direction-changing character U+202E; remove it".into())
        );
        assert_eq!(
            check_text("Notes", "a\u{200B}b", true),
            Err("Notes: contains the zero-width character U+200B; remove it".into())
        );
        assert_eq!(
            check_text("Notes", "a\u{85}b", true),
            Err("Notes: contains the control character U+0085; remove it".into())
        );
        assert_eq!(
            check_text("Notes", "soft\u{AD}hyphen", true),
            Err("Notes: contains the invisible formatting character U+00AD; remove it".into())
        );
        assert_eq!(
            check_text("Notes", "tag\u{E0041}", true),
            Err("Notes: contains the invisible formatting character U+E0041; remove it".into())
        );
        assert_eq!(
            check_text("Notes", "a\u{2028}b", true),
            Err("Notes: contains the line separator U+2028; remove it".into())
        );
    }

    #[test]
    fn line_feed_only_where_a_field_takes_lines() {
        assert_eq!(check_text("Notes", "one\ntwo", true), Ok(()));
        assert_eq!(
            check_text("Title", "one\ntwo", false),
            Err("Title: contains a line break (U+000A); this field takes one line".into())
        );
        assert_eq!(
            check_text("Notes", "one\r\ntwo", true),
            Err("Notes: contains the control character U+000D; remove it".into())
        );
        assert!(check_text("Notes", "a\tb", true).is_err());
    }

    #[test]
    fn identifiers_are_visible_ascii() {
        for ok in [
            "PO-1042", "B-1042-1", "PO-EX-2", "4500123", "PO_1.2/A", "Po-A1",
        ] {
            assert_eq!(check_identifier("PO number", ok), Ok(()), "{ok}");
        }
        assert_eq!(
            check_identifier("PO number", "PO-1\u{200B}042"),
            Err("PO number: contains the zero-width character U+200B; remove it".into())
        );
        assert_eq!(
            check_identifier("PO number", "PO-\u{202E}1042"),
            Err("PO number: contains the direction-changing character U+202E; remove it".into())
        );
        // Cyrillic А looks like Latin A.
        assert_eq!(
            check_identifier("PO number", "PO-\u{410}1"),
            Err(
                "PO number: contains \"А\" (U+0410); use only letters A-Z, digits and - _ . /"
                    .into()
            )
        );
        assert!(check_identifier("PO number", "PO 1").is_err());
        assert!(check_identifier("PO number", "PO-1\t").is_err());
    }

    #[test]
    fn strip_removes_every_forbidden_character() {
        assert_eq!(strip_forbidden("plain"), Cow::Borrowed("plain"));
        assert_eq!(
            strip_forbidden("a\u{1b}[2Jb\u{7}\u{9b}c\u{202E}d\u{200B}\n"),
            "a[2Jbcd"
        );
    }

    #[test]
    fn for_terminal_escapes_what_a_terminal_would_act_on() {
        assert!(matches!(
            for_terminal("Plain text\nline two é"),
            Cow::Borrowed(_)
        ));
        assert_eq!(
            for_terminal("\u{1b}]0;title\u{7}x\ty\rz\u{7f}"),
            "\\u001B]0;title\\u0007x\\u0009y\\u000Dz\\u007F"
        );
        assert_eq!(
            for_terminal("a\u{85}b\u{9b}2J\u{202E}c\u{200B}d\u{FEFF}"),
            "a\\u0085b\\u009B2J\\u202Ec\\u200Bd\\uFEFF"
        );
        assert_eq!(for_terminal("tag\u{E0041}"), "tag\\uDB40\\uDC41");
        assert!(
            !for_terminal("\u{1b}\u{85}\u{202E}")
                .chars()
                .any(is_forbidden)
        );
    }

    #[test]
    fn for_terminal_keeps_json_meaning_the_same() {
        let value = serde_json::json!({
            "customerName": "Acme\u{1b}]0;x\u{7} \u{85}\u{9b}\u{7f}",
            "notes": ["\u{202E}gnp.exe", "zero\u{200B}width\u{FEFF}", "tab\there\nline"],
            "tag": "\u{E0041}\u{2028}",
        });
        let text = serde_json::to_string_pretty(&value).unwrap_or_default();
        // serde_json leaves DEL, C1 and bidi characters raw.
        assert!(text.contains('\u{85}') && text.contains('\u{202E}'));
        let safe = for_terminal(&text);
        assert!(!safe.chars().any(|c| c != '\n' && is_forbidden(c)));
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap_or_default();
        assert_eq!(back, value);
    }

    #[test]
    fn csv_cells_cannot_start_a_formula() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("=1+2"), "'=1+2");
        assert_eq!(csv_cell("+1+2"), "'+1+2");
        assert_eq!(csv_cell("-1+2"), "'-1+2");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(
            csv_cell("=HYPERLINK(\"http://x\",\"y\")"),
            "'=HYPERLINK(\"http://x\",\"y\")"
        );
        // Leading whitespace and stripped characters do not hide a formula.
        assert_eq!(csv_cell("  =1+2"), "'  =1+2");
        assert_eq!(csv_cell("\t=1+2"), "' =1+2");
        assert_eq!(csv_cell("\r=1+2"), "' =1+2");
        assert_eq!(csv_cell("\u{1b}=1+2"), "'=1+2");
        assert_eq!(csv_cell("\u{200B}=1+2"), "'=1+2");
        assert_eq!(csv_cell("\u{202E}@x"), "'@x");
        // Plain numbers stay numbers.
        assert_eq!(csv_cell("-2"), "-2");
        assert_eq!(csv_cell("+1.5"), "+1.5");
        assert_eq!(csv_cell("-"), "'-");
        assert_eq!(csv_cell("-1."), "'-1.");
        // Control characters never reach the file; words stay apart.
        assert_eq!(csv_cell("a\u{7}b\u{85}c\u{FEFF}"), "abc");
        assert_eq!(csv_cell("two\nlines"), "two lines");
        // Quoting is the CSV writer's.
        assert_eq!(csv_cell("a,b"), "a,b");
        assert_eq!(csv_cell("26\" basin"), "26\" basin");
        assert_eq!(csv_cell(""), "");
    }
}
