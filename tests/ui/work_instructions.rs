//! The work instructions screen (ADMIN): state tests and golden renders at 100x30 into
//! `screens/work_instructions/`: the instruction list, the tools, the editor and a validation error.
use crate::harness::{Driver, init, user_for};
use cleanstation::domain::Role;
use cleanstation::domain::instruction_revisions::{InstructionHistory, RevisionView};
use cleanstation::domain::instructions::{InstructionCatalog, InstructionRow, ToolRow};
use cleanstation::domain::tasks::StepView;
use cleanstation::error::ServiceError;
use cleanstation::msg::{Reply, Request};
use cleanstation::screens::{Screen, home_entries};
use cleanstation::theme::Theme;
use crossterm::event::KeyCode;
use uuid::Uuid;

const W: u16 = 100;
const H: u16 = 30;

fn snap(state: &str, description: &str, text: &str) {
    crate::harness::snap_in!("work_instructions", state, description, text);
}

fn step(number: i32, description: &str, safety: Option<&str>, minutes: Option<i32>) -> StepView {
    StepView {
        number,
        description: description.into(),
        safety_notes: safety.map(str::to_string),
        estimated_minutes: minutes,
    }
}

fn catalog() -> InstructionCatalog {
    InstructionCatalog {
        instructions: vec![
            InstructionRow {
                id: Uuid::from_u128(1),
                title: "E-Drain basin plumbing and sensors".into(),
                description: Some("Drain valve, overflow sensor and level probe".into()),
                version: 1,
                active: true,
                steps: vec![
                    step(1, "Fit the drain valve with a new gasket.", None, Some(10)),
                    step(
                        2,
                        "Mount the level probe; route its cable to the control box.",
                        None,
                        Some(15),
                    ),
                ],
                task_count: 4,
                stamp: 11,
            },
            InstructionRow {
                id: Uuid::from_u128(2),
                title: "Mount and wire the control box".into(),
                description: Some("Control box under the sink body".into()),
                version: 2,
                active: true,
                steps: vec![
                    step(
                        1,
                        "Mount the control box on the bracket under the basin with four M6 bolts.",
                        Some(
                            "Disconnect mains power before opening the box. Wear eye protection when drilling.",
                        ),
                        Some(20),
                    ),
                    step(
                        2,
                        "Connect the lifter and sensor cables; label each connector.",
                        None,
                        Some(25),
                    ),
                ],
                task_count: 0,
                stamp: 12,
            },
            InstructionRow {
                id: Uuid::from_u128(3),
                title: "Sink body finishing".into(),
                description: None,
                version: 1,
                active: false,
                steps: vec![step(1, "Passivate and wipe down all welds.", None, None)],
                task_count: 2,
                stamp: 13,
            },
        ],
        tools: vec![
            ToolRow {
                id: Uuid::from_u128(11),
                name: "Cordless drill/driver".into(),
                description: Some("18 V, with the 6 mm and 8 mm bits".into()),
                category: Some("Power tools".into()),
                active: true,
                task_count: 9,
                stamp: 21,
            },
            ToolRow {
                id: Uuid::from_u128(12),
                name: "Torque wrench 5-60 Nm".into(),
                description: None,
                category: Some("Hand tools".into()),
                active: false,
                task_count: 0,
                stamp: 22,
            },
        ],
    }
}

fn open(role: Role) -> Driver {
    let mut d = Driver::new(init(Theme::ansi()));
    d.login(user_for(role));
    if home_entries(role)
        .iter()
        .any(|e| e.label == "Work instructions")
    {
        d.open_home_entry("Work instructions");
    }
    d
}

pub(crate) fn screen(role: Role) -> Driver {
    let mut d = open(role);
    assert!(d.answer(
        |r| matches!(r, Request::WorkInstructions { .. }),
        Ok(Reply::WorkInstructions(Box::new(catalog()))),
    ));
    d
}

#[test]
fn only_admins_have_the_menu_entry() {
    for role in [
        Role::Assembler,
        Role::ProductionCoordinator,
        Role::QcPerson,
        Role::ProcurementSpecialist,
        Role::ServiceDepartment,
    ] {
        assert!(
            home_entries(role)
                .iter()
                .all(|e| e.label != "Work instructions"),
            "{role:?}"
        );
    }
    assert!(
        home_entries(Role::Admin)
            .iter()
            .any(|e| e.label == "Work instructions")
    );
}

