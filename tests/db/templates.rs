//! Checklist template import against a real database: the shipped templates, idempotence, versions,
//! replacement rules and refusals.

use crate::support::TestDb;
use cleanstation::db::Actor;
use cleanstation::db::templates::{active_template, items_of, list_templates};
use cleanstation::reference::CHECKLISTS_TOML;
use cleanstation::service::catalog::{
    ImportError, TemplateImportReport, TemplateOutcome, import_templates, import_templates_file,
};
use serde_json::json;
use uuid::Uuid;

const PRE_QC: &str = "Pre-Production Check";
const PRODUCTION: &str = "Production Checklist";

fn actor() -> Actor {
    Actor::system("test-template-import")
}

async fn import(db: &TestDb, text: &str) -> Result<TemplateImportReport, ImportError> {
    import_templates(&db.owner, &actor(), text).await
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

/// (formName, version, isActive, item count) of every stored template.
async fn summary(db: &TestDb) -> Vec<(String, i32, bool, usize)> {
    let c = db.client().await;
    let mut out = Vec::new();
    for t in list_templates(&c).await.expect("templates") {
        let n = items_of(&c, t.id).await.expect("items").len();
        out.push((t.form_name, t.version, t.is_active, n));
    }
    out
}

/// The `rules` of the item with `code` in the active version of `form_name`.
async fn rules(db: &TestDb, form_name: &str, code: &str) -> serde_json::Value {
    let c = db.client().await;
    let t = active_template(&c, form_name)
        .await
        .expect("query")
        .expect("template");
    items_of(&c, t.id)
        .await
        .expect("items")
        .into_iter()
        .filter_map(|i| i.rules)
        .find(|r| r["code"] == json!(code))
        .expect("item with that code")
}

fn shipped_summary() -> Vec<(String, i32, bool, usize)> {
    // Sorted by name, like list_templates.
    vec![
        ("End-of-Line Testing".into(), 1, true, 35),
        ("Final Quality Check".into(), 1, true, 33),
        ("Packaging Verification".into(), 1, true, 20),
        (PRE_QC.into(), 1, true, 15),
        (PRODUCTION.into(), 1, true, 25),
    ]
}

#[tokio::test]
async fn shipped_templates_import() {
    let db = TestDb::new().await;
    let r = import(&db, CHECKLISTS_TOML).await.expect("import");
    let outcomes: Vec<(&str, TemplateOutcome)> = r
        .templates
        .iter()
        .map(|t| (t.name.as_str(), t.outcome))
        .collect();
    assert_eq!(
        outcomes,
        vec![
            (
                PRE_QC,
                TemplateOutcome::Added {
                    items: 15,
                    active: true
                }
            ),
            (
                "Final Quality Check",
                TemplateOutcome::Added {
                    items: 33,
                    active: true
                }
            ),
            (
                PRODUCTION,
                TemplateOutcome::Added {
                    items: 25,
                    active: true
                }
            ),
            (
                "End-of-Line Testing",
                TemplateOutcome::Added {
                    items: 35,
                    active: true
                }
            ),
            (
                "Packaging Verification",
                TemplateOutcome::Added {
                    items: 20,
                    active: true
                }
            ),
        ]
    );
    assert_eq!(summary(&db).await, shipped_summary());

    assert_eq!(
        rules(&db, PRE_QC, "PRE-01").await,
        json!({"code": "PRE-01"})
    );
    let eol20 = rules(&db, "End-of-Line Testing", "EOL-20").await;
    assert_eq!(eol20["unit"], json!("degC"));
    assert_eq!(eol20["min"].as_f64(), Some(36.0));
    assert_eq!(eol20["max"].as_f64(), Some(44.0));
    let pkg01 = rules(&db, "Packaging Verification", "PKG-01").await;
    assert_eq!(pkg01["itemId"], json!("T2-ANTI-FATIGUE-MAT"));

    // The seed columns.
    let c = db.client().await;
    let row = c
        .query_one(
            r#"SELECT t."formType"::text, i."section", i."checkType"::text, i."isBasinSpecific", i."isRequired",
                      i."notesPrompt", i."sequenceOrder"
                 FROM "QCChecklistItem" i JOIN "QCFormTemplate" t ON t.id = i."templateId"
                WHERE i."rules"->>'code' = 'PRE-12'"#,
            &[],
        )
        .await
        .expect("PRE-12");
    assert_eq!(row.get::<_, String>(0), "PRE_QC");
    assert_eq!(row.get::<_, String>(1), "Basin");
    assert_eq!(row.get::<_, String>(2), "MULTI_CHOICE");
    assert!(row.get::<_, bool>(3));
    assert!(row.get::<_, bool>(4));
    assert!(row.get::<_, bool>(5));
    assert_eq!(row.get::<_, i32>(6), 120);
    assert!(
        r.to_string()
            .contains("Pre-Production Check (version 1): added, 15 items, active")
    );
}

#[tokio::test]
async fn a_second_import_changes_nothing() {
    let db = TestDb::new().await;
    import(&db, CHECKLISTS_TOML).await.expect("first");
    let audits = audit_rows(&db).await;
    let r = import(&db, CHECKLISTS_TOML).await.expect("second");
    assert!(!r.changed(), "{r}");
    assert!(
        r.templates
            .iter()
            .all(|t| t.outcome == TemplateOutcome::Unchanged)
    );
    assert_eq!(audit_rows(&db).await, audits);
    assert_eq!(summary(&db).await, shipped_summary());
}

#[tokio::test]
async fn an_invalid_condition_is_refused_and_nothing_is_written() {
    let db = TestDb::new().await;
    let text = CHECKLISTS_TOML.replacen(
        r#"appliesWhen = "pegboard = true""#,
        r#"appliesWhen = "pegboard = maybe""#,
        1,
    );
    assert_ne!(text, CHECKLISTS_TOML);
    let err = import(&db, &text).await.expect_err("refused");
    let msg = err.to_string();
    assert!(matches!(err, ImportError::Invalid(_)), "{err:?}");
    assert!(
        msg.contains("template \"PRE_QC\" item \"PRE-04\"") && msg.contains("pegboard = maybe"),
        "{msg}"
    );
    assert!(summary(&db).await.is_empty());
    assert_eq!(audit_rows(&db).await, 0);
}

#[tokio::test]
async fn a_changed_template_without_recorded_work_is_replaced() {
    let db = TestDb::new().await;
    import(&db, CHECKLISTS_TOML).await.expect("first");
    let text = CHECKLISTS_TOML.replacen(
        "BOM checked against the drawing",
        "BOM checked against the approved drawing",
        1,
    );
    let r = import(&db, &text).await.expect("second");
    let pre = &r.templates[0];
    assert_eq!(
        pre.outcome,
        TemplateOutcome::Updated {
            items: 15,
            items_replaced: true
        }
    );
    assert!(
        r.templates[1..]
            .iter()
            .all(|t| t.outcome == TemplateOutcome::Unchanged)
    );
    let n: i64 = db
        .client()
        .await
        .query_one(
            r#"SELECT count(*) FROM "QCChecklistItem"
                WHERE "itemDescription" = 'BOM checked against the approved drawing'"#,
            &[],
        )
        .await
        .expect("count")
        .get(0);
    assert_eq!(n, 1);
    assert_eq!(summary(&db).await, shipped_summary());
}

/// A task generated from the production checklist, as the floor would have created it.
async fn record_a_task(db: &TestDb) {
    let c = db.client().await;
    let order: Uuid = c
        .query_one(
            r#"INSERT INTO "ProductionOrder"
                   ("poNumber", "buildNumber", "customerName", "salesPerson", "wantDate", "sinkFamily",
                    "sinkModel", "sinkWidth", "sinkLength", "legsType", "legsModel", "feetType",
                    "workflowDirection")
               VALUES ('PO-T1', 'BUILD-T1', 'Customer', 'Sales', CURRENT_DATE + 30, 'MDRD', 'T2-B1', 30, 60,
                       'HEIGHT_ADJUSTABLE', 'DL27', 'LOCK_LEVELING_CASTERS', 'LEFT_TO_RIGHT')
               RETURNING id"#,
            &[],
        )
        .await
        .expect("order")
        .get(0);
    let list: Uuid = c
        .query_one(
            r#"INSERT INTO "TaskList" ("orderId", "assemblyType") VALUES ($1, 'MDRD') RETURNING id"#,
            &[&order],
        )
        .await
        .expect("task list")
        .get(0);
    c.execute(
        r#"INSERT INTO "Task" ("taskListId", "sequenceOrder", "description", "productionChecklistItemId")
           SELECT $1, 1, i."itemDescription", i.id
             FROM "QCChecklistItem" i JOIN "QCFormTemplate" t ON t.id = i."templateId"
            WHERE t."formName" = $2
            ORDER BY i."sequenceOrder" LIMIT 1"#,
        &[&list, &PRODUCTION],
    )
    .await
    .expect("task");
}

#[tokio::test]
async fn a_changed_template_with_recorded_work_becomes_a_new_version() {
    let db = TestDb::new().await;
    import(&db, CHECKLISTS_TOML).await.expect("first");
    record_a_task(&db).await;

    // The Production Checklist has a task: its change is added as version 2 and made active. The Pre-QC
    // template has no recorded work, so its change is made in place.
    let production_change = CHECKLISTS_TOML.replacen("estMinutes = 45", "estMinutes = 50", 1);
    let changed = production_change.replacen(
        "BOM checked against the drawing",
        "BOM checked against the approved drawing",
        1,
    );
    let r = import(&db, &changed).await.expect("imported");
    let prod = r
        .templates
        .iter()
        .find(|t| t.name == PRODUCTION)
        .expect("production");
    assert_eq!(prod.version, 2);
    assert_eq!(
        prod.outcome,
        TemplateOutcome::NewVersion {
            version: 2,
            items: 25
        }
    );
    assert!(
        r.to_string()
            .contains("added as version 2, 25 items, active"),
        "{r}"
    );
    let pre_qc = r
        .templates
        .iter()
        .find(|t| t.name == "Pre-Production Check")
        .expect("pre-qc");
    assert!(
        matches!(pre_qc.outcome, TemplateOutcome::Updated { .. }),
        "{r}"
    );
    let versions: Vec<(i32, bool)> = summary(&db)
        .await
        .into_iter()
        .filter(|t| t.0 == PRODUCTION)
        .map(|t| (t.1, t.2))
        .collect();
    assert_eq!(versions, vec![(1, false), (2, true)]);
    assert_eq!(
        rules(&db, PRODUCTION, "PRD-03").await["estMinutes"],
        json!(50),
        "the active version carries the change"
    );

    // The same changed file again finds version 2 and adds nothing.
    let r = import(&db, &changed).await.expect("again");
    assert!(!r.changed(), "{r}");

    // The old file again: the Production Checklist's version 1 matches it, so nothing is added and
    // version 2 stays active (the Pre-QC template, without recorded work, simply follows the file).
    let r = import(&db, CHECKLISTS_TOML).await.expect("old file");
    let prod = r
        .templates
        .iter()
        .find(|t| t.name == PRODUCTION)
        .expect("production");
    assert_eq!(prod.outcome, TemplateOutcome::Unchanged, "{r}");
    let active = active_template(&db.client().await, PRODUCTION)
        .await
        .expect("query")
        .expect("active");
    assert_eq!(active.version, 2);
}

#[tokio::test]
async fn an_older_version_imported_later_stays_inactive() {
    let db = TestDb::new().await;
    let v3 = CHECKLISTS_TOML.replacen(
        "name = \"Pre-Production Check\"\nformType = \"PRE_QC\"\nversion = 1",
        "name = \"Pre-Production Check\"\nformType = \"PRE_QC\"\nversion = 3",
        1,
    );
    assert_ne!(v3, CHECKLISTS_TOML);
    import(&db, &v3).await.expect("v3");
    let r = import(&db, CHECKLISTS_TOML).await.expect("v1");
    assert_eq!(
        r.templates[0].outcome,
        TemplateOutcome::Added {
            items: 15,
            active: false
        }
    );
    let active = active_template(&db.client().await, PRE_QC)
        .await
        .expect("query")
        .expect("active");
    assert_eq!(active.version, 3);
}

#[tokio::test]
async fn import_from_a_file_and_a_missing_file() {
    let db = TestDb::new().await;
    let path = std::env::temp_dir().join(format!("cs-checklists-{}.toml", Uuid::new_v4()));
    let err = import_templates_file(&db.owner, &actor(), &path)
        .await
        .expect_err("missing");
    assert!(matches!(err, ImportError::Io { .. }), "{err:?}");
    assert!(
        err.to_string().contains(&path.display().to_string()),
        "{err}"
    );
    std::fs::write(&path, CHECKLISTS_TOML).expect("write");
    let r = import_templates_file(&db.owner, &actor(), &path)
        .await
        .expect("import");
    assert_eq!(r.templates.len(), 5);
    let _ = std::fs::remove_file(&path);
}
