//! Production reports at 100,000 builds (docs/reports.md §7), through `service::dispatch` exactly as the
//! reports screen asks: session check, role check, one read-only snapshot, the figures shaped.
//!
//! Starts a throwaway cluster (the test harness's), seeds the demo data, adds 100,000 builds in bulk SQL
//! (the load harness's generator) and, as the owner, their records with set-based SQL: status history
//! up to each build's status (about 820,000 rows), holds, Pre-QC / Final QC results with answers and
//! rejection reasons, testing forms, and task lists of ten tasks each. Then prints p50 / p95 of every
//! report over a month and a quarter, beside the p50 of `SELECT count(*) FROM "ProductionOrder"` on the
//! same connection, as a ratio. `cargo bench --bench reports`.
#![allow(clippy::panic)] // the shared test harness reports a broken setup by panicking

#[path = "../tests/support/mod.rs"]
mod support;

use chrono::{Duration as Days, Local};
use cleanstation::db::Actor;
use cleanstation::domain::report::{Period, PeriodKind, ReportKind};
use cleanstation::load::plant::generate_builds;
use cleanstation::msg::{Reply, Request};
use cleanstation::service::seed::seed_demo;
use cleanstation::service::{SecurityPolicy, ServiceCtx};
use std::time::{Duration, Instant};

const BUILDS: i32 = 100_000;
const RUNS: usize = 20;
const WARM_UP: usize = 2;
/// The budget of every report at this size (docs/reports.md §7).
const TARGET_MS: f64 = 300.0;

/// Every build's records, from its status: stage i entered at `base + (i - 1) × step`.
const RECORDS: &str = r#"
SET session_replication_role = replica;
CREATE TEMP TABLE g AS
SELECT o.id, array_position(enum_range(NULL::"OrderStatus"), o."orderStatus") AS k, h,
       (o."wantDate" - 28 + h % 10 + CASE WHEN h % 7 = 0 THEN 10 ELSE 0 END)::timestamp
           + (h % 480) * interval '1 minute' AS base,
       (12 + h % 48) * interval '1 hour' AS step
  FROM (SELECT o.*, abs(hashtext(o.id::text)) AS h FROM "ProductionOrder" o) o;

INSERT INTO "OrderStatusHistory" ("orderId", "userId", "action", "oldStatus", "newStatus", "timestamp")
SELECT g.id, (SELECT id FROM "User" WHERE username = 'coordinator'), 'move',
       (enum_range(NULL::"OrderStatus"))[n - 1], (enum_range(NULL::"OrderStatus"))[n],
       g.base + (n - 1) * g.step
  FROM g, generate_series(1, g.k) n;

INSERT INTO "BuildHold" ("orderId", "reason", "note", "placedBy", "placedAt", "releasedBy", "releasedAt")
SELECT g.id, 'OTHER', 'bench', u.id, g.base + 3 * g.step + g.step / 4,
       CASE WHEN g.k >= 5 THEN u.id END, CASE WHEN g.k >= 5 THEN g.base + 3 * g.step + g.step / 2 END
  FROM g, "User" u WHERE u.username = 'coordinator' AND g.k >= 4 AND g.h % 20 = 0;

INSERT INTO "QCFormTemplate" (id, "formName", "formType", "version")
VALUES ('00000000-0000-0000-0000-0000000000b1', 'Bench form', 'PRE_QC', 1);
INSERT INTO "QCChecklistItem" ("templateId", "section", "itemDescription", "checkType", "sequenceOrder", "rules")
SELECT '00000000-0000-0000-0000-0000000000b1', 'S', 'Bench item ' || n, 'BOOLEAN', n,
       jsonb_build_object('code', 'B-' || n)
  FROM generate_series(1, 5) n;

INSERT INTO "QCResult" ("orderId", "buildNumber", "templateId", "qcTypePerformed", "performedBy", "jobId",
       "overallStatus", "digitalSignature", "timestamp", "notes")
SELECT g.id, 'B', '00000000-0000-0000-0000-0000000000b1', v.type::"QCFormType", u.id, 'J',
       v.status::"QCResultStatus", 'sig', g.base + (v.stage - 1) * g.step - v.before * interval '1 hour',
       CASE WHEN v.status = 'FAIL' THEN 'failed' END
  FROM g, "User" u,
       (VALUES ('PRE_QC', 'PASS', 4, 1, 0, 1), ('PRE_QC', 'FAIL', 4, 3, 10, 0),
               ('FINAL_QC', 'PASS', 8, 1, 0, 1), ('FINAL_QC', 'FAIL', 8, 3, 12, 1))
           AS v(type, status, stage, before, every, rest)
 WHERE u.username = 'inspector' AND g.k >= v.stage AND (v.every = 0 OR g.h % v.every = v.rest);

INSERT INTO "QCItemResult" ("qcResultId", "checklistItemId", "resultValue")
SELECT r.id, i.id,
       CASE WHEN r."overallStatus" = 'FAIL' AND i."sequenceOrder" = 1 + abs(hashtext(r.id::text)) % 5
            THEN 'NO' ELSE 'YES' END
  FROM "QCResult" r JOIN "QCChecklistItem" i ON i."templateId" = r."templateId";

INSERT INTO "QCResultRejection" ("qcResultId", "reasonId")
SELECT r.id, (SELECT q.id FROM "QCRejectionReason" q ORDER BY q."sortOrder"
               OFFSET abs(hashtext(r.id::text)) % 9 LIMIT 1)
  FROM "QCResult" r WHERE r."overallStatus" = 'FAIL';

