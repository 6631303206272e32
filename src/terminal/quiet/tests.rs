use super::*;
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::{Terminal, TerminalOptions, Viewport};

/// A writer whose bytes stay readable while a backend owns it.
#[derive(Clone, Default)]
struct Shared(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

const AREA: Rect = Rect::new(0, 0, 120, 40);

fn terminal() -> Terminal<QuietBackend<Vec<u8>>> {
    let backend = QuietBackend::with_size(Vec::new(), AREA.as_size());
    let options = TerminalOptions {
        viewport: Viewport::Fixed(AREA),
    };
    let Ok(t) = Terminal::with_options(backend, options) else {
        unreachable!("a fixed viewport asks the backend nothing")
    };
    t
}

/// A screenful of styled text: a highlighted row, a coloured header, plain rows.
fn screen(selected: u16, marker: &str) -> impl Fn(&mut ratatui::Frame) {
    let marker = marker.to_string();
    move |f| {
        let header = Style::new().fg(Color::Black).bg(Color::Cyan);
        f.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(" CleanStation ", header.add_modifier(Modifier::BOLD)),
                Span::styled(marker.clone(), header),
            ]))
            .style(header),
            Rect::new(0, 0, 120, 1),
        );
        for row in 1..39 {
            let style = if row == selected {
                Style::new().add_modifier(Modifier::REVERSED)
            } else {
                Style::new().fg(Color::Gray)
            };
            let text = format!("B-{:05}  Ready for production  Line {}", row * 7, row % 3);
            f.render_widget(
                Paragraph::new(Span::styled(text, style)),
                Rect::new(0, row, 120, 1),
            );
        }
    }
}

/// Draws `frame` and returns what the backend wrote for it.
fn written(
    t: &mut Terminal<QuietBackend<Vec<u8>>>,
    frame: impl Fn(&mut ratatui::Frame),
) -> Vec<u8> {
    let before = t.backend().writer().len();
    assert!(t.draw(|f| frame(f)).is_ok());
    t.backend().writer()[before..].to_vec()
}

#[test]
fn the_same_frame_again_writes_nothing() {
    let mut t = terminal();
    let first = written(&mut t, screen(5, "Orders"));
    assert!(first.len() > 1000, "the first frame is drawn whole");
    for _ in 0..3 {
        assert_eq!(written(&mut t, screen(5, "Orders")), b"");
    }
}

#[test]
fn one_changed_cell_writes_a_move_and_the_cell() {
    let mut t = terminal();
    written(&mut t, screen(5, "Orders"));
    let bytes = written(&mut t, screen(5, "Ordars"));
    let text = String::from_utf8_lossy(&bytes).to_string();
    // Moved to the cell, set its style, wrote it, and left the terminal plain.
    assert!(text.starts_with("\x1b[1;"), "{text:?}");
    assert!(text.contains('a'), "{text:?}");
    assert!(text.ends_with("\x1b[m"), "{text:?}");
    assert!(bytes.len() <= 40, "{} bytes: {text:?}", bytes.len());
}

#[test]
fn a_moved_highlight_writes_two_rows_and_less_than_ratatuis_own_backend() {
    let mut t = terminal();
    written(&mut t, screen(5, "Orders"));
    let quiet = written(&mut t, screen(6, "Orders"));

    let out = Shared::default();
    let mut plain = Terminal::with_options(
        CrosstermBackend::new(out.clone()),
        TerminalOptions {
            viewport: Viewport::Fixed(AREA),
        },
    )
    .unwrap_or_else(|_| unreachable!());
    assert!(plain.draw(|f| screen(5, "Orders")(f)).is_ok());
    let before = out.0.borrow().len();
    assert!(plain.draw(|f| screen(6, "Orders")(f)).is_ok());
    let theirs = out.0.borrow().len() - before;

    assert!(!quiet.is_empty());
    assert!(quiet.len() < theirs, "{} against {theirs}", quiet.len());
    // Two rows of text at most, with their moves and styles.
    assert!(quiet.len() < 2 * 120 + 60, "{}", quiet.len());
}

#[test]
fn the_cursor_is_hidden_once() {
    let mut t = terminal();
    let first = String::from_utf8_lossy(&written(&mut t, screen(5, "Orders"))).to_string();
    assert!(first.contains("\x1b[?25l"));
    let second = String::from_utf8_lossy(&written(&mut t, screen(6, "Orders"))).to_string();
    assert!(!second.contains("\x1b[?25l"), "{second:?}");
}

#[test]
fn a_shown_cursor_is_moved_only_when_it_moves_or_cells_were_written() {
    let mut t = terminal();
    let at = |x: u16| {
        move |f: &mut ratatui::Frame| {
            screen(5, "Orders")(f);
            f.set_cursor_position((x, 3));
        }
    };
    let first = String::from_utf8_lossy(&written(&mut t, at(4))).to_string();
    assert!(
        first.contains("\x1b[?25h") && first.ends_with("\x1b[4;5H"),
        "{first:?}"
    );
    assert_eq!(written(&mut t, at(4)), b"");
    assert_eq!(written(&mut t, at(7)), b"\x1b[4;8H");
}

