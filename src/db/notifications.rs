//! `"SystemNotification"` rows: each user's in-app messages.

use crate::db::Client;
use crate::db::row::{RowExt, query_all, query_id};
use crate::domain::Role;
use crate::domain::notification::{Notification, Priority, related};
use crate::error::Result;
use tokio_postgres::Row;
use uuid::Uuid;

/// A notification to send; `kind` is a `"NotificationType"` label such as `TASK_ASSIGNMENT`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNotification<'a> {
    pub title: &'a str,
    pub message: &'a str,
    pub kind: &'a str,
    pub related_entity_type: Option<&'a str>,
    pub related_entity_id: Option<&'a str>,
}

fn from_row(row: &Row) -> Result<Notification> {
    let entity_type: Option<String> = row.col("relatedEntityType")?;
    let entity_id: Option<String> = row.col("relatedEntityId")?;
    Ok(Notification {
        id: row.col("id")?,
        title: row.col("title")?,
        message: row.col("message")?,
        kind: row.col("kind")?,
        is_read: row.col("isRead")?,
        created_at: row
            .col::<Option<chrono::NaiveDateTime>>("createdAt")?
            .unwrap_or_default(),
        related: related(entity_type.as_deref(), entity_id.as_deref()),
        priority: Priority::from_label(&row.col::<String>("priority")?),
    })
}

/// The user's first `limit` notifications in the list's order (docs/alerts.md §1.2): the unread WARNING
/// and URGENT ones first, URGENT before WARNING, then all the others; newest first within each.
pub async fn list_for_user(
    client: &impl Client,
    user_id: Uuid,
    limit: i64,
) -> Result<Vec<Notification>> {
    query_all(
        client,
        r#"SELECT id, "title", "message", "type"::text AS "kind",
                      COALESCE("isRead", false) AS "isRead", "createdAt",
                      "relatedEntityType", "relatedEntityId", "priority"::text AS "priority"
               FROM "SystemNotification"
               WHERE "userId" = $1
               ORDER BY CASE WHEN COALESCE("isRead", false) THEN 'INFO' ELSE "priority" END DESC,
                        "createdAt" DESC NULLS LAST, id DESC
               LIMIT $2"#,
        &[&user_id, &limit],
        from_row,
    )
    .await
}

pub async fn count_unread(client: &impl Client, user_id: Uuid) -> Result<i64> {
    let row = client
        .fetch_one(
            r#"SELECT count(*) AS "count" FROM "SystemNotification"
               WHERE "userId" = $1 AND NOT COALESCE("isRead", false)"#,
            &[&user_id],
        )
        .await?;
    row.col("count")
}

/// Marks the listed notifications read; rows of other users are left alone whatever ids are passed.
pub async fn mark_read(client: &impl Client, user_id: Uuid, ids: &[Uuid]) -> Result<u64> {
    Ok(client
        .exec(
            r#"UPDATE "SystemNotification" SET "isRead" = true, "readAt" = LOCALTIMESTAMP
               WHERE "userId" = $1 AND id = ANY($2) AND NOT COALESCE("isRead", false)"#,
            &[&user_id, &ids],
        )
        .await?)
}

/// Sends one notification to one user.
pub async fn enqueue(client: &impl Client, user_id: Uuid, n: &NewNotification<'_>) -> Result<Uuid> {
    query_id(
        client,
        r#"INSERT INTO "SystemNotification"
                   ("userId", "title", "message", "type", "relatedEntityType", "relatedEntityId")
               VALUES ($1, $2, $3, CAST($4::text AS "NotificationType"), $5, $6)
               RETURNING id"#,
        &[
            &user_id,
            &n.title,
            &n.message,
            &n.kind,
            &n.related_entity_type,
            &n.related_entity_id,
        ],
    )
    .await
}

/// Sends one notification to every active user of `role`; returns how many were sent.
pub async fn enqueue_for_role(
    client: &impl Client,
    role: Role,
    n: &NewNotification<'_>,
) -> Result<u64> {
    Ok(client
        .exec(
            r#"INSERT INTO "SystemNotification"
                   ("userId", "title", "message", "type", "relatedEntityType", "relatedEntityId")
               SELECT u.id, $2::text, $3::text, CAST($4::text AS "NotificationType"), $5::text, $6::text
               FROM "User" u
               WHERE u."role" = $1 AND COALESCE(u."isActive", false)"#,
            &[
                &role,
                &n.title,
                &n.message,
                &n.kind,
                &n.related_entity_type,
                &n.related_entity_id,
            ],
        )
        .await?)
}
