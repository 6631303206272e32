//! The figures of each report as the database returns them, and their shaping into one table and one
//! chart (docs/reports.md §3). Pure: rows in, [`ReportData`] out.

use super::order::OrderStatus;
use super::report::{BarGroup, Cell, Chart, Column, Period, ReportData, ReportKind};
use chrono::{Datelike, Duration, NaiveDate};

/// Builds shipped in one ISO week (docs/reports.md §3.1).
#[derive(Debug, Clone, PartialEq)]
pub struct WeekCount {
    /// The Monday of the week.
    pub week: NaiveDate,
    pub shipped: i64,
}

/// The builds in one status now (docs/reports.md §3.2).
#[derive(Debug, Clone, PartialEq)]
pub struct WipRow {
    /// The status as stored (`READY_FOR_PRE_QC`, ...).
    pub status: String,
    pub builds: i64,
    pub on_hold: i64,
    pub oldest_days: Option<f64>,
    pub average_days: Option<f64>,
}

/// The stages left in the period, of one status (docs/reports.md §3.3).
#[derive(Debug, Clone, PartialEq)]
pub struct StageRow {
    pub status: String,
    pub stages: i64,
    pub median_hours: Option<f64>,
    pub p90_hours: Option<f64>,
    /// Hold time subtracted from these stages, in total.
    pub held_hours: f64,
}

/// The builds shipped in one week of the period and how they met their want date (docs/reports.md §3.4).
#[derive(Debug, Clone, PartialEq)]
pub struct OnTimeWeek {
    pub week: NaiveDate,
    pub shipped: i64,
    pub on_time: i64,
    /// The average days late of the late builds.
    pub average_days_late: Option<f64>,
}

/// First attempts at one check and how many passed (docs/reports.md §3.5).
#[derive(Debug, Clone, PartialEq)]
pub struct YieldRow {
    /// `PRE_QC`, `FINAL_QC` or `TESTING`.
    pub check: String,
    pub first_attempts: i64,
    pub passed: i64,
}

/// A checklist item answered non-conforming, or a rejection reason named (docs/reports.md §3.6).
#[derive(Debug, Clone, PartialEq)]
pub struct RejectionRow {
    /// `item` or `reason`.
    pub kind: String,
    pub code: String,
    pub text: String,
    /// Submitted QC results in the period that failed the item or named the reason.
    pub results: i64,
}

/// One assembler's completed tasks (docs/reports.md §3.7).
#[derive(Debug, Clone, PartialEq)]
pub struct AssemblerRow {
    pub name: String,
    pub initials: String,
    pub tasks: i64,
    /// Tasks with both an estimate and a measured time: the ones the ratio is taken over.
    pub timed: i64,
    pub estimated_minutes: i64,
    /// Estimated minutes of the timed tasks only.
    pub timed_estimate_minutes: i64,
    /// Measured minutes of the timed tasks.
    pub actual_minutes: f64,
}

/// The status's words, or the stored text for a status this build does not know.
fn status_label(code: &str) -> String {
    OrderStatus::parse(code).map_or_else(|| code.to_string(), |s| s.title().to_string())
}

fn week_label(monday: NaiveDate) -> String {
    let w = monday.iso_week();
    format!("{}-W{:02}", w.year(), w.week())
}

fn percent(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 * 100.0 / whole as f64)
}

fn data(
    kind: ReportKind,
    period: Period,
    columns: Vec<Column>,
    rows: Vec<Vec<Cell>>,
    chart: Chart,
    notes: Vec<String>,
) -> ReportData {
    ReportData {
        kind,
        period,
        columns,
        rows,
        chart,
        notes,
    }
}

/// The 26 ISO weeks ending with the week that holds the period's last day, oldest first (docs/reports.md
/// §3.1).
pub fn throughput_weeks(period: Period) -> (NaiveDate, NaiveDate) {
    let last = period.to - Duration::days(i64::from(period.to.weekday().num_days_from_monday()));
    (last - Duration::weeks(25), last)
}

/// Throughput: one row per week, a bar per week.
pub fn throughput(period: Period, weeks: &[WeekCount]) -> ReportData {
    let rows = weeks
        .iter()
        .map(|w| {
            vec![
                Cell::Text(week_label(w.week)),
                Cell::Text(w.week.to_string()),
                Cell::Count(w.shipped),
            ]
        })
        .collect();
    let groups = weeks
        .iter()
        .map(|w| BarGroup {
            label: format!("{:02}", w.week.iso_week().week()),
            values: vec![w.shipped as f64],
        })
        .collect();
    let total: i64 = weeks.iter().map(|w| w.shipped).sum();
    data(
        ReportKind::Throughput,
        period,
        vec![
            Column::left("Week"),
            Column::left("Starts"),
            Column::right("Shipped (builds)"),
        ],
        rows,
        Chart::Bars {
            series: vec!["Shipped".into()],
            groups,
            unit: "builds".into(),
        },
        vec![format!(
            "The 26 weeks ending with the period's last week: {total} builds shipped"
        )],
    )
}

