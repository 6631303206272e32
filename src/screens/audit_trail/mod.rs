//! The audit trail on screen (docs/audit.md §6): a build's history of changes and the administrator's
//! audit log. Both page through audit rows newest first by `seq` (PageDown older, PageUp newer), and
//! open one row with its full images; that core lives here, the two screens beside it.

pub mod audit_log;
pub mod build_history;

use crate::domain::audit_trail::{self, AuditEntry, AuditPage};
use crate::domain::clock;
use crate::keymap::Action;
use crate::screens::selection;
use crate::theme::Theme;
use crate::widgets::{Scroll, fit_text, record_page};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

pub use audit_log::AuditLogScreen;
pub use build_history::BuildHistoryScreen;

/// What [`Pager::answer`] did with a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paged {
    /// Answered; nothing to read.
    Done,
    /// Read the page before this cursor (`None`: the newest).
    Load(Option<i64>),
    /// Not one of the shared keys: the screen's own.
    Other,
}

/// Keyset paging through audit rows: the `before` of every page on the way to the one shown (`None`
/// is the newest page), the rows shown, and which is selected.
#[derive(Debug, Clone, Default)]
pub struct Pager {
    /// The cursors of the pages from the newest to the one shown.
    cursors: Vec<Option<i64>>,
    pub entries: Vec<AuditEntry>,
    pub more: bool,
    pub selected: usize,
    /// Nothing was received yet.
    pub loaded: bool,
}

impl Pager {
    /// The newest page: the cursor to ask for.
    pub fn first(&mut self) -> Option<i64> {
        self.cursors = vec![None];
        None
    }

    /// The cursor of the page shown (to load it again).
    pub fn current(&self) -> Option<i64> {
        self.cursors.last().copied().flatten()
    }

    /// The page shown, counted from 1.
    pub fn number(&self) -> usize {
        self.cursors.len().max(1)
    }

    /// The next older page's cursor, when there is one.
    pub fn older(&mut self) -> Option<Option<i64>> {
        if !self.more {
            return None;
        }
        let last = self.entries.last()?.seq;
        self.cursors.push(Some(last));
        Some(Some(last))
    }

    /// The next newer page's cursor, when this is not the newest.
    pub fn newer(&mut self) -> Option<Option<i64>> {
        if self.cursors.len() <= 1 {
            return None;
        }
        self.cursors.pop();
        Some(self.current())
    }

    /// A page arrived.
    pub fn show(&mut self, page: AuditPage) {
        if self.cursors.is_empty() {
            self.cursors.push(None);
        }
        self.entries = page.entries;
        self.more = page.more;
        self.selected = self.selected.min(self.entries.len().saturating_sub(1));
        self.loaded = true;
    }

    /// Moves the selection on a list key; false when `action` is not one.
    pub fn step(&mut self, action: Action) -> bool {
        if !selection::moves(action) {
            return false;
        }
        self.selected = selection::moved(self.selected, self.entries.len(), action);
        true
    }

    pub fn selected_entry(&self) -> Option<&AuditEntry> {
        self.entries.get(self.selected)
    }

    /// The keys the history and the audit log answer alike: an open row (Back closes it, other keys
    /// scroll it), the list keys, Open, Refresh and the older and newer pages.
    pub fn answer(&mut self, detail: &mut Option<EntryDetail>, action: Action) -> Paged {
        if let Some(d) = detail {
            if action == Action::Back {
                *detail = None;
            } else {
                d.scroll.apply(action);
            }
            return Paged::Done;
        }
        if self.step(action) {
            return Paged::Done;
        }
        let before = match action {
            Action::Refresh => return Paged::Load(self.current()),
            Action::OlderPage => self.older(),
            Action::NewerPage => self.newer(),
            Action::Open => {
                if let Some(e) = self.selected_entry() {
                    *detail = Some(EntryDetail::new(e.clone()));
                }
                return Paged::Done;
            }
            _ => return Paged::Other,
        };
        match before {
            Some(before) => {
                self.selected = 0;
                Paged::Load(before)
            }
            None => Paged::Done,
        }
    }

