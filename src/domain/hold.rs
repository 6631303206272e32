//! Holds and shortages reported from the floor (docs/holds.md): why a build is held, who may place and
//! release a hold, what the floor is told while it lasts, and the checks on what is typed.

use crate::domain::Role;
use crate::domain::order::{OrderAction, OrderStatus};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use crate::domain::hold_reason::HoldReason;

/// One part line of a shortage: a catalog part id and the number of pieces missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoldPart {
    #[serde(rename = "partId")]
    pub part_id: String,
    pub quantity: i32,
}

/// A part line as the screens show it: the line with the catalog's name for the part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NamedHoldPart {
    pub part: HoldPart,
    pub name: String,
}

/// A hold as asked for: checked by [`check_new`] on the screen and again in the service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewHold {
    pub reason: HoldReason,
    pub note: Option<String>,
    pub parts: Vec<HoldPart>,
}

/// A build's hold as stored, with the names of who placed and released it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BuildHold {
    pub id: Uuid,
    pub order_id: Uuid,
    pub reason: HoldReason,
    pub note: Option<String>,
    pub parts: Vec<NamedHoldPart>,
    pub placed_by: String,
    pub placed_at: NaiveDateTime,
    pub released: Option<HoldRelease>,
}

/// Who released a hold, when, and the note they gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HoldRelease {
    pub by: String,
    pub at: NaiveDateTime,
    pub note: Option<String>,
}

/// The most part lines one shortage lists, and the largest quantity of one line.
pub const MAX_PARTS: usize = 50;
pub const MAX_QUANTITY: i32 = 9999;
/// The longest note (a hold's or a release's).
pub const MAX_NOTE: usize = 1000;

/// What the queues show in the status column of a held build (docs/holds.md §3.1).
pub const HOLD_MARK: &str = "HOLD";

/// A held build in words, for the line under a queue: `HOLD: parts shortage`.
pub fn hold_words(reason: HoldReason) -> String {
    format!("HOLD: {}", reason.title().to_lowercase())
}

/// The reason in brief, as the refusals and the queues say it: `parts shortage (3 parts)`, `quality`.
pub fn reason_brief(reason: HoldReason, parts: usize) -> String {
    match reason {
        HoldReason::PartsShortage => {
            let noun = if parts == 1 { "part" } else { "parts" };
            format!("parts shortage ({parts} {noun})")
        }
        HoldReason::Quality => "quality".to_string(),
        HoldReason::Other => "other".to_string(),
    }
}

impl BuildHold {
    /// What the floor is told while the build is held, and the refusal of every floor action
    /// (docs/holds.md §3.2): `On hold: parts shortage (3 parts) since 2026-12-06 14:02 CET by Luis Ortega`.
    pub fn refusal(&self) -> String {
        format!("On hold: {}", self.summary())
    }

    /// The hold in one line: `parts shortage (3 parts) since 2026-12-06 14:02 CET by Luis Ortega`.
    pub fn summary(&self) -> String {
        format!(
            "{} since {} by {}",
            reason_brief(self.reason, self.parts.len()),
            crate::domain::clock::local_minute(self.placed_at),
            self.placed_by
        )
    }
}

/// A note: trimmed, one line, at most [`MAX_NOTE`] characters; `None` when blank.
pub fn check_note(label: &str, note: Option<&str>) -> Result<Option<String>, String> {
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    let Some(n) = note else {
        return Ok(None);
    };
    crate::text::check_text(label, n, false)?;
    if n.chars().count() > MAX_NOTE {
        return Err(format!("{label} must be at most {MAX_NOTE} characters"));
    }
    Ok(Some(n.to_string()))
}

