//! The terminal application: a station's start-up, the event loop, and the seal on the way out.

use super::CliError;
use super::startup::{policy, prepare, seal_before_exit};
use crate::config::{Config, ThemeChoice};
use crate::db;
use crate::service::ServiceCtx;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The first-start notice shown on the login screen.
pub const FIRST_START_BANNER: &str = "First start: demo data loaded. Log in as coordinator, admin, procurement, inspector, assembler or service; password demo-password";

/// Runs the terminal application.
pub async fn run_app(config: Config) -> Result<(), CliError> {
    use std::io::IsTerminal;
    let started = Instant::now();
    // Checked first, so that a mistaken scripted call leaves no cluster started for nothing.
    if !(std::io::stdin().is_terminal() && std::io::stdout().is_terminal()) {
        return Err(CliError::Usage(
            "the application needs an interactive terminal; for scripts use the commands in --help"
                .into(),
        ));
    }
    let prepared = prepare(
        &config,
        &format!("cleanstation/{}", config.station_name()),
        true,
    )
    .await?;
    let ctx = Arc::new(ServiceCtx {
        pool: prepared.pool.clone(),
        policy: policy(&config),
        agent: format!("station:{}", config.station_name()),
        read_pool: super::reports::reporting_pool(
            &config,
            &format!("cleanstation/{}/reports", config.station_name()),
        )?,
    });
    let no_color = std::env::var("NO_COLOR").is_ok_and(|v| !v.is_empty());
    let theme = match (config.ui.theme, no_color) {
        (ThemeChoice::Mono, _) | (ThemeChoice::Auto, true) => crate::theme::Theme::mono(),
        _ => crate::theme::Theme::ansi(),
    };
    let banner = match (prepared.seeded_now, &prepared.notice) {
        (true, _) => Some(FIRST_START_BANNER.to_string()),
        (false, notice) => notice.clone(),
    };
    let app = crate::app::App::new(crate::app::AppInit {
        station: config.station_name(),
        theme,
        idle_lock: Duration::from_secs(u64::from(config.session.idle_lock_minutes) * 60),
        heartbeat: Duration::from_secs(30),
        banner,
        database: prepared.label.clone(),
    });
    let sealer = tokio::spawn(db::audit::run_sealer(prepared.pool.clone()));
    // One LISTEN connection for the whole station (docs/live.md §2.1).
    let (live_tx, live_rx) = tokio::sync::mpsc::unbounded_channel();
    let listener = crate::live::spawn(
        &prepared.station_url,
        &format!("cleanstation/{}", config.station_name()),
        live_tx,
    )?;
    let mut terminal = crate::terminal::init()?;
    tracing::info!(
        elapsed_ms = started.elapsed().as_millis() as u64,
        station = %config.station_name(),
        "login screen ready"
    );
    let jobs = crate::runtime::Jobs {
        ctx,
        request_timeout: Duration::from_secs(u64::from(config.database.request_timeout_seconds)),
        live: Some(live_rx),
    };
    let result = crate::runtime::run(app, &mut terminal, jobs).await;
    crate::terminal::restore();
    listener.abort();
    sealer.abort();
    seal_before_exit(&prepared.pool).await;
    result?;
    Ok(())
}
