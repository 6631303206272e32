//! What each command-line verb does. `main.rs` only parses arguments and calls these.

pub mod bom;
pub mod checklist;
pub mod qc;
pub mod service_orders;

use crate::cluster::{self, Cluster, Status};
use crate::config::{Config, Source, ThemeChoice};
use crate::db::{self, Actor, DbError};
use crate::domain::Role;
use crate::domain::user::NewUser;
use crate::service::{self, SecurityPolicy, ServiceCtx};
use deadpool_postgres::Pool;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};
use thiserror::Error;

/// A command's failure: one line for the operator.
#[derive(Debug, Error)]
pub enum CliError {
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error(transparent)]
    Cluster(#[from] cluster::ClusterError),
    #[error("{}", .0.user_message_detailed())]
    Db(#[from] DbError),
    #[error("{0}")]
    Import(String),
    #[error("{0}")]
    Usage(String),
    #[error("terminal: {0}")]
    Terminal(#[from] std::io::Error),
    /// The input, the login or the role was refused and nothing was written (exit status 2).
    #[error("{0}")]
    Refused(String),
}

/// A ready database: pool connected, schema current.
pub struct Prepared {
    pub pool: Pool,
    /// Demo data was loaded because this was the first start of the embedded cluster.
    pub seeded_now: bool,
    /// Short label for the status bar.
    pub label: String,
    pub migrated: Vec<String>,
}

/// Connects to the configured database (starting the embedded cluster when no URL is set) and applies
/// the pending migrations under the advisory lock.
pub async fn prepare(
    config: &Config,
    application: &str,
    seed_if_empty: bool,
) -> Result<Prepared, CliError> {
    let (url, label, embedded) = if config.uses_embedded_database() {
        let cluster = Cluster::new(config.data_dir())?;
        let started = cluster.ensure_running()?;
        if started.initialized {
            tracing::info!(base = %cluster.base.display(), "created the embedded database cluster");
        }
        cluster::ensure_database(&cluster, cluster::DATABASE).await?;
        (cluster.url(cluster::DATABASE), "embedded".to_string(), true)
    } else {
        (
            config.database.url.clone(),
            describe_url(&config.database.url),
            false,
        )
    };
    let pool = db::connect(&url, config.database.pool_size as usize, application).await?;
    let report = db::migrate::run(&pool).await?;
    if !report.applied.is_empty() {
        tracing::info!(applied = ?report.applied, version = report.version, "schema migrated");
    }
    let mut seeded_now = false;
    // Only the private cluster seeds itself: a central server is set up deliberately (README).
    if embedded && seed_if_empty && service::users::count_users(&pool).await? == 0 {
        let actor = Actor::system("first start");
        service::seed::seed_demo(&pool, &actor)
            .await
            .map_err(|e| CliError::Import(e.to_string()))?;
        seeded_now = true;
    }
    Ok(Prepared {
        pool,
        seeded_now,
        label,
        migrated: report.applied,
    })
}

/// "db.plant.local" from a connection string, without user or password.
fn describe_url(url: &str) -> String {
    match url.parse::<tokio_postgres::Config>() {
        Ok(c) => c
            .get_hosts()
            .first()
            .map(|h| match h {
                tokio_postgres::config::Host::Tcp(name) => name.clone(),
                tokio_postgres::config::Host::Unix(path) => path.display().to_string(),
            })
            .unwrap_or_else(|| "database".into()),
        Err(_) => "database".into(),
    }
}

fn cli_actor(verb: &str) -> Actor {
    Actor::system(format!(
        "cli:{verb} ({}@{})",
        crate::sys::current_user_name(),
        crate::sys::host_name()
    ))
}

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
        policy: SecurityPolicy {
            max_failed_logins: config.security.max_failed_logins,
            lockout_minutes: config.security.lockout_minutes,
            session_ttl_hours: config.session.ttl_hours,
        },
        agent: format!("station:{}", config.station_name()),
    });
    let no_color = std::env::var("NO_COLOR").is_ok_and(|v| !v.is_empty());
    let theme = match (config.ui.theme, no_color) {
        (ThemeChoice::Mono, _) | (ThemeChoice::Auto, true) => crate::theme::Theme::mono(),
        _ => crate::theme::Theme::ansi(),
    };
    let app = crate::app::App::new(crate::app::AppInit {
        station: config.station_name(),
        theme,
        idle_lock: Duration::from_secs(u64::from(config.session.idle_lock_minutes) * 60),
        heartbeat: Duration::from_secs(30),
        banner: prepared.seeded_now.then(|| FIRST_START_BANNER.to_string()),
        database: prepared.label.clone(),
    });
    let mut terminal = crate::terminal::init()?;
    tracing::info!(
        elapsed_ms = started.elapsed().as_millis() as u64,
        station = %config.station_name(),
        "login screen ready"
    );
    let result = crate::runtime::run(app, &mut terminal, ctx).await;
    crate::terminal::restore();
    result?;
    Ok(())
}

