//! QC's list of open nonconformances, oldest first, a page at a time (docs/nonconformance.md §6).

use super::{state_style, utc};
use crate::domain::live::{Entity, LiveEvent};
use crate::domain::nonconformance::{NcPage, NcSummary, age_text};
use crate::keymap::{Action, KeyContext};
use crate::msg::RequestId;
use crate::msg::{Command, Reply, Request, ServiceReply};
use crate::screens::live_load::LiveLoad;
use crate::screens::live_reads::LiveReads;
use crate::screens::pending::Pending;
use crate::screens::{Ctx, Effect, Screen, ScreenId};
use crate::text::for_terminal;
use crate::theme::Theme;
use crate::widgets::{fit_text, inset, list_step, panel, rows, wrap};

/// Rows under the list for the selected NC: a rule, two for what it is, one for its description.
const DETAIL_ROWS: u16 = 4;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Rows one PageUp/PageDown moves.
const STEP: usize = 10;

pub struct NcListScreen {
    page: u32,
    data: Option<NcPage>,
    loading: Pending,
    error: Option<String>,
    selected: usize,
    /// Re-reads after another station's change (docs/live.md §3.4).
    live: LiveReads,
}

impl NcListScreen {
    pub fn open(ctx: &mut Ctx) -> (NcListScreen, Command) {
        let mut s = NcListScreen {
            page: 0,
            data: None,
            loading: Pending::new(),
            error: None,
            selected: 0,
            live: LiveReads::default(),
        };
        let cmd = s.reload(ctx);
        (s, cmd)
    }

    fn reload(&mut self, ctx: &mut Ctx) -> Command {
        self.refresh(ctx)
    }

    /// The NC the cursor is on.
    pub fn selected(&self) -> Option<&NcSummary> {
        self.data.as_ref().and_then(|d| d.rows.get(self.selected))
    }

    fn rows_len(&self) -> usize {
        self.data.as_ref().map_or(0, |d| d.rows.len())
    }
}

