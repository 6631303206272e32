-- Production orders (one row per build), their configuration and their status history.

CREATE TABLE "ProductionOrder" (
    id                   UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    "poNumber"           VARCHAR(50) NOT NULL,
    "buildNumber"        VARCHAR(50) NOT NULL,
    "customerName"       VARCHAR(100) NOT NULL,
    "projectName"        VARCHAR(100),
    "salesPerson"        VARCHAR(100) NOT NULL,
    "wantDate"           DATE NOT NULL,
    "orderLanguage"      "DocumentLanguage" DEFAULT 'EN',
    "notes"              TEXT,

    -- Sink configuration
    "sinkFamily"         "SinkFamily" NOT NULL,
    "sinkModel"          VARCHAR(20) NOT NULL,
    "sinkWidth"          INTEGER NOT NULL,
    "sinkLength"         INTEGER NOT NULL,
    "legsType"           "LegsType" NOT NULL,
    "legsModel"          VARCHAR(20) NOT NULL,
    "feetType"           "FeetType" NOT NULL,
    "workflowDirection"  "WorkflowDirection" NOT NULL,

    -- Pegboard configuration
    "hasPegboard"        BOOLEAN DEFAULT false,
    "pegboardColor"      "PegboardColor",
    "pegboardType"       "PegboardType",
    "pegboardSizeType"   "PegboardSizeType",
    "pegboardWidth"      INTEGER,
    "pegboardLength"     INTEGER,

    -- Status
    "orderStatus"        "OrderStatus" DEFAULT 'ORDER_CREATED',
    "currentAssigneeId"  UUID,

    -- Newest bill of materials; its foreign key (fk_order_bom) is added once "BillOfMaterials" exists.
    "bomId"              UUID,

    "createdAt"          TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    "updatedAt"          TIMESTAMP DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT fk_production_order_user FOREIGN KEY ("currentAssigneeId") REFERENCES "User" (id),
    CONSTRAINT pk_production_order_build UNIQUE ("poNumber", "buildNumber"),
    CONSTRAINT chk_sink_dimensions CHECK ("sinkWidth" > 0 AND "sinkLength" > 0),
    -- The design's chk_want_date (and chk_order_want_date_future) are deliberately not created: a CHECK
    -- against CURRENT_DATE would make every order past its want date impossible to update. The future
    -- want date is enforced when an order is created.
    CONSTRAINT chk_pegboard_configuration CHECK (
        ("hasPegboard" = false) OR
        ("hasPegboard" = true AND "pegboardColor" IS NOT NULL AND "pegboardType" IS NOT NULL)
    )
);

CREATE INDEX idx_order_po_number ON "ProductionOrder" ("poNumber");
CREATE INDEX idx_order_status ON "ProductionOrder" ("orderStatus");
CREATE INDEX idx_order_customer ON "ProductionOrder" ("customerName");
CREATE INDEX idx_order_want_date ON "ProductionOrder" ("wantDate");
CREATE INDEX idx_order_assignee ON "ProductionOrder" ("currentAssigneeId");
CREATE INDEX idx_order_created_at ON "ProductionOrder" ("createdAt");
CREATE INDEX idx_order_status_date ON "ProductionOrder" ("orderStatus", "wantDate");
CREATE INDEX idx_order_customer_status ON "ProductionOrder" ("customerName", "orderStatus");
CREATE INDEX idx_order_assignee_status ON "ProductionOrder" ("currentAssigneeId", "orderStatus");

-- A sink is identified on the floor by its build number alone, so build numbers are unique across the
-- whole database regardless of case; the design's (poNumber, buildNumber) constraint is not enough.
CREATE UNIQUE INDEX uk_order_build_number_ci ON "ProductionOrder" (lower("buildNumber"));
-- PO numbers are looked up (and refused when already taken) case-insensitively.
CREATE INDEX idx_order_po_number_ci ON "ProductionOrder" (lower("poNumber"));

