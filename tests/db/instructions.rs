//! Work instructions and tools from the admin screen: create, edit in place while unused, a new version
//! once a task list links the instruction (finished tasks keep theirs, new lists get the new one), the
//! validation and uniqueness refusals, the ADMIN-only writes, the audit trail and stale edits.

use crate::auth::{ctx, expect_reply, login_ok, send};
use crate::support::TestDb;
use cleanstation::db::{Actor, DbError};
use cleanstation::domain::Role;
use cleanstation::domain::checklist::CheckType;
use cleanstation::domain::instructions::{
    InstructionCatalog, InstructionDraft, InstructionRow, StepDraft, ToolDraft, ToolRow,
};
use cleanstation::domain::order::{BuildConfig, CreatedOrder, NewOrder, OrderHeader, OrderStatus};
use cleanstation::domain::qc::{Answer, LineAnswer, QcForm, QcOutcome};
use cleanstation::domain::tasks::{DRILL, TaskListView, WI_CONTROL_BOX};
use cleanstation::msg::{Reply, Request};
use cleanstation::service::ServiceCtx;
use cleanstation::service::seed::{DEMO_PASSWORD, DEMO_USERS, seed_demo};
use serde_json::json;
use std::collections::HashMap;
use uuid::Uuid;

use OrderStatus as S;

struct Env {
    db: TestDb,
    ctx: ServiceCtx,
    tokens: HashMap<Role, String>,
    admin_id: Uuid,
}

impl Env {
    async fn new() -> Env {
        let db = TestDb::new().await;
        seed_demo(&db.pool, &Actor::system("test seed"))
            .await
            .expect("seed");
        let ctx = ctx(&db);
        let mut tokens = HashMap::new();
        let mut admin_id = Uuid::nil();
        for (username, _, _, role) in DEMO_USERS {
            let session = login_ok(&ctx, username, DEMO_PASSWORD).await;
            if role == Role::Admin {
                admin_id = session.user.id;
            }
            tokens.insert(role, session.token);
        }
        Env {
            db,
            ctx,
            tokens,
            admin_id,
        }
    }

    fn token(&self, role: Role) -> String {
        self.tokens.get(&role).cloned().expect("token of role")
    }

    async fn send(&self, req: Request) -> Result<Reply, DbError> {
        send(&self.ctx, req).await
    }

    async fn catalog(&self, role: Role) -> InstructionCatalog {
        catalog_of(
            self.send(Request::WorkInstructions {
                token: self.token(role),
            })
            .await,
        )
    }

    async fn save(&self, role: Role, draft: InstructionDraft) -> Result<Reply, DbError> {
        self.send(Request::SaveWorkInstruction {
            token: self.token(role),
            instruction: Box::new(draft),
        })
        .await
    }

    async fn save_tool(&self, role: Role, draft: ToolDraft) -> Result<Reply, DbError> {
        self.send(Request::SaveTool {
            token: self.token(role),
            tool: Box::new(draft),
        })
        .await
    }

    async fn scalar_i64(&self, sql: &str, id: Uuid) -> i64 {
        self.db
            .client()
            .await
            .query_one(sql, &[&id])
            .await
            .expect("scalar")
            .get(0)
    }

