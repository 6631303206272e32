//! Browsing the loaded catalog: the category tree, search, and where an item is used ([`Browse`]).

use super::{AssemblyRecord, CategoryRecord, Inventory, LinkRecord, PartRecord};
use crate::domain::bom::canonical_id;
use std::collections::{BTreeMap, HashMap, HashSet};

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
