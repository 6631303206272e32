//! Golden renders of the production reports, into `screens/reports/`: each of the seven reports as a
//! chart and as a table, built by hand the way the report queries answer; the custom range with a
//! refusal, the export dialog, and the loading, empty and refused states.
use crate::harness::{Driver, init, snap_sizes, user_for};
use chrono::NaiveDate;
use cleanstation::domain::Role;
use cleanstation::domain::report::{
    BarGroup, Cell, Chart, Column, LineSeries, Period, PeriodKind, ReportData, ReportKind,
};
use cleanstation::error::ServiceError;
use cleanstation::msg::{Reply, Request};
use cleanstation::screens::ActiveScreen;
use cleanstation::theme::Theme;
use crossterm::event::KeyCode;

fn snap(state: &str, description: &str, text: &str) {
    crate::harness::snap_in!("reports", state, description, text);
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 6).expect("a date")
}

fn week() -> Period {
    Period::containing(PeriodKind::Week, today())
}

fn text(s: &str) -> Cell {
    Cell::Text(s.to_string())
}

fn bars(series: &[&str], groups: &[(&str, &[f64])], unit: &str) -> Chart {
    Chart::Bars {
        series: series.iter().map(|s| s.to_string()).collect(),
        groups: groups
            .iter()
            .map(|(label, values)| BarGroup {
                label: label.to_string(),
                values: values.to_vec(),
            })
            .collect(),
        unit: unit.to_string(),
    }
}

/// Builds shipped per week, the 26 weeks up to the period's end.
fn throughput(period: Period) -> ReportData {
    let counts: [u64; 26] = [
        9, 11, 8, 12, 14, 10, 9, 13, 15, 12, 11, 7, 10, 12, 14, 16, 13, 12, 15, 17, 14, 13, 16, 18,
        15, 12,
    ];
    let rows = counts
        .iter()
        .enumerate()
        .map(|(i, n)| {
            vec![
                text(&format!("2026-W{}", 24 + i)),
                Cell::Count(i64::try_from(*n).unwrap_or(0)),
            ]
        })
        .collect();
    ReportData {
        kind: ReportKind::Throughput,
        period,
        columns: vec![Column::left("Week"), Column::right("Shipped")],
        rows,
        chart: Chart::Spark {
            values: counts.to_vec(),
            first: "W24".into(),
            last: "W49".into(),
            unit: "builds shipped per week".into(),
        },
        notes: vec!["The 26 weeks up to Week 49, 2026; 338 builds shipped".into()],
    }
}

/// Builds not yet shipped, by status, with the oldest one's days in it.
fn wip(period: Period) -> ReportData {
    let statuses: [(&str, i64, f64); 9] = [
        ("ORDER_CREATED", 4, 6.5),
        ("PARTS_SENT", 6, 3.0),
        ("READY_FOR_PRE_QC", 3, 1.5),
        ("READY_FOR_PRODUCTION", 9, 4.0),
        ("TESTING_COMPLETE", 2, 0.5),
        ("PACKAGING_COMPLETE", 1, 0.3),
        ("READY_FOR_FINAL_QC", 3, 1.2),
        ("READY_FOR_SHIP", 5, 2.8),
        ("ON HOLD", 2, 9.4),
    ];
    let groups: Vec<(&str, Vec<f64>)> = statuses
        .iter()
        .map(|(s, n, _)| (*s, vec![*n as f64]))
        .collect();
    let groups: Vec<(&str, &[f64])> = groups.iter().map(|(s, v)| (*s, &v[..])).collect();
    ReportData {
        kind: ReportKind::WorkInProgress,
        period,
        columns: vec![
            Column::left("Status"),
            Column::right("Builds"),
            Column::right("Oldest"),
        ],
        rows: statuses
            .iter()
            .map(|(s, n, d)| vec![text(s), Cell::Count(*n), Cell::Days(Some(*d))])
            .collect(),
        chart: bars(&["Builds"], &groups, "builds"),
        notes: vec!["As at the end of Week 49, 2026; cancelled builds left out".into()],
    }
}