INSERT INTO "TestingForm" ("orderId", "performedBy", "overallStatus", "timestamp")
SELECT g.id, u.id, v.status::"TestingStatus", g.base + 4 * g.step - v.before * interval '1 hour'
  FROM g, "User" u, (VALUES ('PASS', 1, 0), ('FAIL', 3, 20)) AS v(status, before, every)
 WHERE u.username = 'assembler' AND g.k >= 5 AND (v.every = 0 OR g.h % v.every = 3);

INSERT INTO "TaskList" ("orderId", "assemblyType") SELECT g.id, 'SIMPLE' FROM g WHERE g.k >= 4;
WITH a AS (SELECT array_agg(id ORDER BY id) AS ids FROM "User" WHERE "role" = 'ASSEMBLER')
INSERT INTO "Task" ("taskListId", "sequenceOrder", "description", "estimatedTime", "isCompleted",
       "completedAt", "completedBy")
SELECT l.id, n, 'Bench task ' || n, 15 + n * 7 % 40, done,
       CASE WHEN done THEN g.base + 3 * g.step + g.step * n / 11 END,
       CASE WHEN done THEN a.ids[1 + (g.h + n) % cardinality(a.ids)] END
  FROM g JOIN "TaskList" l ON l."orderId" = g.id, a, generate_series(1, 10) n,
       LATERAL (SELECT g.k >= 5 OR n <= 5 AS done) d;

SET session_replication_role = origin;
"#;

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
    let owner = db.client().await;
    generate_builds(&owner, BUILDS).await.expect("builds");
    owner.batch_execute(RECORDS).await.expect("records");
    // As autovacuum leaves a plant that has run a while: statistics current, pages all-visible.
    owner.batch_execute("VACUUM ANALYZE").await.expect("vacuum");
    let count = |table: &'static str| {
        let owner = &owner;
        async move {
            let row = owner
                .query_one(&format!(r#"SELECT count(*) FROM "{table}""#), &[])
                .await
                .expect("count");
            row.get::<_, i64>(0)
        }
    };
    println!(
        "generated {BUILDS} builds in {:.1} s: {} history rows, {} holds, {} QC results, {} answers, \
         {} testing forms, {} tasks",
        started.elapsed().as_secs_f64(),
        count("OrderStatusHistory").await,
        count("BuildHold").await,
        count("QCResult").await,
        count("QCItemResult").await,
        count("TestingForm").await,
        count("Task").await,
    );

    let ctx = ServiceCtx {
        pool: db.pool.clone(),
        policy: SecurityPolicy::default(),
        agent: "station:bench".into(),
        read_pool: None,
    };
    let token = support::demo_login(&ctx, "coordinator").await;

    // The baseline: the simplest query over the same builds, on the same connections.
    let baseline = {
        let client = ctx.pool.get().await.expect("client");
        let mut times = Vec::new();
        for i in 0..WARM_UP + RUNS {
            let t = Instant::now();
            client
                .query_one(r#"SELECT count(*) FROM "ProductionOrder""#, &[])
                .await
                .expect("count");
            if i >= WARM_UP {
                times.push(t.elapsed());
            }
        }
        percentiles(times).0
    };
    println!(
        "baseline SELECT count(*) FROM \"ProductionOrder\": p50 {:.2} ms",
        ms(baseline)
    );

    // A quarter back, so the period is full of finished work.
    let day = Local::now().date_naive() - Days::days(90);
    let mut over = Vec::new();
    for kind in [PeriodKind::Month, PeriodKind::Quarter] {
        let period = Period::containing(kind, day);
        println!(
            "reports over {} ({RUNS} runs each; p50 / p95, p50 as a multiple of the baseline)",
            period.label()
        );
        for report in ReportKind::ALL {
            let mut times = Vec::new();
            let mut rows = 0;
            for i in 0..WARM_UP + RUNS {
                let t = Instant::now();
                let reply = support::request(
                    &ctx,
                    Request::Report {
                        token: token.clone(),
                        kind: report,
                        period,
                    },
                )
                .await;
                let Reply::Report(data) = reply else {
                    panic!("{report:?}: {reply:?}");
                };
                if i >= WARM_UP {
                    times.push(t.elapsed());
                }
                rows = data.rows.len();
            }
            let (p50, p95) = percentiles(times);
            println!(
                "  {:<22} {:>8.1} ms / {:>8.1} ms  ×{:>6.0}  ({rows} rows)",
                report.title(),
                ms(p50),
                ms(p95),
                ms(p50) / ms(baseline).max(0.001)
            );
            if ms(p95) >= TARGET_MS {
                over.push(format!("{} ({})", report.title(), period.label()));
            }
        }
    }
    if over.is_empty() {
        println!("every report under {TARGET_MS} ms at p95");
    } else {
        println!("over {TARGET_MS} ms at p95: {}", over.join(", "));
    }
    // `REPORTS_BENCH_HOLD=SECONDS` keeps the plant for EXPLAIN ANALYZE by hand.
    if let Some(secs) = std::env::var("REPORTS_BENCH_HOLD")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
    {
        println!("holding the plant for {secs} s: psql \"{}\"", db.owner_url);
        tokio::time::sleep(Duration::from_secs(secs)).await;
    }
}

/// p50 and p95 by nearest rank.
fn percentiles(mut times: Vec<Duration>) -> (Duration, Duration) {
    times.sort();
    let at = |p: f64| {
        let i = ((p * times.len() as f64).ceil() as usize).clamp(1, times.len().max(1)) - 1;
        times.get(i).copied().unwrap_or_default()
    };
    (at(0.50), at(0.95))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
