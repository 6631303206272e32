//! Property test of BOM generation against the shipped catalog: for any configuration the wizard accepts,
//! generation succeeds, every id resolves, the tree is well formed and the flattened view adds up.
#![allow(clippy::panic)] // a test reports failure by panicking

use cleanstation::domain::bom::{
    ACCESSORIES, BomNode, CatalogIndex, GeneratedBom, ItemType, Resolved, canonical_id, generate,
};
use cleanstation::domain::catalog::parse_catalog;
use cleanstation::domain::order::{
    AccessoryLine, BasinConfig, BasinType, BuildConfig, DocumentLanguage, FaucetConfig,
    FaucetPlacement, FaucetType, FeetType, LegsType, PegboardColor, PegboardSizeType, PegboardType,
    STANDARD_BASINS, SprayerConfig, SprayerLocation, SprayerType, WorkflowDirection,
};
use cleanstation::domain::order_rules::{MAX_SPRAYERS, max_faucets, validate_build};
use cleanstation::reference::{ASSEMBLIES_JSON, CATEGORIES_JSON, PARTS_JSON};
use proptest::prelude::*;
use proptest::sample::{select, subsequence};
use std::collections::HashMap;
use std::sync::OnceLock;

fn shipped() -> &'static CatalogIndex {
    static INDEX: OnceLock<CatalogIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let catalog = parse_catalog(PARTS_JSON, ASSEMBLIES_JSON, CATEGORIES_JSON)
            .expect("the shipped catalog parses");
        CatalogIndex::from_catalog(&catalog)
    })
}

// ---------------------------------------------------------------------------------------------------------
// Strategies: only what the wizard accepts (checked again in the test, so they cannot drift silently).

/// A basin without its index: a standard size, or a custom one that is not a standard size.
fn basin() -> impl Strategy<Value = BasinConfig> {
    let size = prop_oneof![
        select(STANDARD_BASINS.to_vec()).prop_map(|s| (s, false)),
        (1..=50i32, 1..=50i32, 1..=20i32)
            .prop_filter("a standard size is picked from the list", |s| {
                !STANDARD_BASINS.contains(s)
            })
            .prop_map(|s| (s, true)),
    ];
    (
        select(BasinType::ALL.to_vec()),
        size,
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(basin_type, ((w, l, d), custom), trap, light)| BasinConfig {
                basin_index: 0,
                basin_type,
                basin_width: w,
                basin_length: l,
                basin_depth: d,
                is_custom_size: custom,
                has_p_trap_drain: trap,
                has_basin_light: light,
            },
        )
}

/// Height-adjustable legs of any model; fixed-height legs of DL27 or DL14 (no fixed-height LC1).
fn legs() -> impl Strategy<Value = (LegsType, &'static str)> {
    select(vec![
        (LegsType::HeightAdjustable, "DL27"),
        (LegsType::HeightAdjustable, "DL14"),
        (LegsType::HeightAdjustable, "LC1"),
        (LegsType::FixedHeight, "DL27"),
        (LegsType::FixedHeight, "DL14"),
    ])
}

/// No pegboard, or one with a colour, a type and either the sink's size or a custom 12-130 in size.
type Pegboard = Option<(PegboardColor, PegboardType, Option<(i32, i32)>)>;

fn pegboard() -> impl Strategy<Value = Pegboard> {
    proptest::option::of((
        select(PegboardColor::ALL.to_vec()),
        select(PegboardType::ALL.to_vec()),
        proptest::option::of((12..=130i32, 12..=130i32)),
    ))
}

/// Up to three faucet rows; quantities are cut down to the model's limit afterwards.
fn faucet_rows() -> impl Strategy<Value = Vec<(FaucetType, i32, bool)>> {
    prop::collection::vec(
        (select(FaucetType::ALL.to_vec()), 1..=3i32, any::<bool>()),
        0..=3,
    )
}

fn sprayer_rows() -> impl Strategy<Value = Vec<(SprayerType, i32, SprayerLocation)>> {
    prop::collection::vec(
        (
            select(SprayerType::ALL.to_vec()),
            1..=2i32,
            select(SprayerLocation::ALL.to_vec()),
        ),
        0..=2,
    )
}

/// Up to ten distinct accessories of R9, 1-99 each, in any row order.
fn accessories() -> impl Strategy<Value = Vec<AccessoryLine>> {
    let ids: Vec<&'static str> = ACCESSORIES.iter().map(|a| a.id).collect();
    subsequence(ids, 0..=10)
        .prop_flat_map(|ids| {
            let n = ids.len();
            (Just(ids), prop::collection::vec(1..=99i32, n))
        })
        .prop_map(|(ids, quantities)| {
            ids.into_iter()
                .zip(quantities)
                .map(|(id, quantity)| AccessoryLine {
                    assembly_id: id.to_string(),
                    quantity,
                })
                .collect::<Vec<_>>()
        })
        // The subsequence keeps the table's order; the wizard allows any.
        .prop_shuffle()
}

