//! BOM versions against a real database: stored nodes match the generated tree, versions supersede each
//! other, a 300-node BOM is stored whole (or not at all), the accessory list, and the database catalog
//! index agrees with the shipped files.

use crate::support::TestDb;
use cleanstation::db::bom::{
    accessories, document, load_catalog_index, preview, summary, write_version,
};
use cleanstation::db::{Actor, GenericClient, begin_as};
use cleanstation::domain::bom::{
    ACCESSORIES, BomError, BomNode, BomStatus, CatalogIndex, GeneratedBom, ItemType, generate,
};
use cleanstation::domain::catalog::parse_catalog;
use cleanstation::domain::order::{AccessoryLine, BuildConfig, DocumentLanguage};
use cleanstation::domain::order_rules::validate_build;
use cleanstation::error::ServiceError;
use cleanstation::reference::{ASSEMBLIES_JSON, CATEGORIES_JSON, PARTS_JSON};
use cleanstation::service::seed::seed_demo;
use rust_decimal::Decimal;
use serde_json::json;
use std::collections::HashMap;
use uuid::Uuid;

/// docs/bom-rules.md §12.5 (example 5) plus the pull-out shelf: custom lines, warnings and a cycle
/// notice.
fn custom_build() -> BuildConfig {
    serde_json::from_value(json!({
        "buildNumber": "B-5", "sinkFamily": "MDRD", "sinkModel": "T2-B1", "sinkWidth": 30, "sinkLength": 84,
        "legsType": "HEIGHT_ADJUSTABLE", "legsModel": "DL27", "feetType": "SS_ADJUSTABLE_SEISMIC_FEET",
        "hasPegboard": true, "pegboardColor": "BLUE", "pegboardType": "SOLID", "pegboardSizeType": "CUSTOM",
        "pegboardWidth": 80, "pegboardLength": 30,
        "basins": [{"basinIndex": 1, "basinType": "E_DRAIN", "basinWidth": 26, "basinLength": 20,
                    "basinDepth": 10, "isCustomSize": true, "hasPTrapDrain": true}],
        "faucets": [{"faucetType": "PRE_RINSE_OVERHEAD_SPRAY", "quantity": 1, "placement": "CENTER"}],
        "accessories": [{"assemblyId": "T2-OA-CUST-SHELF-HA-SML", "quantity": 1},
                        {"assemblyId": "T-OA-SSSHELF-1812-BOLT-ON-KIT", "quantity": 2},
                        {"assemblyId": "T2-OA-PO-SHLF-1212", "quantity": 2}]
    }))
    .expect("valid build")
}

/// docs/bom-rules.md §12.6 (example 6).
fn large_build() -> BuildConfig {
    serde_json::from_value(json!({
        "buildNumber": "B-6", "sinkFamily": "MDRD", "sinkModel": "T2-B3", "sinkWidth": 30, "sinkLength": 120,
        "legsType": "HEIGHT_ADJUSTABLE", "legsModel": "LC1", "feetType": "LOCK_LEVELING_CASTERS",
        "hasPegboard": true, "pegboardColor": "WHITE", "pegboardType": "SOLID", "pegboardSizeType": "SAME_AS_SINK",
        "basins": [
            {"basinIndex": 1, "basinType": "E_SINK", "basinWidth": 30, "basinLength": 20, "basinDepth": 10},
            {"basinIndex": 2, "basinType": "E_DRAIN", "basinWidth": 30, "basinLength": 20, "basinDepth": 10,
             "hasBasinLight": true},
            {"basinIndex": 3, "basinType": "E_SINK", "basinWidth": 30, "basinLength": 20, "basinDepth": 10,
             "hasBasinLight": true}],
        "faucets": [{"faucetType": "WRIST_BLADE_SWING_SPOUT", "quantity": 1, "placement": "CENTER"},
                    {"faucetType": "WRIST_BLADE_SWING_SPOUT", "quantity": 2, "placement": "BETWEEN_BASINS"}],
        "accessories": [{"assemblyId": "T-OA-BINRAIL-48-KIT", "quantity": 2},
                        {"assemblyId": "T-OA-SSSHELF-3612-BOLT-ON-KIT", "quantity": 1},
                        {"assemblyId": "T2-OA-CUST-SHELF-HA-LRG", "quantity": 1},
                        {"assemblyId": "T-OA-MNT-ARM", "quantity": 1},
                        {"assemblyId": "T2-OHL-INSTRO-KIT", "quantity": 1}]
    }))
    .expect("valid build")
}

