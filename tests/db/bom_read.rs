//! Reading stored BOM versions back: versions newest first with the current one flagged, items in order
//! with parents, levels and names, totals that agree with the engine, and who may read them.

use crate::auth::{ctx, send};
use crate::support::TestDb;
use cleanstation::db::bom::{document, load_catalog_index, versions, write_version};
use cleanstation::db::{Actor, begin_as};
use cleanstation::domain::Role;
use cleanstation::domain::bom::{BomStatus, GeneratedBom, ItemType, generate};
use cleanstation::domain::order::{BuildConfig, DocumentLanguage};
use cleanstation::error::ServiceError;
use cleanstation::msg::{Reply, Request};
use cleanstation::service::seed::{DEMO_PASSWORD, DEMO_USERS, seed_demo};
use rust_decimal::Decimal;
use serde_json::json;
use uuid::Uuid;

/// A T2-B2 with a custom pegboard, a custom basin and the pull-out shelf (an `ASSY-` twin).
fn build(custom: bool) -> BuildConfig {
    serde_json::from_value(json!({
        "buildNumber": "B-R1", "sinkFamily": "MDRD", "sinkModel": "T2-B2", "sinkWidth": 30, "sinkLength": 72,
        "legsType": "HEIGHT_ADJUSTABLE", "legsModel": "DL27", "feetType": "LOCK_LEVELING_CASTERS",
        "hasPegboard": true, "pegboardColor": "BLUE", "pegboardType": "SOLID",
        "pegboardSizeType": if custom { "CUSTOM" } else { "SAME_AS_SINK" },
        "pegboardWidth": if custom { json!(80) } else { json!(null) },
        "pegboardLength": if custom { json!(30) } else { json!(null) },
        "basins": [
            {"basinIndex": 1, "basinType": "E_SINK", "basinWidth": 24, "basinLength": 20, "basinDepth": 10},
            {"basinIndex": 2, "basinType": "E_DRAIN", "basinWidth": if custom { 26 } else { 24 },
             "basinLength": 20, "basinDepth": 10, "isCustomSize": custom}],
        "faucets": [{"faucetType": "WRIST_BLADE_SWING_SPOUT", "quantity": 1, "placement": "BETWEEN_BASINS"}],
        "accessories": [{"assemblyId": "T2-OA-PO-SHLF-1212", "quantity": 2}]
    }))
    .expect("valid build")
}

struct Fixture {
    db: TestDb,
    order: Uuid,
    /// (bom id, generated BOM) of versions 1 and 2.
    v1: (Uuid, GeneratedBom),
    v2: (Uuid, GeneratedBom),
    /// A build row without any BOM.
    bare: Uuid,
}

async fn insert_order(tx: &deadpool_postgres::Transaction<'_>, build_number: &str) -> Uuid {
    tx.query_one(
        r#"INSERT INTO "ProductionOrder"
               ("poNumber", "buildNumber", "customerName", "salesPerson", "wantDate", "sinkFamily",
                "sinkModel", "sinkWidth", "sinkLength", "legsType", "legsModel", "feetType",
                "workflowDirection")
           VALUES ('PO-READ-1', $1, 'Read Hospital', 'Jo Sales', CURRENT_DATE + 30, 'MDRD', 'T2-B2', 30, 72,
                   'HEIGHT_ADJUSTABLE', 'DL27', 'LOCK_LEVELING_CASTERS', 'LEFT_TO_RIGHT')
           RETURNING id"#,
        &[&build_number],
    )
    .await
    .expect("insert build")
    .get(0)
}

async fn fixture() -> Fixture {
    let db = TestDb::new().await;
    seed_demo(&db.owner, &Actor::system("test-bom-read"))
        .await
        .expect("seed");
    let mut client = db.client().await;
    let coordinator: Uuid = client
        .query_one(
            r#"SELECT id FROM "User" WHERE "username" = 'coordinator'"#,
            &[],
        )
        .await
        .expect("demo user")
        .get(0);
    let tx = begin_as(&mut client, &Actor::system("test-bom-read"))
        .await
        .expect("begin");
    let order = insert_order(&tx, "B-R1").await;
    let bare = insert_order(&tx, "B-R2").await;
    let index = load_catalog_index(&tx).await.expect("index");
    let first = generate(DocumentLanguage::En, &build(false), &index).expect("generates");
    let second = generate(DocumentLanguage::En, &build(true), &index).expect("generates");
    let (id1, _) = write_version(&tx, order, &first, coordinator)
        .await
        .expect("v1");
    let (id2, _) = write_version(&tx, order, &second, coordinator)
        .await
        .expect("v2");
    tx.commit().await.expect("commit");
    drop(client);
    Fixture {
        db,
        order,
        v1: (id1, first),
        v2: (id2, second),
        bare,
    }
}

