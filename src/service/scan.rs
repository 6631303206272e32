//! What a scanned code names: a build (for the roles that see production data) or a catalog item
//! (docs/scanning.md §3).

use super::guard::require_viewer;
use super::{ServiceCtx, authenticate};
use crate::db;
use crate::domain::scan::{Scan, ScanTarget};
use crate::error::{Result, ServiceError};

/// Looks the scanned code up: `B:` a build, `P:` a catalog item, an unprefixed code a build first
/// (when the role may see builds) and then a catalog item. A `B:` scan by a role that sees no
/// production data is refused; `None` when the code names nothing.
pub async fn find(ctx: &ServiceCtx, token: &str, scan: &Scan) -> Result<Option<ScanTarget>> {
    let who = authenticate(ctx, token).await?;
    let (build, item) = match scan {
        Scan::Build(_) => {
            require_viewer(&who)?;
            (true, false)
        }
        Scan::Item(_) => (false, true),
        Scan::Code(_) => (require_viewer(&who).is_ok(), true),
        Scan::Badge(_) => {
            return Err(ServiceError::Invalid(
                "A badge is read at the login screen or the station lock".into(),
            ));
        }
    };
    let code = scan.code().trim();
    let client = ctx.pool.get().await?;
    if build && let Some(id) = db::orders::id_by_build_number(&client, code).await? {
        return Ok(Some(ScanTarget::Build(id)));
    }
    if item && let Some(id) = db::catalog::item_id_ignoring_case(&client, code).await? {
        return Ok(Some(ScanTarget::Item(id)));
    }
    Ok(None)
}
