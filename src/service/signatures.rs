//! Signing at a gate (docs/signatures.md): the password re-entered before the write, then the signature
//! stored inside the write's own transaction, after the record it signs.

use super::{Authed, ServiceCtx};
use crate::db::{Transaction, qc as db_qc, signatures as db_signatures};
use crate::domain::signature::{
    EMPTY_PASSWORD, Meaning, SignatureCheck, SignatureRecord, SignedRecord, SigningFacts,
    printed_name,
};
use crate::error::{Result, ServiceError};
use uuid::Uuid;

/// Every signature of a build, oldest first, each checked against its record as stored now
/// (docs/signatures.md §5), for whoever may see the build.
pub async fn of_build(
    ctx: &ServiceCtx,
    token: &str,
    order_id: Uuid,
) -> Result<Vec<SignatureCheck>> {
    let who = super::authenticate(ctx, token).await?;
    super::guard::require_viewer(&who)?;
    let client = ctx.pool.get().await?;
    db_signatures::verify_order(&client, order_id).await
}

/// What a wrong password at a signature says; nothing was written.
pub const WRONG_PASSWORD: &str = "Wrong password; nothing was signed";

/// Re-authenticates the signer (docs/signatures.md §4): a wrong password counts toward the lockout, and
/// the attempt that reaches the limit ends the session. Called before the write's transaction opens, so
/// a failed attempt is counted even though nothing else is written.
pub async fn confirm(ctx: &ServiceCtx, who: &Authed, password: String) -> Result<()> {
    if password.is_empty() {
        return Err(ServiceError::Invalid(EMPTY_PASSWORD.to_string()));
    }
    super::auth::confirm_password(ctx, who, password, WRONG_PASSWORD).await
}

/// Signs `record` (written earlier in `tx`) in `who`'s name with `meaning`, at the database's UTC time.
pub async fn sign(
    tx: &Transaction<'_>,
    who: &Authed,
    order_id: Uuid,
    meaning: Meaning,
    record: SignedRecord,
    reason: Option<&str>,
) -> Result<SignatureRecord> {
    let signed_at = db_qc::utc_now(tx).await?;
    let name = printed_name(&who.user.full_name);
    let facts = SigningFacts {
        order_id,
        meaning,
        record,
        signer_id: who.user.id,
        printed_name: &name,
        signed_at,
        reason,
    };
    let signature = db_signatures::insert(tx, &facts).await?;
    tracing::info!(order = %order_id, meaning = meaning.code(), record = %record.id(), "record signed");
    Ok(signature)
}
