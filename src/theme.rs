//! Semantic styles: screens ask for a meaning (`error`, `selected`), never for a colour.
//!
//! Two palettes: [`Theme::ansi`] uses only the 16 named ANSI colours, so SSH clients map it onto their
//! own palettes; [`Theme::mono`] uses only text modifiers (for `NO_COLOR` and monochrome terminals).
//! Meaning never rests on colour alone: screens also write markers such as `▶`, `●`, `[inactive]` and
//! `ERROR:`, so a mono render reads the same.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    /// Short name for logs and `check-config` output.
    pub name: &'static str,
    /// Ordinary text.
    pub base: Style,
    /// Secondary text: hints, timestamps, column separators.
    pub muted: Style,
    /// Screen titles and the product name.
    pub title: Style,
    /// Section headings inside a screen (table headers, help groups).
    pub heading: Style,
    /// The top line.
    pub header: Style,
    /// The status bar.
    pub status: Style,
    /// A key chord in the key bar or the help.
    pub key_hint: Style,
    /// The description next to a key chord.
    pub key_desc: Style,
    /// The focused field's label and marker.
    pub focus: Style,
    /// Text inside an input field.
    pub input: Style,
    /// The focused input field.
    pub input_focus: Style,
    /// The text cursor inside the focused field.
    pub cursor: Style,
    /// The selected row of a list or table.
    pub selected: Style,
    /// Success messages.
    pub ok: Style,
    /// Errors: inline field errors, failed requests.
    pub error: Style,
    /// Warnings and notices (session ended, first-start banner).
    pub warn: Style,
    /// Unread notifications.
    pub unread: Style,
    /// Inactive records.
    pub disabled: Style,
    /// Borders of panels.
    pub border: Style,
    /// Borders of dialogs and overlays, so they stand out from the panel behind.
    pub dialog: Style,
    /// The series of a chart, in order: bars and lines of one series share a style, and the legend
    /// names them in this order (docs/reports.md §5.2).
    pub series: [Style; 3],
}

impl Theme {
    /// The 16 named colours only; no RGB, no indexed colours.
    pub fn ansi() -> Theme {
        let base = Style::new();
        Theme {
            name: "ansi",
            base,
            muted: Style::new().fg(Color::DarkGray),
            title: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            heading: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            header: Style::new().fg(Color::Black).bg(Color::Cyan),
            status: Style::new().fg(Color::White).bg(Color::Blue),
            key_hint: Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            key_desc: base,
            focus: Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            input: Style::new().fg(Color::White),
            input_focus: Style::new()
                .fg(Color::White)
                .add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            cursor: Style::new().add_modifier(Modifier::REVERSED),
            selected: Style::new().fg(Color::Black).bg(Color::Cyan),
            ok: Style::new().fg(Color::Green).add_modifier(Modifier::BOLD),
            error: Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            warn: Style::new().fg(Color::Yellow),
            unread: Style::new().add_modifier(Modifier::BOLD),
            disabled: Style::new().fg(Color::DarkGray),
            border: Style::new().fg(Color::DarkGray),
            dialog: Style::new().fg(Color::Cyan),
            series: [
                Style::new().fg(Color::Cyan),
                Style::new().fg(Color::Yellow),
                Style::new().fg(Color::Magenta),
            ],
        }
    }

    /// Text modifiers only: BOLD, REVERSED, UNDERLINED, DIM.
    pub fn mono() -> Theme {
        let base = Style::new();
        let bold = Style::new().add_modifier(Modifier::BOLD);
        Theme {
            name: "mono",
            base,
            muted: Style::new().add_modifier(Modifier::DIM),
            title: bold,
            heading: bold,
            header: Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
            status: Style::new().add_modifier(Modifier::REVERSED),
            key_hint: bold,
            key_desc: base,
            focus: bold,
            input: base,
            input_focus: Style::new().add_modifier(Modifier::UNDERLINED),
            cursor: Style::new().add_modifier(Modifier::REVERSED),
            selected: Style::new().add_modifier(Modifier::REVERSED),
            ok: bold,
            error: bold,
            warn: bold,
            unread: bold,
            disabled: Style::new().add_modifier(Modifier::DIM),
            border: base,
            dialog: bold,
            series: [base, bold, Style::new().add_modifier(Modifier::DIM)],
        }
    }
}

impl Default for Theme {
    fn default() -> Self {
        Theme::ansi()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn styles(t: &Theme) -> Vec<Style> {
        vec![
            t.base,
            t.muted,
            t.title,
            t.heading,
            t.header,
            t.status,
            t.key_hint,
            t.key_desc,
            t.focus,
            t.input,
            t.input_focus,
            t.cursor,
            t.selected,
            t.ok,
            t.error,
            t.warn,
            t.unread,
            t.disabled,
            t.border,
            t.dialog,
            t.series[0],
            t.series[1],
            t.series[2],
        ]
    }

    #[test]
    fn mono_uses_no_colour() {
        let allowed = Modifier::BOLD | Modifier::REVERSED | Modifier::UNDERLINED | Modifier::DIM;
        for s in styles(&Theme::mono()) {
            assert_eq!(s.fg, None);
            assert_eq!(s.bg, None);
            assert!(allowed.contains(s.add_modifier));
        }
    }

    #[test]
    fn ansi_uses_named_colours_only() {
        for s in styles(&Theme::ansi()) {
            for c in [s.fg, s.bg].into_iter().flatten() {
                assert!(
                    !matches!(c, Color::Rgb(..) | Color::Indexed(_)),
                    "{c:?} is not one of the 16 named colours"
                );
            }
        }
    }
}
