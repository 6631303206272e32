//! Start-up times of the real binary, from process start to the first login frame on screen:
//! - first run: the embedded cluster is created (initdb), migrated and seeded;
//! - cluster stopped: the existing cluster is started, the schema is already current;
//! - cluster running: another station on the same host (the common case).
//!
//! Runs the binary in tmux and polls the screen; `cargo bench --bench startup`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_cleanstation");
const RUNS: usize = 5;

fn main() {
    let root = std::env::temp_dir().join(format!("cs-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let mut first = Vec::new();
    let mut stopped = Vec::new();
    let mut running = Vec::new();
    for i in 0..RUNS {
        let config = write_config(&root.join(format!("r{i}")));
        first.push(time_to_login(&config, "First start"));
        db(&config, "stop");
        stopped.push(time_to_login(&config, "Username"));
        running.push(time_to_login(&config, "Username"));
        db(&config, "stop");
    }
    let _ = std::fs::remove_dir_all(&root);
    println!("startup to login frame ({RUNS} runs each; min / median / max)");
    report("first run (initdb, migrate, seed)", &mut first);
    report("cluster stopped (server start)", &mut stopped);
    report("cluster running (schema current)", &mut running);
}

fn write_config(dir: &Path) -> PathBuf {
    std::fs::create_dir_all(dir).expect("bench dir");
    let config = dir.join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[database]\ndata_dir = \"{}\"\n[log]\ndir = \"{}\"\n",
            dir.join("db").display(),
            dir.join("log").display()
        ),
    )
    .expect("config");
    config
}

fn db(config: &Path, verb: &str) {
    let ok = Command::new(BIN)
        .args(["--config", &config.display().to_string(), "db", verb])
        .output()
        .expect("db command")
        .status
        .success();
    assert!(ok, "db {verb}");
}

/// Starts the app in a fresh tmux server, waits for `needle` on the login screen, quits.
fn time_to_login(config: &Path, needle: &str) -> Duration {
    let socket = format!("cs-bench-{}", std::process::id());
    let cmd = format!("{BIN} --config {}", config.display());
    let start = Instant::now();
    let ok = Command::new("tmux")
        .args([
            "-L",
            &socket,
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-x",
            "100",
            "-y",
            "30",
            &cmd,
        ])
        .status()
        .expect("tmux")
        .success();
    assert!(ok, "tmux new-session");
    let elapsed = loop {
        let out = Command::new("tmux")
            .args(["-L", &socket, "capture-pane", "-p"])
            .output()
            .expect("capture-pane");
        let screen = String::from_utf8_lossy(&out.stdout);
        if screen.contains(needle) && screen.contains("Password") {
            break start.elapsed();
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "no login screen:\n{screen}"
        );
        std::thread::sleep(Duration::from_millis(5));
    };
    let _ = Command::new("tmux")
        .args(["-L", &socket, "send-keys", "C-c"])
        .status();
    std::thread::sleep(Duration::from_millis(300));
    let _ = Command::new("tmux")
        .args(["-L", &socket, "kill-server"])
        .status();
    elapsed
}

fn report(what: &str, samples: &mut [Duration]) {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "  {what:<36} {:>7.0} ms / {:>7.0} ms / {:>7.0} ms",
        ms(samples[0]),
        ms(samples[samples.len() / 2]),
        ms(samples[samples.len() - 1])
    );
}
