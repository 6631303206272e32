//! The reports' figures (docs/reports.md §3): one set-based statement per report, returning the rows
//! that `domain::report_figures` shapes into a table and a chart. Each takes the period as its first
//! day and the day after its last (`end`, excluded), and leaves cancelled builds out (statuses are
//! compared as text, so the statements read the same with or without a CANCELLED status).

use crate::db::Client;
use crate::db::row::{RowExt, query_all};
use crate::domain::report_figures::{
    AssemblerRow, OnTimeWeek, RejectionRow, StageRow, WeekCount, WipRow, YieldRow,
};
use crate::error::Result;
use chrono::NaiveDate;

/// The hold time of build `$order` within the span from `$started` to `$ended`, as an interval (zero
/// when none): a look-up in the holds of a build that ever had one (few have; the others are told by one
/// hashed set), no grouping of the spans; an open hold counts up to now, as in the "BuildHoldTime" view
/// (docs/reports.md §3.3).
macro_rules! held_within {
    ($order:literal, $started:literal, $ended:literal) => {
        concat!(
            r#"CASE WHEN "#,
            $order,
            r#" IN (SELECT h."orderId" FROM "BuildHold" h) THEN
               (SELECT COALESCE(sum(GREATEST(interval '0', LEAST("#,
            $ended,
            r#", COALESCE(b."releasedAt", LOCALTIMESTAMP)) - GREATEST("#,
            $started,
            r#", b."placedAt"))), interval '0')
                 FROM "BuildHold" b WHERE b."orderId" = "#,
            $order,
            r#" AND b."placedAt" < "#,
            $ended,
            r#" AND COALESCE(b."releasedAt", LOCALTIMESTAMP) > "#,
            $started,
            r#") ELSE interval '0' END"#
        )
    };
}

/// Settles how the report's transaction runs (docs/reports.md §7.1): without JIT compilation, which
/// costs a report's statement more than it saves (the planner's estimate of its correlated look-ups
/// sets it off), and with room to sort a quarter's records in memory.
pub async fn settle(tx: &crate::db::Transaction<'_>) -> Result<()> {
    tx.exec("SET LOCAL jit = off", &[]).await?;
    tx.exec("SET LOCAL work_mem = '32MB'", &[]).await?;
    Ok(())
}

/// The builds that are cancelled, as a subquery for `NOT IN`: the status is found by its label, so the
/// statement reads the same with or without a CANCELLED status, and the few cancelled builds come from
/// the status index rather than a scan of every build (docs/reports.md §3.0).
macro_rules! cancelled {
    () => {
        r#"(SELECT c.id FROM unnest(enum_range(NULL::"OrderStatus")) s
               JOIN "ProductionOrder" c ON c."orderStatus" = s WHERE s::text = 'CANCELLED')"#
    };
}

/// §3.1: builds shipped per ISO week, for the weeks starting `first` to `last` (Mondays), every week
/// listed even when nothing shipped.
pub async fn throughput(
    client: &impl Client,
    first: NaiveDate,
    last: NaiveDate,
) -> Result<Vec<WeekCount>> {
    query_all(
        client,
        concat!(
            r#"WITH weeks AS (
                   SELECT generate_series($1::date, $2::date, interval '1 week')::date AS week
               ), shipped AS (
                   SELECT date_trunc('week', min(h."timestamp"))::date AS week
                     FROM "OrderStatusHistory" h
                    WHERE h."newStatus" = 'SHIPPED' AND h."oldStatus" IS DISTINCT FROM 'SHIPPED'
                      AND h."timestamp" >= $1::date AND h."timestamp" < $2::date + 7
                      AND h."orderId" NOT IN "#,
            cancelled!(),
            r#"
                    GROUP BY h."orderId"
               )
               SELECT w.week, count(s.week) AS shipped
                 FROM weeks w LEFT JOIN shipped s ON s.week = w.week
                GROUP BY w.week
                ORDER BY w.week"#
        ),
        &[&first, &last],
        |r| {
            Ok(WeekCount {
                week: r.col("week")?,
                shipped: r.col("shipped")?,
            })
        },
    )
    .await
}

/// §3.2: the builds in each status that is neither SHIPPED nor CANCELLED, now, in the order of the flow.
pub async fn work_in_progress(client: &impl Client) -> Result<Vec<WipRow>> {
    query_all(
        client,
        r#"SELECT s.status::text AS status, count(o.id) AS builds, count(b.id) AS "onHold",
                  (max(extract(epoch FROM LOCALTIMESTAMP - o."createdAt")) / 86400)::float8 AS "oldestDays",
                  (avg(extract(epoch FROM LOCALTIMESTAMP - o."createdAt")) / 86400)::float8 AS "averageDays"
             FROM unnest(enum_range(NULL::"OrderStatus")) AS s(status)
             LEFT JOIN "ProductionOrder" o ON o."orderStatus" = s.status
             LEFT JOIN "BuildHold" b ON b."orderId" = o.id AND b."releasedAt" IS NULL
            WHERE s.status::text NOT IN ('SHIPPED', 'CANCELLED')
            GROUP BY s.status
            ORDER BY s.status"#,
        &[],
        |r| {
            Ok(WipRow {
                status: r.col("status")?,
                builds: r.col("builds")?,
                on_hold: r.col("onHold")?,
                oldest_days: r.col("oldestDays")?,
                average_days: r.col("averageDays")?,
            })
        },
    )
    .await
}

/// §3.3: the stages left from `from` up to `end`, per status: median and p90 in hours with the hold
/// time within each stage subtracted.
pub async fn cycle_time(
    client: &impl Client,
    from: NaiveDate,
    end: NaiveDate,
) -> Result<Vec<StageRow>> {
    query_all(
        client,
        concat!(
            r#"WITH inside AS (
                   SELECT h."orderId", h."newStatus" AS status, h."timestamp" AS at, h.id
                     FROM "OrderStatusHistory" h
                    WHERE h."timestamp" >= $1::date AND h."timestamp" < $2::date
                      AND h."newStatus" IS DISTINCT FROM h."oldStatus"
               ), before AS (
                   SELECT p.* FROM (SELECT DISTINCT "orderId" FROM inside) o
                   CROSS JOIN LATERAL (
                       SELECT h."orderId", h."newStatus" AS status, h."timestamp" AS at, h.id
                         FROM "OrderStatusHistory" h
                        WHERE h."orderId" = o."orderId" AND h."timestamp" < $1::date
                          AND h."newStatus" IS DISTINCT FROM h."oldStatus"
                        ORDER BY h."timestamp" DESC, h.id DESC
                        LIMIT 1) p
               ), moves AS (
                   SELECT "orderId", status, at AS entered,
                          lead(at) OVER (PARTITION BY "orderId" ORDER BY at, id) AS "left"
                     FROM (SELECT * FROM inside UNION ALL SELECT * FROM before) m
               ), stages AS MATERIALIZED (
                   SELECT m.*, "#,
            held_within!(r#"m."orderId""#, r#"m.entered"#, r#"m."left""#),
            r#" AS held
                     FROM moves m
                    WHERE m."left" >= $1::date AND m."left" < $2::date
                      AND m."orderId" NOT IN "#,
            cancelled!(),
            r#"
               )
               SELECT status::text AS status, stages, p[1] AS median, p[2] AS p90, held
                 FROM (SELECT status, count(*) AS stages,
                              percentile_cont(ARRAY[0.5, 0.9]::float8[]) WITHIN GROUP
                                  (ORDER BY (extract(epoch FROM "left" - entered - held) / 3600)::float8) AS p,
                              (extract(epoch FROM sum(held)) / 3600)::float8 AS held
                         FROM stages
                        GROUP BY stages.status) f
                ORDER BY f.status"#
        ),
        &[&from, &end],
        |r| {
            Ok(StageRow {
                status: r.col("status")?,
                stages: r.col("stages")?,
                median_hours: r.col("median")?,
                p90_hours: r.col("p90")?,
                held_hours: r.col("held")?,
            })
        },
    )
    .await
}

/// §3.4: per ISO week that overlaps `from` up to `end`, the builds shipped then, those shipped on or
/// before their want date, and the average days late of the others.
pub async fn on_time(
    client: &impl Client,
    from: NaiveDate,
    end: NaiveDate,
) -> Result<Vec<OnTimeWeek>> {
    query_all(
        client,
        concat!(
            r#"WITH weeks AS (
               SELECT generate_series(date_trunc('week', $1::date), $2::date - 1, interval '1 week')::date AS week
           ), shipped AS (
               SELECT min(h."timestamp")::date AS day, min(o."wantDate") AS want
                 FROM "OrderStatusHistory" h
                 JOIN "ProductionOrder" o ON o.id = h."orderId"
                WHERE h."newStatus" = 'SHIPPED' AND h."oldStatus" IS DISTINCT FROM 'SHIPPED'
                  AND h."timestamp" >= $1::date AND h."timestamp" < $2::date
                  AND h."orderId" NOT IN "#,
            cancelled!(),
            r#"
                GROUP BY h."orderId"
           )
           SELECT w.week, count(s.day) AS shipped,
                  count(s.day) FILTER (WHERE s.day <= s.want) AS "onTime",
                  (avg(s.day - s.want) FILTER (WHERE s.day > s.want))::float8 AS "daysLate"
             FROM weeks w LEFT JOIN shipped s ON date_trunc('week', s.day)::date = w.week
            GROUP BY w.week
            ORDER BY w.week"#
        ),
        &[&from, &end],
        |r| {
            Ok(OnTimeWeek {
                week: r.col("week")?,
                shipped: r.col("shipped")?,
                on_time: r.col("onTime")?,
                average_days_late: r.col("daysLate")?,
            })
        },
    )
    .await
}

/// §3.5: each build's first submitted Pre-QC, Final QC and testing result, where it falls from `from`
/// up to `end`: how many, and how many passed.
pub async fn first_pass_yield(
    client: &impl Client,
    from: NaiveDate,
    end: NaiveDate,
) -> Result<Vec<YieldRow>> {
    query_all(
        client,
        concat!(
            r#"WITH firsts AS (
                   SELECT r."qcTypePerformed"::text AS "check", r."overallStatus"::text AS status
                     FROM "QCResult" r
                    WHERE r."overallStatus" <> 'INCOMPLETE'
                      AND r."timestamp" >= $1::date AND r."timestamp" < $2::date
                      AND r.id = (SELECT e.id FROM "QCResult" e
                                   WHERE e."orderId" = r."orderId" AND e."qcTypePerformed" = r."qcTypePerformed"
                                     AND e."overallStatus" <> 'INCOMPLETE'
                                   ORDER BY e."timestamp", e.id
                                   LIMIT 1)
                      AND r."orderId" NOT IN "#,
            cancelled!(),
            r#"
                   UNION ALL
                   SELECT 'TESTING', f."overallStatus"::text
                     FROM "TestingForm" f
                    WHERE f."overallStatus" <> 'INCOMPLETE'
                      AND f."timestamp" >= $1::date AND f."timestamp" < $2::date
                      AND f.id = (SELECT e.id FROM "TestingForm" e
                                   WHERE e."orderId" = f."orderId" AND e."overallStatus" <> 'INCOMPLETE'
                                   ORDER BY e."timestamp", e.id
                                   LIMIT 1)
                      AND f."orderId" NOT IN "#,
            cancelled!(),
            r#"
               )
           SELECT c."check", count(f."check") AS "firstAttempts",
                  count(f."check") FILTER (WHERE f.status = 'PASS') AS passed
             FROM (VALUES ('PRE_QC', 1), ('FINAL_QC', 2), ('TESTING', 3)) AS c("check", n)
             LEFT JOIN firsts f ON f."check" = c."check"
            GROUP BY c."check", c.n
            ORDER BY c.n"#
        ),
        &[&from, &end],
        |r| {
            Ok(YieldRow {
                check: r.col("check")?,
                first_attempts: r.col("firstAttempts")?,
                passed: r.col("passed")?,
            })
        },
    )
    .await
}

/// §3.6: the ten checklist items most often answered non-conforming and the ten rejection reasons most
/// often named, in the QC results submitted from `from` up to `end`.
pub async fn rejections(
    client: &impl Client,
    from: NaiveDate,
    end: NaiveDate,
) -> Result<Vec<RejectionRow>> {
    query_all(
        client,
        concat!(
            r#"WITH results AS NOT MATERIALIZED (
               SELECT r.id FROM "QCResult" r
                WHERE r."overallStatus" = 'FAIL'
                  AND r."timestamp" >= $1::date AND r."timestamp" < $2::date
                  AND r."orderId" NOT IN "#,
            cancelled!(),
            r#"
           ), answers AS (
               SELECT a."qcResultId", i."itemDescription",
                      COALESCE(NULLIF(i."rules" ->> 'code', ''), i."itemDescription") AS code,
                      i."checkType", btrim(a."resultValue") AS value, i."rules"
                 FROM results r
                 JOIN "QCItemResult" a ON a."qcResultId" = r.id
                 JOIN "QCChecklistItem" i ON i.id = a."checklistItemId"
                WHERE NOT COALESCE(a."isNA", false)
           ), measured AS (
               SELECT a.*, CASE WHEN a."checkType" = 'MEASUREMENT'
                                 AND a.value ~ '^[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)$'
                                THEN a.value::numeric END AS number
                 FROM answers a
           ), items AS (
               SELECT code, max("itemDescription") AS text, count(DISTINCT "qcResultId") AS results
                 FROM measured
                WHERE ("checkType" IN ('BOOLEAN', 'N_A_OPTION') AND value = 'NO')
                   OR number < ("rules" ->> 'min')::numeric
                   OR number > ("rules" ->> 'max')::numeric
                GROUP BY code
                ORDER BY results DESC, code
                LIMIT 10
           ), reasons AS (
               SELECT q."code", max(q."text") AS text, count(DISTINCT x."qcResultId") AS results
                 FROM results r
                 JOIN "QCResultRejection" x ON x."qcResultId" = r.id
                 JOIN "QCRejectionReason" q ON q.id = x."reasonId"
                GROUP BY q."code"
                ORDER BY results DESC, q."code"
                LIMIT 10
           )
           SELECT kind, code, text, results FROM (
               SELECT 'item' AS kind, code, text, results FROM items
               UNION ALL
               SELECT 'reason', code::text, text::text, results FROM reasons
           ) t
           ORDER BY kind = 'reason', results DESC, code"#
        ),
        &[&from, &end],
        |r| {
            Ok(RejectionRow {
                kind: r.col("kind")?,
                code: r.col("code")?,
                text: r.col("text")?,
                results: r.col("results")?,
            })
        },
    )
    .await
}

