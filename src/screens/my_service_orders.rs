//! SERVICE_DEPARTMENT: the user's own service orders with their lines and procurement's notes; withdraw a PENDING one.

use crate::domain::clock;
use crate::domain::live::{Entity, LiveEvent};
use crate::domain::service_order::change_news;
use crate::domain::service_order::{
    ServiceOrderScope, ServiceOrderStatus, ServiceOrderSummary, ServiceOrderView,
};
use crate::keymap::{Action, HelpLine, KeyContext};
use crate::msg::RequestId;
use crate::msg::{Command, Reply, Request, ServiceReply};
use crate::screens::Screen;
use crate::screens::live_load::LiveLoad;
use crate::screens::live_reads::LiveReads;
use crate::screens::pending::Pending;
use crate::screens::{Ctx, Effect, ScreenId};
use crate::theme::Theme;
use crate::widgets::list_cursor::{ListCursor, shown};
use crate::widgets::toast::Toast;
use crate::widgets::viewport::table_body_height;
use crate::widgets::{confirm, fit_text, hanging, inset, panel, selectable_table};
use chrono::NaiveDateTime;
use ratatui::Frame;
use ratatui::layout::Layout;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Wrap};
use uuid::Uuid;

pub struct MyServiceOrdersScreen {
    loading: Pending,
    orders: Vec<ServiceOrderSummary>,
    table: ListCursor,
    detail: Option<ServiceOrderView>,
    detail_loading: Pending,
    confirming: bool,
    withdrawing: Pending<Uuid>,
    error: Option<String>,
    confirm_keys: Vec<HelpLine>,
    /// Re-reads after another station's change (docs/live.md §3.4).
    live: LiveReads,
}

fn when(t: Option<NaiveDateTime>) -> String {
    t.map_or_else(|| "—".into(), clock::local_minute)
}

impl MyServiceOrdersScreen {
    pub fn open(ctx: &mut Ctx) -> (MyServiceOrdersScreen, Command) {
        let mut s = MyServiceOrdersScreen {
            loading: Pending::new(),
            orders: Vec::new(),
            table: ListCursor::default(),
            detail: None,
            detail_loading: Pending::new(),
            confirming: false,
            withdrawing: Pending::new(),
            error: None,
            confirm_keys: ctx.keymap().key_bar(&[KeyContext::Confirm]),
            live: LiveReads::default(),
        };
        let cmd = s.reload(ctx);
        (s, cmd)
    }

    pub fn orders(&self) -> &[ServiceOrderSummary] {
        &self.orders
    }

    pub fn detail(&self) -> Option<&ServiceOrderView> {
        self.detail.as_ref()
    }

    fn reload(&mut self, ctx: &mut Ctx) -> Command {
        self.refresh(ctx)
    }

    fn selected(&self) -> Option<&ServiceOrderSummary> {
        self.table.selected().and_then(|i| self.orders.get(i))
    }

    /// Loads the selected order's lines and notes unless they are already shown.
    fn load_detail(&mut self, ctx: &mut Ctx) -> Command {
        let Some(id) = self.selected().map(|o| o.id) else {
            self.detail = None;
            return Command::None;
        };
        if self.detail.as_ref().is_some_and(|d| d.summary.id == id) {
            return Command::None;
        }
        self.read_detail(id, ctx)
    }

    /// Reads order `id`'s lines and notes; what is shown stays until they arrive.
    fn read_detail(&mut self, id: Uuid, ctx: &mut Ctx) -> Command {
        let Some(token) = ctx.token() else {
            return Command::None;
        };
        let (rid, cmd) = ctx.request(Request::ServiceOrder { token, id });
        self.detail_loading.wait(rid);
        cmd
    }

    fn view_detail(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let lines_w = (area.width * 9 / 20).max(20).min(area.width);
        let lines_area = Rect::new(area.x, area.y, lines_w, area.height);
        let notes_area = Rect::new(area.x + lines_w, area.y, area.width - lines_w, area.height);
        let Some(d) = &self.detail else {
            frame.render_widget(panel("Lines", theme), lines_area);
            frame.render_widget(panel("Notes", theme), notes_area);
            if self.detail_loading.in_flight() {
                let inner = inset(panel("", theme).inner(lines_area), 1);
                frame.render_widget(
                    Paragraph::new(Span::styled("Loading…", theme.muted)),
                    Rect::new(inner.x, inner.y, inner.width, 1.min(inner.height)),
                );
            }
            return;
        };
        let title = format!("Lines of {}", d.summary.number);
        let block = panel(&title, theme);
        let inner = inset(block.inner(lines_area), 1);
        frame.render_widget(block, lines_area);
        let w = usize::from(inner.width);
        // Each line whole, its name wrapped under it (docs/architecture.md §2.1).
        let mut text: Vec<Line> = d
            .lines
            .iter()
            .flat_map(|l| {
                let name = l.name.as_deref().unwrap_or("");
                hanging(
                    &format!("{:>4} × {}  ", l.quantity, l.part_id),
                    name,
                    w,
                    theme.base,
                )
            })
            .collect();
        if text.is_empty() {
            text.push(Line::from(Span::styled("No lines.", theme.muted)));
        }
        frame.render_widget(Paragraph::new(text), inner);
        let block = panel("Notes", theme);
        let inner = inset(block.inner(notes_area), 1);
        frame.render_widget(block, notes_area);
        let notes: Vec<Line> = match d.notes.as_deref().filter(|n| !n.trim().is_empty()) {
            Some(n) => n.lines().map(|l| Line::from(l.to_string())).collect(),
            None => vec![Line::from(Span::styled("No notes.", theme.muted))],
        };
        frame.render_widget(Paragraph::new(notes).wrap(Wrap { trim: false }), inner);
    }
}

