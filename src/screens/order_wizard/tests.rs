//! The wizard's update, driven with actions and fake replies.
#![allow(clippy::panic)]

use super::state::build::BasinDraft;
use super::state::{BasinSize, FaucetDraft, HeaderDraft};
use super::*;
use crate::domain::bom::PreviewLine;
use crate::domain::order::{
    BasinType, BuildConfig, CreatedOrder, DocumentLanguage, FaucetType, FeetType, LegsType,
    NumberCheck, OrderHeader, OrderRow, WizardContext,
};
use crate::domain::order::{NewOrder, OrderStatus};
use crate::domain::order_rules as rules;
use crate::domain::order_view::OrderDetail;
use crate::domain::session::Session;
use crate::error::{Result, ServiceError};
use crate::keymap::Action;
use crate::msg::ServiceRequest;
use crate::msg::{Reply, ServiceReply};
use crate::screens::ScreenMsg;
use crate::screens::testkit::{self, Harness};
use crate::screens::{Effect, ScreenId};
use crossterm::event::KeyEvent;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 3, 14).unwrap_or_default()
}

/// A session of the coordinator Carla Mendes.
fn session(role: Role) -> Session {
    let mut s = testkit::session(role);
    s.token = "tok".into();
    s.user.username = "coordinator".into();
    s.user.full_name = "Carla Mendes".into();
    s.user.initials = "CM".into();
    s
}

struct T {
    kit: Harness,
    w: OrderWizardScreen,
    sent: Vec<ServiceRequest>,
    effects: Vec<Effect>,
}

impl T {
    fn open(role: Role) -> T {
        let mut kit = Harness::new(role);
        kit.session = session(role);
        let mut opened = None;
        let (sent, effects) = kit.run(|ctx| {
            let (w, cmd) = OrderWizardScreen::open(ctx);
            opened = Some(w);
            cmd
        });
        let w = opened.expect("the wizard opens");
        T {
            kit,
            w,
            sent,
            effects,
        }
    }

    /// Opened, with the context answered (no draft).
    fn ready() -> T {
        let mut t = T::open(Role::ProductionCoordinator);
        t.context(None);
        t
    }

    fn send(&mut self, msg: ScreenMsg) {
        let (sent, effects) = self.kit.send(&mut self.w, msg);
        self.effects.extend(effects);
        self.sent.extend(sent);
    }

    fn act(&mut self, a: Action) {
        self.send(ScreenMsg::Action(a));
    }

    fn type_in(&mut self, fid: Fid, text: &str) {
        self.w.set_focus(Some(fid));
        self.send(ScreenMsg::Action(Action::ClearField));
        for c in text.chars() {
            self.send(ScreenMsg::Char(c));
        }
    }

    fn take(&mut self, pred: impl Fn(&Request) -> bool) -> Option<ServiceRequest> {
        let i = self.sent.iter().position(|r| pred(&r.kind))?;
        Some(self.sent.remove(i))
    }

    fn answer(&mut self, pred: impl Fn(&Request) -> bool, result: Result<Reply>) {
        let Some(req) = self.take(pred) else {
            panic!("no matching request in {:?}", self.sent);
        };
        self.send(ScreenMsg::Db(ServiceReply { id: req.id, result }));
    }

    /// Drops the draft saves sent so far and answers both builds' BOM previews.
    fn previews_ready(&mut self) {
        self.sent
            .retain(|r| !matches!(r.kind, Request::SaveDraft { .. }));
        for _ in 0..2 {
            self.answer(
                |r| matches!(r, Request::PreviewBom { .. }),
                Ok(Reply::BomPreview(preview())),
            );
        }
    }

    fn context(&mut self, draft: Option<serde_json::Value>) {
        self.answer(
            |r| matches!(r, Request::WizardContext { .. }),
            Ok(Reply::WizardContext(WizardContext {
                today: today(),
                accessories: vec![
                    AccessoryItem {
                        id: "T-OA-BINRAIL-24-KIT".into(),
                        name: "BIN RAIL, 24\" KIT".into(),
                        subcategory: "720.702".into(),
                    },
                    AccessoryItem {
                        id: "T-OA-MNT-ARM".into(),
                        name: "MONITOR ARM".into(),
                        subcategory: "720.705".into(),
                    },
                ],
                draft,
            })),
        );
    }

