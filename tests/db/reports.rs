//! Production reports (docs/reports.md §3): every figure of every report over a small plant built by
//! hand, each expected number worked out in the comments; who may read them; the CSV file; the
//! reporting connection.

use crate::floor::Floor;
use chrono::NaiveDate;
use cleanstation::domain::Role;
use cleanstation::domain::report::{Cell, Chart, Period, PeriodKind, ReportData, ReportKind};
use cleanstation::error::ServiceError;
use cleanstation::msg::{Reply, Request};
use cleanstation::service::ServiceCtx;

/// November 2026 (1–30 Nov; 2 Nov is a Monday).
fn november() -> Period {
    Period::containing(
        PeriodKind::Month,
        NaiveDate::from_ymd_opt(2026, 11, 15).expect("date"),
    )
}

/// The plant, written as the owner with the triggers off (answers and reasons go straight onto
/// submitted results; history at chosen times):
///
/// - A: shipped 6 Nov 10:00, wanted 10 Nov (on time). Stages: ORDER_CREATED 10 h, PARTS_SENT 14 h,
///   READY_FOR_PRE_QC 4 h, READY_FOR_PRODUCTION 48 h less a 10 h hold = 38 h (a row from and to
///   READY_FOR_PRODUCTION on 4 Nov is no move), TESTING_COMPLETE 2 h, PACKAGING_COMPLETE 1 h,
///   READY_FOR_FINAL_QC 18 h, READY_FOR_SHIP 1 h.
/// - B: shipped 12 Nov 09:00, wanted 9 Nov (3 days late); Final QC failed once. Stages: ORDER_CREATED
///   24 h, PARTS_SENT 24 h, READY_FOR_PRE_QC 2 h, READY_FOR_PRODUCTION 48 h and 24 h, TESTING_COMPLETE
///   1 h and 1 h, PACKAGING_COMPLETE 1 h and 1 h, READY_FOR_FINAL_QC 72 h and 24 h, READY_FOR_SHIP 18 h.
/// - C: shipped 20 Oct (outside November; in the throughput's 26 weeks).
/// - D: cancelled after 24 h in ORDER_CREATED, with a failed Pre-QC: left out everywhere.
/// - E: in READY_FOR_PRODUCTION since 18 Nov 12:00, on hold since 20 Nov, created 10 days ago. Stages:
///   ORDER_CREATED 4 h, PARTS_SENT 24 h, READY_FOR_PRE_QC 24 h. Its first Pre-QC (FAIL) was on 28 Oct.
/// - F: in PARTS_SENT, created 4 days ago.
const PLANT: &str = r#"
SET session_replication_role = replica;
INSERT INTO "ProductionOrder" (id, "poNumber", "buildNumber", "customerName", "salesPerson", "wantDate",
       "sinkFamily", "sinkModel", "sinkWidth", "sinkLength", "legsType", "legsModel", "feetType",
       "workflowDirection", "orderStatus", "createdAt")
SELECT v.id::uuid, 'PO-R', v.build, 'Customer', 'Sales', v.want::date, 'MDRD', 'T2-B1', 30, 60,
       'HEIGHT_ADJUSTABLE', 'DL27', 'LOCK_LEVELING_CASTERS', 'LEFT_TO_RIGHT', v.status::"OrderStatus",
       LOCALTIMESTAMP - make_interval(days => v.age)
  FROM (VALUES ('00000000-0000-0000-0000-00000000000a', 'R-A', '2026-11-10', 'SHIPPED', 40),
               ('00000000-0000-0000-0000-00000000000b', 'R-B', '2026-11-09', 'SHIPPED', 40),
               ('00000000-0000-0000-0000-00000000000c', 'R-C', '2026-10-30', 'SHIPPED', 80),
               ('00000000-0000-0000-0000-00000000000d', 'R-D', '2026-12-30', 'CANCELLED', 40),
               ('00000000-0000-0000-0000-00000000000e', 'R-E', '2026-12-20', 'READY_FOR_PRODUCTION', 10),
               ('00000000-0000-0000-0000-00000000000f', 'R-F', '2026-12-20', 'PARTS_SENT', 4))
       AS v(id, build, want, status, age);

