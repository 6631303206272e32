//! Deadline alerts and notification priority (docs/alerts.md): thresholds, recipients, once per build
//! and threshold, the gate, stations racing, the setting, and the sweep over thousands of builds.

use crate::auth::{add, ctx, heartbeat, send, session_token};
use crate::support::TestDb;
use cleanstation::domain::Role;
use cleanstation::domain::notification::{Notification, Priority};
use cleanstation::msg::{HeartbeatInfo, Reply, Request};
use cleanstation::service::ServiceCtx;
use std::sync::Arc;
use uuid::Uuid;

/// A plant: two active coordinators, one inactive, an assembler (the assignee), a QC person and an
/// administrator, and a session for the assembler whose heartbeats run the sweep.
struct Plant {
    db: TestDb,
    ctx: ServiceCtx,
    token: String,
    coordinators: [Uuid; 2],
    retired: Uuid,
    assembler: Uuid,
    others: [Uuid; 2],
}

impl Plant {
    async fn new() -> Plant {
        let db = TestDb::new().await;
        let c1 = add(&db, "coord1", Role::ProductionCoordinator).await.id;
        let c2 = add(&db, "coord2", Role::ProductionCoordinator).await.id;
        let retired = add(&db, "coord3", Role::ProductionCoordinator).await.id;
        db.client()
            .await
            .execute(
                r#"UPDATE "User" SET "isActive" = false WHERE id = $1"#,
                &[&retired],
            )
            .await
            .expect("deactivate");
        let assembler = add(&db, "asm1", Role::Assembler).await.id;
        let qc = add(&db, "qc1", Role::QcPerson).await.id;
        let admin = add(&db, "admin1", Role::Admin).await.id;
        let token = session_token(&db, assembler).await;
        let ctx = ctx(&db);
        Plant {
            db,
            ctx,
            token,
            coordinators: [c1, c2],
            retired,
            assembler,
            others: [qc, admin],
        }
    }

    /// A build due `due_in` days from today (negative: past) in `status`, assigned to `assignee`.
    async fn build(&self, number: &str, due_in: i32, status: &str, assignee: Option<Uuid>) -> Uuid {
        self.db
            .client()
            .await
            .query_one(
                r#"INSERT INTO "ProductionOrder"
                       ("poNumber", "buildNumber", "customerName", "salesPerson", "wantDate",
                        "sinkFamily", "sinkModel", "sinkWidth", "sinkLength", "legsType", "legsModel",
                        "feetType", "workflowDirection", "orderStatus", "currentAssigneeId")
                   VALUES ('4500077', $1, 'Mercy General Hospital', 'Jo Sales', CURRENT_DATE + $2::int,
                           'MDRD', 'T2-B2', 30, 72, 'HEIGHT_ADJUSTABLE', 'DL27',
                           'LOCK_LEVELING_CASTERS', 'LEFT_TO_RIGHT', $3::text::"OrderStatus", $4)
                   RETURNING id"#,
                &[&number, &due_in, &status, &assignee],
            )
            .await
            .expect("insert build")
            .get(0)
    }

    /// Moves a build's want date to `due_in` days from today.
    async fn due_in(&self, id: Uuid, due_in: i32) {
        self.db
            .client()
            .await
            .execute(
                r#"UPDATE "ProductionOrder" SET "wantDate" = CURRENT_DATE + $2::int WHERE id = $1"#,
                &[&id, &due_in],
            )
            .await
            .expect("want date");
    }

