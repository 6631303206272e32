//! The status bar: station │ user │ role │ database │ unread notifications.

use crate::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// What the last database reply said about the connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DbStatus {
    /// The runtime starts the app only once the database is connected and migrated, so this is the start.
    #[default]
    Ok,
    Offline,
    /// The last request timed out: the database is up but frozen (README, *Configuration*).
    NotAnswering,
}

impl DbStatus {
    pub fn label(self) -> &'static str {
        match self {
            DbStatus::Ok => "DB ok",
            DbStatus::Offline => "DB offline",
            DbStatus::NotAnswering => "DB not answering",
        }
    }
}

pub struct StatusInfo<'a> {
    pub station: &'a str,
    /// Full name and username of the logged-in user.
    pub user: Option<(&'a str, &'a str)>,
    pub role: Option<&'a str>,
    pub db: DbStatus,
    pub database: &'a str,
    pub unread: Option<i64>,
    pub locked: bool,
    /// The station's live-events link is down: what is shown may be stale until it is back
    /// (docs/live.md §2.3).
    pub live_paused: bool,
}

/// The segment shown while the live-events link is down.
pub const LIVE_PAUSED: &str = "live updates paused";

/// The segments in order; `detail` 0 is everything, higher values drop the least useful parts first
/// (the database label, then the role title) so narrow terminals keep what matters.
fn segments(info: &StatusInfo, detail: u8) -> Vec<String> {
    let mut out = vec![info.station.to_string()];
    out.push(match info.user {
        Some((name, username)) => format!("{name} ({username})"),
        None => "not logged in".to_string(),
    });
    if let Some(role) = info.role.filter(|_| detail < 2) {
        out.push(role.to_string());
    }
    if info.locked {
        out.push("LOCKED".to_string());
    }
    out.push(if detail < 1 {
        format!("{} ({})", info.db.label(), info.database)
    } else {
        info.db.label().to_string()
    });
    if info.live_paused {
        out.push(LIVE_PAUSED.to_string());
    }
    if let Some(n) = info.unread {
        out.push(format!("{n} unread"));
    }
    out
}

const SEP: &str = " │ ";

pub fn render(frame: &mut Frame, area: Rect, info: &StatusInfo, theme: &Theme) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let width = |segs: &[String]| {
        1 + segs.iter().map(|s| s.chars().count()).sum::<usize>()
            + SEP.chars().count() * segs.len().saturating_sub(1)
    };
    let segs = (0..=2)
        .map(|d| segments(info, d))
        .find(|segs| width(segs) <= usize::from(area.width))
        .unwrap_or_else(|| segments(info, 2));
    let mut spans = vec![Span::styled(" ", theme.status)];
    for (i, seg) in segs.into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(SEP, theme.status));
        }
        // Offline, not answering and locked are the states someone must notice.
        let style = if seg == "LOCKED"
            || seg == LIVE_PAUSED
            || seg.starts_with(DbStatus::Offline.label())
            || seg.starts_with(DbStatus::NotAnswering.label())
        {
            theme.status.add_modifier(Modifier::BOLD)
        } else {
            theme.status
        };
        spans.push(Span::styled(seg, style));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)).style(theme.status), area);
}
