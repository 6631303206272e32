//! `cleanstation checklist preview` as a planner runs it: the real binary against a seeded database. The
//! expected item lists were read off src/reference/checklists.toml by hand for each configuration.

use crate::env::{Env, fixture, stderr, stdout};
use serde_json::Value;

/// (a) docs/assembly-floor.md §2.2's T2-B2: basin 1 E_SINK, basin 2 E_DRAIN, height-adjustable legs,
/// castors, no pegboard, no faucet, no sprayer, English.
const T2_B2: &str = "t2-b2-esink-edrain.json";
/// (b) T2-B3 with three E_DRAIN basins (a light on basin 2), a pegboard, fixed legs and seismic feet.
const T2_B3: &str = "t2-b3-three-edrain-pegboard.json";

const KEYS: [&str; 5] = ["PRE_QC", "FINAL_QC", "PRODUCTION", "EOL_TEST", "PACKAGING"];

impl Env {
    async fn preview_json(&self, file: &str, key: &str) -> Value {
        let out = self
            .run(&[
                "checklist",
                "preview",
                &fixture(file),
                "--template",
                key,
                "--json",
            ])
            .await;
        assert_eq!(out.status.code(), Some(0), "{file} {key}: {}", stderr(&out));
        serde_json::from_str(&stdout(&out))
            .unwrap_or_else(|e| panic!("{file} {key}: not JSON ({e}): {}", stdout(&out)))
    }
}

fn checklist(name: &str) -> String {
    format!("checklist/{name}")
}

/// The one build's items as "CODE" or "CODE/basin", checking every item has exactly the documented keys.
fn lines(preview: &Value) -> Vec<String> {
    let builds = preview["builds"].as_array().expect("builds");
    assert_eq!(builds.len(), 1, "{preview}");
    builds[0]["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|it| {
            let mut keys: Vec<&String> = it.as_object().expect("object").keys().collect();
            keys.sort();
            assert_eq!(
                keys,
                ["basinIndex", "checkType", "code", "description", "section"],
                "{it}"
            );
            let code = it["code"].as_str().expect("code");
            match &it["basinIndex"] {
                Value::Null => code.to_string(),
                n => format!("{code}/{}", n.as_i64().expect("basin index")),
            }
        })
        .collect()
}

fn expect(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_string()).collect()
}

#[tokio::test]
async fn pre_and_final_qc_items_of_the_worked_configurations() {
    let env = Env::new().await;

    let a = env.preview_json(&checklist(T2_B2), "PRE_QC").await;
    assert_eq!(a["builds"][0]["buildNumber"], "QC-A");
    assert_eq!(
        lines(&a),
        expect(&[
            "PRE-01", "PRE-02", "PRE-03", "PRE-05", "PRE-06", "PRE-08/1", "PRE-08/2", "PRE-09/1",
            "PRE-09/2", "PRE-10/2", "PRE-12/1", "PRE-12/2", "PRE-13/1", "PRE-14/2",
        ])
    );
    let first = &a["builds"][0]["items"][0];
    assert_eq!(first["section"], "Sink");
    assert_eq!(first["checkType"], "BOOLEAN");
    assert_eq!(first["basinIndex"], Value::Null);
    assert!(
        first["description"]
            .as_str()
            .expect("description")
            .starts_with("Overall sink dimensions"),
        "{first}"
    );
    assert_eq!(a["builds"][0]["items"][10]["checkType"], "MULTI_CHOICE");

    let a = env.preview_json(&checklist(T2_B2), "FINAL_QC").await;
    assert_eq!(
        lines(&a),
        expect(&[
            "FQC-01", "FQC-02", "FQC-03", "FQC-04", "FQC-05", "FQC-06", "FQC-07", "FQC-09/1",
            "FQC-10", "FQC-12/2", "FQC-13", "FQC-14", "FQC-15/1", "FQC-16", "FQC-17", "FQC-18/1",
            "FQC-18/2", "FQC-19/2", "FQC-20/1", "FQC-23/1", "FQC-23/2", "FQC-24/1", "FQC-24/2",
            "FQC-25/1", "FQC-26", "FQC-27", "FQC-28", "FQC-29", "FQC-30", "FQC-31", "FQC-32",
            "FQC-33",
        ])
    );

    let b = env.preview_json(&checklist(T2_B3), "PRE_QC").await;
    assert_eq!(b["builds"][0]["buildNumber"], "QC-B");
    assert_eq!(
        lines(&b),
        expect(&[
            "PRE-01", "PRE-02", "PRE-03", "PRE-04", "PRE-05", "PRE-07", "PRE-08/1", "PRE-08/2",
            "PRE-08/3", "PRE-09/1", "PRE-09/2", "PRE-09/3", "PRE-10/1", "PRE-10/2", "PRE-10/3",
            "PRE-11/2", "PRE-12/1", "PRE-12/2", "PRE-12/3", "PRE-13/1", "PRE-14/2", "PRE-15/3",
        ])
    );

    let b = env.preview_json(&checklist(T2_B3), "FINAL_QC").await;
    assert_eq!(
        lines(&b),
        expect(&[
            "FQC-01", "FQC-02", "FQC-03", "FQC-04", "FQC-05", "FQC-06", "FQC-07", "FQC-08",
            "FQC-10", "FQC-12/1", "FQC-12/2", "FQC-12/3", "FQC-13", "FQC-18/1", "FQC-18/2",
            "FQC-18/3", "FQC-19/1", "FQC-19/2", "FQC-19/3", "FQC-21/2", "FQC-23/1", "FQC-23/2",
            "FQC-23/3", "FQC-24/1", "FQC-24/2", "FQC-24/3", "FQC-26", "FQC-27", "FQC-28", "FQC-29",
            "FQC-30", "FQC-32", "FQC-33",
        ])
    );
}

