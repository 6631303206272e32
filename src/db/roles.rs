//! The two database roles (docs/security.md): the owner, who runs migrations, seeding and imports and
//! owns every object; and `cleanstation_app`, the least-privilege role every station connects as.
//!
//! The station role's grants are applied after every migration run, from the table below, so they
//! always match the current schema: it reads everything, writes only the tables the floor writes, and
//! reaches users, sessions, login counters and explicit audit records only through the schema's
//! checked functions. It owns nothing, may create nothing (no DDL, no temporary tables) and cannot touch
//! the audit trail.

use crate::db::Client;
use crate::db::row::RowExt;
use crate::error::Result;

/// The role every station (the terminal application and every `--as` command) connects as.
pub const STATION_ROLE: &str = "cleanstation_app";

/// What the station role may write, table by table; every table is also readable.
const TABLE_WRITES: &[(&str, &str)] = &[
    ("ProductionOrder", "INSERT, UPDATE"),
    ("BasinConfiguration", "INSERT, UPDATE, DELETE"),
    ("FaucetConfiguration", "INSERT, UPDATE, DELETE"),
    ("SprayerConfiguration", "INSERT, UPDATE, DELETE"),
    ("OrderAccessory", "INSERT, UPDATE, DELETE"),
    ("OrderStatusHistory", "INSERT"),
    ("OrderDraft", "INSERT, UPDATE, DELETE"),
    ("Document", "INSERT"),
    ("OrderDocument", "INSERT"),
    ("DocumentContent", "INSERT"),
    ("BillOfMaterials", "INSERT, UPDATE"),
    ("BOMItem", "INSERT"),
    ("QCResult", "INSERT, UPDATE, DELETE"),
    ("QCItemResult", "INSERT, UPDATE, DELETE"),
    ("TaskList", "INSERT"),
    ("Task", "INSERT, UPDATE"),
    ("TaskTool", "INSERT"),
    ("TaskPart", "INSERT"),
    ("TestingForm", "INSERT, UPDATE"),
    ("TestResult", "INSERT, UPDATE, DELETE"),
    ("PackagingChecklist", "INSERT, UPDATE, DELETE"),
    ("PackagingItem", "INSERT, UPDATE"),
    ("ServiceOrder", "INSERT, UPDATE, DELETE"),
    ("ServiceOrderItem", "INSERT, UPDATE, DELETE"),
    ("SystemNotification", "INSERT, UPDATE"),
    ("WorkInstruction", "INSERT, UPDATE"),
    ("WorkInstructionStep", "INSERT, DELETE"),
    ("WorkInstructionRevision", "INSERT"),
    ("Tool", "INSERT, UPDATE"),
    ("ElectronicSignature", "INSERT"),
    ("Nonconformance", "INSERT, UPDATE"),
    ("BuildComment", "INSERT, UPDATE"),
    ("BuildCommentMention", "INSERT"),
    ("BuildHold", "INSERT, UPDATE"),
    ("QCRejectionReason", "INSERT, UPDATE"),
    ("QCResultRejection", "INSERT, DELETE"),
    ("OrderCorrection", "INSERT"),
    ("QCFormTemplate", "INSERT, UPDATE"),
    ("QCChecklistItem", "INSERT"),
];

/// The checked paths (SECURITY DEFINER functions) the station role may call.
const STATION_FUNCTIONS: &[&str] = &[
    "audit_seal(boolean, integer)",
    "app_user_create(text, text, text, text, \"UserRole\", boolean)",
    "app_user_set_password(uuid, text, boolean)",
    "app_user_set_active(uuid, boolean)",
    "app_user_set_role(uuid, \"UserRole\")",
    "app_user_set_badge(uuid, text, text)",
    "app_session_open(uuid, text, integer)",
    "app_session_touch(text)",
    "app_session_close(text)",
    "app_login_reserve(text, integer, integer)",
    "app_login_failed(text, integer, integer)",
    "app_login_success(text)",
    "app_audit_note(text, text, text, jsonb, jsonb)",
    "app_qc_hold_items(text)",
    "app_deadline_sweep()",
    "app_deadline_sweep_due(timestamptz)",
    "app_setting_set(text, text, text)",
    "qc_template_in_use(uuid)",
];

/// What applying the roles did, for `migrate`'s report.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RolesReport {
    /// The station role was created by this run.
    pub created: bool,
    /// The station role does not exist and this connection may not create it: the grants wait for it.
    pub missing: bool,
    /// Attributes removed from an existing station role (e.g. `SUPERUSER`).
    pub stripped: Vec<String>,
}

