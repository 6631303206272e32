//! `"SystemSetting"` rows: the plant-wide settings (docs/settings.md). Stations read them; they change
//! them only through the checked function `app_setting_set` (migration V31).

use crate::db::Client;
use crate::db::row::{RowExt, query_all};
use crate::error::{Result, ServiceError};

/// One stored setting with the name of who changed it last.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSetting {
    pub key: String,
    pub value: String,
    pub editable: bool,
    pub updated_by: Option<String>,
    pub updated_at: Option<chrono::NaiveDateTime>,
}

/// The stored rows of `keys`, in any order.
pub async fn read(client: &impl Client, keys: &[&str]) -> Result<Vec<StoredSetting>> {
    query_all(
        client,
        r#"SELECT s."settingKey"::text AS "key", s."settingValue" AS "value",
                  COALESCE(s."isEditable", false) AS "editable", u."fullName" AS "updatedByName",
                  s."updatedAt"
             FROM "SystemSetting" s
             LEFT JOIN "User" u ON u.id = s."updatedBy"
            WHERE s."settingKey" = ANY($1)"#,
        &[&keys],
        |r| {
            Ok(StoredSetting {
                key: r.col("key")?,
                value: r.col("value")?,
                editable: r.col("editable")?,
                updated_by: r.col("updatedByName")?,
                updated_at: r.col("updatedAt")?,
            })
        },
    )
    .await
}

/// What `app_setting_set` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetOutcome {
    Set,
    /// The stored value is no longer the one expected: another station changed it first.
    Changed,
    /// No row with the key.
    Missing,
    /// The row is not editable.
    Locked,
}

/// Sets `key` to `value` when it still holds `expected` (`None`: whatever it holds), in the name of
/// the transaction's session, which must be an administrator's (docs/settings.md §3.1).
pub async fn set(
    client: &impl Client,
    key: &str,
    value: &str,
    expected: Option<&str>,
) -> Result<SetOutcome> {
    let outcome: String = client
        .fetch_one(
            r#"SELECT app_setting_set($1, $2, $3) AS "outcome""#,
            &[&key, &value, &expected],
        )
        .await?
        .col("outcome")?;
    match outcome.as_str() {
        "SET" => Ok(SetOutcome::Set),
        "CHANGED" => Ok(SetOutcome::Changed),
        "MISSING" => Ok(SetOutcome::Missing),
        "LOCKED" => Ok(SetOutcome::Locked),
        other => Err(ServiceError::Query(format!(
            "app_setting_set answered {other}"
        ))),
    }
}
