//! The order lifecycle: the transition table, who may make each move, assignment rules.
//!
//! Pure rules with their exact messages (docs/lifecycle.md §1, §3.1, §3.5, §4; acting rule §1.3,
//! assignee §4.3, overrides §3.5). The service checks them inside its transactions; the detail screen
//! asks [`allowed_actions`] what to offer.

use crate::domain::Role;
use crate::domain::order::{OrderAction, OrderStatus};
use crate::text::check_text;
use uuid::Uuid;

/// What must hold before a move, checked by the service against the locked row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precondition {
    None,
    /// T1: the BOM that `bomId` points to is APPROVED.
    BomApproved,
    /// T5: every task complete and the round's latest testing form PASS.
    TasksAndTesting,
    /// T6: the round's packaging checklist complete.
    PackagingComplete,
    /// T3, T4, T8, T9: only by submitting the QC result (or an ADMIN override).
    Qc(QcGate),
}

/// The QC submission that makes a QC-gated move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QcGate {
    PreQcPass,
    PreQcFail,
    FinalQcPass,
    FinalQcFail,
}

impl QcGate {
    /// "PASS Pre-QC", "FAIL Final QC", ...
    fn describe(self) -> &'static str {
        match self {
            QcGate::PreQcPass => "a PASS Pre-QC result",
            QcGate::PreQcFail => "a FAIL Pre-QC result",
            QcGate::FinalQcPass => "a PASS Final QC result",
            QcGate::FinalQcFail => "a FAIL Final QC result",
        }
    }

    /// A failed QC sends the build back and tells every coordinator (docs/lifecycle.md §5.1, §5.2).
    pub fn is_failure(self) -> bool {
        matches!(self, QcGate::PreQcFail | QcGate::FinalQcFail)
    }
}

/// One of the ten moves (docs/lifecycle.md §3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    /// "T1" .. "T10".
    pub code: &'static str,
    pub from: OrderStatus,
    pub to: OrderStatus,
    pub role: Role,
    /// The `OrderStatusHistory.action` of the normal (non-override) move.
    pub action: &'static str,
    pub precondition: Precondition,
}

impl Transition {
    pub fn qc_gate(&self) -> Option<QcGate> {
        match self.precondition {
            Precondition::Qc(g) => Some(g),
            _ => None,
        }
    }
}

use OrderStatus as S;

/// The only moves that exist.
pub const TRANSITIONS: [Transition; 10] = [
    Transition {
        code: "T1",
        from: S::OrderCreated,
        to: S::PartsSent,
        role: Role::ProcurementSpecialist,
        action: "PARTS_SENT",
        precondition: Precondition::BomApproved,
    },
    Transition {
        code: "T2",
        from: S::PartsSent,
        to: S::ReadyForPreQc,
        role: Role::ProcurementSpecialist,
        action: "BODY_ARRIVED",
        precondition: Precondition::None,
    },
    Transition {
        code: "T3",
        from: S::ReadyForPreQc,
        to: S::ReadyForProduction,
        role: Role::QcPerson,
        action: "PRE_QC_PASSED",
        precondition: Precondition::Qc(QcGate::PreQcPass),
    },
    Transition {
        code: "T4",
        from: S::ReadyForPreQc,
        to: S::PartsSent,
        role: Role::QcPerson,
        action: "PRE_QC_FAILED",
        precondition: Precondition::Qc(QcGate::PreQcFail),
    },
    Transition {
        code: "T5",
        from: S::ReadyForProduction,
        to: S::TestingComplete,
        role: Role::Assembler,
        action: "TESTING_COMPLETE",
        precondition: Precondition::TasksAndTesting,
    },
    Transition {
        code: "T6",
        from: S::TestingComplete,
        to: S::PackagingComplete,
        role: Role::Assembler,
        action: "PACKAGING_COMPLETE",
        precondition: Precondition::PackagingComplete,
    },
    Transition {
        code: "T7",
        from: S::PackagingComplete,
        to: S::ReadyForFinalQc,
        role: Role::Assembler,
        action: "SENT_TO_FINAL_QC",
        precondition: Precondition::None,
    },
    Transition {
        code: "T8",
        from: S::ReadyForFinalQc,
        to: S::ReadyForShip,
        role: Role::QcPerson,
        action: "FINAL_QC_PASSED",
        precondition: Precondition::Qc(QcGate::FinalQcPass),
    },
    Transition {
        code: "T9",
        from: S::ReadyForFinalQc,
        to: S::ReadyForProduction,
        role: Role::QcPerson,
        action: "FINAL_QC_FAILED",
        precondition: Precondition::Qc(QcGate::FinalQcFail),
    },
    Transition {
        code: "T10",
        from: S::ReadyForShip,
        to: S::Shipped,
        role: Role::ProductionCoordinator,
        action: "SHIPPED",
        precondition: Precondition::None,
    },
];

