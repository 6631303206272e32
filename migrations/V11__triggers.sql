-- Trigger functions and triggers: updatedAt maintenance, the audit trail, the AuditLog guard,
-- retention cleanups and order-status notifications.

-- An INTEGER system setting, or the default when the row is missing or does not hold a whole number.
CREATE OR REPLACE FUNCTION setting_integer(p_key text, p_default integer)
RETURNS integer
LANGUAGE sql STABLE AS $$
    SELECT COALESCE(
        (SELECT CASE WHEN btrim(s."settingValue") ~ '^[0-9]{1,9}$'
                     THEN btrim(s."settingValue")::integer END
           FROM "SystemSetting" s
          WHERE s."settingKey" = p_key),
        p_default)
$$;

------------------------------------------------------------------------------------------------------
-- updatedAt
------------------------------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION update_timestamp()
RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
    NEW."updatedAt" = CURRENT_TIMESTAMP;
    RETURN NEW;
END;
$$;

-- Every table with an "updatedAt" column (the design names only the first two).
CREATE TRIGGER update_user_timestamp
    BEFORE UPDATE ON "User"
    FOR EACH ROW EXECUTE FUNCTION update_timestamp();
CREATE TRIGGER update_order_timestamp
    BEFORE UPDATE ON "ProductionOrder"
    FOR EACH ROW EXECUTE FUNCTION update_timestamp();
CREATE TRIGGER update_part_timestamp
    BEFORE UPDATE ON "Part"
    FOR EACH ROW EXECUTE FUNCTION update_timestamp();
CREATE TRIGGER update_assembly_timestamp
    BEFORE UPDATE ON "Assembly"
    FOR EACH ROW EXECUTE FUNCTION update_timestamp();
CREATE TRIGGER update_qc_form_template_timestamp
    BEFORE UPDATE ON "QCFormTemplate"
    FOR EACH ROW EXECUTE FUNCTION update_timestamp();
CREATE TRIGGER update_work_instruction_timestamp
    BEFORE UPDATE ON "WorkInstruction"
    FOR EACH ROW EXECUTE FUNCTION update_timestamp();
CREATE TRIGGER update_system_setting_timestamp
    BEFORE UPDATE ON "SystemSetting"
    FOR EACH ROW EXECUTE FUNCTION update_timestamp();
CREATE TRIGGER update_login_throttle_timestamp
    BEFORE UPDATE ON "LoginThrottle"
    FOR EACH ROW EXECUTE FUNCTION update_timestamp();

------------------------------------------------------------------------------------------------------
-- Audit trail
------------------------------------------------------------------------------------------------------

-- Write transactions name their actor with set_config('app.current_user_id', ..., true) and
-- set_config('app.user_agent', ..., true). The design's CURRENT_SETTING('app.current_user_id') fails
-- when the setting is absent; here an absent, empty or malformed actor is recorded as NULL instead, so
-- system writes (migrations, imports, failed logins) are still audited and never fail because of it.
-- Password hashes and session tokens are removed from the row images: the audit log is kept for a
-- long time and read by administrators, and must not become a store of credentials.
CREATE OR REPLACE FUNCTION audit_trigger()
RETURNS TRIGGER
LANGUAGE plpgsql AS $$
DECLARE
    v_actor   text := NULLIF(btrim(current_setting('app.current_user_id', true)), '');
    v_user_id uuid;
    v_agent   text := NULLIF(current_setting('app.user_agent', true), '');
    c_secrets CONSTANT text[] := ARRAY['passwordHash', 'token'];
