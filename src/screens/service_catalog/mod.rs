//! SERVICE_DEPARTMENT: the service parts catalogue (category 719 and the parts in its assemblies); add to the cart.

mod view;

use crate::domain::scan::Scan;
use crate::domain::service_catalog::ServiceCatalog;
use crate::domain::service_order::{Cart, added_message, quantity_message};
use crate::keymap::{Action, KeyContext};
use crate::msg::{Command, Reply, Request, ServiceReply};
use crate::screens::Screen;
use crate::screens::pending::Pending;
use crate::screens::{Ctx, Effect, ScreenId};
use crate::theme::Theme;
use crate::widgets::form_field::{Form, FormField};
use crate::widgets::list_cursor::ListCursor;
use crate::widgets::step_selection;
use crate::widgets::toast::Toast;
use ratatui::Frame;
use ratatui::layout::Rect;
use std::collections::HashSet;

/// Rows one PageUp/PageDown moves.
const PAGE: usize = 10;

/// One visible row of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
enum CatalogRow {
    /// A 719 subcategory, by index into the catalogue's groups.
    Group(usize),
    /// An entry; `key` is its path in the tree (for expansion), `depth` its indent.
    Entry {
        entry: usize,
        depth: usize,
        key: String,
        expandable: bool,
    },
}

struct Search {
    field: FormField,
    editing: bool,
}

enum Mode {
    Browse,
    Quantity { id: String, form: Form },
}

pub struct ServiceCatalogScreen {
    loading: Pending,
    catalog: Option<ServiceCatalog>,
    error: Option<String>,
    expanded: HashSet<String>,
    rows: Vec<CatalogRow>,
    list: ListCursor,
    /// The parts among `rows` (not the groups), counted when the rows are rebuilt
    /// (docs/performance.md §1.9).
    entries: usize,
    search: Option<Search>,
    mode: Mode,
    cart_lines: usize,
}

/// `Quantity must be 1 to 999` unless `text` is a whole number in range; empty means 1.
pub fn parse_add_quantity(text: &str) -> Result<i32, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(1);
    }
    match t.parse::<i32>() {
        Ok(n) if (1..=crate::domain::service_order::MAX_QUANTITY).contains(&n) => Ok(n),
        _ => Err(quantity_message()),
    }
}

impl ServiceCatalogScreen {
    pub fn open(ctx: &mut Ctx) -> (ServiceCatalogScreen, Command) {
        let mut s = ServiceCatalogScreen {
            loading: Pending::new(),
            catalog: None,
            error: None,
            expanded: HashSet::new(),
            rows: Vec::new(),
            list: ListCursor::default(),
            entries: 0,
            search: None,
            mode: Mode::Browse,
            cart_lines: ctx.cart().lines.len(),
        };
        let cmd = s.reload(ctx);
        (s, cmd)
    }

    fn reload(&mut self, ctx: &mut Ctx) -> Command {
        let Some(token) = ctx.token() else {
            return Command::None;
        };
        let (rid, cmd) = ctx.request(Request::Inventory { token });
        self.loading.wait(rid);
        cmd
    }

    pub fn catalog(&self) -> Option<&ServiceCatalog> {
        self.catalog.as_ref()
    }

    /// The canonical id of the selected entry.
    pub fn selected_id(&self) -> Option<&str> {
        let entry = self.selected_entry()?;
        self.catalog
            .as_ref()
            .and_then(|c| c.entry(entry))
            .map(|e| e.id.as_str())
    }

    fn selected_entry(&self) -> Option<usize> {
        match self.rows.get(self.list.selected()?)? {
            CatalogRow::Entry { entry, .. } => Some(*entry),
            CatalogRow::Group(_) => None,
        }
    }

    fn toggle(&mut self) {
        let key = match self.list.selected().and_then(|i| self.rows.get(i)) {
            Some(CatalogRow::Group(g)) => self
                .catalog
                .as_ref()
                .and_then(|c| c.groups().get(*g))
                .map(|g| group_key(&g.code)),
            Some(CatalogRow::Entry {
                key,
                expandable: true,
                ..
            }) => Some(key.clone()),
            _ => None,
        };
        if let Some(key) = key {
            if !self.expanded.remove(&key) {
                self.expanded.insert(key);
            }
            self.rebuild();
        }
    }

