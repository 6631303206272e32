//! The BOM viewer: a build's BOM as a tree, its flattened totals, its versions and their differences.
//!
//! Documents are loaded by version and kept, so moving between versions and comparing them asks the
//! database once per version. Every request's id is remembered with what it was for; a reply nobody
//! waits for any more (after a refresh) is dropped.

mod export;
mod live;
mod totals;
mod versions;
mod view;

pub use totals::TotalsSort;

use crate::domain::bom::ItemType;
use crate::domain::bom_diff::BomDiff;
use crate::domain::bom_document::{BomDocument, BomVersionList, FlatLine, StoredItem};
use crate::error::ServiceError;
use crate::keymap::{Action, KeyContext};
use crate::msg::{Command, Reply, Request, RequestId, ServiceReply};
use crate::screens::Screen;
use crate::screens::live_load::LiveLoad;
use crate::screens::{Ctx, Effect, ScreenId};
use crate::theme::Theme;
use crate::widgets::form_field::{Form, FormField};
use crate::widgets::list_step;
use crate::widgets::tree::TreeState;
use crate::widgets::viewport::Viewport;
use ratatui::Frame;
use ratatui::layout::Rect;
use std::collections::HashMap;
use uuid::Uuid;

/// The three views Tab moves between.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Tree,
    Totals,
    Versions,
}

impl View {
    pub const ALL: [View; 3] = [View::Tree, View::Totals, View::Versions];

    pub fn label(self) -> &'static str {
        match self {
            View::Tree => "Tree",
            View::Totals => "Totals",
            View::Versions => "Versions",
        }
    }

    fn next(self) -> View {
        match self {
            View::Tree => View::Totals,
            View::Totals => View::Versions,
            View::Versions => View::Tree,
        }
    }

    fn prev(self) -> View {
        self.next().next()
    }
}

/// What a request in flight was for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Load {
    Versions,
    /// A document; `show` puts it in the tree when it arrives (otherwise it is for a diff).
    Document {
        show: bool,
    },
    Export,
}

/// The text search over the tree.
#[derive(Debug, Clone)]
struct Search {
    /// The search box, while it has focus.
    input: Option<FormField>,
    /// The text searched for last, lowercased; empty when no search is active.
    query: String,
    /// The text as typed, for messages.
    shown: String,
    /// "no match for '…'", until the next search.
    no_match: bool,
}

/// The export dialog: format and directory.
struct ExportDialog {
    form: Form,
    error: Option<String>,
}

const FORMAT: usize = 0;
const DIRECTORY: usize = 1;

pub struct BomViewerScreen {
    order_id: Uuid,
    view: View,
    versions: Option<Box<BomVersionList>>,
    docs: HashMap<Uuid, Box<BomDocument>>,
    /// The version the tree and totals show.
    shown: Option<Uuid>,
    loads: HashMap<RequestId, Load>,
    /// The version asked for with Enter, until it arrives.
    opening: Option<i32>,
    /// The last load's refusal or failure.
    error: Option<String>,
    no_bom: bool,
    tree: TreeState,
    search: Search,
    totals: Vec<FlatLine>,
    sort: TotalsSort,
    descending: bool,
    totals_selected: usize,
    /// The first total shown (docs/performance.md §1.2).
    totals_view: Viewport,
    figures: totals::Figures,
    version_selected: usize,
    marked: Option<Uuid>,
    /// The pair (older, newer) a diff waits for.
    diff_wanted: Option<(Uuid, Uuid)>,
    diff: Option<BomDiff>,
    diff_scroll: usize,
    export: Option<ExportDialog>,
    /// The format index and directory of the last export sent from this screen.
    last_export: (usize, String),
    /// Information for the user: where an export went, why a diff cannot be shown.
    notice: Option<String>,
    /// Rows per page in the current list, from the last draw.
    page: usize,
    /// Re-reads after another station's change (docs/live.md §3.4).
    live: crate::screens::live_reads::LiveReads,
}

impl BomViewerScreen {
    pub fn open(order_id: Uuid, ctx: &mut Ctx) -> (BomViewerScreen, Command) {
        let mut s = BomViewerScreen {
            order_id,
            view: View::Tree,
            versions: None,
            docs: HashMap::new(),
            shown: None,
            loads: HashMap::new(),
            opening: None,
            error: None,
            no_bom: false,
            tree: TreeState::default(),
            search: Search {
                input: None,
                query: String::new(),
                shown: String::new(),
                no_match: false,
            },
            totals: Vec::new(),
            sort: TotalsSort::Id,
            descending: false,
            totals_selected: 0,
            totals_view: Viewport::default(),
            figures: totals::Figures::default(),
            version_selected: 0,
            marked: None,
            diff_wanted: None,
            diff: None,
            diff_scroll: 0,
            export: None,
            last_export: (0, String::new()),
            notice: None,
            page: 10,
            live: Default::default(),
        };
        let cmd = s.reload(ctx);
        (s, cmd)
    }

