//! The e-signature: its MEANING, the signed content's canonical JSON and hash, and the signature text that
//! seals them.

use super::{QcOutcome, QcResultStatus, SIGNATURE_MAX};
use crate::domain::checklist::FormType;
use chrono::NaiveDateTime;
use uuid::Uuid;

/// The signature's MEANING: `PRE_QC PASS`, `PRE_QC FAIL`, `FINAL_QC PASS` or `FINAL_QC FAIL`.
pub fn meaning(qc_type: FormType, outcome: QcOutcome) -> String {
    let o = match outcome {
        QcOutcome::Pass => "PASS",
        QcOutcome::Fail => "FAIL",
    };
    format!("{} {o}", qc_type.code())
}

/// The signature formats, by the version the signature text carries. A stored signature is verified with
/// the rules of its own format, so results signed before a format change keep verifying.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignatureFormat {
    /// No version marker: the answers are covered by item id only.
    V1,
    /// `v2`: each answer also carries the item's code and wording, and the JSON names its format.
    V2,
}

impl SignatureFormat {
    /// The format new signatures are written in.
    pub const CURRENT: SignatureFormat = SignatureFormat::V2;

    pub fn version(self) -> u32 {
        match self {
            SignatureFormat::V1 => 1,
            SignatureFormat::V2 => 2,
        }
    }

    /// `None` for a version this build does not know: such a signature does not verify.
    pub fn from_version(version: u32) -> Option<SignatureFormat> {
        match version {
            1 => Some(SignatureFormat::V1),
            2 => Some(SignatureFormat::V2),
            _ => None,
        }
    }
}

/// One answer as the hash covers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedItem {
    pub checklist_item_id: Uuid,
    /// The item's sequenceOrder: the hash lists items by (sequenceOrder, basinIndex).
    pub sequence: i32,
    /// The item's code (`rules.code`, see [`item_code`]); covered from format 2 on.
    pub code: String,
    /// The item's wording (`itemDescription`), as the form shows it; covered from format 2 on.
    pub text: String,
    pub basin_index: Option<i32>,
    pub result_value: Option<String>,
    pub is_na: bool,
    pub notes: Option<String>,
}

/// Everything a signature's hash covers (docs/qc.md §6.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedContent {
    pub order_id: Uuid,
    pub build_number: String,
    pub template_id: Uuid,
    pub template_version: i32,
    pub qc_type: FormType,
    pub overall_status: QcResultStatus,
    pub job_id: String,
    pub number_of_basins: i32,
    pub notes: Option<String>,
    /// UTC.
    pub signed_at: NaiveDateTime,
    pub signer_id: Uuid,
    pub items: Vec<SignedItem>,
}

