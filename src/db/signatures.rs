//! Electronic signatures (docs/signatures.md): storing one, reading a build's, and checking each against
//! the record it signs as that record is stored now.
//!
//! A signed record's content is read by one query per record type, naming its columns explicitly: a
//! column added to a table later must not change what an earlier signature covered.

use crate::db::row::{RowExt, query_all};
use crate::db::{Client, Transaction, qc as db_qc};
use crate::domain::qc::signature_hash;
use crate::domain::signature::{
    self, Meaning, SignatureCheck, SignatureRecord, SignedRecord, SigningFacts,
};
use crate::error::{Result, ServiceError};
use chrono::NaiveDateTime;
use serde_json::Value;
use std::collections::HashMap;
use tokio_postgres::Row;
use uuid::Uuid;

/// The content query of each record type: one row with a `content` JSONB column, or none when the
/// record is gone. `$1` is the record's id.
fn content_sql(record: SignedRecord) -> Option<&'static str> {
    Some(match record {
        SignedRecord::BillOfMaterials(_) => {
            r#"SELECT jsonb_build_object(
                   'id', b.id, 'orderId', b."orderId", 'version', b."version",
                   'generatedAt', b."generatedAt", 'generatedBy', b."generatedBy",
                   'items', COALESCE((
                       SELECT jsonb_agg(jsonb_build_object(
                                  'id', i.id, 'itemType', i."itemType", 'itemId', i."itemId",
                                  'parentItemId', i."parentItemId", 'quantity', i."quantity"::text,
                                  'level', i."level", 'sequenceOrder', i."sequenceOrder", 'notes', i."notes",
                                  'isCustomPart', i."isCustomPart", 'customPartSpec', i."customPartSpec")
                              ORDER BY i.id)
                         FROM "BOMItem" i WHERE i."bomId" = b.id), '[]'::jsonb)) AS "content"
                 FROM "BillOfMaterials" b WHERE b.id = $1"#
        }
        SignedRecord::TestingForm(_) => {
            r#"SELECT jsonb_build_object(
                   'id', f.id, 'orderId', f."orderId", 'performedBy', f."performedBy",
                   'overallStatus', f."overallStatus", 'timestamp', f."timestamp", 'notes', f."notes",
                   'results', COALESCE((
                       SELECT jsonb_agg(jsonb_build_object(
                                  'id', r.id, 'testName', r."testName", 'testType', r."testType",
                                  'result', r."result", 'measurements', r."measurements", 'notes', r."notes",
                                  'sequenceOrder', r."sequenceOrder")
                              ORDER BY r."sequenceOrder", r.id)
                         FROM "TestResult" r WHERE r."testingFormId" = f.id), '[]'::jsonb)) AS "content"
                 FROM "TestingForm" f WHERE f.id = $1"#
        }
        SignedRecord::PackagingChecklist(_) => {
            r#"SELECT jsonb_build_object(
                   'id', c.id, 'orderId', c."orderId", 'performedBy', c."performedBy",
                   'isCompleted', c."isCompleted", 'completedAt', c."completedAt", 'notes', c."notes",
                   'items', COALESCE((
                       SELECT jsonb_agg(jsonb_build_object(
                                  'id', i.id, 'itemType', i."itemType", 'itemId', i."itemId",
                                  'requiredQuantity', i."requiredQuantity", 'packedQuantity', i."packedQuantity",
                                  'isComplete', i."isComplete", 'notes', i."notes")
                              ORDER BY i.id)
                         FROM "PackagingItem" i WHERE i."packagingChecklistId" = c.id), '[]'::jsonb)) AS "content"
                 FROM "PackagingChecklist" c WHERE c.id = $1"#
        }
        SignedRecord::StatusHistory(_) => {
            r#"SELECT jsonb_build_object(
                   'id', h.id, 'orderId', h."orderId", 'userId', h."userId", 'action', h."action",
                   'oldStatus', h."oldStatus", 'newStatus', h."newStatus", 'notes', h."notes",
                   'timestamp', h."timestamp") AS "content"
                 FROM "OrderStatusHistory" h WHERE h.id = $1"#
        }
        // The columns that never change once a disposition is written (docs/signatures.md §3); the
        // status and the closure move on after signing.
        SignedRecord::Nonconformance(_) => {
            r#"SELECT jsonb_build_object(
                   'id', n.id, 'ncNumber', n."ncNumber", 'orderId', n."orderId", 'source', n."source",
                   'sourceId', n."sourceId", 'description', n."description", 'items', n."items",
                   'raisedBy', n."raisedBy", 'raisedAt', n."raisedAt", 'disposition', n."disposition",
                   'dispositionNote', n."dispositionNote") AS "content"
                 FROM "Nonconformance" n WHERE n.id = $1"#
        }
        // A QC result is covered by its own signature format (docs/qc.md §6).
        SignedRecord::QcResult(_) => return None,
    })
}

