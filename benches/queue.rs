//! Order queue latency at 100,000 builds, through `service::dispatch` exactly as a station asks:
//! session check, role view, filters and keyset pagination included.
//!
//! Starts a throwaway cluster (the test harness's), seeds the demo data, adds 100,000 builds in bulk SQL
//! (the load harness's generator, `cleanstation::load::plant::generate_builds`) and prints p50 / p99
//! over 200 runs of: the first page, a deep page reached by following cursors, a customer-substring
//! search and a status filter. `cargo bench --bench queue`.
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
