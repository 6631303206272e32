//! QC results through `service::dispatch`, as the checklist and history screens send them: drafts and
//! resuming them, one open draft per form, the performer's rule, signing and submitting with the status
//! move in one transaction, the signature and its verification (also by `cleanstation qc verify`), the
//! lockout on a wrong signing password, immutability, notifications, storeTo copies, role checks and
//! template versions with recorded results.

use crate::auth::{PW, add, expect_reply, login_ok, send};
use crate::floor::{Floor, answer, conforming_qc};
use cleanstation::db::Actor;
use cleanstation::domain::Role;
use cleanstation::domain::checklist::{CheckType, FormType};
use cleanstation::domain::order::{
    BasinConfig, BasinType, BuildConfig, FeetType, LegsType, OrderStatus,
};
use cleanstation::domain::qc::{
    Answer, LineAnswer, QcForm, QcOutcome, QcResultDetail, QcResultStatus, QcResultSummary,
    SignatureFormat, SignedContent, SignedItem, content_hash, signature_text,
};
use cleanstation::error::ServiceError;
use cleanstation::msg::{Reply, Request};
use cleanstation::reference::CHECKLISTS_TOML;
use cleanstation::service::SESSION_ENDED;
use cleanstation::service::qc::PASSWORD_NOT_SIGNED;
use cleanstation::service::seed::{DEMO_PASSWORD, DEMO_USERS};
use uuid::Uuid;

use OrderStatus as S;

// ------------------------------------------------------------------------------------------------
// Fixtures
// ------------------------------------------------------------------------------------------------

/// The QC form's requests as the checklist and history screens send them.
impl Floor {
    async fn form_as(&self, token: &str, id: Uuid) -> Result<QcForm, ServiceError> {
        self.send(Request::QcForm {
            token: token.into(),
            order_id: id,
        })
        .await
        .map(|r| match r {
            Reply::QcForm(f) => *f,
            other => panic!("unexpected reply {other:?}"),
        })
    }

    pub(crate) async fn form(&self, id: Uuid) -> QcForm {
        self.form_as(&self.token(Role::QcPerson), id)
            .await
            .expect("QC form")
    }

    pub(crate) async fn save_as(
        &self,
        token: &str,
        id: Uuid,
        job_id: &str,
        answers: Vec<LineAnswer>,
    ) -> Result<Uuid, ServiceError> {
        self.send(Request::SaveQcDraft {
            token: token.into(),
            order_id: id,
            qc_type: FormType::PreQc,
            job_id: job_id.into(),
            answers,
        })
        .await
        .map(|r| match r {
            Reply::QcDraftSaved(d) => d,
            other => panic!("unexpected reply {other:?}"),
        })
    }

    #[allow(clippy::too_many_arguments)]
    async fn submit_as(
        &self,
        token: &str,
        id: Uuid,
        answers: Vec<LineAnswer>,
        outcome: QcOutcome,
        reason: Option<&str>,
        password: &str,
    ) -> Result<QcResultSummary, ServiceError> {
        self.send(Request::SubmitQc {
            token: token.into(),
            order_id: id,
            qc_type: FormType::PreQc,
            job_id: "JOB-77".into(),
            answers,
            outcome,
            reason: reason.map(str::to_string),
            password: password.into(),
            rejection_reasons: self.reasons_for(outcome).await,
        })
        .await
        .map(|r| match r {
            Reply::QcSubmitted(s) => *s,
            other => panic!("unexpected reply {other:?}"),
        })
    }

    pub(crate) async fn submit(
        &self,
        id: Uuid,
        answers: Vec<LineAnswer>,
        outcome: QcOutcome,
        reason: Option<&str>,
    ) -> Result<QcResultSummary, ServiceError> {
        self.submit_as(
            &self.token(Role::QcPerson),
            id,
            answers,
            outcome,
            reason,
            DEMO_PASSWORD,
        )
        .await
    }

    pub(crate) async fn history_as(
        &self,
        role: Role,
        id: Uuid,
    ) -> Result<Vec<QcResultSummary>, ServiceError> {
        self.send(Request::QcHistory {
            token: self.token(role),
            order_id: id,
        })
        .await
        .map(|r| match r {
            Reply::QcHistory(h) => h,
            other => panic!("unexpected reply {other:?}"),
        })
    }

    async fn results(&self, id: Uuid) -> i64 {
        self.count(
            r#"SELECT count(*) FROM "QCResult" WHERE "orderId" = $1"#,
            &[&id],
        )
        .await
    }

    pub(crate) async fn qc_verify(&self, build: &str) -> std::process::Output {
        self.db.cli(&["qc", "verify", build], &[]).await
    }
}

/// A T2-B{basins} on fixed legs with `basins` E-Drain basins.
pub(crate) fn edrain_build(build: &str, basins: i32) -> BuildConfig {
    let model = format!("T2-B{basins}");
    BuildConfig {
        basins: (1..=basins)
            .map(|i| BasinConfig {
                basin_index: i,
                basin_type: BasinType::EDrain,
                basin_width: 20,
                basin_length: 20,
                basin_depth: 8,
                is_custom_size: false,
                has_p_trap_drain: false,
                has_basin_light: false,
            })
            .collect(),
        ..BuildConfig::new(
            build,
            &model,
            (30, 72),
            LegsType::FixedHeight,
            "DL14",
            FeetType::SsAdjustableSeismicFeet,
        )
    }
}

/// The index (into `conforming_qc`) of the first required BOOLEAN line.
pub(crate) fn first_required_boolean(form: &QcForm) -> usize {
    form.lines
        .iter()
        .position(|l| {
            let i = &form.items[l.item];
            i.check_type == CheckType::Boolean && i.required
        })
        .expect("a required BOOLEAN item")
}

fn err_text(r: Result<impl std::fmt::Debug, ServiceError>) -> String {
    match r {
        Err(e) => e.to_string(),
        Ok(v) => panic!("expected a refusal, got {v:?}"),
    }
}

