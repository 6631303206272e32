//! End-of-line testing forms: drafts, submission, immutability, the T5 precondition.
//!
//! The fixture here (a build taken to READY_FOR_PRODUCTION through the services, with a task list written
//! by SQL so these tests stand alone) is shared with the packaging tests.

use crate::auth::{add, ctx, expect_reply, login_ok, send};
use crate::support::TestDb;
use cleanstation::db::{Actor, DbError};
use cleanstation::domain::Role;
use cleanstation::domain::checklist::{CheckType, FormType};
use cleanstation::domain::floor::{TestResultStatus, TestingFormView, TestingStatus};
use cleanstation::domain::order::{
    BuildConfig, CreatedOrder, DocumentLanguage, NewOrder, OrderHeader, OrderStatus,
};
use cleanstation::domain::qc::{Answer, LineAnswer, QcForm, QcOutcome};
use cleanstation::msg::{Reply, Request};
use cleanstation::service::seed::{DEMO_PASSWORD, DEMO_USERS, seed_demo};
use cleanstation::service::{ServiceCtx, testing};
use serde_json::json;
use std::collections::HashMap;
use uuid::Uuid;

use OrderStatus as S;

pub(crate) struct Floor {
    pub db: TestDb,
    pub ctx: ServiceCtx,
    tokens: HashMap<Role, String>,
}

impl Floor {
    pub async fn new() -> Floor {
        let db = TestDb::new().await;
        seed_demo(&db.pool, &Actor::system("test seed"))
            .await
            .expect("seed");
        let ctx = ctx(&db);
        let mut tokens = HashMap::new();
        for (username, _, _, role) in DEMO_USERS {
            let s = login_ok(&ctx, username, DEMO_PASSWORD).await;
            tokens.insert(role, s.token);
        }
        Floor { db, ctx, tokens }
    }

    pub fn token(&self, role: Role) -> String {
        self.tokens.get(&role).cloned().expect("token of role")
    }

    pub async fn send(&self, req: Request) -> Result<Reply, DbError> {
        send(&self.ctx, req).await
    }

    pub async fn transition(&self, role: Role, id: Uuid, from: S, to: S) -> Result<Reply, DbError> {
        self.send(Request::Transition {
            token: self.token(role),
            order_id: id,
            from,
            to,
            note: None,
            override_reason: None,
        })
        .await
    }

    /// A T2-B2 (basin 1 E-Sink, basin 2 E-Drain, one wrist-blade faucet) taken to READY_FOR_PRODUCTION
    /// the way the floor does it: BOM approved, parts sent, Pre-QC passed. One open task is written by
    /// SQL, so testing waits for it.
    pub async fn build_in_production(&self, po: &str, build: &str) -> Uuid {
        let created: CreatedOrder = expect_reply(
            self.send(Request::CreateOrder {
                token: self.token(Role::ProductionCoordinator),
                order: Box::new(order(po, build)),
            })
            .await,
            |r| match r {
                Reply::OrderCreated(c) => Some(c),
                _ => None,
            },
        );
        let id = created.builds[0].0;
        self.send(Request::ApproveBom {
            token: self.token(Role::ProcurementSpecialist),
            order_id: id,
            version: 1,
        })
        .await
        .expect("approve BOM");
        for (from, to) in [
            (S::OrderCreated, S::PartsSent),
            (S::PartsSent, S::ReadyForPreQc),
        ] {
            self.transition(Role::ProcurementSpecialist, id, from, to)
                .await
                .expect("procurement move");
        }
        let form = match self
            .send(Request::QcForm {
                token: self.token(Role::QcPerson),
                order_id: id,
            })
            .await
            .expect("QC form")
        {
            Reply::QcForm(f) => *f,
            other => panic!("unexpected reply {other:?}"),
        };
        self.send(Request::SubmitQc {
            token: self.token(Role::QcPerson),
            order_id: id,
            qc_type: FormType::PreQc,
            job_id: "JOB-1".into(),
            answers: conforming_qc(&form),
            outcome: QcOutcome::Pass,
            reason: None,
            password: DEMO_PASSWORD.into(),
        })
        .await
        .expect("Pre-QC pass");
        assert_eq!(self.status(id).await, S::ReadyForProduction);
        // The generated task list is done by SQL; one open task is what these tests start from.
        self.complete_tasks(id).await;
        self.add_open_task(id).await;
        id
    }

