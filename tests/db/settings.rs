//! System settings (docs/settings.md): the registry's ranges checked by the service and by the
//! database alike, administrators only, stale writes refused, every change audited in the changer's
//! name, audit retention 7 years by default, and a second station hearing of a change.

use crate::auth::{add, ctx, send, session_token};
use crate::support::TestDb;
use cleanstation::db::{self, Actor};
use cleanstation::domain::Role;
use cleanstation::domain::live::Entity;
use cleanstation::domain::settings::{
    ALERTS_DUE_SOON_DAYS, AUDIT_RETENTION_DAYS, SETTINGS, SettingView,
};
use cleanstation::error::ServiceError;
use cleanstation::live::Live;
use cleanstation::msg::{Reply, Request};
use cleanstation::service::ServiceCtx;
use std::time::Duration;
use uuid::Uuid;

/// A plant with two administrators and a QC inspector, each with a session.
struct Plant {
    db: TestDb,
    ctx: ServiceCtx,
    admin: (Uuid, String),
    admin2: String,
    qc: String,
}

impl Plant {
    async fn new() -> Plant {
        let db = TestDb::new().await;
        let admin = add(&db, "admin1", Role::Admin).await.id;
        let admin2 = add(&db, "admin2", Role::Admin).await.id;
        let qc = add(&db, "qc1", Role::QcPerson).await.id;
        let ctx = ctx(&db);
        Plant {
            admin: (admin, session_token(&db, admin).await),
            admin2: session_token(&db, admin2).await,
            qc: session_token(&db, qc).await,
            db,
            ctx,
        }
    }

    async fn list(&self, token: &str) -> Result<Vec<SettingView>, ServiceError> {
        match send(
            &self.ctx,
            Request::Settings {
                token: token.into(),
            },
        )
        .await?
        {
            Reply::Settings(list) => Ok(list),
            other => panic!("settings: {other:?}"),
        }
    }

    async fn set(
        &self,
        token: &str,
        key: &str,
        value: &str,
        expected: Option<&str>,
    ) -> Result<Vec<SettingView>, ServiceError> {
        match send(
            &self.ctx,
            Request::SetSetting {
                token: token.into(),
                key: key.into(),
                value: value.into(),
                expected: expected.map(str::to_string),
            },
        )
        .await?
        {
            Reply::Settings(list) => Ok(list),
            other => panic!("set setting: {other:?}"),
        }
    }

    /// The stored text of `key`, read as the owner.
    async fn stored(&self, key: &str) -> String {
        self.db
            .client()
            .await
            .query_one(
                r#"SELECT "settingValue" FROM "SystemSetting" WHERE "settingKey" = $1"#,
                &[&key],
            )
            .await
            .expect("setting row")
            .get(0)
    }
}

fn of<'a>(list: &'a [SettingView], key: &str) -> &'a SettingView {
    list.iter()
        .find(|v| v.def.key == key)
        .expect("setting listed")
}

/// The server's message for a failed statement.
fn db_message(e: &tokio_postgres::Error) -> String {
    e.as_db_error()
        .map(|d| d.message().to_string())
        .unwrap_or_else(|| e.to_string())
}

#[tokio::test]
async fn audit_retention_is_seven_years_on_a_fresh_database() {
    let p = Plant::new().await;
    assert_eq!(p.stored(AUDIT_RETENTION_DAYS).await, "2555");
    // The fallback for a missing row is 7 years too, in the guard and in the cleanup.
    let sources: Vec<String> = p
        .db
        .client()
        .await
        .query(
            "SELECT prosrc FROM pg_proc WHERE proname IN ('auditlog_guard', 'cleanup_old_audit_logs')",
            &[],
        )
        .await
        .expect("sources")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(sources.len(), 2);
    for src in &sources {
        assert!(
            src.contains("setting_integer('audit.retentionDays', 2555)"),
            "{src}"
        );
        assert!(!src.contains("'audit.retentionDays', 365"), "{src}");
    }
    // Every setting of the registry is stored at its default, editable.
    let list = p.list(&p.admin.1).await.expect("list");
    assert_eq!(list.len(), SETTINGS.len());
    for v in &list {
        assert_eq!(v.stored, Some(v.def.default.to_string()), "{}", v.def.key);
        assert!(v.editable && v.is_default(), "{}", v.def.key);
    }
}