    pub fn view_shown(&self) -> View {
        self.view
    }

    /// The document the tree and totals show.
    pub fn document(&self) -> Option<&BomDocument> {
        self.shown.and_then(|id| self.docs.get(&id)).map(|d| &**d)
    }

    pub fn diff(&self) -> Option<&BomDiff> {
        self.diff.as_ref()
    }

    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    pub fn tree(&self) -> &TreeState {
        &self.tree
    }

    pub fn totals(&self) -> &[FlatLine] {
        &self.totals
    }

    pub fn is_loading(&self) -> bool {
        self.loads
            .values()
            .any(|l| matches!(l, Load::Versions | Load::Document { .. }))
    }

    fn version_count(&self) -> usize {
        self.versions.as_ref().map_or(0, |v| v.versions.len())
    }

    fn request(&mut self, kind: Request, load: Load, ctx: &mut Ctx) -> Command {
        let (id, cmd) = ctx.request(kind);
        self.loads.insert(id, load);
        cmd
    }

    /// Loads the version list and the document shown (the current one at first), forgetting every
    /// reply still on its way.
    fn reload(&mut self, ctx: &mut Ctx) -> Command {
        let Some(token) = ctx.token() else {
            return Command::None;
        };
        self.loads.clear();
        self.diff_wanted = None;
        self.opening = None;
        let versions = self.request(
            Request::BomVersions {
                token: token.clone(),
                order_id: self.order_id,
            },
            Load::Versions,
            ctx,
        );
        let doc = self.request(
            Request::BomDocument {
                token,
                order_id: self.order_id,
                bom_id: self.shown,
            },
            Load::Document { show: true },
            ctx,
        );
        // A refreshed version may differ; documents are read again when needed.
        self.docs.retain(|id, _| Some(*id) == self.shown);
        versions.and(doc)
    }

    fn type_text(&mut self, f: impl FnOnce(&mut FormField) -> bool) {
        if let Some(dialog) = &mut self.export {
            if let Some(field) = dialog.form.focused_mut() {
                f(field);
            }
        } else if let Some(input) = &mut self.search.input {
            f(input);
        }
    }

    // --- Tree ------------------------------------------------------------------------------------

    fn on_tree_action(&mut self, action: Action) {
        let page = isize::try_from(self.page).unwrap_or(10);
        match action {
            Action::ToggleNode => self.tree.toggle(),
            Action::Expand => self.tree.expand(),
            Action::Collapse => self.tree.collapse(),
            Action::ExpandAll => self.tree.expand_all(),
            Action::CollapseAll => self.tree.collapse_all(),
            Action::Up => self.tree.move_by(-1),
            Action::Down => self.tree.move_by(1),
            Action::PageUp => self.tree.move_by(-page),
            Action::PageDown => self.tree.move_by(page),
            Action::First => self.tree.select_first(),
            Action::Last => self.tree.select_last(),
            Action::Search => {
                let mut field = FormField::text("Search").with_max_len(64);
                field.set_value(&self.search.shown);
                self.search.input = Some(field);
            }
            Action::NextMatch => self.jump(true),
            Action::PrevMatch => self.jump(false),
            _ => {}
        }
    }

    fn on_search_action(&mut self, action: Action) {
        match action {
            Action::Search => {
                let text = self
                    .search
                    .input
                    .as_ref()
                    .map(|f| f.value().trim().to_string())
                    .unwrap_or_default();
                if text.is_empty() {
                    self.clear_search();
                    return;
                }
                self.search.query = text.to_lowercase();
                self.search.shown = text;
                self.jump(true);
                // Keep the box open on a miss, so the text can be corrected.
                if !self.search.no_match {
                    self.search.input = None;
                }
            }
            Action::ClearSearch => self.clear_search(),
            other => {
                if let Some(input) = &mut self.search.input {
                    input.edit(other);
                }
            }
        }
    }

    fn clear_search(&mut self) {
        self.search.input = None;
        self.search.query.clear();
        self.search.shown.clear();
        self.search.no_match = false;
    }