BEGIN
    IF v_actor ~* '^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$' THEN
        v_user_id := v_actor::uuid;
    END IF;

    IF TG_OP = 'UPDATE' THEN
        INSERT INTO "AuditLog" (
            "userId", "action", "entityType", "entityId",
            "oldValues", "newValues", "ipAddress", "userAgent", "timestamp"
        ) VALUES (
            v_user_id, 'UPDATE', TG_TABLE_NAME, NEW.id::text,
            to_jsonb(OLD) - c_secrets, to_jsonb(NEW) - c_secrets,
            inet_client_addr(), v_agent, CURRENT_TIMESTAMP
        );
        RETURN NEW;
    ELSIF TG_OP = 'INSERT' THEN
        INSERT INTO "AuditLog" (
            "userId", "action", "entityType", "entityId",
            "newValues", "ipAddress", "userAgent", "timestamp"
        ) VALUES (
            v_user_id, 'INSERT', TG_TABLE_NAME, NEW.id::text,
            to_jsonb(NEW) - c_secrets,
            inet_client_addr(), v_agent, CURRENT_TIMESTAMP
        );
        RETURN NEW;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO "AuditLog" (
            "userId", "action", "entityType", "entityId",
            "oldValues", "ipAddress", "userAgent", "timestamp"
        ) VALUES (
            v_user_id, 'DELETE', TG_TABLE_NAME, OLD.id::text,
            to_jsonb(OLD) - c_secrets,
            inet_client_addr(), v_agent, CURRENT_TIMESTAMP
        );
        RETURN OLD;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER audit_user
    AFTER INSERT OR UPDATE OR DELETE ON "User"
    FOR EACH ROW EXECUTE FUNCTION audit_trigger();
-- Sessions: creation and end only. Every request touches "lastUsedAt", and auditing those updates
-- would flood the log without recording anything a person did.
CREATE TRIGGER audit_user_session
    AFTER INSERT OR DELETE ON "UserSession"
    FOR EACH ROW EXECUTE FUNCTION audit_trigger();
CREATE TRIGGER audit_login_throttle
    AFTER INSERT OR UPDATE OR DELETE ON "LoginThrottle"
    FOR EACH ROW EXECUTE FUNCTION audit_trigger();
CREATE TRIGGER audit_production_order
    AFTER INSERT OR UPDATE OR DELETE ON "ProductionOrder"
    FOR EACH ROW EXECUTE FUNCTION audit_trigger();
CREATE TRIGGER audit_basin_configuration
    AFTER INSERT OR UPDATE OR DELETE ON "BasinConfiguration"
    FOR EACH ROW EXECUTE FUNCTION audit_trigger();
CREATE TRIGGER audit_faucet_configuration
    AFTER INSERT OR UPDATE OR DELETE ON "FaucetConfiguration"
    FOR EACH ROW EXECUTE FUNCTION audit_trigger();
CREATE TRIGGER audit_sprayer_configuration
    AFTER INSERT OR UPDATE OR DELETE ON "SprayerConfiguration"
    FOR EACH ROW EXECUTE FUNCTION audit_trigger();
CREATE TRIGGER audit_order_accessory
    AFTER INSERT OR UPDATE OR DELETE ON "OrderAccessory"
    FOR EACH ROW EXECUTE FUNCTION audit_trigger();
CREATE TRIGGER audit_order_status_history
    AFTER INSERT OR UPDATE OR DELETE ON "OrderStatusHistory"
    FOR EACH ROW EXECUTE FUNCTION audit_trigger();
CREATE TRIGGER audit_part
    AFTER INSERT OR UPDATE OR DELETE ON "Part"
    FOR EACH ROW EXECUTE FUNCTION audit_trigger();
CREATE TRIGGER audit_assembly
    AFTER INSERT OR UPDATE OR DELETE ON "Assembly"
    FOR EACH ROW EXECUTE FUNCTION audit_trigger();
CREATE TRIGGER audit_assembly_component
    AFTER INSERT OR UPDATE OR DELETE ON "AssemblyComponent"
    FOR EACH ROW EXECUTE FUNCTION audit_trigger();
CREATE TRIGGER audit_category
    AFTER INSERT OR UPDATE OR DELETE ON "Category"
    FOR EACH ROW EXECUTE FUNCTION audit_trigger();
