//! The task runner: state tests with scripted replies, and golden renders at 100x30 into
//! `screens/task_runner/`.
//!
//! The fixture is the docs/assembly-floor.md §2.2 example: a T2-B2 with an E_SINK basin 1 and an E_DRAIN
//! basin 2, height-adjustable legs, no pegboard, no faucet, no sprayer: 18 tasks, PRD-04..10, then
//! PRD-15..18 for basin 2, then PRD-19..25 for basin 1, with the Production Checklist's wording, the demo
//! seed's work instructions and the tools of `domain::tasks`. The screen is reached the way an assembler
//! reaches it: a notification opens the build and `w` opens the assembly floor.
use crate::harness::{
    Driver, at, floor_order_detail, notification_about_build, open_build_via_notification,
    t2_b2_build,
};
use cleanstation::domain::Role;
use cleanstation::domain::bom::ItemType;
use cleanstation::domain::checklist::CheckType;
use cleanstation::domain::nonconformance::NcItem;
use cleanstation::domain::notification::Notification;
use cleanstation::domain::order::{BuildConfig, OrderStatus};
use cleanstation::domain::order_view::OrderDetail;
use cleanstation::domain::rework::{Finding, ReworkFindings};
use cleanstation::domain::tasks::{
    self, InstructionView, PartView, StepView, TaskListView, TaskView, ToolView,
};
use cleanstation::error::ServiceError;
use cleanstation::msg::{Reply, Request, ServiceRequest};
use cleanstation::screens::ActiveScreen;
use cleanstation::screens::task_runner::{Dialog, Notice, TaskRunnerScreen};
use cleanstation::theme::Theme;
use crossterm::event::KeyCode;
use rust_decimal::Decimal;
use serde_json::json;
use std::time::Duration;
use uuid::Uuid;

const W: u16 = 100;
const H: u16 = 30;
const ORDER: Uuid = Uuid::from_u128(0x0001_0006);
const SAM: Uuid = Uuid::from_u128(5);

fn snap(state: &str, description: &str, text: &str) {
    crate::harness::snap_in!("task_runner", state, description, text);
}

fn build() -> BuildConfig {
    // No basin light, P-trap or faucet: the docs/assembly-floor.md §2.2 example.
    t2_b2_build(json!({
        "buildNumber": "24-0131",
        "basins": [
            {"basinIndex": 1, "basinType": "E_SINK", "basinWidth": 24, "basinLength": 20, "basinDepth": 10},
            {"basinIndex": 2, "basinType": "E_DRAIN", "basinWidth": 24, "basinLength": 20, "basinDepth": 10}],
        "faucets": []
    }))
}

fn order_detail() -> OrderDetail {
    floor_order_detail(
        ORDER,
        "4500031",
        build(),
        OrderStatus::ReadyForProduction,
        at(14, 7, 30),
    )
}

/// The assignment that brings an assembler to the build.
fn assignment() -> Notification {
    notification_about_build(
        ORDER,
        "ASSIGNMENT",
        "Assigned to you: build 24-0131",
        "Carla Mendes assigned build 24-0131 (PO 4500031) to you.",
        at(14, 7, 31),
    )
}

/// Someone with `role` opens the build from its assignment notification, then `w`.
fn at_build_then_w(role: Role) -> Driver {
    let mut d =
        open_build_via_notification(Theme::ansi(), role, vec![assignment()], order_detail());
    d.key(KeyCode::Char('w'));
    assert!(
        matches!(d.app.screen(), ActiveScreen::TaskRunner(_)),
        "w opens the task runner"
    );
    d
}

// ------------------------------------------------------------------------------------------------
// The task list
// ------------------------------------------------------------------------------------------------

type Step = (&'static str, Option<&'static str>, i32);

