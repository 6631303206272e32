//! Terminal setup and restore. The terminal is restored on every exit path, a panic in any thread
//! included: the panic hook restores it, logs the panic, prints it, and ends the process (a panicking
//! background task would otherwise leave the app drawing on a cooked terminal).

pub mod quiet;

use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use crossterm::execute;
use crossterm::terminal::{EnterAlternateScreen, enable_raw_mode};
use quiet::QuietBackend;
use ratatui::Terminal;
use std::io::{BufWriter, Stdout};

/// The station's terminal: frames are written whole into one buffer and sent with one write
/// (docs/performance.md §2.3).
pub type StationTerminal = Terminal<QuietBackend<BufWriter<Stdout>>>;

/// Room for a full frame at any usual size, so a frame leaves in one write.
const FRAME_BUFFER: usize = 64 * 1024;

/// Installs the panic hook, then enters raw mode and the alternate screen.
pub fn init() -> std::io::Result<StationTerminal> {
    install_panic_hook();
    // We apply NO_COLOR ourselves (the mono theme); crossterm's own handling would also erase REVERSED.
    crossterm::style::Colored::set_ansi_color_disabled(false);
    enable_raw_mode()?;
    execute!(
        std::io::stdout(),
        EnterAlternateScreen,
        EnableBracketedPaste
    )?;
    let writer = BufWriter::with_capacity(FRAME_BUFFER, std::io::stdout());
    Terminal::new(QuietBackend::new(writer))
}

/// Leaves raw mode and the alternate screen. Safe to call more than once.
pub fn restore() {
    let _ = execute!(std::io::stdout(), DisableBracketedPaste);
    ratatui::restore();
}

fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        tracing::error!(panic = %info, "cleanstation stopped after an internal error");
        previous(info);
        eprintln!("cleanstation stopped after an internal error; details are in the log.");
        std::process::exit(101);
    }));
}
