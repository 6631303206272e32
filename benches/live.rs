//! Live updates: from a commit at one station to the frame at another, with 50 listening stations
//! (docs/live.md §4).
//!
//! Starts a throwaway cluster (the test harness's), seeds the demo data and a plant of builds (the load
//! harness's generator). Then, in this one process:
//! 1. the baseline: 50 raw `tokio-postgres` connections LISTEN on a channel of their own and one more
//!    sends `NOTIFY` 100 times; each delivery is timed from just before the `NOTIFY` was sent;
//! 2. 50 stations, each an `App` with its own pool, its own listener (`live::spawn`) and its own terminal
//!    (the station's `QuietBackend` at 120x40, writing into a counter), run by a loop that is the
//!    runtime's (src/runtime.rs) with the keyboard replaced by a channel: events, replies, ticks and
//!    wake-ups go through `App::update`, commands through `runtime::execute`, and a frame is drawn when
//!    the shell asks for one. Each logs in as the coordinator by keys and opens the order queue;
//! 3. a writing station (a coordinator's session at a station of its own) assigns one build shown in
//!    every queue 100 times, alternately to two users, through `service::dispatch`. Each
//!    (station, commit) pair is timed from just before the request is sent (so the session check, the
//!    use case and its `COMMIT` are inside) to the moment that station's frame whose row of the build
//!    names the new assignee (by surname) has been drawn; also from the writer's reply (the commit done) as a lower
//!    bound;
//! 4. idle: the 50 stations left alone for 10 s: frames drawn and bytes written (target: none).
//!
//! Prints p50 / p95 / p99 / max of each, and the ratios. `cargo bench --bench live`.
#![allow(clippy::panic)] // the shared test harness reports a broken setup by panicking

#[path = "../tests/support/mod.rs"]
mod support;

use cleanstation::app::{App, AppInit};
use cleanstation::db::Actor;
use cleanstation::domain::order::{OrderQuery, OrderRow, QueueView};
use cleanstation::live::Live;
use cleanstation::msg::{Msg, Reply, Request, ServiceReply};
use cleanstation::runtime::{Jobs, TICK, execute, wake_at};
use cleanstation::service::seed::{DEMO_PASSWORD, seed_demo};
use cleanstation::service::{SecurityPolicy, ServiceCtx};
use cleanstation::terminal::quiet::QuietBackend;
use cleanstation::theme::Theme;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use futures_util::StreamExt;
use ratatui::buffer::Buffer;
use ratatui::layout::{Rect, Size};
use ratatui::{Terminal, TerminalOptions, Viewport};
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
use tokio::task::JoinSet;
use uuid::Uuid;

const STATIONS: usize = 50;
const COMMITS: u64 = 100;
const BUILDS: i32 = 10_000;
const WIDTH: u16 = 120;
const HEIGHT: u16 = 40;
/// Connections in each station's pool (a station's default is 4; the harness's cluster allows 200
/// connections, and each station also holds its listener).
const POOL: usize = 2;
/// A change not on a station's screen by then counts as missed.
const MISSED_AFTER: Duration = Duration::from_secs(5);
const IDLE: Duration = Duration::from_secs(10);
/// Toasts of the last commits expire before the idle window opens.
const SETTLE: Duration = Duration::from_secs(8);
const BASELINE_CHANNEL: &str = "bench_baseline";

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(run());
}