/// Work in progress: one row per open status, in the order of the flow.
pub fn work_in_progress(period: Period, rows: &[WipRow]) -> ReportData {
    let table = rows
        .iter()
        .map(|r| {
            vec![
                Cell::Text(status_label(&r.status)),
                Cell::Count(r.builds),
                Cell::Count(r.on_hold),
                Cell::Days(r.oldest_days),
                Cell::Days(r.average_days),
            ]
        })
        .collect();
    let groups = rows
        .iter()
        .map(|r| BarGroup {
            label: status_label(&r.status),
            values: vec![r.builds as f64],
        })
        .collect();
    let total: i64 = rows.iter().map(|r| r.builds).sum();
    data(
        ReportKind::WorkInProgress,
        period,
        vec![
            Column::left("Status"),
            Column::right("Builds"),
            Column::right("On hold"),
            Column::right("Oldest (days)"),
            Column::right("Average age (days)"),
        ],
        table,
        Chart::Bars {
            series: vec!["Builds".into()],
            groups,
            unit: "builds".into(),
        },
        vec![
            format!("Now, whatever the period: {total} builds not shipped"),
            "Age: days since the build was created".into(),
        ],
    )
}

/// Cycle time: one row per stage, median and p90 bars.
pub fn cycle_time(period: Period, rows: &[StageRow]) -> ReportData {
    let table = rows
        .iter()
        .map(|r| {
            vec![
                Cell::Text(status_label(&r.status)),
                Cell::Count(r.stages),
                Cell::Hours(r.median_hours),
                Cell::Hours(r.p90_hours),
                Cell::Hours(Some(r.held_hours)),
            ]
        })
        .collect();
    let groups = rows
        .iter()
        .map(|r| BarGroup {
            label: status_label(&r.status),
            values: vec![r.median_hours.unwrap_or(0.0), r.p90_hours.unwrap_or(0.0)],
        })
        .collect();
    data(
        ReportKind::CycleTime,
        period,
        vec![
            Column::left("Stage"),
            Column::right("Stages"),
            Column::right("Median (h)"),
            Column::right("p90 (h)"),
            Column::right("Hold subtracted (h)"),
        ],
        table,
        Chart::Bars {
            series: vec!["Median".into(), "p90".into()],
            groups,
            unit: "h".into(),
        },
        vec![
            "A stage is the time from entering a status to the next move; stages left in the period"
                .into(),
            "Hold time within a stage is subtracted".into(),
        ],
    )
}

/// On-time delivery: one row per week of the period and a total, on-time and late bars.
pub fn on_time(period: Period, weeks: &[OnTimeWeek]) -> ReportData {
    let row = |label: String, shipped: i64, on_time: i64, late_days: Option<f64>| {
        vec![
            Cell::Text(label),
            Cell::Count(shipped),
            Cell::Count(on_time),
            Cell::Count(shipped - on_time),
            Cell::Percent(percent(on_time, shipped)),
            Cell::Days(late_days),
        ]
    };
    let mut table: Vec<Vec<Cell>> = weeks
        .iter()
        .map(|w| {
            row(
                week_label(w.week),
                w.shipped,
                w.on_time,
                w.average_days_late,
            )
        })
        .collect();
    let shipped: i64 = weeks.iter().map(|w| w.shipped).sum();
    let on_time: i64 = weeks.iter().map(|w| w.on_time).sum();
    let late_days: f64 = weeks
        .iter()
        .filter_map(|w| {
            w.average_days_late
                .map(|d| d * (w.shipped - w.on_time) as f64)
        })
        .sum();
    let late = shipped - on_time;
    table.push(row(
        "Total".into(),
        shipped,
        on_time,
        (late > 0).then(|| late_days / late as f64),
    ));
    let groups = weeks
        .iter()
        .map(|w| BarGroup {
            label: format!("{:02}", w.week.iso_week().week()),
            values: vec![w.on_time as f64, (w.shipped - w.on_time) as f64],
        })
        .collect();
    data(
        ReportKind::OnTimeDelivery,
        period,
        vec![
            Column::left("Week"),
            Column::right("Shipped (builds)"),
            Column::right("On time (builds)"),
            Column::right("Late (builds)"),
            Column::right("On time (%)"),
            Column::right("Average lateness (days)"),
        ],
        table,
        Chart::Bars {
            series: vec!["On time".into(), "Late".into()],
            groups,
            unit: "builds".into(),
        },
        vec!["On time: shipped on or before the want date; lateness over the late builds".into()],
    )
}

