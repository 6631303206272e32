//! The order queue: a role's builds, searchable, filterable, sortable, page by page.
//!
//! Pages are keyset-paginated: PgDn on the last row asks for the page after the server's cursor and
//! appends it, so the queue never loads the whole table. Every change of view, filter, sort or search
//! asks for a new first page; replies to superseded requests are dropped by their id.

use crate::domain::Role;
use crate::domain::order::{DueFilter, OrderQuery, OrderRow, OrderStatus, QueueView, SortKey};
use crate::keymap::{Action, KeyContext};
use crate::msg::{Command, DbReply, Reply, Request, RequestId};
use crate::screens::{Ctx, Effect, ScreenId, ScreenMsg};
use crate::theme::Theme;
use crate::widgets::form_field::FormField;
use crate::widgets::{fit_text, panel, row};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Padding, Paragraph, Row, TableState};
use std::time::{Duration, Instant};
use uuid::Uuid;

/// Rows one PageUp/PageDown moves.
const PAGE: usize = 10;
/// Rows one request asks for.
pub const PAGE_SIZE: u32 = 50;
/// Typing pauses this long before the search is sent, so a burst of keys costs one request.
pub const SEARCH_PAUSE: Duration = Duration::from_millis(400);
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

/// What "My work" holds for a role (workflow.md section 1).
fn my_work_scope(role: Option<Role>) -> &'static str {
    match role {
        Some(Role::ProcurementSpecialist) => "order created, parts sent",
        Some(Role::QcPerson) => "Pre-QC and Final QC",
        Some(Role::Assembler) => "production, mine or unassigned",
        Some(Role::ServiceDepartment) => "no builds",
        Some(Role::ProductionCoordinator | Role::Admin) | None => "all builds",
    }
}

