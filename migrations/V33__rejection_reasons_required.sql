-- A failed QC result names its rejection reasons (docs/rejection-reasons.md §2.3).
--
-- Not in the customer's schema. The submit writes a FAIL's reasons in its own transaction, before the
-- result leaves INCOMPLETE; this deferred check refuses, at commit, a result that became FAIL in that
-- transaction without any. Only the move INCOMPLETE -> FAIL is checked: results failed before the list
-- existed name no reasons and stay as they were signed.
CREATE OR REPLACE FUNCTION qc_result_fail_needs_reason()
RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM "QCResultRejection" WHERE "qcResultId" = NEW.id) THEN
        RAISE EXCEPTION 'A failed QC result names at least one rejection reason'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER qc_result_fail_needs_reason
    AFTER UPDATE OF "overallStatus" ON "QCResult"
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW
    WHEN (OLD."overallStatus" = 'INCOMPLETE' AND NEW."overallStatus" = 'FAIL')
    EXECUTE FUNCTION qc_result_fail_needs_reason();