#[tokio::test]
async fn administrators_alone_list_and_change_settings() {
    let p = Plant::new().await;
    for refused in [
        p.list(&p.qc).await.map(|_| ()),
        p.set(&p.qc, AUDIT_RETENTION_DAYS, "3650", None)
            .await
            .map(|_| ()),
    ] {
        assert!(
            matches!(&refused, Err(ServiceError::Forbidden(m)) if m.starts_with("Your role (QC_PERSON) cannot")),
            "{refused:?}"
        );
    }
    assert_eq!(p.stored(AUDIT_RETENTION_DAYS).await, "2555");

    let after = p
        .set(&p.admin.1, AUDIT_RETENTION_DAYS, "3,650", Some("2555"))
        .await
        .expect("set");
    let audit = of(&after, AUDIT_RETENTION_DAYS);
    assert_eq!(
        audit.stored.as_deref(),
        Some("3650"),
        "stored without commas"
    );
    assert_eq!(audit.updated_by.as_deref(), Some("Test admin1"));
    assert!(audit.updated_at.is_some());
    assert_eq!(p.stored(AUDIT_RETENTION_DAYS).await, "3650");
}

#[tokio::test]
async fn the_service_refuses_values_out_of_range_with_the_registrys_message() {
    let p = Plant::new().await;
    let r = p.set(&p.admin.1, AUDIT_RETENTION_DAYS, "100", None).await;
    assert_eq!(
        r,
        Err(ServiceError::Invalid(
            "Audit retention must be at least 365 days (7 years is 2,555)".into()
        ))
    );
    let r = p.set(&p.admin.1, ALERTS_DUE_SOON_DAYS, "soon", None).await;
    assert!(
        matches!(&r, Err(ServiceError::Invalid(m)) if m.contains("whole number")),
        "{r:?}"
    );
    let r = p.set(&p.admin.1, "plant.unknown", "1", None).await;
    assert!(matches!(r, Err(ServiceError::NotFound(_))), "{r:?}");
    assert_eq!(p.stored(AUDIT_RETENTION_DAYS).await, "2555");
    assert_eq!(p.stored(ALERTS_DUE_SOON_DAYS).await, "3");
}

#[tokio::test]
async fn a_change_made_meanwhile_at_another_station_is_not_overwritten() {
    let p = Plant::new().await;
    p.set(&p.admin.1, AUDIT_RETENTION_DAYS, "3650", Some("2555"))
        .await
        .expect("first admin");
    // The second administrator still saw 2,555.
    let r = p
        .set(&p.admin2, AUDIT_RETENTION_DAYS, "4000", Some("2555"))
        .await;
    match r {
        Err(ServiceError::Conflict(m)) => {
            assert!(
                m.starts_with("The audit retention was changed to 3,650 days by Test admin1 at "),
                "{m}"
            );
            assert!(m.ends_with("your change was not saved"), "{m}");
        }
        other => panic!("expected a conflict: {other:?}"),
    }
    assert_eq!(p.stored(AUDIT_RETENTION_DAYS).await, "3650");
    // Having seen it, they may change it.
    p.set(&p.admin2, AUDIT_RETENTION_DAYS, "4000", Some("3650"))
        .await
        .expect("after reading again");
    assert_eq!(p.stored(AUDIT_RETENTION_DAYS).await, "4000");
}

