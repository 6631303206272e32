//! Orders through `service::dispatch`, as the screens and the command line send them: PO creation and its
//! atomicity, number uniqueness, the lifecycle with its role checks, races, overrides, preconditions,
//! assignment and notifications, build edits, drafts, the queue with its views, filters and keyset pages,
//! and the `"OrderDraft"` schema.

use crate::auth::{PW, add, expect_reply, login_ok, send};
use crate::floor::Floor;
use crate::support::TestDb;
use cleanstation::domain::Role;
use cleanstation::domain::lifecycle::{self, TRANSITIONS};
use cleanstation::domain::order::{
    AccessoryLine, AttachmentSpec, BasinConfig, BasinType, BuildConfig, CreatedOrder,
    DocumentLanguage, DueFilter, FeetType, LegsType, NewOrder, OrderAction, OrderDocumentType,
    OrderHeader, OrderPage, OrderQuery, OrderRow, OrderStatus, QueueView, SortKey,
};
use cleanstation::error::ServiceError;
use cleanstation::msg::{Reply, Request};
use cleanstation::service::orders::STALE_CURSOR;
use cleanstation::service::seed::DEMO_USERS;
use cleanstation::service::{ServiceCtx, dispatch};
use std::sync::Arc;
use uuid::Uuid;

use OrderStatus as S;

// ------------------------------------------------------------------------------------------------
// Fixtures
// ------------------------------------------------------------------------------------------------

impl Floor {
    async fn create(&self, role: Role, order: NewOrder) -> Result<Reply, ServiceError> {
        self.send(Request::CreateOrder {
            token: self.token(role),
            order: Box::new(order),
        })
        .await
    }

    async fn created(&self, order: NewOrder) -> CreatedOrder {
        expect_reply(
            self.create(Role::ProductionCoordinator, order).await,
            |r| match r {
                Reply::OrderCreated(c) => Some(c),
                _ => None,
            },
        )
    }

    /// Creates a one-build PO and returns the build's id.
    async fn one_build(&self, po: &str, build: &str) -> Uuid {
        self.created(order(po, &[build])).await.builds[0].0
    }

    async fn transition_with(
        &self,
        role: Role,
        id: Uuid,
        from: OrderStatus,
        to: OrderStatus,
        override_reason: Option<&str>,
    ) -> Result<Reply, ServiceError> {
        let password = Some(cleanstation::service::seed::DEMO_PASSWORD);
        self.move_with(role, id, (from, to), None, override_reason, password)
            .await
    }

    async fn assign(
        &self,
        role: Role,
        id: Uuid,
        expected: OrderStatus,
        assignee: Option<Uuid>,
    ) -> Result<Reply, ServiceError> {
        self.send(Request::Assign {
            token: self.token(role),
            order_id: id,
            expected,
            assignee,
        })
        .await
    }

    async fn list_orders(&self, token: &str, query: OrderQuery) -> Result<OrderPage, ServiceError> {
        self.send(Request::ListOrders {
            token: token.into(),
            query: Box::new(query),
        })
        .await
        .map(|r| match r {
            Reply::Orders(p) => p,
            other => panic!("unexpected reply {other:?}"),
        })
    }

    /// Puts a build in `status` directly (the test's own shortcut past the lifecycle).
    pub(crate) async fn force_status(&self, id: Uuid, status: OrderStatus) {
        self.db
            .client()
            .await
            .execute(
                r#"UPDATE "ProductionOrder" SET "orderStatus" = $2 WHERE id = $1"#,
                &[&id, &status],
            )
            .await
            .expect("force status");
    }

    async fn force_bom_approved(&self, id: Uuid) {
        self.db
            .client()
            .await
            .execute(
                r#"UPDATE "BillOfMaterials" SET status = 'APPROVED'
                   WHERE id = (SELECT "bomId" FROM "ProductionOrder" WHERE id = $1)"#,
                &[&id],
            )
            .await
            .expect("approve bom");
    }

    async fn approve(&self, role: Role, id: Uuid, version: i32) -> Result<Reply, ServiceError> {
        self.send(Request::ApproveBom {
            token: self.token(role),
            order_id: id,
            version,
            password: cleanstation::service::seed::DEMO_PASSWORD.into(),
        })
        .await
    }

    async fn regenerate(&self, role: Role, id: Uuid) -> Result<Reply, ServiceError> {
        self.send(Request::RegenerateBom {
            token: self.token(role),
            order_id: id,
        })
        .await
    }

    /// (version, status) of every BOM of the build, oldest first.
    async fn boms(&self, id: Uuid) -> Vec<(i32, String)> {
        self.db
            .client()
            .await
            .query(
                r#"SELECT "version", "status"::text FROM "BillOfMaterials"
                   WHERE "orderId" = $1 ORDER BY "version""#,
                &[&id],
            )
            .await
            .expect("boms")
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect()
    }

    async fn history_rows(&self, id: Uuid) -> i64 {
        self.count(
            r#"SELECT count(*) FROM "OrderStatusHistory" WHERE "orderId" = $1"#,
            &[&id],
        )
        .await
    }
}

fn build(number: &str) -> BuildConfig {
    BuildConfig {
        basins: vec![BasinConfig {
            basin_index: 1,
            basin_type: BasinType::EDrain,
            basin_width: 20,
            basin_length: 20,
            basin_depth: 8,
            is_custom_size: false,
            has_p_trap_drain: true,
            has_basin_light: false,
        }],
        ..BuildConfig::new(
            number,
            "T2-B1",
            (30, 60),
            LegsType::FixedHeight,
            "DL14",
            FeetType::SsAdjustableSeismicFeet,
        )
    }
}

pub(crate) fn order(po: &str, builds: &[&str]) -> NewOrder {
    NewOrder {
        header: OrderHeader {
            po_number: po.into(),
            customer_name: "Mercy General Hospital".into(),
            project_name: None,
            sales_person: "Jo Sales".into(),
            want_date: chrono::NaiveDate::from_ymd_opt(2099, 12, 31).expect("date"),
            order_language: DocumentLanguage::En,
            notes: None,
        },
        builds: builds.iter().map(|b| build(b)).collect(),
        attachments: Vec::new(),
    }
}

fn row(r: Result<Reply, ServiceError>) -> OrderRow {
    expect_reply(r, |r| match r {
        Reply::OrderUpdated(row) => Some(row),
        _ => None,
    })
}

fn err(r: Result<Reply, ServiceError>) -> String {
    match r {
        Err(e) => e.to_string(),
        Ok(reply) => panic!("expected a refusal, got {reply:?}"),
    }
}

fn full_name(role: Role) -> &'static str {
    DEMO_USERS
        .iter()
        .find(|u| u.3 == role)
        .map(|u| u.1)
        .expect("demo role")
}

