//! Failed `--as` logins through the real release binary: an existing username with a wrong password
//! against unknown usernames, interleaved, each run a fresh process as a script would start it. Prints the
//! medians of both and their ratio, by the clock and in CPU time of the process (the clock is noisy on a
//! shared machine; CPU time is not, and argon2 is what differs if anything does).
//!
//! Uses its own embedded cluster in a temporary directory; `cargo bench --bench login`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_cleanstation");
const RUNS: usize = 40;
const WARM_UP: usize = 3;
const EXISTING: &str = "coordinator";
const WRONG: &str = "not-the-password";

/// Stops the cluster and removes the directory however the bench ends.
struct Scratch {
    root: PathBuf,
    config: PathBuf,
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = Command::new(BIN)
            .args(["--config", &self.config.display().to_string(), "db", "stop"])
            .output();
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

fn main() {
    let root = std::env::temp_dir().join(format!("cs-bench-login-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let config = write_config(&root);
    let scratch = Scratch { root, config };
    let seeded = cli(&scratch.config, &["seed", "--demo"], "");
    assert!(seeded.0, "seed --demo failed");

    for i in 0..WARM_UP {
        failed_login(&scratch.config, EXISTING);
        failed_login(&scratch.config, &format!("warmup.{i}"));
    }
    let (mut existing, mut unknown) = (Vec::new(), Vec::new());
    for i in 0..RUNS {
        // Alternate which goes first, so neither kind always follows the other.
        let nobody = format!("nobody.{i}");
        if i % 2 == 0 {
            existing.push(failed_login(&scratch.config, EXISTING));
            unknown.push(failed_login(&scratch.config, &nobody));
        } else {
            unknown.push(failed_login(&scratch.config, &nobody));
            existing.push(failed_login(&scratch.config, EXISTING));
        }
    }
    drop(scratch);

    println!(
        "failed `order list --as USER` through the release binary ({RUNS} runs each, interleaved)"
    );
    println!("  {:<36} {:>12} {:>12}", "", "wall median", "CPU median");
    let row = |what: &str, s: &[(Duration, Duration)]| {
        let (wall, cpu) = medians(s);
        println!("  {what:<36} {:>9.1} ms {:>9.1} ms", ms(wall), ms(cpu));
        (wall, cpu)
    };
    let (ew, ec) = row("existing username, wrong password", &existing);
    let (uw, uc) = row("unknown username", &unknown);
    println!(
        "  {:<36} {:>12.2} {:>12.2}",
        "ratio unknown / existing",
        uw.as_secs_f64() / ew.as_secs_f64(),
        uc.as_secs_f64() / ec.as_secs_f64()
    );
}

fn write_config(dir: &Path) -> PathBuf {
    std::fs::create_dir_all(dir).expect("bench dir");
    let config = dir.join("config.toml");
    std::fs::write(
        &config,
        format!(
            // The lockout would answer without checking the password; keep it out of reach.
            "[database]\ndata_dir = \"{}\"\n[security]\nmax_failed_logins = 100\n[log]\ndir = \"{}\"\n",
            dir.join("db").display(),
            dir.join("log").display()
        ),
    )
    .expect("config");
    config
}

/// Runs the binary; whether it succeeded, and its exit code.
fn cli(config: &Path, args: &[&str], password: &str) -> (bool, Option<i32>) {
    let out = Command::new(BIN)
        .arg("--config")
        .arg(config)
        .args(args)
        .env("CLEANSTATION_PASSWORD", password)
        .env_remove("CLEANSTATION_DATABASE_URL")
        .env_remove("DATABASE_URL")
        .output()
        .expect("run cleanstation");
    (out.status.success(), out.status.code())
}

/// One refused login: the wall time of the whole process, and the CPU time it used.
fn failed_login(config: &Path, username: &str) -> (Duration, Duration) {
    let cpu = children_cpu();
    let start = Instant::now();
    let (_, code) = cli(config, &["order", "list", "--as", username], WRONG);
    let wall = start.elapsed();
    assert_eq!(code, Some(2), "{username}: the login was not refused");
    (wall, children_cpu().saturating_sub(cpu))
}

/// User and system CPU time of the children waited for so far.
#[allow(unsafe_code)]
fn children_cpu() -> Duration {
    // SAFETY: rusage is plain data; getrusage only writes the struct it is handed.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        assert_eq!(libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage), 0);
        usage
    };
    let tv = |t: libc::timeval| {
        Duration::new(
            u64::try_from(t.tv_sec).unwrap_or_default(),
            u32::try_from(t.tv_usec).unwrap_or_default() * 1000,
        )
    };
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

fn medians(samples: &[(Duration, Duration)]) -> (Duration, Duration) {
    let mut wall: Vec<Duration> = samples.iter().map(|s| s.0).collect();
    let mut cpu: Vec<Duration> = samples.iter().map(|s| s.1).collect();
    wall.sort();
    cpu.sort();
    (wall[wall.len() / 2], cpu[cpu.len() / 2])
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