impl RolesReport {
    /// One line for the operator, or `None` when there is nothing to say.
    pub fn describe(&self) -> Option<String> {
        if self.missing {
            return Some(format!(
                "The station role {STATION_ROLE} does not exist and this connection may not create it. \
                 Have the database administrator run: CREATE ROLE {STATION_ROLE} LOGIN PASSWORD '...'; \
                 then run `cleanstation migrate` again to grant it what stations need."
            ));
        }
        let mut parts = Vec::new();
        if self.created {
            parts.push(format!("Created the station role {STATION_ROLE}."));
        }
        if !self.stripped.is_empty() {
            parts.push(format!(
                "Removed {} from the station role {STATION_ROLE}.",
                self.stripped.join(", ")
            ));
        }
        (!parts.is_empty()).then(|| parts.join(" "))
    }
}

/// Creates the station role when it is missing and this connection may, removes attributes a station
/// must not have, and applies its grants. Run by the owner after the migrations; safe to repeat.
pub async fn apply(client: &impl Client) -> Result<RolesReport> {
    let mut report = RolesReport::default();
    if !role_exists(client).await? {
        let may_create: bool = client
            .fetch_one(
                r#"SELECT rolsuper OR rolcreaterole AS "mayCreateRoles" FROM pg_roles WHERE rolname = current_user"#,
                &[],
            )
            .await?
            .col("mayCreateRoles")?;
        if !may_create {
            report.missing = true;
            tracing::warn!(
                role = STATION_ROLE,
                "station role missing; grants not applied"
            );
            return Ok(report);
        }
        // Another database of the same cluster may create it at the same moment.
        client
            .batch_execute(&format!(
                "DO $$ BEGIN CREATE ROLE {STATION_ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE \
                 NOINHERIT NOREPLICATION NOBYPASSRLS; EXCEPTION WHEN duplicate_object THEN NULL; END $$"
            ))
            .await?;
        report.created = true;
    }
    report.stripped = strip_attributes(client).await?;
    client.batch_execute(&grants_sql()).await?;
    apply_database_level(client).await?;
    Ok(report)
}

/// The database-level part of the grants (connect, no temporary tables). `CREATE DATABASE ... TEMPLATE`
/// copies objects and their grants but not the database's own privileges, so a copy needs this again.
pub async fn apply_database_level(client: &impl Client) -> Result<()> {
    client
        .batch_execute(&format!(
            "DO $$ BEGIN \
               EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database()); \
               EXECUTE format('GRANT CONNECT ON DATABASE %I TO {STATION_ROLE}', current_database()); \
             END $$"
        ))
        .await?;
    Ok(())
}

async fn role_exists(client: &impl Client) -> Result<bool> {
    client
        .fetch_one(
            r#"SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AS "exists""#,
            &[&STATION_ROLE],
        )
        .await?
        .col("exists")
}

/// A role attribute a station must not have.
struct Attribute {
    /// Its `pg_roles` column.
    column: &'static str,
    /// Its `ALTER ROLE` keyword.
    keyword: &'static str,
    /// In words, for the operator.
    words: &'static str,
}

#[rustfmt::skip]
const EXCESS: &[Attribute] = &[
    Attribute { column: "rolsuper", keyword: "SUPERUSER", words: "superuser" },
    Attribute { column: "rolcreaterole", keyword: "CREATEROLE", words: "may create roles" },
    Attribute { column: "rolcreatedb", keyword: "CREATEDB", words: "may create databases" },
    Attribute { column: "rolbypassrls", keyword: "BYPASSRLS", words: "bypasses row security" },
    Attribute { column: "rolreplication", keyword: "REPLICATION", words: "may replicate" },
];

/// The attributes of [`EXCESS`] that `role` has.
async fn excess_of(client: &impl Client, role: &str) -> Result<Vec<&'static Attribute>> {
    let columns: Vec<&str> = EXCESS.iter().map(|a| a.column).collect();
    let row = client
        .fetch_one(
            format!(
                "SELECT {} FROM pg_roles WHERE rolname = $1",
                columns.join(", ")
            )
            .as_str(),
            &[&role],
        )
        .await?;
    let mut found = Vec::new();
    for entry in EXCESS {
        if row.col::<bool>(entry.column)? {
            found.push(entry);
        }
    }
    Ok(found)
}