/// Keeps rows in order while their quantities fit under `max`, cutting the last one down.
fn within<T>(rows: Vec<T>, max: i32, quantity: impl Fn(&mut T) -> &mut i32) -> Vec<T> {
    let mut left = max;
    let mut out = Vec::new();
    for mut row in rows {
        if left == 0 {
            break;
        }
        let q = quantity(&mut row);
        *q = (*q).min(left);
        left -= *q;
        out.push(row);
    }
    out
}

fn build_config() -> impl Strategy<Value = (DocumentLanguage, BuildConfig)> {
    let shape = (
        select(DocumentLanguage::ALL.to_vec()),
        1..=3usize,
        24..=120i32,
        48..=120i32,
        legs(),
        select(FeetType::ALL.to_vec()),
        select(WorkflowDirection::ALL.to_vec()),
    );
    let parts = (
        pegboard(),
        prop::collection::vec(basin(), 3),
        faucet_rows(),
        sprayer_rows(),
        accessories(),
    );
    (shape, parts).prop_map(
        |(
            (language, basins, width, length, (legs_type, legs_model), feet, direction),
            (board, basin_pool, faucets, sprayers, accessories),
        )| {
            let model = format!("T2-B{basins}");
            let mut b = BuildConfig::new(
                "B-PROP",
                &model,
                (width, length),
                legs_type,
                legs_model,
                feet,
            );
            b.workflow_direction = direction;
            if let Some((color, kind, custom)) = board {
                b.has_pegboard = true;
                b.pegboard_color = Some(color);
                b.pegboard_type = Some(kind);
                b.pegboard_size_type = Some(match custom {
                    Some(_) => PegboardSizeType::Custom,
                    None => PegboardSizeType::SameAsSink,
                });
                b.pegboard_width = custom.map(|(w, _)| w);
                b.pegboard_length = custom.map(|(_, l)| l);
            }
            b.basins = basin_pool
                .into_iter()
                .take(basins)
                .enumerate()
                .map(|(i, mut basin)| {
                    basin.basin_index = i32::try_from(i + 1).expect("at most 3 basins");
                    basin
                })
                .collect();
            let faucet_rows = faucets
                .into_iter()
                .map(|(faucet_type, quantity, between)| FaucetConfig {
                    faucet_type,
                    quantity,
                    // Between-basins needs two basins.
                    placement: if between && basins >= 2 {
                        FaucetPlacement::BetweenBasins
                    } else {
                        FaucetPlacement::Center
                    },
                })
                .collect();
            b.faucets = within(faucet_rows, max_faucets(basins), |f| &mut f.quantity);
            let sprayer_rows = sprayers
                .into_iter()
                .map(|(sprayer_type, quantity, location)| SprayerConfig {
                    sprayer_type,
                    quantity,
                    location,
                })
                .collect();
            b.sprayers = within(sprayer_rows, MAX_SPRAYERS, |s| &mut s.quantity);
            b.accessories = accessories;
            (language, b)
        },
    )
}

// ---------------------------------------------------------------------------------------------------------
// Invariants

/// Node `i`'s direct children, from the parent indices alone.
fn children_of(bom: &GeneratedBom) -> Vec<Vec<usize>> {
    let mut children = vec![Vec::new(); bom.nodes.len()];
    for (i, n) in bom.nodes.iter().enumerate() {
        if let Some(p) = n.parent
            && let Some(list) = children.get_mut(p)
        {
            list.push(i);
        }
    }
    children
}

/// The catalog keys of node `i`'s ancestors, nearest last.
fn ancestor_keys(bom: &GeneratedBom, mut i: usize) -> Vec<String> {
    let mut keys = Vec::new();
    while let Some(p) = bom.nodes[i].parent {
        if let Some(Resolved::Assembly { key, .. }) = shipped().resolve(&bom.nodes[p].id) {
            keys.push(key.to_string());
        }
        i = p;
    }
    keys.reverse();
    keys
}

