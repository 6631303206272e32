//! The terminal backend: writes what changed and nothing else (docs/performance.md §2).
//!
//! Ratatui hands the backend the cells that differ from the previous frame, then hides or shows the
//! cursor and flushes, every frame. [`QuietBackend`] writes nothing for a frame without changed cells
//! (§2.3), sends a cursor command only when the cursor's state changes (§2.4), flushes only what it
//! wrote, and styles the cells it does write with one short SGR sequence per change of style (§2.5).

use crossterm::cursor::{Hide, MoveTo, Show};
use crossterm::style::Colored;
use crossterm::terminal::Clear;
use crossterm::{Command, queue};
use ratatui::backend::{Backend, ClearType, IntoCrossterm, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use ratatui::style::{Color, Modifier};
use std::fmt::Write as _;
use std::io::{self, Write};

/// The style a run of cells is written in: colours and text modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Pen {
    fg: Color,
    bg: Color,
    underline: Color,
    modifier: Modifier,
}

impl Pen {
    /// The terminal's state after `SGR 0`.
    const PLAIN: Pen = Pen {
        fg: Color::Reset,
        bg: Color::Reset,
        underline: Color::Reset,
        modifier: Modifier::empty(),
    };

    fn of(cell: &Cell) -> Pen {
        Pen {
            fg: cell.fg,
            bg: cell.bg,
            underline: cell.underline_color,
            modifier: cell.modifier,
        }
    }
}

/// SGR parameters that turn each modifier on, and off.
const MODIFIERS: [(Modifier, u8, u8); 9] = [
    (Modifier::BOLD, 1, 22),
    (Modifier::DIM, 2, 22),
    (Modifier::ITALIC, 3, 23),
    (Modifier::UNDERLINED, 4, 24),
    (Modifier::SLOW_BLINK, 5, 25),
    (Modifier::RAPID_BLINK, 6, 25),
    (Modifier::REVERSED, 7, 27),
    (Modifier::HIDDEN, 8, 28),
    (Modifier::CROSSED_OUT, 9, 29),
];

/// Appends `param` to an SGR parameter list.
fn push(params: &mut String, param: impl std::fmt::Display) {
    let start = params.len();
    if !params.is_empty() {
        params.push(';');
    }
    let written = params.len();
    let _ = write!(params, "{param}");
    // A colour that writes nothing (colours disabled) adds no empty parameter: it would mean 0.
    if params.len() == written {
        params.truncate(start);
    }
}

/// The parameters that take the terminal from `from` to `to`, changing only what differs.
fn changes(from: Pen, to: Pen) -> String {
    let mut params = String::new();
    let removed = from.modifier - to.modifier;
    let added = to.modifier - from.modifier;
    // Bold and dim share one "off" (22): after it, the one that stays is turned on again.
    let intensity = Modifier::BOLD | Modifier::DIM;
    let again = if removed.intersects(intensity) {
        to.modifier & intensity
    } else {
        Modifier::empty()
    };
    let mut offs: Vec<u8> = MODIFIERS
        .iter()
        .filter(|(m, _, _)| removed.contains(*m))
        .map(|(_, _, off)| *off)
        .collect();
    offs.dedup();
    for off in offs {
        push(&mut params, off);
    }
    for (m, on, _) in MODIFIERS {
        if added.contains(m) || again.contains(m) {
            push(&mut params, on);
        }
    }
    colours(&mut params, from, to);
    params
}

/// The parameters that set `to` from a plain terminal.
fn from_plain(to: Pen) -> String {
    let mut params = String::from("0");
    for (m, on, _) in MODIFIERS {
        if to.modifier.contains(m) {
            push(&mut params, on);
        }
    }
    colours(&mut params, Pen::PLAIN, to);
    params
}

fn colours(params: &mut String, from: Pen, to: Pen) {
    if from.fg != to.fg {
        push(params, Colored::ForegroundColor(to.fg.into_crossterm()));
    }
    if from.bg != to.bg {
        push(params, Colored::BackgroundColor(to.bg.into_crossterm()));
    }
    if from.underline != to.underline {
        push(
            params,
            Colored::UnderlineColor(to.underline.into_crossterm()),
        );
    }
}

/// The shorter of changing what differs and starting from plain.
fn sgr(from: Pen, to: Pen) -> String {
    let plain = if to == Pen::PLAIN {
        String::new()
    } else {
        from_plain(to)
    };
    let diff = changes(from, to);
    let params = if plain.len() < diff.len() || to == Pen::PLAIN {
        plain
    } else {
        diff
    };
    format!("\x1b[{params}m")
}

