//! The order wizard's field rules (workflow.md section 5, decisions.md), with the spec's exact messages.
//! The wizard shows them next to the fields; the service checks them again before writing.

use crate::domain::order::{BuildConfig, NewOrder, OrderHeader};
use chrono::NaiveDate;

/// One broken rule: where, and the message the user sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The build number the error belongs to; `None` for the PO header.
    pub build: Option<String>,
    /// The schema's field name, e.g. `poNumber`, `sinkLength`, `basins[2].basinWidth`, `faucets[1].quantity`.
    pub field: String,
    pub message: String,
}

/// Step 1: the header. `today` is the database's CURRENT_DATE.
pub fn validate_header(_header: &OrderHeader, _today: NaiveDate) -> Vec<FieldError> {
    Vec::new()
}

/// Steps 3 and 4 for one build: configuration and accessories (not the uniqueness of its number).
pub fn validate_build(_build: &BuildConfig) -> Vec<FieldError> {
    Vec::new()
}

/// The whole PO: header, 1-10 builds, build numbers well-formed and distinct within the PO, every build.
pub fn validate_order(_order: &NewOrder, _today: NaiveDate) -> Vec<FieldError> {
    Vec::new()
}
