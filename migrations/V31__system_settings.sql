-- System settings (docs/settings.md): the database refuses values out of each setting's range, audit
-- retention defaults to 7 years, administrators change settings through one checked function, and
-- every station hears of a change.

------------------------------------------------------------------------------------------------------
-- The values a setting may have (docs/settings.md §2.1)
------------------------------------------------------------------------------------------------------

-- The range of each plant-wide setting, the same as the registry in src/domain/settings.rs (a db test
-- compares them). NULL for a key the plant does not know.
CREATE OR REPLACE FUNCTION setting_range(p_key text, OUT min_value bigint, OUT max_value bigint)
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, public AS $$
    SELECT r.lo, r.hi
      FROM (VALUES ('audit.retentionDays', 365::bigint, 36500::bigint),
                   ('notifications.retentionDays', 1, 3650),
                   ('alerts.dueSoonDays', 0, 365)) AS r(k, lo, hi)
     WHERE r.k = p_key
$$;

-- Every write of a setting, whoever makes it (a station's checked function, the owner, a session
-- opened with a station's credentials): an INTEGER setting holds a whole number, and a known setting
-- a whole number within its range.
CREATE OR REPLACE FUNCTION system_setting_check()
RETURNS TRIGGER
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
    v_value text := btrim(NEW."settingValue");
    v_range record;
BEGIN
    SELECT * INTO v_range FROM setting_range(NEW."settingKey");
    IF v_range.min_value IS NOT NULL THEN
        IF v_value !~ '^[0-9]{1,9}$' THEN
            RAISE EXCEPTION 'System setting % must be a whole number of days', NEW."settingKey"
                USING ERRCODE = 'check_violation';
        END IF;
        IF v_value::bigint < v_range.min_value OR v_value::bigint > v_range.max_value THEN
            RAISE EXCEPTION 'System setting % must be between % and %', NEW."settingKey",
                            v_range.min_value, v_range.max_value
                USING ERRCODE = 'check_violation';
        END IF;
    ELSIF NEW."dataType" = 'INTEGER' AND v_value !~ '^-?[0-9]{1,9}$' THEN
        RAISE EXCEPTION 'System setting % must be a whole number', NEW."settingKey"
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;

------------------------------------------------------------------------------------------------------
-- Stored values brought into range; audit retention 7 years (docs/settings.md §2.2)
------------------------------------------------------------------------------------------------------

-- Made by this migration, not by a user: the rows enter the audit trail as BASELINE images
-- (audit_baseline at the end), as the settings V10 and V25 inserted did.
ALTER TABLE "SystemSetting" DISABLE TRIGGER audit_update;

-- Audit retention still at the old default of 365 days, below the minimum or not a whole number
-- becomes 7 years; a plant's own value of at least 365 days stays.
UPDATE "SystemSetting"
   SET "settingValue" = '2555'
 WHERE "settingKey" = 'audit.retentionDays'
   AND CASE WHEN btrim("settingValue") ~ '^[0-9]{1,9}$' THEN btrim("settingValue")::bigint <= 365
            ELSE true END;

-- Any other known setting out of its range takes its default.
UPDATE "SystemSetting" s
   SET "settingValue" = d.v
  FROM (VALUES ('notifications.retentionDays', '30'), ('alerts.dueSoonDays', '3')) AS d(k, v),
       setting_range(d.k) r
 WHERE s."settingKey" = d.k
   AND CASE WHEN btrim(s."settingValue") ~ '^[0-9]{1,9}$'
            THEN btrim(s."settingValue")::bigint NOT BETWEEN r.min_value AND r.max_value
            ELSE true END;

ALTER TABLE "SystemSetting" ENABLE TRIGGER audit_update;

CREATE TRIGGER system_setting_check
    BEFORE INSERT OR UPDATE ON "SystemSetting"
    FOR EACH ROW EXECUTE FUNCTION system_setting_check();

------------------------------------------------------------------------------------------------------
-- Audit retention: 2,555 days when the row is missing (the functions of V16, otherwise unchanged)
------------------------------------------------------------------------------------------------------

-- AuditLog rows are deleted only by the retention cleanup, and only once past the retention period.
CREATE OR REPLACE FUNCTION auditlog_guard()
RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF current_setting('cleanstation.retention_cleanup', true) = 'on'
           AND OLD."timestamp" < LOCALTIMESTAMP
                                 - make_interval(days => setting_integer('audit.retentionDays', 2555)) THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'AuditLog rows are removed only by the retention cleanup, once older than the retention period';
    ELSIF TG_OP = 'TRUNCATE' THEN
        RAISE EXCEPTION 'AuditLog cannot be truncated';
    END IF;
    RAISE EXCEPTION 'AuditLog rows cannot be changed';
END;
$$;

-- Removes the longest sealed prefix of the chain whose audit rows are all past the retention period
-- (setting 'audit.retentionDays'), and leaves a CHECKPOINT link that records where the chain now
-- starts, so the rest still verifies. A row whose last image is removed gets a RETAINED copy first, so
-- every live row keeps an audit image. Returns the number of audit rows removed.
CREATE OR REPLACE FUNCTION cleanup_old_audit_logs()
RETURNS integer
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
    v_cutoff  timestamp := LOCALTIMESTAMP
                           - make_interval(days => setting_integer('audit.retentionDays', 2555));
    v_first   bigint;
    v_through bigint;
    v_link    text;
    v_head    bigint;
    v_head_link text;
    v_details jsonb;
    v_next    text;
    v_deleted integer;
BEGIN
    PERFORM audit_seal(true, NULL);

    SELECT min(c."position") INTO v_first FROM "AuditChain" c;
    IF v_first IS NULL THEN
        RETURN 0;
    END IF;
    SELECT min(c."position") - 1 INTO v_through
      FROM "AuditChain" c LEFT JOIN "AuditLog" a ON a."seq" = c."auditSeq"
     WHERE c."kind" = 'ROW' AND a."timestamp" >= v_cutoff;
    IF v_through IS NULL THEN
        SELECT max(c."position") INTO v_through FROM "AuditChain" c;
    END IF;
    IF v_through < v_first THEN
        RETURN 0;
    END IF;

    -- Keep an image of every row whose last image is about to go.
    INSERT INTO "AuditLog" ("userId", "action", "entityType", "entityId", "oldValues", "newValues",
                            "userAgent", "timestamp", "dbRole")
    SELECT NULL, 'RETAINED', l."entityType", l."entityId", NULL, l."newValues",
           'retention cleanup', CURRENT_TIMESTAMP, session_user
      FROM (
        SELECT DISTINCT ON (a."entityType", a."entityId") a."entityType", a."entityId", a."action",
               a."newValues", a."seq"
          FROM "AuditLog" a
         WHERE a."action" IN ('INSERT', 'UPDATE', 'DELETE', 'BASELINE', 'RETAINED')
         ORDER BY a."entityType", a."entityId", a."seq" DESC
      ) l
      JOIN "AuditChain" c ON c."auditSeq" = l."seq"
     WHERE c."position" <= v_through AND l."action" <> 'DELETE'
     ORDER BY l."entityType", l."entityId";

    SELECT c."link" INTO v_link FROM "AuditChain" c WHERE c."position" = v_through;

    PERFORM set_config('cleanstation.retention_cleanup', 'on', true);
    DELETE FROM "AuditLog" a
     USING "AuditChain" c
     WHERE c."auditSeq" = a."seq" AND c."position" <= v_through;
    GET DIAGNOSTICS v_deleted = ROW_COUNT;
    DELETE FROM "AuditChain" c WHERE c."position" <= v_through;
    PERFORM set_config('cleanstation.retention_cleanup', 'off', true);

    SELECT c."position", c."link" INTO v_head, v_head_link
      FROM "AuditChain" c ORDER BY c."position" DESC LIMIT 1;
    IF NOT FOUND THEN
        -- The whole chain was removed: the checkpoint continues from the last removed link.
        v_head := v_through;
        v_head_link := v_link;
    END IF;
    v_details := jsonb_build_object(
        'removedThrough', v_through, 'linkThrough', v_link, 'rowsRemoved', v_deleted,
        'cutoff', v_cutoff);
    v_next := encode(sha256(convert_to(
                  v_head_link || '|' || (v_head + 1)::text || '|CHECKPOINT|' || v_details::text,
                  'UTF8')), 'hex');
    INSERT INTO "AuditChain" ("position", "kind", "auditSeq", "auditId", "prevLink", "link", "details")
    VALUES (v_head + 1, 'CHECKPOINT', NULL, NULL, v_head_link, v_next, v_details);

    PERFORM audit_seal(true, NULL);
    RETURN v_deleted;
END;
$$;

------------------------------------------------------------------------------------------------------
-- The station's checked path to a setting (docs/settings.md §3)
------------------------------------------------------------------------------------------------------

-- Sets a setting: an administrator's session (app_require_admin), an editable row, and the value the
-- administrator saw still stored (p_expected; NULL: not checked). The row check above refuses a value
-- out of range. The audit trigger records the change in the name of the session's user; "updatedBy"
-- names them too. Returns 'SET', 'CHANGED' (another station changed it first), 'MISSING' (no such
-- row) or 'LOCKED' (not editable).
CREATE OR REPLACE FUNCTION app_setting_set(p_key text, p_value text, p_expected text)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    v_admin    uuid;
    v_current  text;
    v_editable boolean;
BEGIN
    v_admin := app_require_admin('Changing a system setting');
    SELECT s."settingValue", COALESCE(s."isEditable", false) INTO v_current, v_editable
      FROM "SystemSetting" s WHERE s."settingKey" = p_key
       FOR UPDATE;
    IF NOT FOUND THEN
        RETURN 'MISSING';
    END IF;
    IF NOT v_editable THEN
        RETURN 'LOCKED';
    END IF;
    IF p_expected IS NOT NULL AND v_current IS DISTINCT FROM p_expected THEN
        RETURN 'CHANGED';
    END IF;
    UPDATE "SystemSetting"
       SET "settingValue" = p_value, "updatedBy" = v_admin, "updatedAt" = LOCALTIMESTAMP
     WHERE "settingKey" = p_key;
    RETURN 'SET';
END;
$$;

-- Every station hears of a change (docs/live.md §1.2).
SELECT live_watch('SystemSetting', 'setting', 'id', NULL, NULL);

SELECT audit_baseline('migration V31: system settings in range; audit retention 7 years');
