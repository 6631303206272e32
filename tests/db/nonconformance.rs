//! Nonconformance records (docs/nonconformance.md): raised from a failed Final QC or testing form and by
//! hand, numbered per year without duplicates under concurrent raises, dispositioned with signatures (a
//! use-as-is needs a second person's), closed once the rework is done, refused changes by the database
//! once signed, and blocking shipment while OPEN.

use crate::auth::{PW, add, login_ok};
use crate::floor::{Floor, conforming_qc, conforming_testing, example_build, faucet_build};
use cleanstation::db::audit;
use cleanstation::db::signatures::verify_order;
use cleanstation::domain::Role;
use cleanstation::domain::checklist::{CheckType, FormType};
use cleanstation::domain::floor::TestingStatus;
use cleanstation::domain::nonconformance::{
    Disposition, NcDetail, NcPage, NcSource, NcStatus, SAME_SIGNER,
};
use cleanstation::domain::order::OrderStatus as S;
use cleanstation::domain::qc::QcOutcome;
use cleanstation::domain::signature::{Meaning, SignedRecord};
use cleanstation::error::ServiceError;
use cleanstation::msg::{Reply, Request};
use cleanstation::service::seed::DEMO_PASSWORD;
use cleanstation::service::signatures::WRONG_PASSWORD;
use cleanstation::service::testing;
use uuid::Uuid;

fn detail(r: Result<Reply, ServiceError>) -> NcDetail {
    match r {
        Ok(Reply::Nonconformance(d)) => *d,
        other => panic!("expected a nonconformance, got {other:?}"),
    }
}

fn refusal<T: std::fmt::Debug>(r: Result<T, ServiceError>) -> String {
    match r {
        Err(e) => e.user_message(),
        Ok(v) => panic!("expected a refusal, got {v:?}"),
    }
}

/// The current UTC year, as the numbers use it.
fn year() -> i32 {
    use chrono::Datelike;
    chrono::Utc::now().year()
}

impl Floor {
    async fn raise_as(
        &self,
        token: String,
        order_id: Uuid,
        text: &str,
    ) -> Result<Reply, ServiceError> {
        self.send(Request::RaiseNonconformance {
            token,
            order_id,
            description: text.into(),
            items: vec!["Weld seam porous\nLeft rear leg".into()],
        })
        .await
    }

    async fn dispose(
        &self,
        token: String,
        id: Uuid,
        disposition: Disposition,
        note: Option<&str>,
        password: &str,
    ) -> Result<Reply, ServiceError> {
        self.send(Request::DispositionNonconformance {
            token,
            id,
            disposition,
            note: note.map(str::to_string),
            password: password.into(),
        })
        .await
    }

    async fn nc(&self, id: Uuid) -> NcDetail {
        detail(
            self.send(Request::Nonconformance {
                token: self.token(Role::ProductionCoordinator),
                id,
            })
            .await,
        )
    }

    pub(crate) async fn ncs_of(
        &self,
        order_id: Uuid,
    ) -> Vec<cleanstation::domain::nonconformance::NcSummary> {
        self.detail(Role::ProductionCoordinator, order_id)
            .await
            .nonconformances
    }

    /// QC dispositions every OPEN NC of the build with `disposition`, signed.
    pub(crate) async fn disposition_open(&self, order_id: Uuid, disposition: Disposition) {
        for nc in self.ncs_of(order_id).await {
            if nc.status != NcStatus::Open {
                continue;
            }
            self.dispose(
                self.token(Role::QcPerson),
                nc.id,
                disposition,
                Some("Reworked and retested"),
                cleanstation::service::seed::DEMO_PASSWORD,
            )
            .await
            .expect("dispositioned");
        }
    }

    /// Puts a build straight into READY_FOR_SHIP (as the owner), for the ship rules alone.
    async fn force_ready_for_ship(&self, id: Uuid) {
        self.db
            .client()
            .await
            .execute(
                r#"UPDATE "ProductionOrder" SET "orderStatus" = 'READY_FOR_SHIP' WHERE id = $1"#,
                &[&id],
            )
            .await
            .expect("status");
    }