fn full_name(role: Role) -> &'static str {
    DEMO_USERS
        .iter()
        .find(|u| u.3 == role)
        .map(|u| u.1)
        .expect("demo role")
}

// ------------------------------------------------------------------------------------------------
// Drafts
// ------------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_draft_is_saved_and_resumed_at_another_station() {
    let env = Floor::new().await;
    let id = env
        .build_at_pre_qc("PO-QC-1", edrain_build("QC-B1", 2))
        .await;
    let form = env.form(id).await;
    assert_eq!(form.header.qc_type, FormType::PreQc);
    assert_eq!(form.header.template_name, "Pre-Production Check");
    assert_eq!(form.header.number_of_basins, 2);
    assert_eq!(form.header.first_pass, None);
    assert_eq!(form.draft_id, None);
    assert!(form.answers.is_empty());

    let all = conforming_qc(&form);
    let first_two = all[..2].to_vec();
    let draft = env
        .save_as(&env.token(Role::QcPerson), id, " JOB-1 ", first_two.clone())
        .await
        .expect("first save");
    // The draft row: INCOMPLETE, no signature, the performer and the job id.
    let row = env
        .db
        .client()
        .await
        .query_one(
            r#"SELECT "overallStatus"::text, "digitalSignature", "performedBy", "jobId", "numberOfBasins"
               FROM "QCResult" WHERE id = $1"#,
            &[&draft],
        )
        .await
        .expect("draft row");
    assert_eq!(row.get::<_, String>(0), "INCOMPLETE");
    assert_eq!(row.get::<_, String>(1), "");
    assert_eq!(row.get::<_, Uuid>(2), env.id(Role::QcPerson));
    assert_eq!(row.get::<_, Option<String>>(3).as_deref(), Some("JOB-1"));
    assert_eq!(row.get::<_, Option<i32>>(4), Some(2));

    // A second save adds to the same draft; answering a line again replaces its answer.
    let mut changed = all[1].clone();
    changed.answer.notes = Some("scratch on the rim".into());
    let again = env
        .save_as(
            &env.token(Role::QcPerson),
            id,
            "JOB-1",
            vec![changed.clone(), all[2].clone()],
        )
        .await
        .expect("second save");
    assert_eq!(again, draft);

    // Another station (a new session of the same inspector) resumes exactly there.
    let other_station = login_ok(&env.ctx, "inspector", DEMO_PASSWORD).await;
    let resumed = env.form_as(&other_station.token, id).await.expect("form");
    assert_eq!(resumed.draft_id, Some(draft));
    assert_eq!(resumed.job_id, "JOB-1");
    assert_eq!(resumed.draft_by_other, None);
    let mut expected = vec![all[0].clone(), changed, all[2].clone()];
    let key = |a: &LineAnswer| {
        let line = form
            .lines
            .iter()
            .position(|l| form.items[l.item].id == a.item_id && l.basin_index == a.basin_index);
        line.expect("answer on the form")
    };
    expected.sort_by_key(key);
    let mut got = resumed.answers.clone();
    got.sort_by_key(key);
    assert_eq!(got, expected);

    // Clearing an answer removes its row.
    let mut cleared = all[0].clone();
    cleared.answer = Answer::default();
    env.save_as(&other_station.token, id, "JOB-1", vec![cleared])
        .await
        .expect("clear");
    assert_eq!(env.form(id).await.answers.len(), 2);
    assert_eq!(env.results(id).await, 1, "still one draft");
}

#[tokio::test]
async fn answers_that_are_not_on_the_form_or_not_storable_are_refused() {
    let env = Floor::new().await;
    let id = env
        .build_at_pre_qc("PO-QC-2", edrain_build("QC-B2", 1))
        .await;
    let form = env.form(id).await;
    let qc = env.token(Role::QcPerson);
    let mut stray = conforming_qc(&form)[0].clone();
    stray.item_id = Uuid::new_v4();
    let msg = err_text(env.save_as(&qc, id, "J", vec![stray]).await);
    assert!(msg.contains("does not belong"), "{msg}");
    let mut twice = conforming_qc(&form)[0].clone();
    twice.basin_index = Some(7);
    let msg = err_text(env.save_as(&qc, id, "J", vec![twice]).await);
    assert!(msg.contains("does not belong"), "{msg}");
    let a = conforming_qc(&form)[0].clone();
    let msg = err_text(env.save_as(&qc, id, "J", vec![a.clone(), a]).await);
    assert!(msg.contains("answered twice"), "{msg}");
    let msg = err_text(env.save_as(&qc, id, &"J".repeat(51), vec![]).await);
    assert_eq!(msg, "Job ID is required");
    assert_eq!(env.results(id).await, 0, "nothing was stored");
}

#[tokio::test]
async fn one_open_draft_per_build_and_form_and_only_its_performer_edits_it() {
    let env = Floor::new().await;
    let id = env
        .build_at_pre_qc("PO-QC-3", edrain_build("QC-B3", 1))
        .await;
    let form = env.form(id).await;
    let all = conforming_qc(&form);
    let draft = env
        .save_as(&env.token(Role::QcPerson), id, "J-3", all[..1].to_vec())
        .await
        .expect("save");

    // The partial unique index: a second INCOMPLETE result of the same form is refused.
    let client = env.db.client().await;
    let dup = client
        .execute(
            r#"INSERT INTO "QCResult" ("orderId", "buildNumber", "templateId", "qcTypePerformed",
                                       "performedBy", "overallStatus", "digitalSignature")
               SELECT "orderId", "buildNumber", "templateId", "qcTypePerformed", "performedBy",
                      'INCOMPLETE', ''
                 FROM "QCResult" WHERE id = $1"#,
            &[&draft],
        )
        .await
        .expect_err("second open draft");
    assert!(
        format!("{dup:?}").contains("uk_qc_result_open_draft"),
        "{dup:?}"
    );

    // Another inspector sees whose draft it is and cannot change or sign it.
    add(&env.db, "qc2", Role::QcPerson).await;
    let other = login_ok(&env.ctx, "qc2", PW).await;
    let seen = env.form_as(&other.token, id).await.expect("form");
    let by = format!("Draft in progress by {}", full_name(Role::QcPerson));
    assert_eq!(
        seen.draft_by_other.as_deref(),
        Some(full_name(Role::QcPerson))
    );
    assert_eq!(seen.answers.len(), 1);
    assert_eq!(
        err_text(env.save_as(&other.token, id, "J", all[1..2].to_vec()).await),
        by
    );
    assert_eq!(
        err_text(
            env.submit_as(&other.token, id, all.clone(), QcOutcome::Pass, None, PW)
                .await
        ),
        by
    );

    // Only ADMIN discards it; then the other inspector may start afresh.
    let discard = |role: Role| Request::DiscardQcDraft {
        token: env.token(role),
        order_id: id,
        qc_type: FormType::PreQc,
    };
    assert_eq!(
        err_text(env.send(discard(Role::QcPerson)).await),
        "Your role (QC_PERSON) cannot discard a QC draft"
    );
    assert_eq!(env.send(discard(Role::Admin)).await, Ok(Reply::Done));
    assert_eq!(env.results(id).await, 0);
    assert!(err_text(env.send(discard(Role::Admin)).await).contains("no open PRE_QC draft"));
    env.save_as(&other.token, id, "J", all[..1].to_vec())
        .await
        .expect("a new draft by the other inspector");
}

