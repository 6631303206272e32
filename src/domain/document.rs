//! A build's documents during production (docs/documents.md): the list as stored, what is current and
//! what superseded, the drawing the QC checklist points at, the rules of attaching later and of the
//! copy saved to disk.

use crate::domain::Role;
use crate::domain::order::OrderDocumentType;
use chrono::NaiveDateTime;
use serde::Serialize;
use uuid::Uuid;

/// One document linked to a build (an "OrderDocument" row with its "Document" and checksum).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BuildDocument {
    /// The link's id ("OrderDocument".id): what a newer link supersedes.
    pub id: Uuid,
    pub document_id: Uuid,
    pub document_type: OrderDocumentType,
    /// The name the file had when it was attached.
    pub name: String,
    /// The stored, sanitised file name: the name a saved copy gets.
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub uploaded_by: String,
    pub uploaded_at: NaiveDateTime,
    /// Hex SHA-256 of the stored bytes.
    pub sha256: String,
    /// The link this one supersedes.
    pub supersedes: Option<Uuid>,
    /// The newer link that supersedes this one (docs/documents.md §2.2).
    pub superseded_by: Option<Uuid>,
}

impl BuildDocument {
    pub fn is_current(&self) -> bool {
        self.superseded_by.is_none()
    }
}

/// What the documents screen shows of one build.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BuildDocuments {
    pub order_id: Uuid,
    pub build_number: String,
    /// Current documents first, then the superseded ones; oldest first within each (§1.1).
    pub documents: Vec<BuildDocument>,
    /// The directory a copy goes to unless the user types another: where the station was started (§3.1).
    pub save_dir: String,
    /// The user's role may attach documents to the build (§2.1); a courtesy for the screen.
    pub may_attach: bool,
}

impl BuildDocuments {
    /// The document `id` (a link id), if listed.
    pub fn find(&self, id: Uuid) -> Option<&BuildDocument> {
        self.documents.iter().find(|d| d.id == id)
    }

    /// The current technical drawing the QC checklist opens: the newest current one (§4).
    pub fn current_drawing(&self) -> Option<&BuildDocument> {
        self.documents
            .iter()
            .filter(|d| d.is_current() && d.document_type == OrderDocumentType::TechnicalDrawing)
            .max_by_key(|d| d.uploaded_at)
    }
}

/// The build detail's brief of its documents (docs/documents.md §1.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct DocumentsBrief {
    pub current: i64,
    pub superseded: i64,
}

impl DocumentsBrief {
    /// `3` or `3 (1 superseded)`; `none` without documents.
    pub fn text(self) -> String {
        match (self.current, self.superseded) {
            (0, 0) => "none".into(),
            (c, 0) => c.to_string(),
            (c, s) => format!("{c} ({s} superseded)"),
        }
    }
}

/// The types a document attached later may have (docs/documents.md §2.1).
pub const LATER_DOCUMENT_TYPES: [OrderDocumentType; 4] = [
    OrderDocumentType::PoDocument,
    OrderDocumentType::TechnicalDrawing,
    OrderDocumentType::Photo,
    OrderDocumentType::Other,
];

/// The roles that attach documents to a build later (docs/documents.md §2.1).
pub const ATTACHERS: [Role; 3] = [Role::ProductionCoordinator, Role::QcPerson, Role::Admin];

pub fn may_attach(role: Role) -> bool {
    ATTACHERS.contains(&role)
}

/// Why `new_type` may not supersede `old` (docs/documents.md §2.2): only a current document of the same
/// type is superseded.
pub fn supersede_refusal(old: &BuildDocument, new_type: OrderDocumentType) -> Option<String> {
    if !old.is_current() {
        return Some(format!(
            "{} is already superseded; choose the current document",
            old.name
        ));
    }
    if old.document_type != new_type {
        return Some(format!(
            "{} is a {}; only a {} can supersede it",
            old.name,
            old.document_type.title().to_lowercase(),
            old.document_type.title().to_lowercase()
        ));
    }
    None
}

/// Refusal when the superseded document is not one of the build's documents.
pub const SUPERSEDED_NOT_FOUND: &str = "The document to supersede is not attached to this build";

/// The refusal of a copy whose stored bytes do not match their checksum (docs/documents.md §3.2).
pub fn checksum_mismatch(name: &str) -> String {
    format!(
        "The stored content of {name} does not match its SHA-256 checksum; no copy was written. \
         Report it to quality."
    )
}

/// A checklist item refers to the drawing when its text says "drawing", in any case (docs/documents.md §4).
pub fn refers_to_drawing(text: &str) -> bool {
    text.to_lowercase().contains("drawing")
}

/// The first 12 hex digits of a checksum, as lists show it; the whole one is in the detail line.
pub fn short_sha(sha256: &str) -> String {
    sha256.chars().take(12).collect()
}

