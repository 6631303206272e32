//! Service orders: the service department's requests and procurement's processing
//! (docs/service-orders.md).
//!
//! Visibility: the service department sees only its own orders (another's is "not found", so nothing is
//! revealed); procurement and ADMIN see and process all; the production coordinator reads all; QC and
//! assemblers see none. Every decision locks the order row first, so of two stations acting at once
//! exactly one wins and the other is told the status it lost to.

use super::guard::refuse;
use super::{ServiceCtx, authenticate};
use crate::db::notifications::{self, NewNotification};
use crate::db::service_orders::{self as store, Decision, StoredOrder};
use crate::db::{Transaction, inventory};
use crate::domain::Role;
use crate::domain::notification::SERVICE_ORDER;
use crate::domain::service_catalog::ServiceCatalog;
use crate::domain::service_order::{
    self as rules, CartLine, LineApproval, LineChange, MAX_INTERNAL_NOTE, MAX_REASON,
    ServiceAccess, ServiceOrderScope, ServiceOrderStatus, ServiceOrderSummary, ServiceOrderView,
    access, changed_message, number,
};
use crate::error::{Result, ServiceError};
use crate::msg::{Reply, Request};
use uuid::Uuid;

use ServiceOrderStatus as S;

/// `NotificationType` of every service-order notification (docs/service-orders.md §8).
const INFO: &str = "INFO";

pub async fn handle(ctx: &ServiceCtx, req: Request) -> Result<Reply> {
    let view = |v: ServiceOrderView| Reply::ServiceOrder(Box::new(v));
    match req {
        Request::SubmitServiceOrder {
            token,
            lines,
            notes,
        } => submit(ctx, &token, &lines, notes.as_deref())
            .await
            .map(view),
        Request::ServiceOrders {
            token,
            scope,
            status,
        } => list(ctx, &token, scope, status)
            .await
            .map(Reply::ServiceOrders),
        Request::ServiceOrder { token, id } => read(ctx, &token, id).await.map(view),
        Request::WithdrawServiceOrder { token, id } => {
            withdraw(ctx, &token, id).await.map(|()| Reply::Done)
        }
        Request::ApproveServiceOrder {
            token,
            id,
            lines,
            note,
            internal_note,
        } => {
            let action = Action::Approve {
                lines,
                note: rules::clean_text(note.as_deref(), MAX_REASON, "Note")
                    .map_err(ServiceError::Invalid)?,
            };
            decide(ctx, &token, id, action, internal_note.as_deref())
                .await
                .map(view)
        }
        Request::RejectServiceOrder {
            token,
            id,
            reason,
            internal_note,
        } => {
            let action = Action::Reject {
                reason: rules::check_reason(&reason).map_err(ServiceError::Invalid)?,
            };
            decide(ctx, &token, id, action, internal_note.as_deref())
                .await
                .map(view)
        }
        Request::FulfilServiceOrder {
            token,
            id,
            note,
            internal_note,
        } => {
            let action = Action::Fulfil {
                note: rules::clean_text(note.as_deref(), MAX_REASON, "Note")
                    .map_err(ServiceError::Invalid)?,
            };
            decide(ctx, &token, id, action, internal_note.as_deref())
                .await
                .map(view)
        }
        other => Err(ServiceError::Query(format!(
            "not a service order request: {other:?}"
        ))),
    }
}

fn not_found() -> ServiceError {
    ServiceError::NotFound("Service order".into())
}

/// The service catalogue (docs/service-orders.md §2), built from the stored catalog.
pub async fn catalogue(ctx: &ServiceCtx) -> Result<ServiceCatalog> {
    let client = ctx.pool.get().await?;
    let inventory = inventory::load(&client).await?;
    Ok(ServiceCatalog::from_inventory(&inventory))
}

