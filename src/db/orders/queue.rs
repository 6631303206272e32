//! The order queue: filters, keyset paging by any sort key, and its row shape.

use crate::db::Client;
use crate::db::row::{RowExt, query_opt_map};
use crate::domain::order::{DueFilter, OrderPage, OrderRow, OrderStatus, SortKey};
use crate::error::Result;
use tokio_postgres::Row;
use tokio_postgres::types::ToSql;
use uuid::Uuid;

use super::record::status_of;

/// What a queue page selects; the service derives it from the role and the screen's query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueFilter {
    /// The role's own statuses (MyWork); `None` for every status.
    pub statuses: Option<Vec<OrderStatus>>,
    /// Only builds assigned to this user or unassigned (the assembler's queue).
    pub mine_or_free: Option<Uuid>,
    pub status: Option<OrderStatus>,
    /// Trimmed search text; `None` for no search.
    pub search: Option<String>,
    pub due: DueFilter,
    pub sort: SortKey,
    pub descending: bool,
    pub after: Option<Cursor>,
    pub limit: u32,
    /// Only these builds: the rows a live event asks to re-read (docs/live.md §3.2).
    pub ids: Option<Vec<Uuid>>,
}

/// The position after a page's last row: its sort value (as text) and id. Tied to the sort it was made
/// for, so a cursor from another order is refused rather than misread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub sort: SortKey,
    pub descending: bool,
    pub id: Uuid,
    pub value: String,
}

fn sort_code(s: SortKey) -> &'static str {
    match s {
        SortKey::PoNumber => "po",
        SortKey::BuildNumber => "build",
        SortKey::Customer => "customer",
        SortKey::Model => "model",
        SortKey::Status => "status",
        SortKey::WantDate => "want",
        SortKey::Assignee => "assignee",
    }
}

impl Cursor {
    /// `v1|<sort>|<a|d>|<id>|<value>`; the value comes last so it may contain anything.
    pub fn encode(&self) -> String {
        format!(
            "v1|{}|{}|{}|{}",
            sort_code(self.sort),
            if self.descending { "d" } else { "a" },
            self.id,
            self.value
        )
    }

    pub fn decode(s: &str) -> Option<Cursor> {
        let mut parts = s.splitn(5, '|');
        if parts.next()? != "v1" {
            return None;
        }
        let code = parts.next()?;
        let sort = SortKey::ALL.into_iter().find(|k| sort_code(*k) == code)?;
        let descending = match parts.next()? {
            "a" => false,
            "d" => true,
            _ => return None,
        };
        let id = Uuid::parse_str(parts.next()?).ok()?;
        let value = parts.next()?.to_string();
        Some(Cursor {
            sort,
            descending,
            id,
            value,
        })
    }
}

/// A queue row's count of unresolved comments (docs/comments.md §6): read per row shown, through the
/// partial index of unresolved comments, so the page's keyset plan is unchanged.
macro_rules! open_comments_sql {
    () => {
        r#"(SELECT count(*) FROM "BuildComment" c
                        WHERE c."orderId" = po.id AND c."resolvedAt" IS NULL) AS "openComments", "#
    };
}

pub(crate) use open_comments_sql;

