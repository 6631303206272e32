//! Login, lockout, sessions, unlock, password change and notifications, driven through
//! `service::dispatch` exactly as the TUI sends them.

use crate::support::TestDb;
use cleanstation::auth::sha256_hex;
use cleanstation::db::Actor;
use cleanstation::domain::Role;
use cleanstation::domain::session::Session;
use cleanstation::domain::user::{NewUser, UserSummary};
use cleanstation::error::ServiceError;
use cleanstation::msg::{HeartbeatInfo, Reply, Request, RequestId, ServiceRequest};
use cleanstation::service::auth::{
    CURRENT_PASSWORD_INCORRECT, LOGIN_FAILED, PASSWORD_INCORRECT, PASSWORD_UNCHANGED, lock_message,
};
use cleanstation::service::{self, SESSION_ENDED, SESSION_EXPIRED, SecurityPolicy, ServiceCtx};
use uuid::Uuid;

pub(crate) const PW: &str = "correct horse 42";
const WRONG: &str = "wrong horse 42!";
const LOCK_PREFIX: &str = "Too many failed attempts; try again after ";

pub(crate) fn ctx(db: &TestDb) -> ServiceCtx {
    ServiceCtx {
        pool: db.pool.clone(),
        policy: SecurityPolicy::default(),
        agent: "station:test".into(),
        read_pool: None,
    }
}

/// Adds a user the way the owner's steps do (seed): through the schema's own user function, as the
/// owner, no forced password change.
pub(crate) async fn add(db: &TestDb, username: &str, role: Role) -> UserSummary {
    let new = NewUser {
        username: username.into(),
        full_name: format!("Test {username}"),
        initials: "TU".into(),
        role,
        password: PW.into(),
        must_change_password: false,
    }
    .validated()
    .expect("valid user");
    let hash = cleanstation::auth::hash_password(PW).expect("hash");
    cleanstation::db::users::insert(&db.client().await, &new, &hash)
        .await
        .expect("add user")
        .expect("username free")
}

/// A session for `user` opened the way a station opens one after checking the password, for tests
/// that write through repositories directly; writes carrying its token are attributed to `user`.
pub(crate) async fn session_token(db: &TestDb, user: Uuid) -> String {
    let token = cleanstation::auth::new_session_token().expect("token");
    db.client()
        .await
        .execute("SELECT app_session_open($1, $2, 8)", &[&user, &token])
        .await
        .expect("open session");
    token
}

/// Sends one request through the dispatcher and checks the reply is matched to it.
pub(crate) async fn send(ctx: &ServiceCtx, kind: Request) -> Result<Reply, ServiceError> {
    let reply = service::dispatch(
        ctx,
        ServiceRequest {
            id: RequestId(42),
            kind,
        },
    )
    .await;
    assert_eq!(reply.id, RequestId(42));
    reply.result
}

/// The payload of the expected reply variant, or a failure that shows what came instead.
pub(crate) fn expect_reply<T>(
    r: Result<Reply, ServiceError>,
    pick: impl FnOnce(Reply) -> Option<T>,
) -> T {
    let shown = format!("{r:?}");
    r.ok()
        .and_then(pick)
        .ok_or(shown)
        .expect("unexpected reply")
}

pub(crate) async fn login(
    ctx: &ServiceCtx,
    username: &str,
    password: &str,
) -> Result<Reply, ServiceError> {
    send(
        ctx,
        Request::Login {
            username: username.into(),
            password: password.into(),
        },
    )
    .await
}

pub(crate) async fn login_ok(ctx: &ServiceCtx, username: &str, password: &str) -> Session {
    expect_reply(login(ctx, username, password).await, |r| match r {
        Reply::LoggedIn(s) => Some(s),
        _ => None,
    })
}

pub(crate) async fn heartbeat(ctx: &ServiceCtx, token: &str) -> Result<Reply, ServiceError> {
    send(
        ctx,
        Request::Heartbeat {
            token: token.into(),
        },
    )
    .await
}

