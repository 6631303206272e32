//! Gathering a build's device history record (docs/dhr.md §1): every section read in one REPEATABLE
//! READ, read-only transaction, so the record is one consistent snapshot, after the audit trail has been
//! sealed so that the chain head covers everything the record shows.
//!
//! Times the schema stores in the server's time zone are converted to UTC in SQL; QC results' times are
//! UTC already (docs/schema.md).

use crate::db::row::{RowExt, query_all, query_opt_map};
use crate::db::{
    Client, audit, bom as db_bom, nonconformance as db_nc, qc as db_qc, signatures, templates,
};
use crate::domain::bom_document::{BomDocument, quantity_text};
use crate::domain::dhr::*;
use crate::domain::floor::TESTING_FORM;
use crate::domain::qc::{QcItemDef, QcResultStatus};
use crate::domain::signature::SignatureCheck;
use crate::domain::tasks::REWORK_PREFIX;
use crate::error::Result;
use std::collections::HashMap;
use tokio_postgres::Row;
use uuid::Uuid;

/// `col` (a TIMESTAMP in the server's time zone) as UTC.
macro_rules! utc {
    ($col:literal) => {
        concat!("(", $col, "::timestamptz AT TIME ZONE 'UTC')")
    };
}

/// A user's display name from the join aliased `$alias`.
macro_rules! name {
    ($alias:literal) => {
        concat!(
            "COALESCE(NULLIF(",
            $alias,
            r#"."fullName", ''), "#,
            $alias,
            r#"."username", '')"#
        )
    };
}

/// The record of `order_id`, or `None` for an unknown build.
pub async fn gather(
    client: &mut deadpool_postgres::Client,
    order_id: Uuid,
) -> Result<Option<DeviceHistoryRecord>> {
    // Sealing writes the chain; it runs before the snapshot so the head read below covers every row.
    audit::seal(&*client, true).await?;
    let tx = crate::db::begin_snapshot(client).await?;
    let record = read(&tx, order_id).await?;
    tx.commit().await?;
    Ok(record)
}

async fn read(c: &impl Client, order_id: Uuid) -> Result<Option<DeviceHistoryRecord>> {
    let Some(rec) = crate::db::orders::load(c, order_id).await? else {
        return Ok(None);
    };
    let exported_at = db_qc::utc_now(c).await?;
    let created_at = created_at(c, order_id).await?.unwrap_or(exported_at);
    // What each record a signature may sign is called in this record (`Testing form 2`).
    let mut names: HashMap<Uuid, String> = HashMap::new();
    let (status_moves, assignments, shipping) =
        split_history(history(c, order_id).await?, &mut names);
    let testing_forms = numbered(testing(c, order_id).await?, "Testing form", &mut names);
    let packaging = numbered(
        packaging(c, order_id).await?,
        "Packaging checklist",
        &mut names,
    );
    let qc_results = numbered(qc(c, order_id).await?, "QC result", &mut names);
    let bom = bom(c, order_id, &mut names).await?;
    let nonconformances = nonconformances(c, order_id, &mut names).await?;
    let mut checks = signatures::verify_order(c, order_id).await?;
    in_written_order(c, &mut checks).await?;
    let signatures = signature_entries(checks, &qc_results, &names);
    let identification = Identification {
        po_number: rec.header.po_number.clone(),
        build_number: rec.build.build_number.clone(),
        customer_name: rec.header.customer_name.clone(),
        project_name: rec.header.project_name.clone(),
        sink_family: rec.build.sink_family.code().to_string(),
        sink_model: rec.build.sink_model.clone(),
        quantity: 1,
        status: rec.status.code().to_string(),
        created_at,
        serial_numbers: serial_numbers(&testing_forms),
    };
    Ok(Some(DeviceHistoryRecord {
        format_version: FORMAT_VERSION,
        exported_at,
        identification,
        configuration: Configuration {
            current: serde_json::to_value(&rec.build).unwrap_or(serde_json::Value::Null),
            changes: config_changes(&config_images(c, order_id).await?),
        },
        bom,
        status_moves,
        assignments,
        qc_results,
        tasks: tasks(c, order_id).await?,
        testing_forms,
        packaging,
        shipping,
        nonconformances,
        overrides: overrides(c, order_id).await?,
        documents: documents(c, order_id).await?,
        signatures,
        audit_chain_head: chain_head(c).await?,
    }))
}

