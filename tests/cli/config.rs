//! Configuration files: the shipped one, valid examples, and invalid ones that must be refused with a
//! message naming the key.

use cleanstation::config::{Config, ThemeChoice};
use std::path::Path;

fn fixture(kind: &str, name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/config")
        .join(kind)
        .join(name)
}

#[test]
fn the_shipped_config_toml_is_the_embedded_default() {
    let file = Config::from_file(&Path::new(env!("CARGO_MANIFEST_DIR")).join("config.toml"))
        .expect("shipped file");
    assert_eq!(file, Config::embedded().expect("embedded"));
    assert_eq!(file.session.ttl_hours, 8);
    assert_eq!(file.session.idle_lock_minutes, 15);
    assert_eq!(file.security.max_failed_logins, 5);
    assert_eq!(file.security.lockout_minutes, 15);
    assert!(file.uses_embedded_database());
}

#[test]
fn valid_files_parse() {
    let central = Config::from_file(&fixture("valid", "central.toml")).expect("central");
    assert!(!central.uses_embedded_database());
    assert_eq!(central.database.pool_size, 8);
    assert_eq!(central.station_name(), "assembly-3");
    assert_eq!(central.ui.theme, ThemeChoice::Mono);
    // Keys not given keep the defaults.
    assert_eq!(central.session.ttl_hours, 8);

    let minimal = Config::from_file(&fixture("valid", "minimal.toml")).expect("minimal");
    assert_eq!(minimal, Config::embedded().expect("embedded"));

    let strict = Config::from_file(&fixture("valid", "strict-security.toml")).expect("strict");
    assert_eq!(strict.session.idle_lock_minutes, 5);
    assert_eq!(strict.security.max_failed_logins, 3);
    assert_eq!(strict.security.lockout_minutes, 30);
}

#[test]
fn every_valid_fixture_parses() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/config/valid");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).expect("fixtures") {
        let path = entry.expect("entry").path();
        Config::from_file(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        n += 1;
    }
    assert!(n >= 3);
}

#[test]
fn invalid_files_are_refused_naming_the_key() {
    let cases = [
        ("unknown_key.toml", "unknown key `session.idle_lock_minute`"),
        ("unknown_section.toml", "unknown section `[colours]`"),
        (
            "pool_size_zero.toml",
            "`database.pool_size` must be from 1 to 64 (got 0)",
        ),
        (
            "theme_word.toml",
            "`ui.theme` must be one of auto, ansi, mono (got \"dark\")",
        ),
        (
            "ttl_string.toml",
            "`session.ttl_hours` must be a whole number",
        ),
        ("syntax.toml", "not valid TOML"),
        ("section_not_table.toml", "`station` must be a table"),
    ];
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/config/invalid");
    assert_eq!(
        std::fs::read_dir(dir).expect("fixtures").count(),
        cases.len(),
        "every invalid fixture has an expected message"
    );
    for (file, expected) in cases {
        let path = fixture("invalid", file);
        let err = Config::from_file(&path).expect_err(file).to_string();
        assert!(
            err.contains(expected),
            "{file}: expected {expected:?} in {err:?}"
        );
        assert!(
            err.starts_with(&path.display().to_string()),
            "{file}: names the file: {err}"
        );
    }
}

#[test]
fn a_missing_file_is_reported() {
    let err = Config::from_file(Path::new("/nonexistent/cleanstation.toml")).expect_err("missing");
    assert!(err.to_string().contains("cannot read"), "{err}");
}
