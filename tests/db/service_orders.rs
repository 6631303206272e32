//! Service orders (docs/service-orders.md) through `service::dispatch` as the screens send them: submit,
//! visibility, withdraw, approve / reject / fulfil with their notes, notifications and audit rows, a race
//! between two stations, and `cleanstation service list` run as the real binary.

use crate::auth::{PW, add, login_ok};
use crate::floor::Floor;
use cleanstation::domain::Role;
use cleanstation::domain::bom::ItemType;
use cleanstation::domain::service_order::{
    CartLine, LineApproval, ServiceOrderScope, ServiceOrderStatus, ServiceOrderSummary,
    ServiceOrderView, changed_message, number,
};
use cleanstation::error::ServiceError;
use cleanstation::msg::{Reply, Request};
use cleanstation::service::seed::{DEMO_PASSWORD, DEMO_USERS};
use uuid::Uuid;

use Role::{
    Admin, Assembler, ProcurementSpecialist as Ps, ProductionCoordinator as Pc, QcPerson,
    ServiceDepartment as Svc,
};
use ServiceOrderStatus as S;

/// An ACTIVE category-719 assembly, a part in its tree, and a twin sub-assembly (`ASSY-PW-105R3-06`).
const CONTROL_BOX: &str = "T2-CTRL-EDR1";
const CABLE: &str = "Q13404-02";
const POWER_SUPPLY: &str = "PW-105R3-06";
/// An active catalog kit outside the service catalogue.
const NOT_SERVICE: &str = "T2-OA-DI-GOOSENECK-FAUCET-KIT";

fn line(id: &str, quantity: i32) -> CartLine {
    CartLine {
        part_id: id.into(),
        quantity,
    }
}

fn full_name(role: Role) -> &'static str {
    DEMO_USERS
        .iter()
        .find(|u| u.3 == role)
        .map(|u| u.1)
        .expect("demo user of role")
}

fn username(role: Role) -> &'static str {
    DEMO_USERS
        .iter()
        .find(|u| u.3 == role)
        .map(|u| u.0)
        .expect("demo user of role")
}

fn view(r: Result<Reply, ServiceError>) -> ServiceOrderView {
    match r {
        Ok(Reply::ServiceOrder(v)) => *v,
        other => panic!("expected a service order, got {other:?}"),
    }
}

fn summaries(r: Result<Reply, ServiceError>) -> Vec<ServiceOrderSummary> {
    match r {
        Ok(Reply::ServiceOrders(v)) => v,
        other => panic!("expected service orders, got {other:?}"),
    }
}