/// Removes superuser, role and database creation, replication and RLS bypass from the station role,
/// where this connection may; a station role that keeps any of them is reported by [`check_station`].
async fn strip_attributes(client: &impl Client) -> Result<Vec<String>> {
    let found = excess_of(client, STATION_ROLE).await?;
    let i_am_super: bool = client
        .fetch_one(
            "SELECT rolsuper FROM pg_roles WHERE rolname = current_user",
            &[],
        )
        .await?
        .col("rolsuper")?;
    if found.is_empty() || !i_am_super {
        return Ok(Vec::new());
    }
    let negated: Vec<String> = found.iter().map(|a| format!("NO{}", a.keyword)).collect();
    client
        .batch_execute(&format!("ALTER ROLE {STATION_ROLE} {}", negated.join(" ")))
        .await?;
    Ok(found.iter().map(|a| a.keyword.to_string()).collect())
}

/// Every grant and revoke, as one script: revoke everything the station role holds, then grant
/// exactly what the table above says. Names are constants of this module, never input.
fn grants_sql() -> String {
    let mut sql = String::new();
    let r = STATION_ROLE;
    sql.push_str(&format!(
        "REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {r};\n\
         REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {r};\n\
         REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM {r};\n\
         REVOKE CREATE ON SCHEMA public FROM PUBLIC;\n\
         REVOKE ALL ON SCHEMA public FROM {r};\n\
         GRANT USAGE ON SCHEMA public TO {r};\n\
         GRANT SELECT ON ALL TABLES IN SCHEMA public TO {r};\n"
    ));
    for (table, verbs) in TABLE_WRITES {
        sql.push_str(&format!("GRANT {verbs} ON \"{table}\" TO {r};\n"));
    }
    // Functions are executable by everyone by default: ours (not an extension's) by nobody but the
    // owner, except the checked paths granted below. Trigger functions need no grant to fire.
    sql.push_str(
        "DO $$ DECLARE f regprocedure; BEGIN \
           FOR f IN SELECT p.oid::regprocedure FROM pg_proc p \
                     WHERE p.pronamespace = 'public'::regnamespace \
                       AND NOT EXISTS (SELECT 1 FROM pg_depend d \
                                        WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid \
                                          AND d.deptype = 'e') \
           LOOP EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f); END LOOP; \
         END $$;\n",
    );
    for f in STATION_FUNCTIONS {
        sql.push_str(&format!("GRANT EXECUTE ON FUNCTION {f} TO {r};\n"));
    }
    sql
}

/// How the connection a station uses looks to the database: its role, and what it should not have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StationCheck {
    pub role: String,
    /// Why this connection holds more than a station needs (superuser, owner of the database, …).
    pub excess: Vec<String>,
    /// The connection may apply migrations itself (a single-role installation).
    pub may_migrate: bool,
}

impl StationCheck {
    /// A warning for the log and the login screen, or `None` for a least-privilege connection.
    pub fn warning(&self) -> Option<String> {
        (!self.excess.is_empty()).then(|| {
            format!(
                "This station connects as {} ({}), not as the least-privilege role {STATION_ROLE}; see README, Database roles",
                self.role,
                self.excess.join(", ")
            )
        })
    }
}

/// Examines the connection's own role. Works on an empty database too.
pub async fn check_station(client: &impl Client) -> Result<StationCheck> {
    let row = client
        .fetch_one(
            r#"SELECT current_user::text AS "role", pg_has_role(current_user, d.datdba, 'MEMBER') AS "ownsDatabase"
                 FROM pg_database d WHERE d.datname = current_database()"#,
            &[],
        )
        .await?;
    let role: String = row.col("role")?;
    let owns_database: bool = row.col("ownsDatabase")?;
    let found = excess_of(client, &role).await?;
    let superuser = found.iter().any(|a| a.column == "rolsuper");
    let mut excess: Vec<String> = found.iter().map(|a| a.words.to_string()).collect();
    if owns_database && !superuser {
        excess.push("owns the database".to_string());
    }
    Ok(StationCheck {
        role,
        excess,
        may_migrate: superuser || owns_database,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grants_name_only_known_tables_and_functions() {
        let sql = grants_sql();
        assert!(sql.contains("GRANT INSERT ON \"BOMItem\" TO cleanstation_app;"));
        assert!(sql.contains("GRANT EXECUTE ON FUNCTION audit_seal(boolean, integer)"));
        // The audit trail and the user tables are never granted a write.
        for table in [
            "AuditLog",
            "AuditChain",
            "User",
            "UserSession",
            "LoginThrottle",
        ] {
            assert!(
                !TABLE_WRITES.iter().any(|(t, _)| *t == table),
                "{table} must not be writable by stations"
            );
        }
    }
}
