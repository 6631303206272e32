//! Orders: creation, queues, detail, transitions, assignment, wizard drafts.
//!
//! One `"ProductionOrder"` row per build with its basin, faucet, sprayer and accessory rows; the status
//! history; the wizard drafts (`"OrderDraft"`). The use-cases and their role checks are in
//! `service::orders`; these functions only read and write.

mod create;
mod drafts;
mod queue;
mod record;
mod status;

pub use create::*;
pub use drafts::*;
pub use queue::*;
pub use record::*;
pub use status::*;
