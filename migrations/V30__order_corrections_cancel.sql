-- Corrections of a build's want date, project, sales person and notes, and cancelling a build that has
-- not entered production (docs/lifecycle.md §11, §12).
--
-- Not in the customer's schema: the status CANCELLED (added last, so every earlier value keeps its
-- place) and the table "OrderCorrection", one row per corrected field with its old and new value and the
-- reason. The table follows the customer's naming; times are the plant's, like the status history's.
--
-- A value added to an enum in a transaction may be used only after it commits: this migration compares
-- statuses as text wherever the new value is named.

ALTER TYPE "OrderStatus" ADD VALUE IF NOT EXISTS 'CANCELLED';

CREATE TABLE "OrderCorrection" (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    "orderId"       UUID NOT NULL,
    "field"         VARCHAR(20) NOT NULL,
    "oldValue"      TEXT,
    "newValue"      TEXT,
    "reason"        TEXT NOT NULL,
    "correctedBy"   UUID NOT NULL,
    "correctedAt"   TIMESTAMP NOT NULL DEFAULT LOCALTIMESTAMP,

    CONSTRAINT fk_order_correction_production_order
        FOREIGN KEY ("orderId") REFERENCES "ProductionOrder" (id),
    CONSTRAINT fk_order_correction_user FOREIGN KEY ("correctedBy") REFERENCES "User" (id),
    CONSTRAINT chk_order_correction_field
        CHECK ("field" IN ('wantDate', 'projectName', 'salesPerson', 'notes')),
    CONSTRAINT chk_order_correction_changed CHECK ("oldValue" IS DISTINCT FROM "newValue"),
    CONSTRAINT chk_order_correction_reason
        CHECK (btrim("reason") <> '' AND char_length("reason") <= 1000)
);

CREATE INDEX idx_order_correction_order ON "OrderCorrection" ("orderId", "correctedAt");

-- A correction is a permanent record: never changed, never removed.
CREATE OR REPLACE FUNCTION order_correction_guard()
RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'A correction is a permanent record; it is never changed or removed'
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$;

CREATE TRIGGER order_correction_guard
    BEFORE UPDATE OR DELETE ON "OrderCorrection"
    FOR EACH ROW EXECUTE FUNCTION order_correction_guard();
CREATE TRIGGER order_correction_no_truncate
    BEFORE TRUNCATE ON "OrderCorrection"
    FOR EACH STATEMENT EXECUTE FUNCTION order_correction_guard();

CREATE TRIGGER audit_insert AFTER INSERT ON "OrderCorrection" REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit_statement();
CREATE TRIGGER audit_update AFTER UPDATE ON "OrderCorrection"
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit_statement();
CREATE TRIGGER audit_delete AFTER DELETE ON "OrderCorrection" REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit_statement();

------------------------------------------------------------------------------------------------------
-- Cancelled builds (docs/lifecycle.md §12)
------------------------------------------------------------------------------------------------------

-- CANCELLED is final, and only a build that has not entered production is cancelled: ORDER_CREATED,
-- PARTS_SENT, READY_FOR_PRE_QC, or READY_FOR_PRODUCTION with no task completed and no testing form.
-- The service refuses first, with the same words; this is the backstop, whoever asks.
CREATE OR REPLACE FUNCTION order_cancel_guard()
RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD."orderStatus"::text = 'CANCELLED' THEN
        RAISE EXCEPTION 'Build % is cancelled; its status does not change', OLD."buildNumber"
            USING ERRCODE = 'check_violation';
    END IF;
    IF NEW."orderStatus"::text = 'CANCELLED' THEN
        IF OLD."orderStatus"::text NOT IN
               ('ORDER_CREATED', 'PARTS_SENT', 'READY_FOR_PRE_QC', 'READY_FOR_PRODUCTION')
           OR EXISTS (SELECT 1 FROM "TaskList" l JOIN "Task" t ON t."taskListId" = l.id
                       WHERE l."orderId" = NEW.id AND t."isCompleted")
           OR EXISTS (SELECT 1 FROM "TestingForm" f WHERE f."orderId" = NEW.id) THEN
            RAISE EXCEPTION 'Build % has entered production; it cannot be cancelled', OLD."buildNumber"
                USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER order_cancel_guard
    BEFORE UPDATE OF "orderStatus" ON "ProductionOrder"
    FOR EACH ROW WHEN (NEW."orderStatus" IS DISTINCT FROM OLD."orderStatus")
    EXECUTE FUNCTION order_cancel_guard();

-- A cancelled build's floor records are not written: no task, QC result, testing form or packaging
-- checklist is added or changed. Each table reaches its build through its own key.
CREATE OR REPLACE FUNCTION cancelled_build_floor_guard()
RETURNS TRIGGER
LANGUAGE plpgsql AS $$
DECLARE
    v_order uuid;
    v_build text;
