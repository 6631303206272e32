//! The production reports (docs/reports.md §5): one of the seven reports over one period, as a chart
//! or as a table of the same figures; the period selector, a custom range and the CSV export.
//!
//! The screen keeps the report as it came (its text made safe for the terminal once, on arrival) and
//! draws only what is on screen from it; every key costs one frame (docs/reports.md §5.6).

mod chart;
mod period;
#[cfg(test)]
mod tests;
mod view;

use crate::domain::live::{Entity, LiveEvent};
use crate::domain::report::{Chart, Period, PeriodKind, ReportData, ReportKind};
use crate::keymap::{Action, KeyContext};
use crate::msg::{Command, Reply, Request, RequestId, ServiceReply};
use crate::screens::live_load::LiveLoad;
use crate::screens::live_reads::LiveReads;
use crate::screens::pending::Pending;
use crate::screens::{Ctx, Effect, Screen, ScreenId};
use crate::text::for_terminal;
use crate::theme::Theme;
use crate::widgets::form_field::{Form, FormField};
use crate::widgets::list_cursor::ListCursor;
use crate::widgets::list_step;
use crate::widgets::toast::Toast;
use chrono::NaiveDate;
use period::RangeForm;
use ratatui::Frame;
use ratatui::layout::Rect;
use std::time::{Duration, Instant};

/// What the report panel shows of the figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Chart,
    Table,
}

/// A dialog over the report: the custom range, or the export's directory.
enum Dialog {
    Range(RangeForm),
    Export { form: Form, error: Option<String> },
}

/// The report on screen: as it came, its text made safe, with each table cell's text and each column's
/// width worked out once (docs/reports.md §5.6).
pub struct Shown {
    /// The report and period that were asked for.
    asked: (ReportKind, Period),
    data: Box<ReportData>,
    /// Each cell as the table shows it.
    cells: Vec<Vec<String>>,
    /// The widest text of each column, its heading included.
    widths: Vec<usize>,
}

impl Shown {
    fn new(asked: (ReportKind, Period), mut data: Box<ReportData>) -> Shown {
        safe(&mut data);
        let cells: Vec<Vec<String>> = data
            .rows
            .iter()
            .map(|r| {
                r.iter()
                    .map(|c| for_terminal(&c.display()).into_owned())
                    .collect()
            })
            .collect();
        let widths = data
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                cells
                    .iter()
                    .filter_map(|r| r.get(i))
                    .chain(std::iter::once(&c.name))
                    .map(|t| t.chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        Shown {
            asked,
            data,
            cells,
            widths,
        }
    }

    pub fn data(&self) -> &ReportData {
        &self.data
    }
}

/// `text` as the terminal may show it (docs/reports.md §5.4).
fn safe_text(text: &mut String) {
    if let std::borrow::Cow::Owned(clean) = for_terminal(text) {
        *text = clean;
    }
}

/// Makes every text of the report that came from the records safe for the terminal.
fn safe(data: &mut ReportData) {
    for c in &mut data.columns {
        safe_text(&mut c.name);
    }
    data.notes.iter_mut().for_each(safe_text);
    match &mut data.chart {
        Chart::Bars {
            series,
            groups,
            unit,
        } => {
            series.iter_mut().for_each(safe_text);
            groups.iter_mut().for_each(|g| safe_text(&mut g.label));
            safe_text(unit);
        }
        Chart::Lines {
            x_labels,
            series,
            unit,
        } => {
            x_labels.iter_mut().for_each(safe_text);
            series.iter_mut().for_each(|s| safe_text(&mut s.name));
            safe_text(unit);
        }
        Chart::Spark {
            first, last, unit, ..
        } => {
            safe_text(first);
            safe_text(last);
            safe_text(unit);
        }
    }
}

pub struct ReportsScreen {
    kind: ReportKind,
    /// The period of the report; `None` until the database told today's date.
    period: Option<Period>,
    /// The database's date, the anchor of the first period and the limit of stepping forward.
    today: Option<NaiveDate>,
    dating: Pending,
    loading: Pending<(ReportKind, Period)>,
    shown: Option<Shown>,
    /// The last load's refusal or failure.
    error: Option<String>,
    /// True once the first report (or a refusal) came: keys typed before are dropped.
    ready: bool,
    view: View,
    table: ListCursor,
    /// Table rows on one page, as last drawn.
    page: usize,
    dialog: Option<Dialog>,
    exporting: Pending,
    last_dir: String,
    /// A message on the status line: why a key did nothing.
    notice: Option<String>,
    live: LiveReads,
    /// The last tick seen, and when the report was last read: another station's change re-reads it at
    /// most once every [`REREAD_EVERY`] (docs/reports.md §5.5).
    now: Option<Instant>,
    read_at: Option<Instant>,
    /// Who made a change that came inside the interval, read at the next tick past it.
    held_back: Option<String>,
}

/// The shortest time between two re-reads of a report caused by other stations' changes: reports are
/// plant-wide sums, which a busy floor changes every few seconds (docs/reports.md §5.5).
pub const REREAD_EVERY: Duration = Duration::from_secs(30);

impl ReportsScreen {
    /// A re-read for another station's change now would come within [`REREAD_EVERY`] of the last read.
    fn too_soon(&self) -> bool {
        match (self.now, self.read_at) {
            (Some(now), Some(read)) => now.saturating_duration_since(read) < REREAD_EVERY,
            _ => false,
        }
    }

