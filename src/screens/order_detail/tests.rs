//! The build screen's state machine: offered actions, dialogs, writes and their replies.

use super::*;
use crate::domain::order::{
    BuildConfig, DocumentLanguage, FeetType, LegsType, OrderHeader, OrderRow,
};
use crate::domain::order_view::BomSummary;
use crate::error::ServiceError;
use crate::msg::{Reply, ServiceReply};
use crate::screens::ScreenMsg;
use crate::screens::testkit::Harness;
use crate::widgets::wrap;
use chrono::{NaiveDate, NaiveDateTime};

fn detail(status: OrderStatus, actions: Vec<OrderAction>) -> OrderDetail {
    OrderDetail {
        id: Uuid::from_u128(7),
        header: OrderHeader {
            po_number: "4500012".into(),
            customer_name: "St. Mary's Hospital".into(),
            project_name: None,
            sales_person: "Jo Sales".into(),
            want_date: NaiveDate::from_ymd_opt(2025, 3, 20).unwrap_or_default(),
            order_language: DocumentLanguage::En,
            notes: None,
        },
        build: BuildConfig::new(
            "24-0117",
            "T2-B1",
            (30, 60),
            LegsType::HeightAdjustable,
            "DL27",
            FeetType::LockLevelingCasters,
        ),
        status,
        assignee: None,
        bom: Some(BomSummary {
            version: 1,
            status: "APPROVED".into(),
            top_level_lines: 9,
            notes: None,
        }),
        floor: None,
        history: Vec::new(),
        nonconformances: Vec::new(),
        actions,
        created_at: NaiveDateTime::default(),
        updated_at: NaiveDateTime::default(),
        documents: Default::default(),
        hold: None,
        hold_minutes: 0,
    }
}

/// The screen with `detail` loaded.
fn loaded(h: &mut Harness, d: OrderDetail) -> OrderDetailScreen {
    let (mut s, reqs) = h.open(|ctx| OrderDetailScreen::open(d.id, ctx));
    assert!(matches!(
        reqs.first().map(|r| &r.kind),
        Some(Request::OrderDetail { .. })
    ));
    let id = reqs.first().map(|r| r.id).unwrap_or_default();
    h.send(
        &mut s,
        ScreenMsg::Db(ServiceReply {
            id,
            result: Ok(Reply::Order(Box::new(d))),
        }),
    );
    s
}

/// The screen with a build in `from` whose one offered action is the move to `to`.
fn offering_move(h: &mut Harness, from: OrderStatus, to: OrderStatus) -> OrderDetailScreen {
    loaded(h, detail(from, vec![OrderAction::Move { to }]))
}

fn row_of(d: &OrderDetail) -> OrderRow {
    OrderRow {
        id: d.id,
        po_number: d.header.po_number.clone(),
        build_number: d.build.build_number.clone(),
        customer_name: d.header.customer_name.clone(),
        sink_model: d.build.sink_model.clone(),
        status: d.status,
        want_date: d.header.want_date,
        assignee: None,
        days_left: 3,
        open_comments: 0,
        hold: None,
    }
}

#[test]
fn only_listed_actions_have_keys() {
    let mut h = Harness::new(Role::ProductionCoordinator);
    let s = loaded(
        &mut h,
        detail(
            OrderStatus::OrderCreated,
            vec![OrderAction::Assign, OrderAction::EditConfiguration],
        ),
    );
    let stack = s.key_contexts();
    assert!(stack.contains(&KeyContext::AssignAction));
    assert!(stack.contains(&KeyContext::EditAction));
    assert!(!stack.contains(&KeyContext::MoveAction));
    assert!(!stack.contains(&KeyContext::OverrideAction));
    let bar: Vec<Action> = h.km.key_bar(&stack).iter().map(|l| l.action).collect();
    assert!(bar.contains(&Action::AssignBuild));
    assert!(!bar.contains(&Action::MoveStatus));

    // A key whose action is not offered does nothing, even if it reached the screen.
    let mut h = Harness::new(Role::QcPerson);
    let mut s = loaded(&mut h, detail(OrderStatus::OrderCreated, Vec::new()));
    // QC may raise a nonconformance on any build (docs/nonconformance.md §3).
    assert_eq!(
        s.key_contexts(),
        vec![
            KeyContext::RaiseNcAction,
            KeyContext::Detail,
            KeyContext::List
        ]
    );
    for a in [
        Action::MoveStatus,
        Action::OverrideStatus,
        Action::AssignBuild,
        Action::EditBuild,
    ] {
        let (reqs, effects) = h.act(&mut s, a);
        assert!(reqs.is_empty() && effects.is_empty(), "{a:?} acted");
    }
    let (_, effects) = h.act(&mut s, Action::RaiseNc);
    assert_eq!(
        effects,
        vec![Effect::Navigate(ScreenId::RaiseNonconformance(s.order_id))]
    );
    // Procurement raises none: the key is not live and does nothing.
    let mut h = Harness::new(Role::ProcurementSpecialist);
    let mut s = loaded(&mut h, detail(OrderStatus::OrderCreated, Vec::new()));
    assert!(!s.key_contexts().contains(&KeyContext::RaiseNcAction));
    let (reqs, effects) = h.act(&mut s, Action::RaiseNc);
    assert!(reqs.is_empty() && effects.is_empty());
}

