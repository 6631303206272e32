//! Procurement's order desk: the builds waiting for parts with their BOM state, and the parts-shortage
//! view (the flattened BOM totals of every build in ORDER_CREATED and PARTS_SENT, grouped by part id, so
//! purchasing can order in one batch).

use crate::domain::bom::ItemType;
use crate::domain::order::OrderStatus;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// One part needed by the open builds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShortageLine {
    pub part_id: String,
    pub name: String,
    pub item_type: ItemType,
    pub quantity: Decimal,
    /// How many builds need it.
    pub builds: i64,
}

/// Every part the builds waiting for parts need, with the builds counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Shortage {
    /// The builds counted: (PO, build number, status, BOM version, BOM status).
    pub builds: Vec<ShortageBuild>,
    pub lines: Vec<ShortageLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShortageBuild {
    pub order_id: uuid::Uuid,
    pub po_number: String,
    pub build_number: String,
    pub status: crate::domain::order::OrderStatus,
    pub bom_version: i32,
    pub bom_status: String,
}

/// One build on the order desk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeskRow {
    pub order: crate::domain::order::OrderRow,
    /// The current BOM's version and status (`DRAFT` / `APPROVED`); `None` without a BOM.
    pub bom: Option<(i32, String)>,
    /// The part lines of the build's open parts-shortage hold; empty when it is not held for parts
    /// (docs/holds.md §4).
    pub shortage: Vec<crate::domain::hold::NamedHoldPart>,
}

impl DeskRow {
    /// The BOM as the desk shows it: `v2 DRAFT`, `v1 APPROVED`, or `none`.
    pub fn bom_label(&self) -> String {
        match &self.bom {
            Some((version, status)) => format!("v{version} {status}"),
            None => "none".to_string(),
        }
    }

    /// The DRAFT version waiting for approval, if the current BOM is one.
    pub fn draft_version(&self) -> Option<i32> {
        self.bom
            .as_ref()
            .filter(|(_, status)| status == "DRAFT")
            .map(|(version, _)| *version)
    }

    /// The status the desk moves this build to next.
    pub fn next_status(&self) -> Option<OrderStatus> {
        next_status(self.order.status)
    }

    /// Why the desk's next move cannot be made now, when the desk already knows (docs/lifecycle.md
    /// §3.1: PARTS_SENT needs the current BOM approved); the service checks it again.
    pub fn move_refusal(&self) -> Option<String> {
        if self.order.hold.is_some() {
            return Some(crate::domain::hold::HELD_NO_MOVE.to_string());
        }
        match self.next_status()? {
            OrderStatus::PartsSent => crate::domain::lifecycle::bom_approved_refusal(
                self.bom.as_ref().map(|(v, s)| (*v, s.as_str())),
            ),
            _ => None,
        }
    }
}

impl DeskRow {
    /// What the desk says when another station changed its selected build (docs/live.md §3.4):
    /// `self` as it was shown, `after` as read back (`None`: it left the desk); `by` is " by … at
    /// station …". `None` when nothing shown changed.
    pub fn change_news(&self, after: Option<&DeskRow>, by: &str) -> Option<String> {
        let build = &self.order.build_number;
        let Some(after) = after else {
            return Some(format!("Build {build} left the desk{by}"));
        };
        if after.order.status != self.order.status {
            let status = after.order.status.title();
            Some(format!("Build {build} is now {status}{by}"))
        } else if after.bom != self.bom {
            Some(format!("Build {build}: BOM {}{by}", after.bom_label()))
        } else {
            (after != self).then(|| format!("Build {build} changed{by}"))
        }
    }
}

/// The desk's moves: ORDER_CREATED → PARTS_SENT (parts sent) and PARTS_SENT → READY_FOR_PRE_QC (the sink
/// body has arrived). Other statuses are not the desk's.
pub fn next_status(status: OrderStatus) -> Option<OrderStatus> {
    match status {
        OrderStatus::OrderCreated => Some(OrderStatus::PartsSent),
        OrderStatus::PartsSent => Some(OrderStatus::ReadyForPreQc),
        _ => None,
    }
}