    /// Opens the gate as if the last sweep were long ago.
    async fn open_gate(&self) {
        self.db
            .client()
            .await
            .execute(r#"UPDATE "AlertSweep" SET "ranAt" = '-infinity'"#, &[])
            .await
            .expect("open the gate");
    }

    async fn set_days(&self, days: &str) {
        let n = self
            .db
            .client()
            .await
            .execute(
                r#"UPDATE "SystemSetting" SET "settingValue" = $1 WHERE "settingKey" = 'alerts.dueSoonDays'"#,
                &[&days],
            )
            .await
            .expect("setting");
        assert_eq!(n, 1, "the migration adds the setting");
    }

    /// A heartbeat of the assembler's station; its unread count.
    async fn beat(&self) -> i64 {
        match heartbeat(&self.ctx, &self.token).await {
            Ok(Reply::Heartbeat(HeartbeatInfo {
                unread_notifications,
            })) => unread_notifications,
            other => panic!("heartbeat: {other:?}"),
        }
    }

    /// The assembler's notifications list.
    async fn list(&self) -> Vec<Notification> {
        match send(
            &self.ctx,
            Request::Notifications {
                token: self.token.clone(),
            },
        )
        .await
        {
            Ok(Reply::Notifications(list)) => list,
            other => panic!("notifications: {other:?}"),
        }
    }

    /// The alerts raised, as (build, threshold), sorted.
    async fn alerts(&self) -> Vec<(Uuid, String)> {
        let mut v: Vec<(Uuid, String)> = self
            .db
            .client()
            .await
            .query(r#"SELECT "orderId", "threshold" FROM "DeadlineAlert""#, &[])
            .await
            .expect("alerts")
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        v.sort();
        v
    }

    /// The deadline notifications about `build`, as (user, type, priority), sorted.
    async fn notices(&self, build: Uuid) -> Vec<(Uuid, String, String)> {
        let mut v: Vec<(Uuid, String, String)> = self
            .db
            .client()
            .await
            .query(
                r#"SELECT "userId", "type"::text, "priority"::text FROM "SystemNotification"
                   WHERE "relatedEntityId" = $1::uuid::text
                     AND "type"::text IN ('DEADLINE_APPROACHING', 'OVERDUE')"#,
                &[&build],
            )
            .await
            .expect("notifications")
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect();
        v.sort();
        v
    }

    /// (user, type, priority) for the two coordinators and, when given, the assignee; sorted.
    fn expected(&self, kind: &str, priority: &str, assignee: bool) -> Vec<(Uuid, String, String)> {
        let mut users = self.coordinators.to_vec();
        if assignee {
            users.push(self.assembler);
        }
        let mut v: Vec<_> = users
            .into_iter()
            .map(|u| (u, kind.to_string(), priority.to_string()))
            .collect();
        v.sort();
        v
    }
}

#[tokio::test]
async fn thresholds_recipients_and_priorities() {
    let p = Plant::new().await;
    let soon = p.build("AL-1", 2, "PARTS_SENT", Some(p.assembler)).await;
    let late = p.build("AL-2", -1, "READY_FOR_PRODUCTION", None).await;
    let today = p.build("AL-3", 0, "ORDER_CREATED", None).await;
    let later = p
        .build("AL-4", 10, "ORDER_CREATED", Some(p.assembler))
        .await;
    let shipped = p.build("AL-5", -3, "SHIPPED", Some(p.assembler)).await;
    let ready = p
        .build("AL-6", 1, "READY_FOR_SHIP", Some(p.assembler))
        .await;
    let edge = p.build("AL-7", 3, "TESTING_COMPLETE", None).await;
    let beyond = p.build("AL-8", 4, "TESTING_COMPLETE", None).await;

    // The assembler's first heartbeat sweeps, and already counts the alert it raised for them.
    assert_eq!(p.beat().await, 1);

    let mut want = vec![
        (soon, "DEADLINE_APPROACHING".to_string()),
        (late, "OVERDUE".to_string()),
        (today, "DEADLINE_APPROACHING".to_string()),
        (edge, "DEADLINE_APPROACHING".to_string()),
    ];
    want.sort();
    assert_eq!(p.alerts().await, want);

    // Due soon: the assignee and each active coordinator, WARNING; nobody else.
    assert_eq!(
        p.notices(soon).await,
        p.expected("DEADLINE_APPROACHING", "WARNING", true)
    );
    // Past: URGENT; no assignee, so the coordinators only.
    assert_eq!(
        p.notices(late).await,
        p.expected("OVERDUE", "URGENT", false)
    );
    for quiet in [later, shipped, ready, beyond] {
        assert!(p.notices(quiet).await.is_empty());
    }
    // Nobody else heard of any of it: not the inactive coordinator, QC or the administrator.
    let client = p.db.client().await;
    for user in [p.retired, p.others[0], p.others[1]] {
        let n: i64 = client
            .query_one(
                r#"SELECT count(*) FROM "SystemNotification" WHERE "userId" = $1"#,
                &[&user],
            )
            .await
            .expect("count")
            .get(0);
        assert_eq!(n, 0, "user {user} got a notification");
    }
    // Each alert records how many it went to.
    for (build, n) in [(soon, 3), (late, 2)] {
        let recipients: i32 = client
            .query_one(
                r#"SELECT "recipients" FROM "DeadlineAlert" WHERE "orderId" = $1"#,
                &[&build],
            )
            .await
            .expect("alert row")
            .get(0);
        assert_eq!(recipients, n);
    }
    let (title, message): (String, String) = {
        let r = client
            .query_one(
                r#"SELECT "title", "message" FROM "SystemNotification"
                   WHERE "relatedEntityId" = $1::uuid::text AND "userId" = $2"#,
                &[&late, &p.coordinators[0]],
            )
            .await
            .expect("alert");
        (r.get(0), r.get(1))
    };
    assert_eq!(title, "Build 4500077-AL-2 is overdue");
    assert!(
        message.starts_with("Due ")
            && message.ends_with(", at READY_FOR_PRODUCTION, for Mercy General Hospital."),
        "{message}"
    );

    // The list carries the priority to the screen.
    let list = p.list().await;
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].priority, Priority::Warning);
    assert_eq!(list[0].kind, "DEADLINE_APPROACHING");
}

