//! The event loop: the one place that performs IO for the screens.
//!
//! It feeds terminal events, ticks, wake-ups and database replies to `App::update`, runs the returned
//! commands (database requests go to a task set off the render path), and after each batch of messages
//! draws, when the shell asks for a frame (docs/performance.md §2.1).

use crate::app::App;
use crate::live::Live;
use crate::msg::{Command, Msg, ServiceReply, ServiceRequest};
use crate::service::{ServiceCtx, dispatch_within};
use crate::terminal::StationTerminal;
use futures_util::StreamExt;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
use tokio::task::JoinSet;

/// How often `Msg::Tick` fires: toast lifetime, idle lock, heartbeat, the screens' reloads and retries
/// (docs/performance.md §3.4).
pub const TICK: Duration = Duration::from_millis(250);
/// How long quitting waits for database jobs still running (a logout, a save).
const DRAIN_ON_QUIT: Duration = Duration::from_secs(3);

/// The service context, how long a request may wait for the database
/// (`database.request_timeout_seconds`), and the station's live-events listener (docs/live.md §2).
pub struct Jobs {
    pub ctx: Arc<ServiceCtx>,
    pub request_timeout: Duration,
    pub live: Option<mpsc::UnboundedReceiver<Live>>,
}

pub async fn run(
    mut app: App,
    terminal: &mut StationTerminal,
    mut jobs_ctx: Jobs,
) -> std::io::Result<()> {
    let mut live = jobs_ctx.live.take();
    let ctx = &jobs_ctx;
    let (tx, mut rx) = mpsc::unbounded_channel::<ServiceReply>();
    let mut input = crossterm::event::EventStream::new();
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut jobs: JoinSet<()> = JoinSet::new();
    let mut hangup = signal(tokio::signal::unix::SignalKind::hangup());
    let mut terminate = signal(tokio::signal::unix::SignalKind::terminate());

    loop {
        // Only when something shown changed: a tick that changes nothing draws nothing, and held
        // keys wait for their burst to end (docs/performance.md §2.1).
        if app.needs_draw() {
            terminal.draw(|f| app.view(f))?;
        }
        let deadline = app.next_deadline();
        let msgs = tokio::select! {
            ev = input.next() => match ev {
                // Each key is stamped as it arrives: its speed tells a scan from typing.
                Some(Ok(crossterm::event::Event::Key(key))) => {
                    let at = Instant::now();
                    let mut msgs = vec![Msg::Key(key, at)];
                    // Keys already waiting came with this one: the same burst, however long this
                    // station took to read them (docs/scanning.md §1.1).
                    while crossterm::event::poll(Duration::ZERO).unwrap_or(false) {
                        match input.next().await {
                            Some(Ok(crossterm::event::Event::Key(key))) => msgs.push(Msg::Key(key, at)),
                            Some(Ok(ev)) => msgs.push(stamped(ev, at)),
                            Some(Err(e)) => return Err(e),
                            None => break,
                        }
                    }
                    msgs
                }
                Some(Ok(ev)) => vec![stamped(ev, Instant::now())],
                Some(Err(e)) => return Err(e),
                None => break,
            },
            // Keys held as a possible scan are due (docs/scanning.md §1), or the screen's moment
            // (docs/performance.md §3.1).
            () = wake_at(deadline) => vec![Msg::Wake(Instant::now())],
            Some(reply) = rx.recv() => vec![Msg::Db(reply)],
            // Another station's commit: a burst of them is one batch, one draw (docs/live.md §2.2).
            Some(first) = recv_live(&mut live) => {
                let mut msgs = vec![Msg::Live(first)];
                if let Some(rx) = &mut live {
                    while let Ok(more) = rx.try_recv() {
                        msgs.push(Msg::Live(more));
                    }
                }
                msgs
            }
            _ = tick.tick() => vec![Msg::Tick(Instant::now())],
            Some(done) = jobs.join_next(), if !jobs.is_empty() => {
                if let Err(e) = done {
                    tracing::error!(error = %e, "database job failed");
                }
                continue;
            }
            // An SSH session that drops, or a shutdown: end the session and leave cleanly.
            _ = recv(&mut hangup) => { logout_on_signal(&app, ctx, &tx, &mut jobs); break; }
            _ = recv(&mut terminate) => { logout_on_signal(&app, ctx, &tx, &mut jobs); break; }
        };
        for msg in msgs {
            let cmd = app.update(msg);
            execute(cmd, ctx, &tx, &mut jobs);
        }
        // Replies that arrived meanwhile are applied before the next draw.
        while let Ok(reply) = rx.try_recv() {
            let cmd = app.update(Msg::Db(reply));
            execute(cmd, ctx, &tx, &mut jobs);
        }
        if app.should_quit() {
            break;
        }
    }
    let _ = tokio::time::timeout(DRAIN_ON_QUIT, async {
        while jobs.join_next().await.is_some() {}
    })
    .await;
    Ok(())
}

