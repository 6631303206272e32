//! The import verbs refuse a document holding a NUL byte (raw or escaped) with exit status 2, changing
//! nothing, like any other refused input.

use crate::env::{Env, fixture, scratch, stderr};
use cleanstation::service::seed::DEMO_PASSWORD;
use std::path::{Path, PathBuf};

/// The shipped catalog in `dir`, with `parts.json` changed by `edit`.
fn catalog_with(dir: &Path, edit: impl Fn(&str) -> String) {
    let shipped = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/reference/catalog");
    for file in ["parts.json", "assemblies.json", "categories.json"] {
        let text = std::fs::read_to_string(shipped.join(file)).expect("shipped catalog");
        let text = if file == "parts.json" {
            edit(&text)
        } else {
            text
        };
        std::fs::write(dir.join(file), text).expect("write");
    }
}

#[tokio::test]
async fn a_nul_byte_in_an_import_document_is_refused_with_exit_status_2() {
    let env = Env::new().await;
    let parts_before = env.count("Part").await;
    let orders_before = env.count("ProductionOrder").await;
    let name = "TO CONNECT GESTURE SENSOR TO CM3-PANEL-U";
    let mut cases: Vec<(&str, Vec<String>)> = Vec::new();

    let raw = scratch("imports", "catalog-raw");
    catalog_with(&raw, |t| t.replacen(name, "TO CONNECT\0 GESTURE", 1));
    let escaped = scratch("imports", "catalog-escaped");
    catalog_with(&escaped, |t| {
        t.replacen(name, "TO CONNECT\\u0000 GESTURE", 1)
    });
    for dir in [&raw, &escaped] {
        cases.push((
            "catalog import",
            vec!["catalog".into(), "import".into(), dir.display().to_string()],
        ));
    }

    let shipped_toml = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/reference/checklists.toml"),
    )
    .expect("shipped templates");
    let first_quote = shipped_toml
        .lines()
        .position(|l| !l.trim_start().starts_with('#') && l.contains("= \""))
        .expect("a string value");
    for (label, insert) in [("raw", "\0"), ("escaped", "\\u0000")] {
        let text: Vec<String> = shipped_toml
            .lines()
            .enumerate()
            .map(|(i, l)| {
                if i == first_quote {
                    l.replacen("= \"", &format!("= \"{insert}"), 1)
                } else {
                    l.to_string()
                }
            })
            .collect();
        let file = scratch("imports", &format!("templates-{label}")).join("checklists.toml");
        std::fs::write(&file, text.join("\n")).expect("write");
        cases.push((
            "templates import",
            vec![
                "templates".into(),
                "import".into(),
                file.display().to_string(),
            ],
        ));
    }

    let order = std::fs::read_to_string(fixture("bom/example-1.json")).expect("fixture");
    for (label, insert) in [("raw", "\0"), ("escaped", "\\u0000")] {
        let file = scratch("imports", &format!("order-{label}")).join("order.json");
        let text = order.replacen("Mercy General", &format!("Mercy{insert} General"), 1);
        std::fs::write(&file, text).expect("write");
        cases.push((
            "order import",
            vec![
                "order".into(),
                "import".into(),
                file.display().to_string(),
                "--as".into(),
                "coordinator".into(),
            ],
        ));
        if label == "raw" {
            // The previews read the same document: a NUL byte makes it unreadable JSON.
            let path = file.display().to_string();
            cases.push((
                "bom preview",
                vec!["bom".into(), "preview".into(), path.clone()],
            ));
            cases.push((
                "checklist preview",
                vec![
                    "checklist".into(),
                    "preview".into(),
                    path,
                    "--template".into(),
                    "PRE_QC".into(),
                ],
            ));
        }
    }

    for (verb, args) in &cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = env
            .db
            .cli(&args, &[("CLEANSTATION_PASSWORD", DEMO_PASSWORD)])
            .await;
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{verb} {args:?}: {err}");
        assert!(!err.trim().is_empty(), "{verb}: the refusal is named");
    }
    assert_eq!(env.count("Part").await, parts_before, "nothing imported");
    assert_eq!(
        env.count("ProductionOrder").await,
        orders_before,
        "no order created"
    );
}