/// One part line as typed: the id trimmed (checked against the catalog by the service), the quantity a
/// whole number from 1 to [`MAX_QUANTITY`].
pub fn check_part_line(part_id: &str, quantity: &str) -> Result<HoldPart, String> {
    let part_id = part_id.trim();
    if part_id.is_empty() {
        return Err("Enter a part id".to_string());
    }
    crate::text::check_text("Part id", part_id, false)?;
    if part_id.chars().count() > 50 {
        return Err("Part id must be at most 50 characters".to_string());
    }
    let quantity = quantity
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|q| (1..=MAX_QUANTITY).contains(q))
        .ok_or_else(|| format!("Quantity must be a whole number from 1 to {MAX_QUANTITY}"))?;
    Ok(HoldPart {
        part_id: part_id.to_string(),
        quantity,
    })
}

/// The checks on a hold before it is placed (docs/holds.md §2.1): a note for QUALITY and OTHER, part
/// lines for a parts shortage and only for it, each part once, each quantity above zero.
pub fn check_new(hold: &NewHold) -> Result<NewHold, String> {
    let note = check_note("Note", hold.note.as_deref())?;
    if hold.reason.needs_note() && note.is_none() {
        return Err(format!(
            "A note is required when the reason is {}",
            hold.reason.title()
        ));
    }
    let mut parts: Vec<HoldPart> = Vec::with_capacity(hold.parts.len());
    for line in &hold.parts {
        let line = check_part_line(&line.part_id, &line.quantity.to_string())?;
        if parts.iter().any(|p| p.part_id == line.part_id) {
            return Err(format!("Part {} is listed twice", line.part_id));
        }
        parts.push(line);
    }
    match hold.reason {
        HoldReason::PartsShortage if parts.is_empty() => {
            return Err("A parts shortage lists at least one part".to_string());
        }
        HoldReason::PartsShortage if parts.len() > MAX_PARTS => {
            return Err(format!("A shortage lists at most {MAX_PARTS} parts"));
        }
        HoldReason::Quality | HoldReason::Other if !parts.is_empty() => {
            return Err("Only a parts shortage lists parts".to_string());
        }
        _ => {}
    }
    Ok(NewHold {
        reason: hold.reason,
        note,
        parts,
    })
}

/// Who may put a build on hold (docs/holds.md §2.2): assemblers and coordinators, and ADMIN, who may do
/// all a coordinator may.
pub fn may_place(role: Role) -> bool {
    matches!(
        role,
        Role::Assembler | Role::ProductionCoordinator | Role::Admin
    )
}

/// Whether `role` may put a build in `status` on hold (docs/holds.md §2.2): coordinators and ADMIN
/// any build that has not shipped, assemblers a build on the assembly floor.
pub fn check_place(role: Role, status: OrderStatus) -> Result<(), String> {
    if !may_place(role) {
        return Err(format!("Your role ({role}) cannot put a build on hold"));
    }
    if status == OrderStatus::Shipped {
        return Err("SHIPPED is final; a shipped build cannot be put on hold".to_string());
    }
    if role == Role::Assembler
        && crate::domain::lifecycle::assignee_role(status) != Some(Role::Assembler)
    {
        return Err(format!(
            "Your role ({role}) can put a build on hold only while it is on the assembly floor; it is {}",
            status.title()
        ));
    }
    Ok(())
}

/// Whether `role` may release `hold` (docs/holds.md §2.3). Coordinators (and ADMIN) always; procurement
/// a parts shortage once the build's parts are sent (`parts_sent`: the build has moved to PARTS_SENT);
/// nobody else.
pub fn may_release(role: Role, reason: HoldReason, parts_sent: bool) -> Result<(), String> {
    match role {
        Role::ProductionCoordinator | Role::Admin => Ok(()),
        Role::ProcurementSpecialist if reason != HoldReason::PartsShortage => Err(format!(
            "Your role ({role}) can release only a parts shortage hold"
        )),
        Role::ProcurementSpecialist if !parts_sent => Err(
            "The build's parts are not sent yet (it never moved to PARTS_SENT); a coordinator releases this hold"
                .to_string(),
        ),
        Role::ProcurementSpecialist => Ok(()),
        _ => Err(format!("Your role ({role}) cannot release a hold")),
    }
}

