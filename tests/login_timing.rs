//! A failed login costs the same whether or not the username exists, so timing cannot tell which
//! usernames are real. Timed through the service's login, with generous margins (medians within 20%):
//!
//! - in one process, failed logins for an existing user (wrong password) interleaved with logins for
//!   unknown usernames, as at a station that has been running for a while;
//! - each login the first of a fresh process, as with every `--as` command: nothing may be computed
//!   lazily on the first unknown username (this binary runs itself once per login).
//!
//! What is compared is the CPU time the process spends on the login (argon2 is nearly all of it), not
//! the wall time: the machine is shared, and other jobs stretch wall times by more than the margin. The
//! database's own work runs in the server process and is the same for both kinds. Wall times are
//! printed alongside; `cargo bench --bench login` times the real binary by the clock.
//!
//! `harness = false`: the second part needs processes that do nothing but one login, and CPU time of
//! the whole process is only meaningful when no other test runs in it.
#![allow(clippy::panic)] // a test reports failure by panicking

#[path = "support/mod.rs"]
mod support;

use cleanstation::domain::Role;
use cleanstation::domain::user::NewUser;
use cleanstation::error::ServiceError;
use cleanstation::service::auth::LOGIN_FAILED;
use cleanstation::service::{self, SecurityPolicy, ServiceCtx};
use std::time::{Duration, Instant};
use support::TestDb;

/// Set in the environment of a child that performs one login.
const PROBE: &str = "CLEANSTATION_LOGIN_PROBE";
const USER: &str = "timing.user";
const PASSWORD: &str = "correct horse 42";
const WRONG: &str = "wrong horse 42!";
/// Logins of each kind in the long-running process.
const IN_PROCESS: usize = 15;
/// Fresh processes of each kind.
const FRESH: usize = 15;
const MARGIN: f64 = 0.20;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    match std::env::var(PROBE) {
        Ok(url) => runtime.block_on(probe(&url)),
        Err(_) => runtime.block_on(compare()),
    }
}

fn ctx(pool: deadpool_postgres::Pool) -> ServiceCtx {
    ServiceCtx {
        pool,
        // The lockout would answer without checking the password at all; keep it out of reach.
        policy: SecurityPolicy {
            max_failed_logins: 1000,
            ..SecurityPolicy::default()
        },
        agent: "station:timing".into(),
        read_pool: None,
    }
}

/// CPU time used so far by this process, all threads.
#[allow(unsafe_code)]
fn cpu_time() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes only the timespec it is handed.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime");
    Duration::new(
        u64::try_from(ts.tv_sec).unwrap_or_default(),
        u32::try_from(ts.tv_nsec).unwrap_or_default(),
    )
}

/// What one login cost.
#[derive(Debug, Clone, Copy)]
struct Cost {
    cpu: Duration,
    wall: Duration,
}

/// One failed login, and what it cost.
async fn failed_login(ctx: &ServiceCtx, username: &str) -> Cost {
    let (cpu, wall) = (cpu_time(), Instant::now());
    let result = service::auth::login(ctx, username, WRONG.to_string()).await;
    let cost = Cost {
        cpu: cpu_time().saturating_sub(cpu),
        wall: wall.elapsed(),
    };
    match result {
        Err(ServiceError::Invalid(msg)) if msg == LOGIN_FAILED => cost,
        other => panic!("{username}: expected a refusal, got {other:?}"),
    }
}

/// Child: the first and only login of this process; its CPU and wall time in microseconds on stdout.
async fn probe(url: &str) {
    let username = std::env::var("CLEANSTATION_LOGIN_PROBE_USER").expect("probe username");
    let pool = cleanstation::db::connect(url, 1, "cleanstation-test")
        .await
        .expect("probe connects");
    let cost = failed_login(&ctx(pool), &username).await;
    println!("{} {}", cost.cpu.as_micros(), cost.wall.as_micros());
}

async fn one_fresh_login(url: &str, username: &str) -> Cost {
    let exe = std::env::current_exe().expect("own executable");
    let out = tokio::process::Command::new(exe)
        .env(PROBE, url)
        .env("CLEANSTATION_LOGIN_PROBE_USER", username)
        .output()
        .await
        .expect("run the probe");
    assert!(out.status.success(), "probe failed: {out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    let micros: Vec<u64> = text
        .split_whitespace()
        .map(|n| {
            n.parse()
                .unwrap_or_else(|e| panic!("probe output {text:?}: {e}"))
        })
        .collect();
    let [cpu, wall] = micros[..] else {
        panic!("probe output {text:?}");
    };
    Cost {
        cpu: Duration::from_micros(cpu),
        wall: Duration::from_micros(wall),
    }
}

fn median_ms(samples: impl Iterator<Item = Duration>) -> f64 {
    let mut v: Vec<f64> = samples.map(|d| d.as_secs_f64() * 1e3).collect();
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// CPU-time medians within [`MARGIN`] of each other.
fn assert_close(what: &str, existing: &[Cost], unknown: &[Cost]) {
    let cpu = |c: &[Cost]| median_ms(c.iter().map(|c| c.cpu));
    let wall = |c: &[Cost]| median_ms(c.iter().map(|c| c.wall));
    let (e, u) = (cpu(existing), cpu(unknown));
    println!(
        "{what}: median CPU existing user {e:.1} ms, unknown user {u:.1} ms, ratio {:.2} \
         (wall {:.1} ms, {:.1} ms)",
        u / e,
        wall(existing),
        wall(unknown)
    );
    assert!(
        (u - e).abs() <= MARGIN * e,
        "{what}: a failed login for an unknown username costs {u:.1} ms of CPU, for an existing one \
         {e:.1} ms\nexisting: {existing:?}\nunknown: {unknown:?}"
    );
}

/// Parent: the two comparisons.
async fn compare() {
    let db = TestDb::new().await;
    // An empty database: the first user needs no administrator's session.
    service::users::add_user(
        &ctx(db.pool.clone()),
        service::users::CliAdmin::FirstAdmin,
        NewUser {
            username: USER.into(),
            full_name: "Timing User".into(),
            initials: "TU".into(),
            role: Role::Assembler,
            password: PASSWORD.into(),
            must_change_password: false,
        },
    )
    .await
    .expect("add user");

    let ctx = ctx(db.pool.clone());
    let (mut existing, mut unknown) = (Vec::new(), Vec::new());
    for i in 0..IN_PROCESS {
        // Alternate which goes first, so neither kind always follows the other.
        let nobody = format!("nobody.{i}");
        if i % 2 == 0 {
            existing.push(failed_login(&ctx, USER).await);
            unknown.push(failed_login(&ctx, &nobody).await);
        } else {
            unknown.push(failed_login(&ctx, &nobody).await);
            existing.push(failed_login(&ctx, USER).await);
        }
    }
    assert_close("one process", &existing, &unknown);

    let (mut existing, mut unknown) = (Vec::new(), Vec::new());
    for i in 0..FRESH {
        let nobody = format!("stranger.{i}");
        if i % 2 == 0 {
            existing.push(one_fresh_login(&db.url, USER).await);
            unknown.push(one_fresh_login(&db.url, &nobody).await);
        } else {
            unknown.push(one_fresh_login(&db.url, &nobody).await);
            existing.push(one_fresh_login(&db.url, USER).await);
        }
    }
    assert_close("first login of a process", &existing, &unknown);
}