/// The timestamp as the signature and the hash write it.
pub fn signed_at_text(signed_at: NaiveDateTime) -> String {
    signed_at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The canonical JSON the signature's hash covers (docs/qc.md §6.3): one object, keys sorted by
/// code point at every level, no whitespace, strings as serde_json writes them (UTF-8, only `"`, `\\`
/// and control characters escaped). Format 2:
///
/// ```text
/// {"buildNumber":"B-1","formatVersion":2,"items":[{"basinIndex":null,"checklistItemId":"<uuid>",
///  "code":"PQC-01","isNA":false,"notes":null,"resultValue":"YES","text":"<item wording>"},…],
///  "jobId":"J-1","notes":null,"numberOfBasins":2,"orderId":"<uuid>","overallStatus":"PASS",
///  "qcType":"PRE_QC","signedAt":"2025-01-02T03:04:05Z","signerId":"<uuid>","templateId":"<uuid>",
///  "templateVersion":1}
/// ```
///
/// (shown wrapped; the real text is one line). Ids are lower-case hyphenated UUIDs; `basinIndex`,
/// `resultValue` and both `notes` are `null` when absent; items are ordered by (sequenceOrder,
/// basinIndex, checklistItemId), an item without a basin first.
///
/// Format 1 (frozen: signatures without a version marker are checked against it) has no `formatVersion`,
/// no item `code` or `text`, and orders items by (sequenceOrder, basinIndex) only.
pub fn canonical_json(content: &SignedContent, format: SignatureFormat) -> String {
    use serde_json::{Value, json};
    let mut items: Vec<&SignedItem> = content.items.iter().collect();
    match format {
        SignatureFormat::V1 => items.sort_by_key(|i| (i.sequence, i.basin_index)),
        // The id settles a tie, so the order never depends on how the rows were read.
        SignatureFormat::V2 => {
            items.sort_by_key(|i| (i.sequence, i.basin_index, i.checklist_item_id));
        }
    }
    let items: Vec<Value> = items
        .into_iter()
        .map(|i| {
            let mut item = json!({
                "checklistItemId": i.checklist_item_id.to_string(),
                "basinIndex": i.basin_index,
                "resultValue": i.result_value,
                "isNA": i.is_na,
                "notes": i.notes,
            });
            if format == SignatureFormat::V2
                && let Some(m) = item.as_object_mut()
            {
                m.insert("code".into(), json!(i.code));
                m.insert("text".into(), json!(i.text));
            }
            item
        })
        .collect();
    let mut doc = json!({
        "orderId": content.order_id.to_string(),
        "buildNumber": content.build_number,
        "templateId": content.template_id.to_string(),
        "templateVersion": content.template_version,
        "qcType": content.qc_type.code(),
        "overallStatus": content.overall_status.code(),
        "jobId": content.job_id,
        "numberOfBasins": content.number_of_basins,
        "notes": content.notes,
        "signedAt": signed_at_text(content.signed_at),
        "signerId": content.signer_id.to_string(),
        "items": items,
    });
    if format != SignatureFormat::V1
        && let Some(m) = doc.as_object_mut()
    {
        m.insert("formatVersion".into(), json!(format.version()));
    }
    crate::domain::signature::canonical_json(&doc)
}

/// The SHA-256 (64 lower-case hex digits) of [`canonical_json`] of `content` in `format`, as UTF-8.
pub fn content_hash(content: &SignedContent, format: SignatureFormat) -> String {
    crate::domain::signature::sha256_hex(canonical_json(content, format).as_bytes())
}

/// The signature of `content` in the current format:
/// `<fullName> (<initials>) | <MEANING> | <yyyy-mm-ddThh:mm:ssZ> | v2 sha256:<hash>`, where the hash is
/// [`content_hash`] in format 2 and `v2` names that format. At most 200 characters: a name too long is
/// cut and ends with `~` so the whole text is 200 characters, or 199 when the cut falls just after a
/// space, which is dropped rather than left before the `~` (docs/qc.md §6.2).
///
/// Format 1 texts end `| sha256:<hash>` with no marker; they are never written any more, only verified.
pub fn signature_text(
    full_name: &str,
    initials: &str,
    meaning: &str,
    content: &SignedContent,
) -> String {
    let format = SignatureFormat::CURRENT;
    let rest = format!(
        " ({initials}) | {meaning} | {} | v{} sha256:{}",
        signed_at_text(content.signed_at),
        format.version(),
        content_hash(content, format)
    );
    let name = full_name.trim();
    let room = SIGNATURE_MAX.saturating_sub(rest.chars().count());
    if name.chars().count() <= room {
        return format!("{name}{rest}");
    }
    // Initials are at most 5 letters, so the rest is far below 200 and there is always room for a cut name.
    let kept: String = name.chars().take(room.saturating_sub(1)).collect();
    format!("{}~{rest}", kept.trim_end())
}

/// The format version and the hash a signature text carries: its last ` | ` field is `sha256:<hash>`
/// (format 1, which has no marker) or `v<N> sha256:<hash>` (format N ≥ 2). `None` when it is neither.
pub fn signature_seal(signature: &str) -> Option<(u32, &str)> {
    let (_, seal) = signature.rsplit_once(" | ")?;
    if let Some(hash) = seal.strip_prefix("sha256:") {
        return Some((1, hash));
    }
    let (version, hash) = seal.strip_prefix('v')?.split_once(" sha256:")?;
    // One spelling per version, as written: `v2`, never `v02`, and format 1 never had a marker.
    if version.is_empty()
        || version.starts_with('0')
        || version == "1"
        || !version.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    Some((version.parse().ok()?, hash))
}

/// The hash a signature text carries.
pub fn signature_hash(signature: &str) -> Option<&str> {
    signature_seal(signature).map(|(_, hash)| hash)
}

/// Whether `signature` seals `content`: the hash recomputed with the rules of the format the text names
/// equals the one it carries. A text of an unknown format, or none, does not verify.
pub fn signature_matches(signature: &str, content: &SignedContent) -> bool {
    signature_seal(signature)
        .and_then(|(version, hash)| Some((SignatureFormat::from_version(version)?, hash)))
        .is_some_and(|(format, hash)| content_hash(content, format) == hash)
}
