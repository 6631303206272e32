//! The connection pool, built from the configured URL.
//!
//! Passwords stay out of config.toml: as with libpq, a connection string without one takes
//! `$PGPASSWORD`, then the matching line of `$PGPASSFILE` (default `~/.pgpass`).

use crate::db::Client;
use crate::error::{Result, ServiceError};
use deadpool_postgres::{ManagerConfig, Pool, RecyclingMethod, Runtime};
use std::path::PathBuf;
use tokio_postgres::NoTls;
use tokio_postgres::config::Host;

/// Every call of a cached statement gets a plan for its own parameter values: the queue's optional
/// filters and keyset bounds fold away only then (docs/performance.md §4.2).
const CUSTOM_PLANS: &str = "-c plan_cache_mode=force_custom_plan";

/// The connection settings for `url` (a libpq key/value string or a postgresql:// URL), as every
/// connection of this station makes them: the pool's and the live-events listener's.
pub fn config(url: &str, application_name: &str) -> Result<tokio_postgres::Config> {
    let mut pg: tokio_postgres::Config = url.parse().map_err(|e| {
        ServiceError::Invalid(format!(
            "database.url is not a valid connection string: {e}"
        ))
    })?;
    pg.application_name(application_name);
    pg.connect_timeout(std::time::Duration::from_secs(10));
    // Statements are prepared once per connection and kept (docs/performance.md §4.1); each call is
    // still planned for its own values, as an unnamed statement was (§4.2).
    let options = match pg.get_options() {
        Some(given) if !given.trim().is_empty() => format!("{given} {CUSTOM_PLANS}"),
        _ => CUSTOM_PLANS.to_string(),
    };
    pg.options(&options);
    if pg.get_password().is_none()
        && let Some(pw) = password_from_environment(&pg)
    {
        pg.password(pw);
    }
    Ok(pg)
}

/// Builds a pool for `url` and checks one connection.
pub async fn connect(url: &str, pool_size: usize, application_name: &str) -> Result<Pool> {
    let pool = build(url, pool_size, application_name)?;
    let client = pool.get().await?;
    // The check also learns the plant's zone abbreviation, which local times are shown with
    // (docs/lifecycle.md §6.9).
    let zone = client
        .fetch_one(r#"SELECT to_char(now(), 'TZ') AS "zone""#, &[])
        .await?;
    if let Some(zone) = crate::db::row::RowExt::col::<Option<String>>(&zone, "zone")? {
        crate::domain::clock::set_plant_zone(&zone);
    }
    drop(client);
    Ok(pool)
}

/// The same pool as [`connect`] builds, connecting only when a connection is first asked for: a
/// station starts even while the server behind `url` is away (docs/reports.md §4.1).
pub fn build(url: &str, pool_size: usize, application_name: &str) -> Result<Pool> {
    let pg = config(url, application_name)?;
    let mgr = deadpool_postgres::Manager::from_config(
        pg,
        NoTls,
        ManagerConfig {
            // A returned connection is only checked for being open: nothing is reset, so its
            // statement cache stays valid (docs/performance.md §4.4).
            recycling_method: RecyclingMethod::Fast,
        },
    );
    Pool::builder(mgr)
        .max_size(pool_size.max(1))
        .runtime(Runtime::Tokio1)
        .wait_timeout(Some(std::time::Duration::from_secs(15)))
        .create_timeout(Some(std::time::Duration::from_secs(10)))
        .build()
        .map_err(|e| ServiceError::Unavailable(e.to_string()))
}

fn password_from_environment(pg: &tokio_postgres::Config) -> Option<String> {
    if let Some(pw) = std::env::var("PGPASSWORD").ok().filter(|p| !p.is_empty()) {
        return Some(pw);
    }
    let file = std::env::var_os("PGPASSFILE")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".pgpass")))?;
    let meta = std::fs::metadata(&file).ok()?;
    // libpq ignores a password file that others can read; so do we.
    if std::os::unix::fs::PermissionsExt::mode(&meta.permissions()) & 0o077 != 0 {
        tracing::warn!(file = %file.display(), "password file ignored: permissions must be 0600 or less");
        return None;
    }
    let text = std::fs::read_to_string(&file).ok()?;
    let host = match pg.get_hosts().first() {
        Some(Host::Tcp(h)) => h.clone(),
        // libpq matches a socket directory as "localhost".
        _ => "localhost".to_string(),
    };
    let port = pg.get_ports().first().copied().unwrap_or(5432).to_string();
    let user = pg.get_user().unwrap_or_default();
    let dbname = pg.get_dbname().unwrap_or(user);
    pgpass_lookup(&text, [host.as_str(), port.as_str(), dbname, user])
}

/// The password of the first line of a .pgpass text whose four fields match (`*` matches anything).
fn pgpass_lookup(text: &str, wanted: [&str; 4]) -> Option<String> {
    for line in text.lines() {
        if line.trim_start().starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields = split_pgpass_line(line);
        if fields.len() < 5 {
            continue;
        }
        if fields
            .iter()
            .zip(wanted)
            .all(|(field, want)| field == "*" || field == want)
        {
            return Some(fields[4..].join(":"));
        }
    }
    None
}

/// Splits on unescaped `:`; `\:` and `\\` stand for `:` and `\`.
fn split_pgpass_line(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let (Some(next), Some(last)) = (chars.next(), fields.last_mut()) {
                    last.push(next);
                }
            }
            ':' => fields.push(String::new()),
            c => {
                if let Some(last) = fields.last_mut() {
                    last.push(c);
                }
            }
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::pgpass_lookup;

    #[test]
    fn pgpass_matching() {
        let text = "# comment\nother:5432:*:cleanstation:nope\ndb.plant:5432:cleanstation:cleanstation:s3cr\\:et\n*:*:*:*:fallback\n";
        assert_eq!(
            pgpass_lookup(text, ["db.plant", "5432", "cleanstation", "cleanstation"]).as_deref(),
            Some("s3cr:et")
        );
        assert_eq!(
            pgpass_lookup(text, ["elsewhere", "5433", "x", "y"]).as_deref(),
            Some("fallback")
        );
        assert_eq!(pgpass_lookup("a:b:c:d:e\n", ["x", "b", "c", "d"]), None);
    }
}
