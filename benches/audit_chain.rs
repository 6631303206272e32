//! The hash-chained audit trail under load: 50 stations writing at once with the chain on, and the same
//! load with the chain off, interleaved in one run. `cargo bench --bench audit_chain`.
//!
//! Each writer is a station: its own `ServiceCtx` on its own pool of one connection as the station role,
//! its own login, and the same number of writes through `service::dispatch`. Two workloads: order
//! creations (the heaviest realistic write: the build, its configuration and its whole BOM, about 200
//! audit rows each) and task completions (the commonest write: one audit row each).
//!
//! Chain on, as `cleanstation` runs it: every writer has a station's sealer, `db::audit::run_sealer`,
//! on a second one-connection pool of its own (a station's pool has four connections by default, so its
//! sealer does not queue behind the request in flight). A sealer wakes on writes (`begin_as` calls
//! `note_write`), waits a second and seals without waiting for another sealer's lock. The wake-up is
//! process-wide, so here a write wakes one of the 50 sealers rather than its own station's; sealing
//! still follows the writes within about a second. After the load, one waiting `seal(true)`, timed on
//! its own; then the queue must be empty and `verify_chain` must find no problem and one link per
//! audit row. Chain off: as the owner, `ALTER TABLE "AuditLog" DISABLE TRIGGER audit_enqueue` before
//! the load, and no sealer runs.
//!
//! Every round runs on a fresh copy of a prepared database (seeded and sealed; for the task workload one
//! build per writer in READY_FOR_PRODUCTION with its task list), so every round starts from the same
//! state; on and off alternate ABBA ABBA to even out the shared machine's noise. Besides wall time,
//! writes per second and latency, each round reports: CPU seconds from /proc (writers' backends,
//! sealers' backends, the rest of the cluster, this process, and other jobs on the machine), WAL
//! written, time inside `audit_seal`, `audit_statement` and `audit_enqueue` (`track_functions`), and
//! what the writers' and sealers' backends were doing in `pg_stat_activity`, sampled every 50 ms (a
//! writer waiting on a lock shows there). The test harness's cluster runs with `fsync` off.
//!
//! For investigation: `AUDIT_BENCH_PLAN=on,queue,off,...` sets the rounds (`queue`: queued as on, but
//! no sealer until the final seal), `AUDIT_BENCH_WORKLOADS=orders|tasks` runs one workload, and
//! `AUDIT_BENCH_SEALER=shared` puts each sealer on its writer's only connection (a station with
//! `database.pool_size = 1`).
#![allow(clippy::panic)] // the shared test harness reports a broken setup by panicking

#[path = "../tests/support/mod.rs"]
mod support;

use cleanstation::db::{self, Actor};
use cleanstation::domain::checklist::{CheckType, FormType};
use cleanstation::domain::order::{NewOrder, OrderStatus};
use cleanstation::domain::qc::{Answer, LineAnswer, QcOutcome};
use cleanstation::domain::tasks::TaskCompletion;
use cleanstation::msg::{Reply, Request};
use cleanstation::service::seed::{DEMO_PASSWORD, seed_demo};
use cleanstation::service::{SecurityPolicy, ServiceCtx};
use deadpool_postgres::Pool;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Barrier;
use uuid::Uuid;

/// Stations writing at once.
const WRITERS: usize = 50;
/// Order creations per writer and round.
const ORDERS_PER_WRITER: usize = 6;
/// The rounds of each workload: four on and four off, ABBA ABBA, so that a drift in the machine's
/// load falls on both alike.
const ROUNDS: [Chain; 8] = [
    Chain::On,
    Chain::Off,
    Chain::Off,
    Chain::On,
    Chain::On,
    Chain::Off,
    Chain::Off,
    Chain::On,
];
const WRITER_APP: &str = "audit-bench-writer";
const SEALER_APP: &str = "audit-bench-sealer";
const SAMPLE_EVERY: Duration = Duration::from_millis(50);

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Chain {
    On,
    Off,
    /// Investigation only: queued as on, but no sealer runs until the final seal.
    Queue,
}

impl Chain {
    fn label(self) -> &'static str {
        match self {
            Chain::On => "on ",
            Chain::Off => "off",
            Chain::Queue => "que",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Workload {
    Orders,
    Tasks,
}

impl Workload {
    fn title(self) -> &'static str {
        match self {
            Workload::Orders => "order creations (one build with its BOM each)",
            Workload::Tasks => "task completions",
        }
    }

    fn username(self) -> &'static str {
        match self {
            Workload::Orders => "coordinator",
            Workload::Tasks => "assembler",
        }
    }
}

