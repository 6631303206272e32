//! A form being filled in: the open draft and its answers, signing it, and the storeTo copies.

use crate::db::row::{RowExt, query_id};
use crate::db::{Client, Transaction};
use crate::domain::checklist::FormType;
use crate::domain::qc::{Answer, FormLine, LineAnswer, QcItemDef, QcResultStatus};
use crate::error::{Result, ServiceError};
use chrono::NaiveDateTime;
use uuid::Uuid;

use super::results::signed_items;

/// The open draft of a build's form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenDraft {
    pub id: Uuid,
    pub template_id: Uuid,
    pub performed_by: Uuid,
    pub performer_name: String,
    pub job_id: Option<String>,
}

/// The INCOMPLETE result of (build, form type), if one is open.
pub async fn open_draft(
    client: &impl Client,
    order_id: Uuid,
    qc_type: FormType,
) -> Result<Option<OpenDraft>> {
    let row = client
        .fetch_opt(
            r#"SELECT r.id, r."templateId", r."performedBy", COALESCE(u."fullName", '') AS "performerName", r."jobId"
                 FROM "QCResult" r LEFT JOIN "User" u ON u.id = r."performedBy"
                WHERE r."orderId" = $1 AND r."qcTypePerformed" = $2
                  AND r."overallStatus" = 'INCOMPLETE'"#,
            &[&order_id, &qc_type],
        )
        .await?;
    row.map(|r| {
        Ok(OpenDraft {
            id: r.col("id")?,
            template_id: r.col("templateId")?,
            performed_by: r.col("performedBy")?,
            performer_name: r.col("performerName")?,
            job_id: r.col("jobId")?,
        })
    })
    .transpose()
}

/// The stored answers of a result, in display order (item sequence, basin).
pub async fn answers(client: &impl Client, result_id: Uuid) -> Result<Vec<LineAnswer>> {
    Ok(signed_items(client, result_id)
        .await?
        .into_iter()
        .map(|i| LineAnswer {
            item_id: i.checklist_item_id,
            basin_index: i.basin_index,
            answer: Answer {
                value: i.result_value,
                is_na: i.is_na,
                notes: i.notes,
            },
        })
        .collect())
}

/// Final QC's FIRST PASS: no FAIL Final QC result of the build before `before` (all of them when `None`).
pub async fn first_pass(
    client: &impl Client,
    order_id: Uuid,
    before: Option<NaiveDateTime>,
) -> Result<bool> {
    let row = client
        .fetch_one(
            r#"SELECT NOT EXISTS (
                   SELECT 1 FROM "QCResult"
                    WHERE "orderId" = $1 AND "qcTypePerformed" = 'FINAL_QC' AND "overallStatus" = 'FAIL'
                      AND ($2::timestamp IS NULL OR "timestamp" < $2)) AS "noFailure""#,
            &[&order_id, &before],
        )
        .await?;
    row.col("noFailure")
}

/// The database's clock in UTC, to the second: a signature shows seconds, and the hash must be
/// recomputable from the stored timestamp.
pub async fn utc_now(client: &impl Client) -> Result<NaiveDateTime> {
    let row = client
        .fetch_one(
            r#"SELECT date_trunc('second', now() AT TIME ZONE 'UTC') AS "now""#,
            &[],
        )
        .await?;
    row.col("now")
}

/// A new draft's header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewDraft<'a> {
    pub order_id: Uuid,
    pub build_number: &'a str,
    pub template_id: Uuid,
    pub qc_type: FormType,
    pub performed_by: Uuid,
    pub job_id: Option<&'a str>,
    pub number_of_basins: i32,
}

/// Opens a draft (INCOMPLETE, no signature; docs/qc.md §3). The partial unique index refuses a second
/// open draft.
pub async fn insert_draft(tx: &Transaction<'_>, d: &NewDraft<'_>) -> Result<Uuid> {
    query_id(
        tx,
        r#"INSERT INTO "QCResult" (id, "orderId", "buildNumber", "templateId", "qcTypePerformed",
                                      "performedBy", "jobId", "numberOfBasins", "overallStatus",
                                      "digitalSignature", "timestamp")
               VALUES ($8, $1, $2, $3, $4, $5, $6, $7, 'INCOMPLETE', '',
                       date_trunc('second', now() AT TIME ZONE 'UTC'))
               RETURNING id"#,
        &[
            &d.order_id,
            &d.build_number,
            &d.template_id,
            &d.qc_type,
            &d.performed_by,
            &d.job_id,
            &d.number_of_basins,
            // Time-ordered, so results signed within the same second still list in the order made.
            &Uuid::now_v7(),
        ],
    )
    .await
}

/// Updates a draft's job id and last-saved time.
pub async fn touch_draft(tx: &Transaction<'_>, id: Uuid, job_id: Option<&str>) -> Result<()> {
    tx.exec(
        r#"UPDATE "QCResult" SET "jobId" = $2, "timestamp" = date_trunc('second', now() AT TIME ZONE 'UTC')
            WHERE id = $1 AND "overallStatus" = 'INCOMPLETE'"#,
        &[&id, &job_id],
    )
    .await?;
    Ok(())
}

pub(super) fn is_blank(a: &Answer) -> bool {
    a.value.is_none() && !a.is_na && a.notes.as_deref().is_none_or(|n| n.trim().is_empty())
}

