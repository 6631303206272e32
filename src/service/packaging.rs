//! The packaging checklist (docs/assembly-floor.md §6): generated on entering TESTING_COMPLETE, filled in
//! by the assembler, complete when every item is packed in full or, where allowed, mounted on the sink.

use super::floor::floor_header;
use super::guard::{lock_in_status, order_not_found, require_floor_worker, require_viewer};
use super::{Authed, ServiceCtx, authenticate};
use crate::db::orders::{self as db_orders, LockedOrder};
use crate::db::packaging::{self as db_packaging, ItemRow};
use crate::db::{Client, Transaction, begin_as, templates};
use crate::domain::bom::canonical_id;
use crate::domain::floor::{
    BomTotals, MOUNTED_NOTE, PACKAGING_FORM, PackagingLine, PackagingRule, PackagingView,
    item_complete,
};
use crate::domain::order::OrderStatus;
use crate::domain::qc::{QcItemDef, applicable};
use crate::error::{Result, ServiceError};
use uuid::Uuid;

fn not_imported() -> ServiceError {
    ServiceError::Invalid(format!(
        "The \"{PACKAGING_FORM}\" checklist is not imported; ask an administrator"
    ))
}

/// A template item's packaging rule with its code and text.
struct RuleDef {
    item: Uuid,
    code: String,
    description: String,
    rule: PackagingRule,
}

async fn rule_defs(client: &impl Client) -> Result<(Uuid, Vec<RuleDef>)> {
    let template = templates::active_template(client, PACKAGING_FORM)
        .await?
        .ok_or_else(not_imported)?;
    let defs = db_packaging::rules(client, template.id)
        .await?
        .into_iter()
        .map(|(item, code, description, rule)| RuleDef {
            item,
            code,
            description,
            rule,
        })
        .collect();
    Ok((template.id, defs))
}

/// Generates the round's packaging checklist (docs/assembly-floor.md §6): performedBy is the mover; one
/// item per applicable template item, with its `qty` or the current BOM's total (a BOM-driven item the
/// BOM does not hold does not apply). An open checklist left from an earlier round is replaced.
pub(crate) async fn on_enter_testing_complete(
    tx: &Transaction<'_>,
    order: &LockedOrder,
    user_id: Uuid,
) -> Result<()> {
    let rec = db_orders::load(tx, order.id)
        .await?
        .ok_or_else(order_not_found)?;
    let (template_id, defs) = rule_defs(tx).await?;
    let items = crate::db::qc::items(tx, template_id).await?;
    let lines = applicable(&items, &rec.build, rec.header.order_language).map_err(|m| {
        ServiceError::Invalid(format!(
            "The \"{PACKAGING_FORM}\" checklist cannot be used: {m}"
        ))
    })?;
    let applicable_ids: Vec<Uuid> = lines
        .iter()
        .filter_map(|l| items.get(l.item).map(|i: &QcItemDef| i.id))
        .collect();

    // The BOM's absolute quantities summed by canonical id, at every level.
    let mut totals = BomTotals::new();
    if let Some(doc) = crate::db::bom::document(tx, order.id, None).await? {
        for i in &doc.items {
            totals.add(&i.item_id, i.quantity, i.item_type);
        }
    }

    db_packaging::delete_open(tx, order.id).await?;
    let checklist = db_packaging::insert_checklist(tx, order.id, user_id).await?;
    let mut written = 0;
    for def in defs.iter().filter(|d| applicable_ids.contains(&d.item)) {
        let Some(need) = def.rule.need(&totals) else {
            continue;
        };
        let item_type = match need.bom_type {
            Some(t) => t,
            None => db_packaging::item_type_of(tx, need.item_id).await?,
        };
        db_packaging::insert_item(tx, checklist, item_type, need.item_id, need.required).await?;
        written += 1;
    }
    tracing::info!(order_id = %order.id, %checklist, items = written, "packaging checklist generated");
    Ok(())
}

/// The checklist as the screen shows it, items in template order.
async fn view(client: &impl Client, order_id: Uuid) -> Result<PackagingView> {
    let rec = db_orders::load(client, order_id)
        .await?
        .ok_or_else(order_not_found)?;
    let checklist = db_packaging::current(client, order_id)
        .await?
        .ok_or_else(|| {
            ServiceError::Invalid(format!(
                "Build {} has no packaging checklist yet; it is generated on entering TESTING_COMPLETE",
                rec.build.build_number
            ))
        })?;
    // A template that is gone still leaves the stored items readable; they just lose their text.
    let defs = match rule_defs(client).await {
        Ok((_, defs)) => defs,
        Err(ServiceError::Invalid(_)) => Vec::new(),
        Err(e) => return Err(e),
    };
    let position = |row: &ItemRow| {
        defs.iter()
            .position(|d| canonical_id(&d.rule.item_id) == row.item_id)
    };
    let mut rows = db_packaging::items(client, checklist.id).await?;
    rows.sort_by_key(|r| position(r).unwrap_or(usize::MAX));
    let lines = rows
        .iter()
        .map(|r| {
            let def = position(r).and_then(|p| defs.get(p));
            PackagingLine {
                id: r.id,
                code: def.map(|d| d.code.clone()).unwrap_or_default(),
                description: def.map(|d| d.description.clone()).unwrap_or_default(),
                item_id: r.item_id.clone(),
                item_type: r.item_type,
                required: r.required,
                packed: r.packed,
                mounted_allowed: def.is_some_and(|d| d.rule.mounted_allowed),
                mounted: r.notes.as_deref() == Some(MOUNTED_NOTE),
                complete: r.complete,
            }
        })
        .collect();
    Ok(PackagingView {
        header: floor_header(&rec),
        checklist_id: checklist.id,
        performed_by: checklist.performed_by,
        completed: checklist.completed,
        completed_at: checklist.completed_at,
        lines,
    })
}

