//! The parts-shortage view: what the builds waiting for parts need, by part id; CSV export.

use crate::domain::bom_document::quantity_text;
use crate::domain::desk::{Shortage, ShortageSort, sort_lines};
use crate::domain::live::{Entity, LiveEvent};
use crate::keymap::{Action, KeyContext};
use crate::msg::RequestId;
use crate::msg::{Command, Reply, Request, ServiceReply};
use crate::screens::Screen;
use crate::screens::live_load::LiveLoad;
use crate::screens::live_reads::LiveReads;
use crate::screens::pending::Pending;
use crate::screens::{Ctx, Effect, ScreenId};
use crate::theme::Theme;
use crate::widgets::form_field::{Form, FormField};
use crate::widgets::list_cursor::{ListCursor, shown};
use crate::widgets::list_step;
use crate::widgets::viewport::table_body_height;
use crate::widgets::{centered, dialog, dim, fit_text, panel, request_status, row, rows};
use crate::widgets::{empty_table_row, list_screen_rows};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Padding, Paragraph, Row};

/// The export dialog: the directory only (the file name carries the date).
struct ExportDialog {
    form: Form,
    error: Option<String>,
}

pub struct ShortageScreen {
    shortage: Option<Box<Shortage>>,
    loading: Pending,
    load_error: Option<String>,
    sort: ShortageSort,
    descending: bool,
    table: ListCursor,
    /// The Part ID column's width and the builds with a DRAFT BOM, figured when the list arrives
    /// (docs/performance.md §1.9).
    w_id: u16,
    drafts: usize,
    page: usize,
    export: Option<ExportDialog>,
    exporting: Pending,
    /// The directory of the last export sent from this screen; offered again.
    last_dir: String,
    /// Where the last export went.
    notice: Option<String>,
    /// Re-reads after another station's change (docs/live.md §3.4).
    live: LiveReads,
}

impl ShortageScreen {
    pub fn open(ctx: &mut Ctx) -> (ShortageScreen, Command) {
        let mut s = ShortageScreen {
            shortage: None,
            loading: Pending::new(),
            load_error: None,
            sort: ShortageSort::PartId,
            descending: false,
            table: ListCursor::default(),
            w_id: 10,
            drafts: 0,
            page: 10,
            export: None,
            exporting: Pending::new(),
            last_dir: String::new(),
            notice: None,
            live: LiveReads::default(),
        };
        let cmd = s.reload(ctx);
        (s, cmd)
    }

    pub fn shortage(&self) -> Option<&Shortage> {
        self.shortage.as_deref()
    }

    pub fn sort_key(&self) -> (ShortageSort, bool) {
        (self.sort, self.descending)
    }

    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    pub fn is_exporting(&self) -> bool {
        self.exporting.in_flight()
    }

    fn reload(&mut self, ctx: &mut Ctx) -> Command {
        self.refresh(ctx)
    }

    fn line_count(&self) -> usize {
        self.shortage.as_ref().map_or(0, |s| s.lines.len())
    }

    fn sort_lines(&mut self) {
        if let Some(s) = &mut self.shortage {
            sort_lines(&mut s.lines, self.sort, self.descending);
        }
    }

    fn open_export(&mut self) {
        if self.shortage.is_none() {
            return;
        }
        // Exports of one session usually go to one place; empty is the station's working directory.
        let mut dir = FormField::text("Directory")
            .with_select_on_focus()
            .with_max_len(512)
            .with_hint("Empty: the station's working directory");
        dir.set_value(&self.last_dir);
        self.notice = None;
        self.export = Some(ExportDialog {
            form: Form::new(vec![dir]).with_input_width(52),
            error: None,
        });
    }

    fn on_export_action(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        let Some(dialog) = &mut self.export else {
            return Command::None;
        };
        match action {
            Action::Cancel => {
                // An export already sent still finishes; its answer is then only dropped.
                self.exporting.clear();
                self.export = None;
                Command::None
            }
            Action::Submit => {
                if self.exporting.in_flight() {
                    return Command::None;
                }
                let dir = dialog.form.value(0).trim().to_string();
                self.last_dir = dir.clone();
                dialog.error = None;
                let Some(token) = ctx.token() else {
                    return Command::None;
                };
                self.exporting
                    .begin(ctx, Request::ExportShortage { token, dir }, ())
            }
            other => {
                dialog.form.handle(other);
                Command::None
            }
        }
    }

