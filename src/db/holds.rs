//! `"BuildHold"` rows: holds placed on builds from the floor and their release (docs/holds.md).

use crate::db::Client;
use crate::db::row::{RowExt, query_all, query_id, query_opt_map};
use crate::domain::hold::{BuildHold, HoldPart, HoldReason, HoldRelease, NamedHoldPart, NewHold};
use crate::error::{Result, ServiceError};
use tokio_postgres::Row;
use uuid::Uuid;

/// The reason of the build's open hold as a column of a statement over `"ProductionOrder" po`, NULL
/// when the build is not held: what the queues read into `OrderRow::hold`.
macro_rules! hold_reason_column {
    () => {
        r#"(SELECT h."reason" FROM "BuildHold" h WHERE h."orderId" = po.id AND h."releasedAt" IS NULL) AS "holdReason""#
    };
}
pub(crate) use hold_reason_column;

/// The reason a queue row read from [`hold_reason_column`], when the build is held.
pub fn hold_reason_of(row: &Row) -> Result<Option<HoldReason>> {
    let code: Option<String> = row.col("holdReason")?;
    Ok(code.as_deref().and_then(HoldReason::from_code))
}

/// A hold with its part lines named from the catalog and the names of who placed and released it.
const HOLD_SELECT: &str = r#"SELECT h.id, h."orderId", h."reason", h."note", h."placedAt",
       pu."fullName" AS "placedByName", h."releasedAt", ru."fullName" AS "releasedByName",
       h."releaseNote",
       COALESCE((SELECT jsonb_agg(jsonb_build_object('partId', x.e ->> 'partId',
                                                     'quantity', (x.e ->> 'quantity')::int,
                                                     'name', COALESCE(p."name", ''))
                                  ORDER BY x.n)
                   FROM jsonb_array_elements(h."parts") WITH ORDINALITY AS x(e, n)
                   LEFT JOIN "Part" p ON p.id = x.e ->> 'partId'), '[]'::jsonb) AS "namedParts"
  FROM "BuildHold" h
  JOIN "User" pu ON pu.id = h."placedBy"
  LEFT JOIN "User" ru ON ru.id = h."releasedBy""#;

fn hold_row(r: &Row) -> Result<BuildHold> {
    let code: String = r.col("reason")?;
    let reason = HoldReason::from_code(&code)
        .ok_or_else(|| ServiceError::Query(format!("unknown hold reason {code}")))?;
    let parts: serde_json::Value = r.col("namedParts")?;
    let parts = parts
        .as_array()
        .map(|lines| lines.iter().filter_map(named_part).collect())
        .unwrap_or_default();
    let released_at: Option<chrono::NaiveDateTime> = r.col("releasedAt")?;
    let released_by: Option<String> = r.col("releasedByName")?;
    Ok(BuildHold {
        id: r.col("id")?,
        order_id: r.col("orderId")?,
        reason,
        note: r.col("note")?,
        parts,
        placed_by: r.col("placedByName")?,
        placed_at: r.col("placedAt")?,
        released: match (released_at, released_by) {
            (Some(at), Some(by)) => Some(HoldRelease {
                by,
                at,
                note: r.col("releaseNote")?,
            }),
            _ => None,
        },
    })
}

fn named_part(line: &serde_json::Value) -> Option<NamedHoldPart> {
    Some(NamedHoldPart {
        part: HoldPart {
            part_id: line.get("partId")?.as_str()?.to_string(),
            quantity: i32::try_from(line.get("quantity")?.as_i64()?).ok()?,
        },
        name: line.get("name")?.as_str()?.to_string(),
    })
}

/// The build's open hold, if it is held.
pub async fn open_hold(client: &impl Client, order_id: Uuid) -> Result<Option<BuildHold>> {
    query_opt_map(
        client,
        &format!(r#"{HOLD_SELECT} WHERE h."orderId" = $1 AND h."releasedAt" IS NULL"#),
        &[&order_id],
        hold_row,
    )
    .await
}

/// Every hold of the build, oldest first.
pub async fn holds_of(client: &impl Client, order_id: Uuid) -> Result<Vec<BuildHold>> {
    query_all(
        client,
        &format!(r#"{HOLD_SELECT} WHERE h."orderId" = $1 ORDER BY h."placedAt", h.id"#),
        &[&order_id],
        hold_row,
    )
    .await
}

/// Every open parts-shortage hold, with the build's PO and build number, oldest first: what procurement
/// sees on the order desk (docs/holds.md §4).
pub async fn open_shortages(client: &impl Client) -> Result<Vec<(String, String, BuildHold)>> {
    query_all(
        client,
        &format!(
            r#"SELECT po."poNumber", po."buildNumber", held.* FROM ({HOLD_SELECT}
                 WHERE h."releasedAt" IS NULL AND h."reason" = 'PARTS_SHORTAGE') held
                 JOIN "ProductionOrder" po ON po.id = held."orderId"
                ORDER BY held."placedAt", po."poNumber", po."buildNumber""#
        ),
        &[],
        |r| Ok((r.col("poNumber")?, r.col("buildNumber")?, hold_row(r)?)),
    )
    .await
}

/// The catalog's name of each part id that is in `"Part"`; ids not in the catalog are left out.
pub async fn part_names(client: &impl Client, ids: &[String]) -> Result<Vec<(String, String)>> {
    query_all(
        client,
        r#"SELECT id, "name" FROM "Part" WHERE id = ANY($1) ORDER BY id"#,
        &[&ids],
        |r| Ok((r.col("id")?, r.col("name")?)),
    )
    .await
}

/// Places a hold (checked); its id. The partial unique index refuses a second open hold.
pub async fn insert(
    client: &impl Client,
    order_id: Uuid,
    placed_by: Uuid,
    hold: &NewHold,
) -> Result<Uuid> {
    let parts = serde_json::to_value(&hold.parts)
        .map_err(|e| ServiceError::Query(format!("hold parts: {e}")))?;
    query_id(
        client,
        r#"INSERT INTO "BuildHold" ("orderId", "reason", "note", "parts", "placedBy")
           VALUES ($1, $2, $3, $4, $5) RETURNING id"#,
        &[
            &order_id,
            &hold.reason.code(),
            &hold.note,
            &parts,
            &placed_by,
        ],
    )
    .await
}

/// Releases the hold if it is still open; false when another station released it first.
pub async fn release(
    client: &impl Client,
    hold_id: Uuid,
    released_by: Uuid,
    note: Option<&str>,
) -> Result<bool> {
    Ok(client
        .exec(
            r#"UPDATE "BuildHold"
                  SET "releasedBy" = $2, "releasedAt" = GREATEST(LOCALTIMESTAMP, "placedAt"),
                      "releaseNote" = $3
                WHERE id = $1 AND "releasedAt" IS NULL"#,
            &[&hold_id, &released_by, &note],
        )
        .await?
        == 1)
}

/// The build's total time on hold in whole minutes, an open hold counted up to now (the view
/// `"BuildHoldTime"`, docs/holds.md §5); 0 for a build never held.
pub async fn hold_minutes(client: &impl Client, order_id: Uuid) -> Result<i64> {
    Ok(crate::db::row::query_opt_col(
        client,
        r#"SELECT "holdMinutes" FROM "BuildHoldTime" WHERE "orderId" = $1"#,
        &[&order_id],
        "holdMinutes",
    )
    .await?
    .unwrap_or(0))
}
