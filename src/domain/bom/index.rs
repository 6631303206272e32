//! The catalog as the generator reads it: parts and assemblies by id, and how an id resolves (R10).

use super::ItemType;
use crate::domain::catalog::{Catalog, EntityStatus};
use std::collections::HashMap;

/// A `"Part"` row, as far as the generator needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedPart {
    pub name: String,
    pub status: EntityStatus,
}

/// One `"AssemblyComponent"` link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedLink {
    /// Resolved again with R10, whatever the link's childType.
    pub child_id: String,
    pub quantity: i64,
    /// Copied to the child's `BOMItem.notes`; the colour kits name the pegboard colour here.
    pub notes: Option<String>,
}

/// An `"Assembly"` row with its links in `sequenceOrder`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedAssembly {
    pub name: String,
    pub status: EntityStatus,
    pub components: Vec<IndexedLink>,
}

/// What an id resolves to under R10, with the catalog key it was found under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolved<'a> {
    Assembly {
        key: &'a str,
        assembly: &'a IndexedAssembly,
    },
    Part {
        key: &'a str,
        part: &'a IndexedPart,
    },
}

impl Resolved<'_> {
    /// The id a `BOMItem` stores: the catalog key without a leading `ASSY-`.
    pub fn canonical_id(&self) -> &str {
        match self {
            Resolved::Assembly { key, .. } | Resolved::Part { key, .. } => canonical_id(key),
        }
    }

    pub fn item_type(&self) -> ItemType {
        match self {
            Resolved::Assembly { .. } => ItemType::Assembly,
            Resolved::Part { .. } => ItemType::Part,
        }
    }

    pub fn name(&self) -> &str {
        match self {
            Resolved::Assembly { assembly, .. } => &assembly.name,
            Resolved::Part { part, .. } => &part.name,
        }
    }
}

/// A catalog key with any leading `ASSY-` removed (docs/bom-rules.md §1).
pub fn canonical_id(key: &str) -> &str {
    key.strip_prefix("ASSY-").unwrap_or(key)
}

/// Parts and assemblies by id, with each assembly's ordered links: everything generation reads.
///
/// Filled with [`CatalogIndex::from_catalog`] from the parsed files, or by the database layer through
/// [`add_part`](Self::add_part), [`add_assembly`](Self::add_assembly) and
/// [`add_component`](Self::add_component).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CatalogIndex {
    parts: HashMap<String, IndexedPart>,
    assemblies: HashMap<String, IndexedAssembly>,
}

impl CatalogIndex {
    pub fn new() -> CatalogIndex {
        CatalogIndex::default()
    }

    /// The index of the parsed catalog files (supplementary parts included, as the import stores them).
    pub fn from_catalog(catalog: &Catalog) -> CatalogIndex {
        let mut index = CatalogIndex::new();
        for p in &catalog.parts {
            index.add_part(p.id.clone(), p.name.clone(), p.status);
        }
        for a in &catalog.assemblies {
            index.assemblies.insert(
                a.id.clone(),
                IndexedAssembly {
                    name: a.name.clone(),
                    status: a.status,
                    components: a
                        .components
                        .iter()
                        .map(|c| IndexedLink {
                            child_id: c.child_id.clone(),
                            quantity: i64::from(c.quantity),
                            notes: c.notes.clone(),
                        })
                        .collect(),
                },
            );
        }
        index
    }

    /// Adds or replaces a part.
    pub fn add_part(
        &mut self,
        id: impl Into<String>,
        name: impl Into<String>,
        status: EntityStatus,
    ) {
        self.parts.insert(
            id.into(),
            IndexedPart {
                name: name.into(),
                status,
            },
        );
    }

    /// Adds or replaces an assembly, without components.
    pub fn add_assembly(
        &mut self,
        id: impl Into<String>,
        name: impl Into<String>,
        status: EntityStatus,
    ) {
        self.assemblies.insert(
            id.into(),
            IndexedAssembly {
                name: name.into(),
                status,
                components: Vec::new(),
            },
        );
    }

    /// Appends a link to `parent`'s components; links must come in `sequenceOrder`. Returns false (and adds
    /// nothing) when `parent` is not an assembly of the index.
    pub fn add_component(
        &mut self,
        parent: &str,
        child_id: impl Into<String>,
        quantity: i64,
        notes: Option<String>,
    ) -> bool {
        match self.assemblies.get_mut(parent) {
            Some(a) => {
                a.components.push(IndexedLink {
                    child_id: child_id.into(),
                    quantity,
                    notes,
                });
                true
            }
            None => false,
        }
    }

    pub fn part(&self, id: &str) -> Option<&IndexedPart> {
        self.parts.get(id)
    }

    pub fn assembly(&self, id: &str) -> Option<&IndexedAssembly> {
        self.assemblies.get(id)
    }

    pub fn part_count(&self) -> usize {
        self.parts.len()
    }

    pub fn assembly_count(&self) -> usize {
        self.assemblies.len()
    }

    /// R10: assembly `id`, else assembly `ASSY-id`, else part `id`; exact and case-sensitive.
    pub fn resolve(&self, id: &str) -> Option<Resolved<'_>> {
        if let Some((key, assembly)) = self.assemblies.get_key_value(id) {
            return Some(Resolved::Assembly { key, assembly });
        }
        if let Some((key, assembly)) = self.assemblies.get_key_value(&format!("ASSY-{id}")) {
            return Some(Resolved::Assembly { key, assembly });
        }
        self.parts
            .get_key_value(id)
            .map(|(key, part)| Resolved::Part { key, part })
    }
}
