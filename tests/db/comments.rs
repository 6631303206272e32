//! Comments on builds (docs/comments.md): posting, who reads what, mentions that notify exactly the
//! person named, the author's 10-minute edit window (in the service and in the database guard), resolution
//! by coordinators, the queue's count, and the database refusing removal.

use crate::floor::{Floor, example_build};
use cleanstation::domain::Role;
use cleanstation::domain::comment::{CommentThread, EDIT_WINDOW_PASSED, NOT_AUTHOR};
use cleanstation::domain::order::{OrderQuery, QueueView};
use cleanstation::error::ServiceError;
use cleanstation::msg::{Reply, Request};
use uuid::Uuid;

const PLANT: [Role; 5] = [
    Role::ProductionCoordinator,
    Role::Admin,
    Role::ProcurementSpecialist,
    Role::QcPerson,
    Role::Assembler,
];

fn thread(r: Result<Reply, ServiceError>) -> CommentThread {
    match r {
        Ok(Reply::Comments(t)) => *t,
        other => panic!("expected a thread, got {other:?}"),
    }
}

fn refusal<T: std::fmt::Debug>(r: Result<T, ServiceError>) -> String {
    match r {
        Err(e) => e.user_message(),
        Ok(v) => panic!("expected a refusal, got {v:?}"),
    }
}

impl Floor {
    async fn post(
        &self,
        role: Role,
        order_id: Uuid,
        body: &str,
        internal: bool,
    ) -> Result<Reply, ServiceError> {
        self.send(Request::PostComment {
            token: self.token(role),
            order_id,
            body: body.into(),
            internal,
        })
        .await
    }

    async fn comments(&self, role: Role, order_id: Uuid) -> Result<Reply, ServiceError> {
        self.send(Request::BuildComments {
            token: self.token(role),
            order_id,
        })
        .await
    }

    async fn edit_comment(&self, role: Role, id: Uuid, body: &str) -> Result<Reply, ServiceError> {
        self.send(Request::EditComment {
            token: self.token(role),
            comment_id: id,
            body: body.into(),
        })
        .await
    }

    async fn resolve(&self, role: Role, id: Uuid, resolved: bool) -> Result<Reply, ServiceError> {
        self.send(Request::ResolveComment {
            token: self.token(role),
            comment_id: id,
            resolved,
        })
        .await
    }