/// Hours in each stage, median and p90, hold time subtracted.
fn cycle_time(period: Period) -> ReportData {
    let stages: [(&str, i64, Option<f64>, Option<f64>); 6] = [
        ("Parts", 31, Some(26.5), Some(71.0)),
        ("Pre-QC", 31, Some(3.2), Some(9.8)),
        ("Assembly", 29, Some(18.4), Some(40.2)),
        ("Testing", 29, Some(2.1), Some(5.5)),
        ("Final QC", 28, Some(4.0), Some(12.6)),
        ("Packing", 0, None, None),
    ];
    let groups: Vec<(&str, Vec<f64>)> = stages
        .iter()
        .map(|(s, _, m, p)| (*s, vec![m.unwrap_or(0.0), p.unwrap_or(0.0)]))
        .collect();
    let groups: Vec<(&str, &[f64])> = groups.iter().map(|(s, v)| (*s, &v[..])).collect();
    ReportData {
        kind: ReportKind::CycleTime,
        period,
        columns: vec![
            Column::left("Stage"),
            Column::right("Builds"),
            Column::right("Median"),
            Column::right("p90"),
        ],
        rows: stages
            .iter()
            .map(|(s, n, m, p)| vec![text(s), Cell::Count(*n), Cell::Hours(*m), Cell::Hours(*p)])
            .collect(),
        chart: bars(&["Median", "p90"], &groups, "hours"),
        notes: vec![
            "Hold time subtracted: 4 builds were on hold for 61.5 h in all".into(),
            "Packing: no build finished it in the period".into(),
        ],
    }
}

/// Builds shipped on or before their want date, per week.
fn on_time(period: Period) -> ReportData {
    let weeks: [(i64, i64); 13] = [
        (12, 11),
        (14, 12),
        (13, 13),
        (16, 13),
        (15, 14),
        (14, 10),
        (17, 15),
        (18, 17),
        (15, 15),
        (16, 13),
        (13, 12),
        (15, 14),
        (12, 12),
    ];
    let pct = |(n, ok): (i64, i64)| ok as f64 * 100.0 / n as f64;
    ReportData {
        kind: ReportKind::OnTimeDelivery,
        period,
        columns: vec![
            Column::left("Week"),
            Column::right("Shipped"),
            Column::right("On time"),
            Column::right("Late"),
            Column::right("On time %"),
        ],
        rows: weeks
            .iter()
            .enumerate()
            .map(|(i, w)| {
                vec![
                    text(&format!("2026-W{}", 37 + i)),
                    Cell::Count(w.0),
                    Cell::Count(w.1),
                    Cell::Count(w.0 - w.1),
                    Cell::Percent(Some(pct(*w))),
                ]
            })
            .collect(),
        chart: Chart::Lines {
            x_labels: (37..=49).map(|w| format!("W{w}")).collect(),
            series: vec![LineSeries {
                name: "Shipped on time".into(),
                points: weeks
                    .iter()
                    .enumerate()
                    .map(|(i, w)| (i as f64, pct(*w)))
                    .collect(),
            }],
            unit: "%".into(),
        },
        notes: vec!["2 builds without a want date left out".into()],
    }
}

/// Pre-QC, Final QC and end-of-line testing passed at the first attempt.
fn first_pass_yield(period: Period) -> ReportData {
    let stages: [(&str, i64, i64); 3] = [
        ("Pre-QC", 39, 36),
        ("Final QC", 36, 32),
        ("End-of-line testing", 34, 33),
    ];
    let pct = |total: i64, first: i64| first as f64 * 100.0 / total as f64;
    let groups: Vec<(&str, Vec<f64>)> = stages
        .iter()
        .map(|(s, t, f)| (*s, vec![pct(*t, *f)]))
        .collect();
    let groups: Vec<(&str, &[f64])> = groups.iter().map(|(s, v)| (*s, &v[..])).collect();
    ReportData {
        kind: ReportKind::FirstPassYield,
        period,
        columns: vec![
            Column::left("Stage"),
            Column::right("Builds"),
            Column::right("First pass"),
            Column::right("Yield"),
        ],
        rows: stages
            .iter()
            .map(|(s, t, f)| {
                vec![
                    text(s),
                    Cell::Count(*t),
                    Cell::Count(*f),
                    Cell::Percent(Some(pct(*t, *f))),
                ]
            })
            .collect(),
        chart: bars(&["First-pass yield"], &groups, "%"),
        notes: vec!["A build counts once per stage: its first submitted result".into()],
    }
}

