//! Drives the real binary in tmux, as a user at a station would: a fresh embedded cluster in a
//! temporary directory, first-start seeding, each demo role's login and home screen, the station
//! lock, help, quitting, and a terminal restored afterwards.
#![allow(clippy::panic)] // a test reports failure by panicking

use std::path::Path;
use std::time::Duration;

mod badge;
mod comments;
mod floor;
mod live;
mod release;
mod station;

use floor::{complete_tasks, fail_then_pass_testing, pack_and_send_to_final_qc, pass_testing};
use station::Station;

fn assert_absent(screen: &str, needle: &str) {
    assert!(
        !screen.contains(needle),
        "{needle:?} should not be on screen:\n{screen}"
    );
}

#[test]
fn each_role_logs_in_locks_and_the_terminal_is_restored() {
    let station = Station::start("roles");
    // First start: the cluster is created, migrated and seeded, and the login screen says so.
    station.wait_for(
        &["Username", "Password", "demo data loaded"],
        Duration::from_secs(120),
    );

    // A wrong password is refused without revealing anything else.
    station.login("coordinator", "not-the-password");
    station.wait_for(&["Username or password incorrect"], Duration::from_secs(20));

    let roles = [
        ("coordinator", "Dana Reyes", "Production coordinator"),
        ("admin", "Alex Morgan", "Administrator"),
        ("procurement", "Priya Shah", "Procurement specialist"),
        ("inspector", "Tom Becker", "QC inspector"),
        ("assembler", "Luis Ortega", "Assembler"),
        ("service", "Mei Chen", "Service department"),
    ];
    for (i, (username, full_name, role_title)) in roles.iter().enumerate() {
        if i > 0 {
            station.wait_for(&["Username", "Password"], Duration::from_secs(20));
        }
        station.login(username, "demo-password");
        let home = station.wait_for(&[full_name, role_title, "bench-1"], Duration::from_secs(20));
        assert_absent(&home, "Password incorrect");
        if *username == "admin" {
            assert!(
                home.contains("Users"),
                "the admin's home lists user administration:\n{home}"
            );
        } else {
            assert_absent(&home, "Users ");
        }
        // Lock the station, then switch user from the lock screen.
        station.keys(&["C-l"]);
        station.wait_for(
            &["Station locked", full_name, "F2 Switch user"],
            Duration::from_secs(10),
        );
        station.keys(&["F2"]);
    }

    // Help, then quit: the terminal must come back in cooked mode with echo on.
    station.wait_for(&["Username", "Password"], Duration::from_secs(20));
    station.login("coordinator", "demo-password");
    station.wait_for(&["Dana Reyes"], Duration::from_secs(20));
    station.keys(&["?"]);
    station.wait_for(
        &["Help: keys that work here", "Lock station", "Quit"],
        Duration::from_secs(10),
    );
    station.key_alone("Escape");
    station.key_alone("q");
    // The terminal's mode is printed just after the exit code: wait for both.
    let after = station.wait_for(&["EXIT=0", "icanon"], Duration::from_secs(20));
    assert!(
        after.contains("icanon") && !after.contains("-icanon"),
        "canonical mode restored:\n{after}"
    );
    assert!(
        after.contains("echo") && !after.contains("-echo"),
        "echo restored:\n{after}"
    );
    assert_absent(&after, "Dana Reyes");
    assert!(
        Path::new(&station.dir.join("log")).is_dir(),
        "logs go to the configured directory"
    );
}

