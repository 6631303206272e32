//! Task lists, tasks, their tools and parts. Completion and reopening are conditional updates, so two
//! stations working one build never overwrite each other.

use crate::db::qc::{checklist_item_cols, item_def_from_row};
use crate::db::row::{RowExt, query_all, query_id, query_opt_col};
use crate::db::{Client, Transaction};
use crate::domain::bom::ItemType;
use crate::domain::tasks::{InstructionView, PartView, PlannedPart, TaskView, ToolView};
use crate::error::Result;
use chrono::NaiveDateTime;
use rust_decimal::Decimal;
use std::collections::HashMap;
use uuid::Uuid;

/// A task ready to insert, its links resolved to ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTask {
    pub sequence: i32,
    pub description: String,
    /// The instruction and the revision the task is generated with (docs/assembly-floor.md §8).
    pub instruction: Option<InstructionRef>,
    pub item_id: Option<Uuid>,
    pub estimated_minutes: Option<i32>,
    pub tool_ids: Vec<Uuid>,
    pub parts: Vec<PlannedPart>,
}

/// The build's active task list: (id, assemblyType, generatedAt).
pub async fn active_list(
    client: &impl Client,
    order_id: Uuid,
) -> Result<Option<(Uuid, String, Option<NaiveDateTime>)>> {
    let row = client
        .fetch_opt(
            r#"SELECT id, "assemblyType", "generatedAt" FROM "TaskList"
                WHERE "orderId" = $1 AND COALESCE("isActive", true)
                ORDER BY "generatedAt" DESC NULLS LAST, id LIMIT 1"#,
            &[&order_id],
        )
        .await?;
    row.map(|r| Ok((r.col("id")?, r.col("assemblyType")?, r.col("generatedAt")?)))
        .transpose()
}

/// (completed, total) tasks of a list.
pub async fn progress(client: &impl Client, list_id: Uuid) -> Result<(i64, i64)> {
    let row = client
        .fetch_one(
            r#"SELECT count(*) FILTER (WHERE COALESCE("isCompleted", false)) AS "completed", count(*) AS "total"
                 FROM "Task" WHERE "taskListId" = $1"#,
            &[&list_id],
        )
        .await?;
    Ok((row.col("completed")?, row.col("total")?))
}

/// Whether the build ever had a task list (generated once: docs/assembly-floor.md §2.1).
pub async fn any_list(client: &impl Client, order_id: Uuid) -> Result<bool> {
    let row = client
        .fetch_one(
            r#"SELECT EXISTS (SELECT 1 FROM "TaskList" WHERE "orderId" = $1) AS "exists""#,
            &[&order_id],
        )
        .await?;
    row.col("exists")
}

/// `estMinutes` of each item of a template (it lives in the item's `rules`).
pub async fn estimates(
    client: &impl Client,
    template_id: Uuid,
) -> Result<Vec<(Uuid, Option<i32>)>> {
    query_all(
        client,
        r#"SELECT id, CASE WHEN jsonb_typeof("rules"->'estMinutes') = 'number'
                               THEN ("rules"->>'estMinutes')::numeric::int4 END AS "estMinutes"
                 FROM "QCChecklistItem" WHERE "templateId" = $1"#,
        &[&template_id],
        |r| Ok((r.col("id")?, r.col("estMinutes")?)),
    )
    .await
}

/// A work instruction and one of its revisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InstructionRef {
    pub instruction_id: Uuid,
    pub revision_id: Uuid,
}

/// The active instruction of each title with its latest revision: title -> instruction and revision.
pub async fn instruction_ids(
    client: &impl Client,
    titles: &[&str],
) -> Result<HashMap<String, InstructionRef>> {
    query_all(
        client,
        r#"SELECT DISTINCT ON (wi.title) wi.title, wi.id, r.id AS "revisionId"
                 FROM "WorkInstruction" wi
                 JOIN "WorkInstructionRevision" r
                      ON r."workInstructionId" = wi.id AND r.revision = wi.version
                WHERE wi.title = ANY($1) AND COALESCE(wi."isActive", true)
                ORDER BY wi.title, wi."createdAt" DESC, wi.version DESC, wi.id"#,
        &[&titles],
        |r| {
            Ok((
                r.col("title")?,
                InstructionRef {
                    instruction_id: r.col("id")?,
                    revision_id: r.col("revisionId")?,
                },
            ))
        },
    )
    .await
}