    fn view_header(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let arrow = if self.descending { "▼" } else { "▲" };
        let mut spans = match &self.shortage {
            Some(s) => {
                let drafts = self.drafts;
                let mut v = vec![
                    Span::styled(" Builds: ", theme.muted),
                    Span::raw(s.builds.len().to_string()),
                    Span::styled("   Parts: ", theme.muted),
                    Span::raw(s.lines.len().to_string()),
                ];
                if drafts > 0 {
                    v.push(Span::styled(
                        format!("   {drafts} with a DRAFT BOM (may still change)"),
                        theme.warn,
                    ));
                }
                v
            }
            None => vec![Span::styled(" Builds: …   Parts: …", theme.muted)],
        };
        spans.push(Span::styled("   Sort: ", theme.muted));
        spans.push(Span::raw(format!("{} {arrow}", self.sort.label())));
        frame.render_widget(Paragraph::new(Line::from(spans)), area);
    }

    fn view_table(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let mut title = "Parts needed by builds in ORDER_CREATED and PARTS_SENT".to_string();
        if self.loading.in_flight() {
            title.push_str(" (loading…)");
        }
        let block = panel(&title, theme).padding(Padding::right(1));
        let inner = block.inner(area);
        self.page = usize::from(inner.height.saturating_sub(1)).max(1);
        let arrow = if self.descending { " ▼" } else { " ▲" };
        let sort_col = match self.sort {
            ShortageSort::PartId => 0,
            ShortageSort::Name => 1,
            ShortageSort::Quantity => 3,
        };
        let headers = ["Part ID", "Name", "Type", "Quantity", "Builds"];
        let header = Row::new(headers.iter().enumerate().map(|(i, h)| {
            let text = if i == sort_col {
                format!("{h}{arrow}")
            } else {
                (*h).to_string()
            };
            // Numbers are right-aligned, and so are their headings.
            let line = Line::from(Span::styled(text, theme.heading));
            Cell::from(if i >= 3 { line.right_aligned() } else { line })
        }));
        let lines = self.shortage.as_ref().map_or(&[][..], |s| &s.lines[..]);
        let w_id = self.w_id;
        let (w_type, w_qty, w_builds) = (9, 11, 6);
        let fixed = w_id + w_type + w_qty + w_builds + 4 + 2;
        let w_name = inner.width.saturating_sub(fixed).max(8);
        let range = self.table.window(lines.len(), table_body_height(area));
        let body = shown(lines, &range).iter().map(|l| {
            Row::new(vec![
                Cell::from(fit_text(&l.part_id, usize::from(w_id))),
                Cell::from(fit_text(&l.name, usize::from(w_name))),
                Cell::from(l.item_type.code()),
                Cell::from(Line::from(quantity_text(l.quantity)).right_aligned()),
                Cell::from(Line::from(l.builds.to_string()).right_aligned()),
            ])
        });
        let widths = [
            Constraint::Length(w_id),
            Constraint::Length(w_name),
            Constraint::Length(w_type),
            Constraint::Length(w_qty),
            Constraint::Length(w_builds),
        ];
        let table = crate::widgets::selectable_table(body, widths, header, block, theme);
        frame.render_stateful_widget(table, area, &mut self.table.table_state(&range));
        if lines.is_empty() && self.shortage.is_some() && !self.loading.in_flight() {
            frame.render_widget(
                Paragraph::new(
                    "No build in ORDER_CREATED or PARTS_SENT has a BOM; nothing is needed.",
                ),
                empty_table_row(inner, 2),
            );
        }
    }

    fn view_info(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let width = usize::from(area.width.saturating_sub(1));
        let mut lines = Vec::new();
        if let Some(e) = &self.load_error {
            lines.push(Line::from(Span::styled(
                fit_text(&format!(" ERROR: {e} Refresh (F5) to try again."), width),
                theme.error,
            )));
        } else if let Some(s) = &self.shortage {
            let names: Vec<String> = s.builds.iter().map(|b| b.build_number.clone()).collect();
            let text = if names.is_empty() {
                " Counted: no builds".to_string()
            } else {
                format!(" Counted: {}", names.join(", "))
            };
            lines.push(Line::from(Span::styled(
                fit_text(&text, width),
                theme.muted,
            )));
        }
        if let Some(n) = &self.notice {
            lines.push(Line::from(Span::styled(
                fit_text(&format!(" {n}"), width),
                theme.ok,
            )));
        }
        frame.render_widget(Paragraph::new(lines), area);
    }

    fn view_dialog(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let busy = self
            .exporting
            .in_flight()
            .then_some("… Exporting, please wait");
        let Some(dialog_state) = &mut self.export else {
            return;
        };
        dim(frame, area, theme);
        let inner = dialog(frame, centered(area, 80, 9), "Export parts shortage", theme);
        frame.render_widget(
            Paragraph::new("Write parts_shortage_<date>.csv into this directory:"),
            row(inner, 1),
        );
        dialog_state
            .form
            .render(frame, rows(inner, 3, dialog_state.form.height()), theme);
        request_status(
            frame,
            rows(inner, 5, 1),
            busy,
            dialog_state.error.as_deref(),
            theme,
        );
    }
}

