//! The one fixture of the command-line tests: a seeded database that the real binary runs against,
//! logging into a scratch directory of its own.

use crate::support::TestDb;
use cleanstation::db::Actor;
use std::path::Path;
use std::process::Output;

/// A database seeded with the demo data.
pub struct Env {
    pub db: TestDb,
}

impl Env {
    pub async fn new() -> Env {
        let db = TestDb::new().await;
        cleanstation::service::seed::seed_demo(&db.owner, &Actor::system("test-cli"))
            .await
            .expect("seed");
        Env { db }
    }

    /// Runs the binary with `args`, as a user at a terminal would.
    pub async fn run(&self, args: &[&str]) -> Output {
        self.db.cli(args, &[]).await
    }

    /// The rows of `table`, counted as the superuser.
    pub async fn count(&self, table: &str) -> i64 {
        self.db
            .count(&format!(r#"SELECT count(*) FROM "{table}""#))
            .await
    }
}

/// The path of `name` under `tests/fixtures/`.
pub fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
        .display()
        .to_string()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
