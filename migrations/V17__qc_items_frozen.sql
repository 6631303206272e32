-- Checklist items that QC results refer to are frozen.
--
-- From signature format 2 on, a QC result's signature covers each answered item's code (rules.code) and
-- wording ("itemDescription"), read from the item row itself. If that row could change after signing, a
-- legitimate edit would make the signature stop verifying, and the record would no longer show the question
-- the inspector answered. So an item is never changed in place once recorded work refers to it: an answer
-- (any "QCItemResult") or any QC result, draft or submitted, on its template. The template import already
-- turns such a change into a new template version; this makes it hold for every client. A template that has
-- QC results gets no new items either: a change to it is a new version.

CREATE OR REPLACE FUNCTION qc_checklist_item_frozen()
RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW IS NOT DISTINCT FROM OLD THEN
        RETURN NEW;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE')
       AND (EXISTS (SELECT 1 FROM "QCItemResult" WHERE "checklistItemId" = OLD.id)
            OR EXISTS (SELECT 1 FROM "QCResult" WHERE "templateId" = OLD."templateId")) THEN
        RAISE EXCEPTION 'Checklist item % has QC results and cannot be changed or deleted; import the change as a new template version', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE')
       AND EXISTS (SELECT 1 FROM "QCResult" WHERE "templateId" = NEW."templateId") THEN
        RAISE EXCEPTION 'The checklist template % has QC results and gets no new items; import the change as a new template version', NEW."templateId"
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER qc_checklist_item_frozen
    BEFORE INSERT OR UPDATE OR DELETE ON "QCChecklistItem"
    FOR EACH ROW EXECUTE FUNCTION qc_checklist_item_frozen();

-- Every signature format covers the template's version, and the name says which form it is: neither changes
-- under a template that has QC results.
CREATE OR REPLACE FUNCTION qc_form_template_frozen()
RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW."formName", NEW."version") IS DISTINCT FROM (OLD."formName", OLD."version")
       AND EXISTS (SELECT 1 FROM "QCResult" WHERE "templateId" = OLD.id) THEN
        RAISE EXCEPTION 'The checklist template % has QC results; its name and version cannot change', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER qc_form_template_frozen
    BEFORE UPDATE ON "QCFormTemplate"
    FOR EACH ROW EXECUTE FUNCTION qc_form_template_frozen();

-- A submit holds the items of its form until it commits, so an edit arriving meanwhile waits and is then
-- refused. Row locks need a write privilege the station role does not have on templates; this checked
-- path takes them for it and changes nothing.
CREATE OR REPLACE FUNCTION app_qc_hold_items(p_form_name text)
RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT 1 FROM "QCChecklistItem" i JOIN "QCFormTemplate" t ON t.id = i."templateId"
     WHERE t."formName" = p_form_name
     ORDER BY i.id
       FOR SHARE OF i
$$;