/// A size for people: `812 B`, `14.2 KB`, `3.1 MB`.
pub fn size_text(bytes: i64) -> String {
    const KB: f64 = 1024.0;
    let b = bytes.max(0);
    if b < 1024 {
        return format!("{b} B");
    }
    #[allow(clippy::cast_precision_loss)]
    let f = b as f64;
    if f < KB * KB {
        format!("{:.1} KB", f / KB)
    } else {
        format!("{:.1} MB", f / (KB * KB))
    }
}

/// The name of a saved copy: the stored name, sanitised again (no path separators, no controls), with
/// ` (n)` before the extension for the n-th try when the name is taken (docs/documents.md §3.1).
pub fn copy_name(file_name: &str, n: u32) -> String {
    let name = crate::domain::order_rules::sanitized_file_name(file_name);
    if n <= 1 {
        return name;
    }
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => format!("{stem} ({n}).{ext}"),
        _ => format!("{name} ({n})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(t: OrderDocumentType, superseded: bool) -> BuildDocument {
        BuildDocument {
            id: Uuid::new_v4(),
            document_id: Uuid::new_v4(),
            document_type: t,
            name: "drawing A.pdf".into(),
            file_name: "drawing_A.pdf".into(),
            content_type: "application/pdf".into(),
            size: 10,
            uploaded_by: "Pat".into(),
            uploaded_at: NaiveDateTime::default(),
            sha256: "ab".repeat(32),
            supersedes: None,
            superseded_by: superseded.then(Uuid::new_v4),
        }
    }

    #[test]
    fn attaching_later_offers_four_types_with_the_wizard_check() {
        use crate::domain::order::WIZARD_DOCUMENT_TYPES;
        use crate::domain::order_rules::{
            ATTACHMENT_TYPE_NOT_OFFERED, attachment_type_not_offered,
        };
        assert_eq!(
            attachment_type_not_offered(&WIZARD_DOCUMENT_TYPES),
            ATTACHMENT_TYPE_NOT_OFFERED
        );
        assert_eq!(
            attachment_type_not_offered(&LATER_DOCUMENT_TYPES),
            "Attachment type must be PO_DOCUMENT, TECHNICAL_DRAWING, PHOTO or OTHER"
        );
    }

    #[test]
    fn drawing_items_are_found_by_their_text() {
        assert!(refers_to_drawing("Basin dimensions match the Drawing"));
        assert!(refers_to_drawing("DRAWING and paperwork"));
        assert!(!refers_to_drawing("Faucets mounted"));
    }

    #[test]
    fn only_a_current_document_of_the_same_type_is_superseded() {
        let drawing = doc(OrderDocumentType::TechnicalDrawing, false);
        assert_eq!(
            supersede_refusal(&drawing, OrderDocumentType::TechnicalDrawing),
            None
        );
        assert_eq!(
            supersede_refusal(&drawing, OrderDocumentType::Photo).as_deref(),
            Some("drawing A.pdf is a technical drawing; only a technical drawing can supersede it")
        );
        let old = doc(OrderDocumentType::TechnicalDrawing, true);
        assert!(
            supersede_refusal(&old, OrderDocumentType::TechnicalDrawing)
                .is_some_and(|m| m.contains("already superseded"))
        );
    }

    #[test]
    fn the_current_drawing_is_the_newest_current_one() {
        let mut old = doc(OrderDocumentType::TechnicalDrawing, true);
        old.uploaded_at = NaiveDateTime::default() + chrono::Duration::days(2);
        let current = doc(OrderDocumentType::TechnicalDrawing, false);
        let photo = doc(OrderDocumentType::Photo, false);
        let docs = BuildDocuments {
            order_id: Uuid::nil(),
            build_number: "B-1".into(),
            documents: vec![photo, current.clone(), old],
            save_dir: "/tmp".into(),
            may_attach: false,
        };
        assert_eq!(docs.current_drawing(), Some(&current));
    }

    #[test]
    fn copy_names_are_safe_and_numbered() {
        assert_eq!(copy_name("PO_4500.pdf", 1), "PO_4500.pdf");
        assert_eq!(copy_name("PO_4500.pdf", 2), "PO_4500 (2).pdf");
        assert_eq!(copy_name("../etc/passwd", 1), "_etc_passwd");
        assert_eq!(copy_name("a\u{1b}[2Jb.txt", 1), "a__2Jb.txt");
        assert_eq!(copy_name("README", 3), "README (3)");
    }

    #[test]
    fn sizes_and_briefs_read_plainly() {
        assert_eq!(size_text(812), "812 B");
        assert_eq!(size_text(14_540), "14.2 KB");
        assert_eq!(size_text(3 * 1024 * 1024 + 100_000), "3.1 MB");
        assert_eq!(DocumentsBrief::default().text(), "none");
        assert_eq!(
            DocumentsBrief {
                current: 3,
                superseded: 1
            }
            .text(),
            "3 (1 superseded)"
        );
        assert_eq!(short_sha(&"ab".repeat(32)), "abababababab");
    }
}
