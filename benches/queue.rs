//! Order queue latency at 100,000 builds, through `service::dispatch` exactly as a station asks:
//! session check, role view, filters and keyset pagination included.
//!
//! Starts a throwaway cluster (the test harness's), seeds the demo data, adds 100,000 builds in bulk SQL
//! (the load harness's generator, `cleanstation::load::plant::generate_builds`) and prints p50 / p99
//! over 200 runs of: the first page, a deep page reached by following cursors, a customer-substring
//! search and a status filter. `cargo bench --bench queue`.
//!
//! Then the cost of statements (docs/performance.md §4): the session check, a queue page at the
//! repository and a whole request, each with its statements prepared on every call (as before the
//! statement cache) and cached; and the session check's SELECT run by pgbench with `-M simple` and
//! `-M prepared` on the same server, for comparison.
#![allow(clippy::panic)] // the shared test harness reports a broken setup by panicking

#[path = "../tests/support/mod.rs"]
mod support;

use cleanstation::db::Actor;
use cleanstation::domain::order::{OrderPage, OrderQuery, OrderStatus, QueueView};
use cleanstation::load::plant::generate_builds;
use cleanstation::msg::{Reply, Request};
use cleanstation::service::seed::seed_demo;
use cleanstation::service::{SecurityPolicy, ServiceCtx};
use std::time::{Duration, Instant};

const BUILDS: i32 = 100_000;
const RUNS: usize = 200;
const WARM_UP: usize = 20;
/// Pages followed before the deep page is measured (page size 50: rows 50,001-50,050).
const DEEP_PAGES: usize = 1000;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(run());
}

async fn run() {
    let db = support::TestDb::new().await;
    seed_demo(&db.owner, &Actor::system("bench seed"))
        .await
        .expect("seed");
    let started = Instant::now();
    generate(&db).await;
    println!(
        "generated {BUILDS} builds in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let ctx = ServiceCtx {
        pool: db.pool.clone(),
        policy: SecurityPolicy::default(),
        agent: "station:bench".into(),
        read_pool: None,
    };
    let token = support::demo_login(&ctx, "coordinator").await;
    let assembler = support::demo_login(&ctx, "assembler").await;

    let first = OrderQuery {
        view: QueueView::MyWork,
        ..OrderQuery::default()
    };
    let mut deep = OrderQuery {
        view: QueueView::All,
        ..OrderQuery::default()
    };
    for _ in 0..DEEP_PAGES {
        let page = list(&ctx, &token, deep.clone()).await;
        deep.after = Some(page.next.expect("more pages"));
    }
    let search = OrderQuery {
        view: QueueView::All,
        search: "mercy".into(),
        ..OrderQuery::default()
    };
    let status = OrderQuery {
        view: QueueView::All,
        status: Some(OrderStatus::ReadyForProduction),
        ..OrderQuery::default()
    };

    let work = OrderQuery {
        view: QueueView::MyWork,
        ..OrderQuery::default()
    };

    println!("order queue at {BUILDS} builds, page size 50 ({RUNS} runs each; p50 / p99)");
    for (label, who, query) in [
        ("first page (coordinator's view, want date)", &token, first),
        ("deep page (after 1,000 pages of cursors)", &token, deep),
        ("search \"mercy\" (customer substring)", &token, search),
        ("status READY_FOR_PRODUCTION", &token, status),
        ("assembler's work queue (theirs or free)", &assembler, work),
    ] {
        let (p50, p99, rows) = measure(&ctx, who, &query).await;
        println!(
            "  {label:<45} {:>7.2} ms / {:>7.2} ms  ({rows} rows)",
            ms(p50),
            ms(p99)
        );
    }
    statements(&db, &ctx, &token).await;
}

/// p50 / p99 of `run` over RUNS calls after WARM_UP, with every statement prepared again before each
/// call when `prepare_each` (clearing the pool's statement caches), else cached.
async fn timed<F, Fut>(ctx: &ServiceCtx, prepare_each: bool, mut run: F) -> (Duration, Duration)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut times = Vec::with_capacity(RUNS);
    for i in 0..WARM_UP + RUNS {
        if prepare_each {
            ctx.pool.manager().statement_caches.clear();
        }
        let t = Instant::now();
        run().await;
        if i >= WARM_UP {
            times.push(t.elapsed());
        }
    }
    times.sort();
    let at = |q: usize| times[(RUNS * q / 100).min(RUNS - 1)];
    (at(50), at(99))
}

