//! The inventory browser: the catalog by category, search, an item's details and where it is used.
//!
//! The whole catalog arrives in one reply and is browsed and searched here; only the open builds that
//! use an item are asked for, when its where-used panel opens.

use crate::domain::Role;
use crate::domain::inventory::{
    AssemblyRecord, Browse, BuildUse, CatalogUse, Group, Item, NodeKind, PartRecord,
};
use crate::keymap::{Action, KeyContext};
use crate::msg::{Command, DbReply, Reply, Request, RequestId};
use crate::screens::{Ctx, Effect, ScreenId, ScreenMsg};
use crate::theme::Theme;
use crate::widgets::form_field::FormField;
use crate::widgets::toast::Toast;
use crate::widgets::tree::{self, TreeState};
use crate::widgets::wrap;
use crate::widgets::{dialog, dim, fit_text, padded, panel, row};
use chrono::NaiveDateTime;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use uuid::Uuid;

/// Rows one PageUp/PageDown moves.
const PAGE: usize = 10;
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
    offset: usize,
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

    pub fn title(&self) -> &'static str {
        "Inventory"
    }

    pub fn key_contexts(&self) -> Vec<KeyContext> {
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

    /// True when the screen holds typed input that leaving would lose.
    pub fn has_unsaved_input(&self) -> bool {
        false
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

    pub fn update(&mut self, msg: ScreenMsg, ctx: &mut Ctx) -> Command {
        match msg {
            ScreenMsg::Action(action) => self.on_action(action, ctx),
            ScreenMsg::Char(c) => {
                if let Some(s) = &mut self.search
                    && s.editing
                    && s.field.type_char(c)
                {
                    self.run_search();
                }
                Command::None
            }
            ScreenMsg::Paste(text) => {
                if let Some(s) = &mut self.search
                    && s.editing
                    && s.field.paste(&text)
                {
                    self.run_search();
                }
                Command::None
            }
            ScreenMsg::Db(reply) => {
                self.on_reply(reply);
                Command::None
            }
            ScreenMsg::Tick(_) => Command::None,
        }
    }

    fn on_reply(&mut self, reply: DbReply) {
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
            return;
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
            Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::First
            | Action::Last => move_in_results(s, action),
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
            Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::First
            | Action::Last => move_in_results(s, action),
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
            Action::Up => w.selected = cur.saturating_sub(1),
            Action::Down => w.selected = (cur + 1).min(n.saturating_sub(1)),
            Action::PageUp => w.selected = cur.saturating_sub(PAGE),
            Action::PageDown => w.selected = (cur + PAGE).min(n.saturating_sub(1)),
            Action::First => w.selected = 0,
            Action::Last => w.selected = n.saturating_sub(1),
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
            offset: 0,
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
        s.offset = 0;
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

    // --------------------------------------------------------------------------------------------
    // Drawing
    // --------------------------------------------------------------------------------------------

    pub fn view(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        if area.height < 4 || area.width < 20 {
            return;
        }
        self.view_top_line(frame, row(area, 0), theme);
        let body = Rect::new(area.x, area.y + 1, area.width, area.height - 1);
        let (left, right) = if body.width >= 60 {
            let w = body.width * 9 / 20;
            (
                Rect::new(body.x, body.y, w, body.height),
                Some(Rect::new(body.x + w, body.y, body.width - w, body.height)),
            )
        } else {
            (body, None)
        };
        let Some(browse) = &self.browse else {
            self.view_not_loaded(frame, left, theme);
            if let Some(r) = right {
                frame.render_widget(panel("Details", theme), r);
            }
            return;
        };
        if self.search.is_some() {
            self.view_results(frame, left, theme);
        } else {
            let label_w = usize::from(left.width.saturating_sub(4));
            let depths: Vec<usize> = (0..self.tree.len()).map(|i| self.tree.depth(i)).collect();
            let title = "Catalog";
            let block = panel(title, theme);
            let inner = margin(block.inner(left));
            frame.render_widget(block, left);
            tree::render(frame, inner, &mut self.tree, theme, |node| {
                let room = label_w.saturating_sub(4 + 2 * depths.get(node).copied().unwrap_or(0));
                node_label(browse, node, room, theme)
            });
        }
        if let Some(r) = right {
            self.view_detail(frame, r, theme);
        }
        if self.where_used.is_some() {
            self.view_where_used(frame, area, theme);
        }
    }

    fn view_top_line(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        if let Some(s) = &mut self.search
            && s.editing
        {
            let area = Rect::new(area.x + 1, area.y, area.width.saturating_sub(1), 1);
            let input_w = area.width.saturating_sub(14).min(40);
            s.field.render(frame, area, theme, true, 6, input_w);
            let used = 6 + input_w + 6;
            if area.width > used + 2 {
                let hint = Rect::new(area.x + used + 1, area.y, area.width - used - 1, 1);
                frame.render_widget(
                    Paragraph::new(Span::styled(
                        "id, name or manufacturer part number",
                        theme.muted,
                    )),
                    hint,
                );
            }
            return;
        }
        let text = if let Some(s) = &self.search {
            format!(
                " Search \"{}\": Enter shows the match in the tree, / edits the search",
                fit_text(s.field.value().trim(), 30)
            )
        } else if let Some(b) = &self.browse {
            let inv = b.inventory();
            let tops = inv
                .categories
                .iter()
                .filter(|c| c.parent_id.is_none())
                .count();
            format!(
                " {} categories, {} subcategories · {} assemblies · {} parts",
                tops,
                inv.categories.len() - tops,
                inv.assemblies.len(),
                inv.parts.len()
            )
        } else {
            String::new()
        };
        frame.render_widget(Paragraph::new(Span::styled(text, theme.muted)), area);
    }

    fn view_not_loaded(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let title = if self.loading.is_some() {
            "Catalog (loading…)"
        } else {
            "Catalog"
        };
        let block = panel(title, theme);
        let inner = padded(block.inner(area));
        frame.render_widget(block, area);
        let lines = match (&self.error, self.loading.is_some()) {
            (_, true) => vec![Line::from(Span::styled(
                "Loading the catalog…",
                theme.muted,
            ))],
            (Some(e), false) => vec![
                Line::from(Span::styled(format!("ERROR: {e}"), theme.error)),
                Line::from(Span::styled("Press Enter to try again.", theme.muted)),
            ],
            (None, false) => Vec::new(),
        };
        frame.render_widget(
            Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: true }),
            inner,
        );
    }

    fn view_results(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let (Some(s), Some(browse)) = (&mut self.search, &self.browse) else {
            return;
        };
        let query = s.field.value();
        let query = query.trim();
        let title = match s.results.len() {
            _ if query.is_empty() => "Search".to_string(),
            0 => format!("No matches for '{}'", fit_text(query, 20)),
            1 => format!("1 match for '{}'", fit_text(query, 20)),
            n => format!("{n} matches for '{}'", fit_text(query, 20)),
        };
        let block = panel(&title, theme);
        let inner = margin(block.inner(area));
        frame.render_widget(block, area);
        if query.is_empty() {
            frame.render_widget(
                Paragraph::new(Span::styled(
                    "Type to search parts and assemblies.",
                    theme.muted,
                )),
                inner,
            );
            return;
        }
        let height = usize::from(inner.height);
        if height == 0 {
            return;
        }
        if s.selected < s.offset {
            s.offset = s.selected;
        } else if s.selected >= s.offset + height {
            s.offset = s.selected + 1 - height;
        }
        let width = usize::from(inner.width);
        let lines: Vec<Line> = s
            .results
            .iter()
            .enumerate()
            .skip(s.offset)
            .take(height)
            .map(|(i, &item)| {
                let selected = i == s.selected;
                let kind = match item {
                    Item::Part(_) => "part ",
                    Item::Assembly(_) => "assy ",
                };
                let id = browse.item_id(item);
                let room = width.saturating_sub(2 + kind.len() + id.chars().count() + 2);
                let line = Line::from(vec![
                    Span::raw(if selected { "▶ " } else { "  " }),
                    Span::styled(kind, theme.muted),
                    Span::styled(id.to_string(), theme.base),
                    Span::raw("  "),
                    Span::styled(fit_text(browse.item_name(item), room), theme.muted),
                ]);
                if selected {
                    line.style(theme.selected)
                } else {
                    line
                }
            })
            .collect();
        frame.render_widget(Paragraph::new(lines), inner);
    }

    fn view_detail(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let Some(browse) = &self.browse else {
            return;
        };
        let inner_w = usize::from(area.width.saturating_sub(6));
        let (title, mut lines) = if let Some(s) = &self.search {
            match s.results.get(s.selected) {
                Some(&item) => item_detail(browse, item, inner_w, theme),
                None => ("Details".to_string(), Vec::new()),
            }
        } else {
            match self.tree.selected() {
                Some(node) => node_detail(browse, node, inner_w, theme),
                None => ("Details".to_string(), Vec::new()),
            }
        };
        let block = panel(&title, theme);
        let inner = margin(block.inner(area));
        frame.render_widget(block, area);
        let height = usize::from(inner.height);
        if lines.len() > height && height > 0 {
            let hidden = lines.len() - (height - 1);
            lines.truncate(height - 1);
            lines.push(Line::from(Span::styled(
                format!("… {hidden} more lines"),
                theme.muted,
            )));
        }
        frame.render_widget(Paragraph::new(lines), inner);
    }

    /// The where-used panel's lines; the rows with a target can be chosen.
    fn where_used_entries<'a>(&'a self, theme: &Theme) -> Vec<Entry<'a>> {
        let (Some(w), Some(browse)) = (&self.where_used, &self.browse) else {
            return Vec::new();
        };
        let id = browse.item_id(w.item);
        let heading = |text: String| Entry {
            line: Line::from(Span::styled(text, theme.heading)),
            target: None,
        };
        let note = |text: String, style: Style| Entry {
            line: Line::from(Span::styled(format!("  {text}"), style)),
            target: None,
        };
        let blank = || Entry {
            line: Line::default(),
            target: None,
        };
        let mut out = vec![heading(format!(
            "Assemblies that list {id} ({})",
            w.catalog.direct.len()
        ))];
        if w.catalog.direct.is_empty() {
            out.push(note("No assembly lists it.".into(), theme.muted));
        }
        for u in &w.catalog.direct {
            let a = Item::Assembly(u.assembly);
            out.push(Entry {
                line: Line::from(vec![
                    Span::raw(format!("{:>5} × ", u.quantity)),
                    Span::styled(browse.item_id(a).to_string(), theme.base),
                    Span::raw("  "),
                    Span::styled(browse.item_name(a).to_string(), theme.muted),
                ]),
                target: Some(Target::Assembly(u.assembly)),
            });
        }
        if !w.catalog.indirect.is_empty() {
            out.push(blank());
            out.push(heading(format!(
                "Assemblies that contain it through those ({})",
                w.catalog.indirect.len()
            )));
            for &a in &w.catalog.indirect {
                let item = Item::Assembly(a);
                out.push(Entry {
                    line: Line::from(vec![
                        Span::raw("        "),
                        Span::styled(browse.item_id(item).to_string(), theme.base),
                        Span::raw("  "),
                        Span::styled(browse.item_name(item).to_string(), theme.muted),
                    ]),
                    target: Some(Target::Assembly(a)),
                });
            }
        }
        out.push(blank());
        match &w.builds {
            Builds::NotShown => {
                out.push(heading("Open builds".into()));
                out.push(note(
                    "Builds are not shown to the service department.".into(),
                    theme.muted,
                ));
            }
            Builds::Loading(_) => {
                out.push(heading("Open builds whose current BOM contains it".into()));
                out.push(note("Loading builds…".into(), theme.muted));
            }
            Builds::Failed(e) => {
                out.push(heading("Open builds whose current BOM contains it".into()));
                out.push(note(format!("ERROR: {e}"), theme.error));
            }
            Builds::Loaded(builds) => {
                out.push(heading(format!(
                    "Open builds whose current BOM contains it ({})",
                    builds.len()
                )));
                if builds.is_empty() {
                    out.push(note(
                        "No open build's current BOM contains it.".into(),
                        theme.muted,
                    ));
                } else {
                    out.push(Entry {
                        line: Line::from(Span::styled(
                            format!(
                                "  {:<12} {:<12} {:<22} {:<10} {:>4} {:>8}",
                                "PO", "Build", "Status", "Want", "BOM", "Quantity"
                            ),
                            theme.muted,
                        )),
                        target: None,
                    });
                }
                for b in builds {
                    out.push(Entry {
                        line: Line::from(format!(
                            "  {:<12} {:<12} {:<22} {:<10} {:>4} {:>8}",
                            fit_text(&b.po_number, 12),
                            fit_text(&b.build_number, 12),
                            b.status.title(),
                            b.want_date.format("%Y-%m-%d"),
                            format!("v{}", b.bom_version),
                            b.quantity.normalize().to_string(),
                        )),
                        target: Some(Target::Build(b.order_id)),
                    });
                }
            }
        }
        out
    }

    fn view_where_used(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let (Some(w), Some(browse)) = (&self.where_used, &self.browse) else {
            return;
        };
        let title = format!(
            "Where used: {} {}",
            browse.item_id(w.item),
            fit_text(browse.item_name(w.item), 40)
        );
        dim(frame, area, theme);
        let width = area.width.saturating_sub(4).min(96);
        let height = area.height.saturating_sub(2);
        let outer = crate::widgets::centered(area, width, height);
        let inner = dialog(frame, outer, &title, theme);
        let entries = self.where_used_entries(theme);
        let Some(w) = &self.where_used else {
            return;
        };
        let targets = entries.iter().filter(|e| e.target.is_some()).count();
        let selected = w.selected.min(targets.saturating_sub(1));
        // The row of the selection among all lines.
        let mut seen = 0;
        let mut selected_row = None;
        for (i, e) in entries.iter().enumerate() {
            if e.target.is_some() {
                if seen == selected {
                    selected_row = Some(i);
                }
                seen += 1;
            }
        }
        let height = usize::from(inner.height);
        let mut offset = w.offset;
        if let Some(r) = selected_row {
            if r < offset {
                offset = r;
            } else if height > 0 && r >= offset + height {
                offset = r + 1 - height;
            }
        }
        let width = usize::from(inner.width);
        let lines: Vec<Line> = entries
            .into_iter()
            .enumerate()
            .skip(offset)
            .take(height)
            .map(|(i, e)| {
                if Some(i) == selected_row {
                    let mut spans = vec![Span::raw("▶")];
                    spans.extend(e.line.spans);
                    Line::from(spans).style(theme.selected)
                } else {
                    let mut spans = vec![Span::raw(" ")];
                    spans.extend(e.line.spans);
                    Line::from(spans).style(e.line.style)
                }
            })
            .map(|l| cut_line(l, width))
            .collect();
        frame.render_widget(Paragraph::new(lines), inner);
        if let Some(w) = &mut self.where_used {
            w.offset = offset;
        }
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
    let cur = s.selected.min(n - 1);
    s.selected = match action {
        Action::Up => cur.saturating_sub(1),
        Action::Down => (cur + 1).min(n - 1),
        Action::PageUp => cur.saturating_sub(PAGE),
        Action::PageDown => (cur + PAGE).min(n - 1),
        Action::First => 0,
        Action::Last => n - 1,
        _ => cur,
    };
}

