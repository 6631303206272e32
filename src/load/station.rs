//! One simulated station: its session, its own builds, and the floor mix through `service::dispatch`
//! with the `Request`s the screens send (docs/performance.md §6.3).

use super::report::{Kind, Log};
use crate::domain::Role;
use crate::domain::checklist::{CheckType, FormType};
use crate::domain::order::{NewOrder, OrderDocument, OrderQuery, OrderStatus, QueueView};
use crate::domain::qc::{Answer, LineAnswer, QcItemDef, QcOutcome};
use crate::domain::service_catalog::ServiceCatalog;
use crate::domain::service_order::{CartLine, ServiceOrderScope};
use crate::domain::tasks::{TaskCompletion, TaskView};
use crate::msg::{Reply, Request, RequestId, ServiceRequest};
use crate::service::{self, ServiceCtx};
use std::collections::VecDeque;
use std::time::Instant;
use uuid::Uuid;

/// What the station's work has reached on its current build: the next request it sends.
#[derive(Debug, Clone)]
enum Phase {
    /// Open the build's task list (assembler), QC form (QC), BOM versions (procurement).
    Open,
    Tasks(VecDeque<(Uuid, TaskCompletion)>),
    TestingOpen,
    TestingDraft(Vec<LineAnswer>),
    TestingSign(Vec<LineAnswer>),
    Move(OrderStatus, OrderStatus),
    PackagingOpen,
    Pack(VecDeque<(Uuid, i32)>),
    QcDraft(FormType, Vec<LineAnswer>),
    QcSign(FormType, Vec<LineAnswer>),
    Approve(i32),
    /// Nothing left on this build: take the next one.
    Next,
}

/// Work the stations were told succeeded, to find in the database afterwards (docs/performance.md §6.4).
#[derive(Debug, Default, Clone)]
pub struct Acks {
    pub tasks: Vec<Uuid>,
    pub qc_results: Vec<Uuid>,
    pub testing_forms: Vec<Uuid>,
    pub builds: Vec<String>,
    pub service_orders: Vec<Uuid>,
}

impl Acks {
    pub fn extend(&mut self, other: Acks) {
        self.tasks.extend(other.tasks);
        self.qc_results.extend(other.qc_results);
        self.testing_forms.extend(other.testing_forms);
        self.builds.extend(other.builds);
        self.service_orders.extend(other.service_orders);
    }
}

/// A logged-in station working its own builds.
pub struct Station {
    pub ctx: ServiceCtx,
    pub role: Role,
    /// Names the orders this station creates.
    pub name: String,
    token: String,
    password: String,
    builds: VecDeque<Uuid>,
    current: Option<Uuid>,
    phase: Phase,
    /// Builds seen on the last queue page, for detail and BOM reads.
    seen: Vec<Uuid>,
    /// Where the next queue page starts (the user paging down), reset after a few pages.
    cursor: Option<String>,
    pages: u32,
    turn: usize,
    created: u32,
    catalog: Vec<String>,
    pub log: Log,
    pub acks: Acks,
}

/// The station's turn in its role's cycle: a read, or a step of its work.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Slot {
    Queue,
    Search,
    Detail,
    Bom,
    Work,
    ServiceList,
    Catalog,
}