fn check_label(check: &str) -> &str {
    match check {
        "PRE_QC" => "Pre-QC",
        "FINAL_QC" => "Final QC",
        "TESTING" => "End-of-line testing",
        other => other,
    }
}

/// First-pass yield: one row per check, a yield bar per check.
pub fn first_pass_yield(period: Period, rows: &[YieldRow]) -> ReportData {
    let table = rows
        .iter()
        .map(|r| {
            vec![
                Cell::Text(check_label(&r.check).to_string()),
                Cell::Count(r.first_attempts),
                Cell::Count(r.passed),
                Cell::Percent(percent(r.passed, r.first_attempts)),
            ]
        })
        .collect();
    let groups = rows
        .iter()
        .map(|r| BarGroup {
            label: check_label(&r.check).to_string(),
            values: vec![percent(r.passed, r.first_attempts).unwrap_or(0.0)],
        })
        .collect();
    data(
        ReportKind::FirstPassYield,
        period,
        vec![
            Column::left("Check"),
            Column::right("First attempts"),
            Column::right("Passed first time"),
            Column::right("Yield (%)"),
        ],
        table,
        Chart::Bars {
            series: vec!["Yield".into()],
            groups,
            unit: "%".into(),
        },
        vec![
            "Each build's first submitted result of each check, when it falls in the period".into(),
        ],
    )
}

/// Top rejections: the items, then the reasons, most often first; one bar each.
pub fn rejections(period: Period, rows: &[RejectionRow]) -> ReportData {
    let kind_label = |k: &str| {
        match k {
            "item" => "Checklist item",
            "reason" => "Rejection reason",
            other => other,
        }
        .to_string()
    };
    let table = rows
        .iter()
        .map(|r| {
            vec![
                Cell::Text(kind_label(&r.kind)),
                Cell::Text(r.code.clone()),
                Cell::Text(r.text.clone()),
                Cell::Count(r.results),
            ]
        })
        .collect();
    let groups = rows
        .iter()
        .map(|r| BarGroup {
            label: r.code.clone(),
            values: vec![r.results as f64],
        })
        .collect();
    let items = rows.iter().filter(|r| r.kind == "item").count();
    data(
        ReportKind::Rejections,
        period,
        vec![
            Column::left("Kind"),
            Column::left("Code"),
            Column::left("Description"),
            Column::right("Results"),
        ],
        table,
        Chart::Bars {
            series: vec!["Results".into()],
            groups,
            unit: "results".into(),
        },
        vec![
            format!(
                "Top 10 of each: {items} checklist items, {} rejection reasons",
                rows.len() - items
            ),
            "Results: submitted QC results in the period that failed the item or named the reason"
                .into(),
        ],
    )
}

