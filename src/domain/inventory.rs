//! The parts catalog as the inventory browser shows it: the loaded rows ([`Inventory`]), the browse tree,
//! search, and where an item is used inside the catalog ([`Browse`]).
//!
//! Pure code, no IO. Ids resolve as the BOM engine resolves them (docs/bom-rules.md §5): an assembly of
//! that id, else its `ASSY-` twin, else the part. An item's uses are matched on the canonical id (without
//! `ASSY-`), the form `"BOMItem"."itemId"` stores, so both twins report the same uses.

use crate::domain::bom::canonical_id;
use crate::domain::catalog::{AssemblyType, Catalog, ComponentType, EntityStatus, PartType};
use crate::domain::order::OrderStatus;
use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use uuid::Uuid;

/// One `"Category"` row: a top-level category (level 0) or a subcategory (level 1, `parent_id` set).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryRecord {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub parent_id: Option<String>,
    pub level: i32,
}

/// One `"Part"` row, every column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartRecord {
    pub id: String,
    pub name: String,
    pub manufacturer_part_number: Option<String>,
    pub manufacturer_info: Option<String>,
    pub part_type: PartType,
    pub status: EntityStatus,
    pub photo_url: Option<String>,
    pub technical_drawing_url: Option<String>,
    pub description: Option<String>,
    pub created_at: Option<NaiveDateTime>,
    pub updated_at: Option<NaiveDateTime>,
}

/// One `"Assembly"` row, every column (the work instruction by its title).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssemblyRecord {
    pub id: String,
    pub name: String,
    pub assembly_type: AssemblyType,
    pub category_code: Option<String>,
    pub subcategory_code: Option<String>,
    pub can_order: bool,
    pub is_kit: bool,
    pub status: EntityStatus,
    pub photo_url: Option<String>,
    pub technical_drawing_url: Option<String>,
    pub description: Option<String>,
    pub qr_data: Option<String>,
    /// `"kitComponents"` as JSON text.
    pub kit_components: Option<String>,
    pub work_instruction: Option<String>,
    pub created_at: Option<NaiveDateTime>,
    pub updated_at: Option<NaiveDateTime>,
}

/// One `"AssemblyComponent"` row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRecord {
    pub parent_id: String,
    pub child_type: ComponentType,
    pub child_id: String,
    pub quantity: i32,
    pub notes: Option<String>,
}

/// The whole catalog for browsing on the station. Links are in each parent's `sequenceOrder`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inventory {
    pub categories: Vec<CategoryRecord>,
    pub parts: Vec<PartRecord>,
    pub assemblies: Vec<AssemblyRecord>,
    pub links: Vec<LinkRecord>,
}

impl Inventory {
    /// The catalog as `catalog import` stores it, read back: what a station browses. `imported_at` stands
    /// for the rows' timestamps.
    pub fn from_catalog(catalog: &Catalog, imported_at: Option<NaiveDateTime>) -> Inventory {
        let mut inv = Inventory::default();
        for c in &catalog.categories {
            inv.categories.push(CategoryRecord {
                id: c.code.clone(),
                name: c.name.clone(),
                description: c.description.clone(),
                parent_id: None,
                level: 0,
            });
            for s in &c.subcategories {
                inv.categories.push(CategoryRecord {
                    id: s.code.clone(),
                    name: s.name.clone(),
                    description: s.description.clone(),
                    parent_id: Some(c.code.clone()),
                    level: 1,
                });
            }
        }
        for p in &catalog.parts {
            inv.parts.push(PartRecord {
                id: p.id.clone(),
                name: p.name.clone(),
                manufacturer_part_number: p.manufacturer_part_number.clone(),
                manufacturer_info: p.manufacturer_info_column().map(str::to_string),
                part_type: p.part_type,
                status: p.status,
                photo_url: None,
                technical_drawing_url: None,
                description: p.description.clone(),
                created_at: imported_at,
                updated_at: imported_at,
            });
        }
        for a in &catalog.assemblies {
            inv.assemblies.push(AssemblyRecord {
                id: a.id.clone(),
                name: a.name.clone(),
                assembly_type: a.assembly_type,
                category_code: a.category_code.clone(),
                subcategory_code: a.subcategory_code.clone(),
                can_order: a.can_order,
                is_kit: a.is_kit,
                status: a.status,
                photo_url: None,
                technical_drawing_url: None,
                description: None,
                qr_data: None,
                kit_components: None,
                work_instruction: None,
                created_at: imported_at,
                updated_at: imported_at,
            });
            for c in &a.components {
                inv.links.push(LinkRecord {
                    parent_id: a.id.clone(),
                    child_type: c.child_type,
                    child_id: c.child_id.clone(),
                    quantity: c.quantity,
                    notes: c.notes.clone(),
                });
            }
        }
        inv
    }
}