// ------------------------------------------------------------------------------------------------
// Sign and submit
// ------------------------------------------------------------------------------------------------

#[tokio::test]
async fn pass_needs_every_required_item_answered_and_none_non_conforming() {
    let env = Floor::new().await;
    let id = env
        .build_at_pre_qc("PO-QC-4", edrain_build("QC-B4", 1))
        .await;
    let form = env.form(id).await;
    let all = conforming_qc(&form);
    let b = first_required_boolean(&form);

    // One required line open.
    let mut open = all.clone();
    open.remove(b);
    let msg = err_text(env.submit(id, open, QcOutcome::Pass, None).await);
    assert!(
        msg.starts_with("PASS needs every required item answered"),
        "{msg}"
    );
    // One BOOLEAN answered NO.
    let mut no = all.clone();
    no[b].answer = answer("NO");
    let msg = err_text(env.submit(id, no.clone(), QcOutcome::Pass, None).await);
    assert!(msg.contains("1 non-conforming"), "{msg}");
    assert_eq!(env.status(id).await, S::ReadyForPreQc);
    assert_eq!(env.results(id).await, 0, "a refused submit writes nothing");

    // FAIL is always possible, but needs a reason.
    for reason in [None, Some("   ")] {
        assert_eq!(
            err_text(env.submit(id, no.clone(), QcOutcome::Fail, reason).await),
            "A failure reason is required"
        );
    }
    // A draft answered so far counts: PASS is judged on the draft with the request's answers on top.
    env.save_as(&env.token(Role::QcPerson), id, "J", all[..b + 1].to_vec())
        .await
        .expect("draft");
    let done = env
        .submit(id, all[b + 1..].to_vec(), QcOutcome::Pass, None)
        .await
        .expect("pass");
    assert_eq!(done.status, QcResultStatus::Pass);
    assert_eq!(done.verified, Some(true));
    assert_eq!(env.status(id).await, S::ReadyForProduction);
}

#[tokio::test]
async fn a_pass_is_signed_in_the_spec_format_and_moves_the_build() {
    let env = Floor::new().await;
    let id = env
        .build_at_pre_qc("PO-QC-5", edrain_build("QC-B5", 2))
        .await;
    let form = env.form(id).await;
    let mut all = conforming_qc(&form);
    all[0].answer.notes = Some("Drawing rev C".into());
    let done = env
        .submit(id, all.clone(), QcOutcome::Pass, None)
        .await
        .expect("pass");

    // The hash, recomputed here from what was submitted, in the order docs/qc.md §6.3 lists items.
    let at = done.at.expect("signed at");
    let items: Vec<SignedItem> = all
        .iter()
        .map(|a| {
            let item = form.items.iter().find(|i| i.id == a.item_id).expect("item");
            SignedItem {
                checklist_item_id: a.item_id,
                sequence: item.sequence,
                code: item.code.clone(),
                text: item.description.clone(),
                basin_index: a.basin_index,
                result_value: a.answer.value.clone(),
                is_na: a.answer.is_na,
                notes: a.answer.notes.clone(),
            }
        })
        .collect();
    let content = SignedContent {
        order_id: id,
        build_number: "QC-B5".into(),
        template_id: form.header.template_id,
        template_version: form.header.template_version,
        qc_type: FormType::PreQc,
        overall_status: QcResultStatus::Pass,
        job_id: "JOB-77".into(),
        number_of_basins: 2,
        notes: None,
        signed_at: at,
        signer_id: env.id(Role::QcPerson),
        items,
    };
    let (name, initials) = DEMO_USERS
        .iter()
        .find(|u| u.3 == Role::QcPerson)
        .map(|u| (u.1, u.2))
        .expect("inspector");
    let expected = signature_text(name, initials, "PRE_QC PASS", &content);
    assert_eq!(done.signature, expected);
    assert!(
        done.signature.ends_with(&format!(
            "Z | v2 sha256:{}",
            content_hash(&content, SignatureFormat::V2)
        )),
        "{}",
        done.signature
    );
    assert!(
        content
            .items
            .iter()
            .all(|i| !i.code.is_empty() && !i.text.is_empty()),
        "the form's items have a code and wording to sign"
    );
    assert!(
        done.signature
            .starts_with("Tom Becker (TB) | PRE_QC PASS | ")
    );
    assert!(done.signature.chars().count() <= 200);

    // Signed at the database's clock, in UTC.
    let drift: f64 = env
        .db
        .client()
        .await
        .query_one(
            "SELECT abs(extract(epoch FROM (now() AT TIME ZONE 'UTC') - $1::timestamp))::float8",
            &[&at],
        )
        .await
        .expect("drift")
        .get(0);
    assert!(drift < 60.0, "{drift}");

    // The move: T3 with its history row, and QC's work leaves the QC queue.
    assert_eq!(env.status(id).await, S::ReadyForProduction);
    assert_eq!(
        env.count(
            r#"SELECT count(*) FROM "OrderStatusHistory"
               WHERE "orderId" = $1 AND "action" = 'PRE_QC_PASSED' AND "userId" = $2
                 AND "oldStatus" = 'READY_FOR_PRE_QC' AND "newStatus" = 'READY_FOR_PRODUCTION'"#,
            &[&id, &env.id(Role::QcPerson)],
        )
        .await,
        1
    );
    // The audit trail names the inspector for the result and its answers.
    assert!(
        env.count(
            r#"SELECT count(*) FROM "AuditLog"
               WHERE "entityType" IN ('QCResult', 'QCItemResult') AND "userId" = $1"#,
            &[&env.id(Role::QcPerson)],
        )
        .await
            > i64::try_from(all.len()).expect("count")
    );

    // History and the detail agree; the form is gone with the status.
    let history = env
        .history_as(Role::ProductionCoordinator, id)
        .await
        .expect("history");
    assert_eq!(history, vec![done.clone()]);
    let detail: QcResultDetail = expect_reply(
        env.send(Request::QcResult {
            token: env.token(Role::Assembler),
            result_id: done.id,
        })
        .await,
        |r| match r {
            Reply::QcResult(d) => Some(*d),
            _ => None,
        },
    );
    assert_eq!(detail.summary, done);
    assert_eq!(detail.header.build_number, "QC-B5");
    assert_eq!(detail.answers.len(), all.len());
    assert_eq!(detail.lines.len(), all.len());
    assert!(
        err_text(env.form_as(&env.token(Role::QcPerson), id).await).contains("not waiting for QC")
    );
}