CREATE TRIGGER audit_work_instruction
    AFTER INSERT OR UPDATE OR DELETE ON "WorkInstruction"
    FOR EACH ROW EXECUTE FUNCTION audit_trigger();
CREATE TRIGGER audit_work_instruction_step
    AFTER INSERT OR UPDATE OR DELETE ON "WorkInstructionStep"
    FOR EACH ROW EXECUTE FUNCTION audit_trigger();
CREATE TRIGGER audit_tool
    AFTER INSERT OR UPDATE OR DELETE ON "Tool"
    FOR EACH ROW EXECUTE FUNCTION audit_trigger();
CREATE TRIGGER audit_bill_of_materials
    AFTER INSERT OR UPDATE OR DELETE ON "BillOfMaterials"
    FOR EACH ROW EXECUTE FUNCTION audit_trigger();
CREATE TRIGGER audit_bom_item
    AFTER INSERT OR UPDATE OR DELETE ON "BOMItem"
    FOR EACH ROW EXECUTE FUNCTION audit_trigger();
CREATE TRIGGER audit_qc_form_template
    AFTER INSERT OR UPDATE OR DELETE ON "QCFormTemplate"
    FOR EACH ROW EXECUTE FUNCTION audit_trigger();
CREATE TRIGGER audit_qc_checklist_item
    AFTER INSERT OR UPDATE OR DELETE ON "QCChecklistItem"
    FOR EACH ROW EXECUTE FUNCTION audit_trigger();
CREATE TRIGGER audit_qc_result
    AFTER INSERT OR UPDATE OR DELETE ON "QCResult"
    FOR EACH ROW EXECUTE FUNCTION audit_trigger();
CREATE TRIGGER audit_qc_item_result
    AFTER INSERT OR UPDATE OR DELETE ON "QCItemResult"
    FOR EACH ROW EXECUTE FUNCTION audit_trigger();
CREATE TRIGGER audit_task_list
    AFTER INSERT OR UPDATE OR DELETE ON "TaskList"
    FOR EACH ROW EXECUTE FUNCTION audit_trigger();
CREATE TRIGGER audit_task
    AFTER INSERT OR UPDATE OR DELETE ON "Task"
    FOR EACH ROW EXECUTE FUNCTION audit_trigger();
CREATE TRIGGER audit_task_tool
    AFTER INSERT OR UPDATE OR DELETE ON "TaskTool"
    FOR EACH ROW EXECUTE FUNCTION audit_trigger();
CREATE TRIGGER audit_task_part
    AFTER INSERT OR UPDATE OR DELETE ON "TaskPart"
    FOR EACH ROW EXECUTE FUNCTION audit_trigger();
CREATE TRIGGER audit_testing_form
    AFTER INSERT OR UPDATE OR DELETE ON "TestingForm"
    FOR EACH ROW EXECUTE FUNCTION audit_trigger();
CREATE TRIGGER audit_test_result
    AFTER INSERT OR UPDATE OR DELETE ON "TestResult"
    FOR EACH ROW EXECUTE FUNCTION audit_trigger();
CREATE TRIGGER audit_packaging_checklist
    AFTER INSERT OR UPDATE OR DELETE ON "PackagingChecklist"
    FOR EACH ROW EXECUTE FUNCTION audit_trigger();
CREATE TRIGGER audit_packaging_item
    AFTER INSERT OR UPDATE OR DELETE ON "PackagingItem"
    FOR EACH ROW EXECUTE FUNCTION audit_trigger();
CREATE TRIGGER audit_service_order
    AFTER INSERT OR UPDATE OR DELETE ON "ServiceOrder"
    FOR EACH ROW EXECUTE FUNCTION audit_trigger();
CREATE TRIGGER audit_service_order_item
    AFTER INSERT OR UPDATE OR DELETE ON "ServiceOrderItem"
    FOR EACH ROW EXECUTE FUNCTION audit_trigger();
