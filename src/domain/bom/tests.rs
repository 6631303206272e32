use super::rules::*;
use super::*;
use crate::domain::catalog::{EntityStatus, parse_catalog};
use crate::domain::order::{
    AccessoryLine, BasinConfig, BasinType, BuildConfig, DocumentLanguage, FaucetConfig,
    FaucetPlacement, FaucetType, FeetType, LegsType, PegboardColor, PegboardSizeType, PegboardType,
    SinkFamily, SprayerConfig, SprayerLocation, SprayerType,
};
use crate::reference::{ASSEMBLIES_JSON, CATEGORIES_JSON, PARTS_JSON};
use std::sync::OnceLock;

fn shipped() -> &'static CatalogIndex {
    static INDEX: OnceLock<CatalogIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let catalog = parse_catalog(PARTS_JSON, ASSEMBLIES_JSON, CATEGORIES_JSON)
            .expect("the shipped catalog parses");
        CatalogIndex::from_catalog(&catalog)
    })
}

fn build(
    model: &str,
    width: i32,
    length: i32,
    legs_type: LegsType,
    legs_model: &str,
    feet_type: FeetType,
) -> BuildConfig {
    BuildConfig::new(
        "B-1",
        model,
        (width, length),
        legs_type,
        legs_model,
        feet_type,
    )
}

fn pegboard(b: &mut BuildConfig, kind: PegboardType, color: PegboardColor) {
    b.has_pegboard = true;
    b.pegboard_type = Some(kind);
    b.pegboard_color = Some(color);
    b.pegboard_size_type = Some(PegboardSizeType::SameAsSink);
}

/// Basin flags: P-trap, light.
fn basin(
    b: &mut BuildConfig,
    basin_type: BasinType,
    (w, l, d): (i32, i32, i32),
    custom: bool,
    p_trap: bool,
    light: bool,
) {
    let index = i32::try_from(b.basins.len() + 1).expect("few basins");
    b.basins.push(BasinConfig {
        basin_index: index,
        basin_type,
        basin_width: w,
        basin_length: l,
        basin_depth: d,
        is_custom_size: custom,
        has_p_trap_drain: p_trap,
        has_basin_light: light,
    });
}

fn faucet(b: &mut BuildConfig, faucet_type: FaucetType, quantity: i32, placement: FaucetPlacement) {
    b.faucets.push(FaucetConfig {
        faucet_type,
        quantity,
        placement,
    });
}

fn sprayer(
    b: &mut BuildConfig,
    sprayer_type: SprayerType,
    quantity: i32,
    location: SprayerLocation,
) {
    b.sprayers.push(SprayerConfig {
        sprayer_type,
        quantity,
        location,
    });
}

fn accessory_line(b: &mut BuildConfig, id: &str, quantity: i32) {
    b.accessories.push(AccessoryLine {
        assembly_id: id.into(),
        quantity,
    });
}

use BasinType::{EDrain, ESink, ESinkDi};
use FaucetPlacement::{BetweenBasins, Center};
use FeetType::{LockLevelingCasters as Casters, SsAdjustableSeismicFeet as Seismic};
use LegsType::{FixedHeight, HeightAdjustable};

/// What a worked example of docs/bom-rules.md §12 states.
struct Expected<'a> {
    lines: &'a [(&'a str, i64)],
    warnings: &'a [&'a str],
    nodes: usize,
    flat_ids: usize,
    flat_quantity: i64,
    flat: &'a [(&'a str, i64)],
    node: &'a [(&'a str, i64)],
}

fn sorted(mut v: Vec<(String, i64)>) -> Vec<(String, i64)> {
    v.sort();
    v
}

fn check(language: DocumentLanguage, b: &BuildConfig, e: &Expected<'_>) -> GeneratedBom {
    let bom = generate(language, b, shipped()).expect("the example generates");
    let lines: Vec<(String, i64)> = bom
        .top_level()
        .map(|n| (n.id.clone(), n.quantity))
        .collect();
    let expected: Vec<(String, i64)> = e.lines.iter().map(|(id, q)| (id.to_string(), *q)).collect();
    assert_eq!(sorted(lines.clone()), sorted(expected.clone()));
    // The worked example lists the lines in display order too.
    assert_eq!(lines, expected, "display order");
    let codes: Vec<&str> = bom
        .notes
        .iter()
        .filter_map(|n| n.strip_prefix("WARNING: "))
        .filter_map(|w| w.split(' ').next())
        .collect();
    assert_eq!(codes, e.warnings, "{:#?}", bom.notes);
    assert_eq!(
        bom.notes.len(),
        e.warnings.len(),
        "no other notice: {:#?}",
        bom.notes
    );
    assert_eq!(bom.nodes.len(), e.nodes, "nodes");
    let flat = bom.flattened();
    assert_eq!(flat.len(), e.flat_ids, "flat ids");
    assert_eq!(
        flat.iter().map(|(_, q)| q).sum::<i64>(),
        e.flat_quantity,
        "flat qty"
    );
    for (id, q) in e.flat {
        assert_eq!(
            flat.iter().find(|(f, _)| f == id).map(|(_, q)| *q),
            Some(*q),
            "flat {id}"
        );
    }
    for (id, q) in e.node {
        assert!(
            bom.nodes.iter().any(|n| n.id == *id && n.quantity == *q),
            "node {id} x{q}"
        );
    }
    assert_tree(&bom);
    bom
}

