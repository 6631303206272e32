//! Keeps the layering of docs/architecture.md §1 true as the code grows: a lower layer never names a
//! higher one, and the modules inside `domain/`, `service/`, `db/` and `screens/` import each other
//! without a circle. Reads the sources as text; test code is left out, as it may reach anywhere.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `dir` (or `dir` itself), without test files.
fn rust_files(path: &Path) -> Vec<PathBuf> {
    if path.is_file() {
        return vec![path.to_path_buf()];
    }
    let mut out = Vec::new();
    for entry in fs::read_dir(path)
        .expect("readable source folder")
        .flatten()
    {
        let p = entry.path();
        if p.is_dir() {
            out.extend(rust_files(&p));
        } else if p.extension().is_some_and(|e| e == "rs")
            && !p
                .file_name()
                .is_some_and(|n| n == "tests.rs" || n == "testkit.rs")
        {
            out.push(p);
        }
    }
    out
}

/// The file's text up to its test module.
fn production_text(path: &Path) -> String {
    let text = fs::read_to_string(path).expect("readable source file");
    match text.find("#[cfg(test)]") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

/// The names that follow `prefix` in `text`: `prefix::a`, and each first segment of `prefix::{a, b::c}`.
fn names_after(text: &str, prefix: &str) -> BTreeSet<String> {
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let mut out = BTreeSet::new();
    for (at, _) in text.match_indices(prefix) {
        let rest = &text[at + prefix.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            out.extend(group.split(',').map(|p| ident(p.trim())));
        } else {
            out.insert(ident(rest));
        }
    }
    out.retain(|n| !n.is_empty() && n != "self");
    out
}

/// Each module of `layer` (its files and folders, `mod.rs` aside) and the sibling modules it names.
fn module_graph(layer: &str) -> BTreeMap<String, BTreeSet<String>> {
    let dir = src().join(layer);
    let mut graph = BTreeMap::new();
    for entry in fs::read_dir(&dir).expect("layer folder").flatten() {
        let path = entry.path();
        let Some(name) = path
            .file_stem()
            .and_then(|s| s.to_str())
            .map(str::to_string)
        else {
            continue;
        };
        if name == "mod" || name == "tests" || name == "testkit" {
            continue;
        }
        let mut deps = BTreeSet::new();
        for file in rust_files(&path) {
            let text = production_text(&file);
            deps.extend(names_after(&text, &format!("crate::{layer}::")));
            // In a top-level file, `super::x` is a sibling module.
            if path.is_file() {
                deps.extend(names_after(&text, "super::"));
            }
        }
        deps.remove(&name);
        graph.insert(name, deps);
    }
    let modules: BTreeSet<String> = graph.keys().cloned().collect();
    for deps in graph.values_mut() {
        deps.retain(|d| modules.contains(d));
    }
    graph
}

/// One circle in `graph` as "a -> b -> a", if there is any.
fn find_circle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<String> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<String> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut circle = path[at..].to_vec();
            circle.push(node.to_string());
            return Some(circle.join(" -> "));
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(c) = visit(next, graph, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|n| visit(n, graph, &mut Vec::new(), &mut done))
}

#[test]
fn modules_inside_a_layer_import_each_other_without_a_circle() {
    for layer in ["domain", "service", "db", "screens"] {
        let graph = module_graph(layer);
        assert!(graph.len() > 5, "{layer}: modules not found");
        let circle = find_circle(&graph);
        assert!(
            circle.is_none(),
            "import circle in {layer}/: {}",
            circle.unwrap_or_default()
        );
    }
}

#[test]
fn a_lower_layer_never_names_a_higher_one() {
    let refused: [(&str, &[&str]); 4] = [
        (
            "domain",
            &["db", "service", "screens", "app", "runtime", "commands"],
        ),
        ("db", &["service", "screens", "app", "runtime", "commands"]),
        ("service", &["screens", "app", "runtime", "commands"]),
        ("screens", &["service", "db", "runtime", "commands"]),
    ];
    for (layer, higher) in refused {
        for file in rust_files(&src().join(layer)) {
            let text = production_text(&file);
            for h in higher {
                assert!(
                    !text.contains(&format!("crate::{h}::")),
                    "{} names crate::{h}",
                    file.display()
                );
            }
        }
    }
}

#[test]
fn the_circle_finder_finds_a_circle() {
    let mut graph = BTreeMap::new();
    graph.insert("a".to_string(), BTreeSet::from(["b".to_string()]));
    graph.insert("b".to_string(), BTreeSet::from(["c".to_string()]));
    graph.insert("c".to_string(), BTreeSet::from(["a".to_string()]));
    assert_eq!(find_circle(&graph).as_deref(), Some("a -> b -> c -> a"));
    graph.insert("c".to_string(), BTreeSet::new());
    assert_eq!(find_circle(&graph), None);
    assert_eq!(
        names_after(
            "use crate::domain::{order, bom::X, self};",
            "crate::domain::"
        ),
        BTreeSet::from(["bom".to_string(), "order".to_string()])
    );
}

/// The repositories run every statement through `db::Client`, so each one is prepared once per
/// connection and cached (docs/performance.md §4.1); only `statements.rs` calls the uncached methods.
#[test]
fn repositories_run_statements_through_the_cache() {
    let uncached = [
        ".query(",
        ".query_one(",
        ".query_opt(",
        ".execute(",
        ".prepare(",
    ];
    let mut found = Vec::new();
    for path in rust_files(&src().join("db")) {
        if path.ends_with("statements.rs") {
            continue;
        }
        let text = production_text(&path);
        for call in uncached {
            if text.contains(call) {
                found.push(format!("{} calls {call}", path.display()));
            }
        }
    }
    assert!(found.is_empty(), "uncached statements: {found:?}");
}
