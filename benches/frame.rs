//! Key → frame in the order queue, with 50 rows loaded and with 10,000 rows reached
//! (docs/performance.md §1).
//!
//! The queue screen is fed synthetic pages (no database) and drawn into a real `Terminal` over a
//! `QuietBackend` (the station's own, which writes only changed cells) at 120x40 whose output only counts bytes. Each measured move is one Down or Up
//! (`update`) followed by one frame (`draw`); the same pattern of moves runs at both depths. Prints
//! p50 / p99 per move, the bytes written per move, the rows held in memory and the resident set, and
//! the ratio of the two depths. `cargo bench --bench frame`.

use chrono::NaiveDate;
use cleanstation::domain::Role;
use cleanstation::domain::order::{OrderPage, OrderRow, OrderStatus};
use cleanstation::domain::session::Session;
use cleanstation::domain::user::UserSummary;
use cleanstation::keymap::{Action, Keymap};
use cleanstation::msg::{Command, Reply, Request, ServiceReply};
use cleanstation::screens::order_queue::OrderQueueScreen;
use cleanstation::screens::{Ctx, IdGen, Screen, ScreenMsg};
use cleanstation::terminal::quiet::QuietBackend;
use cleanstation::theme::Theme;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use std::cell::Cell;
use std::io::Write;
use std::rc::Rc;
use std::time::{Duration, Instant};
use uuid::Uuid;

const WIDTH: u16 = 120;
const HEIGHT: u16 = 40;
/// Whole swings down and back, so each run ends where it started and never reaches the last row.
const MOVES: usize = 2_000;
const WARM_UP: usize = 160;
const PAGE: u64 = 50;
/// The deep run: rows reached by paging down.
const DEEP: u64 = 10_000;
/// Builds on the synthetic server (more than the deep run reaches, so the queue says "more").
const BUILDS: u64 = 100_000;
/// Moves go this many rows down, then as many back up.
const SWING: usize = 40;

/// A terminal output that keeps nothing and counts what was written.
#[derive(Clone, Default)]
struct Sink(Rc<Cell<u64>>);

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.set(self.0.get() + buf.len() as u64);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The shell's side: request ids, the session and keymap, and the synthetic server.
struct Station {
    ids: IdGen,
    session: Session,
    keymap: Keymap,
    theme: Theme,
    screen: OrderQueueScreen,
    terminal: Terminal<QuietBackend<Sink>>,
    written: Rc<Cell<u64>>,
}

fn session() -> Session {
    Session {
        token: "bench".into(),
        user: UserSummary {
            id: Uuid::from_u128(1),
            username: "coordinator".into(),
            full_name: "Carla Mendes".into(),
            initials: "CM".into(),
            role: Role::ProductionCoordinator,
            is_active: true,
            last_login_at: None,
            must_change_password: false,
            has_badge: false,
        },
        expires_at: chrono::NaiveDateTime::default(),
    }
}

const CUSTOMERS: [&str; 5] = [
    "St. Mary's Hospital",
    "Bayview Medical Center",
    "Children's Hospital Denver",
    "Royal Alexandra Infirmary",
    "Lakeview Surgical Center",
];
const ASSIGNEES: [Option<&str>; 3] = [None, Some("Sam Brennan"), Some("Priya Natarajan")];

fn row(n: u64) -> OrderRow {
    let i = usize::try_from(n).unwrap_or(0);
    OrderRow {
        id: Uuid::from_u128(u128::from(n) + 1),
        po_number: format!("45{:05}", n / 2),
        build_number: format!("24-{n:05}"),
        customer_name: CUSTOMERS[i % CUSTOMERS.len()].into(),
        sink_model: format!("T2-B{}", 1 + i % 3),
        status: OrderStatus::ALL[i % OrderStatus::ALL.len()],
        want_date: NaiveDate::from_ymd_opt(2025, 3, 1).unwrap_or_default()
            + chrono::Days::new(n / 40),
        assignee: ASSIGNEES[i % ASSIGNEES.len()].map(str::to_string),
        days_left: i32::try_from(n / 40).unwrap_or(i32::MAX) - 10,
        open_comments: 0,
        hold: None,
    }
}

/// The page after a cursor "c<n>" (the last row's number), keyset-style.
fn page(after: Option<&str>) -> OrderPage {
    let from = after
        .and_then(|c| c.strip_prefix('c'))
        .and_then(|n| n.parse::<u64>().ok())
        .map_or(0, |n| n + 1);
    let to = (from + PAGE).min(BUILDS);
    OrderPage {
        rows: (from..to).map(row).collect(),
        next: (to < BUILDS).then(|| format!("c{}", to - 1)),
    }
}