/// The history action of every ADMIN override (docs/lifecycle.md §3.5).
pub const OVERRIDE_ACTION: &str = "OVERRIDE";
/// The explicit AuditLog action of an override.
pub const OVERRIDE_AUDIT_ACTION: &str = "STATUS_OVERRIDE";
pub const SHIPPED_IS_FINAL: &str = "SHIPPED is final";
/// A cancelled build never moves again (docs/lifecycle.md §12).
pub const CANCELLED_IS_FINAL: &str = "CANCELLED is final";
pub const OVERRIDE_REASON_REQUIRED: &str = "An override reason is required";
pub const MAX_OVERRIDE_REASON: usize = 1000;
pub const MAX_TRACKING: usize = 100;
pub const MAX_SHIPPING_NOTE: usize = 1000;
/// A free note on any other move.
pub const MAX_NOTE: usize = 1000;

/// The question a move asks on screen: the build and both statuses by their titles, never their codes
/// (docs/lifecycle.md §2.1).
pub fn move_question(build: &str, from: OrderStatus, to: OrderStatus) -> String {
    format!("Move {build} from {} to {}?", from.title(), to.title())
}

/// The listed move from `from` to `to`, if there is one.
pub fn find(from: OrderStatus, to: OrderStatus) -> Option<&'static Transition> {
    TRANSITIONS.iter().find(|t| t.from == from && t.to == to)
}

/// The move a QC submission makes (T3, T4, T8 or T9): the QC service performs it, never `Transition`.
pub fn for_qc_gate(gate: QcGate) -> Option<&'static Transition> {
    TRANSITIONS.iter().find(|t| t.qc_gate() == Some(gate))
}

/// The moves out of `from`.
pub fn from_status(from: OrderStatus) -> impl Iterator<Item = &'static Transition> {
    TRANSITIONS.iter().filter(move |t| t.from == from)
}

/// Whether `role` may move a build from `from` to `to` (`is_override`: an ADMIN override with a reason).
///
/// QC-gated moves (T3, T4, T8, T9) are refused even for QC here: they happen only by submitting the
/// signed QC result. ADMIN's moves are always overrides (docs/lifecycle.md §3.5), so ADMIN without one is
/// asked for a reason.
pub fn check_transition(
    role: Role,
    from: OrderStatus,
    to: OrderStatus,
    is_override: bool,
) -> Result<&'static Transition, String> {
    if from == S::Shipped {
        return Err(SHIPPED_IS_FINAL.into());
    }
    if from == S::Cancelled {
        return Err(CANCELLED_IS_FINAL.into());
    }
    let t = find(from, to).ok_or_else(|| format!("No transition from {from} to {to}"))?;
    if is_override {
        return if role == Role::Admin {
            Ok(t)
        } else {
            Err(format!(
                "Your role ({role}) cannot override a status change"
            ))
        };
    }
    if role == Role::Admin {
        return Err(OVERRIDE_REASON_REQUIRED.into());
    }
    if role != t.role {
        return Err(format!(
            "Your role ({role}) cannot move an order from {from} to {to}"
        ));
    }
    if let Some(gate) = t.qc_gate() {
        return Err(format!(
            "{from} to {to} happens only by submitting {}",
            gate.describe()
        ));
    }
    Ok(t)
}

/// The override reason, trimmed: 1-1000 characters, not blank.
pub fn override_reason(reason: &str) -> Result<String, String> {
    let r = reason.trim();
    check_text("Override reason", r, false)?;
    if r.is_empty() || r.chars().count() > MAX_OVERRIDE_REASON {
        return Err(OVERRIDE_REASON_REQUIRED.into());
    }
    Ok(r.to_string())
}

/// The history notes of an override.
pub fn override_notes(from: OrderStatus, to: OrderStatus, reason: &str) -> String {
    format!("OVERRIDE {from} -> {to}: {reason}")
}