#[test]
fn a_coordinator_creates_a_two_build_po_and_procurement_sees_it() {
    let station = Station::start("order");
    station.wait_for(&["Username", "Password"], Duration::from_secs(120));
    station.login("coordinator", "demo-password");
    station.wait_for(&["Dana Reyes", "New order"], Duration::from_secs(20));
    // "New order" is the coordinator's first menu entry.
    station.keys(&["Enter"]);
    station.wait_for(&["Step 1 of 5"], Duration::from_secs(20));

    let pid = std::process::id();
    let po = format!("PO-T{pid}");
    let (b1, b2) = (format!("T{pid}-1"), format!("T{pid}-2"));
    let want = (chrono::Local::now().date_naive() + chrono::Days::new(90))
        .format("%Y-%m-%d")
        .to_string();
    station.type_text(&po);
    station.keys(&["Tab"]);
    station.type_text("Mercy General Hospital");
    station.keys(&["Tab", "Tab"]);
    station.type_text("Jordan Sales");
    station.keys(&["Tab"]);
    station.type_text(&want);
    station.keys(&["C-n"]);

    station.wait_for(&["Step 2 of 5"], Duration::from_secs(20));
    station.keys(&["Tab", "BSpace"]);
    station.type_text("2");
    station.keys(&["Tab"]);
    station.type_text(&b1);
    station.keys(&["Tab"]);
    station.type_text(&b2);
    station.keys(&["C-n"]);

    // Build 1: T2-B1, 30 x 60 in, height-adjustable DL27 legs, casters, one E-Sink basin 20x20x8.
    station.wait_for(&["Step 3 of 5", &b1], Duration::from_secs(20));
    station.keys(&["Right", "Tab"]);
    station.type_text("30");
    station.keys(&["Tab"]);
    station.type_text("60");
    station.keys(&[
        "Tab", "Right", "Tab", "Right", "Tab", "Right", "Tab", "Tab", "Tab", "Right", "Tab",
        "Right",
    ]);
    station.wait_for(&[&format!("✔ {b1}")], Duration::from_secs(10));
    // Build 2 copies build 1.
    station.keys(&["PgDn"]);
    station.wait_for(&[&format!("{b2} (2 of 2)")], Duration::from_secs(10));
    station.keys(&["C-o"]);
    station.wait_for(&["Copy configuration from"], Duration::from_secs(10));
    station.keys(&["Enter"]);
    station.wait_for(&[&format!("✔ {b2}")], Duration::from_secs(10));
    station.keys(&["C-n"]);
    station.wait_for(&["Step 4 of 5"], Duration::from_secs(10));
    station.keys(&["C-n"]);
    station.wait_for(
        &[
            "Step 5 of 5",
            &format!("Ready to create PO {po} with 2 build(s)"),
        ],
        Duration::from_secs(20),
    );
    station.keys(&["Enter"]);
    station.wait_for(
        &[
            &format!("Created PO {po} with 2 build(s): {b1}, {b2}"),
            "Build detail",
            "Order created",
        ],
        Duration::from_secs(30),
    );

    // Procurement's work queue now holds both builds.
    switch_user(&station, "procurement");
    station.wait_for(&["Priya Shah", "Orders"], Duration::from_secs(20));
    station.keys(&["Enter"]);
    station.wait_for(
        &["My work", &po, &b1, &b2, "Mercy General Hospital"],
        Duration::from_secs(20),
    );
}

