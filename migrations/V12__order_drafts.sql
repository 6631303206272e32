-- Unsubmitted order wizards (one per user), and the indexes the order queue needs at 100,000 builds.

CREATE TABLE "OrderDraft" (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    "userId"        UUID NOT NULL,
    -- The wizard's own serialised state; only the wizard reads it.
    "data"          JSONB NOT NULL,
    "createdAt"     TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    "updatedAt"     TIMESTAMP DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT fk_order_draft_user FOREIGN KEY ("userId") REFERENCES "User" (id) ON DELETE CASCADE,
    CONSTRAINT uk_order_draft_user UNIQUE ("userId")
);

CREATE TRIGGER update_order_draft_timestamp
    BEFORE UPDATE ON "OrderDraft"
    FOR EACH ROW EXECUTE FUNCTION update_timestamp();
CREATE TRIGGER audit_order_draft
    AFTER INSERT OR UPDATE OR DELETE ON "OrderDraft"
    FOR EACH ROW EXECUTE FUNCTION audit_trigger();

------------------------------------------------------------------------------------------------------
-- Order queue
------------------------------------------------------------------------------------------------------

-- Keyset pagination orders by (sort column, id): with id in the index a page is one index range scan
-- that stops after the page, however deep the cursor.
CREATE INDEX idx_order_queue_want_date ON "ProductionOrder" ("wantDate", id);
CREATE INDEX idx_order_queue_po_number ON "ProductionOrder" ("poNumber", id);
CREATE INDEX idx_order_queue_build_number ON "ProductionOrder" ("buildNumber", id);
CREATE INDEX idx_order_queue_customer ON "ProductionOrder" ("customerName", id);
CREATE INDEX idx_order_queue_model ON "ProductionOrder" ("sinkModel", id);
CREATE INDEX idx_order_queue_status ON "ProductionOrder" ("orderStatus", id);

-- The work queues and status filters in their default want-date order. Shipped builds pile up at the
-- old end of the want dates, so scanning the whole want-date index and filtering by status would read
-- through tens of thousands of them (the planner assumes statuses are spread evenly). One partial index
-- per view holds exactly its rows, so the first page is read straight off it.
CREATE INDEX idx_order_view_procurement ON "ProductionOrder" ("wantDate", id)
    WHERE "orderStatus" IN ('ORDER_CREATED', 'PARTS_SENT');
CREATE INDEX idx_order_view_qc ON "ProductionOrder" ("wantDate", id)
    WHERE "orderStatus" IN ('READY_FOR_PRE_QC', 'READY_FOR_FINAL_QC');
CREATE INDEX idx_order_view_assembler ON "ProductionOrder" ("wantDate", id)
    WHERE "orderStatus" IN ('READY_FOR_PRODUCTION', 'TESTING_COMPLETE', 'PACKAGING_COMPLETE');
-- The overdue and due-soon filters leave shipped builds out.
CREATE INDEX idx_order_view_open ON "ProductionOrder" ("wantDate", id)
    WHERE "orderStatus" <> 'SHIPPED';
CREATE INDEX idx_order_view_order_created ON "ProductionOrder" ("wantDate", id)
    WHERE "orderStatus" = 'ORDER_CREATED';
CREATE INDEX idx_order_view_parts_sent ON "ProductionOrder" ("wantDate", id)
    WHERE "orderStatus" = 'PARTS_SENT';
CREATE INDEX idx_order_view_ready_for_pre_qc ON "ProductionOrder" ("wantDate", id)
    WHERE "orderStatus" = 'READY_FOR_PRE_QC';
CREATE INDEX idx_order_view_ready_for_production ON "ProductionOrder" ("wantDate", id)
    WHERE "orderStatus" = 'READY_FOR_PRODUCTION';
CREATE INDEX idx_order_view_testing_complete ON "ProductionOrder" ("wantDate", id)
    WHERE "orderStatus" = 'TESTING_COMPLETE';
CREATE INDEX idx_order_view_packaging_complete ON "ProductionOrder" ("wantDate", id)
    WHERE "orderStatus" = 'PACKAGING_COMPLETE';
CREATE INDEX idx_order_view_ready_for_final_qc ON "ProductionOrder" ("wantDate", id)
    WHERE "orderStatus" = 'READY_FOR_FINAL_QC';
CREATE INDEX idx_order_view_ready_for_ship ON "ProductionOrder" ("wantDate", id)
    WHERE "orderStatus" = 'READY_FOR_SHIP';
-- SHIPPED needs none: most builds are shipped, so the plain want-date index finds them at once.

-- The search is a case-insensitive substring match (ILIKE '%text%'), which no btree can serve.
-- pg_trgm ships with the PostgreSQL server packages and is a trusted extension, so the database owner
-- may create it without superuser rights.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX idx_order_search_po_number ON "ProductionOrder" USING gin ("poNumber" gin_trgm_ops);
CREATE INDEX idx_order_search_build_number ON "ProductionOrder" USING gin ("buildNumber" gin_trgm_ops);
CREATE INDEX idx_order_search_customer ON "ProductionOrder" USING gin ("customerName" gin_trgm_ops);
