//! The audit trail as people read it (docs/audit.md §6): audit rows with who, station and time, a
//! readable name for each record, the fields a change touched (old → new), which records belong to a
//! build, and the filters of the build history and the administrator's audit log.

use crate::text::strip_forbidden;
use chrono::{NaiveDate, NaiveDateTime};
use serde_json::Value;
use uuid::Uuid;

/// How the records of a table belong to a build (docs/audit.md §6.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuildLink {
    /// The build's own row (`ProductionOrder`, keyed by the build's id).
    Itself,
    /// The record's image holds the build's id as `orderId`.
    OrderId,
    /// The record's image holds `key`, the id of a `parent` record whose image holds `orderId`.
    Parent {
        key: &'static str,
        parent: &'static str,
    },
}

/// Every table whose records belong to a build, and how. A new child table is one line here (and, for
/// a `Parent` link, one index in the migrations: docs/audit.md §6.2). A table that does not exist
/// (yet) simply matches nothing: records are matched by their audit rows' `entityType` and images.
pub const BUILD_RECORDS: &[(&str, BuildLink)] = &[
    ("ProductionOrder", BuildLink::Itself),
    ("BasinConfiguration", BuildLink::OrderId),
    ("FaucetConfiguration", BuildLink::OrderId),
    ("SprayerConfiguration", BuildLink::OrderId),
    ("OrderAccessory", BuildLink::OrderId),
    ("OrderStatusHistory", BuildLink::OrderId),
    ("OrderDocument", BuildLink::OrderId),
    ("BillOfMaterials", BuildLink::OrderId),
    ("QCResult", BuildLink::OrderId),
    ("TaskList", BuildLink::OrderId),
    ("TestingForm", BuildLink::OrderId),
    ("PackagingChecklist", BuildLink::OrderId),
    ("Nonconformance", BuildLink::OrderId),
    ("ElectronicSignature", BuildLink::OrderId),
    ("OrderCorrection", BuildLink::OrderId),
    (
        "BOMItem",
        BuildLink::Parent {
            key: "bomId",
            parent: "BillOfMaterials",
        },
    ),
    (
        "QCItemResult",
        BuildLink::Parent {
            key: "qcResultId",
            parent: "QCResult",
        },
    ),
    (
        "Task",
        BuildLink::Parent {
            key: "taskListId",
            parent: "TaskList",
        },
    ),
    (
        "TestResult",
        BuildLink::Parent {
            key: "testingFormId",
            parent: "TestingForm",
        },
    ),
    (
        "PackagingItem",
        BuildLink::Parent {
            key: "packagingChecklistId",
            parent: "PackagingChecklist",
        },
    ),
];

/// How `table`'s records belong to a build, if they do.
pub fn build_link(table: &str) -> Option<BuildLink> {
    BUILD_RECORDS
        .iter()
        .find(|(t, _)| *t == table)
        .map(|(_, l)| *l)
}

/// The tables whose images hold the build's id as `orderId`.
pub fn order_id_tables() -> Vec<String> {
    BUILD_RECORDS
        .iter()
        .filter(|(_, l)| *l == BuildLink::OrderId)
        .map(|(t, _)| (*t).to_string())
        .collect()
}

/// Fields never shown as a change: the record's own key, the keys that tie it to its build or parent
/// (the history is already the build's), and the timestamp every update touches.
pub fn skipped_fields() -> Vec<String> {
    let mut v: Vec<String> = ["id", "updatedAt", "orderId"]
        .iter()
        .map(|s| (*s).to_string())
        .collect();
    v.extend(BUILD_RECORDS.iter().filter_map(|(_, l)| match l {
        BuildLink::Parent { key, .. } => Some((*key).to_string()),
        _ => None,
    }));
    v
}

/// One audit row as the screens show it.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    pub seq: i64,
    /// The transaction's time, as the database recorded it.
    pub at: NaiveDateTime,
    pub user_id: Option<Uuid>,
    /// The user's full name; `None` for an unattributed write.
    pub user_name: Option<String>,
    /// The station or command (`userAgent`).
    pub station: Option<String>,
    pub action: String,
    pub table: String,
    pub entity: String,
    pub old: Option<Value>,
    pub new: Option<Value>,
    /// For a BOM line: the version of its BOM, when that BOM still exists.
    pub bom_version: Option<i32>,
}