/// Sequence 1..n in pre-order, levels and absolute quantities consistent with the catalog links.
fn assert_tree(bom: &GeneratedBom) {
    for (i, n) in bom.nodes.iter().enumerate() {
        assert_eq!(n.sequence, i32::try_from(i + 1).expect("small"));
        match n.parent {
            None => assert_eq!(n.level, 0),
            Some(p) => {
                assert!(p < i, "parent precedes child");
                assert_eq!(n.level, bom.nodes[p].level + 1);
            }
        }
        let children: Vec<&BomNode> = bom.children(i).collect();
        if n.is_custom || children.is_empty() {
            continue;
        }
        let Some(Resolved::Assembly { assembly, .. }) = shipped().resolve(&n.id) else {
            unreachable!("a node with children is an assembly");
        };
        assert_eq!(children.len(), assembly.components.len(), "{}", n.id);
        for (c, link) in children.iter().zip(&assembly.components) {
            assert_eq!(c.id, canonical_id(&link.child_id));
            assert_eq!(c.quantity, link.quantity * n.quantity);
            assert_eq!(c.notes, link.notes);
        }
    }
}

#[test]
fn example_1_single_e_sink_at_the_minimum_length() {
    let mut b = build("T2-B1", 30, 48, HeightAdjustable, "DL27", Casters);
    basin(&mut b, ESink, (20, 20, 8), false, false, false);
    let bom = check(
        DocumentLanguage::En,
        &b,
        &Expected {
            lines: &[
                ("T2-STD-MANUAL-EN-KIT", 1),
                ("T2-BODY-48-60-HA", 1),
                ("T2-DL27-KIT", 1),
                ("T2-LEVELING-CASTOR-475", 1),
                ("T2-BSN-ESK-KIT", 1),
                ("T2-ADW-BASIN20X20X8", 1),
                ("T2-CTRL-ESK1", 1),
            ],
            warnings: &[],
            nodes: 120,
            flat_ids: 101,
            flat_quantity: 117,
            flat: &[("T2-M8-3P-FP-STR-1.5M", 3)],
            node: &[],
        },
    );
    let preview = bom.preview();
    assert_eq!(preview.lines.len(), 7);
    assert!(
        preview.lines.iter().all(|l| l.kind == "assembly"),
        "{preview:?}"
    );

    // A twin without components is a leaf of type ASSEMBLY.
    let caster = bom
        .nodes
        .iter()
        .find(|n| n.id == "T2-LEVELING-CASTOR-475")
        .expect("caster line");
    assert_eq!(caster.item_type, ItemType::Assembly);
    assert_eq!(bom.children(caster.sequence as usize - 1).count(), 0);
    assert_eq!(bom.notes_text(), None);
}

#[test]
fn example_2_body_and_pegboard_boundary_at_60_with_merged_basin_sizes() {
    let mut b = build("T2-B2", 30, 60, HeightAdjustable, "DL14", Seismic);
    pegboard(&mut b, PegboardType::Perforated, PegboardColor::Green);
    basin(&mut b, ESink, (24, 20, 8), false, false, false);
    basin(&mut b, EDrain, (24, 20, 8), false, false, false);
    faucet(&mut b, FaucetType::WristBladeSwingSpout, 2, BetweenBasins);
    let bom = check(
        DocumentLanguage::Fr,
        &b,
        &Expected {
            lines: &[
                ("T2-STD-MANUAL-FR-KIT", 1),
                ("T2-BODY-48-60-HA", 1),
                ("T2-DL14-KIT", 1),
                ("T2-SEISMIC-FEET", 1),
                ("T2-OHL-MDRD-KIT", 1),
                ("T2-ADW-PB-6036-GREEN-PERF-KIT", 1),
                ("T2-BSN-ESK-KIT", 1),
                ("T2-BSN-EDR-KIT", 1),
                ("T2-ADW-BASIN24X20X8", 2),
                ("T2-CTRL-EDR1-ESK1", 1),
                ("T2-OA-STD-FAUCET-WB-KIT", 2),
            ],
            warnings: &[],
            nodes: 180,
            flat_ids: 125,
            flat_quantity: 177,
            flat: &[("PFX146332", 4), ("708.77", 1)],
            node: &[],
        },
    );
    // The colour travels in the link's notes.
    let colour = bom.nodes.iter().find(|n| n.id == "708.77").expect("colour");
    assert_eq!(colour.notes.as_deref(), Some("GREEN"));
    assert_eq!(colour.level, 1);
}