/// The queue statement for one sort: every filter is a parameter that is NULL (or 'ANY') when unused,
/// which each fresh custom plan folds away. The keyset condition compares (sort value, id) so the page
/// continues exactly after the cursor row, with `id` as the tie-breaker.
macro_rules! queue_sql {
    ($expr:literal, $cast:literal, $cmp:literal, $dir:literal) => {
        concat!(
            r#"SELECT po.id, po."poNumber", po."buildNumber", po."customerName", po."sinkModel",
                      po."orderStatus", po."wantDate", u."fullName" AS assignee,
                      (po."wantDate" - CURRENT_DATE) AS "daysLeft", "#,
            open_comments_sql!(),
            crate::db::holds::hold_reason_column!(),
            ", ",
            $expr,
            r#"::text AS "sortValue"
               FROM "ProductionOrder" po LEFT JOIN "User" u ON u.id = po."currentAssigneeId"
               WHERE ($1::"OrderStatus"[] IS NULL OR po."orderStatus" = ANY($1::"OrderStatus"[]))
                 AND ($2::uuid IS NULL OR po."currentAssigneeId" IS NULL OR po."currentAssigneeId" = $2::uuid)
                 AND ($3::"OrderStatus" IS NULL OR po."orderStatus" = $3::"OrderStatus")
                 AND ($4::text IS NULL OR po."poNumber" ILIKE $4::text OR po."buildNumber" ILIKE $4::text
                      OR po."customerName" ILIKE $4::text)
                 AND ($5::text = 'ANY'
                      OR ($5::text = 'OVERDUE' AND po."wantDate" < CURRENT_DATE
                          AND po."orderStatus" <> 'SHIPPED' AND po."orderStatus" <> 'CANCELLED')
                      OR ($5::text = 'DUE_SOON' AND po."wantDate" >= CURRENT_DATE
                          AND po."wantDate" <= CURRENT_DATE + 7 AND po."orderStatus" <> 'SHIPPED'
                          AND po."orderStatus" <> 'CANCELLED'))
                 AND ($9::uuid[] IS NULL OR po.id = ANY($9::uuid[]))
                 AND ($6::text IS NULL OR ("#,
            $expr,
            ", po.id) ",
            $cmp,
            " ($6::text",
            $cast,
            r#", $7::uuid))
               ORDER BY "#,
            $expr,
            " ",
            $dir,
            ", po.id ",
            $dir,
            " LIMIT $8"
        )
    };
}

/// The statement for `sort` in the given direction; each is a fixed text (no SQL is assembled).
fn queue_statement(sort: SortKey, descending: bool) -> &'static str {
    match (sort, descending) {
        (SortKey::PoNumber, false) => queue_sql!(r#"po."poNumber""#, "", ">", "ASC"),
        (SortKey::PoNumber, true) => queue_sql!(r#"po."poNumber""#, "", "<", "DESC"),
        (SortKey::BuildNumber, false) => queue_sql!(r#"po."buildNumber""#, "", ">", "ASC"),
        (SortKey::BuildNumber, true) => queue_sql!(r#"po."buildNumber""#, "", "<", "DESC"),
        (SortKey::Customer, false) => queue_sql!(r#"po."customerName""#, "", ">", "ASC"),
        (SortKey::Customer, true) => queue_sql!(r#"po."customerName""#, "", "<", "DESC"),
        (SortKey::Model, false) => queue_sql!(r#"po."sinkModel""#, "", ">", "ASC"),
        (SortKey::Model, true) => queue_sql!(r#"po."sinkModel""#, "", "<", "DESC"),
        (SortKey::Status, false) => {
            queue_sql!(r#"po."orderStatus""#, r#"::"OrderStatus""#, ">", "ASC")
        }
        (SortKey::Status, true) => {
            queue_sql!(r#"po."orderStatus""#, r#"::"OrderStatus""#, "<", "DESC")
        }
        (SortKey::WantDate, false) => queue_sql!(r#"po."wantDate""#, "::date", ">", "ASC"),
        (SortKey::WantDate, true) => queue_sql!(r#"po."wantDate""#, "::date", "<", "DESC"),
        (SortKey::Assignee, false) => {
            queue_sql!(r#"COALESCE(u."fullName", '')"#, "", ">", "ASC")
        }
        (SortKey::Assignee, true) => {
            queue_sql!(r#"COALESCE(u."fullName", '')"#, "", "<", "DESC")
        }
    }
}

fn due_code(d: DueFilter) -> &'static str {
    match d {
        DueFilter::Any => "ANY",
        DueFilter::Overdue => "OVERDUE",
        DueFilter::DueSoon => "DUE_SOON",
    }
}

/// `text` as an ILIKE substring pattern: its own `%`, `_` and `\` match literally.
pub fn like_pattern(text: &str) -> String {
    let mut p = String::with_capacity(text.len() + 2);
    p.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

pub(crate) fn queue_row(r: &Row) -> Result<OrderRow> {
    Ok(OrderRow {
        id: r.col("id")?,
        po_number: r.col("poNumber")?,
        build_number: r.col("buildNumber")?,
        customer_name: r.col("customerName")?,
        sink_model: r.col("sinkModel")?,
        status: status_of(r)?,
        want_date: r.col("wantDate")?,
        assignee: r.col("assignee")?,
        days_left: r.col("daysLeft")?,
        open_comments: r.col("openComments")?,
        hold: crate::db::holds::hold_reason_of(r)?,
    })
}

/// One page of a queue, and the cursor of the next page when there is one.
pub async fn queue(client: &impl Client, f: &QueueFilter) -> Result<OrderPage> {
    let limit = i64::from(f.limit.clamp(1, 500));
    let pattern = f.search.as_deref().map(like_pattern);
    let (after_value, after_id) = match &f.after {
        Some(c) => (Some(c.value.clone()), Some(c.id)),
        None => (None, None),
    };
    let fetch = limit + 1;
    let params: [&(dyn ToSql + Sync); 9] = [
        &f.statuses,
        &f.mine_or_free,
        &f.status,
        &pattern,
        &due_code(f.due),
        &after_value,
        &after_id,
        &fetch,
        &f.ids,
    ];
    let rows = client
        .fetch(queue_statement(f.sort, f.descending), &params)
        .await?;
    let more = rows.len() as i64 > limit;
    let mut out = Vec::with_capacity(rows.len());
    let mut next = None;
    for (i, r) in rows.iter().enumerate() {
        if i as i64 == limit {
            break;
        }
        let row = queue_row(r)?;
        if more && i as i64 == limit - 1 {
            next = Some(
                Cursor {
                    sort: f.sort,
                    descending: f.descending,
                    id: row.id,
                    value: r.col("sortValue")?,
                }
                .encode(),
            );
        }
        out.push(row);
    }
    Ok(OrderPage { rows: out, next })
}

/// One build as a queue row.
pub async fn row_by_id(client: &impl Client, id: Uuid) -> Result<Option<OrderRow>> {
    query_opt_map(
        client,
        concat!(
            r#"SELECT po.id, po."poNumber", po."buildNumber", po."customerName", po."sinkModel",
                      po."orderStatus", po."wantDate", u."fullName" AS assignee,
                      (po."wantDate" - CURRENT_DATE) AS "daysLeft", "#,
            open_comments_sql!(),
            crate::db::holds::hold_reason_column!(),
            r#"
               FROM "ProductionOrder" po LEFT JOIN "User" u ON u.id = po."currentAssigneeId"
               WHERE po.id = $1"#
        ),
        &[&id],
        queue_row,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trip_keeps_any_value() {
        for sort in SortKey::ALL {
            for descending in [false, true] {
                let c = Cursor {
                    sort,
                    descending,
                    id: Uuid::from_u128(7),
                    value: "St. Mary | Hospital|x".into(),
                };
                assert_eq!(Cursor::decode(&c.encode()), Some(c));
            }
        }
        assert_eq!(Cursor::decode("v2|want|a|x|y"), None);
        assert_eq!(Cursor::decode("v1|want|a|not-a-uuid|y"), None);
        assert_eq!(Cursor::decode("garbage"), None);
    }

    #[test]
    fn like_pattern_escapes_wildcards() {
        assert_eq!(like_pattern("acme"), "%acme%");
        assert_eq!(like_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
    }

    #[test]
    fn every_sort_has_its_own_statement() {
        let mut seen = std::collections::HashSet::new();
        for sort in SortKey::ALL {
            for d in [false, true] {
                let sql = queue_statement(sort, d);
                assert!(seen.insert(sql));
                assert!(sql.contains(if d { "DESC" } else { "ASC" }));
            }
        }
    }
}
