//! When the shell asks for a frame (docs/performance.md §2.1) and when it gives the screen the time
//! (§3): an idle station asks for nothing; input, replies and changes the clock makes are drawn.

use crate::harness::{Driver, HEARTBEAT, IDLE_LOCK, init, user_for};
use crate::order_queue::{answer_orders, my_work, page, queue_as};
use crate::task_runner::assembler;
use cleanstation::domain::Role;
use cleanstation::msg::{HeartbeatInfo, Msg, Reply, Request};
use cleanstation::screens::order_queue::SEARCH_PAUSE;
use cleanstation::screens::{ActiveScreen, Screen};
use cleanstation::theme::Theme;
use crossterm::event::{Event, KeyCode};
use std::time::Duration;

const TICK: Duration = Duration::from_millis(250);

/// A logged-in coordinator at home, with the frame drawn.
fn at_home() -> Driver {
    let mut d = Driver::new(init(Theme::ansi()));
    d.login(user_for(Role::ProductionCoordinator));
    d.render(120, 40);
    assert!(!d.app.needs_draw());
    d
}

/// Answers a heartbeat that went out with `unread` notifications.
fn answer_heartbeat(d: &mut Driver, unread: i64) -> bool {
    d.answer(
        |r| matches!(r, Request::Heartbeat { .. }),
        Ok(Reply::Heartbeat(HeartbeatInfo {
            unread_notifications: unread,
        })),
    )
}

#[test]
fn an_idle_station_asks_for_no_frame() {
    let mut d = at_home();
    let mut heartbeats = 0;
    // Ten minutes of ticks: under the idle lock, with twenty heartbeats answered as before.
    for _ in 0..(10 * 60 * 4) {
        d.tick(TICK);
        if answer_heartbeat(&mut d, 2) {
            heartbeats += 1;
        }
        assert!(!d.app.needs_draw(), "a tick asked for a frame");
        assert_eq!(d.app.next_deadline(), None);
    }
    assert!(heartbeats >= 19, "{heartbeats} heartbeats");
}

#[test]
fn a_key_a_paste_a_resize_and_a_reply_ask_for_a_frame() {
    let mut d = at_home();
    d.key(KeyCode::Down);
    assert!(d.app.needs_draw());
    d.render(120, 40);
    d.send(Msg::Term(Event::Resize(100, 30)));
    assert!(d.app.needs_draw());
    d.render(100, 30);

    d.open_home_entry("Change password");
    d.render(120, 40);
    let now = d.now;
    d.send(Msg::Paste("old-secret".into(), now));
    assert!(d.app.needs_draw());
    assert!(
        d.app.screen().has_unsaved_input(),
        "the paste reached the field"
    );
    d.render(120, 40);

    let mut d = queue_as(Role::ProductionCoordinator, Theme::ansi());
    d.render(120, 40);
    answer_orders(&mut d, page(my_work(Role::ProductionCoordinator), None));
    assert!(d.app.needs_draw());
}

#[test]
fn a_heartbeat_is_drawn_only_when_it_changes_the_unread_count() {
    let mut d = at_home();
    d.tick(TICK);
    d.tick(HEARTBEAT);
    assert!(answer_heartbeat(&mut d, 2));
    assert!(!d.app.needs_draw());
    d.tick(HEARTBEAT);
    assert!(answer_heartbeat(&mut d, 3));
    assert!(d.app.needs_draw());
    assert!(d.render(120, 40).contains('3'));
}

#[test]
fn a_toast_is_drawn_when_it_appears_and_when_it_goes() {
    let mut d = at_home();
    // A scanned code that names nothing is said in a toast.
    d.scan("B-1001");
    assert!(d.answer(
        |r| matches!(r, Request::FindScanned { .. }),
        Ok(Reply::Scanned(None)),
    ));
    d.render(120, 40);
    assert!(d.app.toast().is_some());
    d.tick(TICK);
    assert!(!d.app.needs_draw(), "the toast's clock starts unseen");
    let mut ticks = 0;
    while d.app.toast().is_some() {
        assert!(!d.app.needs_draw());
        d.tick(TICK);
        ticks += 1;
        assert!(ticks < 100, "the toast never expired");
    }
    assert!(d.app.needs_draw(), "the expired toast is wiped");
}

#[test]
fn the_idle_lock_is_drawn_when_it_engages() {
    let mut d = at_home();
    d.tick(TICK);
    d.tick(IDLE_LOCK);
    assert!(d.app.is_locked());
    assert!(d.app.needs_draw());
    assert!(d.render(120, 40).contains("Station locked"));
    for _ in 0..40 {
        d.tick(TICK);
        assert!(!d.app.needs_draw());
    }
}

/// The task runner's timer shows seconds: the screen names the next one, the shell wakes it then
/// and draws; ticks inside a second draw nothing (docs/performance.md §2.2).
#[test]
fn a_running_timer_is_drawn_once_a_second_on_the_second() {
    let mut d = assembler(5);
    d.tick(TICK);
    d.render(120, 40);
    let ActiveScreen::TaskRunner(runner) = d.app.screen() else {
        panic!("not on the task runner");
    };
    let start = runner.elapsed();
    let Some(next) = d.app.next_deadline() else {
        panic!("a running timer names its next second");
    };
    assert!(next > d.now && next <= d.now + Duration::from_secs(1));
    d.tick(TICK);
    assert!(!d.app.needs_draw(), "the same second again");
    d.send(Msg::Wake(next));
    assert!(d.app.needs_draw());
    let ActiveScreen::TaskRunner(runner) = d.app.screen() else {
        panic!("not on the task runner");
    };
    assert!(start < Duration::from_secs(1));
    assert_eq!(
        runner.elapsed(),
        Duration::from_secs(1),
        "woken on the second"
    );
    assert!(d.render(120, 40).contains("00:01"));
    assert!(d.app.next_deadline().is_some_and(|n| n > next));
}

/// A wake-up that comes before the screen's moment gives it nothing and asks for no frame; a
/// moment already given is not named again, so the runtime never wakes in a loop.
#[test]
fn a_screen_is_woken_at_its_moment_and_only_then() {
    let mut d = assembler(5);
    d.tick(TICK);
    d.render(120, 40);
    let Some(next) = d.app.next_deadline() else {
        panic!("a running timer names its next second");
    };
    d.send(Msg::Wake(next - Duration::from_millis(1)));
    assert!(!d.app.needs_draw());
    assert_eq!(d.app.next_deadline(), Some(next));
    d.send(Msg::Wake(next));
    assert!(d.app.next_deadline().is_some_and(|n| n > next));
}

/// The pause before a search counts from the last key itself, not from the next tick
/// (docs/performance.md §3.3).
#[test]
fn a_search_pause_counts_from_the_key() {
    let mut d = queue_as(Role::ProductionCoordinator, Theme::ansi());
    answer_orders(&mut d, page(my_work(Role::ProductionCoordinator), None));
    d.key(KeyCode::Char('/'));
    d.type_str("lakeview");
    let typed = d.now;
    d.send(Msg::Tick(typed + SEARCH_PAUSE - Duration::from_millis(1)));
    assert!(
        d.take(|r| matches!(r, Request::ListOrders { .. }))
            .is_none()
    );
    d.send(Msg::Tick(typed + SEARCH_PAUSE));
    assert!(
        d.take(|r| matches!(r, Request::ListOrders { .. }))
            .is_some(),
        "the search goes out a pause after the key"
    );
    assert!(d.app.needs_draw());
}