#[test]
fn example_3_three_e_drains_fixed_legs_length_73() {
    let mut b = build("T2-B3", 30, 73, FixedHeight, "DL14", Casters);
    pegboard(&mut b, PegboardType::Solid, PegboardColor::Grey);
    basin(&mut b, EDrain, (20, 20, 8), false, true, true);
    basin(&mut b, EDrain, (20, 20, 8), false, true, false);
    basin(&mut b, EDrain, (20, 20, 8), false, true, true);
    faucet(&mut b, FaucetType::WristBladeSwingSpout, 1, Center);
    let bom = check(
        DocumentLanguage::Sp,
        &b,
        &Expected {
            lines: &[
                ("T2-STD-MANUAL-SP-KIT", 1),
                ("T2-BODY-73-120-HA", 1),
                ("T2-DL14-FH-KIT", 1),
                ("T2-LEVELING-CASTOR-475", 1),
                ("T2-OHL-MDRD-KIT", 1),
                ("T2-ADW-PB-7236-GREY-SOLID-KIT", 1),
                ("T2-BSN-EDR-KIT", 3),
                ("T2-ADW-BASIN20X20X8", 3),
                ("T2-OA-MS-1026", 3),
                ("T2-OA-BASIN-LIGHT-EDR-KIT", 2),
                ("T2-CTRL-EDR3", 1),
                ("T2-OA-STD-FAUCET-WB-KIT", 1),
            ],
            warnings: &["W4"],
            nodes: 103,
            flat_ids: 82,
            flat_quantity: 203,
            flat: &[("DER-1899-14-CC", 3), ("6.65E+11", 3)],
            node: &[("T2-BOTTOM-FILL", 3)],
        },
    );
    assert_eq!(
        bom.notes,
        vec!["WARNING: W4 a faucet is placed CENTER but every basin is E-Drain".to_string()]
    );
    // The Spanish kit carries the English site-prep manual, from the catalog.
    assert!(bom.nodes.iter().any(|n| n.id == "T2-PREINST-MANUAL-EN"));
}

#[test]
fn example_4_two_e_sink_di_basins_prefilled_gooseneck_two_sprayers() {
    let mut b = build("T2-B2", 30, 61, HeightAdjustable, "LC1", Casters);
    basin(&mut b, ESinkDi, (24, 20, 10), false, false, true);
    basin(&mut b, ESinkDi, (30, 20, 10), false, false, true);
    faucet(&mut b, FaucetType::GooseneckTreatedWater, 2, Center);
    sprayer(
        &mut b,
        SprayerType::DiWaterGunKitTurret,
        1,
        SprayerLocation::LeftSide,
    );
    sprayer(
        &mut b,
        SprayerType::AirGunKitRosette,
        1,
        SprayerLocation::RightSide,
    );
    check(
        DocumentLanguage::En,
        &b,
        &Expected {
            lines: &[
                ("T2-STD-MANUAL-EN-KIT", 1),
                ("T2-BODY-61-72-HA", 1),
                ("T2-LC1-KIT", 1),
                ("T2-LEVELING-CASTOR-475", 1),
                ("T2-BSN-ESK-DI-KIT", 2),
                ("T2-ADW-BASIN24X20X10", 1),
                ("T2-ADW-BASIN30X20X10", 1),
                ("T2-OA-BASIN-LIGHT-ESK-KIT", 2),
                ("T2-CTRL-ESK2", 1),
                ("T2-OA-DI-GOOSENECK-FAUCET-KIT", 2),
                ("T2-OA-WATERGUN-TURRET-KIT", 1),
                ("T2-OA-AIRGUN-ROSETTE-KIT", 1),
            ],
            warnings: &[],
            nodes: 113,
            flat_ids: 91,
            flat_quantity: 169,
            flat: &[("76902", 2)],
            node: &[("T2-VALVE-PLATE-AUK-DI", 2)],
        },
    );
}

