//! Two stations side by side on one embedded cluster (docs/live.md): a change made at one shows at the
//! other within a second, without a key pressed there.

use crate::station::{Setup, Station};
use crate::{import_example, inspector_passes_pre_qc, procurement_readies_for_pre_qc, switch_user};
use std::time::{Duration, Instant};

/// How soon the other station must show a change (docs/live.md, opening paragraph).
const WITHIN: Duration = Duration::from_secs(1);

/// The screen's line holding `needle`, if any.
fn line_with<'a>(screen: &'a str, needle: &str) -> Option<&'a str> {
    screen.lines().find(|l| l.contains(needle))
}

/// Polls `station`'s screen until `shown` holds for it, at most until `WITHIN` after `from`; the time
/// from `from`, or the last screen.
fn within_a_second(
    station: &Station,
    from: Instant,
    shown: impl Fn(&str) -> bool,
) -> Result<Duration, String> {
    loop {
        let screen = station.screen();
        if shown(&screen) {
            return Ok(from.elapsed());
        }
        if from.elapsed() > WITHIN {
            return Err(screen);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The second station, on the first one's cluster, naming itself `name`.
fn beside(first: &Station, name: &str) -> Station {
    let db = first.dir.join("db");
    let setup = Setup {
        shared_db: Some(&db),
        ..Setup::SMOKE
    };
    let station = Station::start_named(&format!("live-{name}"), &setup, name);
    station.wait_for(&["Username", "Password"], Duration::from_secs(60));
    station
}

#[test]
fn a_build_assigned_at_one_station_shows_in_the_other_stations_queue_within_a_second() {
    let a = Station::start_named("live-queue", &Setup::SMOKE, "COORD-1");
    a.wait_for(&["Username", "Password"], Duration::from_secs(120));
    import_example(&a, 2);
    let b = beside(&a, "COORD-2");

    // Station A: the coordinator's queue, with the new build unassigned.
    a.login("coordinator", "demo-password");
    a.wait_for(&["Dana Reyes", "Orders"], Duration::from_secs(20));
    a.open_menu("Orders");
    let queue = a.wait_settled(&["My work", "PO-EX-2"], Duration::from_secs(20));
    let row = line_with(&queue, "PO-EX-2").unwrap_or_default();
    assert!(!row.contains("Shah"), "not assigned yet: {row}");

    // Station B: the same coordinator elsewhere assigns the build to procurement.
    b.login("coordinator", "demo-password");
    b.wait_for(&["Dana Reyes", "Orders"], Duration::from_secs(20));
    b.open_menu("Orders");
    b.wait_settled(&["My work", "PO-EX-2"], Duration::from_secs(20));
    b.keys(&["Enter"]);
    b.wait_for(&["Build detail", "a Assign"], Duration::from_secs(20));
    b.keys(&["a"]);
    b.wait_settled(
        &[
            "Assign EX-2",
            "Active procurement specialists",
            "Priya Shah",
        ],
        Duration::from_secs(10),
    );
    b.keys(&["Enter"]);
    let entered = Instant::now();

    // No key at A: its row names the assignee within a second of B's Enter.
    let took = within_a_second(&a, entered, |s| {
        line_with(s, "PO-EX-2").is_some_and(|row| row.contains("Shah"))
    })
    .unwrap_or_else(|screen| {
        panic!("station A still shows the build unassigned after {WITHIN:?}:\n{screen}")
    });
    println!("station A showed the assignment {took:?} after Enter at station B");
    // The selected build's change says who made it and where.
    a.wait_for(
        &["Build EX-2 assigned to Priya Shah by Dana Reyes at station COORD-2"],
        Duration::from_secs(2),
    );
    b.wait_for(&["Priya Shah"], Duration::from_secs(10));
}

/// Opens the task runner of EX-2 from the assembler's home screen.
fn open_tasks(station: &Station) {
    station.wait_for(&["Luis Ortega", "Orders"], Duration::from_secs(20));
    station.open_menu("Orders");
    station.wait_settled(&["My work", "PO-EX-2"], Duration::from_secs(20));
    station.keys(&["Enter"]);
    station.wait_for(
        &["Build detail", "w Assembly floor"],
        Duration::from_secs(20),
    );
    station.keys(&["w"]);
    station.wait_settled(&["Tasks 0 / 21 done"], Duration::from_secs(20));
}

#[test]
fn a_task_completed_at_one_station_shows_in_the_other_stations_task_runner_within_a_second() {
    let a = Station::start_named("live-tasks", &Setup::SMOKE, "ASM-1");
    a.wait_for(&["Username", "Password"], Duration::from_secs(120));
    import_example(&a, 2);
    procurement_readies_for_pre_qc(&a, "PO-EX-2", "EX-2");
    inspector_passes_pre_qc(&a, "PO-EX-2", "EX-2");
    let b = beside(&a, "ASM-2");

    // Both stations show the build's task list, the same assembler logged in at each.
    switch_user(&a, "assembler");
    open_tasks(&a);
    b.login("assembler", "demo-password");
    open_tasks(&b);

    // Station B completes the first task (a task that asks gets the dialog's first answer).
    b.keys(&["Space"]);
    let mut last_key = Instant::now();
    let from = Instant::now();
    loop {
        let screen = b.screen();
        if screen.contains("Tasks 1 / 21 done") {
            break;
        }
        if screen.contains("╔ Complete task") {
            b.keys(&["Enter"]);
            last_key = Instant::now();
            b.wait_for(&["Tasks 1 / 21 done"], Duration::from_secs(15));
            break;
        }
        assert!(
            from.elapsed() < Duration::from_secs(15),
            "task 1 not completed at B:\n{screen}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }

    // No key at A: its runner counts the task within a second of B's last key, and says who did it.
    let took = within_a_second(&a, last_key, |s| s.contains("Tasks 1 / 21 done")).unwrap_or_else(
        |screen| {
            panic!("station A still shows no task done {WITHIN:?} after station B's key:\n{screen}")
        },
    );
    println!("station A showed the completed task {took:?} after the last key at station B");
    a.wait_for(
        &["Task 1 completed by Luis Ortega at station ASM-2"],
        Duration::from_secs(2),
    );
}
