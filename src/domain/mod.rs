//! Pure types and rules: no IO here.

pub mod applies_when;
pub mod audit_trail;
pub mod bom;
pub mod bom_diff;
pub mod bom_document;
pub mod catalog;
pub mod checklist;
pub mod clock;
pub mod desk;
pub mod dhr;
pub mod enums;
pub mod floor;
pub mod hold;
pub mod hold_reason;
pub mod instruction_revisions;
pub mod instructions;
pub mod inventory;
pub mod lifecycle;
pub mod nonconformance;
pub mod notification;
pub mod order;
pub mod order_rules;
pub mod order_view;
pub mod qc;
pub mod rework;
pub mod role;
pub mod scan;
pub mod service_catalog;
pub mod service_order;
pub mod session;
pub mod signature;
pub mod tasks;
pub mod user;

pub use role::Role;
