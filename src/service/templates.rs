//! Checklist templates in the editor (docs/checklists.md §12) and their export (§11): ADMIN only. A save
//! always adds a new, inactive version and never changes a stored one; an activation makes one version
//! the active one of its template. The items are checked by the same function as the file's import
//! (`domain::checklist::validate_items`, §13).

use super::guard::require_role;
use super::{Authed, ServiceCtx, authenticate};
use crate::db::{self, Client, begin_as};
use crate::domain::Role;
use crate::domain::checklist::{
    ChecklistFile, FormType, ItemDraft, SCHEMA_VERSION, Template, Usage, parse_checklists,
    validate_items,
};
use crate::domain::checklist_preview::{PackagingContext, build_items, item_defs};
use crate::domain::floor::PACKAGING_FORM;
use crate::domain::order::{NewOrder, OrderDocument};
use crate::domain::template_versions::{
    TemplatePreview, TemplateVersion, TemplateVersionRow, infer_key, infer_usage,
};
use crate::error::{Result, ServiceError};
use crate::msg::{Reply, Request};
use uuid::Uuid;

/// Handles every template request (dispatched here from `service::dispatch`).
pub async fn handle(ctx: &ServiceCtx, req: Request) -> Result<Reply> {
    match req {
        Request::TemplateVersions { token } => {
            admin(ctx, &token, "read checklist templates").await?;
            let client = ctx.pool.get().await?;
            Ok(Reply::TemplateVersions(
                db::templates::list_versions(&client).await?,
            ))
        }
        Request::TemplateVersion { token, id } => {
            admin(ctx, &token, "read checklist templates").await?;
            let client = ctx.pool.get().await?;
            Ok(Reply::TemplateVersion(Box::new(
                version(&client, id).await?,
            )))
        }
        Request::SaveTemplateVersion {
            token,
            form_name,
            items,
        } => save(ctx, &token, &form_name, items)
            .await
            .map(Reply::TemplateSaved),
        Request::ActivateTemplateVersion { token, id } => {
            activate(ctx, &token, id).await.map(Reply::TemplateVersions)
        }
        Request::PreviewTemplate {
            token,
            form_name,
            items,
            sample,
        } => preview(ctx, &token, &form_name, items, sample)
            .await
            .map(|p| Reply::TemplatePreview(Box::new(p))),
        other => Err(ServiceError::Query(format!(
            "not a template request: {other:?}"
        ))),
    }
}

/// The binding role check: templates are the administrator's.
async fn admin(ctx: &ServiceCtx, token: &str, what: &str) -> Result<Authed> {
    let who = authenticate(ctx, token).await?;
    require_role(&who, &[Role::Admin], what)?;
    Ok(who)
}

/// The shipped file's template of `form_name`: what the database does not hold (key, usage, source,
/// header fields, procedures; docs/checklists.md §11).
fn shipped(form_name: &str) -> Option<Template> {
    parse_checklists(crate::reference::CHECKLISTS_TOML)
        .ok()?
        .templates
        .into_iter()
        .find(|t| t.name == form_name)
}

/// The key and usage of a stored template: the shipped file's, or read from the template itself.
fn key_and_usage(form_name: &str, form_type: FormType, items: &[ItemDraft]) -> (String, Usage) {
    match shipped(form_name) {
        Some(t) => (t.key, t.usage),
        None => (infer_key(form_name), infer_usage(form_type, items)),
    }
}

fn version_not_found() -> ServiceError {
    ServiceError::NotFound("Template version".into())
}

/// The items of stored version `id` as drafts, in `sequenceOrder`.
async fn drafts_of(client: &impl Client, id: Uuid) -> Result<Vec<ItemDraft>> {
    db::templates::items_of(client, id)
        .await?
        .iter()
        .map(|i| {
            ItemDraft::from_columns(
                &i.section,
                &i.item_description,
                i.check_type,
                i.is_basin_specific,
                i.is_required,
                i.notes_prompt,
                i.sequence_order,
                i.rules.as_ref(),
            )
            .map_err(ServiceError::Query)
        })
        .collect()
}

async fn version(client: &impl Client, id: Uuid) -> Result<TemplateVersion> {
    let row = db::templates::version_row(client, id)
        .await?
        .ok_or_else(version_not_found)?;
    let items = drafts_of(client, id).await?;
    let (key, usage) = key_and_usage(&row.form_name, row.form_type, &items);
    Ok(TemplateVersion {
        row,
        key,
        usage,
        items,
    })
}

