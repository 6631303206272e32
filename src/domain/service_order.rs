//! Service orders (docs/service-orders.md): the service department's cart, the order and its lines
//! as screens see them, and the rules every step checks.

use crate::domain::Role;
use crate::domain::bom::{ItemType, canonical_id};
use crate::domain::enums::pg_enum;
use crate::domain::service_catalog::ServiceCatalog;
use crate::text::check_text;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

/// Quantities a cart line and a requested line may have.
pub const MAX_QUANTITY: i32 = 999;
/// The requester's note on submit.
pub const MAX_NOTES: usize = 2000;
/// A rejection reason, and procurement's note on approval or fulfilment.
pub const MAX_REASON: usize = 1000;
/// Procurement's internal note on one decision.
pub const MAX_INTERNAL_NOTE: usize = 2000;

pg_enum!(
    /// `"ServiceOrderStatus"`.
    ServiceOrderStatus, "ServiceOrderStatus", parse: loose, [
    Pending => "PENDING",
    Approved => "APPROVED",
    Rejected => "REJECTED",
    Fulfilled => "FULFILLED",
]);

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

    /// Adds one of a scanned part or assembly of `catalog` (docs/scanning.md §3.2): `Ok` is the
    /// message that says so, `Err` why nothing was added (the cart is unchanged).
    pub fn add_scanned(&mut self, catalog: &ServiceCatalog, code: &str) -> Result<String, String> {
        let Some(entry) = catalog.get_ignoring_case(code) else {
            return Err(format!("{} is not a service part", code.trim()));
        };
        if !entry.active {
            return Err(format!("Unknown or inactive part(s): {}", entry.id));
        }
        if let Err(e) = self.add(&entry.id, 1) {
            return Err(format!(
                "{e} (the cart holds {})",
                self.quantity_of(&entry.id)
            ));
        }
        Ok(added_message(1, &entry.id, self.lines.len()))
    }

    pub fn quantity_of(&self, part_id: &str) -> i32 {
        self.lines
            .iter()
            .find(|l| l.part_id == part_id)
            .map_or(0, |l| l.quantity)
    }
}

/// What adding to the cart says: `Added 2 × ID to the cart (3 lines)`.
pub fn added_message(quantity: i32, id: &str, lines: usize) -> String {
    let noun = if lines == 1 { "line" } else { "lines" };
    format!("Added {quantity} × {id} to the cart ({lines} {noun})")
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
    /// Procurement's processing queue: PENDING, then APPROVED (to fulfil), oldest first; then the closed
    /// orders, newest first.
    Queue,
}

/// An approved quantity for one line (0 removes the line).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineApproval {
    pub line_id: Uuid,
    pub quantity: i32,
}

// ---------------------------------------------------------------------------------------------------------
// Who may do what (docs/service-orders.md §1)

/// What a role may do with service orders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceAccess {
    /// SERVICE_DEPARTMENT: submits, sees and withdraws its own orders only.
    Requester,
    /// PROCUREMENT_SPECIALIST and ADMIN: see every order and process them.
    Process,
    /// PRODUCTION_COORDINATOR: sees every order, changes nothing.
    ReadOnly,
    /// QC and assemblers see no service orders.
    None,
}

pub fn access(role: Role) -> ServiceAccess {
    match role {
        Role::ServiceDepartment => ServiceAccess::Requester,
        Role::ProcurementSpecialist | Role::Admin => ServiceAccess::Process,
        Role::ProductionCoordinator => ServiceAccess::ReadOnly,
        Role::QcPerson | Role::Assembler => ServiceAccess::None,
    }
}

/// The refusal a loser of a race gets (and anyone acting on an order that has moved on).
pub fn changed_message(id: Uuid, status: ServiceOrderStatus) -> String {
    format!(
        "Service order {} is now {status}; your change was not saved",
        number(id)
    )
}

// ---------------------------------------------------------------------------------------------------------
// The service catalogue (docs/service-orders.md §2)

// ---------------------------------------------------------------------------------------------------------
// Submit

/// A checked line, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmitLine {
    pub part_id: String,
    pub part_type: ItemType,
    pub quantity: i32,
}

/// A checked submission: merged lines in cart order and the trimmed note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submission {
    pub lines: Vec<SubmitLine>,
    pub notes: Option<String>,
}

