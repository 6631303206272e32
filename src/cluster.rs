//! The embedded PostgreSQL cluster: a private server the app starts from the machine's installed
//! PostgreSQL binaries when no database URL is configured.
//!
//! It listens only on a unix socket inside its own directory (no TCP), is left running so that other
//! terminal sessions on the same host share it, and runs as the unprivileged `postgres` account when
//! the app runs as root (PostgreSQL refuses to run as root).

use std::fs::{self, File, OpenOptions};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use thiserror::Error;

/// The oldest server major version the schema is written for.
pub const MIN_MAJOR: u32 = 15;
/// The socket file's name carries the port even though nothing listens on TCP.
pub const PORT: u16 = 5432;
/// The database superuser created by initdb, and the name of the application database.
pub const SUPERUSER: &str = "cleanstation";
pub const DATABASE: &str = "cleanstation";

#[derive(Debug, Error)]
pub enum ClusterError {
    #[error(
        "No PostgreSQL server (version {MIN_MAJOR} or newer) is installed; install it with: apt-get install postgresql"
    )]
    NoServer,
    #[error(
        "PostgreSQL refuses to run as root and this machine has no 'postgres' account; install the postgresql package or run cleanstation as an ordinary user"
    )]
    NoPostgresAccount,
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "The socket path {0} is too long for PostgreSQL (at most 100 bytes); choose a shorter database.data_dir"
    )]
    SocketPathTooLong(PathBuf),
    #[error(
        "PostgreSQL runs as the '{account}' account, which cannot enter {path}; choose a database.data_dir it can reach, such as /var/lib/cleanstation"
    )]
    Unreachable { account: String, path: PathBuf },
    #[error("{what} failed: {detail}")]
    Command { what: String, detail: String },
    #[error(
        "{tool} (PostgreSQL {major} or newer) is not installed; install it with: apt-get install postgresql-client"
    )]
    NoClientTool { tool: String, major: u32 },
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> ClusterError + '_ {
    move |source| ClusterError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The installed server binaries chosen for the cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerBinaries {
    pub bin_dir: PathBuf,
    pub major: u32,
}

/// Finds the newest installed PostgreSQL server (>= 15) on PATH or under /usr/lib/postgresql/*/bin.
pub fn find_server_binaries() -> Result<ServerBinaries, ClusterError> {
    newest_server_in(tool_dirs())
}

/// Where PostgreSQL's programs are looked for: under /usr/lib/postgresql/*/bin, then on PATH.
fn tool_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = Vec::new();
    if let Ok(entries) = fs::read_dir("/usr/lib/postgresql") {
        for e in entries.flatten() {
            dirs.push(e.path().join("bin"));
        }
    }
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    dirs
}

/// One of PostgreSQL's client programs (`pg_dump`, `pg_restore`) of major version `min_major` or newer,
/// found where the server binaries are looked for: the same major when installed, else the newest
/// (docs/backup.md §1.3). Returns its path and major version.
pub fn find_client_tool(tool: &str, min_major: u32) -> Result<(PathBuf, u32), ClusterError> {
    let mut found: Vec<(PathBuf, u32)> = Vec::new();
    for dir in tool_dirs() {
        let path = dir.join(tool);
        if !path.is_file() || found.iter().any(|(p, _)| *p == path) {
            continue;
        }
        if let Some(major) = server_major(&path).filter(|m| *m >= min_major) {
            found.push((path, major));
        }
    }
    found
        .iter()
        .find(|(_, m)| *m == min_major)
        .or_else(|| found.iter().max_by_key(|(_, m)| *m))
        .cloned()
        .ok_or_else(|| ClusterError::NoClientTool {
            tool: tool.to_string(),
            major: min_major,
        })
}

/// The newest server >= [`MIN_MAJOR`] among `dirs`.
fn newest_server_in(dirs: Vec<PathBuf>) -> Result<ServerBinaries, ClusterError> {
    let mut best: Option<ServerBinaries> = None;
    for dir in dirs {
        if !(dir.join("initdb").is_file()
            && dir.join("pg_ctl").is_file()
            && dir.join("postgres").is_file())
        {
            continue;
        }
        let Some(major) = server_major(&dir.join("postgres")) else {
            continue;
        };
        if major >= MIN_MAJOR && best.as_ref().is_none_or(|b| major > b.major) {
            best = Some(ServerBinaries {
                bin_dir: dir,
                major,
            });
        }
    }
    best.ok_or(ClusterError::NoServer)
}

/// Reads the major version from `postgres --version` ("postgres (PostgreSQL) 15.18 ..."); the client
/// programs print theirs the same way.
fn server_major(postgres: &Path) -> Option<u32> {
    let out = Command::new(postgres).arg("--version").output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let version = text.split_whitespace().nth(2)?;
    version.split('.').next()?.parse().ok()
}

