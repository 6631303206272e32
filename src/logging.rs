//! Logs go to a daily file, never to the terminal (the TUI owns it).
//!
//! The files name users, stations and builds, so they are private to the account that runs the
//! station: mode 0600, in a directory created 0700. They are opened by [`DailyFile`] rather than
//! tracing_appender's rolling appender, which creates its files with whatever the umask allows; the
//! umask itself stays as it is, because BOM and CSV exports are meant to be readable by others.
//!
//! Whatever `log.level` asks for, the database driver logs at `info` at most: at `debug` tokio_postgres
//! writes every bind parameter, which includes password hashes and session token hashes.

use chrono::{NaiveDate, Utc};
use std::fs::{DirBuilder, File, OpenOptions, Permissions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use tracing::Subscriber;
use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::Layer;
use tracing_subscriber::filter::{EnvFilter, FilterExt, LevelFilter, Targets};
use tracing_subscriber::layer::{Filter, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::util::SubscriberInitExt;

/// Log file names are this prefix, a dot and the UTC date: `cleanstation.log.2025-03-04`.
pub const FILE_PREFIX: &str = "cleanstation.log";

/// Dependencies whose debug output carries SQL text and bind parameters. tokio_postgres logs every
/// parameter at debug; the others log nothing sensitive today and are capped so that a new version
/// cannot start to.
pub const CAPPED_TARGETS: [&str; 4] = [
    "tokio_postgres",
    "postgres_protocol",
    "postgres_types",
    "deadpool",
];

/// Starts file logging in `dir` (falling back to a directory in the temp directory when no log file can
/// be opened in `dir`). Keep the guard alive until exit so the last lines are flushed. Returns the
/// directory used.
pub fn init(dir: &Path, level: &str) -> (WorkerGuard, PathBuf) {
    let mut file = DailyFile::new(dir);
    let mut used = dir.to_path_buf();
    if !file.is_open() {
        used = std::env::temp_dir().join(format!(
            "cleanstation-log-{}",
            crate::sys::current_user_name()
        ));
        file = DailyFile::new(&used);
    }
    let (writer, guard) = tracing_appender::non_blocking(file);
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(writer)
        .with_ansi(false)
        .with_target(true)
        .with_filter(filter(level));
    let _ = tracing_subscriber::registry().with(layer).try_init();
    (guard, used)
}

/// The filter for `level` (an `EnvFilter` string; `info` when it does not parse) with the
/// [`CAPPED_TARGETS`] held at `info`.
///
/// The cap is a second filter that must also agree, not a directive added to the string: EnvFilter lets a
/// later directive for the same target replace an earlier one, but a more specific target
/// (`tokio_postgres::query=trace`) or a span directive (`[dispatch]=trace`, which enables every target
/// inside that span) would still win over `tokio_postgres=info`.
pub fn filter<S>(level: &str) -> impl Filter<S> + Send + Sync + 'static
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    let wanted = EnvFilter::try_new(level).unwrap_or_else(|_| EnvFilter::new("info"));
    let cap = CAPPED_TARGETS.iter().fold(
        Targets::new().with_default(LevelFilter::TRACE),
        |cap, target| cap.with_target(*target, LevelFilter::INFO),
    );
    wanted.and(cap)
}

/// The name of the log file for `day`.
pub fn file_name(day: NaiveDate) -> String {
    format!("{FILE_PREFIX}.{}", day.format("%Y-%m-%d"))
}

/// A log file per UTC day (the day of the timestamps in its lines), opened 0600 and switched at
/// midnight by the first line written after it.
///
/// A file that cannot be opened loses its lines rather than failing the caller: the log must never
/// stop the station. A day whose file cannot be opened keeps writing to the previous day's file.
pub struct DailyFile {
    dir: PathBuf,
    clock: Box<dyn Fn() -> NaiveDate + Send>,
    day: Option<NaiveDate>,
    file: Option<File>,
}

impl DailyFile {
    /// Creates `dir` (0700, with any missing parents) when it is missing and opens today's file.
    pub fn new(dir: &Path) -> DailyFile {
        DailyFile::with_clock(dir, Box::new(|| Utc::now().date_naive()))
    }

    /// As [`DailyFile::new`], with the day read from `clock` (tests move it past midnight).
    pub fn with_clock(dir: &Path, clock: Box<dyn Fn() -> NaiveDate + Send>) -> DailyFile {
        let mut file = DailyFile {
            dir: dir.to_path_buf(),
            clock,
            day: None,
            file: None,
        };
        file.roll();
        file
    }

    /// Whether a file is open for writing.
    pub fn is_open(&self) -> bool {
        self.file.is_some()
    }

    fn roll(&mut self) {
        let today = (self.clock)();
        if self.day == Some(today) {
            return;
        }
        if let Ok(file) = open_private(&self.dir, &file_name(today)) {
            self.file = Some(file);
            self.day = Some(today);
        }
    }
}

impl Write for DailyFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.roll();
        match &mut self.file {
            Some(file) => file.write(buf),
            None => Ok(buf.len()),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.file {
            Some(file) => file.flush(),
            None => Ok(()),
        }
    }
}

