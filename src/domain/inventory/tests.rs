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
