//! Comments on builds (docs/comments.md): reading a build's thread, posting with @mentions that notify,
//! the author's edit within 10 minutes, and resolution by coordinators. Who reads what is decided here
//! (docs/comments.md §2.2); the screen's hiding of keys is only a courtesy.

use super::guard::{order_not_found, refuse, require_viewer};
use super::{Authed, ServiceCtx, authenticate};
use crate::db::comments::{self as db_comments, LockedComment};
use crate::db::notifications::{self as db_notifications, NewNotification};
use crate::db::orders as db_orders;
use crate::db::{Client, Transaction, begin_as};
use crate::domain::comment::{
    self as rules, CommentThread, EDIT_WINDOW_PASSED, MENTION_KIND, NOT_AUTHOR,
};
use crate::domain::notification::PRODUCTION_ORDER;
use crate::error::{Result, ServiceError};
use crate::msg::{Reply, Request};
use uuid::Uuid;

/// Handles every comment request (dispatched here from `service::dispatch`).
pub async fn handle(ctx: &ServiceCtx, req: Request) -> Result<Reply> {
    let thread = match req {
        Request::BuildComments { token, order_id } => {
            let who = authenticate(ctx, &token).await?;
            require_viewer(&who)?;
            let client = ctx.pool.get().await?;
            load(&client, &who, order_id, None).await
        }
        Request::PostComment {
            token,
            order_id,
            body,
            internal,
        } => post(ctx, &token, order_id, &body, internal).await,
        Request::EditComment {
            token,
            comment_id,
            body,
        } => edit(ctx, &token, comment_id, &body).await,
        Request::ResolveComment {
            token,
            comment_id,
            resolved,
        } => resolve(ctx, &token, comment_id, resolved).await,
        other => Err(ServiceError::Query(format!(
            "not a comment request: {other:?}"
        ))),
    }?;
    Ok(Reply::Comments(Box::new(thread)))
}

fn comment_not_found() -> ServiceError {
    ServiceError::NotFound("Comment".into())
}

/// The thread of a build as `who` may see it (docs/comments.md §2.2).
async fn load(
    client: &impl Client,
    who: &Authed,
    order_id: Uuid,
    notice: Option<String>,
) -> Result<CommentThread> {
    let (build_number, _) = db_orders::current_status(client, order_id)
        .await?
        .ok_or_else(order_not_found)?;
    let role = who.user.role;
    let comments =
        db_comments::thread(client, order_id, who.user.id, rules::reads_internal(role)).await?;
    Ok(CommentThread {
        order_id,
        build_number,
        comments,
        may_resolve: rules::resolves(role),
        notice,
    })
}

/// A new comment on a build, its mentions notified in the same transaction (docs/comments.md §2, §4).
async fn post(
    ctx: &ServiceCtx,
    token: &str,
    order_id: Uuid,
    body: &str,
    internal: bool,
) -> Result<CommentThread> {
    let who = authenticate(ctx, token).await?;
    if !rules::reads_thread(who.user.role) {
        return Err(refuse(&who, "comment on builds"));
    }
    let body = rules::validate_body(body).map_err(ServiceError::Invalid)?;
    let mut client = ctx.pool.get().await?;
    let (build_number, _) = db_orders::current_status(&client, order_id)
        .await?
        .ok_or_else(order_not_found)?;
    let tx = begin_as(&mut client, &who.actor(ctx)).await?;
    let id = db_comments::insert(&tx, order_id, who.user.id, &body, internal).await?;
    let notified =
        notify_mentions(&tx, &who, (order_id, id), &build_number, &body, internal).await?;
    tx.commit().await?;
    tracing::info!(order = %order_id, comment = %id, internal, "comment posted");
    let notice = with_notified("Comment posted", &notified);
    load(&client, &who, order_id, Some(notice)).await
}