/// Checks `items` for template `form_name` of `form_type` as the import does; the refusal lists every
/// problem, one per line.
fn checked(
    form_name: &str,
    form_type: FormType,
    items: Vec<ItemDraft>,
) -> Result<(String, Usage, Vec<crate::domain::checklist::Item>)> {
    let (key, usage) = key_and_usage(form_name, form_type, &items);
    let items =
        validate_items(&format!("template \"{key}\""), Some(usage), items).map_err(|problems| {
            ServiceError::Invalid(
                problems
                    .into_iter()
                    .map(|p| p.message)
                    .collect::<Vec<_>>()
                    .join("\n"),
            )
        })?;
    Ok((key, usage, items))
}

/// Saves `items` as version (highest + 1) of `form_name`, inactive, with the form type and description of
/// the active version (docs/checklists.md §12.2). Takes the import's lock, so a save and an import never
/// pick the same version.
async fn save(
    ctx: &ServiceCtx,
    token: &str,
    form_name: &str,
    items: Vec<ItemDraft>,
) -> Result<TemplateVersionRow> {
    let who = admin(ctx, token, "edit checklist templates").await?;
    let mut client = ctx.pool.get().await?;
    let tx = begin_as(&mut client, &who.actor(ctx)).await?;
    db::templates::lock_for_import(&tx).await?;
    let highest = db::templates::max_version(&tx, form_name)
        .await?
        .ok_or_else(|| ServiceError::NotFound(format!("Template \"{form_name}\"")))?;
    let base = match db::templates::active_template(&tx, form_name).await? {
        Some(t) => t,
        None => db::templates::find_template(&tx, form_name, highest)
            .await?
            .ok_or_else(version_not_found)?,
    };
    let (key, usage, items) = checked(form_name, base.form_type, items)?;
    let template = Template {
        key,
        name: form_name.to_string(),
        form_type: base.form_type,
        version: highest + 1,
        usage,
        source: None,
        description: base.description,
        header_fields: Vec::new(),
        procedures: Vec::new(),
        items,
    };
    let id = db::templates::insert_template(&tx, &template, false).await?;
    db::templates::insert_items(&tx, id, &template.items).await?;
    let row = db::templates::version_row(&tx, id)
        .await?
        .ok_or_else(version_not_found)?;
    tx.commit().await?;
    tracing::info!(template = %form_name, version = template.version, by = %who.user.id, "checklist template version saved");
    Ok(row)
}

/// Makes version `id` the active one of its template and every other version of it inactive, as the
/// import does (docs/checklists.md §12.2). New builds take the active version; recorded work keeps its own.
async fn activate(ctx: &ServiceCtx, token: &str, id: Uuid) -> Result<Vec<TemplateVersionRow>> {
    let who = admin(ctx, token, "activate checklist templates").await?;
    let mut client = ctx.pool.get().await?;
    let tx = begin_as(&mut client, &who.actor(ctx)).await?;
    db::templates::lock_for_import(&tx).await?;
    let row = db::templates::version_row(&tx, id)
        .await?
        .ok_or_else(version_not_found)?;
    db::templates::activate(&tx, id).await?;
    db::templates::deactivate_other_versions(&tx, &row.form_name, id).await?;
    let rows = db::templates::list_versions(&tx).await?;
    tx.commit().await?;
    tracing::info!(template = %row.form_name, version = row.version, by = %who.user.id, "checklist template version activated");
    Ok(rows)
}

/// The sample builds a preview can be shown for: the example order documents (one build each).
const SAMPLES: [&str; 8] = [
    include_str!("../../tests/fixtures/bom/example-1.json"),
    include_str!("../../tests/fixtures/bom/example-2.json"),
    include_str!("../../tests/fixtures/bom/example-3.json"),
    include_str!("../../tests/fixtures/bom/example-4.json"),
    include_str!("../../tests/fixtures/bom/example-5.json"),
    include_str!("../../tests/fixtures/bom/example-6.json"),
    include_str!("../../tests/fixtures/bom/example-7.json"),
    include_str!("../../tests/fixtures/bom/example-8.json"),
];

/// The sample orders, read.
fn samples() -> Result<Vec<NewOrder>> {
    SAMPLES
        .iter()
        .map(|text| {
            serde_json::from_str::<OrderDocument>(text)
                .map(NewOrder::from)
                .map_err(|e| ServiceError::Query(format!("a sample build cannot be read: {e}")))
        })
        .collect()
}