#[test]
fn procurement_reads_a_bom_exports_it_and_finds_where_a_part_is_used() {
    let station = Station::start("bom");
    station.wait_for(&["Username", "Password"], Duration::from_secs(120));
    // The order comes in through the command line, as a coordinator would import it.
    import_example(&station, 2);

    station.login("procurement", "demo-password");
    station.wait_for(&["Priya Shah", "Orders"], Duration::from_secs(20));
    station.keys(&["Enter"]);
    station.wait_for(&["My work", "PO-EX-2"], Duration::from_secs(20));
    station.keys(&["Enter"]);
    // Keys wait for the build: `v` is pressed once its actions line is drawn.
    station.wait_for(
        &["Build detail", "Actions", "v View BOM"],
        Duration::from_secs(20),
    );
    station.keys(&["v"]);
    station.wait_for(
        &["[ Tree ]", "Version 1 of 1", "T2-BODY-48-60-HA"],
        Duration::from_secs(20),
    );
    assert_absent(&station.screen(), "T2-ADW-48-60-FRAME");
    station.keys(&["+"]);
    station.wait_for(&["T2-ADW-48-60-FRAME"], Duration::from_secs(10));
    station.keys(&["/"]);
    station.type_text("valve");
    station.keys(&["Enter"]);
    station.wait_for(&["Search 'valve': match 1 of"], Duration::from_secs(10));
    station.keys(&["Tab"]);
    station.wait_for(&["[ Totals ]", "distinct parts"], Duration::from_secs(10));

    // Export the PDF into a directory of the test's own.
    let out = station.dir.join("exports");
    std::fs::create_dir_all(&out).expect("export dir");
    station.keys(&["x"]);
    station.wait_for(&["Export BOM", "Format"], Duration::from_secs(10));
    station.keys(&["Right", "Tab", "C-u"]);
    station.type_text(&out.display().to_string());
    station.keys(&["Enter"]);
    let pdf = out.join("PO-EX-2_EX-2_BOM_v1.pdf");
    station.wait_for(
        &[&format!("Exported to {}", pdf.display())],
        Duration::from_secs(30),
    );
    let bytes = std::fs::read(&pdf).expect("the exported PDF");
    assert!(bytes.starts_with(b"%PDF"), "not a PDF: {:?}", &bytes[..8]);

    // From home, the inventory: find the drain valve and where it is used.
    for _ in 0..3 {
        station.key_alone("Escape");
    }
    station.wait_for(&["Welcome", "Inventory"], Duration::from_secs(10));
    station.open_menu("Inventory");
    station.wait_for(&["Catalog", "SINK BODY"], Duration::from_secs(20));
    station.keys(&["/"]);
    station.type_text("59800");
    station.keys(&["Enter"]);
    station.wait_for(
        &["1 match for '59800'", "ELECTRIC DRAIN VALVE"],
        Duration::from_secs(10),
    );
    station.keys(&["w"]);
    station.wait_for(
        &[
            "Where used: 59800",
            "ASSY-T2-DRAIN-VALVE",
            "Open builds whose current BOM contains it (1)",
            "PO-EX-2",
        ],
        Duration::from_secs(20),
    );
}

/// The build of `tests/fixtures/bom/example-N.json`, imported by the coordinator from the command line.
fn import_example(station: &Station, n: u32) {
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/bom/example-{n}.json"));
    let import = station.cli(&[
        "order",
        "import",
        &fixture.display().to_string(),
        "--as",
        "coordinator",
    ]);
    assert!(
        import.status.success(),
        "{}",
        String::from_utf8_lossy(&import.stderr)
    );
}

/// Procurement approves the BOM, sends the parts and confirms the body's arrival, by keys.
fn procurement_readies_for_pre_qc(station: &Station, po: &str, build: &str) {
    station.login("procurement", "demo-password");
    station.wait_for(&["Priya Shah", "Orders"], Duration::from_secs(20));
    station.keys(&["Enter"]);
    station.wait_for(&["My work", po], Duration::from_secs(20));
    station.keys(&["Enter"]);
    station.wait_for(&["Build detail", "b Approve BOM"], Duration::from_secs(20));
    for (key, done, status) in [
        (
            "b",
            format!("BOM version 1 of {build} approved"),
            "Order created",
        ),
        ("m", format!("{build} moved to Parts sent"), "Parts sent"),
        (
            "m",
            format!("{build} moved to Ready for Pre-QC"),
            "Ready for Pre-QC",
        ),
    ] {
        station.keys(&[key]);
        if key == "b" {
            // The approval is signed: the dialog shows the signature and asks for the password.
            station.wait_for(
                &["Signature: Priya Shah | APPROVED", "Password"],
                Duration::from_secs(10),
            );
            station.type_text("demo-password");
            station.keys(&["Enter"]);
        } else {
            station.wait_for(&["y Yes"], Duration::from_secs(10));
            station.keys(&["y"]);
        }
        // The next key acts on the reloaded build, whose header shows the status it is now in.
        station.wait_loaded(
            &[&done, &format!("Status       {status}")],
            "(refreshing…)",
            Duration::from_secs(20),
        );
    }
}

/// Locks the station and logs in as `username` through the lock screen's switch-user.
fn switch_user(station: &Station, username: &str) {
    station.keys(&["C-l"]);
    station.wait_for(&["Station locked"], Duration::from_secs(10));
    station.keys(&["F2"]);
    station.login(username, "demo-password");
}