/// docs/bom-rules.md §12.4 (example 4).
fn di_build() -> BuildConfig {
    serde_json::from_value(json!({
        "buildNumber": "B-4", "sinkFamily": "MDRD", "sinkModel": "T2-B2", "sinkWidth": 30, "sinkLength": 61,
        "legsType": "HEIGHT_ADJUSTABLE", "legsModel": "LC1", "feetType": "LOCK_LEVELING_CASTERS",
        "basins": [
            {"basinIndex": 1, "basinType": "E_SINK_DI", "basinWidth": 24, "basinLength": 20, "basinDepth": 10,
             "hasBasinLight": true},
            {"basinIndex": 2, "basinType": "E_SINK_DI", "basinWidth": 30, "basinLength": 20, "basinDepth": 10,
             "hasBasinLight": true}],
        "faucets": [{"faucetType": "GOOSENECK_TREATED_WATER", "quantity": 2, "placement": "CENTER"}],
        "sprayers": [{"sprayerType": "DI_WATER_GUN_KIT_TURRET", "quantity": 1, "location": "LEFT_SIDE"},
                     {"sprayerType": "AIR_GUN_KIT_ROSETTE", "quantity": 1, "location": "RIGHT_SIDE"}]
    }))
    .expect("valid build")
}

fn shipped_index() -> CatalogIndex {
    let catalog =
        parse_catalog(PARTS_JSON, ASSEMBLIES_JSON, CATEGORIES_JSON).expect("shipped catalog");
    CatalogIndex::from_catalog(&catalog)
}

async fn seeded() -> TestDb {
    let db = TestDb::new().await;
    seed_demo(&db.owner, &Actor::system("test-bom"))
        .await
        .expect("seed");
    db
}

async fn user_id(db: &TestDb, username: &str) -> Uuid {
    db.client()
        .await
        .query_one(
            r#"SELECT id FROM "User" WHERE "username" = $1"#,
            &[&username],
        )
        .await
        .expect("demo user")
        .get(0)
}

/// A minimal build row; the BOM is written for it independently of its columns.
async fn insert_order(tx: &deadpool_postgres::Transaction<'_>, build_number: &str) -> Uuid {
    tx.query_one(
        r#"INSERT INTO "ProductionOrder"
               ("poNumber", "buildNumber", "customerName", "salesPerson", "wantDate", "sinkFamily",
                "sinkModel", "sinkWidth", "sinkLength", "legsType", "legsModel", "feetType",
                "workflowDirection")
           VALUES ('PO-BOM-1', $1, 'Test Hospital', 'Jo Sales', CURRENT_DATE + 30, 'MDRD', 'T2-B1', 30, 84,
                   'HEIGHT_ADJUSTABLE', 'DL27', 'SS_ADJUSTABLE_SEISMIC_FEET', 'LEFT_TO_RIGHT')
           RETURNING id"#,
        &[&build_number],
    )
    .await
    .expect("insert build")
    .get(0)
}

async fn statuses(tx: &deadpool_postgres::Transaction<'_>, order: Uuid) -> Vec<(i32, BomStatus)> {
    tx.query(
        r#"SELECT "version", "status" FROM "BillOfMaterials" WHERE "orderId" = $1 ORDER BY "version""#,
        &[&order],
    )
    .await
    .expect("versions")
    .iter()
    .map(|r| (r.get(0), r.get(1)))
    .collect()
}