#[tokio::test]
async fn the_database_refuses_what_the_registry_refuses_whoever_writes() {
    let p = Plant::new().await;
    // A station's own credentials cannot write the table at all.
    let station = p.db.station().await;
    let e = station
        .execute(
            r#"UPDATE "SystemSetting" SET "settingValue" = '100' WHERE "settingKey" = 'audit.retentionDays'"#,
            &[],
        )
        .await
        .expect_err("station role has no write grant");
    assert!(db_message(&e).contains("permission denied"), "{e}");

    // Not even the owner stores a value out of range, or a setting that is not a whole number; the
    // database's ranges are the registry's.
    let owner = p.db.client().await;
    let write = |key: &'static str, value: String| {
        let owner = &owner;
        async move {
            owner
                .execute(
                    r#"UPDATE "SystemSetting" SET "settingValue" = $2 WHERE "settingKey" = $1"#,
                    &[&key, &value],
                )
                .await
        }
    };
    for def in SETTINGS {
        for bad in [
            (def.min - 1).to_string(),
            (def.max + 1).to_string(),
            "7 years".to_string(),
            String::new(),
        ] {
            let e = write(def.key, bad.clone())
                .await
                .expect_err("out of range refused");
            assert_eq!(
                e.code(),
                Some(&tokio_postgres::error::SqlState::CHECK_VIOLATION),
                "{} = {bad:?}: {e}",
                def.key
            );
        }
        for good in [def.min, def.max, def.default] {
            write(def.key, good.to_string())
                .await
                .expect("in range accepted");
        }
    }
    // A setting the plant does not know, of type INTEGER, holds a whole number.
    let e = owner
        .execute(
            r#"INSERT INTO "SystemSetting" ("settingKey", "settingValue", "dataType")
               VALUES ('plant.other', 'many', 'INTEGER')"#,
            &[],
        )
        .await
        .expect_err("not a whole number");
    assert!(db_message(&e).contains("whole number"), "{e}");

    // The checked function refuses a session that is not an administrator's ...
    let mut client = p.db.pool.get().await.expect("station connection");
    let tx = db::begin_as(&mut client, &Actor::session(p.qc.clone(), "station:QC-1"))
        .await
        .expect("begin");
    let r = db::settings::set(&tx, AUDIT_RETENTION_DAYS, "3650", None).await;
    assert_eq!(
        r,
        Err(ServiceError::Forbidden(
            "Changing a system setting needs the session of an administrator".into()
        ))
    );
    drop(tx);
    // ... and an administrator's value out of range.
    let tx = db::begin_as(
        &mut client,
        &Actor::session(p.admin.1.clone(), "station:ADM-1"),
    )
    .await
    .expect("begin");
    let r = db::settings::set(&tx, AUDIT_RETENTION_DAYS, "100", None).await;
    assert!(matches!(r, Err(ServiceError::Query(_))), "{r:?}");
    drop(tx);
    assert_eq!(p.stored(AUDIT_RETENTION_DAYS).await, "2555");
}

#[tokio::test]
async fn a_change_is_audited_with_the_administrator_and_both_values() {
    let p = Plant::new().await;
    p.set(&p.admin.1, AUDIT_RETENTION_DAYS, "3650", Some("2555"))
        .await
        .expect("set");
    let row =
        p.db.client()
            .await
            .query_one(
                r#"SELECT a."userId", a."userAgent", a."oldValues"->>'settingValue',
                      a."newValues"->>'settingValue', a."newValues"->>'updatedBy'
                 FROM "AuditLog" a
                 JOIN "SystemSetting" s ON s.id::text = a."entityId"
                WHERE a."entityType" = 'SystemSetting' AND a."action" = 'UPDATE'
                  AND s."settingKey" = 'audit.retentionDays'"#,
                &[],
            )
            .await
            .expect("one audit row for the change");
    let admin = p.admin.0;
    assert_eq!(row.get::<_, Option<Uuid>>(0), Some(admin));
    assert_eq!(
        row.get::<_, Option<String>>(1).as_deref(),
        Some("station:test")
    );
    assert_eq!(row.get::<_, Option<String>>(2).as_deref(), Some("2555"));
    assert_eq!(row.get::<_, Option<String>>(3).as_deref(), Some("3650"));
    assert_eq!(
        row.get::<_, Option<String>>(4),
        Some(admin.to_string()),
        "updatedBy names the administrator"
    );
}

