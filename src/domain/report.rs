//! Production reports (docs/reports.md): which report, over which period, and its figures as one table
//! and one chart. The same figures feed the chart, the table view and the CSV file.

use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;

/// The reports a coordinator or administrator can open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum ReportKind {
    /// Builds shipped per week.
    Throughput,
    /// Builds not yet shipped (nor cancelled), by status.
    WorkInProgress,
    /// Time spent in each stage, median and p90, hold time subtracted.
    CycleTime,
    /// Builds shipped on or before their want date.
    OnTimeDelivery,
    /// Pre-QC, Final QC and end-of-line testing passed at the first attempt.
    FirstPassYield,
    /// The checklist items most often failed, and the rejection reasons most often named.
    Rejections,
    /// Each assembler's completed tasks against their estimates.
    Assemblers,
}

impl ReportKind {
    pub const ALL: [ReportKind; 7] = [
        ReportKind::Throughput,
        ReportKind::WorkInProgress,
        ReportKind::CycleTime,
        ReportKind::OnTimeDelivery,
        ReportKind::FirstPassYield,
        ReportKind::Rejections,
        ReportKind::Assemblers,
    ];

    pub fn title(self) -> &'static str {
        match self {
            ReportKind::Throughput => "Throughput",
            ReportKind::WorkInProgress => "Work in progress",
            ReportKind::CycleTime => "Cycle time per stage",
            ReportKind::OnTimeDelivery => "On-time delivery",
            ReportKind::FirstPassYield => "First-pass yield",
            ReportKind::Rejections => "Top rejections",
            ReportKind::Assemblers => "Assemblers",
        }
    }

    /// The name on the command line and in a CSV file's name.
    pub fn slug(self) -> &'static str {
        match self {
            ReportKind::Throughput => "throughput",
            ReportKind::WorkInProgress => "wip",
            ReportKind::CycleTime => "cycle-time",
            ReportKind::OnTimeDelivery => "on-time",
            ReportKind::FirstPassYield => "first-pass-yield",
            ReportKind::Rejections => "rejections",
            ReportKind::Assemblers => "assemblers",
        }
    }

    pub fn from_slug(slug: &str) -> Option<ReportKind> {
        ReportKind::ALL.into_iter().find(|k| k.slug() == slug)
    }
}

/// How a period was chosen; week, month and quarter step back and forth by their own length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum PeriodKind {
    Week,
    Month,
    Quarter,
    Custom,
}

/// The longest custom range, so a report's query stays bounded (docs/reports.md §2.2).
pub const MAX_CUSTOM_DAYS: i64 = 3 * 366;

/// A range of whole days, both ends included, in UTC dates like the records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Period {
    pub kind: PeriodKind,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// The calendar week (Monday to Sunday), month or quarter that holds `day`. `Custom` gives the
    /// single day.
    pub fn containing(kind: PeriodKind, day: NaiveDate) -> Period {
        let (from, to) = match kind {
            PeriodKind::Week => {
                let from = day - Duration::days(i64::from(day.weekday().num_days_from_monday()));
                (from, from + Duration::days(6))
            }
            PeriodKind::Month => month_span(day.year(), day.month(), 1),
            PeriodKind::Quarter => month_span(day.year(), (day.month() - 1) / 3 * 3 + 1, 3),
            PeriodKind::Custom => (day, day),
        };
        Period { kind, from, to }
    }

    /// A range typed by the user: `from` not after `to`, at most [`MAX_CUSTOM_DAYS`] days.
    pub fn custom(from: NaiveDate, to: NaiveDate) -> Result<Period, String> {
        if from > to {
            return Err(format!("The range starts after it ends ({from} > {to})"));
        }
        let days = (to - from).num_days() + 1;
        if days > MAX_CUSTOM_DAYS {
            return Err(format!(
                "A range may cover at most {MAX_CUSTOM_DAYS} days (this one covers {days})"
            ));
        }
        Ok(Period {
            kind: PeriodKind::Custom,
            from,
            to,
        })
    }

    /// The period before this one, of the same kind (a custom range moves by its own length).
    pub fn prev(self) -> Period {
        match self.kind {
            PeriodKind::Custom => self.shift(-self.days()),
            kind => Period::containing(kind, self.from - Duration::days(1)),
        }
    }

    /// The period after this one, of the same kind.
    pub fn next(self) -> Period {
        match self.kind {
            PeriodKind::Custom => self.shift(self.days()),
            kind => Period::containing(kind, self.to + Duration::days(1)),
        }
    }

    /// How many days the period covers.
    pub fn days(self) -> i64 {
        (self.to - self.from).num_days() + 1
    }

    /// "Week 49, 2026 (30 Nov – 6 Dec)", "December 2026", "Q4 2026" or "2026-11-01 – 2026-12-06".
    pub fn label(self) -> String {
        match self.kind {
            PeriodKind::Week => {
                let week = self.from.iso_week();
                format!(
                    "Week {}, {} ({} – {})",
                    week.week(),
                    week.year(),
                    self.from.format("%-d %b"),
                    self.to.format("%-d %b")
                )
            }
            PeriodKind::Month => self.from.format("%B %Y").to_string(),
            PeriodKind::Quarter => {
                format!("Q{} {}", (self.from.month() - 1) / 3 + 1, self.from.year())
            }
            PeriodKind::Custom => format!("{} – {}", self.from, self.to),
        }
    }

    fn shift(self, days: i64) -> Period {
        Period {
            kind: self.kind,
            from: self.from + Duration::days(days),
            to: self.to + Duration::days(days),
        }
    }
}

