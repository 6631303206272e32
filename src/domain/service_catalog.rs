//! The service catalogue (docs/service-orders.md §2): the ACTIVE assemblies of category 719 and every
//! part or sub-assembly in their expanded trees, once each by canonical id, grouped by the 719
//! subcategory that reaches them. Pure code, no IO; built from the station's loaded [`Inventory`].

use crate::domain::bom::{ItemType, canonical_id};
use crate::domain::catalog::EntityStatus;
use crate::domain::inventory::{Browse, Inventory, Item};
use std::collections::{BTreeSet, HashMap};

/// The service parts category.
pub const SERVICE_CATEGORY: &str = "719";

/// One component line of a service assembly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceComponent {
    /// Canonical id, as the cart and the order store it.
    pub id: String,
    /// `None` when the id resolves to nothing in the catalog.
    pub name: Option<String>,
    pub quantity: i32,
}

/// One orderable item of the service catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceEntry {
    /// Canonical id (without `ASSY-`).
    pub id: String,
    pub name: String,
    pub item_type: ItemType,
    pub manufacturer_part_number: Option<String>,
    pub active: bool,
    /// For an assembly: its direct components in order; empty for a part.
    pub components: Vec<ServiceComponent>,
    /// The 719 subcategory codes whose assemblies reach this item, sorted.
    pub subcategories: Vec<String>,
}

/// One 719 subcategory with the service assemblies filed under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceGroup {
    pub code: String,
    pub name: String,
    /// Indexes into [`ServiceCatalog::entries`] of the group's assemblies, by id.
    pub roots: Vec<usize>,
}

/// Code of the group for 719 assemblies whose subcategory is missing or unknown.
pub const OTHER_GROUP: &str = "";

/// The service catalogue, entries sorted by id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServiceCatalog {
    entries: Vec<ServiceEntry>,
    at: HashMap<String, usize>,
    groups: Vec<ServiceGroup>,
}