    fn error(&self, fid: Fid) -> Option<String> {
        self.w.visible_errors().get(&fid).cloned()
    }

    fn navigated(&self) -> Option<ScreenId> {
        self.effects.iter().rev().find_map(|e| match e {
            Effect::Navigate(id) => Some(*id),
            _ => None,
        })
    }

    fn toast(&self) -> Option<String> {
        self.effects.iter().rev().find_map(|e| match e {
            Effect::Toast(t) => Some(t.text.clone()),
            _ => None,
        })
    }
}

fn complete_build(number: &str) -> BuildDraft {
    BuildDraft {
        number: number.into(),
        model: Some("T2-B2".into()),
        width: "30".into(),
        length: "60".into(),
        legs_type: Some(LegsType::HeightAdjustable),
        legs_model: Some("DL27".into()),
        feet: Some(FeetType::LockLevelingCasters),
        basins: vec![
            BasinDraft {
                basin_type: Some(BasinType::ESink),
                size: Some(BasinSize::Standard(1)),
                p_trap: true,
                ..BasinDraft::default()
            },
            BasinDraft {
                basin_type: Some(BasinType::EDrain),
                size: Some(BasinSize::Standard(1)),
                ..BasinDraft::default()
            },
        ],
        faucets: vec![FaucetDraft {
            faucet_type: Some(FaucetType::WristBladeSwingSpout),
            ..FaucetDraft::default()
        }],
        ..BuildDraft::default()
    }
}

fn filled(step: Step) -> WizardState {
    WizardState {
        step,
        header: HeaderDraft {
            po_number: " PO-4500123 ".into(),
            customer_name: "St. Mary's Hospital".into(),
            project_name: String::new(),
            sales_person: "Dana Reyes".into(),
            want_date: "2025-04-30".into(),
            language: DocumentLanguage::Fr,
            notes: "Deliver to dock 2".into(),
        },
        count: "2".into(),
        builds: vec![complete_build("B-1001"), complete_build("B-1002")],
        ..WizardState::default()
    }
}

#[test]
fn other_roles_cannot_create_orders() {
    let t = T::open(Role::Assembler);
    assert_eq!(
        t.w.phase,
        Phase::Blocked("Your role (ASSEMBLER) cannot create orders".into())
    );
    assert!(t.sent.is_empty());
    assert_eq!(t.w.key_contexts(), vec![KeyContext::WizardClosed]);
}

#[test]
fn next_is_refused_with_the_errors_shown() {
    let mut t = T::ready();
    assert_eq!(t.error(Fid::PoNumber), None, "nothing shown before leaving");
    t.type_in(Fid::PoNumber, "P");
    t.act(Action::NextField);
    assert_eq!(
        t.error(Fid::PoNumber).as_deref(),
        Some("PO number must be 3 to 50 characters"),
        "shown on leaving the field"
    );
    assert_eq!(t.error(Fid::WantDate), None);
    t.act(Action::NextStep);
    assert_eq!(t.w.step(), Step::Customer);
    assert!(t.sent.is_empty(), "no request while the step has errors");
    assert_eq!(
        t.error(Fid::WantDate).as_deref(),
        Some("Want date is required")
    );
    assert_eq!(
        t.error(Fid::Customer).as_deref(),
        Some("Customer name is required")
    );
    assert_eq!(t.w.focus, Some(Fid::PoNumber), "focus on the first error");
    t.type_in(Fid::WantDate, "2025-03-14");
    assert_eq!(
        t.error(Fid::WantDate).as_deref(),
        Some("Want date must be after today (2025-03-14)")
    );
}

