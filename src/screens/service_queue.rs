//! Procurement's queue of service orders in the server's order (PENDING, then APPROVED to fulfil, oldest
//! first; then the closed ones, newest first), with a status filter. PROCUREMENT_SPECIALIST and ADMIN
//! process the orders they open; PC reads them.

use crate::domain::clock;
use crate::domain::live::{Entity, LiveEvent};
use crate::domain::service_order::change_news;
use crate::domain::service_order::{ServiceOrderScope, ServiceOrderStatus, ServiceOrderSummary};
use crate::keymap::{Action, KeyContext};
use crate::msg::RequestId;
use crate::msg::{Command, Reply, Request, ServiceReply};
use crate::screens::Screen;
use crate::screens::live_load::LiveLoad;
use crate::screens::live_reads::LiveReads;
use crate::screens::pending::Pending;
use crate::screens::{Ctx, Effect, ScreenId};
use crate::theme::Theme;
use crate::widgets::list_cursor::{ListCursor, shown};
use crate::widgets::step_selection;
use crate::widgets::toast::Toast;
use crate::widgets::viewport::table_body_height;
use crate::widgets::{empty_table_row, list_screen_rows};
use crate::widgets::{fit_text, panel, selectable_table};
use chrono::NaiveDateTime;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Padding, Paragraph, Row};

/// Rows one PageUp/PageDown moves.
const PAGE: usize = 10;

/// The filter after `current`: all, then each status in order, then all again.
pub fn next_filter(current: Option<ServiceOrderStatus>) -> Option<ServiceOrderStatus> {
    match current {
        None => ServiceOrderStatus::ALL.first().copied(),
        Some(s) => {
            let i = ServiceOrderStatus::ALL.iter().position(|x| *x == s);
            i.and_then(|i| ServiceOrderStatus::ALL.get(i + 1).copied())
        }
    }
}

/// A request time as the queue shows it (the plant's local time, docs/lifecycle.md §6.9).
pub fn when(t: NaiveDateTime) -> String {
    clock::local_minute(t)
}

pub struct ServiceQueueScreen {
    rows: Vec<ServiceOrderSummary>,
    status: Option<ServiceOrderStatus>,
    table: ListCursor,
    /// How many of `rows` are PENDING, counted when they arrive (docs/performance.md §1.9).
    pending: usize,
    loading: Pending,
    /// A first reply has arrived; before that an empty table means "loading".
    loaded: bool,
    error: Option<String>,
    filter_key: String,
    /// Re-reads after another station's change (docs/live.md §3.4).
    live: LiveReads,
}

impl ServiceQueueScreen {
    pub fn open(ctx: &mut Ctx) -> (ServiceQueueScreen, Command) {
        let filter_key = ctx
            .keymap()
            .key_label(KeyContext::ServiceQueue, Action::StatusFilter);
        let mut s = ServiceQueueScreen {
            rows: Vec::new(),
            status: None,
            table: ListCursor::default(),
            pending: 0,
            loading: Pending::new(),
            loaded: false,
            error: None,
            filter_key,
            live: LiveReads::default(),
        };
        let cmd = s.reload(ctx);
        (s, cmd)
    }

    pub fn rows(&self) -> &[ServiceOrderSummary] {
        &self.rows
    }

    pub fn status_filter(&self) -> Option<ServiceOrderStatus> {
        self.status
    }

    pub fn selected(&self) -> Option<&ServiceOrderSummary> {
        self.table.selected().and_then(|i| self.rows.get(i))
    }

    /// Asks for the list under the current filter; a reply still on its way is superseded.
    fn reload(&mut self, ctx: &mut Ctx) -> Command {
        self.refresh(ctx)
    }