#[tokio::test]
async fn a_fail_goes_back_with_its_reason_and_tells_every_coordinator() {
    let env = Floor::new().await;
    let id = env
        .build_at_pre_qc("PO-QC-6", edrain_build("QC-B6", 1))
        .await;
    // A coordinator's assignment of the inspector is cleared by the move (docs/lifecycle.md §4.3).
    env.send(Request::Assign {
        token: env.token(Role::ProductionCoordinator),
        order_id: id,
        expected: S::ReadyForPreQc,
        assignee: Some(env.id(Role::QcPerson)),
    })
    .await
    .expect("assign");
    let form = env.form(id).await;
    let mut all = conforming_qc(&form);
    let b = first_required_boolean(&form);
    all[b].answer = answer("NO");
    let done = env
        .submit(id, all, QcOutcome::Fail, Some("  Weld crack at drain  "))
        .await
        .expect("fail");
    assert_eq!(done.status, QcResultStatus::Fail);
    assert_eq!(done.notes.as_deref(), Some("[FINISH] Weld crack at drain"));
    assert!(done.signature.contains(" | PRE_QC FAIL | "));
    assert_eq!(env.status(id).await, S::PartsSent);

    let client = env.db.client().await;
    let h = client
        .query_one(
            r#"SELECT "action", "notes" FROM "OrderStatusHistory"
               WHERE "orderId" = $1 AND "newStatus" = 'PARTS_SENT' AND "oldStatus" = 'READY_FOR_PRE_QC'"#,
            &[&id],
        )
        .await
        .expect("history row");
    assert_eq!(h.get::<_, String>(0), "PRE_QC_FAILED");
    assert_eq!(
        h.get::<_, Option<String>>(1).as_deref(),
        Some("[FINISH] Weld crack at drain; assignment to Tom Becker cleared")
    );
    let assignee: Option<Uuid> = client
        .query_one(
            r#"SELECT "currentAssigneeId" FROM "ProductionOrder" WHERE id = $1"#,
            &[&id],
        )
        .await
        .expect("assignee")
        .get(0);
    assert_eq!(assignee, None);

    let rows = client
        .query(
            r#"SELECT "userId", "title", "message", "relatedEntityType", "relatedEntityId"
               FROM "SystemNotification" WHERE "type" = 'QC_REQUIRED'"#,
            &[],
        )
        .await
        .expect("notifications");
    assert_eq!(rows.len(), 1, "one active coordinator");
    let n = &rows[0];
    assert_eq!(n.get::<_, Uuid>(0), env.id(Role::ProductionCoordinator));
    assert_eq!(n.get::<_, String>(1), "Pre-QC failed");
    assert_eq!(
        n.get::<_, String>(2),
        "PO-QC-6-QC-B6 failed Pre-QC: [FINISH] Weld crack at drain. Back to PARTS_SENT."
    );
    assert_eq!(
        n.get::<_, Option<String>>(3).as_deref(),
        Some("ProductionOrder")
    );
    assert_eq!(n.get::<_, Option<String>>(4), Some(id.to_string()));
    // The seed trigger told procurement about PARTS_SENT in the same transaction.
    assert!(
        env.count(
            r#"SELECT count(*) FROM "SystemNotification"
               WHERE "type" = 'ORDER_STATUS_CHANGE' AND "userId" = $1
                 AND "message" LIKE '%status changed to PARTS_SENT'"#,
            &[&env.id(Role::ProcurementSpecialist)],
        )
        .await
            >= 2
    );

    // After the body comes back, a new Pre-QC is a new result; the failed one stays.
    env.send(Request::Transition {
        token: env.token(Role::ProcurementSpecialist),
        order_id: id,
        from: S::PartsSent,
        to: S::ReadyForPreQc,
        note: None,
        override_reason: None,
        password: None,
    })
    .await
    .expect("body back");
    let form = env.form(id).await;
    assert_eq!(form.draft_id, None);
    let pass = env
        .submit(id, conforming_qc(&form), QcOutcome::Pass, None)
        .await
        .expect("second pre-qc");
    let history = env.history_as(Role::QcPerson, id).await.expect("history");
    assert_eq!(
        history.iter().map(|h| h.status).collect::<Vec<_>>(),
        vec![QcResultStatus::Pass, QcResultStatus::Fail],
        "newest first"
    );
    assert_eq!(history[0].id, pass.id);
    assert!(history.iter().all(|h| h.verified == Some(true)));
}