    async fn try_ship(
        &self,
        role: Role,
        id: Uuid,
        reason: Option<&str>,
    ) -> Result<Reply, ServiceError> {
        self.send(Request::Transition {
            token: self.token(role),
            order_id: id,
            from: S::ReadyForShip,
            to: S::Shipped,
            note: None,
            override_reason: reason.map(str::to_string),
            password: Some(cleanstation::service::seed::DEMO_PASSWORD.into()),
        })
        .await
    }
}

#[tokio::test]
async fn a_final_qc_fail_raises_one_nc_whose_rework_disposition_links_the_rework_task() {
    let f = Floor::new().await;
    let id = f
        .build_in_production("PO-NC-1", example_build("NC-1"))
        .await;
    f.work_all_tasks(id).await;
    f.finish_round(id).await;

    // Final QC fails with one non-conforming answer.
    let form = f.qc_form(id).await;
    assert_eq!(form.header.qc_type, FormType::FinalQc);
    let mut answers = conforming_qc(&form);
    let bad = form
        .lines
        .iter()
        .position(|l| form.items[l.item].check_type == CheckType::Boolean)
        .expect("a yes/no line");
    answers[bad].answer.value = Some("NO".into());
    let bad_code = form.items[form.lines[bad].item].code.clone();
    f.send(Request::SubmitQc {
        token: f.token(Role::QcPerson),
        order_id: id,
        qc_type: FormType::FinalQc,
        job_id: "JOB-FQC".into(),
        answers,
        outcome: QcOutcome::Fail,
        reason: Some("Scratch on the backsplash".into()),
        password: DEMO_PASSWORD.into(),
        rejection_reasons: f.reasons_for(QcOutcome::Fail).await,
    })
    .await
    .expect("Final QC fail");
    assert_eq!(f.status(id).await, S::ReadyForProduction);

    let ncs = f.ncs_of(id).await;
    assert_eq!(ncs.len(), 1, "{ncs:?}");
    assert_eq!(ncs[0].number, format!("NC-{}-0001", year()));
    assert_eq!(ncs[0].source, NcSource::FinalQc);
    assert_eq!(ncs[0].status, NcStatus::Open);
    assert_eq!(ncs[0].description, "[FINISH] Scratch on the backsplash");
    let nc = f.nc(ncs[0].id).await;
    let result_id: Uuid =
        f.db.client()
            .await
            .query_one(
                r#"SELECT id FROM "QCResult" WHERE "orderId" = $1 AND "overallStatus" = 'FAIL'"#,
                &[&id],
            )
            .await
            .expect("failed result")
            .get(0);
    assert_eq!(nc.source_id, Some(result_id));
    assert_eq!(nc.items.len(), 1, "{:?}", nc.items);
    assert_eq!(nc.items[0].code.as_deref(), Some(bad_code.as_str()));
    assert_eq!(nc.items[0].answer.as_deref(), Some("NO"));

    // REWORK links the task the failure appended; closing waits for it.
    let done = detail(
        f.dispose(
            f.token(Role::QcPerson),
            nc.summary.id,
            Disposition::Rework,
            None,
            DEMO_PASSWORD,
        )
        .await,
    );
    assert_eq!(done.summary.status, NcStatus::Dispositioned);
    let task = done.rework_task.clone().expect("rework task linked");
    assert_eq!(
        task.description,
        "Rework after Final QC failure: [FINISH] Scratch on the backsplash"
    );
    assert!(!task.completed);
    assert_eq!(done.signatures.len(), 1);
    assert!(done.signatures[0].verified, "{:?}", done.signatures);
    assert_eq!(done.signatures[0].signature.meaning, Meaning::Dispositioned);
    let close = |note: &str| Request::CloseNonconformance {
        token: f.token(Role::QcPerson),
        id: nc.summary.id,
        note: note.into(),
    };
    let early = refusal(f.send(close("Reworked")).await);
    assert!(early.contains("is not complete"), "{early}");

    // The database keeps the signed content as signed, for every client.
    let client = f.db.client().await;
    let e = client
        .execute(
            r#"UPDATE "Nonconformance" SET "description" = 'Nothing' WHERE id = $1"#,
            &[&nc.summary.id],
        )
        .await
        .expect_err("signed NC changed");
    let msg = e.as_db_error().map(|d| d.message().to_string());
    assert!(
        msg.as_deref().is_some_and(|m| m.contains("is signed")),
        "{msg:?}"
    );
    let e = client
        .execute(
            r#"DELETE FROM "Nonconformance" WHERE id = $1"#,
            &[&nc.summary.id],
        )
        .await
        .expect_err("NC deleted");
    assert!(
        e.as_db_error()
            .is_some_and(|d| d.message().contains("never removed"))
    );

    // Once the rework is done it closes, and then nothing changes.
    f.work_all_tasks(id).await;
    let closed = detail(f.send(close("Reworked and re-inspected")).await);
    assert_eq!(closed.summary.status, NcStatus::Closed);
    assert!(closed.rework_task.is_some_and(|t| t.completed));
    let e = client
        .execute(
            r#"UPDATE "Nonconformance" SET "closeNote" = 'edited' WHERE id = $1"#,
            &[&nc.summary.id],
        )
        .await
        .expect_err("closed NC changed");
    assert!(
        e.as_db_error()
            .is_some_and(|d| d.message().contains("CLOSED"))
    );

    // verify_order verifies the DISPOSITIONED signature until the NC changes behind the application.
    let checks = verify_order(&client, id).await.expect("verify");
    let mine: Vec<_> = checks
        .iter()
        .filter(|c| c.signature.record == SignedRecord::Nonconformance(nc.summary.id))
        .collect();
    assert_eq!(mine.len(), 1);
    assert!(mine[0].verified, "{mine:?}");
    let report = audit::verify(&client).await.expect("audit verify");
    assert!(
        report.chain.problems.is_empty() && report.row_problems.is_empty(),
        "{}",
        audit::describe(&report)
    );
    client
        .batch_execute(&format!(
            r#"ALTER TABLE "Nonconformance" DISABLE TRIGGER USER;
               UPDATE "Nonconformance" SET "description" = 'Nothing' WHERE id = '{}';
               ALTER TABLE "Nonconformance" ENABLE TRIGGER USER;"#,
            nc.summary.id
        ))
        .await
        .expect("edit behind the application");
    let checks = verify_order(&client, id).await.expect("verify");
    assert!(
        checks.iter().any(
            |c| c.signature.record == SignedRecord::Nonconformance(nc.summary.id) && !c.verified
        ),
        "{checks:?}"
    );
}

