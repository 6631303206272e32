//! What a scanned code names: the prefix grammar of build travelers, part labels and badges
//! (docs/scanning.md).

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
