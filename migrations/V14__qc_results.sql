-- QC results: drafts, submitted results and their protection (workflow.md section 4, D7, D8).
--
-- A draft is a QCResult with overallStatus INCOMPLETE and an empty digitalSignature. Submitting it sets
-- PASS or FAIL with the signature; from then on the result and its item rows are records that are never
-- changed, which the triggers below enforce for every client, not only this application.
-- QCResult."timestamp" holds the signing time in UTC (it is covered by the signature's hash).

-- One open draft per build and form type.
CREATE UNIQUE INDEX uk_qc_result_open_draft
    ON "QCResult" ("orderId", "qcTypePerformed")
    WHERE "overallStatus" = 'INCOMPLETE';

ALTER TABLE "QCResult"
    -- A draft has no signature; a submitted result always has one.
    ADD CONSTRAINT chk_qc_result_signature
        CHECK (("overallStatus" = 'INCOMPLETE') = ("digitalSignature" = '')),
    -- A FAIL carries its reason.
    ADD CONSTRAINT chk_qc_result_fail_reason
        CHECK ("overallStatus" <> 'FAIL' OR btrim(COALESCE("notes", '')) <> ''),
    -- A submitted result names its job.
    ADD CONSTRAINT chk_qc_result_job_id
        CHECK ("overallStatus" = 'INCOMPLETE' OR btrim(COALESCE("jobId", '')) <> ''),
    -- QC results are only ever taken on the two QC forms.
    ADD CONSTRAINT chk_qc_result_type
        CHECK ("qcTypePerformed" IN ('PRE_QC', 'FINAL_QC'));

-- A multi-choice answer with several options ("Between basins 1/2; Center of basin") is longer than the
-- seed's 50 characters; storeTo copies the answer as given, so the columns take what an answer can hold.
ALTER TABLE "BasinConfiguration"
    ALTER COLUMN "drainLocation" TYPE VARCHAR(200),
    ALTER COLUMN "faucetLocation" TYPE VARCHAR(200);

-- Only a draft may change or be removed; INCOMPLETE -> PASS/FAIL is the submit itself.
CREATE OR REPLACE FUNCTION qc_result_guard()
RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD."overallStatus" <> 'INCOMPLETE' THEN
        RAISE EXCEPTION 'A submitted QC result cannot be changed or deleted'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER qc_result_guard
    BEFORE UPDATE OR DELETE ON "QCResult"
    FOR EACH ROW EXECUTE FUNCTION qc_result_guard();

-- Item rows follow their result: written only while it is a draft. A row whose result is already gone
-- is being removed by the cascade of a draft's deletion, which the result's own guard has allowed.
CREATE OR REPLACE FUNCTION qc_item_result_guard()
RETURNS TRIGGER
LANGUAGE plpgsql AS $$
DECLARE
    v_status "QCResultStatus";
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        SELECT "overallStatus" INTO v_status FROM "QCResult" WHERE id = OLD."qcResultId";
        IF FOUND AND v_status <> 'INCOMPLETE' THEN
            RAISE EXCEPTION 'The answers of a submitted QC result cannot be changed or deleted'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        SELECT "overallStatus" INTO v_status FROM "QCResult" WHERE id = NEW."qcResultId";
        IF FOUND AND v_status <> 'INCOMPLETE' THEN
            RAISE EXCEPTION 'Answers cannot be added to a submitted QC result'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END IF;
    RETURN OLD;
END;
$$;

CREATE TRIGGER qc_item_result_guard
    BEFORE INSERT OR UPDATE OR DELETE ON "QCItemResult"
    FOR EACH ROW EXECUTE FUNCTION qc_item_result_guard();
