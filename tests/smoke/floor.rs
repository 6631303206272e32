//! The assembler's round on the floor, by keys: the open tasks, end-of-line testing, packaging and the
//! moves to Final QC. The first round and a rework round after a failed Final QC run the same steps.

use crate::Station;
use std::time::{Duration, Instant};

/// The `(min, max)` of the measurement the testing form's detail pane shows (`… · range 36–44 degC`).
fn measurement_range(screen: &str) -> Option<(f64, f64)> {
    let line = screen.lines().find(|l| l.contains(" · range "))?;
    let range = line.split(" · range ").nth(1)?;
    let range = range.split_whitespace().next()?;
    let (min, max) = range.split_once('–')?;
    Some((min.parse().ok()?, max.parse().ok()?))
}

/// The number after `label` on the screen, e.g. `answered 3 / 36` gives 3 for `answered `.
pub(crate) fn count_after(screen: &str, label: &str) -> Option<(u32, u32)> {
    let rest = screen.split(label).nth(1)?;
    let mut words = rest.split_whitespace();
    let done = words.next()?.parse().ok()?;
    let _slash = words.next()?;
    let total = words.next()?.parse().ok()?;
    Some((done, total))
}

/// In the task runner: completes the open tasks, `done` of `total` done before.
pub(crate) fn complete_tasks(station: &Station, done: u32, total: u32) {
    // Every task by Space; a task that needs a choice or may be N/A asks, and Enter takes the
    // dialog's first answer (the first option; "Done").
    for n in done + 1..=total {
        station.keys(&["Space"]);
        let done = format!("Tasks {n} / {total} done");
        let start = Instant::now();
        loop {
            let screen = station.screen();
            if screen.contains(&done) {
                break;
            }
            // The dialog's frame, not the key bar's "Complete task": Enter outside the dialog
            // would complete the next task as well.
            if screen.contains("╔ Complete task") {
                station.keys(&["Enter"]);
                station.wait_for(&[&done], Duration::from_secs(15));
                break;
            }
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "task {n} not completed; screen:\n{screen}\nlog:\n{}",
                station.log_tail()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    station.wait_for(&["All tasks done"], Duration::from_secs(10));
}

/// From the task runner with every task done: `t` opens end-of-line testing and every line is answered:
/// yes for every check, the middle of the range for every measurement, a serial number for every record.
/// With `fail_first`, the first measurement is answered above its range instead (the selection stays on
/// a failing line, so `j` moves on). Returns the number of required lines.
pub(crate) fn fill_testing(station: &Station, fail_first: bool) -> u32 {
    station.keys(&["t"]);
    let screen = station.wait_for(
        &["End-of-Line Testing", "answered 0 / "],
        Duration::from_secs(20),
    );
    let (_, required) = count_after(&screen, "answered ").expect("progress line");
    assert!(required >= 30, "{screen}");
    let mut to_fail = fail_first;
    for n in 1..=required {
        // The detail pane shows the selected line, which the previous answer moved on to.
        let screen = station.wait_settled(&["Answer: — · not answered"], Duration::from_secs(10));
        let mut failed = false;
        match measurement_range(&screen) {
            Some((min, max)) => {
                station.keys(&["Enter"]);
                station.wait_for(&["▶ Value ["], Duration::from_secs(10));
                let value = if to_fail {
                    max + 1.0
                } else {
                    (min + max) / 2.0
                };
                failed = std::mem::take(&mut to_fail);
                station.type_text(&format!("{value}"));
                station.keys(&["Enter"]);
            }
            None => station.keys(&["y"]),
        }
        // A record (a serial number) or a choice cannot be answered yes: the form says to press Enter.
        let progress = format!("answered {n} / {required}");
        let start = Instant::now();
        loop {
            let screen = station.screen();
            if screen.contains(&progress) {
                break;
            }
            if screen.contains("press Enter") && !screen.contains("╔") {
                station.keys(&["Enter"]);
                // A text field takes a serial number; a choice takes its first option.
                let opened = Instant::now();
                loop {
                    let dialog = station.screen();
                    if dialog.contains("▶ Text [") {
                        station.type_text(&format!("SN-{n:04}"));
                        break;
                    }
                    if dialog.contains("Enter accepts") {
                        break;
                    }
                    assert!(
                        opened.elapsed() < Duration::from_secs(10),
                        "no dialog for line {n}; screen:\n{dialog}"
                    );
                    std::thread::sleep(Duration::from_millis(100));
                }
                station.keys(&["Enter"]);
                station.wait_for(&[&progress], Duration::from_secs(10));
                break;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "line {n} not answered; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        if failed {
            station.wait_for(&["e adds a note to this item"], Duration::from_secs(10));
            station.keys(&["j"]);
        }
    }
    station.wait_for(&["Saved"], Duration::from_secs(10));
    required
}

/// Signs the testing form's submission (`s`, the password) and waits for `recorded`.
pub(crate) fn submit_testing(station: &Station, outcome: &str, recorded: &str) {
    station.keys(&["s"]);
    station.wait_for(
        &[
            &format!("Submit: {outcome}"),
            "Signature: Luis Ortega | TESTED",
            "Password",
        ],
        Duration::from_secs(10),
    );
    station.type_text("demo-password");
    station.keys(&["Enter"]);
    station.wait_for(&[recorded], Duration::from_secs(20));
}

/// From the task runner with every task done: end-of-line testing answered in range, signed PASS, and
/// the move to TESTING_COMPLETE, which opens packaging.
pub(crate) fn pass_testing(station: &Station) {
    fill_testing(station, false);
    submit_testing(station, "PASS", "Testing PASS recorded");
    station.wait_for(&["m Move status"], Duration::from_secs(20));
    station.keys(&["m"]);
    station.wait_for(&["y Yes"], Duration::from_secs(10));
    station.keys(&["y"]);
}

/// From the task runner with every task done: a testing form failing one measurement, signed FAIL; then
/// the new form, where the answers in range are carried over: `Y` and `y` confirm them, `g` finds the
/// failing measurement, and only it is typed before the form is signed PASS (docs/assembly-floor.md §5.1).
pub(crate) fn fail_then_pass_testing(station: &Station) {
    let required = fill_testing(station, true);
    submit_testing(station, "FAIL — 1 failing", "Testing FAIL recorded");
    // The new form: nothing answered, every other line carried over, waiting for its confirmation.
    station.wait_for(
        &["[↻] ", "carried over — confirm", "answered 0 / "],
        Duration::from_secs(20),
    );
    // Submitting before confirming is refused before the signing dialog.
    station.keys(&["s"]);
    station.wait_for(
        &["Not submitted: ", "carried-over answer(s) not confirmed"],
        Duration::from_secs(10),
    );
    station.keys(&["Y"]);
    station.wait_for(
        &["Confirm carried-over answers", "answer(s) from form 1?"],
        Duration::from_secs(10),
    );
    station.keys(&["y"]);
    station.wait_for(
        &[&format!("answered {} / {required}", required - 1), "Saved"],
        Duration::from_secs(20),
    );
    station.keys(&["g"]);
    let screen = station.wait_settled(&["Answer: — · not answered"], Duration::from_secs(10));
    let (min, max) = measurement_range(&screen).expect("the open line is the failed measurement");
    station.keys(&["Enter"]);
    station.wait_for(&["▶ Value ["], Duration::from_secs(10));
    station.type_text(&format!("{}", (min + max) / 2.0));
    station.keys(&["Enter"]);
    station.wait_for(
        &[&format!("answered {required} / {required}"), "Saved"],
        Duration::from_secs(20),
    );
    submit_testing(station, "PASS", "Testing PASS recorded");
}

/// From packaging after the move to TESTING_COMPLETE: every line packed, packaging complete (signed)
/// and the move to Final QC. Returns the number of lines packed.
pub(crate) fn pack_and_send_to_final_qc(station: &Station, build: &str) -> u32 {
    // Packaging: every line packed in full, then the two moves. The packing keys show once the
    // build's status is known too: a key pressed before would be ignored.
    let screen = station.wait_for(
        &[
            &format!("{build} moved to Testing complete"),
            "Packed 0 / ",
            "Space All/none",
        ],
        Duration::from_secs(20),
    );
    let (_, items) = count_after(&screen, "Packed ").expect("packaging header");
    assert!(items > 0, "{screen}");
    for n in 1..=items {
        station.keys(&["Space"]);
        station.wait_for(&[&format!("Packed {n} / {items}")], Duration::from_secs(10));
        station.keys(&["j"]);
    }
    station.wait_for(&["m marks packaging complete"], Duration::from_secs(10));
    station.keys(&["m"]);
    station.wait_for(
        &[
            "Mark packaging complete?",
            "Signature: Luis Ortega | VERIFIED",
        ],
        Duration::from_secs(10),
    );
    station.type_text("demo-password");
    station.keys(&["Enter"]);
    station.wait_for(
        &["PACKAGING_COMPLETE", "m Move status"],
        Duration::from_secs(20),
    );
    station.keys(&["m"]);
    station.wait_for(&["Send to Final QC?", "y Yes"], Duration::from_secs(10));
    station.keys(&["y"]);
    station.wait_for(
        &[
            &format!("{build} moved to Ready for Final QC"),
            "Build detail",
        ],
        Duration::from_secs(20),
    );
    items
}
