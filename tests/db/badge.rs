//! Badge + PIN: the admin gives and takes badges, a badge and its PIN log in (at the login screen and
//! at a locked station), failures read alike and count toward the user's lockout, and the audit trail
//! keeps no PIN (docs/security.md, Badge and PIN).

use crate::auth::{PW, add, ctx, expect_reply, heartbeat, login, login_ok, send};
use crate::support::TestDb;
use crate::users::user_cli;
use cleanstation::auth::sha256_hex;
use cleanstation::db::audit;
use cleanstation::domain::Role;
use cleanstation::domain::session::Session;
use cleanstation::domain::user::UserSummary;
use cleanstation::error::ServiceError;
use cleanstation::msg::{Reply, Request};
use cleanstation::service::auth::BADGE_FAILED;
use cleanstation::service::{SESSION_ENDED, ServiceCtx};
use uuid::Uuid;

const PIN: &str = "4711";
const LOCK_PREFIX: &str = "Too many failed attempts; try again after ";

async fn set_badge(
    ctx: &ServiceCtx,
    token: &str,
    user: Uuid,
    badge: &str,
    pin: &str,
) -> Result<Reply, ServiceError> {
    send(
        ctx,
        Request::SetBadge {
            token: token.into(),
            user_id: user,
            badge: badge.into(),
            pin: pin.into(),
        },
    )
    .await
}

async fn badge_login(
    ctx: &ServiceCtx,
    badge: &str,
    pin: &str,
    previous: Option<&str>,
) -> Result<Reply, ServiceError> {
    send(
        ctx,
        Request::LoginBadge {
            badge: badge.into(),
            pin: pin.into(),
            previous: previous.map(str::to_string),
        },
    )
    .await
}

fn session(r: Result<Reply, ServiceError>) -> Session {
    expect_reply(r, |r| match r {
        Reply::LoggedIn(s) => Some(s),
        _ => None,
    })
}

fn saved(r: Result<Reply, ServiceError>) -> UserSummary {
    expect_reply(r, |r| match r {
        Reply::UserSaved(u) => Some(u),
        _ => None,
    })
}

fn refused() -> Result<Reply, ServiceError> {
    Err(ServiceError::Invalid(BADGE_FAILED.into()))
}

/// An admin's session, and `names` as assemblers with badges `B-<NAME>` and PIN [`PIN`].
async fn staffed(db: &TestDb, names: &[&str]) -> (ServiceCtx, Session, Vec<UserSummary>) {
    let ctx = ctx(db);
    add(db, "boss", Role::Admin).await;
    let admin = login_ok(&ctx, "boss", PW).await;
    let mut users = Vec::new();
    for name in names {
        let u = add(db, name, Role::Assembler).await;
        let code = format!("b-{name}");
        users.push(saved(set_badge(&ctx, &admin.token, u.id, &code, PIN).await));
    }
    (ctx, admin, users)
}

async fn stored(db: &TestDb, user: Uuid) -> (Option<String>, Option<String>) {
    let row = db
        .client()
        .await
        .query_one(
            r#"SELECT "badgeCode", "pinHash" FROM "User" WHERE id = $1"#,
            &[&user],
        )
        .await
        .expect("user row");
    (row.get(0), row.get(1))
}

async fn session_count(db: &TestDb, user: Uuid) -> i64 {
    db.client()
        .await
        .query_one(
            r#"SELECT count(*) FROM "UserSession" WHERE "userId" = $1"#,
            &[&user],
        )
        .await
        .expect("count")
        .get(0)
}

