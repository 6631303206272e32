//! A station in tmux: the real binary in a private tmux server, driven by keys and read from the screen.
//! Shared by the smoke tests and the station bench (`benches/station.rs`, through `#[path]`).
#![allow(dead_code)] // each user of the module takes what it needs

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_cleanstation");

/// The terminal a station runs in and the embedded cluster it uses.
pub struct Setup<'a> {
    pub cols: u16,
    pub rows: u16,
    /// An embedded cluster shared with other stations (left running when the station goes);
    /// `None`: one of the station's own, stopped and removed with it.
    pub shared_db: Option<&'a Path>,
}

impl Setup<'_> {
    /// The smoke tests' terminal: 100x30, a cluster of the station's own.
    pub const SMOKE: Setup<'static> = Setup {
        cols: 100,
        rows: 30,
        shared_db: None,
    };
}

pub struct Station {
    pub socket: String,
    pub dir: PathBuf,
    pub config: PathBuf,
    /// The cluster is the station's own: stopped and removed when the station goes.
    own_db: bool,
}

impl Station {
    /// A private tmux server running the app against its own data directory.
    pub fn start(name: &str) -> Station {
        Station::start_with(name, &Setup::SMOKE)
    }

    /// A private tmux server of `setup`'s size running the app.
    pub fn start_with(name: &str, setup: &Setup) -> Station {
        Station::start_named(name, setup, "bench-1")
    }

    /// As [`Station::start_with`], the station naming itself `station` (`station.name`).
    pub fn start_named(name: &str, setup: &Setup, station: &str) -> Station {
        assert!(
            Command::new("tmux")
                .arg("-V")
                .output()
                .is_ok_and(|o| o.status.success()),
            "tmux is required for this test (apt-get install tmux)"
        );
        let dir = std::env::temp_dir().join(format!("cs-tmux-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        let config = dir.join("config.toml");
        std::fs::write(
            &config,
            format!(
                "[database]\ndata_dir = \"{}\"\n[station]\nname = \"{station}\"\n[log]\ndir = \"{}\"\n",
                setup.shared_db.map_or_else(|| dir.join("db"), Path::to_path_buf).display(),
                dir.join("log").display()
            ),
        )
        .expect("config");
        let station = Station {
            socket: format!("cs-{name}-{}", std::process::id()),
            dir,
            config,
            own_db: setup.shared_db.is_none(),
        };
        // After the app exits the pane stays: it reports the exit code and the terminal's mode.
        let script = format!(
            "{BIN} --config {}; echo \"EXIT=$?\"; stty -a | tr ' ' '\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\\n' ' '; echo; sleep 600",
            station.config.display()
        );
        let ok = Command::new("tmux")
            .args([
                "-L",
                &station.socket,
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-x",
                &setup.cols.to_string(),
                "-y",
                &setup.rows.to_string(),
                // The station's working directory, where exports go by default, is its own.
                "-c",
                &station.dir.display().to_string(),
            ])
            .args(["-e", "NO_COLOR=", "sh", "-c", &script])
            .status()
            .expect("tmux new-session")
            .success();
        assert!(ok, "tmux could not start");
        station
    }

    pub fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket, "capture-pane", "-p"])
            .output()
            .expect("capture-pane");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub fn keys(&self, keys: &[&str]) {
        let ok = Command::new("tmux")
            .args(["-L", &self.socket, "send-keys"])
            .args(keys)
            .status()
            .expect("send-keys")
            .success();
        assert!(ok, "send-keys {keys:?}");
    }

    pub fn type_text(&self, text: &str) {
        let ok = Command::new("tmux")
            .args(["-L", &self.socket, "send-keys", "-l", text])
            .status()
            .expect("send-keys -l")
            .success();
        assert!(ok, "type {text:?}");
    }

    /// Sends `code` and Enter in one write, as a keyboard-wedge scanner types them, after a quiet
    /// moment: a scan begins after a pause (docs/scanning.md §1.1).
    pub fn scan(&self, code: &str) {
        std::thread::sleep(Duration::from_millis(150));
        self.type_text(&format!("{code}\r"));
    }

