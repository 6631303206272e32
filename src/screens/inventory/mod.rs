//! The inventory browser: the catalog by category, search, an item's details and where it is used.
//!
//! The whole catalog arrives in one reply and is browsed and searched here; only the open builds that
//! use an item are asked for, when its where-used panel opens.

mod detail;
mod view;

use crate::domain::Role;
use crate::domain::inventory::{Browse, BuildUse, CatalogUse, Item};
use crate::domain::scan::Scan;
use crate::keymap::{Action, KeyContext};
use crate::msg::{Command, Reply, Request, RequestId, ServiceReply};
use crate::screens::Screen;
use crate::screens::selection::{PAGE, moved, moves};
use crate::screens::{Ctx, Effect, ScreenId};
use crate::theme::Theme;
use crate::widgets::form_field::FormField;
use crate::widgets::toast::Toast;
use crate::widgets::tree::TreeState;
use crate::widgets::viewport::Viewport;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use uuid::Uuid;

/// Width of the labels in the detail pane.
const LABEL_W: usize = 15;
/// Shown for an empty catalog field.
const NONE: &str = "—";

/// The search: typed in the field, then browsed as a result list.
struct Search {
    field: FormField,
    /// The field has the keys; otherwise the result list has them.
    editing: bool,
    results: Vec<Item>,
    selected: usize,
    /// The first result shown (docs/performance.md §1.2).
    view: Viewport,
}

/// The open builds in the where-used panel.
#[derive(Debug, Clone, PartialEq)]
enum Builds {
    /// The role sees no production data; nothing was asked.
    NotShown,
    Loading(RequestId),
    Loaded(Vec<BuildUse>),
    Failed(String),
}

/// What Enter on a where-used row leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Assembly(usize),
    Build(Uuid),
}

struct WhereUsed {
    item: Item,
    catalog: CatalogUse,
    builds: Builds,
    /// Index among the rows that have a target.
    selected: usize,
    offset: usize,
}

/// One line of the where-used panel.
struct Entry<'a> {
    line: Line<'a>,
    target: Option<Target>,
}

pub struct InventoryScreen {
    role: Option<Role>,
    loading: Option<RequestId>,
    error: Option<String>,
    browse: Option<Browse>,
    tree: TreeState,
    search: Option<Search>,
    /// The last confirmed search, for next/previous match in the tree.
    matches: Vec<Item>,
    match_at: Option<usize>,
    where_used: Option<WhereUsed>,
}

impl InventoryScreen {
    pub fn open(ctx: &mut Ctx) -> (InventoryScreen, Command) {
        let mut s = InventoryScreen {
            role: ctx.session().map(|s| s.user.role),
            loading: None,
            error: None,
            browse: None,
            tree: TreeState::default(),
            search: None,
            matches: Vec::new(),
            match_at: None,
            where_used: None,
        };
        let cmd = s.reload(ctx);
        (s, cmd)
    }

    pub fn browse(&self) -> Option<&Browse> {
        self.browse.as_ref()
    }

    /// The item the detail pane shows: the selected match while searching, else the selected tree node's.
    pub fn selected_item(&self) -> Option<Item> {
        if let Some(s) = &self.search {
            return s.results.get(s.selected).copied();
        }
        let node = self.tree.selected()?;
        self.browse.as_ref()?.node_item(node)
    }

    pub fn is_where_used_open(&self) -> bool {
        self.where_used.is_some()
    }

    fn reload(&mut self, ctx: &mut Ctx) -> Command {
        let Some(token) = ctx.token() else {
            return Command::None;
        };
        let (id, cmd) = ctx.request(Request::Inventory { token });
        self.loading = Some(id);
        self.error = None;
        cmd
    }

    fn on_tree_action(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        match action {
            Action::Back => ctx.emit(Effect::Navigate(ScreenId::Home)),
            Action::ToggleNode if self.browse.is_none() && self.loading.is_none() => {
                return self.reload(ctx);
            }
            Action::Up => self.tree.move_by(-1),
            Action::Down => self.tree.move_by(1),
            Action::PageUp => self.tree.move_by(-signed(PAGE)),
            Action::PageDown => self.tree.move_by(signed(PAGE)),
            Action::First => self.tree.select_first(),
            Action::Last => self.tree.select_last(),
            Action::ToggleNode => self.tree.toggle(),
            Action::Expand => self.tree.expand(),
            Action::Collapse => self.tree.collapse(),
            Action::CollapseAll => self.tree.collapse_all(),
            Action::Search => self.open_search(),
            Action::NextMatch | Action::PrevMatch => {
                self.step_match(action == Action::NextMatch, ctx);
            }
            Action::WhereUsed => {
                let item = self.selected_item();
                return self.open_where_used(item, ctx);
            }
            _ => {}
        }
        Command::None
    }

