//! Test harness: one throwaway PostgreSQL cluster per test binary, started from the installed server
//! binaries; a template database migrated once; a fresh database cloned from it for every test.
#![allow(dead_code)]

use cleanstation::cluster::Cluster;
use deadpool_postgres::Pool;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

const TEMPLATE: &str = "cleanstation_template";

static CLUSTER: OnceLock<Result<Cluster, String>> = OnceLock::new();
static NEXT_DB: AtomicU32 = AtomicU32::new(0);

/// A fresh, fully migrated database of its own.
pub struct TestDb {
    /// Connections as the station role (cleanstation_app), as every station connects: the use cases
    /// under test run through it, so a grant the floor needs and lacks fails the test.
    pub pool: Pool,
    /// Connections as the cluster's superuser (the owner's steps, and a test's own setup and checks).
    pub owner: Pool,
    pub name: String,
    /// The station role's connection string.
    pub url: String,
    /// The owner's connection string.
    pub owner_url: String,
}

impl TestDb {
    pub async fn new() -> TestDb {
        let cluster = cluster();
        let name = format!(
            "t_{}_{}",
            std::process::id(),
            NEXT_DB.fetch_add(1, Ordering::SeqCst)
        );
        create_from_template(cluster, &name).await;
        let owner_url = cluster.url(&name);
        let owner = cleanstation::db::connect(&owner_url, 4, "cleanstation-test")
            .await
            .expect("connect to test database");
        // A copy has the template's grants but not the database's own privileges.
        cleanstation::db::roles::apply_database_level(
            &owner.get().await.expect("owner connection"),
        )
        .await
        .expect("database-level grants");
        let url = cluster.url_as(&name, cleanstation::db::roles::STATION_ROLE);
        let pool = cleanstation::db::connect(&url, 4, "cleanstation-test")
            .await
            .expect("connect to test database as the station role");
        TestDb {
            pool,
            owner,
            name,
            url,
            owner_url,
        }
    }

    /// A scratch directory of this database's own, with a `config.toml` that sends the binary's log there.
    pub fn cli_dir(&self) -> PathBuf {
        self.cli_dir_logging_at(None)
    }

    /// As [`TestDb::cli_dir`], with `log.level` set when `level` is given.
    fn cli_dir_logging_at(&self, level: Option<&str>) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("cs-cli-{}-{}", std::process::id(), self.name));
        std::fs::create_dir_all(&dir).expect("scratch dir");
        let level = level.map_or_else(String::new, |l| format!("level = \"{l}\"\n"));
        std::fs::write(
            dir.join("config.toml"),
            format!("[log]\ndir = \"{}\"\n{level}", dir.join("log").display()),
        )
        .expect("config");
        dir
    }

    /// Runs the real binary against this database with `envs` set, as a user at a terminal would.
    pub async fn cli(&self, args: &[&str], envs: &[(&str, &str)]) -> std::process::Output {
        self.run_cli(None, args, envs).await
    }

    /// As [`TestDb::cli`], logging at `level` (a `log.level` filter string) into `cli_dir()/log`.
    pub async fn cli_logging_at(
        &self,
        level: &str,
        args: &[&str],
        envs: &[(&str, &str)],
    ) -> std::process::Output {
        self.run_cli(Some(level), args, envs).await
    }

    async fn run_cli(
        &self,
        level: Option<&str>,
        args: &[&str],
        envs: &[(&str, &str)],
    ) -> std::process::Output {
        tokio::process::Command::new(env!("CARGO_BIN_EXE_cleanstation"))
            .arg("--config")
            .arg(self.cli_dir_logging_at(level).join("config.toml"))
            .args(args)
            .envs(envs.iter().copied())
            .env("CLEANSTATION_DATABASE_URL", &self.url)
            .env("CLEANSTATION_OWNER_DATABASE_URL", &self.owner_url)
            .env_remove("DATABASE_URL")
            .env_remove("CLEANSTATION_CONFIG")
            .output()
            .await
            .expect("run cleanstation")
    }

    /// An empty database with no schema at all (for migration tests).
    pub async fn empty() -> TestDb {
        let cluster = cluster();
        let name = format!(
            "e_{}_{}",
            std::process::id(),
            NEXT_DB.fetch_add(1, Ordering::SeqCst)
        );
        admin_client(&cluster.url("postgres"))
            .await
            .batch_execute(&format!("CREATE DATABASE {name} TEMPLATE template0"))
            .await
            .expect("create empty database");
        let url = cluster.url(&name);
        let pool = cleanstation::db::connect(&url, 4, "cleanstation-test")
            .await
            .expect("connect to test database");
        TestDb {
            owner: pool.clone(),
            pool,
            name,
            owner_url: url.clone(),
            url,
        }
    }

    /// A connection as the superuser: for a test's own setup and checks.
    pub async fn client(&self) -> deadpool_postgres::Object {
        self.owner.get().await.expect("test database connection")
    }

    /// The one bigint a superuser's `sql` returns (a count, mostly).
    pub async fn count(&self, sql: &str) -> i64 {
        self.client()
            .await
            .query_one(sql, &[])
            .await
            .expect("count")
            .get(0)
    }

    /// A connection as the station role.
    pub async fn station(&self) -> deadpool_postgres::Object {
        self.pool.get().await.expect("station connection")
    }
}