/// One field a change touched; `None` is no value (the field was absent or null).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// An image's value as text for a screen: strings as they are, null as nothing, anything else as
/// JSON; characters that could steer a terminal are removed (docs/audit.md §6.3).
pub fn value_text(v: Option<&Value>) -> Option<String> {
    let text = match v? {
        Value::Null => return None,
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    Some(strip_forbidden(&text).replace(['\n', '\r', '\t'], " "))
}

/// Who made the change, as shown: the full name, or "unattributed".
pub fn who(entry: &AuditEntry) -> String {
    entry.user_name.as_deref().map_or_else(
        || UNATTRIBUTED.to_string(),
        |n| strip_forbidden(n).into_owned(),
    )
}

pub const UNATTRIBUTED: &str = "unattributed";

/// The station as shown.
pub fn station(entry: &AuditEntry) -> String {
    entry
        .station
        .as_deref()
        .map_or_else(|| "—".to_string(), |s| strip_forbidden(s).into_owned())
}

/// The actions the audit trigger writes; any other action is an explicit note (docs/audit.md).
pub fn is_note(action: &str) -> bool {
    !matches!(
        action,
        "INSERT" | "UPDATE" | "DELETE" | "BASELINE" | "RETAINED"
    )
}

/// The action as shown; an explicit note is marked as one.
pub fn action_label(entry: &AuditEntry) -> String {
    let action = strip_forbidden(&entry.action);
    if is_note(&entry.action) {
        format!("{action} (note)")
    } else {
        action.into_owned()
    }
}

/// The table as shown.
pub fn table_label(entry: &AuditEntry) -> String {
    strip_forbidden(&entry.table).into_owned()
}

/// The fields the row changed: for an UPDATE the fields whose value differs between the images, for an
/// INSERT the values given, for a DELETE the values removed, for a note what it records; in the image's
/// key order, skipping [`skipped_fields`] (docs/audit.md §6.3).
pub fn changes(entry: &AuditEntry) -> Vec<FieldChange> {
    let skipped = skipped_fields();
    let empty = serde_json::Map::new();
    let old = entry
        .old
        .as_ref()
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let new = entry
        .new
        .as_ref()
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let mut keys: Vec<&String> = new.keys().collect();
    keys.extend(old.keys().filter(|k| !new.contains_key(*k)));
    keys.into_iter()
        .filter(|k| !skipped.iter().any(|s| s == *k))
        .filter_map(|k| {
            let (o, n) = (value_text(old.get(k)), value_text(new.get(k)));
            (o != n).then(|| FieldChange {
                field: strip_forbidden(k).into_owned(),
                old: o,
                new: n,
            })
        })
        .collect()
}

/// `field: old → new` (INSERT: `field: new`; DELETE: `field: old (removed)`).
pub fn change_text(action: &str, c: &FieldChange) -> String {
    let v = |x: &Option<String>| x.clone().unwrap_or_else(|| "—".into());
    match action {
        "INSERT" | "BASELINE" | "RETAINED" => format!("{}: {}", c.field, v(&c.new)),
        "DELETE" => format!("{}: {} (removed)", c.field, v(&c.old)),
        _ => format!("{}: {} → {}", c.field, v(&c.old), v(&c.new)),
    }
}

/// Every change on one line, for a list row or a CSV cell.
pub fn summary(entry: &AuditEntry) -> String {
    changes(entry)
        .iter()
        .map(|c| change_text(&entry.action, c))
        .collect::<Vec<_>>()
        .join("; ")
}

/// A readable name for the record an audit row is about, e.g. "Basin 1", "BOM v2 item 708.77",
/// "Task 4", "Testing form", "QC result PRE_QC".
pub fn record_name(entry: &AuditEntry) -> String {
    let image = entry.new.as_ref().or(entry.old.as_ref());
    let field = |k: &str| value_text(image.and_then(|i| i.get(k))).unwrap_or_default();
    let with = |label: &str, k: &str| {
        let v = field(k);
        if v.is_empty() {
            label.to_string()
        } else {
            format!("{label} {v}")
        }
    };
    match entry.table.as_str() {
        "ProductionOrder" => with("Build", "buildNumber"),
        "BasinConfiguration" => with("Basin", "basinIndex"),
        "FaucetConfiguration" => with("Faucet", "faucetType"),
        "SprayerConfiguration" => with("Sprayer", "sprayerType"),
        "OrderAccessory" => with("Accessory", "assemblyId"),
        "OrderStatusHistory" => with("Status move to", "newStatus"),
        "OrderDocument" => with("Document", "documentType"),
        "BillOfMaterials" => format!("BOM v{}", field("version")),
        "BOMItem" => match entry.bom_version {
            Some(v) => format!("BOM v{v} item {}", field("itemId")),
            None => with("BOM item", "itemId"),
        },
        "QCResult" => with("QC result", "qcTypePerformed"),
        "QCItemResult" => match field("basinIndex") {
            b if b.is_empty() => "QC answer".into(),
            b => format!("QC answer, basin {b}"),
        },
        "TaskList" => "Task list".into(),
        "Task" => with("Task", "sequenceOrder"),
        "TestingForm" => "Testing form".into(),
        "TestResult" => with("Test", "testName"),
        "PackagingChecklist" => "Packaging checklist".into(),
        "PackagingItem" => with("Packing item", "itemId"),
        "Nonconformance" => with("Nonconformance", "number"),
        "ElectronicSignature" => with("Signature", "meaning"),
        other => format!(
            "{} {}",
            strip_forbidden(other),
            strip_forbidden(&entry.entity)
        ),
    }
}

/// Who the build history shows: anyone, one person, the unattributed writes, or names containing the
/// typed text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum PersonFilter {
    #[default]
    Anyone,
    User(Uuid, String),
    Unattributed,
    Named(String),
}