/// `EX-2 T2-B2 FR: E_SINK, E_DRAIN`.
fn sample_label(order: &NewOrder) -> String {
    match order.builds.first() {
        Some(b) => {
            let basins: Vec<&str> = b.basins.iter().map(|x| x.basin_type.code()).collect();
            format!(
                "{} {} {}: {}",
                b.build_number.trim(),
                b.sink_model.trim(),
                order.header.order_language.code(),
                basins.join(", ")
            )
        }
        None => "(no build)".into(),
    }
}

/// The items sample build `sample` (wrapping around) gets from `items`: the same function as
/// `cleanstation checklist preview` (docs/checklists.md §12.3). Nothing is saved.
async fn preview(
    ctx: &ServiceCtx,
    token: &str,
    form_name: &str,
    items: Vec<ItemDraft>,
    sample: usize,
) -> Result<TemplatePreview> {
    admin(ctx, token, "preview checklist templates").await?;
    let client = ctx.pool.get().await?;
    let template = db::templates::active_template(&client, form_name).await?;
    let form_type = match template {
        Some(t) => t.form_type,
        None => {
            let versions = db::templates::list_versions(&client).await?;
            versions
                .into_iter()
                .find(|v| v.form_name == form_name)
                .map(|v| v.form_type)
                .ok_or_else(|| ServiceError::NotFound(format!("Template \"{form_name}\"")))?
        }
    };
    let (_, _, items) = checked(form_name, form_type, items)?;
    let (defs, rules) = item_defs(&items);
    let packaging = if form_name == PACKAGING_FORM {
        Some(PackagingContext {
            rules,
            catalog: db::bom::load_catalog_index(&client).await?,
        })
    } else {
        None
    };
    let orders = samples()?;
    let sample = sample % orders.len().max(1);
    let order = orders.get(sample).ok_or_else(version_not_found)?;
    let build = order
        .builds
        .first()
        .ok_or_else(|| ServiceError::Query("a sample order has no build".into()))?;
    let items = build_items(
        build.build_number.trim(),
        build,
        order.header.order_language,
        &defs,
        packaging.as_ref(),
    )
    .map_err(|e| match e {
        crate::domain::checklist_preview::PreviewError::Template(m) => ServiceError::Invalid(m),
        crate::domain::checklist_preview::PreviewError::Bom(e) => {
            ServiceError::Invalid(e.to_string())
        }
    })?;
    Ok(TemplatePreview {
        sample,
        samples: orders.iter().map(sample_label).collect(),
        build: items,
    })
}

/// The active version of every stored template as a checklists file (docs/checklists.md §11): in the
/// shipped file's order, then any other template by name. Each template's items are read back and
/// checked as the import checks them; the key, usage, source, header fields and procedures, which the
/// database does not hold, come from the shipped file.
pub async fn active_file(client: &impl Client) -> Result<ChecklistFile> {
    let order: Vec<String> = parse_checklists(crate::reference::CHECKLISTS_TOML)
        .map(|f| f.templates.into_iter().map(|t| t.name).collect())
        .unwrap_or_default();
    let mut names: Vec<String> = Vec::new();
    for t in db::templates::list_templates(client).await? {
        if !names.contains(&t.form_name) {
            names.push(t.form_name);
        }
    }
    names.sort_by_key(|n| {
        (
            order.iter().position(|o| o == n).unwrap_or(order.len()),
            n.clone(),
        )
    });
    let mut templates = Vec::with_capacity(names.len());
    for name in names {
        let Some(stored) = db::templates::active_template(client, &name).await? else {
            continue;
        };
        let drafts = drafts_of(client, stored.id).await?;
        let (key, usage, items) = checked(&name, stored.form_type, drafts)?;
        let meta = shipped(&name);
        templates.push(Template {
            key,
            name: stored.form_name,
            form_type: stored.form_type,
            version: stored.version,
            usage,
            source: meta.as_ref().and_then(|m| m.source.clone()),
            description: stored.description,
            header_fields: meta
                .as_ref()
                .map(|m| m.header_fields.clone())
                .unwrap_or_default(),
            procedures: meta.map(|m| m.procedures).unwrap_or_default(),
            items,
        });
    }
    if templates.is_empty() {
        return Err(ServiceError::Invalid(
            "No active checklist template in the database; import the checklist templates first"
                .into(),
        ));
    }
    Ok(ChecklistFile {
        schema_version: SCHEMA_VERSION,
        templates,
    })
}