/// The inspector answers the Pre-QC of example 2 (T2-B2) from the keyboard and signs it PASS.
fn inspector_passes_pre_qc(station: &Station, po: &str, build: &str) {
    switch_user(station, "inspector");
    station.wait_for(&["QC inspector", "Orders"], Duration::from_secs(20));
    station.keys(&["Enter"]);
    station.wait_for(&[po, "Pre-QC"], Duration::from_secs(20));
    station.keys(&["Enter"]);
    station.wait_for(&["Build detail", "c QC checklist"], Duration::from_secs(20));
    station.keys(&["c"]);
    station.wait_for(
        &["Pre-Production Check v1", "answered 0 / 15 required"],
        Duration::from_secs(20),
    );
    // Eleven yes/no checks, each answered and the next one selected.
    for n in 1..=11 {
        station.keys(&["y"]);
        station.wait_for(
            &[&format!("answered {n} / 15 required")],
            Duration::from_secs(10),
        );
    }
    // The drain locations (one choice each), then the faucet locations (several allowed: Space ticks).
    for (n, keys) in [
        (12, &["Enter"][..]),
        (13, &["Enter"][..]),
        (14, &["Space", "Enter"][..]),
        (15, &["Space", "Enter"][..]),
    ] {
        station.keys(&["Enter"]);
        station.wait_for(&["Choose", "Enter accepts"], Duration::from_secs(10));
        for k in keys {
            station.keys(&[k]);
        }
        station.wait_for(
            &[&format!("answered {n} / 15 required")],
            Duration::from_secs(10),
        );
    }
    station.wait_for(&["ready to sign (s)", "Saved"], Duration::from_secs(10));
    station.keys(&["i"]);
    station.wait_for(&["▶ Job ID ["], Duration::from_secs(10));
    station.type_text("J-1001");
    station.keys(&["Enter"]);
    station.wait_for(&["Job ID J-1001"], Duration::from_secs(10));
    station.keys(&["s"]);
    station.wait_for(&["Sign Pre-QC", "PRE_QC PASS"], Duration::from_secs(10));
    station.keys(&["Tab", "Tab"]);
    station.wait_for(&["▶ Password"], Duration::from_secs(10));
    station.type_text("demo-password");
    station.keys(&["Enter"]);
    station.wait_for(
        &[&format!(
            "Pre-QC PASS signed · build {build} is now Ready for production"
        )],
        Duration::from_secs(30),
    );
    station.wait_for(&["Ready for production"], Duration::from_secs(10));
}

#[test]
fn an_inspector_passes_pre_qc_with_keys_only_and_the_build_moves_to_production() {
    let station = Station::start("qc");
    station.wait_for(&["Username", "Password"], Duration::from_secs(120));
    import_example(&station, 2);
    procurement_readies_for_pre_qc(&station, "PO-EX-2", "EX-2");
    inspector_passes_pre_qc(&station, "PO-EX-2", "EX-2");

    // The signature checks out from the command line too.
    let verify = station.cli(&["qc", "verify", "EX-2"]);
    let out = String::from_utf8_lossy(&verify.stdout);
    assert!(verify.status.success(), "{out}");
    assert!(
        out.contains("PRE_QC PASS") && out.contains("Tom Becker: signature verified"),
        "{out}"
    );
}

