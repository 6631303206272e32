//! The user's notifications: read them, mark them read.

use crate::domain::notification::Notification;
use crate::keymap::{Action, KeyContext};
use crate::msg::{Command, DbReply, Reply, Request, RequestId};
use crate::screens::{Ctx, Effect, ScreenId, ScreenMsg};
use crate::theme::Theme;
use crate::widgets::panel;
use crate::widgets::toast::Toast;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{HighlightSpacing, List, ListItem, ListState, Paragraph};
use uuid::Uuid;

/// Items one PageUp/PageDown moves (each item takes two rows).
const PAGE: usize = 5;

pub struct NotificationsScreen {
    items: Vec<Notification>,
    list: ListState,
    loading: Option<RequestId>,
    /// Mark-read requests in flight, with the notifications each covers.
    marking: Vec<(RequestId, Vec<Uuid>)>,
    error: Option<String>,
}

impl NotificationsScreen {
    pub fn open(ctx: &mut Ctx) -> (NotificationsScreen, Command) {
        let mut s = NotificationsScreen {
            items: Vec::new(),
            list: ListState::default(),
            loading: None,
            marking: Vec::new(),
            error: None,
        };
        let cmd = s.reload(ctx);
        (s, cmd)
    }

    pub fn items(&self) -> &[Notification] {
        &self.items
    }

    pub fn unread(&self) -> i64 {
        i64::try_from(self.items.iter().filter(|n| !n.is_read).count()).unwrap_or(i64::MAX)
    }

    pub fn key_contexts(&self) -> Vec<KeyContext> {
        vec![KeyContext::Notifications, KeyContext::List]
    }

    fn reload(&mut self, ctx: &mut Ctx) -> Command {
        let Some(token) = ctx.token() else {
            return Command::None;
        };
        let (id, cmd) = ctx.request(Request::Notifications { token });
        self.loading = Some(id);
        cmd
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

    pub fn update(&mut self, msg: ScreenMsg, ctx: &mut Ctx) -> Command {
        match msg {
            ScreenMsg::Action(action) => self.on_action(action, ctx),
            ScreenMsg::Db(reply) => self.on_reply(reply, ctx),
            ScreenMsg::Char(_) | ScreenMsg::Paste(_) | ScreenMsg::Tick(_) => Command::None,
        }
    }

    fn on_action(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        let n = self.items.len();
        let cur = self.list.selected().unwrap_or(0);
        match action {
            Action::Up if n > 0 => self.list.select(Some(cur.saturating_sub(1))),
            Action::Down if n > 0 => self.list.select(Some((cur + 1).min(n - 1))),
            Action::PageUp if n > 0 => self.list.select(Some(cur.saturating_sub(PAGE))),
            Action::PageDown if n > 0 => self.list.select(Some((cur + PAGE).min(n - 1))),
            Action::First if n > 0 => self.list.select(Some(0)),
            Action::Last if n > 0 => self.list.select(Some(n - 1)),
            Action::Back => ctx.emit(Effect::Navigate(ScreenId::Home)),
            Action::Refresh => return self.reload(ctx),
            Action::MarkRead => {
                if let Some(item) = self.items.get(cur).filter(|i| !i.is_read) {
                    let id = item.id;
                    return self.mark(vec![id], ctx);
                }
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

    fn on_reply(&mut self, reply: DbReply, ctx: &mut Ctx) -> Command {
        if self.loading == Some(reply.id) {
            self.loading = None;
            match reply.result {
                Ok(Reply::Notifications(items)) => {
                    self.error = None;
                    self.items = items;
                    let sel = self.list.selected().unwrap_or(0);
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
            return Command::None;
        }
        let Some(pos) = self.marking.iter().position(|(id, _)| *id == reply.id) else {
            return Command::None;
        };
        let (_, ids) = self.marking.remove(pos);
        match reply.result {
            Ok(_) => {
                for item in self.items.iter_mut().filter(|i| ids.contains(&i.id)) {
                    item.is_read = true;
                }
                ctx.emit(Effect::Unread(self.unread()));
            }
            Err(e) => ctx.toast(Toast::error(e.user_message())),
        }
        Command::None
    }

    pub fn view(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let info_h = 1.min(area.height);
        let list_area = Rect::new(area.x, area.y, area.width, area.height - info_h);
        let title = if self.loading.is_some() {
            "Notifications (loading…)"
        } else {
            "Notifications"
        };
        let block = panel(title, theme);
        let text_w = usize::from(block.inner(list_area).width.saturating_sub(4));
        let items: Vec<ListItem> = self
            .items
            .iter()
            .map(|n| {
                let (marker, title_style) = if n.is_read {
                    ("  ", theme.base)
                } else {
                    ("● ", theme.unread)
                };
                let first = Line::from(vec![
                    Span::styled(marker, theme.unread),
                    Span::styled(
                        n.created_at.format("%Y-%m-%d %H:%M").to_string(),
                        theme.muted,
                    ),
                    Span::raw("  "),
                    Span::styled(n.title.clone(), title_style),
                ]);
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
        frame.render_stateful_widget(list, list_area, &mut self.list);
        if self.items.is_empty() && self.loading.is_none() && self.error.is_none() {
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
            Line::from(Span::styled(
                format!(" {} unread of {}", self.unread(), self.items.len()),
                theme.muted,
            ))
        };
        frame.render_widget(
            Paragraph::new(info),
            Rect::new(area.x, list_area.bottom(), area.width, info_h),
        );
    }
}