/// The text marker of a build's urgency; shipped builds are never late.
pub fn due_marker(row: &OrderRow) -> Option<&'static str> {
    if row.status == OrderStatus::Shipped {
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
    if row.status == OrderStatus::Shipped {
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

/// The open search field.
struct Search {
    field: FormField,
    /// Set by the first tick after a key; the search goes out once the typing has paused.
    typed_at: Option<Instant>,
    dirty: bool,
}

pub struct OrdersScreen {
    role: Option<Role>,
    /// The query of the rows shown (or being loaded); `after` is always `None` here.
    query: OrderQuery,
    rows: Vec<OrderRow>,
    /// The cursor of the page after the last one shown.
    next: Option<String>,
    table: TableState,
    loading: Option<RequestId>,
    loading_more: Option<RequestId>,
    /// Move the cursor onto the first appended row when the next page arrives.
    advance_on_more: bool,
    /// A first page has arrived; before that an empty table means "loading", not "empty".
    loaded: bool,
    error: Option<String>,
    search: Option<Search>,
    /// Keeps the same build selected across a reload.
    select_after_load: Option<Uuid>,
    view_key: String,
    clear_key: String,
}

impl OrdersScreen {
    /// The queue with the role's default view, and the request for its first page.
    pub fn open(ctx: &mut Ctx) -> (OrdersScreen, Command) {
        let mut s = OrdersScreen {
            role: ctx.session().map(|s| s.user.role),
            query: OrderQuery {
                view: QueueView::MyWork,
                limit: PAGE_SIZE,
                ..OrderQuery::default()
            },
            rows: Vec::new(),
            next: None,
            table: TableState::default(),
            loading: None,
            loading_more: None,
            advance_on_more: false,
            loaded: false,
            error: None,
            search: None,
            select_after_load: None,
            view_key: ctx
                .keymap()
                .key_label(KeyContext::Queue, Action::ToggleView),
            clear_key: ctx
                .keymap()
                .key_label(KeyContext::Queue, Action::ClearFilters),
        };
        let cmd = s.reload(ctx);
        (s, cmd)
    }

    pub fn title(&self) -> &'static str {
        "Orders"
    }

    pub fn rows(&self) -> &[OrderRow] {
        &self.rows
    }

    pub fn query(&self) -> &OrderQuery {
        &self.query
    }

    pub fn selected(&self) -> Option<&OrderRow> {
        self.table.selected().and_then(|i| self.rows.get(i))
    }

    pub fn is_searching(&self) -> bool {
        self.search.is_some()
    }

    pub fn key_contexts(&self) -> Vec<KeyContext> {
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

    /// True when a filter narrows the queue, so an empty result means "nothing matches".
    fn filtered(&self) -> bool {
        !self.query.search.trim().is_empty()
            || self.query.status.is_some()
            || self.query.due != DueFilter::Any
    }

    /// Asks for the first page of the current query; a page still on its way is superseded.
    fn reload(&mut self, ctx: &mut Ctx) -> Command {
        let Some(token) = ctx.token() else {
            return Command::None;
        };
        if self.select_after_load.is_none() {
            self.select_after_load = self.selected().map(|r| r.id);
        }
        self.query.after = None;
        let (id, cmd) = ctx.request(Request::ListOrders {
            token,
            query: Box::new(self.query.clone()),
        });
        self.loading = Some(id);
        self.loading_more = None;
        self.advance_on_more = false;
        cmd
    }

    fn load_more(&mut self, ctx: &mut Ctx) -> Command {
        if self.loading.is_some() || self.loading_more.is_some() {
            return Command::None;
        }
        let (Some(cursor), Some(token)) = (self.next.clone(), ctx.token()) else {
            return Command::None;
        };
        let query = OrderQuery {
            after: Some(cursor),
            ..self.query.clone()
        };
        let (id, cmd) = ctx.request(Request::ListOrders {
            token,
            query: Box::new(query),
        });
        self.loading_more = Some(id);
        self.advance_on_more = true;
        cmd
    }

    pub fn update(&mut self, msg: ScreenMsg, ctx: &mut Ctx) -> Command {
        match msg {
            ScreenMsg::Char(c) => {
                if let Some(s) = &mut self.search
                    && s.field.type_char(c)
                {
                    s.dirty = true;
                    s.typed_at = None;
                }
                Command::None
            }
            ScreenMsg::Paste(text) => {
                if let Some(s) = &mut self.search
                    && s.field.paste(&text)
                {
                    s.dirty = true;
                    s.typed_at = None;
                }
                Command::None
            }
            ScreenMsg::Action(action) => self.on_action(action, ctx),
            ScreenMsg::Db(reply) => self.on_reply(reply),
            ScreenMsg::Tick(now) => self.on_tick(now, ctx),
        }
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

    /// Sends the typed search if it differs from the one shown.
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

    fn move_selection(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        let n = self.rows.len();
        if n == 0 {
            return Command::None;
        }
        let cur = self.table.selected().unwrap_or(0).min(n - 1);
        let at_end = cur + 1 == n;
        let next = match action {
            Action::Up => cur.saturating_sub(1),
            Action::Down => (cur + 1).min(n - 1),
            Action::PageUp => cur.saturating_sub(PAGE),
            Action::PageDown => (cur + PAGE).min(n - 1),
            Action::First => 0,
            Action::Last => n - 1,
            _ => cur,
        };
        self.table.select(Some(next));
        if at_end && matches!(action, Action::PageDown | Action::Down) {
            return self.load_more(ctx);
        }
        Command::None
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
            Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::First
            | Action::Last => self.move_selection(action, ctx),
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

    fn on_reply(&mut self, reply: DbReply) -> Command {
        if self.loading == Some(reply.id) {
            self.loading = None;
            match reply.result {
                Ok(Reply::Orders(page)) => {
                    self.error = None;
                    self.loaded = true;
                    self.rows = page.rows;
                    self.next = page.next;
                    let keep = self.select_after_load.take();
                    let idx = keep
                        .and_then(|id| self.rows.iter().position(|r| r.id == id))
                        .unwrap_or(0);
                    self.table
                        .select((!self.rows.is_empty()).then(|| idx.min(self.rows.len() - 1)));
                    *self.table.offset_mut() = 0;
                }
                Ok(_) => {}
                Err(e) => {
                    self.select_after_load = None;
                    self.error = Some(e.user_message());
                }
            }
        } else if self.loading_more == Some(reply.id) {
            self.loading_more = None;
            match reply.result {
                Ok(Reply::Orders(page)) => {
                    self.error = None;
                    let before = self.rows.len();
                    // A build that moved between pages must not show twice.
                    for r in page.rows {
                        if !self.rows.iter().any(|x| x.id == r.id) {
                            self.rows.push(r);
                        }
                    }
                    self.next = page.next;
                    if self.advance_on_more && self.rows.len() > before {
                        self.table.select(Some(before));
                    }
                }
                Ok(_) => {}
                Err(e) => self.error = Some(e.user_message()),
            }
            self.advance_on_more = false;
        }
        Command::None
    }

    pub fn view(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        if area.height < 4 || area.width < 10 {
            return;
        }
        let filter_area = row(area, 0);
        let table_area = Rect::new(area.x, area.y + 1, area.width, area.height - 3);
        let info_area = Rect::new(area.x, table_area.bottom(), area.width, 2);
        self.view_filters(frame, filter_area, theme);
        self.view_table(frame, table_area, theme);
        self.view_info(frame, info_area, theme);
    }

    fn view_filters(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        if let Some(s) = &mut self.search {
            let label_w = u16::try_from(s.field.label().chars().count()).unwrap_or(0);
            let input_w = area.width.saturating_sub(label_w + 6).min(40);
            // Indented like the filter line it replaces.
            let area = Rect::new(
                area.x.saturating_add(1),
                area.y,
                area.width.saturating_sub(1),
                area.height,
            );
            s.field.render(frame, area, theme, true, label_w, input_w);
            let used = label_w + input_w + 6;
            if area.width > used + 2 {
                let hint = Rect::new(area.x + used + 1, area.y, area.width - used - 1, 1);
                frame.render_widget(
                    Paragraph::new(Span::styled("filters as you type", theme.muted)),
                    hint,
                );
            }
            return;
        }
        let value = |text: String, active: bool| {
            Span::styled(text, if active { theme.focus } else { theme.base })
        };
        let label = |text: &'static str| Span::styled(text, theme.muted);
        let q = &self.query;
        let view = match q.view {
            QueueView::MyWork => "My work",
            QueueView::All => "All",
        };
        let status = q.status.map_or("any", short_status);
        let due = match q.due {
            DueFilter::Any => "any",
            DueFilter::Overdue => "OVERDUE",
            DueFilter::DueSoon => "due soon",
        };
        let arrow = if q.descending { "▼" } else { "▲" };
        let mut spans = vec![
            label(" View: "),
            value(view.to_string(), q.view == QueueView::All),
            label("   Status: "),
            value(status.to_string(), q.status.is_some()),
            label("   Due: "),
            value(due.to_string(), q.due != DueFilter::Any),
            label("   Sort: "),
            value(format!("{} {arrow}", sort_name(q.sort)), false),
        ];
        if !q.search.is_empty() {
            spans.push(label("   Search: "));
            spans.push(value(format!("\"{}\"", fit_text(&q.search, 18)), true));
        }
        frame.render_widget(Paragraph::new(Line::from(spans)), area);
    }

    fn view_table(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let mut title = match self.query.view {
            QueueView::MyWork => format!("My work: {}", my_work_scope(self.role)),
            QueueView::All => "All builds".to_string(),
        };
        if self.loading.is_some() {
            title.push_str(" (loading…)");
        }
        // One column of air before the right border.
        let block = panel(&title, theme).padding(Padding::right(1));
        let inner = block.inner(area);
        let sort_col = SortKey::ALL.iter().position(|k| *k == self.query.sort);
        let arrow = if self.query.descending {
            " ▼"
        } else {
            " ▲"
        };
        let headers = [
            "PO",
            "Build",
            "Customer",
            "Model",
            "Status",
            "Want",
            "Assignee",
            "Days left",
        ];
        let header = Row::new(headers.iter().enumerate().map(|(i, h)| {
            let text = if Some(i) == sort_col {
                format!("{h}{arrow}")
            } else {
                (*h).to_string()
            };
            Cell::from(Span::styled(text, theme.heading))
        }));
        // Columns fit their content within bounds (the floors keep an empty table's header steady);
        // the customer takes what is left.
        let widest = |values: &mut dyn Iterator<Item = usize>, header: usize| {
            values.max().unwrap_or(0).max(header)
        };
        let head_w =
            |i: usize| headers[i].chars().count() + if Some(i) == sort_col { 2 } else { 0 };
        let clamp = |w: usize, lo: u16, hi: u16| u16::try_from(w).unwrap_or(hi).clamp(lo, hi);
        let w_po = clamp(
            widest(
                &mut self.rows.iter().map(|r| r.po_number.chars().count()),
                head_w(0),
            ),
            7,
            12,
        );
        let w_build = clamp(
            widest(
                &mut self.rows.iter().map(|r| r.build_number.chars().count()),
                head_w(1),
            ),
            7,
            12,
        );
        let w_model = clamp(
            widest(
                &mut self.rows.iter().map(|r| r.sink_model.chars().count()),
                head_w(3),
            ),
            5,
            8,
        );
        let w_status = clamp(
            widest(
                &mut self
                    .rows
                    .iter()
                    .map(|r| short_status(r.status).chars().count()),
                head_w(4),
            ),
            8,
            10,
        );
        let w_want = clamp(head_w(5), 6, 8);
        let w_assignee = clamp(
            widest(
                &mut self
                    .rows
                    .iter()
                    .filter_map(|r| r.assignee.as_ref())
                    .map(|a| a.chars().count()),
                head_w(6),
            ),
            8,
            10,
        );
        let w_days = clamp(
            widest(
                &mut self.rows.iter().map(|r| days_cell(r).chars().count()),
                head_w(7),
            ),
            9,
            12,
        );
        let fixed = w_po + w_build + w_model + w_status + w_want + w_assignee + w_days + 7 + 2;
        let w_customer = inner.width.saturating_sub(fixed).max(8);
        let rows = self.rows.iter().map(|r| {
            let marker = due_marker(r);
            let days_style = match marker {
                Some("OVERDUE") => theme.error,
                Some(_) => theme.warn,
                None => theme.base,
            };
            let row_style = if r.status == OrderStatus::Shipped {
                theme.disabled
            } else {
                Style::new()
            };
            let assignee = r.assignee.as_deref().map_or_else(
                || Span::styled("—", theme.muted),
                |a| Span::raw(short_name(a, usize::from(w_assignee))),
            );
            Row::new(vec![
                Cell::from(fit_text(&r.po_number, usize::from(w_po))),
                Cell::from(fit_text(&r.build_number, usize::from(w_build))),
                Cell::from(fit_text(&r.customer_name, usize::from(w_customer))),
                Cell::from(fit_text(&r.sink_model, usize::from(w_model))),
                Cell::from(short_status(r.status)),
                Cell::from(r.want_date.format("%d %b").to_string()),
                Cell::from(assignee),
                Cell::from(Span::styled(days_cell(r), days_style)),
            ])
            .style(row_style)
        });
        let widths = [
            Constraint::Length(w_po),
            Constraint::Length(w_build),
            Constraint::Length(w_customer),
            Constraint::Length(w_model),
            Constraint::Length(w_status),
            Constraint::Length(w_want),
            Constraint::Length(w_assignee),
            Constraint::Length(w_days),
        ];
        let table = crate::widgets::selectable_table(rows, widths, header, block, theme);
        frame.render_stateful_widget(table, area, &mut self.table);
        if self.rows.is_empty() && self.loaded && self.loading.is_none() {
            let (text, hint) = if self.filtered() {
                (
                    "No builds match.",
                    format!("Press {} to clear the filters.", self.clear_key),
                )
            } else if self.query.view == QueueView::MyWork {
                // Coordinators and admins already see every build in My work.
                let hint = match self.role {
                    Some(Role::ProductionCoordinator | Role::Admin) => String::new(),
                    _ => format!("Press {} to see all builds.", self.view_key),
                };
                ("No builds in your queue.", hint)
            } else {
                ("No builds.", String::new())
            };
            let msg = Rect::new(
                inner.x.saturating_add(2).min(inner.right()),
                inner.y,
                inner.width.saturating_sub(2),
                inner.height,
            );
            frame.render_widget(Paragraph::new(Span::styled(text, theme.base)), row(msg, 2));
            frame.render_widget(Paragraph::new(Span::styled(hint, theme.muted)), row(msg, 3));
        }
    }

    fn view_info(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let first = if let Some(r) = self.selected() {
            let mut spans = vec![
                Span::styled(" ▶ ", theme.focus),
                Span::styled(
                    format!(
                        "{} · {} · {}",
                        r.build_number,
                        fit_text(&r.customer_name, 30),
                        r.status.title(),
                    ),
                    theme.base,
                ),
            ];
            if r.status != OrderStatus::Shipped {
                let style = match due_marker(r) {
                    Some("OVERDUE") => theme.error,
                    Some(_) => theme.warn,
                    None => theme.base,
                };
                spans.push(Span::raw(" · "));
                spans.push(Span::styled(due_words(r), style));
            }
            Line::from(spans)
        } else if self.loading.is_some() && !self.loaded {
            Line::from(Span::styled(" … Loading builds", theme.muted))
        } else {
            Line::default()
        };
        let second = if let Some(e) = &self.error {
            Line::from(Span::styled(format!(" ERROR: {e}"), theme.error))
        } else if self.loading_more.is_some() {
            Line::from(Span::styled(
                format!(" {} shown · … Loading more builds", self.rows.len()),
                theme.muted,
            ))
        } else if !self.rows.is_empty() {
            let n = self.rows.len();
            let text = if self.next.is_some() {
                format!(" {n} shown · more: PgDn on the last row loads the next page")
            } else if n == 1 {
                " 1 build".to_string()
            } else {
                format!(" {n} builds")
            };
            Line::from(Span::styled(text, theme.muted))
        } else {
            Line::default()
        };
        frame.render_widget(Paragraph::new(first), row(area, 0));
        frame.render_widget(Paragraph::new(second), row(area, 1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::DbError;
    use crate::domain::order::OrderPage;
    use crate::domain::session::Session;
    use crate::domain::user::UserSummary;
    use crate::keymap::Keymap;
    use crate::msg::DbRequest;
    use crate::screens::IdGen;
    use chrono::NaiveDate;

    fn session(role: Role) -> Session {
        Session {
            token: "t".into(),
            user: UserSummary {
                id: Uuid::nil(),
                username: "u".into(),
                full_name: "U Ser".into(),
                initials: "US".into(),
                role,
                is_active: true,
                last_login_at: None,
                must_change_password: false,
            },
            expires_at: chrono::NaiveDateTime::default(),
        }
    }

    fn order(n: u128, days_left: i32) -> OrderRow {
        OrderRow {
            id: Uuid::from_u128(n),
            po_number: "4500012".into(),
            build_number: format!("24-{n:04}"),
            customer_name: "St. Mary's Hospital".into(),
            sink_model: "T2-B2".into(),
            status: OrderStatus::ReadyForProduction,
            want_date: NaiveDate::from_ymd_opt(2025, 3, 20).unwrap_or_default(),
            assignee: None,
            days_left,
        }
    }

    struct Harness {
        ids: IdGen,
        km: Keymap,
        session: Session,
    }

    impl Harness {
        fn new(role: Role) -> Harness {
            Harness {
                ids: IdGen::default(),
                km: Keymap::default(),
                session: session(role),
            }
        }

        fn run(&mut self, f: impl FnOnce(&mut Ctx) -> Command) -> (Vec<DbRequest>, Vec<Effect>) {
            let mut ctx = Ctx::new(&mut self.ids, Some(&self.session), &self.km);
            let cmd = f(&mut ctx);
            (requests(cmd), ctx.into_effects())
        }

        fn open(&mut self) -> (OrdersScreen, DbRequest) {
            let mut ctx = Ctx::new(&mut self.ids, Some(&self.session), &self.km);
            let (s, cmd) = OrdersScreen::open(&mut ctx);
            let mut reqs = requests(cmd);
            assert_eq!(reqs.len(), 1);
            (s, reqs.remove(0))
        }
    }

    fn requests(cmd: Command) -> Vec<DbRequest> {
        match cmd {
            Command::Db(r) => vec![r],
            Command::Batch(cs) => cs.into_iter().flat_map(requests).collect(),
            Command::None | Command::Quit => Vec::new(),
        }
    }

    fn query_of(req: &DbRequest) -> OrderQuery {
        match &req.kind {
            Request::ListOrders { query, .. } => Some((**query).clone()),
            _ => None,
        }
        .expect("a ListOrders request")
    }

    fn page(rows: Vec<OrderRow>, next: Option<&str>) -> Reply {
        Reply::Orders(OrderPage {
            rows,
            next: next.map(str::to_string),
        })
    }

    fn reply(s: &mut OrdersScreen, req: &DbRequest, result: Result<Reply, DbError>) {
        s.on_reply(DbReply { id: req.id, result });
    }

    #[test]
    fn opens_on_my_work_sorted_by_want_date() {
        let mut h = Harness::new(Role::QcPerson);
        let (_, req) = h.open();
        let q = query_of(&req);
        assert_eq!(q.view, QueueView::MyWork);
        assert_eq!(q.sort, SortKey::WantDate);
        assert_eq!(q.after, None);
        assert_eq!(q.limit, PAGE_SIZE);
    }

    #[test]
    fn page_down_on_the_last_row_requests_the_next_page_and_appends() {
        let mut h = Harness::new(Role::Assembler);
        let (mut s, req) = h.open();
        reply(
            &mut s,
            &req,
            Ok(page(vec![order(1, 3), order(2, 9)], Some("c2"))),
        );
        let (reqs, _) = h.run(|ctx| s.update(ScreenMsg::Action(Action::PageDown), ctx));
        assert!(reqs.is_empty(), "not yet at the last row");
        assert_eq!(s.table.selected(), Some(1));
        let (reqs, _) = h.run(|ctx| s.update(ScreenMsg::Action(Action::PageDown), ctx));
        assert_eq!(reqs.len(), 1);
        let q = query_of(&reqs[0]);
        assert_eq!(q.after.as_deref(), Some("c2"));
        assert_eq!(q.view, QueueView::MyWork);
        // A second PgDn while the page is on its way asks nothing more.
        let (again, _) = h.run(|ctx| s.update(ScreenMsg::Action(Action::PageDown), ctx));
        assert!(again.is_empty());
        reply(&mut s, &reqs[0], Ok(page(vec![order(3, 20)], None)));
        assert_eq!(s.rows().len(), 3);
        assert_eq!(s.selected().map(|r| r.id), Some(Uuid::from_u128(3)));
        // The last page: nothing more to ask for.
        let (none, _) = h.run(|ctx| s.update(ScreenMsg::Action(Action::PageDown), ctx));
        assert!(none.is_empty());
    }

    #[test]
    fn search_sends_the_text_after_a_pause_or_on_enter() {
        let mut h = Harness::new(Role::ProductionCoordinator);
        let (mut s, _) = h.open();
        h.run(|ctx| s.update(ScreenMsg::Action(Action::Search), ctx));
        assert!(s.is_searching());
        assert_eq!(s.key_contexts()[0], KeyContext::TextInput);
        for c in "mary".chars() {
            h.run(|ctx| s.update(ScreenMsg::Char(c), ctx));
        }
        let t0 = Instant::now();
        let (reqs, _) = h.run(|ctx| s.update(ScreenMsg::Tick(t0), ctx));
        assert!(reqs.is_empty(), "still typing");
        let (reqs, _) = h.run(|ctx| {
            s.update(
                ScreenMsg::Tick(t0 + SEARCH_PAUSE + Duration::from_millis(1)),
                ctx,
            )
        });
        assert_eq!(reqs.len(), 1);
        assert_eq!(query_of(&reqs[0]).search, "mary");
        // Enter sends at once and closes the field; the text stays applied.
        h.run(|ctx| s.update(ScreenMsg::Char('s'), ctx));
        let (reqs, _) = h.run(|ctx| s.update(ScreenMsg::Action(Action::Search), ctx));
        assert_eq!(reqs.len(), 1);
        assert_eq!(query_of(&reqs[0]).search, "marys");
        assert!(!s.is_searching());
        // Esc in the field clears the search.
        h.run(|ctx| s.update(ScreenMsg::Action(Action::Search), ctx));
        let (reqs, _) = h.run(|ctx| s.update(ScreenMsg::Action(Action::ClearSearch), ctx));
        assert_eq!(query_of(&reqs[0]).search, "");
    }

    #[test]
    fn enter_opens_the_selected_build() {
        let mut h = Harness::new(Role::QcPerson);
        let (mut s, req) = h.open();
        reply(&mut s, &req, Ok(page(vec![order(1, 3), order(2, 9)], None)));
        h.run(|ctx| s.update(ScreenMsg::Action(Action::Down), ctx));
        let (_, effects) = h.run(|ctx| s.update(ScreenMsg::Action(Action::Open), ctx));
        assert_eq!(
            effects,
            vec![Effect::Navigate(ScreenId::OrderDetail(Uuid::from_u128(2)))]
        );
    }

    #[test]
    fn stale_replies_are_dropped() {
        let mut h = Harness::new(Role::Admin);
        let (mut s, first) = h.open();
        let (reqs, _) = h.run(|ctx| s.update(ScreenMsg::Action(Action::ToggleView), ctx));
        assert_eq!(query_of(&reqs[0]).view, QueueView::All);
        reply(&mut s, &first, Ok(page(vec![order(1, 3)], None)));
        assert!(
            s.rows().is_empty(),
            "the My work page arrived after the switch"
        );
        reply(&mut s, &reqs[0], Ok(page(vec![order(2, 3)], None)));
        assert_eq!(s.rows().len(), 1);
    }

    #[test]
    fn filters_and_sort_go_into_the_query() {
        let mut h = Harness::new(Role::Admin);
        let (mut s, _) = h.open();
        let mut last = |action, s: &mut OrdersScreen| {
            let (reqs, _) = h.run(|ctx| s.update(ScreenMsg::Action(action), ctx));
            query_of(&reqs[0])
        };
        assert_eq!(
            last(Action::StatusFilter, &mut s).status,
            Some(OrderStatus::OrderCreated)
        );
        assert_eq!(last(Action::StatusFilterBack, &mut s).status, None);
        assert_eq!(
            last(Action::StatusFilterBack, &mut s).status,
            Some(OrderStatus::Shipped)
        );
        assert_eq!(last(Action::DueFilter, &mut s).due, DueFilter::Overdue);
        let q = last(Action::SortNext, &mut s);
        assert_eq!((q.sort, q.descending), (SortKey::Assignee, false));
        assert!(last(Action::SortReverse, &mut s).descending);
        let q = last(Action::ClearFilters, &mut s);
        assert_eq!((q.status, q.due), (None, DueFilter::Any));
    }

    #[test]
    fn urgency_markers_are_text() {
        assert_eq!(due_marker(&order(1, -2)), Some("OVERDUE"));
        assert_eq!(days_cell(&order(1, -2)), "-2 OVERDUE");
        assert_eq!(days_cell(&order(1, 0)), "0 due soon");
        assert_eq!(days_cell(&order(1, 8)), "8");
        let mut shipped = order(1, -30);
        shipped.status = OrderStatus::Shipped;
        assert_eq!(due_marker(&shipped), None);
        assert_eq!(short_name("Priya Natarajan", 10), "Natarajan");
        assert_eq!(short_name("Sam Brennan", 10), "S. Brennan");
    }
}
