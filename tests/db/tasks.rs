//! Assembly task lists: generation with the move into READY_FOR_PRODUCTION (exact lists for the example
//! of docs/assembly-floor.md §2.2 and a three-basin build, parts from the BOM), generated once with a
//! rework task after a Final QC failure, completion and reopen, conditional updates between stations, the
//! N/A and choice rules, the lock after the round's first testing form, and roles.

use crate::floor::{Floor, conforming_qc, example_build};
use cleanstation::domain::Role;
use cleanstation::domain::checklist::parse_checklists;
use cleanstation::domain::order::{BuildConfig, OrderStatus};
use cleanstation::domain::qc::QcOutcome;
use cleanstation::domain::tasks::{TaskCompletion, TaskListView, WI_CONTROL_BOX};
use cleanstation::error::ServiceError;
use cleanstation::msg::{Reply, Request};
use cleanstation::reference::CHECKLISTS_TOML;
use cleanstation::service::seed::DEMO_PASSWORD;
use cleanstation::service::tasks::{add_note, complete_task, reopen_task, task_list};
use rust_decimal::Decimal;
use serde_json::json;
use std::collections::HashMap;
use uuid::Uuid;

use OrderStatus as S;

/// The task list and QC requests these tests use.
impl Floor {
    /// Submits the waiting QC form (Pre-QC or Final QC) with every line conforming.
    async fn submit_qc(
        &self,
        id: Uuid,
        outcome: QcOutcome,
        reason: Option<&str>,
    ) -> Result<Reply, ServiceError> {
        let form = self.qc_form(id).await;
        self.send(Request::SubmitQc {
            token: self.token(Role::QcPerson),
            order_id: id,
            qc_type: form.header.qc_type,
            job_id: "JOB-T1".into(),
            answers: conforming_qc(&form),
            outcome,
            reason: reason.map(str::to_string),
            password: DEMO_PASSWORD.into(),
            rejection_reasons: self.reasons_for(outcome).await,
        })
        .await
    }

    async fn list(&self, id: Uuid) -> TaskListView {
        task_list(&self.ctx, &self.token(Role::Assembler), id)
            .await
            .expect("task list")
    }

    /// The current BOM's top-level lines: id -> quantity.
    async fn bom_top(&self, id: Uuid) -> HashMap<String, Decimal> {
        self.db
            .client()
            .await
            .query(
                r#"SELECT i."itemId", i."quantity" FROM "BOMItem" i
                     JOIN "ProductionOrder" po ON po."bomId" = i."bomId"
                    WHERE po.id = $1 AND i."parentItemId" IS NULL"#,
                &[&id],
            )
            .await
            .expect("bom lines")
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect()
    }
}

/// T2-B3 with pegboard, faucets and sprayers, fixed legs.
fn three_basin_build() -> BuildConfig {
    serde_json::from_value(json!({
        "buildNumber": "TB3", "sinkFamily": "MDRD", "sinkModel": "T2-B3", "sinkWidth": 30, "sinkLength": 84,
        "legsType": "FIXED_HEIGHT", "legsModel": "DL14", "feetType": "SS_ADJUSTABLE_SEISMIC_FEET",
        "hasPegboard": true, "pegboardColor": "GREY", "pegboardType": "SOLID", "pegboardSizeType": "SAME_AS_SINK",
        "basins": [
            {"basinIndex": 1, "basinType": "E_DRAIN", "basinWidth": 20, "basinLength": 20, "basinDepth": 8},
            {"basinIndex": 2, "basinType": "E_SINK_DI", "basinWidth": 20, "basinLength": 20, "basinDepth": 8},
            {"basinIndex": 3, "basinType": "E_SINK", "basinWidth": 20, "basinLength": 20, "basinDepth": 8}],
        "faucets": [{"faucetType": "WRIST_BLADE_SWING_SPOUT", "quantity": 2, "placement": "BETWEEN_BASINS"},
                    {"faucetType": "PRE_RINSE_OVERHEAD_SPRAY", "quantity": 1, "placement": "CENTER"}],
        "sprayers": [{"sprayerType": "AIR_GUN_KIT_TURRET", "quantity": 1, "location": "LEFT_SIDE"},
                     {"sprayerType": "DI_WATER_GUN_KIT_ROSETTE", "quantity": 1, "location": "RIGHT_SIDE"}]
    }))
    .expect("valid build")
}

