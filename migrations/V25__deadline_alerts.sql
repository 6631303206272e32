-- Deadline alerts and notification priority (docs/alerts.md). Not in the customer's schema
-- (docs/schema.md §9).

------------------------------------------------------------------------------------------------------
-- Notification priority
------------------------------------------------------------------------------------------------------

-- In rising order, so that sorting by the type puts URGENT last ascending and first descending.
CREATE TYPE "NotificationPriority" AS ENUM ('INFO', 'WARNING', 'URGENT');

-- Every notification written before keeps INFO (docs/alerts.md §1.1).
ALTER TABLE "SystemNotification"
    ADD COLUMN "priority" "NotificationPriority" NOT NULL DEFAULT 'INFO';

-- The two deadline alerts (docs/alerts.md §2). A value added to an enum cannot be used before its
-- transaction commits, so nothing below names them in a constraint or an SQL-language function body:
-- the sweep is PL/pgSQL, whose statements are planned when they first run.
ALTER TYPE "NotificationType" ADD VALUE IF NOT EXISTS 'DEADLINE_APPROACHING';
ALTER TYPE "NotificationType" ADD VALUE IF NOT EXISTS 'OVERDUE';

------------------------------------------------------------------------------------------------------
-- The due-soon window
------------------------------------------------------------------------------------------------------

-- Like the settings of V10, the row enters the audit trail as a BASELINE image (audit_baseline at the
-- end), not as an INSERT no user made.
ALTER TABLE "SystemSetting" DISABLE TRIGGER audit_insert;
INSERT INTO "SystemSetting" ("settingKey", "settingValue", "description", "dataType", "isEditable") VALUES
    ('alerts.dueSoonDays', '3',
     'Days before its want date a build raises a deadline-approaching alert (0 = on the day only; at most 365)',
     'INTEGER', true)
ON CONFLICT ("settingKey") DO NOTHING;
ALTER TABLE "SystemSetting" ENABLE TRIGGER audit_insert;

------------------------------------------------------------------------------------------------------
-- Alerts raised: one row per build and threshold, so the database decides "once" (docs/alerts.md §2.3)
------------------------------------------------------------------------------------------------------

CREATE TABLE "DeadlineAlert" (
    id           UUID NOT NULL DEFAULT gen_random_uuid(),
    "orderId"    UUID NOT NULL,
    -- The "NotificationType" label of the alert: DEADLINE_APPROACHING or OVERDUE.
    "threshold"  VARCHAR(30) NOT NULL,
    -- The want date the alert was raised for, kept for the record.
    "wantDate"   DATE NOT NULL,
    "raisedAt"   TIMESTAMP NOT NULL DEFAULT LOCALTIMESTAMP,
    -- How many users the alert's notification went to.
    "recipients" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT pk_deadline_alert PRIMARY KEY ("orderId", "threshold"),
    CONSTRAINT uk_deadline_alert_id UNIQUE (id),
    CONSTRAINT fk_deadline_alert_order FOREIGN KEY ("orderId") REFERENCES "ProductionOrder" (id) ON DELETE CASCADE,
    CONSTRAINT chk_deadline_alert_threshold CHECK ("threshold" IN ('DEADLINE_APPROACHING', 'OVERDUE'))
);

CREATE TRIGGER audit_insert AFTER INSERT ON "DeadlineAlert" REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit_statement();
CREATE TRIGGER audit_update AFTER UPDATE ON "DeadlineAlert"
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit_statement();
CREATE TRIGGER audit_delete AFTER DELETE ON "DeadlineAlert" REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit_statement();

------------------------------------------------------------------------------------------------------
-- The sweep gate: one row, at most one sweep a minute plant-wide (docs/alerts.md §3)
------------------------------------------------------------------------------------------------------

CREATE TABLE "AlertSweep" (
    id        UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    -- The one row: a second cannot be inserted.
    "gate"    BOOLEAN NOT NULL DEFAULT true,
    -- When the last sweep began (an instant: the gate must not stall when the clocks go back).
    "ranAt"   TIMESTAMPTZ NOT NULL DEFAULT '-infinity',

    CONSTRAINT uk_alert_sweep_gate UNIQUE ("gate"),
    CONSTRAINT chk_alert_sweep_gate CHECK ("gate")
);

-- The one row, written before the audit triggers: it enters the audit trail as a BASELINE image.
INSERT INTO "AlertSweep" ("gate") VALUES (true);

CREATE TRIGGER audit_insert AFTER INSERT ON "AlertSweep" REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit_statement();
CREATE TRIGGER audit_update AFTER UPDATE ON "AlertSweep"
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit_statement();
CREATE TRIGGER audit_delete AFTER DELETE ON "AlertSweep" REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit_statement();

-- Whether a sweep that last began at p_ran_at may run again: a minute later. The gate and the stations'
-- look before they open a transaction (docs/alerts.md §3.1) ask the same question here.
CREATE OR REPLACE FUNCTION app_deadline_sweep_due(p_ran_at timestamptz)
RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT p_ran_at <= now() - interval '1 minute'
$$;

------------------------------------------------------------------------------------------------------
-- The sweep
------------------------------------------------------------------------------------------------------