impl MyServiceOrdersScreen {
    /// After a live re-read of the list: a change to the selected order (`before`, as it was
    /// shown) says who made it and its lines and notes are read again, the ones shown staying
    /// until they arrive; another order selected (the one shown went) shows its own.
    fn live_detail(&mut self, before: &ServiceOrderSummary, by: &str, ctx: &mut Ctx) -> Command {
        let after = self.orders.iter().find(|o| o.id == before.id);
        if let Some(text) = change_news(before, after, false, by) {
            ctx.toast(Toast::info(text));
        }
        match after {
            Some(a) if a == before => Command::None,
            Some(a) => {
                let id = a.id;
                self.read_detail(id, ctx)
            }
            None => {
                self.detail = None;
                self.load_detail(ctx)
            }
        }
    }
}

impl LiveLoad for MyServiceOrdersScreen {
    fn live_reads(&mut self) -> &mut LiveReads {
        &mut self.live
    }

    fn send_load(&mut self, ctx: &mut Ctx) -> Option<(RequestId, Command)> {
        let (rid, cmd) = ctx.request(Request::ServiceOrders {
            token: ctx.token()?,
            scope: ServiceOrderScope::Mine,
            status: None,
        });
        self.loading.wait(rid);
        Some((rid, cmd))
    }
}