#[test]
fn list_and_tools() {
    let mut d = screen(Role::Admin);
    d.key(KeyCode::Down);
    let text = d.render(W, H);
    assert!(text.contains("SAFETY"), "{text}");
    snap(
        "list",
        "Instructions view, second row selected: steps on the right with the safety notes boxed",
        &text,
    );
    d.key(KeyCode::Tab);
    let text = d.render(W, H);
    assert!(text.contains("Power tools"));
    snap(
        "tools",
        "Tools view: name, category, status and use; the selected tool's details on the right",
        &text,
    );
}

#[test]
fn the_editor_adds_moves_and_saves_steps() {
    let mut d = screen(Role::Admin);
    d.key(KeyCode::Down);
    d.key(KeyCode::Enter);
    // Title, description, then the change note; step 1's three fields: go to step 2's description.
    d.key(KeyCode::Tab);
    d.key(KeyCode::Tab);
    d.type_str("Lid seal step added after the field report");
    for _ in 0..4 {
        d.key(KeyCode::Tab);
    }
    d.ctrl('a');
    d.type_str("Close the lid and fit the seal.");
    d.ctrl('k');
    snap(
        "editor",
        "Editing the control box instruction: a new step typed after step 2 and moved up to step 2",
        &d.render(W, H),
    );
    d.ctrl('s');
    let req = d
        .take(|r| matches!(r, Request::SaveWorkInstruction { .. }))
        .expect("Ctrl-S sends the save");
    let Request::SaveWorkInstruction { instruction, .. } = &req.kind else {
        panic!("not a save");
    };
    assert_eq!(instruction.id, Some(Uuid::from_u128(2)));
    assert_eq!(instruction.stamp, Some(12));
    let steps: Vec<&str> = instruction
        .steps
        .iter()
        .map(|s| s.description.as_str())
        .collect();
    assert_eq!(
        steps,
        vec![
            "Mount the control box on the bracket under the basin with four M6 bolts.",
            "Close the lid and fit the seal.",
            "Connect the lifter and sensor cables; label each connector."
        ]
    );
    assert_eq!(instruction.steps[0].estimated_minutes, Some(20));
    assert_eq!(instruction.steps[1].estimated_minutes, None);
    assert_eq!(
        instruction.change_note,
        "Lid seal step added after the field report"
    );

    // A refusal keeps everything typed; a later success closes the editor.
    d.reply(
        &req,
        Err(ServiceError::Conflict(
            "Work instruction \"Mount and wire the control box\" was changed at another station meanwhile; your change was not saved.".into(),
        )),
    );
    let text = d.render(W, H);
    assert!(text.contains("ERROR: Work instruction"), "{text}");
    assert!(text.contains("Close the lid and fit the seal."));
    assert!(
        d.take(|r| matches!(r, Request::WorkInstructions { .. }))
            .is_some(),
        "a stale edit reloads the lists"
    );
    d.ctrl('s');
    assert!(d.answer(
        |r| matches!(r, Request::SaveWorkInstruction { .. }),
        Ok(Reply::WorkInstructions(Box::new(catalog()))),
    ));
    let text = d.render(W, H);
    assert!(
        text.contains("Saved \"Mount and wire the control box\""),
        "{text}"
    );
    assert!(text.contains("▶ Instructions"));
}

#[test]
fn validation_errors_show_before_anything_is_sent() {
    let mut d = screen(Role::Admin);
    d.key(KeyCode::Char('a'));
    d.key(KeyCode::Tab);
    d.type_str("Daily check");
    for _ in 0..4 {
        d.key(KeyCode::Tab);
    }
    d.type_str("999");
    d.ctrl('s');
    assert!(
        d.take(|r| matches!(r, Request::SaveWorkInstruction { .. }))
            .is_none(),
        "nothing is sent"
    );
    let text = d.render(W, H);
    assert!(text.contains("Title is required"));
    assert!(text.contains("Step 1: the description is required"));
    snap(
        "validation",
        "A new instruction saved without title or step text and with 999 minutes: every field marked",
        &text,
    );
}

