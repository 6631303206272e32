-- Catalog: parts, assemblies and their components, categories, work instructions and tools.

CREATE TABLE "Part" (
    id                       VARCHAR(50) PRIMARY KEY,
    "name"                   VARCHAR(200) NOT NULL,
    "manufacturerPartNumber" VARCHAR(100),
    "manufacturerInfo"       VARCHAR(200),
    "type"                   "PartType" NOT NULL,
    "status"                 "EntityStatus" DEFAULT 'ACTIVE',
    "photoUrl"               VARCHAR(500),
    "technicalDrawingUrl"    VARCHAR(500),
    "description"            TEXT,
    "createdAt"              TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    "updatedAt"              TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX idx_part_name ON "Part" ("name");
CREATE INDEX idx_part_status ON "Part" ("status");
CREATE INDEX idx_part_type ON "Part" ("type");
CREATE INDEX idx_part_manufacturer ON "Part" ("manufacturerPartNumber");
CREATE INDEX idx_part_active_name ON "Part" ("name") WHERE "status" = 'ACTIVE';

-- "workInstructionId" gets its foreign key once "WorkInstruction" exists (below): the two tables
-- reference each other, so one of the two constraints has to be added afterwards.
CREATE TABLE "Assembly" (
    id                    VARCHAR(50) PRIMARY KEY,
    "name"                VARCHAR(200) NOT NULL,
    "type"                "AssemblyType" NOT NULL,
    "categoryCode"        VARCHAR(20),
    "subcategoryCode"     VARCHAR(20),
    "canOrder"            BOOLEAN DEFAULT true,
    "isKit"               BOOLEAN DEFAULT false,
    "status"              "EntityStatus" DEFAULT 'ACTIVE',
    "photoUrl"            VARCHAR(500),
    "technicalDrawingUrl" VARCHAR(500),
    "description"         TEXT,
    "qrData"              VARCHAR(200),
    "kitComponents"       JSONB,
    "workInstructionId"   UUID,
    "createdAt"           TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    "updatedAt"           TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX idx_assembly_name ON "Assembly" ("name");
CREATE INDEX idx_assembly_type ON "Assembly" ("type");
CREATE INDEX idx_assembly_status ON "Assembly" ("status");
CREATE INDEX idx_assembly_category ON "Assembly" ("categoryCode");
CREATE INDEX idx_assembly_subcategory ON "Assembly" ("subcategoryCode");
CREATE INDEX idx_assembly_can_order ON "Assembly" ("canOrder");
CREATE INDEX idx_assembly_active_type ON "Assembly" ("type") WHERE "status" = 'ACTIVE';

CREATE TABLE "AssemblyComponent" (
    id                  UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    "parentAssemblyId"  VARCHAR(50) NOT NULL,
    "childType"         "ComponentType" NOT NULL,
    "childId"           VARCHAR(50) NOT NULL,
    "quantity"          INTEGER NOT NULL DEFAULT 1,
    "notes"             TEXT,
    "sequenceOrder"     INTEGER,
    "createdAt"         TIMESTAMP DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT fk_assembly_component_assembly
        FOREIGN KEY ("parentAssemblyId") REFERENCES "Assembly" (id) ON DELETE CASCADE,
    CONSTRAINT chk_component_quantity CHECK ("quantity" > 0)
);

CREATE INDEX idx_component_parent ON "AssemblyComponent" ("parentAssemblyId");
CREATE INDEX idx_component_child ON "AssemblyComponent" ("childId");
CREATE INDEX idx_component_sequence ON "AssemblyComponent" ("sequenceOrder");

CREATE TABLE "Category" (
    id             VARCHAR(20) PRIMARY KEY,
    "name"         VARCHAR(100) NOT NULL,
    "description"  TEXT,
    "parentId"     VARCHAR(20),
    "level"        INTEGER NOT NULL DEFAULT 0,
    "createdAt"    TIMESTAMP DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT fk_category_category FOREIGN KEY ("parentId") REFERENCES "Category" (id)
);

CREATE INDEX idx_category_parent ON "Category" ("parentId");
CREATE INDEX idx_category_level ON "Category" ("level");

CREATE TABLE "WorkInstruction" (
    id                      UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    "title"                 VARCHAR(200) NOT NULL,
    "description"           TEXT,
    "associatedAssemblyId"  VARCHAR(50),
    "isGeneric"             BOOLEAN DEFAULT false,
    "version"               INTEGER NOT NULL DEFAULT 1,
    "isActive"              BOOLEAN DEFAULT true,
    "createdAt"             TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    "updatedAt"             TIMESTAMP DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT fk_work_instruction_assembly
        FOREIGN KEY ("associatedAssemblyId") REFERENCES "Assembly" (id)
);

-- Now that "WorkInstruction" exists, "Assembly" can reference it.
ALTER TABLE "Assembly"
    ADD CONSTRAINT fk_assembly_work_instruction
    FOREIGN KEY ("workInstructionId") REFERENCES "WorkInstruction" (id);

CREATE INDEX idx_work_instruction_assembly ON "WorkInstruction" ("associatedAssemblyId");
CREATE INDEX idx_work_instruction_active ON "WorkInstruction" ("isActive");

CREATE TABLE "WorkInstructionStep" (
    id                   UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    "workInstructionId"  UUID NOT NULL,
    "stepNumber"         INTEGER NOT NULL,
    "description"        TEXT NOT NULL,
    "visualUrl"          VARCHAR(500),
    "safetyNotes"        TEXT,
    "estimatedTime"      INTEGER, -- minutes

    CONSTRAINT fk_work_instruction_step_work_instruction
        FOREIGN KEY ("workInstructionId") REFERENCES "WorkInstruction" (id) ON DELETE CASCADE,
    CONSTRAINT uk_step_instruction_number UNIQUE ("workInstructionId", "stepNumber"),
    CONSTRAINT chk_step_number CHECK ("stepNumber" > 0)
);

CREATE INDEX idx_step_instruction ON "WorkInstructionStep" ("workInstructionId");
CREATE INDEX idx_step_number ON "WorkInstructionStep" ("stepNumber");

CREATE TABLE "Tool" (
    id             UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    "name"         VARCHAR(100) NOT NULL,
    "description"  TEXT,
    "imageUrl"     VARCHAR(500),
    "category"     VARCHAR(50),
    "isActive"     BOOLEAN DEFAULT true,
    "createdAt"    TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX idx_tool_name ON "Tool" ("name");
CREATE INDEX idx_tool_category ON "Tool" ("category");
CREATE INDEX idx_tool_active ON "Tool" ("isActive");
