use super::*;
use crate::domain::Role;
use crate::domain::comment::Comment;
use crate::error::ServiceError;
use crate::msg::ServiceRequest;
use crate::screens::ScreenMsg;
use crate::screens::testkit::{Harness, assert_answers_only_its_help};

const ORDER: Uuid = Uuid::from_u128(7);

fn comment(n: u128, may_edit: bool) -> Comment {
    let at = chrono::NaiveDate::from_ymd_opt(2026, 12, 6)
        .and_then(|d| d.and_hms_opt(9, 12, 0))
        .unwrap_or_default();
    Comment {
        id: Uuid::from_u128(n),
        author: "Dana Reyes".into(),
        body: format!("comment {n}"),
        internal: false,
        created_at: at,
        edited_at: None,
        resolved: None,
        may_edit,
    }
}

fn thread(comments: Vec<Comment>, may_resolve: bool) -> Box<CommentThread> {
    Box::new(CommentThread {
        order_id: ORDER,
        build_number: "EX-1".into(),
        comments,
        may_resolve,
        notice: None,
    })
}

/// The screen opened as `role` with the thread loaded.
fn loaded(h: &mut Harness, comments: Vec<Comment>) -> CommentsScreen {
    let (mut s, reqs) = h.open(|ctx| CommentsScreen::open(ORDER, ctx));
    assert!(matches!(
        reqs.as_slice(),
        [ServiceRequest { kind: Request::BuildComments { order_id, .. }, .. }] if *order_id == ORDER
    ));
    assert!(!s.accepts_keys());
    let may_resolve = resolves(h.session.user.role);
    h.reply(
        &mut s,
        &reqs[0],
        Ok(Reply::Comments(thread(comments, may_resolve))),
    );
    assert!(s.accepts_keys());
    s
}

/// The compose box's text and message, while it is open.
fn composed(s: &CommentsScreen) -> Option<(String, Option<String>)> {
    match &s.mode {
        Mode::Compose(c) => Some((c.text(), c.error.clone())),
        Mode::Browse | Mode::ConfirmDiscard(_) => None,
    }
}

fn type_text(h: &mut Harness, s: &mut CommentsScreen, text: &str) {
    h.send(s, ScreenMsg::Paste(text.into()));
}

#[test]
fn posting_sends_the_text_and_the_flag_and_a_refusal_keeps_it() {
    let mut h = Harness::new(Role::ProductionCoordinator);
    let mut s = loaded(&mut h, vec![comment(1, false)]);
    h.act(&mut s, Action::WriteComment);
    assert_eq!(
        s.key_contexts(),
        vec![KeyContext::TextInput, KeyContext::CommentCompose]
    );
    type_text(&mut h, &mut s, "@assembler please check");
    h.act(&mut s, Action::NewLine);
    type_text(&mut h, &mut s, "the drain");
    h.act(&mut s, Action::ToggleInternal);
    let (reqs, _) = h.act(&mut s, Action::PostComment);
    assert!(matches!(
        reqs.as_slice(),
        [ServiceRequest {
            kind: Request::PostComment { order_id, body, internal: true, .. },
            ..
        }] if *order_id == ORDER && body == "@assembler please check\nthe drain"
    ));
    // Refused: the box stays open with the text and the reason.
    let why = "No active user is named @asembler; check the name. Nothing was posted.";
    h.reply(&mut s, &reqs[0], Err(ServiceError::Invalid(why.into())));
    assert_eq!(
        composed(&s),
        Some((
            "@assembler please check\nthe drain".to_string(),
            Some(why.to_string())
        ))
    );
    assert!(s.has_unsaved_input());
}

#[test]
fn a_posted_comment_closes_the_box_and_is_selected() {
    let mut h = Harness::new(Role::Assembler);
    let mut s = loaded(&mut h, vec![comment(1, false)]);
    h.act(&mut s, Action::WriteComment);
    type_text(&mut h, &mut s, "done");
    let (reqs, _) = h.act(&mut s, Action::PostComment);
    let mut t = thread(vec![comment(1, false), comment(2, true)], false);
    t.notice = Some("Comment posted".into());
    h.reply(&mut s, &reqs[0], Ok(Reply::Comments(t)));
    assert!(matches!(s.mode, Mode::Browse));
    assert_eq!(s.selected, 1);
    assert_eq!(s.notice.as_deref(), Some("Comment posted"));
}