#[test]
fn move_confirms_then_sends_the_transition() {
    let mut h = Harness::new(Role::ProcurementSpecialist);
    let d = detail(
        OrderStatus::OrderCreated,
        vec![OrderAction::Move {
            to: OrderStatus::PartsSent,
        }],
    );
    let mut s = loaded(&mut h, d.clone());
    let (reqs, _) = h.act(&mut s, Action::MoveStatus);
    assert!(reqs.is_empty(), "asks first");
    assert_eq!(s.key_contexts(), vec![KeyContext::Confirm]);
    let (reqs, _) = h.act(&mut s, Action::Yes);
    assert_eq!(reqs.len(), 1);
    assert_eq!(
        reqs[0].kind,
        Request::Transition {
            token: "t".into(),
            order_id: d.id,
            from: OrderStatus::OrderCreated,
            to: OrderStatus::PartsSent,
            note: None,
            override_reason: None,
            password: None,
        }
    );
    // Success: a toast and a reload.
    let (reload, effects) = h.reply(&mut s, &reqs[0], Ok(Reply::OrderUpdated(row_of(&d))));
    assert!(matches!(
        reload.first().map(|r| &r.kind),
        Some(Request::OrderDetail { .. })
    ));
    assert!(
        matches!(effects.first(), Some(Effect::Toast(t)) if t.text == "24-0117 moved to Parts sent")
    );
}

#[test]
fn shipping_sends_tracking_and_note() {
    let mut h = Harness::new(Role::ProductionCoordinator);
    let mut s = offering_move(&mut h, OrderStatus::ReadyForShip, OrderStatus::Shipped);
    h.act(&mut s, Action::MoveStatus);
    for c in "1Z999".chars() {
        h.send(&mut s, ScreenMsg::Char(c));
    }
    h.act(&mut s, Action::Submit);
    h.send(&mut s, ScreenMsg::Paste("Left by truck".into()));
    h.act(&mut s, Action::Submit);
    // Shipping is signed: without the password nothing is sent.
    let (reqs, _) = h.act(&mut s, Action::Submit);
    assert!(reqs.is_empty());
    h.send(&mut s, ScreenMsg::Paste("secret".into()));
    let (reqs, _) = h.act(&mut s, Action::Submit);
    assert!(matches!(
        &reqs[0].kind,
        Request::Transition { to: OrderStatus::Shipped, note: Some(n), override_reason: None,
                              password: Some(p), .. }
            if n == "1Z999\nLeft by truck" && p == "secret"
    ));
}

#[test]
fn a_wrong_password_keeps_the_dialog_and_what_was_typed_but_the_password() {
    let mut h = Harness::new(Role::ProductionCoordinator);
    let mut s = offering_move(&mut h, OrderStatus::ReadyForShip, OrderStatus::Shipped);
    h.act(&mut s, Action::MoveStatus);
    h.send(&mut s, ScreenMsg::Paste("1Z999".into()));
    h.act(&mut s, Action::Submit);
    h.act(&mut s, Action::Submit);
    h.send(&mut s, ScreenMsg::Paste("wrong".into()));
    let (reqs, _) = h.act(&mut s, Action::Submit);
    let wrong = "Wrong password; nothing was signed";
    let (reload, _) = h.reply(&mut s, &reqs[0], Err(ServiceError::Invalid(wrong.into())));
    assert!(reload.is_empty());
    let Mode::Sign { gate, dialog } = &s.mode else {
        unreachable!("the signing dialog stays open");
    };
    assert_eq!(gate, &Gate::Ship);
    assert_eq!(dialog.error.as_deref(), Some(wrong));
    assert_eq!(dialog.form.value(0), "1Z999");
    assert_eq!(dialog.form.value(2), "");
    assert_eq!(dialog.form.focus(), 2);
}

