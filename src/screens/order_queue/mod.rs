//! The order queue: a role's builds, searchable, filterable, sortable, page by page.
//!
//! Pages are keyset-paginated: PgDn on the last row asks for the page after the server's cursor and
//! appends it, so the queue never loads the whole table. The rows sit in a [`ListWindow`]: a few pages
//! around the selection are held, pages further away are let go and asked for again by their cursor
//! when the selection comes back (docs/performance.md §1.3). Every change of view, filter, sort or
//! search asks for a new first page; replies to superseded requests are dropped by their id.

mod live;
mod view;

use crate::domain::Role;
use crate::domain::live::LiveEvent;
use crate::domain::order::{DueFilter, OrderQuery, OrderRow, OrderStatus, QueueView, SortKey};
use crate::keymap::{Action, KeyContext};
use crate::msg::{Command, Reply, Request, ServiceReply};
use crate::screens::Screen;
use crate::screens::list_window::{ListRow, ListWindow, Tally};
use crate::screens::live_reads::LiveReads;
use crate::screens::selection::moves;
use crate::screens::{Ctx, Effect, ScreenId};
use crate::theme::Theme;
use crate::widgets::fit_text;
use crate::widgets::form_field::FormField;
use ratatui::Frame;
use ratatui::layout::Rect;
use std::time::{Duration, Instant};
use uuid::Uuid;

/// Rows one request asks for.
pub const PAGE_SIZE: u32 = 50;
/// Pages of rows the queue holds at most (docs/performance.md §1.3).
pub const HELD_PAGES: usize = 6;
/// The search goes out this long after the last key, so a burst of keys costs one request
/// (docs/performance.md §3.5).
pub const SEARCH_PAUSE: Duration = Duration::from_millis(100);
/// A build due within this many days is marked "due soon" (the DueSoon filter's window).
pub const DUE_SOON_DAYS: i32 = 7;

/// A status in the narrow table column; the full title is on the line under the table.
pub fn short_status(status: OrderStatus) -> &'static str {
    match status {
        OrderStatus::OrderCreated => "Created",
        OrderStatus::PartsSent => "Parts sent",
        OrderStatus::ReadyForPreQc => "Pre-QC",
        OrderStatus::ReadyForProduction => "Production",
        OrderStatus::TestingComplete => "Tested",
        OrderStatus::PackagingComplete => "Packaged",
        OrderStatus::ReadyForFinalQc => "Final QC",
        OrderStatus::ReadyForShip => "To ship",
        OrderStatus::Shipped => "Shipped",
        OrderStatus::Cancelled => "Cancelled",
    }
}

fn sort_name(key: SortKey) -> &'static str {
    match key {
        SortKey::PoNumber => "PO",
        SortKey::BuildNumber => "Build",
        SortKey::Customer => "Customer",
        SortKey::Model => "Model",
        SortKey::Status => "Status",
        SortKey::WantDate => "Want date",
        SortKey::Assignee => "Assignee",
    }
}

/// What "My work" holds for a role (docs/lifecycle.md §1.4).
fn my_work_scope(role: Option<Role>) -> &'static str {
    match role {
        Some(Role::ProcurementSpecialist) => "order created, parts sent",
        Some(Role::QcPerson) => "Pre-QC and Final QC",
        Some(Role::Assembler) => "production, mine or unassigned",
        Some(Role::ServiceDepartment) => "no builds",
        Some(Role::ProductionCoordinator | Role::Admin) | None => "all builds",
    }
}

/// Whether a build is out of the plant's work: shipped or cancelled (docs/lifecycle.md §12). Its
/// row is drawn dimmed and has no due date.
pub(crate) fn is_closed(status: OrderStatus) -> bool {
    matches!(status, OrderStatus::Shipped | OrderStatus::Cancelled)
}

/// The text marker of a build's urgency; shipped and cancelled builds are never late.
pub fn due_marker(row: &OrderRow) -> Option<&'static str> {
    if is_closed(row.status) {
        None
    } else if row.days_left < 0 {
        Some("OVERDUE")
    } else if row.days_left <= DUE_SOON_DAYS {
        Some("due soon")
    } else {
        None
    }
}

