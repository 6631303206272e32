-- Nonconformance records (docs/nonconformance.md).
--
-- Not in the customer's schema: the plant's record of a build that does not conform (a failed Final QC, a
-- failed end-of-line testing form, or one raised by hand), its disposition signed by QC and its closure.
-- The table follows the customer's naming. Times are UTC, like the signatures' (the number's year is the
-- UTC year of "raisedAt").
--
-- status OPEN -> DISPOSITIONED -> CLOSED. A USE_AS_IS disposition stays OPEN, with its disposition and
-- note written and signed once, until a second person signs it (docs/nonconformance.md §4).

CREATE TABLE "Nonconformance" (
    id                  UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    "ncNumber"          VARCHAR(20) NOT NULL,
    "orderId"           UUID NOT NULL,
    "source"            VARCHAR(20) NOT NULL,
    "sourceId"          UUID,
    "description"       TEXT NOT NULL,
    "items"             JSONB NOT NULL DEFAULT '[]'::jsonb,
    "status"            VARCHAR(20) NOT NULL DEFAULT 'OPEN',
    "raisedBy"          UUID NOT NULL,
    "raisedAt"          TIMESTAMP NOT NULL DEFAULT timezone('UTC', now()),
    "disposition"       VARCHAR(30),
    "dispositionNote"   TEXT,
    "dispositionedBy"   UUID,
    "dispositionedAt"   TIMESTAMP,
    "reworkTaskId"      UUID,
    "closedBy"          UUID,
    "closedAt"          TIMESTAMP,
    "closeNote"         TEXT,

    CONSTRAINT uk_nonconformance_number UNIQUE ("ncNumber"),
    CONSTRAINT fk_nonconformance_production_order FOREIGN KEY ("orderId") REFERENCES "ProductionOrder" (id),
    CONSTRAINT fk_nonconformance_raised_by FOREIGN KEY ("raisedBy") REFERENCES "User" (id),
    CONSTRAINT fk_nonconformance_dispositioned_by FOREIGN KEY ("dispositionedBy") REFERENCES "User" (id),
    CONSTRAINT fk_nonconformance_closed_by FOREIGN KEY ("closedBy") REFERENCES "User" (id),
    CONSTRAINT fk_nonconformance_rework_task FOREIGN KEY ("reworkTaskId") REFERENCES "Task" (id),
    CONSTRAINT chk_nonconformance_number CHECK ("ncNumber" ~ '^NC-[0-9]{4}-[0-9]{4,}$'),
    CONSTRAINT chk_nonconformance_source CHECK ("source" IN ('FINAL_QC', 'TESTING', 'MANUAL')),
    -- A result or form is named exactly when the NC came from one.
    CONSTRAINT chk_nonconformance_source_id CHECK (("source" = 'MANUAL') = ("sourceId" IS NULL)),
    CONSTRAINT chk_nonconformance_description
        CHECK (btrim("description") <> '' AND char_length("description") <= 2000),
    CONSTRAINT chk_nonconformance_items CHECK (jsonb_typeof("items") = 'array'),
    CONSTRAINT chk_nonconformance_status CHECK ("status" IN ('OPEN', 'DISPOSITIONED', 'CLOSED')),
    CONSTRAINT chk_nonconformance_disposition
        CHECK ("disposition" IN ('REWORK', 'USE_AS_IS', 'SCRAP', 'RETURN_TO_SUPPLIER')),
    -- A note goes with a disposition; USE_AS_IS and SCRAP need one.
    CONSTRAINT chk_nonconformance_disposition_note CHECK (
        ("disposition" IS NOT NULL OR "dispositionNote" IS NULL)
        AND ("disposition" NOT IN ('USE_AS_IS', 'SCRAP') OR btrim(COALESCE("dispositionNote", '')) <> '')),
    CONSTRAINT chk_nonconformance_rework_link CHECK ("reworkTaskId" IS NULL OR "disposition" = 'REWORK'),
    -- OPEN: no disposition yet, or a USE_AS_IS awaiting its second signature; nothing closed.
    CONSTRAINT chk_nonconformance_open CHECK ("status" <> 'OPEN' OR (
        ("disposition" IS NULL OR "disposition" = 'USE_AS_IS')
        AND "dispositionedBy" IS NULL AND "dispositionedAt" IS NULL
        AND "closedBy" IS NULL AND "closedAt" IS NULL AND "closeNote" IS NULL)),
    CONSTRAINT chk_nonconformance_dispositioned CHECK ("status" = 'OPEN' OR (
        "disposition" IS NOT NULL AND "dispositionedBy" IS NOT NULL AND "dispositionedAt" IS NOT NULL)),
    CONSTRAINT chk_nonconformance_closed CHECK (("status" = 'CLOSED') = (
        "closedBy" IS NOT NULL AND "closedAt" IS NOT NULL AND btrim(COALESCE("closeNote", '')) <> ''))
);

