//! Resolution, merging and depth-first expansion of the top-level lines (R10–R12).

use super::index::{CatalogIndex, IndexedLink, Resolved};
use super::rules::{CustomLine, Line, top_level_lines, validate, warnings};
use super::{BomError, BomNode, GeneratedBom, ItemType, invalid};
use crate::domain::catalog::EntityStatus;
use crate::domain::order::{BuildConfig, DocumentLanguage};
use std::collections::HashMap;

/// A guard against a pathological catalog: no real BOM comes near it.
const MAX_NODES: usize = 100_000;

/// A top-level line after merging and resolution.
enum Merged<'c> {
    Catalog {
        resolved: Resolved<'c>,
        quantity: i64,
    },
    Unknown(String),
    Custom(CustomLine),
}

impl<'c> Merged<'c> {
    fn new(line: Line, catalog: &'c CatalogIndex) -> Merged<'c> {
        match line {
            Line::Catalog { id, quantity } => match catalog.resolve(&id) {
                Some(resolved) => Merged::Catalog { resolved, quantity },
                None => Merged::Unknown(id),
            },
            Line::Custom(custom) => Merged::Custom(custom),
        }
    }

    /// Lines merge when they name the same catalog row (equal ids resolve alike) or the same custom id.
    fn key(&self) -> String {
        match self {
            Merged::Catalog {
                resolved: Resolved::Assembly { key, .. },
                ..
            } => format!("assembly:{key}"),
            Merged::Catalog {
                resolved: Resolved::Part { key, .. },
                ..
            } => format!("part:{key}"),
            Merged::Unknown(id) => format!("unknown:{id}"),
            Merged::Custom(c) => format!("custom:{}", c.id),
        }
    }

    fn id(&self) -> &str {
        match self {
            Merged::Catalog { resolved, .. } => resolved.canonical_id(),
            Merged::Unknown(id) => id,
            Merged::Custom(c) => &c.id,
        }
    }

    /// Adds a later equal line's quantity.
    fn absorb(&mut self, other: &Merged<'_>) -> Result<(), BomError> {
        if let (
            Merged::Catalog { quantity, .. } | Merged::Custom(CustomLine { quantity, .. }),
            Merged::Catalog { quantity: more, .. }
            | Merged::Custom(CustomLine { quantity: more, .. }),
        ) = (&mut *self, other)
        {
            *quantity = quantity
                .checked_add(*more)
                .ok_or_else(|| too_large(other.id()))?;
        }
        Ok(())
    }
}

struct Expander<'c> {
    catalog: &'c CatalogIndex,
    nodes: Vec<BomNode>,
    unknown: Vec<String>,
    cycles: Vec<String>,
    inactive: Vec<String>,
}

fn push_once(list: &mut Vec<String>, value: String) {
    if !list.contains(&value) {
        list.push(value);
    }
}

fn too_large(id: &str) -> BomError {
    invalid(format!("the quantity of {id} is too large"))
}

impl<'c> Expander<'c> {
    fn unknown(&mut self, id: &str) {
        if !self.unknown.iter().any(|u| u == id) {
            self.unknown.push(id.to_string());
        }
    }

    fn note_status(&mut self, id: &str, status: EntityStatus) {
        if status == EntityStatus::Inactive {
            push_once(&mut self.inactive, format!("INACTIVE: {id}"));
        }
    }

    fn push(&mut self, mut node: BomNode) -> Result<usize, BomError> {
        if self.nodes.len() >= MAX_NODES {
            return Err(invalid(format!(
                "the catalog expands this build to more than {MAX_NODES} BOM nodes"
            )));
        }
        let index = self.nodes.len();
        node.sequence = i32::try_from(index + 1).map_err(|_| too_large(&node.id))?;
        self.nodes.push(node);
        Ok(index)
    }

    /// Resolves a component link and expands it; an unknown id is recorded, not fatal until the end.
    fn link(
        &mut self,
        link: &'c IndexedLink,
        quantity: i64,
        level: i32,
        parent: usize,
        path: &mut Vec<&'c str>,
    ) -> Result<(), BomError> {
        match self.catalog.resolve(&link.child_id) {
            Some(resolved) => self.expand(
                resolved,
                quantity,
                level,
                Some(parent),
                link.notes.clone(),
                path,
            ),
            None => {
                self.unknown(&link.child_id);
                Ok(())
            }
        }
    }