#[test]
fn example_5_custom_basin_and_custom_pegboard() {
    let mut b = build("T2-B1", 30, 84, HeightAdjustable, "DL27", Seismic);
    pegboard(&mut b, PegboardType::Solid, PegboardColor::Blue);
    b.pegboard_size_type = Some(PegboardSizeType::Custom);
    b.pegboard_width = Some(80);
    b.pegboard_length = Some(30);
    basin(&mut b, EDrain, (26, 20, 10), true, true, false);
    faucet(&mut b, FaucetType::PreRinseOverheadSpray, 1, Center);
    accessory_line(&mut b, "T2-OA-CUST-SHELF-HA-SML", 1);
    accessory_line(&mut b, "T-OA-SSSHELF-1812-BOLT-ON-KIT", 2);
    let bom = check(
        DocumentLanguage::En,
        &b,
        &Expected {
            lines: &[
                ("T2-STD-MANUAL-EN-KIT", 1),
                ("T2-BODY-73-120-HA", 1),
                ("T2-DL27-KIT", 1),
                ("T2-SEISMIC-FEET", 1),
                ("T2-OHL-MDRD-KIT", 1),
                ("T2-ADW-PB-80x30", 1),
                ("T2-BSN-EDR-KIT", 1),
                ("T2-ADW-BASIN-26x20x10", 1),
                ("T2-OA-MS-1026", 1),
                ("T2-CTRL-EDR1", 1),
                ("T2-OA-PRE-RINSE-FAUCET-KIT", 1),
                ("T2-OA-CUST-SHELF-HA-SML", 1),
                ("T-OA-SSSHELF-1812-BOLT-ON-KIT", 2),
            ],
            warnings: &["W3", "W4"],
            nodes: 105,
            flat_ids: 84,
            flat_quantity: 105,
            flat: &[("T2-ADW-PB-80x30", 1), ("T2-ADW-BASIN-26x20x10", 1)],
            node: &[],
        },
    );
    assert_eq!(
        bom.notes,
        vec![
            "WARNING: W3 T2-OA-CUST-SHELF-HA-SML is for lengths below 84; this sink is 84 in"
                .to_string(),
            "WARNING: W4 a faucet is placed CENTER but every basin is E-Drain".to_string(),
        ]
    );
    let pb = bom
        .nodes
        .iter()
        .find(|n| n.id == "T2-ADW-PB-80x30")
        .expect("pegboard");
    assert!(pb.is_custom);
    assert_eq!(pb.item_type, ItemType::Part);
    assert_eq!(pb.notes.as_deref(), Some("720.215.002"));
    assert_eq!(
        pb.custom_spec,
        Some(serde_json::json!({"width": 80, "length": 30, "type": "SOLID", "color": "BLUE"}))
    );
    let basin = bom
        .nodes
        .iter()
        .find(|n| n.id == "T2-ADW-BASIN-26x20x10")
        .expect("basin");
    assert!(basin.is_custom);
    assert_eq!(basin.item_type, ItemType::Part);
    assert_eq!(basin.notes.as_deref(), Some("720.215.001"));
    assert_eq!(
        basin.custom_spec,
        Some(serde_json::json!({"width": 26, "length": 20, "depth": 10}))
    );
    // The stored spec gives back the generated names (the viewer and exports rebuild them).
    assert_eq!(
        basin.custom_spec.as_ref().and_then(custom_name).as_deref(),
        Some(basin.name.as_str())
    );
    assert_eq!(
        pb.custom_spec.as_ref().and_then(custom_name).as_deref(),
        Some(pb.name.as_str())
    );
    // No panel kit, hence no grommet or colour component (docs/bom-rules.md §7).
    assert!(
        !bom.nodes
            .iter()
            .any(|n| n.id == "22MP20026" || n.id == "708.77")
    );
    let preview = bom.preview();
    let custom: Vec<&str> = preview
        .lines
        .iter()
        .filter(|l| l.kind == "custom")
        .map(|l| l.id.as_str())
        .collect();
    assert_eq!(custom, vec!["T2-ADW-PB-80x30", "T2-ADW-BASIN-26x20x10"]);
}

