//! Reference-data import: the Torvan catalog and the checklist templates.
//!
//! Each use-case is one transaction opened with [`begin_as`], so the audit trail names who imported, and
//! any error rolls the whole import back. Input is validated completely before the database is touched.
//! Rows that do not change are not written, so importing the same files again leaves no trace.

use crate::db::{self, Actor, Pool, begin_as};
use crate::domain::catalog::{Assembly, Catalog, parse_catalog};
use crate::domain::checklist::{Template, parse_checklists};
use crate::error::{Result, ServiceError};
use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum ImportError {
    /// The input was refused; one message per problem, each naming the record.
    #[error("{}", .0.join("\n"))]
    Invalid(Vec<String>),
    #[error("cannot read {}: {source}", .path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Db(#[from] ServiceError),
}

impl From<deadpool_postgres::PoolError> for ImportError {
    fn from(e: deadpool_postgres::PoolError) -> Self {
        ImportError::Db(e.into())
    }
}

/// The three catalog files' contents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CatalogSource<'a> {
    pub parts_json: &'a str,
    pub assemblies_json: &'a str,
    pub categories_json: &'a str,
}

impl CatalogSource<'static> {
    /// The catalog shipped inside the binary.
    pub fn embedded() -> Self {
        CatalogSource {
            parts_json: crate::reference::PARTS_JSON,
            assemblies_json: crate::reference::ASSEMBLIES_JSON,
            categories_json: crate::reference::CATEGORIES_JSON,
        }
    }
}

/// Per kind of row: how the file compared with the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct KindCounts {
    pub in_file: usize,
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Rows in the database that the file does not have; left as they are.
    pub only_in_database: usize,
}

impl KindCounts {
    fn tally(file_ids: &[&str], existing: &HashSet<String>, written: &[String]) -> KindCounts {
        let written: HashSet<&str> = written.iter().map(String::as_str).collect();
        let file: HashSet<&str> = file_ids.iter().copied().collect();
        let added = file_ids
            .iter()
            .filter(|id| written.contains(*id) && !existing.contains(**id))
            .count();
        let updated = file_ids
            .iter()
            .filter(|id| written.contains(*id) && existing.contains(**id))
            .count();
        KindCounts {
            in_file: file_ids.len(),
            added,
            updated,
            unchanged: file_ids.len() - added - updated,
            only_in_database: existing
                .iter()
                .filter(|id| !file.contains(id.as_str()))
                .count(),
        }
    }
}

impl fmt::Display for KindCounts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} in file: {} added, {} updated, {} unchanged",
            self.in_file, self.added, self.updated, self.unchanged
        )?;
        if self.only_in_database > 0 {
            write!(
                f,
                "; {} only in the database, left as they are",
                self.only_in_database
            )?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CatalogImportReport {
    pub parts: KindCounts,
    pub assemblies: KindCounts,
    pub categories: KindCounts,
    /// Supplementary parts (catalog gaps) inserted by this import.
    pub supplementary_added: Vec<String>,
    /// Component links in the file.
    pub components_in_file: usize,
    /// Assemblies whose component list differed from the database and was replaced.
    pub assemblies_with_components_rewritten: usize,
    /// Component rows written for them.
    pub components_written: u64,
}

impl CatalogImportReport {
    /// Whether the import changed anything at all.
    pub fn changed(&self) -> bool {
        let kinds = [self.parts, self.assemblies, self.categories];
        kinds.iter().any(|k| k.added + k.updated > 0)
            || !self.supplementary_added.is_empty()
            || self.assemblies_with_components_rewritten > 0
    }
}

impl fmt::Display for CatalogImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Parts:      {}", self.parts)?;
        if self.supplementary_added.is_empty() {
            writeln!(f, "Supplementary parts added: none")?;
        } else {
            writeln!(
                f,
                "Supplementary parts added: {} ({})",
                self.supplementary_added.len(),
                self.supplementary_added.join(", ")
            )?;
        }
        writeln!(f, "Assemblies: {}", self.assemblies)?;
        writeln!(
            f,
            "Components: {} in file; rewritten for {} assemblies ({} rows)",
            self.components_in_file,
            self.assemblies_with_components_rewritten,
            self.components_written
        )?;
        write!(f, "Categories: {}", self.categories)
    }
}

