//! Reading stored BOMs: the versions of a build and one version's items.
//!
//! Whoever may see the build may see its BOM: the order detail's rule, checked here again because a
//! screen's check is only a courtesy.

use super::guard::require_viewer;
use super::{ServiceCtx, authenticate};
use crate::db::bom as db_bom;
use crate::error::{Result, ServiceError};
use crate::msg::{Reply, Request};

pub async fn handle(ctx: &ServiceCtx, req: Request) -> Result<Reply> {
    match req {
        Request::BomVersions { token, order_id } => {
            let who = authenticate(ctx, &token).await?;
            require_viewer(&who)?;
            let client = ctx.pool.get().await?;
            db_bom::versions(&client, order_id)
                .await?
                .map(|list| Reply::BomVersions(Box::new(list)))
                .ok_or_else(|| ServiceError::NotFound("Build".into()))
        }
        Request::BomDocument {
            token,
            order_id,
            bom_id,
        } => {
            let who = authenticate(ctx, &token).await?;
            require_viewer(&who)?;
            let client = ctx.pool.get().await?;
            match db_bom::document(&client, order_id, bom_id).await? {
                Some(doc) => Ok(Reply::BomDocument(Box::new(doc))),
                // Tell apart a missing build, a missing version and a build without any BOM.
                None => match db_bom::versions(&client, order_id).await? {
                    None => Err(ServiceError::NotFound("Build".into())),
                    Some(_) if bom_id.is_some() => {
                        Err(ServiceError::NotFound("BOM version".into()))
                    }
                    Some(_) => Err(ServiceError::NoBom),
                },
            }
        }
        other => Err(ServiceError::Query(format!("not a BOM request: {other:?}"))),
    }
}