async fn current_bom(tx: &deadpool_postgres::Transaction<'_>, order: Uuid) -> Option<Uuid> {
    tx.query_one(
        r#"SELECT "bomId" FROM "ProductionOrder" WHERE id = $1"#,
        &[&order],
    )
    .await
    .expect("build")
    .get(0)
}

#[tokio::test]
async fn write_version_stores_the_tree_and_supersedes_the_previous_version() {
    let db = seeded().await;
    let coordinator = user_id(&db, "coordinator").await;
    // As a station writes: the station role, in the coordinator's session.
    let token = crate::auth::session_token(&db, coordinator).await;
    let mut client = db.station().await;
    let tx = begin_as(&mut client, &Actor::session(token, "test-bom"))
        .await
        .expect("begin");
    let order = insert_order(&tx, "B-5").await;
    let index = load_catalog_index(&tx).await.expect("index");
    let bom = generate(DocumentLanguage::En, &custom_build(), &index).expect("generates");
    assert!(bom.notes.iter().any(|n| n.starts_with("CYCLE: ")));

    let (first, version) = write_version(&tx, order, &bom, coordinator)
        .await
        .expect("first version");
    assert_eq!(version, 1);
    assert_eq!(current_bom(&tx, order).await, Some(first));

    let header = tx
        .query_one(
            r#"SELECT "status", "notes", "generatedBy" FROM "BillOfMaterials" WHERE id = $1"#,
            &[&first],
        )
        .await
        .expect("header");
    assert_eq!(header.get::<_, BomStatus>(0), BomStatus::Draft);
    assert_eq!(header.get::<_, Option<String>>(1), bom.notes_text());
    assert_eq!(header.get::<_, Uuid>(2), coordinator);

    let rows = tx
        .query(
            r#"SELECT id, "itemType", "itemId", "parentItemId", "quantity", "level", "sequenceOrder", "notes",
                      "isCustomPart", "customPartSpec"
                 FROM "BOMItem" WHERE "bomId" = $1 ORDER BY "sequenceOrder""#,
            &[&first],
        )
        .await
        .expect("items");
    assert_eq!(rows.len(), bom.nodes.len());
    let position: HashMap<Uuid, usize> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| (r.get::<_, Uuid>(0), i))
        .collect();
    for (r, n) in rows.iter().zip(&bom.nodes) {
        assert_eq!(r.get::<_, ItemType>(1), n.item_type, "{}", n.id);
        assert_eq!(r.get::<_, String>(2), n.id);
        let parent: Option<Uuid> = r.get(3);
        assert_eq!(parent.map(|p| position[&p]), n.parent, "{}", n.id);
        assert_eq!(
            r.get::<_, Decimal>(4),
            Decimal::from(n.quantity),
            "{}",
            n.id
        );
        assert_eq!(r.get::<_, i32>(5), n.level);
        assert_eq!(r.get::<_, Option<i32>>(6), Some(n.sequence));
        assert_eq!(r.get::<_, Option<String>>(7), n.notes);
        assert_eq!(r.get::<_, Option<bool>>(8), Some(n.is_custom));
        assert_eq!(r.get::<_, Option<serde_json::Value>>(9), n.custom_spec);
    }
    let pegboard = rows
        .iter()
        .find(|r| r.get::<_, String>(2) == "T2-ADW-PB-80x30")
        .expect("custom pegboard row");
    assert_eq!(
        pegboard.get::<_, Option<serde_json::Value>>(9),
        Some(json!({"width": 80, "length": 30, "type": "SOLID", "color": "BLUE"}))
    );
    assert_eq!(
        pegboard.get::<_, Option<String>>(7).as_deref(),
        Some("720.215.002")
    );

    let brief = summary(&tx, order)
        .await
        .expect("summary")
        .expect("a current BOM");
    assert_eq!(brief.version, 1);
    assert_eq!(brief.status, "DRAFT");
    assert_eq!(brief.top_level_lines, 14);
    assert_eq!(brief.notes, bom.notes_text());

    // A regeneration: version 2 is current, version 1 superseded.
    let bigger = generate(DocumentLanguage::En, &large_build(), &index).expect("generates");
    let (second, version) = write_version(&tx, order, &bigger, coordinator)
        .await
        .expect("second version");
    assert_eq!(version, 2);
    assert_eq!(
        statuses(&tx, order).await,
        vec![(1, BomStatus::Superseded), (2, BomStatus::Draft)]
    );
    assert_eq!(current_bom(&tx, order).await, Some(second));
    let brief = summary(&tx, order)
        .await
        .expect("summary")
        .expect("current");
    assert_eq!((brief.version, brief.top_level_lines), (2, 18));

    // An approved version is superseded too.
    tx.execute(
        r#"UPDATE "BillOfMaterials" SET "status" = 'APPROVED' WHERE id = $1"#,
        &[&second],
    )
    .await
    .expect("approve");
    let (third, version) = write_version(&tx, order, &bom, coordinator)
        .await
        .expect("third version");
    assert_eq!(version, 3);
    assert_eq!(
        statuses(&tx, order).await,
        vec![
            (1, BomStatus::Superseded),
            (2, BomStatus::Superseded),
            (3, BomStatus::Draft)
        ]
    );
    assert_eq!(current_bom(&tx, order).await, Some(third));
    // Stored versions are kept whole.
    let counts: Vec<i64> = tx
        .query(
            r#"SELECT count(i.id) FROM "BillOfMaterials" b LEFT JOIN "BOMItem" i ON i."bomId" = b.id
                WHERE b."orderId" = $1 GROUP BY b."version" ORDER BY b."version""#,
            &[&order],
        )
        .await
        .expect("counts")
        .iter()
        .map(|r| r.get(0))
        .collect();
    let n =
        |b: &cleanstation::domain::bom::GeneratedBom| i64::try_from(b.nodes.len()).expect("small");
    assert_eq!(counts, vec![n(&bom), n(&bigger), n(&bom)]);

    let missing = write_version(&tx, Uuid::new_v4(), &bom, coordinator).await;
    assert!(
        matches!(missing, Err(ServiceError::NotFound(_))),
        "{missing:?}"
    );
    tx.commit().await.expect("commit");

    // The writes are attributed to the acting user by the audit trail.
    let audited: i64 = db
        .client()
        .await
        .query_one(
            r#"SELECT count(*) FROM "AuditLog" WHERE "entityType" = 'BOMItem' AND "userId" = $1"#,
            &[&coordinator],
        )
        .await
        .expect("audit")
        .get(0);
    assert_eq!(audited, 2 * n(&bom) + n(&bigger));
}