/// The statuses whose builds are on the desk and counted in the shortage.
pub const DESK_STATUSES: [OrderStatus; 2] = [OrderStatus::OrderCreated, OrderStatus::PartsSent];

/// One leaf of one build's current BOM, as the database reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShortageLeaf {
    pub order_id: uuid::Uuid,
    pub part_id: String,
    pub name: String,
    pub item_type: ItemType,
    pub quantity: Decimal,
}

impl Shortage {
    /// Sums the leaves by part id (the first name and type seen stand for the id, as in the BOM
    /// viewer's totals) and counts the distinct builds needing each; the lines come sorted by part id.
    pub fn from_leaves(builds: Vec<ShortageBuild>, leaves: Vec<ShortageLeaf>) -> Shortage {
        let mut at: HashMap<String, usize> = HashMap::new();
        let mut lines: Vec<ShortageLine> = Vec::new();
        let mut needed_by: Vec<HashSet<uuid::Uuid>> = Vec::new();
        for leaf in leaves {
            let index = match at.get(&leaf.part_id) {
                Some(&i) => i,
                None => {
                    at.insert(leaf.part_id.clone(), lines.len());
                    lines.push(ShortageLine {
                        part_id: leaf.part_id,
                        name: leaf.name,
                        item_type: leaf.item_type,
                        quantity: Decimal::ZERO,
                        builds: 0,
                    });
                    needed_by.push(HashSet::new());
                    lines.len() - 1
                }
            };
            if let (Some(line), Some(set)) = (lines.get_mut(index), needed_by.get_mut(index)) {
                line.quantity += leaf.quantity;
                set.insert(leaf.order_id);
                line.builds = i64::try_from(set.len()).unwrap_or(i64::MAX);
            }
        }
        sort_lines(&mut lines, ShortageSort::PartId, false);
        Shortage { builds, lines }
    }
}

/// The orders the shortage table sorts by (`s` cycles them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShortageSort {
    PartId,
    Name,
    Quantity,
}

impl ShortageSort {
    pub const ALL: [ShortageSort; 3] = [
        ShortageSort::PartId,
        ShortageSort::Name,
        ShortageSort::Quantity,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ShortageSort::PartId => "part id",
            ShortageSort::Name => "name",
            ShortageSort::Quantity => "quantity",
        }
    }

    pub fn next(self) -> ShortageSort {
        match self {
            ShortageSort::PartId => ShortageSort::Name,
            ShortageSort::Name => ShortageSort::Quantity,
            ShortageSort::Quantity => ShortageSort::PartId,
        }
    }

    /// Quantities are read largest first; text from A.
    pub fn starts_descending(self) -> bool {
        self == ShortageSort::Quantity
    }
}

