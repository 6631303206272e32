//! What changed between two stored BOM versions: the flattened totals by id, and the top-level lines.
//!
//! Both comparisons sum quantities by id first, so a line split or merged between versions counts as a
//! change in quantity, not as one line removed and another added.

use crate::domain::bom_document::BomDocument;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// How one id differs between the older and the newer version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Added(Decimal),
    Removed(Decimal),
    Quantity { old: Decimal, new: Decimal },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffLine {
    pub item_id: String,
    pub name: String,
    pub change: Change,
}

/// The changes of one comparison, added first, then removed, then changed, each in display order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DiffSection {
    pub lines: Vec<DiffLine>,
}

impl DiffSection {
    pub fn added(&self) -> usize {
        self.count(|c| matches!(c, Change::Added(_)))
    }

    pub fn removed(&self) -> usize {
        self.count(|c| matches!(c, Change::Removed(_)))
    }

    pub fn changed(&self) -> usize {
        self.count(|c| matches!(c, Change::Quantity { .. }))
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    fn count(&self, pred: impl Fn(&Change) -> bool) -> usize {
        self.lines.iter().filter(|l| pred(&l.change)).count()
    }
}

/// The difference from version `old` to version `new`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BomDiff {
    pub old_version: i32,
    pub new_version: i32,
    pub top_level: DiffSection,
    pub totals: DiffSection,
}

impl BomDiff {
    pub fn is_empty(&self) -> bool {
        self.top_level.is_empty() && self.totals.is_empty()
    }
}

/// Compares `old` with `new` (the caller decides which is older).
pub fn diff(old: &BomDocument, new: &BomDocument) -> BomDiff {
    let top = |doc: &BomDocument| {
        sum_by_id(
            doc.top_level()
                .map(|i| (i.item_id.clone(), i.name.clone(), i.quantity)),
        )
    };
    let flat = |doc: &BomDocument| {
        sum_by_id(
            doc.flattened()
                .into_iter()
                .map(|l| (l.item_id, l.name, l.quantity)),
        )
    };
    BomDiff {
        old_version: old.version.version,
        new_version: new.version.version,
        top_level: compare(&top(old), &top(new)),
        totals: compare(&flat(old), &flat(new)),
    }
}

type Line = (String, String, Decimal);

/// Quantities summed by id, in order of first appearance.
fn sum_by_id(lines: impl Iterator<Item = Line>) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    for (id, name, q) in lines {
        match at.get(&id).and_then(|&i| out.get_mut(i)) {
            Some(line) => line.2 += q,
            None => {
                at.insert(id.clone(), out.len());
                out.push((id, name, q));
            }
        }
    }
    out
}

fn compare(old: &[Line], new: &[Line]) -> DiffSection {
    let old_at: HashMap<&str, Decimal> = old.iter().map(|(id, _, q)| (id.as_str(), *q)).collect();
    let new_at: HashMap<&str, Decimal> = new.iter().map(|(id, _, q)| (id.as_str(), *q)).collect();
    let line = |id: &str, name: &str, change| DiffLine {
        item_id: id.to_string(),
        name: name.to_string(),
        change,
    };
    let mut added = Vec::new();
    let mut changed = Vec::new();
    for (id, name, q) in new {
        match old_at.get(id.as_str()) {
            None => added.push(line(id, name, Change::Added(*q))),
            // Compared as numbers: 2 and 2.000 are the same quantity.
            Some(o) if o.normalize() != q.normalize() => {
                changed.push(line(id, name, Change::Quantity { old: *o, new: *q }))
            }
            Some(_) => {}
        }
    }
    let removed = old
        .iter()
        .filter(|(id, _, _)| !new_at.contains_key(id.as_str()))
        .map(|(id, name, q)| line(id, name, Change::Removed(*q)));
    let mut lines = added;
    lines.extend(removed);
    lines.extend(changed);
    DiffSection { lines }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::bom_document::fixtures::{doc, item};

    fn summary(s: &DiffSection) -> Vec<String> {
        s.lines
            .iter()
            .map(|l| match l.change {
                Change::Added(q) => format!("+{} {q}", l.item_id),
                Change::Removed(q) => format!("-{} {q}", l.item_id),
                Change::Quantity { old, new } => format!("~{} {old}->{new}", l.item_id),
            })
            .collect()
    }

    #[test]
    fn added_removed_and_changed_quantities() {
        let old = doc(
            1,
            vec![
                item(None, "A", 1),
                item(Some(0), "p1", 2),
                item(Some(0), "p2", 1),
                item(None, "B", 1),
                item(Some(3), "p3", 4),
            ],
        );
        let new = doc(
            2,
            vec![
                item(None, "A", 1),
                item(Some(0), "p1", 3),
                item(Some(0), "p2", 1),
                item(None, "C", 2),
                item(Some(3), "p4", 1),
            ],
        );
        let d = diff(&old, &new);
        assert_eq!((d.old_version, d.new_version), (1, 2));
        assert_eq!(summary(&d.top_level), vec!["+C 2", "-B 1"]);
        assert_eq!(summary(&d.totals), vec!["+p4 1", "-p3 4", "~p1 2->3"]);
        assert_eq!(
            (d.totals.added(), d.totals.removed(), d.totals.changed()),
            (1, 1, 1)
        );
        assert_eq!(d.totals.lines[0].name, "p4 name");
    }

    #[test]
    fn quantities_are_summed_by_id_before_comparing() {
        // p1 moves from two places to one with the same total: no change in the totals.
        let old = doc(
            1,
            vec![
                item(None, "A", 1),
                item(Some(0), "p1", 2),
                item(None, "p1", 1),
            ],
        );
        let new = doc(2, vec![item(None, "A", 1), item(Some(0), "p1", 3)]);
        let d = diff(&old, &new);
        assert!(d.totals.is_empty());
        assert_eq!(summary(&d.top_level), vec!["-p1 1"]);
    }

    #[test]
    fn identical_versions_have_no_difference() {
        let items = vec![item(None, "A", 1), item(Some(0), "p1", 2)];
        let mut same = items.clone();
        if let Some(i) = same.get_mut(1) {
            i.quantity = Decimal::new(2000, 3);
        }
        let d = diff(&doc(1, items), &doc(2, same));
        assert!(d.is_empty());
        assert_eq!(d.top_level.added() + d.totals.changed(), 0);
    }
}