impl Screen for NcListScreen {
    fn title(&self) -> &'static str {
        "Open nonconformances"
    }

    fn key_contexts(&self) -> Vec<KeyContext> {
        vec![KeyContext::NcList, KeyContext::List]
    }

    fn on_action(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        if let Some(i) = list_step(action, self.selected, self.rows_len(), STEP) {
            self.selected = i;
            return Command::None;
        }
        match action {
            Action::Back => ctx.emit(Effect::Back(ScreenId::Home)),
            Action::Refresh => return self.reload(ctx),
            Action::Open => {
                let id = self
                    .data
                    .as_ref()
                    .and_then(|d| d.rows.get(self.selected))
                    .map(|r| r.id);
                if let Some(id) = id {
                    ctx.emit(Effect::Navigate(ScreenId::Nonconformance(id)));
                }
            }
            Action::NextPage => {
                let pages = self.data.as_ref().map_or(1, NcPage::pages);
                if self.page + 1 < pages {
                    self.page += 1;
                    self.selected = 0;
                    return self.reload(ctx);
                }
            }
            Action::PrevPage if self.page > 0 => {
                self.page -= 1;
                self.selected = 0;
                return self.reload(ctx);
            }
            _ => {}
        }
        Command::None
    }

    fn on_reply(&mut self, reply: ServiceReply, ctx: &mut Ctx) -> Command {
        self.live_answered(reply.id);
        if !self.loading.answered_by(reply.id) {
            return self.live_next(ctx);
        }
        match reply.result {
            Ok(Reply::Nonconformances(page)) => {
                self.error = None;
                // The selection stays on its NC when it is still on the page.
                let kept = self
                    .data
                    .as_ref()
                    .filter(|d| d.page == page.page)
                    .and_then(|d| d.rows.get(self.selected))
                    .and_then(|r| page.rows.iter().position(|x| x.id == r.id));
                self.page = page.page;
                self.selected = kept
                    .unwrap_or(self.selected)
                    .min(page.rows.len().saturating_sub(1));
                self.data = Some(page);
            }
            Ok(_) => {}
            Err(e) => self.error = Some(e.user_message()),
        }
        self.live_next(ctx)
    }

    /// Any NC may have been raised, dispositioned or closed (docs/live.md §3.4).
    fn on_live(&mut self, ev: &LiveEvent, ctx: &mut Ctx) -> Command {
        if ev.touches(Entity::Nonconformance) {
            return self.live_want(ev.by_line(), ctx);
        }
        Command::None
    }

    fn view(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let block = panel("Open nonconformances, oldest first", theme);
        let inner = inset(block.inner(area), 1);
        frame.render_widget(block, area);
        let width = usize::from(inner.width);
        let mut text: Vec<Line> = Vec::new();
        if let Some(e) = &self.error {
            text.push(Line::from(Span::styled(
                fit_text(&format!("ERROR: {e}"), width),
                theme.error,
            )));
        }
        let Some(data) = &self.data else {
            if self.error.is_none() {
                text.push(Line::from(Span::styled(
                    "… Loading the open nonconformances",
                    theme.muted,
                )));
            }
            frame.render_widget(Paragraph::new(text), inner);
            return;
        };
        text.push(Line::from(Span::styled(
            format!(
                "{} open · page {} of {}",
                data.total,
                data.page + 1,
                data.pages()
            ),
            theme.muted,
        )));
        if data.rows.is_empty() {
            text.push(Line::from(""));
            text.push(Line::from(Span::styled(
                "No open nonconformance.",
                theme.muted,
            )));
            frame.render_widget(Paragraph::new(text), inner);
            return;
        }
        text.push(Line::from(Span::styled(
            fit_text(
                &format!(
                    "  {:<13} {:<22} {:<9} {:>5}  {}",
                    "Number", "Build", "Source", "Age", "Status"
                ),
                width,
            ),
            theme.heading,
        )));
        let height =
            usize::from(inner.height).saturating_sub(text.len() + usize::from(DETAIL_ROWS));
        let first = (self.selected + 1).saturating_sub(height.max(1));
        for (i, r) in data.rows.iter().enumerate().skip(first).take(height) {
            let sel = i == self.selected;
            let base = if sel { theme.selected } else { theme.base };
            let build = fit_text(&format!("{}-{}", r.po_number, r.build_number), 22);
            text.push(Line::from(vec![
                Span::styled(if sel { "▶ " } else { "  " }, base),
                Span::styled(format!("{:<13} ", r.number), base),
                Span::styled(format!("{build:<22} "), base),
                Span::styled(format!("{:<9} ", r.source.label()), base),
                Span::styled(format!("{:>5}  ", age_text(r.raised_at, data.now)), base),
                Span::styled(r.state_text(), state_style(r, theme)),
            ]));
        }
        frame.render_widget(Paragraph::new(text), inner);
        // The selected row whole: its status (cut in a narrow table), who raised it and when, wrapped.
        if let Some(r) = data.rows.get(self.selected) {
            let mut lines = vec![Line::from(Span::styled("─".repeat(width), theme.border))];
            let about = format!(
                "{} · {} · raised by {} at {}",
                r.number,
                r.state_text(),
                r.raised_by,
                utc(r.raised_at)
            );
            lines.extend(
                wrap(&about, width)
                    .into_iter()
                    .take(usize::from(DETAIL_ROWS) - 2)
                    .map(Line::from),
            );
            lines.push(Line::from(Span::styled(
                fit_text(&for_terminal(&r.description), width),
                theme.muted,
            )));
            frame.render_widget(
                Paragraph::new(lines),
                rows(inner, inner.height.saturating_sub(DETAIL_ROWS), DETAIL_ROWS),
            );
        }
    }
}

impl LiveLoad for NcListScreen {
    fn live_reads(&mut self) -> &mut LiveReads {
        &mut self.live
    }

    fn send_load(&mut self, ctx: &mut Ctx) -> Option<(RequestId, Command)> {
        let (rid, cmd) = ctx.request(Request::OpenNonconformances {
            token: ctx.token()?,
            page: self.page,
        });
        self.loading.wait(rid);
        Some((rid, cmd))
    }
}
