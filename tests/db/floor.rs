//! The one fixture the service tests (orders, exports, inventory, QC, tasks, testing, packaging, work
//! instructions ...) share: a seeded database with a session per demo role, and builds taken along the
//! floor the way the services do it. A test module adds the requests only it sends in its own
//! `impl Floor` block.

use crate::auth::{ctx, expect_reply, login_ok, send};
use crate::support::TestDb;
use cleanstation::db::Actor;
use cleanstation::domain::Role;
use cleanstation::domain::checklist::{CheckType, FormType};
use cleanstation::domain::floor::{PackagingView, TestingFormView, TestingStatus};
use cleanstation::domain::order::{
    BuildConfig, CreatedOrder, DocumentLanguage, NewOrder, OrderHeader, OrderStatus,
};
use cleanstation::domain::order_view::OrderDetail;
use cleanstation::domain::qc::{Answer, LineAnswer, QcForm, QcOutcome};
use cleanstation::error::ServiceError;
use cleanstation::msg::{Reply, Request};
use cleanstation::service::seed::{DEMO_PASSWORD, DEMO_USERS, seed_demo};
use cleanstation::service::{ServiceCtx, packaging, testing};
use serde_json::json;
use std::collections::HashMap;
use uuid::Uuid;

use OrderStatus as S;

/// A freshly seeded database with every demo user logged in.
pub(crate) struct Floor {
    pub db: TestDb,
    pub ctx: ServiceCtx,
    tokens: HashMap<Role, String>,
    ids: HashMap<Role, Uuid>,
}

impl Floor {
    pub async fn new() -> Floor {
        let db = TestDb::new().await;
        seed_demo(&db.owner, &Actor::system("test seed"))
            .await
            .expect("seed");
        let ctx = ctx(&db);
        let mut tokens = HashMap::new();
        let mut ids = HashMap::new();
        for (username, _, _, role) in DEMO_USERS {
            let session = login_ok(&ctx, username, DEMO_PASSWORD).await;
            ids.insert(role, session.user.id);
            tokens.insert(role, session.token);
        }
        Floor {
            db,
            ctx,
            tokens,
            ids,
        }
    }

    pub fn token(&self, role: Role) -> String {
        self.tokens.get(&role).cloned().expect("token of role")
    }

    /// The user id of the demo user with `role`.
    pub fn id(&self, role: Role) -> Uuid {
        *self.ids.get(&role).expect("id of role")
    }

    pub async fn send(&self, req: Request) -> Result<Reply, ServiceError> {
        send(&self.ctx, req).await
    }

    /// The rejection reasons a test's QC submit names: FINISH for a FAIL, none for a PASS
    /// (docs/rejection-reasons.md §2.1).
    pub async fn reasons_for(&self, outcome: QcOutcome) -> Vec<Uuid> {
        if outcome == QcOutcome::Pass {
            return Vec::new();
        }
        vec![self.reason_id("FINISH").await]
    }

    /// The id of the rejection reason with `code`.
    pub async fn reason_id(&self, code: &str) -> Uuid {
        let reply = self
            .send(Request::RejectionReasons {
                token: self.token(Role::Admin),
                active_only: false,
            })
            .await
            .expect("the rejection reasons");
        let Reply::RejectionReasons(list) = reply else {
            panic!("not the reasons: {reply:?}");
        };
        list.iter()
            .find(|r| r.code == code)
            .map(|r| r.id)
            .expect("a seeded reason")
    }

    /// The build's detail as `role` sees it.
    pub async fn detail(&self, role: Role, id: Uuid) -> OrderDetail {
        expect_reply(
            self.send(Request::OrderDetail {
                token: self.token(role),
                order_id: id,
            })
            .await,
            |r| match r {
                Reply::Order(d) => Some(*d),
                _ => None,
            },
        )
    }

    /// The one bigint a superuser's `sql` with `params` returns (a count, mostly).
    pub async fn count(
        &self,
        sql: &str,
        params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
    ) -> i64 {
        self.db
            .client()
            .await
            .query_one(sql, params)
            .await
            .expect("count query")
            .get(0)
    }

    /// A status move by `role` with every field of `Request::Transition`.
    pub async fn move_with(
        &self,
        role: Role,
        id: Uuid,
        (from, to): (S, S),
        note: Option<String>,
        override_reason: Option<&str>,
        password: Option<&str>,
    ) -> Result<Reply, ServiceError> {
        self.send(Request::Transition {
            token: self.token(role),
            order_id: id,
            from,
            to,
            note,
            override_reason: override_reason.map(str::to_string),
            password: password.map(str::to_string),
        })
        .await
    }

    /// A plain move by `role`, signed with the demo password where the move is signed (every demo user
    /// has it; moves that are not signed ignore it).
    pub async fn transition(
        &self,
        role: Role,
        id: Uuid,
        from: S,
        to: S,
    ) -> Result<Reply, ServiceError> {
        self.move_with(role, id, (from, to), None, None, Some(DEMO_PASSWORD))
            .await
    }

