//! Times as the screens, messages and the command line show them: always with their zone
//! (docs/lifecycle.md §6.9). Most of the schema's times are the plant's local time (the database
//! server's time zone); the signatures, QC results, nonconformances and the service notes log hold UTC.
//! The plant's zone abbreviation is what the database names (`to_char(now(), 'TZ')`, e.g. `CET`), learnt
//! when a pool connects; until then local times say `local`.

use chrono::NaiveDateTime;
use std::sync::RwLock;

static PLANT_ZONE: RwLock<Option<String>> = RwLock::new(None);

/// What local times say before the database has named its zone.
pub const UNKNOWN_ZONE: &str = "local";

/// Records the plant's zone abbreviation as the database names it; blank or odd text is ignored.
pub fn set_plant_zone(abbreviation: &str) {
    let abbreviation = abbreviation.trim();
    let plausible = !abbreviation.is_empty()
        && abbreviation.len() <= 10
        && abbreviation
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == ':');
    if plausible && let Ok(mut zone) = PLANT_ZONE.write() {
        *zone = Some(abbreviation.to_string());
    }
}

/// The plant's zone abbreviation (`CET`, `UTC`), or [`UNKNOWN_ZONE`].
pub fn plant_zone() -> String {
    PLANT_ZONE
        .read()
        .ok()
        .and_then(|z| z.clone())
        .unwrap_or_else(|| UNKNOWN_ZONE.to_string())
}

/// A local time to the minute: `2026-12-06 09:12 CET`.
pub fn local_minute(at: NaiveDateTime) -> String {
    format!("{} {}", at.format("%Y-%m-%d %H:%M"), plant_zone())
}

/// A local time to the second: `2026-12-06 09:12:05 CET`.
pub fn local_second(at: NaiveDateTime) -> String {
    format!("{} {}", at.format("%Y-%m-%d %H:%M:%S"), plant_zone())
}

/// A local clock time: `09:12 CET`.
pub fn local_clock(at: NaiveDateTime) -> String {
    format!("{} {}", at.format("%H:%M"), plant_zone())
}

/// A UTC time to the minute: `2026-12-06 09:12 UTC`.
pub fn utc_minute(at: NaiveDateTime) -> String {
    format!("{} UTC", at.format("%Y-%m-%d %H:%M"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(h: u32, m: u32, s: u32) -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 12, 6)
            .and_then(|d| d.and_hms_opt(h, m, s))
            .unwrap_or_default()
    }

    #[test]
    fn every_time_names_its_zone() {
        assert_eq!(utc_minute(at(9, 12, 5)), "2026-12-06 09:12 UTC");
        let zone = plant_zone();
        assert!(!zone.is_empty());
        assert_eq!(local_clock(at(9, 12, 5)), format!("09:12 {zone}"));
        assert_eq!(
            local_minute(at(9, 12, 5)),
            format!("2026-12-06 09:12 {zone}")
        );
        assert_eq!(
            local_second(at(9, 12, 5)),
            format!("2026-12-06 09:12:05 {zone}")
        );
    }

    #[test]
    fn only_a_plausible_abbreviation_is_taken() {
        // Other tests may have named a zone already; odd text never replaces it.
        let before = plant_zone();
        set_plant_zone("");
        set_plant_zone("\u{1b}[31m");
        set_plant_zone("a very long zone name");
        assert_eq!(plant_zone(), before);
    }
}
