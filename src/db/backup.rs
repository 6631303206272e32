//! What a backup reads from the database and what a restore checks in it (docs/backup.md): the
//! snapshot a dump is taken in, the row count of every table in one query, the server's version, the
//! objects that make a database not empty, and a link of the audit chain.

use crate::db::Client;
use crate::db::row::RowExt;
use crate::error::Result;
use std::collections::BTreeMap;

/// The schemas PostgreSQL keeps for itself; everything else is the database's own.
const OWN_SCHEMA: &str = "n.nspname NOT IN ('pg_catalog', 'information_schema') \
     AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'";

/// Not a member of an extension (its objects are the extension's, created by `CREATE EXTENSION`).
fn not_in_extension(class: &str, oid: &str) -> String {
    format!(
        "NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '{class}'::regclass \
         AND d.objid = {oid} AND d.deptype = 'e')"
    )
}

/// Exports the snapshot of the caller's transaction (REPEATABLE READ), for `pg_dump --snapshot`
/// (docs/backup.md §1.1). It stays usable while that transaction is open.
pub async fn export_snapshot(client: &impl Client) -> Result<String> {
    client
        .fetch_one(r#"SELECT pg_export_snapshot() AS "snapshot""#, &[])
        .await?
        .col("snapshot")
}

/// The server's version as it states it (`15.18 (Debian …)`) and its major version number.
pub async fn server_version(client: &impl Client) -> Result<(String, u32)> {
    let row = client
        .fetch_one(
            r#"SELECT current_setting('server_version') AS "version",
                      current_setting('server_version_num')::int / 10000 AS "major""#,
            &[],
        )
        .await?;
    let major: i32 = row.col("major")?;
    Ok((row.col("version")?, u32::try_from(major).unwrap_or(0)))
}

/// The name of the database the connection is in.
pub async fn database_name(client: &impl Client) -> Result<String> {
    client
        .fetch_one(r#"SELECT current_database()::text AS "database""#, &[])
        .await?
        .col("database")
}

/// The rows of every table of the database's own schemas, in one statement and so in one snapshot
/// (docs/backup.md §1.2). A table of `public` is named alone, any other as `schema.table`.
pub async fn row_counts(client: &impl Client) -> Result<BTreeMap<String, i64>> {
    let sql = format!(
        r#"SELECT CASE WHEN n.nspname = 'public' THEN c.relname::text
                       ELSE n.nspname || '.' || c.relname END AS "table",
                  (xpath('/row/n/text()',
                         query_to_xml(format('SELECT count(*) AS n FROM %I.%I', n.nspname, c.relname),
                                      false, true, '')))[1]::text::bigint AS "rows"
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind = 'r' AND {OWN_SCHEMA} AND {}"#,
        not_in_extension("pg_class", "c.oid")
    );
    let mut counts = BTreeMap::new();
    for row in client.fetch(sql.as_str(), &[]).await? {
        counts.insert(row.col("table")?, row.col("rows")?);
    }
    Ok(counts)
}

/// What the database holds of its own, kind by kind with the first few names (`table`: 61, …): empty
/// when nothing, so a restore may go there (docs/backup.md §2.2). Objects of extensions do not count.
pub async fn contents(client: &impl Client) -> Result<Vec<(String, i64, Vec<String>)>> {
    let sql = format!(
        r#"WITH own AS (
             SELECT CASE c.relkind WHEN 'S' THEN 'sequence' WHEN 'v' THEN 'view'
                                   WHEN 'm' THEN 'view' ELSE 'table' END AS kind,
                    c.relname::text AS name
               FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND {OWN_SCHEMA} AND {}
             UNION ALL
             SELECT 'function', p.proname::text
               FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
              WHERE {OWN_SCHEMA} AND {}
             UNION ALL
             SELECT 'type', t.typname::text
               FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
              WHERE t.typtype IN ('e', 'd', 'r', 'm')
                AND {OWN_SCHEMA} AND {}
             UNION ALL
             SELECT 'schema', n.nspname::text FROM pg_namespace n
              WHERE {OWN_SCHEMA} AND n.nspname <> 'public' AND {}
           )
           SELECT kind, count(*) AS "count", (array_agg(name ORDER BY name))[1:3] AS "names"
             FROM own GROUP BY kind
            ORDER BY array_position(ARRAY['table', 'view', 'sequence', 'function', 'type', 'schema'], kind)"#,
        not_in_extension("pg_class", "c.oid"),
        not_in_extension("pg_proc", "p.oid"),
        not_in_extension("pg_type", "t.oid"),
        not_in_extension("pg_namespace", "n.oid"),
    );
    let mut found = Vec::new();
    for row in client.fetch(sql.as_str(), &[]).await? {
        found.push((row.col("kind")?, row.col("count")?, row.col("names")?));
    }
    Ok(found)
}

/// The link at `position` of the audit chain, if the chain has that position.
pub async fn chain_link_at(client: &impl Client, position: i64) -> Result<Option<String>> {
    let row = client
        .fetch_opt(
            r#"SELECT "link"::text AS "link" FROM "AuditChain" WHERE "position" = $1"#,
            &[&position],
        )
        .await?;
    row.map(|r| r.col("link")).transpose()
}
