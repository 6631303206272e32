//! `order list` writes the queue page by page (docs/performance.md §5.2): the same builds as the whole
//! queue read at once, JSON that stays one array, and `--limit`.

use crate::env::{Env, stderr, stdout};
use cleanstation::domain::order::{OrderQuery, OrderRow, QueueView};
use cleanstation::msg::{Reply, Request};
use cleanstation::service::seed::DEMO_PASSWORD;
use cleanstation::service::{SecurityPolicy, ServiceCtx};
use serde_json::Value;

/// More builds than one page of the command line's reads (500).
const EXTRA_BUILDS: i32 = 1_200;

async fn add_builds(env: &Env) {
    env.db
        .client()
        .await
        .execute(
            r#"INSERT INTO "ProductionOrder" (
                   "poNumber", "buildNumber", "customerName", "salesPerson", "wantDate", "orderLanguage",
                   "sinkFamily", "sinkModel", "sinkWidth", "sinkLength", "legsType", "legsModel",
                   "feetType", "workflowDirection", "hasPegboard", "orderStatus")
               SELECT 'PO-' || (500000 + i / 3), 'LIST-' || lpad(i::text, 5, '0'), 'Customer ' || (i % 7),
                      'Jordan Lee', CURRENT_DATE + (i % 90), 'EN', 'MDRD', 'T2-B1', 30, 60,
                      'HEIGHT_ADJUSTABLE', 'DL27', 'LOCK_LEVELING_CASTERS', 'LEFT_TO_RIGHT', false,
                      (enum_range(NULL::"OrderStatus"))[1 + i % 8]
                 FROM generate_series(1, $1) i"#,
            &[&EXTRA_BUILDS],
        )
        .await
        .expect("builds");
}

/// The whole queue as the command line read it before it streamed: every page, collected.
async fn whole_queue(env: &Env) -> Vec<OrderRow> {
    let ctx = ServiceCtx {
        pool: env.db.pool.clone(),
        policy: SecurityPolicy::default(),
        agent: "station:test".into(),
        read_pool: None,
    };
    let token = crate::support::demo_login(&ctx, "coordinator").await;
    let mut query = OrderQuery {
        view: QueueView::All,
        limit: 500,
        ..OrderQuery::default()
    };
    let mut rows = Vec::new();
    loop {
        let reply = crate::support::request(
            &ctx,
            Request::ListOrders {
                token: token.clone(),
                query: Box::new(query.clone()),
            },
        )
        .await;
        let Reply::Orders(page) = reply else {
            panic!("list: {reply:?}");
        };
        rows.extend(page.rows);
        match page.next {
            Some(next) => query.after = Some(next),
            None => return rows,
        }
    }
}

async fn list(env: &Env, extra: &[&str]) -> String {
    let mut args = vec!["order", "list", "--as", "coordinator"];
    args.extend_from_slice(extra);
    let out = env
        .db
        .cli(&args, &[("CLEANSTATION_PASSWORD", DEMO_PASSWORD)])
        .await;
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    stdout(&out)
}

fn json_rows(text: &str) -> Vec<Value> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Array(rows)) => rows,
        other => panic!("not a JSON array: {other:?}\n{text}"),
    }
}

#[tokio::test]
async fn order_list_streams_the_whole_queue_and_stops_at_the_limit() {
    let env = Env::new().await;
    add_builds(&env).await;
    let whole = whole_queue(&env).await;
    assert!(whole.len() > 1_000, "several pages: {}", whole.len());
    let expected: Vec<Value> = whole
        .iter()
        .map(|r| serde_json::to_value(r).expect("row"))
        .collect();

    // Every page, in order, as one array.
    assert_eq!(json_rows(&list(&env, &["--json"]).await), expected);

    // The table: one header, then a line per build, in the same order.
    let table = list(&env, &[]).await;
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), whole.len() + 1);
    assert!(lines[0].starts_with("PO "), "{}", lines[0]);
    for (line, row) in lines[1..].iter().zip(&whole) {
        assert!(line.contains(&row.build_number), "{line}");
    }

    // --limit: within the first page and across pages.
    for limit in [3_usize, 700] {
        let n = limit.to_string();
        let rows = json_rows(&list(&env, &["--json", "--limit", &n]).await);
        assert_eq!(rows, expected[..limit]);
        assert_eq!(
            list(&env, &["--limit", &n]).await.lines().count(),
            limit + 1
        );
    }
    let out = env
        .db
        .cli(
            &["order", "list", "--limit", "0", "--as", "coordinator"],
            &[("CLEANSTATION_PASSWORD", DEMO_PASSWORD)],
        )
        .await;
    assert_ne!(out.status.code(), Some(0), "a limit of 0 is refused");
}

#[tokio::test]
async fn an_empty_queue_is_an_empty_array_or_a_line_saying_so() {
    let env = Env::new().await;
    env.db
        .client()
        .await
        .batch_execute(r#"UPDATE "ProductionOrder" SET "orderStatus" = 'SHIPPED'"#)
        .await
        .expect("ship all");
    let shipped_only = ["--status", "ORDER_CREATED"];
    let mut json = shipped_only.to_vec();
    json.push("--json");
    assert_eq!(list(&env, &json).await, "[]\n");
    assert_eq!(list(&env, &shipped_only).await, "No builds.\n");
}