pub async fn migrate(config: &Config) -> Result<String, CliError> {
    let prepared = prepare(config, "cleanstation/migrate", false).await?;
    let version = {
        let client = prepared.pool.get().await.map_err(DbError::from)?;
        db::migrate::current_version(&client).await?
    };
    Ok(if prepared.migrated.is_empty() {
        format!("Schema is current (version {version}).")
    } else {
        format!(
            "Applied {} migration(s): {}. Schema is now version {version}.",
            prepared.migrated.len(),
            prepared.migrated.join(", ")
        )
    })
}

pub async fn seed_demo(config: &Config) -> Result<String, CliError> {
    let prepared = prepare(config, "cleanstation/seed", false).await?;
    let report = service::seed::seed_demo(&prepared.pool, &cli_actor("seed --demo"))
        .await
        .map_err(|e| CliError::Import(e.to_string()))?;
    Ok(report.to_string())
}

pub async fn catalog_import(config: &Config, dir: &Path) -> Result<String, CliError> {
    let prepared = prepare(config, "cleanstation/catalog", false).await?;
    let report =
        service::catalog::import_catalog_dir(&prepared.pool, &cli_actor("catalog import"), dir)
            .await
            .map_err(|e| CliError::Import(e.to_string()))?;
    Ok(report.to_string())
}

pub async fn templates_import(config: &Config, file: &Path) -> Result<String, CliError> {
    let prepared = prepare(config, "cleanstation/templates", false).await?;
    let report = service::catalog::import_templates_file(
        &prepared.pool,
        &cli_actor("templates import"),
        file,
    )
    .await
    .map_err(|e| CliError::Import(e.to_string()))?;
    Ok(report.to_string())
}

pub struct UserAdd {
    pub username: String,
    pub role: String,
    pub full_name: String,
    pub initials: String,
    pub must_change: bool,
}

pub async fn user_add(config: &Config, args: UserAdd) -> Result<String, CliError> {
    let role = Role::parse(&args.role).ok_or_else(|| {
        CliError::Usage(format!(
            "Unknown role {}; use one of: {}",
            args.role,
            Role::ALL.map(Role::code).join(", ")
        ))
    })?;
    let password = read_new_password()?;
    let new = NewUser {
        username: args.username,
        full_name: args.full_name,
        initials: args.initials,
        role,
        password,
        must_change_password: args.must_change,
    }
    .validated()
    .map_err(CliError::Usage)?;
    let prepared = prepare(config, "cleanstation/user", false).await?;
    let user = service::users::add_user(&prepared.pool, &cli_actor("user add"), new).await?;
    Ok(format!(
        "Created {} ({}, {}).",
        user.username, user.full_name, user.role
    ))
}

pub async fn user_passwd(config: &Config, username: &str) -> Result<String, CliError> {
    let password = read_new_password()?;
    crate::domain::user::validate_password(&password).map_err(CliError::Usage)?;
    let prepared = prepare(config, "cleanstation/user", false).await?;
    service::users::set_password(
        &prepared.pool,
        &cli_actor("user passwd"),
        username,
        &password,
        false,
    )
    .await?;
    Ok(format!(
        "Password of {username} changed; the lockout is cleared and their sessions ended."
    ))
}

pub async fn user_set_active(
    config: &Config,
    username: &str,
    active: bool,
) -> Result<String, CliError> {
    let prepared = prepare(config, "cleanstation/user", false).await?;
    let verb = if active {
        "user activate"
    } else {
        "user deactivate"
    };
    service::users::set_active(&prepared.pool, &cli_actor(verb), username, active).await?;
    Ok(if active {
        format!("{username} is active again.")
    } else {
        format!("{username} is deactivated; their sessions ended.")
    })
}