/// §11: every nonconformance of the build, oldest first, each named by its number.
async fn nonconformances(
    c: &impl Client,
    order_id: Uuid,
    names: &mut HashMap<Uuid, String>,
) -> Result<Vec<NonconformanceEntry>> {
    let mut out = Vec::new();
    for summary in db_nc::of_order(c, order_id).await? {
        let Some(nc) = db_nc::record(c, summary.id, false).await? else {
            continue;
        };
        names.insert(summary.id, summary.number.clone());
        let s = &nc.summary;
        out.push(NonconformanceEntry {
            number: s.number.clone(),
            source: s.source.label().to_string(),
            description: s.description.clone(),
            items: nc.items.iter().map(|i| i.line()).collect(),
            status: s.state_text(),
            raised_by: s.raised_by.clone(),
            at: s.raised_at,
            disposition: s.disposition.map(|d| d.code().to_string()),
            disposition_note: nc.disposition_note.clone(),
            dispositioned_by: nc.dispositioned.as_ref().map(|(by, _)| by.clone()),
            dispositioned_at: nc.dispositioned.as_ref().map(|(_, at)| *at),
            closed_by: nc.closed.as_ref().map(|(by, _, _)| by.clone()),
            closed_at: nc.closed.as_ref().map(|(_, at, _)| *at),
            close_note: nc.closed.as_ref().map(|(_, _, note)| note.clone()),
        });
    }
    out.sort_by(|a, b| (a.at, &a.number).cmp(&(b.at, &b.number)));
    Ok(out)
}

/// The entries without their ids, each id named `<label> <number>` in `names`.
fn numbered<T>(rows: Vec<(Uuid, T)>, label: &str, names: &mut HashMap<Uuid, String>) -> Vec<T> {
    rows.into_iter()
        .enumerate()
        .map(|(i, (id, entry))| {
            names.insert(id, format!("{label} {}", i + 1));
            entry
        })
        .collect()
}