/// Packs T10's two optional fields into `Request::Transition::note`: the tracking number, a newline,
/// the shipping note. [`shipping_notes`] reads it back.
pub fn pack_shipping(tracking: &str, note: &str) -> Option<String> {
    let (tracking, note) = (tracking.trim(), note.trim());
    if tracking.is_empty() && note.is_empty() {
        None
    } else {
        Some(format!("{tracking}\n{note}"))
    }
}

/// T10's history notes from the packed note: `Tracking: <n>; <note>`; either part may be absent.
pub fn shipping_notes(packed: Option<&str>) -> Result<Option<String>, String> {
    let Some(packed) = packed else {
        return Ok(None);
    };
    let (tracking, note) = packed.split_once('\n').unwrap_or((packed, ""));
    let (tracking, note) = (tracking.trim(), note.trim());
    check_text("Tracking number", tracking, false)?;
    check_text("Shipping note", note, false)?;
    if tracking.chars().count() > MAX_TRACKING {
        return Err(format!(
            "Tracking number must be at most {MAX_TRACKING} characters"
        ));
    }
    if note.chars().count() > MAX_SHIPPING_NOTE {
        return Err(format!(
            "Shipping note must be at most {MAX_SHIPPING_NOTE} characters"
        ));
    }
    let mut parts = Vec::new();
    if !tracking.is_empty() {
        parts.push(format!("Tracking: {tracking}"));
    }
    if !note.is_empty() {
        parts.push(note.to_string());
    }
    Ok((!parts.is_empty()).then(|| parts.join("; ")))
}

/// A free note on a move other than T10, trimmed; blank is none.
pub fn transition_note(note: Option<&str>) -> Result<Option<String>, String> {
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    if let Some(n) = note {
        check_text("Note", n, false)?;
    }
    match note {
        Some(n) if n.chars().count() > MAX_NOTE => {
            Err(format!("Note must be at most {MAX_NOTE} characters"))
        }
        n => Ok(n.map(str::to_string)),
    }
}

/// A build without a BOM cannot move to PARTS_SENT.
pub const NO_BOM_TO_APPROVE: &str = "This build has no BOM; generate and approve one first";

/// The refusal of a move that needs an approved BOM (docs/lifecycle.md §3.1), given the build's
/// current BOM as (version, status); `None` when it is approved. The service checks it against the
/// locked row; the desk and the build detail say it before any dialog opens.
pub fn bom_approved_refusal(bom: Option<(i32, &str)>) -> Option<String> {
    match bom {
        Some((_, "APPROVED")) => None,
        Some((version, _)) => Some(format!("Approve the current BOM (version {version}) first")),
        None => Some(NO_BOM_TO_APPROVE.to_string()),
    }
}

/// The acting rule (docs/lifecycle.md §1.3): an assigned build is worked only by its assignee. ADMIN
/// overrides are exempt.
pub fn check_acting(user_id: Uuid, assignee: Option<(Uuid, &str)>) -> Result<(), String> {
    match assignee {
        Some((id, name)) if id != user_id => Err(format!("This order is assigned to {name}")),
        _ => Ok(()),
    }
}

/// The role an assignee must have in `status` (docs/lifecycle.md §4.2); `None` where builds cannot be
/// assigned.
pub fn assignee_role(status: OrderStatus) -> Option<Role> {
    match status {
        S::OrderCreated | S::PartsSent => Some(Role::ProcurementSpecialist),
        S::ReadyForPreQc | S::ReadyForFinalQc => Some(Role::QcPerson),
        S::ReadyForProduction | S::TestingComplete | S::PackagingComplete => Some(Role::Assembler),
        S::ReadyForShip | S::Shipped | S::Cancelled => None,
    }
}

/// Who may assign and unassign.
pub fn may_assign(role: Role) -> bool {
    matches!(role, Role::ProductionCoordinator | Role::Admin)
}

/// A user proposed as assignee.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate<'a> {
    pub full_name: &'a str,
    pub role: Role,
    pub is_active: bool,
}