INSERT INTO "OrderStatusHistory" ("orderId", "userId", "action", "oldStatus", "newStatus", "timestamp")
SELECT ('00000000-0000-0000-0000-00000000000' || v.b)::uuid,
       (SELECT id FROM "User" WHERE username = 'coordinator'), 'move',
       v.old::"OrderStatus", v.new::"OrderStatus", v.at::timestamp
  FROM (VALUES
    ('a', NULL, 'ORDER_CREATED', '2026-11-02 08:00'),
    ('a', 'ORDER_CREATED', 'PARTS_SENT', '2026-11-02 18:00'),
    ('a', 'PARTS_SENT', 'READY_FOR_PRE_QC', '2026-11-03 08:00'),
    ('a', 'READY_FOR_PRE_QC', 'READY_FOR_PRODUCTION', '2026-11-03 12:00'),
    ('a', 'READY_FOR_PRODUCTION', 'READY_FOR_PRODUCTION', '2026-11-04 12:00'),
    ('a', 'READY_FOR_PRODUCTION', 'TESTING_COMPLETE', '2026-11-05 12:00'),
    ('a', 'TESTING_COMPLETE', 'PACKAGING_COMPLETE', '2026-11-05 14:00'),
    ('a', 'PACKAGING_COMPLETE', 'READY_FOR_FINAL_QC', '2026-11-05 15:00'),
    ('a', 'READY_FOR_FINAL_QC', 'READY_FOR_SHIP', '2026-11-06 09:00'),
    ('a', 'READY_FOR_SHIP', 'SHIPPED', '2026-11-06 10:00'),
    ('b', NULL, 'ORDER_CREATED', '2026-11-02 09:00'),
    ('b', 'ORDER_CREATED', 'PARTS_SENT', '2026-11-03 09:00'),
    ('b', 'PARTS_SENT', 'READY_FOR_PRE_QC', '2026-11-04 09:00'),
    ('b', 'READY_FOR_PRE_QC', 'READY_FOR_PRODUCTION', '2026-11-04 11:00'),
    ('b', 'READY_FOR_PRODUCTION', 'TESTING_COMPLETE', '2026-11-06 11:00'),
    ('b', 'TESTING_COMPLETE', 'PACKAGING_COMPLETE', '2026-11-06 12:00'),
    ('b', 'PACKAGING_COMPLETE', 'READY_FOR_FINAL_QC', '2026-11-06 13:00'),
    ('b', 'READY_FOR_FINAL_QC', 'READY_FOR_PRODUCTION', '2026-11-09 13:00'),
    ('b', 'READY_FOR_PRODUCTION', 'TESTING_COMPLETE', '2026-11-10 13:00'),
    ('b', 'TESTING_COMPLETE', 'PACKAGING_COMPLETE', '2026-11-10 14:00'),
    ('b', 'PACKAGING_COMPLETE', 'READY_FOR_FINAL_QC', '2026-11-10 15:00'),
    ('b', 'READY_FOR_FINAL_QC', 'READY_FOR_SHIP', '2026-11-11 15:00'),
    ('b', 'READY_FOR_SHIP', 'SHIPPED', '2026-11-12 09:00'),
    ('c', NULL, 'ORDER_CREATED', '2026-10-01 08:00'),
    ('c', 'READY_FOR_FINAL_QC', 'READY_FOR_SHIP', '2026-10-19 10:00'),
    ('c', 'READY_FOR_SHIP', 'SHIPPED', '2026-10-20 10:00'),
    ('d', NULL, 'ORDER_CREATED', '2026-11-02 08:00'),
    ('d', 'ORDER_CREATED', 'CANCELLED', '2026-11-03 08:00'),
    ('e', NULL, 'ORDER_CREATED', '2026-11-16 08:00'),
    ('e', 'ORDER_CREATED', 'PARTS_SENT', '2026-11-16 12:00'),
    ('e', 'PARTS_SENT', 'READY_FOR_PRE_QC', '2026-11-17 12:00'),
    ('e', 'READY_FOR_PRE_QC', 'READY_FOR_PRODUCTION', '2026-11-18 12:00'),
    ('f', NULL, 'ORDER_CREATED', '2026-12-01 08:00')) AS v(b, old, new, at);