/// Where an embedded cluster lives: `<base>/data` (PGDATA), `<base>/run` (socket), `<base>/server.log`.
#[derive(Debug, Clone)]
pub struct Cluster {
    pub base: PathBuf,
    pub bins: ServerBinaries,
    /// The account the server runs as when we are root.
    run_as: Option<crate::sys::Account>,
    /// Extra `postgresql.conf` settings written at initdb time (the test harness turns fsync off).
    extra_settings: Vec<(String, String)>,
}

/// What [`Cluster::ensure_running`] had to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Started {
    /// initdb ran: this is a brand-new cluster.
    pub initialized: bool,
    /// The server was not running and was started.
    pub started: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    NotInitialized,
    Stopped,
    Running { pid: Option<u32> },
}

impl Cluster {
    /// Prepares (but does not start) the cluster under `base`.
    pub fn new(base: impl Into<PathBuf>) -> Result<Cluster, ClusterError> {
        let bins = find_server_binaries()?;
        let run_as = if crate::sys::is_root() {
            Some(crate::sys::account_by_name("postgres").ok_or(ClusterError::NoPostgresAccount)?)
        } else {
            None
        };
        let base = absolute(base.into());
        let socket = base.join("run").join(format!(".s.PGSQL.{PORT}"));
        if socket.as_os_str().len() > 100 {
            return Err(ClusterError::SocketPathTooLong(socket));
        }
        Ok(Cluster {
            base,
            bins,
            run_as,
            extra_settings: Vec::new(),
        })
    }

    /// Adds `postgresql.conf` settings used when the cluster is first created.
    #[must_use]
    pub fn with_settings(mut self, settings: &[(&str, &str)]) -> Cluster {
        self.extra_settings.extend(
            settings
                .iter()
                .map(|(k, v)| ((*k).to_string(), (*v).to_string())),
        );
        self
    }

    pub fn data_dir(&self) -> PathBuf {
        self.base.join("data")
    }

    pub fn socket_dir(&self) -> PathBuf {
        self.base.join("run")
    }

    pub fn log_file(&self) -> PathBuf {
        self.base.join("server.log")
    }

    /// A libpq connection string for `dbname` over the private socket, as the cluster's superuser.
    pub fn url(&self, dbname: &str) -> String {
        self.url_as(dbname, SUPERUSER)
    }

    /// A libpq connection string for `dbname` over the private socket, as `role`. The socket trusts
    /// whoever can reach it (its directory is private to the server's account); stations choose the
    /// least-privilege role themselves.
    pub fn url_as(&self, dbname: &str, role: &str) -> String {
        format!(
            "host={} port={PORT} user={role} dbname={dbname}",
            self.socket_dir().display()
        )
    }

    /// Starts the cluster if needed, creating it first when the data directory is empty.
    /// A file lock serialises stations starting at the same moment.
    pub fn ensure_running(&self) -> Result<Started, ClusterError> {
        self.prepare_base()?;
        let lock_path = self.base.join("cluster.lock");
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(io_err(&lock_path))?;
        lock.lock().map_err(io_err(&lock_path))?;
        let result = self.ensure_running_locked();
        let _ = lock.unlock();
        result
    }

    fn ensure_running_locked(&self) -> Result<Started, ClusterError> {
        let mut started = Started {
            initialized: false,
            started: false,
        };
        if !self.data_dir().join("PG_VERSION").is_file() {
            self.initdb()?;
            started.initialized = true;
        }
        if !matches!(self.status()?, Status::Running { .. }) {
            self.pg_ctl(&["start", "-w", "-t", "60", "-l"], Some(&self.log_file()))?;
            started.started = true;
        }
        Ok(started)
    }

    /// Creates the base directories, owned by the server's account, mode 0700.
    fn prepare_base(&self) -> Result<(), ClusterError> {
        if let Some(acct) = &self.run_as {
            check_reachable(&self.base, acct)?;
        }
        for dir in [self.base.clone(), self.socket_dir()] {
            fs::create_dir_all(&dir).map_err(io_err(&dir))?;
            fs::set_permissions(&dir, fs::Permissions::from_mode(0o700)).map_err(io_err(&dir))?;
            if let Some(acct) = &self.run_as {
                std::os::unix::fs::chown(&dir, Some(acct.uid), Some(acct.gid))
                    .map_err(io_err(&dir))?;
            }
        }
        Ok(())
    }

