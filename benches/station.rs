//! What a station costs, measured on the real release binary in tmux at 120x40 against one embedded
//! cluster holding a plant's builds, each figure beside a baseline taken in the same run:
//! 1. bytes written per one-row move in the order queue (200 Down), beside `less` moving one line;
//! 2. stations left idle 10 s (home screen, order queue): bytes written and CPU, beside `less` idle;
//! 3. memory: VmRSS at the home screen and after paging 10,000 rows, beside `less` over 10,000 lines;
//! 4. search latency, from the last key typed to the results on screen, beside the same query in `psql`;
//! 5. 50 `order list` processes started at once, beside one alone and 50 `psql -c 'select 1'`.
//!
//! `tmux pipe-pane` captures exactly the bytes a pane's program writes; `/proc/PID/stat` and
//! `/proc/PID/status` give its CPU time and memory. `cargo bench --bench station`.
#![allow(clippy::panic)] // a bench reports a broken setup by panicking

#[path = "../tests/smoke/station.rs"]
mod station;

use station::{BIN, Setup, Station};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

const COLS: u16 = 120;
const ROWS: u16 = 40;
const BUILDS: i32 = 100_000;
const MOVES: usize = 200;
const IDLE: Duration = Duration::from_secs(10);
const DEEP_ROWS: usize = 10_000;
const SEARCHES: usize = 20;
const STARTS: usize = 50;
/// A key's output is complete once the pane has written nothing more for this long.
const QUIET: Duration = Duration::from_millis(40);
const PASSWORD: &str = "demo-password";