    /// Whether item `index` matches the active search: its id or name contains the text, in any case.
    pub fn is_match(&self, index: usize) -> bool {
        !self.search.query.is_empty()
            && self
                .document()
                .and_then(|d| d.items.get(index))
                .is_some_and(|i| item_matches(i, &self.search.query))
    }

    /// Selects the next (or previous) match, opening its ancestors.
    fn jump(&mut self, forward: bool) {
        if self.search.query.is_empty() {
            return;
        }
        let found = match self.document() {
            Some(doc) => self.tree.find(forward, |i| {
                doc.items
                    .get(i)
                    .is_some_and(|item| item_matches(item, &self.search.query))
            }),
            None => None,
        };
        self.search.no_match = found.is_none();
        if let Some(node) = found {
            self.tree.reveal(node);
        }
    }

    /// `(position of the selection among the matches (1-based, when it is one), number of matches)`.
    pub fn match_position(&self) -> (Option<usize>, usize) {
        let Some(doc) = self.document() else {
            return (None, 0);
        };
        if self.search.query.is_empty() {
            return (None, 0);
        }
        let selected = self.tree.selected();
        let mut total = 0;
        let mut at = None;
        for (i, item) in doc.items.iter().enumerate() {
            if item_matches(item, &self.search.query) {
                total += 1;
                if Some(i) == selected {
                    at = Some(total);
                }
            }
        }
        (at, total)
    }

    // --- Totals ----------------------------------------------------------------------------------

    fn on_totals_action(&mut self, action: Action) {
        match action {
            Action::SortNext => {
                self.sort = self.sort.next();
                self.descending = self.sort.starts_descending();
                self.sort_totals();
            }
            Action::SortReverse => {
                self.descending = !self.descending;
                self.sort_totals();
            }
            _ => {
                let n = self.totals.len();
                if let Some(i) = list_step(action, self.totals_selected, n, self.page) {
                    self.totals_selected = i;
                }
            }
        }
    }

    fn sort_totals(&mut self) {
        totals::sort(&mut self.totals, self.sort, self.descending);
    }

    pub fn sort_key(&self) -> (TotalsSort, bool) {
        (self.sort, self.descending)
    }

    // --- Replies ---------------------------------------------------------------------------------

    /// Puts version `id` in the tree and totals; the tree starts collapsed and the search is cleared.
    fn show(&mut self, id: Uuid) {
        let Some(doc) = self.docs.get(&id) else {
            return;
        };
        self.tree = TreeState::new(doc.items.iter().map(|i| i.parent).collect());
        self.totals = doc.flattened();
        self.figures = totals::Figures::of(doc, &self.totals);
        self.totals_selected = 0;
        self.totals_view.reset();
        self.shown = Some(id);
        self.sort_totals();
        self.search.no_match = false;
    }
}

