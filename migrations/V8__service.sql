-- Service orders: parts requested by the service department.

CREATE TABLE "ServiceOrder" (
    id                    UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    "requestedBy"         UUID NOT NULL,
    "status"              "ServiceOrderStatus" DEFAULT 'PENDING',
    "requestTimestamp"    TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    "processedBy"         UUID,
    "processedTimestamp"  TIMESTAMP,
    "notes"               TEXT,
    "internalNotes"       TEXT,

    -- Both columns reference "User", so each constraint name also says which role the user played.
    CONSTRAINT fk_service_order_user_requested_by FOREIGN KEY ("requestedBy") REFERENCES "User" (id),
    CONSTRAINT fk_service_order_user_processed_by FOREIGN KEY ("processedBy") REFERENCES "User" (id)
);

CREATE INDEX idx_service_order_requester ON "ServiceOrder" ("requestedBy");
CREATE INDEX idx_service_order_status ON "ServiceOrder" ("status");
CREATE INDEX idx_service_order_timestamp ON "ServiceOrder" ("requestTimestamp");
CREATE INDEX idx_service_order_pending ON "ServiceOrder" ("requestTimestamp" DESC) WHERE "status" = 'PENDING';

CREATE TABLE "ServiceOrderItem" (
    id                UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    "serviceOrderId"  UUID NOT NULL,
    "partType"        "ComponentType" NOT NULL,
    "partId"          VARCHAR(50) NOT NULL,
    "quantity"        INTEGER NOT NULL,

    CONSTRAINT fk_service_order_item_service_order
        FOREIGN KEY ("serviceOrderId") REFERENCES "ServiceOrder" (id) ON DELETE CASCADE,
    CONSTRAINT chk_service_item_quantity CHECK ("quantity" > 0)
);

CREATE INDEX idx_service_item_order ON "ServiceOrderItem" ("serviceOrderId");
CREATE INDEX idx_service_item_part ON "ServiceOrderItem" ("partType", "partId");