/// The checklist items most often failed and the rejection reasons most often named.
fn rejections(period: Period) -> ReportData {
    let top: [(&str, &str, i64, f64); 8] = [
        ("Item", "Weld seams ground flush and passivated", 7, 21.9),
        ("Item", "Drain flange level with the basin floor", 5, 15.6),
        ("Item", "Faucet flow at 4 L/min ±10 %", 3, 9.4),
        ("Item", "Serial plate fitted and legible", 2, 6.3),
        ("Reason", "SCR-01 Surface scratch (cosmetic)", 6, 18.8),
        ("Reason", "WLD-02 Weld discolouration", 4, 12.5),
        ("Reason", "LEK-01 Leak at a fitting", 3, 9.4),
        ("Reason", "DOC-03 Traveler entry missing", 2, 6.3),
    ];
    let labels: Vec<String> = top.iter().map(|(k, n, _, _)| format!("{k}: {n}")).collect();
    let groups: Vec<(&str, Vec<f64>)> = labels
        .iter()
        .zip(top.iter())
        .map(|(l, t)| (l.as_str(), vec![t.2 as f64]))
        .collect();
    let groups: Vec<(&str, &[f64])> = groups.iter().map(|(s, v)| (*s, &v[..])).collect();
    ReportData {
        kind: ReportKind::Rejections,
        period,
        columns: vec![
            Column::left("Kind"),
            Column::left("Item or reason"),
            Column::right("Times"),
            Column::right("Share"),
        ],
        rows: top
            .iter()
            .map(|(k, n, c, s)| vec![text(k), text(n), Cell::Count(*c), Cell::Percent(Some(*s))])
            .collect(),
        chart: bars(&["Times"], &groups, "failures"),
        notes: vec!["32 failed items and reasons at Pre-QC and Final QC; the top 8".into()],
    }
}

/// Each assembler's completed tasks against their estimates.
fn assemblers(period: Period) -> ReportData {
    let people: [(&str, i64, i64, i64); 5] = [
        ("Sam Brennan", 46, 1380, 1512),
        ("Tomasz Wójcik", 38, 1140, 1068),
        ("Luis Ortega", 41, 1230, 1399),
        ("Mei Tanaka", 29, 870, 842),
        ("Nora Hale", 12, 360, 455),
    ];
    let groups: Vec<(&str, Vec<f64>)> = people
        .iter()
        .map(|(n, _, e, a)| (*n, vec![*e as f64, *a as f64]))
        .collect();
    let groups: Vec<(&str, &[f64])> = groups.iter().map(|(s, v)| (*s, &v[..])).collect();
    ReportData {
        kind: ReportKind::Assemblers,
        period,
        columns: vec![
            Column::left("Assembler"),
            Column::right("Tasks"),
            Column::right("Estimated min"),
            Column::right("Actual min"),
            Column::right("Actual/est."),
        ],
        rows: people
            .iter()
            .map(|(n, t, e, a)| {
                vec![
                    text(n),
                    Cell::Count(*t),
                    Cell::Count(*e),
                    Cell::Count(*a),
                    Cell::Percent(Some(*a as f64 * 100.0 / *e as f64)),
                ]
            })
            .collect(),
        chart: bars(&["Estimated", "Actual"], &groups, "minutes"),
        notes: vec!["Tasks completed in the period; reopened tasks count once".into()],
    }
}

fn fixture(kind: ReportKind, period: Period) -> ReportData {
    match kind {
        ReportKind::Throughput => throughput(period),
        ReportKind::WorkInProgress => wip(period),
        ReportKind::CycleTime => cycle_time(period),
        ReportKind::OnTimeDelivery => on_time(period),
        ReportKind::FirstPassYield => first_pass_yield(period),
        ReportKind::Rejections => rejections(period),
        ReportKind::Assemblers => assemblers(period),
    }
}

/// A coordinator on the reports screen, the database's date answered; the first report not yet.
fn reports_open(theme: Theme) -> Driver {
    let mut d = Driver::new(init(theme));
    d.login(user_for(Role::ProductionCoordinator));
    d.open_home_entry("Reports");
    assert!(matches!(d.app.screen(), ActiveScreen::Reports(_)));
    assert!(d.answer(
        |r| matches!(r, Request::Today { .. }),
        Ok(Reply::Today(today())),
    ));
    d
}

/// Answers the report request on its way with the hand-made figures of its report.
fn answer_report(d: &mut Driver) {
    let req = d
        .take(|r| matches!(r, Request::Report { .. }))
        .expect("a report request");
    let Request::Report { kind, period, .. } = req.kind else {
        unreachable!("taken as a report request")
    };
    d.reply(&req, Ok(Reply::Report(Box::new(fixture(kind, period)))));
}

