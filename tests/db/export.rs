//! Exports of a build's current BOM: CSV and PDF files from the database, through the service (as the
//! BOM viewer sends them) and through `cleanstation bom export`.

use crate::auth::{expect_reply, send};
use crate::floor::Floor;
use cleanstation::domain::Role;
use cleanstation::domain::bom_document::{BomDocument, quantity_text};
use cleanstation::domain::order::{
    BasinConfig, BasinType, BuildConfig, DocumentLanguage, FeetType, LegsType, NewOrder,
    OrderHeader,
};
use cleanstation::error::ServiceError;
use cleanstation::export::{ExportFormat, pdf};
use cleanstation::msg::{Reply, Request};
use std::path::{Path, PathBuf};
use uuid::Uuid;

impl Floor {
    /// A PO of one build, created as the coordinator (its BOM version 1 is written with it).
    async fn create_for_export(&self, po: &str, build: &str) -> Uuid {
        let mut b = BuildConfig {
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
                build,
                "T2-B1",
                (30, 60),
                LegsType::FixedHeight,
                "DL14",
                FeetType::SsAdjustableSeismicFeet,
            )
        };
        b.has_pegboard = false;
        let order = NewOrder {
            header: OrderHeader {
                po_number: po.into(),
                customer_name: "Mercy General Hospital, \"North\" wing".into(),
                project_name: None,
                sales_person: "Jo Sales".into(),
                want_date: chrono::NaiveDate::from_ymd_opt(2099, 12, 31).expect("date"),
                order_language: DocumentLanguage::En,
                notes: None,
            },
            builds: vec![b],
            attachments: Vec::new(),
        };
        let created = expect_reply(
            send(
                &self.ctx,
                Request::CreateOrder {
                    token: self.token(Role::ProductionCoordinator),
                    order: Box::new(order),
                },
            )
            .await,
            |r| match r {
                Reply::OrderCreated(c) => Some(c),
                _ => None,
            },
        );
        created.builds[0].0
    }

    async fn export(
        &self,
        role: Role,
        order_id: Uuid,
        format: ExportFormat,
        dir: &Path,
    ) -> Result<Vec<PathBuf>, ServiceError> {
        send(
            &self.ctx,
            Request::ExportBom {
                token: self.token(role),
                order_id,
                format,
                dir: dir.display().to_string(),
            },
        )
        .await
        .map(|r| match r {
            Reply::Exported(paths) => paths,
            other => panic!("unexpected reply {other:?}"),
        })
    }

    async fn document(&self, order_id: Uuid) -> BomDocument {
        let client = self.db.client().await;
        cleanstation::db::bom::document(&client, order_id, None)
            .await
            .expect("read")
            .expect("a current BOM")
    }
}

pub(crate) fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cs-export-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// RFC 4180 records: quoted fields may hold commas, doubled quotes and line breaks.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let text = text
        .strip_prefix(cleanstation::export::csv::UTF8_BOM)
        .expect("the file starts with the UTF-8 byte order mark");
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => field.push(c),
        }
    }
    assert!(
        field.is_empty() && record.is_empty(),
        "the last record ends with CRLF"
    );
    records
}

