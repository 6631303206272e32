//! Checklist templates: `"QCFormTemplate"` and its `"QCChecklistItem"` rows.

use crate::db::qc::TEMPLATE_ITEMS;
use crate::db::row::{RowExt, query_all, query_id, query_opt_map};
use crate::db::{Client, Transaction};
use crate::domain::checklist::{CheckType, FormType, Item, Template};
use crate::domain::template_versions::TemplateVersionRow;
use crate::error::Result;
use serde_json::Value as JsonValue;
use tokio_postgres::Row;
use uuid::Uuid;

/// Serialises template imports, so two concurrent imports cannot both insert or replace the same version.
const IMPORT_LOCK_KEY: i64 = 0x7465_6d70_6c61_7465; // "template"

/// Waits for any other template import to finish; released at commit or rollback.
pub async fn lock_for_import(tx: &Transaction<'_>) -> Result<()> {
    tx.exec("SELECT pg_advisory_xact_lock($1)", &[&IMPORT_LOCK_KEY])
        .await?;
    Ok(())
}

/// A `"QCFormTemplate"` row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredTemplate {
    pub id: Uuid,
    pub form_name: String,
    pub form_type: FormType,
    pub version: i32,
    pub description: Option<String>,
    pub is_active: bool,
}

/// A `"QCChecklistItem"` row, in the shape the import compares.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredItem {
    pub section: String,
    pub item_description: String,
    pub check_type: CheckType,
    pub is_basin_specific: bool,
    pub is_required: bool,
    pub notes_prompt: bool,
    pub sequence_order: i32,
    pub rules: Option<JsonValue>,
}

impl StoredItem {
    /// The row an item of the file becomes.
    pub fn from_item(item: &Item) -> StoredItem {
        StoredItem {
            section: item.section.clone(),
            item_description: item.description.clone(),
            check_type: item.check_type,
            is_basin_specific: item.basin_specific,
            is_required: item.required,
            notes_prompt: item.notes_prompt,
            sequence_order: item.sequence,
            rules: Some(item.rules_json()),
        }
    }
}

/// The columns [`template_from_row`] reads, as a literal so queries are built with `concat!` at compile time.
macro_rules! template_columns {
    () => {
        r#"id, "formName", "formType", "version", "description", COALESCE("isActive", true) AS "isActive""#
    };
}

fn template_from_row(r: &Row) -> Result<StoredTemplate> {
    Ok(StoredTemplate {
        id: r.col("id")?,
        form_name: r.col("formName")?,
        form_type: r.col("formType")?,
        version: r.col("version")?,
        description: r.col("description")?,
        is_active: r.col("isActive")?,
    })
}

pub async fn find_template(
    client: &impl Client,
    form_name: &str,
    version: i32,
) -> Result<Option<StoredTemplate>> {
    let sql = concat!(
        "SELECT ",
        template_columns!(),
        r#" FROM "QCFormTemplate" WHERE "formName" = $1 AND "version" = $2"#
    );
    query_opt_map(client, sql, &[&form_name, &version], template_from_row).await
}

/// Every template, by name and version.
pub async fn list_templates(client: &impl Client) -> Result<Vec<StoredTemplate>> {
    let sql = concat!(
        "SELECT ",
        template_columns!(),
        r#" FROM "QCFormTemplate" ORDER BY "formName", "version""#
    );
    query_all(client, sql, &[], template_from_row).await
}

/// The active version of a template, if any.
pub async fn active_template(
    client: &impl Client,
    form_name: &str,
) -> Result<Option<StoredTemplate>> {
    let sql = concat!(
        "SELECT ",
        template_columns!(),
        r#" FROM "QCFormTemplate"
            WHERE "formName" = $1 AND COALESCE("isActive", true)
            ORDER BY "version" DESC LIMIT 1"#
    );
    query_opt_map(client, sql, &[&form_name], template_from_row).await
}

/// The highest stored version of `form_name`.
pub async fn max_version(client: &impl Client, form_name: &str) -> Result<Option<i32>> {
    let row = client
        .fetch_one(
            r#"SELECT max("version") AS "version" FROM "QCFormTemplate" WHERE "formName" = $1"#,
            &[&form_name],
        )
        .await?;
    row.col("version")
}

/// The items of a template in `sequenceOrder`.
pub async fn items_of(client: &impl Client, template_id: Uuid) -> Result<Vec<StoredItem>> {
    query_all(client, TEMPLATE_ITEMS, &[&template_id], |r| {
        Ok(StoredItem {
            section: r.col("section")?,
            item_description: r.col("itemDescription")?,
            check_type: r.col("checkType")?,
            is_basin_specific: r.col("isBasinSpecific")?,
            is_required: r.col("isRequired")?,
            notes_prompt: r.col("notesPrompt")?,
            sequence_order: r.col("itemSequence")?,
            rules: r.col("rules")?,
        })
    })
    .await
}