fn check_tree(bom: &GeneratedBom) -> Result<(), TestCaseError> {
    prop_assert!(!bom.nodes.is_empty());
    let children = children_of(bom);
    for (i, n) in bom.nodes.iter().enumerate() {
        let at = format!("node {} ({})", i + 1, n.id);
        prop_assert_eq!(n.sequence, i32::try_from(i + 1).expect("small"), "{}", &at);
        prop_assert!(n.quantity > 0, "{}: quantity {}", &at, n.quantity);
        match n.parent {
            None => prop_assert_eq!(n.level, 0, "{}", &at),
            Some(p) => {
                prop_assert!(p < i, "{}: parent {} does not precede it", &at, p + 1);
                prop_assert_eq!(n.level, bom.nodes[p].level + 1, "{}", &at);
                prop_assert!(!n.is_custom, "{}: custom items are top-level lines", &at);
            }
        }
        if n.is_custom {
            prop_assert!(n.custom_spec.is_some(), "{}: custom without a spec", &at);
            prop_assert!(children[i].is_empty(), "{}: custom with children", &at);
            continue;
        }
        let Some(resolved) = shipped().resolve(&n.id) else {
            return Err(TestCaseError::fail(format!("{at}: does not resolve")));
        };
        prop_assert_eq!(resolved.canonical_id(), n.id.as_str(), "{}", &at);
        match resolved {
            Resolved::Part { .. } => {
                prop_assert_eq!(n.item_type, ItemType::Part, "{}", &at);
                prop_assert!(children[i].is_empty(), "{}: a part with children", &at);
            }
            Resolved::Assembly { key, assembly } => {
                let kids = &children[i];
                if kids.is_empty() && !assembly.components.is_empty() {
                    // Only a cycle stops an assembly with components from expanding.
                    prop_assert!(
                        ancestor_keys(bom, i).iter().any(|k| k == key),
                        "{}: unexpanded without a cycle",
                        &at
                    );
                    continue;
                }
                prop_assert_eq!(n.item_type, ItemType::Assembly, "{}", &at);
                prop_assert_eq!(kids.len(), assembly.components.len(), "{}", &at);
                for (&c, link) in kids.iter().zip(&assembly.components) {
                    let child: &BomNode = &bom.nodes[c];
                    prop_assert_eq!(child.id.as_str(), canonical_id(&link.child_id), "{}", &at);
                    prop_assert_eq!(child.quantity, link.quantity * n.quantity, "{}", &at);
                    prop_assert_eq!(&child.notes, &link.notes, "{}", &at);
                }
            }
        }
    }
    Ok(())
}

/// The flattened view equals the sum of each id's leaf quantities, in order of first appearance.
fn check_flattened(bom: &GeneratedBom) -> Result<(), TestCaseError> {
    let children = children_of(bom);
    let mut expected: Vec<(String, i64)> = Vec::new();
    let mut sums: HashMap<&str, i64> = HashMap::new();
    for (i, n) in bom.nodes.iter().enumerate() {
        if !children[i].is_empty() {
            continue;
        }
        if !sums.contains_key(n.id.as_str()) {
            expected.push((n.id.clone(), 0));
        }
        *sums.entry(&n.id).or_insert(0) += n.quantity;
    }
    for (id, q) in &mut expected {
        *q = sums[id.as_str()];
    }
    let flat = bom.flattened();
    prop_assert_eq!(&flat, &expected);
    for (id, q) in &flat {
        prop_assert!(*q > 0, "{} has quantity {}", id, q);
    }
    Ok(())
}

/// R12: a top-level id appears once; every configured accessory is there with at least its quantity.
fn check_top_level(build: &BuildConfig, bom: &GeneratedBom) -> Result<(), TestCaseError> {
    let mut seen: HashMap<&str, i64> = HashMap::new();
    for n in bom.top_level() {
        prop_assert!(
            seen.insert(&n.id, n.quantity).is_none(),
            "{} listed twice",
            n.id
        );
    }
    for a in &build.accessories {
        let id = canonical_id(&a.assembly_id);
        let q = seen.get(id).copied();
        prop_assert!(
            q.is_some_and(|q| q >= i64::from(a.quantity)),
            "accessory {} has top-level quantity {:?}",
            id,
            q
        );
    }
    let basins: i64 = ["T2-BSN-ESK-KIT", "T2-BSN-ESK-DI-KIT", "T2-BSN-EDR-KIT"]
        .iter()
        .filter_map(|id| seen.get(id))
        .sum();
    prop_assert_eq!(
        basins,
        i64::try_from(build.basins.len()).expect("small"),
        "basin kits for {} basins",
        build.basins.len()
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn every_valid_configuration_generates_a_consistent_bom((language, build) in build_config()) {
        let errors = validate_build(&build);
        prop_assert!(errors.is_empty(), "the strategy made a configuration the wizard refuses: {:?}", errors);
        let bom = match generate(language, &build, shipped()) {
            Ok(bom) => bom,
            Err(e) => return Err(TestCaseError::fail(format!("generation failed: {e}"))),
        };
        check_tree(&bom)?;
        check_flattened(&bom)?;
        check_top_level(&build, &bom)?;
    }
}