/// The floor mix (docs/performance.md §6.3): each role's cycle of interactions, mostly reads. Signed
/// and creating work comes as often as a busy plant's at most: an inspector signs a checklist about
/// once every 45 interactions, procurement approves a BOM once in 60, a coordinator submits an order
/// once in 50.
fn cycle(role: Role) -> &'static [Slot] {
    use Slot::*;
    const READS: [Slot; 10] = [
        Queue, Detail, Search, Bom, Queue, Detail, Queue, Search, Detail, Queue,
    ];
    const COORDINATOR: [Slot; 50] = {
        let mut c = [Queue; 50];
        let mut i = 0;
        while i < 50 {
            c[i] = READS[i % 10];
            i += 1;
        }
        c[49] = Work;
        c
    };
    match role {
        Role::ServiceDepartment => &[
            ServiceList,
            Catalog,
            ServiceList,
            Work,
            ServiceList,
            ServiceList,
            ServiceList,
            ServiceList,
            ServiceList,
            Work,
        ],
        Role::ProductionCoordinator | Role::Admin => &COORDINATOR,
        Role::QcPerson | Role::ProcurementSpecialist => &[
            Work, Queue, Detail, Search, Queue, Detail, Bom, Queue, Detail, Search, Queue, Detail,
            Bom, Queue, Detail,
        ],
        _ => &[
            Work, Queue, Work, Detail, Queue, Work, Search, Bom, Queue, Detail,
        ],
    }
}

impl Station {
    /// Logs in through the login request, as the login screen does.
    pub async fn login(
        ctx: ServiceCtx,
        username: &str,
        password: &str,
        role: Role,
        builds: Vec<Uuid>,
    ) -> Station {
        let mut station = Station {
            ctx,
            role,
            name: username.to_uppercase(),
            token: String::new(),
            password: password.into(),
            builds: builds.into(),
            current: None,
            phase: Phase::Next,
            seen: Vec::new(),
            cursor: None,
            pages: 0,
            turn: 0,
            created: 0,
            catalog: Vec::new(),
            log: Log::default(),
            acks: Acks::default(),
        };
        let reply = station
            .send(
                Kind::Login,
                Request::Login {
                    username: username.into(),
                    password: password.into(),
                },
            )
            .await;
        if let Some(Reply::LoggedIn(session)) = reply {
            station.token = session.token;
        }
        station
    }

    pub fn logged_in(&self) -> bool {
        !self.token.is_empty()
    }

    /// Sends one request and records its time and outcome; the reply when it succeeded.
    async fn send(&mut self, kind: Kind, req: Request) -> Option<Reply> {
        let started = Instant::now();
        let reply = service::dispatch(
            &self.ctx,
            ServiceRequest {
                id: RequestId(1),
                kind: req,
            },
        )
        .await;
        let took = started.elapsed();
        match reply.result {
            Ok(r) => {
                self.log.ok(kind, took);
                Some(r)
            }
            Err(e) => {
                self.log.error(kind, took, &self.name, &e);
                None
            }
        }
    }

    /// One interaction of the floor mix.
    pub async fn interact(&mut self) {
        let slots = cycle(self.role);
        let slot = slots[self.turn % slots.len()];
        self.turn += 1;
        match slot {
            Slot::Work if self.work().await => {}
            Slot::Work | Slot::Queue => self.queue_page().await,
            Slot::Search => self.search().await,
            Slot::Detail => self.detail().await,
            Slot::Bom => self.bom().await,
            Slot::ServiceList => self.service_orders().await,
            Slot::Catalog => self.service_catalog().await,
        }
    }

    async fn queue_page(&mut self) {
        if self.pages >= 4 {
            self.cursor = None;
            self.pages = 0;
        }
        let query = OrderQuery {
            view: QueueView::MyWork,
            after: self.cursor.take(),
            ..OrderQuery::default()
        };
        let req = Request::ListOrders {
            token: self.token.clone(),
            query: Box::new(query),
        };
        if let Some(Reply::Orders(page)) = self.send(Kind::QueuePage, req).await {
            self.seen = page.rows.iter().map(|r| r.id).collect();
            self.cursor = page.next;
            self.pages += 1;
        }
    }

    async fn search(&mut self) {
        const TERMS: [&str; 6] = ["mercy", "lakeside", "cs-25", "summit", "harbor", "oak"];
        let query = OrderQuery {
            view: QueueView::All,
            search: TERMS[self.turn % TERMS.len()].into(),
            ..OrderQuery::default()
        };
        let req = Request::ListOrders {
            token: self.token.clone(),
            query: Box::new(query),
        };
        if let Some(Reply::Orders(page)) = self.send(Kind::Search, req).await
            && !page.rows.is_empty()
        {
            self.seen = page.rows.iter().map(|r| r.id).collect();
        }
    }