#[tokio::test]
async fn a_failed_testing_form_raises_one_nc_with_its_failed_lines() {
    let f = Floor::new().await;
    let id = f
        .build_with_one_open_task("PO-NC-2", faucet_build("NC-2"))
        .await;
    f.complete_tasks(id).await;
    let form = f.testing_form(id).await;
    let mut answers = conforming_testing(&form);
    let eol20 = form
        .items
        .iter()
        .find(|i| i.def.code == "EOL-20")
        .map(|i| i.def.id)
        .expect("EOL-20");
    for a in answers
        .iter_mut()
        .filter(|a| a.item_id == eol20 && a.basin_index == Some(1))
    {
        a.answer.value = Some("44.1".into());
    }
    let done = testing::submit_testing(
        &f.ctx,
        &f.token(Role::Assembler),
        id,
        answers,
        cleanstation::service::seed::DEMO_PASSWORD.into(),
    )
    .await
    .expect("submit");
    assert_eq!(done.status, TestingStatus::Fail);

    let ncs = f.ncs_of(id).await;
    assert_eq!(ncs.len(), 1, "{ncs:?}");
    assert_eq!(ncs[0].source, NcSource::Testing);
    let nc = f.nc(ncs[0].id).await;
    assert_eq!(nc.source_id, Some(done.form_id));
    assert_eq!(nc.items.len(), 1, "{:?}", nc.items);
    let item = &nc.items[0];
    assert_eq!(
        (item.code.as_deref(), item.basin, item.answer.as_deref()),
        (Some("EOL-20"), Some(1), Some("44.1"))
    );
    assert_eq!(
        (item.min.as_deref(), item.max.as_deref()),
        (Some("36.0"), Some("44.0"))
    );
    assert!(
        nc.summary.description.contains("EOL-20"),
        "{}",
        nc.summary.description
    );

    // The round's tasks are locked by the submitted form: REWORK is signed but links no task, and says why.
    let done = detail(
        f.dispose(
            f.token(Role::QcPerson),
            nc.summary.id,
            Disposition::Rework,
            None,
            DEMO_PASSWORD,
        )
        .await,
    );
    assert_eq!(done.summary.status, NcStatus::Dispositioned);
    assert!(done.rework_task.is_none());
    let notice = done.notice.unwrap_or_default();
    assert!(notice.contains("no rework task was added"), "{notice}");
}