    fn on_field_action(&mut self, action: Action) {
        let Some(s) = &mut self.search else {
            return;
        };
        match action {
            Action::Search => {
                if s.field.value().trim().is_empty() {
                    self.search = None;
                } else {
                    s.editing = false;
                }
            }
            Action::ClearSearch => self.search = None,
            action if moves(action) => move_in_results(s, action),
            other => {
                let before = s.field.value();
                if s.field.edit(other) && s.field.value() != before {
                    self.run_search();
                }
            }
        }
    }

    fn on_results_action(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        let Some(s) = &mut self.search else {
            return Command::None;
        };
        match action {
            action if moves(action) => move_in_results(s, action),
            Action::NextMatch | Action::PrevMatch if !s.results.is_empty() => {
                let n = s.results.len();
                s.selected = if action == Action::NextMatch {
                    (s.selected + 1) % n
                } else {
                    (s.selected + n - 1) % n
                };
            }
            Action::Search => s.editing = true,
            // Enter shows the selected match in the tree; n/N then step through the others there.
            Action::ShowInTree => {
                let at = s.selected;
                let results = std::mem::take(&mut s.results);
                self.search = None;
                if let Some(&item) = results.get(at) {
                    self.reveal(item);
                    self.match_at = Some(at);
                }
                self.matches = results;
            }
            Action::ClearSearch => self.search = None,
            Action::WhereUsed => {
                let item = self.selected_item();
                return self.open_where_used(item, ctx);
            }
            _ => {}
        }
        Command::None
    }

    fn on_where_used_action(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        let targets: Vec<Target> = self
            .where_used_entries(&Theme::mono())
            .into_iter()
            .filter_map(|e| e.target)
            .collect();
        let Some(w) = &mut self.where_used else {
            return Command::None;
        };
        let n = targets.len();
        let cur = w.selected.min(n.saturating_sub(1));
        match action {
            Action::Close => self.where_used = None,
            action if moves(action) => w.selected = moved(cur, n, action),
            Action::Open => match targets.get(cur) {
                Some(Target::Assembly(a)) => {
                    let a = *a;
                    self.where_used = None;
                    self.search = None;
                    self.reveal(Item::Assembly(a));
                }
                Some(Target::Build(id)) => {
                    ctx.emit(Effect::Navigate(ScreenId::OrderDetail(*id)));
                }
                None => {}
            },
            _ => {}
        }
        Command::None
    }

    /// Whether the loaded catalog has an item with exactly this id (ignoring case).
    fn has_item(&self, id: &str) -> bool {
        self.browse.as_ref().is_some_and(|b| {
            b.search(id)
                .into_iter()
                .any(|i| b.item_id(i).eq_ignore_ascii_case(id))
        })
    }

    /// Shows the search results for `id`, the exact id first, with the list (not the field) focused.
    fn show_scanned(&mut self, id: &str) {
        let mut field = FormField::text("Search").with_max_len(100);
        field.set_value(id);
        self.where_used = None;
        self.search = Some(Search {
            field,
            editing: false,
            results: Vec::new(),
            selected: 0,
            view: Viewport::default(),
        });
        self.run_search();
    }

    fn open_search(&mut self) {
        let mut field = FormField::text("Search").with_max_len(100);
        let last = self.search.as_ref().map(|s| s.field.value());
        if let Some(text) = last {
            field.set_value(&text);
        }
        self.search = Some(Search {
            field,
            editing: true,
            results: Vec::new(),
            selected: 0,
            view: Viewport::default(),
        });
        self.run_search();
    }

    /// Runs the typed search over the loaded catalog; the first (best) match is selected.
    fn run_search(&mut self) {
        let (Some(s), Some(browse)) = (&mut self.search, &self.browse) else {
            return;
        };
        s.results = browse.search(&s.field.value());
        s.selected = 0;
        s.view.reset();
    }

    /// Opens the tree down to the item's own place and selects it.
    fn reveal(&mut self, item: Item) {
        if let Some(node) = self.browse.as_ref().and_then(|b| b.home_node(item)) {
            self.tree.reveal(node);
        }
    }

    fn step_match(&mut self, forward: bool, ctx: &mut Ctx) {
        let n = self.matches.len();
        if n == 0 {
            ctx.toast(Toast::info("No search to step through; press / to search"));
            return;
        }
        let next = match self.match_at {
            None => 0,
            Some(at) if forward => (at + 1) % n,
            Some(at) => (at + n - 1) % n,
        };
        self.match_at = Some(next);
        if let Some(&item) = self.matches.get(next) {
            self.reveal(item);
            ctx.toast(Toast::info(format!("Match {} of {n}", next + 1)));
        }
    }

