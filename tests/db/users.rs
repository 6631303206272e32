//! User administration from the admin screen (through `service::dispatch`) and from the command line.

use crate::auth::{PW, add, ctx, expect_reply, heartbeat, login, login_ok, send};
use crate::support::TestDb;
use cleanstation::domain::Role;
use cleanstation::domain::user::{NewUser, UserSummary};
use cleanstation::error::ServiceError;
use cleanstation::msg::{Reply, Request};
use cleanstation::service::auth::LOGIN_FAILED;
use cleanstation::service::users::{
    ADMIN_EXISTS, CANNOT_CHANGE_OWN_ROLE, CANNOT_DEACTIVATE_SELF, CliAdmin, add_user, count_users,
    find_user, set_active, set_password,
};
use cleanstation::service::{SESSION_ENDED, ServiceCtx};
use uuid::Uuid;

fn new_user(username: &str, password: &str) -> NewUser {
    NewUser {
        username: username.into(),
        full_name: "Pat Doe".into(),
        initials: "pd".into(),
        role: Role::Assembler,
        password: password.into(),
        // The admin screen always forces a change; this proves the service does, not the caller.
        must_change_password: false,
    }
}

fn saved(r: Result<Reply, ServiceError>) -> UserSummary {
    expect_reply(r, |r| match r {
        Reply::UserSaved(u) => Some(u),
        _ => None,
    })
}

async fn create(ctx: &ServiceCtx, token: &str, user: NewUser) -> Result<Reply, ServiceError> {
    send(
        ctx,
        Request::CreateUser {
            token: token.into(),
            user,
        },
    )
    .await
}