    /// A one-build PO created by the production coordinator; the build's id.
    pub async fn create_build(&self, po: &str, build: BuildConfig) -> Uuid {
        let created: CreatedOrder = expect_reply(
            self.send(Request::CreateOrder {
                token: self.token(Role::ProductionCoordinator),
                order: Box::new(NewOrder {
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
                }),
            })
            .await,
            |r| match r {
                Reply::OrderCreated(c) => Some(c),
                _ => None,
            },
        );
        created.builds[0].0
    }

    /// Creates the build and takes it to READY_FOR_PRE_QC as procurement does: approves the BOM, sends
    /// the parts and confirms the body's arrival.
    pub async fn build_at_pre_qc(&self, po: &str, build: BuildConfig) -> Uuid {
        let id = self.create_build(po, build).await;
        self.approve_bom(id, 1).await;
        for (from, to) in [
            (S::OrderCreated, S::PartsSent),
            (S::PartsSent, S::ReadyForPreQc),
        ] {
            self.transition(Role::ProcurementSpecialist, id, from, to)
                .await
                .expect("procurement move");
        }
        id
    }

    /// Procurement approves the build's BOM `version`, signed with the demo password.
    pub async fn approve_bom(&self, id: Uuid, version: i32) {
        self.send(Request::ApproveBom {
            token: self.token(Role::ProcurementSpecialist),
            order_id: id,
            version,
            password: DEMO_PASSWORD.into(),
        })
        .await
        .expect("approve BOM");
    }

    /// The QC form waiting for the build (Pre-QC or Final QC), as the QC person opens it.
    pub async fn qc_form(&self, id: Uuid) -> QcForm {
        match self
            .send(Request::QcForm {
                token: self.token(Role::QcPerson),
                order_id: id,
            })
            .await
            .expect("QC form")
        {
            Reply::QcForm(f) => *f,
            other => panic!("unexpected reply {other:?}"),
        }
    }

    /// Passes the build's Pre-QC with every line conforming; the build moves to READY_FOR_PRODUCTION.
    pub async fn pass_pre_qc(&self, id: Uuid) {
        let form = self.qc_form(id).await;
        assert_eq!(form.header.qc_type, FormType::PreQc, "the waiting form");
        self.send(Request::SubmitQc {
            token: self.token(Role::QcPerson),
            order_id: id,
            qc_type: FormType::PreQc,
            job_id: "JOB-PRE".into(),
            answers: conforming_qc(&form),
            outcome: QcOutcome::Pass,
            reason: None,
            password: DEMO_PASSWORD.into(),
            rejection_reasons: Vec::new(),
        })
        .await
        .expect("Pre-QC pass");
        assert_eq!(self.status(id).await, S::ReadyForProduction);
    }

    /// The build in READY_FOR_PRODUCTION (its task list generated) the way the floor gets one.
    pub async fn build_in_production(&self, po: &str, build: BuildConfig) -> Uuid {
        let id = self.build_at_pre_qc(po, build).await;
        self.pass_pre_qc(id).await;
        id
    }

    /// As `build_in_production`, with the generated task list done by SQL and one open task added, so
    /// testing waits for that task and the test stands alone from the task rules.
    pub async fn build_with_one_open_task(&self, po: &str, build: BuildConfig) -> Uuid {
        let id = self.build_in_production(po, build).await;
        self.complete_tasks(id).await;
        self.add_open_task(id).await;
        id
    }

    /// A build that passed end-of-line testing and moved to TESTING_COMPLETE.
    pub async fn build_testing_complete(&self, po: &str, build: BuildConfig) -> Uuid {
        let id = self.build_with_one_open_task(po, build).await;
        self.complete_tasks(id).await;
        let form = self.testing_form(id).await;
        let done = testing::submit_testing(
            &self.ctx,
            &self.token(Role::Assembler),
            id,
            conforming_testing(&form),
            DEMO_PASSWORD.into(),
        )
        .await
        .expect("submit");
        assert_eq!(done.status, TestingStatus::Pass);
        self.t5(id).await.expect("T5");
        id
    }

    /// Packs every line of the current checklist in full; returns the checklist after the last change.
    pub async fn pack_all(&self, id: Uuid) -> PackagingView {
        let asm = self.token(Role::Assembler);
        let mut view = packaging::packaging(&self.ctx, &asm, id)
            .await
            .expect("checklist");
        for line in view.lines.clone() {
            view = packaging::set_packed(&self.ctx, &asm, line.id, line.required)
                .await
                .expect("pack");
        }
        view
    }