impl ServiceCatalog {
    pub fn from_inventory(inventory: &Inventory) -> ServiceCatalog {
        let browse = Browse::new(inventory.clone());
        let inv = browse.inventory();
        let known_subs: HashMap<&str, &str> = inv
            .categories
            .iter()
            .filter(|c| c.parent_id.as_deref() == Some(SERVICE_CATEGORY))
            .map(|c| (c.id.as_str(), c.name.as_str()))
            .collect();
        // Canonical id -> (item, subcategories reaching it).
        let mut found: HashMap<String, (Item, BTreeSet<String>)> = HashMap::new();
        let mut roots: Vec<(String, String)> = Vec::new();
        for (i, a) in inv.assemblies.iter().enumerate() {
            if a.category_code.as_deref() != Some(SERVICE_CATEGORY)
                || a.status != EntityStatus::Active
            {
                continue;
            }
            let group = a
                .subcategory_code
                .as_deref()
                .filter(|s| known_subs.contains_key(s))
                .unwrap_or(OTHER_GROUP)
                .to_string();
            roots.push((group.clone(), canonical_id(&a.id).to_string()));
            // Depth-first over the expanded tree; a canonical id already reached from this root is
            // not walked again, which also ends any cycle.
            let mut seen: BTreeSet<String> = BTreeSet::new();
            let mut stack = vec![Item::Assembly(i)];
            while let Some(item) = stack.pop() {
                let id = canonical_id(browse.item_id(item)).to_string();
                if !seen.insert(id.clone()) {
                    continue;
                }
                found
                    .entry(id)
                    .or_insert_with(|| (item, BTreeSet::new()))
                    .1
                    .insert(group.clone());
                if let Item::Assembly(a) = item {
                    for &l in browse.components(a).iter().rev() {
                        if let Some(child) =
                            browse.link(l).and_then(|k| browse.resolve(&k.child_id))
                        {
                            stack.push(child);
                        }
                    }
                }
            }
        }
        let mut entries: Vec<ServiceEntry> = found
            .into_iter()
            .map(|(id, (item, subs))| {
                // The entry is what the canonical id resolves to (docs/bom-rules.md §5), as a submitted
                // id is.
                let item = browse.resolve(&id).unwrap_or(item);
                entry(&browse, id, item, subs)
            })
            .collect();
        entries.sort_by(|a, b| a.id.cmp(&b.id));
        let at: HashMap<String, usize> = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.clone(), i))
            .collect();
        let mut by_group: HashMap<String, Vec<usize>> = HashMap::new();
        for (group, id) in roots {
            if let Some(&i) = at.get(&id) {
                by_group.entry(group).or_default().push(i);
            }
        }
        let mut groups: Vec<ServiceGroup> = by_group
            .into_iter()
            .map(|(code, mut roots)| {
                roots.sort_unstable();
                roots.dedup();
                let name = known_subs
                    .get(code.as_str())
                    .map_or_else(|| "OTHER SERVICE PARTS".to_string(), |n| (*n).to_string());
                ServiceGroup { code, name, roots }
            })
            .collect();
        // Subcategories by code; the catch-all group last.
        groups.sort_by(|a, b| (a.code.is_empty(), &a.code).cmp(&(b.code.is_empty(), &b.code)));
        ServiceCatalog {
            entries,
            at,
            groups,
        }
    }

    pub fn entries(&self) -> &[ServiceEntry] {
        &self.entries
    }

    pub fn entry(&self, i: usize) -> Option<&ServiceEntry> {
        self.entries.get(i)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entry with this canonical id (an `ASSY-` id is looked up by its canonical form).
    pub fn position(&self, id: &str) -> Option<usize> {
        self.at.get(canonical_id(id.trim())).copied()
    }

    pub fn get(&self, id: &str) -> Option<&ServiceEntry> {
        self.position(id).and_then(|i| self.entries.get(i))
    }

    /// The entry with this id, ignoring case (a scanned label, docs/scanning.md §3).
    pub fn get_ignoring_case(&self, id: &str) -> Option<&ServiceEntry> {
        let id = canonical_id(id.trim());
        self.get(id)
            .or_else(|| self.entries.iter().find(|e| e.id.eq_ignore_ascii_case(id)))
    }

    /// The 719 subcategories that hold at least one service assembly, by code.
    pub fn groups(&self) -> &[ServiceGroup] {
        &self.groups
    }

    /// Every entry a subcategory reaches: its assemblies and their components, by id.
    pub fn in_group(&self, code: &str) -> Vec<usize> {
        (0..self.entries.len())
            .filter(|&i| {
                self.entries
                    .get(i)
                    .is_some_and(|e| e.subcategories.iter().any(|s| s == code))
            })
            .collect()
    }

    /// Entries whose id, name or manufacturer part number contains `query` (ignoring case), or that a
    /// subcategory whose name contains it reaches (docs/service-orders.md §2), best first: the exact
    /// id, then ids starting with it, then the other matches of the entry's own text, then the
    /// subcategory matches; by id within each (the ranking of the inventory search).
    pub fn search(&self, query: &str) -> Vec<usize> {
        let q = canonical_id(query.trim()).to_lowercase();
        if q.is_empty() {
            return Vec::new();
        }
        let matching_groups: Vec<&str> = self
            .groups
            .iter()
            .filter(|g| g.name.to_lowercase().contains(&q))
            .map(|g| g.code.as_str())
            .collect();
        let mut hits: Vec<(u8, usize)> = self
            .entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| {
                let id = e.id.to_lowercase();
                let rank = if id == q {
                    0
                } else if id.starts_with(&q) {
                    1
                } else if id.contains(&q)
                    || e.name.to_lowercase().contains(&q)
                    || e.manufacturer_part_number
                        .as_deref()
                        .is_some_and(|m| m.to_lowercase().contains(&q))
                {
                    2
                } else if e
                    .subcategories
                    .iter()
                    .any(|c| matching_groups.contains(&c.as_str()))
                {
                    3
                } else {
                    return None;
                };
                Some((rank, i))
            })
            .collect();
        // Entries are sorted by id, so the index orders ties by id.
        hits.sort_unstable();
        hits.into_iter().map(|(_, i)| i).collect()
    }
}

