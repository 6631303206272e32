//! The reports screen's update: the first period from the database's date, stepping and cycling
//! periods, the custom range, replies to earlier choices dropped, the export and live re-reads.

use super::*;
use crate::domain::Role;
use crate::domain::report::{Cell, Column};
use crate::error::ServiceError;
use crate::msg::ServiceRequest;
use crate::screens::ScreenMsg;
use crate::screens::testkit::{Harness, assert_answers_only_its_help, live_change, toasts};
use uuid::Uuid;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

/// Sunday of ISO week 49, 2026.
fn today() -> NaiveDate {
    day(2026, 12, 6)
}

fn data(kind: ReportKind, period: Period, rows: usize) -> Box<ReportData> {
    Box::new(ReportData {
        kind,
        period,
        columns: vec![Column::left("Week"), Column::right("Shipped")],
        rows: (0..rows)
            .map(|i| {
                vec![
                    Cell::Text(format!("W{i}\u{1b}[31m")),
                    Cell::Count(i64::try_from(i).unwrap_or(0)),
                ]
            })
            .collect(),
        chart: Chart::Spark {
            values: vec![1, 2, 3],
            first: "W1".into(),
            last: "W3".into(),
            unit: "builds/week".into(),
        },
        notes: vec!["Shipped builds only".into()],
    })
}

/// The asked report and period of a Report request.
fn asked(req: &ServiceRequest) -> Option<(ReportKind, Period)> {
    match &req.kind {
        Request::Report { kind, period, .. } => Some((*kind, *period)),
        _ => None,
    }
}

/// The screen opened by a coordinator, the date answered: returns it with its first report request.
fn opened(h: &mut Harness) -> (ReportsScreen, ServiceRequest) {
    let (mut s, reqs) = h.open(ReportsScreen::open);
    assert!(matches!(
        reqs[..],
        [ServiceRequest {
            kind: Request::Today { .. },
            ..
        }]
    ));
    assert!(!s.accepts_keys(), "keys wait for the first report");
    let (mut reqs, _) = h.reply(&mut s, &reqs[0], Ok(Reply::Today(today())));
    assert_eq!(reqs.len(), 1);
    let first = reqs.remove(0);
    (s, first)
}

fn loaded(h: &mut Harness) -> ReportsScreen {
    let (mut s, first) = opened(h);
    let (kind, period) = asked(&first).unwrap_or((ReportKind::Throughput, first_period()));
    h.reply(&mut s, &first, Ok(Reply::Report(data(kind, period, 3))));
    s
}

/// The open custom-range dialog: its fields' values, the first field's error and the range's error.
fn range_state(s: &ReportsScreen) -> Option<(Vec<String>, Option<String>, Option<String>)> {
    match &s.dialog {
        Some(Dialog::Range(r)) => Some((
            r.form.values(),
            r.form.field(0).and_then(|f| f.error()).map(str::to_string),
            r.error.clone(),
        )),
        _ => None,
    }
}

fn type_text(h: &mut Harness, s: &mut ReportsScreen, text: &str) {
    for c in text.chars() {
        h.send(s, ScreenMsg::Char(c));
    }
}

#[test]
fn the_first_report_is_this_weeks_throughput_and_its_text_is_made_safe() {
    let mut h = Harness::new(Role::ProductionCoordinator);
    let (mut s, first) = opened(&mut h);
    let week = Period::containing(PeriodKind::Week, today());
    assert_eq!(asked(&first), Some((ReportKind::Throughput, week)));
    h.reply(
        &mut s,
        &first,
        Ok(Reply::Report(data(ReportKind::Throughput, week, 2))),
    );
    assert!(s.accepts_keys());
    let cells = s.shown().map(|r| r.cells[0][0].clone());
    assert_eq!(cells.as_deref(), Some("W0\\u001B[31m"));
}

