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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub database: DatabaseConfig,
    pub station: StationConfig,
    pub session: SessionConfig,
    pub security: SecurityConfig,
    pub ui: UiConfig,
    pub log: LogConfig,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatabaseConfig {
    /// Empty: use the embedded local cluster. Stations connect with it (as the station role).
    pub url: String,
    /// The owner's connection for migrate, seed and imports; empty: `url`.
    pub owner_url: String,
    pub pool_size: u32,
    /// Base directory of the embedded cluster; empty: the platform default.
    pub data_dir: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StationConfig {
    /// Empty: the host name.
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionConfig {
    pub ttl_hours: u32,
    pub idle_lock_minutes: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityConfig {
    pub max_failed_logins: u32,
    pub lockout_minutes: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThemeChoice {
    /// Mono when NO_COLOR is set and non-empty, else ansi.
    Auto,
    Ansi,
    Mono,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UiConfig {
    pub theme: ThemeChoice,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogConfig {
    /// Empty: the platform default.
    pub dir: String,
    /// A tracing filter such as "info" or "cleanstation=debug".
    pub level: String,
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

/// The key schema: (section, key, kind).
#[derive(Clone, Copy)]
enum Kind {
    Str,
    /// An integer in an inclusive range.
    Int(i64, i64),
    /// One of a fixed set of words.
    Word(&'static [&'static str]),
}

const KEYS: &[(&str, &str, Kind)] = &[
    ("database", "url", Kind::Str),
    ("database", "owner_url", Kind::Str),
    ("database", "pool_size", Kind::Int(1, 64)),
    ("database", "data_dir", Kind::Str),
    ("station", "name", Kind::Str),
    ("session", "ttl_hours", Kind::Int(1, 168)),
    ("session", "idle_lock_minutes", Kind::Int(1, 480)),
    ("security", "max_failed_logins", Kind::Int(1, 100)),
    ("security", "lockout_minutes", Kind::Int(1, 1440)),
    ("ui", "theme", Kind::Word(&["auto", "ansi", "mono"])),
    ("log", "dir", Kind::Str),
    ("log", "level", Kind::Str),
];

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
        let mut strs = std::collections::HashMap::new();
        let mut ints = std::collections::HashMap::new();
        for &(section, key, kind) in KEYS {
            let name = format!("{section}.{key}");
            let value = get(section, key);
            match (kind, value) {
                (_, None) => problems.push(format!("`{name}` is missing")),
                (Kind::Str, Some(Value::String(s))) => {
                    strs.insert(name, s);
                }
                (Kind::Word(words), Some(Value::String(s))) => {
                    if words.contains(&s.as_str()) {
                        strs.insert(name, s);
                    } else {
                        problems.push(format!(
                            "`{name}` must be one of {} (got \"{s}\")",
                            words.join(", ")
                        ));
                    }
                }
                (Kind::Int(lo, hi), Some(Value::Integer(n))) => {
                    if (lo..=hi).contains(&n) {
                        ints.insert(name, u32::try_from(n).unwrap_or(0));
                    } else {
                        problems.push(format!("`{name}` must be from {lo} to {hi} (got {n})"));
                    }
                }
                (Kind::Int(..), Some(v)) => {
                    problems.push(format!(
                        "`{name}` must be a whole number (got {})",
                        v.type_str()
                    ));
                }
                (_, Some(v)) => {
                    problems.push(format!("`{name}` must be a string (got {})", v.type_str()))
                }
            }
        }
        if !problems.is_empty() {
            return Err(ConfigError::Invalid {
                origin: origin.to_string(),
                problems,
            });
        }
        let s = |k: &str| strs.get(k).cloned().unwrap_or_default();
        let n = |k: &str| ints.get(k).copied().unwrap_or_default();
        Ok(Config {
            database: DatabaseConfig {
                url: s("database.url").trim().to_string(),
                owner_url: s("database.owner_url").trim().to_string(),
                pool_size: n("database.pool_size"),
                data_dir: s("database.data_dir").trim().to_string(),
            },
            station: StationConfig {
                name: s("station.name").trim().to_string(),
            },
            session: SessionConfig {
                ttl_hours: n("session.ttl_hours"),
                idle_lock_minutes: n("session.idle_lock_minutes"),
            },
            security: SecurityConfig {
                max_failed_logins: n("security.max_failed_logins"),
                lockout_minutes: n("security.lockout_minutes"),
            },
            ui: UiConfig {
                theme: match s("ui.theme").as_str() {
                    "ansi" => ThemeChoice::Ansi,
                    "mono" => ThemeChoice::Mono,
                    _ => ThemeChoice::Auto,
                },
            },
            log: LogConfig {
                dir: s("log.dir").trim().to_string(),
                level: s("log.level").trim().to_string(),
            },
        })
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
        let known: Vec<&str> = KEYS
            .iter()
            .filter(|(s, _, _)| s == section)
            .map(|(_, k, _)| *k)
            .collect();
        if known.is_empty() {
            problems.push(format!("unknown section `[{section}]`"));
            continue;
        }
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
}