CREATE TRIGGER audit_document
    AFTER INSERT OR UPDATE OR DELETE ON "Document"
    FOR EACH ROW EXECUTE FUNCTION audit_trigger();
CREATE TRIGGER audit_order_document
    AFTER INSERT OR UPDATE OR DELETE ON "OrderDocument"
    FOR EACH ROW EXECUTE FUNCTION audit_trigger();
CREATE TRIGGER audit_system_notification
    AFTER INSERT OR UPDATE OR DELETE ON "SystemNotification"
    FOR EACH ROW EXECUTE FUNCTION audit_trigger();
CREATE TRIGGER audit_system_setting
    AFTER INSERT OR UPDATE OR DELETE ON "SystemSetting"
    FOR EACH ROW EXECUTE FUNCTION audit_trigger();
-- "AuditLog" itself is not audited.

------------------------------------------------------------------------------------------------------
-- AuditLog immutability
------------------------------------------------------------------------------------------------------

-- Audit rows are never changed, and deleted only once older than the retention period
-- (setting 'audit.retentionDays', 365 days when missing), which is what the cleanup below does.
CREATE OR REPLACE FUNCTION auditlog_guard()
RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD."timestamp" < LOCALTIMESTAMP
                             - make_interval(days => setting_integer('audit.retentionDays', 365)) THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'AuditLog rows cannot be deleted before the retention period ends';
    ELSIF TG_OP = 'TRUNCATE' THEN
        RAISE EXCEPTION 'AuditLog cannot be truncated';
    END IF;
    RAISE EXCEPTION 'AuditLog rows cannot be changed';
END;
$$;

CREATE TRIGGER auditlog_immutable
    BEFORE UPDATE OR DELETE ON "AuditLog"
    FOR EACH ROW EXECUTE FUNCTION auditlog_guard();

CREATE TRIGGER auditlog_no_truncate
    BEFORE TRUNCATE ON "AuditLog"
    FOR EACH STATEMENT EXECUTE FUNCTION auditlog_guard();

------------------------------------------------------------------------------------------------------
-- Retention cleanups
------------------------------------------------------------------------------------------------------

-- The retention period is a setting rather than the design's fixed year, and uses the same cut-off as
-- the guard above so every row this selects is one the guard lets go. Returns the number deleted.
CREATE OR REPLACE FUNCTION cleanup_old_audit_logs()
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    v_deleted integer;
BEGIN
    DELETE FROM "AuditLog"
     WHERE "timestamp" < LOCALTIMESTAMP
                         - make_interval(days => setting_integer('audit.retentionDays', 365));
    GET DIAGNOSTICS v_deleted = ROW_COUNT;
    RETURN v_deleted;
END;
$$;

-- Read notifications are kept 30 days (setting 'notifications.retentionDays').
CREATE OR REPLACE FUNCTION cleanup_old_notifications()
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM "SystemNotification"
     WHERE "isRead" = true
       AND "readAt" < CURRENT_TIMESTAMP
                      - make_interval(days => setting_integer('notifications.retentionDays', 30));
END;
$$;

------------------------------------------------------------------------------------------------------
-- Order status notifications
------------------------------------------------------------------------------------------------------

-- Tells the active users of the role that acts next. Role and notification type are enums, so the
-- literals are cast (an untyped CASE would yield text, which does not compare with "UserRole"), and the
-- status is cast to text for the message.
CREATE OR REPLACE FUNCTION notify_order_status_change()
RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
    -- A NULL status would make the message NULL and fail the update; there is nobody to tell then.
    IF OLD."orderStatus" IS DISTINCT FROM NEW."orderStatus" AND NEW."orderStatus" IS NOT NULL THEN
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

CREATE TRIGGER order_status_notification
    AFTER UPDATE ON "ProductionOrder"
    FOR EACH ROW EXECUTE FUNCTION notify_order_status_change();
