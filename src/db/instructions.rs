//! Tools and work instructions (the assembler's reference material).

use crate::db::{DbError, GenericClient, Transaction};
use uuid::Uuid;

pub async fn tool_id_by_name(db: &impl GenericClient, name: &str) -> Result<Option<Uuid>, DbError> {
    let row = db
        .query_opt(
            r#"SELECT id FROM "Tool" WHERE name = $1 ORDER BY "createdAt" LIMIT 1"#,
            &[&name],
        )
        .await?;
    Ok(row.map(|r| r.get(0)))
}

pub async fn insert_tool(
    tx: &Transaction<'_>,
    name: &str,
    description: &str,
    category: &str,
) -> Result<Uuid, DbError> {
    let row = tx
        .query_one(
            r#"INSERT INTO "Tool" (name, description, category) VALUES ($1, $2, $3) RETURNING id"#,
            &[&name, &description, &category],
        )
        .await?;
    Ok(row.get(0))
}

pub async fn instruction_id_by_title(
    db: &impl GenericClient,
    title: &str,
    version: i32,
) -> Result<Option<Uuid>, DbError> {
    let row = db
        .query_opt(
            r#"SELECT id FROM "WorkInstruction" WHERE title = $1 AND version = $2 LIMIT 1"#,
            &[&title, &version],
        )
        .await?;
    Ok(row.map(|r| r.get(0)))
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
) -> Result<Uuid, DbError> {
    let id: Uuid = tx
        .query_one(
            r#"INSERT INTO "WorkInstruction" (title, description, "associatedAssemblyId", "isGeneric", version)
               VALUES ($1, $2, $3, $4, 1) RETURNING id"#,
            &[&title, &description, &assembly_id, &assembly_id.is_none()],
        )
        .await?
        .get(0);
    for (n, step) in (1i32..).zip(steps) {
        tx.execute(
            r#"INSERT INTO "WorkInstructionStep" ("workInstructionId", "stepNumber", description, "safetyNotes", "estimatedTime")
               VALUES ($1, $2, $3, $4, $5)"#,
            &[&id, &n, &step.description, &step.safety_notes, &step.estimated_minutes],
        )
        .await?;
    }
    Ok(id)
}