impl Screen for ShortageScreen {
    fn title(&self) -> &'static str {
        "Parts shortage"
    }

    fn key_contexts(&self) -> Vec<KeyContext> {
        if let Some(dialog) = &self.export {
            let mut stack = dialog.form.key_contexts();
            stack.push(KeyContext::Dialog);
            return stack;
        }
        vec![KeyContext::Shortage, KeyContext::List]
    }

    fn on_action(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        if self.export.is_some() {
            return self.on_export_action(action, ctx);
        }
        let count = self.line_count();
        let last = count.saturating_sub(1);
        let at = self.table.selected().unwrap_or(0);
        let page = self.page;
        let table = &mut self.table;
        let mut select = |i: usize| {
            if count > 0 {
                table.select(Some(i.min(last)));
            }
        };
        match action {
            Action::Back => ctx.emit(Effect::Back(ScreenId::Home)),
            Action::Refresh => {
                self.notice = None;
                return self.reload(ctx);
            }
            Action::SortNext => {
                self.sort = self.sort.next();
                self.descending = self.sort.starts_descending();
                self.sort_lines();
            }
            Action::SortReverse => {
                self.descending = !self.descending;
                self.sort_lines();
            }
            Action::ExportCsv => self.open_export(),
            _ => {
                if let Some(i) = list_step(action, at, count, page) {
                    select(i);
                }
            }
        }
        Command::None
    }

    fn on_reply(&mut self, reply: ServiceReply, ctx: &mut Ctx) -> Command {
        self.live_answered(reply.id);
        if self.loading.answered_by(reply.id) {
            match reply.result {
                Ok(Reply::PartsShortage(s)) => {
                    self.load_error = None;
                    // The selection stays on its part when the lines change.
                    let kept = self.table.selected().and_then(|i| {
                        self.shortage
                            .as_ref()
                            .and_then(|s| s.lines.get(i))
                            .map(|l| l.part_id.clone())
                    });
                    let w_id = s
                        .lines
                        .iter()
                        .map(|l| l.part_id.chars().count())
                        .max()
                        .unwrap_or(0)
                        .max(10);
                    self.w_id = u16::try_from(w_id).unwrap_or(28).min(28);
                    self.drafts = s.builds.iter().filter(|b| b.bom_status == "DRAFT").count();
                    self.shortage = Some(s);
                    self.sort_lines();
                    let n = self.line_count();
                    let at = kept
                        .and_then(|id| {
                            self.shortage
                                .as_ref()
                                .and_then(|s| s.lines.iter().position(|l| l.part_id == id))
                        })
                        .or(self.table.selected())
                        .unwrap_or(0);
                    self.table
                        .select((n > 0).then(|| at.min(n.saturating_sub(1))));
                }
                Ok(_) => {}
                Err(e) => self.load_error = Some(e.user_message()),
            }
            return self.live_next(ctx);
        }
        if !self.exporting.answered_by(reply.id) {
            return self.live_next(ctx);
        }
        match reply.result {
            Ok(Reply::Exported(paths)) => {
                self.export = None;
                let list: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
                self.notice = Some(if list.is_empty() {
                    "The export wrote no files".to_string()
                } else {
                    format!("Exported to {}", list.join(", "))
                });
            }
            Ok(_) => {}
            // The dialog and its input stay, so the user can fix the directory and try again.
            Err(e) => {
                if let Some(dialog) = &mut self.export {
                    dialog.error = Some(e.user_message());
                }
            }
        }
        Command::None
    }

    /// The parts change with any build's status (one may have come onto the desk or left it) and
    /// any build's BOM (a build on the desk may have got its first) (docs/live.md §3.4).
    fn on_live(&mut self, ev: &LiveEvent, ctx: &mut Ctx) -> Command {
        let counted = |b: Option<uuid::Uuid>| {
            self.shortage
                .as_ref()
                .is_some_and(|s| s.builds.iter().any(|x| Some(x.order_id) == b))
        };
        let touched = ev.everything
            || ev.changes.iter().any(|c| match c.entity {
                Entity::Build | Entity::Bom => true,
                Entity::Other => counted(c.reference),
                _ => false,
            });
        if touched {
            return self.live_want(ev.by_line(), ctx);
        }
        Command::None
    }

    fn on_char(&mut self, c: char) {
        if let Some(field) = self.export.as_mut().and_then(|d| d.form.focused_mut()) {
            field.type_char(c);
        }
    }

    fn on_paste(&mut self, text: &str) {
        if let Some(field) = self.export.as_mut().and_then(|d| d.form.focused_mut()) {
            field.paste(text);
        }
    }

    fn view(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        if area.height < 6 || area.width < 20 {
            return;
        }
        let [header_area, table_area, info_area] = list_screen_rows(area);
        self.view_header(frame, header_area, theme);
        self.view_table(frame, table_area, theme);
        self.view_info(frame, info_area, theme);
        self.view_dialog(frame, area, theme);
    }
}

