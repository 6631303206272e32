//! Nonconformance screens (docs/nonconformance.md §6): QC's list of open NCs, one NC with its
//! disposition and closure, and the raise dialog opened from the build detail.

mod detail;
mod list;
mod raise;

pub use detail::NcDetailScreen;
pub use list::NcListScreen;
pub use raise::NcRaiseScreen;

use crate::domain::nonconformance::{NcStatus, NcSummary};
use crate::theme::Theme;
use chrono::NaiveDateTime;
use ratatui::style::Style;

/// An NC time: UTC, as the record holds it.
pub fn utc(at: NaiveDateTime) -> String {
    crate::domain::clock::utc_minute(at)
}

/// The style of an NC's state: OPEN stands out, CLOSED recedes.
pub fn state_style(nc: &NcSummary, theme: &Theme) -> Style {
    match nc.status {
        NcStatus::Open => theme.error,
        NcStatus::Dispositioned => theme.warn,
        NcStatus::Closed => theme.muted,
    }
}

#[cfg(test)]
mod live_tests;
