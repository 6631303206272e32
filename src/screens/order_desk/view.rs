//! Drawing the desk: the table of builds, the info lines and the dialogs.

use super::{Mode, OrderDeskScreen};
use crate::domain::desk::DeskRow;
use crate::domain::lifecycle::move_question;
use crate::domain::order::OrderStatus;
use crate::screens::order_queue::due_marker;
use crate::theme::Theme;
use crate::widgets::empty_table_row;
use crate::widgets::list_cursor::shown;
use crate::widgets::viewport::table_body_height;
use crate::widgets::{centered, dialog, dim, fit_text, panel, request_status, row, rows, wrap};
use ratatui::Frame;
use ratatui::layout::Layout;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Padding, Paragraph, Row};

impl OrderDeskScreen {
    pub(super) fn draw(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        if area.height < 5 || area.width < 20 {
            return;
        }
        let [table_area, info_area] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(2)]).areas(area);
        self.view_table(frame, table_area, theme);
        self.view_info(frame, info_area, theme);
        self.view_dialog(frame, area, theme);
    }

    pub(super) fn view_table(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let mut title = format!("Builds waiting for parts ({})", self.rows.len());
        if self.loading.in_flight() {
            title.push_str(" (loading…)");
        }
        let block = panel(&title, theme).padding(Padding::right(1));
        let inner = block.inner(area);
        self.page = usize::from(inner.height.saturating_sub(1)).max(1);
        let headers = [
            "PO",
            "Build",
            "Customer",
            "Model",
            "Status",
            "Want",
            "Days left",
            "BOM",
        ];
        let header = Row::new(
            headers
                .iter()
                .map(|h| Cell::from(Span::styled(*h, theme.heading))),
        );
        let Widths {
            po: w_po,
            build: w_build,
            model: w_model,
            days: w_days,
            bom: w_bom,
        } = self.widths;
        let w_status = 13;
        let w_want = 6;
        // The highlight symbol takes two columns; seven gaps between eight columns.
        let fixed = w_po + w_build + w_model + w_status + w_want + w_days + w_bom + 7 + 2;
        let w_customer = inner.width.saturating_sub(fixed).max(8);
        let range = self.table.window(self.rows.len(), table_body_height(area));
        let body = shown(&self.rows, &range).iter().map(|r| {
            let days_style = match due_marker(&r.order) {
                Some("OVERDUE") => theme.error,
                Some(_) => theme.warn,
                None => theme.base,
            };
            let bom_style = match r.bom.as_ref().map(|(_, s)| s.as_str()) {
                Some("APPROVED") => theme.base,
                Some(_) => theme.warn,
                None => theme.muted,
            };
            Row::new(vec![
                Cell::from(fit_text(&r.order.po_number, usize::from(w_po))),
                Cell::from(fit_text(&r.order.build_number, usize::from(w_build))),
                Cell::from(fit_text(&r.order.customer_name, usize::from(w_customer))),
                Cell::from(fit_text(&r.order.sink_model, usize::from(w_model))),
                Cell::from(match r.order.hold {
                    Some(_) => Span::styled(crate::domain::hold::HOLD_MARK, theme.error),
                    None => Span::raw(r.order.status.code()),
                }),
                Cell::from(r.order.want_date.format("%d %b").to_string()),
                Cell::from(Span::styled(days_cell(r), days_style)),
                Cell::from(Span::styled(r.bom_label(), bom_style)),
            ])
        });
        let widths = [
            w_po, w_build, w_customer, w_model, w_status, w_want, w_days, w_bom,
        ]
        .map(Constraint::Length);
        let table = crate::widgets::selectable_table(body, widths, header, block, theme);
        frame.render_stateful_widget(table, area, &mut self.table.table_state(&range));
        if self.rows.is_empty()
            && self.loaded
            && !self.loading.in_flight()
            && self.load_error.is_none()
        {
            frame.render_widget(
                Paragraph::new("No builds are waiting for parts."),
                empty_table_row(inner, 2),
            );
        }
    }

    /// The selected build in full (on both rows while there is no notice) and the notice.
    pub(super) fn view_info(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let width = usize::from(area.width.saturating_sub(1));
        let mut more = None;
        let first = if let Some(e) = self.load_error.as_ref() {
            Line::from(Span::styled(
                fit_text(&format!(" ERROR: {e} Refresh (F5) to try again."), width),
                theme.error,
            ))
        } else if let Some(r) = self.selected() {
            let next = match r.next_status() {
                Some(OrderStatus::PartsSent) if r.draft_version().is_some() || r.bom.is_none() => {
                    "next: PARTS_SENT once the BOM is approved"
                }
                Some(OrderStatus::PartsSent) => "next: m sends the parts (PARTS_SENT)",
                Some(OrderStatus::ReadyForPreQc) => {
                    "next: READY_FOR_PRE_QC when the sink body arrives"
                }
                _ => "",
            };
            let about = match r.order.hold {
                // A held build: why, and for a shortage the parts to send (docs/holds.md §4).
                Some(reason) => format!(
                    "{} · {} · {}{}",
                    r.order.build_number,
                    r.order.status.title(),
                    crate::domain::hold::hold_words(reason),
                    crate::domain::hold::parts_text(&r.shortage)
                ),
                None => format!(
                    "{} · {} · BOM {} · {next}",
                    r.order.build_number,
                    fit_text(&r.order.customer_name, 28),
                    r.bom_label()
                ),
            };
            let room = width.saturating_sub(3);
            let mut lines = wrap(&about, room).into_iter();
            let head = match (self.notice.is_none(), lines.next()) {
                (true, Some(head)) => {
                    let rest = lines.collect::<Vec<_>>().join(" ");
                    if !rest.is_empty() {
                        more = Some(Line::from(Span::styled(
                            format!("   {}", fit_text(&rest, room)),
                            theme.base,
                        )));
                    }
                    head
                }
                _ => fit_text(&about, room),
            };
            Line::from(vec![
                Span::styled(" ▶ ", theme.focus),
                Span::styled(head, theme.base),
            ])
        } else {
            Line::from("")
        };
        let second = match &self.notice {
            Some(n) => Line::from(Span::styled(
                fit_text(&format!(" ERROR: {n}"), width),
                theme.error,
            )),
            None => more.unwrap_or_default(),
        };
        frame.render_widget(Paragraph::new(vec![first, second]), area);
    }

    pub(super) fn view_dialog(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let busy = self.writing.in_flight().then_some("… Saving, please wait");
        match &mut self.mode {
            Mode::Browse => {}
            Mode::Approve { dialog, .. } => dialog.render(frame, area, busy, theme),
            Mode::Move {
                target,
                to,
                form,
                error,
            } => {
                dim(frame, area, theme);
                let inner = dialog(frame, centered(area, 80, 10), "Move status", theme);
                let why = match to {
                    OrderStatus::PartsSent => "The parts for this build have been sent.",
                    OrderStatus::ReadyForPreQc => "The sink body has arrived; Pre-QC is next.",
                    _ => "",
                };
                frame.render_widget(
                    Paragraph::new(move_question(&target.build, target.from, *to)),
                    row(inner, 1),
                );
                frame.render_widget(
                    Paragraph::new(Span::styled(why, theme.muted)),
                    row(inner, 2),
                );
                form.render(frame, rows(inner, 4, form.height()), theme);
                request_status(frame, rows(inner, 7, 1), busy, error.as_deref(), theme);
            }
        }
        self.question.render(frame, area, theme);
    }
}