#[test]
fn example_6_length_120_mixed_b3_merged_faucets_accessories() {
    let mut b = build("T2-B3", 30, 120, HeightAdjustable, "LC1", Casters);
    pegboard(&mut b, PegboardType::Solid, PegboardColor::White);
    basin(&mut b, ESink, (30, 20, 10), false, false, false);
    basin(&mut b, EDrain, (30, 20, 10), false, false, true);
    basin(&mut b, ESink, (30, 20, 10), false, false, true);
    faucet(&mut b, FaucetType::WristBladeSwingSpout, 1, Center);
    faucet(&mut b, FaucetType::WristBladeSwingSpout, 2, BetweenBasins);
    accessory_line(&mut b, "T-OA-BINRAIL-48-KIT", 2);
    accessory_line(&mut b, "T-OA-SSSHELF-3612-BOLT-ON-KIT", 1);
    accessory_line(&mut b, "T2-OA-CUST-SHELF-HA-LRG", 1);
    accessory_line(&mut b, "T-OA-MNT-ARM", 1);
    accessory_line(&mut b, "T2-OHL-INSTRO-KIT", 1);
    let bom = check(
        DocumentLanguage::En,
        &b,
        &Expected {
            lines: &[
                ("T2-STD-MANUAL-EN-KIT", 1),
                ("T2-BODY-73-120-HA", 1),
                ("T2-LC1-KIT", 1),
                ("T2-LEVELING-CASTOR-475", 1),
                ("T2-OHL-MDRD-KIT", 1),
                ("T2-ADW-PB-12036-WHITE-SOLID-KIT", 1),
                ("T2-BSN-ESK-KIT", 2),
                ("T2-BSN-EDR-KIT", 1),
                ("T2-ADW-BASIN30X20X10", 3),
                ("T2-OA-BASIN-LIGHT-EDR-KIT", 1),
                ("T2-OA-BASIN-LIGHT-ESK-KIT", 1),
                ("T2-CTRL-EDR1-ESK2", 1),
                ("T2-OA-STD-FAUCET-WB-KIT", 3),
                ("T-OA-BINRAIL-48-KIT", 2),
                ("T-OA-SSSHELF-3612-BOLT-ON-KIT", 1),
                ("T2-OA-CUST-SHELF-HA-LRG", 1),
                ("T-OA-MNT-ARM", 1),
                ("T2-OHL-INSTRO-KIT", 1),
            ],
            warnings: &["W2"],
            nodes: 212,
            flat_ids: 138,
            flat_quantity: 290,
            flat: &[("PFX146332", 6), ("T2-BASIN-LIGHT", 2)],
            node: &[],
        },
    );
    assert_eq!(
        bom.notes,
        vec![
            "WARNING: W2 T2-OHL-INSTRO-KIT is meant for InstroSink; this build is MDRD".to_string()
        ]
    );
}

#[test]
fn example_7_edr2_esk1_with_di_and_perforated_pegboard_with_bolt_on_shelf() {
    let mut b = build("T2-B3", 30, 95, FixedHeight, "DL27", Casters);
    pegboard(&mut b, PegboardType::Perforated, PegboardColor::Grey);
    basin(&mut b, EDrain, (24, 20, 8), false, false, false);
    basin(&mut b, EDrain, (24, 20, 8), false, false, false);
    basin(&mut b, ESinkDi, (24, 20, 10), false, false, false);
    faucet(&mut b, FaucetType::GooseneckTreatedWater, 1, Center);
    faucet(&mut b, FaucetType::PreRinseOverheadSpray, 1, BetweenBasins);
    accessory_line(&mut b, "T-OA-SSSHELF-1812-BOLT-ON-KIT", 1);
    accessory_line(&mut b, "T-OA-RAIL-SHELF-ADDER-SML", 1);
    accessory_line(&mut b, "T-OA-PB-SS-2GLOVE", 1);
    let bom = check(
        DocumentLanguage::Fr,
        &b,
        &Expected {
            lines: &[
                ("T2-STD-MANUAL-FR-KIT", 1),
                ("T2-BODY-73-120-HA", 1),
                ("T2-DL27-FH-KIT", 1),
                ("T2-LEVELING-CASTOR-475", 1),
                ("T2-OHL-MDRD-KIT", 1),
                ("T2-ADW-PB-8436-GREY-PERF-KIT", 1),
                ("T2-BSN-EDR-KIT", 2),
                ("T2-BSN-ESK-DI-KIT", 1),
                ("T2-ADW-BASIN24X20X8", 2),
                ("T2-ADW-BASIN24X20X10", 1),
                ("T2-CTRL-EDR2-ESK1", 1),
                ("T2-OA-DI-GOOSENECK-FAUCET-KIT", 1),
                ("T2-OA-PRE-RINSE-FAUCET-KIT", 1),
                ("T-OA-SSSHELF-1812-BOLT-ON-KIT", 1),
                ("T-OA-RAIL-SHELF-ADDER-SML", 1),
                ("T-OA-PB-SS-2GLOVE", 1),
            ],
            warnings: &["W1", "W3"],
            nodes: 159,
            flat_ids: 105,
            flat_quantity: 199,
            flat: &[("22MP20026", 1)],
            node: &[],
        },
    );
    assert_eq!(
        bom.notes,
        vec![
            "WARNING: W1 T-OA-SSSHELF-1812-BOLT-ON-KIT is meant for a SOLID pegboard; this build \
             has a PERFORATED pegboard"
                .to_string(),
            "WARNING: W3 T-OA-RAIL-SHELF-ADDER-SML is for lengths below 84; this sink is 95 in"
                .to_string(),
        ]
    );
}