fn days_cell(row: &OrderRow) -> String {
    if is_closed(row.status) {
        return "—".to_string();
    }
    match due_marker(row) {
        Some(marker) => format!("{} {marker}", row.days_left),
        None => row.days_left.to_string(),
    }
}

/// How far the want date is, in words, for the line under the table.
fn due_words(row: &OrderRow) -> String {
    match row.days_left {
        _ if row.status == OrderStatus::Shipped => "shipped".to_string(),
        d if d < -1 => format!("OVERDUE by {} days", -d),
        -1 => "OVERDUE by 1 day".to_string(),
        0 => "due today".to_string(),
        1 => "due tomorrow".to_string(),
        d => format!("due in {d} days"),
    }
}

/// What marks a build with unresolved comments, beside its PO (docs/comments.md §6).
pub(crate) const COMMENTS_MARK: &str = " ●";

/// `2 open comments`, for the selected build's line; `None` when every comment is resolved.
pub(crate) fn comments_words(row: &OrderRow) -> Option<String> {
    match row.open_comments {
        n if n <= 0 => None,
        1 => Some("1 open comment".to_string()),
        n => Some(format!("{n} open comments")),
    }
}

/// A name for a narrow column: "Sam Brennan", else "S. Brennan", else the surname alone.
fn short_name(name: &str, width: usize) -> String {
    if name.chars().count() <= width {
        return name.to_string();
    }
    let mut words = name.split_whitespace();
    match (words.next(), words.next_back()) {
        (Some(first), Some(last)) => {
            let initial: String = first.chars().take(1).collect();
            let short = format!("{initial}. {last}");
            if short.chars().count() <= width {
                short
            } else {
                fit_text(last, width)
            }
        }
        _ => fit_text(name, width),
    }
}

impl ListRow for OrderRow {
    type Id = Uuid;
    fn row_id(&self) -> Uuid {
        self.id
    }
}

/// The widest value of each fitted column over the rows seen since the last reload, kept as pages
/// arrive so a frame never goes over the rows (docs/performance.md §1.6).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Widths {
    po: usize,
    build: usize,
    model: usize,
    status: usize,
    assignee: usize,
    days: usize,
}

impl Tally<OrderRow> for Widths {
    fn add(&mut self, r: &OrderRow) {
        let w = |s: &str| s.chars().count();
        let mark = if r.open_comments > 0 {
            w(COMMENTS_MARK)
        } else {
            0
        };
        self.po = self.po.max(w(&r.po_number) + mark);
        self.build = self.build.max(w(&r.build_number));
        self.model = self.model.max(w(&r.sink_model));
        self.status = self.status.max(w(short_status(r.status)));
        self.assignee = self.assignee.max(r.assignee.as_deref().map_or(0, w));
        self.days = self.days.max(w(&days_cell(r)));
    }
}

/// The queue's rows: a window of pages with the column widths kept beside it.
type Rows = ListWindow<OrderRow, Widths>;

/// How the queue asks for a page of `query`: after `after`, with the session's token.
fn ask(query: &OrderQuery, ctx: &Ctx, after: Option<String>) -> Option<Request> {
    Some(Request::ListOrders {
        token: ctx.token()?,
        query: Box::new(OrderQuery {
            after,
            ..query.clone()
        }),
    })
}

/// The open search field.
struct Search {
    field: FormField,
    /// The moment of the last key, set by the tick the shell sends right after it; the search goes
    /// out [`SEARCH_PAUSE`] after it (docs/performance.md §3.5).
    typed_at: Option<Instant>,
    dirty: bool,
}

pub struct OrderQueueScreen {
    role: Option<Role>,
    /// The query of the rows shown (or being loaded); `after` is always `None` here.
    query: OrderQuery,
    rows: Rows,
    error: Option<String>,
    search: Option<Search>,
    view_key: String,
    clear_key: String,
    refresh_key: String,
    /// Rows re-read after other stations changed them (docs/live.md §3.2).
    live: LiveReads<Uuid>,
    /// Builds that came to belong to this list elsewhere and show after the next reload.
    outside: usize,
}

