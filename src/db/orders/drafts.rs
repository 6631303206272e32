//! Wizard drafts, order documents, and the users a build can be assigned to.

use crate::db::Client;
use crate::db::row::{query_all, query_opt_col};
use crate::db::users::{summary_cols, summary_from_row};
use crate::domain::Role;
use crate::domain::order::OrderDocumentType;
use crate::domain::user::UserSummary;
use crate::error::{Result, ServiceError};
use uuid::Uuid;

/// Stores the user's wizard draft, replacing the previous one.
pub async fn save_draft(
    client: &impl Client,
    user_id: Uuid,
    data: &serde_json::Value,
) -> Result<()> {
    client
        .exec(
            r#"INSERT INTO "OrderDraft" ("userId", "data") VALUES ($1, $2)
               ON CONFLICT ("userId") DO UPDATE SET "data" = EXCLUDED."data""#,
            &[&user_id, data],
        )
        .await?;
    Ok(())
}

pub async fn load_draft(client: &impl Client, user_id: Uuid) -> Result<Option<serde_json::Value>> {
    query_opt_col(
        client,
        r#"SELECT "data" FROM "OrderDraft" WHERE "userId" = $1"#,
        &[&user_id],
        "data",
    )
    .await
}

/// Deletes the user's draft; `true` when there was one.
pub async fn delete_draft(client: &impl Client, user_id: Uuid) -> Result<bool> {
    let n = client
        .exec(
            r#"DELETE FROM "OrderDraft" WHERE "userId" = $1"#,
            &[&user_id],
        )
        .await?;
    Ok(n > 0)
}

/// One uploaded file, ready to store.
pub struct NewDocument<'a> {
    pub file_name: &'a str,
    pub original_name: &'a str,
    pub content_type: &'a str,
    pub content: &'a [u8],
    pub sha256: &'a str,
    pub uploaded_by: Uuid,
}

/// Stores a document and its bytes; its URL points at its own content row (`db:<id>`).
pub async fn insert_document(client: &impl Client, doc: &NewDocument<'_>) -> Result<Uuid> {
    let id = Uuid::new_v4();
    let url = format!("db:{id}");
    let size = i64::try_from(doc.content.len())
        .map_err(|_| ServiceError::Invalid(format!("{} is too large", doc.original_name)))?;
    client
        .exec(
            r#"INSERT INTO "Document" (id, "fileName", "originalName", "fileUrl", "contentType",
                   "fileSize", "uploadedBy")
               VALUES ($1, $2, $3, $4, $5, $6, $7)"#,
            &[
                &id,
                &doc.file_name,
                &doc.original_name,
                &url,
                &doc.content_type,
                &size,
                &doc.uploaded_by,
            ],
        )
        .await?;
    client
        .exec(
            r#"INSERT INTO "DocumentContent" ("documentId", "content", "sha256") VALUES ($1, $2, $3)"#,
            &[&id, &doc.content, &doc.sha256],
        )
        .await?;
    Ok(id)
}

/// Attaches a stored document to a build; `supersedes` names the build's earlier link it supersedes
/// (docs/documents.md §2.2).
pub async fn link_document(
    client: &impl Client,
    order_id: Uuid,
    document_id: Uuid,
    document_type: OrderDocumentType,
    supersedes: Option<Uuid>,
) -> Result<()> {
    client
        .exec(
            r#"INSERT INTO "OrderDocument" ("orderId", "documentId", "documentType", "supersedesId")
               VALUES ($1, $2, $3, $4)"#,
            &[&order_id, &document_id, &document_type, &supersedes],
        )
        .await?;
    Ok(())
}

/// Active users of a role, by full name (the assignee picker).
pub async fn active_users_with_role(client: &impl Client, role: Role) -> Result<Vec<UserSummary>> {
    query_all(
        client,
        concat!(
            "SELECT ",
            summary_cols!(),
            r#" FROM "User" u WHERE u."role" = $1 AND COALESCE(u."isActive", false)
                    ORDER BY u."fullName", u."username""#
        ),
        &[&role],
        summary_from_row,
    )
    .await
}
