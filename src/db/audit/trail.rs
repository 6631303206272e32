//! Reading the audit trail for people (docs/audit.md §6): a build's history and the administrator's
//! audit log, both newest first and paged by `seq` (keyset), never loading a whole history.

use crate::db::Client;
use crate::db::row::{RowExt, query_all};
use crate::domain::audit_trail::{
    AuditEntry, AuditPage, BUILD_RECORDS, BuildLink, HistoryQuery, LogFilter, LogQuery, Person,
    PersonFilter, UNATTRIBUTED, order_id_tables, skipped_fields,
};
use crate::error::Result;
use tokio_postgres::types::ToSql;
use uuid::Uuid;

/// The image a row is matched by: the new one, or the old one of a deletion.
const IMAGE: &str = r#"COALESCE(a."newValues", a."oldValues")"#;

/// The columns of an [`AuditEntry`], from `"AuditLog" a` joined to `"User" u`.
const COLUMNS: &str = r#"a."seq", a."timestamp", a."userId", u."fullName" AS "userName", a."userAgent",
       a."action", a."entityType", a."entityId", a."oldValues", a."newValues",
       CASE WHEN a."entityType" = 'BOMItem' THEN
            (SELECT b."version" FROM "BillOfMaterials" b
              WHERE b.id::text = COALESCE(a."newValues", a."oldValues")->>'bomId') END AS "bomVersion""#;

fn entry(r: &tokio_postgres::Row) -> Result<AuditEntry> {
    Ok(AuditEntry {
        seq: r.col("seq")?,
        at: r
            .col::<Option<chrono::NaiveDateTime>>("timestamp")?
            .unwrap_or_default(),
        user_id: r.col("userId")?,
        user_name: r.col("userName")?,
        station: r.col("userAgent")?,
        action: r.col("action")?,
        table: r.col("entityType")?,
        entity: r.col("entityId")?,
        old: r.col("oldValues")?,
        new: r.col("newValues")?,
        bom_version: r.col("bomVersion")?,
    })
}

/// The queries that select a build's audit rows, one per way of belonging (docs/audit.md §6.2): each
/// selects `select` from `"AuditLog" a` (with its user `u`) and ends with `tail` (more conditions, order,
/// limit); `$1` is the build's id as text and `$2` the tables keyed by `orderId`. Each reads from an
/// index of V16 or V21; a child table's rows are read parent by parent, at most `tail`'s limit each.
fn build_branches(select: &str, tail: &str) -> Vec<String> {
    let from = r#"FROM "AuditLog" a LEFT JOIN "User" u ON u.id = a."userId""#;
    let mut v = vec![
        format!(
            r#"(SELECT {select} {from}
                 WHERE a."entityType" = 'ProductionOrder' AND a."entityId" = $1{tail})"#
        ),
        format!(
            r#"(SELECT {select} {from}
                 WHERE a."entityType" = ANY($2) AND ({IMAGE}->>'orderId') = $1{tail})"#
        ),
    ];
    for (table, link) in BUILD_RECORDS {
        if let BuildLink::Parent { key, parent } = link {
            v.push(format!(
                r#"(SELECT x.* FROM (
                       SELECT DISTINCT p."entityId" FROM "AuditLog" p
                        WHERE p."entityType" = '{parent}'
                          AND (COALESCE(p."newValues", p."oldValues")->>'orderId') = $1) parent
                     CROSS JOIN LATERAL (
                       SELECT {select} {from}
                        WHERE a."entityType" = '{table}' AND ({IMAGE}->>'{key}') = parent."entityId"{tail}) x)"#
            ));
        }
    }
    v
}