/// A panel's inside with a one-column margin on each side.
fn margin(inner: Rect) -> Rect {
    crate::widgets::inset(inner, 1)
}

/// A line no wider than `width` (the last span cut with `…`), so long names never wrap.
fn cut_line(line: Line<'_>, width: usize) -> Line<'_> {
    let style = line.style;
    let mut left = width;
    let mut spans = Vec::new();
    for span in line.spans {
        if left == 0 {
            break;
        }
        let n = span.content.chars().count();
        if n <= left {
            left -= n;
            spans.push(span);
        } else {
            spans.push(Span::styled(fit_text(&span.content, left), span.style));
            left = 0;
        }
    }
    Line::from(spans).style(style)
}

fn node_label<'a>(browse: &Browse, node: usize, room: usize, theme: &Theme) -> Vec<Span<'a>> {
    let Some(n) = browse.node(node) else {
        return Vec::new();
    };
    let quantity = |link: Option<usize>| -> Option<String> {
        link.and_then(|l| browse.link(l))
            .map(|l| format!("{}× ", l.quantity))
    };
    let mut spans: Vec<Span<'a>> = Vec::new();
    let mut used = 0;
    let mut push = |spans: &mut Vec<Span<'a>>, text: String, style: Style| {
        let text = fit_text(&text, room.saturating_sub(used));
        used += text.chars().count();
        spans.push(Span::styled(text, style));
    };
    match &n.kind {
        NodeKind::Category(c) => {
            if let Some(c) = browse.category(*c) {
                push(&mut spans, format!("{} ", c.id), theme.muted);
                push(&mut spans, c.name.clone(), theme.heading);
            }
        }
        NodeKind::Group(g) => {
            push(
                &mut spans,
                format!("{} ({})", g.title(), browse.group_count(*g)),
                theme.heading,
            );
        }
        NodeKind::Item { item, link } => {
            if let Some(q) = quantity(*link) {
                push(&mut spans, q, theme.muted);
            }
            push(&mut spans, browse.item_id(*item).to_string(), theme.base);
            if inactive(browse, *item) {
                push(&mut spans, " INACTIVE".into(), theme.warn);
            }
            push(
                &mut spans,
                format!("  {}", browse.item_name(*item)),
                theme.muted,
            );
        }
        NodeKind::Cycle { item, link } => {
            if let Some(q) = quantity(Some(*link)) {
                push(&mut spans, q, theme.muted);
            }
            push(&mut spans, browse.item_id(*item).to_string(), theme.base);
            push(&mut spans, " ↻ lists itself".into(), theme.warn);
        }
        NodeKind::Missing { id, link } => {
            if let Some(q) = quantity(Some(*link)) {
                push(&mut spans, q, theme.muted);
            }
            push(&mut spans, id.clone(), theme.base);
            push(&mut spans, " NOT IN CATALOG".into(), theme.error);
        }
    }
    spans
}

