-- Shop-floor records: assembly task lists and tasks, end-of-line testing, packaging.

CREATE TABLE "TaskList" (
    id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    "orderId"        UUID NOT NULL,
    "assemblyType"   VARCHAR(50) NOT NULL,
    "generatedAt"    TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    "isActive"       BOOLEAN DEFAULT true,

    CONSTRAINT fk_task_list_production_order
        FOREIGN KEY ("orderId") REFERENCES "ProductionOrder" (id) ON DELETE CASCADE
);

CREATE INDEX idx_task_list_order ON "TaskList" ("orderId");
CREATE INDEX idx_task_list_assembly_type ON "TaskList" ("assemblyType");

CREATE TABLE "Task" (
    id                          UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    "taskListId"                UUID NOT NULL,
    "sequenceOrder"             INTEGER NOT NULL,
    "description"               TEXT NOT NULL,
    "workInstructionId"         UUID,
    "productionChecklistItemId" UUID,
    "estimatedTime"             INTEGER, -- minutes
    "isCompleted"               BOOLEAN DEFAULT false,
    "completedAt"               TIMESTAMP,
    "completedBy"               UUID,
    "notes"                     TEXT,

    CONSTRAINT fk_task_task_list FOREIGN KEY ("taskListId") REFERENCES "TaskList" (id) ON DELETE CASCADE,
    CONSTRAINT fk_task_work_instruction FOREIGN KEY ("workInstructionId") REFERENCES "WorkInstruction" (id),
    CONSTRAINT fk_task_qc_checklist_item
        FOREIGN KEY ("productionChecklistItemId") REFERENCES "QCChecklistItem" (id),
    CONSTRAINT fk_task_user FOREIGN KEY ("completedBy") REFERENCES "User" (id),
    CONSTRAINT uk_task_sequence UNIQUE ("taskListId", "sequenceOrder"),
    CONSTRAINT chk_task_sequence CHECK ("sequenceOrder" > 0)
);

CREATE INDEX idx_task_list ON "Task" ("taskListId");
CREATE INDEX idx_task_sequence ON "Task" ("sequenceOrder");
CREATE INDEX idx_task_completed ON "Task" ("isCompleted");
CREATE INDEX idx_task_work_instruction ON "Task" ("workInstructionId");
CREATE INDEX idx_task_order_completion ON "Task" ("taskListId", "isCompleted", "sequenceOrder");

CREATE TABLE "TaskTool" (
    id            UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    "taskId"      UUID NOT NULL,
    "toolId"      UUID NOT NULL,
    "isRequired"  BOOLEAN DEFAULT true,

    CONSTRAINT fk_task_tool_task FOREIGN KEY ("taskId") REFERENCES "Task" (id) ON DELETE CASCADE,
    CONSTRAINT fk_task_tool_tool FOREIGN KEY ("toolId") REFERENCES "Tool" (id),
    CONSTRAINT uk_task_tool UNIQUE ("taskId", "toolId")
);

CREATE INDEX idx_task_tool_task ON "TaskTool" ("taskId");
CREATE INDEX idx_task_tool_tool ON "TaskTool" ("toolId");

CREATE TABLE "TaskPart" (
    id            UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    "taskId"      UUID NOT NULL,
    "partType"    "ComponentType" NOT NULL,
    "partId"      VARCHAR(50) NOT NULL,
    "quantity"    DECIMAL(10,3) NOT NULL,

    CONSTRAINT fk_task_part_task FOREIGN KEY ("taskId") REFERENCES "Task" (id) ON DELETE CASCADE,
    CONSTRAINT uk_task_part UNIQUE ("taskId", "partType", "partId"),
    CONSTRAINT chk_task_part_quantity CHECK ("quantity" > 0)
    -- The design's chk_task_part_quantity_positive is the same rule as chk_task_part_quantity; not created twice.
);

CREATE INDEX idx_task_part_task ON "TaskPart" ("taskId");
CREATE INDEX idx_task_part_part ON "TaskPart" ("partType", "partId");

CREATE TABLE "TestingForm" (
    id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    "orderId"        UUID NOT NULL,
    "performedBy"    UUID NOT NULL,
    "overallStatus"  "TestingStatus" NOT NULL,
    "timestamp"      TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    "notes"          TEXT,

    CONSTRAINT fk_testing_form_production_order
        FOREIGN KEY ("orderId") REFERENCES "ProductionOrder" (id) ON DELETE CASCADE,
    CONSTRAINT fk_testing_form_user FOREIGN KEY ("performedBy") REFERENCES "User" (id)
);

CREATE INDEX idx_testing_order ON "TestingForm" ("orderId");
CREATE INDEX idx_testing_performer ON "TestingForm" ("performedBy");
CREATE INDEX idx_testing_status ON "TestingForm" ("overallStatus");

CREATE TABLE "TestResult" (
    id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    "testingFormId"  UUID NOT NULL,
    "testName"       VARCHAR(100) NOT NULL,
    "testType"       "TestType" NOT NULL,
    "result"         "TestResultStatus" NOT NULL,
    "measurements"   TEXT,
    "notes"          TEXT,
    "sequenceOrder"  INTEGER,

    CONSTRAINT fk_test_result_testing_form
        FOREIGN KEY ("testingFormId") REFERENCES "TestingForm" (id) ON DELETE CASCADE
);

CREATE INDEX idx_test_result_form ON "TestResult" ("testingFormId");
CREATE INDEX idx_test_result_type ON "TestResult" ("testType");
CREATE INDEX idx_test_result_status ON "TestResult" ("result");

CREATE TABLE "PackagingChecklist" (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    "orderId"       UUID NOT NULL,
    "performedBy"   UUID NOT NULL,
    "isCompleted"   BOOLEAN DEFAULT false,
    "completedAt"   TIMESTAMP,
    "notes"         TEXT,

    CONSTRAINT fk_packaging_checklist_production_order
        FOREIGN KEY ("orderId") REFERENCES "ProductionOrder" (id) ON DELETE CASCADE,
    CONSTRAINT fk_packaging_checklist_user FOREIGN KEY ("performedBy") REFERENCES "User" (id)
);

CREATE INDEX idx_packaging_order ON "PackagingChecklist" ("orderId");
CREATE INDEX idx_packaging_performer ON "PackagingChecklist" ("performedBy");

CREATE TABLE "PackagingItem" (
    id                      UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    "packagingChecklistId"  UUID NOT NULL,
    "itemType"              "ComponentType" NOT NULL,
    "itemId"                VARCHAR(50) NOT NULL,
    "requiredQuantity"      INTEGER NOT NULL,
    "packedQuantity"        INTEGER DEFAULT 0,
    "isComplete"            BOOLEAN DEFAULT false,
    "notes"                 TEXT,

    CONSTRAINT fk_packaging_item_packaging_checklist
        FOREIGN KEY ("packagingChecklistId") REFERENCES "PackagingChecklist" (id) ON DELETE CASCADE,
    CONSTRAINT chk_packaging_quantities CHECK (
        "packedQuantity" >= 0 AND
        "packedQuantity" <= "requiredQuantity"
    )
);

CREATE INDEX idx_packaging_item_checklist ON "PackagingItem" ("packagingChecklistId");
CREATE INDEX idx_packaging_item_complete ON "PackagingItem" ("isComplete");
