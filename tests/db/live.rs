//! Live floor events (docs/live.md §1–§2): one NOTIFY per committed transaction that touched a watched
//! table, nothing for a rolled-back one, payloads under PostgreSQL's limit, and the station's listener
//! coming back (with a re-sync) after its connection is cut.

use crate::floor::{Floor, faucet_build};
use cleanstation::db::{self, Actor, Client};
use cleanstation::domain::Role;
use cleanstation::domain::live::{Entity, LiveEvent};
use cleanstation::live::{CHANNEL, Live};
use futures_util::StreamExt;
use std::collections::HashSet;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio_postgres::{AsyncMessage, NoTls};

/// A raw LISTEN connection that keeps every payload as sent.
struct Raw {
    rx: mpsc::UnboundedReceiver<String>,
    _client: tokio_postgres::Client,
}

impl Raw {
    async fn new(url: &str) -> Raw {
        let (client, mut conn) = tokio_postgres::connect(url, NoTls).await.expect("connect");
        let (tx, rx) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            let mut s = futures_util::stream::poll_fn(move |cx| conn.poll_message(cx));
            while let Some(Ok(m)) = s.next().await {
                if let AsyncMessage::Notification(n) = m {
                    let _ = tx.send(n.payload().to_string());
                }
            }
        });
        client
            .batch_execute(&format!("LISTEN {CHANNEL}"))
            .await
            .expect("listen");
        Raw {
            rx,
            _client: client,
        }
    }

    /// Every payload that arrives within `quiet` of the previous one.
    async fn drain(&mut self, quiet: Duration) -> Vec<String> {
        let mut out = Vec::new();
        while let Ok(Some(p)) = tokio::time::timeout(quiet, self.rx.recv()).await {
            out.push(p);
        }
        out
    }
}

/// A transaction, left open, that wrote three notifications to `user`.
async fn three_notifications<'a>(
    client: &'a mut deadpool_postgres::Object,
    actor: &Actor,
    user: uuid::Uuid,
) -> db::Transaction<'a> {
    let tx = db::begin_as(client, actor).await.expect("begin");
    for title in ["a", "b", "c"] {
        tx.exec(
            r#"INSERT INTO "SystemNotification" ("userId", "title", "message", "type")
               VALUES ($1, $2, 'm', 'INFO')"#,
            &[&user, &title],
        )
        .await
        .expect("insert");
    }
    tx
}

/// Commits `n` notifications to `user` in one transaction.
async fn notify_many(
    client: &mut deadpool_postgres::Object,
    actor: &Actor,
    user: uuid::Uuid,
    n: i32,
) {
    let tx = db::begin_as(client, actor).await.expect("begin");
    tx.exec(
        r#"INSERT INTO "SystemNotification" ("userId", "title", "message", "type")
           SELECT $1, 'n' || g, 'm', 'INFO' FROM generate_series(1, $2) g"#,
        &[&user, &n],
    )
    .await
    .expect("insert");
    tx.commit().await.expect("commit");
}

async fn next_live(rx: &mut mpsc::UnboundedReceiver<Live>, within: Duration) -> Option<Live> {
    tokio::time::timeout(within, rx.recv()).await.ok().flatten()
}

#[tokio::test]
async fn a_commit_announces_once_and_a_rollback_announces_nothing() {
    let floor = Floor::new().await;
    let mut raw = Raw::new(&floor.db.owner_url).await;
    let coordinator = floor.id(Role::ProductionCoordinator);

    // Three watched tables in one transaction, then rolled back: nothing.
    let mut client = floor.db.pool.get().await.expect("connection");
    let actor = Actor::session(floor.token(Role::ProductionCoordinator), "station:T-1");
    let tx = three_notifications(&mut client, &actor, coordinator).await;
    tx.rollback().await.expect("rollback");
    assert!(
        raw.drain(Duration::from_millis(300)).await.is_empty(),
        "a rolled-back transaction announced something"
    );

    // The same, committed: one notification naming the three rows, the station and the user.
    let tx = three_notifications(&mut client, &actor, coordinator).await;
    tx.commit().await.expect("commit");
    let got = raw.drain(Duration::from_millis(500)).await;
    assert_eq!(got.len(), 1, "one NOTIFY per transaction: {got:?}");
    let ev = LiveEvent::parse(&got[0]).expect("our payload");
    assert_eq!(ev.changes.len(), 3);
    assert!(ev.changes.iter().all(|c| c.entity == Entity::Notification));
    assert!(ev.notifies(coordinator));
    assert_eq!(ev.actor, Some(coordinator));
    assert_eq!(ev.station.as_deref(), Some("station:T-1"));

    // A transaction that touches no watched table sends nothing (a notifying commit takes a
    // cluster-wide lock).
    floor
        .send(cleanstation::msg::Request::Heartbeat {
            token: floor.token(Role::Assembler),
        })
        .await
        .expect("heartbeat");
    assert!(raw.drain(Duration::from_millis(300)).await.is_empty());
}