#[tokio::test]
async fn each_build_is_alerted_once_per_threshold() {
    let p = Plant::new().await;
    let b = p
        .build("AL-10", 2, "READY_FOR_PRE_QC", Some(p.assembler))
        .await;
    p.beat().await;
    assert_eq!(p.alerts().await.len(), 1);

    // Later sweeps, and later starts, raise nothing again.
    for _ in 0..3 {
        p.open_gate().await;
        p.beat().await;
    }
    assert_eq!(p.notices(b).await.len(), 3);

    // Past its want date, it is alerted once more: OVERDUE, once however often the sweep runs.
    p.due_in(b, -1).await;
    for _ in 0..3 {
        p.open_gate().await;
        p.beat().await;
    }
    assert_eq!(
        p.alerts().await,
        vec![
            (b, "DEADLINE_APPROACHING".to_string()),
            (b, "OVERDUE".to_string())
        ]
    );
    let overdue: Vec<_> = p
        .notices(b)
        .await
        .into_iter()
        .filter(|n| n.1 == "OVERDUE")
        .collect();
    assert_eq!(overdue, p.expected("OVERDUE", "URGENT", true));

    // The audit trail names the session whose heartbeat swept, and still verifies.
    let client = p.db.client().await;
    let writers: Vec<Option<Uuid>> = client
        .query(
            r#"SELECT DISTINCT "userId" FROM "AuditLog"
               WHERE "entityType" IN ('DeadlineAlert', 'SystemNotification') AND "action" = 'INSERT'"#,
            &[],
        )
        .await
        .expect("audit rows")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(writers, vec![Some(p.assembler)]);
    let report = cleanstation::db::audit::verify(&client)
        .await
        .expect("audit verify");
    assert!(
        report.chain.problems.is_empty() && report.row_problems.is_empty(),
        "{}",
        cleanstation::db::audit::describe(&report)
    );
}

#[tokio::test]
async fn the_gate_lets_one_sweep_a_minute_through() {
    let p = Plant::new().await;
    p.beat().await;
    let b = p.build("AL-20", -2, "ORDER_CREATED", None).await;
    // Within the minute another heartbeat does not sweep.
    p.beat().await;
    assert!(p.alerts().await.is_empty());
    p.open_gate().await;
    p.beat().await;
    assert_eq!(p.alerts().await, vec![(b, "OVERDUE".to_string())]);
}