/// Whether the screens offer the release key to `role` (a courtesy; [`may_release`] is the rule).
pub fn offers_release(role: Role, reason: HoldReason) -> bool {
    may_release(role, reason, true).is_ok()
}

/// The build detail's actions adjusted for holds (docs/holds.md §3.2): a held build offers no status
/// move or override, and the release to those who may release it; a build that is not held offers the
/// hold to those who may place one on it.
pub fn detail_actions(
    actions: &mut Vec<OrderAction>,
    role: Role,
    status: OrderStatus,
    hold: Option<&BuildHold>,
) {
    match hold {
        Some(h) => {
            actions
                .retain(|a| !matches!(a, OrderAction::Move { .. } | OrderAction::Override { .. }));
            if offers_release(role, h.reason) {
                actions.push(OrderAction::ReleaseHold);
            }
        }
        None => {
            if check_place(role, status).is_ok() {
                actions.push(OrderAction::PlaceHold);
            }
        }
    }
}

/// A length of time on hold, to the minute: `45 min`, `3 h 05 min`, `2 d 4 h`.
pub fn duration_text(minutes: i64) -> String {
    let minutes = minutes.max(0);
    let (days, hours, mins) = (minutes / 1440, (minutes % 1440) / 60, minutes % 60);
    if days > 0 {
        format!("{days} d {hours} h")
    } else if hours > 0 {
        format!("{hours} h {mins:02} min")
    } else {
        format!("{mins} min")
    }
}

/// The title of procurement's notice of a parts shortage (docs/holds.md §4).
pub const SHORTAGE_TITLE: &str = "Parts shortage";

/// Procurement's notice of a parts shortage: `4500023-24-0117 is on hold for parts: 2 x T2-BOLT-10
/// Hex bolt M10; 1 x T2-NUT Nut. Reported by Luis Ortega`.
pub fn shortage_message(po: &str, build: &str, parts: &[NamedHoldPart], by: &str) -> String {
    format!(
        "{po}-{build} is on hold for parts{}. Reported by {by}",
        parts_text(parts)
    )
}

/// The refusal of a second hold on a held build.
pub fn already_held(hold: &BuildHold) -> String {
    format!("The build is already held. {}", hold.refusal())
}

/// A shortage's part lines after a colon, `: 4 x T2-BOLT-10 Hex bolt M10; 2 x T2-NUT Nut`; empty
/// without lines.
pub fn parts_text(parts: &[NamedHoldPart]) -> String {
    if parts.is_empty() {
        return String::new();
    }
    let lines: Vec<String> = parts.iter().map(NamedHoldPart::line).collect();
    format!(": {}", lines.join("; "))
}

impl NamedHoldPart {
    /// `4 x T2-BOLT-10 Hex bolt M10`
    pub fn line(&self) -> String {
        format!(
            "{} x {} {}",
            self.part.quantity, self.part.part_id, self.name
        )
    }
}

/// The order desk's refusal of a move of a held build, on the key (the service names the hold).
pub const HELD_NO_MOVE: &str = "This build is on hold; it moves once the hold is released";

/// The refusal of a release when the build is not held (another station released it first).
pub const NOT_HELD: &str = "The build is not on hold; nothing was changed";

#[cfg(test)]
mod tests {
    use super::*;

    fn new(reason: HoldReason, note: Option<&str>, parts: &[(&str, i32)]) -> NewHold {
        NewHold {
            reason,
            note: note.map(str::to_string),
            parts: parts
                .iter()
                .map(|(id, q)| HoldPart {
                    part_id: (*id).to_string(),
                    quantity: *q,
                })
                .collect(),
        }
    }