fn inactive(browse: &Browse, item: Item) -> bool {
    use crate::domain::catalog::EntityStatus;
    match item {
        Item::Part(p) => browse
            .part(p)
            .is_some_and(|p| p.status == EntityStatus::Inactive),
        Item::Assembly(a) => browse
            .assembly(a)
            .is_some_and(|a| a.status == EntityStatus::Inactive),
    }
}

/// `label  value` lines; a long value continues on the next lines under itself.
fn field<'a>(label: &str, value: Option<&str>, width: usize, theme: &Theme) -> Vec<Line<'a>> {
    let value = value.map(str::trim).filter(|v| !v.is_empty());
    let room = width.saturating_sub(LABEL_W + 1).max(10);
    let chunks = match value {
        Some(v) => wrap(v, room),
        None => vec![NONE.to_string()],
    };
    chunks
        .into_iter()
        .enumerate()
        .map(|(i, chunk)| {
            let label = if i == 0 { label } else { "" };
            Line::from(vec![
                Span::styled(format!("{label:<LABEL_W$} "), theme.muted),
                Span::styled(chunk, theme.base),
            ])
        })
        .collect()
}

/// A field shown only when it holds a value; an empty one is named in the "Not recorded" line instead,
/// so the fields that matter stay in view.
fn optional<'a>(
    missing: &mut Vec<&'static str>,
    label: &'static str,
    value: Option<&str>,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'a>> {
    if value.is_some_and(|v| !v.trim().is_empty()) {
        field(label, value, width, theme)
    } else {
        missing.push(label);
        Vec::new()
    }
}

