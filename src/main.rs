//! The `cleanstation` command: argument parsing and wiring only; the work is in the library.

use clap::{Args, Parser, Subcommand};
use cleanstation::commands::users::UserAdd;
use cleanstation::commands::{self, CliError};
use cleanstation::config::Config;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "cleanstation",
    version,
    about = "CleanStation production floor: orders, BOMs, QC, assembly and service parts"
)]
struct Cli {
    /// Configuration file (default: $CLEANSTATION_CONFIG, then ./config.toml, then the built-in defaults)
    #[arg(long, global = true, value_name = "PATH")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Cmd>,
}

#[derive(Subcommand)]
enum Cmd {
    /// Open the terminal application (the default)
    Run,
    /// Apply pending schema migrations and exit
    Migrate,
    /// Load reference and demo data: catalog, checklist templates, tools, work instructions, one user per role
    Seed {
        /// Required: demo users have published passwords
        #[arg(long)]
        demo: bool,
    },
    /// Parts catalog
    Catalog {
        #[command(subcommand)]
        action: CatalogCmd,
    },
    /// Checklist templates
    Templates {
        #[command(subcommand)]
        action: TemplatesCmd,
    },
    /// User accounts, changed in an administrator's session.
    ///
    /// Each takes --as ADMIN_USERNAME (that administrator's password from a prompt or
    /// $CLEANSTATION_PASSWORD); the new password is asked twice or taken from
    /// $CLEANSTATION_NEW_PASSWORD. Without --as they work only while the database has no active ADMIN
    /// (creating the first one). Exit status: 0 done; 1 failed (database); 2 refused, nothing changed.
    User {
        #[command(subcommand)]
        action: UserCmd,
    },
    /// Production orders, through the same use-cases and role checks as the order screens.
    ///
    /// Every order command logs in as --as USERNAME (password from $CLEANSTATION_PASSWORD, or asked)
    /// and ends that session when done. Exit status: 0 done; 1 failed (database, terminal);
    /// 2 refused (file, login, role or rule), with nothing written.
    Order {
        #[command(subcommand)]
        action: OrderCmd,
    },
    /// Service orders, through the same use case and role checks as the service screens.
    ///
    /// Logs in as --as USERNAME (password from $CLEANSTATION_PASSWORD, or asked). Exit status: 0 done;
    /// 1 failed (database); 2 refused (status, login or role).
    Service {
        #[command(subcommand)]
        action: ServiceCmd,
    },
    /// Bills of materials: preview an order document's BOMs, export a build's current BOM.
    ///
    /// Exit status: 0 done; 1 failed (database); 2 refused (file, configuration, unknown ids, build,
    /// directory not usable), with nothing written.
    Bom {
        #[command(subcommand)]
        action: BomCmd,
    },
    /// Device history records: a build's complete record as PDF and JSON, without a login.
    ///
    /// Exit status: 0 done; 1 failed (database); 2 refused (unknown build or format, directory not
    /// usable), with nothing written.
    Dhr {
        #[command(subcommand)]
        action: DhrCmd,
    },
    /// Print a build traveler: a PDF with a Code 128 barcode of the build number, for the stations'
    /// scanners; prints the path. No login.
    ///
    /// Exit status: 0 done; 1 failed (database); 2 refused (unknown build, directory not usable), with
    /// nothing written.
    Label {
        /// The build number (case-insensitive)
        build: String,
        /// An existing directory to write the file into
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// QC results: check the e-signatures of a build's results.
    ///
    /// Exit status: 0 every signature matches; 1 failed (database); 2 refused (unknown build) or a
    /// signature does not match its stored content.
    Qc {
        #[command(subcommand)]
        action: QcCmd,
    },
    /// Check every electronic signature of a build (BOM approval, testing, packaging, QC, NC
    /// dispositions, shipping, overrides) against the record it signs as stored now.
    ///
    /// Exit status: 0 every signature verifies, also when there are none yet; 1 failed (database);
    /// 2 refused (unknown build) or a signature does not verify.
    Verify {
        /// The build number
        build: String,
    },
    /// Checklist templates applied to builds: preview which items an order document's builds get.
    ///
    /// Exit status: 0 done; 1 failed (database); 2 refused (file, configuration, template key), with
    /// nothing written.
    Checklist {
        #[command(subcommand)]
        action: ChecklistCmd,
    },
    /// The hash-chained audit trail.
    ///
    /// Exit status of verify: 0 intact (unattributed station writes are reported, not a failure);
    /// 1 failed (database); 2 something is broken, the first broken record named.
    Audit {
        #[command(subcommand)]
        action: AuditCmd,
    },
    /// Load harness: N simulated stations working the floor mix on a plant loaded in bulk, in a
    /// database of its own on the configured server (dropped afterwards unless --keep).
    ///
    /// Prints per request kind and overall: count, errors, throughput, p50/p95/p99; then checks that
    /// no acknowledged work was lost. The last line is
    /// `stations=N interactions=X errors=E lost=L p50_ms=A p99_ms=B`. Exit status: 0 no errors and
    /// nothing lost; 1 otherwise or when the run failed.
    Loadtest {
        /// Simulated stations, each logged in once with its own connection pool
        #[arg(long, default_value_t = 50)]
        stations: usize,
        /// Seconds the stations work
        #[arg(long, value_name = "SECONDS", default_value_t = 60)]
        duration: u64,
        /// Interactions per second per station
        #[arg(long, value_name = "R", default_value_t = 1.0)]
        rate: f64,
        /// Builds in the plant
        #[arg(long, default_value_t = 10_000)]
        builds: i32,
        /// Connections per station (default: 2 when they fit max_connections, else 1)
        #[arg(long, value_name = "N")]
        pool: Option<usize>,
        /// Keep the load database after the run (for inspection)
        #[arg(long)]
        keep: bool,
    },
    /// The embedded database cluster
    Db {
        #[command(subcommand)]
        action: DbCmd,
    },
    /// Validate a configuration file
    CheckConfig {
        /// The file to check (default: the one the lookup order finds)
        path: Option<PathBuf>,
    },
    /// A production report (throughput, wip, cycle-time, on-time, first-pass-yield, rejections,
    /// assemblers) as a table, or as a CSV file with --csv or --out.
    ///
    /// Logs in as --as USERNAME (PRODUCTION_COORDINATOR or ADMIN; password from $CLEANSTATION_PASSWORD,
    /// or asked) and reads through database.read_url when set. Default period: this month. Exit status:
    /// 0 done; 1 failed (database); 2 refused (report, period, login, role, file), nothing written.
    Report(ReportArgs),
}

/// `report`: which report, over which period, read as whom, written where.
#[derive(Args)]
struct ReportArgs {
    /// throughput, wip, cycle-time, on-time, first-pass-yield, rejections or assemblers
    kind: String,
    /// This week (Monday to Sunday)
    #[arg(long)]
    week: bool,
    /// This month (the default)
    #[arg(long)]
    month: bool,
    /// This quarter
    #[arg(long)]
    quarter: bool,
    /// First day of a custom range (YYYY-MM-DD), with --to
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    /// Last day of a custom range (YYYY-MM-DD), with --from
    #[arg(long, value_name = "DATE")]
    to: Option<String>,
    /// The user to read as (PRODUCTION_COORDINATOR or ADMIN)
    #[arg(long = "as", value_name = "USERNAME")]
    as_user: String,
    /// Write the report as CSV into this new file
    #[arg(long, value_name = "FILE", conflicts_with = "out")]
    csv: Option<PathBuf>,
    /// Write the report as CSV into this existing directory, named <report>-<from>-<to>.csv
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

#[derive(Subcommand)]
enum CatalogCmd {
    /// Import parts.json, assemblies.json and categories.json from DIR
    Import { dir: PathBuf },
}

#[derive(Subcommand)]
enum TemplatesCmd {
    /// Import checklist templates from a checklists.toml file
    Import { file: PathBuf },
    /// Write the active checklist templates to FILE in the checklists.toml format; importing that file
    /// changes nothing. An existing FILE is replaced only with --force.
    ///
    /// Exit status: 0 written; 1 failed (database); 2 refused (FILE exists, its directory is missing).
    Export {
        file: PathBuf,
        /// Replace FILE if it exists
        #[arg(long)]
        force: bool,
    },
}

#[derive(Subcommand)]
enum UserCmd {
    /// Create a user
    Add {
        username: String,
        #[arg(long)]
        role: String,
        #[arg(long)]
        full_name: String,
        #[arg(long)]
        initials: String,
        /// The user must choose a new password at first login
        #[arg(long)]
        must_change: bool,
        /// The administrator making the change
        #[arg(long = "as", value_name = "ADMIN_USERNAME")]
        as_user: Option<String>,
    },
    /// Set a user's password (also clears a lockout and ends their sessions)
    Passwd {
        username: String,
        /// The administrator making the change
        #[arg(long = "as", value_name = "ADMIN_USERNAME")]
        as_user: Option<String>,
    },
    /// Deactivate a user: they can no longer log in; their records stay
    Deactivate {
        username: String,
        /// The administrator making the change
        #[arg(long = "as", value_name = "ADMIN_USERNAME")]
        as_user: Option<String>,
    },
    /// Reactivate a deactivated user
    Activate {
        username: String,
        /// The administrator making the change
        #[arg(long = "as", value_name = "ADMIN_USERNAME")]
        as_user: Option<String>,
    },
    /// Give a user a badge with a PIN (asked twice, or $CLEANSTATION_NEW_PIN)
    SetBadge {
        username: String,
        /// 4-64 of A-Z 0-9 and '-', without the scan prefix
        code: String,
        /// The administrator making the change
        #[arg(long = "as", value_name = "ADMIN_USERNAME")]
        as_user: Option<String>,
    },
    /// Give a user's badge a new PIN (asked twice, or $CLEANSTATION_NEW_PIN)
    SetPin {
        username: String,
        /// The administrator making the change
        #[arg(long = "as", value_name = "ADMIN_USERNAME")]
        as_user: Option<String>,
    },
    /// Take a user's badge and PIN away
    ClearBadge {
        username: String,
        /// The administrator making the change
        #[arg(long = "as", value_name = "ADMIN_USERNAME")]
        as_user: Option<String>,
    },
}

#[derive(Subcommand)]
enum AuditCmd {
    /// Seal what is committed, then check the chain, every audited record against its last audit
    /// image, and every QC signature; print the chain head
    Verify,
    /// Remove audit rows past the retention period (setting audit.retentionDays), leaving a
    /// checkpoint; uses the owner's connection
    Cleanup,
}

#[derive(Subcommand)]
enum OrderCmd {
    /// Create a PO from a JSON file: the header fields and "builds", with the schema's field names
    /// (poNumber, customerName, wantDate, builds[].sinkModel, ...). All builds or none are created.
    Import {
        file: PathBuf,
        /// The user the PO is created as (PRODUCTION_COORDINATOR or ADMIN)
        #[arg(long = "as", value_name = "USERNAME")]
        as_user: String,
    },
    /// List builds, every status unless --status, earliest want date first; printed page by page as
    /// the pages arrive (JSON stays one array)
    #[command(
        mut_arg("status", |a| a.help("Only builds in this status, e.g. READY_FOR_PRODUCTION")),
        mut_arg("as_user", |a| a.help("The user to read as (any role but SERVICE_DEPARTMENT)"))
    )]
    List(OrderListArgs),
    /// Show one build: header, configuration, BOM, history
    Show {
        /// The build number (case-insensitive)
        build: String,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
        /// The user to read as (any role but SERVICE_DEPARTMENT)
        #[arg(long = "as", value_name = "USERNAME")]
        as_user: String,
    },
}

