//! `cleanstation report` as a coordinator runs it: the table, the CSV file and the refusals (exit
//! status 2) with nothing written.

use crate::env::{Env, scratch, stderr, stdout};
use cleanstation::service::seed::DEMO_PASSWORD;

#[tokio::test]
async fn report_prints_the_table_writes_the_csv_and_refuses_what_it_cannot_use() {
    let env = Env::new().await;
    env.import_example(1).await;
    let as_coordinator = |args: &[&str]| {
        let mut all: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        all.extend(["--as".to_string(), "coordinator".to_string()]);
        all
    };
    let db = &env.db;
    let run = |args: Vec<String>| async move {
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        db.cli(&refs, &[("CLEANSTATION_PASSWORD", DEMO_PASSWORD)])
            .await
    };

    // The work in progress: the imported builds are all ORDER_CREATED.
    let out = run(as_coordinator(&["report", "wip"])).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let created = env
        .db
        .count(r#"SELECT count(*) FROM "ProductionOrder" WHERE "orderStatus" = 'ORDER_CREATED'"#)
        .await;
    assert!(created > 0);
    assert!(text.starts_with("Work in progress — "), "{text}");
    assert!(
        text.lines().any(|l| l.starts_with("Order created")
            && l.split_whitespace().nth(2) == Some(&created.to_string())),
        "{text}"
    );
    assert!(
        text.contains(&format!("{created} builds not shipped")),
        "{text}"
    );

    // A custom range into a named CSV file; the same name again is refused.
    let dir = scratch("report", "csv");
    let file = dir.join("yield.csv").display().to_string();
    let args = as_coordinator(&[
        "report",
        "first-pass-yield",
        "--from",
        "2026-01-01",
        "--to",
        "2026-03-31",
        "--csv",
        &file,
    ]);
    let out = run(args.clone()).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), file);
    let csv = std::fs::read_to_string(&file).expect("csv");
    assert_eq!(
        csv,
        "\u{feff}Check,First attempts,Passed first time,Yield (%)\r\n\
         Pre-QC,0,0,\r\nFinal QC,0,0,\r\nEnd-of-line testing,0,0,\r\n"
    );
    let out = run(args).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("already exists"), "{}", stderr(&out));

    // Into a directory, named by the report and period.
    let out = run(as_coordinator(&[
        "report",
        "throughput",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
        "--out",
        &dir.display().to_string(),
    ]))
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out)
            .trim()
            .ends_with("throughput-2026-11-01-2026-11-30.csv"),
        "{}",
        stdout(&out)
    );

    for (args, message) in [
        (as_coordinator(&["report", "speed"]), "Unknown report speed"),
        (
            as_coordinator(&["report", "wip", "--week", "--quarter"]),
            "Choose one period",
        ),
        (
            as_coordinator(&[
                "report",
                "wip",
                "--from",
                "2026-02-30",
                "--to",
                "2026-03-01",
            ]),
            "--from 2026-02-30 is not a date",
        ),
        (
            vec![
                "report".into(),
                "wip".into(),
                "--as".into(),
                "assembler".into(),
            ],
            "cannot read the production reports",
        ),
    ] {
        let out = run(args).await;
        assert_eq!(out.status.code(), Some(2), "{message}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(message),
            "{message}: {}",
            stderr(&out)
        );
    }
    assert_eq!(std::fs::read_dir(&dir).expect("dir").count(), 2);
}
