//! The electronic signature at every gate (docs/signatures.md): what a signature means, which record it
//! signs, the canonical content its hash covers, and the manifestation printed wherever it is shown.

use crate::domain::order::OrderStatus;
use chrono::NaiveDateTime;
use serde_json::{Value, json};
use uuid::Uuid;

/// The longest printed name a signature carries (the column's width).
pub const PRINTED_NAME_MAX: usize = 100;

/// The refusal of a signature without a password; nothing is written or sent.
pub const EMPTY_PASSWORD: &str = "Enter your password to sign";

/// The refusal of a signed status move sent without a password; nothing is written.
pub const SIGNED_MOVE_NEEDS_PASSWORD: &str = "This move is signed: enter your password";

/// The format new signatures are written in; a stored signature is verified by the rules of its own.
pub const FORMAT_VERSION: i32 = 1;

/// What a signature means (docs/signatures.md §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Meaning {
    /// A BOM version approved for production.
    Approved,
    /// An end-of-line testing form submitted.
    Tested,
    /// The round's packaging checklist verified complete (T6).
    Verified,
    /// A nonconformance dispositioned.
    Dispositioned,
    /// The build shipped (T10).
    Shipped,
    /// An administrator's status override, with its reason.
    Override,
    PreQcPass,
    PreQcFail,
    FinalQcPass,
    FinalQcFail,
}

impl Meaning {
    pub const ALL: [Meaning; 10] = [
        Meaning::Approved,
        Meaning::Tested,
        Meaning::Verified,
        Meaning::Dispositioned,
        Meaning::Shipped,
        Meaning::Override,
        Meaning::PreQcPass,
        Meaning::PreQcFail,
        Meaning::FinalQcPass,
        Meaning::FinalQcFail,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Meaning::Approved => "APPROVED",
            Meaning::Tested => "TESTED",
            Meaning::Verified => "VERIFIED",
            Meaning::Dispositioned => "DISPOSITIONED",
            Meaning::Shipped => "SHIPPED",
            Meaning::Override => "OVERRIDE",
            Meaning::PreQcPass => "PRE_QC PASS",
            Meaning::PreQcFail => "PRE_QC FAIL",
            Meaning::FinalQcPass => "FINAL_QC PASS",
            Meaning::FinalQcFail => "FINAL_QC FAIL",
        }
    }

    pub fn from_code(code: &str) -> Option<Meaning> {
        Meaning::ALL.into_iter().find(|m| m.code() == code)
    }

    /// What the signer is told the signature means, in the dialog that asks for the password.
    pub fn statement(self) -> &'static str {
        match self {
            Meaning::Approved => "I approve this BOM version for production",
            Meaning::Tested => "I performed these tests and recorded these results",
            Meaning::Verified => "I verified the packaging complete",
            Meaning::Dispositioned => "I disposition this nonconformance",
            Meaning::Shipped => "I release this build for shipment",
            Meaning::Override => "I override the status change for the reason given",
            Meaning::PreQcPass | Meaning::PreQcFail => "I performed this Pre-QC inspection",
            Meaning::FinalQcPass | Meaning::FinalQcFail => "I performed this Final QC inspection",
        }
    }
}

impl std::fmt::Display for Meaning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// The record a signature signs: its table and id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignedRecord {
    BillOfMaterials(Uuid),
    TestingForm(Uuid),
    PackagingChecklist(Uuid),
    Nonconformance(Uuid),
    /// A status move's history row (shipping, an override).
    StatusHistory(Uuid),
    QcResult(Uuid),
}

impl SignedRecord {
    /// The table the record lives in, as `"recordType"` stores it.
    pub fn record_type(self) -> &'static str {
        match self {
            SignedRecord::BillOfMaterials(_) => "BillOfMaterials",
            SignedRecord::TestingForm(_) => "TestingForm",
            SignedRecord::PackagingChecklist(_) => "PackagingChecklist",
            SignedRecord::Nonconformance(_) => "Nonconformance",
            SignedRecord::StatusHistory(_) => "OrderStatusHistory",
            SignedRecord::QcResult(_) => "QCResult",
        }
    }

    pub fn id(self) -> Uuid {
        match self {
            SignedRecord::BillOfMaterials(id)
            | SignedRecord::TestingForm(id)
            | SignedRecord::PackagingChecklist(id)
            | SignedRecord::Nonconformance(id)
            | SignedRecord::StatusHistory(id)
            | SignedRecord::QcResult(id) => id,
        }
    }

    pub fn from_parts(record_type: &str, id: Uuid) -> Option<SignedRecord> {
        Some(match record_type {
            "BillOfMaterials" => SignedRecord::BillOfMaterials(id),
            "TestingForm" => SignedRecord::TestingForm(id),
            "PackagingChecklist" => SignedRecord::PackagingChecklist(id),
            "Nonconformance" => SignedRecord::Nonconformance(id),
            "OrderStatusHistory" => SignedRecord::StatusHistory(id),
            "QCResult" => SignedRecord::QcResult(id),
            _ => return None,
        })
    }

    /// In words, for a printout: "BOM version", "testing form", ...
    pub fn label(self) -> &'static str {
        match self {
            SignedRecord::BillOfMaterials(_) => "BOM version",
            SignedRecord::TestingForm(_) => "testing form",
            SignedRecord::PackagingChecklist(_) => "packaging checklist",
            SignedRecord::Nonconformance(_) => "nonconformance",
            SignedRecord::StatusHistory(_) => "status move",
            SignedRecord::QcResult(_) => "QC result",
        }
    }
}

