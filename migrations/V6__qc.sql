-- Quality control: checklist templates and their items, QC results and per-item results.

CREATE TABLE "QCFormTemplate" (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    "formName"      VARCHAR(100) NOT NULL,
    "formType"      "QCFormType" NOT NULL,
    "version"       INTEGER NOT NULL DEFAULT 1,
    "description"   TEXT,
    "isActive"      BOOLEAN DEFAULT true,
    "createdAt"     TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    "updatedAt"     TIMESTAMP DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT uk_qc_template_name_version UNIQUE ("formName", "version")
);

CREATE INDEX idx_qc_template_type ON "QCFormTemplate" ("formType");
CREATE INDEX idx_qc_template_active ON "QCFormTemplate" ("isActive");

CREATE TABLE "QCChecklistItem" (
    id                  UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    "templateId"        UUID NOT NULL,
    "section"           VARCHAR(100) NOT NULL,
    "itemDescription"   TEXT NOT NULL,
    "checkType"         "QCCheckType" NOT NULL,
    "isBasinSpecific"   BOOLEAN DEFAULT false,
    "isRequired"        BOOLEAN DEFAULT true,
    "defaultValue"      VARCHAR(100),
    "notesPrompt"       BOOLEAN DEFAULT false,
    "sequenceOrder"     INTEGER NOT NULL,
    -- Added: the checklist data also carries options, unit, min/max tolerances, the appliesWhen condition
    -- and similar keys that have no column of their own.
    "rules"             JSONB,

    CONSTRAINT fk_qc_checklist_item_qc_form_template
        FOREIGN KEY ("templateId") REFERENCES "QCFormTemplate" (id) ON DELETE CASCADE,
    CONSTRAINT uk_qc_item_template_sequence UNIQUE ("templateId", "sequenceOrder")
);

CREATE INDEX idx_qc_item_template ON "QCChecklistItem" ("templateId");
CREATE INDEX idx_qc_item_section ON "QCChecklistItem" ("section");
CREATE INDEX idx_qc_item_sequence ON "QCChecklistItem" ("sequenceOrder");

CREATE TABLE "QCResult" (
    id                  UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    "orderId"           UUID NOT NULL,
    "buildNumber"       VARCHAR(50) NOT NULL,
    "templateId"        UUID NOT NULL,
    "qcTypePerformed"   "QCFormType" NOT NULL,
    "performedBy"       UUID NOT NULL,
    "jobId"             VARCHAR(50),
    "numberOfBasins"    INTEGER,
    "overallStatus"     "QCResultStatus" NOT NULL,
    "digitalSignature"  VARCHAR(200) NOT NULL,
    "timestamp"         TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    "notes"             TEXT,

    CONSTRAINT fk_qc_result_production_order
        FOREIGN KEY ("orderId") REFERENCES "ProductionOrder" (id) ON DELETE CASCADE,
    CONSTRAINT fk_qc_result_qc_form_template FOREIGN KEY ("templateId") REFERENCES "QCFormTemplate" (id),
    CONSTRAINT fk_qc_result_user FOREIGN KEY ("performedBy") REFERENCES "User" (id)
);

CREATE INDEX idx_qc_result_order ON "QCResult" ("orderId");
CREATE INDEX idx_qc_result_template ON "QCResult" ("templateId");
CREATE INDEX idx_qc_result_performer ON "QCResult" ("performedBy");
CREATE INDEX idx_qc_result_status ON "QCResult" ("overallStatus");
CREATE INDEX idx_qc_result_timestamp ON "QCResult" ("timestamp");
CREATE INDEX idx_qc_result_order_type ON "QCResult" ("orderId", "qcTypePerformed");

CREATE TABLE "QCItemResult" (
    id                  UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    "qcResultId"        UUID NOT NULL,
    "checklistItemId"   UUID NOT NULL,
    "resultValue"       TEXT,
    "isNA"              BOOLEAN DEFAULT false,
    "notes"             TEXT,
    "basinIndex"        INTEGER,

    CONSTRAINT fk_qc_item_result_qc_result
        FOREIGN KEY ("qcResultId") REFERENCES "QCResult" (id) ON DELETE CASCADE,
    CONSTRAINT fk_qc_item_result_qc_checklist_item
        FOREIGN KEY ("checklistItemId") REFERENCES "QCChecklistItem" (id),
    -- NULLS NOT DISTINCT: items that are not per basin have a NULL "basinIndex" and must still be
    -- recorded only once per result (plain UNIQUE would let them repeat).
    CONSTRAINT uk_qc_item_result UNIQUE NULLS NOT DISTINCT ("qcResultId", "checklistItemId", "basinIndex")
);

CREATE INDEX idx_qc_item_result_qc ON "QCItemResult" ("qcResultId");
CREATE INDEX idx_qc_item_result_item ON "QCItemResult" ("checklistItemId");
CREATE INDEX idx_qc_item_result_composite ON "QCItemResult" ("qcResultId", "checklistItemId");