CREATE INDEX idx_nonconformance_order ON "Nonconformance" ("orderId", "raisedAt");
CREATE INDEX idx_nonconformance_open ON "Nonconformance" ("raisedAt", id) WHERE "status" = 'OPEN';

-- The record is written once: never deleted; once a disposition is written (and signed) the signed
-- columns never change; a DISPOSITIONED NC changes only by being closed; a CLOSED one never changes.
CREATE OR REPLACE FUNCTION nonconformance_guard()
RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'UPDATE' THEN
        RAISE EXCEPTION 'A nonconformance record is never removed'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF OLD."status" = 'CLOSED' THEN
        RAISE EXCEPTION 'Nonconformance % is CLOSED and cannot be changed', OLD."ncNumber"
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF (NEW.id, NEW."ncNumber", NEW."orderId", NEW."source", NEW."sourceId", NEW."raisedBy", NEW."raisedAt")
       IS DISTINCT FROM (OLD.id, OLD."ncNumber", OLD."orderId", OLD."source", OLD."sourceId", OLD."raisedBy",
                         OLD."raisedAt") THEN
        RAISE EXCEPTION 'Nonconformance %: its number, build, source and raising are never changed', OLD."ncNumber"
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF OLD."disposition" IS NOT NULL
       AND (NEW."description", NEW."items", NEW."disposition", NEW."dispositionNote")
           IS DISTINCT FROM (OLD."description", OLD."items", OLD."disposition", OLD."dispositionNote") THEN
        RAISE EXCEPTION 'Nonconformance % is signed; its signed content cannot be changed', OLD."ncNumber"
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF OLD."status" = 'DISPOSITIONED'
       AND (NEW."status" NOT IN ('DISPOSITIONED', 'CLOSED')
            OR (NEW."dispositionedBy", NEW."dispositionedAt", NEW."reworkTaskId")
               IS DISTINCT FROM (OLD."dispositionedBy", OLD."dispositionedAt", OLD."reworkTaskId")) THEN
        RAISE EXCEPTION 'Nonconformance % is DISPOSITIONED; it can only be closed', OLD."ncNumber"
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER nonconformance_guard
    BEFORE UPDATE OR DELETE ON "Nonconformance"
    FOR EACH ROW EXECUTE FUNCTION nonconformance_guard();
CREATE TRIGGER nonconformance_no_truncate
    BEFORE TRUNCATE ON "Nonconformance"
    FOR EACH STATEMENT EXECUTE FUNCTION nonconformance_guard();

CREATE TRIGGER audit_insert AFTER INSERT ON "Nonconformance" REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit_statement();
CREATE TRIGGER audit_update AFTER UPDATE ON "Nonconformance"
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit_statement();
CREATE TRIGGER audit_delete AFTER DELETE ON "Nonconformance" REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit_statement();

-- A build with an OPEN nonconformance never ships, whoever asks (an administrator's override included).
CREATE OR REPLACE FUNCTION nonconformance_ship_guard()
RETURNS TRIGGER
LANGUAGE plpgsql AS $$
DECLARE
    v_number text;
BEGIN
    SELECT "ncNumber" INTO v_number FROM "Nonconformance"
     WHERE "orderId" = NEW.id AND "status" = 'OPEN'
     ORDER BY "raisedAt", "ncNumber" LIMIT 1;
    IF v_number IS NOT NULL THEN
        RAISE EXCEPTION '% is OPEN; disposition it before shipping', v_number
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER nonconformance_ship_guard
    BEFORE UPDATE OF "orderStatus" ON "ProductionOrder"
    FOR EACH ROW WHEN (NEW."orderStatus" = 'SHIPPED' AND OLD."orderStatus" IS DISTINCT FROM 'SHIPPED')
    EXECUTE FUNCTION nonconformance_ship_guard();
