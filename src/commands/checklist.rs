//! `cleanstation checklist preview`: which items of a checklist template the builds of an order document
//! would be asked for, without saving anything.

use super::bom::{BuildProblem, bom_problem, per_build};
use super::{CliError, prepare, to_json};
use crate::config::Config;
use crate::db;
use crate::domain::checklist::parse_checklists;
pub use crate::domain::checklist_preview::{BuildItems, PackagingContext, PreviewItem};
use crate::domain::checklist_preview::{PreviewError, build_items};
use crate::domain::floor::PACKAGING_FORM;
use crate::domain::order::NewOrder;
use crate::domain::qc::QcItemDef;
use crate::error::ServiceError;
use serde::Serialize;
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChecklistPreview {
    pub builds: Vec<BuildItems>,
}

/// The template keys of the shipped src/reference/checklists.toml (docs/checklists.md §9) with their
/// names (`QCFormTemplate.formName`).
pub fn template_keys() -> Result<Vec<(String, String)>, CliError> {
    let file = parse_checklists(crate::reference::CHECKLISTS_TOML)
        .map_err(|errs| CliError::Import(errs.join("\n")))?;
    Ok(file
        .templates
        .into_iter()
        .map(|t| (t.key, t.name))
        .collect())
}

/// The template name of `key` (case-insensitive), or the refusal listing the keys.
pub fn template_name(key: &str) -> Result<String, CliError> {
    let keys = template_keys()?;
    let key = key.trim();
    keys.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, name)| name.clone())
        .ok_or_else(|| {
            let known: Vec<&str> = keys.iter().map(|(k, _)| k.as_str()).collect();
            CliError::Refused(format!(
                "Unknown template {key}; use one of {}",
                known.join(", ")
            ))
        })
}

/// Checks every build as the wizard does, then lists each one's applicable items. Every problem of every
/// build is reported, one per line, and then nothing is printed. With `packaging`, an item is listed only
/// when the generated packaging checklist would hold it.
pub fn preview_order(
    order: &NewOrder,
    items: &[QcItemDef],
    packaging: Option<&PackagingContext>,
) -> Result<ChecklistPreview, Vec<String>> {
    let builds = per_build(order, |number, build| {
        build_items(number, build, order.header.order_language, items, packaging).map_err(|e| {
            match e {
                // The template itself is broken: the same for every build, so say it once.
                PreviewError::Template(m) => BuildProblem::Shared(m),
                PreviewError::Bom(e) => bom_problem(number, e),
            }
        })
    })?;
    Ok(ChecklistPreview { builds })
}

/// Per build a heading, then one line per item grouped under its section.
pub fn preview_text(preview: &ChecklistPreview, template: &str, version: i32) -> String {
    let mut out = Vec::new();
    for (i, b) in preview.builds.iter().enumerate() {
        if i > 0 {
            out.push(String::new());
        }
        out.push(format!(
            "Build {}: {} item(s) of {template} v{version}",
            b.build_number,
            b.items.len()
        ));
        let mut section: Option<&str> = None;
        for it in &b.items {
            if section != Some(it.section.as_str()) {
                out.push(format!("  {}", it.section));
                section = Some(&it.section);
            }
            let basin = it
                .basin_index
                .map(|n| format!(" [basin {n}]"))
                .unwrap_or_default();
            out.push(format!(
                "    {}{basin}  {}  ({})",
                it.code,
                it.description,
                it.check_type.code()
            ));
        }
    }
    out.join("\n")
}

/// `cleanstation checklist preview FILE --template KEY [--json]`: the applicable items of the active
/// version of a template for every build of an order document; nothing is written.
pub async fn checklist_preview(
    config: &Config,
    file: &Path,
    key: &str,
    json: bool,
) -> Result<String, CliError> {
    let name = template_name(key)?;
    let mut order = super::read_order_file(file)?;
    for b in &mut order.builds {
        b.build_number = b.build_number.trim().to_string();
    }
    let prepared = prepare(config, "cleanstation/checklist", false).await?;
    let (version, items, packaging) = {
        let client = prepared.pool.get().await.map_err(ServiceError::from)?;
        let template = db::templates::active_template(&client, &name)
            .await?
            .ok_or_else(|| {
                CliError::Refused(format!(
                    "No active version of \"{name}\" in the database; import the checklist templates first"
                ))
            })?;
        // The same reading of the items as the QC forms use.
        let items = db::qc::items(&client, template.id).await?;
        let packaging = if name == PACKAGING_FORM {
            Some(PackagingContext {
                rules: db::packaging::rules(&client, template.id)
                    .await?
                    .into_iter()
                    .map(|(item, _, _, rule)| (item, rule))
                    .collect(),
                catalog: db::bom::load_catalog_index(&client).await?,
            })
        } else {
            None
        };
        (template.version, items, packaging)
    };
    let preview = preview_order(&order, &items, packaging.as_ref())
        .map_err(|p| CliError::Refused(p.join("\n")))?;
    if json {
        to_json(&preview)
    } else {
        Ok(preview_text(&preview, &name, version))
    }
}

