//! QC results: the items of a form, drafts and their answers, submitted results, the content a signature
//! covers, and the storeTo copies (`"QCResult"`, `"QCItemResult"`, `"QCChecklistItem"`).
//!
//! The use-cases and their role checks are in `service::qc`; these functions only read and write. The
//! database refuses any change to a submitted result (migration V14), so a bug here cannot rewrite one.

use crate::db::row::{RowExt, query_all, query_id};
use crate::db::{DbError, GenericClient, Transaction};
use crate::domain::checklist::FormType;
use crate::domain::order::OrderStatus;
use crate::domain::qc::{
    Answer, FormLine, LineAnswer, QcItemDef, QcResultStatus, QcResultSummary, SignedContent,
    SignedItem, item_code, signature_matches, signature_seal,
};
use chrono::NaiveDateTime;
use std::collections::HashMap;
use tokio_postgres::Row;
use uuid::Uuid;

/// The template's formName for each QC form (workflow.md section 4).
pub const PRE_QC_FORM: &str = "Pre-Production Check";
pub const FINAL_QC_FORM: &str = "Final Quality Check";

/// The form a build's status calls for, if it waits for QC.
pub fn form_for_status(status: OrderStatus) -> Option<(FormType, &'static str)> {
    match status {
        OrderStatus::ReadyForPreQc => Some((FormType::PreQc, PRE_QC_FORM)),
        OrderStatus::ReadyForFinalQc => Some((FormType::FinalQc, FINAL_QC_FORM)),
        _ => None,
    }
}

/// The status a build waits in for `qc_type`.
pub fn status_for_form(qc_type: FormType) -> Option<OrderStatus> {
    match qc_type {
        FormType::PreQc => Some(OrderStatus::ReadyForPreQc),
        FormType::FinalQc => Some(OrderStatus::ReadyForFinalQc),
        FormType::InProcess => None,
    }
}

/// A `"QCFormTemplate"` row as a result refers to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateRef {
    pub id: Uuid,
    pub name: String,
    pub version: i32,
}

pub async fn template_ref(
    client: &impl GenericClient,
    template_id: Uuid,
) -> Result<Option<TemplateRef>, DbError> {
    let row = client
        .query_opt(
            r#"SELECT id, "formName", "version" FROM "QCFormTemplate" WHERE id = $1"#,
            &[&template_id],
        )
        .await?;
    row.map(|r| {
        Ok(TemplateRef {
            id: r.col("id")?,
            name: r.col("formName")?,
            version: r.col("version")?,
        })
    })
    .transpose()
}

/// The `"QCChecklistItem"` columns (the table aliased `ci`) that [`item_def_from_row`] and the template
/// import read; the names are unique beside a joined task row's.
macro_rules! checklist_item_cols {
    () => {
        r#"ci.id AS "itemId", ci."section", ci."itemDescription", ci."checkType",
           COALESCE(ci."isBasinSpecific", false) AS "isBasinSpecific",
           COALESCE(ci."isRequired", true) AS "isRequired",
           COALESCE(ci."notesPrompt", false) AS "notesPrompt",
           ci."sequenceOrder" AS "itemSequence", ci."rules""#
    };
}
pub(crate) use checklist_item_cols;

/// Reads the [`checklist_item_cols!`] columns of `r` as a form uses the item.
pub(crate) fn item_def_from_row(r: &Row) -> Result<QcItemDef, DbError> {
    let rules: Option<serde_json::Value> = r.col("rules")?;
    Ok(QcItemDef::from_row(
        r.col("itemId")?,
        r.col("section")?,
        r.col("itemDescription")?,
        r.col("checkType")?,
        r.col("isBasinSpecific")?,
        r.col("isRequired")?,
        r.col("notesPrompt")?,
        r.col("itemSequence")?,
        rules.as_ref(),
    ))
}