#[tokio::test]
async fn answers_with_store_to_are_copied_to_the_basins() {
    let env = Floor::new().await;
    let id = env
        .build_at_pre_qc("PO-QC-7", edrain_build("QC-B7", 2))
        .await;
    let form = env.form(id).await;
    let mut all = conforming_qc(&form);
    // Basin 2's drain is off-centre, with the note the option asks for.
    for (l, a) in form.lines.iter().zip(all.iter_mut()) {
        let item = &form.items[l.item];
        if item.store_to.as_deref() == Some("BasinConfiguration.drainLocation")
            && l.basin_index == Some(2)
        {
            a.answer = Answer {
                value: Some("Other".into()),
                is_na: false,
                notes: Some("40 mm towards the back".into()),
            };
        }
    }
    env.submit(id, all.clone(), QcOutcome::Pass, None)
        .await
        .expect("pass");
    let rows = env
        .db
        .client()
        .await
        .query(
            r#"SELECT "basinIndex", "drainLocation", "faucetLocation" FROM "BasinConfiguration"
               WHERE "orderId" = $1 ORDER BY "basinIndex""#,
            &[&id],
        )
        .await
        .expect("basins");
    // The faucet location is the last faucet-location answer of the basin, in form order.
    let faucet = |basin: i32| {
        form.lines
            .iter()
            .zip(&all)
            .filter(|(l, _)| {
                l.basin_index == Some(basin)
                    && form.items[l.item].store_to.as_deref()
                        == Some("BasinConfiguration.faucetLocation")
            })
            .filter_map(|(_, a)| a.answer.value.clone())
            .next_back()
    };
    let got: Vec<(i32, Option<String>, Option<String>)> = rows
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    assert_eq!(
        got,
        vec![
            (1, Some("Center".to_string()), faucet(1)),
            (2, Some("Other".to_string()), faucet(2)),
        ]
    );
    assert!(faucet(1).is_some(), "basin 1 has a faucet-location item");
}