#[cfg(test)]
#[allow(clippy::panic)] // a test reports failure by panicking
mod tests {
    use super::*;
    use crate::domain::bom::CatalogIndex;
    use crate::domain::checklist::CheckType;
    use crate::domain::floor::PackagingRule;
    use uuid::Uuid;

    #[test]
    fn every_shipped_key_has_a_name() {
        assert_eq!(
            template_name("pre_qc").expect("known").as_str(),
            "Pre-Production Check"
        );
        assert_eq!(
            template_name("FINAL_QC").expect("known").as_str(),
            "Final Quality Check"
        );
        for key in ["PRODUCTION", "EOL_TEST", "PACKAGING"] {
            assert!(template_name(key).is_ok(), "{key}");
        }
        match template_name("QC") {
            Err(CliError::Refused(m)) => assert!(
                m.contains("Unknown template QC; use one of PRE_QC, FINAL_QC"),
                "{m}"
            ),
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    /// The packaging preview lists what the generated checklist holds: a fixed quantity always, a BOM-driven
    /// item only when the build's BOM holds it.
    #[test]
    fn the_packaging_preview_leaves_out_what_the_bom_does_not_hold() {
        use crate::domain::catalog::parse_catalog;
        use crate::reference::{ASSEMBLIES_JSON, CATEGORIES_JSON, PARTS_JSON};
        let order: crate::domain::order::OrderDocument = serde_json::from_str(include_str!(
            "../../tests/fixtures/checklist/t2-b2-esink-edrain.json"
        ))
        .expect("document");
        let specs = [
            (
                1,
                "PKG-01",
                serde_json::json!({"itemId": "T2-ANTI-FATIGUE-MAT", "qty": 1}),
            ),
            // No faucet on this build: its BOM total is 0.
            (
                2,
                "PKG-14",
                serde_json::json!({"itemId": "T2-OA-PRE-RINSE-FAUCET-KIT", "qtyFrom": "bom"}),
            ),
            (
                3,
                "PKG-17",
                serde_json::json!({"itemId": "T2-STD-MANUAL-EN-KIT", "qtyFrom": "bom"}),
            ),
        ];
        let items: Vec<QcItemDef> = specs
            .iter()
            .map(|(n, code, rules)| {
                let mut rules = rules.clone();
                rules["code"] = (*code).into();
                QcItemDef::from_row(
                    Uuid::from_u128(*n),
                    "Standard items".into(),
                    format!("{code} text"),
                    CheckType::Boolean,
                    false,
                    true,
                    false,
                    i32::try_from(*n).expect("small"),
                    Some(&rules),
                )
            })
            .collect();
        let catalog = parse_catalog(PARTS_JSON, ASSEMBLIES_JSON, CATEGORIES_JSON).expect("catalog");
        let packaging = PackagingContext {
            rules: specs
                .iter()
                .filter_map(|(n, _, r)| {
                    Some((Uuid::from_u128(*n), PackagingRule::from_rules(Some(r))?))
                })
                .collect(),
            catalog: CatalogIndex::from_catalog(&catalog),
        };
        let order = order.into();
        let codes = |p: ChecklistPreview| -> Vec<String> {
            p.builds[0].items.iter().map(|i| i.code.clone()).collect()
        };
        let with = preview_order(&order, &items, Some(&packaging)).expect("preview");
        assert_eq!(codes(with), ["PKG-01", "PKG-17"]);
        // Without the packaging rules every applicable item is listed.
        let without = preview_order(&order, &items, None).expect("preview");
        assert_eq!(codes(without), ["PKG-01", "PKG-14", "PKG-17"]);
    }

    #[test]
    fn the_text_groups_items_by_section() {
        let item = |code: &str, section: &str, basin| PreviewItem {
            code: code.into(),
            basin_index: basin,
            section: section.into(),
            description: format!("{code} text"),
            check_type: CheckType::Boolean,
        };
        let p = ChecklistPreview {
            builds: vec![BuildItems {
                build_number: "B-1".into(),
                items: vec![
                    item("PRE-01", "Sink", None),
                    item("PRE-08", "Basin", Some(1)),
                    item("PRE-08", "Basin", Some(2)),
                ],
            }],
        };
        assert_eq!(
            preview_text(&p, "Pre-Production Check", 1),
            "Build B-1: 3 item(s) of Pre-Production Check v1\n  Sink\n    PRE-01  PRE-01 text  (BOOLEAN)\n  Basin\n    PRE-08 [basin 1]  PRE-08 text  (BOOLEAN)\n    PRE-08 [basin 2]  PRE-08 text  (BOOLEAN)"
        );
        let json = serde_json::to_value(&p).expect("json");
        assert_eq!(
            json["builds"][0]["items"][0],
            serde_json::json!({"code": "PRE-01", "basinIndex": null, "section": "Sink",
                               "description": "PRE-01 text", "checkType": "BOOLEAN"})
        );
    }
}