INSERT INTO "BuildHold" ("orderId", "reason", "note", "placedBy", "placedAt", "releasedBy", "releasedAt")
SELECT v.o::uuid, 'OTHER', 'test', u.id, v.placed::timestamp, CASE WHEN v.released IS NOT NULL THEN u.id END,
       v.released::timestamp
  FROM (VALUES ('00000000-0000-0000-0000-00000000000a', '2026-11-04 00:00', '2026-11-04 10:00'),
               ('00000000-0000-0000-0000-00000000000e', '2026-11-20 08:00', NULL)) AS v(o, placed, released),
       "User" u WHERE u.username = 'coordinator';

INSERT INTO "QCFormTemplate" (id, "formName", "formType", "version")
VALUES ('00000000-0000-0000-0000-0000000000f1', 'Report test form', 'PRE_QC', 1);
INSERT INTO "QCChecklistItem" (id, "templateId", "section", "itemDescription", "checkType", "sequenceOrder", "rules")
VALUES ('00000000-0000-0000-0000-0000000001a1', '00000000-0000-0000-0000-0000000000f1', 'S', 'Welds clean', 'BOOLEAN', 1, '{"code": "T-1"}'),
       ('00000000-0000-0000-0000-0000000001a2', '00000000-0000-0000-0000-0000000000f1', 'S', 'Basin depth', 'MEASUREMENT', 2, '{"code": "T-2", "min": 10, "max": "20"}'),
       ('00000000-0000-0000-0000-0000000001a3', '00000000-0000-0000-0000-0000000000f1', 'S', 'Light works', 'N_A_OPTION', 3, '{"code": "T-3"}');

INSERT INTO "QCResult" (id, "orderId", "buildNumber", "templateId", "qcTypePerformed", "performedBy", "jobId",
       "overallStatus", "digitalSignature", "timestamp", "notes")
SELECT v.id::uuid, ('00000000-0000-0000-0000-00000000000' || v.b)::uuid, 'R', '00000000-0000-0000-0000-0000000000f1',
       v.type::"QCFormType", u.id, CASE WHEN v.status <> 'INCOMPLETE' THEN 'J' END, v.status::"QCResultStatus",
       CASE WHEN v.status <> 'INCOMPLETE' THEN 'sig' ELSE '' END, v.at::timestamp,
       CASE WHEN v.status = 'FAIL' THEN 'failed' END
  FROM (VALUES
    ('00000000-0000-0000-0000-000000000a01', 'a', 'PRE_QC', 'PASS', '2026-11-03 11:00'),
    ('00000000-0000-0000-0000-000000000a02', 'a', 'FINAL_QC', 'PASS', '2026-11-06 08:00'),
    ('00000000-0000-0000-0000-000000000b01', 'b', 'PRE_QC', 'FAIL', '2026-11-04 10:00'),
    ('00000000-0000-0000-0000-000000000b02', 'b', 'PRE_QC', 'PASS', '2026-11-04 10:30'),
    ('00000000-0000-0000-0000-000000000b03', 'b', 'FINAL_QC', 'FAIL', '2026-11-09 12:00'),
    ('00000000-0000-0000-0000-000000000b04', 'b', 'FINAL_QC', 'PASS', '2026-11-11 14:00'),
    ('00000000-0000-0000-0000-000000000c01', 'c', 'FINAL_QC', 'FAIL', '2026-10-18 10:00'),
    ('00000000-0000-0000-0000-000000000d01', 'd', 'PRE_QC', 'FAIL', '2026-11-03 07:00'),
    ('00000000-0000-0000-0000-000000000e01', 'e', 'PRE_QC', 'FAIL', '2026-10-28 10:00'),
    ('00000000-0000-0000-0000-000000000e02', 'e', 'PRE_QC', 'PASS', '2026-11-18 11:00'),
    ('00000000-0000-0000-0000-000000000e03', 'e', 'FINAL_QC', 'INCOMPLETE', '2026-11-19 11:00'))
    AS v(id, b, type, status, at), "User" u WHERE u.username = 'inspector';