/// The demo seed's instructions (src/service/seed.rs), as the runner receives them.
fn instruction(title: &str) -> InstructionView {
    let (n, description, steps): (u128, &str, &[Step]) = match title {
        tasks::WI_LIFTER => (
            1,
            "Lifter control button and controller of height-adjustable legs.",
            &[
                (
                    "Mount the lifter button of the type chosen (DPF1K or DP1C) on the front panel.",
                    None,
                    10,
                ),
                (
                    "Fix the controller underneath the sink with four screws; connect the columns and the button.",
                    Some("Mains power must be disconnected while wiring the controller."),
                    25,
                ),
                (
                    "Power up and run the legs once through their full travel.",
                    Some("Keep hands and feet clear of the legs while they move."),
                    10,
                ),
            ],
        ),
        tasks::WI_FINISH => (
            2,
            "Logo and final cleaning of the sink body.",
            &[
                (
                    "Attach the logo on the left side, 50 mm from the top edge (skip when the order says no logo).",
                    None,
                    10,
                ),
                (
                    "Vacuum metal shavings and waste from the basins and the frame; wipe with a lint-free cloth.",
                    Some("Wear cut-resistant gloves: shavings are sharp."),
                    20,
                ),
            ],
        ),
        tasks::WI_CONTROL_BOX => (
            3,
            "Applies to every control box variant; the box's contents come with its BOM line.",
            &[
                (
                    "Mount the control box bracket on the frame with four M6 screws.",
                    None,
                    10,
                ),
                (
                    "Connect the basin, sensor and column cables; label each at both ends.",
                    Some("Power must be disconnected."),
                    20,
                ),
                (
                    "Close the box and check that every cable gland is tight.",
                    None,
                    5,
                ),
            ],
        ),
        tasks::WI_EDRAIN => (
            4,
            "Bottom fill, pipe labels and overflow sensor of an E-Drain basin.",
            &[
                (
                    "Install the bottom-fill mixing valve DER-1899-14-CC and the faucet.",
                    None,
                    20,
                ),
                (
                    "Assemble adapter, check valve and PEX adapter; cut the PEX pipe square and run it to the bottom-fill hole.",
                    Some("The check valve's arrow must point towards the basin."),
                    30,
                ),
                ("Label the pipes Hot Water and Cold Water.", None, 5),
                (
                    "Fit the overflow sensor and connect it to the control box.",
                    None,
                    15,
                ),
            ],
        ),
        _ => (
            5,
            "Valve plate, emergency stop, touchscreen and sensors of an E-Sink basin.",
            &[
                (
                    "Install the mixing valve plate (the DI valve plate on an E-Sink DI basin).",
                    None,
                    20,
                ),
                (
                    "Fit the emergency stop button and wire it to the control box.",
                    Some("Test the emergency stop before the first power-up of the basin."),
                    15,
                ),
                (
                    "Mount the touchscreen and connect it to the E-Sink control box.",
                    Some("Handle the touchscreen by its frame; static discharge damages it."),
                    25,
                ),
                (
                    "Fit the overflow sensor, the dosing port and the temperature cable gland.",
                    None,
                    20,
                ),
            ],
        ),
    };
    InstructionView {
        id: Uuid::from_u128(0x0A00 + n),
        revision_id: Uuid::from_u128(0x0C00 + n),
        title: title.into(),
        description: Some(description.into()),
        version: 1,
        author: None,
        revised_at: chrono::NaiveDate::from_ymd_opt(2026, 11, 2)
            .and_then(|d| d.and_hms_opt(8, 0, 0))
            .expect("date"),
        current_version: 1,
        steps: (1i32..)
            .zip(steps)
            .map(|(number, (d, s, m))| StepView {
                number,
                description: (*d).into(),
                safety_notes: s.map(str::to_string),
                estimated_minutes: Some(*m),
            })
            .collect(),
    }
}

fn tool(name: &str, required: bool) -> ToolView {
    let n = name.bytes().map(u128::from).sum::<u128>();
    ToolView {
        id: Uuid::from_u128(0x0B00 + n),
        name: name.into(),
        description: None,
        required,
    }
}

fn part(id: &str, qty: i64) -> PartView {
    PartView {
        part_type: ItemType::Assembly,
        part_id: id.into(),
        quantity: Decimal::new(qty * 1000, 3),
    }
}

pub fn task_id(sequence: i32) -> Uuid {
    Uuid::from_u128(0x7000 + u128::try_from(sequence).expect("positive sequence"))
}

