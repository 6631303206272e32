//! Order entry: the wizard's context, checks and drafts, and the submit that creates a PO's builds.

use super::attachments::{read_attachments, store_file};
use super::{bom_failed, require_creator};
use crate::db::orders::{self, NewHistory};
use crate::db::{begin_as, bom as db_bom};
use crate::domain::bom::{GeneratedBom, generate};
use crate::domain::order::{CreatedOrder, NewOrder, NumberCheck, OrderStatus, WizardContext};
use crate::domain::order_rules::{self, FieldError};
use crate::error::{Result, ServiceError};
use crate::service::{ServiceCtx, authenticate};

/// The largest wizard draft kept (its JSON text); a wizard's state is a few kilobytes.
pub const MAX_DRAFT_BYTES: usize = 1_000_000;
pub const DRAFT_TOO_LARGE: &str = "The wizard draft is too large to save";

pub(super) async fn wizard_context(ctx: &ServiceCtx, token: &str) -> Result<WizardContext> {
    let who = authenticate(ctx, token).await?;
    require_creator(&who)?;
    let client = ctx.pool.get().await?;
    Ok(WizardContext {
        today: orders::today(&client).await?,
        accessories: db_bom::accessories(&client).await?,
        draft: orders::load_draft(&client, who.user.id).await?,
    })
}

pub(super) async fn check_numbers(
    ctx: &ServiceCtx,
    token: &str,
    po_number: &str,
    build_numbers: &[String],
) -> Result<NumberCheck> {
    let who = authenticate(ctx, token).await?;
    require_creator(&who)?;
    let client = ctx.pool.get().await?;
    let po = po_number.trim();
    let builds: Vec<String> = build_numbers
        .iter()
        .map(|b| b.trim().to_string())
        .filter(|b| !b.is_empty())
        .collect();
    Ok(NumberCheck {
        po_taken: if po.is_empty() {
            None
        } else {
            orders::po_number_taken(&client, po).await?
        },
        builds_taken: orders::build_numbers_taken(&client, &builds).await?,
    })
}

pub(super) async fn save_draft(
    ctx: &ServiceCtx,
    token: &str,
    draft: &serde_json::Value,
) -> Result<()> {
    let who = authenticate(ctx, token).await?;
    require_creator(&who)?;
    let size = serde_json::to_vec(draft)
        .map_err(|e| ServiceError::Invalid(e.to_string()))?
        .len();
    if size > MAX_DRAFT_BYTES {
        return Err(ServiceError::Invalid(DRAFT_TOO_LARGE.into()));
    }
    draft_text(draft).map_err(ServiceError::Invalid)?;
    let mut client = ctx.pool.get().await?;
    let tx = begin_as(&mut client, &who.actor(ctx)).await?;
    orders::save_draft(&tx, who.user.id, draft).await?;
    tx.commit().await?;
    Ok(())
}

pub(super) async fn discard_draft(ctx: &ServiceCtx, token: &str) -> Result<()> {
    let who = authenticate(ctx, token).await?;
    require_creator(&who)?;
    let mut client = ctx.pool.get().await?;
    let tx = begin_as(&mut client, &who.actor(ctx)).await?;
    orders::delete_draft(&tx, who.user.id).await?;
    tx.commit().await?;
    Ok(())
}

/// Every text of a wizard draft (each field is one line in the wizard), keys included: the draft is
/// stored and shown again.
pub(super) fn draft_text(value: &serde_json::Value) -> Result<(), String> {
    use serde_json::Value;
    let check = |s: &str| crate::text::check_text("Wizard draft", s, false);
    match value {
        Value::String(s) => check(s),
        Value::Array(items) => items.iter().try_for_each(draft_text),
        Value::Object(map) => map.iter().try_for_each(|(k, v)| {
            check(k)?;
            draft_text(v)
        }),
        Value::Null | Value::Bool(_) | Value::Number(_) => Ok(()),
    }
}

/// Stored text is trimmed; an empty optional text is no text.
pub(super) fn normalized(mut order: NewOrder) -> NewOrder {
    fn opt(s: Option<String>) -> Option<String> {
        s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
    }
    let h = &mut order.header;
    h.po_number = h.po_number.trim().to_string();
    h.customer_name = h.customer_name.trim().to_string();
    h.sales_person = h.sales_person.trim().to_string();
    h.project_name = opt(h.project_name.take());
    h.notes = opt(h.notes.take());
    for b in &mut order.builds {
        b.build_number = b.build_number.trim().to_string();
    }
    order
}