fn names(paths: &[PathBuf]) -> Vec<String> {
    paths
        .iter()
        .map(|p| {
            p.file_name()
                .expect("file name")
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}

pub(crate) fn dir_listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn csv_export_matches_the_stored_items_and_the_totals() {
    let env = Floor::new().await;
    let id = env.create_for_export("PO-EXP/1", "EXP-1").await;
    let dir = scratch("csv");
    let paths = env
        .export(Role::ProcurementSpecialist, id, ExportFormat::Csv, &dir)
        .await
        .expect("exported");
    assert_eq!(
        names(&paths),
        vec![
            "PO-EXP_1_EXP-1_BOM_v1.csv",
            "PO-EXP_1_EXP-1_BOM_v1_totals.csv"
        ]
    );
    assert!(paths.iter().all(|p| p.starts_with(&dir)));
    assert_eq!(
        dir_listing(&dir),
        vec![
            "PO-EXP_1_EXP-1_BOM_v1.csv",
            "PO-EXP_1_EXP-1_BOM_v1_totals.csv"
        ],
        "no temporary files are left"
    );

    // The tree: one row per BOMItem, in sequenceOrder.
    let rows = env
        .db
        .client()
        .await
        .query(
            r#"SELECT i."level", i."itemId", i."quantity"::text, i."itemType"::text
                 FROM "BOMItem" i JOIN "ProductionOrder" o ON o."bomId" = i."bomId"
                WHERE o.id = $1 ORDER BY i."sequenceOrder""#,
            &[&id],
        )
        .await
        .expect("items");
    assert!(rows.len() > 50, "a real BOM has many items");
    let tree = parse_csv(&std::fs::read_to_string(&paths[0]).expect("tree csv"));
    assert_eq!(
        tree[0],
        vec![
            "Level",
            "Item ID",
            "Name",
            "Quantity",
            "Type",
            "Custom",
            "Custom spec",
            "Notes"
        ]
    );
    assert_eq!(tree.len(), rows.len() + 1);
    for (r, csv) in rows.iter().zip(&tree[1..]) {
        let level: i32 = r.get(0);
        let quantity: String = r.get(2);
        let quantity: rust_decimal::Decimal = quantity.parse().expect("decimal");
        assert_eq!(csv[0], level.to_string());
        assert_eq!(csv[1], r.get::<_, String>(1));
        assert!(!csv[2].is_empty(), "every row is named");
        assert_eq!(csv[3], quantity_text(quantity));
        assert_eq!(csv[4], r.get::<_, String>(3));
        assert_eq!(csv[5], "no");
    }

    // The totals: exactly the document's flattened view.
    let doc = env.document(id).await;
    let totals = parse_csv(&std::fs::read_to_string(&paths[1]).expect("totals csv"));
    assert_eq!(totals[0], vec!["Item ID", "Name", "Type", "Quantity"]);
    let want: Vec<Vec<String>> = doc
        .flattened()
        .into_iter()
        .map(|l| {
            vec![
                l.item_id,
                l.name,
                l.item_type.code().to_string(),
                quantity_text(l.quantity),
            ]
        })
        .collect();
    assert_eq!(totals[1..].to_vec(), want);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn pdf_export_is_a_paged_document_naming_the_build() {
    let env = Floor::new().await;
    let id = env.create_for_export("PO-EXP-2", "EXP-2").await;
    let dir = scratch("pdf");
    let paths = env
        .export(Role::QcPerson, id, ExportFormat::Pdf, &dir)
        .await
        .expect("exported");
    assert_eq!(names(&paths), vec!["PO-EXP-2_EXP-2_BOM_v1.pdf"]);
    let bytes = std::fs::read(&paths[0]).expect("pdf");
    assert!(bytes.starts_with(b"%PDF"));

    let doc = env.document(id).await;
    let at = chrono::Local::now().naive_local();
    let texts = pdf::page_texts(&doc, at);
    let n = texts.len();
    assert!(n >= 2, "a BOM of {} items spans pages", doc.items.len());
    let mut warnings = Vec::new();
    let parsed = printpdf::PdfDocument::parse(&bytes, &Default::default(), &mut warnings)
        .expect("the file parses");
    assert_eq!(parsed.pages.len(), n);

    // The readable (uncompressed) form carries the header's text and the page numbers.
    let plain = String::from_utf8_lossy(&pdf::save(&doc, at, false)).into_owned();
    for text in [
        "PO-EXP-2",
        "EXP-2",
        "Bill of Materials",
        &format!("Page {n} of {n}"),
    ] {
        assert!(plain.contains(text), "the PDF lacks {text:?}");
    }
    // Every item appears in the laid-out tree.
    let all: Vec<&String> = texts.iter().flatten().collect();
    for item in &doc.items {
        assert!(
            all.iter().any(|t| item.item_id.starts_with(t.as_str())),
            "{} is missing",
            item.item_id
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn refusals_name_the_directory_the_role_or_the_missing_bom() {
    let env = Floor::new().await;
    let id = env.create_for_export("PO-EXP-3", "EXP-3").await;
    let missing = std::env::temp_dir().join(format!("cs-export-missing-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&missing);
    let e = env
        .export(Role::Admin, id, ExportFormat::Csv, &missing)
        .await
        .expect_err("no such directory");
    assert_eq!(
        e,
        ServiceError::Invalid(format!("Directory {} does not exist", missing.display()))
    );
    assert!(!missing.exists());

    let dir = scratch("forbidden");
    let e = env
        .export(Role::ServiceDepartment, id, ExportFormat::Pdf, &dir)
        .await
        .expect_err("service department");
    assert!(matches!(e, ServiceError::Forbidden(_)), "{e:?}");
    assert!(dir_listing(&dir).is_empty(), "nothing was written");

    let e = env
        .export(Role::Admin, Uuid::new_v4(), ExportFormat::Pdf, &dir)
        .await
        .expect_err("no such build");
    assert_eq!(e, ServiceError::NotFound("Build".into()));

    // A build whose BOM pointer is cleared has nothing to export.
    env.db
        .client()
        .await
        .execute(
            r#"UPDATE "ProductionOrder" SET "bomId" = NULL WHERE id = $1"#,
            &[&id],
        )
        .await
        .expect("clear bom");
    let e = env
        .export(Role::Admin, id, ExportFormat::Pdf, &dir)
        .await
        .expect_err("no bom");
    assert_eq!(e, cleanstation::service::export::nothing_to_export());
    assert!(dir_listing(&dir).is_empty(), "nothing was written");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn the_command_line_export_writes_the_same_files() {
    let env = Floor::new().await;
    let id = env.create_for_export("PO-EXP-4", "EXP-4").await;
    let dir = scratch("cli");
    let out_dir = dir.join("out");
    std::fs::create_dir_all(&out_dir).expect("out dir");
    let db = &env.db;
    let run = |args: Vec<String>| async move {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        db.cli(&args, &[]).await
    };
    let args = |format: &str, out: &Path| -> Vec<String> {
        vec![
            "bom".into(),
            "export".into(),
            "exp-4".into(),
            "--format".into(),
            format.into(),
            "--out".into(),
            out.display().to_string(),
        ]
    };

    let out = run(args("csv", &out_dir)).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(
        printed,
        vec![
            out_dir
                .join("PO-EXP-4_EXP-4_BOM_v1.csv")
                .display()
                .to_string(),
            out_dir
                .join("PO-EXP-4_EXP-4_BOM_v1_totals.csv")
                .display()
                .to_string(),
        ]
    );
    let doc = env.document(id).await;
    assert_eq!(
        std::fs::read(out_dir.join("PO-EXP-4_EXP-4_BOM_v1.csv")).expect("csv"),
        cleanstation::export::csv::file_bytes(&cleanstation::export::csv::tree(&doc))
    );

    let out = run(args("PDF", &out_dir)).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pdf_path = out_dir.join("PO-EXP-4_EXP-4_BOM_v1.pdf");
    assert!(std::fs::read(&pdf_path).expect("pdf").starts_with(b"%PDF"));

    let missing = dir.join("nowhere");
    let out = run(args("pdf", &missing)).await;
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim_end(),
        format!(
            "cleanstation: Directory {} does not exist",
            missing.display()
        )
    );

    let out = run(args("xlsx", &out_dir)).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Unknown format xlsx"));

    let mut unknown = args("csv", &out_dir);
    unknown[2] = "NOPE-9".into();
    let out = run(unknown).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Build NOPE-9 not found"));
    let _ = std::fs::remove_dir_all(&dir);
}