/// §3.7: per assembler, the tasks completed from `from` up to `end`, their estimates, and the time
/// measured for each: from the later of the previous completion on the same task list and the build's
/// latest entry into READY_FOR_PRODUCTION, to this completion, less the hold time in between.
pub async fn assemblers(
    client: &impl Client,
    from: NaiveDate,
    end: NaiveDate,
) -> Result<Vec<AssemblerRow>> {
    query_all(
        client,
        concat!(
            r#"WITH inside AS (
                   SELECT t.id, t."taskListId", t."completedBy", t."completedAt", t."estimatedTime",
                          t."sequenceOrder"
                     FROM "Task" t
                    WHERE t."isCompleted" AND t."completedAt" >= $1::date AND t."completedAt" < $2::date
               ), lists AS MATERIALIZED (
                   SELECT l.id AS "taskListId", l."orderId",
                          (SELECT max(p."completedAt") FROM "Task" p
                            WHERE p."taskListId" = l.id AND p."isCompleted" AND p."completedAt" < $1::date)
                              AS before,
                          ARRAY(SELECT h."timestamp" FROM "OrderStatusHistory" h
                                 WHERE h."orderId" = l."orderId" AND h."newStatus" = 'READY_FOR_PRODUCTION'
                                   AND h."oldStatus" IS DISTINCT FROM h."newStatus"
                                   AND h."timestamp" < $2::date
                                 ORDER BY h."timestamp") AS entries
                     FROM "TaskList" l
                    WHERE l.id IN (SELECT "taskListId" FROM inside)
                      AND l."orderId" NOT IN "#,
            cancelled!(),
            r#"
               ), started AS MATERIALIZED (
                   SELECT i.id, i."completedBy", i."completedAt", i."estimatedTime", l."orderId",
                          GREATEST(COALESCE(lag(i."completedAt") OVER (PARTITION BY i."taskListId"
                                                                      ORDER BY i."completedAt", i."sequenceOrder"),
                                            l.before),
                                   CASE WHEN l.entries[cardinality(l.entries)] <= i."completedAt"
                                        THEN l.entries[cardinality(l.entries)]
                                        ELSE (SELECT max(e) FROM unnest(l.entries) e
                                               WHERE e <= i."completedAt") END)
                              AS started
                     FROM inside i
                     JOIN lists l USING ("taskListId")
               ), measured AS MATERIALIZED (
                   SELECT s.id, s."completedBy", s."estimatedTime",
                          CASE WHEN s.started IS NOT NULL THEN
                              extract(epoch FROM s."completedAt" - s.started - "#,
            held_within!(r#"s."orderId""#, r#"s.started"#, r#"s."completedAt""#),
            r#") / 60 END AS minutes
                     FROM started s
               ), timed AS (
                   SELECT m.*, m.minutes IS NOT NULL AND m."estimatedTime" IS NOT NULL AS timed
                     FROM measured m
               )
               SELECT COALESCE(NULLIF(u."fullName", ''), u."username") AS name,
                      COALESCE(u."initials", '') AS initials,
                      count(*) AS tasks,
                      count(*) FILTER (WHERE t.timed) AS timed,
                      COALESCE(sum(t."estimatedTime"), 0)::bigint AS estimated,
                      COALESCE(sum(t."estimatedTime") FILTER (WHERE t.timed), 0)::bigint AS "timedEstimate",
                      COALESCE(sum(t.minutes) FILTER (WHERE t.timed), 0)::float8 AS actual
                 FROM timed t JOIN "User" u ON u.id = t."completedBy"
                GROUP BY u.id, u."fullName", u."username", u."initials"
                ORDER BY name, u.id"#
        ),
        &[&from, &end],
        |r| {
            Ok(AssemblerRow {
                name: r.col("name")?,
                initials: r.col("initials")?,
                tasks: r.col("tasks")?,
                timed: r.col("timed")?,
                estimated_minutes: r.col("estimated")?,
                timed_estimate_minutes: r.col("timedEstimate")?,
                actual_minutes: r.col("actual")?,
            })
        },
    )
    .await
}
