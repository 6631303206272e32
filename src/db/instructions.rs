//! Tools and work instructions (the assembler's reference material).

use crate::db::row::{RowExt, query_all, query_id, query_opt_col};
use crate::db::{GenericClient, Transaction};
use crate::domain::tasks;
use crate::error::{Result, ServiceError};
use uuid::Uuid;

pub async fn tool_id_by_name(db: &impl GenericClient, name: &str) -> Result<Option<Uuid>> {
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

pub async fn instruction_id_by_title(
    db: &impl GenericClient,
    title: &str,
    version: i32,
) -> Result<Option<Uuid>> {
    query_opt_col(
        db,
        r#"SELECT id FROM "WorkInstruction" WHERE title = $1 AND version = $2 LIMIT 1"#,
        &[&title, &version],
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
    Ok(id)
}

// ------------------------------------------------------------------------------------------------
// Admin: the catalog and its edits
// ------------------------------------------------------------------------------------------------
//
// `xmin` (the id of the transaction that last wrote the row) serves as the edit stamp: every write to a
// row changes it, so an edit carrying an older stamp lost a race with another station. "Tool" has no
// "updatedAt", and the instruction's own changes with the clock rather than with each write.

use crate::domain::instructions::{
    InstructionCatalog, InstructionDraft, InstructionRow, StepDraft, ToolDraft, ToolRow,
};
use crate::domain::tasks::StepView;
use std::collections::HashMap;

/// The latest version of each title (an active one when there is one; active first, then by title)
/// with steps and the tasks linking it, and every tool by name.
pub async fn catalog(db: &impl GenericClient) -> Result<InstructionCatalog> {
    let mut instructions: Vec<_> = query_all(
        db,
        r#"SELECT * FROM (
                 SELECT DISTINCT ON (wi.title) wi.id, wi.title, wi.description, wi.version,
                        COALESCE(wi."isActive", true) AS active, wi.xmin::text::int8 AS stamp
                   FROM "WorkInstruction" wi
                  ORDER BY wi.title, COALESCE(wi."isActive", true) DESC, wi.version DESC, wi."createdAt" DESC
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
        .query(
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
async fn steps_of(db: &impl GenericClient, ids: &[Uuid]) -> Result<HashMap<Uuid, Vec<StepView>>> {
    let rows = db
        .query(
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

async fn instruction_task_counts(
    db: &impl GenericClient,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, i64>> {
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
    version: i32,
    stamp: i64,
    assembly_id: Option<String>,
    generic: Option<bool>,
}

fn changed_meanwhile(what: &str) -> ServiceError {
    ServiceError::Conflict(format!(
        "{what} was changed at another station meanwhile; your change was not saved. \
         The list now shows the current version."
    ))
}

/// Saves a validated instruction draft (see [`crate::domain::instructions::validate_instruction`]);
/// returns the id of the row that now holds it.
///
/// A new title starts a row (its version follows any older, inactive versions of the title). An edit
/// of a row no task links is made in place; an edit of a linked row inserts version + 1 and
/// deactivates the old row, so finished tasks keep the text they were done with. Only (de)activating
/// never makes a new version.
pub async fn save_instruction(tx: &Transaction<'_>, draft: &InstructionDraft) -> Result<Uuid> {
    let Some(id) = draft.id else {
        if draft.active {
            refuse_duplicate_title(tx, &draft.title, None).await?;
        }
        let version = next_version(tx, &draft.title, 0).await?;
        return insert_version(tx, draft, version, None, None).await;
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
    let newer = tx
        .query_one(
            r#"SELECT EXISTS (SELECT 1 FROM "WorkInstruction" WHERE title = $1 AND version > $2) AS "newerExists""#,
            &[&current.title, &current.version],
        )
        .await?
        .col::<bool>("newerExists")?;
    if newer {
        return Err(changed_meanwhile(&what));
    }
    // Checked after the stale checks: a stale edit would otherwise collide with its own newer version.
    if draft.active {
        refuse_duplicate_title(tx, &draft.title, Some(id)).await?;
    }
    let steps = steps_of(tx, &[id]).await?.remove(&id).unwrap_or_default();
    let same_content = current.title == draft.title
        && current.description == draft.description
        && same_steps(&steps, &draft.steps);
    if same_content {
        tx.execute(
            r#"UPDATE "WorkInstruction" SET "isActive" = $2 WHERE id = $1"#,
            &[&id, &draft.active],
        )
        .await?;
        return Ok(id);
    }
    let linked = tx
        .query_one(
            r#"SELECT EXISTS (SELECT 1 FROM "Task" WHERE "workInstructionId" = $1) AS "linked""#,
            &[&id],
        )
        .await?
        .col::<bool>("linked")?;
    if !linked {
        tx.execute(
            r#"UPDATE "WorkInstruction" SET title = $2, description = $3, "isActive" = $4 WHERE id = $1"#,
            &[&id, &draft.title, &draft.description, &draft.active],
        )
        .await?;
        tx.execute(
            r#"DELETE FROM "WorkInstructionStep" WHERE "workInstructionId" = $1"#,
            &[&id],
        )
        .await?;
        insert_steps(tx, id, draft_steps(&draft.steps)).await?;
        return Ok(id);
    }
    let version = next_version(tx, &draft.title, current.version).await?;
    let new_id = insert_version(
        tx,
        draft,
        version,
        current.assembly_id.as_deref(),
        current.generic,
    )
    .await?;
    tx.execute(
        r#"UPDATE "WorkInstruction" SET "isActive" = false WHERE id = $1"#,
        &[&id],
    )
    .await?;
    Ok(new_id)
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
        .query_opt(
            r#"SELECT title, description, version, COALESCE("isActive", true), xmin::text::int8 AS "stamp",
                      "associatedAssemblyId", "isGeneric"
                 FROM "WorkInstruction" WHERE id = $1 FOR UPDATE"#,
            &[&id],
        )
        .await?
        .ok_or_else(|| ServiceError::NotFound(format!("Work instruction {id}")))?;
    Ok(Current {
        title: row.col("title")?,
        description: row.col("description")?,
        version: row.col("version")?,
        stamp: row.col("stamp")?,
        assembly_id: row.col("associatedAssemblyId")?,
        generic: row.col("isGeneric")?,
    })
}

/// One above both `at_least` and every stored version of `title`, so the latest is always the highest.
async fn next_version(tx: &Transaction<'_>, title: &str, at_least: i32) -> Result<i32> {
    let row = tx
        .query_one(
            r#"SELECT GREATEST(COALESCE(max(version), 0), $2) + 1 AS "nextVersion" FROM "WorkInstruction" WHERE title = $1"#,
            &[&title, &at_least],
        )
        .await?;
    row.col("nextVersion")
}

async fn insert_version(
    tx: &Transaction<'_>,
    draft: &InstructionDraft,
    version: i32,
    assembly_id: Option<&str>,
    generic: Option<bool>,
) -> Result<Uuid> {
    let generic = generic.unwrap_or(assembly_id.is_none());
    let id: Uuid = tx
        .query_one(
            r#"INSERT INTO "WorkInstruction"
                      (title, description, "associatedAssemblyId", "isGeneric", version, "isActive")
               VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"#,
            &[
                &draft.title,
                &draft.description,
                &assembly_id,
                &generic,
                &version,
                &draft.active,
            ],
        )
        .await?
        .col("id")?;
    insert_steps(tx, id, draft_steps(&draft.steps)).await?;
    Ok(id)
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
        tx.execute(
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
        .query_opt(
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
            .query_opt(
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
            .query_opt(
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
    tx.execute(
        r#"UPDATE "Tool" SET name = $2, description = $3, category = $4, "isActive" = $5 WHERE id = $1"#,
        &[&id, &draft.name, &draft.description, &draft.category, &draft.active],
    )
    .await?;
    Ok(id)
}
