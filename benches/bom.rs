//! BOM generation for the fullest build the wizard allows (3 basins, one of each type, with every add-on;
//! a pegboard; 3 faucets; 2 sprayers; 10 accessories), timed as the service runs it: load the catalog index,
//! generate and expand, then store the version (`begin_as`, `write_version`, commit). Each stored run is
//! the first BOM of a fresh build. Also times the pure generation step alone and counts the SQL statements
//! of one generation with `pg_stat_statements`.
//!
//! Starts its own throwaway cluster with the server's default durability settings (a write path is timed,
//! so commits are flushed as in production) plus `pg_stat_statements`. `cargo bench --bench bom`.

use cleanstation::cluster::Cluster;
use cleanstation::db::bom::{load_catalog_index, write_version};
use cleanstation::db::{Actor, begin_as};
use cleanstation::domain::bom::{GeneratedBom, generate};
use cleanstation::domain::order::{BuildConfig, DocumentLanguage};
use cleanstation::domain::order_rules::validate_build;
use cleanstation::service::seed::seed_demo;
use deadpool_postgres::Pool;
use serde_json::json;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use uuid::Uuid;

const RUNS: usize = 200;
const WARM_UP: usize = 20;
/// The pure step is fast: more runs for a steady p99.
const PURE_RUNS: usize = 2000;
const DATABASE: &str = "cleanstation_bench";

/// Stops the cluster and removes its directory however the bench ends.
struct ClusterGuard {
    cluster: Cluster,
    base: PathBuf,
}

impl Drop for ClusterGuard {
    fn drop(&mut self) {
        let _ = self.cluster.stop();
        let _ = std::fs::remove_dir_all(&self.base);
    }
}

