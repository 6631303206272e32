//! `cleanstation bom`: previewing the BOMs of an order document without saving anything, and exporting
//! a stored build's current BOM.

use super::{CliError, prepare, refused_or_failed, to_json};
use crate::config::Config;
use crate::db;
use crate::domain::bom::{BomError, BomNode, CatalogIndex, GeneratedBom, ItemType, generate};
use crate::domain::order::{BuildConfig, NewOrder};
use crate::error::ServiceError;
use crate::export::ExportFormat;
use serde::Serialize;
use std::path::Path;

/// The prefix of a stored warning line (docs/bom-rules.md §8); §9 gives the message after it.
const WARNING_PREFIX: &str = "WARNING: ";

/// One build's preview as `--json` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BuildPreview {
    pub build_number: String,
    /// The top-level lines in display order, each with its expansion.
    pub lines: Vec<PreviewNode>,
    pub flattened: Vec<FlatQuantity>,
    /// W1–W4 messages as docs/bom-rules.md §9 words them.
    pub warnings: Vec<String>,
    /// `CYCLE: …` and `INACTIVE: …` lines.
    pub notices: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PreviewNode {
    pub id: String,
    pub item_type: ItemType,
    pub quantity: i64,
    pub is_custom_part: bool,
    pub custom_part_spec: Option<serde_json::Value>,
    pub notes: Option<String>,
    pub children: Vec<PreviewNode>,
    /// The catalog name: the text tree shows it; the JSON keeps to the documented keys.
    #[serde(skip)]
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FlatQuantity {
    pub id: String,
    pub quantity: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Preview {
    pub builds: Vec<BuildPreview>,
}

fn subtree(bom: &GeneratedBom, index: usize, node: &BomNode) -> PreviewNode {
    PreviewNode {
        id: node.id.clone(),
        item_type: node.item_type,
        quantity: node.quantity,
        is_custom_part: node.is_custom,
        custom_part_spec: node.custom_spec.clone(),
        notes: node.notes.clone(),
        children: bom
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.parent == Some(index))
            .map(|(i, n)| subtree(bom, i, n))
            .collect(),
        name: node.name.clone(),
    }
}

/// The preview of one generated BOM: the tree, the flattened view and the notes split by kind.
pub fn build_preview(build_number: &str, bom: &GeneratedBom) -> BuildPreview {
    let (warnings, notices): (Vec<&String>, Vec<&String>) = bom
        .notes
        .iter()
        .partition(|n| n.starts_with(WARNING_PREFIX));
    BuildPreview {
        build_number: build_number.to_string(),
        lines: bom
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.parent.is_none())
            .map(|(i, n)| subtree(bom, i, n))
            .collect(),
        flattened: bom
            .flattened()
            .into_iter()
            .map(|(id, quantity)| FlatQuantity { id, quantity })
            .collect(),
        warnings: warnings
            .into_iter()
            .map(|w| w.trim_start_matches(WARNING_PREFIX).to_string())
            .collect(),
        notices: notices.into_iter().cloned().collect(),
    }
}

/// Why one build of an order document cannot be previewed.
pub(super) enum BuildProblem {
    /// This build's own problem; the other builds are still tried.
    Build(String),
    /// The same for every build (a broken template): said once, and no further build is tried.
    Shared(String),
}