/// A prepared database that every round copies.
struct Base {
    name: String,
    owner_url: String,
    station_url: String,
    /// Task workload: per writer, the tasks of its build in sequence order with a valid completion.
    tasks: Vec<Vec<(Uuid, TaskCompletion)>>,
}

/// What one round measured.
struct Round {
    chain: Chain,
    wall: Duration,
    /// Every write's latency, sorted.
    latencies: Vec<Duration>,
    /// Audit rows the load wrote.
    audit_rows: i64,
    /// Rows the stations' sealers sealed while the load ran, and in all (a batch in flight when the
    /// load ended commits after it).
    sealed_during: i64,
    sealed_by_stations: i64,
    /// Rows the final `seal(true)` sealed, and its time.
    final_seal: Option<(i64, Duration)>,
    /// (calls, total ms) per audit function during the load and the final seal.
    functions: BTreeMap<String, (i64, f64)>,
    /// pg_stat_activity samples of the writers and of the sealers, by what the backend was doing.
    writer_states: BTreeMap<String, usize>,
    sealer_states: BTreeMap<String, usize>,
    /// When each writer finished its writes, sorted.
    finished: Vec<Duration>,
    /// CPU used during the load.
    cpu: CpuUse,
    /// WAL written during the load, MB.
    wal_mb: f64,
}

/// CPU seconds used during the load, by whom.
#[derive(Default, Clone, Copy)]
struct CpuUse {
    writers: f64,
    sealers: f64,
    /// The cluster's other processes (WAL writer, checkpointer, autovacuum, the sampler...).
    server_other: f64,
    bench: f64,
    /// Everything else on the machine: other users' jobs (and a server process that came and went).
    elsewhere: f64,
    /// The machine's capacity over the load (cores x wall).
    capacity: f64,
}

impl Round {
    fn writes(&self) -> usize {
        self.latencies.len()
    }
    fn per_second(&self) -> f64 {
        self.writes() as f64 / self.wall.as_secs_f64()
    }
    fn quantile(&self, q: usize) -> Duration {
        let n = self.latencies.len();
        self.latencies[(n * q / 100).min(n - 1)]
    }
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(run());
}

async fn run() {
    let started = Instant::now();
    let plan: Vec<Chain> = match std::env::var("AUDIT_BENCH_PLAN") {
        Ok(p) => p
            .split(',')
            .map(|c| match c.trim() {
                "on" => Chain::On,
                "off" => Chain::Off,
                "queue" => Chain::Queue,
                other => panic!("AUDIT_BENCH_PLAN: unknown round {other:?} (on, off, queue)"),
            })
            .collect(),
        Err(_) => ROUNDS.to_vec(),
    };
    let workloads: Vec<Workload> = match std::env::var("AUDIT_BENCH_WORKLOADS").as_deref() {
        Ok("orders") => vec![Workload::Orders],
        Ok("tasks") => vec![Workload::Tasks],
        _ => vec![Workload::Orders, Workload::Tasks],
    };
    let order: Vec<&str> = plan.iter().map(|c| c.label().trim()).collect();
    println!(
        "audit chain on vs off: {WRITERS} stations writing at once through service::dispatch, \
         rounds in this order: {}; sealers on {}",
        order.join(" "),
        if sealer_shares_pool() {
            "the writer's own connection (AUDIT_BENCH_SEALER=shared)"
        } else {
            "a second connection per station"
        }
    );
    for workload in workloads {
        let t = Instant::now();
        let base = prepare(workload).await;
        println!(
            "\n== {} == (database prepared in {:.1} s)",
            workload.title(),
            t.elapsed().as_secs_f64()
        );
        let mut rounds = Vec::new();
        for (i, chain) in plan.iter().enumerate() {
            let r = round(&base, workload, *chain, i).await;
            print_round(i, &r);
            rounds.push(r);
        }
        summarize(&rounds);
    }
    println!("\nwhole bench: {:.0} s", started.elapsed().as_secs_f64());
}

// ------------------------------------------------------------------------------------------------
// Preparation
// ------------------------------------------------------------------------------------------------

/// A seeded, fully sealed database with nobody connected, to copy for every round.
async fn prepare(workload: Workload) -> Base {
    let db = support::TestDb::new().await;
    seed_demo(&db.owner, &Actor::system("bench seed"))
        .await
        .expect("seed");
    let mut tasks = Vec::new();
    if workload == Workload::Tasks {
        let ctx = ctx_on(db.pool.clone(), "station:bench-setup");
        tasks = builds_in_production(&ctx).await;
    }
    let client = db.client().await;
    db::audit::seal(&client, true).await.expect("seal the base");
    client
        .batch_execute("VACUUM ANALYZE")
        .await
        .expect("vacuum the base");
    drop(client);
    db.pool.close();
    db.owner.close();
    Base {
        name: db.name.clone(),
        owner_url: db.owner_url.clone(),
        station_url: db.url.clone(),
        tasks,
    }
}