/// The description of a Production Checklist item as the shipped file has it.
fn description_of(code: &str) -> String {
    let file = parse_checklists(CHECKLISTS_TOML).expect("shipped checklists");
    file.templates
        .iter()
        .find(|t| t.name == "Production Checklist")
        .and_then(|t| t.items.iter().find(|i| i.code == code))
        .map(|i| i.description.clone())
        .expect("item of the production checklist")
}

/// (code, basin, estMinutes) -> the expected (sequence, description, estimate) lines.
fn expected(lines: &[(&str, Option<i32>, i32)]) -> Vec<(i32, String, Option<String>, Option<i32>)> {
    (1..)
        .zip(lines)
        .map(|(seq, &(code, basin, est))| {
            let mut d = description_of(code);
            if let Some(b) = basin {
                d.push_str(&format!(" (basin {b})"));
            }
            (seq, d, Some(code.to_string()), Some(est))
        })
        .collect()
}

fn actual(list: &TaskListView) -> Vec<(i32, String, Option<String>, Option<i32>)> {
    list.tasks
        .iter()
        .map(|t| {
            (
                t.sequence,
                t.description.clone(),
                t.code.clone(),
                t.estimated_minutes,
            )
        })
        .collect()
}

/// For every id, the task quantities add up to the BOM's top-level quantity.
async fn assert_parts_match_bom(env: &Floor, id: Uuid, list: &TaskListView) {
    let bom = env.bom_top(id).await;
    let mut sums: HashMap<String, Decimal> = HashMap::new();
    for p in list.tasks.iter().flat_map(|t| &t.parts) {
        *sums.entry(p.part_id.clone()).or_default() += p.quantity;
    }
    assert!(!sums.is_empty(), "some task consumes parts");
    for (part, qty) in &sums {
        assert_eq!(bom.get(part), Some(qty), "{part}");
    }
}

fn task_by<'a>(list: &'a TaskListView, code: &str) -> &'a cleanstation::domain::tasks::TaskView {
    list.tasks
        .iter()
        .find(|t| t.code.as_deref() == Some(code))
        .expect("task of the code")
}