fn main() {
    let whole = Instant::now();
    let root = std::env::temp_dir().join(format!("cs-station-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).expect("bench dir");
    let data = root.join("db");
    let config = write_config(&root, &data);
    let bench = Bench { root, data, config };
    bench.cli(&["seed", "--demo"]);

    // Start-up first, on the demo data: the processes measure start-up, not reading a plant's queue.
    let starts = bench.starts();
    let started = Instant::now();
    bench.generate();
    println!(
        "{BUILDS} builds generated and sealed in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let text = bench.root.join("rows.txt");
    write_rows(&text);
    let setup = Setup {
        cols: COLS,
        rows: ROWS,
        shared_db: Some(&bench.data),
    };
    let home = Probe::station(Station::start_with("st-home", &setup), &bench.root, "home");
    let queue = Probe::station(
        Station::start_with("st-queue", &setup),
        &bench.root,
        "queue",
    );
    for p in [&home, &queue] {
        let st = p.station.as_ref().expect("station");
        st.login("coordinator", PASSWORD);
        st.wait_settled(&["Dana Reyes", "Orders"], Duration::from_secs(30));
    }
    std::thread::sleep(Duration::from_secs(1));
    let home_rss = home.memory();
    let queue_st = queue.station.as_ref().expect("station");
    queue_st.open_menu("Orders");
    queue_st.wait_settled(&["shown"], Duration::from_secs(30));

    let less = Probe::less(&bench.root, &text);
    less.wait_for("PO-", Duration::from_secs(10));
    let less_moves = less.moves(|s| screen_line(s, 0));
    let app_moves = queue.moves(first_table_row);
    let early = footer_count(&queue.screen());
    let idle = idle_each([&home, &queue, &less]);

    let (search, psql_search) = bench.searches(&queue);

    let paged = queue.page_to(DEEP_ROWS);
    let deep_rss = queue.memory();
    let [deep_idle] = idle_each([&queue]);
    less.keys(&["G"]);
    less.wait_for("(END)", Duration::from_secs(10));
    std::thread::sleep(Duration::from_millis(500));
    let less_rss = less.memory();

    drop((home, queue, less));
    drop(bench);

    println!();
    println!(
        "station costs: release binary in tmux at {COLS}x{ROWS}, coordinator, {BUILDS} builds"
    );
    report_moves(&app_moves, &less_moves);
    report_idle(&idle, early, &deep_idle, paged);
    report_memory(home_rss, deep_rss, less_rss, paged);
    report_search(&search, &psql_search);
    starts.report();
    println!("(the bench took {:.0} s)", whole.elapsed().as_secs_f64());
}

struct Bench {
    root: PathBuf,
    data: PathBuf,
    config: PathBuf,
}

/// The cluster is stopped and the directory removed when the bench ends, also when a step fails.
impl Drop for Bench {
    fn drop(&mut self) {
        let _ = Command::new(BIN)
            .arg("--config")
            .arg(&self.config)
            .args(["db", "stop"])
            .output();
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

impl Bench {
    /// Runs the command line against the bench's cluster; it must succeed.
    fn cli(&self, args: &[&str]) -> std::process::Output {
        let out = Command::new(BIN)
            .arg("--config")
            .arg(&self.config)
            .args(args)
            .env("CLEANSTATION_PASSWORD", PASSWORD)
            .output()
            .expect("cleanstation");
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    /// A libpq connection string to the embedded cluster as `role`.
    fn url(&self, role: &str) -> String {
        cleanstation::cluster::Cluster::new(&self.data)
            .expect("cluster")
            .url_as(cleanstation::cluster::DATABASE, role)
    }

    /// The plant's builds, then everything sealed, so that no station's sealer works during the bench.
    fn generate(&self) {
        let url = self.url(cleanstation::cluster::SUPERUSER);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async {
            let pool = cleanstation::db::connect(&url, 1, "bench")
                .await
                .expect("connect");
            let client = pool.get().await.expect("connection");
            cleanstation::load::plant::generate_builds(&client, BUILDS)
                .await
                .expect("builds");
        });
        self.cli(&["audit", "verify"]);
    }

    /// `psql` as the station role with `sql` on its standard input.
    fn psql(&self, sql: &str) -> String {
        self.psql_as(STATION_ROLE, sql)
    }

    /// `psql` as `role` with `sql` on its standard input.
    fn psql_as(&self, role: &str, sql: &str) -> String {
        use std::io::Write;
        let mut child = Command::new("psql")
            .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", &self.url(role)])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("psql");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(sql.as_bytes())
            .expect("psql input");
        let out = child.wait_with_output().expect("psql");
        assert!(
            out.status.success(),
            "psql: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Search latency: each query typed into the queue's search field a key at a time, timed from the
    /// last key until its one result is on screen; then the same statements in `psql` with `\timing`.
    fn searches(&self, queue: &Probe) -> (Vec<Duration>, Vec<Duration>) {
        let st = queue.station.as_ref().expect("station");
        let terms: Vec<String> = (0..SEARCHES)
            .map(|k| format!("{:06}", 1_234 + k * 4_567))
            .collect();
        let mut times = Vec::new();
        for term in &terms {
            st.keys(&["/"]);
            st.wait_for(&["filters as you type"], Duration::from_secs(10));
            st.keys(&["C-u"]);
            let (head, last) = term.split_at(term.len() - 1);
            for c in head.chars() {
                st.type_text(&c.to_string());
                std::thread::sleep(Duration::from_millis(60));
            }
            let needle = format!("-{term}");
            let start = Instant::now();
            st.type_text(last);
            loop {
                let screen = st.screen();
                if screen.contains(&needle) && screen.lines().any(|l| l.trim() == "1 build") {
                    times.push(start.elapsed());
                    break;
                }
                assert!(
                    start.elapsed() < Duration::from_secs(10),
                    "no result for {term}:\n{screen}"
                );
            }
            // Esc closes the field and clears the search: the whole queue again.
            st.key_alone("Escape");
            st.wait_settled(&["shown"], Duration::from_secs(10));
        }
        let mut sql = String::from("\\timing on\n\\o /dev/null\n");
        // One statement first, so that the first timed one does not pay for the catalog's caches.
        for term in std::iter::once(&"warm-up".to_string()).chain(&terms) {
            sql.push_str(&search_sql(term));
        }
        let out = self.psql(&sql);
        let psql: Vec<Duration> = out
            .lines()
            .filter_map(|l| l.strip_prefix("Time: "))
            .filter_map(|l| l.split_whitespace().next()?.parse::<f64>().ok())
            .map(|ms| Duration::from_secs_f64(ms / 1000.0))
            .skip(1)
            .collect();
        assert_eq!(psql.len(), terms.len(), "psql timings:\n{out}");
        (times, psql)
    }

    /// 50 `order list` processes started at once against the running cluster, one alone, and 50
    /// `psql -c 'select 1'` at once, before and after.
    fn starts(&self) -> Starts {
        let help = self.cli(&["order", "list", "--help"]);
        let limited = String::from_utf8_lossy(&help.stdout).contains("--limit");
        let config = self.config.display().to_string();
        let mut list: Vec<String> = ["--config", &config, "order", "list", "--as", "coordinator"]
            .map(String::from)
            .to_vec();
        if limited {
            list.extend(["--limit".to_string(), "1".to_string()]);
        }
        let alone: Vec<Duration> = (0..5).map(|_| run_timed(BIN, &list)).collect();
        let select: Vec<String> = ["-X", "-q", "-c", "select 1"]
            .map(String::from)
            .into_iter()
            .chain([self.url(STATION_ROLE)])
            .collect();
        let psql_alone: Vec<Duration> = (0..5).map(|_| run_timed("psql", &select)).collect();
        // The baseline runs before and after: a host shared with other work varies from minute to minute.
        let mut psql = at_once("psql", |_| select.clone());
        std::thread::sleep(Duration::from_secs(1));
        // Fifty stations are fifty users: one user's parallel logins are held to the lockout's
        // count of password checks (docs/security.md, Login), which is not what is measured here.
        self.psql_as(
            cleanstation::cluster::SUPERUSER,
            &format!(
                r#"INSERT INTO "User" ("username", "passwordHash", "fullName", "initials", "role")
                   SELECT 'start' || n, "passwordHash", 'Start ' || n, 'ST', "role"
                   FROM "User", generate_series(1, {STARTS}) n WHERE "username" = 'coordinator'
                   ON CONFLICT ("username") DO NOTHING;"#
            ),
        );
        let fifty = at_once(BIN, |i| {
            let mut args = list.clone();
            args[5] = format!("start{}", i + 1);
            args
        });
        std::thread::sleep(Duration::from_secs(1));
        psql.extend(at_once("psql", |_| select.clone()));
        Starts {
            command: format!(
                "order list --as startN{}",
                if limited { " --limit 1" } else { "" }
            ),
            alone,
            fifty,
            psql_alone,
            psql,
        }
    }
}

const STATION_ROLE: &str = cleanstation::db::roles::STATION_ROLE;

/// The queue's statement for the coordinator's view (every build, earliest want date first) with a
/// search, its unused filters folded away as the server folds them.
fn search_sql(term: &str) -> String {
    format!(
        r#"SELECT po.id, po."poNumber", po."buildNumber", po."customerName", po."sinkModel",
       po."orderStatus", po."wantDate", u."fullName" AS assignee,
       (po."wantDate" - CURRENT_DATE) AS "daysLeft", po."wantDate"::text AS "sortValue"
  FROM "ProductionOrder" po LEFT JOIN "User" u ON u.id = po."currentAssigneeId"
 WHERE po."poNumber" ILIKE '%{term}%' OR po."buildNumber" ILIKE '%{term}%'
       OR po."customerName" ILIKE '%{term}%'
 ORDER BY po."wantDate" ASC, po.id ASC LIMIT 51;
"#
    )
}

fn write_config(root: &Path, data: &Path) -> PathBuf {
    let config = root.join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[database]\ndata_dir = \"{}\"\n[log]\ndir = \"{}\"\n",
            data.display(),
            root.join("log").display()
        ),
    )
    .expect("config");
    config
}

/// 10,000 lines as wide as the queue's rows, for `less`.
fn write_rows(path: &Path) {
    let customers = [
        "Mercy General Hospital",
        "St. Anne Medical Center",
        "Lakeside Surgical Institute",
        "North Valley Health System",
    ];
    let mut text = String::new();
    for i in 0..DEEP_ROWS {
        let line = format!(
            "PO-{:06}  CS-2405-{i:06}  {:<44} T2-B2   Production  12 May   Avery Nguyen  {:>3} days",
            100_000 + i / 2,
            customers[i % customers.len()],
            i % 90
        );
        text.push_str(&line);
        text.push('\n');
    }
    std::fs::write(path, text).expect("rows file");
}

/// A program in a tmux pane whose output is captured into a file.
struct Probe {
    socket: String,
    /// Keeps a station's tmux server and directory alive; `None` for `less`.
    station: Option<Station>,
    out: PathBuf,
    pid: u32,
}

impl Probe {
    fn station(station: Station, root: &Path, name: &str) -> Probe {
        Probe::attach(station.socket.clone(), Some(station), root, name)
    }

    /// `less` over `file` in a tmux server of its own, the same size as the stations'.
    fn less(root: &Path, file: &Path) -> Probe {
        let socket = format!("cs-less-{}", std::process::id());
        let ok = Command::new("tmux")
            .args(["-L", &socket, "-f", "/dev/null", "new-session", "-d"])
            .args(["-x", &COLS.to_string(), "-y", &ROWS.to_string()])
            .args([
                "env",
                "-u",
                "LESSOPEN",
                "-u",
                "LESSCLOSE",
                "-u",
                "LESS",
                "less",
            ])
            .arg(file)
            .status()
            .expect("tmux")
            .success();
        assert!(ok, "tmux new-session (less)");
        Probe::attach(socket, None, root, "less")
    }

    fn attach(socket: String, station: Option<Station>, root: &Path, name: &str) -> Probe {
        let out = root.join(format!("{name}.out"));
        std::fs::write(&out, b"").expect("capture file");
        tmux(
            &socket,
            &["pipe-pane", "-o", &format!("cat >> '{}'", out.display())],
        );
        let pid = program_pid(&socket);
        Probe {
            socket,
            station,
            out,
            pid,
        }
    }

    fn keys(&self, keys: &[&str]) {
        tmux(
            &self.socket,
            &["send-keys"]
                .into_iter()
                .chain(keys.iter().copied())
                .collect::<Vec<_>>(),
        );
    }

    fn screen(&self) -> String {
        tmux(&self.socket, &["capture-pane", "-p"])
    }

    fn wait_for(&self, needle: &str, timeout: Duration) {
        let start = Instant::now();
        while !self.screen().contains(needle) {
            assert!(
                start.elapsed() < timeout,
                "no {needle:?}:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn written(&self) -> u64 {
        std::fs::metadata(&self.out).map_or(0, |m| m.len())
    }

    /// Waits for the output a key causes: its first byte, then a quiet moment; returns the bytes.
    fn after_key(&self, before: u64) -> u64 {
        let start = Instant::now();
        let (mut seen, mut changed) = (before, Instant::now());
        loop {
            let now = self.written();
            if now != seen {
                (seen, changed) = (now, Instant::now());
            }
            if (seen > before && changed.elapsed() >= QUIET)
                || start.elapsed() > Duration::from_secs(3)
            {
                return seen - before;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    /// 200 Down presses, each waited for; a move scrolls when the list's first shown row changed.
    fn moves(&self, top: impl Fn(&str) -> String) -> Moves {
        let mut moves = Moves::default();
        let mut first = top(&self.screen());
        for _ in 0..MOVES {
            let before = self.written();
            self.keys(&["Down"]);
            let bytes = self.after_key(before);
            let now = top(&self.screen());
            if now == first {
                moves.highlight.push(bytes);
            } else {
                moves.scroll.push(bytes);
            }
            first = now;
        }
        moves
    }

    /// End, then PgDn on the last row, until the queue's footer counts `rows` shown.
    fn page_to(&self, rows: usize) -> usize {
        let st = self.station.as_ref().expect("station");
        let start = Instant::now();
        let mut shown = footer_count(&st.screen());
        while shown < rows {
            self.keys(&["End", "PgDn"]);
            loop {
                let now = footer_count(&st.screen());
                if now > shown {
                    shown = now;
                    break;
                }
                assert!(
                    start.elapsed() < Duration::from_secs(600),
                    "paging stopped at {shown}:\n{}",
                    st.screen()
                );
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        st.wait_settled(&["shown"], Duration::from_secs(30));
        shown
    }

    fn memory(&self) -> Memory {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid)).expect("status");
        let kib = |key: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(key))
                .and_then(|v| v.split_whitespace().next()?.parse().ok())
                .unwrap_or(0)
        };
        Memory {
            rss_kib: kib("VmRSS:"),
            hwm_kib: kib("VmHWM:"),
        }
    }

    /// utime + stime, in clock ticks.
    fn cpu_ticks(&self) -> u64 {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.pid)).expect("stat");
        let after = stat.rsplit_once(')').map_or("", |(_, r)| r);
        let fields: Vec<u64> = after
            .split_whitespace()
            .map(|f| f.parse().unwrap_or(0))
            .collect();
        // After the command name: state is field 3, utime field 14, stime field 15.
        fields[11] + fields[12]
    }
}

impl Drop for Probe {
    fn drop(&mut self) {
        if self.station.is_none() {
            let _ = Command::new("tmux")
                .args(["-L", &self.socket, "kill-server"])
                .status();
        }
    }
}

fn tmux(socket: &str, args: &[&str]) -> String {
    let out = Command::new("tmux")
        .args(["-L", socket])
        .args(args)
        .output()
        .expect("tmux");
    assert!(
        out.status.success(),
        "tmux {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The pane's program: the pane's process, or its child when that is a shell running a script.
fn program_pid(socket: &str) -> u32 {
    let pane: u32 = tmux(socket, &["display-message", "-p", "#{pane_pid}"])
        .trim()
        .parse()
        .expect("pane pid");
    let start = Instant::now();
    loop {
        let comm = std::fs::read_to_string(format!("/proc/{pane}/comm")).unwrap_or_default();
        if !matches!(comm.trim(), "sh" | "dash" | "bash" | "env") {
            return pane;
        }
        let children = std::fs::read_to_string(format!("/proc/{pane}/task/{pane}/children"))
            .unwrap_or_default();
        if let Some(child) = children.split_whitespace().next() {
            return child.parse().expect("child pid");
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "no program in the pane"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The screen's line `n`.
fn screen_line(screen: &str, n: usize) -> String {
    screen.lines().nth(n).unwrap_or("").to_string()
}

/// The table's first row without the selection marker.
fn first_table_row(screen: &str) -> String {
    let mut lines = screen.lines();
    lines.find(|l| l.contains("Build") && l.contains("Customer"));
    lines
        .next()
        .unwrap_or("")
        .replace('▶', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The queue's footer: "N shown" while more pages wait, "N builds" at the end.
fn footer_count(screen: &str) -> usize {
    screen
        .lines()
        .rev()
        .find_map(|l| {
            let l = l.trim();
            let (n, rest) = l.split_once(' ')?;
            (rest.starts_with("shown") || rest.starts_with("builds"))
                .then(|| n.parse().ok())
                .flatten()
        })
        .unwrap_or(0)
}

#[derive(Default)]
struct Moves {
    highlight: Vec<u64>,
    scroll: Vec<u64>,
}

impl Moves {
    fn all(&self) -> f64 {
        mean(self.highlight.iter().chain(&self.scroll))
    }
}

fn mean<'a>(values: impl Iterator<Item = &'a u64>) -> f64 {
    let (sum, n) = values.fold((0u64, 0u64), |(s, n), v| (s + v, n + 1));
    if n == 0 { 0.0 } else { sum as f64 / n as f64 }
}

#[derive(Clone, Copy)]
struct Memory {
    rss_kib: u64,
    hwm_kib: u64,
}

/// Bytes written and CPU used over the idle period.
struct Idle {
    bytes: u64,
    cpu_ms_per_s: f64,
}

/// The probes left alone together for `IDLE`.
fn idle_each<const N: usize>(probes: [&Probe; N]) -> [Idle; N] {
    std::thread::sleep(Duration::from_secs(1));
    let before = probes.map(|p| (p.written(), p.cpu_ticks()));
    let start = Instant::now();
    std::thread::sleep(IDLE);
    let secs = start.elapsed().as_secs_f64();
    let tick_ms = 1000.0 / clock_ticks_per_second();
    let mut i = 0;
    probes.map(|p| {
        let (bytes, ticks) = before[i];
        i += 1;
        Idle {
            bytes: p.written() - bytes,
            cpu_ms_per_s: (p.cpu_ticks() - ticks) as f64 * tick_ms / secs,
        }
    })
}

fn clock_ticks_per_second() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
        .unwrap_or(100.0)
}

/// One process's wall time; it must succeed.
fn run_timed(program: &str, args: &[String]) -> Duration {
    let start = Instant::now();
    let out = Command::new(program)
        .args(args)
        .env("CLEANSTATION_PASSWORD", PASSWORD)
        .output()
        .expect("spawn");
    let took = start.elapsed();
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    took
}

/// `STARTS` processes started at the same moment; each one's wall time.
fn at_once(program: &str, args_of: impl Fn(usize) -> Vec<String>) -> Vec<Duration> {
    let gate = Arc::new(Barrier::new(STARTS));
    let threads: Vec<_> = (0..STARTS)
        .map(|i| {
            let gate = Arc::clone(&gate);
            let (program, args) = (program.to_string(), args_of(i));
            std::thread::spawn(move || {
                gate.wait();
                run_timed(&program, &args)
            })
        })
        .collect();
    threads
        .into_iter()
        .map(|t| t.join().expect("process thread"))
        .collect()
}

struct Starts {
    command: String,
    alone: Vec<Duration>,
    fifty: Vec<Duration>,
    psql_alone: Vec<Duration>,
    psql: Vec<Duration>,
}

impl Starts {
    fn report(&self) {
        let (alone, fifty, psql) = (median(&self.alone), median(&self.fifty), median(&self.psql));
        let (fifty_max, psql_max) = (max(&self.fifty), max(&self.psql));
        println!(
            "5. start-up: `{}`, {STARTS} at once against the running cluster (demo data)",
            self.command
        );
        header("baseline (psql -c 'select 1', 2 x 50)");
        let psql_alone = median(&self.psql_alone);
        line(
            "one process alone, median of 5",
            &format!("{:.0} ms", ms(alone)),
            &format!("{:.0} ms", ms(psql_alone)),
            &ratio(ms(alone), ms(psql_alone)),
            "",
        );
        line(
            &format!("{STARTS} at once, median"),
            &format!("{:.0} ms", ms(fifty)),
            &format!("{:.0} ms", ms(psql)),
            &ratio(ms(fifty), ms(psql)),
            "",
        );
        line(
            &format!("{STARTS} at once, max"),
            &format!("{:.0} ms", ms(fifty_max)),
            &format!("{:.0} ms", ms(psql_max)),
            &ratio(ms(fifty_max), ms(psql_max)),
            "",
        );
        line(
            &format!("{STARTS} at once / alone (median)"),
            &format!("{:.1}x", ms(fifty) / ms(alone)),
            "",
            "",
            "",
        );
    }
}

fn median(samples: &[Duration]) -> Duration {
    let mut s = samples.to_vec();
    s.sort();
    s[s.len() / 2]
}

fn percentile(samples: &[Duration], p: usize) -> Duration {
    let mut s = samples.to_vec();
    s.sort();
    s[((s.len() * p).div_ceil(100))
        .saturating_sub(1)
        .min(s.len() - 1)]
}

fn max(samples: &[Duration]) -> Duration {
    samples.iter().copied().max().unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

fn ratio(value: f64, baseline: f64) -> String {
    if baseline > 0.0 {
        format!("{:.1}", value / baseline)
    } else {
        "-".into()
    }
}

fn header(baseline: &str) {
    println!(
        "   {:<44} {:>12} {:>30} {:>7} {:>12}",
        "", "value", baseline, "ratio", "target"
    );
}

fn line(what: &str, value: &str, baseline: &str, ratio: &str, target: &str) {
    println!("   {what:<44} {value:>12} {baseline:>30} {ratio:>7} {target:>12}");
}

fn report_moves(app: &Moves, less: &Moves) {
    println!("1. bytes written per one-row move: {MOVES} Down in the order queue (from its top)");
    header("baseline (less, one line)");
    let b = |v: f64| format!("{v:.0} B");
    line(
        &format!("all moves ({})", app.highlight.len() + app.scroll.len()),
        &b(app.all()),
        &b(less.all()),
        &ratio(app.all(), less.all()),
        "<= 500 B",
    );
    let h = mean(app.highlight.iter());
    line(
        &format!("highlight only ({})", app.highlight.len()),
        &b(h),
        "",
        &ratio(h, less.all()),
        "",
    );
    let s = mean(app.scroll.iter());
    line(
        &format!("scrolling ({})", app.scroll.len()),
        &b(s),
        &b(mean(less.scroll.iter())),
        &ratio(s, mean(less.scroll.iter())),
        "",
    );
}

fn report_idle(idle: &[Idle; 3], early: usize, deep: &Idle, rows: usize) {
    let [home, queue, less] = idle;
    let secs = IDLE.as_secs();
    println!("2. idle for {secs} s: bytes written and CPU");
    header("baseline (less idle)");
    let bytes = |i: &Idle| format!("{} B", i.bytes);
    let cpu = |i: &Idle| format!("{:.1} ms/s", i.cpu_ms_per_s);
    for (what, i) in [
        ("home screen: bytes", home),
        (&format!("order queue ({early} rows): bytes") as &str, queue),
        (&format!("order queue ({rows} rows): bytes") as &str, deep),
    ] {
        line(what, &bytes(i), &bytes(less), "", "0 B");
    }
    for (what, i) in [
        ("home screen: CPU", home),
        (&format!("order queue ({early} rows): CPU") as &str, queue),
        (&format!("order queue ({rows} rows): CPU") as &str, deep),
    ] {
        line(
            what,
            &cpu(i),
            &cpu(less),
            &ratio(i.cpu_ms_per_s, less.cpu_ms_per_s),
            "~0",
        );
    }
}

fn report_memory(home: Memory, deep: Memory, less: Memory, rows: usize) {
    println!("3. memory");
    header("baseline (less, 10,000 lines)");
    line(
        "VmRSS at the home screen after login",
        &mib(home.rss_kib),
        &mib(less.rss_kib),
        &ratio(home.rss_kib as f64, less.rss_kib as f64),
        "< 30 MiB",
    );
    line(
        &format!("VmRSS after paging {rows} rows"),
        &mib(deep.rss_kib),
        &mib(less.rss_kib),
        &ratio(deep.rss_kib as f64, less.rss_kib as f64),
        "< 50 MiB",
    );
    line(
        &format!("VmHWM (peak) after paging {rows} rows"),
        &mib(deep.hwm_kib),
        &mib(less.hwm_kib),
        &ratio(deep.hwm_kib as f64, less.hwm_kib as f64),
        "",
    );
}

fn report_search(app: &[Duration], psql: &[Duration]) {
    println!(
        "4. search latency: last key typed to the result on screen ({} searches)",
        app.len()
    );
    header("baseline (psql \\timing)");
    for (what, p) in [("median", 50), ("p90", 90)] {
        let (a, b) = (ms(percentile(app, p)), ms(percentile(psql, p)));
        line(
            what,
            &format!("{a:.0} ms"),
            &format!("{b:.2} ms"),
            &ratio(a, b),
            "<= 150 ms",
        );
    }
}