/// The 18 tasks, all open.
fn all_tasks() -> Vec<TaskView> {
    // (code, description, check type, estimate, basin)
    let items: [(&str, &str, CheckType, i32, Option<i32>); 18] = [
        (
            "PRD-04",
            "Install the lifter control button",
            CheckType::MultiChoice,
            30,
            None,
        ),
        (
            "PRD-05",
            "Install the lifter controller underneath the sink",
            CheckType::Boolean,
            45,
            None,
        ),
        (
            "PRD-06",
            "Attach the Torvan logo on the left side of the sink",
            CheckType::NaOption,
            10,
            None,
        ),
        (
            "PRD-07",
            "Install the power bar",
            CheckType::Boolean,
            20,
            None,
        ),
        (
            "PRD-08",
            "Install the control box named in the BOM (E-Drain / E-Sink)",
            CheckType::Boolean,
            60,
            None,
        ),
        (
            "PRD-09",
            "Label every cable D# or S#; label the overhead light cables L4 and S4",
            CheckType::NaOption,
            30,
            None,
        ),
        (
            "PRD-10",
            "Clean the sink of metal shavings and waste",
            CheckType::Boolean,
            20,
            None,
        ),
        (
            "PRD-15",
            "Install the bottom-fill mixing valve and faucet",
            CheckType::Boolean,
            45,
            Some(2),
        ),
        (
            "PRD-16",
            "Install the bottom-fill assembly: mixing valve DER-1899-14-CC, 1/2 in male NPT to 3/4 in BSPP adapter, check valve, 1/2 in PEX adapter, 1/2 in PEX pipe, to the bottom-fill hole",
            CheckType::Boolean,
            60,
            Some(2),
        ),
        (
            "PRD-17",
            "Label the pipes Hot Water and Cold Water",
            CheckType::Boolean,
            10,
            Some(2),
        ),
        (
            "PRD-18",
            "Install the overflow sensor",
            CheckType::Boolean,
            25,
            Some(2),
        ),
        (
            "PRD-19",
            "Install the mixing valve plate (E-Sink DI basin: the DI valve plate)",
            CheckType::Boolean,
            30,
            Some(1),
        ),
        (
            "PRD-20",
            "Install the emergency stop button",
            CheckType::Boolean,
            20,
            Some(1),
        ),
        (
            "PRD-21",
            "Mount the E-Sink touchscreen on the sink",
            CheckType::Boolean,
            25,
            Some(1),
        ),
        (
            "PRD-22",
            "Connect the touchscreen to the E-Sink control box",
            CheckType::Boolean,
            20,
            Some(1),
        ),
        (
            "PRD-23",
            "Install the overflow sensor",
            CheckType::Boolean,
            25,
            Some(1),
        ),
        (
            "PRD-24",
            "Install the dosing port on the backsplash",
            CheckType::Boolean,
            15,
            Some(1),
        ),
        (
            "PRD-25",
            "Install the basin temperature cable gland on the backsplash",
            CheckType::Boolean,
            15,
            Some(1),
        ),
    ];
    (1i32..)
        .zip(items)
        .map(
            |(sequence, (code, description, check_type, minutes, basin))| {
                let reference = tasks::reference(code).expect("every PRD code has a reference");
                let mut description = description.to_string();
                if let Some(b) = basin {
                    description.push_str(&format!(" (basin {b})"));
                }
                let parts = match (code, basin) {
                    ("PRD-05", _) => vec![part("T2-DL27-KIT", 1), part("T2-LC1-KIT", 1)],
                    ("PRD-08", _) => vec![part("T2-CTRL-EDR1-ESK1", 1)],
                    ("PRD-15", _) => vec![part("T2-BSN-EDR-KIT", 1)],
                    ("PRD-19", _) => vec![part("T2-BSN-ESK-KIT", 1)],
                    _ => Vec::new(),
                };
                TaskView {
                    id: task_id(sequence),
                    sequence,
                    description,
                    code: Some(code.into()),
                    check_type: Some(check_type),
                    options: if check_type == CheckType::MultiChoice {
                        vec![
                            "DPF1K (non-programmable)".into(),
                            "DP1C (programmable)".into(),
                        ]
                    } else {
                        Vec::new()
                    },
                    estimated_minutes: Some(minutes),
                    is_completed: false,
                    completed_at: None,
                    completed_by: None,
                    notes: None,
                    instruction: Some(instruction(reference.instruction)),
                    tools: reference
                        .tools
                        .iter()
                        .enumerate()
                        .map(|(i, t)| tool(t, i == 0))
                        .collect(),
                    parts,
                }
            },
        )
        .collect()
}

fn done(mut t: TaskView, minute: u32) -> TaskView {
    t.is_completed = true;
    t.completed_at = Some(at(14, 10, minute));
    t.completed_by = Some((SAM, "Sam Brennan".into()));
    t.notes = Some(match t.check_type {
        Some(CheckType::MultiChoice) => "Selected: DP1C (programmable)\nTime spent: 24 min".into(),
        _ => format!("Time spent: {} min", t.estimated_minutes.unwrap_or(0)),
    });
    t
}