/// Reads a new password: `$CLEANSTATION_PASSWORD` for scripts, else asked twice on the terminal.
fn read_new_password() -> Result<String, CliError> {
    if let Ok(pw) = std::env::var("CLEANSTATION_PASSWORD") {
        return Ok(pw);
    }
    let first = crate::prompt::read_password("New password: ")?.ok_or_else(|| {
        CliError::Usage("No terminal to ask for the password; set CLEANSTATION_PASSWORD".into())
    })?;
    crate::domain::user::validate_password(&first).map_err(CliError::Usage)?;
    let second = crate::prompt::read_password("Repeat it: ")?.unwrap_or_default();
    if first != second {
        return Err(CliError::Usage(
            "The passwords differ; nothing was changed".into(),
        ));
    }
    Ok(first)
}

pub fn db_status(config: &Config) -> Result<String, CliError> {
    if !config.uses_embedded_database() {
        return Ok(format!(
            "Using the database at {} (database.url); no embedded cluster is managed.",
            describe_url(&config.database.url)
        ));
    }
    let cluster = Cluster::new(config.data_dir())?;
    let state = match cluster.status()? {
        Status::NotInitialized => "not created yet (it is created at the first start)".to_string(),
        Status::Stopped => "stopped".to_string(),
        Status::Running { pid: Some(pid) } => format!("running (pid {pid})"),
        Status::Running { pid: None } => "running".to_string(),
    };
    Ok(format!(
        "Embedded cluster at {}: {state}\nPostgreSQL {} from {}\nSocket directory: {}\nServer log: {}",
        cluster.base.display(),
        cluster.bins.major,
        cluster.bins.bin_dir.display(),
        cluster.socket_dir().display(),
        cluster.log_file().display()
    ))
}

pub fn db_stop(config: &Config) -> Result<String, CliError> {
    if !config.uses_embedded_database() {
        return Err(CliError::Usage(
            "database.url is set: the central server is not managed by cleanstation".into(),
        ));
    }
    let cluster = Cluster::new(config.data_dir())?;
    Ok(if cluster.stop()? {
        format!(
            "Stopped the embedded cluster at {}.",
            cluster.base.display()
        )
    } else {
        format!(
            "The embedded cluster at {} was not running.",
            cluster.base.display()
        )
    })
}

/// Validates a configuration file (or the one the lookup order finds).
pub fn check_config(path: Option<&Path>) -> Result<String, CliError> {
    let (config, source) = Config::load(path)?;
    let db = if config.uses_embedded_database() {
        format!("embedded cluster under {}", config.data_dir().display())
    } else {
        describe_url(&config.database.url)
    };
    let origin = match source {
        Source::File(p) => p.display().to_string(),
        Source::Embedded => "built-in defaults".into(),
    };
    Ok(format!(
        "{origin}: valid. Station {}, database: {db}, logs in {}.",
        config.station_name(),
        config.log_dir().display()
    ))
}

// ------------------------------------------------------------------------------------------------
// `order`: the same use-cases as the order screens, after a login as a named user
// ------------------------------------------------------------------------------------------------

/// The exit status of a refused command (input, login, role or rule); nothing was written.
pub const EXIT_REFUSED: u8 = 2;

/// A logged-in command-line session, ended again by [`OrderSession::finish`].
struct OrderSession {
    ctx: ServiceCtx,
    token: String,
    user: crate::domain::user::UserSummary,
}

/// Service refusals become [`CliError::Refused`]; database trouble stays a failure.
fn refused_or_failed(e: DbError) -> CliError {
    match e {
        DbError::Invalid(m)
        | DbError::Forbidden(m)
        | DbError::Conflict(m)
        | DbError::SessionEnded(m) => CliError::Refused(m),
        DbError::NotFound(_) => CliError::Refused(e.to_string()),
        other => CliError::Db(other),
    }
}

async fn order_request(
    ctx: &ServiceCtx,
    kind: crate::msg::Request,
) -> Result<crate::msg::Reply, DbError> {
    service::dispatch(
        ctx,
        crate::msg::DbRequest {
            id: crate::msg::RequestId(0),
            kind,
        },
    )
    .await
    .result
}

