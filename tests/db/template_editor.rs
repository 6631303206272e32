//! The checklist-template editor and export (docs/checklists.md §11-§13) against a real database: a saved
//! version is new and inactive, activation hands it to new builds while recorded work keeps its version,
//! one validation refuses a bad condition with its column in the editor and the import, only an
//! administrator reaches the templates, the database freezes used versions, and import → export → import
//! changes nothing.

use crate::auth::expect_reply;
use crate::floor::{Floor, example_build};
use cleanstation::db::Actor;
use cleanstation::domain::Role;
use cleanstation::domain::checklist::{ItemDraft, parse_checklists};
use cleanstation::domain::template_versions::{TemplateVersion, TemplateVersionRow};
use cleanstation::error::ServiceError;
use cleanstation::msg::{Reply, Request};
use cleanstation::reference::CHECKLISTS_TOML;
use cleanstation::service::catalog::{ImportError, TemplateOutcome, import_templates};
use uuid::Uuid;

const PRE_QC: &str = "Pre-Production Check";
const PRODUCTION: &str = "Production Checklist";

impl Floor {
    async fn versions(&self, role: Role) -> Result<Vec<TemplateVersionRow>, ServiceError> {
        match self
            .send(Request::TemplateVersions {
                token: self.token(role),
            })
            .await?
        {
            Reply::TemplateVersions(v) => Ok(v),
            other => panic!("unexpected reply {other:?}"),
        }
    }

    async fn version_of(&self, form_name: &str, version: i32) -> TemplateVersionRow {
        self.versions(Role::Admin)
            .await
            .expect("versions")
            .into_iter()
            .find(|v| v.form_name == form_name && v.version == version)
            .expect("the version is listed")
    }

    async fn open_version(&self, id: Uuid) -> TemplateVersion {
        expect_reply(
            self.send(Request::TemplateVersion {
                token: self.token(Role::Admin),
                id,
            })
            .await,
            |r| match r {
                Reply::TemplateVersion(v) => Some(*v),
                _ => None,
            },
        )
    }

    async fn save_version(
        &self,
        role: Role,
        form_name: &str,
        items: Vec<ItemDraft>,
    ) -> Result<Reply, ServiceError> {
        self.send(Request::SaveTemplateVersion {
            token: self.token(role),
            form_name: form_name.into(),
            items,
        })
        .await
    }

    async fn activate_version(&self, role: Role, id: Uuid) -> Result<Reply, ServiceError> {
        self.send(Request::ActivateTemplateVersion {
            token: self.token(role),
            id,
        })
        .await
    }

