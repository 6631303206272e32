//! Why a build is held (docs/holds.md §1): apart from the rest of `hold` so that the queue row
//! (`order::OrderRow`) can name it without `order` and `hold` importing each other.

use serde::{Deserialize, Serialize};

/// Why a build is held (docs/holds.md §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum HoldReason {
    PartsShortage,
    Quality,
    Other,
}

impl HoldReason {
    pub const ALL: [HoldReason; 3] = [
        HoldReason::PartsShortage,
        HoldReason::Quality,
        HoldReason::Other,
    ];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            HoldReason::PartsShortage => "PARTS_SHORTAGE",
            HoldReason::Quality => "QUALITY",
            HoldReason::Other => "OTHER",
        }
    }

    pub fn from_code(code: &str) -> Option<HoldReason> {
        HoldReason::ALL.into_iter().find(|r| r.code() == code)
    }

    /// How the screens name it.
    pub fn title(self) -> &'static str {
        match self {
            HoldReason::PartsShortage => "Parts shortage",
            HoldReason::Quality => "Quality",
            HoldReason::Other => "Other",
        }
    }

    /// Whether a note must come with the hold (docs/holds.md §2.1).
    pub fn needs_note(self) -> bool {
        self != HoldReason::PartsShortage
    }
}
