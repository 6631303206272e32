//! Deadline alerts in the notifications list (docs/alerts.md §1): the priority as a word before the
//! title, URGENT in the error style and WARNING in the warning style, in both themes and at both sizes.

use crate::harness::{Driver, at, init, snap_in, snap_sizes, user_for};
use cleanstation::domain::Role;
use cleanstation::domain::notification::{Notification, Priority, Related};
use cleanstation::msg::{Reply, Request};
use cleanstation::theme::Theme;
use uuid::Uuid;

/// A coordinator's list as the server sorts it: the unread alerts first (URGENT, then WARNING), then
/// everything else newest first, a read URGENT alert among them.
fn alerts() -> Vec<Notification> {
    let n = |i: u128, title: &str, message: &str, kind: &str, priority, read: bool, day, h, m| {
        Notification {
            id: Uuid::from_u128(0x0a00 + i),
            title: title.into(),
            message: message.into(),
            kind: kind.into(),
            is_read: read,
            created_at: at(day, h, m),
            related: Some(Related::Build(Uuid::from_u128(0x0b00 + i))),
            priority,
        }
    };
    vec![
        n(
            1,
            "Build 4500012-24-0117 is overdue",
            "Due 2025-03-13, at READY_FOR_PRODUCTION, for Mercy General Hospital.",
            "OVERDUE",
            Priority::Urgent,
            false,
            14,
            6,
            0,
        ),
        n(
            2,
            "Build 4500031-24-0131 is due in 2 days",
            "Due 2025-03-16, at PARTS_SENT, for St. Anne Clinic.",
            "DEADLINE_APPROACHING",
            Priority::Warning,
            false,
            14,
            6,
            0,
        ),
        n(
            3,
            "Order Status Updated",
            "Order 4500023-24-0121 status changed to READY_FOR_FINAL_QC",
            "ORDER_STATUS_CHANGE",
            Priority::Info,
            false,
            14,
            9,
            12,
        ),
        n(
            4,
            "Build 4500007-24-0098 is overdue",
            "Due 2025-03-11, at TESTING_COMPLETE, for Lakeside Surgical.",
            "OVERDUE",
            Priority::Urgent,
            true,
            12,
            6,
            0,
        ),
    ]
}

fn list(theme: Theme) -> Driver {
    let mut d = Driver::new(init(theme));
    d.login(user_for(Role::ProductionCoordinator));
    d.open_home_entry("Notifications");
    assert!(d.answer(
        |r| matches!(r, Request::Notifications { .. }),
        Ok(Reply::Notifications(alerts())),
    ));
    d
}

#[test]
fn notifications_with_priorities() {
    let mut d = list(Theme::ansi());
    snap_in!(
        "notifications",
        "priorities",
        "Deadline alerts: unread URGENT then WARNING first, marked by word and style; a read alert sorts with the rest",
        &d.render(80, 24)
    );
    snap_sizes!(
        d,
        "notifications",
        "priorities",
        "Deadline alerts among the notifications"
    );
    let mut d = list(Theme::mono());
    snap_in!(
        "notifications",
        "priorities_mono",
        "Deadline alerts in the monochrome theme: the words URGENT and WARNING carry the priority",
        &d.render(80, 24)
    );
}