/// The canonical content of `record` as stored now; `None` when it is gone.
pub async fn record_content(client: &impl Client, record: SignedRecord) -> Result<Option<Value>> {
    let Some(sql) = content_sql(record) else {
        return Err(ServiceError::Query(format!(
            "{} records are not signed through this path",
            record.record_type()
        )));
    };
    crate::db::row::query_opt_col(client, sql, &[&record.id()], "content").await
}

/// Signs `record`, already written in `tx`: reads its content inside the same transaction, hashes it
/// with the signing facts and stores the signature. The caller has re-checked the signer's password.
pub async fn insert(tx: &Transaction<'_>, facts: &SigningFacts<'_>) -> Result<SignatureRecord> {
    let content = record_content(tx, facts.record).await?.ok_or_else(|| {
        ServiceError::Query(format!("the {} to sign is gone", facts.record.label()))
    })?;
    let hash = signature::content_hash(facts, &content);
    store(tx, facts, &hash, None).await
}

/// A QC result's signature row: the hash and text its own signature format wrote (docs/qc.md §6).
pub async fn insert_qc(
    tx: &Transaction<'_>,
    facts: &SigningFacts<'_>,
    qc_signature: &str,
) -> Result<SignatureRecord> {
    let hash = signature_hash(qc_signature)
        .ok_or_else(|| ServiceError::Query("the QC signature carries no hash".into()))?
        .to_string();
    store(tx, facts, &hash, Some(qc_signature)).await
}

async fn store(
    tx: &Transaction<'_>,
    facts: &SigningFacts<'_>,
    hash: &str,
    manifestation: Option<&str>,
) -> Result<SignatureRecord> {
    let manifestation = manifestation.map_or_else(
        || signature::manifestation(facts.printed_name, facts.meaning, facts.signed_at, hash),
        str::to_string,
    );
    let row = tx
        .fetch_one(
            concat!(
                r#"INSERT INTO "ElectronicSignature" ("orderId", "meaning", "recordType", "recordId",
                       "signerId", "printedName", "signedAt", "reason", "contentSha256", "manifestation",
                       "formatVersion")
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                   RETURNING "#,
                signature_cols!()
            ),
            &[
                &facts.order_id,
                &facts.meaning.code(),
                &facts.record.record_type(),
                &facts.record.id(),
                &facts.signer_id,
                &facts.printed_name,
                &facts.signed_at,
                &facts.reason,
                &hash,
                &manifestation,
                &signature::FORMAT_VERSION,
            ],
        )
        .await?;
    from_row(&row)
}

macro_rules! signature_cols {
    () => {
        r#"id, "orderId", "meaning", "recordType", "recordId", "signerId", "printedName", "signedAt",
           "reason", "contentSha256", "manifestation""#
    };
}
use signature_cols;

fn from_row(r: &Row) -> Result<SignatureRecord> {
    let meaning: String = r.col("meaning")?;
    let record_type: String = r.col("recordType")?;
    let record_id: Uuid = r.col("recordId")?;
    let unknown = |what: &str| ServiceError::Query(format!("unknown signature {what}"));
    let hash: String = r.col("contentSha256")?;
    Ok(SignatureRecord {
        id: r.col("id")?,
        order_id: r.col("orderId")?,
        meaning: Meaning::from_code(&meaning).ok_or_else(|| unknown("meaning"))?,
        record: SignedRecord::from_parts(&record_type, record_id)
            .ok_or_else(|| unknown("record type"))?,
        signer_id: r.col("signerId")?,
        printed_name: r.col("printedName")?,
        signed_at: r.col::<NaiveDateTime>("signedAt")?,
        reason: r.col("reason")?,
        content_sha256: hash.trim().to_string(),
        manifestation: r.col("manifestation")?,
    })
}