/// The password of `username`: `$CLEANSTATION_PASSWORD` for scripts, else asked on the terminal.
fn read_login_password(username: &str) -> Result<String, CliError> {
    if let Ok(pw) = std::env::var("CLEANSTATION_PASSWORD") {
        return Ok(pw);
    }
    crate::prompt::read_password(&format!("Password for {username}: "))?.ok_or_else(|| {
        CliError::Usage("No terminal to ask for the password; set CLEANSTATION_PASSWORD".into())
    })
}

impl OrderSession {
    /// Logs in through the service, exactly as a station does (lockout and audit included).
    async fn open(config: &Config, username: &str, verb: &str) -> Result<OrderSession, CliError> {
        let password = read_login_password(username)?;
        let prepared = prepare(config, "cleanstation/order", false).await?;
        let ctx = ServiceCtx {
            pool: prepared.pool,
            policy: SecurityPolicy {
                max_failed_logins: config.security.max_failed_logins,
                lockout_minutes: config.security.lockout_minutes,
                session_ttl_hours: config.session.ttl_hours,
            },
            agent: cli_actor(verb).agent,
        };
        let reply = order_request(
            &ctx,
            crate::msg::Request::Login {
                username: username.to_string(),
                password,
            },
        )
        .await
        .map_err(refused_or_failed)?;
        let crate::msg::Reply::LoggedIn(session) = reply else {
            return Err(CliError::Usage("unexpected reply to the login".into()));
        };
        Ok(OrderSession {
            ctx,
            token: session.token,
            user: session.user,
        })
    }

    async fn send(&self, kind: crate::msg::Request) -> Result<crate::msg::Reply, CliError> {
        order_request(&self.ctx, kind)
            .await
            .map_err(refused_or_failed)
    }

    /// Ends the session whatever the outcome, and passes the outcome on.
    async fn finish<T>(self, outcome: Result<T, CliError>) -> Result<T, CliError> {
        let ended = order_request(
            &self.ctx,
            crate::msg::Request::Logout {
                token: self.token.clone(),
            },
        )
        .await;
        if let Err(e) = ended {
            tracing::warn!(error = %e, "command-line logout failed");
        }
        outcome
    }
}

/// `poNumber: message` or `Build B-1, sinkLength: message`.
fn field_error_line(e: &crate::domain::order_rules::FieldError) -> String {
    match &e.build {
        Some(b) => format!("Build {b}, {}: {}", e.field, e.message),
        None => format!("{}: {}", e.field, e.message),
    }
}

/// Why an order document cannot be previewed as a whole, or `None`.
pub(crate) fn empty_order(order: &crate::domain::order::NewOrder) -> Option<String> {
    order
        .builds
        .is_empty()
        .then(|| "invalid configuration: the order document has no builds".to_string())
}

/// One line per rule of the wizard that `build` breaks; empty when it is valid. The headless previews
/// report every problem of every build together, in build order, and then print nothing.
pub(crate) fn build_problems(build: &crate::domain::order::BuildConfig) -> Vec<String> {
    let number = build.build_number.trim();
    crate::domain::order_rules::validate_build(build)
        .iter()
        .map(|e| {
            format!(
                "Build {number}: invalid configuration: {}: {}",
                e.field, e.message
            )
        })
        .collect()
}

/// Parses an `order import` file (the schema's field names; unknown keys are refused).
pub fn read_order_file(file: &Path) -> Result<crate::domain::order::NewOrder, CliError> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| CliError::Refused(format!("Cannot read file {}: {e}", file.display())))?;
    let doc: crate::domain::order::OrderDocument = serde_json::from_str(&text)
        .map_err(|e| CliError::Refused(format!("{}: {e}", file.display())))?;
    Ok(doc.into())
}

/// `cleanstation order import FILE --as USERNAME`: creates the PO through the wizard's own use-case.
pub async fn order_import(
    config: &Config,
    file: &Path,
    username: &str,
) -> Result<String, CliError> {
    let order = read_order_file(file)?;
    let session = OrderSession::open(config, username, "order import").await?;
    let outcome = import_as(&session, order).await;
    session.finish(outcome).await
}