impl LiveLoad for ShortageScreen {
    fn live_reads(&mut self) -> &mut LiveReads {
        &mut self.live
    }

    fn send_load(&mut self, ctx: &mut Ctx) -> Option<(RequestId, Command)> {
        let (rid, cmd) = ctx.request(Request::PartsShortage {
            token: ctx.token()?,
        });
        self.loading.wait(rid);
        Some((rid, cmd))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Role;
    use crate::domain::bom::ItemType;
    use crate::domain::desk::{ShortageBuild, ShortageLine};
    use crate::domain::order::OrderStatus;
    use crate::screens::ScreenMsg;
    use crate::screens::testkit::{Harness, live_change};
    use uuid::Uuid;

    fn line(id: &str) -> ShortageLine {
        ShortageLine {
            part_id: id.into(),
            name: format!("name of {id}"),
            item_type: ItemType::Part,
            quantity: rust_decimal::Decimal::from(2),
            builds: 1,
        }
    }

    fn shortage(ids: &[&str]) -> Box<Shortage> {
        Box::new(Shortage {
            builds: vec![ShortageBuild {
                order_id: Uuid::from_u128(1),
                po_number: "4500031".into(),
                build_number: "24-0101".into(),
                status: OrderStatus::OrderCreated,
                bom_version: 1,
                bom_status: "DRAFT".into(),
            }],
            lines: ids.iter().map(|id| line(id)).collect(),
        })
    }

    fn is_load(reqs: &[crate::msg::ServiceRequest]) -> bool {
        reqs.len() == 1 && matches!(reqs[0].kind, Request::PartsShortage { .. })
    }

    #[test]
    fn a_build_or_bom_change_reloads_the_parts_keeping_the_selected_part_and_the_dialog() {
        let mut h = Harness::new(Role::ProcurementSpecialist);
        let (mut s, load) = h.open(ShortageScreen::open);
        h.reply(
            &mut s,
            &load[0],
            Ok(Reply::PartsShortage(shortage(&["P1", "P2", "P3"]))),
        );
        h.act(&mut s, Action::Down);
        h.act(&mut s, Action::ExportCsv);
        for c in "/tmp/x".chars() {
            h.send(&mut s, ScreenMsg::Char(c));
        }
        let b = Uuid::from_u128;
        let task = live_change(Entity::Task, b(5), Some(b(1)));
        assert!(h.send(&mut s, ScreenMsg::Live(task)).0.is_empty());
        let qc = live_change(Entity::Qc, b(5), Some(b(1)));
        assert!(h.send(&mut s, ScreenMsg::Live(qc)).0.is_empty());
        let bom = live_change(Entity::Bom, b(6), Some(b(2)));
        let (reqs, _) = h.send(&mut s, ScreenMsg::Live(bom));
        assert!(is_load(&reqs));
        let build = live_change(Entity::Build, b(2), Some(b(2)));
        assert!(
            h.send(&mut s, ScreenMsg::Live(build)).0.is_empty(),
            "one on its way"
        );
        let (next, _) = h.reply(
            &mut s,
            &reqs[0],
            Ok(Reply::PartsShortage(shortage(&["P0", "P1", "P2", "P3"]))),
        );
        let selected = s
            .table
            .selected()
            .and_then(|i| s.shortage().and_then(|x| x.lines.get(i)))
            .map(|l| l.part_id.clone());
        assert_eq!(
            selected.as_deref(),
            Some("P2"),
            "the selection stays on its part"
        );
        assert_eq!(
            s.export.as_ref().map(|d| d.form.value(0)),
            Some("/tmp/x".to_string()),
            "the export dialog and its directory stay"
        );
        assert!(is_load(&next), "the gathered event goes out");
    }

    #[test]
    fn a_resync_reloads_the_parts() {
        let mut h = Harness::new(Role::ProcurementSpecialist);
        let (mut s, load) = h.open(ShortageScreen::open);
        h.reply(&mut s, &load[0], Ok(Reply::PartsShortage(shortage(&[]))));
        let ev = crate::domain::live::LiveEvent::resync();
        assert!(is_load(&h.send(&mut s, ScreenMsg::Live(ev)).0));
    }
}
