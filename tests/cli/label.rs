//! `cleanstation label` as an operator runs it: no login, the traveler's path printed, the build number
//! in the PDF, and the refusals (exit status 2) with nothing written.

use crate::env::{Env, scratch, stderr, stdout};

#[tokio::test]
async fn label_writes_a_traveler_with_the_build_number_and_refuses_what_it_cannot_use() {
    let env = Env::new().await;
    env.import_example(1).await;
    let dir = scratch("label", "ok");
    let dir_text = dir.display().to_string();

    let out = env.run(&["label", "ex-1", "--out", &dir_text]).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let printed = stdout(&out);
    let path = printed.trim();
    assert!(path.ends_with("PO-EX-1_EX-1_traveler.pdf"), "{printed}");
    let bytes = std::fs::read(path).expect("the traveler");
    assert!(bytes.starts_with(b"%PDF"), "a PDF");
    let text = std::process::Command::new("pdftotext")
        .args([path, "-"])
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    assert!(text.status.success(), "pdftotext reads it");
    let text = String::from_utf8_lossy(&text.stdout);
    for needle in ["Build traveler", "EX-1", "PO-EX-1", "UTC"] {
        assert!(text.contains(needle), "{needle} in:\n{text}");
    }
    assert_eq!(std::fs::read_dir(&dir).expect("dir").count(), 1);

    for (args, message) in [
        (
            vec!["label", "NO-SUCH", "--out", dir_text.as_str()],
            "Build NO-SUCH not found",
        ),
        (
            vec!["label", "EX-1", "--out", "/no/such/dir-7f3a"],
            "Directory /no/such/dir-7f3a does not exist",
        ),
    ] {
        let out = env.run(&args).await;
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(message), "{args:?}: {}", stderr(&out));
    }
    assert_eq!(
        std::fs::read_dir(&dir).expect("dir").count(),
        1,
        "a refusal writes nothing"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