/// Writes answers into a draft: one row per (item, basin), replaced when answered again; a blank answer
/// (no value, not N/A, no note) removes the line's row, so a cleared answer does not linger.
pub async fn upsert_answers(
    tx: &Transaction<'_>,
    result_id: Uuid,
    answers: &[LineAnswer],
) -> Result<()> {
    let upsert = r#"INSERT INTO "QCItemResult" ("qcResultId", "checklistItemId", "basinIndex", "resultValue",
                                          "isNA", "notes")
               VALUES ($1, $2, $3, $4, $5, $6)
               ON CONFLICT ("qcResultId", "checklistItemId", "basinIndex")
               DO UPDATE SET "resultValue" = EXCLUDED."resultValue", "isNA" = EXCLUDED."isNA",
                             "notes" = EXCLUDED."notes"
               WHERE ("QCItemResult"."resultValue", "QCItemResult"."isNA", "QCItemResult"."notes")
                     IS DISTINCT FROM (EXCLUDED."resultValue", EXCLUDED."isNA", EXCLUDED."notes")"#;
    let remove = r#"DELETE FROM "QCItemResult"
                WHERE "qcResultId" = $1 AND "checklistItemId" = $2
                  AND "basinIndex" IS NOT DISTINCT FROM $3"#;
    for a in answers {
        if is_blank(&a.answer) {
            tx.exec(remove, &[&result_id, &a.item_id, &a.basin_index])
                .await?;
        } else {
            tx.exec(
                upsert,
                &[
                    &result_id,
                    &a.item_id,
                    &a.basin_index,
                    &a.answer.value,
                    &a.answer.is_na,
                    &a.answer.notes,
                ],
            )
            .await?;
        }
    }
    Ok(())
}

/// Removes a draft's rows for lines that are not on its form (a result stores only applicable lines).
pub async fn remove_answers_off_form(
    tx: &Transaction<'_>,
    result_id: Uuid,
    items: &[QcItemDef],
    lines: &[FormLine],
) -> Result<u64> {
    let mut keep_items = Vec::with_capacity(lines.len());
    let mut keep_basins = Vec::with_capacity(lines.len());
    for line in lines {
        if let Some(item) = items.get(line.item) {
            keep_items.push(item.id);
            keep_basins.push(line.basin_index.unwrap_or(0));
        }
    }
    Ok(tx
        .exec(
            r#"DELETE FROM "QCItemResult" r
                WHERE r."qcResultId" = $1
                  AND NOT EXISTS (
                      SELECT 1 FROM unnest($2::uuid[], $3::int[]) AS k(item, basin)
                       WHERE k.item = r."checklistItemId" AND k.basin = COALESCE(r."basinIndex", 0))"#,
            &[&result_id, &keep_items, &keep_basins],
        )
        .await?)
}

/// Discards a draft and its answers.
pub async fn delete_draft(tx: &Transaction<'_>, id: Uuid) -> Result<bool> {
    let n = tx
        .exec(
            r#"DELETE FROM "QCResult" WHERE id = $1 AND "overallStatus" = 'INCOMPLETE'"#,
            &[&id],
        )
        .await?;
    Ok(n == 1)
}

/// The header fields fixed at signing, written while the result is still a draft.
pub async fn prepare_signing(
    tx: &Transaction<'_>,
    id: Uuid,
    job_id: &str,
    number_of_basins: i32,
    notes: Option<&str>,
    signed_at: NaiveDateTime,
) -> Result<()> {
    tx.exec(
        r#"UPDATE "QCResult" SET "jobId" = $2, "numberOfBasins" = $3, "notes" = $4, "timestamp" = $5
            WHERE id = $1 AND "overallStatus" = 'INCOMPLETE'"#,
        &[&id, &job_id, &number_of_basins, &notes, &signed_at],
    )
    .await?;
    Ok(())
}

/// The submit itself: INCOMPLETE -> PASS/FAIL with the signature. `false` when the draft was already
/// submitted or discarded by another station.
pub async fn sign(
    tx: &Transaction<'_>,
    id: Uuid,
    status: QcResultStatus,
    signature: &str,
) -> Result<bool> {
    let n = tx
        .exec(
            r#"UPDATE "QCResult" SET "overallStatus" = $2, "digitalSignature" = $3
                WHERE id = $1 AND "overallStatus" = 'INCOMPLETE'"#,
            &[&id, &status, &signature],
        )
        .await?;
    Ok(n == 1)
}

/// The `BasinConfiguration` columns a checklist item may copy its answer to (storeTo,
/// docs/checklists.md §3.1).
pub(super) fn store_to_column(store_to: &str) -> Option<&'static str> {
    match store_to {
        "BasinConfiguration.drainLocation" => Some(r#""drainLocation""#),
        "BasinConfiguration.faucetLocation" => Some(r#""faucetLocation""#),
        _ => None,
    }
}

/// Copies an answer to the build's basin (storeTo). An unknown target is a template error, refused so
/// that the result is never signed with a copy silently missing.
pub async fn store_to(
    tx: &Transaction<'_>,
    order_id: Uuid,
    basin_index: i32,
    target: &str,
    value: Option<&str>,
) -> Result<()> {
    let column = store_to_column(target)
        .ok_or_else(|| ServiceError::Query(format!("unknown storeTo target {target}")))?;
    // The column name comes from the fixed list above, never from input.
    let sql = format!(
        r#"UPDATE "BasinConfiguration" SET {column} = $3 WHERE "orderId" = $1 AND "basinIndex" = $2"#
    );
    tx.exec(&sql, &[&order_id, &basin_index, &value]).await?;
    Ok(())
}