/// A build's current packaging checklist.
pub async fn packaging(ctx: &ServiceCtx, token: &str, order_id: Uuid) -> Result<PackagingView> {
    let who = authenticate(ctx, token).await?;
    require_viewer(&who)?;
    let client = ctx.pool.get().await?;
    view(&client, order_id).await
}

/// Locks the build an item belongs to for a packaging change: TESTING_COMPLETE, worked by `who`
/// (docs/lifecycle.md §1.3), and the item on the build's current checklist.
async fn lock_item(
    tx: &Transaction<'_>,
    who: &Authed,
    item_id: Uuid,
) -> Result<(LockedOrder, ItemRow)> {
    let not_found = || ServiceError::NotFound("Packaging item".into());
    let (_, order_id) = db_packaging::item(tx, item_id)
        .await?
        .ok_or_else(not_found)?;
    let locked = lock_in_status(tx, who, order_id, OrderStatus::TestingComplete).await?;
    // Read again under the build's lock: another station may have changed it meanwhile.
    let (row, _) = db_packaging::item(tx, item_id)
        .await?
        .ok_or_else(not_found)?;
    let current = db_packaging::current(tx, order_id).await?;
    if current.map(|c| c.id) != Some(row.checklist_id) {
        return Err(ServiceError::Invalid(
            "This item belongs to an earlier packaging checklist; reload the checklist".into(),
        ));
    }
    Ok((locked, row))
}

/// What the assembler records for a packaging item.
enum ItemChange {
    /// How many are packed (0..=required); packing clears a "mounted" mark.
    Packed(i32),
    /// Mounted on the sink instead of packed (note `Mounted`), or the mark taken back.
    Mounted(bool),
}

impl ItemChange {
    /// The item's new (packed, complete, notes), or why the change is refused.
    fn apply(self, row: &ItemRow, mounted_allowed: bool) -> Result<(i32, bool, Option<String>)> {
        match self {
            ItemChange::Packed(packed) if !(0..=row.required).contains(&packed) => {
                Err(ServiceError::Invalid(format!(
                    "Packed quantity must be between 0 and {} for {}",
                    row.required, row.item_id
                )))
            }
            ItemChange::Packed(packed) => {
                Ok((packed, item_complete(packed, row.required, false), None))
            }
            ItemChange::Mounted(_) if !mounted_allowed => Err(ServiceError::Invalid(format!(
                "{} is packed, not mounted; enter the packed quantity",
                row.item_id
            ))),
            ItemChange::Mounted(mounted) => Ok((
                row.packed,
                item_complete(row.packed, row.required, mounted),
                mounted.then(|| MOUNTED_NOTE.to_string()),
            )),
        }
    }
}

async fn change_item(
    ctx: &ServiceCtx,
    token: &str,
    item_id: Uuid,
    change: ItemChange,
) -> Result<PackagingView> {
    let who = authenticate(ctx, token).await?;
    require_floor_worker(&who, "fill in packaging checklists")?;
    let mut client = ctx.pool.get().await?;
    let tx = begin_as(&mut client, &who.actor(ctx)).await?;
    let (locked, row) = lock_item(&tx, &who, item_id).await?;
    let (_, defs) = rule_defs(&tx).await?;
    let mounted_allowed = defs
        .iter()
        .any(|d| canonical_id(&d.rule.item_id) == row.item_id && d.rule.mounted_allowed);
    let (packed, complete, notes) = change.apply(&row, mounted_allowed)?;
    db_packaging::update_item(&tx, row.id, packed, complete, notes.as_deref()).await?;
    db_packaging::refresh_completion(&tx, row.checklist_id, who.user.id).await?;
    let out = view(&tx, locked.id).await?;
    tx.commit().await?;
    Ok(out)
}

/// Records how many of an item are packed (0..=required). Packing an item clears a "mounted" mark.
pub async fn set_packed(
    ctx: &ServiceCtx,
    token: &str,
    item_id: Uuid,
    packed: i32,
) -> Result<PackagingView> {
    change_item(ctx, token, item_id, ItemChange::Packed(packed)).await
}

/// Marks an item as mounted on the sink instead of packed (note `Mounted`), or takes the mark back.
pub async fn set_mounted(
    ctx: &ServiceCtx,
    token: &str,
    item_id: Uuid,
    mounted: bool,
) -> Result<PackagingView> {
    change_item(ctx, token, item_id, ItemChange::Mounted(mounted)).await
}