/// Active tools by name: name -> id (the oldest of equal names, as the demo seed finds them).
pub async fn tool_ids(client: &impl Client, names: &[&str]) -> Result<HashMap<String, Uuid>> {
    query_all(
        client,
        r#"SELECT DISTINCT ON (name) name, id FROM "Tool"
                WHERE name = ANY($1) AND COALESCE("isActive", true)
                ORDER BY name, "createdAt", id"#,
        &[&names],
        |r| Ok((r.col("name")?, r.col("id")?)),
    )
    .await
}

/// Inserts a task list with its tasks, tools and parts (one statement per table).
pub async fn insert_list(
    tx: &Transaction<'_>,
    order_id: Uuid,
    assembly_type: &str,
    tasks: &[NewTask],
) -> Result<Uuid> {
    let list_id: Uuid = tx
        .fetch_one(
            r#"INSERT INTO "TaskList" ("orderId", "assemblyType", "isActive") VALUES ($1, $2, true)
               RETURNING id"#,
            &[&order_id, &assembly_type],
        )
        .await?
        .col("id")?;
    let ids: Vec<Uuid> = tasks.iter().map(|_| Uuid::new_v4()).collect();
    let seq: Vec<i32> = tasks.iter().map(|t| t.sequence).collect();
    let desc: Vec<&str> = tasks.iter().map(|t| t.description.as_str()).collect();
    let wi: Vec<Option<Uuid>> = tasks
        .iter()
        .map(|t| t.instruction.map(|i| i.instruction_id))
        .collect();
    let rev: Vec<Option<Uuid>> = tasks
        .iter()
        .map(|t| t.instruction.map(|i| i.revision_id))
        .collect();
    let item: Vec<Option<Uuid>> = tasks.iter().map(|t| t.item_id).collect();
    let est: Vec<Option<i32>> = tasks.iter().map(|t| t.estimated_minutes).collect();
    tx.exec(
        r#"INSERT INTO "Task" (id, "taskListId", "sequenceOrder", "description", "workInstructionId",
                               "workInstructionRevisionId", "productionChecklistItemId", "estimatedTime")
           SELECT u.id, $1::uuid, u.seq, u.descr, u.wi, u.rev, u.item, u.est
             FROM UNNEST($2::uuid[], $3::int4[], $4::text[], $5::uuid[], $6::uuid[], $7::uuid[], $8::int4[])
                  AS u(id, seq, descr, wi, rev, item, est)"#,
        &[&list_id, &ids, &seq, &desc, &wi, &rev, &item, &est],
    )
    .await?;
    let mut tool_task = Vec::new();
    let mut tool_id = Vec::new();
    let mut part_task = Vec::new();
    let mut part_kind = Vec::new();
    let mut part_id = Vec::new();
    let mut part_qty: Vec<Decimal> = Vec::new();
    for (id, t) in ids.iter().zip(tasks) {
        for tool in &t.tool_ids {
            tool_task.push(*id);
            tool_id.push(*tool);
        }
        for p in &t.parts {
            part_task.push(*id);
            part_kind.push(p.part_type.code());
            part_id.push(p.part_id.as_str());
            part_qty.push(p.quantity);
        }
    }
    tx.exec(
        r#"INSERT INTO "TaskTool" ("taskId", "toolId", "isRequired")
           SELECT u.task, u.tool, true FROM UNNEST($1::uuid[], $2::uuid[]) AS u(task, tool)
           ON CONFLICT ("taskId", "toolId") DO NOTHING"#,
        &[&tool_task, &tool_id],
    )
    .await?;
    tx.exec(
        r#"INSERT INTO "TaskPart" ("taskId", "partType", "partId", "quantity")
           SELECT u.task, u.kind::"ComponentType", u.part, u.qty
             FROM UNNEST($1::uuid[], $2::text[], $3::text[], $4::numeric[]) AS u(task, kind, part, qty)"#,
        &[&part_task, &part_kind, &part_id, &part_qty],
    )
    .await?;
    Ok(list_id)
}

/// Appends a task without checklist item at the end of a list (sequenceOrder = highest + 1).
pub async fn append_task(tx: &Transaction<'_>, list_id: Uuid, description: &str) -> Result<Uuid> {
    query_id(
        tx,
        r#"INSERT INTO "Task" ("taskListId", "sequenceOrder", "description")
               SELECT $1, COALESCE(max("sequenceOrder"), 0) + 1, $2 FROM "Task" WHERE "taskListId" = $1
               RETURNING id"#,
        &[&list_id, &description],
    )
    .await
}