/// The list with the first `n` tasks done by Sam Brennan.
fn list(n: usize) -> TaskListView {
    TaskListView {
        order_id: ORDER,
        list_id: Uuid::from_u128(0x6000),
        assembly_type: "MDRD-T2-B2".into(),
        generated_at: Some(at(14, 7, 30)),
        status: OrderStatus::ReadyForProduction,
        locked: None,
        tasks: all_tasks()
            .into_iter()
            .enumerate()
            .map(|(i, t)| {
                if i < n {
                    done(t, u32::try_from(i * 3).unwrap_or(0))
                } else {
                    t
                }
            })
            .collect(),
        findings: Vec::new(),
    }
}

// ------------------------------------------------------------------------------------------------
// Driving
// ------------------------------------------------------------------------------------------------

/// Someone with `role` opens the build from a notification, then its task runner with `w`.
fn runner(role: Role, view: TaskListView) -> Driver {
    let mut d = at_build_then_w(role);
    assert!(d.answer(
        |r| matches!(r, Request::OrderDetail { order_id, .. } if *order_id == ORDER),
        Ok(Reply::Order(Box::new(order_detail()))),
    ));
    assert!(d.answer(
        |r| matches!(r, Request::TaskList { order_id, .. } if *order_id == ORDER),
        Ok(Reply::TaskList(Box::new(view))),
    ));
    d
}

fn screen(d: &Driver) -> &TaskRunnerScreen {
    match d.app.screen() {
        ActiveScreen::TaskRunner(s) => s,
        _ => panic!("not on the task runner"),
    }
}

fn focused_sequence(d: &Driver) -> i32 {
    screen(d)
        .focused()
        .map(|t| t.sequence)
        .expect("a focused task")
}

fn take_complete(d: &mut Driver) -> ServiceRequest {
    d.take(|r| matches!(r, Request::CompleteTask { .. }))
        .expect("a completion request")
}

fn completion_of(req: &ServiceRequest) -> (Uuid, tasks::TaskCompletion) {
    match &req.kind {
        Request::CompleteTask {
            task_id,
            completion,
            ..
        } => (*task_id, completion.clone()),
        other => panic!("not a completion: {other:?}"),
    }
}

fn task(view: &TaskListView, sequence: i32) -> TaskView {
    view.tasks
        .iter()
        .find(|t| t.sequence == sequence)
        .cloned()
        .expect("the task exists")
}

pub(crate) fn assembler(n: usize) -> Driver {
    runner(Role::Assembler, list(n))
}

fn notice(d: &Driver) -> String {
    match screen(d).notice() {
        Some(Notice::Info(t) | Notice::Error(t)) => t.clone(),
        None => String::new(),
    }
}

// ------------------------------------------------------------------------------------------------
// State
// ------------------------------------------------------------------------------------------------

#[test]
fn opens_on_the_first_open_task() {
    let d = assembler(5);
    assert_eq!(focused_sequence(&d), 6);
    let d = assembler(0);
    assert_eq!(focused_sequence(&d), 1);
    let d = assembler(18);
    assert_eq!(focused_sequence(&d), 18, "all done: the last task");
    assert!(screen(&d).all_done());
}

#[test]
fn boolean_completion_carries_the_task_and_the_minutes_then_moves_on() {
    let mut d = assembler(1);
    assert_eq!(focused_sequence(&d), 2);
    // The timer starts at the first tick after focus: 4 min 10 s later is 5 whole minutes rounded up.
    d.tick(Duration::from_secs(1));
    for _ in 0..25 {
        d.tick(Duration::from_secs(10));
    }
    d.key(KeyCode::Char(' '));
    let req = take_complete(&mut d);
    let (id, c) = completion_of(&req);
    assert_eq!(id, task_id(2));
    assert_eq!(c.minutes_spent, Some(5));
    assert_eq!(c.choice, None);
    assert_eq!(c.na_reason, None);
    assert!(d.render(W, H).contains("Saving"));
    d.reply(&req, Ok(Reply::Task(Box::new(done(task(&list(0), 2), 42)))));
    assert_eq!(focused_sequence(&d), 3, "the next open task gets focus");
    assert!(screen(&d).focused().is_some_and(|t| !t.is_completed));
    assert_eq!(screen(&d).list().map(|l| l.done()), Some(2));
}