    fn view_table(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let mut title = "Service orders: open oldest first, closed newest first".to_string();
        if self.loading.in_flight() {
            title.push_str(" (loading…)");
        }
        let block = panel(&title, theme).padding(Padding::right(1));
        let inner = block.inner(area);
        let headers = [
            "Number",
            "Status",
            "Requested by",
            "Requested",
            "Lines",
            "Total qty",
            "Processed by",
        ];
        let header = Row::new(
            headers
                .iter()
                .map(|h| Cell::from(Span::styled(*h, theme.heading))),
        );
        let (w_num, w_status, w_age, w_lines, w_qty) = (11u16, 9u16, 16u16, 5u16, 9u16);
        let fixed = w_num + w_status + w_age + w_lines + w_qty + 6 + 2;
        let w_people = inner.width.saturating_sub(fixed) / 2;
        let range = self.table.window(self.rows.len(), table_body_height(area));
        let rows = shown(&self.rows, &range).iter().map(|r| {
            let status_style = match r.status {
                ServiceOrderStatus::Pending => theme.warn,
                ServiceOrderStatus::Approved => theme.ok,
                ServiceOrderStatus::Rejected => theme.error,
                ServiceOrderStatus::Fulfilled => theme.disabled,
            };
            let waiting = r.requested_at.map_or_else(|| "—".to_string(), when);
            let processed = r.processed_by.as_deref().map_or_else(
                || Span::styled("—", theme.muted),
                |p| Span::raw(fit_text(p, usize::from(w_people))),
            );
            Row::new(vec![
                Cell::from(r.number.clone()),
                Cell::from(Span::styled(r.status.code(), status_style)),
                Cell::from(fit_text(&r.requested_by, usize::from(w_people))),
                Cell::from(waiting),
                Cell::from(Line::from(r.lines.to_string()).right_aligned()),
                Cell::from(Line::from(r.total_quantity.to_string()).right_aligned()),
                Cell::from(processed),
            ])
            .style(Style::new())
        });
        let widths = [
            Constraint::Length(w_num),
            Constraint::Length(w_status),
            Constraint::Length(w_people),
            Constraint::Length(w_age),
            Constraint::Length(w_lines),
            Constraint::Length(w_qty),
            Constraint::Length(w_people),
        ];
        let table = selectable_table(rows, widths, header, block, theme);
        frame.render_stateful_widget(table, area, &mut self.table.table_state(&range));
        if self.rows.is_empty() && self.loaded && !self.loading.in_flight() {
            let text = match self.status {
                Some(s) => format!("No {s} service orders."),
                None => "No service orders.".to_string(),
            };
            frame.render_widget(
                Paragraph::new(Span::styled(text, theme.base)),
                empty_table_row(inner, 2),
            );
        }
    }

    fn view_info(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let first = if let Some(r) = self.selected() {
            let requested = r
                .requested_at
                .map_or_else(String::new, |t| format!(" · requested {}", when(t)));
            // The people the table's columns may cut, whole (docs/architecture.md §2.1).
            let processed = r
                .processed_by
                .as_deref()
                .map_or_else(String::new, |p| format!(" · processed by {p}"));
            Line::from(vec![
                Span::styled(" ▶ ", theme.focus),
                Span::styled(
                    fit_text(
                        &format!(
                            "{} · {} · {}{requested}{processed}",
                            r.number, r.status, r.requested_by
                        ),
                        usize::from(area.width).saturating_sub(4),
                    ),
                    theme.base,
                ),
            ])
        } else if self.loading.in_flight() && !self.loaded {
            Line::from(Span::styled(" … Loading service orders", theme.muted))
        } else {
            Line::default()
        };
        let second = if let Some(e) = &self.error {
            Line::from(Span::styled(format!(" ERROR: {e}"), theme.error))
        } else if !self.rows.is_empty() {
            let pending = self.pending;
            let n = self.rows.len();
            let orders = if n == 1 { "order" } else { "orders" };
            Line::from(Span::styled(
                format!(" {n} {orders} · {pending} PENDING"),
                theme.muted,
            ))
        } else {
            Line::default()
        };
        crate::widgets::info_rows(frame, area, first, second);
    }
}