    fn initdb(&self) -> Result<(), ClusterError> {
        let data = self.data_dir();
        let mut cmd = self.server_command("initdb");
        cmd.arg("-D").arg(&data).args([
            "-U",
            SUPERUSER,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        ]);
        self.run(cmd, "initdb", &self.base.join("initdb.log"))?;
        // Only the private socket: no TCP listener at all, and only the server's account may connect.
        let mut conf = format!(
            "\n# cleanstation embedded cluster\nlisten_addresses = ''\nunix_socket_directories = '{}'\nunix_socket_permissions = 0700\nport = {PORT}\n",
            self.socket_dir().display().to_string().replace('\'', "''")
        );
        for (k, v) in &self.extra_settings {
            conf.push_str(&format!("{k} = '{}'\n", v.replace('\'', "''")));
        }
        let conf_path = data.join("postgresql.conf");
        let mut text = fs::read_to_string(&conf_path).map_err(io_err(&conf_path))?;
        text.push_str(&conf);
        fs::write(&conf_path, text).map_err(io_err(&conf_path))?;
        Ok(())
    }

    pub fn status(&self) -> Result<Status, ClusterError> {
        if !self.data_dir().join("PG_VERSION").is_file() {
            return Ok(Status::NotInitialized);
        }
        let mut cmd = self.server_command("pg_ctl");
        cmd.arg("status").arg("-D").arg(self.data_dir());
        cmd.stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let code = cmd
            .status()
            .map_err(io_err(&self.bins.bin_dir.join("pg_ctl")))?
            .code();
        Ok(match code {
            Some(0) => Status::Running {
                pid: self.postmaster_pid(),
            },
            _ => Status::Stopped,
        })
    }

    fn postmaster_pid(&self) -> Option<u32> {
        let text = fs::read_to_string(self.data_dir().join("postmaster.pid")).ok()?;
        text.lines().next()?.trim().parse().ok()
    }

    /// Stops the server (fast shutdown). Returns false when it was not running.
    pub fn stop(&self) -> Result<bool, ClusterError> {
        if !matches!(self.status()?, Status::Running { .. }) {
            return Ok(false);
        }
        self.pg_ctl(&["stop", "-m", "fast", "-w", "-t", "60"], None)?;
        Ok(true)
    }

    /// Runs `pg_ctl <args> -D <data>`; with `log`, the server's output goes to that file.
    fn pg_ctl(&self, args: &[&str], log: Option<&Path>) -> Result<(), ClusterError> {
        let mut cmd = self.server_command("pg_ctl");
        cmd.args(args);
        if let Some(log) = log {
            cmd.arg(log);
        }
        cmd.arg("-D").arg(self.data_dir());
        // Its own process group: a terminal hang-up or Ctrl-C in the app never reaches the server.
        cmd.process_group(0);
        self.run(
            cmd,
            &format!("pg_ctl {}", args[0]),
            &self.base.join("pg_ctl.log"),
        )
    }

    /// A command for one of the server binaries, run as the server's account when we are root.
    fn server_command(&self, program: &str) -> Command {
        let mut cmd = Command::new(self.bins.bin_dir.join(program));
        cmd.current_dir(&self.base);
        if let Some(acct) = &self.run_as {
            cmd.uid(acct.uid).gid(acct.gid);
        }
        cmd
    }

    /// Runs `cmd` with its output appended to `output_file` (never to our terminal), and turns a
    /// failure into an error carrying the file's last lines.
    fn run(&self, mut cmd: Command, what: &str, output_file: &Path) -> Result<(), ClusterError> {
        let out = OpenOptions::new()
            .create(true)
            .append(true)
            .open(output_file)
            .map_err(io_err(output_file))?;
        let err = out.try_clone().map_err(io_err(output_file))?;
        if let Some(acct) = &self.run_as {
            let _ = std::os::unix::fs::chown(output_file, Some(acct.uid), Some(acct.gid));
        }
        let status = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::from(out))
            .stderr(Stdio::from(err))
            .status()
            .map_err(io_err(&self.bins.bin_dir))?;
        if status.success() {
            return Ok(());
        }
        let tail = tail_lines(output_file, 6);
        Err(ClusterError::Command {
            what: what.to_string(),
            detail: if tail.is_empty() {
                format!("exit status {status}")
            } else {
                tail
            },
        })
    }
}

/// The server's account must be able to pass through every existing ancestor of `base` (root can,
/// so a failure would otherwise surface later as a baffling "permission denied" from initdb).
fn check_reachable(base: &Path, acct: &crate::sys::Account) -> Result<(), ClusterError> {
    use std::os::unix::fs::MetadataExt;
    for dir in base.ancestors().skip(1) {
        let Ok(meta) = fs::metadata(dir) else {
            continue; // not created yet: created by us below, owned by the account
        };
        let mode = meta.mode();
        let passable = mode & 0o001 != 0
            || (meta.uid() == acct.uid && mode & 0o100 != 0)
            || (meta.gid() == acct.gid && mode & 0o010 != 0);
        if !passable {
            return Err(ClusterError::Unreachable {
                account: acct.name.clone(),
                path: dir.to_path_buf(),
            });
        }
    }
    Ok(())
}