impl Screen for MyServiceOrdersScreen {
    fn title(&self) -> &'static str {
        "My service orders"
    }

    fn key_contexts(&self) -> Vec<KeyContext> {
        if self.confirming {
            return vec![KeyContext::Confirm];
        }
        vec![KeyContext::MyServiceOrders, KeyContext::List]
    }

    fn on_action(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        if self.confirming {
            match action {
                Action::Yes if !self.withdrawing.in_flight() => {
                    let (Some(id), Some(token)) = (self.selected().map(|o| o.id), ctx.token())
                    else {
                        self.confirming = false;
                        return Command::None;
                    };
                    return self.withdrawing.begin(
                        ctx,
                        Request::WithdrawServiceOrder { token, id },
                        id,
                    );
                }
                Action::No if !self.withdrawing.in_flight() => self.confirming = false,
                _ => {}
            }
            return Command::None;
        }
        let n = self.orders.len();
        let cur = self.table.selected().unwrap_or(0);
        let before = self.table.selected();
        match action {
            Action::Up if n > 0 => self.table.select(Some(cur.saturating_sub(1))),
            Action::Down if n > 0 => self.table.select(Some((cur + 1).min(n - 1))),
            Action::First if n > 0 => self.table.select(Some(0)),
            Action::Last if n > 0 => self.table.select(Some(n - 1)),
            Action::Open => return self.load_detail(ctx),
            Action::Withdraw => match self.selected() {
                Some(o) if o.status == ServiceOrderStatus::Pending => self.confirming = true,
                Some(o) => ctx.toast(Toast::error(format!(
                    "{} is {}; only a PENDING order can be withdrawn",
                    o.number, o.status
                ))),
                None => {}
            },
            Action::Refresh => return self.reload(ctx),
            Action::Back => ctx.emit(Effect::Back(ScreenId::Home)),
            _ => {}
        }
        if self.table.selected() != before {
            return self.load_detail(ctx);
        }
        Command::None
    }

    fn on_reply(&mut self, reply: ServiceReply, ctx: &mut Ctx) -> Command {
        let live = self.live_answered(reply.id);
        if self.loading.answered_by(reply.id) {
            match reply.result {
                Ok(Reply::ServiceOrders(list)) => {
                    self.error = None;
                    let before = self.selected().cloned();
                    self.orders = list;
                    let at = before
                        .as_ref()
                        .and_then(|b| self.orders.iter().position(|o| o.id == b.id))
                        .unwrap_or(0);
                    self.table.select((!self.orders.is_empty()).then_some(at));
                    let next = self.live_next(ctx);
                    if let (Some(by), Some(b)) = (&live, &before) {
                        return self.live_detail(b, by, ctx).and(next);
                    }
                    // A refresh shows the order as it is now.
                    self.detail = None;
                    return self.load_detail(ctx).and(next);
                }
                Ok(_) => {}
                Err(e) => self.error = Some(e.user_message()),
            }
            return self.live_next(ctx);
        }
        if live.is_some() {
            return self.live_next(ctx);
        }
        if self.detail_loading.answered_by(reply.id) {
            match reply.result {
                Ok(Reply::ServiceOrder(view)) => self.detail = Some(*view),
                Ok(_) => {}
                Err(e) => self.error = Some(e.user_message()),
            }
            return Command::None;
        }
        if let Some(id) = self.withdrawing.take(reply.id) {
            self.confirming = false;
            match reply.result {
                Ok(_) => {
                    let number = crate::domain::service_order::number(id);
                    ctx.toast(Toast::info(format!("Service order {number} withdrawn")));
                    self.detail = None;
                    return self.reload(ctx);
                }
                Err(e) => {
                    ctx.toast(Toast::error(e.user_message()));
                    return self.reload(ctx);
                }
            }
        }
        Command::None
    }

    /// Any of the user's service orders may have been decided (docs/live.md §3.4).
    fn on_live(&mut self, ev: &LiveEvent, ctx: &mut Ctx) -> Command {
        if ev.touches(Entity::ServiceOrder) {
            return self.live_want(ev.by_line(), ctx);
        }
        Command::None
    }

    /// Keys wait for the orders it withdraws: none until the first load has answered (docs/architecture.md §3.2).
    fn accepts_keys(&self) -> bool {
        !self.loading.in_flight() || !self.orders.is_empty() || self.error.is_some()
    }

    fn view(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        if area.height < 6 {
            return;
        }
        let list_h =
            (u16::try_from(self.orders.len()).unwrap_or(u16::MAX) + 3).clamp(5, area.height / 2);
        let [list_area, rest, info_area] = Layout::vertical([
            Constraint::Length(list_h),
            Constraint::Fill(1),
            Constraint::Length(1),
        ])
        .areas(area);
        let title = if self.loading.in_flight() {
            "My service orders (loading…)"
        } else {
            "My service orders"
        };
        let range = self
            .table
            .window(self.orders.len(), table_body_height(list_area));
        let body: Vec<Row> = shown(&self.orders, &range)
            .iter()
            .map(|o| {
                Row::new(vec![
                    Cell::from(o.number.clone()),
                    Cell::from(Span::styled(o.status.code(), status_style(o.status, theme))),
                    Cell::from(when(o.requested_at)),
                    Cell::from(format!("{:>5}", o.lines)),
                    Cell::from(o.processed_by.clone().unwrap_or_else(|| "—".into())),
                    Cell::from(when(o.processed_at)),
                ])
            })
            .collect();
        let header = Row::new(vec![
            "Number",
            "Status",
            "Requested",
            "Lines",
            "Processed by",
            "Processed",
        ])
        .style(theme.header);
        let table = selectable_table(
            body,
            [
                Constraint::Length(12),
                Constraint::Length(10),
                Constraint::Length(16),
                Constraint::Length(5),
                Constraint::Fill(1),
                Constraint::Length(16),
            ],
            header,
            panel(title, theme),
            theme,
        );
        frame.render_stateful_widget(table, list_area, &mut self.table.table_state(&range));
        if self.orders.is_empty() && !self.loading.in_flight() && self.error.is_none() {
            let inner = inset(panel("", theme).inner(list_area), 1);
            frame.render_widget(
                Paragraph::new(Span::styled(
                    "No service orders yet. Submit one from the cart.",
                    theme.muted,
                )),
                Rect::new(inner.x, inner.y + 1, inner.width, 1),
            );
        }
        self.view_detail(frame, rest, theme);
        let info = if let Some(e) = &self.error {
            Line::from(Span::styled(format!(" ERROR: {e}"), theme.error))
        } else {
            let mut text = format!(" {} order(s)", self.orders.len());
            if self
                .selected()
                .is_some_and(|o| o.status == ServiceOrderStatus::Pending)
            {
                text.push_str(" · w withdraws the selected PENDING order");
            }
            // The whole of what the narrow "Processed by" column may cut.
            if let Some(o) = self.selected()
                && let Some(by) = &o.processed_by
            {
                text.push_str(&format!(" · processed by {by} {}", when(o.processed_at)));
            }
            Line::from(Span::styled(
                fit_text(&text, usize::from(info_area.width)),
                theme.muted,
            ))
        };
        frame.render_widget(Paragraph::new(info), info_area);
        if self.confirming
            && let Some(o) = self.selected()
        {
            let mut lines = vec![
                format!("Withdraw service order {}?", o.number),
                "It is deleted; procurement will not see it.".to_string(),
            ];
            if self.withdrawing.in_flight() {
                lines.push("… Withdrawing, please wait".into());
            }
            confirm::render(frame, area, "Withdraw", &lines, &self.confirm_keys, theme);
        }
    }
}

