//! Asking for a password on the command line, without echo.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, read};
use std::io::{IsTerminal, Write};

/// Reads a line without echoing it. `Ok(None)` when there is no terminal to ask on.
pub fn read_password(prompt: &str) -> std::io::Result<Option<String>> {
    if !std::io::stdin().is_terminal() {
        return Ok(None);
    }
    let mut err = std::io::stderr();
    write!(err, "{prompt}")?;
    err.flush()?;
    crossterm::terminal::enable_raw_mode()?;
    let result = read_masked();
    crossterm::terminal::disable_raw_mode()?;
    writeln!(err)?;
    result.map(Some)
}

fn read_masked() -> std::io::Result<String> {
    let mut line = String::new();
    loop {
        if let Event::Key(KeyEvent {
            code,
            modifiers,
            kind: KeyEventKind::Press,
            ..
        }) = read()?
        {
            match code {
                KeyCode::Enter => return Ok(line),
                KeyCode::Char('c') if modifiers.contains(KeyModifiers::CONTROL) => {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::Interrupted,
                        "cancelled",
                    ));
                }
                KeyCode::Backspace => {
                    line.pop();
                }
                KeyCode::Char(c) => line.push(c),
                _ => {}
            }
        }
    }
}