#[tokio::test]
async fn accessories_are_the_54_of_r9() {
    let db = seeded().await;
    let list = accessories(&db.client().await).await.expect("accessories");
    assert_eq!(list.len(), 54);
    let mut sorted = list.clone();
    sorted.sort_by(|a, b| (&a.subcategory, &a.id).cmp(&(&b.subcategory, &b.id)));
    assert_eq!(list, sorted);
    let per_group = |g: &str| list.iter().filter(|a| a.subcategory == g).count();
    assert_eq!(
        [
            per_group("720.702"),
            per_group("720.703"),
            per_group("720.704"),
            per_group("720.705")
        ],
        [25, 13, 4, 12]
    );
    let instro = list
        .iter()
        .find(|a| a.id == "T2-OHL-INSTRO-KIT")
        .expect("instro kit");
    assert_eq!(
        instro.name,
        "OVERHEAD LIGHT SHELF WITH LED LIGHT (ONLY FOR INSTROSINK)"
    );
    let arm = list
        .iter()
        .find(|a| a.id == "T-OA-MNT-ARM")
        .expect("twin accessory");
    assert_eq!(arm.name, "WALL MONITOR PIVOT, SINGLE MONITOR MOUNT");
    assert!(
        !list
            .iter()
            .any(|a| a.id == "T2-OA-2D-152012-STACKED-KIT" || a.id == "T2-OA-PO-SHLF-1212")
    );
}

