//! Golden renders of a build's comment thread, into `screens/comments/`: reached with `C` from the build
//! detail; empty, composing, a refused post (the text kept), the thread after the post, and the order
//! queue's mark of builds with unresolved comments (`screens/order_queue/`).
use crate::harness::{
    Driver, at, floor_order_detail, notification_about_build, open_build_via_notification,
    snap_sizes, t2_b2_build,
};
use crate::order_queue::{all_rows, answer_orders, queue_as};
use cleanstation::domain::Role;
use cleanstation::domain::comment::{Comment, CommentThread};
use cleanstation::domain::order::{OrderPage, OrderStatus};
use cleanstation::error::ServiceError;
use cleanstation::msg::{Reply, Request};
use cleanstation::screens::ActiveScreen;
use cleanstation::theme::Theme;
use crossterm::event::KeyCode;
use serde_json::json;
use uuid::Uuid;

const W: u16 = 100;
const H: u16 = 30;
const ORDER: Uuid = Uuid::from_u128(0x0001_0024);

fn snap(state: &str, description: &str, text: &str) {
    crate::harness::snap_in!("comments", state, description, text);
}

fn comment(n: u128, author: &str, body: &str, day_h_m: (u32, u32, u32)) -> Comment {
    Comment {
        id: Uuid::from_u128(0xC000 + n),
        author: author.into(),
        body: body.into(),
        internal: false,
        created_at: at(day_h_m.0, day_h_m.1, day_h_m.2),
        edited_at: None,
        resolved: None,
        may_edit: false,
    }
}

fn thread(comments: Vec<Comment>, notice: Option<&str>) -> Box<CommentThread> {
    Box::new(CommentThread {
        order_id: ORDER,
        build_number: "24-0131".into(),
        comments,
        may_resolve: true,
        notice: notice.map(str::to_string),
    })
}

/// The comments before the coordinator's: one resolved, one internal and edited.
fn earlier() -> Vec<Comment> {
    let mut first = comment(
        1,
        "Luis Ortega",
        "The drain flange on basin 2 sits 3 mm low; I shimmed it and noted the shim on the traveler.",
        (13, 10, 4),
    );
    first.resolved = Some(("Dana Reyes".into(), at(13, 11, 30)));
    let mut second = comment(
        2,
        "Tom Becker",
        "Pre-QC photo of the weld seam is in the build's documents.\nPlease keep the protective film on until packaging.",
        (13, 14, 20),
    );
    second.internal = true;
    second.edited_at = Some(at(13, 14, 26));
    vec![first, second]
}

/// A coordinator on the build's detail, then `C`: the comments screen waits for its thread.
fn comments_open(theme: Theme) -> Driver {
    let detail = floor_order_detail(
        ORDER,
        "4500031",
        t2_b2_build(json!({"buildNumber": "24-0131"})),
        OrderStatus::ReadyForProduction,
        at(14, 9, 30),
    );
    let notice = notification_about_build(
        ORDER,
        "ORDER_STATUS_CHANGE",
        "Order Status Updated",
        "Order 4500031-24-0131 status changed to READY_FOR_PRODUCTION",
        at(14, 9, 31),
    );
    let mut d =
        open_build_via_notification(theme, Role::ProductionCoordinator, vec![notice], detail);
    d.key(KeyCode::Char('C'));
    assert!(matches!(d.app.screen(), ActiveScreen::Comments(_)));
    d
}

#[test]
fn a_coordinator_posts_a_mention_on_an_empty_thread() {
    let mut d = comments_open(Theme::ansi());
    assert!(d.answer(
        |r| matches!(r, Request::BuildComments { order_id, .. } if *order_id == ORDER),
        Ok(Reply::Comments(thread(Vec::new(), None))),
    ));
    snap(
        "empty",
        "A build without comments says so and names the key that writes one",
        &d.render(W, H),
    );
    snap_sizes!(d, "comments", "empty", "An empty thread");

    d.key(KeyCode::Char('c'));
    d.type_str("@assembler please check the drain");
    d.key(KeyCode::Enter);
    d.type_str("before the leak test.");
    snap(
        "composing",
        "The compose box: two lines typed, the character count and what a mention does",
        &d.render(W, H),
    );
    snap_sizes!(d, "comments", "composing", "Writing a comment");
    d.draw_every_size();

    d.ctrl('s');
    let sent = d
        .take(|r| matches!(r, Request::PostComment { .. }))
        .expect("Ctrl-S posts");
    match &sent.kind {
        Request::PostComment {
            order_id,
            body,
            internal,
            ..
        } => {
            assert_eq!(*order_id, ORDER);
            assert_eq!(
                body,
                "@assembler please check the drain\nbefore the leak test."
            );
            assert!(!internal);
        }
        other => panic!("{other:?}"),
    }
    d.reply(
        &sent,
        Err(ServiceError::Invalid(
            "No active user is named @asembler; check the name. Nothing was posted.".into(),
        )),
    );
    snap(
        "error",
        "A refused post: the reason under the box, every character typed still in it",
        &d.render(W, H),
    );
    snap_sizes!(d, "comments", "error", "A refused post keeps the text");

    d.ctrl('s');
    let sent = d
        .take(|r| matches!(r, Request::PostComment { .. }))
        .expect("posted again");
    let mut comments = earlier();
    let mut mine = comment(
        3,
        "Dana Reyes",
        "@assembler please check the drain\nbefore the leak test.",
        (14, 9, 40),
    );
    mine.may_edit = true;
    comments.push(mine);
    d.reply(
        &sent,
        Ok(Reply::Comments(thread(
            comments,
            Some("Comment posted; Luis Ortega notified"),
        ))),
    );
    snap(
        "thread",
        "The thread oldest first: resolved, internal and edited, and the new comment selected",
        &d.render(W, H),
    );
    snap_sizes!(d, "comments", "thread", "A thread after a post");
    d.draw_every_size();
}

#[test]
fn the_thread_reads_without_colour() {
    let mut d = comments_open(Theme::mono());
    assert!(d.answer(
        |r| matches!(r, Request::BuildComments { .. }),
        Ok(Reply::Comments(thread(earlier(), None))),
    ));
    snap(
        "thread_mono",
        "The monochrome thread: INTERNAL, OPEN and resolved are words, the selection a marker",
        &d.render(W, H),
    );
    // Esc with typed text asks before discarding it.
    d.key(KeyCode::Char('c'));
    d.type_str("half a thought");
    d.key(KeyCode::Esc);
    snap(
        "discard_question",
        "Esc with typed text asks before the text is lost",
        &d.render(W, H),
    );
    d.key(KeyCode::Char('n'));
    d.key(KeyCode::Esc);
    d.key(KeyCode::Char('y'));
    d.key(KeyCode::Esc);
    assert!(matches!(d.app.screen(), ActiveScreen::OrderDetail(_)));
}

#[test]
fn the_queue_marks_builds_with_unresolved_comments() {
    let mut d = queue_as(Role::ProductionCoordinator, Theme::ansi());
    let mut rows = all_rows();
    rows[1].open_comments = 2;
    rows[4].open_comments = 1;
    answer_orders(&mut d, Reply::Orders(OrderPage { rows, next: None }));
    d.key(KeyCode::Down);
    crate::harness::snap_in!(
        "order_queue",
        "open_comments",
        "A mark beside the PO of builds with unresolved comments; the selected build's line counts them",
        &d.render(W, H)
    );
    snap_sizes!(
        d,
        "order_queue",
        "open_comments",
        "The comments mark in the queue"
    );
}
