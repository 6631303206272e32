-- Uploaded files and their attachment to orders.

CREATE TABLE "Document" (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    "fileName"      VARCHAR(255) NOT NULL,
    "originalName"  VARCHAR(255) NOT NULL,
    "fileUrl"       VARCHAR(500) NOT NULL,
    "contentType"   VARCHAR(100) NOT NULL,
    "fileSize"      BIGINT NOT NULL,
    "uploadedBy"    UUID NOT NULL,
    "uploadedAt"    TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    "isActive"      BOOLEAN DEFAULT true,

    CONSTRAINT fk_document_user FOREIGN KEY ("uploadedBy") REFERENCES "User" (id)
);

CREATE INDEX idx_document_uploader ON "Document" ("uploadedBy");
CREATE INDEX idx_document_uploaded_at ON "Document" ("uploadedAt");
CREATE INDEX idx_document_active ON "Document" ("isActive");

CREATE TABLE "OrderDocument" (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    "orderId"       UUID NOT NULL,
    "documentId"    UUID NOT NULL,
    "documentType"  "OrderDocumentType" NOT NULL,
    "associatedAt"  TIMESTAMP DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT fk_order_document_production_order
        FOREIGN KEY ("orderId") REFERENCES "ProductionOrder" (id) ON DELETE CASCADE,
    CONSTRAINT fk_order_document_document
        FOREIGN KEY ("documentId") REFERENCES "Document" (id) ON DELETE CASCADE,
    CONSTRAINT uk_order_document UNIQUE ("orderId", "documentId")
);

CREATE INDEX idx_order_doc_order ON "OrderDocument" ("orderId");
CREATE INDEX idx_order_doc_document ON "OrderDocument" ("documentId");
CREATE INDEX idx_order_doc_type ON "OrderDocument" ("documentType");