impl Screen for BomViewerScreen {
    fn title(&self) -> &'static str {
        "BOM"
    }

    fn key_contexts(&self) -> Vec<KeyContext> {
        if let Some(dialog) = &self.export {
            let mut stack = dialog.form.key_contexts();
            stack.push(KeyContext::Dialog);
            return stack;
        }
        if self.search.input.is_some() {
            return vec![KeyContext::TextInput, KeyContext::SearchField];
        }
        if self.diff.is_some() {
            return vec![KeyContext::List, KeyContext::BomViewer];
        }
        let inner = match self.view {
            View::Tree if self.document().is_some() => Some(KeyContext::BomTree),
            View::Totals if self.document().is_some() => Some(KeyContext::BomTotals),
            View::Versions if self.version_count() > 0 => Some(KeyContext::BomVersions),
            _ => None,
        };
        match inner {
            Some(c) => vec![c, KeyContext::List, KeyContext::BomViewer],
            None => vec![KeyContext::BomViewer],
        }
    }

    fn on_action(&mut self, action: Action, ctx: &mut Ctx) -> Command {
        if self.export.is_some() {
            return self.on_export_action(action, ctx);
        }
        if self.search.input.is_some() {
            self.on_search_action(action);
            return Command::None;
        }
        if self.diff.is_some() {
            self.on_diff_action(action);
            return Command::None;
        }
        match action {
            Action::Back => {
                ctx.emit(Effect::Navigate(ScreenId::OrderDetail(self.order_id)));
                Command::None
            }
            Action::NextView | Action::PrevView => {
                self.view = if action == Action::NextView {
                    self.view.next()
                } else {
                    self.view.prev()
                };
                self.notice = None;
                Command::None
            }
            Action::Refresh => {
                self.notice = None;
                self.reload(ctx)
            }
            Action::ExportBom => {
                self.open_export();
                Command::None
            }
            other => match self.view {
                View::Tree => {
                    self.on_tree_action(other);
                    Command::None
                }
                View::Totals => {
                    self.on_totals_action(other);
                    Command::None
                }
                View::Versions => self.on_versions_action(other, ctx),
            },
        }
    }

    fn on_reply(&mut self, reply: ServiceReply, ctx: &mut Ctx) -> Command {
        let live = self.live_answered(reply.id);
        let Some(load) = self.loads.remove(&reply.id) else {
            return self.live_next(ctx);
        };
        let mut more = Command::None;
        match (load, reply.result) {
            (Load::Versions, Ok(Reply::BomVersions(list))) => {
                if let Some(by) = &live {
                    more = self.live_versions(&list, by, ctx);
                }
                // The selection stays on its version when a new one arrives above it.
                let kept = self
                    .selected_version()
                    .and_then(|v| list.versions.iter().position(|x| x.id == v.id));
                self.no_bom = list.versions.is_empty();
                self.version_selected = kept
                    .unwrap_or(self.version_selected)
                    .min(list.versions.len().saturating_sub(1));
                if let Some(m) = self.marked
                    && !list.versions.iter().any(|v| v.id == m)
                {
                    self.marked = None;
                }
                self.versions = Some(list);
            }
            (Load::Document { show }, Ok(Reply::BomDocument(doc))) => {
                let id = doc.version.id;
                self.docs.insert(id, doc);
                if show {
                    self.error = None;
                    self.show(id);
                    if self.opening.take().is_some() {
                        self.view = View::Tree;
                    }
                }
                self.try_diff();
            }
            (Load::Export, Ok(Reply::Exported(paths))) => {
                self.export = None;
                let list: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
                self.notice = Some(if list.is_empty() {
                    "The export wrote no files".to_string()
                } else {
                    format!("Exported to {}", list.join(", "))
                });
            }
            (Load::Export, Err(e)) => {
                // The dialog and its input stay, so the user can fix the directory and try again.
                if let Some(dialog) = &mut self.export {
                    dialog.error = Some(e.user_message());
                }
            }
            (Load::Document { .. }, Err(ServiceError::NoBom)) => {
                self.no_bom = true;
            }
            (Load::Document { show }, Err(e)) => {
                if !show {
                    self.diff_wanted = None;
                }
                self.opening = None;
                self.error = Some(e.user_message());
            }
            (Load::Versions, Err(e)) => self.error = Some(e.user_message()),
            (_, Ok(_)) => {}
        }
        more.and(self.live_next(ctx))
    }

    fn on_live(&mut self, ev: &crate::domain::live::LiveEvent, ctx: &mut Ctx) -> Command {
        self.live(ev, ctx)
    }

    fn on_char(&mut self, c: char) {
        self.type_text(|f| f.type_char(c));
    }

    fn on_paste(&mut self, text: &str) {
        self.type_text(|f| f.paste(text));
    }

    fn view(&mut self, frame: &mut Frame, area: Rect, theme: &Theme) {
        view::draw(self, frame, area, theme);
    }
}

fn item_matches(item: &StoredItem, lowercase_query: &str) -> bool {
    item.item_id.to_lowercase().contains(lowercase_query)
        || item.name.to_lowercase().contains(lowercase_query)
}

/// PART, ASSEMBLY or CUSTOM: a custom item is made to the build's measures whatever its catalog type.
pub fn type_label(item_type: ItemType, is_custom: bool) -> &'static str {
    if is_custom {
        "CUSTOM"
    } else {
        item_type.code()
    }
}

/// A custom item's specification as people read it, e.g. `width 80 · length 30 · SOLID · BLUE`.
pub fn spec_text(spec: &serde_json::Value) -> String {
    let Some(map) = spec.as_object() else {
        return spec.to_string();
    };
    const MEASURES: [&str; 3] = ["width", "length", "depth"];
    const WORDS: [&str; 2] = ["type", "color"];
    let mut parts: Vec<String> = MEASURES
        .iter()
        .filter_map(|k| map.get(*k).map(|v| format!("{k} {}", plain(v))))
        .collect();
    // Words (type, colour) read best as they are; anything else keeps its key.
    parts.extend(WORDS.iter().filter_map(|k| map.get(*k).map(plain)));
    for (k, v) in map {
        if MEASURES.contains(&k.as_str()) || WORDS.contains(&k.as_str()) {
            continue;
        }
        match v {
            serde_json::Value::String(s) => parts.push(s.clone()),
            other => parts.push(format!("{k} {}", plain(other))),
        }
    }
    parts.join(" · ")
}

fn plain(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests;
