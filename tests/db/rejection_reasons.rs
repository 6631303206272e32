//! QC rejection reasons (docs/rejection-reasons.md): the administered list, what a FAIL must name, and
//! where the reasons go (the result's rows, the history, the rework task, the nonconformance record).

use crate::floor::{Floor, conforming_qc, example_build};
use cleanstation::domain::Role;
use cleanstation::domain::checklist::FormType;
use cleanstation::domain::order::OrderStatus as S;
use cleanstation::domain::qc::{QcOutcome, QcResultSummary};
use cleanstation::domain::rejection_reason::{ReasonInput, RejectionReason, Severity};
use cleanstation::error::ServiceError;
use cleanstation::msg::{Reply, Request};
use cleanstation::service::seed::DEMO_PASSWORD;
use cleanstation::service::tasks;
use uuid::Uuid;

fn refusal<T: std::fmt::Debug>(r: Result<T, ServiceError>) -> String {
    match r {
        Err(e) => e.user_message(),
        Ok(v) => panic!("expected a refusal, got {v:?}"),
    }
}

fn input(code: &str, text: &str) -> ReasonInput {
    ReasonInput {
        code: code.into(),
        text: text.into(),
        severity: Severity::Major,
        rework_required: true,
        sort_order: 95,
    }
}

impl Floor {
    async fn reasons(
        &self,
        role: Role,
        active_only: bool,
    ) -> Result<Vec<RejectionReason>, ServiceError> {
        self.send(Request::RejectionReasons {
            token: self.token(role),
            active_only,
        })
        .await
        .map(|r| match r {
            Reply::RejectionReasons(list) => list,
            other => panic!("unexpected reply {other:?}"),
        })
    }

    async fn save_reason(
        &self,
        role: Role,
        id: Option<Uuid>,
        input: ReasonInput,
    ) -> Result<Vec<RejectionReason>, ServiceError> {
        self.send(Request::SaveRejectionReason {
            token: self.token(role),
            id,
            input,
        })
        .await
        .map(|r| match r {
            Reply::RejectionReasons(list) => list,
            other => panic!("unexpected reply {other:?}"),
        })
    }

    async fn set_reason_active(
        &self,
        role: Role,
        id: Uuid,
        active: bool,
    ) -> Result<Vec<RejectionReason>, ServiceError> {
        self.send(Request::SetRejectionReasonActive {
            token: self.token(role),
            id,
            active,
        })
        .await
        .map(|r| match r {
            Reply::RejectionReasons(list) => list,
            other => panic!("unexpected reply {other:?}"),
        })
    }

    /// Submits the waiting Pre-QC or Final QC form, every line conforming, naming `reasons`.
    async fn submit_with(
        &self,
        id: Uuid,
        outcome: QcOutcome,
        reasons: Vec<Uuid>,
    ) -> Result<QcResultSummary, ServiceError> {
        let form = self.qc_form(id).await;
        self.send(Request::SubmitQc {
            token: self.token(Role::QcPerson),
            order_id: id,
            qc_type: form.header.qc_type,
            job_id: "JOB-RR".into(),
            answers: conforming_qc(&form),
            outcome,
            reason: (outcome == QcOutcome::Fail).then(|| "Scratch on the backsplash".into()),
            password: DEMO_PASSWORD.into(),
            rejection_reasons: reasons,
        })
        .await
        .map(|r| match r {
            Reply::QcSubmitted(s) => *s,
            other => panic!("unexpected reply {other:?}"),
        })
    }