/// Which build a task belongs to, if the task exists.
pub async fn order_of_task(client: &impl Client, task_id: Uuid) -> Result<Option<Uuid>> {
    query_opt_col(
        client,
        r#"SELECT l."orderId" FROM "Task" t JOIN "TaskList" l ON l.id = t."taskListId"
                WHERE t.id = $1"#,
        &[&task_id],
        "orderId",
    )
    .await
}

/// Whether a testing form (PASS or FAIL) was submitted at or after `since` (the round's start).
pub async fn testing_submitted_since(
    client: &impl Client,
    order_id: Uuid,
    since: Option<NaiveDateTime>,
) -> Result<bool> {
    let row = client
        .fetch_one(
            r#"SELECT EXISTS (SELECT 1 FROM "TestingForm"
                WHERE "orderId" = $1 AND "overallStatus" IN ('PASS', 'FAIL')
                  AND ($2::timestamp IS NULL OR "timestamp" >= $2)) AS "submitted""#,
            &[&order_id, &since],
        )
        .await?;
    row.col("submitted")
}

/// Completes an open task; `false` when it is already complete (another station was first).
pub async fn complete(
    tx: &Transaction<'_>,
    task_id: Uuid,
    user_id: Uuid,
    notes: Option<&str>,
) -> Result<bool> {
    // The completion's text goes first (an N/A must start the notes); earlier notes are kept after it.
    let n = tx
        .exec(
            r#"UPDATE "Task" SET "isCompleted" = true, "completedAt" = LOCALTIMESTAMP, "completedBy" = $2,
                      "notes" = NULLIF(concat_ws(E'\n', $3::text, "notes"), '')
                WHERE id = $1 AND NOT COALESCE("isCompleted", false)"#,
            &[&task_id, &user_id, &notes],
        )
        .await?;
    Ok(n == 1)
}

/// Reopens a completed task; `false` when it is already open. Its notes stay.
pub async fn reopen(tx: &Transaction<'_>, task_id: Uuid) -> Result<bool> {
    let n = tx
        .exec(
            r#"UPDATE "Task" SET "isCompleted" = false, "completedAt" = NULL, "completedBy" = NULL
                WHERE id = $1 AND COALESCE("isCompleted", false)"#,
            &[&task_id],
        )
        .await?;
    Ok(n == 1)
}

/// Appends one line to a task's notes (never replaces what another station wrote).
pub async fn add_note(tx: &Transaction<'_>, task_id: Uuid, line: &str) -> Result<bool> {
    let n = tx
        .exec(
            r#"UPDATE "Task" SET "notes" = concat_ws(E'\n', "notes", $2::text) WHERE id = $1"#,
            &[&task_id, &line],
        )
        .await?;
    Ok(n == 1)
}