    /// (templates, items, audit rows) as they stand.
    async fn template_counts(&self) -> (i64, i64, i64) {
        (
            self.count(r#"SELECT count(*) FROM "QCFormTemplate""#, &[])
                .await,
            self.count(r#"SELECT count(*) FROM "QCChecklistItem""#, &[])
                .await,
            self.count(
                r#"SELECT count(*) FROM "AuditLog" WHERE "action" <> 'BASELINE'"#,
                &[],
            )
            .await,
        )
    }
}

fn new_item() -> ItemDraft {
    ItemDraft {
        code: "PRE-16".into(),
        section: "Sink".into(),
        sequence: 160,
        description: "Serial-number plate fitted".into(),
        check_type: "BOOLEAN".into(),
        required: Some(true),
        basin_specific: Some(false),
        notes_prompt: Some(false),
        ..ItemDraft::default()
    }
}

fn codes(form: &cleanstation::domain::qc::QcForm) -> Vec<String> {
    form.lines
        .iter()
        .filter_map(|l| form.items.get(l.item).map(|i| i.code.clone()))
        .collect()
}

/// The round trip of the editor: a new version from the active one is saved inactive and changes no stored
/// version; activated, the next build gets its items, while a build that already has its Pre-QC result
/// keeps version 1, and a build waiting for Pre-QC is asked from the version active when it is opened.
#[tokio::test]
async fn a_saved_version_reaches_new_builds_once_active_and_results_keep_theirs() {
    let f = Floor::new().await;
    let done = f
        .build_in_production("PO-TE-1", example_build("TE-1"))
        .await;
    let v1 = f.version_of(PRE_QC, 1).await;
    assert!(v1.is_active && v1.has_results, "{v1:?}");
    assert_eq!(v1.item_count, 15);
    let audit_before = f.audit_rows_of("QCFormTemplate").await;

    let opened = f.open_version(v1.id).await;
    assert_eq!((opened.key.as_str(), opened.items.len()), ("PRE_QC", 15));
    let mut items = opened.items.clone();
    items[1].description = "BOM checked against the drawing and the order".into();
    items.push(new_item());
    let saved = expect_reply(
        f.save_version(Role::Admin, PRE_QC, items.clone()).await,
        |r| match r {
            Reply::TemplateSaved(row) => Some(row),
            _ => None,
        },
    );
    assert_eq!(
        (
            saved.version,
            saved.is_active,
            saved.item_count,
            saved.has_results
        ),
        (2, false, 16, false)
    );
    // Version 1 is as it was, and still the active one.
    assert_eq!(f.open_version(v1.id).await, opened);
    let waiting = f.build_at_pre_qc("PO-TE-2", example_build("TE-2")).await;
    let form = f.qc_form(waiting).await;
    assert_eq!(form.header.template_version, 1);
    assert!(!codes(&form).contains(&"PRE-16".to_string()));

    // Saving again never touches version 2: it makes version 3.
    let again = expect_reply(
        f.save_version(Role::Admin, PRE_QC, items).await,
        |r| match r {
            Reply::TemplateSaved(row) => Some(row),
            _ => None,
        },
    );
    assert_eq!(again.version, 3);

    let listed = expect_reply(
        f.activate_version(Role::Admin, saved.id).await,
        |r| match r {
            Reply::TemplateVersions(v) => Some(v),
            _ => None,
        },
    );
    let active: Vec<i32> = listed
        .iter()
        .filter(|v| v.form_name == PRE_QC && v.is_active)
        .map(|v| v.version)
        .collect();
    assert_eq!(active, [2]);
    assert!(f.audit_rows_of("QCFormTemplate").await > audit_before);

    let fresh = f.build_at_pre_qc("PO-TE-3", example_build("TE-3")).await;
    let form = f.qc_form(fresh).await;
    assert_eq!(form.header.template_version, 2);
    assert!(
        codes(&form).contains(&"PRE-16".to_string()),
        "{:?}",
        codes(&form)
    );
    assert!(
        form.items
            .iter()
            .any(|i| i.description == "BOM checked against the drawing and the order")
    );
    // The build that passed Pre-QC keeps its result on version 1.
    let kept = f
        .scalar_i64(
            r#"SELECT count(*) FROM "QCResult" r JOIN "QCFormTemplate" t ON t.id = r."templateId"
                WHERE r."orderId" = $1 AND t."version" = 1"#,
            done,
        )
        .await;
    assert_eq!(kept, 1);
    // The new build passes on version 2.
    f.pass_pre_qc(fresh).await;
    let on_v2 = f
        .scalar_i64(
            r#"SELECT count(*) FROM "QCResult" r JOIN "QCFormTemplate" t ON t.id = r."templateId"
                WHERE r."orderId" = $1 AND t."version" = 2"#,
            fresh,
        )
        .await;
    assert_eq!(on_v2, 1);
}

/// One validation: the editor's save and the file's import refuse the same bad condition, naming the item
/// and the column the parser found; nothing is written.
#[tokio::test]
async fn a_bad_condition_is_refused_with_its_column_by_the_editor_and_the_import() {
    let f = Floor::new().await;
    let v1 = f.version_of(PRE_QC, 1).await;
    let mut items = f.open_version(v1.id).await.items;
    items[3].applies_when = Some("pegboard = = true".into());
    let before = f.template_counts().await;
    let refused = f
        .save_version(Role::Admin, PRE_QC, items)
        .await
        .expect_err("refused");
    let msg = refused.user_message();
    assert!(
        matches!(refused, ServiceError::Invalid(_))
            && msg
                .contains("template \"PRE_QC\" item \"PRE-04\": appliesWhen \"pegboard = = true\"")
            && msg.contains("at column 12"),
        "{msg}"
    );
    // Preview checks the same.
    let preview = f
        .send(Request::PreviewTemplate {
            token: f.token(Role::Admin),
            form_name: PRE_QC.into(),
            items: vec![ItemDraft {
                applies_when: Some("pegboard = = true".into()),
                ..new_item()
            }],
            sample: 0,
        })
        .await
        .expect_err("refused");
    assert!(
        preview.user_message().contains("at column 12"),
        "{preview:?}"
    );
    assert_eq!(f.template_counts().await, before);

    let text = CHECKLISTS_TOML.replacen(
        r#"appliesWhen = "pegboard = true""#,
        r#"appliesWhen = "pegboard = = true""#,
        1,
    );
    let err = import_templates(&f.db.owner, &Actor::system("test"), &text)
        .await
        .expect_err("refused");
    assert!(matches!(err, ImportError::Invalid(_)), "{err:?}");
    let import_msg = err.to_string();
    assert!(
        import_msg
            .contains("template \"PRE_QC\" item \"PRE-04\": appliesWhen \"pegboard = = true\"")
            && import_msg.contains("at column 12"),
        "{import_msg}"
    );
    assert_eq!(f.template_counts().await, before);
}

/// Every template request is the administrator's; the others are refused and nothing is written.
#[tokio::test]
async fn only_an_administrator_reaches_the_templates() {
    let f = Floor::new().await;
    let v1 = f.version_of(PRE_QC, 1).await;
    let items = f.open_version(v1.id).await.items;
    let before = f.template_counts().await;
    for role in [
        Role::ProductionCoordinator,
        Role::ProcurementSpecialist,
        Role::QcPerson,
        Role::Assembler,
    ] {
        let reads = f.versions(role).await.expect_err("refused");
        assert!(matches!(reads, ServiceError::Forbidden(_)), "{reads:?}");
        let save = f
            .save_version(role, PRE_QC, items.clone())
            .await
            .expect_err("refused");
        assert!(
            save.user_message()
                .contains("cannot edit checklist templates"),
            "{save:?}"
        );
        let act = f.activate_version(role, v1.id).await.expect_err("refused");
        assert!(matches!(act, ServiceError::Forbidden(_)), "{act:?}");
        let one = f
            .send(Request::TemplateVersion {
                token: f.token(role),
                id: v1.id,
            })
            .await
            .expect_err("refused");
        assert!(matches!(one, ServiceError::Forbidden(_)), "{one:?}");
    }
    assert_eq!(f.template_counts().await, before);
}

/// The preview lists what the sample build gets, from the items as edited and not saved.
#[tokio::test]
async fn the_preview_shows_what_a_sample_build_gets_from_unsaved_items() {
    let f = Floor::new().await;
    let v1 = f.version_of(PRE_QC, 1).await;
    let mut items = f.open_version(v1.id).await.items;
    items.push(ItemDraft {
        applies_when: Some("language = FR".into()),
        ..new_item()
    });
    let preview = |form_name: &'static str, sample: usize, items: Vec<ItemDraft>| {
        let f = &f;
        async move {
            expect_reply(
                f.send(Request::PreviewTemplate {
                    token: f.token(Role::Admin),
                    form_name: form_name.into(),
                    items,
                    sample,
                })
                .await,
                |r| match r {
                    Reply::TemplatePreview(p) => Some(*p),
                    _ => None,
                },
            )
        }
    };
    // Sample 1 is EX-2, a French order; sample 0 (EX-1) is English.
    let fr = preview(PRE_QC, 1, items.clone()).await;
    assert_eq!(fr.samples.len(), 8);
    assert!(
        fr.samples[1].starts_with("EX-2 T2-B2 FR"),
        "{:?}",
        fr.samples
    );
    let fr_codes: Vec<&str> = fr.build.items.iter().map(|i| i.code.as_str()).collect();
    assert!(fr_codes.contains(&"PRE-16"), "{fr_codes:?}");
    let en = preview(PRE_QC, 0, items.clone()).await;
    assert!(!en.build.items.iter().any(|i| i.code == "PRE-16"));
    // Out of range wraps around.
    assert_eq!(preview(PRE_QC, 9, items).await.sample, 1);
    // Packaging: a BOM-driven item appears only when the sample's BOM holds the part.
    let pkg = f
        .versions(Role::Admin)
        .await
        .expect("versions")
        .into_iter()
        .find(|v| v.form_name == "Packaging Verification")
        .expect("packaging");
    let pkg_items = f.open_version(pkg.id).await.items;
    let p = preview("Packaging Verification", 0, pkg_items).await;
    assert!(p.build.items.iter().any(|i| i.code == "PKG-01"));
    assert!(p.build.items.len() < 20, "{:?}", p.build.items);
}

/// The database itself keeps a used version as it is: its header and its items, whoever connects as the
/// station; only the active flag may change. Versions without recorded work stay editable by the import.
#[tokio::test]
async fn the_database_freezes_a_version_with_recorded_work() {
    let f = Floor::new().await;
    f.build_in_production("PO-TE-F", example_build("TE-F"))
        .await;
    let pre = f.version_of(PRE_QC, 1).await;
    let prod = f.version_of(PRODUCTION, 1).await;
    assert!(pre.has_results && prod.has_results);
    let station = f.db.station().await;
    for (sql, id) in [
        (
            r#"UPDATE "QCFormTemplate" SET "description" = 'changed' WHERE id = $1"#,
            pre.id,
        ),
        (
            r#"UPDATE "QCFormTemplate" SET "formType" = 'FINAL_QC' WHERE id = $1"#,
            prod.id,
        ),
        (
            r#"INSERT INTO "QCChecklistItem" ("templateId", "section", "itemDescription", "checkType", "sequenceOrder")
               VALUES ($1, 'Extras', 'new', 'BOOLEAN', 999)"#,
            prod.id,
        ),
    ] {
        let err = station.execute(sql, &[&id]).await.expect_err(sql);
        assert!(
            err.as_db_error()
                .is_some_and(|d| d.message().contains("recorded work")),
            "{err:?}"
        );
    }
    let err =
        f.db.client()
            .await
            .execute(
                r#"UPDATE "QCChecklistItem" SET "itemDescription" = 'x' WHERE "templateId" = $1"#,
                &[&prod.id],
            )
            .await
            .expect_err("frozen even for the owner");
    assert!(format!("{err:?}").contains("recorded work"), "{err:?}");
    // The active flag may change.
    station
        .execute(
            r#"UPDATE "QCFormTemplate" SET "isActive" = true WHERE id = $1"#,
            &[&prod.id],
        )
        .await
        .expect("the active flag");
}

/// import → export → import changes nothing: the export of the imported (and of an edited) set reads back
/// as the same templates, and importing it writes no row and no audit row. The export refuses to replace a
/// file unless told to.
#[tokio::test]
async fn import_export_import_changes_nothing() {
    let f = Floor::new().await;
    let dir = f.db.cli_dir();
    let file = dir.join("exported.toml");
    let _ = std::fs::remove_file(&file);
    let shown = file.to_string_lossy().to_string();

    let out = f.db.cli(&["templates", "export", &shown], &[]).await;
    assert!(out.status.success(), "{out:?}");
    let text = std::fs::read_to_string(&file).expect("exported file");
    let shipped = parse_checklists(CHECKLISTS_TOML).expect("shipped");
    assert_eq!(parse_checklists(&text).expect("re-parses"), shipped);

    let before = f.template_counts().await;
    let report = import_templates(&f.db.owner, &Actor::system("test"), &text)
        .await
        .expect("import");
    assert!(!report.changed(), "{report}");
    assert_eq!(f.template_counts().await, before);

    // An existing file is kept unless --force.
    std::fs::write(&file, "kept").expect("write");
    let out = f.db.cli(&["templates", "export", &shown], &[]).await;
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--force"),
        "{out:?}"
    );
    assert_eq!(std::fs::read_to_string(&file).expect("read"), "kept");

