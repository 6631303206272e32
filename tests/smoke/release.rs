//! A build's release, by keys: the inspector fails Final QC, which raises a nonconformance; the inspector
//! dispositions it as rework with a signature; the assembler completes the rework round; the inspector
//! passes Final QC; the coordinator ships with a signature and exports the device history record, which
//! holds every gate's signature and verifies.

use crate::floor::{complete_tasks, pack_and_send_to_final_qc, pass_testing};
use crate::{
    Station, import_example, inspector_passes_pre_qc, procurement_readies_for_pre_qc, switch_user,
};
use std::time::{Duration, Instant};

const PO: &str = "PO-EX-2";
const BUILD: &str = "EX-2";

/// Opens the build from the role's work queue (`queue` on screen) and waits for its detail with
/// `keys_shown`.
fn open_build(station: &Station, queue: &str, keys_shown: &str) {
    station.wait_for(&["Orders"], Duration::from_secs(20));
    station.open_menu("Orders");
    station.wait_for(&[queue, PO], Duration::from_secs(20));
    station.keys(&["Enter"]);
    station.wait_for(&["Build detail", keys_shown], Duration::from_secs(20));
}

/// The assembler's whole round from the build detail: tasks, testing, packaging, to Final QC.
fn assembler_round(station: &Station, done: u32, total: u32) {
    switch_user(station, "assembler");
    open_build(station, "My work", "w Assembly floor");
    station.keys(&["w"]);
    station.wait_for(
        &[&format!("Tasks {done} / {total} done")],
        Duration::from_secs(20),
    );
    complete_tasks(station, done, total);
    pass_testing(station);
    pack_and_send_to_final_qc(station, BUILD);
}