/// The tasks of a list in sequence, with their checklist item, instruction, tools and parts.
pub async fn tasks(client: &impl Client, list_id: Uuid) -> Result<Vec<TaskView>> {
    let rows = client
        .fetch(
            concat!(
                r#"SELECT t.id, t."sequenceOrder", t."description", t."estimatedTime",
                          COALESCE(t."isCompleted", false) AS "isCompleted", t."completedAt",
                          t."completedBy", u."fullName", t."notes", t."workInstructionRevisionId", "#,
                checklist_item_cols!(),
                r#" FROM "Task" t
                     LEFT JOIN "User" u ON u.id = t."completedBy"
                     LEFT JOIN "QCChecklistItem" ci ON ci.id = t."productionChecklistItemId"
                    WHERE t."taskListId" = $1
                    ORDER BY t."sequenceOrder""#
            ),
            &[&list_id],
        )
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    let mut instruction_of = Vec::with_capacity(rows.len());
    for r in &rows {
        // A task without a checklist item has NULL item columns.
        let item = match r.col::<Option<Uuid>>("itemId")? {
            Some(_) => Some(item_def_from_row(r)?),
            None => None,
        };
        let by: Option<Uuid> = r.col("completedBy")?;
        let by_name: Option<String> = r.col("fullName")?;
        instruction_of.push(r.col::<Option<Uuid>>("workInstructionRevisionId")?);
        out.push(TaskView {
            id: r.col("id")?,
            sequence: r.col("sequenceOrder")?,
            description: r.col("description")?,
            code: item.as_ref().map(|i| i.code.clone()),
            check_type: item.as_ref().map(|i| i.check_type),
            options: item.map(|i| i.options).unwrap_or_default(),
            estimated_minutes: r.col("estimatedTime")?,
            is_completed: r.col("isCompleted")?,
            completed_at: r.col("completedAt")?,
            completed_by: by.map(|id| (id, by_name.unwrap_or_default())),
            notes: r.col("notes")?,
            instruction: None,
            tools: Vec::new(),
            parts: Vec::new(),
        });
    }
    let task_ids: Vec<Uuid> = out.iter().map(|t| t.id).collect();
    let mut wanted: Vec<Uuid> = instruction_of.iter().flatten().copied().collect();
    wanted.sort();
    wanted.dedup();
    let instructions = instructions(client, &wanted).await?;
    for (task, wi) in out.iter_mut().zip(&instruction_of) {
        task.instruction = wi.and_then(|id| instructions.get(&id).cloned());
    }
    for r in client
        .fetch(
            r#"SELECT tt."taskId", t.id, t.name, t.description, COALESCE(tt."isRequired", true) AS "required"
                 FROM "TaskTool" tt JOIN "Tool" t ON t.id = tt."toolId"
                WHERE tt."taskId" = ANY($1) ORDER BY t.name"#,
            &[&task_ids],
        )
        .await?
    {
        let task: Uuid = r.col("taskId")?;
        if let Some(t) = out.iter_mut().find(|t| t.id == task) {
            t.tools.push(ToolView {
                id: r.col("id")?,
                name: r.col("name")?,
                description: r.col("description")?,
                required: r.col("required")?,
            });
        }
    }
    for r in client
        .fetch(
            r#"SELECT "taskId", "partType", "partId", "quantity" FROM "TaskPart"
                WHERE "taskId" = ANY($1) ORDER BY "partId""#,
            &[&task_ids],
        )
        .await?
    {
        let task: Uuid = r.col("taskId")?;
        if let Some(t) = out.iter_mut().find(|t| t.id == task) {
            let part_type: ItemType = r.col("partType")?;
            t.parts.push(PartView {
                part_type,
                part_id: r.col("partId")?,
                quantity: r.col("quantity")?,
            });
        }
    }
    Ok(out)
}

/// The revisions tasks were generated with, with their steps, by revision id.
async fn instructions(
    client: &impl Client,
    revision_ids: &[Uuid],
) -> Result<HashMap<Uuid, InstructionView>> {
    if revision_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let stored = crate::db::instructions::revisions(client, None, revision_ids).await?;
    Ok(stored
        .into_iter()
        .map(|s| {
            let r = s.revision;
            (
                s.id,
                InstructionView {
                    id: s.instruction_id,
                    revision_id: s.id,
                    title: r.title,
                    description: r.description,
                    version: r.number,
                    steps: r.steps,
                    author: r.author,
                    revised_at: r.created_at,
                    current_version: s.current,
                },
            )
        })
        .collect())
}

/// The work-instruction revision each task of a build used (every task list, in list and sequence
/// order), for the device history record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskRevision {
    pub task_id: Uuid,
    pub sequence: i32,
    pub instruction_id: Uuid,
    pub title: String,
    pub revision: i32,
}

pub async fn instruction_revisions(
    client: &impl Client,
    order_id: Uuid,
) -> Result<Vec<TaskRevision>> {
    query_all(
        client,
        r#"SELECT t.id, t."sequenceOrder", r."workInstructionId", r.title, r.revision
             FROM "Task" t
             JOIN "TaskList" l ON l.id = t."taskListId"
             JOIN "WorkInstructionRevision" r ON r.id = t."workInstructionRevisionId"
            WHERE l."orderId" = $1
            ORDER BY l."generatedAt" NULLS FIRST, l.id, t."sequenceOrder""#,
        &[&order_id],
        |r| {
            Ok(TaskRevision {
                task_id: r.col("id")?,
                sequence: r.col("sequenceOrder")?,
                instruction_id: r.col("workInstructionId")?,
                title: r.col("title")?,
                revision: r.col("revision")?,
            })
        },
    )
    .await
}