/// The first and last day of `months` calendar months starting with `month` of `year`.
fn month_span(year: i32, month: u32, months: u32) -> (NaiveDate, NaiveDate) {
    let first = NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(NaiveDate::MIN);
    let (ny, nm) = if month + months > 12 {
        (year + 1, month + months - 12)
    } else {
        (year, month + months)
    };
    let next = NaiveDate::from_ymd_opt(ny, nm, 1).unwrap_or(NaiveDate::MAX);
    (first, next - Duration::days(1))
}

/// How a column lines up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Align {
    Left,
    Right,
}

/// One column of a report's table (and of its CSV file).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Column {
    pub name: String,
    pub align: Align,
}

impl Column {
    pub fn left(name: &str) -> Column {
        Column {
            name: name.to_string(),
            align: Align::Left,
        }
    }

    pub fn right(name: &str) -> Column {
        Column {
            name: name.to_string(),
            align: Align::Right,
        }
    }
}

/// One figure. `None` is a figure with nothing to take it from (no build reached the stage).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Cell {
    Text(String),
    Count(i64),
    Hours(Option<f64>),
    Days(Option<f64>),
    Percent(Option<f64>),
}

impl Cell {
    /// As the table view shows it: with its unit, "—" for no figure.
    pub fn display(&self) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Count(n) => n.to_string(),
            Cell::Hours(Some(h)) => format!("{h:.1} h"),
            Cell::Days(Some(d)) => format!("{d:.1} d"),
            Cell::Percent(Some(p)) => format!("{p:.1} %"),
            Cell::Hours(None) | Cell::Days(None) | Cell::Percent(None) => "—".to_string(),
        }
    }

    /// As a CSV file holds it: the bare number (the unit is in the column's name), empty for none.
    pub fn csv(&self) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Count(n) => n.to_string(),
            Cell::Hours(Some(v)) | Cell::Days(Some(v)) | Cell::Percent(Some(v)) => {
                format!("{v:.2}")
            }
            Cell::Hours(None) | Cell::Days(None) | Cell::Percent(None) => String::new(),
        }
    }
}

/// One label's bars: one value per series of the chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BarGroup {
    pub label: String,
    pub values: Vec<f64>,
}

/// One line of a line chart: (x, y) points, x being the position on the chart's x labels.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LineSeries {
    pub name: String,
    pub points: Vec<(f64, f64)>,
}

/// What the chart view draws, with ratatui's own widgets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Chart {
    /// A bar chart: one group per label, one bar per series in each group (`series` names them).
    Bars {
        series: Vec<String>,
        groups: Vec<BarGroup>,
        unit: String,
    },
    /// A line chart over `x_labels` (weeks, days), one line per series.
    Lines {
        x_labels: Vec<String>,
        series: Vec<LineSeries>,
        unit: String,
    },
    /// A sparkline of counts, oldest first, with the labels of its two ends.
    Spark {
        values: Vec<u64>,
        first: String,
        last: String,
        unit: String,
    },
}

/// One report as read: its table, its chart and the notes on how the figures were taken.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportData {
    pub kind: ReportKind,
    pub period: Period,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
    pub chart: Chart,
    /// Lines under the figures: "Hold time subtracted", "12 builds without a want date left out", …
    pub notes: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
    }

    #[test]
    fn calendar_periods_hold_the_day_and_step_by_their_length() {
        let week = Period::containing(PeriodKind::Week, day(2026, 12, 6));
        assert_eq!((week.from, week.to), (day(2026, 11, 30), day(2026, 12, 6)));
        assert_eq!(week.label(), "Week 49, 2026 (30 Nov – 6 Dec)");
        assert_eq!(week.next().from, day(2026, 12, 7));
        assert_eq!(week.prev().to, day(2026, 11, 29));

        let month = Period::containing(PeriodKind::Month, day(2024, 2, 10));
        assert_eq!((month.from, month.to), (day(2024, 2, 1), day(2024, 2, 29)));
        assert_eq!(month.label(), "February 2024");
        assert_eq!(month.prev().label(), "January 2024");

        let quarter = Period::containing(PeriodKind::Quarter, day(2026, 12, 6));
        assert_eq!(
            (quarter.from, quarter.to),
            (day(2026, 10, 1), day(2026, 12, 31))
        );
        assert_eq!(quarter.label(), "Q4 2026");
        assert_eq!(quarter.next().label(), "Q1 2027");
        assert_eq!(quarter.prev().days(), 92);
    }

    #[test]
    fn custom_ranges_are_checked_and_move_by_their_length() {
        assert!(Period::custom(day(2026, 2, 1), day(2026, 1, 1)).is_err());
        assert!(Period::custom(day(2020, 1, 1), day(2026, 1, 1)).is_err());
        let p = Period::custom(day(2026, 1, 1), day(2026, 1, 10));
        assert_eq!(
            p.map(|p| (p.days(), p.next().from)),
            Ok((10, day(2026, 1, 11)))
        );
    }

    #[test]
    fn cells_show_their_unit_and_export_the_bare_number() {
        assert_eq!(Cell::Hours(Some(12.345)).display(), "12.3 h");
        assert_eq!(Cell::Percent(None).display(), "—");
        assert_eq!(Cell::Percent(Some(87.5)).csv(), "87.50");
        assert_eq!(Cell::Days(None).csv(), "");
        assert_eq!(
            ReportKind::from_slug("cycle-time"),
            Some(ReportKind::CycleTime)
        );
        assert!(
            ReportKind::ALL
                .iter()
                .all(|k| ReportKind::from_slug(k.slug()) == Some(*k))
        );
    }
}