#[tokio::test]
async fn manual_ncs_block_shipping_until_dispositioned_and_use_as_is_needs_two_people() {
    let f = Floor::new().await;
    let id = f.create_build("PO-NC-3", example_build("NC-3")).await;

    // Raised by each allowed role, refused for the others.
    let mut ids = Vec::new();
    for role in [
        Role::QcPerson,
        Role::ProductionCoordinator,
        Role::Assembler,
        Role::Admin,
    ] {
        let d = detail(
            f.raise_as(f.token(role), id, "Dent in the left side panel")
                .await,
        );
        assert_eq!(d.summary.source, NcSource::Manual);
        assert_eq!(d.items.len(), 2, "{:?}", d.items);
        ids.push(d.summary.id);
    }
    for role in [Role::ProcurementSpecialist, Role::ServiceDepartment] {
        let e = refusal(f.raise_as(f.token(role), id, "Dent").await);
        assert!(e.starts_with("Your role ("), "{e}");
    }
    let e = refusal(f.raise_as(f.token(Role::QcPerson), id, "   ").await);
    assert_eq!(e, "A description is required");
    let numbers: Vec<String> = f.ncs_of(id).await.into_iter().map(|n| n.number).collect();
    let y = year();
    assert_eq!(
        numbers,
        (1..=4)
            .map(|n| format!("NC-{y}-{n:04}"))
            .collect::<Vec<_>>()
    );

    // Shipping is refused, the override too, naming the oldest.
    f.force_ready_for_ship(id).await;
    let e = refusal(f.try_ship(Role::ProductionCoordinator, id, None).await);
    assert_eq!(
        e,
        format!(
            "NC-{y}-0001 and 3 more nonconformance(s) are OPEN; disposition them before shipping"
        )
    );
    let e = refusal(
        f.try_ship(Role::Admin, id, Some("Customer collects today"))
            .await,
    );
    assert!(e.contains("are OPEN"), "{e}");
    assert_eq!(f.status(id).await, S::ReadyForShip);

    // Only QC dispositions; a note is needed for SCRAP and USE_AS_IS; a wrong password is counted.
    let qc = f.token(Role::QcPerson);
    let e = refusal(
        f.dispose(
            f.token(Role::Admin),
            ids[0],
            Disposition::Scrap,
            Some("Bent"),
            DEMO_PASSWORD,
        )
        .await,
    );
    assert!(e.starts_with("Your role (ADMIN) cannot"), "{e}");
    let e = refusal(
        f.dispose(qc.clone(), ids[0], Disposition::Scrap, None, DEMO_PASSWORD)
            .await,
    );
    assert!(e.contains("needs a note"), "{e}");
    let e = refusal(
        f.dispose(
            qc.clone(),
            ids[0],
            Disposition::Scrap,
            Some("Bent"),
            "not it",
        )
        .await,
    );
    assert_eq!(e, WRONG_PASSWORD);
    assert_eq!(
        f.count(
            r#"SELECT "failedCount"::bigint FROM "LoginThrottle" WHERE "username" = 'inspector'"#,
            &[]
        )
        .await,
        1
    );
    assert_eq!(f.nc(ids[0]).await.summary.status, NcStatus::Open);

    detail(
        f.dispose(
            qc.clone(),
            ids[0],
            Disposition::Scrap,
            Some("Panel bent"),
            DEMO_PASSWORD,
        )
        .await,
    );
    detail(
        f.dispose(
            qc.clone(),
            ids[1],
            Disposition::ReturnToSupplier,
            None,
            DEMO_PASSWORD,
        )
        .await,
    );
    // REWORK on a build not in production links nothing and says why.
    let rw = detail(
        f.dispose(qc.clone(), ids[2], Disposition::Rework, None, DEMO_PASSWORD)
            .await,
    );
    assert!(rw.rework_task.is_none());
    assert!(
        rw.notice
            .unwrap_or_default()
            .contains("no rework task was added")
    );

    // USE_AS_IS: the first signature leaves it OPEN; the same person cannot sign again; another can.
    let first = detail(
        f.dispose(
            qc.clone(),
            ids[3],
            Disposition::UseAsIs,
            Some("Cosmetic, inside the cabinet"),
            DEMO_PASSWORD,
        )
        .await,
    );
    assert_eq!(first.summary.status, NcStatus::Open);
    assert!(first.summary.awaiting_second);
    assert_eq!(
        first.summary.state_text(),
        "OPEN (awaiting second signature)"
    );
    assert!(
        !first.may_disposition,
        "the first signer is not offered the second signature"
    );
    let e = refusal(f.try_ship(Role::ProductionCoordinator, id, None).await);
    assert_eq!(
        e,
        format!("NC-{y}-0004 is OPEN; disposition it before shipping")
    );
    let again = refusal(
        f.dispose(
            qc.clone(),
            ids[3],
            Disposition::UseAsIs,
            None,
            DEMO_PASSWORD,
        )
        .await,
    );
    assert_eq!(again, SAME_SIGNER);
    add(&f.db, "inspector2", Role::QcPerson).await;
    let second = login_ok(&f.ctx, "inspector2", PW).await;
    let done = detail(
        f.dispose(second.token, ids[3], Disposition::UseAsIs, None, PW)
            .await,
    );
    assert_eq!(done.summary.status, NcStatus::Dispositioned);
    assert_eq!(
        done.disposition_note.as_deref(),
        Some("Cosmetic, inside the cabinet")
    );
    assert_eq!(done.signatures.len(), 2);
    assert!(
        done.signatures.iter().all(|c| c.verified),
        "{:?}",
        done.signatures
    );
    assert_ne!(
        done.signatures[0].signature.signer_id,
        done.signatures[1].signature.signer_id
    );

    // Nothing OPEN: the build ships; the list of open NCs is empty.
    f.try_ship(Role::ProductionCoordinator, id, None)
        .await
        .expect("ship");
    assert_eq!(f.status(id).await, S::Shipped);
    let page = match f
        .send(Request::OpenNonconformances {
            token: f.token(Role::QcPerson),
            page: 0,
        })
        .await
    {
        Ok(Reply::Nonconformances(p)) => p,
        other => panic!("{other:?}"),
    };
    assert_eq!(page.total, 0);
    let report = audit::verify(&f.db.client().await)
        .await
        .expect("audit verify");
    assert!(
        report.chain.problems.is_empty() && report.row_problems.is_empty(),
        "{}",
        audit::describe(&report)
    );
}