/// Answers every open line of the Final QC conforming: yes, or the first option of a choice.
fn answer_final_qc(station: &Station) {
    let screen = station.wait_settled(&["answered "], Duration::from_secs(20));
    let (answered, required) = crate::floor::count_after(&screen, "answered ").expect("progress");
    for n in answered + 1..=required {
        station.wait_settled(&["Answer: — · not answered"], Duration::from_secs(10));
        station.keys(&["y"]);
        let progress = format!("answered {n} / {required}");
        let start = Instant::now();
        loop {
            let screen = station.screen();
            if screen.contains(&progress) {
                break;
            }
            // A choice cannot be answered yes: the form says to press Enter; the dialog's first
            // option (ticked with Space where several may be chosen) is accepted.
            if screen.contains("press Enter") && !screen.contains("╔") {
                station.keys(&["Enter"]);
                let dialog = station.wait_for(&["Enter accepts"], Duration::from_secs(10));
                if dialog.contains("Space") {
                    station.keys(&["Space"]);
                }
                station.keys(&["Enter"]);
                station.wait_for(&[&progress], Duration::from_secs(10));
                break;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "Final QC line {n} not answered; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// Signs the open QC form: the job id, then (for a FAIL) the reason, then the password; a FAIL then
/// picks its first rejection reason (docs/rejection-reasons.md §2.1).
fn sign_final_qc(station: &Station, outcome: &str, reason: Option<&str>) {
    station.keys(&["i"]);
    station.wait_for(&["▶ Job ID ["], Duration::from_secs(10));
    station.keys(&["C-u"]);
    station.type_text("J-2001");
    station.keys(&["Enter"]);
    station.wait_for(&["Job ID J-2001"], Duration::from_secs(10));
    station.keys(&["s"]);
    station.wait_for(
        &["Sign Final QC", &format!("FINAL_QC {outcome}")],
        Duration::from_secs(10),
    );
    if let Some(reason) = reason {
        station.keys(&["Tab"]);
        station.wait_for(&["▶ Reason"], Duration::from_secs(10));
        station.type_text(reason);
    }
    station.tab_to("▶ Password", 4);
    station.type_text("demo-password");
    station.keys(&["Enter"]);
    if reason.is_some() {
        station.wait_for(
            &["Rejection reasons: 0 picked", "▶ [ ] WELD"],
            Duration::from_secs(10),
        );
        station.keys(&["Space"]);
        station.wait_for(&["▶ [x] WELD"], Duration::from_secs(10));
        station.keys(&["Enter"]);
    }
}

#[test]
fn a_failed_final_qc_is_reworked_passed_shipped_and_its_device_history_record_exported() {
    let station = Station::start("release");
    station.wait_for(&["Username", "Password"], Duration::from_secs(120));
    import_example(&station, 2);
    procurement_readies_for_pre_qc(&station, PO, BUILD);
    inspector_passes_pre_qc(&station, PO, BUILD);
    assembler_round(&station, 0, 21);

    // Final QC fails on its first line: the build goes back to production and an NC is raised.
    switch_user(&station, "inspector");
    open_build(&station, "Final QC", "c QC checklist");
    station.keys(&["c"]);
    station.wait_for(
        &["Final Quality Check v1", "answered 0 / "],
        Duration::from_secs(20),
    );
    station.keys(&["n"]);
    station.wait_for(&["answered 1 / "], Duration::from_secs(10));
    sign_final_qc(&station, "FAIL", Some("Hi-pot test not recorded"));
    station.wait_for(
        &[&format!(
            "Final QC FAIL signed · build {BUILD} is now Ready for production"
        )],
        Duration::from_secs(30),
    );

    // The inspector dispositions the NC as rework (the first option) and signs it.
    for _ in 0..6 {
        if station.screen().contains("Nonconformances") && station.screen().contains("▶ ") {
            break;
        }
        station.key_alone("Escape");
    }
    station.open_menu("Nonconformances");
    station.wait_for(&["NC-", BUILD, "OPEN"], Duration::from_secs(20));
    station.keys(&["Enter"]);
    station.wait_settled(
        &["Hi-pot test not recorded", "Not dispositioned yet."],
        Duration::from_secs(20),
    );
    station.keys(&["d"]);
    station.wait_for(
        &["Signature: Tom Becker | DISPOSITIONED", "◀ REWORK"],
        Duration::from_secs(10),
    );
    station.keys(&["Tab"]);
    station.type_text("Re-run the hi-pot test and record it");
    station.tab_to("▶ Password", 3);
    station.type_text("demo-password");
    station.keys(&["Enter"]);
    station.wait_for(&["DISPOSITIONED REWORK"], Duration::from_secs(20));

    // The rework round: the one rework task, then testing and packaging of the new round.
    assembler_round(&station, 21, 22);

    // Final QC passes: every line conforming, signed.
    switch_user(&station, "inspector");
    open_build(&station, "Final QC", "c QC checklist");
    station.keys(&["c"]);
    station.wait_for(&["Final Quality Check v1"], Duration::from_secs(20));
    answer_final_qc(&station);
    sign_final_qc(&station, "PASS", None);
    station.wait_for(
        &[&format!(
            "Final QC PASS signed · build {BUILD} is now Ready for ship"
        )],
        Duration::from_secs(30),
    );

    // The coordinator ships it, signed, and writes its device history record with D.
    switch_user(&station, "coordinator");
    open_build(&station, "My work", "m Move status");
    station.keys(&["m"]);
    station.wait_for(
        &["Ship build", "Signature: ", "SHIPPED", "Tracking number"],
        Duration::from_secs(10),
    );
    station.type_text("1Z999AA10123456784");
    station.tab_to("▶ Password", 3);
    station.type_text("demo-password");
    station.keys(&["Enter"]);
    station.wait_loaded(
        &["Status       Shipped"],
        "(refreshing…)",
        Duration::from_secs(20),
    );
    station.keys(&["D"]);
    station.wait_for(&["DHR written: ", "{pdf,json}"], Duration::from_secs(30));
    let written: Vec<String> = std::fs::read_dir(&station.dir)
        .expect("station dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("PO-EX-2_EX-2_DHR_"))
        .collect();
    assert_eq!(written.len(), 2, "{written:?}");

    // Every gate's signature verifies from the command line, and the record holds them all.
    let verify = station.cli(&["verify", BUILD]);
    let out = String::from_utf8_lossy(&verify.stdout);
    assert!(verify.status.success(), "{out}");
    for meaning in [
        "APPROVED",
        "PRE_QC PASS",
        "TESTED",
        "VERIFIED",
        "FINAL_QC FAIL",
        "DISPOSITIONED",
        "FINAL_QC PASS",
        "SHIPPED",
    ] {
        assert!(out.contains(meaning), "{meaning} not in:\n{out}");
    }
    assert!(!out.contains("MISMATCH"), "{out}");

    let dir = station.dir.join("dhr");
    std::fs::create_dir_all(&dir).expect("dhr dir");
    let export = station.cli(&["dhr", "export", BUILD, "--out", &dir.display().to_string()]);
    assert!(
        export.status.success(),
        "{}",
        String::from_utf8_lossy(&export.stderr)
    );
    let json = std::fs::read_dir(&dir)
        .expect("dhr dir")
        .flatten()
        .find(|e| e.path().extension().is_some_and(|x| x == "json"))
        .map(|e| std::fs::read_to_string(e.path()).expect("json"))
        .expect("a DHR JSON file");
    for needle in [
        "\"released\": true",
        "FINAL_QC FAIL",
        "DISPOSITIONED",
        "SHIPPED",
        "[WELD] Hi-pot test not recorded",
        "\"contentSha256\"",
    ] {
        assert!(json.contains(needle), "{needle} not in the DHR JSON");
    }
}