    pub fn open(ctx: &mut Ctx) -> (ReportsScreen, Command) {
        let mut s = ReportsScreen {
            kind: ReportKind::Throughput,
            period: None,
            today: None,
            dating: Pending::new(),
            loading: Pending::new(),
            shown: None,
            error: None,
            ready: false,
            view: View::Chart,
            table: ListCursor::default(),
            page: 10,
            dialog: None,
            exporting: Pending::new(),
            last_dir: String::new(),
            notice: None,
            live: LiveReads::default(),
            now: None,
            read_at: None,
            held_back: None,
        };
        let cmd = s.ask_today(ctx);
        (s, cmd)
    }

    pub fn kind(&self) -> ReportKind {
        self.kind
    }

    pub fn period(&self) -> Option<Period> {
        self.period
    }

    pub fn view_mode(&self) -> View {
        self.view
    }

    /// The report on screen, when it is the one chosen.
    pub fn shown(&self) -> Option<&Shown> {
        self.shown
            .as_ref()
            .filter(|s| Some(s.asked) == self.period.map(|p| (self.kind, p)))
    }

    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    fn ask_today(&mut self, ctx: &mut Ctx) -> Command {
        let Some(token) = ctx.token() else {
            return Command::None;
        };
        self.dating.begin(ctx, Request::Today { token }, ())
    }

    /// Reads the chosen report over the chosen period; a reply to an earlier choice is dropped.
    fn load(&mut self, ctx: &mut Ctx) -> Command {
        self.send_load(ctx).map_or(Command::None, |(_, cmd)| cmd)
    }

    /// Shows `period` and reads the report over it.
    fn go_to(&mut self, period: Period, ctx: &mut Ctx) -> Command {
        self.period = Some(period);
        self.table.select(Some(0));
        self.load(ctx)
    }

    fn choose(&mut self, kind: ReportKind, ctx: &mut Ctx) -> Command {
        self.kind = kind;
        self.table.select(Some(0));
        self.load(ctx)
    }

    /// The report after (or before) the chosen one, wrapping around.
    fn step_kind(&self, forward: bool) -> ReportKind {
        let all = ReportKind::ALL;
        let n = all.len();
        let at = all.iter().position(|k| *k == self.kind).unwrap_or(0);
        all[if forward {
            (at + 1) % n
        } else {
            (at + n - 1) % n
        }]
    }

    /// The day a new calendar period is taken around: the shown period's last day, not after today.
    fn anchor(&self, period: Period) -> NaiveDate {
        self.today.map_or(period.to, |t| period.to.min(t))
    }

    fn on_period_key(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        let Some(period) = self.period else {
            return Command::None;
        };
        let next = match action {
            Action::PrevPeriod => period.prev(),
            Action::NextPeriod => {
                let next = period.next();
                if self.today.is_some_and(|t| next.from > t) {
                    self.notice = Some(format!("{} has not begun yet", next.label()));
                    return Command::None;
                }
                next
            }
            _ => {
                let kind = match period.kind {
                    PeriodKind::Week => PeriodKind::Month,
                    PeriodKind::Month => PeriodKind::Quarter,
                    PeriodKind::Quarter | PeriodKind::Custom => PeriodKind::Week,
                };
                Period::containing(kind, self.anchor(period))
            }
        };
        self.go_to(next, ctx)
    }