#[test]
fn every_report_as_a_chart_and_as_a_table() {
    let mut d = reports_open(Theme::ansi());
    answer_report(&mut d);
    for (i, kind) in ReportKind::ALL.iter().enumerate() {
        if i > 0 {
            d.key(KeyCode::Tab);
            answer_report(&mut d);
        }
        let slug = kind.slug().replace('-', "_");
        snap(
            &format!("{slug}_chart"),
            &format!("{}: the chart view at 80x24", kind.title()),
            &d.render(80, 24),
        );
        d.key(KeyCode::Char('v'));
        snap(
            &format!("{slug}_table"),
            &format!("{}: the table view at 80x24", kind.title()),
            &d.render(80, 24),
        );
        d.draw_every_size();
        d.key(KeyCode::Char('v'));
        d.draw_every_size();
    }
}

#[test]
fn the_larger_terminal_and_the_key_bar() {
    let mut d = reports_open(Theme::ansi());
    answer_report(&mut d);
    snap_sizes!(d, "reports", "throughput", "Throughput as a sparkline");
    for _ in 0..2 {
        d.key(KeyCode::Tab);
        answer_report(&mut d);
    }
    snap_sizes!(
        d,
        "reports",
        "cycle_time",
        "Cycle time: median and p90 side by side"
    );
    d.key(KeyCode::Char('v'));
    snap_sizes!(d, "reports", "cycle_time_table", "Cycle time as a table");
    for _ in 0..3 {
        d.key(KeyCode::Tab);
        answer_report(&mut d);
    }
    snap_sizes!(
        d,
        "reports",
        "rejections_table",
        "Top rejections as a table, the long names cut and the selected row whole under it"
    );
    d.key(KeyCode::Char('v'));
    snap_sizes!(d, "reports", "rejections", "Top rejections as lying bars");
    d.key(KeyCode::Char('?'));
    snap(
        "help",
        "The help over the reports: every key of the screen",
        &d.render(80, 40),
    );
}

#[test]
fn loading_empty_refused_custom_range_and_export() {
    let mut d = reports_open(Theme::ansi());
    snap("loading", "The first report on its way", &d.render(80, 24));
    let req = d
        .take(|r| matches!(r, Request::Report { .. }))
        .expect("the first report");
    d.reply(
        &req,
        Err(ServiceError::Invalid(
            "Reports are not available on this station yet".into(),
        )),
    );
    snap(
        "refused",
        "The service's refusal in place of the report, and how to try again",
        &d.render(80, 24),
    );
    d.key(KeyCode::F(5));
    let req = d
        .take(|r| matches!(r, Request::Report { .. }))
        .expect("F5 reads again");
    let mut empty = throughput(week());
    empty.kind = ReportKind::Throughput;
    empty.rows.clear();
    empty.chart = Chart::Spark {
        values: Vec::new(),
        first: String::new(),
        last: String::new(),
        unit: "builds shipped per week".into(),
    };
    empty.notes.clear();
    d.reply(&req, Ok(Reply::Report(Box::new(empty))));
    snap(
        "empty",
        "A report with nothing in its period says so",
        &d.render(80, 24),
    );

    d.key(KeyCode::Char('c'));
    d.type_str("2026-12-24");
    d.key(KeyCode::Enter);
    snap_sizes!(
        d,
        "reports",
        "custom_range_refused",
        "A custom range that ends before it starts: refused in place, the dates typed kept"
    );
    d.draw_every_size();
    d.ctrl('u');
    d.type_str("2026-10-01");
    d.key(KeyCode::Enter);
    answer_report(&mut d);
    snap(
        "custom_range",
        "Throughput over a custom range",
        &d.render(120, 40),
    );

    d.key(KeyCode::Char('x'));
    d.type_str("/srv/reports");
    snap_sizes!(
        d,
        "reports",
        "export",
        "The export dialog, a directory typed"
    );
    d.key(KeyCode::Enter);
    assert!(d.answer(
        |r| matches!(r, Request::ExportReport { .. }),
        Ok(Reply::Exported(vec![
            "/srv/reports/throughput_2026-10-01_2026-12-06.csv".into()
        ])),
    ));
    snap(
        "exported",
        "The file written, named on the status line and in the message line",
        &d.render(80, 24),
    );
}

#[test]
fn the_monochrome_chart_reads_the_same() {
    let mut d = reports_open(Theme::mono());
    answer_report(&mut d);
    for _ in 0..6 {
        d.key(KeyCode::Tab);
        answer_report(&mut d);
    }
    snap(
        "assemblers_mono",
        "Two series without colour: the legend names them in the order the bars stand",
        &d.render(80, 24),
    );
}