/// Creates a PENDING order from the cart and tells procurement, in one transaction.
pub async fn submit(
    ctx: &ServiceCtx,
    token: &str,
    lines: &[CartLine],
    notes: Option<&str>,
) -> Result<ServiceOrderView> {
    let who = authenticate(ctx, token).await?;
    if access(who.user.role) != ServiceAccess::Requester {
        return Err(refuse(&who, "submit service orders"));
    }
    // The cheap rules first, so an empty cart does not load the catalog.
    if lines.is_empty() {
        return Err(ServiceError::Invalid("Cart is empty".into()));
    }
    let catalogue = catalogue(ctx).await?;
    let submission =
        rules::check_submission(lines, notes, &catalogue).map_err(ServiceError::Invalid)?;
    let mut client = ctx.pool.get().await?;
    let tx = crate::db::begin_as(&mut client, &who.actor(ctx)).await?;
    let id = store::insert(
        &tx,
        who.user.id,
        submission.notes.as_deref(),
        &submission.lines,
    )
    .await?;
    let message = format!(
        "{} from {}, {} line(s)",
        number(id),
        who.user.full_name,
        submission.lines.len()
    );
    let related = id.to_string();
    notifications::enqueue_for_role(
        &tx,
        Role::ProcurementSpecialist,
        &NewNotification {
            title: "Service order submitted",
            message: &message,
            kind: INFO,
            related_entity_type: Some(SERVICE_ORDER),
            related_entity_id: Some(&related),
        },
    )
    .await?;
    let view = view_of(&tx, id, false).await?;
    tx.commit().await?;
    tracing::info!(order = %number(id), lines = view.lines.len(), "service order submitted");
    Ok(view)
}

/// A list of orders: the requester's own (`Mine`) or procurement's queue.
pub async fn list(
    ctx: &ServiceCtx,
    token: &str,
    scope: ServiceOrderScope,
    status: Option<ServiceOrderStatus>,
) -> Result<Vec<ServiceOrderSummary>> {
    let who = authenticate(ctx, token).await?;
    let requested_by = match (access(who.user.role), scope) {
        (ServiceAccess::None, _) => return Err(refuse(&who, "view service orders")),
        (ServiceAccess::Requester, ServiceOrderScope::Queue) => {
            return Err(refuse(&who, "view the service order queue"));
        }
        (_, ServiceOrderScope::Mine) => Some(who.user.id),
        (_, ServiceOrderScope::Queue) => None,
    };
    let client = ctx.pool.get().await?;
    store::list(&client, requested_by, status).await
}

/// One order with its lines, as the reader may see it.
pub async fn read(ctx: &ServiceCtx, token: &str, id: Uuid) -> Result<ServiceOrderView> {
    let who = authenticate(ctx, token).await?;
    let client = ctx.pool.get().await?;
    match access(who.user.role) {
        ServiceAccess::None => Err(refuse(&who, "view service orders")),
        ServiceAccess::Requester => {
            let view = view_of(&client, id, false).await?;
            // Another requester's order is not revealed, not even that it exists.
            if view.requested_by_id != who.user.id {
                return Err(not_found());
            }
            Ok(view)
        }
        ServiceAccess::Process | ServiceAccess::ReadOnly => view_of(&client, id, true).await,
    }
}

/// The requester deletes their own PENDING order (docs/service-orders.md §5).
pub async fn withdraw(ctx: &ServiceCtx, token: &str, id: Uuid) -> Result<()> {
    let who = authenticate(ctx, token).await?;
    if access(who.user.role) != ServiceAccess::Requester {
        return Err(refuse(&who, "withdraw service orders"));
    }
    let mut client = ctx.pool.get().await?;
    let tx = crate::db::begin_as(&mut client, &who.actor(ctx)).await?;
    let status = match store::lock(&tx, id).await? {
        Some((_, requester)) if requester != who.user.id => return Err(not_found()),
        None => return Err(not_found()),
        Some((status, _)) => status,
    };
    if status != S::Pending || !store::delete_pending(&tx, id, who.user.id).await? {
        return Err(ServiceError::Conflict(changed_message(id, status)));
    }
    tx.commit().await?;
    tracing::info!(order = %number(id), "service order withdrawn");
    Ok(())
}

/// What procurement decided, with the checked texts.
enum Action {
    Approve {
        lines: Vec<LineApproval>,
        note: Option<String>,
    },
    Reject {
        reason: String,
    },
    Fulfil {
        note: Option<String>,
    },
}

impl Action {
    fn from(&self) -> ServiceOrderStatus {
        match self {
            Action::Approve { .. } | Action::Reject { .. } => S::Pending,
            Action::Fulfil { .. } => S::Approved,
        }
    }

    fn to(&self) -> ServiceOrderStatus {
        match self {
            Action::Approve { .. } => S::Approved,
            Action::Reject { .. } => S::Rejected,
            Action::Fulfil { .. } => S::Fulfilled,
        }
    }