    fn open_where_used(&mut self, item: Option<Item>, ctx: &mut Ctx) -> Command {
        let Some(browse) = &self.browse else {
            return Command::None;
        };
        let Some(item) = item else {
            ctx.toast(Toast::info("Where used is shown for parts and assemblies"));
            return Command::None;
        };
        let catalog = browse.catalog_use(item);
        let item_id = browse.item_id(item).to_string();
        let (builds, cmd) = match (self.role, ctx.token()) {
            (Some(Role::ServiceDepartment), _) | (_, None) => (Builds::NotShown, Command::None),
            (_, Some(token)) => {
                let (id, cmd) = ctx.request(Request::WhereUsed { token, item_id });
                (Builds::Loading(id), cmd)
            }
        };
        self.where_used = Some(WhereUsed {
            item,
            catalog,
            builds,
            selected: 0,
            offset: 0,
        });
        cmd
    }
}

impl Screen for InventoryScreen {
    fn title(&self) -> &'static str {
        "Inventory"
    }

    fn key_contexts(&self) -> Vec<KeyContext> {
        if self.where_used.is_some() {
            return vec![KeyContext::WhereUsedList, KeyContext::List];
        }
        if self.search.as_ref().is_some_and(|s| s.editing) {
            return vec![
                KeyContext::TextInput,
                KeyContext::SearchField,
                KeyContext::List,
            ];
        }
        if self.search.is_some() {
            return vec![KeyContext::InventoryResults, KeyContext::List];
        }
        vec![KeyContext::Inventory, KeyContext::List]
    }

    fn on_action(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        if self.where_used.is_some() {
            return self.on_where_used_action(action, ctx);
        }
        if self.search.as_ref().is_some_and(|s| s.editing) {
            self.on_field_action(action);
            return Command::None;
        }
        if self.search.is_some() {
            return self.on_results_action(action, ctx);
        }
        self.on_tree_action(action, ctx)
    }

    fn on_reply(&mut self, reply: ServiceReply, _ctx: &mut Ctx) -> Command {
        if self.loading == Some(reply.id) {
            self.loading = None;
            match reply.result {
                Ok(Reply::Inventory(inventory)) => {
                    let browse = Browse::new(*inventory);
                    self.tree = TreeState::new(browse.nodes().iter().map(|n| n.parent).collect());
                    self.browse = Some(browse);
                    self.error = None;
                    // A search typed while loading now has something to find.
                    self.run_search();
                }
                Ok(other) => {
                    tracing::warn!(
                        reply = other.name(),
                        "unexpected reply to the inventory request"
                    );
                    self.error = Some("The station received an unexpected reply.".into());
                }
                Err(e) => self.error = Some(e.user_message()),
            }
            return Command::None;
        }
        if let Some(w) = &mut self.where_used
            && w.builds == Builds::Loading(reply.id)
        {
            w.builds = match reply.result {
                Ok(Reply::WhereUsed(builds)) => Builds::Loaded(builds),
                Ok(_) => Builds::Failed("The station received an unexpected reply.".into()),
                Err(e) => Builds::Failed(e.user_message()),
            };
        }
        Command::None
    }

    /// A scanned part or assembly is shown as the search for its id (docs/scanning.md §3); a code the
    /// loaded catalog does not have is left to the shell.
    fn on_scan(&mut self, scan: &Scan, _ctx: &mut Ctx) -> Option<Command> {
        let id = match scan {
            Scan::Item(id) if self.browse.is_none() || self.has_item(id) => id,
            Scan::Code(id) if self.has_item(id) => id,
            _ => return None,
        };
        self.show_scanned(id);
        Some(Command::None)
    }

    fn on_char(&mut self, c: char) {
        if let Some(s) = &mut self.search
            && s.editing
            && s.field.type_char(c)
        {
            self.run_search();
        }
    }

    fn on_paste(&mut self, text: &str) {
        if let Some(s) = &mut self.search
            && s.editing
            && s.field.paste(text)
        {
            self.run_search();
        }
    }

    fn view(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        self.draw(frame, area, theme);
    }
}

fn signed(n: usize) -> isize {
    isize::try_from(n).unwrap_or(isize::MAX)
}

fn move_in_results(s: &mut Search, action: Action) {
    let n = s.results.len();
    if n == 0 {
        return;
    }
    s.selected = moved(s.selected.min(n - 1), n, action);
}

#[cfg(test)]
mod tests;