/// Every signature of a build, oldest first.
pub async fn of_order(client: &impl Client, order_id: Uuid) -> Result<Vec<SignatureRecord>> {
    query_all(
        client,
        concat!(
            "SELECT ",
            signature_cols!(),
            r#" FROM "ElectronicSignature" WHERE "orderId" = $1 ORDER BY "signedAt", id"#
        ),
        &[&order_id],
        from_row,
    )
    .await
}

/// The signatures on one record, oldest first.
pub async fn of_record(client: &impl Client, record: SignedRecord) -> Result<Vec<SignatureRecord>> {
    query_all(
        client,
        concat!(
            "SELECT ",
            signature_cols!(),
            r#" FROM "ElectronicSignature" WHERE "recordType" = $1 AND "recordId" = $2
                ORDER BY "signedAt", id"#
        ),
        &[&record.record_type(), &record.id()],
        from_row,
    )
    .await
}

/// Checks every signature of a build against its record as stored now, oldest first.
pub async fn verify_order(client: &impl Client, order_id: Uuid) -> Result<Vec<SignatureCheck>> {
    let signatures = of_order(client, order_id).await?;
    // QC results are checked by their own format, all in two queries.
    let qc_results = db_qc::results_of(client, order_id).await?;
    let qc_checks: HashMap<Uuid, bool> = db_qc::check_signatures(client, &qc_results)
        .await?
        .into_iter()
        .map(|c| (c.result_id, c.verified))
        .collect();
    let qc_texts: HashMap<Uuid, &str> = qc_results
        .iter()
        .map(|r| (r.id, r.signature.as_str()))
        .collect();
    let mut checks = Vec::with_capacity(signatures.len());
    for sig in signatures {
        let outcome = match sig.record {
            SignedRecord::QcResult(id) => {
                check_qc(&sig, qc_texts.get(&id).copied(), qc_checks.get(&id))
            }
            record => {
                let content = record_content(client, record).await?;
                signature::check(&sig, content.as_ref())
            }
        };
        checks.push(SignatureCheck {
            verified: outcome.is_ok(),
            problem: outcome.err(),
            signature: sig,
        });
    }
    Ok(checks)
}

/// Checks every signature in the database, build by build (`audit verify`, docs/audit.md): each build's
/// number with its signatures' checks, oldest first.
pub async fn verify_all(client: &impl Client) -> Result<Vec<(String, Vec<SignatureCheck>)>> {
    let builds: Vec<(Uuid, String)> = query_all(
        client,
        r#"SELECT o.id, o."buildNumber" FROM "ProductionOrder" o
            WHERE EXISTS (SELECT 1 FROM "ElectronicSignature" s WHERE s."orderId" = o.id)
            ORDER BY o."buildNumber", o.id"#,
        &[],
        |r| Ok((r.col("id")?, r.col("buildNumber")?)),
    )
    .await?;
    let mut all = Vec::with_capacity(builds.len());
    for (id, build) in builds {
        all.push((build, verify_order(client, id).await?));
    }
    Ok(all)
}

/// A QC result's signature row agrees with the result when the result's own signature verifies and
/// carries the same hash and text.
fn check_qc(
    sig: &SignatureRecord,
    text: Option<&str>,
    verified: Option<&bool>,
) -> std::result::Result<(), String> {
    let Some(text) = text else {
        return Err(format!(
            "the signed QC result {} is missing",
            sig.record.id()
        ));
    };
    if verified != Some(&true) {
        return Err("the QC result no longer matches its signature".into());
    }
    if signature_hash(text) != Some(sig.content_sha256.as_str()) || text != sig.manifestation {
        return Err("the signature row does not match the QC result's signature".into());
    }
    Ok(())
}
