//! The inventory as the browser loads it, and where an item is used in open builds.

use crate::auth::{expect_reply, send};
use crate::floor::Floor;
use cleanstation::db::{Actor, begin_as, inventory};
use cleanstation::domain::Role;
use cleanstation::domain::catalog::{AssemblyType, ComponentType, PartType};
use cleanstation::domain::inventory::{BuildUse, Inventory};
use cleanstation::domain::order::{
    BasinConfig, BasinType, BuildConfig, CreatedOrder, DocumentLanguage, FeetType, LegsType,
    NewOrder, OrderHeader, OrderStatus,
};
use cleanstation::error::ServiceError;
use cleanstation::msg::{Reply, Request};
use rust_decimal::Decimal;
use uuid::Uuid;

impl Floor {
    async fn where_used(&self, role: Role, item_id: &str) -> Result<Reply, ServiceError> {
        send(
            &self.ctx,
            Request::WhereUsed {
                token: self.token(role),
                item_id: item_id.into(),
            },
        )
        .await
    }

    async fn uses(&self, item_id: &str) -> Vec<BuildUse> {
        expect_reply(
            self.where_used(Role::ProcurementSpecialist, item_id).await,
            |r| match r {
                Reply::WhereUsed(v) => Some(v),
                _ => None,
            },
        )
    }
}