    fn start_add(&mut self, ctx: &mut Ctx) {
        let Some(entry) = self
            .selected_entry()
            .and_then(|i| self.catalog.as_ref()?.entry(i))
        else {
            ctx.toast(Toast::error("Select a part or assembly to add"));
            return;
        };
        if !entry.active {
            ctx.toast(Toast::error(format!(
                "Unknown or inactive part(s): {}",
                entry.id
            )));
            return;
        }
        let field = FormField::text("Quantity")
            .with_hint("1 to 999; empty adds 1")
            .with_max_len(4);
        self.mode = Mode::Quantity {
            id: entry.id.clone(),
            form: Form::new(vec![field]).with_input_width(6),
        };
    }

    fn on_quantity(&mut self, action: Action, ctx: &mut Ctx) {
        let Mode::Quantity { id, form } = &mut self.mode else {
            return;
        };
        match action {
            Action::Cancel => self.mode = Mode::Browse,
            Action::Submit => {
                let quantity = match parse_add_quantity(&form.value(0)) {
                    Ok(q) => q,
                    Err(e) => {
                        form.set_error(0, e);
                        return;
                    }
                };
                let mut cart: Cart = ctx.cart();
                if let Err(e) = cart.add(id, quantity) {
                    let had = cart.quantity_of(id);
                    form.set_error(0, format!("{e} (the cart holds {had})"));
                    return;
                }
                self.cart_lines = cart.lines.len();
                ctx.toast(Toast::info(added_message(quantity, id, cart.lines.len())));
                ctx.emit(Effect::Cart(cart));
                self.mode = Mode::Browse;
            }
            other => {
                form.handle(other);
            }
        }
    }

    /// Recomputes the visible rows from the catalogue, the expansion and the search; keeps the
    /// selection in range.
    fn rebuild(&mut self) {
        let Some(catalog) = &self.catalog else {
            self.rows.clear();
            self.entries = 0;
            self.list.select(None);
            return;
        };
        let mut rows = Vec::new();
        let query = self
            .search
            .as_ref()
            .map(|s| s.field.value())
            .filter(|q| !q.trim().is_empty());
        if let Some(q) = query {
            for i in catalog.search(&q) {
                rows.push(CatalogRow::Entry {
                    entry: i,
                    depth: 0,
                    key: String::new(),
                    expandable: false,
                });
            }
        } else {
            for (gi, g) in catalog.groups().iter().enumerate() {
                rows.push(CatalogRow::Group(gi));
                let key = group_key(&g.code);
                if !self.expanded.contains(&key) {
                    continue;
                }
                for &r in &g.roots {
                    push_entry(
                        catalog,
                        &self.expanded,
                        &mut rows,
                        r,
                        1,
                        &key,
                        &mut Vec::new(),
                    );
                }
            }
        }
        self.entries = rows
            .iter()
            .filter(|r| matches!(r, CatalogRow::Entry { .. }))
            .count();
        self.rows = rows;
        let sel = self.list.selected().unwrap_or(0);
        self.list.select(if self.rows.is_empty() {
            None
        } else {
            Some(sel.min(self.rows.len() - 1))
        });
    }
}

