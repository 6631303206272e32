//! The assembly floor's task lists: generated with the move into READY_FOR_PRODUCTION, completed and
//! reopened by assemblers (docs/assembly-floor.md §2-§4).

use super::guard::{
    check_acting_unless_admin, lock_order, order_not_found, require_floor_worker, require_viewer,
};
use super::{Authed, ServiceCtx, authenticate};
use crate::db::orders::{self as db_orders, LockedOrder};
use crate::db::tasks::{self as db_tasks, NewTask};
use crate::db::{Client, Transaction, begin_as};
use crate::domain::order::OrderStatus;
use crate::domain::tasks::{self, PRODUCTION_TEMPLATE, TaskCompletion, TaskListView, TaskView};
use crate::error::{Result, ServiceError};
use uuid::Uuid;

/// The first entry into READY_FOR_PRODUCTION generates the task list (docs/assembly-floor.md §2.1); a
/// return after a Final QC failure appends the rework task (docs/assembly-floor.md §4). Runs in the
/// move's transaction: a failure here undoes the move.
pub(crate) async fn on_enter_production(
    tx: &Transaction<'_>,
    order: &LockedOrder,
    from: OrderStatus,
    _user_id: Uuid,
    reason: Option<&str>,
) -> Result<()> {
    if !db_tasks::any_list(tx, order.id).await? {
        generate(tx, order).await?;
    }
    if from == OrderStatus::ReadyForFinalQc {
        let Some((list_id, _, _)) = db_tasks::active_list(tx, order.id).await? else {
            return Err(ServiceError::Invalid(format!(
                "Build {} has no active task list for the rework task",
                order.build_number
            )));
        };
        db_tasks::append_task(tx, list_id, &tasks::rework_description(reason)).await?;
        tracing::info!(order = %order.id, "rework task added");
    }
    Ok(())
}

/// Writes the build's task list from the active Production Checklist, its configuration and current BOM.
async fn generate(tx: &Transaction<'_>, order: &LockedOrder) -> Result<()> {
    let template = crate::db::templates::active_template(tx, PRODUCTION_TEMPLATE)
        .await?
        .ok_or_else(|| {
            ServiceError::Invalid(format!(
                "The task list cannot be generated: no active \"{PRODUCTION_TEMPLATE}\" template; import the checklists first"
            ))
        })?;
    let items = crate::db::qc::items(tx, template.id).await?;
    let estimates = db_tasks::estimates(tx, template.id).await?;
    let record = db_orders::load(tx, order.id)
        .await?
        .ok_or_else(order_not_found)?;
    let bom = crate::db::bom::document(tx, order.id, None).await?;
    let planned = tasks::plan(
        &items,
        &estimates,
        &record.build,
        order.language,
        bom.as_ref(),
    )
    .map_err(|e| ServiceError::Invalid(format!("The task list cannot be generated: {e}")))?;
    let mut titles: Vec<&str> = planned.iter().filter_map(|t| t.instruction).collect();
    titles.sort_unstable();
    titles.dedup();
    let mut names: Vec<&str> = planned.iter().flat_map(|t| t.tools.clone()).collect();
    names.sort_unstable();
    names.dedup();
    let instruction_ids = db_tasks::instruction_ids(tx, &titles).await?;
    let tool_ids = db_tasks::tool_ids(tx, &names).await?;
    // Reference material the catalog lacks is left out; the task itself is still required.
    let new: Vec<NewTask> = planned
        .into_iter()
        .map(|t| NewTask {
            sequence: t.sequence,
            instruction: t
                .instruction
                .and_then(|title| instruction_ids.get(title).copied()),
            item_id: t.item_id,
            estimated_minutes: t.estimated_minutes,
            tool_ids: t
                .tools
                .iter()
                .filter_map(|n| tool_ids.get(*n).copied())
                .collect(),
            parts: t.parts,
            description: t.description,
        })
        .collect();
    db_tasks::insert_list(tx, order.id, &tasks::assembly_type(&record.build), &new).await?;
    tracing::info!(order = %order.id, tasks = new.len(), "task list generated");
    Ok(())
}

fn task_not_found() -> ServiceError {
    ServiceError::NotFound("Task".into())
}

/// Why the build's tasks cannot change now, if they cannot.
pub(crate) async fn lock_reason(
    client: &impl Client,
    order_id: Uuid,
    status: OrderStatus,
) -> Result<Option<String>> {
    if status != OrderStatus::ReadyForProduction {
        return Ok(Some(format!(
            "Tasks can be changed only while the build is READY_FOR_PRODUCTION; it is {status}"
        )));
    }
    // A held build's tasks are not changed (docs/holds.md §3.2); the runner shows why.
    if let Some(hold) = crate::db::holds::open_hold(client, order_id).await? {
        return Ok(Some(hold.refusal()));
    }
    let since = db_orders::entered_at(client, order_id, OrderStatus::ReadyForProduction).await?;
    if db_tasks::testing_submitted_since(client, order_id, since).await? {
        return Ok(Some(
            "The tasks are locked: a testing form was submitted in this round".into(),
        ));
    }
    Ok(None)
}