// ------------------------------------------------------------------------------------------------
// Generation
// ------------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_spec_example_gets_exactly_its_18_tasks_with_parts_from_the_bom() {
    let env = Floor::new().await;
    let id = env
        .build_in_production("PO-TB2", example_build("TB2"))
        .await;
    let list = env.list(id).await;
    assert_eq!(list.assembly_type, "MDRD-T2-B2");
    assert_eq!(list.status, S::ReadyForProduction);
    assert_eq!(list.locked, None);
    let want = expected(&[
        ("PRD-04", None, 30),
        ("PRD-05", None, 45),
        ("PRD-06", None, 10),
        ("PRD-07", None, 20),
        ("PRD-08", None, 60),
        ("PRD-09", None, 30),
        ("PRD-10", None, 20),
        ("PRD-15", Some(2), 45),
        ("PRD-16", Some(2), 60),
        ("PRD-17", Some(2), 10),
        ("PRD-18", Some(2), 25),
        ("PRD-19", Some(1), 30),
        ("PRD-20", Some(1), 20),
        ("PRD-21", Some(1), 25),
        ("PRD-22", Some(1), 20),
        ("PRD-23", Some(1), 25),
        ("PRD-24", Some(1), 15),
        ("PRD-25", Some(1), 15),
    ]);
    assert_eq!(actual(&list), want);
    assert_eq!(
        list.tasks[7].description,
        "Install the bottom-fill mixing valve and faucet (basin 2)"
    );
    assert_eq!(list.total(), 18);
    assert_eq!(list.done(), 0);
    assert_eq!(list.minutes_left(), 505);

    // Reference material: instruction with steps, tools, parts.
    let control = task_by(&list, "PRD-08");
    let wi = control
        .instruction
        .as_ref()
        .expect("control box instruction");
    assert_eq!(wi.title, WI_CONTROL_BOX);
    assert!(!wi.steps.is_empty());
    assert!(wi.steps.iter().any(|s| s.safety_notes.is_some()));
    assert_eq!(control.tools.len(), 2);
    assert_eq!(control.parts.len(), 1);
    assert!(control.parts[0].part_id.starts_with("T2-CTRL-"));
    let legs = task_by(&list, "PRD-05");
    assert_eq!(
        legs.parts
            .iter()
            .map(|p| (p.part_id.as_str(), p.quantity))
            .collect::<Vec<_>>(),
        vec![("T2-DL27-KIT", Decimal::ONE)]
    );
    assert_eq!(task_by(&list, "PRD-15").parts[0].part_id, "T2-BSN-EDR-KIT");
    assert_eq!(task_by(&list, "PRD-19").parts[0].part_id, "T2-BSN-ESK-KIT");
    assert_parts_match_bom(&env, id, &list).await;
    assert_eq!(
        env.scalar_i64(
            r#"SELECT count(*) FROM "Task" t JOIN "TaskList" l ON l.id = t."taskListId"
                WHERE l."orderId" = $1 AND t."productionChecklistItemId" IS NOT NULL"#,
            id
        )
        .await,
        18
    );
}

#[tokio::test]
async fn a_three_basin_build_with_pegboard_faucets_and_sprayers() {
    let env = Floor::new().await;
    let id = env.build_in_production("PO-TB3", three_basin_build()).await;
    let list = env.list(id).await;
    let codes: Vec<(String, Option<i32>)> = list
        .tasks
        .iter()
        .map(|t| {
            let basin = t
                .description
                .rsplit_once(" (basin ")
                .and_then(|(_, b)| b.trim_end_matches(')').parse().ok());
            (t.code.clone().unwrap_or_default(), basin)
        })
        .collect();
    let want: Vec<(String, Option<i32>)> = [
        ("PRD-01", None),
        ("PRD-02", None),
        ("PRD-03", None),
        ("PRD-06", None),
        ("PRD-07", None),
        ("PRD-08", None),
        ("PRD-09", None),
        ("PRD-10", None),
        ("PRD-11", None),
        ("PRD-12", None),
        ("PRD-14", None),
        ("PRD-15", Some(1)),
        ("PRD-16", Some(1)),
        ("PRD-17", Some(1)),
        ("PRD-18", Some(1)),
        ("PRD-19", Some(2)),
        ("PRD-19", Some(3)),
        ("PRD-20", Some(2)),
        ("PRD-20", Some(3)),
        ("PRD-21", Some(2)),
        ("PRD-21", Some(3)),
        ("PRD-22", Some(2)),
        ("PRD-22", Some(3)),
        ("PRD-23", Some(2)),
        ("PRD-23", Some(3)),
        ("PRD-24", Some(3)),
        ("PRD-25", Some(3)),
    ]
    .iter()
    .map(|&(c, b)| (c.to_string(), b))
    .collect();
    assert_eq!(codes, want);
    assert_eq!(
        list.tasks.iter().map(|t| t.sequence).collect::<Vec<_>>(),
        (1..=27).collect::<Vec<_>>()
    );
    assert!(
        task_by(&list, "PRD-11")
            .parts
            .iter()
            .any(|p| p.part_id.starts_with("T2-OA-AIRGUN-"))
    );
    assert!(
        task_by(&list, "PRD-03")
            .parts
            .iter()
            .any(|p| p.part_id == "T2-OA-STD-FAUCET-WB-KIT")
    );
    assert_parts_match_bom(&env, id, &list).await;
}

