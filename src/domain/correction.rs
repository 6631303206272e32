//! Corrections of a build's want date, project, sales person and notes, and cancelling a build that has
//! not entered production (docs/lifecycle.md §11, §12): who may, when, the field rules (the wizard's,
//! docs/lifecycle.md §6.2), the reason, and the words the screens, the history and the refusals use.

use crate::domain::Role;
use crate::domain::order::{OrderAction, OrderHeader, OrderStatus};
use crate::domain::order_rules::{
    check_notes, check_project_name, check_sales_person, want_date_after,
};
use crate::text::check_text;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The longest reason of a correction or a cancellation (docs/lifecycle.md §11.2, §12.1).
pub const MAX_REASON: usize = 1000;
/// The history action of a correction (docs/lifecycle.md §11.3).
pub const CORRECTED_ACTION: &str = "CORRECTED";
/// The history action of a cancellation (docs/lifecycle.md §12.2).
pub const CANCELLED_ACTION: &str = "CANCELLED";
/// Enter on a correction form where every value is the stored one.
pub const NOTHING_CHANGED: &str = "Nothing to correct: every value is the stored one";

/// A field a correction may change, in the form's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CorrectionField {
    WantDate,
    ProjectName,
    SalesPerson,
    Notes,
}

impl CorrectionField {
    pub const ALL: [CorrectionField; 4] = [
        CorrectionField::WantDate,
        CorrectionField::ProjectName,
        CorrectionField::SalesPerson,
        CorrectionField::Notes,
    ];

    /// The `"ProductionOrder"` column, also the `"OrderCorrection"."field"` value.
    pub fn column(self) -> &'static str {
        match self {
            CorrectionField::WantDate => "wantDate",
            CorrectionField::ProjectName => "projectName",
            CorrectionField::SalesPerson => "salesPerson",
            CorrectionField::Notes => "notes",
        }
    }

    /// How the field is named on screen and in the history.
    pub fn label(self) -> &'static str {
        match self {
            CorrectionField::WantDate => "Want date",
            CorrectionField::ProjectName => "Project name",
            CorrectionField::SalesPerson => "Sales person",
            CorrectionField::Notes => "Notes",
        }
    }
}

/// The four values a correction may change, as the build stores them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correctable {
    pub want_date: NaiveDate,
    pub project_name: Option<String>,
    pub sales_person: String,
    pub notes: Option<String>,
}

impl Correctable {
    /// The values of a build's header.
    pub fn of(header: &OrderHeader) -> Correctable {
        Correctable {
            want_date: header.want_date,
            project_name: header.project_name.clone(),
            sales_person: header.sales_person.clone(),
            notes: header.notes.clone(),
        }
    }

    /// `field`'s value as text (`None` when empty); a date is `YYYY-MM-DD`.
    pub fn value(&self, field: CorrectionField) -> Option<String> {
        match field {
            CorrectionField::WantDate => Some(self.want_date.format("%Y-%m-%d").to_string()),
            CorrectionField::ProjectName => self.project_name.clone(),
            CorrectionField::SalesPerson => Some(self.sales_person.clone()),
            CorrectionField::Notes => self.notes.clone(),
        }
    }

    /// Trimmed, with an empty optional text stored as none (as the wizard stores it).
    fn normalized(&self) -> Correctable {
        let opt = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        Correctable {
            want_date: self.want_date,
            project_name: opt(&self.project_name),
            sales_person: self.sales_person.trim().to_string(),
            notes: opt(&self.notes),
        }
    }
}

/// A correction as the user sends it: the values they saw, the values they want and the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrectionRequest {
    pub expected: Correctable,
    pub wanted: Correctable,
    pub reason: String,
}

/// One field's change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    pub field: CorrectionField,
    pub old: Option<String>,
    pub new: Option<String>,
}