#[tokio::test]
async fn the_database_index_agrees_with_the_shipped_files() {
    let db = seeded().await;
    let client = db.client().await;
    let stored = load_catalog_index(&client).await.expect("index");
    let files = shipped_index();
    assert_eq!(stored.part_count(), files.part_count());
    assert_eq!(stored.assembly_count(), files.assembly_count());
    assert!(stored == files, "the two indexes differ");
    for build in [custom_build(), large_build(), di_build()] {
        for language in DocumentLanguage::ALL {
            assert_eq!(
                generate(*language, &build, &stored),
                generate(*language, &build, &files),
                "{}",
                build.build_number
            );
        }
    }
}

#[tokio::test]
async fn preview_generates_without_saving() {
    let db = seeded().await;
    let client = db.client().await;
    let shown = preview(&client, DocumentLanguage::En, &di_build())
        .await
        .expect("database")
        .expect("generates");
    let expected = generate(DocumentLanguage::En, &di_build(), &shipped_index())
        .expect("generates")
        .preview();
    assert_eq!(shown, expected);
    assert_eq!(shown.lines.len(), 12);

    let mut broken = di_build();
    broken.accessories.push(
        serde_json::from_value(json!({"assemblyId": "NOT-IN-CATALOG", "quantity": 1}))
            .expect("line"),
    );
    let err = preview(&client, DocumentLanguage::En, &broken)
        .await
        .expect("database")
        .expect_err("unknown id");
    assert_eq!(
        err,
        BomError::UnknownIds {
            build: "B-4".into(),
            ids: vec!["NOT-IN-CATALOG".into()]
        }
    );
    assert_eq!(
        ServiceError::from(err),
        ServiceError::Invalid(
            "BOM generation failed for build B-4: unknown catalog id(s): NOT-IN-CATALOG".into()
        )
    );
    let saved: i64 = client
        .query_one(r#"SELECT count(*) FROM "BillOfMaterials""#, &[])
        .await
        .expect("count")
        .get(0);
    assert_eq!(saved, 0);
}

/// The fullest build the wizard allows, with every accessory of R9 on top: a large real BOM.
fn every_option_build() -> BuildConfig {
    let mut build: BuildConfig = serde_json::from_value(json!({
        "buildNumber": "B-FULL", "sinkFamily": "MDRD", "sinkModel": "T2-B3", "sinkWidth": 36, "sinkLength": 120,
        "legsType": "HEIGHT_ADJUSTABLE", "legsModel": "DL27", "feetType": "SS_ADJUSTABLE_SEISMIC_FEET",
        "hasPegboard": true, "pegboardColor": "GREEN", "pegboardType": "PERFORATED",
        "pegboardSizeType": "SAME_AS_SINK",
        "basins": [
            {"basinIndex": 1, "basinType": "E_SINK", "basinWidth": 30, "basinLength": 20, "basinDepth": 10,
             "hasPTrapDrain": true, "hasBasinLight": true},
            {"basinIndex": 2, "basinType": "E_SINK_DI", "basinWidth": 24, "basinLength": 20, "basinDepth": 10,
             "hasPTrapDrain": true, "hasBasinLight": true},
            {"basinIndex": 3, "basinType": "E_DRAIN", "basinWidth": 28, "basinLength": 22, "basinDepth": 12,
             "isCustomSize": true, "hasPTrapDrain": true, "hasBasinLight": true}],
        "faucets": [{"faucetType": "WRIST_BLADE_SWING_SPOUT", "quantity": 1, "placement": "CENTER"},
                    {"faucetType": "PRE_RINSE_OVERHEAD_SPRAY", "quantity": 1, "placement": "BETWEEN_BASINS"},
                    {"faucetType": "GOOSENECK_TREATED_WATER", "quantity": 1, "placement": "CENTER"}],
        "sprayers": [{"sprayerType": "DI_WATER_GUN_KIT_TURRET", "quantity": 1, "location": "LEFT_SIDE"},
                     {"sprayerType": "AIR_GUN_KIT_ROSETTE", "quantity": 1, "location": "RIGHT_SIDE"}]
    }))
    .expect("valid build");
    build.accessories = ACCESSORIES
        .iter()
        .map(|a| AccessoryLine {
            assembly_id: a.id.to_string(),
            quantity: 1,
        })
        .collect();
    build
}

/// `bom` repeated until it has at least `min` nodes: the copies' parents and sequence follow on.
fn repeated(bom: &GeneratedBom, min: usize) -> GeneratedBom {
    let mut nodes: Vec<BomNode> = Vec::new();
    while nodes.len() < min {
        let offset = nodes.len();
        for n in &bom.nodes {
            let mut copy = n.clone();
            copy.parent = n.parent.map(|p| p + offset);
            copy.sequence = i32::try_from(nodes.len() + 1).expect("small");
            nodes.push(copy);
        }
    }
    GeneratedBom {
        nodes,
        notes: bom.notes.clone(),
    }
}

async fn item_count(client: &impl GenericClient, order: Uuid) -> i64 {
    client
        .query_one(
            r#"SELECT count(*) FROM "BOMItem" i JOIN "BillOfMaterials" b ON b.id = i."bomId"
                WHERE b."orderId" = $1"#,
            &[&order],
        )
        .await
        .expect("item count")
        .get(0)
}

#[tokio::test]
async fn a_bom_of_over_300_nodes_is_stored_whole() {
    let db = seeded().await;
    let coordinator = user_id(&db, "coordinator").await;
    let mut client = db.client().await;
    let index = load_catalog_index(&client).await.expect("index");
    let build = every_option_build();
    assert_eq!(validate_build(&build), vec![], "the wizard accepts it");
    let generated = generate(DocumentLanguage::En, &build, &index).expect("generates");
    let bom = repeated(&generated, 300);
    assert!(bom.nodes.len() >= 300, "{} nodes", bom.nodes.len());
    assert!(bom.nodes.iter().any(|n| n.is_custom));
    assert!(bom.nodes.iter().any(|n| n.level >= 2));

    let tx = begin_as(&mut client, &Actor::system("test-bom"))
        .await
        .expect("begin");
    let order = insert_order(&tx, "B-FULL").await;
    let (bom_id, version) = write_version(&tx, order, &bom, coordinator)
        .await
        .expect("stored");
    assert_eq!(version, 1);
    tx.commit().await.expect("commit");

    // Read back on another connection: every row, in sequence, with the same tree.
    let reader = db.client().await;
    let rows = reader
        .query(
            r#"SELECT id, "parentItemId", "itemId", "itemType", "quantity", "level", "sequenceOrder",
                      "isCustomPart", "customPartSpec", "notes"
                 FROM "BOMItem" WHERE "bomId" = $1 ORDER BY "sequenceOrder""#,
            &[&bom_id],
        )
        .await
        .expect("items");
    assert_eq!(rows.len(), bom.nodes.len());
    let position: HashMap<Uuid, usize> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| (r.get::<_, Uuid>(0), i))
        .collect();
    for (i, (r, n)) in rows.iter().zip(&bom.nodes).enumerate() {
        let parent: Option<Uuid> = r.get(1);
        let parent = parent.map(|p| position[&p]);
        assert_eq!(parent, n.parent, "node {}", i + 1);
        assert_eq!(r.get::<_, String>(2), n.id, "node {}", i + 1);
        assert_eq!(r.get::<_, ItemType>(3), n.item_type, "node {}", i + 1);
        assert_eq!(r.get::<_, Decimal>(4), Decimal::from(n.quantity));
        let level: i32 = r.get(5);
        assert_eq!(level, n.level, "node {}", i + 1);
        match parent {
            None => assert_eq!(level, 0),
            Some(p) => {
                assert!(p < i, "node {} follows its parent", i + 1);
                assert_eq!(level, rows[p].get::<_, i32>(5) + 1, "node {}", i + 1);
            }
        }
        assert_eq!(
            r.get::<_, Option<i32>>(6),
            Some(i32::try_from(i + 1).expect("small"))
        );
        assert_eq!(r.get::<_, Option<bool>>(7), Some(n.is_custom));
        assert_eq!(r.get::<_, Option<serde_json::Value>>(8), n.custom_spec);
        assert_eq!(r.get::<_, Option<String>>(9), n.notes);
    }

    // The stored document reads back to the same totals as the generated one.
    let doc = document(&reader, order, None)
        .await
        .expect("document")
        .expect("current version");
    assert_eq!(doc.items.len(), bom.nodes.len());
    let stored: Vec<(String, Decimal)> = doc
        .flattened()
        .into_iter()
        .map(|l| (l.item_id, l.quantity))
        .collect();
    let expected: Vec<(String, Decimal)> = bom
        .flattened()
        .into_iter()
        .map(|(id, q)| (id, Decimal::from(q)))
        .collect();
    assert_eq!(stored, expected);
}