/// A terminal event as a message; a paste carries the moment it arrived (docs/performance.md §3.3).
fn stamped(ev: crossterm::event::Event, at: Instant) -> Msg {
    match ev {
        crossterm::event::Event::Paste(text) => Msg::Paste(text, at),
        ev => Msg::Term(ev),
    }
}

/// Runs a command: database requests become jobs whose replies come back through `tx`. Also the
/// live benchmark's in-process stations run their commands with it (docs/live.md §4).
pub fn execute(
    cmd: Command,
    ctx: &Jobs,
    tx: &mpsc::UnboundedSender<ServiceReply>,
    jobs: &mut JoinSet<()>,
) {
    match cmd {
        Command::None | Command::Quit => {}
        Command::Batch(cmds) => {
            for c in cmds {
                execute(c, ctx, tx, jobs);
            }
        }
        Command::Db(req) => spawn_request(req, ctx, tx, jobs),
    }
}

fn spawn_request(
    req: ServiceRequest,
    ctx: &Jobs,
    tx: &mpsc::UnboundedSender<ServiceReply>,
    jobs: &mut JoinSet<()>,
) {
    let timeout = ctx.request_timeout;
    let ctx = Arc::clone(&ctx.ctx);
    let tx = tx.clone();
    jobs.spawn(async move {
        tracing::debug!(request = ?req.kind, "database request");
        let reply = dispatch_within(&ctx, req, timeout).await;
        // The receiver is gone only when the app is quitting.
        let _ = tx.send(reply);
    });
}

/// Nobody will answer a prompt any more, so the session is ended without asking.
fn logout_on_signal(
    app: &App,
    ctx: &Jobs,
    tx: &mpsc::UnboundedSender<ServiceReply>,
    jobs: &mut JoinSet<()>,
) {
    if let Some(session) = app.session() {
        let req = ServiceRequest {
            id: crate::msg::RequestId(u64::MAX),
            kind: crate::msg::Request::Logout {
                token: session.token.clone(),
            },
        };
        spawn_request(req, ctx, tx, jobs);
    }
}

/// The listener's next message; never, without a listener.
async fn recv_live(live: &mut Option<mpsc::UnboundedReceiver<Live>>) -> Option<Live> {
    match live {
        Some(rx) => rx.recv().await,
        None => std::future::pending().await,
    }
}

/// Sleeps until `deadline`, or forever without one.
pub async fn wake_at(deadline: Option<Instant>) {
    match deadline {
        Some(at) => tokio::time::sleep_until(tokio::time::Instant::from_std(at)).await,
        None => std::future::pending().await,
    }
}

fn signal(kind: tokio::signal::unix::SignalKind) -> Option<tokio::signal::unix::Signal> {
    tokio::signal::unix::signal(kind).ok()
}

async fn recv(sig: &mut Option<tokio::signal::unix::Signal>) {
    match sig {
        Some(s) => {
            s.recv().await;
        }
        None => std::future::pending().await,
    }
}
