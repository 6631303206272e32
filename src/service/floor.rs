//! What the floor records (testing form, packaging checklist) share.

use crate::db::orders::OrderRecord;
use crate::domain::floor::FloorHeader;

/// The build a floor record belongs to, as its screen heads it.
pub(crate) fn floor_header(rec: &OrderRecord) -> FloorHeader {
    FloorHeader {
        order_id: rec.id,
        po_number: rec.header.po_number.clone(),
        build_number: rec.build.build_number.clone(),
        sink_model: rec.build.sink_model.clone(),
    }
}