    /// The export's directory dialog (docs/reports.md §5.7).
    fn open_export(&mut self) {
        let mut dir = FormField::text("Directory")
            .with_select_on_focus()
            .with_max_len(512)
            .with_hint("Empty: the station's working directory");
        dir.set_value(&self.last_dir);
        self.dialog = Some(Dialog::Export {
            form: Form::new(vec![dir]).with_input_width(52),
            error: None,
        });
    }

    fn on_dialog(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        let Some(dialog) = &mut self.dialog else {
            return Command::None;
        };
        match (dialog, action) {
            (_, Action::Cancel) => {
                // An export already sent still finishes; its answer is then only dropped.
                self.exporting.clear();
                self.dialog = None;
                Command::None
            }
            (Dialog::Range(range), Action::Submit) => match range.submit() {
                Some(period) => {
                    self.dialog = None;
                    self.go_to(period, ctx)
                }
                None => Command::None,
            },
            (Dialog::Export { form, error }, Action::Submit) => {
                let (Some(period), Some(token)) = (self.period, ctx.token()) else {
                    return Command::None;
                };
                if self.exporting.in_flight() {
                    return Command::None;
                }
                let dir = form.value(0).trim().to_string();
                self.last_dir = dir.clone();
                *error = None;
                let kind = self.kind;
                self.exporting.begin(
                    ctx,
                    Request::ExportReport {
                        token,
                        kind,
                        period,
                        dir,
                    },
                    (),
                )
            }
            (Dialog::Range(RangeForm { form, .. }) | Dialog::Export { form, .. }, other) => {
                form.handle(other);
                Command::None
            }
        }
    }

    fn on_loaded(&mut self, asked: (ReportKind, Period), result: crate::error::Result<Reply>) {
        self.ready = true;
        match result {
            Ok(Reply::Report(data)) => {
                self.error = None;
                let rows = data.rows.len();
                let shown = Shown::new(asked, data);
                // A re-read of the same report keeps the selected row.
                let same = self.shown.as_ref().is_some_and(|s| s.asked == asked);
                let at = if same { self.table.selected() } else { None };
                self.table
                    .select((rows > 0).then(|| at.unwrap_or(0).min(rows.saturating_sub(1))));
                self.shown = Some(shown);
            }
            Ok(_) => {}
            Err(e) => self.error = Some(e.user_message()),
        }
    }

    fn on_exported(&mut self, result: crate::error::Result<Reply>, ctx: &mut Ctx) {
        match result {
            Ok(Reply::Exported(paths)) => {
                self.dialog = None;
                let list: Vec<String> = paths
                    .iter()
                    .map(|p| for_terminal(&p.display().to_string()).into_owned())
                    .collect();
                let text = if list.is_empty() {
                    "The export wrote no file".to_string()
                } else {
                    format!("Report written to {}", list.join(", "))
                };
                ctx.toast(Toast::info(text));
            }
            Ok(_) => {}
            // The dialog and the directory typed stay, so the user can correct it and try again.
            Err(e) => {
                if let Some(Dialog::Export { error, .. }) = &mut self.dialog {
                    *error = Some(e.user_message());
                }
            }
        }
    }

    fn rows(&self) -> usize {
        self.shown().map_or(0, |s| s.cells.len())
    }
}

/// The entities whose change may change a report's figures (docs/reports.md §5.5).
fn touches(kind: ReportKind, entity: Entity) -> bool {
    match entity {
        Entity::Other => true,
        Entity::Build | Entity::Hold => matches!(
            kind,
            ReportKind::Throughput
                | ReportKind::WorkInProgress
                | ReportKind::CycleTime
                | ReportKind::OnTimeDelivery
        ),
        Entity::Qc => matches!(kind, ReportKind::FirstPassYield | ReportKind::Rejections),
        Entity::Testing => kind == ReportKind::FirstPassYield,
        Entity::Nonconformance => kind == ReportKind::Rejections,
        Entity::Task | Entity::Tasks => kind == ReportKind::Assemblers,
        _ => false,
    }
}

impl Screen for ReportsScreen {
    fn title(&self) -> &'static str {
        "Reports"
    }