/// The messages of broken rules, one per line: `Build <B>: ` before a build's, repeats left out.
pub fn field_errors_text(errors: &[FieldError]) -> String {
    let mut lines: Vec<String> = Vec::with_capacity(errors.len());
    for e in errors {
        let line = match &e.build {
            Some(b) => format!("Build {b}: {}", e.message),
            None => e.message.clone(),
        };
        if !lines.contains(&line) {
            lines.push(line);
        }
    }
    lines.join("\n")
}

/// Creates every build of a PO in one transaction (docs/lifecycle.md §6.8).
pub(super) async fn create_order(
    ctx: &ServiceCtx,
    token: &str,
    order: NewOrder,
) -> Result<CreatedOrder> {
    let who = authenticate(ctx, token).await?;
    require_creator(&who)?;
    let order = normalized(order);
    let header = &order.header;

    // Rules and BOMs first: both are pure, so a refusal costs no transaction.
    let index = {
        let client = ctx.pool.get().await?;
        let today = orders::today(&client).await?;
        let errors = order_rules::validate_order(&order, today);
        if !errors.is_empty() {
            return Err(ServiceError::Invalid(field_errors_text(&errors)));
        }
        db_bom::load_catalog_index(&client).await?
    };
    let mut boms: Vec<GeneratedBom> = Vec::with_capacity(order.builds.len());
    let mut failures = Vec::new();
    for b in &order.builds {
        match generate(header.order_language, b, &index) {
            Ok(bom) => boms.push(bom),
            Err(e) => failures.push(bom_failed(&b.build_number, &e).to_string()),
        }
    }
    if !failures.is_empty() {
        return Err(ServiceError::Invalid(failures.join("\n")));
    }
    let files = read_attachments(&order.attachments).await?;

    let mut client = ctx.pool.get().await?;
    let tx = begin_as(&mut client, &who.actor(ctx)).await?;
    orders::lock_po_number(&tx, &header.po_number).await?;
    // Re-checked with the transaction's own date and the numbers as committed now.
    let today = orders::today(&tx).await?;
    let late: Vec<FieldError> = order_rules::validate_header(header, today)
        .into_iter()
        .filter(|e| e.field == "wantDate")
        .collect();
    if !late.is_empty() {
        return Err(ServiceError::Invalid(field_errors_text(&late)));
    }
    if orders::po_number_taken(&tx, &header.po_number)
        .await?
        .is_some()
    {
        return Err(ServiceError::Invalid(order_rules::po_number_exists(
            &header.po_number,
        )));
    }
    let numbers: Vec<String> = order
        .builds
        .iter()
        .map(|b| b.build_number.clone())
        .collect();
    let taken = orders::build_numbers_taken(&tx, &numbers).await?;
    if !taken.is_empty() {
        let lines: Vec<String> = taken
            .iter()
            .map(|(b, po)| order_rules::build_number_exists(b, po))
            .collect();
        return Err(ServiceError::Invalid(lines.join("\n")));
    }

    let n = order.builds.len();
    let mut created = Vec::with_capacity(n);
    for (i, (build, bom)) in order.builds.iter().zip(&boms).enumerate() {
        let Some(id) = orders::insert_build(&tx, header, build).await? else {
            // Another station committed this number after the check above.
            let po = orders::po_of_build(&tx, &build.build_number)
                .await?
                .unwrap_or_default();
            return Err(ServiceError::Invalid(order_rules::build_number_exists(
                &build.build_number,
                &po,
            )));
        };
        orders::insert_config_rows(&tx, id, build).await?;
        db_bom::write_version(&tx, id, bom, who.user.id).await?;
        let notes = format!("PO {}: build {} of {n}", header.po_number, i + 1);
        orders::insert_history(
            &tx,
            &NewHistory {
                order_id: id,
                user_id: who.user.id,
                action: "ORDER_CREATED",
                old_status: None,
                new_status: OrderStatus::OrderCreated,
                notes: Some(&notes),
            },
        )
        .await?;
        created.push((id, build.build_number.clone()));
    }
    // One document per file, linked to every build of the PO.
    for (spec, file) in order.attachments.iter().zip(&files) {
        let document_id = store_file(&tx, file, who.user.id).await?;
        for (order_id, _) in &created {
            orders::link_document(&tx, *order_id, document_id, spec.document_type, None).await?;
        }
    }
    orders::delete_draft(&tx, who.user.id).await?;
    tx.commit().await?;
    tracing::info!(po = %header.po_number, builds = n, by = %who.user.id, "order created");
    Ok(CreatedOrder {
        po_number: header.po_number.clone(),
        builds: created,
    })
}