async fn audit_rows(db: &TestDb) -> i64 {
    db.client()
        .await
        .query_one(r#"SELECT count(*) FROM "AuditLog""#, &[])
        .await
        .expect("count audit")
        .get(0)
}

async fn must_change(db: &TestDb, id: Uuid) -> bool {
    db.client()
        .await
        .query_one(
            r#"SELECT "mustChangePassword" FROM "User" WHERE id = $1"#,
            &[&id],
        )
        .await
        .expect("user row")
        .get(0)
}

#[tokio::test]
async fn admin_creates_a_user_and_the_audit_names_the_admin() {
    let db = TestDb::new().await;
    let ctx = ctx(&db);
    let root = add(&db, "root.admin", Role::Admin).await;
    let s = login_ok(&ctx, "root.admin", PW).await;

    let pat = saved(create(&ctx, &s.token, new_user("  Pat.Doe ", "temporary-pass-1")).await);
    assert_eq!(pat.username, "pat.doe");
    assert_eq!(pat.initials, "PD");
    assert_eq!(pat.role, Role::Assembler);
    assert!(pat.is_active);
    assert!(
        pat.must_change_password,
        "a password chosen by an admin must be changed"
    );
    assert!(must_change(&db, pat.id).await);

    let c = db.client().await;
    let row = c
        .query_one(
            r#"SELECT "userId", "userAgent", "newValues"->>'passwordHash' LIKE 'sha256:%',
                      "newValues"->>'username'
               FROM "AuditLog"
               WHERE "entityType" = 'User' AND "action" = 'INSERT' AND "entityId" = $1"#,
            &[&pat.id.to_string()],
        )
        .await
        .expect("one audit row for the insert");
    assert_eq!(row.get::<_, Option<Uuid>>(0), Some(root.id));
    assert_eq!(
        row.get::<_, Option<String>>(1).as_deref(),
        Some("station:test")
    );
    assert!(
        row.get::<_, bool>(2),
        "only a digest of the password hash in the audit trail"
    );
    assert_eq!(row.get::<_, Option<String>>(3).as_deref(), Some("pat.doe"));

    let hash: String = c
        .query_one(
            r#"SELECT "passwordHash" FROM "User" WHERE id = $1"#,
            &[&pat.id],
        )
        .await
        .expect("hash")
        .get(0);
    assert!(hash.starts_with("$argon2id$"));

    // The new user logs in with the temporary password and is told to change it.
    let p = login_ok(&ctx, "pat.doe", "temporary-pass-1").await;
    assert!(p.user.must_change_password);

    let all = expect_reply(
        send(
            &ctx,
            Request::ListUsers {
                token: s.token.clone(),
            },
        )
        .await,
        |r| match r {
            Reply::Users(v) => Some(v),
            _ => None,
        },
    );
    let names: Vec<&str> = all.iter().map(|u| u.username.as_str()).collect();
    assert_eq!(names, ["pat.doe", "root.admin"]);
}

#[tokio::test]
async fn duplicate_usernames_and_bad_input_are_refused() {
    let db = TestDb::new().await;
    let ctx = ctx(&db);
    add(&db, "root.admin", Role::Admin).await;
    add(&db, "bob", Role::Assembler).await;
    let s = login_ok(&ctx, "root.admin", PW).await;
    let before = count_users(&db.pool).await.expect("count");

    assert_eq!(
        create(&ctx, &s.token, new_user("BOB", "long enough pw")).await,
        Err(ServiceError::Invalid(
            "Username bob is already taken".into()
        ))
    );
    assert_eq!(
        create(&ctx, &s.token, new_user("newbie", "123456789")).await,
        Err(ServiceError::Invalid(
            "Password must be at least 10 characters".into()
        ))
    );
    assert_eq!(
        create(
            &ctx,
            &s.token,
            new_user("no spaces allowed", "long enough pw")
        )
        .await,
        Err(ServiceError::Invalid(
            "Username may contain only letters, digits, '.', '_' or '-'".into()
        ))
    );
    assert_eq!(count_users(&db.pool).await.expect("count"), before);

    // The command line applies the same rules.
    assert_eq!(
        add_user(
            &ctx,
            CliAdmin::Session(&s.token),
            new_user("bob", "long enough pw")
        )
        .await,
        Err(ServiceError::Invalid(
            "Username bob is already taken".into()
        ))
    );
    assert_eq!(
        add_user(
            &ctx,
            CliAdmin::Session(&s.token),
            new_user("short.pw", "tooshort")
        )
        .await,
        Err(ServiceError::Invalid(
            "Password must be at least 10 characters".into()
        ))
    );
}

#[tokio::test]
async fn non_admins_cannot_manage_users_and_nothing_is_written() {
    let db = TestDb::new().await;
    let ctx = ctx(&db);
    let bob = add(&db, "bob", Role::Assembler).await;
    add(&db, "carl", Role::QcPerson).await;
    let s = login_ok(&ctx, "bob", PW).await;
    let users_before = count_users(&db.pool).await.expect("count");
    let audit_before = audit_rows(&db).await;
    let refused = Err(ServiceError::Forbidden(
        "Your role (ASSEMBLER) cannot manage users".into(),
    ));

    assert_eq!(
        create(&ctx, &s.token, new_user("sneaky", "long enough pw")).await,
        refused
    );
    assert_eq!(
        send(
            &ctx,
            Request::ListUsers {
                token: s.token.clone()
            }
        )
        .await,
        refused
    );
    assert_eq!(
        send(
            &ctx,
            Request::SetRole {
                token: s.token.clone(),
                user_id: bob.id,
                role: Role::Admin
            }
        )
        .await,
        refused
    );
    let carl = find_user(&db.pool, "carl")
        .await
        .expect("find")
        .expect("carl");
    assert_eq!(
        send(
            &ctx,
            Request::SetActive {
                token: s.token.clone(),
                user_id: carl.id,
                active: false
            }
        )
        .await,
        refused
    );
    assert_eq!(
        send(
            &ctx,
            Request::ResetPassword {
                token: s.token.clone(),
                user_id: carl.id,
                temp_password: "hijacked password".into()
            }
        )
        .await,
        refused
    );

    assert_eq!(count_users(&db.pool).await.expect("count"), users_before);
    assert_eq!(
        audit_rows(&db).await,
        audit_before,
        "a refused request writes nothing"
    );
    assert_eq!(find_user(&db.pool, "sneaky").await, Ok(None));
    let carl_now = find_user(&db.pool, "carl")
        .await
        .expect("find")
        .expect("carl");
    assert!(carl_now.is_active);
    login_ok(&ctx, "carl", PW).await;
}

#[tokio::test]
async fn an_admin_cannot_deactivate_or_demote_themself() {
    let db = TestDb::new().await;
    let ctx = ctx(&db);
    let root = add(&db, "root.admin", Role::Admin).await;
    let s = login_ok(&ctx, "root.admin", PW).await;

    assert_eq!(
        send(
            &ctx,
            Request::SetActive {
                token: s.token.clone(),
                user_id: root.id,
                active: false
            }
        )
        .await,
        Err(ServiceError::Forbidden(CANNOT_DEACTIVATE_SELF.into()))
    );
    assert_eq!(
        send(
            &ctx,
            Request::SetRole {
                token: s.token.clone(),
                user_id: root.id,
                role: Role::Assembler
            }
        )
        .await,
        Err(ServiceError::Forbidden(CANNOT_CHANGE_OWN_ROLE.into()))
    );
    let unknown = Uuid::new_v4();
    assert_eq!(
        send(
            &ctx,
            Request::SetRole {
                token: s.token.clone(),
                user_id: unknown,
                role: Role::Assembler
            }
        )
        .await,
        Err(ServiceError::NotFound(format!("User {unknown}")))
    );
    let me = find_user(&db.pool, "root.admin")
        .await
        .expect("find")
        .expect("me");
    assert_eq!((me.role, me.is_active), (Role::Admin, true));
}

#[tokio::test]
async fn role_changes_apply_to_live_sessions() {
    let db = TestDb::new().await;
    let ctx = ctx(&db);
    add(&db, "root.admin", Role::Admin).await;
    let bob = add(&db, "bob", Role::Assembler).await;
    let a = login_ok(&ctx, "root.admin", PW).await;
    let b = login_ok(&ctx, "bob", PW).await;
    assert!(matches!(
        send(
            &ctx,
            Request::ListUsers {
                token: b.token.clone()
            }
        )
        .await,
        Err(ServiceError::Forbidden(_))
    ));

    let promoted = saved(
        send(
            &ctx,
            Request::SetRole {
                token: a.token.clone(),
                user_id: bob.id,
                role: Role::Admin,
            },
        )
        .await,
    );
    assert_eq!(promoted.role, Role::Admin);
    assert!(matches!(
        send(
            &ctx,
            Request::ListUsers {
                token: b.token.clone()
            }
        )
        .await,
        Ok(Reply::Users(_))
    ));

    let demoted = saved(
        send(
            &ctx,
            Request::SetRole {
                token: a.token.clone(),
                user_id: bob.id,
                role: Role::QcPerson,
            },
        )
        .await,
    );
    assert_eq!(demoted.role, Role::QcPerson);
    assert_eq!(
        send(
            &ctx,
            Request::ListUsers {
                token: b.token.clone()
            }
        )
        .await,
        Err(ServiceError::Forbidden(
            "Your role (QC_PERSON) cannot manage users".into()
        ))
    );
}

#[tokio::test]
async fn deactivation_ends_sessions_and_keeps_the_row() {
    let db = TestDb::new().await;
    let ctx = ctx(&db);
    add(&db, "root.admin", Role::Admin).await;
    let dana = add(&db, "dana", Role::Assembler).await;
    let a = login_ok(&ctx, "root.admin", PW).await;
    let d = login_ok(&ctx, "dana", PW).await;

    let off = saved(
        send(
            &ctx,
            Request::SetActive {
                token: a.token.clone(),
                user_id: dana.id,
                active: false,
            },
        )
        .await,
    );
    assert!(!off.is_active);
    assert_eq!(
        heartbeat(&ctx, &d.token).await,
        Err(ServiceError::SessionEnded(SESSION_ENDED.into()))
    );
    assert_eq!(
        login(&ctx, "dana", PW).await,
        Err(ServiceError::Invalid(LOGIN_FAILED.into()))
    );
    let kept = find_user(&db.pool, "dana")
        .await
        .expect("find")
        .expect("row kept");
    assert!(!kept.is_active);

    let on = saved(
        send(
            &ctx,
            Request::SetActive {
                token: a.token.clone(),
                user_id: dana.id,
                active: true,
            },
        )
        .await,
    );
    assert!(on.is_active);
    login_ok(&ctx, "dana", PW).await;
}

#[tokio::test]
async fn reset_forces_a_change_and_change_clears_it() {
    let db = TestDb::new().await;
    let ctx = ctx(&db);
    let root = add(&db, "root.admin", Role::Admin).await;
    let eve = add(&db, "eve", Role::QcPerson).await;
    let a = login_ok(&ctx, "root.admin", PW).await;
    let old_session = login_ok(&ctx, "eve", PW).await;
    // Eve has locked herself out.
    for _ in 0..5 {
        let _ = login(&ctx, "eve", "not her password").await;
    }
    assert!(
        matches!(login(&ctx, "eve", PW).await, Err(ServiceError::Invalid(m)) if m.starts_with("Too many"))
    );

    let reset = |temp: &str| Request::ResetPassword {
        token: a.token.clone(),
        user_id: eve.id,
        temp_password: temp.into(),
    };
    assert_eq!(
        send(&ctx, reset("short")).await,
        Err(ServiceError::Invalid(
            "Password must be at least 10 characters".into()
        ))
    );
    let after = saved(send(&ctx, reset("temporary-pass-2")).await);
    assert!(after.must_change_password);
    assert!(must_change(&db, eve.id).await);
    assert_eq!(
        heartbeat(&ctx, &old_session.token).await,
        Err(ServiceError::SessionEnded(SESSION_ENDED.into())),
        "her sessions end"
    );

    // The reset also lifted the lockout; the temporary password works and must be changed.
    let e = login_ok(&ctx, "eve", "temporary-pass-2").await;
    assert!(e.user.must_change_password);
    assert_eq!(
        send(
            &ctx,
            Request::ChangePassword {
                token: e.token.clone(),
                current: "temporary-pass-2".into(),
                new: "her own secret pw".into(),
            }
        )
        .await,
        Ok(Reply::PasswordChanged)
    );
    assert!(!must_change(&db, eve.id).await);
    assert!(
        !login_ok(&ctx, "eve", "her own secret pw")
            .await
            .user
            .must_change_password
    );

    // An admin resets others, never themself.
    assert!(matches!(
        send(
            &ctx,
            Request::ResetPassword {
                token: a.token.clone(),
                user_id: root.id,
                temp_password: "temporary-pass-3".into()
            }
        )
        .await,
        Err(ServiceError::Invalid(_))
    ));
}

#[tokio::test]
async fn command_line_user_management() {
    let db = TestDb::new().await;
    let ctx = ctx(&db);
    assert_eq!(count_users(&db.pool).await, Ok(0));

    // An empty database: the first administrator is created without a session.
    let first = add_user(
        &ctx,
        CliAdmin::FirstAdmin,
        NewUser {
            must_change_password: true,
            role: Role::Admin,
            ..new_user("First.Admin", "bootstrap-pass-1")
        },
    )
    .await
    .expect("add");
    assert!(
        first.must_change_password,
        "the command line keeps the flag as given"
    );
    assert_eq!(count_users(&db.pool).await, Ok(1));
    assert_eq!(
        find_user(&db.pool, "FIRST.ADMIN").await,
        Ok(Some(first.clone()))
    );
    assert_eq!(find_user(&db.pool, "nobody").await, Ok(None));
    assert_eq!(find_user(&db.pool, "not valid!").await, Ok(None));

    // Nobody is accountable for the first one: the audit row names no user, the station role and
    // the station.
    let row = db
        .client()
        .await
        .query_one(
            r#"SELECT "userId", "userAgent", "dbRole" FROM "AuditLog"
               WHERE "entityType" = 'User' AND "action" = 'INSERT' AND "entityId" = $1"#,
            &[&first.id.to_string()],
        )
        .await
        .expect("audit row");
    assert_eq!(row.get::<_, Option<Uuid>>(0), None);
    assert_eq!(
        row.get::<_, Option<String>>(1).as_deref(),
        Some("station:test")
    );
    assert_eq!(
        row.get::<_, Option<String>>(2).as_deref(),
        Some("cleanstation_app")
    );

    // From now on every path needs an administrator's session, checked by the service...
    let before = count_users(&db.pool).await.expect("count");
    assert_eq!(
        add_user(
            &ctx,
            CliAdmin::FirstAdmin,
            new_user("sneaky", "long enough pw")
        )
        .await,
        Err(ServiceError::Forbidden(ADMIN_EXISTS.into()))
    );
    assert_eq!(
        set_password(
            &ctx,
            CliAdmin::FirstAdmin,
            "first.admin",
            "taken-over-1",
            false
        )
        .await,
        Err(ServiceError::Forbidden(ADMIN_EXISTS.into()))
    );
    assert_eq!(
        set_active(&ctx, CliAdmin::FirstAdmin, "first.admin", false).await,
        Err(ServiceError::Forbidden(ADMIN_EXISTS.into()))
    );
    // ...and by the database itself, for a client that skips the service.
    let direct = db
        .station()
        .await
        .query_one(
            "SELECT app_user_create('sneaky', 'x', 'Sneaky', 'SN', 'ADMIN', false)",
            &[],
        )
        .await;
    assert!(direct.is_err(), "the database refuses a sessionless user");
    assert_eq!(count_users(&db.pool).await, Ok(before));

    let admin = login_ok(&ctx, "first.admin", "bootstrap-pass-1").await;
    let by = CliAdmin::Session(&admin.token);
    let bob = add_user(&ctx, by, new_user("bob", "long enough pw"))
        .await
        .expect("admin adds bob");
    let by_admin: Option<Uuid> = db
        .client()
        .await
        .query_one(
            r#"SELECT "userId" FROM "AuditLog"
               WHERE "entityType" = 'User' AND "action" = 'INSERT' AND "entityId" = $1"#,
            &[&bob.id.to_string()],
        )
        .await
        .expect("audit row")
        .get(0);
    assert_eq!(
        by_admin,
        Some(first.id),
        "the audit row names the administrator"
    );

    // A non-administrator's session is refused, and nothing changes.
    let b = login_ok(&ctx, "bob", "long enough pw").await;
    assert!(matches!(
        set_password(
            &ctx,
            CliAdmin::Session(&b.token),
            "first.admin",
            "taken-over-1",
            false
        )
        .await,
        Err(ServiceError::Forbidden(_))
    ));
    login_ok(&ctx, "first.admin", "bootstrap-pass-1").await;

    let s = login_ok(&ctx, "bob", "long enough pw").await;
    set_password(&ctx, by, "bob", "recovered-pass-1", false)
        .await
        .expect("set password");
    assert_eq!(
        heartbeat(&ctx, &s.token).await,
        Err(ServiceError::SessionEnded(SESSION_ENDED.into()))
    );
    login_ok(&ctx, "bob", "recovered-pass-1").await;
    assert_eq!(
        set_password(&ctx, by, "bob", "short", false).await,
        Err(ServiceError::Invalid(
            "Password must be at least 10 characters".into()
        ))
    );
    assert_eq!(
        set_password(&ctx, by, "nobody", "long enough pw", false).await,
        Err(ServiceError::NotFound("User nobody".into()))
    );

    let s = login_ok(&ctx, "bob", "recovered-pass-1").await;
    set_active(&ctx, by, "bob", false).await.expect("disable");
    assert_eq!(
        heartbeat(&ctx, &s.token).await,
        Err(ServiceError::SessionEnded(SESSION_ENDED.into()))
    );
    assert_eq!(
        login(&ctx, "bob", "recovered-pass-1").await,
        Err(ServiceError::Invalid(LOGIN_FAILED.into()))
    );
    set_active(&ctx, by, "bob", true).await.expect("enable");
    login_ok(&ctx, "bob", "recovered-pass-1").await;
    assert_eq!(
        set_active(&ctx, by, "nobody", true).await,
        Err(ServiceError::NotFound("User nobody".into()))
    );
    assert_eq!(
        set_active(&ctx, by, "first.admin", false).await,
        Err(ServiceError::Forbidden(CANNOT_DEACTIVATE_SELF.into()))
    );
}

/// Runs `cleanstation user ARGS` through the binary: (exit status, stderr + stdout).
pub(crate) async fn user_cli(
    db: &TestDb,
    args: &[&str],
    envs: &[(&str, &str)],
) -> (Option<i32>, String) {
    let mut all = vec!["user"];
    all.extend_from_slice(args);
    let out = db.cli(&all, envs).await;
    (
        out.status.code(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stderr),
            String::from_utf8_lossy(&out.stdout)
        ),
    )
}