fn not_recorded<'a>(missing: &[&str], width: usize, theme: &Theme) -> Vec<Line<'a>> {
    if missing.is_empty() {
        return Vec::new();
    }
    let text = missing
        .iter()
        .map(|m| match *m {
            "QR data" => m.to_string(),
            "Work instr." => "work instruction".to_string(),
            other => other.to_lowercase(),
        })
        .collect::<Vec<_>>()
        .join(", ");
    field("Not recorded", Some(&text), width, theme)
        .into_iter()
        .map(|l| l.patch_style(theme.muted))
        .collect()
}

fn date(at: Option<NaiveDateTime>) -> Option<String> {
    at.map(|t| t.format("%Y-%m-%d %H:%M").to_string())
}

fn yes_no(v: bool) -> Option<&'static str> {
    Some(if v { "yes" } else { "no" })
}

fn category_text(browse: &Browse, code: Option<&str>) -> Option<String> {
    let code = code?;
    Some(match browse.category_by_id(code) {
        Some(c) => format!("{} {}", c.id, c.name),
        None => format!("{code} (not a known category)"),
    })
}

/// One row of a detail pane: always shown, or shown only when it holds a value (see [`optional`]).
enum Row {
    Always(&'static str, Option<String>),
    Optional(&'static str, Option<String>),
}

fn text(v: &str) -> Option<String> {
    Some(v.to_string())
}

/// The rows in order, then the "Not recorded" line naming the empty optional ones.
fn detail_rows<'a>(rows: Vec<Row>, w: usize, theme: &Theme) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    let mut missing = Vec::new();
    for row in rows {
        match row {
            Row::Always(label, value) => lines.extend(field(label, value.as_deref(), w, theme)),
            Row::Optional(label, value) => {
                lines.extend(optional(&mut missing, label, value.as_deref(), w, theme));
            }
        }
    }
    lines.extend(not_recorded(&missing, w, theme));
    lines
}

fn part_lines<'a>(p: &PartRecord, w: usize, theme: &Theme) -> Vec<Line<'a>> {
    detail_rows(
        vec![
            Row::Always("Id", text(&p.id)),
            Row::Always("Name", text(&p.name)),
            Row::Always("Kind", text("Part")),
            Row::Always("Type", text(p.part_type.code())),
            Row::Always("Status", text(p.status.code())),
            Row::Optional("Mfr part no.", p.manufacturer_part_number.clone()),
            Row::Optional("Manufacturer", p.manufacturer_info.clone()),
            Row::Optional("Description", p.description.clone()),
            Row::Optional("Photo", p.photo_url.clone()),
            Row::Optional("Drawing", p.technical_drawing_url.clone()),
            Row::Optional("Created", date(p.created_at)),
            Row::Optional("Updated", date(p.updated_at)),
        ],
        w,
        theme,
    )
}

fn assembly_lines<'a>(
    browse: &Browse,
    asm: &AssemblyRecord,
    w: usize,
    theme: &Theme,
) -> Vec<Line<'a>> {
    detail_rows(
        vec![
            Row::Always("Id", text(&asm.id)),
            Row::Always("Name", text(&asm.name)),
            Row::Always("Kind", text("Assembly")),
            Row::Always("Type", text(asm.assembly_type.code())),
            Row::Always("Status", text(asm.status.code())),
            Row::Always(
                "Category",
                category_text(browse, asm.category_code.as_deref()),
            ),
            Row::Always(
                "Subcategory",
                category_text(browse, asm.subcategory_code.as_deref()),
            ),
            Row::Always("Can be ordered", yes_no(asm.can_order).map(str::to_string)),
            Row::Always("Kit", yes_no(asm.is_kit).map(str::to_string)),
            Row::Optional("Kit components", asm.kit_components.clone()),
            Row::Optional("QR data", asm.qr_data.clone()),
            Row::Optional("Work instr.", asm.work_instruction.clone()),
            Row::Optional("Description", asm.description.clone()),
            Row::Optional("Photo", asm.photo_url.clone()),
            Row::Optional("Drawing", asm.technical_drawing_url.clone()),
            Row::Optional("Created", date(asm.created_at)),
            Row::Optional("Updated", date(asm.updated_at)),
        ],
        w,
        theme,
    )
}

