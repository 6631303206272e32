//! The order detail as the screen reads it: one build with its BOM in brief, its floor progress, its history
//! and the actions open to the user. Kept apart from `order` because it gathers the floor and BOM state, which
//! themselves build on the order's types.

use crate::domain::floor::FloorProgress;
use crate::domain::order::{BuildConfig, OrderAction, OrderHeader, OrderStatus};
use chrono::NaiveDateTime;
use serde::Serialize;
use uuid::Uuid;

/// Everything the order detail screen shows about one build.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrderDetail {
    pub id: Uuid,
    pub header: OrderHeader,
    pub build: BuildConfig,
    pub status: OrderStatus,
    pub assignee: Option<(Uuid, String)>,
    pub bom: Option<BomSummary>,
    /// Tasks, testing and packaging once the build is on the floor.
    pub floor: Option<FloorProgress>,
    pub history: Vec<HistoryEntry>,
    /// The build's nonconformances, oldest first (docs/nonconformance.md §6).
    pub nonconformances: Vec<crate::domain::nonconformance::NcSummary>,
    pub actions: Vec<OrderAction>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// How many documents the build has (docs/documents.md §1.2).
    pub documents: crate::domain::document::DocumentsBrief,
    /// The build's open hold, when it is held (docs/holds.md §3).
    pub hold: Option<crate::domain::hold::BuildHold>,
    /// The build's total time on hold in minutes, an open hold counted up to now (docs/holds.md §5).
    pub hold_minutes: i64,
}

/// The BOM in brief, for the order detail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BomSummary {
    pub version: i32,
    /// DRAFT, APPROVED or SUPERSEDED.
    pub status: String,
    pub top_level_lines: i64,
    pub notes: Option<String>,
}

/// One entry of a build's status history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryEntry {
    pub timestamp: NaiveDateTime,
    pub user: String,
    pub action: String,
    pub old_status: Option<OrderStatus>,
    pub new_status: OrderStatus,
    pub notes: Option<String>,
}