    /// Writes the node for `resolved` and, for an assembly not already on `path`, its subtree.
    fn expand(
        &mut self,
        resolved: Resolved<'c>,
        quantity: i64,
        level: i32,
        parent: Option<usize>,
        notes: Option<String>,
        path: &mut Vec<&'c str>,
    ) -> Result<(), BomError> {
        let id = resolved.canonical_id();
        let node = |item_type, name: &str| BomNode {
            notes: notes.clone(),
            ..BomNode::catalog(id, name, item_type, quantity, level, parent)
        };
        match resolved {
            Resolved::Part { part, .. } => {
                self.note_status(id, part.status);
                self.push(node(ItemType::Part, &part.name))?;
            }
            Resolved::Assembly { key, assembly } if path.contains(&key) => {
                // A cycle: written as a leaf, as the part of that id when there is one.
                let (item_type, name, status) = match self.catalog.part(id) {
                    Some(p) => (ItemType::Part, &p.name, p.status),
                    None => (ItemType::Assembly, &assembly.name, assembly.status),
                };
                self.note_status(id, status);
                push_once(
                    &mut self.cycles,
                    format!("CYCLE: {} > {key} (broken at {id})", path.join(" > ")),
                );
                self.push(node(item_type, name))?;
            }
            Resolved::Assembly { key, assembly } => {
                self.note_status(id, assembly.status);
                let index = self.push(node(ItemType::Assembly, &assembly.name))?;
                path.push(key);
                for link in &assembly.components {
                    let child_quantity = link
                        .quantity
                        .checked_mul(quantity)
                        .ok_or_else(|| too_large(&link.child_id))?;
                    self.link(link, child_quantity, level + 1, index, path)?;
                }
                path.pop();
            }
        }
        Ok(())
    }
}

/// Generates the BOM of one build (R1–R12, with the R14 warnings in its notes).
///
/// Fails with [`BomError::InvalidConfiguration`] for a configuration the wizard refuses, and with
/// [`BomError::UnknownIds`] when any id, top-level or component, resolves to nothing.
pub fn generate(
    language: DocumentLanguage,
    build: &BuildConfig,
    catalog: &CatalogIndex,
) -> Result<GeneratedBom, BomError> {
    validate(build)?;
    let lines = top_level_lines(language, build)?;

    let mut merged: Vec<Merged<'_>> = Vec::new();
    let mut position: HashMap<String, usize> = HashMap::new();
    for line in lines {
        let line = Merged::new(line, catalog);
        let key = line.key();
        match position.get(&key).and_then(|&i| merged.get_mut(i)) {
            Some(first) => first.absorb(&line)?,
            None => {
                position.insert(key, merged.len());
                merged.push(line);
            }
        }
    }

    let mut ex = Expander {
        catalog,
        nodes: Vec::new(),
        unknown: Vec::new(),
        cycles: Vec::new(),
        inactive: Vec::new(),
    };
    let mut path = Vec::new();
    for line in merged {
        match line {
            Merged::Catalog { resolved, quantity } => {
                ex.expand(resolved, quantity, 0, None, None, &mut path)?;
            }
            Merged::Unknown(id) => ex.unknown(&id),
            Merged::Custom(CustomLine {
                id,
                name,
                notes,
                spec,
                quantity,
            }) => {
                ex.push(BomNode {
                    id,
                    name,
                    item_type: ItemType::Part,
                    quantity,
                    level: 0,
                    parent: None,
                    sequence: 0,
                    is_custom: true,
                    custom_spec: Some(spec),
                    notes: Some(notes.to_string()),
                })?;
            }
        }
    }

    if !ex.unknown.is_empty() {
        return Err(BomError::UnknownIds {
            build: build.build_number.clone(),
            ids: ex.unknown,
        });
    }
    let mut notes: Vec<String> = warnings(build)
        .into_iter()
        .map(|w| format!("WARNING: {w}"))
        .collect();
    notes.extend(ex.cycles);
    notes.extend(ex.inactive);
    Ok(GeneratedBom {
        nodes: ex.nodes,
        notes,
    })
}
