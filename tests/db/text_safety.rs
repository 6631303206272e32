//! Text that could act on a terminal or a spreadsheet, through the real binary: imports refuse it with
//! nothing written, and whatever the database holds anyway reaches stdout, stderr and CSV files only
//! as visible, inert text.

use crate::support::TestDb;
use cleanstation::db::Actor;
use cleanstation::reference::{ASSEMBLIES_JSON, CATEGORIES_JSON, CHECKLISTS_TOML, PARTS_JSON};
use cleanstation::service::seed::{DEMO_PASSWORD, seed_demo};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// The three kinds of character every text field must refuse: a control character, a
/// direction-changing one and a zero-width one, with how the messages name each.
const REFUSED: [(char, &str); 3] = [
    ('\u{1b}', "the control character U+001B"),
    ('\u{202E}', "the direction-changing character U+202E"),
    ('\u{200B}', "the zero-width character U+200B"),
];

/// Every character a reader's terminal would act on or hide text with, as the output is scanned for.
/// Spelled out here rather than taken from the library, so the test checks the rule independently.
fn unsafe_char(c: char) -> bool {
    let u = u32::from(c);
    matches!(u, 0x00..=0x08 | 0x0B..=0x1F | 0x7F | 0x80..=0x9F)
        || matches!(
            u,
            0x061C | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060 | 0x2066..=0x2069 | 0xFEFF
        )
}

/// The offending characters of an output stream (which must be UTF-8), with their positions.
fn unsafe_in(bytes: &[u8]) -> Vec<(usize, String)> {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => return vec![(e.valid_up_to(), "invalid UTF-8".into())],
    };
    text.char_indices()
        .filter(|(_, c)| unsafe_char(*c))
        .map(|(i, c)| (i, format!("U+{:04X}", u32::from(c))))
        .collect()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

async fn seeded() -> TestDb {
    let db = TestDb::new().await;
    seed_demo(&db.owner, &Actor::system("test-text-safety"))
        .await
        .expect("seed");
    db
}

async fn as_user(db: &TestDb, args: &[&str]) -> std::process::Output {
    db.cli(args, &[("CLEANSTATION_PASSWORD", DEMO_PASSWORD)])
        .await
}

fn scratch(db: &TestDb, name: &str) -> PathBuf {
    let dir = db.cli_dir().join(name);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// A valid order document with every free-text field filled in.
fn order_document() -> Value {
    json!({
        "poNumber": "PO-TXT-1",
        "customerName": "Mercy General Hospital",
        "projectName": "East wing",
        "salesPerson": "Jo Sales",
        "wantDate": "2099-12-31",
        "notes": "Deliver to dock 4",
        "builds": [{
            "buildNumber": "TXT-1", "sinkFamily": "MDRD", "sinkModel": "T2-B2", "sinkWidth": 30,
            "sinkLength": 60, "legsType": "HEIGHT_ADJUSTABLE", "legsModel": "DL14",
            "feetType": "SS_ADJUSTABLE_SEISMIC_FEET",
            "basins": [
                {"basinIndex": 1, "basinType": "E_SINK", "basinWidth": 24, "basinLength": 20, "basinDepth": 8},
                {"basinIndex": 2, "basinType": "E_DRAIN", "basinWidth": 24, "basinLength": 20, "basinDepth": 8}
            ],
            "faucets": [{"faucetType": "WRIST_BLADE_SWING_SPOUT", "quantity": 1, "placement": "CENTER"}],
            "accessories": [{"assemblyId": "T2-OA-PO-SHLF-1212", "quantity": 1}]
        }]
    })
}

fn write_json(dir: &Path, name: &str, value: &Value) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_vec_pretty(value).expect("json")).expect("write");
    path
}