fn entry(browse: &Browse, id: String, item: Item, subs: BTreeSet<String>) -> ServiceEntry {
    let subcategories = subs.into_iter().collect();
    match item {
        Item::Part(p) => {
            let part = browse.part(p);
            ServiceEntry {
                id,
                name: browse.item_name(item).to_string(),
                item_type: ItemType::Part,
                manufacturer_part_number: part.and_then(|p| p.manufacturer_part_number.clone()),
                active: part.is_some_and(|p| p.status == EntityStatus::Active),
                components: Vec::new(),
                subcategories,
            }
        }
        Item::Assembly(a) => {
            let components = browse
                .components(a)
                .iter()
                .filter_map(|&l| browse.link(l))
                .map(|link| ServiceComponent {
                    id: canonical_id(&link.child_id).to_string(),
                    name: browse
                        .resolve(&link.child_id)
                        .map(|c| browse.item_name(c).to_string()),
                    quantity: link.quantity,
                })
                .collect();
            ServiceEntry {
                id,
                name: browse.item_name(item).to_string(),
                item_type: ItemType::Assembly,
                manufacturer_part_number: None,
                active: browse
                    .assembly(a)
                    .is_some_and(|x| x.status == EntityStatus::Active),
                components,
                subcategories,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalog::parse_catalog;
    use crate::domain::inventory::{AssemblyRecord, PartRecord, records};
    use crate::reference::{ASSEMBLIES_JSON, CATEGORIES_JSON, PARTS_JSON};
    use std::collections::HashSet;

    /// The shipped catalog as the import stores it (the columns the catalogue reads).
    fn shipped() -> (Inventory, crate::domain::catalog::Catalog) {
        let catalog =
            parse_catalog(PARTS_JSON, ASSEMBLIES_JSON, CATEGORIES_JSON).expect("shipped catalog");
        (Inventory::from_catalog(&catalog, None), catalog)
    }

    #[test]
    fn the_shipped_catalogue_is_the_719_assemblies_and_their_trees() {
        let (inv, catalog) = shipped();
        let svc = ServiceCatalog::from_inventory(&inv);
        // 63 ACTIVE assemblies of 719 and 77 parts and sub-assemblies below them.
        assert_eq!(svc.len(), 140);
        let ids: HashSet<&str> = svc.entries().iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids.len(), svc.len(), "every id once");
        let roots: Vec<_> = catalog
            .assemblies
            .iter()
            .filter(|a| {
                a.category_code.as_deref() == Some(SERVICE_CATEGORY)
                    && a.status == EntityStatus::Active
            })
            .collect();
        assert_eq!(roots.len(), 63);
        for a in &roots {
            let e = svc.get(&a.id).expect("every 719 assembly is offered");
            assert_eq!(e.item_type, ItemType::Assembly);
            assert!(!e.subcategories.is_empty());
            for c in &a.components {
                assert!(
                    ids.contains(canonical_id(&c.child_id)),
                    "{} of {} is offered",
                    c.child_id,
                    a.id
                );
            }
        }
        // Nothing from other categories: every assembly offered is a 719 one or inside one.
        let browse = Browse::new(inv.clone());
        for e in svc.entries() {
            assert!(!e.id.starts_with("ASSY-"), "{} is canonical", e.id);
            assert!(browse.resolve(&e.id).is_some());
        }
        let root_ids: HashSet<&str> = roots.iter().map(|a| canonical_id(&a.id)).collect();
        let reached: HashSet<&str> = svc
            .entries()
            .iter()
            .flat_map(|e| e.components.iter().map(|c| c.id.as_str()))
            .chain(root_ids.iter().copied())
            .collect();
        assert!(ids.iter().all(|id| reached.contains(id)));
        // Only parts carry a manufacturer part number, no prices exist anywhere.
        assert!(
            svc.entries()
                .iter()
                .filter(|e| e.item_type == ItemType::Assembly)
                .all(|e| e.manufacturer_part_number.is_none())
        );
    }

    #[test]
    fn groups_are_the_719_subcategories_that_hold_assemblies() {
        let (inv, _) = shipped();
        let svc = ServiceCatalog::from_inventory(&inv);
        assert_eq!(svc.groups().len(), 22);
        assert!(svc.groups().iter().all(|g| g.code.starts_with("719.")));
        let faucets = svc
            .groups()
            .iter()
            .find(|g| g.code == "719.007")
            .expect("faucet components");
        assert_eq!(faucets.name, "FAUCET COMPONENT");
        assert_eq!(faucets.roots.len(), 6);
        assert!(
            faucets
                .roots
                .iter()
                .all(|r| svc.in_group("719.007").contains(r))
        );
        // The control boxes bring their parts into the group.
        let boxes = svc
            .groups()
            .iter()
            .find(|g| g.code == "719.016")
            .expect("control boxes");
        assert_eq!(boxes.roots.len(), 9);
        assert!(svc.in_group("719.016").len() > boxes.roots.len());
        let total: usize = svc.groups().iter().map(|g| g.roots.len()).sum();
        assert_eq!(total, 63);
    }

    #[test]
    fn search_ranks_exact_then_prefix_then_contains() {
        let (inv, _) = shipped();
        let svc = ServiceCatalog::from_inventory(&inv);
        let ids = |q: &str| -> Vec<String> {
            svc.search(q)
                .into_iter()
                .filter_map(|i| svc.entry(i).map(|e| e.id.clone()))
                .collect()
        };
        let hits = ids("012442-40NS");
        assert_eq!(hits.first().map(String::as_str), Some("012442-40NS"));
        let hits = ids("0124");
        assert!(hits.iter().all(|h| h.to_lowercase().contains("0124")
            || svc.get(h).is_some_and(|e| e.name.contains("0124"))));
        assert!(hits.first().is_some_and(|h| h.starts_with("0124")));
        // By name, ignoring case.
        assert!(!ids("control box").is_empty());
        // By the name of a subcategory that reaches the entry ("ESINK VALVE PLATE", 719.004), after
        // the entries whose own text matches.
        let plate = ids("valve plate");
        let in_plate = svc.in_group("719.004");
        assert!(!in_plate.is_empty());
        for i in &in_plate {
            let id = svc.entry(*i).map(|e| e.id.clone()).unwrap_or_default();
            assert!(plate.contains(&id), "{id} of ESINK VALVE PLATE is found");
        }
        let own_text = |id: &String| {
            svc.get(id).is_some_and(|e| {
                e.id.to_lowercase().contains("valve plate")
                    || e.name.to_lowercase().contains("valve plate")
            })
        };
        let first_by_group = plate.iter().position(|id| !own_text(id));
        assert!(
            plate
                .iter()
                .skip(first_by_group.unwrap_or(plate.len()))
                .all(|id| !own_text(id)),
            "own-text matches come first: {plate:?}"
        );
        assert!(ids("  ").is_empty());
        assert!(ids("no such part anywhere").is_empty());
    }

    #[test]
    fn a_small_catalogue_dedupes_twins_and_skips_inactive_roots_and_cycles() {
        let cat =
            |id: &str, parent: Option<&str>| records::category(id, &format!("CAT {id}"), parent);
        let part = |id: &str, mpn: Option<&str>, status| PartRecord {
            status,
            ..records::part(id, &format!("PART {id}"), mpn)
        };
        let assy = |id: &str, c: &str, s: &str, status| AssemblyRecord {
            status,
            ..records::assembly(id, &format!("ASSEMBLY {id}"), c, s)
        };
        let link = records::link;
        let inv = Inventory {
            categories: vec![
                cat("719", None),
                cat("719.001", Some("719")),
                cat("700", None),
            ],
            parts: vec![
                part("BOLT", Some("MPN-77"), EntityStatus::Active),
                part("OLD", None, EntityStatus::Inactive),
                part("FRAME", None, EntityStatus::Active),
            ],
            assemblies: vec![
                assy("KIT", "719", "719.001", EntityStatus::Active),
                assy("ASSY-SUB", "700", "", EntityStatus::Active),
                assy("GONE", "719", "719.001", EntityStatus::Inactive),
                assy("LOOSE", "719", "719.999", EntityStatus::Active),
                assy("BIG", "700", "", EntityStatus::Active),
            ],
            links: vec![
                link("KIT", "SUB", 2),
                link("KIT", "OLD", 1),
                link("ASSY-SUB", "BOLT", 4),
                link("ASSY-SUB", "SUB", 1),
                link("GONE", "FRAME", 1),
                link("LOOSE", "BOLT", 1),
                link("BIG", "FRAME", 1),
            ],
        };
        let svc = ServiceCatalog::from_inventory(&inv);
        let ids: Vec<&str> = svc.entries().iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, vec!["BOLT", "KIT", "LOOSE", "OLD", "SUB"]);
        let sub = svc.get("ASSY-SUB").expect("found by either twin name");
        assert_eq!(sub.item_type, ItemType::Assembly);
        assert_eq!(sub.components.len(), 2);
        assert!(!svc.get("OLD").expect("inactive component listed").active);
        assert_eq!(
            svc.get("BOLT").map(|e| e.subcategories.clone()),
            Some(vec![String::new(), "719.001".to_string()])
        );
        let codes: Vec<&str> = svc.groups().iter().map(|g| g.code.as_str()).collect();
        assert_eq!(codes, vec!["719.001", OTHER_GROUP]);
        assert_eq!(svc.search("mpn-7"), vec![0]);
        assert_eq!(
            svc.search("sub")
                .first()
                .and_then(|&i| svc.entry(i))
                .map(|e| e.id.as_str()),
            Some("SUB")
        );
    }
}