pub(crate) fn build(number: &str) -> BuildConfig {
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

fn order(po: &str, want: (i32, u32, u32), builds: &[&str]) -> NewOrder {
    NewOrder {
        header: OrderHeader {
            po_number: po.into(),
            customer_name: "Mercy General Hospital".into(),
            project_name: None,
            sales_person: "Jo Sales".into(),
            want_date: chrono::NaiveDate::from_ymd_opt(want.0, want.1, want.2).expect("date"),
            order_language: DocumentLanguage::En,
            notes: None,
        },
        builds: builds.iter().map(|b| build(b)).collect(),
        attachments: Vec::new(),
    }
}

#[tokio::test]
async fn load_gives_the_whole_shipped_catalog_to_every_role() {
    let env = Floor::new().await;
    for role in [Role::ServiceDepartment, Role::Assembler] {
        let inv: Inventory = *expect_reply(
            send(
                &env.ctx,
                Request::Inventory {
                    token: env.token(role),
                },
            )
            .await,
            |r| match r {
                Reply::Inventory(i) => Some(i),
                _ => None,
            },
        );
        assert_eq!(inv.parts.len(), 286);
        assert_eq!(inv.assemblies.len(), 318);
        assert_eq!(inv.links.len(), 841);
        assert_eq!(inv.categories.len(), 52);
        assert_eq!(
            inv.categories.iter().filter(|c| c.level == 0).count(),
            6,
            "top-level categories"
        );
        let supplementary = inv
            .parts
            .iter()
            .find(|p| p.id == "T2-ANTI-FATIGUE-MAT")
            .expect("supplementary part");
        assert!(supplementary.description.is_some());
        assert!(supplementary.updated_at.is_some());
        let gromet = inv
            .parts
            .iter()
            .find(|p| p.id == "2783")
            .expect("part 2783");
        assert_eq!(gromet.manufacturer_part_number.as_deref(), Some("2783"));
        assert_eq!(gromet.manufacturer_info.as_deref(), Some("MCMASTER"));
        assert_eq!(gromet.part_type, PartType::Component);
        let ctrl = inv
            .assemblies
            .iter()
            .find(|a| a.id == "T2-CTRL-EDR1")
            .expect("assembly T2-CTRL-EDR1");
        assert_eq!(ctrl.assembly_type, AssemblyType::ServicePart);
        assert_eq!(ctrl.subcategory_code.as_deref(), Some("719.016"));
        // Links keep each parent's sequence.
        let first: Vec<(&str, i32)> = inv
            .links
            .iter()
            .filter(|l| l.parent_id == "T2-CTRL-EDR1")
            .take(4)
            .map(|l| (l.child_id.as_str(), l.quantity))
            .collect();
        assert_eq!(
            first,
            vec![
                ("Q13404-02", 1),
                ("PW-105R3-06", 1),
                ("4995", 1),
                ("T2-M8-3P-MP-STR-0.61M", 5)
            ]
        );
        // The files name every child by `part_id`; R10 decides what it is when browsing.
        assert!(
            inv.links
                .iter()
                .all(|l| l.child_type == ComponentType::Part)
        );
    }
    // The direct read agrees with the service.
    let client = env.db.client().await;
    let direct = inventory::load(&client).await.expect("load");
    assert_eq!(direct.links.len(), 841);
}

#[tokio::test]
async fn build_uses_lists_open_builds_current_boms_with_summed_quantities() {
    let env = Floor::new().await;
    let create = |o: NewOrder| {
        let ctx = env.ctx.clone();
        let token = env.token(Role::ProductionCoordinator);
        async move {
            expect_reply(
                send(
                    &ctx,
                    Request::CreateOrder {
                        token,
                        order: Box::new(o),
                    },
                )
                .await,
                |r| match r {
                    Reply::OrderCreated(c) => Some(c),
                    _ => None,
                },
            )
        }
    };
    let first: CreatedOrder = create(order("PO-INV-1", (2099, 6, 1), &["B-2", "B-1"])).await;
    let later: CreatedOrder = create(order("PO-INV-2", (2099, 1, 1), &["B-9"])).await;
    let shipped: CreatedOrder = create(order("PO-INV-3", (2098, 1, 1), &["B-0"])).await;
    let id_of = |c: &CreatedOrder, b: &str| {
        c.builds
            .iter()
            .find(|(_, n)| n == b)
            .map(|(id, _)| *id)
            .expect("build id")
    };
    let (b1, b2, b9, b0) = (
        id_of(&first, "B-1"),
        id_of(&first, "B-2"),
        id_of(&later, "B-9"),
        id_of(&shipped, "B-0"),
    );

    let coordinator = env.id(Role::ProductionCoordinator);
    let mut client = env.db.client().await;
    let tx = begin_as(&mut client, &Actor::system("test-inventory"))
        .await
        .expect("begin");
    let bom_of = |id: Uuid| {
        let tx = &tx;
        async move {
            let bom: Uuid = tx
                .query_one(
                    r#"SELECT "bomId" FROM "ProductionOrder" WHERE id = $1"#,
                    &[&id],
                )
                .await
                .expect("build")
                .get(0);
            bom
        }
    };
    let bom1 = bom_of(b1).await;
    // A part and an assembly of the build's BOM, with their quantities in it.
    let pick = |kind: &'static str| {
        let tx = &tx;
        async move {
            let r = tx
                .query_one(
                    r#"SELECT "itemId", SUM("quantity") FROM "BOMItem"
                        WHERE "bomId" = $1 AND "itemType" = $2::text::"ComponentType"
                        GROUP BY "itemId" ORDER BY "itemId" LIMIT 1"#,
                    &[&bom1, &kind],
                )
                .await
                .expect("an item of that type");
            (r.get::<_, String>(0), r.get::<_, Decimal>(1))
        }
    };
    let (part, part_qty) = pick("PART").await;
    let (assembly, assembly_qty) = pick("ASSEMBLY").await;
    // One more occurrence of the part deeper in build B-1's BOM: the quantities add up.
    tx.execute(
        r#"INSERT INTO "BOMItem" ("bomId", "itemType", "itemId", "quantity", "level")
           VALUES ($1, 'PART', $2, 3, 2)"#,
        &[&bom1, &part],
    )
    .await
    .expect("extra occurrence");
    // An old version of B-2 that lists the part a hundred times does not count: only the current BOM.
    let old: Uuid = tx
        .query_one(
            r#"INSERT INTO "BillOfMaterials" ("orderId", "version", "generatedBy", "status")
               VALUES ($1, 99, $2, 'SUPERSEDED') RETURNING id"#,
            &[&b2, &coordinator],
        )
        .await
        .expect("old version")
        .get(0);
    tx.execute(
        r#"INSERT INTO "BOMItem" ("bomId", "itemType", "itemId", "quantity", "level")
           VALUES ($1, 'PART', $2, 100, 0)"#,
        &[&old, &part],
    )
    .await
    .expect("old item");
    tx.execute(
        r#"UPDATE "ProductionOrder" SET "orderStatus" = 'SHIPPED' WHERE id = $1"#,
        &[&b0],
    )
    .await
    .expect("ship");
    tx.commit().await.expect("commit");

    let uses = env.uses(&part).await;
    let rows: Vec<(Uuid, &str, &str, OrderStatus, i32, Decimal)> = uses
        .iter()
        .map(|u| {
            (
                u.order_id,
                u.po_number.as_str(),
                u.build_number.as_str(),
                u.status,
                u.bom_version,
                u.quantity,
            )
        })
        .collect();
    // By want date (PO-INV-2 first), then build number; the shipped build is left out.
    assert_eq!(
        rows,
        vec![
            (
                b9,
                "PO-INV-2",
                "B-9",
                OrderStatus::OrderCreated,
                1,
                part_qty
            ),
            (
                b1,
                "PO-INV-1",
                "B-1",
                OrderStatus::OrderCreated,
                1,
                part_qty + Decimal::from(3)
            ),
            (
                b2,
                "PO-INV-1",
                "B-2",
                OrderStatus::OrderCreated,
                1,
                part_qty
            ),
        ]
    );
    assert_eq!(
        uses[0].want_date,
        chrono::NaiveDate::from_ymd_opt(2099, 1, 1).expect("date")
    );

    // Either twin form of an assembly finds the same builds.
    let plain = env.uses(&assembly).await;
    let twin = env.uses(&format!("ASSY-{assembly}")).await;
    assert_eq!(plain, twin);
    assert_eq!(plain.len(), 3);
    assert!(plain.iter().all(|u| u.quantity == assembly_qty));

    assert!(env.uses("NO-SUCH-ITEM").await.is_empty());
}

#[tokio::test]
async fn the_service_department_is_refused_build_uses() {
    let env = Floor::new().await;
    match env.where_used(Role::ServiceDepartment, "2783").await {
        Err(ServiceError::Forbidden(m)) => assert!(m.contains("SERVICE_DEPARTMENT"), "{m}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    match env.where_used(Role::Assembler, "   ").await {
        Err(ServiceError::Invalid(_)) => {}
        other => panic!("expected a refusal, got {other:?}"),
    }
    match env.where_used(Role::Assembler, &"X".repeat(51)).await {
        Err(ServiceError::Invalid(_)) => {}
        other => panic!("expected a refusal, got {other:?}"),
    }
    match send(
        &env.ctx,
        Request::WhereUsed {
            token: "not-a-session".into(),
            item_id: "2783".into(),
        },
    )
    .await
    {
        Err(ServiceError::SessionEnded(_)) => {}
        other => panic!("expected the session to end, got {other:?}"),
    }
}
