//! Holds and shortages from the floor (docs/holds.md): who places and releases a hold, one open hold
//! per build, procurement's notice of a shortage, the floor actions a held build refuses in the service
//! layer and in the database, a released hold that never changes, and the time on hold.

use crate::floor::{Floor, conforming_qc, conforming_testing, example_build};
use cleanstation::domain::Role;
use cleanstation::domain::hold::{HoldPart, HoldReason, NewHold};
use cleanstation::domain::order::{OrderAction, OrderRow, OrderStatus};
use cleanstation::domain::qc::QcOutcome;
use cleanstation::domain::tasks::TaskCompletion;
use cleanstation::error::ServiceError;
use cleanstation::msg::{Reply, Request};
use cleanstation::service::seed::DEMO_PASSWORD;
use cleanstation::service::{packaging, tasks, testing};
use uuid::Uuid;

use OrderStatus as S;

fn quality() -> NewHold {
    NewHold {
        reason: HoldReason::Quality,
        note: Some("Dent in the left basin".into()),
        parts: Vec::new(),
    }
}

fn shortage(parts: &[(&str, i32)]) -> NewHold {
    NewHold {
        reason: HoldReason::PartsShortage,
        note: None,
        parts: parts
            .iter()
            .map(|(id, q)| HoldPart {
                part_id: (*id).to_string(),
                quantity: *q,
            })
            .collect(),
    }
}

/// The hold requests these tests send.
impl Floor {
    async fn place(&self, role: Role, id: Uuid, hold: NewHold) -> Result<OrderRow, ServiceError> {
        self.send(Request::PlaceHold {
            token: self.token(role),
            order_id: id,
            hold,
        })
        .await
        .map(|r| match r {
            Reply::OrderUpdated(row) => row,
            other => panic!("unexpected reply {other:?}"),
        })
    }

    async fn release(&self, role: Role, id: Uuid) -> Result<OrderRow, ServiceError> {
        self.send(Request::ReleaseHold {
            token: self.token(role),
            order_id: id,
            note: Some("Parts on the cart".into()),
        })
        .await
        .map(|r| match r {
            Reply::OrderUpdated(row) => row,
            other => panic!("unexpected reply {other:?}"),
        })
    }

