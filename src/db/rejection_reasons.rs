//! `"QCRejectionReason"` and `"QCResultRejection"` rows: the administered list of rejection reasons and
//! the reasons a failed QC result names (docs/rejection-reasons.md).

use crate::db::row::{RowExt, query_all, query_id, query_opt_map};
use crate::db::{Client, Transaction};
use crate::domain::rejection_reason::{ReasonInput, RejectionReason, Severity};
use crate::error::{Result, ServiceError};
use tokio_postgres::Row;
use uuid::Uuid;

const REASON_SELECT: &str = r#"SELECT id, "code", "text", "severity"::text AS "severity",
       "reworkRequired", "isActive", "sortOrder"
  FROM "QCRejectionReason""#;

fn severity_of(r: &Row) -> Result<Severity> {
    let code: String = r.col("severity")?;
    Severity::from_code(&code)
        .ok_or_else(|| ServiceError::Query(format!("unknown rejection severity {code}")))
}

fn reason_row(r: &Row) -> Result<RejectionReason> {
    Ok(RejectionReason {
        id: r.col("id")?,
        code: r.col("code")?,
        text: r.col("text")?,
        severity: severity_of(r)?,
        rework_required: r.col("reworkRequired")?,
        is_active: r.col("isActive")?,
        sort_order: r.col("sortOrder")?,
    })
}

/// The whole list, active reasons first, each part in its sort order then by code.
pub async fn list(client: &impl Client) -> Result<Vec<RejectionReason>> {
    let sql = format!(r#"{REASON_SELECT} ORDER BY "isActive" DESC, "sortOrder", "code""#);
    query_all(client, &sql, &[], reason_row).await
}

/// The active reasons, in their sort order: what an inspector may pick.
pub async fn active(client: &impl Client) -> Result<Vec<RejectionReason>> {
    let sql = format!(r#"{REASON_SELECT} WHERE "isActive" ORDER BY "sortOrder", "code""#);
    query_all(client, &sql, &[], reason_row).await
}

/// One reason.
pub async fn by_id(client: &impl Client, id: Uuid) -> Result<Option<RejectionReason>> {
    let sql = format!(r#"{REASON_SELECT} WHERE id = $1"#);
    query_opt_map(client, &sql, &[&id], reason_row).await
}

/// Whether a reason has this code.
pub async fn code_taken(client: &impl Client, code: &str) -> Result<bool> {
    Ok(client
        .fetch_opt(
            r#"SELECT 1 FROM "QCRejectionReason" WHERE "code" = $1"#,
            &[&code],
        )
        .await?
        .is_some())
}

/// The rows of the picked reasons, held until the transaction ends so a retirement made meanwhile
/// waits for the submit (docs/rejection-reasons.md §2.1).
pub async fn hold_picked(tx: &Transaction<'_>, ids: &[Uuid]) -> Result<Vec<RejectionReason>> {
    let sql = format!(r#"{REASON_SELECT} WHERE id = ANY($1) FOR SHARE"#);
    query_all(tx, &sql, &[&ids], reason_row).await
}

/// Adds a reason; returns its id.
pub async fn insert(tx: &Transaction<'_>, input: &ReasonInput, by: Uuid) -> Result<Uuid> {
    query_id(
        tx,
        r#"INSERT INTO "QCRejectionReason"
               ("code", "text", "severity", "reworkRequired", "sortOrder", "createdBy", "updatedBy")
           VALUES ($1, $2, $3::text::"RejectionSeverity", $4, $5, $6, $6) RETURNING id"#,
        &[
            &input.code,
            &input.text,
            &input.severity.code(),
            &input.rework_required,
            &input.sort_order,
            &by,
        ],
    )
    .await
}

/// Changes a reason's text, severity, rework flag and sort order (never its code); false when no such
/// reason exists.
pub async fn update(tx: &Transaction<'_>, id: Uuid, input: &ReasonInput, by: Uuid) -> Result<bool> {
    let n = tx
        .exec(
            r#"UPDATE "QCRejectionReason"
                  SET "text" = $2, "severity" = $3::text::"RejectionSeverity", "reworkRequired" = $4,
                      "sortOrder" = $5, "updatedBy" = $6, "updatedAt" = timezone('UTC', now())
                WHERE id = $1"#,
            &[
                &id,
                &input.text,
                &input.severity.code(),
                &input.rework_required,
                &input.sort_order,
                &by,
            ],
        )
        .await?;
    Ok(n == 1)
}

/// Retires or reactivates a reason; false when it already is so (or does not exist).
pub async fn set_active(tx: &Transaction<'_>, id: Uuid, active: bool, by: Uuid) -> Result<bool> {
    let n = tx
        .exec(
            r#"UPDATE "QCRejectionReason"
                  SET "isActive" = $2, "updatedBy" = $3, "updatedAt" = timezone('UTC', now())
                WHERE id = $1 AND "isActive" <> $2"#,
            &[&id, &active, &by],
        )
        .await?;
    Ok(n == 1)
}

/// Records the reasons a result names; called in the submit's transaction while the result is still a
/// draft (docs/rejection-reasons.md §2.2). Any reasons an earlier attempt left are replaced.
pub async fn record(tx: &Transaction<'_>, result_id: Uuid, reason_ids: &[Uuid]) -> Result<()> {
    tx.exec(
        r#"DELETE FROM "QCResultRejection" WHERE "qcResultId" = $1"#,
        &[&result_id],
    )
    .await?;
    tx.exec(
        r#"INSERT INTO "QCResultRejection" ("qcResultId", "reasonId")
           SELECT $1, r FROM unnest($2::uuid[]) AS r"#,
        &[&result_id, &reason_ids],
    )
    .await?;
    Ok(())
}