/// The detail of one part or assembly, with its pane title.
fn item_detail<'a>(
    browse: &Browse,
    item: Item,
    w: usize,
    theme: &Theme,
) -> (String, Vec<Line<'a>>) {
    let uses = browse.catalog_use(item);
    let used = match uses.direct.len() {
        0 => "no assembly".to_string(),
        1 => "1 assembly".to_string(),
        n => format!("{n} assemblies"),
    };
    match item {
        Item::Part(p) => {
            let Some(part) = browse.part(p) else {
                return ("Details".into(), Vec::new());
            };
            let mut lines = part_lines(part, w, theme);
            if let Some(twin) = browse.twin(item) {
                let text = format!(
                    "assembly {}: BOMs use the assembly for this id",
                    browse.item_id(twin)
                );
                lines.extend(field("Twin", Some(&text), w, theme));
            }
            lines.extend(field(
                "Listed by",
                Some(&format!("{used} (w: where used)")),
                w,
                theme,
            ));
            (format!("Part {}", part.id), lines)
        }
        Item::Assembly(a) => {
            let Some(asm) = browse.assembly(a) else {
                return ("Details".into(), Vec::new());
            };
            let mut lines = assembly_lines(browse, asm, w, theme);
            if let Some(twin) = browse.twin(item) {
                let text = format!("part {}: the same item in BOMs", browse.item_id(twin));
                lines.extend(field("Twin", Some(&text), w, theme));
            }
            lines.extend(field(
                "Listed by",
                Some(&format!("{used} (w: where used)")),
                w,
                theme,
            ));
            let comps = browse.components(a);
            lines.push(Line::default());
            lines.push(Line::from(Span::styled(
                format!("Components ({})", comps.len()),
                theme.heading,
            )));
            for &l in comps {
                let Some(link) = browse.link(l) else { continue };
                let name = browse
                    .resolve(&link.child_id)
                    .map(|i| browse.item_name(i).to_string())
                    .unwrap_or_else(|| "NOT IN CATALOG".into());
                let head = format!("{:>4} × {}  ", link.quantity, link.child_id);
                let room = w.saturating_sub(head.chars().count());
                lines.push(Line::from(vec![
                    Span::styled(head, theme.base),
                    Span::styled(fit_text(&name, room), theme.muted),
                ]));
            }
            (format!("Assembly {}", asm.id), lines)
        }
    }
}

