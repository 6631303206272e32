//! Submitted results: their headers, the content a signature covers, signature checks and summaries.

use crate::db::row::{RowExt, query_all, query_opt_map};
use crate::db::{Client, Transaction};
use crate::domain::checklist::FormType;
use crate::domain::qc::{
    QcResultStatus, QcResultSummary, SignedContent, SignedItem, item_code, signature_matches,
    signature_seal,
};
use crate::error::Result;
use chrono::NaiveDateTime;
use std::collections::HashMap;
use tokio_postgres::Row;
use uuid::Uuid;

use super::TemplateRef;

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

fn result_from_row(r: &Row) -> Result<ResultRow> {
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

pub async fn result(client: &impl Client, id: Uuid) -> Result<Option<ResultRow>> {
    query_opt_map(
        client,
        concat!("SELECT ", result_cols!(), " WHERE r.id = $1"),
        &[&id],
        result_from_row,
    )
    .await
}

/// Every result of a build, newest first.
pub async fn results_of(client: &impl Client, order_id: Uuid) -> Result<Vec<ResultRow>> {
    query_all(
        client,
        concat!(
            "SELECT ",
            result_cols!(),
            r#" WHERE r."orderId" = $1 ORDER BY r."timestamp" DESC NULLS LAST, r.id DESC"#
        ),
        &[&order_id],
        result_from_row,
    )
    .await
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

fn signed_item_from_row(r: &Row) -> Result<(Uuid, SignedItem)> {
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
fn by_result(rows: &[Row]) -> Result<HashMap<Uuid, Vec<SignedItem>>> {
    let mut out: HashMap<Uuid, Vec<SignedItem>> = HashMap::new();
    for r in rows {
        let (result, item) = signed_item_from_row(r)?;
        out.entry(result).or_default().push(item);
    }
    Ok(out)
}

/// The item rows of `result_ids` as the hash lists them, in one query.
async fn signed_items_of(
    client: &impl Client,
    result_ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<SignedItem>>> {
    let rows = client
        .fetch(
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
pub(super) async fn signed_items(client: &impl Client, result_id: Uuid) -> Result<Vec<SignedItem>> {
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
pub async fn signed_content(client: &impl Client, result: &ResultRow) -> Result<SignedContent> {
    let items = signed_items(client, result.id).await?;
    Ok(content_of(result, items))
}

/// Holds the items of every version of `form_name` against in-place change until the transaction ends,
/// so the code and wording a submit reads and signs are still the items' when it commits (an edit waits
/// and is then refused by the database, migration V17).
pub async fn hold_items(tx: &Transaction<'_>, form_name: &str) -> Result<()> {
    // Through the schema's function: a row lock needs a write privilege stations lack on templates.
    tx.exec("SELECT app_qc_hold_items($1)", &[&form_name])
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
    client: &impl Client,
    results: &[ResultRow],
) -> Result<Vec<SignatureCheck>> {
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
pub async fn verify_all_signatures(client: &impl Client) -> Result<Vec<SignatureCheck>> {
    let results = client
        .fetch(
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
        .fetch(
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
pub async fn verify(client: &impl Client, result: &ResultRow) -> Result<Option<bool>> {
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
    client: &impl Client,
    results: &[ResultRow],
) -> Result<Vec<QcResultSummary>> {
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
pub async fn summary(client: &impl Client, result: &ResultRow) -> Result<QcResultSummary> {
    Ok(summaries(client, std::slice::from_ref(result))
        .await?
        .pop()
        .unwrap_or_else(|| summary_of(result, None)))
}
