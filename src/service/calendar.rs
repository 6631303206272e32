//! The database's date, for screens that pick a period around today (docs/reports.md §5.3): the
//! screens read no clock, and the records' dates are the database's, in UTC.

use super::{ServiceCtx, authenticate};
use crate::db::service_orders::now_utc;
use crate::error::Result;
use chrono::NaiveDate;

/// Today's date in UTC as the database tells it, for any logged-in user.
pub async fn today(ctx: &ServiceCtx, token: &str) -> Result<NaiveDate> {
    authenticate(ctx, token).await?;
    let client = ctx.pool.get().await?;
    Ok(now_utc(&client).await?.date())
}
