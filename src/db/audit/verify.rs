//! `audit verify`: the chain walk, every audited row against its last image, the audit machinery, and unattributed writes.

use crate::auth::sha256_hex;
use crate::db::Client;
use crate::db::row::{RowExt, query_all};
use crate::domain::audit_trail::{BuildLink, build_link};
use crate::error::Result;
use futures_util::{StreamExt, pin_mut};
use std::fmt::Write as _;

use super::seal::seal;
use super::{AUDITED, GENESIS_LINK, IMAGE_ACTIONS, ROW_CONTENT, UPDATE_NOT_AUDITED};

/// One thing `audit verify` found wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The table concerned (`AuditLog` for the chain itself).
    pub table: String,
    /// The record: an id, an audit sequence number or a chain position.
    pub record: String,
    /// The build the record belongs to, where one can be named.
    pub build: Option<String>,
    pub what: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.table, self.record)?;
        if let Some(b) = &self.build {
            write!(f, " (build {b})")?;
        }
        write!(f, ": {}", self.what)
    }
}

/// What the chain walk found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChainReport {
    pub links: i64,
    pub first_position: Option<i64>,
    pub checkpoints: i64,
    pub head: Option<(i64, String)>,
    pub problems: Vec<Problem>,
}

/// An unattributed write by the station role: reported, not a failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unattributed {
    pub seq: i64,
    pub at: chrono::NaiveDateTime,
    pub action: String,
    pub table: String,
    pub entity: String,
    pub station: Option<String>,
}

/// Everything `audit verify` checks.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VerifyReport {
    pub sealed_now: i64,
    pub chain: ChainReport,
    pub tables: usize,
    pub rows_matched: i64,
    pub row_problems: Vec<Problem>,
    pub unattributed_count: i64,
    pub unattributed: Vec<Unattributed>,
}

impl VerifyReport {
    /// The first problem of all, which the exit message names.
    pub fn first_problem(&self) -> Option<&Problem> {
        self.chain.problems.first().or(self.row_problems.first())
    }
}