#[test]
fn step_one_checks_the_po_number_with_the_server() {
    let mut t = T::ready();
    t.type_in(Fid::PoNumber, "PO-4500123");
    t.type_in(Fid::Customer, "St. Mary's Hospital");
    t.type_in(Fid::SalesPerson, "Dana Reyes");
    t.type_in(Fid::WantDate, "2025-04-30");
    t.act(Action::NextStep);
    let check = t.take(|r| matches!(r, Request::CheckNumbers { .. }));
    let Some(ServiceRequest {
        id,
        kind:
            Request::CheckNumbers {
                po_number,
                build_numbers,
                ..
            },
    }) = check
    else {
        panic!("Next sends CheckNumbers");
    };
    assert_eq!((po_number.as_str(), build_numbers.len()), ("PO-4500123", 0));
    t.send(ScreenMsg::Db(ServiceReply {
        id,
        result: Ok(Reply::NumbersChecked(NumberCheck {
            po_taken: Some("po-4500123".into()),
            builds_taken: Vec::new(),
        })),
    }));
    assert_eq!(t.w.step(), Step::Customer);
    assert_eq!(
        t.error(Fid::PoNumber).as_deref(),
        Some("PO number PO-4500123 already exists")
    );
    t.type_in(Fid::PoNumber, "PO-4500124");
    assert_eq!(
        t.error(Fid::PoNumber),
        None,
        "editing clears the server's error"
    );
    t.act(Action::NextStep);
    t.answer(
        |r| matches!(r, Request::CheckNumbers { .. }),
        Ok(Reply::NumbersChecked(NumberCheck::default())),
    );
    assert_eq!(t.w.step(), Step::Builds);
    assert!(
        t.take(|r| matches!(r, Request::SaveDraft { .. })).is_some(),
        "leaving a step saves the draft"
    );
}

#[test]
fn build_numbers_are_checked_before_step_three() {
    let mut t = T::ready();
    t.w.state = filled(Step::Builds);
    t.w.state.builds[1].number = "b-1001".into();
    t.act(Action::NextStep);
    assert_eq!(
        t.error(Fid::BuildNumber(1)).as_deref(),
        Some("Build number b-1001 is entered more than once")
    );
    t.type_in(Fid::BuildNumber(1), "B-1002");
    t.act(Action::NextStep);
    let Some(ServiceRequest {
        kind: Request::CheckNumbers { build_numbers, .. },
        ..
    }) = t.sent.last().cloned()
    else {
        panic!("CheckNumbers expected");
    };
    assert_eq!(build_numbers, vec!["B-1001", "B-1002"]);
    t.answer(
        |r| matches!(r, Request::CheckNumbers { .. }),
        Ok(Reply::NumbersChecked(NumberCheck {
            po_taken: None,
            builds_taken: vec![("B-1002".into(), "PO-77".into())],
        })),
    );
    assert_eq!(t.w.step(), Step::Builds);
    assert_eq!(
        t.error(Fid::BuildNumber(1)).as_deref(),
        Some("Build number B-1002 already exists (PO PO-77)")
    );
}

#[test]
fn lowering_the_count_asks_before_removing_builds() {
    let mut t = T::ready();
    t.w.state.step = Step::Builds;
    t.type_in(Fid::Count, "3");
    t.act(Action::NextField);
    assert_eq!(t.w.state.builds.len(), 3);
    t.type_in(Fid::BuildNumber(2), "B-3");
    t.type_in(Fid::Count, "1");
    t.act(Action::PrevField);
    assert_eq!(t.w.modal, Modal::Ask(Ask::RemoveBuilds { keep: 1 }));
    t.act(Action::No);
    assert_eq!((t.w.state.builds.len(), t.w.state.count.as_str()), (3, "3"));
    t.type_in(Fid::Count, "1");
    t.act(Action::NextField);
    t.act(Action::Yes);
    assert_eq!(t.w.state.builds.len(), 1);
    // Empty builds go without a question.
    t.type_in(Fid::Count, "4");
    t.act(Action::NextField);
    t.type_in(Fid::Count, "2");
    t.act(Action::NextField);
    assert_eq!(
        (t.w.modal.clone(), t.w.state.builds.len()),
        (Modal::None, 2)
    );
}

fn at_config() -> T {
    let mut t = T::ready();
    t.w.state = filled(Step::Configuration);
    t.w.state.builds[0] = BuildDraft {
        number: "B-1001".into(),
        ..BuildDraft::default()
    };
    t.w.reset_view();
    t
}

#[test]
fn the_model_sets_the_basins() {
    let mut t = at_config();
    assert_eq!(t.w.focus, Some(Fid::Model));
    t.act(Action::NextChoice);
    assert_eq!(t.w.state.builds[0].model.as_deref(), Some("T2-B1"));
    assert_eq!(t.w.state.builds[0].basins.len(), 1);
    t.act(Action::NextChoice);
    t.act(Action::NextChoice);
    assert_eq!(t.w.state.builds[0].basins.len(), 3);
    assert!(t.w.fields().contains(&Fid::BasinType(2)));
    // A configured basin is removed only after the question.
    t.w.state.builds[0].basins[2].p_trap = true;
    t.act(Action::NextChoice);
    assert!(matches!(t.w.modal, Modal::Ask(Ask::RemoveBasins { .. })));
    t.act(Action::No);
    assert_eq!(t.w.state.builds[0].basins.len(), 3);
    t.act(Action::NextChoice);
    t.act(Action::Yes);
    assert_eq!(t.w.state.builds[0].model.as_deref(), Some("T2-B1"));
    assert_eq!(t.w.state.builds[0].basins.len(), 1);
}