fn status_style(status: ServiceOrderStatus, theme: &Theme) -> ratatui::style::Style {
    match status {
        ServiceOrderStatus::Pending => theme.warn,
        ServiceOrderStatus::Approved | ServiceOrderStatus::Fulfilled => theme.ok,
        ServiceOrderStatus::Rejected => theme.error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Role;
    use crate::screens::ScreenMsg;
    use crate::screens::testkit::{Harness, live_change, service_order, toasts};

    fn detail(n: u128, status: ServiceOrderStatus) -> Box<ServiceOrderView> {
        Box::new(ServiceOrderView {
            summary: service_order(n, status),
            requested_by_id: Uuid::nil(),
            notes: None,
            internal_notes: None,
            lines: Vec::new(),
        })
    }

    fn is_mine(r: &crate::msg::ServiceRequest) -> bool {
        matches!(
            r.kind,
            Request::ServiceOrders {
                scope: ServiceOrderScope::Mine,
                ..
            }
        )
    }

    #[test]
    fn a_decision_elsewhere_reloads_the_list_keeps_the_selection_and_re_reads_its_detail() {
        let p = ServiceOrderStatus::Pending;
        let mut h = Harness::new(Role::ServiceDepartment);
        let (mut s, load) = h.open(MyServiceOrdersScreen::open);
        let list = vec![service_order(1, p), service_order(2, p)];
        let (reqs, _) = h.reply(&mut s, &load[0], Ok(Reply::ServiceOrders(list)));
        h.reply(&mut s, &reqs[0], Ok(Reply::ServiceOrder(detail(1, p))));
        let (reqs, _) = h.act(&mut s, Action::Down);
        h.reply(&mut s, &reqs[0], Ok(Reply::ServiceOrder(detail(2, p))));
        h.act(&mut s, Action::Withdraw);
        assert_eq!(s.key_contexts(), vec![KeyContext::Confirm]);
        let build = live_change(Entity::Task, Uuid::from_u128(5), Some(Uuid::from_u128(5)));
        assert!(h.send(&mut s, ScreenMsg::Live(build)).0.is_empty());
        let ev = live_change(Entity::ServiceOrder, Uuid::from_u128(2), None);
        let (reqs, _) = h.send(&mut s, ScreenMsg::Live(ev));
        assert_eq!(reqs.len(), 1);
        assert!(is_mine(&reqs[0]));
        let approved = vec![
            service_order(3, p),
            service_order(1, p),
            service_order(2, ServiceOrderStatus::Approved),
        ];
        let (reqs, effects) = h.reply(&mut s, &reqs[0], Ok(Reply::ServiceOrders(approved)));
        assert_eq!(s.selected().map(|o| o.id), Some(Uuid::from_u128(2)));
        assert_eq!(
            toasts(&effects),
            vec![format!(
                "Service order {} approved by Luis Ortega at station ASM-2",
                crate::domain::service_order::number(Uuid::from_u128(2))
            )]
        );
        assert_eq!(
            s.key_contexts(),
            vec![KeyContext::Confirm],
            "the question stays"
        );
        assert_eq!(
            s.detail().map(|d| d.summary.status),
            Some(p),
            "the detail shown stays until its new version arrives"
        );
        assert_eq!(reqs.len(), 1);
        assert!(
            matches!(reqs[0].kind, Request::ServiceOrder { id, .. } if id == Uuid::from_u128(2))
        );
        h.reply(
            &mut s,
            &reqs[0],
            Ok(Reply::ServiceOrder(detail(2, ServiceOrderStatus::Approved))),
        );
        assert_eq!(
            s.detail().map(|d| d.summary.status),
            Some(ServiceOrderStatus::Approved)
        );
    }

    #[test]
    fn a_resync_reloads_the_list() {
        let mut h = Harness::new(Role::ServiceDepartment);
        let (mut s, load) = h.open(MyServiceOrdersScreen::open);
        h.reply(&mut s, &load[0], Ok(Reply::ServiceOrders(vec![])));
        let (reqs, _) = h.send(
            &mut s,
            ScreenMsg::Live(crate::domain::live::LiveEvent::resync()),
        );
        assert_eq!(reqs.len(), 1);
        assert!(is_mine(&reqs[0]));
    }
}