#[derive(Subcommand)]
enum ServiceCmd {
    /// List service orders: the service department its own (newest first), procurement, ADMIN and the
    /// production coordinator all of them (PENDING, then APPROVED, oldest first; then the closed ones,
    /// newest first)
    #[command(
        mut_arg("status", |a| a.help("Only orders in this status: PENDING, APPROVED, REJECTED or FULFILLED")),
        mut_arg("as_user", |a| a.help("The user to read as (not QC_PERSON or ASSEMBLER)"))
    )]
    List(ListArgs),
}

/// The options of every list command; each command words the status and role hints for its rows.
#[derive(Args)]
struct ListArgs {
    /// Only rows in this status
    #[arg(long)]
    status: Option<String>,
    /// Print JSON instead of a table
    #[arg(long)]
    json: bool,
    /// The user to read as
    #[arg(long = "as", value_name = "USERNAME")]
    as_user: String,
}

/// `order list`: the options of every list, and where to stop.
#[derive(Args)]
struct OrderListArgs {
    #[command(flatten)]
    list: ListArgs,
    /// Stop after N builds
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    limit: Option<u64>,
}

#[derive(Subcommand)]
enum BomCmd {
    /// Print the BOM of every build of an `order import` document, generated against the database's
    /// catalog; nothing is saved
    Preview {
        file: PathBuf,
        /// Print JSON: {"builds":[{"buildNumber","lines","flattened","warnings","notices"}]}
        #[arg(long)]
        json: bool,
    },
    /// Write a build's current BOM to files named after PO, build and version; prints their paths
    Export {
        /// The build number (case-insensitive)
        build: String,
        /// csv (the tree and the totals) or pdf (a printable document)
        #[arg(long, value_name = "csv|pdf")]
        format: String,
        /// An existing directory to write the files into
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum DhrCmd {
    /// Write a build's device history record, named after PO, build and export time (UTC); prints
    /// the paths
    Export {
        /// The build number (case-insensitive)
        build: String,
        /// An existing directory to write the files into
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// pdf, json or both
        #[arg(long, value_name = "pdf|json|both", default_value = "both")]
        format: String,
    },
}

#[derive(Subcommand)]
enum QcCmd {
    /// Recompute the hash of every signed QC result of a build and compare it with its signature;
    /// prints one line per result
    Verify {
        /// The build number (case-insensitive)
        build: String,
    },
}

#[derive(Subcommand)]
enum ChecklistCmd {
    /// Print, for every build of an `order import` document, the applicable items of the active version
    /// of a checklist template in display order; nothing is saved
    Preview {
        file: PathBuf,
        /// The template key of checklists.toml: PRE_QC, FINAL_QC, PRODUCTION, EOL_TEST or PACKAGING
        #[arg(long, value_name = "KEY")]
        template: String,
        /// Print JSON: {"builds":[{"buildNumber","items":[{"code","basinIndex","section","description","checkType"}]}]}
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum DbCmd {
    /// Show where the embedded cluster lives and whether it runs
    Status,
    /// Stop the embedded cluster (stations using it lose their connection)
    Stop,
    /// Back the whole database up into a new directory DIR/<database>-<UTC time>/: a pg_dump
    /// (custom format, compressed) taken in one snapshot, and manifest.json beside it (time, schema
    /// version, row counts, audit-chain head, SHA-256). The owner's connection; prints the paths.
    ///
    /// Exit status: 0 done; 1 failed (database, pg_dump, disk), with nothing left in DIR; 2 refused
    /// (DIR not usable, no schema to back up).
    Backup {
        /// An existing directory; each backup gets a new directory inside it
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Restore a backup into an empty database or a new embedded cluster: the dump's SHA-256 checked
    /// against the manifest.json beside it, pg_restore in one transaction, the station role and its
    /// grants created, the row counts compared with the manifest, then audit verify.
    ///
    /// Exit status: 0 restored and verified; 1 failed (pg_restore, rows or audit trail do not match);
    /// 2 refused with nothing changed (the database is not empty, the file does not match its manifest,
    /// the schema is newer than this cleanstation).
    Restore {
        /// The backup's .dump file (its manifest.json beside it)
        file: PathBuf,
    },
}

/// A verification's report as the command's outcome: the lines are the output either way, and the exit
/// status tells scripts when something did not match.
fn verdict(
    report: Result<commands::qc::VerifyReport, CliError>,
    what: &str,
) -> Result<String, CliError> {
    let report = report?;
    if report.mismatches == 0 {
        return Ok(report.text);
    }
    print_lines(&report.text);
    Err(CliError::Refused(format!("{} {what}", report.mismatches)))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(Cmd::CheckConfig { path }) = &cli.command {
        return finish(commands::check_config(
            path.as_deref().or(cli.config.as_deref()),
        ));
    }
    let config = match Config::load(cli.config.as_deref()) {
        Ok((config, _)) => config,
        Err(e) => return finish(Err(e.into())),
    };
    let (_guard, _log_dir) = cleanstation::logging::init(&config.log_dir(), &config.log.level);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return finish(Err(CliError::Terminal(e))),
    };
    let result = runtime.block_on(async move {
        match cli.command.unwrap_or(Cmd::Run) {
            Cmd::Run => commands::run_app(config).await.map(|()| String::new()),
            Cmd::Migrate => commands::migrate(&config).await,
            Cmd::Seed { demo: true } => commands::seed_demo(&config).await,
            Cmd::Seed { demo: false } => Err(CliError::Usage(
                "seed loads demo users with published passwords; say --demo to confirm".into(),
            )),
            Cmd::Catalog {
                action: CatalogCmd::Import { dir },
            } => commands::catalog_import(&config, &dir).await,
            Cmd::Templates {
                action: TemplatesCmd::Import { file },
            } => commands::templates_import(&config, &file).await,
            Cmd::Templates {
                action: TemplatesCmd::Export { file, force },
            } => commands::templates::templates_export(&config, &file, force).await,
            Cmd::User { action } => match action {
                UserCmd::Add {
                    username,
                    role,
                    full_name,
                    initials,
                    must_change,
                    as_user,
                } => {
                    commands::users::user_add(
                        &config,
                        UserAdd {
                            username,
                            role,
                            full_name,
                            initials,
                            must_change,
                        },
                        as_user.as_deref(),
                    )
                    .await
                }
                UserCmd::Passwd { username, as_user } => {
                    commands::users::user_passwd(&config, &username, as_user.as_deref()).await
                }
                UserCmd::Deactivate { username, as_user } => {
                    commands::users::user_set_active(&config, &username, false, as_user.as_deref())
                        .await
                }
                UserCmd::Activate { username, as_user } => {
                    commands::users::user_set_active(&config, &username, true, as_user.as_deref())
                        .await
                }
                UserCmd::SetBadge {
                    username,
                    code,
                    as_user,
                } => {
                    commands::users::user_badge(
                        &config,
                        &username,
                        commands::users::BadgeVerb::Set(code),
                        as_user.as_deref(),
                    )
                    .await
                }
                UserCmd::SetPin { username, as_user } => {
                    commands::users::user_badge(
                        &config,
                        &username,
                        commands::users::BadgeVerb::Pin,
                        as_user.as_deref(),
                    )
                    .await
                }
                UserCmd::ClearBadge { username, as_user } => {
                    commands::users::user_badge(
                        &config,
                        &username,
                        commands::users::BadgeVerb::Clear,
                        as_user.as_deref(),
                    )
                    .await
                }
            },
            Cmd::Audit {
                action: AuditCmd::Verify,
            } => match commands::audit::verify(&config).await {
                Ok(verdict) => match verdict.broken {
                    None => Ok(verdict.text),
                    Some(first) => {
                        print_lines(&verdict.text);
                        Err(CliError::Refused(format!(
                            "the audit trail is broken; first: {first}"
                        )))
                    }
                },
                Err(e) => Err(e),
            },
            Cmd::Audit {
                action: AuditCmd::Cleanup,
            } => commands::audit::cleanup(&config).await,
            Cmd::Order { action } => match action {
                OrderCmd::Import { file, as_user } => {
                    commands::order_import(&config, &file, &as_user).await
                }
                OrderCmd::List(OrderListArgs { list, limit }) => {
                    commands::order_list(
                        &config,
                        &list.as_user,
                        list.status.as_deref(),
                        limit,
                        list.json,
                    )
                    .await
                }
                OrderCmd::Show {
                    build,
                    json,
                    as_user,
                } => commands::order_show(&config, &as_user, &build, json).await,
            },
            Cmd::Service {
                action: ServiceCmd::List(list),
            } => {
                commands::service_orders::service_list(
                    &config,
                    &list.as_user,
                    list.status.as_deref(),
                    list.json,
                )
                .await
            }
            Cmd::Bom { action } => match action {
                BomCmd::Preview { file, json } => {
                    commands::bom::bom_preview(&config, &file, json).await
                }
                BomCmd::Export { build, format, out } => {
                    commands::bom::bom_export(&config, &build, &format, &out).await
                }
            },
            Cmd::Dhr {
                action: DhrCmd::Export { build, out, format },
            } => commands::dhr::dhr_export(&config, &build, &format, &out).await,
            Cmd::Label { build, out } => commands::label::label(&config, &build, &out).await,
            Cmd::Qc {
                action: QcCmd::Verify { build },
            } => verdict(
                commands::qc::qc_verify(&config, &build).await,
                "QC signature(s) do not match the stored results",
            ),
            Cmd::Verify { build } => verdict(
                commands::qc::verify_build(&config, &build).await,
                "signature(s) do not verify",
            ),
            Cmd::Checklist {
                action:
                    ChecklistCmd::Preview {
                        file,
                        template,
                        json,
                    },
            } => commands::checklist::checklist_preview(&config, &file, &template, json).await,
            Cmd::Loadtest {
                stations,
                duration,
                rate,
                builds,
                pool,
                keep,
            } => {
                let args = commands::loadtest::LoadArgs {
                    stations,
                    duration_s: duration,
                    rate,
                    builds,
                    pool,
                    keep,
                };
                commands::loadtest::loadtest(&config, &args).await
            }
            Cmd::Db {
                action: DbCmd::Status,
            } => commands::db_status(&config),
            Cmd::Db {
                action: DbCmd::Stop,
            } => commands::db_stop(&config),
            Cmd::Db {
                action: DbCmd::Backup { out },
            } => commands::db_backup(&config, &out).await,
            Cmd::Db {
                action: DbCmd::Restore { file },
            } => commands::db_restore(&config, &file).await,
            Cmd::CheckConfig { .. } => Ok(String::new()),
            Cmd::Report(args) => {
                use commands::reports::{PeriodArgs, ReportOutput};
                let output = match (args.csv, args.out) {
                    (Some(file), _) => ReportOutput::File(file),
                    (None, Some(dir)) => ReportOutput::Dir(dir),
                    (None, None) => ReportOutput::Table,
                };
                let period = PeriodArgs {
                    week: args.week,
                    month: args.month,
                    quarter: args.quarter,
                    from: args.from,
                    to: args.to,
                };
                commands::reports::report(&config, &args.as_user, &args.kind, &period, output).await
            }
        }
    });
    finish(result)
}

/// Writes `text` and a line end to stdout. Stored text reaches the reader's terminal only as visible
/// escapes, never as control sequences.
fn write_out(text: &str) -> std::io::Result<()> {
    let text = cleanstation::text::for_terminal(text);
    let mut out = std::io::stdout().lock();
    writeln!(out, "{text}").and_then(|()| out.flush())
}

/// Writes report lines to stdout; a closed pipe is not an error of ours.
fn print_lines(text: &str) {
    let _ = write_out(text);
}

/// Prints the outcome (the TUI has already restored the terminal) and picks the exit code. Both
/// streams get stored text only as visible escapes, never as control sequences.
fn finish(result: Result<String, CliError>) -> ExitCode {
    use cleanstation::text::for_terminal;
    match result {
        Ok(text) => {
            if text.is_empty() {
                return ExitCode::SUCCESS;
            }
            match write_out(&text) {
                Ok(()) => ExitCode::SUCCESS,
                // A reader that stopped early (`| head`) is not an error of ours.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!(
                        "{}",
                        for_terminal(&format!("cleanstation: cannot write the output: {e}"))
                    );
                    ExitCode::FAILURE
                }
            }
        }
        Err(e) => {
            tracing::error!(error = %e, "command failed");
            eprintln!("{}", for_terminal(&format!("cleanstation: {e}")));
            // Refused input is told apart from a failure, so scripts can react to each.
            if matches!(e, CliError::Refused(_)) {
                ExitCode::from(commands::EXIT_REFUSED)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}