BEGIN
    IF TG_TABLE_NAME = 'Task' THEN
        SELECT l."orderId" INTO v_order FROM "TaskList" l WHERE l.id = NEW."taskListId";
    ELSIF TG_TABLE_NAME = 'TestResult' THEN
        SELECT f."orderId" INTO v_order FROM "TestingForm" f WHERE f.id = NEW."testingFormId";
    ELSIF TG_TABLE_NAME = 'PackagingItem' THEN
        SELECT c."orderId" INTO v_order FROM "PackagingChecklist" c
         WHERE c.id = NEW."packagingChecklistId";
    ELSIF TG_TABLE_NAME = 'QCItemResult' THEN
        SELECT r."orderId" INTO v_order FROM "QCResult" r WHERE r.id = NEW."qcResultId";
    ELSE
        v_order := NEW."orderId";
    END IF;
    SELECT po."buildNumber" INTO v_build FROM "ProductionOrder" po
     WHERE po.id = v_order AND po."orderStatus"::text = 'CANCELLED';
    IF FOUND THEN
        RAISE EXCEPTION 'Build % is cancelled; its floor records are not changed', v_build
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER cancelled_build_floor_guard BEFORE INSERT OR UPDATE ON "TaskList"
    FOR EACH ROW EXECUTE FUNCTION cancelled_build_floor_guard();
CREATE TRIGGER cancelled_build_floor_guard BEFORE INSERT OR UPDATE ON "Task"
    FOR EACH ROW EXECUTE FUNCTION cancelled_build_floor_guard();
CREATE TRIGGER cancelled_build_floor_guard BEFORE INSERT OR UPDATE ON "QCResult"
    FOR EACH ROW EXECUTE FUNCTION cancelled_build_floor_guard();
CREATE TRIGGER cancelled_build_floor_guard BEFORE INSERT OR UPDATE ON "QCItemResult"
    FOR EACH ROW EXECUTE FUNCTION cancelled_build_floor_guard();
CREATE TRIGGER cancelled_build_floor_guard BEFORE INSERT OR UPDATE ON "TestingForm"
    FOR EACH ROW EXECUTE FUNCTION cancelled_build_floor_guard();
CREATE TRIGGER cancelled_build_floor_guard BEFORE INSERT OR UPDATE ON "TestResult"
    FOR EACH ROW EXECUTE FUNCTION cancelled_build_floor_guard();
CREATE TRIGGER cancelled_build_floor_guard BEFORE INSERT OR UPDATE ON "PackagingChecklist"
    FOR EACH ROW EXECUTE FUNCTION cancelled_build_floor_guard();
CREATE TRIGGER cancelled_build_floor_guard BEFORE INSERT OR UPDATE ON "PackagingItem"
    FOR EACH ROW EXECUTE FUNCTION cancelled_build_floor_guard();

-- A cancelled build has no next role: nobody is told to act on it (the coordinators were the default).
-- As V11's function otherwise.
CREATE OR REPLACE FUNCTION notify_order_status_change()
RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
    -- A NULL status would make the message NULL and fail the update; there is nobody to tell then.
    IF OLD."orderStatus" IS DISTINCT FROM NEW."orderStatus" AND NEW."orderStatus" IS NOT NULL
       AND NEW."orderStatus"::text <> 'CANCELLED' THEN
        INSERT INTO "SystemNotification" (
            "userId", "title", "message", "type",
            "relatedEntityType", "relatedEntityId"
        )
        SELECT
            u.id,
            'Order Status Updated',
            'Order ' || NEW."poNumber" || '-' || NEW."buildNumber" ||
                ' status changed to ' || NEW."orderStatus"::text,
            'ORDER_STATUS_CHANGE'::"NotificationType",
            'ProductionOrder',
            NEW.id::text
        FROM "User" u
        WHERE u."role" = CASE NEW."orderStatus"
                WHEN 'READY_FOR_PRE_QC'::"OrderStatus"     THEN 'QC_PERSON'::"UserRole"
                WHEN 'READY_FOR_PRODUCTION'::"OrderStatus" THEN 'ASSEMBLER'::"UserRole"
                WHEN 'READY_FOR_FINAL_QC'::"OrderStatus"   THEN 'QC_PERSON'::"UserRole"
                WHEN 'PARTS_SENT'::"OrderStatus"           THEN 'PROCUREMENT_SPECIALIST'::"UserRole"
                ELSE 'PRODUCTION_COORDINATOR'::"UserRole"
            END
          AND u."isActive" = true;
    END IF;
    RETURN NEW;
END;
$$;

-- The deadline sweep leaves cancelled builds out (docs/alerts.md §2): as V25's function otherwise.
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
           AND po."orderStatus"::text IS DISTINCT FROM 'CANCELLED'
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