#[test]
fn an_assembler_takes_a_build_through_tasks_testing_and_packaging_to_final_qc() {
    let station = Station::start("floor");
    station.wait_for(&["Username", "Password"], Duration::from_secs(120));
    import_example(&station, 2);
    procurement_readies_for_pre_qc(&station, "PO-EX-2", "EX-2");
    inspector_passes_pre_qc(&station, "PO-EX-2", "EX-2");

    switch_user(&station, "assembler");
    station.wait_for(&["Luis Ortega", "Orders"], Duration::from_secs(20));
    station.keys(&["Enter"]);
    station.wait_for(&["My work", "PO-EX-2"], Duration::from_secs(20));
    station.keys(&["Enter"]);
    station.wait_for(
        &["Build detail", "w Assembly floor"],
        Duration::from_secs(20),
    );
    station.keys(&["w"]);
    // The generated list of the T2-B2 with its real work instruction and the safety box.
    let screen = station.wait_for(
        &[
            "Tasks 0 / 21 done",
            "Work instruction",
            "Overhead LED light",
        ],
        Duration::from_secs(20),
    );
    assert!(screen.contains("SAFETY"), "{screen}");

    complete_tasks(&station, 0, 21);
    pass_testing(&station);
    let items = pack_and_send_to_final_qc(&station, "EX-2");

    // The records are in the database: the command line reads the build back.
    let show = station.cli(&["order", "show", "EX-2", "--as", "coordinator"]);
    let out = String::from_utf8_lossy(&show.stdout);
    assert!(show.status.success(), "{out}");
    for step in [
        "Tasks: 21 / 21 done",
        "Testing: PASS by Luis Ortega at ",
        &format!("Packaging: {items} items complete by Luis Ortega at "),
        "Luis Ortega  TESTING_COMPLETE  READY_FOR_PRODUCTION -> TESTING_COMPLETE",
        "Luis Ortega  PACKAGING_COMPLETE  TESTING_COMPLETE -> PACKAGING_COMPLETE",
        "Luis Ortega  SENT_TO_FINAL_QC  PACKAGING_COMPLETE -> READY_FOR_FINAL_QC",
    ] {
        assert!(out.contains(step), "{step:?} not in:\n{out}");
    }

    // Every write of the session was proven by a session and sealed: the audit trail verifies.
    let verify = station.cli(&["audit", "verify"]);
    let out = String::from_utf8_lossy(&verify.stdout);
    assert!(verify.status.success(), "{out}");
    for line in [
        "Unattributed writes by the station role: none.",
        "QC signatures: 1 verified, 0 not matching.",
        "Electronic signatures: 4 verified, 0 not verifying.",
        "Result: OK",
    ] {
        assert!(out.contains(line), "{line:?} not in:\n{out}");
    }
}

#[test]
fn a_failed_eol_form_followed_by_a_new_form_needs_only_the_failing_measurement() {
    let station = Station::start("carry");
    station.wait_for(&["Username", "Password"], Duration::from_secs(120));
    import_example(&station, 2);
    procurement_readies_for_pre_qc(&station, "PO-EX-2", "EX-2");
    inspector_passes_pre_qc(&station, "PO-EX-2", "EX-2");

    switch_user(&station, "assembler");
    station.wait_for(&["Luis Ortega", "Orders"], Duration::from_secs(20));
    station.keys(&["Enter"]);
    station.wait_for(&["My work", "PO-EX-2"], Duration::from_secs(20));
    station.keys(&["Enter"]);
    station.wait_for(
        &["Build detail", "w Assembly floor"],
        Duration::from_secs(20),
    );
    station.keys(&["w"]);
    station.wait_for(&["Tasks 0 / 21 done"], Duration::from_secs(20));
    complete_tasks(&station, 0, 21);
    fail_then_pass_testing(&station);

    // Both forms are records: the round's latest passed.
    let show = station.cli(&["order", "show", "EX-2", "--as", "coordinator"]);
    let out = String::from_utf8_lossy(&show.stdout);
    assert!(show.status.success(), "{out}");
    assert!(out.contains("Testing: PASS by Luis Ortega at "), "{out}");
}

/// Searches the service catalogue for `id` and adds `quantity` of it to the cart.
fn add_service_part(station: &Station, id: &str, quantity: &str) {
    station.keys(&["/"]);
    station.wait_for(&["▶ Search"], Duration::from_secs(10));
    station.keys(&["C-u"]);
    station.type_text(id);
    station.keys(&["Enter"]);
    station.wait_for(&[&format!("▶   {id}  ")], Duration::from_secs(10));
    station.keys(&["a"]);
    station.wait_for(&["Add to cart", "▶ Quantity"], Duration::from_secs(10));
    station.keys(&["C-u"]);
    station.type_text(quantity);
    station.keys(&["Enter"]);
    station.wait_for(
        &[&format!("Added {quantity} × {id}")],
        Duration::from_secs(10),
    );
}