/// Days to the want date with the queue's marker (`-3 OVERDUE`, `5 due soon`), so it reads without colour.
/// The widths of the columns sized by their contents, figured when the rows arrive
/// (docs/performance.md §1.9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Widths {
    po: u16,
    build: u16,
    model: u16,
    days: u16,
    bom: u16,
}

impl Widths {
    pub(super) fn of(rows: &[DeskRow]) -> Widths {
        let widest = |values: &mut dyn Iterator<Item = usize>, header: &str, lo: u16, hi: u16| {
            let w = values.max().unwrap_or(0).max(header.chars().count());
            u16::try_from(w).unwrap_or(hi).clamp(lo, hi)
        };
        Widths {
            po: widest(
                &mut rows.iter().map(|r| r.order.po_number.chars().count()),
                "PO",
                7,
                12,
            ),
            build: widest(
                &mut rows.iter().map(|r| r.order.build_number.chars().count()),
                "Build",
                7,
                12,
            ),
            model: widest(
                &mut rows.iter().map(|r| r.order.sink_model.chars().count()),
                "Model",
                5,
                8,
            ),
            days: widest(
                &mut rows.iter().map(|r| days_cell(r).chars().count()),
                "Days left",
                9,
                12,
            ),
            bom: widest(
                &mut rows.iter().map(|r| r.bom_label().chars().count()),
                "BOM",
                11,
                14,
            ),
        }
    }
}

pub(super) fn days_cell(r: &DeskRow) -> String {
    match due_marker(&r.order) {
        Some(marker) => format!("{} {marker}", r.order.days_left),
        None => r.order.days_left.to_string(),
    }
}