/// Walks the whole chain in position order and recomputes every link.
pub async fn verify_chain(client: &impl Client) -> Result<ChainReport> {
    let sql = format!(
        r#"SELECT c."position", c."kind", c."auditSeq", c."prevLink"::text AS "prevLink", c."link"::text AS "link",
                  c."details"::text AS "details", c."entityType", c."entityId",
                  a."seq" IS NOT NULL AS present, a."entityType" AS row_type, a."entityId" AS row_entity,
                  {ROW_CONTENT} AS content
             FROM "AuditChain" c LEFT JOIN "AuditLog" a ON a."seq" = c."auditSeq"
            ORDER BY c."position""#
    );
    let stream = client
        .query_raw(sql.as_str(), std::iter::empty::<i32>())
        .await?;
    pin_mut!(stream);
    let mut report = ChainReport::default();
    let mut prev: Option<(i64, String)> = None;
    let mut first_prev_link = None;
    let mut latest_checkpoint: Option<(i64, String)> = None;
    while let Some(row) = stream.next().await {
        let row = row?;
        let position: i64 = row.col("position")?;
        let kind: String = row.col("kind")?;
        let seq: Option<i64> = row.col("auditSeq")?;
        let prev_link: String = row.col("prevLink")?;
        let link: String = row.col("link")?;
        let details: Option<String> = row.col("details")?;
        let chain_type: Option<String> = row.col("entityType")?;
        let chain_entity: Option<String> = row.col("entityId")?;
        let present: bool = row.col("present")?;
        let row_type: Option<String> = row.col("row_type")?;
        let row_entity: Option<String> = row.col("row_entity")?;
        let content: Option<String> = row.col("content")?;
        report.links += 1;
        let name = || {
            let table = row_type.clone().or(chain_type.clone());
            let entity = row_entity.clone().or(chain_entity.clone());
            match (table, entity) {
                (Some(t), Some(e)) => format!(" ({t} {e})"),
                _ => String::new(),
            }
        };
        let mut problem = |what: String| {
            report.problems.push(Problem {
                table: "AuditLog".into(),
                record: format!("chain position {position}"),
                build: None,
                what,
            });
        };
        match &prev {
            None => {
                report.first_position = Some(position);
                first_prev_link = Some(prev_link.clone());
                if position == 1 && prev_link != GENESIS_LINK {
                    problem("the first link does not start from the genesis value".into());
                }
            }
            Some((p, l)) => {
                if position != p + 1 {
                    problem(format!(
                        "links {} to {} are missing from the chain",
                        p + 1,
                        position - 1
                    ));
                } else if &prev_link != l {
                    problem("does not continue from the link before it".into());
                }
            }
        }
        let hashed = match kind.as_str() {
            "ROW" if present => content.unwrap_or_default(),
            "ROW" => {
                problem(format!(
                    "audit row seq {}{} was removed from the audit log",
                    seq.unwrap_or_default(),
                    name()
                ));
                String::new()
            }
            "MISSING" => {
                problem(format!(
                    "audit row seq {} was removed before it was sealed",
                    seq.unwrap_or_default()
                ));
                details.clone().unwrap_or_default()
            }
            "CHECKPOINT" => {
                report.checkpoints += 1;
                let text = details.clone().unwrap_or_default();
                if let Some(cp) = checkpoint_start(&text) {
                    latest_checkpoint = Some(cp);
                }
                text
            }
            other => {
                problem(format!("unknown link kind {other}"));
                String::new()
            }
        };
        let expected = link_of(&prev_link, position, &kind, &hashed);
        if (kind != "ROW" || present) && expected != link {
            problem(match kind.as_str() {
                "ROW" => format!("the audit row{} does not match its sealed link", name()),
                _ => format!("the {kind} link does not match its content"),
            });
        }
        prev = Some((position, link));
    }
    // A chain that does not start at 1 starts where the latest retention checkpoint says it does.
    if let (Some(first), Some(first_prev)) = (report.first_position, first_prev_link)
        && first != 1
    {
        let vouched = latest_checkpoint
            .as_ref()
            .is_some_and(|(through, link)| through + 1 == first && *link == first_prev);
        if !vouched {
            report.problems.insert(
                0,
                Problem {
                    table: "AuditLog".into(),
                    record: format!("chain position {first}"),
                    build: None,
                    what: format!(
                        "links 1 to {} are missing and no retention checkpoint accounts for them",
                        first - 1
                    ),
                },
            );
        }
    }
    report.head = prev;
    Ok(report)
}

/// `sha256(prev || '|' || position || '|' || kind || '|' || content)`, as `audit_seal` computes it.
pub fn link_of(prev: &str, position: i64, kind: &str, content: &str) -> String {
    sha256_hex(format!("{prev}|{position}|{kind}|{content}").as_bytes())
}

/// (removedThrough, linkThrough) of a checkpoint's details.
fn checkpoint_start(details: &str) -> Option<(i64, String)> {
    let v: serde_json::Value = serde_json::from_str(details).ok()?;
    Some((
        v.get("removedThrough")?.as_i64()?,
        v.get("linkThrough")?.as_str()?.to_string(),
    ))
}

/// The SQL expression of a row's audit image for `table` (alias `t`): the trigger's rules, restated
/// with built-in functions only.
fn image_sql(table: &str) -> &'static str {
    match table {
        "User" => {
            r#"to_jsonb(t) || jsonb_build_object('passwordHash', 'sha256:' || encode(sha256(convert_to(t."passwordHash", 'UTF8')), 'hex'), 'pinHash', 'sha256:' || encode(sha256(convert_to(t."pinHash", 'UTF8')), 'hex'))"#
        }
        "UserSession" => {
            r#"(to_jsonb(t) - 'lastUsedAt') || jsonb_build_object('token', 'sha256:' || encode(sha256(convert_to(t."token", 'UTF8')), 'hex'))"#
        }
        "DocumentContent" => {
            r#"jsonb_build_object('documentId', t."documentId", 'sha256', t."sha256")"#
        }
        _ => "to_jsonb(t)",
    }
}