    /// T5 by the assembler: READY_FOR_PRODUCTION to TESTING_COMPLETE.
    pub async fn t5(&self, id: Uuid) -> Result<Reply, ServiceError> {
        self.transition(
            Role::Assembler,
            id,
            S::ReadyForProduction,
            S::TestingComplete,
        )
        .await
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

    /// Every task of the build done, by SQL.
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

    /// The build's testing form as the assembler opens it.
    pub async fn testing_form(&self, id: Uuid) -> TestingFormView {
        testing::testing_form(&self.ctx, &self.token(Role::Assembler), id)
            .await
            .expect("testing form")
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

    /// A single `bigint` (a count, a version) selected by the build's or a row's id.
    pub async fn scalar_i64(&self, sql: &str, id: Uuid) -> i64 {
        self.db
            .client()
            .await
            .query_one(sql, &[&id])
            .await
            .expect("scalar")
            .get(0)
    }

    /// How many audit rows one table has so far.
    pub async fn audit_rows_of(&self, table: &str) -> i64 {
        self.db
            .client()
            .await
            .query_one(
                r#"SELECT count(*) FROM "AuditLog" WHERE "entityType" = $1"#,
                &[&table],
            )
            .await
            .expect("count audit rows")
            .get(0)
    }
}

pub(crate) fn answer(value: &str) -> Answer {
    Answer {
        value: Some(value.into()),
        is_na: false,
        notes: None,
    }
}

/// The conforming value for a check type: YES, the given measurement (1 when there is none), the first
/// option, or a note.
pub(crate) fn conforming_value(
    check_type: CheckType,
    min: Option<String>,
    first_option: Option<&String>,
) -> String {
    match check_type {
        CheckType::Boolean | CheckType::NaOption => "YES".into(),
        CheckType::Measurement => min.unwrap_or_else(|| "1".into()),
        CheckType::MultiChoice => first_option.cloned().unwrap_or_default(),
        CheckType::Text => "Checked".into(),
    }
}

/// A conforming answer for every line of a QC form (measurements at their minimum, else their maximum).
pub(crate) fn conforming_qc(form: &QcForm) -> Vec<LineAnswer> {
    form.lines
        .iter()
        .map(|l| {
            let item = &form.items[l.item];
            let measurement = item.min.or(item.max).map(|v| v.to_string());
            let value = conforming_value(item.check_type, measurement, item.options.first());
            line_answer(item.id, l.basin_index, &value)
        })
        .collect()
}

/// A conforming answer for every line of a testing form (measurements at their minimum).
pub(crate) fn conforming_testing(form: &TestingFormView) -> Vec<LineAnswer> {
    form.lines
        .iter()
        .map(|l| {
            let item = &form.items[l.item].def;
            let measurement = item.min.map(|m| m.to_string());
            let value = conforming_value(item.check_type, measurement, item.options.first());
            line_answer(item.id, l.basin_index, &value)
        })
        .collect()
}

fn line_answer(item_id: Uuid, basin_index: Option<i32>, value: &str) -> LineAnswer {
    LineAnswer {
        item_id,
        basin_index,
        answer: answer(value),
    }
}

/// docs/assembly-floor.md §2.2's example: T2-B2, E_SINK basin 1, E_DRAIN basin 2, height-adjustable legs.
pub(crate) fn example_build(number: &str) -> BuildConfig {
    serde_json::from_value(json!({
        "buildNumber": number, "sinkFamily": "MDRD", "sinkModel": "T2-B2", "sinkWidth": 30, "sinkLength": 60,
        "legsType": "HEIGHT_ADJUSTABLE", "legsModel": "DL27", "feetType": "LOCK_LEVELING_CASTERS",
        "basins": [
            {"basinIndex": 1, "basinType": "E_SINK", "basinWidth": 24, "basinLength": 20, "basinDepth": 8},
            {"basinIndex": 2, "basinType": "E_DRAIN", "basinWidth": 24, "basinLength": 20, "basinDepth": 8}]
    }))
    .expect("valid build")
}

/// The testing and packaging build: T2-B2 on fixed legs, basin 1 E-Sink, basin 2 E-Drain, one
/// wrist-blade faucet.
pub(crate) fn faucet_build(number: &str) -> BuildConfig {
    serde_json::from_value(json!({
        "buildNumber": number, "sinkFamily": "MDRD", "sinkModel": "T2-B2", "sinkWidth": 30, "sinkLength": 72,
        "legsType": "FIXED_HEIGHT", "legsModel": "DL14", "feetType": "SS_ADJUSTABLE_SEISMIC_FEET",
        "basins": [
            {"basinIndex": 1, "basinType": "E_SINK", "basinWidth": 20, "basinLength": 20, "basinDepth": 8},
            {"basinIndex": 2, "basinType": "E_DRAIN", "basinWidth": 20, "basinLength": 20, "basinDepth": 8}],
        "faucets": [{"faucetType": "WRIST_BLADE_SWING_SPOUT", "quantity": 1, "placement": "CENTER"}]
    }))
    .expect("valid build")
}
