//! QC rejection reasons: the plant's administered list of why an inspection fails, and the rules a
//! failed result's reasons follow (docs/rejection-reasons.md).

use crate::text;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The longest code (docs/rejection-reasons.md §1.1).
pub const CODE_MAX: usize = 30;
/// The longest text (docs/rejection-reasons.md §1.1).
pub const TEXT_MAX: usize = 200;

/// A FAIL names at least one reason (docs/rejection-reasons.md §2.1).
pub const REASON_NEEDED: &str = "A FAIL needs at least one rejection reason";
/// A PASS names none (docs/rejection-reasons.md §2.1).
pub const PASS_HAS_NO_REASONS: &str = "A PASS has no rejection reasons";

/// How grave a rejection is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Severity {
    Minor,
    Major,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Minor, Severity::Major, Severity::Critical];

    /// The stored code (`"RejectionSeverity"`).
    pub fn code(self) -> &'static str {
        match self {
            Severity::Minor => "MINOR",
            Severity::Major => "MAJOR",
            Severity::Critical => "CRITICAL",
        }
    }

    pub fn from_code(code: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// One reason of the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RejectionReason {
    pub id: Uuid,
    pub code: String,
    pub text: String,
    pub severity: Severity,
    /// Whether a build failed for this reason needs rework (docs/rejection-reasons.md §3.2).
    pub rework_required: bool,
    pub is_active: bool,
    pub sort_order: i32,
}

/// The codes of the picked reasons, `WELD, LEAK`, in the order given.
pub fn codes(reasons: &[&RejectionReason]) -> String {
    reasons
        .iter()
        .map(|r| r.code.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// What an administrator enters for a new reason or an edit (docs/rejection-reasons.md §1.1). The code is
/// used only for a new reason: an edit never changes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReasonInput {
    pub code: String,
    pub text: String,
    pub severity: Severity,
    pub rework_required: bool,
    pub sort_order: i32,
}

/// A code: 1–30 upper-case letters, digits, `_` or `-`, starting with a letter or digit (the database's
/// CHECK, docs/rejection-reasons.md §1.1). Returns it trimmed.
pub fn validate_code(code: &str) -> Result<String, String> {
    let code = code.trim();
    if code.is_empty() {
        return Err("A code is required".into());
    }
    if code.chars().count() > CODE_MAX {
        return Err(format!("A code may have at most {CODE_MAX} characters"));
    }
    let mut chars = code.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    let rest_ok =
        chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_' || c == '-');
    if !first_ok || !rest_ok {
        return Err(
            "A code uses capital letters, digits, _ and - only, and starts with a letter or digit"
                .into(),
        );
    }
    Ok(code.to_string())
}

/// A reason's text: 1–200 characters, not blank, storable text (docs/rejection-reasons.md §1.1).
pub fn validate_text(t: &str) -> Result<String, String> {
    let t = t.trim();
    if t.is_empty() {
        return Err("A text is required".into());
    }
    if t.chars().count() > TEXT_MAX {
        return Err(format!("A text may have at most {TEXT_MAX} characters"));
    }
    text::check_text("Text", t, false)?;
    Ok(t.to_string())
}

/// A sort order as typed: a whole number from 0 to 9999.
pub fn parse_sort_order(s: &str) -> Result<i32, String> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(0);
    }
    match s.parse::<i32>() {
        Ok(n) if (0..=9999).contains(&n) => Ok(n),
        _ => Err("The sort order is a whole number from 0 to 9999".into()),
    }
}

/// Checks what an administrator entered; returns it trimmed.
pub fn validate_input(input: &ReasonInput, new: bool) -> Result<ReasonInput, String> {
    let code = if new {
        validate_code(&input.code)?
    } else {
        input.code.clone()
    };
    if !(0..=9999).contains(&input.sort_order) {
        return Err("The sort order is a whole number from 0 to 9999".into());
    }
    Ok(ReasonInput {
        code,
        text: validate_text(&input.text)?,
        ..input.clone()
    })
}

/// The reasons a submit names, checked against the list as it stands (docs/rejection-reasons.md §2.1):
/// a FAIL names one or more, each once, each on the list and active; a PASS names none. `known` is the
/// list's rows for the picked ids. Returns the picked reasons in the list's order.
pub fn check_picked<'a>(
    fail: bool,
    picked: &[Uuid],
    known: &'a [RejectionReason],
) -> Result<Vec<&'a RejectionReason>, String> {
    if !fail {
        return if picked.is_empty() {
            Ok(Vec::new())
        } else {
            Err(PASS_HAS_NO_REASONS.into())
        };
    }
    if picked.is_empty() {
        return Err(REASON_NEEDED.into());
    }
    let mut out: Vec<&RejectionReason> = Vec::new();
    for id in picked {
        let Some(r) = known.iter().find(|r| r.id == *id) else {
            return Err("A rejection reason is no longer on the list; reload the form".into());
        };
        if !r.is_active {
            return Err(format!(
                "Rejection reason {} is retired; pick another",
                r.code
            ));
        }
        if out.iter().any(|o| o.id == r.id) {
            return Err(format!("Rejection reason {} is named twice", r.code));
        }
        out.push(r);
    }
    out.sort_by(|a, b| (a.sort_order, &a.code).cmp(&(b.sort_order, &b.code)));
    Ok(out)
}