impl Screen for ServiceQueueScreen {
    fn title(&self) -> &'static str {
        "Service orders"
    }

    fn key_contexts(&self) -> Vec<KeyContext> {
        vec![KeyContext::ServiceQueue, KeyContext::List]
    }

    fn on_action(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        let n = self.rows.len();
        if step_selection(
            self.table.selected(),
            |i| self.table.select(i),
            action,
            n,
            PAGE,
        ) {
            return Command::None;
        }
        match action {
            Action::Open => {
                if let Some(r) = self.selected() {
                    ctx.emit(Effect::Navigate(ScreenId::ServiceOrder(r.id)));
                }
            }
            Action::StatusFilter => {
                self.status = next_filter(self.status);
                return self.reload(ctx);
            }
            Action::Refresh => return self.reload(ctx),
            Action::Back => ctx.emit(Effect::Navigate(ScreenId::Home)),
            _ => {}
        }
        Command::None
    }

    fn on_reply(&mut self, reply: ServiceReply, ctx: &mut Ctx) -> Command {
        let live = self.live_answered(reply.id);
        if !self.loading.answered_by(reply.id) {
            return self.live_next(ctx);
        }
        match reply.result {
            Ok(Reply::ServiceOrders(rows)) => {
                // Keep the cursor on the same order when it is still listed.
                let before = self.selected().cloned();
                let keep = before.as_ref().map(|r| r.id);
                // A change to the selected order says who made it (docs/live.md §3.4).
                if let (Some(by), Some(before)) = (&live, &before) {
                    let after = rows.iter().find(|r| r.id == before.id);
                    if let Some(text) = change_news(before, after, false, by) {
                        ctx.toast(Toast::info(text));
                    }
                }
                self.rows = rows;
                self.pending = self
                    .rows
                    .iter()
                    .filter(|r| r.status == ServiceOrderStatus::Pending)
                    .count();
                self.loaded = true;
                self.error = None;
                let sel = keep
                    .and_then(|id| self.rows.iter().position(|r| r.id == id))
                    .or_else(|| (!self.rows.is_empty()).then_some(0));
                self.table.select(sel);
            }
            Ok(_) => {}
            Err(e) => self.error = Some(e.user_message()),
        }
        self.live_next(ctx)
    }

    /// Any service order may come into the list, leave it or change in it (docs/live.md §3.4).
    fn on_live(&mut self, ev: &LiveEvent, ctx: &mut Ctx) -> Command {
        if ev.touches(Entity::ServiceOrder) {
            return self.live_want(ev.by_line(), ctx);
        }
        Command::None
    }

    /// Keys wait for the orders it opens: none until the first load has answered (docs/architecture.md §3.2).
    fn accepts_keys(&self) -> bool {
        self.loaded || self.error.is_some()
    }

    fn view(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        if area.height < 4 || area.width < 20 {
            return;
        }
        let [filter_area, table_area, info_area] = list_screen_rows(area);
        let status = self.status.map_or("all", ServiceOrderStatus::code);
        let filter = Line::from(vec![
            Span::styled(" Status: ", theme.muted),
            Span::styled(
                status,
                if self.status.is_some() {
                    theme.focus
                } else {
                    theme.base
                },
            ),
            Span::styled(
                format!("   ({} changes the filter)", self.filter_key),
                theme.muted,
            ),
        ]);
        frame.render_widget(Paragraph::new(filter), filter_area);
        self.view_table(frame, table_area, theme);
        self.view_info(frame, info_area, theme);
    }
}

impl LiveLoad for ServiceQueueScreen {
    fn live_reads(&mut self) -> &mut LiveReads {
        &mut self.live
    }