INSERT INTO "QCItemResult" ("qcResultId", "checklistItemId", "resultValue", "isNA")
SELECT v.r::uuid, ('00000000-0000-0000-0000-0000000001a' || v.i)::uuid, v.value, v.na
  FROM (VALUES
    ('00000000-0000-0000-0000-000000000a01', '1', 'YES', false),
    ('00000000-0000-0000-0000-000000000a01', '2', '10', false),
    ('00000000-0000-0000-0000-000000000a01', '3', 'YES', false),
    ('00000000-0000-0000-0000-000000000b01', '1', 'NO', false),
    ('00000000-0000-0000-0000-000000000b01', '2', '15', false),
    ('00000000-0000-0000-0000-000000000b01', '3', NULL, true),
    ('00000000-0000-0000-0000-000000000b03', '1', 'NO', false),
    ('00000000-0000-0000-0000-000000000b03', '2', '25', false),
    ('00000000-0000-0000-0000-000000000b03', '3', 'NO', false),
    ('00000000-0000-0000-0000-000000000c01', '2', '5', false),
    ('00000000-0000-0000-0000-000000000d01', '1', 'NO', false),
    ('00000000-0000-0000-0000-000000000e02', '2', 'n/a?', false),
    ('00000000-0000-0000-0000-000000000e03', '1', 'NO', false)) AS v(r, i, value, na);

INSERT INTO "QCResultRejection" ("qcResultId", "reasonId")
SELECT v.r::uuid, q.id
  FROM (VALUES ('00000000-0000-0000-0000-000000000b01', 'FINISH'),
               ('00000000-0000-0000-0000-000000000b03', 'WELD'),
               ('00000000-0000-0000-0000-000000000b03', 'FINISH'),
               ('00000000-0000-0000-0000-000000000c01', 'WELD'),
               ('00000000-0000-0000-0000-000000000d01', 'LEAK'),
               ('00000000-0000-0000-0000-000000000e03', 'LEAK')) AS v(r, code)
  JOIN "QCRejectionReason" q ON q.code = v.code;

INSERT INTO "TestingForm" ("orderId", "performedBy", "overallStatus", "timestamp")
SELECT ('00000000-0000-0000-0000-00000000000' || v.b)::uuid, u.id, v.status::"TestingStatus", v.at::timestamp
  FROM (VALUES ('a', 'PASS', '2026-11-05 11:00'), ('b', 'PASS', '2026-11-06 10:00'),
               ('b', 'PASS', '2026-11-10 12:00'), ('c', 'FAIL', '2026-11-02 10:00'),
               ('c', 'FAIL', '2026-10-15 10:00'), ('e', 'INCOMPLETE', '2026-11-19 10:00'))
       AS v(b, status, at), "User" u WHERE u.username = 'assembler';

INSERT INTO "TaskList" (id, "orderId", "assemblyType")
VALUES ('00000000-0000-0000-0000-00000000021a', '00000000-0000-0000-0000-00000000000a', 'SIMPLE'),
       ('00000000-0000-0000-0000-00000000021b', '00000000-0000-0000-0000-00000000000b', 'SIMPLE'),
       ('00000000-0000-0000-0000-00000000021c', '00000000-0000-0000-0000-00000000000c', 'SIMPLE'),
       ('00000000-0000-0000-0000-00000000021e', '00000000-0000-0000-0000-00000000000e', 'SIMPLE');
INSERT INTO "Task" ("taskListId", "sequenceOrder", "description", "estimatedTime", "isCompleted",
       "completedAt", "completedBy")
SELECT ('00000000-0000-0000-0000-00000000021' || v.l)::uuid, v.seq, 'task', v.est, v.at IS NOT NULL,
       v.at::timestamp, (SELECT id FROM "User" WHERE username = v.who)
  FROM (VALUES ('a', 1, 60, '2026-11-03 14:00', 'assembler'),
               ('a', 2, 120, '2026-11-04 14:00', 'assembler'),
               ('a', 3, NULL, '2026-11-05 08:00', 'assembler'),
               ('a', 4, 30, NULL, NULL),
               ('b', 1, 90, '2026-11-04 12:30', 'admin'),
               ('b', 2, 60, '2026-11-09 14:00', 'assembler'),
               ('c', 1, 60, '2026-10-10 10:00', 'assembler'),
               ('e', 1, 45, '2026-11-18 12:45', 'assembler'),
               ('e', 2, 30, NULL, NULL)) AS v(l, seq, est, at, who);
SET session_replication_role = origin;
"#;