fn tail_lines(path: &Path, n: usize) -> String {
    let Ok(mut f) = File::open(path) else {
        return String::new();
    };
    let mut text = String::new();
    let _ = std::io::Read::read_to_string(&mut f, &mut text);
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    lines[lines.len().saturating_sub(n)..].join(" | ")
}

fn absolute(p: PathBuf) -> PathBuf {
    if p.is_absolute() {
        p
    } else {
        std::env::current_dir().map(|d| d.join(&p)).unwrap_or(p)
    }
}

/// The default base directory when `database.data_dir` is empty: a system directory the `postgres`
/// account can reach when running as root (it cannot enter /root), else the user's data directory.
pub fn default_base_dir() -> PathBuf {
    if crate::sys::is_root() {
        return PathBuf::from("/var/lib/cleanstation");
    }
    if let Some(xdg) = std::env::var_os("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
        return PathBuf::from(xdg).join("cleanstation");
    }
    match std::env::var_os("HOME").filter(|v| !v.is_empty()) {
        Some(home) => PathBuf::from(home).join(".local/share/cleanstation"),
        None => {
            std::env::temp_dir().join(format!("cleanstation-{}", crate::sys::current_user_name()))
        }
    }
}

/// Creates the application database on a running cluster if it does not exist yet.
pub async fn ensure_database(
    cluster: &Cluster,
    name: &str,
) -> Result<bool, crate::error::ServiceError> {
    let (client, conn) =
        tokio_postgres::connect(&cluster.url("postgres"), tokio_postgres::NoTls).await?;
    let handle = tokio::spawn(conn);
    let exists: bool = client
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)",
            &[&name],
        )
        .await?
        .get(0);
    if !exists {
        // CREATE DATABASE takes no bind parameters; the name is quoted as an identifier.
        let sql = format!("CREATE DATABASE \"{}\"", name.replace('"', "\"\""));
        client.batch_execute(&sql).await?;
    }
    drop(client);
    let _ = handle.await;
    Ok(!exists)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_an_installed_server() {
        // The machines this runs on have PostgreSQL >= 15 installed (CI installs it).
        let bins = find_server_binaries().expect("server binaries");
        assert!(bins.major >= MIN_MAJOR);
        assert!(bins.bin_dir.join("initdb").is_file());
    }

    #[test]
    fn no_server_names_the_package_to_install() {
        let err = newest_server_in(vec![PathBuf::from("/nonexistent"), std::env::temp_dir()])
            .expect_err("no server there");
        let text = err.to_string();
        assert!(text.contains("apt-get install postgresql"), "{text}");
        assert_eq!(text.lines().count(), 1, "one line: {text}");
    }

    #[test]
    fn an_unreachable_parent_is_named() {
        let dir = std::env::temp_dir().join(format!("cs-unreach-{}", std::process::id()));
        let closed = dir.join("closed");
        fs::create_dir_all(&closed).expect("dirs");
        fs::set_permissions(&closed, fs::Permissions::from_mode(0o700)).expect("chmod");
        let nobody = crate::sys::Account {
            name: "nobody-here".into(),
            uid: 65_000,
            gid: 65_000,
        };
        let err = check_reachable(&closed.join("cluster"), &nobody).expect_err("closed parent");
        assert!(
            err.to_string().contains(&closed.display().to_string()),
            "{err}"
        );
        assert!(check_reachable(&dir.join("open"), &nobody).is_ok());
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn finds_the_dump_and_restore_programs_and_names_a_missing_one() {
        let bins = find_server_binaries().expect("server binaries");
        for tool in ["pg_dump", "pg_restore"] {
            let (path, major) =
                find_client_tool(tool, bins.major).expect("installed beside the server");
            assert!(
                path.ends_with(tool) && major >= bins.major,
                "{path:?} {major}"
            );
        }
        let err = find_client_tool("pg_dump", 999).expect_err("no such version");
        let text = err.to_string();
        assert!(text.contains("pg_dump (PostgreSQL 999 or newer)"), "{text}");
        assert!(text.contains("apt-get install postgresql-client"), "{text}");
    }

    #[test]
    fn refuses_long_socket_paths() {
        let long = format!("/tmp/{}", "x".repeat(120));
        assert!(matches!(
            Cluster::new(long),
            Err(ClusterError::SocketPathTooLong(_))
        ));
    }
}