    /// Waits until the screen contains every needle; fails with the screen shown.
    pub fn wait_for(&self, needles: &[&str], timeout: Duration) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if needles.iter().all(|n| screen.contains(n)) {
                return screen;
            }
            assert!(
                start.elapsed() < timeout,
                "timed out waiting for {needles:?}; screen:\n{screen}\nlog:\n{}",
                self.log_tail()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Like `wait_for`, and the screen has also stopped changing: a capture can catch a frame
    /// half written (a new progress line above an old detail pane), which must not steer a test.
    pub fn wait_settled(&self, needles: &[&str], timeout: Duration) -> String {
        let start = Instant::now();
        loop {
            let first = self.wait_for(needles, timeout.saturating_sub(start.elapsed()));
            std::thread::sleep(Duration::from_millis(150));
            if self.screen() == first {
                return first;
            }
            assert!(
                start.elapsed() < timeout,
                "the screen did not settle; last:\n{first}"
            );
        }
    }

    /// Like `wait_for`, and `busy` (a screen's "reloading" mark) is gone: the screen shows the
    /// record as stored after a write, so the next key acts on it and not on the state before.
    pub fn wait_loaded(&self, needles: &[&str], busy: &str, timeout: Duration) -> String {
        let start = Instant::now();
        loop {
            let screen = self.wait_for(needles, timeout.saturating_sub(start.elapsed()));
            if !screen.contains(busy) {
                return screen;
            }
            assert!(start.elapsed() < timeout, "still {busy}; screen:\n{screen}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn log_tail(&self) -> String {
        let mut text = String::new();
        if let Ok(entries) = std::fs::read_dir(self.dir.join("log")) {
            for e in entries.flatten() {
                text.push_str(&std::fs::read_to_string(e.path()).unwrap_or_default());
            }
        }
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(15)..].join("\n")
    }

    /// Fills the login form from whatever state it is in: focus the username (the `▶` marks the
    /// focused field), clear and type each field, submit.
    pub fn login(&self, username: &str, password: &str) {
        self.wait_for(&["Username", "Password"], Duration::from_secs(30));
        self.tab_to("▶ Username", 3);
        self.keys(&["C-u"]);
        self.type_text(username);
        self.keys(&["Tab"]);
        self.keys(&["C-u"]);
        self.type_text(password);
        self.keys(&["Enter"]);
    }

    /// Presses Tab (at most `tries` times) until the focus marker `marker` is on screen.
    pub fn tab_to(&self, marker: &str, tries: usize) {
        for _ in 0..tries {
            if self
                .wait_settled(&["▶ "], Duration::from_secs(5))
                .contains(marker)
            {
                break;
            }
            self.keys(&["Tab"]);
        }
        self.wait_for(&[marker], Duration::from_secs(5));
    }

    /// Moves the home menu's selection down to `label` and opens it.
    pub fn open_menu(&self, label: &str) {
        let marker = format!("▶ {label} ");
        // The menu keeps its cursor across screens: start from the top.
        self.wait_settled(&["▶ "], Duration::from_secs(5));
        self.keys(&["Home"]);
        for _ in 0..16 {
            let screen = self.wait_settled(&["▶ "], Duration::from_secs(5));
            if screen.contains(&marker) {
                self.keys(&["Enter"]);
                return;
            }
            self.keys(&["Down"]);
        }
        panic!("no menu entry {label:?}; screen:\n{}", self.screen());
    }

    /// The command line against this station's database.
    pub fn cli(&self, args: &[&str]) -> std::process::Output {
        Command::new(BIN)
            .args(["--config", &self.config.display().to_string()])
            .args(args)
            .env("CLEANSTATION_PASSWORD", "demo-password")
            .output()
            .expect("cli")
    }

    /// A key on its own, the way a person presses it (an Esc right before another key would read as Alt).
    pub fn key_alone(&self, key: &str) {
        std::thread::sleep(Duration::from_millis(150));
        self.keys(&[key]);
        std::thread::sleep(Duration::from_millis(150));
    }
}

impl Drop for Station {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .status();
        if !self.own_db {
            let _ = std::fs::remove_dir_all(&self.dir);
            return;
        }
        let _ = Command::new(BIN)
            .args(["--config", &self.config.display().to_string(), "db", "stop"])
            .output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
