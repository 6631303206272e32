//! The user's notifications: read them, mark them read, open the build one is about.

use crate::domain::Role;
use crate::domain::clock;
use crate::domain::live::LiveEvent;
use crate::domain::notification::{Notification, Priority, Related};
use crate::keymap::{Action, KeyContext};
use crate::msg::{Command, Reply, Request, RequestId, ServiceReply};
use crate::screens::Screen;
use crate::screens::live_load::LiveLoad;
use crate::screens::live_reads::LiveReads;
use crate::screens::pending::Pending;
use crate::screens::{Ctx, Effect, ScreenId};
use crate::theme::Theme;
use crate::widgets::list_cursor::{ListCursor, shown};
use crate::widgets::panel;
use crate::widgets::step_selection;
use crate::widgets::toast::Toast;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::layout::{Constraint, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::{HighlightSpacing, List, ListItem, Paragraph};
use std::collections::HashSet;
use uuid::Uuid;

/// Items one PageUp/PageDown moves (each item takes two rows).
const PAGE: usize = 5;
/// The rows one notification takes: its title line and its message line.
const ITEM_ROWS: usize = 2;

/// The screen a notification opens: the build, or the service order (the requester's own list for the
/// service department, who has no single-order screen).
fn target(related: Related, role: Option<Role>) -> Option<ScreenId> {
    match (related, role) {
        (Related::Build(id), _) => Some(ScreenId::OrderDetail(id)),
        (Related::ServiceOrder(_), Some(Role::ServiceDepartment)) => {
            Some(ScreenId::MyServiceOrders)
        }
        (Related::ServiceOrder(id), Some(_)) => Some(ScreenId::ServiceOrder(id)),
        (Related::ServiceOrder(_), None) => None,
    }
}

pub struct NotificationsScreen {
    items: Vec<Notification>,
    list: ListCursor,
    /// The unread among `items`, kept as they arrive and are marked (docs/performance.md §1.9).
    unread: usize,
    loading: Pending,
    /// Mark-read requests in flight, with the notifications each covers.
    marking: Vec<(RequestId, Vec<Uuid>)>,
    error: Option<String>,
    /// Re-reads after another station's change (docs/live.md §3.4).
    live: LiveReads,
}

impl NotificationsScreen {
    pub fn open(ctx: &mut Ctx) -> (NotificationsScreen, Command) {
        let mut s = NotificationsScreen {
            items: Vec::new(),
            list: ListCursor::default(),
            unread: 0,
            loading: Pending::new(),
            marking: Vec::new(),
            error: None,
            live: LiveReads::default(),
        };
        let cmd = s.reload(ctx);
        (s, cmd)
    }

    pub fn items(&self) -> &[Notification] {
        &self.items
    }

    pub fn unread(&self) -> i64 {
        i64::try_from(self.unread).unwrap_or(i64::MAX)
    }

    fn reload(&mut self, ctx: &mut Ctx) -> Command {
        self.refresh(ctx)
    }

    fn mark(&mut self, ids: Vec<Uuid>, ctx: &mut Ctx) -> Command {
        let Some(token) = ctx.token() else {
            return Command::None;
        };
        let (id, cmd) = ctx.request(Request::MarkNotificationsRead {
            token,
            ids: ids.clone(),
        });
        self.marking.push((id, ids));
        cmd
    }
}

impl Screen for NotificationsScreen {
    fn title(&self) -> &'static str {
        "Notifications"
    }

    fn key_contexts(&self) -> Vec<KeyContext> {
        vec![KeyContext::Notifications, KeyContext::List]
    }

    fn on_action(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        let n = self.items.len();
        let cur = self.list.selected().unwrap_or(0);
        if step_selection(
            self.list.selected(),
            |i| self.list.select(i),
            action,
            n,
            PAGE,
        ) {
            return Command::None;
        }
        match action {
            Action::Back => ctx.emit(Effect::Navigate(ScreenId::Home)),
            Action::Refresh => return self.reload(ctx),
            Action::MarkRead => {
                if let Some(item) = self.items.get(cur).filter(|i| !i.is_read) {
                    let id = item.id;
                    return self.mark(vec![id], ctx);
                }
            }
            Action::OpenNotification => {
                let Some(item) = self.items.get(cur) else {
                    return Command::None;
                };
                let (id, unread, related) = (item.id, !item.is_read, item.related);
                let cmd = if unread {
                    self.mark(vec![id], ctx)
                } else {
                    Command::None
                };
                let role = ctx.session().map(|s| s.user.role);
                if let Some(target) = related.and_then(|r| target(r, role)) {
                    // The mark's reply reaches the next screen, which ignores it; count it read now.
                    if unread {
                        ctx.emit(Effect::Unread((self.unread() - 1).max(0)));
                    }
                    ctx.emit(Effect::Navigate(target));
                }
                return cmd;
            }
            Action::MarkAllRead => {
                let ids: Vec<Uuid> = self
                    .items
                    .iter()
                    .filter(|i| !i.is_read)
                    .map(|i| i.id)
                    .collect();
                if ids.is_empty() {
                    ctx.toast(Toast::info("No unread notifications"));
                } else {
                    return self.mark(ids, ctx);
                }
            }
            _ => {}
        }
        Command::None
    }

    fn on_reply(&mut self, reply: ServiceReply, ctx: &mut Ctx) -> Command {
        let live = self.live_answered(reply.id).is_some();
        if self.loading.answered_by(reply.id) {
            match reply.result {
                Ok(Reply::Notifications(items)) => {
                    self.error = None;
                    // A reload may sort the list anew (docs/alerts.md §1.2), and newer ones arrive above:
                    // the selection stays on its notification while that is still listed.
                    let kept = self
                        .list
                        .selected()
                        .and_then(|i| self.items.get(i))
                        .map(|n| n.id);
                    self.items = items;
                    self.unread = self.items.iter().filter(|n| !n.is_read).count();
                    let sel = kept
                        .and_then(|id| self.items.iter().position(|n| n.id == id))
                        .or(self.list.selected())
                        .unwrap_or(0);
                    self.list.select(if self.items.is_empty() {
                        None
                    } else {
                        Some(sel.min(self.items.len() - 1))
                    });
                    ctx.emit(Effect::Unread(self.unread()));
                }
                Ok(_) => {}
                Err(e) => self.error = Some(e.user_message()),
            }
            return self.live_next(ctx);
        }
        if live {
            // A re-read that a refresh superseded: the gathered events go out now.
            return self.live_next(ctx);
        }
        let Some(pos) = self.marking.iter().position(|(id, _)| *id == reply.id) else {
            return Command::None;
        };
        let (_, ids) = self.marking.remove(pos);
        match reply.result {
            Ok(_) => {
                let ids: HashSet<Uuid> = ids.into_iter().collect();
                for item in self.items.iter_mut().filter(|i| ids.contains(&i.id)) {
                    if !item.is_read {
                        item.is_read = true;
                        self.unread = self.unread.saturating_sub(1);
                    }
                }
                ctx.emit(Effect::Unread(self.unread()));
            }
            Err(e) => ctx.toast(Toast::error(e.user_message())),
        }
        Command::None
    }

    /// A notification of this user's arrived, changed or went (docs/live.md §3.4).
    fn on_live(&mut self, ev: &LiveEvent, ctx: &mut Ctx) -> Command {
        match ctx.session().map(|s| s.user.id) {
            Some(me) if ev.notifies(me) => self.live_want(ev.by_line(), ctx),
            _ => Command::None,
        }
    }

    fn view(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let info_h = 1.min(area.height);
        let [list_area, info_area] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(info_h)]).areas(area);
        let title = if self.loading.in_flight() {
            "Notifications (loading…)"
        } else {
            "Notifications"
        };
        let block = panel(title, theme);
        let text_w = usize::from(block.inner(list_area).width.saturating_sub(4));
        let height = usize::from(block.inner(list_area).height) / ITEM_ROWS;
        let range = self.list.window(self.items.len(), height);
        let items: Vec<ListItem> = shown(&self.items, &range)
            .iter()
            .map(|n| {
                let (marker, title_style) = if n.is_read {
                    ("  ", theme.base)
                } else {
                    ("● ", theme.unread)
                };
                let mut first = vec![
                    Span::styled(marker, theme.unread),
                    Span::styled(clock::local_minute(n.created_at), theme.muted),
                    Span::raw("  "),
                ];
                // The priority as a word before the title, so a mono render reads the same
                // (docs/alerts.md §1.3); INFO shows none.
                let priority_style = match n.priority {
                    Priority::Info => None,
                    Priority::Warning => Some(theme.warn),
                    Priority::Urgent => Some(theme.error),
                };
                if let Some(style) = priority_style {
                    first.push(Span::styled(n.priority.label(), style));
                    first.push(Span::raw(" "));
                }
                first.push(Span::styled(n.title.clone(), title_style));
                let first = Line::from(first);
                let message: String = n.message.chars().take(text_w).collect();
                let second = Line::from(Span::styled(format!("  {message}"), theme.muted));
                ListItem::new(vec![first, second])
            })
            .collect();
        let list = List::new(items)
            .block(block)
            .highlight_style(theme.selected)
            .highlight_symbol("▶ ")
            .highlight_spacing(HighlightSpacing::Always);
        frame.render_stateful_widget(list, list_area, &mut self.list.list_state(&range));
        if self.items.is_empty() && !self.loading.in_flight() && self.error.is_none() {
            let inner = panel("", theme).inner(list_area);
            let r = Rect::new(
                inner.x + 2.min(inner.width),
                inner.y,
                inner.width.saturating_sub(2),
                inner.height.min(1),
            );
            frame.render_widget(
                Paragraph::new(Span::styled("No notifications.", theme.muted)),
                r,
            );
        }
        let info = if let Some(e) = &self.error {
            Line::from(Span::styled(format!(" ERROR: {e}"), theme.error))
        } else {
            let mut text = format!(" {} unread of {}", self.unread(), self.items.len());
            match self
                .list
                .selected()
                .and_then(|i| self.items.get(i))
                .and_then(|n| n.related)
            {
                Some(Related::Build(_)) => text.push_str(" · Enter opens the build"),
                Some(Related::ServiceOrder(_)) => text.push_str(" · Enter opens the service order"),
                None => {}
            }
            Line::from(Span::styled(text, theme.muted))
        };
        frame.render_widget(Paragraph::new(info), info_area);
    }
}