#[tokio::test]
async fn a_failure_after_the_result_is_written_leaves_nothing_behind() {
    let env = Floor::new().await;
    let id = env
        .build_at_pre_qc("PO-QC-8", edrain_build("QC-B8", 1))
        .await;
    let form = env.form(id).await;
    let all = conforming_qc(&form);
    let draft = env
        .save_as(&env.token(Role::QcPerson), id, "J-8", all[..1].to_vec())
        .await
        .expect("draft");
    // The history row is written after the result, the answers and the storeTo copies.
    env.db
        .client()
        .await
        .batch_execute(
            r#"CREATE FUNCTION test_refuse_qc_history() RETURNS trigger LANGUAGE plpgsql AS $$
               BEGIN
                   IF NEW."action" = 'PRE_QC_PASSED' THEN
                       RAISE EXCEPTION 'history refused by the test';
                   END IF;
                   RETURN NEW;
               END $$;
               CREATE TRIGGER test_refuse_qc_history BEFORE INSERT ON "OrderStatusHistory"
                   FOR EACH ROW EXECUTE FUNCTION test_refuse_qc_history();"#,
        )
        .await
        .expect("test trigger");
    let e = env
        .submit(id, all.clone(), QcOutcome::Pass, None)
        .await
        .expect_err("refused");
    assert!(matches!(e, ServiceError::Query(_)), "{e:?}");

    assert_eq!(env.status(id).await, S::ReadyForPreQc);
    let client = env.db.client().await;
    let row = client
        .query_one(
            r#"SELECT "overallStatus"::text, "digitalSignature" FROM "QCResult" WHERE id = $1"#,
            &[&draft],
        )
        .await
        .expect("draft kept");
    assert_eq!(row.get::<_, String>(0), "INCOMPLETE");
    assert_eq!(row.get::<_, String>(1), "");
    assert_eq!(env.results(id).await, 1);
    assert_eq!(
        env.count(
            r#"SELECT count(*) FROM "QCItemResult" WHERE "qcResultId" = $1"#,
            &[&draft],
        )
        .await,
        1,
        "the submitted answers were rolled back"
    );
    assert_eq!(
        env.count(
            r#"SELECT count(*) FROM "BasinConfiguration"
               WHERE "orderId" = $1 AND ("drainLocation" IS NOT NULL OR "faucetLocation" IS NOT NULL)"#,
            &[&id],
        )
        .await,
        0
    );

    // Without the fault the same submit goes through.
    client
        .batch_execute(r#"DROP TRIGGER test_refuse_qc_history ON "OrderStatusHistory""#)
        .await
        .expect("drop trigger");
    env.submit(id, all, QcOutcome::Pass, None)
        .await
        .expect("pass");
    assert_eq!(env.status(id).await, S::ReadyForProduction);
}

#[tokio::test]
async fn two_stations_submitting_at_once_have_exactly_one_winner() {
    let env = Floor::new().await;
    let id = env
        .build_at_pre_qc("PO-QC-9", edrain_build("QC-B9", 1))
        .await;
    let form = env.form(id).await;
    let all = conforming_qc(&form);
    let a = login_ok(&env.ctx, "inspector", DEMO_PASSWORD).await;
    let b = login_ok(&env.ctx, "inspector", DEMO_PASSWORD).await;
    let (ra, rb) = tokio::join!(
        env.submit_as(
            &a.token,
            id,
            all.clone(),
            QcOutcome::Pass,
            None,
            DEMO_PASSWORD
        ),
        env.submit_as(
            &b.token,
            id,
            all.clone(),
            QcOutcome::Fail,
            Some("dent"),
            DEMO_PASSWORD
        ),
    );
    let wins = [ra.is_ok(), rb.is_ok()].iter().filter(|w| **w).count();
    assert_eq!(wins, 1, "{ra:?} {rb:?}");
    let lost = if ra.is_ok() { rb } else { ra };
    let msg = err_text(lost);
    assert!(msg.starts_with("Build QC-B9 is now "), "{msg}");
    assert!(msg.ends_with("your change was not saved"), "{msg}");
    assert_eq!(env.results(id).await, 1);
    assert_eq!(
        env.count(
            r#"SELECT count(*) FROM "OrderStatusHistory" WHERE "orderId" = $1 AND "oldStatus" = 'READY_FOR_PRE_QC'"#,
            &[&id],
        )
        .await,
        1
    );
}

#[tokio::test]
async fn a_wrong_signing_password_counts_toward_the_lockout() {
    let env = Floor::new().await;
    let id = env
        .build_at_pre_qc("PO-QC-10", edrain_build("QC-B10", 1))
        .await;
    let form = env.form(id).await;
    let all = conforming_qc(&form);
    let qc = env.token(Role::QcPerson);
    for _ in 0..4 {
        let e = env
            .submit_as(
                &qc,
                id,
                all.clone(),
                QcOutcome::Pass,
                None,
                "not the password",
            )
            .await
            .expect_err("wrong password");
        assert_eq!(e, ServiceError::Invalid(PASSWORD_NOT_SIGNED.into()));
    }
    let e = env
        .submit_as(
            &qc,
            id,
            all.clone(),
            QcOutcome::Pass,
            None,
            "not the password",
        )
        .await
        .expect_err("fifth wrong password");
    match &e {
        ServiceError::SessionEnded(m) => {
            assert!(
                m.starts_with("Too many failed attempts; try again after "),
                "{m}"
            )
        }
        other => panic!("expected the session to end, got {other:?}"),
    }
    // The session is gone and the account locked; nothing was signed.
    assert_eq!(
        env.form_as(&qc, id).await.expect_err("ended"),
        ServiceError::SessionEnded(SESSION_ENDED.into())
    );
    let login = send(
        &env.ctx,
        Request::Login {
            username: "inspector".into(),
            password: DEMO_PASSWORD.into(),
        },
    )
    .await
    .expect_err("locked");
    assert!(
        login.to_string().starts_with("Too many failed attempts"),
        "{login}"
    );
    assert_eq!(env.results(id).await, 0);
    assert_eq!(env.status(id).await, S::ReadyForPreQc);
}

// ------------------------------------------------------------------------------------------------
// Records
// ------------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_submitted_result_and_its_answers_cannot_be_changed() {
    let env = Floor::new().await;
    let id = env
        .build_at_pre_qc("PO-QC-11", edrain_build("QC-B11", 1))
        .await;
    let form = env.form(id).await;
    let all = conforming_qc(&form);
    let done = env
        .submit(id, all.clone(), QcOutcome::Pass, None)
        .await
        .expect("pass");
    let client = env.db.client().await;
    for sql in [
        r#"UPDATE "QCResult" SET "notes" = 'edited' WHERE id = $1"#,
        r#"UPDATE "QCResult" SET "overallStatus" = 'FAIL' WHERE id = $1"#,
        r#"DELETE FROM "QCResult" WHERE id = $1"#,
        r#"UPDATE "QCItemResult" SET "resultValue" = 'NO' WHERE "qcResultId" = $1"#,
        r#"DELETE FROM "QCItemResult" WHERE "qcResultId" = $1"#,
    ] {
        let e = client.execute(sql, &[&done.id]).await.expect_err("refused");
        let text = e
            .as_db_error()
            .map(|d| d.message().to_string())
            .unwrap_or_default();
        assert!(text.contains("submitted QC result"), "{sql}: {e:?}");
    }
    let e = client
        .execute(
            r#"INSERT INTO "QCItemResult" ("qcResultId", "checklistItemId", "basinIndex", "resultValue")
               SELECT $1, "checklistItemId", 99, 'YES' FROM "QCItemResult" WHERE "qcResultId" = $1 LIMIT 1"#,
            &[&done.id],
        )
        .await
        .expect_err("no new answers");
    assert!(format!("{e:?}").contains("submitted QC result"), "{e:?}");
    // A submitted result always carries its signature (and a draft never does).
    let e = client
        .execute(
            r#"INSERT INTO "QCResult" ("orderId", "buildNumber", "templateId", "qcTypePerformed",
                                       "performedBy", "jobId", "overallStatus", "digitalSignature")
               SELECT "orderId", "buildNumber", "templateId", "qcTypePerformed", "performedBy", 'J',
                      'PASS', '' FROM "QCResult" WHERE id = $1"#,
            &[&done.id],
        )
        .await
        .expect_err("unsigned pass");
    assert!(
        format!("{e:?}").contains("chk_qc_result_signature"),
        "{e:?}"
    );
    assert_eq!(
        env.history_as(Role::Admin, id).await.expect("history")[0],
        done,
        "unchanged"
    );
}

#[tokio::test]
async fn verification_finds_a_changed_answer_in_the_history_and_on_the_command_line() {
    let env = Floor::new().await;
    let id = env
        .build_at_pre_qc("PO-QC-12", edrain_build("QC-B12", 1))
        .await;
    let form = env.form(id).await;
    let all = conforming_qc(&form);
    let done = env
        .submit(id, all.clone(), QcOutcome::Pass, None)
        .await
        .expect("pass");

    let out = env.qc_verify("qc-b12").await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(stdout.starts_with("PRE_QC PASS "), "{stdout}");
    assert!(
        stdout.contains("Tom Becker: signature verified"),
        "{stdout}"
    );

    // Someone changes a stored answer behind the application's back (triggers disabled).
    let b = first_required_boolean(&form);
    let client = env.db.client().await;
    client
        .batch_execute("SET session_replication_role = replica")
        .await
        .expect("replica role");
    let n = client
        .execute(
            r#"UPDATE "QCItemResult" SET "resultValue" = 'NO'
               WHERE "qcResultId" = $1 AND "checklistItemId" = $2"#,
            &[&done.id, &all[b].item_id],
        )
        .await
        .expect("tamper");
    assert_eq!(n, 1);
    client
        .batch_execute("SET session_replication_role = origin")
        .await
        .expect("origin role");

    let history = env
        .history_as(Role::ProductionCoordinator, id)
        .await
        .expect("history");
    assert_eq!(history[0].verified, Some(false));
    let out = env.qc_verify("QC-B12").await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{stdout}");
    assert!(stdout.contains("MISMATCH"), "{stdout}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("1 QC signature(s) do not match"),
        "{:?}",
        out.stderr
    );

    let out = env.qc_verify("NO-SUCH-BUILD").await;
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Build NO-SUCH-BUILD not found"));
}

