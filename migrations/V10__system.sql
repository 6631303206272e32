-- Audit log, notifications and system settings.

CREATE TABLE "AuditLog" (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    "userId"        UUID,
    "action"        VARCHAR(100) NOT NULL,
    "entityType"    VARCHAR(50) NOT NULL,
    "entityId"      VARCHAR(100) NOT NULL,
    "oldValues"     JSONB,
    "newValues"     JSONB,
    "ipAddress"     INET,
    "userAgent"     TEXT,
    "timestamp"     TIMESTAMP DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT fk_audit_log_user FOREIGN KEY ("userId") REFERENCES "User" (id)
);

CREATE INDEX idx_audit_user ON "AuditLog" ("userId");
CREATE INDEX idx_audit_entity ON "AuditLog" ("entityType", "entityId");
CREATE INDEX idx_audit_timestamp ON "AuditLog" ("timestamp");
CREATE INDEX idx_audit_action ON "AuditLog" ("action");
CREATE INDEX idx_audit_entity_timestamp ON "AuditLog" ("entityType", "entityId", "timestamp" DESC);

CREATE TABLE "SystemNotification" (
    id                   UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    "userId"             UUID NOT NULL,
    "title"              VARCHAR(200) NOT NULL,
    "message"            TEXT NOT NULL,
    "type"               "NotificationType" NOT NULL,
    "isRead"             BOOLEAN DEFAULT false,
    "relatedEntityType"  VARCHAR(50),
    "relatedEntityId"    VARCHAR(100),
    "createdAt"          TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    "readAt"             TIMESTAMP,

    CONSTRAINT fk_system_notification_user FOREIGN KEY ("userId") REFERENCES "User" (id),
    CONSTRAINT chk_notification_entity_consistency CHECK (
        ("relatedEntityType" IS NULL AND "relatedEntityId" IS NULL) OR
        ("relatedEntityType" IS NOT NULL AND "relatedEntityId" IS NOT NULL)
    )
);

CREATE INDEX idx_notification_user ON "SystemNotification" ("userId");
CREATE INDEX idx_notification_read ON "SystemNotification" ("isRead");
CREATE INDEX idx_notification_type ON "SystemNotification" ("type");
CREATE INDEX idx_notification_created ON "SystemNotification" ("createdAt");
CREATE INDEX idx_notification_user_unread ON "SystemNotification" ("userId", "isRead", "createdAt" DESC);
CREATE INDEX idx_notification_unread ON "SystemNotification" ("userId", "createdAt" DESC) WHERE "isRead" = false;

CREATE TABLE "SystemSetting" (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    "settingKey"    VARCHAR(100) UNIQUE NOT NULL,
    "settingValue"  TEXT NOT NULL,
    "description"   TEXT,
    "dataType"      "SettingDataType" NOT NULL,
    "isEditable"    BOOLEAN DEFAULT true,
    "updatedBy"     UUID,
    "updatedAt"     TIMESTAMP DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT fk_system_setting_user FOREIGN KEY ("updatedBy") REFERENCES "User" (id)
);

CREATE INDEX idx_setting_key ON "SystemSetting" ("settingKey");
CREATE INDEX idx_setting_editable ON "SystemSetting" ("isEditable");

-- Retention periods read by the cleanup functions (and, for the audit log, by its delete guard).
INSERT INTO "SystemSetting" ("settingKey", "settingValue", "description", "dataType", "isEditable") VALUES
    ('audit.retentionDays', '365',
     'Days AuditLog rows are kept before the cleanup may delete them', 'INTEGER', true),
    ('notifications.retentionDays', '30',
     'Days a read notification is kept before the cleanup deletes it', 'INTEGER', true);