    #[test]
    fn a_shortage_needs_parts_and_the_others_a_note() {
        assert!(check_new(&new(HoldReason::PartsShortage, None, &[("P-1", 2)])).is_ok());
        assert_eq!(
            check_new(&new(HoldReason::PartsShortage, None, &[])),
            Err("A parts shortage lists at least one part".into())
        );
        assert_eq!(
            check_new(&new(HoldReason::Quality, Some("  "), &[])),
            Err("A note is required when the reason is Quality".into())
        );
        assert_eq!(
            check_new(&new(HoldReason::Other, Some("x"), &[("P-1", 1)])),
            Err("Only a parts shortage lists parts".into())
        );
        assert_eq!(
            check_new(&new(
                HoldReason::PartsShortage,
                None,
                &[("P-1", 1), ("P-1", 2)]
            )),
            Err("Part P-1 is listed twice".into())
        );
        assert!(check_new(&new(HoldReason::PartsShortage, None, &[("P-1", 0)])).is_err());
        let kept = check_new(&new(HoldReason::Quality, Some(" dent "), &[])).ok();
        assert_eq!(kept.and_then(|h| h.note), Some("dent".into()));
    }

    #[test]
    fn part_lines_take_whole_quantities_in_range() {
        assert_eq!(
            check_part_line(" P-1 ", "3"),
            Ok(HoldPart {
                part_id: "P-1".into(),
                quantity: 3
            })
        );
        for bad in ["0", "-1", "1.5", "10000", "x", ""] {
            assert!(check_part_line("P-1", bad).is_err(), "{bad}");
        }
        assert_eq!(check_part_line(" ", "1"), Err("Enter a part id".into()));
        assert!(check_part_line("P\u{1b}1", "1").is_err());
    }

    #[test]
    fn release_rights_follow_role_reason_and_parts_sent() {
        use HoldReason as R;
        assert!(may_release(Role::ProductionCoordinator, R::Quality, false).is_ok());
        assert!(may_release(Role::Admin, R::Other, false).is_ok());
        assert!(may_release(Role::ProcurementSpecialist, R::PartsShortage, true).is_ok());
        assert!(may_release(Role::ProcurementSpecialist, R::PartsShortage, false).is_err());
        assert!(may_release(Role::ProcurementSpecialist, R::Quality, true).is_err());
        assert_eq!(
            may_release(Role::Assembler, R::PartsShortage, true),
            Err("Your role (ASSEMBLER) cannot release a hold".into())
        );
        assert!(may_release(Role::QcPerson, R::Quality, true).is_err());
        assert!(may_place(Role::Assembler) && may_place(Role::ProductionCoordinator));
        assert!(!may_place(Role::ProcurementSpecialist) && !may_place(Role::QcPerson));
    }

    #[test]
    fn the_refusal_names_reason_time_and_person() {
        let hold = BuildHold {
            id: Uuid::nil(),
            order_id: Uuid::nil(),
            reason: HoldReason::PartsShortage,
            note: None,
            parts: vec![
                NamedHoldPart {
                    part: HoldPart {
                        part_id: "P-1".into(),
                        quantity: 1,
                    },
                    name: "Bolt".into(),
                };
                3
            ],
            placed_by: "Luis Ortega".into(),
            placed_at: chrono::NaiveDate::from_ymd_opt(2026, 12, 6)
                .and_then(|d| d.and_hms_opt(14, 2, 0))
                .unwrap_or_default(),
            released: None,
        };
        let text = hold.refusal();
        assert!(text.starts_with("On hold: parts shortage (3 parts) since 2026-12-06 14:02"));
        assert!(text.ends_with(" by Luis Ortega"));
        assert_eq!(
            reason_brief(HoldReason::PartsShortage, 1),
            "parts shortage (1 part)"
        );
    }

    #[test]
    fn durations_read_to_the_minute() {
        assert_eq!(duration_text(0), "0 min");
        assert_eq!(duration_text(45), "45 min");
        assert_eq!(duration_text(185), "3 h 05 min");
        assert_eq!(duration_text(3 * 1440 + 125), "3 d 2 h");
    }
}