#[test]
fn example_8_length_96_e_sink_pair_double_air_gun() {
    let mut b = build("T2-B2", 36, 96, HeightAdjustable, "DL27", Casters);
    pegboard(&mut b, PegboardType::Solid, PegboardColor::Black);
    basin(&mut b, ESink, (30, 20, 8), false, true, false);
    basin(&mut b, ESink, (30, 20, 8), false, true, false);
    sprayer(
        &mut b,
        SprayerType::AirGunKitTurret,
        2,
        SprayerLocation::LeftSide,
    );
    accessory_line(&mut b, "T2-OA-LT-SSSHELF-SML", 1);
    accessory_line(&mut b, "T-OA-TASKLIGHT-PB-MAG-KIT", 1);
    accessory_line(&mut b, "T-OA-SSSHELF-3612-BOLT-ON-KIT", 2);
    check(
        DocumentLanguage::En,
        &b,
        &Expected {
            lines: &[
                ("T2-STD-MANUAL-EN-KIT", 1),
                ("T2-BODY-73-120-HA", 1),
                ("T2-DL27-KIT", 1),
                ("T2-LEVELING-CASTOR-475", 1),
                ("T2-OHL-MDRD-KIT", 1),
                ("T2-ADW-PB-9636-BLACK-SOLID-KIT", 1),
                ("T2-BSN-ESK-KIT", 2),
                ("T2-ADW-BASIN30X20X8", 2),
                ("T2-OA-MS-1026", 2),
                ("T2-CTRL-ESK2", 1),
                ("T2-OA-AIRGUN-TURRET-KIT", 2),
                ("T2-OA-LT-SSSHELF-SML", 1),
                ("T-OA-TASKLIGHT-PB-MAG-KIT", 1),
                ("T-OA-SSSHELF-3612-BOLT-ON-KIT", 2),
            ],
            warnings: &[],
            nodes: 150,
            flat_ids: 122,
            flat_quantity: 229,
            flat: &[("BL-4350-01", 2)],
            node: &[],
        },
    );
}

fn minimal() -> BuildConfig {
    let mut b = build("T2-B1", 30, 48, HeightAdjustable, "DL27", Casters);
    basin(&mut b, ESink, (20, 20, 8), false, false, false);
    b
}

#[test]
fn unknown_ids_are_listed_once_in_order_of_first_appearance() {
    let mut b = minimal();
    b.build_number = "B-0042".into();
    accessory_line(&mut b, "NO-SUCH-ID", 1);
    accessory_line(&mut b, "t-oa-mnt-arm", 1);
    accessory_line(&mut b, "NO-SUCH-ID", 2);
    let mut catalog = shipped().clone();
    assert!(catalog.add_component("T2-CTRL-ESK1", "MISSING-CHILD", 1, None));
    let err = generate(DocumentLanguage::En, &b, &catalog).expect_err("unknown ids");
    assert_eq!(
        err.to_string(),
        "BOM generation failed for build B-0042: unknown catalog id(s): MISSING-CHILD, NO-SUCH-ID, \
         t-oa-mnt-arm"
    );
    assert_eq!(
        err.reason(),
        "unknown catalog id(s): MISSING-CHILD, NO-SUCH-ID, t-oa-mnt-arm"
    );
}

#[test]
fn the_pull_out_shelf_self_link_is_broken_and_reported() {
    let mut b = minimal();
    accessory_line(&mut b, "T2-OA-PO-SHLF-1212", 2);
    let bom = generate(DocumentLanguage::En, &b, shipped()).expect("generates");
    let (i, shelf) = bom
        .nodes
        .iter()
        .enumerate()
        .find(|(_, n)| n.id == "T2-OA-PO-SHLF-1212" && n.parent.is_none())
        .expect("shelf line");
    assert_eq!(shelf.quantity, 2);
    assert_eq!(shelf.item_type, ItemType::Assembly);
    let children: Vec<&BomNode> = bom.children(i).collect();
    assert_eq!(children.len(), 1);
    let leaf = children[0];
    assert_eq!(
        (leaf.id.as_str(), leaf.quantity, leaf.item_type, leaf.level),
        ("T2-OA-PO-SHLF-1212", 2, ItemType::Part, 1)
    );
    assert_eq!(bom.children(i + 1).count(), 0, "the cycle is not expanded");
    let cycles: Vec<&String> = bom
        .notes
        .iter()
        .filter(|n| n.starts_with("CYCLE: "))
        .collect();
    assert_eq!(
        cycles,
        vec![
            "CYCLE: ASSY-T2-OA-PO-SHLF-1212 > ASSY-T2-OA-PO-SHLF-1212 (broken at T2-OA-PO-SHLF-1212)"
        ]
    );
    assert_eq!(
        bom.flattened()
            .iter()
            .find(|(id, _)| id == "T2-OA-PO-SHLF-1212"),
        Some(&("T2-OA-PO-SHLF-1212".to_string(), 2))
    );
}