#[tokio::test]
async fn a_badge_and_its_pin_log_in_and_the_pin_is_an_argon2id_hash() {
    let db = TestDb::new().await;
    let (ctx, admin, users) = staffed(&db, &["ana"]).await;
    let ana = &users[0];
    assert!(ana.has_badge);
    let (code, hash) = stored(&db, ana.id).await;
    assert_eq!(code.as_deref(), Some("B-ANA"), "stored upper-case");
    let hash = hash.expect("a PIN hash");
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    assert!(!hash.contains(PIN));

    // Any case scans in; the reply is a session like a password login's.
    let s = session(badge_login(&ctx, "b-Ana", PIN, None).await);
    assert_eq!(s.user.id, ana.id);
    assert!(s.user.has_badge);
    assert!(heartbeat(&ctx, &s.token).await.is_ok());

    // The list shows who has a badge, never a PIN.
    let list = expect_reply(
        send(
            &ctx,
            Request::ListUsers {
                token: admin.token.clone(),
            },
        )
        .await,
        |r| match r {
            Reply::Users(u) => Some(u),
            _ => None,
        },
    );
    let flags: Vec<(String, bool)> = list
        .iter()
        .map(|u| (u.username.clone(), u.has_badge))
        .collect();
    assert_eq!(flags, vec![("ana".into(), true), ("boss".into(), false)]);

    // The audit trail holds the PIN hash's SHA-256 only, like the password's, and verifies.
    let images: Vec<String> = db
        .client()
        .await
        .query(
            r#"SELECT "newValues"::text FROM "AuditLog"
                WHERE "entityType" = 'User' AND "entityId" = $1"#,
            &[&ana.id.to_string()],
        )
        .await
        .expect("images")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(images.iter().all(|i| !i.contains("$argon2")), "{images:?}");
    let expected = format!("sha256:{}", sha256_hex(hash.as_bytes()));
    assert!(images.iter().any(|i| i.contains(&expected)), "{images:?}");
    let report = audit::verify(&db.client().await).await.expect("verify");
    assert!(
        report.chain.problems.is_empty() && report.row_problems.is_empty(),
        "{}",
        audit::describe(&report)
    );
}

#[tokio::test]
async fn every_badge_failure_reads_the_same() {
    let db = TestDb::new().await;
    let (ctx, admin, users) = staffed(&db, &["ben", "cyd"]).await;
    assert_eq!(badge_login(&ctx, "B-BEN", "9999", None).await, refused());
    assert_eq!(badge_login(&ctx, "B-NOBODY", PIN, None).await, refused());
    assert_eq!(badge_login(&ctx, "no badge!", PIN, None).await, refused());
    assert_eq!(badge_login(&ctx, "B-BEN", "12ab", None).await, refused());
    // A deactivated user's badge and right PIN are refused alike.
    let _ = send(
        &ctx,
        Request::SetActive {
            token: admin.token.clone(),
            user_id: users[1].id,
            active: false,
        },
    )
    .await
    .expect("deactivate");
    assert_eq!(badge_login(&ctx, "B-CYD", PIN, None).await, refused());
    // A badge taken away no longer logs in.
    saved(
        send(
            &ctx,
            Request::ClearBadge {
                token: admin.token.clone(),
                user_id: users[0].id,
            },
        )
        .await,
    );
    assert_eq!(stored(&db, users[0].id).await, (None, None));
    assert_eq!(badge_login(&ctx, "B-BEN", PIN, None).await, refused());
}

#[tokio::test]
async fn wrong_pins_count_toward_the_users_lockout() {
    let db = TestDb::new().await;
    let (ctx, _, _) = staffed(&db, &["dee"]).await;
    // Two wrong passwords and three wrong PINs share the counter and reach the limit of five.
    let _ = login(&ctx, "dee", "wrong password 1").await;
    let _ = login(&ctx, "dee", "wrong password 2").await;
    assert_eq!(badge_login(&ctx, "B-DEE", "0000", None).await, refused());
    assert_eq!(badge_login(&ctx, "B-DEE", "0001", None).await, refused());
    let fifth = badge_login(&ctx, "B-DEE", "0002", None).await;
    let Err(ServiceError::Invalid(lock)) = fifth else {
        panic!("expected the lock message, got {fifth:?}");
    };
    assert!(lock.starts_with(LOCK_PREFIX), "{lock}");
    // Locked: the right PIN and the right password are not even checked.
    assert_eq!(
        badge_login(&ctx, "B-DEE", PIN, None).await,
        Err(ServiceError::Invalid(lock.clone()))
    );
    assert_eq!(
        login(&ctx, "dee", PW).await,
        Err(ServiceError::Invalid(lock))
    );

    // An unknown badge locks the same way, so the lockout tells nothing about which badges exist.
    for _ in 0..4 {
        assert_eq!(badge_login(&ctx, "B-GHOST", PIN, None).await, refused());
    }
    let fifth = badge_login(&ctx, "b-ghost", PIN, None).await;
    assert!(
        matches!(&fifth, Err(ServiceError::Invalid(m)) if m.starts_with(LOCK_PREFIX)),
        "{fifth:?}"
    );
}

