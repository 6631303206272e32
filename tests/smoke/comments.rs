//! Comments on builds (docs/comments.md): a coordinator's @mention reaches the assembler's inbox.

use super::{Station, import_example};
use std::time::Duration;

#[test]
fn a_coordinators_mention_reaches_the_assemblers_inbox() {
    let station = Station::start("comments");
    station.wait_for(&["Username", "Password"], Duration::from_secs(120));
    import_example(&station, 1);

    // The coordinator opens the build, then its comments with C.
    station.login("coordinator", "demo-password");
    station.wait_for(&["Dana Reyes", "Orders"], Duration::from_secs(20));
    station.open_menu("Orders");
    station.wait_for(&["My work", "PO-EX-1"], Duration::from_secs(20));
    station.keys(&["Enter"]);
    station.wait_for(&["Build detail", "C Comments"], Duration::from_secs(20));
    station.keys(&["C"]);
    station.wait_for(
        &["Comments · build EX-1", "No comments on this build yet"],
        Duration::from_secs(20),
    );
    station.keys(&["c"]);
    station.wait_for(&["New comment"], Duration::from_secs(10));
    station.type_text("@assembler please check the drain");
    station.wait_for(&["33/2000"], Duration::from_secs(10));
    station.keys(&["C-s"]);
    station.wait_for(
        &[
            "Comment posted; Luis Ortega notified",
            "Dana Reyes · ",
            "@assembler please check the drain",
            "1 comment, 1 open",
        ],
        Duration::from_secs(20),
    );
    // Back on the queue, the build carries the mark of its open comment.
    station.key_alone("Escape");
    station.wait_for(&["Build detail"], Duration::from_secs(10));
    station.key_alone("Escape");
    station.wait_for(&["PO-EX-1 ●", "1 open comment"], Duration::from_secs(20));

    // The coordinator logs out; the assembler's inbox has the mention.
    station.keys(&["C-x"]);
    station.wait_for(&["Logged out.", "Username"], Duration::from_secs(10));
    station.login("assembler", "demo-password");
    station.wait_for(&["Luis Ortega", "Notifications"], Duration::from_secs(20));
    station.open_menu("Notifications");
    station.wait_for(
        &[
            "Mentioned on build EX-1",
            "Dana Reyes mentioned you on build EX-1: \"@assembler please check the drain\"",
        ],
        Duration::from_secs(20),
    );
    // Enter opens the build; C there shows the thread with the comment.
    station.keys(&["Enter"]);
    station.wait_for(&["Build detail", "C Comments"], Duration::from_secs(20));
    station.keys(&["C"]);
    station.wait_for(
        &["Dana Reyes · ", "@assembler please check the drain"],
        Duration::from_secs(20),
    );
}