#[tokio::test]
async fn every_template_previews_every_worked_configuration() {
    let env = Env::new().await;
    let before = env.count("ProductionOrder").await;
    let mut files: Vec<String> = vec![checklist(T2_B2), checklist(T2_B3)];
    files.extend((1..=8).map(|n| format!("bom/example-{n}.json")));
    for file in &files {
        for key in KEYS {
            let p = env.preview_json(file, key).await;
            let builds = p["builds"].as_array().expect("builds");
            assert!(!builds.is_empty(), "{file} {key}");
            for b in builds {
                let items = b["items"].as_array().expect("items");
                assert!(!items.is_empty(), "{file} {key}: no items");
            }
        }
    }
    assert_eq!(
        env.count("ProductionOrder").await,
        before,
        "a preview writes nothing"
    );

    // docs/assembly-floor.md §2.2: this configuration gives exactly 18 production tasks, in this order.
    let prd = env.preview_json(&checklist(T2_B2), "PRODUCTION").await;
    assert_eq!(
        lines(&prd),
        expect(&[
            "PRD-04", "PRD-05", "PRD-06", "PRD-07", "PRD-08", "PRD-09", "PRD-10", "PRD-15/2",
            "PRD-16/2", "PRD-17/2", "PRD-18/2", "PRD-19/1", "PRD-20/1", "PRD-21/1", "PRD-22/1",
            "PRD-23/1", "PRD-24/1", "PRD-25/1",
        ])
    );
    // The English order gets no French label item.
    let pkg = env.preview_json(&checklist(T2_B2), "PACKAGING").await;
    let pkg = lines(&pkg);
    assert_eq!(pkg.first().map(String::as_str), Some("PKG-01"));
    assert!(!pkg.iter().any(|c| c == "PKG-20"), "{pkg:?}");
    // No faucet and no sprayer: their kits come from the BOM, which holds none, so the preview leaves them
    // out as the generated checklist does; the English manual kit is in the BOM and is listed.
    for code in [
        "PKG-10", "PKG-11", "PKG-12", "PKG-13", "PKG-14", "PKG-15", "PKG-16",
    ] {
        assert!(!pkg.iter().any(|c| c == code), "{code}: {pkg:?}");
    }
    assert!(pkg.iter().any(|c| c == "PKG-17"), "{pkg:?}");
    // Three E-Drain basins: no E-Sink test applies, every E-Drain test does, once per basin.
    let eol = lines(&env.preview_json(&checklist(T2_B3), "EOL_TEST").await);
    assert!(!eol.iter().any(|c| c.starts_with("EOL-04")), "{eol:?}");
    for basin in 1..=3 {
        assert!(eol.contains(&format!("EOL-09/{basin}")), "{eol:?}");
        assert!(eol.contains(&format!("EOL-14/{basin}")), "{eol:?}");
    }
    assert!(eol.contains(&"EOL-15/2".to_string()), "{eol:?}");
    assert!(!eol.contains(&"EOL-15/1".to_string()), "{eol:?}");
}

#[tokio::test]
async fn text_output_and_refusals() {
    let env = Env::new().await;
    let out = env
        .run(&[
            "checklist",
            "preview",
            &fixture(&checklist(T2_B2)),
            "--template",
            "pre_qc",
        ])
        .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("Build QC-A: 14 item(s) of Pre-Production Check v1\n  Sink\n    PRE-01  "),
        "{text}"
    );
    assert!(text.contains("\n  Basin\n    PRE-08 [basin 1]  "), "{text}");
    assert!(text.contains("    PRE-14 [basin 2]  "), "{text}");

    let out = env
        .run(&[
            "checklist",
            "preview",
            &fixture(&checklist(T2_B2)),
            "--template",
            "QC",
        ])
        .await;
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(
            "Unknown template QC; use one of PRE_QC, FINAL_QC, PRODUCTION, EOL_TEST, PACKAGING"
        ),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).is_empty());

    let out = env
        .run(&[
            "checklist",
            "preview",
            &fixture("bom/invalid-config.json"),
            "--template",
            "FINAL_QC",
            "--json",
        ])
        .await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("invalid configuration"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).is_empty());

    let out = env
        .run(&[
            "checklist",
            "preview",
            &fixture("checklist/missing.json"),
            "--template",
            "PRE_QC",
        ])
        .await;
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("Cannot read file"),
        "{}",
        stderr(&out)
    );
}
