//! Corrections and cancelling (docs/lifecycle.md §11, §12): who may, when, the field rules, the stale
//! edit from another station, the records a correction and a cancellation leave (history, corrections,
//! audit), the queues a cancelled build leaves and the search that still finds it, and what the database
//! itself refuses.

use crate::floor::{Floor, example_build};
use chrono::NaiveDate;
use cleanstation::domain::Role;
use cleanstation::domain::correction::{Correctable, CorrectionRequest};
use cleanstation::domain::order::{OrderAction, OrderQuery, OrderRow, OrderStatus, QueueView};
use cleanstation::error::ServiceError;
use cleanstation::msg::{Reply, Request};
use uuid::Uuid;

use OrderStatus as S;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

/// What `Floor::create_build` stores.
fn created() -> Correctable {
    Correctable {
        want_date: day(2099, 12, 31),
        project_name: None,
        sales_person: "Jo Sales".into(),
        notes: None,
    }
}

fn row_of(r: Result<Reply, ServiceError>) -> Result<OrderRow, ServiceError> {
    r.map(|r| match r {
        Reply::OrderUpdated(row) => row,
        other => panic!("unexpected reply {other:?}"),
    })
}

/// The correction and cancel requests these tests send.
impl Floor {
    async fn correct(
        &self,
        role: Role,
        id: Uuid,
        expected: Correctable,
        wanted: Correctable,
        reason: &str,
    ) -> Result<OrderRow, ServiceError> {
        row_of(
            self.send(Request::CorrectOrder {
                token: self.token(role),
                order_id: id,
                correction: Box::new(CorrectionRequest {
                    expected,
                    wanted,
                    reason: reason.into(),
                }),
            })
            .await,
        )
    }

    async fn cancel(
        &self,
        role: Role,
        id: Uuid,
        expected: S,
        reason: &str,
    ) -> Result<OrderRow, ServiceError> {
        row_of(
            self.send(Request::CancelOrder {
                token: self.token(role),
                order_id: id,
                expected,
                reason: reason.into(),
            })
            .await,
        )
    }

    async fn corrections_of(&self, id: Uuid) -> i64 {
        self.scalar_i64(
            r#"SELECT count(*) FROM "OrderCorrection" WHERE "orderId" = $1"#,
            id,
        )
        .await
    }