/// Checks every build of `order` as the wizard does, then runs `each` on every valid one with its trimmed
/// number. Every problem of every build is reported, one per line, and then nothing is printed.
pub(super) fn per_build<T>(
    order: &NewOrder,
    mut each: impl FnMut(&str, &BuildConfig) -> Result<T, BuildProblem>,
) -> Result<Vec<T>, Vec<String>> {
    let mut problems: Vec<String> = super::empty_order(order).into_iter().collect();
    let mut out = Vec::with_capacity(order.builds.len());
    for build in &order.builds {
        let invalid = super::build_problems(build);
        if !invalid.is_empty() {
            problems.extend(invalid);
            continue;
        }
        match each(build.build_number.trim(), build) {
            Ok(v) => out.push(v),
            Err(BuildProblem::Build(p)) => problems.push(p),
            Err(BuildProblem::Shared(p)) => {
                problems.push(p);
                break;
            }
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// Generates the BOM of build `number` of `order` against `index`; the error is the line a preview prints.
pub(super) fn generate_build(
    order: &NewOrder,
    number: &str,
    build: &BuildConfig,
    index: &CatalogIndex,
) -> Result<GeneratedBom, BuildProblem> {
    generate(order.header.order_language, build, index).map_err(|e| bom_problem(number, e))
}

/// The line a preview prints for build `number` whose BOM cannot be generated.
pub(super) fn bom_problem(number: &str, e: BomError) -> BuildProblem {
    BuildProblem::Build(match e {
        BomError::UnknownIds { .. } => e.to_string(),
        BomError::InvalidConfiguration(_) => format!("Build {number}: {e}"),
    })
}

/// Checks every build as the wizard does, then generates each against `index`. Every problem of every
/// build is reported, one per line, and then nothing is printed.
pub fn preview_order(order: &NewOrder, index: &CatalogIndex) -> Result<Preview, Vec<String>> {
    let builds = per_build(order, |number, build| {
        generate_build(order, number, build, index).map(|bom| build_preview(number, &bom))
    })?;
    Ok(Preview { builds })
}

fn text_node(out: &mut Vec<String>, node: &PreviewNode, depth: usize) {
    let mut line = format!(
        "{}{} x{}  {}",
        "  ".repeat(depth + 1),
        node.id,
        node.quantity,
        node.name
    );
    if node.is_custom_part {
        line.push_str("  (custom");
        if let Some(n) = &node.notes {
            line.push_str(&format!(", {n}"));
        }
        line.push(')');
    } else if let Some(n) = &node.notes {
        line.push_str(&format!("  ({n})"));
    }
    out.push(line);
    for child in &node.children {
        text_node(out, child, depth + 1);
    }
}

/// The preview as indented text: per build its tree, then its totals in brief, warnings and notices.
pub fn preview_text(preview: &Preview) -> String {
    let mut out = Vec::new();
    for (i, b) in preview.builds.iter().enumerate() {
        if i > 0 {
            out.push(String::new());
        }
        let nodes = count_nodes(&b.lines);
        let sum: i64 = b.flattened.iter().map(|f| f.quantity).sum();
        out.push(format!(
            "Build {}: {} top-level line(s), {nodes} node(s); flattened: {} id(s), {sum} piece(s)",
            b.build_number,
            b.lines.len(),
            b.flattened.len()
        ));
        for line in &b.lines {
            text_node(&mut out, line, 0);
        }
        if b.warnings.is_empty() {
            out.push("Warnings: none".into());
        } else {
            out.push("Warnings:".into());
            out.extend(b.warnings.iter().map(|w| format!("  {w}")));
        }
        if !b.notices.is_empty() {
            out.push("Notices:".into());
            out.extend(b.notices.iter().map(|n| format!("  {n}")));
        }
    }
    out.join("\n")
}

fn count_nodes(nodes: &[PreviewNode]) -> usize {
    nodes.iter().map(|n| 1 + count_nodes(&n.children)).sum()
}

/// `cleanstation bom preview FILE [--json]`: the BOM of every build of an order document, generated
/// against the database's catalog; nothing is written.
pub async fn bom_preview(config: &Config, file: &Path, json: bool) -> Result<String, CliError> {
    let mut order = super::read_order_file(file)?;
    for b in &mut order.builds {
        b.build_number = b.build_number.trim().to_string();
    }
    let prepared = prepare(config, "cleanstation/bom", false).await?;
    let index = {
        let client = prepared.pool.get().await.map_err(ServiceError::from)?;
        db::bom::load_catalog_index(&client).await?
    };
    let preview = preview_order(&order, &index).map_err(|p| CliError::Refused(p.join("\n")))?;
    if json {
        to_json(&preview)
    } else {
        Ok(preview_text(&preview))
    }
}

/// `cleanstation bom export BUILD --format csv|pdf --out DIR`: writes the build's current BOM and
/// prints the paths, one per line.
pub async fn bom_export(
    config: &Config,
    build: &str,
    format: &str,
    out: &Path,
) -> Result<String, CliError> {
    let format = ExportFormat::parse(format)
        .ok_or_else(|| CliError::Refused(format!("Unknown format {format}; use csv or pdf")))?;
    let build = build.trim();
    let prepared = prepare(config, "cleanstation/bom", false).await?;
    let doc = {
        let client = prepared.pool.get().await.map_err(ServiceError::from)?;
        let id = db::orders::id_by_build_number(&client, build)
            .await?
            .ok_or_else(|| CliError::Refused(format!("Build {build} not found")))?;
        db::bom::document(&client, id, None).await?.ok_or_else(|| {
            CliError::Refused(crate::service::export::nothing_to_export().to_string())
        })?
    };
    let paths = crate::service::export::write_document(doc, format, out)
        .await
        .map_err(refused_or_failed)?;
    Ok(super::paths_text(&paths))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalog::EntityStatus;

    fn node(id: &str, parent: Option<usize>, level: i32, quantity: i64) -> BomNode {
        let item_type = if parent.is_none() {
            ItemType::Assembly
        } else {
            ItemType::Part
        };
        BomNode::catalog(
            id,
            &format!("{id} NAME"),
            item_type,
            quantity,
            level,
            parent,
        )
    }

    #[test]
    fn the_preview_nests_children_and_splits_the_notes() {
        let bom = GeneratedBom {
            nodes: vec![
                node("KIT", None, 0, 2),
                node("P1", Some(0), 1, 4),
                node("P2", Some(0), 1, 2),
                node("P1", None, 0, 1),
            ],
            notes: vec![
                "WARNING: W4 a faucet is placed CENTER but every basin is E-Drain".into(),
                "INACTIVE: P2".into(),
            ],
        };
        let p = build_preview("B-1", &bom);
        assert_eq!(p.lines.len(), 2);
        assert_eq!(p.lines[0].children.len(), 2);
        assert_eq!(p.lines[1].children.len(), 0);
        assert_eq!(
            p.warnings,
            vec!["W4 a faucet is placed CENTER but every basin is E-Drain"]
        );
        assert_eq!(p.notices, vec!["INACTIVE: P2"]);
        assert_eq!(
            p.flattened,
            vec![
                FlatQuantity {
                    id: "P1".into(),
                    quantity: 5
                },
                FlatQuantity {
                    id: "P2".into(),
                    quantity: 2
                }
            ]
        );
        let json = serde_json::to_value(&p).expect("json");
        let keys: Vec<&String> = json["lines"][0]
            .as_object()
            .expect("object")
            .keys()
            .collect();
        assert_eq!(
            keys,
            vec![
                "children",
                "customPartSpec",
                "id",
                "isCustomPart",
                "itemType",
                "notes",
                "quantity"
            ]
        );
        assert_eq!(json["lines"][0]["itemType"], "ASSEMBLY");
        let text = preview_text(&Preview { builds: vec![p] });
        assert!(
            text.contains("\n  KIT x2  KIT NAME\n    P1 x4  P1 NAME\n"),
            "{text}"
        );
        assert!(text.contains("Warnings:\n  W4 a faucet"), "{text}");
    }

    #[test]
    fn an_empty_catalog_lists_every_unknown_id() {
        let order: crate::domain::order::OrderDocument = serde_json::from_value(serde_json::json!({
            "poNumber": "PO-1", "customerName": "C", "salesPerson": "S", "wantDate": "2099-01-01",
            "builds": [{
                "buildNumber": "B-1", "sinkFamily": "MDRD", "sinkModel": "T2-B1", "sinkWidth": 30,
                "sinkLength": 48, "legsType": "HEIGHT_ADJUSTABLE", "legsModel": "DL27",
                "feetType": "LOCK_LEVELING_CASTERS",
                "basins": [{"basinIndex": 1, "basinType": "E_SINK", "basinWidth": 20, "basinLength": 20,
                            "basinDepth": 8}]
            }, {
                "buildNumber": "B-2", "sinkFamily": "MDRD", "sinkModel": "T2-B1", "sinkWidth": 30,
                "sinkLength": 47, "legsType": "HEIGHT_ADJUSTABLE", "legsModel": "DL27",
                "feetType": "LOCK_LEVELING_CASTERS",
                "basins": [{"basinIndex": 1, "basinType": "E_SINK", "basinWidth": 20, "basinLength": 20,
                            "basinDepth": 8}]
            }]
        }))
        .expect("document");
        let mut index = CatalogIndex::new();
        index.add_part("T2-BODY-48-60-HA", "BODY", EntityStatus::Active);
        let problems = preview_order(&order.into(), &index).expect_err("refused");
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(
            problems[0].starts_with(
                "BOM generation failed for build B-1: unknown catalog id(s): T2-STD-MANUAL-EN-KIT, "
            ),
            "{problems:?}"
        );
        assert!(!problems[0].contains("T2-BODY-48-60-HA"), "{problems:?}");
        assert_eq!(
            problems[1],
            "Build B-2: invalid configuration: sinkLength: Length must be a whole number of inches from 48 to 120"
        );
    }
}