impl FieldChange {
    /// `Want date 2026-12-10 -> 2026-12-20`; an empty value reads `(empty)`.
    pub fn line(&self) -> String {
        let v = |s: &Option<String>| s.clone().unwrap_or_else(|| "(empty)".to_string());
        format!(
            "{} {} -> {}",
            self.field.label(),
            v(&self.old),
            v(&self.new)
        )
    }
}

/// The fields whose values differ between `old` and `new`, in the form's order.
pub fn changes(old: &Correctable, new: &Correctable) -> Vec<FieldChange> {
    CorrectionField::ALL
        .into_iter()
        .filter_map(|field| {
            let (o, n) = (old.value(field), new.value(field));
            (o != n).then_some(FieldChange {
                field,
                old: o,
                new: n,
            })
        })
        .collect()
}

/// The history notes of a correction: its changes and its reason.
pub fn history_notes(changes: &[FieldChange], reason: &str) -> String {
    let lines: Vec<String> = changes.iter().map(FieldChange::line).collect();
    format!("{}; reason: {reason}", lines.join("; "))
}

/// Who may correct a build (docs/lifecycle.md §11.1).
pub fn may_correct(role: Role) -> bool {
    matches!(role, Role::ProductionCoordinator | Role::Admin)
}

/// Whether a build in `status` may be corrected: ORDER_CREATED through READY_FOR_SHIP.
pub fn in_correction_window(status: OrderStatus) -> bool {
    !matches!(status, OrderStatus::Shipped | OrderStatus::Cancelled)
}

/// The refusal of a correction outside the window.
pub fn check_window(build: &str, status: OrderStatus) -> Result<(), String> {
    if in_correction_window(status) {
        Ok(())
    } else {
        Err(format!(
            "Build {build} is now {status}; its details can no longer be corrected"
        ))
    }
}

/// A reason, trimmed: required, at most [`MAX_REASON`] characters, no forbidden character.
pub fn check_reason(reason: &str) -> Result<String, String> {
    let r = reason.trim();
    check_text("Reason", r, false)?;
    if r.is_empty() {
        return Err("A reason is required".into());
    }
    if r.chars().count() > MAX_REASON {
        return Err(format!("Reason must be at most {MAX_REASON} characters"));
    }
    Ok(r.to_string())
}

/// The wanted values, normalised and checked by the wizard's rules; a want date is checked against
/// `today` only when it changes (an unchanged date already past stays as it is).
pub fn check_values(
    old: &Correctable,
    wanted: &Correctable,
    today: NaiveDate,
) -> Result<Correctable, String> {
    let new = wanted.normalized();
    let date = (new.want_date != old.want_date)
        .then(|| want_date_after(new.want_date, today))
        .flatten();
    let first = [
        date,
        check_project_name(new.project_name.as_deref().unwrap_or("")),
        check_sales_person(&new.sales_person),
        check_notes(new.notes.as_deref().unwrap_or("")),
    ]
    .into_iter()
    .flatten()
    .next();
    match first {
        Some(e) => Err(e),
        None => Ok(new),
    }
}

/// A whole correction against the build as locked (`current`): the window, the reason, the values and
/// at least one change. Returns the new values, the changes and the trimmed reason. The stale check
/// (`expected` against `current`) is the caller's, as it is a conflict, not a refusal.
pub fn check_correction(
    build: &str,
    status: OrderStatus,
    current: &Correctable,
    req: &CorrectionRequest,
    today: NaiveDate,
) -> Result<(Correctable, Vec<FieldChange>, String), String> {
    check_window(build, status)?;
    let new = check_values(current, &req.wanted, today)?;
    let reason = check_reason(&req.reason)?;
    let list = changes(current, &new);
    if list.is_empty() {
        return Err(NOTHING_CHANGED.into());
    }
    Ok((new, list, reason))
}

