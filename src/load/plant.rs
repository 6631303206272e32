//! A plant's worth of data in bulk, set-based SQL as the owner (docs/performance.md §6.2): the builds of
//! three years, and the records each build's status implies, copied from a build the floor itself took
//! to that status.

use crate::db::GenericClient;
use crate::db::row::RowExt;
use crate::domain::order::OrderStatus;
use crate::error::Result;
use uuid::Uuid;

/// Plausible builds (docs/performance.md §6.2): POs of 1-3 builds, 40 customers, want dates over three
/// years (older builds mostly shipped, the rest spread over the other eight statuses), half the active
/// builds assigned to one of 24 floor users of the role their status needs. The order queue's
/// benchmark and the load harness both load their plant with this.
pub async fn generate_builds(client: &impl GenericClient, builds: i32) -> Result<()> {
    client
        .batch_execute(
            r#"
            INSERT INTO "User" ("username", "passwordHash", "fullName", "initials", "role")
            SELECT 'user' || n, 'not-a-hash', (ARRAY['Avery', 'Blake', 'Casey', 'Drew', 'Emery', 'Finley'])[1 + n % 6]
                   || ' ' || (ARRAY['Nguyen', 'Okafor', 'Larsen', 'Patel', 'Moreau', 'Silva'])[1 + (n / 6) % 6],
                   'XX', (ARRAY['ASSEMBLER', 'ASSEMBLER', 'QC_PERSON', 'PROCUREMENT_SPECIALIST']::"UserRole"[])[1 + n % 4]
            FROM generate_series(1, 24) n
            ON CONFLICT ("username") DO NOTHING;
            "#,
        )
        .await?;
    client
        .execute(
            r#"
            WITH g AS (
                SELECT i,
                       CURRENT_DATE - 900 + (i * 1095 / $1) + (i * 7919 % 21) - 10 AS want,
                       ((i::bigint * 2654435761) % 2147483647)::int AS h
                FROM generate_series(1, $1) i
            ), s AS (
                SELECT g.*,
                       CASE WHEN want < CURRENT_DATE - 20 AND h % 50 <> 0 THEN 'SHIPPED'::"OrderStatus"
                            ELSE (enum_range(NULL::"OrderStatus"))[1 + h % 8] END AS status
                FROM g
            )
            INSERT INTO "ProductionOrder" (
                "poNumber", "buildNumber", "customerName", "projectName", "salesPerson", "wantDate",
                "orderLanguage", "sinkFamily", "sinkModel", "sinkWidth", "sinkLength", "legsType",
                "legsModel", "feetType", "workflowDirection", "hasPegboard", "pegboardColor", "pegboardType",
                "pegboardSizeType", "orderStatus", "currentAssigneeId", "createdAt")
            SELECT
                'PO-' || (100000 + i * 10 / 21),
                'CS-' || to_char(want, 'YYMM') || '-' || lpad(i::text, 6, '0'),
                (ARRAY['Mercy', 'St. Anne', 'Lakeside', 'North Valley', 'Riverside', 'Summit', 'Cedar Grove',
                       'Harbor View', 'Grandview', 'Oak Park'])[1 + h % 10]
                    || ' ' || (ARRAY['General Hospital', 'Medical Center', 'Surgical Institute',
                                     'Health System'])[1 + (h / 10) % 4],
                CASE WHEN h % 3 = 0 THEN 'Sterile processing ' || (2023 + h % 4) END,
                (ARRAY['Jordan Lee', 'Sam Ortiz', 'Robin Clark', 'Kim Novak'])[1 + (h / 40) % 4],
                want,
                (ARRAY['EN', 'EN', 'EN', 'FR', 'SP']::"DocumentLanguage"[])[1 + (h / 7) % 5],
                'MDRD',
                (ARRAY['T2-B1', 'T2-B2', 'T2-B3'])[1 + (h / 3) % 3],
                24 + (h % 8) * 6, 48 + (h / 8 % 12) * 6,
                'HEIGHT_ADJUSTABLE', (ARRAY['DL27', 'DL14', 'LC1'])[1 + (h / 5) % 3],
                (ARRAY['LOCK_LEVELING_CASTERS', 'SS_ADJUSTABLE_SEISMIC_FEET']::"FeetType"[])[1 + (h / 11) % 2],
                'LEFT_TO_RIGHT',
                h % 4 = 0,
                CASE WHEN h % 4 = 0 THEN 'GREY'::"PegboardColor" END,
                CASE WHEN h % 4 = 0 THEN 'PERFORATED'::"PegboardType" END,
                CASE WHEN h % 4 = 0 THEN 'SAME_AS_SINK'::"PegboardSizeType" END,
                status,
                CASE WHEN status <> 'SHIPPED' AND status <> 'READY_FOR_SHIP' AND h % 2 = 0 THEN
                    (SELECT u.id FROM "User" u
                      WHERE u."role" = CASE
                          WHEN status IN ('ORDER_CREATED', 'PARTS_SENT') THEN 'PROCUREMENT_SPECIALIST'::"UserRole"
                          WHEN status IN ('READY_FOR_PRE_QC', 'READY_FOR_FINAL_QC') THEN 'QC_PERSON'::"UserRole"
                          ELSE 'ASSEMBLER'::"UserRole" END
                      ORDER BY u.id OFFSET (h / 13) % 3 LIMIT 1)
                END,
                (want - 60)::timestamp
            FROM s"#,
            &[&builds],
        )
        .await?;
    client
        .batch_execute(r#"ANALYZE "ProductionOrder"; ANALYZE "User";"#)
        .await?;
    Ok(())
}

/// The tables holding a build's records, parents first, each with the filter that finds the template
/// build's rows (`$1`) and the uuid columns that point at a copied record (its own id included).
const RECORDS: [(&str, &str, &[&str]); 19] = [
    (
        "BasinConfiguration",
        r#""orderId" = $1"#,
        &["id", "orderId"],
    ),
    (
        "FaucetConfiguration",
        r#""orderId" = $1"#,
        &["id", "orderId"],
    ),
    (
        "SprayerConfiguration",
        r#""orderId" = $1"#,
        &["id", "orderId"],
    ),
    ("OrderAccessory", r#""orderId" = $1"#, &["id", "orderId"]),
    (
        "OrderStatusHistory",
        r#""orderId" = $1"#,
        &["id", "orderId"],
    ),
    ("BillOfMaterials", r#""orderId" = $1"#, &["id", "orderId"]),
    (
        "BOMItem",
        r#""bomId" IN (SELECT id FROM "BillOfMaterials" WHERE "orderId" = $1)"#,
        &["id", "bomId", "parentItemId"],
    ),
    ("QCResult", r#""orderId" = $1"#, &["id", "orderId"]),
    (
        "QCItemResult",
        r#""qcResultId" IN (SELECT id FROM "QCResult" WHERE "orderId" = $1)"#,
        &["id", "qcResultId"],
    ),
    ("TaskList", r#""orderId" = $1"#, &["id", "orderId"]),
    (
        "Task",
        r#""taskListId" IN (SELECT id FROM "TaskList" WHERE "orderId" = $1)"#,
        &["id", "taskListId"],
    ),
    (
        "TaskTool",
        r#""taskId" IN (SELECT t.id FROM "Task" t JOIN "TaskList" l ON l.id = t."taskListId" WHERE l."orderId" = $1)"#,
        &["id", "taskId"],
    ),
    (
        "TaskPart",
        r#""taskId" IN (SELECT t.id FROM "Task" t JOIN "TaskList" l ON l.id = t."taskListId" WHERE l."orderId" = $1)"#,
        &["id", "taskId"],
    ),
    ("TestingForm", r#""orderId" = $1"#, &["id", "orderId"]),
    (
        "TestResult",
        r#""testingFormId" IN (SELECT id FROM "TestingForm" WHERE "orderId" = $1)"#,
        &["id", "testingFormId"],
    ),
    (
        "PackagingChecklist",
        r#""orderId" = $1"#,
        &["id", "orderId"],
    ),
    (
        "PackagingItem",
        r#""packagingChecklistId" IN (SELECT id FROM "PackagingChecklist" WHERE "orderId" = $1)"#,
        &["id", "packagingChecklistId"],
    ),
    (
        "ElectronicSignature",
        r#""orderId" = $1"#,
        &["id", "orderId", "recordId"],
    ),
    (
        "OrderDocument",
        r#""orderId" = $1"#,
        &["id", "orderId", "supersedesId"],
    ),
];

/// The configuration columns a copy takes from its template, so that its BOM, basins and forms match.
const CONFIGURATION: &str = r#""sinkFamily", "sinkModel", "sinkWidth", "sinkLength", "legsType",
    "legsModel", "feetType", "workflowDirection", "hasPegboard", "pegboardColor", "pegboardType",
    "pegboardSizeType", "pegboardWidth", "pegboardLength""#;

/// Gives every generated build in `status` (those without records of their own yet) a copy of the
/// `template` build's records: configuration, BOM, QC results, tasks, testing, packaging, signatures
/// and history, with new ids (docs/performance.md §6.2). Returns the builds filled.
///
/// A copied id is a function of the original and the build it is copied to (an md5 of both), so a
/// reference between copied records is copied by the same function and stays inside its build.
pub async fn copy_records(
    client: &impl GenericClient,
    template: Uuid,
    status: OrderStatus,
) -> Result<u64> {
    client.batch_execute("BEGIN").await?;
    match copy_in(client, template, status).await {
        Ok(n) => {
            client.batch_execute("COMMIT").await?;
            Ok(n)
        }
        Err(e) => {
            let _ = client.batch_execute("ROLLBACK").await;
            Err(e)
        }
    }
}

/// The copy inside one transaction, with the tables' triggers off until it commits: the copies have
/// no audit rows (docs/performance.md §6.2: the load database is a throwaway).
async fn copy_in(client: &impl GenericClient, template: Uuid, status: OrderStatus) -> Result<u64> {
    let tables: Vec<&str> = RECORDS
        .iter()
        .map(|(t, _, _)| *t)
        .chain(["ProductionOrder"])
        .collect();
    // A superuser turns every trigger off for the transaction, the foreign-key checks included (the
    // copies reference what their templates reference); the tables' owner turns off their own.
    let superuser: bool = client
        .query_one(
            r#"SELECT rolsuper AS "super" FROM pg_roles WHERE rolname = current_user"#,
            &[],
        )
        .await?
        .col("super")?;
    if superuser {
        client
            .batch_execute("SET LOCAL session_replication_role = replica")
            .await?;
    } else {
        switch_triggers(client, &tables, "DISABLE").await?;
    }
    // Many copies at once: the tables' own indexes (not those of keys and unique constraints) are
    // built again after the copy, which is much faster than keeping them up to date row by row.
    let many: i64 = client
        .query_one(
            r#"SELECT count(*) AS "n" FROM "ProductionOrder" WHERE "orderStatus" = $1"#,
            &[&status],
        )
        .await?
        .col("n")?;
    let rebuild = if many > BULK_COPY {
        drop_indexes(client, &tables).await?
    } else {
        Vec::new()
    };
    let targets = r#"SELECT id FROM "ProductionOrder" p
                      WHERE p."orderStatus" = $2 AND p.id <> $1 AND p."bomId" IS NULL
                        AND p."buildNumber" LIKE 'CS-%'"#;
    for (table, filter, remapped) in RECORDS {
        let columns: Vec<String> = client
            .query(
                "SELECT a.attname::text AS \"name\" FROM pg_attribute a \
                  WHERE a.attrelid = format('%I', $1::text)::regclass AND a.attnum > 0 \
                    AND NOT a.attisdropped AND a.attgenerated = '' ORDER BY a.attnum",
                &[&table],
            )
            .await?
            .iter()
            .map(|r| r.col::<String>("name"))
            .collect::<Result<_>>()?;
        let names = columns
            .iter()
            .map(|c| format!("\"{c}\""))
            .collect::<Vec<_>>()
            .join(", ");
        let values = columns
            .iter()
            .map(|c| {
                if remapped.contains(&c.as_str()) {
                    remap(&format!("x.\"{c}\""))
                } else {
                    format!("x.\"{c}\"")
                }
            })
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "INSERT INTO \"{table}\" ({names}) SELECT {values} FROM \"{table}\" x \
             CROSS JOIN ({targets}) g WHERE {filter}"
        );
        client.execute(&sql, &[&template, &status]).await?;
    }
    let sql = format!(
        "UPDATE \"ProductionOrder\" p SET ({CONFIGURATION}, \"bomId\") = \
           (SELECT {CONFIGURATION}, {bom} FROM \"ProductionOrder\" x WHERE x.id = $1) \
         WHERE p.id IN ({targets})",
        bom = remap("x.\"bomId\"").replace("g.id", "p.id"),
    );
    let filled = client.execute(&sql, &[&template, &status]).await?;
    for definition in rebuild {
        client.batch_execute(&definition).await?;
    }
    if !superuser {
        switch_triggers(client, &tables, "ENABLE").await?;
    }
    Ok(filled)
}

/// Builds at which a copy drops and rebuilds the secondary indexes.
const BULK_COPY: i64 = 1000;

/// Drops the indexes of `tables` that back no constraint; their definitions, to build them again.
async fn drop_indexes(client: &impl GenericClient, tables: &[&str]) -> Result<Vec<String>> {
    let tables: Vec<String> = tables.iter().map(|t| (*t).to_string()).collect();
    let rows = client
        .query(
            r#"SELECT i.indexrelid::regclass::text AS "name", pg_get_indexdef(i.indexrelid) AS "definition"
                 FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
                WHERE t.relname = ANY($1) AND t.relnamespace = current_schema()::regnamespace
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)"#,
            &[&tables],
        )
        .await?;
    let mut definitions = Vec::with_capacity(rows.len());
    for r in rows {
        let name: String = r.col("name")?;
        client.batch_execute(&format!("DROP INDEX {name}")).await?;
        definitions.push(r.col("definition")?);
    }
    Ok(definitions)
}

/// Disables or enables the user triggers of `tables` (`how`: DISABLE or ENABLE): the audit triggers,
/// and the rules that keep signed records unchanged, which a copy of a signed record would meet.
async fn switch_triggers(client: &impl GenericClient, tables: &[&str], how: &str) -> Result<()> {
    let sql = tables
        .iter()
        .map(|t| format!("ALTER TABLE \"{t}\" {how} TRIGGER USER;"))
        .collect::<String>();
    client.batch_execute(&sql).await?;
    Ok(())
}

/// The copy of a uuid column `x` for the build `g.id`: the build itself where it names the template,
/// else an id derived from both.
fn remap(x: &str) -> String {
    format!("CASE WHEN {x} = $1 THEN g.id ELSE md5({x}::text || g.id::text)::uuid END")
}
