//! Logs go to a daily file, never to the terminal (the TUI owns it).

use std::path::{Path, PathBuf};
use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;

/// Starts file logging in `dir` (falling back to the temp directory when `dir` cannot be created).
/// Keep the guard alive until exit so the last lines are flushed. Returns the directory used.
pub fn init(dir: &Path, level: &str) -> (WorkerGuard, PathBuf) {
    let dir = if std::fs::create_dir_all(dir).is_ok() {
        dir.to_path_buf()
    } else {
        let fallback = std::env::temp_dir().join(format!(
            "cleanstation-log-{}",
            crate::sys::current_user_name()
        ));
        let _ = std::fs::create_dir_all(&fallback);
        fallback
    };
    let appender = tracing_appender::rolling::daily(&dir, "cleanstation.log");
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let filter = EnvFilter::try_new(level).unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(false)
        .with_target(true)
        .try_init();
    (guard, dir)
}
