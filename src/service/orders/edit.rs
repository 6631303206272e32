//! Editing a build's configuration while it is ORDER_CREATED (docs/lifecycle.md §8).

use super::entry::field_errors_text;
use super::{bom_failed, record_config_history, require_editor, updated_row};
use crate::db::orders;
use crate::db::{begin_as, bom as db_bom};
use crate::domain::bom::generate;
use crate::domain::order::{BuildConfig, OrderRow, OrderStatus};
use crate::domain::order_rules;
use crate::error::{Result, ServiceError};
use crate::service::guard::{lock_order, order_not_found};
use crate::service::{ServiceCtx, authenticate};
use uuid::Uuid;

pub const BUILD_NUMBER_FIXED: &str = "Build numbers cannot be changed";

pub(super) fn opt_code<T: std::fmt::Display>(v: &Option<T>) -> String {
    v.as_ref()
        .map_or_else(|| "none".to_string(), ToString::to_string)
}

/// The changed fields between two configurations of one build, for the CONFIG_UPDATED notes:
/// `sinkLength 60 -> 72` for a column, the row group's name for basins, faucets, sprayers, accessories.
pub fn config_changes(old: &BuildConfig, new: &BuildConfig) -> Vec<String> {
    // Each column named once, read the same way from both sides.
    type Column = (&'static str, fn(&BuildConfig) -> String);
    const COLUMNS: [Column; 14] = [
        ("sinkFamily", |b| b.sink_family.to_string()),
        ("sinkModel", |b| b.sink_model.clone()),
        ("sinkWidth", |b| b.sink_width.to_string()),
        ("sinkLength", |b| b.sink_length.to_string()),
        ("legsType", |b| b.legs_type.to_string()),
        ("legsModel", |b| b.legs_model.clone()),
        ("feetType", |b| b.feet_type.to_string()),
        ("workflowDirection", |b| b.workflow_direction.to_string()),
        ("hasPegboard", |b| b.has_pegboard.to_string()),
        ("pegboardColor", |b| opt_code(&b.pegboard_color)),
        ("pegboardType", |b| opt_code(&b.pegboard_type)),
        ("pegboardSizeType", |b| opt_code(&b.pegboard_size_type)),
        ("pegboardWidth", |b| opt_code(&b.pegboard_width)),
        ("pegboardLength", |b| opt_code(&b.pegboard_length)),
    ];
    let mut out: Vec<String> = COLUMNS
        .iter()
        .filter_map(|(name, read)| {
            let (a, b) = (read(old), read(new));
            (a != b).then(|| format!("{name} {a} -> {b}"))
        })
        .collect();
    if old.basins != new.basins {
        out.push("basins".into());
    }
    if old.faucets != new.faucets {
        out.push("faucets".into());
    }
    if old.sprayers != new.sprayers {
        out.push("sprayers".into());
    }
    let sorted = |b: &BuildConfig| {
        let mut a = b.accessories.clone();
        a.sort_by(|x, y| x.assembly_id.cmp(&y.assembly_id));
        a
    };
    if sorted(old) != sorted(new) {
        out.push("accessories".into());
    }
    out
}

/// Replaces a build's configuration while it is ORDER_CREATED and regenerates its BOM
/// (docs/lifecycle.md §8.1).
pub(super) async fn update_build(
    ctx: &ServiceCtx,
    token: &str,
    order_id: Uuid,
    mut build: BuildConfig,
) -> Result<OrderRow> {
    let who = authenticate(ctx, token).await?;
    require_editor(&who)?;
    build.build_number = build.build_number.trim().to_string();
    let errors = order_rules::validate_build(&build);
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(field_errors_text(&errors)));
    }
    let index = {
        let client = ctx.pool.get().await?;
        db_bom::load_catalog_index(&client).await?
    };
    let mut client = ctx.pool.get().await?;
    let tx = begin_as(&mut client, &who.actor(ctx)).await?;
    let locked = lock_order(&tx, order_id).await?;
    let not_editable = |status: OrderStatus| {
        ServiceError::Conflict(format!(
            "Build {} is now {status}; its configuration can no longer be changed",
            locked.build_number
        ))
    };
    if locked.status != OrderStatus::OrderCreated {
        return Err(not_editable(locked.status));
    }
    if !build
        .build_number
        .eq_ignore_ascii_case(&locked.build_number)
    {
        return Err(ServiceError::Invalid(BUILD_NUMBER_FIXED.into()));
    }
    build.build_number = locked.build_number.clone();
    let mut old = orders::load(&tx, order_id)
        .await?
        .ok_or_else(order_not_found)?
        .build;
    old.build_number = build.build_number.clone();
    let changes = config_changes(&old, &build);
    if changes.is_empty() {
        drop(tx);
        return updated_row(&client, order_id).await;
    }
    let bom = generate(locked.language, &build, &index)
        .map_err(|e| bom_failed(&build.build_number, &e))?;
    if !orders::update_build_config(&tx, order_id, &build).await? {
        let now = orders::current_status(&tx, order_id)
            .await?
            .map_or(locked.status, |(_, s)| s);
        return Err(not_editable(now));
    }
    orders::replace_config_rows(&tx, order_id, &build).await?;
    let (_, version) = db_bom::write_version(&tx, order_id, &bom, who.user.id).await?;
    let notes = format!("Changed: {}; BOM version {version}", changes.join(", "));
    record_config_history(&tx, order_id, who.user.id, "CONFIG_UPDATED", &notes).await?;
    tx.commit().await?;
    updated_row(&client, order_id).await
}