async fn password_hash(db: &TestDb, username: &str) -> String {
    db.client()
        .await
        .query_one(
            r#"SELECT "passwordHash" FROM "User" WHERE "username" = $1"#,
            &[&username],
        )
        .await
        .expect("user")
        .get(0)
}

#[tokio::test]
async fn administration_from_the_command_line_needs_an_administrators_login() {
    let db = TestDb::new().await;
    let new_pw = [("CLEANSTATION_NEW_PASSWORD", "first-admin-pw")];
    let add_args = |name: &'static str, role: &'static str| {
        vec![
            "add",
            name,
            "--role",
            role,
            "--full-name",
            "Someone Here",
            "--initials",
            "SH",
        ]
    };

    // The first administrator of an empty database needs no login.
    let (code, text) = user_cli(&db, &add_args("first", "ADMIN"), &new_pw).await;
    assert_eq!(code, Some(0), "{text}");

    // From then on, without --as: refused, nothing changed.
    let users = count_users(&db.pool).await.expect("count");
    let hash = password_hash(&db, "first").await;
    for args in [
        add_args("second", "ADMIN"),
        vec!["passwd", "first"],
        vec!["deactivate", "first"],
        vec!["activate", "first"],
    ] {
        let (code, text) = user_cli(
            &db,
            &args,
            &[("CLEANSTATION_NEW_PASSWORD", "taken-over-pw")],
        )
        .await;
        assert_eq!(code, Some(2), "{args:?}: {text}");
        assert!(text.contains(ADMIN_EXISTS), "{args:?}: {text}");
    }
    assert_eq!(count_users(&db.pool).await, Ok(users));
    assert_eq!(password_hash(&db, "first").await, hash);

    // As the administrator: done, and the audit trail names them.
    let as_first = [
        ("CLEANSTATION_PASSWORD", "first-admin-pw"),
        ("CLEANSTATION_NEW_PASSWORD", "worker-pw-123"),
    ];
    let mut args = add_args("worker", "ASSEMBLER");
    args.extend(["--as", "first"]);
    let (code, text) = user_cli(&db, &args, &as_first).await;
    assert_eq!(code, Some(0), "{text}");
    let (by, first_id): (Option<Uuid>, Uuid) = {
        let row = db
            .client()
            .await
            .query_one(
                r#"SELECT a."userId", (SELECT id FROM "User" WHERE "username" = 'first')
                     FROM "AuditLog" a JOIN "User" u ON a."entityId" = u.id::text
                    WHERE u."username" = 'worker' AND a."entityType" = 'User' AND a."action" = 'INSERT'"#,
                &[],
            )
            .await
            .expect("audit row");
        (row.get(0), row.get(1))
    };
    assert_eq!(by, Some(first_id));

    // As a non-administrator, or with a wrong password: refused, nothing changed.
    let hash = password_hash(&db, "first").await;
    let as_worker = [
        ("CLEANSTATION_PASSWORD", "worker-pw-123"),
        ("CLEANSTATION_NEW_PASSWORD", "taken-over-pw"),
    ];
    let (code, text) = user_cli(&db, &["passwd", "first", "--as", "worker"], &as_worker).await;
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("cannot manage users"), "{text}");
    let wrong = [
        ("CLEANSTATION_PASSWORD", "not-the-password"),
        ("CLEANSTATION_NEW_PASSWORD", "taken-over-pw"),
    ];
    let (code, text) = user_cli(&db, &["passwd", "worker", "--as", "first"], &wrong).await;
    assert_eq!(code, Some(2), "{text}");
    assert_eq!(password_hash(&db, "first").await, hash);
    let (code, text) = user_cli(&db, &["deactivate", "first", "--as", "first"], &as_first).await;
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains(CANNOT_DEACTIVATE_SELF), "{text}");

    let (code, text) = user_cli(&db, &["passwd", "worker", "--as", "first"], &as_first).await;
    assert_eq!(code, Some(0), "{text}");
    let (code, text) = user_cli(&db, &["deactivate", "worker", "--as", "first"], &as_first).await;
    assert_eq!(code, Some(0), "{text}");
    // Every command sealed what it wrote: the chain holds it without a station running.
    let pending: i64 = db
        .client()
        .await
        .query_one(r#"SELECT count(*) FROM "AuditPending""#, &[])
        .await
        .expect("pending")
        .get(0);
    assert_eq!(pending, 0);
}