async fn unlock(ctx: &ServiceCtx, token: &str, password: &str) -> Result<Reply, ServiceError> {
    send(
        ctx,
        Request::Unlock {
            token: token.into(),
            password: password.into(),
        },
    )
    .await
}

fn invalid(msg: &str) -> Result<Reply, ServiceError> {
    Err(ServiceError::Invalid(msg.into()))
}

fn ended(msg: &str) -> Result<Reply, ServiceError> {
    Err(ServiceError::SessionEnded(msg.into()))
}

/// The throttle row for `username`: (failedCount, lock message while locked).
async fn throttle(db: &TestDb, username: &str) -> Option<(i32, Option<String>)> {
    let c = db.client().await;
    c.query_opt(
        r#"SELECT "failedCount", CASE WHEN "lockedUntil" > LOCALTIMESTAMP THEN "lockedUntil" END
           FROM "LoginThrottle" WHERE "username" = $1"#,
        &[&username],
    )
    .await
    .expect("throttle query")
    .map(|r| {
        let until: Option<chrono::NaiveDateTime> = r.get(1);
        (r.get(0), until.map(lock_message))
    })
}

async fn session_count(db: &TestDb, user_id: Uuid) -> i64 {
    db.client()
        .await
        .query_one(
            r#"SELECT count(*) FROM "UserSession" WHERE "userId" = $1"#,
            &[&user_id],
        )
        .await
        .expect("count sessions")
        .get(0)
}

#[tokio::test]
async fn login_stores_only_the_token_hash_and_sets_last_login() {
    let db = TestDb::new().await;
    let ctx = ctx(&db);
    let alice = add(&db, "alice", Role::Assembler).await;
    assert_eq!(alice.last_login_at, None);

    // Usernames are matched case-insensitively and trimmed.
    let s = login_ok(&ctx, "  Alice ", PW).await;
    assert_eq!(s.user.id, alice.id);
    assert_eq!(s.user.role, Role::Assembler);
    assert!(s.user.last_login_at.is_some());
    assert_eq!(s.token.len(), 64);

    let c = db.client().await;
    let row = c
        .query_one(
            r#"SELECT s."token", s."expiresAt" BETWEEN LOCALTIMESTAMP + interval '7 hours 59 minutes'
                                           AND LOCALTIMESTAMP + interval '8 hours 1 minute',
                      s."expiresAt", u."lastLoginAt"
               FROM "UserSession" s JOIN "User" u ON u.id = s."userId" WHERE u.id = $1"#,
            &[&alice.id],
        )
        .await
        .expect("session row");
    let stored: String = row.get(0);
    assert_ne!(stored, s.token, "the raw token is never stored");
    assert_eq!(stored, sha256_hex(s.token.as_bytes()));
    assert_eq!(stored.len(), 64);
    assert!(stored.chars().all(|c| c.is_ascii_hexdigit()));
    assert!(row.get::<_, bool>(1), "expires 8 hours from now");
    assert_eq!(row.get::<_, chrono::NaiveDateTime>(2), s.expires_at);
    assert_eq!(
        row.get::<_, Option<chrono::NaiveDateTime>>(3),
        s.user.last_login_at
    );

    // The session row's audit image keeps only a digest of the stored hash, never the token or the
    // stored hash itself, and the row is attributed to the user.
    let audit = c
        .query_one(
            r#"SELECT "userId", "newValues"->>'token' FROM "AuditLog"
               WHERE "entityType" = 'UserSession' AND "action" = 'INSERT'"#,
            &[],
        )
        .await
        .expect("session audit row");
    assert_eq!(audit.get::<_, Option<Uuid>>(0), Some(alice.id));
    assert_eq!(
        audit.get::<_, String>(1),
        format!("sha256:{}", sha256_hex(stored.as_bytes()))
    );

    assert_eq!(
        heartbeat(&ctx, &s.token).await,
        Ok(Reply::Heartbeat(HeartbeatInfo {
            unread_notifications: 0
        }))
    );
}