#[test]
fn the_next_open_task_wraps_to_the_first() {
    let mut view = list(0);
    for t in view.tasks.iter_mut().skip(1) {
        *t = done(t.clone(), 5);
    }
    // Only task 1 and task 18 are open; task 18 is focused by hand and completed.
    view.tasks[17].is_completed = false;
    view.tasks[17].completed_by = None;
    view.tasks[17].completed_at = None;
    let mut d = runner(Role::Assembler, view.clone());
    d.key(KeyCode::End);
    assert_eq!(focused_sequence(&d), 18);
    d.key(KeyCode::Enter);
    let req = take_complete(&mut d);
    assert_eq!(completion_of(&req).0, task_id(18));
    d.reply(&req, Ok(Reply::Task(Box::new(done(task(&view, 18), 50)))));
    assert_eq!(focused_sequence(&d), 1);
}

#[test]
fn multi_choice_asks_for_an_option() {
    let mut d = assembler(0);
    d.key(KeyCode::Char(' '));
    assert!(matches!(screen(&d).dialog(), Some(Dialog::Choice { .. })));
    assert!(
        d.sent
            .iter()
            .all(|r| !matches!(r.kind, Request::CompleteTask { .. }))
    );
    d.key(KeyCode::Down);
    d.key(KeyCode::Enter);
    let (id, c) = completion_of(&take_complete(&mut d));
    assert_eq!(id, task_id(1));
    assert_eq!(c.choice.as_deref(), Some("DP1C (programmable)"));
    assert_eq!(c.minutes_spent, Some(0));
}

#[test]
fn na_needs_a_reason_on_screen() {
    let mut d = assembler(2);
    assert_eq!(focused_sequence(&d), 3);
    d.key(KeyCode::Enter);
    assert!(matches!(screen(&d).dialog(), Some(Dialog::Na { .. })));
    d.key(KeyCode::Right); // Not applicable
    d.key(KeyCode::Enter); // Form: Enter submits
    assert!(
        d.take(|r| matches!(r, Request::CompleteTask { .. }))
            .is_none(),
        "no reason: refused on screen"
    );
    assert!(d.render(W, H).contains("An N/A needs a reason"));
    d.type_str("Customer ordered no logo");
    d.key(KeyCode::Enter);
    let (id, c) = completion_of(&take_complete(&mut d));
    assert_eq!(id, task_id(3));
    assert_eq!(c.na_reason.as_deref(), Some("Customer ordered no logo"));
}

#[test]
fn na_task_may_be_completed_as_done() {
    let mut d = assembler(2);
    d.key(KeyCode::Enter);
    d.key(KeyCode::Enter);
    let (id, c) = completion_of(&take_complete(&mut d));
    assert_eq!(id, task_id(3));
    assert_eq!(c.na_reason, None);
}

#[test]
fn invalid_keeps_the_input_and_conflict_reloads() {
    let mut d = assembler(2);
    d.key(KeyCode::Enter);
    d.key(KeyCode::Right);
    d.key(KeyCode::Tab);
    d.type_str("No logo");
    d.key(KeyCode::Enter);
    let req = take_complete(&mut d);
    d.reply(
        &req,
        Err(ServiceError::Invalid("The tasks are locked".into())),
    );
    assert!(
        matches!(screen(&d).dialog(), Some(Dialog::Na { form, .. }) if form.value(1) == "No logo")
    );
    d.key(KeyCode::Enter);
    let req = take_complete(&mut d);
    d.reply(
        &req,
        Err(ServiceError::Conflict(
            "Task 3 was already completed by Tomasz Wójcik at 10:42; your change was not saved"
                .into(),
        )),
    );
    assert!(screen(&d).dialog().is_none());
    assert!(notice(&d).contains("already completed by Tomasz"));
    let reload = d
        .take(|r| matches!(r, Request::TaskList { .. }))
        .expect("a conflict reloads the list");
    // The other station's completion arrives; the focus moves on to the next open task.
    assert_eq!(focused_sequence(&d), 3);
    d.reply(&reload, Ok(Reply::TaskList(Box::new(list(3)))));
    assert_eq!(focused_sequence(&d), 4);
}

#[test]
fn reopen_asks_first() {
    let mut d = assembler(5);
    d.key(KeyCode::Up);
    assert_eq!(focused_sequence(&d), 5);
    d.key(KeyCode::Char('u'));
    assert!(matches!(
        screen(&d).dialog(),
        Some(Dialog::Reopen { sequence: 5, .. })
    ));
    assert!(d.render(W, H).contains("Reopen task 5? y/n"));
    d.key(KeyCode::Char('n'));
    assert!(screen(&d).dialog().is_none());
    assert!(
        d.take(|r| matches!(r, Request::ReopenTask { .. }))
            .is_none()
    );
    d.key(KeyCode::Char('u'));
    d.key(KeyCode::Char('y'));
    let req = d
        .take(|r| matches!(r, Request::ReopenTask { task_id: id, .. } if *id == task_id(5)))
        .expect("y reopens task 5");
    d.reply(&req, Ok(Reply::Task(Box::new(task(&list(0), 5)))));
    assert_eq!(focused_sequence(&d), 5);
    assert_eq!(screen(&d).list().map(|l| l.done()), Some(4));
}

