//! Catalog import against a real database: counts, idempotence, targeted updates, refusals and rollback,
//! and the audit trail.

use crate::support::TestDb;
use cleanstation::db::Actor;
use cleanstation::db::catalog::CatalogCounts;
use cleanstation::reference::{ASSEMBLIES_JSON, CATEGORIES_JSON, PARTS_JSON};
use cleanstation::service::catalog::{
    CatalogImportReport, CatalogSource, ImportError, catalog_counts, import_catalog,
    import_catalog_dir,
};
use serde_json::{Value, json};
use uuid::Uuid;

const SHIPPED: CatalogSource<'static> = CatalogSource {
    parts_json: PARTS_JSON,
    assemblies_json: ASSEMBLIES_JSON,
    categories_json: CATEGORIES_JSON,
};

const FULL: CatalogCounts = CatalogCounts {
    parts: 286,
    assemblies: 318,
    components: 841,
    categories: 52,
};

fn actor() -> Actor {
    Actor::system("test-catalog-import")
}

async fn counts(db: &TestDb) -> CatalogCounts {
    catalog_counts(&db.client().await).await.expect("counts")
}

/// Audit rows written since the migrations (which record a baseline of the settings they insert).
async fn audit_rows(db: &TestDb) -> i64 {
    db.client()
        .await
        .query_one(
            r#"SELECT count(*) FROM "AuditLog" WHERE "action" <> 'BASELINE'"#,
            &[],
        )
        .await
        .expect("count audit")
        .get(0)
}

async fn import_shipped(db: &TestDb) -> CatalogImportReport {
    import_catalog(&db.owner, &actor(), &SHIPPED)
        .await
        .expect("the shipped catalog imports")
}

fn edit(json: &str, f: impl FnOnce(&mut Value)) -> String {
    let mut v: Value = serde_json::from_str(json).expect("valid JSON");
    f(&mut v);
    v.to_string()
}

/// The refusal's messages; any other outcome becomes a message that fails the caller's search.
fn invalid(r: Result<CatalogImportReport, ImportError>) -> Vec<String> {
    match r.expect_err("the import is refused") {
        ImportError::Invalid(msgs) => msgs,
        other => vec![format!("not a validation refusal: {other:?}")],
    }
}