#[test]
fn blank_text_is_refused_on_the_screen() {
    let mut h = Harness::new(Role::QcPerson);
    let mut s = loaded(&mut h, Vec::new());
    h.act(&mut s, Action::WriteComment);
    type_text(&mut h, &mut s, "  \n ");
    let (reqs, _) = h.act(&mut s, Action::PostComment);
    assert!(reqs.is_empty());
    assert_eq!(
        composed(&s),
        Some((
            "  \n ".to_string(),
            Some(crate::domain::comment::NOTHING_TYPED.to_string())
        ))
    );
}

#[test]
fn esc_with_typed_text_asks_first() {
    let mut h = Harness::new(Role::Assembler);
    let mut s = loaded(&mut h, Vec::new());
    h.act(&mut s, Action::WriteComment);
    type_text(&mut h, &mut s, "half a thought");
    h.act(&mut s, Action::Cancel);
    assert_eq!(s.key_contexts(), vec![KeyContext::Confirm]);
    h.act(&mut s, Action::No);
    assert_eq!(composed(&s).map(|c| c.0).as_deref(), Some("half a thought"));
    h.act(&mut s, Action::Cancel);
    h.act(&mut s, Action::Yes);
    assert!(matches!(s.mode, Mode::Browse));
    // Without text Esc simply closes the box.
    h.act(&mut s, Action::WriteComment);
    h.act(&mut s, Action::Cancel);
    assert!(matches!(s.mode, Mode::Browse));
}

#[test]
fn edit_only_own_comments_within_the_window() {
    let mut h = Harness::new(Role::Assembler);
    let mut s = loaded(&mut h, vec![comment(1, false), comment(2, true)]);
    h.act(&mut s, Action::EditComment);
    assert_eq!(s.error.as_deref(), Some(NOT_EDITABLE));
    assert!(matches!(s.mode, Mode::Browse));
    h.act(&mut s, Action::Down);
    h.act(&mut s, Action::EditComment);
    type_text(&mut h, &mut s, " (edited)");
    let (reqs, _) = h.act(&mut s, Action::PostComment);
    assert!(matches!(
        &reqs[0].kind,
        Request::EditComment { comment_id, body, .. }
            if *comment_id == Uuid::from_u128(2) && body == "comment 2 (edited)"
    ));
}

#[test]
fn coordinators_resolve_and_reopen_the_selected_comment() {
    let mut h = Harness::new(Role::ProductionCoordinator);
    let mut s = loaded(&mut h, vec![comment(1, false)]);
    assert_eq!(s.key_contexts()[0], KeyContext::CommentResolve);
    let (reqs, _) = h.act(&mut s, Action::ResolveComment);
    assert!(matches!(
        &reqs[0].kind,
        Request::ResolveComment { comment_id, resolved: true, .. } if *comment_id == Uuid::from_u128(1)
    ));
    // An assembler has no resolve key.
    let mut h = Harness::new(Role::Assembler);
    let mut s = loaded(&mut h, vec![comment(1, false)]);
    assert!(!s.key_contexts().contains(&KeyContext::CommentResolve));
    let (reqs, _) = h.act(&mut s, Action::ResolveComment);
    assert!(reqs.is_empty());
}

#[test]
fn refresh_is_the_one_reload_request_and_keeps_the_text() {
    let mut h = Harness::new(Role::Assembler);
    let mut s = loaded(&mut h, vec![comment(1, false)]);
    h.act(&mut s, Action::WriteComment);
    type_text(&mut h, &mut s, "typing");
    let (reqs, _) = h.run(|ctx| s.reload(ctx));
    assert!(matches!(reqs[0].kind, Request::BuildComments { .. }));
    h.reply(
        &mut s,
        &reqs[0],
        Ok(Reply::Comments(thread(
            vec![comment(1, false), comment(3, false)],
            false,
        ))),
    );
    assert_eq!(composed(&s).map(|c| c.0).as_deref(), Some("typing"));
    assert_eq!(s.thread().map(|t| t.comments.len()), Some(2));
}

#[test]
fn answers_only_its_help() {
    for role in [Role::ProductionCoordinator, Role::Assembler] {
        assert_answers_only_its_help(role, |h| loaded(h, vec![comment(1, true)]));
    }
}
