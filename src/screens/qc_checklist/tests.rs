//! The checklist's state machine: answering keys and the draft saves they send, the y/n/a rules,
//! moving, the sign dialog, another inspector's draft and stale replies.

use super::*;
use crate::domain::checklist::{CheckType, FormType};
use crate::domain::qc::{
    FormLine, LineAnswer, QcHeader, QcOutcome, QcResultStatus, QcResultSummary,
};
use crate::domain::rejection_reason::{RejectionReason, Severity};
use crate::domain::session::Session;
use crate::error::{Result, ServiceError};
use crate::msg::{RequestId, ServiceRequest};
use crate::screens::ScreenMsg;
use crate::screens::testkit;
use std::time::Duration;

const ORDER: Uuid = Uuid::from_u128(7);

/// A session of the inspector Quentin Okafor.
fn session(role: Role) -> Session {
    let mut s = testkit::session(role);
    s.user.id = Uuid::from_u128(4);
    s.user.username = "qc".into();
    s.user.full_name = "Quentin Okafor".into();
    s.user.initials = "QO".into();
    s
}

fn item(n: u128, section: &str, check_type: CheckType, rules: serde_json::Value) -> QcItemDef {
    QcItemDef::from_row(
        Uuid::from_u128(n),
        section.into(),
        format!("Item {n}"),
        check_type,
        false,
        true,
        true,
        i32::try_from(n).unwrap_or(0) * 10,
        Some(&rules),
    )
}

/// Lines: 0 BOOLEAN (A), 1 N_A_OPTION (A), 2 MEASUREMENT (B), 3 MULTI_CHOICE multiple (B),
/// 4 and 5 BOOLEAN for basins 1 and 2 (C).
fn form(draft_by_other: Option<&str>) -> QcForm {
    let items = vec![
        item(
            1,
            "A",
            CheckType::Boolean,
            serde_json::json!({"code": "Q-1"}),
        ),
        item(
            2,
            "A",
            CheckType::NaOption,
            serde_json::json!({"code": "Q-2"}),
        ),
        item(
            3,
            "B",
            CheckType::Measurement,
            serde_json::json!({"code": "Q-3", "unit": "mm", "min": 35, "max": 40}),
        ),
        item(
            4,
            "B",
            CheckType::MultiChoice,
            serde_json::json!({"code": "Q-4", "options": ["Packaged", "Mounted", "Missing"], "multiple": true,
                "noteRequiredFor": ["Missing"]}),
        ),
        item(
            5,
            "C",
            CheckType::Boolean,
            serde_json::json!({"code": "Q-5"}),
        ),
    ];
    let line = |item, basin_index| FormLine { item, basin_index };
    QcForm {
        header: QcHeader {
            order_id: ORDER,
            po_number: "4500023".into(),
            build_number: "24-0126".into(),
            customer_name: "Lakeview".into(),
            sink_model: "T2-B2".into(),
            number_of_basins: 2,
            qc_type: FormType::FinalQc,
            first_pass: Some(true),
            template_id: Uuid::from_u128(99),
            template_name: "Final Quality Check".into(),
            template_version: 1,
        },
        items,
        lines: vec![
            line(0, None),
            line(1, None),
            line(2, None),
            line(3, None),
            line(4, Some(1)),
            line(4, Some(2)),
        ],
        draft_id: None,
        job_id: String::new(),
        answers: Vec::new(),
        draft_by_other: draft_by_other.map(str::to_string),
        previous: None,
        rejection_reasons: [(71, "WELD"), (72, "FINISH"), (73, "LEAK")]
            .into_iter()
            .map(|(n, code)| RejectionReason {
                id: Uuid::from_u128(n),
                code: code.into(),
                text: format!("{code} found"),
                severity: Severity::Major,
                rework_required: true,
                is_active: true,
                sort_order: 0,
            })
            .collect(),
    }
}

/// The screen with its shell side, and every effect it asked for.
struct Harness {
    kit: testkit::Harness,
    screen: QcChecklistScreen,
    effects: Vec<Effect>,
}

