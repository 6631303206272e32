//! The record as JSON (docs/dhr.md §5): the sections, `released`, the exceptions and `contentSha256`,
//! the SHA-256 of the canonical JSON of everything else.

use crate::domain::dhr::{DeviceHistoryRecord, exceptions};
use serde_json::Value;

/// The JSON file's content and the hash it carries.
pub struct JsonDocument {
    pub value: Value,
    pub content_sha256: String,
    /// Indented, keys sorted, ending with a newline.
    pub bytes: Vec<u8>,
}

/// The content the hash covers: the record with `released` and `exceptions`, keys sorted at every level.
pub fn content(dhr: &DeviceHistoryRecord) -> Value {
    let mut value = serde_json::to_value(dhr).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut value {
        map.insert("released".into(), Value::Bool(dhr.released()));
        map.insert(
            "exceptions".into(),
            serde_json::to_value(exceptions(dhr)).unwrap_or(Value::Null),
        );
    }
    value
}

/// SHA-256 (hex) of the canonical form of `content`: compact, keys sorted by code point, written by the
/// same canonical writer as the signatures' content (docs/signatures.md §3).
pub fn sha256_of(content: &Value) -> String {
    use crate::domain::signature::{canonical_json, sha256_hex};
    sha256_hex(canonical_json(content).as_bytes())
}

pub fn document(dhr: &DeviceHistoryRecord) -> JsonDocument {
    let mut value = content(dhr);
    let content_sha256 = sha256_of(&value);
    if let Value::Object(map) = &mut value {
        map.insert(
            "contentSha256".into(),
            Value::String(content_sha256.clone()),
        );
    }
    let mut bytes = serde_json::to_vec_pretty(&value).unwrap_or_default();
    bytes.push(b'\n');
    JsonDocument {
        value,
        content_sha256,
        bytes,
    }
}