    /// An open task on the build's active task list (one list per build, made on first use).
    pub async fn add_open_task(&self, id: Uuid) {
        let client = self.db.client().await;
        let existing = client
            .query_opt(
                r#"SELECT id FROM "TaskList" WHERE "orderId" = $1 AND "isActive" LIMIT 1"#,
                &[&id],
            )
            .await
            .expect("task list");
        let list: Uuid = match existing {
            Some(r) => r.get(0),
            None => client
                .query_one(
                    r#"INSERT INTO "TaskList" ("orderId", "assemblyType") VALUES ($1, 'MDRD-T2-B2')
                       RETURNING id"#,
                    &[&id],
                )
                .await
                .expect("insert task list")
                .get(0),
        };
        client
            .execute(
                r#"INSERT INTO "Task" ("taskListId", "sequenceOrder", "description")
                   SELECT $1, COALESCE(max("sequenceOrder"), 0) + 1, 'Assemble' FROM "Task"
                    WHERE "taskListId" = $1"#,
                &[&list],
            )
            .await
            .expect("insert task");
    }

    pub async fn complete_tasks(&self, id: Uuid) {
        self.db
            .client()
            .await
            .execute(
                r#"UPDATE "Task" SET "isCompleted" = true, "completedAt" = now()
                    WHERE "taskListId" IN (SELECT id FROM "TaskList" WHERE "orderId" = $1)"#,
                &[&id],
            )
            .await
            .expect("complete tasks");
    }

    pub async fn status(&self, id: Uuid) -> OrderStatus {
        self.db
            .client()
            .await
            .query_one(
                r#"SELECT "orderStatus" FROM "ProductionOrder" WHERE id = $1"#,
                &[&id],
            )
            .await
            .expect("status")
            .get(0)
    }

    pub async fn form(&self, id: Uuid) -> TestingFormView {
        testing::testing_form(&self.ctx, &self.token(Role::Assembler), id)
            .await
            .expect("testing form")
    }

    /// A build that passed end-of-line testing and moved to TESTING_COMPLETE.
    pub async fn build_testing_complete(&self, po: &str, build: &str) -> Uuid {
        let id = self.build_in_production(po, build).await;
        self.complete_tasks(id).await;
        let form = self.form(id).await;
        let done = testing::submit_testing(
            &self.ctx,
            &self.token(Role::Assembler),
            id,
            conforming(&form),
        )
        .await
        .expect("submit");
        assert_eq!(done.status, TestingStatus::Pass);
        self.transition(
            Role::Assembler,
            id,
            S::ReadyForProduction,
            S::TestingComplete,
        )
        .await
        .expect("T5");
        id
    }
}

fn order(po: &str, build: &str) -> NewOrder {
    let build: BuildConfig = serde_json::from_value(json!({
        "buildNumber": build, "sinkFamily": "MDRD", "sinkModel": "T2-B2", "sinkWidth": 30, "sinkLength": 72,
        "legsType": "FIXED_HEIGHT", "legsModel": "DL14", "feetType": "SS_ADJUSTABLE_SEISMIC_FEET",
        "basins": [
            {"basinIndex": 1, "basinType": "E_SINK", "basinWidth": 20, "basinLength": 20, "basinDepth": 8},
            {"basinIndex": 2, "basinType": "E_DRAIN", "basinWidth": 20, "basinLength": 20, "basinDepth": 8}],
        "faucets": [{"faucetType": "WRIST_BLADE_SWING_SPOUT", "quantity": 1, "placement": "CENTER"}]
    }))
    .expect("valid build");
    NewOrder {
        header: OrderHeader {
            po_number: po.into(),
            customer_name: "Mercy General Hospital".into(),
            project_name: None,
            sales_person: "Jo Sales".into(),
            want_date: chrono::NaiveDate::from_ymd_opt(2099, 12, 31).expect("date"),
            order_language: DocumentLanguage::En,
            notes: None,
        },
        builds: vec![build],
        attachments: Vec::new(),
    }
}

fn answer(value: &str) -> Answer {
    Answer {
        value: Some(value.into()),
        is_na: false,
        notes: None,
    }
}

fn value_for(check_type: CheckType, min: Option<String>, first_option: Option<&String>) -> String {
    match check_type {
        CheckType::Boolean | CheckType::NaOption => "YES".into(),
        CheckType::Measurement => min.unwrap_or_else(|| "1".into()),
        CheckType::MultiChoice => first_option.cloned().unwrap_or_default(),
        CheckType::Text => "Checked".into(),
    }
}

fn conforming_qc(form: &QcForm) -> Vec<LineAnswer> {
    form.lines
        .iter()
        .map(|l| {
            let item = &form.items[l.item];
            LineAnswer {
                item_id: item.id,
                basin_index: l.basin_index,
                answer: answer(&value_for(
                    item.check_type,
                    item.min.map(|m| m.to_string()),
                    item.options.first(),
                )),
            }
        })
        .collect()
}

/// A conforming answer for every line (measurements at their minimum).
pub(crate) fn conforming(form: &TestingFormView) -> Vec<LineAnswer> {
    form.lines
        .iter()
        .map(|l| {
            let item = &form.items[l.item].def;
            LineAnswer {
                item_id: item.id,
                basin_index: l.basin_index,
                answer: answer(&value_for(
                    item.check_type,
                    item.min.map(|m| m.to_string()),
                    item.options.first(),
                )),
            }
        })
        .collect()
}