    /// A build in READY_FOR_PRODUCTION (its task list generated) the way the floor gets one.
    async fn build_in_production(&self, number: &str) -> Uuid {
        let created: CreatedOrder = expect_reply(
            self.send(Request::CreateOrder {
                token: self.token(Role::ProductionCoordinator),
                order: Box::new(NewOrder {
                    header: OrderHeader {
                        po_number: format!("PO-{number}"),
                        customer_name: "Mercy General Hospital".into(),
                        project_name: None,
                        sales_person: "Jo Sales".into(),
                        want_date: chrono::NaiveDate::from_ymd_opt(2099, 12, 31).expect("date"),
                        order_language: cleanstation::domain::order::DocumentLanguage::En,
                        notes: None,
                    },
                    builds: vec![example_build(number)],
                    attachments: Vec::new(),
                }),
            })
            .await,
            |r| match r {
                Reply::OrderCreated(c) => Some(c),
                _ => None,
            },
        );
        let id = created.builds[0].0;
        let ps = self.token(Role::ProcurementSpecialist);
        self.send(Request::ApproveBom {
            token: ps.clone(),
            order_id: id,
            version: 1,
        })
        .await
        .expect("approve BOM");
        for (from, to) in [
            (S::OrderCreated, S::PartsSent),
            (S::PartsSent, S::ReadyForPreQc),
        ] {
            self.send(Request::Transition {
                token: ps.clone(),
                order_id: id,
                from,
                to,
                note: None,
                override_reason: None,
            })
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
            qc_type: form.header.qc_type,
            job_id: "JOB-WI".into(),
            answers: conforming(&form),
            outcome: QcOutcome::Pass,
            reason: None,
            password: DEMO_PASSWORD.into(),
        })
        .await
        .expect("pre-qc pass");
        id
    }

    async fn task_list(&self, id: Uuid) -> TaskListView {
        match self
            .send(Request::TaskList {
                token: self.token(Role::Assembler),
                order_id: id,
            })
            .await
            .expect("task list")
        {
            Reply::TaskList(l) => *l,
            other => panic!("unexpected reply {other:?}"),
        }
    }
}

fn catalog_of(r: Result<Reply, DbError>) -> InstructionCatalog {
    expect_reply(r, |r| match r {
        Reply::WorkInstructions(c) => Some(*c),
        _ => None,
    })
}

fn conforming(form: &QcForm) -> Vec<LineAnswer> {
    form.lines
        .iter()
        .map(|l| {
            let item = &form.items[l.item];
            let value = match item.check_type {
                CheckType::Boolean | CheckType::NaOption => "YES".to_string(),
                CheckType::Measurement => item
                    .min
                    .or(item.max)
                    .map_or_else(|| "1".to_string(), |v| v.to_string()),
                CheckType::MultiChoice => item.options.first().cloned().unwrap_or_default(),
                CheckType::Text => "Checked".to_string(),
            };
            LineAnswer {
                item_id: item.id,
                basin_index: l.basin_index,
                answer: Answer {
                    value: Some(value),
                    is_na: false,
                    notes: None,
                },
            }
        })
        .collect()
}

fn example_build(number: &str) -> BuildConfig {
    serde_json::from_value(json!({
        "buildNumber": number, "sinkFamily": "MDRD", "sinkModel": "T2-B2", "sinkWidth": 30, "sinkLength": 60,
        "legsType": "HEIGHT_ADJUSTABLE", "legsModel": "DL27", "feetType": "LOCK_LEVELING_CASTERS",
        "basins": [
            {"basinIndex": 1, "basinType": "E_SINK", "basinWidth": 24, "basinLength": 20, "basinDepth": 8},
            {"basinIndex": 2, "basinType": "E_DRAIN", "basinWidth": 24, "basinLength": 20, "basinDepth": 8}]
    }))
    .expect("valid build")
}

fn step(text: &str, safety: Option<&str>, minutes: Option<i32>) -> StepDraft {
    StepDraft {
        description: text.into(),
        safety_notes: safety.map(str::to_string),
        estimated_minutes: minutes,
    }
}

fn new_draft(title: &str, steps: Vec<StepDraft>) -> InstructionDraft {
    InstructionDraft {
        title: title.into(),
        description: Some("Bench procedure".into()),
        active: true,
        steps,
        ..InstructionDraft::default()
    }
}

/// The row as an edit starts from it.
fn edit_of(row: &InstructionRow) -> InstructionDraft {
    InstructionDraft {
        id: Some(row.id),
        stamp: Some(row.stamp),
        title: row.title.clone(),
        description: row.description.clone(),
        active: row.active,
        steps: row
            .steps
            .iter()
            .map(|s| StepDraft {
                description: s.description.clone(),
                safety_notes: s.safety_notes.clone(),
                estimated_minutes: s.estimated_minutes,
            })
            .collect(),
    }
}