#[tokio::test]
async fn the_setting_sets_the_window() {
    let p = Plant::new().await;
    let in_ten = p.build("AL-30", 10, "ORDER_CREATED", None).await;
    let in_one = p.build("AL-31", 1, "ORDER_CREATED", None).await;
    p.set_days("10").await;
    p.beat().await;
    let mut want = vec![
        (in_ten, "DEADLINE_APPROACHING".to_string()),
        (in_one, "DEADLINE_APPROACHING".to_string()),
    ];
    want.sort();
    assert_eq!(p.alerts().await, want);

    let p = Plant::new().await;
    p.build("AL-32", 10, "ORDER_CREATED", None).await;
    p.build("AL-33", 1, "ORDER_CREATED", None).await;
    let due_today = p.build("AL-34", 0, "ORDER_CREATED", None).await;
    p.set_days("0").await;
    p.beat().await;
    assert_eq!(
        p.alerts().await,
        vec![(due_today, "DEADLINE_APPROACHING".to_string())]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ten_stations_racing_raise_each_alert_once() {
    const STATIONS: usize = 10;
    let p = Plant::new().await;
    let mut builds = Vec::new();
    for i in 0..20 {
        let due = if i % 2 == 0 { -1 - i } else { i % 4 };
        builds.push(
            p.build(
                &format!("AL-R{i}"),
                due,
                "READY_FOR_PRODUCTION",
                Some(p.assembler),
            )
            .await,
        );
    }

    // Through the gate, as the stations call it: exactly one of them sweeps.
    let swept = race(
        &p.db.url,
        "SELECT swept FROM app_deadline_sweep()",
        STATIONS,
    )
    .await;
    assert_eq!(swept.iter().filter(|s| **s).count(), 1, "{swept:?}");
    assert_eq!(p.alerts().await.len(), builds.len());

    // Without the gate (the owner calling the statement itself from ten connections at once), the
    // database still decides: every alert once, every notification once.
    let q = p
        .build("AL-R99", -5, "ORDER_CREATED", Some(p.assembler))
        .await;
    let more = p.build("AL-R98", 1, "ORDER_CREATED", None).await;
    let raised = race(
        &p.db.owner_url,
        "SELECT alerts > 0 FROM deadline_alerts_raise()",
        STATIONS,
    )
    .await;
    assert!(
        raised.iter().any(|r| *r),
        "one of them raised the new alerts"
    );
    assert_eq!(p.alerts().await.len(), builds.len() + 2);
    assert_eq!(p.notices(q).await, p.expected("OVERDUE", "URGENT", true));
    assert_eq!(
        p.notices(more).await,
        p.expected("DEADLINE_APPROACHING", "WARNING", false)
    );
    for b in builds {
        assert_eq!(p.notices(b).await.len(), 3, "build {b}: one per recipient");
    }
}

/// `sql` (one boolean) run by `n` connections of their own, each in a transaction, released together.
async fn race(url: &str, sql: &'static str, n: usize) -> Vec<bool> {
    let pool = cleanstation::db::connect(url, n, "race")
        .await
        .expect("pool");
    let barrier = Arc::new(tokio::sync::Barrier::new(n));
    let mut tasks = Vec::new();
    for _ in 0..n {
        let pool = pool.clone();
        let barrier = barrier.clone();
        tasks.push(tokio::spawn(async move {
            let mut client = pool.get().await.expect("connection");
            let tx = client.transaction().await.expect("begin");
            barrier.wait().await;
            let v: bool = tx.query_one(sql, &[]).await.expect("sweep").get(0);
            tx.commit().await.expect("commit");
            v
        }));
    }
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.expect("task"));
    }
    out
}

#[tokio::test]
async fn a_failing_sweep_never_fails_the_heartbeat() {
    let p = Plant::new().await;
    p.build("AL-40", -1, "ORDER_CREATED", Some(p.assembler))
        .await;
    p.db.client()
        .await
        .batch_execute("REVOKE EXECUTE ON FUNCTION app_deadline_sweep() FROM cleanstation_app")
        .await
        .expect("revoke");
    assert_eq!(p.beat().await, 0, "the heartbeat answers, without alerts");
    assert!(p.alerts().await.is_empty());
}

#[tokio::test]
async fn stations_reach_alerts_only_through_the_sweep() {
    let p = Plant::new().await;
    let b = p.build("AL-50", -1, "ORDER_CREATED", None).await;
    let station = p.db.station().await;
    for sql in [
        "SELECT * FROM deadline_alerts_raise()",
        r#"UPDATE "AlertSweep" SET "ranAt" = '-infinity'"#,
    ] {
        let e = station.batch_execute(sql).await.expect_err(sql);
        assert_eq!(
            e.code(),
            Some(&tokio_postgres::error::SqlState::INSUFFICIENT_PRIVILEGE),
            "{sql}"
        );
    }
    let e = station
        .execute(
            r#"INSERT INTO "DeadlineAlert" ("orderId", "threshold", "wantDate") VALUES ($1, 'OVERDUE', CURRENT_DATE)"#,
            &[&b],
        )
        .await
        .expect_err("insert");
    assert_eq!(
        e.code(),
        Some(&tokio_postgres::error::SqlState::INSUFFICIENT_PRIVILEGE)
    );
}

