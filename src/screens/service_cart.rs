//! SERVICE_DEPARTMENT: the cart: change quantities, remove lines, submit the service order. Enter in
//! the submit dialog asks a yes/no question naming the lines and the note; only `y` submits
//! (docs/architecture.md §3.1).

use crate::domain::scan::Scan;
use crate::domain::service_catalog::ServiceCatalog;
use crate::domain::service_order::{Cart, MAX_NOTES, MAX_QUANTITY, quantity_message};
use crate::keymap::{Action, KeyContext};
use crate::msg::{Command, Reply, Request, ServiceReply};
use crate::screens::Screen;
use crate::screens::pending::Pending;
use crate::screens::question::{Answered, Question, quoted};
use crate::screens::service_catalog::scan_into_cart;
use crate::screens::{Ctx, Effect, ScreenId};
use crate::theme::Theme;
use crate::widgets::form_field::{Form, FormField};
use crate::widgets::list_cursor::{ListCursor, shown};
use crate::widgets::toast::Toast;
use crate::widgets::viewport::table_body_height;
use crate::widgets::{
    centered, dialog, dim, fit_text, panel, request_status, row, rows, selectable_table,
};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row};

enum Mode {
    Browse,
    Quantity { part_id: String, form: Form },
    Submit { form: Form },
}

pub struct ServiceCartScreen {
    loading: Pending,
    cart: Cart,
    catalog: Option<ServiceCatalog>,
    table: ListCursor,
    mode: Mode,
    submitting: Pending,
    error: Option<String>,
    /// The submission waiting for its `y`.
    question: Question,
}

/// A typed line quantity: 0 to 999 (0 removes the line).
pub fn parse_line_quantity(text: &str) -> Result<i32, String> {
    match text.trim().parse::<i32>() {
        Ok(n) if (0..=MAX_QUANTITY).contains(&n) => Ok(n),
        _ => Err(format!("{}; 0 removes the line", quantity_message())),
    }
}

impl ServiceCartScreen {
    pub fn open(ctx: &mut Ctx) -> (ServiceCartScreen, Command) {
        let cart = ctx.cart();
        let mut s = ServiceCartScreen {
            loading: Pending::new(),
            table: ListCursor::default().with_selected((!cart.is_empty()).then_some(0)),
            cart,
            catalog: None,
            mode: Mode::Browse,
            submitting: Pending::new(),
            error: None,
            question: Question::new(ctx),
        };
        // Names come from the catalogue; the cart works without them.
        let cmd = match ctx.token() {
            Some(token) => {
                let (rid, cmd) = ctx.request(Request::Inventory { token });
                s.loading.wait(rid);
                cmd
            }
            None => Command::None,
        };
        (s, cmd)
    }

    pub fn cart(&self) -> &Cart {
        &self.cart
    }

    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    fn selected_id(&self) -> Option<String> {
        self.table
            .selected()
            .and_then(|i| self.cart.lines.get(i))
            .map(|l| l.part_id.clone())
    }

    fn set_quantity(&mut self, part_id: &str, quantity: i32, ctx: &mut Ctx) {
        match self.cart.set(part_id, quantity) {
            Ok(()) => {
                self.error = None;
                ctx.emit(Effect::Cart(self.cart.clone()));
                let n = self.cart.lines.len();
                let sel = self.table.selected().unwrap_or(0);
                self.table
                    .select((n > 0).then(|| sel.min(n.saturating_sub(1))));
            }
            Err(e) => self.error = Some(e),
        }
    }

    fn name_of(&self, id: &str) -> String {
        self.catalog
            .as_ref()
            .and_then(|c| c.get(id))
            .map(|e| e.name.clone())
            .unwrap_or_default()
    }

    fn view_dialog(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let busy = self
            .submitting
            .in_flight()
            .then_some("… Submitting, please wait");
        let error = self.error.clone();
        let lines = self.cart.lines.len();
        let pieces: i32 = self.cart.lines.iter().map(|l| l.quantity).sum();
        match &mut self.mode {
            Mode::Browse => {}
            Mode::Quantity { part_id, form } => {
                dim(frame, area, theme);
                let inner = dialog(frame, centered(area, 64, 8), "Quantity", theme);
                frame.render_widget(
                    Paragraph::new(fit_text(part_id, usize::from(inner.width))),
                    row(inner, 1),
                );
                form.render(frame, rows(inner, 3, form.height()), theme);
            }
            Mode::Submit { form } => {
                dim(frame, area, theme);
                let inner = dialog(frame, centered(area, 84, 11), "Submit service order", theme);
                frame.render_widget(
                    Paragraph::new(format!(
                        "{lines} line(s), {pieces} piece(s) go to procurement for approval."
                    )),
                    row(inner, 1),
                );
                form.render(frame, rows(inner, 3, form.height()), theme);
                request_status(frame, rows(inner, 6, 2), busy, error.as_deref(), theme);
            }
        }
    }
}