#[test]
fn a_reply_to_an_earlier_choice_is_dropped() {
    let mut h = Harness::new(Role::ProductionCoordinator);
    let (mut s, first) = opened(&mut h);
    let (reqs, _) = h.act(&mut s, Action::PrevPeriod);
    let (kind, week48) = asked(&reqs[0]).unwrap_or((ReportKind::Assemblers, first_period()));
    assert_eq!(kind, ReportKind::Throughput);
    assert_eq!(week48.label(), "Week 48, 2026 (23 Nov – 29 Nov)");
    // The answer for week 49 comes late: it is not shown as week 48's.
    let old = asked(&first).map_or(first_period(), |a| a.1);
    h.reply(
        &mut s,
        &first,
        Ok(Reply::Report(data(ReportKind::Throughput, old, 5))),
    );
    assert!(s.shown().is_none(), "the late reply is dropped");
    h.reply(
        &mut s,
        &reqs[0],
        Ok(Reply::Report(data(ReportKind::Throughput, week48, 2))),
    );
    assert_eq!(s.shown().map(|r| r.data().rows.len()), Some(2));
    // Another report: the one shown no longer matches until its own reply comes.
    let (reqs, _) = h.act(&mut s, Action::NextReport);
    assert_eq!(
        asked(&reqs[0]).map(|a| a.0),
        Some(ReportKind::WorkInProgress)
    );
    assert!(s.shown().is_none());
    let (reqs, _) = h.act(&mut s, Action::PrevReport);
    assert_eq!(asked(&reqs[0]).map(|a| a.0), Some(ReportKind::Throughput));
    let (reqs, _) = h.act(&mut s, Action::PrevReport);
    assert_eq!(asked(&reqs[0]).map(|a| a.0), Some(ReportKind::Assemblers));
}

fn first_period() -> Period {
    Period::containing(PeriodKind::Week, today())
}

#[test]
fn periods_step_by_their_length_cycle_week_month_quarter_and_stop_at_today() {
    let mut h = Harness::new(Role::Admin);
    let mut s = loaded(&mut h);
    let (reqs, _) = h.act(&mut s, Action::NextPeriod);
    assert!(reqs.is_empty(), "next week has not begun");
    assert_eq!(
        s.notice(),
        Some("Week 50, 2026 (7 Dec – 13 Dec) has not begun yet")
    );
    let (reqs, _) = h.act(&mut s, Action::CyclePeriod);
    assert_eq!(
        asked(&reqs[0]).map(|a| a.1.label()).as_deref(),
        Some("December 2026")
    );
    let (reqs, _) = h.act(&mut s, Action::PrevPeriod);
    assert_eq!(
        asked(&reqs[0]).map(|a| a.1.label()).as_deref(),
        Some("November 2026")
    );
    let (reqs, _) = h.act(&mut s, Action::CyclePeriod);
    assert_eq!(
        asked(&reqs[0]).map(|a| a.1.label()).as_deref(),
        Some("Q4 2026")
    );
    let (reqs, _) = h.act(&mut s, Action::CyclePeriod);
    // Back to weeks around the quarter's end, but not after today.
    assert_eq!(
        asked(&reqs[0]).map(|a| a.1.label()).as_deref(),
        Some("Week 49, 2026 (30 Nov – 6 Dec)")
    );
    let (reqs, _) = h.act(&mut s, Action::PrevPeriod);
    let (_, p) = asked(&reqs[0]).unwrap_or((ReportKind::Throughput, first_period()));
    let (reqs, _) = h.act(&mut s, Action::NextPeriod);
    assert_eq!(asked(&reqs[0]).map(|a| a.1), Some(p.next()));
}

