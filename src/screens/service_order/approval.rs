//! The approval table: each line's approved quantity as the specialist edits it, checked on screen with
//! the messages of docs/service-orders.md §6 before anything is sent (the service checks again).

use crate::domain::service_order::{LineApproval, ServiceOrderLine};
use uuid::Uuid;

/// Digits a quantity may have; requested quantities are at most 999.
const MAX_DIGITS: usize = 4;

/// `Approved quantity for <id> must be 0 to <requested>`.
pub fn bound_message(part_id: &str, requested: i32) -> String {
    format!("Approved quantity for {part_id} must be 0 to {requested}")
}

/// Refused when every line is set to 0.
pub const AT_LEAST_ONE: &str = "At least one line must be approved; reject the order instead";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovalLine {
    pub line_id: Uuid,
    pub part_id: String,
    pub name: Option<String>,
    pub part_type: &'static str,
    pub requested: i32,
    /// What the user typed; digits only.
    text: String,
    /// The next digit replaces the value instead of appending (set when the line gains focus).
    fresh: bool,
    pub error: Option<String>,
}

impl ApprovalLine {
    /// The approved quantity, when the text is a number.
    pub fn quantity(&self) -> Option<i32> {
        self.text.parse().ok()
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    fn check(&mut self) {
        self.error = match self.quantity() {
            Some(q) if (0..=self.requested).contains(&q) => None,
            _ => Some(bound_message(&self.part_id, self.requested)),
        };
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approval {
    pub lines: Vec<ApprovalLine>,
    /// A message about the whole order (at least one line).
    pub error: Option<String>,
}

impl Approval {
    /// Every line at its requested quantity.
    pub fn new(lines: &[ServiceOrderLine]) -> Approval {
        Approval {
            lines: lines
                .iter()
                .map(|l| ApprovalLine {
                    line_id: l.id,
                    part_id: l.part_id.clone(),
                    name: l.name.clone(),
                    part_type: l.part_type.code(),
                    requested: l.quantity,
                    text: l.quantity.to_string(),
                    fresh: true,
                    error: None,
                })
                .collect(),
            error: None,
        }
    }

    /// True when any quantity differs from the request.
    pub fn changed(&self) -> bool {
        self.lines.iter().any(|l| l.quantity() != Some(l.requested))
    }

    /// The line gained focus: the next digit starts a new value.
    pub fn focus(&mut self, i: usize) {
        if let Some(l) = self.lines.get_mut(i) {
            l.fresh = true;
        }
    }

    fn edited(&mut self, i: usize) {
        self.error = None;
        if let Some(l) = self.lines.get_mut(i) {
            l.check();
        }
    }

    /// One more, never above the request (the message says why).
    pub fn increase(&mut self, i: usize) {
        let Some(l) = self.lines.get_mut(i) else {
            return;
        };
        let q = l.quantity().unwrap_or(0);
        if q >= l.requested {
            l.text = l.requested.to_string();
            l.error = Some(bound_message(&l.part_id, l.requested));
            return;
        }
        l.text = (q + 1).to_string();
        l.fresh = true;
        self.edited(i);
    }

    /// One less, down to 0 (which removes the line).
    pub fn decrease(&mut self, i: usize) {
        let Some(l) = self.lines.get_mut(i) else {
            return;
        };
        let q = l.quantity().unwrap_or(0);
        l.text = q.clamp(1, l.requested.max(1)).saturating_sub(1).to_string();
        l.fresh = true;
        self.edited(i);
    }

    /// A typed digit; anything else is not a quantity and is ignored.
    pub fn type_digit(&mut self, i: usize, c: char) {
        if !c.is_ascii_digit() {
            return;
        }
        let Some(l) = self.lines.get_mut(i) else {
            return;
        };
        if l.fresh {
            l.text.clear();
            l.fresh = false;
        }
        if l.text.len() < MAX_DIGITS {
            // A leading zero carries nothing: "05" is 5.
            if l.text == "0" {
                l.text.clear();
            }
            l.text.push(c);
        }
        self.edited(i);
    }

    pub fn delete_back(&mut self, i: usize) {
        if let Some(l) = self.lines.get_mut(i) {
            l.fresh = false;
            l.text.pop();
        }
        self.edited(i);
    }

    pub fn clear(&mut self, i: usize) {
        if let Some(l) = self.lines.get_mut(i) {
            l.fresh = false;
            l.text.clear();
        }
        self.edited(i);
    }

    /// The payload, or `Err` with the index of the first line to fix (`None`: the order as a whole).
    pub fn validate(&mut self) -> Result<Vec<LineApproval>, Option<usize>> {
        self.error = None;
        for l in &mut self.lines {
            l.check();
        }
        if let Some(i) = self.lines.iter().position(|l| l.error.is_some()) {
            return Err(Some(i));
        }
        if self.lines.iter().all(|l| l.quantity() == Some(0)) {
            self.error = Some(AT_LEAST_ONE.to_string());
            return Err(None);
        }
        Ok(self
            .lines
            .iter()
            .map(|l| LineApproval {
                line_id: l.line_id,
                quantity: l.quantity().unwrap_or(0),
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::bom::ItemType;

    fn approval(requested: &[i32]) -> Approval {
        let lines: Vec<ServiceOrderLine> = requested
            .iter()
            .enumerate()
            .map(|(i, q)| ServiceOrderLine {
                id: Uuid::from_u128(i as u128 + 1),
                part_id: format!("P-{i}"),
                part_type: ItemType::Part,
                name: None,
                quantity: *q,
            })
            .collect();
        Approval::new(&lines)
    }

    fn quantities(a: &Approval) -> Vec<Option<i32>> {
        a.lines.iter().map(ApprovalLine::quantity).collect()
    }

    #[test]
    fn defaults_to_the_request_and_sends_every_line() {
        let mut a = approval(&[2, 5]);
        assert!(!a.changed());
        let lines = a.validate().expect("the request as it is is valid");
        assert_eq!(
            lines.iter().map(|l| l.quantity).collect::<Vec<_>>(),
            vec![2, 5]
        );
    }

    #[test]
    fn plus_stops_at_the_request_and_minus_at_zero() {
        let mut a = approval(&[2]);
        a.increase(0);
        assert_eq!(quantities(&a), vec![Some(2)]);
        assert_eq!(
            a.lines[0].error.as_deref(),
            Some("Approved quantity for P-0 must be 0 to 2")
        );
        a.decrease(0);
        a.decrease(0);
        a.decrease(0);
        assert_eq!(quantities(&a), vec![Some(0)]);
        assert_eq!(a.lines[0].error, None);
    }

    #[test]
    fn the_first_digit_replaces_and_the_next_appends() {
        let mut a = approval(&[12]);
        a.type_digit(0, '1');
        a.type_digit(0, '0');
        assert_eq!(quantities(&a), vec![Some(10)]);
        a.type_digit(0, 'x');
        assert_eq!(quantities(&a), vec![Some(10)]);
        a.focus(0);
        a.type_digit(0, '0');
        a.type_digit(0, '7');
        assert_eq!(quantities(&a), vec![Some(7)]);
    }

    #[test]
    fn more_than_requested_or_empty_is_refused_on_screen() {
        let mut a = approval(&[3, 4]);
        a.focus(1);
        a.type_digit(1, '9');
        assert_eq!(a.validate(), Err(Some(1)));
        assert_eq!(
            a.lines[1].error.as_deref(),
            Some("Approved quantity for P-1 must be 0 to 4")
        );
        a.clear(1);
        assert_eq!(a.validate(), Err(Some(1)));
    }

    #[test]
    fn all_zero_is_refused_with_the_spec_message() {
        let mut a = approval(&[1, 1]);
        a.decrease(0);
        a.decrease(1);
        assert_eq!(a.validate(), Err(None));
        assert_eq!(a.error.as_deref(), Some(AT_LEAST_ONE));
        a.increase(1);
        assert_eq!(a.error, None);
    }
}
