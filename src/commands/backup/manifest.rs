//! The manifest beside a dump (docs/backup.md §1.4): what the backup holds, for the restore to check.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The manifest's own format; a restore refuses another.
pub const FORMAT_VERSION: u32 = 1;

/// The manifest's file name, in the backup's directory beside the dump.
pub const MANIFEST_FILE: &str = "manifest.json";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    pub format_version: u32,
    /// When the snapshot was taken (UTC).
    pub created_at: DateTime<Utc>,
    /// The database that was backed up.
    pub database: String,
    /// The server's version as it states it.
    pub server_version: String,
    /// The major version of the `pg_dump` that wrote the dump: a restore needs a `pg_restore` at least
    /// as new.
    pub pg_dump_major: u32,
    /// The newest schema migration applied.
    pub schema_version: i64,
    /// Every table's rows in the dump's snapshot.
    pub row_counts: BTreeMap<String, i64>,
    /// The last sealed link of the audit chain in the snapshot, if any.
    pub audit_chain_head: Option<ChainHead>,
    /// The dump's file name, in the same directory.
    pub dump_file: String,
    /// The dump's size in bytes.
    pub size: u64,
    /// The dump's SHA-256, hex.
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChainHead {
    pub position: i64,
    pub link: String,
    pub sealed_at: NaiveDateTime,
}

impl From<crate::db::audit::ChainHead> for ChainHead {
    fn from(h: crate::db::audit::ChainHead) -> ChainHead {
        ChainHead {
            position: h.position,
            link: h.link,
            sealed_at: h.sealed_at,
        }
    }
}

impl Manifest {
    /// Reads a manifest; a message naming what is wrong otherwise.
    pub fn parse(text: &str) -> Result<Manifest, String> {
        let manifest: Manifest =
            serde_json::from_str(text).map_err(|e| format!("not a backup manifest: {e}"))?;
        if manifest.format_version != FORMAT_VERSION {
            return Err(format!(
                "manifest format {} is not known to this cleanstation (it reads format {FORMAT_VERSION})",
                manifest.format_version
            ));
        }
        Ok(manifest)
    }

    /// The rows of every table together.
    pub fn total_rows(&self) -> i64 {
        self.row_counts.values().sum()
    }
}

/// The name every file of one backup shares: the database and the snapshot's time in UTC,
/// `cleanstation-20270315T020000Z`. Characters a file name should not carry become `_`.
pub fn stem(database: &str, at: DateTime<Utc>) -> String {
    let name: String = database
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{name}-{}", at.format("%Y%m%dT%H%M%SZ"))
}

/// The tables whose rows differ between the manifest and the restored database, one phrase each:
/// `"Task" (manifest 18, restored 17)`; empty when they agree.
pub fn count_differences(
    manifest: &BTreeMap<String, i64>,
    restored: &BTreeMap<String, i64>,
) -> Vec<String> {
    let mut out = Vec::new();
    for (table, expected) in manifest {
        match restored.get(table) {
            Some(found) if found == expected => {}
            Some(found) => out.push(format!(
                "\"{table}\" (manifest {expected}, restored {found})"
            )),
            None => out.push(format!("\"{table}\" (manifest {expected}, missing)")),
        }
    }
    for (table, found) in restored {
        if !manifest.contains_key(table) {
            out.push(format!(
                "\"{table}\" (not in the manifest, restored {found})"
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn sample() -> Manifest {
        Manifest {
            format_version: FORMAT_VERSION,
            created_at: Utc
                .with_ymd_and_hms(2027, 3, 15, 2, 0, 7)
                .single()
                .expect("time"),
            database: "cleanstation".into(),
            server_version: "15.18".into(),
            pg_dump_major: 15,
            schema_version: 29,
            row_counts: BTreeMap::from([("ProductionOrder".into(), 9), ("Task".into(), 40)]),
            audit_chain_head: Some(ChainHead {
                position: 812,
                link: "ab".repeat(32),
                sealed_at: chrono::NaiveDate::from_ymd_opt(2027, 3, 15)
                    .and_then(|d| d.and_hms_opt(2, 0, 6))
                    .expect("time"),
            }),
            dump_file: "cleanstation-20270315T020007Z.dump".into(),
            size: 123_456,
            sha256: "0f".repeat(32),
        }
    }

    #[test]
    fn a_manifest_reads_back_as_written_with_the_documented_field_names() {
        let m = sample();
        let text = serde_json::to_string_pretty(&m).expect("json");
        for field in [
            "\"formatVersion\": 1",
            "\"createdAt\": \"2027-03-15T02:00:07Z\"",
            "\"database\": \"cleanstation\"",
            "\"serverVersion\"",
            "\"pgDumpMajor\": 15",
            "\"schemaVersion\": 29",
            "\"rowCounts\"",
            "\"ProductionOrder\": 9",
            "\"auditChainHead\"",
            "\"position\": 812",
            "\"sealedAt\"",
            "\"dumpFile\": \"cleanstation-20270315T020007Z.dump\"",
            "\"size\": 123456",
            "\"sha256\"",
        ] {
            assert!(text.contains(field), "{field} in {text}");
        }
        assert_eq!(Manifest::parse(&text), Ok(m.clone()));
        assert_eq!(m.total_rows(), 49);
    }

    #[test]
    fn another_format_or_no_manifest_at_all_is_named() {
        let mut m = sample();
        m.format_version = 2;
        let text = serde_json::to_string(&m).expect("json");
        let err = Manifest::parse(&text).expect_err("format 2");
        assert!(err.contains("manifest format 2"), "{err}");
        let err = Manifest::parse("{\"hello\": 1}").expect_err("not a manifest");
        assert!(err.starts_with("not a backup manifest"), "{err}");
    }

    #[test]
    fn the_stem_carries_the_database_and_the_time_in_utc() {
        let at = sample().created_at;
        assert_eq!(stem("cleanstation", at), "cleanstation-20270315T020007Z");
        assert_eq!(stem("plant db/1", at), "plant_db_1-20270315T020007Z");
    }

    #[test]
    fn count_differences_name_every_table_that_differs() {
        let manifest = sample().row_counts;
        assert!(count_differences(&manifest, &manifest).is_empty());
        let restored = BTreeMap::from([("Task".into(), 39), ("Extra".into(), 1)]);
        assert_eq!(
            count_differences(&manifest, &restored),
            vec![
                "\"ProductionOrder\" (manifest 9, missing)".to_string(),
                "\"Task\" (manifest 40, restored 39)".to_string(),
                "\"Extra\" (not in the manifest, restored 1)".to_string(),
            ]
        );
    }
}
