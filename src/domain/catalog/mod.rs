//! The Torvan catalog files (`parts.json`, `assemblies.json`, `categories.json`): parsing and validation.
//!
//! Pure code, no IO. Parsing refuses bad input with every problem found, each message naming the file and the
//! record, so one import run shows the catalog owner the whole list to fix. The JSON is read into an
//! order-preserving tree first ([`Json`]): `serde_json` maps silently keep the last of two equal keys, which
//! would hide a duplicated part or assembly id.
//!
//! The record types are in `types`, the per-file parsers in `records`, the typed field getters they share
//! in `fields`, and the JSON tree in `json`; this module cross-checks the three files.

mod fields;
mod json;
mod records;
#[cfg(test)]
mod tests;
mod types;

pub use json::Json;
pub use types::*;

use records::{parse_assemblies, parse_categories, parse_parts};
use std::collections::{HashMap, HashSet};

/// Column widths of the catalog tables (migrations/V3__catalog.sql; docs/schema.md §2); longer values are
/// refused, never cut.
pub const MAX_ID_LEN: usize = 50;
pub const MAX_NAME_LEN: usize = 200;
pub const MAX_CODE_LEN: usize = 20;
pub const MAX_CATEGORY_NAME_LEN: usize = 100;
pub const MAX_MANUFACTURER_PART_NUMBER_LEN: usize = 100;
pub const MAX_MANUFACTURER_INFO_LEN: usize = 200;

const PARTS_FILE: &str = "parts.json";
const ASSEMBLIES_FILE: &str = "assemblies.json";
const CATEGORIES_FILE: &str = "categories.json";

/// The three files, validated and cross-checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalog {
    /// The file's parts in file order, followed by the supplementary parts the file lacks.
    pub parts: Vec<Part>,
    pub assemblies: Vec<Assembly>,
    pub categories: Vec<Category>,
}

/// What an id resolves to under docs/bom-rules.md §5 (R10).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolved<'a> {
    Assembly(&'a Assembly),
    Part(&'a Part),
}

impl Catalog {
    /// Parts read from the file (the supplementary ones excluded).
    pub fn file_part_count(&self) -> usize {
        self.parts.iter().filter(|p| !p.supplementary).count()
    }

    /// Ids of the supplementary parts this catalog gained.
    pub fn supplementary_ids(&self) -> Vec<&str> {
        self.parts
            .iter()
            .filter(|p| p.supplementary)
            .map(|p| p.id.as_str())
            .collect()
    }

    pub fn component_count(&self) -> usize {
        self.assemblies.iter().map(|a| a.components.len()).sum()
    }

    /// Top-level categories plus subcategories: the number of `"Category"` rows.
    pub fn category_row_count(&self) -> usize {
        self.categories
            .iter()
            .map(|c| 1 + c.subcategories.len())
            .sum()
    }

    /// R10: assembly `id`, else assembly `ASSY-id`, else part `id`; exact and case-sensitive.
    pub fn resolve(&self, id: &str) -> Option<Resolved<'_>> {
        let assembly = |x: &str| self.assemblies.iter().find(|a| a.id == x);
        if let Some(a) = assembly(id) {
            return Some(Resolved::Assembly(a));
        }
        if let Some(a) = assembly(&format!("ASSY-{id}")) {
            return Some(Resolved::Assembly(a));
        }
        self.parts.iter().find(|p| p.id == id).map(Resolved::Part)
    }
}

/// What the cross-file checks need. It is gathered from every record whose relevant keys parsed, so that
/// one bad field does not hide a dangling reference elsewhere in the same record.
#[derive(Debug, Default)]
struct Links {
    /// Every key of parts.json (plus the supplementary parts), valid record or not.
    part_ids: HashSet<String>,
    /// Every key of assemblies.json.
    assembly_ids: HashSet<String>,
    /// (assembly id, 1-based position, part_id).
    components: Vec<(String, usize, String)>,
    /// (assembly id, category_code, subcategory_code).
    assembly_codes: Vec<(String, Option<String>, Option<String>)>,
    /// (category code, its subcategory codes), in file order.
    tree: Vec<(String, Vec<String>)>,
    /// (subcategory code, assembly_ref).
    refs: Vec<(String, String)>,
}