/// One open build whose current BOM contains an item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BuildUse {
    pub order_id: Uuid,
    pub po_number: String,
    pub build_number: String,
    pub status: OrderStatus,
    pub want_date: NaiveDate,
    pub bom_version: i32,
    /// Every occurrence in the BOM, at any level, added up.
    pub quantity: Decimal,
}

/// A catalog item: an index into [`Inventory::parts`] or [`Inventory::assemblies`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Item {
    Part(usize),
    Assembly(usize),
}

/// Fixed groups of the tree for what no category holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    /// Assemblies whose category code names no category.
    Uncategorised,
    /// Parts that no component link reaches.
    LooseParts,
}

impl Group {
    pub fn title(self) -> &'static str {
        match self {
            Group::Uncategorised => "Assemblies without a category",
            Group::LooseParts => "Other parts",
        }
    }
}

/// What a tree node shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodeKind {
    /// A `"Category"` row (level 0 or 1), by index into [`Inventory::categories`].
    Category(usize),
    Group(Group),
    /// An item; under an assembly it is one component link, with that link's index.
    Item {
        item: Item,
        link: Option<usize>,
    },
    /// A component whose id resolves to nothing in the catalog.
    Missing {
        id: String,
        link: usize,
    },
    /// A component that would repeat an assembly already above it; not expanded further.
    Cycle {
        item: Item,
        link: usize,
    },
}

/// A node of the browse tree; nodes are in depth-first pre-order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub parent: Option<usize>,
    pub kind: NodeKind,
}

/// One assembly that lists an item directly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParentUse {
    pub assembly: usize,
    /// The item's quantity in that assembly (all its links to the item added up).
    pub quantity: i64,
}

/// Where an item is used inside the catalog.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CatalogUse {
    /// Assemblies that list the item, ordered by id.
    pub direct: Vec<ParentUse>,
    /// Assemblies that contain it only through another assembly, ordered by id.
    pub indirect: Vec<usize>,
}

/// Counts under a category row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CategoryCounts {
    pub subcategories: usize,
    pub assemblies: usize,
}

/// The inventory with its lookups and browse tree.
#[derive(Debug, Clone)]
pub struct Browse {
    inventory: Inventory,
    assembly_at: HashMap<String, usize>,
    part_at: HashMap<String, usize>,
    /// Per assembly: its link indexes, in order.
    children: Vec<Vec<usize>>,
    /// Canonical id -> indexes of the links whose child has that canonical id.
    uses: HashMap<String, Vec<usize>>,
    nodes: Vec<Node>,
    /// Per item: its shallowest tree node (first in pre-order among equals).
    home: HashMap<Item, usize>,
}

