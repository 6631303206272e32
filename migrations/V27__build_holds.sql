-- Holds and shortages reported from the floor (docs/holds.md).
--
-- Not in the customer's schema: a build put on hold by an assembler or a coordinator, with its reason
-- (a parts shortage with the part lines, quality, or another reason with a note), who placed it and
-- when, and who released it, when and why. The table follows the customer's naming. Times are the
-- plant's, like the status history's.
--
-- A build has at most one open hold; a hold is never deleted and, once released, never changes
-- (docs/holds.md §1). While a build is held its status does not move and its tasks are neither
-- completed nor reopened, whoever asks (docs/holds.md §3.3).

-- Procurement's notice of a parts shortage (docs/holds.md §4). Not used in this migration: a value added
-- in a transaction may be used only after it commits.
ALTER TYPE "NotificationType" ADD VALUE IF NOT EXISTS 'PARTS_SHORTAGE';

CREATE TABLE "BuildHold" (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    "orderId"       UUID NOT NULL,
    "reason"        VARCHAR(20) NOT NULL,
    "note"          TEXT,
    -- [{"partId": "...", "quantity": n}, ...] for a parts shortage; [] otherwise.
    "parts"         JSONB NOT NULL DEFAULT '[]'::jsonb,
    "placedBy"      UUID NOT NULL,
    "placedAt"      TIMESTAMP NOT NULL DEFAULT LOCALTIMESTAMP,
    "releasedBy"    UUID,
    "releasedAt"    TIMESTAMP,
    "releaseNote"   TEXT,

    CONSTRAINT fk_build_hold_production_order FOREIGN KEY ("orderId") REFERENCES "ProductionOrder" (id),
    CONSTRAINT fk_build_hold_placed_by FOREIGN KEY ("placedBy") REFERENCES "User" (id),
    CONSTRAINT fk_build_hold_released_by FOREIGN KEY ("releasedBy") REFERENCES "User" (id),
    CONSTRAINT chk_build_hold_reason CHECK ("reason" IN ('PARTS_SHORTAGE', 'QUALITY', 'OTHER')),
    CONSTRAINT chk_build_hold_note CHECK (
        ("note" IS NULL OR (btrim("note") <> '' AND char_length("note") <= 1000))
        AND ("reason" = 'PARTS_SHORTAGE' OR "note" IS NOT NULL)),
    CONSTRAINT chk_build_hold_parts CHECK (
        jsonb_typeof("parts") = 'array'
        AND (("reason" = 'PARTS_SHORTAGE') = (jsonb_array_length("parts") > 0))
        AND jsonb_array_length("parts") <= 50),
    CONSTRAINT chk_build_hold_released CHECK (
        ("releasedBy" IS NULL) = ("releasedAt" IS NULL)
        AND ("releasedAt" IS NOT NULL OR "releaseNote" IS NULL)
        AND ("releasedAt" IS NULL OR "releasedAt" >= "placedAt")),
    CONSTRAINT chk_build_hold_release_note CHECK (
        "releaseNote" IS NULL OR (btrim("releaseNote") <> '' AND char_length("releaseNote") <= 1000))
);

-- At most one open hold per build.
CREATE UNIQUE INDEX uk_build_hold_open ON "BuildHold" ("orderId") WHERE "releasedAt" IS NULL;
CREATE INDEX idx_build_hold_order ON "BuildHold" ("orderId", "placedAt");