async fn order_rows(env: &Floor) -> i64 {
    env.count(r#"SELECT count(*) FROM "ProductionOrder""#, &[])
        .await
}

// ------------------------------------------------------------------------------------------------
// Creation
// ------------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_po_is_created_with_rows_bom_and_history_and_no_notification() {
    let env = Floor::new().await;
    let mut o = order(" PO-1001 ", &["B-1001-1", "B-1001-2"]);
    o.builds[1].accessories = vec![AccessoryLine {
        assembly_id: "T-OA-MNT-ARM".into(),
        quantity: 2,
    }];
    env.send(Request::SaveDraft {
        token: env.token(Role::ProductionCoordinator),
        draft: serde_json::json!({"step": 5}),
    })
    .await
    .expect("draft saved");
    let notes_before = env
        .count(r#"SELECT count(*) FROM "SystemNotification""#, &[])
        .await;

    let created = env.created(o).await;
    assert_eq!(created.po_number, "PO-1001");
    let numbers: Vec<&str> = created.builds.iter().map(|(_, b)| b.as_str()).collect();
    assert_eq!(numbers, ["B-1001-1", "B-1001-2"]);

    for (i, (id, number)) in created.builds.iter().enumerate() {
        let d = env.detail(Role::ProductionCoordinator, *id).await;
        assert_eq!(d.status, S::OrderCreated);
        assert_eq!(d.assignee, None);
        assert_eq!(&d.build.build_number, number);
        assert_eq!(d.header.po_number, "PO-1001");
        assert_eq!(d.build.basins.len(), 1);
        let bom = d.bom.expect("bom written");
        assert_eq!((bom.version, bom.status.as_str()), (1, "DRAFT"));
        assert!(bom.top_level_lines > 0);
        assert_eq!(d.history.len(), 1);
        let h = &d.history[0];
        assert_eq!(h.action, "ORDER_CREATED");
        assert_eq!(h.old_status, None);
        assert_eq!(h.new_status, S::OrderCreated);
        assert_eq!(h.user, full_name(Role::ProductionCoordinator));
        assert_eq!(
            h.notes.as_deref(),
            Some(format!("PO PO-1001: build {} of 2", i + 1).as_str())
        );
    }
    let second = env
        .detail(Role::ProductionCoordinator, created.builds[1].0)
        .await;
    assert_eq!(second.build.accessories.len(), 1);
    assert_eq!(
        env.count(r#"SELECT count(*) FROM "SystemNotification""#, &[])
            .await,
        notes_before,
        "creating an order sends no notification"
    );
    let ctx = expect_reply(
        env.send(Request::WizardContext {
            token: env.token(Role::ProductionCoordinator),
        })
        .await,
        |r| match r {
            Reply::WizardContext(c) => Some(c),
            _ => None,
        },
    );
    assert_eq!(ctx.draft, None, "the submitted wizard's draft is gone");
    assert_eq!(ctx.accessories.len(), 54);
    // Every write names the coordinator in the audit trail.
    let unattributed = env
        .count(
            r#"SELECT count(*) FROM "AuditLog" WHERE "entityType" = 'ProductionOrder'
               AND "userId" IS DISTINCT FROM $1"#,
            &[&env.id(Role::ProductionCoordinator)],
        )
        .await;
    assert_eq!(unattributed, 0);
}

#[tokio::test]
async fn duplicate_po_and_build_numbers_are_refused_regardless_of_case() {
    let env = Floor::new().await;
    env.created(order("PO-A1", &["BLD-100"])).await;
    let before = order_rows(&env).await;

    assert_eq!(
        err(env
            .create(Role::ProductionCoordinator, order("po-a1", &["BLD-200"]))
            .await),
        "PO number po-a1 already exists"
    );
    assert_eq!(
        err(env
            .create(Role::Admin, order("PO-B1", &["BLD-300", "bld-100"]))
            .await),
        "Build number bld-100 already exists (PO PO-A1)"
    );
    assert_eq!(
        err(env
            .create(
                Role::ProductionCoordinator,
                order("PO-C1", &["BLD-400", "bld-400"])
            )
            .await),
        "Build BLD-400: Build number BLD-400 is entered more than once\n\
         Build bld-400: Build number bld-400 is entered more than once"
    );
    assert_eq!(order_rows(&env).await, before, "nothing written");

    let check = expect_reply(
        env.send(Request::CheckNumbers {
            token: env.token(Role::ProductionCoordinator),
            po_number: " Po-A1 ".into(),
            build_numbers: vec!["Bld-100".into(), "BLD-999".into()],
        })
        .await,
        |r| match r {
            Reply::NumbersChecked(c) => Some(c),
            _ => None,
        },
    );
    assert_eq!(check.po_taken.as_deref(), Some("PO-A1"));
    assert_eq!(
        check.builds_taken,
        vec![("Bld-100".to_string(), "PO-A1".to_string())]
    );
}

#[tokio::test]
async fn want_date_and_field_rules_are_checked_at_submit() {
    let env = Floor::new().await;
    let today: chrono::NaiveDate = env
        .db
        .client()
        .await
        .query_one("SELECT CURRENT_DATE", &[])
        .await
        .expect("today")
        .get(0);
    let mut o = order("PO-DATE", &["BLD-D1"]);
    o.header.want_date = today;
    o.builds[0].sink_length = 47;
    let msg = err(env.create(Role::ProductionCoordinator, o).await);
    assert_eq!(
        msg,
        format!(
            "Want date must be after today ({})\nBuild BLD-D1: Length must be a whole number of inches from 48 to 120",
            today.format("%Y-%m-%d")
        )
    );
    assert_eq!(order_rows(&env).await, 0);
}

#[tokio::test]
async fn attachments_are_stored_once_and_linked_to_every_build() {
    use sha2::Digest;
    let env = Floor::new().await;
    let dir = std::env::temp_dir().join(format!("cleanstation-attach-{}", Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let pdf_bytes: &[u8] = b"%PDF-1.4\n% purchase order\n%%EOF\n";
    let txt_bytes: &[u8] = b"Deliver to dock 2\n";
    let pdf = dir.join("PO 4500.pdf");
    let txt = dir.join("notes.txt");
    let exe = dir.join("setup.exe");
    let missing = dir.join("missing.pdf");
    std::fs::write(&pdf, pdf_bytes).expect("write pdf");
    std::fs::write(&txt, txt_bytes).expect("write txt");
    std::fs::write(&exe, b"MZ").expect("write exe");
    let path = |p: &std::path::Path| p.to_string_lossy().into_owned();
    let coordinator = env.token(Role::ProductionCoordinator);

    // The check when a file is entered.
    let check = |p: String| Request::CheckAttachment {
        token: coordinator.clone(),
        path: p,
    };
    match env.send(check(path(&pdf))).await {
        Ok(Reply::AttachmentChecked(info)) => {
            assert_eq!(info.name, "PO 4500.pdf");
            assert_eq!(info.size, pdf_bytes.len() as u64);
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(
        err(env.send(check(path(&exe))).await),
        "setup.exe: file type .exe is not allowed"
    );
    assert_eq!(
        err(env.send(check(path(&missing))).await),
        format!("Cannot read file {}", path(&missing))
    );

    // Refused at submit, with nothing written.
    let attach = |p: &std::path::Path, t: OrderDocumentType| AttachmentSpec {
        path: path(p),
        document_type: t,
    };
    for (bad, message) in [
        (&exe, "setup.exe: file type .exe is not allowed".to_string()),
        (&missing, format!("Cannot read file {}", path(&missing))),
    ] {
        let mut o = order("PO-ATT", &["B-ATT-1", "B-ATT-2"]);
        o.attachments = vec![
            attach(&pdf, OrderDocumentType::PoDocument),
            attach(bad, OrderDocumentType::TechnicalDrawing),
        ];
        assert_eq!(
            err(env.create(Role::ProductionCoordinator, o).await),
            message
        );
        assert_eq!(order_rows(&env).await, 0);
        assert_eq!(
            env.count(r#"SELECT count(*) FROM "Document""#, &[]).await,
            0
        );
    }

    let mut o = order("PO-ATT", &["B-ATT-1", "B-ATT-2"]);
    o.attachments = vec![
        attach(&pdf, OrderDocumentType::PoDocument),
        attach(&txt, OrderDocumentType::TechnicalDrawing),
    ];
    let created = env.created(o).await;
    assert_eq!(created.builds.len(), 2);
    assert_eq!(
        env.count(r#"SELECT count(*) FROM "Document""#, &[]).await,
        2
    );
    assert_eq!(
        env.count(r#"SELECT count(*) FROM "DocumentContent""#, &[])
            .await,
        2
    );

    let client = env.db.client().await;
    let rows = client
        .query(
            r#"SELECT d.id, d."fileName", d."originalName", d."fileUrl", d."contentType", d."fileSize",
                      d."uploadedBy", c."content", c."sha256"
               FROM "Document" d JOIN "DocumentContent" c ON c."documentId" = d.id
               ORDER BY lower(d."originalName") COLLATE "C""#,
            &[],
        )
        .await
        .expect("documents");
    let expected = [
        ("notes.txt", "notes.txt", "text/plain", txt_bytes),
        ("PO_4500.pdf", "PO 4500.pdf", "application/pdf", pdf_bytes),
    ];
    assert_eq!(rows.len(), 2);
    let mut by_type = Vec::new();
    for (row, (file_name, original, content_type, bytes)) in rows.iter().zip(expected) {
        let id: Uuid = row.get(0);
        assert_eq!(row.get::<_, String>(1), file_name);
        assert_eq!(row.get::<_, String>(2), original);
        assert_eq!(row.get::<_, String>(3), format!("db:{id}"));
        assert_eq!(row.get::<_, String>(4), content_type);
        assert_eq!(row.get::<_, i64>(5), bytes.len() as i64);
        assert_eq!(row.get::<_, Uuid>(6), env.id(Role::ProductionCoordinator));
        assert_eq!(row.get::<_, Vec<u8>>(7), bytes);
        assert_eq!(
            row.get::<_, String>(8),
            format!("{:x}", sha2::Sha256::digest(bytes))
        );
        by_type.push(id);
    }
    for (order_id, _) in &created.builds {
        let links = client
            .query(
                r#"SELECT "documentId", "documentType"::text FROM "OrderDocument"
                   WHERE "orderId" = $1 ORDER BY "documentType""#,
                &[order_id],
            )
            .await
            .expect("links");
        let links: Vec<(Uuid, String)> = links.iter().map(|r| (r.get(0), r.get(1))).collect();
        assert_eq!(
            links,
            vec![
                (by_type[1], "PO_DOCUMENT".to_string()),
                (by_type[0], "TECHNICAL_DRAWING".to_string()),
            ]
        );
    }
    // The content's audit row names the document, never its bytes.
    let audit: serde_json::Value = client
        .query_one(
            r#"SELECT "newValues" FROM "AuditLog" WHERE "entityType" = 'DocumentContent'
               AND "entityId" = $1"#,
            &[&by_type[0].to_string()],
        )
        .await
        .expect("content audit")
        .get(0);
    assert_eq!(
        audit,
        serde_json::json!({
            "documentId": by_type[0],
            "sha256": format!("{:x}", sha2::Sha256::digest(txt_bytes)),
        })
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The last build's number is taken by a concurrent creation that commits while this one waits at the
/// unique index: the whole PO rolls back, earlier builds included.
#[tokio::test]
async fn a_collision_in_the_last_build_at_insert_time_leaves_no_rows() {
    let env = Floor::new().await;
    let mut blocker = env.db.client().await;
    let btx = blocker.transaction().await.expect("blocker tx");
    btx.execute(
        r#"INSERT INTO "ProductionOrder" ("poNumber", "buildNumber", "customerName", "salesPerson",
               "wantDate", "sinkFamily", "sinkModel", "sinkWidth", "sinkLength", "legsType", "legsModel",
               "feetType", "workflowDirection")
           VALUES ('PO-OTHER', 'RACE-3', 'Other Clinic', 'Sam Sales', CURRENT_DATE + 30, 'MDRD', 'T2-B1',
                   30, 60, 'FIXED_HEIGHT', 'DL14', 'SS_ADJUSTABLE_SEISMIC_FEET', 'LEFT_TO_RIGHT')"#,
        &[],
    )
    .await
    .expect("blocking insert");

    let ctx = env.ctx.clone();
    let token = env.token(Role::ProductionCoordinator);
    let creation = tokio::spawn(async move {
        send(
            &ctx,
            Request::CreateOrder {
                token,
                order: Box::new(order("PO-RACE", &["RACE-1", "RACE-2", "race-3"])),
            },
        )
        .await
    });
    // Wait until the creation is parked on the unique index behind the blocker.
    let watcher = env.db.client().await;
    let mut waiting = false;
    for _ in 0..300 {
        let n: i64 = watcher
            .query_one(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
                &[],
            )
            .await
            .expect("activity")
            .get(0);
        if n > 0 {
            waiting = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(waiting, "the creation reached the insert of the last build");
    btx.commit().await.expect("blocker commits");

    let result = creation.await.expect("task");
    assert_eq!(
        err(result),
        "Build number race-3 already exists (PO PO-OTHER)"
    );
    assert_eq!(
        env.count(
            r#"SELECT count(*) FROM "ProductionOrder" WHERE "poNumber" = 'PO-RACE'"#,
            &[]
        )
        .await,
        0
    );
    for table in [
        "BillOfMaterials",
        "OrderStatusHistory",
        "BasinConfiguration",
    ] {
        let n = env
            .count(&format!(r#"SELECT count(*) FROM "{table}""#), &[])
            .await;
        assert_eq!(n, 0, "no {table} rows");
    }
}

#[tokio::test]
async fn a_bom_failure_in_the_last_build_leaves_no_rows() {
    let env = Floor::new().await;
    let mut o = order("PO-BOM", &["BOM-1", "BOM-2", "BOM-3"]);
    o.builds[2].accessories = vec![AccessoryLine {
        assembly_id: "NO-SUCH-ACCESSORY".into(),
        quantity: 1,
    }];
    assert_eq!(
        err(env.create(Role::ProductionCoordinator, o).await),
        "Build BOM-3: BOM cannot be generated: unknown catalog id(s): NO-SUCH-ACCESSORY"
    );
    assert_eq!(order_rows(&env).await, 0);
    assert_eq!(
        env.count(r#"SELECT count(*) FROM "BillOfMaterials""#, &[])
            .await,
        0
    );
}

// ------------------------------------------------------------------------------------------------
// Roles
// ------------------------------------------------------------------------------------------------

#[tokio::test]
async fn every_role_is_refused_through_the_service() {
    let env = Floor::new().await;
    let id = env.one_build("PO-ROLE", "ROLE-1").await;
    let history_before = env.history_rows(id).await;
    let orders_before = order_rows(&env).await;

    for role in Role::ALL {
        let token = env.token(role);
        let creator = matches!(role, Role::ProductionCoordinator | Role::Admin);
        let r = role.code();
        if !creator {
            let create = format!("Your role ({r}) cannot create orders");
            assert_eq!(
                err(env
                    .create(role, order(&format!("PO-X-{r}"), &["XB-1"]))
                    .await),
                create
            );
            for req in [
                Request::WizardContext {
                    token: token.clone(),
                },
                Request::CheckNumbers {
                    token: token.clone(),
                    po_number: "PO-1".into(),
                    build_numbers: vec![],
                },
                Request::PreviewBom {
                    token: token.clone(),
                    language: DocumentLanguage::En,
                    build: Box::new(build("PV-1")),
                },
                Request::SaveDraft {
                    token: token.clone(),
                    draft: serde_json::json!({}),
                },
                Request::DiscardDraft {
                    token: token.clone(),
                },
            ] {
                assert_eq!(err(env.send(req).await), create);
            }
            assert_eq!(
                err(env
                    .send(Request::UpdateBuild {
                        token: token.clone(),
                        order_id: id,
                        build: Box::new(build("ROLE-1")),
                    })
                    .await),
                format!("Your role ({r}) cannot change a build's configuration")
            );
            let assign = format!("Your role ({r}) cannot assign orders");
            assert_eq!(
                err(env
                    .assign(
                        role,
                        id,
                        S::OrderCreated,
                        Some(env.id(Role::ProcurementSpecialist))
                    )
                    .await),
                assign
            );
            assert_eq!(
                err(env
                    .send(Request::UsersWithRole {
                        token: token.clone(),
                        role: Role::Assembler,
                    })
                    .await),
                assign
            );
        }
        if role == Role::ServiceDepartment {
            let view = "Your role (SERVICE_DEPARTMENT) cannot view production orders";
            assert_eq!(
                err(env
                    .send(Request::OrderDetail {
                        token: token.clone(),
                        order_id: id,
                    })
                    .await),
                view
            );
            for v in [QueueView::MyWork, QueueView::All] {
                let q = OrderQuery {
                    view: v,
                    ..OrderQuery::default()
                };
                assert_eq!(
                    env.list_orders(&token, q).await.map(|_| ()),
                    Err(ServiceError::Forbidden(view.into()))
                );
            }
        } else {
            env.detail(role, id).await;
        }
    }

    // Every listed move, from its own status, by every role without an override: only the table's
    // role on a move that is not QC-gated gets past the role check.
    for t in &TRANSITIONS {
        env.force_status(id, t.from).await;
        for role in Role::ALL {
            let expected = lifecycle::check_transition(role, t.from, t.to, false);
            let got = env.transition_with(role, id, t.from, t.to, None).await;
            match expected {
                Err(m) => assert_eq!(err(got), m, "{role} {}", t.code),
                // Allowed: refused later only by a precondition, or done. Put the status back.
                Ok(_) => {
                    if got.is_ok() {
                        env.force_status(id, t.from).await;
                    }
                }
            }
        }
        // Nobody but ADMIN overrides.
        for role in Role::ALL.into_iter().filter(|r| *r != Role::Admin) {
            assert_eq!(
                err(env
                    .transition_with(role, id, t.from, t.to, Some("because"))
                    .await),
                format!(
                    "Your role ({}) cannot override a status change",
                    role.code()
                )
            );
        }
    }
    // Only the six allowed moves wrote history (and T1/T5/T6 were stopped by their preconditions).
    let moved = env.history_rows(id).await - history_before;
    assert_eq!(moved, 3, "T2, T7 and T10 went through");
    assert_eq!(order_rows(&env).await, orders_before);
}

// ------------------------------------------------------------------------------------------------
// Lifecycle
// ------------------------------------------------------------------------------------------------

#[tokio::test]
async fn t1_needs_the_current_bom_approved() {
    let env = Floor::new().await;
    let id = env.one_build("PO-T1", "T1-1").await;
    assert_eq!(
        err(env
            .transition_with(
                Role::ProcurementSpecialist,
                id,
                S::OrderCreated,
                S::PartsSent,
                None
            )
            .await),
        "Approve the current BOM (version 1) first"
    );
    assert_eq!(env.history_rows(id).await, 1);
    env.force_bom_approved(id).await;
    let moved = row(env
        .transition_with(
            Role::ProcurementSpecialist,
            id,
            S::OrderCreated,
            S::PartsSent,
            None,
        )
        .await);
    assert_eq!(moved.status, S::PartsSent);
    let d = env.detail(Role::ProcurementSpecialist, id).await;
    assert_eq!(d.history[0].action, "PARTS_SENT");
    assert_eq!(d.history[0].old_status, Some(S::OrderCreated));
    assert_eq!(d.history[0].user, full_name(Role::ProcurementSpecialist));
    assert_eq!(
        d.actions,
        vec![OrderAction::Move {
            to: S::ReadyForPreQc
        }]
    );
}

fn bom_pairs(pairs: &[(i32, &str)]) -> Vec<(i32, String)> {
    pairs.iter().map(|(v, s)| (*v, (*s).to_string())).collect()
}

#[tokio::test]
async fn bom_approval_is_the_precondition_of_t1() {
    let env = Floor::new().await;
    let id = env.one_build("PO-BA", "BA-1").await;
    let ps = Role::ProcurementSpecialist;
    let d = env.detail(ps, id).await;
    assert_eq!(
        d.actions,
        vec![
            OrderAction::Move { to: S::PartsSent },
            OrderAction::ApproveBom,
            OrderAction::RegenerateBom
        ]
    );
    for role in [
        Role::ProductionCoordinator,
        Role::QcPerson,
        Role::Assembler,
        Role::ServiceDepartment,
    ] {
        assert_eq!(
            err(env.approve(role, id, 1).await),
            format!("Your role ({role}) cannot approve BOMs")
        );
    }
    assert_eq!(
        err(env.approve(ps, id, 2).await),
        "BOM version 2 is no longer current (now 1); your approval was not saved"
    );
    assert_eq!(env.history_rows(id).await, 1, "refusals write nothing");
    assert_eq!(env.boms(id).await, bom_pairs(&[(1, "DRAFT")]));

    let r = row(env.approve(ps, id, 1).await);
    assert_eq!(r.status, S::OrderCreated);
    assert_eq!(env.boms(id).await, bom_pairs(&[(1, "APPROVED")]));
    let d = env.detail(ps, id).await;
    assert_eq!(d.history[0].action, "BOM_APPROVED");
    assert_eq!(d.history[0].notes.as_deref(), Some("version 1"));
    assert_eq!(
        (d.history[0].old_status, d.history[0].new_status),
        (Some(S::OrderCreated), S::OrderCreated)
    );
    assert_eq!(d.history[0].user, full_name(ps));
    assert_eq!(
        d.actions,
        vec![
            OrderAction::Move { to: S::PartsSent },
            OrderAction::RegenerateBom
        ],
        "an approved BOM is not offered for approval"
    );
    assert_eq!(
        err(env.approve(ps, id, 1).await),
        "BOM version 1 is already APPROVED"
    );
    assert_eq!(env.history_rows(id).await, 2);

    let moved = row(env
        .transition_with(ps, id, S::OrderCreated, S::PartsSent, None)
        .await);
    assert_eq!(moved.status, S::PartsSent);
    // After ORDER_CREATED the BOM is fixed.
    assert_eq!(
        err(env.approve(Role::Admin, id, 1).await),
        "Build BA-1 is now PARTS_SENT; its BOM can no longer be changed"
    );
    assert_eq!(
        err(env.regenerate(Role::Admin, id).await),
        "Build BA-1 is now PARTS_SENT; its BOM can no longer be changed"
    );
    assert_eq!(env.history_rows(id).await, 3);
    assert_eq!(env.boms(id).await, bom_pairs(&[(1, "APPROVED")]));
    assert!(
        !env.detail(Role::Admin, id)
            .await
            .actions
            .iter()
            .any(|a| matches!(a, OrderAction::ApproveBom | OrderAction::RegenerateBom))
    );
}

#[tokio::test]
async fn regeneration_supersedes_the_approved_bom_and_t1_waits_for_a_new_approval() {
    let env = Floor::new().await;
    let id = env.one_build("PO-BR", "BR-1").await;
    let ps = Role::ProcurementSpecialist;
    let pc = Role::ProductionCoordinator;
    row(env.approve(Role::Admin, id, 1).await);
    for role in [Role::QcPerson, Role::Assembler, Role::ServiceDepartment] {
        assert_eq!(
            err(env.regenerate(role, id).await),
            format!("Your role ({role}) cannot regenerate BOMs")
        );
    }
    assert_eq!(env.boms(id).await, bom_pairs(&[(1, "APPROVED")]));
    assert_eq!(env.history_rows(id).await, 2);

    row(env.regenerate(pc, id).await);
    assert_eq!(
        env.boms(id).await,
        bom_pairs(&[(1, "SUPERSEDED"), (2, "DRAFT")])
    );
    let d = env.detail(pc, id).await;
    assert_eq!(d.history[0].action, "BOM_REGENERATED");
    assert_eq!(d.history[0].notes.as_deref(), Some("version 2"));
    assert_eq!(
        (d.history[0].old_status, d.history[0].new_status),
        (Some(S::OrderCreated), S::OrderCreated)
    );
    let bom = d.bom.expect("bom");
    assert_eq!((bom.version, bom.status.as_str()), (2, "DRAFT"));
    assert_eq!(
        env.count(
            r#"SELECT count(*) FROM "BOMItem" i JOIN "BillOfMaterials" b ON b.id = i."bomId"
               WHERE b."orderId" = $1 AND b."version" = 2"#,
            &[&id]
        )
        .await,
        env.count(
            r#"SELECT count(*) FROM "BOMItem" i JOIN "BillOfMaterials" b ON b.id = i."bomId"
               WHERE b."orderId" = $1 AND b."version" = 1"#,
            &[&id]
        )
        .await,
        "the same configuration gives the same items"
    );
    assert_eq!(
        err(env
            .transition_with(ps, id, S::OrderCreated, S::PartsSent, None)
            .await),
        "Approve the current BOM (version 2) first"
    );
    // The approval of a version seen before the regeneration is refused.
    assert_eq!(
        err(env.approve(ps, id, 1).await),
        "BOM version 1 is no longer current (now 2); your approval was not saved"
    );
    assert_eq!(env.history_rows(id).await, 3);

    // docs/lifecycle.md §1.3: once assigned, only the assignee (or ADMIN) changes the BOM.
    let priya = env.id(ps);
    row(env.assign(pc, id, S::OrderCreated, Some(priya)).await);
    assert_eq!(
        err(env.regenerate(pc, id).await),
        "This order is assigned to Priya Shah"
    );
    assert!(
        !env.detail(pc, id)
            .await
            .actions
            .contains(&OrderAction::RegenerateBom)
    );
    row(env.regenerate(Role::Admin, id).await);
    row(env.approve(ps, id, 3).await);
    assert_eq!(
        env.boms(id).await,
        bom_pairs(&[(1, "SUPERSEDED"), (2, "SUPERSEDED"), (3, "APPROVED")])
    );
    let moved = row(env
        .transition_with(ps, id, S::OrderCreated, S::PartsSent, None)
        .await);
    assert_eq!(moved.status, S::PartsSent);
}

#[tokio::test]
async fn twenty_stations_racing_for_one_move_have_exactly_one_winner() {
    let env = Floor::new().await;
    let id = env.one_build("PO-RACE20", "R20-1").await;
    env.force_bom_approved(id).await;
    let token = env.token(Role::ProcurementSpecialist);
    let barrier = Arc::new(tokio::sync::Barrier::new(20));
    let mut tasks = Vec::new();
    for n in 0..20 {
        // A pool of its own per station: separate connections, as separate terminals have.
        let pool = cleanstation::db::connect(&env.db.url, 1, &format!("station-{n}"))
            .await
            .expect("station pool");
        let ctx = ServiceCtx {
            pool,
            policy: env.ctx.policy,
            agent: format!("station:{n}"),
            read_pool: None,
        };
        let token = token.clone();
        let barrier = barrier.clone();
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            dispatch(
                &ctx,
                cleanstation::msg::ServiceRequest {
                    id: cleanstation::msg::RequestId(n),
                    kind: Request::Transition {
                        token,
                        order_id: id,
                        from: S::OrderCreated,
                        to: S::PartsSent,
                        note: None,
                        override_reason: None,
                        password: None,
                    },
                },
            )
            .await
            .result
        }));
    }
    let mut wins = 0;
    let mut conflicts = Vec::new();
    for t in tasks {
        match t.await.expect("task") {
            Ok(Reply::OrderUpdated(r)) => {
                assert_eq!(r.status, S::PartsSent);
                wins += 1;
            }
            Err(ServiceError::Conflict(m)) => conflicts.push(m),
            other => panic!("unexpected outcome {other:?}"),
        }
    }
    assert_eq!(wins, 1);
    assert_eq!(conflicts.len(), 19);
    let at: String = env
        .db
        .client()
        .await
        .query_one(
            r#"SELECT to_char("timestamp", 'HH24:MI') FROM "OrderStatusHistory"
               WHERE "orderId" = $1 AND "action" = 'PARTS_SENT'"#,
            &[&id],
        )
        .await
        .expect("winner's history row")
        .get(0);
    let expected = format!(
        "Build R20-1 is now PARTS_SENT (changed by {} at {at} {}); your change was not saved",
        full_name(Role::ProcurementSpecialist),
        cleanstation::domain::clock::plant_zone()
    );
    assert!(conflicts.iter().all(|m| *m == expected), "{conflicts:?}");
    assert_eq!(
        env.count(
            r#"SELECT count(*) FROM "OrderStatusHistory" WHERE "orderId" = $1 AND "action" = 'PARTS_SENT'"#,
            &[&id]
        )
        .await,
        1
    );
}

/// The seed trigger tells the next role of every status change, override included.
#[tokio::test]
async fn each_status_change_notifies_the_next_role() {
    let env = Floor::new().await;
    let id = env.one_build("PO-NOTE", "NOTE-1").await;
    env.force_bom_approved(id).await;
    let steps: [(Role, S, S, Option<&str>, Role); 10] = [
        (
            Role::ProcurementSpecialist,
            S::OrderCreated,
            S::PartsSent,
            None,
            Role::ProcurementSpecialist,
        ),
        (
            Role::ProcurementSpecialist,
            S::PartsSent,
            S::ReadyForPreQc,
            None,
            Role::QcPerson,
        ),
        (
            Role::Admin,
            S::ReadyForPreQc,
            S::ReadyForProduction,
            Some("QC form on paper"),
            Role::Assembler,
        ),
        (
            Role::Admin,
            S::ReadyForProduction,
            S::TestingComplete,
            Some("tested offline"),
            Role::ProductionCoordinator,
        ),
        (
            Role::Admin,
            S::TestingComplete,
            S::PackagingComplete,
            Some("packed offline"),
            Role::ProductionCoordinator,
        ),
        (
            Role::Assembler,
            S::PackagingComplete,
            S::ReadyForFinalQc,
            None,
            Role::QcPerson,
        ),
        (
            Role::Admin,
            S::ReadyForFinalQc,
            S::ReadyForProduction,
            Some("scratch on panel"),
            Role::Assembler,
        ),
        (
            Role::Admin,
            S::ReadyForProduction,
            S::TestingComplete,
            Some("retested offline"),
            Role::ProductionCoordinator,
        ),
        (
            Role::Admin,
            S::TestingComplete,
            S::PackagingComplete,
            Some("repacked"),
            Role::ProductionCoordinator,
        ),
        (
            Role::Assembler,
            S::PackagingComplete,
            S::ReadyForFinalQc,
            None,
            Role::QcPerson,
        ),
    ];
    for (who, from, to, reason, notified) in steps {
        let before = env
            .count(
                r#"SELECT count(*) FROM "SystemNotification" WHERE "userId" = $1
                   AND "type" = 'ORDER_STATUS_CHANGE' AND "message" = $2 AND "relatedEntityId" = $3"#,
                &[
                    &env.id(notified),
                    &format!("Order PO-NOTE-NOTE-1 status changed to {to}"),
                    &id.to_string(),
                ],
            )
            .await;
        row(env.transition_with(who, id, from, to, reason).await);
        let after = env
            .count(
                r#"SELECT count(*) FROM "SystemNotification" WHERE "userId" = $1
                   AND "type" = 'ORDER_STATUS_CHANGE' AND "title" = 'Order Status Updated'
                   AND "message" = $2 AND "relatedEntityId" = $3"#,
                &[
                    &env.id(notified),
                    &format!("Order PO-NOTE-NOTE-1 status changed to {to}"),
                    &id.to_string(),
                ],
            )
            .await;
        assert_eq!(after, before + 1, "{from} -> {to} notifies {notified}");
    }
    // The Final QC failure override also told the coordinator why.
    let qc = env
        .count(
            r#"SELECT count(*) FROM "SystemNotification" WHERE "userId" = $1 AND "type" = 'QC_REQUIRED'
               AND "title" = 'Final QC failed'
               AND "message" = 'PO-NOTE-NOTE-1 failed Final QC: scratch on panel. Back to READY_FOR_PRODUCTION.'"#,
            &[&env.id(Role::ProductionCoordinator)],
        )
        .await;
    assert_eq!(qc, 1);
}

#[tokio::test]
async fn an_admin_override_writes_its_history_and_audit_rows() {
    let env = Floor::new().await;
    let id = env.one_build("PO-OVR", "OVR-1").await;
    env.force_status(id, S::ReadyForPreQc).await;

    assert_eq!(
        err(env
            .transition_with(Role::Admin, id, S::ReadyForPreQc, S::PartsSent, None)
            .await),
        "An override reason is required"
    );
    assert_eq!(
        err(env
            .transition_with(Role::Admin, id, S::ReadyForPreQc, S::PartsSent, Some("   "))
            .await),
        "An override reason is required"
    );
    assert_eq!(
        err(env
            .transition_with(
                Role::Admin,
                id,
                S::ReadyForPreQc,
                S::PartsSent,
                Some(&"x".repeat(1001))
            )
            .await),
        "An override reason is required"
    );
    assert_eq!(
        err(env
            .transition_with(
                Role::Admin,
                id,
                S::ReadyForPreQc,
                S::ReadyForShip,
                Some("skip")
            )
            .await),
        "No transition from READY_FOR_PRE_QC to READY_FOR_SHIP"
    );
    assert_eq!(env.history_rows(id).await, 1);

    row(env
        .transition_with(
            Role::Admin,
            id,
            S::ReadyForPreQc,
            S::PartsSent,
            Some("weld porosity"),
        )
        .await);
    let d = env.detail(Role::Admin, id).await;
    let h = &d.history[0];
    assert_eq!(h.action, "OVERRIDE");
    assert_eq!(
        h.notes.as_deref(),
        Some("OVERRIDE READY_FOR_PRE_QC -> PARTS_SENT: weld porosity")
    );
    assert_eq!(h.user, full_name(Role::Admin));
    let audit = env
        .db
        .client()
        .await
        .query(
            r#"SELECT "userId", "entityType", "oldValues", "newValues", "userAgent" FROM "AuditLog"
               WHERE "action" = 'STATUS_OVERRIDE' AND "entityId" = $1"#,
            &[&id.to_string()],
        )
        .await
        .expect("audit");
    assert_eq!(audit.len(), 1);
    let a = &audit[0];
    assert_eq!(a.get::<_, Option<Uuid>>(0), Some(env.id(Role::Admin)));
    assert_eq!(a.get::<_, String>(1), "ProductionOrder");
    assert_eq!(
        a.get::<_, serde_json::Value>(2),
        serde_json::json!({"orderStatus": "READY_FOR_PRE_QC"})
    );
    assert_eq!(
        a.get::<_, serde_json::Value>(3),
        serde_json::json!({"orderStatus": "PARTS_SENT", "reason": "weld porosity"})
    );
    assert_eq!(
        a.get::<_, Option<String>>(4).as_deref(),
        Some("station:test")
    );
    // Pre-QC failure path: every active coordinator hears of it.
    let qc = env
        .count(
            r#"SELECT count(*) FROM "SystemNotification" WHERE "userId" = $1 AND "type" = 'QC_REQUIRED'
               AND "title" = 'Pre-QC failed'
               AND "message" = 'PO-OVR-OVR-1 failed Pre-QC: weld porosity. Back to PARTS_SENT.'"#,
            &[&env.id(Role::ProductionCoordinator)],
        )
        .await;
    assert_eq!(qc, 1);

    env.force_status(id, S::Shipped).await;
    assert_eq!(
        err(env
            .transition_with(Role::Admin, id, S::Shipped, S::ReadyForShip, Some("reopen"))
            .await),
        "SHIPPED is final"
    );
}

#[tokio::test]
async fn t5_and_t6_check_the_rounds_floor_records() {
    let env = Floor::new().await;
    let id = env.one_build("PO-FLOOR", "FLOOR-1").await;
    env.force_status(id, S::ReadyForPreQc).await;
    row(env
        .transition_with(
            Role::Admin,
            id,
            S::ReadyForPreQc,
            S::ReadyForProduction,
            Some("paper QC"),
        )
        .await);
    let asm = Role::Assembler;
    let c = env.db.client().await;
    // The move generated the real task list; this test writes its own floor records.
    c.execute(r#"DELETE FROM "TaskList" WHERE "orderId" = $1"#, &[&id])
        .await
        .expect("drop generated tasks");
    assert_eq!(
        err(env
            .transition_with(asm, id, S::ReadyForProduction, S::TestingComplete, None)
            .await),
        "No passed testing form in this round"
    );
    c.execute(
        r#"WITH l AS (INSERT INTO "TaskList" ("orderId", "assemblyType") VALUES ($1, 'MDRD-T2-B1') RETURNING id)
           INSERT INTO "Task" ("taskListId", "sequenceOrder", "description")
           SELECT l.id, n, 'step ' || n FROM l, generate_series(1, 2) n"#,
        &[&id],
    )
    .await
    .expect("tasks");
    assert_eq!(
        err(env
            .transition_with(asm, id, S::ReadyForProduction, S::TestingComplete, None)
            .await),
        "2 task(s) still open"
    );
    c.execute(
        r#"UPDATE "Task" SET "isCompleted" = true FROM "TaskList" l
           WHERE l.id = "Task"."taskListId" AND l."orderId" = $1"#,
        &[&id],
    )
    .await
    .expect("complete tasks");
    c.execute(
        r#"INSERT INTO "TestingForm" ("orderId", "performedBy", "overallStatus", "timestamp")
           VALUES ($1, $2, 'FAIL', LOCALTIMESTAMP + interval '1 second')"#,
        &[&id, &env.id(asm)],
    )
    .await
    .expect("failed form");
    assert_eq!(
        err(env
            .transition_with(asm, id, S::ReadyForProduction, S::TestingComplete, None)
            .await),
        "No passed testing form in this round"
    );
    c.execute(
        r#"INSERT INTO "TestingForm" ("orderId", "performedBy", "overallStatus", "timestamp")
           VALUES ($1, $2, 'PASS', LOCALTIMESTAMP + interval '2 seconds')"#,
        &[&id, &env.id(asm)],
    )
    .await
    .expect("passed form");
    row(env
        .transition_with(asm, id, S::ReadyForProduction, S::TestingComplete, None)
        .await);

    // T5 generated the round's checklist; it is removed so the precondition's own cases are checked here.
    c.execute(
        r#"DELETE FROM "PackagingChecklist" WHERE "orderId" = $1"#,
        &[&id],
    )
    .await
    .expect("remove generated checklist");
    assert_eq!(
        err(env
            .transition_with(asm, id, S::TestingComplete, S::PackagingComplete, None)
            .await),
        "Packaging incomplete: no packaging checklist in this round"
    );
    c.execute(
        r#"WITH p AS (INSERT INTO "PackagingChecklist" ("orderId", "performedBy") VALUES ($1, $2) RETURNING id)
           INSERT INTO "PackagingItem" ("packagingChecklistId", "itemType", "itemId", "requiredQuantity")
           SELECT p.id, 'PART', 'ITEM-' || n, 1 FROM p, generate_series(1, 3) n"#,
        &[&id, &env.id(asm)],
    )
    .await
    .expect("checklist");
    assert_eq!(
        err(env
            .transition_with(asm, id, S::TestingComplete, S::PackagingComplete, None)
            .await),
        "Packaging incomplete: 3 item(s) not packed"
    );
    c.execute(
        r#"UPDATE "PackagingChecklist" SET "isCompleted" = true, "completedAt" = LOCALTIMESTAMP + interval '1 second'
           WHERE "orderId" = $1"#,
        &[&id],
    )
    .await
    .expect("complete checklist");
    row(env
        .transition_with(asm, id, S::TestingComplete, S::PackagingComplete, None)
        .await);
}

#[tokio::test]
async fn shipping_records_tracking_and_note() {
    let env = Floor::new().await;
    let id = env.one_build("PO-SHIP", "SHIP-1").await;
    env.force_status(id, S::ReadyForShip).await;
    let r = env
        .send(Request::Transition {
            token: env.token(Role::ProductionCoordinator),
            order_id: id,
            from: S::ReadyForShip,
            to: S::Shipped,
            note: lifecycle::pack_shipping("1Z999AA10123456784", "Dock 4, liftgate"),
            override_reason: None,
            password: Some(cleanstation::service::seed::DEMO_PASSWORD.into()),
        })
        .await;
    assert_eq!(row(r).status, S::Shipped);
    let d = env.detail(Role::ProductionCoordinator, id).await;
    assert_eq!(d.history[0].action, "SHIPPED");
    assert_eq!(
        d.history[0].notes.as_deref(),
        Some("Tracking: 1Z999AA10123456784; Dock 4, liftgate")
    );
    assert!(d.actions.is_empty());
}

// ------------------------------------------------------------------------------------------------
// Assignment
// ------------------------------------------------------------------------------------------------

#[tokio::test]
async fn assignment_fits_the_stage_notifies_and_binds_the_acting_rule() {
    let env = Floor::new().await;
    let id = env.one_build("PO-ASG", "ASG-1").await;
    env.force_bom_approved(id).await;
    let pc = Role::ProductionCoordinator;
    let priya = env.id(Role::ProcurementSpecialist);

    assert_eq!(
        err(env
            .assign(pc, id, S::OrderCreated, Some(env.id(Role::Assembler)))
            .await),
        "Luis Ortega is ASSEMBLER; an order in ORDER_CREATED can only be assigned to PROCUREMENT_SPECIALIST"
    );
    let r = row(env.assign(pc, id, S::OrderCreated, Some(priya)).await);
    assert_eq!(r.assignee.as_deref(), Some("Priya Shah"));
    let d = env.detail(pc, id).await;
    assert_eq!(d.history[0].action, "ASSIGNED");
    assert_eq!(d.history[0].notes.as_deref(), Some("to Priya Shah"));
    assert_eq!(
        (d.history[0].old_status, d.history[0].new_status),
        (Some(S::OrderCreated), S::OrderCreated)
    );
    let note = env
        .count(
            r#"SELECT count(*) FROM "SystemNotification" WHERE "userId" = $1 AND "type" = 'TASK_ASSIGNMENT'
               AND "title" = 'Order assigned to you'
               AND "message" = 'PO-ASG-ASG-1 (ORDER_CREATED) was assigned to you by Dana Reyes'
               AND "relatedEntityType" = 'ProductionOrder' AND "relatedEntityId" = $2"#,
            &[&priya, &id.to_string()],
        )
        .await;
    assert_eq!(note, 1);

    // A second procurement specialist is held off by the assignment (docs/lifecycle.md §1.3).
    add(&env.db, "procurement2", Role::ProcurementSpecialist).await;
    let other = login_ok(&env.ctx, "procurement2", PW).await;
    let refused = env
        .send(Request::Transition {
            token: other.token.clone(),
            order_id: id,
            from: S::OrderCreated,
            to: S::PartsSent,
            note: None,
            override_reason: None,
            password: None,
        })
        .await;
    assert_eq!(err(refused), "This order is assigned to Priya Shah");
    let other_detail = expect_reply(
        env.send(Request::OrderDetail {
            token: other.token.clone(),
            order_id: id,
        })
        .await,
        |r| match r {
            Reply::Order(d) => Some(d),
            _ => None,
        },
    );
    assert!(other_detail.actions.is_empty());

    // T1 keeps a procurement assignee; T2 clears them (docs/lifecycle.md §4.3) and says so.
    let r = row(env
        .transition_with(
            Role::ProcurementSpecialist,
            id,
            S::OrderCreated,
            S::PartsSent,
            None,
        )
        .await);
    assert_eq!(r.assignee.as_deref(), Some("Priya Shah"));
    let r = row(env
        .transition_with(
            Role::ProcurementSpecialist,
            id,
            S::PartsSent,
            S::ReadyForPreQc,
            None,
        )
        .await);
    assert_eq!(r.assignee, None);
    let d = env.detail(pc, id).await;
    assert_eq!(
        d.history[0].notes.as_deref(),
        Some("assignment to Priya Shah cleared")
    );

    // A stale expected status is a conflict; unassigning writes UNASSIGNED.
    assert!(matches!(
        env.assign(pc, id, S::PartsSent, Some(priya)).await,
        Err(ServiceError::Conflict(m)) if m.starts_with("Build ASG-1 is now READY_FOR_PRE_QC (changed by Priya Shah at ")
    ));
    let qc = env.id(Role::QcPerson);
    row(env
        .assign(Role::Admin, id, S::ReadyForPreQc, Some(qc))
        .await);
    let r = row(env.assign(pc, id, S::ReadyForPreQc, None).await);
    assert_eq!(r.assignee, None);
    let d = env.detail(pc, id).await;
    assert_eq!(d.history[0].action, "UNASSIGNED");
    assert_eq!(d.history[0].notes.as_deref(), Some("from Tom Becker"));

    env.force_status(id, S::ReadyForShip).await;
    assert_eq!(
        err(env.assign(pc, id, S::ReadyForShip, Some(priya)).await),
        "Orders in READY_FOR_SHIP cannot be assigned"
    );
    let users = expect_reply(
        env.send(Request::UsersWithRole {
            token: env.token(pc),
            role: Role::ProcurementSpecialist,
        })
        .await,
        |r| match r {
            Reply::Users(u) => Some(u),
            _ => None,
        },
    );
    let names: Vec<&str> = users.iter().map(|u| u.full_name.as_str()).collect();
    assert_eq!(names, ["Priya Shah", "Test procurement2"]);
}

// ------------------------------------------------------------------------------------------------
// Editing, drafts
// ------------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_build_edit_regenerates_the_bom_until_parts_are_sent() {
    let env = Floor::new().await;
    let id = env.one_build("PO-EDIT", "EDIT-1").await;
    env.force_bom_approved(id).await;
    let mut b = build("EDIT-1");
    b.sink_length = 72;
    b.accessories = vec![AccessoryLine {
        assembly_id: "T-OA-MNT-ARM".into(),
        quantity: 1,
    }];
    row(env
        .send(Request::UpdateBuild {
            token: env.token(Role::ProductionCoordinator),
            order_id: id,
            build: Box::new(b.clone()),
        })
        .await);
    let d = env.detail(Role::ProductionCoordinator, id).await;
    assert_eq!(d.build.sink_length, 72);
    assert_eq!(d.build.accessories.len(), 1);
    let bom = d.bom.expect("bom");
    assert_eq!((bom.version, bom.status.as_str()), (2, "DRAFT"));
    assert_eq!(d.history[0].action, "CONFIG_UPDATED");
    assert_eq!(
        d.history[0].notes.as_deref(),
        Some("Changed: sinkLength 60 -> 72, accessories; BOM version 2")
    );
    assert_eq!(
        env.count(
            r#"SELECT count(*) FROM "BillOfMaterials" WHERE "orderId" = $1 AND status = 'SUPERSEDED'"#,
            &[&id]
        )
        .await,
        1,
        "the approved version 1 is superseded"
    );
    // The approval went with the old version.
    assert_eq!(
        err(env
            .transition_with(
                Role::ProcurementSpecialist,
                id,
                S::OrderCreated,
                S::PartsSent,
                None
            )
            .await),
        "Approve the current BOM (version 2) first"
    );
    let mut renamed = b.clone();
    renamed.build_number = "EDIT-2".into();
    assert_eq!(
        err(env
            .send(Request::UpdateBuild {
                token: env.token(Role::Admin),
                order_id: id,
                build: Box::new(renamed),
            })
            .await),
        "Build numbers cannot be changed"
    );
    env.force_status(id, S::PartsSent).await;
    b.sink_length = 80;
    assert_eq!(
        err(env
            .send(Request::UpdateBuild {
                token: env.token(Role::Admin),
                order_id: id,
                build: Box::new(b),
            })
            .await),
        "Build EDIT-1 is now PARTS_SENT; its configuration can no longer be changed"
    );
}

#[tokio::test]
async fn wizard_drafts_are_kept_per_user() {
    let env = Floor::new().await;
    let pc = Role::ProductionCoordinator;
    let context = |role: Role| {
        let env = &env;
        async move {
            expect_reply(
                env.send(Request::WizardContext {
                    token: env.token(role),
                })
                .await,
                |r| match r {
                    Reply::WizardContext(c) => Some(c),
                    _ => None,
                },
            )
        }
    };
    assert_eq!(context(pc).await.draft, None);
    for step in [1, 2] {
        env.send(Request::SaveDraft {
            token: env.token(pc),
            draft: serde_json::json!({ "step": step }),
        })
        .await
        .expect("saved");
    }
    assert_eq!(
        context(pc).await.draft,
        Some(serde_json::json!({"step": 2}))
    );
    assert_eq!(
        context(Role::Admin).await.draft,
        None,
        "drafts are personal"
    );
    assert_eq!(
        env.count(r#"SELECT count(*) FROM "OrderDraft""#, &[]).await,
        1
    );
    env.send(Request::DiscardDraft {
        token: env.token(pc),
    })
    .await
    .expect("discarded");
    assert_eq!(context(pc).await.draft, None);
}

// ------------------------------------------------------------------------------------------------
// Queue
// ------------------------------------------------------------------------------------------------

/// 120 builds across every status, four customers and 37 want dates (plenty of ties), some assigned.
async fn seed_queue(env: &Floor, second_assembler: Uuid) {
    env.db
        .client()
        .await
        .execute(
            r#"INSERT INTO "ProductionOrder" ("poNumber", "buildNumber", "customerName", "salesPerson",
                   "wantDate", "sinkFamily", "sinkModel", "sinkWidth", "sinkLength", "legsType",
                   "legsModel", "feetType", "workflowDirection", "orderStatus", "currentAssigneeId")
               SELECT 'QPO-' || (g / 4), 'QB-' || lpad(g::text, 4, '0'),
                      (ARRAY['Mercy General', 'St. Anne 50% Clinic', 'Lakeside Medical', 'North Valley'])[1 + g % 4],
                      'Sam Sales', CURRENT_DATE + (g % 37) - 12, 'MDRD',
                      (ARRAY['T2-B1', 'T2-B2', 'T2-B3'])[1 + g % 3], 30, 60, 'FIXED_HEIGHT', 'DL14',
                      'SS_ADJUSTABLE_SEISMIC_FEET', 'LEFT_TO_RIGHT',
                      (enum_range(NULL::"OrderStatus"))[1 + g % 9],
                      CASE WHEN g % 9 IN (3, 4, 5) THEN
                          CASE g % 3 WHEN 0 THEN $1::uuid WHEN 1 THEN $2::uuid END
                      END
               FROM generate_series(1, 120) g"#,
            &[&env.id(Role::Assembler), &second_assembler],
        )
        .await
        .expect("queue rows");
}

async fn all_pages(env: &Floor, token: &str, mut q: OrderQuery) -> Vec<OrderRow> {
    let mut out = Vec::new();
    loop {
        let page = env.list_orders(token, q.clone()).await.expect("page");
        assert!(page.rows.len() <= q.limit as usize);
        out.extend(page.rows);
        match page.next {
            Some(c) => q.after = Some(c),
            None => return out,
        }
    }
}

fn ids(rows: &[OrderRow]) -> Vec<Uuid> {
    rows.iter().map(|r| r.id).collect()
}

async fn expected_ids(env: &Floor, where_sql: &str, order_sql: &str) -> Vec<Uuid> {
    // The clauses are this test's own literals.
    let sql = format!(
        r#"SELECT po.id FROM "ProductionOrder" po LEFT JOIN "User" u ON u.id = po."currentAssigneeId"
           WHERE {where_sql} ORDER BY {order_sql}"#
    );
    env.db
        .client()
        .await
        .query(&sql, &[])
        .await
        .expect("expected ids")
        .iter()
        .map(|r| r.get(0))
        .collect()
}

#[tokio::test]
async fn the_queue_views_filters_and_keyset_pages() {
    let env = Floor::new().await;
    let asm2 = add(&env.db, "assembler2", Role::Assembler).await;
    seed_queue(&env, asm2.id).await;
    let all = |view| OrderQuery {
        view,
        limit: 500,
        ..OrderQuery::default()
    };

    // Views: the role's own work, and everything.
    let everything = expected_ids(&env, "true", r#"po."wantDate", po.id"#).await;
    assert_eq!(everything.len(), 120);
    for (role, where_sql) in [
        (Role::ProductionCoordinator, "true"),
        (Role::Admin, "true"),
        (
            Role::ProcurementSpecialist,
            r#"po."orderStatus" IN ('ORDER_CREATED', 'PARTS_SENT')"#,
        ),
        (
            Role::QcPerson,
            r#"po."orderStatus" IN ('READY_FOR_PRE_QC', 'READY_FOR_FINAL_QC')"#,
        ),
    ] {
        let got = all_pages(&env, &env.token(role), all(QueueView::MyWork)).await;
        let want = expected_ids(&env, where_sql, r#"po."wantDate", po.id"#).await;
        assert_eq!(ids(&got), want, "my work of {role}");
        let got = all_pages(&env, &env.token(role), all(QueueView::All)).await;
        assert_eq!(ids(&got), everything, "everything for {role}");
    }
    let mine = all_pages(&env, &env.token(Role::Assembler), all(QueueView::MyWork)).await;
    let asm_where = format!(
        r#"po."orderStatus" IN ('READY_FOR_PRODUCTION', 'TESTING_COMPLETE', 'PACKAGING_COMPLETE')
           AND (po."currentAssigneeId" IS NULL OR po."currentAssigneeId" = '{}')"#,
        env.id(Role::Assembler)
    );
    let want = expected_ids(&env, &asm_where, r#"po."wantDate", po.id"#).await;
    assert!(!want.is_empty());
    assert_eq!(ids(&mine), want);
    assert!(
        mine.iter()
            .all(|r| r.assignee.is_none() || r.assignee.as_deref() == Some("Luis Ortega"))
    );

    // Search: case-insensitive substrings of customer, PO and build number; wildcards are literal.
    for (text, where_sql) in [
        ("mercy", r#"po."customerName" = 'Mercy General'"#),
        ("qb-001", r#"po."buildNumber" LIKE 'QB-001%'"#),
        ("qpo-2", r#"po."poNumber" LIKE 'QPO-2%'"#),
        ("50%", r#"po."customerName" LIKE 'St. Anne%'"#),
        ("_", "false"),
    ] {
        let q = OrderQuery {
            view: QueueView::All,
            search: format!("  {text} "),
            limit: 500,
            ..OrderQuery::default()
        };
        let got = all_pages(&env, &env.token(Role::QcPerson), q).await;
        let want = expected_ids(&env, where_sql, r#"po."wantDate", po.id"#).await;
        assert_eq!(ids(&got), want, "search {text:?}");
    }

    // Status and due filters.
    let q = OrderQuery {
        view: QueueView::All,
        status: Some(S::ReadyForProduction),
        limit: 500,
        ..OrderQuery::default()
    };
    let got = all_pages(&env, &env.token(Role::ProductionCoordinator), q).await;
    let want = expected_ids(
        &env,
        r#"po."orderStatus" = 'READY_FOR_PRODUCTION'"#,
        r#"po."wantDate", po.id"#,
    )
    .await;
    assert_eq!(ids(&got), want);
    for (due, where_sql) in [
        (
            DueFilter::Overdue,
            r#"po."wantDate" < CURRENT_DATE AND po."orderStatus" <> 'SHIPPED'"#,
        ),
        (
            DueFilter::DueSoon,
            r#"po."wantDate" BETWEEN CURRENT_DATE AND CURRENT_DATE + 7 AND po."orderStatus" <> 'SHIPPED'"#,
        ),
    ] {
        let q = OrderQuery {
            view: QueueView::All,
            due,
            limit: 500,
            ..OrderQuery::default()
        };
        let got = all_pages(&env, &env.token(Role::ProductionCoordinator), q).await;
        let want = expected_ids(&env, where_sql, r#"po."wantDate", po.id"#).await;
        assert!(!want.is_empty());
        assert_eq!(ids(&got), want, "{due:?}");
        if due == DueFilter::Overdue {
            assert!(got.iter().all(|r| r.days_left < 0));
        }
    }

    // Keyset pages: every sort, both directions, pages of 7 that neither overlap nor skip.
    for (sort, expr) in [
        (SortKey::PoNumber, r#"po."poNumber""#),
        (SortKey::BuildNumber, r#"po."buildNumber""#),
        (SortKey::Customer, r#"po."customerName""#),
        (SortKey::Model, r#"po."sinkModel""#),
        (SortKey::Status, r#"po."orderStatus""#),
        (SortKey::WantDate, r#"po."wantDate""#),
        (SortKey::Assignee, r#"COALESCE(u."fullName", '')"#),
    ] {
        for descending in [false, true] {
            let q = OrderQuery {
                view: QueueView::All,
                sort,
                descending,
                limit: 7,
                ..OrderQuery::default()
            };
            let got = all_pages(&env, &env.token(Role::ProductionCoordinator), q).await;
            let dir = if descending { "DESC" } else { "ASC" };
            let want = expected_ids(&env, "true", &format!("{expr} {dir}, po.id {dir}")).await;
            assert_eq!(ids(&got), want, "{sort:?} descending={descending}");
        }
    }

    // A cursor from another sort is refused rather than misread.
    let first = env
        .list_orders(
            &env.token(Role::ProductionCoordinator),
            OrderQuery {
                view: QueueView::All,
                limit: 5,
                ..OrderQuery::default()
            },
        )
        .await
        .expect("first page");
    let stale = OrderQuery {
        view: QueueView::All,
        sort: SortKey::Customer,
        after: first.next.clone(),
        limit: 5,
        ..OrderQuery::default()
    };
    assert_eq!(
        env.list_orders(&env.token(Role::ProductionCoordinator), stale)
            .await
            .map(|_| ()),
        Err(ServiceError::Invalid(STALE_CURSOR.into()))
    );
    // days_left counts from the database's today.
    let today: chrono::NaiveDate = env
        .db
        .client()
        .await
        .query_one("SELECT CURRENT_DATE", &[])
        .await
        .expect("today")
        .get(0);
    for r in &first.rows {
        assert_eq!(
            i64::from(r.days_left),
            (r.want_date - today).num_days(),
            "{}",
            r.build_number
        );
    }
}

// ------------------------------------------------------------------------------------------------
// Schema
// ------------------------------------------------------------------------------------------------

#[tokio::test]
async fn order_draft_table_triggers_and_queue_indexes_exist() {
    let db = TestDb::new().await;
    let c = db.client().await;
    let cols: Vec<String> = c
        .query(
            r#"SELECT column_name::text FROM information_schema.columns
               WHERE table_schema = current_schema() AND table_name = 'OrderDraft' ORDER BY ordinal_position"#,
            &[],
        )
        .await
        .expect("columns")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(cols, ["id", "userId", "data", "createdAt", "updatedAt"]);
    let constraints: Vec<String> = c
        .query(
            r#"SELECT conname::text FROM pg_constraint WHERE conrelid = '"OrderDraft"'::regclass ORDER BY 1"#,
            &[],
        )
        .await
        .expect("constraints")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(
        constraints,
        [
            "OrderDraft_pkey",
            "fk_order_draft_user",
            "uk_order_draft_user"
        ]
    );
    let triggers: Vec<String> = c
        .query(
            r#"SELECT tgname::text FROM pg_trigger WHERE tgrelid = '"OrderDraft"'::regclass
               AND NOT tgisinternal ORDER BY 1"#,
            &[],
        )
        .await
        .expect("triggers")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(
        triggers,
        [
            "audit_delete",
            "audit_insert",
            "audit_update",
            "update_order_draft_timestamp"
        ]
    );
    let trgm: i64 = c
        .query_one(
            "SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'",
            &[],
        )
        .await
        .expect("extension")
        .get(0);
    assert_eq!(trgm, 1);
    for index in [
        "idx_order_queue_want_date",
        "idx_order_queue_po_number",
        "idx_order_queue_build_number",
        "idx_order_queue_customer",
        "idx_order_queue_model",
        "idx_order_queue_status",
        "idx_order_view_procurement",
        "idx_order_view_qc",
        "idx_order_view_assembler",
        "idx_order_view_open",
        "idx_order_view_order_created",
        "idx_order_view_parts_sent",
        "idx_order_view_ready_for_pre_qc",
        "idx_order_view_ready_for_production",
        "idx_order_view_testing_complete",
        "idx_order_view_packaging_complete",
        "idx_order_view_ready_for_final_qc",
        "idx_order_view_ready_for_ship",
        "idx_order_search_po_number",
        "idx_order_search_build_number",
        "idx_order_search_customer",
    ] {
        let n: i64 = c
            .query_one(
                "SELECT count(*) FROM pg_indexes WHERE tablename = 'ProductionOrder' AND indexname = $1",
                &[&index],
            )
            .await
            .expect("index")
            .get(0);
        assert_eq!(n, 1, "{index}");
    }
    // A deleted user takes their draft along.
    c.batch_execute(
        r#"INSERT INTO "User" (id, "username", "passwordHash", "fullName", "initials", "role")
           VALUES ('00000000-0000-0000-0000-0000000000d1', 'drafter', 'x', 'Drafter', 'DR', 'PRODUCTION_COORDINATOR');
           INSERT INTO "OrderDraft" ("userId", "data") VALUES ('00000000-0000-0000-0000-0000000000d1', '{}');
           DELETE FROM "User" WHERE "username" = 'drafter';"#,
    )
    .await
    .expect("cascade");
    let left: i64 = c
        .query_one(r#"SELECT count(*) FROM "OrderDraft""#, &[])
        .await
        .expect("drafts")
        .get(0);
    assert_eq!(left, 0);
}
