//! The device history record of one build (docs/dhr.md): everything the records hold about how the build
//! was made, in the sections of §2, with the review-by-exception summary of §3 computed from them.
//!
//! A read model: plain data gathered by `db::dhr` in one snapshot; statuses and codes are kept as the
//! database stores them. Every time is UTC.

mod exceptions;
#[doc(hidden)]
pub mod sample;
mod sections;
#[cfg(test)]
mod tests;

pub use exceptions::{Exception, exceptions};
pub use sections::*;

use crate::domain::signature::Meaning;
use chrono::NaiveDateTime;
use serde::Serialize;

/// The meaning of the signature that releases a build (docs/dhr.md §4).
pub const RELEASE: Meaning = Meaning::FinalQcPass;

/// The layout version of the record; a reader of the JSON checks it before trusting the keys.
pub const FORMAT_VERSION: u32 = 1;

/// The line every page of a record that is not released carries (docs/dhr.md §4).
pub const NOT_RELEASED: &str = "IN PROGRESS \u{2014} NOT RELEASED";

/// The sections of the record, in order; the number is the one references use (`§8`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Section {
    Identification,
    Configuration,
    Bom,
    StatusMoves,
    Assignments,
    QcResults,
    Tasks,
    Testing,
    Packaging,
    Shipping,
    Nonconformances,
    Overrides,
    Documents,
    Signatures,
    AuditChain,
}

impl Section {
    pub const ALL: [Section; 15] = [
        Section::Identification,
        Section::Configuration,
        Section::Bom,
        Section::StatusMoves,
        Section::Assignments,
        Section::QcResults,
        Section::Tasks,
        Section::Testing,
        Section::Packaging,
        Section::Shipping,
        Section::Nonconformances,
        Section::Overrides,
        Section::Documents,
        Section::Signatures,
        Section::AuditChain,
    ];

    /// 1-based, as printed.
    pub fn number(self) -> usize {
        Section::ALL
            .iter()
            .position(|s| *s == self)
            .map_or(0, |i| i + 1)
    }

    pub fn title(self) -> &'static str {
        match self {
            Section::Identification => "Identification",
            Section::Configuration => "Configuration and its changes",
            Section::Bom => "Bill of materials",
            Section::StatusMoves => "Status moves",
            Section::Assignments => "Assignments",
            Section::QcResults => "QC results",
            Section::Tasks => "Production tasks",
            Section::Testing => "End-of-line testing",
            Section::Packaging => "Packaging",
            Section::Shipping => "Shipping",
            Section::Nonconformances => "Nonconformances and dispositions",
            Section::Overrides => "Administrator overrides",
            Section::Documents => "Attached documents",
            Section::Signatures => "Electronic signatures",
            Section::AuditChain => "Audit-chain head at export",
        }
    }

    /// `§8 End-of-line testing`.
    pub fn heading(self) -> String {
        format!("\u{a7}{} {}", self.number(), self.title())
    }
}

/// The whole record. Serialised with sorted keys it is the JSON export (docs/dhr.md §5).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceHistoryRecord {
    pub format_version: u32,
    /// The moment of the snapshot the record was read in.
    #[serde(serialize_with = "utc")]
    pub exported_at: NaiveDateTime,
    pub identification: Identification,
    pub configuration: Configuration,
    pub bom: BomSection,
    pub status_moves: Vec<StatusMove>,
    pub assignments: Vec<Assignment>,
    pub qc_results: Vec<QcEntry>,
    pub tasks: Vec<TaskEntry>,
    pub testing_forms: Vec<TestingFormEntry>,
    pub packaging: Vec<PackagingEntry>,
    pub shipping: Option<Shipping>,
    pub nonconformances: Vec<NonconformanceEntry>,
    pub overrides: Vec<OverrideEntry>,
    pub documents: Vec<DocumentEntry>,
    pub signatures: Vec<SignatureEntry>,
    pub audit_chain_head: Option<ChainHeadEntry>,
}

impl DeviceHistoryRecord {
    /// RELEASED once a Final QC PASS signature exists (docs/dhr.md §4).
    pub fn released(&self) -> bool {
        self.signatures
            .iter()
            .any(|s| s.meaning == RELEASE.code() && !s.manifestation.trim().is_empty())
    }
}

/// A time as the record writes it: UTC ISO-8601 with a `Z`, to the second.
pub fn utc_text(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

pub(crate) fn utc<S: serde::Serializer>(at: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&utc_text(*at))
}

pub(crate) fn utc_opt<S: serde::Serializer>(
    at: &Option<NaiveDateTime>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match at {
        Some(at) => s.serialize_str(&utc_text(*at)),
        None => s.serialize_none(),
    }
}