#[test]
fn packaging_complete_and_bom_approval_are_signed() {
    let mut h = Harness::new(Role::Assembler);
    let d = detail(
        OrderStatus::TestingComplete,
        vec![OrderAction::Move {
            to: OrderStatus::PackagingComplete,
        }],
    );
    let mut s = loaded(&mut h, d.clone());
    h.act(&mut s, Action::MoveStatus);
    assert!(matches!(
        &s.mode,
        Mode::Sign { gate: Gate::Move(OrderStatus::PackagingComplete), dialog }
            if dialog.meaning == Meaning::Verified
    ));
    h.send(&mut s, ScreenMsg::Paste("secret".into()));
    let (reqs, _) = h.act(&mut s, Action::Submit);
    assert!(matches!(
        &reqs[0].kind,
        Request::Transition { to: OrderStatus::PackagingComplete, password: Some(p), .. }
            if p == "secret"
    ));

    let mut h = Harness::new(Role::ProcurementSpecialist);
    let mut d = detail(OrderStatus::OrderCreated, vec![OrderAction::ApproveBom]);
    if let Some(b) = d.bom.as_mut() {
        b.status = "DRAFT".into();
    }
    let mut s = loaded(&mut h, d);
    h.act(&mut s, Action::ApproveBom);
    let (reqs, _) = h.act(&mut s, Action::Submit);
    assert!(reqs.is_empty(), "no password, nothing sent");
    h.send(&mut s, ScreenMsg::Paste("secret".into()));
    let (reqs, _) = h.act(&mut s, Action::Submit);
    assert!(matches!(
        &reqs[0].kind,
        Request::ApproveBom { version: 1, password, .. } if password == "secret"
    ));
}

#[test]
fn a_shipping_note_with_a_forbidden_character_is_refused_and_kept() {
    let mut h = Harness::new(Role::ProductionCoordinator);
    let mut s = offering_move(&mut h, OrderStatus::ReadyForShip, OrderStatus::Shipped);
    h.act(&mut s, Action::MoveStatus);
    h.act(&mut s, Action::Submit);
    h.send(&mut s, ScreenMsg::Paste("Left\u{202E} by truck".into()));
    h.act(&mut s, Action::Submit);
    h.send(&mut s, ScreenMsg::Paste("secret".into()));
    let (reqs, _) = h.act(&mut s, Action::Submit);
    assert!(reqs.is_empty());
    let kept = match &s.mode {
        Mode::Sign { dialog, .. } => Some((dialog.form.value(1), dialog.error.clone())),
        _ => None,
    };
    assert_eq!(
        kept,
        Some((
            "Left\u{202E} by truck".to_string(),
            Some(
                "Shipping note: contains the direction-changing character U+202E; remove it"
                    .to_string()
            )
        ))
    );
}

#[test]
fn override_without_a_reason_is_refused_locally() {
    let mut h = Harness::new(Role::Admin);
    let mut s = loaded(
        &mut h,
        detail(
            OrderStatus::OrderCreated,
            vec![OrderAction::Override {
                to: OrderStatus::PartsSent,
            }],
        ),
    );
    h.act(&mut s, Action::OverrideStatus);
    h.send(&mut s, ScreenMsg::Char(' '));
    h.act(&mut s, Action::Submit);
    h.send(&mut s, ScreenMsg::Paste("secret".into()));
    let (reqs, _) = h.act(&mut s, Action::Submit);
    assert!(reqs.is_empty());
    let Mode::Sign { dialog, .. } = &s.mode else {
        unreachable!("the override dialog stays open");
    };
    assert_eq!(dialog.meaning, Meaning::Override);
    assert_eq!(
        dialog.form.field(0).and_then(FormField::error),
        Some(crate::domain::lifecycle::OVERRIDE_REASON_REQUIRED)
    );
    assert_eq!(dialog.form.focus(), 0);
    for c in "BOM approved on paper".chars() {
        h.send(&mut s, ScreenMsg::Char(c));
    }
    h.act(&mut s, Action::Submit);
    let (reqs, _) = h.act(&mut s, Action::Submit);
    assert!(matches!(
        &reqs[0].kind,
        Request::Transition { to: OrderStatus::PartsSent, override_reason: Some(r),
                              password: Some(p), .. }
            if r == "BOM approved on paper" && p == "secret"
    ));
}

