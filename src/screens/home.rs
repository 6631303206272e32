//! The home screen: a greeting and the menu of the screens the user's role has.

use crate::domain::Role;
use crate::domain::user::UserSummary;
use crate::keymap::{Action, KeyContext};
use crate::msg::{Command, ServiceReply};
use crate::screens::Screen;
use crate::screens::{Ctx, Effect, HomeEntry, ScreenId, home_entries};
use crate::theme::Theme;
use crate::widgets::viewport::Viewport;
use crate::widgets::{panel, row};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub struct HomeScreen {
    full_name: String,
    role: Role,
    entries: Vec<HomeEntry>,
    selected: usize,
    /// The entries shown when the menu is taller than the screen (an administrator's at 80x24).
    viewport: Viewport,
}

impl HomeScreen {
    pub fn new(user: &UserSummary) -> HomeScreen {
        HomeScreen {
            full_name: user.full_name.clone(),
            role: user.role,
            entries: home_entries(user.role),
            selected: 0,
            viewport: Viewport::default(),
        }
    }

    pub fn entries(&self) -> &[HomeEntry] {
        &self.entries
    }

    /// Where the selected entry leads; the shell keeps it so the menu comes back where it was.
    pub fn selected_target(&self) -> Option<ScreenId> {
        self.entries.get(self.selected).map(|e| e.target)
    }

    /// Selects the entry leading to `target`, if the menu has one.
    pub fn select_target(&mut self, target: ScreenId) {
        if let Some(i) = self.entries.iter().position(|e| e.target == target) {
            self.selected = i;
        }
    }
}

impl Screen for HomeScreen {
    fn title(&self) -> &'static str {
        "Home"
    }

    fn key_contexts(&self) -> Vec<KeyContext> {
        vec![KeyContext::Home, KeyContext::List]
    }

    fn on_action(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        let last = self.entries.len().saturating_sub(1);
        match action {
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => self.selected = (self.selected + 1).min(last),
            Action::First | Action::PageUp => self.selected = 0,
            Action::Last | Action::PageDown => self.selected = last,
            Action::Open => {
                if let Some(e) = self.entries.get(self.selected) {
                    ctx.emit(Effect::Navigate(e.target));
                }
            }
            _ => {}
        }
        Command::None
    }

    /// The menu asks for nothing.
    fn on_reply(&mut self, _reply: ServiceReply, _ctx: &mut Ctx) -> Command {
        Command::None
    }

    fn view(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let greeting = Line::from(vec![
            Span::styled("Welcome, ", theme.base),
            Span::styled(self.full_name.clone(), theme.title),
        ]);
        let role = Line::from(Span::styled(
            format!("Signed in as {}.", self.role.title()),
            theme.muted,
        ));
        let inset = Rect::new(
            area.x.saturating_add(2).min(area.right()),
            area.y,
            area.width.saturating_sub(4),
            area.height,
        );
        frame.render_widget(Paragraph::new(greeting), row(inset, 1));
        frame.render_widget(Paragraph::new(role), row(inset, 2));

        let rows = u16::try_from(self.entries.len()).unwrap_or(u16::MAX);
        let menu_h = rows.saturating_add(2).min(inset.height.saturating_sub(4));
        let menu_area = Rect::new(
            inset.x,
            inset.y.saturating_add(4),
            inset.width.min(76),
            menu_h,
        );
        let inner_h = usize::from(menu_h.saturating_sub(2));
        let shown = self
            .viewport
            .follow(Some(self.selected), self.entries.len(), inner_h);
        let above = shown.start;
        let below = self.entries.len().saturating_sub(shown.end);
        let title = match (above, below) {
            (0, 0) => "Menu".to_string(),
            (0, b) => format!("Menu · ↓ {b} more"),
            (a, 0) => format!("Menu · ↑ {a} more"),
            (a, b) => format!("Menu · ↑ {a} · ↓ {b} more"),
        };
        let block = panel(&title, theme).padding(ratatui::widgets::Padding::horizontal(1));
        let inner = block.inner(menu_area);
        frame.render_widget(block, menu_area);
        let label_w = self
            .entries
            .iter()
            .map(|e| e.label.chars().count())
            .max()
            .unwrap_or(0);
        for (i, entry) in self
            .entries
            .iter()
            .enumerate()
            .take(shown.end)
            .skip(shown.start)
        {
            let selected = i == self.selected;
            let marker = if selected { "▶ " } else { "  " };
            let style = if selected { theme.selected } else { theme.base };
            let line = Line::from(vec![
                Span::styled(format!("{marker}{:<label_w$}  ", entry.label), style),
                Span::styled(
                    entry.description,
                    if selected {
                        theme.selected
                    } else {
                        theme.muted
                    },
                ),
            ]);
            let r = row(inner, u16::try_from(i - shown.start).unwrap_or(u16::MAX));
            frame.render_widget(Paragraph::new(line).style(style), r);
        }
    }
}