/// Thousands of overdue builds: the first sweep raises them all with one statement, a later one finds
/// nothing to do; both times are printed (run with --nocapture).
#[tokio::test]
async fn a_sweep_over_thousands_of_builds_is_one_statement() {
    const BUILDS: i64 = 5000;
    let p = Plant::new().await;
    let owner = p.db.client().await;
    owner
        .execute(
            r#"INSERT INTO "ProductionOrder"
                   ("poNumber", "buildNumber", "customerName", "salesPerson", "wantDate",
                    "sinkFamily", "sinkModel", "sinkWidth", "sinkLength", "legsType", "legsModel",
                    "feetType", "workflowDirection", "orderStatus")
               SELECT '4500900', 'BULK-' || i, 'Mercy General Hospital', 'Jo Sales',
                      CURRENT_DATE - 1 - (i % 30)::int, 'MDRD', 'T2-B2', 30, 72, 'HEIGHT_ADJUSTABLE',
                      'DL27', 'LOCK_LEVELING_CASTERS', 'LEFT_TO_RIGHT', 'READY_FOR_PRODUCTION'
               FROM generate_series(1, $1::bigint) AS i"#,
            &[&BUILDS],
        )
        .await
        .expect("bulk builds");

    let started = std::time::Instant::now();
    p.beat().await;
    let first = started.elapsed();
    assert_eq!(p.alerts().await.len() as i64, BUILDS);
    let notices: i64 = owner
        .query_one(
            r#"SELECT count(*) FROM "SystemNotification" WHERE "type"::text = 'OVERDUE'"#,
            &[],
        )
        .await
        .expect("count")
        .get(0);
    assert_eq!(notices, BUILDS * 2, "one per active coordinator");

    p.open_gate().await;
    let started = std::time::Instant::now();
    p.beat().await;
    let again = started.elapsed();
    eprintln!(
        "deadline sweep over {BUILDS} overdue builds: first {first:?} (raises {BUILDS} alerts, \
         {} notifications), again {again:?} (nothing new)",
        BUILDS * 2
    );
    assert_eq!(p.alerts().await.len() as i64, BUILDS);
}

/// The list's order (docs/alerts.md §1.2): unread URGENT, unread WARNING, then everything else newest
/// first, a read alert included.
#[tokio::test]
async fn the_list_puts_unread_alerts_first_then_the_newest() {
    let p = Plant::new().await;
    let client = p.db.client().await;
    // (title, priority, read, minutes ago)
    let rows = [
        ("old urgent unread", "URGENT", false, 600),
        ("new info unread", "INFO", false, 1),
        ("read urgent", "URGENT", true, 5),
        ("warning unread", "WARNING", false, 2),
        ("new urgent unread", "URGENT", false, 30),
        ("old info read", "INFO", true, 900),
        ("read warning", "WARNING", true, 3),
    ];
    for (title, priority, read, ago) in rows {
        client
            .execute(
                r#"INSERT INTO "SystemNotification"
                       ("userId", "title", "message", "type", "priority", "isRead", "createdAt")
                   VALUES ($1, $2, 'm', 'INFO', $3::text::"NotificationPriority", $4,
                           LOCALTIMESTAMP - make_interval(mins => $5))"#,
                &[&p.assembler, &title, &priority, &read, &ago],
            )
            .await
            .expect("notification");
    }
    let list = p.list().await;
    let titles: Vec<&str> = list.iter().map(|n| n.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "new urgent unread",
            "old urgent unread",
            "warning unread",
            "new info unread",
            "read warning",
            "read urgent",
            "old info read",
        ]
    );
    assert_eq!(list[0].priority, Priority::Urgent);
    assert_eq!(list[5].priority, Priority::Urgent);
    assert_eq!(list[3].priority, Priority::Info);
}