    fn send_load(&mut self, ctx: &mut Ctx) -> Option<(RequestId, Command)> {
        let (id, cmd) = ctx.request(Request::ServiceOrders {
            token: ctx.token()?,
            scope: ServiceOrderScope::Queue,
            status: self.status,
        });
        self.loading.wait(id);
        Some((id, cmd))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(day: u32, h: u32, m: u32) -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2025, 3, day)
            .and_then(|d| d.and_hms_opt(h, m, 0))
            .expect("valid date")
    }

    #[test]
    fn request_times_read_to_the_minute() {
        assert_eq!(
            when(t(14, 8, 5)),
            format!("2025-03-14 08:05 {}", clock::plant_zone())
        );
    }

    #[test]
    fn the_filter_cycles_through_every_status_and_back_to_all() {
        let mut f = None;
        let mut seen = Vec::new();
        for _ in 0..5 {
            f = next_filter(f);
            seen.push(f);
        }
        assert_eq!(
            seen,
            vec![
                Some(ServiceOrderStatus::Pending),
                Some(ServiceOrderStatus::Approved),
                Some(ServiceOrderStatus::Rejected),
                Some(ServiceOrderStatus::Fulfilled),
                None,
            ]
        );
    }

    use crate::domain::Role;
    use crate::domain::live::{Entity, LiveEvent};
    use crate::screens::ScreenMsg;
    use crate::screens::testkit::{Harness, live_change, service_order as summary, toasts};
    use uuid::Uuid;

    fn is_queue_load(r: &crate::msg::ServiceRequest) -> bool {
        matches!(
            r.kind,
            Request::ServiceOrders {
                scope: ServiceOrderScope::Queue,
                ..
            }
        )
    }

    #[test]
    fn a_service_order_event_reloads_the_queue_keeping_the_cursor() {
        let mut h = Harness::new(Role::ProcurementSpecialist);
        let (mut s, load) = h.open(ServiceQueueScreen::open);
        let p = ServiceOrderStatus::Pending;
        let rows = vec![summary(1, p), summary(2, p), summary(3, p)];
        h.reply(&mut s, &load[0], Ok(Reply::ServiceOrders(rows)));
        h.act(&mut s, Action::StatusFilter);
        let (reqs, _) = h.act(&mut s, Action::StatusFilter);
        h.reply(
            &mut s,
            &reqs[0],
            Ok(Reply::ServiceOrders(vec![summary(1, p), summary(2, p)])),
        );
        h.act(&mut s, Action::Down);
        let build = live_change(Entity::Build, Uuid::from_u128(2), Some(Uuid::from_u128(2)));
        assert!(
            h.send(&mut s, ScreenMsg::Live(build)).0.is_empty(),
            "not shown here"
        );
        let ev = live_change(Entity::ServiceOrder, Uuid::from_u128(2), None);
        let (reqs, _) = h.send(&mut s, ScreenMsg::Live(ev.clone()));
        assert_eq!(reqs.len(), 1);
        assert!(is_queue_load(&reqs[0]));
        assert!(
            matches!(
                reqs[0].kind,
                Request::ServiceOrders {
                    status: Some(ServiceOrderStatus::Approved),
                    ..
                }
            ),
            "the filter stays"
        );
        assert!(
            h.send(&mut s, ScreenMsg::Live(ev)).0.is_empty(),
            "one on its way"
        );
        let approved = vec![
            summary(4, p),
            summary(1, p),
            summary(2, ServiceOrderStatus::Approved),
        ];
        let (next, effects) = h.reply(&mut s, &reqs[0], Ok(Reply::ServiceOrders(approved)));
        assert_eq!(
            s.selected().map(|r| r.id),
            Some(Uuid::from_u128(2)),
            "the cursor stays"
        );
        let number = crate::domain::service_order::number(Uuid::from_u128(2));
        assert_eq!(
            toasts(&effects),
            vec![format!(
                "Service order {number} approved by Luis Ortega at station ASM-2"
            )]
        );
        assert_eq!(next.len(), 1, "the gathered event goes out");
        // A change to another row says nothing.
        let (_, effects) = h.reply(
            &mut s,
            &next[0],
            Ok(Reply::ServiceOrders(vec![
                summary(1, ServiceOrderStatus::Rejected),
                summary(2, ServiceOrderStatus::Approved),
            ])),
        );
        assert!(toasts(&effects).is_empty());
        assert_eq!(s.selected().map(|r| r.id), Some(Uuid::from_u128(2)));
    }

    #[test]
    fn a_resync_reloads_the_queue() {
        let mut h = Harness::new(Role::ProductionCoordinator);
        let (mut s, load) = h.open(ServiceQueueScreen::open);
        h.reply(&mut s, &load[0], Ok(Reply::ServiceOrders(vec![])));
        let (reqs, _) = h.send(&mut s, ScreenMsg::Live(LiveEvent::resync()));
        assert_eq!(reqs.len(), 1);
        assert!(is_queue_load(&reqs[0]));
    }
}
