-- The audit trail on screen (docs/audit.md §6): a build's history is read newest first, a page at a
-- time, from the audit rows whose image names the build ("orderId") or a record of the build (the
-- parent keys below). AuditLog rows are immutable and hashed into the chain, so nothing is added to
-- them: these are indexes only. A child table linked through a parent (domain::audit_trail::
-- BUILD_RECORDS) gets its index here in a later migration.

CREATE INDEX idx_audit_order_seq ON "AuditLog"
    ((COALESCE("newValues", "oldValues") ->> 'orderId'), "seq" DESC)
    WHERE (COALESCE("newValues", "oldValues") ->> 'orderId') IS NOT NULL;

CREATE INDEX idx_audit_bom_item_seq ON "AuditLog"
    ((COALESCE("newValues", "oldValues") ->> 'bomId'), "seq" DESC)
    WHERE "entityType" = 'BOMItem';

CREATE INDEX idx_audit_qc_item_result_seq ON "AuditLog"
    ((COALESCE("newValues", "oldValues") ->> 'qcResultId'), "seq" DESC)
    WHERE "entityType" = 'QCItemResult';

CREATE INDEX idx_audit_task_seq ON "AuditLog"
    ((COALESCE("newValues", "oldValues") ->> 'taskListId'), "seq" DESC)
    WHERE "entityType" = 'Task';

CREATE INDEX idx_audit_test_result_seq ON "AuditLog"
    ((COALESCE("newValues", "oldValues") ->> 'testingFormId'), "seq" DESC)
    WHERE "entityType" = 'TestResult';

CREATE INDEX idx_audit_packaging_item_seq ON "AuditLog"
    ((COALESCE("newValues", "oldValues") ->> 'packagingChecklistId'), "seq" DESC)
    WHERE "entityType" = 'PackagingItem';

-- The administrator's audit log filtered by a record's id alone, newest first.
CREATE INDEX idx_audit_entity_id_seq ON "AuditLog" ("entityId", "seq" DESC);