    /// A build from the last list the station saw, else its own.
    fn some_build(&self) -> Option<Uuid> {
        if self.seen.is_empty() {
            self.current.or_else(|| self.builds.front().copied())
        } else {
            Some(self.seen[self.turn % self.seen.len()])
        }
    }

    async fn detail(&mut self) {
        let Some(order_id) = self.some_build() else {
            return self.queue_page().await;
        };
        let req = Request::OrderDetail {
            token: self.token.clone(),
            order_id,
        };
        self.send(Kind::BuildDetail, req).await;
    }

    async fn bom(&mut self) {
        let Some(order_id) = self.some_build() else {
            return self.queue_page().await;
        };
        let req = Request::BomDocument {
            token: self.token.clone(),
            order_id,
            bom_id: None,
        };
        self.send(Kind::BomView, req).await;
    }

    async fn service_orders(&mut self) {
        let req = Request::ServiceOrders {
            token: self.token.clone(),
            scope: ServiceOrderScope::Mine,
            status: None,
        };
        self.send(Kind::ServiceOrders, req).await;
    }

    async fn service_catalog(&mut self) {
        let req = Request::Inventory {
            token: self.token.clone(),
        };
        if let Some(Reply::Inventory(inventory)) = self.send(Kind::Catalog, req).await {
            let catalog = ServiceCatalog::from_inventory(&inventory);
            self.catalog = catalog
                .entries()
                .iter()
                .filter(|e| e.active)
                .map(|e| e.id.clone())
                .collect();
        }
    }

    /// The next step of the station's own work; false when it has none left.
    pub async fn work(&mut self) -> bool {
        match self.role {
            Role::ServiceDepartment => self.submit_service_order().await,
            Role::ProductionCoordinator | Role::Admin => self.create_order().await,
            _ => self.floor_step().await,
        }
    }

    async fn submit_service_order(&mut self) -> bool {
        if self.catalog.is_empty() {
            self.service_catalog().await;
        }
        if self.catalog.is_empty() {
            return false;
        }
        let n = self.catalog.len();
        let lines = (0..1 + self.turn % 3)
            .map(|i| CartLine {
                part_id: self.catalog[(self.turn * 7 + i * 13) % n].clone(),
                quantity: 1 + (i as i32),
            })
            .collect::<Vec<_>>();
        let mut seen = std::collections::HashSet::new();
        let lines = lines
            .into_iter()
            .filter(|l| seen.insert(l.part_id.clone()))
            .collect();
        let req = Request::SubmitServiceOrder {
            token: self.token.clone(),
            lines,
            notes: Some("Replacement parts for a field service visit".into()),
        };
        if let Some(Reply::ServiceOrder(view)) = self.send(Kind::SubmitServiceOrder, req).await {
            self.acks.service_orders.push(view.summary.id);
        }
        true
    }

    /// The wizard's submit: a one-build PO with this station's own numbers.
    async fn create_order(&mut self) -> bool {
        self.created += 1;
        let po = format!("PO-{}-{}", self.name, self.created);
        let build = format!("LD-{}-{}", self.name, self.created);
        let Some(order) = order_document(&po, &build) else {
            return false;
        };
        let req = Request::CreateOrder {
            token: self.token.clone(),
            order: Box::new(order),
        };
        if let Some(Reply::OrderCreated(created)) = self.send(Kind::CreateOrder, req).await {
            self.acks
                .builds
                .extend(created.builds.into_iter().map(|(_, number)| number));
        }
        true
    }

    /// Creates the template build the plant is copied from; its id.
    pub async fn create_template(&mut self, po: &str, build: &str) -> Option<Uuid> {
        let req = Request::CreateOrder {
            token: self.token.clone(),
            order: Box::new(order_document(po, build)?),
        };
        match self.send(Kind::CreateOrder, req).await {
            Some(Reply::OrderCreated(c)) => c.builds.first().map(|(id, _)| *id),
            _ => None,
        }
    }