async fn import_as(
    session: &OrderSession,
    order: crate::domain::order::NewOrder,
) -> Result<String, CliError> {
    // Field-level errors first, naming build and field; the service checks everything again.
    if matches!(session.user.role, Role::ProductionCoordinator | Role::Admin) {
        let today = {
            let client = session.ctx.pool.get().await.map_err(DbError::from)?;
            db::orders::today(&client).await?
        };
        let errors = crate::domain::order_rules::validate_order(&order, today);
        if !errors.is_empty() {
            let lines: Vec<String> = errors.iter().map(field_error_line).collect();
            return Err(CliError::Refused(lines.join("\n")));
        }
    }
    let reply = session
        .send(crate::msg::Request::CreateOrder {
            token: session.token.clone(),
            order: Box::new(order),
        })
        .await?;
    let crate::msg::Reply::OrderCreated(created) = reply else {
        return Err(CliError::Usage("unexpected reply to the order".into()));
    };
    let numbers: Vec<&str> = created.builds.iter().map(|(_, b)| b.as_str()).collect();
    Ok(format!(
        "Created PO {} with {} build(s): {}",
        created.po_number,
        numbers.len(),
        numbers.join(", ")
    ))
}

/// Every build of the queue (all statuses unless `status`), oldest want date first.
async fn all_rows(
    session: &OrderSession,
    status: Option<crate::domain::order::OrderStatus>,
    search: &str,
) -> Result<Vec<crate::domain::order::OrderRow>, CliError> {
    use crate::domain::order::{OrderQuery, QueueView};
    let mut query = OrderQuery {
        view: QueueView::All,
        search: search.to_string(),
        status,
        limit: 500,
        ..OrderQuery::default()
    };
    let mut rows = Vec::new();
    loop {
        let reply = session
            .send(crate::msg::Request::ListOrders {
                token: session.token.clone(),
                query: Box::new(query.clone()),
            })
            .await?;
        let crate::msg::Reply::Orders(page) = reply else {
            return Err(CliError::Usage("unexpected reply to the list".into()));
        };
        rows.extend(page.rows);
        match page.next {
            Some(next) => query.after = Some(next),
            None => return Ok(rows),
        }
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, CliError> {
    serde_json::to_string_pretty(value).map_err(|e| CliError::Usage(e.to_string()))
}

/// A plain table, each column as wide as its widest cell.
fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<String>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        padded.join("  ").trim_end().to_string()
    };
    let mut out = vec![line(header.iter().map(|h| h.to_string()).collect())];
    out.extend(rows.iter().map(|r| line(r.clone())));
    out.join("\n")
}