    fn text(&self) -> Option<&str> {
        match self {
            Action::Approve { note, .. } | Action::Fulfil { note } => note.as_deref(),
            Action::Reject { reason } => Some(reason),
        }
    }
}

/// Approve, reject or fulfil: one transaction with the line changes, the logs, processedBy and
/// processedTimestamp, and the requester's notification.
async fn decide(
    ctx: &ServiceCtx,
    token: &str,
    id: Uuid,
    action: Action,
    internal_note: Option<&str>,
) -> Result<ServiceOrderView> {
    let who = authenticate(ctx, token).await?;
    if access(who.user.role) != ServiceAccess::Process {
        return Err(refuse(&who, "process service orders"));
    }
    let internal_note = rules::clean_text(internal_note, MAX_INTERNAL_NOTE, "Internal note")
        .map_err(ServiceError::Invalid)?;
    let mut client = ctx.pool.get().await?;
    let tx = crate::db::begin_as(&mut client, &who.actor(ctx)).await?;
    let Some((status, requester)) = store::lock(&tx, id).await? else {
        return Err(not_found());
    };
    if status != action.from() {
        return Err(wrong_status(id, status, &action));
    }
    let before = view_of(&tx, id, true).await?;
    let changes: Vec<LineChange> = match &action {
        Action::Approve { lines, .. } => {
            rules::check_approval(&before.lines, lines).map_err(ServiceError::Invalid)?
        }
        Action::Reject { .. } | Action::Fulfil { .. } => Vec::new(),
    };
    for change in &changes {
        store::set_line_quantity(&tx, id, change.line_id, change.to).await?;
    }
    let at = store::now_utc(&tx).await?;
    let line = rules::decision_line(
        at,
        action.to(),
        &who.user.full_name,
        &changes,
        action.text(),
    );
    let notes = rules::append_line(before.notes.as_deref(), &line);
    let internal = internal_note.map(|text| {
        let entry = rules::decision_line(at, action.to(), &who.user.full_name, &[], Some(&text));
        rules::append_line(before.internal_notes.as_deref(), &entry)
    });
    let decided = store::decide(
        &tx,
        id,
        &Decision {
            from: action.from(),
            to: action.to(),
            processed_by: who.user.id,
            notes: &notes,
            internal_notes: internal.as_deref().or(before.internal_notes.as_deref()),
        },
    )
    .await?;
    if !decided {
        // The row lock makes this unreachable in practice; refuse rather than half-write.
        return Err(ServiceError::Conflict(changed_message(id, status)));
    }
    notify_requester(&tx, requester, id, action.to(), &line).await?;
    let view = view_of(&tx, id, true).await?;
    tx.commit().await?;
    tracing::info!(order = %number(id), status = %action.to(), "service order processed");
    Ok(view)
}

/// The refusal for an order not in the status the action starts from: a later status means another
/// station got there first; fulfilling a PENDING order means it was never approved.
fn wrong_status(id: Uuid, status: ServiceOrderStatus, action: &Action) -> ServiceError {
    match (action, status) {
        (Action::Fulfil { .. }, S::Pending) => ServiceError::Invalid(format!(
            "Service order {} is PENDING; only an APPROVED order can be fulfilled",
            number(id)
        )),
        _ => ServiceError::Conflict(changed_message(id, status)),
    }
}

async fn notify_requester(
    tx: &Transaction<'_>,
    requester: Uuid,
    id: Uuid,
    status: ServiceOrderStatus,
    line: &str,
) -> Result<()> {
    let title = format!("Service order {status}");
    let message = format!("{}: {line}", number(id));
    let related = id.to_string();
    notifications::enqueue(
        tx,
        requester,
        &NewNotification {
            title: &title,
            message: &message,
            kind: INFO,
            related_entity_type: Some(SERVICE_ORDER),
            related_entity_id: Some(&related),
        },
    )
    .await?;
    Ok(())
}

/// The order with its lines; `internal` keeps procurement's notes.
async fn view_of(
    client: &impl crate::db::Client,
    id: Uuid,
    internal: bool,
) -> Result<ServiceOrderView> {
    let Some(stored) = store::find(client, id).await? else {
        return Err(not_found());
    };
    let lines = store::lines(client, id).await?;
    let StoredOrder {
        summary,
        requested_by_id,
        notes,
        internal_notes,
    } = stored;
    Ok(ServiceOrderView {
        summary,
        requested_by_id,
        notes,
        internal_notes: if internal { internal_notes } else { None },
        lines,
    })
}