-- Raises every deadline alert due now, in one statement (docs/alerts.md §2): the builds past their want
-- date (OVERDUE, URGENT) or within 'alerts.dueSoonDays' of it (DEADLINE_APPROACHING, WARNING), neither
-- READY_FOR_SHIP nor SHIPPED, whose alert for that threshold was never raised. The insert into
-- "DeadlineAlert" decides which are new (ON CONFLICT DO NOTHING, so two sweeps racing raise each once);
-- only those reach the notification insert, one row for the build's active assignee and each active
-- PRODUCTION_COORDINATOR (a coordinator who is the assignee gets one). Returns the alerts raised and the
-- notifications sent. Not granted to stations: they reach it through app_deadline_sweep.
CREATE OR REPLACE FUNCTION deadline_alerts_raise(OUT alerts integer, OUT notices integer)
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
    v_days integer := LEAST(setting_integer('alerts.dueSoonDays', 3), 365);
BEGIN
    WITH due AS (
        SELECT po.id AS order_id, po."poNumber" || '-' || po."buildNumber" AS build,
               po."customerName" AS customer, po."wantDate" AS want_date,
               po."currentAssigneeId" AS assignee_id,
               COALESCE(po."orderStatus"::text, 'no status') AS status,
               CASE WHEN po."wantDate" < CURRENT_DATE THEN 'OVERDUE' ELSE 'DEADLINE_APPROACHING' END
                   AS threshold
          FROM "ProductionOrder" po
         WHERE po."wantDate" <= CURRENT_DATE + v_days
           AND po."orderStatus" IS DISTINCT FROM 'READY_FOR_SHIP'
           AND po."orderStatus" IS DISTINCT FROM 'SHIPPED'
    ), fresh AS (
        -- Most due builds were raised by an earlier sweep: left out before the insert, not by it.
        SELECT d.* FROM due d
         WHERE NOT EXISTS (SELECT 1 FROM "DeadlineAlert" a
                            WHERE a."orderId" = d.order_id AND a."threshold" = d.threshold)
    ), recipients AS (
        SELECT f.order_id, f.threshold, u.id AS user_id
          FROM fresh f
          JOIN "User" u ON COALESCE(u."isActive", false)
                       AND (u.id = f.assignee_id OR u."role" = 'PRODUCTION_COORDINATOR')
    ), counted AS (
        SELECT r.order_id, count(*) AS n FROM recipients r GROUP BY r.order_id
    ), raised AS (
        INSERT INTO "DeadlineAlert" ("orderId", "threshold", "wantDate", "recipients")
        SELECT f.order_id, f.threshold, f.want_date, COALESCE(c.n, 0)
          FROM fresh f LEFT JOIN counted c ON c.order_id = f.order_id
        ON CONFLICT ("orderId", "threshold") DO NOTHING
        RETURNING "orderId", "threshold"
    ), sent AS (
        INSERT INTO "SystemNotification" ("userId", "title", "message", "type", "priority",
                                          "relatedEntityType", "relatedEntityId")
        SELECT r.user_id,
               CASE WHEN f.threshold = 'OVERDUE' THEN 'Build ' || f.build || ' is overdue'
                    WHEN f.want_date = CURRENT_DATE THEN 'Build ' || f.build || ' is due today'
                    WHEN f.want_date = CURRENT_DATE + 1 THEN 'Build ' || f.build || ' is due tomorrow'
                    ELSE 'Build ' || f.build || ' is due in ' || (f.want_date - CURRENT_DATE) || ' days'
               END,
               'Due ' || to_char(f.want_date, 'YYYY-MM-DD') || ', at ' || f.status || ', for '
                   || f.customer || '.',
               f.threshold::"NotificationType",
               CASE WHEN f.threshold = 'OVERDUE' THEN 'URGENT' ELSE 'WARNING' END::"NotificationPriority",
               'ProductionOrder', f.order_id::text
          FROM raised a
          JOIN fresh f ON f.order_id = a."orderId" AND f.threshold = a."threshold"
          JOIN recipients r ON r.order_id = f.order_id AND r.threshold = f.threshold
        RETURNING 1
    )
    SELECT (SELECT count(*) FROM raised), (SELECT count(*) FROM sent) INTO alerts, notices;
END;
$$;

-- The stations' sweep, behind the gate (docs/alerts.md §3): at most one sweep a minute plant-wide.
-- A sweep under way holds the gate row; another caller skips it (SKIP LOCKED) instead of waiting, and a
-- caller arriving after it committed finds "ranAt" fresh. swept is false when the gate was shut.
CREATE OR REPLACE FUNCTION app_deadline_sweep(OUT swept boolean, OUT alerts integer, OUT notices integer)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
    UPDATE "AlertSweep" g SET "ranAt" = now()
     WHERE g.id IN (SELECT s.id FROM "AlertSweep" s
                     WHERE app_deadline_sweep_due(s."ranAt")
                     FOR UPDATE SKIP LOCKED);
    swept := FOUND;
    alerts := 0;
    notices := 0;
    IF swept THEN
        SELECT r.alerts, r.notices INTO alerts, notices FROM deadline_alerts_raise() r;
    END IF;
END;
$$;

-- "SystemNotification" rows have a new column, and the setting and the gate rows are new: record their
-- images so `audit verify` compares with them.
SELECT audit_baseline('migration V25: notification priority');