/// The author's edit within the window (docs/comments.md §3); the database guard refuses it too. Names
/// mentioned for the first time are notified; those the comment already notified are not told again.
async fn edit(
    ctx: &ServiceCtx,
    token: &str,
    comment_id: Uuid,
    body: &str,
) -> Result<CommentThread> {
    let who = authenticate(ctx, token).await?;
    require_viewer(&who)?;
    let body = rules::validate_body(body).map_err(ServiceError::Invalid)?;
    let mut client = ctx.pool.get().await?;
    let tx = begin_as(&mut client, &who.actor(ctx)).await?;
    let locked = lock_readable(&tx, &who, comment_id).await?;
    if locked.author_id != who.user.id {
        return Err(ServiceError::Forbidden(NOT_AUTHOR.into()));
    }
    if !locked.within_window {
        return Err(ServiceError::Invalid(EDIT_WINDOW_PASSED.into()));
    }
    let order_id = locked.order_id;
    if locked.body == body {
        drop(tx);
        let notice = "Nothing changed; the comment is as it was".to_string();
        return load(&client, &who, order_id, Some(notice)).await;
    }
    let (build_number, _) = db_orders::current_status(&tx, order_id)
        .await?
        .ok_or_else(order_not_found)?;
    db_comments::edit(&tx, comment_id, &body).await?;
    let notified = notify_mentions(
        &tx,
        &who,
        (order_id, comment_id),
        &build_number,
        &body,
        locked.internal,
    )
    .await?;
    tx.commit().await?;
    tracing::info!(order = %order_id, comment = %comment_id, "comment edited");
    let notice = with_notified("Comment edited", &notified);
    load(&client, &who, order_id, Some(notice)).await
}

/// Resolves or opens again a comment (coordinators; docs/comments.md §5).
async fn resolve(
    ctx: &ServiceCtx,
    token: &str,
    comment_id: Uuid,
    resolved: bool,
) -> Result<CommentThread> {
    let who = authenticate(ctx, token).await?;
    if !rules::resolves(who.user.role) {
        let what = if resolved {
            "resolve comments"
        } else {
            "reopen comments"
        };
        return Err(refuse(&who, what));
    }
    let mut client = ctx.pool.get().await?;
    let tx = begin_as(&mut client, &who.actor(ctx)).await?;
    let locked = lock_readable(&tx, &who, comment_id).await?;
    // Another coordinator may have been first: say so rather than write the same state again.
    match (&locked.resolved_by, resolved) {
        (Some(by), true) => {
            return Err(ServiceError::Conflict(format!(
                "The comment was already resolved by {by}"
            )));
        }
        (None, false) => {
            return Err(ServiceError::Conflict(
                "The comment is already open; nothing changed".into(),
            ));
        }
        _ => {}
    }
    let by = resolved.then_some(who.user.id);
    db_comments::set_resolved(&tx, comment_id, by).await?;
    tx.commit().await?;
    let notice = if resolved {
        "Comment resolved"
    } else {
        "Comment opened again"
    };
    load(&client, &who, locked.order_id, Some(notice.into())).await
}

/// Locks a comment `who` may read; one they may not read is "not found", as if it did not exist.
async fn lock_readable(
    tx: &Transaction<'_>,
    who: &Authed,
    comment_id: Uuid,
) -> Result<LockedComment> {
    db_comments::lock(tx, comment_id)
        .await?
        .filter(|c| rules::may_read(who.user.role, c.internal))
        .ok_or_else(comment_not_found)
}

/// Checks the comment's mentions and notifies each person named who has not been told about this comment
/// yet (the author is never told about their own comment); refuses, naming them, mentions of no active
/// user or of someone who may not read the comment (docs/comments.md §4). Returns who was notified.
async fn notify_mentions(
    tx: &Transaction<'_>,
    who: &Authed,
    (order_id, comment_id): (Uuid, Uuid),
    build_number: &str,
    body: &str,
    internal: bool,
) -> Result<Vec<String>> {
    let named = rules::mentions(body);
    if named.is_empty() {
        return Ok(Vec::new());
    }
    let found = db_comments::active_users_named(tx, &named).await?;
    if let Some(why) = rules::mention_refusal(&named, &found, internal) {
        return Err(ServiceError::Invalid(why));
    }
    let already = db_comments::mentioned(tx, comment_id).await?;
    let (title, message) = rules::mention_message(&who.user.full_name, build_number, body);
    let order_id = order_id.to_string();
    let mut notified = Vec::new();
    for user in found {
        if user.id == who.user.id || already.contains(&user.id) {
            continue;
        }
        let notification = db_notifications::enqueue(
            tx,
            user.id,
            &NewNotification {
                title: &title,
                message: &message,
                kind: MENTION_KIND,
                related_entity_type: Some(PRODUCTION_ORDER),
                related_entity_id: Some(&order_id),
            },
        )
        .await?;
        db_comments::insert_mention(tx, comment_id, user.id, notification).await?;
        notified.push(user.full_name);
    }
    Ok(notified)
}

/// `Comment posted; Luis Ortega notified`.
fn with_notified(done: &str, notified: &[String]) -> String {
    if notified.is_empty() {
        done.to_string()
    } else {
        format!("{done}; {} notified", notified.join(", "))
    }
}