#[tokio::test]
async fn badges_and_pins_are_checked_and_unique_whatever_the_case() {
    let db = TestDb::new().await;
    let (ctx, admin, users) = staffed(&db, &["eve", "fay"]).await;
    let fay = users[1].id;
    for (badge, pin) in [
        ("B-FAY2", "123"),
        ("B-FAY2", "123456789"),
        ("B-FAY2", "12a4"),
        ("ab", PIN),
        ("U:FAY", PIN),
    ] {
        let r = set_badge(&ctx, &admin.token, fay, badge, pin).await;
        assert!(
            matches!(r, Err(ServiceError::Invalid(_))),
            "{badge} {pin}: {r:?}"
        );
    }
    assert_eq!(
        set_badge(&ctx, &admin.token, fay, "b-EVE", PIN).await,
        Err(ServiceError::Invalid(
            "Badge B-EVE is already assigned to another user".into()
        ))
    );
    // The database's own checks, past the service's (as the owner: stations cannot write "User").
    let owner = db.owner.get().await.expect("owner connection");
    let raw = |sql: &'static str| {
        let owner = &owner;
        async move { owner.execute(sql, &[&fay]).await }
    };
    assert!(
        raw(r#"UPDATE "User" SET "badgeCode" = 'B-FAY' WHERE id = $1"#)
            .await
            .is_ok(),
        "the owner can change the badge"
    );
    for bad in [
        r#"UPDATE "User" SET "badgeCode" = 'b-eve' WHERE id = $1"#,
        r#"UPDATE "User" SET "badgeCode" = 'B-EVE' WHERE id = $1"#,
        r#"UPDATE "User" SET "pinHash" = NULL WHERE id = $1"#,
    ] {
        assert!(raw(bad).await.is_err(), "{bad} is refused");
    }
    // Re-giving a user their own badge with a new PIN is fine; the old PIN stops working.
    saved(set_badge(&ctx, &admin.token, fay, "B-FAY", "87654321").await);
    assert_eq!(badge_login(&ctx, "B-FAY", PIN, None).await, refused());
    session(badge_login(&ctx, "B-FAY", "87654321", None).await);

    // Only an administrator gives badges.
    let eve = login_ok(&ctx, "eve", PW).await;
    let r = set_badge(&ctx, &eve.token, fay, "B-NEW", PIN).await;
    assert!(matches!(r, Err(ServiceError::Forbidden(_))), "{r:?}");
}