impl Screen for ServiceCatalogScreen {
    fn title(&self) -> &'static str {
        "Service parts"
    }

    fn key_contexts(&self) -> Vec<KeyContext> {
        if let Mode::Quantity { form, .. } = &self.mode {
            let mut stack = form.key_contexts();
            stack.push(KeyContext::Dialog);
            return stack;
        }
        if self.search.as_ref().is_some_and(|s| s.editing) {
            return vec![KeyContext::TextInput, KeyContext::SearchField];
        }
        vec![KeyContext::ServiceCatalog, KeyContext::List]
    }

    fn has_unsaved_input(&self) -> bool {
        matches!(&self.mode, Mode::Quantity { form, .. } if form.has_input())
    }

    fn on_action(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        if matches!(self.mode, Mode::Quantity { .. }) {
            self.on_quantity(action, ctx);
            return Command::None;
        }
        if self.search.as_ref().is_some_and(|s| s.editing) {
            match action {
                Action::Search => {
                    let empty = self
                        .search
                        .as_ref()
                        .is_none_or(|s| s.field.value().trim().is_empty());
                    if empty {
                        self.search = None;
                    } else if let Some(s) = self.search.as_mut() {
                        s.editing = false;
                    }
                }
                Action::ClearSearch => self.search = None,
                other => {
                    if let Some(s) = self.search.as_mut() {
                        s.field.edit(other);
                    }
                }
            }
            self.rebuild();
            return Command::None;
        }
        let n = self.rows.len();
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
            Action::ToggleNode => self.toggle(),
            Action::Search => {
                let mut field = FormField::text("Search").with_max_len(60);
                if let Some(old) = &self.search {
                    field.set_value(&old.field.value());
                }
                self.search = Some(Search {
                    field,
                    editing: true,
                });
                self.rebuild();
            }
            Action::AddToCart => self.start_add(ctx),
            Action::OpenCart => ctx.emit(Effect::Navigate(ScreenId::ServiceCart)),
            Action::Refresh => return self.reload(ctx),
            Action::Back if self.search.is_some() => {
                self.search = None;
                self.rebuild();
            }
            Action::Back => ctx.emit(Effect::Navigate(ScreenId::Home)),
            _ => {}
        }
        Command::None
    }

    fn on_reply(&mut self, reply: ServiceReply, _ctx: &mut Ctx) -> Command {
        if !self.loading.answered_by(reply.id) {
            return Command::None;
        }
        match reply.result {
            Ok(Reply::Inventory(inv)) => {
                self.error = None;
                let catalog = ServiceCatalog::from_inventory(&inv);
                // The first subcategory starts open so the list shows parts straight away.
                if let Some(g) = catalog.groups().first() {
                    self.expanded.insert(group_key(&g.code));
                }
                self.catalog = Some(catalog);
                self.rebuild();
            }
            Ok(_) => {}
            Err(e) => self.error = Some(e.user_message()),
        }
        Command::None
    }

    /// A scanned part or assembly goes into the cart, one at a time (docs/scanning.md §3).
    fn on_scan(&mut self, scan: &Scan, ctx: &mut Ctx) -> Option<Command> {
        if !matches!(self.mode, Mode::Browse) {
            return None;
        }
        let mut cart = ctx.cart();
        if scan_into_cart(self.catalog.as_ref(), scan, &mut cart, ctx)? {
            self.cart_lines = cart.lines.len();
            ctx.emit(Effect::Cart(cart));
        }
        Some(Command::None)
    }

    fn on_char(&mut self, c: char) {
        if let Mode::Quantity { form, .. } = &mut self.mode {
            form.clear_errors();
            form.type_char(c);
        } else if let Some(s) = self.search.as_mut().filter(|s| s.editing) {
            s.field.type_char(c);
            self.rebuild();
        }
    }

    fn on_paste(&mut self, text: &str) {
        if let Mode::Quantity { form, .. } = &mut self.mode {
            form.paste(text);
        } else if let Some(s) = self.search.as_mut().filter(|s| s.editing) {
            s.field.paste(text);
            self.rebuild();
        }
    }

    fn view(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        self.draw(frame, area, theme);
    }
}

/// Adds one of a scanned part or assembly to `cart` and says so in a toast (docs/scanning.md §3):
/// `None` when the scan names no part, else whether the cart changed.
pub(crate) fn scan_into_cart(
    catalog: Option<&ServiceCatalog>,
    scan: &Scan,
    cart: &mut Cart,
    ctx: &mut Ctx,
) -> Option<bool> {
    let (Scan::Item(code) | Scan::Code(code)) = scan else {
        return None;
    };
    let Some(catalog) = catalog else {
        ctx.toast(Toast::error(
            "The service parts are still loading; scan again",
        ));
        return Some(false);
    };
    match cart.add_scanned(catalog, code) {
        Ok(message) => {
            ctx.toast(Toast::info(message));
            Some(true)
        }
        Err(e) => {
            ctx.toast(Toast::error(e));
            Some(false)
        }
    }
}

fn group_key(code: &str) -> String {
    format!("g:{code}")
}

/// Pushes an entry and, when open, its components; `path` holds the entries above (a repeat is shown
/// but not opened, so a cycle ends).
fn push_entry(
    catalog: &ServiceCatalog,
    expanded: &HashSet<String>,
    rows: &mut Vec<CatalogRow>,
    entry: usize,
    depth: usize,
    parent_key: &str,
    path: &mut Vec<usize>,
) {
    let Some(e) = catalog.entry(entry) else {
        return;
    };
    let key = format!("{parent_key}/{}", e.id);
    let expandable = !e.components.is_empty() && !path.contains(&entry);
    rows.push(CatalogRow::Entry {
        entry,
        depth,
        key: key.clone(),
        expandable,
    });
    if !expandable || !expanded.contains(&key) {
        return;
    }
    path.push(entry);
    for c in &e.components {
        if let Some(child) = catalog.position(&c.id) {
            push_entry(catalog, expanded, rows, child, depth + 1, &key, path);
        }
    }
    path.pop();
}