    // After an edit: the active version 2 is exported, and importing the export changes nothing.
    let v1 = f.version_of(PRE_QC, 1).await;
    let mut items = f.open_version(v1.id).await.items;
    items.push(new_item());
    let saved = expect_reply(
        f.save_version(Role::Admin, PRE_QC, items).await,
        |r| match r {
            Reply::TemplateSaved(row) => Some(row),
            _ => None,
        },
    );
    f.activate_version(Role::Admin, saved.id)
        .await
        .expect("activate");
    let out =
        f.db.cli(&["templates", "export", &shown, "--force"], &[])
            .await;
    assert!(out.status.success(), "{out:?}");
    let text = std::fs::read_to_string(&file).expect("exported file");
    let exported = parse_checklists(&text).expect("re-parses");
    let pre = &exported.templates[0];
    assert_eq!(
        (pre.key.as_str(), pre.version, pre.items.len()),
        ("PRE_QC", 2, 16)
    );
    let before = f.template_counts().await;
    let report = import_templates(&f.db.owner, &Actor::system("test"), &text)
        .await
        .expect("import");
    assert!(
        report
            .templates
            .iter()
            .all(|t| t.outcome == TemplateOutcome::Unchanged),
        "{report}"
    );
    assert_eq!(f.template_counts().await, before);
    let _ = std::fs::remove_file(&file);
}