#[test]
fn a_service_order_goes_from_the_cart_to_fulfilled_and_procurement_works_its_desk() {
    let station = Station::start("service");
    station.wait_for(&["Username", "Password"], Duration::from_secs(120));

    // The service department orders two parts.
    station.login("service", "demo-password");
    station.wait_for(&["Mei Chen", "Service parts"], Duration::from_secs(20));
    station.open_menu("Service parts");
    station.wait_for(&["service items"], Duration::from_secs(20));
    add_service_part(&station, "T2-CTRL-EDR1", "2");
    add_service_part(&station, "Q13404-02", "1");
    station.keys(&["c"]);
    station.wait_for(&["T2-CTRL-EDR1", "Q13404-02"], Duration::from_secs(10));
    station.keys(&["s"]);
    station.wait_for(&["Submit service order", "▶ Note"], Duration::from_secs(10));
    station.type_text("For the Lakeview visit");
    station.keys(&["Enter"]);
    station.wait_for(
        &["y Yes", "Submit the cart to procurement"],
        Duration::from_secs(10),
    );
    station.keys(&["y"]);
    let screen = station.wait_for(&["submitted (2 lines)"], Duration::from_secs(20));
    let number = screen
        .split_whitespace()
        .find(|w| w.starts_with("SO-") && w.len() == 11)
        .expect("the order number in the toast")
        .to_string();

    // Procurement approves one line in full and reduces the other.
    switch_user(&station, "procurement");
    station.wait_for(&["Priya Shah"], Duration::from_secs(20));
    station.open_menu("Service orders");
    station.wait_for(&[&number, "PENDING"], Duration::from_secs(20));
    station.keys(&["Enter"]);
    station.wait_for(&["a Approve", "T2-CTRL-EDR1"], Duration::from_secs(20));
    station.keys(&["a"]);
    station.wait_for(&["Approve service order"], Duration::from_secs(10));
    // Lines come by part id: the enclosure (1) stays, the control box (2) gets one less.
    station.keys(&["Tab"]);
    station.wait_for(&["▶ T2-CTRL-EDR1"], Duration::from_secs(10));
    station.keys(&["-"]);
    station.wait_for(&["reduced"], Duration::from_secs(10));
    station.tab_to("▶ Internal note", 6);
    station.keys(&["Enter"]);
    // Enter asks, naming the order; only y decides.
    station.wait_for(
        &["y Yes", "Approve service order SO-"],
        Duration::from_secs(10),
    );
    station.keys(&["y"]);
    station.wait_for(&[&format!("{number} APPROVED")], Duration::from_secs(20));
    // The parts are handed over.
    station.wait_for(&["f Mark fulfilled"], Duration::from_secs(10));
    station.keys(&["f"]);
    station.wait_for(&["▶ Note"], Duration::from_secs(10));
    station.type_text("Handed over at the dock");
    station.keys(&["Tab"]);
    station.wait_for(&["▶ Internal note"], Duration::from_secs(5));
    station.keys(&["Enter"]);
    station.wait_for(&["y Yes", "fulfilled: the parts"], Duration::from_secs(10));
    station.keys(&["y"]);
    station.wait_for(&[&format!("{number} FULFILLED")], Duration::from_secs(20));

    // The order desk: a build from ORDER_CREATED to READY_FOR_PRE_QC, each move with a note.
    import_example(&station, 2);
    station.key_alone("Escape");
    station.key_alone("Escape");
    station.wait_for(&["Welcome"], Duration::from_secs(10));
    station.open_menu("Order desk");
    station.wait_for(&["PO-EX-2", "v1 DRAFT"], Duration::from_secs(20));
    station.keys(&["b"]);
    station.wait_for(
        &["Signature: Priya Shah | APPROVED", "Password"],
        Duration::from_secs(10),
    );
    station.type_text("demo-password");
    station.keys(&["Enter"]);
    station.wait_for(&["v1 APPROVED"], Duration::from_secs(20));
    for (note, status) in [
        ("Parts picked", "Parts sent"),
        ("Body arrived from the supplier", "Ready for Pre-QC"),
    ] {
        station.keys(&["m"]);
        station.wait_for(&["Move status", "▶ Note"], Duration::from_secs(10));
        station.type_text(note);
        station.keys(&["Enter"]);
        station.wait_for(
            &["y Yes", &format!("to {status}?")],
            Duration::from_secs(10),
        );
        station.keys(&["y"]);
        // The next move starts from the reloaded row.
        station.wait_loaded(
            &[&format!("EX-2 moved to {status}")],
            "(loading…)",
            Duration::from_secs(20),
        );
    }

    // The requester sees the decision and procurement's log line.
    switch_user(&station, "service");
    station.wait_for(&["Mei Chen"], Duration::from_secs(20));
    station.open_menu("My service orders");
    station.wait_for(
        &[
            &number,
            "FULFILLED",
            "T2-CTRL-EDR1 2->1",
            "Handed over at the dock",
        ],
        Duration::from_secs(20),
    );

    // Procurement's record from the command line; the build's history carries the notes.
    let list = station.cli(&["service", "list", "--as", "procurement"]);
    let out = String::from_utf8_lossy(&list.stdout);
    assert!(list.status.success(), "{out}");
    assert!(out.contains(&number) && out.contains("FULFILLED"), "{out}");
    let show = station.cli(&["order", "show", "EX-2", "--as", "coordinator"]);
    let out = String::from_utf8_lossy(&show.stdout);
    assert!(out.contains("Body arrived from the supplier"), "{out}");
}

