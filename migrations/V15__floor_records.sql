-- End-of-line testing forms and packaging checklists (workflow.md section 3).
--
-- A testing draft is a TestingForm with overallStatus INCOMPLETE whose TestResult rows hold the answers
-- so far. Submitting sets PASS or FAIL; from then on the form and its results are records that are never
-- changed, which the triggers below enforce for every client, not only this application.

-- One open testing draft per build.
CREATE UNIQUE INDEX uk_testing_form_open_draft
    ON "TestingForm" ("orderId")
    WHERE "overallStatus" = 'INCOMPLETE';

-- At most one open packaging checklist per build.
CREATE UNIQUE INDEX uk_packaging_checklist_open
    ON "PackagingChecklist" ("orderId")
    WHERE NOT COALESCE("isCompleted", false);

-- Only a draft may change or be removed; INCOMPLETE -> PASS/FAIL is the submit itself.
CREATE OR REPLACE FUNCTION testing_form_guard()
RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD."overallStatus" <> 'INCOMPLETE' THEN
        RAISE EXCEPTION 'A submitted testing form cannot be changed or deleted'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER testing_form_guard
    BEFORE UPDATE OR DELETE ON "TestingForm"
    FOR EACH ROW EXECUTE FUNCTION testing_form_guard();

-- Results follow their form: written only while it is a draft. A row whose form is already gone is
-- being removed by the cascade of a draft's deletion, which the form's own guard has allowed.
CREATE OR REPLACE FUNCTION test_result_guard()
RETURNS TRIGGER
LANGUAGE plpgsql AS $$
DECLARE
    v_status "TestingStatus";
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        SELECT "overallStatus" INTO v_status FROM "TestingForm" WHERE id = OLD."testingFormId";
        IF FOUND AND v_status <> 'INCOMPLETE' THEN
            RAISE EXCEPTION 'The results of a submitted testing form cannot be changed or deleted'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        SELECT "overallStatus" INTO v_status FROM "TestingForm" WHERE id = NEW."testingFormId";
        IF FOUND AND v_status <> 'INCOMPLETE' THEN
            RAISE EXCEPTION 'Results cannot be added to a submitted testing form'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END IF;
    RETURN OLD;
END;
$$;

CREATE TRIGGER test_result_guard
    BEFORE INSERT OR UPDATE OR DELETE ON "TestResult"
    FOR EACH ROW EXECUTE FUNCTION test_result_guard();