#[tokio::test]
async fn shipped_catalog_imports_completely() {
    let db = TestDb::new().await;
    let r = import_shipped(&db).await;
    assert_eq!(
        (
            r.parts.in_file,
            r.parts.added,
            r.parts.updated,
            r.parts.unchanged
        ),
        (284, 284, 0, 0)
    );
    assert_eq!(
        r.supplementary_added,
        vec!["T2-ANTI-FATIGUE-MAT", "IFU.T2.ESinkInstUserFR"]
    );
    assert_eq!((r.assemblies.in_file, r.assemblies.added), (318, 318));
    assert_eq!((r.categories.in_file, r.categories.added), (52, 52));
    assert_eq!(r.components_in_file, 841);
    assert_eq!(r.assemblies_with_components_rewritten, 206);
    assert_eq!(r.components_written, 841);
    assert!(r.changed());
    assert_eq!(counts(&db).await, FULL);

    let c = db.client().await;
    // Component order is the JSON order, numbered from 1.
    let rows = c
        .query(
            r#"SELECT "childType"::text, "childId", "quantity", "sequenceOrder" FROM "AssemblyComponent"
                WHERE "parentAssemblyId" = 'T2-CTRL-EDR1' ORDER BY "sequenceOrder""#,
            &[],
        )
        .await
        .expect("components");
    let first: Vec<(String, String, i32, i32)> = rows
        .iter()
        .take(4)
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
        .collect();
    assert_eq!(
        first,
        vec![
            ("PART".into(), "Q13404-02".into(), 1, 1),
            ("PART".into(), "PW-105R3-06".into(), 1, 2),
            ("PART".into(), "4995".into(), 1, 3),
            ("PART".into(), "T2-M8-3P-MP-STR-0.61M".into(), 5, 4),
        ]
    );
    // The category tree: subcategories at level 1 under their category.
    let row = c
        .query_one(
            r#"SELECT "name", "parentId", "level" FROM "Category" WHERE id = '718.001'"#,
            &[],
        )
        .await
        .expect("subcategory");
    assert_eq!(row.get::<_, String>(0), "1 BASIN");
    assert_eq!(row.get::<_, Option<String>>(1).as_deref(), Some("718"));
    assert_eq!(row.get::<_, i32>(2), 1);
    let level: i32 = c
        .query_one(r#"SELECT "level" FROM "Category" WHERE id = '718'"#, &[])
        .await
        .expect("category")
        .get(0);
    assert_eq!(level, 0);
    // The record with vendor/description keeps them.
    let row = c
        .query_one(
            r#"SELECT "manufacturerInfo", "description" IS NOT NULL FROM "Part" WHERE id = '708.77'"#,
            &[],
        )
        .await
        .expect("708.77");
    assert_eq!(row.get::<_, Option<String>>(0).as_deref(), Some("TORVAN"));
    assert!(row.get::<_, bool>(1));
    let row = c
        .query_one(
            r#"SELECT "name", "type"::text FROM "Part" WHERE id = 'T2-ANTI-FATIGUE-MAT'"#,
            &[],
        )
        .await
        .expect("supplementary part");
    assert_eq!(row.get::<_, String>(0), "ANTI-FATIGUE MAT");
    assert_eq!(row.get::<_, String>(1), "COMPONENT");
    let row = c
        .query_one(
            r#"SELECT "type"::text, "categoryCode", "subcategoryCode", "canOrder", "isKit"
                 FROM "Assembly" WHERE id = 'T2-CTRL-EDR1'"#,
            &[],
        )
        .await
        .expect("assembly");
    assert_eq!(row.get::<_, String>(0), "SERVICE_PART");
    assert_eq!(row.get::<_, Option<String>>(1).as_deref(), Some("719"));
    assert_eq!(row.get::<_, Option<String>>(2).as_deref(), Some("719.016"));
    assert!(row.get::<_, bool>(3));
    assert!(!row.get::<_, bool>(4));

    // Every row written is audited, naming the agent.
    let part_audits: i64 = c
        .query_one(
            r#"SELECT count(*) FROM "AuditLog"
                WHERE "entityType" = 'Part' AND "action" = 'INSERT' AND "userAgent" = 'test-catalog-import'"#,
            &[],
        )
        .await
        .expect("audit")
        .get(0);
    assert_eq!(part_audits, 286);

    let text = r.to_string();
    assert!(
        text.contains("284 in file: 284 added, 0 updated, 0 unchanged"),
        "{text}"
    );
}

#[tokio::test]
async fn a_second_import_changes_nothing() {
    let db = TestDb::new().await;
    import_shipped(&db).await;
    let audits = audit_rows(&db).await;
    let r = import_shipped(&db).await;
    assert!(!r.changed(), "{r}");
    for k in [r.parts, r.assemblies, r.categories] {
        assert_eq!((k.added, k.updated, k.unchanged), (0, 0, k.in_file));
    }
    assert!(r.supplementary_added.is_empty());
    assert_eq!(r.assemblies_with_components_rewritten, 0);
    assert_eq!(r.components_written, 0);
    assert_eq!(
        audit_rows(&db).await,
        audits,
        "no audit rows for an unchanged import"
    );
    assert_eq!(counts(&db).await, FULL);
    let text = r.to_string();
    assert!(text.contains("0 added, 0 updated"), "{text}");
}

#[tokio::test]
async fn a_renamed_part_updates_exactly_that_row() {
    let db = TestDb::new().await;
    import_shipped(&db).await;
    let audits = audit_rows(&db).await;
    let parts = edit(PARTS_JSON, |v| {
        v["parts"]["4995"]["name"] = json!("SILICONE RJ-45 DUST COVER INSERTS - 20 PACK");
    });
    let src = CatalogSource {
        parts_json: &parts,
        ..SHIPPED
    };
    let r = import_catalog(&db.owner, &actor(), &src)
        .await
        .expect("import");
    assert_eq!(
        (r.parts.added, r.parts.updated, r.parts.unchanged),
        (0, 1, 283)
    );
    assert_eq!((r.assemblies.added, r.assemblies.updated), (0, 0));
    assert_eq!(r.assemblies_with_components_rewritten, 0);
    let c = db.client().await;
    let name: String = c
        .query_one(r#"SELECT "name" FROM "Part" WHERE id = '4995'"#, &[])
        .await
        .expect("part")
        .get(0);
    assert_eq!(name, "SILICONE RJ-45 DUST COVER INSERTS - 20 PACK");
    assert_eq!(audit_rows(&db).await, audits + 1);
    let entity: String = c
        .query_one(
            r#"SELECT "entityId" FROM "AuditLog" WHERE "action" = 'UPDATE' AND "entityType" = 'Part'"#,
            &[],
        )
        .await
        .expect("one update audited")
        .get(0);
    assert_eq!(entity, "4995");
}

#[tokio::test]
async fn a_changed_component_list_rewrites_only_that_assembly() {
    let db = TestDb::new().await;
    import_shipped(&db).await;
    let assemblies = edit(ASSEMBLIES_JSON, |v| {
        let comps = v["assemblies"]["T2-CTRL-EDR1"]["components"]
            .as_array_mut()
            .expect("components");
        comps[3]["quantity"] = json!(6);
        comps.swap(0, 1);
    });
    let src = CatalogSource {
        assemblies_json: &assemblies,
        ..SHIPPED
    };
    let r = import_catalog(&db.owner, &actor(), &src)
        .await
        .expect("import");
    assert_eq!(r.assemblies_with_components_rewritten, 1);
    assert_eq!(
        r.assemblies.updated, 0,
        "the assembly row itself did not change"
    );
    let c = db.client().await;
    let rows = c
        .query(
            r#"SELECT "childId", "quantity" FROM "AssemblyComponent"
                WHERE "parentAssemblyId" = 'T2-CTRL-EDR1' ORDER BY "sequenceOrder" LIMIT 4"#,
            &[],
        )
        .await
        .expect("components");
    let got: Vec<(String, i32)> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
    assert_eq!(
        got,
        vec![
            ("PW-105R3-06".into(), 1),
            ("Q13404-02".into(), 1),
            ("4995".into(), 1),
            ("T2-M8-3P-MP-STR-0.61M".into(), 6),
        ]
    );
    assert_eq!(counts(&db).await, FULL);
}

#[tokio::test]
async fn rows_only_in_the_database_are_left_alone_and_counted() {
    let db = TestDb::new().await;
    db.client()
        .await
        .execute(
            r#"INSERT INTO "Part" (id, "name", "type") VALUES ('LOCAL-ONLY', 'LOCAL PART', 'COMPONENT')"#,
            &[],
        )
        .await
        .expect("local part");
    let r = import_shipped(&db).await;
    assert_eq!(r.parts.only_in_database, 1);
    assert!(r.to_string().contains("1 only in the database"));
    assert_eq!(counts(&db).await.parts, FULL.parts + 1);
}

async fn assert_refused_without_change(db: &TestDb, src: CatalogSource<'_>, needles: &[&str]) {
    let before = counts(db).await;
    let audits = audit_rows(db).await;
    let msgs = invalid(import_catalog(&db.owner, &actor(), &src).await);
    assert!(
        msgs.iter().any(|m| needles.iter().all(|n| m.contains(n))),
        "no message containing {needles:?}: {msgs:#?}"
    );
    assert_eq!(counts(db).await, before, "nothing written");
    assert_eq!(audit_rows(db).await, audits);
}

#[tokio::test]
async fn refusals_name_the_record_and_change_nothing() {
    let db = TestDb::new().await;
    import_shipped(&db).await;

    let dangling = edit(ASSEMBLIES_JSON, |v| {
        v["assemblies"]["T2-CTRL-EDR1"]["components"][0]["part_id"] = json!("NO-SUCH-PART");
    });
    assert_refused_without_change(
        &db,
        CatalogSource {
            assemblies_json: &dangling,
            ..SHIPPED
        },
        &["assembly \"T2-CTRL-EDR1\" component 1", "\"NO-SUCH-PART\""],
    )
    .await;

    let duplicate = PARTS_JSON.replacen(
        "\"parts\": {",
        r#""parts": { "4995": {"name": "DUPLICATE", "type": "COMPONENT", "status": "ACTIVE"},"#,
        1,
    );
    assert_ne!(duplicate, PARTS_JSON);
    assert_refused_without_change(
        &db,
        CatalogSource {
            parts_json: &duplicate,
            ..SHIPPED
        },
        &["part id \"4995\"", "appears 2 times"],
    )
    .await;

    let negative = edit(ASSEMBLIES_JSON, |v| {
        v["assemblies"]["T2-CTRL-EDR1"]["components"][2]["quantity"] = json!(-1);
    });
    assert_refused_without_change(
        &db,
        CatalogSource {
            assemblies_json: &negative,
            ..SHIPPED
        },
        &[
            "assembly \"T2-CTRL-EDR1\" component 3",
            "at least 1, found -1",
        ],
    )
    .await;

    // Several problems at once are all reported, one per line.
    let both = edit(&negative, |v| {
        v["assemblies"]["T2-CTRL-EDR1"]["components"][0]["part_id"] = json!("NO-SUCH-PART");
    });
    let err = import_catalog(
        &db.owner,
        &actor(),
        &CatalogSource {
            assemblies_json: &both,
            ..SHIPPED
        },
    )
    .await
    .expect_err("refused");
    assert_eq!(err.to_string().lines().count(), 2, "{err}");
}

#[tokio::test]
async fn a_database_error_rolls_back_the_whole_import() {
    let db = TestDb::new().await;
    // Fail on the last table written, after parts, assemblies and categories went in.
    db.client()
        .await
        .batch_execute(
            r#"CREATE FUNCTION refuse_component() RETURNS trigger LANGUAGE plpgsql AS $$
               BEGIN RAISE EXCEPTION 'component refused for the test'; END; $$;
               CREATE TRIGGER refuse_component BEFORE INSERT ON "AssemblyComponent"
                   FOR EACH ROW EXECUTE FUNCTION refuse_component();"#,
        )
        .await
        .expect("trigger");
    let err = import_catalog(&db.owner, &actor(), &SHIPPED)
        .await
        .expect_err("fails");
    assert!(matches!(err, ImportError::Db(_)), "{err:?}");
    assert_eq!(counts(&db).await, CatalogCounts::default());
    assert_eq!(audit_rows(&db).await, 0);
}

#[tokio::test]
async fn audit_rows_name_the_importing_command_and_the_owner() {
    let db = TestDb::new().await;
    import_catalog(&db.owner, &Actor::system("cli:catalog import"), &SHIPPED)
        .await
        .expect("import");
    // An owner's step has no user session: its rows name the command and the owner's role.
    let row = db
        .client()
        .await
        .query_one(
            r#"SELECT count(*) FILTER (WHERE "userId" IS NULL AND "userAgent" = 'cli:catalog import'
                                       AND "dbRole" = current_user),
                      count(*)
                 FROM "AuditLog" WHERE "entityType" IN ('Part', 'Assembly', 'AssemblyComponent', 'Category')"#,
            &[],
        )
        .await
        .expect("audit");
    assert_eq!(row.get::<_, i64>(0), 286 + 318 + 841 + 52);
    assert_eq!(row.get::<_, i64>(1), row.get::<_, i64>(0));
}

#[tokio::test]
async fn import_from_a_directory_and_a_missing_file() {
    let db = TestDb::new().await;
    let dir = std::env::temp_dir().join(format!("cs-catalog-{}", Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(dir.join("parts.json"), PARTS_JSON).expect("write");
    std::fs::write(dir.join("assemblies.json"), ASSEMBLIES_JSON).expect("write");

    let err = import_catalog_dir(&db.owner, &actor(), &dir)
        .await
        .expect_err("categories.json is missing");
    assert!(matches!(err, ImportError::Io { .. }), "{err:?}");
    assert!(err.to_string().contains("categories.json"), "{err}");
    assert_eq!(counts(&db).await, CatalogCounts::default());

    std::fs::write(dir.join("categories.json"), CATEGORIES_JSON).expect("write");
    let r = import_catalog_dir(&db.owner, &actor(), &dir)
        .await
        .expect("import");
    assert_eq!(r.parts.added, 284);
    assert_eq!(counts(&db).await, FULL);
    let _ = std::fs::remove_dir_all(&dir);
}