    /// Gives the station one build to work next.
    pub fn take(&mut self, build: Uuid) {
        self.builds.push_back(build);
    }

    /// A move by this station's user; signed moves carry the password.
    pub async fn transition(&mut self, order_id: Uuid, from: OrderStatus, to: OrderStatus) -> bool {
        let req = Request::Transition {
            token: self.token.clone(),
            order_id,
            from,
            to,
            note: None,
            override_reason: None,
            password: Some(self.password.clone()),
        };
        self.send(Kind::Move, req).await.is_some()
    }

    /// One request of the floor work on the current build (assembler, QC, procurement).
    async fn floor_step(&mut self) -> bool {
        if matches!(self.phase, Phase::Next) {
            let Some(next) = self.builds.pop_front() else {
                self.current = None;
                return false;
            };
            self.current = Some(next);
            self.phase = Phase::Open;
        }
        let Some(order_id) = self.current else {
            return false;
        };
        let token = self.token.clone();
        let phase = std::mem::replace(&mut self.phase, Phase::Next);
        self.phase = match phase {
            Phase::Open => self.open(order_id).await,
            Phase::Tasks(mut open) => match open.pop_front() {
                Some((task_id, completion)) => {
                    let req = Request::CompleteTask {
                        token,
                        task_id,
                        completion,
                    };
                    match self.send(Kind::CompleteTask, req).await {
                        Some(_) => {
                            self.acks.tasks.push(task_id);
                            if open.is_empty() {
                                Phase::TestingOpen
                            } else {
                                Phase::Tasks(open)
                            }
                        }
                        None => Phase::Next,
                    }
                }
                None => Phase::TestingOpen,
            },
            Phase::TestingOpen => {
                let req = Request::TestingForm { token, order_id };
                match self.send(Kind::TestingForm, req).await {
                    Some(Reply::TestingForm(form)) => {
                        let answers = form
                            .lines
                            .iter()
                            .filter_map(|l| {
                                let item = &form.items.get(l.item)?.def;
                                Some(conforming(item, l.basin_index, item.min.or(item.max)))
                            })
                            .collect();
                        Phase::TestingDraft(answers)
                    }
                    _ => Phase::Next,
                }
            }
            Phase::TestingDraft(answers) => {
                let half = answers[..answers.len() / 2].to_vec();
                let req = Request::SaveTestingDraft {
                    token,
                    order_id,
                    answers: half,
                };
                match self.send(Kind::TestingDraft, req).await {
                    Some(_) => Phase::TestingSign(answers),
                    None => Phase::Next,
                }
            }
            Phase::TestingSign(answers) => {
                let req = Request::SubmitTesting {
                    token,
                    order_id,
                    answers,
                    password: self.password.clone(),
                };
                match self.send(Kind::TestingSign, req).await {
                    Some(Reply::TestingSubmitted(done)) => {
                        self.acks.testing_forms.push(done.form_id);
                        Phase::Move(
                            OrderStatus::ReadyForProduction,
                            OrderStatus::TestingComplete,
                        )
                    }
                    _ => Phase::Next,
                }
            }
            Phase::Move(from, to) => {
                if !self.transition(order_id, from, to).await {
                    Phase::Next
                } else {
                    match to {
                        OrderStatus::TestingComplete => Phase::PackagingOpen,
                        OrderStatus::PackagingComplete => {
                            Phase::Move(to, OrderStatus::ReadyForFinalQc)
                        }
                        OrderStatus::PartsSent => Phase::Move(to, OrderStatus::ReadyForPreQc),
                        _ => Phase::Next,
                    }
                }
            }
            Phase::PackagingOpen => {
                let req = Request::Packaging { token, order_id };
                match self.send(Kind::Packaging, req).await {
                    Some(Reply::Packaging(view)) => Phase::Pack(
                        view.lines
                            .iter()
                            .filter(|l| l.packed < l.required)
                            .map(|l| (l.id, l.required))
                            .collect(),
                    ),
                    _ => Phase::Next,
                }
            }
            Phase::Pack(mut lines) => match lines.pop_front() {
                Some((item_id, packed)) => {
                    let req = Request::SetPacked {
                        token,
                        item_id,
                        packed,
                    };
                    match self.send(Kind::Pack, req).await {
                        Some(_) if lines.is_empty() => Phase::Move(
                            OrderStatus::TestingComplete,
                            OrderStatus::PackagingComplete,
                        ),
                        Some(_) => Phase::Pack(lines),
                        None => Phase::Next,
                    }
                }
                None => Phase::Move(OrderStatus::TestingComplete, OrderStatus::PackagingComplete),
            },
            Phase::QcDraft(qc_type, answers) => {
                let half = answers[..answers.len() / 2].to_vec();
                let req = Request::SaveQcDraft {
                    token,
                    order_id,
                    qc_type,
                    job_id: format!("JOB-{}", self.name),
                    answers: half,
                };
                match self.send(Kind::QcDraft, req).await {
                    Some(_) => Phase::QcSign(qc_type, answers),
                    None => Phase::Next,
                }
            }
            Phase::QcSign(qc_type, answers) => {
                let req = Request::SubmitQc {
                    token,
                    order_id,
                    qc_type,
                    job_id: format!("JOB-{}", self.name),
                    answers,
                    outcome: QcOutcome::Pass,
                    reason: None,
                    password: self.password.clone(),
                    rejection_reasons: Vec::new(),
                };
                if let Some(Reply::QcSubmitted(result)) = self.send(Kind::QcSign, req).await {
                    self.acks.qc_results.push(result.id);
                }
                Phase::Next
            }
            Phase::Approve(version) => {
                let req = Request::ApproveBom {
                    token,
                    order_id,
                    version,
                    password: self.password.clone(),
                };
                match self.send(Kind::ApproveBom, req).await {
                    Some(_) => Phase::Move(OrderStatus::OrderCreated, OrderStatus::PartsSent),
                    None => Phase::Next,
                }
            }
            Phase::Next => Phase::Next,
        };
        true
    }