/// The refusal when another station corrected the build since the user saw it, naming what changed.
pub fn stale_refusal(build: &str, expected: &Correctable, current: &Correctable) -> String {
    let now: Vec<String> = changes(expected, current)
        .iter()
        .map(|c| {
            format!(
                "{} is now {}",
                c.field.label(),
                c.new.as_deref().unwrap_or("(empty)")
            )
        })
        .collect();
    format!(
        "Build {build} was corrected on another station ({}); your correction was not saved",
        now.join(", ")
    )
}

/// Who may cancel a build (docs/lifecycle.md §12.1).
pub fn may_cancel(role: Role) -> bool {
    role == Role::Admin
}

/// Whether a build in `status` has not entered production: ORDER_CREATED, PARTS_SENT,
/// READY_FOR_PRE_QC, or READY_FOR_PRODUCTION while `floor_started` is false (no task completed, no
/// testing form).
pub fn before_production(status: OrderStatus, floor_started: bool) -> bool {
    match status {
        OrderStatus::OrderCreated | OrderStatus::PartsSent | OrderStatus::ReadyForPreQc => true,
        OrderStatus::ReadyForProduction => !floor_started,
        _ => false,
    }
}

/// Whether a build in `status` may be cancelled; the refusal otherwise (the database's words).
pub fn check_cancel(build: &str, status: OrderStatus, floor_started: bool) -> Result<(), String> {
    if status == OrderStatus::Cancelled {
        return Err(format!("Build {build} is already cancelled"));
    }
    if before_production(status, floor_started) {
        Ok(())
    } else {
        Err(format!(
            "Build {build} has entered production; it cannot be cancelled"
        ))
    }
}