-- A hold is written once: never deleted; placed open, with part lines from the catalog (quantities
-- whole and above zero); released once, and then never changed.
CREATE OR REPLACE FUNCTION build_hold_guard()
RETURNS TRIGGER
LANGUAGE plpgsql AS $$
DECLARE
    v_line jsonb;
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW."releasedAt" IS NOT NULL THEN
            RAISE EXCEPTION 'A hold is placed open'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        FOR v_line IN SELECT * FROM jsonb_array_elements(NEW."parts") LOOP
            IF jsonb_typeof(v_line -> 'partId') IS DISTINCT FROM 'string'
               OR jsonb_typeof(v_line -> 'quantity') IS DISTINCT FROM 'number'
               OR (v_line ->> 'quantity')::numeric <> trunc((v_line ->> 'quantity')::numeric)
               OR (v_line ->> 'quantity')::numeric NOT BETWEEN 1 AND 9999 THEN
                RAISE EXCEPTION 'A shortage line is a part id and a whole quantity from 1 to 9999: %', v_line
                    USING ERRCODE = 'check_violation';
            END IF;
            IF NOT EXISTS (SELECT 1 FROM "Part" WHERE id = v_line ->> 'partId') THEN
                RAISE EXCEPTION 'Part % is not in the catalog', v_line ->> 'partId'
                    USING ERRCODE = 'foreign_key_violation';
            END IF;
        END LOOP;
        RETURN NEW;
    END IF;
    IF TG_OP <> 'UPDATE' THEN
        RAISE EXCEPTION 'A hold is never removed'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF OLD."releasedAt" IS NOT NULL THEN
        RAISE EXCEPTION 'This hold was released and cannot be changed'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF (NEW.id, NEW."orderId", NEW."reason", NEW."note", NEW."parts", NEW."placedBy", NEW."placedAt")
       IS DISTINCT FROM (OLD.id, OLD."orderId", OLD."reason", OLD."note", OLD."parts", OLD."placedBy",
                         OLD."placedAt") THEN
        RAISE EXCEPTION 'A hold''s build, reason, note, parts and placing are never changed'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER build_hold_guard
    BEFORE INSERT OR UPDATE OR DELETE ON "BuildHold"
    FOR EACH ROW EXECUTE FUNCTION build_hold_guard();
CREATE TRIGGER build_hold_no_truncate
    BEFORE TRUNCATE ON "BuildHold"
    FOR EACH STATEMENT EXECUTE FUNCTION build_hold_guard();

CREATE TRIGGER audit_insert AFTER INSERT ON "BuildHold" REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit_statement();
CREATE TRIGGER audit_update AFTER UPDATE ON "BuildHold"
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit_statement();
CREATE TRIGGER audit_delete AFTER DELETE ON "BuildHold" REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit_statement();

-- A held build does not move and its tasks are not completed or reopened, whoever asks: a station's
-- credentials alone do not get past a hold (docs/holds.md §3.3). The service refuses first, with the
-- hold's reason; these are the backstop. (Trigger functions need no grant to fire; a function they
-- called would, so each checks for itself.)
CREATE OR REPLACE FUNCTION build_hold_status_guard()
RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM "BuildHold" WHERE "orderId" = NEW.id AND "releasedAt" IS NULL) THEN
        RAISE EXCEPTION 'Build % is on hold; release the hold first', NEW."buildNumber"
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER build_hold_status_guard
    BEFORE UPDATE OF "orderStatus" ON "ProductionOrder"
    FOR EACH ROW WHEN (NEW."orderStatus" IS DISTINCT FROM OLD."orderStatus")
    EXECUTE FUNCTION build_hold_status_guard();

CREATE OR REPLACE FUNCTION build_hold_task_guard()
RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM "BuildHold" h JOIN "TaskList" l ON l."orderId" = h."orderId"
                WHERE l.id = NEW."taskListId" AND h."releasedAt" IS NULL) THEN
        RAISE EXCEPTION 'The build is on hold; its tasks are not changed until the hold is released'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER build_hold_task_guard
    BEFORE UPDATE OF "isCompleted" ON "Task"
    FOR EACH ROW WHEN (NEW."isCompleted" IS DISTINCT FROM OLD."isCompleted")
    EXECUTE FUNCTION build_hold_task_guard();

-- Each held build's total time on hold, an open hold counted up to now, for cycle-time reports (a build
-- never held has no row). A view, so every reader of the tables may read it.
CREATE VIEW "BuildHoldTime" AS
    SELECT "orderId",
           count(*) AS "holds",
           sum(COALESCE("releasedAt", LOCALTIMESTAMP) - "placedAt") AS "holdTime",
           floor(extract(epoch FROM sum(COALESCE("releasedAt", LOCALTIMESTAMP) - "placedAt")) / 60)::bigint
               AS "holdMinutes"
      FROM "BuildHold"
     GROUP BY "orderId";
