//! Work instructions and tools: every role that works the floor reads them, ADMIN edits them.

use super::guard::require_role;
use super::{Authed, ServiceCtx, authenticate};
use crate::db::{begin_as, instructions};
use crate::domain::Role;
use crate::domain::instruction_revisions::InstructionHistory;
use crate::domain::instructions::{
    DraftError, InstructionCatalog, InstructionDraft, ToolDraft, validate_instruction,
    validate_tool,
};
use crate::error::{Result, ServiceError};
use crate::msg::{Reply, Request};
use uuid::Uuid;

pub async fn handle(ctx: &ServiceCtx, req: Request) -> Result<Reply> {
    let catalog = match req {
        Request::WorkInstructions { token } => read(ctx, &token).await?,
        Request::SaveWorkInstruction { token, instruction } => {
            save_instruction(ctx, &token, &instruction).await?
        }
        Request::SaveTool { token, tool } => save_tool(ctx, &token, &tool).await?,
        Request::WorkInstructionRevisions {
            token,
            instruction_id,
        } => {
            let history = revisions(ctx, &token, instruction_id).await?;
            return Ok(Reply::WorkInstructionRevisions(Box::new(history)));
        }
        _ => {
            return Err(ServiceError::Invalid(
                "not a work instruction request".into(),
            ));
        }
    };
    Ok(Reply::WorkInstructions(Box::new(catalog)))
}

/// The binding role check for edits.
fn require_admin(who: &Authed) -> Result<()> {
    require_role(who, &[Role::Admin], "change work instructions or tools")
}

/// The first broken rule as the refusal; the screen checks the same rules before sending.
fn refusal(errors: Vec<DraftError>) -> ServiceError {
    ServiceError::Invalid(
        errors
            .into_iter()
            .next()
            .map_or_else(|| "The input is not valid".into(), |e| e.message),
    )
}

/// The whole catalog (any logged-in user).
pub async fn read(ctx: &ServiceCtx, token: &str) -> Result<InstructionCatalog> {
    authenticate(ctx, token).await?;
    let client = ctx.pool.get().await?;
    instructions::catalog(&client).await
}

/// The revisions of one instruction, newest first (any logged-in user, like the catalog).
pub async fn revisions(
    ctx: &ServiceCtx,
    token: &str,
    instruction_id: Uuid,
) -> Result<InstructionHistory> {
    authenticate(ctx, token).await?;
    let client = ctx.pool.get().await?;
    instructions::history(&client, instruction_id).await
}

/// Creates or edits a work instruction (ADMIN); answers the catalog after the change.
#[tracing::instrument(skip_all, fields(id = ?draft.id))]
pub async fn save_instruction(
    ctx: &ServiceCtx,
    token: &str,
    draft: &InstructionDraft,
) -> Result<InstructionCatalog> {
    let who = authenticate(ctx, token).await?;
    require_admin(&who)?;
    let draft = validate_instruction(draft).map_err(refusal)?;
    let mut client = ctx.pool.get().await?;
    let tx = begin_as(&mut client, &who.actor(ctx)).await?;
    let id = instructions::save_instruction(&tx, &draft, who.user.id).await?;
    tx.commit().await?;
    tracing::info!(instruction_id = %id, by = %who.user.id, "work instruction saved");
    instructions::catalog(&client).await
}

/// Creates or edits a tool (ADMIN); answers the catalog after the change.
#[tracing::instrument(skip_all, fields(id = ?draft.id))]
pub async fn save_tool(
    ctx: &ServiceCtx,
    token: &str,
    draft: &ToolDraft,
) -> Result<InstructionCatalog> {
    let who = authenticate(ctx, token).await?;
    require_admin(&who)?;
    let draft = validate_tool(draft).map_err(refusal)?;
    let mut client = ctx.pool.get().await?;
    let tx = begin_as(&mut client, &who.actor(ctx)).await?;
    let id = instructions::save_tool(&tx, &draft).await?;
    tx.commit().await?;
    tracing::info!(tool_id = %id, by = %who.user.id, "tool saved");
    instructions::catalog(&client).await
}