#[tokio::test]
async fn a_second_station_hears_the_change_and_reads_the_new_value() {
    let p = Plant::new().await;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let handle = cleanstation::live::spawn(&p.db.url, "cleanstation-test", tx).expect("spawn");
    let up = tokio::time::timeout(Duration::from_secs(10), rx.recv()).await;
    assert!(matches!(up, Ok(Some(Live::Up { resync: false }))), "{up:?}");

    p.set(&p.admin.1, ALERTS_DUE_SOON_DAYS, "7", Some("3"))
        .await
        .expect("set");
    let mut heard = None;
    while let Ok(Some(m)) = tokio::time::timeout(Duration::from_secs(5), rx.recv()).await {
        if let Live::Event(ev) = m
            && ev.touches(Entity::Setting)
            && !ev.everything
        {
            heard = Some(ev);
            break;
        }
    }
    let ev = heard.expect("the change was announced");
    assert_eq!(ev.actor, Some(p.admin.0));
    assert_eq!(ev.actor_name.as_deref(), Some("Test admin1"));
    handle.abort();

    // The second station's read, and the database's own reading of the setting, take the new value.
    let list = p.list(&p.admin2).await.expect("second station");
    assert_eq!(of(&list, ALERTS_DUE_SOON_DAYS).value(), 7);
    let days: i32 =
        p.db.client()
            .await
            .query_one("SELECT setting_integer('alerts.dueSoonDays', 3)", &[])
            .await
            .expect("setting_integer")
            .get(0);
    assert_eq!(days, 7);
}

mod embedded {
    refinery::embed_migrations!("migrations");
}

/// A database migrated up to the version before V31 holding `audit` as audit retention and an
/// out-of-range due-soon window, then migrated to the end: the audit retention and due-soon window
/// after it.
async fn upgraded_from(audit: &str) -> (String, String) {
    let db = TestDb::empty().await;
    let mut obj = db.owner.get().await.expect("owner connection");
    let client: &mut tokio_postgres::Client = &mut obj;
    embedded::migrations::runner()
        .set_grouped(true)
        .set_target(refinery::Target::Version(30))
        .run_async(client)
        .await
        .expect("migrate to V30");
    assert!(
        cleanstation::db::migrate::current_version(&obj)
            .await
            .expect("version")
            < 31
    );
    for (key, value) in [(AUDIT_RETENTION_DAYS, audit), (ALERTS_DUE_SOON_DAYS, "400")] {
        obj.execute(
            r#"UPDATE "SystemSetting" SET "settingValue" = $2 WHERE "settingKey" = $1"#,
            &[&key, &value],
        )
        .await
        .expect("an old plant's value");
    }
    drop(obj);
    cleanstation::db::migrate::run(&db.owner)
        .await
        .expect("migrate to the end");
    let client = db.client().await;
    let read = |key: &'static str| {
        let client = &client;
        async move {
            client
                .query_one(
                    r#"SELECT "settingValue" FROM "SystemSetting" WHERE "settingKey" = $1"#,
                    &[&key],
                )
                .await
                .expect("setting")
                .get::<_, String>(0)
        }
    };
    (
        read(AUDIT_RETENTION_DAYS).await,
        read(ALERTS_DUE_SOON_DAYS).await,
    )
}

#[tokio::test]
async fn an_older_plant_moves_to_seven_years_unless_it_chose_longer() {
    // The old default, a value below the minimum and one that is no number become 7 years; an
    // out-of-range due-soon window becomes its default.
    for old in ["365", "100", "a year"] {
        assert_eq!(
            upgraded_from(old).await,
            ("2555".to_string(), "3".to_string()),
            "{old}"
        );
    }
    // A plant's own longer period stays.
    assert_eq!(upgraded_from("1000").await.0, "1000");
}