#[tokio::test]
async fn every_floor_step_announces_within_the_payload_limit() {
    let floor = Floor::new().await;
    let mut raw = Raw::new(&floor.db.owner_url).await;
    let id = floor
        .build_testing_complete("PO-LIVE-1", faucet_build("LIVE-B1"))
        .await;
    floor.pack_all(id).await;
    let payloads = raw.drain(Duration::from_millis(700)).await;
    assert!(!payloads.is_empty());
    let mut seen = HashSet::new();
    for p in &payloads {
        assert!(p.len() < 8000, "payload of {} bytes", p.len());
        let ev = LiveEvent::parse(p).expect("our payload");
        for c in &ev.changes {
            seen.insert(c.entity);
            // Every change of a build's records names the build.
            if !matches!(c.entity, Entity::Notification | Entity::ServiceOrder) {
                assert_eq!(c.reference, Some(id), "{c:?} without its build");
            }
        }
    }
    for e in [
        Entity::Build,
        Entity::Bom,
        Entity::Qc,
        Entity::Tasks,
        Entity::Task,
        Entity::Testing,
        Entity::Packaging,
        Entity::Notification,
    ] {
        assert!(seen.contains(&e), "no {e:?} event among {seen:?}");
    }
}

#[tokio::test]
async fn a_large_transaction_asks_for_a_resync_and_stays_small() {
    let floor = Floor::new().await;
    let mut raw = Raw::new(&floor.db.owner_url).await;
    let coordinator = floor.id(Role::ProductionCoordinator);
    let mut client = floor.db.pool.get().await.expect("connection");
    // The longest station name a payload carries is cut at 64 characters.
    let actor = Actor::session(floor.token(Role::ProductionCoordinator), "S".repeat(500));
    notify_many(&mut client, &actor, coordinator, 60).await;
    let got = raw.drain(Duration::from_millis(500)).await;
    assert_eq!(got.len(), 1);
    // 60 changes: the most one payload names.
    assert!(got[0].len() < 8000, "{} bytes", got[0].len());
    let ev = LiveEvent::parse(&got[0]).expect("payload");
    assert_eq!(ev.changes.len(), 60);
    assert!(!ev.everything);
    assert_eq!(ev.station.map(|s| s.chars().count()), Some(64));
    // Every kind of event fits too: at 60 changes of the longest entity name any watched table
    // announces, the payload stays under the limit.
    let owner = floor.db.client().await;
    let kinds = owner
        .query_one(
            "SELECT max(length(k))::int, count(DISTINCT k) \
               FROM (SELECT split_part(encode(t.tgargs, 'escape'), '\\000', 1) AS k \
                       FROM pg_trigger t WHERE t.tgname = 'live_insert') a",
            &[],
        )
        .await
        .expect("the entity names of the watched tables");
    let (longest, kinds): (i32, i64) = (kinds.get(0), kinds.get(1));
    assert!(kinds >= 13, "{kinds} kinds of event");
    let worst = got[0].len() + 60 * (longest as usize).saturating_sub("notification".len());
    assert!(
        worst < 8000,
        "the longest kind at 60 changes: {worst} bytes"
    );

    notify_many(&mut client, &actor, coordinator, 500).await;
    let got = raw.drain(Duration::from_millis(500)).await;
    assert_eq!(got.len(), 1);
    let ev = LiveEvent::parse(&got[0]).expect("payload");
    assert!(ev.everything, "500 changes ask every station to re-read");
    assert!(ev.changes.is_empty());
}