#[test]
fn a_custom_range_is_checked_in_place_and_keeps_what_was_typed() {
    let mut h = Harness::new(Role::ProductionCoordinator);
    let mut s = loaded(&mut h);
    h.act(&mut s, Action::CustomRange);
    assert_eq!(
        s.key_contexts(),
        vec![KeyContext::TextInput, KeyContext::Form, KeyContext::Dialog]
    );
    assert!(!s.has_unsaved_input(), "the offered dates are not input");
    // The offered From date is replaced by the first key typed.
    type_text(&mut h, &mut s, "2026-13-01");
    let (reqs, _) = h.act(&mut s, Action::Submit);
    assert!(reqs.is_empty());
    let (values, field_error, _) = range_state(&s).unwrap_or_default();
    assert_eq!(values[0], "2026-13-01", "the typed text stays");
    assert_eq!(
        field_error.as_deref(),
        Some("From date \"2026-13-01\" is not a date: use YYYY-MM-DD, e.g. 2025-03-14")
    );
    assert!(s.has_unsaved_input());
    // A range that ends before it starts: refused under the fields.
    h.act(&mut s, Action::ClearField);
    type_text(&mut h, &mut s, "2026-12-24");
    let (reqs, _) = h.act(&mut s, Action::Submit);
    assert!(reqs.is_empty());
    assert_eq!(
        range_state(&s).and_then(|r| r.2).as_deref(),
        Some("The range starts after it ends (2026-12-24 > 2026-12-06)")
    );
    h.act(&mut s, Action::ClearField);
    type_text(&mut h, &mut s, "2026-11-01");
    let (reqs, _) = h.act(&mut s, Action::Submit);
    let custom = Period::custom(day(2026, 11, 1), today());
    assert_eq!(asked(&reqs[0]).map(|a| a.1), custom.ok());
    assert!(s.dialog.is_none());
    assert_eq!(s.key_contexts(), vec![KeyContext::Reports]);
}

#[test]
fn the_export_sends_the_report_on_screen_and_names_the_file_written() {
    let mut h = Harness::new(Role::ProductionCoordinator);
    let mut s = loaded(&mut h);
    h.act(&mut s, Action::NextReport);
    h.act(&mut s, Action::ExportCsv);
    type_text(&mut h, &mut s, "/srv/reports");
    let (reqs, _) = h.act(&mut s, Action::Submit);
    let sent = reqs.first().and_then(|r| match &r.kind {
        Request::ExportReport {
            kind, period, dir, ..
        } => Some((*kind, *period, dir.clone())),
        _ => None,
    });
    assert_eq!(
        sent,
        Some((
            ReportKind::WorkInProgress,
            first_period(),
            "/srv/reports".to_string()
        ))
    );
    let (_, effects) = h.reply(
        &mut s,
        &reqs[0],
        Err(ServiceError::Invalid(
            "The directory /srv/reports does not exist".into(),
        )),
    );
    assert!(effects.is_empty());
    assert!(s.dialog.is_some(), "a refused export keeps the dialog");
    let (reqs, _) = h.act(&mut s, Action::Submit);
    let (_, effects) = h.reply(
        &mut s,
        &reqs[0],
        Ok(Reply::Exported(vec![
            "/srv/reports/wip_2026-11-30.csv".into(),
        ])),
    );
    assert_eq!(
        toasts(&effects),
        vec!["Report written to /srv/reports/wip_2026-11-30.csv"]
    );
    assert!(s.dialog.is_none());
    h.act(&mut s, Action::ExportCsv);
    let offered = match &s.dialog {
        Some(Dialog::Export { form, .. }) => Some(form.value(0)),
        _ => None,
    };
    assert_eq!(
        offered.as_deref(),
        Some("/srv/reports"),
        "x opens the export again with the last directory"
    );
}

#[test]
fn a_refusal_is_shown_and_refresh_asks_again() {
    let mut h = Harness::new(Role::ProductionCoordinator);
    let (mut s, first) = opened(&mut h);
    h.reply(
        &mut s,
        &first,
        Err(ServiceError::Forbidden(
            "Your role (ASSEMBLER) cannot read reports".into(),
        )),
    );
    assert!(s.accepts_keys());
    assert_eq!(
        s.error.as_deref(),
        Some("Your role (ASSEMBLER) cannot read reports")
    );
    let (reqs, _) = h.act(&mut s, Action::Refresh);
    assert_eq!(asked(&reqs[0]), asked(&first));
}