#[tokio::test]
async fn versions_newest_first_and_documents_in_order() {
    let f = fixture().await;
    let client = f.db.client().await;
    let list = versions(&client, f.order)
        .await
        .expect("read")
        .expect("the build exists");
    assert_eq!(list.header.build_number, "B-R1");
    let summary: Vec<(i32, BomStatus, bool)> = list
        .versions
        .iter()
        .map(|v| (v.version, v.status, v.current))
        .collect();
    assert_eq!(
        summary,
        vec![
            (2, BomStatus::Draft, true),
            (1, BomStatus::Superseded, false)
        ]
    );
    assert_eq!(list.versions[0].id, f.v2.0);
    assert_eq!(list.versions[0].generated_by, "Dana Reyes");
    assert!(list.versions[0].generated_at.is_some());
    assert_eq!(list.versions[0].notes, f.v2.1.notes);

    // None reads the current version; an explicit id reads that one.
    for (bom_id, (id, generated)) in [(None, &f.v2), (Some(f.v1.0), &f.v1)] {
        let doc = document(&client, f.order, bom_id)
            .await
            .expect("read")
            .expect("the version exists");
        assert_eq!(doc.version.id, *id);
        assert_eq!(doc.items.len(), generated.nodes.len());
        for (item, node) in doc.items.iter().zip(&generated.nodes) {
            assert_eq!(item.item_id, node.id);
            assert_eq!(item.parent, node.parent, "{}", node.id);
            assert_eq!(item.level, node.level, "{}", node.id);
            assert_eq!(item.item_type, node.item_type, "{}", node.id);
            assert_eq!(item.quantity, Decimal::from(node.quantity), "{}", node.id);
            // Catalog names, custom descriptions and ASSY- twins all resolve to the engine's name.
            assert_eq!(item.name, node.name, "{}", node.id);
        }
        // The flattened totals agree with the engine's.
        let totals: Vec<(String, Decimal)> = doc
            .flattened()
            .into_iter()
            .map(|l| (l.item_id, l.quantity))
            .collect();
        let engine: Vec<(String, Decimal)> = generated
            .flattened()
            .into_iter()
            .map(|(id, q)| (id, Decimal::from(q)))
            .collect();
        assert_eq!(totals, engine);
    }

    let current = document(&client, f.order, None)
        .await
        .expect("read")
        .expect("current");
    let custom: Vec<&str> = current
        .items
        .iter()
        .filter(|i| i.is_custom)
        .map(|i| i.name.as_str())
        .collect();
    assert_eq!(custom.len(), 2, "{custom:?}");
    assert!(custom.iter().any(|n| n.starts_with("CUSTOM BASIN")));
    // The shelf is stored by its canonical id; its name comes from the ASSY- twin.
    let shelf = current
        .items
        .iter()
        .find(|i| i.item_id == "T2-OA-PO-SHLF-1212" && i.item_type == ItemType::Assembly)
        .expect("the shelf assembly");
    let twin: i64 = client
        .query_one(
            r#"SELECT COUNT(*) FROM "Assembly" WHERE id = 'ASSY-T2-OA-PO-SHLF-1212'"#,
            &[],
        )
        .await
        .expect("count")
        .get(0);
    assert_eq!(twin, 1);
    assert!(!shelf.name.is_empty() && shelf.name != "(not in the catalog)");

    assert!(
        document(&client, f.order, Some(Uuid::new_v4()))
            .await
            .expect("read")
            .is_none()
    );
    assert!(
        versions(&client, Uuid::new_v4())
            .await
            .expect("read")
            .is_none()
    );
}

#[tokio::test]
async fn the_service_applies_the_view_rule() {
    let f = fixture().await;
    let ctx = ctx(&f.db);
    let mut tokens = Vec::new();
    for (username, _, _, role) in DEMO_USERS {
        let session = crate::auth::login_ok(&ctx, username, DEMO_PASSWORD).await;
        tokens.push((role, session.token));
    }
    for (role, token) in &tokens {
        let list = send(
            &ctx,
            Request::BomVersions {
                token: token.clone(),
                order_id: f.order,
            },
        )
        .await;
        let doc = send(
            &ctx,
            Request::BomDocument {
                token: token.clone(),
                order_id: f.order,
                bom_id: None,
            },
        )
        .await;
        if *role == Role::ServiceDepartment {
            assert!(matches!(list, Err(ServiceError::Forbidden(_))), "{list:?}");
            assert!(matches!(doc, Err(ServiceError::Forbidden(_))), "{doc:?}");
        } else {
            assert!(
                matches!(&list, Ok(Reply::BomVersions(l)) if l.versions.len() == 2),
                "{role}: {list:?}"
            );
            assert!(
                matches!(&doc, Ok(Reply::BomDocument(d)) if d.version.version == 2),
                "{role}"
            );
        }
    }

    let token = tokens
        .iter()
        .find(|(r, _)| *r == Role::ProcurementSpecialist)
        .map(|(_, t)| t.clone())
        .expect("procurement");
    let unknown = Uuid::new_v4();
    let r = send(
        &ctx,
        Request::BomVersions {
            token: token.clone(),
            order_id: unknown,
        },
    )
    .await;
    assert!(matches!(r, Err(ServiceError::NotFound(_))), "{r:?}");
    let r = send(
        &ctx,
        Request::BomDocument {
            token: token.clone(),
            order_id: unknown,
            bom_id: None,
        },
    )
    .await;
    assert!(matches!(r, Err(ServiceError::NotFound(_))), "{r:?}");
    let r = send(
        &ctx,
        Request::BomDocument {
            token: token.clone(),
            order_id: f.bare,
            bom_id: None,
        },
    )
    .await;
    assert_eq!(r, Err(ServiceError::NoBom));
    let r = send(
        &ctx,
        Request::BomDocument {
            token: token.clone(),
            order_id: f.order,
            bom_id: Some(Uuid::new_v4()),
        },
    )
    .await;
    assert!(matches!(r, Err(ServiceError::NotFound(_))), "{r:?}");
    // A version of another build is not found through this one.
    let r = send(
        &ctx,
        Request::BomDocument {
            token,
            order_id: f.bare,
            bom_id: Some(f.v1.0),
        },
    )
    .await;
    assert!(matches!(r, Err(ServiceError::NotFound(_))), "{r:?}");
}
