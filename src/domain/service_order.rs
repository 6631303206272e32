//! Service orders (workflow.md section 8, D15): the service department's cart, the order and its lines
//! as screens see them, and the rules every step checks.

use crate::domain::bom::ItemType;
use chrono::NaiveDateTime;
use postgres_types::{FromSql, ToSql};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Quantities a cart line and a requested line may have.
pub const MAX_QUANTITY: i32 = 999;
/// The requester's note on submit.
pub const MAX_NOTES: usize = 2000;
/// A rejection reason.
pub const MAX_REASON: usize = 1000;

/// `"ServiceOrderStatus"`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ToSql, FromSql, Serialize, Deserialize,
)]
#[postgres(name = "ServiceOrderStatus")]
pub enum ServiceOrderStatus {
    #[postgres(name = "PENDING")]
    #[serde(rename = "PENDING")]
    Pending,
    #[postgres(name = "APPROVED")]
    #[serde(rename = "APPROVED")]
    Approved,
    #[postgres(name = "REJECTED")]
    #[serde(rename = "REJECTED")]
    Rejected,
    #[postgres(name = "FULFILLED")]
    #[serde(rename = "FULFILLED")]
    Fulfilled,
}

impl ServiceOrderStatus {
    pub const ALL: [ServiceOrderStatus; 4] = [
        ServiceOrderStatus::Pending,
        ServiceOrderStatus::Approved,
        ServiceOrderStatus::Rejected,
        ServiceOrderStatus::Fulfilled,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ServiceOrderStatus::Pending => "PENDING",
            ServiceOrderStatus::Approved => "APPROVED",
            ServiceOrderStatus::Rejected => "REJECTED",
            ServiceOrderStatus::Fulfilled => "FULFILLED",
        }
    }

    pub fn parse(text: &str) -> Option<ServiceOrderStatus> {
        Self::ALL
            .into_iter()
            .find(|s| s.code().eq_ignore_ascii_case(text.trim()))
    }
}

impl std::fmt::Display for ServiceOrderStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// `SO-<first 8 hex of id>`, the number people use.
pub fn number(id: Uuid) -> String {
    let hex = id.simple().to_string();
    format!("SO-{}", hex.get(..8).unwrap_or(&hex).to_uppercase())
}

/// One cart line: a canonical catalog id and its quantity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartLine {
    pub part_id: String,
    pub quantity: i32,
}

/// The service department's cart. It lives in the station's session: leaving the screen or locking the
/// station keeps it; logging out loses it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cart {
    pub lines: Vec<CartLine>,
}

impl Cart {
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Adds `quantity` of `part_id`; the same id again sums. `Err` is the message for the user (the
    /// cart is unchanged).
    pub fn add(&mut self, part_id: &str, quantity: i32) -> Result<(), String> {
        let current = self.quantity_of(part_id);
        let total = current.saturating_add(quantity);
        if !(1..=MAX_QUANTITY).contains(&quantity) || total > MAX_QUANTITY {
            return Err(quantity_message());
        }
        self.set(part_id, total)
    }

    /// Sets the line's quantity; 0 removes it.
    pub fn set(&mut self, part_id: &str, quantity: i32) -> Result<(), String> {
        if !(0..=MAX_QUANTITY).contains(&quantity) {
            return Err(quantity_message());
        }
        match self.lines.iter().position(|l| l.part_id == part_id) {
            Some(i) if quantity == 0 => {
                self.lines.remove(i);
            }
            Some(i) => {
                if let Some(line) = self.lines.get_mut(i) {
                    line.quantity = quantity;
                }
            }
            None if quantity == 0 => {}
            None => self.lines.push(CartLine {
                part_id: part_id.to_string(),
                quantity,
            }),
        }
        Ok(())
    }

    pub fn quantity_of(&self, part_id: &str) -> i32 {
        self.lines
            .iter()
            .find(|l| l.part_id == part_id)
            .map_or(0, |l| l.quantity)
    }
}

/// `Quantity must be 1 to 999`.
pub fn quantity_message() -> String {
    format!("Quantity must be 1 to {MAX_QUANTITY}")
}

/// One line of a service order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceOrderLine {
    pub id: Uuid,
    pub part_id: String,
    pub part_type: ItemType,
    /// The catalog name, when the id still resolves.
    pub name: Option<String>,
    pub quantity: i32,
}

/// A service order in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceOrderSummary {
    pub id: Uuid,
    pub number: String,
    pub status: ServiceOrderStatus,
    pub requested_by: String,
    pub requested_at: Option<NaiveDateTime>,
    pub processed_by: Option<String>,
    pub processed_at: Option<NaiveDateTime>,
    pub lines: i64,
    pub total_quantity: i64,
}

/// One service order with its lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceOrderView {
    pub summary: ServiceOrderSummary,
    pub requested_by_id: Uuid,
    /// The log the requester sees: their note, then one line per decision.
    pub notes: Option<String>,
    /// Procurement only; `None` for the requester.
    pub internal_notes: Option<String>,
    pub lines: Vec<ServiceOrderLine>,
}

/// Which service orders a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ServiceOrderScope {
    /// The requester's own orders, newest first.
    Mine,
    /// Procurement's processing queue: PENDING first, oldest first within a status.
    Queue,
}

/// An approved quantity for one line (0 removes the line).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineApproval {
    pub line_id: Uuid,
    pub quantity: i32,
}
