//! The files attached to a new order or to a build later (docs/documents.md §2.1), checked and read from
//! this station's disk, and stored: one path for both.

use crate::db::Client;
use crate::db::orders as db_orders;
use crate::domain::order::AttachmentSpec;
use crate::domain::order_rules;
use crate::error::{Result, ServiceError};
use sha2::Digest;
use uuid::Uuid;

/// An attachment as read from this station's disk.
pub(crate) struct LoadedFile {
    /// The path's file name.
    pub(crate) name: String,
    pub(crate) content_type: &'static str,
    pub(crate) size: u64,
    /// Empty when only checked.
    pub(crate) content: Vec<u8>,
}

/// Checks one attachment path (docs/lifecycle.md §6.2) and, with `read`, reads it. The size is checked
/// before reading and the read is capped, so no more than 10 MB is ever held.
pub(crate) async fn read_attachment(path: String, read: bool) -> Result<LoadedFile> {
    tokio::task::spawn_blocking(move || read_attachment_blocking(&path, read))
        .await
        .map_err(|e| ServiceError::Query(format!("attachment read failed: {e}")))?
        .map_err(ServiceError::Invalid)
}

fn read_attachment_blocking(path: &str, read: bool) -> Result<LoadedFile, String> {
    use std::io::Read;
    let name = order_rules::attachment_name(path);
    let content_type = order_rules::attachment_content_type(&name)?;
    let unreadable = || order_rules::cannot_read_file(path);
    let file = std::fs::File::open(path.trim()).map_err(|_| unreadable())?;
    let meta = file.metadata().map_err(|_| unreadable())?;
    if !meta.is_file() {
        return Err(unreadable());
    }
    let too_large = || order_rules::attachment_too_large(&name);
    if meta.len() > order_rules::MAX_ATTACHMENT_BYTES {
        return Err(too_large());
    }
    let mut content = Vec::new();
    if read {
        // The file may have grown since the metadata was read.
        file.take(order_rules::MAX_ATTACHMENT_BYTES + 1)
            .read_to_end(&mut content)
            .map_err(|_| unreadable())?;
        if content.len() as u64 > order_rules::MAX_ATTACHMENT_BYTES {
            return Err(too_large());
        }
    }
    let size = if read {
        content.len() as u64
    } else {
        meta.len()
    };
    Ok(LoadedFile {
        name,
        content_type,
        size,
        content,
    })
}

/// Reads every attachment of an order; all their messages, one per line, when any is refused.
pub(super) async fn read_attachments(specs: &[AttachmentSpec]) -> Result<Vec<LoadedFile>> {
    let mut files = Vec::with_capacity(specs.len());
    let mut failures: Vec<String> = Vec::new();
    for a in specs {
        match read_attachment(a.path.clone(), true).await {
            Ok(f) => files.push(f),
            Err(ServiceError::Invalid(m)) => failures.push(m),
            Err(e) => return Err(e),
        }
    }
    if failures.is_empty() {
        Ok(files)
    } else {
        Err(ServiceError::Invalid(failures.join("\n")))
    }
}

/// Stores a file read by [`read_attachment`]: its document row and its bytes with their SHA-256; the
/// document's id. The wizard's submit and a document attached later both store through here.
pub(crate) async fn store_file(
    tx: &impl Client,
    file: &LoadedFile,
    uploaded_by: Uuid,
) -> Result<Uuid> {
    let sha256 = format!("{:x}", sha2::Sha256::digest(&file.content));
    let file_name = order_rules::sanitized_file_name(&file.name);
    db_orders::insert_document(
        tx,
        &db_orders::NewDocument {
            file_name: &file_name,
            original_name: &file.name,
            content_type: file.content_type,
            content: &file.content,
            sha256: &sha256,
            uploaded_by,
        },
    )
    .await
}
