//! The end-of-line testing screen: state tests and golden renders at 100x30 into `screens/testing_form/`.
//!
//! The form holds the shipped "End-of-Line Testing" items as the database layer makes them, with the
//! lines that apply to a two-basin T2-B2 build (an E-Sink and an E-Drain basin, height-adjustable legs),
//! so the goldens show the real wording, units and ranges.
use crate::harness::{ScreenDriver, at, item_def, t2_b2_build, template_items, text_with_styles};
use cleanstation::domain::Role;
use cleanstation::domain::checklist::CheckType;
use cleanstation::domain::floor::{
    FloorHeader, TestItem, TestType, TestingFormSummary, TestingFormView, TestingStatus,
    TestingSubmitted,
};
use cleanstation::domain::order::{BuildConfig, DocumentLanguage, OrderRow, OrderStatus};
use cleanstation::domain::qc::{Answer, LineAnswer, QcItemDef, applicable};
use cleanstation::error::ServiceError;
use cleanstation::keymap::KeyContext;
use cleanstation::msg::{Reply, Request};
use cleanstation::screens::qc_checklist::SaveStatus;
use cleanstation::screens::testing_form::{Dialog, TestingFormScreen};
use cleanstation::screens::{Effect, Screen, ScreenId, ScreenMsg};
use cleanstation::theme::Theme;
use cleanstation::widgets::key_bar;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use serde_json::json;
use uuid::Uuid;

const W: u16 = 100;
const H: u16 = 30;
const ORDER: Uuid = Uuid::from_u128(0x0001_0006);

fn snap(state: &str, description: &str, text: &str) {
    crate::harness::snap_in!("testing_form", state, description, text);
}

fn build() -> BuildConfig {
    t2_b2_build(json!({"buildNumber": "EX-2"}))
}

/// The shipped End-of-Line items as the database layer makes them, and the lines for the build.
pub(crate) fn view(
    answers: Vec<LineAnswer>,
    open_tasks: i64,
    submitted: Vec<TestingFormSummary>,
) -> TestingFormView {
    let mut source = template_items("EOL_TEST");
    source.sort_by_key(|i| i.sequence);
    let items: Vec<TestItem> = source
        .iter()
        .enumerate()
        .map(|(n, it)| TestItem {
            def: item_def(n as u128, it),
            test_type: TestType::Functional,
        })
        .collect();
    let defs: Vec<QcItemDef> = items.iter().map(|t| t.def.clone()).collect();
    let lines = applicable(&defs, &build(), DocumentLanguage::En).expect("lines apply");
    TestingFormView {
        header: FloorHeader {
            order_id: ORDER,
            po_number: "4500031".into(),
            build_number: "EX-2".into(),
            sink_model: "T2-B2".into(),
        },
        draft_id: (!answers.is_empty()).then_some(Uuid::from_u128(0xD000)),
        items,
        lines,
        answers,
        open_tasks,
        submitted,
        carried: Vec::new(),
    }
}