#[test]
fn a_conflict_shows_the_message_and_reloads() {
    let mut h = Harness::new(Role::ProcurementSpecialist);
    let mut s = offering_move(&mut h, OrderStatus::OrderCreated, OrderStatus::PartsSent);
    h.act(&mut s, Action::MoveStatus);
    let (reqs, _) = h.act(&mut s, Action::Yes);
    let msg = "Build 24-0117 is now PARTS_SENT (changed by Priya Natarajan at 09:12); \
               your change was not saved";
    let (reload, _) = h.reply(&mut s, &reqs[0], Err(ServiceError::Conflict(msg.into())));
    assert_eq!(s.notice(), Some(msg));
    assert!(matches!(s.mode, Mode::Browse));
    assert!(matches!(
        reload.first().map(|r| &r.kind),
        Some(Request::OrderDetail { .. })
    ));
}

#[test]
fn assign_asks_for_the_role_that_fits_the_status() {
    let mut h = Harness::new(Role::ProductionCoordinator);
    let mut d = detail(OrderStatus::ReadyForFinalQc, vec![OrderAction::Assign]);
    d.assignee = Some((Uuid::from_u128(4), "Quentin Okafor".into()));
    let (mut s, open) = h.open(|ctx| OrderDetailScreen::open(d.id, ctx));
    assert!(!s.accepts_keys(), "no keys before the build");
    h.reply(&mut s, &open[0], Ok(Reply::Order(Box::new(d.clone()))));
    assert!(s.accepts_keys());
    let (reqs, _) = h.act(&mut s, Action::AssignBuild);
    assert!(matches!(
        &reqs[0].kind,
        Request::UsersWithRole {
            role: Role::QcPerson,
            ..
        }
    ));
    // The picker takes no keys until its users are in (the shell drops them, docs/architecture.md
    // §3.2), so an Enter typed ahead cannot assign the wrong person.
    assert!(!s.accepts_keys());
    let qc = |n: u128, name: &str| UserSummary {
        id: Uuid::from_u128(n),
        username: name.to_lowercase(),
        full_name: name.into(),
        initials: "QC".into(),
        role: Role::QcPerson,
        is_active: true,
        last_login_at: None,
        must_change_password: false,
        has_badge: false,
    };
    h.reply(
        &mut s,
        &reqs[0],
        Ok(Reply::Users(vec![
            qc(4, "Quentin Okafor"),
            qc(9, "Nina Park"),
        ])),
    );
    assert!(s.accepts_keys());
    // The current assignee is preselected; the entry after the users unassigns.
    h.act(&mut s, Action::Down);
    h.act(&mut s, Action::Down);
    let (reqs, _) = h.act(&mut s, Action::AssignBuild);
    assert!(matches!(
        &reqs[0].kind,
        Request::Assign {
            expected: OrderStatus::ReadyForFinalQc,
            assignee: None,
            ..
        }
    ));
    assert_eq!(assignee_role(OrderStatus::ReadyForShip), None);
    assert_eq!(
        assignee_role(OrderStatus::PartsSent),
        Some(Role::ProcurementSpecialist)
    );
}

#[test]
fn edit_and_back_navigate() {
    let mut h = Harness::new(Role::ProductionCoordinator);
    let mut s = loaded(
        &mut h,
        detail(
            OrderStatus::OrderCreated,
            vec![OrderAction::EditConfiguration],
        ),
    );
    let (_, effects) = h.act(&mut s, Action::EditBuild);
    assert_eq!(
        effects,
        vec![Effect::Navigate(ScreenId::EditBuild(Uuid::from_u128(7)))]
    );
    let (_, effects) = h.act(&mut s, Action::Back);
    assert_eq!(effects, vec![Effect::Back(ScreenId::OrderQueue)]);
    let (_, effects) = h.act(&mut s, Action::ViewBom);
    assert_eq!(
        effects,
        vec![Effect::Navigate(ScreenId::BomViewer(Uuid::from_u128(7)))]
    );
}

#[test]
fn wrap_keeps_words_and_splits_long_ones() {
    assert_eq!(wrap("a bb ccc", 4), vec!["a bb", "ccc"]);
    assert_eq!(wrap("abcdefgh", 3), vec!["abc", "def", "gh"]);
    assert_eq!(wrap("", 5), vec![""]);
}