#[tokio::test]
async fn at_a_locked_station_another_badge_ends_the_session_and_the_own_badge_continues_it() {
    let db = TestDb::new().await;
    let (ctx, _, users) = staffed(&db, &["gus", "hal"]).await;
    let (gus, hal) = (&users[0], &users[1]);
    let locked = login_ok(&ctx, "gus", PW).await;

    // Gus's own badge: the same session goes on.
    let again = session(badge_login(&ctx, "B-GUS", PIN, Some(&locked.token)).await);
    assert_eq!(again.token, locked.token);
    assert_eq!(session_count(&db, gus.id).await, 1);

    // A wrong PIN for Hal's badge changes nothing for Gus.
    assert_eq!(
        badge_login(&ctx, "B-HAL", "0000", Some(&locked.token)).await,
        refused()
    );
    assert!(heartbeat(&ctx, &locked.token).await.is_ok());

    // Hal's badge and PIN: Gus's session ends, Hal's starts.
    let next = session(badge_login(&ctx, "B-HAL", PIN, Some(&locked.token)).await);
    assert_eq!(next.user.id, hal.id);
    assert_ne!(next.token, locked.token);
    assert_eq!(session_count(&db, gus.id).await, 0);
    assert_eq!(
        heartbeat(&ctx, &locked.token).await,
        Err(ServiceError::SessionEnded(SESSION_ENDED.into()))
    );
    assert!(heartbeat(&ctx, &next.token).await.is_ok());

    // The locked user's own wrong PINs: the one that locks them also ends the session, as at the lock.
    for pin in ["0000", "0001", "0002", "0003"] {
        assert_eq!(
            badge_login(&ctx, "B-HAL", pin, Some(&next.token)).await,
            refused()
        );
    }
    let fifth = badge_login(&ctx, "B-HAL", "0004", Some(&next.token)).await;
    assert!(
        matches!(&fifth, Err(ServiceError::SessionEnded(m)) if m.starts_with(LOCK_PREFIX)),
        "{fifth:?}"
    );
    assert_eq!(session_count(&db, hal.id).await, 0);
}

#[tokio::test]
async fn the_command_line_gives_re_pins_and_takes_badges_in_an_admins_session() {
    let db = TestDb::new().await;
    let (ctx, _, _) = staffed(&db, &[]).await;
    let ivy = add(&db, "ivy", Role::QcPerson).await;
    let as_boss =
        |pin: &'static str| [("CLEANSTATION_PASSWORD", PW), ("CLEANSTATION_NEW_PIN", pin)];

    let (code, out) = user_cli(
        &db,
        &["set-badge", "ivy", "b-ivy", "--as", "boss"],
        &as_boss(PIN),
    )
    .await;
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("ivy carries badge B-IVY"), "{out}");
    session(badge_login(&ctx, "B-IVY", PIN, None).await);

    let (code, out) = user_cli(&db, &["set-pin", "ivy", "--as", "boss"], &as_boss("246810")).await;
    assert_eq!(code, Some(0), "{out}");
    assert_eq!(badge_login(&ctx, "B-IVY", PIN, None).await, refused());
    session(badge_login(&ctx, "B-IVY", "246810", None).await);

    // Refusals exit 2 and change nothing: a bad code, a bad PIN, another's badge, no badge to re-PIN.
    let before = stored(&db, ivy.id).await;
    for (args, pin) in [
        (vec!["set-badge", "ivy", "no", "--as", "boss"], PIN),
        (vec!["set-badge", "ivy", "B-IVY2", "--as", "boss"], "12x4"),
        (vec!["set-badge", "boss", "b-ivy", "--as", "boss"], PIN),
        (vec!["set-pin", "boss", "--as", "boss"], PIN),
    ] {
        let (code, out) = user_cli(&db, &args, &as_boss(pin)).await;
        assert_eq!(code, Some(2), "{args:?}: {out}");
    }
    assert_eq!(stored(&db, ivy.id).await, before);

    let (code, out) = user_cli(&db, &["clear-badge", "ivy", "--as", "boss"], &as_boss(PIN)).await;
    assert_eq!(code, Some(0), "{out}");
    assert_eq!(stored(&db, ivy.id).await, (None, None));
    assert_eq!(badge_login(&ctx, "B-IVY", "246810", None).await, refused());
    // The changes are the administrator's in the audit trail.
    let actors: i64 = db
        .count(&format!(
            r#"SELECT count(*) FROM "AuditLog" a JOIN "User" u ON u.id = a."userId"
                WHERE a."entityType" = 'User' AND a."entityId" = '{}' AND a."action" = 'UPDATE'
                  AND u."username" = 'boss'"#,
            ivy.id
        ))
        .await;
    assert!(actors >= 3, "{actors} updates in boss's name");
}