#[test]
fn changes_elsewhere_re_read_the_reports_they_touch() {
    let mut h = Harness::new(Role::ProductionCoordinator);
    let mut s = loaded(&mut h);
    let b = Uuid::from_u128;
    let task = live_change(Entity::Task, b(5), Some(b(1)));
    assert!(h.send(&mut s, ScreenMsg::Live(task.clone())).0.is_empty());
    let build = live_change(Entity::Build, b(1), Some(b(1)));
    let (reqs, _) = h.send(&mut s, ScreenMsg::Live(build.clone()));
    assert_eq!(asked(&reqs[0]).map(|a| a.0), Some(ReportKind::Throughput));
    assert!(
        h.send(&mut s, ScreenMsg::Live(build)).0.is_empty(),
        "one re-read at a time"
    );
    let (next, _) = h.reply(
        &mut s,
        &reqs[0],
        Ok(Reply::Report(data(
            ReportKind::Throughput,
            first_period(),
            4,
        ))),
    );
    assert_eq!(next.len(), 1, "the gathered change goes out");
    h.reply(
        &mut s,
        &next[0],
        Ok(Reply::Report(data(
            ReportKind::Throughput,
            first_period(),
            4,
        ))),
    );
    // The assemblers' report re-reads on tasks.
    h.act(&mut s, Action::PrevReport);
    let (reqs, _) = h.send(&mut s, ScreenMsg::Live(task));
    assert_eq!(asked(&reqs[0]).map(|a| a.0), Some(ReportKind::Assemblers));
}

#[test]
fn the_table_view_moves_its_selection_and_the_chart_view_does_not() {
    let mut h = Harness::new(Role::ProductionCoordinator);
    let mut s = loaded(&mut h);
    h.act(&mut s, Action::Down);
    assert_eq!(
        s.table.selected(),
        Some(0),
        "the chart has no rows to move in"
    );
    h.act(&mut s, Action::ToggleChart);
    assert_eq!(s.view_mode(), View::Table);
    assert_eq!(
        s.key_contexts(),
        vec![KeyContext::Reports, KeyContext::List]
    );
    h.act(&mut s, Action::Last);
    assert_eq!(s.table.selected(), Some(2));
}

#[test]
fn the_screen_answers_only_its_help() {
    for view in [false, true] {
        assert_answers_only_its_help(Role::ProductionCoordinator, |h| {
            let mut s = loaded(h);
            if view {
                h.act(&mut s, Action::ToggleChart);
            }
            s
        });
    }
}

#[test]
fn changes_elsewhere_re_read_at_most_twice_a_minute() {
    let mut h = Harness::new(Role::ProductionCoordinator);
    let mut s = loaded(&mut h);
    let t0 = std::time::Instant::now();
    let build = live_change(Entity::Build, Uuid::from_u128(1), Some(Uuid::from_u128(1)));
    // A tick, then a change: the first re-read goes out at once.
    assert!(h.send(&mut s, ScreenMsg::Tick(t0)).0.is_empty());
    let (reqs, _) = h.send(&mut s, ScreenMsg::Live(build.clone()));
    assert_eq!(reqs.len(), 1);
    h.reply(
        &mut s,
        &reqs[0],
        Ok(Reply::Report(data(
            ReportKind::Throughput,
            first_period(),
            4,
        ))),
    );
    // A change 10 s later waits; ticks inside the interval send nothing.
    let later = |secs| t0 + std::time::Duration::from_secs(secs);
    assert!(h.send(&mut s, ScreenMsg::Tick(later(10))).0.is_empty());
    assert!(h.send(&mut s, ScreenMsg::Live(build.clone())).0.is_empty());
    assert!(h.send(&mut s, ScreenMsg::Tick(later(29))).0.is_empty());
    // The first tick past the interval reads it, once.
    let (reqs, _) = h.send(&mut s, ScreenMsg::Tick(later(30)));
    assert_eq!(asked(&reqs[0]).map(|a| a.0), Some(ReportKind::Throughput));
    assert!(h.send(&mut s, ScreenMsg::Tick(later(31))).0.is_empty());
}