#[test]
fn every_accessory_resolves_17_kits_and_37_twins() {
    let mut kits = 0;
    let mut twins = 0;
    for a in &ACCESSORIES {
        match shipped().resolve(a.id) {
            Some(Resolved::Assembly { key, assembly }) if key == a.id => {
                assert!(!assembly.components.is_empty(), "{}", a.id);
                kits += 1;
            }
            Some(Resolved::Assembly { key, assembly }) => {
                assert_eq!(key, format!("ASSY-{}", a.id));
                assert!(assembly.components.is_empty(), "{}", a.id);
                assert!(shipped().part(a.id).is_some(), "{}", a.id);
                twins += 1;
            }
            other => unreachable!("{} resolves to {other:?}", a.id),
        }
        assert!(a.number.starts_with(&a.subcategory[4..]), "{}", a.id);
    }
    assert_eq!((kits, twins), (17, 37));
    let mut ids: Vec<&str> = ACCESSORIES.iter().map(|a| a.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 54);
    assert!(accessory("T2-OHL-INSTRO-KIT").is_some());
    assert!(accessory("T2-OA-2D-152012-STACKED-KIT").is_none());

    // All of them on one build generate.
    let mut b = minimal();
    for a in &ACCESSORIES {
        accessory_line(&mut b, a.id, 1);
    }
    let bom = generate(DocumentLanguage::En, &b, shipped()).expect("generates");
    assert_eq!(bom.top_level().count(), 7 + 54);
    assert_tree(&bom);
}

#[test]
fn all_128_pegboard_kits_resolve_and_every_length_generates() {
    let sizes = [
        "3436", "4836", "6036", "7236", "8436", "9636", "10836", "12036",
    ];
    let mut n = 0;
    for size in sizes {
        for color in PegboardColor::ALL {
            for kind in PegboardType::ALL {
                let id = format!(
                    "T2-ADW-PB-{size}-{}-{}-KIT",
                    color.code(),
                    pegboard_type_code(*kind)
                );
                let Some(Resolved::Assembly { key, assembly }) = shipped().resolve(&id) else {
                    unreachable!("{id} is not an assembly");
                };
                assert_eq!(key, id);
                let links: Vec<(&str, i64, Option<&str>)> = assembly
                    .components
                    .iter()
                    .map(|l| (l.child_id.as_str(), l.quantity, l.notes.as_deref()))
                    .collect();
                assert_eq!(
                    links,
                    vec![
                        (format!("T2-ADW-PB-{size}").as_str(), 1, None),
                        ("22MP20026", 1, None),
                        ("708.77", 1, Some(color.code())),
                    ]
                );
                n += 1;
            }
        }
    }
    assert_eq!(n, 128);

    let expected_size = |l: i32| match l {
        48..=59 => "4836",
        60..=71 => "6036",
        72..=83 => "7236",
        84..=95 => "8436",
        96..=107 => "9636",
        108..=119 => "10836",
        _ => "12036",
    };
    for length in 48..=120 {
        for color in PegboardColor::ALL {
            for kind in PegboardType::ALL {
                let mut b = build("T2-B1", 30, length, HeightAdjustable, "DL27", Casters);
                basin(&mut b, EDrain, (20, 20, 8), false, false, false);
                pegboard(&mut b, *kind, *color);
                let bom = generate(DocumentLanguage::En, &b, shipped()).expect("generates");
                let kit = format!(
                    "T2-ADW-PB-{}-{}-{}-KIT",
                    expected_size(length),
                    color.code(),
                    pegboard_type_code(*kind)
                );
                assert!(bom.top_level().any(|l| l.id == kit), "{length} {kit}");
            }
        }
    }
}

#[test]
fn identical_ids_merge_at_their_first_position() {
    let mut b = build("T2-B2", 30, 60, HeightAdjustable, "DL14", Casters);
    basin(&mut b, ESink, (26, 20, 10), true, true, false);
    basin(&mut b, ESink, (26, 20, 10), true, true, false);
    accessory_line(&mut b, "T-OA-MNT-ARM", 1);
    accessory_line(&mut b, "B210-BLUE", 3);
    accessory_line(&mut b, "T-OA-MNT-ARM", 2);
    // The same catalog row under its ASSY- key merges with the legs line.
    accessory_line(&mut b, "ASSY-T2-DL14-KIT", 1);
    let bom = generate(DocumentLanguage::En, &b, shipped()).expect("generates");
    let lines: Vec<(String, i64)> = bom
        .top_level()
        .map(|n| (n.id.clone(), n.quantity))
        .collect();
    let expected: Vec<(String, i64)> = [
        ("T2-STD-MANUAL-EN-KIT", 1),
        ("T2-BODY-48-60-HA", 1),
        ("T2-DL14-KIT", 2),
        ("T2-LEVELING-CASTOR-475", 1),
        ("T2-BSN-ESK-KIT", 2),
        ("T2-ADW-BASIN-26x20x10", 2),
        ("T2-OA-MS-1026", 2),
        ("T2-CTRL-ESK2", 1),
        ("T-OA-MNT-ARM", 3),
        ("B210-BLUE", 3),
    ]
    .iter()
    .map(|(id, q)| (id.to_string(), *q))
    .collect();
    assert_eq!(lines, expected);
    assert_tree(&bom);
}