/// The detail of a tree node: an item (with its link when it sits under an assembly), a category or a
/// group.
fn node_detail<'a>(
    browse: &Browse,
    node: usize,
    w: usize,
    theme: &Theme,
) -> (String, Vec<Line<'a>>) {
    let Some(n) = browse.node(node) else {
        return ("Details".into(), Vec::new());
    };
    let parent_item = n.parent.and_then(|p| browse.node_item(p));
    let link_lines = |link: usize, theme: &Theme| -> Vec<Line<'a>> {
        let Some(l) = browse.link(link) else {
            return Vec::new();
        };
        let parent = parent_item.map_or(l.parent_id.as_str(), |p| browse.item_id(p));
        let mut lines = field(
            "Quantity",
            Some(&format!("{} in {parent}", l.quantity)),
            w,
            theme,
        );
        if l.notes.as_deref().is_some_and(|n| !n.trim().is_empty()) {
            lines.extend(field("Link notes", l.notes.as_deref(), w, theme));
        }
        lines
    };
    match &n.kind {
        NodeKind::Category(c) => {
            let Some(cat) = browse.category(*c) else {
                return ("Details".into(), Vec::new());
            };
            let counts = browse.category_counts(*c);
            let mut lines = Vec::new();
            lines.extend(field("Code", Some(&cat.id), w, theme));
            lines.extend(field("Name", Some(&cat.name), w, theme));
            lines.extend(field("Description", cat.description.as_deref(), w, theme));
            let title = if let Some(parent) = &cat.parent_id {
                lines.extend(field(
                    "Category",
                    category_text(browse, Some(parent)).as_deref(),
                    w,
                    theme,
                ));
                format!("Subcategory {}", cat.id)
            } else {
                lines.extend(field(
                    "Subcategories",
                    Some(&counts.subcategories.to_string()),
                    w,
                    theme,
                ));
                format!("Category {}", cat.id)
            };
            lines.extend(field(
                "Assemblies",
                Some(&counts.assemblies.to_string()),
                w,
                theme,
            ));
            (title, lines)
        }
        NodeKind::Group(g) => {
            let explanation = match g {
                Group::Uncategorised => "Assemblies whose category code names no category.",
                Group::LooseParts => {
                    "Parts no assembly lists, and parts whose id an assembly of the same id with \
                     ASSY- in front stands in for (the BOM uses that assembly)."
                }
            };
            let mut lines = field("Items", Some(&browse.group_count(*g).to_string()), w, theme);
            lines.extend(
                wrap(explanation, w)
                    .into_iter()
                    .map(|l| Line::from(Span::styled(l, theme.muted))),
            );
            (g.title().to_string(), lines)
        }
        NodeKind::Item { item, link } => {
            let (title, mut lines) = item_detail(browse, *item, w, theme);
            if let Some(l) = link {
                let mut head = link_lines(*l, theme);
                head.append(&mut lines);
                lines = head;
            }
            (title, lines)
        }
        NodeKind::Cycle { item, link } => {
            let (title, lines) = item_detail(browse, *item, w, theme);
            let mut head = link_lines(*link, theme);
            head.extend(
                wrap(
                    "This assembly lists itself; the tree does not open it again here.",
                    w,
                )
                .into_iter()
                .map(|l| Line::from(Span::styled(l, theme.warn))),
            );
            head.extend(lines);
            (title, head)
        }
        NodeKind::Missing { id, link } => {
            let mut lines = link_lines(*link, theme);
            lines.extend(
                wrap(
                    &format!("ERROR: the component {id} is not in the catalog."),
                    w,
                )
                .into_iter()
                .map(|l| Line::from(Span::styled(l, theme.error))),
            );
            (format!("Component {id}"), lines)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalog::{AssemblyType, ComponentType, EntityStatus, PartType};
    use crate::domain::inventory::{AssemblyRecord, CategoryRecord, Inventory, LinkRecord};
    use crate::domain::session::Session;
    use crate::domain::user::UserSummary;
    use crate::keymap::Keymap;
    use crate::msg::DbRequest;
    use crate::screens::IdGen;

    fn session(role: Role) -> Session {
        Session {
            token: "t".into(),
            user: UserSummary {
                id: Uuid::nil(),
                username: "u".into(),
                full_name: "U".into(),
                initials: "U".into(),
                role,
                is_active: true,
                last_login_at: None,
                must_change_password: false,
            },
            expires_at: NaiveDateTime::default(),
        }
    }

    fn requests(cmd: Command) -> Vec<DbRequest> {
        match cmd {
            Command::Db(r) => vec![r],
            Command::Batch(cs) => cs.into_iter().flat_map(requests).collect(),
            Command::None | Command::Quit => Vec::new(),
        }
    }

    fn inventory() -> Inventory {
        let part = |id: &str, name: &str| PartRecord {
            id: id.into(),
            name: name.into(),
            manufacturer_part_number: None,
            manufacturer_info: None,
            part_type: PartType::Component,
            status: EntityStatus::Active,
            photo_url: None,
            technical_drawing_url: None,
            description: None,
            created_at: None,
            updated_at: None,
        };
        Inventory {
            categories: vec![CategoryRecord {
                id: "718".into(),
                name: "CONTROL BOX".into(),
                description: None,
                parent_id: None,
                level: 0,
            }],
            parts: vec![part("VALVE-1", "SOLENOID VALVE"), part("NUT", "HEX NUT")],
            assemblies: vec![AssemblyRecord {
                id: "BOX".into(),
                name: "CONTROL BOX".into(),
                assembly_type: AssemblyType::Simple,
                category_code: Some("718".into()),
                subcategory_code: None,
                can_order: true,
                is_kit: false,
                status: EntityStatus::Active,
                photo_url: None,
                technical_drawing_url: None,
                description: None,
                qr_data: None,
                kit_components: None,
                work_instruction: None,
                created_at: None,
                updated_at: None,
            }],
            links: vec![LinkRecord {
                parent_id: "BOX".into(),
                child_type: ComponentType::Part,
                child_id: "VALVE-1".into(),
                quantity: 2,
                notes: None,
            }],
        }
    }

    /// A screen with the fixture catalog loaded.
    fn loaded(role: Role, ids: &mut IdGen, km: &Keymap) -> InventoryScreen {
        let session = session(role);
        let mut ctx = Ctx::new(ids, Some(&session), km);
        let (mut s, cmd) = InventoryScreen::open(&mut ctx);
        let load = requests(cmd);
        assert!(matches!(load[0].kind, Request::Inventory { .. }));
        s.update(
            ScreenMsg::Db(DbReply {
                id: load[0].id,
                result: Ok(Reply::Inventory(Box::new(inventory()))),
            }),
            &mut ctx,
        );
        s
    }

    #[test]
    fn search_then_enter_shows_the_match_in_the_tree_and_where_used_asks_for_builds() {
        let mut ids = IdGen::default();
        let km = Keymap::default();
        let mut s = loaded(Role::ProcurementSpecialist, &mut ids, &km);
        let session = session(Role::ProcurementSpecialist);
        let mut ctx = Ctx::new(&mut ids, Some(&session), &km);
        s.update(ScreenMsg::Action(Action::Search), &mut ctx);
        assert_eq!(s.key_contexts()[0], KeyContext::TextInput);
        for c in "valve".chars() {
            s.update(ScreenMsg::Char(c), &mut ctx);
        }
        assert_eq!(s.selected_item(), Some(Item::Part(0)));
        s.update(ScreenMsg::Action(Action::Search), &mut ctx);
        s.update(ScreenMsg::Action(Action::ShowInTree), &mut ctx);
        // Back in the tree, at the valve under its assembly.
        assert_eq!(s.key_contexts()[0], KeyContext::Inventory);
        assert_eq!(s.selected_item(), Some(Item::Part(0)));
        let reqs = requests(s.update(ScreenMsg::Action(Action::WhereUsed), &mut ctx));
        assert!(matches!(
            &reqs[0].kind,
            Request::WhereUsed { item_id, .. } if item_id == "VALVE-1"
        ));
        assert_eq!(s.key_contexts()[0], KeyContext::WhereUsedList);
        // A stale reply is ignored; the right one fills the panel.
        s.update(
            ScreenMsg::Db(DbReply {
                id: RequestId(999),
                result: Ok(Reply::WhereUsed(Vec::new())),
            }),
            &mut ctx,
        );
        assert!(matches!(
            s.where_used.as_ref().map(|w| &w.builds),
            Some(Builds::Loading(_))
        ));
        let order = Uuid::from_u128(5);
        s.update(
            ScreenMsg::Db(DbReply {
                id: reqs[0].id,
                result: Ok(Reply::WhereUsed(vec![BuildUse {
                    order_id: order,
                    po_number: "PO-1".into(),
                    build_number: "B-1".into(),
                    status: crate::domain::order::OrderStatus::PartsSent,
                    want_date: chrono::NaiveDate::default(),
                    bom_version: 1,
                    quantity: rust_decimal::Decimal::from(2),
                }])),
            }),
            &mut ctx,
        );
        // Rows: the assembly BOX, then the build.
        s.update(ScreenMsg::Action(Action::Down), &mut ctx);
        s.update(ScreenMsg::Action(Action::Open), &mut ctx);
        assert!(
            ctx.into_effects()
                .contains(&Effect::Navigate(ScreenId::OrderDetail(order)))
        );
        // Enter on the assembly jumps to it in the tree.
        let mut ctx = Ctx::new(&mut ids, Some(&session), &km);
        s.update(ScreenMsg::Action(Action::Up), &mut ctx);
        s.update(ScreenMsg::Action(Action::Open), &mut ctx);
        assert!(!s.is_where_used_open());
        assert_eq!(s.selected_item(), Some(Item::Assembly(0)));
    }

    #[test]
    fn the_service_department_is_not_asked_for_builds() {
        let mut ids = IdGen::default();
        let km = Keymap::default();
        let mut s = loaded(Role::ServiceDepartment, &mut ids, &km);
        let session = session(Role::ServiceDepartment);
        let mut ctx = Ctx::new(&mut ids, Some(&session), &km);
        // The first node is the category: where used is for items only.
        let cmd = s.update(ScreenMsg::Action(Action::WhereUsed), &mut ctx);
        assert!(requests(cmd).is_empty());
        assert!(!s.is_where_used_open());
        s.update(ScreenMsg::Action(Action::Expand), &mut ctx);
        s.update(ScreenMsg::Action(Action::Down), &mut ctx);
        assert_eq!(s.selected_item(), Some(Item::Assembly(0)));
        let cmd = s.update(ScreenMsg::Action(Action::WhereUsed), &mut ctx);
        assert!(requests(cmd).is_empty());
        assert!(matches!(
            s.where_used.as_ref().map(|w| &w.builds),
            Some(Builds::NotShown)
        ));
        s.update(ScreenMsg::Action(Action::Close), &mut ctx);
        assert!(!s.is_where_used_open());
        s.update(ScreenMsg::Action(Action::Back), &mut ctx);
        assert!(
            ctx.into_effects()
                .contains(&Effect::Navigate(ScreenId::Home))
        );
    }

    #[test]
    fn a_failed_load_can_be_retried_with_enter() {
        let mut ids = IdGen::default();
        let km = Keymap::default();
        let session = session(Role::Assembler);
        let mut ctx = Ctx::new(&mut ids, Some(&session), &km);
        let (mut s, cmd) = InventoryScreen::open(&mut ctx);
        let load = requests(cmd);
        s.update(
            ScreenMsg::Db(DbReply {
                id: load[0].id,
                result: Err(crate::db::DbError::Unavailable("down".into())),
            }),
            &mut ctx,
        );
        assert!(s.error.is_some());
        let again = requests(s.update(ScreenMsg::Action(Action::ToggleNode), &mut ctx));
        assert!(matches!(again[0].kind, Request::Inventory { .. }));
    }

    #[test]
    fn wrap_splits_on_words_and_long_words() {
        assert_eq!(wrap("one two three", 7), vec!["one two", "three"]);
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 4), vec![""]);
    }
}