/// The items of a template as QC forms use them, in `sequenceOrder`.
pub async fn items(
    client: &impl GenericClient,
    template_id: Uuid,
) -> Result<Vec<QcItemDef>, DbError> {
    query_all(
        client,
        concat!(
            "SELECT ",
            checklist_item_cols!(),
            r#" FROM "QCChecklistItem" ci WHERE ci."templateId" = $1 ORDER BY ci."sequenceOrder""#
        ),
        &[&template_id],
        item_def_from_row,
    )
    .await
}

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
    client: &impl GenericClient,
    order_id: Uuid,
    qc_type: FormType,
) -> Result<Option<OpenDraft>, DbError> {
    let row = client
        .query_opt(
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
pub async fn answers(
    client: &impl GenericClient,
    result_id: Uuid,
) -> Result<Vec<LineAnswer>, DbError> {
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
    client: &impl GenericClient,
    order_id: Uuid,
    before: Option<NaiveDateTime>,
) -> Result<bool, DbError> {
    let row = client
        .query_one(
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
pub async fn utc_now(client: &impl GenericClient) -> Result<NaiveDateTime, DbError> {
    let row = client
        .query_one(
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

/// Opens a draft (INCOMPLETE, no signature, D7). The partial unique index refuses a second open draft.
pub async fn insert_draft(tx: &Transaction<'_>, d: &NewDraft<'_>) -> Result<Uuid, DbError> {
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
pub async fn touch_draft(
    tx: &Transaction<'_>,
    id: Uuid,
    job_id: Option<&str>,
) -> Result<(), DbError> {
    tx.execute(
        r#"UPDATE "QCResult" SET "jobId" = $2, "timestamp" = date_trunc('second', now() AT TIME ZONE 'UTC')
            WHERE id = $1 AND "overallStatus" = 'INCOMPLETE'"#,
        &[&id, &job_id],
    )
    .await?;
    Ok(())
}

fn is_blank(a: &Answer) -> bool {
    a.value.is_none() && !a.is_na && a.notes.as_deref().is_none_or(|n| n.trim().is_empty())
}

/// Writes answers into a draft: one row per (item, basin), replaced when answered again; a blank answer
/// (no value, not N/A, no note) removes the line's row, so a cleared answer does not linger.
pub async fn upsert_answers(
    tx: &Transaction<'_>,
    result_id: Uuid,
    answers: &[LineAnswer],
) -> Result<(), DbError> {
    let upsert = tx
        .prepare(
            r#"INSERT INTO "QCItemResult" ("qcResultId", "checklistItemId", "basinIndex", "resultValue",
                                          "isNA", "notes")
               VALUES ($1, $2, $3, $4, $5, $6)
               ON CONFLICT ("qcResultId", "checklistItemId", "basinIndex")
               DO UPDATE SET "resultValue" = EXCLUDED."resultValue", "isNA" = EXCLUDED."isNA",
                             "notes" = EXCLUDED."notes"
               WHERE ("QCItemResult"."resultValue", "QCItemResult"."isNA", "QCItemResult"."notes")
                     IS DISTINCT FROM (EXCLUDED."resultValue", EXCLUDED."isNA", EXCLUDED."notes")"#,
        )
        .await?;
    let remove = tx
        .prepare(
            r#"DELETE FROM "QCItemResult"
                WHERE "qcResultId" = $1 AND "checklistItemId" = $2
                  AND "basinIndex" IS NOT DISTINCT FROM $3"#,
        )
        .await?;
    for a in answers {
        if is_blank(&a.answer) {
            tx.execute(&remove, &[&result_id, &a.item_id, &a.basin_index])
                .await?;
        } else {
            tx.execute(
                &upsert,
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
) -> Result<u64, DbError> {
    let mut keep_items = Vec::with_capacity(lines.len());
    let mut keep_basins = Vec::with_capacity(lines.len());
    for line in lines {
        if let Some(item) = items.get(line.item) {
            keep_items.push(item.id);
            keep_basins.push(line.basin_index.unwrap_or(0));
        }
    }
    Ok(tx
        .execute(
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
pub async fn delete_draft(tx: &Transaction<'_>, id: Uuid) -> Result<bool, DbError> {
    let n = tx
        .execute(
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
) -> Result<(), DbError> {
    tx.execute(
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
) -> Result<bool, DbError> {
    let n = tx
        .execute(
            r#"UPDATE "QCResult" SET "overallStatus" = $2, "digitalSignature" = $3
                WHERE id = $1 AND "overallStatus" = 'INCOMPLETE'"#,
            &[&id, &status, &signature],
        )
        .await?;
    Ok(n == 1)
}

/// The `BasinConfiguration` columns a checklist item may copy its answer to (checklists.toml storeTo).
fn store_to_column(store_to: &str) -> Option<&'static str> {
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
) -> Result<(), DbError> {
    let column = store_to_column(target)
        .ok_or_else(|| DbError::Query(format!("unknown storeTo target {target}")))?;
    // The column name comes from the fixed list above, never from input.
    let sql = format!(
        r#"UPDATE "BasinConfiguration" SET {column} = $3 WHERE "orderId" = $1 AND "basinIndex" = $2"#
    );
    tx.execute(&sql, &[&order_id, &basin_index, &value]).await?;
    Ok(())
}

/// A result's header as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultRow {
    pub id: Uuid,
    pub order_id: Uuid,
    pub build_number: String,
    pub template: TemplateRef,
    pub qc_type: FormType,
    pub performed_by: Uuid,
    pub performer_name: String,
    pub job_id: Option<String>,
    pub number_of_basins: Option<i32>,
    pub status: QcResultStatus,
    pub signature: String,
    pub at: Option<NaiveDateTime>,
    pub notes: Option<String>,
}

macro_rules! result_cols {
    () => {
        r#"r.id, r."orderId", r."buildNumber", t.id AS "templateId", t."formName", t."version", r."qcTypePerformed",
           r."performedBy", COALESCE(u."fullName", '') AS "performerName", r."jobId", r."numberOfBasins", r."overallStatus",
           r."digitalSignature", r."timestamp", r."notes"
           FROM "QCResult" r
           JOIN "QCFormTemplate" t ON t.id = r."templateId"
           LEFT JOIN "User" u ON u.id = r."performedBy""#
    };
}

fn result_from_row(r: &Row) -> Result<ResultRow, DbError> {
    Ok(ResultRow {
        id: r.col("id")?,
        order_id: r.col("orderId")?,
        build_number: r.col("buildNumber")?,
        template: TemplateRef {
            id: r.col("templateId")?,
            name: r.col("formName")?,
            version: r.col("version")?,
        },
        qc_type: r.col("qcTypePerformed")?,
        performed_by: r.col("performedBy")?,
        performer_name: r.col("performerName")?,
        job_id: r.col("jobId")?,
        number_of_basins: r.col("numberOfBasins")?,
        status: r.col("overallStatus")?,
        signature: r.col("digitalSignature")?,
        at: r.col("timestamp")?,
        notes: r.col("notes")?,
    })
}

pub async fn result(client: &impl GenericClient, id: Uuid) -> Result<Option<ResultRow>, DbError> {
    let row = client
        .query_opt(
            concat!("SELECT ", result_cols!(), " WHERE r.id = $1"),
            &[&id],
        )
        .await?;
    row.as_ref().map(result_from_row).transpose()
}

/// Every result of a build, newest first.
pub async fn results_of(
    client: &impl GenericClient,
    order_id: Uuid,
) -> Result<Vec<ResultRow>, DbError> {
    let rows = client
        .query(
            concat!(
                "SELECT ",
                result_cols!(),
                r#" WHERE r."orderId" = $1 ORDER BY r."timestamp" DESC NULLS LAST, r.id DESC"#
            ),
            &[&order_id],
        )
        .await?;
    rows.iter().map(result_from_row).collect()
}

/// The columns [`signed_item_from_row`] reads, after the result id; `r` is the item row, `i` its item.
macro_rules! signed_item_cols {
    () => {
        r#"r."qcResultId", r."checklistItemId", i."sequenceOrder", i."rules", i."itemDescription",
           r."basinIndex", r."resultValue", COALESCE(r."isNA", false) AS "isNA", r."notes"
           FROM "QCItemResult" r JOIN "QCChecklistItem" i ON i.id = r."checklistItemId""#
    };
}

/// The order the hash lists items in, per result; the item id settles ties so rows always come back alike.
macro_rules! signed_item_order {
    () => {
        r#" ORDER BY r."qcResultId", i."sequenceOrder", r."basinIndex" NULLS FIRST, r."checklistItemId""#
    };
}

fn signed_item_from_row(r: &Row) -> Result<(Uuid, SignedItem), DbError> {
    let rules: Option<serde_json::Value> = r.col("rules")?;
    let item = SignedItem {
        checklist_item_id: r.col("checklistItemId")?,
        sequence: r.col("sequenceOrder")?,
        // Read as the form reads it, so the code signed is the code shown.
        code: item_code(rules.as_ref()),
        text: r.col("itemDescription")?,
        basin_index: r.col("basinIndex")?,
        result_value: r.col("resultValue")?,
        is_na: r.col("isNA")?,
        notes: r.col("notes")?,
    };
    Ok((r.col("qcResultId")?, item))
}

/// Groups item rows by their result, keeping the rows' order.
fn by_result(rows: &[Row]) -> Result<HashMap<Uuid, Vec<SignedItem>>, DbError> {
    let mut out: HashMap<Uuid, Vec<SignedItem>> = HashMap::new();
    for r in rows {
        let (result, item) = signed_item_from_row(r)?;
        out.entry(result).or_default().push(item);
    }
    Ok(out)
}

/// The item rows of `result_ids` as the hash lists them, in one query.
async fn signed_items_of(
    client: &impl GenericClient,
    result_ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<SignedItem>>, DbError> {
    let rows = client
        .query(
            concat!(
                "SELECT ",
                signed_item_cols!(),
                r#" WHERE r."qcResultId" = ANY($1)"#,
                signed_item_order!()
            ),
            &[&result_ids],
        )
        .await?;
    by_result(&rows)
}

/// A result's item rows as the hash lists them: by (sequenceOrder, basinIndex).
async fn signed_items(
    client: &impl GenericClient,
    result_id: Uuid,
) -> Result<Vec<SignedItem>, DbError> {
    Ok(signed_items_of(client, &[result_id])
        .await?
        .remove(&result_id)
        .unwrap_or_default())
}

/// What a signature covers: the result's header and its item rows.
fn content_of(result: &ResultRow, items: Vec<SignedItem>) -> SignedContent {
    SignedContent {
        order_id: result.order_id,
        build_number: result.build_number.clone(),
        template_id: result.template.id,
        template_version: result.template.version,
        qc_type: result.qc_type,
        overall_status: result.status,
        job_id: result.job_id.clone().unwrap_or_default(),
        number_of_basins: result.number_of_basins.unwrap_or_default(),
        notes: result.notes.clone(),
        signed_at: result.at.unwrap_or_default(),
        signer_id: result.performed_by,
        items,
    }
}

/// Everything the signature of `result` covers, read from the stored rows. Signing and verification
/// both build it from the same rows ([`content_of`]), so they cannot disagree about what is covered.
pub async fn signed_content(
    client: &impl GenericClient,
    result: &ResultRow,
) -> Result<SignedContent, DbError> {
    let items = signed_items(client, result.id).await?;
    Ok(content_of(result, items))
}

/// Holds the items of every version of `form_name` against in-place change until the transaction ends,
/// so the code and wording a submit reads and signs are still the items' when it commits (an edit waits
/// and is then refused by the database, migration V17).
pub async fn hold_items(tx: &Transaction<'_>, form_name: &str) -> Result<(), DbError> {
    // Through the schema's function: a row lock needs a write privilege stations lack on templates.
    tx.execute("SELECT app_qc_hold_items($1)", &[&form_name])
        .await?;
    Ok(())
}

/// The outcome of checking one submitted result's signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureCheck {
    pub result_id: Uuid,
    pub order_id: Uuid,
    pub build_number: String,
    pub qc_type: FormType,
    pub status: QcResultStatus,
    pub signed_at: Option<NaiveDateTime>,
    /// The format the signature text names (1 when it carries no marker); 0 when the text names none
    /// that can be read.
    pub format_version: u32,
    /// Whether the hash recomputed by that format's rules equals the one the text carries; never for a
    /// format this build does not know.
    pub verified: bool,
}

/// The one verification: `result`'s signature against the content read from `items`.
fn check(result: &ResultRow, items: Vec<SignedItem>) -> SignatureCheck {
    let content = content_of(result, items);
    SignatureCheck {
        result_id: result.id,
        order_id: result.order_id,
        build_number: result.build_number.clone(),
        qc_type: result.qc_type,
        status: result.status,
        signed_at: result.at,
        format_version: signature_seal(&result.signature).map_or(0, |(version, _)| version),
        verified: signature_matches(&result.signature, &content),
    }
}

/// Checks the signatures of the submitted results among `results` (drafts are left out), reading their
/// item rows in one query.
pub async fn check_signatures(
    client: &impl GenericClient,
    results: &[ResultRow],
) -> Result<Vec<SignatureCheck>, DbError> {
    let signed: Vec<&ResultRow> = results
        .iter()
        .filter(|r| r.status != QcResultStatus::Incomplete)
        .collect();
    if signed.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<Uuid> = signed.iter().map(|r| r.id).collect();
    let mut items = signed_items_of(client, &ids).await?;
    Ok(signed
        .into_iter()
        .map(|r| check(r, items.remove(&r.id).unwrap_or_default()))
        .collect())
}

/// Checks every signature in the database (for `audit verify`): every submitted result, oldest first,
/// in two queries whatever the number of results.
pub async fn verify_all_signatures(
    client: &impl GenericClient,
) -> Result<Vec<SignatureCheck>, DbError> {
    let results = client
        .query(
            concat!(
                "SELECT ",
                result_cols!(),
                r#" WHERE r."overallStatus" <> 'INCOMPLETE' ORDER BY r."timestamp", r.id"#
            ),
            &[],
        )
        .await?
        .iter()
        .map(result_from_row)
        .collect::<Result<Vec<_>, _>>()?;
    let rows = client
        .query(
            concat!(
                "SELECT ",
                signed_item_cols!(),
                r#" JOIN "QCResult" q ON q.id = r."qcResultId" WHERE q."overallStatus" <> 'INCOMPLETE'"#,
                signed_item_order!()
            ),
            &[],
        )
        .await?;
    let mut items = by_result(&rows)?;
    Ok(results
        .iter()
        .map(|r| check(r, items.remove(&r.id).unwrap_or_default()))
        .collect())
}

/// Whether a submitted result's signature still matches its stored content; `None` for a draft.
pub async fn verify(
    client: &impl GenericClient,
    result: &ResultRow,
) -> Result<Option<bool>, DbError> {
    if result.status == QcResultStatus::Incomplete {
        return Ok(None);
    }
    Ok(check_signatures(client, std::slice::from_ref(result))
        .await?
        .pop()
        .map(|c| c.verified))
}

fn summary_of(result: &ResultRow, verified: Option<bool>) -> QcResultSummary {
    QcResultSummary {
        id: result.id,
        qc_type: result.qc_type,
        template_name: result.template.name.clone(),
        template_version: result.template.version,
        status: result.status,
        performed_by: result.performer_name.clone(),
        at: result.at,
        job_id: result.job_id.clone(),
        notes: result.notes.clone(),
        signature: result.signature.clone(),
        verified,
    }
}

/// Results as the history lists them, in the order given, each with its signature checked.
pub async fn summaries(
    client: &impl GenericClient,
    results: &[ResultRow],
) -> Result<Vec<QcResultSummary>, DbError> {
    let verified: HashMap<Uuid, bool> = check_signatures(client, results)
        .await?
        .into_iter()
        .map(|c| (c.result_id, c.verified))
        .collect();
    Ok(results
        .iter()
        .map(|r| summary_of(r, verified.get(&r.id).copied()))
        .collect())
}

/// A result as the history lists it, with its signature checked.
pub async fn summary(
    client: &impl GenericClient,
    result: &ResultRow,
) -> Result<QcResultSummary, DbError> {
    Ok(summaries(client, std::slice::from_ref(result))
        .await?
        .pop()
        .unwrap_or_else(|| summary_of(result, None)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_follow_the_status() {
        assert_eq!(
            form_for_status(OrderStatus::ReadyForPreQc),
            Some((FormType::PreQc, PRE_QC_FORM))
        );
        assert_eq!(
            form_for_status(OrderStatus::ReadyForFinalQc),
            Some((FormType::FinalQc, FINAL_QC_FORM))
        );
        for &s in OrderStatus::ALL {
            if let Some((t, _)) = form_for_status(s) {
                assert_eq!(status_for_form(t), Some(s));
            }
        }
        assert_eq!(form_for_status(OrderStatus::ReadyForProduction), None);
        assert_eq!(status_for_form(FormType::InProcess), None);
    }

    #[test]
    fn only_known_store_to_targets_map_to_columns() {
        assert_eq!(
            store_to_column("BasinConfiguration.drainLocation"),
            Some(r#""drainLocation""#)
        );
        assert_eq!(
            store_to_column("BasinConfiguration.faucetLocation"),
            Some(r#""faucetLocation""#)
        );
        assert_eq!(store_to_column("BasinConfiguration.id"), None);
        assert_eq!(store_to_column(r#"x"; DROP TABLE "User"; --"#), None);
    }

    #[test]
    fn a_blank_answer_is_one_with_nothing_in_it() {
        assert!(is_blank(&Answer::default()));
        assert!(is_blank(&Answer {
            notes: Some("  ".into()),
            ..Answer::default()
        }));
        assert!(!is_blank(&Answer {
            is_na: true,
            ..Answer::default()
        }));
        assert!(!is_blank(&Answer {
            notes: Some("dent".into()),
            ..Answer::default()
        }));
    }
}
