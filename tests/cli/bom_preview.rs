//! `cleanstation bom preview` as a user runs it: the real binary against a seeded database, for every
//! worked example of docs/bom-rules.md §12, the text tree, and the refusals (exit status 2).

use crate::env::{Env, stderr, stdout};
use serde_json::Value;
use std::collections::BTreeMap;

impl Env {
    /// Rows that a preview must never write.
    async fn written_rows(&self) -> Vec<i64> {
        let mut counts = Vec::new();
        for table in [
            "ProductionOrder",
            "BillOfMaterials",
            "BOMItem",
            "BasinConfiguration",
            "OrderAccessory",
        ] {
            counts.push(self.count(table).await);
        }
        counts
    }
}

fn fixture(name: &str) -> String {
    crate::env::fixture(&format!("bom/{name}"))
}

/// What docs/bom-rules.md §12 states about one example.
struct Expected {
    file: &'static str,
    build: &'static str,
    lines: &'static [(&'static str, i64)],
    warnings: &'static [&'static str],
    nodes: usize,
    flat_ids: usize,
    flat_sum: i64,
    /// A node anywhere in the tree with this id and quantity.
    node_checks: &'static [(&'static str, i64)],
    flat_checks: &'static [(&'static str, i64)],
}

const W4: &str = "W4 a faucet is placed CENTER but every basin is E-Drain";

const EXAMPLES: [Expected; 8] = [
    Expected {
        file: "example-1.json",
        build: "EX-1",
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
        flat_sum: 117,
        node_checks: &[],
        flat_checks: &[("T2-M8-3P-FP-STR-1.5M", 3)],
    },
    Expected {
        file: "example-2.json",
        build: "EX-2",
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
        flat_sum: 177,
        node_checks: &[],
        flat_checks: &[("PFX146332", 4), ("708.77", 1)],
    },
    Expected {
        file: "example-3.json",
        build: "EX-3",
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
        warnings: &[W4],
        nodes: 103,
        flat_ids: 82,
        flat_sum: 203,
        node_checks: &[("T2-BOTTOM-FILL", 3)],
        flat_checks: &[("DER-1899-14-CC", 3), ("6.65E+11", 3)],
    },
    Expected {
        file: "example-4.json",
        build: "EX-4",
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
        flat_sum: 169,
        node_checks: &[("T2-VALVE-PLATE-AUK-DI", 2)],
        flat_checks: &[("76902", 2)],
    },
    Expected {
        file: "example-5.json",
        build: "EX-5",
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
        warnings: &[
            "W3 T2-OA-CUST-SHELF-HA-SML is for lengths below 84; this sink is 84 in",
            W4,
        ],
        nodes: 105,
        flat_ids: 84,
        flat_sum: 105,
        node_checks: &[],
        flat_checks: &[],
    },
    Expected {
        file: "example-6.json",
        build: "EX-6",
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
        warnings: &["W2 T2-OHL-INSTRO-KIT is meant for InstroSink; this build is MDRD"],
        nodes: 212,
        flat_ids: 138,
        flat_sum: 290,
        node_checks: &[],
        flat_checks: &[("PFX146332", 6), ("T2-BASIN-LIGHT", 2)],
    },
    Expected {
        file: "example-7.json",
        build: "EX-7",
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
        warnings: &[
            "W1 T-OA-SSSHELF-1812-BOLT-ON-KIT is meant for a SOLID pegboard; this build has a PERFORATED pegboard",
            "W3 T-OA-RAIL-SHELF-ADDER-SML is for lengths below 84; this sink is 95 in",
        ],
        nodes: 159,
        flat_ids: 105,
        flat_sum: 199,
        node_checks: &[],
        flat_checks: &[("22MP20026", 1)],
    },
    Expected {
        file: "example-8.json",
        build: "EX-8",
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
        flat_sum: 229,
        node_checks: &[],
        flat_checks: &[("BL-4350-01", 2)],
    },
];

/// Every node of the tree, depth first: (id, quantity, node).
fn walk<'a>(nodes: &'a [Value], out: &mut Vec<&'a Value>) {
    for n in nodes {
        out.push(n);
        walk(n["children"].as_array().expect("children"), out);
    }
}

fn int(v: &Value) -> i64 {
    v.as_i64().expect("an integer")
}