#[tokio::test]
async fn numbers_are_sequential_and_unique_under_concurrent_raises() {
    let f = Floor::new().await;
    let a = f.create_build("PO-NC-4", example_build("NC-4A")).await;
    let b = f.create_build("PO-NC-5", example_build("NC-5B")).await;
    let raises = (0..12).map(|n| {
        let role = [Role::QcPerson, Role::Assembler, Role::ProductionCoordinator][n % 3];
        let order = if n % 2 == 0 { a } else { b };
        f.raise_as(f.token(role), order, "Concurrent finding")
    });
    let mut numbers: Vec<String> = futures_util::future::join_all(raises)
        .await
        .into_iter()
        .map(|r| detail(r).summary.number)
        .collect();
    numbers.sort();
    let y = year();
    assert_eq!(
        numbers,
        (1..=12)
            .map(|n| format!("NC-{y}-{n:04}"))
            .collect::<Vec<_>>()
    );

    // The QC list shows them oldest first, a page at a time.
    let page: NcPage = match f
        .send(Request::OpenNonconformances {
            token: f.token(Role::QcPerson),
            page: 0,
        })
        .await
    {
        Ok(Reply::Nonconformances(p)) => p,
        other => panic!("{other:?}"),
    };
    assert_eq!(page.total, 12);
    assert_eq!(page.rows.len(), 12);
    let listed: Vec<_> = page
        .rows
        .iter()
        .map(|r| (r.raised_at, r.number.clone()))
        .collect();
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(listed, sorted);
    let e = refusal(
        f.send(Request::OpenNonconformances {
            token: f.token(Role::ServiceDepartment),
            page: 0,
        })
        .await,
    );
    assert!(e.starts_with("Your role (SERVICE_DEPARTMENT)"), "{e}");
}
