//! A build's documents (docs/documents.md): the list with what supersedes what, the brief the build
//! detail shows, and one document's stored bytes. Documents are written by `orders::insert_document` and
//! `orders::link_document`, the wizard's own statements; nothing here changes or deletes a row (the
//! database refuses it, V26).

use crate::db::Client;
use crate::db::row::{RowExt, query_all, query_opt_map};
use crate::domain::document::{BuildDocument, DocumentsBrief};
use crate::error::Result;
use uuid::Uuid;

/// Every document of the build: current ones first, then superseded ones, oldest first within each
/// (docs/documents.md §1.1).
pub async fn of_order(client: &impl Client, order_id: Uuid) -> Result<Vec<BuildDocument>> {
    query_all(
        client,
        r#"SELECT od.id, od."documentId", od."documentType", od."supersedesId",
                  newer.id AS "supersededBy",
                  d."originalName", d."fileName", d."contentType", d."fileSize",
                  COALESCE(NULLIF(u."fullName", ''), u."username", '') AS "uploadedBy",
                  COALESCE(d."uploadedAt", od."associatedAt", 'epoch'::timestamp) AS "uploadedAt",
                  COALESCE(dc."sha256", '') AS "sha256"
             FROM "OrderDocument" od
             JOIN "Document" d ON d.id = od."documentId"
             LEFT JOIN "DocumentContent" dc ON dc."documentId" = d.id
             LEFT JOIN "User" u ON u.id = d."uploadedBy"
             LEFT JOIN "OrderDocument" newer ON newer."supersedesId" = od.id
            WHERE od."orderId" = $1
            ORDER BY (newer.id IS NOT NULL), od."associatedAt", od.id"#,
        &[&order_id],
        |r| {
            Ok(BuildDocument {
                id: r.col("id")?,
                document_id: r.col("documentId")?,
                document_type: r.col("documentType")?,
                name: r.col("originalName")?,
                file_name: r.col("fileName")?,
                content_type: r.col("contentType")?,
                size: r.col("fileSize")?,
                uploaded_by: r.col("uploadedBy")?,
                uploaded_at: r.col("uploadedAt")?,
                sha256: r.col("sha256")?,
                supersedes: r.col("supersedesId")?,
                superseded_by: r.col("supersededBy")?,
            })
        },
    )
    .await
}

/// How many of the build's documents are current and how many superseded.
pub async fn brief(client: &impl Client, order_id: Uuid) -> Result<DocumentsBrief> {
    let row = client
        .fetch_one(
            r#"SELECT count(*) FILTER (WHERE NOT EXISTS (
                          SELECT 1 FROM "OrderDocument" n WHERE n."supersedesId" = od.id)) AS "current",
                      count(*) FILTER (WHERE EXISTS (
                          SELECT 1 FROM "OrderDocument" n WHERE n."supersedesId" = od.id)) AS "superseded"
                 FROM "OrderDocument" od
                WHERE od."orderId" = $1"#,
            &[&order_id],
        )
        .await?;
    Ok(DocumentsBrief {
        current: row.col("current")?,
        superseded: row.col("superseded")?,
    })
}

/// One stored document's bytes as kept, with the checksum recorded when it was stored.
pub struct StoredContent {
    pub content: Vec<u8>,
    pub sha256: String,
}

/// The bytes of the build's document link `link_id`; `None` when the build has no such link or the
/// document has no stored content.
pub async fn content(
    client: &impl Client,
    order_id: Uuid,
    link_id: Uuid,
) -> Result<Option<StoredContent>> {
    query_opt_map(
        client,
        r#"SELECT dc."content", dc."sha256"
             FROM "OrderDocument" od
             JOIN "DocumentContent" dc ON dc."documentId" = od."documentId"
            WHERE od."orderId" = $1 AND od.id = $2"#,
        &[&order_id, &link_id],
        |r| {
            Ok(StoredContent {
                content: r.col("content")?,
                sha256: r.col("sha256")?,
            })
        },
    )
    .await
}