/// Whether recorded work points at the template or its items: a QC result, an item result or a task.
/// Such a template may no longer change; a new version has to be imported instead.
pub async fn template_in_use(client: &impl Client, template_id: Uuid) -> Result<bool> {
    // The same test as the database's own guard (V32).
    let row = client
        .fetch_one(
            r#"SELECT qc_template_in_use($1) AS "inUse""#,
            &[&template_id],
        )
        .await?;
    row.col("inUse")
}

pub async fn insert_template(
    tx: &Transaction<'_>,
    template: &Template,
    is_active: bool,
) -> Result<Uuid> {
    query_id(
        tx,
        r#"INSERT INTO "QCFormTemplate" ("formName", "formType", "version", "description", "isActive")
               VALUES ($1, $2, $3, $4, $5)
               RETURNING id"#,
        &[
            &template.name,
            &template.form_type,
            &template.version,
            &template.description,
            &is_active,
        ],
    )
    .await
}

/// Updates formType and description, only if they differ.
pub async fn update_template_header(
    tx: &Transaction<'_>,
    template_id: Uuid,
    template: &Template,
) -> Result<u64> {
    Ok(tx
        .exec(
            r#"UPDATE "QCFormTemplate" SET "formType" = $2, "description" = $3
                WHERE id = $1 AND ("formType", "description") IS DISTINCT FROM ($2, $3)"#,
            &[&template_id, &template.form_type, &template.description],
        )
        .await?)
}

/// Makes `keep` the only active version of its form name.
pub async fn deactivate_other_versions(
    tx: &Transaction<'_>,
    form_name: &str,
    keep: Uuid,
) -> Result<u64> {
    Ok(tx
        .exec(
            r#"UPDATE "QCFormTemplate" SET "isActive" = false
                WHERE "formName" = $1 AND id <> $2 AND "isActive" IS DISTINCT FROM false"#,
            &[&form_name, &keep],
        )
        .await?)
}

pub async fn delete_items(tx: &Transaction<'_>, template_id: Uuid) -> Result<u64> {
    Ok(tx
        .exec(
            r#"DELETE FROM "QCChecklistItem" WHERE "templateId" = $1"#,
            &[&template_id],
        )
        .await?)
}

pub async fn insert_items(tx: &Transaction<'_>, template_id: Uuid, items: &[Item]) -> Result<u64> {
    let sql = r#"INSERT INTO "QCChecklistItem"
                   ("templateId", "section", "itemDescription", "checkType", "isBasinSpecific", "isRequired",
                    "notesPrompt", "sequenceOrder", "rules")
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"#;
    let mut n = 0;
    for item in items {
        let rules = item.rules_json();
        n += tx
            .exec(
                sql,
                &[
                    &template_id,
                    &item.section,
                    &item.description,
                    &item.check_type,
                    &item.basin_specific,
                    &item.required,
                    &item.notes_prompt,
                    &item.sequence,
                    &rules,
                ],
            )
            .await?;
    }
    Ok(n)
}

/// Every stored version with its item count and whether recorded work uses it (as
/// [`template_in_use`]), by name and version: the template editor's list (docs/checklists.md §12.1).
pub async fn list_versions(client: &impl Client) -> Result<Vec<TemplateVersionRow>> {
    let sql = concat!(
        "SELECT ",
        template_columns!(),
        r#", "createdAt",
            (SELECT count(*) FROM "QCChecklistItem" i WHERE i."templateId" = t.id) AS "itemCount",
            qc_template_in_use(t.id) AS "inUse"
           FROM "QCFormTemplate" t ORDER BY "formName", "version""#
    );
    query_all(client, sql, &[], version_from_row).await
}

/// One stored version, as [`list_versions`] reads it.
pub async fn version_row(client: &impl Client, id: Uuid) -> Result<Option<TemplateVersionRow>> {
    let sql = concat!(
        "SELECT ",
        template_columns!(),
        r#", "createdAt",
            (SELECT count(*) FROM "QCChecklistItem" i WHERE i."templateId" = t.id) AS "itemCount",
            qc_template_in_use(t.id) AS "inUse"
           FROM "QCFormTemplate" t WHERE t.id = $1"#
    );
    query_opt_map(client, sql, &[&id], version_from_row).await
}

fn version_from_row(r: &Row) -> Result<TemplateVersionRow> {
    let t = template_from_row(r)?;
    Ok(TemplateVersionRow {
        id: t.id,
        form_name: t.form_name,
        form_type: t.form_type,
        version: t.version,
        is_active: t.is_active,
        item_count: r.col("itemCount")?,
        has_results: r.col("inUse")?,
        created_at: r.col("createdAt")?,
    })
}

/// Makes version `id` active; the caller then deactivates the other versions of its name. Returns the
/// rows changed (0 when it already was).
pub async fn activate(tx: &Transaction<'_>, id: Uuid) -> Result<u64> {
    Ok(tx
        .exec(
            r#"UPDATE "QCFormTemplate" SET "isActive" = true
                WHERE id = $1 AND "isActive" IS DISTINCT FROM true"#,
            &[&id],
        )
        .await?)
}