#[tokio::test]
async fn a_failing_generation_leaves_the_status_unchanged() {
    let env = Floor::new().await;
    let id = env.build_at_pre_qc("PO-TB2F", example_build("TB2F")).await;
    env.db
        .client()
        .await
        .execute(
            r#"UPDATE "QCFormTemplate" SET "isActive" = false WHERE "formName" = 'Production Checklist'"#,
            &[],
        )
        .await
        .expect("deactivate");
    let refused = env.submit_qc(id, QcOutcome::Pass, None).await;
    assert!(
        matches!(&refused, Err(ServiceError::Invalid(m)) if m.contains("task list cannot be generated")),
        "{refused:?}"
    );
    assert_eq!(env.status(id).await, S::ReadyForPreQc);
    assert_eq!(
        env.scalar_i64(
            r#"SELECT count(*) FROM "TaskList" WHERE "orderId" = $1"#,
            id
        )
        .await,
        0
    );
    assert_eq!(
        env.scalar_i64(
            r#"SELECT count(*) FROM "QCResult" WHERE "orderId" = $1"#,
            id
        )
        .await,
        0
    );
}

#[tokio::test]
async fn re_entry_after_a_final_qc_failure_appends_only_the_rework_task() {
    let env = Floor::new().await;
    let id = env
        .build_in_production("PO-TB2R", example_build("TB2R"))
        .await;
    env.db
        .client()
        .await
        .execute(
            r#"UPDATE "ProductionOrder" SET "orderStatus" = 'READY_FOR_FINAL_QC' WHERE id = $1"#,
            &[&id],
        )
        .await
        .expect("to final qc");
    env.submit_qc(id, QcOutcome::Fail, Some("Weld spatter in basin 2"))
        .await
        .expect("final qc fail");
    assert_eq!(env.status(id).await, S::ReadyForProduction);
    let list = env.list(id).await;
    assert_eq!(list.total(), 19);
    let rework = list.tasks.last().expect("rework task");
    assert_eq!(rework.sequence, 19);
    assert_eq!(
        rework.description,
        "Rework after Final QC failure: [FINISH] Weld spatter in basin 2"
    );
    assert_eq!(rework.code, None);
    assert!(!rework.is_completed);
    assert_eq!(
        env.scalar_i64(
            r#"SELECT count(*) FROM "TaskList" WHERE "orderId" = $1"#,
            id
        )
        .await,
        1
    );
    // The rework task is completed like any other.
    let done = complete_task(
        &env.ctx,
        &env.token(Role::Assembler),
        rework.id,
        TaskCompletion::default(),
    )
    .await
    .expect("complete rework");
    assert!(done.is_completed);
}

// ------------------------------------------------------------------------------------------------
// Completion
// ------------------------------------------------------------------------------------------------

