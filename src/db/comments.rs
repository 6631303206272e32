//! `"BuildComment"` and `"BuildCommentMention"` rows (docs/comments.md): a build's thread, posting,
//! the author's edit, resolution, and the mentions a comment made.

use crate::db::row::{RowExt, query_all, query_id, query_opt_map};
use crate::db::{Client, Transaction};
use crate::domain::Role;
use crate::domain::comment::{Comment, MentionTarget};
use crate::error::Result;
use chrono::NaiveDateTime;
use tokio_postgres::Row;
use uuid::Uuid;

fn comment_of(r: &Row) -> Result<Comment> {
    let resolved = match (
        r.col::<Option<String>>("resolvedByName")?,
        r.col::<Option<NaiveDateTime>>("resolvedAt")?,
    ) {
        (Some(name), Some(at)) => Some((name, at)),
        _ => None,
    };
    Ok(Comment {
        id: r.col("id")?,
        author: r.col("authorName")?,
        body: r.col("body")?,
        internal: r.col("internal")?,
        created_at: r.col("createdAt")?,
        edited_at: r.col("editedAt")?,
        resolved,
        may_edit: r.col("mayEdit")?,
    })
}

/// A build's comments `reader` may see, oldest first: the internal ones only when `with_internal`.
/// `mayEdit` is the database's answer, on its clock, to "the reader wrote it and 10 minutes have not
/// passed" (docs/comments.md §3).
pub async fn thread(
    client: &impl Client,
    order_id: Uuid,
    reader: Uuid,
    with_internal: bool,
) -> Result<Vec<Comment>> {
    query_all(
        client,
        r#"SELECT c.id, a."fullName" AS "authorName", c."body", c."internal", c."createdAt", c."editedAt",
                  r."fullName" AS "resolvedByName", c."resolvedAt",
                  (c."authorId" = $2 AND LOCALTIMESTAMP <= c."createdAt" + interval '10 minutes') AS "mayEdit"
             FROM "BuildComment" c
             JOIN "User" a ON a.id = c."authorId"
             LEFT JOIN "User" r ON r.id = c."resolvedBy"
            WHERE c."orderId" = $1 AND (NOT c."internal" OR $3::boolean)
            ORDER BY c."createdAt", c.id"#,
        &[&order_id, &reader, &with_internal],
        comment_of,
    )
    .await
}

/// Writes a new comment; its id.
pub async fn insert(
    tx: &Transaction<'_>,
    order_id: Uuid,
    author: Uuid,
    body: &str,
    internal: bool,
) -> Result<Uuid> {
    query_id(
        tx,
        r#"INSERT INTO "BuildComment" ("orderId", "authorId", "body", "internal")
           VALUES ($1, $2, $3, $4) RETURNING id"#,
        &[&order_id, &author, &body, &internal],
    )
    .await
}

/// A comment held for a write (`FOR UPDATE`), with what the rules ask of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockedComment {
    pub id: Uuid,
    pub order_id: Uuid,
    pub author_id: Uuid,
    pub internal: bool,
    pub body: String,
    /// Posted at most 10 minutes ago, on the database's clock.
    pub within_window: bool,
    /// Who resolved it, while it is resolved.
    pub resolved_by: Option<String>,
}

/// Locks one comment for the rest of the transaction.
pub async fn lock(tx: &Transaction<'_>, id: Uuid) -> Result<Option<LockedComment>> {
    query_opt_map(
        tx,
        r#"SELECT c.id, c."orderId", c."authorId", c."internal", c."body",
                  (LOCALTIMESTAMP <= c."createdAt" + interval '10 minutes') AS "withinWindow",
                  r."fullName" AS "resolvedByName"
             FROM "BuildComment" c LEFT JOIN "User" r ON r.id = c."resolvedBy"
            WHERE c.id = $1
              FOR UPDATE OF c"#,
        &[&id],
        |r| {
            Ok(LockedComment {
                id: r.col("id")?,
                order_id: r.col("orderId")?,
                author_id: r.col("authorId")?,
                internal: r.col("internal")?,
                body: r.col("body")?,
                within_window: r.col("withinWindow")?,
                resolved_by: r.col("resolvedByName")?,
            })
        },
    )
    .await
}

/// Replaces a comment's text and records when (the author's edit; the guard checks who and when).
pub async fn edit(tx: &Transaction<'_>, id: Uuid, body: &str) -> Result<u64> {
    Ok(tx
        .exec(
            r#"UPDATE "BuildComment" SET "body" = $2, "editedAt" = LOCALTIMESTAMP WHERE id = $1"#,
            &[&id, &body],
        )
        .await?)
}

/// Resolves a comment as `by`, or with `None` opens it again.
pub async fn set_resolved(tx: &Transaction<'_>, id: Uuid, by: Option<Uuid>) -> Result<u64> {
    Ok(tx
        .exec(
            r#"UPDATE "BuildComment"
                  SET "resolvedBy" = $2::uuid,
                      "resolvedAt" = CASE WHEN $2::uuid IS NULL THEN NULL ELSE LOCALTIMESTAMP END
                WHERE id = $1"#,
            &[&id, &by],
        )
        .await?)
}

/// The active users among `usernames` (lower-case), with their roles.
pub async fn active_users_named(
    client: &impl Client,
    usernames: &[String],
) -> Result<Vec<MentionTarget>> {
    query_all(
        client,
        r#"SELECT id, "username", "fullName", "role" FROM "User"
            WHERE "username" = ANY($1) AND COALESCE("isActive", false)"#,
        &[&usernames],
        |r| {
            Ok(MentionTarget {
                id: r.col("id")?,
                username: r.col("username")?,
                full_name: r.col("fullName")?,
                role: r.col::<Role>("role")?,
            })
        },
    )
    .await
}

/// The users a comment has already notified.
pub async fn mentioned(client: &impl Client, comment_id: Uuid) -> Result<Vec<Uuid>> {
    query_all(
        client,
        r#"SELECT "userId" FROM "BuildCommentMention" WHERE "commentId" = $1"#,
        &[&comment_id],
        |r| r.col("userId"),
    )
    .await
}

/// Records that a comment notified `user` with `notification`.
pub async fn insert_mention(
    tx: &Transaction<'_>,
    comment_id: Uuid,
    user: Uuid,
    notification: Uuid,
) -> Result<Uuid> {
    query_id(
        tx,
        r#"INSERT INTO "BuildCommentMention" ("commentId", "userId", "notificationId")
           VALUES ($1, $2, $3) RETURNING id"#,
        &[&comment_id, &user, &notification],
    )
    .await
}