/// Whether `actor` may (un)assign a build in `status`, and whether `candidate` fits it
/// (docs/lifecycle.md §4.1, §4.2).
pub fn check_assignment(
    actor: Role,
    status: OrderStatus,
    candidate: Option<Candidate<'_>>,
) -> Result<(), String> {
    if !may_assign(actor) {
        return Err(format!("Your role ({actor}) cannot assign orders"));
    }
    let Some(fit) = assignee_role(status) else {
        return Err(format!("Orders in {status} cannot be assigned"));
    };
    let Some(c) = candidate else {
        return Ok(());
    };
    if c.role != fit {
        return Err(format!(
            "{} is {}; an order in {status} can only be assigned to {fit}",
            c.full_name, c.role
        ));
    }
    if !c.is_active {
        return Err(format!("{} is not an active user", c.full_name));
    }
    Ok(())
}

/// docs/lifecycle.md §4.3: on a status change an assignee is kept only if their role fits the new status.
pub fn keeps_assignee(assignee_role_now: Role, new_status: OrderStatus) -> bool {
    assignee_role(new_status) == Some(assignee_role_now)
}

/// The history-note fragment when a move clears an assignee (docs/lifecycle.md §4.3).
pub fn assignment_cleared_note(name: &str) -> String {
    format!("assignment to {name} cleared")
}

/// What `role` (user `user_id`) may do to a build in `status` with `assignee`, for the detail screen.
/// QC-gated moves are not offered as moves: the QC form makes them.
pub fn allowed_actions(
    role: Role,
    user_id: Uuid,
    status: OrderStatus,
    assignee: Option<Uuid>,
) -> Vec<OrderAction> {
    let mut actions = Vec::new();
    match role {
        Role::ServiceDepartment => return actions,
        Role::Admin => {
            actions.extend(from_status(status).map(|t| OrderAction::Override { to: t.to }));
        }
        _ => {
            let free = assignee.is_none_or(|a| a == user_id);
            actions.extend(
                from_status(status)
                    .filter(|t| t.role == role && t.qc_gate().is_none() && free)
                    .map(|t| OrderAction::Move { to: t.to }),
            );
        }
    }
    if may_assign(role) && assignee_role(status).is_some() {
        actions.push(OrderAction::Assign);
    }
    if may_assign(role) && status == S::OrderCreated {
        actions.push(OrderAction::EditConfiguration);
    }
    actions
}

/// Who may approve a build's current BOM (R13).
pub fn may_approve_bom(role: Role) -> bool {
    matches!(role, Role::ProcurementSpecialist | Role::Admin)
}

/// Who may regenerate a build's BOM (docs/bom-rules.md §8, docs/lifecycle.md §9).
pub fn may_regenerate_bom(role: Role) -> bool {
    matches!(
        role,
        Role::ProcurementSpecialist | Role::ProductionCoordinator | Role::Admin
    )
}

/// The BOM actions `role` (user `user_id`) may take on a build in `status` with `assignee`;
/// `draft_bom` says whether the build's current BOM is DRAFT. BOMs change only while ORDER_CREATED,
/// and the acting rule (docs/lifecycle.md §1.3) binds them like any other work on the build (ADMIN
/// excepted).
pub fn bom_actions(
    role: Role,
    user_id: Uuid,
    status: OrderStatus,
    assignee: Option<Uuid>,
    draft_bom: bool,
) -> Vec<OrderAction> {
    let acting = role == Role::Admin || assignee.is_none_or(|a| a == user_id);
    if status != S::OrderCreated || !acting {
        return Vec::new();
    }
    let mut actions = Vec::new();
    if may_approve_bom(role) && draft_bom {
        actions.push(OrderAction::ApproveBom);
    }
    if may_regenerate_bom(role) {
        actions.push(OrderAction::RegenerateBom);
    }
    actions
}