#[test]
fn a_resize_clears_and_redraws_whole() {
    let mut t = terminal();
    written(&mut t, screen(5, "Orders"));
    assert!(t.resize(Rect::new(0, 0, 100, 30)).is_ok());
    let bytes = written(&mut t, screen(5, "Orders"));
    assert!(bytes.len() > 1000, "{}", bytes.len());
}

/// What a terminal does with SGR parameters, with colours kept as the parameters that set them.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Sgr {
    modifier: Modifier,
    fg: String,
    bg: String,
    underline: String,
}

impl Sgr {
    fn plain() -> Sgr {
        Sgr {
            modifier: Modifier::empty(),
            fg: "39".into(),
            bg: "49".into(),
            underline: "59".into(),
        }
    }

    fn of(pen: Pen) -> Sgr {
        Sgr {
            modifier: pen.modifier,
            fg: Colored::ForegroundColor(pen.fg.into_crossterm()).to_string(),
            bg: Colored::BackgroundColor(pen.bg.into_crossterm()).to_string(),
            underline: Colored::UnderlineColor(pen.underline.into_crossterm()).to_string(),
        }
    }

    fn apply(&mut self, sequence: &str) {
        let Some(params) = sequence
            .strip_prefix("\x1b[")
            .and_then(|s| s.strip_suffix('m'))
        else {
            unreachable!("not an SGR sequence: {sequence:?}")
        };
        let params: Vec<&str> = params.split(';').collect();
        let mut i = 0;
        while i < params.len() {
            let p: u8 = params[i].parse().unwrap_or(0);
            match p {
                0 => *self = Sgr::plain(),
                38 | 48 | 58 => {
                    let n = if params[i + 1] == "5" { 3 } else { 5 };
                    let colour = params[i..i + n].join(";");
                    match p {
                        38 => self.fg = colour,
                        48 => self.bg = colour,
                        _ => self.underline = colour,
                    }
                    i += n;
                    continue;
                }
                39 => self.fg = "39".into(),
                49 => self.bg = "49".into(),
                59 => self.underline = "59".into(),
                22 => self.modifier.remove(Modifier::BOLD | Modifier::DIM),
                25 => self
                    .modifier
                    .remove(Modifier::SLOW_BLINK | Modifier::RAPID_BLINK),
                _ => {
                    for (m, on, off) in MODIFIERS {
                        if p == on {
                            self.modifier.insert(m);
                        } else if p == off {
                            self.modifier.remove(m);
                        }
                    }
                }
            }
            i += 1;
        }
    }
}

#[test]
fn every_change_of_style_lands_on_the_wanted_style() {
    let colours = [
        Color::Reset,
        Color::Red,
        Color::LightCyan,
        Color::Indexed(200),
        Color::Rgb(1, 2, 3),
    ];
    let modifiers = [
        Modifier::empty(),
        Modifier::BOLD,
        Modifier::DIM,
        Modifier::BOLD | Modifier::DIM,
        Modifier::REVERSED | Modifier::BOLD,
        Modifier::UNDERLINED | Modifier::ITALIC | Modifier::SLOW_BLINK,
        Modifier::RAPID_BLINK | Modifier::CROSSED_OUT | Modifier::HIDDEN,
    ];
    let mut pens = Vec::new();
    for fg in colours {
        for bg in [Color::Reset, Color::Blue] {
            for modifier in modifiers {
                for underline in [Color::Reset, Color::Green] {
                    pens.push(Pen {
                        fg,
                        bg,
                        underline,
                        modifier,
                    });
                }
            }
        }
    }
    for from in &pens {
        for to in &pens {
            if from == to {
                continue;
            }
            let mut term = Sgr::of(*from);
            let codes = sgr(*from, *to);
            term.apply(&codes);
            assert_eq!(term, Sgr::of(*to), "{from:?} -> {to:?} by {codes:?}");
        }
    }
}

#[test]
fn a_change_of_style_is_one_short_sequence() {
    let plain = Pen::PLAIN;
    let bold = Pen {
        modifier: Modifier::BOLD,
        ..plain
    };
    let red = Pen {
        fg: Color::Red,
        ..plain
    };
    assert_eq!(sgr(plain, bold), "\x1b[1m");
    assert_eq!(sgr(bold, plain), "\x1b[m");
    assert_eq!(sgr(bold, red), "\x1b[0;38;5;1m");
    // Dropping two modifiers and a colour costs more than starting again.
    let busy = Pen {
        fg: Color::Red,
        bg: Color::Blue,
        modifier: Modifier::ITALIC | Modifier::UNDERLINED,
        ..plain
    };
    let reversed = Pen {
        modifier: Modifier::REVERSED,
        ..plain
    };
    assert_eq!(sgr(busy, reversed), "\x1b[0;7m");
}