fn tool_edit_of(row: &ToolRow) -> ToolDraft {
    ToolDraft {
        id: Some(row.id),
        stamp: Some(row.stamp),
        name: row.name.clone(),
        description: row.description.clone(),
        category: row.category.clone(),
        active: row.active,
    }
}

fn by_title<'a>(c: &'a InstructionCatalog, title: &str) -> &'a InstructionRow {
    c.instructions
        .iter()
        .find(|i| i.title == title)
        .expect("instruction of the title")
}

fn by_name<'a>(c: &'a InstructionCatalog, name: &str) -> &'a ToolRow {
    c.tools
        .iter()
        .find(|t| t.name == name)
        .expect("tool of the name")
}

fn invalid(r: Result<Reply, DbError>) -> String {
    match r {
        Err(DbError::Invalid(m)) => m,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn create_then_edit_in_place_while_no_task_links_it() {
    let env = Env::new().await;
    let before = env.catalog(Role::Assembler).await;
    assert!(
        !before.instructions.is_empty(),
        "the demo seed has instructions"
    );
    assert!(
        before
            .instructions
            .windows(2)
            .all(|w| (!w[0].active, w[0].title.to_lowercase())
                <= (!w[1].active, w[1].title.to_lowercase())),
        "active first, by title"
    );

    let created = catalog_of(
        env.save(
            Role::Admin,
            new_draft(
                "  Fit the splash guard ",
                vec![
                    step("Clean the edge", None, Some(5)),
                    step("Seal the guard", Some("Solvent fumes: ventilate"), None),
                ],
            ),
        )
        .await,
    );
    let row = by_title(&created, "Fit the splash guard");
    assert_eq!(row.version, 1);
    assert!(row.active);
    assert_eq!(row.task_count, 0);
    assert_eq!(
        row.steps
            .iter()
            .map(|s| (s.number, s.description.as_str(), s.estimated_minutes))
            .collect::<Vec<_>>(),
        vec![(1, "Clean the edge", Some(5)), (2, "Seal the guard", None)]
    );
    assert_eq!(
        row.steps[1].safety_notes.as_deref(),
        Some("Solvent fumes: ventilate")
    );

    // Unused: the edit replaces the steps in place, same row, same version.
    let mut edit = edit_of(row);
    edit.steps.reverse();
    edit.steps.push(step("Inspect", None, Some(2)));
    let edited = catalog_of(env.save(Role::Admin, edit).await);
    let after = by_title(&edited, "Fit the splash guard");
    assert_eq!(after.id, row.id);
    assert_eq!(after.version, 1);
    assert_eq!(
        after
            .steps
            .iter()
            .map(|s| (s.number, s.description.as_str()))
            .collect::<Vec<_>>(),
        vec![(1, "Seal the guard"), (2, "Clean the edge"), (3, "Inspect")]
    );
    assert_eq!(
        env.scalar_i64(
            r#"SELECT count(*) FROM "WorkInstructionStep" WHERE "workInstructionId" = $1"#,
            row.id
        )
        .await,
        3
    );

    // Every write is audited with the acting admin.
    assert!(
        env.scalar_i64(
            r#"SELECT count(*) FROM "AuditLog"
                WHERE "entityType" IN ('WorkInstruction', 'WorkInstructionStep') AND "userId" = $1"#,
            env.admin_id
        )
        .await
            >= 2 + 2 + 3,
        "instruction and step rows audited for the admin"
    );

    // Deactivate: kept, listed after the active ones.
    let mut off = edit_of(after);
    off.active = false;
    let c = catalog_of(env.save(Role::Admin, off).await);
    let last = c.instructions.last().expect("rows");
    assert_eq!(last.title, "Fit the splash guard");
    assert!(!last.active);
    assert_eq!(last.version, 1);
}

#[tokio::test]
async fn validation_uniqueness_roles_and_stale_edits() {
    let env = Env::new().await;
    let m = invalid(
        env.save(Role::Admin, new_draft("   ", vec![step("x", None, None)]))
            .await,
    );
    assert_eq!(m, "Title is required");
    let m = invalid(
        env.save(Role::Admin, new_draft("No steps", Vec::new()))
            .await,
    );
    assert_eq!(m, "An instruction needs at least one step");
    let m = invalid(
        env.save(
            Role::Admin,
            new_draft(
                "Long step",
                vec![step("ok", None, None), step(&"s".repeat(2001), None, None)],
            ),
        )
        .await,
    );
    assert_eq!(m, "Step 2: the description is longer than 2000 characters");
    let m = invalid(
        env.save(
            Role::Admin,
            new_draft("Slow", vec![step("x", None, Some(481))]),
        )
        .await,
    );
    assert_eq!(m, "Step 1: minutes must be between 0 and 480");
    let m = invalid(
        env.save(
            Role::Admin,
            new_draft(&WI_CONTROL_BOX.to_uppercase(), vec![step("x", None, None)]),
        )
        .await,
    );
    assert_eq!(
        m,
        format!("An active work instruction is already titled \"{WI_CONTROL_BOX}\"")
    );

    // Non-admins read but never write.
    for role in [Role::Assembler, Role::ProductionCoordinator, Role::QcPerson] {
        assert!(!env.catalog(role).await.instructions.is_empty());
        let r = env
            .save(role, new_draft("Sneaky", vec![step("x", None, None)]))
            .await;
        assert!(matches!(r, Err(DbError::Forbidden(_))), "{role:?}: {r:?}");
        let r = env
            .save_tool(
                role,
                ToolDraft {
                    name: "Sneaky tool".into(),
                    active: true,
                    ..ToolDraft::default()
                },
            )
            .await;
        assert!(matches!(r, Err(DbError::Forbidden(_))), "{role:?}: {r:?}");
    }
    assert_eq!(
        env.scalar_i64(
            r#"SELECT count(*) FROM "WorkInstruction" WHERE title = 'Sneaky' AND id <> $1"#,
            Uuid::nil()
        )
        .await,
        0
    );

    // Two admins edit the same row: the second, starting from the old stamp, is refused.
    let c = env.catalog(Role::Admin).await;
    let row = by_title(&c, WI_CONTROL_BOX).clone();
    let mut first = edit_of(&row);
    first.description = Some("First station".into());
    env.save(Role::Admin, first).await.expect("first edit");
    let mut second = edit_of(&row);
    second.description = Some("Second station".into());
    let r = env.save(Role::Admin, second).await;
    match r {
        Err(DbError::Conflict(m)) => assert!(m.contains(WI_CONTROL_BOX), "{m}"),
        other => panic!("expected a conflict, got {other:?}"),
    }

    // Tools: unique among active ones, edited in place, stale edits refused.
    let r = env
        .save_tool(
            Role::Admin,
            ToolDraft {
                name: DRILL.to_lowercase(),
                active: true,
                ..ToolDraft::default()
            },
        )
        .await;
    assert_eq!(
        invalid(r),
        format!("An active tool is already named \"{DRILL}\"")
    );
    let r = env
        .save_tool(
            Role::Admin,
            ToolDraft {
                name: "Level".into(),
                category: Some("c".repeat(51)),
                active: true,
                ..ToolDraft::default()
            },
        )
        .await;
    assert_eq!(invalid(r), "Category is longer than 50 characters");
    let c = catalog_of(
        env.save_tool(
            Role::Admin,
            ToolDraft {
                name: " Spirit level ".into(),
                description: Some("600 mm".into()),
                category: Some("Measuring".into()),
                active: true,
                ..ToolDraft::default()
            },
        )
        .await,
    );
    let level = by_name(&c, "Spirit level").clone();
    assert_eq!(level.category.as_deref(), Some("Measuring"));
    assert_eq!(level.task_count, 0);
    let mut rename = tool_edit_of(&level);
    rename.name = "Spirit level 600".into();
    let c = catalog_of(env.save_tool(Role::Admin, rename).await);
    assert_eq!(by_name(&c, "Spirit level 600").id, level.id);
    let mut stale = tool_edit_of(&level);
    stale.category = None;
    assert!(matches!(
        env.save_tool(Role::Admin, stale).await,
        Err(DbError::Conflict(_))
    ));
    assert!(
        env.scalar_i64(
            r#"SELECT count(*) FROM "AuditLog" WHERE "entityType" = 'Tool' AND "userId" = $1"#,
            env.admin_id
        )
        .await
            >= 2
    );
}

#[tokio::test]
async fn a_linked_instruction_gets_a_new_version_and_finished_lists_keep_theirs() {
    let env = Env::new().await;
    let first = env.build_in_production("WI1").await;
    let list = env.task_list(first).await;
    let task = list
        .tasks
        .iter()
        .find(|t| t.code.as_deref() == Some("PRD-08"))
        .expect("control box task");
    let v1 = task.instruction.clone().expect("linked instruction");
    assert_eq!(v1.version, 1);
    assert!(task.tools.iter().any(|t| t.name == DRILL));

    let c = env.catalog(Role::Admin).await;
    let row = by_title(&c, WI_CONTROL_BOX).clone();
    assert_eq!(row.id, v1.id);
    assert!(row.task_count >= 2, "PRD-07 and PRD-08 link it");
    let mut edit = edit_of(&row);
    edit.steps[0].description = "Mount the box on the new bracket".into();
    let c = catalog_of(env.save(Role::Admin, edit).await);
    let v2 = by_title(&c, WI_CONTROL_BOX);
    assert_ne!(v2.id, v1.id);
    assert_eq!(v2.version, 2);
    assert!(v2.active);
    assert_eq!(v2.task_count, 0);
    assert_eq!(v2.steps[0].description, "Mount the box on the new bracket");
    assert_eq!(v2.steps.len(), v1.steps.len());
    assert_eq!(
        c.instructions
            .iter()
            .filter(|i| i.title == WI_CONTROL_BOX)
            .count(),
        1,
        "only the latest version is listed"
    );
    assert_eq!(
        env.scalar_i64(
            r#"SELECT count(*) FROM "WorkInstruction" WHERE id = $1 AND NOT "isActive""#,
            v1.id
        )
        .await,
        1,
        "the old version is deactivated"
    );

    // Editing the old version again is stale: it is no longer the latest.
    let r = env.save(Role::Admin, edit_of(&row)).await;
    assert!(matches!(r, Err(DbError::Conflict(_))), "{r:?}");

    // The drill is retired: new lists leave it out, old ones keep it.
    let mut drill = tool_edit_of(by_name(&c, DRILL));
    drill.active = false;
    env.save_tool(Role::Admin, drill)
        .await
        .expect("retire drill");

    let kept = env.task_list(first).await;
    let old = kept
        .tasks
        .iter()
        .find(|t| t.code.as_deref() == Some("PRD-08"))
        .expect("control box task");
    let old_wi = old.instruction.as_ref().expect("instruction");
    assert_eq!(old_wi.version, 1);
    assert_eq!(old_wi.steps, v1.steps);
    assert!(old.tools.iter().any(|t| t.name == DRILL));

    let second = env.build_in_production("WI2").await;
    let fresh = env.task_list(second).await;
    let new = fresh
        .tasks
        .iter()
        .find(|t| t.code.as_deref() == Some("PRD-08"))
        .expect("control box task");
    let new_wi = new.instruction.as_ref().expect("instruction");
    assert_eq!(new_wi.version, 2);
    assert_eq!(
        new_wi.steps[0].description,
        "Mount the box on the new bracket"
    );
    assert!(new.tools.iter().all(|t| t.name != DRILL));
    assert!(!new.tools.is_empty(), "the crimper stays");
}