/// Three revisions of the control box instruction: rev 3 edits step 1 and adds a step, rev 2 removed
/// one, rev 1 came with the demo data.
fn history() -> InstructionHistory {
    let at = |day: u32| {
        chrono::NaiveDate::from_ymd_opt(2026, 12, day)
            .and_then(|d| d.and_hms_opt(9, 30, 0))
            .expect("date")
    };
    let rev = |number: i32, day: u32, author: Option<&str>, note: &str, steps: Vec<StepView>| {
        RevisionView {
            number,
            title: "Mount and wire the control box".into(),
            description: Some("Control box under the basin.".into()),
            steps,
            author: author.map(str::to_string),
            created_at: at(day),
            change_note: note.into(),
        }
    };
    InstructionHistory {
        instruction_id: Uuid::from_u128(2),
        revisions: vec![
            rev(
                3,
                6,
                Some("Ada Lindqvist"),
                "New bracket from supplier B; lid seal step added",
                vec![
                    step(
                        1,
                        "Mount the control box on the new bracket with four M6 bolts.",
                        None,
                        Some(20),
                    ),
                    step(
                        2,
                        "Connect the lifter and sensor cables; label each connector.",
                        Some("Power off."),
                        Some(15),
                    ),
                    step(3, "Close the lid and fit the seal.", None, Some(5)),
                    step(4, "Tie the cables to the frame.", None, Some(5)),
                    step(5, "Label the box with the build number.", None, Some(2)),
                ],
            ),
            rev(
                2,
                3,
                Some("Ada Lindqvist"),
                "Torque check moved to Final QC",
                vec![
                    step(
                        1,
                        "Mount the control box on the bracket under the basin with four M6 bolts.",
                        None,
                        Some(20),
                    ),
                    step(
                        2,
                        "Connect the lifter and sensor cables; label each connector.",
                        Some("Power off."),
                        Some(15),
                    ),
                ],
            ),
            rev(
                1,
                1,
                None,
                "Imported with the demo data",
                vec![
                    step(
                        1,
                        "Mount the control box on the bracket under the basin with four M6 bolts.",
                        None,
                        Some(20),
                    ),
                    step(2, "Check the bolt torque.", None, Some(5)),
                    step(
                        3,
                        "Connect the lifter and sensor cables; label each connector.",
                        Some("Power off."),
                        Some(15),
                    ),
                ],
            ),
        ],
    }
}

#[test]
fn revisions_list_with_the_step_diff() {
    {
        let mut d = screen(Role::Admin);
        d.key(KeyCode::Down);
        d.key(KeyCode::Char('r'));
        let req = d
            .take(|r| {
                matches!(
                    r,
                    Request::WorkInstructionRevisions { instruction_id, .. }
                        if *instruction_id == Uuid::from_u128(2)
                )
            })
            .expect("r asks for the selected instruction's revisions");
        let loading = d.render(W, H);
        assert!(loading.contains("Loading the revisions"), "{loading}");
        d.reply(
            &req,
            Ok(Reply::WorkInstructionRevisions(Box::new(history()))),
        );
        let text = d.render(W, H);
        assert!(text.contains("rev 3 against rev 2"), "{text}");
        assert!(text.contains("~ changed"), "{text}");
        assert!(text.contains("+ added"), "{text}");
        snap(
            "revisions",
            "Revisions of the control box instruction, newest first; rev 3 against rev 2: step 1 changed, three steps added",
            &text,
        );
        // A short terminal: the changes scroll with PgDn / PgUp.
        let short = d.render(80, 24);
        assert!(short.contains("Changes · lines 1-"), "{short}");
        d.key(KeyCode::PageDown);
        let scrolled = d.render(80, 24);
        assert!(!scrolled.contains("Changes · lines 1-"), "{scrolled}");
        assert!(scrolled.contains("+ added"), "{scrolled}");
        d.key(KeyCode::PageUp);
        assert!(d.render(80, 24).contains("Changes · lines 1-"));
        d.key(KeyCode::Down);
        let text = d.render(W, H);
        assert!(text.contains("rev 2 against rev 1"), "{text}");
        assert!(text.contains("- removed"), "{text}");
        snap(
            "revisions_removed",
            "rev 2 selected: the torque check removed against rev 1",
            &text,
        );
        d.key(KeyCode::Down);
        let text = d.render(W, H);
        assert!(text.contains("rev 1: the first revision"), "{text}");
        assert!(text.contains("imported"), "{text}");
        d.key(KeyCode::Esc);
        let text = d.render(W, H);
        assert!(text.contains("▶ Instructions"), "{text}");
    }
}