#[tokio::test]
async fn the_listener_names_the_actor_and_comes_back_with_a_resync() {
    let floor = Floor::new().await;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let handle = cleanstation::live::spawn(&floor.db.url, "cleanstation-test", tx).expect("spawn");
    assert_eq!(
        next_live(&mut rx, Duration::from_secs(10)).await,
        Some(Live::Up { resync: false })
    );

    let id = floor
        .create_build("PO-LIVE-2", faucet_build("LIVE-B2"))
        .await;
    let mut named = None;
    while let Some(Live::Event(ev)) = next_live(&mut rx, Duration::from_secs(2)).await {
        if ev.touches_build(id) {
            named = ev.actor_name.clone();
            break;
        }
    }
    assert!(
        named.is_some(),
        "the build's creation was not announced with a name"
    );

    // The listening connection is cut (as by a restart or the network): the station is told, and
    // once it listens again it re-reads everything.
    let owner = floor.db.client().await;
    let cut = owner
        .query_one(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity \
             WHERE datname = current_database() AND application_name = 'cleanstation-test live'",
            &[],
        )
        .await
        .expect("terminate");
    assert_eq!(cut.get::<_, i64>(0), 1);
    assert_eq!(
        next_live(&mut rx, Duration::from_secs(5)).await,
        Some(Live::Down)
    );
    assert_eq!(
        next_live(&mut rx, Duration::from_secs(10)).await,
        Some(Live::Up { resync: true })
    );
    // And it hears commits again.
    floor
        .send(cleanstation::msg::Request::Heartbeat {
            token: floor.token(Role::Assembler),
        })
        .await
        .expect("heartbeat");
    let coordinator = floor.id(Role::ProductionCoordinator);
    let mut client = floor.db.pool.get().await.expect("connection");
    let tx2 = db::begin_as(
        &mut client,
        &Actor::session(floor.token(Role::ProductionCoordinator), "station:T-2"),
    )
    .await
    .expect("begin");
    tx2.exec(
        r#"INSERT INTO "SystemNotification" ("userId", "title", "message", "type")
           VALUES ($1, 'after', 'm', 'INFO')"#,
        &[&coordinator],
    )
    .await
    .expect("insert");
    tx2.commit().await.expect("commit");
    let mut heard = false;
    while let Some(m) = next_live(&mut rx, Duration::from_secs(2)).await {
        if let Live::Event(ev) = m
            && ev.notifies(coordinator)
        {
            heard = true;
            break;
        }
    }
    assert!(heard, "no event after the reconnect");
    handle.abort();
}

/// A cluster of this test's own, stopped and removed when dropped.
struct OwnCluster(cleanstation::cluster::Cluster, std::path::PathBuf);

impl Drop for OwnCluster {
    fn drop(&mut self) {
        let _ = self.0.stop();
        let _ = std::fs::remove_dir_all(&self.1);
    }
}

#[tokio::test]
async fn after_the_server_restarts_the_station_listens_again_and_re_syncs() {
    // The name the harness reaps if this process dies, with its owner's pid beside it.
    let base = std::env::temp_dir().join(format!("cs-test-live-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let cluster = cleanstation::cluster::Cluster::new(&base).expect("cluster");
    let own = OwnCluster(cluster, base.clone());
    tokio::task::spawn_blocking({
        let c = own.0.clone();
        move || c.ensure_running().map(|_| ())
    })
    .await
    .expect("join")
    .expect("start");
    std::fs::write(base.join("owner.pid"), std::process::id().to_string()).expect("owner.pid");
    let url = own.0.url("postgres");

    let (tx, mut rx) = mpsc::unbounded_channel();
    let handle = cleanstation::live::spawn(&url, "cleanstation-test", tx).expect("spawn");
    assert_eq!(
        next_live(&mut rx, Duration::from_secs(10)).await,
        Some(Live::Up { resync: false })
    );
    // The server stops: the station is told.
    let c = own.0.clone();
    tokio::task::spawn_blocking(move || c.stop())
        .await
        .expect("join")
        .expect("stop");
    assert_eq!(
        next_live(&mut rx, Duration::from_secs(10)).await,
        Some(Live::Down)
    );
    // It starts again: the station listens again by itself, and re-reads everything it shows.
    let c = own.0.clone();
    tokio::task::spawn_blocking(move || c.ensure_running().map(|_| ()))
        .await
        .expect("join")
        .expect("restart");
    let mut back = None;
    while let Some(m) = next_live(&mut rx, Duration::from_secs(15)).await {
        if m != Live::Down {
            back = Some(m);
            break;
        }
    }
    assert_eq!(back, Some(Live::Up { resync: true }));
    // And hears the next commit.
    let (client, conn) = tokio_postgres::connect(&url, NoTls).await.expect("connect");
    tokio::spawn(conn);
    client
        .batch_execute(&format!(
            "NOTIFY {CHANNEL}, '{{\"v\":1,\"st\":\"station:T-9\",\"ev\":[],\"more\":false}}'"
        ))
        .await
        .expect("notify");
    match next_live(&mut rx, Duration::from_secs(5)).await {
        Some(Live::Event(ev)) => assert_eq!(ev.station.as_deref(), Some("station:T-9")),
        other => panic!("no event after the restart: {other:?}"),
    }
    handle.abort();
}
