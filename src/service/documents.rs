//! A build's documents during production (docs/documents.md): the list, a copy saved to this station's
//! disk, and a document attached later, checked and stored exactly as the wizard's attachments.

use super::files::station_dir;
use super::guard::{lock_order, order_not_found, require_role, require_viewer};
use super::orders::attachments::{read_attachment, store_file};
use super::{ServiceCtx, authenticate};
use crate::db::orders as db_orders;
use crate::db::{Client, begin_as, documents as db_documents};
use crate::domain::document::{
    self as rules, ATTACHERS, BuildDocuments, LATER_DOCUMENT_TYPES, SUPERSEDED_NOT_FOUND,
};
use crate::domain::order::OrderDocumentType;
use crate::domain::order_rules;
use crate::error::{Result, ServiceError};
use crate::export::write::write_new_file;
use crate::msg::{Reply, Request};
use sha2::Digest;
use std::path::PathBuf;
use uuid::Uuid;

/// Handles every document request (dispatched here from `service::dispatch`).
pub async fn handle(ctx: &ServiceCtx, req: Request) -> Result<Reply> {
    let listed = |d: BuildDocuments| Reply::Documents(Box::new(d));
    match req {
        Request::Documents { token, order_id } => list(ctx, &token, order_id).await.map(listed),
        Request::AttachDocument {
            token,
            order_id,
            path,
            document_type,
            supersedes,
        } => attach(ctx, &token, order_id, path, document_type, supersedes)
            .await
            .map(listed),
        Request::SaveDocumentCopy {
            token,
            order_id,
            document,
            dir,
        } => save_copy(ctx, &token, order_id, document, &dir)
            .await
            .map(|p| Reply::Exported(vec![p])),
        other => Err(ServiceError::Query(format!(
            "not a document request: {other:?}"
        ))),
    }
}

async fn listing(
    client: &impl Client,
    order_id: Uuid,
    role: crate::domain::Role,
) -> Result<BuildDocuments> {
    let build_number = db_orders::current_status(client, order_id)
        .await?
        .map(|(build, _)| build)
        .ok_or_else(order_not_found)?;
    let save_dir = station_dir("").map_or_else(|_| String::new(), |d| d.display().to_string());
    Ok(BuildDocuments {
        order_id,
        build_number,
        documents: db_documents::of_order(client, order_id).await?,
        save_dir,
        may_attach: rules::may_attach(role),
    })
}

/// The build's documents, current first (docs/documents.md §1.1); every role that may see the build.
async fn list(ctx: &ServiceCtx, token: &str, order_id: Uuid) -> Result<BuildDocuments> {
    let who = authenticate(ctx, token).await?;
    require_viewer(&who)?;
    let client = ctx.pool.get().await?;
    listing(&client, order_id, who.user.role).await
}

/// Attaches a file to the build later (docs/documents.md §2): the wizard's checks, the wizard's storage,
/// optionally superseding a current document of the same type; one transaction, audited.
async fn attach(
    ctx: &ServiceCtx,
    token: &str,
    order_id: Uuid,
    path: String,
    document_type: OrderDocumentType,
    supersedes: Option<Uuid>,
) -> Result<BuildDocuments> {
    let who = authenticate(ctx, token).await?;
    require_role(&who, &ATTACHERS, "attach documents to a build")?;
    if let Some(m) = order_rules::check_attachment_of(&path, document_type, &LATER_DOCUMENT_TYPES) {
        return Err(ServiceError::Invalid(m));
    }
    let file = read_attachment(path, true).await?;

    let mut client = ctx.pool.get().await?;
    let tx = begin_as(&mut client, &who.actor(ctx)).await?;
    // The build's row lock orders attachments to one build, so two stations cannot supersede the same
    // document at once.
    lock_order(&tx, order_id).await?;
    if let Some(old) = supersedes {
        let documents = db_documents::of_order(&tx, order_id).await?;
        let old = documents
            .iter()
            .find(|d| d.id == old)
            .ok_or_else(|| ServiceError::Invalid(SUPERSEDED_NOT_FOUND.into()))?;
        if let Some(m) = rules::supersede_refusal(old, document_type) {
            return Err(ServiceError::Invalid(m));
        }
    }
    let document_id = store_file(&tx, &file, who.user.id).await?;
    db_orders::link_document(&tx, order_id, document_id, document_type, supersedes).await?;
    let after = listing(&tx, order_id, who.user.role).await?;
    tx.commit().await?;
    tracing::info!(%order_id, %document_id, ?supersedes, by = %who.user.id, "document attached");
    Ok(after)
}

/// Writes a copy of one of the build's documents into `dir` (docs/documents.md §3): the stored bytes,
/// checked against their SHA-256 first, under the stored name, never replacing a file.
async fn save_copy(
    ctx: &ServiceCtx,
    token: &str,
    order_id: Uuid,
    document: Uuid,
    dir: &str,
) -> Result<PathBuf> {
    let who = authenticate(ctx, token).await?;
    require_viewer(&who)?;
    let dir = station_dir(dir)?;
    let client = ctx.pool.get().await?;
    let documents = db_documents::of_order(&client, order_id).await?;
    let listed = documents
        .iter()
        .find(|d| d.id == document)
        .ok_or_else(|| ServiceError::NotFound("Document".into()))?;
    let stored = db_documents::content(&client, order_id, document)
        .await?
        .ok_or_else(|| ServiceError::NotFound("Document content".into()))?;
    let actual = format!("{:x}", sha2::Sha256::digest(&stored.content));
    if actual != stored.sha256 || actual != listed.sha256 {
        tracing::error!(%order_id, %document, "stored document does not match its checksum");
        return Err(ServiceError::Invalid(rules::checksum_mismatch(
            &listed.name,
        )));
    }
    let file_name = listed.file_name.clone();
    let path = tokio::task::spawn_blocking(move || {
        write_new_file(&dir, |n| rules::copy_name(&file_name, n), &stored.content)
    })
    .await
    .map_err(|e| ServiceError::Query(format!("the copy stopped unexpectedly: {e}")))?
    .map_err(|e| ServiceError::Invalid(e.0))?;
    tracing::info!(%order_id, %document, path = %path.display(), "document copy saved");
    Ok(path)
}