/// Every line answered conforming: YES, the middle of a measurement's range, a text.
fn all_conforming(v: &TestingFormView) -> Vec<LineAnswer> {
    v.lines
        .iter()
        .map(|l| {
            let d = &v.items[l.item].def;
            let value = match d.check_type {
                CheckType::Measurement => {
                    let (lo, hi) = (d.min.unwrap_or_default(), d.max.unwrap_or_default());
                    ((lo + hi) / rust_decimal::Decimal::TWO)
                        .normalize()
                        .to_string()
                }
                CheckType::Text => "ok".into(),
                CheckType::MultiChoice => d.options.first().cloned().unwrap_or_default(),
                _ => "YES".into(),
            };
            LineAnswer {
                item_id: d.id,
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

fn line_of(v: &TestingFormView, code: &str) -> usize {
    v.lines
        .iter()
        .position(|l| v.items[l.item].def.code == code)
        .unwrap_or_else(|| panic!("{code} applies to the build"))
}

fn failed_form() -> TestingFormSummary {
    TestingFormSummary {
        id: Uuid::from_u128(0xE001),
        status: TestingStatus::Fail,
        performed_by: "Sam Brennan".into(),
        at: Some(at(14, 10, 42)),
    }
}

/// The screen with a scripted session: keys go through the real keymap.
type Harness = ScreenDriver<TestingFormScreen>;

impl ScreenDriver<TestingFormScreen> {
    fn new(role: Role, form: TestingFormView) -> Harness {
        let mut h = Harness::open(role, |ctx| TestingFormScreen::open(ORDER, ctx));
        let load = h
            .take(|r| matches!(r, Request::TestingForm { order_id, .. } if *order_id == ORDER))
            .expect("opening loads the form");
        h.reply(&load, Ok(Reply::TestingForm(Box::new(form))));
        h
    }

    fn key(&mut self, code: KeyCode) {
        let stack = self.screen.key_contexts();
        match self.keymap.resolve(&stack, KeyEvent::from(code)) {
            Some(a) => self.send(ScreenMsg::Action(a)),
            None => {
                if let KeyCode::Char(c) = code
                    && stack.contains(&KeyContext::TextInput)
                {
                    self.send(ScreenMsg::Char(c));
                }
            }
        }
    }

    fn ctrl(&mut self, c: char) {
        let stack = self.screen.key_contexts();
        let ev = KeyEvent::new(KeyCode::Char(c), crossterm::event::KeyModifiers::CONTROL);
        if let Some(a) = self.keymap.resolve(&stack, ev) {
            self.send(ScreenMsg::Action(a));
        }
    }

    fn type_str(&mut self, text: &str) {
        text.chars().for_each(|c| self.key(KeyCode::Char(c)));
    }

    fn select(&mut self, line: usize) {
        self.key(KeyCode::Home);
        (0..line).for_each(|_| self.key(KeyCode::Down));
        assert_eq!(self.screen.selected(), line);
    }

    fn render(&mut self) -> String {
        self.render_at(W, H)
    }

    fn render_at(&mut self, w: u16, h: u16) -> String {
        let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("test backend");
        let keys = self.keymap.key_bar(&self.screen.key_contexts());
        let theme = self.theme;
        terminal
            .draw(|f| {
                self.screen.view(f, Rect::new(0, 0, w, h - 1), &theme);
                key_bar::render(f, Rect::new(0, h - 1, w, 1), &keys, &theme);
            })
            .expect("draw");
        text_with_styles(terminal.backend().buffer())
    }
}

#[test]
fn autosave_sends_the_whole_answer_set_coalesced_and_retried() {
    let form = view(Vec::new(), 0, Vec::new());
    let lines = form.lines.len();
    let mut h = Harness::new(Role::Assembler, form);
    h.key(KeyCode::Char('y'));
    let first = h
        .take(|r| matches!(r, Request::SaveTestingDraft { .. }))
        .expect("y saves the draft");
    let Request::SaveTestingDraft { answers, .. } = &first.kind else {
        unreachable!()
    };
    assert_eq!(answers.len(), lines, "the whole answer set goes each time");
    assert_eq!(answers[0].answer.value.as_deref(), Some("YES"));
    assert_eq!(*h.screen.save_status(), SaveStatus::Saving);
    // Two more answers while the save is out wait for it, then go together.
    h.key(KeyCode::Char('y'));
    h.key(KeyCode::Char('n'));
    assert!(
        h.take(|r| matches!(r, Request::SaveTestingDraft { .. }))
            .is_none()
    );
    h.reply(
        &first,
        Err(ServiceError::Invalid("database unavailable".into())),
    );
    assert!(matches!(h.screen.save_status(), SaveStatus::Failed(_)));
    assert!(
        h.render()
            .contains("Not saved: database unavailable — will retry")
    );
    assert!(h.screen.has_unsaved_input());
    // The retry a few seconds later carries all three answers.
    let t0 = std::time::Instant::now();
    h.send(ScreenMsg::Tick(t0));
    h.send(ScreenMsg::Tick(t0 + std::time::Duration::from_secs(6)));
    let retry = h
        .take(|r| matches!(r, Request::SaveTestingDraft { .. }))
        .expect("the failed save is retried");
    let Request::SaveTestingDraft { answers, .. } = &retry.kind else {
        unreachable!()
    };
    let given: Vec<_> = answers
        .iter()
        .take(3)
        .map(|a| a.answer.value.as_deref())
        .collect();
    assert_eq!(given, vec![Some("YES"), Some("YES"), Some("NO")]);
    h.reply(
        &retry,
        Ok(Reply::TestingDraftSaved(Uuid::from_u128(0xD000))),
    );
    assert_eq!(*h.screen.save_status(), SaveStatus::Saved);
    assert!(!h.screen.has_unsaved_input());
}

#[test]
fn measurements_are_judged_at_the_bounds() {
    let form = view(Vec::new(), 0, Vec::new());
    let line = line_of(&form, "EOL-20");
    let mut h = Harness::new(Role::Assembler, form);
    h.select(line);
    for (value, shown) in [
        ("36", "conforming"),
        ("44", "conforming"),
        (
            "44.1",
            "non-conforming: 44.1 degC is above the maximum 44 degC",
        ),
        (
            "35.9",
            "non-conforming: 35.9 degC is below the minimum 36 degC",
        ),
        ("warm", "not accepted"),
    ] {
        h.key(KeyCode::Enter);
        h.ctrl('u');
        h.type_str(value);
        let text = h.render();
        assert!(text.contains(shown), "{value}: {text}");
        h.key(KeyCode::Esc);
    }
    // An out-of-range value is kept and saved as failing; a non-number is refused in the dialog.
    h.key(KeyCode::Enter);
    h.ctrl('u');
    h.type_str("44.1");
    h.key(KeyCode::Enter);
    assert!(h.screen.dialog().is_none());
    assert_eq!(h.screen.answers()[line].value.as_deref(), Some("44.1"));
    assert_eq!(h.screen.progress().non_conforming, 1);
    h.select(line);
    h.key(KeyCode::Enter);
    h.ctrl('u');
    h.type_str("warm");
    h.key(KeyCode::Enter);
    assert!(h.screen.dialog().is_some(), "a non-number is not accepted");
}

#[test]
fn submit_is_refused_while_required_items_are_open() {
    let mut h = Harness::new(Role::Assembler, view(Vec::new(), 0, Vec::new()));
    h.key(KeyCode::Char('y'));
    h.sent.clear();
    h.key(KeyCode::Char('s'));
    assert!(h.screen.dialog().is_none());
    assert!(
        h.take(|r| matches!(r, Request::SubmitTesting { .. }))
            .is_none()
    );
    let m = h.screen.message().expect("a message lists them");
    assert!(m.contains("required item(s) unanswered"), "{m}");
    assert!(m.contains("EOL-02 Basin 1"), "{m}");
}

#[test]
fn submit_states_the_outcome_and_a_fail_starts_a_new_form() {
    let form = view(Vec::new(), 0, Vec::new());
    let mut answers = all_conforming(&form);
    let line = line_of(&form, "EOL-20");
    answers[line].answer.value = Some("45".into());
    let mut form = view(answers, 0, Vec::new());
    form.draft_id = Some(Uuid::from_u128(0xD000));
    let mut h = Harness::new(Role::Assembler, form);
    h.key(KeyCode::Char('s'));
    let Some(Dialog::Submit(d)) = h.screen.dialog() else {
        panic!("s asks first");
    };
    let text = d.lines.clone();
    assert!(text[0].starts_with("Submit: FAIL — 1 failing"), "{text:?}");
    assert!(text[1].contains("EOL-20 Basin 1"), "{text:?}");
    // The submission is signed: Enter without the password sends nothing.
    h.key(KeyCode::Enter);
    assert!(
        h.take(|r| matches!(r, Request::SubmitTesting { .. }))
            .is_none()
    );
    h.type_str("demo-pass");
    h.key(KeyCode::Enter);
    let submit = h
        .take(|r| matches!(r, Request::SubmitTesting { .. }))
        .expect("Enter signs and submits");
    let Request::SubmitTesting {
        answers,
        order_id,
        password,
        ..
    } = &submit.kind
    else {
        unreachable!()
    };
    assert_eq!(*order_id, ORDER);
    assert_eq!(password, "demo-pass");
    assert_eq!(answers[line].answer.value.as_deref(), Some("45"));
    h.reply(
        &submit,
        Ok(Reply::TestingSubmitted(TestingSubmitted {
            form_id: Uuid::from_u128(0xE001),
            status: TestingStatus::Fail,
            results: answers.len(),
            at: at(14, 10, 42),
        })),
    );
    let reload = h
        .take(|r| matches!(r, Request::TestingForm { .. }))
        .expect("a FAIL reloads the form");
    h.reply(
        &reload,
        Ok(Reply::TestingForm(Box::new(view(
            Vec::new(),
            0,
            vec![failed_form()],
        )))),
    );
    assert!(!h.screen.passed());
    assert!(
        h.screen.answers().iter().all(|a| a.value.is_none()),
        "a fresh form"
    );
    let text = h.render();
    assert!(
        text.contains("Testing FAIL recorded: fix the build and fill in a new form"),
        "{text}"
    );
    assert!(text.contains("Form 1: FAIL by Sam Brennan 10:42"), "{text}");
}

#[test]
fn a_pass_offers_the_move_to_testing_complete() {
    let base = view(Vec::new(), 0, Vec::new());
    let answers = all_conforming(&base);
    let n = answers.len();
    let mut h = Harness::new(Role::Assembler, view(answers, 0, vec![failed_form()]));
    h.key(KeyCode::Char('s'));
    let Some(Dialog::Submit(d)) = h.screen.dialog() else {
        panic!("s asks first");
    };
    assert_eq!(d.lines[0], format!("Submit: PASS — {n} results"));
    h.type_str("wrong-pass");
    h.key(KeyCode::Enter);
    let submit = h
        .take(|r| matches!(r, Request::SubmitTesting { .. }))
        .expect("Enter submits");
    // A wrong password: the dialog stays, the password cleared, the refusal shown.
    h.reply(
        &submit,
        Err(cleanstation::error::ServiceError::Invalid(
            "Wrong password; nothing was signed".into(),
        )),
    );
    let Some(Dialog::Submit(d)) = h.screen.dialog() else {
        panic!("the dialog stays after a refusal");
    };
    assert_eq!(
        d.error.as_deref(),
        Some("Wrong password; nothing was signed")
    );
    assert_eq!(d.form.value(0), "");
    h.type_str("demo-pass");
    h.key(KeyCode::Enter);
    let submit = h
        .take(|r| matches!(r, Request::SubmitTesting { .. }))
        .expect("Enter submits");
    h.reply(
        &submit,
        Ok(Reply::TestingSubmitted(TestingSubmitted {
            form_id: Uuid::from_u128(0xE002),
            status: TestingStatus::Pass,
            results: n,
            at: at(14, 11, 5),
        })),
    );
    assert!(h.screen.passed());
    assert_eq!(h.screen.message(), Some("Testing PASS recorded"));
    assert!(h.screen.key_contexts().contains(&KeyContext::MoveAction));
    assert!(!h.screen.key_contexts().contains(&KeyContext::TestingEdit));
    h.key(KeyCode::Char('m'));
    assert!(matches!(h.screen.dialog(), Some(Dialog::Move)));
    h.key(KeyCode::Char('y'));
    let mv = h
        .take(|r| {
            matches!(r, Request::Transition { order_id, from: OrderStatus::ReadyForProduction,
                to: OrderStatus::TestingComplete, note: None, override_reason: None, .. } if *order_id == ORDER)
        })
        .expect("y moves the build");
    h.reply(
        &mv,
        Ok(Reply::OrderUpdated(OrderRow {
            id: ORDER,
            po_number: "4500031".into(),
            build_number: "EX-2".into(),
            customer_name: "Lakeview Surgical Center".into(),
            sink_model: "T2-B2".into(),
            status: OrderStatus::TestingComplete,
            want_date: at(30, 0, 0).date(),
            assignee: None,
            days_left: 16,
            open_comments: 0,
            hold: None,
        })),
    );
    assert!(h.effects.iter().any(|e| matches!(e, Effect::Toast(t) if format!("{t:?}").contains("EX-2 moved to Testing complete"))), "{:?}", h.effects);
    assert!(
        h.effects
            .contains(&Effect::Navigate(ScreenId::Packaging(ORDER)))
    );
}

#[test]
fn read_only_with_open_tasks_or_for_other_roles() {
    let mut h = Harness::new(Role::Assembler, view(Vec::new(), 2, Vec::new()));
    assert!(!h.screen.editable());
    h.key(KeyCode::Char('y'));
    h.key(KeyCode::Char('s'));
    assert!(h.sent.is_empty(), "{:?}", h.sent);
    assert!(
        h.render()
            .contains("2 task(s) still open: testing opens when every task is complete")
    );
    let mut q = Harness::new(Role::QcPerson, view(Vec::new(), 0, Vec::new()));
    assert!(!q.screen.editable());
    q.key(KeyCode::Char('y'));
    assert!(q.sent.is_empty());
    q.key(KeyCode::Esc);
    assert!(
        q.effects
            .contains(&Effect::Navigate(ScreenId::OrderDetail(ORDER)))
    );
}

#[test]
fn goldens() {
    let mut h = Harness::new(Role::Assembler, view(Vec::new(), 0, vec![failed_form()]));
    snap(
        "start",
        "A fresh form for a T2-B2 after a failed one",
        &h.render(),
    );

    let base = view(Vec::new(), 0, Vec::new());
    let line = line_of(&base, "EOL-20");
    let mut answers = all_conforming(&base);
    for a in answers.iter_mut().skip(line) {
        a.answer.value = None;
    }
    answers[line].answer.value = Some("45".into());
    let mut h = Harness::new(Role::Assembler, view(answers, 0, vec![failed_form()]));
    h.select(line);
    snap(
        "failing_measurement",
        "Resumed draft with a basin temperature above its range",
        &h.render(),
    );
    h.key(KeyCode::Enter);
    h.ctrl('u');
    h.type_str("44.5");
    snap(
        "value_dialog",
        "The value dialog judging the measurement as typed",
        &h.render(),
    );

    let mut answers = all_conforming(&base);
    answers[line].answer.value = Some("45".into());
    let mut h = Harness::new(Role::Assembler, view(answers, 0, Vec::new()));
    h.key(KeyCode::Char('s'));
    h.type_str("demo-pass");
    snap(
        "submit_confirm",
        "s on a complete form with one failing measurement: the outcome, the signature (printed name, TESTED) and the password (masked)",
        &h.render(),
    );

    // Opened again after the PASS: no draft; the service sends the passed form's answers.
    let mut passed = view(
        all_conforming(&base),
        0,
        vec![
            TestingFormSummary {
                id: Uuid::from_u128(0xE002),
                status: TestingStatus::Pass,
                performed_by: "Sam Brennan".into(),
                at: Some(at(14, 11, 5)),
            },
            failed_form(),
        ],
    );
    passed.draft_id = None;
    let mut h = Harness::new(Role::Assembler, passed);
    assert!(h.screen.passed());
    snap(
        "passed",
        "Opened after a PASS: the stored answers shown, m offers the move",
        &h.render(),
    );

    let mut h = Harness::new(Role::Assembler, view(Vec::new(), 3, Vec::new()));
    snap("open_tasks", "Tasks still open: read-only", &h.render());
}

#[test]
fn no_panic_at_any_size() {
    let base = view(Vec::new(), 0, Vec::new());
    let answers = all_conforming(&base);
    let mut h = Harness::new(Role::Assembler, view(answers, 0, vec![failed_form()]));
    let theme = Theme::ansi();
    let mut terminal = Terminal::new(TestBackend::new(1, 1)).expect("test backend");
    for key in [None, Some('s'), Some('e')] {
        if let Some(k) = key {
            h.key(KeyCode::Char(k));
        }
        for w in (1..=120).step_by(7).chain([80]) {
            for ht in 1..=40 {
                terminal.backend_mut().resize(w, ht);
                terminal
                    .draw(|f| h.screen.view(f, f.area(), &theme))
                    .expect("draw");
            }
        }
        h.key(KeyCode::Esc);
    }
}

/// A new form after a failed one: every answer in range carried over, the basin 1 water temperature
/// (EOL-20, failed at 45) not. Returns the form and the failing line.
fn carried_view() -> (TestingFormView, usize) {
    let mut v = view(Vec::new(), 0, vec![failed_form()]);
    let failing = line_of(&v, "EOL-20");
    let mut carried = all_conforming(&v);
    carried.remove(failing);
    v.carried = carried;
    (v, failing)
}

fn saved_values(req: &cleanstation::msg::ServiceRequest) -> Vec<Option<String>> {
    let Request::SaveTestingDraft { answers, .. } = &req.kind else {
        panic!("not a draft save: {req:?}");
    };
    answers.iter().map(|a| a.answer.value.clone()).collect()
}

#[test]
fn carried_over_answers_count_only_once_confirmed() {
    let (form, failing) = carried_view();
    let n = form.lines.len();
    let expected: Vec<Option<String>> = all_conforming(&form)
        .into_iter()
        .map(|a| a.answer.value)
        .collect();
    let mut h = Harness::new(Role::Assembler, form);
    assert_eq!(h.screen.unconfirmed().len(), n - 1);
    assert_eq!(
        h.screen.progress().answered,
        0,
        "carried over is not answered"
    );
    assert!(h.screen.answers().iter().all(|a| a.value.is_none()));
    let text = h.render();
    assert!(
        text.contains(&format!(
            "[↻] {} carried over — confirm (y each, Y all)",
            n - 1
        )),
        "{text}"
    );
    // Submitting is refused before the signing dialog while any waits for its confirmation.
    h.key(KeyCode::Char('s'));
    assert!(h.screen.dialog().is_none());
    let m = h.screen.message().expect("a message says why");
    assert!(
        m.starts_with(&format!(
            "Not submitted: {} carried-over answer(s) not confirmed (y each, Y all): EOL-01",
            n - 1
        )),
        "{m}"
    );
    // y on a carried-over line confirms it: saved with its value; the selection moves on.
    h.select(0);
    h.key(KeyCode::Char('y'));
    let save = h
        .take(|r| matches!(r, Request::SaveTestingDraft { .. }))
        .expect("a confirmation is saved");
    let values = saved_values(&save);
    assert_eq!(values[0], expected[0]);
    assert!(values[1..].iter().all(Option::is_none), "{values:?}");
    assert_eq!(h.screen.selected(), 1);
    assert_eq!(h.screen.unconfirmed().len(), n - 2);
    h.reply(&save, Ok(Reply::TestingDraftSaved(Uuid::from_u128(0xD000))));
    // Y asks first, naming how many; n leaves them waiting, y confirms them all.
    h.key(KeyCode::Char('Y'));
    assert!(matches!(h.screen.dialog(), Some(Dialog::ConfirmCarried(k)) if *k == n - 2));
    h.key(KeyCode::Char('n'));
    assert_eq!(h.screen.unconfirmed().len(), n - 2);
    assert!(
        h.take(|r| matches!(r, Request::SaveTestingDraft { .. }))
            .is_none()
    );
    h.key(KeyCode::Char('Y'));
    h.key(KeyCode::Char('y'));
    assert!(h.screen.unconfirmed().is_empty());
    let save = h
        .take(|r| matches!(r, Request::SaveTestingDraft { .. }))
        .expect("the confirmations are saved");
    let values = saved_values(&save);
    for (i, v) in values.iter().enumerate() {
        if i == failing {
            assert_eq!(*v, None, "the failing line is measured again");
        } else {
            assert_eq!(*v, expected[i], "line {i}");
        }
    }
    h.reply(&save, Ok(Reply::TestingDraftSaved(Uuid::from_u128(0xD000))));
    // Only the failing measurement needs keys now.
    h.key(KeyCode::Char('g'));
    assert_eq!(h.screen.selected(), failing);
    h.key(KeyCode::Enter);
    h.type_str("40");
    h.key(KeyCode::Enter);
    h.key(KeyCode::Char('s'));
    let Some(Dialog::Submit(d)) = h.screen.dialog() else {
        panic!("the form is complete: s asks to sign");
    };
    assert_eq!(d.lines[0], format!("Submit: PASS — {n} results"));
}

#[test]
fn enter_on_a_carried_line_starts_from_its_value() {
    let (form, failing) = carried_view();
    let line = form
        .lines
        .iter()
        .enumerate()
        .position(|(i, l)| i != failing && form.items[l.item].def.check_type == CheckType::Text)
        .expect("a record line");
    let mut h = Harness::new(Role::Assembler, form);
    h.select(line);
    h.key(KeyCode::Enter);
    let Some(Dialog::Answer(cleanstation::screens::qc_checklist::AnswerDialog::Value {
        form, ..
    })) = h.screen.dialog()
    else {
        panic!("Enter opens the value dialog");
    };
    assert_eq!(form.value(0), "ok", "it starts from the carried-over value");
    // Esc leaves it waiting; Enter in the dialog takes it as the user's answer.
    h.key(KeyCode::Esc);
    assert!(h.screen.unconfirmed().contains(&line));
    h.key(KeyCode::Enter);
    h.ctrl('u');
    h.type_str("SN-0042");
    h.key(KeyCode::Enter);
    assert!(!h.screen.unconfirmed().contains(&line));
    assert_eq!(h.screen.answers()[line].value.as_deref(), Some("SN-0042"));
}

#[test]
fn a_failing_answer_keeps_the_selection_for_its_note() {
    let form = view(Vec::new(), 0, Vec::new());
    let temperature = line_of(&form, "EOL-20");
    let mut h = Harness::new(Role::Assembler, form);
    h.select(0);
    h.key(KeyCode::Char('n'));
    assert_eq!(h.screen.selected(), 0, "n stays on the line");
    assert!(
        h.screen
            .message()
            .is_some_and(|m| m.contains("e adds a note"))
    );
    h.key(KeyCode::Char('e'));
    assert!(matches!(
        h.screen.dialog(),
        Some(Dialog::Answer(d)) if d.line() == 0
    ));
    h.key(KeyCode::Esc);
    // y moves on as before; so does a value in range, while one out of range stays.
    h.key(KeyCode::Char('y'));
    assert_eq!(h.screen.selected(), 1);
    h.select(temperature);
    h.key(KeyCode::Enter);
    h.type_str("45");
    h.key(KeyCode::Enter);
    assert_eq!(h.screen.selected(), temperature);
    h.key(KeyCode::Enter);
    h.ctrl('u');
    h.type_str("40");
    h.key(KeyCode::Enter);
    assert_eq!(h.screen.selected(), temperature + 1);
}

#[test]
fn carried_over_goldens() {
    let (form, _) = carried_view();
    let mut h = Harness::new(Role::Assembler, form);
    for (w, ht) in [(80, 24), (120, 40)] {
        snap(
            &format!("carried_over_{w}x{ht}"),
            "A new form after a failed one: the answers in range carried over, each to confirm (↻)",
            &h.render_at(w, ht),
        );
    }
    h.theme = Theme::mono();
    snap(
        "carried_over_mono_80x24",
        "The carried-over form in the monochrome theme: the marker and the words carry the meaning",
        &h.render_at(80, 24),
    );
    h.theme = Theme::ansi();
    h.key(KeyCode::Char('Y'));
    for (w, ht) in [(80, 24), (120, 40)] {
        snap(
            &format!("confirm_carried_{w}x{ht}"),
            "Y: confirm every carried-over answer, naming how many and of which kind",
            &h.render_at(w, ht),
        );
    }
}