impl Station {
    fn new() -> Station {
        let written = Rc::new(Cell::new(0));
        let backend = QuietBackend::with_size(
            Sink(written.clone()),
            ratatui::layout::Size::new(WIDTH, HEIGHT),
        );
        let options = TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, WIDTH, HEIGHT)),
        };
        let terminal = Terminal::with_options(backend, options).expect("terminal");
        let mut ids = IdGen::default();
        let session = session();
        let keymap = Keymap::default();
        let (screen, cmd) = {
            let mut ctx = Ctx::new(&mut ids, Some(&session), &keymap);
            OrderQueueScreen::open(&mut ctx)
        };
        let mut s = Station {
            ids,
            session,
            keymap,
            theme: Theme::ansi(),
            screen,
            terminal,
            written,
        };
        s.serve(cmd);
        s.draw();
        s
    }

    fn update(&mut self, msg: ScreenMsg) -> Command {
        let mut ctx = Ctx::new(&mut self.ids, Some(&self.session), &self.keymap);
        self.screen.update(msg, &mut ctx)
    }

    /// Answers every page request in `cmd`, and those the answers send.
    fn serve(&mut self, cmd: Command) {
        let mut todo = vec![cmd];
        while let Some(cmd) = todo.pop() {
            match cmd {
                Command::Db(req) => {
                    let Request::ListOrders { query, .. } = &req.kind else {
                        continue;
                    };
                    let reply = ServiceReply {
                        id: req.id,
                        result: Ok(Reply::Orders(page(query.after.as_deref()))),
                    };
                    todo.push(self.update(ScreenMsg::Db(reply)));
                }
                Command::Batch(cs) => todo.extend(cs),
                Command::None | Command::Quit => {}
            }
        }
    }

    fn draw(&mut self) {
        let (screen, theme) = (&mut self.screen, &self.theme);
        self.terminal
            .draw(|f| screen.view(f, f.area(), theme))
            .expect("draw");
    }

    /// One key and its frame.
    fn key(&mut self, action: Action) {
        let cmd = self.update(ScreenMsg::Action(action));
        self.serve(cmd);
        self.draw();
    }

    fn selected(&self) -> usize {
        self.screen.rows().selected_index().unwrap_or(0)
    }

    /// `n` moves swinging SWING rows down and back; returns each move's time and the bytes written.
    fn swing(&mut self, n: usize) -> (Vec<Duration>, u64) {
        let before = self.written.get();
        let mut times = Vec::with_capacity(n);
        for i in 0..n {
            let action = if (i / SWING).is_multiple_of(2) {
                Action::Down
            } else {
                Action::Up
            };
            let t = Instant::now();
            self.key(action);
            times.push(t.elapsed());
        }
        (times, self.written.get() - before)
    }
}

/// `VmRSS` of this process in KiB.
fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

fn pct(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

struct Run {
    p50: Duration,
    p99: Duration,
    bytes_per_move: f64,
}

fn measure(label: &str, s: &mut Station) -> Run {
    let shown = s.screen.rows().len();
    s.swing(WARM_UP);
    let (mut times, bytes) = s.swing(MOVES);
    assert_eq!(
        s.screen.rows().len(),
        shown,
        "the moves stayed above the last row"
    );
    times.sort();
    let run = Run {
        p50: pct(&times, 0.50),
        p99: pct(&times, 0.99),
        bytes_per_move: bytes as f64 / MOVES as f64,
    };
    println!(
        "  {label:<28} {:>7.3} ms / {:>7.3} ms   {:>6.0} B/move   {:>5} rows shown, {:>4} held   RSS {:>6.1} MiB",
        ms(run.p50),
        ms(run.p99),
        run.bytes_per_move,
        s.screen.rows().len(),
        s.screen.rows().held(),
        rss_kib() as f64 / 1024.0,
    );
    run
}

fn main() {
    println!(
        "order queue key -> frame (update + draw) at {WIDTH}x{HEIGHT}, {MOVES} Down/Up moves each (p50 / p99, bytes written per move)"
    );
    // 50 rows loaded: the first page; the moves swing over rows 5-45.
    let mut s = Station::new();
    for _ in 0..5 {
        s.key(Action::Down);
    }
    let shallow = measure("50 rows loaded", &mut s);

    // 10,000 rows reached by PgDn, each page answered as it is asked for; the moves swing over the
    // same rows of the last page (rows 9,955-9,995).
    let mut s = Station::new();
    let started = Instant::now();
    let mut keys = 0;
    while s.screen.rows().len() < DEEP as usize {
        s.key(Action::PageDown);
        keys += 1;
    }
    let paging = started.elapsed();
    while s.selected() < DEEP as usize - 45 {
        s.key(Action::Down);
    }
    let deep = measure("10,000 rows reached", &mut s);
    println!(
        "  paging to 10,000 rows: {:.0} ms for {keys} PgDn keys and frames ({:.3} ms each)",
        ms(paging),
        ms(paging) / f64::from(keys)
    );
    println!(
        "ratio 10,000 / 50: p50 {:.2}x, p99 {:.2}x, bytes {:.2}x (target: within 2x)",
        deep.p50.as_secs_f64() / shallow.p50.as_secs_f64().max(1e-9),
        deep.p99.as_secs_f64() / shallow.p99.as_secs_f64().max(1e-9),
        deep.bytes_per_move / shallow.bytes_per_move.max(1e-9),
    );
}