/// The answers with `code` (basin 1) set to `value`.
fn with_value(
    form: &TestingFormView,
    mut answers: Vec<LineAnswer>,
    code: &str,
    value: &str,
) -> Vec<LineAnswer> {
    let item = form
        .items
        .iter()
        .find(|i| i.def.code == code)
        .map(|i| i.def.id)
        .expect("item on the form");
    let a = answers
        .iter_mut()
        .find(|a| a.item_id == item && a.basin_index == Some(1))
        .expect("answer of the item");
    a.answer = answer(value);
    answers
}

fn err_text(r: Result<impl std::fmt::Debug, DbError>) -> String {
    match r {
        Ok(v) => panic!("expected an error, got {v:?}"),
        Err(e) => e.to_string(),
    }
}

#[tokio::test]
async fn testing_waits_for_the_tasks_and_only_the_assembler_fills_it_in() {
    let f = Floor::new().await;
    let id = f.build_in_production("PO-T-1", "T-B1").await;
    let asm = f.token(Role::Assembler);

    let form = f.form(id).await;
    assert_eq!(form.open_tasks, 1);
    assert!(form.draft_id.is_none());
    let codes: Vec<&str> = form
        .lines
        .iter()
        .map(|l| form.items[l.item].def.code.as_str())
        .collect();
    assert!(
        codes.contains(&"EOL-20"),
        "E-Sink measurements apply: {codes:?}"
    );
    assert!(codes.contains(&"EOL-09"), "E-Drain items apply: {codes:?}");
    assert!(
        !codes.contains(&"EOL-07"),
        "no height-adjustable legs: {codes:?}"
    );
    let eol20 = form
        .items
        .iter()
        .find(|i| i.def.code == "EOL-20")
        .expect("EOL-20");
    assert_eq!(eol20.def.unit.as_deref(), Some("degC"));

    let all = conforming(&form);
    let refused = err_text(testing::save_testing_draft(&f.ctx, &asm, id, all.clone()).await);
    assert!(refused.contains("1 task(s) still open"), "{refused}");
    let t5 = err_text(
        f.transition(
            Role::Assembler,
            id,
            S::ReadyForProduction,
            S::TestingComplete,
        )
        .await,
    );
    assert!(t5.contains("task(s) still open"), "{t5}");

    f.complete_tasks(id).await;
    let qc = err_text(
        testing::save_testing_draft(&f.ctx, &f.token(Role::QcPerson), id, all.clone()).await,
    );
    assert!(qc.contains("cannot fill in testing forms"), "{qc}");

    // A build assigned to another assembler is theirs to test (D2).
    let other = add(&f.db, "asm2", Role::Assembler).await;
    let assign = |who: Option<Uuid>| Request::Assign {
        token: f.token(Role::ProductionCoordinator),
        order_id: id,
        expected: S::ReadyForProduction,
        assignee: who,
    };
    f.send(assign(Some(other.id))).await.expect("assign");
    let theirs = err_text(testing::save_testing_draft(&f.ctx, &asm, id, all.clone()).await);
    assert!(theirs.contains("assigned to Test asm2"), "{theirs}");
    f.send(assign(None)).await.expect("unassign");

    // A draft keeps what was typed, measurements included, and nothing else.
    let partial = with_value(&form, all[..all.len() / 2].to_vec(), "EOL-01", "YES");
    let partial = if partial.iter().any(|a| a.item_id == eol20.def.id) {
        with_value(&form, partial, "EOL-20", "41.5")
    } else {
        let mut p = partial;
        p.push(LineAnswer {
            item_id: eol20.def.id,
            basin_index: Some(1),
            answer: answer("41.5"),
        });
        p
    };
    let draft = testing::save_testing_draft(&f.ctx, &asm, id, partial.clone())
        .await
        .expect("save draft");
    let again = f.form(id).await;
    assert_eq!(again.draft_id, Some(draft));
    let mut got = again.answers.clone();
    let mut want = partial.clone();
    got.sort_by_key(|a| (a.item_id, a.basin_index));
    want.sort_by_key(|a| (a.item_id, a.basin_index));
    assert_eq!(got, want);

    let missing = err_text(testing::submit_testing(&f.ctx, &asm, id, partial).await);
    assert!(
        missing.contains("required item(s) not answered"),
        "{missing}"
    );
    let bad = err_text(
        testing::save_testing_draft(&f.ctx, &asm, id, with_value(&form, all, "EOL-20", "warm"))
            .await,
    );
    assert!(
        bad.contains("EOL-20 (basin 1)") && bad.contains("not a number"),
        "{bad}"
    );
}