impl Harness {
    fn new(role: Role, f: QcForm) -> Harness {
        let mut kit = testkit::Harness::new(role);
        kit.session = session(role);
        let (screen, mut reqs) = kit.open(|ctx| QcChecklistScreen::open(ORDER, ctx));
        let mut h = Harness {
            kit,
            screen,
            effects: Vec::new(),
        };
        let load = reqs.pop().expect("opening loads the form");
        assert!(matches!(load.kind, Request::QcForm { order_id, .. } if order_id == ORDER));
        h.reply(load.id, Ok(Reply::QcForm(Box::new(f))));
        h
    }

    fn send(&mut self, msg: ScreenMsg) -> Vec<ServiceRequest> {
        let (reqs, effects) = self.kit.send(&mut self.screen, msg);
        self.effects.extend(effects);
        reqs
    }

    fn act(&mut self, a: Action) -> Vec<ServiceRequest> {
        self.send(ScreenMsg::Action(a))
    }

    fn type_str(&mut self, s: &str) {
        for c in s.chars() {
            self.send(ScreenMsg::Char(c));
        }
    }

    fn reply(&mut self, id: RequestId, result: Result<Reply>) -> Vec<ServiceRequest> {
        self.send(ScreenMsg::Db(ServiceReply { id, result }))
    }
}

fn saved(req: &ServiceRequest) -> (String, Vec<LineAnswer>) {
    match &req.kind {
        Request::SaveQcDraft {
            job_id, answers, ..
        } => Some((job_id.clone(), answers.clone())),
        _ => None,
    }
    .expect("a draft save")
}

fn sign_dialog(h: &Harness) -> &SignDialog {
    match h.screen.dialog() {
        Some(Dialog::Sign(d)) => Some(&**d),
        _ => None,
    }
    .expect("the sign dialog is open")
}

fn one(reqs: Vec<ServiceRequest>) -> ServiceRequest {
    assert_eq!(reqs.len(), 1, "{reqs:?}");
    reqs.into_iter().next().expect("one request")
}

#[test]
fn yes_saves_the_line_and_moves_on() {
    let mut h = Harness::new(Role::QcPerson, form(None));
    assert_eq!(h.screen.sheet().selected, 0);
    let req = one(h.act(Action::AnswerYes));
    let (_, answers) = saved(&req);
    assert_eq!(answers.len(), 1);
    assert_eq!(answers[0].item_id, Uuid::from_u128(1));
    assert_eq!(answers[0].basin_index, None);
    assert_eq!(answers[0].answer.value.as_deref(), Some("YES"));
    assert!(!answers[0].answer.is_na);
    assert_eq!(h.screen.sheet().selected, 1);
    assert_eq!(*h.screen.save_status(), SaveStatus::Saving);
    h.reply(req.id, Ok(Reply::QcDraftSaved(Uuid::from_u128(500))));
    assert_eq!(*h.screen.save_status(), SaveStatus::Saved);
    assert_eq!(
        h.screen.form().and_then(|f| f.draft_id),
        Some(Uuid::from_u128(500))
    );
}

#[test]
fn saves_coalesce_while_one_is_out_and_nothing_is_lost() {
    let mut h = Harness::new(Role::QcPerson, form(None));
    let first = one(h.act(Action::AnswerYes));
    // While the first save is out, two more answers wait.
    assert!(h.act(Action::AnswerNo).is_empty());
    h.act(Action::NextSection);
    h.act(Action::NextSection);
    assert!(h.act(Action::AnswerNo).is_empty());
    let next = one(h.reply(first.id, Ok(Reply::QcDraftSaved(Uuid::from_u128(500)))));
    let (_, answers) = saved(&next);
    let got: Vec<(Uuid, Option<i32>, Option<String>)> = answers
        .iter()
        .map(|a| (a.item_id, a.basin_index, a.answer.value.clone()))
        .collect();
    assert_eq!(
        got,
        vec![
            (Uuid::from_u128(2), None, Some("NO".into())),
            (Uuid::from_u128(5), Some(1), Some("NO".into())),
        ]
    );
}

