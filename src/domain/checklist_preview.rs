//! Which items of a checklist template one build would be asked for (docs/checklists.md §12.3): the one
//! function behind `cleanstation checklist preview` and the template editor's preview pane.

use crate::domain::bom::{BomError, CatalogIndex, generate};
use crate::domain::checklist::{CheckType, Item};
use crate::domain::floor::{BomTotals, PackagingRule};
use crate::domain::order::{BuildConfig, DocumentLanguage};
use crate::domain::qc::{QcItemDef, applicable};
use serde::Serialize;
use std::collections::HashMap;
use uuid::Uuid;

/// One applicable line as `--json` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PreviewItem {
    pub code: String,
    /// `null` for an item that is not basin-specific.
    pub basin_index: Option<i32>,
    pub section: String,
    pub description: String,
    pub check_type: CheckType,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BuildItems {
    pub build_number: String,
    pub items: Vec<PreviewItem>,
}

/// What the packaging checklist's preview needs besides the items: each item's rule, and the catalog every
/// build's BOM is generated from (a BOM-driven item applies only when the BOM holds it).
pub struct PackagingContext {
    pub rules: HashMap<Uuid, PackagingRule>,
    pub catalog: CatalogIndex,
}

/// Why a build's items cannot be listed.
#[derive(Debug)]
pub enum PreviewError {
    /// The template itself: the same for every build.
    Template(String),
    /// The build's BOM could not be generated (packaging only).
    Bom(BomError),
}

/// The applicable items of `items` for build `number`, in form order (once per applicable basin for a
/// basin-specific item). With `packaging`, an item is listed only when the generated packaging checklist
/// would hold it.
pub fn build_items(
    number: &str,
    build: &BuildConfig,
    language: DocumentLanguage,
    items: &[QcItemDef],
    packaging: Option<&PackagingContext>,
) -> Result<BuildItems, PreviewError> {
    let lines = applicable(items, build, language).map_err(PreviewError::Template)?;
    let packed = match packaging {
        Some(p) => {
            let bom = generate(language, build, &p.catalog).map_err(PreviewError::Bom)?;
            Some((p, BomTotals::of_generated(&bom)))
        }
        None => None,
    };
    let listed = |item: &QcItemDef| match &packed {
        Some((p, totals)) => p
            .rules
            .get(&item.id)
            .is_some_and(|rule| rule.need(totals).is_some()),
        None => true,
    };
    Ok(BuildItems {
        build_number: number.to_string(),
        items: lines
            .iter()
            .filter_map(|l| items.get(l.item).map(|it| (it, l)))
            .filter(|(it, _)| listed(it))
            .map(|(it, l)| PreviewItem {
                code: it.code.clone(),
                basin_index: l.basin_index,
                section: it.section.clone(),
                description: it.description.clone(),
                check_type: it.check_type,
            })
            .collect(),
    })
}

/// Validated items as a form reads them from the database (ids numbered from 1 in list order), with
/// their packaging rules: what [`build_items`] takes for items not saved yet.
pub fn item_defs(items: &[Item]) -> (Vec<QcItemDef>, HashMap<Uuid, PackagingRule>) {
    let mut rules = HashMap::new();
    let defs = items
        .iter()
        .enumerate()
        .map(|(n, it)| {
            let id = Uuid::from_u128(n as u128 + 1);
            let json = it.rules_json();
            if let Some(rule) = PackagingRule::from_rules(Some(&json)) {
                rules.insert(id, rule);
            }
            QcItemDef::from_row(
                id,
                it.section.clone(),
                it.description.clone(),
                it.check_type,
                it.basin_specific,
                it.required,
                it.notes_prompt,
                it.sequence,
                Some(&json),
            )
        })
        .collect();
    (defs, rules)
}