async fn run() {
    let started = Instant::now();
    let db = support::TestDb::new().await;
    seed_demo(&db.owner, &Actor::system("bench seed"))
        .await
        .expect("seed");
    cleanstation::load::plant::generate_builds(&db.client().await, BUILDS)
        .await
        .expect("builds");
    println!(
        "cluster, demo data and {BUILDS} builds ready in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let baseline = baseline(&db.url).await;

    let writer = ServiceCtx {
        pool: cleanstation::db::connect(&db.url, 1, "cleanstation/W-1")
            .await
            .expect("writer pool"),
        policy: SecurityPolicy::default(),
        agent: "station:W-1".into(),
        read_pool: None,
    };
    let token = support::demo_login(&writer, "coordinator").await;
    let (build, assignees) = target(&writer, &token).await;
    println!(
        "build {} ({}), assigned in turn to {} and {}",
        build.build_number, build.status, assignees[0].1, assignees[1].1
    );

    let (results_tx, mut results) = mpsc::unbounded_channel();
    let mut stations = Vec::with_capacity(STATIONS);
    for i in 0..STATIONS {
        stations.push(Station::start(&db.url, i, results_tx.clone()).await);
    }
    // Each logs in by keys and opens the order queue, as a coordinator does.
    let mut keys: Vec<KeyEvent> = "coordinator".chars().map(ch).collect();
    keys.push(key(KeyCode::Tab));
    keys.extend(DEMO_PASSWORD.chars().map(ch));
    keys.push(key(KeyCode::Enter));
    // A few at a time: fifty password hashes at once outlast a request timeout on two busy cores.
    for group in stations.chunks(5) {
        step(group, &mut results, 1, None, "Welcome", &keys).await;
    }
    let open_queue = [key(KeyCode::Down), key(KeyCode::Enter)];
    let shown = &build.build_number;
    step(&stations, &mut results, 2, Some(shown), "", &open_queue).await;
    println!(
        "{STATIONS} stations logged in and on the order queue in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let mut from_request = Vec::new();
    let mut from_reply = Vec::new();
    let mut writes = Vec::new();
    let mut missed = 0;
    for k in 0..COMMITS {
        let (assignee, name) = &assignees[(k % 2) as usize];
        let id = 100 + k;
        for s in &stations {
            s.probe.expect(id, Some(shown), surname(name));
        }
        let sent = Instant::now();
        let reply = support::request(
            &writer,
            Request::Assign {
                token: token.clone(),
                order_id: build.id,
                expected: build.status,
                assignee: Some(*assignee),
            },
        )
        .await;
        let replied = Instant::now();
        assert!(
            matches!(reply, Reply::OrderUpdated(_)),
            "assigned: {reply:?}"
        );
        writes.push(replied - sent);
        let seen = collect(&mut results, id, STATIONS, MISSED_AFTER).await;
        missed += STATIONS - seen.len();
        for at in seen {
            from_request.push(at.saturating_duration_since(sent));
            from_reply.push(at.saturating_duration_since(replied));
        }
        // The next commit at another moment of the stations' ticks.
        tokio::time::sleep(Duration::from_millis(150 + (k * 37) % 100)).await;
    }

    tokio::time::sleep(SETTLE).await;
    let before: Vec<(u64, u64)> = stations.iter().map(|s| s.probe.drawn()).collect();
    tokio::time::sleep(IDLE).await;
    let idle = stations
        .iter()
        .zip(&before)
        .fold((0, 0), |(f, b), (s, (f0, b0))| {
            let (f1, b1) = s.probe.drawn();
            (f + f1 - f0, b + b1 - b0)
        });
    for s in stations {
        s.stop();
    }

    println!();
    println!(
        "live updates: {STATIONS} listening stations at {WIDTH}x{HEIGHT}, {COMMITS} commits (p50 / p95 / p99 / max)"
    );
    let ours = report("commit -> frame, from the request sent", &mut from_request);
    report("commit -> frame, from the writer's reply", &mut from_reply);
    report("the writer's request (Assign)", &mut writes);
    let raw = report("baseline: NOTIFY -> raw LISTEN connection", &mut {
        baseline
    });
    println!(
        "  missed (not on screen within {} s): {missed} of {}",
        MISSED_AFTER.as_secs(),
        STATIONS as u64 * COMMITS
    );
    println!(
        "  ratio to the baseline: p50 {:.1}x, p99 {:.1}x (target: p99 under 500 ms)",
        ratio(ours.p50, raw.p50),
        ratio(ours.p99, raw.p99),
    );
    println!(
        "  idle {} s, {STATIONS} stations: {} frames, {} bytes written (target: 0)",
        IDLE.as_secs(),
        idle.0,
        idle.1
    );
    println!(
        "  load average: {}",
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .trim()
    );
    println!("(the bench took {:.0} s)", started.elapsed().as_secs_f64());
}

/// A build every queue shows near its top that a coordinator may assign, and two active users of the
/// role its status needs whose surnames differ (a queue row names the assignee by initial and surname).
async fn target(writer: &ServiceCtx, token: &str) -> (OrderRow, [(Uuid, String); 2]) {
    // The coordinator's queue as it opens: the first page of "My work".
    let query = OrderQuery {
        view: QueueView::MyWork,
        limit: 50,
        ..OrderQuery::default()
    };
    let page = match support::request(
        writer,
        Request::ListOrders {
            token: token.into(),
            query: Box::new(query),
        },
    )
    .await
    {
        Reply::Orders(p) => p,
        other => panic!("queue: {other:?}"),
    };
    let statuses: Vec<String> = page.rows.iter().map(|r| r.status.to_string()).collect();
    let (build, role) = page
        .rows
        .into_iter()
        .take(20)
        // Not the selected first row: its toast also names the assignee, on a line of its own.
        .skip(1)
        .find_map(|r| {
            cleanstation::domain::lifecycle::assignee_role(r.status).map(|role| (r, role))
        })
        .unwrap_or_else(|| panic!("no assignable build near the top of the queue: {statuses:?}"));
    let users = match support::request(
        writer,
        Request::UsersWithRole {
            token: token.into(),
            role,
        },
    )
    .await
    {
        Reply::Users(u) => u,
        other => panic!("users: {other:?}"),
    };
    let mut people: Vec<(Uuid, String)> = Vec::new();
    for u in users {
        if people
            .iter()
            .all(|(_, p)| surname(p) != surname(&u.full_name))
        {
            people.push((u.id, u.full_name));
        }
    }
    assert!(people.len() >= 2, "two users of the role {role:?}");
    let two = [people[0].clone(), people[1].clone()];
    (build, two)
}

/// Sends `keys` to every station and waits until each has drawn `text` (on the line holding `line`).
async fn step(
    stations: &[Station],
    results: &mut mpsc::UnboundedReceiver<(usize, u64, Instant)>,
    id: u64,
    line: Option<&str>,
    text: &str,
    keys: &[KeyEvent],
) {
    for s in stations {
        s.probe.expect(id, line, text);
        for k in keys {
            let _ = s.keys.send(Msg::Term(Event::Key(*k)));
        }
    }
    let seen = collect(results, id, stations.len(), Duration::from_secs(120)).await;
    assert_eq!(
        seen.len(),
        stations.len(),
        "every station reached step {id} ({text:?} on the line of {line:?})"
    );
}

/// The moments the stations drew what `id` expects, until `stations` have or `timeout` passed.
async fn collect(
    results: &mut mpsc::UnboundedReceiver<(usize, u64, Instant)>,
    id: u64,
    stations: usize,
    timeout: Duration,
) -> Vec<Instant> {
    let until = tokio::time::Instant::now() + timeout;
    let mut seen = Vec::new();
    while seen.len() < stations {
        match tokio::time::timeout_at(until, results.recv()).await {
            Ok(Some((_, got, at))) if got == id => seen.push(at),
            Ok(Some(_)) => {}
            Ok(None) | Err(_) => break,
        }
    }
    seen
}

fn surname(name: &str) -> &str {
    name.split_whitespace().last().unwrap_or(name)
}

fn ch(c: char) -> KeyEvent {
    key(KeyCode::Char(c))
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

/// What a station is expected to draw next, and what it drew so far.
#[derive(Default)]
struct Probe {
    want: Mutex<Option<Want>>,
    frames: AtomicU64,
    bytes: Arc<AtomicU64>,
}

struct Want {
    id: u64,
    /// The line must hold this too (a build number), when given.
    line: Option<String>,
    text: String,
}

impl Probe {
    fn expect(&self, id: u64, line: Option<&str>, text: &str) {
        if let Ok(mut w) = self.want.lock() {
            *w = Some(Want {
                id,
                line: line.map(str::to_string),
                text: text.into(),
            });
        }
    }

    /// A frame was drawn: the id it fulfils, if it shows what is expected.
    fn drawn_frame(&self, frame: &Buffer) -> Option<u64> {
        let mut want = self.want.lock().ok()?;
        let w = want.as_ref()?;
        let area = frame.area;
        let shows = (area.top()..area.bottom()).any(|y| {
            let line: String = (area.left()..area.right())
                .filter_map(|x| frame.cell((x, y)).map(ratatui::buffer::Cell::symbol))
                .collect();
            line.contains(&w.text) && w.line.as_ref().is_none_or(|l| line.contains(l.as_str()))
        });
        shows.then(|| want.take().map(|w| w.id)).flatten()
    }

    /// Frames drawn and bytes written so far.
    fn drawn(&self) -> (u64, u64) {
        (
            self.frames.load(Ordering::SeqCst),
            self.bytes.load(Ordering::SeqCst),
        )
    }
}

/// A terminal output that keeps nothing and counts what was written.
struct Sink(Arc<AtomicU64>);

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.fetch_add(buf.len() as u64, Ordering::SeqCst);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// One station running in this process: its loop, its listener, and the channel standing in for its
/// keyboard.
struct Station {
    keys: mpsc::UnboundedSender<Msg>,
    probe: Arc<Probe>,
    run: tokio::task::JoinHandle<()>,
    listener: tokio::task::JoinHandle<()>,
}

impl Station {
    async fn start(
        url: &str,
        n: usize,
        results: mpsc::UnboundedSender<(usize, u64, Instant)>,
    ) -> Station {
        let name = format!("ST-{:02}", n + 1);
        let app_name = format!("cleanstation/{name}");
        let pool = cleanstation::db::connect(url, POOL, &app_name)
            .await
            .expect("station pool");
        let jobs = Jobs {
            ctx: Arc::new(ServiceCtx {
                pool,
                policy: SecurityPolicy::default(),
                agent: format!("station:{name}"),
                read_pool: None,
            }),
            request_timeout: Duration::from_secs(60),
            live: None,
        };
        let (live_tx, live_rx) = mpsc::unbounded_channel();
        let listener = cleanstation::live::spawn(url, &app_name, live_tx).expect("listener");
        let app = App::new(AppInit {
            station: name,
            theme: Theme::ansi(),
            idle_lock: Duration::ZERO,
            heartbeat: Duration::from_secs(30),
            banner: None,
            database: "bench".into(),
        });
        let probe = Arc::new(Probe::default());
        let backend = QuietBackend::with_size(Sink(probe.bytes.clone()), Size::new(WIDTH, HEIGHT));
        let terminal = Terminal::with_options(
            backend,
            TerminalOptions {
                viewport: Viewport::Fixed(Rect::new(0, 0, WIDTH, HEIGHT)),
            },
        )
        .expect("terminal");
        let (keys, keys_rx) = mpsc::unbounded_channel();
        let looped = Looped {
            n,
            app,
            terminal,
            jobs,
            live: live_rx,
            keys: keys_rx,
            probe: probe.clone(),
            results,
        };
        Station {
            keys,
            probe,
            run: tokio::spawn(looped.run()),
            listener,
        }
    }

    fn stop(self) {
        self.run.abort();
        self.listener.abort();
    }
}

struct Looped {
    n: usize,
    app: App,
    terminal: Terminal<QuietBackend<Sink>>,
    jobs: Jobs,
    live: mpsc::UnboundedReceiver<Live>,
    keys: mpsc::UnboundedReceiver<Msg>,
    probe: Arc<Probe>,
    results: mpsc::UnboundedSender<(usize, u64, Instant)>,
}

impl Looped {
    /// src/runtime.rs's loop, with keys from a channel instead of a terminal.
    async fn run(mut self) {
        let (tx, mut rx) = mpsc::unbounded_channel::<ServiceReply>();
        let mut tick = tokio::time::interval(TICK);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        let mut jobs: JoinSet<()> = JoinSet::new();
        loop {
            if self.app.needs_draw() {
                let app = &mut self.app;
                let Ok(frame) = self.terminal.draw(|f| app.view(f)) else {
                    return;
                };
                let at = Instant::now();
                self.probe.frames.fetch_add(1, Ordering::SeqCst);
                if let Some(id) = self.probe.drawn_frame(frame.buffer) {
                    let _ = self.results.send((self.n, id, at));
                }
            }
            let deadline = self.app.next_deadline();
            let msgs = tokio::select! {
                Some(msg) = self.keys.recv() => vec![msg],
                () = wake_at(deadline) => vec![Msg::Wake(Instant::now())],
                Some(reply) = rx.recv() => vec![Msg::Db(reply)],
                Some(first) = self.live.recv() => {
                    let mut msgs = vec![Msg::Live(first)];
                    while let Ok(more) = self.live.try_recv() {
                        msgs.push(Msg::Live(more));
                    }
                    msgs
                }
                _ = tick.tick() => vec![Msg::Tick(Instant::now())],
                Some(_) = jobs.join_next(), if !jobs.is_empty() => continue,
            };
            for msg in msgs {
                let cmd = self.app.update(msg);
                execute(cmd, &self.jobs, &tx, &mut jobs);
            }
            while let Ok(reply) = rx.try_recv() {
                let cmd = self.app.update(Msg::Db(reply));
                execute(cmd, &self.jobs, &tx, &mut jobs);
            }
        }
    }
}

/// NOTIFY to 50 raw LISTEN connections, 100 times: each delivery from just before the NOTIFY was sent.
async fn baseline(url: &str) -> Vec<Duration> {
    let (tx, mut rx) = mpsc::unbounded_channel::<(String, Instant)>();
    let mut listeners = Vec::with_capacity(STATIONS);
    for _ in 0..STATIONS {
        let (client, mut connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
            .await
            .expect("baseline listener");
        let tx = tx.clone();
        let driver = tokio::spawn(async move {
            let mut messages = futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
            while let Some(Ok(m)) = messages.next().await {
                if let tokio_postgres::AsyncMessage::Notification(n) = m {
                    let _ = tx.send((n.payload().to_string(), Instant::now()));
                }
            }
        });
        client
            .batch_execute(&format!("LISTEN {BASELINE_CHANNEL}"))
            .await
            .expect("LISTEN");
        listeners.push((client, driver));
    }
    let (sender, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .expect("baseline sender");
    let sender_conn = tokio::spawn(connection);
    let mut times = Vec::new();
    for k in 0..COMMITS {
        let payload = format!("n{k}");
        let sent = Instant::now();
        sender
            .batch_execute(&format!("NOTIFY {BASELINE_CHANNEL}, '{payload}'"))
            .await
            .expect("NOTIFY");
        let until = tokio::time::Instant::now() + MISSED_AFTER;
        let mut got = 0;
        while got < STATIONS {
            match tokio::time::timeout_at(until, rx.recv()).await {
                Ok(Some((p, at))) if p == payload => {
                    got += 1;
                    times.push(at.saturating_duration_since(sent));
                }
                Ok(Some(_)) => {}
                Ok(None) | Err(_) => break,
            }
        }
        tokio::time::sleep(Duration::from_millis(150 + (k * 37) % 100)).await;
    }
    for (client, driver) in listeners {
        drop(client);
        driver.abort();
    }
    drop(sender);
    sender_conn.abort();
    times
}

struct Figures {
    p50: Duration,
    p99: Duration,
}

fn report(label: &str, times: &mut [Duration]) -> Figures {
    times.sort();
    let at = |p: f64| {
        let i = ((times.len().saturating_sub(1)) as f64 * p).round() as usize;
        times.get(i).copied().unwrap_or_default()
    };
    let f = Figures {
        p50: at(0.50),
        p99: at(0.99),
    };
    println!(
        "  {label:<44} {:>7.1} / {:>7.1} / {:>7.1} / {:>7.1} ms  ({} samples)",
        ms(f.p50),
        ms(at(0.95)),
        ms(f.p99),
        ms(times.last().copied().unwrap_or_default()),
        times.len()
    );
    f
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(1e-9)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