/// Imports the catalog from the three JSON texts.
pub async fn import_catalog(
    pool: &Pool,
    actor: &Actor,
    src: &CatalogSource<'_>,
) -> Result<CatalogImportReport, ImportError> {
    let mut client = pool.get().await?;
    let tx = begin_as(&mut client, actor).await?;
    let report = import_catalog_in(&tx, src).await?;
    tx.commit().await.map_err(ServiceError::from)?;
    tracing::info!(
        agent = %actor.agent,
        parts_added = report.parts.added,
        parts_updated = report.parts.updated,
        assemblies_added = report.assemblies.added,
        assemblies_updated = report.assemblies.updated,
        components_rewritten = report.assemblies_with_components_rewritten,
        "catalog imported"
    );
    Ok(report)
}

/// Imports the catalog inside the caller's transaction (the demo seed writes everything in one).
pub async fn import_catalog_in(
    tx: &db::Transaction<'_>,
    src: &CatalogSource<'_>,
) -> Result<CatalogImportReport, ImportError> {
    let catalog = parse_catalog(src.parts_json, src.assemblies_json, src.categories_json)
        .map_err(ImportError::Invalid)?;
    db::catalog::lock_for_import(tx).await?;
    write_catalog(tx, &catalog).await
}

async fn write_catalog(
    tx: &db::Transaction<'_>,
    catalog: &Catalog,
) -> Result<CatalogImportReport, ImportError> {
    let existing_parts = db::catalog::part_ids(tx).await?;
    let existing_assemblies = db::catalog::assembly_ids(tx).await?;
    let existing_categories = db::catalog::category_ids(tx).await?;

    let written = db::catalog::upsert_categories(tx, &catalog.categories).await?;
    let category_ids: Vec<&str> = catalog
        .categories
        .iter()
        .flat_map(|c| {
            std::iter::once(c.code.as_str()).chain(c.subcategories.iter().map(|s| s.code.as_str()))
        })
        .collect();
    let categories = KindCounts::tally(&category_ids, &existing_categories, &written);

    let (supplementary, file_parts): (Vec<_>, Vec<_>) =
        catalog.parts.iter().cloned().partition(|p| p.supplementary);
    let written = db::catalog::upsert_parts(tx, &file_parts).await?;
    let part_ids: Vec<&str> = file_parts.iter().map(|p| p.id.as_str()).collect();
    let mut parts = KindCounts::tally(&part_ids, &existing_parts, &written);
    // Supplementary parts are not in the file, so they do not count as "only in the database" either.
    let supplementary_ids: HashSet<&str> = supplementary.iter().map(|p| p.id.as_str()).collect();
    parts.only_in_database = parts.only_in_database.saturating_sub(
        existing_parts
            .iter()
            .filter(|id| supplementary_ids.contains(id.as_str()))
            .count(),
    );
    let supplementary_added = db::catalog::insert_missing_parts(tx, &supplementary).await?;

    let written = db::catalog::upsert_assemblies(tx, &catalog.assemblies).await?;
    let assembly_ids: Vec<&str> = catalog.assemblies.iter().map(|a| a.id.as_str()).collect();
    let assemblies = KindCounts::tally(&assembly_ids, &existing_assemblies, &written);

    let stored = db::catalog::components_of(tx, &assembly_ids).await?;
    let changed: Vec<&Assembly> = catalog
        .assemblies
        .iter()
        .filter(|a| {
            let current = stored.get(&a.id).map_or(&[][..], Vec::as_slice);
            current.len() != a.components.len()
                || current
                    .iter()
                    .zip(&a.components)
                    .enumerate()
                    .any(|(i, (s, c))| {
                        s.component != *c || s.sequence_order != i32::try_from(i + 1).ok()
                    })
        })
        .collect();
    let components_written = db::catalog::replace_components(tx, &changed).await?;

    Ok(CatalogImportReport {
        parts,
        assemblies,
        categories,
        supplementary_added,
        components_in_file: catalog.component_count(),
        assemblies_with_components_rewritten: changed.len(),
        components_written,
    })
}

