//! A whole production round and the next one after a Final QC failure (docs/lifecycle.md §3.4,
//! docs/assembly-floor.md §4): the tasks stay done and one rework task is added, the round's earlier
//! testing form and packaging checklist no longer count, and both are required again before the build may
//! go back to Final QC.

use crate::floor::{Floor, conforming_qc, conforming_testing, example_build};
use cleanstation::domain::Role;
use cleanstation::domain::checklist::FormType;
use cleanstation::domain::floor::{FloorProgress, PackagingView, TestingStatus};
use cleanstation::domain::order::OrderStatus as S;
use cleanstation::domain::qc::QcOutcome;
use cleanstation::domain::tasks::TaskCompletion;
use cleanstation::error::ServiceError;
use cleanstation::msg::{Reply, Request};
use cleanstation::service::seed::DEMO_PASSWORD;
use cleanstation::service::{packaging, tasks, testing};
use uuid::Uuid;

fn refusal<T: std::fmt::Debug>(r: Result<T, ServiceError>) -> String {
    match r {
        Err(e) => e.user_message(),
        Ok(v) => panic!("expected a refusal, got {v:?}"),
    }
}

impl Floor {
    /// Completes every open task through the service, as the runner does.
    pub(crate) async fn work_all_tasks(&self, id: Uuid) {
        let asm = self.token(Role::Assembler);
        let list = tasks::task_list(&self.ctx, &asm, id).await.expect("list");
        for t in list.tasks.iter().filter(|t| !t.is_completed) {
            let completion = TaskCompletion {
                choice: t.options.first().cloned(),
                ..TaskCompletion::default()
            };
            tasks::complete_task(&self.ctx, &asm, t.id, completion)
                .await
                .expect("complete task");
        }
    }

    /// A passed testing form in the current round.
    pub(crate) async fn pass_testing(&self, id: Uuid) {
        let form = self.testing_form(id).await;
        let done = testing::submit_testing(
            &self.ctx,
            &self.token(Role::Assembler),
            id,
            conforming_testing(&form),
            cleanstation::service::seed::DEMO_PASSWORD.into(),
        )
        .await
        .expect("submit testing");
        assert_eq!(done.status, TestingStatus::Pass);
    }

    /// The build detail's floor summary, as the coordinator sees it.
    async fn floor(&self, id: Uuid) -> FloorProgress {
        let reply = self
            .send(Request::OrderDetail {
                token: self.token(Role::ProductionCoordinator),
                order_id: id,
            })
            .await
            .expect("detail");
        let Reply::Order(detail) = reply else {
            panic!("not a detail: {reply:?}");
        };
        detail.floor.expect("a build on the floor has a summary")
    }

    pub(crate) async fn final_qc(&self, id: Uuid, outcome: QcOutcome, reason: Option<&str>) {
        let form = self.qc_form(id).await;
        assert_eq!(form.header.qc_type, FormType::FinalQc);
        self.send(Request::SubmitQc {
            token: self.token(Role::QcPerson),
            order_id: id,
            qc_type: FormType::FinalQc,
            job_id: "JOB-FQC".into(),
            answers: conforming_qc(&form),
            outcome,
            reason: reason.map(str::to_string),
            password: DEMO_PASSWORD.into(),
            rejection_reasons: self.reasons_for(outcome).await,
        })
        .await
        .expect("Final QC submitted");
    }

    /// Testing passed, T5, everything packed, T6 and T7: the build waits for Final QC.
    pub(crate) async fn finish_round(&self, id: Uuid) -> PackagingView {
        self.pass_testing(id).await;
        self.t5(id).await.expect("T5");
        self.pack_and_send_to_final_qc(id).await
    }

    /// T10 by the coordinator, with tracking number 1Z999AA10123456784 and the note "Dock 4".
    pub(crate) async fn ship(&self, id: Uuid) {
        self.send(Request::Transition {
            token: self.token(Role::ProductionCoordinator),
            order_id: id,
            from: S::ReadyForShip,
            to: S::Shipped,
            note: cleanstation::domain::lifecycle::pack_shipping("1Z999AA10123456784", "Dock 4"),
            override_reason: None,
            password: Some(cleanstation::service::seed::DEMO_PASSWORD.into()),
        })
        .await
        .expect("shipped");
    }

    /// Packs everything, then T6 and T7; returns the completed checklist.
    pub(crate) async fn pack_and_send_to_final_qc(&self, id: Uuid) -> PackagingView {
        let packed = self.pack_all(id).await;
        assert!(packed.completed, "{packed:#?}");
        for (from, to) in [
            (S::TestingComplete, S::PackagingComplete),
            (S::PackagingComplete, S::ReadyForFinalQc),
        ] {
            self.transition(Role::Assembler, id, from, to)
                .await
                .expect("T6 / T7");
        }
        packed
    }
}

