//! `cleanstation dhr export` as an operator runs it: no login, the paths printed, and the refusals
//! (exit status 2) with nothing written.

use crate::env::{Env, scratch, stderr, stdout};

#[tokio::test]
async fn dhr_export_writes_the_files_and_refuses_what_it_cannot_use() {
    let env = Env::new().await;
    env.import_example(1).await;
    let dir = scratch("dhr", "ok");
    let dir_text = dir.display().to_string();

    let out = env
        .run(&[
            "dhr", "export", "ex-1", "--out", &dir_text, "--format", "json",
        ])
        .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let printed = stdout(&out);
    let lines: Vec<&str> = printed.lines().collect();
    assert_eq!(lines.len(), 1, "{printed}");
    assert!(
        lines[0].contains("PO-EX-1_EX-1_DHR_") && lines[0].ends_with("Z.json"),
        "{printed}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(lines[0]).expect("file")).expect("JSON");
    assert_eq!(json["identification"]["buildNumber"], "EX-1");
    assert_eq!(json["released"], false);

    let out = env
        .run(&["dhr", "export", "EX-1", "--out", &dir_text])
        .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().count(), 2, "PDF and JSON by default");
    let files = std::fs::read_dir(&dir).expect("dir").count();

    for (args, message) in [
        (
            vec!["dhr", "export", "NO-SUCH", "--out", dir_text.as_str()],
            "Build NO-SUCH not found",
        ),
        (
            vec!["dhr", "export", "EX-1", "--out", "/no/such/dir-7f3a"],
            "Directory /no/such/dir-7f3a does not exist",
        ),
        (
            vec![
                "dhr",
                "export",
                "EX-1",
                "--out",
                dir_text.as_str(),
                "--format",
                "csv",
            ],
            "Unknown format csv; use pdf, json or both",
        ),
    ] {
        let out = env.run(&args).await;
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(message), "{args:?}: {}", stderr(&out));
    }
    assert_eq!(
        std::fs::read_dir(&dir).expect("dir").count(),
        files,
        "nothing written"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