    /// The ids of the builds `role`'s queue shows in `view`, searching `search`.
    async fn queue_ids(&self, role: Role, view: QueueView, search: &str) -> Vec<(Uuid, S)> {
        match self
            .send(Request::ListOrders {
                token: self.token(role),
                query: Box::new(OrderQuery {
                    view,
                    search: search.into(),
                    ..OrderQuery::default()
                }),
            })
            .await
        {
            Ok(Reply::Orders(p)) => p.rows.iter().map(|r| (r.id, r.status)).collect(),
            other => panic!("expected a queue page, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_correction_is_stored_with_its_reason_in_the_history_the_corrections_and_the_audit() {
    let f = Floor::new().await;
    let id = f.create_build("PO-C1", example_build("C-1")).await;
    let detail = f.detail(Role::ProductionCoordinator, id).await;
    assert!(detail.actions.contains(&OrderAction::Correct));
    assert!(
        !detail.actions.contains(&OrderAction::Cancel),
        "only ADMIN cancels"
    );
    assert!(
        !f.detail(Role::Assembler, id)
            .await
            .actions
            .contains(&OrderAction::Correct)
    );

    let mut wanted = created();
    wanted.want_date = day(2100, 1, 15);
    wanted.notes = Some("Deliver to dock 3".into());
    let row = f
        .correct(
            Role::ProductionCoordinator,
            id,
            created(),
            wanted.clone(),
            "Customer moved the delivery",
        )
        .await
        .expect("correction");
    assert_eq!(row.want_date, day(2100, 1, 15));
    assert_eq!(f.corrections_of(id).await, 2, "one row per changed field");
    let stored =
        f.db.client()
            .await
            .query(
                r#"SELECT "field", "oldValue", "newValue", "reason" FROM "OrderCorrection"
                WHERE "orderId" = $1 ORDER BY "field""#,
                &[&id],
            )
            .await
            .expect("corrections");
    let rows: Vec<(String, Option<String>, Option<String>, String)> = stored
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
        .collect();
    let reason = "Customer moved the delivery".to_string();
    assert_eq!(
        rows,
        vec![
            (
                "notes".into(),
                None,
                Some("Deliver to dock 3".into()),
                reason.clone()
            ),
            (
                "wantDate".into(),
                Some("2099-12-31".into()),
                Some("2100-01-15".into()),
                reason.clone()
            ),
        ]
    );
    let detail = f.detail(Role::ProductionCoordinator, id).await;
    assert_eq!(detail.header.notes.as_deref(), Some("Deliver to dock 3"));
    let corrected = detail
        .history
        .iter()
        .find(|h| h.action == "CORRECTED")
        .expect("a history row");
    assert_eq!(
        corrected.notes.as_deref(),
        Some(
            "Want date 2099-12-31 -> 2100-01-15; Notes (empty) -> Deliver to dock 3; \
             reason: Customer moved the delivery"
        )
    );
    assert_eq!(corrected.new_status, S::OrderCreated);
    let audited = f
        .count(
            r#"SELECT count(*) FROM "AuditLog"
                WHERE "entityType" = 'OrderCorrection' AND "action" = 'INSERT'
                  AND "newValues"->>'reason' = 'Customer moved the delivery'
                  AND "newValues"->>'orderId' = $1"#,
            &[&id.to_string()],
        )
        .await;
    assert_eq!(
        audited, 2,
        "the audit trail carries each correction's reason"
    );
    let order_audit = f
        .count(
            r#"SELECT count(*) FROM "AuditLog"
                WHERE "entityType" = 'ProductionOrder' AND "action" = 'UPDATE' AND "entityId" = $1
                  AND "newValues"->>'wantDate' = '2100-01-15'"#,
            &[&id.to_string()],
        )
        .await;
    assert_eq!(order_audit, 1, "and the build's own row change");

    // ADMIN corrects too, and a READY_FOR_SHIP build is still in the window.
    f.force_status(id, S::ReadyForShip).await;
    let mut later = wanted.clone();
    later.sales_person = "Omar Haddad".into();
    f.correct(Role::Admin, id, wanted, later, "Account moved to Omar")
        .await
        .expect("ADMIN corrects");
    assert_eq!(f.corrections_of(id).await, 3);
}

#[tokio::test]
async fn corrections_refuse_other_roles_bad_values_stale_edits_and_shipped_builds() {
    let f = Floor::new().await;
    let id = f.create_build("PO-C2", example_build("C-2")).await;
    let mut wanted = created();
    wanted.project_name = Some("Ward 7".into());
    for role in [
        Role::Assembler,
        Role::ProcurementSpecialist,
        Role::QcPerson,
        Role::ServiceDepartment,
    ] {
        let refused = f
            .correct(role, id, created(), wanted.clone(), "reason")
            .await;
        assert!(
            matches!(&refused, Err(ServiceError::Forbidden(m)) if m.contains("cannot correct a build's details")),
            "{role}: {refused:?}"
        );
    }

    let cases: Vec<(Correctable, &str, &str)> = vec![
        (
            Correctable {
                want_date: day(2000, 1, 1),
                ..created()
            },
            "r",
            "Want date must be after today",
        ),
        (
            Correctable {
                project_name: Some("AB".into()),
                ..created()
            },
            "r",
            "Project name must be 3 to 100 characters, or empty",
        ),
        (
            Correctable {
                sales_person: " ".into(),
                ..created()
            },
            "r",
            "Sales person is required",
        ),
        (wanted.clone(), "   ", "A reason is required"),
        (created(), "r", "Nothing to correct"),
    ];
    for (values, reason, message) in cases {
        let refused = f
            .correct(Role::ProductionCoordinator, id, created(), values, reason)
            .await;
        assert!(
            matches!(&refused, Err(ServiceError::Invalid(m)) if m.starts_with(message)),
            "{message}: {refused:?}"
        );
    }
    assert_eq!(f.corrections_of(id).await, 0, "nothing refused is written");

    // Another station corrected first: the values this station saw are no longer stored.
    f.correct(Role::Admin, id, created(), wanted.clone(), "Project named")
        .await
        .expect("first correction");
    let mut mine = created();
    mine.notes = Some("Mine".into());
    let stale = f
        .correct(Role::ProductionCoordinator, id, created(), mine, "late")
        .await;
    assert!(
        matches!(&stale, Err(ServiceError::Conflict(m))
            if m == "Build C-2 was corrected on another station (Project name is now Ward 7); \
                     your correction was not saved"),
        "{stale:?}"
    );
    assert_eq!(f.corrections_of(id).await, 1);

    f.force_status(id, S::Shipped).await;
    let mut after = wanted.clone();
    after.notes = Some("Too late".into());
    let shipped = f
        .correct(Role::ProductionCoordinator, id, wanted, after, "late")
        .await;
    assert!(
        matches!(&shipped, Err(ServiceError::Invalid(m))
            if m == "Build C-2 is now SHIPPED; its details can no longer be corrected"),
        "{shipped:?}"
    );
    assert!(
        !f.detail(Role::ProductionCoordinator, id)
            .await
            .actions
            .contains(&OrderAction::Correct)
    );
}

#[tokio::test]
async fn admin_cancels_a_build_before_production_and_it_leaves_the_work_queues() {
    let f = Floor::new().await;
    let id = f.create_build("PO-X1", example_build("X-1")).await;
    let other = f.create_build("PO-X2", example_build("X-2")).await;
    let refused = f
        .cancel(Role::ProductionCoordinator, id, S::OrderCreated, "r")
        .await;
    assert!(
        matches!(&refused, Err(ServiceError::Forbidden(m)) if m.contains("cannot cancel a build")),
        "{refused:?}"
    );
    let no_reason = f.cancel(Role::Admin, id, S::OrderCreated, "  ").await;
    assert!(
        matches!(&no_reason, Err(ServiceError::Invalid(m)) if m == "A reason is required"),
        "{no_reason:?}"
    );
    let stale = f.cancel(Role::Admin, id, S::PartsSent, "r").await;
    assert!(
        matches!(&stale, Err(ServiceError::Conflict(m)) if m.contains("is now ORDER_CREATED")),
        "{stale:?}"
    );
    assert!(
        f.detail(Role::Admin, id)
            .await
            .actions
            .contains(&OrderAction::Cancel)
    );

    let row = f
        .cancel(
            Role::Admin,
            id,
            S::OrderCreated,
            "Customer withdrew the order",
        )
        .await
        .expect("cancel");
    assert_eq!(row.status, S::Cancelled);
    let detail = f.detail(Role::Admin, id).await;
    let h = detail.history.first().expect("history");
    assert_eq!(
        (
            h.action.as_str(),
            h.old_status,
            h.new_status,
            h.notes.as_deref()
        ),
        (
            "CANCELLED",
            Some(S::OrderCreated),
            S::Cancelled,
            Some("Customer withdrew the order")
        )
    );
    assert!(
        !detail
            .actions
            .iter()
            .any(|a| matches!(a, OrderAction::Override { .. } | OrderAction::Cancel)),
        "nothing moves a cancelled build: {:?}",
        detail.actions
    );
    assert_eq!(
        f.scalar_i64(
            r#"SELECT count(*) FROM "BillOfMaterials" WHERE "orderId" = $1"#,
            id
        )
        .await,
        1,
        "nothing is deleted"
    );
    let notified = f
        .count(
            r#"SELECT count(*) FROM "SystemNotification"
                WHERE "relatedEntityId" = $1 AND "message" LIKE '%CANCELLED%'"#,
            &[&id.to_string()],
        )
        .await;
    assert_eq!(notified, 0, "a cancelled build has no next role");

    // Gone from every work queue, still found by the search over all builds.
    for role in [Role::ProductionCoordinator, Role::ProcurementSpecialist] {
        let mine = f.queue_ids(role, QueueView::MyWork, "").await;
        assert!(!mine.iter().any(|(i, _)| *i == id), "{role}: {mine:?}");
        assert!(mine.iter().any(|(i, _)| *i == other), "{role}: {mine:?}");
    }
    let found = f.queue_ids(Role::Assembler, QueueView::All, "X-1").await;
    assert_eq!(found, vec![(id, S::Cancelled)]);
    let searched = f
        .queue_ids(Role::ProductionCoordinator, QueueView::MyWork, "X-1")
        .await;
    assert_eq!(
        searched,
        vec![(id, S::Cancelled)],
        "the coordinator's search"
    );

    // CANCELLED is final.
    let moved = f
        .move_with(
            Role::Admin,
            id,
            (S::Cancelled, S::PartsSent),
            None,
            Some("reopen"),
            Some(cleanstation::service::seed::DEMO_PASSWORD),
        )
        .await;
    assert!(
        matches!(&moved, Err(ServiceError::Invalid(m) | ServiceError::Forbidden(m)) if m == "CANCELLED is final"),
        "{moved:?}"
    );
    let again = f.cancel(Role::Admin, id, S::Cancelled, "again").await;
    assert!(
        matches!(&again, Err(ServiceError::Invalid(m)) if m == "Build X-1 is already cancelled"),
        "{again:?}"
    );
}

#[tokio::test]
async fn a_build_with_floor_work_done_is_not_cancelled() {
    let f = Floor::new().await;
    let fresh = f.build_in_production("PO-X3", example_build("X-3")).await;
    assert!(
        f.detail(Role::Admin, fresh)
            .await
            .actions
            .contains(&OrderAction::Cancel),
        "READY_FOR_PRODUCTION with no task completed has not entered production"
    );
    let started = f
        .build_with_one_open_task("PO-X4", example_build("X-4"))
        .await;
    assert!(
        !f.detail(Role::Admin, started)
            .await
            .actions
            .contains(&OrderAction::Cancel)
    );
    let refused = f
        .cancel(Role::Admin, started, S::ReadyForProduction, "r")
        .await;
    assert!(
        matches!(&refused, Err(ServiceError::Invalid(m))
            if m == "Build X-4 has entered production; it cannot be cancelled"),
        "{refused:?}"
    );
    // The database refuses it too, whoever asks.
    let station = f.db.station().await;
    let direct = station
        .execute(
            r#"UPDATE "ProductionOrder" SET "orderStatus" = 'CANCELLED' WHERE id = $1"#,
            &[&started],
        )
        .await;
    assert!(
        direct.is_err_and(|e| e
            .as_db_error()
            .is_some_and(|d| d.message().contains("has entered production"))),
        "a station's credentials alone do not cancel a build in production"
    );
    f.cancel(Role::Admin, fresh, S::ReadyForProduction, "Duplicate order")
        .await
        .expect("cancel before the floor started");
}

#[tokio::test]
async fn the_database_refuses_moves_out_of_cancelled_floor_writes_and_changed_corrections() {
    let f = Floor::new().await;
    let id = f.build_in_production("PO-X5", example_build("X-5")).await;
    let mut wanted = created();
    wanted.notes = Some("Hold for the customer".into());
    f.correct(
        Role::ProductionCoordinator,
        id,
        created(),
        wanted,
        "Asked by phone",
    )
    .await
    .expect("correction");
    f.cancel(Role::Admin, id, S::ReadyForProduction, "Customer withdrew")
        .await
        .expect("cancel");

    let station = f.db.station().await;
    let refusal = |sql: &str| -> &str {
        if sql.contains("OrderCorrection") {
            // The station has no grant for it at all.
            "permission denied"
        } else if sql.contains("ProductionOrder") {
            "its status does not change"
        } else {
            "its floor records are not changed"
        }
    };
    let writes = [
        r#"UPDATE "ProductionOrder" SET "orderStatus" = 'READY_FOR_PRODUCTION' WHERE id = $1"#,
        r#"UPDATE "Task" SET "isCompleted" = true
            WHERE "taskListId" IN (SELECT id FROM "TaskList" WHERE "orderId" = $1)"#,
        r#"INSERT INTO "TestingForm" ("orderId", "performedBy", "overallStatus")
            SELECT $1, u.id, 'PASS' FROM "User" u LIMIT 1"#,
        r#"UPDATE "OrderCorrection" SET "reason" = 'changed' WHERE "orderId" = $1"#,
        r#"DELETE FROM "OrderCorrection" WHERE "orderId" = $1"#,
    ];
    for sql in writes {
        let written = station.execute(sql, &[&id]).await;
        let expected = refusal(sql);
        assert!(
            written.is_err_and(|e| e
                .as_db_error()
                .is_some_and(|d| d.message().contains(expected))),
            "refused with “{expected}”: {sql}"
        );
    }
    let owner = f.db.client().await;
    for sql in [
        r#"UPDATE "OrderCorrection" SET "reason" = 'changed' WHERE "orderId" = $1"#,
        r#"DELETE FROM "OrderCorrection" WHERE "orderId" = $1"#,
    ] {
        let written = owner.execute(sql, &[&id]).await;
        assert!(
            written.is_err_and(|e| e
                .as_db_error()
                .is_some_and(|d| d.message().contains("permanent record"))),
            "not even by the owner: {sql}"
        );
    }
    assert_eq!(f.status(id).await, S::Cancelled);
    assert_eq!(f.corrections_of(id).await, 1);
}

#[tokio::test]
async fn the_deadline_sweep_leaves_cancelled_builds_out() {
    let f = Floor::new().await;
    let cancelled = f.create_build("PO-X6", example_build("X-6")).await;
    let open = f.create_build("PO-X7", example_build("X-7")).await;
    f.cancel(Role::Admin, cancelled, S::OrderCreated, "Withdrawn")
        .await
        .expect("cancel");
    let owner = f.db.client().await;
    owner
        .execute(
            r#"UPDATE "ProductionOrder" SET "wantDate" = CURRENT_DATE - 2 WHERE id = ANY($1)"#,
            &[&vec![cancelled, open]],
        )
        .await
        .expect("overdue");
    owner
        .execute("SELECT deadline_alerts_raise()", &[])
        .await
        .expect("sweep");
    let alerts = |id: Uuid| {
        f.scalar_i64(
            r#"SELECT count(*) FROM "DeadlineAlert" WHERE "orderId" = $1"#,
            id,
        )
    };
    assert_eq!(alerts(open).await, 1);
    assert_eq!(alerts(cancelled).await, 0);
}
