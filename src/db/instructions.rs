//! Tools and work instructions (the assembler's reference material).

use crate::db::row::{RowExt, query_all, query_id, query_opt_col};
use crate::db::{Client, Transaction};
use crate::domain::tasks;
use crate::error::{Result, ServiceError};
use uuid::Uuid;

pub async fn tool_id_by_name(db: &impl Client, name: &str) -> Result<Option<Uuid>> {
    query_opt_col(
        db,
        r#"SELECT id FROM "Tool" WHERE name = $1 ORDER BY "createdAt" LIMIT 1"#,
        &[&name],
        "id",
    )
    .await
}

pub async fn insert_tool(
    tx: &Transaction<'_>,
    name: &str,
    description: &str,
    category: &str,
) -> Result<Uuid> {
    query_id(
        tx,
        r#"INSERT INTO "Tool" (name, description, category) VALUES ($1, $2, $3) RETURNING id"#,
        &[&name, &description, &category],
    )
    .await
}

/// An instruction of the title, at any revision (an edited one keeps its title and id).
pub async fn instruction_id_by_title(db: &impl Client, title: &str) -> Result<Option<Uuid>> {
    query_opt_col(
        db,
        r#"SELECT id FROM "WorkInstruction" WHERE title = $1 ORDER BY "createdAt", id LIMIT 1"#,
        &[&title],
        "id",
    )
    .await
}

pub struct NewStep<'a> {
    pub description: &'a str,
    pub safety_notes: Option<&'a str>,
    pub estimated_minutes: i32,
}