impl Browse {
    pub fn new(inventory: Inventory) -> Browse {
        let assembly_at: HashMap<String, usize> = inventory
            .assemblies
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.clone(), i))
            .collect();
        let part_at: HashMap<String, usize> = inventory
            .parts
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), i))
            .collect();
        let mut children = vec![Vec::new(); inventory.assemblies.len()];
        let mut uses: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, link) in inventory.links.iter().enumerate() {
            if let Some(list) = assembly_at
                .get(&link.parent_id)
                .and_then(|&a| children.get_mut(a))
            {
                list.push(i);
            }
            uses.entry(canonical_id(&link.child_id).to_string())
                .or_default()
                .push(i);
        }
        let mut browse = Browse {
            inventory,
            assembly_at,
            part_at,
            children,
            uses,
            nodes: Vec::new(),
            home: HashMap::new(),
        };
        browse.build_tree();
        browse
    }

    pub fn inventory(&self) -> &Inventory {
        &self.inventory
    }

    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    pub fn node(&self, i: usize) -> Option<&Node> {
        self.nodes.get(i)
    }

    pub fn part(&self, i: usize) -> Option<&PartRecord> {
        self.inventory.parts.get(i)
    }

    pub fn assembly(&self, i: usize) -> Option<&AssemblyRecord> {
        self.inventory.assemblies.get(i)
    }

    pub fn link(&self, i: usize) -> Option<&LinkRecord> {
        self.inventory.links.get(i)
    }

    pub fn category(&self, i: usize) -> Option<&CategoryRecord> {
        self.inventory.categories.get(i)
    }

    /// The category row with this id.
    pub fn category_by_id(&self, id: &str) -> Option<&CategoryRecord> {
        self.inventory.categories.iter().find(|c| c.id == id)
    }

    /// R10: the assembly `id`, else the assembly `ASSY-id`, else the part `id`.
    pub fn resolve(&self, id: &str) -> Option<Item> {
        if let Some(&a) = self.assembly_at.get(id) {
            return Some(Item::Assembly(a));
        }
        if let Some(&a) = self.assembly_at.get(&format!("ASSY-{id}")) {
            return Some(Item::Assembly(a));
        }
        self.part_at.get(id).map(|&p| Item::Part(p))
    }

    /// The other half of a twin pair (docs/bom-rules.md, its catalog kinds): the part `X` and the
    /// assembly `ASSY-X`.
    pub fn twin(&self, item: Item) -> Option<Item> {
        match item {
            Item::Part(p) => {
                let id = &self.part(p)?.id;
                self.assembly_at
                    .get(&format!("ASSY-{id}"))
                    .map(|&a| Item::Assembly(a))
            }
            Item::Assembly(a) => {
                let bare = self.assembly(a)?.id.strip_prefix("ASSY-")?;
                self.part_at.get(bare).map(|&p| Item::Part(p))
            }
        }
    }

    pub fn item_id(&self, item: Item) -> &str {
        match item {
            Item::Part(p) => self.part(p).map_or("", |p| p.id.as_str()),
            Item::Assembly(a) => self.assembly(a).map_or("", |a| a.id.as_str()),
        }
    }

    pub fn item_name(&self, item: Item) -> &str {
        match item {
            Item::Part(p) => self.part(p).map_or("", |p| p.name.as_str()),
            Item::Assembly(a) => self.assembly(a).map_or("", |a| a.name.as_str()),
        }
    }

    /// The links of an assembly, in order.
    pub fn components(&self, assembly: usize) -> &[usize] {
        self.children.get(assembly).map_or(&[], Vec::as_slice)
    }

    /// The tree node where an item is best shown: its shallowest occurrence.
    pub fn home_node(&self, item: Item) -> Option<usize> {
        self.home.get(&item).copied()
    }

    /// The item a node shows, if it shows one.
    pub fn node_item(&self, node: usize) -> Option<Item> {
        match &self.nodes.get(node)?.kind {
            NodeKind::Item { item, .. } | NodeKind::Cycle { item, .. } => Some(*item),
            NodeKind::Category(_) | NodeKind::Group(_) | NodeKind::Missing { .. } => None,
        }
    }

    /// Subcategories and assemblies under a category row (for a subcategory: its assemblies).
    pub fn category_counts(&self, category: usize) -> CategoryCounts {
        let Some(c) = self.category(category) else {
            return CategoryCounts::default();
        };
        if c.parent_id.is_some() {
            let assemblies = self
                .inventory
                .assemblies
                .iter()
                .filter(|a| a.subcategory_code.as_deref() == Some(c.id.as_str()))
                .count();
            return CategoryCounts {
                subcategories: 0,
                assemblies,
            };
        }
        CategoryCounts {
            subcategories: self
                .inventory
                .categories
                .iter()
                .filter(|s| s.parent_id.as_deref() == Some(c.id.as_str()))
                .count(),
            assemblies: self
                .inventory
                .assemblies
                .iter()
                .filter(|a| a.category_code.as_deref() == Some(c.id.as_str()))
                .count(),
        }
    }

    /// The number of items under a group node.
    pub fn group_count(&self, group: Group) -> usize {
        self.nodes
            .iter()
            .filter(|n| {
                n.parent
                    .and_then(|p| self.nodes.get(p))
                    .is_some_and(|p| p.kind == NodeKind::Group(group))
            })
            .count()
    }

    fn push(&mut self, parent: Option<usize>, kind: NodeKind) -> usize {
        let at = self.nodes.len();
        if let NodeKind::Item { item, .. } = &kind {
            let depth = self.depth(parent);
            let better = match self.home.get(item) {
                None => true,
                Some(&old) => depth < self.depth(self.nodes.get(old).and_then(|n| n.parent)),
            };
            if better {
                self.home.insert(*item, at);
            }
        }
        self.nodes.push(Node { parent, kind });
        at
    }

    /// The depth a child of `parent` has.
    fn depth(&self, mut parent: Option<usize>) -> usize {
        let mut d = 0;
        while let Some(p) = parent {
            d += 1;
            parent = self.nodes.get(p).and_then(|n| n.parent);
        }
        d
    }

    /// Category -> subcategory -> assembly -> its components, recursively; then the groups for what no
    /// category holds. Every assembly is listed once under its (sub)category, so the tree stays bounded
    /// by the catalog's size times its depth.
    fn build_tree(&mut self) {
        let mut tops: Vec<usize> = (0..self.inventory.categories.len())
            .filter(|&i| {
                self.inventory
                    .categories
                    .get(i)
                    .is_some_and(|c| c.parent_id.is_none())
            })
            .collect();
        tops.sort_by_key(|&a| self.category_key(a));
        let mut placed: HashSet<usize> = HashSet::new();
        for top in tops {
            let top_id = self.category(top).map(|c| c.id.clone()).unwrap_or_default();
            let node = self.push(None, NodeKind::Category(top));
            let mut subs: Vec<usize> = (0..self.inventory.categories.len())
                .filter(|&i| {
                    self.inventory
                        .categories
                        .get(i)
                        .is_some_and(|c| c.parent_id.as_deref() == Some(top_id.as_str()))
                })
                .collect();
            subs.sort_by_key(|&a| self.category_key(a));
            for sub in subs {
                let sub_id = self.category(sub).map(|c| c.id.clone()).unwrap_or_default();
                let sub_node = self.push(Some(node), NodeKind::Category(sub));
                let members = self.assemblies_where(|a| {
                    a.category_code.as_deref() == Some(top_id.as_str())
                        && a.subcategory_code.as_deref() == Some(sub_id.as_str())
                });
                for a in members {
                    placed.insert(a);
                    self.push_assembly(sub_node, a, None, &mut vec![a]);
                }
            }
            // Assemblies of this category whose subcategory is missing or not one of its own.
            let rest =
                self.assemblies_where(|a| a.category_code.as_deref() == Some(top_id.as_str()));
            for a in rest {
                if placed.insert(a) {
                    self.push_assembly(node, a, None, &mut vec![a]);
                }
            }
        }
        let unplaced: Vec<usize> = self
            .assemblies_where(|_| true)
            .into_iter()
            .filter(|a| !placed.contains(a))
            .collect();
        if !unplaced.is_empty() {
            let group = self.push(None, NodeKind::Group(Group::Uncategorised));
            for a in unplaced {
                self.push_assembly(group, a, None, &mut vec![a]);
            }
        }
        // Parts no component link reaches: unused ones, and those an `ASSY-` twin stands in for (R10).
        let mut loose: Vec<usize> = (0..self.inventory.parts.len())
            .filter(|&p| !self.home.contains_key(&Item::Part(p)))
            .collect();
        loose.sort_by(|&a, &b| {
            let id = |p: usize| self.part(p).map(|p| p.id.to_lowercase());
            id(a).cmp(&id(b))
        });
        if !loose.is_empty() {
            let group = self.push(None, NodeKind::Group(Group::LooseParts));
            for p in loose {
                self.push(
                    Some(group),
                    NodeKind::Item {
                        item: Item::Part(p),
                        link: None,
                    },
                );
            }
        }
    }

    fn category_key(&self, i: usize) -> String {
        self.category(i).map(|c| c.id.clone()).unwrap_or_default()
    }

    /// Assembly indexes matching `pred`, ordered by id.
    fn assemblies_where(&self, pred: impl Fn(&AssemblyRecord) -> bool) -> Vec<usize> {
        let mut out: Vec<usize> = self
            .inventory
            .assemblies
            .iter()
            .enumerate()
            .filter(|(_, a)| pred(a))
            .map(|(i, _)| i)
            .collect();
        out.sort_by(|&a, &b| {
            let id = |i: usize| self.assembly(i).map(|a| a.id.to_lowercase());
            id(a).cmp(&id(b))
        });
        out
    }

    /// An assembly node and its components; `path` holds the assemblies above, to stop at a cycle.
    fn push_assembly(
        &mut self,
        parent: usize,
        assembly: usize,
        link: Option<usize>,
        path: &mut Vec<usize>,
    ) {
        let node = self.push(
            Some(parent),
            NodeKind::Item {
                item: Item::Assembly(assembly),
                link,
            },
        );
        let links = self.components(assembly).to_vec();
        for l in links {
            let child_id = self.link(l).map(|x| x.child_id.clone()).unwrap_or_default();
            match self.resolve(&child_id) {
                None => {
                    self.push(
                        Some(node),
                        NodeKind::Missing {
                            id: child_id,
                            link: l,
                        },
                    );
                }
                Some(Item::Assembly(a)) if path.contains(&a) => {
                    self.push(
                        Some(node),
                        NodeKind::Cycle {
                            item: Item::Assembly(a),
                            link: l,
                        },
                    );
                }
                Some(Item::Assembly(a)) => {
                    path.push(a);
                    self.push_assembly(node, a, Some(l), path);
                    path.pop();
                }
                Some(item @ Item::Part(_)) => {
                    self.push(
                        Some(node),
                        NodeKind::Item {
                            item,
                            link: Some(l),
                        },
                    );
                }
            }
        }
    }

    /// The assemblies that list `item` (with quantities) and those that contain it further down.
    pub fn catalog_use(&self, item: Item) -> CatalogUse {
        let canonical = canonical_id(self.item_id(item)).to_string();
        let mut direct: BTreeMap<usize, i64> = BTreeMap::new();
        for &l in self.uses.get(&canonical).map_or(&[][..], Vec::as_slice) {
            let Some(link) = self.link(l) else { continue };
            if let Some(&a) = self.assembly_at.get(&link.parent_id) {
                *direct.entry(a).or_default() += i64::from(link.quantity);
            }
        }
        // Walk up from the direct parents; the visited set ends the walk at a cycle.
        let mut seen: HashSet<usize> = direct.keys().copied().collect();
        let mut frontier: Vec<usize> = direct.keys().copied().collect();
        let mut indirect: Vec<usize> = Vec::new();
        while let Some(a) = frontier.pop() {
            let id = self.assembly(a).map(|x| canonical_id(&x.id).to_string());
            for &l in id
                .as_ref()
                .and_then(|id| self.uses.get(id))
                .map_or(&[][..], Vec::as_slice)
            {
                let parent = self
                    .link(l)
                    .and_then(|link| self.assembly_at.get(&link.parent_id).copied());
                if let Some(p) = parent
                    && seen.insert(p)
                {
                    indirect.push(p);
                    frontier.push(p);
                }
            }
        }
        let by_id = |a: &usize| self.assembly(*a).map(|x| x.id.to_lowercase());
        let mut direct: Vec<ParentUse> = direct
            .into_iter()
            .map(|(assembly, quantity)| ParentUse { assembly, quantity })
            .collect();
        direct.sort_by_key(|u| by_id(&u.assembly));
        indirect.sort_by_key(by_id);
        CatalogUse { direct, indirect }
    }

    /// Parts and assemblies whose id, name or manufacturer part number contains `query` (ignoring case),
    /// best first: the exact id, then ids starting with it, then the rest; ids in order within each.
    pub fn search(&self, query: &str) -> Vec<Item> {
        let q = query.trim().to_lowercase();
        if q.is_empty() {
            return Vec::new();
        }
        let rank = |id: &str, texts: &[Option<&str>]| -> Option<u8> {
            let id = id.to_lowercase();
            if id == q {
                Some(0)
            } else if id.starts_with(&q) {
                Some(1)
            } else if id.contains(&q)
                || texts
                    .iter()
                    .flatten()
                    .any(|t| t.to_lowercase().contains(&q))
            {
                Some(2)
            } else {
                None
            }
        };
        let mut hits: Vec<(u8, String, Item)> = Vec::new();
        for (i, p) in self.inventory.parts.iter().enumerate() {
            let texts = [Some(p.name.as_str()), p.manufacturer_part_number.as_deref()];
            if let Some(r) = rank(&p.id, &texts) {
                hits.push((r, p.id.to_lowercase(), Item::Part(i)));
            }
        }
        for (i, a) in self.inventory.assemblies.iter().enumerate() {
            if let Some(r) = rank(&a.id, &[Some(a.name.as_str())]) {
                hits.push((r, a.id.to_lowercase(), Item::Assembly(i)));
            }
        }
        hits.sort();
        hits.into_iter().map(|(_, _, item)| item).collect()
    }
}