/// The longest failure reason with its codes: what a nonconformance's description holds.
pub const WITH_CODES_MAX: usize = 2000;

/// The failure reason's text with the reasons' codes in front, as the build's history, the rework task
/// and the nonconformance record carry it: `[WELD, LEAK] Scratch on the backsplash`
/// (docs/rejection-reasons.md §2.2). At most [`WITH_CODES_MAX`] characters.
pub fn with_codes(codes: &str, reason: &str) -> Result<String, String> {
    let text = if codes.is_empty() {
        reason.to_string()
    } else {
        format!("[{codes}] {reason}")
    };
    if text.chars().count() > WITH_CODES_MAX {
        return Err(format!(
            "The failure reason with the rejection reasons' codes may have at most {WITH_CODES_MAX} \
             characters; name fewer reasons or shorten the reason"
        ));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(n: u128, code: &str, active: bool, order: i32) -> RejectionReason {
        RejectionReason {
            id: Uuid::from_u128(n),
            code: code.into(),
            text: format!("{code} text"),
            severity: Severity::Major,
            rework_required: true,
            is_active: active,
            sort_order: order,
        }
    }

    #[test]
    fn codes_follow_the_database_check() {
        assert_eq!(validate_code(" WELD "), Ok("WELD".into()));
        assert_eq!(validate_code("A1_B-2"), Ok("A1_B-2".into()));
        assert!(validate_code("").is_err());
        assert!(validate_code("weld").is_err());
        assert!(validate_code("_WELD").is_err());
        assert!(validate_code("WE LD").is_err());
        assert!(validate_code(&"A".repeat(31)).is_err());
        assert!(validate_code(&"A".repeat(30)).is_ok());
    }

    #[test]
    fn text_and_sort_order_are_checked() {
        assert_eq!(validate_text("  Dent "), Ok("Dent".into()));
        assert!(validate_text("   ").is_err());
        assert!(validate_text(&"x".repeat(201)).is_err());
        assert!(validate_text("bad\u{1b}[2J").is_err());
        assert_eq!(parse_sort_order(""), Ok(0));
        assert_eq!(parse_sort_order("40"), Ok(40));
        assert!(parse_sort_order("-1").is_err());
        assert!(parse_sort_order("ten").is_err());
    }

    #[test]
    fn a_fail_names_active_reasons_and_a_pass_none() {
        let list = [
            reason(1, "WELD", true, 10),
            reason(2, "LEAK", true, 5),
            reason(3, "OLD", false, 1),
        ];
        let (w, l, o, x) = (
            Uuid::from_u128(1),
            Uuid::from_u128(2),
            Uuid::from_u128(3),
            Uuid::from_u128(9),
        );
        let picked = check_picked(true, &[w, l], &list)
            .map(|v| v.iter().map(|r| r.code.clone()).collect::<Vec<_>>());
        assert_eq!(picked, Ok(vec!["LEAK".to_string(), "WELD".to_string()]));
        assert_eq!(
            check_picked(true, &[], &list).err(),
            Some(REASON_NEEDED.into())
        );
        assert_eq!(
            check_picked(false, &[w], &list).err(),
            Some(PASS_HAS_NO_REASONS.into())
        );
        assert!(check_picked(false, &[], &list).is_ok_and(|v| v.is_empty()));
        assert_eq!(
            check_picked(true, &[o], &list).err(),
            Some("Rejection reason OLD is retired; pick another".into())
        );
        assert!(check_picked(true, &[x], &list).is_err());
        assert_eq!(
            check_picked(true, &[w, w], &list).err(),
            Some("Rejection reason WELD is named twice".into())
        );
    }

    #[test]
    fn codes_lead_the_reason_text() {
        assert_eq!(
            with_codes("WELD, LEAK", "Scratch"),
            Ok("[WELD, LEAK] Scratch".into())
        );
        assert_eq!(with_codes("", "Scratch"), Ok("Scratch".into()));
        assert!(with_codes("WELD", &"x".repeat(1993)).is_ok());
        assert!(with_codes("WELD", &"x".repeat(1994)).is_err());
        let other = reason(4, "OTHER", true, 90);
        let weld = reason(1, "WELD", true, 10);
        assert_eq!(codes(&[&weld, &other]), "WELD, OTHER");
    }
}