/// One build per writer taken to READY_FOR_PRODUCTION the way the floor does it (BOM approved, parts
/// sent, body arrived, Pre-QC passed, which generates the task list); each writer's tasks.
async fn builds_in_production(ctx: &ServiceCtx) -> Vec<Vec<(Uuid, TaskCompletion)>> {
    let coordinator = support::demo_login(ctx, "coordinator").await;
    let procurement = support::demo_login(ctx, "procurement").await;
    let inspector = support::demo_login(ctx, "inspector").await;
    let assembler = support::demo_login(ctx, "assembler").await;
    let mut all = Vec::new();
    for w in 0..WRITERS {
        let order = order_document(&format!("PO-TASK-{w}"), &format!("B-TASK-{w}"));
        let id = match support::request(
            ctx,
            Request::CreateOrder {
                token: coordinator.clone(),
                order: Box::new(order),
            },
        )
        .await
        {
            Reply::OrderCreated(c) => c.builds[0].0,
            other => panic!("create order: {other:?}"),
        };
        support::request(
            ctx,
            Request::ApproveBom {
                token: procurement.clone(),
                order_id: id,
                version: 1,
                password: DEMO_PASSWORD.into(),
            },
        )
        .await;
        for (from, to) in [
            (OrderStatus::OrderCreated, OrderStatus::PartsSent),
            (OrderStatus::PartsSent, OrderStatus::ReadyForPreQc),
        ] {
            support::request(
                ctx,
                Request::Transition {
                    token: procurement.clone(),
                    order_id: id,
                    from,
                    to,
                    note: None,
                    override_reason: None,
                    password: None,
                },
            )
            .await;
        }
        let form = match support::request(
            ctx,
            Request::QcForm {
                token: inspector.clone(),
                order_id: id,
            },
        )
        .await
        {
            Reply::QcForm(f) => f,
            other => panic!("QC form: {other:?}"),
        };
        let answers = form
            .lines
            .iter()
            .map(|l| {
                let item = &form.items[l.item];
                let value = match item.check_type {
                    CheckType::Boolean | CheckType::NaOption => "YES".to_string(),
                    CheckType::Measurement => item
                        .min
                        .or(item.max)
                        .map_or_else(|| "1".into(), |v| v.to_string()),
                    CheckType::MultiChoice => item.options.first().cloned().unwrap_or_default(),
                    CheckType::Text => "Checked".into(),
                };
                LineAnswer {
                    item_id: item.id,
                    basin_index: l.basin_index,
                    answer: Answer {
                        value: Some(value),
                        is_na: false,
                        notes: None,
                    },
                }
            })
            .collect();
        support::request(
            ctx,
            Request::SubmitQc {
                token: inspector.clone(),
                order_id: id,
                qc_type: FormType::PreQc,
                job_id: "JOB-PRE".into(),
                answers,
                outcome: QcOutcome::Pass,
                reason: None,
                password: DEMO_PASSWORD.into(),
                rejection_reasons: Vec::new(),
            },
        )
        .await;
        let list = match support::request(
            ctx,
            Request::TaskList {
                token: assembler.clone(),
                order_id: id,
            },
        )
        .await
        {
            Reply::TaskList(l) => l,
            other => panic!("task list: {other:?}"),
        };
        assert_eq!(list.status, OrderStatus::ReadyForProduction);
        let tasks = list
            .tasks
            .iter()
            .map(|t| (t.id, cleanstation::load::station::completion_of(t)))
            .collect();
        all.push(tasks);
    }
    all
}

/// The README's `order import` example with its own PO and build number, as the load harness sends it.
fn order_document(po: &str, build: &str) -> NewOrder {
    cleanstation::load::station::order_document(po, build).expect("order document")
}

// ------------------------------------------------------------------------------------------------
// One round
// ------------------------------------------------------------------------------------------------