#[test]
fn inactive_items_resolve_with_a_notice() {
    let mut catalog = shipped().clone();
    catalog.add_part("T2-USER-MANUAL-EN", "USER MANUAL", EntityStatus::Inactive);
    catalog.add_assembly(
        "ASSY-T2-LEVELING-CASTOR-475",
        "LEVELING CASTER",
        EntityStatus::Inactive,
    );
    let bom = generate(DocumentLanguage::En, &minimal(), &catalog).expect("generates");
    assert_eq!(
        bom.notes,
        vec![
            "INACTIVE: T2-USER-MANUAL-EN",
            "INACTIVE: T2-LEVELING-CASTOR-475"
        ]
    );
    assert_eq!(
        bom.notes_text().as_deref(),
        Some("INACTIVE: T2-USER-MANUAL-EN\nINACTIVE: T2-LEVELING-CASTOR-475")
    );
}

#[test]
fn configurations_the_wizard_refuses_are_invalid() {
    let gen_err = |b: &BuildConfig| {
        generate(DocumentLanguage::En, b, shipped())
            .expect_err("refused")
            .to_string()
    };
    for length in [47, 121] {
        let mut b = minimal();
        b.sink_length = length;
        assert_eq!(
            gen_err(&b),
            format!("invalid configuration: sink length {length} in is outside 48-120")
        );
    }
    let mut b = minimal();
    b.legs_type = FixedHeight;
    b.legs_model = "LC1".into();
    assert_eq!(
        gen_err(&b),
        "invalid configuration: fixed-height LC1 legs do not exist"
    );
    let mut b = minimal();
    b.sink_model = "T2-B2".into();
    assert!(gen_err(&b).starts_with("invalid configuration: model T2-B2 has 2 basin(s)"));
    let mut b = minimal();
    b.sink_family = SinkFamily::Endoscope;
    assert!(gen_err(&b).starts_with("invalid configuration: sink family ENDOSCOPE"));
    let mut b = minimal();
    b.has_pegboard = true;
    b.pegboard_type = Some(PegboardType::Solid);
    assert_eq!(
        gen_err(&b),
        "invalid configuration: a pegboard needs a colour and a type"
    );
    let mut b = minimal();
    b.basins[0].basin_width = 26;
    assert_eq!(
        gen_err(&b),
        "invalid configuration: basin 1: 26x20x8 is not a standard size"
    );
    let mut b = minimal();
    accessory_line(&mut b, "T-OA-MNT-ARM", 0);
    assert!(gen_err(&b).contains("quantity must be positive"));
}

#[test]
fn warnings_need_no_catalog() {
    let mut b = minimal();
    accessory_line(&mut b, "T-OA-SSSHELF-3612-BOLT-ON-KIT", 1);
    accessory_line(&mut b, "T-OA-RAIL-SHELF-ADDER-LRG", 1);
    accessory_line(&mut b, "T2-OA-LT-SSSHELF-SML", 1);
    b.sink_length = 83;
    assert_eq!(
        warnings(&b),
        vec![
            "W1 T-OA-SSSHELF-3612-BOLT-ON-KIT is meant for a SOLID pegboard; this build has no pegboard",
            "W3 T-OA-RAIL-SHELF-ADDER-LRG is for lengths 84 and above; this sink is 83 in",
        ]
    );
    // A pegboard whose type is not chosen yet says nothing about W1.
    b.has_pegboard = true;
    assert_eq!(warnings(&b).len(), 1);
    b.pegboard_type = Some(PegboardType::Solid);
    b.sink_length = 84;
    assert!(warnings(&b).is_empty());
    // W4 needs every basin to be an E-Drain.
    let mut b = build("T2-B2", 30, 60, HeightAdjustable, "DL27", Casters);
    basin(&mut b, EDrain, (20, 20, 8), false, false, false);
    basin(&mut b, ESink, (20, 20, 8), false, false, false);
    faucet(&mut b, FaucetType::WristBladeSwingSpout, 1, Center);
    assert!(warnings(&b).is_empty());
    b.basins[1].basin_type = EDrain;
    assert_eq!(
        warnings(&b),
        vec!["W4 a faucet is placed CENTER but every basin is E-Drain"]
    );
}

#[test]
fn stored_labels_round_trip() {
    for t in ItemType::ALL {
        assert_eq!(ItemType::parse(t.code()), Some(t));
    }
    for s in BomStatus::ALL {
        assert_eq!(BomStatus::parse(s.code()), Some(s));
    }
    assert_eq!(canonical_id("ASSY-T2-DL14-KIT"), "T2-DL14-KIT");
    assert_eq!(canonical_id("T2-DL27-KIT"), "T2-DL27-KIT");
}