impl LiveLoad for NotificationsScreen {
    fn live_reads(&mut self) -> &mut LiveReads {
        &mut self.live
    }

    fn send_load(&mut self, ctx: &mut Ctx) -> Option<(RequestId, Command)> {
        let token = ctx.token()?;
        let (id, cmd) = ctx.request(Request::Notifications { token });
        self.loading.wait(id);
        Some((id, cmd))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_service_order_notification_opens_the_order_or_the_requesters_list() {
        let id = Uuid::from_u128(7);
        assert_eq!(
            target(Related::ServiceOrder(id), Some(Role::ProcurementSpecialist)),
            Some(ScreenId::ServiceOrder(id))
        );
        assert_eq!(
            target(Related::ServiceOrder(id), Some(Role::ServiceDepartment)),
            Some(ScreenId::MyServiceOrders)
        );
        assert_eq!(
            target(Related::Build(id), Some(Role::Assembler)),
            Some(ScreenId::OrderDetail(id))
        );
    }
    use crate::domain::Role;
    use crate::screens::testkit::Harness;

    fn note(n: u128, read: bool, related: Option<Uuid>) -> Notification {
        Notification {
            id: Uuid::from_u128(n),
            title: "Order Status Updated".into(),
            message: "Order 4500012-24-0117 status changed to READY_FOR_FINAL_QC".into(),
            kind: "ORDER_STATUS_CHANGE".into(),
            is_read: read,
            created_at: chrono::NaiveDateTime::default(),
            related: related.map(Related::Build),
            priority: Priority::Info,
        }
    }

    #[test]
    fn enter_marks_read_and_opens_the_related_build() {
        let mut h = Harness::new(Role::QcPerson);
        let order = Uuid::from_u128(77);
        let (mut s, load) = h.open(NotificationsScreen::open);
        let list = vec![note(1, false, Some(order)), note(2, false, None)];
        h.reply(&mut s, &load[0], Ok(Reply::Notifications(list)));

        let (reqs, effects) = h.act(&mut s, Action::OpenNotification);
        assert!(matches!(
            &reqs[0].kind,
            Request::MarkNotificationsRead { ids, .. } if ids == &vec![Uuid::from_u128(1)]
        ));
        assert!(effects.contains(&Effect::Navigate(ScreenId::OrderDetail(order))));
        assert!(effects.contains(&Effect::Unread(1)));

        // Without a related build, Enter only marks the notification read.
        let (_, effects) = h.act(&mut s, Action::Down);
        assert!(effects.is_empty());
        let (reqs, effects) = h.act(&mut s, Action::OpenNotification);
        assert_eq!(reqs.len(), 1);
        assert!(effects.is_empty());
    }

    #[test]
    fn a_notification_for_this_user_reloads_the_list_and_the_selection_stays_on_its_notification() {
        use crate::domain::live::Entity;
        use crate::screens::ScreenMsg;
        use crate::screens::testkit::live_change;
        let mut h = Harness::new(Role::Assembler);
        let me = h.session.user.id;
        let (mut s, load) = h.open(NotificationsScreen::open);
        let list = vec![
            note(1, false, None),
            note(2, false, None),
            note(3, true, None),
        ];
        h.reply(&mut s, &load[0], Ok(Reply::Notifications(list)));
        h.act(&mut s, Action::Down);
        // Someone else's notification: nothing to read.
        let other = live_change(
            Entity::Notification,
            Uuid::from_u128(9),
            Some(Uuid::from_u128(5)),
        );
        let (reqs, _) = h.send(&mut s, ScreenMsg::Live(other));
        assert!(reqs.is_empty());
        // A build changed: not this screen's.
        let build = live_change(Entity::Build, Uuid::from_u128(5), Some(Uuid::from_u128(5)));
        assert!(h.send(&mut s, ScreenMsg::Live(build)).0.is_empty());
        // One for this user: the list is read again, one request at a time.
        let mine = live_change(Entity::Notification, Uuid::from_u128(4), Some(me));
        let (reqs, _) = h.send(&mut s, ScreenMsg::Live(mine.clone()));
        assert_eq!(reqs.len(), 1);
        assert!(matches!(reqs[0].kind, Request::Notifications { .. }));
        assert!(
            h.send(&mut s, ScreenMsg::Live(mine)).0.is_empty(),
            "one on its way"
        );
        let newer = vec![
            note(4, false, None),
            note(1, false, None),
            note(2, false, None),
            note(3, true, None),
        ];
        let (next, effects) = h.reply(&mut s, &reqs[0], Ok(Reply::Notifications(newer)));
        assert_eq!(s.items().len(), 4);
        assert_eq!(
            s.list
                .selected()
                .and_then(|i| s.items().get(i))
                .map(|n| n.id),
            Some(Uuid::from_u128(2)),
            "the selection stays on its notification"
        );
        assert!(effects.contains(&Effect::Unread(3)));
        // The event gathered meanwhile goes out now.
        assert_eq!(next.len(), 1);
        assert!(matches!(next[0].kind, Request::Notifications { .. }));
    }

    #[test]
    fn a_resync_reloads_the_notifications() {
        use crate::domain::live::LiveEvent;
        use crate::screens::ScreenMsg;
        let mut h = Harness::new(Role::QcPerson);
        let (mut s, load) = h.open(NotificationsScreen::open);
        h.reply(&mut s, &load[0], Ok(Reply::Notifications(vec![])));
        let (reqs, _) = h.send(&mut s, ScreenMsg::Live(LiveEvent::resync()));
        assert_eq!(reqs.len(), 1);
        assert!(matches!(reqs[0].kind, Request::Notifications { .. }));
    }

    #[test]
    fn a_reload_keeps_the_cursor_on_its_notification_when_the_order_changes() {
        let mut h = Harness::new(Role::ProductionCoordinator);
        let (mut s, load) = h.open(NotificationsScreen::open);
        let first = vec![
            note(1, false, None),
            note(2, false, None),
            note(3, true, None),
        ];
        h.reply(&mut s, &load[0], Ok(Reply::Notifications(first)));
        h.act(&mut s, Action::Down);
        assert_eq!(s.list.selected(), Some(1));

        // An alert arrives on top: the cursor follows notification 2 down.
        let (reqs, _) = h.act(&mut s, Action::Refresh);
        let mut urgent = note(9, false, None);
        urgent.priority = Priority::Urgent;
        let second = vec![
            urgent,
            note(1, false, None),
            note(2, false, None),
            note(3, true, None),
        ];
        h.reply(&mut s, &reqs[0], Ok(Reply::Notifications(second)));
        assert_eq!(s.list.selected(), Some(2));

        // Its notification gone, the cursor keeps its place within the list.
        let (reqs, _) = h.act(&mut s, Action::Refresh);
        h.reply(
            &mut s,
            &reqs[0],
            Ok(Reply::Notifications(vec![note(1, false, None)])),
        );
        assert_eq!(s.list.selected(), Some(0));
    }
}