fn main() {
    let base = std::env::temp_dir().join(format!("cs-bench-bom-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let cluster = Cluster::new(&base)
        .expect("cluster directory")
        .with_settings(&[("shared_preload_libraries", "pg_stat_statements")]);
    cluster.ensure_running().expect("start the bench cluster");
    let guard = ClusterGuard { cluster, base };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(run(&guard.cluster));
}

/// The fullest build: every option the wizard offers at its largest.
fn fullest_build() -> BuildConfig {
    let build: BuildConfig = serde_json::from_value(json!({
        "buildNumber": "B-BENCH", "sinkFamily": "MDRD", "sinkModel": "T2-B3", "sinkWidth": 36, "sinkLength": 120,
        "legsType": "HEIGHT_ADJUSTABLE", "legsModel": "DL27", "feetType": "SS_ADJUSTABLE_SEISMIC_FEET",
        "hasPegboard": true, "pegboardColor": "BLUE", "pegboardType": "SOLID", "pegboardSizeType": "SAME_AS_SINK",
        "basins": [
            {"basinIndex": 1, "basinType": "E_SINK", "basinWidth": 30, "basinLength": 20, "basinDepth": 10,
             "hasPTrapDrain": true, "hasBasinLight": true},
            {"basinIndex": 2, "basinType": "E_SINK_DI", "basinWidth": 24, "basinLength": 20, "basinDepth": 10,
             "hasPTrapDrain": true, "hasBasinLight": true},
            {"basinIndex": 3, "basinType": "E_DRAIN", "basinWidth": 28, "basinLength": 22, "basinDepth": 12,
             "isCustomSize": true, "hasPTrapDrain": true, "hasBasinLight": true}],
        "faucets": [{"faucetType": "WRIST_BLADE_SWING_SPOUT", "quantity": 1, "placement": "CENTER"},
                    {"faucetType": "PRE_RINSE_OVERHEAD_SPRAY", "quantity": 1, "placement": "BETWEEN_BASINS"},
                    {"faucetType": "GOOSENECK_TREATED_WATER", "quantity": 1, "placement": "CENTER"}],
        "sprayers": [{"sprayerType": "DI_WATER_GUN_KIT_TURRET", "quantity": 1, "location": "LEFT_SIDE"},
                     {"sprayerType": "AIR_GUN_KIT_ROSETTE", "quantity": 1, "location": "RIGHT_SIDE"}],
        // The ten accessories with the largest subtrees.
        "accessories": [
            {"assemblyId": "T2-OHL-INSTRO-KIT", "quantity": 1},
            {"assemblyId": "T-OA-SSSHELF-LGHT-3612-KIT", "quantity": 1},
            {"assemblyId": "T-OA-SSSHELF-LGHT-1812-KIT", "quantity": 1},
            {"assemblyId": "T-OA-SSSHELF-3612-BOLT-ON-KIT", "quantity": 2},
            {"assemblyId": "T-OA-SSSHELF-1812-BOLT-ON-KIT", "quantity": 2},
            {"assemblyId": "T-OA-PFW1818FM-KIT", "quantity": 1},
            {"assemblyId": "T-OA-PFW1236FM-KIT", "quantity": 1},
            {"assemblyId": "T-OA-FOOTREST-RAIL-KIT", "quantity": 1},
            {"assemblyId": "T-OA-BINRAIL-48-KIT", "quantity": 3},
            {"assemblyId": "T-OA-6BRUSH-ORG-PB-KIT", "quantity": 1}]
    }))
    .expect("the fullest build parses");
    let errors = validate_build(&build);
    assert!(
        errors.is_empty(),
        "the wizard refuses the build: {errors:?}"
    );
    build
}

async fn run(cluster: &Cluster) {
    let (admin, conn) = tokio_postgres::connect(&cluster.url("postgres"), tokio_postgres::NoTls)
        .await
        .expect("connect to the bench cluster");
    tokio::spawn(conn);
    admin
        .batch_execute(&format!("CREATE DATABASE {DATABASE}"))
        .await
        .expect("create the bench database");
    let pool = cleanstation::db::connect(&cluster.url(DATABASE), 4, "cleanstation-bench")
        .await
        .expect("connect");
    cleanstation::db::migrate::run(&pool)
        .await
        .expect("migrate");
    seed_demo(&pool, &Actor::system("bench seed"))
        .await
        .expect("seed");
    let client = pool.get().await.expect("connection");
    client
        .batch_execute("CREATE EXTENSION pg_stat_statements")
        .await
        .expect("pg_stat_statements");
    let coordinator: Uuid = client
        .query_one(
            r#"SELECT id FROM "User" WHERE "username" = 'coordinator'"#,
            &[],
        )
        .await
        .expect("demo coordinator")
        .get(0);
    let orders = insert_orders(&pool, 2 * WARM_UP + 2 * RUNS + 1).await;
    let mut orders = orders.into_iter();
    let mut next_order = || orders.next().expect("enough builds");

    let build = fullest_build();
    let index = load_catalog_index(&client).await.expect("index");
    let bom = generate(DocumentLanguage::En, &build, &index).expect("generates");
    let depth = bom.nodes.iter().map(|n| n.level).max().unwrap_or(0);
    println!(
        "fullest build: {} top-level lines, {} BOM nodes ({} levels), {} flattened ids",
        bom.top_level().count(),
        bom.nodes.len(),
        depth + 1,
        bom.flattened().len()
    );

    // The pure step: generate and expand against an index already in memory.
    for _ in 0..WARM_UP {
        generate(DocumentLanguage::En, &build, &index).expect("generates");
    }
    let mut pure = Vec::with_capacity(PURE_RUNS);
    for _ in 0..PURE_RUNS {
        let t = Instant::now();
        let bom = generate(DocumentLanguage::En, &build, &index).expect("generates");
        pure.push(t.elapsed());
        std::hint::black_box(bom);
    }

    // The whole path, phase by phase.
    // A session as a station holds one, so the audit trigger resolves the actor as it does on the floor.
    let token = cleanstation::auth::new_session_token().expect("token");
    client
        .execute(
            "SELECT app_session_open($1, $2, 8)",
            &[&coordinator, &token],
        )
        .await
        .expect("session");
    let actor = Actor::session(token, "station:bench");
    for _ in 0..WARM_UP {
        generate_and_store(&pool, &actor, coordinator, &build, next_order()).await;
    }
    let mut phases: [Vec<Duration>; 6] = Default::default();
    for _ in 0..RUNS {
        let times = generate_and_store(&pool, &actor, coordinator, &build, next_order()).await;
        for (list, t) in phases.iter_mut().zip(times) {
            list.push(t);
        }
    }

    // Statements per generation, counted by the server (top-level statements; the audit trigger's inserts
    // run inside the INSERT and are not counted separately).
    for _ in 0..WARM_UP {
        generate_and_store(&pool, &actor, coordinator, &build, next_order()).await;
    }
    client
        .batch_execute("SELECT pg_stat_statements_reset()")
        .await
        .expect("reset statistics");
    for _ in 0..RUNS {
        generate_and_store(&pool, &actor, coordinator, &build, next_order()).await;
    }
    let rows = client
        .query(
            r#"SELECT s.calls, regexp_replace(left(s.query, 60), '\s+', ' ', 'g'), s.mean_exec_time
                 FROM pg_stat_statements s
                 JOIN pg_database d ON d.oid = s.dbid AND d.datname = current_database()
                WHERE s.query NOT ILIKE '%pg_stat_statements%'
                ORDER BY s.calls DESC, s.query"#,
            &[],
        )
        .await
        .expect("statement statistics");
    let total: i64 = rows.iter().map(|r| r.get::<_, i64>(0)).sum();
    let runs = i64::try_from(RUNS).expect("small");

    println!("BOM generation, fullest build (p50 / p99)");
    report(
        &format!("generate + expand only ({PURE_RUNS} runs)"),
        &mut pure,
    );
    let [load, expand, write, commit, store, whole] = &mut phases;
    report(&format!("load catalog index ({RUNS} runs)"), load);
    report(&format!("generate + expand ({RUNS} runs)"), expand);
    report(&format!("begin + write_version ({RUNS} runs)"), write);
    report(&format!("commit ({RUNS} runs)"), commit);
    report(
        &format!("store: begin, write_version, commit ({RUNS} runs)"),
        store,
    );
    report(
        &format!("whole: load + generate + store ({RUNS} runs)"),
        whole,
    );
    println!(
        "SQL statements per generation: {:.2} ({total} over {RUNS} runs; calls x mean server time)",
        total as f64 / RUNS as f64
    );
    for r in &rows {
        let calls: i64 = r.get(0);
        let query: String = r.get(1);
        let mean: f64 = r.get(2);
        println!(
            "  {:>6.2} x {mean:>7.3} ms  {query}",
            calls as f64 / runs as f64
        );
    }
    let stored: i64 = client
        .query_one(
            r#"SELECT count(*) FROM "BOMItem" i
                 JOIN "BillOfMaterials" b ON b.id = i."bomId"
                 JOIN "ProductionOrder" o ON o.id = b."orderId"
                WHERE o."poNumber" LIKE 'PO-BENCH-%'"#,
            &[],
        )
        .await
        .expect("count")
        .get(0);
    let generations = i64::try_from(2 * WARM_UP + 2 * RUNS).expect("small");
    assert_eq!(
        stored,
        generations * i64::try_from(bom.nodes.len()).expect("small"),
        "every generation stored whole"
    );
}

/// One generation as the service runs it; returns (load, generate, begin + write_version, commit, store,
/// whole).
async fn generate_and_store(
    pool: &Pool,
    actor: &Actor,
    user: Uuid,
    build: &BuildConfig,
    order: Uuid,
) -> [Duration; 6] {
    let start = Instant::now();
    let index = {
        let client = pool.get().await.expect("connection");
        load_catalog_index(&client).await.expect("index")
    };
    let loaded = Instant::now();
    let bom: GeneratedBom = generate(DocumentLanguage::En, build, &index).expect("generates");
    let generated = Instant::now();
    let mut client = pool.get().await.expect("connection");
    let tx = begin_as(&mut client, actor).await.expect("begin");
    write_version(&tx, order, &bom, user)
        .await
        .expect("write version");
    let written = Instant::now();
    tx.commit().await.expect("commit");
    let stored = Instant::now();
    [
        loaded - start,
        generated - loaded,
        written - generated,
        stored - written,
        stored - generated,
        stored - start,
    ]
}

/// `n` fresh builds (the fullest configuration's columns) to store first versions for.
async fn insert_orders(pool: &Pool, n: usize) -> Vec<Uuid> {
    let n = i32::try_from(n).expect("small");
    pool.get()
        .await
        .expect("connection")
        .query(
            r#"INSERT INTO "ProductionOrder"
                   ("poNumber", "buildNumber", "customerName", "salesPerson", "wantDate", "sinkFamily",
                    "sinkModel", "sinkWidth", "sinkLength", "legsType", "legsModel", "feetType",
                    "workflowDirection")
               SELECT 'PO-BENCH-' || i, 'B-BENCH-' || i, 'Bench Hospital', 'Jo Sales', CURRENT_DATE + 30,
                      'MDRD', 'T2-B3', 36, 120, 'HEIGHT_ADJUSTABLE', 'DL27', 'SS_ADJUSTABLE_SEISMIC_FEET',
                      'LEFT_TO_RIGHT'
                 FROM generate_series(1, $1) i
               RETURNING id"#,
            &[&n],
        )
        .await
        .expect("builds")
        .iter()
        .map(|r| r.get(0))
        .collect()
}

fn report(label: &str, times: &mut [Duration]) {
    times.sort();
    let at = |q: usize| times[(times.len() * q / 100).min(times.len() - 1)];
    println!(
        "  {label:<52} {:>8.3} ms / {:>8.3} ms",
        ms(at(50)),
        ms(at(99))
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
