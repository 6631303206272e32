//! End-of-line testing forms and their results (`"TestingForm"`, `"TestResult"`).
//!
//! The use-cases and their checks are in `service::testing`; these functions only read and write. The
//! database refuses any change to a submitted form or its results (migration V15).

use crate::db::row::{RowExt, query_all, query_id};
use crate::db::{Client, Transaction, qc as db_qc};
use crate::domain::floor::{
    TestItem, TestResultStatus, TestType, TestingFormSummary, TestingStatus,
};
use crate::error::{Result, ServiceError};
use chrono::NaiveDateTime;
use std::collections::HashMap;
use uuid::Uuid;

/// The items of the testing template with each one's test type, in `sequenceOrder`.
pub async fn items(client: &impl Client, template_id: Uuid) -> Result<Vec<TestItem>> {
    let defs = db_qc::items(client, template_id).await?;
    let rows = client
        .fetch(
            r#"SELECT id, "rules"->>'testType' AS "code" FROM "QCChecklistItem" WHERE "templateId" = $1"#,
            &[&template_id],
        )
        .await?;
    let mut types: HashMap<Uuid, TestType> = HashMap::new();
    for r in &rows {
        let code: Option<String> = r.col("code")?;
        types.insert(r.col("id")?, TestType::from_code(code.as_deref()));
    }
    Ok(defs
        .into_iter()
        .map(|def| TestItem {
            test_type: types.get(&def.id).copied().unwrap_or(TestType::Functional),
            def,
        })
        .collect())
}

/// The open draft of a build: (form id, performer).
pub async fn open_draft(client: &impl Client, order_id: Uuid) -> Result<Option<(Uuid, Uuid)>> {
    let row = client
        .fetch_opt(
            r#"SELECT id, "performedBy" FROM "TestingForm"
                WHERE "orderId" = $1 AND "overallStatus" = 'INCOMPLETE'"#,
            &[&order_id],
        )
        .await?;
    row.map(|r| Ok((r.col("id")?, r.col("performedBy")?)))
        .transpose()
}

/// One stored `"TestResult"` row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResult {
    pub test_name: String,
    pub test_type: TestType,
    pub result: TestResultStatus,
    pub measurements: Option<String>,
    pub notes: Option<String>,
}

/// The results of a form, in `sequenceOrder`.
pub async fn results(client: &impl Client, form_id: Uuid) -> Result<Vec<StoredResult>> {
    query_all(
        client,
        r#"SELECT "testName", "testType", "result", "measurements", "notes" FROM "TestResult"
                WHERE "testingFormId" = $1 ORDER BY "sequenceOrder" NULLS LAST, id"#,
        &[&form_id],
        |r| {
            Ok(StoredResult {
                test_name: r.col("testName")?,
                test_type: r.col("testType")?,
                result: r.col("result")?,
                measurements: r.col("measurements")?,
                notes: r.col("notes")?,
            })
        },
    )
    .await
}

/// The build's submitted forms at or after `since` (the round's start), newest first.
pub async fn submitted_since(
    client: &impl Client,
    order_id: Uuid,
    since: Option<NaiveDateTime>,
) -> Result<Vec<TestingFormSummary>> {
    query_all(client, r#"SELECT f.id, f."overallStatus", COALESCE(NULLIF(u."fullName", ''), u."username", '') AS "performedBy",
                      f."timestamp"
                 FROM "TestingForm" f LEFT JOIN "User" u ON u.id = f."performedBy"
                WHERE f."orderId" = $1 AND f."overallStatus" <> 'INCOMPLETE'
                  AND ($2::timestamp IS NULL OR f."timestamp" >= $2)
                ORDER BY f."timestamp" DESC NULLS LAST, f.id DESC"#, &[&order_id, &since], |r| {
            Ok(TestingFormSummary {
                id: r.col("id")?,
                status: r.col("overallStatus")?,
                performed_by: r.col("performedBy")?,
                at: r.col("timestamp")?,
            })
        }).await
}

/// Opens a draft for the build; the unique index refuses a second one.
pub async fn insert_draft(tx: &Transaction<'_>, order_id: Uuid, user_id: Uuid) -> Result<Uuid> {
    query_id(
        tx,
        r#"INSERT INTO "TestingForm" ("orderId", "performedBy", "overallStatus")
               VALUES ($1, $2, 'INCOMPLETE') RETURNING id"#,
        &[&order_id, &user_id],
    )
    .await
}