#[tokio::test]
async fn completion_reopen_notes_and_the_completion_rules() {
    let env = Floor::new().await;
    let id = env
        .build_in_production("PO-TB2C", example_build("TB2C"))
        .await;
    let asm = env.token(Role::Assembler);
    let list = env.list(id).await;
    let plain = task_by(&list, "PRD-07").id;

    let done = complete_task(
        &env.ctx,
        &asm,
        plain,
        TaskCompletion {
            notes: Some("bar fitted left".into()),
            minutes_spent: Some(18),
            ..Default::default()
        },
    )
    .await
    .expect("complete");
    assert!(done.is_completed);
    assert!(done.completed_at.is_some());
    assert_eq!(
        done.completed_by.as_ref().map(|(_, n)| n.as_str()),
        Some("Luis Ortega")
    );
    assert_eq!(
        done.notes.as_deref(),
        Some("bar fitted left\nTime spent: 18 min")
    );
    let again = complete_task(&env.ctx, &asm, plain, TaskCompletion::default()).await;
    assert!(matches!(again, Err(ServiceError::Conflict(_))), "{again:?}");

    let open = reopen_task(&env.ctx, &asm, plain).await.expect("reopen");
    assert!(!open.is_completed);
    assert_eq!(open.completed_by, None);
    assert_eq!(open.completed_at, None);
    let noted = add_note(&env.ctx, &asm, plain, "  second bracket needed ")
        .await
        .expect("note");
    assert!(
        noted
            .notes
            .as_deref()
            .is_some_and(|n| n.ends_with("Luis Ortega: second bracket needed")),
        "{noted:?}"
    );
    assert!(matches!(
        add_note(&env.ctx, &asm, plain, "   ").await,
        Err(ServiceError::Invalid(_))
    ));

    // N/A needs a reason and starts the notes.
    let logo = task_by(&list, "PRD-06").id;
    let blank = complete_task(
        &env.ctx,
        &asm,
        logo,
        TaskCompletion {
            na_reason: Some(" ".into()),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(
        blank,
        Err(ServiceError::Invalid("An N/A needs a reason".into()))
    );
    let na = complete_task(
        &env.ctx,
        &asm,
        logo,
        TaskCompletion {
            na_reason: Some("customer ordered no logo".into()),
            ..Default::default()
        },
    )
    .await
    .expect("n/a");
    assert_eq!(na.notes.as_deref(), Some("N/A: customer ordered no logo"));
    // N/A is refused on a BOOLEAN task.
    let refused = complete_task(
        &env.ctx,
        &asm,
        task_by(&list, "PRD-10").id,
        TaskCompletion {
            na_reason: Some("x".into()),
            ..Default::default()
        },
    )
    .await;
    assert!(matches!(refused, Err(ServiceError::Invalid(_))));

    // MULTI_CHOICE: the option must be the item's.
    let button = task_by(&list, "PRD-04");
    assert_eq!(button.options.len(), 2);
    for bad in [None, Some("DP2X")] {
        let r = complete_task(
            &env.ctx,
            &asm,
            button.id,
            TaskCompletion {
                choice: bad.map(str::to_string),
                ..Default::default()
            },
        )
        .await;
        assert!(matches!(r, Err(ServiceError::Invalid(_))), "{bad:?}: {r:?}");
    }
    let chosen = complete_task(
        &env.ctx,
        &asm,
        button.id,
        TaskCompletion {
            choice: Some("DP1C (programmable)".into()),
            ..Default::default()
        },
    )
    .await
    .expect("choice");
    assert_eq!(
        chosen.notes.as_deref(),
        Some("Selected: DP1C (programmable)")
    );

    let list = env.list(id).await;
    assert_eq!(list.done(), 2);
    assert_eq!(list.next_open().map(|t| t.sequence), Some(2));
}

#[tokio::test]
async fn two_stations_completing_one_task_have_one_winner_and_lose_nothing() {
    let env = Floor::new().await;
    let id = env
        .build_in_production("PO-TB2X", example_build("TB2X"))
        .await;
    let list = env.list(id).await;
    let task = task_by(&list, "PRD-10").id;
    let asm = env.token(Role::Assembler);
    let station = |note: &'static str| {
        let ctx = env.ctx.clone();
        let asm = asm.clone();
        tokio::spawn(async move {
            complete_task(
                &ctx,
                &asm,
                task,
                TaskCompletion {
                    notes: Some(note.into()),
                    ..Default::default()
                },
            )
            .await
        })
    };
    let (a, b) = (station("station A"), station("station B"));
    let results = [a.await.expect("join"), b.await.expect("join")];
    let wins: Vec<_> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
    assert_eq!(wins.len(), 1, "{results:?}");
    assert!(
        results.iter().any(
            |r| matches!(r, Err(ServiceError::Conflict(m)) if m.contains("already completed"))
        ),
        "{results:?}"
    );
    let stored = task_by(&env.list(id).await, "PRD-10").clone();
    assert_eq!(stored.notes, wins[0].notes, "the winner's notes are kept");
    assert!(stored.is_completed);
}

#[tokio::test]
async fn tasks_lock_after_the_rounds_first_testing_form() {
    let env = Floor::new().await;
    let id = env
        .build_in_production("PO-TB2L", example_build("TB2L"))
        .await;
    let asm = env.token(Role::Assembler);
    let list = env.list(id).await;
    let first = list.tasks[0].id;
    let client = env.db.client().await;
    // A form from before the round does not lock it.
    client
        .execute(
            r#"INSERT INTO "TestingForm" ("orderId", "performedBy", "overallStatus", "timestamp")
               SELECT $1, id, 'FAIL', TIMESTAMP '2000-01-01' FROM "User" WHERE username = 'assembler'"#,
            &[&id],
        )
        .await
        .expect("old form");
    // A draft does not lock either.
    client
        .execute(
            r#"INSERT INTO "TestingForm" ("orderId", "performedBy", "overallStatus", "timestamp")
               SELECT $1, id, 'INCOMPLETE', LOCALTIMESTAMP FROM "User" WHERE username = 'assembler'"#,
            &[&id],
        )
        .await
        .expect("draft form");
    complete_task(
        &env.ctx,
        &asm,
        list.tasks[2].id,
        TaskCompletion {
            na_reason: Some("no logo".into()),
            ..Default::default()
        },
    )
    .await
    .expect("still open for work");
    client
        .execute(
            r#"INSERT INTO "TestingForm" ("orderId", "performedBy", "overallStatus", "timestamp")
               SELECT $1, id, 'FAIL', LOCALTIMESTAMP FROM "User" WHERE username = 'assembler'"#,
            &[&id],
        )
        .await
        .expect("submitted form");
    let locked = complete_task(
        &env.ctx,
        &asm,
        first,
        TaskCompletion {
            choice: Some("DP1C (programmable)".into()),
            ..Default::default()
        },
    )
    .await;
    assert!(
        matches!(&locked, Err(ServiceError::Invalid(m)) if m.contains("locked")),
        "{locked:?}"
    );
    assert!(matches!(
        reopen_task(&env.ctx, &asm, list.tasks[2].id).await,
        Err(ServiceError::Invalid(_))
    ));
    assert!(env.list(id).await.locked.is_some());
}

#[tokio::test]
async fn roles_and_the_acting_rule() {
    let env = Floor::new().await;
    let id = env
        .build_in_production("PO-TB2P", example_build("TB2P"))
        .await;
    let task = env.list(id).await.tasks[1].id;
    for role in [
        Role::QcPerson,
        Role::ProductionCoordinator,
        Role::ProcurementSpecialist,
    ] {
        let r = complete_task(&env.ctx, &env.token(role), task, TaskCompletion::default()).await;
        assert!(
            matches!(r, Err(ServiceError::Forbidden(_))),
            "{role:?}: {r:?}"
        );
    }
    assert!(matches!(
        task_list(&env.ctx, &env.token(Role::ServiceDepartment), id).await,
        Err(ServiceError::Forbidden(_))
    ));
    // Assigned to another assembler: only that assembler (or ADMIN) works the build.
    let other = crate::auth::add(&env.db, "assembler2", Role::Assembler).await;
    env.db
        .client()
        .await
        .execute(
            r#"UPDATE "ProductionOrder" SET "currentAssigneeId" = $2 WHERE id = $1"#,
            &[&id, &other.id],
        )
        .await
        .expect("assign");
    let r = complete_task(
        &env.ctx,
        &env.token(Role::Assembler),
        task,
        TaskCompletion::default(),
    )
    .await;
    assert!(matches!(r, Err(ServiceError::Forbidden(_))), "{r:?}");
    let by_admin = complete_task(
        &env.ctx,
        &env.token(Role::Admin),
        task,
        TaskCompletion::default(),
    )
    .await
    .expect("admin may step in");
    assert!(by_admin.is_completed);
    assert!(matches!(
        complete_task(
            &env.ctx,
            &env.token(Role::Admin),
            Uuid::new_v4(),
            TaskCompletion::default()
        )
        .await,
        Err(ServiceError::NotFound(_))
    ));
}