/// The person and field filters of the build history, from parameter `$3` on: (SQL, parameters).
fn history_filters(q: &HistoryQuery) -> (String, Vec<Box<dyn ToSql + Sync + Send>>) {
    let mut sql = String::new();
    let mut params: Vec<Box<dyn ToSql + Sync + Send>> = Vec::new();
    let next = |p: Box<dyn ToSql + Sync + Send>, params: &mut Vec<_>| {
        params.push(p);
        params.len() + 2
    };
    match &q.person {
        PersonFilter::Anyone => {}
        PersonFilter::User(id, _) => {
            let n = next(Box::new(*id), &mut params);
            sql.push_str(&format!(r#" AND a."userId" = ${n}"#));
        }
        PersonFilter::Unattributed => sql.push_str(r#" AND a."userId" IS NULL"#),
        PersonFilter::Named(text) => {
            let n = next(Box::new(like(text)), &mut params);
            sql.push_str(&format!(
                r#" AND (u."fullName" ILIKE ${n} OR u."username" ILIKE ${n})"#
            ));
        }
    }
    let field = q.field.trim();
    if !field.is_empty() {
        let f = next(Box::new(like(field)), &mut params);
        let s = next(Box::new(skipped_fields()), &mut params);
        // The rule of `domain::audit_trail::changes`: a field counts when its values differ.
        sql.push_str(&format!(
            r#" AND EXISTS (
                  SELECT 1 FROM jsonb_object_keys(COALESCE(a."newValues", '{{}}') || COALESCE(a."oldValues", '{{}}')) k
                   WHERE k ILIKE ${f} AND k <> ALL(${s})
                     AND COALESCE(a."oldValues"->k, 'null') IS DISTINCT FROM COALESCE(a."newValues"->k, 'null'))"#
        ));
    }
    (sql, params)
}

/// `%text%` with LIKE's own characters taken literally.
fn like(text: &str) -> String {
    let escaped = text
        .trim()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

fn params_ref(v: &[Box<dyn ToSql + Sync + Send>]) -> Vec<&(dyn ToSql + Sync)> {
    v.iter()
        .map(|p| p.as_ref() as &(dyn ToSql + Sync))
        .collect()
}

/// One page of the build's history, newest first (docs/audit.md §6.2): every branch reads at most one
/// page from its index, so a build with thousands of audit rows opens as fast as one with fifty.
pub async fn build_history(
    client: &impl Client,
    order_id: Uuid,
    q: &HistoryQuery,
) -> Result<AuditPage> {
    let (filters, extra) = history_filters(q);
    let mut params: Vec<Box<dyn ToSql + Sync + Send>> =
        vec![Box::new(order_id.to_string()), Box::new(order_id_tables())];
    params.extend(extra);
    let before = params.len() + 1;
    let limit = params.len() + 2;
    params.push(Box::new(q.before.unwrap_or(i64::MAX)));
    params.push(Box::new(q.limit.max(1) + 1));
    let branches = build_branches(
        r#"a."seq""#,
        &format!(r#" AND a."seq" < ${before}{filters} ORDER BY a."seq" DESC LIMIT ${limit}"#),
    );
    let sql = format!(
        r#"WITH page AS (SELECT "seq" FROM ({}) s ORDER BY "seq" DESC LIMIT ${limit})
           SELECT {COLUMNS} FROM page JOIN "AuditLog" a ON a."seq" = page."seq"
             LEFT JOIN "User" u ON u.id = a."userId"
            ORDER BY a."seq" DESC"#,
        branches.join(" UNION ALL ")
    );
    let entries: Vec<AuditEntry> = query_all(client, &sql, &params_ref(&params), entry).await?;
    Ok(page_of(entries, q.limit))
}

/// Splits the one extra row asked for off: it only tells that older rows remain.
fn page_of(mut entries: Vec<AuditEntry>, limit: i64) -> AuditPage {
    let limit = usize::try_from(limit.max(1)).unwrap_or(usize::MAX);
    let more = entries.len() > limit;
    entries.truncate(limit);
    AuditPage { entries, more }
}

/// The people in the build's history (the unattributed writes as one), by name.
pub async fn build_people(client: &impl Client, order_id: Uuid) -> Result<Vec<Person>> {
    let branches = build_branches(r#"DISTINCT a."userId""#, "");
    let sql = format!(
        r#"SELECT DISTINCT s."userId", u."fullName" FROM ({}) s LEFT JOIN "User" u ON u.id = s."userId"
            ORDER BY u."fullName" NULLS LAST"#,
        branches.join(" UNION ")
    );
    query_all(
        client,
        &sql,
        &[&order_id.to_string(), &order_id_tables()],
        |r| {
            let id: Option<Uuid> = r.col("userId")?;
            let name: Option<String> = r.col("fullName")?;
            Ok(Person {
                id,
                name: match (id, name) {
                    (None, _) => UNATTRIBUTED.to_string(),
                    (Some(id), None) => id.to_string(),
                    (Some(_), Some(n)) => n,
                },
            })
        },
    )
    .await
}

/// The build number of a build, if it exists.
pub async fn build_number(client: &impl Client, order_id: Uuid) -> Result<Option<String>> {
    crate::db::row::query_opt_col(
        client,
        r#"SELECT "buildNumber" FROM "ProductionOrder" WHERE id = $1"#,
        &[&order_id],
        "buildNumber",
    )
    .await
}

/// One page of the whole audit log matching the filter, newest first (docs/audit.md §6.4).
pub async fn log_page(client: &impl Client, q: &LogQuery) -> Result<AuditPage> {
    let f: &LogFilter = &q.filter;
    let text = |s: &str| (!s.is_empty()).then(|| s.to_string());
    let unattributed = f.user.eq_ignore_ascii_case(UNATTRIBUTED);
    let user = text(&f.user).filter(|_| !unattributed).map(|u| like(&u));
    let from = f.from.and_then(|d| d.and_hms_opt(0, 0, 0));
    let to =
        f.to.and_then(|d| d.succ_opt())
            .and_then(|d| d.and_hms_opt(0, 0, 0));
    let before = q.before.unwrap_or(i64::MAX);
    let limit = q.limit.max(1) + 1;
    let sql = format!(
        r#"SELECT {COLUMNS} FROM "AuditLog" a LEFT JOIN "User" u ON u.id = a."userId"
            WHERE a."seq" < $1
              AND ($2::text IS NULL OR u."username" ILIKE $2 OR u."fullName" ILIKE $2)
              AND (NOT $3 OR a."userId" IS NULL)
              AND ($4::text IS NULL OR lower(a."entityType") = lower($4))
              AND ($5::text IS NULL OR a."action" = $5)
              AND ($6::timestamp IS NULL OR a."timestamp" >= $6)
              AND ($7::timestamp IS NULL OR a."timestamp" < $7)
              AND ($8::text IS NULL OR a."entityId" = $8)
            ORDER BY a."seq" DESC LIMIT $9"#
    );
    let entries: Vec<AuditEntry> = query_all(
        client,
        &sql,
        &[
            &before,
            &user,
            &unattributed,
            &text(&f.table),
            &text(&f.action),
            &from,
            &to,
            &text(&f.entity),
            &limit,
        ],
        entry,
    )
    .await?;
    Ok(page_of(entries, q.limit))
}