/// Compares every row of `table` with its last audit image (both directions: rows without one, and
/// images of rows that are gone). Returns (rows that match, problems found, at most `limit`).
async fn verify_table(
    client: &impl Client,
    table: &str,
    key: &str,
    limit: i64,
) -> Result<(i64, Vec<Problem>)> {
    let sql = format!(
        r#"WITH last AS (
               SELECT DISTINCT ON (a."entityId") a."entityId", a."action", a."newValues"
                 FROM "AuditLog" a
                WHERE a."entityType" = $1 AND a."action" IN {IMAGE_ACTIONS}
                ORDER BY a."entityId", a."seq" DESC
           ), cur AS (
               SELECT t."{key}"::text AS k, {image} AS j FROM "{table}" t
           ), compared AS (
               SELECT COALESCE(cur.k, last."entityId") AS entity, cur.k IS NOT NULL AS live,
                      CASE WHEN last."entityId" IS NULL THEN 'has no audit record'
                           WHEN cur.k IS NULL AND last."action" <> 'DELETE'
                                THEN 'was removed without an audit record'
                           WHEN cur.k IS NULL THEN NULL
                           WHEN last."action" = 'DELETE'
                                THEN 'exists although its last audit record is its deletion'
                           WHEN last."newValues" IS DISTINCT FROM cur.j
                                THEN 'differs from its last audit record'
                      END AS problem,
                      COALESCE(cur.j, last."newValues") AS image
                 FROM cur FULL JOIN last ON last."entityId" = cur.k
           )
           SELECT entity, problem, image, (SELECT count(*) FROM compared WHERE live AND problem IS NULL) AS "liveCount"
             FROM compared WHERE problem IS NOT NULL
            ORDER BY entity LIMIT $2"#,
        image = image_sql(table),
    );
    let rows = client.fetch(sql.as_str(), &[&table, &limit]).await?;
    let mut problems = Vec::new();
    for r in &rows {
        let entity: String = r.col("entity")?;
        let what: String = r.col("problem")?;
        let image: Option<serde_json::Value> = r.col("image")?;
        let build = build_of(client, table, image.as_ref()).await?;
        problems.push(Problem {
            table: table.to_string(),
            record: entity,
            build,
            what,
        });
    }
    let matched = match rows.first() {
        Some(r) => r.col("liveCount")?,
        None => client
            .fetch_one(
                format!(r#"SELECT count(*) AS "count" FROM "{table}""#).as_str(),
                &[],
            )
            .await?
            .col("count")?,
    };
    Ok((matched, problems))
}

/// The build a record belongs to, found through its own columns or its parent's.
async fn build_of(
    client: &impl Client,
    table: &str,
    image: Option<&serde_json::Value>,
) -> Result<Option<String>> {
    let Some(image) = image else {
        return Ok(None);
    };
    let field = |k: &str| image.get(k).and_then(|v| v.as_str()).map(str::to_string);
    // The same mapping as a build's history (docs/audit.md §6.2).
    let order_id = match build_link(table) {
        Some(BuildLink::Itself) => return Ok(field("buildNumber")),
        Some(BuildLink::Parent { key, parent }) => match field(key) {
            Some(parent_id) => client
                .fetch_opt(
                    format!(
                        r#"SELECT "orderId"::text AS "orderId" FROM "{parent}" WHERE id::text = $1"#
                    )
                    .as_str(),
                    &[&parent_id],
                )
                .await?
                .and_then(|r| r.try_get::<_, Option<String>>("orderId").ok().flatten()),
            None => None,
        },
        Some(BuildLink::OrderId) | None => field("orderId"),
    };
    let order_sql = r#"SELECT "buildNumber" FROM "ProductionOrder" WHERE id::text = $1"#;
    let Some(order_id) = order_id else {
        return Ok(None);
    };
    Ok(client
        .fetch_opt(order_sql, &[&order_id])
        .await?
        .and_then(|r| r.try_get("buildNumber").ok()))
}