/// Catalog records for unit tests: active, with the fields a test names and the rest empty.
#[cfg(test)]
pub(crate) mod records {
    use super::*;

    pub(crate) fn part(id: &str, name: &str, mpn: Option<&str>) -> PartRecord {
        PartRecord {
            id: id.into(),
            name: name.into(),
            manufacturer_part_number: mpn.map(str::to_string),
            manufacturer_info: None,
            part_type: PartType::Component,
            status: EntityStatus::Active,
            photo_url: None,
            technical_drawing_url: None,
            description: None,
            created_at: None,
            updated_at: None,
        }
    }

    pub(crate) fn assembly(id: &str, name: &str, category: &str, sub: &str) -> AssemblyRecord {
        AssemblyRecord {
            id: id.into(),
            name: name.into(),
            assembly_type: AssemblyType::Simple,
            category_code: Some(category.into()).filter(|c: &String| !c.is_empty()),
            subcategory_code: Some(sub.into()).filter(|c: &String| !c.is_empty()),
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
        }
    }

    pub(crate) fn link(parent: &str, child: &str, quantity: i32) -> LinkRecord {
        LinkRecord {
            parent_id: parent.into(),
            child_type: ComponentType::Part,
            child_id: child.into(),
            quantity,
            notes: None,
        }
    }

