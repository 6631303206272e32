//! The log file of the real binary at the most verbose level: private, and free of passwords, password
//! hashes and session tokens.

use crate::support::TestDb;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

const DEMO_PASSWORD: &str = "demo-password";
const WRONG: &str = "not-the-demo-password-7";
/// Everything on, and the driver asked for explicitly: its cap must still win.
const LEVEL: &str = "trace,tokio_postgres=trace,postgres_protocol=trace,deadpool=trace";

/// Runs of 64 or more hex digits: what a session token or a SHA-256 looks like in text.
fn hex_runs(text: &str) -> Vec<&str> {
    let mut runs = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
        match (c.is_ascii_hexdigit(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                if i - s >= 64 {
                    runs.push(&text[s..i]);
                }
                start = None;
            }
            _ => {}
        }
    }
    runs
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .expect("log path")
        .permissions()
        .mode()
        & 0o777
}

/// Every file in the log directory, checked 0600, read together.
fn read_logs(dir: &Path) -> String {
    assert_eq!(mode(dir), 0o700, "{}", dir.display());
    let mut text = String::new();
    let mut files = 0;
    for entry in std::fs::read_dir(dir).expect("log dir") {
        let path = entry.expect("log entry").path();
        assert_eq!(mode(&path), 0o600, "{}", path.display());
        text.push_str(&std::fs::read_to_string(&path).expect("log file"));
        files += 1;
    }
    assert!(files > 0, "no log file in {}", dir.display());
    text
}

#[test]
fn hex_runs_finds_token_shaped_text() {
    let token = "0123456789abcdef".repeat(4);
    assert_eq!(hex_runs(&format!("token={token}.")), [token.as_str()]);
    assert_eq!(hex_runs(&token[1..]), Vec::<&str>::new());
    assert_eq!(hex_runs(&token.to_uppercase()).len(), 1);
}

#[tokio::test]
async fn trace_logs_hold_no_password_hash_or_token() {
    let db = TestDb::new().await;
    // The stored token hashes are removed from the audit trail and deleted at logout: keep a copy.
    db.client()
        .await
        .batch_execute(
            r#"CREATE TABLE seen_tokens (token text);
               CREATE FUNCTION keep_token() RETURNS trigger LANGUAGE plpgsql AS $$
               BEGIN INSERT INTO seen_tokens VALUES (NEW."token"); RETURN NEW; END $$;
               CREATE TRIGGER keep_token AFTER INSERT ON "UserSession"
                   FOR EACH ROW EXECUTE FUNCTION keep_token();"#,
        )
        .await
        .expect("token capture");

    // Seeding binds every demo user's password hash.
    let seed = db.cli_logging_at(LEVEL, &["seed", "--demo"], &[]).await;
    assert!(seed.status.success(), "{seed:?}");
    let ok = db
        .cli_logging_at(
            LEVEL,
            &["order", "list", "--as", "coordinator"],
            &[("CLEANSTATION_PASSWORD", DEMO_PASSWORD)],
        )
        .await;
    assert!(ok.status.success(), "{ok:?}");
    for user in ["coordinator", "nosuchuser"] {
        let refused = db
            .cli_logging_at(
                LEVEL,
                &["order", "list", "--as", user],
                &[("CLEANSTATION_PASSWORD", WRONG)],
            )
            .await;
        assert_eq!(refused.status.code(), Some(2), "{refused:?}");
    }

    let log = read_logs(&db.cli_dir().join("log"));
    // The level reached the file: the app's own debug lines, and the driver's info-level lines pass.
    assert!(
        log.contains(r#"Login { username: "coordinator" }"#),
        "{log}"
    );
    assert!(log.contains("logged in"), "{log}");
    assert!(log.contains("login refused"), "{log}");
    for line in log.lines() {
        for capped in ["tokio_postgres", "postgres_protocol", "deadpool"] {
            assert!(
                !(line.contains(capped) && (line.contains(" DEBUG ") || line.contains(" TRACE "))),
                "{line}"
            );
        }
    }

    for secret in [DEMO_PASSWORD, WRONG, "$argon2id$"] {
        assert!(!log.contains(secret), "the log shows {secret:?}");
    }
    let client = db.client().await;
    let hashes: Vec<String> = client
        .query(r#"SELECT "passwordHash" FROM "User""#, &[])
        .await
        .expect("hashes")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(hashes.len() >= 6, "{hashes:?}");
    for hash in &hashes {
        // The whole PHC string, and its output part alone.
        let output = hash.rsplit('$').next().unwrap_or(hash);
        assert!(
            !log.contains(hash.as_str()) && !log.contains(output),
            "{hash}"
        );
    }
    let tokens: Vec<String> = client
        .query("SELECT token FROM seen_tokens", &[])
        .await
        .expect("tokens")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(tokens.len(), 1, "one successful login");
    for token in &tokens {
        assert_eq!(
            hex_runs(token),
            [token.as_str()],
            "a stored token hash is 64 hex digits"
        );
        assert!(
            !log.contains(token.as_str()),
            "the log shows a session token hash"
        );
    }
    // The token itself never reaches the database; like any SHA-256 it is 64 hex digits.
    assert_eq!(hex_runs(&log), Vec::<&str>::new());
    let _ = std::fs::remove_dir_all(db.cli_dir());
}