impl PersonFilter {
    pub fn label(&self) -> String {
        match self {
            PersonFilter::Anyone => "anyone".into(),
            PersonFilter::User(_, name) => name.clone(),
            PersonFilter::Unattributed => UNATTRIBUTED.into(),
            PersonFilter::Named(text) => format!("name contains \"{text}\""),
        }
    }
}

/// A person present in a build's history; `id` `None` is the unattributed writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub id: Option<Uuid>,
    pub name: String,
}

impl Person {
    pub fn filter(&self) -> PersonFilter {
        match self.id {
            Some(id) => PersonFilter::User(id, self.name.clone()),
            None => PersonFilter::Unattributed,
        }
    }
}

/// One page of the build history: rows older than `before` (newest first), at most `limit`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HistoryQuery {
    /// Only rows that changed a field whose name contains this (case-insensitive); empty: any.
    pub field: String,
    pub person: PersonFilter,
    /// Keyset: only rows with a smaller `seq`; `None` is the newest page.
    pub before: Option<i64>,
    pub limit: i64,
}

/// Rows newest first, and whether older ones remain.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    pub more: bool,
}

/// A page of a build's history; `people` comes with the newest page only.
#[derive(Debug, Clone, PartialEq)]
pub struct BuildHistory {
    pub build_number: String,
    pub page: AuditPage,
    pub people: Option<Vec<Person>>,
}

/// The administrator's audit-log filter as typed; [`LogFilter::parse`] checks it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LogFilterInput {
    pub user: String,
    pub table: String,
    pub action: String,
    pub from: String,
    pub to: String,
    pub entity: String,
}

/// A checked audit-log filter; empty texts match everything.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LogFilter {
    /// Username or full name containing this; "unattributed" is the writes without a user.
    pub user: String,
    /// The table (`entityType`), case-insensitive.
    pub table: String,
    /// The action, case-insensitive.
    pub action: String,
    pub from: Option<NaiveDate>,
    /// Inclusive: the whole day.
    pub to: Option<NaiveDate>,
    /// The record's id (`entityId`), exactly.
    pub entity: String,
}

/// A day typed as `YYYY-MM-DD` (`None` when nothing was typed); the message names the field.
pub(crate) fn parse_day(label: &str, text: &str) -> Result<Option<NaiveDate>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| {
            format!(
                "{label} date \"{}\" is not a date: use YYYY-MM-DD, e.g. 2025-03-14",
                strip_forbidden(t)
            )
        })
}

impl LogFilter {
    /// Checks the typed filter (docs/audit.md §6.4): dates as YYYY-MM-DD, the from date not after the
    /// to date. The message says what to correct; the typed text is kept by the screen.
    pub fn parse(input: &LogFilterInput) -> Result<LogFilter, String> {
        let from = parse_day("From", &input.from)?;
        let to = parse_day("To", &input.to)?;
        if let (Some(f), Some(t)) = (from, to)
            && f > t
        {
            return Err(format!(
                "The from date {f} is after the to date {t}: no row can match"
            ));
        }
        Ok(LogFilter {
            user: input.user.trim().to_string(),
            table: input.table.trim().to_string(),
            action: input.action.trim().to_uppercase(),
            from,
            to,
            entity: input.entity.trim().to_string(),
        })
    }

    pub fn is_empty(&self) -> bool {
        *self == LogFilter::default()
    }

    /// The filter in words, for the screen's filter bar.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        for (label, v) in [
            ("user", &self.user),
            ("table", &self.table),
            ("action", &self.action),
            ("entity", &self.entity),
        ] {
            if !v.is_empty() {
                parts.push(format!("{label} {}", strip_forbidden(v)));
            }
        }
        match (self.from, self.to) {
            (Some(f), Some(t)) => parts.push(format!("{f} to {t}")),
            (Some(f), None) => parts.push(format!("from {f}")),
            (None, Some(t)) => parts.push(format!("to {t}")),
            (None, None) => {}
        }
        if parts.is_empty() {
            "everything".into()
        } else {
            parts.join(", ")
        }
    }
}