async fn statements(db: &support::TestDb, ctx: &ServiceCtx, token: &str) {
    use cleanstation::db::orders::{QueueFilter, queue};
    use cleanstation::domain::order::{DueFilter, SortKey};
    let hash = cleanstation::auth::sha256_hex(token.as_bytes());
    let page = |search: Option<&str>| QueueFilter {
        statuses: None,
        mine_or_free: None,
        status: None,
        search: search.map(str::to_string),
        due: DueFilter::Any,
        sort: SortKey::WantDate,
        descending: false,
        after: None,
        limit: 50,
        ids: None,
    };
    let first = page(None);
    let search = page(Some("mercy"));
    let request = OrderQuery {
        view: QueueView::All,
        ..OrderQuery::default()
    };
    println!("statements ({RUNS} runs each; p50 / p99): prepared on every call -> cached");
    for (label, kind) in [
        ("session check (find_by_token_hash)", 0),
        ("queue page at the repository (first page)", 1),
        ("queue page at the repository (search)", 2),
        ("whole request: ListOrders via dispatch", 3),
    ] {
        let mut line = format!("  {label:<45}");
        for prepare_each in [true, false] {
            let (p50, p99) = timed(ctx, prepare_each, || async {
                let client = ctx.pool.get().await.expect("connection");
                match kind {
                    0 => {
                        cleanstation::db::sessions::find_by_token_hash(&client, &hash)
                            .await
                            .expect("session");
                    }
                    1 => {
                        queue(&client, &first).await.expect("page");
                    }
                    2 => {
                        queue(&client, &search).await.expect("page");
                    }
                    _ => {
                        drop(client);
                        list(ctx, token, request.clone()).await;
                    }
                }
            })
            .await;
            line.push_str(&format!(" {:>6.3} / {:>6.3} ms", ms(p50), ms(p99)));
            if prepare_each {
                line.push_str("  ->");
            }
        }
        println!("{line}");
    }
    pgbench_session_check(db, &hash).await;
}

/// The session check's SELECT as the server holds it prepared, with the token hash written in, run
/// by pgbench in both protocols (skipped when pgbench is not installed).
async fn pgbench_session_check(db: &support::TestDb, hash: &str) {
    let client = db.pool.get().await.expect("connection");
    // Prepared on this very connection first, so it is there to read back.
    cleanstation::db::sessions::find_by_token_hash(&client, hash)
        .await
        .expect("session");
    let sql: String = client
        .query_one(
            r#"SELECT statement FROM pg_prepared_statements
                WHERE strpos(statement, 'FROM "UserSession" s') > 0 LIMIT 1"#,
            &[],
        )
        .await
        .expect("the cached session check")
        .get(0);
    let script = std::env::temp_dir().join(format!("cs-bench-session-{}.sql", std::process::id()));
    std::fs::write(
        &script,
        format!("{};\n", sql.replace("$1", &format!("'{hash}'"))),
    )
    .expect("script");
    println!("pgbench, the same SELECT, 1 client, 5,000 transactions (average latency):");
    for mode in ["simple", "prepared"] {
        let out = std::process::Command::new("pgbench")
            .args(["-n", "-c", "1", "-t", "5000", "-M", mode, "-f"])
            .arg(&script)
            .arg(&db.url)
            .output();
        match out {
            Ok(o) if o.status.success() => {
                let text = String::from_utf8_lossy(&o.stdout);
                let latency = text
                    .lines()
                    .find(|l| l.starts_with("latency average"))
                    .unwrap_or("latency average = ?");
                println!("  -M {mode:<9} {latency}");
            }
            Ok(o) => println!("  -M {mode}: {}", String::from_utf8_lossy(&o.stderr).trim()),
            Err(e) => println!("  pgbench not run: {e}"),
        }
    }
    let _ = std::fs::remove_file(&script);
}

async fn list(ctx: &ServiceCtx, token: &str, query: OrderQuery) -> OrderPage {
    match support::request(
        ctx,
        Request::ListOrders {
            token: token.into(),
            query: Box::new(query),
        },
    )
    .await
    {
        Reply::Orders(p) => p,
        other => panic!("list: {other:?}"),
    }
}

async fn measure(ctx: &ServiceCtx, token: &str, query: &OrderQuery) -> (Duration, Duration, usize) {
    let mut rows = 0;
    for _ in 0..WARM_UP {
        rows = list(ctx, token, query.clone()).await.rows.len();
    }
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let t = Instant::now();
        let page = list(ctx, token, query.clone()).await;
        times.push(t.elapsed());
        rows = page.rows.len();
    }
    times.sort();
    let at = |q: usize| times[(RUNS * q / 100).min(RUNS - 1)];
    (at(50), at(99), rows)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The plant's builds, as the load harness generates them (`cleanstation::load::plant`).
async fn generate(db: &support::TestDb) {
    let client = db.client().await;
    generate_builds(&client, BUILDS).await.expect("builds");
}