#[tokio::test]
async fn after_a_final_qc_failure_the_next_round_needs_new_testing_and_packaging() {
    let f = Floor::new().await;
    let asm = f.token(Role::Assembler);
    let id = f
        .build_in_production("PO-RW-1", example_build("RW-1"))
        .await;

    let floor = f.floor(id).await;
    assert_eq!((floor.tasks_done, floor.tasks_total), (0, 18));
    assert!(floor.testing.is_none() && floor.packaging.is_none());

    // Round 1, worked through the services.
    f.work_all_tasks(id).await;
    let packed = f.finish_round(id).await;
    let first_checklist = packed.checklist_id;
    let floor = f.floor(id).await;
    assert_eq!((floor.tasks_done, floor.tasks_total), (18, 18));
    let form = floor.testing.expect("the round's form");
    assert_eq!(form.status, TestingStatus::Pass);
    assert_eq!(form.performed_by, "Luis Ortega");
    let pack = floor.packaging.expect("the checklist");
    assert_eq!(
        (pack.items_complete, pack.items),
        (packed.lines.len(), packed.lines.len())
    );
    assert_eq!(
        pack.completed.map(|(by, _)| by).as_deref(),
        Some("Luis Ortega")
    );
    f.final_qc(id, QcOutcome::Fail, Some("Scratch on the backsplash"))
        .await;
    assert_eq!(f.status(id).await, S::ReadyForProduction);
    // The failure's nonconformance is dispositioned REWORK, so the build may ship once it passes
    // (docs/nonconformance.md §5).
    let nc = f.detail(Role::QcPerson, id).await.nonconformances[0].id;
    f.send(Request::DispositionNonconformance {
        token: f.token(Role::QcPerson),
        id: nc,
        disposition: cleanstation::domain::nonconformance::Disposition::Rework,
        note: None,
        password: DEMO_PASSWORD.into(),
    })
    .await
    .expect("dispositioned");

    // Round 2: the 18 tasks stay done, the rework task is open, and the list is not locked.
    let list = tasks::task_list(&f.ctx, &asm, id).await.expect("list");
    assert_eq!(list.total(), 19);
    assert_eq!(list.done(), 18);
    assert_eq!(list.locked, None);
    let rework = list.next_open().expect("the rework task");
    assert_eq!(
        rework.description,
        "Rework after Final QC failure: [FINISH] Scratch on the backsplash"
    );
    let t5 = refusal(f.t5(id).await);
    assert!(t5.contains("1 task(s) still open"), "{t5}");
    // The summary follows the round: the earlier form and checklist no longer show.
    let floor = f.floor(id).await;
    assert_eq!((floor.tasks_done, floor.tasks_total), (18, 19));
    assert!(
        floor.testing.is_none() && floor.packaging.is_none(),
        "{floor:?}"
    );

    // The first round's PASS form does not count in the second round.
    f.work_all_tasks(id).await;
    let form = f.testing_form(id).await;
    assert!(form.submitted.is_empty(), "{:?}", form.submitted);
    assert!(form.answers.is_empty() && form.draft_id.is_none());
    let t5 = refusal(f.t5(id).await);
    assert!(t5.contains("No passed testing form in this round"), "{t5}");

    // A new form, a new checklist (nothing packed yet), and the build goes back to Final QC.
    f.pass_testing(id).await;
    f.t5(id).await.expect("T5 in round 2");
    let second = packaging::packaging(&f.ctx, &asm, id)
        .await
        .expect("round 2 checklist");
    assert_ne!(second.checklist_id, first_checklist);
    assert!(!second.completed && second.lines.iter().all(|l| l.packed == 0));
    let t6 = refusal(
        f.transition(
            Role::Assembler,
            id,
            S::TestingComplete,
            S::PackagingComplete,
        )
        .await,
    );
    assert!(t6.contains("Packaging incomplete"), "{t6}");
    f.pack_and_send_to_final_qc(id).await;
    f.final_qc(id, QcOutcome::Pass, None).await;
    assert_eq!(f.status(id).await, S::ReadyForShip);

    // Both rounds' records remain.
    let forms = f
        .scalar_i64(
            r#"SELECT count(*) FROM "TestingForm" WHERE "orderId" = $1 AND "overallStatus" = 'PASS'"#,
            id,
        )
        .await;
    assert_eq!(forms, 2);
    let checklists = f
        .scalar_i64(
            r#"SELECT count(*) FROM "PackagingChecklist" WHERE "orderId" = $1 AND "isCompleted""#,
            id,
        )
        .await;
    assert_eq!(checklists, 2);

    // The coordinator ships it. Every step of both rounds ran through the station role, each write
    // proven by a session, and the audit trail verifies.
    f.ship(id).await;
    let report = cleanstation::db::audit::verify(&f.db.client().await)
        .await
        .expect("verify");
    assert_eq!(
        report.first_problem(),
        None,
        "{}",
        cleanstation::db::audit::describe(&report)
    );
    assert_eq!(report.unattributed_count, 0, "{:?}", report.unattributed);
}