impl Screen for ServiceCartScreen {
    fn title(&self) -> &'static str {
        "Cart"
    }

    fn key_contexts(&self) -> Vec<KeyContext> {
        if self.question.is_open() {
            return Question::<()>::contexts();
        }
        match &self.mode {
            Mode::Quantity { form, .. } | Mode::Submit { form } => {
                let mut stack = form.key_contexts();
                stack.push(KeyContext::Dialog);
                stack
            }
            Mode::Browse => vec![KeyContext::ServiceCart, KeyContext::List],
        }
    }

    fn has_unsaved_input(&self) -> bool {
        matches!(&self.mode, Mode::Submit { form } if form.has_input())
    }

    fn on_action(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        match self.question.answer(action) {
            Some(Answered::Send(request, ())) if !self.submitting.in_flight() => {
                let (rid, cmd) = ctx.request(request);
                self.submitting.wait(rid);
                return cmd;
            }
            Some(_) => return Command::None,
            None => {}
        }
        match &mut self.mode {
            Mode::Quantity { part_id, form } => {
                match action {
                    Action::Cancel => self.mode = Mode::Browse,
                    Action::Submit => match parse_line_quantity(&form.value(0)) {
                        Ok(q) => {
                            let id = part_id.clone();
                            self.mode = Mode::Browse;
                            self.set_quantity(&id, q, ctx);
                        }
                        Err(e) => form.set_error(0, e),
                    },
                    other => {
                        form.handle(other);
                    }
                }
                return Command::None;
            }
            Mode::Submit { form } => {
                if self.submitting.in_flight() {
                    return Command::None;
                }
                match action {
                    Action::Cancel => {
                        self.error = None;
                        self.mode = Mode::Browse;
                    }
                    Action::Submit => {
                        let note = form.value(0).trim().to_string();
                        if note.chars().count() > MAX_NOTES {
                            form.set_error(0, format!("At most {MAX_NOTES} characters"));
                            return Command::None;
                        }
                        let Some(token) = ctx.token() else {
                            return Command::None;
                        };
                        self.error = None;
                        let pieces: i32 = self.cart.lines.iter().map(|l| l.quantity).sum();
                        let mut lines = vec![format!(
                            "Submit the cart to procurement: {} line(s), {pieces} piece(s)?",
                            self.cart.lines.len()
                        )];
                        if !note.is_empty() {
                            lines.push(format!("Note: {}", quoted(&note)));
                        }
                        lines.push("You can withdraw it while it is PENDING.".to_string());
                        let request = Request::SubmitServiceOrder {
                            token,
                            lines: self.cart.lines.clone(),
                            notes: (!note.is_empty()).then_some(note),
                        };
                        self.question
                            .ask("Submit service order", lines, request, ());
                        return Command::None;
                    }
                    other => {
                        form.handle(other);
                    }
                }
                return Command::None;
            }
            Mode::Browse => {}
        }
        let n = self.cart.lines.len();
        let cur = self.table.selected().unwrap_or(0);
        match action {
            Action::Up if n > 0 => self.table.select(Some(cur.saturating_sub(1))),
            Action::Down if n > 0 => self.table.select(Some((cur + 1).min(n - 1))),
            Action::First if n > 0 => self.table.select(Some(0)),
            Action::Last if n > 0 => self.table.select(Some(n - 1)),
            Action::Increase | Action::Decrease => {
                if let Some(id) = self.selected_id() {
                    let q = self.cart.quantity_of(&id);
                    let next = if action == Action::Increase {
                        q + 1
                    } else {
                        q - 1
                    };
                    if next < 1 {
                        self.error = Some("Delete removes the line".into());
                    } else {
                        self.set_quantity(&id, next, ctx);
                    }
                }
            }
            Action::EnterQuantity => {
                if let Some(id) = self.selected_id() {
                    let mut field = FormField::text("Quantity")
                        .with_hint("0 to 999; 0 removes the line")
                        .with_max_len(4);
                    field.set_value(&self.cart.quantity_of(&id).to_string());
                    self.mode = Mode::Quantity {
                        part_id: id,
                        form: Form::new(vec![field]).with_input_width(6),
                    };
                }
            }
            Action::RemoveRow => {
                if let Some(id) = self.selected_id() {
                    self.set_quantity(&id, 0, ctx);
                    ctx.toast(Toast::info(format!("Removed {id} from the cart")));
                }
            }
            Action::SubmitOrder => {
                if self.cart.is_empty() {
                    self.error = Some("Cart is empty".into());
                } else {
                    self.error = None;
                    let field = FormField::text("Note")
                        .with_hint("optional, for procurement")
                        .with_max_len(MAX_NOTES);
                    self.mode = Mode::Submit {
                        form: Form::new(vec![field]).with_input_width(60),
                    };
                }
            }
            // Back to where the cart was opened from: the catalogue or the home menu.
            Action::Back => ctx.emit(Effect::Back(ScreenId::Home)),
            _ => {}
        }
        Command::None
    }

    fn on_reply(&mut self, reply: ServiceReply, ctx: &mut Ctx) -> Command {
        if self.loading.answered_by(reply.id) {
            if let Ok(Reply::Inventory(inv)) = reply.result {
                self.catalog = Some(ServiceCatalog::from_inventory(&inv));
            }
            // Without the catalogue the lines still show their ids; nothing to report.
            return Command::None;
        }
        if !self.submitting.answered_by(reply.id) {
            return Command::None;
        }
        match reply.result {
            Ok(Reply::ServiceOrder(view)) => {
                let n = view.lines.len();
                ctx.emit(Effect::Cart(Cart::default()));
                ctx.toast(Toast::info(format!(
                    "Service order {} submitted ({n} {})",
                    view.summary.number,
                    if n == 1 { "line" } else { "lines" }
                )));
                self.cart = Cart::default();
                self.mode = Mode::Browse;
                ctx.emit(Effect::Navigate(ScreenId::MyServiceOrders));
            }
            Ok(_) => {}
            // The dialog, its note and the cart stay; the message names the refused items.
            Err(e) => self.error = Some(e.user_message()),
        }
        Command::None
    }

    /// A scanned part or assembly goes into the cart, one at a time (docs/scanning.md §3).
    fn on_scan(&mut self, scan: &Scan, ctx: &mut Ctx) -> Option<Command> {
        if !matches!(self.mode, Mode::Browse) {
            return None;
        }
        if scan_into_cart(self.catalog.as_ref(), scan, &mut self.cart, ctx)? {
            self.error = None;
            ctx.emit(Effect::Cart(self.cart.clone()));
            if self.table.selected().is_none() {
                self.table.select(Some(0));
            }
        }
        Some(Command::None)
    }

    fn on_char(&mut self, c: char) {
        if let Mode::Quantity { form, .. } | Mode::Submit { form } = &mut self.mode
            && !self.submitting.in_flight()
        {
            form.clear_errors();
            form.type_char(c);
        }
    }

    fn on_paste(&mut self, text: &str) {
        if let Mode::Quantity { form, .. } | Mode::Submit { form } = &mut self.mode
            && !self.submitting.in_flight()
        {
            form.paste(text);
        }
    }

    fn view(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        if area.height < 3 {
            return;
        }
        let list_area = Rect::new(area.x, area.y, area.width, area.height - 1);
        let n = self.cart.lines.len();
        let title = format!("Cart · {n} {}", if n == 1 { "line" } else { "lines" });
        let name_w = usize::from(area.width.saturating_sub(40));
        let range = self.table.window(n, table_body_height(list_area));
        let body: Vec<Row> = shown(&self.cart.lines, &range)
            .iter()
            .map(|l| {
                Row::new(vec![
                    Cell::from(l.part_id.clone()),
                    Cell::from(fit_text(&self.name_of(&l.part_id), name_w)),
                    Cell::from(Line::from(format!("{:>5}", l.quantity))),
                ])
            })
            .collect();
        let header = Row::new(vec!["Id", "Name", "  Qty"]).style(theme.header);
        let table = selectable_table(
            body,
            [
                Constraint::Length(24),
                Constraint::Fill(1),
                Constraint::Length(6),
            ],
            header,
            panel(&title, theme),
            theme,
        );
        frame.render_stateful_widget(table, list_area, &mut self.table.table_state(&range));
        if n == 0 {
            let inner = panel("", theme).inner(list_area);
            frame.render_widget(
                Paragraph::new(Span::styled(
                    "The cart is empty. Add parts from Service parts.",
                    theme.muted,
                )),
                row(crate::widgets::inset(inner, 1), 1),
            );
        }
        let info = match (&self.error, &self.mode) {
            (Some(e), Mode::Browse) => {
                Line::from(Span::styled(format!(" ERROR: {e}"), theme.error))
            }
            _ => {
                let total: i32 = self.cart.lines.iter().map(|l| l.quantity).sum();
                Line::from(Span::styled(
                    format!(" {n} line(s), {total} piece(s) · s submits the order to procurement"),
                    theme.muted,
                ))
            }
        };
        frame.render_widget(
            Paragraph::new(info),
            Rect::new(area.x, area.y + area.height - 1, area.width, 1),
        );
        self.view_dialog(frame, area, theme);
        self.question.render(frame, area, theme);
    }
}