async fn created_at(c: &impl Client, order_id: Uuid) -> Result<Option<chrono::NaiveDateTime>> {
    query_opt_map(
        c,
        concat!(
            "SELECT ",
            utc!(r#"COALESCE("createdAt", LOCALTIMESTAMP)"#),
            r#" AS "at" FROM "ProductionOrder" WHERE id = $1"#
        ),
        &[&order_id],
        |r| r.col("at"),
    )
    .await
}

/// Every row of the status history, oldest first; rows of one transaction in the order written.
async fn history(c: &impl Client, order_id: Uuid) -> Result<Vec<(Uuid, StatusMove)>> {
    query_all(
        c,
        concat!(
            "SELECT ",
            utc!(r#"COALESCE(h."timestamp", LOCALTIMESTAMP)"#),
            r#" AS "at", "#,
            name!("u"),
            r#" AS "by", h.id, h."action", h."oldStatus"::text AS "from", h."newStatus"::text AS "to",
                   h."notes", a."userAgent" AS "station"
              FROM "OrderStatusHistory" h
              LEFT JOIN "User" u ON u.id = h."userId"
              LEFT JOIN "AuditLog" a ON a."entityType" = 'OrderStatusHistory'
                    AND a."entityId" = h.id::text AND a."action" = 'INSERT'
             WHERE h."orderId" = $1
             ORDER BY h."timestamp" NULLS LAST, a."seq" NULLS LAST, h.id"#
        ),
        &[&order_id],
        |r| {
            Ok((
                r.col("id")?,
                StatusMove {
                    at: r.col("at")?,
                    by: r.col("by")?,
                    action: r.col("action")?,
                    from: r.col("from")?,
                    to: r.col("to")?,
                    station: r.col("station")?,
                    note: r.col("notes")?,
                },
            ))
        },
    )
    .await
}

/// Assignments apart from the moves; the shipment is the last SHIPPED row.
fn split_history(
    rows: Vec<(Uuid, StatusMove)>,
    names: &mut HashMap<Uuid, String>,
) -> (Vec<StatusMove>, Vec<Assignment>, Option<Shipping>) {
    let mut moves = Vec::new();
    let mut assignments = Vec::new();
    let mut shipping = None;
    for (id, m) in rows {
        if matches!(m.action.as_str(), "ASSIGNED" | "UNASSIGNED") {
            names.insert(id, format!("Assignment {}", assignments.len() + 1));
            assignments.push(Assignment {
                at: m.at,
                by: m.by,
                action: m.action,
                status: m.to,
                note: m.note,
            });
            continue;
        }
        if m.to == "SHIPPED" {
            shipping = Some(Shipping::from_notes(m.at, m.by.clone(), m.note.as_deref()));
        }
        names.insert(id, format!("Status move {}", moves.len() + 1));
        moves.push(m);
    }
    (moves, assignments, shipping)
}

/// Audit images of the build's configuration written after the build was created.
async fn config_images(c: &impl Client, order_id: Uuid) -> Result<Vec<ConfigImage>> {
    query_all(
        c,
        concat!(
            "SELECT ",
            utc!(r#"a."timestamp""#),
            r#" AS "at", "#,
            name!("u"),
            r#" AS "by", a."entityType", a."action", a."oldValues", a."newValues"
              FROM "AuditLog" a LEFT JOIN "User" u ON u.id = a."userId"
             WHERE a."action" IN ('INSERT', 'UPDATE', 'DELETE')
               AND ((a."entityType" = 'ProductionOrder' AND a."entityId" = $1::text AND a."action" = 'UPDATE')
                 OR (a."entityType" IN ('BasinConfiguration', 'FaucetConfiguration', 'SprayerConfiguration',
                                        'OrderAccessory')
                     AND COALESCE(a."newValues", a."oldValues")->>'orderId' = $1::text))
               AND a."timestamp" > (SELECT min(o."timestamp") FROM "AuditLog" o
                                     WHERE o."entityType" = 'ProductionOrder' AND o."entityId" = $1::text)
             ORDER BY a."seq""#
        ),
        &[&order_id.to_string()],
        |r| {
            Ok(ConfigImage {
                at: r.col("at")?,
                by: r.col("by")?,
                table: r.col("entityType")?,
                action: r.col("action")?,
                old: r.col("oldValues")?,
                new: r.col("newValues")?,
            })
        },
    )
    .await
}

async fn bom(
    c: &impl Client,
    order_id: Uuid,
    names: &mut HashMap<Uuid, String>,
) -> Result<BomSection> {
    let rows: Vec<(Uuid, BomVersionSummary)> = query_all(
        c,
        concat!(
            r#"SELECT b.id, b."version", COALESCE(b."status", 'DRAFT')::text AS "status", "#,
            utc!(r#"b."generatedAt""#),
            r#" AS "generatedAt", "#,
            name!("u"),
            r#" AS "generatedBy", ap."approvedBy", ap."approvedAt"
              FROM "BillOfMaterials" b
              LEFT JOIN "User" u ON u.id = b."generatedBy"
              LEFT JOIN LATERAL (
                   SELECT "#,
            name!("au"),
            r#" AS "approvedBy", "#,
            utc!(r#"a."timestamp""#),
            r#" AS "approvedAt"
                     FROM "AuditLog" a LEFT JOIN "User" au ON au.id = a."userId"
                    WHERE a."entityType" = 'BillOfMaterials' AND a."entityId" = b.id::text
                      AND a."action" = 'UPDATE' AND a."newValues"->>'status' = 'APPROVED'
                      AND a."oldValues"->>'status' IS DISTINCT FROM 'APPROVED'
                    ORDER BY a."seq" DESC LIMIT 1) ap ON true
             WHERE b."orderId" = $1
             ORDER BY b."version""#
        ),
        &[&order_id],
        |r| {
            Ok((
                r.col("id")?,
                BomVersionSummary {
                    version: r.col("version")?,
                    status: r.col("status")?,
                    generated_at: r.col("generatedAt")?,
                    generated_by: r.col("generatedBy")?,
                    approved_by: r.col("approvedBy")?,
                    approved_at: r.col("approvedAt")?,
                },
            ))
        },
    )
    .await?;
    let versions: Vec<BomVersionSummary> = rows
        .into_iter()
        .map(|(id, v)| {
            names.insert(id, format!("BOM version {}", v.version));
            v
        })
        .collect();
    let current = db_bom::document(c, order_id, None)
        .await?
        .and_then(|doc| bom_detail(&doc, &versions));
    let production_approved = versions
        .iter()
        .filter(|v| v.status == "APPROVED")
        .max_by_key(|v| v.version)
        .cloned();
    Ok(BomSection {
        current,
        production_approved,
        versions,
    })
}

fn bom_detail(doc: &BomDocument, versions: &[BomVersionSummary]) -> Option<BomVersionDetail> {
    let version = versions
        .iter()
        .find(|v| v.version == doc.version.version)?
        .clone();
    let flat = doc.flattened();
    let pieces: rust_decimal::Decimal = flat.iter().map(|l| l.quantity).sum();
    Some(BomVersionDetail {
        version,
        top_level_lines: doc
            .top_level()
            .map(|i| BomLine {
                item_id: i.item_id.clone(),
                name: i.name.clone(),
                item_type: i.item_type.code().to_string(),
                quantity: quantity_text(i.quantity),
            })
            .collect(),
        item_count: doc.items.len(),
        total_items: flat.len(),
        total_pieces: quantity_text(pieces),
    })
}

/// The submitted QC results, oldest first, with their own signatures checked.
async fn qc(c: &impl Client, order_id: Uuid) -> Result<Vec<(Uuid, QcEntry)>> {
    let mut results = db_qc::results_of(c, order_id).await?;
    results.retain(|r| r.status != QcResultStatus::Incomplete);
    // Oldest first; results signed within the same second in the order they were opened.
    let seqs = insert_seqs(c, "QCResult", results.iter().map(|r| r.id)).await?;
    results.sort_by_key(|r| (r.at, seqs.get(&r.id).copied()));
    let verified: HashMap<Uuid, bool> = db_qc::check_signatures(c, &results)
        .await?
        .into_iter()
        .map(|s| (s.result_id, s.verified))
        .collect();
    Ok(results
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let entry = QcEntry {
                number: i + 1,
                qc_type: r.qc_type.code().to_string(),
                checklist: format!("{} v{}", r.template.name, r.template.version),
                status: r.status.code().to_string(),
                performed_by: r.performer_name.clone(),
                at: r.at,
                job_id: r.job_id.clone(),
                notes: r.notes.clone(),
                manifestation: r.signature.clone(),
                verified: verified.get(&r.id).copied().unwrap_or(false),
            };
            (r.id, entry)
        })
        .collect())
}

/// The audit sequence number of each row's INSERT: the order rows were written in, where their own
/// times (to the second) tie.
async fn insert_seqs(
    c: &impl Client,
    table: &str,
    ids: impl Iterator<Item = Uuid>,
) -> Result<HashMap<Uuid, i64>> {
    let ids: Vec<String> = ids.map(|id| id.to_string()).collect();
    query_all(
        c,
        r#"SELECT "entityId"::uuid AS "id", "seq" FROM "AuditLog"
            WHERE "entityType" = $1 AND "action" = 'INSERT' AND "entityId" = ANY($2)"#,
        &[&table, &ids],
        |r| Ok((r.col("id")?, r.col("seq")?)),
    )
    .await
}

/// Puts signatures made within the same second in the order they were written.
async fn in_written_order(c: &impl Client, checks: &mut [SignatureCheck]) -> Result<()> {
    let seqs = insert_seqs(
        c,
        "ElectronicSignature",
        checks.iter().map(|s| s.signature.id),
    )
    .await?;
    checks.sort_by_key(|s| (s.signature.signed_at, seqs.get(&s.signature.id).copied()));
    Ok(())
}

/// Every electronic signature of the build, each checked against its record as stored now (docs/dhr.md
/// §2.14), named by the entry of the record it signs. A QC result signed before signatures had their
/// own table is listed from the result itself.
fn signature_entries(
    checks: Vec<SignatureCheck>,
    qc: &[QcEntry],
    numbers: &HashMap<Uuid, String>,
) -> Vec<SignatureEntry> {
    let mut out: Vec<SignatureEntry> = checks
        .into_iter()
        .map(|c| {
            let s = c.signature;
            let id = s.record.id();
            SignatureEntry {
                record: numbers.get(&id).cloned().unwrap_or_else(|| {
                    format!(
                        "{} {}",
                        s.record.label(),
                        id.simple().to_string().get(..8).unwrap_or("")
                    )
                }),
                meaning: s.meaning.code().to_string(),
                printed_name: s.printed_name,
                signed_at: Some(s.signed_at),
                manifestation: s.manifestation,
                verified: c.verified,
                problem: c.problem,
            }
        })
        .collect();
    for q in qc {
        let name = format!("QC result {}", q.number);
        if out.iter().any(|s| s.record == name) {
            continue;
        }
        out.push(SignatureEntry {
            record: name,
            meaning: format!("{} {}", q.qc_type, q.status),
            printed_name: q.performed_by.clone(),
            signed_at: q.at,
            manifestation: q.manifestation.clone(),
            verified: q.verified,
            problem: (!q.verified)
                .then(|| "the QC result no longer matches its signature".to_string()),
        });
    }
    out.sort_by_key(|s| s.signed_at);
    out
}

fn na_reason(notes: Option<&str>) -> Option<String> {
    notes?
        .lines()
        .find_map(|l| l.strip_prefix("N/A: "))
        .map(str::to_string)
}

async fn tasks(c: &impl Client, order_id: Uuid) -> Result<Vec<TaskEntry>> {
    let rows: Vec<TaskEntry> = query_all(
        c,
        concat!(
            r#"SELECT l."assemblyType", t."description",
                   wr."title" || ' rev ' || wr."revision" AS "instruction",
                   COALESCE(t."isCompleted", false) AS "isCompleted", "#,
            name!("u"),
            r#" AS "completedBy", "#,
            utc!(r#"t."completedAt""#),
            r#" AS "completedAt", t."notes",
                   (SELECT count(*) FROM "AuditLog" a
                     WHERE a."entityType" = 'Task' AND a."entityId" = t.id::text AND a."action" = 'UPDATE'
                       AND a."oldValues"->>'isCompleted' = 'true'
                       AND a."newValues"->>'isCompleted' = 'false') AS "reopened"
              FROM "Task" t
              JOIN "TaskList" l ON l.id = t."taskListId"
              LEFT JOIN "WorkInstructionRevision" wr ON wr.id = t."workInstructionRevisionId"
              LEFT JOIN "User" u ON u.id = t."completedBy"
             WHERE l."orderId" = $1
             ORDER BY l."generatedAt", l.id, t."sequenceOrder""#
        ),
        &[&order_id],
        |r| {
            let notes: Option<String> = r.col("notes")?;
            let description: String = r.col("description")?;
            let completed: bool = r.col("isCompleted")?;
            let by: String = r.col("completedBy")?;
            let reopened: i64 = r.col("reopened")?;
            Ok(TaskEntry {
                number: 0,
                list: r.col("assemblyType")?,
                rework: description.starts_with(REWORK_PREFIX),
                description,
                instruction: r.col("instruction")?,
                completed,
                completed_by: (completed && !by.is_empty()).then_some(by),
                completed_at: r.col("completedAt")?,
                na_reason: na_reason(notes.as_deref()),
                notes,
                reopened: u32::try_from(reopened).unwrap_or(u32::MAX),
            })
        },
    )
    .await?;
    Ok(rows
        .into_iter()
        .enumerate()
        .map(|(i, t)| TaskEntry { number: i + 1, ..t })
        .collect())
}

/// `min .. max unit` of a measurement item; one bound alone is written `>= min` or `<= max`.
fn limits(item: &QcItemDef) -> Option<String> {
    let unit = item
        .unit
        .as_deref()
        .map(|u| format!(" {}", u.trim()))
        .unwrap_or_default();
    match (item.min, item.max) {
        (Some(lo), Some(hi)) => Some(format!("{lo} .. {hi}{unit}")),
        (Some(lo), None) => Some(format!(">= {lo}{unit}")),
        (None, Some(hi)) => Some(format!("<= {hi}{unit}")),
        (None, None) => None,
    }
}

/// Every submitted testing form with its lines; limits are the testing template's for each item code.
async fn testing(c: &impl Client, order_id: Uuid) -> Result<Vec<(Uuid, TestingFormEntry)>> {
    let limits_by_code: HashMap<String, String> =
        match templates::active_template(c, TESTING_FORM).await? {
            Some(t) => db_qc::items(c, t.id)
                .await?
                .iter()
                .filter_map(|i| limits(i).map(|l| (i.code.clone(), l)))
                .collect(),
            None => HashMap::new(),
        };
    let mut forms: Vec<(Uuid, TestingFormEntry)> = query_all(
        c,
        concat!(
            r#"SELECT f.id, f."overallStatus"::text AS "status", "#,
            name!("u"),
            r#" AS "performedBy", "#,
            utc!(r#"f."timestamp""#),
            r#" AS "at", f."notes"
              FROM "TestingForm" f LEFT JOIN "User" u ON u.id = f."performedBy"
             WHERE f."orderId" = $1 AND f."overallStatus" <> 'INCOMPLETE'
             ORDER BY f."timestamp", f.id"#
        ),
        &[&order_id],
        |r| {
            Ok((
                r.col("id")?,
                TestingFormEntry {
                    number: 0,
                    status: r.col("status")?,
                    performed_by: r.col("performedBy")?,
                    at: r.col("at")?,
                    notes: r.col("notes")?,
                    lines: Vec::new(),
                },
            ))
        },
    )
    .await?;
    let rows = c
        .fetch(
            r#"SELECT r."testingFormId", r."testName", r."testType"::text AS "testType",
                      r."result"::text AS "result", r."measurements", r."notes"
                 FROM "TestResult" r JOIN "TestingForm" f ON f.id = r."testingFormId"
                WHERE f."orderId" = $1 AND f."overallStatus" <> 'INCOMPLETE'
                ORDER BY r."testingFormId", r."sequenceOrder" NULLS LAST, r.id"#,
            &[&order_id],
        )
        .await?;
    let mut lines: HashMap<Uuid, Vec<TestLine>> = HashMap::new();
    for r in &rows {
        let form: Uuid = r.col("testingFormId")?;
        let name: String = r.col("testName")?;
        let code = crate::domain::floor::parse_test_name(&name).0;
        let list = lines.entry(form).or_default();
        list.push(TestLine {
            line: list.len() + 1,
            limits: limits_by_code.get(&code).cloned(),
            name,
            test_type: r.col("testType")?,
            measurement: r.col("measurements")?,
            judgement: r.col("result")?,
            notes: r.col("notes")?,
        });
    }
    for (i, (id, form)) in forms.iter_mut().enumerate() {
        form.number = i + 1;
        form.lines = lines.remove(id).unwrap_or_default();
    }
    Ok(forms)
}

fn pack_line(r: &Row) -> Result<(Uuid, PackLine)> {
    Ok((
        r.col("packagingChecklistId")?,
        PackLine {
            item_id: r.col("itemId")?,
            required: r.col("requiredQuantity")?,
            packed: r.col("packedQuantity")?,
            complete: r.col("isComplete")?,
            notes: r.col("notes")?,
        },
    ))
}

async fn packaging(c: &impl Client, order_id: Uuid) -> Result<Vec<(Uuid, PackagingEntry)>> {
    let mut lists: Vec<(Uuid, PackagingEntry)> = query_all(
        c,
        concat!(
            "SELECT p.id, ",
            name!("u"),
            r#" AS "performedBy", COALESCE(p."isCompleted", false) AS "isCompleted", "#,
            utc!(r#"p."completedAt""#),
            r#" AS "completedAt", p."notes"
              FROM "PackagingChecklist" p LEFT JOIN "User" u ON u.id = p."performedBy"
             WHERE p."orderId" = $1
             ORDER BY p."completedAt" NULLS LAST, p.id"#
        ),
        &[&order_id],
        |r| {
            Ok((
                r.col("id")?,
                PackagingEntry {
                    number: 0,
                    performed_by: r.col("performedBy")?,
                    completed: r.col("isCompleted")?,
                    completed_at: r.col("completedAt")?,
                    notes: r.col("notes")?,
                    items: Vec::new(),
                },
            ))
        },
    )
    .await?;
    let items: Vec<(Uuid, PackLine)> = query_all(
        c,
        r#"SELECT i."packagingChecklistId", i."itemId", i."requiredQuantity",
                  COALESCE(i."packedQuantity", 0) AS "packedQuantity",
                  COALESCE(i."isComplete", false) AS "isComplete", i."notes"
             FROM "PackagingItem" i JOIN "PackagingChecklist" p ON p.id = i."packagingChecklistId"
            WHERE p."orderId" = $1
            ORDER BY i."packagingChecklistId", i."itemId", i.id"#,
        &[&order_id],
        pack_line,
    )
    .await?;
    let mut by_list: HashMap<Uuid, Vec<PackLine>> = HashMap::new();
    for (list, line) in items {
        by_list.entry(list).or_default().push(line);
    }
    for (i, (id, entry)) in lists.iter_mut().enumerate() {
        entry.number = i + 1;
        entry.items = by_list.remove(id).unwrap_or_default();
    }
    Ok(lists)
}

/// The explicit audit notes of administrator overrides, with their reasons (docs/lifecycle.md §3.5).
async fn overrides(c: &impl Client, order_id: Uuid) -> Result<Vec<OverrideEntry>> {
    query_all(
        c,
        concat!(
            "SELECT ",
            utc!(r#"a."timestamp""#),
            r#" AS "at", "#,
            name!("u"),
            r#" AS "by", a."oldValues"->>'orderStatus' AS "from",
                   a."newValues"->>'orderStatus' AS "to", COALESCE(a."newValues"->>'reason', '') AS "reason"
              FROM "AuditLog" a LEFT JOIN "User" u ON u.id = a."userId"
             WHERE a."entityType" = 'ProductionOrder' AND a."entityId" = $1::text
               AND a."action" = 'STATUS_OVERRIDE'
             ORDER BY a."seq""#
        ),
        &[&order_id.to_string()],
        |r| {
            Ok(OverrideEntry {
                at: r.col("at")?,
                by: r.col("by")?,
                from: r.col("from")?,
                to: r.col("to")?,
                reason: r.col("reason")?,
            })
        },
    )
    .await
}

async fn documents(c: &impl Client, order_id: Uuid) -> Result<Vec<DocumentEntry>> {
    query_all(
        c,
        concat!(
            r#"SELECT d."originalName", od."documentType"::text AS "documentType", d."contentType",
                   d."fileSize", "#,
            name!("u"),
            r#" AS "uploadedBy", "#,
            utc!(r#"d."uploadedAt""#),
            r#" AS "uploadedAt", dc."sha256"
              FROM "OrderDocument" od
              JOIN "Document" d ON d.id = od."documentId"
              LEFT JOIN "DocumentContent" dc ON dc."documentId" = d.id
              LEFT JOIN "User" u ON u.id = d."uploadedBy"
             WHERE od."orderId" = $1
             ORDER BY od."associatedAt", d.id"#
        ),
        &[&order_id],
        |r| {
            Ok(DocumentEntry {
                original_name: r.col("originalName")?,
                document_type: r.col("documentType")?,
                content_type: r.col("contentType")?,
                size: r.col("fileSize")?,
                uploaded_by: r.col("uploadedBy")?,
                uploaded_at: r.col("uploadedAt")?,
                sha256: r.col("sha256")?,
            })
        },
    )
    .await
}

async fn chain_head(c: &impl Client) -> Result<Option<ChainHeadEntry>> {
    query_opt_map(
        c,
        concat!(
            r#"SELECT "position", "link"::text AS "link", "#,
            utc!(r#""sealedAt""#),
            r#" AS "sealedAt" FROM "AuditChain" ORDER BY "position" DESC LIMIT 1"#
        ),
        &[],
        |r| {
            Ok(ChainHeadEntry {
                position: r.col("position")?,
                link: r.col("link")?,
                sealed_at: r.col("sealedAt")?,
            })
        },
    )
    .await
}