    /// The read that starts the work on a build: what the role's screen opens first.
    async fn open(&mut self, order_id: Uuid) -> Phase {
        let token = self.token.clone();
        match self.role {
            Role::Assembler => {
                let req = Request::TaskList { token, order_id };
                match self.send(Kind::TaskList, req).await {
                    Some(Reply::TaskList(list)) => match list.status {
                        OrderStatus::TestingComplete => Phase::PackagingOpen,
                        OrderStatus::PackagingComplete => Phase::Move(
                            OrderStatus::PackagingComplete,
                            OrderStatus::ReadyForFinalQc,
                        ),
                        _ => {
                            let open: VecDeque<_> = list
                                .tasks
                                .iter()
                                .filter(|t| !t.is_completed)
                                .map(|t| (t.id, completion_of(t)))
                                .collect();
                            if open.is_empty() {
                                Phase::TestingOpen
                            } else {
                                Phase::Tasks(open)
                            }
                        }
                    },
                    _ => Phase::Next,
                }
            }
            Role::QcPerson => {
                let req = Request::QcForm { token, order_id };
                match self.send(Kind::QcForm, req).await {
                    Some(Reply::QcForm(form)) => {
                        let answers = form
                            .lines
                            .iter()
                            .filter_map(|l| {
                                let item = form.items.get(l.item)?;
                                Some(conforming(item, l.basin_index, item.min.or(item.max)))
                            })
                            .collect();
                        Phase::QcDraft(form.header.qc_type, answers)
                    }
                    _ => Phase::Next,
                }
            }
            Role::ProcurementSpecialist => {
                let req = Request::BomVersions { token, order_id };
                match self.send(Kind::BomVersions, req).await {
                    Some(Reply::BomVersions(list)) => {
                        match list.versions.iter().find(|v| v.current) {
                            Some(v) => Phase::Approve(v.version),
                            None => Phase::Next,
                        }
                    }
                    _ => Phase::Next,
                }
            }
            _ => Phase::Next,
        }
    }