/// A stored signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureRecord {
    pub id: Uuid,
    pub order_id: Uuid,
    pub meaning: Meaning,
    pub record: SignedRecord,
    pub signer_id: Uuid,
    pub printed_name: String,
    /// UTC.
    pub signed_at: NaiveDateTime,
    pub reason: Option<String>,
    pub content_sha256: String,
    pub manifestation: String,
}

/// A signature checked against its record as stored now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureCheck {
    pub signature: SignatureRecord,
    pub verified: bool,
    /// Why it does not verify; `None` when it does.
    pub problem: Option<String>,
}

/// What a signature binds besides the record's own content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningFacts<'a> {
    pub order_id: Uuid,
    pub meaning: Meaning,
    pub record: SignedRecord,
    pub signer_id: Uuid,
    pub printed_name: &'a str,
    pub signed_at: NaiveDateTime,
    pub reason: Option<&'a str>,
}

/// Whether a status move is signed, and with what meaning (docs/signatures.md §1, docs/lifecycle.md
/// §3.6): every ADMIN override (`OVERRIDE`), packaging complete T6 (`VERIFIED`) and shipping T10
/// (`SHIPPED`). QC-gated moves are signed by their QC result, not here. The service refuses a signed move
/// without a password; the screens ask for one where this says so.
pub fn move_signature(from: OrderStatus, to: OrderStatus, is_override: bool) -> Option<Meaning> {
    if is_override {
        return Some(Meaning::Override);
    }
    match (from, to) {
        (OrderStatus::TestingComplete, OrderStatus::PackagingComplete) => Some(Meaning::Verified),
        (OrderStatus::ReadyForShip, OrderStatus::Shipped) => Some(Meaning::Shipped),
        _ => None,
    }
}