fn check_example(e: &Expected, json: &Value) {
    let builds = json["builds"].as_array().expect("builds");
    assert_eq!(builds.len(), 1, "{}", e.file);
    let b = &builds[0];
    assert_eq!(b["buildNumber"], e.build);
    let lines = b["lines"].as_array().expect("lines");

    // Display order is docs/bom-rules.md §4's order, so the list is compared exactly (which implies the
    // multiset).
    let got: Vec<(String, i64)> = lines
        .iter()
        .map(|l| {
            (
                l["id"].as_str().expect("id").to_string(),
                int(&l["quantity"]),
            )
        })
        .collect();
    let want: Vec<(String, i64)> = e.lines.iter().map(|(i, q)| (i.to_string(), *q)).collect();
    assert_eq!(got, want, "{}: top-level lines", e.file);

    let warnings: Vec<&str> = b["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .map(|w| w.as_str().expect("text"))
        .collect();
    assert_eq!(warnings, e.warnings, "{}: warnings", e.file);
    assert_eq!(b["notices"], serde_json::json!([]), "{}: notices", e.file);

    let mut all = Vec::new();
    walk(lines, &mut all);
    assert_eq!(all.len(), e.nodes, "{}: nodes", e.file);
    let flat = b["flattened"].as_array().expect("flattened");
    let flat: BTreeMap<String, i64> = flat
        .iter()
        .map(|f| {
            (
                f["id"].as_str().expect("id").to_string(),
                int(&f["quantity"]),
            )
        })
        .collect();
    assert_eq!(flat.len(), e.flat_ids, "{}: flat ids", e.file);
    assert_eq!(
        flat.values().sum::<i64>(),
        e.flat_sum,
        "{}: flat qty",
        e.file
    );
    for (id, qty) in e.flat_checks {
        assert_eq!(flat.get(*id), Some(qty), "{}: flat {id}", e.file);
    }
    for (id, qty) in e.node_checks {
        assert!(
            all.iter()
                .any(|n| n["id"] == *id && int(&n["quantity"]) == *qty),
            "{}: node {id} x{qty}",
            e.file
        );
    }
    for n in &all {
        let kind = n["itemType"].as_str().expect("itemType");
        assert!(kind == "PART" || kind == "ASSEMBLY", "{kind}");
        assert!(n["isCustomPart"].is_boolean());
        assert!(n.get("customPartSpec").is_some() && n.get("notes").is_some());
    }
}

#[tokio::test]
async fn preview_reproduces_every_worked_example_and_writes_nothing() {
    let env = Env::new().await;
    let before = env.written_rows().await;
    for e in &EXAMPLES {
        let out = env
            .run(&["bom", "preview", &fixture(e.file), "--json"])
            .await;
        assert!(
            out.status.success(),
            "{}: {:?} {}",
            e.file,
            out.status,
            stderr(&out)
        );
        let json: Value = serde_json::from_str(&stdout(&out)).expect("JSON on stdout");
        check_example(e, &json);
    }
    assert_eq!(env.written_rows().await, before, "the preview wrote rows");
}

#[tokio::test]
async fn custom_lines_and_twins_carry_their_spec_notes_and_type() {
    let env = Env::new().await;
    let out = env
        .run(&["bom", "preview", &fixture("example-5.json"), "--json"])
        .await;
    assert!(out.status.success(), "{}", stderr(&out));
    let json: Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    let lines = json["builds"][0]["lines"].as_array().expect("lines");
    let line = |id: &str| {
        lines
            .iter()
            .find(|l| l["id"] == id)
            .unwrap_or_else(|| panic!("line {id}"))
    };
    let basin = line("T2-ADW-BASIN-26x20x10");
    assert_eq!(basin["isCustomPart"], true);
    assert_eq!(basin["itemType"], "PART");
    assert_eq!(basin["notes"], "720.215.001");
    assert_eq!(
        basin["customPartSpec"],
        serde_json::json!({"width": 26, "length": 20, "depth": 10})
    );
    assert_eq!(basin["children"], serde_json::json!([]));
    let panel = line("T2-ADW-PB-80x30");
    assert_eq!(panel["notes"], "720.215.002");
    assert_eq!(
        panel["customPartSpec"],
        serde_json::json!({"width": 80, "length": 30, "type": "SOLID", "color": "BLUE"})
    );
    // A twin with no components is an ASSEMBLY leaf (docs/bom-rules.md §6).
    let feet = line("T2-SEISMIC-FEET");
    assert_eq!(feet["itemType"], "ASSEMBLY");
    assert_eq!(feet["isCustomPart"], false);
    assert_eq!(feet["customPartSpec"], Value::Null);
}

#[tokio::test]
async fn the_text_preview_is_an_indented_tree_with_its_warnings() {
    let env = Env::new().await;
    let out = env
        .run(&["bom", "preview", &fixture("example-3.json")])
        .await;
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("Build EX-3: 12 top-level line(s), 103 node(s); flattened: 82 id(s), 203 piece(s)")
    );
    assert!(
        lines
            .next()
            .is_some_and(|l| l.starts_with("  T2-STD-MANUAL-SP-KIT x1  ")),
        "{text}"
    );
    // Children sit two spaces deeper than their parent.
    assert!(
        text.lines()
            .any(|l| l.starts_with("    ") && !l.starts_with("      ")),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("      T2-BOTTOM-FILL x3")
                || l.starts_with("    T2-BOTTOM-FILL x3")),
        "{text}"
    );
    assert!(text.ends_with(&format!("Warnings:\n  {W4}\n")), "{text}");
}

#[tokio::test]
async fn unknown_ids_and_invalid_configurations_exit_2_and_write_nothing() {
    let env = Env::new().await;
    let before = env.written_rows().await;

    let out = env
        .run(&["bom", "preview", &fixture("unknown-id.json"), "--json"])
        .await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
    assert_eq!(
        stderr(&out).trim_end(),
        "cleanstation: BOM generation failed for build UNK-1: unknown catalog id(s): T2-NO-SUCH-KIT, T2-ALSO-MISSING"
    );

    let out = env
        .run(&["bom", "preview", &fixture("invalid-config.json")])
        .await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
    assert_eq!(
        stderr(&out).trim_end(),
        "cleanstation: Build BAD-1: invalid configuration: sinkLength: Length must be a whole number of inches from 48 to 120"
    );

    let out = env
        .run(&["bom", "preview", &fixture("no-such-file.json")])
        .await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("Cannot read file"),
        "{}",
        stderr(&out)
    );

    assert_eq!(
        env.written_rows().await,
        before,
        "a refused preview wrote rows"
    );
}
