//! Configuration: `config.toml` holds the documented defaults and is embedded in the binary.
//!
//! Lookup: `--config PATH`, then `$CLEANSTATION_CONFIG`, then `./config.toml`, then the embedded default.
//! `$CLEANSTATION_DATABASE_URL` (or `$DATABASE_URL`) overrides `database.url`. Every key is checked: an
//! unknown key or a bad value is refused with a message naming the key.

use std::path::{Path, PathBuf};
use thiserror::Error;
use toml::{Table, Value};

/// The shipped defaults, byte for byte the repository's config.toml.
pub const DEFAULT_TOML: &str = include_str!("../config.toml");

/// Declares the sections and keys once: the typed structs, the known keys for the unknown-key check
/// and the reading of each value come from this one list.
macro_rules! config_keys {
    ($(
        $(#[$smeta:meta])*
        [$section:ident] $Struct:ident {
            $($(#[$fmeta:meta])* $key:ident: $ty:ty $(= $lo:literal ..= $hi:literal)?),* $(,)?
        }
    )*) => {
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct Config {
            $(pub $section: $Struct),*
        }

        $(
            $(#[$smeta])*
            #[derive(Debug, Clone, PartialEq, Eq)]
            pub struct $Struct {
                $($(#[$fmeta])* pub $key: $ty),*
            }
        )*

        /// Every section with its keys, in the order problems are reported.
        const SECTIONS: &[(&str, &[&str])] = &[
            $((stringify!($section), &[$(stringify!($key)),*])),*
        ];

        /// Reads every key (`get` gives the file's value or the default), collecting one problem per
        /// bad key; `None` when there was any.
        fn read_keys(get: &dyn Fn(&str, &str) -> Option<Value>, problems: &mut Vec<String>) -> Option<Config> {
            $(
                let $section = {
                    $(let $key = read_key::<$ty>(
                        stringify!($section),
                        stringify!($key),
                        get,
                        config_keys!(@range $($lo, $hi)?),
                        problems,
                    );)*
                    (|| Some($Struct { $($key: $key?),* }))()
                };
            )*
            Some(Config { $($section: $section?),* })
        }
    };
    (@range) => { None };
    (@range $lo:literal, $hi:literal) => { Some(($lo, $hi)) };
}

config_keys! {
    [database] DatabaseConfig {
        /// Empty: use the embedded local cluster. Stations connect with it (as the station role).
        url: String,
        /// The owner's connection for migrate, seed and imports; empty: `url`.
        owner_url: String,
        pool_size: u32 = 1..=64,
        /// Seconds a station waits for an answer to a request.
        request_timeout_seconds: u32 = 1..=600,
        /// Base directory of the embedded cluster; empty: the platform default.
        data_dir: String,
        /// The reporting connection (a read replica); empty: `url` (docs/reports.md §4).
        read_url: String,
    }
    [station] StationConfig {
        /// Empty: the host name.
        name: String,
    }
    [session] SessionConfig {
        ttl_hours: u32 = 1..=168,
        idle_lock_minutes: u32 = 1..=480,
    }
    [security] SecurityConfig {
        max_failed_logins: u32 = 1..=100,
        lockout_minutes: u32 = 1..=1440,
    }
    [ui] UiConfig {
        theme: ThemeChoice,
    }
    [log] LogConfig {
        /// Empty: the platform default.
        dir: String,
        /// A tracing filter such as "info" or "cleanstation=debug".
        level: String,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThemeChoice {
    /// Mono when NO_COLOR is set and non-empty, else ansi.
    Auto,
    Ansi,
    Mono,
}

/// A type a key can have: how its value is read from TOML, and the problem (naming the key) when the
/// value does not fit.
trait KeyValue: Sized {
    /// `range` is the key's inclusive range, for whole numbers.
    fn read(name: &str, value: Value, range: Option<(i64, i64)>) -> Result<Self, String>;
}

/// Text, trimmed of surrounding blanks.
impl KeyValue for String {
    fn read(name: &str, value: Value, _: Option<(i64, i64)>) -> Result<Self, String> {
        match value {
            Value::String(s) => Ok(s.trim().to_string()),
            v => Err(format!("`{name}` must be a string (got {})", v.type_str())),
        }
    }
}

/// A whole number in the key's range.
impl KeyValue for u32 {
    fn read(name: &str, value: Value, range: Option<(i64, i64)>) -> Result<Self, String> {
        let Value::Integer(n) = value else {
            return Err(format!(
                "`{name}` must be a whole number (got {})",
                value.type_str()
            ));
        };
        let (lo, hi) = range.unwrap_or((0, i64::from(u32::MAX)));
        match u32::try_from(n) {
            Ok(v) if (lo..=hi).contains(&n) => Ok(v),
            _ => Err(format!("`{name}` must be from {lo} to {hi} (got {n})")),
        }
    }
}

/// One of the words of a fixed set.
impl KeyValue for ThemeChoice {
    fn read(name: &str, value: Value, _: Option<(i64, i64)>) -> Result<Self, String> {
        const WORDS: [(&str, ThemeChoice); 3] = [
            ("auto", ThemeChoice::Auto),
            ("ansi", ThemeChoice::Ansi),
            ("mono", ThemeChoice::Mono),
        ];
        let Value::String(s) = value else {
            return Err(format!(
                "`{name}` must be a string (got {})",
                value.type_str()
            ));
        };
        WORDS
            .iter()
            .find(|(w, _)| *w == s)
            .map(|(_, t)| *t)
            .ok_or_else(|| {
                let words: Vec<&str> = WORDS.iter().map(|(w, _)| *w).collect();
                format!("`{name}` must be one of {} (got \"{s}\")", words.join(", "))
            })
    }
}

/// Reads one key, or records why it cannot be read.
fn read_key<T: KeyValue>(
    section: &str,
    key: &str,
    get: &dyn Fn(&str, &str) -> Option<Value>,
    range: Option<(i64, i64)>,
    problems: &mut Vec<String>,
) -> Option<T> {
    let name = format!("{section}.{key}");
    let Some(value) = get(section, key) else {
        problems.push(format!("`{name}` is missing"));
        return None;
    };
    T::read(&name, value, range)
        .map_err(|problem| problems.push(problem))
        .ok()
}

/// `database.read_url` is empty or a connection string (docs/reports.md §4.1).
fn check_read_url(url: &str, problems: &mut Vec<String>) {
    if url.is_empty() {
        return;
    }
    if let Err(e) = url.parse::<tokio_postgres::Config>() {
        problems.push(format!(
            "`database.read_url` is not a valid connection string: {e}"
        ));
    }
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("{origin}: cannot read: {reason}")]
    Read { origin: String, reason: String },
    #[error("{origin}: not valid TOML: {reason}")]
    Syntax { origin: String, reason: String },
    /// One line per problem, each naming the key.
    #[error("{origin}: {}", .problems.join("; "))]
    Invalid {
        origin: String,
        problems: Vec<String>,
    },
}

/// Where the configuration came from, for messages and `check-config`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    File(PathBuf),
    Embedded,
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::File(p) => write!(f, "{}", p.display()),
            Source::Embedded => f.write_str("built-in defaults"),
        }
    }
}

impl Config {
    /// Parses and validates a configuration text. Keys missing from it take the shipped defaults.
    pub fn parse(text: &str, origin: &str) -> Result<Config, ConfigError> {
        let table: Table = text
            .parse()
            .map_err(|e: toml::de::Error| ConfigError::Syntax {
                origin: origin.to_string(),
                reason: e.message().to_string(),
            })?;
        let mut problems = Vec::new();
        check_known_keys(&table, &mut problems);
        let defaults: Table = DEFAULT_TOML.parse().unwrap_or_default();
        let get = |section: &str, key: &str| -> Option<Value> {
            table
                .get(section)
                .and_then(|s| s.get(key))
                .or_else(|| defaults.get(section).and_then(|s| s.get(key)))
                .cloned()
        };
        let config = read_keys(&get, &mut problems);
        if let Some(c) = &config {
            check_read_url(&c.database.read_url, &mut problems);
        }
        match config {
            Some(config) if problems.is_empty() => Ok(config),
            _ => Err(ConfigError::Invalid {
                origin: origin.to_string(),
                problems,
            }),
        }
    }

    /// Reads and validates a file.
    pub fn from_file(path: &Path) -> Result<Config, ConfigError> {
        let origin = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Read {
            origin: origin.clone(),
            reason: e.to_string(),
        })?;
        Config::parse(&text, &origin)
    }

    /// The built-in defaults.
    pub fn embedded() -> Result<Config, ConfigError> {
        Config::parse(DEFAULT_TOML, "built-in defaults")
    }

    /// Applies the lookup order and the environment overrides.
    pub fn load(explicit: Option<&Path>) -> Result<(Config, Source), ConfigError> {
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        let path = explicit
            .map(Path::to_path_buf)
            .or_else(|| env("CLEANSTATION_CONFIG").map(PathBuf::from))
            .or_else(|| {
                let local = PathBuf::from("config.toml");
                local.is_file().then_some(local)
            });
        let (mut config, source) = match path {
            Some(p) => (Config::from_file(&p)?, Source::File(p)),
            None => (Config::embedded()?, Source::Embedded),
        };
        if let Some(url) = env("CLEANSTATION_DATABASE_URL").or_else(|| env("DATABASE_URL")) {
            config.database.url = url.trim().to_string();
        }
        if let Some(url) = env("CLEANSTATION_OWNER_DATABASE_URL") {
            config.database.owner_url = url.trim().to_string();
        }
        if let Some(url) = env("CLEANSTATION_READ_DATABASE_URL") {
            config.database.read_url = url.trim().to_string();
        }
        Ok((config, source))
    }

    /// The station name shown in the status bar and written to the audit trail.
    pub fn station_name(&self) -> String {
        if self.station.name.is_empty() {
            crate::sys::host_name()
        } else {
            self.station.name.clone()
        }
    }

    /// True when the app manages its own local cluster.
    pub fn uses_embedded_database(&self) -> bool {
        self.database.url.is_empty()
    }

    /// The connection of the owner's steps (migrate, seed, imports, retention) on a central server:
    /// `database.owner_url`, or `database.url` when that is empty.
    pub fn owner_url(&self) -> &str {
        if self.database.owner_url.is_empty() {
            &self.database.url
        } else {
            &self.database.owner_url
        }
    }

    /// The reporting connection's string, `None` when reports read through `database.url`
    /// (docs/reports.md §4.1).
    pub fn read_url(&self) -> Option<&str> {
        Some(self.database.read_url.as_str()).filter(|u| !u.is_empty())
    }

    /// The embedded cluster's base directory.
    pub fn data_dir(&self) -> PathBuf {
        if self.database.data_dir.is_empty() {
            crate::cluster::default_base_dir()
        } else {
            PathBuf::from(&self.database.data_dir)
        }
    }

    /// Where log files go.
    pub fn log_dir(&self) -> PathBuf {
        if !self.log.dir.is_empty() {
            return PathBuf::from(&self.log.dir);
        }
        if crate::sys::is_root() {
            return PathBuf::from("/var/log/cleanstation");
        }
        if let Some(xdg) = std::env::var_os("XDG_STATE_HOME").filter(|v| !v.is_empty()) {
            return PathBuf::from(xdg).join("cleanstation");
        }
        match std::env::var_os("HOME").filter(|v| !v.is_empty()) {
            Some(home) => PathBuf::from(home).join(".local/state/cleanstation"),
            None => std::env::temp_dir().join("cleanstation-log"),
        }
    }
}

/// Unknown sections and keys are errors: a misspelt key would otherwise silently keep its default.
fn check_known_keys(table: &Table, problems: &mut Vec<String>) {
    for (section, value) in table {
        let Some((_, known)) = SECTIONS.iter().find(|(s, _)| s == section) else {
            problems.push(format!("unknown section `[{section}]`"));
            continue;
        };
        let Value::Table(keys) = value else {
            problems.push(format!(
                "`{section}` must be a table (a [{section}] section)"
            ));
            continue;
        };
        for key in keys.keys() {
            if !known.contains(&key.as_str()) {
                problems.push(format!(
                    "unknown key `{section}.{key}` (known: {})",
                    known.join(", ")
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_defaults_parse() {
        let c = Config::embedded().expect("defaults");
        assert_eq!(c.session.ttl_hours, 8);
        assert_eq!(c.session.idle_lock_minutes, 15);
        assert_eq!(c.security.max_failed_logins, 5);
        assert_eq!(c.security.lockout_minutes, 15);
        assert!(c.uses_embedded_database());
        assert_eq!(c.ui.theme, ThemeChoice::Auto);
    }

    #[test]
    fn partial_file_takes_defaults() {
        let c = Config::parse("[session]\nttl_hours = 4\n", "t").expect("valid");
        assert_eq!(c.session.ttl_hours, 4);
        assert_eq!(c.session.idle_lock_minutes, 15);
    }

    #[test]
    fn problems_name_the_key() {
        let err = Config::parse(
            "[database]\npool_size = 0\nurl = 5\nhost = \"x\"\n[ui]\ntheme = \"neon\"\n[colors]\n",
            "t",
        )
        .expect_err("invalid");
        let text = err.to_string();
        for needle in [
            "`database.pool_size` must be from 1 to 64 (got 0)",
            "`database.url` must be a string (got integer)",
            "unknown key `database.host`",
            "`ui.theme` must be one of auto, ansi, mono (got \"neon\")",
            "unknown section `[colors]`",
        ] {
            assert!(text.contains(needle), "{needle:?} missing from {text}");
        }
    }

    #[test]
    fn syntax_errors_are_reported() {
        assert!(matches!(
            Config::parse("[database\n", "t"),
            Err(ConfigError::Syntax { .. })
        ));
    }

    #[test]
    fn the_reporting_connection_is_checked_and_empty_means_the_stations() {
        let c = Config::embedded().expect("defaults");
        assert_eq!(c.read_url(), None);
        let c = Config::parse(
            "[database]\nread_url = \"host=replica.plant.local user=cleanstation_app dbname=cleanstation\"\n",
            "t",
        )
        .expect("valid");
        assert_eq!(
            c.read_url(),
            Some("host=replica.plant.local user=cleanstation_app dbname=cleanstation")
        );
        let err = Config::parse(
            "[database]\nread_url = \"postgresql://x:notaport/db\"\n",
            "t",
        )
        .expect_err("invalid");
        assert!(
            err.to_string()
                .contains("`database.read_url` is not a valid connection string"),
            "{err}"
        );
    }
}