#[test]
fn di_basins_prefill_the_gooseneck() {
    let mut t = at_config();
    t.w.state.builds[0].set_model("T2-B2");
    t.w.set_focus(Some(Fid::BasinType(0)));
    t.act(Action::NextChoice);
    t.act(Action::NextChoice);
    assert_eq!(
        t.w.state.builds[0].basins[0].basin_type,
        Some(BasinType::ESinkDi)
    );
    let goose = |t: &T| {
        t.w.state.builds[0]
            .faucets
            .iter()
            .filter(|f| f.faucet_type == Some(FaucetType::GooseneckTreatedWater))
            .map(|f| f.quantity.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(goose(&t), vec!["1"]);
    t.w.set_focus(Some(Fid::BasinType(1)));
    t.act(Action::NextChoice);
    t.act(Action::NextChoice);
    assert_eq!(goose(&t), vec!["2"]);
    // The row stays editable and deletable.
    t.type_in(Fid::FaucetQty(0), "1");
    assert_eq!(goose(&t), vec!["1"]);
    t.act(Action::RemoveRow);
    assert!(goose(&t).is_empty());
}

#[test]
fn faucet_limit_blocks_next() {
    let mut t = T::ready();
    t.w.state = filled(Step::Configuration);
    t.w.reset_view();
    t.w.set_focus(Some(Fid::AddFaucet));
    t.act(Action::Accept);
    assert_eq!(t.w.focus, Some(Fid::FaucetType(1)));
    t.act(Action::NextChoice);
    t.w.set_focus(Some(Fid::AddFaucet));
    t.act(Action::Accept);
    t.act(Action::NextChoice);
    t.act(Action::NextField);
    assert_eq!(
        t.error(Fid::Faucets).as_deref(),
        Some("Too many faucets: 3 (at most 2 for 2 basin(s))")
    );
    t.act(Action::NextStep);
    assert_eq!(t.w.step(), Step::Configuration);
    assert_eq!(t.w.focus, Some(Fid::AddFaucet), "focus at the faucets");
    t.act(Action::RemoveRow);
    assert_eq!(t.w.state.builds[0].faucets.len(), 3, "not on a row");
    t.w.set_focus(Some(Fid::FaucetQty(2)));
    t.act(Action::RemoveRow);
    t.act(Action::NextStep);
    assert_eq!(t.w.step(), Step::Accessories);
}

#[test]
fn next_on_step_three_shows_the_first_incomplete_build() {
    let mut t = T::ready();
    t.w.state = filled(Step::Configuration);
    t.w.state.builds[1].legs_type = None;
    t.w.reset_view();
    t.act(Action::NextStep);
    assert_eq!(t.w.selected(), 1);
    assert_eq!(t.w.focus, Some(Fid::LegsType));
    assert_eq!(
        t.error(Fid::LegsType).as_deref(),
        Some("Select a legs type")
    );
}

#[test]
fn copy_configuration_asks_before_replacing() {
    let mut t = at_config();
    t.w.state.selected = 0;
    t.w.state.builds[0].width = "48".into();
    t.w.state.builds[0].accessories = vec![crate::domain::order::AccessoryLine {
        assembly_id: "T-OA-MNT-ARM".into(),
        quantity: 2,
    }];
    t.act(Action::CopyFrom);
    assert_eq!(
        t.w.key_contexts(),
        vec![KeyContext::WizardPicker, KeyContext::List]
    );
    t.act(Action::Choose);
    assert_eq!(t.w.modal, Modal::Ask(Ask::ReplaceConfig { source: 1 }));
    t.act(Action::Yes);
    let b = &t.w.state.builds[0];
    assert_eq!((b.number.as_str(), b.width.as_str()), ("B-1001", "30"));
    assert_eq!(b.accessories.len(), 1, "accessories are not copied");
    assert_eq!(b.basins, t.w.state.builds[1].basins);
}

#[test]
fn accessories_are_chosen_by_typing() {
    let mut t = T::ready();
    t.w.state = filled(Step::Accessories);
    t.w.reset_view();
    for c in "arm".chars() {
        t.send(ScreenMsg::Char(c));
    }
    assert_eq!(t.w.matching().len(), 1);
    t.act(Action::Down);
    assert!(t.w.acc.in_list);
    t.send(ScreenMsg::Char('1'));
    t.send(ScreenMsg::Char('2'));
    assert_eq!(t.w.state.builds[0].accessory_qty("T-OA-MNT-ARM"), 12);
    t.act(Action::Increase);
    assert_eq!(t.w.state.builds[0].accessory_qty("T-OA-MNT-ARM"), 13);
    t.send(ScreenMsg::Char('0'));
    assert!(
        t.w.state.builds[0].accessories.is_empty(),
        "0 removes the row"
    );
    // A letter in the list goes back to the search.
    t.send(ScreenMsg::Char('x'));
    assert!(!t.w.acc.in_list);
    assert_eq!(t.w.acc.search.value(), "armx");
}

fn preview() -> BomPreview {
    BomPreview {
        lines: vec![PreviewLine {
            id: "T2-STD-MANUAL-FR-KIT".into(),
            name: "MANUAL KIT FR".into(),
            quantity: 1,
            kind: "assembly".into(),
        }],
        notes: Vec::new(),
    }
}

fn at_review() -> T {
    let mut t = T::ready();
    t.w.state = filled(Step::Accessories);
    t.w.reset_view();
    t.act(Action::NextStep);
    assert_eq!(t.w.step(), Step::Review);
    t
}

#[test]
fn submit_waits_for_the_previews_and_sends_the_order() {
    let mut t = at_review();
    t.sent
        .retain(|r| !matches!(r.kind, Request::SaveDraft { .. }));
    assert_eq!(t.sent.len(), 2, "one preview per build");
    t.act(Action::Submit);
    assert!(
        t.take(|r| matches!(r, Request::CreateOrder { .. }))
            .is_none()
    );
    t.answer(
        |r| matches!(r, Request::PreviewBom { .. }),
        Ok(Reply::BomPreview(preview())),
    );
    t.answer(
        |r| matches!(r, Request::PreviewBom { .. }),
        Err(ServiceError::Invalid(
            "BOM generation failed for build B-1002: unknown catalog id(s): T2-X".into(),
        )),
    );
    t.act(Action::Submit);
    assert_eq!(
        t.w.status,
        Status::Error("Build B-1002: BOM cannot be generated: unknown catalog id(s): T2-X".into())
    );
    assert!(t.sent.is_empty());
    // Back and forth asks again.
    t.act(Action::PrevStep);
    t.act(Action::NextStep);
    t.previews_ready();
    t.act(Action::Submit);
    let Some(ServiceRequest {
        kind: Request::CreateOrder { order, .. },
        ..
    }) = t.take(|r| matches!(r, Request::CreateOrder { .. }))
    else {
        panic!("Submit sends CreateOrder");
    };
    let expected = NewOrder {
        header: OrderHeader {
            po_number: "PO-4500123".into(),
            customer_name: "St. Mary's Hospital".into(),
            project_name: None,
            sales_person: "Dana Reyes".into(),
            want_date: NaiveDate::from_ymd_opt(2025, 4, 30).unwrap_or_default(),
            order_language: DocumentLanguage::Fr,
            notes: Some("Deliver to dock 2".into()),
        },
        builds: vec![
            complete_build("B-1001").to_config(crate::domain::order::SinkFamily::Mdrd),
            complete_build("B-1002").to_config(crate::domain::order::SinkFamily::Mdrd),
        ],
        attachments: Vec::new(),
    };
    assert_eq!(*order, expected);
    assert!(rules::validate_order(&expected, today()).is_empty());
    assert_eq!(order.builds[0].basins[0].basin_width, 24);
    assert!(order.builds[0].basins[0].has_p_trap_drain);
}

fn submitted() -> (T, RequestId) {
    let mut t = at_review();
    t.previews_ready();
    t.act(Action::Submit);
    let id = t.sent.last().map(|r| r.id).unwrap_or_default();
    (t, id)
}

#[test]
fn a_failed_submit_keeps_every_input() {
    let (mut t, id) = submitted();
    let before = t.w.state.clone();
    t.send(ScreenMsg::Db(ServiceReply {
        id,
        result: Err(ServiceError::Conflict(
            "PO number PO-4500123 already exists".into(),
        )),
    }));
    assert_eq!(t.w.state, before);
    assert_eq!(
        t.w.status,
        Status::Error("PO number PO-4500123 already exists".into())
    );
    assert!(!t.w.step_ok(Step::Customer), "step 1 is marked");
    assert!(t.w.has_unsaved_input());
    assert_eq!(t.navigated(), None);
}

#[test]
fn success_toasts_and_opens_the_first_build() {
    let (mut t, id) = submitted();
    let first = Uuid::from_u128(7);
    t.send(ScreenMsg::Db(ServiceReply {
        id,
        result: Ok(Reply::OrderCreated(CreatedOrder {
            po_number: "PO-4500123".into(),
            builds: vec![
                (first, "B-1001".into()),
                (Uuid::from_u128(8), "B-1002".into()),
            ],
        })),
    }));
    assert_eq!(
        t.toast().as_deref(),
        Some("Created PO PO-4500123 with 2 build(s): B-1001, B-1002")
    );
    assert_eq!(t.navigated(), Some(ScreenId::OrderDetail(first)));
    assert!(!t.w.has_unsaved_input());
}

#[test]
fn a_draft_is_saved_and_resumed() {
    let mut t = T::ready();
    t.w.state = filled(Step::Configuration);
    t.w.reset_view();
    t.act(Action::NextStep);
    let Some(ServiceRequest {
        kind: Request::SaveDraft { draft, .. },
        ..
    }) = t.take(|r| matches!(r, Request::SaveDraft { .. }))
    else {
        panic!("leaving step 3 saves the draft");
    };
    let saved = t.w.state.clone();
    let mut again = T::open(Role::ProductionCoordinator);
    again.context(Some(draft.clone()));
    assert_eq!(again.w.modal, Modal::Resume);
    assert_eq!(again.w.key_contexts(), vec![KeyContext::WizardQuestion]);
    again.act(Action::Yes);
    assert_eq!(again.w.state, saved);
    assert_eq!(again.w.step(), Step::Accessories);

    let mut fresh = T::open(Role::ProductionCoordinator);
    fresh.context(Some(draft));
    fresh.act(Action::No);
    assert!(
        fresh
            .take(|r| matches!(r, Request::DiscardDraft { .. }))
            .is_some()
    );
    assert_eq!(fresh.w.state, WizardState::default());
}

#[test]
fn esc_asks_unless_empty_and_can_keep_a_draft() {
    let mut t = T::ready();
    t.act(Action::Cancel);
    assert_eq!(
        t.navigated(),
        Some(ScreenId::Home),
        "an empty wizard just closes"
    );

    let mut t = T::ready();
    t.type_in(Fid::Customer, "Acme");
    t.act(Action::Cancel);
    assert_eq!(t.w.modal, Modal::Leave);
    t.act(Action::Cancel);
    assert_eq!((t.w.modal.clone(), t.navigated()), (Modal::None, None));
    t.act(Action::Cancel);
    t.act(Action::No);
    assert!(t.take(|r| matches!(r, Request::SaveDraft { .. })).is_some());
    assert_eq!(t.navigated(), Some(ScreenId::Home));

    let mut t = T::ready();
    t.type_in(Fid::Customer, "Acme");
    t.act(Action::Cancel);
    t.act(Action::Yes);
    assert!(
        t.take(|r| matches!(r, Request::DiscardDraft { .. }))
            .is_some()
    );
}

fn detail(status: OrderStatus) -> OrderDetail {
    let build: BuildConfig =
        complete_build("B-1001").to_config(crate::domain::order::SinkFamily::Mdrd);
    OrderDetail {
        id: Uuid::from_u128(5),
        header: filled(Step::Customer)
            .header
            .to_header(today())
            .unwrap_or_else(|| panic!("valid header")),
        build,
        status,
        assignee: None,
        bom: None,
        floor: None,
        history: Vec::new(),
        nonconformances: Vec::new(),
        actions: Vec::new(),
        created_at: chrono::NaiveDateTime::default(),
        updated_at: chrono::NaiveDateTime::default(),
        documents: Default::default(),
        hold: None,
        hold_minutes: 0,
    }
}

fn edit(status: OrderStatus) -> T {
    let mut kit = Harness::new(Role::ProductionCoordinator);
    kit.session = session(Role::ProductionCoordinator);
    let (w, sent) = kit.open(|ctx| OrderWizardScreen::edit(Uuid::from_u128(5), ctx));
    let mut t = T {
        kit,
        w,
        sent,
        effects: Vec::new(),
    };
    t.context(None);
    t.answer(
        |r| matches!(r, Request::OrderDetail { .. }),
        Ok(Reply::Order(Box::new(detail(status)))),
    );
    t
}

#[test]
fn edit_is_refused_once_the_build_moved_on() {
    let t = edit(OrderStatus::PartsSent);
    assert_eq!(
        t.w.phase,
        Phase::Blocked(
            "Build B-1001 is now PARTS_SENT; its configuration can no longer be changed".into()
        )
    );
}

#[test]
fn edit_saves_with_update_build() {
    let mut t = edit(OrderStatus::OrderCreated);
    assert_eq!(t.w.step(), Step::Configuration);
    assert!(!t.w.has_unsaved_input());
    t.type_in(Fid::Length, "72");
    assert!(t.w.has_unsaved_input());
    t.act(Action::Save);
    let Some(ServiceRequest {
        id,
        kind: Request::UpdateBuild {
            order_id, build, ..
        },
    }) = t.take(|r| matches!(r, Request::UpdateBuild { .. }))
    else {
        panic!("Save sends UpdateBuild");
    };
    assert_eq!((order_id, build.sink_length), (Uuid::from_u128(5), 72));
    t.send(ScreenMsg::Db(ServiceReply {
        id,
        result: Err(ServiceError::Conflict(
            "Build B-1001 is now PARTS_SENT; its configuration can no longer be changed".into(),
        )),
    }));
    assert_eq!(
        t.w.status,
        Status::Error(
            "Build B-1001 is now PARTS_SENT; its configuration can no longer be changed".into()
        )
    );
    t.act(Action::Save);
    t.answer(
        |r| matches!(r, Request::UpdateBuild { .. }),
        Ok(Reply::OrderUpdated(OrderRow {
            id: Uuid::from_u128(5),
            po_number: "PO-4500123".into(),
            build_number: "B-1001".into(),
            customer_name: String::new(),
            sink_model: "T2-B2".into(),
            status: OrderStatus::OrderCreated,
            want_date: today(),
            assignee: None,
            days_left: 0,
            open_comments: 0,
            hold: None,
        })),
    );
    assert_eq!(
        t.navigated(),
        Some(ScreenId::OrderDetail(Uuid::from_u128(5)))
    );
}

/// Every key the wizard's stacks show does what it says (the keymap test, on the wizard's stacks).
#[test]
fn every_shown_key_works_in_the_wizard() {
    let mut t = T::ready();
    let mut stacks = vec![t.w.key_contexts()];
    t.w.state = filled(Step::Configuration);
    t.w.reset_view();
    stacks.push(t.w.key_contexts());
    t.w.set_focus(Some(Fid::Width));
    stacks.push(t.w.key_contexts());
    t.w.set_focus(Some(Fid::AddFaucet));
    stacks.push(t.w.key_contexts());
    t.act(Action::NextStep);
    stacks.push(t.w.key_contexts());
    t.act(Action::Down);
    stacks.push(t.w.key_contexts());
    t.act(Action::NextStep);
    stacks.push(t.w.key_contexts());
    t.act(Action::Cancel);
    stacks.push(t.w.key_contexts());
    stacks.push(edit(OrderStatus::OrderCreated).w.key_contexts());
    for mut stack in stacks {
        if stack.first() != Some(&KeyContext::Confirm) {
            stack.extend([KeyContext::Session, KeyContext::Global]);
        }
        for (chord, action) in t.kit.km.bindings_for(&stack) {
            let ev = KeyEvent::new(chord.code, chord.mods);
            assert_eq!(
                t.kit.km.resolve(&stack, ev),
                Some(action),
                "{chord} under {stack:?}"
            );
        }
        let all: HashSet<_> = t.kit.km.all().iter().map(|b| b.chord).collect();
        let live: HashSet<_> = t.kit.km.bindings_for(&stack).into_iter().collect();
        for chord in all {
            let ev = KeyEvent::new(chord.code, chord.mods);
            if let Some(action) = t.kit.km.resolve(&stack, ev) {
                assert!(
                    live.contains(&(chord, action)),
                    "{chord} hidden under {stack:?}"
                );
            }
        }
    }
}

/// Step 3 of a configured two-basin build with one faucet.
fn at_configured() -> T {
    let mut t = T::ready();
    t.w.state = filled(Step::Configuration);
    t.w.reset_view();
    t
}

#[test]
fn tab_passes_add_faucet_once_and_leaves_the_rows_for_the_sprayers() {
    let mut t = at_configured();
    t.w.set_focus(Some(Fid::BasinLight(1)));
    t.act(Action::NextField);
    assert_eq!(t.w.focus, Some(Fid::AddFaucet), "the button heads its rows");
    t.act(Action::NextField);
    assert_eq!(t.w.focus, Some(Fid::FaucetType(0)));
    t.w.set_focus(Some(Fid::FaucetPlacement(0)));
    t.act(Action::NextField);
    assert_eq!(
        t.w.focus,
        Some(Fid::AddSprayer),
        "last faucet row: on to sprayers"
    );
    // A faucet added: Tab goes through its row and on, never back to the button.
    t.w.set_focus(Some(Fid::AddFaucet));
    t.act(Action::Accept);
    assert_eq!(t.w.focus, Some(Fid::FaucetType(1)));
    for _ in 0..3 {
        t.act(Action::NextField);
        assert_ne!(t.w.focus, Some(Fid::AddFaucet));
    }
    assert_eq!(t.w.focus, Some(Fid::AddSprayer));
    // Sprayers alike; after the last sprayer row Tab wraps to the top.
    t.act(Action::Accept);
    assert_eq!(t.w.focus, Some(Fid::SprayerType(0)));
    t.act(Action::NextField);
    t.act(Action::NextField);
    t.act(Action::NextField);
    assert_eq!(t.w.focus, Some(Fid::Model));
    t.act(Action::PrevField);
    assert_eq!(t.w.focus, Some(Fid::SprayerLocation(0)));
}

#[test]
fn ctrl_arrows_jump_by_section() {
    let mut t = at_configured();
    let km = crate::keymap::Keymap::default();
    let ctrl = |code| KeyEvent::new(code, crossterm::event::KeyModifiers::CONTROL);
    let stack = t.w.key_contexts();
    assert_eq!(
        km.resolve(&stack, ctrl(crossterm::event::KeyCode::Down)),
        Some(Action::NextSection)
    );
    assert_eq!(
        km.resolve(&stack, ctrl(crossterm::event::KeyCode::Up)),
        Some(Action::PrevSection)
    );
    t.w.set_focus(Some(Fid::Width));
    let mut seen = Vec::new();
    for _ in 0..6 {
        t.act(Action::NextSection);
        seen.push(t.w.focus);
    }
    assert_eq!(
        seen,
        [
            Fid::Pegboard,
            Fid::BasinType(0),
            Fid::BasinType(1),
            Fid::AddFaucet,
            Fid::AddSprayer,
            Fid::AddSprayer,
        ]
        .map(Some),
        "the last section stays"
    );
    // Up: first to the start of the section, then to the previous one.
    t.w.set_focus(Some(Fid::FaucetPlacement(0)));
    t.act(Action::PrevSection);
    assert_eq!(t.w.focus, Some(Fid::AddFaucet));
    t.act(Action::PrevSection);
    assert_eq!(t.w.focus, Some(Fid::BasinType(1)));
    t.w.set_focus(Some(Fid::Feet));
    t.act(Action::PrevSection);
    t.act(Action::PrevSection);
    assert_eq!(t.w.focus, Some(Fid::Model), "the first section stays");
}

#[test]
fn the_focused_section_is_known_by_its_heading() {
    let mut t = at_configured();
    let items = t.w.items();
    let heading = |t: &T| {
        t.w.focused_heading(&items)
            .and_then(|k| match items.get(k) {
                Some(form::Item::Heading(h)) => Some(h.clone()),
                _ => None,
            })
    };
    assert_eq!(heading(&t).as_deref(), Some("Sink"));
    t.w.set_focus(Some(Fid::FaucetQty(0)));
    assert_eq!(heading(&t).as_deref(), Some("Faucets"));
    t.w.set_focus(Some(Fid::BasinLight(1)));
    assert_eq!(heading(&t).as_deref(), Some("Basin 2"));
}