#[tokio::test]
async fn roles_and_the_acting_rule_are_enforced() {
    let env = Floor::new().await;
    let id = env
        .build_at_pre_qc("PO-QC-13", edrain_build("QC-B13", 1))
        .await;
    let form = env.form(id).await;
    let all = conforming_qc(&form);
    let save = |role: Role| Request::SaveQcDraft {
        token: env.token(role),
        order_id: id,
        qc_type: FormType::PreQc,
        job_id: "J".into(),
        answers: all[..1].to_vec(),
    };
    assert_eq!(
        err_text(env.send(save(Role::Assembler)).await),
        "Your role (ASSEMBLER) cannot perform QC checks"
    );
    assert_eq!(
        err_text(env.send(save(Role::Admin)).await),
        "Your role (ADMIN) cannot perform QC checks"
    );
    let admin_sign = env
        .submit_as(
            &env.token(Role::Admin),
            id,
            all.clone(),
            QcOutcome::Pass,
            None,
            DEMO_PASSWORD,
        )
        .await;
    assert_eq!(
        err_text(admin_sign),
        "Your role (ADMIN) cannot perform QC checks"
    );
    assert_eq!(
        err_text(env.form_as(&env.token(Role::Assembler), id).await),
        "Your role (ASSEMBLER) cannot perform QC checks"
    );
    assert_eq!(
        err_text(env.history_as(Role::ServiceDepartment, id).await),
        "Your role (SERVICE_DEPARTMENT) cannot view production orders"
    );
    for role in [
        Role::ProductionCoordinator,
        Role::Admin,
        Role::ProcurementSpecialist,
        Role::QcPerson,
        Role::Assembler,
    ] {
        assert_eq!(env.history_as(role, id).await, Ok(vec![]), "{role:?}");
    }
    // The transition request keeps refusing the QC-gated move.
    let t = env
        .send(Request::Transition {
            token: env.token(Role::QcPerson),
            order_id: id,
            from: S::ReadyForPreQc,
            to: S::ReadyForProduction,
            note: None,
            override_reason: None,
            password: None,
        })
        .await;
    assert!(err_text(t).contains("happens only by submitting a PASS Pre-QC result"));

    // docs/lifecycle.md §1.3: assigned to another inspector, the build is theirs alone.
    let qc2 = add(&env.db, "qc2", Role::QcPerson).await;
    env.send(Request::Assign {
        token: env.token(Role::ProductionCoordinator),
        order_id: id,
        expected: S::ReadyForPreQc,
        assignee: Some(qc2.id),
    })
    .await
    .expect("assign");
    let expected = format!("This order is assigned to {}", qc2.full_name);
    assert_eq!(err_text(env.send(save(Role::QcPerson)).await), expected);
    assert_eq!(
        err_text(env.submit(id, all.clone(), QcOutcome::Pass, None).await),
        expected
    );
    let theirs = login_ok(&env.ctx, "qc2", PW).await;
    let done = env
        .submit_as(&theirs.token, id, all, QcOutcome::Pass, None, PW)
        .await
        .expect("the assignee signs");
    assert!(done.signature.starts_with("Test qc2 (TU) | PRE_QC PASS | "));
    // The certificate is for a passed Final QC only.
    let cert = env
        .send(Request::QcCertificate {
            token: env.token(Role::ProductionCoordinator),
            result_id: done.id,
            dir: std::env::temp_dir().display().to_string(),
        })
        .await;
    assert_eq!(
        err_text(cert),
        cleanstation::service::qc::CERTIFICATE_FINAL_PASS_ONLY
    );
}

// ------------------------------------------------------------------------------------------------
// Template versions (issue part 5)
// ------------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_template_with_results_is_never_changed_in_place() {
    let env = Floor::new().await;
    let id = env
        .build_at_pre_qc("PO-QC-14", edrain_build("QC-B14", 1))
        .await;
    let form = env.form(id).await;
    let v1 = form.header.template_id;
    let done = env
        .submit(id, conforming_qc(&form), QcOutcome::Pass, None)
        .await
        .expect("pass on version 1");
    let items_v1 = env
        .count(
            r#"SELECT count(*) FROM "QCChecklistItem" WHERE "templateId" = $1"#,
            &[&v1],
        )
        .await;

    let actor = Actor::system("test-template-import");
    let changed = CHECKLISTS_TOML.replacen(
        "BOM checked against the drawing",
        "BOM checked against the approved drawing",
        1,
    );
    // Version 1 has a result, so the change becomes version 2 (active) instead of changing it.
    let report = cleanstation::service::catalog::import_templates(&env.db.owner, &actor, &changed)
        .await
        .expect("imported as a new version");
    let pre_qc = report
        .templates
        .iter()
        .find(|t| t.name == "Pre-Production Check")
        .expect("pre-qc line");
    assert_eq!(
        pre_qc.outcome,
        cleanstation::service::catalog::TemplateOutcome::NewVersion {
            version: 2,
            items: 15
        }
    );

    // The result keeps version 1, unchanged; a new Pre-QC uses version 2.
    let history = env.history_as(Role::QcPerson, id).await.expect("history");
    assert_eq!(history, vec![done.clone()]);
    assert_eq!(history[0].template_version, 1);
    assert_eq!(history[0].verified, Some(true));
    assert_eq!(
        env.count(
            r#"SELECT count(*) FROM "QCChecklistItem" WHERE "templateId" = $1"#,
            &[&v1],
        )
        .await,
        items_v1
    );
    let other = env
        .build_at_pre_qc("PO-QC-15", edrain_build("QC-B15", 1))
        .await;
    let new_form = env.form(other).await;
    assert_eq!(new_form.header.template_version, 2);
    assert_ne!(new_form.header.template_id, v1);
    assert!(
        new_form
            .items
            .iter()
            .any(|i| i.description == "BOM checked against the approved drawing")
    );
}