/// A build's task list, for anyone who may see production data.
pub async fn task_list(ctx: &ServiceCtx, token: &str, order_id: Uuid) -> Result<TaskListView> {
    let who = authenticate(ctx, token).await?;
    require_viewer(&who)?;
    let client = ctx.pool.get().await?;
    let status = db_orders::current_status(&client, order_id)
        .await?
        .map(|(_, s)| s)
        .ok_or_else(order_not_found)?;
    let (list_id, assembly_type, generated_at) = db_tasks::active_list(&client, order_id)
        .await?
        .ok_or_else(|| ServiceError::NotFound("Task list".into()))?;
    let tasks = db_tasks::tasks(&client, list_id).await?;
    let locked = lock_reason(&client, order_id, status).await?;
    let findings = super::carry_over::rework_findings(&client, order_id, &tasks).await?;
    Ok(TaskListView {
        order_id,
        list_id,
        assembly_type,
        generated_at,
        status,
        locked,
        tasks,
        findings,
    })
}

/// Locks the task's build and checks role, acting rule (docs/lifecycle.md §1.3), status and the round's
/// lock.
async fn guard(
    tx: &Transaction<'_>,
    who: &Authed,
    task_id: Uuid,
) -> Result<(LockedOrder, TaskView)> {
    let order_id = db_tasks::order_of_task(tx, task_id)
        .await?
        .ok_or_else(task_not_found)?;
    let locked = lock_order(tx, order_id).await?;
    check_acting_unless_admin(who, &locked)?;
    if let Some(reason) = lock_reason(tx, order_id, locked.status).await? {
        return Err(ServiceError::Invalid(reason));
    }
    let task = load_task(tx, order_id, task_id).await?;
    Ok((locked, task))
}

async fn load_task(client: &impl Client, order_id: Uuid, task_id: Uuid) -> Result<TaskView> {
    let (list_id, _, _) = db_tasks::active_list(client, order_id)
        .await?
        .ok_or_else(task_not_found)?;
    db_tasks::tasks(client, list_id)
        .await?
        .into_iter()
        .find(|t| t.id == task_id)
        .ok_or_else(task_not_found)
}

/// What another station did to a task first.
fn already(task: &TaskView, what: &str) -> ServiceError {
    let by = match (&task.completed_by, task.completed_at) {
        (Some((_, name)), Some(at)) => {
            format!(" by {name} at {}", crate::domain::clock::local_clock(at))
        }
        _ => String::new(),
    };
    ServiceError::Conflict(format!(
        "Task {} was already {what}{by}; your change was not saved",
        task.sequence
    ))
}

/// What an assembler does to a task.
enum TaskChange {
    Complete(TaskCompletion),
    Reopen,
    /// A note, already checked.
    Note(String),
}

/// Completes a task (who and when recorded). The notes carry the choice or the N/A reason
/// (docs/assembly-floor.md §3).
pub async fn complete_task(
    ctx: &ServiceCtx,
    token: &str,
    task_id: Uuid,
    completion: TaskCompletion,
) -> Result<TaskView> {
    let who = floor_worker(ctx, token).await?;
    change_task(ctx, &who, task_id, TaskChange::Complete(completion)).await
}

/// Reopens a completed task.
pub async fn reopen_task(ctx: &ServiceCtx, token: &str, task_id: Uuid) -> Result<TaskView> {
    let who = floor_worker(ctx, token).await?;
    change_task(ctx, &who, task_id, TaskChange::Reopen).await
}

/// Adds a note to a task, prefixed with the author's name; earlier notes stay.
pub async fn add_note(
    ctx: &ServiceCtx,
    token: &str,
    task_id: Uuid,
    note: &str,
) -> Result<TaskView> {
    let who = floor_worker(ctx, token).await?;
    let note = tasks::validate_note(note).map_err(ServiceError::Invalid)?;
    change_task(ctx, &who, task_id, TaskChange::Note(note)).await
}

/// The session's user, who must be one who works assembly tasks.
async fn floor_worker(ctx: &ServiceCtx, token: &str) -> Result<Authed> {
    let who = authenticate(ctx, token).await?;
    require_floor_worker(&who, "work assembly tasks")?;
    Ok(who)
}

/// Makes `change` to a task in one transaction, under the checks of [`guard`]; the task as it is then.
async fn change_task(
    ctx: &ServiceCtx,
    who: &Authed,
    task_id: Uuid,
    change: TaskChange,
) -> Result<TaskView> {
    let mut client = ctx.pool.get().await?;
    let tx = begin_as(&mut client, &who.actor(ctx)).await?;
    let (locked, task) = guard(&tx, who, task_id).await?;
    let logged = match change {
        TaskChange::Complete(completion) => {
            let notes = tasks::completion_notes(task.check_type, &task.options, &completion)
                .map_err(ServiceError::Invalid)?;
            if !db_tasks::complete(&tx, task_id, who.user.id, notes.as_deref()).await? {
                let now = load_task(&tx, locked.id, task_id).await?;
                return Err(already(&now, "completed"));
            }
            Some("task completed")
        }
        TaskChange::Reopen => {
            if !db_tasks::reopen(&tx, task_id).await? {
                return Err(ServiceError::Conflict(format!(
                    "Task {} is already open; nothing was changed",
                    task.sequence
                )));
            }
            Some("task reopened")
        }
        TaskChange::Note(note) => {
            let line = format!("{}: {note}", who.user.full_name);
            if !db_tasks::add_note(&tx, task_id, &line).await? {
                return Err(task_not_found());
            }
            None
        }
    };
    let task = load_task(&tx, locked.id, task_id).await?;
    tx.commit().await?;
    if let Some(what) = logged {
        tracing::info!(order = %locked.id, task = %task_id, "{what}");
    }
    Ok(task)
}