/// Audit triggers that are missing or disabled, and audit rows that never reached the chain.
async fn verify_machinery(client: &impl Client, limit: i64) -> Result<Vec<Problem>> {
    let mut problems = Vec::new();
    let rows = client
        .fetch(
            r#"SELECT c.relname::text AS "table", t.tgname::text AS "name", t.tgenabled::text AS "enabled"
                 FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                WHERE c.relnamespace = 'public'::regnamespace
                  AND t.tgname IN ('audit_insert', 'audit_update', 'audit_delete', 'audit_enqueue')"#,
            &[],
        )
        .await?;
    let mut present = std::collections::HashMap::new();
    for r in rows {
        let table: String = r.col("table")?;
        let name: String = r.col("name")?;
        let enabled: String = r.col("enabled")?;
        present.insert((table, name), enabled);
    }
    let mut expected: Vec<(String, String)> = vec![("AuditLog".into(), "audit_enqueue".into())];
    for (table, _) in AUDITED {
        for event in ["audit_insert", "audit_delete", "audit_update"] {
            if event == "audit_update" && UPDATE_NOT_AUDITED.contains(table) {
                continue;
            }
            expected.push(((*table).to_string(), event.to_string()));
        }
    }
    for (table, trigger) in expected {
        match present
            .get(&(table.clone(), trigger.clone()))
            .map(String::as_str)
        {
            Some("O") | Some("A") => {}
            Some(_) => problems.push(Problem {
                table: table.clone(),
                record: format!("trigger {trigger}"),
                build: None,
                what: "the audit trigger is disabled".into(),
            }),
            None => problems.push(Problem {
                table: table.clone(),
                record: format!("trigger {trigger}"),
                build: None,
                what: "the audit trigger is missing".into(),
            }),
        }
    }
    // Rows that bypassed the queue (written with triggers off) are in no link.
    let rows = client
        .fetch(
            r#"WITH pending AS (SELECT unnest(p."seqs") AS seq FROM "AuditPending" p)
               SELECT a."seq", a."entityType", a."entityId" FROM "AuditLog" a
                WHERE NOT EXISTS (SELECT 1 FROM "AuditChain" c WHERE c."auditSeq" = a."seq")
                  AND NOT EXISTS (SELECT 1 FROM pending WHERE pending.seq = a."seq")
                ORDER BY a."seq" LIMIT $1"#,
            &[&limit],
        )
        .await?;
    for r in rows {
        let seq: i64 = r.col("seq")?;
        let table: String = r.col("entityType")?;
        let entity: String = r.col("entityId")?;
        problems.push(Problem {
            table: "AuditLog".into(),
            record: format!("seq {seq}"),
            build: None,
            what: format!("the audit row ({table} {entity}) is in no link of the chain"),
        });
    }
    Ok(problems)
}