/// Checks a cart against the rules of docs/service-orders.md §3-§4; `Err` is the message for the user.
///
/// Ids are canonicalised (`ASSY-X` is `X`) and the same id twice is summed, so the stored order never
/// has two lines for one part.
pub fn check_submission(
    lines: &[CartLine],
    notes: Option<&str>,
    catalogue: &ServiceCatalog,
) -> Result<Submission, String> {
    if lines.is_empty() {
        return Err("Cart is empty".into());
    }
    if lines
        .iter()
        .any(|l| !(1..=MAX_QUANTITY).contains(&l.quantity))
    {
        return Err(quantity_message());
    }
    let mut merged: Vec<(String, i32)> = Vec::new();
    for line in lines {
        let id = canonical_id(line.part_id.trim());
        match merged.iter_mut().find(|(m, _)| m == id) {
            Some((_, q)) => *q = q.saturating_add(line.quantity),
            None => merged.push((id.to_string(), line.quantity)),
        }
    }
    if merged.iter().any(|(_, q)| *q > MAX_QUANTITY) {
        return Err(quantity_message());
    }
    let refused: Vec<&str> = merged
        .iter()
        .filter(|(id, _)| !catalogue.get(id).is_some_and(|p| p.active))
        .map(|(id, _)| {
            if id.is_empty() {
                "(blank)"
            } else {
                id.as_str()
            }
        })
        .collect();
    if !refused.is_empty() {
        return Err(format!(
            "Unknown or inactive part(s): {}",
            refused.join(", ")
        ));
    }
    let notes = clean_text(notes, MAX_NOTES, "Notes")?;
    let lines = merged
        .into_iter()
        .filter_map(|(id, quantity)| {
            catalogue.get(&id).map(|p| SubmitLine {
                part_id: p.id.clone(),
                part_type: p.item_type,
                quantity,
            })
        })
        .collect();
    Ok(Submission { lines, notes })
}

/// Trims an optional one-line text; blank is none. `what` names it in the messages.
pub fn clean_text(text: Option<&str>, max: usize, what: &str) -> Result<Option<String>, String> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    check_text(what, text, false)?;
    if text.chars().count() > max {
        return Err(format!("{what} may have at most {max} characters"));
    }
    Ok(Some(text.to_string()))
}

/// The required rejection reason, trimmed.
pub fn check_reason(reason: &str) -> Result<String, String> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err("A rejection reason is required".into());
    }
    check_text("Rejection reason", reason, false)?;
    if reason.chars().count() > MAX_REASON {
        return Err(format!(
            "A rejection reason may have at most {MAX_REASON} characters"
        ));
    }
    Ok(reason.to_string())
}

// ---------------------------------------------------------------------------------------------------------
// Approve

/// A line whose approved quantity differs from the requested one (0 removes the line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineChange {
    pub line_id: Uuid,
    pub part_id: String,
    pub from: i32,
    pub to: i32,
}

/// Checks the approved quantities against the order's lines; lines not listed keep their quantity.
/// Returns the reductions in line order.
pub fn check_approval(
    lines: &[ServiceOrderLine],
    approvals: &[LineApproval],
) -> Result<Vec<LineChange>, String> {
    let mut approved: BTreeMap<Uuid, i32> = BTreeMap::new();
    for a in approvals {
        let Some(line) = lines.iter().find(|l| l.id == a.line_id) else {
            return Err("A line of this approval is no longer on the order; refresh it".into());
        };
        if approved.insert(a.line_id, a.quantity).is_some() {
            return Err(format!("The line for {} is listed twice", line.part_id));
        }
        if !(0..=line.quantity).contains(&a.quantity) {
            return Err(format!(
                "Approved quantity for {} must be 0 to {}",
                line.part_id, line.quantity
            ));
        }
    }
    let final_quantity = |l: &ServiceOrderLine| approved.get(&l.id).copied().unwrap_or(l.quantity);
    if lines.iter().all(|l| final_quantity(l) == 0) {
        return Err("At least one line must be approved; reject the order instead".into());
    }
    Ok(lines
        .iter()
        .filter(|l| final_quantity(l) != l.quantity)
        .map(|l| LineChange {
            line_id: l.id,
            part_id: l.part_id.clone(),
            from: l.quantity,
            to: final_quantity(l),
        })
        .collect())
}

// ---------------------------------------------------------------------------------------------------------
// The notes log

/// The time of a log line: minutes in UTC, e.g. `2026-11-26 14:05 UTC`. `at` is a UTC wall time.
pub fn log_time(at: NaiveDateTime) -> String {
    crate::domain::clock::utc_minute(at)
}