/// A ratatui backend over any writer (the station's stdout, a `Vec<u8>` in tests) that writes only
/// what changes on the terminal.
pub struct QuietBackend<W: Write> {
    writer: W,
    /// Whether the cursor is shown, once a command has said so.
    cursor_shown: Option<bool>,
    /// Where the cursor is, when known: set by a move, unknown after cells were written.
    cursor_at: Option<Position>,
    /// Bytes were written since the last flush.
    unflushed: bool,
    /// The size to report instead of asking the terminal (a writer that is no terminal).
    fixed_size: Option<Size>,
}

impl<W: Write> QuietBackend<W> {
    pub fn new(writer: W) -> QuietBackend<W> {
        QuietBackend {
            writer,
            cursor_shown: None,
            cursor_at: None,
            unflushed: false,
            fixed_size: None,
        }
    }

    /// A backend of a known size, for a writer that is not a terminal.
    pub fn with_size(writer: W, size: Size) -> QuietBackend<W> {
        QuietBackend {
            fixed_size: Some(size),
            ..QuietBackend::new(writer)
        }
    }

    pub fn writer(&self) -> &W {
        &self.writer
    }

    pub fn writer_mut(&mut self) -> &mut W {
        &mut self.writer
    }

    fn send(&mut self, command: impl Command) -> io::Result<()> {
        queue!(self.writer, command)?;
        self.unflushed = true;
        Ok(())
    }

    fn write_bytes(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.writer.write_all(bytes)?;
        self.unflushed = true;
        Ok(())
    }
}

impl<W: Write> Backend for QuietBackend<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let mut pen = Pen::PLAIN;
        let mut last: Option<Position> = None;
        for (x, y, cell) in content {
            // Consecutive cells need no move: printing one advances the cursor to the next.
            if !matches!(last, Some(p) if p.y == y && p.x.checked_add(1) == Some(x)) {
                self.send(MoveTo(x, y))?;
            }
            last = Some(Position { x, y });
            let wanted = Pen::of(cell);
            if wanted != pen {
                let codes = sgr(pen, wanted);
                self.write_bytes(codes.as_bytes())?;
                pen = wanted;
            }
            self.write_bytes(cell.symbol().as_bytes())?;
        }
        if last.is_some() {
            self.cursor_at = None;
        }
        // Between frames the terminal is plain, so a clear paints the default background.
        if pen != Pen::PLAIN {
            self.write_bytes(sgr(pen, Pen::PLAIN).as_bytes())?;
        }
        Ok(())
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        if self.cursor_shown != Some(false) {
            self.send(Hide)?;
            self.cursor_shown = Some(false);
        }
        Ok(())
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        if self.cursor_shown != Some(true) {
            self.send(Show)?;
            self.cursor_shown = Some(true);
        }
        Ok(())
    }

    fn get_cursor_position(&mut self) -> io::Result<Position> {
        if let Some(at) = self.cursor_at {
            return Ok(at);
        }
        let (x, y) = crossterm::cursor::position()?;
        Ok(Position { x, y })
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        let at = position.into();
        if self.cursor_at != Some(at) {
            self.send(MoveTo(at.x, at.y))?;
            self.cursor_at = Some(at);
        }
        Ok(())
    }

    fn clear(&mut self) -> io::Result<()> {
        self.clear_region(ClearType::All)
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        let kind = match clear_type {
            ClearType::All => crossterm::terminal::ClearType::All,
            ClearType::AfterCursor => crossterm::terminal::ClearType::FromCursorDown,
            ClearType::BeforeCursor => crossterm::terminal::ClearType::FromCursorUp,
            ClearType::CurrentLine => crossterm::terminal::ClearType::CurrentLine,
            ClearType::UntilNewLine => crossterm::terminal::ClearType::UntilNewLine,
        };
        self.send(Clear(kind))?;
        self.flush()
    }

    fn append_lines(&mut self, n: u16) -> io::Result<()> {
        for _ in 0..n {
            self.write_bytes(b"\n")?;
        }
        self.cursor_at = None;
        self.flush()
    }

    fn size(&self) -> io::Result<Size> {
        if let Some(size) = self.fixed_size {
            return Ok(size);
        }
        let (width, height) = crossterm::terminal::size()?;
        Ok(Size { width, height })
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        let columns_rows = self.size()?;
        if self.fixed_size.is_some() {
            return Ok(WindowSize {
                columns_rows,
                pixels: Size::default(),
            });
        }
        let w = crossterm::terminal::window_size()?;
        Ok(WindowSize {
            columns_rows: Size {
                width: w.columns,
                height: w.rows,
            },
            pixels: Size {
                width: w.width,
                height: w.height,
            },
        })
    }

    /// Flushes what was written; a frame that wrote nothing flushes nothing.
    fn flush(&mut self) -> io::Result<()> {
        if self.unflushed {
            self.writer.flush()?;
            self.unflushed = false;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