    async fn rejection_rows(&self) -> i64 {
        self.db
            .count(r#"SELECT count(*) FROM "QCResultRejection""#)
            .await
    }
}

#[tokio::test]
async fn the_administrator_keeps_the_list_and_no_one_else_changes_it() {
    let f = Floor::new().await;
    let seeded = f.reasons(Role::QcPerson, false).await.expect("list");
    assert_eq!(seeded.len(), 9, "{seeded:?}");
    assert_eq!(seeded[0].code, "WELD");

    // Added, with its code checked and unique.
    let list = f
        .save_reason(Role::Admin, None, input(" CRACK ", " Crack in the bowl "))
        .await
        .expect("added");
    let crack = list
        .iter()
        .find(|r| r.code == "CRACK")
        .expect("CRACK")
        .clone();
    assert_eq!(crack.text, "Crack in the bowl");
    assert!(crack.is_active && crack.rework_required);
    assert_eq!(
        refusal(
            f.save_reason(Role::Admin, None, input("CRACK", "Again"))
                .await
        ),
        "A rejection reason with code CRACK already exists"
    );
    assert_eq!(
        refusal(
            f.save_reason(Role::Admin, None, input("crack 2", "x"))
                .await
        ),
        "A code uses capital letters, digits, _ and - only, and starts with a letter or digit"
    );
    assert_eq!(
        refusal(f.save_reason(Role::Admin, None, input("DENT", "  ")).await),
        "A text is required"
    );

    // Edited: text, severity, flag and order change; the code never does.
    let mut edit = input("IGNORED", "Hairline crack in the bowl");
    edit.severity = Severity::Critical;
    edit.rework_required = false;
    let list = f
        .save_reason(Role::Admin, Some(crack.id), edit)
        .await
        .expect("edited");
    let edited = list.iter().find(|r| r.id == crack.id).expect("kept");
    assert_eq!(edited.code, "CRACK");
    assert_eq!(edited.text, "Hairline crack in the bowl");
    assert_eq!(edited.severity, Severity::Critical);
    assert!(!edited.rework_required);

    // Retired and reactivated, each once.
    f.set_reason_active(Role::Admin, crack.id, false)
        .await
        .expect("retired");
    assert!(
        !f.reasons(Role::QcPerson, true)
            .await
            .expect("active")
            .iter()
            .any(|r| r.id == crack.id),
        "a retired reason is not offered"
    );
    assert_eq!(
        refusal(f.set_reason_active(Role::Admin, crack.id, false).await),
        "Rejection reason CRACK is already retired"
    );
    f.set_reason_active(Role::Admin, crack.id, true)
        .await
        .expect("reactivated");

    // Every other role is refused, and nothing changes.
    for role in [Role::QcPerson, Role::ProductionCoordinator, Role::Assembler] {
        assert_eq!(
            refusal(f.save_reason(role, None, input("NEW", "New")).await),
            format!("Your role ({role}) cannot change the rejection reasons")
        );
        assert_eq!(
            refusal(f.set_reason_active(role, crack.id, false).await),
            format!("Your role ({role}) cannot change the rejection reasons")
        );
    }
    assert!(refusal(f.reasons(Role::ServiceDepartment, false).await).contains("cannot"));
    assert_eq!(f.reasons(Role::Admin, false).await.expect("list").len(), 10);

    // Every change is in the audit trail under the administrator.
    let c = f.db.client().await;
    let audited: Vec<(String, Option<Uuid>)> = c
        .query(
            r#"SELECT "action", "userId" FROM "AuditLog"
                WHERE "entityType" = 'QCRejectionReason' AND "entityId" = $1 ORDER BY "seq""#,
            &[&crack.id.to_string()],
        )
        .await
        .expect("audit rows")
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    let admin = Some(f.id(Role::Admin));
    assert_eq!(
        audited,
        [
            ("INSERT".to_string(), admin),
            ("UPDATE".to_string(), admin),
            ("UPDATE".to_string(), admin),
            ("UPDATE".to_string(), admin),
        ],
        "added, edited, retired, reactivated"
    );

    // The database keeps every reason: none is deleted, no code changes.
    let del = c
        .execute(
            r#"DELETE FROM "QCRejectionReason" WHERE "code" = 'CRACK'"#,
            &[],
        )
        .await
        .expect_err("never deleted");
    assert!(
        del.to_string().contains("retire it instead")
            || format!("{del:?}").contains("retire it instead")
    );
    assert!(
        c.execute(
            r#"UPDATE "QCRejectionReason" SET "code" = 'CRACKED' WHERE "code" = 'CRACK'"#,
            &[]
        )
        .await
        .is_err()
    );
}

#[tokio::test]
async fn a_fail_needs_an_active_reason_and_a_pass_names_none() {
    let f = Floor::new().await;
    let id = f.build_at_pre_qc("PO-RR1", example_build("RR-1")).await;
    let weld = f.reason_id("WELD").await;
    let leak = f.reason_id("LEAK").await;

    assert_eq!(
        refusal(f.submit_with(id, QcOutcome::Fail, Vec::new()).await),
        "A FAIL needs at least one rejection reason"
    );
    assert_eq!(
        refusal(f.submit_with(id, QcOutcome::Pass, vec![weld]).await),
        "A PASS has no rejection reasons"
    );
    assert_eq!(
        refusal(
            f.submit_with(id, QcOutcome::Fail, vec![Uuid::from_u128(7)])
                .await
        ),
        "A rejection reason is no longer on the list; reload the form"
    );
    assert_eq!(
        refusal(f.submit_with(id, QcOutcome::Fail, vec![weld, weld]).await),
        "Rejection reason WELD is named twice"
    );

    // A retired reason is neither offered nor accepted.
    f.set_reason_active(Role::Admin, leak, false)
        .await
        .expect("retired");
    let form = f.qc_form(id).await;
    assert!(form.rejection_reasons.iter().all(|r| r.code != "LEAK"));
    assert!(form.rejection_reasons.iter().any(|r| r.code == "WELD"));
    assert_eq!(
        refusal(f.submit_with(id, QcOutcome::Fail, vec![weld, leak]).await),
        "Rejection reason LEAK is retired; pick another"
    );
    assert_eq!(
        f.status(id).await,
        S::ReadyForPreQc,
        "nothing was submitted"
    );
    assert_eq!(f.rejection_rows().await, 0);
    assert_eq!(
        f.db.count(r#"SELECT count(*) FROM "QCResult" WHERE "overallStatus" <> 'INCOMPLETE'"#)
            .await,
        0
    );
}

#[tokio::test]
async fn the_database_refuses_a_fail_without_a_reason() {
    let f = Floor::new().await;
    let id = f.build_at_pre_qc("PO-RR2", example_build("RR-2")).await;
    let form = f.qc_form(id).await;
    f.send(Request::SaveQcDraft {
        token: f.token(Role::QcPerson),
        order_id: id,
        qc_type: FormType::PreQc,
        job_id: "JOB-D".into(),
        answers: conforming_qc(&form),
    })
    .await
    .expect("draft");
    let draft: Uuid =
        f.db.client()
            .await
            .query_one(r#"SELECT id FROM "QCResult" WHERE "orderId" = $1"#, &[&id])
            .await
            .expect("draft row")
            .get(0);
    let fail = r#"UPDATE "QCResult" SET "overallStatus" = 'FAIL', "digitalSignature" = 'x',
                         "notes" = 'n', "timestamp" = LOCALTIMESTAMP WHERE id = $1"#;
    let mut c = f.db.client().await;
    let refused = c.execute(fail, &[&draft]).await.expect_err("no reason");
    assert!(
        format!("{refused:?}").contains("names at least one rejection reason"),
        "{refused:?}"
    );
    // With a reason written first in the same transaction, the database accepts it.
    let tx = c.transaction().await.expect("tx");
    tx.execute(
        r#"INSERT INTO "QCResultRejection" ("qcResultId", "reasonId")
           SELECT $1, id FROM "QCRejectionReason" WHERE "code" = 'WELD'"#,
        &[&draft],
    )
    .await
    .expect("reason");
    tx.execute(fail, &[&draft])
        .await
        .expect("fail with a reason");
    tx.commit().await.expect("committed");
}

#[tokio::test]
async fn the_reasons_are_recorded_never_changed_and_reach_the_rework_task_and_the_nc() {
    let f = Floor::new().await;
    let id = f.build_in_production("PO-RR3", example_build("RR-3")).await;
    f.work_all_tasks(id).await;
    f.finish_round(id).await;
    let (leak, weld) = (f.reason_id("LEAK").await, f.reason_id("WELD").await);
    let result = f
        .submit_with(id, QcOutcome::Fail, vec![leak, weld])
        .await
        .expect("Final QC FAIL");
    assert_eq!(f.status(id).await, S::ReadyForProduction);

    // Recorded, in the list's order, and led by their codes in the signed failure reason.
    let codes: Vec<String> = f
        .db
        .client()
        .await
        .query(
            r#"SELECT r."code" FROM "QCResultRejection" x JOIN "QCRejectionReason" r ON r.id = x."reasonId"
                WHERE x."qcResultId" = $1 ORDER BY r."sortOrder""#,
            &[&result.id],
        )
        .await
        .expect("rows")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(codes, ["WELD", "LEAK"]);
    assert_eq!(
        result.notes.as_deref(),
        Some("[WELD, LEAK] Scratch on the backsplash")
    );
    assert_eq!(
        result.verified,
        Some(true),
        "the signature covers the codes"
    );

    // Never changed afterwards, by anyone.
    let c = f.db.client().await;
    for sql in [
        r#"UPDATE "QCResultRejection" SET "note" = 'x' WHERE "qcResultId" = $1"#,
        r#"DELETE FROM "QCResultRejection" WHERE "qcResultId" = $1"#,
        r#"INSERT INTO "QCResultRejection" ("qcResultId", "reasonId")
           SELECT $1, id FROM "QCRejectionReason" WHERE "code" = 'FINISH'"#,
    ] {
        let e = c.execute(sql, &[&result.id]).await.expect_err(sql);
        assert!(format!("{e:?}").contains("submitted QC result"), "{e:?}");
    }
    assert_eq!(f.rejection_rows().await, 2);

    // The rework task and the nonconformance name them.
    let list = tasks::task_list(&f.ctx, &f.token(Role::Assembler), id)
        .await
        .expect("task list");
    assert!(
        list.tasks.iter().any(|t| t.description
            == "Rework after Final QC failure: [WELD, LEAK] Scratch on the backsplash"),
        "{:?}",
        list.tasks
            .iter()
            .map(|t| &t.description)
            .collect::<Vec<_>>()
    );
    let ncs = f.ncs_of(id).await;
    assert_eq!(ncs.len(), 1);
    assert_eq!(ncs[0].description, "[WELD, LEAK] Scratch on the backsplash");
}