    pub(crate) fn category(id: &str, name: &str, parent: Option<&str>) -> CategoryRecord {
        CategoryRecord {
            id: id.into(),
            name: name.into(),
            description: None,
            parent_id: parent.map(str::to_string),
            level: i32::from(parent.is_some()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::records::{assembly, category, link, part};
    use super::*;
    use crate::domain::catalog::parse_catalog;
    use crate::reference::{ASSEMBLIES_JSON, CATEGORIES_JSON, PARTS_JSON};

    /// 700 FRAMES / 700.001 LEGS: LEG-KIT (2 x LEG, 1 x FOOT-KIT (4 x BOLT)), LOOP (itself, BOLT, GONE);
    /// STRAY has an unknown category; NUT is in no assembly.
    fn sample() -> Browse {
        Browse::new(Inventory {
            categories: vec![
                category("700.001", "LEGS", Some("700")),
                category("700", "FRAMES", None),
            ],
            parts: vec![
                part("LEG", "LEG, STAINLESS", Some("MC-100")),
                part("BOLT", "HEX BOLT M8", Some("LEG-BOLT-8")),
                part("NUT", "HEX NUT M8", None),
            ],
            assemblies: vec![
                assembly("LEG-KIT", "LEG KIT", "700", "700.001"),
                assembly("ASSY-FOOT-KIT", "FOOT KIT", "700", "700.001"),
                assembly("LOOP", "SELF-LISTING SHELF", "700", ""),
                assembly("STRAY", "STRAY KIT", "999", ""),
            ],
            links: vec![
                link("LEG-KIT", "LEG", 2),
                link("LEG-KIT", "FOOT-KIT", 1),
                link("ASSY-FOOT-KIT", "BOLT", 4),
                link("LOOP", "LOOP", 2),
                link("LOOP", "BOLT", 1),
                link("LOOP", "BOLT", 2),
                link("LOOP", "GONE", 1),
                link("STRAY", "LEG-KIT", 1),
            ],
        })
    }

    fn describe(b: &Browse, n: &Node) -> String {
        match &n.kind {
            NodeKind::Category(c) => format!("cat {}", b.category(*c).map_or("?", |c| &c.id)),
            NodeKind::Group(g) => format!("group {}", g.title()),
            NodeKind::Item { item, .. } => b.item_id(*item).to_string(),
            NodeKind::Missing { id, .. } => format!("missing {id}"),
            NodeKind::Cycle { item, .. } => format!("cycle {}", b.item_id(*item)),
        }
    }

    #[test]
    fn the_tree_runs_category_subcategory_assembly_components() {
        let b = sample();
        let shown: Vec<(Option<usize>, String)> = b
            .nodes()
            .iter()
            .map(|n| (n.parent, describe(&b, n)))
            .collect();
        let expected: Vec<(Option<usize>, &str)> = vec![
            (None, "cat 700"),
            (Some(0), "cat 700.001"),
            (Some(1), "ASSY-FOOT-KIT"),
            (Some(2), "BOLT"),
            (Some(1), "LEG-KIT"),
            (Some(4), "LEG"),
            (Some(4), "ASSY-FOOT-KIT"),
            (Some(6), "BOLT"),
            (Some(0), "LOOP"),
            (Some(8), "cycle LOOP"),
            (Some(8), "BOLT"),
            (Some(8), "BOLT"),
            (Some(8), "missing GONE"),
            (None, "group Assemblies without a category"),
            (Some(13), "STRAY"),
            (Some(14), "LEG-KIT"),
            (Some(15), "LEG"),
            (Some(15), "ASSY-FOOT-KIT"),
            (Some(17), "BOLT"),
            (None, "group Other parts"),
            (Some(19), "NUT"),
        ];
        let expected: Vec<(Option<usize>, String)> = expected
            .into_iter()
            .map(|(p, s)| (p, s.to_string()))
            .collect();
        assert_eq!(shown, expected);
        // The shallowest occurrence is an item's home.
        assert_eq!(b.home_node(Item::Assembly(0)), Some(4));
        assert_eq!(b.home_node(Item::Part(1)), Some(10));
        assert_eq!(b.group_count(Group::LooseParts), 1);
        let counts = b.category_counts(1);
        assert_eq!((counts.subcategories, counts.assemblies), (1, 3));
        assert_eq!(b.category_counts(0).assemblies, 2);
    }

    #[test]
    fn twins_resolve_as_the_bom_does() {
        let b = sample();
        assert_eq!(b.resolve("FOOT-KIT"), Some(Item::Assembly(1)));
        assert_eq!(b.resolve("ASSY-FOOT-KIT"), Some(Item::Assembly(1)));
        assert_eq!(b.resolve("LEG"), Some(Item::Part(0)));
        assert_eq!(b.resolve("GONE"), None);
        assert_eq!(b.twin(Item::Assembly(1)), None);
        let mut inv = b.inventory().clone();
        inv.parts.push(part("FOOT-KIT", "FOOT KIT AS A PART", None));
        let b = Browse::new(inv);
        assert_eq!(b.twin(Item::Assembly(1)), Some(Item::Part(3)));
        assert_eq!(b.twin(Item::Part(3)), Some(Item::Assembly(1)));
        assert_eq!(b.twin(Item::Part(0)), None);
        // The part its twin stands in for is still in the tree, under the other parts.
        assert!(b.home_node(Item::Part(3)).is_some());
    }

    #[test]
    fn search_ranks_exact_id_then_prefix_then_the_rest() {
        let b = sample();
        let ids = |q: &str| -> Vec<String> {
            b.search(q)
                .into_iter()
                .map(|i| b.item_id(i).to_string())
                .collect()
        };
        // "leg": the exact part id, then LEG-KIT by prefix, then BOLT by its manufacturer number.
        assert_eq!(ids("leg"), vec!["LEG", "LEG-KIT", "BOLT"]);
        assert_eq!(ids("  Hex "), vec!["BOLT", "NUT"]);
        assert_eq!(ids("mc-1"), vec!["LEG"]);
        assert_eq!(ids("kit"), vec!["ASSY-FOOT-KIT", "LEG-KIT", "STRAY"]);
        assert!(ids("").is_empty());
        assert!(ids("no such thing").is_empty());
    }

    #[test]
    fn catalog_use_sums_quantities_and_walks_up_without_looping() {
        let b = sample();
        let bolt = b.catalog_use(Item::Part(1));
        let direct: Vec<(&str, i64)> = bolt
            .direct
            .iter()
            .map(|u| (b.item_id(Item::Assembly(u.assembly)), u.quantity))
            .collect();
        assert_eq!(direct, vec![("ASSY-FOOT-KIT", 4), ("LOOP", 3)]);
        let indirect: Vec<&str> = bolt
            .indirect
            .iter()
            .map(|&a| b.item_id(Item::Assembly(a)))
            .collect();
        assert_eq!(indirect, vec!["LEG-KIT", "STRAY"]);
        // The self-listing assembly is its own parent, and nothing more.
        let lp = b.catalog_use(Item::Assembly(2));
        assert_eq!(lp.direct.len(), 1);
        assert!(lp.indirect.is_empty());
        assert_eq!(b.catalog_use(Item::Part(2)), CatalogUse::default());
    }

    #[test]
    fn the_shipped_catalog_makes_a_bounded_tree_with_every_item_in_it() {
        let catalog =
            parse_catalog(PARTS_JSON, ASSEMBLIES_JSON, CATEGORIES_JSON).expect("shipped catalog");
        let mut inventory = Inventory::default();
        for c in &catalog.categories {
            inventory.categories.push(category(&c.code, &c.name, None));
            for s in &c.subcategories {
                inventory
                    .categories
                    .push(category(&s.code, &s.name, Some(&c.code)));
            }
        }
        for p in &catalog.parts {
            inventory.parts.push(part(&p.id, &p.name, None));
        }
        for a in &catalog.assemblies {
            inventory.assemblies.push(assembly(
                &a.id,
                &a.name,
                a.category_code.as_deref().unwrap_or(""),
                a.subcategory_code.as_deref().unwrap_or(""),
            ));
            for c in &a.components {
                inventory.links.push(link(&a.id, &c.child_id, c.quantity));
            }
        }
        let b = Browse::new(inventory);
        assert!(b.nodes().len() < 3000, "{} nodes", b.nodes().len());
        for i in 0..b.inventory().parts.len() {
            assert!(
                b.home_node(Item::Part(i)).is_some(),
                "part {i} not in the tree"
            );
        }
        for i in 0..b.inventory().assemblies.len() {
            assert!(b.home_node(Item::Assembly(i)).is_some());
        }
        // The catalog's one cycle is the self-link of the pull-out shelf.
        let cycles: Vec<&str> = b
            .nodes()
            .iter()
            .filter_map(|n| match n.kind {
                NodeKind::Cycle { item, .. } => Some(b.item_id(item)),
                _ => None,
            })
            .collect();
        assert!(cycles.iter().all(|id| *id == "ASSY-T2-OA-PO-SHLF-1212"));
        assert!(!cycles.is_empty());
        assert!(
            !b.nodes()
                .iter()
                .any(|n| matches!(n.kind, NodeKind::Missing { .. }))
        );
    }
}