impl OrderQueueScreen {
    /// The queue with the role's default view, and the request for its first page.
    pub fn open(ctx: &mut Ctx) -> (OrderQueueScreen, Command) {
        let mut s = OrderQueueScreen {
            role: ctx.session().map(|s| s.user.role),
            query: OrderQuery {
                view: QueueView::MyWork,
                limit: PAGE_SIZE,
                ..OrderQuery::default()
            },
            rows: Rows::new(HELD_PAGES),
            error: None,
            search: None,
            view_key: ctx
                .keymap()
                .key_label(KeyContext::Queue, Action::ToggleView),
            clear_key: ctx
                .keymap()
                .key_label(KeyContext::Queue, Action::ClearFilters),
            refresh_key: ctx.keymap().key_label(KeyContext::Queue, Action::Refresh),
            live: LiveReads::default(),
            outside: 0,
        };
        let cmd = s.reload(ctx);
        (s, cmd)
    }

    /// The rows reached, held or not.
    pub fn rows(&self) -> &ListWindow<OrderRow, Widths> {
        &self.rows
    }

    pub fn query(&self) -> &OrderQuery {
        &self.query
    }

    pub fn selected(&self) -> Option<&OrderRow> {
        self.rows.selected()
    }

    pub fn is_searching(&self) -> bool {
        self.search.is_some()
    }

    /// True when a filter narrows the queue, so an empty result means "nothing matches".
    fn filtered(&self) -> bool {
        !self.query.search.trim().is_empty()
            || self.query.status.is_some()
            || self.query.due != DueFilter::Any
    }

    /// Asks for the first page of the current query; a page still on its way is superseded, and the
    /// selected build stays selected if the new first page holds it.
    fn reload(&mut self, ctx: &mut Ctx) -> Command {
        self.query.after = None;
        self.outside = 0;
        let query = &self.query;
        self.rows.reload(ctx, &|ctx, after| ask(query, ctx, after))
    }

    /// Sends the typed search if it differs from the one shown; it supersedes any search still on its
    /// way (docs/performance.md §3.6).
    fn apply_search(&mut self, ctx: &mut Ctx) -> Command {
        let Some(s) = &mut self.search else {
            return Command::None;
        };
        s.dirty = false;
        s.typed_at = None;
        let text = s.field.value().trim().to_string();
        if text == self.query.search {
            return Command::None;
        }
        self.query.search = text;
        self.reload(ctx)
    }

    /// Moves the selection; Down or PgDn on the last row reached loads the next page.
    fn move_selection(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        let query = &self.query;
        self.rows
            .step(action, ctx, &|ctx, after| ask(query, ctx, after))
    }
}

