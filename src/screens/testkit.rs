//! What the screens' unit tests share: a signed-in session for a role, a [`Harness`] that drives a
//! screen's `update` (keys, replies) and collects the requests and effects it issues, and fixtures.
//!
//! ```ignore
//! let mut h = Harness::new(Role::Assembler);
//! let (mut s, reqs) = h.open(|ctx| OrderQueueScreen::open(ctx));
//! let (reqs, effects) = h.act(&mut s, Action::Down);
//! h.reply(&mut s, &reqs[0], Ok(Reply::Done));
//! ```

use crate::domain::Role;
use crate::domain::session::Session;
use crate::domain::user::UserSummary;
use crate::error::Result;
use crate::keymap::{Action, KeyContext, Keymap};
use crate::msg::{Command, Reply, ServiceReply, ServiceRequest};
use crate::screens::{Ctx, Effect, IdGen, Screen, ScreenMsg};
use chrono::NaiveDateTime;
use uuid::Uuid;

/// A session of user "u" (U Ser) with `role`, token "t".
pub(crate) fn session(role: Role) -> Session {
    Session {
        token: "t".into(),
        user: UserSummary {
            id: Uuid::nil(),
            username: "u".into(),
            full_name: "U Ser".into(),
            initials: "US".into(),
            role,
            is_active: true,
            last_login_at: None,
            must_change_password: false,
            has_badge: false,
        },
        expires_at: NaiveDateTime::default(),
    }
}

/// The database requests in a command, in order.
pub(crate) fn requests(cmd: Command) -> Vec<ServiceRequest> {
    match cmd {
        Command::Db(r) => vec![r],
        Command::Batch(cs) => cs.into_iter().flat_map(requests).collect(),
        Command::None | Command::Quit => Vec::new(),
    }
}

/// What one step issued: the database requests and the effects for the shell.
pub(crate) type Issued = (Vec<ServiceRequest>, Vec<Effect>);

/// The shell's side of a screen under test: request ids, the default keymap and the session.
pub(crate) struct Harness {
    pub ids: IdGen,
    pub km: Keymap,
    pub session: Session,
}

impl Harness {
    pub fn new(role: Role) -> Harness {
        Harness {
            ids: IdGen::default(),
            km: Keymap::default(),
            session: session(role),
        }
    }

    /// Runs `f` with a fresh context and collects what it issued.
    pub fn run(&mut self, f: impl FnOnce(&mut Ctx) -> Command) -> Issued {
        let mut ctx = Ctx::new(&mut self.ids, Some(&self.session), &self.km);
        let cmd = f(&mut ctx);
        (requests(cmd), ctx.into_effects())
    }

    /// Opens a screen (`|ctx| XScreen::open(.., ctx)`); returns it with the requests it sent.
    pub fn open<S>(
        &mut self,
        f: impl FnOnce(&mut Ctx) -> (S, Command),
    ) -> (S, Vec<ServiceRequest>) {
        let mut ctx = Ctx::new(&mut self.ids, Some(&self.session), &self.km);
        let (s, cmd) = f(&mut ctx);
        (s, requests(cmd))
    }

    /// Sends `msg` to the screen.
    pub fn send<S: Screen>(&mut self, s: &mut S, msg: ScreenMsg) -> Issued {
        self.run(|ctx| s.update(msg, ctx))
    }

    /// Presses the key bound to `action`.
    pub fn act<S: Screen>(&mut self, s: &mut S, action: Action) -> Issued {
        self.send(s, ScreenMsg::Action(action))
    }

    /// Answers `req` with `result`.
    pub fn reply<S: Screen>(
        &mut self,
        s: &mut S,
        req: &ServiceRequest,
        result: Result<Reply>,
    ) -> Issued {
        self.send(s, ScreenMsg::Db(ServiceReply { id: req.id, result }))
    }
}

/// One truth about keys (docs/architecture.md §3.1): every action the screen `make` builds answers is
/// in the help of its live key stack (with the shell's `Session` and `Global`). Each action outside
/// that help is sent to a fresh screen, which must issue nothing and keep its key contexts.
pub(crate) fn assert_answers_only_its_help<S: Screen>(
    role: Role,
    make: impl Fn(&mut Harness) -> S,
) {
    let mut h = Harness::new(role);
    let s = make(&mut h);
    let mut stack = s.key_contexts();
    stack.extend([KeyContext::Session, KeyContext::Global]);
    let helped: Vec<Action> =
        h.km.help(&stack)
            .into_iter()
            .flat_map(|(_, lines)| lines.into_iter().map(|l| l.action))
            .collect();
    for &action in Action::ALL {
        if helped.contains(&action) {
            continue;
        }
        let mut h = Harness::new(role);
        let mut s = make(&mut h);
        let before = s.key_contexts();
        let (reqs, effects) = h.act(&mut s, action);
        assert!(
            reqs.is_empty() && effects.is_empty() && s.key_contexts() == before,
            "{action:?} is answered as {role:?} but is not in the help of {before:?}: {reqs:?} {effects:?}"
        );
    }
}

/// Another station's commit, made by Luis Ortega at station ASM-2: one record of `entity` with id
/// `id` changed, belonging to `reference` (its build; for a notification, its recipient).
pub(crate) fn live_change(
    entity: crate::domain::live::Entity,
    id: Uuid,
    reference: Option<Uuid>,
) -> crate::domain::live::LiveEvent {
    crate::domain::live::LiveEvent {
        station: Some("station:ASM-2".into()),
        actor_name: Some("Luis Ortega".into()),
        changes: vec![crate::domain::live::Change {
            entity,
            id: Some(id),
            op: crate::domain::live::Op::Update,
            reference,
        }],
        ..Default::default()
    }
}

/// The toasts' texts among `effects`.
pub(crate) fn toasts(effects: &[Effect]) -> Vec<String> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Toast(t) => Some(t.text.clone()),
            _ => None,
        })
        .collect()
}

/// Service order `n` (id `Uuid::from_u128(n)`) with `status`, one line of two units.
pub(crate) fn service_order(
    n: u128,
    status: crate::domain::service_order::ServiceOrderStatus,
) -> crate::domain::service_order::ServiceOrderSummary {
    let id = Uuid::from_u128(n);
    crate::domain::service_order::ServiceOrderSummary {
        id,
        number: crate::domain::service_order::number(id),
        status,
        requested_by: "Dana Service".into(),
        requested_at: None,
        processed_by: None,
        processed_at: None,
        lines: 1,
        total_quantity: 2,
    }
}
