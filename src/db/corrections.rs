//! Corrections of a build's want date, project, sales person and notes (`"OrderCorrection"`, one row
//! per corrected field), and the fact that decides whether a build may still be cancelled
//! (docs/lifecycle.md §11, §12).

use crate::db::Client;
use crate::db::row::{RowExt, query_id, query_opt_map};
use crate::domain::correction::{Correctable, FieldChange};
use crate::error::Result;
use uuid::Uuid;

/// The four correctable values the build stores now.
pub async fn current(client: &impl Client, order_id: Uuid) -> Result<Option<Correctable>> {
    query_opt_map(
        client,
        r#"SELECT "wantDate", "projectName", "salesPerson", "notes"
             FROM "ProductionOrder" WHERE id = $1"#,
        &[&order_id],
        |r| {
            Ok(Correctable {
                want_date: r.col("wantDate")?,
                project_name: r.col("projectName")?,
                sales_person: r.col("salesPerson")?,
                notes: r.col("notes")?,
            })
        },
    )
    .await
}

/// Writes the four values (the caller holds the build's row lock).
pub async fn update(client: &impl Client, order_id: Uuid, new: &Correctable) -> Result<()> {
    client
        .exec(
            r#"UPDATE "ProductionOrder"
                  SET "wantDate" = $2, "projectName" = $3, "salesPerson" = $4, "notes" = $5
                WHERE id = $1"#,
            &[
                &order_id,
                &new.want_date,
                &new.project_name,
                &new.sales_person,
                &new.notes,
            ],
        )
        .await?;
    Ok(())
}

/// One `"OrderCorrection"` row for one changed field.
pub async fn insert(
    client: &impl Client,
    order_id: Uuid,
    user_id: Uuid,
    change: &FieldChange,
    reason: &str,
) -> Result<Uuid> {
    query_id(
        client,
        r#"INSERT INTO "OrderCorrection" ("orderId", "field", "oldValue", "newValue", "reason", "correctedBy")
           VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"#,
        &[
            &order_id,
            &change.field.column(),
            &change.old,
            &change.new,
            &reason,
            &user_id,
        ],
    )
    .await
}

/// Whether the build's floor work has started: a task completed or a testing form written
/// (docs/lifecycle.md §12.1).
pub async fn floor_started(client: &impl Client, order_id: Uuid) -> Result<bool> {
    client
        .fetch_one(
            r#"SELECT EXISTS (SELECT 1 FROM "TaskList" l JOIN "Task" t ON t."taskListId" = l.id
                               WHERE l."orderId" = $1 AND t."isCompleted")
                   OR EXISTS (SELECT 1 FROM "TestingForm" f WHERE f."orderId" = $1) AS "started""#,
            &[&order_id],
        )
        .await?
        .col("started")
}
