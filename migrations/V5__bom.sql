-- Bills of materials: one version per generation, and their lines.

CREATE TABLE "BillOfMaterials" (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    "orderId"       UUID NOT NULL,
    "version"       INTEGER NOT NULL DEFAULT 1,
    "generatedAt"   TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    "generatedBy"   UUID NOT NULL,
    "status"        "BOMStatus" DEFAULT 'DRAFT',
    "notes"         TEXT,

    CONSTRAINT fk_bill_of_materials_production_order
        FOREIGN KEY ("orderId") REFERENCES "ProductionOrder" (id) ON DELETE CASCADE,
    CONSTRAINT fk_bill_of_materials_user FOREIGN KEY ("generatedBy") REFERENCES "User" (id),
    CONSTRAINT uk_bom_order_version UNIQUE ("orderId", "version")
);

CREATE INDEX idx_bom_order ON "BillOfMaterials" ("orderId");
CREATE INDEX idx_bom_status ON "BillOfMaterials" ("status");
CREATE INDEX idx_bom_generated_at ON "BillOfMaterials" ("generatedAt");

-- Added here rather than with "ProductionOrder": the referenced table only exists from this point.
ALTER TABLE "ProductionOrder"
    ADD CONSTRAINT fk_order_bom
    FOREIGN KEY ("bomId") REFERENCES "BillOfMaterials" (id);

CREATE TABLE "BOMItem" (
    id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    "bomId"          UUID NOT NULL,
    "itemType"       "ComponentType" NOT NULL,
    "itemId"         VARCHAR(50) NOT NULL,
    "parentItemId"   UUID,
    "quantity"       DECIMAL(10,3) NOT NULL,
    "level"          INTEGER NOT NULL DEFAULT 0,
    "sequenceOrder"  INTEGER,
    "notes"          TEXT,
    "isCustomPart"   BOOLEAN DEFAULT false,
    "customPartSpec" JSONB,

    CONSTRAINT fk_bom_item_bill_of_materials
        FOREIGN KEY ("bomId") REFERENCES "BillOfMaterials" (id) ON DELETE CASCADE,
    CONSTRAINT fk_bom_item_bom_item FOREIGN KEY ("parentItemId") REFERENCES "BOMItem" (id),
    CONSTRAINT chk_bom_quantity CHECK ("quantity" > 0)
    -- The design's chk_bom_quantity_positive is the same rule as chk_bom_quantity; not created twice.
);

CREATE INDEX idx_bom_item_bom ON "BOMItem" ("bomId");
CREATE INDEX idx_bom_item_parent ON "BOMItem" ("parentItemId");
CREATE INDEX idx_bom_item_level ON "BOMItem" ("level");
CREATE INDEX idx_bom_item_sequence ON "BOMItem" ("sequenceOrder");
CREATE INDEX idx_bom_item_type_id ON "BOMItem" ("itemType", "itemId");
CREATE INDEX idx_bom_item_hierarchy ON "BOMItem" ("bomId", "level", "parentItemId");
CREATE INDEX idx_bom_item_type_parent ON "BOMItem" ("itemType", "itemId", "parentItemId");