    fn key_contexts(&self) -> Vec<KeyContext> {
        match &self.dialog {
            Some(Dialog::Range(RangeForm { form, .. }) | Dialog::Export { form, .. }) => {
                let mut stack = form.key_contexts();
                stack.push(KeyContext::Dialog);
                stack
            }
            None if self.view == View::Table => vec![KeyContext::Reports, KeyContext::List],
            None => vec![KeyContext::Reports],
        }
    }

    fn accepts_keys(&self) -> bool {
        self.ready
    }

    fn has_unsaved_input(&self) -> bool {
        matches!(&self.dialog, Some(Dialog::Range(r)) if r.changed())
    }

    fn on_action(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        if self.dialog.is_some() {
            return self.on_dialog(action, ctx);
        }
        self.notice = None;
        match action {
            Action::Back => ctx.emit(Effect::Back(ScreenId::Home)),
            Action::Refresh => {
                if self.period.is_none() {
                    return self.ask_today(ctx);
                }
                return self.load(ctx);
            }
            Action::NextReport => return self.choose(self.step_kind(true), ctx),
            Action::PrevReport => return self.choose(self.step_kind(false), ctx),
            Action::ToggleChart => {
                self.view = match self.view {
                    View::Chart => View::Table,
                    View::Table => View::Chart,
                };
            }
            Action::PrevPeriod | Action::NextPeriod | Action::CyclePeriod => {
                return self.on_period_key(action, ctx);
            }
            Action::CustomRange => {
                if let Some(p) = self.period {
                    self.dialog = Some(Dialog::Range(RangeForm::new(p)));
                }
            }
            Action::ExportCsv if self.period.is_some() => self.open_export(),
            other if self.view == View::Table => {
                let n = self.rows();
                let at = self.table.selected().unwrap_or(0);
                if let Some(i) = list_step(other, at, n, self.page)
                    && n > 0
                {
                    self.table.select(Some(i));
                }
            }
            _ => {}
        }
        Command::None
    }

    fn on_reply(&mut self, reply: ServiceReply, ctx: &mut Ctx) -> Command {
        self.live_answered(reply.id);
        if self.dating.answered_by(reply.id) {
            match reply.result {
                Ok(Reply::Today(day)) => {
                    self.today = Some(day);
                    return self.go_to(Period::containing(PeriodKind::Week, day), ctx);
                }
                Ok(_) => {}
                Err(e) => {
                    self.ready = true;
                    self.error = Some(e.user_message());
                }
            }
            return Command::None;
        }
        if let Some(asked) = self.loading.take(reply.id) {
            self.on_loaded(asked, reply.result);
            return self.live_next(ctx);
        }
        if self.exporting.answered_by(reply.id) {
            self.on_exported(reply.result, ctx);
            return Command::None;
        }
        self.live_next(ctx)
    }

    /// Another station's change re-reads the report on screen when it may change its figures
    /// (docs/reports.md §5.5); the view, the selected row and an open dialog stay.
    fn on_live(&mut self, ev: &LiveEvent, ctx: &mut Ctx) -> Command {
        if self.period.is_none() {
            return Command::None;
        }
        let kind = self.kind;
        if ev.everything || ev.changes.iter().any(|c| touches(kind, c.entity)) {
            if self.too_soon() {
                self.held_back = Some(ev.by_line());
                return Command::None;
            }
            return self.live_want(ev.by_line(), ctx);
        }
        Command::None
    }

    fn on_tick(&mut self, now: Instant, ctx: &mut Ctx) -> Command {
        self.now = Some(now);
        if self.held_back.is_some() && !self.too_soon() {
            let by = self.held_back.take().unwrap_or_default();
            return self.live_want(by, ctx);
        }
        Command::None
    }

    fn text_form(&mut self) -> Option<&mut Form> {
        match &mut self.dialog {
            Some(Dialog::Range(RangeForm { form, .. }) | Dialog::Export { form, .. }) => Some(form),
            None => None,
        }
    }

    fn view(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        self.draw(frame, area, theme);
    }
}

impl LiveLoad for ReportsScreen {
    fn live_reads(&mut self) -> &mut LiveReads {
        &mut self.live
    }

    fn send_load(&mut self, ctx: &mut Ctx) -> Option<(RequestId, Command)> {
        let period = self.period?;
        let kind = self.kind;
        self.error = None;
        self.read_at = self.now;
        let (rid, cmd) = ctx.request(Request::Report {
            token: ctx.token()?,
            kind,
            period,
        });
        self.loading.wait_for(rid, (kind, period));
        Some((rid, cmd))
    }
}