#[test]
fn a_failed_save_keeps_the_answers_and_retries() {
    let mut h = Harness::new(Role::QcPerson, form(None));
    let first = one(h.act(Action::AnswerYes));
    h.reply(first.id, Err(ServiceError::Unavailable("down".into())));
    assert!(matches!(h.screen.save_status(), SaveStatus::Failed(_)));
    assert!(h.screen.has_unsaved_input());
    // The next change sends the failed line again with it.
    let retry = one(h.act(Action::AnswerYes));
    let (_, answers) = saved(&retry);
    assert_eq!(answers.len(), 2);
    h.reply(retry.id, Err(ServiceError::Unavailable("down".into())));
    // Or time does it: the first tick schedules, a later one sends.
    let t0 = Instant::now();
    assert!(h.send(ScreenMsg::Tick(t0)).is_empty());
    assert!(
        h.send(ScreenMsg::Tick(t0 + Duration::from_secs(1)))
            .is_empty()
    );
    let again = one(h.send(ScreenMsg::Tick(t0 + RETRY_AFTER)));
    assert_eq!(saved(&again).1.len(), 2);
    h.reply(again.id, Ok(Reply::QcDraftSaved(Uuid::from_u128(1))));
    assert!(!h.screen.has_unsaved_input());
}

#[test]
fn a_save_refused_because_another_inspector_holds_the_draft_is_said_once_and_never_retried() {
    let mut h = Harness::new(Role::QcPerson, form(None));
    let first = one(h.act(Action::AnswerYes));
    let reload = one(h.reply(
        first.id,
        Err(ServiceError::Forbidden(
            "Draft in progress by Rita Ng".into(),
        )),
    ));
    assert!(
        matches!(reload.kind, Request::QcForm { order_id, .. } if order_id == ORDER),
        "the form is loaded again to show the other draft"
    );
    let toasts: Vec<&str> = h
        .effects
        .iter()
        .filter_map(|e| match e {
            Effect::Toast(t) => Some(t.text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        toasts,
        vec!["Not saved: Draft in progress by Rita Ng; the form is read-only"]
    );
    // No retry however long the form stays open, and no save for a key pressed meanwhile.
    let t0 = Instant::now();
    for k in 0..6 {
        assert!(h.send(ScreenMsg::Tick(t0 + RETRY_AFTER * k)).is_empty());
    }
    assert!(h.act(Action::AnswerYes).is_empty());
    // The reloaded form is the other inspector's draft, read-only, with nothing unsaved.
    h.reply(
        reload.id,
        Ok(Reply::QcForm(Box::new(form(Some("Rita Ng"))))),
    );
    assert!(h.screen.read_only());
    assert!(!h.screen.has_unsaved_input());
    for k in 0..6 {
        assert!(
            h.send(ScreenMsg::Tick(t0 + RETRY_AFTER * (k + 10)))
                .is_empty()
        );
    }
    assert_eq!(
        h.effects
            .iter()
            .filter(|e| matches!(e, Effect::Toast(_)))
            .count(),
        1,
        "said once"
    );
}

#[test]
fn y_and_n_on_a_value_line_ask_for_enter() {
    let mut h = Harness::new(Role::QcPerson, form(None));
    h.act(Action::NextSection);
    assert_eq!(h.screen.sheet().selected, 2);
    assert!(h.act(Action::AnswerYes).is_empty());
    assert_eq!(
        h.screen.sheet().message.as_deref(),
        Some("This item needs a measured value: press Enter")
    );
    assert_eq!(h.screen.sheet().selected, 2);
    assert!(h.act(Action::AnswerNa).is_empty());
    assert_eq!(
        h.screen.sheet().message.as_deref(),
        Some("N/A is not an option for this item")
    );
}

#[test]
fn measurement_dialog_saves_the_typed_value() {
    let mut h = Harness::new(Role::QcPerson, form(None));
    h.act(Action::NextSection);
    h.act(Action::EditAnswer);
    assert!(matches!(
        h.screen.dialog(),
        Some(Dialog::Answer(AnswerDialog::Value { line: 2, .. }))
    ));
    assert_eq!(
        h.screen.key_contexts(),
        vec![KeyContext::TextInput, KeyContext::Dialog]
    );
    h.type_str("38.5");
    let req = one(h.act(Action::Submit));
    let (_, answers) = saved(&req);
    assert_eq!(answers[0].item_id, Uuid::from_u128(3));
    assert_eq!(answers[0].answer.value.as_deref(), Some("38.5"));
    assert!(h.screen.dialog().is_none());
    assert_eq!(h.screen.sheet().selected, 3);
}

#[test]
fn na_asks_for_the_note_and_needs_one() {
    let mut h = Harness::new(Role::QcPerson, form(None));
    h.act(Action::Down);
    h.act(Action::AnswerNa);
    assert_eq!(
        h.screen.key_contexts(),
        vec![KeyContext::TextInput, KeyContext::QcNotes]
    );
    assert!(
        h.act(Action::SaveNotes).is_empty(),
        "an empty note is refused"
    );
    assert!(matches!(
        h.screen.dialog(),
        Some(Dialog::Answer(AnswerDialog::Notes { error: Some(_), .. }))
    ));
    h.type_str("No logo on this model");
    let req = one(h.act(Action::SaveNotes));
    let a = &saved(&req).1[0].answer;
    assert!(a.is_na);
    assert_eq!(a.value, None);
    assert_eq!(a.notes.as_deref(), Some("No logo on this model"));
    assert_eq!(h.screen.sheet().selected, 2);
}

#[test]
fn a_note_with_a_forbidden_character_is_refused_in_the_dialog_and_kept() {
    let mut h = Harness::new(Role::QcPerson, form(None));
    h.act(Action::Down);
    h.act(Action::AnswerNa);
    h.send(ScreenMsg::Paste("No logo\u{200B}\non this model".into()));
    assert!(h.act(Action::SaveNotes).is_empty(), "nothing is saved");
    assert!(matches!(
        h.screen.dialog(),
        Some(Dialog::Answer(AnswerDialog::Notes { error: Some(e), editor, .. }))
            if e == "Note: contains the zero-width character U+200B; remove it"
                && editor.lines().join("\n") == "No logo\u{200B}\non this model"
    ));
}

#[test]
fn multiple_choice_toggles_with_space_and_asks_for_a_required_note() {
    let mut h = Harness::new(Role::QcPerson, form(None));
    h.act(Action::NextSection);
    h.act(Action::Down);
    h.act(Action::EditAnswer);
    assert!(h.screen.key_contexts().contains(&KeyContext::TextInput));
    assert!(h.act(Action::Submit).is_empty(), "nothing ticked yet");
    h.send(ScreenMsg::Char(' '));
    h.act(Action::Down);
    h.act(Action::Down);
    h.send(ScreenMsg::Char(' '));
    let req = one(h.act(Action::Submit));
    assert_eq!(
        saved(&req).1[0].answer.value.as_deref(),
        Some("Packaged; Missing")
    );
    assert!(
        matches!(h.screen.dialog(), Some(Dialog::Answer(AnswerDialog::Notes { for_na: false, error: Some(e), .. })) if e.contains("Missing")),
        "a note is asked for"
    );
}

#[test]
fn g_and_capital_g_find_open_and_non_conforming_lines() {
    let mut h = Harness::new(Role::QcPerson, form(None));
    h.act(Action::AnswerYes); // line 0
    h.act(Action::AnswerNo); // line 1: non-conforming
    h.act(Action::Last);
    h.act(Action::AnswerNo); // line 5: non-conforming
    h.act(Action::FirstUnanswered);
    assert_eq!(h.screen.sheet().selected, 2);
    h.act(Action::NextNonConforming);
    assert_eq!(h.screen.sheet().selected, 5);
    h.act(Action::NextNonConforming);
    assert_eq!(h.screen.sheet().selected, 1, "wraps to the first one");
    h.act(Action::NextSection);
    assert_eq!(h.screen.sheet().selected, 2);
    h.act(Action::NextSection);
    assert_eq!(h.screen.sheet().selected, 4);
    h.act(Action::PrevSection);
    assert_eq!(h.screen.sheet().selected, 2);
    h.act(Action::Down);
    h.act(Action::PrevSection);
    assert_eq!(
        h.screen.sheet().selected,
        2,
        "first to the start of its own section"
    );
}

fn outcome_options(h: &Harness) -> Vec<String> {
    let mut f = sign_dialog(h).form.clone();
    let first = f.value(SIGN_OUTCOME);
    let mut seen = vec![first.clone()];
    f.set_focus(SIGN_OUTCOME);
    loop {
        f.handle(Action::NextChoice);
        let v = f.value(SIGN_OUTCOME);
        if v == first {
            return seen;
        }
        seen.push(v);
    }
}

#[test]
fn pass_is_offered_only_when_complete_and_conforming() {
    let mut h = Harness::new(Role::QcPerson, form(None));
    h.act(Action::SignResult);
    assert_eq!(outcome_options(&h), vec!["FAIL".to_string()]);
    h.act(Action::Cancel);
    let mut f = form(None);
    f.answers = f
        .lines
        .iter()
        .map(|l| LineAnswer {
            item_id: f.items[l.item].id,
            basin_index: l.basin_index,
            // A valid, conforming answer of each kind.
            answer: Answer {
                value: Some(
                    match f.items[l.item].check_type {
                        CheckType::Measurement => "38",
                        CheckType::MultiChoice => "Packaged",
                        _ => "YES",
                    }
                    .into(),
                ),
                ..Answer::default()
            },
        })
        .collect();
    let mut h = Harness::new(Role::QcPerson, f);
    h.act(Action::SignResult);
    assert_eq!(
        outcome_options(&h),
        vec!["PASS".to_string(), "FAIL".to_string()]
    );
}

#[test]
fn sign_needs_job_id_reason_and_password_and_keeps_input_on_a_wrong_password() {
    let mut h = Harness::new(Role::QcPerson, form(None));
    h.act(Action::SignResult);
    assert!(h.act(Action::Submit).is_empty());
    let d = sign_dialog(&h);
    assert_eq!(
        d.form.field(SIGN_JOB).and_then(|f| f.error()),
        Some("Job ID is required")
    );
    assert_eq!(
        d.form.field(SIGN_REASON).and_then(|f| f.error()),
        Some("A failure reason is required")
    );
    assert_eq!(d.form.focus(), SIGN_JOB);
    h.type_str("J-7781");
    h.act(Action::NextField);
    h.act(Action::NextField);
    h.type_str("Drain button missing");
    h.act(Action::NextField);
    h.type_str("wrong");
    assert!(h.act(Action::Submit).is_empty(), "the reasons come first");
    assert!(sign_dialog(&h).reasons.open);
    assert!(h.act(Action::Submit).is_empty(), "a FAIL needs a reason");
    assert_eq!(
        sign_dialog(&h).error.as_deref(),
        Some("A FAIL needs at least one rejection reason: Space picks one")
    );
    h.act(Action::Down);
    h.act(Action::ToggleReason);
    let reqs = h.act(Action::Submit);
    let submit = reqs
        .iter()
        .find(|r| matches!(r.kind, Request::SubmitQc { .. }))
        .expect("signing sends the submission");
    match &submit.kind {
        Request::SubmitQc {
            job_id,
            outcome,
            reason,
            password,
            qc_type,
            rejection_reasons,
            ..
        } => {
            assert_eq!(rejection_reasons, &vec![Uuid::from_u128(72)]);
            assert_eq!(job_id, "J-7781");
            assert_eq!(*outcome, QcOutcome::Fail);
            assert_eq!(reason.as_deref(), Some("Drain button missing"));
            assert_eq!(password, "wrong");
            assert_eq!(*qc_type, FormType::FinalQc);
        }
        _ => unreachable!(),
    }
    assert!(
        reqs.iter()
            .any(|r| matches!(&r.kind, Request::SaveQcDraft { job_id, .. } if job_id == "J-7781")),
        "the draft keeps the job id"
    );
    let id = submit.id;
    h.reply(
        id,
        Err(ServiceError::Invalid(
            "Password incorrect; not signed".into(),
        )),
    );
    let d = sign_dialog(&h);
    assert_eq!(d.error.as_deref(), Some("Password incorrect; not signed"));
    assert_eq!(d.form.value(SIGN_JOB), "J-7781");
    assert_eq!(d.form.value(SIGN_REASON), "Drain button missing");
    assert_eq!(d.form.value(SIGN_PASSWORD), "");
    assert_eq!(d.form.focus(), SIGN_PASSWORD);
    h.type_str("right");
    assert!(
        h.act(Action::Submit).is_empty(),
        "the picks are shown again"
    );
    assert!(sign_dialog(&h).reasons.picked_ids() == vec![Uuid::from_u128(72)]);
    let submit = h
        .act(Action::Submit)
        .into_iter()
        .find(|r| matches!(r.kind, Request::SubmitQc { .. }))
        .expect("sent again");
    h.reply(
        submit.id,
        Ok(Reply::QcSubmitted(Box::new(QcResultSummary {
            id: Uuid::from_u128(900),
            qc_type: FormType::FinalQc,
            template_name: "Final Quality Check".into(),
            template_version: 1,
            status: QcResultStatus::Fail,
            performed_by: "Quentin Okafor".into(),
            at: None,
            job_id: Some("J-7781".into()),
            notes: Some("Drain button missing".into()),
            signature: String::new(),
            verified: Some(true),
        }))),
    );
    assert!(
        h.effects
            .contains(&Effect::Navigate(ScreenId::OrderDetail(ORDER)))
    );
    assert!(h.effects.iter().any(|e| matches!(e, Effect::Toast(t)
        if t.text == "Final QC FAIL signed · build 24-0126 is now Ready for production")));
}

#[test]
fn another_inspectors_draft_is_read_only_and_admin_may_discard_it() {
    let mut h = Harness::new(Role::QcPerson, form(Some("Rita Ng")));
    assert!(h.screen.read_only());
    assert_eq!(
        h.screen.key_contexts(),
        vec![KeyContext::QcReadOnly, KeyContext::List]
    );
    assert!(h.act(Action::AnswerYes).is_empty());
    assert!(h.screen.sheet().answers.iter().all(|a| a.value.is_none()));
    h.act(Action::DiscardDraft);
    assert!(h.screen.dialog().is_none(), "only an admin discards");

    let mut h = Harness::new(Role::Admin, form(Some("Rita Ng")));
    assert_eq!(h.screen.key_contexts()[0], KeyContext::QcDraftAdmin);
    h.act(Action::DiscardDraft);
    assert!(matches!(h.screen.dialog(), Some(Dialog::Discard)));
    let req = one(h.act(Action::Yes));
    assert!(
        matches!(req.kind, Request::DiscardQcDraft { order_id, qc_type: FormType::FinalQc, .. } if order_id == ORDER)
    );
    let reload = one(h.reply(req.id, Ok(Reply::Done)));
    assert!(matches!(reload.kind, Request::QcForm { .. }));
}

#[test]
fn stale_replies_are_ignored() {
    let mut h = Harness::new(Role::QcPerson, form(None));
    let req = one(h.act(Action::AnswerYes));
    // A reply to an id nobody waits for changes nothing.
    let before = h.screen.save_status().clone();
    assert!(
        h.reply(
            RequestId(req.id.0 + 100),
            Ok(Reply::QcDraftSaved(Uuid::nil()))
        )
        .is_empty()
    );
    assert!(
        h.reply(
            RequestId(req.id.0 + 101),
            Ok(Reply::QcForm(Box::new(form(Some("X")))))
        )
        .is_empty()
    );
    assert_eq!(*h.screen.save_status(), before);
    assert!(!h.screen.read_only());
    assert_eq!(h.screen.form().and_then(|f| f.draft_id), None);
}

#[test]
fn resuming_a_draft_starts_at_the_first_open_line() {
    let mut f = form(None);
    f.job_id = "J-1".into();
    f.draft_id = Some(Uuid::from_u128(50));
    f.answers = vec![
        LineAnswer {
            item_id: Uuid::from_u128(1),
            basin_index: None,
            answer: Answer {
                value: Some("YES".into()),
                ..Answer::default()
            },
        },
        LineAnswer {
            item_id: Uuid::from_u128(2),
            basin_index: None,
            answer: Answer {
                value: None,
                is_na: true,
                notes: Some("n/a".into()),
            },
        },
    ];
    let h = Harness::new(Role::QcPerson, f);
    assert_eq!(h.screen.sheet().selected, 2);
    assert_eq!(h.screen.job_id(), "J-1");
    assert!(h.screen.sheet().answers[1].is_na);
}

#[test]
fn esc_goes_back_to_the_build() {
    let mut h = Harness::new(Role::QcPerson, form(None));
    h.act(Action::Back);
    assert_eq!(
        h.effects,
        vec![Effect::Navigate(ScreenId::OrderDetail(ORDER))]
    );
}

#[test]
fn no_stays_on_the_line_so_notes_land_there() {
    let mut h = Harness::new(Role::QcPerson, form(None));
    let save = one(h.act(Action::AnswerNo));
    assert_eq!(saved(&save).1[0].answer.value.as_deref(), Some("NO"));
    assert_eq!(h.screen.sheet().selected, 0, "a fail asks for its note");
    assert_eq!(h.screen.sheet().message.as_deref(), Some(answering::STAYS));
    h.act(Action::EditNotes);
    assert!(matches!(h.screen.dialog(), Some(Dialog::Answer(d)) if d.line() == 0));
    h.type_str("Dent");
    h.act(Action::SaveNotes);
    assert_eq!(h.screen.sheet().current(0).notes.as_deref(), Some("Dent"));
    // With its note given, a NO moves on like any answer.
    h.act(Action::AnswerYes);
    assert_eq!(h.screen.sheet().selected, 1);
    h.act(Action::Up);
    h.act(Action::AnswerNo);
    assert_eq!(h.screen.sheet().selected, 1);
}

#[test]
fn a_failed_result_offers_its_job_id_and_notes() {
    let mut f = form(None);
    f.previous = Some(crate::domain::qc::QcPrevious {
        result_id: Uuid::from_u128(0xE1),
        performed_by: "Quentin Okafor".into(),
        at: None,
        job_id: Some("J-12".into()),
        notes: vec![crate::domain::qc::PreviousNote {
            item_id: f.items[4].id,
            basin_index: Some(2),
            note: "Loose".into(),
        }],
    });
    let mut h = Harness::new(Role::QcPerson, f);
    assert_eq!(h.screen.job_id(), "J-12");
    assert!(h.screen.job_carried());
    assert_eq!(h.screen.sheet().previous_note(5), Some("Loose"));
    assert_eq!(h.screen.sheet().previous_note(4), None);
    // Offered, not answered: nothing is saved until the user answers.
    assert_eq!(h.screen.progress().answered, 0);
    h.act(Action::Last);
    h.act(Action::EditNotes);
    let opened = match h.screen.dialog() {
        Some(Dialog::Answer(AnswerDialog::Notes {
            editor, offered, ..
        })) => Some((editor.lines().join("\n"), *offered)),
        _ => None,
    };
    assert_eq!(
        opened,
        Some(("Loose".to_string(), true)),
        "e offers the note"
    );
    // A job id typed replaces the carried-over one.
    h.act(Action::Cancel);
    h.act(Action::EditJobId);
    h.act(Action::ClearField);
    h.type_str("J-13");
    h.act(Action::Submit);
    assert!(!h.screen.job_carried());
}
