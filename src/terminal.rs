//! Terminal setup and restore. The terminal is restored on every exit path, a panic in any thread
//! included: the panic hook restores it, logs the panic, prints it, and ends the process (a panicking
//! background task would otherwise leave the app drawing on a cooked terminal).

use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use crossterm::execute;
use ratatui::DefaultTerminal;

/// Installs the panic hook, then enters raw mode and the alternate screen.
pub fn init() -> std::io::Result<DefaultTerminal> {
    install_panic_hook();
    // We apply NO_COLOR ourselves (the mono theme); crossterm's own handling would also erase REVERSED.
    crossterm::style::Colored::set_ansi_color_disabled(false);
    let terminal = ratatui::try_init()?;
    execute!(std::io::stdout(), EnableBracketedPaste)?;
    Ok(terminal)
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