/// Everything the detail screen offers: [`allowed_actions`] followed by [`bom_actions`].
pub fn detail_actions(
    role: Role,
    user_id: Uuid,
    status: OrderStatus,
    assignee: Option<Uuid>,
    draft_bom: bool,
) -> Vec<OrderAction> {
    let mut actions = allowed_actions(role, user_id, status, assignee);
    actions.extend(bom_actions(role, user_id, status, assignee, draft_bom));
    actions
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role_label(r: Role) -> String {
        r.code().to_string()
    }

    #[test]
    fn the_table_has_ten_distinct_moves_in_order() {
        for (i, t) in TRANSITIONS.iter().enumerate() {
            assert_eq!(t.code, format!("T{}", i + 1));
            assert_eq!(find(t.from, t.to), Some(t));
        }
        let gated: Vec<&str> = TRANSITIONS
            .iter()
            .filter(|t| t.qc_gate().is_some())
            .map(|t| t.code)
            .collect();
        assert_eq!(gated, ["T3", "T4", "T8", "T9"]);
        assert!(from_status(S::Shipped).next().is_none());
    }

    /// Every (role, from, to) without override: allowed exactly for the table's role on a non-QC move;
    /// otherwise refused with the right message.
    #[test]
    fn every_role_and_pair_without_override() {
        let mut allowed = 0;
        for role in Role::ALL {
            for &from in OrderStatus::ALL {
                for &to in OrderStatus::ALL {
                    let got = check_transition(role, from, to, false);
                    let expected: Result<&str, String> = if from == S::Shipped {
                        Err(SHIPPED_IS_FINAL.into())
                    } else if from == S::Cancelled {
                        Err(CANCELLED_IS_FINAL.into())
                    } else if let Some(t) = find(from, to) {
                        if role == Role::Admin {
                            Err(OVERRIDE_REASON_REQUIRED.into())
                        } else if role != t.role {
                            Err(format!(
                                "Your role ({}) cannot move an order from {} to {}",
                                role_label(role),
                                from.code(),
                                to.code()
                            ))
                        } else if let Some(g) = t.qc_gate() {
                            let what = match g {
                                QcGate::PreQcPass => "a PASS Pre-QC result",
                                QcGate::PreQcFail => "a FAIL Pre-QC result",
                                QcGate::FinalQcPass => "a PASS Final QC result",
                                QcGate::FinalQcFail => "a FAIL Final QC result",
                            };
                            Err(format!(
                                "{} to {} happens only by submitting {what}",
                                from.code(),
                                to.code()
                            ))
                        } else {
                            Ok(t.code)
                        }
                    } else {
                        Err(format!(
                            "No transition from {} to {}",
                            from.code(),
                            to.code()
                        ))
                    };
                    assert_eq!(got.map(|t| t.code), expected, "{role} {from} -> {to}");
                    if expected.is_ok() {
                        allowed += 1;
                    }
                }
            }
        }
        // T1, T2 (PS), T5, T6, T7 (ASM), T10 (PC).
        assert_eq!(allowed, 6);
    }

    #[test]
    fn the_allowed_moves_by_role() {
        for (role, from, to) in [
            (Role::ProcurementSpecialist, S::OrderCreated, S::PartsSent),
            (Role::ProcurementSpecialist, S::PartsSent, S::ReadyForPreQc),
            (Role::Assembler, S::ReadyForProduction, S::TestingComplete),
            (Role::Assembler, S::TestingComplete, S::PackagingComplete),
            (Role::Assembler, S::PackagingComplete, S::ReadyForFinalQc),
            (Role::ProductionCoordinator, S::ReadyForShip, S::Shipped),
        ] {
            assert!(
                check_transition(role, from, to, false).is_ok(),
                "{role:?} {from} -> {to}"
            );
        }
        assert_eq!(
            check_transition(Role::QcPerson, S::ReadyForPreQc, S::ReadyForProduction, false),
            Err(
                "READY_FOR_PRE_QC to READY_FOR_PRODUCTION happens only by submitting a PASS Pre-QC result"
                    .into()
            )
        );
        assert_eq!(
            check_transition(Role::Assembler, S::OrderCreated, S::ReadyForShip, false),
            Err("No transition from ORDER_CREATED to READY_FOR_SHIP".into())
        );
        assert_eq!(
            check_transition(
                Role::ProductionCoordinator,
                S::Shipped,
                S::ReadyForShip,
                false
            ),
            Err("SHIPPED is final".into())
        );
        assert_eq!(
            check_transition(Role::ProductionCoordinator, S::OrderCreated, S::PartsSent, false),
            Err(
                "Your role (PRODUCTION_COORDINATOR) cannot move an order from ORDER_CREATED to PARTS_SENT"
                    .into()
            )
        );
    }

    /// Overrides: ADMIN may make exactly the ten listed moves (QC-gated included); nobody else may
    /// override; SHIPPED stays final and non-adjacent jumps stay impossible.
    #[test]
    fn every_role_and_pair_as_override() {
        let mut allowed = 0;
        for role in Role::ALL {
            for &from in OrderStatus::ALL {
                for &to in OrderStatus::ALL {
                    let got = check_transition(role, from, to, true).map(|t| t.code);
                    let expected: Result<&str, String> = if from == S::Shipped {
                        Err(SHIPPED_IS_FINAL.into())
                    } else if from == S::Cancelled {
                        Err(CANCELLED_IS_FINAL.into())
                    } else if let Some(t) = find(from, to) {
                        if role == Role::Admin {
                            Ok(t.code)
                        } else {
                            Err(format!(
                                "Your role ({}) cannot override a status change",
                                role_label(role)
                            ))
                        }
                    } else {
                        Err(format!(
                            "No transition from {} to {}",
                            from.code(),
                            to.code()
                        ))
                    };
                    assert_eq!(got, expected, "override {role} {from} -> {to}");
                    if expected.is_ok() {
                        allowed += 1;
                    }
                }
            }
        }
        assert_eq!(allowed, 10);
    }

    #[test]
    fn override_reason_and_notes() {
        assert_eq!(override_reason("  "), Err(OVERRIDE_REASON_REQUIRED.into()));
        assert_eq!(override_reason(""), Err(OVERRIDE_REASON_REQUIRED.into()));
        assert_eq!(
            override_reason(&"x".repeat(1001)),
            Err(OVERRIDE_REASON_REQUIRED.into())
        );
        assert_eq!(override_reason(&"é".repeat(1000)), Ok("é".repeat(1000)));
        assert_eq!(override_reason(" fix "), Ok("fix".into()));
        assert_eq!(
            override_notes(S::ReadyForFinalQc, S::ReadyForShip, "customer waiver"),
            "OVERRIDE READY_FOR_FINAL_QC -> READY_FOR_SHIP: customer waiver"
        );
    }

    #[test]
    fn shipping_notes_round_trip() {
        let packed = pack_shipping(" 1Z999 ", " left by truck ");
        assert_eq!(
            shipping_notes(packed.as_deref()),
            Ok(Some("Tracking: 1Z999; left by truck".into()))
        );
        assert_eq!(
            shipping_notes(pack_shipping("1Z999", "").as_deref()),
            Ok(Some("Tracking: 1Z999".into()))
        );
        assert_eq!(
            shipping_notes(pack_shipping("", "pickup").as_deref()),
            Ok(Some("pickup".into()))
        );
        assert_eq!(pack_shipping(" ", ""), None);
        assert_eq!(shipping_notes(None), Ok(None));
        assert!(shipping_notes(Some(&"1".repeat(101))).is_err());
        assert!(shipping_notes(Some(&format!("1\n{}", "n".repeat(1001)))).is_err());
        assert!(transition_note(Some(&"n".repeat(1001))).is_err());
        assert_eq!(transition_note(Some("  ")), Ok(None));
    }

    #[test]
    fn notes_and_reasons_refuse_forbidden_characters() {
        assert_eq!(
            override_reason("waiver\u{1b}[2J"),
            Err("Override reason: contains the control character U+001B; remove it".into())
        );
        assert_eq!(
            transition_note(Some("ok\u{202E}")),
            Err("Note: contains the direction-changing character U+202E; remove it".into())
        );
        assert_eq!(
            shipping_notes(pack_shipping("1Z\u{200B}9", "").as_deref()),
            Err("Tracking number: contains the zero-width character U+200B; remove it".into())
        );
        assert_eq!(
            shipping_notes(pack_shipping("1Z9", "by\u{85}truck").as_deref()),
            Err("Shipping note: contains the control character U+0085; remove it".into())
        );
        // The packing's own line break separates the two fields; a second one is refused.
        assert_eq!(
            shipping_notes(Some("1Z9\nby\ntruck")),
            Err("Shipping note: contains a line break (U+000A); this field takes one line".into())
        );
    }

    #[test]
    fn assignment_fit_table() {
        use Role::*;
        let expected = [
            (S::OrderCreated, Some(ProcurementSpecialist)),
            (S::PartsSent, Some(ProcurementSpecialist)),
            (S::ReadyForPreQc, Some(QcPerson)),
            (S::ReadyForProduction, Some(Assembler)),
            (S::TestingComplete, Some(Assembler)),
            (S::PackagingComplete, Some(Assembler)),
            (S::ReadyForFinalQc, Some(QcPerson)),
            (S::ReadyForShip, None),
            (S::Shipped, None),
            (S::Cancelled, None),
        ];
        for (status, role) in expected {
            assert_eq!(assignee_role(status), role, "{status}");
        }
    }

    #[test]
    fn every_assignment_combination() {
        for actor in Role::ALL {
            for &status in OrderStatus::ALL {
                for cand_role in Role::ALL {
                    let cand = Candidate {
                        full_name: "Pat Doe",
                        role: cand_role,
                        is_active: true,
                    };
                    let got = check_assignment(actor, status, Some(cand));
                    let unassign = check_assignment(actor, status, None);
                    let expected = if !matches!(actor, Role::ProductionCoordinator | Role::Admin) {
                        Err(format!("Your role ({}) cannot assign orders", actor.code()))
                    } else if matches!(status, S::ReadyForShip | S::Shipped | S::Cancelled) {
                        Err(format!("Orders in {} cannot be assigned", status.code()))
                    } else {
                        Ok(())
                    };
                    assert_eq!(unassign, expected, "unassign {actor} {status}");
                    let expected = expected.and_then(|()| {
                        let fit = assignee_role(status).map(Role::code).unwrap_or_default();
                        if cand_role.code() == fit {
                            Ok(())
                        } else {
                            Err(format!(
                                "Pat Doe is {}; an order in {} can only be assigned to {fit}",
                                cand_role.code(),
                                status.code()
                            ))
                        }
                    });
                    assert_eq!(got, expected, "assign {actor} {status} {cand_role}");
                }
            }
        }
        let inactive = Candidate {
            full_name: "Pat Doe",
            role: Role::Assembler,
            is_active: false,
        };
        assert_eq!(
            check_assignment(Role::Admin, S::TestingComplete, Some(inactive)),
            Err("Pat Doe is not an active user".into())
        );
    }

    #[test]
    fn assignee_kept_only_when_the_role_fits_the_new_status() {
        for t in &TRANSITIONS {
            for role in Role::ALL {
                assert_eq!(
                    keeps_assignee(role, t.to),
                    assignee_role(t.to) == Some(role),
                    "{} {role}",
                    t.code
                );
            }
        }
        // T1 keeps a procurement assignee; T2 clears them (QC acts next); T7 clears the assembler.
        assert!(keeps_assignee(Role::ProcurementSpecialist, S::PartsSent));
        assert!(!keeps_assignee(
            Role::ProcurementSpecialist,
            S::ReadyForPreQc
        ));
        assert!(!keeps_assignee(Role::Assembler, S::ReadyForFinalQc));
        assert!(keeps_assignee(Role::Assembler, S::TestingComplete));
        assert!(!keeps_assignee(Role::QcPerson, S::ReadyForShip));
        assert_eq!(
            assignment_cleared_note("Pat Doe"),
            "assignment to Pat Doe cleared"
        );
    }

    #[test]
    fn each_qc_gate_has_its_move() {
        let code = |g| for_qc_gate(g).map(|t| t.code);
        assert_eq!(code(QcGate::PreQcPass), Some("T3"));
        assert_eq!(code(QcGate::PreQcFail), Some("T4"));
        assert_eq!(code(QcGate::FinalQcPass), Some("T8"));
        assert_eq!(code(QcGate::FinalQcFail), Some("T9"));
    }

    #[test]
    fn acting_rule() {
        let me = Uuid::from_u128(1);
        let other = Uuid::from_u128(2);
        assert_eq!(check_acting(me, None), Ok(()));
        assert_eq!(check_acting(me, Some((me, "Me"))), Ok(()));
        assert_eq!(
            check_acting(me, Some((other, "Luis Ortega"))),
            Err("This order is assigned to Luis Ortega".into())
        );
    }

    #[test]
    fn actions_offered_per_role() {
        let me = Uuid::from_u128(1);
        let other = Uuid::from_u128(2);
        use OrderAction::*;
        assert_eq!(
            allowed_actions(Role::ProcurementSpecialist, me, S::OrderCreated, None),
            vec![Move { to: S::PartsSent }]
        );
        assert_eq!(
            allowed_actions(
                Role::ProcurementSpecialist,
                me,
                S::OrderCreated,
                Some(other)
            ),
            vec![]
        );
        assert_eq!(
            allowed_actions(Role::Assembler, me, S::TestingComplete, Some(me)),
            vec![Move {
                to: S::PackagingComplete
            }]
        );
        assert_eq!(
            allowed_actions(Role::QcPerson, me, S::ReadyForPreQc, None),
            vec![]
        );
        assert_eq!(
            allowed_actions(Role::ProductionCoordinator, me, S::OrderCreated, None),
            vec![Assign, EditConfiguration]
        );
        assert_eq!(
            allowed_actions(Role::ProductionCoordinator, me, S::ReadyForShip, None),
            vec![Move { to: S::Shipped }]
        );
        assert_eq!(
            allowed_actions(Role::Admin, me, S::ReadyForFinalQc, Some(other)),
            vec![
                Override {
                    to: S::ReadyForShip
                },
                Override {
                    to: S::ReadyForProduction
                },
                Assign
            ]
        );
        assert_eq!(allowed_actions(Role::Admin, me, S::Shipped, None), vec![]);
        for &s in OrderStatus::ALL {
            assert!(allowed_actions(Role::ServiceDepartment, me, s, None).is_empty());
        }
        // Every offered move passes the binding check.
        for role in Role::ALL {
            for &s in OrderStatus::ALL {
                for a in detail_actions(role, me, s, None, true) {
                    match a {
                        Move { to } => assert!(check_transition(role, s, to, false).is_ok()),
                        Override { to } => assert!(check_transition(role, s, to, true).is_ok()),
                        Assign => assert!(check_assignment(role, s, None).is_ok()),
                        EditConfiguration => assert_eq!(s, S::OrderCreated),
                        ApproveBom => {
                            assert_eq!(s, S::OrderCreated);
                            assert!(may_approve_bom(role));
                        }
                        RegenerateBom => {
                            assert_eq!(s, S::OrderCreated);
                            assert!(may_regenerate_bom(role));
                        }
                        // Not the lifecycle's: docs/holds.md adds them after.
                        PlaceHold | ReleaseHold | Correct | Cancel => assert!(
                            !matches!(a, PlaceHold | ReleaseHold | Correct | Cancel),
                            "{a:?} from detail_actions"
                        ),
                    }
                }
            }
        }
    }

    #[test]
    fn bom_actions_per_role_status_and_assignee() {
        let me = Uuid::from_u128(1);
        let other = Uuid::from_u128(2);
        use OrderAction::*;
        let expected = |role: Role, draft: bool| -> Vec<OrderAction> {
            match role {
                Role::ProcurementSpecialist | Role::Admin if draft => {
                    vec![ApproveBom, RegenerateBom]
                }
                Role::ProcurementSpecialist | Role::Admin | Role::ProductionCoordinator => {
                    vec![RegenerateBom]
                }
                Role::QcPerson | Role::Assembler | Role::ServiceDepartment => vec![],
            }
        };
        for role in Role::ALL {
            for draft in [true, false] {
                assert_eq!(
                    bom_actions(role, me, S::OrderCreated, None, draft),
                    expected(role, draft),
                    "{role:?} draft={draft}"
                );
                assert_eq!(
                    bom_actions(role, me, S::OrderCreated, Some(me), draft),
                    expected(role, draft)
                );
                // docs/lifecycle.md §1.3: another user's build is not theirs to change; ADMIN is exempt.
                let assigned = bom_actions(role, me, S::OrderCreated, Some(other), draft);
                if role == Role::Admin {
                    assert_eq!(assigned, expected(role, draft));
                } else {
                    assert!(assigned.is_empty(), "{role:?}");
                }
                for &s in OrderStatus::ALL {
                    if s != S::OrderCreated {
                        assert!(bom_actions(role, me, s, None, draft).is_empty());
                    }
                }
            }
        }
        assert_eq!(
            detail_actions(Role::ProcurementSpecialist, me, S::OrderCreated, None, true),
            vec![Move { to: S::PartsSent }, ApproveBom, RegenerateBom]
        );
        assert_eq!(
            detail_actions(
                Role::ProductionCoordinator,
                me,
                S::OrderCreated,
                None,
                false
            ),
            vec![Assign, EditConfiguration, RegenerateBom]
        );
        assert_eq!(
            detail_actions(Role::Admin, me, S::PartsSent, None, true),
            allowed_actions(Role::Admin, me, S::PartsSent, None)
        );
    }
}