/// Parses and cross-checks the three catalog files. On failure every problem is returned, one message each.
pub fn parse_catalog(
    parts_json: &str,
    assemblies_json: &str,
    categories_json: &str,
) -> Result<Catalog, Vec<String>> {
    let mut errs = Vec::new();
    let mut links = Links::default();
    let parts = parse_parts(parts_json, &mut links, &mut errs);
    let assemblies = parse_assemblies(assemblies_json, &mut links, &mut errs);
    let categories = parse_categories(categories_json, &mut links, &mut errs);
    // Without all three files readable, the cross-checks would only echo the unreadable file.
    let (Some(mut parts), Some(assemblies), Some(categories)) = (parts, assemblies, categories)
    else {
        return Err(errs);
    };

    for s in SUPPLEMENTARY_PARTS {
        if links.part_ids.insert(s.id.to_string()) {
            parts.push(Part {
                id: s.id.to_string(),
                name: s.name.to_string(),
                manufacturer_part_number: None,
                manufacturer_info: None,
                part_type: s.part_type,
                status: EntityStatus::Active,
                description: Some(s.reason.to_string()),
                category: None,
                subcategory: None,
                vendor: None,
                supplementary: true,
            });
        }
    }

    cross_check(&links, &mut errs);
    if errs.is_empty() {
        Ok(Catalog {
            parts,
            assemblies,
            categories,
        })
    } else {
        Err(errs)
    }
}

fn cross_check(links: &Links, errs: &mut Vec<String>) {
    let resolves = |id: &str| {
        links.assembly_ids.contains(id)
            || links.assembly_ids.contains(&format!("ASSY-{id}"))
            || links.part_ids.contains(id)
    };
    for (assembly, position, part_id) in &links.components {
        if !resolves(part_id) {
            errs.push(format!(
                "{ASSEMBLIES_FILE}: assembly \"{assembly}\" component {position}: part_id \"{part_id}\" is not \
                 in the catalog (no assembly \"{part_id}\", no assembly \"ASSY-{part_id}\", no part \"{part_id}\")"
            ));
        }
    }

    // Category ids share one primary key across both levels.
    let mut seen: HashMap<&str, &str> = HashMap::new();
    let mut parent_of: HashMap<&str, &str> = HashMap::new();
    for (code, _) in &links.tree {
        seen.insert(code, "category");
    }
    for (code, subs) in &links.tree {
        for sub in subs {
            if let Some(prev) = seen.insert(sub, "subcategory") {
                errs.push(format!(
                    "{CATEGORIES_FILE}: subcategory \"{sub}\" (in category \"{code}\") is also used as a {prev} \
                     code; category codes must be unique"
                ));
            } else {
                parent_of.insert(sub, code);
            }
        }
    }
    for (sub, r) in &links.refs {
        if !links.assembly_ids.contains(r) {
            errs.push(format!(
                "{CATEGORIES_FILE}: subcategory \"{sub}\": assembly_ref \"{r}\" is not an assembly in {ASSEMBLIES_FILE}"
            ));
        }
    }

    let top: HashSet<&str> = links.tree.iter().map(|(c, _)| c.as_str()).collect();
    for (id, category, subcategory) in &links.assembly_codes {
        if let Some(cat) = category
            && !top.contains(cat.as_str())
        {
            errs.push(format!(
                "{ASSEMBLIES_FILE}: assembly \"{id}\": category_code \"{cat}\" is not a category in {CATEGORIES_FILE}"
            ));
        }
        let Some(sub) = subcategory else {
            continue;
        };
        match parent_of.get(sub.as_str()) {
            None => errs.push(format!(
                "{ASSEMBLIES_FILE}: assembly \"{id}\": subcategory_code \"{sub}\" is not a subcategory in \
                 {CATEGORIES_FILE}"
            )),
            Some(parent) => {
                if let Some(cat) = category
                    && cat != parent
                    && top.contains(cat.as_str())
                {
                    errs.push(format!(
                        "{ASSEMBLIES_FILE}: assembly \"{id}\": subcategory_code \"{sub}\" belongs to category \
                         \"{parent}\", not to its category_code \"{cat}\""
                    ));
                }
            }
        }
    }
}
