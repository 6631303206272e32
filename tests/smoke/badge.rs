//! Logging out and the badge + PIN quick switch, as a user at a shared station does them.

use super::{Station, assert_absent};
use std::time::Duration;

#[test]
fn a_badge_and_pin_switch_user_and_ctrl_x_logs_out() {
    let station = Station::start("badge");
    station.wait_for(&["Username", "Password"], Duration::from_secs(120));

    // At the login screen: the badge, then its PIN.
    station.scan("U:U-TOM");
    station.wait_for(&["Badge U-TOM: enter PIN"], Duration::from_secs(10));
    station.type_text("1234");
    station.keys(&["Enter"]);
    station.wait_for(
        &["Tom Becker", "QC inspector", "bench-1"],
        Duration::from_secs(20),
    );

    // Ctrl-X logs out from anywhere, and the login screen says so.
    station.keys(&["C-x"]);
    station.wait_for(&["Logged out.", "Username"], Duration::from_secs(10));

    // A locked station: another user's badge and PIN end the locked session and start theirs.
    station.login("coordinator", "demo-password");
    station.wait_for(
        &["Dana Reyes", "Production coordinator"],
        Duration::from_secs(20),
    );
    station.keys(&["C-l"]);
    station.wait_for(&["Station locked", "Dana Reyes"], Duration::from_secs(10));
    station.scan("U:U-LUIS");
    station.wait_for(&["Badge U-LUIS: enter PIN"], Duration::from_secs(10));
    station.type_text("1234");
    station.keys(&["Enter"]);
    let home = station.wait_for(
        &["Luis Ortega", "Assembler", "bench-1"],
        Duration::from_secs(20),
    );
    assert_absent(&home, "Station locked");
    assert_absent(&home, "Dana Reyes");
}