/// The UTC time as signatures write it.
pub fn utc_text(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The canonical JSON a signature's hash covers (docs/signatures.md §3): the signing facts and the
/// record's content, keys sorted at every level, no whitespace.
pub fn canonical_content(facts: &SigningFacts<'_>, record: &Value) -> String {
    let doc = json!({
        "formatVersion": FORMAT_VERSION,
        "meaning": facts.meaning.code(),
        "orderId": facts.order_id.to_string(),
        "printedName": facts.printed_name,
        "reason": facts.reason,
        "record": record,
        "recordId": facts.record.id().to_string(),
        "recordType": facts.record.record_type(),
        "signedAt": utc_text(facts.signed_at),
        "signerId": facts.signer_id.to_string(),
    });
    canonical_json(&doc)
}

/// The SHA-256 of [`canonical_content`], 64 lower-case hex digits.
pub fn content_hash(facts: &SigningFacts<'_>, record: &Value) -> String {
    sha256_hex(canonical_content(facts, record).as_bytes())
}

/// The printed manifestation: `<name> | <MEANING> | <yyyy-mm-ddThh:mm:ssZ> | sha256:<hash>`.
pub fn manifestation(
    printed_name: &str,
    meaning: Meaning,
    at: NaiveDateTime,
    hash: &str,
) -> String {
    format!(
        "{printed_name} | {} | {} | sha256:{hash}",
        meaning.code(),
        utc_text(at)
    )
}

/// The printed name a signature carries: the user's full name, trimmed and cut to the column.
pub fn printed_name(full_name: &str) -> String {
    full_name.trim().chars().take(PRINTED_NAME_MAX).collect()
}

/// Whether a stored signature agrees with the record's content as read now; `Err` says what differs.
pub fn check(sig: &SignatureRecord, record: Option<&Value>) -> Result<(), String> {
    let Some(record) = record else {
        return Err(format!(
            "the signed {} {} is missing",
            sig.record.label(),
            sig.record.id()
        ));
    };
    let facts = SigningFacts {
        order_id: sig.order_id,
        meaning: sig.meaning,
        record: sig.record,
        signer_id: sig.signer_id,
        printed_name: &sig.printed_name,
        signed_at: sig.signed_at,
        reason: sig.reason.as_deref(),
    };
    let hash = content_hash(&facts, record);
    if hash != sig.content_sha256 {
        return Err(format!(
            "the signed {} no longer matches its signature",
            sig.record.label()
        ));
    }
    if sig.manifestation != manifestation(&sig.printed_name, sig.meaning, sig.signed_at, &hash) {
        return Err("the printed manifestation does not match the signature".into());
    }
    Ok(())
}

/// Canonical JSON text: object keys sorted by code point at every level, no whitespace, strings as
/// serde_json escapes them. Written explicitly so the text never depends on the map's ordering feature.
pub fn canonical_json(v: &Value) -> String {
    let mut out = String::new();
    write_canonical(v, &mut out);
    out
}

fn write_canonical(v: &Value, out: &mut String) {
    match v {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (n, k) in keys.into_iter().enumerate() {
                if n > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                if let Some(child) = map.get(k) {
                    write_canonical(child, out);
                }
            }
            out.push('}');
        }
        Value::Array(list) => {
            out.push('[');
            for (n, child) in list.iter().enumerate() {
                if n > 0 {
                    out.push(',');
                }
                write_canonical(child, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// SHA-256 in lower-case hex (64 digits).
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    use std::fmt::Write;
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(digest.len() * 2);
    for b in digest {
        let _ = write!(out, "{b:02x}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 3, 4)
            .and_then(|d| d.and_hms_opt(5, 6, 7))
            .unwrap_or_default()
    }

    fn stored(record: &Value) -> SignatureRecord {
        let facts = SigningFacts {
            order_id: Uuid::nil(),
            meaning: Meaning::Shipped,
            record: SignedRecord::StatusHistory(Uuid::nil()),
            signer_id: Uuid::nil(),
            printed_name: "Casey Coordinator",
            signed_at: at(),
            reason: None,
        };
        let hash = content_hash(&facts, record);
        SignatureRecord {
            id: Uuid::nil(),
            order_id: facts.order_id,
            meaning: facts.meaning,
            record: facts.record,
            signer_id: facts.signer_id,
            printed_name: facts.printed_name.into(),
            signed_at: facts.signed_at,
            reason: None,
            manifestation: manifestation(facts.printed_name, facts.meaning, at(), &hash),
            content_sha256: hash,
        }
    }

    #[test]
    fn canonical_json_sorts_keys_at_every_level() {
        let v = json!({"b": 1, "a": {"d": [true, null], "c": "x\"y"}});
        assert_eq!(
            canonical_json(&v),
            r#"{"a":{"c":"x\"y","d":[true,null]},"b":1}"#
        );
    }

    #[test]
    fn a_changed_record_or_manifestation_does_not_verify() {
        let record = json!({"notes": "Tracking: 1Z999"});
        let sig = stored(&record);
        assert!(
            sig.manifestation
                .starts_with("Casey Coordinator | SHIPPED | 2026-03-04T05:06:07Z | sha256:")
        );
        assert_eq!(check(&sig, Some(&record)), Ok(()));
        assert!(check(&sig, Some(&json!({"notes": "Tracking: 1Z998"}))).is_err());
        assert!(check(&sig, None).is_err());
        let mut renamed = sig.clone();
        renamed.printed_name = "Someone Else".into();
        assert!(check(&renamed, Some(&record)).is_err());
        let mut reprinted = sig;
        reprinted.manifestation = reprinted.manifestation.replace("SHIPPED", "APPROVED");
        assert!(check(&reprinted, Some(&record)).is_err());
    }

    #[test]
    fn t6_t10_and_every_override_are_signed_other_moves_are_not() {
        use OrderStatus as S;
        assert_eq!(
            move_signature(S::TestingComplete, S::PackagingComplete, false),
            Some(Meaning::Verified)
        );
        assert_eq!(
            move_signature(S::ReadyForShip, S::Shipped, false),
            Some(Meaning::Shipped)
        );
        assert_eq!(
            move_signature(S::TestingComplete, S::PackagingComplete, true),
            Some(Meaning::Override)
        );
        assert_eq!(
            move_signature(S::OrderCreated, S::PartsSent, true),
            Some(Meaning::Override)
        );
        assert_eq!(move_signature(S::OrderCreated, S::PartsSent, false), None);
        assert_eq!(
            move_signature(S::PackagingComplete, S::ReadyForFinalQc, false),
            None
        );
    }

    #[test]
    fn meanings_round_trip_and_records_name_their_table() {
        for m in Meaning::ALL {
            assert_eq!(Meaning::from_code(m.code()), Some(m));
        }
        let id = Uuid::from_u128(7);
        for r in [
            SignedRecord::BillOfMaterials(id),
            SignedRecord::TestingForm(id),
            SignedRecord::PackagingChecklist(id),
            SignedRecord::Nonconformance(id),
            SignedRecord::StatusHistory(id),
            SignedRecord::QcResult(id),
        ] {
            assert_eq!(SignedRecord::from_parts(r.record_type(), r.id()), Some(r));
        }
        assert_eq!(printed_name(&"x".repeat(150)).len(), PRINTED_NAME_MAX);
    }
}
