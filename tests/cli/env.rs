//! The one fixture of the command-line tests: a seeded database that the real binary runs against,
//! logging into a scratch directory of its own.

use crate::support::TestDb;
use cleanstation::db::Actor;
use cleanstation::service::seed::DEMO_PASSWORD;
use std::path::{Path, PathBuf};
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

    /// Imports `tests/fixtures/bom/example-<n>.json` as the coordinator, as a user would.
    pub async fn import_example(&self, n: u32) {
        let file = fixture(&format!("bom/example-{n}.json"));
        let out = self
            .db
            .cli(
                &["order", "import", &file, "--as", "coordinator"],
                &[("CLEANSTATION_PASSWORD", DEMO_PASSWORD)],
            )
            .await;
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
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

/// An empty directory of this test process, `cs-cli-<test>-<name>-<pid>` under the temp directory.
pub fn scratch(test: &str, name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cs-cli-{test}-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