CREATE TABLE "BasinConfiguration" (
    id                         UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    "orderId"                  UUID NOT NULL,
    "basinIndex"               INTEGER NOT NULL,
    "basinType"                "BasinType" NOT NULL,
    "basinWidth"               INTEGER NOT NULL,
    "basinLength"              INTEGER NOT NULL,
    "basinDepth"               INTEGER NOT NULL,
    "isCustomSize"             BOOLEAN DEFAULT false,
    "hasPTrapDrain"            BOOLEAN DEFAULT false,
    "hasBasinLight"            BOOLEAN DEFAULT false,

    -- Recorded during QC
    "drainLocation"            VARCHAR(50),
    "faucetLocation"           VARCHAR(50),
    "overflowSensorInstalled"  BOOLEAN DEFAULT false,

    "createdAt"                TIMESTAMP DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT fk_basin_configuration_production_order
        FOREIGN KEY ("orderId") REFERENCES "ProductionOrder" (id) ON DELETE CASCADE,
    CONSTRAINT pk_basin_order_index UNIQUE ("orderId", "basinIndex"),
    CONSTRAINT chk_basin_dimensions CHECK ("basinWidth" > 0 AND "basinLength" > 0 AND "basinDepth" > 0),
    CONSTRAINT chk_basin_index_positive CHECK ("basinIndex" > 0)
);

CREATE INDEX idx_basin_order ON "BasinConfiguration" ("orderId");
CREATE INDEX idx_basin_type ON "BasinConfiguration" ("basinType");

CREATE TABLE "FaucetConfiguration" (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    "orderId"       UUID NOT NULL,
    "faucetType"    "FaucetType" NOT NULL,
    "quantity"      INTEGER NOT NULL DEFAULT 1,
    "placement"     "FaucetPlacement" NOT NULL,
    "createdAt"     TIMESTAMP DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT fk_faucet_configuration_production_order
        FOREIGN KEY ("orderId") REFERENCES "ProductionOrder" (id) ON DELETE CASCADE,
    CONSTRAINT chk_faucet_quantity CHECK ("quantity" > 0 AND "quantity" <= 3)
);

CREATE INDEX idx_faucet_order ON "FaucetConfiguration" ("orderId");

CREATE TABLE "SprayerConfiguration" (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    "orderId"       UUID NOT NULL,
    "sprayerType"   "SprayerType" NOT NULL,
    "quantity"      INTEGER NOT NULL DEFAULT 1,
    "location"      "SprayerLocation" NOT NULL,
    "createdAt"     TIMESTAMP DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT fk_sprayer_configuration_production_order
        FOREIGN KEY ("orderId") REFERENCES "ProductionOrder" (id) ON DELETE CASCADE,
    CONSTRAINT chk_sprayer_quantity CHECK ("quantity" IN (1, 2))
);

CREATE INDEX idx_sprayer_order ON "SprayerConfiguration" ("orderId");

CREATE TABLE "OrderAccessory" (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    "orderId"       UUID NOT NULL,
    "assemblyId"    VARCHAR(50) NOT NULL,
    "quantity"      INTEGER NOT NULL DEFAULT 1,
    "createdAt"     TIMESTAMP DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT fk_order_accessory_production_order
        FOREIGN KEY ("orderId") REFERENCES "ProductionOrder" (id) ON DELETE CASCADE,
    CONSTRAINT chk_accessory_quantity CHECK ("quantity" > 0)
);

CREATE INDEX idx_accessory_order ON "OrderAccessory" ("orderId");
CREATE INDEX idx_accessory_assembly ON "OrderAccessory" ("assemblyId");

CREATE TABLE "OrderStatusHistory" (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    "orderId"       UUID NOT NULL,
    "userId"        UUID NOT NULL,
    "action"        VARCHAR(100) NOT NULL,
    "oldStatus"     "OrderStatus",
    "newStatus"     "OrderStatus" NOT NULL,
    "notes"         TEXT,
    "timestamp"     TIMESTAMP DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT fk_order_status_history_production_order
        FOREIGN KEY ("orderId") REFERENCES "ProductionOrder" (id) ON DELETE CASCADE,
    CONSTRAINT fk_order_status_history_user FOREIGN KEY ("userId") REFERENCES "User" (id)
);

CREATE INDEX idx_history_order ON "OrderStatusHistory" ("orderId");
CREATE INDEX idx_history_timestamp ON "OrderStatusHistory" ("timestamp");
CREATE INDEX idx_history_user ON "OrderStatusHistory" ("userId");
