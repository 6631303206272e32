//! `loadtest`: N simulated stations on a plant of their own (docs/performance.md §6). The database is
//! created on the configured server for the run and dropped at its end unless `--keep`.

use super::CliError;
use crate::cluster::Cluster;
use crate::config::Config;
use crate::db;
use crate::error::ServiceError;
use crate::load::{self, Options};
use std::io::Write;
use std::time::Duration;

/// What the operator asked for on the command line.
#[derive(Debug, Clone)]
pub struct LoadArgs {
    pub stations: usize,
    pub duration_s: u64,
    pub rate: f64,
    pub builds: i32,
    /// Connections per station; `None`: 2 when they fit the server's max_connections, else 1.
    pub pool: Option<usize>,
    pub keep: bool,
}

/// Where the load database lives: its name, the owner's and the stations' connections, and the owner's
/// connection to a database that stays (to create and drop it).
struct Target {
    name: String,
    owner: String,
    station: String,
    maintenance: String,
}

/// Runs the harness; the last line printed is the summary, and the result is an error when any
/// request failed or any work was lost (docs/performance.md §6.5).
pub async fn loadtest(config: &Config, args: &LoadArgs) -> Result<String, CliError> {
    if args.stations == 0 || !(args.rate > 0.0 && args.rate <= 100.0) || args.duration_s == 0 {
        return Err(CliError::Usage(
            "--stations and --duration must be at least 1, --rate between 0 and 100".into(),
        ));
    }
    if args.builds < 100 {
        return Err(CliError::Usage("--builds must be at least 100".into()));
    }
    let target = target(config)?;
    let maintenance = db::connect(&target.maintenance, 1, "cleanstation-loadtest").await?;
    let admin = maintenance.get().await.map_err(ServiceError::from)?;
    let pool_size = match args.pool {
        Some(p) => p.clamp(1, 8),
        None => pool_that_fits(&admin, args.stations).await?,
    };
    let quoted = format!("\"{}\"", target.name);
    admin
        .batch_execute(&format!("DROP DATABASE IF EXISTS {quoted} WITH (FORCE)"))
        .await
        .map_err(ServiceError::from)?;
    admin
        .batch_execute(&format!("CREATE DATABASE {quoted}"))
        .await
        .map_err(ServiceError::from)?;
    say(format!(
        "load database {} created{}",
        target.name,
        if args.keep {
            " (kept after the run)"
        } else {
            "; dropped after the run"
        }
    ));
    let outcome = run(&target, args, pool_size).await;
    if !args.keep {
        admin
            .batch_execute(&format!("DROP DATABASE IF EXISTS {quoted} WITH (FORCE)"))
            .await
            .map_err(ServiceError::from)?;
    }
    let outcome = outcome?;
    say(outcome.report);
    let line = outcome.summary.line();
    if outcome.summary.passed() {
        Ok(line)
    } else {
        say(line);
        Err(CliError::Load(format!(
            "{} error(s), {} lost",
            outcome.summary.errors, outcome.summary.lost
        )))
    }
}

async fn run(
    target: &Target,
    args: &LoadArgs,
    pool_size: usize,
) -> Result<load::Outcome, CliError> {
    let owner = db::connect(&target.owner, 2, "cleanstation-loadtest").await?;
    let report = db::migrate::run(&owner).await?;
    if let Some(notice) = report.roles.describe() {
        say(notice);
    }
    let mut progress = say;
    load::load_plant(&owner, &target.station, args.builds, &mut progress).await?;
    let options = Options {
        stations: args.stations,
        duration: Duration::from_secs(args.duration_s),
        rate: args.rate,
        builds: args.builds,
        pool_size,
    };
    let outcome = load::run_stations(&owner, &target.station, &options, &mut progress).await?;
    owner.close();
    Ok(outcome)
}

/// The load database beside the configured one: on the embedded cluster (started when needed) as its
/// superuser and the station role, or on the central server with the owner's and the stations'
/// connection strings pointed at it.
fn target(config: &Config) -> Result<Target, CliError> {
    let name = format!("cleanstation_load_{}", std::process::id());
    if config.uses_embedded_database() {
        let cluster = Cluster::new(config.data_dir())?;
        cluster.ensure_running()?;
        return Ok(Target {
            owner: cluster.url(&name),
            station: cluster.url_as(&name, db::roles::STATION_ROLE),
            maintenance: cluster.url("postgres"),
            name,
        });
    }
    Ok(Target {
        owner: with_database(config.owner_url(), &name),
        station: with_database(&config.database.url, &name),
        maintenance: config.owner_url().to_string(),
        name,
    })
}

/// `url` connecting to database `name` instead: a later `dbname` wins in both forms of connection
/// string.
fn with_database(url: &str, name: &str) -> String {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let sep = if url.contains('?') { '&' } else { '?' };
        format!("{url}{sep}dbname={name}")
    } else {
        format!("{url} dbname={name}")
    }
}

/// Two connections per station (its requests and its sealer) when they fit the server's
/// `max_connections` beside the superuser's reserve and the harness's own, else one
/// (docs/performance.md §6.3); too many stations for one each is refused.
async fn pool_that_fits(
    admin: &impl db::GenericClient,
    stations: usize,
) -> Result<usize, CliError> {
    let row = admin
        .query_one(
            "SELECT current_setting('max_connections')::int AS max, \
                    current_setting('superuser_reserved_connections')::int AS reserved",
            &[],
        )
        .await
        .map_err(ServiceError::from)?;
    let max: i32 = row.get("max");
    let reserved: i32 = row.get("reserved");
    // The harness: its maintenance and owner connections and the plant's station pool.
    let room = usize::try_from(max - reserved - 5).unwrap_or(0);
    if 2 * stations <= room {
        Ok(2)
    } else if stations <= room {
        say(format!(
            "{stations} stations with 2 connections each exceed max_connections={max}; one each"
        ));
        Ok(1)
    } else {
        Err(CliError::Usage(format!(
            "{stations} stations need more connections than max_connections={max} allows \
             (at most {room}); raise max_connections on the server"
        )))
    }
}

/// One progress line on stdout, now (the run takes a while); data reaches the terminal escaped.
fn say(line: String) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{}", crate::text::for_terminal(&line));
    let _ = out.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_load_database_replaces_the_configured_one() {
        assert_eq!(
            with_database("host=db user=app dbname=plant", "x"),
            "host=db user=app dbname=plant dbname=x"
        );
        assert_eq!(
            with_database("postgresql://app@db/plant", "x"),
            "postgresql://app@db/plant?dbname=x"
        );
        assert_eq!(
            with_database("postgres://app@db/plant?sslmode=disable", "x"),
            "postgres://app@db/plant?sslmode=disable&dbname=x"
        );
        for url in [
            "host=db user=app dbname=plant dbname=x",
            "postgresql://app@db/plant?dbname=x",
        ] {
            let parsed: tokio_postgres::Config = url.parse().expect("valid");
            assert_eq!(parsed.get_dbname(), Some("x"), "{url}");
        }
    }
}