    /// Ends the session, as leaving the station does.
    pub async fn logout(&mut self) {
        let req = Request::Logout {
            token: self.token.clone(),
        };
        self.send(Kind::Logout, req).await;
    }
}

/// A conforming answer: YES, the measurement at its limit (1 without one), the first option, a note.
fn conforming(
    item: &QcItemDef,
    basin_index: Option<i32>,
    limit: Option<rust_decimal::Decimal>,
) -> LineAnswer {
    let value = match item.check_type {
        CheckType::Boolean | CheckType::NaOption => "YES".to_string(),
        CheckType::Measurement => limit.map_or_else(|| "1".into(), |v| v.to_string()),
        CheckType::MultiChoice => item.options.first().cloned().unwrap_or_default(),
        CheckType::Text => "Checked".into(),
    };
    LineAnswer {
        item_id: item.id,
        basin_index,
        answer: Answer {
            value: Some(value),
            is_na: false,
            notes: None,
        },
    }
}

/// How a station completes `task`: the first option of a multiple choice, twelve minutes spent (the
/// load harness's task completions and the audit-chain benchmark's).
pub fn completion_of(task: &TaskView) -> TaskCompletion {
    TaskCompletion {
        choice: (task.check_type == Some(CheckType::MultiChoice))
            .then(|| task.options.first().cloned())
            .flatten(),
        minutes_spent: Some(12),
        ..TaskCompletion::default()
    }
}

/// An order like the README's `order import` example, with its own PO and build number (the load
/// harness's wizard submits and the audit-chain benchmark's order creations).
pub fn order_document(po: &str, build: &str) -> Option<NewOrder> {
    let doc = serde_json::json!({
        "poNumber": po, "customerName": "Mercy General Hospital", "projectName": null,
        "salesPerson": "Jordan Sales", "wantDate": "2099-03-15", "orderLanguage": "EN", "notes": null,
        "builds": [{"buildNumber": build, "sinkFamily": "MDRD", "sinkModel": "T2-B2",
            "sinkWidth": 36, "sinkLength": 60, "legsType": "HEIGHT_ADJUSTABLE", "legsModel": "DL27",
            "feetType": "LOCK_LEVELING_CASTERS", "workflowDirection": "LEFT_TO_RIGHT",
            "hasPegboard": true, "pegboardColor": "GREEN", "pegboardType": "PERFORATED",
            "pegboardSizeType": "SAME_AS_SINK", "pegboardWidth": null, "pegboardLength": null,
            "basins": [{"basinIndex": 1, "basinType": "E_SINK", "basinWidth": 24, "basinLength": 20,
                        "basinDepth": 8, "isCustomSize": false, "hasPTrapDrain": false, "hasBasinLight": false},
                       {"basinIndex": 2, "basinType": "E_DRAIN", "basinWidth": 26, "basinLength": 20,
                        "basinDepth": 10, "isCustomSize": true, "hasPTrapDrain": true, "hasBasinLight": false}],
            "faucets": [{"faucetType": "WRIST_BLADE_SWING_SPOUT", "quantity": 1, "placement": "CENTER"}],
            "sprayers": [{"sprayerType": "DI_WATER_GUN_KIT_TURRET", "quantity": 1, "location": "LEFT_SIDE"}],
            "accessories": [{"assemblyId": "T-OA-BINRAIL-24-KIT", "quantity": 2}]}]
    });
    serde_json::from_value::<OrderDocument>(doc)
        .ok()
        .map(Into::into)
}