async fn plant() -> Floor {
    let f = Floor::new().await;
    let owner = f.db.client().await;
    // The CANCELLED status, whether or not this schema has it yet.
    owner
        .batch_execute(r#"ALTER TYPE "OrderStatus" ADD VALUE IF NOT EXISTS 'CANCELLED'"#)
        .await
        .expect("cancelled status");
    owner.batch_execute(PLANT).await.expect("the plant");
    f
}

async fn read(ctx: &ServiceCtx, token: &str, kind: ReportKind, period: Period) -> ReportData {
    match crate::auth::send(
        ctx,
        Request::Report {
            token: token.to_string(),
            kind,
            period,
        },
    )
    .await
    {
        Ok(Reply::Report(data)) => *data,
        other => panic!("{kind:?}: {other:?}"),
    }
}

/// The table as the CSV holds it (bare numbers, two decimals), row by row.
fn table(data: &ReportData) -> Vec<Vec<String>> {
    data.rows
        .iter()
        .map(|r| r.iter().map(Cell::csv).collect())
        .collect()
}

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

#[tokio::test]
async fn every_figure_matches_the_hand_count() {
    let f = plant().await;
    let coordinator = f.token(Role::ProductionCoordinator);
    let month = november();
    let get = |kind| read(&f.ctx, &coordinator, kind, month);

    // Throughput: the 26 weeks 8 Jun – 30 Nov; C in week 43 (19 Oct), A in 45 (2 Nov), B in 46 (9 Nov).
    let t = get(ReportKind::Throughput).await;
    assert_eq!(t.rows.len(), 26);
    assert_eq!(t.rows[0][1], Cell::Text("2026-06-08".into()));
    let shipped: Vec<(String, String)> = table(&t)
        .into_iter()
        .filter(|r| r[2] != "0")
        .map(|r| (r[0].clone(), r[2].clone()))
        .collect();
    assert_eq!(
        shipped,
        [
            ("2026-W43".to_string(), "1".to_string()),
            ("2026-W45".into(), "1".into()),
            ("2026-W46".into(), "1".into())
        ]
    );
    assert!(matches!(&t.chart, Chart::Bars { groups, .. } if groups.len() == 26));

    // Work in progress: F in PARTS_SENT (4 days old), E in READY_FOR_PRODUCTION (10 days, on hold);
    // A, B, C shipped and D cancelled are not in progress.
    let w = get(ReportKind::WorkInProgress).await;
    assert_eq!(
        table(&w),
        [
            row(&["Order created", "0", "0", "", ""]),
            row(&["Parts sent", "1", "0", "4.00", "4.00"]),
            row(&["Ready for Pre-QC", "0", "0", "", ""]),
            row(&["Ready for production", "1", "1", "10.00", "10.00"]),
            row(&["Testing complete", "0", "0", "", ""]),
            row(&["Packaging complete", "0", "0", "", ""]),
            row(&["Ready for Final QC", "0", "0", "", ""]),
            row(&["Ready for ship", "0", "0", "", ""]),
        ]
    );

    // Cycle time, stages left in November (percentile_cont interpolates: p90 of [a, b, c] sorted is
    // b + 0.8 (c − b); of [a, b] it is a + 0.9 (b − a)):
    //   ORDER_CREATED [4, 10, 24]: median 10, p90 10 + 0.8 × 14 = 21.2 (D's 24 h left out)
    //   PARTS_SENT [14, 24, 24]: 24, 24
    //   READY_FOR_PRE_QC [2, 4, 24]: 4, 4 + 0.8 × 20 = 20
    //   READY_FOR_PRODUCTION [24, 38, 48]: 38, 38 + 0.8 × 10 = 46; 10 h of hold subtracted
    //   TESTING_COMPLETE [1, 1, 2]: 1, 1.8
    //   PACKAGING_COMPLETE [1, 1, 1]: 1, 1
    //   READY_FOR_FINAL_QC [18, 24, 72]: 24, 24 + 0.8 × 48 = 62.4
    //   READY_FOR_SHIP [1, 18]: 9.5, 1 + 0.9 × 17 = 16.3 (C's left in October)
    let c = get(ReportKind::CycleTime).await;
    assert_eq!(
        table(&c),
        [
            row(&["Order created", "3", "10.00", "21.20", "0.00"]),
            row(&["Parts sent", "3", "24.00", "24.00", "0.00"]),
            row(&["Ready for Pre-QC", "3", "4.00", "20.00", "0.00"]),
            row(&["Ready for production", "3", "38.00", "46.00", "10.00"]),
            row(&["Testing complete", "3", "1.00", "1.80", "0.00"]),
            row(&["Packaging complete", "3", "1.00", "1.00", "0.00"]),
            row(&["Ready for Final QC", "3", "24.00", "62.40", "0.00"]),
            row(&["Ready for ship", "2", "9.50", "16.30", "0.00"]),
        ]
    );
    assert!(matches!(&c.chart, Chart::Bars { series, .. } if series.len() == 2));

    // On-time delivery, weeks 26 Oct – 30 Nov: A on time in week 45, B 3 days late in week 46.
    let o = get(ReportKind::OnTimeDelivery).await;
    assert_eq!(
        table(&o),
        [
            row(&["2026-W44", "0", "0", "0", "", ""]),
            row(&["2026-W45", "1", "1", "0", "100.00", ""]),
            row(&["2026-W46", "1", "0", "1", "0.00", "3.00"]),
            row(&["2026-W47", "0", "0", "0", "", ""]),
            row(&["2026-W48", "0", "0", "0", "", ""]),
            row(&["2026-W49", "0", "0", "0", "", ""]),
            row(&["Total", "2", "1", "1", "50.00", "3.00"]),
        ]
    );

    // First-pass yield, first attempts in November: Pre-QC A pass, B fail (E's first was in October,
    // D is cancelled): 1 of 2. Final QC A pass, B fail (E's draft is no attempt): 1 of 2. Testing A
    // pass, B pass (its second form is no first attempt; C's first was in October): 2 of 2.
    let y = get(ReportKind::FirstPassYield).await;
    assert_eq!(
        table(&y),
        [
            row(&["Pre-QC", "2", "1", "50.00"]),
            row(&["Final QC", "2", "1", "50.00"]),
            row(&["End-of-line testing", "2", "2", "100.00"]),
        ]
    );

    // Top rejections in November's submitted results (not D's, not C's October one, not E's draft):
    // T-1 answered NO in B's failed Pre-QC and Final QC (2); T-2 25 above its maximum 20 in B's Final
    // QC (1; 10 is in range, "n/a?" is no number); T-3 NO in B's Final QC (1; N/A conforms). Reasons:
    // FINISH in both of B's failures (2), WELD in one (1).
    let r = get(ReportKind::Rejections).await;
    assert_eq!(
        table(&r),
        [
            row(&["Checklist item", "T-1", "Welds clean", "2"]),
            row(&["Checklist item", "T-2", "Basin depth", "1"]),
            row(&["Checklist item", "T-3", "Light works", "1"]),
            row(&[
                "Rejection reason",
                "FINISH",
                "Surface finish: scratch, dent or residue",
                "2"
            ]),
            row(&[
                "Rejection reason",
                "WELD",
                "Weld defect or heat discoloration",
                "1"
            ]),
        ]
    );

    // Assemblers, tasks completed in November, each timed from the later of the previous completion
    // on its task list and the build's latest entry into READY_FOR_PRODUCTION:
    //   Alex Morgan: B1 (est. 90) from B entering production 4 Nov 11:00 to 12:30 = 90 min: 1 task,
    //     1.5 h estimated, 1.5 h measured, 100 %.
    //   Luis Ortega: A1 est. 60, 12:00 → 14:00 = 120 min; A2 est. 120, 3 Nov 14:00 → 4 Nov 14:00 =
    //     1440 − 600 (hold) = 840 min; A3 no estimate (counted, not timed); B2 est. 60, from B's
    //     return to production 9 Nov 13:00 (later than B1's 4 Nov 12:30) to 14:00 = 60 min; E1 est.
    //     45, 12:00 → 12:45 = 45 min (E's hold came later). 5 tasks, 4 timed, estimated 285 min =
    //     4.75 h, measured 1065 min = 17.75 h, 1065 / 285 = 373.68 %. C1 was in October.
    let a = get(ReportKind::Assemblers).await;
    assert_eq!(
        table(&a),
        [
            row(&["Alex Morgan", "1", "1.50", "1", "1.50", "100.00"]),
            row(&["Luis Ortega", "5", "4.75", "4", "17.75", "373.68"]),
        ]
    );
    assert!(a.notes[1].starts_with("1 tasks"), "{:?}", a.notes);

    // An empty period has figures of nothing, not errors.
    let empty = Period::custom(
        NaiveDate::from_ymd_opt(2020, 1, 1).expect("date"),
        NaiveDate::from_ymd_opt(2020, 1, 31).expect("date"),
    )
    .expect("range");
    let y = read(&f.ctx, &coordinator, ReportKind::FirstPassYield, empty).await;
    assert_eq!(y.rows[0][3], Cell::Percent(None));
    for kind in [
        ReportKind::CycleTime,
        ReportKind::Rejections,
        ReportKind::Assemblers,
    ] {
        assert!(
            read(&f.ctx, &coordinator, kind, empty)
                .await
                .rows
                .is_empty()
        );
    }
}

#[tokio::test]
async fn only_coordinators_and_administrators_read_or_export_reports() {
    let f = plant().await;
    let dir = std::env::temp_dir().join(format!("cs-reports-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    for role in [
        Role::QcPerson,
        Role::Assembler,
        Role::ProcurementSpecialist,
        Role::ServiceDepartment,
    ] {
        let refused = f
            .send(Request::Report {
                token: f.token(role),
                kind: ReportKind::Throughput,
                period: november(),
            })
            .await;
        assert!(
            matches!(&refused, Err(ServiceError::Forbidden(m)) if m.contains("read the production reports")),
            "{role:?}: {refused:?}"
        );
        let refused = f
            .send(Request::ExportReport {
                token: f.token(role),
                kind: ReportKind::Throughput,
                period: november(),
                dir: dir.display().to_string(),
            })
            .await;
        assert!(
            matches!(refused, Err(ServiceError::Forbidden(_))),
            "{role:?}"
        );
    }
    assert_eq!(std::fs::read_dir(&dir).expect("dir").count(), 0);

    // The administrator exports twice: the second file is a numbered copy, never over the first.
    let mut written = Vec::new();
    for _ in 0..2 {
        match f
            .send(Request::ExportReport {
                token: f.token(Role::Admin),
                kind: ReportKind::FirstPassYield,
                period: november(),
                dir: dir.display().to_string(),
            })
            .await
        {
            Ok(Reply::Exported(paths)) => written.extend(paths),
            other => panic!("export: {other:?}"),
        }
    }
    let names: Vec<String> = written
        .iter()
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    assert_eq!(
        names,
        [
            "first-pass-yield-2026-11-01-2026-11-30.csv",
            "first-pass-yield-2026-11-01-2026-11-30 (2).csv"
        ]
    );
    let text = std::fs::read_to_string(&written[0]).expect("csv");
    assert_eq!(
        text,
        "\u{feff}Check,First attempts,Passed first time,Yield (%)\r\n\
         Pre-QC,2,1,50.00\r\nFinal QC,2,1,50.00\r\nEnd-of-line testing,2,2,100.00\r\n"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn reports_read_through_the_reporting_connection_when_there_is_one() {
    let f = plant().await;
    let coordinator = f.token(Role::ProductionCoordinator);
    let through_main = read(&f.ctx, &coordinator, ReportKind::CycleTime, november()).await;

    // A reporting connection to the same database (as a replica would be) gives the same figures.
    let replica = ServiceCtx {
        read_pool: Some(cleanstation::db::pool::build(&f.db.url, 2, "reports-test").expect("pool")),
        ..f.ctx.clone()
    };
    let through_replica = read(&replica, &coordinator, ReportKind::CycleTime, november()).await;
    assert_eq!(through_main, through_replica);

    // A reporting connection that cannot connect fails the report, so reports do use it; the session
    // check still runs on the station's own connection.
    let away = ServiceCtx {
        read_pool: Some(
            cleanstation::db::pool::build(
                "host=/nonexistent-cs-replica port=1 user=cleanstation_app dbname=x",
                1,
                "reports-test",
            )
            .expect("pool"),
        ),
        ..f.ctx.clone()
    };
    let failed = crate::auth::send(
        &away,
        Request::Report {
            token: coordinator.clone(),
            kind: ReportKind::CycleTime,
            period: november(),
        },
    )
    .await;
    assert!(
        matches!(failed, Err(ServiceError::Unavailable(_))),
        "{failed:?}"
    );
}
