-- QC rejection reasons (docs/rejection-reasons.md).
--
-- Not in the customer's schema: the plant's administered list of reasons a QC inspection fails, and the
-- reasons a failed Pre-QC or Final QC result names. The tables follow the customer's naming.

CREATE TYPE "RejectionSeverity" AS ENUM ('MINOR', 'MAJOR', 'CRITICAL');

-- A reason is never removed once a result may name it: it is retired ("isActive" false) instead, and its
-- code never changes, so a record read years later still means what it meant.
CREATE TABLE "QCRejectionReason" (
    id                  UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    "code"              VARCHAR(30) NOT NULL,
    "text"              VARCHAR(200) NOT NULL,
    "severity"          "RejectionSeverity" NOT NULL,
    "reworkRequired"    BOOLEAN NOT NULL DEFAULT true,
    "isActive"          BOOLEAN NOT NULL DEFAULT true,
    "sortOrder"         INTEGER NOT NULL DEFAULT 0,
    "createdBy"         UUID,
    "createdAt"         TIMESTAMP NOT NULL DEFAULT timezone('UTC', now()),
    "updatedBy"         UUID,
    "updatedAt"         TIMESTAMP NOT NULL DEFAULT timezone('UTC', now()),

    CONSTRAINT uk_qc_rejection_reason_code UNIQUE ("code"),
    CONSTRAINT fk_qc_rejection_reason_created_by FOREIGN KEY ("createdBy") REFERENCES "User" (id),
    CONSTRAINT fk_qc_rejection_reason_updated_by FOREIGN KEY ("updatedBy") REFERENCES "User" (id),
    CONSTRAINT chk_qc_rejection_reason_code CHECK ("code" ~ '^[A-Z0-9][A-Z0-9_-]{0,29}$'),
    CONSTRAINT chk_qc_rejection_reason_text CHECK (btrim("text") <> '')
);

CREATE INDEX idx_qc_rejection_reason_active ON "QCRejectionReason" ("isActive", "sortOrder", "code");

-- The reasons one result names, with the inspector's words for each (optional).
CREATE TABLE "QCResultRejection" (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    "qcResultId"    UUID NOT NULL,
    "reasonId"      UUID NOT NULL,
    "note"          TEXT,

    CONSTRAINT fk_qc_result_rejection_qc_result
        FOREIGN KEY ("qcResultId") REFERENCES "QCResult" (id) ON DELETE CASCADE,
    CONSTRAINT fk_qc_result_rejection_reason FOREIGN KEY ("reasonId") REFERENCES "QCRejectionReason" (id),
    CONSTRAINT uk_qc_result_rejection UNIQUE ("qcResultId", "reasonId"),
    CONSTRAINT chk_qc_result_rejection_note CHECK ("note" IS NULL OR char_length("note") <= 2000)
);

CREATE INDEX idx_qc_result_rejection_reason ON "QCResultRejection" ("reasonId");

-- A reason's code is its identity; it is never deleted.
CREATE OR REPLACE FUNCTION qc_rejection_reason_guard()
RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'UPDATE' THEN
        RAISE EXCEPTION 'A rejection reason is never removed; retire it instead'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF NEW."code" IS DISTINCT FROM OLD."code" OR NEW.id IS DISTINCT FROM OLD.id THEN
        RAISE EXCEPTION 'The code of rejection reason % never changes', OLD."code"
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER qc_rejection_reason_guard
    BEFORE UPDATE OR DELETE ON "QCRejectionReason"
    FOR EACH ROW EXECUTE FUNCTION qc_rejection_reason_guard();
CREATE TRIGGER qc_rejection_reason_no_truncate
    BEFORE TRUNCATE ON "QCRejectionReason"
    FOR EACH STATEMENT EXECUTE FUNCTION qc_rejection_reason_guard();

-- The reasons follow their result, like its answers: written only while it is a draft (the submit writes
-- them in its own transaction before the result leaves INCOMPLETE), never changed afterwards.
CREATE OR REPLACE FUNCTION qc_result_rejection_guard()
RETURNS TRIGGER
LANGUAGE plpgsql AS $$
DECLARE
    v_status "QCResultStatus";
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        SELECT "overallStatus" INTO v_status FROM "QCResult" WHERE id = OLD."qcResultId";
        IF FOUND AND v_status <> 'INCOMPLETE' THEN
            RAISE EXCEPTION 'The rejection reasons of a submitted QC result cannot be changed or deleted'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        SELECT "overallStatus" INTO v_status FROM "QCResult" WHERE id = NEW."qcResultId";
        IF FOUND AND v_status <> 'INCOMPLETE' THEN
            RAISE EXCEPTION 'Rejection reasons cannot be added to a submitted QC result'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END IF;
    RETURN OLD;
END;
$$;

CREATE TRIGGER qc_result_rejection_guard
    BEFORE INSERT OR UPDATE OR DELETE ON "QCResultRejection"
    FOR EACH ROW EXECUTE FUNCTION qc_result_rejection_guard();

-- The starting list; administrators change it from the terminal. Inserted before auditing is attached,
-- so the rows enter the trail as BASELINE images (audit_baseline below), not as an INSERT no user made.
INSERT INTO "QCRejectionReason" ("code", "text", "severity", "reworkRequired", "sortOrder") VALUES
    ('WELD', 'Weld defect or heat discoloration', 'MAJOR', true, 10),
    ('FINISH', 'Surface finish: scratch, dent or residue', 'MINOR', true, 20),
    ('DIMENSION', 'Dimension or position out of tolerance', 'MAJOR', true, 30),
    ('LEAK', 'Leak at a drain, faucet or fitting', 'CRITICAL', true, 40),
    ('MISSING_PART', 'Part missing or wrong part fitted', 'MAJOR', true, 50),
    ('CONFIGURATION', 'Built configuration differs from the order', 'MAJOR', true, 60),
    ('ELECTRICAL', 'Electrical fault: controls, lift or lighting', 'CRITICAL', true, 70),
    ('LABEL', 'Label or documentation wrong or missing', 'MINOR', true, 80),
    ('OTHER', 'Other, described in the note', 'MINOR', false, 90);

CREATE TRIGGER audit_insert AFTER INSERT ON "QCRejectionReason" REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit_statement();
CREATE TRIGGER audit_update AFTER UPDATE ON "QCRejectionReason"
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit_statement();
CREATE TRIGGER audit_delete AFTER DELETE ON "QCRejectionReason" REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit_statement();

CREATE TRIGGER audit_insert AFTER INSERT ON "QCResultRejection" REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit_statement();
CREATE TRIGGER audit_update AFTER UPDATE ON "QCResultRejection"
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit_statement();
CREATE TRIGGER audit_delete AFTER DELETE ON "QCResultRejection" REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION audit_statement();

-- Other stations see a reason list change and a result's reasons (docs/live.md §2).
SELECT live_watch('QCRejectionReason', 'rejection_reason', 'id', NULL, NULL);

SELECT audit_baseline('migration V29: QC rejection reasons');
