//! Work instructions and tools from the admin screen: create, edit in place with every change of content
//! a new revision (author, time, change note), generated tasks kept on the revision they were generated
//! with while new lists get the latest, revisions that cannot change, the validation and uniqueness
//! refusals, the ADMIN-only writes, the audit trail and stale edits.

use crate::auth::expect_reply;
use crate::floor::{Floor, example_build};
use cleanstation::domain::Role;
use cleanstation::domain::instruction_revisions::InstructionHistory;
use cleanstation::domain::instructions::{
    CHANGE_NOTE_REQUIRED, InstructionCatalog, InstructionDraft, InstructionRow, StepDraft,
    ToolDraft, ToolRow,
};
use cleanstation::domain::tasks::{DRILL, TaskListView, WI_CONTROL_BOX};
use cleanstation::error::ServiceError;
use cleanstation::msg::{Reply, Request};
use uuid::Uuid;

/// The work instruction and tool requests of the admin screen.
impl Floor {
    async fn catalog(&self, role: Role) -> InstructionCatalog {
        catalog_of(
            self.send(Request::WorkInstructions {
                token: self.token(role),
            })
            .await,
        )
    }

    async fn save(&self, role: Role, draft: InstructionDraft) -> Result<Reply, ServiceError> {
        self.send(Request::SaveWorkInstruction {
            token: self.token(role),
            instruction: Box::new(draft),
        })
        .await
    }

    async fn save_tool(&self, role: Role, draft: ToolDraft) -> Result<Reply, ServiceError> {
        self.send(Request::SaveTool {
            token: self.token(role),
            tool: Box::new(draft),
        })
        .await
    }

