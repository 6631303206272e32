//! The station role as an attacker holding a station's database credentials would use it: everything
//! below must be refused by the database itself, or have no effect.

use crate::auth::{PW, add, ctx, login_ok, session_token};
use crate::support::TestDb;
use cleanstation::db::roles::STATION_ROLE;
use cleanstation::domain::Role;
use tokio_postgres::error::SqlState;

/// Runs `sql` as the station role and says whether the database refused it, with the reason.
async fn refused(db: &TestDb, sql: &str) -> Result<(), String> {
    let client = db.station().await;
    match client.batch_execute(sql).await {
        Ok(()) => Err(format!("the station role was allowed: {sql}")),
        Err(e) => {
            let code = e.code().cloned();
            let allowed = [
                SqlState::INSUFFICIENT_PRIVILEGE,
                SqlState::RAISE_EXCEPTION,
                SqlState::INTEGRITY_CONSTRAINT_VIOLATION,
                SqlState::CANT_CHANGE_RUNTIME_PARAM,
            ];
            if code.as_ref().is_some_and(|c| allowed.contains(c)) {
                Ok(())
            } else {
                Err(format!("{sql}: refused for another reason: {e:?}"))
            }
        }
    }
}

#[tokio::test]
async fn the_station_role_is_least_privilege() {
    let db = TestDb::new().await;
    let c = db.station().await;
    let row = c
        .query_one(
            r#"SELECT current_user::text, rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, rolreplication
                 FROM pg_roles WHERE rolname = current_user"#,
            &[],
        )
        .await
        .expect("role");
    assert_eq!(row.get::<_, String>(0), STATION_ROLE);
    for (i, what) in [
        (1, "superuser"),
        (2, "createrole"),
        (3, "createdb"),
        (4, "bypassrls"),
        (5, "replication"),
    ] {
        assert!(!row.get::<_, bool>(i), "the station role has {what}");
    }
    // It owns nothing and is a member of no other role.
    let owned = db
        .count(
            "SELECT (SELECT count(*) FROM pg_class WHERE relowner = 'cleanstation_app'::regrole)
              + (SELECT count(*) FROM pg_proc WHERE proowner = 'cleanstation_app'::regrole)
              + (SELECT count(*) FROM pg_type WHERE typowner = 'cleanstation_app'::regrole)
              + (SELECT count(*) FROM pg_namespace WHERE nspowner = 'cleanstation_app'::regrole)
              + (SELECT count(*) FROM pg_database WHERE datdba = 'cleanstation_app'::regrole)",
        )
        .await;
    assert_eq!(owned, 0, "the station role owns nothing");
    assert_eq!(
        db.count("SELECT count(*) FROM pg_auth_members WHERE member = 'cleanstation_app'::regrole")
            .await,
        0
    );
    let check = cleanstation::db::roles::check_station(&c)
        .await
        .expect("check");
    assert_eq!(check.warning(), None);
    assert!(!check.may_migrate);
    // The owner's connection is told apart.
    let owner = cleanstation::db::roles::check_station(&db.client().await)
        .await
        .expect("check");
    assert!(owner.may_migrate);
    assert!(owner.warning().is_some());
}

