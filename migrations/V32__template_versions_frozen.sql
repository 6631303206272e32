-- Checklist template versions that recorded work uses are frozen (docs/checklists.md §12.4).
--
-- The template editor saves new versions and activates one from a station, so the station role may insert
-- templates and items and update a template row (src/db/roles.rs). V17 already refuses a change to an item
-- that QC results use, new items in a template with QC results, and a new name or version for such a
-- template. This completes the rule for every kind of recorded work the import counts (a QC result, an item
-- result or a task on one of its items): such a version keeps its name, form type, version and description,
-- gets no new items, and its items are neither changed nor deleted. Only its active flag (and "updatedAt")
-- may change, which is how a version is activated or retired.

CREATE OR REPLACE FUNCTION qc_template_in_use(p_template uuid)
RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM "QCResult" WHERE "templateId" = p_template)
        OR EXISTS (SELECT 1
                     FROM "QCItemResult" r
                     JOIN "QCChecklistItem" i ON i.id = r."checklistItemId"
                    WHERE i."templateId" = p_template)
        OR EXISTS (SELECT 1
                     FROM "Task" t
                     JOIN "QCChecklistItem" i ON i.id = t."productionChecklistItemId"
                    WHERE i."templateId" = p_template)
$$;

CREATE OR REPLACE FUNCTION qc_template_version_frozen()
RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF qc_template_in_use(OLD.id) THEN
            RAISE EXCEPTION 'Checklist template % version % has recorded work and cannot be deleted', OLD."formName", OLD."version"
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN OLD;
    END IF;
    IF (NEW."formName", NEW."formType", NEW."version", NEW."description")
           IS DISTINCT FROM (OLD."formName", OLD."formType", OLD."version", OLD."description")
       AND qc_template_in_use(OLD.id) THEN
        RAISE EXCEPTION 'Checklist template % version % has recorded work; save the change as a new version', OLD."formName", OLD."version"
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER qc_template_version_frozen
    BEFORE UPDATE OR DELETE ON "QCFormTemplate"
    FOR EACH ROW EXECUTE FUNCTION qc_template_version_frozen();

CREATE OR REPLACE FUNCTION qc_checklist_item_in_use_frozen()
RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW IS NOT DISTINCT FROM OLD THEN
        RETURN NEW;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND qc_template_in_use(OLD."templateId") THEN
        RAISE EXCEPTION 'Checklist item % belongs to a template version with recorded work and cannot be changed or deleted; save the change as a new version', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND qc_template_in_use(NEW."templateId") THEN
        RAISE EXCEPTION 'The checklist template % has recorded work and gets no new items; save the change as a new version', NEW."templateId"
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER qc_checklist_item_in_use_frozen
    BEFORE INSERT OR UPDATE OR DELETE ON "QCChecklistItem"
    FOR EACH ROW EXECUTE FUNCTION qc_checklist_item_in_use_frozen();