#[test]
fn a_scanned_build_number_opens_the_build() {
    let station = Station::start("scan");
    station.wait_for(&["Username", "Password"], Duration::from_secs(120));
    import_example(&station, 1);
    station.login("coordinator", "demo-password");
    station.wait_for(&["Dana Reyes", "Orders"], Duration::from_secs(20));
    station.scan("ex-1");
    station.wait_for(
        &["Build detail", "EX-1", "PO-EX-1"],
        Duration::from_secs(20),
    );
    station.key_alone("Escape");
    station.wait_for(&["Welcome"], Duration::from_secs(10));
    station.scan("P:NO-SUCH-9");
    station.wait_for(
        &["No build or catalog item NO-SUCH-9"],
        Duration::from_secs(10),
    );
    // The build's traveler carries the barcode a scanner reads.
    let out = station.cli(&["label", "EX-1", "--out", &station.dir.display().to_string()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let path = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert!(path.ends_with("PO-EX-1_EX-1_traveler.pdf"), "{path}");
}

#[test]
fn typing_a_login_into_the_order_desk_moves_nothing() {
    let station = Station::start("typeahead");
    station.wait_for(&["Username", "Password"], Duration::from_secs(120));
    import_example(&station, 2);
    station.login("procurement", "demo-password");
    station.wait_for(&["Priya Shah"], Duration::from_secs(20));
    station.open_menu("Order desk");
    // The BOM approved (a signature: the password and Enter are the explicit act), so a move is open.
    station.wait_for(&["PO-EX-2", "v1 DRAFT"], Duration::from_secs(20));
    station.keys(&["b"]);
    station.wait_for(&["Password"], Duration::from_secs(10));
    station.type_text("demo-password");
    station.keys(&["Enter"]);
    station.wait_loaded(&["v1 APPROVED"], "(loading…)", Duration::from_secs(20));
    // A user who believes the login screen is shown types a login, in one burst.
    station.type_text("coordinator\tdemo-password\r");
    let screen = station.wait_for(
        &["Confirm the move", "o-password", "y Yes"],
        Duration::from_secs(10),
    );
    assert!(
        screen.contains("Move EX-2 from Order created to Parts sent?"),
        "{screen}"
    );
    // Nothing moved: the database still has the build where it was.
    let show = station.cli(&["order", "show", "EX-2", "--as", "coordinator"]);
    let out = String::from_utf8_lossy(&show.stdout);
    assert!(show.status.success(), "{out}");
    assert!(
        out.contains("ORDER_CREATED") && !out.contains("PARTS_SENT"),
        "{out}"
    );
    // n goes back to the note, Esc closes the dialog; still nothing moved.
    station.keys(&["n"]);
    station.wait_for(&["▶ Note"], Duration::from_secs(10));
    station.key_alone("Escape");
    station.wait_for(&["Builds waiting for parts"], Duration::from_secs(10));
    assert_absent(&station.screen(), "Confirm the move");
    let show = station.cli(&["order", "show", "EX-2", "--as", "coordinator"]);
    let out = String::from_utf8_lossy(&show.stdout);
    assert!(
        !out.contains("PARTS_SENT") && !out.contains("o-password"),
        "{out}"
    );
}