#[test]
fn note_is_sent_trimmed_and_blank_refused() {
    let mut d = assembler(5);
    d.key(KeyCode::Char('n'));
    assert!(matches!(screen(&d).dialog(), Some(Dialog::Note { .. })));
    d.key(KeyCode::Enter);
    assert!(
        d.take(|r| matches!(r, Request::AddTaskNote { .. }))
            .is_none()
    );
    assert!(d.render(W, H).contains("The note is empty"));
    d.type_str("  Logo sticker batch 2231  ");
    d.key(KeyCode::Enter);
    let req = d
        .take(|r| matches!(r, Request::AddTaskNote { .. }))
        .expect("a note request");
    match &req.kind {
        Request::AddTaskNote {
            task_id: id, note, ..
        } => {
            assert_eq!(*id, task_id(6));
            assert_eq!(note, "Logo sticker batch 2231");
        }
        _ => panic!("not a note"),
    }
}

#[test]
fn testing_opens_only_when_every_task_is_done() {
    let mut d = assembler(16);
    d.key(KeyCode::Char('t'));
    assert!(matches!(d.app.screen(), ActiveScreen::TaskRunner(_)));
    assert_eq!(notice(&d), "2 task(s) still open");
    let mut d = assembler(18);
    d.key(KeyCode::Char('t'));
    assert!(matches!(d.app.screen(), ActiveScreen::TestingForm(_)));
}

#[test]
fn locked_or_other_roles_send_no_edits() {
    let mut view = list(5);
    view.locked = Some("The testing form of this round was submitted; the tasks are locked".into());
    let mut d = runner(Role::Assembler, view);
    for key in [
        KeyCode::Char(' '),
        KeyCode::Enter,
        KeyCode::Char('u'),
        KeyCode::Char('n'),
    ] {
        d.key(key);
    }
    assert!(screen(&d).dialog().is_none());
    assert!(d.sent.iter().all(|r| !matches!(
        r.kind,
        Request::CompleteTask { .. } | Request::ReopenTask { .. } | Request::AddTaskNote { .. }
    )));
    let mut d = runner(Role::QcPerson, list(5));
    d.key(KeyCode::Char(' '));
    assert!(
        d.take(|r| matches!(r, Request::CompleteTask { .. }))
            .is_none()
    );
    assert!(d.render(W, H).contains("READ ONLY"));
}

#[test]
fn periodic_refresh_keeps_the_focused_task_and_its_timer() {
    let mut d = assembler(5);
    d.key(KeyCode::Down);
    d.key(KeyCode::Down);
    assert_eq!(focused_sequence(&d), 8);
    d.tick(Duration::from_secs(1));
    d.tick(Duration::from_secs(53));
    assert!(d.take(|r| matches!(r, Request::TaskList { .. })).is_none());
    d.tick(Duration::from_secs(7));
    let req = d
        .take(|r| matches!(r, Request::TaskList { .. }))
        .expect("a safety-net refresh after 60 s");
    // Another station completed task 6 meanwhile.
    d.reply(&req, Ok(Reply::TaskList(Box::new(list(6)))));
    assert_eq!(focused_sequence(&d), 8);
    assert_eq!(screen(&d).list().map(|l| l.done()), Some(6));
    // The timer runs from the first time the screen was given after its list loaded: the Down
    // keys' own moment, 61 s before the last tick.
    assert_eq!(screen(&d).elapsed(), Duration::from_secs(61));
    // No refresh while a dialog is open.
    d.key(KeyCode::Char('n'));
    d.tick(Duration::from_secs(90));
    assert!(d.take(|r| matches!(r, Request::TaskList { .. })).is_none());
}

#[test]
fn load_error_and_retry() {
    let mut d = runner_failing();
    let text = d.render(W, H);
    assert!(
        text.contains("ERROR: ") && text.contains("Refresh (F5) to try again"),
        "{text}"
    );
    d.key(KeyCode::F(5));
    assert!(d.take(|r| matches!(r, Request::TaskList { .. })).is_some());
}