    async fn comment_count(&self) -> i64 {
        self.count(r#"SELECT count(*) FROM "BuildComment""#, &[])
            .await
    }

    /// Puts a comment's posting time `minutes` back, as the owner with the triggers off: the test's way
    /// past the clock.
    async fn age_comment(&self, id: Uuid, minutes: i32) {
        let mut client = self.db.client().await;
        let tx = client.transaction().await.expect("transaction");
        tx.batch_execute("SET LOCAL session_replication_role = replica")
            .await
            .expect("replica mode");
        tx.execute(
            r#"UPDATE "BuildComment" SET "createdAt" = "createdAt" - make_interval(mins => $2)
                WHERE id = $1"#,
            &[&id, &minutes],
        )
        .await
        .expect("age comment");
        tx.commit().await.expect("commit");
    }

    async fn open_comments_in_queue(&self, order_id: Uuid) -> i64 {
        let page = match self
            .send(Request::ListOrders {
                token: self.token(Role::ProductionCoordinator),
                query: Box::new(OrderQuery {
                    view: QueueView::All,
                    ..OrderQuery::default()
                }),
            })
            .await
        {
            Ok(Reply::Orders(p)) => p,
            other => panic!("expected a queue page, got {other:?}"),
        };
        page.rows
            .iter()
            .find(|r| r.id == order_id)
            .map(|r| r.open_comments)
            .expect("the build is in the queue")
    }
}

#[tokio::test]
async fn every_plant_role_reads_and_posts_oldest_first_and_service_sees_nothing() {
    let f = Floor::new().await;
    let id = f.create_build("PO-C1", example_build("CM-1")).await;
    let empty = thread(f.comments(Role::Assembler, id).await);
    assert!(empty.comments.is_empty());
    assert_eq!(empty.build_number, "CM-1");
    for (i, role) in PLANT.into_iter().enumerate() {
        let t = thread(f.post(role, id, &format!("note {i}"), i % 2 == 0).await);
        assert_eq!(t.notice.as_deref(), Some("Comment posted"));
    }
    for role in PLANT {
        let t = thread(f.comments(role, id).await);
        let bodies: Vec<&str> = t.comments.iter().map(|c| c.body.as_str()).collect();
        assert_eq!(bodies, ["note 0", "note 1", "note 2", "note 3", "note 4"]);
        assert_eq!(t.comments[0].author, "Dana Reyes");
        assert!(t.comments[0].internal && !t.comments[1].internal);
        assert_eq!(
            t.may_resolve,
            matches!(role, Role::ProductionCoordinator | Role::Admin)
        );
    }
    // The service department sees no production data: no thread, no post, no internal comment.
    assert_eq!(
        refusal(f.comments(Role::ServiceDepartment, id).await),
        "Your role (SERVICE_DEPARTMENT) cannot view production orders"
    );
    assert_eq!(
        refusal(f.post(Role::ServiceDepartment, id, "hello", false).await),
        "Your role (SERVICE_DEPARTMENT) cannot comment on builds"
    );
    // The repository leaves internal comments out for a reader who may not read them.
    let client = f.db.station().await;
    let shown =
        cleanstation::db::comments::thread(&client, id, f.id(Role::ServiceDepartment), false)
            .await
            .expect("thread");
    assert_eq!(shown.len(), 2);
    assert!(shown.iter().all(|c| !c.internal));
    // Blank and overlong text is refused with what to do; nothing is written.
    let before = f.comment_count().await;
    assert!(refusal(f.post(Role::Assembler, id, " \n ", false).await).contains("cannot be blank"));
    assert!(
        refusal(f.post(Role::Assembler, id, &"x".repeat(2001), false).await)
            .contains("at most 2000 characters")
    );
    assert_eq!(f.comment_count().await, before);
    // Every comment went into the audit trail.
    assert_eq!(f.audit_rows_of("BuildComment").await, 5);
}

#[tokio::test]
async fn a_mention_notifies_exactly_the_named_user_and_bad_names_are_refused() {
    let f = Floor::new().await;
    let id = f.create_build("PO-C2", example_build("CM-2")).await;
    let mentions = r#"SELECT count(*) FROM "SystemNotification" WHERE "type" = 'COMMENT_MENTION'"#;
    let t = thread(
        f.post(
            Role::ProductionCoordinator,
            id,
            "@assembler please check the drain",
            false,
        )
        .await,
    );
    assert_eq!(
        t.notice.as_deref(),
        Some("Comment posted; Luis Ortega notified")
    );
    assert_eq!(f.count(mentions, &[]).await, 1);
    let assembler = f.id(Role::Assembler);
    let to_assembler = f
        .count(
            r#"SELECT count(*) FROM "SystemNotification" n
                 JOIN "BuildCommentMention" m ON m."notificationId" = n.id
                WHERE n."userId" = $1 AND m."userId" = $1 AND n."type" = 'COMMENT_MENTION'
                  AND n."relatedEntityType" = 'ProductionOrder' AND n."relatedEntityId" = $2
                  AND n."message" LIKE 'Dana Reyes mentioned you on build CM-2: %'"#,
            &[&assembler, &id.to_string()],
        )
        .await;
    assert_eq!(to_assembler, 1);
    // The assembler's inbox has it, and it opens the build.
    let inbox = match f
        .send(Request::Notifications {
            token: f.token(Role::Assembler),
        })
        .await
    {
        Ok(Reply::Notifications(n)) => n,
        other => panic!("expected notifications, got {other:?}"),
    };
    let mention = inbox
        .iter()
        .find(|n| n.kind == "COMMENT_MENTION")
        .expect("the mention is in the inbox");
    assert_eq!(
        mention.related,
        Some(cleanstation::domain::notification::Related::Build(id))
    );

    // Unknown and not-allowed names are refused, all named; nothing is posted or sent.
    let before = f.comment_count().await;
    let why = refusal(
        f.post(
            Role::ProductionCoordinator,
            id,
            "@nobody and @service and @inspector",
            true,
        )
        .await,
    );
    assert_eq!(
        why,
        "No active user is named @nobody; check the name. @service cannot read this internal \
         comment. Nothing was posted."
    );
    assert_eq!(f.comment_count().await, before);
    assert_eq!(f.count(mentions, &[]).await, 1);
    // Mentioning oneself notifies nobody.
    let t = thread(f.post(Role::QcPerson, id, "noted, @inspector", false).await);
    assert_eq!(t.notice.as_deref(), Some("Comment posted"));
    assert_eq!(f.count(mentions, &[]).await, 1);
}

#[tokio::test]
async fn the_author_edits_within_ten_minutes_and_the_database_refuses_later() {
    let f = Floor::new().await;
    let id = f.create_build("PO-C3", example_build("CM-3")).await;
    let t = thread(f.post(Role::Assembler, id, "drain leaks", false).await);
    let c = t.comments[0].clone();
    assert!(c.may_edit && c.edited_at.is_none());
    // Others see it, but may not edit it.
    assert!(!thread(f.comments(Role::ProductionCoordinator, id).await).comments[0].may_edit);
    assert_eq!(
        refusal(f.edit_comment(Role::ProductionCoordinator, c.id, "x").await),
        NOT_AUTHOR
    );
    // The author's edit, with a new mention that notifies; the old and new text stay in the audit trail.
    let t = thread(
        f.edit_comment(
            Role::Assembler,
            c.id,
            "drain leaks at basin 2, @coordinator",
        )
        .await,
    );
    assert_eq!(
        t.notice.as_deref(),
        Some("Comment edited; Dana Reyes notified")
    );
    assert!(t.comments[0].edited_at.is_some());
    assert_eq!(t.comments[0].body, "drain leaks at basin 2, @coordinator");
    let kept = f
        .count(
            r#"SELECT count(*) FROM "AuditLog" WHERE "entityType" = 'BuildComment' AND "action" = 'UPDATE'
                AND "entityId" = $1 AND "oldValues"->>'body' = 'drain leaks'
                AND "newValues"->>'body' = 'drain leaks at basin 2, @coordinator'"#,
            &[&c.id.to_string()],
        )
        .await;
    assert_eq!(kept, 1);
    // Eleven minutes later the service refuses, and so does the database, whoever asks.
    f.age_comment(c.id, 11).await;
    assert!(!thread(f.comments(Role::Assembler, id).await).comments[0].may_edit);
    assert_eq!(
        refusal(f.edit_comment(Role::Assembler, c.id, "too late").await),
        EDIT_WINDOW_PASSED
    );
    let station = f.db.station().await;
    let e = station
        .execute(
            r#"UPDATE "BuildComment" SET "body" = 'too late', "editedAt" = LOCALTIMESTAMP WHERE id = $1"#,
            &[&c.id],
        )
        .await
        .expect_err("a late edit");
    assert!(
        e.as_db_error()
            .is_some_and(|d| d.message().contains("within 10 minutes")),
        "{e:?}"
    );
    // Within the window, the database still wants the author's session.
    let t = thread(f.post(Role::Assembler, id, "second", false).await);
    let second = t.comments[1].id;
    let e = station
        .execute(
            r#"UPDATE "BuildComment" SET "body" = 'forged', "editedAt" = LOCALTIMESTAMP WHERE id = $1"#,
            &[&second],
        )
        .await
        .expect_err("an edit without the author's session");
    assert!(
        e.as_db_error()
            .is_some_and(|d| d.message().contains("Only its author")),
        "{e:?}"
    );
}

#[tokio::test]
async fn coordinators_resolve_and_the_queue_counts_what_is_open() {
    let f = Floor::new().await;
    let id = f.create_build("PO-C4", example_build("CM-4")).await;
    assert_eq!(f.open_comments_in_queue(id).await, 0);
    let t = thread(f.post(Role::Assembler, id, "one", false).await);
    let first = t.comments[0].id;
    thread(f.post(Role::QcPerson, id, "two", true).await);
    assert_eq!(f.open_comments_in_queue(id).await, 2);
    for role in [Role::Assembler, Role::QcPerson, Role::ProcurementSpecialist] {
        assert_eq!(
            refusal(f.resolve(role, first, true).await),
            format!("Your role ({}) cannot resolve comments", role.code())
        );
    }
    assert_eq!(
        refusal(f.resolve(Role::ServiceDepartment, first, false).await),
        "Your role (SERVICE_DEPARTMENT) cannot reopen comments"
    );
    let t = thread(f.resolve(Role::ProductionCoordinator, first, true).await);
    assert_eq!(t.notice.as_deref(), Some("Comment resolved"));
    let (by, _) = t.comments[0].resolved.clone().expect("resolved");
    assert_eq!(by, "Dana Reyes");
    assert_eq!(t.open_count(), 1);
    assert_eq!(f.open_comments_in_queue(id).await, 1);
    // A second coordinator is told it was done already; ADMIN reopens it.
    assert_eq!(
        refusal(f.resolve(Role::Admin, first, true).await),
        "The comment was already resolved by Dana Reyes"
    );
    let t = thread(f.resolve(Role::Admin, first, false).await);
    assert!(t.comments[0].resolved.is_none());
    assert_eq!(f.open_comments_in_queue(id).await, 2);
}

#[tokio::test]
async fn the_database_never_removes_a_comment_or_a_mention() {
    let f = Floor::new().await;
    let id = f.create_build("PO-C5", example_build("CM-5")).await;
    let t = thread(
        f.post(Role::ProductionCoordinator, id, "@assembler look", false)
            .await,
    );
    let c = t.comments[0].id;
    for client in [f.db.station().await, f.db.client().await] {
        let e = client
            .execute(r#"DELETE FROM "BuildComment" WHERE id = $1"#, &[&c])
            .await
            .expect_err("a comment deleted");
        assert!(
            e.as_db_error()
                .is_some_and(|d| d.message().contains("never removed")
                    || d.message().contains("permission denied")),
            "{e:?}"
        );
        let e = client
            .execute(
                r#"DELETE FROM "BuildCommentMention" WHERE "commentId" = $1"#,
                &[&c],
            )
            .await
            .expect_err("a mention deleted");
        assert!(e.as_db_error().is_some(), "{e:?}");
    }
    // The owner, who may delete anything the triggers allow, is refused by the guard itself.
    let e =
        f.db.client()
            .await
            .execute(r#"DELETE FROM "BuildComment" WHERE id = $1"#, &[&c])
            .await
            .expect_err("owner delete");
    assert!(
        e.as_db_error()
            .is_some_and(|d| d.message().contains("never removed"))
    );
    let e =
        f.db.client()
            .await
            .execute(
                r#"UPDATE "BuildComment" SET "internal" = true WHERE id = $1"#,
                &[&c],
            )
            .await
            .expect_err("the internal flag changed");
    assert!(
        e.as_db_error()
            .is_some_and(|d| d.message().contains("never changed"))
    );
    assert_eq!(f.comment_count().await, 1);
}