/// Reads a file off the async threads (tokio's `fs` is not enabled; the files are small anyway).
async fn read(path: PathBuf) -> Result<String, ImportError> {
    let p = path.clone();
    let result = tokio::task::spawn_blocking(move || std::fs::read_to_string(p))
        .await
        .unwrap_or_else(|e| Err(std::io::Error::other(e)));
    result.map_err(|source| ImportError::Io { path, source })
}

/// Imports `parts.json`, `assemblies.json` and `categories.json` from `dir`.
pub async fn import_catalog_dir(
    pool: &Pool,
    actor: &Actor,
    dir: &Path,
) -> Result<CatalogImportReport, ImportError> {
    let parts = read(dir.join("parts.json")).await?;
    let assemblies = read(dir.join("assemblies.json")).await?;
    let categories = read(dir.join("categories.json")).await?;
    let src = CatalogSource {
        parts_json: &parts,
        assemblies_json: &assemblies,
        categories_json: &categories,
    };
    import_catalog(pool, actor, &src).await
}

/// Row counts of the catalog tables (for status screens and tests).
pub async fn catalog_counts(client: &impl db::Client) -> Result<db::catalog::CatalogCounts> {
    db::catalog::counts(client).await
}

// ---------------------------------------------------------------------------------------------------------
// Checklist templates

/// What the import did with one template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemplateOutcome {
    /// A new (formName, version); `active` says whether it became the active version.
    Added {
        items: usize,
        active: bool,
    },
    Unchanged,
    /// The stored version differed and had no recorded work, so it was brought in line with the file;
    /// `items_replaced` says whether its items were rewritten (otherwise only its formType/description).
    Updated {
        items: usize,
        items_replaced: bool,
    },
    /// The stored version differed and has QC results or tasks, so the change was added as `version`
    /// (the highest + 1) and made active.
    NewVersion {
        version: i32,
        items: usize,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateImportLine {
    pub name: String,
    pub version: i32,
    pub outcome: TemplateOutcome,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TemplateImportReport {
    pub templates: Vec<TemplateImportLine>,
}

impl TemplateImportReport {
    pub fn changed(&self) -> bool {
        self.templates
            .iter()
            .any(|t| t.outcome != TemplateOutcome::Unchanged)
    }
}

impl fmt::Display for TemplateImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, t) in self.templates.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{} (version {}): ", t.name, t.version)?;
            match t.outcome {
                TemplateOutcome::Added {
                    items,
                    active: true,
                } => write!(f, "added, {items} items, active"),
                TemplateOutcome::Added {
                    items,
                    active: false,
                } => {
                    write!(f, "added, {items} items, inactive (a newer version exists)")
                }
                TemplateOutcome::Unchanged => write!(f, "unchanged"),
                TemplateOutcome::Updated {
                    items,
                    items_replaced: true,
                } => write!(f, "updated, {items} items replaced"),
                TemplateOutcome::Updated {
                    items_replaced: false,
                    ..
                } => write!(f, "updated (form type or description)"),
                TemplateOutcome::NewVersion { version, items } => write!(
                    f,
                    "changed while it has recorded work: added as version {version}, {items} items, active"
                ),
            }?;
        }
        Ok(())
    }
}

/// Imports the checklist templates from the text of a checklists file (docs/checklists.md §1, §10).
pub async fn import_templates(
    pool: &Pool,
    actor: &Actor,
    toml_text: &str,
) -> Result<TemplateImportReport, ImportError> {
    let mut client = pool.get().await?;
    let tx = begin_as(&mut client, actor).await?;
    let report = import_templates_in(&tx, toml_text).await?;
    tx.commit().await.map_err(ServiceError::from)?;
    tracing::info!(agent = %actor.agent, report = %report, "checklist templates imported");
    Ok(report)
}