#[tokio::test]
async fn a_failure_after_write_version_leaves_no_trace() {
    let db = seeded().await;
    let coordinator = user_id(&db, "coordinator").await;
    let actor = Actor::system("test-bom");
    let mut client = db.client().await;
    let index = load_catalog_index(&client).await.expect("index");
    let first = generate(DocumentLanguage::En, &di_build(), &index).expect("generates");
    let big = repeated(
        &generate(DocumentLanguage::En, &every_option_build(), &index).expect("generates"),
        300,
    );

    // Version 1 is committed.
    let tx = begin_as(&mut client, &actor).await.expect("begin");
    let order = insert_order(&tx, "B-ROLLBACK").await;
    let (v1, _) = write_version(&tx, order, &first, coordinator)
        .await
        .expect("version 1");
    tx.commit().await.expect("commit");
    let audited_before: i64 = client
        .query_one(r#"SELECT count(*) FROM "AuditLog""#, &[])
        .await
        .expect("audit")
        .get(0);

    // Version 2 is written, then a later step of the same change fails.
    let tx = begin_as(&mut client, &actor).await.expect("begin");
    let (v2, version) = write_version(&tx, order, &big, coordinator)
        .await
        .expect("version 2");
    assert_eq!(version, 2);
    assert_eq!(
        item_count(&tx, order).await,
        i64::try_from(first.nodes.len() + big.nodes.len()).expect("small"),
        "visible inside the transaction"
    );
    let failed = tx
        .execute(
            r#"UPDATE "ProductionOrder" SET "sinkWidth" = 1 / ("sinkWidth" - "sinkWidth") WHERE id = $1"#,
            &[&order],
        )
        .await;
    assert!(failed.is_err(), "the forced failure");
    tx.rollback().await.expect("rollback");

    // Nothing of version 2 remains and version 1 is untouched.
    let reader = db.client().await;
    assert_eq!(
        item_count(&reader, order).await,
        i64::try_from(first.nodes.len()).expect("small")
    );
    let versions: Vec<(Uuid, i32, BomStatus)> = reader
        .query(
            r#"SELECT id, "version", "status" FROM "BillOfMaterials" WHERE "orderId" = $1"#,
            &[&order],
        )
        .await
        .expect("versions")
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    assert_eq!(versions, vec![(v1, 1, BomStatus::Draft)]);
    let stray: i64 = reader
        .query_one(
            r#"SELECT count(*) FROM "BOMItem" WHERE "bomId" = $1"#,
            &[&v2],
        )
        .await
        .expect("count")
        .get(0);
    assert_eq!(stray, 0);
    let current: Option<Uuid> = reader
        .query_one(
            r#"SELECT "bomId" FROM "ProductionOrder" WHERE id = $1"#,
            &[&order],
        )
        .await
        .expect("build")
        .get(0);
    assert_eq!(current, Some(v1));
    let audited_after: i64 = reader
        .query_one(r#"SELECT count(*) FROM "AuditLog""#, &[])
        .await
        .expect("audit")
        .get(0);
    assert_eq!(audited_after, audited_before, "no audit rows either");
}