#[tokio::test]
async fn the_audit_trail_cannot_be_touched_by_a_station() {
    let db = TestDb::new().await;
    add(&db, "ann", Role::Assembler).await;
    let before = db.count(r#"SELECT count(*) FROM "AuditLog""#).await;
    assert!(before > 0);
    for sql in [
        r#"DELETE FROM "AuditLog""#,
        r#"UPDATE "AuditLog" SET "action" = 'FORGED'"#,
        r#"TRUNCATE "AuditLog""#,
        r#"INSERT INTO "AuditLog" ("action", "entityType", "entityId") VALUES ('INSERT', 'User', 'x')"#,
        r#"INSERT INTO "AuditChain" ("position", "kind", "prevLink", "link") VALUES (999, 'ROW', 'x', 'y')"#,
        r#"DELETE FROM "AuditChain""#,
        r#"UPDATE "AuditChain" SET "link" = 'x'"#,
        r#"DELETE FROM "AuditPending""#,
        r#"INSERT INTO "AuditPending" ("seq", "seqs") VALUES (999999, '{999999}')"#,
        // The two statements that wiped the trail before.
        r#"UPDATE "SystemSetting" SET "settingValue" = '0' WHERE "settingKey" = 'audit.retentionDays'"#,
        "SELECT cleanup_old_audit_logs()",
        "SELECT audit_baseline('forged')",
        "SELECT audit_actor()",
        // Triggers cannot be switched off.
        r#"ALTER TABLE "AuditLog" DISABLE TRIGGER USER"#,
        r#"ALTER TABLE "ProductionOrder" DISABLE TRIGGER audit_update"#,
        "SET session_replication_role = replica",
        // An audit note in nobody's name, or one imitating the trigger.
        "SELECT app_audit_note('NOTE', 'ProductionOrder', 'x', NULL, NULL)",
    ] {
        refused(&db, sql).await.expect("refused");
    }
    assert_eq!(db.count(r#"SELECT count(*) FROM "AuditLog""#).await, before);
    let token = session_token(&db, crate::auth::add(&db, "ivy", Role::Admin).await.id).await;
    let c = db.station().await;
    c.execute(
        "SELECT set_config('cleanstation.session_token', $1, false)",
        &[&token],
    )
    .await
    .expect("token");
    assert!(
        c.execute(
            "SELECT app_audit_note('UPDATE', 'ProductionOrder', 'x', NULL, NULL)",
            &[]
        )
        .await
        .is_err(),
        "the trigger's actions cannot be imitated, even in a valid session"
    );
}

#[tokio::test]
async fn no_ddl_no_temporary_tables_no_other_role() {
    let db = TestDb::new().await;
    for sql in [
        "CREATE TABLE stash (x int)",
        "CREATE TEMPORARY TABLE stash (x int)",
        "CREATE SCHEMA stash",
        r#"CREATE FUNCTION stash() RETURNS int LANGUAGE sql AS 'SELECT 1'"#,
        r#"ALTER TABLE "ProductionOrder" ADD COLUMN stash int"#,
        r#"DROP TABLE "OrderDraft""#,
        r#"CREATE INDEX stash ON "ProductionOrder" ("notes")"#,
        r#"CREATE TRIGGER stash AFTER INSERT ON "ProductionOrder" FOR EACH ROW EXECUTE FUNCTION update_timestamp()"#,
        "CREATE ROLE stash",
        "SET ROLE cleanstation",
        "CREATE TABLE refinery_schema_history (version int)",
    ] {
        refused(&db, sql).await.expect("refused");
    }
}

#[tokio::test]
async fn users_sessions_settings_and_counters_change_only_through_checked_paths() {
    let db = TestDb::new().await;
    let ctx = ctx(&db);
    let admin = add(&db, "root.admin", Role::Admin).await;
    let bob = add(&db, "bob", Role::QcPerson).await;
    let eve = add(&db, "eve", Role::Assembler).await;
    let admin_session = login_ok(&ctx, "root.admin", PW).await;
    let before = db.count(r#"SELECT count(*) FROM "UserSession""#).await;

    for sql in [
        r#"UPDATE "User" SET "passwordHash" = 'x' WHERE "username" = 'bob'"#,
        r#"UPDATE "User" SET "role" = 'ADMIN' WHERE "username" = 'eve'"#,
        r#"INSERT INTO "User" ("username", "passwordHash", "fullName", "initials", "role") VALUES ('mallory', 'x', 'M', 'M', 'ADMIN')"#,
        r#"DELETE FROM "User""#,
        r#"INSERT INTO "UserSession" ("userId", "token", "expiresAt") VALUES ('00000000-0000-0000-0000-000000000000', 'x', LOCALTIMESTAMP)"#,
        r#"UPDATE "UserSession" SET "expiresAt" = LOCALTIMESTAMP + interval '1 year'"#,
        r#"DELETE FROM "UserSession""#,
        r#"DELETE FROM "LoginThrottle""#,
        r#"UPDATE "LoginThrottle" SET "lockedUntil" = NULL"#,
        r#"INSERT INTO "SystemSetting" ("settingKey", "settingValue", "dataType") VALUES ('x', 'y', 'STRING')"#,
        r#"UPDATE "SystemSetting" SET "settingValue" = '1'"#,
        // The catalog and the templates are the owner's imports.
        r#"UPDATE "Part" SET "name" = 'x'"#,
        r#"UPDATE "QCChecklistItem" SET "itemDescription" = 'x'"#,
        r#"DELETE FROM "Assembly""#,
    ] {
        refused(&db, sql).await.expect("refused");
    }
    assert_eq!(
        db.count(r#"SELECT count(*) FROM "UserSession""#).await,
        before
    );

    // The checked paths refuse without an administrator's session...
    let bob_session = session_token(&db, bob.id).await;
    let c = db.station().await;
    for token in ["", bob_session.as_str(), "forged"] {
        c.execute(
            "SELECT set_config('cleanstation.session_token', $1, false)",
            &[&token],
        )
        .await
        .expect("token");
        for (sql, what) in [
            (
                format!("SELECT app_user_set_password('{}', 'x', false)", eve.id),
                "another's password",
            ),
            (
                format!("SELECT app_user_set_role('{}', 'ADMIN')", eve.id),
                "a role",
            ),
            (
                format!("SELECT app_user_set_active('{}', false)", admin.id),
                "deactivation",
            ),
            (
                "SELECT app_user_create('mallory', 'x', 'M', 'M', 'ADMIN', false)".to_string(),
                "a new user",
            ),
        ] {
            let e = c.batch_execute(&sql).await.expect_err(what);
            assert_eq!(e.code(), Some(&SqlState::INSUFFICIENT_PRIVILEGE), "{what}");
        }
    }
    // ...and allow what an administrator's session may do.
    c.execute(
        "SELECT set_config('cleanstation.session_token', $1, false)",
        &[&admin_session.token],
    )
    .await
    .expect("token");
    c.batch_execute(&format!(
        "SELECT app_user_set_role('{}', 'QC_PERSON')",
        eve.id
    ))
    .await
    .expect("an administrator changes a role");
    // A user may set their own password only in their own session.
    c.execute(
        "SELECT set_config('cleanstation.session_token', $1, false)",
        &[&bob_session],
    )
    .await
    .expect("token");
    let own: bool = c
        .query_one(
            "SELECT app_user_set_password($1, 'new-hash', false)",
            &[&bob.id],
        )
        .await
        .expect("own password")
        .get(0);
    assert!(own);
}

#[tokio::test]
async fn checked_functions_pin_their_search_path_and_only_stations_may_call_them() {
    let db = TestDb::new().await;
    let rows = db
        .client()
        .await
        .query(
            r#"SELECT p.proname::text, p.proconfig, p.proacl::text[]
                 FROM pg_proc p
                WHERE p.pronamespace = 'public'::regnamespace AND p.prosecdef"#,
            &[],
        )
        .await
        .expect("functions");
    assert!(rows.len() >= 10, "the checked paths exist");
    for r in &rows {
        let name: String = r.get(0);
        let config: Option<Vec<String>> = r.get(1);
        assert!(
            config
                .unwrap_or_default()
                .iter()
                .any(|c| c.starts_with("search_path=")),
            "{name} pins its search_path"
        );
        // No grant to PUBLIC (an ACL entry "=X/owner"), so only the roles granted may call it.
        let acl: Option<Vec<String>> = r.get(2);
        let acl = acl.unwrap_or_default();
        assert!(
            !acl.is_empty() && !acl.iter().any(|a| a.starts_with('=')),
            "{name} is executable by PUBLIC: {acl:?}"
        );
    }
    // Every function of ours but those granted is closed to the station role.
    let open: Vec<String> = db
        .client()
        .await
        .query(
            r#"SELECT p.proname::text FROM pg_proc p
                WHERE p.pronamespace = 'public'::regnamespace
                  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                                     AND d.objid = p.oid AND d.deptype = 'e')
                  AND has_function_privilege('cleanstation_app', p.oid, 'EXECUTE')
                ORDER BY 1"#,
            &[],
        )
        .await
        .expect("executable")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(
        open,
        [
            "app_audit_note",
            "app_deadline_sweep",
            "app_deadline_sweep_due",
            "app_login_failed",
            "app_login_reserve",
            "app_login_success",
            "app_qc_hold_items",
            "app_session_close",
            "app_session_open",
            "app_session_touch",
            "app_setting_set",
            "app_user_create",
            "app_user_set_active",
            "app_user_set_badge",
            "app_user_set_password",
            "app_user_set_role",
            "audit_seal",
            // Read-only: whether recorded work uses a template version (the template guards call it).
            "qc_template_in_use",
        ]
    );
}

#[tokio::test]
async fn a_station_without_the_schema_says_which_command_to_run_and_creates_nothing() {
    let db = TestDb::empty().await;
    // The station role reaches an empty database (as a new central server would be before migrate).
    let url = db
        .url
        .replace("user=cleanstation ", &format!("user={STATION_ROLE} "));
    assert_ne!(url, db.url);
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_cleanstation"))
        .arg("--config")
        .arg(db.cli_dir().join("config.toml"))
        .args(["order", "list", "--as", "anyone"])
        .env("CLEANSTATION_DATABASE_URL", &url)
        .env("CLEANSTATION_PASSWORD", "whatever-password")
        .env_remove("CLEANSTATION_OWNER_DATABASE_URL")
        .env_remove("DATABASE_URL")
        .output()
        .await
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("Run `cleanstation migrate` with the owner's connection"),
        "{err}"
    );
    let created: bool = db
        .client()
        .await
        .query_one(
            "SELECT to_regclass('refinery_schema_history') IS NOT NULL",
            &[],
        )
        .await
        .expect("probe")
        .get(0);
    assert!(!created, "the station ran no DDL");
}