impl Screen for OrderQueueScreen {
    fn title(&self) -> &'static str {
        "Orders"
    }

    fn key_contexts(&self) -> Vec<KeyContext> {
        if self.search.is_some() {
            vec![
                KeyContext::TextInput,
                KeyContext::SearchField,
                KeyContext::Queue,
                KeyContext::List,
            ]
        } else {
            vec![KeyContext::Queue, KeyContext::List]
        }
    }

    fn on_action(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        if let Some(s) = &mut self.search {
            match action {
                Action::Search => {
                    let cmd = self.apply_search(ctx);
                    self.search = None;
                    return cmd;
                }
                Action::ClearSearch => {
                    self.search = None;
                    if self.query.search.is_empty() {
                        return Command::None;
                    }
                    self.query.search.clear();
                    return self.reload(ctx);
                }
                other => {
                    let before = s.field.value();
                    if s.field.edit(other) {
                        if s.field.value() != before {
                            s.dirty = true;
                            s.typed_at = None;
                        }
                        return Command::None;
                    }
                }
            }
        }
        match action {
            a if moves(a) => self.move_selection(action, ctx),
            Action::Open => {
                if let Some(r) = self.selected() {
                    ctx.emit(Effect::Navigate(ScreenId::OrderDetail(r.id)));
                }
                Command::None
            }
            Action::Back => {
                ctx.emit(Effect::Navigate(ScreenId::Home));
                Command::None
            }
            Action::Refresh => self.reload(ctx),
            Action::Search => {
                let mut field = FormField::text("Search").with_max_len(100);
                field.set_value(&self.query.search);
                self.search = Some(Search {
                    field,
                    typed_at: None,
                    dirty: false,
                });
                Command::None
            }
            Action::ToggleView => {
                self.query.view = match self.query.view {
                    QueueView::MyWork => QueueView::All,
                    QueueView::All => QueueView::MyWork,
                };
                self.reload(ctx)
            }
            Action::StatusFilter | Action::StatusFilterBack => {
                // Cycles "any" → each status → "any".
                let all = OrderStatus::ALL;
                let pos = self
                    .query
                    .status
                    .and_then(|s| all.iter().position(|x| *x == s));
                let n = all.len() + 1;
                let idx = pos.map_or(0, |p| p + 1);
                let idx = if action == Action::StatusFilter {
                    (idx + 1) % n
                } else {
                    (idx + n - 1) % n
                };
                self.query.status = idx.checked_sub(1).and_then(|i| all.get(i).copied());
                self.reload(ctx)
            }
            Action::DueFilter => {
                self.query.due = match self.query.due {
                    DueFilter::Any => DueFilter::Overdue,
                    DueFilter::Overdue => DueFilter::DueSoon,
                    DueFilter::DueSoon => DueFilter::Any,
                };
                self.reload(ctx)
            }
            Action::SortNext => {
                let pos = SortKey::ALL
                    .iter()
                    .position(|k| *k == self.query.sort)
                    .unwrap_or(0);
                self.query.sort = SortKey::ALL[(pos + 1) % SortKey::ALL.len()];
                self.query.descending = false;
                self.reload(ctx)
            }
            Action::SortReverse => {
                self.query.descending = !self.query.descending;
                self.reload(ctx)
            }
            Action::ClearFilters => {
                if !self.filtered() {
                    return Command::None;
                }
                self.query.search.clear();
                self.query.status = None;
                self.query.due = DueFilter::Any;
                self.reload(ctx)
            }
            _ => Command::None,
        }
    }

    fn on_reply(&mut self, reply: ServiceReply, ctx: &mut Ctx) -> Command {
        if self.live.waits_for(reply.id) {
            return self.live_reply(reply, ctx);
        }
        if !self.rows.waits_for(reply.id) {
            return Command::None;
        }
        match reply.result {
            Ok(Reply::Orders(page)) => {
                self.error = None;
                let query = &self.query;
                self.rows
                    .arrived(reply.id, page.rows, page.next, ctx, &|ctx, after| {
                        ask(query, ctx, after)
                    })
            }
            Ok(_) => {
                self.rows.failed(reply.id);
                Command::None
            }
            Err(e) => {
                self.rows.failed(reply.id);
                self.error = Some(e.user_message());
                Command::None
            }
        }
    }

    fn on_live(&mut self, ev: &LiveEvent, ctx: &mut Ctx) -> Command {
        self.live(ev, ctx)
    }

    fn on_tick(&mut self, now: Instant, ctx: &mut Ctx) -> Command {
        let Some(s) = &mut self.search else {
            return Command::None;
        };
        if !s.dirty {
            return Command::None;
        }
        let since = *s.typed_at.get_or_insert(now);
        if now.saturating_duration_since(since) < SEARCH_PAUSE {
            return Command::None;
        }
        self.apply_search(ctx)
    }

    /// While typed text waits to go out: the moment it goes, [`SEARCH_PAUSE`] after the last key
    /// (docs/performance.md §3.5).
    fn wake_at(&self) -> Option<Instant> {
        let s = self.search.as_ref().filter(|s| s.dirty)?;
        Some(s.typed_at? + SEARCH_PAUSE)
    }

    fn on_char(&mut self, c: char) {
        if let Some(s) = &mut self.search
            && s.field.type_char(c)
        {
            s.dirty = true;
            s.typed_at = None;
        }
    }

    fn on_paste(&mut self, text: &str) {
        if let Some(s) = &mut self.search
            && s.field.paste(text)
        {
            s.dirty = true;
            s.typed_at = None;
        }
    }

    /// Keys wait for the rows it opens: none until the first load has answered (docs/architecture.md §3.2).
    fn accepts_keys(&self) -> bool {
        self.rows.loaded() || self.error.is_some()
    }

    fn view(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        self.draw(frame, area, theme);
    }
}

#[cfg(test)]
mod tests;
