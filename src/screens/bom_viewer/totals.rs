//! The flattened totals and their sort order.

use crate::domain::bom_document::{BomDocument, FlatLine};
use rust_decimal::Decimal;

/// What the tree's and the totals' headings and footers say about the whole version, figured once when
/// the version is shown rather than on each frame (docs/performance.md §1.10).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Figures {
    /// Width of the totals' Item column: the longest id, within 8 to 26.
    pub id_w: usize,
    /// The sum of every total's quantity.
    pub quantity: Decimal,
    /// BOM lines in all, and at the top level.
    pub lines: usize,
    pub top_level: usize,
}

impl Figures {
    pub fn of(doc: &BomDocument, totals: &[FlatLine]) -> Figures {
        Figures {
            id_w: totals
                .iter()
                .map(|l| l.item_id.chars().count())
                .max()
                .unwrap_or(0)
                .clamp(8, 26),
            quantity: totals.iter().map(|l| l.quantity).sum(),
            lines: doc.items.len(),
            top_level: doc.top_level().count(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TotalsSort {
    Id,
    Name,
    Quantity,
}

impl TotalsSort {
    pub fn next(self) -> TotalsSort {
        match self {
            TotalsSort::Id => TotalsSort::Name,
            TotalsSort::Name => TotalsSort::Quantity,
            TotalsSort::Quantity => TotalsSort::Id,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            TotalsSort::Id => "id",
            TotalsSort::Name => "name",
            TotalsSort::Quantity => "quantity",
        }
    }

    /// The direction a key starts in: the largest quantities first, names and ids A to Z.
    pub fn starts_descending(self) -> bool {
        self == TotalsSort::Quantity
    }
}

/// Sorts `lines` by `key`; ties fall back to the id so the order is stable and predictable.
pub fn sort(lines: &mut [FlatLine], key: TotalsSort, descending: bool) {
    lines.sort_by(|a, b| {
        let by_id = || a.item_id.cmp(&b.item_id);
        let primary = match key {
            TotalsSort::Id => by_id(),
            TotalsSort::Name => a.name.to_lowercase().cmp(&b.name.to_lowercase()),
            TotalsSort::Quantity => a.quantity.cmp(&b.quantity),
        };
        // Only the key reverses; ties stay in id order so equal quantities read A to Z.
        let primary = if descending {
            primary.reverse()
        } else {
            primary
        };
        primary.then_with(by_id)
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::bom::ItemType;
    use rust_decimal::Decimal;

    fn line(id: &str, name: &str, q: i64) -> FlatLine {
        FlatLine {
            item_id: id.into(),
            name: name.into(),
            item_type: ItemType::Part,
            is_custom: false,
            quantity: Decimal::from(q),
        }
    }

    fn ids(lines: &[FlatLine]) -> Vec<&str> {
        lines.iter().map(|l| l.item_id.as_str()).collect()
    }

    #[test]
    fn sorts_by_each_key_both_ways() {
        let mut v = vec![
            line("b", "Zeta", 2),
            line("a", "alpha", 5),
            line("c", "Beta", 2),
        ];
        sort(&mut v, TotalsSort::Id, false);
        assert_eq!(ids(&v), ["a", "b", "c"]);
        sort(&mut v, TotalsSort::Name, false);
        assert_eq!(ids(&v), ["a", "c", "b"]);
        sort(&mut v, TotalsSort::Quantity, true);
        assert_eq!(
            ids(&v),
            ["a", "b", "c"],
            "equal quantities stay in id order"
        );
        sort(&mut v, TotalsSort::Quantity, false);
        assert_eq!(ids(&v), ["b", "c", "a"]);
        sort(&mut v, TotalsSort::Id, true);
        assert_eq!(ids(&v), ["c", "b", "a"]);
    }

    #[test]
    fn the_key_cycles() {
        let k = TotalsSort::Id.next().next();
        assert_eq!(k, TotalsSort::Quantity);
        assert_eq!(k.next(), TotalsSort::Id);
    }
}