#[test]
fn no_write_dialog_opens_until_the_reload_after_a_move_arrives() {
    let mut h = Harness::new(Role::ProcurementSpecialist);
    let d = detail(
        OrderStatus::OrderCreated,
        vec![OrderAction::Move {
            to: OrderStatus::PartsSent,
        }],
    );
    let mut s = loaded(&mut h, d.clone());
    h.act(&mut s, Action::MoveStatus);
    let (reqs, _) = h.act(&mut s, Action::Yes);
    let (reload, _) = h.reply(&mut s, &reqs[0], Ok(Reply::OrderUpdated(row_of(&d))));
    // The detail still holds the old status and its move: the key opens nothing and says why.
    let (reqs, effects) = h.act(&mut s, Action::MoveStatus);
    assert!(reqs.is_empty() && effects.is_empty());
    assert!(matches!(s.mode, Mode::Browse));
    assert_eq!(s.notice(), Some(STILL_LOADING));
    let moved = detail(
        OrderStatus::PartsSent,
        vec![OrderAction::Move {
            to: OrderStatus::ReadyForPreQc,
        }],
    );
    h.reply(&mut s, &reload[0], Ok(Reply::Order(Box::new(moved))));
    assert_eq!(s.notice(), None);
    h.act(&mut s, Action::MoveStatus);
    assert!(matches!(
        &s.mode,
        Mode::ConfirmMove { targets, .. } if targets == &[OrderStatus::ReadyForPreQc]
    ));
}

#[test]
fn every_action_the_detail_answers_is_in_its_help() {
    use crate::screens::testkit::assert_answers_only_its_help;
    let mut draft = detail(
        OrderStatus::OrderCreated,
        vec![
            OrderAction::Move {
                to: OrderStatus::PartsSent,
            },
            OrderAction::ApproveBom,
            OrderAction::RegenerateBom,
        ],
    );
    if let Some(b) = draft.bom.as_mut() {
        b.status = "DRAFT".into();
    }
    let cases = [
        (
            Role::ProductionCoordinator,
            detail(
                OrderStatus::OrderCreated,
                vec![
                    OrderAction::Assign,
                    OrderAction::EditConfiguration,
                    OrderAction::RegenerateBom,
                ],
            ),
        ),
        (Role::ProcurementSpecialist, draft),
        (
            Role::QcPerson,
            detail(OrderStatus::ReadyForPreQc, Vec::new()),
        ),
        (
            Role::Assembler,
            detail(OrderStatus::ReadyForProduction, Vec::new()),
        ),
        (
            Role::Admin,
            detail(
                OrderStatus::PartsSent,
                vec![
                    OrderAction::Override {
                        to: OrderStatus::ReadyForPreQc,
                    },
                    OrderAction::Assign,
                ],
            ),
        ),
        (
            Role::ProductionCoordinator,
            detail(
                OrderStatus::ReadyForShip,
                vec![OrderAction::Move {
                    to: OrderStatus::Shipped,
                }],
            ),
        ),
    ];
    for (role, d) in cases {
        assert_answers_only_its_help(role, |h| loaded(h, d.clone()));
    }
}

#[test]
fn the_actions_line_lists_the_live_keys_and_a_known_refusal() {
    let mut h = Harness::new(Role::QcPerson);
    let s = loaded(&mut h, detail(OrderStatus::ReadyForPreQc, Vec::new()));
    let text: String = s
        .action_lines(78, &crate::theme::Theme::ansi())
        .iter()
        .flat_map(|l| l.spans.iter().map(|sp| sp.content.to_string()))
        .collect();
    // The inspector's keys: the checklist and a nonconformance, then the records; h is among them.
    for part in [
        "c QC checklist",
        "N Raise nonconformance",
        "h QC history",
        "v View BOM",
    ] {
        assert!(text.contains(part), "{part} missing from {text}");
    }
    assert!(!text.contains("no changes for you"), "{text}");

    let mut h = Harness::new(Role::ProcurementSpecialist);
    let mut d = detail(
        OrderStatus::OrderCreated,
        vec![OrderAction::Move {
            to: OrderStatus::PartsSent,
        }],
    );
    if let Some(b) = d.bom.as_mut() {
        b.status = "DRAFT".into();
    }
    let mut s = loaded(&mut h, d);
    let (reqs, _) = h.act(&mut s, Action::MoveStatus);
    assert!(reqs.is_empty());
    assert!(matches!(s.mode, Mode::Browse), "no dialog opens");
    assert_eq!(
        s.notice(),
        Some("Approve the current BOM (version 1) first")
    );
}