#[tokio::test]
async fn ranges_decide_pass_and_fail_and_t5_needs_the_latest_form_to_pass() {
    let f = Floor::new().await;
    let id = f.build_in_production("PO-T-2", "T-B2").await;
    let asm = f.token(Role::Assembler);
    f.complete_tasks(id).await;
    let form = f.form(id).await;
    let all = conforming(&form);

    let t5 = err_text(
        f.transition(
            Role::Assembler,
            id,
            S::ReadyForProduction,
            S::TestingComplete,
        )
        .await,
    );
    assert!(t5.contains("No passed testing form"), "{t5}");

    // EOL-20 is 36..=44 degC: just outside either bound fails.
    for value in ["35.9", "44.1"] {
        let done = testing::submit_testing(
            &f.ctx,
            &asm,
            id,
            with_value(&form, all.clone(), "EOL-20", value),
        )
        .await
        .expect("submit");
        assert_eq!(done.status, TestingStatus::Fail, "{value}");
        assert_eq!(done.results, form.lines.len());
        let client = f.db.client().await;
        let row = client
            .query_one(
                r#"SELECT "testName", "result", "measurements" FROM "TestResult"
                    WHERE "testingFormId" = $1 AND "testName" LIKE 'EOL-20 %'"#,
                &[&done.form_id],
            )
            .await
            .expect("EOL-20 result");
        let name: String = row.get(0);
        assert!(
            name.ends_with("[basin 1]") && name.chars().count() <= 100,
            "{name}"
        );
        assert_eq!(row.get::<_, TestResultStatus>(1), TestResultStatus::Fail);
        assert_eq!(row.get::<_, String>(2), format!("{value} degC"));
        let t5 = err_text(
            f.transition(
                Role::Assembler,
                id,
                S::ReadyForProduction,
                S::TestingComplete,
            )
            .await,
        );
        assert!(t5.contains("No passed testing form"), "{t5}");
    }

    // A submitted form and its results are records: the database refuses changes.
    let failed = f.form(id).await.submitted;
    assert_eq!(failed.len(), 2);
    let fresh = f.form(id).await;
    assert!(fresh.draft_id.is_none());
    // After a FAIL the next form starts empty: every test is measured again.
    assert!(fresh.answers.is_empty(), "{:?}", fresh.answers);
    let client = f.db.client().await;
    let changed = client
        .execute(
            r#"UPDATE "TestingForm" SET "overallStatus" = 'PASS' WHERE id = $1"#,
            &[&failed[0].id],
        )
        .await;
    assert!(changed.is_err(), "a submitted form was changed");
    let changed = client
        .execute(
            r#"UPDATE "TestResult" SET "result" = 'PASS' WHERE "testingFormId" = $1"#,
            &[&failed[0].id],
        )
        .await;
    assert!(changed.is_err(), "a submitted result was changed");
    let deleted = client
        .execute(
            r#"DELETE FROM "TestingForm" WHERE id = $1"#,
            &[&failed[0].id],
        )
        .await;
    assert!(deleted.is_err(), "a submitted form was deleted");

    // At the bounds it conforms: every measurement at its minimum, EOL-20 at its maximum.
    let done = testing::submit_testing(&f.ctx, &asm, id, with_value(&form, all, "EOL-20", "44"))
        .await
        .expect("submit");
    assert_eq!(done.status, TestingStatus::Pass);
    let passes: i64 = client
        .query_one(
            r#"SELECT count(*) FROM "TestResult" WHERE "testingFormId" = $1 AND "result" = 'PASS'"#,
            &[&done.form_id],
        )
        .await
        .expect("count")
        .get(0);
    assert_eq!(passes, i64::try_from(form.lines.len()).expect("count"));
    // Opened again, the passed form shows its stored answers (read-only on screen).
    let shown = f.form(id).await;
    assert!(shown.draft_id.is_none());
    assert_eq!(shown.answers.len(), form.lines.len());
    let eol20 = form
        .items
        .iter()
        .find(|t| t.def.code == "EOL-20")
        .expect("EOL-20")
        .def
        .id;
    assert!(
        shown
            .answers
            .iter()
            .any(|a| a.item_id == eol20 && a.answer.value.as_deref() == Some("44")),
        "{:?}",
        shown.answers
    );

    f.transition(
        Role::Assembler,
        id,
        S::ReadyForProduction,
        S::TestingComplete,
    )
    .await
    .expect("T5 after a passed form");
    assert_eq!(f.status(id).await, S::TestingComplete);
    let lists: i64 = client
        .query_one(
            r#"SELECT count(*) FROM "PackagingChecklist" WHERE "orderId" = $1"#,
            &[&id],
        )
        .await
        .expect("count")
        .get(0);
    assert_eq!(lists, 1);
}