/// One decision line of the notes log:
/// `<UTC time> <STATUS> by <full name>: <reductions "id a->b", reason or note>`; without details the
/// colon is left out. The note is folded onto the one line.
pub fn decision_line(
    at: NaiveDateTime,
    status: ServiceOrderStatus,
    by: &str,
    changes: &[LineChange],
    text: Option<&str>,
) -> String {
    let mut details: Vec<String> = changes
        .iter()
        .map(|c| format!("{} {}->{}", c.part_id, c.from, c.to))
        .collect();
    if let Some(text) = text.map(one_line).filter(|t| !t.is_empty()) {
        details.push(text);
    }
    let head = format!("{} {status} by {by}", log_time(at));
    if details.is_empty() {
        head
    } else {
        format!("{head}: {}", details.join(", "))
    }
}

/// Appends a line to a log column; an empty log becomes the line.
pub fn append_line(log: Option<&str>, line: &str) -> String {
    match log.map(str::trim_end).filter(|l| !l.is_empty()) {
        Some(log) => format!("{log}\n{line}"),
        None => line.to_string(),
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What a station shows when another station changed a service order it shows (docs/live.md §3.4):
/// `before` as it was shown, `after` as read back (`None`: gone, withdrawn by its requester),
/// `more` when something shown beside the summary changed (its lines, its notes); `by` is " by …
/// at station …". `None` when nothing shown changed.
pub fn change_news(
    before: &ServiceOrderSummary,
    after: Option<&ServiceOrderSummary>,
    more: bool,
    by: &str,
) -> Option<String> {
    let number = &before.number;
    let Some(after) = after else {
        return Some(format!("Service order {number} was withdrawn{by}"));
    };
    if after.status != before.status {
        let what = match after.status {
            ServiceOrderStatus::Pending => "is PENDING again",
            ServiceOrderStatus::Approved => "approved",
            ServiceOrderStatus::Rejected => "rejected",
            ServiceOrderStatus::Fulfilled => "fulfilled",
        };
        return Some(format!("Service order {number} {what}{by}"));
    }
    (more || after != before).then(|| format!("Service order {number} changed{by}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalog::EntityStatus;
    use crate::domain::inventory::{AssemblyRecord, Inventory, LinkRecord, PartRecord, records};

    fn part(id: &str, status: EntityStatus) -> PartRecord {
        PartRecord {
            status,
            ..records::part(id, &format!("Part {id}"), None)
        }
    }

    fn assembly(id: &str, category: &str, status: EntityStatus) -> AssemblyRecord {
        AssemblyRecord {
            status,
            ..records::assembly(id, &format!("Assembly {id}"), category, "")
        }
    }

    fn link(parent: &str, child: &str) -> LinkRecord {
        records::link(parent, child, 1)
    }

    /// SVC-1 (719) holds P1, the twin ASSY-SUB (holding P2 and the inactive P-OLD) and a link to itself;
    /// SVC-OFF (719) is inactive; OTHER (720) holds P3.
    fn catalogue() -> ServiceCatalog {
        use EntityStatus::{Active, Inactive};
        let inventory = Inventory {
            categories: Vec::new(),
            parts: vec![
                part("P1", Active),
                part("P2", Active),
                part("P3", Active),
                part("P-OLD", Inactive),
                part("P-OFF", Active),
                part("SUB", Active),
            ],
            assemblies: vec![
                assembly("SVC-1", "719", Active),
                assembly("ASSY-SUB", "720", Active),
                assembly("SVC-OFF", "719", Inactive),
                assembly("OTHER", "720", Active),
            ],
            links: vec![
                link("SVC-1", "P1"),
                link("SVC-1", "SUB"),
                link("SVC-1", "SVC-1"),
                link("SVC-1", "GHOST"),
                link("ASSY-SUB", "P2"),
                link("ASSY-SUB", "P-OLD"),
                link("SVC-OFF", "P-OFF"),
                link("OTHER", "P3"),
            ],
        };
        ServiceCatalog::from_inventory(&inventory)
    }

    fn line(id: &str, quantity: i32) -> CartLine {
        CartLine {
            part_id: id.into(),
            quantity,
        }
    }

    #[test]
    fn the_catalogue_is_category_719_and_its_expanded_trees() {
        let c = catalogue();
        let ids: Vec<&str> = c.entries().iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["P-OLD", "P1", "P2", "SUB", "SVC-1"]);
        let sub = c.get("ASSY-SUB").expect("twin by its assembly id");
        assert_eq!(
            (sub.id.as_str(), sub.item_type),
            ("SUB", ItemType::Assembly)
        );
        assert_eq!(c.get("P1").map(|p| p.item_type), Some(ItemType::Part));
        assert!(c.get("P3").is_none(), "another category's part");
        assert!(
            c.get("P-OFF").is_none(),
            "an inactive service assembly roots nothing"
        );
        assert_eq!(c.get("P-OLD").map(|p| p.active), Some(false));
    }

    #[test]
    fn submit_sums_repeats_and_canonicalises() {
        let s = check_submission(
            &[
                line("P1", 2),
                line("ASSY-SUB", 1),
                line("SUB", 3),
                line(" P1 ", 5),
            ],
            Some("  for the Mercy job  "),
            &catalogue(),
        )
        .expect("valid cart");
        assert_eq!(
            s.lines,
            vec![
                SubmitLine {
                    part_id: "P1".into(),
                    part_type: ItemType::Part,
                    quantity: 7
                },
                SubmitLine {
                    part_id: "SUB".into(),
                    part_type: ItemType::Assembly,
                    quantity: 4
                },
            ]
        );
        assert_eq!(s.notes.as_deref(), Some("for the Mercy job"));
        let blank = check_submission(&[line("P1", 1)], Some("   "), &catalogue()).expect("valid");
        assert_eq!(blank.notes, None);
    }

    #[test]
    fn submit_refusals_carry_the_exact_messages() {
        let c = catalogue();
        assert_eq!(check_submission(&[], None, &c), Err("Cart is empty".into()));
        for q in [0, -1, 1000] {
            assert_eq!(
                check_submission(&[line("P1", q)], None, &c),
                Err("Quantity must be 1 to 999".into())
            );
        }
        assert_eq!(
            check_submission(&[line("P1", 500), line("P1", 500)], None, &c),
            Err("Quantity must be 1 to 999".into()),
            "the sum counts"
        );
        assert_eq!(
            check_submission(
                &[
                    line("P1", 1),
                    line("P3", 1),
                    line("P-OLD", 1),
                    line("NOPE", 2)
                ],
                None,
                &c
            ),
            Err("Unknown or inactive part(s): P3, P-OLD, NOPE".into())
        );
        let long = "x".repeat(MAX_NOTES + 1);
        assert_eq!(
            check_submission(&[line("P1", 1)], Some(&long), &c),
            Err("Notes may have at most 2000 characters".into())
        );
        let exact = "x".repeat(MAX_NOTES);
        assert!(check_submission(&[line("P1", 999)], Some(&exact), &c).is_ok());
        assert_eq!(
            check_submission(&[line("P1", 1)], Some("urgent\u{1b}[2J"), &c),
            Err("Notes: contains the control character U+001B; remove it".into())
        );
    }

    #[test]
    fn notes_and_reasons_refuse_forbidden_characters() {
        assert_eq!(
            clean_text(Some(" ok\u{200B} "), 10, "Internal note"),
            Err("Internal note: contains the zero-width character U+200B; remove it".into())
        );
        assert_eq!(
            check_reason("no\u{202E}"),
            Err(
                "Rejection reason: contains the direction-changing character U+202E; remove it"
                    .into()
            )
        );
        assert_eq!(
            clean_text(Some(" fine "), 10, "Note"),
            Ok(Some("fine".into()))
        );
    }

    fn order_lines() -> Vec<ServiceOrderLine> {
        [("P1", 5), ("P2", 2)]
            .iter()
            .enumerate()
            .map(|(i, (id, q))| ServiceOrderLine {
                id: Uuid::from_u128(i as u128 + 1),
                part_id: (*id).into(),
                part_type: ItemType::Part,
                name: None,
                quantity: *q,
            })
            .collect()
    }

    fn approve(line: u128, quantity: i32) -> LineApproval {
        LineApproval {
            line_id: Uuid::from_u128(line),
            quantity,
        }
    }

    #[test]
    fn approval_reduces_and_keeps_unlisted_lines() {
        let lines = order_lines();
        assert_eq!(check_approval(&lines, &[]), Ok(Vec::new()));
        assert_eq!(check_approval(&lines, &[approve(1, 5)]), Ok(Vec::new()));
        assert_eq!(
            check_approval(&lines, &[approve(1, 3), approve(2, 0)]),
            Ok(vec![
                LineChange {
                    line_id: Uuid::from_u128(1),
                    part_id: "P1".into(),
                    from: 5,
                    to: 3
                },
                LineChange {
                    line_id: Uuid::from_u128(2),
                    part_id: "P2".into(),
                    from: 2,
                    to: 0
                },
            ])
        );
    }

    #[test]
    fn approval_refusals_carry_the_exact_messages() {
        let lines = order_lines();
        assert_eq!(
            check_approval(&lines, &[approve(1, 6)]),
            Err("Approved quantity for P1 must be 0 to 5".into())
        );
        assert_eq!(
            check_approval(&lines, &[approve(2, -1)]),
            Err("Approved quantity for P2 must be 0 to 2".into())
        );
        assert_eq!(
            check_approval(&lines, &[approve(1, 0), approve(2, 0)]),
            Err("At least one line must be approved; reject the order instead".into())
        );
        assert!(check_approval(&lines, &[approve(9, 1)]).is_err());
        assert!(check_approval(&lines, &[approve(1, 1), approve(1, 2)]).is_err());
    }

    #[test]
    fn rejection_needs_a_reason() {
        assert_eq!(
            check_reason("  "),
            Err("A rejection reason is required".into())
        );
        assert_eq!(check_reason(" obsolete "), Ok("obsolete".into()));
        assert!(check_reason(&"r".repeat(MAX_REASON)).is_ok());
        assert!(check_reason(&"r".repeat(MAX_REASON + 1)).is_err());
    }

    #[test]
    fn the_log_line_follows_section_8() {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 26)
            .and_then(|d| d.and_hms_opt(14, 5, 59))
            .expect("time");
        let changes = [LineChange {
            line_id: Uuid::nil(),
            part_id: "P1".into(),
            from: 5,
            to: 3,
        }];
        assert_eq!(
            decision_line(
                at,
                ServiceOrderStatus::Approved,
                "Priya Shah",
                &changes,
                Some("two\n left  in stock")
            ),
            "2026-11-26 14:05 UTC APPROVED by Priya Shah: P1 5->3, two left in stock"
        );
        assert_eq!(
            decision_line(at, ServiceOrderStatus::Fulfilled, "Priya Shah", &[], None),
            "2026-11-26 14:05 UTC FULFILLED by Priya Shah"
        );
        assert_eq!(append_line(None, "b"), "b");
        assert_eq!(append_line(Some("a\n"), "b"), "a\nb");
    }

    #[test]
    fn roles_map_to_section_8_visibility() {
        assert_eq!(access(Role::ServiceDepartment), ServiceAccess::Requester);
        assert_eq!(access(Role::ProcurementSpecialist), ServiceAccess::Process);
        assert_eq!(access(Role::Admin), ServiceAccess::Process);
        assert_eq!(access(Role::ProductionCoordinator), ServiceAccess::ReadOnly);
        assert_eq!(access(Role::QcPerson), ServiceAccess::None);
        assert_eq!(access(Role::Assembler), ServiceAccess::None);
    }

    #[test]
    fn another_stations_change_is_told_from_the_order_read_back() {
        let id = Uuid::parse_str("1a2b3c4d-0000-0000-0000-000000000000").expect("uuid");
        let before = ServiceOrderSummary {
            id,
            number: number(id),
            status: ServiceOrderStatus::Pending,
            requested_by: "Dana".into(),
            requested_at: None,
            processed_by: None,
            processed_at: None,
            lines: 1,
            total_quantity: 1,
        };
        let by = " by Luis Ortega at station PROC-1";
        let approved = ServiceOrderSummary {
            status: ServiceOrderStatus::Approved,
            ..before.clone()
        };
        assert_eq!(
            change_news(&before, Some(&approved), false, by).as_deref(),
            Some("Service order SO-1A2B3C4D approved by Luis Ortega at station PROC-1")
        );
        assert_eq!(change_news(&before, Some(&before), false, by), None);
        assert_eq!(
            change_news(&before, Some(&before), true, "").as_deref(),
            Some("Service order SO-1A2B3C4D changed")
        );
        assert_eq!(
            change_news(&before, None, false, by).as_deref(),
            Some("Service order SO-1A2B3C4D was withdrawn by Luis Ortega at station PROC-1")
        );
    }

    #[test]
    fn the_conflict_message_names_the_order_and_status() {
        let id = Uuid::parse_str("1a2b3c4d-0000-0000-0000-000000000000").expect("uuid");
        assert_eq!(
            changed_message(id, ServiceOrderStatus::Approved),
            "Service order SO-1A2B3C4D is now APPROVED; your change was not saved"
        );
    }
}