#[test]
fn tools_are_added_and_deactivated_after_a_confirmation() {
    let mut d = screen(Role::Admin);
    d.key(KeyCode::Tab);
    d.key(KeyCode::Char('a'));
    d.type_str("Spirit level");
    d.key(KeyCode::Tab);
    d.type_str("Measuring");
    d.key(KeyCode::Tab);
    d.key(KeyCode::Enter);
    let req = d
        .take(|r| matches!(r, Request::SaveTool { .. }))
        .expect("Enter on the last field saves");
    let Request::SaveTool { tool, .. } = &req.kind else {
        panic!("not a tool save");
    };
    assert_eq!(tool.name, "Spirit level");
    assert_eq!(tool.category.as_deref(), Some("Measuring"));
    assert!(tool.active && tool.id.is_none());
    d.reply(
        &req,
        Err(ServiceError::Invalid(
            "An active tool is already named \"Spirit level\"".into(),
        )),
    );
    let text = d.render(W, H);
    assert!(
        text.contains("ERROR: An active tool is already named"),
        "{text}"
    );
    // The typed tool is unsaved: the first Esc warns, the second discards it.
    d.key(KeyCode::Esc);
    d.key(KeyCode::Esc);

    d.key(KeyCode::Char('d'));
    let text = d.render(W, H);
    assert!(
        text.contains("Deactivate \"Cordless drill/driver\"?"),
        "{text}"
    );
    d.key(KeyCode::Char('y'));
    let req = d
        .take(|r| matches!(r, Request::SaveTool { .. }))
        .expect("y sends the change");
    let Request::SaveTool { tool, .. } = &req.kind else {
        panic!("not a tool save");
    };
    assert_eq!(tool.id, Some(Uuid::from_u128(11)));
    assert!(!tool.active);
}

#[test]
fn other_roles_see_the_screen_read_only() {
    use cleanstation::keymap::{Action, Keymap};
    use cleanstation::msg::{Command, ServiceReply};
    use cleanstation::screens::{ActiveScreen, Ctx, Effect, IdGen, ScreenId, ScreenMsg};
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    let session = crate::harness::session_for(user_for(Role::Assembler));
    let keymap = Keymap::default();
    let mut ids = IdGen::default();
    let mut ctx = Ctx::new(&mut ids, Some(&session), &keymap);
    // No menu entry leads here; opened anyway, the screen reads and refuses edits.
    let (mut screen, cmd) = ActiveScreen::open(ScreenId::WorkInstructions, &mut ctx);
    let Command::Db(req) = cmd else {
        panic!("the screen loads the catalog");
    };
    screen.update(
        ScreenMsg::Db(ServiceReply {
            id: req.id,
            result: Ok(Reply::WorkInstructions(Box::new(catalog()))),
        }),
        &mut ctx,
    );
    let cmd = screen.update(ScreenMsg::Action(Action::NewRecord), &mut ctx);
    assert!(matches!(cmd, Command::None));
    assert!(!screen.has_unsaved_input(), "no editor opened");
    let effects = ctx.into_effects();
    assert!(
        effects.iter().any(|e| matches!(e, Effect::Toast(_))),
        "{effects:?}"
    );
    let mut terminal = Terminal::new(TestBackend::new(W, H - 3)).expect("backend");
    terminal
        .draw(|f| screen.view(f, f.area(), &Theme::ansi()))
        .expect("draw");
    let text: String = terminal
        .backend()
        .buffer()
        .content()
        .iter()
        .map(|c| c.symbol())
        .collect();
    assert!(text.contains("read only"), "{text}");
    assert!(text.contains("Mount and wire the"), "{text}");
}

#[test]
fn esc_over_typed_changes_asks_before_discarding_them() {
    let mut d = screen(Role::Admin);
    // Nothing typed: Esc closes the editor at once.
    d.key(KeyCode::Enter);
    assert!(d.render(W, H).contains("Edit work instruction"));
    d.key(KeyCode::Esc);
    assert!(!d.render(W, H).contains("Edit work instruction"));

    // Typed text: the first Esc warns and keeps it, the second discards it.
    d.key(KeyCode::Enter);
    d.type_str(" (rev)");
    d.key(KeyCode::Esc);
    let text = d.render(W, H);
    assert!(text.contains("Edit work instruction"), "{text}");
    assert!(text.contains("Esc again discards them"), "{text}");
    assert!(text.contains("(rev)"), "{text}");
    d.key(KeyCode::Esc);
    assert!(!d.render(W, H).contains("Edit work instruction"));
    assert!(
        d.take(|r| matches!(r, Request::SaveWorkInstruction { .. }))
            .is_none(),
        "nothing is sent"
    );
}

#[test]
fn no_panic_at_any_size() {
    let mut d = screen(Role::Admin);
    d.draw_every_size();
    d.key(KeyCode::Enter);
    d.draw_every_size();
}