    async fn revisions(&self, instruction_id: Uuid) -> InstructionHistory {
        expect_reply(
            self.send(Request::WorkInstructionRevisions {
                token: self.token(Role::Assembler),
                instruction_id,
            })
            .await,
            |r| match r {
                Reply::WorkInstructionRevisions(h) => Some(*h),
                _ => None,
            },
        )
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

fn catalog_of(r: Result<Reply, ServiceError>) -> InstructionCatalog {
    expect_reply(r, |r| match r {
        Reply::WorkInstructions(c) => Some(*c),
        _ => None,
    })
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
        change_note: "First issue".into(),
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
        change_note: "Edited".into(),
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

fn invalid(r: Result<Reply, ServiceError>) -> String {
    match r {
        Err(ServiceError::Invalid(m)) => m,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn create_then_edit_in_place_each_change_a_revision() {
    let env = Floor::new().await;
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

    // The edit replaces the steps in place: same row, the next revision.
    let mut edit = edit_of(row);
    edit.steps.reverse();
    edit.steps.push(step("Inspect", None, Some(2)));
    let edited = catalog_of(env.save(Role::Admin, edit).await);
    let after = by_title(&edited, "Fit the splash guard");
    assert_eq!(after.id, row.id);
    assert_eq!(after.version, 2);
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
            env.id(Role::Admin)
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
    assert_eq!(last.version, 2, "(de)activating makes no revision");

    // The revisions, newest first, with author, note and the steps as they were.
    let history = env.revisions(row.id).await;
    assert_eq!(
        history
            .revisions
            .iter()
            .map(|r| (r.number, r.change_note.as_str(), r.steps.len()))
            .collect::<Vec<_>>(),
        vec![(2, "Edited", 3), (1, "First issue", 2)]
    );
    let admin_name: String = env
        .db
        .client()
        .await
        .query_one(
            r#"SELECT "fullName" FROM "User" WHERE id = $1"#,
            &[&env.id(Role::Admin)],
        )
        .await
        .expect("admin")
        .get(0);
    assert!(
        history
            .revisions
            .iter()
            .all(|r| r.author.as_deref() == Some(admin_name.as_str()))
    );

    // A content change without a note is refused; nothing is stored.
    let c = env.catalog(Role::Admin).await;
    let mut silent = edit_of(by_title(&c, "Fit the splash guard"));
    silent.steps.pop();
    silent.change_note = "   ".into();
    assert_eq!(
        invalid(env.save(Role::Admin, silent).await),
        CHANGE_NOTE_REQUIRED
    );
    assert_eq!(env.revisions(row.id).await.revisions.len(), 2);
}

#[tokio::test]
async fn validation_uniqueness_roles_and_stale_edits() {
    let env = Floor::new().await;
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
        assert!(
            matches!(r, Err(ServiceError::Forbidden(_))),
            "{role:?}: {r:?}"
        );
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
        assert!(
            matches!(r, Err(ServiceError::Forbidden(_))),
            "{role:?}: {r:?}"
        );
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
        Err(ServiceError::Conflict(m)) => assert!(m.contains(WI_CONTROL_BOX), "{m}"),
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
        Err(ServiceError::Conflict(_))
    ));
    assert!(
        env.scalar_i64(
            r#"SELECT count(*) FROM "AuditLog" WHERE "entityType" = 'Tool' AND "userId" = $1"#,
            env.id(Role::Admin)
        )
        .await
            >= 2
    );
}

#[tokio::test]
async fn editing_after_task_generation_leaves_the_task_on_its_old_revision() {
    let env = Floor::new().await;
    let first = env
        .build_in_production("PO-WI1", example_build("WI1"))
        .await;
    let list = env.task_list(first).await;
    let task = list
        .tasks
        .iter()
        .find(|t| t.code.as_deref() == Some("PRD-08"))
        .expect("control box task");
    let v1 = task.instruction.clone().expect("linked instruction");
    assert_eq!((v1.version, v1.current_version), (1, 1));
    assert_eq!(v1.author, None, "the demo data's revision has no author");
    assert!(task.tools.iter().any(|t| t.name == DRILL));

    let c = env.catalog(Role::Admin).await;
    let row = by_title(&c, WI_CONTROL_BOX).clone();
    assert_eq!(row.id, v1.id);
    assert!(row.task_count >= 2, "PRD-07 and PRD-08 link it");
    let mut edit = edit_of(&row);
    edit.steps[0].description = "Mount the box on the new bracket".into();
    edit.change_note = "  New bracket from supplier B  ".into();
    let c = catalog_of(env.save(Role::Admin, edit).await);
    let v2 = by_title(&c, WI_CONTROL_BOX);
    assert_eq!(v2.id, v1.id, "the instruction is edited in place");
    assert_eq!(v2.version, 2);
    assert!(v2.active);
    assert_eq!(v2.steps[0].description, "Mount the box on the new bracket");
    assert_eq!(v2.steps.len(), v1.steps.len());

    // The runner's data: the task still shows rev 1 and its steps, and knows rev 2 is current.
    let kept = env.task_list(first).await;
    let old = kept
        .tasks
        .iter()
        .find(|t| t.code.as_deref() == Some("PRD-08"))
        .expect("control box task");
    let old_wi = old.instruction.as_ref().expect("instruction");
    assert_eq!((old_wi.version, old_wi.current_version), (1, 2));
    assert_eq!(old_wi.revision_id, v1.revision_id);
    assert_eq!(old_wi.steps, v1.steps);
    assert_ne!(
        old_wi.steps[0].description,
        "Mount the box on the new bracket"
    );

    // The device history record reads the same revision per task.
    let used = cleanstation::db::tasks::instruction_revisions(&env.db.client().await, first)
        .await
        .expect("revisions used");
    let prd08 = used
        .iter()
        .find(|u| u.task_id == old.id)
        .expect("PRD-08 used a revision");
    assert_eq!(
        (prd08.instruction_id, prd08.title.as_str(), prd08.revision),
        (v1.id, WI_CONTROL_BOX, 1)
    );

    // The revision list: newest first, the note trimmed, the admin as author.
    let history = env.revisions(v1.id).await;
    assert_eq!(
        history
            .revisions
            .iter()
            .map(|r| (r.number, r.change_note.as_str(), r.author.is_some()))
            .collect::<Vec<_>>(),
        vec![
            (2, "New bracket from supplier B", true),
            (1, "Imported with the demo data", false)
        ]
    );

    // Editing from the old stamp is stale.
    let r = env.save(Role::Admin, edit_of(&row)).await;
    assert!(matches!(r, Err(ServiceError::Conflict(_))), "{r:?}");

    // A revision is a record: the database refuses to change or delete it, and a task keeps its own.
    let client = env.db.client().await;
    let changed = client
        .execute(
            r#"UPDATE "WorkInstructionRevision" SET "changeNote" = 'rewritten' WHERE id = $1"#,
            &[&v1.revision_id],
        )
        .await;
    assert!(changed.is_err(), "a revision was changed");
    let deleted = client
        .execute(
            r#"DELETE FROM "WorkInstructionRevision" WHERE id = $1"#,
            &[&v1.revision_id],
        )
        .await;
    assert!(deleted.is_err(), "a revision was deleted");
    let moved = client
        .execute(
            r#"UPDATE "Task" SET "workInstructionRevisionId" = $2 WHERE id = $1"#,
            &[&old.id, &history_revision_id(&env, v1.id, 2).await],
        )
        .await;
    assert!(moved.is_err(), "a task was moved to another revision");
    assert_eq!(
        env.scalar_i64(
            r#"SELECT count(*) FROM "WorkInstructionRevision" WHERE "workInstructionId" = $1 AND "changeNote" = 'rewritten'"#,
            v1.id
        )
        .await,
        0
    );

    // The drill is retired: new lists leave it out, old ones keep it.
    let mut drill = tool_edit_of(by_name(&c, DRILL));
    drill.active = false;
    env.save_tool(Role::Admin, drill)
        .await
        .expect("retire drill");
    let kept = env.task_list(first).await;
    assert!(
        kept.tasks
            .iter()
            .find(|t| t.id == old.id)
            .is_some_and(|t| t.tools.iter().any(|t| t.name == DRILL))
    );

    let second = env
        .build_in_production("PO-WI2", example_build("WI2"))
        .await;
    let fresh = env.task_list(second).await;
    let new = fresh
        .tasks
        .iter()
        .find(|t| t.code.as_deref() == Some("PRD-08"))
        .expect("control box task");
    let new_wi = new.instruction.as_ref().expect("instruction");
    assert_eq!((new_wi.version, new_wi.current_version), (2, 2));
    assert_eq!(
        new_wi.steps[0].description,
        "Mount the box on the new bracket"
    );
    assert!(new.tools.iter().all(|t| t.name != DRILL));
    assert!(!new.tools.is_empty(), "the crimper stays");
}

async fn history_revision_id(env: &Floor, instruction: Uuid, number: i32) -> Uuid {
    env.db
        .client()
        .await
        .query_one(
            r#"SELECT id FROM "WorkInstructionRevision" WHERE "workInstructionId" = $1 AND revision = $2"#,
            &[&instruction, &number],
        )
        .await
        .expect("revision")
        .get(0)
}

#[tokio::test]
async fn instructions_and_tools_that_task_generation_finds_by_name_keep_it() {
    let env = Floor::new().await;
    let c = env.catalog(Role::Admin).await;
    let mut edit = edit_of(by_title(&c, WI_CONTROL_BOX));
    edit.title = "Control box".into();
    let refused = invalid(env.save(Role::Admin, edit).await);
    assert!(
        refused.contains(WI_CONTROL_BOX) && refused.contains("keep the name"),
        "{refused}"
    );
    let mut tool = tool_edit_of(by_name(&c, DRILL));
    tool.name = "Drill".into();
    let refused = invalid(env.save_tool(Role::Admin, tool).await);
    assert!(refused.contains("keep the name"), "{refused}");

    // Nothing changed; other edits of the same rows still work.
    let c = env.catalog(Role::Admin).await;
    assert!(by_title(&c, WI_CONTROL_BOX).active);
    let mut tool = tool_edit_of(by_name(&c, DRILL));
    tool.category = Some("Power tools".into());
    let c = catalog_of(env.save_tool(Role::Admin, tool).await);
    assert_eq!(by_name(&c, DRILL).category.as_deref(), Some("Power tools"));
}