/// The build detail's actions for corrections and cancelling (courtesy; the service checks again): the
/// correction to coordinators and ADMIN within the window, the cancel to ADMIN on a build not in
/// production and not held.
pub fn detail_actions(
    actions: &mut Vec<OrderAction>,
    role: Role,
    status: OrderStatus,
    floor_started: bool,
    held: bool,
) {
    if may_correct(role) && in_correction_window(status) {
        actions.push(OrderAction::Correct);
    }
    if may_cancel(role) && !held && check_cancel("", status, floor_started).is_ok() {
        actions.push(OrderAction::Cancel);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use OrderStatus as S;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn stored() -> Correctable {
        Correctable {
            want_date: day(2026, 12, 10),
            project_name: Some("Ward 4".into()),
            sales_person: "Dana Ruiz".into(),
            notes: None,
        }
    }

    fn request(wanted: Correctable, reason: &str) -> CorrectionRequest {
        CorrectionRequest {
            expected: stored(),
            wanted,
            reason: reason.into(),
        }
    }

    #[test]
    fn a_correction_lists_each_changed_field_in_the_form_order() {
        let mut wanted = stored();
        wanted.want_date = day(2026, 12, 20);
        wanted.notes = Some("  call before delivery ".into());
        wanted.project_name = Some("   ".into());
        let result = check_correction(
            "24-0117",
            S::PartsSent,
            &stored(),
            &request(wanted, "  customer moved the date "),
            day(2026, 12, 6),
        );
        assert!(result.is_ok(), "{result:?}");
        let Ok((new, list, reason)) = result else {
            return;
        };
        assert_eq!(reason, "customer moved the date");
        assert_eq!(new.project_name, None);
        let lines: Vec<String> = list.iter().map(FieldChange::line).collect();
        assert_eq!(
            lines,
            [
                "Want date 2026-12-10 -> 2026-12-20",
                "Project name Ward 4 -> (empty)",
                "Notes (empty) -> call before delivery",
            ]
        );
        assert_eq!(
            history_notes(&list[..1], &reason),
            "Want date 2026-12-10 -> 2026-12-20; reason: customer moved the date"
        );
    }

    #[test]
    fn the_wizard_rules_the_window_and_the_reason_refuse() {
        let today = day(2026, 12, 6);
        let check = |status, wanted: Correctable, reason: &str| {
            check_correction(
                "24-0117",
                status,
                &stored(),
                &request(wanted, reason),
                today,
            )
            .map(|(_, l, _)| l.len())
        };
        let mut past = stored();
        past.want_date = today;
        assert_eq!(
            check(S::OrderCreated, past, "r"),
            Err("Want date must be after today (2026-12-06)".into())
        );
        let mut short = stored();
        short.sales_person = "Al".into();
        assert_eq!(
            check(S::OrderCreated, short, "r"),
            Err("Sales person must be 3 to 100 characters".into())
        );
        let mut notes = stored();
        notes.notes = Some("x".repeat(2001));
        assert_eq!(
            check(S::OrderCreated, notes, "r"),
            Err("Notes must be at most 2000 characters".into())
        );
        let mut fine = stored();
        fine.sales_person = "Dana Ruiz-Ortega".into();
        assert_eq!(
            check(S::OrderCreated, fine.clone(), " "),
            Err("A reason is required".into())
        );
        assert_eq!(
            check(S::OrderCreated, fine.clone(), &"r".repeat(1001)),
            Err("Reason must be at most 1000 characters".into())
        );
        assert_eq!(
            check(S::Shipped, fine.clone(), "r"),
            Err("Build 24-0117 is now SHIPPED; its details can no longer be corrected".into())
        );
        assert_eq!(check(S::ReadyForShip, fine, "r"), Ok(1));
        assert_eq!(
            check(S::OrderCreated, stored(), "r"),
            Err(NOTHING_CHANGED.into())
        );
    }

    #[test]
    fn an_unchanged_past_want_date_is_kept() {
        let mut old = stored();
        old.want_date = day(2026, 1, 1);
        let mut wanted = old.clone();
        wanted.sales_person = "Omar Haddad".into();
        assert!(check_values(&old, &wanted, day(2026, 12, 6)).is_ok());
    }

    #[test]
    fn only_builds_before_production_are_cancelled() {
        for s in [S::OrderCreated, S::PartsSent, S::ReadyForPreQc] {
            assert!(check_cancel("B", s, true).is_ok());
        }
        assert!(check_cancel("B", S::ReadyForProduction, false).is_ok());
        assert_eq!(
            check_cancel("B", S::ReadyForProduction, true),
            Err("Build B has entered production; it cannot be cancelled".into())
        );
        for s in [
            S::TestingComplete,
            S::PackagingComplete,
            S::ReadyForFinalQc,
            S::ReadyForShip,
            S::Shipped,
        ] {
            assert!(check_cancel("B", s, false).is_err());
        }
        assert_eq!(
            check_cancel("B", S::Cancelled, false),
            Err("Build B is already cancelled".into())
        );
    }

    #[test]
    fn the_detail_offers_corrections_and_cancelling_by_role() {
        let offered = |role, status, held| {
            let mut a = Vec::new();
            detail_actions(&mut a, role, status, false, held);
            a
        };
        assert_eq!(
            offered(Role::ProductionCoordinator, S::ReadyForShip, false),
            [OrderAction::Correct]
        );
        assert_eq!(
            offered(Role::Admin, S::PartsSent, false),
            [OrderAction::Correct, OrderAction::Cancel]
        );
        assert_eq!(
            offered(Role::Admin, S::PartsSent, true),
            [OrderAction::Correct]
        );
        assert!(offered(Role::Admin, S::Cancelled, false).is_empty());
        assert!(offered(Role::Assembler, S::OrderCreated, false).is_empty());
        assert!(offered(Role::ProductionCoordinator, S::Shipped, false).is_empty());
    }

    #[test]
    fn a_stale_correction_names_what_changed() {
        let mut now = stored();
        now.want_date = day(2027, 1, 5);
        assert_eq!(
            stale_refusal("24-0117", &stored(), &now),
            "Build 24-0117 was corrected on another station (Want date is now 2027-01-05); \
             your correction was not saved"
        );
    }
}