    /// Two part ids from the seeded catalog.
    async fn two_parts(&self) -> (String, String) {
        let rows = self
            .db
            .client()
            .await
            .query(r#"SELECT id FROM "Part" ORDER BY id LIMIT 2"#, &[])
            .await
            .expect("parts");
        (rows[0].get(0), rows[1].get(0))
    }

    async fn holds_of(&self, id: Uuid) -> i64 {
        self.count(
            r#"SELECT count(*) FROM "BuildHold" WHERE "orderId" = $1"#,
            &[&id],
        )
        .await
    }
}

fn assert_on_hold(result: Result<impl std::fmt::Debug, ServiceError>, what: &str) {
    match result {
        Err(ServiceError::Invalid(m)) => assert!(
            m.starts_with("On hold: quality since ") && m.ends_with(" by Dana Reyes"),
            "{what}: {m}"
        ),
        other => panic!("{what} on a held build: {other:?}"),
    }
}

#[tokio::test]
async fn place_and_release_rights_follow_the_role_and_one_hold_is_open_at_a_time() {
    let f = Floor::new().await;
    let id = f.build_in_production("PO-H1", example_build("H-1")).await;
    for role in [
        Role::QcPerson,
        Role::ProcurementSpecialist,
        Role::ServiceDepartment,
    ] {
        let refused = f.place(role, id, quality()).await;
        assert!(
            matches!(&refused, Err(ServiceError::Forbidden(m)) if m.contains("cannot put a build on hold")),
            "{role}: {refused:?}"
        );
    }
    assert_eq!(f.holds_of(id).await, 0);

    let row = f.place(Role::Assembler, id, quality()).await.expect("hold");
    assert_eq!(
        row.hold,
        Some(HoldReason::Quality),
        "the queue row shows it"
    );
    let second = f.place(Role::ProductionCoordinator, id, quality()).await;
    assert!(
        matches!(&second, Err(ServiceError::Conflict(m)) if m.starts_with("The build is already held. On hold: quality")),
        "{second:?}"
    );

    for role in [Role::Assembler, Role::QcPerson, Role::ServiceDepartment] {
        let refused = f.release(role, id).await;
        assert!(
            matches!(&refused, Err(ServiceError::Forbidden(m)) if m.contains("cannot release a hold")),
            "{role}: {refused:?}"
        );
    }
    let procurement = f.release(Role::ProcurementSpecialist, id).await;
    assert!(
        matches!(&procurement, Err(ServiceError::Forbidden(m)) if m.contains("only a parts shortage")),
        "{procurement:?}"
    );
    let detail = f.detail(Role::ProductionCoordinator, id).await;
    assert!(detail.actions.contains(&OrderAction::ReleaseHold));
    assert!(
        !f.detail(Role::Assembler, id)
            .await
            .actions
            .iter()
            .any(|a| matches!(a, OrderAction::Move { .. } | OrderAction::PlaceHold)),
        "a held build offers no move"
    );

    let row = f
        .release(Role::ProductionCoordinator, id)
        .await
        .expect("release");
    assert_eq!(row.hold, None);
    let again = f.release(Role::ProductionCoordinator, id).await;
    assert!(
        matches!(&again, Err(ServiceError::Conflict(m)) if m.contains("not on hold")),
        "{again:?}"
    );
    // Released, the build may be held again: a second record, the first kept.
    f.place(Role::ProductionCoordinator, id, quality())
        .await
        .expect("second hold");
    assert_eq!(f.holds_of(id).await, 2);

    // An assembler holds builds on the assembly floor only; a coordinator any build not shipped.
    let pre_qc = f.build_at_pre_qc("PO-H2", example_build("H-2")).await;
    let refused = f.place(Role::Assembler, pre_qc, quality()).await;
    assert!(
        matches!(&refused, Err(ServiceError::Forbidden(m)) if m.contains("only while it is on the assembly floor")),
        "{refused:?}"
    );
    f.place(Role::ProductionCoordinator, pre_qc, quality())
        .await
        .expect("coordinator holds at Pre-QC");
}

#[tokio::test]
async fn a_note_and_catalog_parts_are_required() {
    let f = Floor::new().await;
    let id = f.build_in_production("PO-H3", example_build("H-3")).await;
    let no_note = NewHold {
        note: None,
        ..quality()
    };
    let refused = f.place(Role::Assembler, id, no_note).await;
    assert!(
        matches!(&refused, Err(ServiceError::Invalid(m)) if m == "A note is required when the reason is Quality"),
        "{refused:?}"
    );
    let (part, _) = f.two_parts().await;
    let unknown = f
        .place(
            Role::Assembler,
            id,
            shortage(&[(&part, 2), ("NO-SUCH-PART", 1)]),
        )
        .await;
    assert!(
        matches!(&unknown, Err(ServiceError::Invalid(m)) if m == "Part NO-SUCH-PART is not in the catalog"),
        "{unknown:?}"
    );
    let checked = f
        .send(Request::CheckHold {
            token: f.token(Role::Assembler),
            order_id: id,
            hold: shortage(&[("NO-SUCH-PART", 1)]),
        })
        .await;
    assert!(
        matches!(checked, Err(ServiceError::Invalid(_))),
        "{checked:?}"
    );
    assert_eq!(f.holds_of(id).await, 0, "nothing written");

    // The database refuses what the service would: no part outside the catalog, no quantity of 0.
    let station = f.db.station().await;
    for parts in [
        r#"[{"partId": "NO-SUCH-PART", "quantity": 1}]"#,
        &format!(r#"[{{"partId": "{part}", "quantity": 0}}]"#),
    ] {
        let parts: serde_json::Value = serde_json::from_str(parts).expect("json");
        let inserted = station
            .execute(
                r#"INSERT INTO "BuildHold" ("orderId", "reason", "parts", "placedBy")
                   VALUES ($1, 'PARTS_SHORTAGE', $2, $3)"#,
                &[&id, &parts, &f.id(Role::Assembler)],
            )
            .await;
        assert!(inserted.is_err(), "{parts}");
    }
}

#[tokio::test]
async fn a_shortage_notifies_procurement_who_release_it_once_parts_are_sent() {
    let f = Floor::new().await;
    let id = f.build_in_production("PO-H4", example_build("H-4")).await;
    let (a, b) = f.two_parts().await;
    let checked = f
        .send(Request::CheckHold {
            token: f.token(Role::Assembler),
            order_id: id,
            hold: shortage(&[(&a, 2), (&b, 1)]),
        })
        .await;
    match checked {
        Ok(Reply::HoldChecked(lines)) => {
            assert_eq!(lines.len(), 2);
            assert!(lines.iter().all(|l| !l.name.is_empty()), "{lines:?}");
        }
        other => panic!("check: {other:?}"),
    }
    let kind_count = r#"SELECT count(*) FROM "SystemNotification"
                         WHERE "type" = 'PARTS_SHORTAGE' AND "relatedEntityType" = 'ProductionOrder'
                           AND "relatedEntityId" = $1::text"#;
    let text_id = id.to_string();
    assert_eq!(f.count(kind_count, &[&text_id]).await, 0);
    let row = f
        .place(Role::Assembler, id, shortage(&[(&a, 2), (&b, 1)]))
        .await
        .expect("shortage");
    assert_eq!(row.hold, Some(HoldReason::PartsShortage));
    let procurement = f
        .count(
            r#"SELECT count(*) FROM "User" WHERE "role" = 'PROCUREMENT_SPECIALIST' AND "isActive""#,
            &[],
        )
        .await;
    assert!(procurement > 0);
    assert_eq!(
        f.count(kind_count, &[&text_id]).await,
        procurement,
        "one notification per active procurement specialist"
    );
    let to_procurement = f
        .count(
            r#"SELECT count(*) FROM "SystemNotification" n JOIN "User" u ON u.id = n."userId"
                WHERE n."type" = 'PARTS_SHORTAGE' AND u."role" = 'PROCUREMENT_SPECIALIST'
                  AND n."message" LIKE '%is on hold for parts: 2 x %'"#,
            &[],
        )
        .await;
    assert_eq!(to_procurement, procurement);

    // The order desk lists the build held for parts, with its part lines, though it is in production.
    let desk = match f
        .send(Request::OrderDesk {
            token: f.token(Role::ProcurementSpecialist),
        })
        .await
    {
        Ok(Reply::OrderDesk(rows)) => rows,
        other => panic!("desk: {other:?}"),
    };
    let on_desk = desk
        .iter()
        .find(|r| r.order.id == id)
        .expect("the held build is on the desk");
    assert_eq!(on_desk.order.hold, Some(HoldReason::PartsShortage));
    assert_eq!(on_desk.shortage.len(), 2);

    let detail = f.detail(Role::ProcurementSpecialist, id).await;
    let hold = detail.hold.expect("held");
    assert_eq!(hold.parts.len(), 2);
    assert!(detail.actions.contains(&OrderAction::ReleaseHold));
    // The build's parts were sent (it went through PARTS_SENT): procurement releases.
    f.release(Role::ProcurementSpecialist, id)
        .await
        .expect("procurement releases the shortage");

    // A build still in ORDER_CREATED has had no parts sent: only a coordinator releases its shortage.
    let created = f.create_build("PO-H5", example_build("H-5")).await;
    f.place(Role::ProductionCoordinator, created, shortage(&[(&a, 1)]))
        .await
        .expect("shortage before parts are sent");
    let refused = f.release(Role::ProcurementSpecialist, created).await;
    assert!(
        matches!(&refused, Err(ServiceError::Forbidden(m)) if m.contains("parts are not sent yet")),
        "{refused:?}"
    );
    f.release(Role::ProductionCoordinator, created)
        .await
        .expect("coordinator releases");
    // Quality holds notify nobody.
    let before = f
        .count(r#"SELECT count(*) FROM "SystemNotification""#, &[])
        .await;
    f.place(Role::ProductionCoordinator, created, quality())
        .await
        .expect("quality hold");
    assert_eq!(
        f.count(r#"SELECT count(*) FROM "SystemNotification""#, &[])
            .await,
        before
    );
}

#[tokio::test]
async fn a_held_build_refuses_tasks_testing_and_moves_until_released() {
    let f = Floor::new().await;
    let id = f
        .build_with_one_open_task("PO-H6", example_build("H-6"))
        .await;
    f.place(Role::ProductionCoordinator, id, quality())
        .await
        .expect("hold");
    let asm = f.token(Role::Assembler);
    let list = tasks::task_list(&f.ctx, &asm, id).await.expect("tasks");
    let locked = list.locked.clone().unwrap_or_default();
    assert!(locked.starts_with("On hold: quality since "), "{locked}");
    let open = list
        .tasks
        .iter()
        .find(|t| !t.is_completed)
        .map(|t| t.id)
        .expect("an open task");
    assert_on_hold(
        tasks::complete_task(&f.ctx, &asm, open, TaskCompletion::default()).await,
        "task completion",
    );
    let done = list
        .tasks
        .iter()
        .find(|t| t.is_completed)
        .map(|t| t.id)
        .expect("a completed task");
    assert_on_hold(tasks::reopen_task(&f.ctx, &asm, done).await, "task reopen");
    let form = f.testing_form(id).await;
    assert_on_hold(
        testing::submit_testing(
            &f.ctx,
            &asm,
            id,
            conforming_testing(&form),
            DEMO_PASSWORD.into(),
        )
        .await,
        "testing submission",
    );
    assert_on_hold(f.t5(id).await, "the assembler's move");
    assert_on_hold(
        f.move_with(
            Role::Admin,
            id,
            (S::ReadyForProduction, S::TestingComplete),
            None,
            Some("Line stop"),
            Some(DEMO_PASSWORD),
        )
        .await,
        "an override",
    );
    assert_eq!(f.status(id).await, S::ReadyForProduction);

    f.release(Role::ProductionCoordinator, id)
        .await
        .expect("release");
    tasks::complete_task(&f.ctx, &asm, open, TaskCompletion::default())
        .await
        .expect("completes after the release");
}

#[tokio::test]
async fn a_held_build_refuses_qc_submission_and_packaging() {
    let f = Floor::new().await;
    let pre_qc = f.build_at_pre_qc("PO-H7", example_build("H-7")).await;
    f.place(Role::ProductionCoordinator, pre_qc, quality())
        .await
        .expect("hold");
    let form = f.qc_form(pre_qc).await;
    assert_on_hold(
        f.send(Request::SubmitQc {
            token: f.token(Role::QcPerson),
            order_id: pre_qc,
            qc_type: form.header.qc_type,
            job_id: "JOB-H".into(),
            answers: conforming_qc(&form),
            outcome: QcOutcome::Pass,
            reason: None,
            password: DEMO_PASSWORD.into(),
            rejection_reasons: Vec::new(),
        })
        .await,
        "QC submission",
    );
    assert_eq!(f.status(pre_qc).await, S::ReadyForPreQc);

    let packing = f
        .build_testing_complete("PO-H8", example_build("H-8"))
        .await;
    let asm = f.token(Role::Assembler);
    let view = packaging::packaging(&f.ctx, &asm, packing)
        .await
        .expect("checklist");
    let line = view.lines.first().cloned().expect("a packaging line");
    f.place(Role::ProductionCoordinator, packing, quality())
        .await
        .expect("hold");
    assert_on_hold(
        packaging::set_packed(&f.ctx, &asm, line.id, line.required).await,
        "packing",
    );
}

#[tokio::test]
async fn the_database_refuses_moves_task_changes_and_changes_to_a_released_hold() {
    let f = Floor::new().await;
    let id = f
        .build_with_one_open_task("PO-H9", example_build("H-9"))
        .await;
    f.place(Role::ProductionCoordinator, id, quality())
        .await
        .expect("hold");
    let station = f.db.station().await;
    let moved = station
        .execute(
            r#"UPDATE "ProductionOrder" SET "orderStatus" = 'TESTING_COMPLETE' WHERE id = $1"#,
            &[&id],
        )
        .await;
    assert!(
        moved.is_err_and(|e| e
            .as_db_error()
            .is_some_and(|d| d.message().contains("is on hold"))),
        "a station's credentials alone do not move a held build"
    );
    let completed = station
        .execute(
            r#"UPDATE "Task" SET "isCompleted" = true
                WHERE "taskListId" IN (SELECT id FROM "TaskList" WHERE "orderId" = $1)
                  AND NOT "isCompleted""#,
            &[&id],
        )
        .await;
    assert!(completed.is_err(), "nor complete its tasks");
    let edited = station
        .execute(
            r#"UPDATE "BuildHold" SET "note" = 'changed' WHERE "orderId" = $1"#,
            &[&id],
        )
        .await;
    assert!(edited.is_err(), "an open hold's note never changes");

    f.release(Role::ProductionCoordinator, id)
        .await
        .expect("release");
    for sql in [
        r#"UPDATE "BuildHold" SET "releaseNote" = 'other' WHERE "orderId" = $1"#,
        r#"UPDATE "BuildHold" SET "releasedAt" = NULL, "releasedBy" = NULL, "releaseNote" = NULL
            WHERE "orderId" = $1"#,
        r#"DELETE FROM "BuildHold" WHERE "orderId" = $1"#,
    ] {
        let changed = station.execute(sql, &[&id]).await;
        assert!(changed.is_err(), "a released hold never changes: {sql}");
    }
    let owner = f.db.client().await;
    let deleted = owner
        .execute(r#"DELETE FROM "BuildHold" WHERE "orderId" = $1"#, &[&id])
        .await;
    assert!(deleted.is_err(), "not even by the owner");
    assert!(
        f.audit_rows_of("BuildHold").await >= 2,
        "placing and releasing are audited"
    );
}

#[tokio::test]
async fn hold_time_adds_every_hold_of_the_build() {
    let f = Floor::new().await;
    let id = f.build_in_production("PO-H10", example_build("H-10")).await;
    assert_eq!(
        f.detail(Role::ProductionCoordinator, id).await.hold_minutes,
        0
    );
    // A hold placed 90 minutes ago (written as the owner, open, so the guard lets the time through).
    f.db.client()
        .await
        .execute(
            r#"INSERT INTO "BuildHold" ("orderId", "reason", "note", "placedBy", "placedAt")
               VALUES ($1, 'OTHER', 'Waiting for the customer', $2, LOCALTIMESTAMP - interval '90 minutes')"#,
            &[&id, &f.id(Role::ProductionCoordinator)],
        )
        .await
        .expect("backdated hold");
    let open = f.detail(Role::ProductionCoordinator, id).await;
    assert!(
        (90..=91).contains(&open.hold_minutes),
        "{}",
        open.hold_minutes
    );
    f.release(Role::ProductionCoordinator, id)
        .await
        .expect("release");
    let released = f.detail(Role::ProductionCoordinator, id).await;
    assert!(released.hold.is_none());
    assert!(
        (90..=91).contains(&released.hold_minutes),
        "{}",
        released.hold_minutes
    );
    // The view reports may read gives the same total, and a second hold adds to it.
    f.place(Role::ProductionCoordinator, id, quality())
        .await
        .expect("second hold");
    let holds = f
        .count(
            r#"SELECT "holds" FROM "BuildHoldTime" WHERE "orderId" = $1"#,
            &[&id],
        )
        .await;
    assert_eq!(holds, 2);
    let minutes = f
        .count(
            r#"SELECT "holdMinutes" FROM "BuildHoldTime" WHERE "orderId" = $1"#,
            &[&id],
        )
        .await;
    assert!((90..=91).contains(&minutes), "{minutes}");
}