/// Opens `dir/name` for appending, creating it 0600 (and `dir` 0700) when missing.
fn open_private(dir: &Path, name: &str) -> io::Result<File> {
    // An existing directory keeps its mode: /var/log/cleanstation may be set up for a group of admins.
    if !dir.is_dir() {
        DirBuilder::new().recursive(true).mode(0o700).create(dir)?;
    }
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        // A planted symlink must not redirect the log into another file of ours.
        .custom_flags(libc::O_NOFOLLOW)
        .open(dir.join(name))?;
    // The mode above applies only to a new file; one left by an earlier version may be wider.
    if file.metadata()?.permissions().mode() & 0o077 != 0 {
        file.set_permissions(Permissions::from_mode(0o600))?;
    }
    Ok(file)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::{Arc, Mutex};

    static NEXT: AtomicU32 = AtomicU32::new(0);

    fn scratch() -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "cs-logging-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    fn mode(path: &Path) -> u32 {
        std::fs::symlink_metadata(path)
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 3, d).unwrap()
    }

    #[test]
    fn files_are_0600_in_a_0700_directory() {
        let root = scratch();
        let dir = root.join("a/b");
        let mut log = DailyFile::with_clock(&dir, Box::new(|| day(4)));
        assert!(log.is_open());
        log.write_all(b"one line\n").unwrap();
        log.flush().unwrap();
        let file = dir.join("cleanstation.log.2025-03-04");
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "one line\n");
        assert_eq!(mode(&file), 0o600);
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&root.join("a")), 0o700);
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn midnight_opens_the_next_days_file_0600() {
        let dir = scratch();
        let today = Arc::new(Mutex::new(day(4)));
        let clock = Arc::clone(&today);
        let mut log = DailyFile::with_clock(&dir, Box::new(move || *clock.lock().unwrap()));
        log.write_all(b"before midnight\n").unwrap();
        *today.lock().unwrap() = day(5);
        log.write_all(b"after midnight\n").unwrap();
        log.flush().unwrap();
        let first = dir.join("cleanstation.log.2025-03-04");
        let second = dir.join("cleanstation.log.2025-03-05");
        assert_eq!(
            std::fs::read_to_string(&first).unwrap(),
            "before midnight\n"
        );
        assert_eq!(
            std::fs::read_to_string(&second).unwrap(),
            "after midnight\n"
        );
        assert_eq!(mode(&first), 0o600);
        assert_eq!(mode(&second), 0o600);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn an_existing_wider_file_is_narrowed_and_an_existing_directory_kept() {
        let dir = scratch();
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::set_permissions(&dir, Permissions::from_mode(0o750)).unwrap();
        let file = dir.join("cleanstation.log.2025-03-04");
        std::fs::write(&file, "from an earlier version\n").unwrap();
        std::fs::set_permissions(&file, Permissions::from_mode(0o644)).unwrap();
        let mut log = DailyFile::with_clock(&dir, Box::new(|| day(4)));
        log.write_all(b"appended\n").unwrap();
        assert_eq!(
            std::fs::read_to_string(&file).unwrap(),
            "from an earlier version\nappended\n"
        );
        assert_eq!(mode(&file), 0o600);
        assert_eq!(mode(&dir), 0o750);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_symlink_in_place_of_the_file_is_not_followed() {
        let dir = scratch();
        std::fs::create_dir_all(&dir).unwrap();
        let elsewhere = dir.join("elsewhere");
        std::fs::write(&elsewhere, "").unwrap();
        std::os::unix::fs::symlink(&elsewhere, dir.join("cleanstation.log.2025-03-04")).unwrap();
        let mut log = DailyFile::with_clock(&dir, Box::new(|| day(4)));
        assert!(!log.is_open());
        log.write_all(b"secret\n").unwrap();
        assert_eq!(std::fs::read_to_string(&elsewhere).unwrap(), "");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// Collects what a subscriber writes.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl Write for Captured {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    impl Captured {
        fn text(&self) -> String {
            String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
        }
    }

    /// Emits what the driver and the app would, inside a span named like the service's.
    fn emit() {
        let span = tracing::info_span!("dispatch");
        let _in = span.enter();
        tracing::debug!(target: "tokio_postgres::query", "driver debug: parameters");
        tracing::trace!(target: "tokio_postgres::connection", "driver trace");
        tracing::debug!(target: "postgres_protocol::message", "protocol debug");
        tracing::debug!(target: "deadpool.postgres", "pool debug");
        tracing::info!(target: "tokio_postgres::connection", "driver notice");
        tracing::debug!(target: "cleanstation::service", "app debug");
    }

    fn output_with(
        filter: impl Filter<tracing_subscriber::Registry> + Send + Sync + 'static,
    ) -> String {
        let out = Captured::default();
        let writer = out.clone();
        let layer = tracing_subscriber::fmt::layer()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .with_filter(filter);
        tracing::subscriber::with_default(tracing_subscriber::registry().with(layer), emit);
        out.text()
    }

    #[test]
    fn the_driver_is_capped_at_info_whatever_the_level_says() {
        // With whether the level lets the app's own debug lines through.
        for (level, app_debug) in [
            ("trace", true),
            ("debug", true),
            ("tokio_postgres=trace", false),
            ("trace,tokio_postgres=trace", true),
            ("tokio_postgres=trace,trace", true),
            (
                "trace,tokio_postgres::query=trace,tokio_postgres::connection=trace",
                true,
            ),
            ("cleanstation=debug,[dispatch]=trace", true),
            (
                "trace,postgres_protocol=trace,deadpool=trace,deadpool.postgres=trace",
                true,
            ),
        ] {
            let out = output_with(filter(level));
            for leak in [
                "driver debug",
                "driver trace",
                "protocol debug",
                "pool debug",
            ] {
                assert!(
                    !out.contains(leak),
                    "{level:?} let {leak:?} through:\n{out}"
                );
            }
            // Only the driver is held back: its info lines and the app's debug lines still arrive.
            assert!(out.contains("driver notice"), "{level:?}:\n{out}");
            assert_eq!(out.contains("app debug"), app_debug, "{level:?}:\n{out}");
        }
    }

    #[test]
    fn a_level_that_does_not_parse_means_info() {
        let out = output_with(filter("tokio_postgres=loud"));
        assert!(out.contains("driver notice"), "{out}");
        assert!(!out.contains("app debug"), "{out}");
        assert!(!out.contains("driver debug"), "{out}");
    }

    /// Why the cap is a filter of its own: a directive appended to the string replaces one for the same
    /// target, but not a more specific target or a span directive.
    #[test]
    fn an_appended_directive_alone_would_not_hold() {
        let appended = |level: &str| {
            EnvFilter::new(level).add_directive("tokio_postgres=info".parse().unwrap())
        };
        assert!(!output_with(appended("tokio_postgres=trace")).contains("driver debug"));
        assert!(output_with(appended("tokio_postgres::query=trace")).contains("driver debug"));
        assert!(output_with(appended("[dispatch]=trace")).contains("driver debug"));
    }
}