/// Sorts the lines by `sort`; ties fall back to the part id, ascending, so the order is stable.
pub fn sort_lines(lines: &mut [ShortageLine], sort: ShortageSort, descending: bool) {
    lines.sort_by(|a, b| {
        let primary = match sort {
            ShortageSort::PartId => a.part_id.cmp(&b.part_id),
            ShortageSort::Name => a
                .name
                .to_lowercase()
                .cmp(&b.name.to_lowercase())
                .then_with(|| a.name.cmp(&b.name)),
            ShortageSort::Quantity => a.quantity.cmp(&b.quantity),
        };
        let primary = if descending {
            primary.reverse()
        } else {
            primary
        };
        primary.then_with(|| a.part_id.cmp(&b.part_id))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn leaf(order: u128, id: &str, quantity: i64) -> ShortageLeaf {
        ShortageLeaf {
            order_id: Uuid::from_u128(order),
            part_id: id.to_string(),
            name: format!("name of {id}"),
            item_type: ItemType::Part,
            quantity: Decimal::from(quantity),
        }
    }

    #[test]
    fn a_change_to_a_desk_row_is_told_from_the_row_read_back() {
        let before = DeskRow {
            order: crate::domain::order::OrderRow {
                id: Uuid::from_u128(1),
                po_number: "4500031".into(),
                build_number: "24-0101".into(),
                customer_name: "Lakeview".into(),
                sink_model: "T2-B2".into(),
                status: OrderStatus::OrderCreated,
                want_date: chrono::NaiveDate::default(),
                assignee: None,
                days_left: 5,
                open_comments: 0,
                hold: None,
            },
            bom: Some((2, "DRAFT".into())),
            shortage: Vec::new(),
        };
        let by = " by Luis Ortega at station PROC-1";
        let approved = DeskRow {
            bom: Some((2, "APPROVED".into())),
            ..before.clone()
        };
        assert_eq!(
            before.change_news(Some(&approved), by).as_deref(),
            Some("Build 24-0101: BOM v2 APPROVED by Luis Ortega at station PROC-1")
        );
        let mut sent = approved.clone();
        sent.order.status = OrderStatus::PartsSent;
        assert_eq!(
            approved.change_news(Some(&sent), "").as_deref(),
            Some("Build 24-0101 is now Parts sent")
        );
        assert_eq!(before.change_news(Some(&before), by), None);
        assert_eq!(
            before.change_news(None, "").as_deref(),
            Some("Build 24-0101 left the desk")
        );
    }

    #[test]
    fn leaves_sum_by_part_and_count_distinct_builds() {
        let s = Shortage::from_leaves(
            Vec::new(),
            vec![
                leaf(1, "B", 2),
                leaf(1, "A", 1),
                leaf(2, "B", 3),
                leaf(1, "B", 4),
            ],
        );
        let got: Vec<(&str, Decimal, i64)> = s
            .lines
            .iter()
            .map(|l| (l.part_id.as_str(), l.quantity, l.builds))
            .collect();
        assert_eq!(
            got,
            vec![("A", Decimal::from(1), 1), ("B", Decimal::from(9), 2)]
        );
    }

    #[test]
    fn sorting_by_quantity_breaks_ties_by_id() {
        let mut s = Shortage::from_leaves(
            Vec::new(),
            vec![leaf(1, "C", 2), leaf(1, "A", 2), leaf(1, "B", 5)],
        );
        sort_lines(&mut s.lines, ShortageSort::Quantity, true);
        let ids: Vec<&str> = s.lines.iter().map(|l| l.part_id.as_str()).collect();
        assert_eq!(ids, vec!["B", "A", "C"]);
        sort_lines(&mut s.lines, ShortageSort::Quantity, false);
        let ids: Vec<&str> = s.lines.iter().map(|l| l.part_id.as_str()).collect();
        assert_eq!(ids, vec!["A", "C", "B"]);
    }

    #[test]
    fn desk_moves_and_labels() {
        assert_eq!(
            next_status(OrderStatus::OrderCreated),
            Some(OrderStatus::PartsSent)
        );
        assert_eq!(
            next_status(OrderStatus::PartsSent),
            Some(OrderStatus::ReadyForPreQc)
        );
        assert_eq!(next_status(OrderStatus::ReadyForPreQc), None);
        let row = DeskRow {
            order: crate::domain::order::OrderRow {
                id: Uuid::nil(),
                po_number: "PO".into(),
                build_number: "B".into(),
                customer_name: "C".into(),
                sink_model: "T2-B2".into(),
                status: OrderStatus::OrderCreated,
                want_date: chrono::NaiveDate::from_ymd_opt(2025, 1, 1).expect("date"),
                assignee: None,
                days_left: 3,
                open_comments: 0,
                hold: None,
            },
            bom: Some((2, "DRAFT".into())),
            shortage: Vec::new(),
        };
        assert_eq!(row.bom_label(), "v2 DRAFT");
        assert_eq!(row.draft_version(), Some(2));
        let approved = DeskRow {
            bom: Some((1, "APPROVED".into())),
            ..row
        };
        assert_eq!(approved.draft_version(), None);
        assert_eq!(
            DeskRow {
                bom: None,
                ..approved
            }
            .bom_label(),
            "none"
        );
    }
}
