//! Rendering device history records in a row must not grow memory (docs/dhr.md §5): renders a record
//! the size of a real build (two rounds, 40 tasks, three testing forms of 40 lines) as PDF and JSON, 10
//! times as a baseline and then 100 times, and prints the resident set (VmRSS) and its peak (VmHWM) at
//! each point, with the time per record. No database: the record is built in memory.
//!
//! `cargo bench --bench dhr`.

use cleanstation::domain::dhr::{DeviceHistoryRecord, sample};
use cleanstation::export::dhr::{DhrFormat, files};
use std::time::Instant;

const BASELINE: usize = 10;
const RUNS: usize = 100;

/// `VmRSS` and `VmHWM` of this process in KiB.
fn memory() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn record() -> DeviceHistoryRecord {
    let mut d = sample::record(true);
    let task = d.tasks[0].clone();
    d.tasks = (1..=40)
        .map(|n| {
            let mut t = task.clone();
            t.number = n;
            t.description =
                format!("Assembly step {n}: fit, torque and check the parts of this step");
            t
        })
        .collect();
    let form = d.testing_forms[1].clone();
    d.testing_forms = (1..=3)
        .map(|n| {
            let mut f = form.clone();
            f.number = n;
            f.lines = (1..=40)
                .map(|l| {
                    let mut line = form.lines[0].clone();
                    line.line = l;
                    line.name =
                        format!("EOL-{l:02} Measurement {l} of the end-of-line test [basin 1]");
                    line
                })
                .collect();
            f
        })
        .collect();
    d
}

fn render(d: &DeviceHistoryRecord) -> usize {
    files(d, DhrFormat::Both)
        .iter()
        .map(|f| f.bytes.len())
        .sum()
}

fn main() {
    let d = record();
    let (rss0, _) = memory();
    let mut bytes = 0;
    for _ in 0..BASELINE {
        bytes = render(&d);
    }
    let (rss_base, hwm_base) = memory();
    let started = Instant::now();
    for _ in 0..RUNS {
        bytes = std::hint::black_box(render(&d));
    }
    let per = started.elapsed() / RUNS as u32;
    let (rss_end, hwm_end) = memory();
    println!("device history record: PDF + JSON, {bytes} bytes per record, {per:?} per record");
    println!("VmRSS before rendering:             {rss0} KiB");
    println!("VmRSS after {BASELINE} records (baseline): {rss_base} KiB (peak {hwm_base} KiB)");
    println!("VmRSS after {RUNS} more records:      {rss_end} KiB (peak {hwm_end} KiB)");
    println!(
        "growth over the {RUNS} records: {} KiB resident, {} KiB peak",
        rss_end as i64 - rss_base as i64,
        hwm_end as i64 - hwm_base as i64
    );
}