/// Imports the templates inside the caller's transaction. On a refusal the caller must roll back
/// (dropping the transaction does), since other templates of the file may already be written.
pub async fn import_templates_in(
    tx: &db::Transaction<'_>,
    toml_text: &str,
) -> Result<TemplateImportReport, ImportError> {
    let file = parse_checklists(toml_text).map_err(ImportError::Invalid)?;
    db::templates::lock_for_import(tx).await?;
    let mut report = TemplateImportReport::default();
    let mut refused = Vec::new();
    for t in &file.templates {
        match write_template(tx, t).await? {
            Ok(outcome) => report.templates.push(TemplateImportLine {
                name: t.name.clone(),
                version: match outcome {
                    TemplateOutcome::NewVersion { version, .. } => version,
                    _ => t.version,
                },
                outcome,
            }),
            Err(message) => refused.push(message),
        }
    }
    if refused.is_empty() {
        Ok(report)
    } else {
        Err(ImportError::Invalid(refused))
    }
}

/// Imports the templates of one checklists file (docs/checklists.md §10).
pub async fn import_templates_file(
    pool: &Pool,
    actor: &Actor,
    path: &Path,
) -> Result<TemplateImportReport, ImportError> {
    let text = read(path.to_path_buf()).await?;
    import_templates(pool, actor, &text).await
}

/// Whether a stored template already holds the file's (items, header).
async fn compare(
    tx: &db::Transaction<'_>,
    stored: &db::templates::StoredTemplate,
    t: &Template,
) -> Result<(bool, bool)> {
    let mut wanted: Vec<db::templates::StoredItem> = t
        .items
        .iter()
        .map(db::templates::StoredItem::from_item)
        .collect();
    wanted.sort_by_key(|i| i.sequence_order);
    let same_items = db::templates::items_of(tx, stored.id).await? == wanted;
    let same_header = stored.form_type == t.form_type && stored.description == t.description;
    Ok((same_items, same_header))
}

/// A changed template whose version already has recorded work: results and tasks keep pointing at the
/// version they used, and the change becomes the newest version, active. Importing the same file again
/// finds that version and changes nothing.
async fn new_version(tx: &db::Transaction<'_>, t: &Template) -> Result<TemplateOutcome> {
    let highest = db::templates::max_version(tx, &t.name)
        .await?
        .unwrap_or(t.version);
    if highest > t.version
        && let Some(newest) = db::templates::find_template(tx, &t.name, highest).await?
    {
        let (same_items, same_header) = compare(tx, &newest, t).await?;
        if same_items && same_header {
            return Ok(TemplateOutcome::Unchanged);
        }
    }
    let next = Template {
        version: highest + 1,
        ..t.clone()
    };
    let id = db::templates::insert_template(tx, &next, true).await?;
    db::templates::insert_items(tx, id, &next.items).await?;
    db::templates::deactivate_other_versions(tx, &next.name, id).await?;
    Ok(TemplateOutcome::NewVersion {
        version: next.version,
        items: next.items.len(),
    })
}

/// Writes one template; the inner `Err` is a refusal message.
async fn write_template(
    tx: &db::Transaction<'_>,
    t: &Template,
) -> Result<Result<TemplateOutcome, String>> {
    let Some(stored) = db::templates::find_template(tx, &t.name, t.version).await? else {
        // The newest version is the active one; an older version imported later stays inactive.
        let active = db::templates::max_version(tx, &t.name)
            .await?
            .is_none_or(|max| max < t.version);
        let id = db::templates::insert_template(tx, t, active).await?;
        db::templates::insert_items(tx, id, &t.items).await?;
        if active {
            db::templates::deactivate_other_versions(tx, &t.name, id).await?;
        }
        return Ok(Ok(TemplateOutcome::Added {
            items: t.items.len(),
            active,
        }));
    };

    let (same_items, same_header) = compare(tx, &stored, t).await?;
    if same_items && same_header {
        return Ok(Ok(TemplateOutcome::Unchanged));
    }
    if db::templates::template_in_use(tx, stored.id).await? {
        return new_version(tx, t).await.map(Ok);
    }
    db::templates::update_template_header(tx, stored.id, t).await?;
    if !same_items {
        db::templates::delete_items(tx, stored.id).await?;
        db::templates::insert_items(tx, stored.id, &t.items).await?;
    }
    Ok(Ok(TemplateOutcome::Updated {
        items: t.items.len(),
        items_replaced: !same_items,
    }))
}