fn runner_failing() -> Driver {
    let mut d = at_build_then_w(Role::Assembler);
    assert!(d.answer(
        |r| matches!(r, Request::TaskList { .. }),
        Err(ServiceError::Unavailable("connection refused".into())),
    ));
    d
}

// ------------------------------------------------------------------------------------------------
// Goldens
// ------------------------------------------------------------------------------------------------

/// A golden of the assembler's list with the first `done` tasks done, after `keys`.
fn golden(done: usize, keys: &[KeyCode], state: &str, description: &str) {
    let mut d = assembler(done);
    for &key in keys {
        d.key(key);
    }
    snap(state, description, &d.render(W, H));
}

#[test]
fn golden_first_task() {
    let description = "Nothing done yet: task 1 (lifter button, a choice) in focus with its work instruction and safety box";
    golden(0, &[], "first_task", description);
}

#[test]
fn golden_older_revision() {
    // The build was generated with rev 2; the instruction has been revised to rev 3 since.
    let mut l = list(0);
    if let Some(wi) = l.tasks[0].instruction.as_mut() {
        wi.version = 2;
        wi.current_version = 3;
        wi.author = Some("A. Admin".into());
        wi.revised_at = at(6, 9, 15);
    }
    let mut d = runner(Role::Assembler, l);
    let text = d.render(W, H);
    assert!(text.contains("rev 3 is current"), "{text}");
    assert!(text.contains("rev 2"), "{text}");
    assert!(text.contains("A. Admin)"), "{text}");
    snap(
        "older_revision",
        "Task 1 shows the work-instruction revision the build was generated with (rev 2, its author and date) and says rev 3 is current",
        &text,
    );
}

#[test]
fn golden_mid_way() {
    let description = "Five of 18 done by Sam Brennan; task 6 (cable labels, may be N/A) in focus";
    golden(5, &[], "mid_way", description);
}

#[test]
fn golden_all_done() {
    let description =
        "Every task done: the last in focus and the line pointing to end-of-line testing";
    golden(18, &[], "all_done", description);
}

#[test]
fn golden_work_instruction_scrolled() {
    let mut d = assembler(8);
    assert_eq!(focused_sequence(&d), 9);
    // The pane's size is known once it has been drawn, as on a terminal.
    d.render(W, H);
    d.key(KeyCode::PageDown);
    assert!(
        screen(&d).detail_scroll() > 0,
        "the detail is longer than the pane"
    );
    snap(
        "work_instruction",
        "Task 9 (E-Drain bottom fill, four steps) scrolled down one page with PgDn",
        &d.render(W, H),
    );
}

#[test]
fn golden_choice_dialog() {
    let keys = [KeyCode::Char(' '), KeyCode::Down];
    let description = "Completing task 1 asks for the lifter button type";
    golden(0, &keys, "choice_dialog", description);
}

#[test]
fn golden_na_dialog() {
    // Not applicable, then Enter submits the form without a reason.
    let keys = [KeyCode::Enter, KeyCode::Right, KeyCode::Enter];
    let description = "Completing task 3 as Not applicable without a reason is refused on screen";
    golden(2, &keys, "na_dialog", description);
}

#[test]
fn golden_locked() {
    let mut view = list(18);
    view.locked = Some("The testing form of this round was submitted; the tasks are locked".into());
    let mut d = runner(Role::Assembler, view);
    snap(
        "locked",
        "After the round's testing form: the tasks are shown read-only with the reason",
        &d.render(W, H),
    );
}

#[test]
fn no_panic_at_any_size() {
    let mut d = assembler(18);
    d.draw_every_size();
    // The first task asks for a choice: the dialog over the runner.
    let mut d = assembler(0);
    d.draw_every_size();
    d.key(KeyCode::Char(' '));
    assert!(d.render(100, 30).contains("Complete task 1"));
    d.draw_every_size();
}