/// Assemblers: one row per assembler, estimated and measured bars.
pub fn assemblers(period: Period, rows: &[AssemblerRow]) -> ReportData {
    let hours = |m: f64| Some(m / 60.0);
    let table = rows
        .iter()
        .map(|r| {
            vec![
                Cell::Text(r.name.clone()),
                Cell::Count(r.tasks),
                Cell::Hours(hours(r.estimated_minutes as f64)),
                Cell::Count(r.timed),
                Cell::Hours(hours(r.actual_minutes)),
                Cell::Percent(
                    (r.timed_estimate_minutes > 0)
                        .then(|| r.actual_minutes * 100.0 / r.timed_estimate_minutes as f64),
                ),
            ]
        })
        .collect();
    let groups = rows
        .iter()
        .map(|r| BarGroup {
            label: if r.initials.is_empty() {
                r.name.clone()
            } else {
                r.initials.clone()
            },
            values: vec![
                r.timed_estimate_minutes as f64 / 60.0,
                r.actual_minutes / 60.0,
            ],
        })
        .collect();
    let untimed: i64 = rows.iter().map(|r| r.tasks - r.timed).sum();
    data(
        ReportKind::Assemblers,
        period,
        vec![
            Column::left("Assembler"),
            Column::right("Tasks"),
            Column::right("Estimated (h)"),
            Column::right("Timed tasks"),
            Column::right("Measured (h)"),
            Column::right("Measured of estimate (%)"),
        ],
        table,
        Chart::Bars {
            series: vec!["Estimated".into(), "Measured".into()],
            groups,
            unit: "h".into(),
        },
        vec![
            "Measured: from the later of the previous completion on the task list and the build entering production, to this completion, hold time subtracted".into(),
            format!("{untimed} tasks without an estimate or a start are counted but not timed"),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::report::PeriodKind;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
    }

    fn month() -> Period {
        Period::containing(PeriodKind::Month, day(2026, 11, 15))
    }

    #[test]
    fn throughput_spans_26_weeks_ending_with_the_last_week() {
        let (first, last) = throughput_weeks(month());
        // 30 Nov 2026 is a Monday; the week holding 30 Nov starts that day.
        assert_eq!(last, day(2026, 11, 30));
        assert_eq!(first, day(2026, 6, 8));
        assert_eq!((last - first).num_weeks(), 25);
        let data = throughput(
            month(),
            &[
                WeekCount {
                    week: day(2026, 11, 23),
                    shipped: 3,
                },
                WeekCount {
                    week: day(2026, 11, 30),
                    shipped: 0,
                },
            ],
        );
        assert_eq!(data.rows[0][0], Cell::Text("2026-W48".into()));
        assert_eq!(data.rows[0][2].csv(), "3");
        assert!(data.notes[0].ends_with("3 builds shipped"));
        let labels: Vec<&str> = match &data.chart {
            Chart::Bars { groups, .. } => groups.iter().map(|g| g.label.as_str()).collect(),
            _ => Vec::new(),
        };
        assert_eq!(labels, ["48", "49"]);
    }

    #[test]
    fn on_time_adds_a_total_weighting_lateness_by_late_builds() {
        let weeks = [
            OnTimeWeek {
                week: day(2026, 11, 2),
                shipped: 4,
                on_time: 3,
                average_days_late: Some(2.0),
            },
            OnTimeWeek {
                week: day(2026, 11, 9),
                shipped: 3,
                on_time: 0,
                average_days_late: Some(5.0),
            },
        ];
        let data = on_time(month(), &weeks);
        let total = data
            .rows
            .last()
            .map(|r| r.iter().map(Cell::csv).collect::<Vec<_>>());
        // 3 of 7 on time (42.86 %); late: 1 × 2 days + 3 × 5 days over 4 late builds = 4.25 days.
        assert_eq!(
            total,
            Some(vec![
                "Total".into(),
                "7".into(),
                "3".into(),
                "4".into(),
                "42.86".into(),
                "4.25".into()
            ])
        );
    }

    #[test]
    fn yields_and_ratios_have_no_figure_without_a_base() {
        let data = first_pass_yield(
            month(),
            &[
                YieldRow {
                    check: "PRE_QC".into(),
                    first_attempts: 4,
                    passed: 3,
                },
                YieldRow {
                    check: "TESTING".into(),
                    first_attempts: 0,
                    passed: 0,
                },
            ],
        );
        assert_eq!(data.rows[0][3], Cell::Percent(Some(75.0)));
        assert_eq!(data.rows[1][0], Cell::Text("End-of-line testing".into()));
        assert_eq!(data.rows[1][3], Cell::Percent(None));

        let data = assemblers(
            month(),
            &[AssemblerRow {
                name: "Sam Park".into(),
                initials: "SP".into(),
                tasks: 3,
                timed: 2,
                estimated_minutes: 90,
                timed_estimate_minutes: 60,
                actual_minutes: 90.0,
            }],
        );
        assert_eq!(data.rows[0][2], Cell::Hours(Some(1.5)));
        assert_eq!(data.rows[0][5], Cell::Percent(Some(150.0)));
        assert!(data.notes[1].starts_with("1 tasks"));
    }

    #[test]
    fn statuses_read_as_words_and_unknown_ones_as_stored() {
        assert_eq!(status_label("READY_FOR_PRE_QC"), "Ready for Pre-QC");
        assert_eq!(status_label("SOMETHING_NEW"), "SOMETHING_NEW");
        let data = work_in_progress(
            month(),
            &[WipRow {
                status: "PARTS_SENT".into(),
                builds: 2,
                on_hold: 1,
                oldest_days: Some(3.5),
                average_days: None,
            }],
        );
        assert_eq!(data.rows[0][4].display(), "—");
        assert!(data.notes[0].contains("2 builds"));
        let data = rejections(
            month(),
            &[RejectionRow {
                kind: "reason".into(),
                code: "WELD".into(),
                text: "Weld defect".into(),
                results: 2,
            }],
        );
        assert_eq!(data.rows[0][0], Cell::Text("Rejection reason".into()));
        assert!(data.notes[0].contains("0 checklist items, 1 rejection reasons"));
    }
}
