//! A plant's builds in bulk SQL, for the benches that need many: one copy, shared through `#[path]`.

/// Plausible data: POs of 1-3 builds, 40 customers, want dates over three years (older builds mostly
/// shipped), half the active builds assigned to a user of the role their status needs.
///
/// `client` is a superuser's (or the owner's) connection to a migrated database with the demo data.
pub async fn generate(
    client: &tokio_postgres::Client,
    builds: i32,
) -> Result<(), tokio_postgres::Error> {
    client
        .batch_execute(
            r#"
            INSERT INTO "User" ("username", "passwordHash", "fullName", "initials", "role")
            SELECT 'user' || n, 'not-a-hash', (ARRAY['Avery', 'Blake', 'Casey', 'Drew', 'Emery', 'Finley'])[1 + n % 6]
                   || ' ' || (ARRAY['Nguyen', 'Okafor', 'Larsen', 'Patel', 'Moreau', 'Silva'])[1 + (n / 6) % 6],
                   'XX', (ARRAY['ASSEMBLER', 'ASSEMBLER', 'QC_PERSON', 'PROCUREMENT_SPECIALIST']::"UserRole"[])[1 + n % 4]
            FROM generate_series(1, 24) n;
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
        .await
}