async fn round(base: &Base, workload: Workload, chain: Chain, index: usize) -> Round {
    let name = format!("{}_r{index}", base.name);
    let owner_url = with_db(&base.owner_url, &base.name, &name);
    let station_url = with_db(&base.station_url, &base.name, &name);
    copy_database(&base.owner_url, &base.name, &name).await;

    let owner = db::connect(&owner_url, 2, "audit-bench-owner")
        .await
        .expect("owner connection");
    let client = owner.get().await.expect("owner connection");
    db::roles::apply_database_level(&client)
        .await
        .expect("database-level grants");
    // Function timings for every later session of this database.
    client
        .batch_execute(&format!("ALTER DATABASE {name} SET track_functions = 'pl'"))
        .await
        .expect("track_functions");
    if chain == Chain::Off {
        client
            .batch_execute(r#"ALTER TABLE "AuditLog" DISABLE TRIGGER audit_enqueue"#)
            .await
            .expect("disable audit_enqueue");
    }

    // The stations: pools, contexts and logins (one at a time, like people arriving at work).
    let mut stations = Vec::with_capacity(WRITERS);
    let mut writer_pids = Vec::with_capacity(WRITERS);
    for w in 0..WRITERS {
        let pool = db::connect(&station_url, 1, WRITER_APP)
            .await
            .expect("writer pool");
        writer_pids.push(backend_pid(&pool).await);
        let ctx = ctx_on(pool, &format!("station:bench-{w:02}"));
        let token = support::demo_login(&ctx, workload.username()).await;
        stations.push((ctx, token));
    }
    let postmaster = parent_of(writer_pids[0]);
    // The logins' audit rows are sealed before the load, so the load starts with an empty queue.
    db::audit::seal(&client, true)
        .await
        .expect("seal the logins");
    let mut sealer_pids = Vec::new();
    let mut sealers: Vec<(Pool, tokio::task::JoinHandle<()>)> = Vec::new();
    if chain == Chain::On {
        for (ctx, _) in &stations {
            let pool = if sealer_shares_pool() {
                ctx.pool.clone()
            } else {
                db::connect(&station_url, 1, SEALER_APP)
                    .await
                    .expect("sealer pool")
            };
            sealer_pids.push(backend_pid(&pool).await);
            let task = tokio::spawn(db::audit::run_sealer(pool.clone()));
            sealers.push((pool, task));
        }
    }

    // The work, built before the clock starts.
    let work: Vec<Vec<Request>> = stations
        .iter()
        .enumerate()
        .map(|(w, (_, token))| match workload {
            Workload::Orders => (0..ORDERS_PER_WRITER)
                .map(|i| Request::CreateOrder {
                    token: token.clone(),
                    order: Box::new(order_document(
                        &format!("PO-R{index}-W{w:02}-{i}"),
                        &format!("B-R{index}-W{w:02}-{i}"),
                    )),
                })
                .collect(),
            Workload::Tasks => base.tasks[w]
                .iter()
                .map(|(task_id, completion)| Request::CompleteTask {
                    token: token.clone(),
                    task_id: *task_id,
                    completion: completion.clone(),
                })
                .collect(),
        })
        .collect();

    let audit_before = count(&client, r#"SELECT count(*) FROM "AuditLog""#).await;
    let head_before = count(
        &client,
        r#"SELECT COALESCE(max("position"), 0) FROM "AuditChain""#,
    )
    .await;
    // Idle sessions flush their statistics within a second; then the functions' counters are read.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let functions_before = function_stats(&client).await;

    let stop = Arc::new(AtomicBool::new(false));
    let done = Arc::new(Mutex::new(HashSet::new()));
    let sampler = tokio::spawn(sample_states(
        owner.get().await.expect("sampler connection"),
        name.clone(),
        done.clone(),
        stop.clone(),
    ));
    let start = Arc::new(Barrier::new(WRITERS + 1));
    let mut writers = Vec::with_capacity(WRITERS);
    for (((ctx, _), requests), pid) in stations.into_iter().zip(work).zip(&writer_pids) {
        writers.push(tokio::spawn(write_all(
            ctx,
            requests,
            *pid,
            done.clone(),
            start.clone(),
        )));
    }
    let wal_before = wal_position(&client).await;
    let cpu_before = cpu_snapshot(postmaster);
    start.wait().await;
    let t0 = Instant::now();
    let mut latencies = Vec::new();
    let mut contexts = Vec::new();
    let mut finished = Vec::new();
    for w in writers {
        let (ctx, times, at) = w.await.expect("writer");
        latencies.extend(times);
        contexts.push(ctx);
        finished.push(at.duration_since(t0));
    }
    let wall = t0.elapsed();
    let cpu_after = cpu_snapshot(postmaster);
    let wal_after = wal_position(&client).await;
    stop.store(true, Ordering::SeqCst);
    let (writer_states, sealer_states) = sampler.await.expect("sampler");
    latencies.sort();
    finished.sort();
    let cpu = cpu_used(&cpu_before, &cpu_after, &writer_pids, &sealer_pids);

    let head_after_load = count(
        &client,
        r#"SELECT COALESCE(max("position"), 0) FROM "AuditChain""#,
    )
    .await;
    let final_seal = if chain != Chain::Off {
        let t = Instant::now();
        let n = db::audit::seal(&client, true)
            .await
            .expect("final seal")
            .unwrap_or(0);
        Some((n, t.elapsed()))
    } else {
        None
    };
    let head_end = count(
        &client,
        r#"SELECT COALESCE(max("position"), 0) FROM "AuditChain""#,
    )
    .await;
    for (pool, task) in sealers {
        task.abort();
        let _ = task.await;
        pool.close();
    }
    for ctx in contexts {
        ctx.pool.close();
    }

    let audit_after = count(&client, r#"SELECT count(*) FROM "AuditLog""#).await;
    let pending = count(&client, r#"SELECT count(*) FROM "AuditPending""#).await;
    assert_eq!(pending, 0, "rows left in AuditPending");
    if chain != Chain::Off {
        let report = db::audit::verify_chain(&client)
            .await
            .expect("verify the chain");
        assert!(
            report.problems.is_empty(),
            "the chain is broken: {:?}",
            report.problems
        );
        assert_eq!(
            report.links, audit_after,
            "one link per audit row ({} links, {} audit rows)",
            report.links, audit_after
        );
    }

    // Closed sessions flush their statistics as they exit: wait until they are gone.
    for _ in 0..100 {
        let left = client
            .query_one(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 \
                 AND application_name IN ($2, $3)",
                &[&name, &WRITER_APP, &SEALER_APP],
            )
            .await
            .expect("pg_stat_activity")
            .get::<_, i64>(0);
        if left == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let functions_after = function_stats(&client).await;
    let functions = functions_after
        .iter()
        .map(|(f, (calls, ms))| {
            let (c0, m0) = functions_before.get(f).copied().unwrap_or((0, 0.0));
            (f.clone(), (calls - c0, ms - m0))
        })
        .collect();

    drop(client);
    owner.close();
    drop_database(&base.owner_url, &base.name, &name).await;

    Round {
        chain,
        wall,
        latencies,
        audit_rows: audit_after - audit_before,
        sealed_during: head_after_load - head_before,
        sealed_by_stations: head_end - head_before - final_seal.map_or(0, |(n, _)| n),
        final_seal,
        functions,
        writer_states,
        sealer_states,
        finished,
        cpu,
        wal_mb: (wal_after - wal_before) / 1e6,
    }
}

/// One station's writes, timed one by one once every station is ready; then the time it finished.
async fn write_all(
    ctx: ServiceCtx,
    requests: Vec<Request>,
    pid: i32,
    done: Arc<Mutex<HashSet<i32>>>,
    start: Arc<Barrier>,
) -> (ServiceCtx, Vec<Duration>, Instant) {
    start.wait().await;
    let mut times = Vec::with_capacity(requests.len());
    for req in requests {
        let t = Instant::now();
        match support::request(&ctx, req).await {
            Reply::OrderCreated(_) | Reply::Task(_) => {}
            other => panic!("unexpected reply {other:?}"),
        }
        times.push(t.elapsed());
    }
    let at = Instant::now();
    done.lock().expect("done set").insert(pid);
    (ctx, times, at)
}

/// Samples what the writers' (those still writing) and sealers' backends are doing until `stop`.
async fn sample_states(
    client: deadpool_postgres::Object,
    dbname: String,
    done: Arc<Mutex<HashSet<i32>>>,
    stop: Arc<AtomicBool>,
) -> (BTreeMap<String, usize>, BTreeMap<String, usize>) {
    let mut writers = BTreeMap::new();
    let mut sealers = BTreeMap::new();
    let sql = r#"SELECT pid, application_name, COALESCE(state, ''),
                        COALESCE(wait_event_type || ':' || wait_event, '')
                   FROM pg_stat_activity
                  WHERE datname = $1 AND application_name IN ($2, $3)"#;
    while !stop.load(Ordering::SeqCst) {
        let rows = client
            .query(sql, &[&dbname, &WRITER_APP, &SEALER_APP])
            .await
            .expect("pg_stat_activity");
        let finished = done.lock().expect("done set").clone();
        for r in rows {
            let pid: i32 = r.get(0);
            let app: String = r.get(1);
            let state: String = r.get(2);
            let wait: String = r.get(3);
            if finished.contains(&pid) {
                continue;
            }
            let key = match (state.as_str(), wait.as_str()) {
                ("active", "") => "running".to_string(),
                ("active", w) => format!("waiting on {w}"),
                ("idle in transaction", _) => "in transaction, waiting for the client".into(),
                ("idle", _) => "idle, between transactions".into(),
                (s, w) => format!("{s} {w}"),
            };
            let map = if app == WRITER_APP {
                &mut writers
            } else {
                &mut sealers
            };
            *map.entry(key).or_insert(0) += 1;
        }
        tokio::time::sleep(SAMPLE_EVERY).await;
    }
    (writers, sealers)
}

// ------------------------------------------------------------------------------------------------
// CPU accounting from /proc
// ------------------------------------------------------------------------------------------------

/// Clock ticks of the machine (busy, total), of this process, and of every child of the cluster's
/// postmaster.
struct CpuSnapshot {
    busy: u64,
    total: u64,
    bench: u64,
    server: HashMap<i32, u64>,
}

const TICKS_PER_SECOND: f64 = 100.0;

/// (parent pid, utime + stime) of a process from /proc/PID/stat.
fn proc_stat(pid: &str) -> Option<(i32, u64)> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may contain spaces; the fields after it are fixed.
    let fields: Vec<&str> = text
        .get(text.rfind(')')? + 1..)?
        .split_whitespace()
        .collect();
    let ppid = fields.get(1)?.parse().ok()?;
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some((ppid, utime + stime))
}

fn parent_of(pid: i32) -> i32 {
    proc_stat(&pid.to_string()).expect("backend in /proc").0
}

fn cpu_snapshot(postmaster: i32) -> CpuSnapshot {
    let stat = std::fs::read_to_string("/proc/stat").expect("/proc/stat");
    let ticks: Vec<u64> = stat
        .lines()
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .skip(1)
        .filter_map(|t| t.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal (guest time is already in user).
    let at = |i: usize| ticks.get(i).copied().unwrap_or(0);
    let total: u64 = (0..8).map(at).sum();
    let busy = total - at(3) - at(4) - at(7);
    let mut server = HashMap::new();
    for entry in std::fs::read_dir("/proc").expect("/proc").flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .filter(|n| n.bytes().all(|b| b.is_ascii_digit()))
        else {
            continue;
        };
        if let Some((ppid, t)) = proc_stat(pid)
            && ppid == postmaster
            && let Ok(pid) = pid.parse()
        {
            server.insert(pid, t);
        }
    }
    CpuSnapshot {
        busy,
        total,
        bench: proc_stat("self").map_or(0, |s| s.1),
        server,
    }
}

fn cpu_used(a: &CpuSnapshot, b: &CpuSnapshot, writers: &[i32], sealers: &[i32]) -> CpuUse {
    let s = |t: u64| t as f64 / TICKS_PER_SECOND;
    let mut use_ = CpuUse {
        bench: s(b.bench - a.bench),
        capacity: s(b.total - a.total),
        ..CpuUse::default()
    };
    // A process that started during the load (an autovacuum worker) counts whole; one that came and
    // went between the snapshots is in `elsewhere`.
    for (pid, after) in &b.server {
        let before = a.server.get(pid).copied().unwrap_or(0);
        let used = s(after.saturating_sub(before));
        if writers.contains(pid) {
            use_.writers += used;
        } else if sealers.contains(pid) {
            use_.sealers += used;
        } else {
            use_.server_other += used;
        }
    }
    use_.elsewhere =
        (s(b.busy - a.busy) - use_.writers - use_.sealers - use_.server_other - use_.bench)
            .max(0.0);
    use_
}

async fn backend_pid(pool: &Pool) -> i32 {
    pool.get()
        .await
        .expect("connection")
        .query_one("SELECT pg_backend_pid()", &[])
        .await
        .expect("backend pid")
        .get(0)
}

/// The cluster's WAL position in bytes.
async fn wal_position(client: &deadpool_postgres::Object) -> f64 {
    client
        .query_one(
            "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::float8",
            &[],
        )
        .await
        .expect("WAL position")
        .get(0)
}

/// (calls, total ms) of the audit functions in this database.
async fn function_stats(client: &deadpool_postgres::Object) -> BTreeMap<String, (i64, f64)> {
    client
        .query(
            r#"SELECT funcname::text, calls, total_time FROM pg_stat_user_functions
                WHERE funcname IN ('audit_seal', 'audit_statement', 'audit_enqueue')"#,
            &[],
        )
        .await
        .expect("pg_stat_user_functions")
        .iter()
        .map(|r| (r.get(0), (r.get(1), r.get(2))))
        .collect()
}

async fn count(client: &deadpool_postgres::Object, sql: &str) -> i64 {
    client.query_one(sql, &[]).await.expect("count").get(0)
}

// ------------------------------------------------------------------------------------------------
// Databases and requests
// ------------------------------------------------------------------------------------------------

/// `url` (a keyword connection string) for database `to` instead of `from`.
fn with_db(url: &str, from: &str, to: &str) -> String {
    let with = url.replace(&format!("dbname={from}"), &format!("dbname={to}"));
    assert_ne!(with, url, "connection string names its database");
    with
}

async fn admin(owner_url: &str, base: &str) -> tokio_postgres::Client {
    let (client, conn) =
        tokio_postgres::connect(&with_db(owner_url, base, "postgres"), tokio_postgres::NoTls)
            .await
            .expect("connect to the cluster");
    tokio::spawn(conn);
    client
}

async fn copy_database(owner_url: &str, base: &str, name: &str) {
    let admin = admin(owner_url, base).await;
    // A connection to the base that was just closed may still be going away; retry briefly.
    for attempt in 0.. {
        match admin
            .batch_execute(&format!("CREATE DATABASE {name} TEMPLATE {base}"))
            .await
        {
            Ok(()) => return,
            Err(_) if attempt < 100 => tokio::time::sleep(Duration::from_millis(100)).await,
            Err(e) => panic!("copy database {base} to {name}: {e}"),
        }
    }
}

async fn drop_database(owner_url: &str, base: &str, name: &str) {
    admin(owner_url, base)
        .await
        .batch_execute(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .await
        .expect("drop the round's database");
}

fn ctx_on(pool: Pool, agent: &str) -> ServiceCtx {
    ServiceCtx {
        pool,
        policy: SecurityPolicy::default(),
        agent: agent.into(),
        read_pool: None,
    }
}

// ------------------------------------------------------------------------------------------------
// Report
// ------------------------------------------------------------------------------------------------

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn print_round(i: usize, r: &Round) {
    println!(
        "  round {:>2}, chain {}: {:>4} writes in {:>5.2} s = {:>5.1} writes/s; p50 {:>6.1} ms, p99 {:>6.1} ms; \
         {} audit rows ({:.0} per write)",
        i + 1,
        r.chain.label(),
        r.writes(),
        r.wall.as_secs_f64(),
        r.per_second(),
        ms(r.quantile(50)),
        ms(r.quantile(99)),
        r.audit_rows,
        r.audit_rows as f64 / r.writes() as f64
    );
    if let Some((n, t)) = r.final_seal {
        println!(
            "      sealed by the stations' sealers: {} rows ({} while the writers wrote); \
             final seal(true): {n} rows in {:.1} ms",
            r.sealed_by_stations,
            r.sealed_during,
            ms(t)
        );
    }
    let f: Vec<String> = r
        .functions
        .iter()
        .map(|(name, (calls, total))| format!("{name} {calls} calls {total:.0} ms"))
        .collect();
    println!("      time inside the audit functions: {}", f.join(", "));
    let n = r.finished.len();
    println!(
        "      writers finished after {:.2} s (first), {:.2} s (median), {:.2} s (last)",
        r.finished[0].as_secs_f64(),
        r.finished[n / 2].as_secs_f64(),
        r.finished[n - 1].as_secs_f64()
    );
    let c = &r.cpu;
    println!(
        "      CPU s: writers' backends {:.1}, sealers' backends {:.1}, other server processes {:.1}, \
         bench process {:.1}, other jobs on the machine {:.1}; capacity {:.1} (cores x wall)",
        c.writers, c.sealers, c.server_other, c.bench, c.elsewhere, c.capacity
    );
    println!("      WAL written during the load: {:.0} MB", r.wal_mb);
    print_states("writers", &r.writer_states);
    if r.chain == Chain::On {
        print_states("sealers", &r.sealer_states);
    }
}

/// The commonest states of the sampled backends, and every heavyweight lock wait.
fn print_states(who: &str, states: &BTreeMap<String, usize>) {
    let total: usize = states.values().sum();
    if total == 0 {
        return;
    }
    let pct = |n: usize| n as f64 * 100.0 / total as f64;
    let mut v: Vec<(&String, &usize)> = states.iter().collect();
    v.sort_by(|a, b| b.1.cmp(a.1));
    let parts: Vec<String> = v
        .iter()
        .take(5)
        .map(|(k, n)| format!("{k} {:.0}%", pct(**n)))
        .collect();
    let locks: Vec<String> = v
        .iter()
        .filter(|(k, _)| k.starts_with("waiting on Lock:"))
        .map(|(k, n)| format!("{} {:.1}%", &k["waiting on ".len()..], pct(**n)))
        .collect();
    println!(
        "      {who} ({total} samples): {}; lock waits: {}",
        parts.join(", "),
        if locks.is_empty() {
            "none".to_string()
        } else {
            locks.join(", ")
        }
    );
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        f64::NAN
    } else if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// A number taken from one round.
type Metric = dyn Fn(&Round) -> f64;

fn summarize(rounds: &[Round]) {
    let of = |chain: Chain, f: &Metric| -> Vec<f64> {
        rounds.iter().filter(|r| r.chain == chain).map(f).collect()
    };
    let n_on = of(Chain::On, &|_| 0.0).len();
    let n_off = of(Chain::Off, &|_| 0.0).len();
    let queue = !of(Chain::Queue, &|_| 0.0).is_empty();
    let cpu_per_write = |r: &Round| {
        let c = &r.cpu;
        (c.writers + c.sealers + c.server_other + c.bench) * 1000.0 / r.writes() as f64
    };
    let metrics: [(&str, &Metric, &str); 8] = [
        ("wall time", &|r| r.wall.as_secs_f64(), "s"),
        ("writes/s", &|r| r.per_second(), ""),
        ("p50 latency", &|r| ms(r.quantile(50)), "ms"),
        ("p99 latency", &|r| ms(r.quantile(99)), "ms"),
        ("CPU / write", &cpu_per_write, "ms"),
        (
            "  sealers'",
            &|r| r.cpu.sealers * 1000.0 / r.writes() as f64,
            "ms",
        ),
        (
            "WAL / write",
            &|r| r.wal_mb * 1000.0 / r.writes() as f64,
            "kB",
        ),
        ("other jobs", &|r| r.cpu.elsewhere, "s"),
    ];
    println!(
        "  medians ({n_on} rounds on, {n_off} off; CPU is the cluster's and this process's, \
         \"other jobs\" the CPU seconds the rest of the machine used during a round):"
    );
    println!(
        "    {:<12} {:>11} {:>11} {:>9}   {}",
        "",
        "chain on",
        "chain off",
        "on / off",
        if queue {
            "queue only (/ off)"
        } else {
            "range on | off"
        }
    );
    for (label, f, unit) in metrics {
        let on = of(Chain::On, f);
        let off = of(Chain::Off, f);
        let (mon, moff) = (median(on.clone()), median(off.clone()));
        let extra = if queue {
            let q = median(of(Chain::Queue, f));
            format!("{q:.2} {unit} ({:.2})", q / moff)
        } else {
            let range = |v: &[f64]| {
                let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
                let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                format!("{lo:.1}-{hi:.1}")
            };
            format!("{} | {}", range(&on), range(&off))
        };
        let ratio = if moff > 0.0 && !label.starts_with(' ') && label != "other jobs" {
            format!("{:.2}", mon / moff)
        } else {
            String::new()
        };
        println!("    {label:<12} {mon:>8.2} {unit:<2} {moff:>8.2} {unit:<2} {ratio:>9}   {extra}");
    }
    let on_rounds: Vec<&Round> = rounds.iter().filter(|r| r.chain == Chain::On).collect();
    let finals: Vec<(f64, f64)> = on_rounds
        .iter()
        .filter_map(|r| r.final_seal.map(|(n, t)| (n as f64, ms(t))))
        .collect();
    let slowest = finals
        .iter()
        .copied()
        .fold((0.0, 0.0), |a, b| if b.1 > a.1 { b } else { a });
    println!(
        "    sealing, median of the on rounds: {:.0} rows sealed by the stations' sealers ({:.0} while \
         the writers wrote); the final seal(true) {:.0} rows in {:.1} ms (slowest: {:.0} rows in {:.0} ms)",
        median(
            on_rounds
                .iter()
                .map(|r| r.sealed_by_stations as f64)
                .collect()
        ),
        median(on_rounds.iter().map(|r| r.sealed_during as f64).collect()),
        median(finals.iter().map(|f| f.0).collect()),
        median(finals.iter().map(|f| f.1).collect()),
        slowest.0,
        slowest.1,
    );
}

/// `AUDIT_BENCH_SEALER=shared`: each sealer uses its writer's one-connection pool, as on a station
/// configured with `database.pool_size = 1`.
fn sealer_shares_pool() -> bool {
    std::env::var("AUDIT_BENCH_SEALER").is_ok_and(|v| v == "shared")
}