/// A page of the audit log: rows older than `before` matching `filter`, at most `limit`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LogQuery {
    pub filter: LogFilter,
    pub before: Option<i64>,
    pub limit: i64,
}

/// What `audit verify` found, for the screen (the same check as the command line's).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VerifyOutcome {
    pub links: i64,
    pub first_position: Option<i64>,
    pub checkpoints: i64,
    /// The chain head: position and link.
    pub head: Option<(i64, String)>,
    pub sealed_now: i64,
    pub rows_matched: i64,
    pub tables: usize,
    pub signatures_verified: usize,
    pub unattributed_count: i64,
    /// Every problem found, first the one the command line names; empty when the trail is intact.
    pub problems: Vec<String>,
}

impl VerifyOutcome {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entry(action: &str, table: &str, old: Option<Value>, new: Option<Value>) -> AuditEntry {
        AuditEntry {
            seq: 1,
            at: NaiveDateTime::default(),
            user_id: None,
            user_name: None,
            station: None,
            action: action.into(),
            table: table.into(),
            entity: "e1".into(),
            old,
            new,
            bom_version: None,
        }
    }

    #[test]
    fn an_update_shows_only_what_changed_and_no_noise() {
        let e = entry(
            "UPDATE",
            "BasinConfiguration",
            Some(
                json!({"id": "x", "orderId": "o", "basinIndex": 1, "basinDepth": 10, "updatedAt": "t1"}),
            ),
            Some(
                json!({"id": "x", "orderId": "o", "basinIndex": 1, "basinDepth": 12, "updatedAt": "t2"}),
            ),
        );
        assert_eq!(
            changes(&e),
            vec![FieldChange {
                field: "basinDepth".into(),
                old: Some("10".into()),
                new: Some("12".into())
            }]
        );
        assert_eq!(summary(&e), "basinDepth: 10 → 12");
        assert_eq!(record_name(&e), "Basin 1");
    }

    #[test]
    fn an_insert_shows_the_values_given_and_a_delete_the_values_removed() {
        let img =
            json!({"id": "x", "bomId": "b", "itemId": "708.77", "quantity": 2, "notes": null});
        let mut e = entry("INSERT", "BOMItem", None, Some(img.clone()));
        e.bom_version = Some(2);
        assert_eq!(summary(&e), "itemId: 708.77; quantity: 2");
        assert_eq!(record_name(&e), "BOM v2 item 708.77");
        let d = entry("DELETE", "BOMItem", Some(img), None);
        assert_eq!(
            summary(&d),
            "itemId: 708.77 (removed); quantity: 2 (removed)"
        );
        assert_eq!(record_name(&d), "BOM item 708.77");
    }

    #[test]
    fn a_note_is_shown_with_what_it_records_and_values_lose_control_characters() {
        let e = entry(
            "STATUS_OVERRIDE",
            "ProductionOrder",
            Some(json!({"orderStatus": "PARTS_SENT"})),
            Some(json!({"orderStatus": "ORDER_CREATED", "reason": "wrong\u{1b}[31m po"})),
        );
        assert!(is_note(&e.action));
        assert_eq!(action_label(&e), "STATUS_OVERRIDE (note)");
        assert_eq!(
            summary(&e),
            "orderStatus: PARTS_SENT → ORDER_CREATED; reason: — → wrong[31m po"
        );
        assert_eq!(who(&e), "unattributed");
    }

    #[test]
    fn dates_are_checked_with_clear_messages() {
        let input = |from: &str, to: &str| LogFilterInput {
            from: from.into(),
            to: to.into(),
            action: " update ".into(),
            ..LogFilterInput::default()
        };
        let ok = LogFilter::parse(&input("2025-03-01", "2025-03-14")).expect("valid");
        assert_eq!(ok.action, "UPDATE");
        assert_eq!(ok.describe(), "action UPDATE, 2025-03-01 to 2025-03-14");
        let e = LogFilter::parse(&input("2025-3-1x", "")).expect_err("bad date");
        assert!(e.contains("From date \"2025-3-1x\" is not a date"), "{e}");
        let e = LogFilter::parse(&input("2025-03-14", "2025-03-01")).expect_err("reversed");
        assert!(e.contains("is after the to date"), "{e}");
        assert!(LogFilter::default().is_empty());
    }

    #[test]
    fn every_linked_table_is_named_once() {
        let mut names: Vec<&str> = BUILD_RECORDS.iter().map(|(t, _)| *t).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), BUILD_RECORDS.len());
        assert!(order_id_tables().contains(&"Nonconformance".to_string()));
        assert!(skipped_fields().contains(&"bomId".to_string()));
    }
}