    /// "Page 2 · rows 26-50 · older rows: PgDn".
    pub fn position(&self, page_size: usize) -> String {
        let n = self.entries.len();
        let start = (self.number() - 1) * page_size;
        let rows = if n == 0 {
            "no rows".to_string()
        } else {
            format!("rows {}-{}", start + 1, start + n)
        };
        let more = if self.more {
            " · older rows: PgDn"
        } else {
            " · oldest row reached"
        };
        let newer = if self.number() > 1 {
            " · newer: PgUp"
        } else {
            ""
        };
        format!("Page {} · {rows}{more}{newer}", self.number())
    }
}

/// The time of a row as the app shows times: local, to the second.
pub fn time_text(e: &AuditEntry) -> String {
    clock::local_second(e.at)
}

/// One audit row opened: its header and both images, every field on its own line.
pub struct EntryDetail {
    pub entry: AuditEntry,
    pub scroll: Scroll,
}

impl EntryDetail {
    pub fn new(entry: AuditEntry) -> EntryDetail {
        EntryDetail {
            entry,
            scroll: Scroll::default(),
        }
    }

    pub fn view(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let e = &self.entry;
        let title = format!("Audit row {} (read-only)", e.seq);
        record_page(
            frame,
            area,
            &title,
            false,
            None,
            &mut self.scroll,
            theme,
            |width| {
                let mut top = vec![
                    Line::from(fit_text(
                        &format!(
                            "{} · {} · {} · {}",
                            time_text(e),
                            audit_trail::who(e),
                            audit_trail::station(e),
                            audit_trail::action_label(e)
                        ),
                        width,
                    )),
                    Line::from(fit_text(
                        &format!(
                            "{} · {} {}",
                            audit_trail::record_name(e),
                            audit_trail::table_label(e),
                            crate::text::strip_forbidden(&e.entity)
                        ),
                        width,
                    )),
                ];
                let changes = audit_trail::changes(e);
                top.push(Line::from(Span::styled(
                    if changes.is_empty() {
                        "No field changed".to_string()
                    } else {
                        format!("{} field(s) changed, marked ●", changes.len())
                    },
                    theme.muted,
                )));
                let mut body = Vec::new();
                for (label, image) in [("Before", &e.old), ("After", &e.new)] {
                    body.push(Line::from(Span::styled(format!("{label}:"), theme.heading)));
                    match image.as_ref().and_then(|v| v.as_object()) {
                        None => body.push(Line::from(Span::styled("  (none)", theme.muted))),
                        Some(map) => {
                            for (k, v) in map {
                                let changed = changes.iter().any(|c| &c.field == k);
                                let text =
                                    audit_trail::value_text(Some(v)).unwrap_or_else(|| "—".into());
                                body.push(Line::from(vec![
                                    Span::styled(
                                        if changed { "● " } else { "  " },
                                        if changed { theme.warn } else { theme.base },
                                    ),
                                    Span::styled(
                                        fit_text(
                                            &format!("{}: {text}", crate::text::strip_forbidden(k)),
                                            width.saturating_sub(2),
                                        ),
                                        theme.base,
                                    ),
                                ]));
                            }
                        }
                    }
                }
                (top, body)
            },
        );
    }
}

/// The panel of a list that has not arrived (or failed).
pub fn draw_waiting(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    error: Option<&str>,
    theme: &Theme,
) {
    crate::widgets::loading_page(frame, area, title, error, "… Loading the audit rows", theme);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(seq: i64) -> AuditEntry {
        AuditEntry {
            seq,
            at: chrono::NaiveDateTime::default(),
            user_id: None,
            user_name: None,
            station: None,
            action: "UPDATE".into(),
            table: "Task".into(),
            entity: "t".into(),
            old: None,
            new: None,
            bom_version: None,
        }
    }

    #[test]
    fn pages_go_older_by_the_last_seq_and_back() {
        let mut p = Pager::default();
        assert_eq!(p.first(), None);
        p.show(AuditPage {
            entries: vec![entry(30), entry(29)],
            more: true,
        });
        assert_eq!(p.newer(), None, "the newest page has nothing newer");
        assert_eq!(p.older(), Some(Some(29)));
        p.show(AuditPage {
            entries: vec![entry(28)],
            more: false,
        });
        assert_eq!(p.number(), 2);
        assert_eq!(p.older(), None, "the oldest page has nothing older");
        assert_eq!(
            p.position(2),
            "Page 2 · rows 3-3 · oldest row reached · newer: PgUp"
        );
        assert_eq!(p.newer(), Some(None));
        assert_eq!(p.number(), 1);
    }
}