/// Writes by the station role with no valid session, failed logins aside (those have no user yet).
async fn unattributed(client: &impl Client, limit: i64) -> Result<(i64, Vec<Unattributed>)> {
    let filter = format!(
        r#"a."userId" IS NULL AND a."dbRole" = '{}' AND a."action" IN {IMAGE_ACTIONS}
           AND a."entityType" <> 'LoginThrottle'"#,
        crate::db::roles::STATION_ROLE
    );
    let count: i64 = client
        .fetch_one(
            format!(r#"SELECT count(*) AS "count" FROM "AuditLog" a WHERE {filter}"#).as_str(),
            &[],
        )
        .await?
        .col("count")?;
    let list = query_all(
        client,
        format!(
            r#"SELECT a."seq", a."timestamp", a."action", a."entityType", a."entityId", a."userAgent"
                 FROM "AuditLog" a WHERE {filter} ORDER BY a."seq" DESC LIMIT $1"#
        )
        .as_str(),
        &[&limit],
        |r| {
            Ok(Unattributed {
                seq: r.col("seq")?,
                at: r.col("timestamp")?,
                action: r.col("action")?,
                table: r.col("entityType")?,
                entity: r.col("entityId")?,
                station: r.col("userAgent")?,
            })
        },
    )
    .await?;
    Ok((count, list))
}

/// Seals what is committed, then checks the chain, every audited row against its last image, the
/// audit triggers, and lists unattributed station writes. Signatures are checked by the caller.
pub async fn verify(client: &impl Client) -> Result<VerifyReport> {
    const LIMIT: i64 = 20;
    let sealed_now = seal(client, true).await?.unwrap_or(0);
    let chain = verify_chain(client).await?;
    let mut row_problems = verify_machinery(client, LIMIT).await?;
    let mut rows_matched = 0;
    for (table, key) in AUDITED {
        let (matched, problems) = verify_table(client, table, key, LIMIT).await?;
        rows_matched += matched;
        row_problems.extend(problems);
    }
    let (unattributed_count, unattributed) = unattributed(client, LIMIT).await?;
    Ok(VerifyReport {
        sealed_now,
        chain,
        tables: AUDITED.len(),
        rows_matched,
        row_problems,
        unattributed_count,
        unattributed,
    })
}

/// The report as text, for the command line.
pub fn describe(report: &VerifyReport) -> String {
    let mut out = String::new();
    let c = &report.chain;
    let _ = writeln!(
        out,
        "Audit chain: {} link(s){}{}; {} sealed by this check.",
        c.links,
        c.first_position
            .filter(|p| *p > 1)
            .map(|p| format!(" from position {p} (earlier ones removed by retention)"))
            .unwrap_or_default(),
        if c.checkpoints > 0 {
            format!(", {} retention checkpoint(s)", c.checkpoints)
        } else {
            String::new()
        },
        report.sealed_now
    );
    match &c.head {
        Some((position, link)) => {
            let _ = writeln!(out, "Chain head: position {position}, link {link}");
        }
        None => {
            let _ = writeln!(out, "Chain head: none (no audit rows yet)");
        }
    }
    let _ = writeln!(
        out,
        "Records: {} row(s) in {} audited table(s) match their last audit record.",
        report.rows_matched, report.tables
    );
    if report.unattributed_count > 0 {
        let _ = writeln!(
            out,
            "Unattributed writes by the station role (no valid session): {}",
            report.unattributed_count
        );
        for u in &report.unattributed {
            let _ = writeln!(
                out,
                "  seq {} {} {} {} {} at {}",
                u.seq,
                u.at.format("%Y-%m-%d %H:%M:%S"),
                u.action,
                u.table,
                u.entity,
                u.station.as_deref().unwrap_or("unknown station")
            );
        }
    } else {
        let _ = writeln!(out, "Unattributed writes by the station role: none.");
    }
    for p in c.problems.iter().chain(&report.row_problems) {
        let _ = writeln!(out, "BROKEN: {p}");
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_cover_previous_position_kind_and_content() {
        let a = link_of(GENESIS_LINK, 1, "ROW", "[1]");
        assert_eq!(a.len(), 64);
        assert_ne!(a, link_of(GENESIS_LINK, 2, "ROW", "[1]"));
        assert_ne!(a, link_of(GENESIS_LINK, 1, "ROW", "[2]"));
        assert_ne!(a, link_of(&a, 1, "ROW", "[1]"));
        assert_eq!(
            a,
            sha256_hex(format!("{GENESIS_LINK}|1|ROW|[1]").as_bytes())
        );
    }

    #[test]
    fn checkpoint_details_name_where_the_chain_starts() {
        assert_eq!(
            checkpoint_start(
                r#"{"cutoff": "x", "rowsRemoved": 3, "linkThrough": "ab", "removedThrough": 7}"#
            ),
            Some((7, "ab".to_string()))
        );
        assert_eq!(checkpoint_start("{}"), None);
    }
}
