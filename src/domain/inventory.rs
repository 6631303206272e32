//! The parts catalog as the inventory browser shows it.

use serde::Serialize;

/// The whole catalog for browsing on the station.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Inventory {}

/// One open build whose current BOM contains an item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BuildUse {}