/// Records who last worked the draft and when.
pub async fn touch_draft(tx: &Transaction<'_>, form_id: Uuid, user_id: Uuid) -> Result<()> {
    tx.exec(
        r#"UPDATE "TestingForm" SET "performedBy" = $2, "timestamp" = CURRENT_TIMESTAMP
            WHERE id = $1 AND "overallStatus" = 'INCOMPLETE'"#,
        &[&form_id, &user_id],
    )
    .await?;
    Ok(())
}

/// Brings a draft's results to `results` ((sequence, result), one per line of the form, keyed by test
/// name): inserts the answers given for the first time, updates those changed and deletes those
/// taken back. An unchanged answer writes nothing, so the audit trail of a form holds one row per
/// answer given or changed (docs/assembly-floor.md §5, docs/audit.md §6). Returns the rows written.
pub async fn write_results(
    tx: &Transaction<'_>,
    form_id: Uuid,
    results: &[(i32, StoredResult)],
) -> Result<u64> {
    let stored: Vec<(Uuid, Option<i32>, StoredResult)> = query_all(
        tx,
        r#"SELECT id, "testName", "testType", "result", "measurements", "notes", "sequenceOrder"
             FROM "TestResult" WHERE "testingFormId" = $1 ORDER BY "sequenceOrder" NULLS LAST, id"#,
        &[&form_id],
        |r| {
            Ok((
                r.col::<Uuid>("id")?,
                r.col::<Option<i32>>("sequenceOrder")?,
                StoredResult {
                    test_name: r.col("testName")?,
                    test_type: r.col("testType")?,
                    result: r.col("result")?,
                    measurements: r.col("measurements")?,
                    notes: r.col("notes")?,
                },
            ))
        },
    )
    .await?;
    let mut by_name: HashMap<&str, (Uuid, Option<i32>, &StoredResult)> = HashMap::new();
    let mut removed: Vec<Uuid> = Vec::new();
    for (id, sequence, r) in &stored {
        // A name stored twice keeps its first row; the others go.
        if by_name.contains_key(r.test_name.as_str()) {
            removed.push(*id);
        } else {
            by_name.insert(&r.test_name, (*id, *sequence, r));
        }
    }
    let mut written = 0;
    for (sequence, r) in results {
        match by_name.remove(r.test_name.as_str()) {
            Some((_, stored_sequence, old)) if old == r && stored_sequence == Some(*sequence) => {}
            Some((id, _, _)) => {
                written += tx
                    .exec(
                        r#"UPDATE "TestResult" SET "testType" = $2, "result" = $3, "measurements" = $4,
                                  "notes" = $5, "sequenceOrder" = $6
                            WHERE id = $1"#,
                        &[&id, &r.test_type, &r.result, &r.measurements, &r.notes, sequence],
                    )
                    .await?;
            }
            None => {
                written += tx
                    .exec(
                        r#"INSERT INTO "TestResult" ("testingFormId", "testName", "testType", "result",
                                                     "measurements", "notes", "sequenceOrder")
                           VALUES ($1, $2, $3, $4, $5, $6, $7)"#,
                        &[
                            &form_id,
                            &r.test_name,
                            &r.test_type,
                            &r.result,
                            &r.measurements,
                            &r.notes,
                            sequence,
                        ],
                    )
                    .await?;
            }
        }
    }
    removed.extend(by_name.into_values().map(|(id, _, _)| id));
    if !removed.is_empty() {
        written += tx
            .exec(
                r#"DELETE FROM "TestResult" WHERE id = ANY($1)"#,
                &[&removed],
            )
            .await?;
    }
    Ok(written)
}

/// Submits a draft: its status, performer and the submit time. After this the form is a record.
pub async fn submit(
    tx: &Transaction<'_>,
    form_id: Uuid,
    status: TestingStatus,
    user_id: Uuid,
) -> Result<NaiveDateTime> {
    let row = tx
        .fetch_opt(
            r#"UPDATE "TestingForm"
                  SET "overallStatus" = $2, "performedBy" = $3, "timestamp" = CURRENT_TIMESTAMP
                WHERE id = $1 AND "overallStatus" = 'INCOMPLETE'
            RETURNING "timestamp""#,
            &[&form_id, &status, &user_id],
        )
        .await?
        .ok_or_else(|| {
            ServiceError::Conflict("The testing draft was submitted elsewhere".into())
        })?;
    let at: Option<NaiveDateTime> = row.col("timestamp")?;
    at.ok_or_else(|| ServiceError::Query("the submitted testing form has no timestamp".into()))
}