/// This binary's cluster, started by the first test that asks.
fn cluster() -> &'static Cluster {
    match CLUSTER.get_or_init(start) {
        Ok(c) => c,
        Err(e) => panic!("test cluster could not start: {e}"),
    }
}

/// The cluster's base directory: short (the socket path is limited) and unique to this process.
fn base_dir() -> PathBuf {
    std::env::temp_dir().join(format!("cs-test-{}", std::process::id()))
}

fn start() -> Result<Cluster, String> {
    reap_stale_clusters();
    let base = base_dir();
    let _ = std::fs::remove_dir_all(&base);
    let cluster = Cluster::new(&base)
        .map_err(|e| e.to_string())?
        // Throwaway data: durability off for speed.
        .with_settings(&[
            ("fsync", "off"),
            ("synchronous_commit", "off"),
            ("full_page_writes", "off"),
            ("max_connections", "200"),
        ]);
    cluster.ensure_running().map_err(|e| e.to_string())?;
    std::fs::write(base.join("owner.pid"), std::process::id().to_string())
        .map_err(|e| e.to_string())?;
    register_cleanup();
    // Migrate the template on a runtime of its own: the calling test's runtime is busy awaiting us.
    let url = cluster.url("postgres");
    let template_url = cluster.url(TEMPLATE);
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        rt.block_on(async move {
            let admin = admin_client(&url).await;
            admin
                .batch_execute(&format!("CREATE DATABASE {TEMPLATE}"))
                .await
                .map_err(|e| e.to_string())?;
            let pool = cleanstation::db::connect(&template_url, 1, "cleanstation-test")
                .await
                .map_err(|e| e.to_string())?;
            cleanstation::db::migrate::run(&pool)
                .await
                .map_err(|e| e.to_string())?;
            pool.close();
            Ok::<(), String>(())
        })
    })
    .join()
    .map_err(|_| "template migration thread panicked".to_string())??;
    Ok(cluster)
}

async fn admin_client(url: &str) -> tokio_postgres::Client {
    let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .expect("connect to test cluster");
    tokio::spawn(conn);
    client
}

async fn create_from_template(cluster: &Cluster, name: &str) {
    let admin = admin_client(&cluster.url("postgres")).await;
    // The template may still show a closing connection from its migration; retry briefly.
    for attempt in 0.. {
        match admin
            .batch_execute(&format!("CREATE DATABASE {name} TEMPLATE {TEMPLATE}"))
            .await
        {
            Ok(()) => return,
            Err(e) if attempt < 50 => {
                let _ = e;
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            Err(e) => panic!("create test database {name}: {e}"),
        }
    }
}

/// Stops the cluster and removes its directory when the test binary exits.
fn register_cleanup() {
    extern "C" fn cleanup() {
        if let Some(Ok(c)) = CLUSTER.get() {
            let _ = c.stop();
            let _ = std::fs::remove_dir_all(&c.base);
        }
    }
    #[allow(unsafe_code)]
    // SAFETY: registering a plain extern "C" fn with atexit has no preconditions.
    unsafe {
        libc::atexit(cleanup);
    }
}

/// Clusters left by a test binary that was killed: stop them and remove their directories.
fn reap_stale_clusters() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        let is_ours = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("cs-test-"));
        if !is_ours || owner_alive(&path) {
            continue;
        }
        if let Ok(c) = Cluster::new(&path) {
            let _ = c.stop();
        }
        let _ = std::fs::remove_dir_all(&path);
    }
}

fn owner_alive(base: &Path) -> bool {
    let Ok(pid) = std::fs::read_to_string(base.join("owner.pid")) else {
        // Still starting up (no pid file yet) or not ours to judge: leave it alone unless it is old.
        return base
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age.as_secs() < 600);
    };
    Path::new("/proc").join(pid.trim()).exists()
}

/// Sends one request through the service as a station does; a refusal fails the caller (benches and
/// set-up steps, where every request must succeed).
pub async fn request(
    ctx: &cleanstation::service::ServiceCtx,
    kind: cleanstation::msg::Request,
) -> cleanstation::msg::Reply {
    let reply = cleanstation::service::dispatch(
        ctx,
        cleanstation::msg::ServiceRequest {
            id: cleanstation::msg::RequestId(1),
            kind,
        },
    )
    .await;
    match reply.result {
        Ok(r) => r,
        Err(e) => panic!("request failed: {e}"),
    }
}

/// Logs a demo user in; returns the session token.
pub async fn demo_login(ctx: &cleanstation::service::ServiceCtx, username: &str) -> String {
    let reply = request(
        ctx,
        cleanstation::msg::Request::Login {
            username: username.into(),
            password: cleanstation::service::seed::DEMO_PASSWORD.into(),
        },
    )
    .await;
    match reply {
        cleanstation::msg::Reply::LoggedIn(s) => s.token,
        other => panic!("login: {other:?}"),
    }
}
