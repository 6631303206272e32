//! Running PostgreSQL's own `pg_dump` and `pg_restore` (docs/backup.md §1.3, §2.3). The connection
//! goes to them in libpq's environment variables, never on their command line, where every user of
//! the machine could read a password.

use std::path::Path;
use tokio_postgres::config::{Host, SslMode};

/// The libpq environment (`PGHOST`, `PGPORT`, `PGUSER`, `PGDATABASE`, `PGPASSWORD`, …) that reaches the
/// database of the connection string `url`.
pub fn libpq_env(url: &str) -> Result<Vec<(&'static str, String)>, String> {
    let config: tokio_postgres::Config = url
        .parse()
        .map_err(|e| format!("the database connection string cannot be read: {e}"))?;
    let mut env = Vec::new();
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .map(|h| match h {
            Host::Tcp(name) => name.clone(),
            Host::Unix(path) => path.display().to_string(),
        })
        .collect();
    if !hosts.is_empty() {
        env.push(("PGHOST", hosts.join(",")));
    }
    let ports: Vec<String> = config.get_ports().iter().map(u16::to_string).collect();
    if !ports.is_empty() {
        env.push(("PGPORT", ports.join(",")));
    }
    if let Some(user) = config.get_user() {
        env.push(("PGUSER", user.to_string()));
    }
    if let Some(db) = config.get_dbname() {
        env.push(("PGDATABASE", db.to_string()));
    }
    if let Some(password) = config.get_password() {
        env.push(("PGPASSWORD", String::from_utf8_lossy(password).into_owned()));
    }
    if let Some(options) = config.get_options() {
        env.push(("PGOPTIONS", options.to_string()));
    }
    if let Some(timeout) = config.get_connect_timeout() {
        env.push(("PGCONNECT_TIMEOUT", timeout.as_secs().max(2).to_string()));
    }
    let sslmode = match config.get_ssl_mode() {
        SslMode::Disable => "disable",
        SslMode::Require => "require",
        _ => "prefer",
    };
    env.push(("PGSSLMODE", sslmode.to_string()));
    env.push(("PGAPPNAME", "cleanstation/backup".to_string()));
    Ok(env)
}

/// The `--dbname` argument naming `database` alone, as a connection string (so that no name, whatever
/// it holds, is read as one); everything else comes from [`libpq_env`].
pub fn dbname_arg(database: &str) -> String {
    format!(
        "--dbname=dbname='{}'",
        database.replace('\\', "\\\\").replace('\'', "\\'")
    )
}

/// Runs `program` with `args` against the database of `url`; its error output's last lines when it
/// fails: `pg_dump failed: … No space left on device`.
pub async fn run(program: &Path, args: &[String], url: &str) -> Result<(), String> {
    let name = program.file_name().map_or_else(
        || program.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let output = tokio::process::Command::new(program)
        .args(args)
        // Only what the connection string says: no service file or variables of the caller's shell.
        .env_remove("PGSERVICE")
        .envs(libpq_env(url)?)
        .stdin(std::process::Stdio::null())
        .output()
        .await
        .map_err(|e| format!("{name} could not be started ({}): {e}", program.display()))?;
    if output.status.success() {
        return Ok(());
    }
    let text = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let tail = lines[lines.len().saturating_sub(4)..].join(" | ");
    Err(if tail.is_empty() {
        format!("{name} failed ({})", output.status)
    } else {
        format!("{name} failed: {tail}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(env: &[(&'static str, String)], key: &str) -> Option<String> {
        env.iter().find(|(k, _)| *k == key).map(|(_, v)| v.clone())
    }

    #[test]
    fn the_database_is_named_as_a_quoted_connection_string() {
        assert_eq!(dbname_arg("cleanstation"), "--dbname=dbname='cleanstation'");
        assert_eq!(dbname_arg(r"it's\x=1"), r"--dbname=dbname='it\'s\\x=1'");
    }

    #[test]
    fn a_key_value_string_and_a_url_become_libpq_variables() {
        let env = libpq_env("host=/tmp/cs/run port=5432 user=cleanstation dbname=cleanstation")
            .expect("parsed");
        assert_eq!(value(&env, "PGHOST").as_deref(), Some("/tmp/cs/run"));
        assert_eq!(value(&env, "PGPORT").as_deref(), Some("5432"));
        assert_eq!(value(&env, "PGUSER").as_deref(), Some("cleanstation"));
        assert_eq!(value(&env, "PGDATABASE").as_deref(), Some("cleanstation"));
        assert_eq!(value(&env, "PGPASSWORD"), None);

        let env = libpq_env("postgresql://owner:s3cret@db.plant.local:6432/plant?sslmode=require")
            .expect("parsed");
        assert_eq!(value(&env, "PGHOST").as_deref(), Some("db.plant.local"));
        assert_eq!(value(&env, "PGPORT").as_deref(), Some("6432"));
        assert_eq!(value(&env, "PGUSER").as_deref(), Some("owner"));
        assert_eq!(value(&env, "PGDATABASE").as_deref(), Some("plant"));
        assert_eq!(value(&env, "PGPASSWORD").as_deref(), Some("s3cret"));
        assert_eq!(value(&env, "PGSSLMODE").as_deref(), Some("require"));

        let err = libpq_env("port=notanumber").expect_err("not a port");
        assert!(
            err.starts_with("the database connection string cannot be read"),
            "{err}"
        );
    }
}