fn invalid(r: Result<Reply, ServiceError>) -> String {
    match r {
        Err(ServiceError::Invalid(m)) => m,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn conflict(r: Result<Reply, ServiceError>) -> String {
    match r {
        Err(ServiceError::Conflict(m)) => m,
        other => panic!("expected a conflict, got {other:?}"),
    }
}

fn forbidden(r: Result<Reply, ServiceError>) {
    assert!(
        matches!(r, Err(ServiceError::Forbidden(ref m)) if m.starts_with("Your role (")),
        "expected a role refusal, got {r:?}"
    );
}

/// `<UTC time> <STATUS> by <name>: <details>` with the time as `YYYY-MM-DD HH:MM UTC`.
fn assert_log_line(line: &str, status: &str, by: &str, details: Option<&str>) {
    let (time, rest) = line.split_at(20.min(line.len()));
    let t = chrono::NaiveDateTime::parse_from_str(time, "%Y-%m-%d %H:%M UTC");
    assert!(t.is_ok(), "time of {line:?}");
    let expected = match details {
        Some(d) => format!(" {status} by {by}: {d}"),
        None => format!(" {status} by {by}"),
    };
    assert_eq!(rest, expected, "log line {line:?}");
}

impl Floor {
    async fn submit_so(
        &self,
        token: String,
        lines: Vec<CartLine>,
        notes: Option<&str>,
    ) -> Result<Reply, ServiceError> {
        self.send(Request::SubmitServiceOrder {
            token,
            lines,
            notes: notes.map(str::to_string),
        })
        .await
    }

    /// A PENDING order from the demo service user: 2 control boxes, 1 power supply, 3 cables.
    async fn pending_order(&self) -> ServiceOrderView {
        view(
            self.submit_so(
                self.token(Svc),
                vec![line(CONTROL_BOX, 2), line(POWER_SUPPLY, 1), line(CABLE, 3)],
                None,
            )
            .await,
        )
    }

    async fn read_so(&self, role: Role, id: Uuid) -> Result<Reply, ServiceError> {
        self.send(Request::ServiceOrder {
            token: self.token(role),
            id,
        })
        .await
    }

    async fn approve_so(
        &self,
        role: Role,
        id: Uuid,
        lines: Vec<LineApproval>,
    ) -> Result<Reply, ServiceError> {
        self.send(Request::ApproveServiceOrder {
            token: self.token(role),
            id,
            lines,
            note: None,
            internal_note: None,
        })
        .await
    }

    async fn reject_so(&self, role: Role, id: Uuid, reason: &str) -> Result<Reply, ServiceError> {
        self.send(Request::RejectServiceOrder {
            token: self.token(role),
            id,
            reason: reason.into(),
            internal_note: None,
        })
        .await
    }

    async fn fulfil_so(
        &self,
        role: Role,
        id: Uuid,
        note: Option<&str>,
    ) -> Result<Reply, ServiceError> {
        self.send(Request::FulfilServiceOrder {
            token: self.token(role),
            id,
            note: note.map(str::to_string),
            internal_note: None,
        })
        .await
    }

    async fn list_so(
        &self,
        role: Role,
        scope: ServiceOrderScope,
        status: Option<S>,
    ) -> Result<Reply, ServiceError> {
        self.send(Request::ServiceOrders {
            token: self.token(role),
            scope,
            status,
        })
        .await
    }

    async fn count_rows(&self, sql: &str) -> i64 {
        self.db
            .client()
            .await
            .query_one(sql, &[])
            .await
            .expect("count")
            .get(0)
    }

    /// AuditLog rows of `action` on `entity` rows tied to the order, written as `user`.
    async fn audit_rows(&self, entity: &str, action: &str, order: Uuid, user: Uuid) -> i64 {
        let id = order.to_string();
        self.db
            .client()
            .await
            .query_one(
                r#"SELECT count(*) FROM "AuditLog"
                    WHERE "entityType" = $1 AND "action" = $2 AND "userId" = $3
                      AND ("entityId" = $4
                           OR COALESCE("newValues", "oldValues")->>'serviceOrderId' = $4)"#,
                &[&entity, &action, &user, &id],
            )
            .await
            .expect("audit rows")
            .get(0)
    }

    /// (title, message) of the user's INFO notifications about the order, oldest first.
    async fn so_notifications(&self, user: Uuid, order: Uuid) -> Vec<(String, String)> {
        let id = order.to_string();
        self.db
            .client()
            .await
            .query(
                r#"SELECT "title", "message" FROM "SystemNotification"
                    WHERE "userId" = $1 AND "type" = 'INFO' AND "relatedEntityType" = 'ServiceOrder'
                      AND "relatedEntityId" = $2
                    ORDER BY "createdAt", id"#,
                &[&user, &id],
            )
            .await
            .expect("notifications")
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect()
    }
}

fn line_id(v: &ServiceOrderView, part: &str) -> Uuid {
    v.lines
        .iter()
        .find(|l| l.part_id == part)
        .map(|l| l.id)
        .expect("line of part")
}

#[tokio::test]
async fn submit_stores_canonical_lines_notifies_procurement_and_is_audited() {
    let f = Floor::new().await;
    let v = view(
        f.submit_so(
            f.token(Svc),
            vec![
                line(CONTROL_BOX, 2),
                line(&format!("ASSY-{POWER_SUPPLY}"), 1),
                line(CABLE, 1),
                line(CABLE, 2),
            ],
            Some("  for the Mercy General service call  "),
        )
        .await,
    );
    assert_eq!(v.summary.status, S::Pending);
    assert_eq!(v.summary.number, number(v.summary.id));
    assert_eq!(v.summary.requested_by, full_name(Svc));
    assert_eq!(v.requested_by_id, f.id(Svc));
    assert!(v.summary.requested_at.is_some());
    assert_eq!(v.summary.processed_by, None);
    assert_eq!((v.summary.lines, v.summary.total_quantity), (3, 6));
    assert_eq!(
        v.notes.as_deref(),
        Some("for the Mercy General service call")
    );
    assert_eq!(v.internal_notes, None);
    let lines: Vec<(&str, ItemType, i32)> = v
        .lines
        .iter()
        .map(|l| (l.part_id.as_str(), l.part_type, l.quantity))
        .collect();
    assert_eq!(
        lines,
        [
            (POWER_SUPPLY, ItemType::Assembly, 1),
            (CABLE, ItemType::Part, 3),
            (CONTROL_BOX, ItemType::Assembly, 2),
        ]
    );
    assert!(v.lines.iter().all(|l| l.name.is_some()), "names resolve");

    let expected = (
        "Service order submitted".to_string(),
        format!("{} from {}, 3 line(s)", v.summary.number, full_name(Svc)),
    );
    assert_eq!(f.so_notifications(f.id(Ps), v.summary.id).await, [expected]);
    let id = v.summary.id;
    assert_eq!(
        f.audit_rows("ServiceOrder", "INSERT", id, f.id(Svc)).await,
        1
    );
    assert_eq!(
        f.audit_rows("ServiceOrderItem", "INSERT", id, f.id(Svc))
            .await,
        3
    );
}

#[tokio::test]
async fn a_refused_submit_writes_nothing() {
    let f = Floor::new().await;
    // The only rejected id is the last one: the valid lines before it must not be stored either.
    let m = invalid(
        f.submit_so(
            f.token(Svc),
            vec![
                line(CONTROL_BOX, 1),
                line(CABLE, 2),
                line(NOT_SERVICE, 1),
                line("NO-SUCH-ID", 1),
            ],
            Some("note"),
        )
        .await,
    );
    assert_eq!(
        m,
        format!("Unknown or inactive part(s): {NOT_SERVICE}, NO-SUCH-ID")
    );

    f.db.client()
        .await
        .execute(
            r#"UPDATE "Part" SET "status" = 'INACTIVE' WHERE id = $1"#,
            &[&CABLE],
        )
        .await
        .expect("deactivate part");
    let m = invalid(
        f.submit_so(
            f.token(Svc),
            vec![line(CONTROL_BOX, 1), line(CABLE, 1)],
            None,
        )
        .await,
    );
    assert_eq!(m, format!("Unknown or inactive part(s): {CABLE}"));

    assert_eq!(
        invalid(f.submit_so(f.token(Svc), Vec::new(), None).await),
        "Cart is empty"
    );
    for q in [0, 1000] {
        assert_eq!(
            invalid(
                f.submit_so(f.token(Svc), vec![line(CONTROL_BOX, q)], None)
                    .await
            ),
            "Quantity must be 1 to 999"
        );
    }
    assert_eq!(
        invalid(
            f.submit_so(
                f.token(Svc),
                vec![line(CONTROL_BOX, 1)],
                Some(&"n".repeat(2001))
            )
            .await
        ),
        "Notes may have at most 2000 characters"
    );
    for role in [Ps, Admin, Pc, QcPerson, Assembler] {
        forbidden(
            f.submit_so(f.token(role), vec![line(CONTROL_BOX, 1)], None)
                .await,
        );
    }
    assert_eq!(
        f.count_rows(r#"SELECT count(*) FROM "ServiceOrder""#).await,
        0
    );
    assert_eq!(
        f.count_rows(r#"SELECT count(*) FROM "ServiceOrderItem""#)
            .await,
        0
    );
    assert_eq!(
        f.count_rows(r#"SELECT count(*) FROM "SystemNotification" WHERE "type" = 'INFO'"#)
            .await,
        0
    );
    assert_eq!(
        f.count_rows(r#"SELECT count(*) FROM "AuditLog" WHERE "entityType" LIKE 'ServiceOrder%'"#)
            .await,
        0
    );
}

#[tokio::test]
async fn approval_reduces_removes_logs_notifies_and_then_fulfils() {
    let f = Floor::new().await;
    let v = f.pending_order().await;
    let id = v.summary.id;
    let approved = view(
        f.send(Request::ApproveServiceOrder {
            token: f.token(Ps),
            id,
            lines: vec![
                LineApproval {
                    line_id: line_id(&v, CONTROL_BOX),
                    quantity: 1,
                },
                LineApproval {
                    line_id: line_id(&v, CABLE),
                    quantity: 0,
                },
                LineApproval {
                    line_id: line_id(&v, POWER_SUPPLY),
                    quantity: 1,
                },
            ],
            note: Some(" the rest is on back order ".into()),
            internal_note: Some("Supplier PO 4711".into()),
        })
        .await,
    );
    assert_eq!(approved.summary.status, S::Approved);
    assert_eq!(
        approved.summary.processed_by.as_deref(),
        Some(full_name(Ps))
    );
    assert!(approved.summary.processed_at.is_some());
    let lines: Vec<(&str, i32)> = approved
        .lines
        .iter()
        .map(|l| (l.part_id.as_str(), l.quantity))
        .collect();
    assert_eq!(lines, [(POWER_SUPPLY, 1), (CONTROL_BOX, 1)]);
    let notes = approved.notes.clone().expect("notes log");
    let log: Vec<&str> = notes.lines().collect();
    assert_eq!(log.len(), 1, "no requester note, one decision: {notes:?}");
    let decision = format!("{CABLE} 3->0, {CONTROL_BOX} 2->1, the rest is on back order");
    assert_log_line(log[0], "APPROVED", full_name(Ps), Some(&decision));
    let internal = approved.internal_notes.clone().expect("internal notes");
    assert!(internal.ends_with(": Supplier PO 4711"), "{internal:?}");

    // The requester sees the log but not the internal notes.
    let mine = view(f.read_so(Svc, id).await);
    assert_eq!(mine.notes, approved.notes);
    assert_eq!(mine.internal_notes, None);
    assert_eq!(
        view(f.read_so(Pc, id).await).internal_notes.as_deref(),
        Some(internal.as_str())
    );

    let ps = f.id(Ps);
    assert_eq!(f.audit_rows("ServiceOrder", "UPDATE", id, ps).await, 1);
    assert_eq!(f.audit_rows("ServiceOrderItem", "UPDATE", id, ps).await, 1);
    assert_eq!(f.audit_rows("ServiceOrderItem", "DELETE", id, ps).await, 1);

    let fulfilled = view(f.fulfil_so(Admin, id, Some("Sent by courier")).await);
    assert_eq!(fulfilled.summary.status, S::Fulfilled);
    assert_eq!(
        fulfilled.summary.processed_by.as_deref(),
        Some(full_name(Admin))
    );
    let notes = fulfilled.notes.clone().expect("notes log");
    let log: Vec<&str> = notes.lines().collect();
    assert_eq!(log.len(), 2);
    assert_log_line(
        log[1],
        "FULFILLED",
        full_name(Admin),
        Some("Sent by courier"),
    );
    assert_eq!(fulfilled.internal_notes.as_deref(), Some(internal.as_str()));
    assert_eq!(
        f.audit_rows("ServiceOrder", "UPDATE", id, f.id(Admin))
            .await,
        1
    );

    let requester = f.so_notifications(f.id(Svc), id).await;
    assert_eq!(
        requester,
        [
            (
                "Service order APPROVED".to_string(),
                format!("{}: {}", number(id), log[0])
            ),
            (
                "Service order FULFILLED".to_string(),
                format!("{}: {}", number(id), log[1])
            ),
        ]
    );

    // FULFILLED is final.
    let expected = changed_message(id, S::Fulfilled);
    assert_eq!(conflict(f.fulfil_so(Ps, id, None).await), expected);
    assert_eq!(conflict(f.reject_so(Ps, id, "too late").await), expected);
    assert_eq!(conflict(f.approve_so(Ps, id, Vec::new()).await), expected);
}

#[tokio::test]
async fn approval_and_rejection_rules_refuse_and_write_nothing() {
    let f = Floor::new().await;
    let v = f.pending_order().await;
    let id = v.summary.id;
    let all_zero: Vec<LineApproval> = v
        .lines
        .iter()
        .map(|l| LineApproval {
            line_id: l.id,
            quantity: 0,
        })
        .collect();
    assert_eq!(
        invalid(f.approve_so(Ps, id, all_zero).await),
        "At least one line must be approved; reject the order instead"
    );
    let too_many = vec![LineApproval {
        line_id: line_id(&v, CABLE),
        quantity: 4,
    }];
    assert_eq!(
        invalid(f.approve_so(Ps, id, too_many).await),
        format!("Approved quantity for {CABLE} must be 0 to 3")
    );
    assert_eq!(
        invalid(f.reject_so(Ps, id, "   ").await),
        "A rejection reason is required"
    );
    assert_eq!(
        invalid(f.reject_so(Ps, id, &"r".repeat(1001)).await),
        "A rejection reason may have at most 1000 characters"
    );
    // Fulfilment needs an approval first.
    invalid(f.fulfil_so(Ps, id, None).await);
    // The coordinator reads only; the requester and the floor roles cannot process.
    for role in [Pc, Svc, QcPerson, Assembler] {
        forbidden(f.approve_so(role, id, Vec::new()).await);
        forbidden(f.reject_so(role, id, "no").await);
        forbidden(f.fulfil_so(role, id, None).await);
    }
    let after = view(f.read_so(Ps, id).await);
    assert_eq!(after, view(f.read_so(Ps, id).await));
    assert_eq!(after.summary.status, S::Pending);
    assert_eq!(after.lines, v.lines);
    assert_eq!(after.notes, None);
    assert_eq!(
        f.count_rows(r#"SELECT count(*) FROM "AuditLog" WHERE "entityType" LIKE 'ServiceOrder%' AND "action" <> 'INSERT'"#)
            .await,
        0
    );

    // Rejection: the reason is logged for the requester; REJECTED is final.
    let rejected = view(
        f.reject_so(Ps, id, "Part discontinued; order T2-CTRL-EDR2")
            .await,
    );
    assert_eq!(rejected.summary.status, S::Rejected);
    assert_eq!(
        rejected.summary.processed_by.as_deref(),
        Some(full_name(Ps))
    );
    assert_eq!(rejected.lines, v.lines, "a rejection keeps the lines");
    let notes = rejected.notes.clone().expect("notes log");
    assert_log_line(
        &notes,
        "REJECTED",
        full_name(Ps),
        Some("Part discontinued; order T2-CTRL-EDR2"),
    );
    assert_eq!(
        f.so_notifications(f.id(Svc), id).await,
        [(
            "Service order REJECTED".to_string(),
            format!("{}: {notes}", number(id))
        )]
    );
    assert_eq!(
        f.audit_rows("ServiceOrder", "UPDATE", id, f.id(Ps)).await,
        1
    );
    let expected = changed_message(id, S::Rejected);
    assert_eq!(
        conflict(f.approve_so(Admin, id, Vec::new()).await),
        expected
    );
    assert_eq!(conflict(f.fulfil_so(Admin, id, None).await), expected);
}

#[tokio::test]
async fn two_stations_processing_at_once_exactly_one_wins() {
    let f = Floor::new().await;
    for _ in 0..3 {
        let id = f.pending_order().await.summary.id;
        let (approve, reject) = tokio::join!(
            f.approve_so(Ps, id, Vec::new()),
            f.reject_so(Admin, id, "duplicate request")
        );
        let winner = match (&approve, &reject) {
            (Ok(_), Err(ServiceError::Conflict(m))) => {
                assert_eq!(m, &changed_message(id, S::Approved));
                S::Approved
            }
            (Err(ServiceError::Conflict(m)), Ok(_)) => {
                assert_eq!(m, &changed_message(id, S::Rejected));
                S::Rejected
            }
            other => panic!("exactly one must win: {other:?}"),
        };
        let stored = view(f.read_so(Pc, id).await);
        assert_eq!(stored.summary.status, winner);
        assert_eq!(stored.notes.as_deref().map(|n| n.lines().count()), Some(1));
        assert_eq!(f.so_notifications(f.id(Svc), id).await.len(), 1);
    }
}

#[tokio::test]
async fn each_role_sees_what_section_8_allows() {
    let f = Floor::new().await;
    let mine = f.pending_order().await.summary.id;
    let other_user = add(&f.db, "service2", Svc).await;
    let other = login_ok(&f.ctx, "service2", PW).await;
    let theirs = view(
        f.submit_so(other.token.clone(), vec![line(CABLE, 1)], None)
            .await,
    )
    .summary
    .id;
    assert_eq!(view(f.read_so(Svc, mine).await).summary.id, mine);
    assert!(
        matches!(f.read_so(Svc, theirs).await, Err(ServiceError::NotFound(_))),
        "another requester's order is not revealed"
    );
    let listed = summaries(f.list_so(Svc, ServiceOrderScope::Mine, None).await);
    assert_eq!(listed.iter().map(|s| s.id).collect::<Vec<_>>(), [mine]);
    let theirs_listed = summaries(
        f.send(Request::ServiceOrders {
            token: other.token.clone(),
            scope: ServiceOrderScope::Mine,
            status: None,
        })
        .await,
    );
    assert_eq!(theirs_listed.len(), 1);
    assert_eq!(theirs_listed[0].requested_by, other_user.full_name);
    forbidden(f.list_so(Svc, ServiceOrderScope::Queue, None).await);
    for role in [QcPerson, Assembler] {
        forbidden(f.read_so(role, mine).await);
        forbidden(f.list_so(role, ServiceOrderScope::Queue, None).await);
        forbidden(f.list_so(role, ServiceOrderScope::Mine, None).await);
    }

    // The queue: the work first (PENDING, then APPROVED to fulfil, each oldest first), then the
    // closed orders newest first; the status filter narrows it.
    view(f.approve_so(Ps, mine, Vec::new()).await);
    let third = f.pending_order().await.summary.id;
    let closed_first = f.pending_order().await.summary.id;
    view(f.reject_so(Ps, closed_first, "Not stocked").await);
    let closed_last = f.pending_order().await.summary.id;
    view(f.reject_so(Ps, closed_last, "Not stocked").await);
    for role in [Ps, Admin, Pc] {
        let queue = summaries(f.list_so(role, ServiceOrderScope::Queue, None).await);
        assert_eq!(
            queue.iter().map(|s| (s.id, s.status)).collect::<Vec<_>>(),
            [
                (theirs, S::Pending),
                (third, S::Pending),
                (mine, S::Approved),
                (closed_last, S::Rejected),
                (closed_first, S::Rejected),
            ],
            "{role}"
        );
        assert!(view(f.read_so(role, theirs).await).internal_notes.is_none());
    }
    let approved = summaries(
        f.list_so(Ps, ServiceOrderScope::Queue, Some(S::Approved))
            .await,
    );
    assert_eq!(approved.iter().map(|s| s.id).collect::<Vec<_>>(), [mine]);
    assert_eq!(approved[0].processed_by.as_deref(), Some(full_name(Ps)));
    let newest_first = summaries(f.list_so(Svc, ServiceOrderScope::Mine, None).await);
    assert_eq!(
        newest_first.iter().map(|s| s.id).collect::<Vec<_>>(),
        [closed_last, closed_first, third, mine]
    );
    assert!(matches!(
        f.read_so(Ps, Uuid::new_v4()).await,
        Err(ServiceError::NotFound(_))
    ));
}

#[tokio::test]
async fn only_the_requester_withdraws_and_only_while_pending() {
    let f = Floor::new().await;
    let pending = f.pending_order().await.summary.id;
    add(&f.db, "service2", Svc).await;
    let other = login_ok(&f.ctx, "service2", PW).await;
    let withdraw = |token: String, id: Uuid| Request::WithdrawServiceOrder { token, id };

    assert!(matches!(
        f.send(withdraw(other.token.clone(), pending)).await,
        Err(ServiceError::NotFound(_))
    ));
    for role in [Ps, Admin, Pc] {
        forbidden(f.send(withdraw(f.token(role), pending)).await);
    }
    assert!(matches!(
        f.send(withdraw(f.token(Svc), pending)).await,
        Ok(Reply::Done)
    ));
    let sql = format!(r#"SELECT count(*) FROM "ServiceOrder" WHERE id = '{pending}'"#);
    assert_eq!(f.count_rows(&sql).await, 0);
    let sql =
        format!(r#"SELECT count(*) FROM "ServiceOrderItem" WHERE "serviceOrderId" = '{pending}'"#);
    assert_eq!(f.count_rows(&sql).await, 0, "the lines go with the order");
    assert_eq!(
        f.audit_rows("ServiceOrder", "DELETE", pending, f.id(Svc))
            .await,
        1
    );
    assert!(matches!(
        f.send(withdraw(f.token(Svc), pending)).await,
        Err(ServiceError::NotFound(_))
    ));

    let approved = f.pending_order().await.summary.id;
    view(f.approve_so(Ps, approved, Vec::new()).await);
    assert_eq!(
        conflict(f.send(withdraw(f.token(Svc), approved)).await),
        changed_message(approved, S::Approved)
    );
    assert_eq!(
        view(f.read_so(Svc, approved).await).summary.status,
        S::Approved
    );
}

mod cli {
    use super::*;

    async fn run(f: &Floor, user: &str, args: &[&str]) -> std::process::Output {
        let mut all = vec!["service", "list", "--as", user];
        all.extend_from_slice(args);
        f.db.cli(&all, &[("CLEANSTATION_PASSWORD", DEMO_PASSWORD)])
            .await
    }

    fn text(bytes: &[u8]) -> String {
        String::from_utf8_lossy(bytes).into_owned()
    }

    #[tokio::test]
    async fn service_list_prints_a_table_or_json_and_refuses_bad_input() {
        let f = Floor::new().await;
        let first = f.pending_order().await.summary.id;
        let second = f.pending_order().await.summary.id;
        view(f.approve_so(Ps, first, Vec::new()).await);

        let out = run(&f, username(Ps), &[]).await;
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let table = text(&out.stdout);
        let rows: Vec<&str> = table.lines().collect();
        assert_eq!(rows.len(), 3, "{table}");
        for h in [
            "NUMBER",
            "STATUS",
            "REQUESTED BY",
            "AT",
            "LINES",
            "PROCESSED BY",
        ] {
            assert!(rows[0].contains(h), "{table}");
        }
        assert!(
            rows[1].starts_with(&number(second)) && rows[1].contains("PENDING"),
            "{table}"
        );
        assert!(
            rows[2].starts_with(&number(first)) && rows[2].contains("APPROVED"),
            "{table}"
        );
        assert!(
            rows[2].contains(full_name(Svc)) && rows[2].ends_with(full_name(Ps)),
            "{table}"
        );

        let out = run(&f, username(Svc), &["--status", "approved", "--json"]).await;
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        let list = json.as_array().expect("a JSON array");
        assert_eq!(list.len(), 1, "{json}");
        assert_eq!(list[0]["id"], first.to_string());
        assert_eq!(list[0]["status"], "APPROVED");
        assert_eq!(list[0]["lines"], 3);

        let out = run(&f, username(Ps), &["--status", "DONE"]).await;
        assert_eq!(out.status.code(), Some(2));
        assert!(
            text(&out.stderr).contains(
                "Unknown status DONE; use one of: PENDING, APPROVED, REJECTED, FULFILLED"
            ),
            "{}",
            text(&out.stderr)
        );
        let out = run(&f, username(QcPerson), &[]).await;
        assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
        assert!(
            text(&out.stderr).contains("Your role (QC_PERSON)"),
            "{}",
            text(&out.stderr)
        );
    }
}