/// `cleanstation order list [--status S] [--json] --as USERNAME`.
pub async fn order_list(
    config: &Config,
    username: &str,
    status: Option<&str>,
    json: bool,
) -> Result<String, CliError> {
    use crate::domain::order::OrderStatus;
    let status = match status {
        Some(s) => Some(OrderStatus::parse(s).ok_or_else(|| {
            CliError::Refused(format!(
                "Unknown status {s}; use one of: {}",
                OrderStatus::ALL
                    .iter()
                    .map(|s| s.code())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?),
        None => None,
    };
    let session = OrderSession::open(config, username, "order list").await?;
    let outcome = all_rows(&session, status, "").await;
    let rows = session.finish(outcome).await?;
    if json {
        return to_json(&rows);
    }
    if rows.is_empty() {
        return Ok("No builds.".into());
    }
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.po_number.clone(),
                r.build_number.clone(),
                r.customer_name.clone(),
                r.sink_model.clone(),
                r.status.code().to_string(),
                r.want_date.to_string(),
                r.days_left.to_string(),
                r.assignee.clone().unwrap_or_default(),
            ]
        })
        .collect();
    Ok(table(
        &[
            "PO", "BUILD", "CUSTOMER", "MODEL", "STATUS", "WANT", "DAYS", "ASSIGNEE",
        ],
        &cells,
    ))
}

/// `cleanstation order show BUILD [--json] --as USERNAME`.
pub async fn order_show(
    config: &Config,
    username: &str,
    build: &str,
    json: bool,
) -> Result<String, CliError> {
    let session = OrderSession::open(config, username, "order show").await?;
    let outcome = show_as(&session, build.trim()).await;
    let detail = session.finish(outcome).await?;
    if json {
        to_json(&detail)
    } else {
        Ok(describe_order(&detail))
    }
}

async fn show_as(
    session: &OrderSession,
    build: &str,
) -> Result<crate::domain::order::OrderDetail, CliError> {
    // Found through the queue's search, so the role checks are the service's.
    let rows = all_rows(session, None, build).await?;
    let id = rows
        .iter()
        .find(|r| r.build_number.eq_ignore_ascii_case(build))
        .map(|r| r.id)
        .ok_or_else(|| CliError::Refused(format!("Build {build} not found")))?;
    let reply = session
        .send(crate::msg::Request::OrderDetail {
            token: session.token.clone(),
            order_id: id,
        })
        .await?;
    match reply {
        crate::msg::Reply::Order(d) => Ok(*d),
        _ => Err(CliError::Usage("unexpected reply to the order".into())),
    }
}

/// The order detail as text.
fn describe_order(d: &crate::domain::order::OrderDetail) -> String {
    let h = &d.header;
    let b = &d.build;
    let mut out = vec![
        format!(
            "Build {} (PO {})  {}  assignee: {}",
            b.build_number,
            h.po_number,
            d.status,
            d.assignee.as_ref().map_or("none", |(_, n)| n.as_str())
        ),
        format!(
            "Customer: {}  project: {}  sales: {}  want date: {}  language: {}",
            h.customer_name,
            h.project_name.as_deref().unwrap_or("-"),
            h.sales_person,
            h.want_date,
            h.order_language
        ),
        format!(
            "Sink: {} {} {}x{} in, {} {}, {}, {}",
            b.sink_family,
            b.sink_model,
            b.sink_width,
            b.sink_length,
            b.legs_type,
            b.legs_model,
            b.feet_type,
            b.workflow_direction
        ),
    ];
    if b.has_pegboard {
        out.push(format!(
            "Pegboard: {} {} {}{}",
            b.pegboard_color.map_or("-", |c| c.code()),
            b.pegboard_type.map_or("-", |t| t.code()),
            b.pegboard_size_type.map_or("-", |s| s.code()),
            match (b.pegboard_width, b.pegboard_length) {
                (Some(w), Some(l)) => format!(" {w}x{l} in"),
                _ => String::new(),
            }
        ));
    }
    for basin in &b.basins {
        let mut extras = Vec::new();
        if basin.is_custom_size {
            extras.push("custom");
        }
        if basin.has_p_trap_drain {
            extras.push("P-trap");
        }
        if basin.has_basin_light {
            extras.push("light");
        }
        out.push(format!(
            "Basin {}: {} {}x{}x{}{}",
            basin.basin_index,
            basin.basin_type,
            basin.basin_width,
            basin.basin_length,
            basin.basin_depth,
            if extras.is_empty() {
                String::new()
            } else {
                format!(" ({})", extras.join(", "))
            }
        ));
    }
    for f in &b.faucets {
        out.push(format!(
            "Faucet: {} x{} {}",
            f.faucet_type, f.quantity, f.placement
        ));
    }
    for s in &b.sprayers {
        out.push(format!(
            "Sprayer: {} x{} {}",
            s.sprayer_type, s.quantity, s.location
        ));
    }
    for a in &b.accessories {
        out.push(format!("Accessory: {} x{}", a.assembly_id, a.quantity));
    }
    if let Some(bom) = &d.bom {
        out.push(format!(
            "BOM: version {} {}, {} top-level line(s)",
            bom.version, bom.status, bom.top_level_lines
        ));
    }
    if let Some(floor) = &d.floor {
        for (label, text) in floor.lines() {
            out.push(format!("{label}: {text}"));
        }
    }
    if let Some(notes) = &h.notes {
        out.push(format!("Notes: {notes}"));
    }
    out.push("History (newest first):".into());
    for e in &d.history {
        out.push(format!(
            "  {}  {}  {}  {} -> {}{}",
            e.timestamp.format("%Y-%m-%d %H:%M"),
            e.user,
            e.action,
            e.old_status.map_or("-", |s| s.code()),
            e.new_status,
            e.notes
                .as_deref()
                .map(|n| format!("  {n}"))
                .unwrap_or_default()
        ));
    }
    out.join("\n")
}