#[tokio::test]
async fn every_login_failure_reads_the_same() {
    let db = TestDb::new().await;
    let ctx = ctx(&db);
    let bob = add(&db, "bob", Role::QcPerson).await;

    assert_eq!(login(&ctx, "bob", WRONG).await, invalid(LOGIN_FAILED));
    assert_eq!(login(&ctx, "nobody", PW).await, invalid(LOGIN_FAILED));
    assert_eq!(login(&ctx, "not a name!", PW).await, invalid(LOGIN_FAILED));
    assert_eq!(login(&ctx, "", "").await, invalid(LOGIN_FAILED));

    // An inactive user with the right password is refused the same way.
    db.client()
        .await
        .execute(r#"SELECT app_user_set_active($1, false)"#, &[&bob.id])
        .await
        .expect("deactivate");
    assert_eq!(login(&ctx, "bob", PW).await, invalid(LOGIN_FAILED));
    assert_eq!(session_count(&db, bob.id).await, 0);

    // Failures are counted for known and unknown names alike.
    assert_eq!(throttle(&db, "bob").await, Some((2, None)));
    assert_eq!(throttle(&db, "nobody").await, Some((1, None)));
}

#[tokio::test]
async fn five_failures_lock_out_even_the_right_password() {
    let db = TestDb::new().await;
    let ctx = ctx(&db);
    add(&db, "carol", Role::ProductionCoordinator).await;

    for _ in 0..4 {
        assert_eq!(login(&ctx, "carol", WRONG).await, invalid(LOGIN_FAILED));
    }
    let fifth = login(&ctx, "CAROL", WRONG).await;
    let (count, lock) = throttle(&db, "carol").await.expect("throttle row");
    assert_eq!(count, 0, "the count starts again once locked");
    let lock = lock.expect("locked");
    assert!(lock.starts_with(LOCK_PREFIX), "{lock}");
    assert_eq!(fifth, invalid(&lock));
    // The time names the plant's zone as the database names it (docs/lifecycle.md §6.9).
    let zone: String = db
        .client()
        .await
        .query_one("SELECT to_char(now(), 'TZ')", &[])
        .await
        .expect("zone")
        .get(0);
    assert!(!zone.is_empty());
    assert!(lock.ends_with(&format!(" {zone}")), "{lock} names {zone}");

    // The right password is refused while locked, with the same message, and does not count.
    assert_eq!(login(&ctx, "carol", PW).await, invalid(&lock));
    assert_eq!(throttle(&db, "carol").await, Some((0, Some(lock))));
}

#[tokio::test]
async fn an_unknown_username_locks_the_same_way() {
    let db = TestDb::new().await;
    let ctx = ctx(&db);
    add(&db, "dave", Role::Assembler).await;

    let mut replies = Vec::new();
    for _ in 0..6 {
        replies.push(login(&ctx, "ghost.user", WRONG).await);
    }
    let lock = throttle(&db, "ghost.user")
        .await
        .and_then(|t| t.1)
        .expect("an unknown name is locked too");
    for r in &replies[..4] {
        assert_eq!(r, &invalid(LOGIN_FAILED));
    }
    assert_eq!(replies[4], invalid(&lock));
    assert_eq!(replies[5], invalid(&lock));

    // A real user's lock reads exactly the same.
    for _ in 0..5 {
        let _ = login(&ctx, "dave", WRONG).await;
    }
    let dave_lock = throttle(&db, "dave")
        .await
        .and_then(|t| t.1)
        .expect("dave is locked");
    assert_eq!(login(&ctx, "dave", PW).await, invalid(&dave_lock));
    assert!(dave_lock.starts_with(LOCK_PREFIX), "{dave_lock}");
    assert_eq!(dave_lock.len(), lock.len());

    // Locks are per name: other users are unaffected.
    add(&db, "erin", Role::Assembler).await;
    login_ok(&ctx, "erin", PW).await;
}

#[tokio::test]
async fn the_lock_expires() {
    let db = TestDb::new().await;
    let ctx = ctx(&db);
    add(&db, "frank", Role::Assembler).await;
    for _ in 0..5 {
        let _ = login(&ctx, "frank", WRONG).await;
    }
    assert!(
        matches!(login(&ctx, "frank", PW).await, Err(ServiceError::Invalid(m)) if m.starts_with(LOCK_PREFIX))
    );

    db.client()
        .await
        .execute(
            r#"UPDATE "LoginThrottle" SET "lockedUntil" = LOCALTIMESTAMP - interval '1 minute'
               WHERE "username" = 'frank'"#,
            &[],
        )
        .await
        .expect("expire the lock");
    login_ok(&ctx, "frank", PW).await;
    assert_eq!(
        throttle(&db, "frank").await,
        None,
        "a success clears the counter"
    );

    // After the lock the count starts from zero: one failure is just a failure.
    assert_eq!(login(&ctx, "frank", WRONG).await, invalid(LOGIN_FAILED));
}

#[tokio::test]
async fn a_success_resets_the_failure_count() {
    let db = TestDb::new().await;
    let ctx = ctx(&db);
    add(&db, "gina", Role::Assembler).await;
    for _ in 0..4 {
        let _ = login(&ctx, "gina", WRONG).await;
    }
    login_ok(&ctx, "gina", PW).await;
    for _ in 0..4 {
        assert_eq!(login(&ctx, "gina", WRONG).await, invalid(LOGIN_FAILED));
    }
    assert_eq!(throttle(&db, "gina").await, Some((4, None)));
}

#[tokio::test]
async fn an_expired_session_ends_at_the_next_heartbeat() {
    let db = TestDb::new().await;
    let ctx = ctx(&db);
    let hank = add(&db, "hank", Role::Assembler).await;
    let s = login_ok(&ctx, "hank", PW).await;
    assert!(heartbeat(&ctx, &s.token).await.is_ok());

    db.client()
        .await
        .execute(
            r#"UPDATE "UserSession" SET "expiresAt" = LOCALTIMESTAMP - interval '1 minute' WHERE "userId" = $1"#,
            &[&hank.id],
        )
        .await
        .expect("expire the session");
    assert_eq!(heartbeat(&ctx, &s.token).await, ended(SESSION_EXPIRED));
    // The expired row is gone; the token is simply unknown now.
    assert_eq!(session_count(&db, hank.id).await, 0);
    assert_eq!(heartbeat(&ctx, &s.token).await, ended(SESSION_ENDED));
    // Every request that carries a token is refused the same way.
    assert_eq!(
        send(
            &ctx,
            Request::Notifications {
                token: s.token.clone()
            }
        )
        .await,
        ended(SESSION_ENDED)
    );
}

#[tokio::test]
async fn unknown_tokens_and_logout() {
    let db = TestDb::new().await;
    let ctx = ctx(&db);
    let ivy = add(&db, "ivy", Role::Assembler).await;
    assert_eq!(heartbeat(&ctx, "not-a-token").await, ended(SESSION_ENDED));

    let s1 = login_ok(&ctx, "ivy", PW).await;
    let s2 = login_ok(&ctx, "ivy", PW).await;
    assert_ne!(s1.token, s2.token);
    assert_eq!(session_count(&db, ivy.id).await, 2);

    assert_eq!(
        send(
            &ctx,
            Request::Logout {
                token: s1.token.clone()
            }
        )
        .await,
        Ok(Reply::LoggedOut)
    );
    assert_eq!(heartbeat(&ctx, &s1.token).await, ended(SESSION_ENDED));
    assert!(
        heartbeat(&ctx, &s2.token).await.is_ok(),
        "other stations stay logged in"
    );
    // Logging out twice is harmless.
    assert_eq!(
        send(&ctx, Request::Logout { token: s1.token }).await,
        Ok(Reply::LoggedOut)
    );
    assert_eq!(session_count(&db, ivy.id).await, 1);
}

#[tokio::test]
async fn a_deactivated_users_heartbeat_ends() {
    let db = TestDb::new().await;
    let ctx = ctx(&db);
    let jack = add(&db, "jack", Role::Assembler).await;
    let s = login_ok(&ctx, "jack", PW).await;

    // Even if the sessions were not deleted, an inactive user's token is refused.
    db.client()
        .await
        .execute(
            r#"UPDATE "User" SET "isActive" = false WHERE id = $1"#,
            &[&jack.id],
        )
        .await
        .expect("deactivate behind the service's back");
    assert_eq!(heartbeat(&ctx, &s.token).await, ended(SESSION_ENDED));
}

#[tokio::test]
async fn unlock_checks_the_password_and_counts_failures() {
    let db = TestDb::new().await;
    let ctx = ctx(&db);
    let kim = add(&db, "kim", Role::QcPerson).await;
    let s = login_ok(&ctx, "kim", PW).await;

    assert_eq!(
        unlock(&ctx, &s.token, WRONG).await,
        invalid(PASSWORD_INCORRECT)
    );
    assert_eq!(
        unlock(&ctx, &s.token, WRONG).await,
        invalid(PASSWORD_INCORRECT)
    );
    assert_eq!(throttle(&db, "kim").await, Some((2, None)));
    assert_eq!(unlock(&ctx, &s.token, PW).await, Ok(Reply::Unlocked));
    assert_eq!(
        throttle(&db, "kim").await,
        None,
        "a correct password clears the counter"
    );

    // Failed logins elsewhere and failed unlocks share one counter: 2 + 3 reach the limit.
    let _ = login(&ctx, "kim", WRONG).await;
    let _ = login(&ctx, "kim", WRONG).await;
    assert_eq!(
        unlock(&ctx, &s.token, WRONG).await,
        invalid(PASSWORD_INCORRECT)
    );
    assert_eq!(
        unlock(&ctx, &s.token, WRONG).await,
        invalid(PASSWORD_INCORRECT)
    );
    let fifth = unlock(&ctx, &s.token, WRONG).await;
    let lock = throttle(&db, "kim")
        .await
        .and_then(|t| t.1)
        .expect("locked");
    assert_eq!(
        fifth,
        ended(&lock),
        "the session ends with the lock message"
    );
    assert_eq!(session_count(&db, kim.id).await, 0);
    assert_eq!(heartbeat(&ctx, &s.token).await, ended(SESSION_ENDED));
    assert_eq!(login(&ctx, "kim", PW).await, invalid(&lock));
}

#[tokio::test]
async fn unlock_while_locked_elsewhere_keeps_the_session() {
    let db = TestDb::new().await;
    let ctx = ctx(&db);
    let lee = add(&db, "lee", Role::Assembler).await;
    let s = login_ok(&ctx, "lee", PW).await;
    for _ in 0..5 {
        let _ = login(&ctx, "lee", WRONG).await;
    }
    let lock = throttle(&db, "lee")
        .await
        .and_then(|t| t.1)
        .expect("locked");
    // The password is not even checked, and the station keeps its session for after the lock.
    assert_eq!(unlock(&ctx, &s.token, PW).await, invalid(&lock));
    assert_eq!(session_count(&db, lee.id).await, 1);
}

#[tokio::test]
async fn change_password_rules_and_effects() {
    let db = TestDb::new().await;
    let ctx = ctx(&db);
    let mia = add(&db, "mia", Role::Assembler).await;
    let here = login_ok(&ctx, "mia", PW).await;
    let elsewhere = login_ok(&ctx, "mia", PW).await;
    let change = |current: &str, new: &str| Request::ChangePassword {
        token: here.token.clone(),
        current: current.into(),
        new: new.into(),
    };

    assert_eq!(
        send(&ctx, change(PW, "short")).await,
        invalid("Password must be at least 10 characters")
    );
    assert_eq!(
        send(&ctx, change(PW, PW)).await,
        invalid(PASSWORD_UNCHANGED)
    );
    assert_eq!(
        throttle(&db, "mia").await,
        None,
        "rejected new passwords cost no attempt"
    );
    assert_eq!(
        send(&ctx, change(WRONG, "brand new password")).await,
        invalid(CURRENT_PASSWORD_INCORRECT)
    );
    assert_eq!(
        throttle(&db, "mia").await,
        Some((1, None)),
        "a wrong current password counts"
    );

    assert_eq!(
        send(&ctx, change(PW, "brand new password")).await,
        Ok(Reply::PasswordChanged)
    );
    assert!(
        heartbeat(&ctx, &here.token).await.is_ok(),
        "this session stays"
    );
    assert_eq!(
        heartbeat(&ctx, &elsewhere.token).await,
        ended(SESSION_ENDED)
    );
    assert_eq!(session_count(&db, mia.id).await, 1);
    assert_eq!(login(&ctx, "mia", PW).await, invalid(LOGIN_FAILED));
    login_ok(&ctx, "mia", "brand new password").await;
}

#[tokio::test]
async fn notifications_are_per_user_and_counted_by_the_heartbeat() {
    let db = TestDb::new().await;
    let ctx = ctx(&db);
    let nina = add(&db, "nina", Role::QcPerson).await;
    add(&db, "omar", Role::QcPerson).await;
    {
        let mut c = db.client().await;
        let tx = cleanstation::db::begin_as(&mut c, &Actor::system("test"))
            .await
            .expect("tx");
        for i in 0..3 {
            let title = format!("Note {i}");
            cleanstation::db::notifications::enqueue(
                &tx,
                nina.id,
                &cleanstation::db::notifications::NewNotification {
                    title: &title,
                    message: "Order PO1-B1 status changed to READY_FOR_PRE_QC",
                    kind: "ORDER_STATUS_CHANGE",
                    related_entity_type: None,
                    related_entity_id: None,
                },
            )
            .await
            .expect("enqueue");
        }
        let sent = cleanstation::db::notifications::enqueue_for_role(
            &tx,
            Role::QcPerson,
            &cleanstation::db::notifications::NewNotification {
                title: "Everyone in QC",
                message: "hello",
                kind: "INFO",
                related_entity_type: None,
                related_entity_id: None,
            },
        )
        .await
        .expect("enqueue for role");
        assert_eq!(sent, 2);
        tx.commit().await.expect("commit");
    }

    let n = login_ok(&ctx, "nina", PW).await;
    let o = login_ok(&ctx, "omar", PW).await;
    assert_eq!(
        heartbeat(&ctx, &n.token).await,
        Ok(Reply::Heartbeat(HeartbeatInfo {
            unread_notifications: 4
        }))
    );
    let list = expect_reply(
        send(
            &ctx,
            Request::Notifications {
                token: n.token.clone(),
            },
        )
        .await,
        |r| match r {
            Reply::Notifications(v) => Some(v),
            _ => None,
        },
    );
    assert_eq!(list.len(), 4);
    assert!(
        list.windows(2).all(|w| w[0].created_at >= w[1].created_at),
        "newest first"
    );
    assert!(list.iter().all(|x| !x.is_read));
    assert!(list.iter().any(|x| x.kind == "ORDER_STATUS_CHANGE"));

    let omars = expect_reply(
        send(
            &ctx,
            Request::Notifications {
                token: o.token.clone(),
            },
        )
        .await,
        |r| match r {
            Reply::Notifications(v) => Some(v),
            _ => None,
        },
    );
    assert_eq!(omars.len(), 1);

    // Omar cannot mark Nina's notifications read, only his own.
    let mut ids: Vec<Uuid> = list.iter().map(|x| x.id).collect();
    ids.push(omars[0].id);
    assert_eq!(
        send(
            &ctx,
            Request::MarkNotificationsRead {
                token: o.token.clone(),
                ids: ids.clone()
            }
        )
        .await,
        Ok(Reply::Done)
    );
    assert_eq!(
        heartbeat(&ctx, &o.token).await,
        Ok(Reply::Heartbeat(HeartbeatInfo {
            unread_notifications: 0
        }))
    );
    assert_eq!(
        heartbeat(&ctx, &n.token).await,
        Ok(Reply::Heartbeat(HeartbeatInfo {
            unread_notifications: 4
        }))
    );

    let first_two = ids[..2].to_vec();
    assert_eq!(
        send(
            &ctx,
            Request::MarkNotificationsRead {
                token: n.token.clone(),
                ids: first_two
            }
        )
        .await,
        Ok(Reply::Done)
    );
    assert_eq!(
        heartbeat(&ctx, &n.token).await,
        Ok(Reply::Heartbeat(HeartbeatInfo {
            unread_notifications: 2
        }))
    );
    let read_at_set: i64 = db
        .client()
        .await
        .query_one(
            r#"SELECT count(*) FROM "SystemNotification"
               WHERE "userId" = $1 AND "isRead" AND "readAt" IS NOT NULL"#,
            &[&nina.id],
        )
        .await
        .expect("count read")
        .get(0);
    assert_eq!(read_at_set, 2);
}

#[tokio::test]
async fn a_burst_of_parallel_wrong_passwords_checks_no_more_than_the_lockout_allows() {
    let db = TestDb::new().await;
    let ctx = ctx(&db);
    add(&db, "grace", Role::QcPerson).await;
    // 30 stations at once, each with its own connection, as an attacker with a botnet of terminals.
    let mut attempts = Vec::new();
    for _ in 0..30 {
        let pool = cleanstation::db::connect(&db.url, 1, "station")
            .await
            .expect("pool");
        let ctx = ServiceCtx {
            pool,
            ..ctx.clone()
        };
        attempts.push(tokio::spawn(
            async move { login(&ctx, "grace", WRONG).await },
        ));
    }
    let mut checked = 0;
    let mut locked = 0;
    for a in attempts {
        match a.await.expect("attempt") {
            Err(ServiceError::Invalid(m)) if m == LOGIN_FAILED => checked += 1,
            Err(ServiceError::Invalid(m)) if m.starts_with(LOCK_PREFIX) => locked += 1,
            other => panic!("unexpected outcome {other:?}"),
        }
    }
    // The password was checked at most max_failed_logins times (the failure that locks reports the
    // lock), and every other attempt was refused without a check.
    assert!(checked < 5, "{checked} passwords checked");
    assert_eq!(checked + locked, 30);
    // Each check was a reservation granted before it ran: the audit trail counts them.
    let granted: i64 = db
        .client()
        .await
        .query_one(
            r#"SELECT count(*) FROM "AuditLog" WHERE "entityType" = 'LoginThrottle' AND "action" = 'UPDATE'
                 AND ("newValues"->>'failedCount')::int = ("oldValues"->>'failedCount')::int + 1"#,
            &[],
        )
        .await
        .expect("reservations")
        .get(0);
    assert!(granted <= 5, "{granted} password checks reserved");
    // The right password right after: refused, the name is locked.
    assert!(
        matches!(login(&ctx, "grace", PW).await, Err(ServiceError::Invalid(m)) if m.starts_with(LOCK_PREFIX))
    );
}

/// A database that is up but frozen for a request (here: a table it must read is locked by another
/// connection) gives `NotAnswering` once the station's wait is over, and the next request answers
/// again once the database does (README, `database.request_timeout_seconds`).
#[tokio::test]
async fn a_request_the_database_does_not_answer_in_time_is_not_answering() {
    let db = TestDb::new().await;
    let ctx = ctx(&db);
    add(&db, "ivy", Role::QcPerson).await;
    let login = |id| ServiceRequest {
        id: RequestId(id),
        kind: Request::Login {
            username: "ivy".into(),
            password: PW.into(),
        },
    };
    let mut holder = db.client().await;
    let tx = holder.transaction().await.expect("transaction");
    tx.batch_execute(r#"LOCK TABLE "User" IN ACCESS EXCLUSIVE MODE"#)
        .await
        .expect("lock");
    let started = std::time::Instant::now();
    let reply = service::dispatch_within(&ctx, login(1), std::time::Duration::from_secs(1)).await;
    assert_eq!(reply.id, RequestId(1));
    assert_eq!(reply.result, Err(ServiceError::NotAnswering));
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "the wait is bounded: {:?}",
        started.elapsed()
    );
    assert_eq!(
        ServiceError::NotAnswering.user_message(),
        "The database is not answering; your input is kept. Try again shortly."
    );
    tx.rollback().await.expect("release");
    let reply = service::dispatch_within(&ctx, login(2), std::time::Duration::from_secs(10)).await;
    assert!(
        matches!(reply.result, Ok(Reply::LoggedIn(_))),
        "{:?}",
        reply.result
    );
}