// ------------------------------------------------------------------------------------------------
// Final QC: first pass, the failure path, the pass to shipping and the certificate
// ------------------------------------------------------------------------------------------------

#[tokio::test]
async fn final_qc_fails_back_to_production_then_passes_with_a_certificate() {
    let env = Floor::new().await;
    let id = env
        .build_at_pre_qc("PO-QC-F1", edrain_build("QC-F1", 2))
        .await;
    let pre = env.form(id).await;
    env.submit(id, conforming_qc(&pre), QcOutcome::Pass, None)
        .await
        .expect("pre-qc pass");
    // Production, testing and packaging are the floor's records; the build is put where Final QC starts.
    let to_final_qc = async |env: &Floor| {
        env.db
            .client()
            .await
            .execute(
                r#"UPDATE "ProductionOrder" SET "orderStatus" = 'READY_FOR_FINAL_QC' WHERE id = $1"#,
                &[&id],
            )
            .await
            .expect("to final qc");
    };
    to_final_qc(&env).await;

    let form = env.form(id).await;
    assert_eq!(form.header.qc_type, FormType::FinalQc);
    assert_eq!(form.header.template_name, "Final Quality Check");
    assert_eq!(form.header.first_pass, Some(true));
    let failed = submit_final(
        &env,
        id,
        conforming_qc(&form),
        QcOutcome::Fail,
        Some("Weld spatter in basin 2"),
    )
    .await
    .expect("final qc fail");
    assert!(failed.signature.contains(" | FINAL_QC FAIL | "));
    assert_eq!(env.status(id).await, OrderStatus::ReadyForProduction);
    let notices = env
        .count(
            r#"SELECT count(*) FROM "SystemNotification"
                WHERE "type" = 'QC_REQUIRED' AND "title" = 'Final QC failed'
                  AND "message" = 'PO-QC-F1-QC-F1 failed Final QC: [FINISH] Weld spatter in basin 2. Back to READY_FOR_PRODUCTION.'"#,
            &[],
        )
        .await;
    assert!(notices >= 1, "every active coordinator is told");

    to_final_qc(&env).await;
    let again = env.form(id).await;
    assert_eq!(
        again.header.first_pass,
        Some(false),
        "an earlier FAIL exists"
    );
    let passed = submit_final(&env, id, conforming_qc(&again), QcOutcome::Pass, None)
        .await
        .expect("final qc pass");
    assert_eq!(env.status(id).await, OrderStatus::ReadyForShip);

    let dir = std::env::temp_dir().join(format!("qc-cert-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let written = env
        .send(Request::QcCertificate {
            token: env.token(Role::ProductionCoordinator),
            result_id: passed.id,
            dir: dir.display().to_string(),
        })
        .await
        .expect("certificate");
    let Reply::Exported(paths) = written else {
        panic!("unexpected reply {written:?}");
    };
    assert_eq!(paths.len(), 1);
    let name = paths[0].file_name().and_then(|n| n.to_str()).unwrap_or("");
    assert!(
        name.starts_with("PO-QC-F1_QC-F1_FINAL_QC_") && name.ends_with(".pdf"),
        "{name}"
    );
    let bytes = std::fs::read(&paths[0]).expect("certificate file");
    assert!(bytes.starts_with(b"%PDF"));
    let _ = std::fs::remove_dir_all(&dir);

    // The failed result has no certificate; the history verifies both.
    let refused = env
        .send(Request::QcCertificate {
            token: env.token(Role::ProductionCoordinator),
            result_id: failed.id,
            dir: std::env::temp_dir().display().to_string(),
        })
        .await;
    assert_eq!(
        err_text(refused),
        cleanstation::service::qc::CERTIFICATE_FINAL_PASS_ONLY
    );
    let history = env.history_as(Role::Assembler, id).await.expect("history");
    assert_eq!(history.len(), 3);
    assert!(history.iter().all(|r| r.verified == Some(true)));
}

async fn submit_final(
    env: &Floor,
    id: Uuid,
    answers: Vec<LineAnswer>,
    outcome: QcOutcome,
    reason: Option<&str>,
) -> Result<QcResultSummary, ServiceError> {
    env.send(Request::SubmitQc {
        token: env.token(Role::QcPerson),
        order_id: id,
        qc_type: FormType::FinalQc,
        job_id: "JOB-F1".into(),
        answers,
        outcome,
        reason: reason.map(str::to_string),
        password: DEMO_PASSWORD.into(),
        rejection_reasons: env.reasons_for(outcome).await,
    })
    .await
    .map(|r| match r {
        Reply::QcSubmitted(s) => *s,
        other => panic!("unexpected reply {other:?}"),
    })
}

#[tokio::test]
async fn a_draft_save_writes_only_the_answers_that_changed() {
    let env = Floor::new().await;
    let id = env
        .build_at_pre_qc("PO-QC-W", edrain_build("QC-W", 1))
        .await;
    let form = env.form(id).await;
    let mut all = conforming_qc(&form);
    let qc = env.token(Role::QcPerson);
    env.save_as(&qc, id, "JOB-W", all.clone())
        .await
        .expect("first save");
    // Saved again unchanged: no answer row is written (docs/audit.md, "Records written once").
    let before = env.audit_rows_of("QCItemResult").await;
    env.save_as(&qc, id, "JOB-W", all.clone())
        .await
        .expect("unchanged save");
    assert_eq!(env.audit_rows_of("QCItemResult").await, before);
    // One answer given a note: exactly one row.
    all[0].answer.notes = Some("Checked twice".into());
    env.save_as(&qc, id, "JOB-W", all)
        .await
        .expect("changed save");
    assert_eq!(env.audit_rows_of("QCItemResult").await - before, 1);
}