#[tokio::test]
async fn order_import_refuses_forbidden_characters_in_every_text_field() {
    let db = seeded().await;
    let dir = scratch(&db, "import");
    // (JSON pointer of the field, the name the message must give it)
    let fields = [
        ("/poNumber", "poNumber: PO number"),
        ("/customerName", "customerName: Customer name"),
        ("/projectName", "projectName: Project name"),
        ("/salesPerson", "salesPerson: Sales person"),
        ("/notes", "notes: Notes"),
        ("/builds/0/buildNumber", "buildNumber: Build number"),
        ("/builds/0/sinkModel", "sinkModel: Sink model"),
        ("/builds/0/legsModel", "legsModel: Legs model"),
        (
            "/builds/0/accessories/0/assemblyId",
            "accessories[1].assemblyId: Accessory 1: assembly id",
        ),
    ];
    for (pointer, named) in fields {
        for (c, kind) in REFUSED {
            let mut doc = order_document();
            let value = doc.pointer_mut(pointer).expect("field in the document");
            let Value::String(s) = value else {
                panic!("{pointer} is not text");
            };
            s.insert(2, c);
            let file = write_json(&dir, "order.json", &doc);
            let file = file.to_str().expect("utf-8 path");
            let out = as_user(&db, &["order", "import", file, "--as", "coordinator"]).await;
            let err = text(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{pointer} {kind}: {err}");
            assert!(
                err.contains(&format!("{named}: contains {kind}; remove it")),
                "{pointer} {kind}: {err}"
            );
            assert_eq!(unsafe_in(&out.stderr), Vec::new(), "{err}");
            assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
            assert_eq!(
                db.count(r#"SELECT count(*) FROM "ProductionOrder""#).await,
                0,
                "{pointer} {kind}: nothing is written"
            );
        }
    }
    // The same document without them is imported, so each refusal above was the character's.
    let file = write_json(&dir, "order.json", &order_document());
    let out = as_user(
        &db,
        &[
            "order",
            "import",
            file.to_str().expect("path"),
            "--as",
            "coordinator",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        db.count(r#"SELECT count(*) FROM "ProductionOrder""#).await,
        1
    );
}

#[tokio::test]
async fn po_numbers_take_only_visible_ascii() {
    let db = seeded().await;
    let dir = scratch(&db, "po");
    let mut doc = order_document();
    // Cyrillic А (U+0410) reads as the Latin A of an existing-looking PO number.
    doc["poNumber"] = json!("PO-\u{410}1");
    let file = write_json(&dir, "order.json", &doc);
    let out = as_user(
        &db,
        &[
            "order",
            "import",
            file.to_str().expect("path"),
            "--as",
            "coordinator",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("PO number: contains \"А\" (U+0410); use only letters A-Z"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(
        db.count(r#"SELECT count(*) FROM "ProductionOrder""#).await,
        0
    );
}

/// Writes the shipped catalog into `dir` with `edit` applied to the file named `file`.
fn catalog_dir(dir: &Path, file: &str, from: &str, to: &str) {
    for (name, content) in [
        ("parts.json", PARTS_JSON),
        ("assemblies.json", ASSEMBLIES_JSON),
        ("categories.json", CATEGORIES_JSON),
    ] {
        let content = if name == file {
            assert!(content.contains(from), "{from} in {name}");
            content.replacen(from, to, 1)
        } else {
            content.to_string()
        };
        std::fs::write(dir.join(name), content).expect("write catalog file");
    }
}

/// A fingerprint of every catalog row, to show an import changed nothing.
async fn catalog_fingerprint(db: &TestDb) -> String {
    db.client()
        .await
        .query_one(
            r#"SELECT md5(
                 (SELECT string_agg(id || name || coalesce(description, ''), '|' ORDER BY id) FROM "Part") ||
                 (SELECT string_agg(id || name, '|' ORDER BY id) FROM "Assembly") ||
                 (SELECT string_agg(id::text || coalesce(notes, ''), '|' ORDER BY id) FROM "AssemblyComponent") ||
                 (SELECT string_agg(id || name || coalesce(description, ''), '|' ORDER BY id) FROM "Category"))"#,
            &[],
        )
        .await
        .expect("fingerprint")
        .get(0)
}

#[tokio::test]
async fn catalog_import_refuses_forbidden_characters_and_changes_nothing() {
    let db = seeded().await;
    let before = catalog_fingerprint(&db).await;
    let dir = scratch(&db, "catalog");
    let cases = [
        (
            "parts.json",
            r#""name": "TO CONNECT GESTURE SENSOR"#,
            r#""name": "TO \u001b]0;x\u0007CONNECT GESTURE SENSOR"#,
            r#"parts.json: part "1916": "name": contains the control character U+001B; remove it"#,
        ),
        (
            "assemblies.json",
            r#""name": "CONTROL BOX ONLY FOR 1 EDRAIN BASIN""#,
            r#""name": "CONTROL BOX \u202eONLY FOR 1 EDRAIN BASIN""#,
            r#"assemblies.json: assembly "T2-CTRL-EDR1": "name": contains the direction-changing character U+202E; remove it"#,
        ),
        (
            "categories.json",
            r#""description": "Category for control box""#,
            r#""description": "Category for\u200b control box""#,
            r#"categories.json: category "718": "description": contains the zero-width character U+200B; remove it"#,
        ),
    ];
    for (file, from, to, message) in cases {
        catalog_dir(&dir, file, from, to);
        let out = db
            .cli(&["catalog", "import", dir.to_str().expect("path")], &[])
            .await;
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{file}: {err}");
        assert!(err.contains(message), "{file}: {err}");
        assert_eq!(unsafe_in(&out.stderr), Vec::new(), "{err}");
        assert_eq!(
            catalog_fingerprint(&db).await,
            before,
            "{file}: nothing changed"
        );
    }
}

async fn template_fingerprint(db: &TestDb) -> String {
    db.client()
        .await
        .query_one(
            r#"SELECT md5(
                 (SELECT string_agg(id::text || "formName" || version::text, '|' ORDER BY id) FROM "QCFormTemplate") ||
                 (SELECT string_agg(id::text || "itemDescription" || coalesce(section, ''), '|' ORDER BY id)
                    FROM "QCChecklistItem"))"#,
            &[],
        )
        .await
        .expect("fingerprint")
        .get(0)
}

#[tokio::test]
async fn templates_import_refuses_forbidden_characters_and_changes_nothing() {
    let db = seeded().await;
    let before = template_fingerprint(&db).await;
    let dir = scratch(&db, "templates");
    let first = CHECKLISTS_TOML
        .lines()
        .find(|l| l.starts_with("description = \""))
        .expect("an item description");
    for (c, kind) in [
        ("\\u001B", "the control character U+001B"),
        ("\\u202E", "the direction-changing character U+202E"),
        ("\\u200B", "the zero-width character U+200B"),
    ] {
        let evil = first.replacen("description = \"", &format!("description = \"{c}"), 1);
        let file = dir.join("checklists.toml");
        std::fs::write(&file, CHECKLISTS_TOML.replacen(first, &evil, 1)).expect("write");
        let out = db
            .cli(&["templates", "import", file.to_str().expect("path")], &[])
            .await;
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.contains(&format!(": description: contains {kind}; remove it")),
            "{err}"
        );
        assert_eq!(unsafe_in(&out.stderr), Vec::new(), "{err}");
        assert_eq!(template_fingerprint(&db).await, before, "nothing changed");
    }
}

/// Stored text that a terminal would act on (title change, screen clear, bell, CSI and NEL as C1,
/// DEL), hide text with (a right-to-left override, zero-width characters) or a spreadsheet would run.
const HOSTILE: &str =
    "\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m\u{85}\u{7f}\u{202E}gnp.exe\u{200B}\u{2066}\u{FEFF}";

#[tokio::test]
async fn stored_control_characters_never_reach_the_terminal_or_a_spreadsheet() {
    let db = seeded().await;
    let dir = scratch(&db, "stored");
    let file = write_json(&dir, "order.json", &order_document());
    let file = file.to_str().expect("path").to_string();
    let out = as_user(&db, &["order", "import", &file, "--as", "coordinator"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));

    // What an import would refuse, written behind its back.
    let c = db.client().await;
    c.batch_execute(&format!(
        r#"UPDATE "ProductionOrder" SET "customerName" = 'Mercy{h}', "projectName" = '{h}',
                "salesPerson" = 'Jo{h}', "notes" = 'Dock{h}', "poNumber" = 'PO-{h}';
           UPDATE "OrderStatusHistory" SET "notes" = 'created{h}';
           UPDATE "User" SET "fullName" = 'Dana{h}' WHERE username IN ('coordinator', 'service');
           UPDATE "Part" SET "name" = '=HYPERLINK("http://x","y"){h}'
            WHERE id IN (SELECT "itemId" FROM "BOMItem" WHERE "itemType" = 'PART');
           UPDATE "Assembly" SET "name" = '@SUM(A1){h}'
            WHERE id IN (SELECT "itemId" FROM "BOMItem" WHERE "itemType" = 'ASSEMBLY');
           UPDATE "BOMItem" SET "notes" = '+1+2{h}';
           UPDATE "AssemblyComponent" SET "notes" = 'Fit{h}';
           UPDATE "QCChecklistItem" SET "itemDescription" = '-2+3{h}';
           INSERT INTO "ServiceOrder" ("requestedBy", "notes", "internalNotes")
                SELECT id, 'Urgent{h}', 'Internal{h}' FROM "User" WHERE username = 'service';"#,
        h = HOSTILE
    ))
    .await
    .expect("hostile rows");

    let out_dir = scratch(&db, "export");
    let out_path = out_dir.to_str().expect("path").to_string();
    // (arguments, whether the output shows stored text)
    let runs: Vec<(Vec<&str>, bool)> = vec![
        (vec!["order", "list", "--as", "coordinator"], true),
        (vec!["order", "list", "--json", "--as", "coordinator"], true),
        (vec!["order", "show", "TXT-1", "--as", "coordinator"], true),
        (
            vec!["order", "show", "TXT-1", "--json", "--as", "coordinator"],
            true,
        ),
        (vec!["service", "list", "--as", "procurement"], true),
        (
            vec!["service", "list", "--json", "--as", "procurement"],
            true,
        ),
        (vec!["bom", "preview", &file], true),
        (vec!["bom", "preview", &file, "--json"], true),
        (
            vec!["checklist", "preview", &file, "--template", "PRE_QC"],
            true,
        ),
        (
            vec![
                "checklist",
                "preview",
                &file,
                "--template",
                "PRE_QC",
                "--json",
            ],
            true,
        ),
        (
            vec![
                "bom", "export", "TXT-1", "--format", "csv", "--out", &out_path,
            ],
            false,
        ),
        (vec!["qc", "verify", "TXT-1"], false),
    ];
    for (args, shows_stored_text) in runs {
        let out = as_user(&db, &args).await;
        let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert_eq!(
            unsafe_in(&out.stdout),
            Vec::new(),
            "{args:?} stdout:\n{stdout}"
        );
        assert_eq!(
            unsafe_in(&out.stderr),
            Vec::new(),
            "{args:?} stderr:\n{stderr}"
        );
        if shows_stored_text {
            // The text was there, as visible escapes (or, in JSON, as escapes of the same characters).
            assert!(
                stdout.contains("\\u001B") || stdout.contains("\\u001b"),
                "{args:?}:\n{stdout}"
            );
        }
        if args.contains(&"--json") {
            let value: Value = serde_json::from_str(&stdout).expect("the output is JSON");
            assert!(
                value.to_string().contains('\u{202E}'),
                "JSON keeps the stored value: {args:?}"
            );
        }
    }

    // The error line: a build number as typed, with a screen clear in it.
    let out = as_user(
        &db,
        &[
            "order",
            "show",
            "TXT\u{1b}[2J\u{202E}",
            "--as",
            "coordinator",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("Build TXT\\u001B[2J\\u202E not found"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(unsafe_in(&out.stderr), Vec::new());

    // The CSV files: no control character, and no cell that starts a formula.
    let mut csvs: Vec<PathBuf> = std::fs::read_dir(&out_dir)
        .expect("export dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .collect();
    csvs.sort();
    assert_eq!(csvs.len(), 2, "{csvs:?}");
    for path in csvs {
        let bytes = std::fs::read(&path).expect("csv");
        let content = text(&bytes);
        let body = content.strip_prefix('\u{feff}').expect("UTF-8 BOM first");
        let unsafe_chars: Vec<char> = body
            .chars()
            .filter(|c| *c != '\r' && *c != '\n' && unsafe_char(*c))
            .collect();
        assert_eq!(unsafe_chars, Vec::<char>::new(), "{}", path.display());
        assert!(
            body.contains("'=HYPERLINK") || body.contains("'@SUM"),
            "the hostile names are there, neutralised:\n{body}"
        );
        for line in body.lines() {
            for cell in csv_cells(line) {
                let first = cell.trim_start().chars().next();
                let formula = match first {
                    Some('=' | '+' | '@') => true,
                    Some('-') => cell.trim().parse::<f64>().is_err(),
                    _ => false,
                };
                assert!(!formula, "formula cell {cell:?} in {}", path.display());
            }
        }
    }
}

/// The cells of one CSV record (RFC 4180 quoting undone).
fn csv_cells(line: &str) -> Vec<String> {
    let mut cells = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                cells.last_mut().expect("a cell").push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => cells.push(String::new()),
            (c, _) => cells.last_mut().expect("a cell").push(c),
        }
    }
    cells
}

/// The use cases behind the screens refuse the same characters, naming the field; the screens show
/// the refusal (`ServiceError::Invalid`) with the input kept.
#[tokio::test]
async fn screen_use_cases_refuse_forbidden_characters_naming_the_field() {
    use crate::auth::{ctx, login_ok, send};
    use cleanstation::domain::Role;
    use cleanstation::domain::instructions::{InstructionDraft, StepDraft, ToolDraft};
    use cleanstation::domain::order::OrderStatus;
    use cleanstation::domain::service_order::CartLine;
    use cleanstation::domain::user::NewUser;
    use cleanstation::error::ServiceError;
    use cleanstation::msg::Request;
    use uuid::Uuid;

    let db = seeded().await;
    let ctx = ctx(&db);
    let token = |name: &'static str| {
        let ctx = ctx.clone();
        async move { login_ok(&ctx, name, DEMO_PASSWORD).await.token }
    };
    let (admin, service, procurement, assembler, inspector) = (
        token("admin").await,
        token("service").await,
        token("procurement").await,
        token("assembler").await,
        token("inspector").await,
    );
    let nowhere = Uuid::new_v4();
    let cases: Vec<(Request, &str)> = vec![
        (
            Request::CreateUser {
                token: admin.clone(),
                user: NewUser {
                    username: "jsmith".into(),
                    full_name: "Jane\u{1b}]0;x\u{7}Smith".into(),
                    initials: "JS".into(),
                    role: Role::Assembler,
                    password: "long-enough-1".into(),
                    must_change_password: true,
                },
            },
            "Full name: contains the control character U+001B",
        ),
        (
            Request::SaveWorkInstruction {
                token: admin.clone(),
                instruction: Box::new(InstructionDraft {
                    title: "Mount\u{202E}".into(),
                    active: true,
                    steps: vec![StepDraft {
                        description: "Drill".into(),
                        safety_notes: None,
                        estimated_minutes: None,
                    }],
                    ..InstructionDraft::default()
                }),
            },
            "Title: contains the direction-changing character U+202E",
        ),
        (
            Request::SaveTool {
                token: admin.clone(),
                tool: Box::new(ToolDraft {
                    name: "Wrench\u{200B}".into(),
                    active: true,
                    ..ToolDraft::default()
                }),
            },
            "Name: contains the zero-width character U+200B",
        ),
        (
            Request::Transition {
                token: admin.clone(),
                order_id: nowhere,
                from: OrderStatus::OrderCreated,
                to: OrderStatus::PartsSent,
                note: None,
                override_reason: Some("waiver\u{9b}2J".into()),
                password: None,
            },
            "Override reason: contains the control character U+009B",
        ),
        (
            Request::SubmitServiceOrder {
                token: service.clone(),
                lines: vec![CartLine {
                    part_id: "T2-CTRL-EDR1".into(),
                    quantity: 1,
                }],
                notes: Some("Ur\u{85}gent".into()),
            },
            "Notes: contains the control character U+0085",
        ),
        (
            Request::RejectServiceOrder {
                token: procurement.clone(),
                id: nowhere,
                reason: "No\u{2066}".into(),
                internal_note: None,
            },
            "Rejection reason: contains the direction-changing character U+2066",
        ),
        (
            Request::FulfilServiceOrder {
                token: procurement.clone(),
                id: nowhere,
                note: None,
                internal_note: Some("Shelf\u{FEFF}".into()),
            },
            "Internal note: contains the zero-width character U+FEFF",
        ),
        (
            Request::AddTaskNote {
                token: assembler.clone(),
                task_id: nowhere,
                note: "Done\u{7}".into(),
            },
            "Note: contains the control character U+0007",
        ),
        (
            Request::SaveQcDraft {
                token: inspector.clone(),
                order_id: nowhere,
                qc_type: cleanstation::domain::checklist::FormType::PreQc,
                job_id: "J-1\u{1b}[2J".into(),
                answers: Vec::new(),
            },
            "Job ID: contains the control character U+001B",
        ),
    ];
    for (request, message) in cases {
        let what = format!("{request:?}");
        match send(&ctx, request).await {
            Err(ServiceError::Invalid(m)) => assert!(m.contains(message), "{what}: {m}"),
            other => panic!("{what}: expected a refusal, got {other:?}"),
        }
    }
    let c = db.client().await;
    let pattern = r"[\u0001-\u0008\u000b-\u001f\u007f-\u009f\u200b\u202e\u2066\ufeff]";
    let matches: bool = c
        .query_one("SELECT $1::text ~ $2", &[&"Shelf\u{FEFF}", &pattern])
        .await
        .expect("pattern")
        .get(0);
    assert!(matches, "the pattern finds what it looks for");
    for table in ["ServiceOrder", "WorkInstruction", "Tool", "User"] {
        let hostile: i64 = c
            .query_one(
                &format!(r#"SELECT count(*) FROM "{table}" t WHERE t::text ~ $1"#),
                &[&pattern],
            )
            .await
            .expect("count")
            .get(0);
        assert_eq!(hostile, 0, "{table}: nothing written");
    }
}