pub async fn insert_instruction(
    tx: &Transaction<'_>,
    title: &str,
    description: &str,
    assembly_id: Option<&str>,
    steps: &[NewStep<'_>],
) -> Result<Uuid> {
    let id = query_id(
        tx,
        r#"INSERT INTO "WorkInstruction" (title, description, "associatedAssemblyId", "isGeneric", version)
           VALUES ($1, $2, $3, $4, 1) RETURNING id"#,
        &[&title, &description, &assembly_id, &assembly_id.is_none()],
    )
    .await?;
    let steps = steps
        .iter()
        .map(|s| (s.description, s.safety_notes, Some(s.estimated_minutes)));
    insert_steps(tx, id, steps).await?;
    insert_revision(tx, id, None, SEEDED).await?;
    Ok(id)
}

/// The change note of an instruction's first revision when it comes with the demo data.
const SEEDED: &str = "Imported with the demo data";

// ------------------------------------------------------------------------------------------------
// Admin: the catalog and its edits
// ------------------------------------------------------------------------------------------------
//
// `xmin` (the id of the transaction that last wrote the row) serves as the edit stamp: every write to a
// row changes it, so an edit carrying an older stamp lost a race with another station. "Tool" has no
// "updatedAt", and the instruction's own changes with the clock rather than with each write.

use crate::domain::instruction_revisions::{InstructionHistory, RevisionView};
use crate::domain::instructions::{
    InstructionCatalog, InstructionDraft, InstructionRow, StepDraft, ToolDraft, ToolRow,
    require_change_note,
};
use crate::domain::tasks::StepView;
use std::collections::HashMap;

/// The latest version of each title (an active one when there is one; active first, then by title)
/// with steps and the tasks linking it, and every tool by name.
pub async fn catalog(db: &impl Client) -> Result<InstructionCatalog> {
    let mut instructions: Vec<_> = query_all(
        db,
        r#"SELECT * FROM (
                 SELECT DISTINCT ON (wi.title) wi.id, wi.title, wi.description, wi.version,
                        COALESCE(wi."isActive", true) AS active, wi.xmin::text::int8 AS stamp
                   FROM "WorkInstruction" wi
                  ORDER BY wi.title, COALESCE(wi."isActive", true) DESC, wi."createdAt" DESC, wi.version DESC, wi.id
               ) latest
               ORDER BY active DESC, lower(title), title"#,
        &[],
        |r| {
            Ok(InstructionRow {
                id: r.col("id")?,
                title: r.col("title")?,
                description: r.col("description")?,
                version: r.col("version")?,
                active: r.col("active")?,
                steps: Vec::new(),
                task_count: 0,
                stamp: r.col("stamp")?,
            })
        },
    )
    .await?;
    let ids: Vec<Uuid> = instructions.iter().map(|i| i.id).collect();
    let mut steps = steps_of(db, &ids).await?;
    let counts = instruction_task_counts(db, &ids).await?;
    for i in &mut instructions {
        i.steps = steps.remove(&i.id).unwrap_or_default();
        i.task_count = counts.get(&i.id).copied().unwrap_or(0);
    }
    let rows = db
        .fetch(
            r#"SELECT t.id, t.name, t.description, t.category, COALESCE(t."isActive", true) AS "active",
                      (SELECT count(*) FROM "TaskTool" tt WHERE tt."toolId" = t.id) AS "taskCount",
                      t.xmin::text::int8 AS "stamp"
                 FROM "Tool" t
                ORDER BY lower(t.name), t.name, t."createdAt", t.id"#,
            &[],
        )
        .await?;
    let tools = rows
        .iter()
        .map(|r| {
            Ok(ToolRow {
                id: r.col("id")?,
                name: r.col("name")?,
                description: r.col("description")?,
                category: r.col("category")?,
                active: r.col("active")?,
                task_count: r.col("taskCount")?,
                stamp: r.col("stamp")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(InstructionCatalog {
        instructions,
        tools,
    })
}

/// The steps of each instruction, numbered in order.
async fn steps_of(db: &impl Client, ids: &[Uuid]) -> Result<HashMap<Uuid, Vec<StepView>>> {
    let rows = db
        .fetch(
            r#"SELECT "workInstructionId", "stepNumber", description, "safetyNotes", "estimatedTime"
                 FROM "WorkInstructionStep" WHERE "workInstructionId" = ANY($1)
                ORDER BY "workInstructionId", "stepNumber""#,
            &[&ids],
        )
        .await?;
    let mut out: HashMap<Uuid, Vec<StepView>> = HashMap::new();
    for r in &rows {
        out.entry(r.col("workInstructionId")?)
            .or_default()
            .push(StepView {
                number: r.col("stepNumber")?,
                description: r.col("description")?,
                safety_notes: r.col("safetyNotes")?,
                estimated_minutes: r.col("estimatedTime")?,
            });
    }
    Ok(out)
}

async fn instruction_task_counts(db: &impl Client, ids: &[Uuid]) -> Result<HashMap<Uuid, i64>> {
    query_all(
        db,
        r#"SELECT "workInstructionId", count(*) AS "taskCount" FROM "Task"
                WHERE "workInstructionId" = ANY($1) GROUP BY "workInstructionId""#,
        &[&ids],
        |r| Ok((r.col("workInstructionId")?, r.col("taskCount")?)),
    )
    .await
}

/// The row an edit starts from, locked for the rest of the transaction.
struct Current {
    title: String,
    description: Option<String>,
    stamp: i64,
}

fn changed_meanwhile(what: &str) -> ServiceError {
    ServiceError::Conflict(format!(
        "{what} was changed at another station meanwhile; your change was not saved. \
         The list now shows the current version."
    ))
}

/// Saves a validated instruction draft (see [`crate::domain::instructions::validate_instruction`])
/// for `author`; returns the instruction's id.
///
/// Every change of content (title, description, steps) is made in place and recorded as the next
/// revision with the draft's change note, which it then requires; "version" follows the revision
/// number. Tasks name the revision they were generated with, so they keep its text
/// (docs/assembly-floor.md §8). Only (de)activating makes no revision.
pub async fn save_instruction(
    tx: &Transaction<'_>,
    draft: &InstructionDraft,
    author: Uuid,
) -> Result<Uuid> {
    let Some(id) = draft.id else {
        if draft.active {
            refuse_duplicate_title(tx, &draft.title, None).await?;
        }
        let note = change_note(draft)?;
        let id = query_id(
            tx,
            r#"INSERT INTO "WorkInstruction" (title, description, "isGeneric", version, "isActive")
               VALUES ($1, $2, true, 1, $3) RETURNING id"#,
            &[&draft.title, &draft.description, &draft.active],
        )
        .await?;
        insert_steps(tx, id, draft_steps(&draft.steps)).await?;
        insert_revision(tx, id, Some(author), note).await?;
        return Ok(id);
    };
    let current = lock_instruction(tx, id).await?;
    let what = format!("Work instruction \"{}\"", current.title);
    if draft.stamp != Some(current.stamp) {
        return Err(changed_meanwhile(&what));
    }
    if current.title != draft.title && tasks::names_instruction(&current.title) {
        return Err(ServiceError::Invalid(tasks::rename_refusal(
            "Work instruction",
            &current.title,
        )));
    }
    if draft.active {
        refuse_duplicate_title(tx, &draft.title, Some(id)).await?;
    }
    let steps = steps_of(tx, &[id]).await?.remove(&id).unwrap_or_default();
    let same_content = current.title == draft.title
        && current.description == draft.description
        && same_steps(&steps, &draft.steps);
    if same_content {
        tx.exec(
            r#"UPDATE "WorkInstruction" SET "isActive" = $2 WHERE id = $1"#,
            &[&id, &draft.active],
        )
        .await?;
        return Ok(id);
    }
    let note = change_note(draft)?;
    tx.exec(
        r#"UPDATE "WorkInstruction" SET title = $2, description = $3, "isActive" = $4, version = version + 1
            WHERE id = $1"#,
        &[&id, &draft.title, &draft.description, &draft.active],
    )
    .await?;
    tx.exec(
        r#"DELETE FROM "WorkInstructionStep" WHERE "workInstructionId" = $1"#,
        &[&id],
    )
    .await?;
    insert_steps(tx, id, draft_steps(&draft.steps)).await?;
    insert_revision(tx, id, Some(author), note).await?;
    Ok(id)
}

fn change_note(draft: &InstructionDraft) -> Result<&str> {
    require_change_note(draft).map_err(|e| ServiceError::Invalid(e.message))
}

/// Records the instruction as it now stands (title, description, steps) as the revision its version
/// names.
async fn insert_revision(
    tx: &Transaction<'_>,
    id: Uuid,
    author: Option<Uuid>,
    note: &str,
) -> Result<()> {
    tx.exec(
        r#"INSERT INTO "WorkInstructionRevision"
                  ("workInstructionId", "revision", "title", "description", "steps", "authorId", "changeNote")
           SELECT wi.id, wi.version, wi.title, wi.description,
                  COALESCE((SELECT jsonb_agg(jsonb_build_object(
                                       'stepNumber', s."stepNumber", 'description', s.description,
                                       'safetyNotes', s."safetyNotes", 'estimatedTime', s."estimatedTime")
                                   ORDER BY s."stepNumber")
                              FROM "WorkInstructionStep" s WHERE s."workInstructionId" = wi.id), '[]'::jsonb),
                  $2, $3
             FROM "WorkInstruction" wi WHERE wi.id = $1"#,
        &[&id, &author, &note],
    )
    .await?;
    Ok(())
}

/// A stored revision with the instruction it belongs to: (revision id, instruction id, the
/// instruction's latest revision number, the revision).
pub struct StoredRevision {
    pub id: Uuid,
    pub instruction_id: Uuid,
    pub current: i32,
    pub revision: RevisionView,
}

/// The revisions of `instruction` (newest first) and those with the given ids, with their steps.
pub async fn revisions(
    db: &impl Client,
    instruction: Option<Uuid>,
    ids: &[Uuid],
) -> Result<Vec<StoredRevision>> {
    let rows = db
        .fetch(
            r#"SELECT r.id, r."workInstructionId", wi.version AS "currentVersion", r.revision, r.title,
                      r.description, r."createdAt", r."changeNote",
                      COALESCE(NULLIF(u."fullName", ''), u.username) AS "author",
                      s."stepNumber", s.description AS "stepDescription", s."safetyNotes", s."estimatedTime"
                 FROM "WorkInstructionRevision" r
                 JOIN "WorkInstruction" wi ON wi.id = r."workInstructionId"
                 LEFT JOIN "User" u ON u.id = r."authorId"
                 LEFT JOIN LATERAL jsonb_to_recordset(r.steps)
                      AS s("stepNumber" int4, description text, "safetyNotes" text, "estimatedTime" int4)
                      ON true
                WHERE r."workInstructionId" = $1 OR r.id = ANY($2)
                ORDER BY r."workInstructionId", r.revision DESC, s."stepNumber""#,
            &[&instruction, &ids],
        )
        .await?;
    let mut out: Vec<StoredRevision> = Vec::new();
    for r in &rows {
        let id: Uuid = r.col("id")?;
        if out.last().is_none_or(|last| last.id != id) {
            out.push(StoredRevision {
                id,
                instruction_id: r.col("workInstructionId")?,
                current: r.col("currentVersion")?,
                revision: RevisionView {
                    number: r.col("revision")?,
                    title: r.col("title")?,
                    description: r.col("description")?,
                    steps: Vec::new(),
                    author: r.col("author")?,
                    created_at: r.col("createdAt")?,
                    change_note: r.col("changeNote")?,
                },
            });
        }
        let Some(number) = r.col::<Option<i32>>("stepNumber")? else {
            continue;
        };
        if let Some(last) = out.last_mut() {
            last.revision.steps.push(StepView {
                number,
                description: r
                    .col::<Option<String>>("stepDescription")?
                    .unwrap_or_default(),
                safety_notes: r.col("safetyNotes")?,
                estimated_minutes: r.col("estimatedTime")?,
            });
        }
    }
    Ok(out)
}

/// An instruction's revisions, newest first.
pub async fn history(db: &impl Client, instruction_id: Uuid) -> Result<InstructionHistory> {
    let revisions = revisions(db, Some(instruction_id), &[]).await?;
    if revisions.is_empty() {
        return Err(ServiceError::NotFound(format!(
            "Work instruction {instruction_id}"
        )));
    }
    Ok(InstructionHistory {
        instruction_id,
        revisions: revisions.into_iter().map(|r| r.revision).collect(),
    })
}

fn same_steps(stored: &[StepView], draft: &[StepDraft]) -> bool {
    stored.len() == draft.len()
        && stored.iter().zip(draft).all(|(s, d)| {
            s.description == d.description
                && s.safety_notes == d.safety_notes
                && s.estimated_minutes == d.estimated_minutes
        })
}

async fn lock_instruction(tx: &Transaction<'_>, id: Uuid) -> Result<Current> {
    let row = tx
        .fetch_opt(
            r#"SELECT title, description, xmin::text::int8 AS "stamp"
                 FROM "WorkInstruction" WHERE id = $1 FOR UPDATE"#,
            &[&id],
        )
        .await?
        .ok_or_else(|| ServiceError::NotFound(format!("Work instruction {id}")))?;
    Ok(Current {
        title: row.col("title")?,
        description: row.col("description")?,
        stamp: row.col("stamp")?,
    })
}

/// A draft's steps as [`insert_steps`] takes them.
fn draft_steps(steps: &[StepDraft]) -> impl Iterator<Item = (&str, Option<&str>, Option<i32>)> {
    steps.iter().map(|s| {
        (
            s.description.as_str(),
            s.safety_notes.as_deref(),
            s.estimated_minutes,
        )
    })
}

/// Inserts an instruction's steps, (description, safety notes, minutes), numbered 1..n in order.
async fn insert_steps<'s>(
    tx: &Transaction<'_>,
    id: Uuid,
    steps: impl Iterator<Item = (&'s str, Option<&'s str>, Option<i32>)>,
) -> Result<()> {
    for (n, (description, safety_notes, minutes)) in (1i32..).zip(steps) {
        tx.exec(
            r#"INSERT INTO "WorkInstructionStep" ("workInstructionId", "stepNumber", description, "safetyNotes", "estimatedTime")
               VALUES ($1, $2, $3, $4, $5)"#,
            &[&id, &n, &description, &safety_notes, &minutes],
        )
        .await?;
    }
    Ok(())
}

async fn refuse_duplicate_title(
    tx: &Transaction<'_>,
    title: &str,
    own: Option<Uuid>,
) -> Result<()> {
    let taken = tx
        .fetch_opt(
            r#"SELECT title FROM "WorkInstruction"
                WHERE lower(title) = lower($1) AND COALESCE("isActive", true)
                  AND ($2::uuid IS NULL OR id <> $2) LIMIT 1"#,
            &[&title, &own],
        )
        .await?;
    match taken {
        Some(r) => {
            let existing: String = r.col("title")?;
            Err(ServiceError::Invalid(format!(
                "An active work instruction is already titled \"{existing}\""
            )))
        }
        None => Ok(()),
    }
}

/// Saves a validated tool draft in place; returns its id.
pub async fn save_tool(tx: &Transaction<'_>, draft: &ToolDraft) -> Result<Uuid> {
    if let Some(id) = draft.id {
        let row = tx
            .fetch_opt(
                r#"SELECT name, xmin::text::int8 AS "stamp" FROM "Tool" WHERE id = $1 FOR UPDATE"#,
                &[&id],
            )
            .await?
            .ok_or_else(|| ServiceError::NotFound(format!("Tool {id}")))?;
        let name: String = row.col("name")?;
        let stamp: i64 = row.col("stamp")?;
        if draft.stamp != Some(stamp) {
            return Err(changed_meanwhile(&format!("Tool \"{name}\"")));
        }
        if name != draft.name && tasks::names_tool(&name) {
            return Err(ServiceError::Invalid(tasks::rename_refusal("Tool", &name)));
        }
    }
    if draft.active {
        let taken = tx
            .fetch_opt(
                r#"SELECT name FROM "Tool"
                    WHERE lower(name) = lower($1) AND COALESCE("isActive", true)
                      AND ($2::uuid IS NULL OR id <> $2) LIMIT 1"#,
                &[&draft.name, &draft.id],
            )
            .await?;
        if let Some(r) = taken {
            let existing: String = r.col("name")?;
            return Err(ServiceError::Invalid(format!(
                "An active tool is already named \"{existing}\""
            )));
        }
    }
    let Some(id) = draft.id else {
        return query_id(
            tx,
            r#"INSERT INTO "Tool" (name, description, category, "isActive") VALUES ($1, $2, $3, $4)
                   RETURNING id"#,
            &[
                &draft.name,
                &draft.description,
                &draft.category,
                &draft.active,
            ],
        )
        .await;
    };
    tx.exec(
        r#"UPDATE "Tool" SET name = $2, description = $3, category = $4, "isActive" = $5 WHERE id = $1"#,
        &[&id, &draft.name, &draft.description, &draft.category, &draft.active],
    )
    .await?;
    Ok(id)
}