/// Every task done and the rework task a Final QC failure appended, with that failure's findings: the
/// basin 2 drain button (NO, with the inspector's note) and a scratch found without a note.
fn rework_list() -> TaskListView {
    let mut view = list(18);
    let mut rework = task(&view, 18);
    rework.id = task_id(19);
    rework.sequence = 19;
    rework.description = "Rework after Final QC failure: Drain button missing on basin 2".into();
    rework.code = None;
    rework.check_type = None;
    rework.options = Vec::new();
    rework.estimated_minutes = None;
    rework.is_completed = false;
    rework.completed_at = None;
    rework.completed_by = None;
    rework.notes = None;
    rework.instruction = None;
    rework.tools = Vec::new();
    rework.parts = Vec::new();
    view.tasks.push(rework);
    let found = |code: &str, text: &str, basin, note: Option<&str>| Finding {
        item: NcItem {
            code: Some(code.into()),
            text: text.into(),
            basin,
            answer: Some("NO".into()),
            finding: Some("answered NO".into()),
            ..NcItem::default()
        },
        note: note.map(str::to_string),
    };
    view.findings = vec![ReworkFindings {
        task_id: task_id(19),
        inspector: "Quentin Okafor".into(),
        at: Some(at(14, 10, 42)),
        items: vec![
            found(
                "FQC-12",
                "Backsplash: drain button mounted",
                Some(2),
                Some("Drain button not fitted; part on back order"),
            ),
            found(
                "FQC-01",
                "No sharp edges; sink clean, no drilling shavings",
                None,
                None,
            ),
        ],
    }];
    view
}

#[test]
fn a_rework_task_shows_the_failed_items_with_the_inspectors_notes() {
    let mut d = runner(Role::Assembler, rework_list());
    assert_eq!(focused_sequence(&d), 19, "the rework task is the open one");
    let text = d.render(160, 40);
    for shown in [
        "Final QC findings (Quentin Okafor, 2025-03-14 10:42 UTC)",
        "✗ FQC-12 (basin 2) Backsplash: drain button mounted: NO — answered NO",
        "Note: Drain button not fitted; part on back order",
        "(no note)",
    ] {
        assert!(text.contains(shown), "{shown:?} not in:\n{text}");
    }
    for (w, h) in [(80, 24), (120, 40)] {
        snap(
            &format!("rework_findings_{w}x{h}"),
            "The rework task after a Final QC failure: the failed items with the inspector's notes, who and when",
            &d.render(w, h),
        );
    }
    // Another task shows none.
    d.key(KeyCode::Up);
    assert!(!d.render(W, H).contains("Final QC findings"));
}

// ------------------------------------------------------------------------------------------------
// Live updates (docs/live.md §3.3)
// ------------------------------------------------------------------------------------------------

/// Another station's commit on `entity` of the build.
fn live_event(entity: cleanstation::domain::live::Entity, build: Uuid) -> cleanstation::msg::Msg {
    use cleanstation::domain::live::{Change, LiveEvent, Op};
    cleanstation::msg::Msg::Live(cleanstation::live::Live::Event(LiveEvent {
        station: Some("station:ASM-2".into()),
        actor: Some(Uuid::from_u128(0xBEEF)),
        actor_name: Some("Luis Ortega".into()),
        changes: vec![Change {
            entity,
            id: Some(task_id(6)),
            op: Op::Update,
            reference: Some(build),
        }],
        everything: false,
    }))
}

#[test]
fn a_task_completed_elsewhere_shows_at_once_and_keeps_the_focus_and_the_typed_note() {
    use cleanstation::domain::live::Entity;
    let mut d = assembler(5);
    d.key(KeyCode::Down);
    d.key(KeyCode::Down);
    assert_eq!(focused_sequence(&d), 8);
    d.key(KeyCode::Char('n'));
    d.type_str("torque checked");
    // Another build's task: nothing to read.
    d.send(live_event(Entity::Task, Uuid::from_u128(0x9999)));
    assert!(d.take(|r| matches!(r, Request::TaskList { .. })).is_none());
    // This build's: read at once, once, however many events come meanwhile.
    d.send(live_event(Entity::Task, ORDER));
    d.send(live_event(Entity::Task, ORDER));
    let req = d
        .take(|r| matches!(r, Request::TaskList { .. }))
        .expect("the list is read again at once");
    assert!(d.take(|r| matches!(r, Request::TaskList { .. })).is_none());
    d.reply(&req, Ok(Reply::TaskList(Box::new(list(5)))));
    // The second event met the first read on its way: one more read, which shows task 6 done.
    let again = d
        .take(|r| matches!(r, Request::TaskList { .. }))
        .expect("read once more");
    d.reply(&again, Ok(Reply::TaskList(Box::new(list(6)))));
    assert_eq!(focused_sequence(&d), 8, "the focus stays");
    assert_eq!(screen(&d).list().map(|l| l.done()), Some(6));
    assert!(
        matches!(screen(&d).dialog(), Some(Dialog::Note { form, .. }) if form.value(0) == "torque checked"),
        "the note being typed stays"
    );
    let text = d.render(W, H);
    assert!(
        text.contains("Task 6 completed by Luis Ortega at station ASM-2"),
        "{text}"
    );
}
