//! What a scanned code names: the prefix grammar of build travelers, part labels and badges
//! (docs/scanning.md).

use uuid::Uuid;

/// A code read by a keyboard-wedge scanner, sorted by its prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scan {
    /// `B:<build number>`: a build traveler.
    Build(String),
    /// `P:<catalog id>`: a part or assembly label.
    Item(String),
    /// `U:<badge code>`: a user's badge.
    Badge(String),
    /// No prefix: a build number or a catalog id; the server decides which.
    Code(String),
}

/// The longest code after its prefix (a build number or a catalog id has at most 50 characters).
pub const MAX_CODE_LEN: usize = 50;
/// The longest badge code after `U:`.
pub const MAX_BADGE_LEN: usize = 64;

/// A build number as the order wizard accepts it (docs/lifecycle.md §6.3): 3 to 50 letters, digits or
/// `-`. Unprefixed codes follow the same rule (docs/scanning.md §2).
pub fn is_build_number(text: &str) -> bool {
    (3..=MAX_CODE_LEN).contains(&text.chars().count())
        && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// A catalog id on a part label: 1 to 50 printable ASCII characters (ids hold `.`, `/`, `+`, `"`
/// and spaces), not starting or ending with a space.
fn is_catalog_id(text: &str) -> bool {
    (1..=MAX_CODE_LEN).contains(&text.chars().count())
        && text.chars().all(|c| c == ' ' || c.is_ascii_graphic())
        && text.trim() == text
}

/// A badge code: 1 to 64 printable ASCII characters without spaces.
fn is_badge_code(text: &str) -> bool {
    (1..=MAX_BADGE_LEN).contains(&text.chars().count())
        && text.chars().all(|c| c.is_ascii_graphic())
}

impl Scan {
    /// Reads a scanned text (without its Enter) by the grammar of docs/scanning.md §2: `B:`, `P:` or
    /// `U:` (either case) and the code, or an unprefixed build number or catalog id. `None` when the
    /// text is no code: it was typed, not scanned.
    pub fn parse(text: &str) -> Option<Scan> {
        let prefixed = text
            .split_once(':')
            .filter(|(prefix, _)| prefix.chars().count() == 1);
        match prefixed {
            Some((prefix, code)) => match prefix {
                "B" | "b" => is_build_number(code).then(|| Scan::Build(code.to_string())),
                "P" | "p" => is_catalog_id(code).then(|| Scan::Item(code.to_string())),
                "U" | "u" => is_badge_code(code).then(|| Scan::Badge(code.to_string())),
                _ => None,
            },
            None => is_build_number(text).then(|| Scan::Code(text.to_string())),
        }
    }

    /// The code without its prefix.
    pub fn code(&self) -> &str {
        match self {
            Scan::Build(c) | Scan::Item(c) | Scan::Badge(c) | Scan::Code(c) => c,
        }
    }

    pub fn is_badge(&self) -> bool {
        self.badge().is_some()
    }

    /// The badge code, when this is a badge.
    pub fn badge(&self) -> Option<&str> {
        match self {
            Scan::Badge(code) => Some(code),
            _ => None,
        }
    }
}

/// What a scanned build number or catalog id was found to be (docs/scanning.md §3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScanTarget {
    /// A build, by its id.
    Build(Uuid),
    /// A part or assembly, by its catalog id as stored.
    Item(String),
}

/// The message for a code that names nothing the station knows.
pub fn not_found_message(code: &str) -> String {
    format!("No build or catalog item {code}")
}

/// The message for a scan made while the station is locked (only a badge is read there).
pub const LOCKED_MESSAGE: &str = "Scans are ignored while the station is locked";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_name_what_the_code_is_in_either_case() {
        assert_eq!(
            Scan::parse("B:24-0117"),
            Some(Scan::Build("24-0117".into()))
        );
        assert_eq!(Scan::parse("b:ex-2x"), Some(Scan::Build("ex-2x".into())));
        assert_eq!(
            Scan::parse("P:T2-BSN-EDR-KIT"),
            Some(Scan::Item("T2-BSN-EDR-KIT".into()))
        );
        assert_eq!(
            Scan::parse("p:1/4-20 SS FLAT WASHER"),
            Some(Scan::Item("1/4-20 SS FLAT WASHER".into()))
        );
        assert_eq!(
            Scan::parse("U:0042-7731"),
            Some(Scan::Badge("0042-7731".into()))
        );
        assert_eq!(Scan::parse("u:ab"), Some(Scan::Badge("ab".into())));
    }

    #[test]
    fn unprefixed_codes_follow_the_build_number_rule() {
        assert_eq!(Scan::parse("B-1001"), Some(Scan::Code("B-1001".into())));
        assert_eq!(
            Scan::parse("T2-BSN-EDR-KIT"),
            Some(Scan::Code("T2-BSN-EDR-KIT".into()))
        );
        assert_eq!(Scan::parse("ab"), None, "too short");
        assert_eq!(Scan::parse(&"x".repeat(51)), None, "too long");
        assert!(Scan::parse(&"x".repeat(50)).is_some());
        assert_eq!(Scan::parse("/valve"), None);
        assert_eq!(Scan::parse("two words"), None);
    }

    #[test]
    fn a_bad_body_or_unknown_prefix_is_no_code() {
        assert_eq!(Scan::parse("B:"), None);
        assert_eq!(Scan::parse("B:x"), None, "a build number has 3 characters");
        assert_eq!(Scan::parse("B:has space"), None);
        assert_eq!(Scan::parse("P:"), None);
        assert_eq!(Scan::parse("P: leading"), None);
        assert_eq!(Scan::parse("U:"), None);
        assert_eq!(Scan::parse("U:a b"), None);
        assert_eq!(Scan::parse("X:24-0117"), None);
        assert_eq!(Scan::parse("BB:24-0117"), None);
    }

    #[test]
    fn code_drops_the_prefix() {
        assert_eq!(
            Scan::parse("B:24-0117").map(|s| s.code().to_string()),
            Some("24-0117".into())
        );
        assert!(Scan::Badge("x".into()).is_badge());
        assert!(!Scan::Code("x".into()).is_badge());
    }
}
